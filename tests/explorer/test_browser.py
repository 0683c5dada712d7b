"""The explorer in a real browser: headless Chromium, network blocked, console watched.

Every test opens the page from ``file://`` in Debian's ``chromium`` driven by Playwright,
aborts (and records) every request that is not for a local file, and fails on any console
error or uncaught exception. The sliders are moved with the mouse or the keyboard, as a user
moves them; what the page then shows (its readouts, and the data of what it plots) is
compared with teachkit's Python: ``teachkit.lkj``, ``teachkit.covariance``, ``teachkit.mvn``,
``teachkit.kernels`` and a numpy computation of the partial-pooling posterior. One screenshot
per tab is saved (to ``$TEACHKIT_EXPLORER_SHOTS`` when set, else to a temporary folder).

The README's screenshots are those of a page built with the real fit::

    teachkit explorer --out /tmp/explorer.html
    TEACHKIT_EXPLORER_PAGE=/tmp/explorer.html TEACHKIT_EXPLORER_SHOTS=docs/explorer \
        python -m pytest tests/explorer/test_browser.py -k captured
"""

from __future__ import annotations

import io
import math
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright
from scipy import stats

from teachkit.cases.ozone.stations import load_beijing_stations
from teachkit.covariance import build_covariance, feasible_interval, is_correlation
from teachkit.explorer import RealPosterior, build_explorer, pooling_data
from teachkit.explorer.tab_correlation import LECTURE_MATRIX
from teachkit.explorer.tab_gp import FAMILY_LABELS
from teachkit.explorer.tab_posterior import LINE_DRAWS
from teachkit.kernels import (
    JITTER,
    KERNELS,
    correlation_matrix,
    great_circle_km,
    kernel_matrix,
)
from teachkit.lkj import lkj_marginal, lkj_marginal_pdf, sample_lkj
from teachkit.mvn import ellipse

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1600, "height": 900}
#: Sampled readouts must lie within this many Monte-Carlo standard errors of the truth
#: (the page's seeds are fixed, so a pass is reproducible; 4 se is a generous margin).
MC_Z = 4.0
#: Goodness of fit of the page's onion-method histogram to the exact LKJ marginal.
GOF_MIN_P = 1e-3
#: Exact values are shown with 3 decimals: they must match to rounding.
DECIMALS_3 = 0.0005 + 1e-9
DECIMALS_2 = 0.005 + 1e-9
#: The page and numpy compute the same closed forms in double precision.
FLOAT_RTOL = 1e-8
TAB_NAMES = ("lkj", "mvn", "corr", "pool", "post", "gp")
#: Columns of the data sources that hold text, not numbers.
TEXT_COLUMNS = ("name", "name_i", "name_j", "color", "entry", "mass")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "no Chromium found: install Debian's `chromium` package "
            "(apt-get install -y chromium) to run the browser tests"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, posterior: RealPosterior) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("explorer")
    built = {
        "fit": build_explorer(folder / "fit.html", data="beijing", posterior=posterior),
        "no_fit": build_explorer(folder / "no-fit.html", data="simulated"),
    }
    given = os.environ.get("TEACHKIT_EXPLORER_PAGE")
    built["shots"] = Path(given).resolve() if given else built["fit"]
    return built


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = os.environ.get("TEACHKIT_EXPLORER_SHOTS")
    folder = Path(target) if target else tmp_path_factory.mktemp("explorer-shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Explorer:
    """A loaded explorer page, with what a test needs to move controls and read results."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.network: list[str] = []

    def open(self, path: Path) -> float:
        """Load the page; return the milliseconds until every tab had drawn itself."""
        self.page.goto(path.as_uri())
        return self.open_loaded()

    def open_loaded(self) -> float:
        """Wait until the loaded page has drawn every tab; the milliseconds it took."""
        self.page.wait_for_function(
            """names => window.Bokeh && Bokeh.documents.length > 0 && names.every(
                n => Bokeh.documents[0].get_model_by_name(n + '_readout').text.length > 0)""",
            arg=list(TAB_NAMES),
        )
        return float(self.page.evaluate("performance.now()"))

    def tab(self, name: str) -> None:
        """Click the tab ``name`` (one of TAB_NAMES)."""
        self.page.locator(".bk-tab").nth(TAB_NAMES.index(name)).click()
        self.settle()

    def settle(self) -> None:
        """Wait until callbacks have run and the page has painted."""
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")

    def drag(self, slider: str, fraction: float) -> float:
        """Drag the handle of ``slider`` with the mouse to ``fraction`` of its track."""
        handle = self.page.locator(f".{slider} .noUi-handle")
        track = self.page.locator(f".{slider} .noUi-base").bounding_box()
        box = handle.bounding_box()
        assert track is not None and box is not None, f"slider {slider} is not visible"
        y = box["y"] + box["height"] / 2
        self.page.mouse.move(box["x"] + box["width"] / 2, y)
        self.page.mouse.down()
        self.page.mouse.move(track["x"] + fraction * track["width"], y, steps=6)
        self.page.mouse.up()
        self.settle()
        return float(self.model(slider)["value"])

    def press(self, slider: str, key: str, times: int = 1) -> float:
        """Press ``key`` (ArrowLeft, ArrowRight, Home, End, ...) on the slider's handle."""
        handle = self.page.locator(f".{slider} .noUi-handle")
        for _ in range(times):
            handle.press(key)
        self.settle()
        return float(self.model(slider)["value"])

    def select(self, name: str, label: str) -> None:
        self.page.locator(f".{name} select").select_option(label)
        self.settle()

    def text(self, key: str) -> str:
        return self.page.locator(f'[data-key="{key}"]').inner_text()

    def number(self, key: str) -> float:
        """A readout as a number (the page writes a typographic minus)."""
        return float(self.text(key).replace("\u2212", "-"))

    def model(self, name: str) -> dict[str, Any]:
        """Properties of the named Bokeh model; a data source's columns as plain lists."""
        return self.page.evaluate(
            """name => {
                const m = Bokeh.documents[0].get_model_by_name(name);
                const plain = v => (Array.isArray(v) || ArrayBuffer.isView(v))
                    ? Array.from(v, plain) : v;
                const out = {};
                for (const key of ['value', 'title', 'text', 'start', 'end', 'options']) {
                    if (m[key] !== undefined) out[key] = m[key];
                }
                if (m.data !== undefined) {
                    const data = m.data instanceof Map ? Object.fromEntries(m.data) : m.data;
                    out.data = Object.fromEntries(
                        Object.entries(data).map(([k, v]) => [k, plain(v)]));
                }
                return out;
            }""",
            name,
        )

    def columns(self, name: str) -> dict[str, np.ndarray]:
        return {
            k: np.asarray(v, dtype=float) if k not in TEXT_COLUMNS else v
            for k, v in self.model(name)["data"].items()
        }


@pytest.fixture
def explorer(browser: Browser) -> Iterator[Explorer]:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    ex = Explorer(page)

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            ex.network.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: ex.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: ex.errors.append(f"uncaught: {e}"))
    yield ex
    context.close()
    assert ex.network == [], f"the page tried to reach the network: {ex.network}"
    assert ex.errors == [], f"console errors: {ex.errors}"


