"""The lecture scripts, opened as notebooks (jupytext) and executed (nbclient) in quick mode,
show every figure they make, and nothing a class should not see: no warning, no traceback,
no raw object dump, nothing on stderr.

Each lecture is executed once per session (``executed_lecture`` in tests/conftest.py), in a
kernel started without ``MPLBACKEND`` (the inline backend: a figure left open would show a
second time). The lecture's opening, up to its first figure, runs in both kinds of kernel:
with ``MPLBACKEND=Agg`` in its environment (servers, CI), where nothing shows a figure unless
the lecture hands it to the notebook, and without it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
LECTURES = ["multilevel_covariance.py", "known_truth.py", "gaussian_processes.py"]
#: What must never appear in a cell's output.
FORBIDDEN = ("Warning", "Traceback", "Diagnostics(")


def images(cell) -> int:
    return sum("image/png" in out.get("data", {}) for out in cell.get("outputs", []))


def saved_names(source: str) -> list[str]:
    """Figures a cell's code saves: show("name") calls and savefig of a named PNG."""
    return re.findall(r'show\("([\w-]+)"\)', source) + re.findall(r'"([\w-]+)\.png"', source)


def check_shows_every_figure_it_saves(notebook, workdir: Path) -> None:
    """Each code cell shows as many figures as it saves, and nothing forbidden; the figures
    saved to ``workdir/lecture-figures`` are the ones shown."""
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    shown = []
    for cell in code_cells:
        names = saved_names(cell.source)
        assert images(cell) == len(names), (names, cell.source[:200])
        shown += names
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", out.get("evalue")
            assert out.get("name") != "stderr", f"stderr: {out.get('text', '')[:500]}"
            text = out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
            for word in FORBIDDEN:
                assert word not in text, f"{word!r} in the output of:\n{cell.source[:300]}"
    saved = sorted(p.stem for p in (workdir / "lecture-figures").glob("*.png"))
    assert saved == sorted(shown) and saved, saved


@pytest.mark.parametrize("name", LECTURES)
def test_lecture_notebook_shows_every_figure_it_saves(name: str, executed_lecture) -> None:
    run = executed_lecture(name)
    check_shows_every_figure_it_saves(run.notebook, run.workdir)


def opening(script: Path) -> str:
    """The lecture's cells up to and including the first one that shows a figure."""
    text = script.read_text(encoding="utf-8")
    cells = re.split(r"(?m)^(?=# %%)", text)
    for i, cell in enumerate(cells):
        if cell.startswith("# %%\n") and saved_names(cell):
            return "".join(cells[: i + 1])
    raise AssertionError(f"{script.name} shows no figure")


@pytest.mark.parametrize("backend", ["Agg", None], ids=["MPLBACKEND=Agg", "no-MPLBACKEND"])
def test_the_first_figure_shows_once_in_either_kind_of_kernel(
    backend: str | None, tmp_path: Path, lecture_env: dict, run_notebook
) -> None:
    """The main lecture's opening (its imports, ``show`` and the first slide) in a kernel
    with and without ``MPLBACKEND=Agg``: the figure shows under its cell, once."""
    import jupytext

    text = opening(ROOT / "lectures" / "multilevel_covariance.py")
    notebook = run_notebook(text, tmp_path, {**lecture_env, "MPLBACKEND": backend})
    assert jupytext.reads(text, fmt="py:percent").cells[-1].source == notebook.cells[-1].source
    assert images(notebook.cells[-1]) == 1
    check_shows_every_figure_it_saves(notebook, tmp_path)


def test_student_notebook_runs_to_its_first_exercise(
    tmp_path: Path, executed_lecture, lecture_env: dict, run_notebook
) -> None:
    """The student's copy of the known-truth lecture runs until an exercise's stub is called:
    every cell before it without error, that cell with the stub's NotImplementedError. (Its
    fits come from the lecture's run, in the shared fit store.)"""
    from teachkit.lectures import lecture_script, student_version

    executed_lecture("known_truth.py")  # the fits, sampled once
    text = student_version(lecture_script("known_truth").read_text(encoding="utf-8"))
    notebook = run_notebook(text, tmp_path, lecture_env, allow_errors=True)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    failed = [i for i, c in enumerate(code) if any(o.output_type == "error" for o in c.outputs)]
    assert failed, "the student's copy ran its exercises without an answer"
    first = code[failed[0]]
    assert "exercise_" in first.source and "def " not in first.source, first.source
    errors = [o for o in first.outputs if o.output_type == "error"]
    assert errors[0].ename == "NotImplementedError"
    assert any(images(c) for c in code[: failed[0]])  # the recovery figure ran before it
