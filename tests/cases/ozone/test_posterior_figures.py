"""Storyboard rows 32 and 34-37: each title's claim holds on the very numbers the figure draws.

The ``check_*`` functions read a figure's artists back (scatter offsets, line data, the
filled bands' vertices, texts, tick labels), recompute the title's claim and the figure's
teaching point from them, and compare, never trusting the attached
:class:`~teachkit.figure_entry.Claim` alone. The fast tests draw each plot from arrays; the
``..._fails_...`` tests draw it from changed data on which the claim or point is false (a
posterior that is the prior, distances reversed, data replicated from the model itself, the
two hyperpriors swapped, the full table in place of the thinned one) and show that the check
then fails. The slow tests draw the registered figures from real fits (a session-wide
FigureContext of conftest.py: one fit store, short chains).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from teachkit.cases.ozone.data import load_beijing_ozone, station_names
from teachkit.cases.ozone.posterior_figures import (
    FEW_DAYS,
    FIGURES,
    MIN_COMMON_DAYS,
    line_errors,
    pooling_error_figure,
    residual_pairs,
)
from teachkit.cases.ozone.posterior_plots import (
    FLOOR_UG,
    MIN_BIN_DAYS,
    hdi,
    lowess,
    plot_correlation_distance,
    plot_hyperprior_lines,
    plot_pooling_error,
    plot_posterior_predictive,
    plot_rho_posterior,
)
from teachkit.cases.ozone.stations import load_beijing_stations
from teachkit.figure_entry import claim_of, figure_title
from teachkit.figures import FigureContext
from teachkit.kernels import great_circle_km
from teachkit.lkj import sample_lkj
from teachkit.plots.lint import slide_problems
from teachkit.plots.style import slide_style

#: Row 32, "estimated rho about -0.9": the whole 94% HDI lies below this.
RHO_AT_MOST = -0.5
#: The histogram's mass inside the drawn HDI differs from 94% by at most the mass of the two
#: bins the interval's ends cut (checked as bounds), plus this much for rounding.
MASS_SLACK = 1e-9
#: Row 34: the smooth fit's correlation falls by at least this much from the closest to the
#: farthest pair (on Beijing it falls by about 0.25; by chance alone, with 66 noisy pairs, the
#: fitted decay is flat to within a few hundredths).
MIN_FALL = 0.05
#: Row 36: the posterior's median spread of station slopes is at most this share of the
#: prior's (the point: "more than a hundredfold").
SHRINK_SHARE = 1 / 100
#: Row 37: partial pooling is closer for more than this share of the few-day stations, of
#: which there are at least MIN_FEW.
CLOSER_SHARE, MIN_FEW = 0.5, 3


def lines_labelled(ax, label: str) -> list:
    return [ln for ln in ax.get_lines() if ln.get_label() == label]


def collection(ax, label: str):
    (found,) = [c for c in ax.collections if c.get_label() == label]
    return found


def band_edges(poly) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, lower and upper edge of a fill_between polygon (its vertices, per distinct x)."""
    xy = np.asarray(poly.get_paths()[0].vertices)
    xs = np.unique(xy[:, 0])
    low = np.array([xy[xy[:, 0] == x, 1].min() for x in xs])
    high = np.array([xy[xy[:, 0] == x, 1].max() for x in xs])
    return xs, low, high


# --- row 32: rho ------------------------------------------------------------------------------


