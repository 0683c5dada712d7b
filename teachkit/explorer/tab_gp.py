"""Tab 6: a Gaussian process over the 12 Beijing stations, on sliders.

Drag sigma_gp (the process's sd, log-ozone units) and ell (the length-scale, km) and choose the
kernel family: the page draws the kernel's correlation k(d)/sigma_gp^2 over 0-70 km with the 66
station-pair distances as a rug, the correlation it implies between every pair of stations as
lines on the map (thicker and darker for a stronger correlation), and a draw of the station
baselines f ~ MVN(0, K) as colours on the map, with a "new draw" button. The distances, the
kernels (teachkit.kernels' exp_quad, exponential and matern32) and the Cholesky factor of the
draw are computed in the page, by ``js/gp.js``; Python only embeds the stations' coordinates.

The maps are longitude against latitude with the aspect 1/cos(mean latitude), so that a km is
as long north-south as east-west; a 10 km bar gives the scale.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from bokeh.layouts import row
from bokeh.models import (
    Button,
    ColorBar,
    ColumnDataSource,
    CustomJS,
    HoverTool,
    LabelSet,
    LinearColorMapper,
    Range1d,
)
from bokeh.palettes import RdBu11

from teachkit.cases.ozone.stations import load_beijing_stations
from teachkit.explorer.layout import Tab, connect, tab_panel
from teachkit.explorer.style import CONTROLS_WIDTH, FONT, PALETTE, PageStyle, js_update
from teachkit.kernels import great_circle_km

__all__ = [
    "COORDINATES_NOTE",
    "FAMILY_LABELS",
    "GP_DEFAULTS",
    "coordinates_note_tab",
    "farthest_pair",
    "gp_tab",
]

#: Where the sliders start: the lecture's squared-exponential kernel, a length-scale within the
#: stations' distances (4-60 km) and an sd like the varying-intercepts model's sigma_alpha.
GP_DEFAULTS: dict[str, Any] = {"sigma_gp": 0.3, "ell": 20.0, "family": "exp_quad"}
SIGMA_RANGE: tuple[float, float] = (0.0, 1.0)
ELL_RANGE: tuple[float, float] = (1.0, 100.0)
#: The selector's labels, by the family's name in teachkit.kernels (js/gp.js's FAMILIES).
FAMILY_LABELS: dict[str, str] = {
    "exp_quad": "squared exponential",
    "exponential": "exponential",
    "matern32": "Matérn 3/2",
}
#: The colours of the draw span -/+ this (log ozone); beyond it they saturate.
COLOR_LIMIT = 1.0
#: The kernel plot's distance axis (km): past the farthest pair (59.5 km).
MAX_KM = 70.0
PANEL_HEIGHT = 470
KERNEL_WIDTH = 380
MAP_WIDTH = 340
DRAW_WIDTH = 410
FAR_COLOR = PALETTE[1]  # orange: the farthest pair, on the map and on the rug
LINE_COLOR = PALETTE[0]
#: What tab 6 says on a page built from a table without coordinates (its description, a note).
COORDINATES_NOTE = (
    "A Gaussian process over space needs each group's coordinates (latitude and longitude); "
    "this table has none, so there is nothing to draw here.",
    "The lecture's page (teachkit explorer, without --case) shows it on Beijing's 12 stations.",
)
PAIR_TOOLTIPS = [("pair", "@name_i – @name_j"), ("distance", "@d{0.0} km"), ("corr.", "@r{0.00}")]


def farthest_pair(lat: Any, lon: Any) -> tuple[int, int]:
    """Indices (i < j) of the two stations farthest apart.

    Examples
    --------
    >>> s = load_beijing_stations()
    >>> i, j = farthest_pair(s.latitude, s.longitude)
    >>> s.station[i], s.station[j]
    ('Gucheng', 'Huairou')
    """
    d = great_circle_km(lat, lon)
    i, j = np.unravel_index(int(np.argmax(d)), d.shape)
    return int(min(i, j)), int(max(i, j))


def gp_tab(style: PageStyle) -> Tab:
    """Build tab 6.

    Examples
    --------
    >>> gp_tab(PageStyle()).panel.title
    '6 · Gaussian process'
    """
    stations = load_beijing_stations()
    lat = stations["latitude"].to_numpy(dtype=float)
    lon = stations["longitude"].to_numpy(dtype=float)
    names = stations["station"].tolist()
    n = len(names)
    far = farthest_pair(lat, lon)
    # the pairs in upper-triangle order, the farthest last so that its line is drawn on top
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if (i, j) != far] + [far]

    controls = {
        "sigma_slider": style.slider(
            "gp_sigma",
            "σ_gp (sd of the baselines, log ozone)",
            *SIGMA_RANGE,
            0.01,
            GP_DEFAULTS["sigma_gp"],
        ),
        "ell_slider": style.slider(
            "gp_ell",
            "ℓ (length-scale, km)",
            *ELL_RANGE,
            1.0,
            GP_DEFAULTS["ell"],
            number_format="0",
        ),
    }
    family = style.select("gp_family", "kernel", list(FAMILY_LABELS), GP_DEFAULTS["family"])
    family.options = [(k, v) for k, v in FAMILY_LABELS.items()]
    controls["family_select"] = family
    button = Button(
        label="New draw",
        name="gp_new_draw",
        width=CONTROLS_WIDTH - 30,
        stylesheets=[style.sheet],
        css_classes=["gp_new_draw"],
    )

    sources = {
        "stations": ColumnDataSource(
            {"name": names, "lat": lat, "lon": lon, "f": [0.0] * n, "z": [0.0] * n},
            name="gp_stations",
        ),
        "pairs": ColumnDataSource(
            {
                "i": [p[0] for p in pairs],
                "j": [p[1] for p in pairs],
                "name_i": [names[p[0]] for p in pairs],
                "name_j": [names[p[1]] for p in pairs],
                "lon0": [lon[p[0]] for p in pairs],
                "lat0": [lat[p[0]] for p in pairs],
                "lon1": [lon[p[1]] for p in pairs],
                "lat1": [lat[p[1]] for p in pairs],
                "color": [FAR_COLOR if p == far else LINE_COLOR for p in pairs],
                "d": [0.0] * len(pairs),
                "r": [0.0] * len(pairs),
                "width": [0.0] * len(pairs),
                "alpha": [0.0] * len(pairs),
            },
            name="gp_pairs",
        ),
        "curve": ColumnDataSource({"d": [], "r": []}, name="gp_curve"),
        "others": ColumnDataSource({"xs": [], "ys": [], "family": []}, name="gp_others"),
        "ell_mark": ColumnDataSource({"x": [], "text": []}, name="gp_ell_mark"),
    }
    readout = style.div(name="gp_readout")
    kernel_fig = _kernel_figure(style, sources)
    map_fig = _correlation_map(style, sources, lat, lon, far, names)
    draw_fig = _draw_map(style, sources, lat, lon)

    args = {**controls, **sources, "readout": readout}
    callback = connect(js_update("gp", args), list(controls.values()))
    button.js_on_event(
        "button_click",
        CustomJS(args=args, code=f"teachkit.gp.newDraw({{{', '.join(args)}}});"),
    )
    hint = style.div(
        '<div class="tk-formula">ℓ: how far correlation reaches. Longer ℓ: thicker lines, '
        "similar colours at nearby stations. σ_gp: how strong the colours are, not the "
        "correlations. The family: how fast correlation falls near d = 0.</div>",
        name="gp_hint",
    )
    panel = tab_panel(
        style,
        name="gp",
        title="6 · Gaussian process",
        description="A Gaussian process over the 12 Beijing stations: the kernel turns the "
        "distance between two stations into the correlation of their baselines.",
        controls=[*controls.values(), button, readout, hint],
        plots=row(kernel_fig, map_fig, draw_fig, spacing=20),
    )
    return Tab(panel, callback)


def _map_aspect(lat: np.ndarray) -> float:
    """Degrees of longitude per degree of latitude on screen: equal km both ways."""
    return math.cos(math.radians(float(np.mean(lat))))


def _map_figure(style: PageStyle, title: str, lat: np.ndarray, lon: np.ndarray, width: int) -> Any:
    """A map of the stations: lon/lat with equal distances both ways, no axes, a 10 km bar."""
    margin = 0.12  # room for the markers around the outermost stations
    fig = style.figure(
        title=title,
        width=width,
        height=PANEL_HEIGHT,
        match_aspect=True,
        aspect_scale=1 / _map_aspect(lat),
        tools="pan,wheel_zoom,reset,save",
    )
    # ranges follow the data, padded, and keep the aspect (match_aspect with data ranges)
    fig.x_range.range_padding = fig.y_range.range_padding = margin
    fig.axis.visible = False
    fig.min_border_left = fig.min_border_right = 10
    fig.min_border_bottom = 10
    # a 10 km scale bar, bottom right
    km_per_deg_lon = 111.195 * _map_aspect(lat)
    x1 = float(lon.max())
    x0 = x1 - 10.0 / km_per_deg_lon
    y = float(lat.min()) - 0.02
    fig.segment(x0, y, x1, y, line_width=3, color="black")
    bar = ColumnDataSource({"x": [(x0 + x1) / 2], "y": [y], "text": ["10 km"]})
    fig.add_layout(
        LabelSet(
            x="x",
            y="y",
            text="text",
            source=bar,
            text_align="center",
            y_offset=6,
            text_font=FONT,
            text_font_size="16px",
        )
    )
    return fig


def _kernel_figure(style: PageStyle, sources: dict[str, ColumnDataSource]) -> Any:
    """The kernel's correlation k(d)/sigma^2 against d, the pairs as dots and a rug."""
    fig = style.figure(
        title="Correlation k(d)/σ²",
        x_label="distance d (km)",
        y_label="correlation",
        width=KERNEL_WIDTH,
        height=PANEL_HEIGHT,
        x_range=Range1d(0, MAX_KM),
        y_range=Range1d(-0.12, 1.45),
    )
    fig.min_border_left = 60
    fig.yaxis.ticker = [0, 0.2, 0.4, 0.6, 0.8, 1.0]  # the room above 1 is the legend's
    fig.multi_line(
        "xs",
        "ys",
        source=sources["others"],
        color="#999999",
        line_width=2,
        line_dash="dashed",
        legend_label="other kernels",
    )
    fig.line("d", "r", source=sources["curve"], color="black", line_width=4, legend_label="kernel")
    # d = ell, marked and named
    fig.segment(
        "x",
        0,
        "x",
        1,
        source=sources["ell_mark"],
        color="#777777",
        line_dash="dotted",
        line_width=2,
    )
    fig.add_layout(
        LabelSet(
            x="x",
            y=0.9,
            text="text",
            source=sources["ell_mark"],
            text_align="left",
            x_offset=5,
            text_font=FONT,
            text_font_size="17px",
            text_color="#555555",
        )
    )
    # the 66 pairs: dots on the curve and ticks under the axis (the rug)
    dots = fig.scatter(
        "d",
        "r",
        source=sources["pairs"],
        size=8,
        color="color",
        alpha=0.8,
        legend_label="the 66 pairs",
    )
    fig.segment("d", -0.1, "d", -0.03, source=sources["pairs"], color="color", line_width=2)
    fig.add_tools(
        HoverTool(
            renderers=[dots],
            tooltips=PAIR_TOOLTIPS,
        )
    )
    style.legend(fig, "top_right")
    return fig


