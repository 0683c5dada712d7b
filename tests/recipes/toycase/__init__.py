"""A toy case study: the mean of normal data (the recipe "add a case study")."""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd

from teachkit.cases.base import CaseStudy, DataSet
from teachkit.errors import TeachkitError
from toycase import models
from toycase.simulate import simulate_toy


class ToyCase(CaseStudy):
    """y ~ Normal(mu, sigma) with weakly informative priors."""

    name = "toy"
    title = "The mean of normal data"
    model_entries = models.MODELS
    columns = ("y",)
    model_columns = ("y",)
    calibration_design_defaults: ClassVar[dict[str, int]] = {"n": 20}

    @property
    def datasets(self) -> tuple[DataSet, ...]:
        return (DataSet("toydata", "Twenty fixed numbers", lambda: simulate_toy(rng=0).data),)

    def check(self, frame: pd.DataFrame, *, source: str = "data") -> pd.DataFrame:
        if "y" not in frame.columns:
            raise TeachkitError(f"{source} lacks column y")
        return frame

    def log_likelihood(self, idata: Any) -> Any:
        return models.pointwise_log_likelihood(idata)

    def model_code(self) -> tuple[str, ...]:
        return (models.__name__,)

    def simulate(self, *, rng: Any = None, **options: Any) -> Any:
        return simulate_toy(rng=rng, **options)

    def _design(self, *, seed: int, n: int) -> pd.DataFrame:
        return simulate_toy(rng=seed, n=n).data

    def with_outcome(self, design: pd.DataFrame, outcome: Any) -> pd.DataFrame:
        return design.assign(y=outcome)

    def figures(self) -> tuple[Any, ...]:
        from toycase.figures import FIGURES

        return FIGURES


CASE = ToyCase()
