"""The grouped case's figures: each title's claim recomputed from the drawn artists.

One session-wide FigureContext on the cafés (the grouped case's default table) with a private
fit store and short chains; each figure is drawn once (``drawn``). The falsification tests
draw a figure from changed data, keep the first figure's title, and show the check fails. The
CLI test renders ``figures --case grouped`` on a table whose columns have dots, spaces and a
dollar sign.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from teachkit.cases.grouped.advice import DATA_DOMINATE
from teachkit.cases.grouped.figures import (
    FIGURES,
    area_ratio,
    funnel_reason,
    group_sd,
    shrinkage_1d_figure,
)
from teachkit.cases.grouped.figures_common import effect_labels
from teachkit.cases.grouped.plots import (
    column_label,
    inside_share,
    plot_group_lines,
    plot_group_predictive,
    plot_prior_lines,
)
from teachkit.cli import main
from teachkit.figure_entry import figure_title
from teachkit.figures import FigureContext, draw_figure, registered_figures
from teachkit.plots.funnel import FunnelDraws, plot_funnel_neck
from teachkit.plots.lint import slide_problems
from teachkit.plots.population import (
    NARROWS,
    plot_alpha_beta_population,
    plot_new_station,
    significant,
)
from teachkit.plots.shrinkage import ShrinkagePanel, plot_shrinkage_pair
from teachkit.plots.style import SLIDE_PIXELS, slide_style
from teachkit.store import FitStore

SETTINGS = {"draws": 300, "tune": 300, "chains": 2, "seed": 1}
NAMES = [e.name for e in FIGURES]
#: Numbers in titles are printed to 3 significant digits (or whole percents): a recomputed
#: number agrees with the title's to half a unit in its last printed digit.
PERCENT = 0.5


@pytest.fixture(scope="session")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> FigureContext:
    store = FitStore(tmp_path_factory.mktemp("grouped-figure-fits"))
    return FigureContext("real", store=store, **SETTINGS)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def drawn(ctx: FigureContext) -> Callable[[str], Figure]:
    cache: dict[str, Figure] = {}

    def draw(name: str) -> Figure:
        if name not in cache:
            cache[name] = draw_figure(name, ctx, case="grouped")
        return cache[name]

    return draw


def numbers(text: str) -> list[float]:
    """The numbers of a title, typeset minus signs read as minus."""
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", text.replace("−", "-"))]


def printed(text: str) -> list[tuple[float, int]]:
    """The numbers of a text with their decimals: "−2.37 to 0.12" gives (-2.37, 2), (0.12, 2)."""
    found = re.findall(r"-?\d+(?:\.(\d+))?", text.replace("−", "-"))
    values = re.findall(r"-?\d+(?:\.\d+)?", text.replace("−", "-"))
    return [(float(v), len(d)) for v, d in zip(values, found, strict=True)]


def agrees(shown: tuple[float, int], value: float) -> bool:
    """``value`` rounds to the printed number: within half a unit of its last printed digit."""
    number, decimals = shown
    return abs(number - value) <= 0.5 * 10.0**-decimals + 1e-12


def scatter(ax, label: str) -> np.ndarray:
    (coll,) = [c for c in ax.collections if c.get_label() == label]
    return np.asarray(coll.get_offsets(), dtype=float)


# --- fast: what is registered and where it is listed ------------------------------------------


def test_grouped_figures_are_the_grouped_cases_not_the_lectures() -> None:
    assert list(registered_figures("grouped")) == NAMES and len(NAMES) == 10
    assert not set(NAMES) & set(registered_figures())  # not in the gallery or the README
    assert all(e.row is None and e.point for e in FIGURES)


def test_list_with_case_prints_the_grouped_figures(capsys) -> None:
    assert main(["figures", "--list", "--case", "grouped"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == NAMES


def test_table_options_need_a_case(capsys) -> None:
    assert main(["figures", "--y", "wait", "--out", "x"]) == 2
    assert "need --case" in capsys.readouterr().err


def test_column_names_are_shown_as_given() -> None:
    assert column_label("cost $") == r"cost \$"


def test_prior_lines_claim_fails_on_other_data() -> None:
    """Falsification: the share of prior lines inside the data's range, drawn on data with
    ten times the spread, no longer matches the first figure's title."""
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 1, 50), rng.normal(0, 1, 50)
    a, b = rng.normal(0, 3, 200), rng.normal(0, 3, 200)
    with slide_style():
        fig = plot_prior_lines(x, y, a, b, labels=("x", "y")).figure
        check_prior_lines(fig)
        other = plot_prior_lines(x, 10 * y, a, b, labels=("x", "y")).figure
        other.suptitle(figure_title(fig))
        with pytest.raises(AssertionError):
            check_prior_lines(other)