def _correlation_map(
    style: PageStyle,
    sources: dict[str, ColumnDataSource],
    lat: np.ndarray,
    lon: np.ndarray,
    far: tuple[int, int],
    names: list[str],
) -> Any:
    """The stations on the map, each pair joined by a line as wide and dark as its correlation."""
    fig = _map_figure(style, "Correlation of pairs", lat, lon, MAP_WIDTH)
    lines = fig.segment(
        "lon0",
        "lat0",
        "lon1",
        "lat1",
        source=sources["pairs"],
        line_width="width",
        line_alpha="alpha",
        line_color="color",
        line_cap="round",
    )
    fig.scatter("lon", "lat", source=sources["stations"], size=11, color="black")
    fig.add_tools(
        HoverTool(
            renderers=[lines],
            tooltips=PAIR_TOOLTIPS,
            line_policy="interp",
        )
    )
    # name the farthest pair, whose (orange) line the readout follows
    i, j = far
    labels = ColumnDataSource(
        {
            "x": [lon[i], lon[j]],
            "y": [lat[i], lat[j]],
            "text": [names[i], names[j]],
            # each name on the side away from the other station
            "align": ["left", "right"] if lon[i] < lon[j] else ["right", "left"],
        }
    )
    fig.add_layout(
        LabelSet(
            x="x",
            y="y",
            text="text",
            source=labels,
            text_align="align",
            x_offset=0,
            y_offset=-24,
            text_font=FONT,
            text_font_size="16px",
            text_color=FAR_COLOR,
            background_fill_color="white",
            background_fill_alpha=0.8,
        )
    )
    return fig


