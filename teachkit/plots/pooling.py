"""Figures of pooling: shrinkage in one and two dimensions, and the funnel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike

from teachkit.mvn import ellipse, ellipse_radius
from teachkit.plots.style import station_color

__all__ = [
    "NECK_FRACTION",
    "FunnelPanel",
    "plot_funnel",
    "plot_shrinkage_1d",
    "plot_shrinkage_2d",
    "shrinkage_fraction",
    "spread_ratio",
]

#: The funnel's neck and mouth: the lowest and the highest fifth of the log sd's draws.
NECK_FRACTION = 0.2

_OWN = {"marker": "o", "facecolors": "white", "linewidths": 2.0}
_PARTIAL = {"marker": "D", "edgecolors": "black", "linewidths": 0.6}


def shrinkage_fraction(own: ArrayLike, partial: ArrayLike, population: ArrayLike) -> np.ndarray:
    """How far each estimate moved toward the population mean, as a fraction of the way.

    (own - partial) / (own - population), element-wise in 1-D; 0 means it stayed, 1 that it
    reached the population mean.

    Examples
    --------
    >>> shrinkage_fraction([1.0, 3.0], [1.5, 2.0], 2.0).tolist()
    [0.5, 1.0]
    """
    own, partial = np.asarray(own, dtype=float), np.asarray(partial, dtype=float)
    return (own - partial) / (own - np.asarray(population, dtype=float))


def plot_shrinkage_1d(
    no_pooling: ArrayLike,
    partial: ArrayLike,
    pooled: float,
    *,
    names: Sequence[str] | None = None,
    counts: ArrayLike | None = None,
    label: str = r"$\alpha_j$",
    title: str = "Shrinkage towards the population mean",
    pooled_name: str = "the mean",
    unit: str = "days",
    ax: Axes | None = None,
) -> Axes:
    r"""Each group's own estimate (open circle) moves to its partial-pooling one (diamond).

    One row per group, sorted by ``counts`` (fewest observations at the top) when given; an
    arrow joins the two estimates and the share of the way to the population mean it covers
    is written at the right.

    Parameters
    ----------
    no_pooling, partial : array_like of shape (n_groups,)
        Each group's own estimate and its partial-pooling estimate, in group order.
    pooled : float
        The population mean (vertical dashed line).
    names : sequence of str, optional
        Group names (default: 0, 1, ...).
    counts : array_like of int, shape (n_groups,), optional
        Observations per group: rows are sorted by it and it is shown beside each name.
    label : str
        The x axis label.
    pooled_name : str
        How the share column's header names the population mean ("share of the way to
        <pooled_name> moved"), e.g. ``r"$\mu_\alpha$"``.
    unit : str
        What ``counts`` count, beside each name (the ozone stations' "days").

    Returns
    -------
    Axes
        Two scatters (labels "own estimate (no pooling)" and "partial pooling"; y = row), one
        arrow per group, the population line (label "population mean") and one text per row
        with the share moved; a legend of neutral (black and grey) markers above the axes.
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    x0, x1 = np.ravel(no_pooling).astype(float), np.ravel(partial).astype(float)
    n = len(x0)
    names = list(names) if names is not None else [str(j) for j in range(n)]
    order = np.argsort(np.asarray(counts), kind="stable") if counts is not None else np.arange(n)
    row = np.empty(n)
    row[order] = np.arange(n)[::-1]  # first in order at the top
    colours = [station_color(j) for j in range(n)]
    ax.scatter(x0, row, s=130, edgecolors=colours, label="own estimate (no pooling)", **_OWN)
    ax.scatter(x1, row, s=110, c=colours, label="partial pooling", **_PARTIAL)
    for a, b, y, c in zip(x0, x1, row, colours, strict=True):
        ax.annotate(
            "",
            xy=(b, y),
            xytext=(a, y),
            arrowprops={
                "arrowstyle": "-|>",
                "color": c,
                "lw": 2,
                "shrinkA": 7,
                "shrinkB": 6,
                "mutation_scale": 16,
            },
        )
    ax.axvline(pooled, color="black", ls="--", lw=1.5, label="population mean")
    moved = shrinkage_fraction(x0, x1, pooled)
    for y, m in zip(row, moved, strict=True):
        ax.text(1.01, y, f"{m:.0%}", transform=ax.get_yaxis_transform(), va="center", fontsize=14)
    ax.text(
        1.01,
        n - 0.45,
        f"share of the way\nto {pooled_name} moved",
        transform=ax.get_yaxis_transform(),
        va="bottom",
        fontsize=14,
        gid="share header",
    )
    ticks = [
        names[j] if counts is None else f"{names[j]} ({int(np.ravel(counts)[j])} {unit})"
        for j in range(n)
    ]
    ax.set_yticks(row, ticks)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel(label)
    ax.figure.suptitle(title)
    keys = [  # neutral: no group's colour in the key
        Line2D([], [], ls="", marker="o", ms=11, mfc="white", mec="black", mew=2.0,
               label="own estimate (no pooling)"),
        Line2D([], [], ls="", marker="D", ms=10, mfc="0.55", mec="black", mew=0.6,
               label="partial pooling"),
        Line2D([], [], color="black", ls="--", lw=1.5, label="population mean"),
    ]  # fmt: skip
    ax.legend(handles=keys, loc="lower left", bbox_to_anchor=(-0.01, 1.0), ncols=3,
              borderaxespad=0.8, fontsize=14, columnspacing=1.2, borderpad=0.2)  # fmt: skip
    return ax


def plot_shrinkage_2d(
    no_pooling: ArrayLike,
    partial: ArrayLike,
    mean: ArrayLike,
    cov: ArrayLike,
    *,
    masses: Sequence[float] = (0.5, 0.8, 0.94),
    names: Sequence[str] | None = None,
    counts: ArrayLike | None = None,
    labels: tuple[str, str] = (r"intercept $\alpha_j$", r"slope $\beta_j$"),
    title: str = "Two-dimensional shrinkage follows the correlation",
    ax: Axes | None = None,
) -> Axes:
    """Shrinkage of (alpha_j, beta_j) along the population's covariance ellipses.

    Parameters
    ----------
    no_pooling, partial : array_like of shape (n_groups, 2)
        Each group's own estimate and its partial-pooling estimate.
    mean : array_like of shape (2,)
        The population mean (black plus).
    cov : array_like of shape (2, 2)
        The population covariance; one ellipse per mass, each labelled with its level at the
        upper end of its long axis.
    names : sequence of str, optional
        Group names for the legend (default: 0, 1, ...).
    counts : array_like of int, shape (n_groups,), optional
        Observations per group, shown in the legend.

    Returns
    -------
    Axes
        One ellipse line per mass (label e.g. "94% ellipse") and its text ("94%"), two
        scatters ("own estimate (no pooling)", "partial pooling"), the population mean and one
        arrow per group; a legend of group colours (outside, right) and one of the markers.
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    p0, p1 = np.asarray(no_pooling, dtype=float), np.asarray(partial, dtype=float)
    mu, c = np.asarray(mean, dtype=float), np.asarray(cov, dtype=float)
    values, vectors = np.linalg.eigh(c)
    axis = vectors[:, -1] * np.sqrt(values[-1])  # long half-axis of the 1-sd ellipse
    axis = axis if axis[1] >= 0 else -axis  # its upper end
    for m in masses:
        ring = ellipse(mu, c, mass=m)
        ax.plot(ring[:, 0], ring[:, 1], color="0.45", lw=1.3, label=f"{m:.0%} ellipse")
        tip = mu + ellipse_radius(m) * axis
        ax.text(
            *tip,
            f"{m:.0%}",
            fontsize=15,
            color="0.25",
            ha="center",
            va="center",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
        )
    n = len(p0)
    colours = [station_color(j) for j in range(n)]
    ax.scatter(
        p0[:, 0],
        p0[:, 1],
        s=110,
        edgecolors=colours,
        zorder=3,
        label="own estimate (no pooling)",
        **_OWN,
    )
    ax.scatter(p1[:, 0], p1[:, 1], s=90, c=colours, zorder=4, label="partial pooling", **_PARTIAL)
    for a, b, col in zip(p0, p1, colours, strict=True):
        ax.annotate(
            "",
            xy=b,
            xytext=a,
            arrowprops={
                "arrowstyle": "-|>",
                "color": col,
                "lw": 1.8,
                "shrinkA": 6,
                "shrinkB": 5,
                "mutation_scale": 14,
            },
        )
    if counts is not None:  # each count beyond its own estimate, away from its arrow
        away = (p0 - p1) / np.where(np.ptp(p0, axis=0) > 0, np.ptp(p0, axis=0), 1.0)
        for (x, y), (dx, dy), k in zip(p0, away, np.ravel(counts), strict=True):
            d = float(np.hypot(dx, dy))
            ux, uy = (dx / d, dy / d) if d > 0 else (0.0, 1.0)
            ha, va = ("left" if ux >= 0 else "right"), ("bottom" if uy >= 0 else "top")
            ax.annotate(
                f"{int(k)} d",
                (x, y),
                xytext=(14 * ux, 14 * uy),
                ha=ha,
                va=va,
                textcoords="offset points",
                fontsize=12,
                color="0.25",
            )
    ax.scatter(*mu, marker="P", s=220, color="black", zorder=5, label="population mean")
    ax.margins(0.08)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_title(title)
    names = list(names) if names is not None else [str(j) for j in range(n)]
    if counts is not None:
        names = [f"{nm} ({int(k)})" for nm, k in zip(names, np.ravel(counts), strict=True)]
    groups = [
        Line2D([], [], marker="D", ls="", ms=9, color=col, label=nm)
        for nm, col in zip(names, colours, strict=True)
    ]
    keys = [h for h in ax.get_legend_handles_labels()[0] if "ellipse" not in h.get_label()]
    ax.add_artist(ax.legend(handles=keys, loc="upper right", fontsize=13))
    title = "station (days)" if counts is not None else None
    ax.legend(
        handles=groups, loc="center left", bbox_to_anchor=(1.01, 0.5), title=title, fontsize=13
    )
    return ax


def spread_ratio(x: ArrayLike, log_sd: ArrayLike, fraction: float = NECK_FRACTION) -> float:
    """Spread (sd) of ``x`` where ``log_sd`` is in its lowest ``fraction``, over its highest.

    Well below 1 in a funnel (the group effect narrows as its sd shrinks); about 1 without.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> log_sd = rng.normal(0, 1, 4000)
    >>> bool(spread_ratio(rng.normal(0, np.exp(log_sd)), log_sd) < 0.2)
    True
    >>> bool(0.8 < spread_ratio(rng.normal(0, 1, 4000), log_sd) < 1.2)
    True
    """
    x, y = np.ravel(x), np.ravel(log_sd)
    low, high = np.quantile(y, [fraction, 1 - fraction])
    return float(np.std(x[y <= low]) / np.std(x[y >= high]))


@dataclass(frozen=True)
class FunnelPanel:
    """One panel of the funnel figure: a group effect against the log of its sd.

    Attributes
    ----------
    x : array_like of shape (n_draws,)
        The group effect's draws (centred: e.g. beta_0 - mu_beta; non-centred: the
        standardised effect z the sampler moves in).
    log_sd : array_like of shape (n_draws,)
        Draws of the log of the group sd.
    divergent : array_like of bool, shape (n_draws,)
        The sampler's divergence flags.
    xlabel, ylabel : str
        Axis labels (mathtext).
    """

    x: ArrayLike
    log_sd: ArrayLike
    divergent: ArrayLike
    xlabel: str
    ylabel: str = r"$\log\,\sigma$"


def plot_funnel(
    panels: Mapping[str, FunnelPanel],
    *,
    title: str = "Centred against non-centred: the funnel",
    fig: Figure | None = None,
) -> Figure:
    """The funnel: a group effect against log of its sd, divergent draws marked.

    Each panel shades the lowest fifth of the log sd's draws (the neck), and its title says
    how many draws diverged and how wide the effect is in the neck, relative to the highest
    fifth (:func:`spread_ratio`). The panels share their y axis.

    Parameters
    ----------
    panels : mapping of title to FunnelPanel
        E.g. {"centred": ..., "non-centred": ...}.

    Returns
    -------
    Figure
        One axes per panel with draws (label "draws"), divergent ones (label "divergent
        (n)") and the shaded neck; one legend for all panels.
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(1, len(panels), squeeze=False, sharey=True)[0]
    for ax, (name, panel) in zip(axes, panels.items(), strict=True):
        x, y = np.ravel(panel.x), np.ravel(panel.log_sd)
        d = np.ravel(panel.divergent).astype(bool)
        ax.scatter(x[~d], y[~d], s=5, alpha=0.35, color="C0", label="draws", rasterized=True)
        ax.scatter(
            x[d],
            y[d],
            s=28,
            color="C5",
            edgecolors="black",
            linewidths=0.4,
            label=f"divergent ({int(d.sum())})",
            zorder=3,
        )
        neck = float(np.quantile(y, NECK_FRACTION))
        ax.axhspan(y.min(), neck, color="0.88", zorder=0, label="neck: lowest fifth of the log sd")
        ratio = spread_ratio(x, y)
        ax.set_title(
            f"{name}: {int(d.sum())} divergent draws\nneck spread: {ratio:.2f} × the top's",
            fontsize=16,
        )
        ax.set_xlabel(panel.xlabel)
        ax.set_ylabel(panel.ylabel)
    handles, labels = axes[0].get_legend_handles_labels()
    labels = ["divergent" if lb.startswith("divergent") else lb for lb in labels]
    fig.legend(handles, labels, loc="outside right center", markerscale=2)
    fig.suptitle(title)
    return fig
