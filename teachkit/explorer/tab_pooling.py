"""Tab 4: partial pooling in two dimensions, on sliders.

Drag the days per station (1 to 400, log scale) and the population's sigma_alpha, sigma_beta,
rho and the residual sigma: the page computes each station's least-squares line (no pooling)
and its exact conditional posterior mean given those hyperparameters (partial pooling), and
draws both with the population's 50% and 94% ellipses. Fewer days, more shrinkage; the
shrinkage follows the ellipse. The maths is ``js/pooling.js``.

Axes are the lecture's: alpha is the log ozone at 0 deg C, beta the change per deg C. With
temperatures around 19 deg C the slope's sd is small (0.006), so each axis has its own scale,
fixed around the population mean so that moving estimates stay comparable.
"""

from __future__ import annotations

import math

import numpy as np
from bokeh.layouts import column, row
from bokeh.models import ColumnDataSource, HoverTool, Range1d

from teachkit.explorer.layout import Tab, connect, tab_panel
from teachkit.explorer.pooling_data import MAX_DAYS, PoolingData
from teachkit.explorer.style import PageStyle, js_update
from teachkit.plots.style import station_color

__all__ = ["POOLING_DEFAULTS", "pooling_tab"]

#: Hyperparameters the sliders start at: close to the covarying model's fit to the Beijing
#: data (and the truth of :func:`teachkit.simulate.simulate_ozone`). mu is held fixed.
POOLING_DEFAULTS: dict[str, float] = {
    "mu_alpha": 3.45,
    "mu_beta": 0.054,
    "sigma_alpha": 0.18,
    "sigma_beta": 0.006,
    "rho": -0.9,
    "sigma": 0.6,
    "days": 30,
}
#: The scatter spans mu -/+ these (about 5 population sds at the defaults).
ALPHA_HALF_WIDTH = 0.9
BETA_HALF_WIDTH = 0.03