# ---------------------------------------------------------------------------------------------
# the whole page


def test_every_tab_renders_offline_and_is_captured(
    explorer: Explorer, pages: dict[str, Path], shots: Path
) -> None:
    explorer.open(pages["shots"])  # how fast: benchmarks/explorer.py, not a timed test
    for number, name in enumerate(TAB_NAMES, start=1):
        explorer.tab(name)
        description = explorer.page.locator(".tk-description >> visible=true")
        assert description.count() == 1 and len(description.inner_text()) > 40
        # every control shows its label and its current value
        titles = explorer.page.locator(".bk-slider-title >> visible=true")
        for i in range(titles.count()):
            label, _, value = titles.nth(i).inner_text().partition(":")
            assert label.strip() and value.strip(), titles.nth(i).inner_text()
        explorer.page.screenshot(path=str(shots / f"{number}-{name}.png"))
    assert len(list(shots.glob("*.png"))) >= len(TAB_NAMES)


def test_page_without_a_fit_says_so(explorer: Explorer, pages: dict[str, Path]) -> None:
    explorer.open(pages["no_fit"])
    explorer.tab("post")
    assert "no fit embedded" in explorer.page.locator(".tk-badge >> visible=true").inner_text()
    assert explorer.page.locator(".post_group").count() == 0
    prior = explorer.columns("post_prior")
    np.testing.assert_allclose(prior["pdf"], lkj_marginal_pdf(prior["r"], 2.0, 2), rtol=1e-10)


# ---------------------------------------------------------------------------------------------
# tab 1: LKJ


def _merged_chi_square(observed: np.ndarray, expected: np.ndarray) -> float:
    """p-value of Pearson's chi-square after merging neighbouring bins to expected >= 5."""
    obs, exp, o, e = [], [], 0.0, 0.0
    for oi, ei in zip(observed, expected, strict=True):
        o, e = o + oi, e + ei
        if e >= 5:
            obs.append(o)
            exp.append(e)
            o, e = 0.0, 0.0
    if e > 0:
        obs[-1] += o
        exp[-1] += e
    obs_a, exp_a = np.array(obs), np.array(exp)
    exp_a *= obs_a.sum() / exp_a.sum()
    return float(stats.chisquare(obs_a, exp_a).pvalue)


@pytest.mark.parametrize(
    ("eta_fraction", "dim_presses"),
    [(0.0, 0), (0.57, 0), (0.35, 1), (0.75, 2), (1.0, 4), (0.15, 3)],
)
def test_lkj_readouts_match_teachkit_lkj(
    explorer: Explorer, pages: dict[str, Path], eta_fraction: float, dim_presses: int
) -> None:
    explorer.open(pages["fit"])
    explorer.tab("lkj")
    position = explorer.drag("lkj_eta", eta_fraction)
    dim = int(explorer.press("lkj_dim", "ArrowRight", dim_presses)) if dim_presses else 2
    eta = float(f"{10**position:.2g}")  # the slider moves log10(eta); 2 significant digits
    assert explorer.number("eta") == pytest.approx(eta, rel=1e-12)
    assert int(explorer.number("dim")) == dim == 2 + dim_presses

    marginal = lkj_marginal(eta, dim)
    sd, p = float(marginal.std()), float(2 * marginal.sf(0.5))
    assert abs(explorer.number("sd_exact") - sd) <= DECIMALS_3
    assert abs(explorer.number("p_exact") - p) <= DECIMALS_3

    n = int(explorer.page.evaluate("teachkit.lkj.N_DRAWS"))
    b = eta - 1 + dim / 2
    kurtosis = 3 - 6 / (2 * b + 3)  # of a symmetric Beta(b, b), rescaled to [-1, 1]
    se_sd = sd * math.sqrt((kurtosis - 1) / (4 * n))
    se_p = math.sqrt(p * (1 - p) / n)
    assert abs(explorer.number("sd_sampled") - sd) <= MC_Z * se_sd + DECIMALS_3
    assert abs(explorer.number("p_sampled") - p) <= MC_Z * se_p + DECIMALS_3
    # the same quantities from teachkit's own onion sampler agree within Monte-Carlo error
    r = sample_lkj(dim, eta, size=n, rng=12)[:, dim - 2, dim - 1]
    assert (
        abs(explorer.number("sd_sampled") - r.std(ddof=1))
        <= MC_Z * math.sqrt(2) * se_sd + DECIMALS_3
    )
    assert (
        abs(explorer.number("p_sampled") - np.mean(np.abs(r) > 0.5))
        <= MC_Z * math.sqrt(2) * se_p + DECIMALS_3
    )

    hist = explorer.columns("lkj_hist")
    counts = np.round(hist["density"] * n * (hist["hi"] - hist["lo"]))
    assert counts.sum() == n
    expected = n * (marginal.cdf(hist["hi"]) - marginal.cdf(hist["lo"]))
    assert _merged_chi_square(counts, expected) > GOF_MIN_P

    curve = explorer.columns("lkj_density")
    np.testing.assert_allclose(curve["pdf"], lkj_marginal_pdf(curve["r"], eta, dim), rtol=1e-10)


