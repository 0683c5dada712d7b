"""The PSIS-LOO comparison on a slide: each model's elpd and its gain over one reference.

Differences are judged by their own standard error (dse), not by the overlap of the models'
se bars (Vehtari, Gelman & Gabry 2017, sec. 5; Sivula et al. 2022). Drawn step by step in the
ozone lecture and at once for any grouped table.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from teachkit.figure_entry import Claim, attach_claim
from teachkit.plots.labels import plain

__all__ = ["LOO_THRESHOLD", "difference_text", "minus", "plot_loo_step"]


#: A difference in elpd larger than this many of its standard errors (dse) is called clear
#: (the rule of thumb of Vehtari et al. 2017 and of ArviZ's compare documentation).
LOO_THRESHOLD = 2.0


def minus(text: str) -> str:
    """A typeset minus sign for a hyphen (outside mathtext)."""
    return text.replace("-", "−")


def _signed(d: float, digits: int) -> str:
    return minus(f"{d:+.{digits}f}")


def _digits(s: float) -> int:
    return 0 if s >= 10 else 1


def difference_text(d: float, s: float) -> str:
    """'+128 ± 17 (7.5 dse)': a difference, its standard error and their ratio."""
    digits = _digits(s)
    return f"{_signed(d, digits)} ± {s:.{digits}f} ({abs(d) / s:.1f} dse)"


def plot_loo_step(
    table: pd.DataFrame,
    gains: pd.DataFrame,
    models: Sequence[str],
    *,
    reference: str,
    elpd_lim: tuple[float, float],
    diff_lim: tuple[float, float],
    threshold: float = LOO_THRESHOLD,
    fig: Figure | None = None,
) -> Figure:
    """One step of the LOO build-up: elpd ± se (left), the gain over one reference ± dse (right).

    Every model of ``models`` has its row (first on top) whether it is compared yet or not,
    and every step measures from the same reference model, so the steps of the build-up share
    their axes, each adds rows and no point moves.

    Parameters
    ----------
    table : DataFrame
        :func:`teachkit.loo.compare_elpd` of the step's models (index: model names; columns
        ``elpd_loo``, ``se``, ``d_loo``, ``dse``): the left panel and the title's comparison
        of the best model with the runner-up.
    gains : DataFrame
        The step's models (index) -> ``gain`` (elpd minus the reference's) and ``dse`` (the
        standard error of that difference); the reference's row is 0, 0.
    models : sequence of str
        Every model of the build-up, in the lecture's order.
    reference : str
        The model every gain is measured from.
    elpd_lim, diff_lim : (low, high)
        The x limits of the two panels, the same in every step.
    threshold : float
        How many dse make a difference clear; within it the two models are tied.

    Returns
    -------
    Figure
        Two axes sharing y. Left: one errorbar container (elpd ± se). Right: one errorbar
        container (gain ± dse, the reference at 0 with no bar), a black zero line, one black
        text per model ("reference" or "+g ± s (r dse)") and, when neither of the title's two
        models is the reference, a bracket joining their rows with the text (gid
        "comparison") of their difference "+d ± s (r dse)".
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=(1, 1))
    rows = {m: float(len(models) - 1 - i) for i, m in enumerate(models)}
    shown = [m for m in models if m in table.index]
    y = np.array([rows[m] for m in shown])
    t, g = table.loc[shown], gains.loc[shown]
    left.errorbar(
        t["elpd_loo"],
        y,
        xerr=t["se"],
        fmt="o",
        color="black",
        mfc="white",
        ms=12,
        mew=2.5,
        capsize=7,
        lw=2.5,
        label=r"elpd$_\mathrm{loo}$ ± se",
    )
    right.axvline(0.0, color="0.4", lw=1.5, zorder=1)
    right.errorbar(
        g["gain"].to_numpy(dtype=float),
        y,
        xerr=g["dse"].to_numpy(dtype=float),
        fmt="o",
        color="black",
        ms=10,
        capsize=7,
        lw=2.5,
        label=f"gain over {plain(reference)} ± dse",
        zorder=3,
    )
    for m, yi, d, s in zip(shown, y, g["gain"], g["dse"], strict=True):
        # "reference" right of the zero line; a gain above its bar, ending at the bar's right
        # end when the bar reaches past 40% of the panel, else starting at its left end
        at_ref = m == reference
        far = (d + s - diff_lim[0]) / (diff_lim[1] - diff_lim[0]) > 0.4
        right.annotate(
            "reference" if at_ref else difference_text(d, s),
            (d, yi) if at_ref else (d + s, yi) if far else (d - s, yi),
            xytext=(10, 14) if at_ref else (0, 14),
            textcoords="offset points",
            ha="right" if far and not at_ref else "left",
            va="bottom",
            fontsize=16,
            color="black",
        )
    ranked = t.sort_values("d_loo")
    best, second = str(ranked.index[0]), str(ranked.index[1])
    d, s = float(ranked["d_loo"].iloc[1]), float(ranked["dse"].iloc[1])
    if reference not in (best, second):
        pair = [best, second]
        reach = float((g.loc[pair, "gain"] + g.loc[pair, "dse"]).max())
        x = reach + 0.06 * (diff_lim[1] - diff_lim[0])
        tick = 0.015 * (diff_lim[1] - diff_lim[0])
        y0, y1 = rows[best], rows[second]
        right.plot([x - tick, x, x, x - tick], [y0, y0, y1, y1], color="black", lw=2, gid="bracket")
        right.annotate(
            f"{plain(best)}\nminus\n{plain(second)}:\n"
            + difference_text(d, s).replace(" (", "\n("),
            (x, (y0 + y1) / 2),
            xytext=(10, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=15,
            color="black",
            gid="comparison",
        )
    for label in right.texts:
        label.set_in_layout(False)  # the panels keep their places from step to step
    for ax in (left, right):
        ax.set_ylim(-0.6, len(models) - 0.4)
        ax.grid(axis="x", color="0.9")
    left.set_yticks(y, [plain(m) for m in shown])
    left.set_xlim(*elpd_lim)
    right.set_xlim(*diff_lim)
    left.xaxis.set_major_locator(MaxNLocator(4))
    right.xaxis.set_major_locator(MaxNLocator(5))
    left.set_xlabel(r"elpd$_\mathrm{loo}$ ± se (nats; higher is better)")
    right.set_xlabel(f"gain over the {plain(reference)} model ± dse (nats)")
    left.set_title("each model", fontsize=17)
    right.set_title(f"each model against the {plain(reference)} model", fontsize=17)
    ratio = d / s
    verdict = "clear" if ratio > threshold else f"within {threshold:g} dse: tied"
    text = (
        f"{plain(best).capitalize()} vs {plain(second)}: the difference is {ratio:.1f} dse, "
        + verdict
    )
    numbers = {"d_loo": d, "dse": s, "ratio": ratio}
    data = {"elpd_loo": t["elpd_loo"], "se": t["se"], "gain": g["gain"], "gain_dse": g["dse"]}
    fig.suptitle(text)
    return attach_claim(fig, Claim(text, numbers, data))
