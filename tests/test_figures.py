"""Tests for teachkit.figures: the registry, the slide canvas, rendering, fits from the store
and the CLI.

The figures' teaching-point tests are beside the modules that list them: the core maths' in
tests/test_core_figures.py, the case studies' in tests/cases/<case>/test_figures.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.image as mpimg
import pytest

from teachkit import figures
from teachkit.cli import main
from teachkit.core_figures import CORE_FIGURES
from teachkit.figure_entry import FigureEntry
from teachkit.figures import FigureContext, buildup_steps, draw_figure, registered_figures, render
from teachkit.plots.lint import slide_problems
from teachkit.plots.style import SLIDE_PIXELS
from teachkit.store import FitStore

FIGURES = registered_figures()

#: Figures that need no model fit (fast to render in every test run).
NO_FITS = [
    "grants-award-rates", "grants-dag", "grants-dag-2", "ozone-prior-predictive-1",
    "ozone-prior-predictive-2", "ozone-station-map", "covariance-mvn-1", "covariance-mvn-2",
    "covariance-mvn-3", "covariance-wishart", "covariance-factoring", "covariance-invalid",
    "covariance-elliptope", "covariance-lkj", "covariance-cholesky", "glm-logit-prior",
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
    assert {"grants", "ozone", "covariance", "pooling", "glm"} <= groups


def test_registry_lists_figures_in_lecture_order() -> None:
    """By storyboard row; figures without a row last, in registration order (each case's,
    then the core maths')."""
    rows = [e.row for e in FIGURES.values()]
    with_row = [r for r in rows if r is not None]
    assert rows[: len(with_row)] == sorted(with_row)
    core = [e.name for e in CORE_FIGURES]
    assert [n for n in FIGURES if n in core] == core  # the core maths' own order is kept


def test_build_up_steps_share_a_row_range_and_are_numbered_from_one() -> None:
    """Steps in order from 1 (a base name counts as its step 1); a build-up may span rows
    (the grants gap: row 3, and row 5 adds the direct gap)."""
    steps: dict[str, list[int]] = {}
    for base, number in buildup_steps(FIGURES).values():
        steps.setdefault(base, []).append(number)
    steps = {base: sorted(numbers) for base, numbers in steps.items()}
    assert steps["covariance-mvn"] == [1, 2, 3] and steps["grants-dag"] == [1, 2]
    for base, numbers in steps.items():
        assert numbers == list(range(1, len(numbers) + 1)), base


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_figure_states_its_teaching_point_in_one_sentence(name: str) -> None:
    point = FIGURES[name].point
    assert point.endswith(".") and point[0].isupper(), point
    assert not re.search(r"[.!?] [A-Z]", point[:-1]), f"more than one sentence: {point}"
    assert 40 <= len(point) <= 200, point


def test_list_prints_each_figure_with_its_row_step_and_point(capsys) -> None:
    assert main(["figures", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(FIGURES)
    for line, entry in zip(lines, FIGURES.values(), strict=True):
        assert line.endswith(entry.point)
        assert (f"row {entry.row} " in line) == (entry.row is not None)
    dag = {line.split()[0]: line for line in lines if line.startswith("grants-dag")}
    assert " step 1/2 " in dag["grants-dag"] and " step 2/2 " in dag["grants-dag-2"]
    mvn = {line.split()[0]: line for line in lines if line.startswith("covariance-mvn-")}
    assert [" step 1/3 " in mvn["covariance-mvn-1"], " step 3/3 " in mvn["covariance-mvn-3"]] == [
        True, True]  # fmt: skip


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


def test_a_figure_needing_dot_is_skipped_without_it(tmp_path: Path, monkeypatch) -> None:
    graph = FigureEntry("a-graph", "needs Graphviz", lambda ctx: None, needs_program="dot")
    monkeypatch.setattr(figures, "registered_figures", lambda case=None: {"a-graph": graph})
    monkeypatch.setattr(figures.shutil, "which", lambda program: None)
    messages: list[str] = []
    (result,) = render(["a-graph"], out=tmp_path, status=messages.append)
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
    shown = re.findall(r"\(docs/gallery/([a-z0-9-]+)\.png\)", gallery)
    assert shown == list(FIGURES)  # in lecture order, each once
