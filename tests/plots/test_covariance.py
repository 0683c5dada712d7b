"""Tests for teachkit.plots.covariance: heat maps, LKJ curves, the elliptope, z -> L z."""

from __future__ import annotations

import numpy as np

from teachkit.covariance import build_covariance
from teachkit.lkj import lkj_marginal_pdf
from teachkit.plots.covariance import (
    plot_cholesky_map,
    plot_covariance_factoring,
    plot_elliptope,
    plot_lkj_densities,
)


def test_factoring_draws_sigma_and_its_three_factors() -> None:
    fig = plot_covariance_factoring([2.0, 1.0], [[1.0, -0.8], [-0.8, 1.0]])
    assert [ax.get_title() for ax in fig.axes] == ["Σ", "diag(σ)", "R", "diag(σ)"]
    images = [ax.get_images()[0].get_array() for ax in fig.axes]
    np.testing.assert_allclose(images[0], [[4.0, -1.6], [-1.6, 1.0]])
    np.testing.assert_allclose(images[0], images[1] @ images[2] @ images[3])
    assert all(len(ax.texts) == 4 for ax in fig.axes)  # every cell annotated


def test_lkj_densities_one_exact_curve_per_eta() -> None:
    ax = plot_lkj_densities((0.5, 2.0, 8.0), dim=3)
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == ["η = 0.5", "η = 2", "η = 8"]
    for ln, eta in zip(lines, (0.5, 2.0, 8.0), strict=True):
        x, y = ln.get_data()
        np.testing.assert_allclose(y, lkj_marginal_pdf(x, eta, 3))


def test_elliptope_has_two_surfaces_and_the_invalid_point() -> None:
    ax = plot_elliptope(n_grid=15)
    surfaces = [c for c in ax.collections if type(c).__name__ == "Poly3DCollection"]
    assert len(surfaces) == 2
    (point,) = [c for c in ax.collections if c.get_label() == "lecture's matrix"]
    assert point is not None


def test_cholesky_map_points_correspond() -> None:
    cov = build_covariance([2.0, 1.0], [[1.0, -0.8], [-0.8, 1.0]])
    fig = plot_cholesky_map(cov, n=300, rng=2)
    left, right = fig.axes
    assert left.get_title() == "z ~ N(0, I)" and right.get_title() == "x = L z ~ N(0, Σ)"
    z = np.asarray(left.collections[0].get_offsets())
    x = np.asarray(right.collections[0].get_offsets())
    np.testing.assert_allclose(x, z @ np.linalg.cholesky(cov).T)
    assert len(z) == 300 and len(left.get_lines()) == len(right.get_lines()) == 1
