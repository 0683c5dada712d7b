r"""The Gaussian-process lecture's figures: the kernel's prior and posterior, and two maps.

All four read the ``spatial_intercepts`` model (:mod:`teachkit.cases.ozone.spatial`): station
intercepts :math:`\alpha = \mu_\alpha + f + e`, :math:`f \sim \mathrm{GP}(0, k)` with
:math:`k(d) = \sigma_{gp}^2 \exp(-d^2 / (2\ell^2))` over great-circle km and
:math:`e_j \sim \mathrm{Normal}(0, \sigma_\alpha)`. The maths is :mod:`teachkit.kernels`'; this
module turns prior and posterior draws into the arrays the plots of
:mod:`teachkit.cases.ozone.gp_plots` draw:

* :func:`kernel_correlations`: the kernel's correlation :math:`k(d)/\sigma_{gp}^2 =
  \exp(-d^2/(2\ell^2))` per draw of :math:`\ell` (it does not depend on :math:`\sigma_{gp}`).
* :func:`baseline_correlation_draws`: the model's correlation of two stations' intercepts
  given the hyperparameters, :math:`\rho(d) = \sigma_{gp}^2 \exp(-d^2/(2\ell^2)) /
  (\sigma_{gp}^2 + \sigma_\alpha^2 + 10^{-6})` (the model's jitter included), one curve per
  posterior draw; :func:`baseline_correlations` is its posterior mean at the pairs' distances.
  It is not the posterior correlation of the estimated :math:`\alpha_j` and :math:`\alpha_k`
  (which the data pin separately): it is the correlation the fitted prior gives two baselines.
* :func:`kriging_surface`: the intercept surface :math:`\mu_\alpha + f(x)` on a grid, its
  posterior mean and sd (the maths in its docstring).

Without coordinates in the simulated ozone table, the figures of the simulated source draw a
spatial simulation at the Beijing stations
(:func:`~teachkit.cases.ozone.simulate.simulate_spatial_ozone`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from teachkit.cases.ozone.data import station_names
from teachkit.cases.ozone.spatial import ELL_PRIOR, JITTER, station_coordinates
from teachkit.figure_entry import FigureData, FigureEntry
from teachkit.kernels import exp_quad, gp_conditional_var, great_circle_between, great_circle_km
from teachkit.posterior import draws

if TYPE_CHECKING:
    import arviz as az
    from matplotlib.figure import Figure

__all__ = [
    "FIGURES",
    "KRIGING_GRID",
    "MAX_DISTANCE_KM",
    "PRIOR_CURVES",
    "SpatialFit",
    "baseline_correlation_draws",
    "baseline_correlations",
    "baseline_semivariogram_draws",
    "distance_grid",
    "ell_prior_density",
    "kernel_correlations",
    "kriging_grid",
    "kriging_surface",
    "pair_distances",
    "pair_semivariances",
    "prior_ell_draws",
]

#: The kernel figures' distance axis ends here (km): past the farthest Beijing pair (60 km).
MAX_DISTANCE_KM = 65.0
#: Prior draws of ell whose correlation curves the prior figure draws (and counts in its title:
#: with 1,000 draws a share's Monte-Carlo sd is at most 1.6 percentage points).
PRIOR_CURVES = 1000
#: Step (km) of the grid the density of ell is drawn on: the trapezoid rule's mass between
#: the closest and farthest pair is then within 1e-5 of the exact one.
DENSITY_STEP_KM = 0.05
#: Points per side of the kriging map's grid, and the margin around the stations (km).
KRIGING_GRID = 70
KRIGING_MARGIN_KM = 4.0
#: Posterior draws the kriging map averages over (thinned evenly from the fit's).
KRIGING_DRAWS = 500
#: The fit's model, and its name as the subtitles typeset it.
MODEL = "spatial_intercepts"
_MODEL_TEX = r"$\mathtt{spatial\_intercepts}$"


def pair_distances(lat: ArrayLike, lon: ArrayLike) -> NDArray[np.float64]:
    """The n(n-1)/2 great-circle distances (km) between distinct stations, upper triangle order."""
    d = great_circle_km(lat, lon)
    return d[np.triu_indices(d.shape[0], 1)]


def distance_grid(pairs: ArrayLike, *, step: float = 0.25) -> NDArray[np.float64]:
    """0 to :data:`MAX_DISTANCE_KM` in ``step`` km, with the pair distances' min, median, max.

    The exact distances are grid points, so a curve's value there is read off, not
    interpolated.
    """
    p = np.asarray(pairs, dtype=float)
    marks = [p.min(), float(np.median(p)), p.max()]
    return np.unique(np.r_[np.arange(0.0, MAX_DISTANCE_KM + step / 2, step), marks])


def kernel_correlations(d: ArrayLike, ell: ArrayLike) -> NDArray[np.float64]:
    r"""The kernel's correlation :math:`k(d)/\sigma_{gp}^2 = \exp(-d^2/(2\ell^2))` per ell.

    Returns
    -------
    ndarray of shape (len(ell), len(d))
    """
    dist = np.asarray(d, dtype=float)
    return np.stack([exp_quad(dist, 1.0, float(e)) for e in np.ravel(ell)])


def prior_ell_draws(n: int, rng: np.random.Generator | int) -> NDArray[np.float64]:
    """``n`` draws of ell (km) from the model's InverseGamma prior (:data:`ELL_PRIOR`)."""
    shape, scale = ELL_PRIOR
    return stats.invgamma(shape, scale=scale).rvs(n, random_state=np.random.default_rng(rng))


