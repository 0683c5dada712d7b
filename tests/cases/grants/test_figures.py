"""The grants case study's registered figures make their teaching points, on the data they draw.

Each ``check_*`` recomputes its figure's title claim from the drawn artists (scatter offsets,
histogram outlines, arrows, tick labels), never from the attached Claim alone, and checks the
point the figure's entry states, with thresholds named here. The ``..._fails_...`` tests draw
the same figure from changed data or swapped fits, on which the point is false, and show that
the check then fails. Fits come from one session-wide FigureContext on the real NWO table with
a fit store of its own and short chains.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from scipy import stats

from teachkit.cases.grants.figures import FIGURES
from teachkit.cases.grants.posterior_plots import FEWEST_RANK
from teachkit.figure_entry import claim_of, figure_title
from teachkit.figures import FigureContext, draw_figure
from teachkit.plots.lint import slide_problems
from teachkit.store import FitStore

#: Sampler settings of the session's fits: short, but every point holds with them (and with
#: the gallery's 4 x 1000).
SETTINGS = {"draws": 300, "tune": 300, "chains": 2, "seed": 1}

#: Women apply more where awards are rare: the 9 disciplines' correlation of women's share and
#: award rate is at most this (-0.72 on the NWO table; 0 for a share unrelated to the rate).
POINT_R = -0.5
#: The title words a correlation as a relation from this size on (CLEAR_R in the plots).
WORDED_R = 0.3
#: The total gap lies above 0: at least this share of its posterior (about 0.98 on the NWO
#: table; a posterior centred at 0 would have half).
ABOVE_ZERO = 0.9
#: Shrinkage: every discipline ends at most this far (log-odds) further from the average than
#: it started (the posterior means of short chains wobble by about 0.01).
WOBBLE = 0.02
#: tau well below the fixed prior's sd: at most this share of its posterior lies beyond it.
TAU_BEYOND = 0.03
#: Means and quantiles read from a histogram are off by at most half a bin; the title rounds
#: to 0.1 pp, i.e. by at most 0.05.
ROUNDING = 0.05


@pytest.fixture(scope="session")
def ctx(quick_fit_store: Path) -> FigureContext:
    """The real data, in the session's quick fit store (tests/conftest.py: the lectures' runs
    in quick mode, with the same settings, share it)."""
    store = FitStore(quick_fit_store)
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


class Altered:
    """A figure context that draws other data or hands out one model's fit for another."""

    def __init__(
        self, ctx: FigureContext, *, data: pd.DataFrame | None = None, swap: dict | None = None
    ) -> None:
        self.ctx, self._data, self.swap = ctx, data, swap or {}
        self.source, self.seed = ctx.source, ctx.seed

    def data(self, case: str) -> pd.DataFrame:
        return self._data if self._data is not None else self.ctx.data(case)

    def fit(self, case: str, model: str, **options: Any):
        options.setdefault("data", self.data(case))
        return self.ctx.fit(case, self.swap.get(model, model), **options)

    def compare(self, case: str) -> pd.DataFrame:
        return self.ctx.compare(case)


def genders_swapped(data: pd.DataFrame) -> pd.DataFrame:
    """The table with the f and m labels exchanged."""
    out = data.copy()
    out["gender"] = out["gender"].map({"f": "m", "m": "f"}).astype(out["gender"].dtype)
    return out


def numbers_in(text: str) -> list[float]:
    """The numbers a title prints (typographic minus included)."""
    return [float(x) for x in re.findall(r"-?\d+\.\d+", text.replace("−", "-"))]


def test_the_grants_figures_serve_storyboard_rows_2_to_6() -> None:
    assert [(e.name, e.row) for e in FIGURES] == [
        ("grants-award-rates", 2), ("grants-gender-gap-1", 3), ("grants-dag", 4),
        ("grants-dag-2", 4), ("grants-gender-gap-2", 5), ("grants-discipline-shrinkage", 6),
    ]  # fmt: skip
    assert all(e.point for e in FIGURES)


# --- row 2: award rates ------------------------------------------------------------------------


