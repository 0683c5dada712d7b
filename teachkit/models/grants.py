"""The lecture's grants models: awards ~ Binomial(applications, p) by gender and discipline.

* ``gender``: logit p = alpha[gender]; alpha ~ Normal(0, 2). Its gender gap is the *total*
  effect of gender on the award rate (directly and through the choice of discipline).
* ``gender_discipline``: logit p = alpha[gender] + beta[discipline]; alpha ~ Normal(0, 2),
  beta ~ Normal(0, 1). Conditioning on discipline leaves the *direct* effect.
* ``multilevel``: as above with beta ~ Normal(0, tau), tau ~ HalfCauchy(5) (partial pooling of
  disciplines).

Every model carries the derived ``gender_gap``: the posterior of the award probability of men
minus that of women, averaged over the data's applications. For the gender model that is
logistic(alpha[m]) - logistic(alpha[f]); for the discipline models it is
sum_d n_d (p[m, d] - p[f, d]) / sum_d n_d with n_d the applications in discipline d.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import xarray as xr
from scipy.special import gammaln, log_expit

from teachkit.datasets import check_grants_frame
from teachkit.models.spec import ModelSpec, attach_spec, check_choice, pointwise_dataset

if TYPE_CHECKING:
    import pymc as pm

__all__ = ["GRANTS_MODELS", "build_grants_model"]

GrantsModel = Literal["gender", "gender_discipline", "multilevel"]
GRANTS_MODELS: tuple[str, ...] = ("gender", "gender_discipline", "multilevel")

_HYPER: dict[str, tuple[str, ...]] = {
    "gender": ("alpha", "gender_gap"),
    "gender_discipline": ("alpha", "gender_gap"),
    "multilevel": ("tau", "alpha", "gender_gap"),
}


def build_grants_model(data: pd.DataFrame, model: GrantsModel = "gender_discipline") -> pm.Model:
    """Build one of the lecture's grants models as a PyMC model.

    Parameters
    ----------
    data : DataFrame
        ``discipline``, ``gender`` (f/m), ``applications``, ``awards``: the NWO table
        (:func:`teachkit.datasets.load_nwo_grants`) or a simulated one.
    model : {"gender", "gender_discipline", "multilevel"}

    Returns
    -------
    pymc.Model
        Coords ``gender`` (f, m), ``discipline`` (in the data's order) and ``obs`` (rows);
        variables ``alpha`` (dim gender), ``beta`` (dim discipline) where the model has it,
        ``tau`` for the multilevel model, the observed ``awards`` and ``gender_gap``.

    Examples
    --------
    >>> from teachkit.datasets import load_nwo_grants
    >>> m = build_grants_model(load_nwo_grants(), "multilevel")
    >>> [v.name for v in m.free_RVs]
    ['alpha', 'tau', 'beta']
    """
    import pymc as pm

    check_choice("model", model, GRANTS_MODELS)
    frame = check_grants_frame(data)
    disciplines = list(frame["discipline"].cat.categories)
    gender_idx = frame["gender"].cat.codes.to_numpy().astype(int)  # f = 0, m = 1
    disc_idx = frame["discipline"].cat.codes.to_numpy().astype(int)
    apps = frame["applications"].to_numpy()
    awards = frame["awards"].to_numpy()
    per_discipline = np.bincount(disc_idx, apps, minlength=len(disciplines))
    weights = per_discipline / max(per_discipline.sum(), 1)

    coords = {"gender": ["f", "m"], "discipline": disciplines, "obs": np.arange(len(frame))}
    with pm.Model(coords=coords) as m:
        g = pm.Data("gender_index", gender_idx, dims="obs")
        n = pm.Data("applications", apps, dims="obs")
        # observed values live in a data container too, so that a compiled model reused with
        # new data (teachkit.inference.fit) sees the new outcomes, not the ones it was built on
        y = pm.Data("awards_observed", awards, dims="obs")
        alpha = pm.Normal("alpha", 0.0, 2.0, dims="gender")
        if model == "gender":
            pm.Binomial("awards", n=n, logit_p=alpha[g], observed=y, dims="obs")
            p = pm.math.invlogit(alpha)
            pm.Deterministic("gender_gap", p[1] - p[0])
        else:
            if model == "multilevel":
                tau = pm.HalfCauchy("tau", beta=5.0)
                beta = pm.Normal("beta", 0.0, tau, dims="discipline")
            else:
                beta = pm.Normal("beta", 0.0, 1.0, dims="discipline")
            d = pm.Data("discipline_index", disc_idx, dims="obs")
            w = pm.Data("discipline_weight", weights, dims="discipline")
            pm.Binomial("awards", n=n, logit_p=alpha[g] + beta[d], observed=y, dims="obs")
            gap = pm.math.invlogit(alpha[1] + beta) - pm.math.invlogit(alpha[0] + beta)
            pm.Deterministic("gender_gap", (w * gap).sum())

    def log_likelihood(posterior: xr.Dataset) -> xr.Dataset:
        return _binomial_loglik(posterior, gender_idx, disc_idx, apps, awards)

    attach_spec(
        m,
        ModelSpec(
            case="grants",
            name=model,
            parameterization=None,
            likelihood="pointwise",
            n_obs=len(frame),
            observed={"awards": awards},
            log_likelihood=log_likelihood,
            parameters=_HYPER[model] + (() if model == "gender" else ("beta",)),
            hyperparameters=_HYPER[model],
            structure=("grants", model, len(frame), len(disciplines)),
        ),
    )
    return m


def _binomial_loglik(
    posterior: xr.Dataset,
    gender_idx: np.ndarray,
    disc_idx: np.ndarray,
    apps: np.ndarray,
    awards: np.ndarray,
) -> xr.Dataset:
    """Pointwise log Binomial(awards_i | applications_i, p_i) for every draw and row.

    Uses log p = log_expit(logit p) and log(1 - p) = log_expit(-logit p), exact for any logit.
    """
    logit_p: Any = posterior["alpha"].to_numpy()[..., gender_idx]
    if "beta" in posterior:
        logit_p = logit_p + posterior["beta"].to_numpy()[..., disc_idx]
    log_choose = gammaln(apps + 1) - gammaln(awards + 1) - gammaln(apps - awards + 1)
    ll = log_choose + awards * log_expit(logit_p) + (apps - awards) * log_expit(-logit_p)
    return pointwise_dataset("awards", ll, posterior)
