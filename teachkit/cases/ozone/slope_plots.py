r"""Plots of the varying-slopes part of the ozone lecture (storyboard rows 14-19).

Each function takes arrays (posterior draws, summaries, the comparison table), draws one slide
and attaches the :class:`~teachkit.figure_entry.Claim` its title makes: every number in the
title is computed here from the arrays drawn. Stations keep their colour
(:func:`teachkit.plots.style.station_color`) and are named.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike
from scipy import stats

from teachkit.figure_entry import Claim, attach_claim
from teachkit.mvn import ellipse
from teachkit.plots.labels import label_ends, plain
from teachkit.plots.style import station_color

__all__ = [
    "ALPHA_LABEL",
    "BETA_LABEL",
    "LOO_THRESHOLD",
    "ONE_STATION_LINES",
    "OZONE_YLIM",
    "conditional_sd",
    "percent_per_degree",
    "plot_alpha_beta_population",
    "plot_loo_step",
    "plot_new_station",
    "plot_one_station",
    "plot_station_lines",
    "plot_trace_mirror",
]

TEMP_LABEL = "daily max temperature (°C)"
OZONE_LABEL = "log daily max ozone (log µg/m³)"
ALPHA_LABEL = r"intercept $\alpha_j$ (log µg/m³ at 0 °C)"
BETA_LABEL = r"slope $\beta_j$ (log µg/m³ per °C)"
#: A difference in elpd larger than this many of its standard errors (dse) is called clear
#: (the rule of thumb of Vehtari et al. 2017 and of ArviZ's compare documentation).
LOO_THRESHOLD = 2.0
#: The station-lines slide's y range: the log ozone of nearly every Beijing day.
OZONE_YLIM = (2.5, 6.5)
#: Where the station-lines slide's temperature axis ends (°C): just past Beijing's hottest day.
X_END = 42.0
#: Posterior lines drawn through one station's days.
ONE_STATION_LINES = 50
#: The population ellipses' probability masses.
MASSES = (0.5, 0.94)


def percent_per_degree(beta: ArrayLike) -> np.ndarray:
    r"""A slope on the log scale as a percentage change per °C, :math:`100 (e^\beta - 1)`.

    Examples
    --------
    >>> percent_per_degree([0.0, np.log(1.05)]).round(6).tolist()
    [0.0, 5.0]
    """
    return 100.0 * np.expm1(np.asarray(beta, dtype=float))


def conditional_sd(cov: ArrayLike) -> tuple[float, float]:
    r"""Marginal sd of the second variable and its sd given the first, of a 2-D normal.

    :math:`\mathrm{sd}(\beta \mid \alpha) = \sqrt{\Sigma_{\beta\beta} -
    \Sigma_{\alpha\beta}^2 / \Sigma_{\alpha\alpha}} = \mathrm{sd}(\beta) \sqrt{1 - \rho^2}`.

    Examples
    --------
    >>> conditional_sd([[4.0, -1.6], [-1.6, 1.0]])
    (1.0, 0.6)
    """
    c = np.asarray(cov, dtype=float)
    marginal = float(np.sqrt(c[1, 1]))
    return marginal, float(np.sqrt(c[1, 1] - c[0, 1] ** 2 / c[0, 0]))


def _title(fig: Figure, text: str, numbers: dict[str, float], data: dict) -> Figure:
    fig.suptitle(text)
    return attach_claim(fig, Claim(text, numbers, data))


# --- row 14: the PSIS-LOO comparison, model by model -------------------------------------------


def _minus(text: str) -> str:
    """A typeset minus sign for a hyphen (outside mathtext)."""
    return text.replace("-", "−")


def _signed(d: float, digits: int) -> str:
    return _minus(f"{d:+.{digits}f}")


def _digits(s: float) -> int:
    return 0 if s >= 10 else 1


def _difference_text(d: float, s: float) -> str:
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
            "reference" if at_ref else _difference_text(d, s),
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
            + _difference_text(d, s).replace(" (", "\n("),
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
    return _title(fig, text, numbers, data)


# --- row 15: station lines, steepest and flattest named ----------------------------------------


def plot_station_lines(
    alpha: ArrayLike,
    beta: ArrayLike,
    names: Sequence[str],
    data: pd.DataFrame,
    *,
    ylim: tuple[float, float] = OZONE_YLIM,
    ax: Axes | None = None,
) -> Axes:
    """Each station's line over the data's temperatures; the steepest and flattest named.

    Parameters
    ----------
    alpha, beta : array_like of shape (n_stations,)
        Each station's intercept and slope (posterior means).
    names : sequence of str
        Station names, in station order.
    data : DataFrame
        Columns ``station_id``, ``TEMP``, ``log_ozone``: the x range, and the two named
        stations' days.

    Returns
    -------
    Axes
        One line per station labelled with its name (gid "highlight" for the steepest and the
        flattest, in their colours, "other" in grey), one scatter of days per highlighted
        station (label "<name>'s days") and a name per highlighted line at its right end.
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    a, b = np.ravel(alpha).astype(float), np.ravel(beta).astype(float)
    steep, flat = int(np.argmax(b)), int(np.argmin(b))
    t = np.linspace(float(data["TEMP"].min()), float(data["TEMP"].max()), 50)
    for j in (steep, flat):
        days = data[data["station_id"] == j]
        ax.scatter(
            days["TEMP"],
            days["log_ozone"],
            s=16,
            alpha=0.45,
            color=station_color(j),
            linewidths=0,
            rasterized=True,
            label=f"{names[j]}'s days",
        )
    for j in range(len(a)):
        if j in (steep, flat):
            continue
        ax.plot(t, a[j] + b[j] * t, color="0.55", lw=1.6, label=names[j], gid="other")
    for j in (steep, flat):
        ax.plot(
            t,
            a[j] + b[j] * t,
            color=station_color(j),  # the station's own colour, not a darker shade
            lw=4.5,
            label=names[j],
            gid="highlight",
        )
    ax.set_ylim(*ylim)
    ax.set_xlim(t[0], max(X_END, float(np.ceil(t[-1]))))  # the names go in the margin
    ax.set_xticks([v for v in range(-40, 60, 10) if t[0] <= v <= t[-1]])
    ax.set_xlabel(TEMP_LABEL)
    ax.set_ylabel(OZONE_LABEL)
    pct = percent_per_degree(b)
    labels = [
        f"steepest: {names[steep]}, {pct[steep]:+.1f}% per °C",
        f"flattest: {names[flat]}, {pct[flat]:+.1f}% per °C",
    ]
    ends = np.clip([a[j] + b[j] * t[-1] for j in (steep, flat)], *ylim)
    colours = [station_color(j) for j in (steep, flat)]
    label_ends(ax, t[-1], ends, labels, colours, fontsize=16, gap=0.3)
    others = len(a) - 2
    ax.text(
        0.02,
        0.97,
        f"grey: the other {others} stations",
        transform=ax.transAxes,
        fontsize=15,
        color="0.35",
        va="top",
    )
    text = f"Slopes range from {pct.min():+.1f}% to {pct.max():+.1f}% peak ozone per °C"
    _title(ax.figure, text, {"low": pct.min(), "high": pct.max()}, {"alpha": a, "beta": b})
    return ax


