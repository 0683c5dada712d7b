"""Known-truth daily ozone data: stations whose intercepts and slopes co-vary.

The generating process is the lecture's covarying model:

    (alpha_j, beta_j) ~ MVNormal((mu_alpha, mu_beta), Sigma),
    Sigma = diag(sigma_alpha, sigma_beta) R diag(sigma_alpha, sigma_beta),  R[0, 1] = rho,
    log_ozone[j, d] = alpha_j + beta_j * TEMP[j, d] + Normal(0, sigma),

with the station effects drawn by :func:`teachkit.mvn.sample_mvn` from the Sigma of
:func:`teachkit.covariance.build_covariance`. Special settings plant data for which a simpler
lecture model is true: ``rho=0`` (independent varying slopes), ``sds=(s, 0)`` (varying
intercepts, common slope) and ``sds=(0, 0)`` (pooled).

The defaults are close to what the Beijing data show: per-station least-squares fits of
log max ozone on max temperature give intercepts around 3.45 (sd 0.18) and slopes around 0.054
(sd 0.006), correlated at about -0.97, with residual sd about 0.6; daily maximum temperature has
mean 18.8 deg C, a seasonal amplitude of 14.8 deg C peaking in mid-July, and day-to-day
deviations of sd 3.9 with lag-one autocorrelation 0.6.

:func:`simulate_spatial_ozone` plants the spatial lecture's truth instead: station intercepts
that are correlated by the great-circle distance between the stations (a Gaussian process) plus
an independent station term, and one common slope.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from teachkit._random import RNGLike, as_generator
from teachkit.cases.ozone.data import OZONE_COLUMNS
from teachkit.cases.ozone.stations import load_beijing_stations
from teachkit.checks import MAX_ROWS, check_choice, check_count, check_finite
from teachkit.covariance import build_covariance
from teachkit.errors import TeachkitError
from teachkit.kernels import KERNELS, draw_gp, great_circle_km, kernel_matrix
from teachkit.mvn import cholesky_factor, sample_mvn
from teachkit.simulation import Simulation

__all__ = [
    "BEIJING_BOX",
    "SITE_COLUMNS",
    "exact_moment_effects",
    "random_sites",
    "simulate_ozone",
    "simulate_spatial_lines",
    "simulate_spatial_ozone",
    "simulate_temperature",
]

#: Day of the year on which the seasonal temperature cycle peaks (about 10 July).
PEAK_DAY = 191
#: Largest |log ozone| a simulation may reach: exp(700) is near the largest double.
MAX_LOG_OZONE = 700.0
#: Sd of each station's daily deviation from the regional temperature (deg C).
STATION_TEMP_SD = 1.0
#: The columns a spatial simulation adds to an ozone table: each row's station's coordinates.
SITE_COLUMNS: tuple[str, ...] = ("latitude", "longitude")
#: (south, north, west, east) in degrees: the bounding box of the 12 Beijing stations, about
#: 50 km north-south by 40 km east-west, where random sites are placed.
BEIJING_BOX: tuple[float, float, float, float] = (39.878, 40.328, 116.184, 116.655)


def simulate_temperature(
    n_stations: int,
    n_days: int,
    *,
    start: str = "2013-03-01",
    mean: float = 18.8,
    amplitude: float = 14.8,
    noise_sd: float = 3.9,
    noise_ar: float = 0.6,
    rng: RNGLike = None,
) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Daily maximum temperature at each station: seasonal cycle plus weather.

    TEMP[j, d] = mean + amplitude cos(2 pi (doy_d - PEAK_DAY) / 365.25) + e_d + u[j, d], where
    e_d is a stationary AR(1) process shared by all stations (the regional weather, sd
    ``noise_sd``, lag-one correlation ``noise_ar``) and u[j, d] ~ Normal(0, STATION_TEMP_SD).

    Returns
    -------
    dates : DatetimeIndex of length n_days
    temp : ndarray of shape (n_stations, n_days)
    """
    gen = as_generator(rng)
    dates = pd.date_range(start, periods=n_days, freq="D")
    season = mean + amplitude * np.cos(
        2 * np.pi * (dates.day_of_year.to_numpy() - PEAK_DAY) / 365.25
    )
    innovations = gen.standard_normal(n_days) * noise_sd * np.sqrt(1 - noise_ar**2)
    weather = np.empty(n_days)
    weather[0] = gen.standard_normal() * noise_sd
    for d in range(1, n_days):
        weather[d] = noise_ar * weather[d - 1] + innovations[d]
    local = gen.standard_normal((n_stations, n_days)) * STATION_TEMP_SD
    return dates, season + weather + local


