"""Tests for teachkit.core_figures: each core-maths figure makes its teaching point."""

from __future__ import annotations

import re

import numpy as np
import pytest

from teachkit.core_figures import CORE_FIGURES, EXAMPLE_RHO, EXAMPLE_SDS
from teachkit.covariance import build_covariance, feasible_rho_interval, is_correlation
from teachkit.figures import FigureContext, draw_figure


def test_the_core_figures_are_the_covariance_slides() -> None:
    assert [e.name for e in CORE_FIGURES] == [
        "covariance-mvn", "covariance-factoring", "covariance-lkj", "covariance-elliptope",
        "covariance-cholesky",
    ]  # fmt: skip


def scatters(fig) -> list:
    return [ax for ax in fig.axes if ax.collections]


def test_mvn_point_same_marginals_different_joint() -> None:
    """Fails if the two panels' marginals differ or both show the same correlation."""
    joint, independent = (
        np.asarray(ax.collections[0].get_offsets())
        for ax in scatters(draw_figure("covariance-mvn", FigureContext("real")))
    )
    np.testing.assert_allclose(joint.std(axis=0), independent.std(axis=0), rtol=0.1)
    np.testing.assert_allclose(joint.std(axis=0), EXAMPLE_SDS, rtol=0.1)
    assert np.corrcoef(joint.T)[0, 1] == pytest.approx(EXAMPLE_RHO, abs=0.05)
    assert np.corrcoef(independent.T)[0, 1] == pytest.approx(0.0, abs=0.05)


def test_factoring_point_sigma_is_the_correlations_scaled_by_the_sds() -> None:
    """Fails if a panel is not diag(sigma), R is not a correlation matrix, or the product
    of the three factors is not the Sigma drawn."""
    fig = draw_figure("covariance-factoring", FigureContext("real"))
    sigma, left, corr, right = (np.asarray(ax.get_images()[0].get_array()) for ax in fig.axes)
    np.testing.assert_allclose(left, np.diag(EXAMPLE_SDS))
    np.testing.assert_allclose(right, left)
    assert is_correlation(corr)
    np.testing.assert_allclose(sigma, left @ corr @ right)


def test_lkj_point_eta_sets_how_strongly_weak_correlations_are_favoured() -> None:
    """Fails if eta = 1 is not flat, a larger eta does not pull rho toward 0 (higher density
    at 0, smaller sd), or eta < 1 does not push it to the ends."""
    (ax,) = draw_figure("covariance-lkj", FigureContext("real")).axes
    curves = {float(re.search(r"[\d.]+", ln.get_label()).group()): ln.get_data()
              for ln in ax.get_lines()}  # fmt: skip
    r, flat = curves[1.0]
    np.testing.assert_allclose(flat, 0.5)  # uniform on (-1, 1)
    step = r[1] - r[0]
    at_zero = {eta: np.interp(0.0, *xy) for eta, xy in curves.items()}
    sd = {eta: np.sqrt(np.sum(xy[0] ** 2 * xy[1]) * step) for eta, xy in curves.items()}
    wider = sorted(e for e in curves if e >= 1)
    assert [at_zero[e] for e in wider] == sorted(at_zero[e] for e in wider)
    assert [sd[e] for e in wider] == sorted((sd[e] for e in wider), reverse=True)
    for eta in (e for e in curves if e < 1):
        x, y = curves[eta]
        assert np.interp(0.95, x, y) > 2 * at_zero[eta]


def test_elliptope_point_invalid_matrix_outside_nearest_valid_on_the_surface() -> None:
    """Fails if the lecture's matrix were valid, the joined matrix not on the surface, or the
    figure unreadable (its tick labels crowd: checked by slide_problems above)."""
    (ax,) = draw_figure("covariance-elliptope", FigureContext("real")).axes
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "to the nearest valid matrix"]
    (xy, xz, yz), (xy2, xz2, yz2) = np.column_stack(line.get_data_3d())
    matrix = lambda a, b, c: np.array([[1, a, b], [a, 1, c], [b, c, 1]])  # noqa: E731
    assert not is_correlation(matrix(xy, xz, yz))
    low, high = feasible_rho_interval(xy, xz)
    assert not low <= yz <= high  # outside the elliptope
    assert is_correlation(matrix(xy2, xz2, yz2))
    low2, high2 = feasible_rho_interval(xy2, xz2)
    assert min(abs(yz2 - low2), abs(yz2 - high2)) < 1e-6  # on its surface


def test_cholesky_point_lz_has_covariance_sigma() -> None:
    """Fails if the right panel were not L z, or its points did not have covariance Sigma."""
    left, right = draw_figure("covariance-cholesky", FigureContext("real")).axes
    z = np.asarray(left.collections[0].get_offsets())
    x = np.asarray(right.collections[0].get_offsets())
    sigma = build_covariance(list(EXAMPLE_SDS), [[1.0, EXAMPLE_RHO], [EXAMPLE_RHO, 1.0]])
    np.testing.assert_allclose(x, z @ np.linalg.cholesky(sigma).T)
    np.testing.assert_allclose(np.cov(z.T), np.eye(2), atol=0.2)
    np.testing.assert_allclose(np.cov(x.T), sigma, atol=0.1 * np.abs(sigma).max() + 0.2)
