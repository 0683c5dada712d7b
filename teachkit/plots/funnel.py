"""The funnel: a group effect against its sd, divergent draws marked, one neck band.

A centred hierarchical model's posterior narrows as the group sd shrinks (Neal's funnel;
Betancourt & Girolami 2015, "Hamiltonian Monte Carlo for hierarchical models"); NUTS's
steps are too long for the neck and diverge there. Drawn for the ozone case's covarying model
and for any grouped table's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import LogFormatter
from numpy.typing import ArrayLike

__all__ = [
    "NECK_QUANTILE",
    "FunnelCount",
    "FunnelDraws",
    "PlainLogFormatter",
    "in_neck",
    "plot_funnel_neck",
]


class PlainLogFormatter(LogFormatter):
    """A log axis's tick labels as plain numbers ("0.6", "1"), not "6×10⁻¹", "10⁰".

    Which ticks get a label is matplotlib's own choice (:class:`~matplotlib.ticker.LogFormatter`);
    only the text differs.
    """

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of the tick at ``x``: "" where matplotlib leaves it unlabelled."""
        return f"{x:g}" if super().__call__(x, pos) else ""


@dataclass(frozen=True)
class FunnelDraws:
    """One panel of the funnel: a group effect's draws against the log of its sd.

    Attributes
    ----------
    x, log_sd : array_like of shape (n_draws,)
    divergent : array_like of bool, shape (n_draws,)
    xlabel : str
    """

    x: ArrayLike
    log_sd: ArrayLike
    divergent: ArrayLike
    xlabel: str


def in_neck(log_sd: ArrayLike, neck: float) -> np.ndarray:
    """Which draws lie in the neck: log sd at most ``neck``.

    Examples
    --------
    >>> in_neck([-5.0, -2.0], -3.0).tolist()
    [True, False]
    """
    return np.asarray(log_sd, dtype=float) <= neck


#: The neck: the draws whose log sd lies below this quantile of both panels' draws together.
NECK_QUANTILE = 0.2


@dataclass(frozen=True)
class FunnelCount:
    """What a funnel slide's title claims, counted from its two panels.

    Attributes
    ----------
    neck : float
        The log sd below which a draw is in the neck (:data:`NECK_QUANTILE` of every draw).
    centred, in_neck, noncentred : int
        Divergent draws of the centred panel, those of them in the neck, and of the
        non-centred panel.
    log_sd : ndarray
        Every draw's log sd, both panels.
    """

    neck: float
    centred: int
    in_neck: int
    noncentred: int
    log_sd: np.ndarray

    @classmethod
    def of(cls, panels: Mapping[str, FunnelDraws]) -> FunnelCount:
        """Count the panels ``"centred"`` and ``"non-centred"``."""
        every = np.concatenate([np.ravel(p.log_sd) for p in panels.values()])
        neck = float(np.quantile(every, NECK_QUANTILE))
        centred, other = panels["centred"], panels["non-centred"]
        divergent = np.asarray(centred.divergent, dtype=bool)
        return cls(
            neck=neck,
            centred=int(divergent.sum()),
            in_neck=int(np.sum(divergent & in_neck(centred.log_sd, neck))),
            noncentred=int(np.sum(other.divergent)),
            log_sd=every,
        )

    def title(self) -> str:
        """The slide's title: the counts, in words."""
        return (
            f"Centred: {self.centred} divergent draws, {self.in_neck} of them in the neck; "
            f"non-centred: {self.noncentred}"
        )

    def numbers(self) -> dict[str, float]:
        """The title's numbers by name (a :class:`~teachkit.figure_entry.Claim`'s)."""
        return {
            "centred divergent": self.centred,
            "centred in neck": self.in_neck,
            "non-centred divergent": self.noncentred,
            "neck": self.neck,
        }


def plot_funnel_neck(
    panels: Mapping[str, FunnelDraws],
    neck: float,
    *,
    ylabel: str = r"$\sigma_\beta$ (per °C, log scale)",
    neck_label: str = "neck",
    title: str = "",
    fig: Figure | None = None,
) -> Figure:
    """The funnel: a group effect against its sd on a log axis, one neck band on every panel.

    Parameters
    ----------
    panels : mapping of panel title to FunnelDraws
    neck : float
        Upper edge of the neck band (log sd), the same on every panel (they share the y axis).
    neck_label : str
        The band's legend entry.

    Returns
    -------
    Figure
        One axes per panel, y on a log scale in the sd's own unit: scatters "draws" and
        "divergent (n)" at (x, sd), the band (a patch labelled ``neck_label``, from below the
        smallest sd to exp(``neck``)), the title "<panel>: n divergent draws" and, on a
        second line, "neck: p% of draws, k divergent" (the base rate and the count).
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(1, len(panels), squeeze=False, sharey=True)[0]
    low = min(float(np.min(p.log_sd)) for p in panels.values())
    for ax, (name, panel) in zip(axes, panels.items(), strict=True):
        x, y = np.ravel(panel.x), np.exp(np.ravel(panel.log_sd))
        d = np.ravel(panel.divergent).astype(bool)
        ax.scatter(x[~d], y[~d], s=5, alpha=0.35, color="C0", label="draws", rasterized=True)
        ax.scatter(x[d], y[d], s=30, color="C5", edgecolors="black", linewidths=0.4,
                   label=f"divergent ({int(d.sum())})", zorder=3)  # fmt: skip
        ax.axhspan(np.exp(low - 1.0), np.exp(neck), color="0.86", zorder=0, label=neck_label)
        inside = in_neck(np.ravel(panel.log_sd), neck)
        k = int((d & inside).sum())
        ax.set_title(f"{name}: {int(d.sum())} divergent draws\n"
                     f"neck: {inside.mean():.0%} of draws, {k} divergent",
                     fontsize=16)  # fmt: skip
        ax.set_xlabel(panel.xlabel)
    axes[0].set_yscale("log")
    axes[0].yaxis.set_major_formatter(PlainLogFormatter())
    axes[0].yaxis.set_minor_formatter(PlainLogFormatter(labelOnlyBase=False))
    axes[0].set_ylabel(ylabel)
    axes[0].set_ylim(bottom=np.exp(low - 0.2))
    handles, labels = axes[0].get_legend_handles_labels()
    labels = ["divergent" if lb.startswith("divergent") else lb for lb in labels]
    fig.legend(handles, labels, loc="outside right center", markerscale=2)
    if title:
        fig.suptitle(title)
    return fig
