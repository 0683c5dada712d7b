"""Machine-readable records of fits and comparisons (the CLI's ``--json`` files).

The formats are described in ``docs/design.md``: plain JSON numbers, canonical parameter names
(``mu_alpha``, ``alpha[3]``, ``beta[Physics]``, ...).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from teachkit import files

if TYPE_CHECKING:
    import arviz as az

    from teachkit.cases.ozone.benchmark import BenchRow
    from teachkit.inference import Diagnostics

__all__ = ["bench_record", "compare_record", "fit_record", "recover_record", "write_json"]

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
    """
    attrs = idata.posterior.attrs
    parameterization = attrs.get("teachkit_parameterization") or None
    return {
        "case": attrs["teachkit_case"],
        "model": attrs["teachkit_model"],
        "parameterization": parameterization,
        "likelihood": attrs["teachkit_likelihood"],
        "data": data,
        "n_obs": int(attrs["teachkit_n_obs"]),
        "sampler": attrs["teachkit_sampler"],
        "chains": int(attrs["teachkit_chains"]),
        "draws": int(attrs["teachkit_draws"]),
        "tune": int(attrs["teachkit_tune"]),
        "target_accept": float(attrs["teachkit_target_accept"]),
        "seed": None if int(attrs["teachkit_seed"]) < 0 else int(attrs["teachkit_seed"]),
        "seconds": {
            "wall": round(float(attrs["teachkit_seconds_wall"]), 3),
            "compile": round(float(attrs["teachkit_seconds_compile"]), 3),
            "sampling": round(float(attrs["teachkit_seconds_sampling"]), 3),
        },
        "diagnostics": _plain(diagnostics.to_dict()),
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


def recover_record(table: pd.DataFrame) -> dict[str, Any]:
    """The record of a recovery, as ``teachkit recover --json`` writes it.

    Parameters
    ----------
    table : DataFrame
        From :func:`teachkit.recovery.recover` (its ``attrs`` hold case, model, seed and
        hdi_prob).
    """
    from teachkit.recovery import all_hyperparameters_inside

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
        "all_hyperparameters_inside": all_hyperparameters_inside(table),
    }


def bench_record(rows: list[BenchRow], *, settings: dict[str, Any]) -> dict[str, Any]:
    """The record of a benchmark, as ``teachkit bench --json`` writes it.

    ``settings`` (data, rows, draws, tune, chains, seed, target_accept, repeats) are stored as
    given, with the machine's core count and the library versions; each row carries its
    speed-ups against the anchors started the same way (``speedup_vs``).
    """
    import os
    import platform

    from teachkit.cases.ozone.benchmark import speedups
    from teachkit.store import library_versions

    return _plain(
        {
            "benchmark": "ozone covarying model",
            **settings,
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "versions": library_versions(),
            "rows": [{**row.as_dict(), "speedup_vs": speedups(rows, row)} for row in rows],
        }
    )


def write_json(record: dict[str, Any], path: str | Path) -> Path:
    """Write a record as indented JSON, atomically (strict: NaN and infinity become null)."""
    return files.write_json(_plain(record), path)


def _number(value: Any) -> float | None:
    """A plain float, or None for NaN and infinity (which JSON cannot hold)."""
    v = float(value)
    return v if math.isfinite(v) else None


def _plain(value: Any) -> Any:
    """Recursively turn numpy scalars into Python ones and non-finite floats into None."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, int):
        return value
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value