def ell_prior_density(x: ArrayLike) -> NDArray[np.float64]:
    """The density (per km) of the model's prior on ell at ``x`` km."""
    shape, scale = ELL_PRIOR
    return stats.invgamma(shape, scale=scale).pdf(np.asarray(x, dtype=float))


def baseline_correlations(
    d: ArrayLike, sigma_gp: ArrayLike, ell: ArrayLike, sigma_alpha: ArrayLike
) -> NDArray[np.float64]:
    r"""The posterior mean correlation of two stations' intercepts at distances ``d``.

    Given the hyperparameters, :math:`\operatorname{cov}(\alpha_j, \alpha_k) = k(d_{jk})` and
    :math:`\operatorname{var}(\alpha_j) = \sigma_{gp}^2 + \sigma_\alpha^2 + 10^{-6}` (the
    model's jitter), so

    .. math::

        \rho_{jk} = \frac{\sigma_{gp}^2 \exp(-d_{jk}^2 / (2\ell^2))}
            {\sigma_{gp}^2 + \sigma_\alpha^2 + 10^{-6}},

    averaged over the draws: the kernel's correlation scaled by the spatial share of the
    stations' variance.

    Parameters
    ----------
    d : array_like
        Distances (km), any shape.
    sigma_gp, ell, sigma_alpha : array_like of shape (n_draws,)
        Posterior draws.

    Returns
    -------
    ndarray of the shape of ``d``
    """
    dist = np.asarray(d, dtype=float)
    total = np.zeros(dist.shape)
    sg, el, sa = (np.ravel(np.asarray(v, dtype=float)) for v in (sigma_gp, ell, sigma_alpha))
    for s, e, a in zip(sg, el, sa, strict=True):
        total += exp_quad(dist, float(s), float(e)) / (s**2 + a**2 + JITTER)
    return total / len(sg)


def _column(values: ArrayLike) -> NDArray[np.float64]:
    """Draws as a column, to broadcast against a row of distances."""
    return np.ravel(np.asarray(values, dtype=float))[:, None]


def baseline_correlation_draws(
    d: ArrayLike, sigma_gp: ArrayLike, ell: ArrayLike, sigma_alpha: ArrayLike
) -> NDArray[np.float64]:
    r"""The model's correlation of two intercepts :math:`\rho(d)` per posterior draw.

    .. math::

        \rho(d) = \frac{\sigma_{gp}^2 \exp(-d^2 / (2\ell^2))}{\sigma_{gp}^2 + \sigma_\alpha^2
            + 10^{-6}};

    at :math:`d = 0` it is the spatial share of a station's variance.

    Parameters
    ----------
    d : array_like of shape (m,)
        Distances (km).
    sigma_gp, ell, sigma_alpha : array_like of shape (n_draws,)
        Posterior draws.

    Returns
    -------
    ndarray of shape (n_draws, m)
    """
    dist = np.ravel(np.asarray(d, dtype=float))
    sg, el, sa = (
        np.ravel(np.asarray(v, dtype=float))[:, None] for v in (sigma_gp, ell, sigma_alpha)
    )
    return sg**2 * np.exp(-(dist**2) / (2 * el**2)) / (sg**2 + sa**2 + JITTER)


