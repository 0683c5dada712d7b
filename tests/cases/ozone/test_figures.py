"""The ozone case study's registered figures make their teaching points, on the data they draw.

Each test reads the numbers back from the figure's artists (scatter offsets, line data, error
bars, texts) and checks the point the figure's ``point`` states, with a threshold named here.
The figures are drawn from one session-wide FigureContext on the real Beijing data with a
fit store of its own and short chains (2 x 300 draws), so each model is fitted once.

Where a figure could lose its point without anything else breaking, a parametrised case
draws the same figure from data that lacks the point and checks that the test's criterion
then fails: the funnel and the shrinkage figures on the full Beijing table (about 1,400 days
per station), the prior predictive with two vague priors (the slides of rows 14-19 are
tested in test_slope_figures.py).
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
    GRAPH_LABELS,
    funnel_figure,
    model_graph_source,
    prior_lines,
    shrinkage_1d_figure,
    shrinkage_2d_figure,
)
from teachkit.cases.ozone.plots import plot_prior_predictive
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
from teachkit.figures import FigureContext, draw_figure
from teachkit.mvn import ellipse_radius
from teachkit.plots.lint import slide_problems
from teachkit.store import FitStore

#: Sampler settings of the session's fits: short, but every point holds with them (and with
#: the gallery's 4 x 1000).
SETTINGS = {"draws": 300, "tune": 300, "chains": 2, "seed": 1}

#: The funnel (issue 11): in the centred panel the group effect's spread in the lowest fifth
#: of log sigma is at most this share of its spread in the highest fifth ...
FUNNEL_NARROWING = 1 / 3
#: ... and the divergent draws' median log sigma lies below this quantile of all draws.
NECK_QUANTILE = 0.3
#: The non-centred panel shows no narrowing: its ratio stays above this.
NO_NARROWING = 2 / 3
#: Fewer days, further moved: the rank correlation of days and shrinkage is at most this.
SHRINK_RANK = -0.6
#: The third of the stations with fewest days moves at least this share of the way ...
FEW_DAYS_MOVE = 0.5
#: ... and at least this many times as far as the third with most days (in 2-D stations
#: with a few hundred days still move about 40% of their distance: a line fitted to 200 days
#: pins the slope down less than the 12 stations' slopes differ).
FEW_OVER_MANY = 1.5
#: 2-D: at least this share of the squared movement runs along the correlation's axis (half
#: of it would, for movements in random directions).
ALONG_AXIS = 2 / 3
#: Prior predictive: share of lines near the real range, at most for the vague prior and at
#: least for the lecture's.
VAGUE_NEAR, LECTURE_NEAR = 0.5, 0.8


@pytest.fixture(scope="session")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> FigureContext:
    store = FitStore(tmp_path_factory.mktemp("ozone-figure-fits"))
    return FigureContext("real", store=store, **SETTINGS)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def drawn(ctx: FigureContext) -> Callable[[str], Figure]:
    """Draws a registered figure once per session."""
    cache: dict[str, Figure] = {}

    def draw(name: str) -> Figure:
        if name not in cache:
            cache[name] = draw_figure(name, ctx)
        return cache[name]

    return draw


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


def near_share(ax) -> float:
    """Share of the panel's lines never further from the shaded band than its width."""
    (band,) = [p for p in ax.patches if p.get_label() == "real days"]
    low, high = sorted((band.get_y(), band.get_y() + band.get_height()))
    lines = np.column_stack([ln.get_ydata() for ln in ax.get_lines()])
    near = (lines >= low - (high - low)) & (lines <= high + (high - low))
    return float(near.all(axis=0).mean())


@pytest.mark.parametrize("vague_twice", [False, True], ids=["lecture", "both-vague"])
def test_prior_predictive_point(ctx: FigureContext, vague_twice: bool) -> None:
    """Vague priors put most lines far from real ozone, the lecture's keep them near.

    With the vague prior in both panels (the lecture's priors as loose as the first guess)
    the second panel's lines are far from the data too, and the check fails.
    """
    if vague_twice:
        y = ctx.data("ozone")["log_ozone"]
        vague = next(iter(prior_lines(ctx.seed).values()))
        fig = plot_prior_predictive({"a": vague, "b": vague}, (y.min(), y.max()))
    else:
        fig = draw_figure("ozone-prior-predictive", ctx)
    vague_ax, lecture_ax = fig.axes
    assert near_share(vague_ax) <= VAGUE_NEAR
    assert (near_share(lecture_ax) >= LECTURE_NEAR) is not vague_twice


