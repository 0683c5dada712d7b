"""The registry of case studies: the one place that maps a case name to what it knows.

The lecture's two case studies, ``ozone`` and ``grants``, and ``grouped`` (the lecture's models
on a user's own table) live in their own packages (:mod:`teachkit.cases.ozone`,
:mod:`teachkit.cases.grants`, :mod:`teachkit.cases.grouped`), are named in :data:`BUILTIN` and
are imported and registered on first use, so ``import teachkit`` stays fast. Another case
study is a subclass of :class:`~teachkit.cases.base.CaseStudy` and one call to
:func:`register_case` (or, for a built-in one, one line in :data:`BUILTIN`).

Examples
--------
>>> from teachkit.registry import case_names, get_case
>>> case_names()
('ozone', 'grants', 'grouped')
>>> get_case("grants").models
('gender', 'gender_discipline', 'multilevel')
>>> get_case("weather")
Traceback (most recent call last):
...
teachkit.errors.TeachkitError: unknown case 'weather'; choose one of: ozone, grants, grouped
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from teachkit.cases.base import CaseStudy
from teachkit.checks import check_choice
from teachkit.errors import TeachkitError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BUILTIN",
    "all_cases",
    "case_names",
    "get_case",
    "load_data",
    "register_case",
    "unregister_case",
]

#: The lecture's case studies, in its order: name -> the module whose ``CASE`` is the case
#: study (imported on first use; the layering test reads these names as imports).
BUILTIN: dict[str, str] = {
    "ozone": "teachkit.cases.ozone",
    "grants": "teachkit.cases.grants",
    "grouped": "teachkit.cases.grouped",
}

_REGISTRY: dict[str, CaseStudy] = {}


def register_case(case: CaseStudy, *, replace: bool = False) -> CaseStudy:
    """Make ``case`` known under ``case.name``; return it.

    Raises
    ------
    TeachkitError
        If another case study already has the name (pass ``replace=True`` to replace it).
    """
    if not isinstance(case, CaseStudy):
        raise TeachkitError(f"a case study must subclass CaseStudy, got {type(case).__name__}")
    if case.name in _REGISTRY and not replace and _REGISTRY[case.name] is not case:
        raise TeachkitError(f"a case study called {case.name!r} is already registered")
    _REGISTRY[case.name] = case
    return case


def unregister_case(name: str) -> None:
    """Forget a case study registered with :func:`register_case` (the built-ins stay)."""
    if name in BUILTIN:
        raise TeachkitError(f"{name!r} is built in and cannot be unregistered")
    _REGISTRY.pop(name, None)


def _load_builtins() -> None:
    for name, module in BUILTIN.items():
        if name not in _REGISTRY:
            register_case(importlib.import_module(module).CASE)


def case_names() -> tuple[str, ...]:
    """Names of the registered case studies: the lecture's first, in its order."""
    _load_builtins()
    return tuple(BUILTIN) + tuple(n for n in _REGISTRY if n not in BUILTIN)


def all_cases() -> tuple[CaseStudy, ...]:
    """The registered case studies, in the order of :func:`case_names`."""
    return tuple(_REGISTRY[n] for n in case_names())


def get_case(name: str | CaseStudy) -> CaseStudy:
    """The case study registered as ``name`` (a case study is returned as it is).

    Raises
    ------
    TeachkitError
        One line naming the registered case studies, for an unknown name.
    """
    if isinstance(name, CaseStudy):
        return name
    if name not in _REGISTRY:
        check_choice("case", name, case_names())
    return _REGISTRY[name]


def load_data(
    case: str | CaseStudy, data: str | Path | pd.DataFrame | None = None
) -> tuple[pd.DataFrame, str]:
    """``case``'s checked table and its label (see :meth:`CaseStudy.load`).

    A data set's name that belongs to another case study is refused with a line that says so.
    """
    study = get_case(case)
    try:
        return study.load(data)
    except TeachkitError:
        name = str(data)
        for other in all_cases():
            if other is not study and name in {d.name for d in other.datasets}:
                ours = " or ".join(d.name for d in study.datasets)
                raise TeachkitError(
                    f"{name} is a {other.name} data set, not {study.name}; for {study.name} "
                    f"use {ours} or a .csv file"
                ) from None
        raise
