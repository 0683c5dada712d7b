"""The ozone data slides (storyboard rows 7-13) make the claims their titles state.

Each ``check_*`` function recomputes a title's claim from the drawn artists (hexagon counts,
line data, scatter offsets, error bars, patches), never from the attached Claim alone, and
asserts the title's numbers and wording against them. The figures are drawn from one
session-wide FigureContext on the real Beijing data (conftest.py: one fit store, short chains
of 2 x 300 draws; the slow tests). Where a claim could become false, a test draws the figure
from changed data (shuffled temperatures, stations with one common level, the priors
swapped) and shows that the check then fails.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from teachkit.cases.ozone import data_figures
from teachkit.cases.ozone.data import station_names
from teachkit.cases.ozone.data_figures import (
    FIGURES,
    HIGHLIGHTED,
    LECTURE_EXAMPLE,
    station_panels_figure,
)
from teachkit.cases.ozone.data_plots import TEMP_RANGE, plot_data_pooled
from teachkit.cases.ozone.stations import load_beijing_stations
from teachkit.figure_entry import claim_of, figure_title
from teachkit.figures import FigureContext, draw_figure
from teachkit.kernels import great_circle_between, great_circle_km
from teachkit.plots.lint import slide_problems
from teachkit.plots.style import slide_style
from teachkit.posterior import draws

#: Row 7: the drawn line follows the drawn days: its slope is within this of the days'
#: least-squares slope computed from the hexagons (per deg C; a tenth of Beijing's 0.054, and
#: hexagons about 1 deg C wide shift a least-squares slope by far less).
SLOPE_TOLERANCE = 0.005
#: Row 9: "only": step 1 keeps at most this share of lines in the measured range at 30 deg C
#: (the lecture's first priors give about 9%) ...
ONLY_SHARE = 0.25
#: ... and "up from": step 2 keeps at least this many times step 1's share.
UP_FACTOR = 2.0
#: Row 11: "misses": the named station's mean residual is at least this many of its standard
#: errors (sd of its residuals / sqrt(days)) from 0; a line through a station's level gives
#: about 1.
MISS_SE = 5.0
#: Row 9: the measured band and the lines are read back to this precision (log units).
EXACT = 1e-9


def labelled(ax, label: str):
    (found,) = [a for a in [*ax.collections, *ax.get_lines()] if a.get_label() == label]
    return found


def with_gid(artists, gid: str) -> list:
    return [a for a in artists if a.get_gid() == gid]


def percent(log_change: float) -> float:
    return 100.0 * np.expm1(log_change)


# --- the checks -----------------------------------------------------------------------------


def check_data_pooled(fig: Figure, n_days: int) -> None:
    """Row 7: every day drawn once over -15 to 42 deg C; '+X% peak ozone per °C' with X from
    the drawn line's slope, which rises and follows the drawn days."""
    ax = fig.axes[0]
    cells = labelled(ax, "station-days")
    counts = np.asarray(cells.get_array(), dtype=float)
    assert counts.sum() == n_days
    assert ax.get_xlim() == TEMP_RANGE
    x, y = (np.asarray(v, dtype=float) for v in labelled(ax, "pooled fit").get_data())
    assert (x[0], x[-1]) == TEMP_RANGE
    slope = (y[-1] - y[0]) / (x[-1] - x[0])
    assert f"{percent(slope):+.1f}% peak ozone per °C" in figure_title(fig)
    assert slope > 0, f"the line falls ({slope:.3f} per °C): no 'more ozone'"
    t, v = np.asarray(cells.get_offsets()).T
    days_slope = np.polyfit(t, v, 1, w=np.sqrt(counts))[0]
    assert abs(slope - days_slope) < SLOPE_TOLERANCE, (
        f"the line ({slope:.3f} per °C) does not follow the drawn days ({days_slope:.3f})"
    )


def check_station_map(fig: Figure, names: Sequence[str]) -> None:
    """Row 8: 'n stations, a to b km apart' from the drawn dots' great-circle distances; equal
    distances equally long; every station named; the scale bar as long as it says."""
    ax = fig.axes[0]
    lon, lat = np.asarray(labelled(ax, "stations").get_offsets()).T
    d = great_circle_km(lat, lon)
    low, high = d[np.triu_indices(len(lat), 1)].min(), d.max()
    assert figure_title(fig) == f"{len(lat)} stations, {low:.0f} to {high:.0f} km apart"
    assert ax.get_aspect() == pytest.approx(1 / np.cos(np.radians(lat.mean())))
    assert {t.get_text() for t in ax.texts} >= set(names)
    (bar,) = with_gid(ax.get_lines(), "scale bar")
    (x0, x1), (y0, _) = bar.get_xdata(), bar.get_ydata()
    (label,) = [
        t.get_text() for t in ax.texts if re.fullmatch(r"\d+ km", t.get_text()) and t.xy[1] == y0
    ]
    km = float(label.split()[0])
    assert great_circle_between([y0], [x0], [y0], [x1])[0, 0] == pytest.approx(km, rel=1e-6)


