"""Tests for teachkit.plots.covariance: heat maps, LKJ curves, the elliptope's slice, z -> L z."""

from __future__ import annotations

import numpy as np
import pytest

from teachkit.covariance import build_covariance, feasible_rho_interval
from teachkit.figure_entry import claim_of, figure_title
from teachkit.lkj import lkj_marginal, lkj_marginal_pdf
from teachkit.plots.covariance import (
    SECTOR_COLOURS,
    binned_medians,
    direction_sector,
    nearest_on_slice,
    plot_cholesky_map,
    plot_correlation_slice,
    plot_covariance_factoring,
    plot_feasible_interval,
    plot_lkj_densities,
    plot_prior_dependence,
    rank_dependence,
    slice_boundary,
    slice_det,
)


def test_factoring_draws_sigma_and_its_three_factors() -> None:
    fig = plot_covariance_factoring([2.0, 1.0], [[1.0, -0.8], [-0.8, 1.0]])
    heat = [ax for ax in fig.axes if ax.get_images()]
    diag = r"$\mathrm{diag}(\sigma)$"
    assert [ax.get_title() for ax in heat] == [r"$\Sigma$", diag, "$R$", diag]
    images = [ax.get_images()[0] for ax in heat]
    arrays = [im.get_array() for im in images]
    np.testing.assert_allclose(arrays[0], [[4.0, -1.6], [-1.6, 1.0]])
    np.testing.assert_allclose(arrays[0], arrays[1] @ arrays[2] @ arrays[3])
    assert len({im.get_clim() for im in images}) == 1  # one colour scale for all four
    assert len(fig.axes) == 4  # no colour bar: every cell writes its number
    signs = ("=", r"$\bullet$")
    cells = [[t for t in ax.texts if t.get_text() not in signs] for ax in heat]
    assert [len(c) for c in cells] == [4, 4, 4, 4]  # every cell annotated
    # Sigma's cells write out sigma_i x R_ij x sigma_j
    assert cells[0][1].get_text().split("\n")[1:] == ["$2 \\times (-0.8) \\times 1$", "$= -1.6$"]
    assert [t.get_text() for ax in heat for t in ax.texts if t.get_text() in signs] == [
        "=", r"$\bullet$", r"$\bullet$"]  # fmt: skip


def test_factoring_cell_text_contrasts_with_its_cell() -> None:
    """White on dark cells and black on light ones, by the cell colour's luminance."""
    fig = plot_covariance_factoring([3.0, 1.0], [[1.0, 0.9], [0.9, 1.0]])
    for ax in (ax for ax in fig.axes if ax.get_images()):
        image = ax.get_images()[0]
        for t in ax.texts:
            if t.get_text() in ("=", r"$\bullet$"):
                continue
            j, i = (round(v) for v in t.get_position())
            r, g, b, _ = image.to_rgba(image.get_array()[i, j])
            luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
            assert t.get_color() == ("white" if luminance < 0.5 else "black")


def test_lkj_densities_one_exact_curve_per_eta() -> None:
    ax = plot_lkj_densities((0.5, 2.0, 8.0), dim=3)
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == [r"$\eta = 0.5$", r"$\eta = 2$", r"$\eta = 8$"]
    for ln, eta in zip(lines, (0.5, 2.0, 8.0), strict=True):
        x, y = ln.get_data()
        np.testing.assert_allclose(y, lkj_marginal_pdf(x, eta, 3))


def test_slice_boundary_is_where_det_r_vanishes_and_touches_the_square() -> None:
    b, c = slice_boundary(0.9).T
    np.testing.assert_allclose(slice_det(0.9, b, c), 0.0, atol=1e-12)
    assert b.max() == pytest.approx(1.0, abs=1e-4) and c.min() == pytest.approx(-1.0, abs=1e-4)
    assert slice_det(0.9, 0.8, -0.9) == pytest.approx(1 - 0.81 - 0.64 - 0.81 - 2 * 0.9 * 0.8 * 0.9)
    with pytest.raises(ValueError):
        slice_boundary(1.0)


def test_nearest_on_slice_is_the_closest_boundary_point() -> None:
    near = np.array(nearest_on_slice(0.9, 0.8, -0.9))
    ring = slice_boundary(0.9, n=20_001)
    distances = np.hypot(*(ring - [0.8, -0.9]).T)
    assert np.hypot(*(near - [0.8, -0.9])) <= distances.min() + 1e-9
    assert slice_det(0.9, *near) == pytest.approx(0.0, abs=1e-9)
    assert nearest_on_slice(0.9, 0.8, 0.7) == (0.8, 0.7)  # valid: its own nearest