def test_lkj_draws_are_reproducible(explorer: Explorer, pages: dict[str, Path]) -> None:
    explorer.open(pages["fit"])
    first = explorer.text("sd_sampled"), explorer.text("p_sampled")
    explorer.press("lkj_eta", "ArrowRight")
    explorer.press("lkj_eta", "ArrowLeft")
    assert (explorer.text("sd_sampled"), explorer.text("p_sampled")) == first


# ---------------------------------------------------------------------------------------------
# tab 2: multivariate normal


@pytest.mark.parametrize(
    ("sa_fraction", "sb_fraction", "rho_fraction"),
    [(None, None, None), (0.2, 0.8, 0.95), (0.9, 0.1, 0.5), (0.5, 0.5, 0.02)],
)
def test_mvn_matches_teachkit(
    explorer: Explorer,
    pages: dict[str, Path],
    sa_fraction: float | None,
    sb_fraction: float | None,
    rho_fraction: float | None,
) -> None:
    explorer.open(pages["fit"])
    explorer.tab("mvn")
    moved = {"mvn_sigma_a": sa_fraction, "mvn_sigma_b": sb_fraction, "mvn_rho": rho_fraction}
    values = {
        name: explorer.drag(name, f) if f is not None else float(explorer.model(name)["value"])
        for name, f in moved.items()
    }
    sa, sb, rho = values["mvn_sigma_a"], values["mvn_sigma_b"], values["mvn_rho"]
    cov = build_covariance([sa, sb], [[1, rho], [rho, 1]])
    for (i, j), key in {(0, 0): "cov00", (0, 1): "cov01", (1, 0): "cov10", (1, 1): "cov11"}.items():
        assert abs(explorer.number(key) - cov[i, j]) <= DECIMALS_3

    rings = explorer.model("mvn_rings_joint")["data"]
    for k, mass in enumerate((0.5, 0.94)):
        expected = ellipse([0, 0], cov, mass=mass)
        np.testing.assert_allclose(rings["xs"][k], expected[:, 0], atol=1e-9)
        np.testing.assert_allclose(rings["ys"][k], expected[:, 1], atol=1e-9)
    rings_ind = explorer.model("mvn_rings_ind")["data"]
    expected = ellipse([0, 0], np.diag(np.diag(cov)), mass=0.94)
    np.testing.assert_allclose(rings_ind["ys"][1], expected[:, 1], atol=1e-9)

    n = int(explorer.page.evaluate("teachkit.mvn.N_DRAWS"))
    for key, sd in (("sd_a", sa), ("sd_b", sb), ("sd_a_ind", sa), ("sd_b_ind", sb)):
        assert abs(explorer.number(key) - sd) <= MC_Z * sd / math.sqrt(2 * (n - 1)) + DECIMALS_2
    assert abs(explorer.number("corr") - rho) <= MC_Z * (1 - rho**2) / math.sqrt(n - 3) + DECIMALS_2
    assert abs(explorer.number("corr_ind")) <= MC_Z / math.sqrt(n - 3) + DECIMALS_2
    points = explorer.columns("mvn_points_joint")
    assert np.corrcoef(points["x"], points["y"])[0, 1] == pytest.approx(
        explorer.number("corr"), abs=DECIMALS_2
    )


# ---------------------------------------------------------------------------------------------
# tab 3: invalid correlation matrices


def _check_correlation_tab(explorer: Explorer) -> bool:
    a, b, c = (float(explorer.model(f"corr_{k}")["value"]) for k in ("xy", "xz", "yz"))
    R = np.array([[1, a, b], [a, 1, c], [b, c, 1]])
    valid = is_correlation(R)
    assert explorer.text("valid") == ("valid" if valid else "not valid")
    assert abs(explorer.number("det") - np.linalg.det(R)) <= DECIMALS_3
    assert abs(explorer.number("min_eig") - np.linalg.eigvalsh(R)[0]) <= DECIMALS_3
    for key, (i, j), value in (("xy", (0, 1), a), ("xz", (0, 2), b), ("yz", (1, 2), c)):
        low, high = feasible_interval(R, i, j)
        assert abs(explorer.number(f"lo_{key}") - low) <= DECIMALS_3
        assert abs(explorer.number(f"hi_{key}") - high) <= DECIMALS_3
        inside = low <= value <= high
        assert explorer.text(f"inside_{key}") == ("inside" if inside else "outside")
        highlighted = explorer.page.locator(f'[data-key="inside_{key}"].tk-outside').count()
        assert highlighted == (0 if inside else 1)
        # for a 3 x 3 unit-diagonal matrix, invalid <=> every entry outside its interval
        assert inside == valid
    return valid


def test_correlation_tab_starts_at_the_lecture_matrix(
    explorer: Explorer, pages: dict[str, Path]
) -> None:
    explorer.open(pages["fit"])
    explorer.tab("corr")
    values = tuple(float(explorer.model(f"corr_{k}")["value"]) for k in ("xy", "xz", "yz"))
    assert values == LECTURE_MATRIX
    assert _check_correlation_tab(explorer) is False
    assert explorer.text("lo_yz") == "0.458" and explorer.text("hi_yz") == "0.982"


