"""The explorer built from a user's own table, in a real browser (tabs 4 and 5).

The table is simulated radon-like data whose column names have a dot, a space, quotes and
'<' (``log.radon``, ``floor level``, ``county "<name>"``) and whose group labels have spaces,
an apostrophe, markup and even ``</script>``; one group has a single floor, so its
no-pooling line is not determined. The page is built as ``teachkit explorer --case grouped``
builds it (:func:`teachkit.explorer.build_grouped_explorer`), tab 5 from a short fit of the
grouped covarying model (2 chains x 300 draws) in a private fit store. Every test fails on a
console error or a network request (the ``explorer`` fixture of ``test_browser.py``).

Screenshots of tabs 4 and 5 go to ``$TEACHKIT_EXPLORER_SHOTS`` when set (``grouped-4-pool.png``,
``grouped-5-post.png``), else to a temporary folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from teachkit.cases.grouped.table import Columns, tidy_grouped_table
from teachkit.explorer import build_grouped_explorer, grouped_pooling_data
from teachkit.explorer.tab_posterior import LINE_DRAWS
from teachkit.pipeline import fit_model
from teachkit.registry import get_case
from teachkit.store import FitStore
from tests.explorer import test_browser
from tests.explorer.test_browser import (
    _DEEP_BOXES,
    FLOAT_RTOL,
    PROJECTOR,
    Explorer,
    _assert_fits_the_window,
    _click_presenter_button,
    _open_at,
)

# the browser, a page in it that fails the test on console errors, and the screenshots' folder
browser = test_browser.browser
explorer = test_browser.explorer
shots = test_browser.shots

pytestmark = pytest.mark.slow

COLUMNS = {"y": "log.radon", "x": "floor level", "group": 'county "<name>"'}
#: Groups and their sizes; the page and the models order them by code point (sorted()).
GROUPS = {
    "county A": 40,
    "county B": 25,
    "O'Brien": 12,
    '<i>Lake</i> & "Co"': 9,
    "a</script>b": 6,
    "St. Louis": 30,
    "Zumbro": 5,  # every home on floor 0: no least-squares line
}
SINGLE_FLOOR = "Zumbro"
#: The short fit of the tests.
FIT = {"draws": 300, "tune": 300, "chains": 2, "seed": 1}


def radon_table(seed: int = 7) -> pd.DataFrame:
    """Simulated log radon against floor (0/1) by county, intercepts and slopes correlated."""
    rng = np.random.default_rng(seed)
    rows = []
    for name, n in GROUPS.items():
        a = 1.3 + rng.normal(0, 0.35)
        b = -0.7 - 0.5 * (a - 1.3) + rng.normal(0, 0.15)
        floor = np.zeros(n) if name == SINGLE_FLOOR else rng.binomial(1, 0.4, n).astype(float)
        floor[:2] = [0.0, 0.0 if name == SINGLE_FLOOR else 1.0]
        y = a + b * floor + rng.normal(0, 0.6, n)
        rows += [
            {COLUMNS["y"]: yy, COLUMNS["x"]: f, COLUMNS["group"]: name}
            for yy, f in zip(y, floor, strict=True)
        ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("explorer-grouped")
    csv = folder / "radon odd.csv"
    radon_table().to_csv(csv, index=False)
    study = get_case("grouped").configured(columns=COLUMNS)
    store = FitStore(folder / "store")
    fit_page = build_grouped_explorer(folder / "fit.html", study, str(csv), store=store, **FIT)
    centred = study.configured(center_x=True)
    return {
        "csv": csv,
        "table": tidy_grouped_table(pd.read_csv(csv), Columns(**COLUMNS)),
        "fit": fit_page,
        "centred": build_grouped_explorer(folder / "centred.html", centred, str(csv), fit=False),
        "idata": fit_model(study, "covarying", str(csv), store=store, **FIT).idata,
    }


def _axis_labels(explorer: Explorer, source: str) -> tuple[str, str]:
    """The x and y axis labels of the figure that draws the data source ``source``."""
    return tuple(
        explorer.page.evaluate(
            """name => {
                const fig = [...Bokeh.documents[0].all_models].find(m => m.type === 'Figure'
                    && m.renderers.some(r => r.data_source && r.data_source.name === name));
                const text = l => typeof l === 'string' ? l : l.text;
                return [text(fig.below[0].axis_label), text(fig.left[0].axis_label)];
            }""",
            source,
        )
    )


def _numpy_pooling(
    table: pd.DataFrame, group: str, days: int, hyper: dict[str, float], mu: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """No-pooling and conditional-posterior (alpha, beta) of one group from given rows."""
    rows = table[table["group"] == group].iloc[:days]
    u = rows["x"].to_numpy()
    y = rows["y"].to_numpy()
    sa, sb, rho, sigma = (hyper[k] for k in ("sigma_alpha", "sigma_beta", "rho", "sigma"))
    prior = np.linalg.inv(np.array([[sa * sa, rho * sa * sb], [rho * sa * sb, sb * sb]]))
    X = np.column_stack([np.ones_like(u), u])
    ls = np.linalg.solve(X.T @ X, X.T @ y) if np.ptp(u) > 0 else np.full(2, np.nan)
    post = np.linalg.solve(prior + X.T @ X / sigma**2, prior @ np.asarray(mu) + X.T @ y / sigma**2)
    return ls, post


def _page_rows(explorer: Explorer, group: str) -> pd.DataFrame:
    """The rows the page holds for ``group``, in its order (x, y)."""
    data = explorer.columns("pool_data")
    names = explorer.model("pool_groups")["data"]["name"]
    j = names.index(group)
    keep = data["group"] == j
    return pd.DataFrame({"x": data["x"][keep], "y": data["y"][keep]})


# ---------------------------------------------------------------------------------------------


def test_user_tabs_show_the_users_names_and_are_captured(
    explorer: Explorer, user: dict[str, Any], shots: Path
) -> None:
    explorer.open(user["fit"])
    explorer.tab("pool")
    labels = sorted(GROUPS)
    assert explorer.model("pool_group")["options"] == labels
    assert explorer.model("pool_group")["title"] == 'county "<name>" (right panel)'
    assert explorer.model("pool_days")["title"] == 'rows per county "<name>" (log scale)'
    assert _axis_labels(explorer, "pool_group_points") == ("floor level", "log.radon")
    assert _axis_labels(explorer, "pool_estimates") == (
        "intercept α_j (log.radon at floor level = 0)",
        "slope β_j (log.radon per unit of floor level)",
    )
    description = explorer.page.locator(".tk-description >> visible=true").inner_text()
    assert 'radon odd.csv data: fewer rows per county "<name>"' in description
    # the user's labels show as written, markup and all, in the readout and the colour key
    for label in ('<i>Lake</i> & "Co"', "a</script>b"):
        explorer.select("pool_group", label)
        readout = explorer.page.locator(".tk-settings >> visible=true").last.inner_text()
        assert readout.startswith(f"{label}: no pooling")
    key = explorer.page.locator(".tk-formula >> visible=true").last.inner_text()
    assert all(label in key for label in labels)
    _assert_no_ozone_words(explorer)
    explorer.page.screenshot(path=str(shots / "grouped-4-pool.png"))

    explorer.tab("post")
    assert explorer.model("post_group")["options"] == labels
    assert _axis_labels(explorer, "post_group_points") == ("floor level", "log.radon")
    explorer.select("post_group", "a</script>b")
    readout = explorer.page.locator(".tk-settings >> visible=true").last.inner_text()
    assert readout.startswith("a</script>b: ") and "of its rows drawn" in readout
    _assert_no_ozone_words(explorer)
    explorer.page.screenshot(path=str(shots / "grouped-5-post.png"))

    explorer.tab("gp")  # no coordinates: one line says so, and nothing is drawn
    assert (
        "needs each group's coordinates"
        in explorer.page.locator(".tk-description >> visible=true").inner_text()
    )
    assert explorer.page.evaluate("Bokeh.documents[0].get_model_by_name('gp_stations')") is None


def _assert_no_ozone_words(explorer: Explorer) -> None:
    """Nothing of the lecture's ozone data in what the tab shows (its text and plot labels)."""
    shown = explorer.page.locator("body").inner_text() + " ".join(
        explorer.page.evaluate(
            """() => [...Bokeh.documents[0].all_models].flatMap(m => m.type === 'Figure'
                ? [m.title ? m.title.text : '', ...[...m.below, ...m.left].map(a =>
                    typeof a.axis_label === 'string' ? a.axis_label : (a.axis_label || {}).text
                    || '')] : m.type === 'LegendItem' ? [m.label.value || ''] : [])"""
        )
    )
    for word in ("°C", "µg/m³", "station", "ozone", "temperature", "days"):
        assert word not in shown, word


