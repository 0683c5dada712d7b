"""The lecture's grants models: awards ~ Binomial(applications, p) by gender and discipline.

* ``gender``: logit p = alpha[gender]; alpha ~ Normal(0, 2). Its gender gap is the *total*
  effect of gender on the award rate (directly and through the choice of discipline).
* ``gender_discipline``: logit p = alpha[gender] + beta[discipline]; alpha ~ Normal(0, 2),
  beta ~ Normal(0, 1). Conditioning on discipline leaves the *direct* effect.
* ``multilevel``: as above with beta ~ Normal(0, tau), tau ~ HalfCauchy(5) (partial pooling of
  disciplines).

The discipline models also carry ``direct_effect`` = alpha[m] - alpha[f], the log-odds of an
award, men against women, within a discipline. Every model carries the derived
``gender_gap``: the posterior of the award probability of men minus that of women, averaged
over the data's applications. For the gender model that is
logistic(alpha[m]) - logistic(alpha[f]); for the discipline models it is
sum_d n_d (p[m, d] - p[f, d]) / sum_d n_d with n_d the applications in discipline d.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from scipy.special import gammaln, log_expit

from teachkit.cases.grants.data import MODEL_COLUMNS, check_grants_frame
from teachkit.checks import check_choice
from teachkit.errors import TeachkitError
from teachkit.models.spec import BuiltModel, ModelSpec, data_fingerprint, pointwise_dataset

if TYPE_CHECKING:
    import arviz as az
    import xarray as xr

__all__ = ["GRANTS_MODELS", "build_grants_model", "pointwise_log_likelihood", "resolve_options"]

GrantsModel = Literal["gender", "gender_discipline", "multilevel"]
#: The grants models of the lecture: total effect, direct effect, pooled discipline effects.
GRANTS_MODELS: tuple[str, ...] = ("gender", "gender_discipline", "multilevel")

_HYPER: dict[str, tuple[str, ...]] = {
    "gender": ("alpha", "gender_gap"),
    "gender_discipline": ("alpha", "direct_effect", "gender_gap"),
    "multilevel": ("tau", "alpha", "direct_effect", "gender_gap"),
}


def resolve_options(model: str, **options: str | None) -> dict[str, str | None]:
    """Check the builder's options: the grants models have none (one binomial per row).

    Examples
    --------
    >>> resolve_options("gender")
    {'parameterization': None, 'likelihood': 'pointwise'}
    """
    check_choice("grants model", model, GRANTS_MODELS)
    given = [name for name, value in options.items() if value is not None]
    if given:
        raise TeachkitError(
            f"the grants models take no option {', '.join(given)} (it applies to ozone models)"
        )
    return {"parameterization": None, "likelihood": "pointwise"}


def build_grants_model(data: pd.DataFrame, model: GrantsModel = "gender_discipline") -> BuiltModel:
    """Build one of the lecture's grants models as a PyMC model.

    Parameters
    ----------
    data : DataFrame
        ``discipline``, ``gender`` (f/m), ``applications``, ``awards``: the NWO table
        (:func:`teachkit.datasets.load_nwo_grants`) or a simulated one.
    model : {"gender", "gender_discipline", "multilevel"}

    Returns
    -------
    BuiltModel
        ``.model`` has coords ``gender`` (f, m), ``discipline`` (in the data's order) and
        ``obs`` (rows); variables ``alpha`` (dim gender), ``beta`` (dim discipline) where
        the model has it, ``tau`` for the multilevel model, the observed ``awards``,
        ``direct_effect`` and ``gender_gap``.

    Examples
    --------
    >>> from teachkit.datasets import load_nwo_grants
    >>> built = build_grants_model(load_nwo_grants(), "multilevel")
    >>> [v.name for v in built.model.free_RVs]
    ['alpha', 'tau', 'beta']
    """
    import pymc as pm

    resolve_options(model)
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
            pm.Deterministic("direct_effect", alpha[1] - alpha[0])
            gap = pm.math.invlogit(alpha[1] + beta) - pm.math.invlogit(alpha[0] + beta)
            pm.Deterministic("gender_gap", (w * gap).sum())

    spec = ModelSpec(
        case="grants",
        name=model,
        parameterization=None,
        likelihood="pointwise",
        n_obs=len(frame),
        observed={"awards": awards},
        constant={"gender_index": gender_idx, "discipline_index": disc_idx, "applications": apps},
        parameters=_HYPER[model] + (() if model == "gender" else ("beta",)),
        hyperparameters=_HYPER[model],
        structure=("grants", model, len(frame), len(disciplines)),
        data_hash=data_fingerprint(frame, MODEL_COLUMNS),
    )
    return BuiltModel(m, spec)


def pointwise_log_likelihood(idata: az.InferenceData) -> xr.Dataset:
    """Pointwise log Binomial(awards_i | applications_i, p_i) for every draw and row.

    Reads the posterior, the awards (``observed_data``) and the gender and discipline indices
    and applications (``constant_data``) of a fit. Uses log p = log_expit(logit p) and
    log(1 - p) = log_expit(-logit p), exact for any logit.
    """
    posterior = idata.posterior
    awards = idata.observed_data["awards"].to_numpy()
    apps = idata.constant_data["applications"].to_numpy()
    gender = idata.constant_data["gender_index"].to_numpy()
    discipline = idata.constant_data["discipline_index"].to_numpy()
    logit_p: Any = posterior["alpha"].to_numpy()[..., gender]
    if "beta" in posterior:
        logit_p = logit_p + posterior["beta"].to_numpy()[..., discipline]
    log_choose = gammaln(apps + 1) - gammaln(awards + 1) - gammaln(apps - awards + 1)
    ll = log_choose + awards * log_expit(logit_p) + (apps - awards) * log_expit(-logit_p)
    return pointwise_dataset({"awards": ll}, posterior)
