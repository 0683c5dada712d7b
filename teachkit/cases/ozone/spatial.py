r"""The spatial lecture's ozone models: station baselines correlated by distance.

``spatial_intercepts`` is the varying-intercepts model whose station intercepts are also
correlated by the great-circle distance between the stations:

.. math::

    \mathrm{log\_ozone}_i &\sim \mathrm{Normal}(\alpha_j + \beta \, \mathrm{TEMP}_i, \sigma), \\
    \alpha &= \mu_\alpha + f + e, \quad
    f \sim \mathrm{MVNormal}(0, K), \quad e_j \sim \mathrm{Normal}(0, \sigma_\alpha), \\
    K_{jk} &= \sigma_{gp}^2 \exp\!\left(-\frac{d_{jk}^2}{2 \ell^2}\right),

so :math:`\alpha \sim \mathrm{MVNormal}(\mu_\alpha \mathbf{1}, K + \sigma_\alpha^2 I)`, with
:math:`d_{jk}` the great-circle distance in km between stations :math:`j` and :math:`k`
(:func:`teachkit.kernels.great_circle_km`; McElreath 2020, *Statistical Rethinking*, 2nd ed.,
sec. 14.5.1, whose :math:`\eta^2 \exp(-\rho^2 d^2)` is this kernel with
:math:`\rho^2 = 1 / (2\ell^2)`). The varying-intercepts model is its special case
:math:`\sigma_{gp} = 0`. The kernel matrix is built here from the distance matrix; PyMC's
``pm.gp`` classes take coordinates, and given a distance matrix as inputs they compute a kernel
of its rows instead (see :mod:`teachkit.kernels`).

Priors, the lecture's for what the models share:

* :math:`\mu_\alpha \sim \mathrm{Normal}(0, 2)`, :math:`\beta \sim \mathrm{Normal}(0, 0.1)`,
  :math:`\sigma_\alpha \sim \mathrm{HalfCauchy}(1)`, :math:`\sigma \sim \mathrm{HalfCauchy}(1)`.
* :math:`\sigma_{gp} \sim \mathrm{HalfNormal}(0.5)`: the spatial part of a station's log
  baseline. Its median 0.34 and 95% quantile 0.98 allow baselines from a few percent to a
  factor :math:`e \approx 2.7` around the city's, and exclude the factor of 20 (3 on the log
  scale) that a HalfCauchy(1) still gives 20% of its mass to; the 12 stations' baselines spread
  by about 0.2.
* :math:`\ell \sim \mathrm{InverseGamma}(3.5, 35)` km: median 11 km, 1.2% of its mass below
  the smallest station distance (3.9 km) and 0.8% above the largest (60 km). Below the
  smallest distance no two stations co-vary, so :math:`f` and :math:`e` cannot be told apart;
  above the largest, every station co-varies fully and :math:`f` is one common shift, which is
  :math:`\mu_\alpha`. The data carry no information about :math:`\ell` outside the stations'
  distances, so the prior keeps it where they can; the inverse gamma's light left tail rules
  out the short length-scales that would otherwise let the sampler wander (M. Betancourt 2017,
  "Robust Gaussian processes in Stan", part 3).

The covariance gets a fixed :data:`JITTER` of :math:`10^{-6}` (an sd of 0.001 on the log
scale, a twentieth of the posterior sd of a Beijing station's baseline) on its diagonal, so it
stays positive definite as :math:`\sigma_\alpha \to 0`; it is part of the model, the same in
every form.

**Coordinates in which the sampler moves.** With about 1,400 days per station and
temperatures far from 0, the intercept at 0 deg C is correlated with the slope (at about -0.97
for :math:`\mu_\alpha` and :math:`\beta`). The models sample each station's intercept at its
own mean temperature :math:`\bar T_j` and the mean intercept at the overall mean temperature
:math:`\bar T`,

.. math::

    \alpha^c_j = \alpha_j + \beta \bar T_j, \qquad \mu^c = \mu_\alpha + \beta \bar T,

a shear with unit Jacobian, with the priors written on the mapped values:
:math:`\mu^c \mid \beta \sim \mathrm{Normal}(\beta \bar T, 2)` and, centred,
:math:`\alpha^c \mid \mu^c, \beta \sim \mathrm{MVNormal}(\mu^c + \beta (\bar T_j - \bar T),
K + \sigma_\alpha^2 I)`: the same joint distribution, which PyMC can still draw from (prior
predictive, SBC). ``alpha`` and ``mu_alpha`` are deterministics. ``parameterization``:

* ``"marginal"`` (default): the intercepts are integrated out of the density the sampler
  sees. Given the hyperparameters the station means :math:`\bar y_j` (the sufficient
  statistics) are :math:`\mathrm{MVNormal}(\mu^c + \beta (\bar T_j - \bar T), K +
  (\sigma_\alpha^2 + 10^{-6}) I + \mathrm{diag}(\sigma^2 / n_j))`, a covariance never near
  singular (its diagonal is at least :math:`\sigma^2 / n_j`); the rows' spread within each
  station is the rest of the likelihood. The intercepts are then drawn from their conditional
  normal given the hyperparameters and the data, :math:`\alpha^c = m + L z` with a free
  standard normal ``z_alpha`` (see :func:`_marginal_intercepts`): the density of
  (hyperparameters, ``z_alpha``) is the centred form's joint density times the change of
  variables' Jacobian :math:`|L|`, so the posterior of every parameter, ``alpha`` included,
  is exactly the centred form's. With the pointwise likelihood (the form PyMC draws rows
  from, calibration's generative model) this option builds the centred form.
* ``"centered"``: :math:`\alpha^c` is the free variable. The data pin every
  :math:`\alpha^c_j` (posterior sd about 0.016), which is where centring is best.
* ``"noncentered"``: :math:`f = L z_f` with :math:`L L^\top = K + 10^{-6} I`,
  :math:`e = \sigma_\alpha z_e`, :math:`z_f, z_e \sim \mathrm{Normal}(0, I)`; ``f`` is then a
  deterministic too.

The default was chosen by measurement on the Beijing data (``teachkit fit ozone --model
spatial_intercepts``: nutpie, 4 chains x 1000 draws after 1000 tuning, target acceptance 0.95,
2 cores shared with other jobs). First, seed 0, before nutpie's chains ran with one OpenBLAS
thread each (:mod:`teachkit.samplers`): centred, 3 divergent transitions (at ``sigma_alpha``
below 0.001, where the covariance of the pinned intercepts is nearly singular), max R-hat
1.005, hyperparameters' bulk ESS 907-2088, 62 s sampling; non-centred, 30 divergent
transitions, bulk ESS 363 for ``sigma_alpha``, 685 s sampling. Then, with one OpenBLAS thread
per chain, at load 1-3 (cold: the first fit in a process, compiling included; warm: the
compiled model reused; seeds 0-3 centred and marginal, 1-3 for the MvNormal variant):

=========================  ===========  =========  ==================  ======  =======
form                       divergences  max R-hat  least bulk ESS      cold s  warm s
=========================  ===========  =========  ==================  ======  =======
centred                    0 0 0 0      1.008      1202 1003 808 844   15-17   1.4-1.7
marginal, PyMC's MvNormal  0 0 0        1.006      1040 1249 1150      18-21   1.0-2.3
marginal, slogdet + solve  0 0 0 0      1.007      1223 1024 870 1181  15-22   1.4-1.9
=========================  ===========  =========  ==================  ======  =======

(the least bulk ESS of the six hyperparameters per seed, almost always ``sigma_gp``'s;
about 15 leapfrog steps per draw in every form, since the steps follow the hyperparameters'
posterior, the same in all of them). The three forms' walls are within the shared machine's
noise (a warm fit is about 1.5 s, 120,000 gradients); the marginal form has the most ESS and
its sampled density has no near-singular covariance, where the centred form's divergences
were, so it is the default.

**What 12 stations tell about ell.** Little: on the Beijing data the posterior of
:math:`\ell` (4 chains x 1000 draws, seed 1: mean 13 km, sd 9, median 11, 94% equal-tailed
interval 5.2-31 km, the interval the lecture's slides show; 94% HDI 4.1-25 km) is close to its
prior (mean 14, sd 11, median 11, 94% equal-tailed interval 4.5-39 km), trimmed only in its
upper tail, and :math:`\sigma_{gp}` and :math:`\sigma_\alpha` share the stations' spread with
both 94% HDIs reaching 0 (the spatial share :math:`\sigma_{gp}^2 / (\sigma_{gp}^2 +
\sigma_\alpha^2)` has a 94% interval of 0.02-1.00). Twelve baselines
estimate one spread well and how it splits between near and far stations hardly at all; the
prior of :math:`\ell` matters and is part of the answer.

``likelihood`` is the ozone models' option: per-station sufficient statistics (default) or one
normal term per row, as :mod:`teachkit.cases.ozone.models` codes them. The pointwise
log-likelihood for LOO is that module's
:func:`~teachkit.cases.ozone.models.pointwise_log_likelihood` (it reads ``alpha`` per station
and the common ``beta``).

**Coordinates** reach the builder with the data: a table with ``latitude`` and ``longitude``
columns (one value per station, as :func:`~teachkit.cases.ozone.simulate.simulate_spatial_ozone`
writes them) uses them; otherwise the stations are looked up by name among the shipped Beijing
stations (:func:`~teachkit.cases.ozone.stations.load_beijing_stations`).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from teachkit.cases.grouped.statistics import group_statistics, normal_loglik_from_statistics
from teachkit.cases.ozone.data import MODEL_COLUMNS
from teachkit.cases.ozone.models import (
    ALPHA_PRIOR_SD,
    BETA_PRIOR_SD,
    LIKELIHOODS,
    SPELLINGS,
    ozone_arrays,
    ozone_spec,
)
from teachkit.cases.ozone.simulate import SITE_COLUMNS
from teachkit.cases.ozone.stations import load_beijing_stations
from teachkit.checks import check_choice
from teachkit.errors import TeachkitError
from teachkit.kernels import great_circle_km
from teachkit.models.entry import ModelEntry, resolve_model_options
from teachkit.models.spec import BuiltModel, data_fingerprint

__all__ = [
    "ELL_PRIOR",
    "JITTER",
    "SIGMA_GP_PRIOR_SD",
    "SPATIAL_MODELS",
    "SPATIAL_PARAMETERIZATIONS",
    "build_spatial_model",
    "spatial_fingerprint",
    "station_coordinates",
]

#: Parameterisations of the spatial models, the default (chosen by measurement) first.
SPATIAL_PARAMETERIZATIONS: tuple[str, ...] = ("marginal", "centered", "noncentered")
#: (shape, scale) of the InverseGamma prior on the length-scale ell, in km.
ELL_PRIOR: tuple[float, float] = (3.5, 35.0)
#: Scale of the HalfNormal prior on the GP amplitude sigma_gp.
SIGMA_GP_PRIOR_SD = 0.5
#: Variance added to the diagonal of the stations' covariance matrix (see the module docstring).
JITTER = 1e-6


def station_coordinates(data: pd.DataFrame, stations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude (degrees) of each of ``stations`` (station ids, in model order).

    From the table's ``latitude`` and ``longitude`` columns when it has them (each station's
    rows must agree), else from the shipped Beijing stations, matched by the ``station`` names.

    Raises
    ------
    TeachkitError
        One line: coordinates missing, disagreeing within a station, or stations that are not
        Beijing's in a table without coordinates.

    Examples
    --------
    >>> frame = pd.DataFrame({"station_id": [0, 1], "station": ["Dongsi", "Huairou"]})
    >>> lat, lon = station_coordinates(frame, np.array([0, 1]))
    >>> lat.tolist(), lon.tolist()
    ([39.929, 40.328], [116.417, 116.628])
    """
    have = [c for c in SITE_COLUMNS if c in data.columns]
    if len(have) == 1:
        raise TeachkitError(
            f"data has a {have[0]} column but no {({*SITE_COLUMNS} - {*have}).pop()}; "
            "the spatial models need both or neither"
        )
    if have:
        per_station = data.groupby("station_id")[list(SITE_COLUMNS)]
        if (per_station.nunique(dropna=False) > 1).any().any():
            raise TeachkitError("latitude and longitude must be the same on every row of a station")
        first = per_station.first().reindex(stations)
        values = first.to_numpy(dtype=float)
        if not np.all(np.isfinite(values)):
            raise TeachkitError("latitude and longitude must be finite numbers for every station")
        return values[:, 0], values[:, 1]
    if "station" not in data.columns:
        raise TeachkitError(
            "the spatial models need station coordinates: latitude and longitude columns, or "
            "a station column naming Beijing stations"
        )
    names = data.groupby("station_id")["station"].first().reindex(stations).astype(str)
    shipped = load_beijing_stations().set_index("station")
    unknown = sorted(set(names) - set(shipped.index))
    if unknown:
        raise TeachkitError(
            f"no coordinates for station(s) {', '.join(unknown[:3])}"
            f"{' ...' if len(unknown) > 3 else ''}: give the table latitude and longitude "
            "columns, or use the Beijing stations"
        )
    rows = shipped.loc[names.to_list()]
    return rows["latitude"].to_numpy(dtype=float), rows["longitude"].to_numpy(dtype=float)


