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
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from teachkit.cases.ozone.models import ALPHA_PRIOR_SD, BETA_PRIOR_SD, LKJ_ETA
from teachkit.plots import funnel, shrinkage
from teachkit.plots.funnel import FunnelDraws, in_neck
from teachkit.plots.plate import Node, Plate, PlateDiagram
from teachkit.plots.shrinkage import ShrinkagePanel, distance_moved, draw_order, marker_area

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


# --- two-dimensional shrinkage ----------------------------------------------------------------


# --- the funnel and 2-D shrinkage, drawn by teachkit.plots with the stations' words -------------


def plot_funnel_neck(
    panels: Mapping[str, FunnelDraws],
    neck: float,
    *,
    ylabel: str = r"$\sigma_\beta$ (per °C, log scale)",
    neck_label: str = "neck",
    title: str = "",
    fig: Figure | None = None,
) -> Figure:
    """The funnel of the stations' slopes (:func:`teachkit.plots.funnel.plot_funnel_neck`)."""
    return funnel.plot_funnel_neck(
        panels, neck, ylabel=ylabel, neck_label=neck_label, title=title, fig=fig
    )


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
    """2-D shrinkage of the stations, sized by their days.

    :func:`teachkit.plots.shrinkage.plot_shrinkage_pair` with "station" and "days".
    """
    return shrinkage.plot_shrinkage_pair(
        panels, days, names, labels=labels, masses=masses, noun="station", unit="days",
        title=title, fig=fig,
    )  # fmt: skip