def check_award_rates(fig: Figure) -> None:
    """Claim: 'where more applicants are women, awards are rarer (r = X)'.

    r is recomputed from the right panel's markers (women's share, award rate); the wording
    follows its sign and size. The point: r <= POINT_R, women's overall rate (dashed line) is
    below men's, and within disciplines the gap goes both ways (left panel's markers).
    """
    left, right = fig.axes
    (markers,) = [c for c in right.collections if c.get_label() == "disciplines"]
    share, rate = np.asarray(markers.get_offsets()).T
    r = float(np.corrcoef(share, rate)[0, 1])
    title = figure_title(fig)
    assert f"$r = {r:.2f}$" in title, title
    worded = {"rarer": r <= -WORDED_R, "more common": r >= WORDED_R}
    for word, holds in worded.items():
        assert (word in title) is holds, title
    women, men = (c for c in left.collections if c.get_label() in ("women", "men"))
    overall = {ln.get_label().split(":")[0]: ln.get_xdata()[0] for ln in left.get_lines()}
    assert overall["all women"] < overall["all men"], overall
    f_rate, m_rate = women.get_offsets()[:, 0], men.get_offsets()[:, 0]
    assert (f_rate > m_rate).any() and (f_rate < m_rate).any()
    assert r <= POINT_R, f"women's share and award rate: r = {r:.2f}"


def test_award_rates_title_states_the_drawn_correlation(drawn) -> None:
    check_award_rates(drawn("grants-award-rates"))


def test_award_rates_check_fails_when_the_genders_are_swapped(ctx: FigureContext) -> None:
    swapped = Altered(ctx, data=genders_swapped(ctx.data("grants")))
    fig = draw_figure("grants-award-rates", swapped)  # type: ignore[arg-type]
    assert "more common" in figure_title(fig)  # the title follows the data ...
    with pytest.raises(AssertionError):  # ... and the point does not hold
        check_award_rates(fig)


# --- rows 3 and 5: the gender gap build-up -----------------------------------------------------