def _draw_map(
    style: PageStyle, sources: dict[str, ColumnDataSource], lat: np.ndarray, lon: np.ndarray
) -> Any:
    """One draw of the station baselines f ~ MVN(0, K), coloured on the map."""
    fig = _map_figure(style, "A draw of f (log ozone)", lat, lon, DRAW_WIDTH)
    mapper = LinearColorMapper(palette=RdBu11, low=-COLOR_LIMIT, high=COLOR_LIMIT, name="gp_colors")
    points = fig.scatter(
        "lon",
        "lat",
        source=sources["stations"],
        size=26,
        fill_color={"field": "f", "transform": mapper},
        line_color="black",
        line_width=1.5,
    )
    fig.add_tools(
        HoverTool(renderers=[points], tooltips=[("station", "@name"), ("f", "@f{+0.00}")])
    )
    bar = ColorBar(
        color_mapper=mapper,
        width=16,
        major_label_text_font=FONT,
        major_label_text_font_size="16px",
        padding=4,
    )
    fig.add_layout(bar, "right")
    return fig


def coordinates_note_tab(style: PageStyle) -> Tab:
    """Tab 6 on a page without coordinates: one line saying what it would need.

    Examples
    --------
    >>> coordinates_note_tab(PageStyle()).panel.title
    '6 · Gaussian process'
    """
    description, note = COORDINATES_NOTE
    panel = tab_panel(
        style,
        name="gp",
        title="6 · Gaussian process",
        description=description,
        controls=[style.div(f'<div class="tk-formula">{note}</div>', name="gp_readout")],
        plots=style.div("", name="gp_empty", width=10),
    )
    return Tab(panel, CustomJS(code=""))
