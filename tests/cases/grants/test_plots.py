"""Tests for teachkit.cases.grants.plots: what each grants figure draws."""

from __future__ import annotations

import numpy as np
import pytest

from teachkit.cases.grants.plots import (
    GENDER_NAMES,
    plot_award_rates,
    plot_gender_gap,
    plot_grants_dag,
)
from teachkit.simulate import simulate_grants

DATA = simulate_grants(n_disciplines=4, rng=0).data


def test_award_rates_one_marker_per_row_sized_by_applications() -> None:
    ax = plot_award_rates(DATA)
    assert [c.get_label() for c in ax.collections] == ["women", "men"]
    totals = DATA.groupby("discipline", observed=True)[["awards", "applications"]].sum()
    order = list((totals["awards"] / totals["applications"]).sort_values(kind="stable").index)
    for coll, g in zip(ax.collections, ("f", "m"), strict=True):
        rows = DATA[DATA["gender"] == g]
        offsets = coll.get_offsets()
        np.testing.assert_allclose(offsets[:, 1], rows["awards"] / rows["applications"])
        np.testing.assert_allclose(np.round(offsets[:, 0]), rows["discipline"].map(order.index))
        sizes = coll.get_sizes()
        assert np.argmax(sizes) == np.argmax(rows["applications"].to_numpy())
        (overall,) = [
            ln for ln in ax.get_lines() if ln.get_label().startswith(f"all {GENDER_NAMES[g]}")
        ]
        rate = rows["awards"].sum() / rows["applications"].sum()
        assert overall.get_ydata()[0] == pytest.approx(rate)
    ticks = [t.get_text().split("\n") for t in ax.get_xticklabels()]
    assert [t[0] for t in ticks] == order  # lowest award rate first
    women = DATA[DATA["gender"] == "f"].set_index("discipline")["applications"]
    assert [t[1] for t in ticks] == [f"{women[d] / totals.loc[d, 'applications']:.0%} women"
                                     for d in order]  # fmt: skip
    assert ax.get_ylabel() == "award rate"


def test_dag_has_three_nodes_and_the_direct_arrow_on_request() -> None:
    ax = plot_grants_dag()
    labels = [t.get_text() for t in ax.texts]
    assert {"G", "D", "A", "gender", "discipline", "award"} <= set(labels)
    arrows = [c.get_gid() for c in ax.get_children() if type(c).__name__ == "Annotation"]
    assert arrows == ["G->D", "D->A", "G->A"]
    ax2 = plot_grants_dag(direct=False)
    arrows = [c.get_gid() for c in ax2.get_children() if type(c).__name__ == "Annotation"]
    assert arrows == ["G->D", "D->A"]


def test_gender_gap_histograms_intervals_and_zero_line() -> None:
    rng = np.random.default_rng(1)
    gaps = {"total (gender)": rng.normal(0.04, 0.01, 500),
            "direct (gender + discipline)": rng.normal(0.0, 0.01, 500)}  # fmt: skip
    ax = plot_gender_gap(gaps)
    labels = [p.get_label() for p in ax.patches]
    for label, draws in gaps.items():
        low, high = np.quantile(100 * draws, [0.03, 0.97])
        assert f"{label}: {100 * draws.mean():.1f} [{low:.1f}, {high:.1f}]" in labels
        (interval,) = [ln for ln in ax.get_lines() if ln.get_gid() == f"interval {label}"]
        np.testing.assert_allclose(interval.get_xdata(), [low, high])
    (zero,) = [ln for ln in ax.get_lines() if list(ln.get_xdata()) == [0.0, 0.0]]
    assert list(zero.get_ydata()) == [0, 1]  # across the whole height: "no gap" stands out
    assert [t.get_text() for t in ax.get_legend().get_texts()] == labels
