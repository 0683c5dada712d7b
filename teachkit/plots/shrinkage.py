"""Two-dimensional shrinkage: each group's (intercept, slope) from no pooling to partial pooling.

Under two population priors side by side (independent and covarying effects), on the same
axes, each group's marker sized by its number of observations: groups with few observations
move furthest, and under a covarying prior along the population's tilted ellipse (Gelman &
Hill 2007, sec. 13.1). Drawn for the ozone stations and for any grouped table's groups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike

from teachkit.plots.population import ELLIPSE_STYLES

__all__ = ["ShrinkagePanel", "distance_moved", "draw_order", "marker_area", "plot_shrinkage_pair"]


@dataclass(frozen=True)
class ShrinkagePanel:
    """One model's shrinkage: each station's own estimate, its partial-pooling one, the population.

    Attributes
    ----------
    own, partial : array_like of shape (n_stations, 2)
    mean : array_like of shape (2,)
    cov : array_like of shape (2, 2)
        The population covariance whose ellipses are drawn.
    """

    own: ArrayLike
    partial: ArrayLike
    mean: ArrayLike
    cov: ArrayLike


def distance_moved(panel: ShrinkagePanel) -> np.ndarray:
    r"""Length of each station's move in the population's sds (Mahalanobis distance).

    :math:`\sqrt{\Delta^\top \Sigma^{-1} \Delta}` with :math:`\Delta` = partial - own.

    Examples
    --------
    >>> p = ShrinkagePanel([[2.0, 0.0]], [[1.0, 0.0]], [0.0, 0.0], [[4.0, 0.0], [0.0, 1.0]])
    >>> distance_moved(p).tolist()
    [0.5]
    """
    step = np.asarray(panel.partial, dtype=float) - np.asarray(panel.own, dtype=float)
    precision = np.linalg.inv(np.asarray(panel.cov, dtype=float))
    return np.sqrt(np.einsum("ni,ij,nj->n", step, precision, step))


def marker_area(days: ArrayLike, most: float) -> np.ndarray:
    """Marker area (points^2) for a station with ``days`` days: 30 to 420, by the square root.

    Examples
    --------
    >>> marker_area([4, 100], 100).tolist()
    [108.0, 420.0]
    """
    return 30.0 + 390.0 * np.sqrt(np.asarray(days, dtype=float) / most)


def draw_order(days: ArrayLike) -> np.ndarray:
    """Stations in drawing order: most days first, so that the smallest markers end on top.

    Examples
    --------
    >>> draw_order([5, 300, 20]).tolist()
    [1, 2, 0]
    """
    return np.argsort(-np.asarray(days), kind="stable")


def plot_shrinkage_pair(
    panels: Mapping[str, ShrinkagePanel],
    days: ArrayLike,
    names: Sequence[str],
    *,
    labels: tuple[str, str] = (r"intercept $\alpha_j$", r"slope $\beta_j$"),
    masses: Sequence[float] = (0.5, 0.94),
    noun: str = "group",
    unit: str = "rows",
    name_groups: bool = True,
    title: str = "",
    fig: Figure | None = None,
) -> Figure:
    """No pooling to partial pooling of (alpha_j, beta_j) under two priors, on the same axes.

    Each panel draws the population's ellipses, each station's own estimate (open circle) and
    an arrow to its partial-pooling estimate (filled, a little transparent), marker area
    growing with its days (:func:`marker_area`), stations with most days first so that the
    small markers lie on top (:func:`draw_order`), and the population mean (thin black plus).

    Parameters
    ----------
    panels : mapping of panel title to ShrinkagePanel
    days : array_like of int, shape (n_stations,)
    names : sequence of str
        Group names, in group order (legend "<noun> (<unit>)").
    noun, unit : str
        What a group is and what its count counts (the ozone case: "station", "days").
    name_groups : bool
        List each group in the legend (too many groups to name: only the markers' key).

    Returns
    -------
    Figure
        Per axes: lines "50% ellipse" (dashed) and "94% ellipse" (solid), as on the population
        slides (:data:`teachkit.plots.population.ELLIPSE_STYLES`), scatters "own estimate (no
        pooling)", "partial pooling" (their offsets in :func:`draw_order`) and "population
        mean", one arrow per station; a figure legend of the stations (in station order) and
        one of the markers (black and grey, no station's colour) and sizes.
    """
    from teachkit.mvn import ellipse
    from teachkit.plots.style import station_color

    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(1, len(panels), squeeze=False, sharex=True, sharey=True)[0]
    n = len(names)
    colours = [station_color(j) for j in range(n)]
    most = float(np.max(days))
    size = marker_area(days, most)
    order = draw_order(days)  # largest first, so that small stations' markers lie on top
    for ax, (name, panel) in zip(axes, panels.items(), strict=True):
        own, partial = np.asarray(panel.own, dtype=float), np.asarray(panel.partial, dtype=float)
        mu, cov = np.asarray(panel.mean, dtype=float), np.asarray(panel.cov, dtype=float)
        for m, style in zip(masses, ELLIPSE_STYLES, strict=False):
            ring = ellipse(mu, cov, mass=m)
            ax.plot(
                ring[:, 0], ring[:, 1], color="0.45", lw=1.4, ls=style, label=f"{m:.0%} ellipse"
            )
        in_order = [colours[j] for j in order]
        ax.scatter(own[order, 0], own[order, 1], s=size[order], facecolors="none",
                   edgecolors=in_order, linewidths=2.0, zorder=3,
                   label="own estimate (no pooling)")  # fmt: skip
        ax.scatter(partial[order, 0], partial[order, 1], s=size[order], c=in_order, alpha=0.85,
                   edgecolors="white", linewidths=0.8, zorder=4,
                   label="partial pooling")  # fmt: skip
        for j in order:
            ax.annotate("", xy=partial[j], xytext=own[j], arrowprops={"arrowstyle": "-|>",
                        "color": colours[j], "lw": 2.0, "shrinkA": 5, "shrinkB": 5,
                        "mutation_scale": 16})  # fmt: skip
        ax.scatter(*mu, marker="+", s=320, color="black", linewidths=1.6, zorder=5,
                   label="population mean")  # fmt: skip
        ax.set_title(name, fontsize=17)
        ax.set_xlabel(labels[0])
    axes[0].set_ylabel(labels[1])
    axes[0].margins(0.06)
    stations = [Line2D([], [], marker="o", ls="", ms=10, color=c, label=f"{nm} ({int(k)})")
                for nm, c, k in zip(names, colours, np.ravel(days), strict=True)]  # fmt: skip
    lines, _ = axes[0].get_legend_handles_labels()
    keys = [*lines[: len(masses)],  # neutral markers: no station's colour in the key
            Line2D([], [], marker="o", ls="", ms=12, mfc="none", mec="black", mew=2.0,
                   label="own estimate (no pooling)"),
            Line2D([], [], marker="o", ls="", ms=12, mfc="0.55", mec="white",
                   label="partial pooling"),
            Line2D([], [], marker="+", ls="", ms=16, mew=1.6, color="black",
                   label="population mean")]  # fmt: skip
    sizes = [Line2D([], [], marker="o", ls="", color="0.5", mfc="none", mew=1.5,
                    ms=float(np.sqrt(marker_area(k, most))), label=f"{k} {unit}")
             for k in sorted({int(np.min(days)), int(np.median(days)), int(most)})]  # fmt: skip
    gap = Line2D([], [], ls="", label=" ")
    named = [*stations, gap] if name_groups else []
    fig.legend(handles=[*named, *keys, *sizes], loc="outside right center",
               title=f"{noun} ({unit})" if name_groups else None, fontsize=12)  # fmt: skip
    if title:
        fig.suptitle(title, x=0.43, fontsize=21)
    return fig
