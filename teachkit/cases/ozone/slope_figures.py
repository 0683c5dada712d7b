"""Varying and covarying slopes on slides (storyboard rows 14-19)."""

from __future__ import annotations

from teachkit.figure_entry import FigureEntry

__all__ = ["FIGURES"]

FIGURES: tuple[FigureEntry, ...] = ()
