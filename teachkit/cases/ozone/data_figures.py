"""The ozone data and its first two models on slides (storyboard rows 7-13).

The data as a density with the pooled line (row 7), where the stations are (row 8), the
prior-predictive build-up (row 9), the pooled fit in ug/m3 (row 10), each station against the
pooled line (row 11), the varying-intercepts lines (row 12) and the station intercepts against
their population (row 13). The plots are in :mod:`teachkit.cases.ozone.data_plots`; each draw
function here takes the data and fits from a :class:`~teachkit.figure_entry.FigureData`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from teachkit.cases.ozone.data import station_names
from teachkit.cases.ozone.models import ALPHA_PRIOR_SD, BETA_PRIOR_SD
from teachkit.figure_entry import FigureData, FigureEntry
from teachkit.posterior import draws

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "FIGURES",
    "HDI_PROB",
    "HIGHLIGHTED",
    "LECTURE_EXAMPLE",
    "PRIOR_LINES",
    "PRIOR_STEPS",
    "prior_steps",
]

#: The lecture's priors on (alpha, beta), step by step: its first guess, "alpha ~ Normal(0,
#: 3), beta ~ Normal(0, 1)", then the priors every ozone model uses.
PRIOR_STEPS: tuple[tuple[float, float], ...] = ((3.0, 1.0), (ALPHA_PRIOR_SD, BETA_PRIOR_SD))
#: Lines drawn per prior.
PRIOR_LINES = 300
#: The lecture's example line (alpha, beta) = (3, 1), read at 30 deg C: log O3 = 33.
LECTURE_EXAMPLE = (3.0, 1.0, 30.0)
#: The stations the lecture names on the varying-intercepts slide.
HIGHLIGHTED = ("Dingling", "Wanliu")
#: Mass of the posterior intervals.
HDI_PROB = 0.94


def _source(ctx: FigureData) -> str:
    return "Beijing" if ctx.source == "real" else "Simulated stations"


def _days(ctx: FigureData, data: pd.DataFrame) -> str:
    return f"{_source(ctx)}: {len(data):,} station-days at {data['station_id'].nunique()} stations"


def _pooled_means(ctx: FigureData, data: pd.DataFrame | None = None) -> tuple[float, float]:
    idata = ctx.fit("ozone", "pooled", data=data)
    return float(draws(idata, "alpha").mean()), float(draws(idata, "beta").mean())


def _data_pooled(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.data_plots import plot_data_pooled
    from teachkit.plots.labels import note

    data = ctx.data("ozone")
    fig = plot_data_pooled(data["TEMP"], data["log_ozone"], *_pooled_means(ctx))
    note(fig, f"{_days(ctx, data)}; pooled model, line at the posterior means")
    return fig


def _station_map(ctx: FigureData) -> Figure:
    import matplotlib.pyplot as plt

    from teachkit.cases.ozone.data_plots import plot_station_map
    from teachkit.cases.ozone.stations import load_beijing_stations
    from teachkit.plots.labels import note

    stations = load_beijing_stations()
    fig = plt.figure(layout="constrained")
    note(fig, "The Beijing stations (KDD Cup 2018 station list); great-circle distances")
    plot_station_map(
        stations["station"].tolist(),
        stations["latitude"],
        stations["longitude"],
        ax=fig.subplots(),
    )
    return fig


def prior_steps(
    seed: int, n: int = PRIOR_LINES
) -> list[tuple[tuple[float, float], np.ndarray, np.ndarray]]:
    """Each step's prior sds with ``n`` intercepts and slopes drawn from it (one seed)."""
    from teachkit.cases.ozone.data_plots import prior_line_draws

    rng = np.random.default_rng(seed)
    return [(sds, *prior_line_draws(sds, n, rng)) for sds in PRIOR_STEPS]


def _prior_predictive(step: int) -> Callable[[FigureData], Figure]:
    def draw(ctx: FigureData) -> Figure:
        from teachkit.cases.ozone.data_plots import plot_prior_predictive_step
        from teachkit.plots.labels import note

        y = ctx.data("ozone")["log_ozone"]
        fig = plot_prior_predictive_step(
            prior_steps(ctx.seed),
            (float(y.min()), float(y.max())),
            step=step,
            example=LECTURE_EXAMPLE[:2],
            at=LECTURE_EXAMPLE[2],
        )
        note(
            fig,
            f"Prior lines log O$_3$ = $\\alpha + \\beta T$; shaded: the lowest and "
            f"highest daily max ozone of {_source(ctx)} ({len(y):,} station-days)",
        )
        return fig

    return draw