def test_predictive_claim_fails_on_shuffled_groups() -> None:
    """Falsification: observed means shuffled across groups fall outside their intervals."""
    rng = np.random.default_rng(2)
    truth = np.linspace(0, 10, 12)
    reps = truth + rng.normal(0, 0.3, (400, 12))
    with slide_style():
        fig = plot_group_predictive(truth, reps, [str(j) for j in range(12)], label="y").figure
        check_predictive(fig)
        other = plot_group_predictive(truth[::-1], reps, [str(j) for j in range(12)],
                                      label="y").figure  # fmt: skip
        other.suptitle(figure_title(fig))
        with pytest.raises(AssertionError):
            check_predictive(other)


def _lines_data(slopes: np.ndarray) -> tuple:
    rng = np.random.default_rng(4)
    idx = np.repeat(np.arange(len(slopes)), 10)
    x = np.tile(np.linspace(0, 1, 10), len(slopes))
    y = 3 + slopes[idx] * x + rng.normal(0, 0.2, len(x))
    return x, y, idx


def test_group_lines_claim_fails_on_other_slopes() -> None:
    """Falsification: the slopes' range, drawn with every slope doubled, no longer matches the
    first figure's title; the named groups are called by their column ("cafe 3")."""
    slopes = np.array([-2.37, -1.0, -0.5, 0.117])
    x, y, idx = _lines_data(slopes)
    names = [f"cafe {j}" for j in range(4)]
    with slide_style():
        fig = plot_group_lines(x, y, idx, np.full(4, 3.0), slopes, names,
                               labels=("t", "y")).figure  # fmt: skip
        check_group_lines(fig)
        assert "from −2.37 to 0.12" in figure_title(fig)  # shared decimals
        labels = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "slope label"]
        assert labels == ["cafe 3: highest slope, 0.12", "cafe 0: lowest slope, −2.37"]
        other = plot_group_lines(x, y, idx, np.full(4, 3.0), 2 * slopes, names,
                                 labels=("t", "y")).figure  # fmt: skip
        other.suptitle(figure_title(fig))
        with pytest.raises(AssertionError):
            check_group_lines(other)


def test_shrinkage_1d_claim_fails_when_groups_move_further() -> None:
    """Falsification: the median share moved, drawn with partial estimates moved twice as far,
    no longer matches the first figure's title. A group next to the mean (share noisy) does
    not sway the median."""
    own = np.array([1.0, 2.0, 3.45, 5.0, 6.0])
    pooled = 3.5
    partial = own + 0.1 * (pooled - own) + np.array([0, 0, 0.03, 0, 0])
    kw = {"names": list("ABCDE"), "rows": np.full(5, 10), "label": "a"}
    with slide_style():
        fig = shrinkage_1d_figure(own, partial, pooled, **kw).figure
        check_shrinkage_1d(fig)
        assert numbers(figure_title(fig))[0] == 10
        other = shrinkage_1d_figure(own, own + 0.2 * (pooled - own), pooled, **kw).figure
        other.suptitle(figure_title(fig))
        with pytest.raises(AssertionError):
            check_shrinkage_1d(other)


def _new_group_figure(rho: float) -> Figure:
    rng = np.random.default_rng(8)
    cov = np.array([[400.0, 20 * 6 * rho], [20 * 6 * rho, 36.0]])
    draws = rng.multivariate_normal([250.0, 10.0], cov, 600)
    independent = rng.multivariate_normal([250.0, 10.0], np.diag([400.0, 36.0]), 600)
    est = rng.multivariate_normal([250.0, 10.0], cov, 6)
    predictive = {"independent": independent, "covarying": draws}
    return plot_new_station(predictive, {k: est for k in predictive}, noun="group")


def test_new_group_title_follows_the_conditional_sd() -> None:
    """Both branches from drawn draws: rho = -0.8 narrows the slope (sd given alpha about
    0.6 of the marginal), rho = 0 hardly does; each title, put on the other figure, fails."""
    with slide_style():
        tilted, round_ = _new_group_figure(-0.8), _new_group_figure(0.0)
        check_new_group(tilted)
        check_new_group(round_)
        assert "The covarying model predicts" in figure_title(tilted)
        assert "Knowing a new group's intercept hardly narrows" in figure_title(round_)
        tilted.suptitle(figure_title(round_))
        with pytest.raises(AssertionError):
            check_new_group(tilted)


