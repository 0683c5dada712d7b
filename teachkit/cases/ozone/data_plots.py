r"""Plots of the ozone data and its first two models (storyboard rows 7-13), from arrays.

Every function takes plain arrays (no fits), draws one slide and attaches the title's
:class:`~teachkit.figure_entry.Claim`: the sentence and every number in it, computed from the
arrays it draws. Temperature is the daily maximum in deg C, ozone the daily maximum in ug/m3
(or its natural log); a slope :math:`\beta` of log ozone per deg C is an increase of
:math:`100\,(e^\beta - 1)` per cent per deg C (:func:`percent_change`).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import LogNorm, to_rgb
from matplotlib.figure import Figure
from matplotlib.ticker import MultipleLocator
from matplotlib.transforms import Bbox
from numpy.typing import ArrayLike

from teachkit.figure_entry import Claim, attach_claim
from teachkit.kernels import EARTH_RADIUS_KM, great_circle_km
from teachkit.plots.labels import label_ends
from teachkit.plots.style import PALETTE, darker, station_color

__all__ = [
    "LOG_OZONE_LABEL",
    "OZONE_LABEL",
    "TEMP_LABEL",
    "TEMP_RANGE",
    "percent_change",
    "plot_data_pooled",
    "plot_pooled_curve",
    "plot_prior_predictive_step",
    "plot_station_intercepts",
    "plot_station_map",
    "plot_station_panels",
    "plot_varying_intercepts",
    "prior_line_draws",
    "share_between",
    "station_mean_residuals",
]

#: The temperatures every data slide spans (deg C): the coldest and hottest Beijing days, -14
#: and 41.6 deg C, with a margin.
TEMP_RANGE: tuple[float, float] = (-15.0, 42.0)
TEMP_LABEL = "daily max temperature (°C)"
LOG_OZONE_LABEL = "log daily max ozone (log µg/m³)"
OZONE_LABEL = "daily max ozone (µg/m³)"
#: Colour of the fitted line or curve: vermillion stands out on the blue density.
FIT_COLOR = PALETTE[5]
#: Colours of the prior-predictive build-up's lines, step by step (blue, vermillion) ...
STEP_COLORS: tuple[str, ...] = (PALETTE[0], PALETTE[5])
#: ... and of the range of log ozone ever measured (bluish green).
MEASURED_COLOR = PALETTE[2]
#: Colour map of the data density (light to dark, readable in grey scale).
DENSITY_CMAP = "Blues"


def percent_change(log_change: float) -> float:
    r"""The per-cent change of ozone for a change :math:`d` of log ozone.

    .. math:: X = 100\,(e^{d} - 1)

    With :math:`d = \beta`, the slope of log ozone per deg C, it is the change per deg C.

    Examples
    --------
    >>> round(percent_change(0.05), 2)
    5.13
    """
    return float(100.0 * np.expm1(log_change))


def share_between(values: ArrayLike, low: float, high: float) -> float:
    """Share of ``values`` in the closed interval [low, high].

    Examples
    --------
    >>> share_between([0.0, 1.0, 5.0, 9.0], 1.0, 5.0)
    0.5
    """
    v = np.asarray(values, dtype=float)
    return float(np.mean((v >= low) & (v <= high)))


def _density(
    ax: Axes,
    temp: ArrayLike,
    y: ArrayLike,
    extent: tuple[float, float, float, float],
    *,
    gridsize: tuple[int, int] = (57, 28),
    colorbar: bool = True,
) -> PolyCollection:
    """Every (temperature, y) pair as a hexagon-binned density on a log colour scale.

    The hexagons' array holds the counts (label "station-days"); only the colours are log.
    """
    cells = ax.hexbin(
        np.asarray(temp, dtype=float),
        np.asarray(y, dtype=float),
        gridsize=gridsize,
        extent=extent,
        mincnt=1,
        cmap=DENSITY_CMAP,
        norm=LogNorm(),  # a log colour scale shows the thin tails beside the dense core
        linewidths=0.2,
        label="station-days",
    )
    if colorbar:
        bar = ax.figure.colorbar(
            cells, ax=ax, label="station-days per hexagon (log scale)", pad=0.01, aspect=30
        )
        top = float(np.max(cells.get_array()))
        ticks = [t for t in (1, 3, 10, 30, 100, 300, 1000) if t <= top]
        bar.set_ticks(ticks, labels=[f"{t:g}" for t in ticks])
        bar.minorticks_off()
    return cells


def plot_data_pooled(
    temp: ArrayLike,
    log_ozone: ArrayLike,
    alpha: float,
    beta: float,
    *,
    temp_range: tuple[float, float] = TEMP_RANGE,
    fig: Figure | None = None,
) -> Figure:
    r"""Every station-day as a density of (T, log ozone), with the pooled line.

    Parameters
    ----------
    temp, log_ozone : array_like of shape (n,)
        One entry per station-day.
    alpha, beta : float
        The pooled line :math:`\alpha + \beta T` (e.g. posterior means).
    temp_range : (low, high)
        The x axis and the line's extent, deg C.

    Returns
    -------
    Figure
        One axes with a hexbin (label "station-days", every day counted), the line (label
        "pooled fit"), its "+X% per °C" annotation; the title "+X% peak ozone per °C", with
        X = :func:`percent_change` (beta), attached as the claim.
    """
    t, y = np.asarray(temp, dtype=float), np.asarray(log_ozone, dtype=float)
    fig = fig if fig is not None else plt.figure(layout="constrained")
    ax = fig.subplots()
    top = float(np.ceil(y.max() + 0.25))
    _density(ax, t, y, (*temp_range, min(0.0, float(np.floor(y.min()))), top))
    grid = np.linspace(*temp_range, 115)
    ax.plot(grid, alpha + beta * grid, color="white", lw=6, solid_capstyle="round")
    ax.plot(grid, alpha + beta * grid, color=FIT_COLOR, lw=3.5, label="pooled fit")
    x = percent_change(beta)
    ax.annotate(  # in the empty lower right; the leader rises to the line's hot end
        f"pooled fit: {x:+.1f}% per °C",
        (grid[-3], alpha + beta * grid[-3]),
        xytext=(0.99, 0.3),
        textcoords="axes fraction",
        ha="right",
        va="top",
        fontsize=18,
        color=darker(FIT_COLOR),
        arrowprops={
            "arrowstyle": "-",
            "color": darker(FIT_COLOR),
            "lw": 1.5,
            "relpos": (0.97, 1.0),
        },
        bbox={"boxstyle": "round", "fc": "white", "ec": "none", "alpha": 0.9},
    )
    ax.set_xlim(*temp_range)
    ax.set_ylim(min(0.0, float(np.floor(y.min()))), top)
    ax.set_xlabel(TEMP_LABEL)
    ax.set_ylabel(LOG_OZONE_LABEL)
    text = f"Hotter days, more ozone: {x:+.1f}% peak ozone per °C"
    ax.set_title(text)
    numbers = {"percent_per_degree": x, "alpha": alpha, "beta": beta}
    return attach_claim(fig, Claim(text, numbers, {"temp": t, "log_ozone": y}))


def prior_line_draws(
    sds: tuple[float, float], n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    r"""``n`` intercepts and slopes drawn from their priors.

    :math:`\alpha \sim N(0, s_\alpha)` and :math:`\beta \sim N(0, s_\beta)`, with ``sds`` =
    :math:`(s_\alpha, s_\beta)`.

    Examples
    --------
    >>> a, b = prior_line_draws((2.0, 0.1), 5, np.random.default_rng(0))
    >>> a.shape, b.shape
    ((5,), (5,))
    """
    return rng.normal(0.0, sds[0], n), rng.normal(0.0, sds[1], n)


def _power_of_ten(log_value: float) -> str:
    r"""exp(``log_value``) as mathtext ``m \times 10^{k}``, one significant digit.

    Examples
    --------
    >>> _power_of_ten(33.0)
    '2 \\times 10^{14}'
    """
    k = int(np.floor(log_value / np.log(10)))
    mantissa = np.exp(log_value - k * np.log(10))
    return rf"{mantissa:.0f} \times 10^{{{k}}}"


def _prior_label(sds: tuple[float, float]) -> str:
    return rf"$\alpha \sim N(0, {sds[0]:g})$, $\beta \sim N(0, {sds[1]:g})$"


def _ug_axis(ax: Axes, ylim: tuple[float, float]) -> Axes:
    """A right axis in ug/m3 for a left axis in log ug/m3: ticks at powers of ten."""
    right = ax.twinx()
    low = int(np.ceil(ylim[0] / np.log(10) / 5) * 5)  # the lowest power inside the limits ...
    high = int(np.floor(ylim[1] / np.log(10) / 5) * 5)  # ... and the highest
    powers = range(low, high + 1, 5) if high >= low else range(0)
    right.set_yticks([k * np.log(10) for k in powers], [rf"$10^{{{k}}}$" for k in powers])
    right.set_ylim(*ylim)  # after the ticks: set_yticks may widen the limits
    right.set_ylabel("daily max ozone (µg/m³)")
    right.spines["right"].set_visible(True)
    return right


def plot_prior_predictive_step(
    priors: Sequence[tuple[tuple[float, float], np.ndarray, np.ndarray]],
    measured: tuple[float, float],
    *,
    step: int,
    example: tuple[float, float] = (3.0, 1.0),
    at: float = 30.0,
    ylim: tuple[float, float] = (-40.0, 40.0),
    temp_range: tuple[float, float] = TEMP_RANGE,
    fig: Figure | None = None,
) -> Figure:
    r"""Step ``step`` of the prior-predictive build-up: lines of log ozone drawn from priors.

    Step 1 draws the lines of ``priors[0]`` and marks the ``example`` line's value at ``at``
    deg C; step 2 greys them and adds the lines of ``priors[1]``. Both steps have the same
    axes: y clipped to ``ylim`` (each prior's share of lines leaving it is written beside the
    plot), the range ever measured shaded, a right axis in ug/m3.

    Parameters
    ----------
    priors : sequence of ((sd_alpha, sd_beta), alpha draws, beta draws)
        One entry per step, in step order.
    measured : (low, high)
        The lowest and highest log ozone ever measured.
    step : int
        1 or 2: how many priors to draw.
    example : (alpha, beta)
        The lecture's example line, marked at ``at`` (3 + 1 x 30 = 33 log ug/m3).
    at : float
        The temperature at which the share of lines inside ``measured`` is counted.

    Returns
    -------
    Figure
        Axes 0: the lines (gid "prior-1", "prior-2"; the current step's coloured), the band
        (gid "measured"), the example (gid "example"); axes 1: the right axis; axes 2: the
        text column. The suptitle states the share of the current prior's lines inside
        ``measured`` at ``at`` (and step 1's, from step 2 on).
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    ax, side = fig.subplots(1, 2, width_ratios=(2.6, 1))
    grid = np.linspace(*temp_range, 115)
    shares, leaving = [], []
    for k, (sds, alpha, beta) in enumerate(priors[:step], start=1):
        a, b = np.ravel(alpha), np.ravel(beta)
        lines = a[None, :] + b[None, :] * grid[:, None]
        current = k == step
        colour = STEP_COLORS[k - 1] if current else "0.78"
        for line in ax.plot(
            grid, lines, color=colour, lw=0.8, alpha=0.45 if current else 0.5, rasterized=True
        ):
            line.set_gid(f"prior-{k}")
        shares.append(share_between(a + b * at, *measured))
        leaving.append(float(((lines < ylim[0]) | (lines > ylim[1])).any(axis=0).mean()))
        side.text(
            0.0,
            1.0 - 0.34 * (k - 1),
            f"step {k}:\n{_prior_label(sds)}\n"
            f"{len(a)} lines; at {at:g} °C {shares[-1]:.0%}\nin the measured range; "
            f"{leaving[-1]:.0%}\nleave the plot somewhere",
            transform=side.transAxes,
            va="top",
            fontsize=15,
            color=darker(colour) if current else "0.45",
        ).set_in_layout(False)  # the same layout at every step
    band = ax.axhspan(*measured, color=MEASURED_COLOR, alpha=0.3, lw=0, zorder=1)
    band.set_gid("measured")
    for edge in measured:
        ax.axhline(edge, color=MEASURED_COLOR, lw=2, zorder=4)
    ax.annotate(
        f"measured range: {np.exp(measured[0]):,.0f} to {np.exp(measured[1]):,.0f} µg/m³",
        (temp_range[0], measured[1]),
        xytext=(8, 4),
        textcoords="offset points",
        fontsize=15,
        color=darker(MEASURED_COLOR, 0.3),
        zorder=6,
        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"},
    )
    ea, eb = example
    value = ea + eb * at
    muted = step > 1
    (ex,) = ax.plot(grid, ea + eb * grid, color="0.45" if muted else "black", lw=2.5, zorder=5)
    ex.set_gid("example")
    ax.plot([at], [value], "o", color="0.45" if muted else "black", ms=10, zorder=5)
    if not muted:
        ax.annotate(
            rf"$\alpha = {ea:g}$, $\beta = {eb:g}$: at {at:g} °C, log O$_3$ = {value:g}"
            + "\n"
            + rf"that is ${_power_of_ten(value)}$ µg/m³",
            (at, value),
            xytext=(-25, -25),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=16,
            zorder=6,
            bbox={"boxstyle": "round", "fc": "white", "ec": "0.6"},
        )
    ax.axvline(at, color="0.3", ls=":", lw=1.5, zorder=4)
    ax.set_xlim(*temp_range)
    ax.set_ylim(*ylim)
    ax.set_xlabel(TEMP_LABEL)
    ax.set_ylabel(LOG_OZONE_LABEL)
    _ug_axis(ax, ylim)
    side.set_axis_off()
    sds = priors[step - 1][0]
    text = (
        f"{_prior_label(sds)}: only {shares[0]:.0%} of lines at {at:g} °C in the measured range"
        if step == 1
        else f"{_prior_label(sds)}: {shares[-1]:.0%} of lines at {at:g} °C "
        f"in the measured range, up from {shares[0]:.0%}"
    )
    fig.suptitle(text, fontsize=20)
    numbers = {f"share_{k}": s for k, s in enumerate(shares, start=1)}
    numbers |= {f"leaving_{k}": s for k, s in enumerate(leaving, start=1)}
    data = {
        f"at_{k}": np.ravel(a) + np.ravel(b) * at
        for k, (_, a, b) in enumerate(priors[:step], start=1)
    }
    return attach_claim(fig, Claim(text, numbers, data))


def _degrees_east(km: float, latitude: float) -> float:
    r"""The longitude difference spanning ``km`` along a parallel at ``latitude`` (haversine).

    Inverts :math:`d = 2R \arcsin(\cos\varphi \sin(\Delta\lambda / 2))`.

    Examples
    --------
    >>> round(_degrees_east(111.195, 0.0), 3)
    1.0
    """
    half = np.sin(km / (2 * EARTH_RADIUS_KM)) / np.cos(np.radians(latitude))
    return float(np.degrees(2 * np.arcsin(half)))


#: Where a station's name may go, in points from its dot: right, left, above, below, diagonals.
_LABEL_SPOTS: tuple[tuple[float, float, str, str], ...] = (
    (12, 0, "left", "center"),
    (-12, 0, "right", "center"),
    (0, 12, "center", "bottom"),
    (0, -12, "center", "top"),
    (10, 10, "left", "bottom"),
    (-10, 10, "right", "bottom"),
    (10, -10, "left", "top"),
    (-10, -10, "right", "top"),
)


#: Passes that move each station name to its cheapest spot given all the others.
_PLACING_PASSES = 2
#: Points per pair line where a name would hide the line, and the cost of hiding one (px^2,
#: about a 20 x 20 px overlap with another name).
_LINE_SAMPLES, _LINE_COST = 60, 400.0


def _overlap(a: Bbox, b: Bbox) -> float:
    """Area (px^2) two boxes share."""
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))


