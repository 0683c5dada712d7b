r"""The lecture's four line models for any grouped table: an outcome, one predictor, groups.

Every model has

.. math::

    y_i \sim \mathrm{Normal}(\alpha_j + \beta_j \, x_i, \sigma)

with :math:`j` the group of row :math:`i`; they differ in how :math:`(\alpha_j, \beta_j)` vary:

* ``pooled``: one line, :math:`\alpha`, :math:`\beta`.
* ``varying_intercepts``: :math:`\alpha_j \sim \mathrm{Normal}(\mu_\alpha, \sigma_\alpha)`, one
  :math:`\beta`.
* ``varying_slopes``: also :math:`\beta_j \sim \mathrm{Normal}(\mu_\beta, \sigma_\beta)`,
  independent of :math:`\alpha_j`.
* ``covarying``:
  :math:`(\alpha_j, \beta_j) \sim \mathrm{MVNormal}((\mu_\alpha, \mu_\beta), \Sigma)`,
  :math:`\Sigma = \operatorname{diag}(\sigma_\alpha, \sigma_\beta) \, R \,
  \operatorname{diag}(\sigma_\alpha, \sigma_\beta)`, :math:`R \sim \mathrm{LKJ}(\eta)`;
  ``rho`` = :math:`R_{01}`.

The priors are a :class:`~teachkit.cases.grouped.priors.LinePriors` (the lecture's for the
Beijing ozone case, scaled to the data for a user's table); where a table's columns are and
what the model's variables and dimension are called is a :class:`Layout`. The ozone case is
this family with Beijing's columns and the lecture's priors
(:mod:`teachkit.cases.ozone.models`); the grouped case with the user's
(:mod:`teachkit.cases.grouped`).

Three codings of the hierarchical group effects, chosen by ``parameterization``, all of the
same model: ``"shifted"`` (default) draws them centred but samples each group's intercept at
its own mean of x and :math:`\mu_\alpha` at the overall one (shifts of unit Jacobian; with
many rows per group and x far from 0, :math:`\alpha_j` at x = 0 and :math:`\beta_j` correlate
near -1 in the posterior, the shifted intercepts hardly at all), and the covarying model's
covariance as a regression of intercepts on slopes (:func:`_shifted_covarying_effects`);
``"noncentered"`` writes :math:`(\alpha, \beta)_j = \mu + L z_j` with
:math:`z_j \sim \mathrm{Normal}(0, I)` (:math:`L = \operatorname{diag}(\sigma)` for
independent effects, the Cholesky factor of :math:`\Sigma` for the covarying model), as the
slides do second; ``"centered"`` draws them directly, as the slides do first. Measured on the
Beijing data (4 x 1000 draws, seeds 1-5), the covarying model's smallest bulk ESS of
:math:`\mu_\alpha` rose from about 450 (non-centred, R-hat 1.015) to over 2000 (R-hat below
1.003), and each fit takes fewer gradient evaluations per draw (about 15 against 37).

Two codings of the same models, chosen by ``likelihood``:

* ``"pointwise"``, the slides' form: the slides' code line for line, one
  ``pm.Normal(..., observed=y)`` term per row and, for the covarying model,
  ``pm.LKJCholeskyCov``.
* ``"sufficient"`` (default), teachkit's form, coded for speed: the likelihood from six
  per-group statistics (:func:`~teachkit.cases.grouped.statistics.normal_loglik_from_statistics`)
  at a cost independent of the number of rows, and the covarying prior written out for two
  dimensions (:mod:`~teachkit.cases.grouped.covariance_prior`). A test checks the two codings
  give the same log density at random points (up to PyMC's LKJ normalising constant).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from teachkit.cases.grouped.covariance_prior import (
    covarying_effects_prior,
    log_diagonal_transform,
    regression_cov_logp,
)
from teachkit.cases.grouped.priors import LinePriors
from teachkit.cases.grouped.statistics import group_statistics, normal_loglik_from_statistics
from teachkit.errors import TeachkitError
from teachkit.models.entry import ModelEntry
from teachkit.models.spec import BuiltModel, ModelSpec, data_fingerprint, pointwise_dataset

if TYPE_CHECKING:
    import arviz as az
    import xarray as xr

__all__ = [
    "LIKELIHOODS",
    "LINE_MODELS",
    "PARAMETERIZATIONS",
    "SPELLINGS",
    "Layout",
    "build_lines_model",
    "line_arrays",
    "line_model_entries",
    "line_spec",
    "no_pooling_estimates",
    "pointwise_log_likelihood",
]

#: How hierarchical group effects are written, the default first: "shifted" samples each
#: group's intercept at its own mean of x (see :func:`_shifted_covarying_effects`),
#: "noncentered" as mu + L z, "centered" as the slides first write them.
PARAMETERIZATIONS: tuple[str, ...] = ("shifted", "noncentered", "centered")
#: British and hyphenated spellings a lecturer may type, and the names they stand for.
SPELLINGS: dict[str, str] = {
    "centred": "centered",
    "non-centred": "noncentered",
    "non-centered": "noncentered",
    "noncentred": "noncentered",
}
LIKELIHOODS: tuple[str, ...] = ("sufficient", "pointwise")
#: The four models, simplest first.
LINE_MODELS: tuple[str, ...] = ("pooled", "varying_intercepts", "varying_slopes", "covarying")
_LOG_2PI = float(np.log(2 * np.pi))


@dataclass(frozen=True)
class Layout:
    """Where a case's table keeps y, x and the groups, and what its models call them.

    Attributes
    ----------
    case : str
        The case's name (in every model's spec and compiled-model structure).
    y, x, group : str
        The table's columns: outcome, predictor, group (whole numbers or labels).
    dim : str
        The models' group dimension (``alpha[j]`` has dims ``(dim,)``).
    outcome : str
        The observed variable's name (in ``observed_data`` and the pointwise likelihood).
    x_data, x_constant, index : str
        The pointwise model's data container of x; the names of x and of each row's group
        position in a fit's ``constant_data``.
    noun : str
        What a group is, for messages ("station", "group").
    whole_number_groups : bool
        Whether the group column must hold whole numbers >= 0 (ids) rather than any labels.
    """

    case: str
    y: str
    x: str
    group: str
    dim: str
    outcome: str
    x_data: str
    x_constant: str
    index: str
    noun: str = "group"
    whole_number_groups: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the models read (group, x, y)."""
        return (self.group, self.x, self.y)


