"""The registry of case studies: the one place that maps a case name to what it knows.

The lecture's two case studies, ``ozone`` and ``grants``, live in their own packages
(:mod:`teachkit.cases.ozone`, :mod:`teachkit.cases.grants`) and are loaded on first use, so
``import teachkit`` stays fast. Another case study is a subclass of :class:`CaseStudy` and one
call to :func:`register_case`.

Examples
--------
>>> from teachkit.cases import case_names, get_case
>>> case_names()
('ozone', 'grants')
>>> get_case("grants").models
('gender', 'gender_discipline', 'multilevel')
>>> get_case("weather")
Traceback (most recent call last):
...
teachkit.errors.TeachkitError: unknown case 'weather'; choose one of: ozone, grants
"""

from __future__ import annotations

import importlib

from teachkit.cases.base import CaseStudy, DataSet, FigureSource
from teachkit.checks import check_choice
from teachkit.errors import TeachkitError

__all__ = [
    "CaseStudy",
    "DataSet",
    "FigureSource",
    "all_cases",
    "case_names",
    "get_case",
    "register_case",
    "unregister_case",
]

#: The lecture's case studies, in its order: name -> the module that registers it on import.
BUILTIN: dict[str, str] = {"ozone": "teachkit.cases.ozone", "grants": "teachkit.cases.grants"}

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
            importlib.import_module(module)


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
