r"""Plots of the covarying model's posterior and of what lies beyond the lecture's slides.

Storyboard rows 32 and 34-37: :math:`\rho` against its prior, residual correlation against
distance, the posterior predictive check, the hyperprior's predictive lines and the error of
no and partial pooling on thinned data. Every function takes arrays (no fits), draws one
slide and attaches the :class:`~teachkit.figure_entry.Claim` its title makes, computed from
the very numbers it draws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from teachkit.figure_entry import Claim, attach_claim
from teachkit.lkj import lkj_marginal_pdf
from teachkit.plots.style import PALETTE, station_color

__all__ = [
    "FLOOR_UG",
    "HDI_PROB",
    "MIN_BIN_DAYS",
    "hdi",
    "lowess",
    "plot_correlation_distance",
    "plot_hyperprior_lines",
    "plot_pooling_error",
    "plot_posterior_predictive",
    "plot_rho_posterior",
    "tercile_means",
]

TEMP_LABEL = "daily max temperature (°C)"
OZONE_LABEL = "log daily max ozone (log µg/m³)"
#: Probability of every interval drawn (ArviZ's default HDI).
HDI_PROB = 0.94
#: Whole µg/m³ values counted as the measurement's floor (1, 2, 3, 4: the stripes at the
#: bottom of the data; from 5 µg/m³ up the whole values are too close to form stripes).
FLOOR_UG = 4
#: Temperature bins (°C) of the residual curve, and the fewest days a bin needs to be named
#: in the title (the bins below -5 °C hold a few dozen days, too few to trust their mean).
RESIDUAL_BIN_WIDTH = 5.0
MIN_BIN_DAYS = 100
#: Temperature bins (°C) of the predictive bands, drawn where they hold at least this many
#: days (their 3% and 97% quantiles then rest on thousands of replicated values).
BAND_BIN_WIDTH = 2.0
MIN_BAND_DAYS = 30


#: A white box behind a label drawn over lines.
_WHITE = {"fc": "white", "ec": "none", "pad": 1}


def hdi(x: ArrayLike, prob: float = HDI_PROB) -> tuple[float, float]:
    """The shortest interval holding ``prob`` of the draws ``x`` (as :func:`arviz.hdi`).

    Examples
    --------
    >>> hdi(np.arange(101.0), 0.5)
    (0.0, 50.0)
    """
    s = np.sort(np.asarray(x, dtype=float).ravel())
    k = int(np.floor(prob * len(s)))
    widths = s[k:] - s[: len(s) - k]
    i = int(np.argmin(widths))
    return float(s[i]), float(s[i + k])


def _signed(value: float, digits: int = 2) -> str:
    """A number as mathtext with its sign, e.g. ``$+0.33$`` or ``$-0.10$``."""
    return f"${value:+.{digits}f}$"


# --- row 32: rho's posterior against its prior --------------------------------------------------


def _dumbbell(
    ax: Axes,
    effects: Mapping[str, np.ndarray],
    names: Sequence[str],
) -> float:
    """Per station, the mean and 94% HDI under each model; returns the largest shift in sds.

    ``effects`` maps a model's label to draws of shape (draw, station); the first model is
    drawn with open markers above, the second filled below.
    """
    (first, a), (second, b) = effects.items()
    y = np.arange(len(names))[::-1]
    for k, (label, values, offset, face) in enumerate(
        ((first, a, 0.17, "white"), (second, b, -0.17, None))
    ):
        for j in range(values.shape[1]):
            low, high = hdi(values[:, j])
            color = station_color(j)
            ax.plot([low, high], [y[j] + offset] * 2, color=color, lw=2, solid_capstyle="butt")
            ax.scatter(
                [values[:, j].mean()],
                [y[j] + offset],
                s=55,
                color=color,
                facecolors=face if face else color,
                edgecolors=color,
                linewidths=1.8,
                zorder=3,
                label=label if j == 0 else None,
                gid=f"{k}:{j}",
            )
    ax.set_yticks(y, list(names))
    shift = np.abs(a.mean(axis=0) - b.mean(axis=0)) / a.std(axis=0)
    return float(shift.max())


def plot_rho_posterior(
    rho: ArrayLike,
    eta: float,
    alpha: Mapping[str, ArrayLike],
    beta: Mapping[str, ArrayLike],
    names: Sequence[str],
) -> Figure:
    r"""Posterior of :math:`\rho` against its LKJ prior; station effects of two models beside it.

    Parameters
    ----------
    rho : array_like of shape (draw,)
        Posterior draws of the correlation.
    eta : float
        The LKJ prior's shape; its exact marginal density (two dimensions,
        :math:`p(\rho) \propto (1 - \rho^2)^{\eta - 1}`) is drawn.
    alpha, beta : mapping of str to array_like of shape (draw, station)
        Two models' posterior draws of :math:`\alpha_j` and :math:`\beta_j`, by label (first
        the reference, e.g. varying slopes, then the covarying model).
    names : sequence of str
        Station names in station order.

    Returns
    -------
    Figure
        Left: the posterior as a density histogram (label "posterior"), the prior curve
        ("prior") and the 94% HDI as a segment ("94% HDI") with the mean as a point ("mean").
        Right: two panels, per station the mean and 94% HDI under each model. Title
        "rho = X (94%: a to b)", three decimals each.
    """
    r = np.asarray(rho, dtype=float)
    fig = plt.figure(layout="constrained")
    grid = fig.add_gridspec(1, 3, width_ratios=[1.1, 1, 1])
    ax = fig.add_subplot(grid[0])
    ax.hist(
        r,
        bins=np.linspace(-1, 1, 81),
        density=True,
        color=PALETTE[0],
        alpha=0.75,
        label="posterior",
    )
    grid_r = np.linspace(-1, 1, 201)
    prior = lkj_marginal_pdf(grid_r, eta, 2)
    ax.plot(grid_r, prior, color="0.25", lw=2.5, ls="--", label="prior")
    ax.text(
        0.05,
        lkj_marginal_pdf(0.05, eta, 2) + 0.25,
        rf"prior LKJ({eta:g})"
        "\n"
        r"$\propto 1 - \rho^2$",
        ha="center",
        va="bottom",
        fontsize=15,
        color="0.25",
    )
    mean, (low, high) = float(r.mean()), hdi(r)
    top = ax.get_ylim()[1]
    ax.plot([low, high], [1.04 * top] * 2, color="black", lw=3, label="94% HDI")
    ax.plot([mean], [1.04 * top], "o", color="black", ms=8, label="mean")
    ax.text(high + 0.04, 1.04 * top, "94% HDI", ha="left", va="center", fontsize=14)
    ax.set_ylim(0, 1.12 * top)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel(r"correlation $\rho$ of $\alpha_j$ and $\beta_j$ (no unit)")
    ax.set_ylabel(r"density (per unit of $\rho$)")
    ax.set_title(r"posterior of $\rho$ (bars) and its prior", fontsize=17)
    a = {k: np.asarray(v, dtype=float) for k, v in alpha.items()}
    b = {k: np.asarray(v, dtype=float) for k, v in beta.items()}
    ax_a = fig.add_subplot(grid[1])
    ax_b = fig.add_subplot(grid[2], sharey=ax_a)
    shift_a = _dumbbell(ax_a, a, names)
    shift_b = _dumbbell(ax_b, b, names)
    ax_b.tick_params(labelleft=False)
    ax_a.set_xlabel(r"$\alpha_j$ (log µg/m³ at 0 °C)", fontsize=16)
    ax_b.set_xlabel(r"$\beta_j$ (per °C)", fontsize=16)  # the slope's unit on every slide
    ax_a.set_title(r"station intercepts $\alpha_j$", fontsize=17)
    ax_b.set_title(r"station slopes $\beta_j$", fontsize=17)
    ax.set_xticks([-1.0, -0.5, 0.0, 0.5, 1.0])
    ax.yaxis.set_major_locator(MaxNLocator(6, prune="lower"))
    for panel in (ax_a, ax_b):
        panel.xaxis.set_major_locator(MaxNLocator(4))
    shift = max(shift_a, shift_b)
    handles = [
        Line2D([], [], marker="o", ls="-", color="0.2", mfc="white", mew=1.8, ms=9),
        Line2D([], [], marker="o", ls="-", color="0.2", ms=9),
    ]
    fig.legend(
        handles,
        list(a),
        loc="outside right upper",
        fontsize=14,
        title=f"mean, 94% HDI\n\nlargest shift:\n{shift:.1f} posterior sd",
        title_fontsize=14,
        alignment="left",
    )
    # three decimals: an HDI ending at -0.998 must not read as reaching the boundary -1
    text = rf"$\rho = {mean:.3f}$ (94%: ${low:.3f}$ to ${high:.3f}$)"
    fig.suptitle(text)
    numbers = {"mean": mean, "low": low, "high": high, "shift": shift}
    return attach_claim(fig, Claim(text, numbers, {"rho": r}))


# --- row 34: residual correlation against distance ----------------------------------------------


#: Share of the pairs each point of the smooth line is fitted to (LOWESS's span).
SMOOTH_SPAN = 2 / 3


def lowess(x: ArrayLike, y: ArrayLike, at: ArrayLike, span: float = SMOOTH_SPAN) -> np.ndarray:
    r"""Local linear smooth of ``y`` on ``x`` (LOWESS without robustness steps), at ``at``.

    At each point :math:`x_0` a straight line is fitted by weighted least squares to the
    ``span`` share of the points closest to :math:`x_0`, with tricube weights
    :math:`(1 - (|x - x_0| / h)^3)^3`, :math:`h` the distance of the farthest of them
    (Cleveland 1979); the smooth is that line's value at :math:`x_0`.

    Examples
    --------
    >>> x = np.arange(10.0)
    >>> np.round(lowess(x, 2 * x + 1, [0.5, 4.0]), 6).tolist()
    [2.0, 9.0]
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    k = max(3, int(np.ceil(span * len(x))))
    out = []
    for x0 in np.atleast_1d(np.asarray(at, dtype=float)):
        gap = np.abs(x - x0)
        h = np.sort(gap)[k - 1] * 1.000001
        w = np.clip(1 - (gap / h) ** 3, 0, None) ** 3
        design = np.column_stack([np.ones_like(x), x - x0])
        coef = np.linalg.lstsq(design * np.sqrt(w)[:, None], y * np.sqrt(w), rcond=None)[0]
        out.append(coef[0])
    return np.array(out)


