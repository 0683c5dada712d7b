"""Figures of generalised linear models: the logit link and the prior it implies on p (exact)."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from scipy import stats
from scipy.special import expit, logit

from teachkit.figure_entry import Claim, attach_claim
from teachkit.plots.style import PALETTE, darker

__all__ = ["PRIOR_COLOURS", "logit_normal_mass", "plot_logit_prior", "share_inside"]


def share_inside(p: ArrayLike, low: float, high: float) -> float:
    """The share of ``p`` strictly between ``low`` and ``high``.

    Examples
    --------
    >>> share_inside([0.01, 0.5, 0.6, 0.99], 0.02, 0.98)
    0.5
    """
    values = np.asarray(p, dtype=float)
    return float(np.mean((values > low) & (values < high)))


def logit_normal_mass(sd: float, low: ArrayLike, high: ArrayLike) -> np.ndarray:
    r"""The exact prior mass of :math:`p = \mathrm{logit}^{-1}(\alpha)` in (low, high).

    With :math:`\alpha \sim \mathrm{Normal}(0, s)`,

    .. math:: P(a < p < b) = \Phi(\mathrm{logit}(b) / s) - \Phi(\mathrm{logit}(a) / s).

    Examples
    --------
    >>> round(float(logit_normal_mass(2.0, 0.02, 0.98)), 3)
    0.948
    >>> logit_normal_mass(10.0, [0.0, 0.5], [0.5, 1.0]).tolist()
    [0.5, 0.5]
    """
    z_low = logit(np.asarray(low, dtype=float)) / sd
    z_high = logit(np.asarray(high, dtype=float)) / sd
    return np.asarray(stats.norm.cdf(z_high) - stats.norm.cdf(z_low))


#: The priors' colours on the logit slide: blue and vermillion, far apart for every
#: colour vision (Okabe and Ito); each prior has its own panel, so they never mix.
PRIOR_COLOURS: tuple[str, ...] = (PALETTE[0], PALETTE[5], PALETTE[2], PALETTE[3])


def plot_logit_prior(
    sds: Mapping[str, float],
    *,
    logodds: float = 4.0,
    bin_width: float = 0.02,
    ymax: float = 4.0,
    fig: Figure | None = None,
) -> Figure:
    r"""The inverse logit with log-odds :math:`\pm` ``logodds`` marked, and the priors on p.

    Left: :math:`p = \mathrm{logit}^{-1}(\alpha)` against :math:`\alpha`, the band
    :math:`|\alpha| \le` ``logodds`` shaded. Right, one panel per prior
    :math:`\alpha \sim \mathrm{Normal}(0, s)` (same axes, one above the other, each in its
    own colour): the exact density of :math:`p` averaged over bins of ``bin_width`` on [0, 1]
    (each bar's area is the prior mass of its bin, :func:`logit_normal_mass`; the band's ends,
    rounded to ``bin_width``, are bin edges). The two edge bins, the mass outside the band,
    are drawn solid and their shares written beside them; bars above ``ymax`` are cut. The
    title states, for each prior, the exact share of p inside (low, high), the band's ends
    rounded to ``bin_width`` (0.02 and 0.98 for log-odds 4); it is attached as the figure's
    claim (``numbers`` ``share_0``, ``share_1``, ... and ``low``, ``high``; ``data``
    ``mass_0``, ... the bins' masses, and ``edges``).

    Parameters
    ----------
    sds : mapping of str to float
        For each prior's name (mathtext allowed), the sd :math:`s` of the log-odds.
    logodds : float
        Half-width of the "reasonable" band of log-odds.
    bin_width : float
        Bin width on the probability scale; 1 / bin_width must be an integer.
    ymax : float
        The density axes' upper limit.
    fig : Figure, optional

    Returns
    -------
    Figure
        The curve's axes (one line, label "inverse logit"), then one axes per prior with its
        bars (one ``BarContainer``, labelled with the prior's name, and its outline).
    """
    high = round(float(expit(logodds)) / bin_width) * bin_width
    low = 1.0 - high
    fig = fig if fig is not None else plt.figure(layout="constrained")
    grid = fig.add_gridspec(len(sds), 2, width_ratios=(1, 1.3))
    left = fig.add_subplot(grid[:, 0])
    _draw_link(left, logodds)
    edges = np.linspace(0.0, 1.0, round(1.0 / bin_width) + 1)
    numbers: dict[str, float] = {"low": low, "high": high}
    data: dict[str, np.ndarray] = {"edges": edges}
    parts = []
    first_ax = None
    for k, (name, sd) in enumerate(sds.items()):
        ax = fig.add_subplot(grid[k, 1], sharex=first_ax, sharey=first_ax)
        first_ax = first_ax or ax
        mass = logit_normal_mass(sd, edges[:-1], edges[1:])
        data[f"mass_{k}"] = mass
        share = float(logit_normal_mass(sd, low, high))
        numbers[f"share_{k}"] = share
        _draw_prior_on_p(ax, mass, name, share, edges, PRIOR_COLOURS[k % len(PRIOR_COLOURS)], ymax)
        ax.set_ylabel("density")
        if k < len(sds) - 1:
            ax.tick_params(labelbottom=False)
        parts.append((name, share))
    first_ax.set_title(r"the prior it implies on $p$")
    ax.set_xlabel("probability $p$")
    (first, s0), *rest = parts
    text = rf"{first} keeps {s0:.0%} of $p$ in ({low:.2f}, {high:.2f})" + "".join(
        f", {name} {'only ' if share < s0 else ''}{share:.0%}" for name, share in rest
    )
    fig.suptitle(text)
    return attach_claim(fig, Claim(text, numbers, data))


def _draw_link(ax: Axes, logodds: float) -> None:
    """The inverse-logit curve with the band of log-odds within +- ``logodds`` shaded."""
    a = np.linspace(-10, 10, 401)
    ax.axvspan(-logodds, logodds, color="0.9", lw=0)
    ax.plot(a, expit(a), color="black", lw=3, label="inverse logit")
    for x in (-logodds, logodds):
        ax.axvline(x, color="0.4", ls=":", lw=1.5)
        ax.annotate(
            rf"$\alpha = {x:g}$" + "\n" + rf"$p = {expit(x):.2f}$",
            (x, expit(x)),
            xytext=(12 if x > 0 else -12, -40 if x > 0 else 30),
            textcoords="offset points",
            ha="left" if x > 0 else "right",
            fontsize=16,
        )
    ax.set_xlim(-10, 10)
    ax.set_ylim(0, 1)
    ax.set_yticks([0.25, 0.5, 0.75, 1.0])  # no tick label in the corner
    ax.set_xlabel(r"log-odds $\alpha$")
    ax.set_ylabel("probability $p$")
    ax.set_title(rf"$p = \mathrm{{logit}}^{{-1}}(\alpha)$, $|\alpha| \leq {logodds:g}$ shaded")


def _draw_prior_on_p(
    ax: Axes,
    masses: np.ndarray,
    name: str,
    share: float,
    edges: np.ndarray,
    colour: str,
    ymax: float,
) -> None:
    """One prior's bin masses as densities, its edge bins solid with their shares beside."""
    width = edges[1] - edges[0]
    heights = masses / width
    bars = ax.bar(
        edges[:-1], heights, width=width, align="edge", color=colour, alpha=0.35, label=name
    )
    ax.stairs(heights, edges, color=colour, lw=2.5)
    for index, side in ((0, "below"), (-1, "above")):
        bars[index].set_alpha(1.0)
        bars[index].set_facecolor(darker(colour, 0.15))
        mass = heights[index] * width
        at_left = index == 0
        ax.annotate(
            f"{mass:.0%} {side} {edges[1] if at_left else edges[-2]:.2f}"
            + ("\n(bar cut)" if heights[index] > ymax else ""),
            (edges[0] + width if at_left else edges[-1] - width, 0.62 * ymax),
            xytext=(8 if at_left else -8, 0),
            textcoords="offset points",
            ha="left" if at_left else "right",
            va="center",
            fontsize=17,
            fontweight="bold",
            color=darker(colour, 0.3),
        )
    for x in (edges[1], edges[-2]):
        ax.axvline(x, color="0.4", ls=":", lw=1.5)
    ax.text(
        0.5,
        0.95,
        f"{name}: {share:.0%} inside",
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=19,
        color=darker(colour, 0.3),
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, ymax)
    ax.set_yticks(np.arange(1, np.floor(ymax) + 1))
