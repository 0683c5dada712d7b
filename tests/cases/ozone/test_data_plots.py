"""Tests for teachkit.cases.ozone.data_plots on synthetic arrays (no fits): what each plot draws.

The titles' claims are checked from the drawn artists in test_data_figures.py, on the real
data and on synthetic data where a claim is false.
"""

from __future__ import annotations

import numpy as np
import pytest

from teachkit.cases.ozone.data_plots import (
    LOG_OZONE_LABEL,
    TEMP_LABEL,
    TEMP_RANGE,
    percent_change,
    plot_data_pooled,
    plot_pooled_curve,
    plot_prior_predictive_step,
    plot_station_intercepts,
    plot_station_map,
    plot_station_panels,
    plot_varying_intercepts,
    prior_line_draws,
    share_between,
    station_mean_residuals,
)
from teachkit.figure_entry import claim_of, figure_title
from teachkit.plots.lint import slide_problems
from teachkit.plots.style import slide_style

RNG = np.random.default_rng(0)  # used once, here: the same arrays whatever the test order
N_STATIONS, N_DAYS = 12, 150
STATION = np.repeat(np.arange(N_STATIONS), N_DAYS)
TEMP = RNG.uniform(-10.0, 40.0, STATION.size)
LEVELS = np.linspace(-0.3, 0.3, N_STATIONS)
LOG_OZONE = 3.4 + LEVELS[STATION] + 0.05 * TEMP + RNG.normal(0.0, 0.3, STATION.size)
NAMES = [f"Station{j}" for j in range(N_STATIONS)]


def drawn_cleanly(fig):
    """The figure reads well at slide size and its claim is its title."""
    assert slide_problems(fig) == []
    claim = claim_of(fig)
    assert claim is not None and claim.text == figure_title(fig)
    return claim


def test_percent_change_and_share_between() -> None:
    assert percent_change(0.0) == 0.0
    assert percent_change(np.log(2.0)) == pytest.approx(100.0)
    assert share_between([-1.0, 0.0, 2.0, 3.0], 0.0, 2.0) == 0.5


def test_station_mean_residuals_are_each_stations_mean_distance_from_the_line() -> None:
    residual = station_mean_residuals(TEMP, LOG_OZONE, STATION, 3.4, 0.05)
    np.testing.assert_allclose(residual, LEVELS, atol=4 * 0.3 / np.sqrt(N_DAYS))


def test_data_pooled_counts_every_day_once_and_draws_the_line() -> None:
    with slide_style():
        fig = plot_data_pooled(TEMP, LOG_OZONE, 3.4, 0.05)
        claim = drawn_cleanly(fig)
    (ax, _colorbar) = fig.axes
    (cells,) = [c for c in ax.collections if c.get_label() == "station-days"]
    assert cells.get_array().sum() == len(TEMP)
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "pooled fit"]
    x, y = line.get_data()
    assert (x[0], x[-1]) == TEMP_RANGE == ax.get_xlim()
    np.testing.assert_allclose(y, 3.4 + 0.05 * x)
    assert claim.numbers["percent_per_degree"] == pytest.approx(percent_change(0.05))


def test_station_map_aspect_and_pairs() -> None:
    lat = np.array([39.9, 40.0, 40.3, 39.95])
    lon = np.array([116.3, 116.4, 116.6, 116.2])
    with slide_style():
        ax = plot_station_map(["A", "B", "C", "D"], lat, lon)
        drawn_cleanly(ax.figure)
    assert ax.get_aspect() == pytest.approx(1 / np.cos(np.radians(lat.mean())))
    assert sorted(t.get_text() for t in ax.texts if t.get_text() in "ABCD") == list("ABCD")
    (farthest,) = [ln for ln in ax.get_lines() if ln.get_gid() == "farthest"]
    assert sorted(farthest.get_xdata()) == [116.2, 116.6]


def priors(first: tuple[float, float], second: tuple[float, float]) -> list:
    rng = np.random.default_rng(1)
    return [(sds, *prior_line_draws(sds, 300, rng)) for sds in (first, second)]


