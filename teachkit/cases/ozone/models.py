r"""The lecture's ozone models: log max ozone against max temperature at 12 stations.

Every model has

.. math::

    \mathrm{log\_ozone}_i \sim \mathrm{Normal}(\alpha_j + \beta_j \, \mathrm{TEMP}_i, \sigma)

with :math:`\sigma \sim \mathrm{HalfCauchy}(1)` and :math:`j` the station of row :math:`i`; they
differ in how :math:`(\alpha_j, \beta_j)` vary:

* ``pooled``: one line, :math:`\alpha \sim \mathrm{Normal}(0, 2)`,
  :math:`\beta \sim \mathrm{Normal}(0, 0.1)`.
* ``varying_intercepts``: :math:`\alpha_j \sim \mathrm{Normal}(\mu_\alpha, \sigma_\alpha)`, one
  :math:`\beta \sim \mathrm{Normal}(0, 0.1)`, :math:`\mu_\alpha \sim \mathrm{Normal}(0, 2)`,
  :math:`\sigma_\alpha \sim \mathrm{HalfCauchy}(1)`.
* ``varying_slopes``: also :math:`\beta_j \sim \mathrm{Normal}(\mu_\beta, \sigma_\beta)`,
  independent of :math:`\alpha_j`, :math:`\mu_\beta \sim \mathrm{Normal}(0, 0.1)`,
  :math:`\sigma_\beta \sim \mathrm{HalfCauchy}(1)`.
* ``covarying``:
  :math:`(\alpha_j, \beta_j) \sim \mathrm{MVNormal}((\mu_\alpha, \mu_\beta), \Sigma)`,

  .. math::

      \Sigma = \operatorname{diag}(\sigma_\alpha, \sigma_\beta) \, R \,
          \operatorname{diag}(\sigma_\alpha, \sigma_\beta), \quad R \sim \mathrm{LKJ}(2),

  :math:`\sigma_\alpha, \sigma_\beta \sim \mathrm{HalfCauchy}(1)`; ``rho`` = :math:`R_{01}`.

The models themselves are the grouped-lines family's
(:mod:`teachkit.cases.grouped.models`, where the codings are explained and measured): this
module binds them to Beijing's columns (:data:`LAYOUT`) and the lecture's priors
(:data:`LECTURE_PRIORS`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from teachkit.cases.grouped.models import (
    LIKELIHOODS,
    PARAMETERIZATIONS,
    SPELLINGS,
    Layout,
    build_lines_model,
    line_arrays,
    line_model_entries,
    line_spec,
)
from teachkit.cases.grouped.models import no_pooling_estimates as _no_pooling
from teachkit.cases.grouped.models import pointwise_log_likelihood as _pointwise
from teachkit.cases.grouped.priors import LinePriors, NormalPrior, ScalePrior
from teachkit.checks import check_choice
from teachkit.models.entry import ModelEntry, resolve_model_options
from teachkit.models.spec import BuiltModel, ModelSpec

if TYPE_CHECKING:
    import arviz as az
    import xarray as xr

__all__ = [
    "ALPHA_PRIOR_SD",
    "BETA_PRIOR_SD",
    "LAYOUT",
    "LECTURE_PRIORS",
    "LIKELIHOODS",
    "LKJ_ETA",
    "MODELS",
    "OZONE_MODELS",
    "PARAMETERIZATIONS",
    "SPELLINGS",
    "build_ozone_model",
    "no_pooling_estimates",
    "ozone_arrays",
    "ozone_spec",
    "pointwise_log_likelihood",
    "resolve_options",
]

Parameterization = Literal["shifted", "noncentered", "centered"]
Likelihood = Literal["sufficient", "pointwise"]

#: Prior sds of the intercept(s) and the slope(s) (or of their means): alpha ~ N(0, 2),
#: beta ~ N(0, 0.1) in the pooled model, mu_alpha ~ N(0, 2), mu_beta ~ N(0, 0.1) above it.
ALPHA_PRIOR_SD = 2.0
BETA_PRIOR_SD = 0.1
#: Shape of the LKJ prior on the covarying model's correlation matrix, R ~ LKJ(2).
LKJ_ETA = 2.0
#: The lecture's priors: every sd HalfCauchy(1).
LECTURE_PRIORS = LinePriors(
    intercept=NormalPrior(0.0, ALPHA_PRIOR_SD),
    slope=NormalPrior(0.0, BETA_PRIOR_SD),
    sigma=ScalePrior("halfcauchy", 1.0),
    sigma_alpha=ScalePrior("halfcauchy", 1.0),
    sigma_beta=ScalePrior("halfcauchy", 1.0),
    lkj_eta=LKJ_ETA,
    source="lecture",
)
#: Beijing's columns and the names the ozone models give their variables.
LAYOUT = Layout(
    case="ozone",
    y="log_ozone",
    x="TEMP",
    group="station_id",
    dim="station",
    outcome="log_ozone",
    x_data="temp",
    x_constant="TEMP",
    index="station_index",
    noun="station",
    whole_number_groups=True,
)


def ozone_arrays(data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Check an ozone table for the models and return (station ids, index, TEMP, log_ozone).

    See :func:`~teachkit.cases.grouped.models.line_arrays` (with :data:`LAYOUT`).
    """
    return line_arrays(data, LAYOUT)