def exact_moment_effects(
    mean: np.ndarray | list[float], cov: np.ndarray, n: int, *, rng: RNGLike = None
) -> np.ndarray:
    """Random points whose sample mean is ``mean`` and sample covariance ``cov``, exactly.

    Draw Z ~ N(0, I), centre it and whiten it with the Cholesky factor of its own sample
    covariance (so its sample covariance is I), then map it by x = mean + L z with L L^T = cov.
    The points are still random in direction, only their first two sample moments are fixed.

    Examples
    --------
    >>> x = exact_moment_effects([1.0, 2.0], [[4.0, -1.0], [-1.0, 1.0]], 12, rng=0)
    >>> np.allclose(x.mean(axis=0), [1, 2]), np.allclose(np.cov(x.T), [[4, -1], [-1, 1]])
    (True, True)
    """
    mu = np.asarray(mean, dtype=float)
    if n < mu.size + 1:
        raise TeachkitError(f"exact moments need at least {mu.size + 1} stations, got {n}")
    z = as_generator(rng).standard_normal((n, mu.size))
    z -= z.mean(axis=0)
    z = z @ np.linalg.inv(np.linalg.cholesky(np.cov(z.T))).T
    return mu + z @ cholesky_factor(cov).T


def simulate_ozone(
    n_stations: int = 12,
    n_days: int = 1461,
    mu: tuple[float, float] = (3.45, 0.054),
    sds: tuple[float, float] = (0.18, 0.006),
    rho: float = -0.9,
    sigma: float = 0.6,
    *,
    missing_rate: float = 0.0,
    start: str = "2013-03-01",
    exact_moments: bool = False,
    rng: RNGLike = None,
) -> Simulation:
    """Simulate daily log max ozone at stations whose (alpha_j, beta_j) co-vary.

    Parameters
    ----------
    n_stations, n_days : int
        At least 1 each. Stations are named ``station_00``, ``station_01``, ... so their
        alphabetical order is their ``station_id``.
    mu : (mu_alpha, mu_beta)
        Population mean intercept (log ug/m3 at 0 deg C) and slope (per deg C).
    sds : (sigma_alpha, sigma_beta)
        Population sds, >= 0; zero plants a common intercept or slope.
    rho : float
        Correlation of intercepts and slopes, in (-1, 1).
    sigma : float
        Residual sd, > 0.
    missing_rate : float
        Probability in [0, 1) that a station-day's ozone reading is missing (O3 and log_ozone
        left NaN), as when a monitor is down.
    start : str
        First date.
    exact_moments : bool
        Plant station effects whose sample mean and covariance equal ``mu`` and Sigma
        exactly (:func:`exact_moment_effects`), instead of iid MVN draws. With 12 stations the
        sample sd of iid draws is off by about 20% from the population sd, and a model fitted
        to the data recovers the spread that is there; exact moments make the planted
        hyperparameters the realised ones. Needs at least 3 stations.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    Simulation
        ``data``: ``station``, ``station_id``, ``date``, ``TEMP``, ``O3``, ``log_ozone`` (the
        columns every ozone table has), one row per station-day sorted by station and date.
        ``truth``: ``mu_alpha``, ``mu_beta``, ``sigma_alpha``, ``sigma_beta``, ``rho``,
        ``sigma``, then ``alpha[j]`` and ``beta[j]`` for every station.

    Examples
    --------
    >>> sim = simulate_ozone(n_stations=3, n_days=10, rng=0)
    >>> sim.data.shape, list(sim.truth)[:6]
    ((30, 6), ['mu_alpha', 'mu_beta', 'sigma_alpha', 'sigma_beta', 'rho', 'sigma'])
    """
    n_stations = check_count(n_stations, "n_stations", 1, MAX_ROWS)
    n_days = check_count(n_days, "n_days", 1, MAX_ROWS)
    if n_stations * n_days > MAX_ROWS:
        raise TeachkitError(
            f"n_stations x n_days must be at most {MAX_ROWS:,} rows, got {n_stations * n_days:,}"
        )
    if len(mu) != 2 or len(sds) != 2:
        raise TeachkitError("mu and sds must each hold two numbers: (alpha, beta)")
    mu_alpha = check_finite(mu[0], "mu_alpha")
    mu_beta = check_finite(mu[1], "mu_beta")
    sigma_alpha = check_finite(sds[0], "sigma_alpha", low=0.0)
    sigma_beta = check_finite(sds[1], "sigma_beta", low=0.0)
    rho = check_finite(rho, "rho", low=-1.0, high=1.0, low_open=True, high_open=True)
    sigma = check_finite(sigma, "sigma", low=0.0, low_open=True)
    missing_rate = check_finite(missing_rate, "missing_rate", low=0.0, high=1.0, high_open=True)

    gen = as_generator(rng)
    cov = build_covariance([sigma_alpha, sigma_beta], [[1.0, rho], [rho, 1.0]])
    if exact_moments:
        effects = exact_moment_effects([mu_alpha, mu_beta], cov, n_stations, rng=gen)
    else:
        effects = sample_mvn([mu_alpha, mu_beta], cov, size=n_stations, rng=gen)
    alpha, beta = effects[:, 0], effects[:, 1]
    dates, temp = simulate_temperature(n_stations, n_days, start=start, rng=gen)
    log_ozone = alpha[:, None] + beta[:, None] * temp + sigma * gen.standard_normal(temp.shape)
    if np.nanmax(np.abs(log_ozone)) > MAX_LOG_OZONE:
        raise TeachkitError(
            f"these settings give log ozone up to {np.nanmax(np.abs(log_ozone)):.3g}, beyond "
            f"+-{MAX_LOG_OZONE:g} where O3 = exp(log ozone) is no longer a number; choose "
            "smaller mu, sds or sigma"
        )
    if missing_rate > 0:
        log_ozone[gen.random(temp.shape) < missing_rate] = np.nan

    names = [f"station_{j:02d}" for j in range(n_stations)]
    data = pd.DataFrame(
        {
            "station": np.repeat(names, n_days),
            "station_id": np.repeat(np.arange(n_stations), n_days),
            "date": np.tile(dates, n_stations),
            "TEMP": temp.ravel(),
            "O3": np.exp(log_ozone.ravel()),
            "log_ozone": log_ozone.ravel(),
        },
        columns=list(OZONE_COLUMNS),
    )
    truth: dict[str, float] = {
        "mu_alpha": mu_alpha,
        "mu_beta": mu_beta,
        "sigma_alpha": sigma_alpha,
        "sigma_beta": sigma_beta,
        "rho": rho,
        "sigma": sigma,
    }
    truth.update({f"alpha[{j}]": float(a) for j, a in enumerate(alpha)})
    truth.update({f"beta[{j}]": float(b) for j, b in enumerate(beta)})
    return Simulation(data=data, truth=truth)


