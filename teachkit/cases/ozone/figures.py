"""The ozone case study's slide figures: the data, its four models, pooling and the funnel.

Each function draws one registered figure from a :class:`~teachkit.figure_entry.FigureData`,
which supplies the ozone table and the fits (from the fit store). The pooling figures draw
tables with few days per station (:mod:`teachkit.cases.ozone.subsample`), where pooling and
the funnel show; :func:`funnel_figure`, :func:`shrinkage_1d_figure` and
:func:`shrinkage_2d_figure` draw them from any ozone table.
"""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from teachkit.cases.ozone.data import station_names
from teachkit.cases.ozone.models import ALPHA_PRIOR_SD, BETA_PRIOR_SD, no_pooling_estimates
from teachkit.cases.ozone.subsample import days_label, funnel_data, shrinkage_data
from teachkit.covariance import build_covariance
from teachkit.figure_entry import FigureData, FigureEntry
from teachkit.posterior import draws

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "FIGURES",
    "FUNNEL_STATION",
    "GRAPH_LABELS",
    "GRAPH_VARIABLES",
    "VAGUE_PRIOR_SDS",
    "funnel_figure",
    "model_graph_source",
    "prior_lines",
    "shrinkage_1d_figure",
    "shrinkage_2d_figure",
]

#: Prior sds of (alpha, beta) of the prior-predictive figure's first, vague guess.
VAGUE_PRIOR_SDS = (10.0, 1.0)
#: Lines drawn per prior in the prior-predictive figure.
PRIOR_LINES = 60
#: The station whose effect the funnel figure plots (station id).
FUNNEL_STATION = 0


def prior_lines(seed: int, n: int = PRIOR_LINES) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Intercepts and slopes drawn from a vague prior and from the lecture's, by title."""
    rng = np.random.default_rng(seed)
    lines = {}
    for label, (sa, sb) in (
        ("vague", VAGUE_PRIOR_SDS),
        ("the lecture's", (ALPHA_PRIOR_SD, BETA_PRIOR_SD)),
    ):
        lines[rf"{label}: $\alpha \sim N(0, {sa:g})$, $\beta \sim N(0, {sb:g})$"] = (
            rng.normal(0, sa, n),
            rng.normal(0, sb, n),
        )
    return lines


def _source(ctx: FigureData) -> str:
    return "Beijing" if ctx.source == "real" else "Simulated stations"


