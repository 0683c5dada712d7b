"""The ozone case study's registered figures make their teaching points, on the data they draw.

Each test reads the numbers back from the figure's artists (scatter offsets, line data, error
bars, texts) and checks the point the figure's ``point`` states, with a threshold named here.
The figures are drawn from one session-wide FigureContext on the real Beijing data with a
fit store of its own and short chains (2 x 300 draws), so each model is fitted once.

Where a figure could lose its point without anything else breaking, a parametrised case
draws the same figure from data that lacks the point and checks that the test's criterion
then fails: the funnel and the shrinkage figures on the full Beijing table (about 1,400 days
per station), the trace with a stuck chain.
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
    shrinkage_1d_figure,
    shrinkage_2d_figure,
)
from teachkit.cases.ozone.plots import LOO_THRESHOLD, plot_station_trace
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
#: Chains that mix: the split R-hat of every trace is below this.
MIXED_RHAT = 1.02


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


# --- LOO ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_loo_point(ctx: FigureContext, drawn) -> None:
    """Differences are judged by their dse (as az.plot_compare draws them), not by se.

    The figure draws elpd +- se and, for every model but the best, the difference to the
    best +- dse, as ctx.compare computes them; its text names exactly the models worse by
    more than 2 dse; and the lesson is there: some model's se bar overlaps the best one's
    although its difference exceeds 2 dse; on the Beijing data these are the pooled and
    varying-intercepts models, while varying slopes is within 2 dse of the best, as the point
    says. Plotting elpd +- se alone (the old figure) has no difference bars and fails the
    first check.
    """
    table = ctx.compare("ozone").sort_values("elpd_loo")
    (ax,) = drawn("ozone-loo").axes
    elpd, diff = ax.containers
    assert diff.get_label() == "difference to the best ± dse"
    np.testing.assert_allclose(elpd.lines[0].get_xdata(), table["elpd_loo"])
    others = table.iloc[:-1]
    np.testing.assert_allclose(diff.lines[0].get_xdata(), others["elpd_loo"])
    half = [np.ptp(seg[:, 0]) / 2 for seg in diff.lines[2][0].get_segments()]
    np.testing.assert_allclose(half, others["dse"])
    clear = others.index[others["d_loo"] > LOO_THRESHOLD * others["dse"]]
    (verdict,) = [t.get_text() for t in ax.texts if t.get_gid() == "verdict"]
    named = verdict.split("\n")[0].split(": ", 1)[1]
    assert set(named.split(", ")) == {m.replace("_", " ") for m in clear}
    best = table.iloc[-1]
    overlap = others["elpd_loo"] + others["se"] >= best["elpd_loo"] - best["se"]
    assert (overlap & others.index.isin(clear)).any()
    # the point's Beijing verdict: pooled and varying intercepts clearly worse, slopes not
    assert set(clear) == {"pooled", "varying_intercepts"}
    assert set(others.index) - set(clear) == {"varying_slopes"}


# --- the data and the station effects -------------------------------------------------------


def station_lines(ax) -> list[tuple[float, float]]:
    """(intercept at T = 0, slope) of each straight line starting at T = 0."""
    out = []
    for ln in ax.get_lines():
        x, y = (np.asarray(v, dtype=float) for v in ln.get_data())
        if len(x) == 50 and x[0] == 0.0:
            out.append((y[0], (y[-1] - y[0]) / (x[-1] - x[0])))
    return out


@pytest.mark.slow
def test_station_lines_point(drawn) -> None:
    """The station lines differ in steepness (their slopes spread by at least a tenth of the
    mean slope) and cross inside 0-40 deg C. Parallel lines (the varying-intercepts model)
    would fail both."""
    (ax,) = drawn("ozone-station-lines").axes
    pairs = np.array(station_lines(ax))
    a, b = pairs.T
    assert np.ptp(b) >= 0.1 * b.mean()
    crossings = [(a[i] - a[j]) / (b[j] - b[i]) for i in range(len(a)) for j in range(i)
                 if b[i] != b[j]]  # fmt: skip
    assert any(0 < t < 40 for t in crossings)


@pytest.mark.slow
@pytest.mark.parametrize("stuck", [False, True], ids=["fit", "stuck-chain"])
def test_trace_point(ctx: FigureContext, drawn, stuck: bool) -> None:
    """Every station's trace mixes: split R-hat of each trace below MIXED_RHAT, read from the
    lines (chains split at the dotted lines). With one chain shifted (a chain stuck in
    another mode) the check fails: the second case."""
    if stuck:
        posterior = ctx.fit("ozone", "covarying").posterior
        alpha = posterior["alpha"].to_numpy().copy()
        alpha[1] += 0.3
        fig = plot_station_trace(alpha, posterior["beta"].to_numpy())
    else:
        fig = drawn("ozone-trace")
    worst = 0.0
    for ax in fig.axes[:2]:
        chains = 1 + sum(ln.get_linestyle() == ":" for ln in ax.get_lines())
        for ln in ax.get_lines():
            if ln.get_linestyle() != ":":
                values = np.asarray(ln.get_ydata()).reshape(chains, -1)
                half = values.shape[1] // 2
                split = np.concatenate([values[:, :half], values[:, half : 2 * half]])
                worst = max(worst, _rhat(split))
    assert (worst < MIXED_RHAT) is not stuck, worst


def _rhat(chains: np.ndarray) -> float:
    n = chains.shape[1]
    within = chains.var(axis=1, ddof=1).mean()
    between = n * chains.mean(axis=1).var(ddof=1)
    return float(np.sqrt(((n - 1) / n * within + between / n) / within))


@pytest.mark.slow
def test_alpha_beta_point(drawn) -> None:
    """Stations with higher intercepts have lower slopes: the station means drawn correlate
    at -0.5 or below, and so do most stations' own posterior draws. Data with uncorrelated
    intercepts and slopes (simulate_ozone(rho=0)) would fail the first check."""
    (ax,) = drawn("ozone-alpha-beta").axes
    (means,) = ax.get_lines()
    assert np.corrcoef(means.get_xdata(), means.get_ydata())[0, 1] <= -0.5
    within = [np.corrcoef(np.asarray(c.get_offsets()).T)[0, 1] for c in ax.collections]
    assert np.median(within) < 0


@pytest.mark.slow
def test_lines_through_data_point(drawn) -> None:
    """The steeper a station's line, the lower it starts: intercepts at T = 0 and slopes of
    the lines drawn correlate at -0.8 or below. Lines that did not pass through the same
    data (random intercepts) would fail."""
    ax = drawn("ozone-lines-through-data").axes[0]
    a, b = np.array(station_lines(ax)).T
    assert len(a) == 12
    assert np.corrcoef(a, b)[0, 1] <= -0.8


# --- every ozone figure: stations named, readable at slide size -----------------------------

#: How each figure names its stations: the names it shows, in the order it shows them.
NAMED: dict[str, Callable[[Figure], list[str]]] = {
    "ozone-station-lines": lambda f: [ln.get_label() for ln in f.axes[0].get_lines()
                                      if not ln.get_label().startswith("_")],
    "ozone-trace": lambda f: [t.get_text() for t in f.legends[0].get_texts()],
    "ozone-alpha-beta": lambda f: [t.get_text() for t in f.axes[0].get_legend().get_texts()][:-1],
    "ozone-lines-through-data": lambda f: sorted(t.get_text() for t in f.axes[0].texts),
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
    if name in ("ozone-lines-through-data", "pooling-shrinkage-1d"):
        names = sorted(names)  # placed by value: the set is what counts
    if name == "pooling-funnel":
        names = names[:1]
    assert shown == names


@pytest.mark.slow
@pytest.mark.parametrize("name", [e.name for e in FIGURES])
def test_ozone_figures_read_well_at_slide_size(drawn, name: str) -> None:
    """No text cut off or overlapping, every Greek symbol and subscript typeset."""
    assert slide_problems(drawn(name)) == []