def simulate_spatial_ozone(
    n_sites: int | None = None,
    n_days: int = 1461,
    mu: tuple[float, float] = (3.45, 0.054),
    sigma_alpha: float = 0.08,
    sigma_gp: float = 0.15,
    ell: float = 20.0,
    sigma: float = 0.6,
    *,
    kernel: str = "exp_quad",
    box: tuple[float, float, float, float] = BEIJING_BOX,
    missing_rate: float = 0.0,
    start: str = "2013-03-01",
    exact_moments: bool = False,
    rng: RNGLike = None,
) -> Simulation:
    r"""Simulate daily log max ozone at stations whose baselines are correlated by distance.

    .. math::

        \alpha_j = \mu_\alpha + f_j + e_j, \quad
        f \sim \mathrm{MVNormal}(0, K), \quad
        K_{jk} = \sigma_{gp}^2 \exp\!\left(-\frac{d_{jk}^2}{2 \ell^2}\right), \quad
        e_j \sim \mathrm{Normal}(0, \sigma_\alpha),

        \mathrm{log\_ozone}_{jd} = \alpha_j + \beta \, \mathrm{TEMP}_{jd}
            + \mathrm{Normal}(0, \sigma),

    with :math:`d_{jk}` the great-circle distance in km between stations :math:`j` and
    :math:`k` (:func:`teachkit.kernels.great_circle_km`), one common slope
    :math:`\beta = \mu_\beta`, and temperatures as :func:`simulate_temperature` makes them.
    The process :math:`f` is drawn by :func:`teachkit.kernels.draw_gp` (McElreath 2020,
    *Statistical Rethinking*, 2nd ed., sec. 14.5; Rasmussen and Williams 2006, ch. 2).

    Parameters
    ----------
    n_sites : int, optional
        None (default): the 12 Beijing stations at their real coordinates
        (:func:`teachkit.cases.ozone.stations.load_beijing_stations`), with their names and ids.
        An integer: that many sites placed uniformly at random in ``box`` (for calibration),
        named ``site_00``, ``site_01``, ...
    n_days : int
        Days per station, at least 1.
    mu : (mu_alpha, mu_beta)
        Population mean intercept (log ug/m3 at 0 deg C) and the common slope (per deg C).
    sigma_alpha : float
        Sd of the independent station term :math:`e_j`, >= 0.
    sigma_gp : float
        Amplitude (sd) of the spatial process :math:`f`, >= 0; 0 plants the varying-intercepts
        model.
    ell : float
        Length-scale of the process in km, > 0.
    sigma : float
        Residual sd, > 0.
    kernel : {"exp_quad", "exponential", "matern32"}
        The kernel family (:data:`teachkit.kernels.KERNELS`); the models use ``exp_quad``.
    box : (south, north, west, east)
        Degrees; where random sites go (default :data:`BEIJING_BOX`).
    missing_rate : float
        Probability in [0, 1) that a station-day's ozone is missing (left NaN).
    start : str
        First date.
    exact_moments : bool
        Make the independent station terms' sample mean 0 and sample sd ``sigma_alpha``
        exactly, so the planted ``sigma_alpha`` is the realised
        one (as :func:`exact_moment_effects` does for two dimensions); the spatial process is
        drawn as it comes (its realised spread over 12 stations is
        what any model can see). Needs at least 2 stations.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    Simulation
        ``data``: the columns of every ozone table and :data:`SITE_COLUMNS` (each row's
        station's latitude and longitude), sorted by station and date. ``truth``:
        ``mu_alpha``, ``mu_beta``, ``sigma_alpha``, ``sigma_gp``, ``ell`` (km), ``sigma``, then
        ``alpha[j]`` and the spatial part ``f[j]`` for every station.

    Examples
    --------
    >>> sim = simulate_spatial_ozone(n_days=10, rng=0)
    >>> sim.data.shape, list(sim.truth)[:6]
    ((120, 8), ['mu_alpha', 'mu_beta', 'sigma_alpha', 'sigma_gp', 'ell', 'sigma'])
    >>> simulate_spatial_ozone(n_sites=5, n_days=3, rng=0).data["station"].iloc[0]
    'site_00'
    """
    n_days = check_count(n_days, "n_days", 1, MAX_ROWS)
    if len(mu) != 2:
        raise TeachkitError("mu must hold two numbers: (mu_alpha, mu_beta)")
    mu_alpha = check_finite(mu[0], "mu_alpha")
    mu_beta = check_finite(mu[1], "mu_beta")
    sigma_alpha = check_finite(sigma_alpha, "sigma_alpha", low=0.0)
    sigma_gp = check_finite(sigma_gp, "sigma_gp", low=0.0)
    ell = check_finite(ell, "ell", low=0.0, low_open=True)
    sigma = check_finite(sigma, "sigma", low=0.0, low_open=True)
    kernel = check_choice("kernel", kernel, KERNELS)
    missing_rate = check_finite(missing_rate, "missing_rate", low=0.0, high=1.0, high_open=True)
    gen = as_generator(rng)
    names, lat, lon = _sites_for(n_sites, n_days, box, gen)
    n_stations = len(names)

    f = draw_gp(kernel_matrix(great_circle_km(lat, lon), kernel, sigma_gp, ell), rng=gen)
    if exact_moments:
        if n_stations < 2:
            raise TeachkitError("exact moments need at least 2 stations, got 1")
        z = gen.standard_normal(n_stations)
        z -= z.mean()
        e = sigma_alpha * z / z.std(ddof=1)
    else:
        e = sigma_alpha * gen.standard_normal(n_stations)
    alpha = mu_alpha + f + e
    data = _spatial_table(
        names, lat, lon, alpha, np.full(n_stations, mu_beta), n_days=n_days, sigma=sigma,
        start=start, missing_rate=missing_rate, gen=gen,
    )  # fmt: skip
    truth: dict[str, float] = {
        "mu_alpha": mu_alpha,
        "mu_beta": mu_beta,
        "sigma_alpha": sigma_alpha,
        "sigma_gp": sigma_gp,
        "ell": ell,
        "sigma": sigma,
    }
    truth.update({f"alpha[{j}]": float(a) for j, a in enumerate(alpha)})
    truth.update({f"f[{j}]": float(v) for j, v in enumerate(f)})
    return Simulation(data=data, truth=truth)


