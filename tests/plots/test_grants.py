"""Tests for teachkit.plots.grants: what each grants figure draws."""

from __future__ import annotations

import numpy as np

from teachkit.plots.grants import plot_award_rates, plot_gender_gap, plot_grants_dag
from teachkit.simulate import simulate_grants

DATA = simulate_grants(n_disciplines=4, rng=0).data


def test_award_rates_one_marker_per_row_sized_by_applications() -> None:
    ax = plot_award_rates(DATA)
    assert [c.get_label() for c in ax.collections] == ["f", "m"]
    for coll, g in zip(ax.collections, ("f", "m"), strict=True):
        rows = DATA[DATA["gender"] == g]
        offsets = coll.get_offsets()
        np.testing.assert_allclose(offsets[:, 1], rows["awards"] / rows["applications"])
        sizes = coll.get_sizes()
        assert np.argmax(sizes) == np.argmax(rows["applications"].to_numpy())
    assert [t.get_text() for t in ax.get_xticklabels()] == ["D1", "D2", "D3", "D4"]
    assert ax.get_ylabel() == "award rate"


def test_dag_has_three_nodes_and_the_direct_arrow_on_request() -> None:
    ax = plot_grants_dag()
    labels = [t.get_text() for t in ax.texts]
    assert {"G", "D", "A", "gender", "discipline", "award"} <= set(labels)
    arrows = [c for c in ax.get_children() if type(c).__name__ == "Annotation"]
    assert len(arrows) == 3
    ax2 = plot_grants_dag(direct=False)
    assert len([c for c in ax2.get_children() if type(c).__name__ == "Annotation"]) == 2


def test_gender_gap_histograms_and_zero_line() -> None:
    rng = np.random.default_rng(1)
    gaps = {"total (gender)": rng.normal(0.04, 0.01, 500),
            "direct (gender_discipline)": rng.normal(0.0, 0.01, 500)}  # fmt: skip
    ax = plot_gender_gap(gaps)
    assert [p.get_label() for p in ax.patches] == list(gaps)
    (zero,) = [ln for ln in ax.get_lines() if list(ln.get_xdata()) == [0.0, 0.0]]
    assert zero is not None
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(gaps)
