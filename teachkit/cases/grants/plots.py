"""The grants data on slides: award rates by discipline and gender, and the causal graph."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from scipy import stats

from teachkit.figure_entry import Claim, attach_claim
from teachkit.plots.labels import note, spread
from teachkit.plots.style import GENDER_COLORS, darker

__all__ = [
    "CLEAR_R",
    "GENDER_NAMES",
    "discipline_table",
    "jeffreys_interval",
    "plot_award_rates",
    "plot_grants_dag",
    "rate_share_claim",
]


#: How each gender is named on the slides.
GENDER_NAMES: dict[str, str] = {"f": "women", "m": "men"}

#: Marker area (points squared) of the discipline with most applications.
MAX_MARKER_AREA = 600.0

#: A correlation of at least this size (|r|) is worded as a relation; below it the title says
#: the two are barely related (Cohen's 1988 "medium" correlation).
CLEAR_R = 0.3


def jeffreys_interval(
    successes: ArrayLike, trials: ArrayLike, prob: float = 0.94
) -> tuple[np.ndarray, np.ndarray]:
    r"""Equal-tailed Jeffreys interval of a binomial proportion.

    The quantiles of :math:`\mathrm{Beta}(k + 1/2, n - k + 1/2)` (Brown, Cai and DasGupta
    2001, Statistical Science 16(2), sec. 4.1.2): good coverage even for a handful of trials.
    With no successes the interval starts at 0, with no failures it ends at 1.

    Examples
    --------
    >>> low, high = jeffreys_interval([2], [9])
    >>> bool(low[0] < 2 / 9 < high[0])
    True
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    tail = (1 - prob) / 2
    dist = stats.beta(k + 0.5, n - k + 0.5)
    # at k = 0 and k = n the interval reaches the bound (Brown, Cai and DasGupta's modification)
    return np.where(k == 0, 0.0, dist.ppf(tail)), np.where(k == n, 1.0, dist.ppf(1 - tail))


def discipline_table(data: pd.DataFrame) -> pd.DataFrame:
    """Per discipline: applications, awards, award rate and share of women, by award rate.

    Returns
    -------
    DataFrame indexed by discipline (str), lowest award rate first
        ``applications``, ``awards``, ``rate`` (awards / applications) and ``share_women``
        (women's share of the applications).
    """
    frame = data.assign(discipline=data["discipline"].astype(str))
    totals = frame.groupby("discipline", sort=False)[["applications", "awards"]].sum()
    women = frame[frame["gender"] == "f"].groupby("discipline", sort=False)["applications"].sum()
    totals["rate"] = totals["awards"] / totals["applications"]
    totals["share_women"] = women.reindex(totals.index, fill_value=0) / totals["applications"]
    return totals.sort_values("rate", kind="stable")


def rate_share_claim(share: ArrayLike, rate: ArrayLike) -> tuple[str, float]:
    """The title of the share-of-women panel and the correlation it states.

    Parameters
    ----------
    share, rate : array_like of shape (n_disciplines,)
        Women's share of each discipline's applications and its award rate (any units).

    Examples
    --------
    >>> rate_share_claim([0.1, 0.3, 0.5], [0.3, 0.2, 0.1])[0]
    'where more applicants are women, awards are rarer ($r = -1.00$)'
    """
    r = float(np.corrcoef(share, rate)[0, 1])
    if r <= -CLEAR_R:
        text = "where more applicants are women, awards are rarer"
    elif r >= CLEAR_R:
        text = "where more applicants are women, awards are more common"
    else:
        text = "women's share of applicants and award rates are barely related"
    return f"{text} ($r = {r:.2f}$)", r


def _rates_panel(ax: Axes, data: pd.DataFrame, order: list[str], prob: float) -> None:
    """Award rate (%) of each gender per discipline with Jeffreys intervals, one row each."""
    y = {d: i for i, d in enumerate(order)}
    frame = data.assign(discipline=data["discipline"].astype(str))
    for g, offset in (("f", -0.17), ("m", 0.17)):
        rows = frame[frame["gender"] == g]
        pos = rows["discipline"].map(y).to_numpy() + offset
        low, high = jeffreys_interval(rows["awards"], rows["applications"], prob)
        rate = rows["awards"] / rows["applications"].where(rows["applications"] > 0)
        colour = GENDER_COLORS[g]
        ax.hlines(pos, 100 * low, 100 * high, color=colour, lw=3, gid=f"interval {g}")
        ax.scatter(100 * rate, pos, s=70, color=colour, zorder=3, label=GENDER_NAMES[g])
        overall = 100 * rows["awards"].sum() / rows["applications"].sum()
        ax.axvline(
            overall,
            color=darker(colour, 0.2),
            ls="--",
            lw=2,
            label=f"all {GENDER_NAMES[g]}: {overall:.1f}%",
        )
    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(-0.6, len(order) - 0.4)
    ax.set_xlim(0, None)
    ax.set_xlabel(f"award rate (%) with {prob:.0%} interval")
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.06),
        ncols=2,
        fontsize=14,
        handletextpad=0.3,
        columnspacing=1.0,
        borderaxespad=0,
    )


