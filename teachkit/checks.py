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

__all__ = ["check_choice", "check_count", "check_finite", "check_table"]


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


def check_count(value: object, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int >= ``minimum`` or raise a one-line TeachkitError.

    Examples
    --------
    >>> check_count(3, "draws")
    3
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise TeachkitError(f"{name} must be a whole number >= {minimum}, got {value!r}")
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
