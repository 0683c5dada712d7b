"""The Gaussian-process lecture's figures make the claims their titles state, on their own data.

Every ``check_*`` function recomputes a figure's title claim from the drawn artists (the curves'
line data, the rug's ticks, the band's polygon, the map's line segments and colours, the
kriging images' pixels) and checks the figure's teaching point with a threshold named here.
The fast tests draw the plots from arrays (prior draws and hyperparameters planted at the
Beijing stations); the slow ones draw the registered figures from a session-wide
FigureContext on the real Beijing data (conftest.py: one fit store, short chains). The
``..._fails_...`` tests draw a figure from changed data on which its claim is false (another
prior, a posterior that learnt ell, swapped stations) and show that the check then fails.
"""

from __future__ import annotations

import re

import matplotlib.image as mpimg
import numpy as np
import pytest
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from scipy import stats
from scipy.special import gamma as gamma_fn

from teachkit.cases.ozone import gp_figures
from teachkit.cases.ozone.gp_figures import (
    FIGURES,
    PRIOR_CURVES,
    baseline_correlation_draws,
    baseline_correlations,
    baseline_semivariogram_draws,
    distance_grid,
    ell_prior_density,
    kernel_correlations,
    kriging_grid,
    kriging_surface,
    pair_distances,
    pair_semivariances,
    prior_ell_draws,
)
from teachkit.cases.ozone.gp_plots import (
    BAND,
    BARELY_INFORMED,
    BARELY_KNOWN,
    GROWS_RATIO,
    THRESHOLD,
    plot_baseline_semivariogram,
    plot_kernel_posterior,
    plot_kernel_prior,
    plot_kriging_map,
    plot_station_correlation,
)
from teachkit.cases.ozone.spatial import ELL_PRIOR, JITTER
from teachkit.cases.ozone.stations import load_beijing_stations
from teachkit.figure_entry import claim_of, figure_title
from teachkit.figures import FigureContext, draw_figure
from teachkit.kernels import (
    draw_gp,
    exp_quad,
    gp_conditional,
    great_circle_between,
    great_circle_km,
    kernel_matrix,
)
from teachkit.plots.lint import slide_problems
from teachkit.plots.style import SLIDE_PIXELS, save_slide
from teachkit.registry import get_case
from teachkit.store import FitStore

#: "Most" of the prior on ell lies between the closest and farthest station pair: at least
#: this share (the model's InverseGamma(3.5, 35) puts 98% there).
MIN_PRIOR_MASS = 0.9
#: The kriging sd grows with the distance to the nearest station: their rank correlation over
#: the grid is at least this (0.8 on the Beijing fit; the sd also carries mu_alpha's, the
#: same everywhere, so it is not a function of that distance alone).
SD_DISTANCE_RANK = 0.6
#: Posterior draws planted for the fit-free plot tests.
PLANTED_DRAWS = 200

NAMES = [str(s) for s in load_beijing_stations()["station"]]
LAT = load_beijing_stations()["latitude"].to_numpy()
LON = load_beijing_stations()["longitude"].to_numpy()
PAIRS = pair_distances(LAT, LON)


# --- reading the artists ----------------------------------------------------------------------


def labelled(ax, label: str):
    """The one artist of ``ax`` with ``label`` (collections, lines, images)."""
    found = [a for a in (*ax.collections, *ax.get_lines(), *ax.images) if a.get_label() == label]
    assert len(found) == 1, (label, len(found))
    return found[0]


def curves_of(collection: LineCollection) -> tuple[np.ndarray, np.ndarray]:
    """The x grid and the curves (one row each) of a LineCollection of curves on one grid."""
    segments = collection.get_segments()
    x = segments[0][:, 0]
    assert all(np.array_equal(s[:, 0], x) for s in segments)
    return x, np.array([s[:, 1] for s in segments])


def rug(ax) -> np.ndarray:
    """The pair distances drawn as ticks at the foot of the correlation panel."""
    return np.sort([s[0, 0] for s in labelled(ax, "station pairs").get_segments()])


def band_at(poly: PolyCollection, x0: float, atol: float = 1e-9) -> tuple[float, float]:
    """The low and high edge of a fill_between band at grid point ``x0``."""
    v = poly.get_paths()[0].vertices
    y = v[np.isclose(v[:, 0], x0, rtol=0, atol=atol), 1]
    assert y.size >= 2, f"no band edge at {x0} km"
    return float(y.min()), float(y.max())


def line_at(line, x0: float) -> float:
    x, y = line.get_data()
    (hit,) = np.flatnonzero(np.asarray(x) == x0)
    return float(np.asarray(y)[hit])


