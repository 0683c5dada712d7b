"""Tab 4: partial pooling in two dimensions, on sliders.

Drag the rows per group (1 to 400, log scale) and the population's sigma_alpha, sigma_beta,
rho and the residual sigma: the page computes each group's least-squares line (no pooling)
and its exact conditional posterior mean given those hyperparameters (partial pooling), and
draws both with the population's 50% and 94% ellipses. Fewer rows, more shrinkage; the
shrinkage follows the ellipse. The maths is ``js/pooling.js``.

On the lecture's page the groups are stations and their rows days: alpha is the log ozone at
0 deg C, beta the change per deg C. With temperatures around 19 deg C the slope's sd is small
(0.006), so each axis has its own scale, fixed around the population mean so that moving
estimates stay comparable. A user's table brings its own names and scales
(:class:`~teachkit.explorer.labels.Labels`,
:class:`~teachkit.explorer.pooling_settings.PoolingSettings`).
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

import numpy as np
from bokeh.layouts import column, row
from bokeh.models import ColumnDataSource, HoverTool, Range1d

from teachkit.explorer.labels import plain
from teachkit.explorer.layout import Tab, connect, tab_panel
from teachkit.explorer.pooling_data import MAX_DAYS, PoolingData
from teachkit.explorer.pooling_settings import LECTURE_POOLING
from teachkit.explorer.style import PageStyle, js_update
from teachkit.plots.style import station_color

__all__ = ["default_group", "pooling_tab"]

#: The colour key under the shrinkage plot names at most this many groups.
KEY_GROUPS = 24


def pooling_tab(style: PageStyle, data: PoolingData) -> Tab:
    """Build tab 4 from prepared per-group data.

    Examples
    --------
    >>> from teachkit.simulate import simulate_ozone
    >>> from teachkit.explorer.pooling_data import pooling_data
    >>> d = pooling_data(simulate_ozone(n_stations=3, n_days=50, rng=0).data)
    >>> pooling_tab(PageStyle(), d).panel.title
    '4 · Partial pooling'
    """
    names = list(data.group_names)
    controls = _controls(style, data, default_group(data))
    sources = {
        "data": ColumnDataSource({"group": data.group, "x": data.x, "y": data.y}, name="pool_data"),
        "groups": ColumnDataSource(
            {"name": names, "color": [station_color(j) for j in range(len(names))]},
            name="pool_groups",
        ),
        "estimates": ColumnDataSource(
            {
                k: []
                for k in ("name", "color", "n_days", "np_alpha", "np_beta", "pp_alpha", "pp_beta")
            },
            name="pool_estimates",
        ),
        "rings": ColumnDataSource({"xs": [], "ys": []}, name="pool_rings"),
        "group_points": ColumnDataSource({"x": [], "y": []}, name="pool_group_points"),
        **{
            f"line_{k}": ColumnDataSource({"x": [], "y": []}, name=f"pool_line_{k}")
            for k in ("np", "pp", "pop")
        },
    }
    scatter = _shrinkage_figure(style, data, sources["estimates"], sources["rings"])
    group_fig, renderers, (x_lo, x_hi) = _group_figure(style, data, sources)
    readout = style.div(name="pool_readout")
    s, lab = data.settings, data.labels
    args = {
        **controls,
        **sources,
        **renderers,
        "mu_alpha": s.mu_alpha,
        "mu_beta": s.mu_beta,
        "x_lo": x_lo,
        "x_hi": x_hi,
        "x_center": data.x_center,
        "max_rows": s.max_rows,
        "digits": dict(s.digits),
        "words": {
            "group": lab.group,
            "groups": lab.groups,
            "row": lab.row,
            "rows": lab.rows,
            "x_term": lab.x_term,
        },
        "readout": readout,
    }
    callback = connect(js_update("pooling", args), list(controls.values()))
    panel = tab_panel(
        style,
        name="pool",
        title="4 · Partial pooling",
        description=f"Partial pooling on the {escape(data.source)} data: fewer {escape(lab.rows)} "
        f"per {escape(lab.group)}, more shrinkage towards μ, along the population's "
        "correlation. The shrinkage is computed from the sliders' hyperparameters (the exact "
        "posterior mean given them), not from a fit of the model.",
        controls=[*controls.values(), readout],
        plots=row(column(scatter, _colour_key(style, names)), group_fig, spacing=30),
    )
    return Tab(panel, callback)


def _colour_key(style: PageStyle, names: list[str]) -> Any:
    """Which colour is which group, under the middle panel (the first KEY_GROUPS of them)."""
    items = " ".join(
        f'<span class="tk-key"><span style="color:{station_color(j)}">●</span> '
        f"{escape(name)}</span>"
        for j, name in enumerate(names[:KEY_GROUPS])
    )
    more = f" and {len(names) - KEY_GROUPS} more" if len(names) > KEY_GROUPS else ""
    return style.div(
        f'<div class="tk-formula">colours: {items}{more}</div>', name="pool_key", width=570
    )


def _x_range(data: PoolingData) -> tuple[float, float]:
    """The drawn range of x: whole units around the data on the lecture's page, else 5% more."""
    lo, hi = float(data.x.min()), float(data.x.max())
    if data.settings is LECTURE_POOLING:
        return float(np.floor(lo)) - 1, float(np.ceil(hi)) + 1
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad


