"""The lecture scripts' helpers: where the scripts are, how they show a figure, student copies.

The lectures (``lectures/multilevel_covariance.py`` and ``lectures/known_truth.py``) are
Jupytext percent scripts. They ship inside the wheel as ``teachkit/data/lectures/`` (a copy
made by ``pip install .``), so :func:`lecture_script` finds them in an installed teachkit as
well as in a source checkout.

The known-truth lecture marks its exercises' answers for :func:`student_version`:

* the lines of a code cell between a ``# solution-start`` line and a ``# solution-end`` line
  are the answer; a student's copy has, in their place, the stub ``# your code here`` and a
  ``raise NotImplementedError`` at the same indentation;
* a cell whose header carries the tag ``solution`` (``# %% [markdown] tags=["solution"]``)
  states an answer in words and is left out of a student's copy altogether.
"""

from __future__ import annotations

import atexit
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from teachkit.errors import TeachkitError
from teachkit.files import atomic_write

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from teachkit.plots.slide_writer import SlideWriter

__all__ = [
    "LECTURES",
    "SOLUTION_END",
    "SOLUTION_START",
    "STUB",
    "lecture_script",
    "show_figure",
    "student_version",
    "wait_for_figures",
    "write_student_version",
]

#: The lecture scripts by name (the file name without ``.py``).
LECTURES = ("multilevel_covariance", "known_truth", "gaussian_processes")
#: The line that opens an exercise's answer in a code cell.
SOLUTION_START = "# solution-start"
#: The line that closes it.
SOLUTION_END = "# solution-end"
#: What a student's copy has where the answer was.
STUB = "# your code here"

_CELL = re.compile(r"^# %%( .*)?$")
_SOLUTION_TAG = re.compile(r"""tags=\[[^\]]*["']solution["']""")


def lecture_script(name: str) -> Path:
    """The path of a lecture script, ``name`` one of :data:`LECTURES`.

    Looks in the installed package (``teachkit/data/lectures``, where ``pip install .`` puts
    them), then in the source checkout's ``lectures/`` folder (an editable install).
    """
    from importlib import resources

    from teachkit.checks import check_choice

    check_choice("lecture", name, LECTURES)
    packaged = Path(str(resources.files("teachkit"))) / "data" / "lectures" / f"{name}.py"
    if packaged.is_file():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "lectures" / f"{name}.py"
    if checkout.is_file():
        return checkout
    raise TeachkitError(f"the lecture script {name}.py is neither installed nor in a checkout")


def _in_notebook() -> bool:
    """Whether the code runs in a Jupyter kernel (IPython imported and a kernel running)."""
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def show_figure(fig: Figure, path: Path, *, background: bool = False) -> Path:
    """Save ``fig`` as the PNG ``path``, show it inline in a notebook, and close it.

    The PNG saved is the PNG shown: it is handed to the notebook as ``image/png`` output, so
    the figure appears under its cell whatever the matplotlib backend (a kernel started with
    ``MPLBACKEND=Agg`` included). Outside a notebook (a plain script) the figure is only saved.
    Closing it keeps the inline backend from showing it a second time.

    With ``background=True`` a script (not a notebook, which shows the file at once) has the
    figure saved by a second process (:class:`~teachkit.plots.slide_writer.SlideWriter`) while
    it goes on to the next cell; :func:`wait_for_figures` returns when every such file is
    written (and is called at exit if the script does not call it).
    """
    import matplotlib.pyplot as plt

    from teachkit.plots.slide_writer import save_figure_as

    path = Path(path)
    if background and not _in_notebook():
        _script_writer().save(fig, path, mode="plain")
    else:
        save_figure_as(fig, path, "plain", {})
        if _in_notebook():
            from IPython.display import Image, display

            display(Image(data=path.read_bytes(), format="png"))
    plt.close(fig)
    return path


def wait_for_figures() -> None:
    """Return when every figure :func:`show_figure` saves in the background is written.

    Raises the first failed save: a :class:`~teachkit.errors.TeachkitError` line (a full disk,
    a folder in the way) or a ``RuntimeError`` with the writer's traceback.
    """
    if _WRITER is not None:
        _WRITER.wait()


_WRITER: SlideWriter | None = None


def _script_writer() -> SlideWriter:
    """The script's background writer, started with its first figure."""
    global _WRITER
    if _WRITER is None:
        from teachkit.plots.slide_writer import SlideWriter

        _WRITER = SlideWriter()
        atexit.register(_finish_at_exit)
    return _WRITER


def _finish_at_exit() -> None:
    """Write what is still pending when a script ends; a failure makes the exit status 1."""
    if _WRITER is None:
        return
    try:
        _WRITER.wait()
        _WRITER.close()
    except (TeachkitError, RuntimeError) as err:
        sys.stdout.flush()
        print(f"teachkit: error: {err}", file=sys.stderr, flush=True)
        os._exit(1)  # an exception in an exit handler would leave the status 0


def _cells(lines: list[str]) -> list[list[str]]:
    """The script's lines cut into cells, each one's ``# %%`` line first.

    The first list is the header before the first ``# %%`` line.
    """
    cells: list[list[str]] = [[]]
    for line in lines:
        if _CELL.match(line):
            cells.append([])
        cells[-1].append(line)
    return cells


def student_version(text: str) -> str:
    """A lecture script with its marked answers removed (see the module's docstring).

    Raises :class:`~teachkit.errors.TeachkitError` when the markers do not pair up, or when the
    script marks no answer at all.
    """
    out: list[str] = []
    removed = 0
    for cell in _cells(text.splitlines()):
        if cell and _CELL.match(cell[0]) and _SOLUTION_TAG.search(cell[0]):
            removed += 1
            continue
        inside = False
        for line in cell:
            marker = line.strip()
            if marker == SOLUTION_START:
                if inside:
                    raise TeachkitError(f"{SOLUTION_START!r} twice without {SOLUTION_END!r}")
                inside = True
                removed += 1
                indent = line[: len(line) - len(line.lstrip())]
                out += [f"{indent}{STUB}", f'{indent}raise NotImplementedError("your answer")']
            elif marker == SOLUTION_END:
                if not inside:
                    raise TeachkitError(f"{SOLUTION_END!r} without {SOLUTION_START!r}")
                inside = False
            elif not inside:
                out.append(line)
        if inside:
            raise TeachkitError(f"{SOLUTION_START!r} without {SOLUTION_END!r} in its cell")
    if not removed:
        raise TeachkitError("the script marks no solution to remove")
    return "\n".join(out) + "\n"


def write_student_version(out: Path, name: str = "known_truth") -> Path:
    """Write the student's copy of a lecture: a notebook (``.ipynb``) or a script (``.py``).

    A notebook needs jupytext (``pip install "teachkit[notebook]"``); it is written without
    outputs, to be run by the student.
    """
    out = Path(out)
    if out.suffix not in (".ipynb", ".py"):
        raise TeachkitError(f"{out.name}: the student version is a .ipynb notebook or a .py script")
    text = student_version(lecture_script(name).read_text(encoding="utf-8"))
    if out.suffix == ".py":
        return atomic_write(out, lambda p: p.write_text(text, encoding="utf-8"))
    try:
        import jupytext
    except ImportError:
        raise TeachkitError(
            'writing a notebook needs jupytext: pip install "teachkit[notebook]" '
            "(or write a .py script)"
        ) from None
    notebook = jupytext.reads(text, fmt="py:percent")
    return atomic_write(out, lambda p: jupytext.write(notebook, p, fmt="ipynb"))