def test_correlation_tab_follows_every_slider(explorer: Explorer, pages: dict[str, Path]) -> None:
    explorer.open(pages["fit"])
    explorer.tab("corr")
    explorer.drag("corr_yz", 0.86)  # into [0.46, 0.98]: valid
    assert _check_correlation_tab(explorer) is True
    explorer.drag("corr_xy", 0.1)
    _check_correlation_tab(explorer)
    explorer.drag("corr_xz", 0.45)
    _check_correlation_tab(explorer)
    explorer.press("corr_xz", "End")
    _check_correlation_tab(explorer)
    explorer.press("corr_yz", "ArrowLeft", 7)
    _check_correlation_tab(explorer)


# ---------------------------------------------------------------------------------------------
# tab 4: partial pooling


def _numpy_pooling(
    days: int, mu: tuple[float, float], sds: tuple[float, float], rho: float, sigma: float
) -> dict[str, np.ndarray]:
    """No-pooling and exact conditional-posterior estimates from the first ``days`` days."""
    data = pooling_data("beijing")
    cov = build_covariance(list(sds), [[1, rho], [rho, 1]])
    prior = np.linalg.inv(cov)
    out: dict[str, list[float]] = {k: [] for k in ("np_alpha", "np_beta", "pp_alpha", "pp_beta")}
    for j in range(len(data.group_names)):
        t = data.x[data.group == j][:days]
        y = data.y[data.group == j][:days]
        X = np.column_stack([np.ones_like(t), t])
        ls = np.linalg.solve(X.T @ X, X.T @ y) if days >= 2 else np.full(2, np.nan)
        precision = prior + X.T @ X / sigma**2
        post = np.linalg.solve(precision, prior @ np.asarray(mu) + X.T @ y / sigma**2)
        for key, v in zip(out, (*ls, *post), strict=True):
            out[key].append(float(v))
    return {k: np.array(v) for k, v in out.items()}


def _page_pooling(explorer: Explorer) -> tuple[int, dict[str, np.ndarray], dict[str, float]]:
    hyper = {
        k: float(explorer.model(f"pool_{k}")["value"])
        for k in ("sigma_alpha", "sigma_beta", "rho", "sigma")
    }
    days = int(explorer.number("days"))
    position = float(explorer.model("pool_days")["value"])
    assert days == min(400, max(1, math.floor(10**position + 0.5)))
    return days, explorer.columns("pool_estimates"), hyper


@pytest.mark.parametrize(
    "moves",
    [
        {},
        {"pool_days": 0.0},
        {"pool_days": 0.3, "pool_rho": 0.9},
        {"pool_days": 1.0, "pool_sigma_alpha": 0.7, "pool_sigma_beta": 0.15},
        {"pool_days": 0.45, "pool_sigma": 0.05, "pool_rho": 0.4},
    ],
)
def test_pooling_estimates_match_numpy(
    explorer: Explorer, pages: dict[str, Path], moves: dict[str, float]
) -> None:
    explorer.open(pages["fit"])
    explorer.tab("pool")
    for name, fraction in moves.items():
        explorer.drag(name, fraction)
    days, page, hyper = _page_pooling(explorer)
    mu = (float(explorer.page.evaluate("3.45")), 0.054)
    expected = _numpy_pooling(
        days, mu, (hyper["sigma_alpha"], hyper["sigma_beta"]), hyper["rho"], hyper["sigma"]
    )
    for key, values in expected.items():
        np.testing.assert_allclose(page[key], values, rtol=FLOAT_RTOL, atol=1e-12, err_msg=key)
    assert abs(explorer.number("sd_beta_pp") - np.std(expected["pp_beta"], ddof=1)) <= 5e-5 + 1e-9


def _shrinkage(page: dict[str, np.ndarray], hyper: dict[str, float]) -> float:
    """Mean over stations of 1 - |pp - mu| / |np - mu|, Mahalanobis distances under Sigma."""
    cov = build_covariance(
        [hyper["sigma_alpha"], hyper["sigma_beta"]], [[1, hyper["rho"]], [hyper["rho"], 1]]
    )
    precision = np.linalg.inv(cov)
    mu = np.array([3.45, 0.054])

    def distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        d = np.column_stack([a, b]) - mu
        return np.sqrt(np.einsum("ij,jk,ik->i", d, precision, d))

    ratio = distance(page["pp_alpha"], page["pp_beta"]) / distance(
        page["np_alpha"], page["np_beta"]
    )
    return float(np.mean(1 - ratio))


def test_shrinkage_grows_as_days_fall_and_follows_rho(
    explorer: Explorer, pages: dict[str, Path]
) -> None:
    explorer.open(pages["fit"])
    explorer.tab("pool")
    shrinkage: dict[int, float] = {}
    for key, times in (("End", 1), ("ArrowLeft", 60), ("ArrowLeft", 100), ("ArrowLeft", 69)):
        explorer.press("pool_days", key, times)
        days, page, hyper = _page_pooling(explorer)
        shrinkage[days] = _shrinkage(page, hyper)
        assert abs(explorer.number("shrinkage") - 100 * shrinkage[days]) <= 0.5 + 1e-9
    assert sorted(shrinkage) == [2, 10, 102, 400]
    # fewer days, more shrinkage: the estimates move from their own lines towards mu
    by_days = [shrinkage[d] for d in sorted(shrinkage)]
    assert by_days == sorted(by_days, reverse=True)
    assert by_days[0] > 0.9 and by_days[-1] < 0.5
    # with rho = -0.9 the pooled estimates line up along the population's ellipse ...
    assert np.corrcoef(page["pp_alpha"], page["pp_beta"])[0, 1] < -0.8
    explorer.drag("pool_rho", 0.97)  # ... and with rho about +0.9 they turn the other way
    _, page, _ = _page_pooling(explorer)
    assert np.corrcoef(page["pp_alpha"], page["pp_beta"])[0, 1] > 0.8


