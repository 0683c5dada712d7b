r"""Plots of any grouped table: prior lines, group lines, intercepts, predictive group means.

Each function takes arrays and the user's column names, draws one slide and attaches the
:class:`~teachkit.figure_entry.Claim` its title makes: every number in the title is computed
here from the arrays drawn. Column names are shown as given (:func:`column_label` keeps a
``$`` in a name from starting mathtext); a group is called "group".

The models draw :math:`y_i \sim \mathrm{Normal}(\alpha_{j[i]} + \beta_{j[i]} x_i, \sigma)`
(Gelman & Hill 2007, ch. 13); the lines here are :math:`\alpha + \beta x` over the data's x.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from teachkit.figure_entry import Claim, attach_claim
from teachkit.plots.labels import label_ends
from teachkit.plots.loo import minus
from teachkit.plots.style import PALETTE

__all__ = [
    "HDI_PROB",
    "HIGHLIGHT",
    "column_label",
    "inside_share",
    "plot_group_lines",
    "plot_group_predictive",
    "plot_intercepts",
    "plot_prior_lines",
    "predictive_interval",
    "shared_decimals",
]

#: Probability mass of the intervals drawn (ArviZ's default HDI mass).
HDI_PROB = 0.94
#: The colours of the steepest and the flattest group (blue and vermillion of Okabe-Ito).
HIGHLIGHT: tuple[str, str] = (PALETTE[0], PALETTE[5])
_GREY = "0.6"


def column_label(name: str) -> str:
    r"""A column's name as matplotlib text, shown as given: ``$`` escaped, nothing typeset.

    Examples
    --------
    >>> print(column_label("price $"), column_label("log.radon"))
    price \$ log.radon
    """
    return str(name).replace("$", r"\$")


def shared_decimals(values: ArrayLike, digits: int = 3) -> int:
    """Decimals that give the largest value ``digits`` significant digits, for all of them.

    Numbers side by side in a title then read alike ("−2.37 to 0.12", not "−2.37 to 0.117").

    Examples
    --------
    >>> shared_decimals([-2.37, 0.117]), shared_decimals([1234.0, 5.0]), shared_decimals([0.0])
    (2, 0, 2)
    """
    top = float(np.max(np.abs(np.asarray(values, dtype=float))))
    if top == 0 or not np.isfinite(top):
        return digits - 1
    return max(0, digits - 1 - int(np.floor(np.log10(top))))


def _fixed(value: float, decimals: int) -> str:
    """``value`` to ``decimals`` decimals with a typeset minus sign."""
    return minus(f"{value:.{decimals}f}")


def _title(fig: Figure, text: str, numbers: dict[str, float], data: dict) -> Figure:
    fig.suptitle(text)
    return attach_claim(fig, Claim(text, numbers, data))


def inside_share(lines: ArrayLike, low: float, high: float) -> float:
    """Share of lines (rows: a line's values along x) that stay within [low, high] everywhere.

    Examples
    --------
    >>> inside_share([[0.0, 1.0], [0.5, 3.0]], 0.0, 2.0)
    0.5
    """
    values = np.atleast_2d(np.asarray(lines, dtype=float))
    return float(np.mean(np.all((values >= low) & (values <= high), axis=1)))


def plot_prior_lines(
    x: ArrayLike,
    y: ArrayLike,
    intercepts: ArrayLike,
    slopes: ArrayLike,
    *,
    x_center: float = 0.0,
    labels: tuple[str, str],
    priors_name: str = "auto",
    y_name: str = "y",
    ax: Axes | None = None,
) -> Axes:
    r"""Lines the priors allow, :math:`\alpha + \beta (x - c)`, against the data's range of y.

    Parameters
    ----------
    x, y : array_like of shape (n_rows,)
        The data (x on the user's scale).
    intercepts, slopes : array_like of shape (n_lines,)
        Prior draws of a group's intercept (at ``x = x_center``) and slope.
    x_center : float
        Where the intercepts are (0, or the mean of x when x is centred).
    labels : (str, str)
        The x and y axis labels.
    priors_name : str
        Which priors ("auto" or a file's name), for the title.
    y_name : str
        The outcome's name, for the title.

    Returns
    -------
    Axes
        One line per draw (gid "prior line") over the data's x range, the data (scatter
        "data") and the data's y range shaded (label "the data's range of y"). The title
        gives the share of lines that stay inside that range over the data's x range.
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    a, b = np.ravel(intercepts).astype(float), np.ravel(slopes).astype(float)
    ends = np.array([x.min(), x.max()])
    low, high = float(y.min()), float(y.max())
    span = high - low
    ax.axhspan(
        low, high, color="0.9", zorder=0, label=f"the data's range of {column_label(y_name)}"
    )
    values = a[:, None] + b[:, None] * (ends[None, :] - x_center)
    for v in values:
        ax.plot(ends, v, color=PALETTE[0], lw=1.0, alpha=0.35, gid="prior line")
    ax.scatter(x, y, s=14, color="black", alpha=0.6, linewidths=0, zorder=3, label="data")
    ax.set_ylim(low - 3 * span, high + 3 * span)
    ax.margins(x=0.02)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=15)
    share = inside_share(values, low, high)
    text = (
        f"{_priors_said(priors_name)}: {share:.0%} of {len(a)} prior lines stay inside\n"
        f"the data's range of {column_label(y_name)}"
    )
    return _title(ax.figure, text, {"share": share, "lines": len(a)}, {"lines": values})


def _priors_said(name: str) -> str:
    """How a title names the priors: "Auto priors", or "Priors of <file>"."""
    return "Auto priors" if name == "auto" else f"Priors of {name}"


def plot_group_lines(
    x: ArrayLike,
    y: ArrayLike,
    index: ArrayLike,
    alpha: ArrayLike,
    beta: ArrayLike,
    names: Sequence[str],
    *,
    x_center: float = 0.0,
    labels: tuple[str, str],
    x_name: str = "x",
    ax: Axes | None = None,
) -> Axes:
    r"""Each group's fitted line over its data; the highest and the lowest slope's group named.

    Parameters
    ----------
    x, y : array_like of shape (n_rows,)
        The data, x on the user's scale.
    index : array_like of int, shape (n_rows,)
        Each row's group (position in ``names``).
    alpha, beta : array_like of shape (n_groups,)
        Each group's intercept (at ``x = x_center``) and slope (posterior means).
    names : sequence of str
        The groups as a reader names them ("cafe 16"), shown as given.
    x_name : str
        The predictor's name, for the slope's unit in the title.

    Returns
    -------
    Axes
        One line per group (gid "highlight" for the highest and the lowest slope, in
        :data:`HIGHLIGHT`; "other" in grey), the other groups' rows in grey (scatter "data")
        and the two named groups' rows in their colours (scatter "<name>'s rows"); each named
        line labelled "<name>: highest slope, <b>" at its right end (gid "slope label").
        The title's slopes share their decimals (:func:`shared_decimals`).
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    idx = np.asarray(index, dtype=int)
    a, b = np.ravel(alpha).astype(float), np.ravel(beta).astype(float)
    steep, flat = int(np.argmax(b)), int(np.argmin(b))
    chosen = (steep, flat)
    other = ~np.isin(idx, chosen)
    ax.scatter(x[other], y[other], s=18, color=_GREY, alpha=0.5, linewidths=0, label="data")
    t = np.linspace(x.min(), x.max(), 2)
    for j in range(len(a)):
        if j not in chosen:
            ax.plot(t, a[j] + b[j] * (t - x_center), color=_GREY, lw=1.4, gid="other")
    for j, colour in zip(chosen, HIGHLIGHT, strict=True):
        rows = idx == j
        ax.scatter(
            x[rows],
            y[rows],
            s=40,
            color=colour,
            alpha=0.8,
            linewidths=0,
            zorder=3,
            label=f"{names[j]}'s rows",
        )
        ax.plot(
            t,
            a[j] + b[j] * (t - x_center),
            color=colour,
            lw=4.0,
            gid="highlight",
            label=str(names[j]),
            zorder=4,
        )
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ends = [a[j] + b[j] * (t[-1] - x_center) for j in chosen]
    d = shared_decimals(b[[steep, flat]])
    words = [
        f"{names[steep]}: highest slope, {_fixed(b[steep], d)}",
        f"{names[flat]}: lowest slope, {_fixed(b[flat], d)}",
    ]
    ax.set_xlim(t[0] - 0.02 * (t[-1] - t[0]), t[-1] + 0.02 * (t[-1] - t[0]))
    texts = label_ends(
        ax, t[-1], np.array(ends), words, list(HIGHLIGHT), fontsize=16, gap=0.06 * float(np.ptp(y))
    )
    for label in texts:
        label.set_gid("slope label")
    text = (
        f"Across {len(a)} groups the slopes range from {_fixed(b.min(), d)} to "
        f"{_fixed(b.max(), d)}\nper unit of {column_label(x_name)}"
    )
    return _title(
        ax.figure,
        text,
        {"low": b.min(), "high": b.max(), "groups": len(a)},
        {"alpha": a, "beta": b},
    )


def plot_intercepts(
    own: ArrayLike,
    partial: ArrayLike,
    interval: ArrayLike,
    names: Sequence[str],
    counts: ArrayLike,
    *,
    label: str,
    group_label: str = "group",
    ax: Axes | None = None,
) -> Axes:
    """Each group's intercept: its own line's (no pooling) and partial pooling's, with interval.

    Parameters
    ----------
    own : array_like of shape (n_groups,)
        No-pooling intercepts (NaN where a group's x does not vary: not drawn).
    partial : array_like of shape (n_groups,)
        Partial-pooling intercepts (posterior means).
    interval : array_like of shape (n_groups, 2)
        Their :data:`HDI_PROB` intervals.
    names : sequence of str
    counts : array_like of int
        Rows per group, beside each name.
    label : str
        The x axis label.
    group_label : str
        The group column's name, for the y axis label.

    Returns
    -------
    Axes
        Rows sorted by the partial-pooling intercept: scatters "no pooling" and "partial
        pooling" (y = row), one interval line per group (gid "interval"). The title gives the
        sd of each scatter's intercepts.
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    o, p = np.ravel(own).astype(float), np.ravel(partial).astype(float)
    iv = np.asarray(interval, dtype=float)
    order = np.argsort(p, kind="stable")
    row = np.empty(len(p))
    row[order] = np.arange(len(p))
    for j in range(len(p)):
        ax.plot(iv[j], [row[j], row[j]], color=PALETTE[0], lw=2.5, alpha=0.6, gid="interval")
    seen = ~np.isnan(o)
    ax.scatter(
        o[seen],
        row[seen],
        s=90,
        facecolors="white",
        edgecolors="black",
        linewidths=1.8,
        zorder=3,
        label="no pooling: the group's own line",
    )
    ax.scatter(
        p,
        row,
        s=80,
        marker="D",
        color=PALETTE[0],
        edgecolors="black",
        linewidths=0.6,
        zorder=4,
        label=f"partial pooling, {HDI_PROB:.0%} interval",
    )
    k = np.ravel(counts).astype(int)
    ax.set_yticks(row, [f"{names[j]} ({k[j]})" for j in range(len(p))])
    ax.tick_params(axis="y", labelsize=max(8, min(14, int(400 / max(len(p), 1)))))
    ax.set_ylim(-0.8, len(p) - 0.2)
    ax.set_ylabel(f"{group_label} (rows)")
    ax.set_xlabel(label)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=2, fontsize=14, borderaxespad=0.3)
    sd_own, sd_partial = float(np.std(o[seen], ddof=1)), float(np.std(p, ddof=1))
    d = shared_decimals([sd_own, sd_partial])
    text = (
        f"Partial pooling pulls the intercepts together: sd {_fixed(sd_own, d)} "
        f"(no pooling) → {_fixed(sd_partial, d)}"
    )
    return _title(
        ax.figure, text, {"sd_own": sd_own, "sd_partial": sd_partial}, {"own": o, "partial": p}
    )


def predictive_interval(replicates: ArrayLike, prob: float = HDI_PROB) -> np.ndarray:
    """Central ``prob`` interval of each column of ``replicates`` (draws x groups).

    Returns
    -------
    ndarray of shape (n_groups, 2)
    """
    r = np.asarray(replicates, dtype=float)
    tail = (1 - prob) / 2
    return np.quantile(r, [tail, 1 - tail], axis=0).T


def plot_group_predictive(
    observed: ArrayLike,
    replicates: ArrayLike,
    names: Sequence[str],
    *,
    label: str,
    y_name: str = "y",
    statistic: str = "mean",
    group_label: str = "group",
    ax: Axes | None = None,
) -> Axes:
    """Each group's observed statistic of y against the model's predictive interval of it.

    Parameters
    ----------
    observed : array_like of shape (n_groups,)
        Each group's statistic of y (its mean, its sd, ...).
    replicates : array_like of shape (n_draws, n_groups)
        The same statistic in data replicated from the posterior predictive.
    names : sequence of str
    label : str
        The x axis label.
    statistic : str
        The statistic's name, for the title and the key ("mean", "sd").
    group_label : str
        The y axis label (the group column's name).

    Returns
    -------
    Axes
        Rows sorted by the observed mean: one :data:`HDI_PROB` central interval per group
        (gid "interval"), the observed means (scatter "observed"), those outside their
        interval in vermillion. The title counts the groups whose mean is inside.
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    obs = np.ravel(observed).astype(float)
    iv = predictive_interval(replicates)
    order = np.argsort(obs, kind="stable")
    row = np.empty(len(obs))
    row[order] = np.arange(len(obs))
    for j in range(len(obs)):
        ax.plot(iv[j], [row[j], row[j]], color="0.55", lw=5, solid_capstyle="butt", gid="interval")
    inside = (obs >= iv[:, 0]) & (obs <= iv[:, 1])
    colours = np.where(inside, "black", HIGHLIGHT[1])
    ax.scatter(obs, row, s=70, c=colours, zorder=3, label="observed")
    ax.set_yticks(row, [str(n) for n in names])
    ax.tick_params(axis="y", labelsize=max(8, min(14, int(400 / max(len(obs), 1)))))
    ax.set_ylim(-0.8, len(obs) - 0.2)
    ax.set_ylabel(group_label)
    ax.set_xlabel(label)
    ax.text(
        0.99,
        0.01,
        f"grey bars: {HDI_PROB:.0%} predictive interval of the group's {statistic}\n"
        "dots: observed (vermillion: outside its interval)",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=14,
        color="0.3",
    )
    k = int(inside.sum())
    text = (
        f"{k} of {len(obs)} groups' observed {statistic} of {column_label(y_name)} lies inside\n"
        f"its {HDI_PROB:.0%} posterior predictive interval"
    )
    return _title(
        ax.figure, text, {"inside": k, "groups": len(obs)}, {"observed": obs, "interval": iv}
    )
