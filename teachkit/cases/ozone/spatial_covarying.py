r"""The covarying model whose stations are also correlated by distance: ``spatial_covarying``.

Each station's line :math:`(\alpha_j, \beta_j)` varies around the population's
:math:`\mu = (\mu_\alpha, \mu_\beta)` as in the covarying model, and nearby stations' lines
vary together. With the :math:`12 \times 2` matrix :math:`A` of the stations' lines,

.. math::

    \operatorname{vec}(A - \mathbf 1 \mu^\top) \sim
        \mathrm{MVNormal}\big(0,\; \Sigma \otimes C_\ell\big), \qquad
    \Sigma = \mathrm{diag}(\sigma_\alpha, \sigma_\beta)\, R\,
        \mathrm{diag}(\sigma_\alpha, \sigma_\beta), \quad R \sim \mathrm{LKJ}(2),

    C_\ell = (1 - \nu)\, \exp\!\big(-D^2 / (2 \ell^2)\big) + \nu I,

a matrix normal :math:`A \sim \mathcal{MN}(\mathbf 1 \mu^\top, C_\ell, \Sigma)` (Dawid 1981,
"Some matrix-variate distribution theory", Biometrika 68(1)): every station's line has the
covariance :math:`\Sigma` (:math:`C_\ell` has a unit diagonal), so :math:`\sigma_\alpha,
\sigma_\beta, \rho` keep their meaning from the covarying model, and two stations :math:`d`
km apart have lines correlated by :math:`C_\ell(d)` in each coordinate. As
:math:`\ell \to 0`, :math:`C_\ell \to I` and the model is the covarying model. The nugget
:math:`\nu` = :data:`NUGGET` is fixed: no two monitoring stations measure the same air
(instruments, streets and heights differ), so even two stations at one place have lines
correlated by at most :math:`1 - \nu`; it also keeps :math:`C_\ell`'s smallest eigenvalue at
least :math:`\nu`, so its Cholesky factor needs no jitter. Priors as the covarying model's
(:math:`\mu_\alpha \sim N(0, 2)`, :math:`\mu_\beta \sim N(0, 0.1)`, HalfCauchy(1) sds,
LKJ(2)) and :math:`\ell` as ``spatial_intercepts``'.

**Kronecker structure.** The log density never forms the :math:`24 \times 24` covariance:
with :math:`L_C L_C^\top = C_\ell`, :math:`L_\Sigma L_\Sigma^\top = \Sigma` and
:math:`E = A - \mathbf 1 \mu^\top`,

.. math::

    \log p(A) = -\tfrac12 \big\lVert L_C^{-1} E L_\Sigma^{-\top} \big\rVert_F^2
        - 2 \textstyle\sum_j \log (L_C)_{jj} - 12 \sum_k \log (L_\Sigma)_{kk} - 12 \log 2\pi

(:math:`|\Sigma \otimes C| = |\Sigma|^{12} |C|^2`; Magnus and Neudecker 2019, *Matrix
Differential Calculus*, ch. 2), a :math:`12 \times 12` Cholesky factor and two triangular
solves per gradient. A test checks it against PyMC's ``MvNormal`` with the dense Kronecker
covariance.

**Parameterisation.** ``"centered"`` (default) samples each station's line at its own mean
temperature, :math:`\alpha^c_j = \alpha_j + \beta_j \bar T_j`, and
:math:`\mu^c_\alpha = \mu_\alpha + \mu_\beta \bar T`, as the covarying model's default does:
a shear of unit Jacobian, with the matrix-normal density evaluated at the sheared-back
:math:`A`, so the posterior is exactly the one above; with about 1,400 days per station the
data pin every line, where centring is the form that mixes (:mod:`teachkit.cases.grouped.advice`).
``"noncentered"``: :math:`A = \mathbf 1 \mu^\top + L_C Z L_\Sigma^\top`, :math:`Z` standard
normal. With the pointwise likelihood (the form PyMC draws rows from: calibration's generative
model) ``"centered"`` is written with PyMC's ``MvNormal`` on :math:`\operatorname{vec}(A)`
and the dense Kronecker covariance, a form meant for drawing, not for sampling 17,000 rows.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from teachkit.cases.grouped.covariance_prior import covarying_effects_prior
from teachkit.cases.grouped.statistics import group_statistics, normal_loglik_from_statistics
from teachkit.cases.ozone.models import (
    ALPHA_PRIOR_SD,
    BETA_PRIOR_SD,
    LIKELIHOODS,
    LKJ_ETA,
    SPELLINGS,
    ozone_arrays,
    ozone_spec,
)
from teachkit.cases.ozone.spatial import ELL_PRIOR, spatial_fingerprint, station_coordinates
from teachkit.kernels import great_circle_km
from teachkit.models.entry import ModelEntry, resolve_model_options
from teachkit.models.spec import BuiltModel

__all__ = [
    "NUGGET",
    "SPATIAL_COVARYING",
    "SPATIAL_COVARYING_PARAMETERIZATIONS",
    "build_spatial_covarying",
    "kronecker_mvn_logp",
]

#: Share of each station's deviation that is its own, whatever the distance (see the module
#: docstring): two stations at one place have lines correlated by at most 0.9.
NUGGET = 0.1
#: Parameterisations, the default first.
SPATIAL_COVARYING_PARAMETERIZATIONS: tuple[str, ...] = ("centered", "noncentered")


def kronecker_mvn_logp(deviations: Any, chol_c: Any, chol_s: Any, *, pt: Any) -> Any:
    r"""Log density of :math:`\operatorname{vec} E \sim \mathrm{MVNormal}(0, \Sigma \otimes C)`.

    From the Cholesky factors, never forming the Kronecker product (module docstring).
    ``deviations`` is :math:`E` (n x p), ``chol_c`` (n x n) and ``chol_s`` (p x p) lower
    triangular; ``pt`` is ``pytensor.tensor`` (or a namespace with ``linalg.solve_triangular``,
    ``log``, ``diagonal``, ``sum``).
    """
    n, p = deviations.shape[0], deviations.shape[1]
    w = pt.linalg.solve_triangular(chol_c, deviations, lower=True)
    v = pt.linalg.solve_triangular(chol_s, w.T, lower=True)
    log_det = p * pt.sum(pt.log(pt.diagonal(chol_c))) + n * pt.sum(pt.log(pt.diagonal(chol_s)))
    return -0.5 * pt.sum(v**2) - log_det - 0.5 * n * p * np.log(2 * np.pi)


def build_spatial_covarying(
    data: pd.DataFrame,
    model: str = "spatial_covarying",
    *,
    parameterization: str | None = None,
    likelihood: str | None = None,
) -> BuiltModel:
    """Build ``spatial_covarying`` (see the module docstring) as a PyMC model.

    Parameters
    ----------
    data : DataFrame
        ``station_id``, ``TEMP``, ``log_ozone`` and the stations' coordinates (``latitude``
        and ``longitude`` columns, or Beijing station names in ``station``).
    model : {"spatial_covarying"}
    parameterization : {"centered", "noncentered"}, optional
    likelihood : {"sufficient", "pointwise"}, optional

    Returns
    -------
    BuiltModel
        Canonical variables ``mu_alpha``, ``mu_beta``, ``sigma_alpha``, ``sigma_beta``,
        ``rho``, ``ell`` (km), ``sigma``, and ``alpha``, ``beta`` (dim ``station``).
    """
    import pymc as pm
    import pytensor.tensor as pt

    options = resolve_model_options(
        SPATIAL_COVARYING,
        {"parameterization": parameterization, "likelihood": likelihood},
        case="ozone",
        spellings=SPELLINGS,
    )
    stations, index, temp, outcome = ozone_arrays(data)
    lat, lon = station_coordinates(data, stations)
    distance = great_circle_km(lat, lon)
    n_stations, n_obs = len(stations), len(outcome)
    stats = group_statistics(index, temp, outcome, n_stations)
    pointwise = options["likelihood"] == "pointwise"
    centered = options["parameterization"] == "centered"

    coords: dict[str, Any] = {
        "station": stations.tolist(),
        "station_to": stations.tolist(),
        "effect": ["alpha", "beta"],
    }
    if pointwise:
        coords["obs"] = np.arange(n_obs)
    with pm.Model(coords=coords) as m:
        d = pm.Data("distance_km", distance, dims=("station", "station_to"))
        temp_mean = pm.Data("temp_mean", float(np.mean(temp)))
        if pointwise:
            station_temp = pm.Data("station_temp_mean", stats.x_mean, dims="station")
        else:
            shared = {k: pm.Data(k, v, dims="station") for k, v in stats.as_dict().items()}
            station_temp = shared["stat_x_mean"]

        mu_beta = pm.Normal("mu_beta", 0.0, BETA_PRIOR_SD)
        # mu_alpha ~ Normal(0, 2), sampled as mu_alpha_c = mu_alpha + mu_beta * Tbar
        mu_c = pm.Normal("mu_alpha_c", mu_beta * temp_mean, ALPHA_PRIOR_SD)
        mu_alpha = pm.Deterministic("mu_alpha", mu_c - mu_beta * temp_mean)
        chol_s = covarying_effects_prior(pm, pt, eta=LKJ_ETA)
        ell = pm.InverseGamma("ell", alpha=ELL_PRIOR[0], beta=ELL_PRIOR[1])
        corr = (1.0 - NUGGET) * pt.exp(-0.5 * (d / ell) ** 2) + NUGGET * pt.eye(n_stations)
        chol_c = pt.linalg.cholesky(corr)
        mu = pt.stack([mu_alpha, mu_beta])
        if centered and pointwise:
            cov = pt.linalg.kron(chol_s @ chol_s.T, corr)
            vec = pm.MvNormal("alpha_beta_vec", mu=pt.repeat(mu, n_stations), cov=cov)
            alpha, beta = vec[:n_stations], vec[n_stations:]
        elif centered:
            alpha_c = pm.Flat("alpha_c", dims="station")
            beta = pm.Flat("beta_j", dims="station")
            alpha = alpha_c - beta * station_temp
            deviations = pt.stack([alpha - mu_alpha, beta - mu_beta], axis=1)
            prior = kronecker_mvn_logp(deviations, chol_c, chol_s, pt=pt)
            pm.Potential("station_lines_prior", prior)
        else:
            z = pm.Normal("z", 0.0, 1.0, dims=("station", "effect"))
            lines = mu + chol_c @ z @ chol_s.T
            alpha, beta = lines[:, 0], lines[:, 1]
        alpha = pm.Deterministic("alpha", alpha, dims="station")
        beta = pm.Deterministic("beta", beta, dims="station")
        sigma = pm.HalfCauchy("sigma", beta=1.0)
        if pointwise:
            idx = pm.Data("station_index", index, dims="obs")
            t = pm.Data("temp", temp, dims="obs")
            y = pm.Data("log_ozone_observed", outcome, dims="obs")
            mean = alpha[idx] + beta[idx] * t
            pm.Normal("log_ozone", mu=mean, sigma=sigma, observed=y, dims="obs")
        else:
            pm.Potential(
                "log_ozone_loglik",
                normal_loglik_from_statistics(shared, alpha, beta, sigma, log=pt.log),
            )

    spec = ozone_spec(
        SPATIAL_COVARYING,
        options,
        outcome=outcome,
        index=index,
        temp=temp,
        n_stations=n_stations,
        data_hash=spatial_fingerprint(data),
    )
    return BuiltModel(m, spec)


#: The record of ``spatial_covarying``; ``planted`` are the settings of
#: :func:`~teachkit.cases.ozone.simulate.simulate_spatial_ozone` it is true for.
SPATIAL_COVARYING = ModelEntry(
    name="spatial_covarying",
    description="each station's (intercept, slope) covarying, and correlated by distance",
    build=functools.partial(build_spatial_covarying, model="spatial_covarying"),
    options={
        "parameterization": SPATIAL_COVARYING_PARAMETERIZATIONS,
        "likelihood": LIKELIHOODS,
    },
    hyperparameters=("mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "rho", "ell", "sigma"),
    group_parameters=("alpha", "beta"),
    planted={"sigma_alpha": 0.2, "sigma_beta": 0.006, "rho": -0.9, "ell": 20.0},
)
