"""Tests for teachkit.plots.style."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib as mpl
import matplotlib.image as mpimg
import matplotlib.pyplot as plt

from teachkit.plots.style import (
    PALETTE,
    SLIDE_DPI,
    SLIDE_PIXELS,
    SLIDE_SIZE,
    darker,
    save_slide,
    slide_style,
)


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


def test_slide_canvas_is_full_hd() -> None:
    assert SLIDE_SIZE[0] * SLIDE_DPI == SLIDE_PIXELS[0] == 1920
    assert SLIDE_SIZE[1] * SLIDE_DPI == SLIDE_PIXELS[1] == 1080


def test_style_changes_no_backend_or_interactive_setting() -> None:
    """Compared with the settings before, not with matplotlib's defaults: the backend a test
    run has resolved (Agg, inline) differs from the default's "auto" and is not the style's."""
    keys = ("backend", "interactive")

    def settings() -> dict[str, object]:
        return {k: dict.__getitem__(mpl.rcParams, k) for k in keys}  # unresolved, as stored

    before = settings()
    with slide_style():
        inside = settings()
    assert inside == before == settings()


def test_save_slide_gives_the_same_canvas_whatever_the_figure(tmp_path: Path) -> None:
    """A small figure and one with text far outside it: both exactly the slide, never cropped."""
    small = plt.figure(figsize=(3, 2))
    small.text(2.0, 2.0, "far outside")  # tight cropping would grow the canvas to include it
    with mpl.rc_context({"savefig.bbox": "tight"}):  # a user's matplotlibrc
        for fmt in ("png", "svg", "pdf"):
            save_slide(small, tmp_path / f"small.{fmt}")
    assert mpimg.imread(tmp_path / "small.png").shape[:2] == SLIDE_PIXELS[::-1]
    svg = (tmp_path / "small.svg").read_text(encoding="utf-8")
    assert 'width="921.6pt" height="518.4pt"' in svg
    pdf = (tmp_path / "small.pdf").read_bytes()
    assert re.search(rb"/MediaBox \[ ?0 0 921\.6 518\.4 ?\]", pdf)


def test_darker_keeps_hue() -> None:
    assert darker("#ff0000", 0.5) == (0.5, 0.0, 0.0)
