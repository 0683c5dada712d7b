"""Tests for teachkit.figures: the registry, the slide canvas, the core-maths figures' teaching
points, rendering, fits from the store and the CLI.

The case studies' figures have their teaching-point tests in tests/cases/<case>/test_figures.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

from teachkit import figures
from teachkit.cli import main
from teachkit.covariance import build_covariance, feasible_rho_interval, is_correlation
from teachkit.figures import (
    EXAMPLE_RHO,
    EXAMPLE_SDS,
    FigureContext,
    draw_figure,
    registered_figures,
    render,
)
from teachkit.plots.lint import slide_problems
from teachkit.plots.style import SLIDE_PIXELS
from teachkit.store import FitStore

FIGURES = registered_figures()

#: Figures that need no model fit (fast to render in every test run).
NO_FITS = [
    "grants-award-rates", "grants-dag", "ozone-prior-predictive", "covariance-mvn",
    "covariance-factoring", "covariance-lkj", "covariance-elliptope", "covariance-cholesky",
]  # fmt: skip


def not_blank(path: Path) -> bool:
    image = mpimg.imread(path)
    return float(image[..., :3].std()) > 0.01


def png_size(path: Path) -> tuple[int, int]:
    height, width = mpimg.imread(path).shape[:2]
    return width, height


def test_registry_has_at_least_18_named_figures() -> None:
    assert len(FIGURES) >= 18
    for name, entry in FIGURES.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", name), name
        assert entry.name == name and entry.description
    groups = {name.split("-")[0] for name in FIGURES}
    assert {"grants", "ozone", "covariance", "pooling"} <= groups


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_figure_states_its_teaching_point_in_one_sentence(name: str) -> None:
    point = FIGURES[name].point
    assert point.endswith(".") and point[0].isupper(), point
    assert not re.search(r"[.!?] [A-Z]", point[:-1]), f"more than one sentence: {point}"
    assert 40 <= len(point) <= 200, point


def test_list_prints_each_figure_with_its_point(capsys) -> None:
    assert main(["figures", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(FIGURES)
    assert [line.split(maxsplit=1)[1] for line in lines] == [e.point for e in FIGURES.values()]


def test_figures_without_fits_render_on_the_slide_canvas(tmp_path: Path) -> None:
    """PNG exactly 1920 x 1080 px; SVG and PDF the same 12.8 x 7.2 in (921.6 x 518.4 pt)."""
    results = render(NO_FITS, out=tmp_path, formats=["png", "svg", "pdf"],
                     context=FigureContext("simulated"))  # fmt: skip
    assert [r.name for r in results] == NO_FITS
    for r in results:
        png, svg, pdf = r.paths
        assert not_blank(png), r.name
        assert png_size(png) == SLIDE_PIXELS, r.name
        text = svg.read_text(encoding="utf-8")
        assert text.lstrip().startswith("<?xml")
        assert 'width="921.6pt" height="518.4pt"' in text, r.name
        assert re.search(rb"/MediaBox \[ ?0 0 921\.6 518\.4 ?\]", pdf.read_bytes()), r.name


@pytest.mark.parametrize("name", NO_FITS)
def test_figures_without_fits_read_well_at_slide_size(name: str) -> None:
    """No text cut off or overlapping (e.g. crowded tick labels), every symbol typeset."""
    assert slide_problems(draw_figure(name, FigureContext("real"))) == []


# --- the core-maths figures' teaching points ----------------------------------------------


def scatters(fig) -> list:
    return [ax for ax in fig.axes if ax.collections]


def test_mvn_point_same_marginals_different_joint() -> None:
    """Fails if the two panels' marginals differ or both show the same correlation."""
    joint, independent = (
        np.asarray(ax.collections[0].get_offsets())
        for ax in scatters(draw_figure("covariance-mvn", FigureContext("real")))
    )
    np.testing.assert_allclose(joint.std(axis=0), independent.std(axis=0), rtol=0.1)
    np.testing.assert_allclose(joint.std(axis=0), EXAMPLE_SDS, rtol=0.1)
    assert np.corrcoef(joint.T)[0, 1] == pytest.approx(EXAMPLE_RHO, abs=0.05)
    assert np.corrcoef(independent.T)[0, 1] == pytest.approx(0.0, abs=0.05)


def test_factoring_point_sigma_is_the_correlations_scaled_by_the_sds() -> None:
    """Fails if a panel is not diag(sigma), R is not a correlation matrix, or the product
    of the three factors is not the Sigma drawn."""
    fig = draw_figure("covariance-factoring", FigureContext("real"))
    sigma, left, corr, right = (np.asarray(ax.get_images()[0].get_array()) for ax in fig.axes)
    np.testing.assert_allclose(left, np.diag(EXAMPLE_SDS))
    np.testing.assert_allclose(right, left)
    assert is_correlation(corr)
    np.testing.assert_allclose(sigma, left @ corr @ right)