def check_rho_posterior(fig: Figure) -> None:
    """Title "rho = X (94%: a to b)" from the drawn mean and HDI segment; the histogram holds
    94% of its mass inside the segment; the prior curve is LKJ(2)'s 3/4 (1 - rho^2); the HDI
    lies below RHO_AT_MOST (the lecture's "about -0.9"); and every station's mean under one
    model lies inside its HDI under the other (the effects are "similar")."""
    ax = fig.axes[0]
    (hdi_line,) = lines_labelled(ax, "94% HDI")
    (mean_line,) = lines_labelled(ax, "mean")
    low, high = hdi_line.get_xdata()
    mean = mean_line.get_xdata()[0]
    assert figure_title(fig) == rf"$\rho = {mean:.3f}$ (94%: ${low:.3f}$ to ${high:.3f}$)"
    assert "per °C" in fig.axes[2].get_xlabel() and "log µg" not in fig.axes[2].get_xlabel()
    bars = [p for p in ax.patches if p.get_height() > 0]
    left = np.array([p.get_x() for p in bars])
    width = np.array([p.get_width() for p in bars])
    mass = np.array([p.get_height() for p in bars]) * width
    assert abs(mass.sum() - 1) < 1e-6
    inside = mass[(left >= low) & (left + width <= high)].sum()
    touching = mass[(left + width > low) & (left < high)].sum()
    assert inside - MASS_SLACK <= 0.94 <= touching + MASS_SLACK, (inside, touching)
    (prior,) = lines_labelled(ax, "prior")
    r, p = prior.get_data()
    np.testing.assert_allclose(p, 0.75 * (1 - np.asarray(r) ** 2), atol=1e-12)
    assert high < RHO_AT_MOST, f"the 94% HDI reaches {high:.2f}"
    means: dict[tuple[str, int, int], float] = {}
    for k, panel in enumerate(fig.axes[1:3]):
        for c in panel.collections:
            model, j = (int(v) for v in c.get_gid().split(":"))
            means[(model, j, k)] = float(np.asarray(c.get_offsets())[0, 0])
        segments = [ln for ln in panel.get_lines() if len(ln.get_xdata()) == 2]
        for ln in segments:
            y = ln.get_ydata()[0]
            (c,) = [c for c in panel.collections if np.asarray(c.get_offsets())[0, 1] == y]
            model, j = (int(v) for v in c.get_gid().split(":"))
            lo, hi = sorted(ln.get_xdata())
            other = means.get((1 - model, j, k))
            if other is not None:
                assert lo <= other <= hi, (k, j, model)


def rho_figure(rho: np.ndarray, rng: np.random.Generator) -> Figure:
    """The plot on made-up station effects (two models that agree) and the given rho."""
    alpha = rng.normal(3.4, 0.02, size=(400, 12)) + np.linspace(-0.3, 0.3, 12)
    beta = rng.normal(0.055, 0.002, size=(400, 12))
    names = [f"S{j}" for j in range(12)]
    with slide_style():
        return plot_rho_posterior(rho, 2.0, {"a": alpha, "b": alpha + 0.001},
                                  {"a": beta, "b": beta}, names)  # fmt: skip


def test_rho_check_holds_on_a_strong_negative_correlation() -> None:
    rng = np.random.default_rng(0)
    fig = rho_figure(np.clip(rng.normal(-0.9, 0.04, 4000), -1, 1), rng)
    check_rho_posterior(fig)
    assert claim_of(fig).text == figure_title(fig)
    assert slide_problems(fig) == []


def test_rho_check_fails_when_the_posterior_is_the_prior() -> None:
    """rho drawn from LKJ(2) itself (data that say nothing): the HDI spans 0 and the check
    fails."""
    rng = np.random.default_rng(1)
    rho = sample_lkj(2, 2.0, size=4000, rng=rng)[:, 0, 1]
    with pytest.raises(AssertionError, match="the 94% HDI reaches"):
        check_rho_posterior(rho_figure(rho, rng))


def test_hdi_is_the_shortest_interval() -> None:
    """For an exponential the 94% HDI is [0, -log 0.06] (the density falls from 0)."""
    x = np.random.default_rng(2).exponential(size=40_000)
    low, high = hdi(x)
    assert low == pytest.approx(0.0, abs=1e-3)
    assert high == pytest.approx(-np.log(0.06), rel=0.03)


# --- row 34: residual correlation against distance --------------------------------------------