def _place_names(ax: Axes, lon: np.ndarray, lat: np.ndarray, names: Sequence[str]) -> list:
    """Write each name beside its dot, at the spot that covers the least of other names and dots.

    A spot's cost is the area it shares with the other names and texts, plus that of the dots'
    boxes (a 14 px margin around each centre), plus a large cost for leaving the axes. Names
    are placed one after another, each at its cheapest spot (the first of
    :data:`_LABEL_SPOTS` on ties), then :data:`_PLACING_PASSES` more times each name is moved
    to its cheapest spot given all the others, which undoes an early name's poor choice.
    """
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    dots = [
        Bbox.from_extents(x - 14, y - 14, x + 14, y + 14)
        for x, y in ax.transData.transform(np.column_stack([lon, lat]))
    ]
    fixed = [t.get_window_extent(renderer) for t in ax.texts]
    # points along the dashed pair lines: a name over a line costs as if it covered a small
    # box at each point it hides
    along = np.linspace(0.0, 1.0, _LINE_SAMPLES)[:, None]
    ends = [
        ax.transData.transform(np.column_stack(line.get_data()).astype(float)[[0, -1]])
        for line in ax.get_lines()
        if line.get_gid() in ("closest", "farthest")
    ]
    line_points = np.concatenate([a + along * (b - a) for a, b in ends] or [np.empty((0, 2))])

    def box_at(j: int, spot: tuple[float, float, str, str]) -> Bbox:
        dx, dy, ha, va = spot
        text = ax.annotate(names[j], (lon[j], lat[j]), xytext=(dx, dy),
                           textcoords="offset points", ha=ha, va=va, fontsize=16)  # fmt: skip
        box = text.get_window_extent(renderer).padded(2)
        text.remove()
        return box

    def cost(box: Bbox, others: list[Bbox]) -> float:
        inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
        hidden = np.sum(
            (line_points[:, 0] >= box.x0)
            & (line_points[:, 0] <= box.x1)
            & (line_points[:, 1] >= box.y0)
            & (line_points[:, 1] <= box.y1)
        )
        return (
            sum(_overlap(box, o) for o in others)
            + sum(_overlap(box, d) for d in dots)
            + _LINE_COST * float(hidden)
            + (0.0 if inside else 1e6)
        )

    boxes: dict[int, Bbox] = {}
    chosen: dict[int, tuple[float, float, str, str]] = {}
    for _ in range(1 + _PLACING_PASSES):
        for j in range(len(names)):
            others = fixed + [b for k, b in boxes.items() if k != j]
            options = [
                (cost(box_at(j, spot), others), i, spot) for i, spot in enumerate(_LABEL_SPOTS)
            ]
            _, _, chosen[j] = min(options)
            boxes[j] = box_at(j, chosen[j])
    texts = []
    for j in range(len(names)):
        dx, dy, ha, va = chosen[j]
        text = ax.annotate(names[j], (lon[j], lat[j]), xytext=(dx, dy),
                           textcoords="offset points", ha=ha, va=va, fontsize=16)  # fmt: skip
        texts.append(text)
    return texts