def test_lkj_point_eta_sets_how_strongly_weak_correlations_are_favoured() -> None:
    """Fails if eta = 1 is not flat, a larger eta does not pull rho toward 0 (higher density
    at 0, smaller sd), or eta < 1 does not push it to the ends."""
    (ax,) = draw_figure("covariance-lkj", FigureContext("real")).axes
    curves = {float(re.search(r"[\d.]+", ln.get_label()).group()): ln.get_data()
              for ln in ax.get_lines()}  # fmt: skip
    r, flat = curves[1.0]
    np.testing.assert_allclose(flat, 0.5)  # uniform on (-1, 1)
    step = r[1] - r[0]
    at_zero = {eta: np.interp(0.0, *xy) for eta, xy in curves.items()}
    sd = {eta: np.sqrt(np.sum(xy[0] ** 2 * xy[1]) * step) for eta, xy in curves.items()}
    wider = sorted(e for e in curves if e >= 1)
    assert [at_zero[e] for e in wider] == sorted(at_zero[e] for e in wider)
    assert [sd[e] for e in wider] == sorted((sd[e] for e in wider), reverse=True)
    for eta in (e for e in curves if e < 1):
        x, y = curves[eta]
        assert np.interp(0.95, x, y) > 2 * at_zero[eta]


def test_elliptope_point_invalid_matrix_outside_nearest_valid_on_the_surface() -> None:
    """Fails if the lecture's matrix were valid, the joined matrix not on the surface, or the
    figure unreadable (its tick labels crowd: checked by slide_problems above)."""
    (ax,) = draw_figure("covariance-elliptope", FigureContext("real")).axes
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "to the nearest valid matrix"]
    (xy, xz, yz), (xy2, xz2, yz2) = np.column_stack(line.get_data_3d())
    matrix = lambda a, b, c: np.array([[1, a, b], [a, 1, c], [b, c, 1]])  # noqa: E731
    assert not is_correlation(matrix(xy, xz, yz))
    low, high = feasible_rho_interval(xy, xz)
    assert not low <= yz <= high  # outside the elliptope
    assert is_correlation(matrix(xy2, xz2, yz2))
    low2, high2 = feasible_rho_interval(xy2, xz2)
    assert min(abs(yz2 - low2), abs(yz2 - high2)) < 1e-6  # on its surface


def test_cholesky_point_lz_has_covariance_sigma() -> None:
    """Fails if the right panel were not L z, or its points did not have covariance Sigma."""
    left, right = draw_figure("covariance-cholesky", FigureContext("real")).axes
    z = np.asarray(left.collections[0].get_offsets())
    x = np.asarray(right.collections[0].get_offsets())
    sigma = build_covariance(list(EXAMPLE_SDS), [[1.0, EXAMPLE_RHO], [EXAMPLE_RHO, 1.0]])
    np.testing.assert_allclose(x, z @ np.linalg.cholesky(sigma).T)
    np.testing.assert_allclose(np.cov(z.T), np.eye(2), atol=0.2)
    np.testing.assert_allclose(np.cov(x.T), sigma, atol=0.1 * np.abs(sigma).max() + 0.2)


def test_model_graph_is_skipped_without_dot(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(figures.shutil, "which", lambda program: None)
    messages: list[str] = []
    (result,) = render(["model-graph"], out=tmp_path, status=messages.append)
    assert result.paths == () and "'dot' program (Graphviz) is not installed" in result.skipped
    assert messages == [result.skipped]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["figures", "--only", "nope"], "unknown figure(s) nope"),
        (["figures", "--only", "covariance-lkj", "--format", "gif"], "unknown format(s) gif"),
        (["figures", "--data", "mars"], "unknown figure data 'mars'; choose one of: real, simu"),
    ],
)
def test_figures_mistakes_exit_2(argv, message: str, tmp_path: Path, capsys) -> None:
    assert main([*argv, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err


@pytest.mark.slow
def test_every_figure_renders_and_the_second_run_reads_the_store(tmp_path: Path) -> None:
    store = FitStore(tmp_path / "store")

    def run(messages: list[str]) -> list:
        ctx = FigureContext("simulated", store=store, draws=200, tune=200, chains=2,
                            status=messages.append)  # fmt: skip
        return render(out=tmp_path / "figures", context=ctx, status=messages.append)

    first: list[str] = []
    written = [r for r in run(first) if not r.skipped]
    assert len(written) >= 18
    for r in written:
        (png,) = r.paths
        assert not_blank(png), r.name
        assert png_size(png) == SLIDE_PIXELS, r.name  # every figure: one slide canvas
    assert any(m.startswith("fitting ") for m in first)
    second: list[str] = []
    run(second)
    assert not any(m.startswith("fitting ") for m in second)
    assert any(m.startswith("read the stored fit") for m in second)


def test_the_readme_gallery_shows_every_figure_as_a_slide() -> None:
    """docs/gallery holds every registered figure at 1920 x 1080 and the README shows each."""
    root = Path(__file__).resolve().parent.parent
    gallery = (root / "README.md").read_text(encoding="utf-8").split("## Gallery", 1)[1]
    gallery = gallery.split("\n## ", 1)[0]
    for name in FIGURES:
        assert f"(docs/gallery/{name}.png)" in gallery, name
        assert png_size(root / "docs" / "gallery" / f"{name}.png") == SLIDE_PIXELS, name
