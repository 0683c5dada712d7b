"""Tests for teachkit.plots.pooling."""

from __future__ import annotations

import numpy as np

from teachkit.plots.pooling import plot_funnel, plot_shrinkage_1d, plot_shrinkage_2d


def arrows(ax) -> list:
    return [c for c in ax.get_children() if type(c).__name__ == "Annotation"]


def test_shrinkage_1d_rows_and_arrows() -> None:
    ax = plot_shrinkage_1d([1.0, 2.0, 5.0], [1.5, 2.2, 4.0], 2.5)
    no_pool, partial = ax.collections
    np.testing.assert_allclose(no_pool.get_offsets()[:, 0], [1.0, 2.0, 5.0])
    np.testing.assert_allclose(partial.get_offsets()[:, 0], [1.5, 2.2, 4.0])
    assert len(arrows(ax)) == 3
    assert [t.get_text() for t in ax.get_yticklabels()] == ["partial pooling", "no pooling"]


def test_shrinkage_2d_ellipses_points_arrows() -> None:
    no_pool = np.array([[3.0, 0.06], [3.6, 0.04], [3.3, 0.05]])
    partial = np.array([[3.1, 0.058], [3.5, 0.045], [3.3, 0.05]])
    cov = np.array([[0.04, -0.0009], [-0.0009, 0.000025]])
    ax = plot_shrinkage_2d(no_pool, partial, [3.3, 0.05], cov, masses=(0.5, 0.94))
    assert len(ax.get_lines()) == 2
    assert len(ax.collections) == 2 and len(arrows(ax)) == 3


def test_funnel_marks_divergent_draws() -> None:
    rng = np.random.default_rng(0)
    log_sd = rng.normal(-5, 1, 400)
    x = rng.normal(0, np.exp(log_sd))
    divergent = np.zeros(400, bool)
    divergent[:7] = True
    flat = (rng.normal(size=400), log_sd, np.zeros(400, bool))
    fig = plot_funnel({"centred": (x, log_sd, divergent), "non-centred": flat})
    left, right = fig.axes
    assert [c.get_label() for c in left.collections] == ["draws", "divergent (7)"]
    assert len(left.collections[1].get_offsets()) == 7
    assert right.collections[1].get_label() == "divergent (0)"