def test_ellipse_styles_agree_across_the_population_slides() -> None:
    """Shrinkage and alpha-beta slides draw 50% dashed and 94% solid, and alpha-beta keys
    them even when there are too many groups to name."""
    rng = np.random.default_rng(9)
    own = rng.normal(0, 1, (4, 2))
    panel = ShrinkagePanel(own, 0.5 * own, [0.0, 0.0], np.eye(2))
    a, b = rng.normal(0, 1, (50, 20)), rng.normal(0, 1, (50, 20))
    with slide_style():
        fig = plot_shrinkage_pair({"a": panel, "b": panel}, np.full(4, 10), list("ABCD"))
        for ax in fig.axes[:2]:
            check_ellipse_styles(ax)
        ax = plot_alpha_beta_population(a, b, [0, 0], np.eye(2), [str(j) for j in range(20)],
                                        r_of="the groups' posterior-mean\nintercepts and slopes",
                                        name_groups=False)  # fmt: skip
        check_alpha_beta(ax.figure)
        assert len(ax.get_legend().get_texts()) == 3  # means and two ellipses, no group


def test_effect_units_add_no_second_parentheses() -> None:
    frame = pd.DataFrame({"group": ["a"], "x": [0.0], "y": [1.0]})
    frame.attrs["columns"] = {"y": "Reaction (ms)", "x": "Days", "group": "Subject"}
    assert effect_labels(frame)[1] == r"slope $\beta_j$: Reaction (ms) per unit of Days"
    frame.attrs["columns"]["y"] = "wait"
    assert effect_labels(frame)[1] == r"slope $\beta_j$ (wait per unit of Days)"


def test_group_sd_is_each_groups_sample_sd() -> None:
    rng = np.random.default_rng(5)
    idx = rng.integers(0, 4, 40)
    idx[0] = 3  # group 3 has rows; group 4 has none
    values = rng.normal(0, 1, (3, 40))
    got = group_sd(values, idx, 5)
    for r in range(3):
        ref = pd.Series(values[r]).groupby(idx).std(ddof=1).reindex(range(5))
        np.testing.assert_allclose(got[r], ref.to_numpy(), rtol=1e-10)
    assert np.isnan(got[:, 4]).all()


def test_spread_check_flags_a_group_noisier_than_the_rest() -> None:
    """Falsification of the predictive check of spread: one group's rows scatter four times
    as much as the shared sigma allows; its sd falls outside its interval, so the first
    figure's count no longer holds."""
    rng = np.random.default_rng(6)
    idx = np.repeat(np.arange(12), 15)
    replicated = group_sd(rng.normal(0, 1, (400, len(idx))), idx, 12)
    observed = group_sd(rng.normal(0, 1, len(idx)), idx, 12)
    names = [str(j) for j in range(12)]
    noisy = observed.copy()
    noisy[5] *= 4
    with slide_style():
        fig = plot_group_predictive(observed, replicated, names, label="sd", statistic="sd")
        fig = fig.figure
        check_predictive(fig)
        assert "groups' observed sd of y lies inside" in figure_title(fig)
        other = plot_group_predictive(noisy, replicated, names, label="sd", statistic="sd")
        other.figure.suptitle(figure_title(fig))
        with pytest.raises(AssertionError):
            check_predictive(other.figure)


def test_funnel_reason_follows_kappa() -> None:
    """The funnel's note: data that outweigh the prior pin the intercept; otherwise a funnel."""
    assert "barely opens" in funnel_reason("cafe 1", 10, DATA_DOMINATE)
    assert "into a funnel" in funnel_reason("cafe 1", 2, 0.9 * DATA_DOMINATE)
    assert r"\approx$ 38 times" in funnel_reason("cafe 1", 10, 38.2)


def test_funnel_ticks_are_plain_numbers() -> None:
    """The log axis reads 0.6, 1, not 6×10⁻¹, 10⁰ (shared with the ozone funnel)."""
    rng = np.random.default_rng(7)
    log_sd = rng.uniform(np.log(0.5), np.log(1.6), 300)
    panel = FunnelDraws(rng.normal(0, 1, 300), log_sd, np.zeros(300, bool), "$x$")
    with slide_style():
        fig = plot_funnel_neck({"centred": panel, "non-centred": panel}, float(log_sd.min()))
        fig.canvas.draw()
        ax = fig.axes[0]
        texts = [t.get_text() for t in ax.get_yticklabels(which="both") if t.get_text()]
    assert texts and all(re.fullmatch(r"\d+(\.\d+)?", t) for t in texts)
    assert "1" in texts


