"""Figures of the core maths: Sigma = diag R diag, LKJ densities, the elliptope, z -> L z."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from teachkit.covariance import (
    build_covariance,
    feasible_rho_interval,
    nearest_correlation,
    validate_correlation,
)
from teachkit.lkj import lkj_marginal_pdf
from teachkit.mvn import cholesky_factor, ellipse

__all__ = [
    "LECTURE_INVALID",
    "lecture_matrices",
    "plot_cholesky_map",
    "plot_covariance_factoring",
    "plot_elliptope",
    "plot_lkj_densities",
]

#: The lecture's invalid 3x3 "correlation matrix": (row, column, entry) above the diagonal.
LECTURE_INVALID = ((0, 1, 0.9), (0, 2, 0.8), (1, 2, -0.9))


def lecture_matrices() -> tuple[np.ndarray, np.ndarray]:
    """The lecture's invalid matrix and its nearest correlation matrix (Higham 2002).

    Returns
    -------
    invalid, nearest : ndarray of shape (3, 3)
    """
    invalid = np.eye(3)
    for i, j, v in LECTURE_INVALID:
        invalid[i, j] = invalid[j, i] = v
    return invalid, nearest_correlation(invalid)


def plot_covariance_factoring(
    sds: ArrayLike,
    corr: ArrayLike,
    *,
    labels: Sequence[str] | None = None,
    fig: Figure | None = None,
) -> Figure:
    r"""Sigma = diag(sigma) R diag(sigma) as heat maps: Sigma, then its three factors.

    Returns
    -------
    Figure
        Four heat-map axes titled "$\Sigma$", "$\mathrm{diag}(\sigma)$", "$R$",
        "$\mathrm{diag}(\sigma)$", each cell annotated; "=" and "·" between them.
    """
    s = np.asarray(sds, dtype=float)
    r = validate_correlation(corr)
    sigma = build_covariance(s, r)
    names = list(labels) if labels is not None else [f"$x_{i + 1}$" for i in range(len(s))]
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(1, 4)
    diag = r"$\mathrm{diag}(\sigma)$"
    panels = ((r"$\Sigma$", sigma), (diag, np.diag(s)), ("$R$", r), (diag, np.diag(s)))
    limit = max(np.abs(sigma).max(), s.max() if s.size else 1.0, 1.0)
    for ax, (title, m) in zip(axes, panels, strict=True):
        ax.imshow(m, cmap="RdBu_r", vmin=-limit, vmax=limit)
        for (i, j), v in np.ndenumerate(m):
            ax.text(j, i, f"{v:.2g}", ha="center", va="center", fontsize=18)
        ax.set_title(title, fontsize=22)
        ax.set_xticks(range(len(names)), names)
        ax.set_yticks(range(len(names)), names)
    for ax, sign in zip(axes[:3], ("=", "·", "·"), strict=True):
        ax.annotate(
            sign,
            (1.0, 0.5),
            xycoords="axes fraction",
            xytext=(0.16, 0.5),
            textcoords="offset fontsize",
            fontsize=30,
            ha="left",
            va="center",
        )
    fig.suptitle(
        r"$\Sigma = \mathrm{diag}(\sigma)\,R\,\mathrm{diag}(\sigma)$: "
        "the correlations, scaled by the sds on both sides"
    )
    return fig


def plot_lkj_densities(
    etas: Sequence[float] = (0.5, 1.0, 2.0, 4.0), dim: int = 2, *, ax: Axes | None = None
) -> Axes:
    """The exact marginal density of one correlation under LKJ(eta), one curve per eta."""
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    r = np.linspace(-1, 1, 401)[1:-1]
    for eta in etas:
        ax.plot(r, lkj_marginal_pdf(r, eta, dim), label=rf"$\eta = {eta:g}$", lw=3)
    ax.set_xlabel(r"correlation $\rho$")
    ax.set_ylabel("prior density")
    ax.set_ylim(0, min(ax.get_ylim()[1], 3.0))
    ax.set_xlim(-1.05, 1.05)
    ax.set_xticks([-1, -0.5, 0, 0.5, 1])
    ax.set_title(
        rf"LKJ($\eta$) on one correlation of a {dim}×{dim} matrix: "
        r"$\eta = 1$ is flat, larger $\eta$ pulls $\rho$ to 0"
    )
    ax.legend(loc="upper left")
    return ax


def plot_elliptope(*, n_grid: int = 60, fig: Figure | None = None) -> Axes:
    """The set of valid 3x3 correlation matrices, with the lecture's invalid matrix outside.

    For each (rho_xy, rho_xz) the valid rho_yz fill the interval of
    :func:`teachkit.covariance.feasible_rho_interval`; its two ends form the upper and lower
    surfaces of the "elliptope". The lecture's matrix (0.9, 0.8, -0.9) is marked outside, and
    a line joins it to its nearest valid matrix (:func:`lecture_matrices`), which lies on the
    surface. Ticks are at -1, 0 and 1 only, so their labels never crowd.

    Returns
    -------
    Axes
        A 3-D axes with two surfaces, the marked points (labels "lecture's matrix (invalid)"
        and "nearest valid matrix") and the line joining them (label "nearest valid matrix").
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    ax = fig.add_subplot(projection="3d", computed_zorder=False)  # the points stay on top
    g = np.linspace(-1, 1, n_grid)
    a, b = np.meshgrid(g, g)
    low, high = np.vectorize(feasible_rho_interval)(a, b)
    for surface in (low, high):
        ax.plot_surface(
            a,
            b,
            surface,
            color="C0",
            alpha=0.25,
            linewidth=0.2,
            edgecolor="C0",
            rcount=24,
            ccount=24,
        )
    invalid, nearest = lecture_matrices()
    bad = invalid[[0, 0, 1], [1, 2, 2]]
    good = nearest[[0, 0, 1], [1, 2, 2]]
    ax.plot(
        *np.column_stack([bad, good]),
        color="black",
        lw=2.5,
        ls="--",
        zorder=4,
        label="to the nearest valid matrix",
    )
    ax.scatter(
        *bad,
        color="C5",
        s=160,
        depthshade=False,
        edgecolors="black",
        zorder=5,
        label=f"lecture's matrix ({bad[0]:g}, {bad[1]:g}, {bad[2]:g}): invalid",
    )
    where = ", ".join(f"{v:.2f}" for v in good)
    ax.scatter(
        *good,
        color="C2",
        s=160,
        depthshade=False,
        edgecolors="black",
        zorder=5,
        label=f"nearest valid ({where}): on the surface",
    )
    for setter in (ax.set_xticks, ax.set_yticks, ax.set_zticks):
        setter([-1, 0, 1])
    ax.set_xlabel(r"$\rho_{xy}$", labelpad=12)
    ax.set_ylabel(r"$\rho_{xz}$", labelpad=12)
    ax.set_zlabel(r"$\rho_{yz}$", labelpad=12)
    ax.tick_params(labelsize=15, pad=4)
    ax.view_init(elev=18, azim=-58)
    ax.set_box_aspect((1, 1, 1), zoom=1.05)
    ax.set_title("Valid correlation matrices fill the elliptope; the lecture's matrix is outside")
    ax.legend(loc="upper left", bbox_to_anchor=(-0.35, 1.0), fontsize=14)
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
    for ax, pts, cv, title, names in (
        (left, z, np.eye(2), r"$z \sim N(0, I)$", ("$z_1$", "$z_2$")),
        (right, x, c, r"$x = L z \sim N(0, \Sigma)$", ("$x_1$", "$x_2$")),
    ):
        ax.scatter(pts[:, 0], pts[:, 1], c=colour, cmap="twilight", s=16)
        ring = ellipse([0.0, 0.0], cv, mass=0.94)
        ax.plot(ring[:, 0], ring[:, 1], color="black", label="94% ellipse")
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_title(title)
        ax.set_xlabel(names[0])
        ax.set_ylabel(names[1])
    left.legend(loc="upper left")
    right.text(
        0.98,
        0.02,
        f"L = [[{factor[0, 0]:.2g}, 0],\n       [{factor[1, 0]:.2g}, {factor[1, 1]:.2g}]]",
        transform=right.transAxes,
        ha="right",
        va="bottom",
        family="monospace",
        fontsize=15,
    )
    fig.suptitle("The Cholesky factor L turns independent normals into correlated ones")
    return fig
