"""The lecture scripts, opened as notebooks (jupytext) and executed (nbclient) in quick mode,
show every figure they make, and nothing a class should not see: no warning, no traceback,
no raw object dump, nothing on stderr. Each runs twice: in a kernel started with
``MPLBACKEND=Agg`` in its environment (servers, CI) and in one without it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
LECTURES = ["multilevel_covariance.py", "known_truth.py"]
#: What must never appear in a cell's output.
FORBIDDEN = ("Warning", "Traceback", "Diagnostics(")


def execute(script: Path | str, workdir: Path, monkeypatch: pytest.MonkeyPatch, **client_options):
    """The script (a path or its text) as a notebook, executed in a fresh kernel in ``workdir``.

    The kernel inherits the environment: quick mode, and this checkout's teachkit first on the
    path (the kernel starts in ``workdir``, not here).
    """
    import jupytext
    from nbclient import NotebookClient

    monkeypatch.setenv("TEACHKIT_QUICK", "1")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    if isinstance(script, Path):
        notebook = jupytext.read(script)
    else:
        notebook = jupytext.reads(script, fmt="py:percent")
    client = NotebookClient(
        notebook, timeout=900, kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}}, **client_options,
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


#: Every lecture in both kinds of kernel, except the GP lecture (its 26 fits make it the
#: longest), which runs once, in the kernel of servers and CI.
RUNS = [
    pytest.param(name, backend, id=f"{name}-{label}")
    for name in LECTURES
    for backend, label in (("Agg", "MPLBACKEND=Agg"), (None, "no-MPLBACKEND"))
] + [pytest.param("gaussian_processes.py", "Agg", id="gaussian_processes.py-MPLBACKEND=Agg")]


@pytest.mark.parametrize(("name", "backend"), RUNS)
def test_lecture_notebook_shows_every_figure_it_saves(
    name: str, backend: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend is None:
        monkeypatch.delenv("MPLBACKEND", raising=False)
    else:
        monkeypatch.setenv("MPLBACKEND", backend)
    notebook = execute(ROOT / "lectures" / name, tmp_path, monkeypatch)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    shown = []
    for cell in code_cells:
        names = saved_names(cell)
        assert images(cell) == len(names), (names, cell.source[:200])
        shown += names
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", out.get("evalue")
            assert out.get("name") != "stderr", f"stderr: {out.get('text', '')[:500]}"
            text = out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
            for word in FORBIDDEN:
                assert word not in text, f"{word!r} in the output of:\n{cell.source[:300]}"
    saved = sorted(p.stem for p in (tmp_path / "lecture-figures").glob("*.png"))
    assert saved == sorted(shown) and saved, saved


def test_student_notebook_runs_to_its_first_exercise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The student's copy of the known-truth lecture runs until an exercise's stub is called:
    every cell before it without error, that cell with the stub's NotImplementedError."""
    from teachkit.lectures import lecture_script, student_version

    text = student_version(lecture_script("known_truth").read_text(encoding="utf-8"))
    notebook = execute(text, tmp_path, monkeypatch, allow_errors=True)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    failed = [i for i, c in enumerate(code) if any(o.output_type == "error" for o in c.outputs)]
    assert failed, "the student's copy ran its exercises without an answer"
    first = code[failed[0]]
    assert "exercise_" in first.source and "def " not in first.source, first.source
    errors = [o for o in first.outputs if o.output_type == "error"]
    assert errors[0].ename == "NotImplementedError"
    assert any(images(c) for c in code[: failed[0]])  # the recovery figure ran before it