# --- the checks: each title against what is drawn ----------------------------------------------


def check_prior_lines(fig: Figure) -> None:
    ax = fig.axes[0]
    lines = np.array([ln.get_ydata() for ln in ax.lines if ln.get_gid() == "prior line"])
    y = scatter(ax, "data")[:, 1]
    share = inside_share(lines, y.min(), y.max())
    title = figure_title(fig)
    assert numbers(title)[0] == pytest.approx(100 * share, abs=PERCENT)
    assert f"of {len(lines)} prior lines" in title


def check_group_lines(fig: Figure) -> None:
    """The title's count and slope range, and the two labels' slopes, as the lines drawn."""
    ax = fig.axes[0]
    slopes = [np.diff(ln.get_ydata())[0] / np.diff(ln.get_xdata())[0] for ln in ax.lines
              if ln.get_gid() in ("highlight", "other")]  # fmt: skip
    (n, _), low, high = printed(figure_title(fig))[:3]
    assert n == len(slopes) and agrees(low, min(slopes)) and agrees(high, max(slopes))
    assert low[1] == high[1]  # the two slopes read alike
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "slope label"]
    assert "highest slope" in labels[0] and "lowest slope" in labels[1]
    assert agrees(printed(labels[0])[-1], max(slopes))
    assert agrees(printed(labels[1])[-1], min(slopes))


def check_intercepts(fig: Figure) -> None:
    ax = fig.axes[0]
    own = scatter(ax, "no pooling: the group's own line")[:, 0]
    partial = scatter(ax, "partial pooling, 94% interval")[:, 0]
    sd_own, sd_partial = printed(figure_title(fig))[-2:]
    assert agrees(sd_own, np.std(own, ddof=1)) and agrees(sd_partial, np.std(partial, ddof=1))


def check_shrinkage_1d(fig: Figure) -> None:
    """The title's median share of the way moved, from the drawn points and the mean's line."""
    ax = fig.axes[0]
    own = scatter(ax, "own estimate (no pooling)")
    partial = scatter(ax, "partial pooling")
    own, partial = own[np.argsort(own[:, 1])], partial[np.argsort(partial[:, 1])]
    (pooled,) = {ln.get_xdata()[0] for ln in ax.lines if ln.get_label() == "population mean"}
    share = (own[:, 0] - partial[:, 0]) / (own[:, 0] - pooled)
    assert numbers(figure_title(fig))[0] == pytest.approx(100 * np.median(share), abs=PERCENT)


def check_shrinkage_2d(fig: Figure) -> None:
    ratios = []
    for ax in fig.axes[:2]:
        check_ellipse_styles(ax)
        own = scatter(ax, "own estimate (no pooling)")
        partial = scatter(ax, "partial pooling")
        ratios.append(area_ratio(own, partial))
    shown = numbers(figure_title(fig))
    assert shown[0] == pytest.approx(100 * ratios[0], abs=PERCENT)
    assert shown[1] == pytest.approx(100 * ratios[1], abs=PERCENT)


def check_alpha_beta(fig: Figure) -> None:
    """r of the drawn posterior means, named as such; the ellipses keyed with the slides' styles."""
    ax = fig.axes[0]
    means = scatter(ax, "group means")
    r = float(np.corrcoef(means.T)[0, 1])
    title = figure_title(fig)
    assert title.startswith("r of the groups' posterior-mean\nintercepts and slopes = ")
    assert numbers(title)[0] == pytest.approx(r, abs=0.005)
    check_ellipse_styles(ax)
    keyed = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"50% ellipse", "94% ellipse"} <= set(keyed)


def check_ellipse_styles(ax) -> None:
    """Every grouped slide: 50% dashed, 94% solid."""
    styles = {ln.get_label(): ln.get_linestyle() for ln in ax.lines if "ellipse" in ln.get_label()}
    assert styles == {"50% ellipse": "--", "94% ellipse": "-"}


