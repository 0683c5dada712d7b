"""The explorer built from Python: the file, its offline-ness, and the data it embeds."""

from __future__ import annotations

import html.parser
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest

from teachkit.errors import TeachkitError
from teachkit.explorer import (
    RealPosterior,
    build_explorer,
    explorer_html,
    pooling_data,
    posterior_from_idata,
)
from teachkit.explorer.assets import SCRIPTS, read_asset, script_bundle
from teachkit.explorer.tab_posterior import LINE_DRAWS

ROOT = Path(__file__).resolve().parents[2]
JS_DIR = ROOT / "teachkit" / "explorer" / "js"


Models = Callable[[str], dict[str, dict[str, Any]]]


@pytest.fixture(scope="module")
def page_with_fit(
    tmp_path_factory: pytest.TempPathFactory, posterior: RealPosterior
) -> tuple[Path, RealPosterior]:
    post = posterior
    out = build_explorer(
        tmp_path_factory.mktemp("page") / "explorer.html", data="simulated", posterior=post
    )
    return out, post


@pytest.fixture(scope="module")
def page_html(page_with_fit: tuple[Path, RealPosterior]) -> str:
    return page_with_fit[0].read_text(encoding="utf-8")


class _References(html.parser.HTMLParser):
    """Collects every attribute of the page that can make the browser fetch something."""

    FETCHING: ClassVar[set[str]] = {
        "src",
        "href",
        "action",
        "poster",
        "data",
        "srcset",
        "formaction",
        "background",
    }

    def __init__(self) -> None:
        super().__init__()
        self.references: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in self.FETCHING and value is not None:
                self.references.append((tag, name, value))


def test_build_writes_one_file_atomically(tmp_path: Path) -> None:
    out = build_explorer(tmp_path / "sub" / "x.html", data="simulated")
    assert out == tmp_path / "sub" / "x.html"
    assert out.is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == ["x.html"]  # no temp file left
    assert out.stat().st_mode & 0o777 == 0o644
    assert out.read_text(encoding="utf-8").lstrip().startswith("<!DOCTYPE html>")


def test_failed_build_leaves_the_old_page(tmp_path: Path) -> None:
    out = tmp_path / "x.html"
    out.write_text("old page")
    with pytest.raises(TeachkitError, match="data must be"):
        build_explorer(out, data="nowhere")  # type: ignore[arg-type]
    assert out.read_text() == "old page"
    assert [p.name for p in tmp_path.iterdir()] == ["x.html"]


def test_page_references_nothing_on_the_network(page_html: str) -> None:
    parser = _References()
    parser.feed(page_html)
    assert parser.references == [], "the page must inline everything it uses"
    assert "link" not in parser.tags
    # CSS could still fetch through url(...) or @import
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", page_html)
    assert not re.search(r"@import\s+(url\()?\s*['\"]?\s*(https?:)?//", page_html)


def test_page_holds_every_script_and_the_bokeh_library(page_html: str) -> None:
    assert sorted(SCRIPTS) == sorted(p.name for p in JS_DIR.glob("*.js"))
    for source in script_bundle():
        assert source in page_html
    assert "Bokeh" in page_html and page_html.count("<script") >= len(SCRIPTS) + 2


def test_page_embeds_the_pooling_data(page_html: str, embedded_models: Models) -> None:
    models = embedded_models(page_html)
    expected = pooling_data("simulated")
    data = models["pool_data"]["data"]
    np.testing.assert_array_equal(data["group"], expected.group)
    np.testing.assert_array_equal(data["x"], expected.x)
    np.testing.assert_array_equal(data["y"], expected.y)
    assert list(models["pool_groups"]["data"]["name"]) == list(expected.group_names)
    assert models["pool_group"]["options"] == list(expected.group_names)


