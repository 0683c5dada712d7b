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
from html import escape
from typing import Any

import numpy as np
from bokeh.layouts import column, row
from bokeh.models import ColumnDataSource, HoverTool, Range1d

from teachkit.explorer.layout import Tab, connect, tab_panel
from teachkit.explorer.pooling_data import MAX_DAYS, PoolingData
from teachkit.explorer.style import PageStyle, js_update
from teachkit.plots.style import station_color

__all__ = ["POOLING_DEFAULTS", "default_station", "pooling_tab"]

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
    controls = _controls(style, list(data.station_names), default_station(data))
    names = list(data.station_names)
    sources = {
        "data": ColumnDataSource(
            {"station": data.station, "temp": data.temp, "log_ozone": data.log_ozone},
            name="pool_data",
        ),
        "stations": ColumnDataSource(
            {"name": names, "color": [station_color(j) for j in range(len(names))]},
            name="pool_stations",
        ),
        "estimates": ColumnDataSource(
            {
                k: []
                for k in ("name", "color", "n_days", "np_alpha", "np_beta", "pp_alpha", "pp_beta")
            },
            name="pool_estimates",
        ),
        "rings": ColumnDataSource({"xs": [], "ys": []}, name="pool_rings"),
        "station_points": ColumnDataSource(
            {"temp": [], "log_ozone": []}, name="pool_station_points"
        ),
        **{
            f"line_{k}": ColumnDataSource({"temp": [], "log_ozone": []}, name=f"pool_line_{k}")
            for k in ("np", "pp", "pop")
        },
    }
    scatter = _shrinkage_figure(style, sources["estimates"], sources["rings"])
    station_fig, renderers, (t_lo, t_hi) = _station_figure(style, data, sources)
    readout = style.div(name="pool_readout")
    args = {
        **controls,
        **sources,
        **renderers,
        "mu_alpha": POOLING_DEFAULTS["mu_alpha"],
        "mu_beta": POOLING_DEFAULTS["mu_beta"],
        "temp_lo": t_lo,
        "temp_hi": t_hi,
        "readout": readout,
    }
    callback = connect(js_update("pooling", args), list(controls.values()))
    panel = tab_panel(
        style,
        name="pool",
        title="4 · Partial pooling",
        description=f"Partial pooling on the {data.source} data: fewer days per station, "
        "more shrinkage towards μ, along the population's correlation. The shrinkage is "
        "computed from the sliders' hyperparameters (the exact posterior mean given them), "
        "not from a fit of the model.",
        controls=[*controls.values(), readout],
        plots=row(column(scatter, _colour_key(style, names)), station_fig, spacing=30),
    )
    return Tab(panel, callback)


def _colour_key(style: PageStyle, names: list[str]) -> Any:
    """Which colour is which station, under the middle panel."""
    items = " ".join(
        f'<span class="tk-key"><span style="color:{station_color(j)}">●</span> '
        f"{escape(name)}</span>"
        for j, name in enumerate(names)
    )
    return style.div(f'<div class="tk-formula">colours: {items}</div>', name="pool_key", width=570)


def default_station(data: PoolingData) -> str:
    """The station whose no-pooling and partial-pooling lines differ most at the defaults.

    The criterion: the largest vertical gap between the two lines over the drawn range of
    temperatures, with the sliders' starting values (``POOLING_DEFAULTS``), the same maths as
    ``js/pooling.js``. Stations whose line is not determined are skipped.

    Examples
    --------
    >>> from teachkit.explorer.pooling_data import pooling_data
    >>> default_station(pooling_data("simulated")) in pooling_data("simulated").station_names
    True
    """
    p = POOLING_DEFAULTS
    days = int(p["days"])
    sa, sb, rho = p["sigma_alpha"], p["sigma_beta"], p["rho"]
    prior = np.linalg.inv(np.array([[sa * sa, rho * sa * sb], [rho * sa * sb, sb * sb]]))
    mu = np.array([p["mu_alpha"], p["mu_beta"]])
    t_lo, t_hi = float(np.floor(data.temp.min())) - 1, float(np.ceil(data.temp.max())) + 1
    ends = np.array([[1.0, t_lo], [1.0, t_hi]])
    gaps = []
    for j in range(len(data.station_names)):
        t = data.temp[data.station == j][:days]
        y = data.log_ozone[data.station == j][:days]
        X = np.column_stack([np.ones_like(t), t])
        xtx, xty = X.T @ X, X.T @ y
        if t.size < 2 or np.linalg.det(xtx) <= 1e-9 * xtx[0, 0] * xtx[1, 1]:
            gaps.append(-np.inf)
            continue
        no_pooling = np.linalg.solve(xtx, xty)
        w = 1 / p["sigma"] ** 2
        partial = np.linalg.solve(prior + w * xtx, prior @ mu + w * xty)
        gaps.append(float(np.max(np.abs(ends @ (no_pooling - partial)))))
    return data.station_names[int(np.argmax(gaps))]


def _controls(style: PageStyle, names: list[str], station: str) -> dict[str, Any]:
    """The sliders (days on a log scale) and the station selector, keyed as pooling.js reads."""
    p = POOLING_DEFAULTS
    days_end = math.ceil(100 * math.log10(MAX_DAYS)) / 100  # 10^end >= MAX_DAYS; JS clamps
    return {
        "days_slider": style.slider(
            "pool_days",
            "days per station (log scale)",
            0.0,
            days_end,
            0.01,
            round(math.log10(p["days"]), 2),
            display="teachkit.pooling.daysFromSlider(tick)",
        ),
        "sa_slider": style.slider(
            "pool_sigma_alpha",
            "σ_α (population sd of intercepts)",
            0.01,
            0.6,
            0.01,
            p["sigma_alpha"],
        ),
        "sb_slider": style.slider(
            "pool_sigma_beta",
            "σ_β (population sd of slopes)",
            0.0005,
            0.02,
            0.0005,
            p["sigma_beta"],
            number_format="0.0000",
        ),
        "rho_slider": style.slider(
            "pool_rho", "ρ (correlation of α_j and β_j)", -0.99, 0.99, 0.01, p["rho"]
        ),
        "sigma_slider": style.slider("pool_sigma", "σ (residual sd)", 0.1, 1.5, 0.05, p["sigma"]),
        "station_select": style.select("pool_station", "station (right panel)", names, station),
    }