@pytest.mark.parametrize(
    "moves",
    [
        {},
        {"pool_days": 0.3, "pool_rho": 0.9},
        {"pool_days": 1.0, "pool_sigma_alpha": 0.8, "pool_sigma_beta": 0.1},
        {"pool_days": 0.0},
    ],
)
def test_pooling_on_user_data_matches_numpy(
    explorer: Explorer, user: dict[str, Any], moves: dict[str, float]
) -> None:
    """Every group's estimates, and the chosen group's rows and lines, after the sliders move."""
    explorer.open(user["fit"])
    explorer.tab("pool")
    for slider, fraction in moves.items():
        explorer.drag(slider, fraction)
    hyper = {
        k: float(explorer.model(f"pool_{k}")["value"])
        for k in ("sigma_alpha", "sigma_beta", "rho", "sigma")
    }
    days = int(explorer.number("days"))
    assert 1 <= days <= max(GROUPS.values())
    page = explorer.columns("pool_estimates")
    names = explorer.model("pool_groups")["data"]["name"]
    settings = grouped_pooling_data(user["table"], source="t").settings
    mu = (settings.mu_alpha, settings.mu_beta)
    for j, group in enumerate(names):
        rows = _page_rows(explorer, group)
        ls, post = _numpy_pooling(rows.assign(group=group), group, days, hyper, mu)
        used = min(days, len(rows))
        assert page["n_days"][j] == used
        np.testing.assert_allclose(page["pp_alpha"][j], post[0], rtol=FLOAT_RTOL)
        np.testing.assert_allclose(page["pp_beta"][j], post[1], rtol=FLOAT_RTOL)
        if np.all(np.isfinite(ls)) and used >= 2:
            np.testing.assert_allclose(page["np_alpha"][j], ls[0], rtol=1e-6)
            np.testing.assert_allclose(page["np_beta"][j], ls[1], rtol=1e-6)
        else:
            assert np.isnan(page["np_alpha"][j]) and np.isnan(page["np_beta"][j])
    # the page's rows are the table's, group by group
    table = user["table"]
    for group in names:
        np.testing.assert_array_equal(
            np.sort(_page_rows(explorer, group)["y"]),
            np.sort(table.loc[table["group"] == group, "y"]),
        )
    # the mean shrinkage skips the group whose line is not determined, so it is a number
    shrinkage = explorer.text("shrinkage")
    assert (shrinkage == "\u2014") == (days < 2)


