"""How much faster teachkit's default fit is than the covarying model as the slides write it.

The slides write the likelihood row by row (``pm.Normal(..., observed=log_ozone)``) with
``pm.LKJCholeskyCov``; teachkit evaluates the same log density from per-station sufficient
statistics with the two-dimensional LKJ prior written out (see
:mod:`teachkit.cases.ozone.models`). :func:`benchmark_covarying` fits, in one process and on
the same data with the same sampler settings:

* the slides' form (non-centred, as the slides write it) with PyMC's NUTS, and with nutpie
  (the two anchors a user would reach for);
* teachkit's default (the shifted coding, sufficient statistics, nutpie);

each *cold* (the first fit of its kind in the process: compilation included) and *warm* (a
new model built from the data and fitted with the compiled model reused, as every further fit
of a session is: nutpie swaps the data into its compiled model, PyMC finds its compiled C code
in PyTensor's cache). It reports wall time, its parts, the smallest bulk ESS of the
hyperparameters and ESS per second. The warm rows are the median of ``repeats`` fits for
teachkit's form; the anchors' warm fits, which take tens of seconds each, run once.

A last pair of rows times the next lecture's ``spatial_intercepts`` (station baselines
correlated by distance, :mod:`teachkit.cases.ozone.spatial`) at its defaults on the same data:
a different model, so it is compared with none of the anchors.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from teachkit.cases.ozone.models import build_ozone_model
from teachkit.cases.ozone.spatial import build_spatial_model
from teachkit.checks import check_count
from teachkit.compiled import COMPILED_MODELS
from teachkit.fitmeta import FitMeta
from teachkit.inference import diagnose, fit
from teachkit.records import plain
from teachkit.samplers import TARGET_ACCEPT
from teachkit.store import library_versions

__all__ = [
    "ANCHORS",
    "BAMBI_FORMULA",
    "FORMS",
    "BenchRow",
    "bench_record",
    "benchmark_bambi",
    "benchmark_covarying",
    "speedups",
]

#: The ways of fitting, as (form, sampler): the slides' form is ``likelihood="pointwise"``;
#: "spatial" is the GP lecture's ``spatial_intercepts`` at its defaults.
FORMS: tuple[tuple[str, str], ...] = (
    ("slides", "pymc"),
    ("slides", "nutpie"),
    ("teachkit", "nutpie"),
    ("spatial", "nutpie"),
)
#: The rows every other row is compared with.
ANCHORS: tuple[tuple[str, str], ...] = (("slides", "pymc"), ("slides", "nutpie"))
_LIKELIHOOD = {"slides": "pointwise", "teachkit": "sufficient", "spatial": "sufficient"}
#: What a Python user who does not write PyMC by hand would fit with bambi: varying intercepts
#: and slopes, which bambi cannot make covary (no LKJ prior on their correlation).
BAMBI_FORMULA = "log_ozone ~ TEMP + (TEMP | station)"
#: bambi's names for the hyperparameters of :data:`BAMBI_FORMULA`.
BAMBI_HYPERPARAMETERS: tuple[str, ...] = (
    "Intercept",
    "TEMP",
    "1|station_sigma",
    "TEMP|station_sigma",
    "sigma",
)
#: Most repeats of a warm fit :func:`benchmark_covarying` accepts.
MAX_REPEATS = 20


@dataclass(frozen=True)
class BenchRow:
    """One timed way of fitting, cold or warm.

    Attributes
    ----------
    form : {"slides", "teachkit", "bambi"}
        bambi's row fits :data:`BAMBI_FORMULA` (slopes that do not covary), a different
        model on the same data and settings.
    sampler : {"pymc", "nutpie"}
    start : {"cold", "warm"}
        First fit of its kind in the process, or a further fit with compiled code reused.
    wall : float
        Seconds to build the model and fit it (median over ``runs``).
    compile, sampling : float
        Seconds of compiling and of sampling (and collecting the draws), of the median run.
    min_ess_bulk : float
        Smallest bulk ESS over the hyperparameters.
    divergences : int
    runs : tuple of float
        Wall seconds of every repeat.
    """

    form: str
    sampler: str
    start: str
    wall: float
    compile: float
    sampling: float
    min_ess_bulk: float
    divergences: int
    runs: tuple[float, ...]

    @property
    def label(self) -> str:
        """E.g. "slides' form, PyMC NUTS" or "teachkit (default), nutpie"."""
        return _label(self.form, self.sampler)

    @property
    def ess_per_second(self) -> float:
        """Effective draws of the slowest hyperparameter per second of wall time."""
        return self.min_ess_bulk / self.wall

    def as_dict(self) -> dict[str, Any]:
        """The row as JSON-ready values, with ``label`` and ``ess_per_second``."""
        return {
            **asdict(self),
            "runs": list(self.runs),
            "label": self.label,
            "ess_per_second": self.ess_per_second,
        }


def speedups(rows: list[BenchRow], row: BenchRow) -> dict[str, float]:
    """How many times faster ``row`` is than each anchor started the same way (wall time).

    Keys ``"slides_pymc"`` and ``"slides_nutpie"``; an anchor missing from ``rows`` is left out,
    and so are both for the spatial rows (another model: no speed-up to speak of).
    """
    out: dict[str, float] = {}
    if row.form == "spatial":
        return out
    for form, sampler in ANCHORS:
        for anchor in rows:
            if (anchor.form, anchor.sampler, anchor.start) == (form, sampler, row.start):
                out[f"{form}_{sampler}"] = anchor.wall / row.wall
    return out


def benchmark_covarying(
    data: pd.DataFrame,
    *,
    draws: int = 1000,
    tune: int = 1000,
    chains: int = 4,
    seed: int = 1,
    target_accept: float = TARGET_ACCEPT,
    repeats: int = 3,
    forms: tuple[tuple[str, str], ...] = FORMS,
    status: Callable[[str], None] | None = None,
) -> list[BenchRow]:
    """Time the covarying model as the slides write it against teachkit's default on ``data``.

    Parameters
    ----------
    data : DataFrame
        An ozone table (the Beijing data for the README's figures).
    draws, tune, chains, seed, target_accept
        Sampler settings, the same for every fit.
    repeats : int
        Warm fits of teachkit's form whose median wall time is reported (1-20).
    forms : tuple of (form, sampler)
        Which of :data:`FORMS` to run, in this order.
    status : callable, optional
        Called with a line before each fit (the CLI prints it to stderr).

    Returns
    -------
    list of BenchRow
        A cold and a warm row per form, in the order run. The process's compiled models are
        cleared first, so "cold" is true for nutpie; PyMC's C code may already be in PyTensor's
        on-disk cache from an earlier process, so its "cold" compile can be short.
    """
    check_count(repeats, "repeats", 1, MAX_REPEATS)
    COMPILED_MODELS.clear()
    options = {
        "draws": draws,
        "tune": tune,
        "chains": chains,
        "seed": seed,
        "target_accept": target_accept,
        "progress": False,
    }
    rows = []
    for form, sampler in forms:
        for start in ("cold", "warm"):
            n = repeats if (start == "warm" and form in ("teachkit", "spatial")) else 1
            runs = []
            for i in range(n):
                if status is not None:
                    count = f" ({i + 1}/{n})" if n > 1 else ""
                    status(f"{_label(form, sampler)}, {start}{count}")
                runs.append(_timed_fit(data, form, sampler, options))
            walls = [r[0] for r in runs]
            median = statistics.median_low(walls)
            wall, idata, hyper = runs[walls.index(median)]
            seconds = FitMeta.of(idata).seconds
            diag = diagnose(idata, var_names=hyper)
            rows.append(
                BenchRow(
                    form=form,
                    sampler=sampler,
                    start=start,
                    wall=wall,
                    compile=seconds["compile"],
                    sampling=seconds["sampling"],
                    min_ess_bulk=diag.min_ess_bulk,
                    divergences=diag.divergences,
                    runs=tuple(walls),
                )
            )
    return rows


def benchmark_bambi(
    data: pd.DataFrame,
    *,
    draws: int = 1000,
    tune: int = 1000,
    chains: int = 4,
    seed: int = 1,
    target_accept: float = TARGET_ACCEPT,
    status: Callable[[str], None] | None = None,
) -> tuple[list[BenchRow], str | None]:
    """Fit :data:`BAMBI_FORMULA` with bambi on nutpie, cold then warm, on the same settings.

    bambi is optional (``pip install 'teachkit[bench]'``; bambi 0.16 is the last release
    that works with ArviZ 0.23, later ones import ``arviz_plots``). Returns the rows (form
    ``"bambi"``, a cold and a warm one) and None, or no rows and the one line saying why the
    row was skipped. "warm" is a second model built from the same formula in the same
    process: bambi rebuilds the PyMC model and nutpie compiles it again unless its caches
    reuse the code, which is what a user of bambi gets.
    """
    try:
        import bambi
    except ImportError as exc:
        return [], (
            f"bambi row skipped: bambi is not installed ({exc}); "
            "pip install 'teachkit[bench]' adds it"
        )
    import arviz as az

    rows = []
    for start in ("cold", "warm"):
        if status is not None:
            status(f"{_label('bambi', 'nutpie')}, {start}")
        begin = time.perf_counter()
        model = bambi.Model(BAMBI_FORMULA, data)
        idata = model.fit(
            draws=draws,
            tune=tune,
            chains=chains,
            random_seed=seed,
            target_accept=target_accept,
            inference_method="nutpie",
            progressbar=False,
        )
        wall = time.perf_counter() - begin
        sampling = float(idata.posterior.attrs.get("sampling_time", float("nan")))
        ess = az.ess(idata, var_names=list(BAMBI_HYPERPARAMETERS), method="bulk")
        rows.append(
            BenchRow(
                form="bambi",
                sampler="nutpie",
                start=start,
                wall=wall,
                compile=wall - sampling,  # building and compiling: what is not sampling
                sampling=sampling,
                min_ess_bulk=float(min(float(ess[v].min()) for v in BAMBI_HYPERPARAMETERS)),
                divergences=int(idata.sample_stats["diverging"].sum()),
                runs=(wall,),
            )
        )
    return rows, None


def bench_record(rows: list[BenchRow], *, settings: dict[str, Any]) -> dict[str, Any]:
    """The record of a benchmark, as ``teachkit bench --json`` writes it.

    ``settings`` (data, rows, draws, tune, chains, seed, target_accept, repeats) are stored as
    given, with the machine's core count and the library versions; each row carries its
    speed-ups against the anchors started the same way (``speedup_vs``).
    """
    return plain(
        {
            "benchmark": "ozone covarying model",
            **settings,
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "versions": library_versions(),
            "rows": [{**row.as_dict(), "speedup_vs": speedups(rows, row)} for row in rows],
        }
    )


def _label(form: str, sampler: str) -> str:
    """How the table names a way of fitting."""
    names = {
        "slides": "slides' form",
        "teachkit": "teachkit (default)",
        "bambi": "bambi, uncorrelated",
        "spatial": "spatial_intercepts",
    }
    name = names[form]
    return f"{name}, {'PyMC NUTS' if sampler == 'pymc' else 'nutpie'}"


def _timed_fit(
    data: pd.DataFrame, form: str, sampler: str, options: dict[str, Any]
) -> tuple[float, Any, list[str]]:
    """Build the covarying model in ``form`` and fit it; (wall seconds, idata, hyperparameters).

    ``options`` are keywords of :func:`~teachkit.inference.fit`.
    """
    start = time.perf_counter()
    if form == "spatial":
        built = build_spatial_model(data, "spatial_intercepts")
    else:
        coding = {"parameterization": "noncentered"} if form == "slides" else {}
        built = build_ozone_model(data, "covarying", likelihood=_LIKELIHOOD[form], **coding)
    idata = fit(built, sampler=sampler, **options)  # type: ignore[arg-type]
    return time.perf_counter() - start, idata, list(built.spec.hyperparameters)
