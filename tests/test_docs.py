"""The documentation site (docs/): every public name documented, every command it shows valid,
every figure in the gallery, no unexecuted Python, and (slow) the README's command builds it
without a warning."""

from __future__ import annotations

import importlib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from teachkit.figures import registered_figures

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

import teachkit_api  # noqa: E402
import teachkit_gallery  # noqa: E402

#: The public modules the documentation issue names; the API reference documents at least these.
REQUIRED_MODULES = {
    "teachkit", "teachkit.covariance", "teachkit.lkj", "teachkit.mvn", "teachkit.datasets",
    "teachkit.simulate", "teachkit.models", "teachkit.inference", "teachkit.pipeline",
    "teachkit.store", "teachkit.recovery", "teachkit.calibration", "teachkit.figures",
    "teachkit.registry", "teachkit.explorer", "teachkit.errors", "teachkit.files",
    "teachkit.records", "teachkit.posterior", "teachkit.plots", "teachkit.samplers",
    "teachkit.loo", "teachkit.fitmeta",
}  # fmt: skip


def pages() -> list[Path]:
    """The hand-written pages (not the build, not the generated API pages)."""
    skip = {"_build", "api"}
    return sorted(p for p in DOCS.rglob("*.md") if not skip & set(p.relative_to(DOCS).parts))


def listed_names(page: str) -> list[str]:
    """The names of an API module page's autosummary table."""
    table = page.split(".. autosummary::", 1)[1]
    lines = table.splitlines()
    return [line.strip() for line in lines if line.startswith("   ") and ":" not in line]


def test_the_api_reference_covers_the_public_modules() -> None:
    modules = teachkit_api.module_names()
    assert set(modules) >= REQUIRED_MODULES, REQUIRED_MODULES - set(modules)
    assert len(modules) == len(set(modules))


@pytest.mark.parametrize("module", teachkit_api.module_names())
def test_every_name_in_all_is_on_its_module_page(module: str, tmp_path: Path) -> None:
    teachkit_api.write_api_sources(tmp_path)
    page = (tmp_path / "api" / f"{module}.rst").read_text(encoding="utf-8")
    imported = importlib.import_module(module)
    assert sorted(listed_names(page)) == sorted(imported.__all__)
    for name in imported.__all__:  # autosummary imports each one
        getattr(imported, name)


def test_the_user_guide_has_no_unexecuted_python() -> None:
    """Python on a page is a code cell that runs when the site is built, never a bare block."""
    offenders = [str(p.relative_to(DOCS)) for p in pages() if "```python" in p.read_text()]
    assert offenders == []
    porting = (DOCS / "guide" / "porting.md").read_text(encoding="utf-8")
    assert "lectures/pymc3_to_pymc.md" in porting  # its blocks run in tests/test_lectures.py


def documented_commands() -> list[tuple[str, str]]:
    """(where, command line) of every teachkit command the pages and the gallery show."""
    found = []
    for page in pages():
        text = page.read_text(encoding="utf-8")
        where = str(page.relative_to(DOCS))
        found += [(where, m[2]) for m in re.finditer(r'terminal\((["\'])(.+?)\1', text)]
        for block in re.findall(r"```(?:bash|console|text)\n(.*?)```", text, flags=re.DOTALL):
            for line in block.splitlines():
                for part in line.split("&&"):
                    words = part.strip().removeprefix("$ ").split()
                    if words and words[0].endswith("teachkit"):
                        found.append((where, " ".join(["teachkit", *words[1:]])))
        found += [(where, m) for m in re.findall(r"`(teachkit [^`]+)`", text)]
    lines, _ = teachkit_gallery.gallery_rst(DOCS)
    found += [("gallery", line.strip()) for line in lines if line.strip().startswith("teachkit ")]
    return found


def test_every_command_the_docs_show_exists_with_its_options() -> None:
    import typer

    from teachkit.cli import app

    root = typer.main.get_command(app)
    commands = documented_commands()
    assert len(commands) >= 40
    problems = []
    for where, line in commands:
        words = shlex.split(line)[1:]
        command = root
        while hasattr(command, "commands") and words and words[0] in command.commands:
            command = command.commands[words.pop(0)]
        if hasattr(command, "commands"):  # a group: next comes a placeholder or --help
            if words and not (words[0].isupper() or words[0] == "--help"):
                problems.append(f"{where}: {line!r}: no command {words[0]!r}")
            continue
        options = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
        used = [w.split("=")[0] for w in words if w.startswith("--") and w != "--help"]
        problems += [f"{where}: {line!r}: no option {o}" for o in used if o not in options]
    assert problems == []


def test_the_gallery_shows_every_registered_figure_with_its_calls() -> None:
    lines, _ = teachkit_gallery.gallery_rst(DOCS)
    text = "\n".join(lines)
    for name, entry in registered_figures().items():
        point = getattr(entry, "point", None) or entry.description
        assert f".. _figure-{name}:" in text
        assert " ".join(point.split()) in text
        assert f'draw_figure("{name}", FigureContext())' in text
        assert f"teachkit figures --only {name}" in text


def check_built_site(out: Path) -> None:
    """The pages the issue asks for are in the built site ``out``, with their pictures."""
    fit_page = (out / "api" / "generated" / "teachkit.inference.fit.html").read_text()
    assert "Examples" in fit_page and "build_grants_model" in fit_page
    missing = [
        f"{module}.{name}"
        for module in teachkit_api.module_names()
        for name in importlib.import_module(module).__all__
        if not (out / "api" / "generated" / f"{module}.{name}.html").exists()
    ]
    assert missing == []

    lectures = (("multilevel_covariance", 43), ("known_truth", 1), ("gaussian_processes", 8))
    for lecture, figures in lectures:
        page = out / "lectures" / f"{lecture}.html"
        images = re.findall(r'<img[^>]+src="([^"]+\.png)"', page.read_text())
        assert len(images) >= figures, (lecture, images)
        assert all((page.parent / src).is_file() for src in images), images

    gallery = (out / "gallery.html").read_text()
    for name in registered_figures():
        assert f'id="figure-{name}"' in gallery, name
    for page in ("index", "getting-started", "guide/fitting", "design", "explorer"):
        assert (out / f"{page}.html").is_file(), page


@pytest.mark.slow
def test_the_readme_command_builds_the_site_without_a_warning(
    tmp_path: Path, executed_lecture, quick_fit_store: Path
) -> None:
    """The README's command, in quick mode, into a temporary folder. The build executes every
    page, the lectures included; their fits come from the session's quick fit store, where the
    lectures' notebook runs (tests/conftest.py) left them, as a teacher's build reads the fits
    a first run stored."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"\n(python -m sphinx [^\n]+)\n", readme)
    assert command is not None, "the README's Documentation section names the build command"
    argv = shlex.split(command[1])
    assert argv[-2:] == ["docs", "docs/_build/html"] and "-W" in argv
    for lecture in ("multilevel_covariance.py", "known_truth.py", "gaussian_processes.py"):
        executed_lecture(lecture)  # the lecture's fits, in the quick store
    out = tmp_path / "html"
    env = {**os.environ, "TEACHKIT_QUICK": "1", "TEACHKIT_FIT_STORE": str(quick_fit_store)}
    result = subprocess.run(
        [sys.executable, *argv[1:-1], str(out)],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=1800,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-5000:]
    assert "warning" not in result.stderr.lower(), result.stderr[-5000:]

    check_built_site(out)
