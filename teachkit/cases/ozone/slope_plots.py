r"""Plots of the varying-slopes part of the ozone lecture (storyboard rows 14-19).

Each function takes arrays (posterior draws, summaries, the comparison table), draws one slide
and attaches the :class:`~teachkit.figure_entry.Claim` its title makes: every number in the
title is computed here from the arrays drawn. Stations keep their colour
(:func:`teachkit.plots.style.station_color`) and are named.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from scipy import stats

from teachkit.figure_entry import Claim, attach_claim
from teachkit.plots import population
from teachkit.plots.labels import label_ends
from teachkit.plots.loo import LOO_THRESHOLD, plot_loo_step
from teachkit.plots.loo import minus as _minus
from teachkit.plots.population import conditional_sd
from teachkit.plots.style import station_color

__all__ = [
    "ALPHA_LABEL",
    "BETA_LABEL",
    "LOO_THRESHOLD",
    "ONE_STATION_LINES",
    "OZONE_YLIM",
    "conditional_sd",
    "percent_per_degree",
    "plot_alpha_beta_population",
    "plot_loo_step",
    "plot_new_station",
    "plot_one_station",
    "plot_station_lines",
    "plot_trace_mirror",
]

TEMP_LABEL = "daily max temperature (°C)"
OZONE_LABEL = "log daily max ozone (log µg/m³)"
ALPHA_LABEL = r"intercept $\alpha_j$ (log µg/m³ at 0 °C)"
BETA_LABEL = r"slope $\beta_j$ (log µg/m³ per °C)"
# The PSIS-LOO step (LOO_THRESHOLD, plot_loo_step), the population's ellipses (MASSES) and
# conditional_sd are shared with the grouped case: :mod:`teachkit.plots.loo` and
# :mod:`teachkit.plots.population`.
#: The station-lines slide's y range: the log ozone of nearly every Beijing day.
OZONE_YLIM = (2.5, 6.5)
#: Where the station-lines slide's temperature axis ends (°C): just past Beijing's hottest day.
X_END = 42.0
#: Posterior lines drawn through one station's days.
ONE_STATION_LINES = 50


def percent_per_degree(beta: ArrayLike) -> np.ndarray:
    r"""A slope on the log scale as a percentage change per °C, :math:`100 (e^\beta - 1)`.

    Examples
    --------
    >>> percent_per_degree([0.0, np.log(1.05)]).round(6).tolist()
    [0.0, 5.0]
    """
    return 100.0 * np.expm1(np.asarray(beta, dtype=float))


def _title(fig: Figure, text: str, numbers: dict[str, float], data: dict) -> Figure:
    fig.suptitle(text)
    return attach_claim(fig, Claim(text, numbers, data))


# --- row 14: the PSIS-LOO comparison, model by model -------------------------------------------


# --- row 15: station lines, steepest and flattest named ----------------------------------------


def plot_station_lines(
    alpha: ArrayLike,
    beta: ArrayLike,
    names: Sequence[str],
    data: pd.DataFrame,
    *,
    ylim: tuple[float, float] = OZONE_YLIM,
    ax: Axes | None = None,
) -> Axes:
    """Each station's line over the data's temperatures; the steepest and flattest named.

    Parameters
    ----------
    alpha, beta : array_like of shape (n_stations,)
        Each station's intercept and slope (posterior means).
    names : sequence of str
        Station names, in station order.
    data : DataFrame
        Columns ``station_id``, ``TEMP``, ``log_ozone``: the x range, and the two named
        stations' days.

    Returns
    -------
    Axes
        One line per station labelled with its name (gid "highlight" for the steepest and the
        flattest, in their colours, "other" in grey), one scatter of days per highlighted
        station (label "<name>'s days") and a name per highlighted line at its right end.
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    a, b = np.ravel(alpha).astype(float), np.ravel(beta).astype(float)
    steep, flat = int(np.argmax(b)), int(np.argmin(b))
    t = np.linspace(float(data["TEMP"].min()), float(data["TEMP"].max()), 50)
    for j in (steep, flat):
        days = data[data["station_id"] == j]
        ax.scatter(
            days["TEMP"],
            days["log_ozone"],
            s=16,
            alpha=0.45,
            color=station_color(j),
            linewidths=0,
            rasterized=True,
            label=f"{names[j]}'s days",
        )
    for j in range(len(a)):
        if j in (steep, flat):
            continue
        ax.plot(t, a[j] + b[j] * t, color="0.55", lw=1.6, label=names[j], gid="other")
    for j in (steep, flat):
        ax.plot(
            t,
            a[j] + b[j] * t,
            color=station_color(j),  # the station's own colour, not a darker shade
            lw=4.5,
            label=names[j],
            gid="highlight",
        )
    ax.set_ylim(*ylim)
    ax.set_xlim(t[0], max(X_END, float(np.ceil(t[-1]))))  # the names go in the margin
    ax.set_xticks([v for v in range(-40, 60, 10) if t[0] <= v <= t[-1]])
    ax.set_xlabel(TEMP_LABEL)
    ax.set_ylabel(OZONE_LABEL)
    pct = percent_per_degree(b)
    labels = [
        f"steepest: {names[steep]}, {pct[steep]:+.1f}% per °C",
        f"flattest: {names[flat]}, {pct[flat]:+.1f}% per °C",
    ]
    ends = np.clip([a[j] + b[j] * t[-1] for j in (steep, flat)], *ylim)
    colours = [station_color(j) for j in (steep, flat)]
    label_ends(ax, t[-1], ends, labels, colours, fontsize=16, gap=0.3)
    others = len(a) - 2
    ax.text(
        0.02,
        0.97,
        f"grey: the other {others} stations",
        transform=ax.transAxes,
        fontsize=15,
        color="0.35",
        va="top",
    )
    text = f"Slopes range from {pct.min():+.1f}% to {pct.max():+.1f}% peak ozone per °C"
    _title(ax.figure, text, {"low": pct.min(), "high": pct.max()}, {"alpha": a, "beta": b})
    return ax


