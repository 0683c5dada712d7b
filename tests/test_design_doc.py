"""docs/design.md describes the code as it is, and the product stands alone."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DESIGN = ROOT / "docs" / "design.md"


def test_every_module_the_design_names_exists() -> None:
    text = DESIGN.read_text(encoding="utf-8")
    paths = set(re.findall(r"`(teachkit/[\w/]+(?:\.py)?/?)`", text))
    dotted = set(re.findall(r"`(teachkit(?:\.\w+)+)`", text))
    assert len(paths | dotted) >= 30, paths | dotted
    missing = [p for p in sorted(paths) if not (ROOT / p).exists()]
    assert missing == []
    # dotted names: a module, or a name defined in one (teachkit.cases.BUILTIN)
    unresolved = []
    for name in sorted(set(re.findall(r"`(teachkit(?:\.\w+)+)`", text))):
        module = importlib.import_module(name) if _is_module(name) else None
        if module is None:
            parent, attr = name.rsplit(".", 1)
            if not (_is_module(parent) and hasattr(importlib.import_module(parent), attr)):
                unresolved.append(name)
    assert unresolved == []


def _is_module(name: str) -> bool:
    """True when ``name`` is a module or package of this checkout."""
    path = ROOT / name.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def test_the_readme_links_the_design() -> None:
    assert "(docs/design.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_nothing_outside_the_tests_refers_to_the_course_repository() -> None:
    offenders = []
    for path in ROOT.rglob("*"):
        parts = path.relative_to(ROOT).parts
        if path.is_dir() or parts[0] in {".git", ".venv", "tests"} or "__pycache__" in parts:
            continue
        if path.suffix in {".png", ".gz", ".nc", ".pdf", ".csv"}:
            continue
        if "../shared" in path.read_text(encoding="utf-8", errors="ignore"):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