def station_labels(ax) -> dict[tuple[float, float], str]:
    """Station names by the (lon, lat) their labels point at."""
    return {
        (round(float(t.xy[0]), 6), round(float(t.xy[1]), 6)): t.get_text()
        for t in ax.texts
        if hasattr(t, "xy") and t.get_text() in NAMES
    }


def stations_drawn(ax) -> np.ndarray:
    """(lon, lat) of the station markers, in station order."""
    points = [labelled(ax, f"station {j}").get_offsets()[0] for j in range(len(NAMES))]
    return np.array(points, dtype=float)


# --- the checks -------------------------------------------------------------------------------


def check_kernel_prior(fig: Figure) -> None:
    """Claim: 'X% [of ell's prior] in dmin-dmax km, median M km' and 'at the median pair
    distance (D km) S% of its correlation curves exceed 0.5', recomputed from the drawn density
    (trapezoid rule between the rug's smallest and largest tick; its median where the
    trapezoid cdf is 1/2), the rug and the drawn curves; and the point:
    at least MIN_PRIOR_MASS of the prior lies within the station distances."""
    top, bottom = fig.axes[:2]
    pairs = rug(top)
    x, curves = curves_of(labelled(top, "prior curves"))
    d_med = float(np.median(pairs))
    share = float(np.mean(curves[:, np.flatnonzero(x == d_med)[0]] > THRESHOLD))
    ex, ey = labelled(bottom, "prior density").get_data()
    ex, ey = np.asarray(ex), np.asarray(ey)
    inside = (ex >= pairs.min()) & (ex <= pairs.max())
    mass = float(np.trapezoid(ey[inside], ex[inside]))
    cdf = np.r_[0.0, np.cumsum(np.diff(ex) * (ey[1:] + ey[:-1]) / 2)]
    ell_median = float(np.interp(0.5, cdf, ex))
    title = figure_title(fig)
    assert (
        f"{mass:.0%} in {pairs.min():.1f}-{pairs.max():.1f} km, median {ell_median:.0f} km" in title
    ), title
    assert (
        f"at the median pair distance ({d_med:.1f} km) {share:.0%} of its correlation curves "
        f"exceed {THRESHOLD:g}" in title
    ), title
    # each curve is a squared-exponential correlation: exp(-d^2 / 2 ell^2) for one ell
    ell = x[-1] / np.sqrt(-2 * np.log(np.maximum(curves[:, -1], 1e-300)))
    ok = curves[:, -1] > 1e-12
    np.testing.assert_allclose(curves[ok], kernel_correlations(x, ell[ok]), atol=1e-9)
    assert mass >= MIN_PRIOR_MASS, f"only {mass:.0%} of the prior within the station distances"


def check_kernel_posterior(fig: Figure, ell: np.ndarray | None = None) -> None:
    """Claim: 'N stations barely inform ell' and 'ell, 94%: prior a-b km, posterior c-d km',
    the intervals read from the two bars drawn over the densities, with ': only the long tail
    is trimmed' exactly when their lower ends agree in whole km and the posterior's upper end
    is lower. 'Barely inform' (the point): the prior's and the posterior's 94% bands of the
    correlation at the median rug tick (the prior band's edges, the posterior band's polygon)
    overlap by at least BARELY_INFORMED of their union. With ``ell`` (the fit's draws) the
    drawn posterior band, mean and interval are the draws' quantiles and mean."""
    top, bottom = fig.axes[:2]
    pairs = rug(top)
    d_med = float(np.median(pairs))
    plo = line_at(labelled(top, "prior band low"), d_med)
    phi = line_at(labelled(top, "prior band high"), d_med)
    qlo, qhi = band_at(labelled(top, "posterior band"), d_med)
    (elo, ehi), (eplo, ephi) = (
        np.asarray(labelled(bottom, f"{k} interval").get_xdata(), dtype=float)
        for k in ("posterior", "prior")
    )
    title = figure_title(fig)
    n_stations = round((1 + np.sqrt(1 + 8 * len(pairs))) / 2)
    assert title.startswith(f"{n_stations} stations barely inform $\\ell$"), title
    line = f"$\\ell$, {BAND:.0%}: prior {eplo:.0f}-{ephi:.0f} km, posterior {elo:.0f}-{ehi:.0f} km"
    assert line in title, title
    trimmed = round(elo) == round(eplo) and round(ehi) < round(ephi)
    assert title.endswith(line + (": only the long tail is trimmed" if trimmed else "")), title
    overlap = max(0.0, min(phi, qhi) - max(plo, qlo)) / (max(phi, qhi) - min(plo, qlo))
    assert overlap >= BARELY_INFORMED, f"the bands overlap by only {overlap:.0%} of their union"
    if ell is not None:
        x, mean = (np.asarray(a) for a in labelled(top, "posterior mean").get_data())
        curves = kernel_correlations(x, ell)
        np.testing.assert_allclose(mean, curves.mean(axis=0), atol=1e-12)
        k = np.flatnonzero(x == d_med)[0]
        tail = (1 - BAND) / 2
        np.testing.assert_allclose(
            (qlo, qhi), np.quantile(curves[:, k], [tail, 1 - tail]), atol=1e-12
        )
        np.testing.assert_allclose((elo, ehi), np.quantile(ell, [tail, 1 - tail]), rtol=1e-12)


