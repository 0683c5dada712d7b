r"""Plots of the covarying model: plate diagrams, sampler diagnostics, funnel, 2-D shrinkage.

The plate diagrams are the lecture's two codings of one model (:mod:`teachkit.cases.ozone.models`):

.. math::

    y_{ij} \sim \mathrm{Normal}(\alpha_j + \beta_j T_{ij}, \sigma), \quad
    (\alpha_j, \beta_j) \sim \mathrm{MVNormal}((\mu_\alpha, \mu_\beta), \Sigma), \quad
    \Sigma = \operatorname{diag}(\sigma_\alpha, \sigma_\beta)\, R\,
             \operatorname{diag}(\sigma_\alpha, \sigma_\beta),

centred as written, non-centred as :math:`(\alpha_j, \beta_j) = \mu + L z_j`,
:math:`z_j \sim \mathrm{Normal}(0, I)`, :math:`L L^\top = \Sigma`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from teachkit.cases.ozone.models import ALPHA_PRIOR_SD, BETA_PRIOR_SD, LKJ_ETA
from teachkit.plots.plate import Node, Plate, PlateDiagram

__all__ = [
    "ChainsPanel",
    "FunnelDraws",
    "ShrinkagePanel",
    "covarying_diagram",
    "distance_moved",
    "draw_order",
    "in_neck",
    "marker_area",
    "plot_chains",
    "plot_funnel_neck",
    "plot_shrinkage_pair",
    "rank_rhat",
]

# --- plate diagrams -----------------------------------------------------------------------------

_HALF_CAUCHY = r"$\sim \mathrm{HalfCauchy}(1)$"
_ABOVE = (0.0, 0.85)


def covarying_diagram(
    parameterization: str, *, n_stations: int, days: tuple[int, int]
) -> PlateDiagram:
    """The covarying model's plate diagram, centred or non-centred.

    Parameters
    ----------
    parameterization : {"centered", "noncentered"}
    n_stations : int
        Stations on the station plate.
    days : (fewest, most)
        Days per station, for the day plate's label.

    Returns
    -------
    PlateDiagram
        Node names are the model's variable names (``"mu_alpha"``, ``"alpha_beta"``, ``"z"``,
        ``"log_ozone"``, ``"temp"``, ...) plus ``"R"``, ``"Sigma"`` (centred) or ``"L"``
        (non-centred), which the model codes together as ``chol_cov``; plates ``"station"``
        and ``"obs"`` (the days, nested in the stations).
    """
    centred = parameterization == "centered"
    if parameterization not in ("centered", "noncentered"):
        raise ValueError(
            f"parameterization must be centered or noncentered, not {parameterization!r}"
        )
    top, mid, low, below = 7.35, 4.7, 2.55, -0.8
    right = 12.6  # the covariance's node and sigma: outside the station plate, its text too
    nodes = [
        Node("mu_alpha", r"$\mu_\alpha$", (1.6, top), text=rf"$\sim \mathrm{{Normal}}(0, {ALPHA_PRIOR_SD:g})$", text_offset=_ABOVE),  # noqa: E501
        Node("mu_beta", r"$\mu_\beta$", (5.0, top), text=rf"$\sim \mathrm{{Normal}}(0, {BETA_PRIOR_SD:g})$", text_offset=_ABOVE),  # noqa: E501
        Node("sigma_alpha", r"$\sigma_\alpha$", (9.2, top), text=_HALF_CAUCHY, text_offset=_ABOVE),
        Node("sigma_beta", r"$\sigma_\beta$", (right, top), text=_HALF_CAUCHY, text_offset=_ABOVE),
        Node("R", r"$R$", (15.2, top), text=rf"$\sim \mathrm{{LKJ}}({LKJ_ETA:g})$", text_offset=_ABOVE, width=1.1),  # noqa: E501
        Node("temp", r"$T_{ij}$", (2.0, low), kind="data", width=1.3),
        Node("log_ozone", r"$y_{ij}$", (5.6, low), kind="observed", width=1.4,
             text=r"$\sim \mathrm{Normal}(\alpha_j + \beta_j\, T_{ij},\ \sigma)$", text_offset=(0.0, -0.85)),  # noqa: E501
        Node("sigma", r"$\sigma$", (right, low), text=_HALF_CAUCHY, text_offset=(0.0, -0.85)),
    ]  # fmt: skip
    edges = [("alpha_beta", "log_ozone"), ("temp", "log_ozone"), ("sigma", "log_ozone")]
    if centred:
        nodes += [
            Node("Sigma", r"$\Sigma$", (right, mid), kind="deterministic", width=1.1,
                 text=r"$= \mathrm{diag}(\sigma_\alpha, \sigma_\beta)\ R\ \mathrm{diag}(\sigma_\alpha, \sigma_\beta)$",  # noqa: E501
                 text_offset=(0.0, below)),
            Node("alpha_beta", r"$(\alpha_j, \beta_j)$", (5.6, mid), width=2.6,
                 text=r"$\sim \mathrm{MVNormal}((\mu_\alpha, \mu_\beta),\ \Sigma)$",
                 text_offset=(-0.2, below), text_align="right"),
        ]  # fmt: skip
        cov = "Sigma"
        edges += [("mu_alpha", "alpha_beta"), ("mu_beta", "alpha_beta"), ("Sigma", "alpha_beta")]
    else:
        nodes += [
            Node("L", r"$L$", (right, mid), kind="deterministic", width=1.1,
                 text=r"$L L^\top = \mathrm{diag}(\sigma_\alpha, \sigma_\beta)\ R\ \mathrm{diag}(\sigma_\alpha, \sigma_\beta)$",  # noqa: E501
                 text_offset=(0.0, below)),
            Node("z", r"$z_j$", (2.0, mid), width=1.2, text=r"$\sim \mathrm{Normal}(0, I)$",
                 text_offset=(0.0, below)),
            # the formula starts right of the arrow down to y and stays under the box
            Node("alpha_beta", r"$(\alpha_j, \beta_j)$", (5.6, mid), kind="deterministic",
                 width=2.9, text=r"$= (\mu_\alpha, \mu_\beta) + L\, z_j$",
                 text_offset=(0.15, below), text_align="left"),
        ]  # fmt: skip
        cov = "L"
        edges += [("mu_alpha", "alpha_beta"), ("mu_beta", "alpha_beta"), ("z", "alpha_beta"),
                  ("L", "alpha_beta")]  # fmt: skip
    edges += [("sigma_alpha", cov), ("sigma_beta", cov), ("R", cov)]
    fewest, most = days
    n_days = f"{fewest:,}" if fewest == most else f"{fewest:,}-{most:,}"
    plates = (
        Plate("station", rf"stations $j = 1, \ldots, {n_stations}$", (0.3, 0.05, 9.3, 5.9)),
        Plate("obs", rf"days $i = 1, \ldots, n_j$  ($n_j$ = {n_days})", (0.6, 0.7, 9.0, 3.5)),
    )
    return PlateDiagram(tuple(nodes), tuple(edges), plates)


# --- the sampler's diagnostics --------------------------------------------------------------

#: Font size (points) of the rank panels' labels, title and (2 less) tick labels.
RANK_SIZE = 15


@dataclass(frozen=True)
class ChainsPanel:
    """One fit's draws of a scale parameter, by chain, with the sampler's divergence flags.

    Attributes
    ----------
    values : array_like of shape (chain, draw)
        The parameter's draws (e.g. sigma_beta).
    divergent : array_like of bool, shape (chain, draw)
    """

    values: ArrayLike
    divergent: ArrayLike


def rank_rhat(values: ArrayLike) -> float:
    """Rank-normalised split R-hat (Vehtari et al. 2021), ArviZ's ``az.rhat`` of one quantity.

    Parameters
    ----------
    values : array_like of shape (chain, draw)

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> bool(rank_rhat(rng.normal(size=(4, 500))) < 1.01)
    True
    """
    import arviz as az

    return float(az.rhat(np.asarray(values, dtype=float)))


def plot_chains(
    panels: Mapping[str, ChainsPanel],
    *,
    ylabel: str = r"$\sigma_\beta$ (per °C)",
    bins: int = 20,
    title: str = "",
    fig: Figure | None = None,
) -> Figure:
    """Trace and rank plot of one parameter per fit, chain by chain, divergent draws marked.

    One row per fit: on the left the trace of each chain (log scale, one colour per chain)
    with its divergent draws as dots; on the right the rank plot, a histogram per chain of the
    ranks of its draws among all chains' (flat when the chains agree).

    Parameters
    ----------
    panels : mapping of row title to ChainsPanel
        E.g. {"centred": ..., "non-centred": ...}.

    Returns
    -------
    Figure
        Per row a trace axes (one line per chain, labels "chain 1", ...; a scatter labelled
        "divergent (n)" at the divergent draws; title "<row>: n divergent draws, R-hat x")
        and a rank axes (one step line per chain, a dashed line labelled "uniform").
    """
    from scipy.stats import rankdata

    from teachkit.plots.style import PALETTE

    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(len(panels), 2, squeeze=False, width_ratios=(3, 1), sharey="col")
    for (trace_ax, rank_ax), (name, panel) in zip(axes, panels.items(), strict=True):
        values = np.asarray(panel.values, dtype=float)
        divergent = np.asarray(panel.divergent, dtype=bool)
        ranks = rankdata(values, axis=None).reshape(values.shape)
        edges = np.linspace(0.5, values.size + 0.5, bins + 1)
        for c, chain in enumerate(values):
            colour = PALETTE[c % len(PALETTE)]
            trace_ax.plot(chain, color=colour, lw=0.9, label=f"chain {c + 1}")
            counts = np.histogram(ranks[c], edges)[0]
            rank_ax.stairs(counts, edges, baseline=None, color=colour, lw=2.2)
        draw_index = np.nonzero(divergent)
        n_div = int(divergent.sum())
        trace_ax.scatter(draw_index[1], values[draw_index], s=40, color="black", zorder=4,
                         marker="o", facecolors="none", linewidths=1.6,
                         label=f"divergent ({n_div})")  # fmt: skip
        trace_ax.set_yscale("log")
        trace_ax.set_ylabel(ylabel)
        trace_ax.margins(x=0)
        rhat = rank_rhat(values)
        trace_ax.set_title(rf"{name}: {n_div} divergent draws, $\hat{{R}}(\sigma_\beta)$ = {rhat:.2f}",  # noqa: E501
                           loc="left", fontsize=17)  # fmt: skip
        rank_ax.axhline(values.size / bins / len(values), color="0.3", ls="--", lw=1.5,
                        label="uniform")  # fmt: skip
        rank_ax.set_ylabel("draws per bin", fontsize=RANK_SIZE)
        rank_ax.xaxis.set_major_locator(MaxNLocator(2))
        rank_ax.yaxis.set_major_locator(MaxNLocator(3))
        rank_ax.tick_params(labelsize=RANK_SIZE - 2)
        rank_ax.set_xlim(0, values.size)
        rank_ax.set_ylim(bottom=0)
        rank_ax.set_title("ranks, by chain", fontsize=RANK_SIZE)
    n_chains, n_draws = np.shape(next(iter(panels.values())).values)
    axes[-1, 0].set_xlabel(f"draw (each of {n_chains} chains: {n_draws} draws after tuning)")
    axes[-1, 1].set_xlabel("rank among all draws", fontsize=RANK_SIZE)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    labels = ["divergent" if lb.startswith("divergent") else lb for lb in labels]
    fig.legend(handles, labels, loc="outside right center")
    if title:
        fig.suptitle(title)
    return fig


# --- the funnel -------------------------------------------------------------------------------


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
    axes[0].set_ylabel(ylabel)
    axes[0].set_ylim(bottom=np.exp(low - 0.2))
    handles, labels = axes[0].get_legend_handles_labels()
    labels = ["divergent" if lb.startswith("divergent") else lb for lb in labels]
    fig.legend(handles, labels, loc="outside right center", markerscale=2)
    if title:
        fig.suptitle(title)
    return fig


# --- two-dimensional shrinkage ----------------------------------------------------------------


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
        Station names, in station order (legend "station (days)").

    Returns
    -------
    Figure
        Per axes: lines "50% ellipse", ..., scatters "own estimate (no pooling)", "partial
        pooling" (their offsets in :func:`draw_order`) and "population mean", one arrow per
        station; a figure legend of the stations (in station order) and one of the markers
        (black and grey, no station's colour) and sizes.
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
        for m, style in zip(masses, ("-", "--"), strict=False):
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
                    ms=float(np.sqrt(marker_area(k, most))), label=f"{k} days")
             for k in sorted({int(np.min(days)), int(np.median(days)), int(most)})]  # fmt: skip
    gap = Line2D([], [], ls="", label=" ")
    fig.legend(handles=[*stations, gap, *keys, *sizes], loc="outside right center",
               title="station (days)", fontsize=12)  # fmt: skip
    if title:
        fig.suptitle(title, x=0.43, fontsize=21)
    return fig
