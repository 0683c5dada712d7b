"""Tests for teachkit.cases.ozone.slope_plots on synthetic tables and posteriors (no fits).

Each plot is read back from its artists: the title's numbers must be those of what is drawn.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from teachkit.cases.ozone.slope_plots import (
    LOO_THRESHOLD,
    conditional_sd,
    percent_per_degree,
    plot_alpha_beta_population,
    plot_loo_step,
    plot_new_station,
    plot_one_station,
    plot_station_lines,
    plot_trace_mirror,
)
from teachkit.figure_entry import claim_of, figure_title
from teachkit.plots.lint import slide_problems
from teachkit.plots.style import SLIDE_SIZE, slide_style
from teachkit.simulate import simulate_ozone

SIM = simulate_ozone(n_stations=4, n_days=60, rng=0)
DATA = SIM.data
NAMES = ["Alpha", "Bravo", "Charlie", "Delta"]
MODELS = ("pooled", "varying_intercepts", "varying_slopes", "covarying")
_RNG = np.random.default_rng(0)  # used once, here: the same arrays whatever the test order
ALPHA = _RNG.normal([3.6, 3.4, 3.2, 3.5], 0.02, (2, 100, 4))
BETA = _RNG.normal([0.045, 0.05, 0.06, 0.05], 0.001, (2, 100, 4))


def slide(fig: Figure) -> Figure:
    fig.set_size_inches(SLIDE_SIZE)
    return fig


def title_agrees_with_claim(fig: Figure) -> None:
    claim = claim_of(fig)
    assert claim is not None and claim.text == figure_title(fig)


def table(
    elpd: list[float], se: list[float], d: list[float], dse: list[float], models
) -> pd.DataFrame:
    return pd.DataFrame({"elpd_loo": elpd, "se": se, "d_loo": d, "dse": dse}, index=list(models))


def test_percent_and_conditional_sd() -> None:
    assert percent_per_degree(np.log(1.1)) == pytest.approx(10.0)
    marginal, given = conditional_sd([[1.0, 0.6], [0.6, 1.0]])
    assert (marginal, given) == pytest.approx((1.0, 0.8))


def gains(g: list[float], dse: list[float], models) -> pd.DataFrame:
    return pd.DataFrame({"gain": g, "dse": dse}, index=list(models))


def test_loo_step_rows_stay_in_place_and_the_title_reads_the_runner_up() -> None:
    step = table([-100.0, -130.0], [40.0, 40.0], [0.0, 30.0], [0.0, 5.0],
                 ["varying_intercepts", "pooled"])  # fmt: skip
    g = gains([30.0, 0.0], [5.0, 0.0], ["varying_intercepts", "pooled"])
    with slide_style():
        fig = slide(plot_loo_step(step, g, MODELS, reference="pooled", elpd_lim=(-200, 0),
                                  diff_lim=(-5, 60)))  # fmt: skip
    left, right = fig.axes
    assert [t.get_text() for t in left.get_yticklabels()] == ["pooled", "varying intercepts"]
    np.testing.assert_allclose(left.get_yticks(), [3.0, 2.0])  # the lecture's order, top down
    (diff,) = right.containers
    np.testing.assert_allclose(diff.lines[0].get_xdata(), [0.0, 30.0])
    assert figure_title(fig) == "Varying intercepts vs pooled: the difference is 6.0 dse, clear"
    texts = [t.get_text() for t in right.texts]
    assert texts == ["reference", "+30.0 ± 5.0 (6.0 dse)"]  # no bracket: pooled is the pair's
    assert right.get_xlim() == (-5, 60) and left.get_xlim() == (-200, 0)
    title_agrees_with_claim(fig)
    assert slide_problems(fig) == []


def test_loo_step_within_the_threshold_is_tied_and_bracketed() -> None:
    models = ["covarying", "varying_slopes", "pooled"]
    step = table([-100.0, -101.0, -150.0], [40.0] * 3, [0.0, 1.0, 50.0], [0.0, 2.0, 9.0], models)
    g = gains([50.0, 49.0, 0.0], [9.0, 8.0, 0.0], models)
    with slide_style():
        fig = slide(plot_loo_step(step, g, MODELS, reference="pooled", elpd_lim=(-200, 0),
                                  diff_lim=(-5, 130)))  # fmt: skip
    assert figure_title(fig).endswith(f"0.5 dse, within {LOO_THRESHOLD:g} dse: tied")
    (bracket,) = [t for t in fig.axes[1].texts if t.get_gid() == "comparison"]
    assert bracket.get_text() == ("covarying\nminus\nvarying slopes:\n+1.0 ± 2.0\n(0.5 dse)")
    assert slide_problems(fig) == []


def test_station_lines_name_the_steepest_and_flattest_with_their_days() -> None:
    a, b = [3.4, 3.5, 3.3, 3.6], [0.05, 0.04, 0.06, 0.03]
    with slide_style():
        ax = plot_station_lines(a, b, NAMES, DATA)
    slide(ax.figure)
    highlighted = [ln.get_label() for ln in ax.get_lines() if ln.get_gid() == "highlight"]
    assert highlighted == ["Charlie", "Delta"]
    assert len([ln for ln in ax.get_lines() if ln.get_gid() == "other"]) == 2
    assert [c.get_label() for c in ax.collections] == ["Charlie's days", "Delta's days"]
    low, high = percent_per_degree([0.03, 0.06])
    assert figure_title(ax.figure) == (
        f"Slopes range from {low:+.1f}% to {high:+.1f}% peak ozone per °C"
    )
    assert ax.get_ylim() == (2.5, 6.5)
    title_agrees_with_claim(ax.figure)
    assert slide_problems(ax.figure) == []


def test_trace_mirror_names_the_station_with_both_extremes() -> None:
    with slide_style():
        fig = slide(plot_trace_mirror(ALPHA, BETA, [0, 2], NAMES))
    r = np.corrcoef(ALPHA.mean(axis=(0, 1)), BETA.mean(axis=(0, 1)))[0, 1]
    assert figure_title(fig) == (
        "Highest intercept and lowest slope: Alpha;\n"
        r"across the 4 stations r($\alpha$, $\beta$) = " + f"{r:.2f}".replace("-", "−")
    )
    for ax in fig.axes[1::2]:
        assert [ln.get_label() for ln in ax.get_lines()] == ["Alpha", "Charlie"]
    for ax in fig.axes[::2]:  # every station's mean as a tick under the densities
        (ticks,) = [c for c in ax.collections if c.get_label() == "station means"]
        assert len(ticks.get_offsets()) == 4
    title_agrees_with_claim(fig)
    assert slide_problems(fig) == []


def test_trace_mirror_names_the_extremes_among_all_stations_not_only_those_drawn() -> None:
    beta = BETA[..., [0, 1, 2, 3]].copy()
    beta[..., 3] -= 0.02  # Delta, not drawn, has the lowest slope
    fig = plot_trace_mirror(ALPHA, beta, [0, 1, 2], NAMES)
    assert figure_title(fig).startswith("Highest intercept: Alpha, lowest slope: Delta;\n")


def test_alpha_beta_population_names_both_correlations() -> None:
    a, b = ALPHA.reshape(-1, 4), BETA.reshape(-1, 4)
    cov = [[0.04, -0.0016], [-0.0016, 0.0001]]  # rho = -0.8
    with slide_style():
        ax = plot_alpha_beta_population(a, b, [3.4, 0.05], cov, NAMES)
    slide(ax.figure)
    (means,) = [c for c in ax.collections if c.get_label() == "station means"]
    xy = np.asarray(means.get_offsets())
    r = np.corrcoef(xy.T)[0, 1]
    r_text = f"{r:.2f}".replace("-", "−")
    assert figure_title(ax.figure) == rf"r of station means = {r_text}; model's $\rho$ = −0.80"
    assert ax.texts == [] or all("%" not in t.get_text() for t in ax.texts)  # legend names them
    assert [ln.get_label() for ln in ax.get_lines()] == ["50% ellipse", "94% ellipse"]
    assert not any(len(ln.get_xdata()) == 4 for ln in ax.get_lines())  # no path joins stations
    title_agrees_with_claim(ax.figure)
    assert slide_problems(ax.figure) == []


def test_new_station_two_panels_same_axes_and_the_conditional_sd() -> None:
    rng = np.random.default_rng(1)
    cov = np.array([[0.04, -0.0016], [-0.0016, 0.0001]])
    indep = rng.multivariate_normal([3.4, 0.05], np.diag(np.diag(cov)), 4000)
    tied = rng.multivariate_normal([3.4, 0.05], cov, 4000)
    est = rng.multivariate_normal([3.4, 0.05], cov, 4)
    with slide_style():
        fig = slide(plot_new_station({"independent": indep, "covarying": tied},
                                     {"independent": est, "covarying": est}))  # fmt: skip
    left, right = fig.axes
    assert left.get_xlim() == right.get_xlim() and left.get_ylim() == right.get_ylim()
    marginal, given = conditional_sd(np.cov(tied.T))
    assert f"sd of $\\beta$ given $\\alpha$ {given:.4f} per °C, against {marginal:.4f}" in (
        figure_title(fig)
    )
    assert given == pytest.approx(0.006, rel=0.05)  # 0.01 * sqrt(1 - 0.8^2)
    bars = [next(ln for ln in ax.get_lines() if ln.get_label() == "94% of beta given alpha")
            for ax in fig.axes]  # fmt: skip
    assert bars[0].get_xdata()[0] == bars[1].get_xdata()[0]  # the same intercept in both
    assert np.ptp(bars[1].get_ydata()) < np.ptp(bars[0].get_ydata())
    title_agrees_with_claim(fig)
    assert slide_problems(fig) == []


@pytest.mark.parametrize("centred", [False, True])
def test_one_station_lines_and_draws(centred: bool) -> None:
    rng = np.random.default_rng(2)
    temp = rng.uniform(0, 30, 25)
    beta = rng.normal(0.05, 0.004, 1000)
    alpha = 4.0 - beta * 15 + rng.normal(0, 0.03, 1000)  # lines through (15, 4): they pivot
    with slide_style():
        fig = slide(plot_one_station(temp, 3.3 + 0.05 * temp, alpha, beta, name="Alpha",
                                     color="C0", centred=centred))  # fmt: skip
    left, right = fig.axes
    lines = [ln for ln in left.get_lines() if ln.get_gid() == "posterior line"]
    assert len(lines) == 50
    (cloud,) = [c for c in right.collections if c.get_label() == "posterior draws"]
    x, y = np.asarray(cloud.get_offsets()).T
    r = np.corrcoef(x, y)[0, 1]
    title = figure_title(fig).replace("−", "-")
    numbers = [float(v) for v in re.findall(r"-?\d+\.\d\d(?!\d)", title)]
    if centred:
        assert numbers[-1] == pytest.approx(abs(r), abs=0.005)
        assert abs(r) < 0.2 and numbers[-2] > 0.8 and "|corr(" in title
        assert np.mean(np.asarray(left.collections[0].get_offsets())[:, 0]) == pytest.approx(0)
    else:
        assert numbers[-1] == pytest.approx(r, abs=0.005)
        assert r < -0.8
    title_agrees_with_claim(fig)
    assert slide_problems(fig) == []