def test_pooling_station_panel(explorer: Explorer, pages: dict[str, Path]) -> None:
    explorer.open(pages["fit"])
    explorer.tab("pool")
    names = explorer.model("pool_group")["options"]
    explorer.select("pool_group", names[5])
    days, page, _ = _page_pooling(explorer)
    points = explorer.columns("pool_group_points")
    data = pooling_data("beijing")
    np.testing.assert_array_equal(points["x"], data.x[data.group == 5][:days])
    line = explorer.columns("pool_line_pp")
    np.testing.assert_allclose(
        line["y"], page["pp_alpha"][5] + page["pp_beta"][5] * line["x"], rtol=FLOAT_RTOL
    )


# ---------------------------------------------------------------------------------------------
# tab 5: the real posterior


def test_posterior_tab_reads_the_embedded_fit(
    explorer: Explorer, pages: dict[str, Path], posterior: RealPosterior
) -> None:
    explorer.open(pages["fit"])
    explorer.tab("post")
    rho = posterior.rho
    assert int(explorer.number("n_draws")) == rho.size
    assert abs(explorer.number("rho_mean") - rho.mean()) <= DECIMALS_2
    assert abs(explorer.number("rho_lo") - np.quantile(rho, 0.03)) <= DECIMALS_2
    assert abs(explorer.number("rho_hi") - np.quantile(rho, 0.97)) <= DECIMALS_2
    assert abs(explorer.number("p_negative") - np.mean(rho < 0)) <= DECIMALS_2
    assert abs(explorer.number("sigma_beta_mean") - posterior.sigma_beta.mean()) <= 5e-5 + 1e-9
    hist = explorer.columns("post_hist")
    assert np.sum(hist["density"] * (hist["hi"] - hist["lo"])) == pytest.approx(1.0)
    for j in (0, posterior.n_groups - 1):
        explorer.select("post_group", posterior.group_names[j])
        assert abs(explorer.number("group_alpha") - posterior.alpha[:, j].mean()) <= DECIMALS_2
        assert abs(explorer.number("group_beta") - posterior.beta[:, j].mean()) <= DECIMALS_3
        assert len(explorer.model("post_group_draws")["data"]["xs"]) == LINE_DRAWS
        points = explorer.columns("post_group_points")
        np.testing.assert_array_equal(points["x"], posterior.x[posterior.group_index == j])


# ---------------------------------------------------------------------------------------------
# tab 6: the Gaussian process over the Beijing stations

#: The page and teachkit.kernels compute the same closed forms: equal to rounding.
KERNEL_RTOL = 1e-12
GP_FAMILIES = tuple(KERNELS)
#: The page's draws are f = sigma L z with L the Cholesky factor of R + JITTER I.
GP_DRAWS = 20_000


def _stations() -> tuple[np.ndarray, np.ndarray]:
    s = load_beijing_stations()
    return s["latitude"].to_numpy(dtype=float), s["longitude"].to_numpy(dtype=float)


def _js_distances(explorer: Explorer) -> np.ndarray:
    lat, lon = _stations()
    return np.array(
        explorer.page.evaluate(
            "([lat, lon]) => teachkit.gp.distanceMatrix(lat, lon)", [lat.tolist(), lon.tolist()]
        )
    )


def test_gp_kernels_match_teachkit_kernels(explorer: Explorer, pages: dict[str, Path]) -> None:
    """js/gp.js's three kernels on a grid of distances, amplitudes and length-scales."""
    explorer.open(pages["fit"])
    d = np.array([0.0, 1e-6, 0.5, 1.0, 3.9, 7.5, 12.0, 20.0, 33.3, 59.5, 70.0, 150.0])
    sigmas, ells = (0.0, 0.05, 0.3, 0.77, 1.0), (1.0, 2.5, 10.0, 20.0, 47.0, 100.0)
    got = explorer.page.evaluate(
        """([families, d, sigmas, ells]) => families.map(f => sigmas.map(s => ells.map(
            l => d.map(x => teachkit.gp.kernel(f, x, s, l)))))""",
        [list(GP_FAMILIES), d.tolist(), list(sigmas), list(ells)],
    )
    for a, family in enumerate(GP_FAMILIES):
        for b, sigma in enumerate(sigmas):
            for c, ell in enumerate(ells):
                expected = KERNELS[family](d, sigma, ell)
                np.testing.assert_allclose(
                    got[a][b][c], expected, rtol=KERNEL_RTOL, atol=0, err_msg=(family, sigma, ell)
                )
    # the correlation function is the kernel with sigma = 1
    corr = explorer.page.evaluate("d => teachkit.gp.correlation('matern32', d, 13.0)", 25.0)
    assert corr == pytest.approx(float(KERNELS["matern32"](25.0, 1.0, 13.0)), rel=KERNEL_RTOL)


@pytest.mark.parametrize("family", GP_FAMILIES)
def test_gp_matrices_match_teachkit_kernels(
    explorer: Explorer, pages: dict[str, Path], family: str
) -> None:
    """Distances, K and R in the page equal great_circle_km, kernel_matrix, correlation_matrix."""
    explorer.open(pages["fit"])
    lat, lon = _stations()
    d_py = great_circle_km(lat, lon)
    d_js = _js_distances(explorer)
    np.testing.assert_allclose(d_js, d_py, rtol=KERNEL_RTOL, atol=0)
    assert np.all(np.diag(d_js) == 0) and np.array_equal(d_js, d_js.T)
    for sigma, ell in ((0.3, 20.0), (1.0, 3.0), (0.05, 100.0)):
        k_js, r_js = explorer.page.evaluate(
            """([D, family, sigma, ell]) => [teachkit.gp.kernelMatrix(D, family, sigma, ell),
                teachkit.gp.correlationMatrix(D, family, ell)]""",
            [d_js.tolist(), family, sigma, ell],
        )
        np.testing.assert_allclose(k_js, kernel_matrix(d_py, family, sigma, ell), rtol=KERNEL_RTOL)
        np.testing.assert_allclose(r_js, correlation_matrix(d_py, family, ell), rtol=KERNEL_RTOL)