def tercile_means(distance: ArrayLike, correlation: ArrayLike) -> tuple[float, float]:
    """Mean correlation of the closest third of the pairs and of the farthest third.

    Examples
    --------
    >>> tercile_means([1, 2, 3, 4, 5, 6], [0.9, 0.8, 0.5, 0.5, 0.2, 0.1])
    (0.85, 0.15000000000000002)
    """
    d, r = np.asarray(distance, dtype=float), np.asarray(correlation, dtype=float)
    order = np.argsort(d, kind="stable")
    third = len(d) // 3
    return float(r[order[:third]].mean()), float(r[order[-third:]].mean())


def plot_correlation_distance(distance: ArrayLike, correlation: ArrayLike) -> Figure:
    r"""Same-day residual correlation of every pair of stations against their distance.

    Parameters
    ----------
    distance : array_like of shape (n_pairs,)
        Great-circle distance between the two stations (km).
    correlation : array_like of shape (n_pairs,)
        Correlation of the two stations' residuals over the dates both have.

    Returns
    -------
    Figure
        The pairs (scatter "pairs"), a local linear smooth over the pairs' distances
        (:func:`lowess`, line "smooth"; a decay to 0 would not fit: the farthest pairs still
        share most of their residuals, the regional weather), and the mean of the closest and
        the farthest third of the pairs as horizontal segments over their distances ("closest
        third", "farthest third"). Title "residual correlation falls (or rises) from X at the
        closest pairs to Y at the farthest".
    """
    d, r = np.asarray(distance, dtype=float), np.asarray(correlation, dtype=float)
    fig, ax = plt.subplots(layout="constrained")
    ax.scatter(d, r, s=60, color=PALETTE[0], alpha=0.8, edgecolors="white", label="pairs")
    grid = np.linspace(d.min(), d.max(), 200)  # within the data: no extrapolation
    smooth = lowess(d, r, grid)
    ax.plot(grid, smooth, color="black", lw=2.5, label="smooth")
    ax.text(
        0.02,
        0.04,
        f"black line: local linear smooth (LOWESS), each point fitted to {SMOOTH_SPAN:.0%} "
        "of the pairs",
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        fontsize=16,
    )
    near, far = tercile_means(d, r)
    order = np.argsort(d, kind="stable")
    third = len(d) // 3
    for label, value, idx in (
        ("closest third", near, order[:third]),
        ("farthest third", far, order[-third:]),
    ):
        span = [d[idx].min(), d[idx].max()]
        ax.plot(span, [value] * 2, color=PALETTE[5], lw=4, solid_capstyle="butt", label=label)
        ax.text(
            np.mean(span),
            0.5,
            f"{label}\n({span[0]:.0f}–{span[1]:.0f} km):\nmean {value:.2f}",
            ha="center",
            va="top",
            fontsize=16,
            color=PALETTE[5],
        )
        ax.plot([np.mean(span)] * 2, [0.52, value - 0.01], color=PALETTE[5], lw=1, ls=":")
    ax.set_ylim(0, 1)
    ax.set_xlim(0, 1.05 * d.max())
    ax.set_xlabel("distance between the two stations (km, great circle)")
    ax.set_ylabel("correlation of same-day residuals (r)")
    verb = "falls" if far < near else "rises"
    text = (
        f"Residual correlation {verb} from {near:.2f} at the closest pairs "
        f"to {far:.2f} at the farthest"
    )
    ax.set_title(text)
    numbers = {"near": near, "far": far, "smooth_fall": float(smooth[0] - smooth[-1])}
    return attach_claim(fig, Claim(text, numbers, {"distance": d, "correlation": r}))


