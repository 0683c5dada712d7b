"""Tests for teachkit.figures: the registry, rendering, fits from the store and the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.image as mpimg
import pytest

from teachkit import figures
from teachkit.cli import main
from teachkit.figures import FigureContext, registered_figures, render
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


def test_registry_has_at_least_18_named_figures() -> None:
    assert len(FIGURES) >= 18
    for name, entry in FIGURES.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", name), name
        assert entry.name == name and entry.description
    groups = {name.split("-")[0] for name in FIGURES}
    assert {"grants", "ozone", "covariance", "pooling"} <= groups


def test_list_prints_one_line_per_figure(capsys) -> None:
    assert main(["figures", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(FIGURES)
    assert all(len(line.split(maxsplit=1)) == 2 for line in lines)


def test_figures_without_fits_render_and_are_not_blank(tmp_path: Path) -> None:
    results = render(NO_FITS, out=tmp_path, formats=["png", "svg"],
                     context=FigureContext("simulated"))  # fmt: skip
    assert [r.name for r in results] == NO_FITS
    for r in results:
        png, svg = r.paths
        assert not_blank(png), r.name
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")


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
        ctx = FigureContext("simulated", store=store, draws=200, tune=200, status=messages.append)
        return render(out=tmp_path / "figures", context=ctx, status=messages.append)

    first: list[str] = []
    written = [r for r in run(first) if not r.skipped]
    assert len(written) >= 18
    for r in written:
        (png,) = r.paths
        assert not_blank(png), r.name
    assert any(m.startswith("fitting ") for m in first)
    second: list[str] = []
    run(second)
    assert not any(m.startswith("fitting ") for m in second)
    assert any(m.startswith("read the stored fit") for m in second)
