"""Tests for teachkit.plots.sbc: what the SBC figures draw."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from teachkit.plots.sbc import plot_sbc_ecdf, plot_sbc_ranks

RANKS = pd.DataFrame(
    {name: np.random.default_rng(i).integers(0, 100, 120) for i, name in enumerate("abcd")}
)


def test_rank_histograms() -> None:
    fig = plot_sbc_ranks(RANKS, 99, bins=10)
    assert len(fig.axes) == 4
    for ax, name in zip(fig.axes, "abcd", strict=True):
        assert ax.get_title() == name
        bars = [p for p in ax.patches if p.get_label() != "99% band"]
        heights = [b.get_height() for b in bars if b.get_width() < 50]
        assert len(heights) == 10 and sum(heights) == 120
    with pytest.raises(ValueError, match="bins must divide"):
        plot_sbc_ranks(RANKS, 99, bins=7)


def test_ecdf_difference_curves_with_band() -> None:
    fig = plot_sbc_ecdf(RANKS, 99)
    assert len(fig.axes) == 4
    for ax in fig.axes:
        (curve,) = [ln for ln in ax.get_lines() if ln.get_label() == "ECDF - uniform"]
        x, y = curve.get_data()
        assert len(x) == 99 and np.all(np.abs(y) < 0.5)
        assert len(ax.collections) == 1  # the band
    (legend,) = fig.legends  # one, outside the panels, so it covers no curve
    assert [t.get_text() for t in legend.get_texts()] == ["95% band", "ECDF - uniform"]
    assert all(ax.get_legend() is None for ax in fig.axes)
