r"""Varying and covarying slopes on slides (storyboard rows 14-19).

The PSIS-LOO build-up (two models, then three, then four), the varying-slopes fit's station
lines and traces, the stations' (intercept, slope) pairs against the covarying population,
a new station under the independent and the covarying prior, and one station's posterior
lines, uncentred and centred. The plots are in :mod:`teachkit.cases.ozone.slope_plots`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from teachkit.cases.ozone.data import station_names
from teachkit.cases.ozone.subsample import days_label, shrinkage_data
from teachkit.covariance import build_covariance
from teachkit.figure_entry import FigureData, FigureEntry
from teachkit.posterior import draws

if TYPE_CHECKING:
    import arviz as az
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "FIGURES",
    "LOO_REFERENCE",
    "LOO_STEPS",
    "ONE_STATION_DAYS",
    "loo_gains",
    "loo_tables",
    "new_station_draws",
    "one_station",
    "population",
    "trace_stations",
]

#: The models of each step of the LOO build-up, in the lecture's order.
LOO_STEPS: tuple[tuple[str, ...], ...] = (
    ("pooled", "varying_intercepts"),
    ("pooled", "varying_intercepts", "varying_slopes"),
    ("pooled", "varying_intercepts", "varying_slopes", "covarying"),
)
#: One station's lines are drawn on the shrinkage table (5-300 days per station): the station
#: whose days are nearest this many. With ~1,400 days the 50 lines would be one line at slide
#: scale; with a few dozen they fan visibly and the pivot shows.
ONE_STATION_DAYS = 30


def _source(ctx: FigureData) -> str:
    return "Beijing" if ctx.source == "real" else "Simulated stations"


def _padded(low: float, high: float, share: float = 0.08) -> tuple[float, float]:
    pad = share * (high - low)
    return low - pad, high + pad


#: Every step of the LOO build-up measures from this model, so no point moves between steps.
LOO_REFERENCE = "pooled"


def loo_tables(ctx: FigureData) -> list[pd.DataFrame]:
    """The comparison of each step's models (:data:`LOO_STEPS`), from per-model ELPD data."""
    from teachkit.loo import compare_elpd

    elpds = {m: ctx.elpd("ozone", m) for m in LOO_STEPS[-1]}
    return [compare_elpd({m: elpds[m] for m in step}) for step in LOO_STEPS]


def loo_gains(ctx: FigureData, reference: str = LOO_REFERENCE) -> pd.DataFrame:
    """Each model's elpd minus the reference's (``gain``) and its standard error (``dse``).

    From :func:`teachkit.loo.compare_elpd` of the model and the reference alone; the
    reference's own row is 0, 0.
    """
    import pandas as pd

    from teachkit.loo import compare_elpd

    rows = {reference: (0.0, 0.0)}
    for m in LOO_STEPS[-1]:
        if m == reference:
            continue
        pair = compare_elpd({reference: ctx.elpd("ozone", reference), m: ctx.elpd("ozone", m)})
        sign = 1.0 if pair.index[0] == m else -1.0
        rows[m] = (sign * float(pair["d_loo"].max()), float(pair["dse"].max()))
    return pd.DataFrame.from_dict(rows, orient="index", columns=["gain", "dse"])


def _loo(step: int) -> Callable[[FigureData], Figure]:
    def draw(ctx: FigureData) -> Figure:
        from teachkit.cases.ozone.slope_plots import plot_loo_step
        from teachkit.plots.labels import note

        tables = loo_tables(ctx)
        gains = loo_gains(ctx)
        full = tables[-1]
        elpd_lim = _padded(
            float((full["elpd_loo"] - full["se"]).min()),
            float((full["elpd_loo"] + full["se"]).max()),
        )
        low = min(0.0, float((gains["gain"] - gains["dse"]).min()))
        high = max(0.0, float((gains["gain"] + gains["dse"]).max()))
        # room on the right for the bracket and its text
        diff_lim = (low - 0.08 * (high - low), high + 0.95 * (high - low))
        fig = plot_loo_step(
            tables[step - 1],
            gains,
            LOO_STEPS[-1],
            reference=LOO_REFERENCE,
            elpd_lim=elpd_lim,
            diff_lim=diff_lim,
        )
        note(
            fig,
            f"{_source(ctx)}: {len(LOO_STEPS[step - 1])} ozone models compared by PSIS-LOO on "
            f"{len(ctx.data('ozone')):,} station-days; dse: standard error of the difference",
        )
        return fig

    return draw