# --- row 16: the traces mirror each other -------------------------------------------------------


def plot_trace_mirror(
    alpha: ArrayLike,
    beta: ArrayLike,
    stations: Sequence[int],
    names: Sequence[str],
    *,
    fig: Figure | None = None,
) -> Figure:
    r"""Posterior densities and traces of :math:`\alpha_j` and :math:`\beta_j` for a few stations.

    Parameters
    ----------
    alpha, beta : array_like of shape (chain, draw, n_stations)
        Every station's draws: the title is about all of them.
    stations : sequence of int
        The stations drawn (ids); each keeps its colour in all four panels.
    names : sequence of str
        Every station's name, in station order.

    Returns
    -------
    Figure
        Axes [alpha density, alpha trace, beta density, beta trace]; in each, one line per
        drawn station labelled with its name (the traces: chains one after another, in the
        station's colour), and under each density every station's posterior mean as a tick
        (scatter "station means", in station order). The title names the station with the
        highest mean intercept and the one with the lowest mean slope among all stations, and
        the correlation of the stations' mean intercepts and slopes.
    """
    a, b = np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float)
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(2, 2, width_ratios=(1, 1.6))
    n_chains, n_draws, n_stations = a.shape
    ma, mb = a.mean(axis=(0, 1)), b.mean(axis=(0, 1))
    for row, (values, means, label) in enumerate(((a, ma, ALPHA_LABEL), (b, mb, BETA_LABEL))):
        dens, trace = axes[row]
        top = 0.0
        for j in stations:
            flat = values[..., j].ravel()
            grid = np.linspace(flat.min(), flat.max(), 200)
            colour = station_color(j)
            density = stats.gaussian_kde(flat)(grid)
            top = max(top, float(density.max()))
            dens.plot(grid, density, color=colour, lw=3, label=names[j])
            trace.plot(flat, color=colour, lw=0.5, alpha=0.8, label=names[j])
        dens.scatter(
            means,
            np.full(n_stations, -0.08 * top),
            marker="|",
            s=260,
            linewidths=2.5,
            color=[station_color(j) for j in range(n_stations)],
            label="station means",
            clip_on=False,
        )
        dens.set_ylim(-0.16 * top, 1.08 * top)
        dens.set_xlabel(label)
        dens.set_ylabel("posterior density")
        dens.set_yticks([])
        trace.set_ylabel(label.split(" (")[0])
        trace.margins(x=0)
    axes[1, 1].set_xlabel(f"draw ({n_chains} chains of {n_draws}, one after another)")
    axes[0, 0].text(
        0.02,
        0.97,
        f"ticks: all {n_stations} stations' means",
        transform=axes[0, 0].transAxes,
        fontsize=14,
        color="0.35",
        va="top",
    )
    handles, labels = axes[0, 1].get_legend_handles_labels()
    legend = fig.legend(handles, labels, loc="outside right center", fontsize=16)
    for handle in legend.get_lines():
        handle.set_linewidth(5)
    high, low = int(np.argmax(ma)), int(np.argmin(mb))
    r = float(np.corrcoef(ma, mb)[0, 1])
    across = rf"across the {n_stations} stations r($\alpha$, $\beta$) = " + _minus(f"{r:.2f}")
    if high == low:
        text = f"Highest intercept and lowest slope: {names[high]};\n{across}"
    else:
        text = f"Highest intercept: {names[high]}, lowest slope: {names[low]};\n{across}"
    numbers = {"highest_intercept": high, "lowest_slope": low, "r": r}
    data = {"alpha_means": ma, "beta_means": mb}
    return _title(fig, text, numbers, data)


