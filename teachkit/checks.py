"""Checks of user input that every part of teachkit shares.

Each returns the checked value (converted) or raises :class:`~teachkit.errors.TeachkitError`
with one line that names the argument, says what is allowed and shows what was given.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import pandas as pd

from teachkit.errors import TeachkitError

__all__ = [
    "MAX_DEMO_DRAWS",
    "MAX_DIM",
    "MAX_ROWS",
    "MAX_SAMPLER_DRAWS",
    "MAX_SEED",
    "check_choice",
    "check_count",
    "check_finite",
    "check_table",
]

# Limits on sizes a user can ask for. They are far above anything a lecture needs and keep a
# mistyped number (an extra zero, a pasted id) from exhausting the machine's memory or time.
#: Draws per eta or per demo (20,000 by default).
MAX_DEMO_DRAWS = 1_000_000
#: Size of a correlation matrix in the demos.
MAX_DIM = 50
#: Rows of a simulated table (the Beijing table has about 17,000).
MAX_ROWS = 2_000_000
#: Draws or tuning steps per chain, and chains (the lecture uses 1000 and 4).
MAX_SAMPLER_DRAWS = 1_000_000
#: Largest seed (the samplers take 32-bit seeds).
MAX_SEED = 2**32 - 1


def check_choice(what: str, value: object, allowed: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``allowed``, else raise a one-line TeachkitError.

    Examples
    --------
    >>> check_choice("model", "linear", ("pooled", "covarying"))
    Traceback (most recent call last):
    ...
    teachkit.errors.TeachkitError: unknown model 'linear'; choose one of: pooled, covarying
    """
    options = tuple(allowed)
    if value not in options:
        raise TeachkitError(f"unknown {what} {value!r}; choose one of: {', '.join(options)}")
    return str(value)


def check_count(value: object, name: str, minimum: int = 1, maximum: int | None = None) -> int:
    """Return ``value`` as an int in [``minimum``, ``maximum``] or raise a one-line TeachkitError.

    Examples
    --------
    >>> check_count(3, "draws")
    3
    >>> check_count(10**9, "draws", 1, 10**6)
    Traceback (most recent call last):
    ...
    teachkit.errors.TeachkitError: draws must be a whole number in [1, 1000000], got 1000000000
    """
    whole = not isinstance(value, bool) and isinstance(value, numbers.Integral)
    if not whole or value < minimum or (maximum is not None and value > maximum):
        allowed = f">= {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
        raise TeachkitError(f"{name} must be a whole number {allowed}, got {value!r}")
    return int(value)


def check_finite(
    value: object,
    name: str,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a float inside the given bounds or raise a one-line TeachkitError.

    Examples
    --------
    >>> check_finite(2.0, "rho", low=-1.0, high=1.0)
    Traceback (most recent call last):
    ...
    teachkit.errors.TeachkitError: rho must be a number in [-1, 1], got 2.0
    """
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if ok:
        v = float(value)  # type: ignore[arg-type]
        ok = (v > low if low_open else v >= low) and (v < high if high_open else v <= high)
    if not ok:
        raise TeachkitError(
            f"{name} must be {_describe(low, high, low_open, high_open)}, got {value!r}"
        )
    return float(value)  # type: ignore[arg-type]


def check_table(frame: pd.DataFrame, columns: Iterable[str], *, source: str, what: str) -> None:
    """Raise a one-line TeachkitError unless ``frame`` has rows and every one of ``columns``.

    Examples
    --------
    >>> check_table(pd.DataFrame({"y": [1.0]}), ("y", "x"), source="data.csv", what="a toy table")
    Traceback (most recent call last):
    ...
    teachkit.errors.TeachkitError: data.csv lacks column(s) x; a toy table needs y, x
    """
    needed = tuple(columns)
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise TeachkitError(
            f"{source} lacks column(s) {', '.join(missing)}; {what} needs {', '.join(needed)}"
        )
    if frame.empty:
        raise TeachkitError(f"{source} has no rows")


def _describe(low: float, high: float, low_open: bool, high_open: bool) -> str:
    """Say in words which numbers are allowed, e.g. 'a number > 0' or 'a number in (-1, 1)'."""
    if math.isinf(low) and math.isinf(high):
        return "a finite number"
    if math.isinf(high):
        return f"a number {'>' if low_open else '>='} {low:g}"
    if math.isinf(low):
        return f"a number {'<' if high_open else '<='} {high:g}"
    return f"a number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
