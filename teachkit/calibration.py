"""Calibration over many data sets: interval coverage and simulation-based calibration.

Simulation-based calibration (SBC; Talts, Betancourt, Simpson, Vehtari and Gelman 2018,
"Validating Bayesian inference algorithms with simulation-based calibration", arXiv:1804.06788):
draw parameters from the prior, simulate data from the model given them, fit, and record the
rank of each true value among L (nearly independent) posterior draws. If the model and the
sampler are right, every rank is uniform on {0, ..., L}. The same runs give the coverage of
central posterior intervals, which must match their nominal probability.

Fits run in this process, ``jobs`` at a time, or on a Dask cluster
(``scheduler="tcp://host:8786"``, needs ``pip install teachkit[dask]``). Local jobs are threads
of this process, not processes: the sampler (nutpie's Rust threads, calling numba-compiled
code) runs without Python's global interpreter lock, so threads sample in parallel, while the
model is compiled once for all of them and no worker pays Python's and PyMC's start-up. Each job
gets its share of the cores (``cores // jobs`` sampler threads, at least one), so two jobs on
two cores do not run four sampler threads. A Dask worker compiles the model once and reuses it
for every data set it fits.

Every fit receives the case itself (configured, and pickled for a Dask worker), not only its
name, so a case fitted to a user's own table (the grouped case) calibrates with that table's
columns, design and priors. The case is bound to one table before the first prior draw
(:meth:`~teachkit.cases.base.CaseStudy.with_data`: ``data`` if given, else its default data
set), so priors scaled to the data (``auto``) are one set, the same for the prior draws and
for every fit: SBC's ranks are uniform only when the data are drawn from the prior the fits
use (Talts et al. 2018, sec. 2).
"""

from __future__ import annotations

import math
import os
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from teachkit.cases.base import CaseStudy
from teachkit.checks import check_count
from teachkit.errors import TeachkitError
from teachkit.fitmeta import FitMeta
from teachkit.inference import fit
from teachkit.posterior import draws as posterior_draws
from teachkit.registry import get_case, load_data
from teachkit.samplers import SamplerSettings

if TYPE_CHECKING:
    from pathlib import Path

    from teachkit.models.spec import BuiltModel

__all__ = [
    "CalibrationResult",
    "calibrate",
    "check_scheduler",
    "coverage",
    "sbc",
]

#: Posterior draws kept per fit for the ranks (ranks take values 0..THIN_TO).
THIN_TO = 99
#: Most simulations and local jobs of one run (1,000 simulations take hours).
MAX_SIMS = 100_000
MAX_JOBS = 256


@dataclass(frozen=True)
class FitOutcome:
    """What one calibration fit reports back."""

    index: int
    ranks: dict[str, int]
    covered: dict[str, bool]
    divergences: int
    seconds: float
    compile_seconds: float = 0.0
    sampling_seconds: float = 0.0
    min_ess: float = float("nan")


