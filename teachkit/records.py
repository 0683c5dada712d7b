"""Machine-readable records of fits, comparisons and recoveries (the CLI's ``--json`` files).

The formats are described in ``docs/design.md``: plain JSON numbers, canonical parameter names
(``mu_alpha``, ``alpha[3]``, ``beta[Physics]``, ...). :func:`plain` turns any record into
plain JSON values; :func:`write_json` writes one atomically.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from teachkit import files
from teachkit.fitmeta import FitMeta

if TYPE_CHECKING:
    import arviz as az

    from teachkit.inference import Diagnostics

__all__ = [
    "compare_record",
    "fit_record",
    "held_out_record",
    "plain",
    "recover_record",
    "write_json",
]

_SUMMARY_COLUMNS = ("mean", "sd", "hdi_3%", "hdi_97%", "r_hat", "ess_bulk", "ess_tail")


def fit_record(
    idata: az.InferenceData, table: pd.DataFrame, diagnostics: Diagnostics, *, data: str
) -> dict[str, Any]:
    """The record of one fit, as ``teachkit fit --json`` writes it.

    Parameters
    ----------
    idata : arviz.InferenceData
        From :func:`teachkit.inference.fit` (its ``posterior.attrs`` hold the run's settings).
    table : DataFrame
        From :func:`teachkit.inference.summary`.
    diagnostics : Diagnostics
        From :func:`teachkit.inference.diagnose`.
    data : str
        Name of the data set (``beijing``, ``nwo``, ``simulated`` or a file name).

    The model's options (for ozone ``parameterization`` and ``likelihood``) follow ``model``
    at the top level, as the case resolved them.
    """
    meta = FitMeta.of(idata)
    return {
        "case": meta.case,
        "model": meta.model,
        **meta.options,
        "data": data,
        "n_obs": meta.n_obs,
        "sampler": meta.sampler,
        "chains": meta.chains,
        "draws": meta.draws,
        "tune": meta.tune,
        "target_accept": meta.target_accept,
        "seed": meta.seed,
        "seconds": {k: round(float(v), 3) for k, v in meta.seconds.items()},
        "diagnostics": plain(diagnostics.to_dict()),
        "parameters": {
            name: {col: _number(row[col]) for col in _SUMMARY_COLUMNS if col in row}
            for name, row in table.iterrows()
        },
    }


def compare_record(table: pd.DataFrame, *, case: str, data: str, n_obs: int) -> dict[str, Any]:
    """The record of a LOO comparison, as ``teachkit compare --json`` writes it."""
    models = []
    for name, row in table.iterrows():
        models.append(
            {
                "model": name,
                "rank": int(row["rank"]),
                "elpd_loo": _number(row["elpd_loo"]),
                "p_loo": _number(row["p_loo"]),
                "d_loo": _number(row["d_loo"]),
                "weight": _number(row["weight"]),
                "se": _number(row["se"]),
                "dse": _number(row["dse"]),
                "warning": bool(row["warning"]),
                "pareto_k_max": _number(row["pareto_k_max"]),
            }
        )
    return {"case": case, "data": data, "n_obs": int(n_obs), "models": models}


def held_out_record(table: pd.DataFrame, *, case: str, data: str) -> dict[str, Any]:
    """The record of a leave-one-group-out run, as ``teachkit held-out --json`` writes it.

    One entry per left-out group: its label, its rows and each column of the table
    (each model's elpd, and ``difference``/``per_row`` when two or more models were scored).
    """
    groups = [
        {"group": str(name), **{str(k): _number(v) for k, v in row.items() if k != "rows"},
         "rows": int(row["rows"])}
        for name, row in table.iterrows()
    ]  # fmt: skip
    return {"case": case, "data": data, "groups": groups}


def recover_record(table: pd.DataFrame) -> dict[str, Any]:
    """The record of a recovery, as ``teachkit recover --json`` writes it.

    Parameters
    ----------
    table : DataFrame
        From :func:`teachkit.recovery.recover` (its ``attrs`` hold case, model, seed,
        hdi_prob and all_hyperparameters_inside).
    """
    return {
        "case": table.attrs["case"],
        "model": table.attrs["model"],
        "seed": int(table.attrs["seed"]),
        "hdi_prob": float(table.attrs["hdi_prob"]),
        "parameters": {
            str(name): {
                "truth": _number(row["truth"]),
                "mean": _number(row["mean"]),
                "sd": _number(row["sd"]),
                "hdi_low": _number(row["hdi_low"]),
                "hdi_high": _number(row["hdi_high"]),
                "inside": bool(row["inside"]),
            }
            for name, row in table.iterrows()
        },
        "all_hyperparameters_inside": bool(table.attrs["all_hyperparameters_inside"]),
    }


def write_json(record: dict[str, Any], path: str | Path) -> Path:
    """Write a record as indented JSON, atomically (strict: NaN and infinity become null)."""
    return files.write_json(plain(record), path)


def _number(value: Any) -> float | None:
    """A plain float, or None for NaN and infinity (which JSON cannot hold)."""
    v = float(value)
    return v if math.isfinite(v) else None


def plain(value: Any) -> Any:
    """Recursively turn numpy scalars into Python ones and non-finite floats into None."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, int):
        return value
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value
