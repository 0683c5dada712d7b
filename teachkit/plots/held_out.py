r"""Leave one group out, drawn: for each left-out group, how much better one model predicts it.

One horizontal bar per group: the difference of two models' log predictive densities of the
group's rows (:mod:`teachkit.leave_group_out`), positive when the second model predicts the
left-out group better. The title counts the groups the second model wins and states the
summed difference with its standard error over groups,
:math:`\sqrt{G}\,\mathrm{sd}_g(\Delta_g)`, every number computed from the bars drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from teachkit.figure_entry import Claim, attach_claim

__all__ = ["held_out_summary", "plot_held_out"]

#: A summed difference is called clear when it is more than this many of its standard errors.
CLEAR_SE = 2.0


def held_out_summary(differences: ArrayLike) -> tuple[int, float, float]:
    r"""(groups where the difference is positive, summed difference, its se over groups).

    Examples
    --------
    >>> held_out_summary([1.0, -0.5, 2.0, 0.5])
    (3, 3.0, 2.0816659994661326)
    """
    d = np.asarray(differences, dtype=float)
    return int((d > 0).sum()), float(d.sum()), float(np.sqrt(len(d)) * d.std(ddof=1))


def plot_held_out(
    labels: Sequence[str],
    rows: ArrayLike,
    differences: ArrayLike,
    *,
    reference: str,
    other: str,
    group: str = "station",
) -> Figure:
    """Per left-out group: ``other``'s log predictive density minus ``reference``'s.

    Parameters
    ----------
    labels : sequence of str
        The groups' names.
    rows : array_like of int
        Rows per group (shown beside each name).
    differences : array_like
        ``other`` minus ``reference``, per group (log units, whole group).
    reference, other : str
        How the title and the axis name the two models: the title reads "{Other} beats
        {reference} at k of n groups".
    group : str
        What a group is, for the title ("station").

    Returns
    -------
    Figure
        One barh (label "difference"), groups sorted by difference, a zero line; the title's
        :class:`~teachkit.figure_entry.Claim` holds the win count, the sum and its se.
    """
    d = np.asarray(differences, dtype=float)
    n = np.asarray(rows, dtype=int)
    order = np.argsort(d)
    wins, total, se = held_out_summary(d)
    fig = plt.figure(layout="constrained")
    ax = fig.subplots()
    colors = ["C0" if v > 0 else "C1" for v in d[order]]
    ax.barh(np.arange(len(d)), d[order], color=colors, label="difference")
    ax.axvline(0, color="black", lw=1.5)
    ax.set_yticks(np.arange(len(d)), [f"{labels[i]} ({n[i]:,} days)" for i in order])
    ax.set_xlabel(
        f"difference in log predictive density of the left-out {group}'s days (nats)\n"
        f"← {reference} better   |   {other} better →"
    )
    clear = abs(total) > CLEAR_SE * se
    verdict = (
        f"clearly {'better' if total > 0 else 'worse'} in total" if clear else "no clear winner"
    )
    text = (
        f"{other[:1].upper()}{other[1:]} beats {reference} at {wins} of {len(d)} {group}s;\n"
        f"total {total:+.1f} ± {se:.1f} (se over {group}s): {verdict}"
    )
    fig.suptitle(text)
    claim = Claim(text, {"wins": wins, "total": total, "se": se}, {"difference": d})
    return attach_claim(fig, claim)
