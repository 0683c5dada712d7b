"""Figures of the ozone case study: priors, data, station effects, LOO, traces, lines.

Every figure colours station j with :func:`teachkit.plots.style.station_color`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from teachkit.plots.style import station_color

__all__ = [
    "plot_alpha_beta_posterior",
    "plot_lines_through_data",
    "plot_loo",
    "plot_ozone_data",
    "plot_prior_predictive",
    "plot_station_intercepts",
    "plot_station_lines",
    "plot_station_trace",
]

TEMP_LABEL = "daily max temperature (°C)"
OZONE_LABEL = "log daily max ozone"


def plot_prior_predictive(
    priors: Mapping[str, tuple[ArrayLike, ArrayLike]],
    observed_range: tuple[float, float],
    *,
    temp_range: tuple[float, float] = (0.0, 40.0),
    fig: Figure | None = None,
) -> Figure:
    """Lines alpha + beta T drawn from each prior, with the range of real ozone days shaded.

    Parameters
    ----------
    priors : mapping of title to (alpha draws, beta draws)
        E.g. {"vague: α ~ N(0, 100), β ~ N(0, 10)": (...), "reined in: ...": (...)}.
    observed_range : (low, high)
        Range of log ozone in the data, shaded on each panel.

    Returns
    -------
    Figure
        One axes per prior with one line per draw and a shaded band (label "real days").
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(1, len(priors), squeeze=False)[0]
    t = np.linspace(*temp_range, 50)
    for ax, (title, (alpha, beta)) in zip(axes, priors.items(), strict=True):
        a, b = np.ravel(alpha), np.ravel(beta)
        ax.plot(t, a[None, :] + b[None, :] * t[:, None], color="C0", alpha=0.25, lw=1)
        ax.axhspan(*observed_range, color="C1", alpha=0.3, label="real days")
        ax.set_title(title)
        ax.set_xlabel(TEMP_LABEL)
    axes[0].set_ylabel(OZONE_LABEL)
    axes[0].legend(loc="upper left")
    fig.suptitle("Prior predictive lines")
    return fig


def plot_ozone_data(
    data: pd.DataFrame, pooled: tuple[float, float] | None = None, *, ax: Axes | None = None
) -> Axes:
    """Log max ozone against max temperature, coloured by station, with the pooled line.

    Returns
    -------
    Axes
        One scatter per station (labelled by name) and, if ``pooled`` = (alpha, beta) is
        given, a black line labelled "pooled".
    """
    ax = ax if ax is not None else plt.figure().subplots()
    for (sid, name), rows in data.groupby(["station_id", "station"], sort=True):
        ax.scatter(rows["TEMP"], rows["log_ozone"], s=4, alpha=0.3, color=station_color(sid),
                   label=str(name), rasterized=True)  # fmt: skip
    if pooled is not None:
        t = np.linspace(data["TEMP"].min(), data["TEMP"].max(), 50)
        ax.plot(t, pooled[0] + pooled[1] * t, color="black", lw=3, label="pooled")
    ax.set_xlabel(TEMP_LABEL)
    ax.set_ylabel(OZONE_LABEL)
    ax.set_title("Ozone rises with temperature at every station")
    ax.legend(ncols=2, fontsize=10, markerscale=3, loc="lower right")
    return ax


def plot_station_intercepts(
    summary: pd.DataFrame, pooled_alpha: float, names: Sequence[str], *, ax: Axes | None = None
) -> Axes:
    """Station intercepts (varying-intercepts model) with 94% intervals, against the pooled one.

    Parameters
    ----------
    summary : DataFrame
        One row per station (in station order) with columns ``mean``, ``low``, ``high``.
    pooled_alpha : float
        The pooled model's intercept (horizontal line).
    names : sequence of str
        Station names; the highest and the lowest intercepts are named on the plot.

    Returns
    -------
    Axes
        One errorbar per station, a horizontal line labelled "pooled" and two annotations.
    """
    ax = ax if ax is not None else plt.figure().subplots()
    mean = summary["mean"].to_numpy()
    for j in range(len(summary)):
        ax.errorbar(j, mean[j], yerr=[[mean[j] - summary["low"].iloc[j]],
                                      [summary["high"].iloc[j] - mean[j]]],
                    fmt="o", color=station_color(j), capsize=4, ms=9)  # fmt: skip
    ax.axhline(pooled_alpha, color="black", ls="--", label="pooled")
    for j in (int(np.argmax(mean)), int(np.argmin(mean))):
        ax.annotate(names[j], (j, mean[j]), textcoords="offset points", xytext=(10, 0),
                    va="center", fontsize=14)  # fmt: skip
    ax.set_xticks(range(len(summary)), [str(j) for j in range(len(summary))])
    ax.set_xlabel("station")
    ax.set_ylabel("intercept α_j")
    ax.set_title("Varying intercepts against the pooled intercept")
    ax.legend()
    return ax