def spatial_fingerprint(data: pd.DataFrame) -> str:
    """Hash of what the spatial models read: the ozone models' columns and any coordinates."""
    return data_fingerprint(data, (*MODEL_COLUMNS, *(c for c in SITE_COLUMNS if c in data)))


def build_spatial_model(
    data: pd.DataFrame,
    model: str = "spatial_intercepts",
    *,
    parameterization: str | None = None,
    likelihood: str | None = None,
) -> BuiltModel:
    """Build a spatial ozone model (see the module docstring) as a PyMC model.

    Parameters
    ----------
    data : DataFrame
        ``station_id``, ``TEMP``, ``log_ozone`` and the stations' coordinates (columns
        ``latitude`` and ``longitude``, or Beijing station names in ``station``).
    model : {"spatial_intercepts"}
    parameterization : {"marginal", "centered", "noncentered"}, optional
        Default marginal (chosen by measurement).
    likelihood : {"sufficient", "pointwise"}, optional

    Returns
    -------
    BuiltModel
        Coords ``station`` (ids) and ``station_to``; canonical variables ``mu_alpha``,
        ``sigma_alpha``, ``sigma_gp``, ``ell`` (km), ``beta``, ``sigma`` and ``alpha``
        (dim ``station``).

    Examples
    --------
    >>> from teachkit.simulate import simulate_spatial_ozone
    >>> built = build_spatial_model(simulate_spatial_ozone(n_sites=4, n_days=20, rng=0).data)
    >>> [v.name for v in built.model.free_RVs]
    ['beta', 'mu_alpha_c', 'sigma_alpha', 'sigma_gp', 'ell', 'sigma', 'z_alpha']
    """
    import pymc as pm
    import pytensor.tensor as pt

    entry = spatial_entry(model)
    given = {"parameterization": parameterization, "likelihood": likelihood}
    options = resolve_model_options(entry, given, case="ozone", spellings=SPELLINGS)
    stations, index, temp, outcome = ozone_arrays(data)
    lat, lon = station_coordinates(data, stations)
    distance = great_circle_km(lat, lon)
    n_stations, n_obs = len(stations), len(outcome)
    stats = group_statistics(index, temp, outcome, n_stations)
    if not np.all(stats.n > 0):  # pragma: no cover - ozone_arrays lists only stations with rows
        raise TeachkitError("every station needs at least one row")
    pointwise = options["likelihood"] == "pointwise"

    coords: dict[str, Any] = {"station": stations.tolist(), "station_to": stations.tolist()}
    if pointwise:
        coords["obs"] = np.arange(n_obs)
    with pm.Model(coords=coords) as m:
        # data containers, so a compiled model reused with new data sees the new values
        d = pm.Data("distance_km", distance, dims=("station", "station_to"))
        temp_mean = pm.Data("temp_mean", float(np.mean(temp)))
        if pointwise:
            station_temp = pm.Data("station_temp_mean", stats.x_mean, dims="station")
        else:
            shared = {k: pm.Data(k, v, dims="station") for k, v in stats.as_dict().items()}
            station_temp = shared["stat_x_mean"]

        beta = pm.Normal("beta", 0.0, BETA_PRIOR_SD)
        # mu_alpha ~ Normal(0, 2), sampled as mu_alpha_c = mu_alpha + beta * Tbar
        mu_c = pm.Normal("mu_alpha_c", beta * temp_mean, ALPHA_PRIOR_SD)
        sigma_alpha = pm.HalfCauchy("sigma_alpha", beta=1.0)
        sigma_gp = pm.HalfNormal("sigma_gp", sigma=SIGMA_GP_PRIOR_SD)
        ell = pm.InverseGamma("ell", alpha=ELL_PRIOR[0], beta=ELL_PRIOR[1])
        kernel = sigma_gp**2 * pt.exp(-0.5 * (d / ell) ** 2)
        centre = mu_c + beta * (station_temp - temp_mean)
        form = options["parameterization"]
        if form == "marginal" and not pointwise:
            sigma = pm.HalfCauchy("sigma", beta=1.0)
            prior_cov = kernel + (sigma_alpha**2 + JITTER) * pt.eye(n_stations)
            alpha_c = _marginal_intercepts(pm, pt, shared, prior_cov, centre, sigma)
        elif form in ("centered", "marginal"):
            eye = pt.eye(n_stations)
            cov = kernel + (sigma_alpha**2 + JITTER) * eye
            alpha_c = pm.MvNormal("alpha_c", mu=centre, cov=cov, dims="station")
        else:
            chol = pt.linalg.cholesky(kernel + JITTER * pt.eye(n_stations))
            z_f = pm.Normal("z_f", 0.0, 1.0, dims="station")
            z_e = pm.Normal("z_e", 0.0, 1.0, dims="station")
            f = pm.Deterministic("f", chol @ z_f, dims="station")
            alpha_c = centre + f + sigma_alpha * z_e
        pm.Deterministic("mu_alpha", mu_c - beta * temp_mean)
        alpha = pm.Deterministic("alpha", alpha_c - beta * station_temp, dims="station")
        if not (form == "marginal" and not pointwise):
            sigma = pm.HalfCauchy("sigma", beta=1.0)
        if form == "marginal" and not pointwise:
            pm.Potential(
                "log_ozone_loglik", _within_station_loglik(shared, beta, sigma, log=pt.log)
            )
        elif pointwise:
            idx = pm.Data("station_index", index, dims="obs")
            t = pm.Data("temp", temp, dims="obs")
            y = pm.Data("log_ozone_observed", outcome, dims="obs")
            pm.Normal("log_ozone", mu=alpha[idx] + beta * t, sigma=sigma, observed=y, dims="obs")
        else:
            pm.Potential(
                "log_ozone_loglik",
                normal_loglik_from_statistics(shared, alpha, beta, sigma, log=pt.log),
            )

    spec = ozone_spec(
        entry,
        options,
        outcome=outcome,
        index=index,
        temp=temp,
        n_stations=n_stations,
        data_hash=spatial_fingerprint(data),
    )
    return BuiltModel(m, spec)


