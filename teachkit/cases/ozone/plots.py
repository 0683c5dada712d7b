"""Figures of the ozone case study: priors, data, station effects, LOO, traces, lines.

Every figure colours station j with :func:`teachkit.plots.style.station_color` and names the
stations it shows, in the order of their ids.
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
    "plot_ozone_data",
    "plot_prior_predictive",
    "plot_station_intercepts",
    "share_near",
]

TEMP_LABEL = "daily max temperature (°C)"
OZONE_LABEL = "log daily max ozone (log µg/m³)"


def _station_legend(ax: Axes, **kwargs: object) -> None:
    """A legend of the station entries, outside the axes on the right."""
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=13, **kwargs)  # type: ignore[arg-type]


def share_near(lines: np.ndarray, band: tuple[float, float]) -> float:
    """Share of lines never further from ``band`` than the band's own width.

    Parameters
    ----------
    lines : ndarray of shape (n_points, n_lines)
        The lines' values along the x grid.
    band : (low, high)

    Examples
    --------
    >>> share_near(np.array([[0.0, 5.0, 30.0], [1.0, 6.0, 40.0]]), (0.0, 4.0))
    0.6666666666666666
    """
    low, high = band
    width = high - low
    near = (lines >= low - width) & (lines <= high + width)
    return float(near.all(axis=0).mean())


def plot_prior_predictive(
    priors: Mapping[str, tuple[ArrayLike, ArrayLike]],
    observed_range: tuple[float, float],
    *,
    temp_range: tuple[float, float] = (0.0, 40.0),
    fig: Figure | None = None,
) -> Figure:
    """Lines alpha + beta T drawn from each prior, with the range of real ozone days shaded.

    The panels share their y axis, so the priors' spreads compare at a glance; each panel
    says what share of its lines stays near the real range (:func:`share_near`).

    Parameters
    ----------
    priors : mapping of title to (alpha draws, beta draws)
        E.g. {"vague: ...": (...), "the lecture's: ...": (...)}.
    observed_range : (low, high)
        Range of log ozone in the data, shaded on each panel.

    Returns
    -------
    Figure
        One axes per prior with one line per draw, a shaded band (label "real days") and a
        text with the share of lines near it.
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(1, len(priors), squeeze=False, sharey=True)[0]
    t = np.linspace(*temp_range, 50)
    for ax, (title, (alpha, beta)) in zip(axes, priors.items(), strict=True):
        a, b = np.ravel(alpha), np.ravel(beta)
        lines = a[None, :] + b[None, :] * t[:, None]
        ax.plot(t, lines, color="C0", alpha=0.35, lw=1)
        ax.axhspan(*observed_range, color="C1", alpha=0.45, label="real days", zorder=3)
        ax.set_title(title, fontsize=17)
        ax.set_xlabel(TEMP_LABEL)
        share = share_near(lines, observed_range)
        ax.text(
            0.03,
            0.03,
            f"{share:.0%} of lines stay within one\nband-width of real days",
            transform=ax.transAxes,
            fontsize=14,
            va="bottom",
            bbox={"boxstyle": "round", "fc": "white", "ec": "0.7"},
        )
    axes[0].set_ylabel(OZONE_LABEL)
    axes[0].legend(loc="upper left")
    fig.suptitle("Prior predictive lines: vague priors predict impossible ozone")
    return fig


def plot_ozone_data(
    data: pd.DataFrame, pooled: tuple[float, float] | None = None, *, ax: Axes | None = None
) -> Axes:
    """Log max ozone against max temperature, coloured by station, with the pooled line.

    Returns
    -------
    Axes
        One scatter per station (labelled by name, in station order) and, if ``pooled`` =
        (alpha, beta) is given, a black line labelled "pooled".
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    for (sid, name), rows in data.groupby(["station_id", "station"], sort=True):
        ax.scatter(
            rows["TEMP"],
            rows["log_ozone"],
            s=4,
            alpha=0.35,
            color=station_color(sid),
            label=str(name),
            rasterized=True,
        )
    if pooled is not None:
        t = np.linspace(data["TEMP"].min(), data["TEMP"].max(), 50)
        ax.plot(t, pooled[0] + pooled[1] * t, color="black", lw=3, label="pooled line")
    ax.set_xlabel(TEMP_LABEL)
    ax.set_ylabel(OZONE_LABEL)
    ax.set_title("Ozone rises with temperature at every station")
    _station_legend(ax, markerscale=4)
    for handle in ax.get_legend().legend_handles:
        if handle is not None:
            handle.set_alpha(1)
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
        Station names, the x tick labels.

    Returns
    -------
    Axes
        One errorbar per station (station order), a horizontal line labelled "pooled".
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    mean = summary["mean"].to_numpy()
    low, high = summary["low"].to_numpy(), summary["high"].to_numpy()
    for j in range(len(summary)):
        ax.errorbar(
            j,
            mean[j],
            yerr=[[mean[j] - low[j]], [high[j] - mean[j]]],
            fmt="o",
            color=station_color(j),
            capsize=5,
            ms=10,
            lw=2.5,
        )
    ax.axhline(pooled_alpha, color="black", ls="--", label="pooled intercept")
    missed = int(np.sum((low > pooled_alpha) | (high < pooled_alpha)))
    ax.set_xticks(range(len(summary)), list(names), rotation=30, ha="right")
    ax.set_ylabel(r"intercept $\alpha_j$ (log µg/m³ at 0 °C)")
    ax.set_title(
        f"Stations differ: {missed} of {len(summary)} intervals (94%) miss the pooled intercept"
    )
    ax.legend(loc="best")
    return ax


def plot_alpha_beta_posterior(
    alpha: ArrayLike,
    beta: ArrayLike,
    *,
    names: Sequence[str] | None = None,
    max_draws: int = 400,
    ax: Axes | None = None,
) -> Axes:
    """Posterior draws of (alpha_j, beta_j), one cloud per station: they co-vary negatively.

    Parameters
    ----------
    alpha, beta : array_like of shape (draw, station)
        Posterior draws (chains flattened).
    names : sequence of str, optional
        Station names: each cloud is labelled (legend outside, station order).

    Returns
    -------
    Axes
        One scatter per station and the posterior-mean points joined by a line labelled with
        their correlation.
    """
    a, b = np.asarray(alpha), np.asarray(beta)
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    keep = np.linspace(0, len(a) - 1, min(max_draws, len(a))).astype(int)
    for j in range(a.shape[1]):
        ax.scatter(
            a[keep, j],
            b[keep, j],
            s=6,
            alpha=0.35,
            color=station_color(j),
            label=names[j] if names is not None else None,
            rasterized=True,
        )
    ma, mb = a.mean(axis=0), b.mean(axis=0)
    order = np.argsort(ma)
    r = np.corrcoef(ma, mb)[0, 1]
    ax.plot(ma[order], mb[order], "k-o", ms=5, lw=1, label=f"station means, r = {r:.2f}")
    ax.set_xlabel(r"intercept $\alpha_j$ (log µg/m³ at 0 °C)")
    ax.set_ylabel(r"slope $\beta_j$ (per °C)")
    ax.set_title("A station with a higher intercept has a lower slope")
    if names is not None:
        _station_legend(ax)
        for handle in ax.get_legend().legend_handles[:-1]:
            if handle is not None:
                handle.set_alpha(1)
                handle.set_sizes([60])  # type: ignore[union-attr]
    else:
        ax.legend()
    return ax
