"""The covarying model on slides: plate diagrams, sampler, funnel, 2-D shrinkage (rows 27-33).

The plate diagrams are laid out by hand
(:func:`~teachkit.cases.ozone.covarying_plots.covarying_diagram`) from the lecture's model;
the tests match them to the PyMC model's variables. The diagnostics and the funnel compare
the centred and the non-centred coding at NUTS's usual target acceptance
(:data:`~teachkit.cases.ozone.figures.FUNNEL_TARGET_ACCEPT`); the shrinkage figure
draws the varying-slopes and the covarying model on a table with few to a few hundred days
per station (:func:`~teachkit.cases.ozone.subsample.shrinkage_data`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from teachkit.cases.ozone.data import station_names
from teachkit.cases.ozone.figures import FUNNEL_STATION, FUNNEL_TARGET_ACCEPT
from teachkit.cases.ozone.models import no_pooling_estimates
from teachkit.cases.ozone.subsample import days_label, funnel_data, shrinkage_data
from teachkit.covariance import build_covariance
from teachkit.figure_entry import Claim, FigureData, FigureEntry, attach_claim
from teachkit.plots.funnel import NECK_QUANTILE, FunnelCount
from teachkit.posterior import draws

if TYPE_CHECKING:
    import arviz as az
    from matplotlib.figure import Figure

    from teachkit.cases.ozone.covarying_plots import ShrinkagePanel

__all__ = [
    "CODINGS",
    "FEW_DIVERGENCES",
    "FIGURES",
    "NECK_QUANTILE",
    "diagnostics_data",
    "diagnostics_figure",
    "funnel_figure",
    "model_diagram",
    "shrinkage_2d_figure",
]

#: The two codings the slides compare: (slide name, the model's ``parameterization``).
CODINGS: tuple[tuple[str, str], ...] = (("centred", "centered"), ("non-centred", "noncentered"))
#: The diagnostics slide shows the full data when the centred fit diverges on at least this
#: share of its draws there (the lecture's "457 divergences" were 11% of 4 x 1000), else the
#: funnel's subsample, where the centred coding fails for sure.
FEW_DIVERGENCES = 0.01
#: Upper left corner of the plate diagrams' key of node shapes (diagram units, lower right).
DIAGRAM_KEY = (9.8, 1.3)
#: Axis labels of the station effects.
ALPHA_LABEL = r"intercept $\alpha_j$ (log µg/m³ at 0 °C)"
BETA_LABEL = r"slope $\beta_j$ (per °C)"


def _source(ctx: FigureData) -> str:
    return "Beijing" if ctx.source == "real" else "Simulated stations"


def _days(data: pd.DataFrame) -> np.ndarray:
    """Days per station in station order."""
    return data.groupby("station_id", sort=True).size().to_numpy()


def _divergent(idata: az.InferenceData) -> np.ndarray:
    """The divergence flags, shape (chain, draw)."""
    return idata.sample_stats["diverging"].to_numpy().astype(bool)


def _coding_fit(ctx: FigureData, data: pd.DataFrame, parameterization: str) -> az.InferenceData:
    return ctx.fit("ozone", "covarying", data=data, parameterization=parameterization,
                   target_accept=FUNNEL_TARGET_ACCEPT)  # fmt: skip


# --- rows 27 and 31: the plate diagrams ---------------------------------------------------------


def model_diagram(ctx: FigureData, parameterization: str) -> Figure:
    """The hand-laid plate diagram of the covarying model, centred or non-centred."""
    from teachkit.cases.ozone.covarying_plots import covarying_diagram
    from teachkit.plots.labels import note
    from teachkit.plots.plate import plot_plate_diagram

    data = ctx.data("ozone")
    days = _days(data)
    diagram = covarying_diagram(
        parameterization, n_stations=len(days), days=(int(days.min()), int(days.max()))
    )
    if parameterization == "centered":
        title = r"Centred: each station's $(\alpha_j, \beta_j)$ is drawn from the population"
    else:
        title = r"Non-centred: $(\alpha_j, \beta_j)$ is computed from standard normal $z_j$"
    fig = plot_plate_diagram(diagram, title=title, key=DIAGRAM_KEY)
    note(fig, f"{_source(ctx)}: {len(data):,} station-days. $y_{{ij}}$: log daily max ozone "
              f"(log µg/m³), $T_{{ij}}$: daily max temperature (°C)")  # fmt: skip
    return fig


def _graph_centred(ctx: FigureData) -> Figure:
    return model_diagram(ctx, "centered")


def _graph_noncentred(ctx: FigureData) -> Figure:
    return model_diagram(ctx, "noncentered")


# --- row 28: what the centred coding does to the sampler -----------------------------------------


def diagnostics_data(ctx: FigureData) -> pd.DataFrame:
    """The table the diagnostics slide draws.

    The full data if the centred fit diverges there on at least :data:`FEW_DIVERGENCES` of
    its draws, else the funnel's subsample.
    """
    data = ctx.data("ozone")
    divergent = _divergent(_coding_fit(ctx, data, "centered"))
    return data if divergent.mean() >= FEW_DIVERGENCES else funnel_data(data)


def max_rhat(idata: az.InferenceData) -> float:
    """The largest rank-normalised R-hat of the covarying model's parameters."""
    import arviz as az

    names = ["mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "rho", "alpha", "beta", "sigma"]
    rhat = az.rhat(idata, var_names=names)
    return float(max(rhat[v].max() for v in names))


def diagnostics_figure(ctx: FigureData, data: pd.DataFrame) -> Figure:
    """Centred against non-centred on ``data``: sigma_beta's chains, divergent draws marked.

    The title's claim: each coding's number of divergent draws and its largest R-hat over
    every parameter of the model.
    """
    from teachkit.cases.ozone.covarying_plots import ChainsPanel, plot_chains
    from teachkit.plots.labels import note

    panels, numbers = {}, {}
    for label, param in CODINGS:
        idata = _coding_fit(ctx, data, param)
        divergent = _divergent(idata)
        panels[label] = ChainsPanel(idata.posterior["sigma_beta"].to_numpy(), divergent)
        numbers[f"{label} divergent"] = int(divergent.sum())
        numbers[f"{label} max rhat"] = round(max_rhat(idata), 2)
    c, n = (f"{numbers[f'{lb} divergent']}" for lb, _ in CODINGS)
    rc, rn = (f"{numbers[f'{lb} max rhat']:.2f}" for lb, _ in CODINGS)
    title = (rf"centred: {c} divergent draws, max $\hat{{R}}$ {rc}; "
             rf"non-centred: {n}, {rn}")  # fmt: skip
    fig = plot_chains(panels, title=title)
    full = len(data) == len(ctx.data("ozone"))
    which = f"all {len(data):,} station-days" if full else f"{days_label(data)} (a subsample)"
    note(fig, f"{_source(ctx)}: {which}; covarying model, NUTS target acceptance "
              f"{FUNNEL_TARGET_ACCEPT}; max $\\hat{{R}}$ over all parameters")  # fmt: skip
    data_arrays = {f"{lb} sigma_beta": np.ravel(p.values) for lb, p in panels.items()}
    return attach_claim(fig, Claim(title, numbers, data_arrays))


def _diagnostics(ctx: FigureData) -> Figure:
    return diagnostics_figure(ctx, diagnostics_data(ctx))


# --- row 29: the funnel -------------------------------------------------------------------------


def funnel_figure(ctx: FigureData, data: pd.DataFrame) -> Figure:
    """Centred against non-centred covarying model on ``data``: station 0's slope effect.

    Centred panel: beta_0 - mu_beta against log sigma_beta; non-centred panel: the
    standardised effect z[0, beta] the sampler moves in. One neck band on both panels: log
    sigma_beta below the :data:`NECK_QUANTILE` of both panels' draws. The title counts each
    panel's divergent draws and the centred ones in the neck.
    """
    from teachkit.cases.ozone.covarying_plots import FunnelDraws, plot_funnel_neck
    from teachkit.plots.labels import note

    j = FUNNEL_STATION
    name = station_names(data)[j]
    panels = {}
    for label, param in CODINGS:
        idata = _coding_fit(ctx, data, param)
        log_sd = np.log(draws(idata, "sigma_beta"))
        divergent = _divergent(idata).ravel()
        if param == "centered":
            x = draws(idata, "beta")[:, j] - draws(idata, "mu_beta")
            xlabel = rf"$\beta_{{{j}}} - \mu_\beta$ ({name}, per °C)"
        else:
            x = draws(idata, "z")[:, j, 1]
            xlabel = rf"$z_{{{j},\beta}}$ (standardised, no unit)"
        panels[label] = FunnelDraws(x, log_sd, divergent, xlabel)
    count = FunnelCount.of(panels)
    neck, title = count.neck, count.title()
    fig = plot_funnel_neck(
        panels,
        neck,
        neck_label=rf"neck: $\sigma_\beta$ below {np.exp(neck):.2g} per °C",
        title=title,
    )
    note(fig, f"{_source(ctx)}: a subsample, {days_label(data)}; covarying model, NUTS target "
              f"acceptance {FUNNEL_TARGET_ACCEPT} (the samplers' own default)")  # fmt: skip
    return attach_claim(fig, Claim(title, count.numbers(), {"log_sd": count.log_sd}))


def _funnel(ctx: FigureData) -> Figure:
    return funnel_figure(ctx, funnel_data(ctx.data("ozone")))


# --- row 33: two-dimensional shrinkage ----------------------------------------------------------


def _shrinkage_panel(ctx: FigureData, data: pd.DataFrame, model: str) -> ShrinkagePanel:
    """Own estimates, partial pooling (posterior means) and the population of ``model``.

    The population's covariance is that at the posterior means of its sds (and of rho under
    the covarying model; zero under varying slopes).
    """
    from teachkit.cases.ozone.covarying_plots import ShrinkagePanel

    idata = ctx.fit("ozone", model, data=data)
    mean = {v: float(draws(idata, v).mean()) for v in ("mu_alpha", "mu_beta", "sigma_alpha",
                                                       "sigma_beta")}  # fmt: skip
    rho = float(draws(idata, "rho").mean()) if model == "covarying" else 0.0
    cov = build_covariance([mean["sigma_alpha"], mean["sigma_beta"]], [[1.0, rho], [rho, 1.0]])
    partial = np.column_stack([draws(idata, "alpha").mean(axis=0),
                               draws(idata, "beta").mean(axis=0)])  # fmt: skip
    return ShrinkagePanel(no_pooling_estimates(data), partial,
                          [mean["mu_alpha"], mean["mu_beta"]], cov)  # fmt: skip


def shrinkage_2d_figure(ctx: FigureData, data: pd.DataFrame) -> Figure:
    """No pooling to partial pooling of (alpha_j, beta_j): independent against covarying prior.

    The title's claim: the rank correlation (Spearman) of each station's days and the
    distance it moves, in the population's sds
    (:func:`~teachkit.cases.ozone.covarying_plots.distance_moved`), per panel.
    """
    from scipy.stats import spearmanr

    from teachkit.cases.ozone.covarying_plots import distance_moved, plot_shrinkage_pair
    from teachkit.plots.labels import note

    panels = {
        "independent prior (varying slopes)": _shrinkage_panel(ctx, data, "varying_slopes"),
        r"covarying prior (LKJ(2) on $\rho$)": _shrinkage_panel(ctx, data, "covarying"),
    }
    days = _days(data)
    moved = {k: distance_moved(p) for k, p in panels.items()}
    rank = [float(spearmanr(days, m)[0]) for m in moved.values()]
    title = ("Stations with fewer days move further\n(rank correlation of days and distance "
             f"moved: {rank[0]:.2f} left, {rank[1]:.2f} right)")  # fmt: skip
    fig = plot_shrinkage_pair(panels, days, station_names(data), labels=(ALPHA_LABEL, BETA_LABEL),
                              title=title)  # fmt: skip
    note(fig, f"{_source(ctx)} subsample: {days_label(data)}; posterior means; "
              "ellipses: the population; distance in its sds")  # fmt: skip
    numbers = {"rank independent": rank[0], "rank covarying": rank[1]}
    arrays = {"days": days, **{f"moved {k}": m for k, m in zip(("independent", "covarying"),
                                                               moved.values(), strict=True)}}  # fmt: skip  # noqa: E501
    return attach_claim(fig, Claim(title, numbers, arrays))


def _shrinkage_2d(ctx: FigureData) -> Figure:
    return shrinkage_2d_figure(ctx, shrinkage_data(ctx.data("ozone")))


FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "model-graph-centred",
        "Plate diagram of the centred covarying model",
        _graph_centred,
        point="In the centred model each station's (intercept, slope) pair is drawn from a "
        "bivariate normal whose mean and covariance are themselves parameters.",
        row=27,
    ),
    FigureEntry(
        "ozone-centred-diagnostics",
        "Chains of sigma_beta, centred against non-centred, divergences marked",
        _diagnostics,
        point="Coded centred the covarying model diverges while R-hat hardly warns; coded "
        "non-centred it does not diverge, though its chains can stick briefly near "
        "sigma_beta = 0.",
        row=28,
    ),
    FigureEntry(
        "pooling-funnel",
        "Centred against non-centred: the funnel",
        _funnel,
        point="With few observations per group the centred posterior is a funnel whose neck "
        "makes the sampler diverge; the non-centred parameterisation removes the funnel.",
        row=29,
    ),
    FigureEntry(
        "model-graph",
        "Plate diagram of the non-centred covarying model",
        _graph_noncentred,
        point="The non-centred model draws standard normals z_j and computes each station's "
        "(intercept, slope) as mu + L z_j: the same model, other coordinates for the sampler.",
        row=31,
    ),
    FigureEntry(
        "pooling-shrinkage-2d",
        "2-D shrinkage of (alpha_j, beta_j) under the independent and the covarying prior",
        _shrinkage_2d,
        point="Stations with few days move furthest toward the population; under the "
        "covarying prior they are pulled onto the population's tilted ridge, not only toward "
        "its centre.",
        row=33,
    ),
)