def default_group(data: PoolingData) -> str:
    """The group whose no-pooling and partial-pooling lines differ most at the defaults.

    The criterion: the largest vertical gap between the two lines over the drawn range of
    x, with the sliders' starting values (``data.settings``), the same maths as
    ``js/pooling.js``. Groups whose line is not determined are skipped (the first group when
    none is).

    Examples
    --------
    >>> from teachkit.explorer.pooling_data import pooling_data
    >>> default_group(pooling_data("simulated")) in pooling_data("simulated").group_names
    True
    """
    p = data.settings
    sa, sb, rho = p.sigma_alpha, p.sigma_beta, p.rho
    prior = np.linalg.inv(np.array([[sa * sa, rho * sa * sb], [rho * sa * sb, sb * sb]]))
    mu = np.array([p.mu_alpha, p.mu_beta])
    x_lo, x_hi = _x_range(data)
    ends = np.array([[1.0, x_lo - data.x_center], [1.0, x_hi - data.x_center]])
    gaps = []
    for j in range(len(data.group_names)):
        t = data.x[data.group == j][: p.days] - data.x_center
        y = data.y[data.group == j][: p.days]
        X = np.column_stack([np.ones_like(t), t])
        xtx, xty = X.T @ X, X.T @ y
        if t.size < 2 or np.linalg.det(xtx) <= 1e-9 * xtx[0, 0] * xtx[1, 1]:
            gaps.append(-np.inf)
            continue
        no_pooling = np.linalg.solve(xtx, xty)
        w = 1 / p.sigma**2
        partial = np.linalg.solve(prior + w * xtx, prior @ mu + w * xty)
        gaps.append(float(np.max(np.abs(ends @ (no_pooling - partial)))))
    return data.group_names[int(np.argmax(gaps))]


def _controls(style: PageStyle, data: PoolingData, group: str) -> dict[str, Any]:
    """The sliders (rows on a log scale) and the group selector, keyed as pooling.js reads."""
    p, lab = data.settings, data.labels
    days_end = max(0.01, math.ceil(100 * math.log10(p.max_rows)) / 100)  # JS clamps
    display = (
        "teachkit.pooling.daysFromSlider(tick)"
        if p.max_rows == MAX_DAYS
        else f"teachkit.pooling.daysFromSlider(tick, {p.max_rows})"
    )
    ranges = {
        "sa": p.sigma_alpha_range,
        "sb": p.sigma_beta_range,
        "sigma": p.sigma_range,
    }

    def slider(key: str, name: str, title: str, value: float) -> Any:
        r = ranges[key]
        return style.slider(
            name, title, r.start, r.end, r.step, value, number_format=r.number_format
        )

    return {
        "days_slider": style.slider(
            "pool_days",
            f"{lab.rows} per {lab.group} (log scale)",
            0.0,
            days_end,
            0.01,
            round(math.log10(p.days), 2),
            display=display,
        ),
        "sa_slider": slider(
            "sa", "pool_sigma_alpha", "σ_α (population sd of intercepts)", p.sigma_alpha
        ),
        "sb_slider": slider("sb", "pool_sigma_beta", "σ_β (population sd of slopes)", p.sigma_beta),
        "rho_slider": style.slider(
            "pool_rho", "ρ (correlation of α_j and β_j)", -0.99, 0.99, 0.01, p.rho
        ),
        "sigma_slider": slider("sigma", "pool_sigma", "σ (residual sd)", p.sigma),
        "group_select": style.select(
            "pool_group", f"{lab.group} (right panel)", list(data.group_names), group
        ),
    }


