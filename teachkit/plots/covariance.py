"""Figures of the core maths: Sigma = diag R diag, LKJ densities, the elliptope, z -> L z."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from teachkit.covariance import build_covariance, feasible_rho_interval, validate_correlation
from teachkit.lkj import lkj_marginal_pdf
from teachkit.mvn import cholesky_factor, ellipse

__all__ = [
    "plot_cholesky_map",
    "plot_covariance_factoring",
    "plot_elliptope",
    "plot_lkj_densities",
]

LECTURE_INVALID = ((0, 1, 0.9), (0, 2, 0.8), (1, 2, -0.9))


def plot_covariance_factoring(
    sds: ArrayLike, corr: ArrayLike, *, labels: Sequence[str] | None = None,
    fig: Figure | None = None,
) -> Figure:  # fmt: skip
    """Sigma = diag(sigma) R diag(sigma) as heat maps: Sigma, then its three factors.

    Returns
    -------
    Figure
        Four heat-map axes titled "Σ", "diag(σ)", "R", "diag(σ)", each cell annotated.
    """
    s = np.asarray(sds, dtype=float)
    r = validate_correlation(corr)
    sigma = build_covariance(s, r)
    names = list(labels) if labels is not None else [f"x{i + 1}" for i in range(len(s))]
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(1, 4)
    panels = (("Σ", sigma), ("diag(σ)", np.diag(s)), ("R", r), ("diag(σ)", np.diag(s)))
    limit = max(np.abs(sigma).max(), s.max() if s.size else 1.0, 1.0)
    for ax, (title, m) in zip(axes, panels, strict=True):
        ax.imshow(m, cmap="RdBu_r", vmin=-limit, vmax=limit)
        for (i, j), v in np.ndenumerate(m):
            ax.text(j, i, f"{v:.2g}", ha="center", va="center", fontsize=14)
        ax.set_title(title)
        ax.set_xticks(range(len(names)), names)
        ax.set_yticks(range(len(names)), names)
    fig.suptitle("Σ  =  diag(σ) · R · diag(σ)")
    return fig


def plot_lkj_densities(
    etas: Sequence[float] = (0.5, 1.0, 2.0, 4.0), dim: int = 2, *, ax: Axes | None = None
) -> Axes:
    """The exact marginal density of one correlation under LKJ(eta), one curve per eta."""
    ax = ax if ax is not None else plt.figure().subplots()
    r = np.linspace(-1, 1, 401)[1:-1]
    for eta in etas:
        ax.plot(r, lkj_marginal_pdf(r, eta, dim), label=f"η = {eta:g}")
    ax.set_xlabel("ρ")
    ax.set_ylabel("density")
    ax.set_ylim(0, min(ax.get_ylim()[1], 3.0))
    ax.set_title(f"LKJ(η) prior on a correlation ({dim}×{dim} matrix)")
    ax.legend()
    return ax


def plot_elliptope(*, n_grid: int = 60, fig: Figure | None = None) -> Axes:
    """The set of valid 3x3 correlation matrices, with the lecture's invalid matrix outside.

    For each (rho_xy, rho_xz) the valid rho_yz fill the interval of
    :func:`teachkit.covariance.feasible_rho_interval`; its two ends form the upper and lower
    surfaces of the "elliptope". The lecture's matrix (0.9, 0.8, -0.9) is marked in red.

    Returns
    -------
    Axes
        A 3-D axes with two surfaces and one marked point (label "lecture's matrix").
    """
    fig = fig if fig is not None else plt.figure()
    ax = fig.add_subplot(projection="3d")
    g = np.linspace(-1, 1, n_grid)
    a, b = np.meshgrid(g, g)
    low, high = np.vectorize(feasible_rho_interval)(a, b)
    for surface in (low, high):
        ax.plot_surface(a, b, surface, color="C0", alpha=0.35, linewidth=0)
    x, y, z = (v for _, _, v in LECTURE_INVALID)
    ax.scatter([x], [y], [z], color="C5", s=80, depthshade=False, label="lecture's matrix")
    ax.set_xlabel("ρ_xy")
    ax.set_ylabel("ρ_xz")
    ax.set_zlabel("ρ_yz")
    ax.set_title("Valid 3×3 correlation matrices (inside the surface)")
    ax.legend(loc="upper left")
    return ax


def plot_cholesky_map(
    cov: ArrayLike, *, n: int = 400, rng: int = 0, fig: Figure | None = None
) -> Figure:
    """Z ~ N(0, I) on the left, x = L z ~ N(0, Sigma) on the right, points coloured alike.

    Returns
    -------
    Figure
        Two axes titled "z ~ N(0, I)" and "x = L z ~ N(0, Σ)", each with one scatter of ``n``
        points and the 94% ellipse of its distribution.
    """
    c = np.asarray(cov, dtype=float)
    factor = cholesky_factor(c)
    z = np.random.default_rng(rng).standard_normal((n, 2))
    x = z @ factor.T
    colour = np.arctan2(z[:, 1], z[:, 0])
    fig = fig if fig is not None else plt.figure(layout="constrained")
    left, right = fig.subplots(1, 2)
    for ax, pts, cv, title in (
        (left, z, np.eye(2), "z ~ N(0, I)"),
        (right, x, c, "x = L z ~ N(0, Σ)"),
    ):
        ax.scatter(pts[:, 0], pts[:, 1], c=colour, cmap="twilight", s=14)
        ring = ellipse([0.0, 0.0], cv, mass=0.94)
        ax.plot(ring[:, 0], ring[:, 1], color="black")
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_title(title)
    fig.suptitle(f"L = [[{factor[0, 0]:.2g}, 0], [{factor[1, 0]:.2g}, {factor[1, 1]:.2g}]]")
    return fig
