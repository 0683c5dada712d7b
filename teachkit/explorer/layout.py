"""How a tab is put together: a line saying what it shows, controls on the left, plots right.

Every tab module returns a :class:`Tab`: its Bokeh panel and the callback that draws it from
its controls, which the page runs once when it has loaded and again whenever a control moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bokeh.layouts import column, row
from bokeh.models import CustomJS, Row, TabPanel

from teachkit.explorer.style import CONTROLS_WIDTH, PageStyle

__all__ = ["PLOT_ROW_STYLES", "Tab", "connect", "tab_panel"]

#: Styles of every row of plots: wrap when narrowed; the gap is js/present.js's GAP.
PLOT_ROW_STYLES = {"flex-wrap": "wrap", "row-gap": "30px"}


@dataclass(frozen=True)
class Tab:
    """One tab of the explorer.

    Attributes
    ----------
    panel : bokeh.models.TabPanel
    on_ready : bokeh.models.CustomJS
        Draws the tab from its controls; run when the page has loaded.
    """

    panel: TabPanel
    on_ready: CustomJS


def connect(callback: CustomJS, widgets: Sequence[Any]) -> CustomJS:
    """Run ``callback`` whenever the value of any of ``widgets`` changes; return it."""
    for widget in widgets:
        widget.js_on_change("value", callback)
    return callback


def tab_panel(
    style: PageStyle,
    *,
    name: str,
    title: str,
    description: str,
    controls: Sequence[Any],
    plots: Any,
) -> TabPanel:
    """A tab: the description line over a row of (controls column, plots).

    Examples
    --------
    >>> from bokeh.models import Div
    >>> panel = tab_panel(PageStyle(), name="demo", title="Demo", description="What it shows.",
    ...                   controls=[Div(text="a control")], plots=Div(text="a plot"))
    >>> panel.title
    'Demo'
    """
    # rows of plots wrap when the window is too narrow for them side by side (js/present.js
    # narrows them); set here so that the page's first layout does not change them
    for plot_row in plots.select({"type": Row}):
        plot_row.styles = {**dict(plot_row.styles or {}), **PLOT_ROW_STYLES}
    body = row(column(*controls, width=CONTROLS_WIDTH), plots)
    return TabPanel(
        title=title,
        name=f"{name}_tab",
        child=column(style.description(f"{name}_description", description), body),
    )
