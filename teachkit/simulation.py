"""The result type of every simulator: data with the truth that generated it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from teachkit.files import write_csv, write_text

__all__ = ["Simulation"]


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
        """Write the data as CSV and, if a path is given, the truth as JSON (deterministic).

        Both files are written atomically; the truth is written first, so that a data file
        never stands beside the truth of another run.
        """
        if truth_path is not None:
            write_text(self.truth_json(), truth_path)
        write_csv(self.data, data_path)
