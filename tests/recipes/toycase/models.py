"""The toy's models, one record each, and their pointwise log-likelihood."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from teachkit.models.entry import ModelEntry
from teachkit.models.spec import BuiltModel, ModelSpec, data_fingerprint, pointwise_dataset


def build_mean(data: pd.DataFrame) -> BuiltModel:
    """y ~ Normal(mu, sigma); mu ~ Normal(0, 10), sigma ~ HalfNormal(5)."""
    import pymc as pm

    y = data["y"].to_numpy(dtype=float)
    with pm.Model(coords={"obs": np.arange(len(y))}) as m:
        mu = pm.Normal("mu", 0.0, 10.0)
        sigma = pm.HalfNormal("sigma", 5.0)
        observed = pm.Data("y_observed", y, dims="obs")
        pm.Normal("y", mu, sigma, observed=observed, dims="obs")
    return BuiltModel(m, _spec("mean", y, data, MODELS[0]))


def _spec(name: str, y: np.ndarray, data: pd.DataFrame, entry: ModelEntry) -> ModelSpec:
    return ModelSpec(
        case="toy",
        name=name,
        options={},
        n_obs=len(y),
        observed={"y": y},
        constant={},
        parameters=entry.parameters,
        hyperparameters=entry.hyperparameters,
        structure=("toy", name, len(y)),
        data_hash=data_fingerprint(data, ("y",)),
    )


def pointwise_log_likelihood(idata: Any) -> Any:
    """log Normal(y_i | mu, sigma) for every draw and row (sigma may be fixed)."""
    post = idata.posterior
    y = idata.observed_data["y"].to_numpy()
    sigma = post["sigma"].to_numpy()[..., None] if "sigma" in post else FIXED_SIGMA
    ll = stats.norm.logpdf(y, post["mu"].to_numpy()[..., None], sigma)
    return pointwise_dataset({"y": ll}, post)


#: The sd the known-scale model assumes (the simulator's default).
FIXED_SIGMA = 2.0

MODELS: tuple[ModelEntry, ...] = (
    ModelEntry("mean", "the mean and sd of normal data", build_mean, ("mu", "sigma")),
)
