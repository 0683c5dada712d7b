"""Tests for teachkit.cases.grants.posterior_plots: the gap build-up and the shrinkage slide,
drawn from made-up draws (no fits)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from teachkit.cases.grants.posterior_plots import (
    FEWEST_RANK,
    centred_effects,
    direct_gap_claim,
    plot_discipline_shrinkage,
    plot_gap_buildup,
    shrinkage_claim,
    signed,
    total_gap_claim,
)
from teachkit.figure_entry import claim_of, figure_title
from teachkit.plots.lint import slide_problems
from teachkit.plots.style import SLIDE_SIZE, slide_style

RNG = np.random.default_rng(1)
GAPS = {"total": RNG.normal(0.03, 0.01, 800), "direct": RNG.normal(0.01, 0.012, 800)}
NAMES = ["few", "some", "many", "most"]
APPS = np.array([50, 200, 400, 900])


def test_signed_uses_a_typographic_minus_and_no_negative_zero() -> None:
    assert (signed(-1.25, 1), signed(0.04), signed(-0.04), signed(3.0, 2)) == (
        "−1.2", "0.0", "0.0", "3.00")  # fmt: skip


def test_gap_claims_follow_the_sign_and_the_interval() -> None:
    text, numbers = total_gap_claim([-3.0, -2.0, -1.0], prob=0.5)
    assert text == "women ~2.0 pp ahead overall (50%: 1.5 to 2.5)"
    assert numbers == {"mean": -2.0, "low": -2.5, "high": -1.5}
    assert direct_gap_claim([1.0, 2.0, 3.0], prob=0.5)[0].endswith("does not include 0")
    assert direct_gap_claim([-1.0, 0.5, 3.0], prob=0.94)[0].endswith("interval includes 0")


@pytest.mark.parametrize("step", [1, 2])
def test_gap_buildup_draws_one_more_gap_per_step_on_fixed_axes(step: int) -> None:
    fig = plot_gap_buildup(GAPS, step=step)
    (ax,) = fig.axes
    assert len(ax.patches) == step
    points = np.concatenate([100 * g for g in GAPS.values()])
    assert ax.get_xlim() == pytest.approx((points.min(), points.max()))
    shown = 100 * list(GAPS.values())[step - 1]
    label = list(GAPS)[step - 1]
    (interval,) = [ln for ln in ax.get_lines() if ln.get_gid() == f"interval {label}"]
    np.testing.assert_allclose(interval.get_xdata(), np.quantile(shown, [0.03, 0.97]))
    claim = claim_of(fig)
    assert claim is not None and claim.text == figure_title(fig)
    assert claim.numbers["mean"] == pytest.approx(shown.mean())
    expected = total_gap_claim if step == 1 else direct_gap_claim
    assert claim.text == expected(shown)[0]
    (zero,) = [ln for ln in ax.get_lines() if list(ln.get_xdata()) == [0.0, 0.0]]
    assert list(zero.get_ydata()) == [0, 1]


def test_gap_buildup_steps_share_their_limits() -> None:
    one, two = (plot_gap_buildup(GAPS, step=k).axes[0] for k in (1, 2))
    assert (one.get_xlim(), one.get_ylim()) == (two.get_xlim(), two.get_ylim())
    with pytest.raises(ValueError, match="step must be 1 or 2"):
        plot_gap_buildup(GAPS, step=3)


def test_centred_effects_remove_the_constant_alpha_and_beta_trade() -> None:
    beta = RNG.normal(size=(5, 4))
    np.testing.assert_allclose(centred_effects(beta + 3.0), centred_effects(beta))
    np.testing.assert_allclose(centred_effects(beta).mean(axis=1), 0.0, atol=1e-12)


@pytest.mark.parametrize(
    ("start", "end", "opening"),
    [
        ([0.3, -0.3, 0.2, -0.2], [0.05, -0.1, 0.15, -0.18], "the disciplines with fewest"),
        ([0.1, -0.1, 0.4, -0.4], [0.08, -0.08, 0.2, -0.2], "distance from the average predicts"),
        ([0.3, -0.1, 0.2, -0.4], [0.25, -0.02, 0.05, -0.35], "pooling shrinks"),
    ],
    ids=["fewest", "furthest", "neither"],
)
def test_shrinkage_claim_says_what_the_moves_follow(start, end, opening: str) -> None:
    text, numbers = shrinkage_claim(APPS, start, end)
    move = np.abs(np.subtract(end, start))
    rn = stats.spearmanr(APPS, move)[0]
    rd = stats.spearmanr(np.abs(start), move)[0]
    assert (numbers["rank_applications"], numbers["rank_distance"]) == pytest.approx((rn, rd))
    assert text.startswith(opening), (text, rn, rd)
    assert signed(rn, 2) in text
    assert (opening == "the disciplines with fewest") == bool(rn <= -FEWEST_RANK)


def test_shrinkage_plot_orders_rows_by_applications_and_draws_one_arrow_each() -> None:
    fixed = RNG.normal([0.4, -0.3, 0.1, -0.2], 0.05, size=(400, 4))
    pooled = RNG.normal([0.1, -0.1, 0.08, -0.15], 0.05, size=(400, 4))
    tau = np.abs(RNG.normal(0.2, 0.1, 400))
    fig = plot_discipline_shrinkage(NAMES, APPS, fixed, pooled, tau)
    left, right = fig.axes
    assert [t.get_text() for t in left.get_yticklabels()] == [
        "most (900)", "many (400)", "some (200)", "few (50)"]  # fmt: skip
    moves = {c.get_gid(): c for c in left.get_children() if str(c.get_gid()).startswith("move ")}
    assert set(moves) == {f"move {n}" for n in NAMES}
    few = moves["move few"]
    assert few.xy[1] == 3  # the top row
    assert few.xyann[0] == pytest.approx(centred_effects(fixed)[:, 0].mean())
    assert few.xy[0] == pytest.approx(centred_effects(pooled)[:, 0].mean())
    assert [ln.get_label() for ln in right.get_lines()] == ["fixed prior's sd"]
    claim = claim_of(fig)
    assert claim is not None and claim.text == figure_title(fig)


def test_the_posterior_slides_read_well() -> None:
    fixed = RNG.normal([0.4, -0.3, 0.1, -0.2], 0.1, size=(400, 4))
    pooled = RNG.normal([0.1, -0.1, 0.08, -0.15], 0.1, size=(400, 4))
    tau = np.abs(RNG.normal(0.2, 0.1, 400))
    with slide_style():
        for fig in (plot_gap_buildup(GAPS, step=2, footnote="made-up draws"),
                    plot_discipline_shrinkage(NAMES, APPS, fixed, pooled, tau,
                                              footnote="made-up draws")):  # fmt: skip
            fig.set_size_inches(SLIDE_SIZE)
            assert slide_problems(fig) == []