def pooling_tab(style: PageStyle, data: PoolingData) -> Tab:
    """Build tab 4 from prepared per-station data.

    Examples
    --------
    >>> from teachkit.simulate import simulate_ozone
    >>> from teachkit.explorer.pooling_data import pooling_data
    >>> d = pooling_data(simulate_ozone(n_stations=3, n_days=50, rng=0).data)
    >>> pooling_tab(PageStyle(), d).panel.title
    '4 · Partial pooling'
    """
    p = POOLING_DEFAULTS
    days = style.slider(
        "pool_days",
        "days per station (log scale)",
        0.0,
        math.ceil(100 * math.log10(MAX_DAYS)) / 100,
        0.01,
        round(math.log10(p["days"]), 2),
        display="teachkit.pooling.daysFromSlider(tick)",
    )
    sa = style.slider(
        "pool_sigma_alpha", "σ_α (population sd of intercepts)", 0.01, 0.6, 0.01, p["sigma_alpha"]
    )
    sb = style.slider(
        "pool_sigma_beta",
        "σ_β (population sd of slopes)",
        0.0005,
        0.02,
        0.0005,
        p["sigma_beta"],
        number_format="0.0000",
    )
    rho = style.slider("pool_rho", "ρ (correlation of α_j and β_j)", -0.99, 0.99, 0.01, p["rho"])
    sigma = style.slider("pool_sigma", "σ (residual sd)", 0.1, 1.5, 0.05, p["sigma"])
    names = list(data.station_names)
    station = style.select("pool_station", "station (right panel)", names, names[0])

    source = ColumnDataSource(
        {"station": data.station, "temp": data.temp, "log_ozone": data.log_ozone},
        name="pool_data",
    )
    stations = ColumnDataSource(
        {"name": names, "color": [station_color(j) for j in range(len(names))]},
        name="pool_stations",
    )
    estimates = ColumnDataSource(
        {k: [] for k in ("name", "color", "n_days", "np_alpha", "np_beta", "pp_alpha", "pp_beta")},
        name="pool_estimates",
    )
    rings = ColumnDataSource({"xs": [], "ys": []}, name="pool_rings")

    scatter = style.figure(
        title="No pooling → partial pooling",
        x_label="intercept α_j (log ozone at 0 °C)",
        y_label="slope β_j (per °C)",
        width=570,
        height=600,
        x_range=Range1d(p["mu_alpha"] - ALPHA_HALF_WIDTH, p["mu_alpha"] + ALPHA_HALF_WIDTH),
        y_range=Range1d(p["mu_beta"] - BETA_HALF_WIDTH, p["mu_beta"] + BETA_HALF_WIDTH),
    )
    scatter.multi_line(
        "xs", "ys", source=rings, color="#777777", line_width=2, legend_label="population 50%, 94%"
    )
    scatter.segment(
        "np_alpha", "np_beta", "pp_alpha", "pp_beta", source=estimates, color="color", line_width=2
    )
    scatter.scatter(
        "np_alpha",
        "np_beta",
        source=estimates,
        size=13,
        fill_color="white",
        line_color="color",
        line_width=3,
        legend_label="no pooling",
    )
    pp = scatter.scatter(
        "pp_alpha",
        "pp_beta",
        source=estimates,
        size=15,
        marker="diamond",
        color="color",
        line_color="black",
        legend_label="partial pooling",
    )
    scatter.scatter(
        [p["mu_alpha"]],
        [p["mu_beta"]],
        size=18,
        marker="cross",
        color="black",
        line_width=3,
        legend_label="μ",
    )
    scatter.add_tools(
        HoverTool(
            renderers=[pp],
            tooltips=[
                ("station", "@name"),
                ("days", "@n_days"),
                ("no pooling", "@np_alpha{0.000}, @np_beta{0.0000}"),
                ("partial", "@pp_alpha{0.000}, @pp_beta{0.0000}"),
            ],
        )
    )
    style.legend(scatter, "top_right")
    scatter.yaxis.formatter.use_scientific = False

    points = ColumnDataSource({"temp": [], "log_ozone": []}, name="pool_station_points")
    lines = {
        k: ColumnDataSource({"temp": [], "log_ozone": []}, name=f"pool_line_{k}")
        for k in ("np", "pp", "pop")
    }
    t_lo, t_hi = float(np.floor(data.temp.min())) - 1, float(np.ceil(data.temp.max())) + 1
    y_lo, y_hi = np.quantile(data.log_ozone, [0.002, 1.0])
    panel_fig = style.figure(
        title="One station's days and lines",
        x_label="max temperature (°C)",
        y_label="log max ozone",
        width=570,
        height=600,
        x_range=Range1d(t_lo, t_hi),
        y_range=Range1d(float(y_lo) - 0.3, float(y_hi) + 0.3),
    )
    pts = panel_fig.scatter(
        "temp",
        "log_ozone",
        source=points,
        size=8,
        alpha=0.6,
        line_color=None,
        fill_color=station_color(0),
    )
    panel_fig.line(
        "temp",
        "log_ozone",
        source=lines["pop"],
        color="black",
        line_dash="dotted",
        line_width=3,
        legend_label="population μ",
    )
    np_line = panel_fig.line(
        "temp",
        "log_ozone",
        source=lines["np"],
        line_dash="dashed",
        line_width=3,
        color=station_color(0),
        legend_label="no pooling",
    )
    pp_line = panel_fig.line(
        "temp",
        "log_ozone",
        source=lines["pp"],
        line_width=4,
        color=station_color(0),
        legend_label="partial pooling",
    )
    style.legend(panel_fig, "top_left")

    readout = style.div(name="pool_readout")
    args = {
        "days_slider": days,
        "sa_slider": sa,
        "sb_slider": sb,
        "rho_slider": rho,
        "sigma_slider": sigma,
        "station_select": station,
        "data": source,
        "stations": stations,
        "mu_alpha": p["mu_alpha"],
        "mu_beta": p["mu_beta"],
        "estimates": estimates,
        "rings": rings,
        "station_points": points,
        "line_np": lines["np"],
        "line_pp": lines["pp"],
        "line_pop": lines["pop"],
        "temp_lo": t_lo,
        "temp_hi": t_hi,
        "station_points_renderer": pts,
        "line_np_renderer": np_line,
        "line_pp_renderer": pp_line,
        "readout": readout,
    }
    callback = connect(js_update("pooling", args), [days, sa, sb, rho, sigma, station])
    panel = tab_panel(
        style,
        name="pool",
        title="4 · Partial pooling",
        description=f"Partial pooling on the {data.source} data: fewer days per station, "
        "more shrinkage towards μ, along the population's correlation.",
        controls=[days, sa, sb, rho, sigma, station, readout],
        plots=row(scatter, column(panel_fig), spacing=30),
    )
    return Tab(panel, callback)
