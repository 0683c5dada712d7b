"""Tab 5: the covarying model's posterior on the real data, embedded at build time.

Left, rho's posterior (histogram of the thinned draws) over its LKJ(eta) prior; right, the
chosen station's days with lines alpha_j + beta_j T from posterior draws, its posterior-mean
line, the population line and the other stations' mean lines. Without a fit the tab says so
and shows the prior alone. The drawing is ``js/posterior.js``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from bokeh.layouts import row
from bokeh.models import ColumnDataSource, Range1d

from teachkit.explorer.layout import Tab, connect, tab_panel
from teachkit.explorer.posterior import RealPosterior
from teachkit.explorer.style import PALETTE, PageStyle, js_update
from teachkit.plots.style import station_color

__all__ = ["LINE_DRAWS", "MAX_RHO_DRAWS", "posterior_tab"]

#: Posterior lines drawn per station, and most draws of rho embedded.
LINE_DRAWS = 40
MAX_RHO_DRAWS = 4000
#: Central interval of the hyperparameter readouts (the lecture's 94%).
INTERVAL = 0.94
_LABELS = {
    "mu_alpha": ("μ<sub>α</sub>", 2),
    "mu_beta": ("μ<sub>β</sub>", 4),
    "sigma_alpha": ("σ<sub>α</sub>", 3),
    "sigma_beta": ("σ<sub>β</sub>", 4),
    "sigma": ("σ", 3),
}


def evenly(n: int, k: int) -> np.ndarray:
    """At most ``k`` indices spread evenly over ``range(n)``.

    Examples
    --------
    >>> evenly(10, 3).tolist()
    [0, 4, 9]
    """
    return np.unique(np.linspace(0, n - 1, min(n, k)).round().astype(int))


def posterior_tab(style: PageStyle, posterior: RealPosterior | None) -> Tab:
    """Build tab 5 (prior only, with a note, when ``posterior`` is None).

    Examples
    --------
    >>> posterior_tab(PageStyle(), None).panel.title
    '5 · Real posterior'
    """
    eta = 2.0 if posterior is None else posterior.eta
    rho = [] if posterior is None else posterior.rho[evenly(posterior.n_draws, MAX_RHO_DRAWS)]
    args: dict[str, Any] = {
        "rho": ColumnDataSource({"rho": rho}, name="post_rho"),
        "prior_eta": eta,
        "hist": ColumnDataSource({"lo": [], "hi": [], "density": []}, name="post_hist"),
        "prior": ColumnDataSource({"r": [], "pdf": []}, name="post_prior"),
        "readout": style.div(name="post_readout"),
        "y_range": Range1d(0, 1, name="post_y_range"),
    }
    rho_fig = _rho_figure(style, args, eta, with_draws=posterior is not None)
    if posterior is None:
        panel = tab_panel(
            style,
            name="post",
            title="5 · Real posterior",
            description="No fit was embedded in this page: only the LKJ prior of ρ is shown "
            "(build the page with a stored fit of the covarying model to see its posterior).",
            controls=[args["readout"]],
            plots=rho_fig,
        )
        return Tab(panel, js_update("posterior", args))

    names = list(posterior.station_names)
    args |= _embedded(posterior)
    args["station_select"] = style.select("post_station", "station", names, names[0])
    args["station_readout"] = style.div(name="post_station_readout")
    station_fig = _station_figure(style, posterior, args)
    callback = connect(js_update("posterior", args), [args["station_select"]])
    panel = tab_panel(
        style,
        name="post",
        title="5 · Real posterior",
        description=f"The covarying model fitted to the {posterior.source} data: ρ's posterior "
        "against its prior, and each station's fitted lines.",
        controls=[args["readout"], args["station_select"], args["station_readout"]],
        plots=row(rho_fig, station_fig, spacing=30),
    )
    return Tab(panel, callback)


def _embedded(posterior: RealPosterior) -> dict[str, ColumnDataSource]:
    """The fit as data sources: line draws, station means, hyperparameter summaries, days."""
    n_stations = posterior.n_stations
    lines = evenly(posterior.n_draws, LINE_DRAWS)
    tail = (1 - INTERVAL) / 2
    hyper = {name: getattr(posterior, name) for name in _LABELS}
    return {
        "draws": ColumnDataSource(
            {
                "station": np.repeat(np.arange(n_stations, dtype=np.int32), lines.size),
                "alpha": posterior.alpha[lines].T.ravel(),
                "beta": posterior.beta[lines].T.ravel(),
            },
            name="post_draws",
        ),
        "stations": ColumnDataSource(
            {
                "name": list(posterior.station_names),
                "color": [station_color(j) for j in range(n_stations)],
                "alpha_mean": posterior.alpha.mean(axis=0),
                "beta_mean": posterior.beta.mean(axis=0),
            },
            name="post_stations",
        ),
        "hyper": ColumnDataSource(
            {
                "name": list(hyper),
                "label": [_LABELS[n][0] for n in hyper],
                "digits": [_LABELS[n][1] for n in hyper],
                "mean": [float(d.mean()) for d in hyper.values()],
                "lo": [float(np.quantile(d, tail)) for d in hyper.values()],
                "hi": [float(np.quantile(d, 1 - tail)) for d in hyper.values()],
            },
            name="post_hyper",
        ),
        "points": ColumnDataSource(
            {
                "station": posterior.station_index.astype(np.int32),
                "temp": posterior.temp,
                "log_ozone": posterior.log_ozone,
            },
            name="post_points",
        ),
    }


def _rho_figure(style: PageStyle, args: dict[str, Any], eta: float, *, with_draws: bool) -> Any:
    """Histogram of rho's posterior draws (if any) over the LKJ(eta) prior of rho."""
    fig = style.figure(
        title=f"ρ: posterior against its LKJ({eta:g}) prior"
        if with_draws
        else f"ρ: its LKJ({eta:g}) prior",
        x_label="ρ",
        y_label="density",
        width=570,
        height=600,
        x_range=Range1d(-1, 1),
        y_range=args["y_range"],
    )
    if with_draws:
        fig.quad(
            left="lo",
            right="hi",
            bottom=0,
            top="density",
            source=args["hist"],
            fill_color=PALETTE[0],
            fill_alpha=0.5,
            line_color="white",
            legend_label="posterior draws",
        )
    fig.line(
        "r",
        "pdf",
        source=args["prior"],
        color="black",
        line_width=3,
        line_dash="dashed",
        legend_label=f"LKJ({eta:g}) prior",
    )
    style.legend(fig, "top_right")
    return fig


