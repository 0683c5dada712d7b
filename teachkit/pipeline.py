"""From a case study's name and data to stored fits and comparisons: one call each.

These are the library calls behind ``teachkit fit`` and ``teachkit compare`` (and the fits of
``recover``, ``figures`` and the lecture scripts): :func:`fit_model` looks the fit up in the
fit store (:mod:`teachkit.store`) and samples only when the store has no fit for exactly this
request; :func:`compare_models` fits every model of a case that way and compares them by
PSIS-LOO.

Examples
--------
>>> import tempfile
>>> from teachkit.store import FitStore
>>> store = FitStore(tempfile.mkdtemp())
>>> first = fit_model("grants", "gender", draws=100, tune=100, chains=2, store=store)
>>> again = fit_model("grants", "gender", draws=100, tune=100, chains=2, store=store)
>>> first.from_store, again.from_store, again.record["parameters"] == first.record["parameters"]
(False, True, True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from teachkit.cases import get_case
from teachkit.checks import (
    MAX_SAMPLER_DRAWS,
    MAX_SEED,
    check_choice,
    check_count,
    check_finite,
)
from teachkit.inference import MAX_CHAINS, TARGET_ACCEPT
from teachkit.store import FitKey, FitStore

if TYPE_CHECKING:
    import arviz as az

__all__ = ["Comparison", "FitResult", "compare_models", "fit_model"]

Status = Callable[[str], None]


@dataclass
class FitResult:
    """A fit made or read by :func:`fit_model`.

    Attributes
    ----------
    record : dict
        The fit's record (settings, seconds, diagnostics, summary table), as
        ``teachkit fit --json`` writes it; ``record["data"]`` names this request's data.
    path : Path
        The stored netCDF file.
    from_store : bool
        True when the fit was read from the store rather than sampled.
    """

    record: dict[str, Any]
    path: Path
    from_store: bool
    _idata: az.InferenceData | None = field(default=None, repr=False)

    @property
    def idata(self) -> az.InferenceData:
        """The InferenceData (read from the store on first use when it was not sampled here)."""
        if self._idata is None:
            import arviz as az

            self._idata = az.from_netcdf(self.path)
        return self._idata


def fit_model(
    case: str,
    model: str,
    data: str | Path | pd.DataFrame | None = None,
    *,
    parameterization: str | None = None,
    likelihood: str | None = None,
    sampler: str = "nutpie",
    draws: int = 1000,
    tune: int = 1000,
    chains: int = 4,
    seed: int = 1,
    target_accept: float = TARGET_ACCEPT,
    store: FitStore | None = None,
    refit: bool = False,
    progress: bool = False,
    status: Status | None = None,
    label: str | None = None,
) -> FitResult:
    """Fit ``model`` of ``case`` on ``data``, or read the identical fit from the store.

    Parameters
    ----------
    case, model : str
        E.g. ``"ozone", "covarying"``.
    data : str, path or DataFrame, optional
        A shipped data set's name (default: the case's first), a CSV file or a table.
    parameterization, likelihood : str, optional
        Builder options (the ozone models have them); None takes the model's default.
    sampler, draws, tune, chains, seed, target_accept
        Sampler settings (see :func:`teachkit.inference.fit`); a stored fit is reused only
        when all of them match.
    store : FitStore, optional
        Where fits are kept (default: :class:`~teachkit.store.FitStore` in the user's cache
        folder, or ``$TEACHKIT_FIT_STORE``).
    refit : bool
        Sample even if the store has the fit (and replace it).
    progress : bool
        Show the sampler's progress bar.
    status : callable, optional
        Receives one line saying whether the fit was read or is being sampled.
    label : str, optional
        What to call the data in messages and the record (default: the data set's name, the
        CSV file's name, or ``"table"``).

    Returns
    -------
    FitResult
    """
    from teachkit.report import fit_record

    study = get_case(case)
    study.check_model(model)
    given = {k: v for k, v in (("parameterization", parameterization), ("likelihood", likelihood))
             if v is not None}  # fmt: skip
    options = study.resolve_options(model, **given)
    check_choice("sampler", sampler, ("nutpie", "pymc"))
    for name, value, low, high in (
        ("draws", draws, 1, MAX_SAMPLER_DRAWS), ("tune", tune, 0, MAX_SAMPLER_DRAWS),
        ("chains", chains, 1, MAX_CHAINS), ("seed", seed, 0, MAX_SEED),
    ):  # fmt: skip
        check_count(value, name, low, high)
    check_finite(target_accept, "target_accept", low=0.0, high=1.0, low_open=True, high_open=True)
    frame, data_label = study.load(data)
    label = label or data_label
    store = store if store is not None else FitStore()
    key = FitKey.for_fit(
        study, model, options, study.fingerprint(frame),
        sampler=sampler, draws=draws, tune=tune, chains=chains, seed=seed,
        target_accept=target_accept,
    )  # fmt: skip
    say = status or (lambda message: None)
    record = None if refit else store.load_record(key)
    if record is not None:
        say(f"read the stored fit of {case}/{model} from {store.path(key)} (--refit samples again)")
        return FitResult({**record, "data": label}, store.path(key), from_store=True)

    from teachkit.inference import diagnose, fit, summary

    built = study.build(frame, model, **given)
    say(f"fitting {case}/{model} on {label} with {sampler} ({chains} chains) ...")
    idata = fit(built, sampler=sampler, draws=draws, tune=tune, chains=chains, seed=seed,
                target_accept=target_accept, progress=progress)  # fmt: skip
    record = fit_record(idata, summary(idata), diagnose(idata), data=label)
    record["entry_names"] = study.entry_names(frame)
    path = store.save(key, idata, record)
    return FitResult(record, path, from_store=False, _idata=idata)


@dataclass(frozen=True)
class Comparison:
    """The PSIS-LOO comparison of every model of a case on one data set.

    Attributes
    ----------
    case, data : str
        The case study and the data's label.
    n_obs : int
        Observations in the data.
    table : DataFrame
        :func:`teachkit.inference.compare`'s table, best model first.
    """

    case: str
    data: str
    n_obs: int
    table: pd.DataFrame


def compare_models(
    case: str,
    data: str | Path | pd.DataFrame | None = None,
    *,
    status: Status | None = None,
    **fit_options: Any,
) -> Comparison:
    """Fit every model of ``case`` on ``data`` (through the store) and compare them by LOO.

    ``fit_options`` (sampler settings, seed, store, refit, progress) go to :func:`fit_model`.
    """
    from teachkit.inference import compare

    study = get_case(case)
    results = {name: fit_model(case, name, data, status=status, **fit_options)
               for name in study.models}  # fmt: skip
    if status is not None:
        status("computing PSIS-LOO ...")
    table = compare({name: r.idata for name, r in results.items()})
    first = next(iter(results.values())).record
    return Comparison(case=study.name, data=first["data"], n_obs=first["n_obs"], table=table)
