"""The slide figures of the core maths: covariance, the LKJ prior, multivariate normals.

Each is a :class:`~teachkit.figure_entry.FigureEntry` drawing from :mod:`teachkit.covariance`,
:mod:`teachkit.lkj` and :mod:`teachkit.mvn` with the plots of :mod:`teachkit.plots`; the
registry of figures (:func:`teachkit.figures.registered_figures`) lists them after the case
studies' own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from teachkit.covariance import build_covariance
from teachkit.figure_entry import FigureData, FigureEntry

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CORE_FIGURES", "EXAMPLE_RHO", "EXAMPLE_SDS", "LECTURE_RHOS", "LKJ_ETA"]


#: The lecture's example: sds (2, 1) and correlation -0.8.
EXAMPLE_SDS = (2.0, 1.0)
EXAMPLE_RHO = -0.8


#: Draws in each sample of the multivariate-normal build-up.
MVN_DRAWS = 1000


def _mvn(step: int) -> Callable[[FigureData], Figure]:
    def draw(ctx: FigureData) -> Figure:
        from teachkit.demos import mvn_demo
        from teachkit.plots.mvn import plot_mvn_buildup

        demo = mvn_demo(list(EXAMPLE_SDS), EXAMPLE_RHO, draws=MVN_DRAWS, rng=ctx.seed)
        return plot_mvn_buildup(demo.joint, demo.independent, demo.cov, step=step)

    return draw


#: The lecture's two priors on a log-odds intercept: Normal(0, sd) for each sd.
LOGIT_PRIOR_SDS = (2.0, 10.0)


def _logit_prior(ctx: FigureData) -> Figure:
    from teachkit.plots.glm import plot_logit_prior

    return plot_logit_prior({rf"$N(0, {sd:g})$": sd for sd in LOGIT_PRIOR_SDS})


#: Prior draws per panel of the Wishart slide.
PRIOR_DRAWS = 2000
#: The lecture's LKJ shape (the model's prior on rho).
LKJ_ETA = 2.0
#: The lecture's "what's wrong?" correlations: rho_xy, rho_xz and the asked rho_yz.
LECTURE_RHOS = (0.9, 0.8, -0.9)


def _wishart(ctx: FigureData) -> Figure:
    from teachkit.demos import covariance_prior_draws
    from teachkit.plots.covariance import plot_prior_dependence

    draws = [
        covariance_prior_draws(prior, draws=PRIOR_DRAWS, eta=LKJ_ETA, rng=ctx.seed)
        for prior in ("inverse-wishart", "lkj")
    ]
    names = (
        r"$\Sigma \sim \mathrm{InvWishart}(3, I)$",
        rf"$R \sim \mathrm{{LKJ}}({LKJ_ETA:g})$, $\sigma_k \sim \mathrm{{HalfCauchy}}(1)$",
    )
    return plot_prior_dependence(draws, names, short_names=("Inverse Wishart", "LKJ"))


def _invalid(ctx: FigureData) -> Figure:
    from teachkit.plots.covariance import plot_feasible_interval

    return plot_feasible_interval(*LECTURE_RHOS)


def _factoring(ctx: FigureData) -> Figure:
    from teachkit.plots.covariance import plot_covariance_factoring

    corr = [[1.0, EXAMPLE_RHO], [EXAMPLE_RHO, 1.0]]
    return plot_covariance_factoring(list(EXAMPLE_SDS), corr, labels=[r"$\alpha$", r"$\beta$"])


def _lkj(ctx: FigureData) -> Figure:
    from teachkit.plots.covariance import plot_lkj_densities

    return plot_lkj_densities((0.5, 1.0, 2.0, 4.0, 10.0), highlight=LKJ_ETA).figure


def _elliptope(ctx: FigureData) -> Figure:
    from teachkit.plots.covariance import plot_correlation_slice

    return plot_correlation_slice(*LECTURE_RHOS)


def _cholesky(ctx: FigureData) -> Figure:
    from teachkit.plots.covariance import plot_cholesky_map

    corr = [[1.0, EXAMPLE_RHO], [EXAMPLE_RHO, 1.0]]
    return plot_cholesky_map(build_covariance(list(EXAMPLE_SDS), corr))


#: The core-maths slides, in the lecture's order.
CORE_FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "glm-logit-prior",
        "The inverse logit with log-odds +-4, and the prior on p of Normal(0, 2) and (0, 10)",
        _logit_prior,
        point="A vague prior on the log-odds is not vague on the probability: Normal(0, 10) "
        "piles p up at 0 and 1, while Normal(0, 2) keeps it mostly between 0.02 and 0.98.",
        row=1,
    ),
    FigureEntry(
        "covariance-mvn-1",
        "A sample from a bivariate normal with rho = -0.8, its ellipses, equal aspect",
        _mvn(1),
        point="A sample from a bivariate normal with a negative correlation fills a tilted "
        "ellipse, and its sample correlation estimates rho.",
        row=20,
    ),
    FigureEntry(
        "covariance-mvn-2",
        "The correlated sample beside independent normals with the same variances",
        _mvn(2),
        point="Independent normals with variances 4 and 1 fill an axis-aligned 2:1 ellipse, "
        "not a circle: only the tilt shows the correlation.",
        row=21,
    ),
    FigureEntry(
        "covariance-mvn-3",
        "The two samples' marginal histograms, overlaid per variable",
        _mvn(3),
        point="The correlated and the independent samples have the same marginals, so the "
        "marginals alone cannot reveal a correlation.",
        row=22,
    ),
    FigureEntry(
        "covariance-wishart",
        "(sigma_1, |rho|) under an inverse-Wishart prior against LKJ(2) with half-Cauchy sds, "
        "with the median |rho| per tenth of sigma_1",
        _wishart,
        point="An inverse-Wishart prior ties a correlation to the variances, while LKJ with "
        "separate priors on the sds sets them independently.",
        row=23,
    ),
    FigureEntry(
        "covariance-factoring",
        "Sigma = diag(sigma) R diag(sigma) as heat maps",
        _factoring,
        point="A covariance matrix is its correlation matrix scaled by the sds on both sides: "
        "Sigma = diag(sigma) R diag(sigma).",
        row=24,
    ),
    FigureEntry(
        "covariance-invalid",
        "The interval rho_yz must lie in given rho_xy and rho_xz, and det R against rho_yz",
        _invalid,
        point="Pairwise correlations cannot be chosen freely: given two of them, the third "
        "must lie in an interval, outside which det R is negative.",
        row=25,
    ),
    FigureEntry(
        "covariance-elliptope",
        "A slice of the elliptope: with rho_xy = 0.9, the valid (rho_xz, rho_yz) fill an "
        "ellipse; the lecture's pair lies outside it",
        _elliptope,
        point="With rho_xy = 0.9 fixed, only (rho_xz, rho_yz) inside a narrow ellipse give a "
        "valid correlation matrix, and the lecture's (0.8, -0.9) lies far outside it.",
        row=25,
    ),
    FigureEntry(
        "covariance-lkj",
        "LKJ marginal density of one correlation, several eta",
        _lkj,
        point="LKJ(eta) sets how strongly the prior favours weak correlations: eta = 1 is flat, "
        "eta > 1 pulls rho toward 0 and eta < 1 pushes it toward -1 and 1.",
        row=26,
    ),
    FigureEntry(
        "covariance-cholesky",
        "z ~ N(0, I) mapped by L to N(0, Sigma)",
        _cholesky,
        point="The Cholesky factor L turns independent standard normals z into x = L z, "
        "whose covariance is L L^T = Sigma.",
        row=30,
    ),
)