def check_new_group(fig: Figure) -> None:
    """The sds from the drawn covarying draws; the title claims the intercept predicts the
    slope only when the sd given it is at most NARROWS of the marginal one."""
    xy = scatter(fig.axes[-1], "new-group draws")
    c = np.cov(xy.T)
    title = figure_title(fig)
    given, marginal = printed(title)
    assert agrees(marginal, np.sqrt(c[1, 1]))
    assert agrees(given, np.sqrt(c[1, 1] - c[0, 1] ** 2 / c[0, 0]))
    narrows = np.sqrt(1 - c[0, 1] ** 2 / (c[0, 0] * c[1, 1])) <= NARROWS
    lead = "predicts a new group's slope from its intercept" if narrows else "hardly narrows"
    assert lead in title
    for ax in fig.axes:
        check_ellipse_styles(ax)
    (bar_text,) = [t.get_text() for t in fig.axes[0].texts if "thick bar" in t.get_text()]
    (at,) = [ln.get_xdata()[0] for ln in fig.axes[0].lines if ln.get_label().startswith("94% of")]
    assert f"is {significant(at)} (" in bar_text


def check_funnel(fig: Figure) -> None:
    counts = []
    for ax in fig.axes[:2]:
        (coll,) = [c for c in ax.collections if c.get_label().startswith("divergent")]
        counts.append(len(coll.get_offsets()))
    n_c, _, n_n = numbers(figure_title(fig))
    assert (n_c, n_n) == tuple(counts)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels(which="both") if t.get_text()]
    assert ticks and all(re.fullmatch(r"\d+(\.\d+)?", t) for t in ticks)


def check_loo(fig: Figure) -> None:
    ratio = numbers(figure_title(fig))[0]
    texts = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == "comparison"]
    drawn = [numbers(t)[-1] for t in texts] or [
        numbers(t.get_text())[-1] for t in fig.axes[1].texts if "dse" in t.get_text()
    ]
    assert ratio in drawn


def check_predictive(fig: Figure) -> None:
    ax = fig.axes[0]
    intervals = [ln.get_xdata() for ln in ax.lines if ln.get_gid() == "interval"]
    rows = [ln.get_ydata()[0] for ln in ax.lines if ln.get_gid() == "interval"]
    observed = scatter(ax, "observed")
    at = {y: x for x, y in observed}
    inside = sum(lo <= at[r] <= hi for (lo, hi), r in zip(intervals, rows, strict=True))
    k, n = numbers(figure_title(fig))[:2]
    assert (k, n) == (inside, len(observed))


CHECKS: dict[str, Callable[[Figure], None]] = {
    "grouped-prior-predictive": check_prior_lines,
    "grouped-lines": check_group_lines,
    "grouped-intercepts": check_intercepts,
    "grouped-shrinkage-1d": check_shrinkage_1d,
    "grouped-shrinkage-2d": check_shrinkage_2d,
    "grouped-alpha-beta": check_alpha_beta,
    "grouped-new-group": check_new_group,
    "grouped-funnel": check_funnel,
    "grouped-loo": check_loo,
    "grouped-posterior-predictive": check_predictive,
}


def test_every_figure_has_a_check() -> None:
    assert set(CHECKS) == set(NAMES)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_each_title_is_true_of_what_is_drawn(name: str, drawn) -> None:
    fig = drawn(name)
    CHECKS[name](fig)
    claim = getattr(fig, "teachkit_claim", None)
    assert claim is not None and claim.text == figure_title(fig)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_each_figure_reads_well_at_slide_size(name: str, drawn) -> None:
    assert slide_problems(drawn(name)) == []


@pytest.mark.slow
def test_cli_renders_a_users_table_with_awkward_column_names(tmp_path: Path) -> None:
    """Dotted, spaced and dollar-signed names: the labels show them as given."""
    rng = np.random.default_rng(3)
    groups = np.repeat([f"county {k}" for k in "ABCDEF"], 12)
    x = np.tile(np.arange(12.0), 6)
    y = 1.0 + 0.2 * x + rng.normal(0, 0.5, len(x)) + np.repeat(rng.normal(0, 1, 6), 12)
    table = tmp_path / "radon.csv"
    pd.DataFrame({"log.radon": y, "wait time $": x, "the county": groups}).to_csv(
        table, index=False
    )
    out = tmp_path / "figs"
    argv = ["figures", "--case", "grouped", "--data", str(table), "--y", "log.radon",
            "--x", "wait time $", "--group", "the county", "--only",
            "grouped-prior-predictive,grouped-lines", "--out", str(out), "--draws", "200",
            "--tune", "200", "--store", str(tmp_path / "store"), "-q"]  # fmt: skip
    assert main(argv) == 0
    for name in ("grouped-prior-predictive", "grouped-lines"):
        image = mpimg.imread(out / f"{name}.png")
        assert (image.shape[1], image.shape[0]) == SLIDE_PIXELS