# --- row 35: posterior predictive check ---------------------------------------------------------


def _bins(temp: np.ndarray, width: float) -> np.ndarray:
    """Edges of ``width``-wide temperature bins covering ``temp``, on multiples of ``width``."""
    return np.arange(np.floor(temp.min() / width), np.ceil(temp.max() / width) + 1) * width


def _binned_means(temp: np.ndarray, values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Mean of ``values`` (shape (..., n)) in each temperature bin; shape (..., n_bins)."""
    idx = np.clip(np.digitize(temp, edges) - 1, 0, len(edges) - 2)
    counts = np.bincount(idx, minlength=len(edges) - 1)
    sums = np.stack([np.bincount(idx, v, minlength=len(edges) - 1) for v in np.atleast_2d(values)])
    with np.errstate(invalid="ignore", divide="ignore"):
        out = sums / counts
    return out.reshape(*np.shape(values)[:-1], len(edges) - 1)


def _curve_claim(centres: np.ndarray, means: np.ndarray, width: float) -> tuple[str, dict]:
    """The title naming the residual curve: the lowest bin and the highest on either side."""
    low = int(np.argmin(means))
    left = int(np.argmax(means[: low + 1]))
    right = low + int(np.argmax(means[low:]))

    def span(i: int) -> str:
        a, b = centres[i] - width / 2, centres[i] + width / 2
        return f"${a:.0f}$ to ${b:.0f}$ °C"

    text = (
        "Straight lines miss a curve: the mean residual is\n"
        f"{_signed(means[left])} at {span(left)}, {_signed(means[low])} at {span(low)}, "
        f"{_signed(means[right])} at {span(right)}"
    )
    numbers = {"left": means[left], "low": means[low], "right": means[right]}
    return text, numbers


def plot_posterior_predictive(
    temp: ArrayLike,
    log_ozone: ArrayLike,
    fitted: ArrayLike,
    replicated: ArrayLike,
) -> Figure:
    r"""Posterior predictive check: observed log ozone against predictive bands and residuals.

    Parameters
    ----------
    temp, log_ozone : array_like of shape (n,)
        The observed days.
    fitted : array_like of shape (n,)
        Each day's posterior-mean line :math:`\bar\alpha_j + \bar\beta_j T`.
    replicated : array_like of shape (n_rep, n)
        Replicated data sets, :math:`\alpha_j + \beta_j T + \mathrm{Normal}(0, \sigma)` at
        posterior draws.

    Returns
    -------
    Figure
        Left: the observed days as a hexbin density, the days at whole 1 to :data:`FLOOR_UG`
        µg/m³ as points ("days at whole 1–4 µg/m³"), the 50% and 94% predictive bands per
        1 °C bin and dotted lines at the logs of 1-4 µg/m³, with a note counting the floor's
        whole-valued days and how many lie below the 94% band. Right: the mean residual per 5 °C bin
        ("observed", bins with at least :data:`MIN_BIN_DAYS` days) against the replicated data's
        94% range of the same mean ("replicated 94%"). Title: the residual curve, computed.
    """
    t, y, f = (np.asarray(v, dtype=float) for v in (temp, log_ozone, fitted))
    rep = np.asarray(replicated, dtype=float)
    fig, (ax, ax_r) = plt.subplots(1, 2, layout="constrained", width_ratios=[1.25, 1])
    ax.hexbin(t, y, gridsize=55, cmap="Greys", mincnt=1, bins="log", linewidths=0.2)
    fine = _bins(t, BAND_BIN_WIDTH)
    idx = np.clip(np.digitize(t, fine) - 1, 0, len(fine) - 2)
    filled = np.flatnonzero(np.bincount(idx, minlength=len(fine) - 1) >= MIN_BAND_DAYS)
    centres = 0.5 * (fine[filled] + fine[filled + 1])
    bands = {
        q: np.array([np.quantile(rep[:, idx == k], q) for k in filled])
        for q in (0.03, 0.25, 0.5, 0.75, 0.97)
    }
    ax.fill_between(
        centres,
        bands[0.03],
        bands[0.97],
        color=PALETTE[0],
        alpha=0.25,
        lw=0,
        label="94% predictive",
    )
    ax.fill_between(
        centres,
        bands[0.25],
        bands[0.75],
        color=PALETTE[0],
        alpha=0.35,
        lw=0,
        label="50% predictive",
    )
    ax.plot(centres, bands[0.5], color=PALETTE[0], lw=2, label="predictive median")
    floor_cut = np.log(FLOOR_UG + 0.5)
    low_days = y < floor_cut
    # only the whole-valued days: the low non-whole ones stay in the grey density
    whole = low_days & np.isclose(np.exp(y), np.round(np.exp(y)), atol=1e-6)
    ax.scatter(t[whole], y[whole], s=14, color=PALETTE[5], zorder=3,
               label=f"days at whole 1–{FLOOR_UG} µg/m³")  # fmt: skip
    x0, x1 = t[low_days].min() - 1.5, t[low_days].max() + 1.5
    for k in range(1, FLOOR_UG + 1):
        ax.plot([x0, x1], [np.log(k)] * 2, color=PALETTE[5], lw=0.8, ls=":", zorder=1)
        ax.text(x0 - 0.5, np.log(k), f"{k} µg/m³", va="center", ha="right", fontsize=12,
                color=PALETTE[5])  # fmt: skip
    below_band = y[whole] < np.interp(t[whole], centres, bands[0.03])
    floor_text = (
        f"a floor: {int(whole.sum())} days\nat whole 1–{FLOOR_UG} µg/m³,\n"
        f"{int(below_band.sum())} of them below\nthe 94% band"
    )
    ax.text(
        0.97,
        0.1,
        floor_text,
        transform=ax.get_yaxis_transform(),
        va="bottom",
        ha="right",
        fontsize=14,
        color=PALETTE[5],
        gid="floor",
    )
    ax.set_ylim(-0.3, max(7.2, float(y.max()) + 0.2))
    ax.set_xlim(min(float(t.min()), x0 - 9.0) - 1.0, float(t.max()) + 2.0)
    ax.set_xlabel(TEMP_LABEL)
    ax.set_ylabel(OZONE_LABEL)
    ax.legend(loc="upper left", fontsize=13)
    edges = _bins(t, RESIDUAL_BIN_WIDTH)
    mid = 0.5 * (edges[:-1] + edges[1:])
    days = np.bincount(np.clip(np.digitize(t, edges) - 1, 0, len(edges) - 2), minlength=len(mid))
    enough = days >= MIN_BIN_DAYS
    observed = _binned_means(t, y - f, edges)
    rep_means = _binned_means(t, rep - f, edges)
    lo, hi = np.quantile(rep_means, [0.03, 0.97], axis=0)
    ax_r.axhline(0, color="0.4", lw=1)
    ax_r.fill_between(
        mid[enough], lo[enough], hi[enough], color=PALETTE[0], alpha=0.35, label="replicated 94%"
    )
    ax_r.plot(mid[enough], observed[enough], "o-", color="black", ms=9, label="observed")
    ax_r.set_xlim(mid[enough].min() - RESIDUAL_BIN_WIDTH, mid[enough].max() + RESIDUAL_BIN_WIDTH)
    ax_r.set_xlabel(TEMP_LABEL + f", {RESIDUAL_BIN_WIDTH:g}° bins")
    ax_r.set_ylabel("mean residual (log µg/m³)")
    ax_r.set_title(f"bins with at least {MIN_BIN_DAYS} days", fontsize=16)
    ax_r.legend(loc="upper center", fontsize=13)
    text, numbers = _curve_claim(mid[enough], observed[enough], RESIDUAL_BIN_WIDTH)
    fig.suptitle(text, fontsize=22)
    numbers |= {"floor_days": int(whole.sum()), "below_band": int(below_band.sum())}
    return attach_claim(fig, Claim(text, numbers, {"residual_means": observed[enough]}))


# --- row 36: what the hyperprior allows ---------------------------------------------------------


def plot_hyperprior_lines(
    slopes: Mapping[str, ArrayLike],
    mu_beta: float,
    pivot: tuple[float, float],
    temp_range: tuple[float, float],
    y_range: tuple[float, float],
    days: tuple[ArrayLike, ArrayLike] | None = None,
) -> Figure:
    r"""New stations' lines under the hyperprior on :math:`\sigma_\beta` and under its posterior.

    Parameters
    ----------
    slopes : mapping of str to array_like of shape (n_lines,)
        Two sets of station slopes :math:`\beta_j` (prior first, then posterior), by panel
        title.
    mu_beta : float
        The population slope :math:`\mu_\beta` the slopes stray from (drawn dashed).
    pivot : (temperature, log ozone)
        The point every line passes through (the data's means).
    temp_range, y_range : (low, high)
        The axes' limits (°C, log µg/m³); lines are clipped to them.
    days : (temperature, log ozone), optional
        The data's days, drawn faintly behind the lines of both panels as a hexbin density
        (gid "data density"), so that the lines can be held against what was measured.

    Returns
    -------
    Figure
        Two panels, same axes; each line a two-point line over ``temp_range`` (label
        "station line"), the :math:`\mu_\beta` line dashed (label "mu_beta"). Title: the
        median :math:`|\beta_j - \mu_\beta|` of each panel's drawn lines.
    """
    fig, axes = plt.subplots(1, 2, layout="constrained", sharex=True, sharey=True)
    t = np.asarray(temp_range, dtype=float)
    medians = []
    for ax, (title, values) in zip(axes, slopes.items(), strict=True):
        b = np.asarray(values, dtype=float)
        if days is not None:
            ax.hexbin(*(np.asarray(v, dtype=float) for v in days), gridsize=45, cmap="Greys",
                      mincnt=1, bins="log", alpha=0.3, linewidths=0, zorder=0,
                      extent=(*temp_range, *y_range), gid="data density")  # fmt: skip
        for slope in b:
            ax.plot(
                t,
                pivot[1] + slope * (t - pivot[0]),
                color=PALETTE[0],
                lw=1,
                alpha=0.35,
                label="station line",
            )
        ax.plot(
            t, pivot[1] + mu_beta * (t - pivot[0]), color="black", lw=2.5, ls="--", label="mu_beta"
        )
        inside = np.all(
            (pivot[1] + np.outer(b, t - pivot[0]) >= y_range[0])
            & (pivot[1] + np.outer(b, t - pivot[0]) <= y_range[1]),
            axis=1,
        )
        medians.append(float(np.median(np.abs(b - mu_beta))))
        ax.set_title(
            f"{title}\n{1 - inside.mean():.0%} of {len(b)} lines leave the plot", fontsize=17
        )
        ax.set_xlabel(TEMP_LABEL)
        ax.text(
            t[1] - 1,
            pivot[1] + mu_beta * (t[1] - 1 - pivot[0]) - 0.2,
            r"$\mu_\beta$",
            ha="right",
            va="top",
            fontsize=18,
            bbox=_WHITE,
        )
    axes[0].set_ylabel(OZONE_LABEL)
    axes[0].set_xlim(*t)
    axes[0].set_ylim(*y_range)
    prior, posterior = medians
    text = (
        rf"Station slopes stray from $\mu_\beta$ by ${prior:.2f}$ per °C under the prior, "
        rf"${posterior:.4f}$ in the posterior"
        "\n"
        r"(median $|\beta_j - \mu_\beta|$ of the lines drawn)"
    )
    fig.suptitle(text, fontsize=21)
    return attach_claim(fig, Claim(text, {"prior": prior, "posterior": posterior}))


# --- row 37: the error of no and partial pooling ------------------------------------------------


def plot_pooling_error(
    days: ArrayLike,
    no_pooling: ArrayLike,
    partial: ArrayLike,
    names: Sequence[str],
    few: int,
) -> Figure:
    """Each station's error with no pooling and with partial pooling, stations by their days.

    Parameters
    ----------
    days : array_like of int, shape (n_stations,)
        Days each station keeps.
    no_pooling, partial : array_like of shape (n_stations,)
        The error of each estimate of the station's line against its full-data line.
    names : sequence of str
        Station names in station order.
    few : int
        Stations with fewer days than this are the title's "few days".

    Returns
    -------
    Figure
        One row per station (fewest days on top, labelled "name (N days)"), an open marker
        at the no-pooling error ("no pooling"), a filled one at the partial-pooling error
        ("partial pooling"), a segment between them; a line under the last station with
        fewer than ``few`` days. Title "Partial pooling is closer for N of M stations, most
        of all below K days (mean gap narrowed by a below K days, b above)" ("no more so"
        when a <= b).
    """
    n_days = np.asarray(days, dtype=int)
    own, part = np.asarray(no_pooling, dtype=float), np.asarray(partial, dtype=float)
    order = np.argsort(n_days, kind="stable")
    y = np.arange(len(order))[::-1]
    fig, ax = plt.subplots(layout="constrained")
    for row, j in zip(y, order, strict=True):
        ax.plot([own[j], part[j]], [row, row], color=station_color(j), lw=2.5, zorder=1)
    colors = [station_color(j) for j in order]
    ax.scatter(
        own[order],
        y,
        s=110,
        facecolors="white",
        edgecolors=colors,
        linewidths=2.2,
        zorder=2,
        label="no pooling",
    )
    ax.scatter(part[order], y, s=110, color=colors, zorder=3, label="partial pooling")
    labels = [f"{names[j]} ({n_days[j]} days)" for j in order]
    ax.set_yticks(y, labels)
    is_few = n_days < few
    m = int(is_few.sum())
    closer = int(np.sum(part < own))
    if 0 < m < len(n_days):
        ax.axhline(y[m - 1] - 0.5, color="0.5", lw=1, ls="--")
        ax.text(
            0.99,
            y[m - 1] - 0.5,
            f"fewer than {few} days ↑",
            transform=ax.get_yaxis_transform(),
            ha="right",
            va="bottom",
            fontsize=14,
            color="0.35",
        )
    ax.set_xlim(0, 1.08 * max(own.max(), part.max()))
    ax.set_xlabel("gap between the station's line and its full-data line (RMS, log µg/m³)")
    handles = [
        Line2D([], [], ls="", marker="o", ms=11, mfc="white", mec="0.2", mew=2.2),
        Line2D([], [], ls="", marker="o", ms=11, color="0.2"),
    ]
    ax.legend(
        handles,
        ["no pooling (own line)", "partial pooling (covarying model)"],
        loc="lower right",
        fontsize=14,
    )
    gain = own - part  # how much partial pooling narrows the gap
    if 0 < m < len(n_days):
        g_few, g_rest = float(gain[is_few].mean()), float(gain[~is_few].mean())
        most = "most of all" if g_few > g_rest else "no more so"
        text = (
            f"Partial pooling is closer for {closer} of {len(n_days)} stations, {most} below "
            f"{few} days\n(mean gap narrowed by {g_few:.3f} below {few} days, {g_rest:.3f} "
            "above)"
        )
    else:  # nothing to compare
        g_few = g_rest = float("nan")
        which = "none" if m == 0 else "all"
        text = (f"Partial pooling is closer for {closer} of {len(n_days)} stations; {which} "
                f"with fewer than {few} days")  # fmt: skip
    fig.suptitle(text)
    numbers = {"closer": closer, "few stations": m, "few": few, "gain few": g_few,
               "gain rest": g_rest}  # fmt: skip
    data = {"days": n_days, "no_pooling": own, "partial": part}
    return attach_claim(fig, Claim(text, numbers, data))
