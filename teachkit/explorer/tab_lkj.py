"""Tab 1: the LKJ prior on sliders.

Drag eta (log scale, 0.1 to 20) and the dimension (2 to 6): the page draws correlation
matrices by the onion method and histograms one correlation over its exact marginal
(Lewandowski, Kurowicka and Joe 2009; (rho + 1) / 2 ~ Beta(eta - 1 + d/2, eta - 1 + d/2)),
with sd(rho) and P(|rho| > 0.5), exact and sampled. The maths is ``js/lkj.js``.
"""

from __future__ import annotations

import math

from bokeh.models import ColumnDataSource, Range1d

from teachkit.explorer.layout import Tab, connect, tab_panel
from teachkit.explorer.style import PALETTE, PageStyle, js_update

__all__ = ["ETA_RANGE", "lkj_tab"]

#: Range of eta on the slider; the slider moves log10(eta) in steps of 0.01.
ETA_RANGE: tuple[float, float] = (0.1, 20.0)
ETA_DEFAULT = 2.0  # the lecture's LKJ(2)
DIM_RANGE: tuple[int, int] = (2, 6)


def lkj_tab(style: PageStyle) -> Tab:
    """Build tab 1.

    Examples
    --------
    >>> lkj_tab(PageStyle()).panel.title
    '1 · LKJ prior'
    """
    eta = style.slider(
        "lkj_eta",
        "η (log scale)",
        math.log10(ETA_RANGE[0]),
        round(math.log10(ETA_RANGE[1]), 2),
        0.01,
        round(math.log10(ETA_DEFAULT), 2),
        display="teachkit.lkj.etaFromSlider(tick)",
    )
    dim = style.slider("lkj_dim", "dimension d", DIM_RANGE[0], DIM_RANGE[1], 1, DIM_RANGE[0])
    hist = ColumnDataSource({"lo": [], "hi": [], "density": []}, name="lkj_hist")
    density = ColumnDataSource({"r": [], "pdf": []}, name="lkj_density")
    y_range = Range1d(0, 1, name="lkj_y_range")
    readout = style.div(name="lkj_readout")

    fig = style.figure(
        title="One correlation ρ of an LKJ(η) matrix",
        x_label="ρ",
        y_label="density",
        width=1000,
        height=620,
        x_range=Range1d(-1, 1),
        y_range=y_range,
    )
    fig.quad(
        left="lo",
        right="hi",
        bottom=0,
        top="density",
        source=hist,
        fill_color=PALETTE[0],
        fill_alpha=0.45,
        line_color="white",
        legend_label="draws (onion method)",
    )
    fig.line("r", "pdf", source=density, color="black", line_width=3, legend_label="exact marginal")
    style.legend(fig, "top_right")

    callback = connect(
        js_update(
            "lkj",
            {
                "eta_slider": eta,
                "dim_slider": dim,
                "hist": hist,
                "density": density,
                "readout": readout,
                "y_range": y_range,
            },
        ),
        [eta, dim],
    )
    hint = style.div(
        '<div class="tk-formula">η = 1: uniform over correlation matrices; η &gt; 1 pulls '
        "towards the identity (weak correlations), η &lt; 1 towards ±1. More variables leave "
        "each correlation less room.</div>"
    )
    panel = tab_panel(
        style,
        name="lkj",
        title="1 · LKJ prior",
        description="The LKJ(η) prior: how strongly it expects one correlation to be near 0, "
        "as η and the number of variables change.",
        controls=[eta, dim, readout, hint],
        plots=fig,
    )
    return Tab(panel, callback)
