"""The explorer's look: the slide figures' fonts and Okabe-Ito palette, in Bokeh.

The slide figures (:mod:`teachkit.plots.style`) use large type, no top or right spine and no
grid; these helpers give Bokeh figures and widgets the same look, sized for a projector at
1600 x 900. One :class:`PageStyle` is made per page, because a Bokeh model (here the shared
stylesheet) can belong to one document only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bokeh.models import (
    CustomJS,
    CustomJSTickFormatter,
    Div,
    InlineStyleSheet,
    Select,
    Slider,
)
from bokeh.plotting import figure

from teachkit.explorer.assets import widget_css
from teachkit.plots.style import PALETTE, STATION_COLORS

__all__ = ["FONT", "PALETTE", "STATION_COLORS", "PageStyle", "js_update"]

#: The slides' font (matplotlib's default DejaVu Sans) with common fallbacks; no web font is
#: loaded, so the page stays offline.
FONT = '"DejaVu Sans", "Helvetica Neue", Helvetica, Arial, sans-serif'
TITLE_SIZE = "21px"
LABEL_SIZE = "19px"
TICK_SIZE = "16px"
LEGEND_SIZE = "16px"
TEXT_COLOR = "#222222"
#: Width of the column of controls on the left of every tab.
CONTROLS_WIDTH = 380


def js_update(module: str, args: Mapping[str, Any]) -> CustomJS:
    """A callback that calls ``teachkit.<module>.update({...args})`` in the page.

    The callback's code is only this call; the work is done by the module's ``.js`` file.

    Examples
    --------
    >>> js_update("lkj", {"eta_slider": 1.0}).code
    'teachkit.lkj.update({eta_slider});'
    """
    return CustomJS(args=dict(args), code=f"teachkit.{module}.update({{{', '.join(args)}}});")


class PageStyle:
    """Factory of styled figures and widgets sharing one stylesheet.

    Examples
    --------
    >>> style = PageStyle()
    >>> style.slider("rho", "ρ", -1, 1, 0.01, 0.5).title
    'ρ'
    """

    def __init__(self) -> None:
        self.sheet = InlineStyleSheet(css=widget_css())

    def figure(
        self,
        *,
        title: str | None = None,
        x_label: str | None = None,
        y_label: str | None = None,
        width: int = 560,
        height: int = 420,
        tools: str = "pan,wheel_zoom,box_zoom,reset,save",
        **kwargs: Any,
    ) -> Any:
        """A Bokeh figure in the slide style: large type, no grid, no box around it."""
        fig = figure(width=width, height=height, title=title, tools=tools, **kwargs)
        fig.toolbar.logo = None
        fig.toolbar.autohide = True
        fig.outline_line_color = None
        fig.grid.grid_line_color = None
        fig.background_fill_color = "#ffffff"
        fig.border_fill_color = "#ffffff"
        fig.min_border_left = 70
        if title is not None:
            fig.title.text_font = FONT
            fig.title.text_font_size = TITLE_SIZE
            fig.title.text_font_style = "normal"
            fig.title.text_color = TEXT_COLOR
            fig.title.align = "center"
        for axis in (*fig.xaxis, *fig.yaxis):
            axis.axis_label_text_font = FONT
            axis.axis_label_text_font_size = LABEL_SIZE
            axis.axis_label_text_font_style = "normal"
            axis.axis_label_text_color = TEXT_COLOR
            axis.major_label_text_color = TEXT_COLOR
            axis.major_label_text_font = FONT
            axis.major_label_text_font_size = TICK_SIZE
            axis.minor_tick_line_color = None
        if x_label is not None:
            fig.xaxis.axis_label = x_label
        if y_label is not None:
            fig.yaxis.axis_label = y_label
        return fig

    def legend(self, fig: Any, location: str = "top_right") -> None:
        """Style a figure's legend like the slides' (no frame); ``"below"`` puts it under."""
        if location == "below":
            legend = fig.legend[0]
            fig.center.remove(legend)
            fig.add_layout(legend, "below")
            legend.orientation = "horizontal"
        else:
            fig.legend.location = location
        fig.legend.label_text_font = FONT
        fig.legend.label_text_font_size = LEGEND_SIZE
        fig.legend.label_text_color = TEXT_COLOR
        fig.legend.border_line_color = None
        fig.legend.background_fill_alpha = 0.7
        fig.legend.click_policy = "hide"

    def slider(
        self,
        name: str,
        title: str,
        start: float,
        end: float,
        step: float,
        value: float,
        *,
        display: str | None = None,
        number_format: str | None = None,
    ) -> Slider:
        """A labelled slider showing its current value; ``name`` is also its CSS class.

        Parameters
        ----------
        display : str, optional
            A JavaScript expression of ``tick`` (the slider position) giving the value shown,
            for sliders on a log scale, e.g. ``"teachkit.lkj.etaFromSlider(tick)"``.
        number_format : str, optional
            A Bokeh number format for the value shown, e.g. ``"0.0000"`` (default: 2 decimals).
        """
        options: dict[str, Any] = {}
        if display is not None:
            options["format"] = CustomJSTickFormatter(code=f"return String({display});")
        elif number_format is not None:
            options["format"] = number_format
        return Slider(
            name=name,
            title=title,
            start=start,
            end=end,
            step=step,
            value=value,
            width=CONTROLS_WIDTH - 30,
            stylesheets=[self.sheet],
            css_classes=[name],
            **options,
        )

    def select(self, name: str, title: str, options: Sequence[str], value: str) -> Select:
        """A labelled drop-down list."""
        return Select(
            name=name,
            title=title,
            options=list(options),
            value=value,
            width=CONTROLS_WIDTH - 30,
            stylesheets=[self.sheet],
            css_classes=[name],
        )

    def div(self, text: str = "", *, name: str | None = None, width: int = CONTROLS_WIDTH) -> Div:
        """A text box in the page's style (HTML)."""
        return Div(text=text, name=name, width=width, stylesheets=[self.sheet])

    def description(self, name: str, text: str, *, width: int = 1500) -> Div:
        """The one line at the top of a tab saying what it shows."""
        return Div(
            text=f'<div class="tk-description">{text}</div>',
            width=width,
            stylesheets=[self.sheet],
            name=name,
        )

    def group(self, text: str) -> Div:
        """A small heading above a group of controls."""
        return self.div(f'<div class="tk-group">{text}</div>')
