"""The lecture's PyMC models: build any of them by case and name.

``build_model(case, model, data, **options)`` asks the case-study registry for the builder;
each case study keeps its models in its own package
(:func:`teachkit.cases.ozone.models.build_ozone_model`,
:func:`teachkit.cases.grants.models.build_grants_model`, re-exported here). Every builder
returns a :class:`BuiltModel`: the ``pm.Model`` and its :class:`ModelSpec`. PyMC itself is
imported only when a model is built.

Examples
--------
>>> from teachkit.models import build_model
>>> from teachkit.datasets import load_nwo_grants
>>> built = build_model("grants", "gender", load_nwo_grants())
>>> built.spec.name, [v.name for v in built.model.free_RVs]
('gender', ['alpha'])
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from teachkit.models.spec import BuiltModel, ModelSpec

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "GRANTS_MODELS",
    "OZONE_MODELS",
    "BuiltModel",
    "ModelSpec",
    "build_grants_model",
    "build_model",
    "build_ozone_model",
]

#: Names re-exported from the case studies' model modules, loaded on first use.
_REEXPORTS: dict[str, str] = {
    "build_ozone_model": "teachkit.cases.ozone.models",
    "OZONE_MODELS": "teachkit.cases.ozone.models",
    "build_grants_model": "teachkit.cases.grants.models",
    "GRANTS_MODELS": "teachkit.cases.grants.models",
}


def build_model(case: str, model: str, data: pd.DataFrame, **options: Any) -> BuiltModel:
    """Build ``model`` of ``case`` on ``data``; ``options`` go to the case's builder.

    Raises
    ------
    TeachkitError
        For an unknown case, model or option, naming the allowed ones.
    """
    from teachkit.cases import get_case

    return get_case(case).build(data, model, **options)


def __getattr__(name: str) -> Any:
    """Load a re-exported builder from its case study on first access (PEP 562)."""
    if name in _REEXPORTS:
        value = getattr(importlib.import_module(_REEXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'teachkit.models' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_REEXPORTS])
