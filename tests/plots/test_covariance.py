"""Tests for teachkit.plots.covariance: heat maps, LKJ curves, the elliptope, z -> L z."""

from __future__ import annotations

import numpy as np

from teachkit.covariance import build_covariance
from teachkit.lkj import lkj_marginal_pdf
from teachkit.plots.covariance import (
    lecture_matrices,
    plot_cholesky_map,
    plot_covariance_factoring,
    plot_elliptope,
    plot_lkj_densities,
)


def test_factoring_draws_sigma_and_its_three_factors() -> None:
    fig = plot_covariance_factoring([2.0, 1.0], [[1.0, -0.8], [-0.8, 1.0]])
    diag = r"$\mathrm{diag}(\sigma)$"
    assert [ax.get_title() for ax in fig.axes] == [r"$\Sigma$", diag, "$R$", diag]
    images = [ax.get_images()[0].get_array() for ax in fig.axes]
    np.testing.assert_allclose(images[0], [[4.0, -1.6], [-1.6, 1.0]])
    np.testing.assert_allclose(images[0], images[1] @ images[2] @ images[3])
    cells = [[t for t in ax.texts if t.get_text() not in ("=", "·")] for ax in fig.axes]
    assert [len(c) for c in cells] == [4, 4, 4, 4]  # every cell annotated
    signs = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_text() in ("=", "·")]
    assert signs == ["=", "·", "·"]


def test_lkj_densities_one_exact_curve_per_eta() -> None:
    ax = plot_lkj_densities((0.5, 2.0, 8.0), dim=3)
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == [r"$\eta = 0.5$", r"$\eta = 2$", r"$\eta = 8$"]
    for ln, eta in zip(lines, (0.5, 2.0, 8.0), strict=True):
        x, y = ln.get_data()
        np.testing.assert_allclose(y, lkj_marginal_pdf(x, eta, 3))


def test_elliptope_joins_the_invalid_matrix_to_its_nearest_valid_one() -> None:
    ax = plot_elliptope(n_grid=15)
    surfaces = [c for c in ax.collections if type(c).__name__ == "Poly3DCollection"]
    assert len(surfaces) == 2
    (bad,) = [c for c in ax.collections if c.get_label().startswith("lecture's matrix")]
    (good,) = [c for c in ax.collections if c.get_label().startswith("nearest valid")]
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "to the nearest valid matrix"]
    invalid, nearest = lecture_matrices()
    ends = np.column_stack(line.get_data_3d())
    np.testing.assert_allclose(ends[0], invalid[[0, 0, 1], [1, 2, 2]])
    np.testing.assert_allclose(ends[1], nearest[[0, 0, 1], [1, 2, 2]])
    np.testing.assert_allclose(np.column_stack(bad._offsets3d)[0], ends[0])
    np.testing.assert_allclose(np.column_stack(good._offsets3d)[0], ends[1])
    assert [list(t) for t in (ax.get_xticks(), ax.get_yticks(), ax.get_zticks())] == [
        [-1, 0, 1]] * 3  # fmt: skip


def test_cholesky_map_points_correspond() -> None:
    cov = build_covariance([2.0, 1.0], [[1.0, -0.8], [-0.8, 1.0]])
    fig = plot_cholesky_map(cov, n=300, rng=2)
    left, right = fig.axes
    assert left.get_title() == r"$z \sim N(0, I)$"
    assert right.get_title() == r"$x = L z \sim N(0, \Sigma)$"
    z = np.asarray(left.collections[0].get_offsets())
    x = np.asarray(right.collections[0].get_offsets())
    np.testing.assert_allclose(x, z @ np.linalg.cholesky(cov).T)
    assert len(z) == 300 and len(left.get_lines()) == len(right.get_lines()) == 1
