"""teachkit: a toolkit for teaching Bayesian multilevel models.

The public API is listed in ``__all__``. Names are loaded on first use (PEP 562), so
``import teachkit`` is instant and never imports PyMC; only the model and inference modules do.

Two notices that PyMC's stack prints when it is imported are silenced here, by exact message,
because they reach a class's notebook cells and say nothing a user can act on: pip's PyTensor
"could not link to a BLAS installation" (only large matrix products are slower; the lecture's
models have none), and ArviZ 0.23's announcement of its 1.x refactor (teachkit pins
``arviz<0.24``). Every other warning is left alone.

Examples
--------
>>> import teachkit
>>> teachkit.is_correlation([[1.0, 0.5], [0.5, 1.0]])
True
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

#: Import-time notices of the PyMC stack that teachkit silences (see the module docstring).
QUIET_NOTICES: tuple[tuple[str, type[Warning]], ...] = (
    ("PyTensor could not link to a BLAS installation", UserWarning),
    (r"\s*ArviZ is undergoing a major refactor", FutureWarning),
)
for _message, _category in QUIET_NOTICES:
    warnings.filterwarnings("ignore", message=_message, category=_category)

#: teachkit's version.
__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "InvalidCorrelationError": "teachkit.covariance",
    "build_covariance": "teachkit.covariance",
    "feasible_interval": "teachkit.covariance",
    "feasible_rho_interval": "teachkit.covariance",
    "is_correlation": "teachkit.covariance",
    "nearest_correlation": "teachkit.covariance",
    "split_covariance": "teachkit.covariance",
    "validate_correlation": "teachkit.covariance",
    "lkj_logpdf": "teachkit.lkj",
    "lkj_marginal": "teachkit.lkj",
    "lkj_marginal_pdf": "teachkit.lkj",
    "sample_lkj": "teachkit.lkj",
    "sample_lkj_cholesky": "teachkit.lkj",
    "ellipse": "teachkit.mvn",
    "mvn_logpdf": "teachkit.mvn",
    "sample_mvn": "teachkit.mvn",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first access."""
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'teachkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
