"""The ozone data and its first two models on slides (storyboard rows 7-13)."""

from __future__ import annotations

from teachkit.figure_entry import FigureEntry

__all__ = ["FIGURES"]

FIGURES: tuple[FigureEntry, ...] = ()
