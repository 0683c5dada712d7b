"""Tab 3: three correlations that cannot go together.

Drag the three correlations of a 3 x 3 matrix: the page says whether it is a correlation
matrix, gives its determinant and smallest eigenvalue, and for each entry the interval it must
lie in given the other two (as :func:`teachkit.covariance.feasible_interval`), highlighted
when the entry is outside. It starts at the lecture's impossible matrix (0.9, 0.8, -0.9). The
maths is ``js/correlation.js``.
"""

from __future__ import annotations

from bokeh.layouts import column, row
from bokeh.models import BoxAnnotation, ColumnDataSource, FactorRange, Range1d, Span

from teachkit.explorer.layout import Tab, connect, tab_panel
from teachkit.explorer.style import PALETTE, PageStyle, js_update

__all__ = ["LECTURE_MATRIX", "correlation_tab"]

#: The lecture's example: rho_xy = 0.9 and rho_xz = 0.8 force rho_yz into [0.46, 0.98].
LECTURE_MATRIX: tuple[float, float, float] = (0.9, 0.8, -0.9)
ENTRIES = ("ρ_xy", "ρ_xz", "ρ_yz")
GOOD = PALETTE[2]  # bluish green
BAD = PALETTE[5]  # vermillion


def correlation_tab(style: PageStyle) -> Tab:
    """Build tab 3.

    Examples
    --------
    >>> correlation_tab(PageStyle()).panel.title
    '3 · Invalid correlations'
    """
    sliders = [
        style.slider(
            f"corr_{key}", f"{label} (correlation of {key[0]} and {key[1]})", -1, 1, 0.01, value
        )
        for key, label, value in zip(("xy", "xz", "yz"), ENTRIES, LECTURE_MATRIX, strict=True)
    ]
    intervals = ColumnDataSource({"entry": [], "lo": [], "hi": []}, name="corr_intervals")
    current = ColumnDataSource({"entry": [], "value": [], "color": []}, name="corr_current")
    curve = ColumnDataSource({"c": [], "det": []}, name="corr_det_curve")
    point = ColumnDataSource({"c": [], "det": [], "color": []}, name="corr_det_point")

    bars = style.figure(
        title="Where each entry may lie, the other two fixed",
        x_label="correlation",
        width=570,
        height=470,
        x_range=Range1d(-1.05, 1.05),
        y_range=FactorRange(*reversed(ENTRIES)),
        tools="",
    )
    bars.hbar(
        y=list(ENTRIES),
        left=-1,
        right=1,
        height=0.5,
        fill_color="#eeeeee",
        line_color=None,
        legend_label="[−1, 1]",
    )
    bars.hbar(
        y="entry",
        left="lo",
        right="hi",
        height=0.5,
        source=intervals,
        fill_color=GOOD,
        fill_alpha=0.35,
        line_color=GOOD,
        legend_label="feasible interval",
    )
    bars.scatter(
        "value",
        "entry",
        source=current,
        size=22,
        color="color",
        line_color="black",
        legend_label="current value",
    )
    style.legend(bars, "below")
    bars.yaxis.major_label_text_font_size = "20px"

    det_range = Range1d(-3, 1, name="corr_det_range")
    det = style.figure(
        title="det R as ρ_yz moves (ρ_xy, ρ_xz fixed)",
        x_label="ρ_yz",
        y_label="det R",
        width=570,
        height=470,
        x_range=Range1d(-1.05, 1.05),
        y_range=det_range,
        tools="",
    )
    band = BoxAnnotation(fill_color=GOOD, fill_alpha=0.15, name="corr_yz_band")
    det.add_layout(band)
    det.add_layout(Span(location=0, dimension="width", line_color="#888888", line_dash="dashed"))
    det.line("c", "det", source=curve, color="black", line_width=3)
    det.scatter("c", "det", source=point, size=20, color="color", line_color="black")

    verdict = style.div(name="corr_verdict")
    readout = style.div(name="corr_readout", width=1100)
    callback = connect(
        js_update(
            "correlation",
            {
                "xy_slider": sliders[0],
                "xz_slider": sliders[1],
                "yz_slider": sliders[2],
                "intervals": intervals,
                "current": current,
                "curve": curve,
                "point": point,
                "yz_band": band,
                "det_range": det_range,
                "verdict": verdict,
                "readout": readout,
            },
        ),
        sliders,
    )
    panel = tab_panel(
        style,
        name="corr",
        title="3 · Invalid correlations",
        description="Three correlations that each look fine can be impossible together: "
        "each entry must lie in an interval set by the other two.",
        controls=[*sliders, verdict],
        plots=column(row(bars, det, spacing=30), readout),
    )
    return Tab(panel, callback)
