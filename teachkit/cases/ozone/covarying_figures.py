"""The covarying model's diagnostics, and the lecture's end, on slides (storyboard rows 27-37)."""

from __future__ import annotations

from teachkit.figure_entry import FigureEntry

__all__ = ["FIGURES"]

FIGURES: tuple[FigureEntry, ...] = ()