def check_prior_predictive(fig: Figure, step: int, measured: tuple[float, float]) -> None:
    """Row 9: the share of each step's lines inside the shaded measured range at 30 °C, as
    the title states it: 'only' (at most ONLY_SHARE) in step 1, 'up from' (at least UP_FACTOR
    times step 1's) in step 2; the lecture's example line reaches 33 at 30 °C."""
    ax = fig.axes[0]
    (band,) = with_gid(ax.patches, "measured")
    low, high = band.get_y(), band.get_y() + band.get_height()
    assert (low, high) == pytest.approx(measured, abs=EXACT)
    at = LECTURE_EXAMPLE[2]
    shares = []
    for k in range(1, step + 1):
        lines = with_gid(ax.get_lines(), f"prior-{k}")
        values = np.array([np.interp(at, *ln.get_data()) for ln in lines])
        shares.append(float(np.mean((values >= low) & (values <= high))))
    title = figure_title(fig)
    (example,) = with_gid(ax.get_lines(), "example")
    assert np.interp(at, *example.get_data()) == pytest.approx(33.0)
    if step == 1:
        assert f"only {shares[0]:.0%} of lines at {at:g} °C in the measured range" in title
        assert shares[0] <= ONLY_SHARE, f"{shares[0]:.0%} is not 'only'"
    else:
        assert f"{shares[1]:.0%} of lines at {at:g} °C in the measured range" in title
        assert f"up from {shares[0]:.0%}" in title
        assert shares[1] >= UP_FACTOR * shares[0], f"{shares[1]:.0%} is not up from {shares[0]:.0%}"


def check_pooled_curve(fig: Figure) -> None:
    """Row 10: the curve is exponential (its log is a line) with X% per °C from its growth,
    inside its 94% band, over the days in ug/m3."""
    ax = fig.axes[0]
    x, y = (np.asarray(v, dtype=float) for v in labelled(ax, "pooled fit").get_data())
    slope, _ = np.polyfit(x, np.log(y), 1)
    np.testing.assert_allclose(np.diff(np.log(y)) / np.diff(x), slope, rtol=1e-9)
    assert f"{percent(slope):+.1f}% peak ozone per °C" in figure_title(fig)
    band = labelled(ax, "94% band").get_paths()[0].vertices
    for xi, yi in zip(x, y, strict=True):
        edges = band[np.isclose(band[:, 0], xi), 1]
        assert edges.min() <= yi <= edges.max(), (xi, yi, edges)
    assert labelled(ax, "station-days").get_array().sum() > 0


def check_station_panels(fig: Figure, names: Sequence[str]) -> None:
    """Row 11: each station's mean residual from the drawn pooled line, read from its drawn
    days; the title names the largest and its per cent, and 'misses' holds: at least MISS_SE
    standard errors from 0. Every panel has the same axes."""
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == list(names)
    assert len({(ax.get_xlim(), ax.get_ylim()) for ax in axes}) == 1
    assert all("(°C)" in ax.get_xlabel() for ax in axes[-4:]), "the x axis has no unit"
    means, ses = [], []
    for ax in axes:
        t, y = np.asarray(labelled(ax, ax.get_title()).get_offsets()).T
        residual = y - np.interp(t, *labelled(ax, "pooled fit").get_data())
        means.append(residual.mean())
        ses.append(residual.std(ddof=1) / np.sqrt(len(residual)))
    worst = int(np.argmax(np.abs(means)))
    side = "above" if means[worst] > 0 else "below"
    expected = f"{names[worst]}'s days lie {abs(percent(means[worst])):.0f}% {side} it"
    assert expected in figure_title(fig), (expected, figure_title(fig))
    assert abs(means[worst]) >= MISS_SE * ses[worst], (
        f"{names[worst]}: {means[worst]:.3f} is within {MISS_SE:g} standard errors of the line"
    )