def _shrinkage_figure(
    style: PageStyle, data: PoolingData, estimates: ColumnDataSource, rings: ColumnDataSource
) -> Any:
    """(alpha_j, beta_j): no pooling (rings), partial pooling (diamonds), arrows, ellipses."""
    p, lab = data.settings, data.labels
    fig = style.figure(
        title="No pooling → partial pooling",
        x_label=plain(f"intercept α_j ({lab.intercept})"),
        y_label=plain(f"slope β_j ({lab.slope})"),
        width=570,
        height=600,
        x_range=Range1d(p.mu_alpha - p.alpha_half_width, p.mu_alpha + p.alpha_half_width),
        y_range=Range1d(p.mu_beta - p.beta_half_width, p.mu_beta + p.beta_half_width),
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
        [p.mu_alpha],
        [p.mu_beta],
        size=18,
        marker="cross",
        color="black",
        line_width=3,
        legend_label="μ",
    )
    alpha_format = "{0." + "0" * (p.digits["alpha"] + 1) + "}"
    beta_format = "{0." + "0" * p.digits["beta"] + "}"
    fig.add_tools(
        HoverTool(
            renderers=[partial],
            tooltips=[
                (lab.group, "@name"),
                (lab.rows, "@n_days"),
                ("no pooling", f"@np_alpha{alpha_format}, @np_beta{beta_format}"),
                ("partial", f"@pp_alpha{alpha_format}, @pp_beta{beta_format}"),
            ],
        )
    )
    style.legend(fig, "top_right")
    _neutral_legend_marks(fig, {"no pooling": no_pooling, "partial pooling": partial})
    fig.yaxis.formatter.use_scientific = False
    return fig


def _neutral_legend_marks(fig: Any, renderers: dict[str, Any]) -> None:
    """Draw the legend's "no pooling" and "partial pooling" marks in grey, not a group's colour.

    A legend draws a renderer's mark with the visuals of its first row, here the first
    group's colour, which reads as "no pooling is dark blue". Each item gets a second,
    grey renderer of the same marker and size, drawn over the first in the legend; it has one
    point at NaN, so the plot shows nothing of it. The item keeps both renderers, so
    clicking it still hides the groups' marks.
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


def _group_figure(
    style: PageStyle, data: PoolingData, sources: dict[str, ColumnDataSource]
) -> tuple[Any, dict[str, Any], tuple[float, float]]:
    """One group's rows and its three lines; the renderers pooling.js recolours; x range."""
    lab = data.labels
    x_lo, x_hi = _x_range(data)
    y_lo, y_hi = np.quantile(data.y, [0.002, 1.0])
    pad = 0.3 if data.settings is LECTURE_POOLING else 0.08 * float(y_hi - y_lo or 1.0)
    fig = style.figure(
        title=f"One {lab.group}'s {lab.rows} and lines",
        x_label=plain(lab.x),
        y_label=plain(lab.y),
        width=570,
        height=600,
        x_range=Range1d(x_lo, x_hi),
        y_range=Range1d(float(y_lo) - pad, float(y_hi) + pad),
    )
    first = station_color(0)
    line = {"x": "x", "y": "y"}
    points = fig.scatter(
        source=sources["group_points"],
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
        "group_points_renderer": points,
        "line_np_renderer": no_pooling,
        "line_pp_renderer": partial,
    }
    return fig, renderers, (x_lo, x_hi)
