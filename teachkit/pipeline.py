"""From a case study's name and data to models, stored fits and comparisons: one call each.

These are the library calls behind ``teachkit fit`` and ``teachkit compare`` (and the fits of
``recover``, ``figures`` and the lecture scripts): :func:`build_model` builds a model by case
and name, :func:`fit_model` looks the fit up in the fit store (:mod:`teachkit.store`) and
samples only when the store has no fit for exactly this request (or its entry is damaged: the
store warns once and it is fitted again); :func:`compare_models` fits every model of a case
that way and compares them by PSIS-LOO, from each fit's ELPD data the store keeps beside it
(computed, from the 0.5 GB pointwise log-likelihood of a Beijing fit, only the first time).
A model's options (the keyword arguments these functions pass on) are the case's: each case
study checks them and fills in their defaults, and generic code never reads them.

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

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from teachkit.inference import diagnose, fit, summary
from teachkit.loo import POINTWISE_GROUP, compare_elpd, elpd_data
from teachkit.progress import Progress, as_progress
from teachkit.records import fit_record
from teachkit.registry import get_case, load_data
from teachkit.samplers import TARGET_ACCEPT, SamplerSettings
from teachkit.store import FitKey, FitStore

if TYPE_CHECKING:
    import arviz as az
    from arviz.stats.stats_utils import ELPDData

    from teachkit.cases.base import CaseStudy
    from teachkit.models.spec import BuiltModel

__all__ = ["Comparison", "FitResult", "build_model", "compare_models", "fit_model"]

Status = Callable[[str], None]


def build_model(case: str, model: str, data: pd.DataFrame, **options: Any) -> BuiltModel:
    """Build ``model`` of ``case`` on ``data``; ``options`` go to the case's builder.

    Raises
    ------
    TeachkitError
        For an unknown case, model or option, naming the allowed ones.

    Examples
    --------
    >>> from teachkit.cases.grants.data import load_nwo_grants
    >>> built = build_model("grants", "gender", load_nwo_grants())
    >>> built.spec.name, [v.name for v in built.model.free_RVs]
    ('gender', ['alpha'])
    """
    return get_case(case).build(data, model, **options)


@dataclass
class FitResult:
    """A fit made or read by :func:`fit_model`.

    Attributes
    ----------
    record : dict
        The fit's record (settings, seconds, diagnostics, summary table), as
        ``teachkit fit --json`` writes it; ``record["data"]`` names this request's data.
    store : FitStore
        The store that holds the fit.
    key : FitKey
        The fit's key there.
    from_store : bool
        True when the fit was read from the store rather than sampled.
    """

    record: dict[str, Any]
    store: FitStore
    key: FitKey
    from_store: bool
    _idata: az.InferenceData | None = field(default=None, repr=False)
    _elpd: ELPDData | None = field(default=None, repr=False)
    #: Samples the fit again (used when the stored entry turns out damaged when read).
    _remake: Callable[[], FitResult] | None = field(default=None, repr=False)

    @property
    def path(self) -> Path:
        """The stored netCDF file."""
        return self.store.path(self.key)

    @property
    def idata(self) -> az.InferenceData:
        """The InferenceData (read from the store on first use when it was not sampled here).

        Should the stored entry be found damaged now, the fit is sampled again (and stored).
        """
        if self._idata is None:
            self._idata = self.store.load(self.key)
        if self._idata is None:
            if self._remake is None:
                raise RuntimeError(f"no stored fit for {self.key.stem} and no way to make one")
            fresh = self._remake()
            self.record = {**fresh.record, "data": self.record.get("data", fresh.record["data"])}
            self.from_store, self._idata = False, fresh.idata
        return self._idata

    @property
    def elpd(self) -> ELPDData:
        """The fit's pointwise PSIS-LOO data (:func:`teachkit.loo.elpd_data`).

        Read from the store when it has them; otherwise computed from the fit (the pointwise
        log-likelihood first, 0.5 GB for a Beijing fit, dropped again afterwards) and stored
        beside it.
        """
        if self._elpd is None:
            study = get_case(self.key.case)

            def compute() -> ELPDData:
                idata = self.idata
                added = POINTWISE_GROUP not in idata.groups()
                value = elpd_data(idata, study)
                if added:
                    del idata[POINTWISE_GROUP]
                return value

            self._elpd = self.store.elpd(self.key, compute)
        return self._elpd


def fit_model(
    case: str | CaseStudy,
    model: str,
    data: str | Path | pd.DataFrame | None = None,
    *,
    sampler: str = "nutpie",
    draws: int = 1000,
    tune: int = 1000,
    chains: int = 4,
    seed: int = 1,
    target_accept: float = TARGET_ACCEPT,
    store: FitStore | None = None,
    refit: bool = False,
    progress: bool | Progress = False,
    status: Status | None = None,
    label: str | None = None,
    columns: Mapping[str, str] | None = None,
    priors: str | Path | None = None,
    center_x: bool | None = None,
    dropna: bool | None = None,
    **options: str | None,
) -> FitResult:
    """Fit ``model`` of ``case`` on ``data``, or read the identical fit from the store.

    Parameters
    ----------
    case, model : str
        E.g. ``"ozone", "covarying"``.
    data : str, path or DataFrame, optional
        A shipped data set's name (default: the case's first), a CSV file or a table.
    sampler, draws, tune, chains, seed, target_accept
        Sampler settings (:class:`~teachkit.samplers.SamplerSettings`); a stored fit is reused
        only when all of them match.
    store : FitStore, optional
        Where fits are kept (default: :class:`~teachkit.store.FitStore` in the user's cache
        folder, or ``$TEACHKIT_FIT_STORE``).
    refit : bool
        Sample even if the store has the fit (and replace it).
    progress : bool or Progress
        What to show while compiling and sampling (:func:`teachkit.inference.fit`).
    status : callable, optional
        Receives one line saying whether the fit was read or is being sampled.
    label : str, optional
        What to call the data in messages and the record (default: the data set's name, the
        CSV file's name, or ``"table"``).
    columns, priors, center_x, dropna
        Settings of a case fitted to a user's own table (the grouped case): which columns are
        ``y``, ``x`` and ``group``, ``"auto"`` priors or a TOML file, whether to centre x,
        whether to drop rows with missing values (None: the case's own). Other cases refuse
        them.
    **options
        The model's options, checked by the case (None takes the default), e.g.
        ``parameterization="centered"`` for an ozone model.

    Returns
    -------
    FitResult
    """
    study = get_case(case).configured(
        columns=columns, priors=priors, center_x=center_x, dropna=dropna
    )
    resolved = study.resolve_options(model, **options)
    settings = SamplerSettings(sampler, draws, tune, chains, seed, target_accept)
    frame, data_label = load_data(study, data)
    study = study.with_data(frame)
    label = label or data_label
    store = store if store is not None else FitStore()
    key = FitKey.for_fit(study, model, resolved, study.fingerprint(frame), settings)
    say = status or (lambda message: None)
    record = None if refit else store.load_record(key)
    if record is not None:
        say(
            f"read the stored fit of {study.name}/{model} from {store.path(key)} "
            "(--refit samples again)"
        )

        def remake() -> FitResult:
            return fit_model(
                study,
                model,
                frame,
                **settings.as_dict(),
                store=store,
                refit=True,
                progress=progress,
                status=status,
                label=label,
                **resolved,
            )

        return FitResult({**record, "data": label}, store, key, from_store=True, _remake=remake)

    built = study.build(frame, model, **resolved)
    say(f"fitting {study.name}/{model} on {label} with {sampler} ({chains} chains) ...")
    idata = fit(built, settings=settings, progress=progress)
    report = diagnose(idata, advice=study.fit_advice)
    record = fit_record(idata, summary(idata), report, data=label)
    record.update(study.describe())
    record["entry_names"] = study.entry_names(frame)
    store.save(key, idata, record)
    return FitResult(record, store, key, from_store=False, _idata=idata)


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
        :func:`teachkit.loo.compare`'s table, best model first.
    """

    case: str
    data: str
    n_obs: int
    table: pd.DataFrame


def compare_models(
    case: str | CaseStudy,
    data: str | Path | pd.DataFrame | None = None,
    *,
    status: Status | None = None,
    columns: Mapping[str, str] | None = None,
    priors: str | Path | None = None,
    center_x: bool | None = None,
    dropna: bool | None = None,
    **fit_options: Any,
) -> Comparison:
    """Fit the compared models of ``case`` on ``data`` (through the store), compare them by LOO.

    The models are the case's ``compared_models`` (every model unless the case says
    otherwise); ``fit_options`` (sampler settings, seed, store, refit, progress) go to
    :func:`fit_model`; every model takes its default options. A
    :class:`~teachkit.progress.Progress` given as ``progress`` also shows each model's PSIS-LOO.
    ``columns``, ``priors``, ``center_x`` and ``dropna`` configure a case fitted to a user's
    own table (see :func:`fit_model`).
    """
    study = get_case(case).configured(
        columns=columns, priors=priors, center_x=center_x, dropna=dropna
    )
    results = {
        name: fit_model(study, name, data, status=status, **fit_options)
        for name in study.compared_models
    }
    progress = as_progress(fit_options.get("progress", False))
    elpds = {}
    for name, r in results.items():
        stored = r.store.load_elpd(r.key)
        if stored is None:
            if status is not None:
                status(f"computing PSIS-LOO of {study.name}/{name} (stored with the fit) ...")
            with progress.step(f"PSIS-LOO of {study.name}/{name}"):
                stored = r.elpd
        elpds[name] = stored
    table = compare_elpd(elpds)
    first = next(iter(results.values())).record
    return Comparison(case=study.name, data=first["data"], n_obs=first["n_obs"], table=table)
