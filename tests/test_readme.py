"""The README's set-up commands and .ci/run must stay in step, and its notebook recipe runs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", setup)


def test_readme_has_exactly_two_setup_commands() -> None:
    install_demo, install_test = readme_commands()
    assert install_demo.endswith("teachkit demo lkj")
    assert "pytest" in install_test and '".[test]"' in install_test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in ci


def notebook_recipe() -> list[str]:
    """The lines of the README's notebook recipe (the ```bash block before the set-up)."""
    intro = (ROOT / "README.md").read_text(encoding="utf-8").split("## Set-up", 1)[0]
    (block,) = re.findall(r"```bash\n(.+?)\n```", intro, flags=re.DOTALL)
    return block.splitlines()


def test_the_notebook_recipe_uses_only_what_the_extra_installs() -> None:
    import tomllib

    lines = notebook_recipe()
    assert lines[0] == 'pip install ".[notebook]"'
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {re.split(r"[<>=\[ ]", r)[0] for r in extra["optional-dependencies"]["notebook"]}
    # jupytext ships `jupytext`; nbconvert ships `jupyter-nbconvert` (and needs jupyter_core's
    # `jupyter`); ipykernel the python3 kernel the notebook runs in
    assert {"jupytext", "nbconvert", "ipykernel"} <= names
    assert lines[1].startswith("jupytext ") and "jupyter nbconvert --execute" in lines[2]


@pytest.mark.slow
def test_the_notebook_recipe_runs_verbatim_in_a_fresh_environment(tmp_path: Path) -> None:
    """A fresh virtual environment, a copy of the clone's tracked files, the README's lines run
    one by one by bash in it: the lecture executes as a notebook (a few minutes: the install
    took about 3 min on the 2-core machine, then the lecture's quick fits)."""
    import json
    import os
    import shutil

    clone = tmp_path / "clone"
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in files:
        (clone / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, clone / name)
    venv = tmp_path / "venv"
    subprocess.run([shutil.which("python3") or "python3", "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MPLBACKEND")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    env["VIRTUAL_ENV"] = str(venv)
    for line in notebook_recipe():
        result = subprocess.run(
            ["bash", "-c", line], cwd=clone, env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, (line, result.stderr[-3000:])
    notebook = json.loads((clone / "lectures" / "multilevel_covariance.ipynb").read_text())
    outputs = [o for c in notebook["cells"] for o in c.get("outputs", [])]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 16
    assert not [o for o in outputs if o["output_type"] == "error"]