def _station_lines(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.slope_plots import plot_station_lines
    from teachkit.plots.labels import note

    idata = ctx.fit("ozone", "varying_slopes")
    alpha, beta = draws(idata, "alpha").mean(axis=0), draws(idata, "beta").mean(axis=0)
    data = ctx.data("ozone")
    fig = plot_station_lines(alpha, beta, station_names(data), data).figure
    note(fig, f"{_source(ctx)}: varying-slopes model, each station's line at its posterior means")
    return fig


def trace_stations(alpha_means: np.ndarray, beta_means: np.ndarray) -> list[int]:
    """The stations of the trace slide: highest intercept, lowest slope, lowest intercept.

    By posterior mean, among all stations; the first two are one station when one has both.
    """
    chosen = [int(np.argmax(alpha_means)), int(np.argmin(beta_means)), int(np.argmin(alpha_means))]
    return list(dict.fromkeys(chosen))


def _trace_mirror(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.slope_plots import plot_trace_mirror
    from teachkit.plots.labels import note

    posterior = ctx.fit("ozone", "varying_slopes").posterior
    alpha, beta = posterior["alpha"].to_numpy(), posterior["beta"].to_numpy()
    chosen = trace_stations(alpha.mean(axis=(0, 1)), beta.mean(axis=(0, 1)))
    fig = plot_trace_mirror(alpha, beta, chosen, station_names(ctx.data("ozone")))
    note(
        fig,
        f"{_source(ctx)}: varying-slopes model; drawn: highest intercept, lowest slope, lowest "
        "intercept; a station's chains in one colour",
    )
    return fig


def population(idata: az.InferenceData) -> tuple[np.ndarray, np.ndarray]:
    """The covarying fit's population mean and covariance at the posterior means."""
    mean = np.array([float(draws(idata, "mu_alpha").mean()), float(draws(idata, "mu_beta").mean())])
    sds = [float(draws(idata, "sigma_alpha").mean()), float(draws(idata, "sigma_beta").mean())]
    rho = float(draws(idata, "rho").mean())
    return mean, build_covariance(sds, [[1.0, rho], [rho, 1.0]])


def _alpha_beta(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.slope_plots import plot_alpha_beta_population
    from teachkit.plots.labels import note

    idata = ctx.fit("ozone", "covarying")
    mean, cov = population(idata)
    names = station_names(ctx.data("ozone"))
    ax = plot_alpha_beta_population(draws(idata, "alpha"), draws(idata, "beta"), mean, cov, names)
    note(
        ax.figure,
        f"{_source(ctx)}: covarying model; clouds: each station's posterior draws; ellipses: "
        r"the population at the posterior means of $\mu$, $\sigma$ and $\rho$",
    )
    return ax.figure


def new_station_draws(idata: az.InferenceData, *, rng: int | np.random.Generator) -> np.ndarray:
    r"""A new station's (alpha, beta), one per posterior draw of the population.

    :math:`\alpha = \mu_\alpha + \sigma_\alpha z_1`, :math:`\beta = \mu_\beta + \sigma_\beta
    (\rho z_1 + \sqrt{1 - \rho^2} z_2)` with :math:`z \sim N(0, I)`; :math:`\rho = 0` for a fit
    without ``rho`` (the varying-slopes model).

    Returns
    -------
    ndarray of shape (n_draws, 2)
    """
    gen = np.random.default_rng(rng)
    mu_a, mu_b = draws(idata, "mu_alpha"), draws(idata, "mu_beta")
    s_a, s_b = draws(idata, "sigma_alpha"), draws(idata, "sigma_beta")
    has_rho = "rho" in idata.posterior
    rho = draws(idata, "rho") if has_rho else np.zeros_like(mu_a)
    z = gen.standard_normal((2, len(mu_a)))
    alpha = mu_a + s_a * z[0]
    beta = mu_b + s_b * (rho * z[0] + np.sqrt(1 - rho**2) * z[1])
    return np.column_stack([alpha, beta])


def _new_station(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.slope_plots import plot_new_station
    from teachkit.plots.labels import note

    titles = {
        "varying_slopes": r"varying slopes: $\alpha$, $\beta$ independent",
        "covarying": r"covarying: $(\alpha, \beta) \sim \mathrm{MVNormal}$",
    }
    predictive, estimates = {}, {}
    for model, title in titles.items():
        idata = ctx.fit("ozone", model)
        predictive[title] = new_station_draws(idata, rng=ctx.seed)
        estimates[title] = np.column_stack(
            [draws(idata, "alpha").mean(axis=0), draws(idata, "beta").mean(axis=0)]
        )
    fig = plot_new_station(predictive, estimates)
    note(
        fig,
        f"{_source(ctx)}: new-station draws, one per posterior draw, and their ellipses; "
        "points: the 12 stations' posterior means under that panel's model",
    )
    return fig


def one_station(data: pd.DataFrame) -> int:
    """The station of the one-station slides: days nearest :data:`ONE_STATION_DAYS`."""
    days = data.groupby("station_id", sort=True).size()
    return int((days - ONE_STATION_DAYS).abs().idxmin())


def _one_station(step: int) -> Callable[[FigureData], Figure]:
    def draw(ctx: FigureData) -> Figure:
        from teachkit.cases.ozone.slope_plots import plot_one_station
        from teachkit.plots.labels import note
        from teachkit.plots.style import station_color

        data = shrinkage_data(ctx.data("ozone"))
        j = one_station(data)
        idata = ctx.fit("ozone", "varying_slopes", data=data)
        alpha, beta = draws(idata, "alpha")[:, j], draws(idata, "beta")[:, j]
        days = data[data["station_id"] == j]
        fig = plot_one_station(
            days["TEMP"],
            days["log_ozone"],
            alpha,
            beta,
            name=station_names(data)[j],
            color=station_color(j),
            centred=step == 2,
            beta_lim=_padded(float(beta.min()), float(beta.max()), 0.05),
            intercept_span=1.1 * max(np.ptp(alpha), np.ptp(alpha + beta * days["TEMP"].mean())),
        )
        how = r"; the same draws, intercept $\alpha + \beta\,\bar T$" if step == 2 else ""
        note(
            fig,
            f"{_source(ctx)}: {station_names(data)[j]}'s {len(days)} days (a random subsample); "
            f"varying-slopes fit to {days_label(data)}{how}",
        )
        return fig

    return draw


FIGURES: tuple[FigureEntry, ...] = (
    *(
        FigureEntry(
            f"ozone-loo-{step}",
            f"PSIS-LOO comparison, {len(models)} ozone models",
            _loo(step),
            row=14,
            point=point,
        )
        for step, (models, point) in enumerate(
            zip(
                LOO_STEPS,
                (
                    "Varying intercepts predict new days far better than one pooled line: the "
                    "difference is many times its own standard error (dse).",
                    "Varying slopes improve on varying intercepts by more than twice the "
                    "difference's standard error: judge a difference by its dse, not by the "
                    "overlapping se bars.",
                    "Letting intercepts and slopes co-vary adds little: it is within two dse of "
                    "varying slopes.",
                ),
                strict=True,
            ),
            start=1,
        )
    ),
    FigureEntry(
        "ozone-station-lines",
        "Station lines of the varying-slopes model, steepest and flattest named",
        _station_lines,
        row=15,
        point="With varying slopes every station gets its own line: at the steepest station "
        "ozone rises visibly faster with temperature than at the flattest.",
    ),
    FigureEntry(
        "ozone-trace-mirror",
        "Densities and traces of alpha_j and beta_j for three stations",
        _trace_mirror,
        row=16,
        point="The intercepts and slopes mirror each other: stations with a high intercept "
        "have a low slope, and the lowest intercept goes with a steep slope.",
    ),
    FigureEntry(
        "ozone-alpha-beta",
        "Stations' (alpha_j, beta_j) with the covarying population's ellipses",
        _alpha_beta,
        row=17,
        point="Station intercepts and slopes co-vary negatively: a station with a high "
        "baseline sees a smaller effect of temperature, and the model's rho says the same.",
    ),
    FigureEntry(
        "ozone-new-station-prior",
        "A new station's (alpha, beta) under varying slopes and under covarying",
        _new_station,
        row=18,
        point="Independent effects predict a new station's slope without looking at its "
        "intercept; the covarying model narrows the slope once the intercept is known.",
    ),
    *(
        FigureEntry(
            f"ozone-lines-one-station-{step}",
            f"One station's posterior lines and (alpha, beta) draws, {how}",
            _one_station(step),
            row=19,
            point=point,
        )
        for step, how, point in (
            (
                1,
                "uncentred",
                "Every posterior line must pass close to the station's days, so the lines "
                "pivot around the days' mean temperature: a steeper line starts lower at 0 °C.",
            ),
            (
                2,
                "temperature centred",
                "Read the intercept at the days' mean temperature and intercept and slope are "
                "nearly uncorrelated: the correlation came from where 0 °C lies.",
            ),
        )
    ),
)
