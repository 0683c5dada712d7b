"""The slide figures of the core maths: covariance, the LKJ prior, multivariate normals.

Each is a :class:`~teachkit.figure_entry.FigureEntry` drawing from :mod:`teachkit.covariance`,
:mod:`teachkit.lkj` and :mod:`teachkit.mvn` with the plots of :mod:`teachkit.plots`; the
registry of figures (:func:`teachkit.figures.registered_figures`) lists them after the case
studies' own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from teachkit.covariance import build_covariance
from teachkit.figure_entry import FigureData, FigureEntry

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CORE_FIGURES", "EXAMPLE_RHO", "EXAMPLE_SDS"]


#: The lecture's example: sds (2, 1) and correlation -0.8.
EXAMPLE_SDS = (2.0, 1.0)
EXAMPLE_RHO = -0.8


def _mvn(ctx: FigureData) -> Figure:
    from teachkit.demos import mvn_demo
    from teachkit.plots.mvn import plot_mvn_vs_independent

    demo = mvn_demo(list(EXAMPLE_SDS), EXAMPLE_RHO, rng=ctx.seed)
    return plot_mvn_vs_independent(demo.joint, demo.independent, demo.mean, demo.cov)


def _factoring(ctx: FigureData) -> Figure:
    from teachkit.plots.covariance import plot_covariance_factoring

    corr = [[1.0, EXAMPLE_RHO], [EXAMPLE_RHO, 1.0]]
    return plot_covariance_factoring(list(EXAMPLE_SDS), corr, labels=[r"$\alpha$", r"$\beta$"])


def _lkj(ctx: FigureData) -> Figure:
    from teachkit.plots.covariance import plot_lkj_densities

    return plot_lkj_densities((0.5, 1.0, 2.0, 4.0, 10.0)).figure


def _elliptope(ctx: FigureData) -> Figure:
    from teachkit.plots.covariance import plot_elliptope

    return plot_elliptope().figure


def _cholesky(ctx: FigureData) -> Figure:
    from teachkit.plots.covariance import plot_cholesky_map

    corr = [[1.0, EXAMPLE_RHO], [EXAMPLE_RHO, 1.0]]
    return plot_cholesky_map(build_covariance(list(EXAMPLE_SDS), corr))


#: The core-maths slides, in the lecture's order.
CORE_FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "covariance-mvn",
        "Bivariate normal against independent normals",
        _mvn,
        point="Two variables can have the same marginals and different joint distributions: "
        "only the joint picture shows their correlation.",
    ),
    FigureEntry(
        "covariance-factoring",
        "Sigma = diag(sigma) R diag(sigma) as heat maps",
        _factoring,
        point="A covariance matrix is its correlation matrix scaled by the sds on both sides: "
        "Sigma = diag(sigma) R diag(sigma).",
    ),
    FigureEntry(
        "covariance-lkj",
        "LKJ marginal density of one correlation, several eta",
        _lkj,
        point="LKJ(eta) sets how strongly the prior favours weak correlations: eta = 1 is flat, "
        "eta > 1 pulls rho toward 0 and eta < 1 pushes it toward -1 and 1.",
    ),
    FigureEntry(
        "covariance-elliptope",
        "Valid 3x3 correlation matrices (the elliptope)",
        _elliptope,
        point="Pairwise correlations cannot be chosen freely: valid 3x3 matrices fill the "
        "elliptope, the lecture's matrix lies outside it and its nearest valid matrix on it.",
    ),
    FigureEntry(
        "covariance-cholesky",
        "z ~ N(0, I) mapped by L to N(0, Sigma)",
        _cholesky,
        point="The Cholesky factor L turns independent standard normals z into x = L z, "
        "whose covariance is L L^T = Sigma.",
    ),
)