# --- row 17: station means, their clouds and the population's ellipses --------------------------


def _ellipse_lines(
    ax: Axes, mean: np.ndarray, cov: np.ndarray, *, tagged: bool = True, **kwargs: object
) -> None:
    """The 50% and 94% ellipses; ``tagged``: each with its mass written above its top."""
    for mass, style in zip(MASSES, ("--", "-"), strict=True):
        ring = ellipse(mean, cov, mass=mass)
        ax.plot(ring[:, 0], ring[:, 1], ls=style, lw=2.2, label=f"{mass:.0%} ellipse", **kwargs)  # type: ignore[arg-type]
        if not tagged:
            continue
        top = ring[np.argmax(ring[:, 1])]
        ax.annotate(
            f"{mass:.0%}",
            top,
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=14,
            color=kwargs.get("color", "black"),
        )


def plot_alpha_beta_population(
    alpha: ArrayLike,
    beta: ArrayLike,
    mean: ArrayLike,
    cov: ArrayLike,
    names: Sequence[str],
    *,
    max_draws: int = 300,
    ax: Axes | None = None,
) -> Axes:
    r"""Stations' posterior means and clouds of (alpha_j, beta_j), with the population's ellipses.

    Parameters
    ----------
    alpha, beta : array_like of shape (draw, n_stations)
        Posterior draws (chains flattened).
    mean : array_like of shape (2,)
        The population's mean :math:`(\mu_\alpha, \mu_\beta)`.
    cov : array_like of shape (2, 2)
        Its covariance; its correlation is the model's :math:`\rho` the title names.
    names : sequence of str

    Returns
    -------
    Axes
        One scatter of draws per station (label: its name), one scatter "station means", the
        black lines "50% ellipse" and "94% ellipse", a legend outside the axes.
    """
    a, b = np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float)
    mu, c = np.asarray(mean, dtype=float), np.asarray(cov, dtype=float)
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    keep = np.linspace(0, len(a) - 1, min(max_draws, len(a))).astype(int)
    for j in range(a.shape[1]):
        ax.scatter(
            a[keep, j],
            b[keep, j],
            s=7,
            alpha=0.3,
            color=station_color(j),
            linewidths=0,
            label=names[j],
            rasterized=True,
        )
    ma, mb = a.mean(axis=0), b.mean(axis=0)
    ax.scatter(
        ma,
        mb,
        s=110,
        color=[station_color(j) for j in range(len(ma))],
        edgecolors="black",
        linewidths=1.5,
        zorder=4,
        label="station means",
    )
    _ellipse_lines(ax, mu, c, tagged=False, color="black")  # the legend names them
    ax.set_xlabel(ALPHA_LABEL)
    ax.set_ylabel(BETA_LABEL)
    legend = ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=14)
    for handle in legend.legend_handles:
        if handle is not None and hasattr(handle, "set_sizes"):
            handle.set_alpha(1)
            handle.set_sizes([70])
    means_handle = legend.legend_handles[a.shape[1]]
    means_handle.set_facecolor("white")  # type: ignore[union-attr]
    r = float(np.corrcoef(ma, mb)[0, 1])
    rho = float(c[0, 1] / np.sqrt(c[0, 0] * c[1, 1]))
    text = (
        f"r of station means = {_minus(f'{r:.2f}')}; model's " + r"$\rho$ = " + _minus(f"{rho:.2f}")
    )
    _title(ax.figure, text, {"r": r, "rho": rho}, {"alpha_means": ma, "beta_means": mb})
    return ax