def _spatial_table(
    names: list[str],
    lat: np.ndarray,
    lon: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    *,
    n_days: int,
    sigma: float,
    start: str,
    missing_rate: float,
    gen: np.random.Generator,
) -> pd.DataFrame:
    """Days at stations with the given lines: an ozone table with each row's coordinates."""
    n_stations = len(names)
    dates, temp = simulate_temperature(n_stations, n_days, start=start, rng=gen)
    log_ozone = alpha[:, None] + beta[:, None] * temp + sigma * gen.standard_normal(temp.shape)
    if np.nanmax(np.abs(log_ozone)) > MAX_LOG_OZONE:
        raise TeachkitError(
            f"these settings give log ozone up to {np.nanmax(np.abs(log_ozone)):.3g}, beyond "
            f"+-{MAX_LOG_OZONE:g}; choose smaller mu, sds or sigma"
        )
    if missing_rate > 0:
        log_ozone[gen.random(temp.shape) < missing_rate] = np.nan
    return pd.DataFrame(
        {
            "station": np.repeat(names, n_days),
            "station_id": np.repeat(np.arange(n_stations), n_days),
            "date": np.tile(dates, n_stations),
            "TEMP": temp.ravel(),
            "O3": np.exp(log_ozone.ravel()),
            "log_ozone": log_ozone.ravel(),
            "latitude": np.repeat(lat, n_days),
            "longitude": np.repeat(lon, n_days),
        },
        columns=[*OZONE_COLUMNS, *SITE_COLUMNS],
    )


