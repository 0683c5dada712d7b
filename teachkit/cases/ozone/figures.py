"""The ozone case study's slide figures: the data, its four models, pooling and the funnel.

Each function draws one registered figure from a :class:`~teachkit.figures.FigureContext`,
which supplies the ozone table and the fits (from the fit store).
"""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from teachkit.cases.ozone.data import station_names
from teachkit.cases.ozone.models import ALPHA_PRIOR_SD, BETA_PRIOR_SD, no_pooling_estimates
from teachkit.covariance import build_covariance
from teachkit.figures import FigureContext, FigureEntry
from teachkit.posterior import draws

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FIGURES", "VAGUE_PRIOR_SDS", "prior_lines"]

#: Prior sds of (alpha, beta) of the prior-predictive figure's first, vague guess.
VAGUE_PRIOR_SDS = (10.0, 1.0)
#: Lines drawn per prior in the prior-predictive figure.
PRIOR_LINES = 60


def prior_lines(seed: int, n: int = PRIOR_LINES) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Intercepts and slopes drawn from a vague prior and from the lecture's, by title."""
    rng = np.random.default_rng(seed)
    lines = {}
    for label, (sa, sb) in (
        ("vague", VAGUE_PRIOR_SDS),
        ("the lecture's", (ALPHA_PRIOR_SD, BETA_PRIOR_SD)),
    ):
        lines[f"{label}: α ~ N(0, {sa:g}), β ~ N(0, {sb:g})"] = (
            rng.normal(0, sa, n),
            rng.normal(0, sb, n),
        )
    return lines


def _prior_predictive(ctx: FigureContext) -> Figure:
    from teachkit.plots.ozone import plot_prior_predictive

    y = ctx.data("ozone")["log_ozone"]
    return plot_prior_predictive(prior_lines(ctx.seed), (float(y.min()), float(y.max())))


def _data_pooled(ctx: FigureContext) -> Figure:
    from teachkit.plots.ozone import plot_ozone_data

    idata = ctx.fit("ozone", "pooled")
    pooled = (float(draws(idata, "alpha").mean()), float(draws(idata, "beta").mean()))
    return plot_ozone_data(ctx.data("ozone"), pooled).figure


def _station_intercepts(ctx: FigureContext) -> Figure:
    import arviz as az

    from teachkit.plots.ozone import plot_station_intercepts

    alpha = draws(ctx.fit("ozone", "varying_intercepts"), "alpha")
    hdi = np.array([az.hdi(alpha[:, j], hdi_prob=0.94) for j in range(alpha.shape[1])])
    summary = pd.DataFrame({"mean": alpha.mean(axis=0), "low": hdi[:, 0], "high": hdi[:, 1]})
    pooled = float(draws(ctx.fit("ozone", "pooled"), "alpha").mean())
    names = station_names(ctx.data("ozone"))
    return plot_station_intercepts(summary, pooled, names).figure


def _loo(ctx: FigureContext) -> Figure:
    from teachkit.plots.ozone import plot_loo

    return plot_loo(ctx.compare("ozone")).figure


def _station_lines(ctx: FigureContext) -> Figure:
    from teachkit.plots.ozone import plot_station_lines

    idata = ctx.fit("ozone", "varying_slopes")
    alpha, beta = draws(idata, "alpha").mean(axis=0), draws(idata, "beta").mean(axis=0)
    data = ctx.data("ozone")
    return plot_station_lines(alpha, beta, station_names(data), data).figure


def _trace(ctx: FigureContext) -> Figure:
    from teachkit.plots.ozone import plot_station_trace

    idata = ctx.fit("ozone", "covarying")
    return plot_station_trace(idata.posterior["alpha"], idata.posterior["beta"])


def _alpha_beta(ctx: FigureContext) -> Figure:
    from teachkit.plots.ozone import plot_alpha_beta_posterior

    idata = ctx.fit("ozone", "covarying")
    return plot_alpha_beta_posterior(draws(idata, "alpha"), draws(idata, "beta")).figure


