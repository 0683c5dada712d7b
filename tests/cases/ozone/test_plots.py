"""Tests for teachkit.cases.ozone.plots on small simulated data and synthetic posteriors."""

from __future__ import annotations

import numpy as np
import pandas as pd

from teachkit.cases.ozone.plots import (
    plot_alpha_beta_posterior,
    plot_ozone_data,
    plot_prior_predictive,
    plot_station_intercepts,
    share_near,
)
from teachkit.plots.style import station_color
from teachkit.simulate import simulate_ozone

SIM = simulate_ozone(n_stations=4, n_days=30, rng=0)
DATA = SIM.data
NAMES = [f"station_{j:02d}" for j in range(4)]
_DRAWS = np.random.default_rng(0)  # used once, here: the same arrays whatever the test order
ALPHA = _DRAWS.normal(3.4, 0.1, (2, 50, 4))
BETA = _DRAWS.normal(0.05, 0.005, (2, 50, 4))


def test_prior_predictive_one_line_per_draw_and_the_real_range() -> None:
    rng = np.random.default_rng(7)
    priors = {"vague": (rng.normal(0, 10, 20), rng.normal(0, 1, 20)),
              "lecture": (rng.normal(0, 2, 20), rng.normal(0, 0.1, 20))}  # fmt: skip
    fig = plot_prior_predictive(priors, (1.0, 6.0))
    assert [ax.get_title() for ax in fig.axes] == ["vague", "lecture"]
    for ax, (a, b) in zip(fig.axes, priors.values(), strict=True):
        assert len(ax.get_lines()) == 20
        (band,) = [p for p in ax.patches if p.get_label() == "real days"]
        assert (band.get_bbox().y0, band.get_bbox().y1) == (1.0, 6.0)  # the real days' range
        assert ax.get_xlim()[0] <= 0 and ax.get_xlim()[1] >= 40
        t = ax.get_lines()[0].get_xdata()
        share = share_near(a[None, :] + b[None, :] * t[:, None], (1.0, 6.0))
        assert f"{share:.0%} of lines" in ax.texts[0].get_text()
    assert fig.axes[0].get_ylim() == fig.axes[1].get_ylim()  # shared: the spreads compare


def test_share_near_counts_whole_lines_within_one_band_width() -> None:
    lines = np.array([[0.0, -3.0, 20.0], [4.0, 1.0, 21.0]])
    assert share_near(lines, (0.0, 4.0)) == 2 / 3


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


def test_station_intercepts_errorbars_named_stations_and_pooled_line() -> None:
    summary = pd.DataFrame({"mean": [3.4, 3.6, 3.2, 3.5], "low": [3.3, 3.5, 3.1, 3.4],
                            "high": [3.5, 3.7, 3.3, 3.6]})  # fmt: skip
    ax = plot_station_intercepts(summary, 3.45, NAMES)
    assert len(ax.containers) == 4  # one errorbar per station
    assert [t.get_text() for t in ax.get_xticklabels()] == NAMES
    (pooled,) = [ln for ln in ax.get_lines() if ln.get_label() == "pooled intercept"]
    assert list(pooled.get_ydata()) == [3.45, 3.45]
    assert ax.get_title().startswith("Stations differ: 2 of 4 intervals")


def test_alpha_beta_posterior_clouds_and_means() -> None:
    a, b = ALPHA.reshape(-1, 4), BETA.reshape(-1, 4)
    ax = plot_alpha_beta_posterior(a, b, names=NAMES)
    assert [c.get_label() for c in ax.collections] == NAMES
    assert [t.get_text() for t in ax.get_legend().get_texts()][:4] == NAMES
    (means,) = ax.get_lines()
    assert means.get_label().startswith("station means, r = ")
    np.testing.assert_allclose(sorted(means.get_xdata()), sorted(a.mean(axis=0)))
