r"""The grants models' posteriors on slides: the gender gap build-up and the pooled disciplines.

* :func:`plot_gap_buildup`: the total gap (model ``gender``), then the gap within disciplines
  (``gender_discipline``) on the same axes, each title computed from the drawn draws.
* :func:`plot_discipline_shrinkage`: each discipline's effect :math:`\beta_d` under the fixed
  :math:`\mathrm{Normal}(0, 1)` prior against the multilevel :math:`\mathrm{Normal}(0, \tau)`
  prior, with arrows, and the posterior of :math:`\tau`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike
from scipy import stats

from teachkit.figure_entry import Claim, attach_claim
from teachkit.plots.labels import note
from teachkit.plots.style import PALETTE, darker

__all__ = [
    "FEWEST_RANK",
    "GAP_BINS",
    "centred_effects",
    "direct_gap_claim",
    "plot_discipline_shrinkage",
    "plot_gap_buildup",
    "shrinkage_claim",
    "signed",
    "total_gap_claim",
]

#: Histogram bins across the range of every gap drawn in the build-up.
GAP_BINS = 45
#: Colours of the build-up's gaps: the total first, the direct second.
GAP_COLORS: tuple[str, ...] = (PALETTE[5], PALETTE[0])
#: A rank correlation of at least this size supports a worded relation between the move and
#: applications or distance: about the one-sided 5% critical value of Spearman's rank
#: correlation for 9 pairs (0.600; Zar 1972, JASA 67(339), table 1).
FEWEST_RANK = 0.6
#: Moves shorter than this (log-odds) are drawn without an arrowhead, which would hide them.
ARROW_HEAD = 0.08
#: Colours of the shrinkage slide: the fixed prior (grey) and the multilevel prior (green).
FIXED_COLOR, POOLED_COLOR = "0.45", PALETTE[2]


def signed(value: float, digits: int = 1) -> str:
    """``value`` rounded, with a typographic minus sign (as the titles print numbers).

    Examples
    --------
    >>> signed(-0.83), signed(2.0, 2)
    ('−0.8', '2.00')
    """
    text = f"{value:.{digits}f}"
    return text.replace("-", "−") if float(text) != 0 else text.lstrip("-")


def _interval(draws: np.ndarray, prob: float) -> tuple[float, float]:
    tail = (1 - prob) / 2
    low, high = np.quantile(draws, [tail, 1 - tail])
    return float(low), float(high)


def total_gap_claim(gap_pp: ArrayLike, prob: float = 0.94) -> tuple[str, dict[str, float]]:
    """The title of the total gap: who is ahead, by how much (pp), and the interval.

    Examples
    --------
    >>> total_gap_claim([1.0, 2.0, 3.0], prob=0.5)[0]
    'men ~2.0 pp ahead overall (50%: 1.5 to 2.5)'
    """
    g = np.asarray(gap_pp, dtype=float)
    mean, (low, high) = float(g.mean()), _interval(g, prob)
    if mean >= 0:
        text = f"men ~{signed(mean)} pp ahead overall ({prob:.0%}: {signed(low)} to {signed(high)})"
    else:
        text = (
            f"women ~{signed(-mean)} pp ahead overall "
            f"({prob:.0%}: {signed(-high)} to {signed(-low)})"
        )
    return text, {"mean": mean, "low": low, "high": high}


def direct_gap_claim(gap_pp: ArrayLike, prob: float = 0.94) -> tuple[str, dict[str, float]]:
    """The title of the gap within disciplines: its mean (pp) and whether its interval has 0.

    Examples
    --------
    >>> direct_gap_claim([-1.0, 1.0, 2.0], prob=0.5)[0]
    'within disciplines the gap is 0.7 pp; its 50% interval includes 0'
    """
    g = np.asarray(gap_pp, dtype=float)
    mean, (low, high) = float(g.mean()), _interval(g, prob)
    verb = "includes" if low <= 0 <= high else "does not include"
    text = f"within disciplines the gap is {signed(mean)} pp; its {prob:.0%} interval {verb} 0"
    return text, {"mean": mean, "low": low, "high": high}


def plot_gap_buildup(
    gaps: Mapping[str, ArrayLike],
    *,
    step: int,
    prob: float = 0.94,
    footnote: str = "",
    fig: Figure | None = None,
) -> Figure:
    """Posterior of the gender gap (men minus women, percentage points), one model per step.

    Every step has the same axes and limits, set from all of ``gaps``; step ``k`` draws the
    first ``k``. Each gap is a density histogram (in bins of :data:`GAP_BINS` across the
    range of every draw; the first filled, the second an outline, so the two never mix into
    a third colour), its ``prob`` equal-tailed interval as a bar under it (gid
    ``"interval <label>"``) with a marker at the mean, and a line at 0. The title is the
    last drawn gap's claim: :func:`total_gap_claim` for step 1, :func:`direct_gap_claim`
    for step 2 (``numbers`` ``mean``, ``low``, ``high``; ``data`` ``gap``).

    Parameters
    ----------
    gaps : mapping of label to array_like
        Posterior draws of ``gender_gap`` in probability units: the total gap first, then
        the direct gap, e.g. {"gender only: total": ..., "gender + discipline": ...}.
    step : {1, 2}
    prob : float
        Probability of the intervals.
    footnote : str
        The grey note under the figure (which data and fits).

    Returns
    -------
    Figure
        One axes: one filled histogram per drawn gap (label "<label>: mean [low, high]"),
        the interval lines and the zero line.
    """
    if step not in (1, 2) or len(gaps) < step:
        raise ValueError(f"step must be 1 or 2 with at least that many gaps, got {step}")
    points = [(label, 100 * np.ravel(np.asarray(v, dtype=float))) for label, v in gaps.items()]
    everything = np.concatenate([p for _, p in points])
    edges = np.linspace(everything.min(), everything.max(), GAP_BINS + 1)
    top = max(float(np.histogram(p, edges, density=True)[0].max()) for _, p in points)
    fig = fig if fig is not None else plt.figure(layout="constrained")
    ax = fig.subplots()
    for i, (label, g) in enumerate(points[:step]):
        low, high = _interval(g, prob)
        colour = GAP_COLORS[i]
        first = i == 0  # the total filled, the next as a thick outline: no mixed colour
        ax.hist(
            g,
            bins=edges,
            density=True,
            histtype="stepfilled" if first else "step",
            alpha=0.45 if first else 1.0,
            fc=colour if first else "none",
            ec=darker(colour),
            lw=1.5 if first else 3.5,
            label=f"{label}: {signed(g.mean())} pp [{signed(low)}, {signed(high)}]",
        )
        y = -(0.07 + 0.07 * i) * top
        ax.plot(
            [low, high], [y, y], color=colour, lw=6, solid_capstyle="butt", gid=f"interval {label}"
        )
        ax.plot([g.mean()], [y], "o", color="white", mec=darker(colour), mew=2, ms=10)
    ax.axvline(0.0, color="black", lw=1.5)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylim(-0.2 * top, 1.3 * top)
    ax.set_xlabel("award probability, men − women (percentage points)")
    ax.set_ylabel("posterior density (per pp)")
    ax.legend(
        title=f"model: mean [{prob:.0%} interval]",
        loc="upper right",
        fontsize=16,
        title_fontsize=15,
        alignment="left",
    )
    claim_of_step = total_gap_claim if step == 1 else direct_gap_claim
    text, numbers = claim_of_step(points[step - 1][1], prob)
    ax.set_title(text, pad=16)
    if footnote:
        note(fig, footnote)
    return attach_claim(fig, Claim(text, numbers, {"gap": points[step - 1][1]}))


def centred_effects(beta: ArrayLike) -> np.ndarray:
    r"""Each draw's discipline effects minus their mean over disciplines.

    :math:`\alpha` and :math:`\beta` can trade a constant (:math:`\alpha + c`,
    :math:`\beta - c` fit the data alike), and the two priors settle that constant
    differently; :math:`\beta_d - \bar\beta` is the effect relative to the average
    discipline, the same quantity in both models.

    Parameters
    ----------
    beta : array_like of shape (n_draws, n_disciplines)

    Examples
    --------
    >>> centred_effects([[1.0, 3.0], [0.0, 2.0]]).tolist()
    [[-1.0, 1.0], [-1.0, 1.0]]
    """
    b = np.asarray(beta, dtype=float)
    return b - b.mean(axis=1, keepdims=True)


def shrinkage_claim(
    applications: ArrayLike, start: ArrayLike, end: ArrayLike
) -> tuple[str, dict[str, float]]:
    r"""The shrinkage slide's title: what the size of each discipline's move follows.

    The move is :math:`|\mathrm{end} - \mathrm{start}|` (the arrow's length); its Spearman
    rank correlation with the applications (``rank_applications``) and with the distance from
    the average under the fixed prior, :math:`|\mathrm{start}|` (``rank_distance``), decide
    the wording (:data:`FEWEST_RANK`). ``spread_fixed`` and ``spread_pooled`` are the sds of
    start and end.

    Examples
    --------
    >>> shrinkage_claim([10, 100, 1000], [0.5, -0.4, 0.1], [0.2, -0.3, 0.08])[0]
    'the disciplines with fewest applications move most (rank correlation −1.00)'
    """
    n, a, b = (np.asarray(v, dtype=float) for v in (applications, start, end))
    move = np.abs(b - a)
    numbers = {
        "rank_applications": float(stats.spearmanr(n, move)[0]),
        "rank_distance": float(stats.spearmanr(np.abs(a), move)[0]),
        "spread_fixed": float(a.std()),
        "spread_pooled": float(b.std()),
    }
    rn, rd = numbers["rank_applications"], numbers["rank_distance"]
    if rn <= -FEWEST_RANK:
        text = (
            f"the disciplines with fewest applications move most (rank correlation {signed(rn, 2)})"
        )
    elif rd >= FEWEST_RANK:
        applications_do = "hardly does" if abs(rn) < FEWEST_RANK else "does too"
        text = (
            f"distance from the average predicts the move (rank correlation {signed(rd, 2)});"
            f"\nthe number of applications {applications_do} ({signed(rn, 2)})"
        )
    else:
        text = (
            f"pooling shrinks the effects' spread from {numbers['spread_fixed']:.2f} to "
            f"{numbers['spread_pooled']:.2f};\nthe move's rank correlation with applications "
            f"is {signed(rn, 2)}"
        )
    return text, numbers


def _intervals(draws: np.ndarray, prob: float) -> tuple[np.ndarray, np.ndarray]:
    tail = (1 - prob) / 2
    return np.quantile(draws, tail, axis=0), np.quantile(draws, 1 - tail, axis=0)


def plot_discipline_shrinkage(
    names: Sequence[str],
    applications: ArrayLike,
    fixed: ArrayLike,
    pooled: ArrayLike,
    tau: ArrayLike,
    *,
    prob: float = 0.94,
    fixed_sd: float = 1.0,
    footnote: str = "",
    fig: Figure | None = None,
) -> Figure:
    r"""Discipline effects under the fixed prior against the multilevel prior, and :math:`\tau`.

    Left: one row per discipline, fewest applications at the top; the posterior mean of
    :math:`\beta_d - \bar\beta` (:func:`centred_effects`) under the fixed prior (open grey
    circle, its ``prob`` interval above) and under the multilevel prior (green dot, its
    interval below), an arrow from the first to the second, a line at 0 (the average
    discipline). Right: the posterior of :math:`\tau` with the fixed prior's sd marked. The
    title is :func:`shrinkage_claim` of the arrows (``numbers`` as there; ``data``
    ``applications``, ``start``, ``end``).

    Parameters
    ----------
    names : sequence of str, length n_disciplines
    applications : array_like of shape (n_disciplines,)
    fixed, pooled : array_like of shape (n_draws, n_disciplines)
        Draws of :math:`\beta` under the fixed prior and under the multilevel prior.
    tau : array_like of shape (n_draws,)
    fixed_sd : float
        The fixed prior's sd, marked on the :math:`\tau` panel.

    Returns
    -------
    Figure
        Two axes. Left: scatters "fixed prior" and "multilevel prior" (x = effect, y = row),
        arrows (annotations with gid "move <name>"), interval lines (gid "interval fixed",
        "interval multilevel"); y tick labels "<name> (<applications>)". Right: the
        histogram of :math:`\tau` and the line "fixed prior's sd".
    """
    n = np.asarray(applications, dtype=float)
    order = np.argsort(-n, kind="stable")  # most applications at the bottom (row 0)
    fixed_c, pooled_c = centred_effects(fixed)[:, order], centred_effects(pooled)[:, order]
    start, end = fixed_c.mean(axis=0), pooled_c.mean(axis=0)
    rows = np.arange(len(order))
    fig = fig if fig is not None else plt.figure(layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(2.1, 1))
    for draws, colour, dy, what in (
        (fixed_c, FIXED_COLOR, 0.22, "fixed"),
        (pooled_c, POOLED_COLOR, -0.22, "multilevel"),
    ):
        low, high = _intervals(draws, prob)
        left.hlines(rows + dy, low, high, color=colour, lw=2.5, gid=f"interval {what}")
    left.axvline(0.0, color="black", lw=1.2)
    left.scatter(
        start,
        rows,
        s=80,
        facecolor="white",
        edgecolor=FIXED_COLOR,
        lw=2.5,
        zorder=3,
        label=rf"fixed prior $\mathrm{{Normal}}(0, {fixed_sd:g})$",
    )
    left.scatter(
        end,
        rows,
        s=80,
        color=POOLED_COLOR,
        zorder=4,
        label=r"multilevel prior $\mathrm{Normal}(0, \tau)$",
    )
    for i, k in enumerate(order):
        head = "-|>" if abs(end[i] - start[i]) >= ARROW_HEAD else "-"
        left.annotate(
            "",
            xy=(end[i], i),
            xytext=(start[i], i),
            gid=f"move {names[k]}",
            arrowprops={
                "arrowstyle": head,
                "color": "black",
                "lw": 2.5,
                "shrinkA": 5,
                "shrinkB": 5,
                "mutation_scale": 16,
            },
        )
    labels = [f"{names[k]} ({int(n[k])})" for k in order]
    left.set_yticks(rows, labels)
    left.set_ylim(-0.6, len(order) - 0.4)
    reach = float(np.max(np.abs(_intervals(fixed_c, prob)))) * 1.05
    left.set_xlim(-reach, reach)
    left.set_xlabel(r"discipline effect $\beta_d - \bar\beta$ (log-odds)")
    left.set_ylabel("discipline (applications)")
    left.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        fontsize=15,
        handletextpad=0.3,
        borderaxespad=0.2,
    )
    _tau_panel(right, np.ravel(np.asarray(tau, dtype=float)), fixed_sd, prob)
    text, numbers = shrinkage_claim(n[order], start, end)
    fig.suptitle(text, fontsize=21)
    if footnote:
        note(fig, footnote)
    data = {"applications": n[order], "start": start, "end": end}
    return attach_claim(fig, Claim(text, numbers, data))


def _tau_panel(ax: plt.Axes, tau: np.ndarray, fixed_sd: float, prob: float) -> None:
    r"""The posterior of :math:`\tau` (histogram up to 1.3 times the fixed sd) and that sd."""
    limit = 1.3 * fixed_sd
    ax.hist(
        tau[tau <= limit],
        bins=np.linspace(0, limit, 40),
        density=True,
        color=POOLED_COLOR,
        alpha=0.6,
        label=r"posterior of $\tau$",
    )
    ax.axvline(fixed_sd, color=FIXED_COLOR, lw=2.5, ls="--", label="fixed prior's sd")
    ax.text(
        fixed_sd - 0.03 * limit,
        0.97,
        f"the fixed\nprior's sd, {fixed_sd:g}",
        transform=ax.get_xaxis_transform(),
        ha="right",
        va="top",
        fontsize=16,
        color=darker(FIXED_COLOR),
    )
    low, high = _interval(tau, prob)
    title = rf"$\tau$: mean {tau.mean():.2f}" + "\n" + f"{prob:.0%}: {low:.2f} to {high:.2f}"
    beyond = float(np.mean(tau > limit))
    if beyond >= 0.01:
        title += f"\n{beyond:.0%} of draws beyond {limit:g}"
    ax.set_title(title, fontsize=17)
    ax.set_xlim(-0.03 * limit, limit)  # room left of 0: the first bar clear of the spine
    ax.set_xticks(np.arange(0.0, limit, 0.25) * fixed_sd)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, prune="lower"))  # the corner: x's 0 only
    ax.set_xlabel(r"$\tau$ (log-odds)")
    ax.set_ylabel("posterior density")