def test_model_graph_point_population_stations_and_days_in_their_plates(
    ctx: FigureContext,
) -> None:
    """Fails if the diagram lost the station plate (e.g. a pooled model) or showed code names."""
    source = model_graph_source(ctx.data("ozone"))
    plates = dict(re.findall(r'subgraph "?cluster([^"{]+)"? \{(.*?)\n\t\}', source, re.S))
    n_obs, n_stations = len(ctx.data("ozone")), len(station_names(ctx.data("ozone")))
    assert f"<{GRAPH_LABELS['alpha_beta']}<BR/>" in plates[f"station ({n_stations}) x effect (2)"]
    assert f"<{GRAPH_LABELS['alpha']}<BR/>" in plates[f"station ({n_stations})"]
    assert f"<{GRAPH_LABELS['log_ozone']}<BR/>~ Normal>" in plates[f"obs ({n_obs})"]
    outside = re.sub(r"subgraph .*?\n\t\}", "", source, flags=re.S)
    for name in ("mu_alpha", "mu_beta", "sigma"):
        assert f"<{GRAPH_LABELS[name]}<BR/>" in outside  # the population, on no plate
    assert not re.findall(r"label=<[^>]*_", source)  # no code names with underscores


# --- the funnel -------------------------------------------------------------------------------


def funnel_numbers(fig: Figure) -> dict[str, tuple[float, float, int]]:
    """Per panel: neck spread ratio, quantile of the divergences' median log sd, divergences."""
    out = {}
    for ax in fig.axes[:2]:
        draws = np.asarray(by_label(ax, "draws").get_offsets())
        (div,) = [c for c in ax.collections if c.get_label().startswith("divergent")]
        divergent = np.asarray(div.get_offsets()).reshape(-1, 2)
        x, y = np.vstack([draws, divergent]).T
        low, high = np.quantile(y, [0.2, 0.8])
        ratio = float(x[y <= low].std() / x[y >= high].std())
        where = float(np.mean(y < np.median(divergent[:, 1]))) if len(divergent) else np.nan
        out[ax.get_title().split(":")[0]] = (ratio, where, len(divergent))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("full", [False, True], ids=["5-days-per-station", "full-beijing"])
def test_funnel_point(ctx: FigureContext, drawn, full: bool) -> None:
    """The centred posterior is a funnel with the divergences in its neck; non-centred not.

    Centred panel: the effect's spread in the lowest fifth of log sigma_beta is at most a
    third of its spread in the highest fifth, and the divergent draws' median log sigma lies
    below the 30th percentile of all draws. Non-centred: no narrowing. Drawn from the full
    Beijing table instead (about 1,400 days per station, the data pin every slope down) the
    centred posterior is a round cloud without divergences in a neck, and the check fails:
    the second case asserts exactly that.
    """
    fig = funnel_figure(ctx, ctx.data("ozone")) if full else drawn("pooling-funnel")
    numbers = funnel_numbers(fig)
    ratio, where, divergences = numbers["centred"]
    funnel = ratio <= FUNNEL_NARROWING and divergences > 0 and where < NECK_QUANTILE
    assert funnel is not full, numbers
    assert numbers["non-centred"][0] > NO_NARROWING, numbers
    if not full:
        assert "5 days each" in fig.get_supxlabel()  # the figure says what data it shows


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


def ring_precision(ring: np.ndarray, mean: np.ndarray, mass: float) -> np.ndarray:
    """The precision matrix P of an ellipse drawn as (x - mean)' P (x - mean) = r(mass)^2."""
    d = ring - mean
    design = np.column_stack([d[:, 0] ** 2, 2 * d[:, 0] * d[:, 1], d[:, 1] ** 2])
    a, b, c = np.linalg.lstsq(design, np.full(len(d), ellipse_radius(mass) ** 2), rcond=None)[0]
    return np.array([[a, b], [b, c]])


def shrinkage_2d_numbers(fig: Figure) -> dict:
    ax = fig.axes[0]
    own = np.asarray(by_label(ax, "own estimate (no pooling)").get_offsets())
    partial = np.asarray(by_label(ax, "partial pooling").get_offsets())
    mean = np.asarray(by_label(ax, "population mean").get_offsets())[0]
    cov = np.linalg.inv(ring_precision(np.column_stack(line(ax, "50% ellipse").get_data()),
                                       mean, 0.5))  # fmt: skip
    sds = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sds, sds)
    axis = np.linalg.eigh(corr)[1][:, -1]  # the correlation's long axis, standardised
    step = (partial - own) / sds
    along = (step @ axis) ** 2
    precision = np.linalg.inv(cov)

    def distance(p: np.ndarray) -> np.ndarray:
        return np.sqrt(np.einsum("ni,ij,nj->n", p - mean, precision, p - mean))

    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    return {
        "days": np.array([days_from(t) for t in legend]),
        "names": [t.rsplit(" (", 1)[0] for t in legend],
        "moved": 1 - distance(partial) / distance(own),
        "along": float(along.sum() / (step**2).sum()),
        "rho": float(corr[0, 1]),
    }