def check_varying_intercepts(fig: Figure, names: Sequence[str], highlight: Sequence[str]) -> None:
    """Row 12: one line per station, all parallel; the highlighted stations coloured, the
    rest grey; 'baselines differ by X%' from the highest and lowest drawn line."""
    ax = fig.axes[0]
    lines = {ln.get_label(): ln for ln in ax.get_lines() if ln.get_label() in names}
    assert sorted(lines) == sorted(names)
    slopes, levels = [], []
    for name in names:
        x, y = (np.asarray(v, dtype=float) for v in lines[name].get_data())
        slopes.append((y[-1] - y[0]) / (x[-1] - x[0]))
        levels.append(np.interp(0.0, x, y))
        grey = len(set(to_rgb(lines[name].get_color()))) == 1
        assert grey is (name not in highlight), name
    np.testing.assert_allclose(slopes, slopes[0], rtol=1e-9)  # parallel
    spread = percent(max(levels) - min(levels))
    assert f"baselines differ by {spread:.0f}% between the highest and lowest station" in (
        figure_title(fig)
    )
    assert set(highlight) <= {t.get_text() for t in ax.texts}


def check_station_intercepts(fig: Figure, names: Sequence[str]) -> None:
    """Row 13: "N of n stations' 94% intervals of alpha_j - mu_alpha exclude 0", counted from
    the drawn intervals and the drawn line at 0; the intervals sorted by their means; the band
    is 0 +- sigma_alpha around that line."""
    ax = fig.axes[0]
    zero = labelled(ax, "population mean").get_xdata()[0]
    assert zero == 0.0
    (band,) = with_gid(ax.patches, "population sd")
    assert band.get_x() + band.get_width() / 2 == pytest.approx(zero)
    means, excluded = [], 0
    for bar in ax.containers:
        means.append(bar.lines[0].get_xdata()[0])
        (segment,) = bar.lines[2][0].get_segments()
        low, high = sorted(segment[:, 0])
        excluded += not low <= zero <= high
    assert means == sorted(means)
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == sorted(names)
    assert figure_title(fig) == (
        rf"{excluded} of {len(means)} stations' 94% intervals of $\alpha_j - \mu_\alpha$ "
        "exclude 0"
    )


# --- figures without fits -------------------------------------------------------------------


def test_the_data_figures_are_rows_7_to_13_in_order() -> None:
    assert [(e.name, e.row) for e in FIGURES] == [
        ("ozone-data-pooled", 7),
        ("ozone-station-map", 8),
        ("ozone-prior-predictive-1", 9),
        ("ozone-prior-predictive-2", 9),
        ("ozone-pooled-curve", 10),
        ("ozone-station-panels", 11),
        ("ozone-varying-intercepts", 12),
        ("ozone-station-intercepts", 13),
    ]
    assert all(e.point for e in FIGURES)


def test_station_map_title_is_the_drawn_distances(drawn) -> None:
    check_station_map(drawn("ozone-station-map"), load_beijing_stations()["station"].tolist())


def measured(ctx: FigureContext) -> tuple[float, float]:
    y = ctx.data("ozone")["log_ozone"]
    return float(y.min()), float(y.max())


@pytest.mark.parametrize("step", [1, 2])
def test_prior_predictive_titles_state_the_drawn_shares(ctx, drawn, step: int) -> None:
    check_prior_predictive(drawn(f"ozone-prior-predictive-{step}"), step, measured(ctx))


def test_prior_predictive_build_up_keeps_its_axes(drawn) -> None:
    figs = [drawn(f"ozone-prior-predictive-{k}") for k in (1, 2)]
    layouts = [
        [(ax.get_position().bounds, ax.get_xlim(), ax.get_ylim()) for ax in f.axes] for f in figs
    ]
    assert layouts[0] == layouts[1]


@pytest.mark.parametrize("step", [1, 2])
def test_prior_predictive_check_fails_with_the_priors_swapped(ctx, monkeypatch, step) -> None:
    """The lecture's priors first and its vague guess second: step 1's 'only' and step 2's
    'up from' are false, and the check says so."""
    monkeypatch.setattr(data_figures, "PRIOR_STEPS", data_figures.PRIOR_STEPS[::-1])
    fig = draw_figure(f"ozone-prior-predictive-{step}", ctx)
    with pytest.raises(AssertionError, match="is not"):
        check_prior_predictive(fig, step, measured(ctx))


def test_data_pooled_check_fails_when_temperature_is_shuffled(ctx) -> None:
    """The days with their temperatures shuffled under the same line: ozone no longer rises
    with temperature, and the check finds that the line does not follow the drawn days."""
    data = ctx.data("ozone")
    shuffled = np.random.default_rng(0).permutation(data["TEMP"].to_numpy())
    with slide_style():
        fig = plot_data_pooled(shuffled, data["log_ozone"], 3.45, 0.054)
    with pytest.raises(AssertionError, match="does not follow the drawn days"):
        check_data_pooled(fig, len(data))


# --- figures with fits ----------------------------------------------------------------------


