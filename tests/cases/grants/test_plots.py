"""Tests for teachkit.cases.grants.plots: the award-rate slide and the causal graph."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from teachkit.cases.grants.plots import (
    CLEAR_R,
    DAG_NODES,
    GENDER_NAMES,
    discipline_table,
    jeffreys_interval,
    plot_award_rates,
    plot_grants_dag,
    rate_share_claim,
)
from teachkit.datasets import load_nwo_grants
from teachkit.figure_entry import claim_of, figure_title
from teachkit.plots.lint import slide_problems
from teachkit.plots.style import SLIDE_SIZE, slide_style
from teachkit.simulate import simulate_grants

DATA = simulate_grants(n_disciplines=4, rng=0).data


def test_jeffreys_interval_is_the_beta_quantiles_and_covers_the_rate() -> None:
    low, high = jeffreys_interval([0, 2, 9], [9, 9, 9], prob=0.94)
    dist = stats.beta(2.5, 7.5)
    assert (low[1], high[1]) == pytest.approx((dist.ppf(0.03), dist.ppf(0.97)))
    assert (low[0], high[2]) == (0.0, 1.0)  # the ends reach the bounds
    assert high[0] == pytest.approx(stats.beta(0.5, 9.5).ppf(0.97))
    assert np.all(low <= np.array([0, 2, 9]) / 9) and np.all(high >= np.array([0, 2, 9]) / 9)


def test_discipline_table_sums_both_genders_and_sorts_by_rate() -> None:
    table = discipline_table(load_nwo_grants())
    assert list(table.index)[:2] == ["Social sciences", "Medical sciences"]
    assert table.loc["Physics", "applications"] == 76
    assert table.loc["Physics", "share_women"] == pytest.approx(9 / 76)
    assert table["rate"].is_monotonic_increasing


@pytest.mark.parametrize(
    ("rate", "word"),
    [([0.3, 0.2, 0.1], "rarer"), ([0.1, 0.2, 0.3], "more common"), ([0.2, 0.1, 0.2], "barely")],
)
def test_rate_share_claim_words_the_correlation(rate: list[float], word: str) -> None:
    text, r = rate_share_claim([0.1, 0.3, 0.5], rate)
    assert word in text and f"$r = {r:.2f}$" in text
    assert (abs(r) >= CLEAR_R) is (word != "barely")


def test_award_rates_left_panel_rates_and_intervals_in_percent() -> None:
    fig = plot_award_rates(DATA)
    left, right = fig.axes
    order = list(discipline_table(DATA).index)
    assert [t.get_text() for t in left.get_yticklabels()] == order  # lowest rate at the bottom
    for g in ("f", "m"):
        rows = DATA[DATA["gender"] == g]
        (markers,) = [c for c in left.collections if c.get_label() == GENDER_NAMES[g]]
        np.testing.assert_allclose(markers.get_offsets()[:, 0],
                                   100 * rows["awards"] / rows["applications"])  # fmt: skip
        np.testing.assert_allclose(np.round(markers.get_offsets()[:, 1]),
                                   rows["discipline"].astype(str).map(order.index))  # fmt: skip
        (bars,) = [c for c in left.collections if c.get_gid() == f"interval {g}"]
        low, high = jeffreys_interval(rows["awards"], rows["applications"])
        segments = np.array(bars.get_segments())
        np.testing.assert_allclose(segments[:, :, 0], 100 * np.column_stack([low, high]))
        (overall,) = [ln for ln in left.get_lines()
                      if ln.get_label().startswith(f"all {GENDER_NAMES[g]}:")]  # fmt: skip
        assert overall.get_xdata()[0] == pytest.approx(
            100 * rows["awards"].sum() / rows["applications"].sum())  # fmt: skip
    assert "%" in left.get_xlabel() and "%" in right.get_xlabel() and "%" in right.get_ylabel()


def test_award_rates_right_panel_and_claim() -> None:
    fig = plot_award_rates(DATA)
    right = fig.axes[1]
    table = discipline_table(DATA)
    (markers,) = [c for c in right.collections if c.get_label() == "disciplines"]
    np.testing.assert_allclose(markers.get_offsets(),
                               100 * table[["share_women", "rate"]].to_numpy())  # fmt: skip
    assert np.argmax(markers.get_sizes()) == np.argmax(table["applications"].to_numpy())
    claim = claim_of(fig)
    assert claim is not None and claim.text == figure_title(fig)
    assert claim.numbers["r"] == pytest.approx(
        np.corrcoef(table["share_women"], table["rate"])[0, 1]
    )


def test_award_rates_reads_well_on_a_slide() -> None:
    with slide_style():
        fig = plot_award_rates(load_nwo_grants())
        fig.set_size_inches(SLIDE_SIZE)
        assert slide_problems(fig) == []


def gids(ax) -> list[str]:
    return [c.get_gid() for c in ax.get_children() if type(c).__name__ == "Annotation"]


def test_dag_has_three_nodes_and_the_direct_arrow_on_request() -> None:
    ax = plot_grants_dag()
    labels = [t.get_text() for t in ax.texts]
    assert {"G", "D", "A", "gender", "discipline", "award"} <= set(labels)
    assert "U" not in labels
    assert gids(ax) == ["G->D", "D->A", "G->A"]
    assert gids(plot_grants_dag(direct=False)) == ["G->D", "D->A"]


def test_dag_with_the_unobserved_cause_keeps_the_nodes_in_place() -> None:
    one, two = plot_grants_dag(), plot_grants_dag(unobserved=True)
    assert gids(two) == ["G->D", "D->A", "G->A", "U->D", "U->A"]
    place = {t.get_text(): t.get_position() for t in one.texts if t.get_text() in DAG_NODES}
    again = {t.get_text(): t.get_position() for t in two.texts if t.get_text() in DAG_NODES}
    assert {k: again[k] for k in place} == place and again["U"] == DAG_NODES["U"]
    assert (one.get_xlim(), one.get_ylim()) == (two.get_xlim(), two.get_ylim())
    assert any("collider" in t.get_text() for t in two.texts)


def test_dag_nodes_sit_at_the_same_pixels_in_both_steps() -> None:
    """At slide size, after drawing: each node's centre in pixels is the same with and
    without U (the build-up adds a layer, nothing moves)."""
    pixels = []
    with slide_style():
        for unobserved in (False, True):
            ax = plot_grants_dag(unobserved=unobserved)
            ax.figure.set_size_inches(SLIDE_SIZE)
            ax.figure.canvas.draw()
            pixels.append({
                t.get_text(): tuple(ax.transData.transform(t.get_position()))
                for t in ax.texts if t.get_text() in ("G", "D", "A")
            })  # fmt: skip
            assert slide_problems(ax.figure) == []
    assert pixels[0] == pixels[1]