def baseline_semivariogram_draws(
    d: ArrayLike, sigma_gp: ArrayLike, ell: ArrayLike, sigma_alpha: ArrayLike
) -> NDArray[np.float64]:
    r"""The model's semivariogram of the intercepts per posterior draw.

    .. math::

        \gamma(d) = E\left[\tfrac12(\alpha_j - \alpha_k)^2 \mid d_{jk} = d\right]
            = \sigma_{gp}^2 \left(1 - e^{-d^2/(2\ell^2)}\right) + \sigma_\alpha^2 + 10^{-6}

    for :math:`d > 0` (half the variance of :math:`\alpha_j - \alpha_k`, whose mean is 0).

    Returns
    -------
    ndarray of shape (n_draws, len(d))
    """
    dist = np.ravel(np.asarray(d, dtype=float))
    sg, el, sa = (
        np.ravel(np.asarray(v, dtype=float))[:, None] for v in (sigma_gp, ell, sigma_alpha)
    )
    return sg**2 * (1 - np.exp(-(dist**2) / (2 * el**2))) + sa**2 + JITTER


def pair_semivariances(alpha: ArrayLike) -> NDArray[np.float64]:
    r""":math:`\tfrac12(\alpha_j - \alpha_k)^2` for the n(n-1)/2 pairs, upper triangle order."""
    a = np.asarray(alpha, dtype=float)
    half = 0.5 * (a[:, None] - a[None, :]) ** 2
    return half[np.triu_indices(len(a), 1)]