def test_page_embeds_the_posterior(
    posterior: RealPosterior, page_html: str, embedded_models: Models
) -> None:
    post = posterior
    models = embedded_models(page_html)
    np.testing.assert_array_equal(models["post_rho"]["data"]["rho"], post.rho)
    stations = models["post_groups"]["data"]
    assert list(stations["name"]) == list(post.group_names)
    np.testing.assert_allclose(stations["alpha_mean"], post.alpha.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(stations["beta_mean"], post.beta.mean(axis=0), rtol=1e-12)
    draws = models["post_draws"]["data"]
    assert len(draws["alpha"]) == LINE_DRAWS * post.n_groups
    assert set(np.asarray(draws["alpha"]).tolist()) <= set(post.alpha.ravel().tolist())
    points = models["post_points"]["data"]
    np.testing.assert_array_equal(points["x"], post.x)
    hyper = models["post_hyper"]["data"]
    i = list(hyper["name"]).index("sigma_beta")
    assert hyper["mean"][i] == pytest.approx(post.sigma_beta.mean())
    assert hyper["lo"][i] == pytest.approx(np.quantile(post.sigma_beta, 0.03))
    assert "synthetic data" in models["post_description"]["text"]


def test_without_a_fit_tab_5_says_so(embedded_models: Models) -> None:
    models = embedded_models(explorer_html(data="simulated"))
    assert "No fit was embedded" in models["post_description"]["text"]
    assert len(models["post_rho"]["data"]["rho"]) == 0
    assert "post_group" not in models


def test_pooling_data_keeps_a_fixed_random_order_of_days() -> None:
    a = pooling_data("simulated", seed=5)
    b = pooling_data("simulated", seed=5)
    c = pooling_data("simulated", seed=6)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.x, c.x)
    assert a.rows_per_group().tolist() == [400] * 12
    assert np.all(np.diff(a.group) >= 0)
    small = pooling_data("simulated", max_days=7)
    assert small.rows_per_group().tolist() == [7] * 12


def test_pooling_data_from_beijing_and_from_a_frame() -> None:
    real = pooling_data("beijing")
    assert len(real.group_names) == 12 and real.group_names[0] == "Aotizhongxin"
    assert real.rows_per_group().tolist() == [400] * 12
    frame = pd.DataFrame(
        {
            "station": ["b", "b", "a", "a"],
            "station_id": [1, 1, 0, 0],
            "TEMP": [1.0, np.nan, 3.0, 4.0],
            "log_ozone": [1.0, 2.0, 3.0, 4.0],
        }
    )
    d = pooling_data(frame)
    assert d.group_names == ("a", "b") and d.rows_per_group().tolist() == [2, 1]
    assert d.source == "user data"


@pytest.mark.parametrize(
    ("data", "options", "match"),
    [
        ("paris", {}, "data must be 'beijing' or 'simulated'"),
        (3, {}, "data must be 'beijing', 'simulated' or a DataFrame"),
        ("simulated", {"max_days": 0}, "max_days must be a whole number >= 1"),
        (pd.DataFrame({"station": ["a"]}), {}, "lacks column"),
    ],
)
def test_pooling_data_rejects(data: object, options: dict, match: str) -> None:
    with pytest.raises(TeachkitError, match=match):
        pooling_data(data, **options)  # type: ignore[arg-type]


def test_real_posterior_checks_and_freezes(posterior: RealPosterior) -> None:
    n = posterior.n_draws
    assert posterior.n_groups == 4
    assert not posterior.alpha.flags.writeable and not posterior.rho.flags.writeable
    with pytest.raises(AttributeError):
        posterior.eta = 3.0  # type: ignore[misc]
    good = {
        f: getattr(posterior, f)
        for f in (
            "group_names",
            "rho",
            "alpha",
            "beta",
            "mu_alpha",
            "mu_beta",
            "sigma_alpha",
            "sigma_beta",
            "sigma",
            "group_index",
            "x",
            "y",
        )
    }
    bad_cases = [
        ({"alpha": posterior.alpha[:, :2]}, "alpha must have shape"),
        ({"rho": np.full(n, 1.5)}, r"rho draws must lie in \[-1, 1\]"),
        ({"sigma": posterior.sigma[:10]}, f"sigma must have {n} draws"),
        ({"group_index": posterior.group_index + 10}, "group_index must hold"),
        ({"x": posterior.x[:3]}, "x must have one value per"),
        ({"mu_beta": np.full(n, np.nan)}, "mu_beta has NaN"),
        ({"group_names": ()}, "group_names is empty"),
    ]
    for change, match in bad_cases:
        with pytest.raises(TeachkitError, match=match):
            RealPosterior(**{**good, **change})


def _idata(coord: list, *, chains: int = 2, draws: int = 300, drop: str | None = None):
    import arviz as az

    rng = np.random.default_rng(0)
    shape = (chains, draws)
    posterior = {
        "alpha": rng.normal(3.4, 0.1, (*shape, len(coord))),
        "beta": rng.normal(0.05, 0.01, (*shape, len(coord))),
        "rho": rng.uniform(-1, 0, shape),
        "mu_alpha": rng.normal(3.4, 0.1, shape),
        "mu_beta": rng.normal(0.05, 0.01, shape),
        "sigma_alpha": rng.uniform(0.1, 0.3, shape),
        "sigma_beta": rng.uniform(0.001, 0.01, shape),
        "sigma": rng.uniform(0.5, 0.7, shape),
    }
    if drop:
        del posterior[drop]
    return az.from_dict(
        posterior=posterior,
        coords={"station": coord},
        dims={"alpha": ["station"], "beta": ["station"]},
    )


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    station_id = np.repeat([0, 1, 2], 400)
    return pd.DataFrame(
        {
            "station": np.array(["Aa", "Bb", "Cc"])[station_id],
            "station_id": station_id,
            "TEMP": rng.uniform(-5, 35, 1200),
            "log_ozone": rng.normal(4, 0.6, 1200),
        }
    )


