r"""The lecture's grants models: awards ~ Binomial(applications, p) by gender and discipline.

* ``gender``: :math:`\operatorname{logit} p = \alpha[\mathrm{gender}]`;
  :math:`\alpha \sim \mathrm{Normal}(0, 2)`. Its gender gap is the *total* effect of gender on
  the award rate (directly and through the choice of discipline).
* ``gender_discipline``:
  :math:`\operatorname{logit} p = \alpha[\mathrm{gender}] + \beta[\mathrm{discipline}]`;
  :math:`\alpha \sim \mathrm{Normal}(0, 2)`, :math:`\beta \sim \mathrm{Normal}(0, 1)`.
  Conditioning on discipline leaves the *direct* effect.
* ``multilevel``: as above with :math:`\beta \sim \mathrm{Normal}(0, \tau)`,
  :math:`\tau \sim \mathrm{HalfCauchy}(5)` (partial pooling of disciplines).

The discipline models also carry ``direct_effect`` = :math:`\alpha[m] - \alpha[f]`, the log-odds
of an award, men against women, within a discipline. Every model carries the derived
``gender_gap``: the posterior of the award probability of men minus that of women, averaged
over the data's applications. For the gender model that is
:math:`\operatorname{logistic}(\alpha[m]) - \operatorname{logistic}(\alpha[f])`; for the
discipline models it is

.. math::

    \frac{\sum_d n_d \, (p[m, d] - p[f, d])}{\sum_d n_d}

with :math:`n_d` the applications in discipline :math:`d`.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.special import gammaln, log_expit

from teachkit.cases.grants.data import MODEL_COLUMNS, check_grants_frame
from teachkit.cases.grants.truth import direct_truth, multilevel_truth, total_truth
from teachkit.checks import check_choice
from teachkit.models.entry import ModelEntry
from teachkit.models.spec import BuiltModel, ModelSpec, data_fingerprint, pointwise_dataset

if TYPE_CHECKING:
    import arviz as az
    import xarray as xr

__all__ = [
    "GRANTS_MODELS",
    "MODELS",
    "build_grants_model",
    "model_entry",
    "pointwise_log_likelihood",
]


def build_grants_model(data: pd.DataFrame, model: str = "gender_discipline") -> BuiltModel:
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

    entry = model_entry(model)
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
        if "beta" not in entry.group_parameters:
            pm.Binomial("awards", n=n, logit_p=alpha[g], observed=y, dims="obs")
            p = pm.math.invlogit(alpha)
            pm.Deterministic("gender_gap", p[1] - p[0])
        else:
            if "tau" in entry.hyperparameters:  # partial pooling of the disciplines
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
        options={},
        n_obs=len(frame),
        observed={"awards": awards},
        constant={"gender_index": gender_idx, "discipline_index": disc_idx, "applications": apps},
        parameters=entry.parameters,
        hyperparameters=entry.hyperparameters,
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


def _entry(
    name: str, description: str, hyperparameters: tuple[str, ...], **fields: Any
) -> ModelEntry:
    """The record of one grants model; its builder is :func:`build_grants_model`."""
    return ModelEntry(
        name=name,
        description=description,
        build=functools.partial(build_grants_model, model=name),
        hyperparameters=hyperparameters,
        **fields,
    )


#: The grants models of the lecture: total effect, direct effect, pooled discipline effects.
#: The simulator's defaults suit every one; each says how to read its planted values.
#: (Laid out by hand, one record per block, so the three read as a table.)
MODELS: tuple[ModelEntry, ...] = (
    _entry("gender", "award rate by gender: the total gap", ("alpha", "gender_gap"),
           truth=total_truth),
    _entry("gender_discipline", "gender and discipline: the direct gap",
           ("alpha", "direct_effect", "gender_gap"), group_parameters=("beta",),
           truth=direct_truth),
    _entry("multilevel", "disciplines partially pooled (tau)",
           ("tau", "alpha", "direct_effect", "gender_gap"), group_parameters=("beta",),
           truth=multilevel_truth),
)  # fmt: skip
#: The grants models' names, in the lecture's order.
GRANTS_MODELS: tuple[str, ...] = tuple(e.name for e in MODELS)


def model_entry(model: str) -> ModelEntry:
    """The record of the grants model called ``model`` (one-line error naming them if unknown)."""
    by_name = {e.name: e for e in MODELS}
    check_choice("grants model", model, by_name)
    return by_name[model]