def _within_station_loglik(stats: dict[str, Any], beta: Any, sigma: Any, log: Any) -> Any:
    r"""The log-likelihood of all rows minus the station means' normal terms.

    With :math:`\alpha^c_j` each station's intercept at its mean temperature, the rows'
    log-likelihood is this plus :math:`\sum_j \log \mathrm{Normal}(\bar y_j \mid \alpha^c_j,
    \sigma / \sqrt{n_j})`: :func:`normal_loglik_from_statistics` at the intercepts that fit the
    station means exactly, plus the constants those normal terms carry.
    """
    n = stats["stat_n"]
    exact = stats["stat_y_mean"] - beta * stats["stat_x_mean"]
    total = normal_loglik_from_statistics(stats, exact, beta, sigma, log=log)
    return total + (n > 0).sum() * (0.5 * np.log(2 * np.pi) + log(sigma)) - 0.5 * log(n).sum()


def _marginal_intercepts(
    pm: Any, pt: Any, stats: dict[str, Any], prior_cov: Any, centre: Any, sigma: Any
) -> Any:
    r"""The shifted intercepts integrated out of the density and drawn from their conditional.

    Given the hyperparameters, the station means are :math:`\bar y \sim \mathrm{MVNormal}(c,
    P + D)` with :math:`P` the intercepts' prior covariance, :math:`c` their prior mean and
    :math:`D = \mathrm{diag}(\sigma^2 / n_j)`; that term is a potential. The intercepts are
    then :math:`\alpha^c = m + L z`, :math:`z \sim \mathrm{Normal}(0, I)` a free variable
    (``z_alpha``), with the conditional normal's mean and covariance

    .. math::

        m = \bar y - D M^{-1} (\bar y - c), \qquad S = D - D M^{-1} D = L L^\top,
        \qquad M = P + D.

    The density of (hyperparameters, z) is the joint posterior's with the change of variables'
    Jacobian :math:`|L|`, so the posterior is exactly the centred form's; :math:`L` enters only
    the deterministic ``alpha_c``, computed once per draw, not per gradient.
    """
    n, y_bar = stats["stat_n"], stats["stat_y_mean"]
    d = sigma**2 / n
    marginal_cov = prior_cov + pt.diag(d)
    r = y_bar - centre
    # log|M| and M^-1 r written out: as fast as PyMC's MvNormal (its Cholesky gradient) within
    # the measurements' noise, and a little faster in the interleaved runs (module docstring)
    _, logdet = pt.linalg.slogdet(marginal_cov)
    quad = r @ pt.linalg.solve(marginal_cov, r, assume_a="pos")
    pm.Potential("station_means_loglik", -0.5 * (logdet + quad + r.shape[0] * np.log(2 * np.pi)))
    chol_m = pt.linalg.cholesky(marginal_cov)
    b = pt.linalg.solve_triangular(chol_m, pt.diag(d), lower=True)  # L_M^-1 D
    w = pt.linalg.solve_triangular(chol_m, y_bar - centre, lower=True)
    mean = y_bar - b.T @ w
    cond_cov = pt.diag(d) - b.T @ b
    chol_s = pt.linalg.cholesky(0.5 * (cond_cov + cond_cov.T))
    z = pm.Normal("z_alpha", 0.0, 1.0, dims="station")
    return pm.Deterministic("alpha_c", mean + chol_s @ z, dims="station")


