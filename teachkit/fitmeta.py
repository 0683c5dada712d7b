"""What teachkit records about a fit, as one typed object: :class:`FitMeta`.

A fit's ``posterior.attrs`` carry its case, model, model options, data fingerprint, canonical
parameters, sampler settings and timings, so that a fit read back from a netCDF file (the fit
store, ``teachkit fit --save``) still says what it is. netCDF attributes hold only strings and
numbers; this module is the one place that knows how they are spelled there (every key starts
with ``teachkit_``): :meth:`FitMeta.to_attrs` writes them, :meth:`FitMeta.from_attrs` and
:meth:`FitMeta.of` read them back. Nothing else in teachkit reads or writes those keys.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from teachkit.errors import TeachkitError

if TYPE_CHECKING:
    import arviz as az

__all__ = ["FitMeta"]

_PREFIX = "teachkit_"


@dataclass(frozen=True)
class FitMeta:
    """Metadata of one fit.

    Attributes
    ----------
    case, model : str
        The case study and the model, e.g. ``"ozone"``, ``"covarying"``.
    options : dict of str to str or None
        The model's options as the case resolved them (for ozone ``parameterization`` and
        ``likelihood``); empty for a model without options.
    n_obs : int
        Rows of the data.
    parameters, hyperparameters : tuple of str
        The model's canonical parameters (hyperparameters first) and its hyperparameters.
    data_hash : str
        Fingerprint of the data's values.
    sampler : str
        ``"nutpie"`` or ``"pymc"``.
    seed : int or None
        The sampler's seed.
    draws, tune, chains : int
        Kept draws and tuning steps per chain, chains.
    target_accept : float
        Target acceptance rate of the step-size adaptation.
    seconds : dict of str to float
        ``wall``, ``compile`` and ``sampling`` seconds.
    """

    case: str
    model: str
    options: Mapping[str, str | None] = field(default_factory=dict)
    n_obs: int = 0
    parameters: tuple[str, ...] = ()
    hyperparameters: tuple[str, ...] = ()
    data_hash: str = ""
    sampler: str = ""
    seed: int | None = None
    draws: int = 0
    tune: int = 0
    chains: int = 0
    target_accept: float = 0.0
    seconds: Mapping[str, float] = field(default_factory=dict)

    def with_run(self, **run: Any) -> FitMeta:
        """The same metadata with the sampler's settings and timings filled in."""
        return replace(self, **run)

    def to_attrs(self) -> dict[str, str | int | float]:
        """The metadata as netCDF-safe attributes (strings and numbers only)."""
        return {
            f"{_PREFIX}case": self.case,
            f"{_PREFIX}model": self.model,
            f"{_PREFIX}options": json.dumps(dict(self.options)),  # in the model record's order
            f"{_PREFIX}n_obs": int(self.n_obs),
            f"{_PREFIX}parameters": ",".join(self.parameters),
            f"{_PREFIX}hyperparameters": ",".join(self.hyperparameters),
            f"{_PREFIX}data_hash": self.data_hash,
            f"{_PREFIX}sampler": self.sampler,
            f"{_PREFIX}seed": -1 if self.seed is None else int(self.seed),
            f"{_PREFIX}draws": int(self.draws),
            f"{_PREFIX}tune": int(self.tune),
            f"{_PREFIX}chains": int(self.chains),
            f"{_PREFIX}target_accept": float(self.target_accept),
            **{f"{_PREFIX}seconds_{k}": float(v) for k, v in self.seconds.items()},
        }

    @classmethod
    def from_attrs(cls, attrs: Mapping[str, Any]) -> FitMeta:
        """Read the metadata back from attributes written by :meth:`to_attrs`.

        Raises
        ------
        TeachkitError
            When the attributes were not written by teachkit.
        """
        if f"{_PREFIX}case" not in attrs:
            raise TeachkitError("this InferenceData was not made by teachkit.inference.fit")

        def names(key: str) -> tuple[str, ...]:
            text = str(attrs.get(f"{_PREFIX}{key}", ""))
            return tuple(text.split(",")) if text else ()

        seed = int(attrs.get(f"{_PREFIX}seed", -1))
        seconds = {
            key[len(f"{_PREFIX}seconds_") :]: float(value)
            for key, value in attrs.items()
            if key.startswith(f"{_PREFIX}seconds_")
        }
        return cls(
            case=str(attrs[f"{_PREFIX}case"]),
            model=str(attrs[f"{_PREFIX}model"]),
            options=json.loads(str(attrs.get(f"{_PREFIX}options", "{}"))),
            n_obs=int(attrs.get(f"{_PREFIX}n_obs", 0)),
            parameters=names("parameters"),
            hyperparameters=names("hyperparameters"),
            data_hash=str(attrs.get(f"{_PREFIX}data_hash", "")),
            sampler=str(attrs.get(f"{_PREFIX}sampler", "")),
            seed=None if seed < 0 else seed,
            draws=int(attrs.get(f"{_PREFIX}draws", 0)),
            tune=int(attrs.get(f"{_PREFIX}tune", 0)),
            chains=int(attrs.get(f"{_PREFIX}chains", 0)),
            target_accept=float(attrs.get(f"{_PREFIX}target_accept", 0.0)),
            seconds=seconds,
        )

    @classmethod
    def of(cls, idata: az.InferenceData) -> FitMeta:
        """The metadata of a teachkit fit (read from ``idata.posterior.attrs``)."""
        return cls.from_attrs(idata.posterior.attrs)

    def write(self, idata: az.InferenceData) -> az.InferenceData:
        """Store the metadata in ``idata.posterior.attrs`` (in place); return ``idata``."""
        idata.posterior.attrs.update(self.to_attrs())
        return idata