def test_pooling_right_panel_follows_the_select(explorer: Explorer, user: dict[str, Any]) -> None:
    explorer.open(user["fit"])
    explorer.tab("pool")
    for group in ("O'Brien", SINGLE_FLOOR):
        explorer.select("pool_group", group)
        j = explorer.model("pool_groups")["data"]["name"].index(group)
        est = explorer.columns("pool_estimates")
        points = explorer.columns("pool_group_points")
        rows = _page_rows(explorer, group).iloc[: int(est["n_days"][j])]
        np.testing.assert_array_equal(points["x"], rows["x"])
        np.testing.assert_array_equal(points["y"], rows["y"])
        line = explorer.columns("pool_line_pp")
        np.testing.assert_allclose(
            line["y"], est["pp_alpha"][j] + est["pp_beta"][j] * line["x"], rtol=FLOAT_RTOL
        )


def test_posterior_tab_reads_the_grouped_fit(explorer: Explorer, user: dict[str, Any]) -> None:
    """Readouts and lines are the fit's (the whole InferenceData, not the page's thinning)."""
    post = user["idata"].posterior
    explorer.open(user["fit"])
    explorer.tab("post")

    def close(key: str, truth: float) -> None:
        text = explorer.text(key)
        decimals = len(text.partition(".")[2])
        assert abs(explorer.number(key) - truth) <= 0.5 * 10.0**-decimals + 1e-9, (key, text)

    close("rho_mean", float(post["rho"].mean()))
    for name in ("mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "sigma"):
        close(f"{name}_mean", float(post[name].mean()))
    assert int(explorer.text("n_draws")) == FIT["chains"] * FIT["draws"]
    table = user["table"]
    for group in sorted(GROUPS):
        explorer.select("post_group", group)
        close("group_alpha", float(post["alpha"].sel(group=group).mean()))
        close("group_beta", float(post["beta"].sel(group=group).mean()))
        assert len(explorer.model("post_group_draws")["data"]["xs"]) == LINE_DRAWS
        points = explorer.columns("post_group_points")
        rows = table[table["group"] == group]
        assert len(points["y"]) == len(rows)
        np.testing.assert_array_equal(np.sort(points["y"]), np.sort(rows["y"]))
        mean_line = explorer.columns("post_group_mean")
        alpha, beta = (float(post[v].sel(group=group).mean()) for v in ("alpha", "beta"))
        np.testing.assert_allclose(mean_line["y"], alpha + beta * mean_line["x"], rtol=1e-9)


def test_centred_x_draws_in_the_users_units(explorer: Explorer, user: dict[str, Any]) -> None:
    """With --center-x the intercepts are at the mean floor; the axis stays in floors."""
    center = float(user["table"]["x"].mean())
    explorer.open(user["centred"])
    explorer.tab("pool")
    assert _axis_labels(explorer, "pool_estimates")[0] == (
        f"intercept α_j (log.radon at floor level = {center:.4g})"
    )
    explorer.select("pool_group", "county A")
    j = explorer.model("pool_groups")["data"]["name"].index("county A")
    points = explorer.columns("pool_group_points")
    np.testing.assert_allclose(points["x"], np.round(points["x"]), atol=1e-12)  # floors 0, 1
    est = explorer.columns("pool_estimates")
    line = explorer.columns("pool_line_pp")
    np.testing.assert_allclose(
        line["y"], est["pp_alpha"][j] + est["pp_beta"][j] * (line["x"] - center), rtol=FLOAT_RTOL
    )
    readout = explorer.page.locator(".tk-settings >> visible=true").last.inner_text()
    assert f"(x \u2212 {center:.4g})" in readout
    # radon falls with the floor: a negative slope reads "a − b x", never "a + −b x"
    assert est["pp_beta"][j] < 0 and est["np_beta"][j] < 0
    assert "+ \u2212" not in readout, readout
    # the least-squares intercept at the mean floor, from numpy
    rows = _page_rows(explorer, "county A").iloc[: int(est["n_days"][j])]
    slope, intercept = np.polyfit(rows["x"] - center, rows["y"], 1)
    np.testing.assert_allclose([est["np_alpha"][j], est["np_beta"][j]], [intercept, slope])
    explorer.tab("post")  # built without a fit: the prior only
    assert "no fit embedded" in explorer.page.locator(".tk-badge >> visible=true").inner_text()


@pytest.mark.parametrize("number", [4, 5, 6])
def test_user_tabs_fit_a_projector(
    explorer: Explorer, user: dict[str, Any], shots: Path, number: int
) -> None:
    """At 1024 x 768, in presenter mode and out of it, nothing reaches past the window."""
    explorer.page.set_viewport_size(PROJECTOR)
    _open_at(explorer, user["fit"], f"#tab={number}&present", "present")
    assert explorer.page.locator(".bk-tab.bk-active").inner_text().startswith(f"{number} ·")
    _fits(explorer, plots=number < 6)
    explorer.page.screenshot(path=str(shots / f"grouped-projector-present-{number}.png"))
    _click_presenter_button(explorer, "normal")
    _fits(explorer, plots=number < 6)


def _fits(explorer: Explorer, *, plots: bool) -> None:
    """test_browser's check; on tab 6 (no plot) the same without asking for a canvas."""
    if plots:
        _assert_fits_the_window(explorer)
        return
    width = explorer.page.evaluate("innerWidth")
    assert explorer.page.evaluate("document.documentElement.scrollWidth") <= width
    boxes = explorer.page.evaluate(_DEEP_BOXES)
    outside = [b for b in boxes if b["right"] > width + 0.5 or b["left"] < -0.5]
    assert outside == [], f"beyond the {width}px window: {outside[:8]}"