def kriging_surface(
    lat: ArrayLike,
    lon: ArrayLike,
    grid_lat: ArrayLike,
    grid_lon: ArrayLike,
    posterior: dict[str, np.ndarray],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""Posterior mean and sd of the intercept surface :math:`\mu_\alpha + f(x)` at grid points.

    For one posterior draw of :math:`\theta = (\mu_\alpha, \sigma_{gp}, \ell, \sigma_\alpha)`
    and the intercepts :math:`\alpha`, the process at new points :math:`x` is normal given
    :math:`\alpha`: with :math:`\alpha - \mu_\alpha = f(X) + e`, :math:`e \sim N(0, s I)`,
    :math:`s = \sigma_\alpha^2 + 10^{-6}`,

    .. math::

        m_\theta(x) = k(x, X) (K + sI)^{-1} (\alpha - \mu_\alpha), \qquad
        v_\theta(x) = \sigma_{gp}^2 - k(x, X) (K + sI)^{-1} k(X, x)

    (:func:`teachkit.kernels.gp_conditional_var`). This is the same as drawing the stations'
    :math:`f` from its conditional normal given :math:`\alpha` and kriging from it, with the
    draw of :math:`f` integrated out exactly: :math:`E[f(x) \mid \alpha] = E[E[f(x) \mid
    f(X)] \mid \alpha]`. The data enter only through :math:`\alpha`, so this is the posterior
    of :math:`f(x)` given the draw. Over the draws, by the laws of total expectation and
    variance,

    .. math::

        E[\mu_\alpha + f(x)] = \overline{\mu_\alpha + m_\theta(x)}, \qquad
        \operatorname{var}[\mu_\alpha + f(x)] = \overline{v_\theta(x)}
            + \operatorname{var}(\mu_\alpha + m_\theta(x)),

    with bars the means over draws.

    Parameters
    ----------
    lat, lon : array_like of shape (n,)
        The stations (degrees).
    grid_lat, grid_lon : array_like of shape (m,)
        The new points (degrees).
    posterior : dict
        Draws: ``mu_alpha``, ``sigma_gp``, ``ell``, ``sigma_alpha`` of shape (S,) and
        ``alpha`` of shape (S, n).

    Returns
    -------
    mean, sd : ndarray of shape (m,)
    """
    d = great_circle_km(lat, lon)
    d_cross = great_circle_between(lat, lon, grid_lat, grid_lon)
    m = d_cross.shape[1]
    means = []
    var_sum = np.zeros(m)
    for mu, sg, ell, sa, alpha in zip(
        posterior["mu_alpha"],
        posterior["sigma_gp"],
        posterior["ell"],
        posterior["sigma_alpha"],
        posterior["alpha"],
        strict=True,
    ):
        cond_mean, cond_var = gp_conditional_var(
            exp_quad(d, float(sg), float(ell)),
            exp_quad(d_cross, float(sg), float(ell)),
            np.full(m, float(sg) ** 2),
            np.asarray(alpha) - mu,
            noise=float(sa) ** 2 + JITTER,
        )
        means.append(mu + cond_mean)
        var_sum += cond_var
    surfaces = np.array(means)
    var = var_sum / len(surfaces) + surfaces.var(axis=0)
    return surfaces.mean(axis=0), np.sqrt(var)


# ---------------------------------------------------------------------------------------------
# What the draw functions read from the context
# ---------------------------------------------------------------------------------------------


class SpatialFit:
    """The spatial fit and the stations it was fitted on (names, coordinates, pair distances)."""

    def __init__(self, ctx: FigureData) -> None:
        self.data = _spatial_data(ctx)
        self.idata: az.InferenceData = ctx.fit("ozone", MODEL, data=self.data)
        stations = np.sort(self.data["station_id"].unique())
        self.lat, self.lon = station_coordinates(self.data, stations)
        self.names = station_names(self.data)
        self.pairs = pair_distances(self.lat, self.lon)
        self.source = "Beijing" if ctx.source == "real" else "Simulated"

    def draws(self, name: str) -> np.ndarray:
        """Posterior draws of ``name``, chains pooled."""
        return draws(self.idata, name)

    def note(self, what: str) -> str:
        """The subtitle: which data and fit, then ``what``."""
        return f"{self.source}: {len(self.names)} stations, {_MODEL_TEX} fit; {what}"


def _spatial_data(ctx: FigureData) -> pd.DataFrame:
    """The real table, or a spatial simulation at the Beijing stations (with coordinates)."""
    if ctx.source == "real":
        return ctx.data("ozone")
    from teachkit.cases.ozone.simulate import simulate_spatial_ozone

    return simulate_spatial_ozone(rng=ctx.seed).data


def _prior_kernel_arrays(pairs: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    grid = distance_grid(pairs)
    fine = distance_grid(pairs, step=DENSITY_STEP_KM)
    return {
        "d": grid,
        "prior_curves": kernel_correlations(grid, prior_ell_draws(PRIOR_CURVES, seed)),
        "ell_grid": fine,
        "ell_density": ell_prior_density(fine),
    }


def _kernel_prior(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.gp_plots import plot_kernel_prior

    if ctx.source == "real":
        from teachkit.cases.ozone.stations import load_beijing_stations

        stations = load_beijing_stations()
        lat, lon = stations["latitude"].to_numpy(), stations["longitude"].to_numpy()
        where = f"Beijing: {len(lat)} stations"
    else:
        data = _spatial_data(ctx)
        lat, lon = station_coordinates(data, np.sort(data["station_id"].unique()))
        where = f"Simulated: {len(lat)} stations"
    pairs = pair_distances(lat, lon)
    arrays = _prior_kernel_arrays(pairs, ctx.seed)
    shape, scale = ELL_PRIOR
    return plot_kernel_prior(
        pairs=pairs,
        **arrays,
        note=rf"{where}; {_MODEL_TEX} prior $\ell \sim$ InverseGamma({shape:g}, {scale:g}); "
        rf"the correlation $k(d)/\sigma_{{gp}}^2$ is free of $\sigma_{{gp}}$",
    )


def _kernel_posterior(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.gp_plots import plot_kernel_posterior

    fit = SpatialFit(ctx)
    arrays = _prior_kernel_arrays(fit.pairs, ctx.seed)
    ell = fit.draws("ell")
    return plot_kernel_posterior(
        pairs=fit.pairs,
        posterior_curves=kernel_correlations(arrays["d"], ell),
        ell_posterior=ell,
        ell_prior=prior_ell_draws(PRIOR_CURVES, ctx.seed),
        **arrays,
        note=fit.note(
            rf"correlation $k(d)/\sigma_{{gp}}^2$ for {len(ell):,} posterior and "
            f"{PRIOR_CURVES:,} prior draws"
        ),
    )


def _station_correlation(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.gp_plots import plot_station_correlation

    fit = SpatialFit(ctx)
    d = great_circle_km(fit.lat, fit.lon)
    hyper = [fit.draws(v) for v in ("sigma_gp", "ell", "sigma_alpha")]
    grid = np.unique(np.r_[np.arange(0.0, MAX_DISTANCE_KM + 0.125, 0.25), fit.pairs])
    return plot_station_correlation(
        fit.lat,
        fit.lon,
        fit.names,
        baseline_correlations(d, *hyper),
        band_d=grid,
        curves=baseline_correlation_draws(grid, *hyper),
        note=fit.note(
            r"$\rho(d) = \sigma_{gp}^2 e^{-d^2/2\ell^2} / (\sigma_{gp}^2 + \sigma_\alpha^2)$: "
            r"the prior's correlation of two baselines, not that of the estimated $\alpha_j, "
            r"\alpha_k$"
        ),
    )


def kriging_grid(
    lat: ArrayLike, lon: ArrayLike, n: int = KRIGING_GRID
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``n`` latitudes and ``n`` longitudes spanning the stations plus a margin."""
    la, lo = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    km_per_deg = np.pi * 6371.0088 / 180
    dlat = KRIGING_MARGIN_KM / km_per_deg
    dlon = dlat / np.cos(np.radians(la.mean()))
    return (
        np.linspace(la.min() - dlat, la.max() + dlat, n),
        np.linspace(lo.min() - dlon, lo.max() + dlon, n),
    )


def _kriging_map(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.gp_plots import plot_kriging_map

    fit = SpatialFit(ctx)
    total = len(fit.draws("ell"))
    keep = np.linspace(0, total - 1, min(KRIGING_DRAWS, total)).round().astype(int)
    posterior = {
        v: fit.draws(v)[keep] for v in ("mu_alpha", "sigma_gp", "ell", "sigma_alpha", "alpha")
    }
    glat, glon = kriging_grid(fit.lat, fit.lon)
    lat2, lon2 = np.meshgrid(glat, glon, indexing="ij")
    mean, sd = kriging_surface(fit.lat, fit.lon, lat2.ravel(), lon2.ravel(), posterior)
    shape = (len(glat), len(glon))
    return plot_kriging_map(
        glat,
        glon,
        mean.reshape(shape),
        sd.reshape(shape),
        fit.lat,
        fit.lon,
        fit.names,
        station_means=fit.draws("alpha").mean(axis=0),
        note=fit.note(
            f"GP conditional given the intercepts, {len(keep):,} posterior draws, at 0 °C;\n"
            r"the surface is the smooth part $\mu_\alpha + f(x)$, without a station's own "
            r"$e_j$; the dots are filled with the stations' posterior mean $\alpha_j$"
        ),
    )


#: The GP lecture's figures (no storyboard rows yet).
FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "gp-kernel-prior",
        "Correlation curves exp(-d^2/2 ell^2) from the prior on ell, the station-pair "
        "distances as a rug, and the prior density of ell on the same km axis",
        _kernel_prior,
        point="The prior on the length-scale keeps almost all of its mass between the closest "
        "and the farthest station pair, the only distances the 12 stations can inform.",
    ),
    FigureEntry(
        "gp-kernel-posterior",
        "Posterior correlation curves (mean and 94% band) against the prior's, and the "
        "posterior of ell against its prior",
        _kernel_posterior,
        point="Twelve stations barely inform the length-scale: the posterior correlation curves "
        "and the posterior of ell stay close to the prior, trimmed only in the long-range tail.",
    ),
    FigureEntry(
        "gp-station-correlation",
        "Map of the stations joined by lines whose width and colour are the posterior mean of "
        "the model's correlation of their intercepts, and that correlation against distance "
        "with its 94% band",
        _station_correlation,
        point="The model makes near baselines more alike than far ones by construction; the 12 "
        "stations barely fix how much: at the closest pair almost no to almost full "
        "correlation fits.",
    ),
    FigureEntry(
        "gp-kriging-map",
        "Kriged intercept surface mu_alpha + f(x) over the city: posterior mean and sd, "
        "stations marked",
        _kriging_map,
        point="Kriging predicts the smooth part of the baseline between stations; its "
        "uncertainty is smallest at the stations and grows with the distance to the nearest "
        "one.",
    ),
)