@pytest.mark.parametrize("family", GP_FAMILIES)
def test_gp_cholesky_and_draws_have_covariance_k(
    explorer: Explorer, pages: dict[str, Path], family: str
) -> None:
    """L L^T = R + jitter I in the page, and many of its draws have the covariance K."""
    explorer.open(pages["fit"])
    d_py = great_circle_km(*_stations())
    d_js = _js_distances(explorer).tolist()
    for ell in (2.0, 20.0, 100.0):
        chol, jitter = explorer.page.evaluate(
            """([D, family, ell]) => { const c = teachkit.gp.cholesky(
                teachkit.gp.correlationMatrix(D, family, ell)); return [c.L, c.jitter]; }""",
            [d_js, family, ell],
        )
        L = np.array(chol)
        assert jitter == JITTER  # the stated jitter sufficed, as in teachkit.kernels.draw_gp
        assert np.array_equal(L, np.tril(L)) and np.all(np.diag(L) > 0)
        R = correlation_matrix(d_py, family, ell)
        np.testing.assert_allclose(L @ L.T, R + JITTER * np.eye(12), rtol=0, atol=1e-12)
    sigma, ell = 0.5, 20.0
    draws = np.array(
        explorer.page.evaluate(
            "([D, f, s, l, n]) => teachkit.gp.draws(D, f, s, l, n, 7)",
            [d_js, family, sigma, ell, GP_DRAWS],
        )
    )
    assert draws.shape == (GP_DRAWS, 12)
    K = kernel_matrix(d_py, family, sigma, ell)
    sample = np.cov(draws, rowvar=False)
    # the sd of a sample covariance of normals is sqrt((K_ij^2 + K_ii K_jj) / n)
    se = np.sqrt((K**2 + np.outer(np.diag(K), np.diag(K))) / GP_DRAWS)
    assert np.all(np.abs(sample - K) <= MC_Z * se), np.max(np.abs(sample - K) / se)
    assert np.all(np.abs(draws.mean(axis=0)) <= MC_Z * sigma / math.sqrt(GP_DRAWS))


def _gp_settings(explorer: Explorer) -> tuple[float, float, str]:
    sigma = float(explorer.model("gp_sigma")["value"])
    ell = float(explorer.model("gp_ell")["value"])
    return sigma, ell, str(explorer.model("gp_family")["value"])


def _check_gp_tab(explorer: Explorer) -> dict[str, np.ndarray]:
    """What tab 6 draws equals teachkit.kernels' numbers for its controls; its pair data."""
    sigma, ell, family = _gp_settings(explorer)
    lat, lon = _stations()
    D = great_circle_km(lat, lon)
    R = correlation_matrix(D, family, ell)
    curve = explorer.columns("gp_curve")
    assert curve["d"][0] == 0 and curve["d"][-1] == 70
    np.testing.assert_allclose(curve["r"], KERNELS[family](curve["d"], 1.0, ell), rtol=KERNEL_RTOL)
    pairs = explorer.columns("gp_pairs")
    i, j = pairs["i"].astype(int), pairs["j"].astype(int)
    assert len(i) == 66 and len(set(zip(i, j, strict=True))) == 66 and np.all(i < j)
    np.testing.assert_allclose(pairs["d"], D[i, j], rtol=KERNEL_RTOL)
    np.testing.assert_allclose(pairs["r"], R[i, j], rtol=KERNEL_RTOL)
    # a stronger correlation, a wider and more opaque line
    order = np.argsort(pairs["r"])
    assert np.all(np.diff(pairs["width"][order]) >= 0)
    assert np.all(np.diff(pairs["alpha"][order]) >= 0)
    # the draw: f = sigma L z, L the Cholesky factor of R + JITTER I
    st = explorer.columns("gp_stations")
    L = np.linalg.cholesky(R + JITTER * np.eye(12))
    np.testing.assert_allclose(st["f"], sigma * L @ st["z"], rtol=1e-10, atol=1e-13)
    far = int(np.argmax(pairs["d"]))
    assert abs(explorer.number("r_far") - pairs["r"][far]) <= DECIMALS_2
    assert abs(explorer.number("draw_sd") - np.std(st["f"], ddof=1)) <= DECIMALS_2
    return pairs


def test_gp_tab_draws_what_teachkit_kernels_says(
    explorer: Explorer, pages: dict[str, Path]
) -> None:
    explorer.open(pages["fit"])
    explorer.tab("gp")
    assert _gp_settings(explorer) == (0.3, 20.0, "exp_quad")
    _check_gp_tab(explorer)
    assert explorer.text("jitter") == "10\u221210"
    z = explorer.columns("gp_stations")["z"]
    for family in ("exponential", "matern32"):
        explorer.select("gp_family", FAMILY_LABELS[family])  # the options show the labels
        assert _gp_settings(explorer)[2] == family
        _check_gp_tab(explorer)
    explorer.drag("gp_sigma", 0.9)
    explorer.drag("gp_ell", 0.07)
    _check_gp_tab(explorer)
    # the sliders keep the draw's z: the same draw, seen through another kernel
    np.testing.assert_array_equal(explorer.columns("gp_stations")["z"], z)
    assert explorer.text("draw") == "1"
    # a new draw: a new z, the same kernel
    explorer.page.locator(".gp_new_draw button").click()
    explorer.settle()
    assert explorer.text("draw") == "2"
    z2 = explorer.columns("gp_stations")["z"]
    assert not np.allclose(z2, z) and np.all(np.isfinite(z2))
    _check_gp_tab(explorer)
    # sigma = 0: no spread at all
    explorer.press("gp_sigma", "Home")
    assert np.all(explorer.columns("gp_stations")["f"] == 0)