def _share_panel(ax: Axes, table: pd.DataFrame) -> float:
    """Share of women (%) against award rate (%), one marker per discipline, with a line."""
    share, rate = 100 * table["share_women"].to_numpy(), 100 * table["rate"].to_numpy()
    apps = table["applications"].to_numpy()
    sizes = MAX_MARKER_AREA * apps / apps.max()
    ax.scatter(
        share,
        rate,
        s=sizes,
        color="0.6",
        alpha=0.8,
        edgecolor="black",
        zorder=3,
        label="disciplines",
    )
    slope, intercept = np.polyfit(share, rate, 1)
    x = np.array([share.min(), share.max()])  # only over the data
    ax.plot(x, intercept + slope * x, color="black", lw=2, ls="--", label="least squares", zorder=1)
    ax.set_xlim(0, 80)
    ax.set_ylim(10, 30)
    ax.set_yticks(range(10, 31, 5))
    placed = spread(rate, 1.2, low=10.6, high=29.4)
    for name, xi, yi, yl, area in zip(table.index, share, rate, placed, sizes, strict=True):
        # right of the marker's edge (its radius in points is sqrt(area) / 2)
        ax.annotate(
            name,
            (xi, yi),
            xytext=(np.sqrt(area) / 2 + 8, yl),
            textcoords=("offset points", "data"),
            fontsize=14,
            va="center",
            color="0.15",
            zorder=4,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
            arrowprops={
                "arrowstyle": "-",
                "color": "0.5",
                "lw": 0.8,
                "shrinkA": 0,
                "shrinkB": np.sqrt(area) / 2,
            },
        )
    per = f"{slope:+.2f}".replace("-", "−")
    ax.text(
        0.98,
        0.97,
        f"least squares: {per} pp of award rate\nper pp more women",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=15,
    )
    ax.set_xlabel("women's share of applications (%)")
    ax.set_ylabel("discipline's award rate (%)")
    ax.set_title("one marker per discipline (area: applications)", fontsize=16)
    return float(slope)