def histogram(ax, k: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Bin centres, densities and bin width of the ``k``-th histogram of ``ax`` (filled or
    an outline)."""
    patch = ax.patches[k]
    xy = patch.get_xy()
    # (x0, 0), then (x0, h0), (x1, h0), (x1, h1), ..., (xn, 0); stepfilled returns along the
    # bottom (4n + 1 vertices), step stops there (2n + 2)
    n = (len(xy) - 1) // 4 if patch.get_fill() else (len(xy) - 2) // 2
    top = xy[1 : 2 * n + 1]
    lefts, heights = top[0::2, 0], top[0::2, 1]
    width = float(np.mean(top[1::2, 0] - lefts))
    return lefts + width / 2, heights, width


def read_gap(ax, k: int, prob: float = 0.94) -> dict[str, float]:
    """Mean, equal-tailed interval and share above 0 of the ``k``-th gap, from its histogram."""
    centres, heights, width = histogram(ax, k)
    mass = heights * width
    cdf = np.cumsum(mass) / mass.sum()
    tail = (1 - prob) / 2
    low, high = (float(np.interp(q, cdf, centres + width / 2)) for q in (tail, 1 - tail))
    above = float(mass[centres > 0].sum() / mass.sum())
    return {"mean": float(np.sum(centres * mass) / mass.sum()), "low": low, "high": high,
            "above": above, "width": width}  # fmt: skip


def agrees(printed: float, read: float, width: float) -> bool:
    return abs(printed - read) <= width + ROUNDING


def check_gap_1(fig: Figure) -> None:
    """Claim: 'men ~X pp ahead overall (94%: a to b)', X, a, b read from the histogram drawn.
    The point: at least ABOVE_ZERO of the total gap's posterior lies above 0."""
    (ax,) = fig.axes
    gap = read_gap(ax, 0)
    title = figure_title(fig)
    men = gap["mean"] > 0
    assert title.startswith("men ~" if men else "women ~"), title
    x, a, b = numbers_in(title)  # women ahead: the gap, women minus men, is printed
    expected = (gap["mean"], gap["low"], gap["high"]) if men else (
        -gap["mean"], -gap["high"], -gap["low"])  # fmt: skip
    for printed, read in zip((x, a, b), expected, strict=True):
        assert agrees(printed, read, gap["width"]), (title, gap)
    assert gap["above"] >= ABOVE_ZERO, f"only {gap['above']:.0%} of the total gap is above 0"


def check_gap_2(fig: Figure) -> None:
    """Claim: 'within disciplines the gap is X pp; its 94% interval includes 0'.

    X and the interval are read from the second histogram. The point: the direct gap is
    smaller than the total (the first histogram) and its interval includes 0.
    """
    (ax,) = fig.axes
    total, direct = read_gap(ax, 0), read_gap(ax, 1)
    title = figure_title(fig)
    (x,) = numbers_in(title)
    assert agrees(x, direct["mean"], direct["width"]), (title, direct)
    if min(abs(direct["low"]), abs(direct["high"])) > direct["width"]:  # 0 clearly in or out
        includes = direct["low"] < 0 < direct["high"]
        assert title.endswith("interval includes 0" if includes else "does not include 0")
    assert direct["mean"] < total["mean"], (direct, total)
    assert title.endswith("interval includes 0"), title


@pytest.mark.slow
def test_gap_1_title_is_read_from_the_total_gap(drawn) -> None:
    check_gap_1(drawn("grants-gender-gap-1"))


@pytest.mark.slow
def test_gap_2_title_is_read_from_the_direct_gap(drawn) -> None:
    check_gap_2(drawn("grants-gender-gap-2"))


@pytest.mark.slow
def test_gap_build_up_adds_one_layer_on_the_same_axes(drawn) -> None:
    one, two = (drawn(f"grants-gender-gap-{k}").axes[0] for k in (1, 2))
    assert (one.get_xlim(), one.get_ylim()) == (two.get_xlim(), two.get_ylim())
    assert one.get_position().bounds == two.get_position().bounds
    assert (len(one.patches), len(two.patches)) == (1, 2)
    np.testing.assert_array_equal(one.patches[0].get_xy(), two.patches[0].get_xy())


@pytest.mark.slow
def test_gap_1_check_fails_when_the_genders_are_swapped(ctx: FigureContext) -> None:
    swapped = Altered(ctx, data=genders_swapped(ctx.data("grants")))
    fig = draw_figure("grants-gender-gap-1", swapped)  # type: ignore[arg-type]
    assert figure_title(fig).startswith("women ~")
    with pytest.raises(AssertionError, match="of the total gap is above 0"):
        check_gap_1(fig)


@pytest.mark.slow
def test_gap_2_check_fails_when_the_fits_are_swapped(ctx: FigureContext) -> None:
    """Handed the total gap as the direct one and vice versa, the direct gap is no smaller."""
    swapped = Altered(ctx, swap={"gender": "gender_discipline", "gender_discipline": "gender"})
    with pytest.raises(AssertionError):
        check_gap_2(draw_figure("grants-gender-gap-2", swapped))  # type: ignore[arg-type]


# --- row 4: the causal graph -------------------------------------------------------------------


def arrows(fig: Figure) -> set[str]:
    (ax,) = fig.axes
    return {c.get_gid() for c in ax.get_children() if type(c).__name__ == "Annotation"}


def test_dag_build_up_adds_the_unobserved_cause_and_names_the_collider(drawn) -> None:
    one, two = drawn("grants-dag"), drawn("grants-dag-2")
    assert arrows(one) == {"G->D", "D->A", "G->A"}
    assert arrows(two) == arrows(one) | {"U->D", "U->A"}
    texts = [" ".join(t.get_text() for t in f.axes[0].texts) for f in (one, two)]
    assert "indirect: G → D → A" in texts[0] and "direct: G → A" in texts[0]
    assert "U" not in texts[0].split() and "collider" in texts[1]
    assert one.axes[0].get_xlim() == two.axes[0].get_xlim()
    assert one.axes[0].get_position().bounds == two.axes[0].get_position().bounds


# --- row 6: discipline shrinkage ---------------------------------------------------------------


def read_moves(fig: Figure) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Applications (tick labels), start and end of each discipline's arrow, bottom row first."""
    ax = fig.axes[0]
    moves = [c for c in ax.get_children() if str(c.get_gid()).startswith("move ")]
    ys = [c.xy[1] for c in moves]
    moves = [moves[i] for i in np.argsort(ys)]
    start = np.array([c.xyann[0] for c in moves])
    end = np.array([c.xy[0] for c in moves])
    apps = [int(re.search(r"\((\d+)\)$", t.get_text())[1]) for t in ax.get_yticklabels()]
    return np.array(apps, dtype=float), start, end


def check_shrinkage(fig: Figure) -> None:
    """Claim: what the size of each arrow follows, with the rank correlations recomputed.

    From the arrows (start: fixed prior, end: multilevel prior) and the applications in the
    tick labels: the Spearman correlations of |move| with applications and with |start|;
    the title's wording follows them (FEWEST_RANK). The point: every discipline ends closer
    to the average (within WOBBLE), the furthest move most, and tau's posterior lies below
    the fixed prior's sd (at most TAU_BEYOND beyond it, read from the tau histogram).
    """
    apps, start, end = read_moves(fig)
    assert np.all(np.diff(apps) < 0), "rows: most applications at the bottom"
    move = np.abs(end - start)
    rn = float(stats.spearmanr(apps, move)[0])
    rd = float(stats.spearmanr(np.abs(start), move)[0])
    title = figure_title(fig)
    printed = numbers_in(title)
    if rn <= -FEWEST_RANK:
        assert title.startswith("the disciplines with fewest applications move most"), title
        assert printed == pytest.approx([rn], abs=0.005)
    elif rd >= FEWEST_RANK:
        assert title.startswith("distance from the average predicts the move"), title
        worded = "hardly does" if abs(rn) < FEWEST_RANK else "does too"
        assert f"the number of applications {worded}" in title, title
        assert printed == pytest.approx([rd, rn], abs=0.005)
    else:
        assert "spread" in title and printed[-1] == pytest.approx(rn, abs=0.005), title
    assert np.all(np.abs(end) <= np.abs(start) + WOBBLE), "a discipline moved away from the average"
    assert rd >= FEWEST_RANK, f"the furthest do not move most (rank correlation {rd:.2f})"
    tau_ax = fig.axes[1]
    (line,) = tau_ax.get_lines()
    sd = line.get_xdata()[0]
    heights = np.array([p.get_height() for p in tau_ax.patches])
    lefts = np.array([p.get_x() for p in tau_ax.patches])
    mass = heights * np.array([p.get_width() for p in tau_ax.patches])
    assert mass[lefts >= sd].sum() / mass.sum() <= TAU_BEYOND


@pytest.mark.slow
def test_shrinkage_title_states_what_the_arrows_follow(drawn) -> None:
    check_shrinkage(drawn("grants-discipline-shrinkage"))


@pytest.mark.slow
def test_shrinkage_check_fails_when_the_fits_are_swapped(ctx: FigureContext) -> None:
    """With the multilevel fit as the fixed prior's and vice versa, the arrows point outwards."""
    swapped = Altered(
        ctx, swap={"gender_discipline": "multilevel", "multilevel": "gender_discipline"}
    )
    swapped.fit = _with_tau(swapped, ctx)  # type: ignore[method-assign]
    with pytest.raises(AssertionError, match="moved away from the average"):
        check_shrinkage(draw_figure("grants-discipline-shrinkage", swapped))  # type: ignore[arg-type]


def _with_tau(altered: Altered, ctx: FigureContext) -> Callable:
    """The swapped fits, but the fixed-prior fit (which has no tau) keeps the multilevel's tau."""

    def fit(case: str, model: str, **options: Any):
        idata = Altered.fit(altered, case, model, **options)
        if "tau" not in idata.posterior:
            idata = idata.copy()
            idata.posterior["tau"] = ctx.fit(case, "multilevel").posterior["tau"]
        return idata

    return fit


# --- every grants figure ------------------------------------------------------------------------


#: The grants figures that draw no fit (fast enough for every test run).
NO_FITS = ("grants-award-rates", "grants-dag", "grants-dag-2")


@pytest.mark.parametrize(
    "name",
    [
        e.name if e.name in NO_FITS else pytest.param(e.name, marks=pytest.mark.slow)
        for e in FIGURES
    ],
)
def test_grants_figures_read_well_at_slide_size_and_claim_their_title(drawn, name: str) -> None:
    fig = drawn(name)
    assert slide_problems(fig) == []
    claim = claim_of(fig)
    if name.startswith("grants-dag"):
        assert claim is None  # a diagram: no claim
    else:
        assert claim is not None and claim.text == figure_title(fig)
        assert all(np.isfinite(v) for v in claim.numbers.values())
