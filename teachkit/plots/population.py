"""A population of (intercept, slope) pairs: the groups against its ellipses, and a new group.

The covarying model's population is a bivariate normal of each group's intercept and slope
(Gelman & Hill 2007, sec. 13.1; McElreath 2020, sec. 14.1); its ellipses hold 50% and 94% of
it (:func:`teachkit.mvn.ellipse`), and a new group's slope given its intercept has the normal
conditional sd :func:`conditional_sd`. Drawn for the ozone stations and any grouped table.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from scipy import stats

from teachkit.figure_entry import Claim, attach_claim
from teachkit.mvn import ellipse
from teachkit.plots.loo import minus
from teachkit.plots.style import station_color

__all__ = [
    "ELLIPSE_STYLES",
    "MASSES",
    "NARROWS",
    "conditional_sd",
    "ellipse_lines",
    "plot_alpha_beta_population",
    "plot_new_station",
    "significant",
]


#: The population ellipses' probability masses.
MASSES = (0.5, 0.94)
#: Their line styles, the same on every slide that draws a population: dashed 50%, solid 94%.
ELLIPSE_STYLES = ("--", "-")
#: The new-group title says the intercept predicts the slope only when the slope's sd given
#: the intercept is at most this share of its sd not given it: a 94% bar at least 10% shorter
#: (:math:`|\rho| \geq 0.44`). Below that, the difference is about the sds' own Monte-Carlo
#: error at a few hundred draws (:math:`1/\sqrt{2n}`, 3-4%) and no difference a reader sees
#: in the bars' lengths.
NARROWS = 0.9


def significant(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits, never in exponent form.

    Examples
    --------
    >>> significant(288.6912), significant(0.012345), significant(12345.0)
    ('289', '0.0123', '12300')
    """
    return np.format_float_positional(
        float(value), precision=digits, unique=False, fractional=False, trim="-"
    )


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


def ellipse_lines(
    ax: Axes, mean: np.ndarray, cov: np.ndarray, *, tagged: bool = True, **kwargs: object
) -> None:
    """The 50% and 94% ellipses; ``tagged``: each with its mass written above its top."""
    for mass, style in zip(MASSES, ELLIPSE_STYLES, strict=True):
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
    labels: tuple[str, str] = (r"intercept $\alpha_j$", r"slope $\beta_j$"),
    noun: str = "group",
    r_of: str | None = None,
    name_groups: bool = True,
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
    labels : (str, str)
        The axis labels, with units.
    noun : str
        What a group is ("station means", "r of station means").
    r_of : str, optional
        What the title's r is the correlation of (default "<noun> means").
    name_groups : bool
        Name each group in the legend; otherwise the legend keys only the means and ellipses.

    Returns
    -------
    Axes
        One scatter of draws per station (label: its name), one scatter "station means", the
        black lines "50% ellipse" (dashed) and "94% ellipse" (solid), a legend outside the axes.
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
        label=f"{noun} means",
    )
    ellipse_lines(ax, mu, c, tagged=False, color="black")  # the legend names them
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    handles, texts = ax.get_legend_handles_labels()
    start = 0 if name_groups else a.shape[1]  # without the groups: means and ellipses only
    legend = ax.legend(
        handles[start:], texts[start:], loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=14
    )
    for handle in legend.legend_handles:
        if handle is not None and hasattr(handle, "set_sizes"):
            handle.set_alpha(1)
            handle.set_sizes([70])
    means_handle = legend.legend_handles[a.shape[1] - start]
    means_handle.set_facecolor("white")  # type: ignore[union-attr]
    r = float(np.corrcoef(ma, mb)[0, 1])
    rho = float(c[0, 1] / np.sqrt(c[0, 0] * c[1, 1]))
    of = r_of if r_of is not None else f"{noun} means"
    text = f"r of {of} = {minus(f'{r:.2f}')}; model's " + r"$\rho$ = " + minus(f"{rho:.2f}")
    ax.figure.suptitle(text)
    data = {"alpha_means": ma, "beta_means": mb}
    attach_claim(ax.figure, Claim(text, {"r": r, "rho": rho}, data))
    return ax


def plot_new_station(
    predictive: dict[str, np.ndarray],
    estimates: dict[str, np.ndarray],
    *,
    at_sds: float = 1.5,
    max_draws: int = 1500,
    noun: str = "group",
    labels: tuple[str, str] = (r"$\alpha$", r"$\beta$"),
    slope_unit: str = "",
    digits: str = ".3g",
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
    noun : str
        What a group is ("a new station").
    labels : (str, str)
        The axis labels after "a new <noun>'s ", with units.
    slope_unit : str
        The slope's unit after its sds in the title (e.g. " per °C"), empty for none.
    digits : str
        Format of the sds in the title.

    Returns
    -------
    Figure
        One axes per model (shared x and y): faint draws, the 50% and 94% ellipses of the
        draws' mean and covariance, the stations (scatter "stations"), and a vertical bar
        (label "94% of beta given alpha") at the same intercept in every panel. The title
        gives the covarying draws' marginal sd of beta and its sd given alpha, and claims the
        intercept predicts the slope only when the latter is at most :data:`NARROWS` of the
        former (otherwise: knowing the intercept hardly narrows the slope).
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
            label=f"new-{noun} draws",
        )
        ellipse_lines(ax, mu, cov, color="black")
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
            label=f"{noun}s",
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
        ax.set_xlabel(f"a new {noun}'s {labels[0]}")
    axes[0].set_ylabel(f"a new {noun}'s {labels[1]}")
    low, high = np.vstack(shown).min(axis=0), np.vstack(shown).max(axis=0)
    pad = 0.12 * (high - low)
    axes[0].set_xlim(low[0] - pad[0], high[0] + pad[0])
    axes[0].set_ylim(low[1] - 2 * pad[1], high[1] + pad[1])
    axes[0].text(
        0.03,
        0.03,
        f"thick bar: 94% interval of $\\beta$ for a {noun}\n"
        f"whose $\\alpha$ is {significant(at)} (mean + {at_sds:g} sd)",
        transform=axes[0].transAxes,
        fontsize=14,
        va="bottom",
    )
    marginal, given = conditional_sd(np.cov(last.T))
    lead = (
        f"The covarying model predicts a new {noun}'s slope from its intercept"
        if given <= NARROWS * marginal
        else f"Knowing a new {noun}'s intercept hardly narrows its slope"
    )
    text = (
        f"{lead}:\n"
        rf"sd of $\beta$ given $\alpha$ {given:{digits}}{slope_unit}, "
        rf"against {marginal:{digits}} not given $\alpha$"
    )
    numbers = {"marginal_sd": marginal, "conditional_sd": given}
    fig.suptitle(text)
    return attach_claim(fig, Claim(text, numbers, {"covarying": last}))