# --- row 18: a new station under independent and covarying effects -----------------------------


def plot_new_station(
    predictive: dict[str, np.ndarray],
    estimates: dict[str, np.ndarray],
    *,
    at_sds: float = 1.5,
    max_draws: int = 1500,
    fig: Figure | None = None,
) -> Figure:
    r"""A new station's :math:`(\alpha, \beta)` under each model: same axes, the stations as points.

    Parameters
    ----------
    predictive : dict of str to ndarray of shape (n, 2)
        Panel title -> draws of a new station's (alpha, beta) from the model's posterior
        predictive; the first panel the independent model, the last the covarying one.
    estimates : dict of str to ndarray of shape (n_stations, 2)
        The same keys -> the stations' posterior means under that model.
    at_sds : float
        Where the conditional interval is drawn: at the covarying draws' mean intercept plus
        this many of their sds.

    Returns
    -------
    Figure
        One axes per model (shared x and y): faint draws, the 50% and 94% ellipses of the
        draws' mean and covariance, the stations (scatter "stations"), and a vertical bar
        (label "94% of beta given alpha") at the same intercept in every panel. The title
        gives the covarying draws' marginal sd of beta and its sd given alpha.
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(1, len(predictive), sharex=True, sharey=True)
    last = np.asarray(list(predictive.values())[-1], dtype=float)
    at = float(last[:, 0].mean() + at_sds * last[:, 0].std())
    z = float(stats.norm.ppf(0.97))
    shown: list[np.ndarray] = []  # what the limits keep in view: outer ellipses and stations
    for ax, (title, xy) in zip(axes, predictive.items(), strict=True):
        xy = np.asarray(xy, dtype=float)
        mu, cov = xy.mean(axis=0), np.cov(xy.T)
        keep = np.linspace(0, len(xy) - 1, min(max_draws, len(xy))).astype(int)
        ax.scatter(
            xy[keep, 0],
            xy[keep, 1],
            s=5,
            color="0.7",
            alpha=0.5,
            linewidths=0,
            rasterized=True,
            label="new-station draws",
        )
        _ellipse_lines(ax, mu, cov, color="black")
        est = np.asarray(estimates[title], dtype=float)
        shown.extend([ellipse(mu, cov, mass=MASSES[-1]), est])
        ax.scatter(
            est[:, 0],
            est[:, 1],
            s=90,
            color=[station_color(j) for j in range(len(est))],
            edgecolors="black",
            linewidths=1.2,
            zorder=4,
            label="stations",
        )
        centre = mu[1] + cov[0, 1] / cov[0, 0] * (at - mu[0])
        half = z * conditional_sd(cov)[1]
        ax.plot(
            [at, at],
            [centre - half, centre + half],
            color="black",
            lw=7,
            solid_capstyle="butt",
            label="94% of beta given alpha",
            zorder=5,
        )
        ax.set_title(title, fontsize=17)
        ax.set_xlabel(r"a new station's $\alpha$ (log µg/m³ at 0 °C)")
    axes[0].set_ylabel(r"a new station's $\beta$ (log µg/m³ per °C)")
    low, high = np.vstack(shown).min(axis=0), np.vstack(shown).max(axis=0)
    pad = 0.12 * (high - low)
    axes[0].set_xlim(low[0] - pad[0], high[0] + pad[0])
    axes[0].set_ylim(low[1] - 2 * pad[1], high[1] + pad[1])
    axes[0].text(
        0.03,
        0.03,
        "thick bar: 94% interval of $\\beta$ for a station\n"
        f"whose $\\alpha$ is {at:.2f} (mean + {at_sds:g} sd)",
        transform=axes[0].transAxes,
        fontsize=14,
        va="bottom",
    )
    marginal, given = conditional_sd(np.cov(last.T))
    text = (
        "The covarying model predicts a new station's slope from its intercept:\n"
        rf"sd of $\beta$ given $\alpha$ {given:.4f} per °C, "
        rf"against {marginal:.4f} not given $\alpha$"
    )
    numbers = {"marginal_sd": marginal, "conditional_sd": given}
    return _title(fig, text, numbers, {"covarying": last})


# --- row 19: one station's posterior lines pivot around its mean temperature -------------------


def _corr(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1])


def plot_one_station(
    temp: ArrayLike,
    log_ozone: ArrayLike,
    alpha: ArrayLike,
    beta: ArrayLike,
    *,
    name: str,
    color: str,
    centred: bool,
    n_lines: int = ONE_STATION_LINES,
    beta_lim: tuple[float, float] | None = None,
    intercept_span: float | None = None,
    fig: Figure | None = None,
) -> Figure:
    r"""One station: posterior lines through its days (left), the same draws as points (right).

    Uncentred, the intercept is the line's height at 0 °C and the lines pivot around the
    days' mean temperature :math:`\bar T`, so intercept and slope correlate; centred, the
    intercept is the height at :math:`\bar T`, :math:`\alpha + \beta \bar T`, and they
    hardly do.

    Parameters
    ----------
    temp, log_ozone : array_like of shape (n_days,)
        The station's days.
    alpha, beta : array_like of shape (n_draws,)
        Posterior draws of its intercept at 0 °C and its slope.
    centred : bool
        Draw against temperature minus :math:`\bar T` (the build-up's second step).
    n_lines : int
        Lines drawn (evenly spaced draws); the right panel marks the same draws.
    beta_lim : (low, high), optional
        The slope axis' limits (shared by the build-up's steps).
    intercept_span : float, optional
        The intercept axis' width (shared by the build-up's steps), centred on the cloud.

    Returns
    -------
    Figure
        Left axes: the days (scatter "days"), ``n_lines`` lines (gid "posterior line"), a
        dashed line at the pivot. Right axes: every draw (scatter "posterior draws") and the
        drawn lines' draws (scatter "these lines"). The title states the correlation of the
        right panel's draws (and, centred, the uncentred one too).
    """
    t, y = np.ravel(temp).astype(float), np.ravel(log_ozone).astype(float)
    a, b = np.ravel(alpha).astype(float), np.ravel(beta).astype(float)
    tbar = float(t.mean())
    shift = tbar if centred else 0.0
    intercept = a + b * shift
    fig = fig if fig is not None else plt.figure(layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(1.25, 1))
    x = t - shift
    lo, hi = min(float(x.min()), -shift), max(float(x.max()), 0.0)
    grid = np.linspace(min(lo, 0.0), hi, 50)
    pick = np.linspace(0, len(a) - 1, n_lines).astype(int)
    left.scatter(x, y, s=40, color=color, alpha=0.6, edgecolors="none", label="days", zorder=3)
    for i in pick:
        left.plot(
            grid, intercept[i] + b[i] * grid, color="0.25", lw=0.8, alpha=0.5, gid="posterior line"
        )
    pivot = tbar - shift
    left.axvline(pivot, color="black", ls="--", lw=1.5)
    if not centred:
        left.axvline(0.0, color="0.5", lw=1.5, ls=":")
        left.annotate(
            r"$\alpha$: the height at 0 °C",
            (0.0, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(6, -8),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=14,
        )
    left.set_xlabel(f"temperature − its days' mean {tbar:.1f} °C (°C)" if centred else TEMP_LABEL)
    left.set_ylabel(OZONE_LABEL)
    pad = 0.15 * float(np.ptp(y))
    left.set_ylim(float(y.min()) - pad, float(y.max()) + 2 * pad)
    left.annotate(
        "pivot: the days' mean" if not centred else "pivot: 0 = the days' mean",
        (pivot, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(6, -8),
        textcoords="offset points",
        va="top",
        fontsize=14,
    )
    right.scatter(
        intercept, b, s=6, color="0.75", linewidths=0, label="posterior draws", rasterized=True
    )
    right.scatter(intercept[pick], b[pick], s=36, color="0.25", label="these lines", zorder=3)
    right.set_xlabel(
        rf"$\alpha + \beta\,\bar T$ (log µg/m³ at {tbar:.1f} °C)"
        if centred
        else r"$\alpha$ (log µg/m³ at 0 °C)"
    )
    right.set_ylabel(r"$\beta$ (log µg/m³ per °C)")
    if beta_lim is not None:
        right.set_ylim(*beta_lim)
    if intercept_span is not None:  # the same width in both steps, around this step's cloud
        middle = (float(intercept.min()) + float(intercept.max())) / 2
        right.set_xlim(middle - intercept_span / 2, middle + intercept_span / 2)
    right.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=14)
    r_raw, r_centred = _corr(a, b), _corr(a + b * tbar, b)
    if centred:
        text = (
            f"{name}, centred at {tbar:.1f} °C: "
            rf"|corr($\alpha$, $\beta$)| shrinks from {abs(r_raw):.2f} to {abs(r_centred):.2f}"
        )
        numbers = {"r_uncentred": r_raw, "r_centred": r_centred, "mean_temp": tbar}
    else:
        text = (
            f"{name}'s lines pivot at its days' mean, {tbar:.1f} °C: "
            rf"corr($\alpha$, $\beta$) = " + _minus(f"{r_raw:.2f}")
        )
        numbers = {"r_uncentred": r_raw, "mean_temp": tbar}
    return _title(fig, text, numbers, {"alpha": a, "beta": b, "temp": t})
