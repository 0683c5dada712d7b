"""Figures of the grants case study: award rates, the causal DAG, total against direct gap."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from teachkit.plots.style import GENDER_COLORS

__all__ = ["GENDER_NAMES", "plot_award_rates", "plot_gender_gap", "plot_grants_dag"]


#: How each gender is named on the slides.
GENDER_NAMES: dict[str, str] = {"f": "women", "m": "men"}


def plot_award_rates(data: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Award rate by discipline and gender, markers sized by the number of applications.

    Disciplines are sorted by their award rate (both genders together), lowest on the left,
    and each tick says what share of the discipline's applicants are women; dashed lines show
    each gender's rate over all disciplines.

    Returns
    -------
    Axes
        One scatter per gender (labels "women", "men"; x = discipline position, y = rate,
        size proportional to applications) and one dashed line per gender (label e.g.
        "all women: 14.9%").
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    totals = data.groupby("discipline", observed=True)[["awards", "applications"]].sum()
    rate = totals["awards"] / totals["applications"]
    disciplines = list(rate.sort_values(kind="stable").index.astype(str))
    x = {d: i for i, d in enumerate(disciplines)}
    scale = 1500 / max(float(data["applications"].max()), 1.0)
    for g, offset in (("f", -0.12), ("m", 0.12)):
        rows = data[data["gender"] == g]
        ax.scatter(
            rows["discipline"].astype(str).map(x) + offset,
            rows["awards"] / rows["applications"].where(rows["applications"] > 0),
            s=rows["applications"] * scale,
            color=GENDER_COLORS[g],
            alpha=0.75,
            label=GENDER_NAMES[g],
        )
        overall = rows["awards"].sum() / rows["applications"].sum()
        ax.axhline(
            overall,
            color=GENDER_COLORS[g],
            ls="--",
            lw=2,
            label=f"all {GENDER_NAMES[g]}: {overall:.1%}",
        )
    women = data[data["gender"] == "f"].set_index(data[data["gender"] == "f"]["discipline"])
    share = women["applications"].groupby(level=0, observed=True).sum() / totals["applications"]
    ticks = [f"{d}\n{share[d]:.0%} women" for d in disciplines]
    ax.set_xticks(range(len(disciplines)), ticks, rotation=35, ha="right", fontsize=13)
    ax.set_xlim(-0.6, len(disciplines) - 0.4)
    ax.set_ylabel("award rate")
    ax.set_xlabel("discipline, lowest award rate on the left (area: applications)")
    ax.set_title("Women's overall rate is lower, and women apply more where awards are rare")
    legend = ax.legend(loc="upper left", ncols=2, markerscale=0.35)
    for handle in legend.legend_handles:
        if handle is not None:
            handle.set_alpha(1)
    return ax


def plot_grants_dag(*, direct: bool = True, ax: Axes | None = None) -> Axes:
    """The causal graph G -> D -> A and (if ``direct``) G -> A, drawn with matplotlib only.

    The paths are named (through discipline, direct), and a note says which model estimates
    which effect.

    Returns
    -------
    Axes
        Three node labels (G, D, A) with their names, two or three arrows (annotations with
        gid "G->D", "D->A", "G->A") and the path labels.
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    nodes = {"G": (0.0, 0.0), "D": (0.5, 0.6), "A": (1.0, 0.0)}
    names = {"G": "gender", "D": "discipline", "A": "award"}
    circle = {"boxstyle": "circle,pad=0.4", "fc": "white", "ec": "black", "lw": 2.5}
    for key, (x, y) in nodes.items():
        ax.text(x, y, key, ha="center", va="center", fontsize=36, bbox=circle)
        ax.text(x, y - 0.15, names[key], ha="center", va="top", fontsize=22)
    edges = [("G", "D"), ("D", "A")] + ([("G", "A")] if direct else [])
    for a, b in edges:
        ax.annotate(
            "",
            xy=nodes[b],
            xytext=nodes[a],
            gid=f"{a}->{b}",
            arrowprops={
                "arrowstyle": "-|>",
                "lw": 3,
                "shrinkA": 36,
                "shrinkB": 36,
                "mutation_scale": 28,
                "color": "black",
            },
        )
    ax.text(
        0.82,
        0.36,
        "indirect: through\nthe choice of discipline",
        ha="left",
        va="center",
        fontsize=18,
        color="0.3",
    )
    if direct:
        ax.text(0.5, 0.04, "direct", ha="center", va="bottom", fontsize=18, color="0.3")
    ax.text(
        0.5,
        -0.32,
        "gender only: the total effect (both paths)    ·    gender + discipline: the direct effect",
        ha="center",
        va="top",
        fontsize=17,
    )
    ax.set_xlim(-0.3, 1.3)
    ax.set_ylim(-0.45, 0.8)
    ax.set_axis_off()
    ax.set_title("Gender acts on awards through discipline" + (" and directly" if direct else ""))
    return ax


def plot_gender_gap(
    gaps: Mapping[str, ArrayLike], *, hdi_prob: float = 0.94, ax: Axes | None = None
) -> Axes:
    """Posterior of the gender gap in award probability (men minus women) per model.

    Parameters
    ----------
    gaps : mapping of label to array_like
        Posterior draws of ``gender_gap`` in probability units, e.g. {"total (gender)": ...,
        "direct (gender + discipline)": ...}.
    hdi_prob : float
        Probability of the interval drawn under each histogram (equal-tailed).

    Returns
    -------
    Axes
        One histogram (density, in percentage points) per model, labelled with its mean and
        interval; under each a horizontal interval line (gid "interval <label>"); a vertical
        line at 0.
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    points = {label: 100 * np.ravel(v) for label, v in gaps.items()}
    all_draws = np.concatenate(list(points.values()))
    edges = np.linspace(all_draws.min(), all_draws.max(), 60)
    tail = (1 - hdi_prob) / 2
    top = 0.0
    for i, (label, draws) in enumerate(points.items()):
        low, high = np.quantile(draws, [tail, 1 - tail])
        heights, _, _ = ax.hist(
            draws,
            bins=edges,
            density=True,
            histtype="stepfilled",
            alpha=0.45,
            color=f"C{i}",
            label=f"{label}: {draws.mean():.1f} [{low:.1f}, {high:.1f}]",
        )
        top = max(top, float(np.max(heights)))
    for i, (label, draws) in enumerate(points.items()):
        low, high = np.quantile(draws, [tail, 1 - tail])
        y = -(0.06 + 0.06 * i) * top
        ax.plot(
            [low, high], [y, y], color=f"C{i}", lw=5, solid_capstyle="butt", gid=f"interval {label}"
        )
        ax.plot([draws.mean()], [y], "o", color="white", mec=f"C{i}", mew=2, ms=9)
    ax.axvline(0.0, color="black", lw=1.5)
    ax.set_xlabel("gender gap: men − women, award probability (% points)")
    ax.set_ylabel("posterior density")
    # the padding keeps the title clear of the top tick label, wherever the density peaks
    ax.set_title("Conditioning on discipline shrinks the gender gap", pad=24)
    ax.legend(
        title=f"model: mean [{hdi_prob:.0%} interval]",
        loc="center left",
        bbox_to_anchor=(1.01, 0.5),
    )
    return ax
