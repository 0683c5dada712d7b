"""Assemble the explorer: six tabs in one self-contained HTML file.

The page is a standalone Bokeh document with BokehJS inlined (no server, no CDN), followed by
the explorer's own scripts (``js/*.js``) and styles, all inside the one file: it loads nothing
from the network and works opened from disk. Each tab draws itself from its controls when the
page has loaded (Bokeh's ``DocumentReady`` event) and again whenever a control moves.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from bokeh.document import Document
from bokeh.embed import file_html
from bokeh.events import DocumentReady
from bokeh.layouts import column, row
from bokeh.models import CustomJS, Tabs, Toggle
from bokeh.resources import INLINE

from teachkit import __version__
from teachkit.explorer.assets import page_css, script_bundle
from teachkit.explorer.labels import OZONE_LABELS
from teachkit.explorer.pooling_data import DEFAULT_SEED, DataChoice, PoolingData, pooling_data
from teachkit.explorer.posterior import RealPosterior
from teachkit.explorer.style import PageStyle
from teachkit.explorer.tab_correlation import correlation_tab
from teachkit.explorer.tab_gp import coordinates_note_tab, gp_tab
from teachkit.explorer.tab_lkj import lkj_tab
from teachkit.explorer.tab_mvn import mvn_tab
from teachkit.explorer.tab_pooling import pooling_tab
from teachkit.explorer.tab_posterior import posterior_tab
from teachkit.files import write_text

__all__ = ["DEFAULT_OUT", "build_explorer", "explorer_document", "explorer_html"]

#: Where ``teachkit explorer`` writes the page by default.
DEFAULT_OUT = Path("teachkit-explorer.html")
TITLE = "teachkit explorer"

# The page's own styles and scripts go after BokehJS in <head>; ``| safe`` keeps Jinja from
# escaping them. This template is markup only: the scripts themselves are files in js/.
_TEMPLATE = """
{% block postamble %}
<style>{{ explorer_css | safe }}</style>
{% for source in explorer_scripts %}<script>{{ source | safe }}</script>
{% endfor %}
{% endblock %}
"""


def explorer_document(
    *,
    data: DataChoice | pd.DataFrame | PoolingData = "beijing",
    posterior: RealPosterior | None = None,
    seed: int = DEFAULT_SEED,
) -> Document:
    """The explorer as a Bokeh document (what :func:`explorer_html` renders).

    Parameters
    ----------
    data : {"beijing", "simulated"}, DataFrame or PoolingData
        The per-group data of tab 4: the lecture's stations (see
        :func:`teachkit.explorer.pooling_data`), or prepared data such as a user's table's
        (:func:`teachkit.explorer.pooling_data.grouped_pooling_data`). Data not in the
        lecture's words (a user's table) has no coordinates, so tab 6 then says it needs them
        (:func:`teachkit.explorer.tab_gp.coordinates_note_tab`) instead of showing Beijing.
    posterior : RealPosterior, optional
        The fit shown in tab 5; without it tab 5 says no fit was embedded and shows the prior.
    seed : int
        Seed of tab 4's order of days (and of the simulated data).

    Examples
    --------
    >>> doc = explorer_document(data="simulated")
    >>> [panel.title for panel in doc.get_model_by_name("tabs").tabs]
    ['1 · LKJ prior', '2 · Multivariate normal', '3 · Invalid correlations',
     '4 · Partial pooling', '5 · Real posterior', '6 · Gaussian process']
    """
    style = PageStyle()
    pooling = data if isinstance(data, PoolingData) else pooling_data(data, seed=seed)
    lecture = pooling.labels == OZONE_LABELS
    tabs = [
        lkj_tab(style),
        mvn_tab(style),
        correlation_tab(style),
        pooling_tab(style, pooling),
        posterior_tab(style, posterior),
        gp_tab(style) if lecture else coordinates_note_tab(style),
    ]
    header = style.div(
        f'<div class="tk-title">teachkit explorer <span>covariance, the LKJ prior, partial '
        f"pooling and a Gaussian process on sliders · teachkit {__version__}</span></div>"
        '<div class="tk-hint">Open a tab by its address: <code>#tab=4</code> opens tab 4 '
        "(tabs numbered as shown, from 1); <code>#present</code> (or the button) turns on "
        "presenter mode, e.g. <code>#tab=4&amp;present</code>.</div>",
        name="header",
        width=1500,
    )
    toggle = Toggle(
        label="Presenter mode",
        active=False,
        name="present_toggle",
        width=230,
        stylesheets=[style.sheet],
        css_classes=["present_toggle"],
    )
    doc = Document()
    doc.title = TITLE
    tab_widget = Tabs(tabs=[t.panel for t in tabs], name="tabs", stylesheets=[style.sheet])
    doc.add_root(column(row(header, toggle, name="header_row"), tab_widget))
    for tab in tabs:
        doc.js_on_event(DocumentReady, tab.on_ready)
    # presenter mode and #tab=N (js/present.js): set from the address once every tab is drawn
    present = {"tabs": tab_widget, "toggle": toggle, "header": header}
    toggle.js_on_change(
        "active", CustomJS(args={}, code="teachkit.present.setPresent(this.active);")
    )
    tab_widget.js_on_change("active", CustomJS(code="teachkit.present.syncLocation();"))
    doc.js_on_event(
        DocumentReady, CustomJS(args=present, code="teachkit.present.init({tabs, toggle, header});")
    )
    return doc


def explorer_html(
    *,
    data: DataChoice | pd.DataFrame | PoolingData = "beijing",
    posterior: RealPosterior | None = None,
    seed: int = DEFAULT_SEED,
) -> str:
    """The explorer as one self-contained HTML page; arguments as :func:`explorer_document`."""
    doc = explorer_document(data=data, posterior=posterior, seed=seed)
    return file_html(
        doc,
        resources=INLINE,
        title=TITLE,
        template=_TEMPLATE,
        template_variables={"explorer_css": page_css(), "explorer_scripts": script_bundle()},
    )


def build_explorer(
    out: str | Path = DEFAULT_OUT,
    *,
    data: DataChoice | pd.DataFrame | PoolingData = "beijing",
    posterior: RealPosterior | None = None,
    seed: int = DEFAULT_SEED,
) -> Path:
    """Write the explorer page to ``out`` and return its path.

    The file is written atomically (a temporary file in the same folder, then renamed), so a
    reader never sees half a page; the folder is created if missing.

    Parameters
    ----------
    out : path
        The HTML file to write (default ``teachkit-explorer.html``).
    data, posterior, seed
        As :func:`explorer_document`.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     page = build_explorer(Path(tmp) / "x.html", data="simulated")
    ...     page.name, page.stat().st_size > 1_000_000
    ('x.html', True)
    """
    html = explorer_html(data=data, posterior=posterior, seed=seed)
    return write_text(html, out)
