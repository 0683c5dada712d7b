r"""The Gaussian-process lecture's plots: kernel curves against distance, and maps of stations.

Each function takes arrays (no fits), draws one slide and attaches the :class:`Claim` its title
makes (:func:`teachkit.figure_entry.attach_claim`); every number in a title is computed here
from the arrays drawn. :mod:`teachkit.cases.ozone.gp_figures` computes the arrays from the
``spatial_intercepts`` fit.

The two kernel slides share their axes: correlation against distance (km) above, the density
of the length-scale :math:`\ell` on the same km axis below, the stations' pair distances as a
rug; the prior in blue, the posterior in vermillion. The maps draw longitude and latitude with
equal distances equal on both axes (:func:`equal_distance_aspect`).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Colormap
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from teachkit.figure_entry import Claim, attach_claim
from teachkit.kernels import EARTH_RADIUS_KM
from teachkit.plots.style import PALETTE, darker, slide_style, station_color

__all__ = [
    "BAND",
    "BARELY_INFORMED",
    "BARELY_KNOWN",
    "CORRELATION_CMAP",
    "GROWS_RATIO",
    "POSTERIOR_COLOR",
    "PRIOR_COLOR",
    "THRESHOLD",
    "equal_distance_aspect",
    "plot_baseline_semivariogram",
    "plot_kernel_posterior",
    "plot_kernel_prior",
    "plot_kriging_map",
    "plot_station_correlation",
]

#: Colours of the prior and the posterior on both kernel slides.
PRIOR_COLOR, POSTERIOR_COLOR = PALETTE[0], PALETTE[5]
#: The correlation the prior slide counts curves above, at the median pair distance: "half
#: correlated", where the kernel has fallen to half its height (d = 1.18 ell).
THRESHOLD = 0.5
#: Probability of the bands drawn (ArviZ's default interval).
BAND = 0.94
#: The posterior slide says the data "barely inform" ell when the posterior and the prior band
#: of the correlation at the median pair distance overlap by at least this share of their
#: union (intersection over union of the two intervals; 0.87 on the Beijing fit, 1 for a
#: posterior equal to the prior); below it, it says "inform".
BARELY_INFORMED = 0.5
#: The station-correlation slide calls the level of the baselines' correlation "barely known"
#: when the 94% interval of the closest pair's correlation is at least this wide: half of the
#: range 0-1 a correlation of two baselines can take (0.96 wide on the Beijing fit).
BARELY_KNOWN = 0.5
#: The semivariogram slide says the baselines of distant stations "differ more" when the
#: farthest third of the pairs' mean half squared difference is at least this multiple of the
#: closest third's: the 95% quantile of that ratio for 12 independent baselines at the Beijing
#: stations (20,000 simulations; tests/cases/ozone/test_gp_figures.py checks it). A single
#: pair's half squared difference is a scaled chi-square with one degree of freedom, so a
#: third's mean is noisy, and pairs sharing a station are dependent.
GROWS_RATIO = 2.75
#: Colour map of the correlation on the station map: one hue, light (weak correlation) to dark
#: (strong), readable with any colour-vision deficiency; its near-white end is cut.
CORRELATION_CMAP = "Blues"
#: Colour maps of the kriging map's mean and sd.
MEAN_CMAP, SD_CMAP = "viridis", "magma_r"

_KM_PER_DEGREE = np.pi * EARTH_RADIUS_KM / 180.0


# ---------------------------------------------------------------------------------------------
# The kernel slides
# ---------------------------------------------------------------------------------------------


def _at(x: np.ndarray, y: np.ndarray, x0: float) -> NDArray[np.float64]:
    """``y[..., i]`` where ``x[i] == x0`` (the grid holds ``x0`` exactly), else interpolated."""
    hit = np.flatnonzero(x == x0)
    if hit.size:
        return np.asarray(y)[..., hit[0]]
    return np.apply_along_axis(lambda row: np.interp(x0, x, row), -1, y)


def _band(curves: np.ndarray) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    tail = (1 - BAND) / 2
    return np.quantile(curves, tail, axis=0), np.quantile(curves, 1 - tail, axis=0)


def _kernel_axes(fig: Figure, d: np.ndarray, pairs: np.ndarray) -> tuple[Axes, Axes]:
    """Correlation above, density of ell below, sharing the km axis; the pairs as a rug."""
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2.6, 1.2]})
    top.set_xlim(0, float(d.max()))
    top.set_ylim(0, 1.02)
    top.set_ylabel("correlation $k(d)/\\sigma_{gp}^2$")
    top.vlines(pairs, 0, 0.06, color="0.15", lw=1.6, label="station pairs", zorder=4)
    for x in (pairs.min(), pairs.max()):
        top.axvline(float(x), color="0.4", ls=":", lw=1.5)
    bottom.set_xlabel("distance $d$ between two places, and length-scale $\\ell$ (km)")
    bottom.set_ylabel("density of $\\ell$\n(per km)")
    for x in (pairs.min(), pairs.max()):
        bottom.axvline(float(x), color="0.4", ls=":", lw=1.5)
    return top, bottom


#: A white box behind a text drawn over curves.
_BOX = {"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 2}


def _legend_lines(ax: Axes, lines: Sequence[tuple[str, str]], *, fontsize: float = 16) -> None:
    """Direct labels in the upper right corner, one line each, in their colours."""
    for k, (text, colour) in enumerate(lines):
        ax.annotate(
            text, (0.99, 0.97), xycoords="axes fraction", xytext=(0, -1.7 * fontsize * k),
            textcoords="offset points", ha="right", va="top", fontsize=fontsize, color=colour,
            bbox=_BOX, zorder=7,
        )  # fmt: skip


def _rug_label(n_pairs: int) -> tuple[str, str]:
    return (f"ticks at the foot: the {n_pairs} station-pair distances", "0.15")


def _prior_density(
    ax: Axes, x: np.ndarray, density: np.ndarray, pairs: np.ndarray, *, shade: bool = True
) -> float:
    """The prior density of ell, shaded between the closest and farthest pair; its mass there."""
    lo, hi = float(pairs.min()), float(pairs.max())
    inside = (x >= lo) & (x <= hi)
    mass = float(np.trapezoid(density[inside], x[inside]))
    ax.plot(x, density, color=PRIOR_COLOR, label="prior density", zorder=3)
    if shade:
        ax.fill_between(
            x[inside], 0, density[inside], color=PRIOR_COLOR, alpha=0.2, lw=0, label="prior mass"
        )
    ax.set_ylim(0, float(density.max()) * 1.25)
    return mass


def _density_median(x: np.ndarray, density: np.ndarray) -> float:
    """The median of a density drawn on a grid from 0: where its trapezoid-rule cdf is 1/2."""
    cdf = np.r_[0.0, np.cumsum(np.diff(x) * (density[1:] + density[:-1]) / 2)]
    return float(np.interp(0.5, cdf, x))


def plot_kernel_prior(
    d: ArrayLike,
    prior_curves: ArrayLike,
    ell_grid: ArrayLike,
    ell_density: ArrayLike,
    pairs: ArrayLike,
    *,
    threshold: float = THRESHOLD,
    note: str | None = None,
) -> Figure:
    r"""Correlation curves drawn from the prior on :math:`\ell`, over the stations' distances.

    Parameters
    ----------
    d : array_like of shape (m,)
        Distances (km), increasing; should hold the median pair distance exactly.
    prior_curves : array_like of shape (S, m)
        :math:`\exp(-d^2/(2\ell^2))` for S prior draws of :math:`\ell`.
    ell_grid, ell_density : array_like of shape (g,)
        The prior density of :math:`\ell` (per km) on a grid holding the closest and farthest
        pair distance exactly.
    pairs : array_like of shape (p,)
        The station-pair distances (km).
    threshold : float
        The correlation whose share of curves the title counts at the median pair distance.
    note : str, optional
        The grey subtitle: which data and fit (:func:`teachkit.plots.labels.note`).

    Returns
    -------
    Figure
        Its claim: the prior mass of :math:`\ell` between the closest and farthest pair
        (trapezoid rule on the drawn density) and the share of drawn curves above
        ``threshold`` at the median pair distance.
    """
    x, curves = np.asarray(d, dtype=float), np.asarray(prior_curves, dtype=float)
    eg, ed = np.asarray(ell_grid, dtype=float), np.asarray(ell_density, dtype=float)
    p = np.asarray(pairs, dtype=float)
    d_med = float(np.median(p))
    share = float(np.mean(_at(x, curves, d_med) > threshold))
    ell_median = _density_median(eg, ed)
    with slide_style():
        fig = plt.figure(layout="constrained")
        top, bottom = _kernel_axes(fig, x, p)
        from matplotlib.collections import LineCollection

        segments = np.stack([np.broadcast_to(x, curves.shape), curves], axis=-1)
        top.add_collection(
            LineCollection(
                list(segments), colors=PRIOR_COLOR, alpha=0.05, lw=1.0, label="prior curves"
            )
        )
        top.axvline(d_med, color="0.25", ls="--", lw=1.5)
        top.axhline(threshold, color="0.25", ls=":", lw=1.5)
        top.annotate(
            f"median pair distance {d_med:.1f} km:\n"
            f"{share:.0%} of the {len(curves):,} curves above {threshold:g}",
            (d_med, threshold),
            xytext=(14, -50),
            textcoords="offset points",
            va="top",
            fontsize=15,
            color="0.15",
            arrowprops={"arrowstyle": "-", "color": "0.4", "lw": 1},
            bbox=_BOX,
        )
        _legend_lines(
            top,
            [
                (
                    r"each curve: $\exp(-d^2/2\ell^2)$ for one draw of $\ell$ from its prior",
                    darker(PRIOR_COLOR),
                ),
                _rug_label(len(p)),
            ],
        )
        mass = _prior_density(bottom, eg, ed, p)
        bottom.text(
            float(np.sqrt(p.min() * p.max())) + 12,
            float(ed.max()) * 0.7,
            f"{mass:.0%} of the prior between the closest\n"
            f"({p.min():.1f} km) and the farthest pair ({p.max():.1f} km);\n"
            f"its median {ell_median:.0f} km",
            fontsize=15,
            color=darker(PRIOR_COLOR),
            va="center",
        )
        text = (
            rf"The prior keeps $\ell$ within the stations' distances: {mass:.0%} in "
            rf"{p.min():.1f}-{p.max():.1f} km, median {ell_median:.0f} km;"
            "\n"
            rf"at the median pair distance ({d_med:.1f} km) {share:.0%} of its correlation "
            rf"curves exceed {threshold:g}"
        )
        fig.suptitle(text, fontsize=21)
        if note is not None:
            _note(fig, note)
    numbers = {
        "mass": mass,
        "closest": float(p.min()),
        "farthest": float(p.max()),
        "median": d_med,
        "share": share,
        "threshold": threshold,
        "ell_median": ell_median,
    }
    data = {"d": x, "prior_curves": curves, "ell_grid": eg, "ell_density": ed, "pairs": p}
    return attach_claim(fig, Claim(text, numbers, data))


def plot_kernel_posterior(
    d: ArrayLike,
    prior_curves: ArrayLike,
    ell_grid: ArrayLike,
    ell_density: ArrayLike,
    pairs: ArrayLike,
    posterior_curves: ArrayLike,
    ell_posterior: ArrayLike,
    *,
    ell_prior: ArrayLike,
    note: str | None = None,
) -> Figure:
    r"""Posterior correlation curves (mean, 94% band) against the prior's, on the prior's axes.

    Parameters
    ----------
    d, prior_curves, ell_grid, ell_density, pairs
        As :func:`plot_kernel_prior`.
    posterior_curves : array_like of shape (S, m)
        :math:`\exp(-d^2/(2\ell^2))` for the posterior draws of :math:`\ell`.
    ell_posterior : array_like of shape (S,)
        The posterior draws of :math:`\ell` (km), drawn as a histogram.
    ell_prior : array_like
        The prior draws of :math:`\ell` behind ``prior_curves`` (their interval is printed).
    note : str, optional
        The grey subtitle.

    Returns
    -------
    Figure
        Its claim: whether the data "barely inform" :math:`\ell` (the prior's and the
        posterior's 94% bands of the correlation at the median pair distance overlap by at
        least :data:`BARELY_INFORMED` of their union), and the prior's and the posterior's 94%
        intervals of :math:`\ell` (drawn as bars over the densities), with "only the long
        tail is trimmed" when their lower ends agree in whole km and the posterior's upper end
        is lower.
    """
    x = np.asarray(d, dtype=float)
    prior, post = (np.asarray(c, dtype=float) for c in (prior_curves, posterior_curves))
    eg, ed = np.asarray(ell_grid, dtype=float), np.asarray(ell_density, dtype=float)
    p = np.asarray(pairs, dtype=float)
    ell = np.asarray(ell_posterior, dtype=float)
    d_med = float(np.median(p))
    bands = {"prior": _band(prior), "posterior": _band(post)}
    means = {"prior": prior.mean(axis=0), "posterior": post.mean(axis=0)}
    at = {k: (float(_at(x, lo, d_med)), float(_at(x, hi, d_med))) for k, (lo, hi) in bands.items()}
    overlap = _overlap(at["prior"], at["posterior"])
    with slide_style():
        fig = plt.figure(layout="constrained")
        top, bottom = _kernel_axes(fig, x, p)
        lo, hi = bands["posterior"]
        top.fill_between(x, lo, hi, color=POSTERIOR_COLOR, alpha=0.3, lw=0, label="posterior band")
        top.plot(x, means["posterior"], color=POSTERIOR_COLOR, label="posterior mean")
        lo, hi = bands["prior"]
        top.plot(x, lo, color=PRIOR_COLOR, ls="--", lw=1.5, label="prior band low")
        top.plot(x, hi, color=PRIOR_COLOR, ls="--", lw=1.5, label="prior band high")
        top.plot(x, means["prior"], color=PRIOR_COLOR, ls=(0, (1, 1.5)), label="prior mean")
        top.axvline(d_med, color="0.25", ls=":", lw=1.5)
        _legend_lines(
            top,
            [
                (f"posterior: mean (line) and {BAND:.0%} band (shaded)", darker(POSTERIOR_COLOR)),
                (f"prior: mean (dotted) and {BAND:.0%} band (dashed)", darker(PRIOR_COLOR)),
                _rug_label(len(p)),
            ],
        )
        top.text(
            d_med + 0.8, 0.42, f"median pair\ndistance {d_med:.1f} km", fontsize=14,
            color="0.25", va="bottom", bbox=_BOX,
        )  # fmt: skip
        _prior_density(bottom, eg, ed, p, shade=False)
        edges = np.linspace(0.0, float(x.max()), 53)
        heights = np.histogram(ell, bins=edges)[0] / (len(ell) * np.diff(edges))
        bottom.stairs(
            heights, edges, fill=True, color=POSTERIOR_COLOR, alpha=0.45, label="posterior"
        )
        ymax = max(float(ed.max()), float(heights.max())) * 1.6  # room for the bars above
        bottom.set_ylim(0, ymax)
        tail = (1 - BAND) / 2
        ell_lo, ell_hi = np.quantile(ell, [tail, 1 - tail])
        prior_lo, prior_hi = np.quantile(np.asarray(ell_prior, dtype=float), [tail, 1 - tail])
        for (a, b), colour, label, y, words in (
            ((prior_lo, prior_hi), PRIOR_COLOR, "prior interval", 0.88,
             f"prior (line): {prior_lo:.0f}-{prior_hi:.0f} km"),
            ((ell_lo, ell_hi), POSTERIOR_COLOR, "posterior interval", 0.7,
             f"posterior (histogram): {ell_lo:.0f}-{ell_hi:.0f} km"),
        ):  # fmt: skip
            bottom.plot([a, b], [y * ymax] * 2, color=colour, lw=5, solid_capstyle="butt",
                        label=label, zorder=5)  # fmt: skip
            bottom.text(b + 0.8, y * ymax, f"$\\ell$, {BAND:.0%} interval, {words}",
                        va="center", fontsize=15, color=darker(colour), bbox=_BOX)  # fmt: skip
        (plo, phi), (qlo, qhi) = at["prior"], at["posterior"]
        stations = len(_stations(p))
        text = (
            rf"{stations} stations barely inform $\ell$: the posterior curves stay near the prior's"
            if overlap >= BARELY_INFORMED
            else rf"{stations} stations inform $\ell$: the posterior curves move off the prior's"
        )
        same_low = round(float(ell_lo)) == round(float(prior_lo))
        trimmed = same_low and round(float(ell_hi)) < round(float(prior_hi))
        text += (
            "\n"
            rf"$\ell$, {BAND:.0%}: prior {prior_lo:.0f}-{prior_hi:.0f} km, posterior "
            rf"{ell_lo:.0f}-{ell_hi:.0f} km"
            + (": only the long tail is trimmed" if trimmed else "")
        )
        fig.suptitle(text, fontsize=21)
        if note is not None:
            _note(fig, note)
    numbers = {
        "stations": stations,
        "median": d_med,
        "prior_low": plo,
        "prior_high": phi,
        "posterior_low": qlo,
        "posterior_high": qhi,
        "overlap": overlap,
        "ell_low": float(ell_lo),
        "ell_high": float(ell_hi),
        "ell_prior_low": float(prior_lo),
        "ell_prior_high": float(prior_hi),
        "tail_trimmed": float(trimmed),
    }
    data = {"d": x, "posterior_curves": post, "prior_curves": prior, "ell": ell, "pairs": p}
    return attach_claim(fig, Claim(text, numbers, data))


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Intersection over union of two intervals (1 when equal, 0 when disjoint)."""
    inter = max(0.0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union > 0 else 1.0


def _note(fig: Figure, text: str) -> None:
    from teachkit.plots.labels import note

    note(fig, text)


def _stations(pairs: np.ndarray) -> range:
    """The stations behind n(n-1)/2 pair distances: n."""
    n = round((1 + np.sqrt(1 + 8 * len(pairs))) / 2)
    return range(n)


# ---------------------------------------------------------------------------------------------
# Maps
# ---------------------------------------------------------------------------------------------


def equal_distance_aspect(lat: ArrayLike) -> float:
    """The axes aspect (latitude per longitude) at which a km east is as long as a km north."""
    return float(1.0 / np.cos(np.radians(np.mean(np.asarray(lat, dtype=float)))))


def _map_axes(ax: Axes, lat: np.ndarray) -> None:
    ax.set_aspect(equal_distance_aspect(lat))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")


def _scale_bar(ax: Axes, lat: np.ndarray, km: float = 10.0, *, color: str = "0.1") -> None:
    """A ``km`` bar in the lower right corner of a map."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    width = km / (_KM_PER_DEGREE * np.cos(np.radians(np.mean(lat))))
    right, low = x1 - 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0)
    ax.plot([right - width, right], [low, low], color=color, lw=4, solid_capstyle="butt")
    ax.text(
        right - width / 2, low + 0.015 * (y1 - y0), f"{km:g} km", ha="center", va="bottom",
        fontsize=14, color=color,
    )  # fmt: skip


#: Offsets (points) tried, in order, for a station's name: right, left, above, below, diagonals,
#: then right and left shifted half a line down or up.
_LABEL_OFFSETS: tuple[tuple[float, float, str, str], ...] = (
    (9, 0, "left", "center"),
    (-9, 0, "right", "center"),
    (0, 10, "center", "bottom"),
    (0, -10, "center", "top"),
    (8, 8, "left", "bottom"),
    (-8, 8, "right", "bottom"),
    (8, -8, "left", "top"),
    (-8, -8, "right", "top"),
    (9, -7, "left", "center"),
    (9, 7, "left", "center"),
    (-9, -7, "right", "center"),
    (-9, 7, "right", "center"),
)


def _label_stations(
    ax: Axes, lon: np.ndarray, lat: np.ndarray, names: Sequence[str], *, fontsize: float = 13
) -> list:
    """Name each station beside its marker where the name hits no other name or marker."""
    from matplotlib import patheffects

    fig = ax.figure
    fig.canvas.draw()  # lay out first: the offsets are in points, the positions in data
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    points = to_px(np.column_stack([lon, lat]))
    taken = [np.array([px - 8, py - 8, px + 8, py + 8]) for px, py in points]
    frame = ax.get_window_extent(renderer)
    texts = []
    crowd = [np.sum(np.hypot(*(points - pt).T) < 80) for pt in points]
    for j in np.argsort(crowd, kind="stable")[::-1]:
        chosen = None
        for dx, dy, ha, va in _LABEL_OFFSETS:
            text = ax.annotate(
                names[j], (lon[j], lat[j]), xytext=(dx, dy), textcoords="offset points",
                ha=ha, va=va, fontsize=fontsize, color="0.1", zorder=6,
                path_effects=[patheffects.withStroke(linewidth=3, foreground="white")],
            )  # fmt: skip
            box = text.get_window_extent(renderer)
            b = np.array([box.x0, box.y0, box.x1, box.y1])
            inside = b[0] >= frame.x0 and b[2] <= frame.x1 and b[1] >= frame.y0 and b[3] <= frame.y1
            clear = all(
                min(b[2], t[2]) - max(b[0], t[0]) <= 0 or min(b[3], t[3]) - max(b[1], t[1]) <= 0
                for k, t in enumerate(taken)
                if k != j
            )
            if inside and clear:
                chosen = (text, b)
                break
            text.remove()
        if chosen is None:  # nowhere free: the first place, the lint will say
            dx, dy, ha, va = _LABEL_OFFSETS[0]
            text = ax.annotate(
                names[j], (lon[j], lat[j]), xytext=(dx, dy), textcoords="offset points",
                ha=ha, va=va, fontsize=fontsize, color="0.1", zorder=6,
                path_effects=[patheffects.withStroke(linewidth=3, foreground="white")],
            )  # fmt: skip
            box = text.get_window_extent(renderer)
            chosen = (text, np.array([box.x0, box.y0, box.x1, box.y1]))
        chosen[0].set_in_layout(False)  # inside the frame: the layout it was placed for stays
        taken.append(chosen[1])
        texts.append(chosen[0])
    return texts


def _station_markers(ax: Axes, lon: np.ndarray, lat: np.ndarray) -> None:
    for j in range(len(lon)):
        ax.scatter(
            lon[j], lat[j], s=110, color=station_color(j), edgecolor="black", lw=1.2,
            zorder=5, label=f"station {j}",
        )  # fmt: skip


def _value_markers(
    ax: Axes,
    lon: np.ndarray,
    lat: np.ndarray,
    values: np.ndarray | None,
    *,
    cmap: str,
    limits: tuple[float, float],
) -> None:
    """Station markers filled with ``values`` on the map's colour scale, or white."""
    for j in range(len(lon)):
        if values is None:
            ax.scatter(lon[j], lat[j], s=110, color="white", edgecolor="black", lw=1.5,
                       zorder=5, label=f"station {j}")  # fmt: skip
        else:
            ax.scatter(
                lon[j], lat[j], s=150, c=[values[j]], cmap=cmap, vmin=limits[0],
                vmax=limits[1], edgecolor="black", lw=1.8, zorder=5, label=f"station {j}",
            )  # fmt: skip


def _padded_limits(ax: Axes, lon: np.ndarray, lat: np.ndarray, pad: float = 0.12) -> None:
    dx, dy = np.ptp(lon), np.ptp(lat)
    ax.set_xlim(lon.min() - pad * dx, lon.max() + pad * dx)
    ax.set_ylim(lat.min() - pad * dy, lat.max() + pad * dy)


def _correlation_cmap() -> Colormap:
    """Blues without its near-white end: a correlation of 0 stays visible on white."""
    import matplotlib as mpl
    from matplotlib.colors import ListedColormap

    return ListedColormap(mpl.colormaps[CORRELATION_CMAP](np.linspace(0.2, 1.0, 256)))


def plot_station_correlation(
    lat: ArrayLike,
    lon: ArrayLike,
    names: Sequence[str],
    corr: ArrayLike,
    *,
    band_d: ArrayLike,
    curves: ArrayLike,
    note: str | None = None,
) -> Figure:
    r"""The stations on a map, every pair joined by a line as wide and dark as its correlation.

    Beside the map, the same correlations against the pairs' great-circle distances, in the
    same colours, over the 94% band of the model's correlation curve :math:`\rho(d)`.

    Parameters
    ----------
    lat, lon : array_like of shape (n,)
        The stations (degrees).
    names : sequence of n str
    corr : array_like of shape (n, n)
        Posterior mean of the model's correlation of each pair's intercepts; the diagonal is
        not drawn.
    band_d : array_like of shape (m,)
        Distances (km) of the band, increasing, from 0, holding every pair distance exactly.
    curves : array_like of shape (S, m)
        :math:`\rho(d)` at ``band_d`` per posterior draw.
    note : str, optional
        The grey subtitle.

    Returns
    -------
    Figure
        The map (first axes) and the correlation against distance; the claim: the posterior
        mean and 94% interval of the correlation of the closest and the farthest pair (named,
        with their distances), read as "barely known" when the closest pair's interval is at
        least :data:`BARELY_KNOWN` wide.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.colors import Normalize

    from teachkit.kernels import great_circle_km

    la, lo = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    c = np.asarray(corr, dtype=float)
    x, rho = np.asarray(band_d, dtype=float), np.asarray(curves, dtype=float)
    band_lo, band_hi = _band(rho)
    iu = np.triu_indices(len(la), 1)
    values = c[iu]
    dist = great_circle_km(la, lo)[iu]
    order = np.argsort(values)  # strong lines drawn last, on top
    norm, cmap = Normalize(0.0, 1.0), _correlation_cmap()
    close, far = int(np.argmin(dist)), int(np.argmax(dist))
    interval = {
        k: (float(_at(x, band_lo, float(dist[k]))), float(_at(x, band_hi, float(dist[k]))))
        for k in (close, far)
    }
    share = (float(_at(x, band_lo, 0.0)), float(_at(x, band_hi, 0.0)))
    width = interval[close][1] - interval[close][0]

    def pair(k: int) -> str:
        return f"{names[iu[0][k]]}-{names[iu[1][k]]}"

    with slide_style():
        fig = plt.figure(layout="constrained")
        ax, right = fig.subplots(1, 2, width_ratios=(1.0, 1.05))
        segments = [[(lo[iu[0][k]], la[iu[0][k]]), (lo[iu[1][k]], la[iu[1][k]])] for k in order]
        lines = LineCollection(
            segments, array=values[order], cmap=cmap, norm=norm,
            linewidths=0.8 + 7.0 * values[order], zorder=2, label="pairs",
        )  # fmt: skip
        ax.add_collection(lines)
        _station_markers(ax, lo, la)
        _padded_limits(ax, lo, la)
        _map_axes(ax, la)
        ax.set_title(r"line colour and width: posterior mean of $\rho$", fontsize=16)
        _scale_bar(ax, la)
        right.fill_between(
            x, band_lo, band_hi, color=PALETTE[0], alpha=0.18, lw=0, label="band", zorder=1
        )
        right.scatter(
            dist, values, c=values, cmap=cmap, norm=norm, s=70, edgecolor="0.2", lw=0.6,
            zorder=3, label="pairs",
        )  # fmt: skip
        right.set_xlim(0, float(dist.max()) * 1.05)
        right.set_ylim(0, 1.02)
        right.set_xlabel("distance between the two stations (km)")
        right.set_ylabel(r"model correlation $\rho(d)$ of two baselines")
        right.set_title(f"the {len(values)} pairs by distance", fontsize=16)
        _legend_lines(
            right,
            [
                ("dots: posterior mean per pair", "0.15"),
                (f"shaded: {BAND:.0%} of the posterior draws of $\\rho(d)$", darker(PALETTE[0])),
                (
                    f"at 0 km, the spatial share $\\sigma_{{gp}}^2/(\\sigma_{{gp}}^2+"
                    f"\\sigma_\\alpha^2)$: {share[0]:.2f}-{share[1]:.2f}",
                    darker(PALETTE[0]),
                ),
            ],
            fontsize=14,
        )
        for k, ha in ((close, "left"), (far, "right")):
            right.annotate(
                pair(k), (dist[k], values[k]), xytext=(12 if ha == "left" else -8, -40 if
                ha == "left" else 40), textcoords="offset points", ha=ha, fontsize=14,
                color="0.15", arrowprops={"arrowstyle": "-", "color": "0.4", "lw": 1}, bbox=_BOX,
            )  # fmt: skip
        known = "barely known" if width >= BARELY_KNOWN else "known"
        text = (
            f"The model's correlation falls with distance by construction; its level is {known}:"
            f"\n{values[close]:.2f} ({BAND:.0%}: {interval[close][0]:.2f}-{interval[close][1]:.2f})"
            f" for {pair(close)} ({dist[close]:.1f} km), {values[far]:.2f} "
            f"({interval[far][0]:.2f}-{interval[far][1]:.2f}) at {dist[far]:.1f} km"
        )
        fig.suptitle(text, fontsize=19)
        if note is not None:
            _note(fig, note)
        _label_stations(ax, lo, la, names, fontsize=12)
    numbers = {
        "closest": float(values[close]),
        "closest_low": interval[close][0],
        "closest_high": interval[close][1],
        "closest_km": float(dist[close]),
        "farthest": float(values[far]),
        "farthest_low": interval[far][0],
        "farthest_high": interval[far][1],
        "farthest_km": float(dist[far]),
        "share_low": share[0],
        "share_high": share[1],
    }
    data = {"lat": la, "lon": lo, "corr": c, "band_d": x, "curves": rho}
    return attach_claim(fig, Claim(text, numbers, data))


def plot_kriging_map(
    grid_lat: ArrayLike,
    grid_lon: ArrayLike,
    mean: ArrayLike,
    sd: ArrayLike,
    lat: ArrayLike,
    lon: ArrayLike,
    names: Sequence[str],
    *,
    station_means: ArrayLike | None = None,
    note: str | None = None,
) -> Figure:
    r"""The kriged intercept surface: posterior mean (left) and sd (right), stations marked.

    Parameters
    ----------
    grid_lat, grid_lon : array_like of shapes (a,) and (b,)
        The grid's latitudes and longitudes (degrees), increasing, evenly spaced.
    mean, sd : array_like of shape (a, b)
        Posterior mean and sd of :math:`\mu_\alpha + f(x)` at each grid point.
    lat, lon : array_like of shape (n,)
        The stations.
    names : sequence of n str
    station_means : array_like of shape (n,), optional
        Posterior mean of each station's intercept :math:`\alpha_j`: the mean map's markers
        are filled with it on the surface's colour scale (the surface is the smooth part
        :math:`\mu_\alpha + f(x)`, without a station's own :math:`e_j`); without it, and on
        the sd map, the markers are white.
    note : str, optional
        The grey subtitle.

    Returns
    -------
    Figure
        Two map axes with colour bars; its claim: the smallest sd on the grid and the
        station nearest to where it is, and the largest sd with its distance to the nearest
        station.
    """
    from teachkit.kernels import great_circle_between

    glat, glon = np.asarray(grid_lat, dtype=float), np.asarray(grid_lon, dtype=float)
    m, s = np.asarray(mean, dtype=float), np.asarray(sd, dtype=float)
    la, lo = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    lat2, lon2 = np.meshgrid(glat, glon, indexing="ij")
    nearest = great_circle_between(lat2.ravel(), lon2.ravel(), la, lo)
    i_min, i_max = int(np.argmin(s)), int(np.argmax(s))
    near_station = names[int(np.argmin(nearest[i_min]))]
    far_km = float(nearest[i_max].min())
    dlat, dlon = np.diff(glat).mean() / 2, np.diff(glon).mean() / 2
    extent = (glon[0] - dlon, glon[-1] + dlon, glat[0] - dlat, glat[-1] + dlat)
    fills = None if station_means is None else np.asarray(station_means, dtype=float)
    limits = (float(m.min()), float(m.max()))
    if fills is not None:
        limits = (min(limits[0], float(fills.min())), max(limits[1], float(fills.max())))
    with slide_style():
        fig = plt.figure(layout="constrained")
        axes = fig.subplots(1, 2)
        for ax, values, cmap, label, title, scale in (
            (axes[0], m, MEAN_CMAP, r"$\mu_\alpha + f(x)$ (log µg/m³ at 0 °C)",
             "posterior mean", limits),
            (axes[1], s, SD_CMAP, r"sd of $\mu_\alpha + f(x)$ (log µg/m³)", "posterior sd",
             (None, None)),
        ):  # fmt: skip
            image = ax.imshow(
                values, origin="lower", extent=extent, cmap=cmap, interpolation="bilinear",
                label=title, vmin=scale[0], vmax=scale[1],
            )  # fmt: skip
            _value_markers(ax, lo, la, fills if ax is axes[0] else None, cmap=cmap, limits=limits)
            ax.set_xlim(extent[0], extent[1])
            ax.set_ylim(extent[2], extent[3])
            _map_axes(ax, la)
            ax.set_title(title, fontsize=18)
            bar = fig.colorbar(image, ax=ax, shrink=0.95, pad=0.02)
            bar.set_label(label, fontsize=15)
        _scale_bar(axes[0], la, color="white")
        axes[1].set_ylabel("")
        axes[1].tick_params(labelleft=False)
        text = (
            f"The kriged baseline is surest near the stations: sd {s.flat[i_min]:.3f} near "
            f"{near_station},\n{s.flat[i_max]:.2f} where the nearest station is "
            f"{far_km:.0f} km away"
        )
        fig.suptitle(text, fontsize=21)
        if note is not None:
            _note(fig, note)
        _label_stations(axes[0], lo, la, names, fontsize=11)
    numbers = {
        "sd_min": float(s.flat[i_min]),
        "sd_max": float(s.flat[i_max]),
        "far_km": far_km,
    }
    data = {"grid_lat": glat, "grid_lon": glon, "mean": m, "sd": s, "lat": la, "lon": lo}
    return attach_claim(fig, Claim(text, numbers, data))


# ---------------------------------------------------------------------------------------------
# The baselines' semivariogram
# ---------------------------------------------------------------------------------------------


def plot_baseline_semivariogram(
    pairs: ArrayLike,
    semivariance: ArrayLike,
    d: ArrayLike,
    model_curves: ArrayLike,
    *,
    note: str | None = None,
) -> Figure:
    r"""The stations' baselines: half the squared difference of each pair against its distance.

    Each dot is one pair's :math:`\tfrac12(\alpha_j - \alpha_k)^2` (an empirical semivariogram
    of the baselines); the closest and the farthest third of the pairs have their means drawn
    as horizontal segments over their distances. Behind them, the semivariogram the GP model
    implies given its hyperparameters,

    .. math::

        \gamma(d) = E\left[\tfrac12(\alpha_j - \alpha_k)^2 \mid d_{jk} = d\right]
            = \sigma_{gp}^2 \left(1 - e^{-d^2/2\ell^2}\right) + \sigma_\alpha^2 + 10^{-6},

    posterior mean and 94% band over its draws.

    Parameters
    ----------
    pairs : array_like of shape (p,)
        The pairs' distances (km).
    semivariance : array_like of shape (p,)
        :math:`\tfrac12(\alpha_j - \alpha_k)^2` per pair ((log µg/m³)²).
    d : array_like of shape (m,)
        Distances (km) of the model's curve, increasing.
    model_curves : array_like of shape (S, m)
        :math:`\gamma(d)` per posterior draw.
    note : str, optional
        The grey subtitle.

    Returns
    -------
    Figure
        Its claim: the means of the closest and the farthest third of the pairs (with their
        distance ranges), and whether the baselines' differences grow with distance: the
        farthest third's mean is at least :data:`GROWS_RATIO` times the closest third's.
    """
    p, g = np.asarray(pairs, dtype=float), np.asarray(semivariance, dtype=float)
    x, curves = np.asarray(d, dtype=float), np.asarray(model_curves, dtype=float)
    order = np.argsort(p, kind="stable")
    third = len(p) // 3
    groups = {"closest third": order[:third], "farthest third": order[-third:]}
    means = {k: float(g[idx].mean()) for k, idx in groups.items()}
    spans = {k: (float(p[idx].min()), float(p[idx].max())) for k, idx in groups.items()}
    ratio = means["farthest third"] / means["closest third"]
    lo, hi = _band(curves)
    top = float(g.max()) * 1.3  # room for the labels above the dots
    with slide_style():
        fig = plt.figure(layout="constrained")
        ax = fig.subplots()
        ax.fill_between(x, lo, hi, color=POSTERIOR_COLOR, alpha=0.2, lw=0, label="model band")
        ax.plot(x, curves.mean(axis=0), color=POSTERIOR_COLOR, lw=2.5, label="model mean")
        ax.scatter(p, g, s=80, color=PALETTE[0], edgecolor="white", lw=0.8, zorder=4,
                   label="pairs")  # fmt: skip
        for k in groups:
            a, b = spans[k]
            ax.plot([a, b], [means[k]] * 2, color="black", lw=4, solid_capstyle="butt",
                    zorder=5, label=k)  # fmt: skip
        ax.text(
            0.01, 0.97,
            "black: mean of a third of the pairs\n"
            + "\n".join(f"{k} ({spans[k][0]:.0f}-{spans[k][1]:.0f} km): {means[k]:.4f}"
                        for k in groups),
            transform=ax.transAxes, ha="left", va="top", fontsize=15, color="0.1", bbox=_BOX,
            zorder=6,
        )  # fmt: skip
        ax.set_xlim(0, float(x.max()))
        ax.set_ylim(0, top)
        ax.set_xlabel("distance between the two stations (km)")
        ax.set_ylabel(r"$\frac{1}{2}(\alpha_j - \alpha_k)^2$ ((log µg/m³)²)")
        _legend_lines(
            ax,
            [
                (
                    rf"dots: the {len(p)} pairs, $\alpha_j$ from the varying-intercepts fit "
                    "(posterior means)",
                    darker(PALETTE[0]),
                ),
                (
                    rf"line and band: the GP model's $\gamma(d)$, mean and {BAND:.0%}",
                    darker(POSTERIOR_COLOR),
                ),
            ],
            fontsize=15,
        )
        lead = (
            "Baselines of distant stations differ more than those of near ones"
            if ratio >= GROWS_RATIO
            else "Baselines of near stations differ about as much as those of distant ones"
        )
        text = (
            f"{lead}:\nmean of $\\frac{{1}}{{2}}(\\alpha_j - \\alpha_k)^2$ "
            f"{means['closest third']:.4f}"
            f" for the closest third of pairs, {means['farthest third']:.4f} for the farthest"
        )
        fig.suptitle(text, fontsize=21)
        if note is not None:
            _note(fig, note)
    numbers = {
        "closest": means["closest third"],
        "farthest": means["farthest third"],
        "ratio": ratio,
        "closest_from": spans["closest third"][0],
        "closest_to": spans["closest third"][1],
        "farthest_from": spans["farthest third"][0],
        "farthest_to": spans["farthest third"][1],
    }
    data = {"pairs": p, "semivariance": g, "d": x, "model_curves": curves}
    return attach_claim(fig, Claim(text, numbers, data))
