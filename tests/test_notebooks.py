"""The lecture scripts, opened as notebooks (jupytext) and executed (nbclient) in quick mode,
show every figure they make, and nothing a class should not see: no warning, no traceback,
no raw object dump."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
LECTURES = ["multilevel_covariance.py", "known_truth.py"]
#: What must never appear in a cell's output.
FORBIDDEN = ("Warning", "Traceback", "Diagnostics(")


def execute(script: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch):
    """The script as a notebook, executed in a fresh kernel started in ``workdir``."""
    import jupytext
    from nbclient import NotebookClient

    monkeypatch.setenv("TEACHKIT_QUICK", "1")  # the kernel inherits the environment
    notebook = jupytext.read(script)
    client = NotebookClient(
        notebook, timeout=900, kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
    )  # fmt: skip
    client.execute()
    return notebook


def images(cell) -> int:
    return sum("image/png" in out.get("data", {}) for out in cell.get("outputs", []))


def saved_names(cell) -> list[str]:
    """Figures a cell saves: show("name") calls and savefig of a named PNG."""
    return re.findall(r'show\("([\w-]+)"\)', cell.source) + re.findall(
        r'"([\w-]+)\.png"', cell.source
    )


@pytest.mark.parametrize("name", LECTURES)
def test_lecture_notebook_shows_every_figure_it_saves(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebook = execute(ROOT / "lectures" / name, tmp_path, monkeypatch)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    shown = []
    for cell in code_cells:
        names = saved_names(cell)
        assert images(cell) == len(names), (names, cell.source[:200])
        shown += names
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", out.get("evalue")
            text = out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
            for word in FORBIDDEN:
                assert word not in text, f"{word!r} in the output of:\n{cell.source[:300]}"
    saved = sorted(p.stem for p in (tmp_path / "lecture-figures").glob("*.png"))
    assert saved == sorted(shown) and saved, saved