def check_correlation_distance(fig: Figure) -> None:
    """Title numbers are the means of the closest and farthest thirds of the drawn pairs; the
    drawn line is the local linear smooth of the drawn points (refitted here), drawn only over
    their distances; and it falls by at least MIN_FALL from the closest to the farthest pair."""
    (ax,) = fig.axes
    d, r = np.asarray(collection(ax, "pairs").get_offsets()).T
    order = np.argsort(d, kind="stable")
    third = len(d) // 3
    near, far = r[order[:third]].mean(), r[order[-third:]].mean()
    verb = "falls" if far < near else "rises"
    assert figure_title(fig) == (
        f"Residual correlation {verb} from {near:.2f} at the closest pairs to {far:.2f} "
        "at the farthest"
    )
    (smooth,) = lines_labelled(ax, "smooth")
    x, y = (np.asarray(v) for v in smooth.get_data())
    assert x.min() == pytest.approx(d.min()) and x.max() == pytest.approx(d.max())
    np.testing.assert_allclose(y, lowess(d, r, x), rtol=1e-9)
    fall = y[0] - y[-1]
    assert verb == "falls" and fall >= MIN_FALL, f"the correlation {verb}; smooth falls {fall:.3f}"


def decaying_pairs(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    d = rng.uniform(3, 60, 66)
    return d, 0.9 * np.exp(-d / 180) + rng.normal(0, 0.04, 66)


def test_correlation_check_holds_when_correlation_decays() -> None:
    with slide_style():
        fig = plot_correlation_distance(*decaying_pairs(np.random.default_rng(3)))
    check_correlation_distance(fig)
    assert slide_problems(fig) == []


def test_correlation_check_fails_with_the_distances_reversed() -> None:
    """The same pairs with the closest given the farthest distance: the correlation rises."""
    d, r = decaying_pairs(np.random.default_rng(3))
    with slide_style():
        fig = plot_correlation_distance(d.max() + d.min() - d, r)
    assert "rises" in figure_title(fig)
    with pytest.raises(AssertionError, match="the correlation rises"):
        check_correlation_distance(fig)


def test_residual_pairs_are_every_pair_with_its_distance_and_correlation() -> None:
    """66 pairs; one pair recomputed by hand (merge on date, np.corrcoef, haversine)."""
    data = load_beijing_ozone()
    alpha, beta = np.full(12, 3.4), np.linspace(0.04, 0.06, 12)
    distance, correlation, pairs = residual_pairs(data, alpha, beta)
    assert len(pairs) == len(distance) == 66 and pairs[0] == (0, 1)
    res = data.assign(res=data["log_ozone"] - alpha[data["station_id"]]
                      - beta[data["station_id"]] * data["TEMP"])  # fmt: skip
    j, k = 2, 10
    both = res[res.station_id == j].merge(res[res.station_id == k], on="date")
    assert len(both) >= MIN_COMMON_DAYS
    i = pairs.index((j, k))
    assert correlation[i] == pytest.approx(np.corrcoef(both["res_x"], both["res_y"])[0, 1])
    st = load_beijing_stations()
    assert distance[i] == pytest.approx(great_circle_km(st.latitude, st.longitude)[j, k])


# --- row 35: posterior predictive -------------------------------------------------------------


def check_posterior_predictive(fig: Figure) -> None:
    """Title: the lowest drawn bin mean of the residuals and the highest on either side of it,
    with their bins; the point: those three lie outside the replicated data's 94% range (a
    curve the model cannot make by chance). The floor note counts the drawn floor days with
    whole values and those under the drawn 94% predictive band."""
    ax, ax_r = fig.axes[:2]
    (observed,) = lines_labelled(ax_r, "observed")
    mid, means = (np.asarray(v) for v in observed.get_data())
    low = int(np.argmin(means))
    left = int(np.argmax(means[: low + 1]))
    right = low + int(np.argmax(means[low:]))

    def part(i: int) -> str:
        return f"${means[i]:+.2f}$ at ${mid[i] - 2.5:.0f}$ to ${mid[i] + 2.5:.0f}$ °C"

    title = figure_title(fig)
    assert title.endswith(f"{part(left)}, {part(low)}, {part(right)}"), title
    xs, lo, hi = band_edges(collection(ax_r, "replicated 94%"))
    np.testing.assert_allclose(xs, mid)
    outside = [means[left] > hi[left], means[low] < lo[low], means[right] > hi[right]]
    assert left < low < right and all(outside), f"no curve beyond chance: {outside}"
    t, y = np.asarray(collection(ax, f"days at whole 1–{FLOOR_UG} µg/m³").get_offsets()).T
    ug = np.exp(y)
    whole = np.isclose(ug, np.round(ug), atol=1e-6) & (np.round(ug) <= FLOOR_UG)
    assert whole.all(), "a marked floor day is not a whole 1-4 µg/m³ value"
    bx, blo, _ = band_edges(collection(ax, "94% predictive"))
    below = y[whole] < np.interp(t[whole], bx, blo)
    (note,) = [t for t in ax.texts if t.get_gid() == "floor"]
    words = " ".join(note.get_text().split())
    assert f"{whole.sum()} days at whole 1–{FLOOR_UG} µg/m³" in words
    assert f"{below.sum()} of them below the 94% band" in words


def curved_days(rng: np.random.Generator, n: int = 6000) -> dict[str, np.ndarray]:
    """Days whose log ozone curves with temperature around a straight fitted line."""
    t = rng.uniform(-5, 40, n)
    fitted = 3.0 + 0.05 * t
    y = fitted + 0.0012 * (t - 17) ** 2 - 0.2 + rng.normal(0, 0.5, n)
    y[:40] = np.log(rng.integers(1, 5, 40))  # a floor of whole values 1-4
    rep = fitted + rng.normal(0, 0.5, (60, n))
    return {"temp": t, "log_ozone": y, "fitted": fitted, "replicated": rep}


def test_posterior_predictive_check_holds_on_curved_data() -> None:
    with slide_style():
        fig = plot_posterior_predictive(**curved_days(np.random.default_rng(4)))
    check_posterior_predictive(fig)
    assert claim_of(fig).text == figure_title(fig)
    assert slide_problems(fig) == []


def test_posterior_predictive_check_fails_on_data_from_the_model() -> None:
    """Observed days replaced by one replicated data set: no curve beyond chance."""
    days = curved_days(np.random.default_rng(4))
    days["log_ozone"] = days["replicated"][0] + np.random.default_rng(5).normal(0, 0.01, 6000)
    with slide_style():
        fig = plot_posterior_predictive(**days)
    with pytest.raises(AssertionError, match="no curve beyond chance"):
        check_posterior_predictive(fig)


def test_residual_bins_named_need_enough_days() -> None:
    """Bins with fewer than MIN_BIN_DAYS days are not drawn (nor named)."""
    days = curved_days(np.random.default_rng(6))
    with slide_style():
        fig = plot_posterior_predictive(**days)
    mid = lines_labelled(fig.axes[1], "observed")[0].get_xdata()
    counts = [np.sum(np.abs(days["temp"] - m) < 2.5) for m in mid]
    assert min(counts) >= MIN_BIN_DAYS


# --- row 36: the hyperprior's lines -----------------------------------------------------------


def check_hyperprior(fig: Figure) -> None:
    """Title: the median |slope - mu_beta| of each panel's drawn lines (slopes read from the
    lines' end points, mu_beta from the dashed line); panel titles: the share of lines that
    leave the axes; the point: the posterior's spread is at most SHRINK_SHARE of the prior's."""
    medians = []
    for ax in fig.axes[:2]:
        slopes = []
        for ln in lines_labelled(ax, "station line"):
            x, y = ln.get_data()
            slopes.append((y[1] - y[0]) / (x[1] - x[0]))
        (mu,) = lines_labelled(ax, "mu_beta")
        x, y = mu.get_data()
        mu_beta = (y[1] - y[0]) / (x[1] - x[0])
        medians.append(float(np.median(np.abs(np.array(slopes) - mu_beta))))
        ends = np.array([ln.get_ydata() for ln in lines_labelled(ax, "station line")])
        y0, y1 = ax.get_ylim()
        leave = np.mean(np.any((ends < y0) | (ends > y1), axis=1))
        assert f"{leave:.0%} of {len(ends)} lines leave the plot" in ax.get_title()
    prior, posterior = medians
    title = figure_title(fig)
    assert f"by ${prior:.2f}$ per °C under the prior, ${posterior:.4f}$ in the posterior" in title
    assert posterior <= SHRINK_SHARE * prior, f"posterior spread {posterior} vs prior {prior}"


def hyper_figure(prior_first: bool = True) -> Figure:
    rng = np.random.default_rng(7)
    prior = 0.054 + np.abs(rng.standard_cauchy(100)) * rng.standard_normal(100)
    posterior = 0.054 + 0.005 * rng.standard_normal(100)
    panels = [("prior", prior), ("posterior", posterior)]
    with slide_style():
        return plot_hyperprior_lines(dict(panels if prior_first else panels[::-1]), 0.054,
                                     (17.0, 4.4), (-15.0, 42.0), (0.0, 8.0))  # fmt: skip


def test_hyperprior_check_holds() -> None:
    fig = hyper_figure()
    check_hyperprior(fig)
    assert slide_problems(fig) == []


def test_hyperprior_draws_the_data_behind_both_panels() -> None:
    """With the days given, each panel has the same faint density of them, under the lines."""
    rng = np.random.default_rng(2)
    temp = rng.uniform(-10, 40, 3000)
    days = (temp, 3.0 + 0.05 * temp + rng.normal(0, 0.4, 3000))
    with slide_style():
        fig = plot_hyperprior_lines({"prior": rng.normal(0.05, 2.0, 50),
                                     "posterior": rng.normal(0.05, 0.005, 50)}, 0.05,
                                    (15.0, 3.75), (-15.0, 42.0), (0.0, 8.0), days=days)  # fmt: skip
    counts = []
    for ax in fig.axes:
        (density,) = [c for c in ax.collections if c.get_gid() == "data density"]
        assert density.get_alpha() < 1 and density.get_zorder() < min(
            ln.get_zorder() for ln in ax.get_lines()
        )
        counts.append(density.get_array().sum())
    assert counts[0] == counts[1] == len(temp)
    check_hyperprior(fig)
    assert slide_problems(fig) == []


def test_hyperprior_check_fails_with_the_panels_swapped() -> None:
    with pytest.raises(AssertionError, match="posterior spread"):
        check_hyperprior(hyper_figure(prior_first=False))


# --- row 37: pooling error --------------------------------------------------------------------


def check_pooling_error(fig: Figure) -> None:
    """Title "Partial pooling is closer for N of M stations, most of all below K days (mean gap
    narrowed by a below K days, b above)" from the drawn markers and the days in the row
    labels; the point: at least MIN_FEW stations below K days, N > M / 2, and a > b."""
    (ax,) = fig.axes
    own = np.asarray(collection(ax, "no pooling").get_offsets())
    part = np.asarray(collection(ax, "partial pooling").get_offsets())
    np.testing.assert_array_equal(own[:, 1], part[:, 1])
    rows = {tick: label.get_text() for tick, label in
            zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)}  # fmt: skip
    days = np.array([int(re.search(r"\((\d+) days\)", rows[y])[1]) for y in own[:, 1]])
    few = days < FEW_DAYS
    m, closer = int(few.sum()), int(np.sum(part[:, 0] < own[:, 0]))
    assert m >= MIN_FEW, f"{closer} closer, of {m} few-day stations"
    gain = own[:, 0] - part[:, 0]
    g_few, g_rest = gain[few].mean(), gain[~few].mean()
    most = "most of all" if g_few > g_rest else "no more so"
    assert figure_title(fig) == (
        f"Partial pooling is closer for {closer} of {len(days)} stations, {most} below "
        f"{FEW_DAYS} days\n(mean gap narrowed by {g_few:.3f} below {FEW_DAYS} days, "
        f"{g_rest:.3f} above)"
    )
    assert closer > CLOSER_SHARE * len(days), f"{closer} of {len(days)}"
    assert g_few > g_rest, "the few-day stations gain least"