# --- row 16: the traces mirror each other -------------------------------------------------------


def plot_trace_mirror(
    alpha: ArrayLike,
    beta: ArrayLike,
    stations: Sequence[int],
    names: Sequence[str],
    *,
    fig: Figure | None = None,
) -> Figure:
    r"""Posterior densities and traces of :math:`\alpha_j` and :math:`\beta_j` for a few stations.

    Parameters
    ----------
    alpha, beta : array_like of shape (chain, draw, n_stations)
        Every station's draws: the title is about all of them.
    stations : sequence of int
        The stations drawn (ids); each keeps its colour in all four panels.
    names : sequence of str
        Every station's name, in station order.

    Returns
    -------
    Figure
        Axes [alpha density, alpha trace, beta density, beta trace]; in each, one line per
        drawn station labelled with its name (the traces: chains one after another, in the
        station's colour), and under each density every station's posterior mean as a tick
        (scatter "station means", in station order). The title names the station with the
        highest mean intercept and the one with the lowest mean slope among all stations, and
        the correlation of the stations' mean intercepts and slopes.
    """
    a, b = np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float)
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(2, 2, width_ratios=(1, 1.6))
    n_chains, n_draws, n_stations = a.shape
    ma, mb = a.mean(axis=(0, 1)), b.mean(axis=(0, 1))
    for row, (values, means, label) in enumerate(((a, ma, ALPHA_LABEL), (b, mb, BETA_LABEL))):
        dens, trace = axes[row]
        top = 0.0
        for j in stations:
            flat = values[..., j].ravel()
            grid = np.linspace(flat.min(), flat.max(), 200)
            colour = station_color(j)
            density = stats.gaussian_kde(flat)(grid)
            top = max(top, float(density.max()))
            dens.plot(grid, density, color=colour, lw=3, label=names[j])
            trace.plot(flat, color=colour, lw=0.5, alpha=0.8, label=names[j])
        dens.scatter(
            means,
            np.full(n_stations, -0.08 * top),
            marker="|",
            s=260,
            linewidths=2.5,
            color=[station_color(j) for j in range(n_stations)],
            label="station means",
            clip_on=False,
        )
        dens.set_ylim(-0.16 * top, 1.08 * top)
        dens.set_xlabel(label)
        dens.set_ylabel("posterior density")
        dens.set_yticks([])
        trace.set_ylabel(label.split(" (")[0])
        trace.margins(x=0)
    axes[1, 1].set_xlabel(f"draw ({n_chains} chains of {n_draws}, one after another)")
    axes[0, 0].text(
        0.02,
        0.97,
        f"ticks: all {n_stations} stations' means",
        transform=axes[0, 0].transAxes,
        fontsize=14,
        color="0.35",
        va="top",
    )
    handles, labels = axes[0, 1].get_legend_handles_labels()
    legend = fig.legend(handles, labels, loc="outside right center", fontsize=16)
    for handle in legend.get_lines():
        handle.set_linewidth(5)
    high, low = int(np.argmax(ma)), int(np.argmin(mb))
    r = float(np.corrcoef(ma, mb)[0, 1])
    across = rf"across the {n_stations} stations r($\alpha$, $\beta$) = " + _minus(f"{r:.2f}")
    if high == low:
        text = f"Highest intercept and lowest slope: {names[high]};\n{across}"
    else:
        text = f"Highest intercept: {names[high]}, lowest slope: {names[low]};\n{across}"
    numbers = {"highest_intercept": high, "lowest_slope": low, "r": r}
    data = {"alpha_means": ma, "beta_means": mb}
    return _title(fig, text, numbers, data)


