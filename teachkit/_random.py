"""The one way teachkit turns a user's ``rng`` argument into a random generator.

Every stochastic function takes ``rng``: a :class:`numpy.random.Generator`, an int seed or
None (fresh entropy). Nothing uses numpy's global random state, so the same seed always gives
the same bytes.
"""

from __future__ import annotations

import numbers

import numpy as np

from teachkit.errors import TeachkitError

__all__ = ["RNGLike", "Size", "as_generator", "size_tuple"]

RNGLike = np.random.Generator | int | None
Size = int | tuple[int, ...] | None


def as_generator(rng: RNGLike) -> np.random.Generator:
    """Return a Generator for ``rng``.

    Parameters
    ----------
    rng : numpy.random.Generator, int or None
        A generator is returned as it is (so draws continue its stream); a non-negative int
        seeds a new PCG64 generator; None draws fresh entropy from the OS.

    Raises
    ------
    TeachkitError
        For anything else (a negative seed, a float, a legacy ``RandomState``).

    Examples
    --------
    >>> as_generator(0).integers(10) == as_generator(0).integers(10)
    np.True_
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool) and rng >= 0:
        return np.random.default_rng(int(rng))
    raise TeachkitError(
        f"rng must be a numpy.random.Generator, a non-negative int seed or None, got {rng!r}"
    )


def size_tuple(size: Size) -> tuple[int, ...]:
    """Normalise a numpy-style ``size`` (None, an int or a tuple) to a tuple of ints >= 0.

    Examples
    --------
    >>> size_tuple(None), size_tuple(3), size_tuple((2, 4))
    ((), (3,), (2, 4))
    """
    if size is None:
        return ()
    shape = (size,) if isinstance(size, numbers.Integral) else tuple(size)
    if any(isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 0 for s in shape):
        raise TeachkitError(f"size must be a non-negative integer or a tuple of them, got {size!r}")
    return tuple(int(s) for s in shape)
