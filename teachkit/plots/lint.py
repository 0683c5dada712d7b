r"""Checks that a slide figure reads well: no text cut off or overlapping, symbols typeset.

:func:`slide_problems` draws a figure once and lists what would embarrass its user in front
of a class: a text that runs off the canvas, two texts on top of each other (e.g. crowded
tick labels), a Greek letter or an underscore outside matplotlib mathtext (``α_j`` instead
of ``$\alpha_j$``). The tests run it on every registered figure; instructors can run it on
their own figures.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager

from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

__all__ = ["drawn_texts", "slide_problems", "untypeset"]

#: Overlaps of at most this many pixels in either direction are tolerated (antialiasing).
TOLERANCE_PX = 2.0

_GREEK = re.compile("[\u0370-\u03ff]")
_MATH = re.compile(r"(?<!\\)\$.*?(?<!\\)\$")


@contextmanager
def _recording() -> Iterator[list[tuple[Text, Bbox]]]:
    """Record every text matplotlib really draws (visible, non-empty, inside the view)."""
    drawn: list[tuple[Text, Bbox]] = []
    original = Text.draw

    def draw(self: Text, renderer) -> None:  # type: ignore[no-untyped-def]
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            drawn.append((self, self.get_window_extent(renderer)))

    Text.draw = draw  # type: ignore[method-assign]
    try:
        yield drawn
    finally:
        Text.draw = original  # type: ignore[method-assign]


def drawn_texts(fig: Figure) -> list[tuple[Text, Bbox]]:
    """Every text of ``fig`` as drawn, with its box in pixels.

    Hidden texts and tick labels outside the view are left out, as matplotlib does not draw
    them.
    """
    with _recording() as drawn:
        fig.canvas.draw()
    return drawn


def untypeset(text: str) -> str:
    r"""The text outside mathtext (``$...$``) if it has a Greek letter or an underscore.

    Returns "" when the text is clean.

    Examples
    --------
    >>> untypeset(r"intercept $\alpha_j$ (per °C)"), untypeset("α_j"), untypeset("a_b")
    ('', 'α_j', 'a_b')
    """
    outside = _MATH.sub("", text)
    return outside.strip() if _GREEK.search(outside) or "_" in outside else ""


def slide_problems(fig: Figure, *, typeset: bool = True) -> list[str]:
    """What is wrong with ``fig`` as a slide, one line per problem (empty when it is clean).

    Parameters
    ----------
    fig : Figure
        Drawn at its current size and dpi.
    typeset : bool
        Also flag Greek letters and underscores outside mathtext (turn off for figures of
        data whose names have underscores, such as simulated ``station_00``).

    Returns
    -------
    list of str
        "cut off: ...", "overlap: ... | ..." and "not typeset: ..." lines. Rotated texts are
        only checked for being cut off (their boxes overlap by construction).
    """
    drawn = drawn_texts(fig)
    width, height = fig.canvas.get_width_height()
    problems = []
    for text, box in drawn:
        label = text.get_text().replace("\n", " ")[:60]
        if (
            box.x0 < -TOLERANCE_PX
            or box.y0 < -TOLERANCE_PX
            or box.x1 > width + TOLERANCE_PX
            or box.y1 > height + TOLERANCE_PX
        ):
            problems.append(f"cut off: {label!r}")
        if typeset and untypeset(text.get_text()):
            problems.append(f"not typeset: {label!r}")
    upright = [(t, b) for t, b in drawn if not t.get_rotation()]
    for (t1, b1), (t2, b2) in itertools.combinations(upright, 2):
        dx = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
        dy = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
        if dx > TOLERANCE_PX and dy > TOLERANCE_PX:
            first, second = (t.get_text().replace("\n", " ")[:40] for t in (t1, t2))
            problems.append(f"overlap: {first!r} | {second!r}")
    return problems