def _record(name: str, description: str, **fields: Any) -> ModelEntry:
    """The record of one spatial model; its builder is :func:`build_spatial_model`."""
    return ModelEntry(
        name=name,
        description=description,
        build=functools.partial(build_spatial_model, model=name),
        options={"parameterization": SPATIAL_PARAMETERIZATIONS, "likelihood": LIKELIHOODS},
        **fields,
    )


#: The spatial models, one record each; ``planted`` are the settings of
#: :func:`~teachkit.cases.ozone.simulate.simulate_spatial_ozone` each is true for (the case
#: sends a simulation with ``sigma_gp`` or ``ell`` there), at the Beijing stations.
SPATIAL_MODELS: tuple[ModelEntry, ...] = (
    _record(
        "spatial_intercepts",
        "a baseline per station, correlated by distance (a GP), one common slope",
        hyperparameters=("mu_alpha", "sigma_alpha", "sigma_gp", "ell", "beta", "sigma"),
        group_parameters=("alpha",),
        planted={"sigma_alpha": 0.08, "sigma_gp": 0.15, "ell": 20.0},
        aliases={"beta": "mu_beta"},
    ),
)


def spatial_entry(model: str) -> ModelEntry:
    """The record of the spatial model called ``model`` (one-line error naming them if unknown)."""
    by_name = {e.name: e for e in SPATIAL_MODELS}
    check_choice("spatial ozone model", model, by_name)
    return by_name[model]