def check_station_correlation(fig: Figure) -> None:
    """Claim: 'the model's correlation falls with distance by construction; its level is barely
    known: r1 (94%: a-b) for A-B (d1 km), r2 (c-d) at d2 km', the closest and the farthest pair,
    recomputed from the map's segments (their ends' great-circle distance), the segments' colour
    values, the band's polygon at those distances, and the names the station labels point at.
    The dots beside the map are the segments' values; ordered by distance, no pair's mean
    correlation exceeds a closer pair's; 'barely known': the closest pair's interval is at least
    BARELY_KNOWN wide (the point)."""
    ax, right = fig.axes[:2]
    lines = labelled(ax, "pairs")
    ends = np.array(lines.get_segments())  # (pairs, 2 ends, lon/lat)
    values = np.asarray(lines.get_array(), dtype=float)
    dist = np.array([great_circle_between([a[1]], [a[0]], [b[1]], [b[0]])[0, 0] for a, b in ends])
    widths = np.asarray(lines.get_linewidths())
    assert np.all(np.diff(widths[np.argsort(values)]) >= -1e-12)  # wider is stronger
    dots = np.asarray(labelled(right, "pairs").get_offsets(), dtype=float)
    np.testing.assert_allclose(
        np.sort(dots[:, 0]), np.sort(dist), atol=1e-9
    )  # the same pairs at the same distances
    np.testing.assert_allclose(dots[np.argsort(dots[:, 0]), 1], values[np.argsort(dist)],
                               atol=1e-12)  # fmt: skip
    names = station_labels(ax)
    assert len(names) == len(NAMES)

    def pair(k: int) -> str:
        a, b = (names[(round(float(e[0]), 6), round(float(e[1]), 6))] for e in ends[k])
        return "-".join(sorted((a, b), key=NAMES.index))

    band = labelled(right, "band")
    close, far = int(np.argmin(dist)), int(np.argmax(dist))
    (clo, chi), (flo, fhi) = (band_at(band, float(dist[k]), atol=1e-6) for k in (close, far))
    title = figure_title(fig)
    assert title.startswith(
        "The model's correlation falls with distance by construction; its level is barely known:"
    ), title
    assert (
        f"{values[close]:.2f} ({BAND:.0%}: {clo:.2f}-{chi:.2f}) for {pair(close)} "
        f"({dist[close]:.1f} km)" in title
    ), title
    assert f"{values[far]:.2f} ({flo:.2f}-{fhi:.2f}) at {dist[far]:.1f} km" in title, title
    assert clo <= values[close] <= chi and flo <= values[far] <= fhi
    by_distance = values[np.argsort(dist)]
    assert np.all(np.diff(by_distance) <= 1e-9), "a farther pair correlates more than a closer"
    assert chi - clo >= BARELY_KNOWN, f"the closest pair's interval is {clo:.2f}-{chi:.2f}"
    assert ax.get_aspect() == pytest.approx(1 / np.cos(np.radians(ends[..., 1].mean())), rel=0.01)


