"""The GP lecture's data and prediction slides: titles recomputed from what is drawn."""

from __future__ import annotations

import re

import numpy as np
import pytest

from teachkit.figure_entry import claim_of, figure_title
from teachkit.figures import FigureContext, draw_figure
from teachkit.kernels import great_circle_km
from teachkit.plots.lint import slide_problems
from teachkit.store import FitStore
from tests.cases.ozone.test_gp_figures import check_baseline_semivariogram
from tests.plots.test_held_out import check_held_out

SETTINGS = {"draws": 200, "tune": 300, "chains": 2, "seed": 2}


def check_station_map(fig) -> None:
    """Distances recomputed from the drawn dots (haversine) against the title's numbers."""
    map_ax = fig.axes[0]
    (dots,) = [c for c in map_ax.collections if c.get_label() == "stations"]
    lon, lat = np.asarray(dots.get_offsets()).T
    d = great_circle_km(lat, lon)[np.triu_indices(len(lat), 1)]
    want = (
        f"{len(lat)} stations, {len(d)} pairs: {d.min():.1f} to {d.max():.1f} km apart, "
        f"median {np.median(d):.1f} km"
    )
    assert figure_title(fig) == want
    hist = fig.axes[1]
    assert sum(p.get_height() for p in hist.patches) == len(d)  # every pair in the histogram


def test_station_map_states_the_drawn_distances() -> None:
    fig = draw_figure("gp-station-map", FigureContext("real"))
    check_station_map(fig)
    assert claim_of(fig).text == figure_title(fig)
    assert slide_problems(fig) == []


def test_station_map_check_fails_on_moved_stations() -> None:
    fig = draw_figure("gp-station-map", FigureContext("real"))
    (dots,) = [c for c in fig.axes[0].collections if c.get_label() == "stations"]
    offsets = np.asarray(dots.get_offsets()).copy()
    offsets[0] += 0.05  # one station moved about 5 km: the title no longer holds
    dots.set_offsets(offsets)
    with pytest.raises(AssertionError):
        check_station_map(fig)


@pytest.mark.slow
def test_leave_one_station_out_on_a_planted_gp(tmp_path) -> None:
    """Simulated stations with a spatial truth (the simulator's defaults at the Beijing
    stations): the figure's title is what its bars say, and its table has every station."""
    ctx = FigureContext("simulated", store=FitStore(tmp_path), **SETTINGS)
    fig = draw_figure("gp-leave-one-station-out", ctx)
    assert slide_problems(fig) == []
    (ax,) = fig.axes
    assert len(ax.patches) == 12
    title = figure_title(fig)
    lead = r"^Kriging from neighbours beats a population draw at \d+ of 12 stations"
    assert re.search(lead, title)
    if claim_of(fig).numbers["wins"] > 6:
        check_held_out(fig)


@pytest.mark.slow
def test_baseline_semivariogram_on_the_beijing_fits(tmp_path) -> None:
    """The registered slide: its title recomputed from its dots, and a clean slide."""
    ctx = FigureContext("real", store=FitStore(tmp_path), **SETTINGS)
    fig = draw_figure("gp-baseline-semivariogram", ctx)
    check_baseline_semivariogram(fig)
    assert claim_of(fig).text == figure_title(fig)
    assert slide_problems(fig) == []
