"""The grants case study: does gender act on NWO awards directly, or through discipline.

Binomial (logistic) regressions of awards on gender, then on gender and discipline, then with
discipline effects partially pooled; the causal graph is G -> D -> A and G -> A. Its parts:
:mod:`~teachkit.cases.grants.data` (the NWO table), :mod:`~teachkit.cases.grants.simulate`
(known-truth applications and awards), :mod:`~teachkit.cases.grants.models` (the PyMC models),
:mod:`~teachkit.cases.grants.truth` (what each model recovers),
:mod:`~teachkit.cases.grants.plots` (its slides) and
:mod:`~teachkit.cases.grants.figures` (its slide figures).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

from teachkit.cases.base import CaseStudy, DataSet
from teachkit.cases.grants import models
from teachkit.cases.grants.data import GRANTS_COLUMNS, MODEL_COLUMNS, check_grants_frame
from teachkit.cases.grants.data import load_nwo_grants as _load_nwo
from teachkit.cases.grants.simulate import simulate_grants

if TYPE_CHECKING:
    import arviz as az
    import xarray as xr

    from teachkit.figure_entry import FigureEntry
    from teachkit.simulation import Simulation

__all__ = ["CASE", "GrantsCase"]


class GrantsCase(CaseStudy):
    """The grants case study (see the module docstring)."""

    name = "grants"
    title = "NWO grant applications and awards by discipline and gender"
    model_entries = models.MODELS
    columns = GRANTS_COLUMNS
    model_columns = MODEL_COLUMNS
    calibration_design_defaults: ClassVar[dict[str, int]] = {
        "n_disciplines": 9,
        "applications": 2800,
    }

    @property
    def datasets(self) -> tuple[DataSet, ...]:
        """The NWO table."""
        return (
            DataSet(
                "nwo",
                "NWO grant applications and awards by discipline and gender, 2010-2012 (18 rows)",
                _load_nwo,
            ),
        )

    def check(self, frame: pd.DataFrame, *, source: str = "data") -> pd.DataFrame:
        """See :func:`~teachkit.cases.grants.data.check_grants_frame`."""
        return check_grants_frame(frame, source=source)

    def log_likelihood(self, idata: az.InferenceData) -> xr.Dataset:
        """See :func:`~teachkit.cases.grants.models.pointwise_log_likelihood`."""
        return models.pointwise_log_likelihood(idata)

    def model_code(self) -> tuple[str, ...]:
        """The models module."""
        return (models.__name__,)

    def simulate(self, *, rng: Any = None, **options: Any) -> Simulation:
        """See :func:`~teachkit.cases.grants.simulate.simulate_grants`."""
        return simulate_grants(rng=rng, **options)

    def _design(self, *, seed: int, n_disciplines: int, applications: int) -> pd.DataFrame:
        """Applications by discipline and gender (the awards are replaced in every run)."""
        return simulate_grants(n_disciplines, applications=applications, rng=seed).data

    def with_outcome(self, design: pd.DataFrame, outcome: Any) -> pd.DataFrame:
        """The design with simulated awards."""
        data = design.copy()
        data["awards"] = outcome.astype(int)
        return data

    def figures(self) -> tuple[FigureEntry, ...]:
        """The grants slides."""
        from teachkit.cases.grants.figures import FIGURES

        return FIGURES


#: The grants case study (registered by :mod:`teachkit.registry`).
CASE = GrantsCase()