def resolve_options(model: str, **options: str | None) -> dict[str, str]:
    """Check the builder's options for ``model`` and fill in the defaults.

    The pooled model has no station effects to parameterise, so it takes only
    ``likelihood``; British and hyphenated spellings (``SPELLINGS``) are accepted.

    Examples
    --------
    >>> resolve_options("covarying")
    {'parameterization': 'shifted', 'likelihood': 'sufficient'}
    >>> resolve_options("pooled", likelihood="pointwise")
    {'likelihood': 'pointwise'}
    >>> resolve_options("covarying", parameterization="non-centred")["parameterization"]
    'noncentered'
    """
    return resolve_model_options(model_entry(model), options, case="ozone", spellings=SPELLINGS)


def build_ozone_model(
    data: pd.DataFrame,
    model: str = "covarying",
    *,
    parameterization: Parameterization | None = None,
    likelihood: Likelihood | None = None,
) -> BuiltModel:
    """Build one of the lecture's ozone models as a PyMC model.

    Parameters
    ----------
    data : DataFrame
        With ``station_id``, ``TEMP`` and ``log_ozone`` (no missing values), real
        (:func:`teachkit.datasets.load_beijing_ozone`) or simulated
        (:func:`teachkit.simulate.simulate_ozone`).
    model : {"pooled", "varying_intercepts", "varying_slopes", "covarying"}
    parameterization : {"shifted", "noncentered", "centered"}, optional
        How hierarchical station effects are written (default shifted); the pooled model has
        none.
    likelihood : {"sufficient", "pointwise"}, optional
        teachkit's form (default) or the slides' form; the same model either way.

    Returns
    -------
    BuiltModel
        ``.model`` has coords ``station`` (the station ids) and, for the covarying model,
        ``effect`` (alpha, beta). Canonical variables: ``alpha``, ``beta``, ``sigma`` and the
        model's hyperparameters (``mu_alpha``, ``mu_beta``, ``sigma_alpha``, ``sigma_beta``,
        ``rho``); ``alpha`` and ``beta`` have dim ``station`` when they vary.

    Examples
    --------
    >>> from teachkit.simulate import simulate_ozone
    >>> built = build_ozone_model(simulate_ozone(n_stations=3, n_days=20, rng=0).data)
    >>> set(built.spec.parameters) <= set(built.model.named_vars)
    True
    >>> [v.name for v in built.model.free_RVs]
    ['mu_beta', 'mu_alpha_c', 'cov_reg', 'beta', 'alpha_c', 'sigma']
    """
    options = resolve_options(model, parameterization=parameterization, likelihood=likelihood)
    return build_lines_model(data, model, layout=LAYOUT, priors=LECTURE_PRIORS, **options)


def ozone_spec(
    entry: ModelEntry,
    options: dict[str, str],
    *,
    outcome: np.ndarray,
    index: np.ndarray,
    temp: np.ndarray,
    n_stations: int,
    data_hash: str,
) -> ModelSpec:
    """The :class:`ModelSpec` of an ozone model built on the given rows (the spatial ones')."""
    return line_spec(
        LAYOUT,
        entry.name,
        options,
        parameters=entry.parameters,
        hyperparameters=entry.hyperparameters,
        outcome=outcome,
        index=index,
        x=temp,
        n_groups=n_stations,
        data_hash=data_hash,
    )


def pointwise_log_likelihood(idata: az.InferenceData) -> xr.Dataset:
    """Pointwise log Normal(log_ozone_i | alpha_j + beta_j TEMP_i, sigma) for every draw and row.

    See :func:`~teachkit.cases.grouped.models.pointwise_log_likelihood`.
    """
    return _pointwise(idata, LAYOUT)


def no_pooling_estimates(data: pd.DataFrame, common_slope: float | None = None) -> np.ndarray:
    """Each station's own least-squares line: the estimates with no pooling at all.

    Parameters
    ----------
    data : DataFrame
        An ozone table (``station_id``, ``TEMP``, ``log_ozone``).
    common_slope : float, optional
        Fit only each station's intercept, given this slope.

    Returns
    -------
    ndarray of shape (n_stations, 2)
        (alpha_j, beta_j) in the order of ``station_id``.

    Examples
    --------
    >>> t = np.array([0.0, 1.0, 0.0, 1.0])
    >>> frame = pd.DataFrame({"station_id": [0, 0, 1, 1], "TEMP": t,
    ...                       "log_ozone": [1.0, 3.0, 0.0, 1.0]})
    >>> no_pooling_estimates(frame).round(6).tolist()
    [[1.0, 2.0], [0.0, 1.0]]
    """
    return _no_pooling(data, LAYOUT, common_slope)


#: The ozone models of the lecture, simplest first: one record each, with the simulator
#: settings each is true for (:func:`teachkit.cases.ozone.simulate.simulate_ozone`).
MODELS: tuple[ModelEntry, ...] = line_model_entries(
    build_ozone_model,
    noun="station",
    planted={
        "pooled": {"sds": (0.0, 0.0)},
        "varying_intercepts": {"sds": (0.18, 0.0)},
        "varying_slopes": {"rho": 0.0},
    },
)
#: The ozone models' names, simplest first.
OZONE_MODELS: tuple[str, ...] = tuple(e.name for e in MODELS)


def model_entry(model: str) -> ModelEntry:
    """The record of the ozone model called ``model`` (one-line error naming them if unknown)."""
    by_name = {e.name: e for e in MODELS}
    check_choice("ozone model", model, by_name)
    return by_name[model]
