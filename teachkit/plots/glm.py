"""Figures of generalised linear models: the logit link and the prior it implies on p."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from scipy.special import expit

from teachkit.figure_entry import Claim, attach_claim
from teachkit.plots.style import darker

__all__ = ["plot_logit_prior", "share_inside"]


def share_inside(p: ArrayLike, low: float, high: float) -> float:
    """The share of ``p`` strictly between ``low`` and ``high``.

    Examples
    --------
    >>> share_inside([0.01, 0.5, 0.6, 0.99], 0.02, 0.98)
    0.5
    """
    values = np.asarray(p, dtype=float)
    return float(np.mean((values > low) & (values < high)))


def plot_logit_prior(
    draws: Mapping[str, ArrayLike],
    *,
    logodds: float = 4.0,
    bin_width: float = 0.02,
    ymax: float = 4.0,
    fig: Figure | None = None,
) -> Figure:
    r"""The inverse logit with log-odds :math:`\pm` ``logodds`` marked, and the priors on p.

    Left: :math:`p = \mathrm{logit}^{-1}(\alpha)` against :math:`\alpha`, the band
    :math:`|\alpha| \le` ``logodds`` shaded. Right: for each prior, the histogram (density) of
    :math:`p = \mathrm{logit}^{-1}(\alpha)` over the draws of :math:`\alpha`, in bins of
    ``bin_width`` on [0, 1] (so that the band's ends, rounded to ``bin_width``, are bin edges);
    bars above ``ymax`` are cut and their share of the draws written at the top. The title
    states, for each prior, the share of p inside (low, high), the band's ends rounded to
    ``bin_width`` (0.02 and 0.98 for log-odds 4); it is attached as the figure's claim
    (``numbers`` ``share_0``, ``share_1``, ... and ``low``, ``high``; ``data`` ``p_0``, ...).

    Parameters
    ----------
    draws : mapping of str to array_like
        For each prior's name (mathtext allowed), draws of the log-odds :math:`\alpha`.
    logodds : float
        Half-width of the "reasonable" band of log-odds.
    bin_width : float
        Histogram bin width on the probability scale; 1 / bin_width must be an integer.
    ymax : float
        The density axis' upper limit.
    fig : Figure, optional

    Returns
    -------
    Figure
        Two axes: the curve (one line, label "inverse logit") and the histograms (one
        ``BarContainer`` per prior, labelled with its name, and its outline).
    """
    high = round(float(expit(logodds)) / bin_width) * bin_width
    low = 1.0 - high
    fig = fig if fig is not None else plt.figure(layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(1, 1.3))
    a = np.linspace(-10, 10, 401)
    left.axvspan(-logodds, logodds, color="0.9", lw=0)
    left.plot(a, expit(a), color="black", lw=3, label="inverse logit")
    for x in (-logodds, logodds):
        left.axvline(x, color="0.4", ls=":", lw=1.5)
        left.annotate(
            rf"$\alpha = {x:g}$" + "\n" + rf"$p = {expit(x):.2f}$",
            (x, expit(x)),
            xytext=(12 if x > 0 else -12, -40 if x > 0 else 30),
            textcoords="offset points",
            ha="left" if x > 0 else "right",
            fontsize=16,
        )
    left.set_xlim(-10, 10)
    left.set_ylim(0, 1)
    left.set_yticks([0.25, 0.5, 0.75, 1.0])  # no tick label in the corner
    left.set_xlabel(r"log-odds $\alpha$")
    left.set_ylabel("probability $p$")
    left.set_title(rf"$p = \mathrm{{logit}}^{{-1}}(\alpha)$, $|\alpha| \leq {logodds:g}$ shaded")
    edges = np.linspace(0.0, 1.0, round(1.0 / bin_width) + 1)
    numbers: dict[str, float] = {"low": low, "high": high}
    data: dict[str, np.ndarray] = {}
    parts = []
    for k, (name, alpha) in enumerate(draws.items()):
        p = expit(np.asarray(alpha, dtype=float))
        data[f"p_{k}"] = p
        share = share_inside(p, low, high)
        numbers[f"share_{k}"] = share
        colour = f"C{k}"
        heights, _, _ = right.hist(
            p, bins=edges, density=True, color=colour, alpha=0.25, label=name
        )
        right.hist(p, bins=edges, density=True, histtype="step", color=colour, lw=2.5)
        for h, x0 in zip(heights, edges[:-1], strict=True):
            if h > ymax:
                right.annotate(
                    f"{h * bin_width:.0%}",
                    (x0 + bin_width / 2, ymax),
                    xytext=(10 if x0 < 0.5 else -10, -4 - 26 * k),
                    textcoords="offset points",
                    ha="left" if x0 < 0.5 else "right",
                    va="top",
                    fontsize=15,
                    color=darker(colour),
                )
        parts.append((name, share))
        right.text(
            0.5,
            0.96 - 0.09 * k,
            f"{name}: {share:.0%} inside",
            transform=right.transAxes,
            ha="center",
            va="top",
            fontsize=17,
            color=darker(colour),
        )
    for x in (low, high):
        right.axvline(x, color="0.4", ls=":", lw=1.5)
    right.set_xlim(0, 1)
    right.set_ylim(0, ymax)
    right.set_yticks(np.arange(1, np.floor(ymax) + 1))
    right.set_xlabel("probability $p$")
    right.set_ylabel("prior density")
    right.set_title(r"the prior it implies on $p$")
    right.text(
        0.5,
        0.96 - 0.09 * len(parts),
        "cut bars: their share of the draws",
        transform=right.transAxes,
        ha="center",
        va="top",
        fontsize=14,
        color="0.3",
    )
    (first, s0), *rest = parts
    text = rf"{first} keeps {s0:.0%} of $p$ in ({low:.2f}, {high:.2f})" + "".join(
        f", {name} {'only ' if share < s0 else ''}{share:.0%}" for name, share in rest
    )
    fig.suptitle(text)
    return attach_claim(fig, Claim(text, numbers, data))
