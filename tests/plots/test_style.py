"""Tests for teachkit.plots.style."""

from __future__ import annotations

import matplotlib as mpl

from teachkit.plots.style import PALETTE, SLIDE_SIZE, slide_style


def test_style_applies_inside_and_restores_after() -> None:
    before = dict(mpl.rcParams)
    with slide_style():
        assert tuple(mpl.rcParams["figure.figsize"]) == SLIDE_SIZE
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"] == list(PALETTE)
        assert mpl.rcParams["font.size"] >= 16
    assert dict(mpl.rcParams) == before


def test_overrides_win() -> None:
    with slide_style(**{"font.size": 30}):
        assert mpl.rcParams["font.size"] == 30


def test_slide_size_is_16_by_9() -> None:
    assert abs(SLIDE_SIZE[0] / SLIDE_SIZE[1] - 16 / 9) < 0.01
