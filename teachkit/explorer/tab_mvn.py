"""Tab 2: the bivariate normal on sliders.

Drag sigma_a, sigma_b and rho: the page draws from N(0, Sigma) with
Sigma = diag(sigma_a, sigma_b) R diag(sigma_a, sigma_b), shows the regions holding 50% and 94%
of the probability, and puts the marginal histograms beside those of two independent normals
with the same sds: the marginals cannot tell the two apart (the lecture's slide, as
:func:`teachkit.plots.plot_mvn_vs_independent`). Sigma is written out with the current
numbers. The maths is ``js/mvn.js``.
"""

from __future__ import annotations

from typing import Any

from bokeh.layouts import column, gridplot, row
from bokeh.models import ColumnDataSource, Range1d

from teachkit.explorer.layout import Tab, connect, tab_panel
from teachkit.explorer.style import PALETTE, PageStyle, js_update

__all__ = ["mvn_tab"]

#: Slider ranges and the lecture's example, Sigma = [[4, -1.6], [-1.6, 1]].
SD_RANGE: tuple[float, float] = (0.2, 3.0)
DEFAULTS = {"sigma_a": 2.0, "sigma_b": 1.0, "rho": -0.8}
#: Both axes of both scatters span +/- this, so clouds are compared on one scale.
AXIS_HALF_WIDTH = 8.0
SCATTER_SIZE = 430
MARGIN_SIZE = 120


def _panel(
    style: PageStyle, key: str, title: str, colour: str, ranges: tuple[Range1d, ...]
) -> tuple[Any, dict[str, ColumnDataSource], tuple[Any, Any]]:
    """One scatter with its marginal histograms: the grid, its data sources, the two margins."""
    x_range, y_range, dens_x, dens_y = ranges
    sources = {
        "points": ColumnDataSource({"x": [], "y": []}, name=f"mvn_points_{key}"),
        "rings": ColumnDataSource({"xs": [], "ys": [], "mass": []}, name=f"mvn_rings_{key}"),
        "hist_x": ColumnDataSource({"lo": [], "hi": [], "density": []}, name=f"mvn_hx_{key}"),
        "hist_y": ColumnDataSource({"lo": [], "hi": [], "density": []}, name=f"mvn_hy_{key}"),
    }
    scatter = style.figure(
        x_label="a",
        y_label="b",
        width=SCATTER_SIZE,
        height=SCATTER_SIZE,
        x_range=x_range,
        y_range=y_range,
    )
    scatter.scatter("x", "y", source=sources["points"], size=5, alpha=0.35, color=colour)
    scatter.multi_line(
        "xs",
        "ys",
        source=sources["rings"],
        color="black",
        line_width=2.5,
        legend_label="50% and 94% regions",
    )
    style.legend(scatter, "bottom_left")
    top = style.figure(
        title=title,
        width=SCATTER_SIZE,
        height=MARGIN_SIZE + 40,
        x_range=x_range,
        y_range=dens_x,
        tools="",
    )
    top.quad(
        left="lo",
        right="hi",
        bottom=0,
        top="density",
        source=sources["hist_x"],
        fill_color=colour,
        fill_alpha=0.5,
        line_color="white",
    )
    right = style.figure(
        width=MARGIN_SIZE, height=SCATTER_SIZE, y_range=y_range, x_range=dens_y, tools=""
    )
    right.quad(
        left=0,
        right="density",
        bottom="lo",
        top="hi",
        source=sources["hist_y"],
        fill_color=colour,
        fill_alpha=0.5,
        line_color="white",
    )
    for margin in (top, right):
        margin.axis.visible = False
        margin.min_border_left = 70 if margin is top else 0
    grid = gridplot([[top, None], [scatter, right]], toolbar_location=None)
    return grid, sources, (top, right)


def mvn_tab(style: PageStyle) -> Tab:
    """Build tab 2.

    Examples
    --------
    >>> mvn_tab(PageStyle()).panel.title
    '2 · Multivariate normal'
    """
    sa = style.slider("mvn_sigma_a", "σ_a (sd of a)", *SD_RANGE, 0.05, DEFAULTS["sigma_a"])
    sb = style.slider("mvn_sigma_b", "σ_b (sd of b)", *SD_RANGE, 0.05, DEFAULTS["sigma_b"])
    rho = style.slider("mvn_rho", "ρ (correlation of a and b)", -0.99, 0.99, 0.01, DEFAULTS["rho"])
    ranges = (
        Range1d(-AXIS_HALF_WIDTH, AXIS_HALF_WIDTH),
        Range1d(-AXIS_HALF_WIDTH, AXIS_HALF_WIDTH),
        Range1d(0, 1, name="mvn_dens_x"),
        Range1d(0, 1, name="mvn_dens_y"),
    )
    joint, s_joint, margins_joint = _panel(
        style, "joint", "correlated: ρ as set", PALETTE[0], ranges
    )
    indep, s_ind, margins_ind = _panel(
        style, "ind", "independent: ρ = 0, same sds", PALETTE[1], ranges
    )
    pdf_x = ColumnDataSource({"x": [], "pdf": []}, name="mvn_pdf_x")
    pdf_y = ColumnDataSource({"y": [], "pdf": []}, name="mvn_pdf_y")
    for top, right in (margins_joint, margins_ind):
        top.line("x", "pdf", source=pdf_x, color="black", line_width=2)
        right.line("pdf", "y", source=pdf_y, color="black", line_width=2)
    sigma_div = style.div(name="mvn_sigma", width=1100)
    readout = style.div(name="mvn_readout")

    args = {
        "sa_slider": sa,
        "sb_slider": sb,
        "rho_slider": rho,
        "points": s_joint["points"],
        "points_ind": s_ind["points"],
        "rings": s_joint["rings"],
        "rings_ind": s_ind["rings"],
        "hist_x": s_joint["hist_x"],
        "hist_y": s_joint["hist_y"],
        "hist_x_ind": s_ind["hist_x"],
        "hist_y_ind": s_ind["hist_y"],
        "pdf_x": pdf_x,
        "pdf_y": pdf_y,
        "dens_x_range": ranges[2],
        "dens_y_range": ranges[3],
        "sigma_div": sigma_div,
        "readout": readout,
    }
    callback = connect(js_update("mvn", args), [sa, sb, rho])
    hint = style.div(
        '<div class="tk-formula">Drag ρ: the correlated cloud rotates and narrows, yet its '
        "histograms (top, right) stay those of the independent cloud. Black curves: the exact "
        "normal marginals.</div>"
    )
    panel = tab_panel(
        style,
        name="mvn",
        title="2 · Multivariate normal",
        description="A bivariate normal against independent normals with the same sds: "
        "the marginals are identical, only the joint picture shows ρ.",
        controls=[sa, sb, rho, readout, hint],
        plots=column(row(joint, indep, spacing=30), sigma_div),
    )
    return Tab(panel, callback)