def check_kriging_map(fig: Figure) -> None:
    """Claim: 'surest near the stations: sd s1 near A, s2 where the nearest station is K km
    away', recomputed from the sd image's pixels and extent, the station markers and the
    labels' names; the point: the sd rises with the distance to the nearest station (rank
    correlation at least SD_DISTANCE_RANK)."""
    mean_ax, sd_ax = (ax for ax in fig.axes if ax.get_title() in ("posterior mean", "posterior sd"))
    image = labelled(sd_ax, "posterior sd")
    sd = np.asarray(image.get_array(), dtype=float)
    x0, x1, y0, y1 = image.get_extent()
    ny, nx = sd.shape
    glon = x0 + (np.arange(nx) + 0.5) * (x1 - x0) / nx
    glat = y0 + (np.arange(ny) + 0.5) * (y1 - y0) / ny
    lat2, lon2 = np.meshgrid(glat, glon, indexing="ij")
    where = stations_drawn(sd_ax)
    near = great_circle_between(lat2.ravel(), lon2.ravel(), where[:, 1], where[:, 0])
    names = station_labels(mean_ax)
    i_min, i_max = int(np.argmin(sd)), int(np.argmax(sd))
    j = int(np.argmin(near[i_min]))
    name = names[(round(float(where[j, 0]), 6), round(float(where[j, 1]), 6))]
    title = figure_title(fig)
    assert f"sd {sd.flat[i_min]:.3f} near {name}," in title, title
    assert (
        f"{sd.flat[i_max]:.2f} where the nearest station is {near[i_max].min():.0f} km away"
        in title
    ), title
    rank = stats.spearmanr(sd.ravel(), near.min(axis=1)).statistic
    assert rank >= SD_DISTANCE_RANK, f"sd and distance to the nearest station: rank r = {rank:.2f}"
    mean_image = labelled(mean_ax, "posterior mean")
    assert mean_image.get_array().shape == sd.shape
    # the mean map's markers are on the surface's colour scale (the sd map's are plain white)
    for j in range(len(NAMES)):
        dot = labelled(mean_ax, f"station {j}")
        if dot.get_array() is not None:
            assert dot.get_clim() == mean_image.get_clim()
            assert mean_image.get_clim()[0] <= float(dot.get_array()[0]) <= mean_image.get_clim()[1]
        assert labelled(sd_ax, f"station {j}").get_array() is None


def check_baseline_semivariogram(fig: Figure) -> None:
    """Claim: 'baselines of near stations differ about as much as those of distant ones: mean
    of 1/2 (alpha_j - alpha_k)^2 m1 for the closest third of pairs, m2 for the farthest',
    recomputed from the dots (a third of them each, by distance) and checked against the two
    drawn segments; the point: the farthest third's mean is less than GROWS_RATIO times the
    closest third's."""
    ax = fig.axes[0]
    dots = np.asarray(labelled(ax, "pairs").get_offsets(), dtype=float)
    order = np.argsort(dots[:, 0], kind="stable")
    third = len(dots) // 3
    near, far = dots[order[:third]], dots[order[-third:]]
    for name, group in (("closest third", near), ("farthest third", far)):
        x, y = (np.asarray(a) for a in labelled(ax, name).get_data())
        np.testing.assert_allclose(x, [group[:, 0].min(), group[:, 0].max()], atol=1e-9)
        np.testing.assert_allclose(y, group[:, 1].mean(), rtol=1e-12)
    m_near, m_far = near[:, 1].mean(), far[:, 1].mean()
    title = figure_title(fig)
    assert title.startswith(
        "Baselines of near stations differ about as much as those of distant ones:"
    ), title
    assert f"{m_near:.4f} for the closest third of pairs, {m_far:.4f} for the farthest" in title
    ratio = m_far / m_near
    assert ratio < GROWS_RATIO, f"the farthest third differ {ratio:.1f} times more"
    assert ax.get_ylim()[0] == 0 and np.all(dots[:, 1] >= 0)


# --- the maths --------------------------------------------------------------------------------


def planted_posterior(n: int = PLANTED_DRAWS, seed: int = 0, ell=None) -> dict[str, np.ndarray]:
    """Draws of the hyperparameters (near the Beijing fit's) and intercepts from the model."""
    rng = np.random.default_rng(seed)
    sigma_gp = np.abs(rng.normal(0.13, 0.05, n))
    ell = prior_ell_draws(n, rng) if ell is None else np.asarray(ell, dtype=float)
    sigma_alpha = np.abs(rng.normal(0.04, 0.02, n))
    mu = rng.normal(3.45, 0.05, n)
    d = great_circle_km(LAT, LON)
    alpha = np.array(
        [
            m + draw_gp(exp_quad(d, s, e) + (a**2 + JITTER) * np.eye(len(d)), rng)
            for m, s, e, a in zip(mu, sigma_gp, ell, sigma_alpha, strict=True)
        ]
    )
    return {"mu_alpha": mu, "sigma_gp": sigma_gp, "ell": ell, "sigma_alpha": sigma_alpha,
            "alpha": alpha}  # fmt: skip


def test_the_gp_figures_are_registered_last_in_the_ozone_case_without_rows() -> None:
    names = [e.name for e in get_case("ozone").figures()]
    gp = ["gp-kernel-prior", "gp-kernel-posterior", "gp-station-correlation", "gp-kriging-map"]
    assert names[-4:] == gp == [e.name for e in FIGURES]
    assert all(e.row is None and e.point for e in FIGURES)


