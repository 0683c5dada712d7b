"""Tests for teachkit.plots.covariance: heat maps, LKJ curves, the elliptope, z -> L z."""

from __future__ import annotations

import numpy as np
import pytest

from teachkit.covariance import build_covariance, feasible_rho_interval
from teachkit.figure_entry import claim_of
from teachkit.lkj import lkj_marginal, lkj_marginal_pdf
from teachkit.plots.covariance import (
    lecture_matrices,
    plot_cholesky_map,
    plot_covariance_factoring,
    plot_elliptope,
    plot_feasible_interval,
    plot_lkj_densities,
    plot_prior_dependence,
    rank_dependence,
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
    # Sigma's cells write out sigma_i x R_ij x sigma_j
    assert cells[0][1].get_text() == "$2 \\times (-0.8) \\times 1$\n$= -1.6$"
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
    left, middle, right = fig.axes
    assert not middle.axison  # the arrow from z to x, with L typeset
    assert left.get_title() == r"$z \sim N(0, I)$"
    assert right.get_title() == r"$x = L z \sim N(0, \Sigma)$"
    z = np.asarray(left.collections[0].get_offsets())
    x = np.asarray(right.collections[0].get_offsets())
    np.testing.assert_allclose(x, z @ np.linalg.cholesky(cov).T)
    assert len(z) == 300 and len(left.get_lines()) == len(right.get_lines()) == 1
    claim = claim_of(fig)
    factor = np.linalg.cholesky(cov)
    assert claim.text == fig._suptitle.get_text()
    np.testing.assert_allclose([claim.numbers[k] for k in ("L11", "L21", "L22")],
                               factor[[0, 1, 1], [0, 0, 1]])  # fmt: skip
    np.testing.assert_allclose(claim.data["x"], x)


def test_lkj_densities_label_each_curve_and_claim_the_mass_beyond_a_threshold() -> None:
    ax = plot_lkj_densities((1.0, 2.0), highlight=2.0, threshold=0.3)
    claim = claim_of(ax.figure)
    assert claim.numbers["p_beyond"] == pytest.approx(2 * lkj_marginal(2.0, 2).sf(0.3))
    assert "P(|\\rho| > 0.3) = " in claim.text and ax.get_title() == claim.text
    assert [t.get_text().split("  ")[0] for t in ax.texts] == [r"$\eta = 1$", r"$\eta = 2$"]
    assert ax.get_legend() is None


def test_feasible_interval_marks_the_interval_and_the_determinant() -> None:
    fig = plot_feasible_interval(0.9, 0.8, -0.9)
    top, _ = fig.axes
    claim = claim_of(fig)
    low, high = feasible_rho_interval(0.9, 0.8)
    assert claim.numbers["low"] == pytest.approx(low) and claim.numbers["high"] == pytest.approx(
        high
    )
    (bar,) = [ln for ln in top.get_lines() if ln.get_label() == "feasible"]
    np.testing.assert_allclose(bar.get_xdata(), [low, high])
    t, det = claim.data["rho_yz"], claim.data["det"]
    assert np.all(det[(t > low + 1e-3) & (t < high - 1e-3)] > 0)
    assert np.all(det[(t < low - 1e-3) | (t > high + 1e-3)] < 0)
    assert claim.text.endswith("$-0.9$ is impossible")
    inside = claim_of(plot_feasible_interval(0.9, 0.8, 0.7))
    assert inside.text.endswith("$0.7$ is allowed")


def test_prior_dependence_states_each_panels_rank_correlation() -> None:
    rng = np.random.default_rng(0)
    sd = rng.lognormal(size=500)
    tied = sd / (1 + sd) * rng.choice([-1, 1], size=500)  # abs(rho) grows with sd
    free = rng.uniform(-1, 1, size=500)
    fig = plot_prior_dependence([(sd, tied), (sd, free)], ["A", "B"])
    claim = claim_of(fig)
    assert claim.numbers["rank_0"] == pytest.approx(rank_dependence(sd, tied))
    assert claim.numbers["rank_0"] > 0.9 and abs(claim.numbers["rank_1"]) < 0.1
    assert claim.text.startswith("A ties") and "B does not" in claim.text
    left, right = fig.axes
    assert left.get_xlim() == right.get_xlim() and left.get_xscale() == "log"