@dataclass(frozen=True)
class CalibrationResult:
    """Ranks and interval coverage over ``n_sims`` simulated data sets.

    Attributes
    ----------
    case, model : str
    n_draws : int
        L: each rank lies in 0..L.
    interval : float
        Probability of the central intervals checked for coverage.
    truth : DataFrame
        Planted values, one row per simulation, one column per parameter.
    ranks : DataFrame
        Rank of each truth among the L thinned draws (same shape as ``truth``).
    covered : DataFrame
        Whether each truth lies in its central interval.
    divergences : Series
        Divergent transitions per fit.
    min_ess : Series
        Per fit, the least bulk ESS over the ranked hyperparameters. The ranks are uniform
        only if the :attr:`n_draws` draws ranked are (nearly) independent, i.e. the ESS is at
        least the number of draws ranked (Talts et al. 2018, "Validating Bayesian inference
        algorithms with simulation-based calibration", sec. 5.1, thin to about the ESS).
    seconds : float
        Wall time of the whole run.
    jobs : int
        Parallel workers used.
    settings : dict
        Sampler settings, the design and the seed.
    fit_seconds : DataFrame
        Per fit: ``total`` (building, fitting and ranking in its worker), ``compile`` and
        ``sampling`` seconds (see :meth:`time_shares`).
    """

    case: str
    model: str
    n_draws: int
    interval: float
    truth: pd.DataFrame
    ranks: pd.DataFrame
    covered: pd.DataFrame
    divergences: pd.Series
    seconds: float
    jobs: int
    min_ess: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    settings: dict[str, Any] = field(default_factory=dict)
    fit_seconds: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def n_sims(self) -> int:
        """Number of simulations."""
        return len(self.ranks)

    @property
    def fits_per_minute(self) -> float:
        """Throughput of the run."""
        return 60.0 * self.n_sims / self.seconds

    def time_shares(self) -> dict[str, float]:
        """Where the workers' time went, as shares of ``jobs`` x the run's wall time.

        ``sampling`` (inside the sampler), ``compile`` (compiling models), ``other_fit``
        (building models, swapping data, ranking draws) and ``idle`` (the rest: process
        start-up, the prior draws before the first fit, waiting for the last fit). With more
        sampler threads than cores, the sampler's wall time includes waiting for a core, so
        ``sampling`` flatters an oversubscribed run; fits per minute does not.
        """
        budget = self.seconds * self.jobs
        parts = self.fit_seconds.sum() if len(self.fit_seconds) else pd.Series(dtype=float)
        sampling = float(parts.get("sampling", 0.0))
        compiling = float(parts.get("compile", 0.0))
        other = float(parts.get("total", 0.0)) - sampling - compiling
        return {
            "sampling": sampling / budget,
            "compile": compiling / budget,
            "other_fit": other / budget,
            "idle": 1.0 - (sampling + compiling + other) / budget,
        }

    def uniformity(self, bins: int | None = None) -> pd.DataFrame:
        """Chi-square test of uniform ranks per parameter.

        Ranks 0..L are grouped into ``bins`` equal bins (default: about n_sims / 10 so each bin
        expects ten ranks, at most 20).

        Returns
        -------
        DataFrame indexed by parameter
            ``chi2``, ``dof``, ``p_value``, and ``uniform``: False when p < 0.05 divided by the
            number of parameters (Bonferroni, family-wise level 0.05).
        """
        k = bins or int(min(20, max(2, self.n_sims // 10)))
        if (self.n_draws + 1) % k:
            k = next(b for b in range(k, 1, -1) if (self.n_draws + 1) % b == 0)
        level = 0.05 / self.ranks.shape[1]
        rows = {}
        for name, ranks in self.ranks.items():
            counts = np.bincount(ranks.to_numpy() * k // (self.n_draws + 1), minlength=k)
            chi2, p = stats.chisquare(counts)
            rows[name] = {"chi2": chi2, "dof": k - 1, "p_value": p, "uniform": p >= level}
        return pd.DataFrame.from_dict(rows, orient="index")

    def coverage(self) -> pd.DataFrame:
        """Share of data sets whose central interval holds the truth, with binomial error.

        Returns
        -------
        DataFrame indexed by parameter
            ``nominal``, ``coverage``, ``se`` = sqrt(c (1 - c) / n), and the exact
            Clopper-Pearson 95% interval ``low``, ``high`` of the true coverage.
        """
        n = self.n_sims
        rows = {}
        for name, hits in self.covered.items():
            k = int(hits.sum())
            c = k / n
            ci = stats.binomtest(k, n).proportion_ci(0.95, method="exact")
            rows[name] = {
                "nominal": self.interval,
                "coverage": c,
                "se": math.sqrt(c * (1 - c) / n),
                "low": ci.low,
                "high": ci.high,
            }
        return pd.DataFrame.from_dict(rows, orient="index")


def calibrate(
    case: str | CaseStudy,
    model: str,
    n_sims: int,
    *,
    data: str | Path | pd.DataFrame | None = None,
    seed: int = 0,
    jobs: int = 1,
    scheduler: str | None = None,
    draws: int = 500,
    tune: int = 500,
    chains: int = 4,
    interval: float = 0.94,
    design: Mapping[str, Any] | None = None,
    model_options: Mapping[str, Any] | None = None,
    on_result: Callable[[int, int], None] | None = None,
) -> CalibrationResult:
    """Simulate ``n_sims`` data sets from the prior, fit each, and collect ranks and coverage.

    Parameters
    ----------
    case : str or CaseStudy
        A case's name or a configured case (e.g. the grouped case on a user's columns).
    model : str
        The lecture model to calibrate (its default parameterisation).
    n_sims : int
        Number of simulated data sets, >= 1.
    data : str, path or DataFrame, optional
        A table to bind the case to (see the module docstring): the grouped case then takes
        its design (groups, group sizes, x values) and its ``auto`` priors from it, and
        ``design`` is not used. Default: a case that binds data (overrides
        :meth:`~teachkit.cases.base.CaseStudy.with_data`) takes its priors from its default
        data set and its design from ``design``.
    seed : int
        Seeds the design, the prior draws and every fit (each fit gets its own stream,
        spawned from ``seed`` by :class:`numpy.random.SeedSequence`, so runs with
        neighbouring seeds share no fits).
    jobs : int
        Fits run at once in this process (threads; 1: one after another), each with
        ``cores // jobs`` sampler threads.
    scheduler : str, optional
        Address of a Dask scheduler; the fits are sent there instead.
    draws, tune, chains : int
        Sampler settings of every fit.
    interval : float
        Probability of the central intervals checked for coverage.
    design : mapping, optional
        Size of each data set, overriding the case's defaults
        (:attr:`~teachkit.cases.base.CaseStudy.calibration_design_defaults`; ozone: ``n_stations``
        8 and ``n_days`` 30, small so each fit takes about a second; grants:
        ``n_disciplines`` and ``applications``).
    model_options : mapping, optional
        Options of the model every fit builds, e.g. ``{"parameterization": "noncentered"}``
        to calibrate that coding instead of the default one. The prior draws do not depend on
        them: every coding is the same model.
    on_result : callable, optional
        Called as ``on_result(done, total)`` after each fit (progress).

    Returns
    -------
    CalibrationResult
    """
    study = get_case(case)
    study.check_model(model)
    options = dict(model_options or {})
    study.resolve_options(model, **options)  # an unknown option or value: one line, no fit
    label = None
    if data is not None:
        frame, label = load_data(study, data)
        study = study.with_data(frame)
    check_count(n_sims, "n_sims", 1, MAX_SIMS)
    check_count(jobs, "jobs", 1, MAX_JOBS)
    SamplerSettings(draws=draws, tune=tune, chains=chains, seed=seed)
    if not 0 < interval < 1:
        raise TeachkitError(f"interval must lie strictly between 0 and 1, got {interval}")
    if chains * draws < THIN_TO:
        raise TeachkitError(f"chains x draws must be at least {THIN_TO} to thin to {THIN_TO} draws")

    start = time.perf_counter()
    design_options: dict[str, Any] = {"data": label}
    if label is None:
        design_options = {**study.calibration_design_defaults, **(design or {})}
    table = study.calibration_design(seed=seed, **(design or {}))
    if data is None and type(study).with_data is not CaseStudy.with_data:
        study = study.with_data(load_data(study)[0])
    truths, outcomes = _prior_draws(study.generative_model(table, model), n_sims, seed)
    fit_settings = {"draws": draws, "tune": tune, "chains": chains, "interval": interval}
    share = max(1, min(chains, (os.cpu_count() or 1) // jobs))
    cores = None if scheduler is not None else share
    fit_seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(n_sims)]
    tasks = [
        (
            i,
            study,
            model,
            study.with_outcome(table, outcomes[i]),
            truths[i],
            fit_seeds[i],
            {**fit_settings, "cores": cores, "model_options": options},
        )
        for i in range(n_sims)
    ]
    outcomes_by_index: dict[int, FitOutcome] = {}
    for done, outcome in enumerate(_run(tasks, jobs, scheduler), start=1):
        outcomes_by_index[outcome.index] = outcome
        if on_result is not None:
            on_result(done, n_sims)
    ordered = [outcomes_by_index[i] for i in range(n_sims)]
    return CalibrationResult(
        case=study.name,
        model=model,
        n_draws=THIN_TO,
        interval=interval,
        truth=pd.DataFrame(truths),
        ranks=pd.DataFrame([o.ranks for o in ordered]),
        covered=pd.DataFrame([o.covered for o in ordered]),
        divergences=pd.Series([o.divergences for o in ordered], name="divergences"),
        min_ess=pd.Series([o.min_ess for o in ordered], name="min_ess"),
        seconds=time.perf_counter() - start,
        jobs=jobs,
        settings={**fit_settings, **design_options, **options, "seed": seed},
        fit_seconds=pd.DataFrame(
            {
                "total": [o.seconds for o in ordered],
                "compile": [o.compile_seconds for o in ordered],
                "sampling": [o.sampling_seconds for o in ordered],
            }
        ),
    )


def sbc(case: str | CaseStudy, model: str, n_sims: int, **options: Any) -> CalibrationResult:
    """Simulation-based calibration; see :func:`calibrate` (the ranks are in ``.ranks``)."""
    return calibrate(case, model, n_sims, **options)


def coverage(case: str | CaseStudy, model: str, n_datasets: int, **options: Any) -> pd.DataFrame:
    """Coverage of central intervals over ``n_datasets`` prior simulations; see :func:`calibrate`.

    Returns the table of :meth:`CalibrationResult.coverage`.
    """
    return calibrate(case, model, n_datasets, **options).coverage()


def _prior_draws(
    built: BuiltModel, n_sims: int, seed: int
) -> tuple[list[dict[str, float]], np.ndarray]:
    """Draw hyperparameters and outcomes jointly from the model's prior predictive."""
    import pymc as pm

    m, spec = built.model, built.spec
    outcome = next(iter(spec.observed))
    names = list(spec.hyperparameters)
    values = pm.draw([m[n] for n in names] + [m[outcome]], draws=n_sims, random_seed=seed)
    truths: list[dict[str, float]] = [{} for _ in range(n_sims)]
    for name, draws in zip(names, values[:-1], strict=True):
        dims = m.named_vars_to_dims.get(name, ())
        for i in range(n_sims):
            if dims:
                for label, v in zip(m.coords[dims[0]], draws[i], strict=True):
                    truths[i][f"{name}[{label}]"] = float(v)
            else:
                truths[i][name] = float(draws[i])
    return truths, np.asarray(values[-1])


def _fit_one(
    index: int,
    study: CaseStudy,
    model: str,
    data: pd.DataFrame,
    truth: dict[str, float],
    seed: int,
    settings: dict[str, Any],
) -> FitOutcome:
    """Fit one simulated data set and rank its truths (runs in a worker).

    ``study`` is the calibrated case itself, bound to its table, so every fit uses the priors
    the truths were drawn from.
    """
    start = time.perf_counter()
    built = study.build(data, model, **settings.get("model_options", {}))
    sampler = SamplerSettings(
        draws=settings["draws"], tune=settings["tune"], chains=settings["chains"], seed=seed
    )
    idata = fit(built, settings=sampler, progress=False, cores=settings["cores"])
    tail = (1 - settings["interval"]) / 2
    ranks, covered = {}, {}
    for name, value in truth.items():
        draws = posterior_draws(idata, name)
        keep = np.linspace(0, len(draws) - 1, THIN_TO).round().astype(int)
        ranks[name] = int((draws[keep] < value).sum())
        low, high = np.quantile(draws, [tail, 1 - tail])
        covered[name] = bool(low <= value <= high)
    divergences = int(idata.sample_stats["diverging"].sum())
    seconds = FitMeta.of(idata).seconds
    import arviz as az

    hyper = [n for n in built.spec.hyperparameters if n in idata.posterior]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ess = az.ess(idata, var_names=hyper, method="bulk")
    min_ess = float(min(float(ess[n].min()) for n in hyper)) if hyper else float("nan")
    return FitOutcome(
        index,
        ranks,
        covered,
        divergences,
        seconds=time.perf_counter() - start,
        compile_seconds=seconds["compile"],
        sampling_seconds=seconds["sampling"],
        min_ess=min_ess,
    )


def _run(tasks: list[tuple], jobs: int, scheduler: str | None) -> Iterator[FitOutcome]:
    """Run the fits here (``jobs`` threads at a time) or on a Dask cluster; yield as they finish."""
    if scheduler is not None:
        yield from _run_dask(tasks, scheduler)
    elif jobs == 1:
        for task in tasks:
            yield _fit_one(*task)
    else:
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="teachkit-sbc") as pool:
            futures = [pool.submit(_fit_one, *task) for task in tasks]
            try:
                for future in as_completed(futures):
                    yield future.result()
            finally:
                for future in futures:
                    future.cancel()


def check_scheduler(address: str) -> None:
    """Raise a one-line ValueError unless a Dask scheduler answers at ``address``."""
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - depends on the install
        raise TeachkitError(
            "a Dask scheduler needs dask.distributed: pip install 'teachkit[dask]'"
        ) from None
    _connect(Client, address).close()


def _connect(client_class: Any, address: str) -> Any:
    """Connect to a scheduler, turning a failure into a one-line TeachkitError."""
    try:
        return client_class(address, timeout="5s")
    except (OSError, TimeoutError, ValueError, TypeError) as err:
        reason = " ".join(str(err).split()) or type(err).__name__
        raise TeachkitError(f"cannot reach the Dask scheduler at {address}: {reason}") from None


def _run_dask(tasks: list[tuple], scheduler: str) -> Iterator[FitOutcome]:
    """Send the fits to a Dask scheduler and yield them as they finish."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:  # pragma: no cover - depends on the install
        raise TeachkitError(
            "a Dask scheduler needs dask.distributed: pip install 'teachkit[dask]'"
        ) from None
    client = _connect(Client, scheduler)
    try:
        futures = [client.submit(_fit_one, *task, pure=False) for task in tasks]
        for future in dask_completed(futures):
            yield future.result()
    finally:
        client.close()