def _pooled_curve(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.data_plots import plot_pooled_curve
    from teachkit.plots.labels import note

    data = ctx.data("ozone")
    idata = ctx.fit("ozone", "pooled")
    fig = plot_pooled_curve(data["TEMP"], data["O3"], draws(idata, "alpha"), draws(idata, "beta"))
    note(
        fig,
        f"{_days(ctx, data)}; pooled model: curve, the median day at the posterior "
        f"means; band: {HDI_PROB:.0%} of the posterior's curves",
    )
    return fig


def station_panels_figure(ctx: FigureData, data: pd.DataFrame) -> Figure:
    """Row 11 on ``data``: each station's days against the pooled line fitted to ``data``."""
    from teachkit.cases.ozone.data_plots import plot_station_panels
    from teachkit.plots.labels import note

    alpha, beta = _pooled_means(ctx, data)
    fig = plot_station_panels(
        data["TEMP"], data["log_ozone"], data["station_id"], station_names(data), alpha, beta
    )
    note(
        fig,
        f"{_days(ctx, data)}; pooled model at the posterior means; "
        "corner: the station's mean residual from the line, in %",
    )
    return fig


def _station_panels(ctx: FigureData) -> Figure:
    return station_panels_figure(ctx, ctx.data("ozone"))


def _varying_intercepts(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.data_plots import plot_varying_intercepts
    from teachkit.plots.labels import note

    data = ctx.data("ozone")
    idata = ctx.fit("ozone", "varying_intercepts")
    names = station_names(data)
    alpha = draws(idata, "alpha").mean(axis=0)
    highlight = [n for n in HIGHLIGHTED if n in names]
    if len(highlight) < len(HIGHLIGHTED):  # other stations (simulated): the extremes
        highlight = [names[int(np.argmax(alpha))], names[int(np.argmin(alpha))]]
    ax = plot_varying_intercepts(
        alpha, float(draws(idata, "beta").mean()), names, highlight=highlight
    )
    note(ax.figure, f"{_days(ctx, data)}; varying-intercepts model, posterior means")
    return ax.figure


def _station_intercepts(ctx: FigureData) -> Figure:
    import arviz as az

    from teachkit.cases.ozone.data_plots import plot_station_intercepts
    from teachkit.plots.labels import note

    data = ctx.data("ozone")
    idata = ctx.fit("ozone", "varying_intercepts")
    mu = draws(idata, "mu_alpha")
    difference = draws(idata, "alpha") - mu[:, None]  # joint draws: mu_alpha's uncertainty too
    hdi = np.array([az.hdi(d, hdi_prob=HDI_PROB) for d in difference.T])
    mu_hdi = az.hdi(mu, hdi_prob=HDI_PROB)
    pooled, _ = _pooled_means(ctx)
    ax = plot_station_intercepts(
        difference.mean(axis=0),
        hdi[:, 0],
        hdi[:, 1],
        station_names(data),
        float(draws(idata, "sigma_alpha").mean()),
    )
    note(
        ax.figure,
        f"{_source(ctx)}, varying-intercepts model: means and {HDI_PROB:.0%} HDIs over the "
        rf"draws; $\mu_\alpha$ = {mu.mean():.2f} ({mu_hdi[0]:.2f} to {mu_hdi[1]:.2f}), "
        f"pooled $\\alpha$ = {pooled:.2f}; band: " + r"$\pm\sigma_\alpha$ (posterior mean)",
    )
    return ax.figure


FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "ozone-data-pooled",
        "Every station-day as a density of log max ozone against temperature, pooled line",
        _data_pooled,
        point="Peak ozone rises with temperature, by about 5% per °C on the pooled line.",
        row=7,
    ),
    FigureEntry(
        "ozone-station-map",
        "The 12 stations at their coordinates, named, with a km scale bar",
        _station_map,
        point="The 12 stations lie 4 to 60 km apart: a central cluster in the city and a few "
        "stations in the outskirts.",
        row=8,
    ),
    FigureEntry(
        "ozone-prior-predictive-1",
        "Prior lines of log ozone under alpha ~ N(0, 3), beta ~ N(0, 1)",
        _prior_predictive(1),
        point="Priors alpha ~ Normal(0, 3), beta ~ Normal(0, 1) predict absurd ozone: a slope "
        "of 1 puts log ozone at 33 on a 30 °C day, and few lines stay in the range ever "
        "measured.",
        row=9,
    ),
    FigureEntry(
        "ozone-prior-predictive-2",
        "Prior lines under the lecture's priors alpha ~ N(0, 2), beta ~ N(0, 0.1)",
        _prior_predictive(2),
        point="The lecture's priors Normal(0, 2), Normal(0, 0.1) keep the lines within a few "
        "log units of real ozone, several times more of them in the measured range.",
        row=9,
    ),
    FigureEntry(
        "ozone-pooled-curve",
        "The pooled fit on the ug/m3 scale: an exponential curve with its 94% band",
        _pooled_curve,
        point="A straight line in log ozone is an exponential curve in µg/m³: every °C "
        "multiplies peak ozone by the same factor, about 1.05.",
        row=10,
    ),
    FigureEntry(
        "ozone-station-panels",
        "Each station's days against the pooled line, 3 x 4 panels",
        _station_panels,
        point="One pooled line misses the stations' levels: some stations' days lie mostly "
        "above it, others mostly below.",
        row=11,
    ),
    FigureEntry(
        "ozone-varying-intercepts",
        "Parallel station lines of the varying-intercepts model, Dingling and Wanliu named",
        _varying_intercepts,
        point="Varying intercepts give every station its own baseline with a common slope: "
        "parallel lines, Dingling's highest and Wanliu's lowest.",
        row=12,
    ),
    FigureEntry(
        "ozone-station-intercepts",
        "Station intercepts with 94% intervals against mu_alpha +- sigma_alpha",
        _station_intercepts,
        point="The population mean of the intercepts is close to the pooled intercept and the "
        "stations vary around it; the clearest, Wanliu and Dingling, differ from it even "
        "allowing for its uncertainty.",
        row=13,
    ),
)