def test_gp_longer_ell_strengthens_the_far_pair(explorer: Explorer, pages: dict[str, Path]) -> None:
    """Moving ell: the farthest pair's line (Gucheng-Huairou, 59.5 km) widens and darkens."""
    explorer.open(pages["fit"])
    explorer.tab("gp")
    lat, lon = _stations()
    names = load_beijing_stations()["station"].tolist()
    seen: dict[float, tuple[float, float, float, float]] = {}
    for key, times in (("Home", 1), ("ArrowRight", 19), ("ArrowRight", 20), ("End", 1)):
        ell = explorer.press("gp_ell", key, times)
        pairs = _check_gp_tab(explorer)
        far = int(np.argmax(pairs["d"]))
        assert {names[int(pairs["i"][far])], names[int(pairs["j"][far])]} == {"Gucheng", "Huairou"}
        assert far == 65  # drawn last, on top of the others
        strong = float(np.mean(pairs["r"] > 0.5))
        seen[ell] = (pairs["r"][far], pairs["width"][far], pairs["alpha"][far], strong)
    assert sorted(seen) == [1.0, 20.0, 40.0, 100.0]
    rows = [seen[e] for e in sorted(seen)]
    for column in range(4):
        values = [r[column] for r in rows]
        assert values == sorted(values) and values[0] < values[-1], (column, rows)
    assert rows[0][0] < 1e-100 and rows[-1][0] == pytest.approx(np.exp(-0.5 * 0.5954**2), rel=1e-3)
    assert rows[0][3] == 0 and rows[-1][3] == 1  # ell = 100 km: every pair above 0.5
    assert great_circle_km(lat, lon).max() == pytest.approx(59.5354, abs=1e-3)


# ---------------------------------------------------------------------------------------------
# presenter mode, tabs by address, the layout fitted to the window, tab 4's default station

PROJECTOR = {"width": 1024, "height": 768}
WIDE = {"width": 1920, "height": 1080}
#: js/present.js: fonts and controls in presenter mode
PRESENT_SCALE = 1.5

#: Every element of the page, in the document and in every (nested) shadow root, with its
#: box; BokehJS renders each widget and plot inside shadow roots, several levels deep.
_DEEP_BOXES = """() => {
    const out = [];
    const describe = e => e.tagName.toLowerCase()
        + (e.className && typeof e.className === 'string' ? '.' + e.className.trim()
            .split(/\\s+/).join('.') : '');
    const walk = (root, path) => {
        for (const e of root.querySelectorAll('*')) {
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.height > 0) {
                out.push({what: path + describe(e), tag: e.tagName.toLowerCase(),
                          left: r.left, right: r.right,
                          top: r.top, width: r.width});
            }
            if (e.shadowRoot) walk(e.shadowRoot, path + describe(e) + ' >> ');
        }
    };
    walk(document, '');
    return out;
}"""


def _wait_fitted(explorer: Explorer, mode: str, after: int = 0) -> int:
    """Wait until the page has been laid out (more than ``after`` times) in ``mode``."""
    explorer.page.wait_for_function(
        """([mode, after]) => document.documentElement.dataset.tkMode === mode
            && Number(document.documentElement.dataset.tkFitted) > after""",
        arg=[mode, after],
    )
    explorer.settle()
    return int(explorer.page.evaluate("Number(document.documentElement.dataset.tkFitted)"))


def _open_at(explorer: Explorer, path: Path, fragment: str, mode: str) -> int:
    explorer.page.goto(path.as_uri() + fragment)
    explorer.open_loaded()
    return _wait_fitted(explorer, mode)


def _click_presenter_button(explorer: Explorer, mode: str) -> None:
    """Click the header's visible "Presenter mode" button; wait for the page in ``mode``."""
    fitted = int(explorer.page.evaluate("Number(document.documentElement.dataset.tkFitted)"))
    button = explorer.page.locator(".present_toggle button")
    assert button.is_visible()
    box = button.bounding_box()
    viewport = explorer.page.viewport_size
    assert box is not None and viewport is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
    button.click()
    _wait_fitted(explorer, mode, after=fitted)


def _assert_fits_the_window(explorer: Explorer) -> None:
    """No horizontal scrollbar, and no visible element reaching past the window's width."""
    width = explorer.page.evaluate("innerWidth")
    scroll = explorer.page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " document.body.scrollWidth]"
    )
    assert scroll[0] <= scroll[1] and scroll[2] <= scroll[1], f"horizontal scroll: {scroll}"
    boxes = explorer.page.evaluate(_DEEP_BOXES)
    assert len(boxes) > 100  # the walk reached into the shadow roots
    assert any(b["tag"] == "canvas" for b in boxes), "no plot canvas found"
    outside = [b for b in boxes if b["right"] > width + 0.5 or b["left"] < -0.5]
    assert outside == [], f"beyond the {width}px window: {outside[:8]}"


def _ink(png: bytes) -> tuple[int, int]:
    """Height and width in pixels of the dark pixels (text) of a screenshot."""
    image = np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)
    rows, cols = np.nonzero(image < 150)
    assert rows.size > 0, "no text in the screenshot"
    return int(rows.max() - rows.min() + 1), int(cols.max() - cols.min() + 1)


def _rendered_text(explorer: Explorer) -> dict[str, tuple[int, int]]:
    """Ink size of text the page renders: a tab header and a slider's label (single lines)."""
    return {
        "tab header": _ink(explorer.page.locator(".bk-tab").nth(1).screenshot()),
        "slider label": _ink(
            explorer.page.locator(".lkj_eta .bk-slider-title >> visible=true").screenshot()
        ),
    }


