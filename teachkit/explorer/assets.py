"""The explorer's JavaScript and CSS, shipped as package data and read at build time.

The maths that reacts to the sliders is JavaScript in ``teachkit/explorer/js`` (one small file
per idea, each attaching itself to the page's ``teachkit`` namespace); the page's styles are
in ``teachkit/explorer/css``. Nothing here is written in Python strings: the files are read
with :mod:`importlib.resources`, so they are found in a checkout and in an installed wheel.
"""

from __future__ import annotations

from importlib import resources

__all__ = ["SCRIPTS", "page_css", "read_asset", "script_bundle", "widget_css"]

#: The scripts in the order the page loads them: helpers first, then one file per tab.
SCRIPTS: tuple[str, ...] = (
    "random.js",
    "special.js",
    "summary.js",
    "format.js",
    "mvn.js",
    "lkj.js",
    "correlation.js",
    "pooling.js",
    "posterior.js",
    "gp.js",
    "present.js",
)


def read_asset(relative: str) -> str:
    """Text of a file under ``teachkit/explorer`` (e.g. ``"js/lkj.js"``).

    Examples
    --------
    >>> "teachkit.lkj" in read_asset("js/lkj.js")
    True
    """
    return resources.files("teachkit.explorer").joinpath(relative).read_text(encoding="utf-8")


def script_bundle() -> list[str]:
    """The sources of :data:`SCRIPTS`, in order, each checked safe to inline in ``<script>``.

    Examples
    --------
    >>> len(script_bundle()) == len(SCRIPTS)
    True
    """
    sources = [read_asset(f"js/{name}") for name in SCRIPTS]
    for name, source in zip(SCRIPTS, sources, strict=True):
        if "</script" in source.lower():
            raise ValueError(f"js/{name} contains '</script', which would end the inline script")
    return sources


def page_css() -> str:
    """The stylesheet of the page around the Bokeh layout."""
    return read_asset("css/page.css")


def widget_css() -> str:
    """The stylesheet given to every widget and text box (they live in shadow roots)."""
    return read_asset("css/widgets.css")