def test_pooling_error_plot_and_its_check() -> None:
    days = np.array([5, 7, 11, 15, 22, 32, 47, 68, 98, 143, 207, 300])
    own = 0.5 / np.sqrt(days)
    with slide_style():
        fig = plot_pooling_error(days, own, 0.6 * own, [f"S{j}" for j in range(12)], FEW_DAYS)
    check_pooling_error(fig)
    assert "12 of 12 stations, most of all" in figure_title(fig)
    assert slide_problems(fig) == []


def test_pooling_error_check_fails_when_the_gain_grows_with_the_days() -> None:
    """Partial pooling closer everywhere but gaining most at the well-measured stations: the
    title says "no more so" and the check fails."""
    days = np.array([5, 7, 11, 15, 22, 32, 47, 68, 98, 143, 207, 300])
    own = 0.01 * np.sqrt(days)
    with slide_style():
        fig = plot_pooling_error(days, own, 0.6 * own, [f"S{j}" for j in range(12)], FEW_DAYS)
    assert "no more so" in figure_title(fig)
    with pytest.raises(AssertionError, match="gain least"):
        check_pooling_error(fig)


def test_line_errors_average_the_gap_over_the_days() -> None:
    frame = pd.DataFrame({"station_id": [0, 0, 1], "TEMP": [0.0, 2.0, 5.0]})
    est = np.array([[1.0, 0.5], [0.0, 0.0]])
    ref = np.array([[1.0, 0.0], [0.0, 0.1]])
    np.testing.assert_allclose(line_errors(frame, est, ref), [np.sqrt(0.5), 0.5])