# --- row 17: station means, their clouds and the population's ellipses --------------------------


# --- row 18: a new station under independent and covarying effects -----------------------------


# --- row 19: one station's posterior lines pivot around its mean temperature -------------------


def _corr(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1])


def plot_one_station(
    temp: ArrayLike,
    log_ozone: ArrayLike,
    alpha: ArrayLike,
    beta: ArrayLike,
    *,
    name: str,
    color: str,
    centred: bool,
    n_lines: int = ONE_STATION_LINES,
    beta_lim: tuple[float, float] | None = None,
    intercept_span: float | None = None,
    fig: Figure | None = None,
) -> Figure:
    r"""One station: posterior lines through its days (left), the same draws as points (right).

    Uncentred, the intercept is the line's height at 0 °C and the lines pivot around the
    days' mean temperature :math:`\bar T`, so intercept and slope correlate; centred, the
    intercept is the height at :math:`\bar T`, :math:`\alpha + \beta \bar T`, and they
    hardly do.

    Parameters
    ----------
    temp, log_ozone : array_like of shape (n_days,)
        The station's days.
    alpha, beta : array_like of shape (n_draws,)
        Posterior draws of its intercept at 0 °C and its slope.
    centred : bool
        Draw against temperature minus :math:`\bar T` (the build-up's second step).
    n_lines : int
        Lines drawn (evenly spaced draws); the right panel marks the same draws.
    beta_lim : (low, high), optional
        The slope axis' limits (shared by the build-up's steps).
    intercept_span : float, optional
        The intercept axis' width (shared by the build-up's steps), centred on the cloud.

    Returns
    -------
    Figure
        Left axes: the days (scatter "days"), ``n_lines`` lines (gid "posterior line"), a
        dashed line at the pivot. Right axes: every draw (scatter "posterior draws") and the
        drawn lines' draws (scatter "these lines"). The title states the correlation of the
        right panel's draws (and, centred, the uncentred one too).
    """
    t, y = np.ravel(temp).astype(float), np.ravel(log_ozone).astype(float)
    a, b = np.ravel(alpha).astype(float), np.ravel(beta).astype(float)
    tbar = float(t.mean())
    shift = tbar if centred else 0.0
    intercept = a + b * shift
    fig = fig if fig is not None else plt.figure(layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(1.25, 1))
    x = t - shift
    lo, hi = min(float(x.min()), -shift), max(float(x.max()), 0.0)
    grid = np.linspace(min(lo, 0.0), hi, 50)
    pick = np.linspace(0, len(a) - 1, n_lines).astype(int)
    left.scatter(x, y, s=40, color=color, alpha=0.6, edgecolors="none", label="days", zorder=3)
    for i in pick:
        left.plot(
            grid, intercept[i] + b[i] * grid, color="0.25", lw=0.8, alpha=0.5, gid="posterior line"
        )
    pivot = tbar - shift
    left.axvline(pivot, color="black", ls="--", lw=1.5)
    if not centred:
        left.axvline(0.0, color="0.5", lw=1.5, ls=":")
        left.annotate(
            r"$\alpha$: the height at 0 °C",
            (0.0, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(6, -8),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=14,
        )
    left.set_xlabel(f"temperature − its days' mean {tbar:.1f} °C (°C)" if centred else TEMP_LABEL)
    left.set_ylabel(OZONE_LABEL)
    pad = 0.15 * float(np.ptp(y))
    left.set_ylim(float(y.min()) - pad, float(y.max()) + 2 * pad)
    left.annotate(
        "pivot: the days' mean" if not centred else "pivot: 0 = the days' mean",
        (pivot, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(6, -8),
        textcoords="offset points",
        va="top",
        fontsize=14,
    )
    right.scatter(
        intercept, b, s=6, color="0.75", linewidths=0, label="posterior draws", rasterized=True
    )
    right.scatter(intercept[pick], b[pick], s=36, color="0.25", label="these lines", zorder=3)
    right.set_xlabel(
        rf"$\alpha + \beta\,\bar T$ (log µg/m³ at {tbar:.1f} °C)"
        if centred
        else r"$\alpha$ (log µg/m³ at 0 °C)"
    )
    right.set_ylabel(r"$\beta$ (log µg/m³ per °C)")
    if beta_lim is not None:
        right.set_ylim(*beta_lim)
    if intercept_span is not None:  # the same width in both steps, around this step's cloud
        middle = (float(intercept.min()) + float(intercept.max())) / 2
        right.set_xlim(middle - intercept_span / 2, middle + intercept_span / 2)
    right.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=14)
    r_raw, r_centred = _corr(a, b), _corr(a + b * tbar, b)
    if centred:
        text = (
            f"{name}, centred at {tbar:.1f} °C: "
            rf"|corr($\alpha$, $\beta$)| shrinks from {abs(r_raw):.2f} to {abs(r_centred):.2f}"
        )
        numbers = {"r_uncentred": r_raw, "r_centred": r_centred, "mean_temp": tbar}
    else:
        text = (
            f"{name}'s lines pivot at its days' mean, {tbar:.1f} °C: "
            rf"corr($\alpha$, $\beta$) = " + _minus(f"{r_raw:.2f}")
        )
        numbers = {"r_uncentred": r_raw, "mean_temp": tbar}
    return _title(fig, text, numbers, {"alpha": a, "beta": b, "temp": t})


# --- rows 17 and 18, drawn by teachkit.plots.population with the stations' labels and units ---


def plot_alpha_beta_population(
    alpha: ArrayLike,
    beta: ArrayLike,
    mean: ArrayLike,
    cov: ArrayLike,
    names: Sequence[str],
    *,
    max_draws: int = 300,
    ax: Axes | None = None,
) -> Axes:
    """The stations' (alpha_j, beta_j) and the population's ellipses, in the ozone units.

    :func:`teachkit.plots.population.plot_alpha_beta_population` with :data:`ALPHA_LABEL`,
    :data:`BETA_LABEL` and "station".
    """
    return population.plot_alpha_beta_population(
        alpha, beta, mean, cov, names, labels=(ALPHA_LABEL, BETA_LABEL), noun="station",
        max_draws=max_draws, ax=ax,
    )  # fmt: skip


def plot_new_station(
    predictive: dict[str, np.ndarray],
    estimates: dict[str, np.ndarray],
    *,
    at_sds: float = 1.5,
    max_draws: int = 1500,
    fig: Figure | None = None,
) -> Figure:
    """A new station's (alpha, beta) under each model, in the ozone units.

    :func:`teachkit.plots.population.plot_new_station` with "station", the ozone units and
    the sds to four decimals.
    """
    return population.plot_new_station(
        predictive, estimates, at_sds=at_sds, max_draws=max_draws, noun="station",
        labels=(r"$\alpha$ (log µg/m³ at 0 °C)", r"$\beta$ (log µg/m³ per °C)"),
        slope_unit=" per °C", digits=".4f", fig=fig,
    )  # fmt: skip