def plot_loo(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """The PSIS-LOO comparison: elpd_loo with its standard error, best model on top.

    Parameters
    ----------
    table : DataFrame
        From :func:`teachkit.inference.compare` (index: model names).

    Returns
    -------
    Axes
        One errorbar per model (y tick labels are the model names).
    """
    ax = ax if ax is not None else plt.figure().subplots()
    ordered = table.sort_values("elpd_loo")
    y = np.arange(len(ordered))
    ax.errorbar(ordered["elpd_loo"], y, xerr=ordered["se"], fmt="o", color="C0", ms=10,
                capsize=5, label="elpd_loo ± se")  # fmt: skip
    best = ordered["elpd_loo"].max()
    ax.axvline(best, color="0.5", ls="--", lw=1)
    ax.set_yticks(y, list(ordered.index))
    ax.set_xlabel("expected log predictive density (PSIS-LOO)")
    ax.set_title("Model comparison")
    ax.legend(loc="lower right")
    return ax


def plot_station_lines(
    alpha: ArrayLike, beta: ArrayLike, names: Sequence[str], data: pd.DataFrame | None = None,
    *, temp_range: tuple[float, float] = (0.0, 40.0), ax: Axes | None = None,
) -> Axes:  # fmt: skip
    """One line alpha_j + beta_j T per station (posterior means), over the data if given.

    Returns
    -------
    Axes
        One line per station labelled with its name (plus grey points when ``data`` is given).
    """
    ax = ax if ax is not None else plt.figure().subplots()
    if data is not None:
        ax.scatter(data["TEMP"], data["log_ozone"], s=3, color="0.8", rasterized=True)
    t = np.linspace(*temp_range, 50)
    for j, (a, b) in enumerate(zip(np.ravel(alpha), np.ravel(beta), strict=True)):
        ax.plot(t, a + b * t, color=station_color(j), label=names[j])
    ax.set_xlabel(TEMP_LABEL)
    ax.set_ylabel(OZONE_LABEL)
    ax.set_title("Varying slopes: one line per station")
    ax.legend(ncols=2, fontsize=10)
    return ax


def plot_station_trace(alpha: ArrayLike, beta: ArrayLike, *, fig: Figure | None = None) -> Figure:
    """Trace of every station's intercept and slope (chains concatenated), coloured by station.

    Parameters
    ----------
    alpha, beta : array_like of shape (chain, draw, station)

    Returns
    -------
    Figure
        Two axes ("α_j", "β_j"), one line per station in each.
    """
    a, b = np.asarray(alpha), np.asarray(beta)
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(2, 1, sharex=True)
    for ax, values, title in ((axes[0], a, "α_j"), (axes[1], b, "β_j")):
        flat = values.reshape(-1, values.shape[-1])
        for j in range(flat.shape[1]):
            ax.plot(flat[:, j], color=station_color(j), lw=0.6)
        ax.set_ylabel(title)
    axes[1].set_xlabel("draw (chains one after another)")
    fig.suptitle("Trace of the station intercepts and slopes")
    return fig


def plot_alpha_beta_posterior(
    alpha: ArrayLike, beta: ArrayLike, *, max_draws: int = 400, ax: Axes | None = None
) -> Axes:
    """Posterior draws of (alpha_j, beta_j), one cloud per station: they co-vary negatively.

    Parameters
    ----------
    alpha, beta : array_like of shape (draw, station)
        Posterior draws (chains flattened).

    Returns
    -------
    Axes
        One scatter per station and the posterior-mean points joined by a line labelled with
        their correlation.
    """
    a, b = np.asarray(alpha), np.asarray(beta)
    ax = ax if ax is not None else plt.figure().subplots()
    keep = np.linspace(0, len(a) - 1, min(max_draws, len(a))).astype(int)
    for j in range(a.shape[1]):
        ax.scatter(a[keep, j], b[keep, j], s=6, alpha=0.35, color=station_color(j))
    ma, mb = a.mean(axis=0), b.mean(axis=0)
    order = np.argsort(ma)
    r = np.corrcoef(ma, mb)[0, 1]
    ax.plot(ma[order], mb[order], "k-o", ms=5, lw=1, label=f"station means, r = {r:.2f}")
    ax.set_xlabel("intercept α_j")
    ax.set_ylabel("slope β_j")
    ax.set_title("Station intercepts and slopes co-vary")
    ax.legend()
    return ax


def plot_lines_through_data(
    data: pd.DataFrame, alpha: ArrayLike, beta: ArrayLike, *, ax: Axes | None = None
) -> Axes:
    """Each (alpha, beta) pair is a line: through the data, a steeper slope needs a lower intercept.

    Parameters
    ----------
    data : DataFrame
        Points drawn in grey.
    alpha, beta : array_like of shape (n,)
        Pairs to draw as lines, coloured by slope; the lines are extended to T = 0 so their
        intercepts show.

    Returns
    -------
    Axes
        One line per pair, a scatter of the data and a colour bar of the slope.
    """
    a, b = np.ravel(alpha), np.ravel(beta)
    ax = ax if ax is not None else plt.figure().subplots()
    ax.scatter(data["TEMP"], data["log_ozone"], s=3, color="0.8", rasterized=True)
    t = np.linspace(0.0, float(data["TEMP"].max()), 50)
    cmap = plt.get_cmap("viridis")
    lo, hi = b.min(), b.max()
    for ai, bi in zip(a, b, strict=True):
        ax.plot(t, ai + bi * t, color=cmap((bi - lo) / (hi - lo) if hi > lo else 0.5), lw=1.5)
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(lo, hi))
    ax.figure.colorbar(sm, ax=ax, label="slope β")
    ax.axvline(0, color="0.5", lw=1)
    ax.set_xlabel(TEMP_LABEL)
    ax.set_ylabel(OZONE_LABEL)
    ax.set_title("Each (α, β) pair is a line: steeper slopes need lower intercepts")
    return ax
