"""Tab 5: the covarying model's posterior on the real data, embedded at build time.

Left, rho's posterior (histogram of the thinned draws) over its LKJ(eta) prior; right, the
chosen station's days with lines alpha_j + beta_j T from posterior draws, its posterior-mean
line, the population line and the other stations' mean lines. Without a fit the tab says so
and shows the prior alone. The drawing is ``js/posterior.js``.
"""

from __future__ import annotations

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
    rho_source = ColumnDataSource({"rho": rho}, name="post_rho")
    hist = ColumnDataSource({"lo": [], "hi": [], "density": []}, name="post_hist")
    prior = ColumnDataSource({"r": [], "pdf": []}, name="post_prior")
    readout = style.div(name="post_readout")
    y_range = Range1d(0, 1, name="post_y_range")

    rho_fig = style.figure(
        title=f"ρ: posterior against its LKJ({eta:g}) prior",
        x_label="ρ",
        y_label="density",
        width=570,
        height=600,
        x_range=Range1d(-1, 1),
        y_range=y_range,
    )
    if posterior is not None:
        rho_fig.quad(
            left="lo",
            right="hi",
            bottom=0,
            top="density",
            source=hist,
            fill_color=PALETTE[0],
            fill_alpha=0.5,
            line_color="white",
            legend_label="posterior draws",
        )
    rho_fig.line(
        "r",
        "pdf",
        source=prior,
        color="black",
        line_width=3,
        line_dash="dashed",
        legend_label=f"LKJ({eta:g}) prior",
    )
    style.legend(rho_fig, "top_right")

    args = {
        "rho": rho_source,
        "prior_eta": eta,
        "hist": hist,
        "prior": prior,
        "readout": readout,
        "y_range": y_range,
    }
    if posterior is None:
        callback = js_update("posterior", args)
        panel = tab_panel(
            style,
            name="post",
            title="5 · Real posterior",
            description="No fit was embedded in this page: only the LKJ prior of ρ is shown "
            "(build the page with a stored fit of the covarying model to see its posterior).",
            controls=[readout],
            plots=rho_fig,
        )
        return Tab(panel, callback)

    names = list(posterior.station_names)
    select = style.select("post_station", "station", names, names[0])
    lines = evenly(posterior.n_draws, LINE_DRAWS)
    n_stations = posterior.n_stations
    draws = ColumnDataSource(
        {
            "station": np.repeat(np.arange(n_stations, dtype=np.int32), lines.size),
            "alpha": posterior.alpha[lines].T.ravel(),
            "beta": posterior.beta[lines].T.ravel(),
        },
        name="post_draws",
    )
    stations = ColumnDataSource(
        {
            "name": names,
            "color": [station_color(j) for j in range(n_stations)],
            "alpha_mean": posterior.alpha.mean(axis=0),
            "beta_mean": posterior.beta.mean(axis=0),
        },
        name="post_stations",
    )
    tail = (1 - INTERVAL) / 2
    hyper_names = list(_LABELS)
    hyper_draws = [getattr(posterior, n) for n in hyper_names]
    hyper = ColumnDataSource(
        {
            "name": hyper_names,
            "label": [_LABELS[n][0] for n in hyper_names],
            "digits": [_LABELS[n][1] for n in hyper_names],
            "mean": [float(d.mean()) for d in hyper_draws],
            "lo": [float(np.quantile(d, tail)) for d in hyper_draws],
            "hi": [float(np.quantile(d, 1 - tail)) for d in hyper_draws],
        },
        name="post_hyper",
    )
    points = ColumnDataSource(
        {
            "station": posterior.station_index.astype(np.int32),
            "temp": posterior.temp,
            "log_ozone": posterior.log_ozone,
        },
        name="post_points",
    )

    outputs = {
        k: ColumnDataSource({"temp": [], "log_ozone": []}, name=f"post_{k}")
        for k in ("station_points", "station_mean", "population")
    }
    multi = {
        k: ColumnDataSource({"xs": [], "ys": []}, name=f"post_{k}")
        for k in ("station_draws", "other_means")
    }
    temp_all = posterior.temp if posterior.temp.size else np.array([0.0, 40.0])
    y_all = posterior.log_ozone if posterior.log_ozone.size else np.array([0.0, 6.0])
    t_lo, t_hi = float(np.floor(temp_all.min())) - 1, float(np.ceil(temp_all.max())) + 1
    fig = style.figure(
        title="Station lines from the posterior",
        x_label="max temperature (°C)",
        y_label="log max ozone",
        width=570,
        height=600,
        x_range=Range1d(t_lo, t_hi),
        y_range=Range1d(float(y_all.min()) - 0.3, float(y_all.max()) + 0.3),
    )
    fig.multi_line(
        "xs",
        "ys",
        source=multi["other_means"],
        color="#bbbbbb",
        line_width=1.5,
        legend_label="other stations (means)",
    )
    pts = fig.scatter(
        "temp",
        "log_ozone",
        source=outputs["station_points"],
        size=7,
        alpha=0.5,
        line_color=None,
        fill_color=station_color(0),
        legend_label="days",
    )
    draw_lines = fig.multi_line(
        "xs",
        "ys",
        source=multi["station_draws"],
        line_alpha=0.25,
        line_width=1.5,
        color=station_color(0),
        legend_label=f"{lines.size} posterior draws",
    )
    mean_line = fig.line(
        "temp",
        "log_ozone",
        source=outputs["station_mean"],
        line_width=4,
        color=station_color(0),
        legend_label="posterior mean",
    )
    fig.line(
        "temp",
        "log_ozone",
        source=outputs["population"],
        line_width=3,
        color="black",
        line_dash="dotted",
        legend_label="population mean",
    )
    style.legend(fig, "bottom_right")
    station_readout = style.div(name="post_station_readout")

    args |= {
        "hyper": hyper,
        "stations": stations,
        "draws": draws,
        "points": points,
        "station_select": select,
        "temp_lo": t_lo,
        "temp_hi": t_hi,
        "mu_alpha": float(posterior.mu_alpha.mean()),
        "mu_beta": float(posterior.mu_beta.mean()),
        "station_points": outputs["station_points"],
        "station_mean": outputs["station_mean"],
        "population": outputs["population"],
        "station_draws": multi["station_draws"],
        "other_means": multi["other_means"],
        "points_renderer": pts,
        "draws_renderer": draw_lines,
        "mean_renderer": mean_line,
        "station_readout": station_readout,
    }
    callback = connect(js_update("posterior", args), [select])
    panel = tab_panel(
        style,
        name="post",
        title="5 · Real posterior",
        description=f"The covarying model fitted to the {posterior.source} data: ρ's posterior "
        "against its prior, and each station's fitted lines.",
        controls=[readout, select, station_readout],
        plots=row(rho_fig, fig, spacing=30),
    )
    return Tab(panel, callback)