def test_correlation_slice_marks_the_pair_and_joins_it_to_its_nearest() -> None:
    fig = plot_correlation_slice(0.9, 0.8, -0.9)
    (ax,) = fig.axes
    assert ax.get_aspect() == 1.0
    (asked,) = [ln for ln in ax.get_lines() if ln.get_marker() == "X"]
    (near,) = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
    np.testing.assert_allclose(np.column_stack(asked.get_data())[0], [0.8, -0.9])
    np.testing.assert_allclose(
        np.column_stack(near.get_data())[0], nearest_on_slice(0.9, 0.8, -0.9)
    )
    claim = claim_of(fig)
    assert claim.text == fig._suptitle.get_text() and "is invalid" in claim.text
    (chord,) = [ln for ln in ax.get_lines() if ln.get_label().startswith(r"$\rho_{xz} = 0.8$")]
    np.testing.assert_allclose(chord.get_ydata(), feasible_rho_interval(0.9, 0.8))
    valid = plot_correlation_slice(0.9, 0.8, 0.7)
    assert claim_of(valid).text.endswith("$(0.8, 0.7)$ is valid")
    assert not [ln for ln in valid.axes[0].get_lines() if ln.get_marker() == "o"]


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
    # each draw keeps its colour, the colour of its direction's sector, never near white
    colours = [ax.collections[0].get_facecolors()[:, :3] for ax in (left, right)]
    np.testing.assert_allclose(colours[0], colours[1])
    from matplotlib.colors import to_rgb

    expected = np.array([to_rgb(SECTOR_COLOURS[k]) for k in direction_sector(z)])
    np.testing.assert_allclose(colours[0], expected)
    assert (colours[0] @ [0.2126, 0.7152, 0.0722]).max() < 0.8
    # the unit square and its image, the parallelogram of L's columns
    (square,) = left.patches
    (image,) = right.patches
    factor = np.linalg.cholesky(cov)
    np.testing.assert_allclose(image.get_xy()[:4], square.get_xy()[:4] @ factor.T)
    claim = claim_of(fig)
    assert claim.text == fig._suptitle.get_text()
    np.testing.assert_allclose([claim.numbers[k] for k in ("L11", "L21", "L22")],
                               factor[[0, 1, 1], [0, 0, 1]])  # fmt: skip
    np.testing.assert_allclose(claim.data["x"], x)


def test_direction_sector_splits_the_circle_counter_clockwise() -> None:
    angles = np.deg2rad([10, 70, 130, 190, 250, 310])
    assert direction_sector(np.column_stack([np.cos(angles), np.sin(angles)])).tolist() == [
        0, 1, 2, 3, 4, 5]  # fmt: skip


def test_lkj_densities_label_each_curve_and_claim_the_mass_beyond_a_threshold() -> None:
    ax = plot_lkj_densities((1.0, 2.0), highlight=2.0, threshold=0.3)
    claim = claim_of(ax.figure)
    assert claim.numbers["p_beyond"] == pytest.approx(2 * lkj_marginal(2.0, 2).sf(0.3))
    assert "P(|\\rho| > 0.3) = " in claim.text and figure_title(ax.figure) == claim.text
    assert len([c for c in ax.collections if c.get_gid() == "beyond"]) == 2  # |rho| > 0.3
    assert [t.get_text().split("  ")[0] for t in ax.texts] == [r"$\eta = 1$", r"$\eta = 2$"]
    assert ax.get_legend() is None


def test_feasible_interval_marks_the_interval_and_the_determinant() -> None:
    fig = plot_feasible_interval(0.9, 0.8, -0.9)
    top, bottom = fig.axes
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
    # zoomed in: the positive part of det R fills a good part of its axis
    assert bottom.get_ylim()[1] > det.max() > 0.25 * np.ptp(bottom.get_ylim())
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
    # the draws are drawn as (sigma_1, |rho|), and the line is the groups' median |rho|
    np.testing.assert_allclose(left.collections[0].get_offsets(), np.column_stack([sd, abs(tied)]))
    (line,) = [ln for ln in left.get_lines() if ln.get_label() == "median |rho|"]
    centre, median, _, _ = binned_medians(sd, abs(tied))
    np.testing.assert_allclose(np.column_stack(line.get_data()), np.column_stack([centre, median]))
    assert left.get_ylim()[0] == 0


def test_binned_medians_split_by_the_first_and_summarise_the_second() -> None:
    centre, median, low, high = binned_medians(np.arange(10.0), np.arange(10.0) / 10, groups=2)
    np.testing.assert_allclose(centre, [2.0, 7.0])
    np.testing.assert_allclose(median, [0.2, 0.7])
    assert np.all(low <= median) and np.all(median <= high)
