"""What a teachkit model builder returns: the PyMC model and what teachkit knows about it.

A builder returns a frozen :class:`BuiltModel` holding the ``pm.Model`` and its
:class:`ModelSpec`: the case and model names, the builder's options, the observed outcomes and
the covariates the pointwise log-likelihood needs (stored in the ``observed_data`` and
``constant_data`` groups of every fit), which parameters are hyperparameters, a fingerprint of
the data (part of the fit store's key) and a key that says when two models have the same
structure, so a compiled model can be reused with new data.

Nothing is attached to the ``pm.Model`` itself, so a model transformed by ``pm.do`` or cloned
keeps its spec only when the user says so, explicitly: ``built.with_model(pm.do(built.model,
...))``; :func:`teachkit.inference.fit` refuses a bare ``pm.Model`` with a one-line error
instead of guessing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from teachkit.errors import TeachkitError
from teachkit.fitmeta import FitMeta

if TYPE_CHECKING:
    import pymc as pm

__all__ = [
    "BuiltModel",
    "ModelSpec",
    "as_built",
    "data_fingerprint",
    "pointwise_dataset",
]


@dataclass(frozen=True)
class ModelSpec:
    """Description of a lecture model built by a case study's builder.

    Attributes
    ----------
    case : str
        The case study's registered name, e.g. ``"ozone"``.
    name : str
        The model's name, e.g. ``"covarying"``.
    options : dict of str to str or None
        The builder's options as resolved (defaults filled in) by the case study, e.g. the
        ozone models' ``{"parameterization": "noncentered", "likelihood": "sufficient"}``;
        empty for a model without options. Generic code passes them on without reading them.
    n_obs : int
        Number of observations (rows of the data).
    observed : dict of str to ndarray
        Observed outcome(s) by name, each of shape (n_obs,): the ``observed_data`` group.
    constant : dict of str to ndarray
        Covariates by name, each of shape (n_obs,): the ``constant_data`` group, from which
        (with the posterior and the outcomes) the case computes the pointwise log-likelihood.
    parameters : tuple of str
        Canonical parameters of the model, hyperparameters first (the order of summaries).
    hyperparameters : tuple of str
        The population-level ones among them (the ones diagnostics must pass for).
    structure : tuple
        Equal for two models exactly when one's compiled form can be reused for the other.
    data_hash : str
        :func:`data_fingerprint` of the columns the model reads.
    """

    case: str
    name: str
    options: Mapping[str, str | None]
    n_obs: int
    observed: dict[str, np.ndarray] = field(repr=False, compare=False)
    constant: dict[str, np.ndarray] = field(repr=False, compare=False)
    parameters: tuple[str, ...]
    hyperparameters: tuple[str, ...]
    structure: tuple
    data_hash: str

    def meta(self) -> FitMeta:
        """The model's part of a fit's metadata (the sampler's part is added by the fit)."""
        return FitMeta(
            case=self.case,
            model=self.name,
            options=dict(self.options),
            n_obs=self.n_obs,
            parameters=self.parameters,
            hyperparameters=self.hyperparameters,
            data_hash=self.data_hash,
        )


@dataclass(frozen=True)
class BuiltModel:
    """A PyMC model with its :class:`ModelSpec`, as every teachkit builder returns it.

    Attributes
    ----------
    model : pymc.Model
        The model; use it as PyMC allows (``with built.model:``, ``pm.draw``, ``pm.do``...).
    spec : ModelSpec
        What teachkit knows about it.
    """

    model: pm.Model
    spec: ModelSpec

    def with_model(self, model: pm.Model) -> BuiltModel:
        """The same spec with another PyMC model, e.g. ``pm.do(built.model, {...})``.

        The caller vouches that ``model`` still has the variables the spec names.
        """
        return replace(self, model=model)


def as_built(model: object) -> BuiltModel:
    """Return ``model`` if a teachkit builder made it, else raise a one-line TeachkitError."""
    if isinstance(model, BuiltModel):
        return model
    raise TeachkitError(
        f"expected what a teachkit model builder returns (BuiltModel), got "
        f"{type(model).__name__}; build with teachkit.pipeline.build_model or, for a model you "
        "changed (pm.do, clone), wrap it with built.with_model(new_model)"
    )


def data_fingerprint(frame: pd.DataFrame, columns: tuple[str, ...]) -> str:
    """A short hash of the values of ``columns`` (row order matters, the index does not).

    Categorical and text columns are hashed as their strings, so a table read from CSV and
    the same table loaded by teachkit give the same fingerprint.

    Examples
    --------
    >>> a = pd.DataFrame({"x": [1.0, 2.0], "g": ["f", "m"]})
    >>> data_fingerprint(a, ("x", "g")) == data_fingerprint(a.astype({"g": "category"}), ("x", "g"))
    True
    >>> data_fingerprint(a, ("x",)) == data_fingerprint(a.iloc[::-1], ("x",))
    False
    """
    digest = hashlib.sha256()
    for col in columns:
        values = frame[col]
        if not pd.api.types.is_numeric_dtype(values):
            values = values.astype(str)
        digest.update(col.encode())
        digest.update(pd.util.hash_pandas_object(values, index=False).to_numpy().tobytes())
    return digest.hexdigest()[:16]


def pointwise_dataset(values: dict[str, np.ndarray], posterior: xr.Dataset) -> xr.Dataset:
    """Wrap pointwise log-likelihood values of shape (chain, draw, obs) as ArviZ expects them."""
    n_obs = next(iter(values.values())).shape[-1]
    return xr.Dataset(
        {name: (("chain", "draw", "obs"), v) for name, v in values.items()},
        coords={"chain": posterior["chain"], "draw": posterior["draw"], "obs": np.arange(n_obs)},
    )
