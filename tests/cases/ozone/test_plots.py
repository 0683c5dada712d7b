"""Tests for teachkit.cases.ozone.plots on small simulated data and synthetic posteriors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from teachkit.cases.ozone.plots import (
    LOO_THRESHOLD,
    plot_alpha_beta_posterior,
    plot_lines_through_data,
    plot_loo,
    plot_station_lines,
    plot_station_trace,
    split_rhat,
)
from teachkit.plots.style import station_color
from teachkit.simulate import simulate_ozone

SIM = simulate_ozone(n_stations=4, n_days=30, rng=0)
DATA = SIM.data
NAMES = [f"station_{j:02d}" for j in range(4)]
_DRAWS = np.random.default_rng(0)  # used once, here: the same arrays whatever the test order
ALPHA = _DRAWS.normal(3.4, 0.1, (2, 50, 4))
BETA = _DRAWS.normal(0.05, 0.005, (2, 50, 4))


def test_loo_draws_elpd_and_the_difference_with_its_dse() -> None:
    table = pd.DataFrame(
        {"elpd_loo": [-100.0, -101.0, -120.0, -150.0], "se": [50.0, 50.0, 50.0, 60.0],
         "d_loo": [0.0, 1.0, 20.0, 50.0], "dse": [0.0, 2.0, 4.0, 30.0]},
        index=["covarying", "varying_slopes", "varying_intercepts", "pooled"],
    )  # fmt: skip
    ax = plot_loo(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "pooled", "varying intercepts", "varying slopes", "covarying"]  # fmt: skip
    elpd, diff = ax.containers
    assert elpd.get_label() == r"elpd$_\mathrm{loo}$ ± se"
    assert diff.get_label() == "difference to the best ± dse"
    np.testing.assert_allclose(elpd.lines[0].get_xdata(), [-150.0, -120.0, -101.0, -100.0])
    np.testing.assert_allclose(diff.lines[0].get_xdata(), [-150.0, -120.0, -101.0])
    half_widths = [np.ptp(seg[:, 0]) / 2 for seg in diff.lines[2][0].get_segments()]
    np.testing.assert_allclose(half_widths, [30.0, 4.0, 2.0])
    (verdict,) = [t for t in ax.texts if t.get_gid() == "verdict"]
    assert verdict.get_text() == (
        f"Worse than the best by more than {LOO_THRESHOLD:g} dse: varying intercepts\n"
        f"within {LOO_THRESHOLD:g} dse of the best: varying slopes, pooled"
    )
    assert {t.get_text() for t in ax.texts} >= {"−20.0 ± 4.0  (5.0 dse)", "−1.0 ± 2.0  (0.5 dse)"}


def test_station_lines_one_per_station_in_its_colour() -> None:
    ax = plot_station_lines([3.4, 3.5, 3.3, 3.6], [0.05, 0.04, 0.06, 0.03], NAMES, DATA)
    lines = [ln for ln in ax.get_lines() if ln.get_label() in NAMES]
    assert [ln.get_label() for ln in lines] == NAMES
    assert [ln.get_color() for ln in lines] == [station_color(j) for j in range(4)]
    assert len(ax.collections) == 1  # the data in grey
    assert sorted(t.get_text() for t in ax.texts) == NAMES  # each line named at its end


def test_trace_two_panels_one_line_per_station() -> None:
    fig = plot_station_trace(ALPHA, BETA, names=NAMES)
    top, bottom = fig.axes
    assert top.get_ylabel() == r"intercept $\alpha_j$" and bottom.get_ylabel() == r"slope $\beta_j$"
    for ax, values in ((top, ALPHA), (bottom, BETA)):
        traces = [ln for ln in ax.get_lines() if ln.get_label() in NAMES]
        assert len(traces) == 4
        np.testing.assert_allclose(traces[2].get_ydata(), values[..., 2].ravel())
        starts = [ln.get_xdata()[0] for ln in ax.get_lines() if ln.get_linestyle() == ":"]
        assert starts == [50]  # where the second chain starts
    assert [t.get_text() for t in fig.legends[0].get_texts()] == NAMES


def test_split_rhat_flags_chains_that_disagree() -> None:
    rng = np.random.default_rng(0)
    assert split_rhat(rng.normal(size=(4, 500))) == pytest.approx(1.0, abs=0.01)
    shifted = rng.normal(size=(2, 500)) + np.array([[0.0], [2.0]])
    assert split_rhat(shifted) > 1.5


def test_alpha_beta_posterior_clouds_and_means() -> None:
    a, b = ALPHA.reshape(-1, 4), BETA.reshape(-1, 4)
    ax = plot_alpha_beta_posterior(a, b, names=NAMES)
    assert [c.get_label() for c in ax.collections] == NAMES
    assert [t.get_text() for t in ax.get_legend().get_texts()][:4] == NAMES
    (means,) = ax.get_lines()
    assert means.get_label().startswith("station means, r = ")
    np.testing.assert_allclose(sorted(means.get_xdata()), sorted(a.mean(axis=0)))


def test_lines_through_data_one_line_per_pair() -> None:
    ax = plot_lines_through_data(DATA, [3.2, 3.4, 3.6], [0.06, 0.05, 0.04], names=NAMES[:3])
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 50]
    assert len(lines) == 3
    assert lines[0].get_xdata()[0] == 0.0  # extended to T = 0, where the intercepts are
    assert len(ax.figure.axes) == 2  # the plot and its colour bar
    assert sorted(t.get_text() for t in ax.texts) == NAMES[:3]