def test_distance_grid_holds_the_pair_distances_that_titles_read() -> None:
    grid = distance_grid(PAIRS)
    assert np.all(np.diff(grid) > 0) and grid[0] == 0 and grid[-1] >= PAIRS.max()
    for d in (PAIRS.min(), np.median(PAIRS), PAIRS.max()):
        assert d in grid
    assert len(PAIRS) == 66 and PAIRS.min() == pytest.approx(3.86, abs=0.01)


def test_prior_draws_and_density_are_the_models_inverse_gamma() -> None:
    shape, scale = ELL_PRIOR
    ell = prior_ell_draws(20_000, 3)
    assert stats.kstest(ell, stats.invgamma(shape, scale=scale).cdf).pvalue > 0.001
    x = np.linspace(0.5, 80, 50)
    closed_form = scale**shape / gamma_fn(shape) * x ** (-shape - 1) * np.exp(-scale / x)
    np.testing.assert_allclose(ell_prior_density(x), closed_form, rtol=1e-10)


def test_baseline_correlation_is_the_intercepts_covariance_scaled() -> None:
    """One draw: K / (sigma_gp^2 + sigma_alpha^2 + jitter), the correlation of MVN(K + s I)."""
    d = great_circle_km(LAT, LON)
    corr = baseline_correlations(d, [0.2], [12.0], [0.1])
    cov = kernel_matrix(d, "exp_quad", 0.2, 12.0) + (0.1**2 + JITTER) * np.eye(12)
    sd = np.sqrt(np.diag(cov))
    expected = cov / np.outer(sd, sd)
    off = ~np.eye(12, dtype=bool)
    np.testing.assert_allclose(corr[off], expected[off], rtol=1e-12)
    two = baseline_correlations(d, [0.2, 0.1], [12.0, 30.0], [0.1, 0.05])
    np.testing.assert_allclose(
        two, (corr + baseline_correlations(d, [0.1], [30.0], [0.05])) / 2, rtol=1e-12
    )


def test_kriging_surface_is_the_gp_conditional_averaged_by_total_variance() -> None:
    """One draw: mu + the conditional mean and sd of gp_conditional's full covariance; two
    draws: the mixture's mean and variance."""
    post = planted_posterior(2, seed=4)
    glat, glon = kriging_grid(LAT, LON, n=6)
    lat2, lon2 = (a.ravel() for a in np.meshgrid(glat, glon, indexing="ij"))
    d, dx = great_circle_km(LAT, LON), great_circle_between(LAT, LON, lat2, lon2)
    dxx = great_circle_km(lat2, lon2)
    moments = []
    for k in range(2):
        s, e, a, mu = (post[v][k] for v in ("sigma_gp", "ell", "sigma_alpha", "mu_alpha"))
        m, cov = gp_conditional(exp_quad(d, s, e), exp_quad(dx, s, e), exp_quad(dxx, s, e),
                                post["alpha"][k] - mu, noise=a**2 + JITTER)  # fmt: skip
        moments.append((mu + m, np.diag(cov)))
        one = {v: post[v][k : k + 1] for v in post}
        mean1, sd1 = kriging_surface(LAT, LON, lat2, lon2, one)
        np.testing.assert_allclose(mean1, mu + m, atol=1e-10)
        np.testing.assert_allclose(sd1, np.sqrt(np.maximum(np.diag(cov), 0)), atol=1e-7)
    mean, sd = kriging_surface(LAT, LON, lat2, lon2, post)
    (m0, v0), (m1, v1) = moments
    np.testing.assert_allclose(mean, (m0 + m1) / 2, atol=1e-10)
    np.testing.assert_allclose(sd**2, (v0 + v1) / 2 + ((m0 - m1) / 2) ** 2, atol=1e-10)


def test_kriging_given_alpha_is_kriging_from_drawn_station_effects() -> None:
    """The two-step route: draw f at the stations given alpha, then krige from f; its mean over
    many draws of f is the one-step conditional mean (Monte-Carlo error 5 se)."""
    post = planted_posterior(1, seed=6, ell=[15.0])
    s, e, a, mu = (float(post[v][0]) for v in ("sigma_gp", "ell", "sigma_alpha", "mu_alpha"))
    y = post["alpha"][0] - mu
    d = great_circle_km(LAT, LON)
    k = exp_quad(d, s, e)
    f_mean, f_cov = gp_conditional(k, k, k, y, noise=a**2 + JITTER)
    rng = np.random.default_rng(7)
    f = f_mean + draw_gp(f_cov, rng, size=4000)
    glat, glon = np.array([40.05, 40.2]), np.array([116.3, 116.5])
    dx = great_circle_between(LAT, LON, glat, glon)
    kx = exp_quad(dx, s, e)
    two_step = np.array([gp_conditional(k, kx, exp_quad(great_circle_km(glat, glon), s, e),
                                        fi, noise=1e-8)[0] for fi in f])  # fmt: skip
    one_step, _ = kriging_surface(LAT, LON, glat, glon, {v: post[v][:1] for v in post})
    se = two_step.std(axis=0) / np.sqrt(len(f))
    assert np.all(np.abs(two_step.mean(axis=0) + mu - one_step) < 5 * se + 1e-6)


