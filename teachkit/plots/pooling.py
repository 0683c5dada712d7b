"""Figures of pooling: shrinkage in one and two dimensions, and the funnel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from teachkit.mvn import ellipse
from teachkit.plots.style import station_color

__all__ = ["plot_funnel", "plot_shrinkage_1d", "plot_shrinkage_2d"]


def plot_shrinkage_1d(
    no_pooling: ArrayLike, partial: ArrayLike, pooled: float, *, label: str = "α_j",
    ax: Axes | None = None,
) -> Axes:  # fmt: skip
    """No-pooling estimates (top row) move to partial-pooling ones (bottom row).

    Returns
    -------
    Axes
        Two scatters ("no pooling", "partial pooling"), one arrow per group, a vertical line
        at the pooled value.
    """
    ax = ax if ax is not None else plt.figure().subplots()
    x0, x1 = np.ravel(no_pooling), np.ravel(partial)
    colours = [station_color(j) for j in range(len(x0))]
    ax.scatter(x0, np.ones_like(x0), s=120, c=colours, label="no pooling")
    ax.scatter(x1, np.zeros_like(x1), s=120, c=colours, marker="D", label="partial pooling")
    for a, b, c in zip(x0, x1, colours, strict=True):
        ax.annotate("", xy=(b, 0.05), xytext=(a, 0.95),
                    arrowprops={"arrowstyle": "->", "color": c, "lw": 1.5})  # fmt: skip
    ax.axvline(pooled, color="black", ls="--", label="pooled")
    ax.set_yticks([0, 1], ["partial pooling", "no pooling"])
    ax.set_ylim(-0.5, 1.5)
    ax.set_xlabel(label)
    ax.set_title("Shrinkage towards the population mean")
    ax.legend(loc="upper right", fontsize=12)
    return ax


def plot_shrinkage_2d(
    no_pooling: ArrayLike, partial: ArrayLike, mean: ArrayLike, cov: ArrayLike, *,
    masses: Sequence[float] = (0.5, 0.8, 0.94), ax: Axes | None = None,
) -> Axes:  # fmt: skip
    """Shrinkage of (alpha_j, beta_j) along the population's covariance ellipses.

    Parameters
    ----------
    no_pooling, partial : array_like of shape (n_groups, 2)
    mean, cov : the population mean (2,) and covariance (2, 2)

    Returns
    -------
    Axes
        Two scatters, one arrow per group and one ellipse line per mass.
    """
    ax = ax if ax is not None else plt.figure().subplots()
    p0, p1 = np.asarray(no_pooling), np.asarray(partial)
    for m in masses:
        ring = ellipse(mean, cov, mass=m)
        ax.plot(ring[:, 0], ring[:, 1], color="0.5", lw=1, label=f"{m:.0%}" if m == masses[-1]
                else None)  # fmt: skip
    colours = [station_color(j) for j in range(len(p0))]
    ax.scatter(p0[:, 0], p0[:, 1], s=90, c=colours, label="no pooling")
    ax.scatter(p1[:, 0], p1[:, 1], s=90, c=colours, marker="D", label="partial pooling")
    for a, b, c in zip(p0, p1, colours, strict=True):
        ax.annotate("", xy=b, xytext=a, arrowprops={"arrowstyle": "->", "color": c, "lw": 1.5})
    ax.set_xlabel("intercept α_j")
    ax.set_ylabel("slope β_j")
    ax.set_title("Two-dimensional shrinkage follows the correlation")
    ax.legend(fontsize=12)
    return ax


def plot_funnel(
    panels: Mapping[str, tuple[ArrayLike, ArrayLike, ArrayLike]], *, fig: Figure | None = None
) -> Figure:
    """The funnel: a group effect against log of its sd, divergent draws marked.

    Parameters
    ----------
    panels : mapping of title to (x, log_sd, divergent)
        E.g. {"centred": (beta_0 draws, log sigma_beta draws, divergent flags),
        "non-centred": (z_0 draws, log sigma_beta draws, divergent flags)}.

    Returns
    -------
    Figure
        One axes per panel with draws (label "draws") and divergent ones (label
        "divergent").
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (title, (x, log_sd, divergent)) in zip(axes, panels.items(), strict=True):
        x, y, d = np.ravel(x), np.ravel(log_sd), np.ravel(divergent).astype(bool)
        ax.scatter(x[~d], y[~d], s=4, alpha=0.3, color="C0", label="draws", rasterized=True)
        ax.scatter(x[d], y[d], s=30, color="C5", label=f"divergent ({int(d.sum())})")
        ax.set_title(title)
        ax.set_ylabel("log σ_β")
    axes[0].set_xlabel("β_0")
    if len(axes) > 1:
        axes[1].set_xlabel("z_0 (standardised)")
    axes[0].legend(loc="upper right", markerscale=2)
    fig.suptitle("Centred against non-centred: the funnel")
    return fig