def test_prior_predictive_steps_add_one_layer_on_the_same_axes() -> None:
    with slide_style():
        figs = [
            plot_prior_predictive_step(priors((3.0, 1.0), (2.0, 0.1)), (0.0, 7.0), step=k)
            for k in (1, 2)
        ]
        for fig in figs:
            drawn_cleanly(fig)
    gids = [{ln.get_gid() for ln in f.axes[0].get_lines()} for f in figs]
    assert gids[1] - gids[0] == {"prior-2"}
    layouts = [[(a.get_position().bounds, a.get_ylim()) for a in f.axes] for f in figs]
    assert layouts[0] == layouts[1]


@pytest.mark.parametrize("ylim", [(-40.0, 40.0), (-33.0, 47.0), (-5.0, 12.0)])
def test_prior_predictive_ug_axis_lines_up_with_the_log_axis(ylim) -> None:
    """The right axis in ug/m3 has the left axis's limits, and its ticks 10^k sit at
    k ln 10 inside them (a tick beyond the limits would widen the twin axis)."""
    with slide_style():
        fig = plot_prior_predictive_step(
            priors((3.0, 1.0), (2.0, 0.1)), (0.0, 7.0), step=1, ylim=ylim
        )
        fig.canvas.draw()
    left, right = fig.axes[0], fig.axes[2]
    assert right.get_ylim() == left.get_ylim() == ylim
    ticks = right.get_yticks()
    assert len(ticks) > 0 and all(ylim[0] <= t <= ylim[1] for t in ticks)
    for t, label in zip(ticks, right.get_yticklabels(), strict=True):
        k = int(label.get_text().strip("$").split("{")[1].rstrip("}"))
        assert t == pytest.approx(k * np.log(10))


def test_pooled_curve_is_the_exponential_of_the_line() -> None:
    alpha = RNG.normal(3.4, 0.01, 400)
    beta = RNG.normal(0.05, 0.001, 400)
    with slide_style():
        fig = plot_pooled_curve(TEMP, np.exp(LOG_OZONE), alpha, beta)
        drawn_cleanly(fig)
    (line,) = [ln for ln in fig.axes[0].get_lines() if ln.get_label() == "pooled fit"]
    x, y = line.get_data()
    np.testing.assert_allclose(y, np.exp(alpha.mean() + beta.mean() * x))


def test_station_panels_one_per_station_same_axes() -> None:
    with slide_style():
        fig = plot_station_panels(TEMP, LOG_OZONE, STATION, NAMES, 3.4, 0.05)
        drawn_cleanly(fig)
    assert [ax.get_title() for ax in fig.axes] == NAMES
    assert len({(ax.get_xlim(), ax.get_ylim()) for ax in fig.axes}) == 1
    assert [ax.get_xlabel() for ax in fig.axes] == [""] * 8 + [TEMP_LABEL] * 4  # bottom row
    assert fig.get_supylabel() == LOG_OZONE_LABEL
    worst = station_mean_residuals(TEMP, LOG_OZONE, STATION, 3.4, 0.05)[0]  # level -0.3
    assert f"Station0's days lie {-percent_change(worst):.0f}% below it" in figure_title(fig)


def test_varying_intercepts_parallel_lines_two_named() -> None:
    with slide_style():
        ax = plot_varying_intercepts(3.4 + LEVELS, 0.05, NAMES, highlight=("Station0", "Station5"))
        drawn_cleanly(ax.figure)
    named = sorted(t.get_text() for t in ax.texts if t.get_text() in NAMES)
    assert named == ["Station0", "Station5"]
    assert f"differ by {percent_change(0.6):.0f}%" in figure_title(ax.figure)


def test_station_intercepts_sorted_with_names() -> None:
    mean = LEVELS[::-1]
    with slide_style():
        ax = plot_station_intercepts(mean, mean - 0.05, mean + 0.05, NAMES, 0.2)
        drawn_cleanly(ax.figure)
    assert [t.get_text() for t in ax.get_yticklabels()] == NAMES[::-1]
    assert figure_title(ax.figure).startswith("10 of 12 stations'")
    assert figure_title(ax.figure).endswith(r"of $\alpha_j - \mu_\alpha$ exclude 0")