# --- the plots without fits ------------------------------------------------------------------


def prior_arrays(seed: int = 1) -> dict[str, np.ndarray]:
    grid, fine = distance_grid(PAIRS), distance_grid(PAIRS, step=0.05)
    return {
        "d": grid,
        "prior_curves": kernel_correlations(grid, prior_ell_draws(PRIOR_CURVES, seed)),
        "ell_grid": fine,
        "ell_density": ell_prior_density(fine),
        "pairs": PAIRS,
    }


def assert_slide(fig: Figure) -> None:
    claim = claim_of(fig)
    assert claim is not None and claim.text == figure_title(fig)
    assert all(np.isfinite(v) for v in claim.numbers.values())
    assert slide_problems(fig) == []


def test_kernel_prior_plot() -> None:
    fig = plot_kernel_prior(**prior_arrays(), note="Beijing: 12 stations")
    check_kernel_prior(fig)
    assert_slide(fig)
    assert claim_of(fig).numbers["mass"] == pytest.approx(
        stats.invgamma(ELL_PRIOR[0], scale=ELL_PRIOR[1]).cdf(PAIRS.max())
        - stats.invgamma(ELL_PRIOR[0], scale=ELL_PRIOR[1]).cdf(PAIRS.min()),
        abs=1e-4,
    )  # the trapezoid rule on the drawn density, against the exact cdf
    assert claim_of(fig).numbers["ell_median"] == pytest.approx(
        stats.invgamma(ELL_PRIOR[0], scale=ELL_PRIOR[1]).median(), abs=0.01
    )


def test_kernel_prior_check_fails_for_a_prior_outside_the_station_distances() -> None:
    """InverseGamma(3.5, 7): median 2.2 km, most of its mass below the closest pair."""
    grid = distance_grid(PAIRS)
    short = stats.invgamma(3.5, scale=7.0)
    fig = plot_kernel_prior(grid, kernel_correlations(grid, short.rvs(500, random_state=1)),
                            grid, short.pdf(grid), PAIRS)  # fmt: skip
    with pytest.raises(AssertionError, match="within the station distances"):
        check_kernel_prior(fig)


def posterior_figure(ell: np.ndarray) -> Figure:
    arrays = prior_arrays()
    return plot_kernel_posterior(
        **arrays,
        posterior_curves=kernel_correlations(arrays["d"], ell),
        ell_posterior=ell,
        ell_prior=prior_ell_draws(PRIOR_CURVES, 1),
        note="Beijing: 12 stations",
    )


def test_kernel_posterior_plot() -> None:
    """A 'posterior' that is the prior trimmed above 40 km: barely informed."""
    ell = prior_ell_draws(3000, 2)
    ell = ell[ell < 40]
    fig = posterior_figure(ell)
    check_kernel_posterior(fig, ell)
    assert_slide(fig)
    assert figure_title(fig).endswith("only the long tail is trimmed"), figure_title(fig)


def test_kernel_posterior_check_fails_when_the_data_pin_ell_down() -> None:
    """A posterior of ell at 20 +- 1 km: the band shrinks, 'barely inform' is false."""
    ell = np.random.default_rng(3).normal(20.0, 1.0, 2000)
    fig = posterior_figure(ell)
    assert figure_title(fig).startswith("12 stations inform")
    with pytest.raises(AssertionError):
        check_kernel_posterior(fig, ell)


def station_correlation_figure(post: dict[str, np.ndarray], lat=LAT, lon=LON) -> Figure:
    """The station-correlation slide from draws of the hyperparameters."""
    hyper = [post[v] for v in ("sigma_gp", "ell", "sigma_alpha")]
    grid = np.unique(np.r_[np.arange(0.0, 65.0, 0.25), pair_distances(lat, lon)])
    return plot_station_correlation(
        lat, lon, NAMES, baseline_correlations(great_circle_km(lat, lon), *hyper),
        band_d=grid, curves=baseline_correlation_draws(grid, *hyper), note="Beijing: 12 stations",
    )  # fmt: skip


