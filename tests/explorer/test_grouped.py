"""The explorer's data for a user's own table (no browser, no fit): labels, settings, the
posterior's reduction, the page's escaping, and ``teachkit explorer --case grouped``."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from teachkit.cases.grouped.table import Columns, tidy_grouped_table
from teachkit.cli import main
from teachkit.errors import TeachkitError
from teachkit.explorer import (
    explorer_html,
    grouped_pooling_data,
    pooling_data,
    posterior_from_grouped,
)
from teachkit.explorer.labels import OZONE_LABELS, decimals
from teachkit.explorer.pooling_settings import LECTURE_POOLING, nice_step

Models = Callable[[str], dict[str, dict[str, Any]]]
COLUMNS = Columns(y="log.radon", x="floor level", group='county "<name>"')


def odd_table(seed: int = 2, n_groups: int = 12, per_group: int = 30) -> pd.DataFrame:
    """Simulated y against a continuous x in groups, columns named with dots, spaces, quotes."""
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(n_groups), per_group)
    effects = rng.multivariate_normal([250.0, 10.0], [[600.0, -60.0], [-60.0, 36.0]], n_groups)
    x = rng.uniform(0, 9, g.size)
    y = effects[g, 0] + effects[g, 1] * x + rng.normal(0, 25, g.size)
    labels = np.array([f"county {chr(65 + j)}" for j in range(n_groups)])
    return pd.DataFrame({COLUMNS.y: y, COLUMNS.x: x, COLUMNS.group: labels[g]})


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_pooling_data_carries_the_users_names_and_units() -> None:
    raw = odd_table()
    centred = tidy_grouped_table(raw, COLUMNS)
    center = float(centred["x"].mean())
    centred["x"] -= center
    centred.attrs["x_center"] = center
    d = grouped_pooling_data(centred, source="radon.csv", max_days=20)
    assert d.group_names == tuple(sorted(raw[COLUMNS.group].unique()))
    assert d.rows_per_group().tolist() == [20] * 12
    assert d.labels.x == "floor level" and d.labels.y == "log.radon"
    assert d.labels.group == 'county "<name>"' and d.labels.rows == "rows"
    assert d.labels.intercept == f"log.radon at floor level = {center:.4g}"
    assert d.x_center == center
    # x is in the user's units again, and each group's rows are its own
    for j, name in enumerate(d.group_names):
        mine = raw[raw[COLUMNS.group] == name]
        assert set(np.round(d.x[d.group == j], 9)) <= set(np.round(mine[COLUMNS.x], 9))
        assert set(d.y[d.group == j]) <= set(mine[COLUMNS.y])
    # the lecture's data keep the lecture's words and sliders
    assert pooling_data("simulated").labels == OZONE_LABELS
    assert pooling_data("simulated").settings is LECTURE_POOLING


def test_pooling_settings_are_the_datas_moments() -> None:
    """Mu from the pooled line, sds and rho from the groups' own lines (numpy's polyfit)."""
    raw = odd_table(seed=5)
    d = grouped_pooling_data(tidy_grouped_table(raw, COLUMNS), source="t")
    s = d.settings
    slope, intercept = np.polyfit(raw[COLUMNS.x], raw[COLUMNS.y], 1)
    assert s.mu_alpha == pytest.approx(intercept, rel=1e-9)
    assert s.mu_beta == pytest.approx(slope, rel=1e-9)
    lines = np.array(
        [np.polyfit(rows[COLUMNS.x], rows[COLUMNS.y], 1) for _, rows in raw.groupby(COLUMNS.group)]
    )
    b, a = lines.T
    # the sliders start at these, rounded to their steps
    assert abs(s.sigma_alpha - np.std(a, ddof=1)) <= s.sigma_alpha_range.step / 2 + 1e-9
    assert abs(s.sigma_beta - np.std(b, ddof=1)) <= s.sigma_beta_range.step / 2 + 1e-9
    assert s.rho == pytest.approx(np.corrcoef(a, b)[0, 1], abs=0.005 + 1e-9)
    for value, r in (
        (s.sigma_alpha, s.sigma_alpha_range),
        (s.sigma_beta, s.sigma_beta_range),
        (s.sigma, s.sigma_range),
    ):
        assert r.start <= value <= r.end and 20 <= (r.end - r.start) / r.step <= 100
    # the plot reaches every group's own line
    assert s.alpha_half_width >= np.max(np.abs(a - s.mu_alpha))
    assert s.beta_half_width >= np.max(np.abs(b - s.mu_beta))
    assert s.days == 30 and s.max_rows == 30


@pytest.mark.parametrize(
    ("value", "expected"), [(0.013, 0.02), (0.02, 0.02), (3.0, 5.0), (70.0, 100.0), (1e-5, 1e-5)]
)
def test_nice_step(value: float, expected: float) -> None:
    assert nice_step(value) == expected


def test_decimals_show_two_significant_digits() -> None:
    for scale in (0.0031, 0.18, 4.2, 37.0, 1234.0):
        d = decimals(scale)
        shown = round(scale, d)
        assert shown != 0 and abs(shown - scale) / scale < 0.05, (scale, d)


def _idata(labels: list[Any], *, drop: str | None = None) -> Any:
    import arviz as az

    rng = np.random.default_rng(0)
    shape = (2, 300)
    posterior = {
        "alpha": rng.normal(300, 10, (*shape, len(labels))),
        "beta": rng.normal(10, 2, (*shape, len(labels))),
        "rho": rng.uniform(-1, 1, shape),
        "mu_alpha": rng.normal(300, 5, shape),
        "mu_beta": rng.normal(10, 0.03, shape),
        "sigma_alpha": rng.uniform(20, 30, shape),
        "sigma_beta": rng.uniform(4, 6, shape),
        "sigma": rng.uniform(25, 30, shape),
    }
    if drop:
        del posterior[drop]
    return az.from_dict(
        posterior=posterior,
        coords={"group": labels},
        dims={"alpha": ["group"], "beta": ["group"]},
    )


def _int_table() -> pd.DataFrame:
    raw = pd.DataFrame(
        {
            "y": [1.0, 2.0, 3.0, 4.0, 5.0],
            "x": [0.0, 1.0, 2.0, 0.0, 3.0],
            "g": [308, 308, 12, 12, 12],
        }
    )
    table = tidy_grouped_table(raw, Columns("y", "x", "g"))
    table.attrs["x_center"] = 1.5
    table["x"] -= 1.5
    return table


def test_posterior_from_grouped_matches_labels_and_restores_x() -> None:
    table = _int_table()
    post = posterior_from_grouped(_idata([12, 308]), table, source="ints.csv", max_draws=100)
    assert post.group_names == ("12", "308")
    assert post.n_draws == 100 and post.x_center == 1.5
    np.testing.assert_array_equal(np.sort(post.x[post.group_index == 0]), [0.0, 2.0, 3.0])
    np.testing.assert_array_equal(np.sort(post.y[post.group_index == 1]), [1.0, 2.0])
    assert post.labels.x_term == "(x − 1.5)" and post.labels.y == "y"
    # decimals follow the posterior's spread: mu_beta's sd is 0.03, mu_alpha's 5
    assert post.digits["mu_beta"] == 3 and post.digits["mu_alpha"] == 1


@pytest.mark.parametrize(
    ("labels", "drop", "match"),
    [
        ([12, 7], None, "group 7 of the fit is not in the table"),
        ([12, 308], "rho", "the fit lacks rho"),
    ],
)
def test_posterior_from_grouped_rejects(labels: list[Any], drop: str | None, match: str) -> None:
    with pytest.raises(TeachkitError, match=match):
        posterior_from_grouped(_idata(labels, drop=drop), _int_table(), source="t")


def test_user_page_escapes_its_names_and_has_no_map(embedded_models: Models) -> None:
    raw = odd_table(n_groups=3)
    raw.loc[raw[COLUMNS.group] == "county A", COLUMNS.group] = "</script><b>A</b>"
    d = grouped_pooling_data(tidy_grouped_table(raw, COLUMNS), source="<odd>.csv")
    html = explorer_html(data=d)
    models = embedded_models(html)
    assert "<b>A</b>" not in html and "</script><b>" not in html
    # Bokeh escapes the document's JSON for the page; the browser reads it unescaped
    description = unescape(models["pool_description"]["text"])
    assert "&lt;odd&gt;.csv" in description and "county &quot;&lt;name&gt;&quot;" in description
    assert unescape(models["pool_group"]["options"][0]) == "</script><b>A</b>"  # as written
    key = unescape(models["pool_key"]["text"])
    assert "&lt;/script&gt;&lt;b&gt;A&lt;/b&gt;" in key
    # no coordinates: tab 6 says so instead of showing Beijing's stations
    assert "gp_stations" not in models and "coordinates" in models["gp_description"]["text"]
    assert "°C" not in html and "log ozone" not in html


def test_cli_builds_the_grouped_page_without_a_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], embedded_models: Models
) -> None:
    csv = tmp_path / "my data.csv"
    odd_table(n_groups=4).to_csv(csv, index=False)
    out = tmp_path / "page.html"
    code, stdout, err = run(
        [
            "explorer",
            "--case",
            "grouped",
            "--data",
            str(csv),
            "--y",
            COLUMNS.y,
            "--x",
            COLUMNS.x,
            "--group",
            COLUMNS.group,
            "--center-x",
            "--no-fit",
            "--out",
            str(out),
        ],
        capsys,
    )
    assert code == 0, err
    assert f"wrote {out}" in stdout
    models = embedded_models(out.read_text(encoding="utf-8"))
    assert models["pool_group"]["options"] == [f"county {c}" for c in "ABCD"]
    assert "my data.csv" in models["pool_description"]["text"]
    assert "No fit was embedded" in models["post_description"]["text"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--case", "grouped", "--y", "log.radon", "--x", "floor", "--group", COLUMNS.group],
            "has no column --x 'floor'; its columns: 'log.radon', 'floor level'",
        ),
        (["--case", "grouped", "--y", "log.radon"], "--y, --x and --group come together"),
        (["--y", "log.radon", "--center-x"], "--y, --center-x describe your own table"),
        (["--case", "grants"], "explorer case"),
    ],
    ids=["misspelt-column", "partial-columns", "ozone-with-columns", "unknown-case"],
)
def test_cli_bad_input_gives_one_line_and_writes_nothing(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "d.csv"
    odd_table(n_groups=3).to_csv(csv, index=False)
    out = tmp_path / "page.html"
    code, _, err = run(
        ["explorer", "--no-fit", "--data", str(csv), "--out", str(out), *argv], capsys
    )
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists()