@pytest.mark.slow
@pytest.mark.parametrize("full", [False, True], ids=["5-300-days", "full-beijing"])
def test_shrinkage_2d_point(ctx: FigureContext, drawn, full: bool) -> None:
    """In 2-D too, fewer days move further, and they move along the correlation's axis.

    Moving is measured as the share of its Mahalanobis distance from the population mean
    (under the drawn ellipses' covariance) a station loses; the days-and-moves check is the
    1-D one. Along the axis: in the population's standardised coordinates, at least
    ALONG_AXIS of the squared movement runs along the long axis of its correlation. The full
    Beijing table gives no station few days, and the days-and-moves check fails.
    """
    fig = shrinkage_2d_figure(ctx, ctx.data("ozone")) if full else drawn("pooling-shrinkage-2d")
    numbers = shrinkage_2d_numbers(fig)
    assert_fewer_days_move_further(numbers["days"], numbers["moved"], shows=not full)
    if not full:
        assert numbers["along"] >= ALONG_AXIS, numbers
        assert numbers["rho"] < 0


@pytest.mark.slow
def test_shrinkage_2d_labels_each_ellipse_with_its_own_level(drawn) -> None:
    """Each level's text sits on its own ellipse (within 3 pixels), not on another one."""
    fig = drawn("pooling-shrinkage-2d")
    ax = fig.axes[0]
    fig.canvas.draw()
    to_px = ax.transData.transform
    rings = {ln.get_label().split()[0]: to_px(np.column_stack(ln.get_data()))
             for ln in ax.get_lines() if ln.get_label().endswith("% ellipse")}  # fmt: skip
    assert sorted(rings) == ["50%", "80%", "94%"]
    for level in rings:
        (text,) = [t for t in ax.texts if t.get_text() == level]
        at = to_px(text.get_position())
        gaps = {lv: np.min(np.hypot(*(ring - at).T)) for lv, ring in rings.items()}
        assert min(gaps, key=gaps.get) == level and gaps[level] < 3, gaps


# --- the data and the station effects -------------------------------------------------------


@pytest.mark.slow
def test_data_pooled_point(drawn) -> None:
    """Ozone rises with temperature at every station (each station's own least-squares slope
    from the points drawn is positive) and the pooled line rises too. Fails on data where
    some station's ozone falls with temperature, or with a flat pooled line."""
    (ax,) = drawn("ozone-data-pooled").axes
    for points in ax.collections:
        t, y = np.asarray(points.get_offsets()).T
        assert np.polyfit(t, y, 1)[0] > 0, points.get_label()
    _, y = line(ax, "pooled line").get_data()
    assert y[-1] > y[0]


@pytest.mark.slow
def test_station_intercepts_point(drawn) -> None:
    """Most stations' 94% intervals miss the pooled intercept (stations differ). A model
    with no real differences between stations would put the pooled intercept inside most
    intervals and fail."""
    (ax,) = drawn("ozone-station-intercepts").axes
    pooled = line(ax, "pooled intercept").get_ydata()[0]
    missed = 0
    for bar in ax.containers:
        (segment,) = bar.lines[2][0].get_segments()
        low, high = sorted(segment[:, 1])
        missed += not low <= pooled <= high
    assert missed > len(ax.containers) / 2
    assert f"{missed} of {len(ax.containers)}" in ax.get_title()





# --- every ozone figure: stations named, readable at slide size -----------------------------

#: How each figure names its stations: the names it shows, in the order it shows them.
NAMED: dict[str, Callable[[Figure], list[str]]] = {
    "ozone-data-pooled": lambda f: [t.get_text() for t in f.axes[0].get_legend().get_texts()][:-1],
    "ozone-station-intercepts": lambda f: [t.get_text() for t in f.axes[0].get_xticklabels()],
    "pooling-shrinkage-1d": lambda f: sorted(
        t.get_text().rsplit(" (", 1)[0] for t in f.axes[0].get_yticklabels()),
    "pooling-shrinkage-2d": lambda f: [t.get_text().rsplit(" (", 1)[0]
                                       for t in f.axes[0].get_legend().get_texts()],
    "pooling-funnel": lambda f: [re.search(r"\((\w+),", f.axes[0].get_xlabel()).group(1)],
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("name", list(NAMED))
def test_figures_name_their_stations(ctx: FigureContext, drawn, name: str) -> None:
    """Station names from the data, in its station order (never 0-11)."""
    names = station_names(ctx.data("ozone"))
    shown = NAMED[name](drawn(name))
    if name == "pooling-shrinkage-1d":
        names = sorted(names)  # placed by value: the set is what counts
    if name == "pooling-funnel":
        names = names[:1]
    assert shown == names


@pytest.mark.slow
@pytest.mark.parametrize("name", [e.name for e in FIGURES])
def test_ozone_figures_read_well_at_slide_size(drawn, name: str) -> None:
    """No text cut off or overlapping, every Greek symbol and subscript typeset."""
    assert slide_problems(drawn(name)) == []