def test_baseline_correlation_draws_average_to_the_pairs_correlations() -> None:
    post = planted_posterior(50, seed=2)
    hyper = [post[v] for v in ("sigma_gp", "ell", "sigma_alpha")]
    curves = baseline_correlation_draws(PAIRS, *hyper)
    d = great_circle_km(LAT, LON)
    np.testing.assert_allclose(
        curves.mean(axis=0), baseline_correlations(d, *hyper)[np.triu_indices(12, 1)], rtol=1e-12
    )
    at_zero = baseline_correlation_draws([0.0], *hyper)[:, 0]
    share = hyper[0] ** 2 / (hyper[0] ** 2 + hyper[2] ** 2 + JITTER)
    np.testing.assert_allclose(at_zero, share, rtol=1e-12)  # the spatial share at 0 km


def test_station_correlation_plot() -> None:
    fig = station_correlation_figure(planted_posterior(200, seed=2))
    check_station_correlation(fig)
    assert_slide(fig)


def test_station_correlation_check_fails_with_swapped_stations() -> None:
    """Huairou (far north-east) and Dongsi (centre) swap places on the map, their correlations
    stay: a far pair now correlates more than a closer one."""
    post = planted_posterior(200, seed=2)
    hyper = [post[v] for v in ("sigma_gp", "ell", "sigma_alpha")]
    corr = baseline_correlations(great_circle_km(LAT, LON), *hyper)
    i, j = NAMES.index("Huairou"), NAMES.index("Dongsi")
    lat, lon = LAT.copy(), LON.copy()
    lat[[i, j]], lon[[i, j]] = lat[[j, i]], lon[[j, i]]
    grid = np.unique(np.r_[np.arange(0.0, 65.0, 0.25), pair_distances(lat, lon)])
    fig = plot_station_correlation(lat, lon, NAMES, corr, band_d=grid,
                                   curves=baseline_correlation_draws(grid, *hyper))  # fmt: skip
    with pytest.raises(AssertionError):
        check_station_correlation(fig)


def test_station_correlation_check_fails_when_the_data_pin_the_level() -> None:
    """Hyperparameters known to within a few percent: the closest pair's interval is narrow,
    'barely known' is false and the title says 'known'."""
    rng = np.random.default_rng(9)
    post = {"sigma_gp": rng.normal(0.13, 0.003, 400), "ell": rng.normal(12.0, 0.3, 400),
            "sigma_alpha": rng.normal(0.04, 0.002, 400)}  # fmt: skip
    fig = station_correlation_figure(post)
    assert "its level is known:" in figure_title(fig)
    with pytest.raises(AssertionError):
        check_station_correlation(fig)


def test_kriging_map_plot() -> None:
    post = planted_posterior(60, seed=5)
    # a posterior pins the intercepts down (sd about 0.016 on the Beijing fit): one draw's
    # intercepts, jittered, for every draw
    rng = np.random.default_rng(8)
    post["alpha"] = post["alpha"][0] + rng.normal(0.0, 0.016, post["alpha"].shape)
    glat, glon = kriging_grid(LAT, LON, n=40)
    lat2, lon2 = np.meshgrid(glat, glon, indexing="ij")
    mean, sd = kriging_surface(LAT, LON, lat2.ravel(), lon2.ravel(), post)
    fig = plot_kriging_map(glat, glon, mean.reshape(40, 40), sd.reshape(40, 40), LAT, LON,
                           NAMES, station_means=post["alpha"].mean(axis=0),
                           note="Beijing: 12 stations")  # fmt: skip
    fills = [float(labelled(fig.axes[0], f"station {j}").get_array()[0]) for j in range(12)]
    np.testing.assert_allclose(fills, post["alpha"].mean(axis=0))
    check_kriging_map(fig)
    assert_slide(fig)


def semivariogram_figure(alpha: np.ndarray, post: dict[str, np.ndarray]) -> Figure:
    grid = np.arange(0.25, 65.0, 0.25)
    hyper = [post[v] for v in ("sigma_gp", "ell", "sigma_alpha")]
    return plot_baseline_semivariogram(PAIRS, pair_semivariances(alpha), grid,
                                       baseline_semivariogram_draws(grid, *hyper),
                                       note="Beijing: 12 stations")  # fmt: skip


