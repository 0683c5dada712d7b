"""Tests for teachkit.plots.labels: typeset symbols, plain names, labels spread apart."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from teachkit.plots.labels import label_ends, note, plain, spread, symbol
from teachkit.plots.lint import untypeset


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("mu_alpha", r"$\mu_\alpha$"),
        ("sigma_beta", r"$\sigma_\beta$"),
        ("rho", r"$\rho$"),
        ("alpha[3]", r"$\alpha_{3}$"),
        ("beta[Physics]", r"$\beta_{Physics}$"),
        ("gender_gap", "gender gap"),
        ("direct_effect", "direct effect"),
    ],
)
def test_symbol_typesets_canonical_names(name: str, text: str) -> None:
    assert symbol(name) == text
    assert untypeset(symbol(name)) == ""


def test_plain_replaces_underscores() -> None:
    assert plain("varying_intercepts") == "varying intercepts"


@given(
    st.lists(st.floats(-100, 100, allow_nan=False), min_size=1, max_size=15),
    st.floats(0.1, 5),
)
def test_spread_keeps_order_and_gaps(values: list[float], gap: float) -> None:
    placed = spread(values, gap)
    order = np.argsort(values, kind="stable")
    assert np.all(np.diff(placed[order]) >= gap - 1e-9)
    # labels that are already apart stay where they are
    if len(values) == 1 or np.all(np.diff(np.sort(values)) >= gap):
        np.testing.assert_allclose(placed, values, atol=1e-9)


def test_label_ends_names_every_line_without_overlap() -> None:
    ax = plt.figure(figsize=(12.8, 7.2)).subplots()
    ax.set_ylim(0, 10)
    ax.set_xlim(0, 50)
    texts = label_ends(ax, 40.0, [5.0, 5.05, 5.1, 9.0], list("ABCD"), ["C0", "C1", "C2", "C3"])
    assert [t.get_text() for t in texts] == list("ABCD")
    y = np.array([t.get_position()[1] for t in texts])
    assert np.all(np.diff(np.sort(y)) >= 0.045 * 10 - 1e-9)
    assert len(ax.get_lines()) == 4  # the leaders


def test_note_says_what_data_at_the_foot() -> None:
    fig = plt.figure(layout="constrained")
    text = note(fig, "Beijing, 12 stations")
    assert fig.get_supxlabel() == "Beijing, 12 stations" and text.get_ha() == "right"
