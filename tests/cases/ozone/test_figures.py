"""The ozone case study's registered figures make their teaching points, on the data they draw.

Each test reads the numbers back from the figure's artists (scatter offsets, line data, error
bars, texts) and checks the point the figure's ``point`` states, with a threshold named here.
The figures are drawn from one session-wide FigureContext on the real Beijing data with a
fit store shared by the ozone figure tests (conftest.py) and short chains (2 x 300 draws).

Where a figure could lose its point without anything else breaking, a parametrised case
draws the same figure from data that lacks the point and checks that the test's criterion
then fails: the shrinkage figure on the full Beijing table (about 1,400 days per station).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from scipy import stats

from teachkit.cases.ozone.data import station_names
from teachkit.cases.ozone.figures import (
    FIGURES,
    shrinkage_1d_figure,
)
from teachkit.cases.ozone.simulate import simulate_ozone
from teachkit.cases.ozone.subsample import (
    FUNNEL_DAYS,
    SHRINKAGE_DAYS,
    days_label,
    funnel_data,
    graded_days,
    shrinkage_data,
    subsample_days,
)
from teachkit.errors import TeachkitError
from teachkit.figures import FigureContext
from teachkit.plots.lint import slide_problems

#: Fewer days, further moved: the rank correlation of days and shrinkage is at most this.
SHRINK_RANK = -0.6
#: The third of the stations with fewest days moves at least this share of the way ...
FEW_DAYS_MOVE = 0.5
#: ... and at least this many times as far as the third with most days (in 2-D stations
#: with a few hundred days still move about 40% of their distance: a line fitted to 200 days
#: pins the slope down less than the 12 stations' slopes differ).
FEW_OVER_MANY = 1.5


def by_label(ax, label: str):
    (found,) = [c for c in ax.collections if c.get_label() == label]
    return found


def line(ax, label: str):
    (found,) = [ln for ln in ax.get_lines() if ln.get_label() == label]
    return found


# --- the figures' data ----------------------------------------------------------------------


def test_subsample_days_keeps_the_asked_days_of_each_station() -> None:
    data = simulate_ozone(n_stations=4, n_days=60, rng=0).data
    kept = subsample_days(data, [3, 10, 60, 100], rng=1)
    assert kept.groupby("station_id").size().tolist() == [3, 10, 60, 60]
    assert station_names(kept) == station_names(data)
    pd.testing.assert_frame_equal(kept, subsample_days(data, [3, 10, 60, 100], rng=1))
    merged = kept.merge(data, on=["station_id", "date"], suffixes=("", "_full"))
    np.testing.assert_array_equal(merged["log_ozone"], merged["log_ozone_full"])
    with pytest.raises(TeachkitError, match="2 counts for 4 stations"):
        subsample_days(data, [1, 2])
    with pytest.raises(TeachkitError, match="counts >= 1"):
        subsample_days(data, 0)


def test_graded_days_span_a_few_to_a_few_hundred() -> None:
    days = graded_days(12, *SHRINKAGE_DAYS, rng=0)
    assert sorted(days)[0] == SHRINKAGE_DAYS[0] and sorted(days)[-1] == SHRINKAGE_DAYS[1]
    assert len(set(days.tolist())) == 12


def test_the_figures_tables() -> None:
    data = simulate_ozone(n_stations=12, n_days=400, rng=0).data
    assert set(funnel_data(data).groupby("station_id").size()) == {FUNNEL_DAYS}
    sizes = shrinkage_data(data).groupby("station_id").size()
    assert (sizes.min(), sizes.max()) == SHRINKAGE_DAYS
    assert days_label(funnel_data(data)) == f"12 stations, {FUNNEL_DAYS} days each"


# --- figures without fits -------------------------------------------------------------------


# --- shrinkage ------------------------------------------------------------------------------


def days_from(label: str) -> int:
    return int(re.search(r"\((\d+)(?: days)?\)", label).group(1))


def shrinkage_1d_numbers(fig: Figure) -> tuple[np.ndarray, np.ndarray]:
    """Days and share of the way moved of each row."""
    (ax,) = fig.axes
    own = np.asarray(by_label(ax, "own estimate (no pooling)").get_offsets())
    partial = np.asarray(by_label(ax, "partial pooling").get_offsets())
    mean = line(ax, "population mean").get_xdata()[0]
    rows = dict(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()), strict=True))
    labels = [rows[y] for y in own[:, 1]]
    moved = (own[:, 0] - partial[:, 0]) / (own[:, 0] - mean)
    return np.array([days_from(lb) for lb in labels]), moved


def few_and_many(days: np.ndarray, moved: np.ndarray) -> tuple[float, float, float]:
    """Rank correlation of days and moves, mean move of the fewest and most days' thirds."""
    order = np.argsort(days)
    third = len(days) // 3
    rank = float(stats.spearmanr(days, moved)[0]) if np.ptp(days) else 0.0
    return rank, float(moved[order[:third]].mean()), float(moved[order[-third:]].mean())


def assert_fewer_days_move_further(days, moved, shows: bool) -> None:
    rank, few, many = few_and_many(days, moved)
    point = rank <= SHRINK_RANK and few >= FEW_DAYS_MOVE and few >= FEW_OVER_MANY * many
    assert point is shows, (rank, few, many)


@pytest.mark.slow
@pytest.mark.parametrize("full", [False, True], ids=["5-300-days", "full-beijing"])
def test_shrinkage_1d_point(ctx: FigureContext, drawn, full: bool) -> None:
    """Stations with fewer days move further toward the population mean.

    The share of the way each station's intercept moves falls with its days (rank
    correlation at most SHRINK_RANK); the third with fewest days moves at least half way and
    at least twice as far as the third with most. Drawn from the full Beijing table every
    station has about 1,400 days and moves a few per cent: the second case asserts the check
    then fails.
    """
    data = ctx.data("ozone")
    fig = shrinkage_1d_figure(ctx, data) if full else drawn("pooling-shrinkage-1d")
    days, moved = shrinkage_1d_numbers(fig)
    assert_fewer_days_move_further(days, moved, shows=not full)
    if not full:
        assert (days.min(), days.max()) == SHRINKAGE_DAYS
        assert "5-300 days each" in fig.get_supxlabel()


# --- the data and the station effects -------------------------------------------------------


# --- every ozone figure: stations named, readable at slide size -----------------------------

#: How each figure names its stations: the names it shows, in the order it shows them.
NAMED: dict[str, Callable[[Figure], list[str]]] = {
    "pooling-shrinkage-1d": lambda f: sorted(
        t.get_text().rsplit(" (", 1)[0] for t in f.axes[0].get_yticklabels()),
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("name", list(NAMED))
def test_figures_name_their_stations(ctx: FigureContext, drawn, name: str) -> None:
    """Station names from the data, in its station order (never 0-11)."""
    names = station_names(ctx.data("ozone"))
    shown = NAMED[name](drawn(name))
    if name == "pooling-shrinkage-1d":
        names = sorted(names)  # placed by value: the set is what counts
    assert shown == names


@pytest.mark.slow
@pytest.mark.parametrize("name", [e.name for e in FIGURES])
def test_ozone_figures_read_well_at_slide_size(drawn, name: str) -> None:
    """No text cut off or overlapping, every Greek symbol and subscript typeset."""
    assert slide_problems(drawn(name)) == []
