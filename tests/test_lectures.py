"""The lecture scripts run top to bottom in quick mode, and the PyMC guide's snippets run.

The lectures' runs are the notebook runs of tests/conftest.py (``executed_lecture``), one per
lecture and session; the known-truth script also runs as a script, reading the fits that run
sampled."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from teachkit.figures import registered_figures

ROOT = Path(__file__).resolve().parent.parent
LECTURES = ROOT / "lectures"


def run_script(name: str, *args: str, store: Path) -> subprocess.CompletedProcess:
    """The script run in quick mode from the clone's root, with the fit store ``store``."""
    result = subprocess.run(
        [sys.executable, str(LECTURES / name), "--quick", *args],
        capture_output=True, text=True, check=False, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TEACHKIT_FIT_STORE": str(store)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.mark.parametrize(
    "name", ["multilevel_covariance.py", "known_truth.py", "gaussian_processes.py"]
)
def test_scripts_are_jupytext_percent_notebooks(name: str) -> None:
    text = (LECTURES / name).read_text(encoding="utf-8")
    assert "format_name: percent" in text
    assert text.count("# %% [markdown]") >= 3 and text.count("\n# %%\n") >= 3


@pytest.mark.slow
def test_main_lecture_runs_in_quick_mode_and_draws_its_figures(executed_lecture) -> None:
    """The lecture's run as a notebook (tests/conftest.py; tests/test_notebooks.py checks
    that it shows what it saves): its figures and what it prints."""
    run = executed_lecture("multilevel_covariance.py")
    # every storyboard moment's slide, as the registry lists them
    expected = {name for name, entry in registered_figures().items() if entry.row is not None}
    assert set(run.figures) == expected
    rows = {entry.row for entry in registered_figures().values() if entry.row is not None}
    assert rows == set(range(1, 38))  # every one of the storyboard's 37 rows
    out = run.stdout
    assert "rho_yz must lie in [0.46, 0.98]" in out
    assert "centred on the full Beijing data" in out and "non-centred on the subsample" in out
    assert "elpd_loo" in out and "dse is the standard error of that difference" in out
    assert "every storyboard moment's: True" in out


@pytest.mark.slow
def test_gp_lecture_runs_in_quick_mode_and_draws_every_gp_slide(executed_lecture) -> None:
    run = executed_lecture("gaussian_processes.py")
    expected = {name for name in registered_figures() if name.startswith("gp-")}
    assert set(run.figures) == expected and len(expected) == 8
    out = run.stdout
    right = float(
        re.search(r"PyMC on coordinates against teachkit on distances: max \|diff\| (\S+)", out)[1]
    )
    wrong = float(
        re.search(r"PyMC on the distance matrix against teachkit: +max \|diff\| (\S+)", out)[1]
    )
    assert right < 1e-3 < wrong  # the pitfall shows: coordinates agree, the matrix does not
    assert "spatial minus varying intercepts:" in out and "sigma_gp" in out and "ell" in out
    assert "dse is the standard error of that difference" in out


def check_known_truth_answers(answers: dict) -> None:
    rho = answers["rho_zero"]
    # exercise 1: with rho = 0 planted the 94% interval of rho covers 0
    assert rho["low"] < 0 < rho["high"]
    # exercise 2: fewer days per station, more shrinkage
    shrink = {int(k): v for k, v in answers["shrinkage"].items()}
    assert shrink[5] > shrink[30] > shrink[400]


@pytest.mark.slow
def test_known_truth_exercises_have_the_expected_answers(
    tmp_path: Path, executed_lecture, quick_fit_store: Path
) -> None:
    """The answers of the lecture's notebook run, and those the script writes with
    ``--answers`` (from the fits that run sampled, in the shared store): the same."""
    answers = executed_lecture("known_truth.py").answers()
    check_known_truth_answers(answers)
    answers_path = tmp_path / "answers.json"
    run_script(
        "known_truth.py", "--out", str(tmp_path), "--answers", str(answers_path),
        store=quick_fit_store,
    )  # fmt: skip
    assert (tmp_path / "known-truth-alpha-beta.png").stat().st_size > 0
    assert json.loads(answers_path.read_text()) == answers


@pytest.mark.slow
def test_pymc_guide_snippets_run() -> None:
    """Every ```python block of the guide, in order, in one namespace."""
    text = (LECTURES / "pymc3_to_pymc.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) >= 6
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "pymc3_to_pymc.md", "exec"), namespace)
    assert namespace["idata"].posterior["rho"].shape == (2, 100)


@pytest.mark.slow
def test_a_lecture_run_from_the_clone_leaves_no_untracked_file(
    executed_lecture, quick_fit_store: Path
) -> None:
    """Run from the clone's root with its default output folder, the lecture's files are
    ignored by git: ``git status --porcelain`` lists no new untracked file. (Its fits come
    from the lecture's notebook run, in the shared fit store.)"""

    def untracked() -> set[str]:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        return {line for line in status.splitlines() if line.startswith("??")}

    executed_lecture("known_truth.py")  # the fits, sampled once
    before = untracked()
    run_script("known_truth.py", store=quick_fit_store)
    assert (ROOT / "lecture-figures" / "known-truth-alpha-beta.png").is_file()
    assert untracked() == before
