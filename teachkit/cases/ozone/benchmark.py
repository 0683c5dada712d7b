"""How much faster teachkit's default fit is than the covarying model as the slides write it.

The slides write the likelihood row by row (``pm.Normal(..., observed=log_ozone)``) and sample
with PyMC's own NUTS; teachkit evaluates the same log density from per-station sufficient
statistics and samples with nutpie. :func:`benchmark_covarying` fits both, in one process, on
the same data with the same parameterisation, and reports wall time (compilation included),
its parts, and effective draws per second of the slowest-mixing hyperparameter.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from teachkit.cases.ozone.models import build_ozone_model
from teachkit.compiled import COMPILED_MODELS
from teachkit.inference import diagnose, fit

__all__ = ["BenchRow", "benchmark_covarying"]


@dataclass(frozen=True)
class BenchRow:
    """One timed fit.

    Attributes
    ----------
    label : str
        What was timed.
    likelihood, sampler : str
    wall, compile, sampling : float
        Seconds: the whole fit, compiling, and sampling (with the log-likelihood computation).
    min_ess_bulk : float
        Smallest bulk ESS over the hyperparameters.
    divergences : int
    """

    label: str
    likelihood: str
    sampler: str
    wall: float
    compile: float
    sampling: float
    min_ess_bulk: float
    divergences: int

    @property
    def ess_per_second(self) -> float:
        """Effective draws of the slowest hyperparameter per second of wall time."""
        return self.min_ess_bulk / self.wall


def benchmark_covarying(
    data: pd.DataFrame,
    *,
    draws: int = 1000,
    tune: int = 1000,
    chains: int = 4,
    seed: int = 1,
    parameterization: str = "noncentered",
    progress: bool = False,
) -> list[BenchRow]:
    """Time the slides' covarying model against teachkit's default on ``data``.

    Returns three rows: the slides' form (pointwise likelihood, PyMC's NUTS), teachkit's default
    (sufficient statistics, nutpie, compiled in this call), and teachkit's default again on the
    same data with the compiled model reused, as every further fit in a session is. The
    process's compiled models are cleared first, so "compiled in this call" is true.
    """
    COMPILED_MODELS.clear()
    runs = (
        ("slides: pointwise + PyMC NUTS", "pointwise", "pymc"),
        ("teachkit: sufficient + nutpie", "sufficient", "nutpie"),
        ("teachkit, compiled model reused", "sufficient", "nutpie"),
    )
    rows = []
    for label, likelihood, sampler in runs:
        model = build_ozone_model(
            data, "covarying", parameterization=parameterization, likelihood=likelihood
        )
        idata = fit(
            model,
            sampler=sampler,
            draws=draws,
            tune=tune,
            chains=chains,
            seed=seed,
            progress=progress,
        )
        attrs = idata.posterior.attrs
        diag = diagnose(idata, var_names=list(model.spec.hyperparameters))
        rows.append(
            BenchRow(
                label=label,
                likelihood=likelihood,
                sampler=sampler,
                wall=float(attrs["teachkit_seconds_wall"]),
                compile=float(attrs["teachkit_seconds_compile"]),
                sampling=float(attrs["teachkit_seconds_sampling"]),
                min_ess_bulk=diag.min_ess_bulk,
                divergences=diag.divergences,
            )
        )
    return rows
