"""Tests for teachkit.plots.lkj: what the LKJ marginal figure draws."""

from __future__ import annotations

import numpy as np
import pytest

from teachkit.lkj import lkj_marginal_pdf, sample_lkj
from teachkit.plots import plot_lkj_marginals


def test_one_panel_per_eta_with_histogram_and_exact_curve() -> None:
    etas = (0.5, 1.0, 4.0)
    samples = {eta: sample_lkj(3, eta, size=300, rng=0)[:, 0, 1] for eta in etas}
    fig = plot_lkj_marginals(samples, dim=3, bins=25)
    axes = fig.axes
    assert len(axes) == len(etas)
    for ax, eta in zip(axes, etas, strict=True):
        assert ax.get_title() == rf"$\eta = {eta:g}$"
        assert ax.get_xlabel() == r"$\rho$"
        assert len(ax.patches) == 25  # histogram bars
        (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "exact"]
        x, y = line.get_data()
        np.testing.assert_allclose(y, lkj_marginal_pdf(x, eta, 3))
    assert axes[0].get_ylabel() == "density"
    labels = [t.get_text() for t in axes[0].get_legend().get_texts()]
    assert labels == ["sampled", "exact"]
    assert "3×3" in fig.get_suptitle()


def test_histogram_heights_are_densities() -> None:
    rho = sample_lkj(2, 1.0, size=2000, rng=1)[:, 0, 1]
    ax = plot_lkj_marginals({1.0: rho}, dim=2, bins=10).axes[0]
    area = sum(p.get_height() * p.get_width() for p in ax.patches)
    assert area == pytest.approx(1.0)


def test_empty_samples_are_rejected() -> None:
    with pytest.raises(ValueError, match="at least one eta"):
        plot_lkj_marginals({}, dim=2)