# --- the registered figures, from real fits ---------------------------------------------------


def test_the_figures_serve_their_storyboard_rows() -> None:
    assert [(e.name, e.row) for e in FIGURES] == [
        ("ozone-rho-posterior", 32), ("ozone-correlation-distance", 34),
        ("ozone-posterior-predictive", 35), ("ozone-hyperprior-predictive", 36),
        ("pooling-error", 37),
    ]  # fmt: skip


CHECKS: dict[str, Callable[[Figure], None]] = {
    "ozone-rho-posterior": check_rho_posterior,
    "ozone-correlation-distance": check_correlation_distance,
    "ozone-posterior-predictive": check_posterior_predictive,
    "ozone-hyperprior-predictive": check_hyperprior,
    "pooling-error": check_pooling_error,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CHECKS))
def test_each_title_claim_holds_on_the_beijing_fits(drawn, name: str) -> None:
    fig = drawn(name)
    CHECKS[name](fig)
    claim = claim_of(fig)
    assert claim is not None and claim.text == figure_title(fig)
    assert all(np.isfinite(v) for v in claim.numbers.values())


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CHECKS))
def test_posterior_figures_read_well_at_slide_size(drawn, name: str) -> None:
    assert slide_problems(drawn(name)) == []


@pytest.mark.slow
def test_correlation_distance_draws_the_beijing_pairs(ctx: FigureContext, drawn) -> None:
    """66 pairs, 4 to 60 km apart, from the covarying fit's lines."""
    (ax,) = drawn("ozone-correlation-distance").axes
    d, _ = np.asarray(collection(ax, "pairs").get_offsets()).T
    assert len(d) == 66 and 3 < d.min() < 5 and 55 < d.max() < 65


@pytest.mark.slow
def test_rho_posterior_names_the_stations(ctx: FigureContext, drawn) -> None:
    ax = drawn("ozone-rho-posterior").axes[1]
    shown = [t.get_text() for t in ax.get_yticklabels()]
    assert shown == station_names(ctx.data("ozone"))


@pytest.mark.slow
def test_pooling_error_check_fails_on_the_full_table(ctx: FigureContext) -> None:
    """Drawn from the full Beijing table (every station about 1,400 days) no station has few
    days and the check fails."""
    data = ctx.data("ozone")
    with slide_style():
        fig = pooling_error_figure(ctx, data, data)
    with pytest.raises(AssertionError, match="of 0 few-day stations"):
        check_pooling_error(fig)
