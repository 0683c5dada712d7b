"""Figures of the grants case study: award rates, the causal DAG, total against direct gap."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from teachkit.plots.style import GENDER_COLORS

__all__ = ["plot_award_rates", "plot_gender_gap", "plot_grants_dag"]


def plot_award_rates(data: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Award rate by discipline and gender, markers sized by the number of applications.

    Returns
    -------
    Axes
        One scatter per gender (labels "f", "m"), disciplines on the x axis.
    """
    ax = ax if ax is not None else plt.figure().subplots()
    disciplines = list(pd.Categorical(data["discipline"]).categories)
    x = {d: i for i, d in enumerate(disciplines)}
    scale = 1500 / max(float(data["applications"].max()), 1.0)
    for g, offset in (("f", -0.12), ("m", 0.12)):
        rows = data[data["gender"] == g]
        rate = rows["awards"] / rows["applications"].where(rows["applications"] > 0)
        ax.scatter(
            rows["discipline"].astype(str).map(x) + offset, rate,
            s=rows["applications"] * scale, color=GENDER_COLORS[g], alpha=0.75, label=g,
        )  # fmt: skip
    ax.set_xticks(range(len(disciplines)), disciplines, rotation=30, ha="right")
    ax.set_ylabel("award rate")
    ax.set_title("Award rate by discipline and gender (area: applications)")
    ax.legend(title="gender", markerscale=0.3)
    return ax


def plot_grants_dag(*, direct: bool = True, ax: Axes | None = None) -> Axes:
    """The causal graph G -> D -> A and (if ``direct``) G -> A, drawn with matplotlib only.

    Returns
    -------
    Axes
        Three node labels (G, D, A) and two or three arrows.
    """
    ax = ax if ax is not None else plt.figure().subplots()
    nodes = {"G": (0.0, 0.0), "D": (0.5, 0.6), "A": (1.0, 0.0)}
    names = {"G": "gender", "D": "discipline", "A": "award"}
    circle = {"boxstyle": "circle,pad=0.4", "fc": "white", "ec": "black", "lw": 2}
    for key, (x, y) in nodes.items():
        ax.text(x, y, key, ha="center", va="center", fontsize=32, bbox=circle)
        ax.text(x, y - 0.2, names[key], ha="center", va="top", fontsize=16)
    edges = [("G", "D"), ("D", "A")] + ([("G", "A")] if direct else [])
    for a, b in edges:
        ax.annotate("", xy=nodes[b], xytext=nodes[a],
                    arrowprops={"arrowstyle": "-|>", "lw": 2.5, "shrinkA": 32, "shrinkB": 32,
                                "mutation_scale": 25, "color": "black"})  # fmt: skip
    ax.set_xlim(-0.3, 1.3)
    ax.set_ylim(-0.45, 0.85)
    ax.set_axis_off()
    ax.set_title("Gender acts on awards through discipline" + (" and directly" if direct else ""))
    return ax


def plot_gender_gap(gaps: Mapping[str, ArrayLike], *, ax: Axes | None = None) -> Axes:
    """Posterior of the gender gap in award probability (men minus women) per model.

    Parameters
    ----------
    gaps : mapping of label to array_like
        Posterior draws of ``gender_gap``, e.g. {"total (gender)": ..., "direct
        (gender_discipline)": ...}.

    Returns
    -------
    Axes
        One histogram (density) per model and a vertical line at 0.
    """
    ax = ax if ax is not None else plt.figure().subplots()
    all_draws = np.concatenate([np.ravel(v) for v in gaps.values()])
    edges = np.linspace(all_draws.min(), all_draws.max(), 60)
    for i, (label, draws) in enumerate(gaps.items()):
        ax.hist(np.ravel(draws), bins=edges, density=True, histtype="stepfilled", alpha=0.45,
                color=f"C{i}", label=label)  # fmt: skip
    ax.axvline(0.0, color="black", lw=1.5)
    ax.set_xlabel("gender gap in award probability (men - women)")
    ax.set_ylabel("posterior density")
    ax.set_title("Total effect of gender against its direct effect")
    ax.legend()
    return ax
