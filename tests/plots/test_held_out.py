"""Tests for teachkit.plots.held_out: the title's counts and sums are those of the bars drawn."""

from __future__ import annotations

import re

import numpy as np
import pytest

from teachkit.figure_entry import claim_of, figure_title
from teachkit.plots.held_out import CLEAR_SE, held_out_summary, plot_held_out
from teachkit.plots.lint import slide_problems
from teachkit.plots.style import SLIDE_SIZE, slide_style

LABELS = [f"station {j}" for j in range(12)]
ROWS = np.full(12, 1400)


def check_held_out(fig) -> None:
    """Recompute wins, total and se from the bars and compare with the title's words."""
    (ax,) = fig.axes
    widths = np.array([p.get_width() for p in ax.patches])
    wins = int((widths > 0).sum())
    total = widths.sum()
    se = np.sqrt(len(widths)) * widths.std(ddof=1)
    title = figure_title(fig)
    match = re.search(
        r"at (\d+) of (\d+) .*\ntotal ([+-][\d.]+) ± ([\d.]+) \(se over \w+\): "
        r"(no clear winner|clearly better in total|clearly worse in total)$",
        title,
    )
    assert match, title
    assert int(match.group(1)) == wins and int(match.group(2)) == len(widths)
    assert float(match.group(3)) == pytest.approx(total, abs=0.051)
    assert float(match.group(4)) == pytest.approx(se, abs=0.051)
    assert (match.group(5) != "no clear winner") == (abs(total) > CLEAR_SE * se)
    assert (match.group(5) == "clearly worse in total") == (total < -CLEAR_SE * se)
    assert "(nats)" in ax.get_xlabel()
    assert wins > len(widths) / 2, "the title's model must win most groups"


def draw(differences):
    with slide_style():
        fig = plot_held_out(LABELS, ROWS, differences, reference="exchangeable", other="GP")
        fig.set_size_inches(SLIDE_SIZE)
    return fig


def test_the_title_is_the_bars_count_sum_and_se() -> None:
    d = np.random.default_rng(1).normal(1.0, 1.5, 12)
    fig = draw(d)
    check_held_out(fig)
    assert claim_of(fig).numbers["total"] == pytest.approx(d.sum())
    assert slide_problems(fig) == []


def test_the_check_fails_when_the_other_model_loses() -> None:
    d = -np.abs(np.random.default_rng(2).normal(1.0, 1.5, 12))
    with pytest.raises(AssertionError):
        check_held_out(draw(d))


def test_summary_by_hand() -> None:
    assert held_out_summary([2.0, -1.0, 1.0]) == (
        2,
        2.0,
        pytest.approx(np.sqrt(3) * np.std([2, -1, 1], ddof=1)),
    )
