"""The three recipes of docs/design.md, followed with a toy: add a case study, add a model to
it, add a figure to it. Each step touches only the files its recipe names, and teachkit's
generic machinery (fit store, recovery, LOO comparison, figures) then serves the result.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from teachkit.registry import register_case, unregister_case

HERE = Path(__file__).resolve().parent
RECIPES = HERE / "recipes"
ROOT = HERE.parent
PACKAGE = ROOT / "teachkit"
#: The settings of every toy fit: small, the toy's posterior is simple.
SETTINGS = {"draws": 300, "tune": 300, "chains": 2, "seed": 4}


def recipe_files(title: str) -> set[str]:
    """The files the recipe called ``title`` in docs/design.md names (in backticks)."""
    design = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    match = re.search(rf"\*\*Recipe: {re.escape(title)}\.\*\*(.*?)(?=\n\n\*\*|\n## |\Z)",
                      design, re.S)  # fmt: skip
    assert match, f"docs/design.md has no recipe {title!r}"
    return set(re.findall(r"`((?:teachkit|tests)/[^`]+\.py)`", match.group(1)))


def snapshot(folder: Path) -> dict[str, str]:
    """Each file under ``folder`` and a hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.py"))
        if "__pycache__" not in p.parts
    }


def append(path: Path, step: str) -> None:
    """Apply a recipe step: append its fragment to ``path``."""
    path.write_text(path.read_text(encoding="utf-8") + "\n" + (RECIPES / "steps" / step)
                    .read_text(encoding="utf-8"), encoding="utf-8")  # fmt: skip


@pytest.fixture
def toy_folder(tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the toy case package, importable as ``toycase``; unregistered after."""
    shutil.copytree(RECIPES / "toycase", tmp_path / "toycase")
    sys.path.insert(0, str(tmp_path))
    yield tmp_path / "toycase"
    unregister_case("toy")
    sys.path.remove(str(tmp_path))
    for name in [m for m in sys.modules if m == "toycase" or m.startswith("toycase.")]:
        del sys.modules[name]


def load_toy():
    """Import the toy package afresh and register its case study (as BUILTIN would)."""
    for name in [m for m in sys.modules if m == "toycase" or m.startswith("toycase.")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    case = importlib.import_module("toycase").CASE
    return register_case(case, replace=True)


def test_the_case_recipe_names_exactly_the_toys_files() -> None:
    named = recipe_files("add a case study")
    toy = {f"teachkit/cases/<name>/{p.name}" for p in (RECIPES / "toycase").glob("*.py")}
    assert toy <= named
    assert named - toy == {"teachkit/registry.py"}  # the one registration line
    assert recipe_files("add a model to a case") == {
        "teachkit/cases/<name>/models.py", "tests/cases/<name>/test_models.py"}  # fmt: skip
    # teachkit/core_figures.py: where a core-maths figure goes instead of a case's
    assert recipe_files("add a figure") == {
        "teachkit/cases/<name>/plots.py", "teachkit/cases/<name>/figures.py",
        "tests/cases/<name>/test_plots.py", "tests/cases/<name>/test_figures.py",
        "teachkit/core_figures.py"}  # fmt: skip


@pytest.mark.slow
def test_following_the_recipes_needs_no_other_file(toy_folder: Path, tmp_path: Path) -> None:
    from teachkit.figures import FigureContext, registered_figures, render
    from teachkit.pipeline import compare_models, fit_model
    from teachkit.recovery import recover

    teachkit_before = snapshot(PACKAGE)

    # 1. a case study: its package, registered; fit, recover, compare and its figure work
    toy = load_toy()
    assert toy.models == ("mean",)
    result = fit_model("toy", "mean", **SETTINGS)
    assert set(result.record["parameters"]) == {"mu", "sigma"}
    assert fit_model("toy", "mean", **SETTINGS).from_store
    table = recover("toy", "mean", **SETTINGS)
    assert list(table.index) == ["mu", "sigma"] and table.attrs["all_hyperparameters_inside"]
    assert "toy-histogram" in registered_figures()

    # 2. a model: models.py only
    before = snapshot(toy_folder)
    append(toy_folder / "models.py", "add_model.py")
    changed = {k for k, v in snapshot(toy_folder).items() if before.get(k) != v}
    assert changed == {"models.py"}
    toy = load_toy()
    assert toy.models == ("mean", "known_scale")
    table = recover("toy", "known_scale", **SETTINGS)
    assert list(table.index) == ["mu"] and table.attrs["all_hyperparameters_inside"]
    comparison = compare_models("toy", **SETTINGS)
    assert set(comparison.table.index) == {"mean", "known_scale"}

    # 3. a figure: plots.py and figures.py only
    before = snapshot(toy_folder)
    append(toy_folder / "plots.py", "add_figure_plot.py")
    append(toy_folder / "figures.py", "add_figure_entry.py")
    changed = {k for k, v in snapshot(toy_folder).items() if before.get(k) != v}
    assert changed == {"plots.py", "figures.py"}
    load_toy()
    assert {"toy-histogram", "toy-sorted"} <= set(registered_figures())
    (rendered,) = render(["toy-sorted"], out=tmp_path / "out", context=FigureContext(**SETTINGS))
    from PIL import Image

    with Image.open(rendered.paths[0]) as png:
        assert png.size == (1920, 1080)

    assert snapshot(PACKAGE) == teachkit_before  # nothing in teachkit itself changed