def _lines_through_data(ctx: FigureContext) -> Figure:
    from teachkit.plots.ozone import plot_lines_through_data

    idata = ctx.fit("ozone", "covarying")
    alpha, beta = draws(idata, "alpha").mean(axis=0), draws(idata, "beta").mean(axis=0)
    return plot_lines_through_data(ctx.data("ozone"), alpha, beta).figure


def _shrinkage_1d(ctx: FigureContext) -> Figure:
    from teachkit.plots.pooling import plot_shrinkage_1d

    idata = ctx.fit("ozone", "varying_intercepts")
    beta = float(draws(idata, "beta").mean())
    no_pool = no_pooling_estimates(ctx.data("ozone"), common_slope=beta)[:, 0]
    partial = draws(idata, "alpha").mean(axis=0)
    pooled = float(draws(idata, "mu_alpha").mean())
    return plot_shrinkage_1d(no_pool, partial, pooled).figure


def _shrinkage_2d(ctx: FigureContext) -> Figure:
    from teachkit.plots.pooling import plot_shrinkage_2d

    idata = ctx.fit("ozone", "covarying")
    partial = np.column_stack(
        [draws(idata, "alpha").mean(axis=0), draws(idata, "beta").mean(axis=0)]
    )
    mean = [float(draws(idata, "mu_alpha").mean()), float(draws(idata, "mu_beta").mean())]
    sds = [float(draws(idata, "sigma_alpha").mean()), float(draws(idata, "sigma_beta").mean())]
    rho = float(draws(idata, "rho").mean())
    cov = build_covariance(sds, [[1.0, rho], [rho, 1.0]])
    own = no_pooling_estimates(ctx.data("ozone"))
    return plot_shrinkage_2d(own, partial, mean, cov).figure


def _funnel(ctx: FigureContext) -> Figure:
    from teachkit.plots.pooling import plot_funnel

    panels = {}
    for label, param in (("centred", "centered"), ("non-centred", "noncentered")):
        idata = ctx.fit("ozone", "covarying", parameterization=param)
        log_sd = np.log(draws(idata, "sigma_beta"))
        x = draws(idata, "beta")[:, 0] if param == "centered" else draws(idata, "z")[:, 0, 1]
        divergent = idata.sample_stats["diverging"].to_numpy().ravel()
        panels[label] = (x, log_sd, divergent)
    return plot_funnel(panels)


def _model_graph(ctx: FigureContext) -> Figure:
    from teachkit.cases.ozone.models import build_ozone_model
    from teachkit.plots.graph import plot_model_graph

    # the slides' form: one observed log_ozone per row, rather than the sufficient statistics
    built = build_ozone_model(ctx.data("ozone"), "covarying", likelihood="pointwise")
    with tempfile.TemporaryDirectory() as workdir:
        return plot_model_graph(built.model, workdir)


FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry("ozone-prior-predictive", "Prior predictive lines, vague and lecture",
                _prior_predictive),
    FigureEntry("ozone-data-pooled", "Log max ozone against temperature, pooled line",
                _data_pooled),
    FigureEntry("ozone-station-intercepts", "Station intercepts against the pooled one",
                _station_intercepts),
    FigureEntry("ozone-loo", "PSIS-LOO comparison of the four ozone models", _loo),
    FigureEntry("ozone-station-lines", "Station lines of the varying-slopes model",
                _station_lines),
    FigureEntry("ozone-trace", "Trace of station intercepts and slopes, coloured by station",
                _trace),
    FigureEntry("ozone-alpha-beta", "Posterior (alpha_j, beta_j): they co-vary negatively",
                _alpha_beta),
    FigureEntry("ozone-lines-through-data", "Each (alpha, beta) pair is a line",
                _lines_through_data),
    FigureEntry("pooling-shrinkage-1d", "No pooling to partial pooling, intercepts",
                _shrinkage_1d),
    FigureEntry("pooling-shrinkage-2d", "2-D shrinkage of (alpha_j, beta_j) with ellipses",
                _shrinkage_2d),
    FigureEntry("pooling-funnel", "Centred against non-centred: the funnel", _funnel),
    FigureEntry("model-graph", "Plate diagram of the covarying model (needs Graphviz dot)",
                _model_graph, needs_program="dot"),
)  # fmt: skip
