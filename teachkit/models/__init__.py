"""PyMC builders for the lecture's models, one module per case study.

``build_model(case, model, data, **options)`` dispatches to
:func:`~teachkit.models.ozone.build_ozone_model` or
:func:`~teachkit.models.grants.build_grants_model`. PyMC itself is imported only when a model
is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from teachkit.errors import TeachkitError
from teachkit.models.grants import GRANTS_MODELS, build_grants_model
from teachkit.models.ozone import OZONE_MODELS, build_ozone_model
from teachkit.models.spec import ModelSpec, check_choice, get_spec

if TYPE_CHECKING:
    import pymc as pm

__all__ = [
    "CASES",
    "GRANTS_MODELS",
    "MODELS",
    "OZONE_MODELS",
    "ModelSpec",
    "build_grants_model",
    "build_model",
    "build_ozone_model",
    "get_spec",
]

#: Case study -> its models, in the lecture's order.
MODELS: dict[str, tuple[str, ...]] = {"ozone": OZONE_MODELS, "grants": GRANTS_MODELS}
CASES: tuple[str, ...] = tuple(MODELS)


def build_model(case: str, model: str, data: pd.DataFrame, **options: Any) -> pm.Model:
    """Build ``model`` of ``case`` on ``data``; ``options`` go to the case's builder.

    Raises
    ------
    TeachkitError
        For an unknown case or model, naming the allowed ones.
    """
    check_choice("case", case, CASES)
    check_choice(f"{case} model", model, MODELS[case])
    if case == "ozone":
        return build_ozone_model(data, model, **options)  # type: ignore[arg-type]
    if options:
        raise TeachkitError(f"the grants models take no options, got {', '.join(options)}")
    return build_grants_model(data, model)  # type: ignore[arg-type]
