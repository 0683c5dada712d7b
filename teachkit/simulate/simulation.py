"""The result type shared by the simulators: data with the truth that generated it."""

from __future__ import annotations

import json
import math
import numbers
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from teachkit.datasets import write_csv
from teachkit.errors import TeachkitError

__all__ = ["Simulation", "check_count", "check_finite"]


@dataclass(frozen=True)
class Simulation:
    """Simulated data and the parameters planted in it.

    Attributes
    ----------
    data : DataFrame
        Tidy table with the columns of the real data set of the case.
    truth : dict of str to float
        Every planted parameter under its canonical name (``mu_alpha``, ``rho``, ``alpha[3]``,
        ``beta[D2]``, ...), plain Python floats, so ``json.dumps(truth)`` works.
    """

    data: pd.DataFrame
    truth: dict[str, float]

    def truth_json(self) -> str:
        """The truth as JSON text, keys in insertion order, with a final newline."""
        return json.dumps(self.truth, indent=2) + "\n"

    def save(self, data_path: str | Path, truth_path: str | Path | None = None) -> None:
        """Write the data as CSV and, if a path is given, the truth as JSON (deterministic)."""
        write_csv(self.data, data_path)
        if truth_path is not None:
            out = Path(truth_path)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(self.truth_json(), encoding="utf-8")


def check_count(value: object, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int >= ``minimum`` or raise a one-line TeachkitError."""
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
    """Return ``value`` as a float inside the given bounds or raise a one-line TeachkitError."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if ok:
        v = float(value)  # type: ignore[arg-type]
        ok = (v > low if low_open else v >= low) and (v < high if high_open else v <= high)
    if not ok:
        raise TeachkitError(
            f"{name} must be {_describe(low, high, low_open, high_open)}, got {value!r}"
        )
    return float(value)  # type: ignore[arg-type]


def _describe(low: float, high: float, low_open: bool, high_open: bool) -> str:
    """Say in words which numbers are allowed, e.g. 'a number > 0' or 'a number in (-1, 1)'."""
    if math.isinf(low) and math.isinf(high):
        return "a finite number"
    if math.isinf(high):
        return f"a number {'>' if low_open else '>='} {low:g}"
    if math.isinf(low):
        return f"a number {'<' if high_open else '<='} {high:g}"
    return f"a number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
