"""Fixtures the ozone figure tests share: one figure context, so each fit is made once.

Every figure test module of the ozone case draws from the real Beijing data with short chains
(2 x 300 draws, seed 1; every claim the tests check holds with them and with the gallery's
4 x 1000). One fit store for the whole session means a model fitted for one module's figure is
read, not sampled again, by the next module's: the session's quick store (tests/conftest.py),
which the lectures' runs in quick mode (the same settings) share.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from teachkit.figures import FigureContext, draw_figure
from teachkit.store import FitStore

#: Sampler settings of the session's fits.
FIGURE_SETTINGS = {"draws": 300, "tune": 300, "chains": 2, "seed": 1}


@pytest.fixture(scope="session")
def ctx(quick_fit_store: Path) -> FigureContext:
    """The real data and one fit store for every ozone figure test."""
    store = FitStore(quick_fit_store)
    return FigureContext("real", store=store, **FIGURE_SETTINGS)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def drawn(ctx: FigureContext) -> Callable[[str], Figure]:
    """Draws a registered figure once per session (tests must not change what it returns)."""
    cache: dict[str, Figure] = {}

    def draw(name: str) -> Figure:
        if name not in cache:
            cache[name] = draw_figure(name, ctx)
        return cache[name]

    return draw