def _plot_fonts(explorer: Explorer) -> dict[str, float]:
    """Font sizes (px) of tab 1's histogram: its title, axis labels and legend."""
    return explorer.page.evaluate(
        """() => {
            const fig = [...Bokeh.documents[0].all_models].find(m => m.type === 'Figure'
                && m.title && m.title.text && m.renderers.some(r => r.data_source
                && r.data_source.name === 'lkj_hist'));
            return {title: parseFloat(fig.title.text_font_size),
                    axis: parseFloat(fig.below[0].axis_label_text_font_size),
                    ticks: parseFloat(fig.below[0].major_label_text_font_size),
                    legend: parseFloat(fig.center.find(m => m.type === 'Legend')
                        .label_text_font_size)};
        }"""
    )


def test_presenter_button_scales_the_rendered_text(
    explorer: Explorer, pages: dict[str, Path], shots: Path
) -> None:
    """The visible button turns presenter mode on: text in the screenshots is 1.5 times as big."""
    explorer.page.set_viewport_size(WIDE)
    _open_at(explorer, pages["fit"], "", "normal")
    plain, plain_fonts = _rendered_text(explorer), _plot_fonts(explorer)
    explorer.page.screenshot(path=str(shots / "wide-normal-1.png"))
    _click_presenter_button(explorer, "present")
    assert explorer.page.evaluate("location.hash") == "#tab=1&present"
    assert explorer.page.evaluate("Bokeh.documents[0].get_model_by_name('present_toggle').active")
    presented, presented_fonts = _rendered_text(explorer), _plot_fonts(explorer)
    explorer.page.screenshot(path=str(shots / "wide-present-1.png"))
    for what, (height, width) in plain.items():
        big_height, big_width = presented[what]
        # glyphs are whole pixels and hinted: 1.5 times, to within a tenth
        assert big_height / height == pytest.approx(PRESENT_SCALE, rel=0.1), what
        assert big_width / width == pytest.approx(PRESENT_SCALE, rel=0.1), what
    # the plots' text grows too (a 1920-pixel window leaves the plots at their built size)
    for key, size in plain_fonts.items():
        assert presented_fonts[key] >= 1.3 * size, (key, plain_fonts, presented_fonts)
    _assert_fits_the_window(explorer)
    # and the button turns it off again
    _click_presenter_button(explorer, "normal")
    assert explorer.page.evaluate("location.hash") == "#tab=1"
    assert _rendered_text(explorer) == plain
    assert _plot_fonts(explorer) == plain_fonts


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5, 6])
def test_tab_opens_by_address_and_fits_a_projector(
    explorer: Explorer, pages: dict[str, Path], shots: Path, number: int
) -> None:
    """``#tab=N&present`` opens tab N in presenter mode; at 1024 x 768 nothing overflows."""
    explorer.page.set_viewport_size(PROJECTOR)
    _open_at(explorer, pages["fit"], f"#tab={number}&present", "present")
    tabs = "Bokeh.documents[0].get_model_by_name('tabs')"
    assert explorer.page.evaluate(f"{tabs}.active") == number - 1
    active = explorer.page.locator(".bk-tab.bk-active")
    assert active.inner_text().startswith(f"{number} ·")
    assert explorer.page.evaluate("teachkit.present.on")
    assert explorer.page.locator(".present_toggle button").inner_text() == "Presenter mode: on"
    _assert_fits_the_window(explorer)
    explorer.page.screenshot(path=str(shots / f"projector-present-{number}.png"))
    # the visible button turns presenter mode off; the page still fits, on the same tab
    _click_presenter_button(explorer, "normal")
    assert explorer.page.evaluate(f"{tabs}.active") == number - 1
    assert explorer.page.evaluate("location.hash") == f"#tab={number}"
    _assert_fits_the_window(explorer)
    explorer.page.screenshot(path=str(shots / f"projector-normal-{number}.png"))


def test_tab_and_mode_follow_the_address(explorer: Explorer, pages: dict[str, Path]) -> None:
    """Without a flag the page opens plainly on tab 1; a new address is applied at once."""
    explorer.page.set_viewport_size(PROJECTOR)
    fitted = _open_at(explorer, pages["no_fit"], "", "normal")
    tabs = "Bokeh.documents[0].get_model_by_name('tabs')"
    assert explorer.page.evaluate(f"{tabs}.active") == 0
    assert not explorer.page.evaluate("teachkit.present.on")
    _assert_fits_the_window(explorer)
    explorer.page.evaluate("location.hash = '#tab=4&present'")
    _wait_fitted(explorer, "present", after=fitted)
    assert explorer.page.evaluate(f"{tabs}.active") == 3
    _assert_fits_the_window(explorer)
    # clicking a tab writes it into the address, which then reopens it
    explorer.tab("corr")
    assert explorer.page.evaluate("location.hash") == "#tab=3&present"
    # a tab's number alone opens it in the normal mode
    explorer.page.goto(pages["no_fit"].as_uri() + "#tab=4")
    explorer.open_loaded()
    _wait_fitted(explorer, "normal")
    assert explorer.page.evaluate(f"{tabs}.active") == 3
    assert explorer.page.locator(".bk-tab.bk-active").inner_text().startswith("4 ·")
    # a query string works as well, and out-of-range tabs are ignored
    explorer.page.goto(pages["no_fit"].as_uri() + "?tab=2&present=1")
    explorer.open_loaded()
    _wait_fitted(explorer, "present")
    assert explorer.page.evaluate(f"{tabs}.active") == 1
    explorer.page.goto(pages["no_fit"].as_uri() + "#tab=9")
    explorer.open_loaded()
    _wait_fitted(explorer, "normal")
    assert explorer.page.evaluate(f"{tabs}.active") == 0


def test_pooling_starts_at_the_station_with_the_largest_gap(
    explorer: Explorer, pages: dict[str, Path]
) -> None:
    from teachkit.explorer.tab_pooling import default_group

    explorer.open(pages["fit"])
    expected = default_group(pooling_data("beijing"))
    assert explorer.model("pool_group")["value"] == expected
    np_line, pp_line = explorer.columns("pool_line_np"), explorer.columns("pool_line_pp")
    assert np.max(np.abs(np_line["y"] - pp_line["y"])) > 0.3
