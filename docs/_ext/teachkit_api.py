"""The API reference, generated from ``__all__`` of teachkit's public modules.

:data:`PUBLIC_MODULES` is the one list of documented modules: every name in each one's
``__all__`` gets its own page (autosummary stubs), so a public name cannot be left out and a
renamed one breaks the build. ``tests/test_docs.py`` imports this module to check it.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path

#: The public modules, grouped as on the API index page (title, intro, modules).
PUBLIC_MODULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Core maths",
        "Covariance matrices, the LKJ prior and multivariate normals: numpy and scipy only. "
        "The top-level ``teachkit`` names are the same functions, loaded on first use.",
        (
            "teachkit",
            "teachkit.covariance",
            "teachkit.lkj",
            "teachkit.mvn",
            "teachkit.kernels",
            "teachkit.demos",
        ),
    ),
    (
        "Data, simulation and case studies",
        "The shipped data sets, simulators with a planted truth, the case-study registry and "
        "what a case study is.",
        ("teachkit.datasets", "teachkit.simulate", "teachkit.registry", "teachkit.cases.base"),
    ),
    (
        "The grouped case: your own data",
        "The lecture's four line models on any table with an outcome, one predictor and groups: "
        "the case, the checks of a user's table, the priors (``auto`` or a TOML file), the "
        "models, the simulator that plants a truth on a design, the sufficient statistics and "
        "the covarying prior written out for two dimensions.",
        (
            "teachkit.cases.grouped",
            "teachkit.cases.grouped.table",
            "teachkit.cases.grouped.priors",
            "teachkit.cases.grouped.models",
            "teachkit.cases.grouped.simulate",
            "teachkit.cases.grouped.statistics",
            "teachkit.cases.grouped.covariance_prior",
        ),
    ),
    (
        "Models, fits and the fit store",
        "Build the lecture's PyMC models, sample them, diagnose and compare the fits, and keep "
        "them in the fit store.",
        (
            "teachkit.models",
            "teachkit.samplers",
            "teachkit.inference",
            "teachkit.loo",
            "teachkit.loo_advice",
            "teachkit.fitmeta",
            "teachkit.pipeline",
            "teachkit.store",
            "teachkit.posterior",
        ),
    ),
    (
        "Known truth: recovery and calibration",
        "Does a model find what was planted, on one data set or over many?",
        (
            "teachkit.recovery",
            "teachkit.calibration",
            "teachkit.ecdf",
            "teachkit.leave_group_out",
            "teachkit.group_predictive",
        ),
    ),
    (
        "Figures and the explorer",
        "The slide figures by name, the plotting style, and the interactive explorer page.",
        (
            "teachkit.figures",
            "teachkit.figure_entry",
            "teachkit.core_figures",
            "teachkit.plots",
            "teachkit.explorer",
        ),
    ),
    (
        "Files, records and errors",
        "Atomic file writes, the JSON records of the CLI, and the one error type for user "
        "mistakes.",
        ("teachkit.files", "teachkit.records", "teachkit.errors"),
    ),
)

#: Folder of the generated API pages, relative to the docs source folder.
API_DIR = "api"


def module_names() -> list[str]:
    """Every documented module, in page order."""
    return [module for _, _, modules in PUBLIC_MODULES for module in modules]


def public_names(module: str) -> list[str]:
    """The names a module exports (its ``__all__``), sorted as on its page."""
    return sorted(importlib.import_module(module).__all__, key=lambda n: (n.startswith("_"), n))


def _heading(text: str, char: str) -> list[str]:
    return [text, char * len(text), ""]


def module_page(module: str) -> str:
    """The reST source of one module's page: its docstring, then a table of its names."""
    lines = [f".. _api-{module}:", "", *_heading(module, "=")]
    lines += [f".. automodule:: {module}", "   :no-members:", ""]
    lines += [f".. currentmodule:: {module}", ""]
    lines += [".. autosummary::", "   :toctree: generated/", ""]
    lines += [f"   {name}" for name in public_names(module)]
    return "\n".join(lines) + "\n"


def index_page() -> str:
    """The reST source of the API index: the groups, each with its modules' tables."""
    lines = [".. _api:", "", *_heading("API reference", "=")]
    lines += [
        "Every public name of teachkit, generated from the docstrings: each module's page lists",
        "the names in its ``__all__``, and each name has a page with its parameters, what it",
        "returns and its examples (the examples are doctests, run by ``pytest``).",
        "",
    ]
    for title, intro, modules in PUBLIC_MODULES:
        lines += [*_heading(title, "-"), intro, ""]
        lines += [".. toctree::", "   :maxdepth: 1", ""]
        lines += [f"   {module}" for module in modules]
        lines += [""]
    return "\n".join(lines)


def _write_if_changed(path: Path, text: str) -> None:
    """Write ``text`` unless the file already holds it (Sphinx then reads nothing again)."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def write_api_sources(srcdir: str | Path) -> list[Path]:
    """Write ``api/index.rst`` and one page per module under ``srcdir``; return their paths."""
    folder = Path(srcdir) / API_DIR
    pages = {folder / "index.rst": index_page()}
    pages.update({folder / f"{module}.rst": module_page(module) for module in module_names()})
    for path, text in pages.items():
        _write_if_changed(path, text)
    return list(pages)


def _comment_docs(name: str, value: object) -> list[str] | None:
    """The ``#:`` comment above ``name`` in the teachkit module that defines ``value``."""
    from sphinx.pycode import ModuleAnalyzer

    for module_name, module in sorted(sys.modules.items()):
        if not module_name.startswith("teachkit") or getattr(module, name, None) is not value:
            continue
        try:
            docs = ModuleAnalyzer.for_module(module_name).find_attr_docs()
        except Exception:  # a module without source (or one Sphinx cannot parse)
            continue
        if ("", name) in docs:
            return [line for line in docs["", name] if line.strip()]
    return None


def document_data(app, what, name, obj, options, lines: list[str]) -> None:
    """Describe a constant by its ``#:`` comment, never by its type's docstring.

    autodoc finds ``#:`` comments only in the module a name is documented under; a constant
    re-exported from another module (``teachkit.plots.PALETTE``) would show the docstring of
    ``tuple`` ("Built-in immutable sequence.") instead.
    """
    if what != "data":
        return
    type_doc = (inspect.getdoc(type(obj)) or "").strip()
    if lines and "\n".join(lines).strip() != type_doc:
        return
    lines[:] = _comment_docs(name.rsplit(".", 1)[-1], obj) or []


def setup(app):
    """Describe re-exported constants by their comments."""
    app.connect("autodoc-process-docstring", document_data, priority=400)  # before numpydoc
    return {"parallel_read_safe": True, "parallel_write_safe": True}