def _prior_predictive(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.plots import plot_prior_predictive

    y = ctx.data("ozone")["log_ozone"]
    return plot_prior_predictive(prior_lines(ctx.seed), (float(y.min()), float(y.max())))


def _data_pooled(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.plots import plot_ozone_data
    from teachkit.plots.labels import note

    idata = ctx.fit("ozone", "pooled")
    pooled = (float(draws(idata, "alpha").mean()), float(draws(idata, "beta").mean()))
    data = ctx.data("ozone")
    fig = plot_ozone_data(data, pooled).figure
    note(fig, f"{_source(ctx)}: {len(data):,} station-days; pooled line: posterior means")
    return fig


def _station_intercepts(ctx: FigureData) -> Figure:
    import arviz as az

    from teachkit.cases.ozone.plots import plot_station_intercepts

    alpha = draws(ctx.fit("ozone", "varying_intercepts"), "alpha")
    hdi = np.array([az.hdi(alpha[:, j], hdi_prob=0.94) for j in range(alpha.shape[1])])
    summary = pd.DataFrame({"mean": alpha.mean(axis=0), "low": hdi[:, 0], "high": hdi[:, 1]})
    pooled = float(draws(ctx.fit("ozone", "pooled"), "alpha").mean())
    names = station_names(ctx.data("ozone"))
    return plot_station_intercepts(summary, pooled, names).figure


def _station_days(data: pd.DataFrame) -> np.ndarray:
    """Days per station in station order."""
    return data.groupby("station_id", sort=True).size().to_numpy()


def shrinkage_1d_figure(ctx: FigureData, data: pd.DataFrame) -> Figure:
    """Intercepts: each station's own estimate against the varying-intercepts model's.

    The own (no-pooling) intercept is the station's mean of log ozone - beta T with the
    model's common slope beta; both estimates are posterior means.
    """
    from teachkit.plots.labels import note
    from teachkit.plots.pooling import plot_shrinkage_1d

    idata = ctx.fit("ozone", "varying_intercepts", data=data)
    beta = float(draws(idata, "beta").mean())
    own = no_pooling_estimates(data, common_slope=beta)[:, 0]
    partial = draws(idata, "alpha").mean(axis=0)
    pooled = float(draws(idata, "mu_alpha").mean())
    ax = plot_shrinkage_1d(
        own,
        partial,
        pooled,
        names=station_names(data),
        counts=_station_days(data),
        label=r"intercept $\alpha_j$ (log µg/m³ at 0 °C)",
        title="Stations with few days move furthest toward the population mean",
    )
    note(
        ax.figure,
        f"{_source(ctx)}: {days_label(data)}; varying-intercepts model, "
        "posterior means (population mean: $\\mu_\\alpha$)",
    )
    return ax.figure


def shrinkage_2d_figure(ctx: FigureData, data: pd.DataFrame) -> Figure:
    """(alpha_j, beta_j): each station's own line against the covarying model's, with ellipses.

    The ellipses are those of the population MVN at the posterior means of mu, the sds and
    rho.
    """
    from teachkit.plots.labels import note
    from teachkit.plots.pooling import plot_shrinkage_2d

    idata = ctx.fit("ozone", "covarying", data=data)
    partial = np.column_stack(
        [draws(idata, "alpha").mean(axis=0), draws(idata, "beta").mean(axis=0)]
    )
    mean = [float(draws(idata, "mu_alpha").mean()), float(draws(idata, "mu_beta").mean())]
    sds = [float(draws(idata, "sigma_alpha").mean()), float(draws(idata, "sigma_beta").mean())]
    rho = float(draws(idata, "rho").mean())
    cov = build_covariance(sds, [[1.0, rho], [rho, 1.0]])
    own = no_pooling_estimates(data)
    ax = plot_shrinkage_2d(
        own,
        partial,
        mean,
        cov,
        names=station_names(data),
        counts=_station_days(data),
        labels=(r"intercept $\alpha_j$ (log µg/m³ at 0 °C)", r"slope $\beta_j$ (per °C)"),
        title="Stations with few days move furthest, along the correlation's axis",
    )
    note(
        ax.figure,
        f"{_source(ctx)}: {days_label(data)}; covarying model, posterior means, "
        f"ellipses of the population at $\\rho$ = {rho:.2f}",
    )
    return ax.figure


def _shrinkage_1d(ctx: FigureData) -> Figure:
    return shrinkage_1d_figure(ctx, shrinkage_data(ctx.data("ozone")))


def _shrinkage_2d(ctx: FigureData) -> Figure:
    return shrinkage_2d_figure(ctx, shrinkage_data(ctx.data("ozone")))


#: NUTS's target acceptance rate in the funnel figure: 0.8, PyMC's and nutpie's own default,
#: the setting at which the lecture's centred fit diverged. teachkit's default (0.95) takes
#: smaller steps, and the centred fit then shows only a couple of divergent draws.
FUNNEL_TARGET_ACCEPT = 0.8


def funnel_figure(ctx: FigureData, data: pd.DataFrame) -> Figure:
    """Centred against non-centred covarying model on ``data``: station 0's slope effect.

    Centred panel: beta_0 - mu_beta against log sigma_beta; non-centred panel: the
    standardised effect z[0, beta] the sampler moves in, against log sigma_beta. Both fitted
    at :data:`FUNNEL_TARGET_ACCEPT`.
    """
    from teachkit.plots.labels import note
    from teachkit.plots.pooling import FunnelPanel, plot_funnel

    j = FUNNEL_STATION
    name = station_names(data)[j]
    panels = {}
    for label, param in (("centred", "centered"), ("non-centred", "noncentered")):
        idata = ctx.fit(
            "ozone",
            "covarying",
            data=data,
            parameterization=param,
            target_accept=FUNNEL_TARGET_ACCEPT,
        )
        log_sd = np.log(draws(idata, "sigma_beta"))
        divergent = idata.sample_stats["diverging"].to_numpy().ravel()
        if param == "centered":
            x = draws(idata, "beta")[:, j] - draws(idata, "mu_beta")
            xlabel = rf"$\beta_{{{j}}} - \mu_\beta$ ({name}, per °C)"
        else:
            x = draws(idata, "z")[:, j, 1]
            xlabel = rf"$z_{{{j},\beta}}$ (the same, standardised)"
        panels[label] = FunnelPanel(x, log_sd, divergent, xlabel, r"$\log\,\sigma_\beta$")
    fig = plot_funnel(
        panels, title="Centred: a funnel, with the divergences in its neck. Non-centred: none"
    )
    note(
        fig,
        f"{_source(ctx)}: {days_label(data)}; covarying model; NUTS target acceptance "
        f"{FUNNEL_TARGET_ACCEPT} (the samplers' own default)",
    )
    return fig


def _funnel(ctx: FigureData) -> Figure:
    return funnel_figure(ctx, funnel_data(ctx.data("ozone")))


#: The covarying model's nodes as the slides write them (Graphviz HTML-like labels).
GRAPH_LABELS: dict[str, str] = {
    "mu_alpha": "μ<SUB>α</SUB>",
    "mu_beta": "μ<SUB>β</SUB>",
    "sigma_alpha": "σ<SUB>α</SUB>",
    "sigma_beta": "σ<SUB>β</SUB>",
    "rho": "ρ",
    "sigma": "σ",
    "chol_cov": "L = chol(Σ)",
    "chol_cov_corr": "R",
    "chol_cov_stds": "(σ<SUB>α</SUB>, σ<SUB>β</SUB>)",
    "z": "z<SUB>j</SUB>",
    "alpha_beta": "(α<SUB>j</SUB>, β<SUB>j</SUB>)",
    "alpha": "α<SUB>j</SUB>",
    "beta": "β<SUB>j</SUB>",
    "log_ozone": "log ozone<SUB>i</SUB>",
    "log_ozone_observed": "observed log ozone<SUB>i</SUB>",
    "temp": "T<SUB>i</SUB>",
    "station_index": "station j[i]",
}
#: The variables the plate diagram keeps: the model's structure, without the quantities
#: derived only for reporting (rho, the sds, R), so the diagram stays readable on a slide.
GRAPH_VARIABLES: tuple[str, ...] = (
    "mu_alpha",
    "mu_beta",
    "chol_cov",
    "z",
    "alpha_beta",
    "alpha",
    "beta",
    "sigma",
    "log_ozone",
    "temp",
    "station_index",
)


def model_graph_source(data: pd.DataFrame) -> str:
    """The DOT source the model-graph figure renders: the covarying model, typeset.

    The slides' form: non-centred, with one observed log ozone per row (not the sufficient
    statistics).
    """
    from teachkit.cases.ozone.models import build_ozone_model
    from teachkit.plots.graph import model_graph, typeset_graph

    built = build_ozone_model(
        data, "covarying", parameterization="noncentered", likelihood="pointwise"
    )
    return typeset_graph(model_graph(built.model, GRAPH_VARIABLES).source, GRAPH_LABELS)


def _model_graph(ctx: FigureData) -> Figure:
    from teachkit.plots.graph import plot_graph_source
    from teachkit.plots.labels import note

    data = ctx.data("ozone")
    with tempfile.TemporaryDirectory() as workdir:
        fig = plot_graph_source(
            model_graph_source(data),
            workdir,
            title="The covarying model: population on top, stations and days in their plates",
        )
    note(
        fig,
        f"PyMC's plate diagram of the covarying model on {_source(ctx)} data "
        f"({len(data):,} station-days)",
    )
    return fig


FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "ozone-prior-predictive",
        "Prior predictive lines, vague and lecture",
        _prior_predictive,
        point="Vague priors send most lines far beyond any ozone ever measured; the lecture's "
        "priors keep nearly all of them near the real range.",
    ),
    FigureEntry(
        "ozone-data-pooled",
        "Log max ozone against temperature, pooled line",
        _data_pooled,
        point="Ozone rises with temperature at every station, and one pooled line already "
        "follows that trend.",
    ),
    FigureEntry(
        "ozone-station-intercepts",
        "Station intercepts against the pooled one",
        _station_intercepts,
        point="Stations differ in their typical ozone level: most stations' intercept "
        "intervals miss the pooled intercept.",
    ),
    FigureEntry(
        "pooling-shrinkage-1d",
        "No pooling to partial pooling, intercepts",
        _shrinkage_1d,
        point="Partial pooling moves each station's intercept toward the population mean, "
        "and the fewer days a station has, the further it moves.",
    ),
    FigureEntry(
        "pooling-shrinkage-2d",
        "2-D shrinkage of (alpha_j, beta_j) with ellipses",
        _shrinkage_2d,
        point="In two dimensions stations with few days move furthest too, and they move "
        "along the long axis of the population's correlation ellipse.",
    ),
    FigureEntry(
        "pooling-funnel",
        "Centred against non-centred: the funnel",
        _funnel,
        point="With few observations per group the centred posterior is a funnel whose neck "
        "makes the sampler diverge; the non-centred parameterisation removes the funnel.",
    ),
    FigureEntry(
        "model-graph",
        "Plate diagram of the covarying model (needs Graphviz dot)",
        _model_graph,
        needs_program="dot",
        point="The covarying model as a graph: population parameters on top, each station's "
        "(intercept, slope) in the station plate, the observations in the station-day plate.",
    ),
)
