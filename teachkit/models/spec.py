"""What teachkit knows about a model it built, beyond the PyMC graph.

:func:`teachkit.inference.fit` needs, for any model of the lecture: the observed data (for the
``observed_data`` group), a way to compute the pointwise log-likelihood from posterior draws
(PyMC's ``compute_log_likelihood`` ignores the ``pm.Potential`` of the sufficient-statistics
likelihood, and nutpie stores none), which parameters are hyperparameters, and a key that says
when two models have the same structure so a compiled model can be reused with new data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from teachkit.errors import TeachkitError

__all__ = [
    "CANONICAL_ORDER",
    "ModelSpec",
    "attach_spec",
    "check_choice",
    "get_spec",
    "pointwise_dataset",
]

#: Order in which canonical parameters appear in summaries.
CANONICAL_ORDER: tuple[str, ...] = (
    "mu_alpha",
    "mu_beta",
    "sigma_alpha",
    "sigma_beta",
    "rho",
    "tau",
    "sigma",
    "alpha",
    "beta",
    "gender_gap",
)

_ATTRIBUTE = "_teachkit_spec"


@dataclass(frozen=True)
class ModelSpec:
    """Description of a lecture model built by :mod:`teachkit.models`.

    Attributes
    ----------
    case : str
        ``"ozone"`` or ``"grants"``.
    name : str
        The model's name, e.g. ``"covarying"``.
    parameterization : str or None
        ``"centered"`` or ``"noncentered"`` for hierarchical ozone models, else None.
    likelihood : str
        ``"sufficient"`` or ``"pointwise"``.
    n_obs : int
        Number of observations (rows of the data).
    observed : dict of str to ndarray
        Observed outcome(s) by name, each of shape (n_obs,).
    log_likelihood : callable
        Maps the posterior Dataset to the pointwise log-likelihood, a Dataset with the same
        variable names as ``observed`` and dims (chain, draw, obs).
    parameters : tuple of str
        Canonical parameters of the model, hyperparameters first.
    hyperparameters : tuple of str
        The population-level ones among them (the ones diagnostics must pass for).
    structure : tuple
        Equal for two models exactly when one's compiled form can be reused for the other.
    """

    case: str
    name: str
    parameterization: str | None
    likelihood: str
    n_obs: int
    observed: dict[str, np.ndarray] = field(repr=False)
    log_likelihood: Callable[[xr.Dataset], xr.Dataset] = field(repr=False)
    parameters: tuple[str, ...]
    hyperparameters: tuple[str, ...]
    structure: tuple

    def attrs(self) -> dict[str, str | int]:
        """Metadata for ``InferenceData.posterior.attrs`` (netCDF-safe values)."""
        return {
            "teachkit_case": self.case,
            "teachkit_model": self.name,
            "teachkit_parameterization": self.parameterization or "",
            "teachkit_likelihood": self.likelihood,
            "teachkit_n_obs": self.n_obs,
        }


def attach_spec(model: object, spec: ModelSpec) -> None:
    """Remember ``spec`` on a PyMC model."""
    setattr(model, _ATTRIBUTE, spec)


def get_spec(model: object) -> ModelSpec:
    """The spec of a model built by teachkit.

    Raises
    ------
    TeachkitError
        If the model was not built by :mod:`teachkit.models`.
    """
    spec = getattr(model, _ATTRIBUTE, None)
    if spec is None:
        raise TeachkitError(
            "this model was not built by teachkit: use teachkit.models.build_ozone_model or "
            "build_grants_model"
        )
    return spec


def check_choice(what: str, value: object, allowed: tuple[str, ...]) -> None:
    """Raise a one-line ValueError unless ``value`` is one of ``allowed``.

    Examples
    --------
    >>> check_choice("model", "linear", ("pooled", "covarying"))
    Traceback (most recent call last):
    ...
    teachkit.errors.TeachkitError: unknown model 'linear'; choose one of: pooled, covarying
    """
    if value not in allowed:
        raise TeachkitError(f"unknown {what} {value!r}; choose one of: {', '.join(allowed)}")


def pointwise_dataset(name: str, values: np.ndarray, posterior: xr.Dataset) -> xr.Dataset:
    """Wrap pointwise log-likelihood values of shape (chain, draw, obs) as ArviZ expects them."""
    return xr.Dataset(
        {name: (("chain", "draw", "obs"), values)},
        coords={
            "chain": posterior["chain"],
            "draw": posterior["draw"],
            "obs": np.arange(values.shape[-1]),
        },
    )
