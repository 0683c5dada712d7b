"""The figure gallery, generated from teachkit's figure registry when the site is built.

``.. teachkit-gallery::`` expands into one section per registered figure (in registry order):
its name, its teaching point, its picture from ``docs/gallery/<name>.png``, and the Python
call and the command that draw it. A figure registered without a picture gets a note saying
how to make one, so the page never silently drops a figure.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

LOGGER = logging.getLogger(__name__)

#: Pictures of the figures, relative to the docs source folder.
PICTURES = "gallery"


def entries() -> list[tuple[str, str, str, str | None]]:
    """(name, teaching point, description, program needed) of every registered figure."""
    from teachkit.figures import registered_figures

    return [
        (
            entry.name,
            getattr(entry, "point", None) or entry.description,
            entry.description,
            entry.needs_program,
        )
        for entry in registered_figures().values()
    ]


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def gallery_rst(srcdir: str | Path) -> tuple[list[str], list[str]]:
    """The gallery's reST lines, and the names of figures that have no picture yet."""
    found = entries()
    missing = []
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 30 70",
        "",
        "   * - figure",
        "     - what it teaches",
    ]
    for name, point, _, _ in found:
        lines += [f"   * - :ref:`{name} <figure-{name}>`", f"     - {_one_line(point)}"]
    lines.append("")
    for name, point, description, program in found:
        lines += [f".. _figure-{name}:", "", name, "-" * len(name), "", _one_line(point), ""]
        picture = Path(srcdir) / PICTURES / f"{name}.png"
        if picture.exists():
            lines += [
                f".. image:: /{PICTURES}/{name}.png",
                f"   :alt: {_one_line(description)}",
                "   :class: teachkit-gallery-picture",
                "",
            ]
        else:
            missing.append(name)
            lines += [
                ".. note::",
                "",
                f"   No picture yet: ``teachkit figures --only {name} --out docs/gallery``",
                f"   makes ``docs/gallery/{name}.png``.",
                "",
            ]
        if program:
            lines += [
                f"Needs the ``{program}`` program (``apt-get install graphviz``); without it",
                "``teachkit figures`` skips this figure and says so.",
                "",
            ]
        lines += [
            ".. code-block:: python",
            "   :caption: Python",
            "",
            "   from teachkit.figures import FigureContext, draw_figure",
            "",
            f'   fig = draw_figure("{name}", FigureContext())',
            "",
            ".. code-block:: bash",
            f"   :caption: Command line (writes teachkit-figures/{name}.png)",
            "",
            f"   teachkit figures --only {name}",
            "",
        ]
    return lines, missing


class GalleryDirective(SphinxDirective):
    """``.. teachkit-gallery::``: every registered figure, with its picture and calls."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        """The gallery's sections, parsed from :func:`gallery_rst`."""
        lines, missing = gallery_rst(self.env.srcdir)
        for name in missing:
            LOGGER.info("gallery: no docs/%s/%s.png yet (shown as a note)", PICTURES, name)
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, source="teachkit-gallery"),
                                 container)  # fmt: skip
        # the picture files and the registry are inputs of this page
        self.env.note_dependency(str(Path(self.env.srcdir) / PICTURES))
        return container.children


def setup(app):
    """Register the directive."""
    app.add_directive("teachkit-gallery", GalleryDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