def _station_figure(style: PageStyle, posterior: RealPosterior, args: dict[str, Any]) -> Any:
    """The chosen station's days and lines; adds its sources and renderers to ``args``."""
    for key in ("station_points", "station_mean", "population"):
        args[key] = ColumnDataSource({"temp": [], "log_ozone": []}, name=f"post_{key}")
    for key in ("station_draws", "other_means"):
        args[key] = ColumnDataSource({"xs": [], "ys": []}, name=f"post_{key}")
    temp = posterior.temp if posterior.temp.size else np.array([0.0, 40.0])
    y = posterior.log_ozone if posterior.log_ozone.size else np.array([0.0, 6.0])
    args["temp_lo"] = float(np.floor(temp.min())) - 1
    args["temp_hi"] = float(np.ceil(temp.max())) + 1
    args["mu_alpha"] = float(posterior.mu_alpha.mean())
    args["mu_beta"] = float(posterior.mu_beta.mean())
    fig = style.figure(
        title="Station lines from the posterior",
        x_label="max temperature (°C)",
        y_label="log max ozone",
        width=570,
        height=600,
        x_range=Range1d(args["temp_lo"], args["temp_hi"]),
        y_range=Range1d(float(y.min()) - 0.3, float(y.max()) + 0.3),
    )
    first = station_color(0)
    fig.multi_line(
        "xs",
        "ys",
        source=args["other_means"],
        color="#bbbbbb",
        line_width=1.5,
        legend_label="other stations (means)",
    )
    args["points_renderer"] = fig.scatter(
        "temp",
        "log_ozone",
        source=args["station_points"],
        size=7,
        alpha=0.5,
        line_color=None,
        fill_color=first,
        legend_label="days",
    )
    args["draws_renderer"] = fig.multi_line(
        "xs",
        "ys",
        source=args["station_draws"],
        line_alpha=0.25,
        line_width=1.5,
        color=first,
        legend_label=f"{min(LINE_DRAWS, posterior.n_draws)} posterior draws",
    )
    args["mean_renderer"] = fig.line(
        "temp",
        "log_ozone",
        source=args["station_mean"],
        line_width=4,
        color=first,
        legend_label="posterior mean",
    )
    fig.line(
        "temp",
        "log_ozone",
        source=args["population"],
        line_width=3,
        color="black",
        line_dash="dotted",
        legend_label="population mean",
    )
    style.legend(fig, "bottom_right")
    return fig
