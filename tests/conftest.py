"""The lectures, executed once per test session and shared by the tests that check them.

A lecture run in quick mode takes minutes (the main lecture about two, the GP lecture one
and a half), so each lecture is executed once, as a notebook (jupytext, nbclient) in a kernel
started without ``MPLBACKEND`` (the inline backend, where a figure left open would show a
second time), and every test of its outputs reads that run: tests/test_notebooks.py (every
figure shown, nothing a class should not see), tests/test_lectures.py (the figures and the
printed results) and tests/test_docs.py (the site's build reads the fits from the same store).

One fit store holds every fit with the quick settings on the real data (2 chains x 300
draws, seed 1: the lectures' quick mode, and the settings of the ozone and grants figure
tests, whose figure contexts use it too): whichever test first needs a fit samples it, every
later one reads it. The tests that run a lecture's code again (the student's copy, the script
from the clone, the site's build) request the lecture's run first, so they never sample what
it already has; the known-truth lecture's fits (simulated data) are sampled in its notebook.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: A cell appended to the known-truth lecture's run (and removed before any test sees the
#: notebook): it prints the exercises' answers, as the script's ``--answers FILE`` writes them.
ANSWERS_PROBE = (
    "import json as _json\n"
    'print(_json.dumps({"rho_zero": rho_answer, '
    '"shrinkage": {str(k): v for k, v in shrink_answer.items()}}))'
)


def execute_notebook(
    script: Path | str, workdir: Path, env: dict[str, str | None], **client_options
):
    """The script (a path or its text) as a notebook, executed in a fresh kernel in ``workdir``.

    ``env`` is set in the kernel's environment (``None`` removes a variable); the kernel
    inherits the rest of this process's environment.
    """
    import jupytext
    from nbclient import NotebookClient

    if isinstance(script, Path):
        notebook = jupytext.read(script)
    else:
        notebook = jupytext.reads(script, fmt="py:percent")
    probe = client_options.pop("probe", None)
    if probe is not None:
        notebook.cells.append(jupytext.reads(f"# %%\n{probe}\n", fmt="py:percent").cells[0])
    client = NotebookClient(
        notebook, timeout=900, kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}}, **client_options,
    )  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        client.execute()
    return notebook


def stdout_of(cells) -> str:
    """Everything the cells printed, in order."""
    return "".join(
        out.get("text", "")
        for cell in cells
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stdout"
    )


@dataclass
class LectureRun:
    """A lecture executed as a notebook: the notebook with its outputs, and its folder."""

    notebook: object
    workdir: Path
    #: What the appended probe cell printed (the cell itself is no longer in ``notebook``).
    probe: str = ""

    @property
    def code_cells(self) -> list:
        return [c for c in self.notebook.cells if c.cell_type == "code"]

    @property
    def stdout(self) -> str:
        return stdout_of(self.code_cells)

    @property
    def figures(self) -> list[str]:
        """The PNGs the lecture saved to its default folder, by name."""
        return sorted(p.stem for p in (self.workdir / "lecture-figures").glob("*.png"))

    def answers(self) -> dict:
        return json.loads(self.probe)


@pytest.fixture(scope="session")
def run_notebook() -> Callable[..., object]:
    """:func:`execute_notebook`, for the tests that execute a notebook of their own."""
    return execute_notebook


@pytest.fixture(scope="session")
def quick_fit_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's store of quick fits: the lectures' runs and the figure tests share it."""
    return tmp_path_factory.mktemp("lecture-fit-store")


@pytest.fixture(scope="session")
def lecture_env(quick_fit_store: Path) -> dict[str, str | None]:
    """A lecture kernel's environment: quick mode, this checkout's teachkit first on the path
    (the kernel starts in its own folder, not here), the quick fit store, no MPLBACKEND."""
    return {
        "TEACHKIT_QUICK": "1",
        "PYTHONPATH": str(ROOT),
        "TEACHKIT_FIT_STORE": str(quick_fit_store),
        "MPLBACKEND": None,
    }


@pytest.fixture(scope="session")
def executed_lecture(
    tmp_path_factory: pytest.TempPathFactory, lecture_env: dict[str, str | None]
) -> Callable[[str], LectureRun]:
    """``executed_lecture("known_truth.py")``: that lecture's run, executed on first request."""
    runs: dict[str, LectureRun] = {}

    def run(name: str) -> LectureRun:
        if name not in runs:
            workdir = tmp_path_factory.mktemp(re.sub(r"\W", "-", name))
            probe = ANSWERS_PROBE if name == "known_truth.py" else None
            notebook = execute_notebook(ROOT / "lectures" / name, workdir, lecture_env, probe=probe)
            printed = ""
            if probe is not None:
                printed = stdout_of([notebook.cells.pop()])
            runs[name] = LectureRun(notebook, workdir, printed)
        return runs[name]

    return run