def simulate_spatial_lines(
    n_sites: int | None = None,
    n_days: int = 1461,
    mu: tuple[float, float] = (3.45, 0.054),
    sigma_alpha: float = 0.2,
    sigma_beta: float = 0.006,
    rho: float = -0.9,
    ell: float = 20.0,
    sigma: float = 0.6,
    *,
    nugget: float = 0.1,
    box: tuple[float, float, float, float] = BEIJING_BOX,
    missing_rate: float = 0.0,
    start: str = "2013-03-01",
    exact_moments: bool = False,
    rng: RNGLike = None,
) -> Simulation:
    r"""Simulate stations whose lines covary and are correlated by distance (``spatial_covarying``).

    .. math::

        A = \mathbf 1 \mu^\top + L_C Z L_\Sigma^\top, \quad Z_{jk} \sim N(0, 1), \quad
        C = (1 - \nu) \exp\!\big(-D^2 / (2 \ell^2)\big) + \nu I,

    so :math:`\operatorname{vec}(A) \sim \mathrm{MVNormal}(\mu \otimes \mathbf 1,
    \Sigma \otimes C)` with :math:`\Sigma` from the sds and ``rho``
    (:mod:`teachkit.cases.ozone.spatial_covarying`); then days as
    :func:`simulate_spatial_ozone` makes them, each station with its own line.

    Parameters
    ----------
    n_sites, n_days, mu, sigma, box, missing_rate, start, rng
        As :func:`simulate_spatial_ozone`.
    sigma_alpha, sigma_beta : float
        Sds of the stations' intercepts and slopes, >= 0.
    rho : float
        Their correlation, in [-1, 1].
    ell : float
        Length-scale in km, > 0.
    nugget : float
        :math:`\nu` in [0, 1]: the share of each station's deviation that is its own.
    exact_moments : bool
        Standardise each column of :math:`Z` (sample mean 0, sd 1), so the stations'
        standardised draws have exactly the planted scale before the spatial mixing.

    Returns
    -------
    Simulation
        ``truth``: ``mu_alpha``, ``mu_beta``, ``sigma_alpha``, ``sigma_beta``, ``rho``,
        ``ell``, ``sigma``, then ``alpha[j]`` and ``beta[j]``.

    Examples
    --------
    >>> sim = simulate_spatial_lines(n_days=5, rng=0)
    >>> sim.data.shape, list(sim.truth)[:7]
    ((60, 8), ['mu_alpha', 'mu_beta', 'sigma_alpha', 'sigma_beta', 'rho', 'ell', 'sigma'])
    """
    n_days = check_count(n_days, "n_days", 1, MAX_ROWS)
    if len(mu) != 2:
        raise TeachkitError("mu must hold two numbers: (mu_alpha, mu_beta)")
    mean = np.array([check_finite(mu[0], "mu_alpha"), check_finite(mu[1], "mu_beta")])
    sds = [check_finite(sigma_alpha, "sigma_alpha", low=0.0),
           check_finite(sigma_beta, "sigma_beta", low=0.0)]  # fmt: skip
    rho = check_finite(rho, "rho", low=-1.0, high=1.0)
    ell = check_finite(ell, "ell", low=0.0, low_open=True)
    sigma = check_finite(sigma, "sigma", low=0.0, low_open=True)
    nugget = check_finite(nugget, "nugget", low=0.0, high=1.0)
    missing_rate = check_finite(missing_rate, "missing_rate", low=0.0, high=1.0, high_open=True)
    gen = as_generator(rng)
    names, lat, lon = _sites_for(n_sites, n_days, box, gen)
    n_stations = len(names)
    corr = (1 - nugget) * kernel_matrix(great_circle_km(lat, lon), "exp_quad", 1.0, ell)
    corr += nugget * np.eye(n_stations)
    cov = build_covariance(sds, [[1.0, rho], [rho, 1.0]])
    z = gen.standard_normal((n_stations, 2))
    if exact_moments:
        if n_stations < 2:
            raise TeachkitError("exact moments need at least 2 stations, got 1")
        z = (z - z.mean(axis=0)) / z.std(axis=0, ddof=1)
    lines = mean + cholesky_factor(corr) @ z @ cholesky_factor(cov).T
    data = _spatial_table(
        names, lat, lon, lines[:, 0], lines[:, 1], n_days=n_days, sigma=sigma, start=start,
        missing_rate=missing_rate, gen=gen,
    )  # fmt: skip
    truth: dict[str, float] = {
        "mu_alpha": float(mean[0]), "mu_beta": float(mean[1]), "sigma_alpha": sds[0],
        "sigma_beta": sds[1], "rho": rho, "ell": ell, "sigma": sigma,
    }  # fmt: skip
    truth.update({f"alpha[{j}]": float(a) for j, a in enumerate(lines[:, 0])})
    truth.update({f"beta[{j}]": float(b) for j, b in enumerate(lines[:, 1])})
    return Simulation(data=data, truth=truth)