def test_posterior_from_idata_thins_and_names_stations() -> None:
    idata = _idata([0, 1, 2])
    frame = _frame()
    post = posterior_from_idata(idata, frame, max_draws=100, points_per_station=50, seed=4)
    assert post.group_names == ("Aa", "Bb", "Cc")
    assert post.n_draws == 100
    stacked = idata.posterior["rho"].to_numpy().ravel()  # chain-major, as in the page
    keep = np.linspace(0, stacked.size - 1, 100).round().astype(int)
    np.testing.assert_array_equal(post.rho, stacked[keep])
    np.testing.assert_array_equal(
        post.alpha[:, 1], idata.posterior["alpha"].to_numpy()[..., 1].ravel()[keep]
    )
    assert np.bincount(post.group_index).tolist() == [50, 50, 50]
    rows = frame[frame.station_id == 2]
    assert set(post.x[post.group_index == 2]) <= set(rows.TEMP)
    # a coordinate of names works too, in the fit's order
    by_name = posterior_from_idata(_idata(["Cc", "Aa"]), frame, max_draws=10)
    assert by_name.group_names == ("Cc", "Aa")
    assert set(by_name.x[by_name.group_index == 0]) <= set(rows.TEMP)


@pytest.mark.parametrize(
    ("idata_args", "options", "match"),
    [
        ({"coord": [0, 1, 2], "drop": "rho"}, {}, "the fit lacks rho"),
        ({"coord": [0, 7]}, {}, "station 7 of the fit is not in the data"),
        ({"coord": [0, 1]}, {"max_draws": 0}, "max_draws must be"),
        ({"coord": [0, 1]}, {"points_per_station": -1}, "points_per_station must be"),
    ],
)
def test_posterior_from_idata_rejects(idata_args: dict, options: dict, match: str) -> None:
    with pytest.raises(TeachkitError, match=match):
        posterior_from_idata(_idata(**idata_args), _frame(), **options)


def test_scripts_are_plain_files_read_as_package_data() -> None:
    for name in SCRIPTS:
        assert read_asset(f"js/{name}") == (JS_DIR / name).read_text(encoding="utf-8")


def test_wheel_ships_the_scripts(tmp_path: Path) -> None:
    """Build the wheel and build a page from the unpacked wheel alone."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "wheel"),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = (tmp_path / "wheel").glob("teachkit-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for asset in [*(f"js/{s}" for s in SCRIPTS), "css/page.css", "css/widgets.css"]:
        assert f"teachkit/explorer/{asset}" in names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import teachkit.explorer as e; "
        f"assert e.__file__.startswith({str(target)!r}), e.__file__; "
        "print(e.build_explorer('page.html', data='simulated').stat().st_size > 10**6)"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True"]


def test_page_embeds_the_station_coordinates_for_tab_6(
    page_html: str, embedded_models: Models
) -> None:
    """Tab 6 gets the 12 stations' coordinates and the 66 pairs; js/gp.js does the maths."""
    from teachkit.cases.ozone.stations import load_beijing_stations
    from teachkit.explorer.tab_gp import FAMILY_LABELS, farthest_pair

    models = embedded_models(page_html)
    stations = load_beijing_stations()
    data = models["gp_stations"]["data"]
    assert list(data["name"]) == stations["station"].tolist()
    np.testing.assert_array_equal(data["lat"], stations["latitude"])
    np.testing.assert_array_equal(data["lon"], stations["longitude"])
    pairs = models["gp_pairs"]["data"]
    ij = list(zip(pairs["i"], pairs["j"], strict=True))
    assert len(ij) == len(set(ij)) == 66 and all(i < j for i, j in ij)
    far = farthest_pair(stations["latitude"], stations["longitude"])
    assert tuple(ij[-1]) == far  # drawn last, on top
    assert [pairs["name_i"][-1], pairs["name_j"][-1]] == ["Gucheng", "Huairou"]
    # nothing computed in Python: the correlations are empty until the page draws them
    assert not np.any(pairs["r"])
    select = models["gp_family"]
    assert select["value"] == "exp_quad"
    assert [tuple(o) for o in select["options"]] == list(FAMILY_LABELS.items())
    assert "teachkit.gp.update" in page_html and "teachkit.gp.newDraw" in page_html