def test_semivariogram_maths() -> None:
    """One draw: the model's semivariogram is half the variance of alpha_j - alpha_k under
    MVNormal(mu, K + s I); the pairs' semivariances are half their squared differences."""
    d = great_circle_km(LAT, LON)
    cov = kernel_matrix(d, "exp_quad", 0.2, 12.0) + (0.1**2 + JITTER) * np.eye(12)
    iu = np.triu_indices(12, 1)
    half_var = 0.5 * (np.diag(cov)[iu[0]] + np.diag(cov)[iu[1]] - 2 * cov[iu])
    np.testing.assert_allclose(
        baseline_semivariogram_draws(d[iu], [0.2], [12.0], [0.1])[0], half_var, rtol=1e-12
    )
    alpha = np.arange(12.0) ** 2 / 10
    np.testing.assert_allclose(pair_semivariances(alpha), 0.5 * (alpha[iu[0]] - alpha[iu[1]]) ** 2)


def test_grows_ratio_is_the_95_percent_quantile_for_independent_baselines() -> None:
    """GROWS_RATIO: the ratio of the farthest to the closest third's mean semivariance for 12
    independent baselines at the Beijing stations exceeds it 5% of the time (5,000
    simulations: Monte-Carlo sd of the quantile about 0.1)."""
    order = np.argsort(PAIRS, kind="stable")
    third = len(PAIRS) // 3
    rng = np.random.default_rng(13)
    ratios = []
    for _ in range(5000):
        g = pair_semivariances(rng.standard_normal(12))
        ratios.append(g[order[-third:]].mean() / g[order[:third]].mean())
    assert np.quantile(ratios, 0.95) == pytest.approx(GROWS_RATIO, abs=0.3)


def test_baseline_semivariogram_plot() -> None:
    """Baselines with no spatial part (independent draws): near and far pairs differ alike."""
    alpha = np.random.default_rng(11).normal(3.45, 0.08, 12)
    fig = semivariogram_figure(alpha, planted_posterior(100, seed=3))
    check_baseline_semivariogram(fig)
    assert_slide(fig)


def test_baseline_semivariogram_check_fails_for_spatial_baselines() -> None:
    """Baselines drawn from a GP with ell = 25 km and hardly any station part: distant pairs
    differ far more, the title says so and the check fails."""
    d = great_circle_km(LAT, LON)
    cov = exp_quad(d, 0.3, 25.0) + 1e-4 * np.eye(12)
    alpha = 3.45 + draw_gp(cov, np.random.default_rng(12))
    fig = semivariogram_figure(alpha, planted_posterior(100, seed=3))
    assert figure_title(fig).startswith("Baselines of distant stations differ more")
    with pytest.raises(AssertionError):
        check_baseline_semivariogram(fig)


# --- the registered figures on the real data ----------------------------------------------------


def test_gp_kernel_prior_needs_no_fit(tmp_path) -> None:
    fig = draw_figure("gp-kernel-prior", FigureContext("real", store=FitStore(tmp_path)))
    check_kernel_prior(fig)
    assert slide_problems(fig) == []
    assert not list(tmp_path.iterdir())  # nothing was fitted
    assert re.search(r"Beijing: 12 stations; \$\\mathtt\{spatial", fig._supxlabel.get_text())


@pytest.mark.slow
def test_gp_kernel_posterior_on_the_beijing_fit(ctx: FigureContext, drawn) -> None:
    from teachkit.posterior import draws

    ell = draws(ctx.fit("ozone", "spatial_intercepts"), "ell")
    check_kernel_posterior(drawn("gp-kernel-posterior"), ell)


@pytest.mark.slow
def test_gp_station_correlation_on_the_beijing_fit(drawn) -> None:
    check_station_correlation(drawn("gp-station-correlation"))


@pytest.mark.slow
def test_gp_kriging_map_on_the_beijing_fit(drawn) -> None:
    check_kriging_map(drawn("gp-kriging-map"))


@pytest.mark.slow
@pytest.mark.parametrize("name", [e.name for e in FIGURES])
def test_gp_figures_are_clean_slides_whose_claim_is_their_title(name: str, drawn, tmp_path) -> None:
    fig = drawn(name)
    claim = claim_of(fig)
    assert claim is not None and claim.text == figure_title(fig)
    assert slide_problems(fig) == []
    path = save_slide(fig, tmp_path / f"{name}.png")
    assert mpimg.imread(path).shape[:2] == SLIDE_PIXELS[::-1]
    note = fig._supxlabel.get_text()
    assert note.startswith("Beijing: 12 stations"), note
    if name != "gp-kernel-prior":
        assert "$\\mathtt{spatial\\_intercepts}$ fit" in note


def test_the_figures_module_reads_only_the_contract() -> None:
    assert "figures" not in vars(gp_figures)  # teachkit.figures is not imported by name