@pytest.mark.slow
def test_data_pooled_title_is_the_drawn_line(ctx, drawn) -> None:
    check_data_pooled(drawn("ozone-data-pooled"), len(ctx.data("ozone")))


@pytest.mark.slow
def test_pooled_curve_title_is_the_drawn_curve(drawn) -> None:
    check_pooled_curve(drawn("ozone-pooled-curve"))


@pytest.mark.slow
def test_station_panels_title_is_the_largest_drawn_residual(ctx, drawn) -> None:
    check_station_panels(drawn("ozone-station-panels"), station_names(ctx.data("ozone")))


@pytest.mark.slow
def test_station_panels_check_fails_when_stations_share_one_level(ctx) -> None:
    """Every station's days shifted by its own mean residual from the pooled line: one level
    for all, the pooled line (refitted) misses none, and 'misses' is false."""
    data = ctx.data("ozone")
    pooled = ctx.fit("ozone", "pooled")
    alpha, beta = (float(draws(pooled, name).mean()) for name in ("alpha", "beta"))
    residual = data["log_ozone"] - (alpha + beta * data["TEMP"])
    level = residual.groupby(data["station_id"]).transform("mean")
    flat = data.assign(log_ozone=data["log_ozone"] - level)
    with slide_style():
        fig = station_panels_figure(ctx, flat)
    with pytest.raises(AssertionError, match="standard errors"):
        check_station_panels(fig, station_names(data))


@pytest.mark.slow
def test_varying_intercepts_title_is_the_drawn_spread(ctx, drawn) -> None:
    names = station_names(ctx.data("ozone"))
    check_varying_intercepts(drawn("ozone-varying-intercepts"), names, HIGHLIGHTED)


@pytest.mark.slow
def test_station_intercepts_title_counts_the_drawn_intervals(ctx, drawn) -> None:
    check_station_intercepts(drawn("ozone-station-intercepts"), station_names(ctx.data("ozone")))


@pytest.mark.slow
def test_station_intercepts_intervals_are_of_the_difference_from_mu_alpha(ctx, drawn) -> None:
    """The drawn intervals are those of alpha_j - mu_alpha over the joint draws (wider than
    alpha_j's own: mu_alpha's uncertainty is in them), not alpha_j's against a known mu_alpha."""
    import arviz as az

    idata = ctx.fit("ozone", "varying_intercepts")
    difference = draws(idata, "alpha") - draws(idata, "mu_alpha")[:, None]
    expected = sorted(tuple(az.hdi(d, hdi_prob=data_figures.HDI_PROB)) for d in difference.T)
    ax = drawn("ozone-station-intercepts").axes[0]
    segments = sorted(
        tuple(sorted(bar.lines[2][0].get_segments()[0][:, 0])) for bar in ax.containers
    )
    np.testing.assert_allclose(sorted(segments), sorted(expected), atol=1e-12)


def test_station_intercepts_check_fails_when_mu_alpha_is_taken_as_known() -> None:
    """alpha_j's own intervals shifted by the mean of mu_alpha (mu_alpha treated as known)
    are narrower than those of alpha_j - mu_alpha: drawn with the count of the honest
    intervals in the title, the check finds the drawn count differs."""
    from teachkit.cases.ozone.data_plots import plot_station_intercepts

    rng = np.random.default_rng(2)
    mu = rng.normal(3.45, 0.03, 2000)
    alpha = 3.45 + np.linspace(-0.08, 0.08, 12) + rng.normal(0.0, 0.015, (2000, 12))
    names = [f"S{j}" for j in range(12)]

    def figure(d: np.ndarray, title_from: np.ndarray | None = None) -> Figure:
        low, high = np.quantile(d, [0.03, 0.97], axis=0)
        with slide_style():
            ax = plot_station_intercepts(d.mean(axis=0), low, high, names, 0.05)
        if title_from is not None:
            ax.set_title(figure_title(figure(title_from)))
        return ax.figure

    honest = alpha - mu[:, None]
    check_station_intercepts(figure(honest), names)
    known = alpha - mu.mean()
    with pytest.raises(AssertionError):
        check_station_intercepts(figure(known, title_from=honest), names)


@pytest.mark.slow
@pytest.mark.parametrize("name", [e.name for e in FIGURES])
def test_data_figures_read_well_and_claim_their_titles(drawn, name: str) -> None:
    """No text cut off or overlapping, symbols typeset; the attached claim is the title."""
    fig = drawn(name)
    assert slide_problems(fig) == []
    claim = claim_of(fig)
    assert claim is not None and claim.text == figure_title(fig)
    assert all(np.isfinite(v) for v in claim.numbers.values())
