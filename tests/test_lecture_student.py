"""The student's copy of the known-truth lecture (``teachkit lecture student``), and where the
lectures' outputs go (ignored by git, or where the user names)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from teachkit.cli import main
from teachkit.errors import TeachkitError
from teachkit.lectures import (
    SOLUTION_END,
    SOLUTION_START,
    STUB,
    lecture_script,
    student_version,
    write_student_version,
)

ROOT = Path(__file__).resolve().parent.parent


def solution_lines(text: str) -> list[str]:
    """The non-blank lines between the markers, and the lines of cells tagged solution."""
    lines, inside, tagged = [], False, False
    for line in text.splitlines():
        if line.startswith("# %%"):
            tagged = 'tags=["solution"]' in line
            continue
        if line.strip() == SOLUTION_START:
            inside = True
        elif line.strip() == SOLUTION_END:
            inside = False
        elif (inside or tagged) and line.strip() not in ("", "#"):
            lines.append(line.strip())
    return lines


def test_the_student_version_has_no_solution_code() -> None:
    source = lecture_script("known_truth").read_text(encoding="utf-8")
    answers = solution_lines(source)
    assert len(answers) >= 8  # both exercises' code and their answers in words
    student = student_version(source)
    left = [line for line in answers if line in student]
    assert left == []
    starts = [line for line in source.splitlines() if line.strip() == SOLUTION_START]
    assert [line.strip() for line in student.splitlines()].count(STUB) == len(starts) == 3
    markers = {SOLUTION_START, SOLUTION_END}
    assert not [line for line in student.splitlines() if line.strip() in markers]
    compile(student, "known_truth_student.py", "exec")  # still valid Python


def test_markers_must_pair_up() -> None:
    with pytest.raises(TeachkitError, match="without"):
        student_version(f"# %%\nx = 1\n{SOLUTION_START}\ny = 2\n")
    with pytest.raises(TeachkitError, match="without"):
        student_version(f"# %%\n{SOLUTION_END}\n")
    with pytest.raises(TeachkitError, match="no solution"):
        student_version("# %%\nx = 1\n")


def test_the_command_writes_a_notebook_and_a_script(tmp_path: Path, capsys) -> None:
    import nbformat

    out = tmp_path / "student.ipynb"
    assert main(["lecture", "student", "--out", str(out)]) == 0
    notebook = nbformat.read(out, as_version=4)
    sources = "\n".join(cell.source for cell in notebook.cells)
    answers = solution_lines(lecture_script("known_truth").read_text(encoding="utf-8"))
    assert STUB in sources and not [line for line in answers if line in sources]
    script = write_student_version(tmp_path / "student.py")
    assert STUB in script.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["lecture", "student", "--out", str(tmp_path / "x.txt")]) == 2
    assert "notebook" in capsys.readouterr().err


def test_the_lecture_scripts_ship_in_the_wheel() -> None:
    """``pip install .`` copies them into the package, where ``lecture_script`` looks first."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    for name in ("multilevel_covariance", "known_truth"):
        assert shipped[f"lectures/{name}.py"] == f"teachkit/data/lectures/{name}.py"
        assert lecture_script(name).read_bytes() == (ROOT / "lectures" / f"{name}.py").read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "lecture-figures/covariance-lkj.png",  # a script run from the clone's root
        "lectures/lecture-figures/known-truth-alpha-beta.png",  # a notebook run in lectures/
        "lectures/multilevel_covariance.ipynb",  # the README's recipe
        "lectures/known_truth.ipynb",
    ],
)
def test_the_lectures_default_outputs_are_ignored_by_git(path: str) -> None:
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT, check=False
    )
    assert result.returncode == 0, f"{path} is not ignored by git"
