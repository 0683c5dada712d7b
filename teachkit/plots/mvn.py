"""Figure: a bivariate normal against two independent normals with the same marginals."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from scipy import stats

from teachkit.mvn import ellipse

__all__ = ["plot_mvn_vs_independent"]


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