def line_arrays(
    data: pd.DataFrame, layout: Layout
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Check a table for the models and return (groups, index, x, y).

    Returns
    -------
    groups : ndarray of shape (n_groups,)
        The sorted distinct values of the group column (the group dimension's coordinate).
    index : ndarray of int, shape (n_obs,)
        Position of each row's group in ``groups``.
    x, y : ndarray of shape (n_obs,)

    Raises
    ------
    TeachkitError
        One line for a missing column, non-numeric values or missing (NaN) values.
    """
    missing = [c for c in layout.columns if c not in data.columns]
    if missing:
        raise TeachkitError(
            f"data lacks column(s) {', '.join(missing)}; the {layout.case} models need "
            f"{', '.join(layout.columns)}"
        )
    if len(data) == 0:
        raise TeachkitError("data has no rows")
    numeric = (layout.x, layout.y, *((layout.group,) if layout.whole_number_groups else ()))
    for col in numeric:
        if not pd.api.types.is_numeric_dtype(data[col]):
            raise TeachkitError(f"column {col} must hold numbers")
        n_infinite = int(np.isinf(data[col].to_numpy(dtype=float)).sum())
        if n_infinite:
            raise TeachkitError(
                f"{col} has {n_infinite} infinite values; every value must be finite"
            )
    for col in layout.columns:
        n_missing = int(data[col].isna().sum())
        if n_missing:
            raise TeachkitError(
                f"{col} has {n_missing} missing (NaN) values; drop those rows first"
            )
    ids = data[layout.group].to_numpy()
    if layout.whole_number_groups:
        if np.any(ids != np.round(ids)) or np.any(ids < 0):
            raise TeachkitError(f"{layout.group} must hold whole numbers >= 0")
        ids = ids.astype(int)
    groups = np.unique(ids)
    index = np.searchsorted(groups, ids)
    return (
        groups,
        index,
        data[layout.x].to_numpy(dtype=float),
        data[layout.y].to_numpy(dtype=float),
    )


def build_lines_model(
    data: pd.DataFrame,
    model: str,
    *,
    layout: Layout,
    priors: LinePriors,
    parameterization: str | None = None,
    likelihood: str,
    x_center: float | None = None,
) -> BuiltModel:
    """Build one of the four line models as a PyMC model.

    Parameters
    ----------
    data : DataFrame
        With the layout's group, x and y columns (no missing values).
    model : {"pooled", "varying_intercepts", "varying_slopes", "covarying"}
    layout : Layout
    priors : LinePriors
    parameterization : {"shifted", "noncentered", "centered"}, optional
        How hierarchical group effects are written (resolved by the case; the pooled model
        has none).
    likelihood : {"sufficient", "pointwise"}
        teachkit's form or the slides' form (see the module docstring).
    x_center : float, optional
        The mean of x that the case subtracted from the table's x: the model then also
        reports the intercepts at the original x = 0 (``alpha_at_x0``, ``mu_alpha_at_x0``).

    Returns
    -------
    BuiltModel
        ``.model`` has coords ``layout.dim`` (the groups) and, for the covarying model,
        ``effect`` (alpha, beta). Canonical variables: ``alpha``, ``beta``, ``sigma`` and the
        model's hyperparameters.
    """
    import pymc as pm
    import pytensor.tensor as pt

    groups, index, x, y = line_arrays(data, layout)
    n_groups, n_obs = len(groups), len(y)
    dim = layout.dim
    pointwise = likelihood == "pointwise"
    coords: dict[str, Any] = {dim: groups.tolist()}
    if pointwise:
        coords["obs"] = np.arange(n_obs)
    shifted = parameterization == "shifted"
    varying = _VARYING[model]

    with pm.Model(coords=coords) as m:
        shared = {}
        if not pointwise or shifted:
            # data containers, so a compiled model reused with new data sees the new statistics
            stats = group_statistics(index, x, y, n_groups).as_dict()
            shared = {name: pm.Data(name, value, dims=dim) for name, value in stats.items()}
        if shifted:
            alpha, beta = _SHIFTED[model](pm, pt, _x_means(shared), priors, dim)
        else:
            alpha, beta = _EFFECTS[model](
                pm, pt, priors, dim, centered=parameterization == "centered", slides=pointwise
            )
        sigma = priors.sigma.variable(pm, "sigma")
        if not pointwise:
            pm.Potential(
                f"{layout.outcome}_loglik",
                normal_loglik_from_statistics(shared, alpha, beta, sigma, log=pt.log),
            )
        else:
            idx = pm.Data(layout.index, index, dims="obs")
            t = pm.Data(layout.x_data, x, dims="obs")
            # a data container, so a compiled model reused with new data sees the new outcomes
            observed = pm.Data(f"{layout.outcome}_observed", y, dims="obs")
            a = alpha[idx] if "alpha" in varying else alpha
            b = beta[idx] if "beta" in varying else beta
            pm.Normal(layout.outcome, mu=a + b * t, sigma=sigma, observed=observed, dims="obs")
        if x_center is not None:
            _intercepts_at_x0(pm, model, alpha, beta, x_center, dim)

    spec = line_spec(
        layout,
        model,
        {"likelihood": likelihood}
        if parameterization is None
        else {"parameterization": parameterization, "likelihood": likelihood},
        parameters=_HYPERPARAMETERS[model] + varying + _at_x0(model, x_center),
        hyperparameters=_HYPERPARAMETERS[model],
        outcome=y,
        index=index,
        x=x,
        n_groups=n_groups,
        data_hash=data_fingerprint(data, layout.columns),
    )
    # the priors and x's centre are constants of the compiled code: a compiled model is reused
    # only for the same ones (teachkit.compiled keys compiled models by structure)
    folded = (json.dumps(priors.as_dict(), sort_keys=True), x_center)
    return BuiltModel(m, replace(spec, structure=(*spec.structure, folded)))


def line_spec(
    layout: Layout,
    model: str,
    options: Mapping[str, str],
    *,
    parameters: tuple[str, ...],
    hyperparameters: tuple[str, ...],
    outcome: np.ndarray,
    index: np.ndarray,
    x: np.ndarray,
    n_groups: int,
    data_hash: str,
) -> ModelSpec:
    """The :class:`ModelSpec` of a line model built on the given rows (every builder's)."""
    pointwise = options["likelihood"] == "pointwise"
    return ModelSpec(
        case=layout.case,
        name=model,
        options=dict(options),
        n_obs=len(outcome),
        observed={layout.outcome: outcome},
        constant={layout.index: index, layout.x_constant: x},
        parameters=parameters,
        hyperparameters=hyperparameters,
        structure=(
            layout.case,
            model,
            *sorted(options.items()),
            n_groups,
            len(outcome) if pointwise else None,
        ),
        data_hash=data_hash,
    )


def _at_x0(model: str, x_center: float | None) -> tuple[str, ...]:
    """The names of the intercepts at the original x = 0 a centred fit also reports."""
    if x_center is None:
        return ()
    return ("mu_alpha_at_x0", "alpha_at_x0") if "alpha" in _VARYING[model] else ("alpha_at_x0",)


def _intercepts_at_x0(
    pm: Any, model: str, alpha: Any, beta: Any, x_center: float, dim: str
) -> None:
    """Intercepts at the original x = 0 of a model fitted on x centred at ``x_center``."""
    model_vars = pm.modelcontext(None).named_vars
    if "alpha" in _VARYING[model]:
        pm.Deterministic("alpha_at_x0", alpha - beta * x_center, dims=dim)
        slope = model_vars.get("mu_beta", beta)
        pm.Deterministic("mu_alpha_at_x0", model_vars["mu_alpha"] - slope * x_center)
    else:
        pm.Deterministic("alpha_at_x0", alpha - beta * x_center)


def _pooled_effects(
    pm: Any, pt: Any, priors: LinePriors, dim: str, *, centered: bool, slides: bool
) -> tuple[Any, Any]:
    """One line for every group: alpha ~ Normal(intercept prior), beta ~ Normal(slope prior)."""
    return _normal(pm, "alpha", priors.intercept), _normal(pm, "beta", priors.slope)


def _varying_intercepts_effects(
    pm: Any, pt: Any, priors: LinePriors, dim: str, *, centered: bool, slides: bool
) -> tuple[Any, Any]:
    """alpha_j ~ Normal(mu_alpha, sigma_alpha), one common beta."""
    mu_alpha = _normal(pm, "mu_alpha", priors.intercept)
    sigma_alpha = priors.sigma_alpha.variable(pm, "sigma_alpha")
    alpha = _normal_effect(pm, "alpha", mu_alpha, sigma_alpha, centered, dim)
    return alpha, _normal(pm, "beta", priors.slope)


def _varying_slopes_effects(
    pm: Any, pt: Any, priors: LinePriors, dim: str, *, centered: bool, slides: bool
) -> tuple[Any, Any]:
    """alpha_j ~ Normal(mu_alpha, sigma_alpha) and, independently, beta_j ~ Normal(mu_beta, ...)."""
    mu_alpha = _normal(pm, "mu_alpha", priors.intercept)
    sigma_alpha = priors.sigma_alpha.variable(pm, "sigma_alpha")
    alpha = _normal_effect(pm, "alpha", mu_alpha, sigma_alpha, centered, dim)
    mu_beta = _normal(pm, "mu_beta", priors.slope)
    sigma_beta = priors.sigma_beta.variable(pm, "sigma_beta")
    return alpha, _normal_effect(pm, "beta", mu_beta, sigma_beta, centered, dim)


def _covarying_group_effects(
    pm: Any, pt: Any, priors: LinePriors, dim: str, *, centered: bool, slides: bool
) -> tuple[Any, Any]:
    """(alpha_j, beta_j) ~ MVNormal((mu_alpha, mu_beta), Sigma) with an LKJ correlation.

    ``slides`` chooses the slides' coding of the prior (``LKJCholeskyCov``) over teachkit's
    two-dimensional one (see the module docstring).
    """
    pm.modelcontext(None).add_coord("effect", ["alpha", "beta"])
    mu_alpha = _normal(pm, "mu_alpha", priors.intercept)
    mu_beta = _normal(pm, "mu_beta", priors.slope)
    mu = pt.stack([mu_alpha, mu_beta])
    if slides:
        return _covarying_effects_slides(pm, pt, mu, priors, dim, centered)
    return _covarying_effects(pm, pt, mu, priors, dim, centered)


def _slides_sd_dist(pm: Any, priors: LinePriors) -> Any:
    """``LKJCholeskyCov``'s ``sd_dist``: one family for both sds (a one-line error if not)."""
    sd_a, sd_b = priors.sigma_alpha, priors.sigma_beta
    if sd_a.family != sd_b.family:
        raise TeachkitError(
            "the slides' form (likelihood=pointwise) of the covarying model needs sigma_alpha "
            f"and sigma_beta of one prior family, got {sd_a.family} and {sd_b.family}"
        )
    if sd_a.scale == sd_b.scale:
        return sd_a.dist(pm)
    scales = np.array([sd_a.scale, sd_b.scale])
    if sd_a.family == "halfcauchy":
        return pm.HalfCauchy.dist(scales)
    if sd_a.family == "halfnormal":
        return pm.HalfNormal.dist(scales)
    return pm.Exponential.dist(1.0 / scales)


def _covarying_effects_slides(
    pm: Any, pt: Any, mu: Any, priors: LinePriors, dim: str, centered: bool
) -> tuple[Any, Any]:
    """(alpha_j, beta_j) ~ MVNormal(mu, Sigma) with ``LKJCholeskyCov``, as the slides write it."""
    chol, corr, stds = pm.LKJCholeskyCov(
        "chol_cov", n=2, eta=priors.lkj_eta, sd_dist=_slides_sd_dist(pm, priors), compute_corr=True
    )
    pm.Deterministic("sigma_alpha", stds[0])
    pm.Deterministic("sigma_beta", stds[1])
    pm.Deterministic("rho", corr[0, 1])
    if centered:
        effects = pm.MvNormal("alpha_beta", mu=mu, chol=chol, dims=(dim, "effect"))
    else:
        z = pm.Normal("z", 0.0, 1.0, dims=(dim, "effect"))
        effects = pm.Deterministic("alpha_beta", mu + z @ chol.T, dims=(dim, "effect"))
    alpha = pm.Deterministic("alpha", effects[:, 0], dims=dim)
    beta = pm.Deterministic("beta", effects[:, 1], dims=dim)
    return alpha, beta


def _covarying_effects(
    pm: Any, pt: Any, mu: Any, priors: LinePriors, dim: str, centered: bool
) -> tuple[Any, Any]:
    """(alpha_j, beta_j) ~ MVNormal(mu, Sigma), the prior written out for two dimensions.

    Sigma's Cholesky factor is :func:`covarying_effects_prior`'s; the non-centred effects
    mu + L z_j are written component by component.
    """
    lower = covarying_effects_prior(
        pm, pt, sds=(priors.sigma_alpha, priors.sigma_beta), eta=priors.lkj_eta
    )
    l00, l10, l11 = lower[0, 0], lower[1, 0], lower[1, 1]
    if centered:
        effects = pm.MvNormal("alpha_beta", mu=mu, chol=lower, dims=(dim, "effect"))
        alpha, beta = effects[:, 0], effects[:, 1]
    else:
        z = pm.Normal("z", 0.0, 1.0, dims=(dim, "effect"))
        alpha = mu[0] + l00 * z[:, 0]
        beta = mu[1] + l10 * z[:, 0] + l11 * z[:, 1]
    return (
        pm.Deterministic("alpha", alpha, dims=dim),
        pm.Deterministic("beta", beta, dims=dim),
    )


def _normal(pm: Any, name: str, prior: Any) -> Any:
    """A free ``name ~ Normal(prior.mean, prior.sd)``."""
    return pm.Normal(name, prior.mean, prior.sd)


def _normal_effect(pm: Any, name: str, mu: Any, sd: Any, centered: bool, dim: str) -> Any:
    """``name[j] ~ Normal(mu, sd)`` per group, centred or as mu + sd * z_name[j]."""
    if centered:
        return pm.Normal(name, mu, sd, dims=dim)
    z = pm.Normal(f"z_{name}", 0.0, 1.0, dims=dim)
    return pm.Deterministic(name, mu + sd * z, dims=dim)


def pointwise_log_likelihood(idata: az.InferenceData, layout: Layout) -> xr.Dataset:
    """Pointwise log Normal(y_i | alpha_j + beta_j x_i, sigma) for every draw and row.

    Reads the posterior, the outcome (``observed_data``) and the covariates
    (``constant_data``: group index and x) of a fit. The result has chains x draws x rows
    entries (about 0.5 GB for 4000 draws of the 16,966 Beijing rows), so it is filled group by
    group, broadcasting each group's draws over its rows, instead of first gathering alpha and
    beta for every row.
    """
    posterior = idata.posterior
    outcome = idata.observed_data[layout.outcome].to_numpy()
    index = idata.constant_data[layout.index].to_numpy()
    x = idata.constant_data[layout.x_constant].to_numpy()
    sigma = posterior["sigma"].to_numpy()[..., None]
    log_norm = np.log(sigma) + 0.5 * _LOG_2PI
    alpha, beta = posterior["alpha"].to_numpy(), posterior["beta"].to_numpy()
    ll = np.empty((*sigma.shape[:-1], len(outcome)))
    for j in np.unique(index):
        rows = np.flatnonzero(index == j)
        a = alpha[..., j, None] if layout.dim in posterior["alpha"].dims else alpha[..., None]
        b = beta[..., j, None] if layout.dim in posterior["beta"].dims else beta[..., None]
        z = (outcome[rows] - a - b * x[rows]) / sigma
        ll[..., rows] = -0.5 * z * z - log_norm
    return pointwise_dataset({layout.outcome: ll}, posterior)


def no_pooling_estimates(
    data: pd.DataFrame, layout: Layout, common_slope: float | None = None
) -> np.ndarray:
    """Each group's own least-squares line: the estimates with no pooling at all.

    Parameters
    ----------
    data : DataFrame
        With the layout's group, x and y columns.
    layout : Layout
    common_slope : float, optional
        Fit only each group's intercept, given this slope (the no-pooling counterpart of the
        varying-intercepts model).

    Returns
    -------
    ndarray of shape (n_groups, 2)
        (alpha_j, beta_j) in the sorted order of the group column. A group whose x does not
        vary has no slope of its own: NaN (its intercept is its mean y at ``common_slope``
        when given, else NaN too).
    """
    rows = []
    for _, g in data.groupby(layout.group, sort=True):
        x, y = g[layout.x].to_numpy(dtype=float), g[layout.y].to_numpy(dtype=float)
        if common_slope is not None:
            rows.append((float(np.mean(y - common_slope * x)), common_slope))
        elif len(x) > 1 and np.ptp(x) > 0:
            b, a = np.polyfit(x, y, 1)
            rows.append((a, b))
        else:
            rows.append((np.nan, np.nan))
    return np.array(rows, dtype=float)


def _x_means(stats: dict[str, Any]) -> tuple[Any, Any]:
    """The overall mean of x and each group's, from the statistics' containers."""
    n, group_mean = stats["stat_n"], stats["stat_x_mean"]
    return (n * group_mean).sum() / n.sum(), group_mean


def _shifted_mu_alpha(pm: Any, mu_beta: Any, overall: Any, priors: LinePriors) -> Any:
    r"""mu_alpha ~ Normal(m, s) (the intercept prior), sampled at the overall mean of x.

    The free variable is :math:`\mu_{\alpha,c} = \mu_\alpha + \mu_\beta \bar x`, a shift of
    unit Jacobian; as :math:`\mu_\alpha` is independent of :math:`\mu_\beta`,
    :math:`\mu_{\alpha,c} \mid \mu_\beta \sim \mathcal N(m + \mu_\beta \bar x, s)` is exactly
    the prior.
    """
    prior = priors.intercept
    mean = mu_beta * overall if prior.mean == 0.0 else prior.mean + mu_beta * overall
    mu_alpha_c = pm.Normal("mu_alpha_c", mean, prior.sd)
    return pm.Deterministic("mu_alpha", mu_alpha_c - mu_beta * overall)


def _shifted_intercepts(pm: Any, mean: Any, sd: Any, beta: Any, group_x: Any, dim: str) -> Any:
    r"""alpha_j ~ Normal(mean_j, sd), sampled at group j's mean of x, :math:`\bar x_j`.

    The free variable is :math:`\alpha_{c,j} = \alpha_j + \beta_j \bar x_j` (unit Jacobian),
    whose prior given :math:`\beta_j` is :math:`\mathcal N(m_j + \beta_j \bar x_j, s)`. With
    many rows per group the data pin :math:`\alpha_{c,j}` and :math:`\beta_j` almost
    independently, where :math:`\alpha_j` (at x = 0, e.g. 0 deg C, far below most Beijing
    days) and :math:`\beta_j` correlate near -1.
    """
    alpha_c = pm.Normal("alpha_c", mean + beta * group_x, sd, dims=dim)
    return pm.Deterministic("alpha", alpha_c - beta * group_x, dims=dim)


def _shifted_varying_intercepts(
    pm: Any, pt: Any, means: tuple[Any, Any], priors: LinePriors, dim: str
) -> tuple[Any, Any]:
    """Varying intercepts, each sampled at its group's mean of x."""
    overall, group_x = means
    beta = _normal(pm, "beta", priors.slope)
    mu_alpha = _shifted_mu_alpha(pm, beta, overall, priors)
    sigma_alpha = priors.sigma_alpha.variable(pm, "sigma_alpha")
    return _shifted_intercepts(pm, mu_alpha, sigma_alpha, beta, group_x, dim), beta


def _shifted_varying_slopes(
    pm: Any, pt: Any, means: tuple[Any, Any], priors: LinePriors, dim: str
) -> tuple[Any, Any]:
    """Independent varying intercepts and slopes, centred, intercepts shifted."""
    overall, group_x = means
    mu_beta = _normal(pm, "mu_beta", priors.slope)
    mu_alpha = _shifted_mu_alpha(pm, mu_beta, overall, priors)
    sigma_alpha = priors.sigma_alpha.variable(pm, "sigma_alpha")
    sigma_beta = priors.sigma_beta.variable(pm, "sigma_beta")
    beta = pm.Normal("beta", mu_beta, sigma_beta, dims=dim)
    return _shifted_intercepts(pm, mu_alpha, sigma_alpha, beta, group_x, dim), beta


def _shifted_covarying_effects(
    pm: Any, pt: Any, means: tuple[Any, Any], priors: LinePriors, dim: str
) -> tuple[Any, Any]:
    r"""The covarying model's group effects in coordinates the sampler moves through easily.

    The same prior as the lecture's, :math:`(\alpha_j, \beta_j) \sim
    \mathrm{MVN}(\mu, \Sigma)` with the sds' priors and LKJ(:math:`\eta`) on :math:`\rho`,
    written as :math:`\beta_j \sim \mathcal N(\mu_\beta, \sigma_\beta)` and the conditional
    normal of :math:`\alpha_j` given :math:`\beta_j`,

    .. math::

        \alpha_j \mid \beta_j \sim \mathcal N\bigl(\mu_\alpha + k (\beta_j - \mu_\beta),
        c\bigr), \qquad k = \rho \sigma_\alpha / \sigma_\beta, \quad
        c = \sigma_\alpha \sqrt{1 - \rho^2},

    with the intercepts sampled at each group's mean of x (:func:`_shifted_intercepts`) and
    :math:`\mu_\alpha` at the overall one. The covariance is sampled as
    :math:`(\sigma_\beta, k, c)` (logs of the two sds), and its prior is the lecture's mapped
    by the Jacobian :math:`|\partial(\sigma_\alpha, \sigma_\beta, \rho) / \partial(\sigma_\beta,
    k, c)| = \sigma_\beta c / \sigma_\alpha^2`
    (:func:`~teachkit.cases.grouped.covariance_prior.regression_cov_logp`). A test checks that
    the log density equals an independent scipy reference at random points.
    """
    overall, group_x = means
    mu_beta = _normal(pm, "mu_beta", priors.slope)
    mu_alpha = _shifted_mu_alpha(pm, mu_beta, overall, priors)
    sds = (priors.sigma_alpha, priors.sigma_beta)

    def generate(eta: Any, size: Any) -> Any:
        s_a = sds[0].dist(pm, size=size)
        s_b = sds[1].dist(pm, size=size)
        rho = 2.0 * pm.Beta.dist(eta, eta, size=size) - 1.0  # LKJ(eta) in two dimensions
        return pt.stack([s_b, rho * s_a / s_b, s_a * pt.sqrt(1 - rho**2)], axis=-1)

    def logp(value: Any, eta: Any) -> Any:
        return regression_cov_logp(
            value, eta, sds=sds, log=pt.log, log1p=pt.log1p, gammaln=pt.gammaln
        )

    cov = pm.CustomDist(
        "cov_reg",
        priors.lkj_eta,
        dist=generate,
        logp=logp,
        signature="()->(p)",
        transform=log_diagonal_transform(),
    )
    sigma_beta, k, c = cov[0], cov[1], cov[2]
    sigma_alpha = pt.sqrt(c**2 + (k * sigma_beta) ** 2)
    pm.Deterministic("sigma_alpha", sigma_alpha)
    pm.Deterministic("sigma_beta", sigma_beta)
    pm.Deterministic("rho", k * sigma_beta / sigma_alpha)
    beta = pm.Normal("beta", mu_beta, sigma_beta, dims=dim)
    alpha = _shifted_intercepts(pm, mu_alpha + k * (beta - mu_beta), c, beta, group_x, dim)
    return alpha, beta


#: The shifted coding of each hierarchical model (the default ``parameterization``).
_SHIFTED: dict[str, Callable[..., tuple[Any, Any]]] = {
    "varying_intercepts": _shifted_varying_intercepts,
    "varying_slopes": _shifted_varying_slopes,
    "covarying": _shifted_covarying_effects,
}

_EFFECTS: dict[str, Callable[..., tuple[Any, Any]]] = {
    "pooled": _pooled_effects,
    "varying_intercepts": _varying_intercepts_effects,
    "varying_slopes": _varying_slopes_effects,
    "covarying": _covarying_group_effects,
}

#: Which of alpha and beta vary by group in each model.
_VARYING: dict[str, tuple[str, ...]] = {
    "pooled": (),
    "varying_intercepts": ("alpha",),
    "varying_slopes": ("alpha", "beta"),
    "covarying": ("alpha", "beta"),
}

_DESCRIPTIONS = {
    "pooled": "one line for every {noun}",
    "varying_intercepts": "a baseline per {noun}, one common slope",
    "varying_slopes": "a baseline and a slope per {noun}, independent",
    "covarying": "a baseline and a slope per {noun}, correlated (LKJ prior)",
}
_HYPERPARAMETERS = {
    "pooled": ("alpha", "beta", "sigma"),
    "varying_intercepts": ("mu_alpha", "sigma_alpha", "beta", "sigma"),
    "varying_slopes": ("mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "sigma"),
    "covarying": ("mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "rho", "sigma"),
}
_ALIASES: dict[str, dict[str, str]] = {
    "pooled": {"alpha": "mu_alpha", "beta": "mu_beta"},
    "varying_intercepts": {"beta": "mu_beta"},
}


def line_model_entries(
    build: Callable[..., BuiltModel],
    *,
    noun: str,
    planted: Mapping[str, Mapping[str, Any]],
) -> tuple[ModelEntry, ...]:
    """The records of the four models, simplest first.

    Parameters
    ----------
    build : callable
        ``build(data, model=..., parameterization=..., likelihood=...) -> BuiltModel``, the
        case's builder (:func:`build_lines_model` with its layout and priors).
    noun : str
        What a group is, for the descriptions.
    planted : mapping
        Per model, the simulator settings it is the true model for.
    """
    out = []
    for name in LINE_MODELS:
        varying = _VARYING[name]
        options = {"parameterization": PARAMETERIZATIONS} if varying else {}
        out.append(
            ModelEntry(
                name=name,
                description=_DESCRIPTIONS[name].format(noun=noun),
                build=functools.partial(build, model=name),
                hyperparameters=_HYPERPARAMETERS[name],
                group_parameters=varying,
                options={**options, "likelihood": LIKELIHOODS},
                planted=dict(planted.get(name, {})),
                aliases=_ALIASES.get(name, {}),
            )
        )
    return tuple(out)