def random_sites(
    n_sites: int, *, box: tuple[float, float, float, float] = BEIJING_BOX, rng: RNGLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes of ``n_sites`` sites placed uniformly at random in ``box``.

    Uniform on the sphere within the box (uniform in longitude and in the sine of latitude),
    as :func:`simulate_spatial_ozone` places its random sites.

    Examples
    --------
    >>> lat, lon = random_sites(3, rng=0)
    >>> bool(((lat >= 39.878) & (lat <= 40.328)).all()), lon.shape
    (True, (3,))
    """
    _, lat, lon = _sites(n_sites, box, as_generator(rng))
    return lat, lon


def _sites_for(
    n_sites: int | None,
    n_days: int,
    box: tuple[float, float, float, float],
    gen: np.random.Generator,
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """:func:`_sites`, refused in one line when they and ``n_days`` make too many rows."""
    names, lat, lon = _sites(n_sites, box, gen)
    if len(names) * n_days > MAX_ROWS:
        raise TeachkitError(
            f"sites x n_days must be at most {MAX_ROWS:,} rows, got {len(names) * n_days:,}"
        )
    return names, lat, lon


def _sites(
    n_sites: int | None, box: tuple[float, float, float, float], gen: np.random.Generator
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Names, latitudes and longitudes: the Beijing stations, or ``n_sites`` random ones."""
    if n_sites is None:
        stations = load_beijing_stations()
        return (
            stations["station"].tolist(),
            stations["latitude"].to_numpy(),
            stations["longitude"].to_numpy(),
        )
    n = check_count(n_sites, "n_sites", 1, MAX_ROWS)
    if len(box) != 4:
        raise TeachkitError("box must hold four numbers: (south, north, west, east) in degrees")
    south, north, west, east = (check_finite(v, "box") for v in box)
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise TeachkitError(
            "box must be (south, north, west, east) with -90 <= south < north <= 90 and "
            "-180 <= west < east <= 180"
        )
    # uniform on the sphere within the box: uniform in longitude and in sin(latitude)
    sin_lat = gen.uniform(np.sin(np.radians(south)), np.sin(np.radians(north)), n)
    lat = np.degrees(np.arcsin(sin_lat))
    lon = gen.uniform(west, east, n)
    return [f"site_{j:02d}" for j in range(n)], lat, lon