def _shrinkage_figure(
    style: PageStyle, estimates: ColumnDataSource, rings: ColumnDataSource
) -> Any:
    """(alpha_j, beta_j): no pooling (rings), partial pooling (diamonds), arrows, ellipses."""
    p = POOLING_DEFAULTS
    fig = style.figure(
        title="No pooling → partial pooling",
        x_label="intercept α_j (log ozone at 0 °C)",
        y_label="slope β_j (per °C)",
        width=570,
        height=600,
        x_range=Range1d(p["mu_alpha"] - ALPHA_HALF_WIDTH, p["mu_alpha"] + ALPHA_HALF_WIDTH),
        y_range=Range1d(p["mu_beta"] - BETA_HALF_WIDTH, p["mu_beta"] + BETA_HALF_WIDTH),
    )
    fig.multi_line(
        "xs", "ys", source=rings, color="#777777", line_width=2, legend_label="population 50%, 94%"
    )
    fig.segment(
        "np_alpha", "np_beta", "pp_alpha", "pp_beta", source=estimates, color="color", line_width=2
    )
    no_pooling = fig.scatter(
        "np_alpha",
        "np_beta",
        source=estimates,
        size=13,
        fill_color="white",
        line_color="color",
        line_width=3,
        legend_label="no pooling",
    )
    partial = fig.scatter(
        "pp_alpha",
        "pp_beta",
        source=estimates,
        size=15,
        marker="diamond",
        color="color",
        line_color="black",
        legend_label="partial pooling",
    )
    fig.scatter(
        [p["mu_alpha"]],
        [p["mu_beta"]],
        size=18,
        marker="cross",
        color="black",
        line_width=3,
        legend_label="μ",
    )
    fig.add_tools(
        HoverTool(
            renderers=[partial],
            tooltips=[
                ("station", "@name"),
                ("days", "@n_days"),
                ("no pooling", "@np_alpha{0.000}, @np_beta{0.0000}"),
                ("partial", "@pp_alpha{0.000}, @pp_beta{0.0000}"),
            ],
        )
    )
    style.legend(fig, "top_right")
    _neutral_legend_marks(fig, {"no pooling": no_pooling, "partial pooling": partial})
    fig.yaxis.formatter.use_scientific = False
    return fig


def _neutral_legend_marks(fig: Any, renderers: dict[str, Any]) -> None:
    """Draw the legend's "no pooling" and "partial pooling" marks in grey, not a station's colour.

    A legend draws a renderer's mark with the visuals of its first row, here the first
    station's colour, which reads as "no pooling is dark blue". Each item gets a second,
    grey renderer of the same marker and size, drawn over the first in the legend; it has one
    point at NaN, so the plot shows nothing of it. The item keeps both renderers, so
    clicking it still hides the station's marks.
    """
    for item in fig.legend[0].items:
        label = item.label.value if item.label is not None else None
        if label not in renderers:
            continue
        glyph = renderers[label].glyph
        grey = fig.scatter(
            [math.nan],
            [math.nan],
            marker=glyph.marker,
            size=glyph.size,
            line_width=glyph.line_width,
            fill_color="white" if glyph.fill_color == "white" else "#888888",
            line_color="#555555" if glyph.fill_color == "white" else "black",
            name=f"pool_legend_{label.replace(' ', '_')}",
        )
        item.renderers = [renderers[label], grey]


def _station_figure(
    style: PageStyle, data: PoolingData, sources: dict[str, ColumnDataSource]
) -> tuple[Any, dict[str, Any], tuple[float, float]]:
    """One station's days and its three lines; the renderers pooling.js recolours; T range."""
    t_lo, t_hi = float(np.floor(data.temp.min())) - 1, float(np.ceil(data.temp.max())) + 1
    y_lo, y_hi = np.quantile(data.log_ozone, [0.002, 1.0])
    fig = style.figure(
        title="One station's days and lines",
        x_label="max temperature (°C)",
        y_label="log max ozone",
        width=570,
        height=600,
        x_range=Range1d(t_lo, t_hi),
        y_range=Range1d(float(y_lo) - 0.3, float(y_hi) + 0.3),
    )
    first = station_color(0)
    line = {"x": "temp", "y": "log_ozone"}
    points = fig.scatter(
        source=sources["station_points"],
        size=8,
        alpha=0.6,
        line_color=None,
        fill_color=first,
        **line,
    )
    fig.line(
        source=sources["line_pop"],
        color="black",
        line_dash="dotted",
        line_width=3,
        legend_label="population μ",
        **line,
    )
    no_pooling = fig.line(
        source=sources["line_np"],
        line_dash="dashed",
        line_width=3,
        color=first,
        legend_label="no pooling",
        **line,
    )
    partial = fig.line(
        source=sources["line_pp"], line_width=4, color=first, legend_label="partial pooling", **line
    )
    style.legend(fig, "top_left")
    renderers = {
        "station_points_renderer": points,
        "line_np_renderer": no_pooling,
        "line_pp_renderer": partial,
    }
    return fig, renderers, (t_lo, t_hi)