def plot_station_map(
    names: Sequence[str],
    latitude: ArrayLike,
    longitude: ArrayLike,
    *,
    scale_km: float = 10.0,
    describe_pairs: bool = True,
    lat_pad: float = 0.08,
    ax: Axes | None = None,
) -> Axes:
    r"""The stations at their coordinates, equal distances equally long, with a km scale bar.

    The axes are longitude and latitude in degrees with aspect :math:`1 / \cos\bar\varphi`
    (at the stations' mean latitude a km east is as long as a km north); the closest and the
    farthest pair are joined by dashed lines labelled with their great-circle distance.

    Parameters
    ----------
    names : sequence of str
        Station names, in station order (colours: :func:`station_color`).
    latitude, longitude : array_like of shape (n,)
        WGS84 degrees.
    scale_km : float
        Length of the scale bar.
    describe_pairs : bool
        Name the closest and the farthest pair in a text right of the map.
    lat_pad : float
        Room above and below the stations, as a share of their latitude range (more room
        for the names on a narrow map).

    Returns
    -------
    Axes
        One scatter (label "stations"), one text per name, the pair lines (gid "closest",
        "farthest"), the scale bar (gid "scale bar"); title "n stations, a to b km apart".
        The names are placed clear of each other for the figure's layout when called: add
        notes and titles of the figure before.
    """
    lat, lon = np.asarray(latitude, dtype=float), np.asarray(longitude, dtype=float)
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    distance = great_circle_km(lat, lon)
    pairs = distance + np.diag(np.full(len(lat), np.inf))
    closest = np.unravel_index(np.argmin(pairs), pairs.shape)
    farthest = np.unravel_index(np.argmax(distance), distance.shape)
    for gid, (i, j) in (("closest", closest), ("farthest", farthest)):
        (line,) = ax.plot(lon[[i, j]], lat[[i, j]], color="0.3", ls="--", lw=2.5, zorder=1)
        line.set_gid(gid)
    lat0 = float(lat.mean())
    ax.set_aspect(1.0 / np.cos(np.radians(lat0)))
    pad_lon, pad_lat = 0.12 * np.ptp(lon), lat_pad * np.ptp(lat)
    ax.set_xlim(lon.min() - pad_lon, lon.max() + pad_lon)
    ax.set_ylim(lat.min() - pad_lat, lat.max() + pad_lat)
    ax.scatter(
        lon,
        lat,
        s=220,
        c=[station_color(j) for j in range(len(lat))],
        edgecolors="black",
        linewidths=1.5,
        zorder=3,
        label="stations",
    )
    if describe_pairs:
        _describe_pairs(ax, names, distance, closest, farthest)
    i, j = farthest
    ax.annotate(
        f"{distance[i, j]:.0f} km",
        ((lon[i] + lon[j]) / 2, (lat[i] + lat[j]) / 2),
        xytext=(10, -10),
        textcoords="offset points",
        fontsize=15,
        color="0.3",
    )
    _scale_bar_km(ax, scale_km)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    low, high = float(distance[closest]), float(distance[farthest])
    text = f"{len(lat)} stations, {low:.0f} to {high:.0f} km apart"
    ax.set_title(text)
    fig = ax.figure
    fig.canvas.draw()  # the layout is final (a note belongs on the figure before): place names
    _place_names(ax, lon, lat, names)
    numbers = {"n": len(lat), "closest_km": low, "farthest_km": high}
    attach_claim(fig, Claim(text, numbers, {"latitude": lat, "longitude": lon}))
    return ax


