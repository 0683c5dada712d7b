"""Figures: a bivariate normal against two independent normals with the same marginals."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from scipy import stats

from teachkit.figure_entry import Claim, attach_claim
from teachkit.mvn import ellipse
from teachkit.plots.labels import matrix_tex
from teachkit.plots.style import darker

__all__ = ["MVN_STEPS", "plot_mvn_buildup", "plot_mvn_vs_independent"]

#: The steps of :func:`plot_mvn_buildup`: the correlated sample, beside the independent one,
#: and their marginals.
MVN_STEPS = (1, 2, 3)


def plot_mvn_vs_independent(
    joint: ArrayLike,
    independent: ArrayLike,
    mean: ArrayLike,
    cov: ArrayLike,
    *,
    mass: float = 0.94,
    fig: Figure | None = None,
) -> Figure:
    """Two scatters side by side, each with its marginal histograms.

    The left panel is a sample from N(mean, cov); the right one from two independent normals
    with the same means and variances. The marginals (top and right of each scatter) look the
    same; only the joint picture shows the correlation. Each scatter carries the exact
    ``mass`` ellipse of its distribution.

    Parameters
    ----------
    joint, independent : array_like of shape (n, 2)
        Draws from the correlated and from the independent normal.
    mean : array_like of shape (2,)
    cov : array_like of shape (2, 2)
        Covariance of the correlated normal; the independent one has ``diag(diag(cov))``.
    mass : float
        Probability inside the drawn ellipses.
    fig : Figure, optional

    Returns
    -------
    Figure
        Six axes: for each panel a scatter (titled "correlated" / "independent"), a top and a
        right marginal histogram with the exact normal density.

    Examples
    --------
    >>> from teachkit.mvn import sample_mvn
    >>> cov = np.array([[4.0, -1.6], [-1.6, 1.0]])
    >>> xy = sample_mvn([0, 0], cov, size=300, rng=0)
    >>> ind = sample_mvn([0, 0], np.diag(np.diag(cov)), size=300, rng=1)
    >>> len(plot_mvn_vs_independent(xy, ind, [0, 0], cov).axes)
    6
    """
    mu = np.asarray(mean, dtype=float)
    c = np.asarray(cov, dtype=float)
    c_ind = np.diag(np.diag(c))
    fig = fig if fig is not None else plt.figure(layout="constrained")
    grid = fig.add_gridspec(
        2, 5, width_ratios=(4, 1, 0.7, 4, 1), height_ratios=(1, 4), wspace=0.05, hspace=0.05
    )
    panels = (
        ("correlated", np.asarray(joint, dtype=float), c, 0, "C0"),
        ("independent", np.asarray(independent, dtype=float), c_ind, 3, "C1"),
    )
    main_axes: list[Axes] = []
    for title, xy, cv, col, colour in panels:
        first = main_axes[0] if main_axes else None
        ax = fig.add_subplot(grid[1, col], sharex=first, sharey=first)
        top = fig.add_subplot(grid[0, col], sharex=ax)
        right = fig.add_subplot(grid[1, col + 1], sharey=ax)
        ax.scatter(xy[:, 0], xy[:, 1], s=8, alpha=0.35, color=colour, label="draws")
        ring = ellipse(mu, cv, mass=mass)
        ax.plot(ring[:, 0], ring[:, 1], color="black", label=f"{mass:.0%} region")
        ax.set_xlabel("$x$")
        ax.set_ylabel("$y$")
        rho = cv[0, 1] / np.sqrt(cv[0, 0] * cv[1, 1])
        top.set_title(rf"{title}: $\rho = {rho:.2g}$")
        for k, (marg, horizontal) in enumerate(((top, True), (right, False))):
            sd = np.sqrt(cv[k, k])
            t = np.linspace(mu[k] - 4 * sd, mu[k] + 4 * sd, 200)
            dens = stats.norm.pdf(t, mu[k], sd)
            orientation = "vertical" if horizontal else "horizontal"
            marg.hist(
                xy[:, k], bins=30, density=True, color=colour, alpha=0.45, orientation=orientation
            )
            if horizontal:
                marg.plot(t, dens, color="black")
            else:
                marg.plot(dens, t, color="black")
            marg.axis("off")
        main_axes.append(ax)
    main_axes[0].legend(loc="upper right")
    fig.suptitle("Same marginals, different joint distributions")
    return fig


def _inner_ticks(centre: float, half: float) -> np.ndarray:
    """Ticks at "nice" steps strictly inside ``centre +- half``."""
    step = 2.0 if half > 4 else 1.0
    ticks = np.arange(np.ceil((centre - half) / step), np.floor((centre + half) / step) + 1) * step
    return ticks[(ticks > centre - half) & (ticks < centre + half)]


def _corr(xy: np.ndarray) -> float:
    return float(np.corrcoef(xy.T)[0, 1])


#: The build-up's scatter limits: this many sds either side of the mean (a sample of 1,000
#: has about one point per variable beyond 3.5 sds: the cloud fills the panel).
SCATTER_SDS = 3.5


def plot_mvn_buildup(
    joint: ArrayLike,
    independent: ArrayLike,
    cov: ArrayLike,
    *,
    step: int,
    mean: ArrayLike = (0.0, 0.0),
    masses: tuple[float, float] = (0.5, 0.94),
    fig: Figure | None = None,
) -> Figure:
    r"""A three-step build-up: a correlated sample, the independent one beside it, the marginals.

    Every step has the same layout, axes and limits (a presenter clicks through them): two
    scatter panels with **equal aspect**, so that the independent sample of
    :math:`\Sigma = \mathrm{diag}(4, 1)` is a 2:1 ellipse and not a circle, above two
    histogram panels, one per variable. Step 1 draws the correlated sample with its ``masses``
    ellipses; step 2 adds the independent sample (same means and variances); step 3 adds the
    two samples' marginal histograms overlaid per variable, both variables on the same range
    (so that :math:`y`'s narrower marginal looks narrower), each sample's sd written in its
    colour. Panels a step does not use are
    hidden, not removed.

    The title's claim is computed from the drawn samples and attached (:func:`claim_of`):
    step 1 the sample correlation :math:`r`; step 2 the independent sample's :math:`r` and its
    sd ratio :math:`s_x / s_y`; step 3 the four marginal sds.

    Parameters
    ----------
    joint, independent : array_like of shape (n, 2)
        Draws from :math:`N(\mu, \Sigma)` and from :math:`N(\mu, \mathrm{diag}(\Sigma))`.
    cov : array_like of shape (2, 2)
        :math:`\Sigma`, printed over the left panel; its diagonal over the right one.
    step : {1, 2, 3}
    mean : array_like of shape (2,)
    masses : pair of float
        Probabilities inside the two drawn ellipses.
    fig : Figure, optional

    Returns
    -------
    Figure
        Four axes: the scatters (each with one collection of the draws, one line per ellipse)
        and the histograms of :math:`x` and of :math:`y`; the claim is attached.

    Examples
    --------
    >>> from teachkit.mvn import sample_mvn
    >>> cov = np.array([[4.0, -1.6], [-1.6, 1.0]])
    >>> xy = sample_mvn([0, 0], cov, size=300, rng=0)
    >>> ind = sample_mvn([0, 0], np.diag(np.diag(cov)), size=300, rng=1)
    >>> from teachkit.figure_entry import claim_of
    >>> sorted(claim_of(plot_mvn_buildup(xy, ind, cov, step=2)).numbers)
    ['r_independent', 'sd_ratio']
    """
    if step not in MVN_STEPS:
        raise ValueError(f"step must be one of {MVN_STEPS}, got {step}")
    mu = np.asarray(mean, dtype=float)
    c = np.asarray(cov, dtype=float)
    samples = (np.asarray(joint, dtype=float), np.asarray(independent, dtype=float))
    covs = (c, np.diag(np.diag(c)))
    names = ("correlated", "independent")
    colours = ("C0", "C1")
    sds = np.sqrt(np.diag(c))
    half = SCATTER_SDS * sds  # the limits, the same in every step
    fig = fig if fig is not None else plt.figure()
    fig.set_layout_engine("none")  # fixed positions: every step's panels sit in the same place
    grid = fig.add_gridspec(
        2,
        2,
        height_ratios=(2.5, 1.0),
        left=0.065,
        right=0.99,
        top=0.84,
        bottom=0.09,
        wspace=0.12,
        hspace=0.45,
    )
    scatter_axes = [fig.add_subplot(grid[0, k]) for k in range(2)]
    hist_axes = [fig.add_subplot(grid[1, k]) for k in range(2)]
    for k, (ax, xy, cv, name, colour) in enumerate(
        zip(scatter_axes, samples, covs, names, colours, strict=True)
    ):
        ax.set_xlim(mu[0] - half[0], mu[0] + half[0])
        ax.set_ylim(mu[1] - half[1], mu[1] + half[1])
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks(_inner_ticks(mu[0], half[0]))  # no tick label in the corner
        ax.set_xlabel("$x$")
        ax.set_ylabel("$y$", rotation=0, labelpad=12)
        ax.set_title(rf"{name}:  $\Sigma = {matrix_tex(cv)}$", color=colour, fontsize=19, pad=10)
        ax.set_visible(step >= 2 or k == 0)
        ax.scatter(xy[:, 0], xy[:, 1], s=14, alpha=0.45, color=colour, linewidths=0)
        for mass, style in zip(masses, ("--", "-"), strict=True):
            ring = ellipse(mu, cv, mass=mass)
            ax.plot(ring[:, 0], ring[:, 1], color="black", ls=style, lw=2)
            end = ring[np.argmax(ring[:, 0] + 0.3 * ring[:, 1])]
            ax.annotate(
                f"{mass:.0%}",
                end,
                xytext=(6, 0),
                textcoords="offset points",
                fontsize=15,
                va="center",
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
            )
    reach = float(half.max())  # both marginals on the same range: y's is seen to be narrower
    for k, ax in enumerate(hist_axes):
        edges = np.linspace(mu[k] - reach, mu[k] + reach, 41)
        top = 0.0
        for j, (xy, name, colour) in enumerate(zip(samples, names, colours, strict=True)):
            heights, _, _ = (
                ax.hist(  # outlines only: two filled histograms blend into a third colour
                    xy[:, k],
                    bins=edges,
                    density=True,
                    histtype="step",
                    lw=2.5,
                    color=colour,
                    label=name,
                )
            )
            top = max(top, float(np.max(heights)))
            ax.text(
                0.99,
                0.99 - 0.2 * j,
                f"{name}: sd {xy[:, k].std(ddof=1):.2f}",
                transform=ax.transAxes,
                ha="right",
                va="top",
                fontsize=17,
                color=darker(colour, 0.3),
            )
        t = np.linspace(edges[0], edges[-1], 400)
        ax.plot(t, stats.norm.pdf(t, mu[k], sds[k]), color="black", lw=1.5, label="exact")
        ax.set_xlim(edges[0], edges[-1])
        ax.set_ylim(0, 1.75 * top)  # headroom: the sds are written above the bars
        ax.set_xticks(_inner_ticks(mu[k], reach))
        ax.set_xlabel("$x$" if k == 0 else "$y$")
        ax.set_yticks([])
        ax.set_ylabel("density")
        ax.spines["left"].set_visible(False)
        ax.set_visible(step == 3)
    hist_axes[0].legend(
        loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3, fontsize=15, borderaxespad=0.2
    )
    r = [_corr(xy) for xy in samples]
    marg = [[float(xy[:, k].std(ddof=1)) for xy in samples] for k in range(2)]
    rho = c[0, 1] / np.sqrt(c[0, 0] * c[1, 1])
    if step == 1:
        numbers = {"r_joint": r[0]}
        text = (
            rf"$\mathrm{{MVNormal}}(0, \Sigma)$ with $\rho = {rho:.2g}$: a tilted ellipse, "
            rf"sample correlation $r = {r[0]:.2f}$"
        )
    elif step == 2:
        ratio = marg[0][1] / marg[1][1]
        numbers = {"r_independent": r[1], "sd_ratio": ratio}
        text = (
            rf"Independent, same variances: a {ratio:.1f} : 1 ellipse, not a circle "
            rf"($r = {r[1]:.2f}$)"
        )
    else:
        numbers = {
            "sd_x_joint": marg[0][0],
            "sd_x_independent": marg[0][1],
            "sd_y_joint": marg[1][0],
            "sd_y_independent": marg[1][1],
        }
        text = (
            rf"Same marginals: sds of $x, y$ {marg[0][0]:.2f}, {marg[1][0]:.2f} correlated, "
            rf"{marg[0][1]:.2f}, {marg[1][1]:.2f} independent"
        )
    fig.suptitle(text)
    claim = Claim(text, numbers, {"joint": samples[0], "independent": samples[1]})
    return attach_claim(fig, claim)