def plot_award_rates(
    data: pd.DataFrame, *, prob: float = 0.94, fig: Figure | None = None
) -> Figure:
    """Award rate by discipline and gender, and the share of women against the award rate.

    Left: each discipline's award rate (%) for women and men with Jeffreys ``prob`` intervals,
    disciplines sorted by their award rate (both genders; lowest at the bottom), and each
    gender's overall rate as a dashed line. Right: one marker per discipline, women's share of
    its applications (%) against its award rate (%), area proportional to applications, with
    the least-squares line. The title states the Pearson correlation of the right panel's
    points (:func:`rate_share_claim`) and is the figure's claim (``numbers`` ``r``, ``slope``;
    ``data`` ``share``, ``rate``, ``applications``).

    Returns
    -------
    Figure
        Two axes. Left: scatters "women", "men" (x = rate %, y = row), interval lines (gid
        "interval f", "interval m"), dashed lines labelled "all women: 14.9%". Right: the
        scatter "disciplines" and the line "least squares".
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(1, 1.05))
    table = discipline_table(data)
    _rates_panel(left, data, list(table.index), prob)
    slope = _share_panel(right, table)
    text, r = rate_share_claim(table["share_women"], table["rate"])
    fig.suptitle(text)
    total = int(table["applications"].sum())
    note(
        fig,
        f"NWO personal grants 2010-2012: {total:,} applications in {len(table)} disciplines; "
        "$r$ and the least-squares line unweighted (each discipline counts once)",
    )
    claim = Claim(
        text,
        {"r": r, "slope": slope},
        {
            "share": 100 * table["share_women"].to_numpy(),
            "rate": 100 * table["rate"].to_numpy(),
            "applications": table["applications"].to_numpy(),
        },
    )
    return attach_claim(fig, claim)


#: Where the graph's nodes sit (the same in every step, so that clicking adds a layer).
DAG_NODES: dict[str, tuple[float, float]] = {
    "G": (0.0, 0.0),
    "D": (0.5, 0.62),
    "A": (1.0, 0.0),
    "U": (1.45, 0.62),
}
#: Each node's name under it.
DAG_NAMES: dict[str, str] = {
    "G": "gender",
    "D": "discipline",
    "A": "award",
    "U": "unobserved,\ne.g. career stage",
}


#: The graph's axes in figure fractions (left, bottom, width, height), the same at every step
#: of the build-up; the title sits above.
DAG_FRAME: tuple[float, float, float, float] = (0.03, 0.03, 0.94, 0.83)


def _arrow(ax: Axes, a: str, b: str, *, dashed: bool = False) -> None:
    """An arrow from node ``a`` to node ``b`` (annotation with gid ``"a->b"``)."""
    ax.annotate(
        "",
        xy=DAG_NODES[b],
        xytext=DAG_NODES[a],
        gid=f"{a}->{b}",
        arrowprops={
            "arrowstyle": "-|>",
            "lw": 3,
            "ls": "--" if dashed else "-",
            "shrinkA": 36,
            "shrinkB": 36,
            "mutation_scale": 28,
            "color": "0.45" if dashed else "black",
        },
    )


def plot_grants_dag(
    *, direct: bool = True, unobserved: bool = False, ax: Axes | None = None
) -> Axes:
    """The causal graph G -> D -> A and (if ``direct``) G -> A, drawn with matplotlib only.

    Each path is labelled as a whole path ("direct: G → A", "indirect: G → D → A"). With
    ``unobserved`` an unobserved U (dashed) is added with U -> D and U -> A, and the collider
    risk is named: conditioning on D opens G → D ← U → A. Node positions and limits are the same
    with or without U, so the two steps of the build-up line up.

    Without ``ax`` the graph gets a new figure with its axes at :data:`DAG_FRAME` (no layout
    engine), so the nodes sit at the same pixels in both steps; the title is the figure's.

    Returns
    -------
    Axes
        Node labels (G, D, A and U if ``unobserved``) with their names, arrows (annotations
        with gid "G->D", "D->A", "G->A", "U->D", "U->A") and the path labels.
    """
    if ax is None:  # a fixed frame, not a layout: the nodes stay put from step to step
        ax = plt.figure(layout="none").add_axes(DAG_FRAME)
    keys = ["G", "D", "A"] + (["U"] if unobserved else [])
    for key in keys:
        x, y = DAG_NODES[key]
        hidden = key == "U"
        circle = {
            "boxstyle": "circle,pad=0.4",
            "fc": "white",
            "lw": 2.5,
            "ec": "0.45" if hidden else "black",
            "ls": "--" if hidden else "-",
        }
        ax.text(
            x,
            y,
            key,
            ha="center",
            va="center",
            fontsize=36,
            bbox=circle,
            color="0.35" if hidden else "black",
        )
        if key == "D":  # above the node: below it, it would sit between its two arrows
            ax.text(x, y + 0.14, DAG_NAMES[key], ha="center", va="bottom", fontsize=20)
        elif hidden:  # beside the node, clear of its two arrows
            ax.text(x + 0.13, y, DAG_NAMES[key], ha="left", va="center", fontsize=20, color="0.35")
        else:
            ax.text(x, y - 0.15, DAG_NAMES[key], ha="center", va="top", fontsize=20)
    for a, b in [("G", "D"), ("D", "A")] + ([("G", "A")] if direct else []):
        _arrow(ax, a, b)
    ax.text(0.1, 0.42, "indirect: G → D → A", ha="right", va="center", fontsize=19, color="0.25")
    if direct:
        ax.text(0.5, 0.04, "direct: G → A", ha="center", va="bottom", fontsize=19, color="0.25")
    if unobserved:
        _arrow(ax, "U", "D", dashed=True)
        _arrow(ax, "U", "A", dashed=True)
        ax.text(
            0.5,
            -0.34,
            "conditioning on D opens G → D ← U → A: D is a collider, and the\n"
            "gap within disciplines mixes in whatever U does to awards",
            ha="center",
            va="top",
            fontsize=18,
            color=darker("#D55E00"),
        )
    else:
        ax.text(
            0.5,
            -0.34,
            "gender only: the total effect (both paths)\ngender + discipline: the direct effect",
            ha="center",
            va="top",
            fontsize=18,
        )
    ax.set_xlim(-0.45, 2.05)
    ax.set_ylim(-0.62, 0.9)
    ax.set_axis_off()
    title = "Gender acts on awards through discipline" + (" and directly" if direct else "")
    if unobserved:
        title = "An unobserved U acting on discipline and award makes D a collider"
    ax.figure.suptitle(title, y=0.97, va="top")
    return ax