def _describe_pairs(
    ax: Axes, names: Sequence[str], distance: np.ndarray, closest: tuple, farthest: tuple
) -> None:
    """The text right of the map naming the closest and the farthest pair."""
    lines = ["dashed lines:"]
    for what, (i, j) in (("closest", closest), ("farthest", farthest)):
        lines += [f"the {what} pair, {distance[i, j]:.1f} km:", f"   {names[i]} - {names[j]}"]
    ax.annotate(
        "\n".join(lines),
        (1.05, 0.5),
        xycoords="axes fraction",
        va="center",
        fontsize=19,
        color="0.3",
        linespacing=1.4,
    )


def _scale_bar_km(ax: Axes, scale_km: float) -> None:
    """A black bar ``scale_km`` long at the map's lower right (gid "scale bar"), labelled."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    left = x1 - 0.04 * (x1 - x0) - _degrees_east(scale_km, y0 + 0.05 * (y1 - y0))
    bar_lat = y0 + 0.05 * (y1 - y0)
    (bar,) = ax.plot(
        [left, left + _degrees_east(scale_km, bar_lat)],
        [bar_lat, bar_lat],
        color="black",
        lw=5,
        solid_capstyle="butt",
    )
    bar.set_gid("scale bar")
    ax.annotate(
        f"{scale_km:g} km",
        (left + _degrees_east(scale_km, bar_lat) / 2, bar_lat),
        xytext=(0, 8),
        textcoords="offset points",
        ha="center",
        fontsize=15,
    )


def plot_pooled_curve(
    temp: ArrayLike,
    ozone: ArrayLike,
    alpha: ArrayLike,
    beta: ArrayLike,
    *,
    temp_range: tuple[float, float] = TEMP_RANGE,
    top: float = 400.0,
    fig: Figure | None = None,
) -> Figure:
    r"""The pooled fit back on the ozone scale: the curve :math:`e^{\alpha + \beta T}` and its band.

    The curve is at the posterior means of :math:`\alpha, \beta`: the median day, the median
    of daily max ozone under the log-normal model; the band holds the middle 94% of the
    draws' curves.

    Parameters
    ----------
    temp, ozone : array_like of shape (n,)
        Station-days: deg C and ug/m3, drawn as a density (days above ``top`` are counted in
        a text, not drawn).
    alpha, beta : array_like of shape (draws,)
        Posterior draws of the pooled model.

    Returns
    -------
    Figure
        One axes: hexbin (label "station-days"), the band (label "94% band"), the curve
        (label "pooled fit"); title "... +X% peak ozone per °C" (X from the mean of beta).
    """
    t, o = np.asarray(temp, dtype=float), np.asarray(ozone, dtype=float)
    a, b = np.ravel(alpha), np.ravel(beta)
    fig = fig if fig is not None else plt.figure(layout="constrained")
    ax = fig.subplots()
    _density(ax, t[o <= top], o[o <= top], (*temp_range, 0.0, top))
    grid = np.linspace(*temp_range, 115)
    curves = np.exp(a[:, None] + b[:, None] * grid[None, :])
    low, high = np.quantile(curves, [0.03, 0.97], axis=0)
    ax.fill_between(grid, low, high, color=FIT_COLOR, alpha=0.5, lw=0, label="94% band")
    mean_a, mean_b = float(a.mean()), float(b.mean())
    curve = np.exp(mean_a + mean_b * grid)
    ax.plot(grid, curve, color="white", lw=6)
    ax.plot(grid, curve, color=FIT_COLOR, lw=3, label="pooled fit")
    x = percent_change(mean_b)
    k = int(np.argmin(np.abs(grid - (temp_range[0] + 0.08 * np.ptp(temp_range)))))
    ax.annotate(  # upper left, clear of the days; the leader drops to the curve's cold end
        r"the median day, $e^{\alpha + \beta T}$" + f": {x:+.1f}% per °C\n94% band: within "
        f"{np.max(high - low) / 2:.0f} µg/m³ of it",
        (grid[k], curve[k]),
        xytext=(0.015, 0.88),
        textcoords="axes fraction",
        ha="left",
        va="top",
        fontsize=17,
        color=darker(FIT_COLOR),
        arrowprops={
            "arrowstyle": "-",
            "color": darker(FIT_COLOR),
            "lw": 1.5,
            "relpos": (0.17, 0.0),  # straight down from the box, through the empty cold end
        },
        bbox={"boxstyle": "round", "fc": "white", "ec": "none", "alpha": 0.9},
    )
    above = int(np.sum(o > top))
    ax.text(
        0.01,
        0.98,
        f"{above} days above {top:g} µg/m³ not shown",
        transform=ax.transAxes,
        va="top",
        fontsize=14,
        color="0.3",
    )
    ax.set_xlim(*temp_range)
    ax.set_ylim(0.0, top)
    ax.set_xlabel(TEMP_LABEL)
    ax.set_ylabel(OZONE_LABEL)
    text = f"On the µg/m³ scale the pooled line is a curve: {x:+.1f}% peak ozone per °C"
    ax.set_title(text)
    numbers = {"percent_per_degree": x, "alpha": mean_a, "beta": mean_b, "above": above}
    return attach_claim(fig, Claim(text, numbers, {"temp": t, "ozone": o, "beta": b}))


def station_mean_residuals(
    temp: ArrayLike, log_ozone: ArrayLike, station: ArrayLike, alpha: float, beta: float
) -> np.ndarray:
    r"""Each station's mean of :math:`\log y - (\alpha + \beta T)`, in station order.

    Examples
    --------
    >>> station_mean_residuals([0.0, 1.0, 0.0], [1.0, 2.0, 0.0], [0, 0, 1], 0.0, 1.0).tolist()
    [1.0, 0.0]
    """
    t, y = np.asarray(temp, dtype=float), np.asarray(log_ozone, dtype=float)
    s = np.asarray(station, dtype=int)
    residual = y - (alpha + beta * t)
    return np.bincount(s, residual) / np.bincount(s)


#: Opacity of a station's points in the small multiples grows with its colour's relative
#: luminance L: alpha = POINT_ALPHA + LUMINANCE_ALPHA * L, so pale colours (Gucheng's sand,
#: Changping's light blue, L about 0.8) are drawn about twice as opaque as dark ones (L about
#: 0.2) and every station's cloud reads about as dark as the others.
POINT_ALPHA, LUMINANCE_ALPHA = 0.25, 0.6


def _point_alpha(colour: str) -> float:
    """The points' opacity for ``colour``: more opaque the paler it is.

    Examples
    --------
    >>> round(_point_alpha("#DDCC77"), 2), round(_point_alpha("#332288"), 2)
    (0.72, 0.36)
    """
    r, g, b = to_rgb(colour)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return POINT_ALPHA + LUMINANCE_ALPHA * luminance


def plot_station_panels(
    temp: ArrayLike,
    log_ozone: ArrayLike,
    station: ArrayLike,
    names: Sequence[str],
    alpha: float,
    beta: float,
    *,
    temp_range: tuple[float, float] = TEMP_RANGE,
    ylim: tuple[float, float] = (0.0, 7.0),
    fig: Figure | None = None,
) -> Figure:
    r"""Small multiples, one station each: its days and the pooled line, the same axes in all.

    Each panel writes the station's mean residual from the pooled line in per cent,
    :math:`100\,(e^{\bar r_j} - 1)`; the title names the station with the largest.

    Parameters
    ----------
    temp, log_ozone, station : array_like of shape (n,)
        Station-days (station ids 0 to len(names) - 1).
    names : sequence of str
        Station names in station order (3 x 4 panels for 12).
    alpha, beta : float
        The pooled line.

    Returns
    -------
    Figure
        One axes per station (title: its name), each with one scatter of all its days and
        the pooled line (label "pooled fit"); the suptitle is the claim.
    """
    t, y = np.asarray(temp, dtype=float), np.asarray(log_ozone, dtype=float)
    s = np.asarray(station, dtype=int)
    fig = fig if fig is not None else plt.figure(layout="constrained")
    n_cols = 4
    n_rows = int(np.ceil(len(names) / n_cols))
    axes = fig.subplots(n_rows, n_cols, sharex=True, sharey=True).ravel()
    grid = np.linspace(*temp_range, 115)
    residual = station_mean_residuals(t, y, s, alpha, beta)
    for j, ax in enumerate(axes):
        if j >= len(names):
            ax.set_visible(False)
            continue
        rows = s == j
        ax.scatter(
            t[rows],
            y[rows],
            s=6,
            alpha=_point_alpha(station_color(j)),
            color=station_color(j),
            lw=0,
            rasterized=True,
            label=names[j],
        )
        ax.plot(grid, alpha + beta * grid, color="black", lw=2, label="pooled fit")
        ax.set_title(names[j], fontsize=16, pad=3)
        pct = percent_change(residual[j])
        ax.text(
            0.97,
            0.05,
            f"{pct:+.0f}%",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=16,
            color="black" if abs(pct) >= 10 else "0.4",
            fontweight="bold" if abs(pct) >= 10 else "normal",
        )
    axes[0].set_xlim(*temp_range)
    axes[0].set_ylim(*ylim)
    axes[0].yaxis.set_major_locator(MultipleLocator(2))
    for col in range(n_cols):  # the lowest panel of each column (the figure's foot is the note's)
        shown = [axes[j] for j in range(col, len(names), n_cols)]
        if shown:
            shown[-1].set_xlabel(TEMP_LABEL, fontsize=15)
            shown[-1].xaxis.set_tick_params(labelbottom=True)
    fig.supylabel(LOG_OZONE_LABEL, fontsize=17)
    worst = int(np.argmax(np.abs(residual)))
    pct = percent_change(residual[worst])
    side = "above" if pct > 0 else "below"
    text = (
        f"One pooled line misses some stations' levels: {names[worst]}'s days lie "
        f"{abs(pct):.0f}% {side} it on average"
    )
    fig.suptitle(text, fontsize=20)
    numbers = {"largest_residual": float(residual[worst]), "percent": pct, "station": worst}
    return attach_claim(fig, Claim(text, numbers, {"residual": residual}))


#: Room above and below the varying-intercepts lines (log units).
LINES_MARGIN = 0.15


def plot_varying_intercepts(
    alpha: ArrayLike,
    beta: float,
    names: Sequence[str],
    *,
    highlight: Sequence[str] = ("Dingling", "Wanliu"),
    temp_range: tuple[float, float] = TEMP_RANGE,
    ylim: tuple[float, float] | None = None,
    ax: Axes | None = None,
) -> Axes:
    r"""One line :math:`\alpha_j + \beta T` per station, parallel: ``highlight`` coloured and named.

    Parameters
    ----------
    alpha : array_like of shape (n_stations,)
        Station intercepts (posterior means), station order.
    beta : float
        The common slope.
    names : sequence of str
    highlight : sequence of str
        Stations drawn in their colour and named; the rest are grey.
    ylim : (low, high), optional
        The y axis; by default the lines' range with :data:`LINES_MARGIN` either side.

    Returns
    -------
    Axes
        One line per station (label: its name), a bracket at T = 0 between the highest and
        the lowest line (gid "spread") with the difference in per cent; the title states it.
    """
    a = np.ravel(np.asarray(alpha, dtype=float))
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    grid = np.linspace(*temp_range, 115)
    shown = [j for j, n in enumerate(names) if n in highlight]
    for j in [j for j in range(len(a)) if j not in shown] + shown:
        bold = j in shown
        ax.plot(
            grid,
            a[j] + beta * grid,
            color=station_color(j) if bold else "0.72",
            lw=4 if bold else 1.8,
            zorder=3 if bold else 2,
            label=names[j],
        )
    hi, lo = int(np.argmax(a)), int(np.argmin(a))
    pct = percent_change(a[hi] - a[lo])
    (bracket,) = ax.plot([0, 0], [a[lo], a[hi]], color="black", lw=2, marker="_", ms=14, zorder=4)
    bracket.set_gid("spread")
    ax.annotate(
        f"{names[hi]}'s baseline\n{pct:.0f}% above {names[lo]}'s",
        (0, a[lo]),
        xytext=(14, -14),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=16,
        bbox={"boxstyle": "round", "fc": "white", "ec": "none", "alpha": 0.9},
    )
    ax.set_xlim(temp_range[0], temp_range[1] + 0.15 * np.ptp(temp_range))  # room for names
    ax.set_xticks([t for t in range(-40, 60, 10) if temp_range[0] <= t <= temp_range[1]])
    ax.spines["bottom"].set_bounds(*temp_range)
    if ylim is None:
        ends = [level + beta * t for level in (a.min(), a.max()) for t in temp_range]
        ylim = (min(ends) - LINES_MARGIN, max(ends) + LINES_MARGIN)
    ax.set_ylim(*ylim)
    ax.set_xlabel(TEMP_LABEL)
    ax.set_ylabel(LOG_OZONE_LABEL)
    label_ends(
        ax,
        grid[-1],
        a[shown] + beta * grid[-1],
        [names[j] for j in shown],
        [station_color(j) for j in shown],
        fontsize=17,
        dx=0.6,
    )
    text = (
        f"Varying intercepts: baselines differ by {pct:.0f}% between the highest and lowest station"
    )
    ax.set_title(text)
    numbers = {"percent": pct, "highest": hi, "lowest": lo}
    attach_claim(ax.figure, Claim(text, numbers, {"alpha": a}))
    return ax


def plot_station_intercepts(
    mean: ArrayLike,
    low: ArrayLike,
    high: ArrayLike,
    names: Sequence[str],
    sigma_alpha: float,
    *,
    ax: Axes | None = None,
) -> Axes:
    r"""Each station's intercept against the population mean: :math:`\alpha_j - \mu_\alpha`.

    The differences come from the joint posterior draws, so the intervals carry the
    uncertainty of :math:`\mu_\alpha` as well as that of :math:`\alpha_j`: a station whose
    interval excludes 0 differs from the population mean, not only from its posterior mean.

    Parameters
    ----------
    mean, low, high : array_like of shape (n_stations,)
        Posterior mean and 94% interval of each :math:`\alpha_j - \mu_\alpha`, station order.
    names : sequence of str
    sigma_alpha : float
        The population's sd (posterior mean): a band :math:`0 \pm \sigma_\alpha`.

    Returns
    -------
    Axes
        One errorbar per station, sorted by mean (lowest at the bottom; y tick labels the
        names), the line at 0 (label "population mean") and the band (gid "population sd");
        title "N of n stations' 94% intervals of alpha_j - mu_alpha exclude 0".
    """
    m, lo, hi = (np.ravel(np.asarray(v, dtype=float)) for v in (mean, low, high))
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    band = ax.axvspan(-sigma_alpha, sigma_alpha, color="0.88", lw=0, zorder=0)
    band.set_gid("population sd")
    ax.axvline(0.0, color="black", lw=2, label="population mean", zorder=1)
    order = np.argsort(m)
    for row, j in enumerate(order):
        ax.errorbar(
            m[j],
            row,
            xerr=[[m[j] - lo[j]], [hi[j] - m[j]]],
            fmt="o",
            color=station_color(j),
            ms=11,
            capsize=6,
            lw=3,
            mec="black",
            mew=0.8,
        )
    ax.set_yticks(range(len(m)), [names[j] for j in order])
    ax.set_ylim(-0.7, len(m) - 0.3)
    y_top = len(m) - 0.3
    for x, label, size, colour in (
        (0.0, r"$\mu_\alpha$", 18, "black"),
        (sigma_alpha, r"$+\sigma_\alpha$", 15, "0.35"),
        (-sigma_alpha, r"$-\sigma_\alpha$", 15, "0.35"),
    ):
        ax.annotate(
            label,
            (x, y_top),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=size,
            color=colour,
            annotation_clip=False,
        )
    ax.set_xlabel(r"station intercept minus population mean, $\alpha_j - \mu_\alpha$ (log µg/m³)")
    excluded = int(np.sum((lo > 0.0) | (hi < 0.0)))
    text = rf"{excluded} of {len(m)} stations' 94% intervals of $\alpha_j - \mu_\alpha$ exclude 0"
    ax.set_title(text, pad=34)
    numbers = {"excluded": excluded, "n": len(m), "sigma_alpha": sigma_alpha}
    attach_claim(ax.figure, Claim(text, numbers, {"mean": m, "low": lo, "high": hi}))
    return ax
