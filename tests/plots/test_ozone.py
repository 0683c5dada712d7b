"""Tests for teachkit.plots.ozone on small simulated data and synthetic posteriors."""

from __future__ import annotations

import numpy as np
import pandas as pd

from teachkit.plots.ozone import (
    plot_alpha_beta_posterior,
    plot_lines_through_data,
    plot_loo,
    plot_ozone_data,
    plot_prior_predictive,
    plot_station_intercepts,
    plot_station_lines,
    plot_station_trace,
)
from teachkit.plots.style import station_color
from teachkit.simulate import simulate_ozone

SIM = simulate_ozone(n_stations=4, n_days=30, rng=0)
DATA = SIM.data
NAMES = [f"station_{j:02d}" for j in range(4)]
RNG = np.random.default_rng(0)
ALPHA = RNG.normal(3.4, 0.1, (2, 50, 4))
BETA = RNG.normal(0.05, 0.005, (2, 50, 4))


def test_prior_predictive_one_line_per_draw_and_the_real_range() -> None:
    priors = {"vague": (RNG.normal(0, 10, 20), RNG.normal(0, 1, 20)),
              "lecture": (RNG.normal(0, 2, 20), RNG.normal(0, 0.1, 20))}  # fmt: skip
    fig = plot_prior_predictive(priors, (1.0, 6.0))
    assert [ax.get_title() for ax in fig.axes] == ["vague", "lecture"]
    for ax in fig.axes:
        assert len(ax.get_lines()) == 20
        (band,) = [p for p in ax.patches if p.get_label() == "real days"]
        assert band is not None
        assert ax.get_xlim()[0] <= 0 and ax.get_xlim()[1] >= 40


def test_data_scatter_per_station_with_pooled_line() -> None:
    ax = plot_ozone_data(DATA, pooled=(3.0, 0.05))
    assert [c.get_label() for c in ax.collections] == NAMES
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(DATA)
    for j, c in enumerate(ax.collections):
        np.testing.assert_allclose(c.get_facecolor()[0][:3], _rgb(station_color(j)))
    (line,) = ax.get_lines()
    x, y = line.get_data()
    np.testing.assert_allclose(y, 3.0 + 0.05 * x)


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(hex_colour)


def test_station_intercepts_errorbars_pooled_line_and_named_extremes() -> None:
    summary = pd.DataFrame({"mean": [3.4, 3.6, 3.2, 3.5], "low": [3.3, 3.5, 3.1, 3.4],
                            "high": [3.5, 3.7, 3.3, 3.6]})  # fmt: skip
    ax = plot_station_intercepts(summary, 3.45, NAMES)
    assert len(ax.containers) == 4  # one errorbar per station
    assert {t.get_text() for t in ax.texts} == {"station_01", "station_02"}
    (pooled,) = [ln for ln in ax.get_lines() if ln.get_label() == "pooled"]
    assert list(pooled.get_ydata()) == [3.45, 3.45]


def test_loo_one_point_per_model_best_on_top() -> None:
    table = pd.DataFrame({"elpd_loo": [-100.0, -120.0, -150.0], "se": [5.0, 6.0, 7.0]},
                         index=["covarying", "varying_intercepts", "pooled"])  # fmt: skip
    ax = plot_loo(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "pooled", "varying_intercepts", "covarying"]  # fmt: skip
    (container,) = ax.containers
    xdata = np.asarray(container.lines[0].get_xdata(), dtype=float)
    np.testing.assert_allclose(xdata, [-150.0, -120.0, -100.0])


def test_station_lines_one_per_station_in_its_colour() -> None:
    ax = plot_station_lines([3.4, 3.5, 3.3, 3.6], [0.05, 0.04, 0.06, 0.03], NAMES, DATA)
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == NAMES
    assert [ln.get_color() for ln in lines] == [station_color(j) for j in range(4)]
    assert len(ax.collections) == 1  # the data in grey


def test_trace_two_panels_one_line_per_station() -> None:
    fig = plot_station_trace(ALPHA, BETA)
    top, bottom = fig.axes
    assert top.get_ylabel() == "α_j" and bottom.get_ylabel() == "β_j"
    for ax, values in ((top, ALPHA), (bottom, BETA)):
        assert len(ax.get_lines()) == 4
        np.testing.assert_allclose(ax.get_lines()[2].get_ydata(), values[..., 2].ravel())


def test_alpha_beta_posterior_clouds_and_means() -> None:
    a, b = ALPHA.reshape(-1, 4), BETA.reshape(-1, 4)
    ax = plot_alpha_beta_posterior(a, b)
    assert len(ax.collections) == 4
    (means,) = ax.get_lines()
    assert means.get_label().startswith("station means, r = ")
    np.testing.assert_allclose(sorted(means.get_xdata()), sorted(a.mean(axis=0)))


def test_lines_through_data_one_line_per_pair() -> None:
    ax = plot_lines_through_data(DATA, [3.2, 3.4, 3.6], [0.06, 0.05, 0.04])
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 50]
    assert len(lines) == 3
    assert lines[0].get_xdata()[0] == 0.0  # extended to T = 0, where the intercepts are
    assert len(ax.figure.axes) == 2  # the plot and its colour bar
