r"""The covarying model's results, and beyond the lecture, on slides (storyboard rows 32, 34-37).

* ``ozone-rho-posterior`` (row 32): :math:`\rho` against its LKJ(2) prior; station effects under
  varying slopes against covarying.
* ``ozone-correlation-distance`` (row 34): same-day residual correlation of every pair of
  stations against their distance.
* ``ozone-posterior-predictive`` (row 35): the covarying model's posterior predictive check.
* ``ozone-hyperprior-predictive`` (row 36): what HalfCauchy(1) on :math:`\sigma_\beta` allows.
* ``pooling-error`` (row 37): no pooling against partial pooling on thinned data.

The functions that turn fits into arrays (:func:`residual_pairs`, :func:`replicate`,
:func:`line_errors`, :func:`hyperprior_slopes`) are public, so the tests and the lecture can use
them; the plots are in :mod:`teachkit.cases.ozone.posterior_plots`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from teachkit._random import RNGLike, as_generator
from teachkit.cases.ozone.data import station_names
from teachkit.cases.ozone.models import LKJ_ETA, no_pooling_estimates
from teachkit.cases.ozone.spatial import station_coordinates
from teachkit.cases.ozone.subsample import days_label, shrinkage_data
from teachkit.figure_entry import FigureData, FigureEntry
from teachkit.kernels import great_circle_km
from teachkit.posterior import draws

if TYPE_CHECKING:
    import arviz as az
    from matplotlib.figure import Figure

__all__ = [
    "FEW_DAYS",
    "FIGURES",
    "HYPER_LINES",
    "MIN_COMMON_DAYS",
    "N_REPLICATES",
    "correlation_distance_figure",
    "hyperprior_slopes",
    "line_errors",
    "mean_lines",
    "pooling_error_figure",
    "replicate",
    "residual_pairs",
]

#: Stations with fewer kept days than this are "few days" in the pooling-error title: under
#: about 50 days (seven weeks) a station's own line misses its full-data line by 0.05-0.35 log
#: units on the thinned Beijing table, against 0.02-0.15 above.
FEW_DAYS = 50
#: Replicated data sets drawn for the posterior predictive check.
N_REPLICATES = 100
#: Lines drawn per panel of the hyperprior figure.
HYPER_LINES = 100
#: Dates two stations must share for their residual correlation (the Beijing pairs share
#: 1,250 or more).
MIN_COMMON_DAYS = 30
#: Axes of the hyperprior figure: the lecture's temperature range (°C) and log ozone range.
HYPER_TEMPS = (-15.0, 42.0)
HYPER_LOG_OZONE = (0.0, 8.0)


def _source(ctx: FigureData) -> str:
    return "Beijing" if ctx.source == "real" else "Simulated stations"


def mean_lines(idata: az.InferenceData) -> tuple[np.ndarray, np.ndarray]:
    """Posterior means of ``alpha`` and ``beta``, each of shape (n_stations,)."""
    return draws(idata, "alpha").mean(axis=0), draws(idata, "beta").mean(axis=0)


# --- row 32 -----------------------------------------------------------------------------------


def _rho_posterior(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.posterior_plots import plot_rho_posterior
    from teachkit.plots.labels import note

    covarying, slopes = ctx.fit("ozone", "covarying"), ctx.fit("ozone", "varying_slopes")
    data = ctx.data("ozone")
    fig = plot_rho_posterior(
        draws(covarying, "rho"),
        LKJ_ETA,
        {"varying slopes": draws(slopes, "alpha"), "covarying": draws(covarying, "alpha")},
        {"varying slopes": draws(slopes, "beta"), "covarying": draws(covarying, "beta")},
        station_names(data),
    )
    note(fig, f"{_source(ctx)}: {len(data):,} station-days; covarying and varying-slopes fits")
    return fig


# --- row 34 -----------------------------------------------------------------------------------


def residual_pairs(
    data: pd.DataFrame, alpha: np.ndarray, beta: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    r"""Distance and same-day residual correlation of every pair of stations.

    The residual of a station-day is :math:`\log O_3 - \alpha_j - \beta_j T`; two stations'
    residuals are correlated over the dates both have (at least :data:`MIN_COMMON_DAYS`).
    Distances are great-circle km between the stations' coordinates
    (:func:`~teachkit.cases.ozone.spatial.station_coordinates`).

    Returns
    -------
    distance, correlation : ndarray of shape (n_pairs,)
    pairs : list of (j, k)
        Station ids of each pair, j < k.
    """
    ids = np.sort(data["station_id"].unique())
    j = data["station_id"].to_numpy()
    residual = data["log_ozone"].to_numpy() - alpha[j] - beta[j] * data["TEMP"].to_numpy()
    wide = data.assign(residual=residual).pivot_table(
        index="date", columns="station_id", values="residual"
    )
    corr = wide.corr(min_periods=MIN_COMMON_DAYS).reindex(index=ids, columns=ids).to_numpy()
    lat, lon = station_coordinates(data, ids)
    dist = great_circle_km(lat, lon)
    upper = np.triu_indices(len(ids), 1)
    keep = np.isfinite(corr[upper])
    pairs = [(int(ids[a]), int(ids[b])) for a, b in zip(*upper, strict=True)]
    return dist[upper][keep], corr[upper][keep], [p for p, k in zip(pairs, keep, strict=True) if k]


def correlation_distance_figure(ctx: FigureData, data: pd.DataFrame) -> Figure:
    """Row 34 on ``data`` (its stations' coordinates), residuals from the covarying fit."""
    from teachkit.cases.ozone.posterior_plots import plot_correlation_distance
    from teachkit.plots.labels import note

    alpha, beta = mean_lines(ctx.fit("ozone", "covarying", data=data))
    distance, correlation, pairs = residual_pairs(data, alpha, beta)
    fig = plot_correlation_distance(distance, correlation)
    n = len(station_names(data))
    note(
        fig,
        f"{_source(ctx)}: all {len(pairs)} pairs of {n} stations; residual = log ozone minus the "
        "station's covarying-model line (posterior means),\ncorrelated over the dates both "
        "stations have; closest and farthest: a third of the pairs each, by distance",
    )
    return fig


def _correlation_distance(ctx: FigureData) -> Figure:
    """On the real data; simulated stations need coordinates, so a spatial simulation then."""
    if ctx.source == "real":
        return correlation_distance_figure(ctx, ctx.data("ozone"))
    from teachkit.cases.ozone.simulate import simulate_spatial_ozone

    return correlation_distance_figure(ctx, simulate_spatial_ozone(rng=ctx.seed).data)


# --- row 35 -----------------------------------------------------------------------------------


def replicate(
    data: pd.DataFrame, idata: az.InferenceData, n: int = N_REPLICATES, *, rng: RNGLike = None
) -> np.ndarray:
    r"""Replicated log ozone, :math:`\alpha_j + \beta_j T + \mathrm{Normal}(0, \sigma)`.

    Each of the ``n`` data sets uses one posterior draw (evenly spaced over the draws).

    Returns
    -------
    ndarray of shape (n, n_rows)
    """
    gen = as_generator(rng)
    alpha, beta, sigma = draws(idata, "alpha"), draws(idata, "beta"), draws(idata, "sigma")
    pick = np.linspace(0, len(sigma) - 1, n).astype(int)
    j, t = data["station_id"].to_numpy(), data["TEMP"].to_numpy()
    mean = alpha[pick][:, j] + beta[pick][:, j] * t
    return mean + sigma[pick, None] * gen.standard_normal(mean.shape)


def _posterior_predictive(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.posterior_plots import plot_posterior_predictive
    from teachkit.plots.labels import note

    data = ctx.data("ozone")
    idata = ctx.fit("ozone", "covarying")
    alpha, beta = mean_lines(idata)
    j, t = data["station_id"].to_numpy(), data["TEMP"].to_numpy()
    fig = plot_posterior_predictive(
        t, data["log_ozone"], alpha[j] + beta[j] * t, replicate(data, idata, rng=ctx.seed)
    )
    note(
        fig,
        f"{_source(ctx)}: {len(data):,} station-days; covarying model, {N_REPLICATES} "
        "replicated data sets from posterior draws;\nresidual = observed minus the station's "
        "posterior-mean line",
    )
    return fig


# --- row 36 -----------------------------------------------------------------------------------


def hyperprior_slopes(
    mu_beta: float, sigma_beta: np.ndarray | None, n: int = HYPER_LINES, *, rng: RNGLike = None
) -> np.ndarray:
    r"""Slopes of ``n`` new stations, :math:`\beta_j \sim \mathrm{Normal}(\mu_\beta, \sigma_\beta)`.

    :math:`\sigma_\beta` is drawn from HalfCauchy(1) (the model's prior) when ``sigma_beta``
    is None, else from the given (posterior) draws.
    """
    gen = as_generator(rng)
    if sigma_beta is None:
        sd = np.abs(gen.standard_cauchy(n))
    else:
        sd = gen.choice(np.asarray(sigma_beta, dtype=float), size=n)
    return mu_beta + sd * gen.standard_normal(n)


def _hyperprior_predictive(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.posterior_plots import plot_hyperprior_lines
    from teachkit.plots.labels import note

    data = ctx.data("ozone")
    idata = ctx.fit("ozone", "covarying")
    mu_beta = float(draws(idata, "mu_beta").mean())
    sigma_beta = draws(idata, "sigma_beta")
    slopes = {
        r"prior: $\sigma_\beta \sim \mathrm{HalfCauchy}(1)$": hyperprior_slopes(
            mu_beta, None, rng=ctx.seed
        ),
        rf"posterior: $\sigma_\beta \approx {sigma_beta.mean():.4f}$": hyperprior_slopes(
            mu_beta, sigma_beta, rng=ctx.seed + 1
        ),
    }
    pivot = (float(data["TEMP"].mean()), float(data["log_ozone"].mean()))
    fig = plot_hyperprior_lines(slopes, mu_beta, pivot, HYPER_TEMPS, HYPER_LOG_OZONE,
                                days=(data["TEMP"], data["log_ozone"]))  # fmt: skip
    note(
        fig,
        rf"{_source(ctx)}, covarying model: {HYPER_LINES} new stations' lines, "
        r"$\beta_j \sim N(\mu_\beta, \sigma_\beta)$ with $\mu_\beta$ at its posterior mean "
        f"({mu_beta:.3f} per °C),\nthrough the data's mean day; grey: the density of the "
        f"data's {len(data):,} station-days",
    )
    return fig


# --- row 37 -----------------------------------------------------------------------------------


def line_errors(data: pd.DataFrame, estimate: np.ndarray, reference: np.ndarray) -> np.ndarray:
    r"""Root mean square gap between each station's estimated line and its reference line.

    Over the station's days in ``data``:
    :math:`\sqrt{\overline{((a - a^*) + (b - b^*) T)^2}}` (log µg/m³).

    Parameters
    ----------
    data : DataFrame
        The days the gap is averaged over (``station_id``, ``TEMP``).
    estimate, reference : ndarray of shape (n_stations, 2)
        (alpha_j, beta_j) by station id.

    Examples
    --------
    >>> frame = pd.DataFrame({"station_id": [0, 0], "TEMP": [0.0, 10.0]})
    >>> line_errors(frame, np.array([[1.0, 0.1]]), np.array([[1.0, 0.0]])).round(4).tolist()
    [0.7071]
    """
    j, t = data["station_id"].to_numpy(), data["TEMP"].to_numpy()
    gap = (estimate[j, 0] - reference[j, 0]) + (estimate[j, 1] - reference[j, 1]) * t
    n = np.bincount(j, minlength=len(estimate))
    return np.sqrt(np.bincount(j, gap**2, minlength=len(estimate)) / np.maximum(n, 1))


def pooling_error_figure(ctx: FigureData, full: pd.DataFrame, thinned: pd.DataFrame) -> Figure:
    """Row 37: no and partial pooling on ``thinned`` against the covarying fit on ``full``."""
    from teachkit.cases.ozone.posterior_plots import plot_pooling_error
    from teachkit.plots.labels import note

    reference = np.column_stack(mean_lines(ctx.fit("ozone", "covarying", data=full)))
    partial = np.column_stack(mean_lines(ctx.fit("ozone", "covarying", data=thinned)))
    own = no_pooling_estimates(thinned)
    days = thinned.groupby("station_id", sort=True).size().to_numpy()
    fig = plot_pooling_error(
        days,
        line_errors(full, own, reference),
        line_errors(full, partial, reference),
        station_names(thinned),
        FEW_DAYS,
    )
    note(
        fig,
        f"{_source(ctx)}: {days_label(thinned)} (thinned); no pooling: each station's "
        "least-squares line; partial pooling: covarying model;\nreference: the covarying "
        f"model on all {len(full):,} station-days; posterior means; gap (log µg/m³) averaged "
        "over the station's full-data days",
    )
    return fig


def _pooling_error(ctx: FigureData) -> Figure:
    data = ctx.data("ozone")
    return pooling_error_figure(ctx, data, shrinkage_data(data))


FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "ozone-rho-posterior",
        "rho's posterior against its LKJ(2) prior; station effects, varying slopes vs covarying",
        _rho_posterior,
        point="The data move rho from its prior, centred on 0, to about -0.9, while each "
        "station's intercept and slope stay where the varying-slopes model put them.",
        row=32,
    ),
    FigureEntry(
        "ozone-correlation-distance",
        "Same-day residual correlation of every pair of stations against their distance",
        _correlation_distance,
        point="Nearby stations share more of their day-to-day departures from their lines "
        "than distant ones, and all pairs share much: same-day readings are not independent.",
        row=34,
    ),
    FigureEntry(
        "ozone-posterior-predictive",
        "Posterior predictive check of the covarying model",
        _posterior_predictive,
        point="Straight lines with normal noise miss two features of the data: the residuals "
        "curve with temperature, and low readings pile up on whole µg/m³ values.",
        row=35,
    ),
    FigureEntry(
        "ozone-hyperprior-predictive",
        "New stations' lines under HalfCauchy(1) on sigma_beta and under its posterior",
        _hyperprior_predictive,
        point="HalfCauchy(1) on sigma_beta allows station slopes that differ by tenths of a "
        "log unit per degree; the data shrink that spread more than a hundredfold.",
        row=36,
    ),
    FigureEntry(
        "pooling-error",
        "Error of no pooling and of partial pooling against the full-data lines, thinned data",
        _pooling_error,
        point="On thinned data partial pooling lands closer to a station's full-data line than "
        "the station's own fit for nearly every station, and gains most for stations with few "
        "days.",
        row=37,
    ),
)
