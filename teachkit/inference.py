"""Fit the lecture's models and diagnose the fits.

:func:`fit` samples a :class:`~teachkit.models.spec.BuiltModel` with nutpie by default (PyMC's
own NUTS on request; :mod:`teachkit.samplers`) and returns an ``InferenceData`` with
``posterior``, ``sample_stats``, ``observed_data`` and ``constant_data`` (the covariates), its
``posterior.attrs`` holding the fit's :class:`~teachkit.fitmeta.FitMeta`. What LOO needs is
added by :mod:`teachkit.loo`. Compiled nutpie models are kept per model structure
(:data:`teachkit.compiled.COMPILED_MODELS`), so fitting the same model to new data swaps the
data in without compiling again.

Thresholds follow Vehtari, Gelman, Simpson, Carpenter and Buerkner (2021), "Rank-normalization,
folding, and localization: an improved R-hat", Bayesian Analysis 16(2): R-hat below 1.01 and
bulk and tail ESS of at least 400 (100 per chain for 4 chains); E-BFMI below 0.3 signals poor
exploration (Betancourt 2016).
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from teachkit.checks import check_count
from teachkit.compiled import COMPILED_MODELS, CompiledModelCache
from teachkit.errors import TeachkitError
from teachkit.fitmeta import FitMeta
from teachkit.models.spec import BuiltModel, ModelSpec, as_built
from teachkit.progress import Progress, as_progress
from teachkit.samplers import MAX_CHAINS, SAMPLERS, TARGET_ACCEPT, SamplerSettings

if TYPE_CHECKING:
    import arviz as az

__all__ = [
    "ESS_MIN",
    "RHAT_MAX",
    "Diagnostics",
    "FitAdvice",
    "attach_data",
    "diagnose",
    "divergences_said",
    "fit",
    "generic_divergence_advice",
    "summary",
]

#: :func:`diagnose` flags a fit whose largest rank-normalised split R-hat is above this.
RHAT_MAX = 1.01
#: :func:`diagnose` flags a fit whose smallest bulk or tail effective sample size is below this.
ESS_MIN = 400.0
#: :func:`diagnose` flags a chain whose E-BFMI is below this.
BFMI_MIN = 0.3
#: What a case study says about a fit's problems (``CaseStudy.fit_advice``): given the fit and
#: the generic advice by problem (keys ``"divergences"``, ``"r_hat"``, ``"ess"``, ``"bfmi"``,
#: each present only when that problem was found), the lines it replaces (same key) or adds
#: (a new key). The case knows its models' options and its data, the generic advice neither.
FitAdvice = Callable[["az.InferenceData", Mapping[str, str]], Mapping[str, str]]


def fit(
    model: BuiltModel,
    *,
    sampler: str = "nutpie",
    draws: int = 1000,
    tune: int = 1000,
    chains: int = 4,
    seed: int | None = None,
    target_accept: float = TARGET_ACCEPT,
    progress: bool | Progress = True,
    cores: int | None = None,
    cache: CompiledModelCache = COMPILED_MODELS,
    settings: SamplerSettings | None = None,
) -> az.InferenceData:
    """Sample a model built by a teachkit builder.

    Parameters
    ----------
    model : BuiltModel
        From a case study's builder (``CaseStudy.build``, :func:`teachkit.pipeline.build_model`).
    sampler : {"nutpie", "pymc"}
        nutpie (compiled once per model structure and process) or PyMC's NUTS
        (:data:`teachkit.samplers.SAMPLERS`).
    draws, tune, chains : int
        Kept draws per chain (>= 1), tuning steps per chain (>= 0), chains (>= 1).
    seed : int, optional
        Random seed; the same seed gives the same draws.
    target_accept : float
        Target acceptance rate of the step-size adaptation, in [0.5, 1) (see
        :data:`teachkit.samplers.TARGET_ACCEPT`); raise it (e.g. 0.95) when a fit reports
        divergences.
    progress : bool or Progress
        True shows the sampler's own progress bar (in a notebook it updates in place), False
        nothing; a :class:`~teachkit.progress.Progress` is told about compiling and says
        whether the sampler's bar shows.
    cores : int, optional
        Chains run at once (nutpie's threads, PyMC's processes); default the smaller of
        ``chains`` and the machine's cores. Fits running side by side should share the cores
        (e.g. 1 each for 2 parallel fits on 2 cores) rather than each take them all.
    cache : CompiledModelCache
        Where compiled nutpie models are kept and looked up.
    settings : SamplerSettings, optional
        All sampler settings at once; when given, ``sampler`` to ``target_accept`` are ignored.

    Returns
    -------
    arviz.InferenceData
        ``posterior`` (canonical parameters plus the sampler's internal ones),
        ``sample_stats``, ``observed_data`` and ``constant_data``; ``posterior.attrs`` hold the
        fit's :class:`~teachkit.fitmeta.FitMeta` (case, model, options, data fingerprint,
        sampler settings, seed and seconds spent).

    See Also
    --------
    teachkit.pipeline.fit_model : The same through the fit store, from a case and a model name.

    Examples
    --------
    >>> from teachkit.cases.grants.data import load_nwo_grants
    >>> from teachkit.cases.grants.models import build_grants_model
    >>> built = build_grants_model(load_nwo_grants(), "gender")
    >>> idata = fit(built, draws=100, tune=100, chains=2, seed=1, progress=False)
    >>> idata.posterior["alpha"].dims
    ('chain', 'draw', 'gender')
    >>> summary(idata).index.tolist()
    ['alpha[f]', 'alpha[m]', 'gender_gap']
    """
    built = as_built(model)
    if settings is None:
        settings = SamplerSettings(sampler, draws, tune, chains, seed, target_accept)
    if cores is None:
        cores = min(settings.chains, os.cpu_count() or 1)
    check_count(cores, "cores", 1, MAX_CHAINS)

    start = time.perf_counter()
    idata, compile_seconds = SAMPLERS[settings.sampler](
        built, settings, cores, as_progress(progress), cache
    )
    attach_data(idata, built.spec)
    wall = time.perf_counter() - start
    seconds = {"wall": wall, "compile": compile_seconds, "sampling": wall - compile_seconds}
    built.spec.meta().with_run(**settings.as_dict(), seconds=seconds).write(idata)
    return idata


def attach_data(idata: az.InferenceData, spec: ModelSpec) -> az.InferenceData:
    """Set the ``observed_data`` and ``constant_data`` groups of ``idata`` from a model's spec.

    PyMC's own sampler writes these groups from the model's data containers (under the
    containers' names); teachkit's versions, under the canonical names from which the case
    studies compute the pointwise log density for LOO, replace them. Returns ``idata``.
    """
    obs = {"obs": np.arange(spec.n_obs)}
    groups = {
        "observed_data": xr.Dataset(
            {name: ("obs", value) for name, value in spec.observed.items()}, coords=obs
        ),
        "constant_data": xr.Dataset(
            {name: ("obs", value) for name, value in spec.constant.items()}, coords=obs
        ),
    }
    for name in groups:
        if name in idata.groups():
            del idata[name]
    idata.add_groups(groups)
    return idata


@dataclass(frozen=True)
class Diagnostics:
    """Sampler diagnostics of one fit, with advice in plain language.

    Attributes
    ----------
    divergences : int
        Divergent transitions after tuning, all chains.
    max_r_hat : float
        Largest rank-normalised split R-hat over the checked parameters.
    min_ess_bulk, min_ess_tail : float
        Smallest bulk and tail effective sample sizes.
    min_bfmi : float
        Smallest E-BFMI over chains.
    advice : tuple of str
        What to do about each problem found; empty when the fit looks healthy.
    """

    divergences: int
    max_r_hat: float
    min_ess_bulk: float
    min_ess_tail: float
    min_bfmi: float
    advice: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.advice

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (the ``diagnostics`` object of ``teachkit fit --json``)."""
        out = asdict(self)
        out["advice"] = list(self.advice)
        return out


def diagnose(
    idata: az.InferenceData,
    var_names: list[str] | None = None,
    *,
    advice: FitAdvice | None = None,
) -> Diagnostics:
    """Check a fit: divergences, R-hat, ESS, E-BFMI, and what to do about problems.

    Parameters
    ----------
    idata : arviz.InferenceData
        From :func:`fit`.
    var_names : list of str, optional
        Parameters to check; by default every canonical parameter of the model.
    advice : callable, optional
        The case study's advice (``CaseStudy.fit_advice``, see :data:`FitAdvice`), which knows
        its models' options and data and may replace or add to the generic advice.

    Returns
    -------
    Diagnostics
        The numbers, and ``advice``: one line per problem found (empty when none is).

    Examples
    --------
    Two chains of 100 draws are too few for reliable intervals, and the advice says so:

    >>> from teachkit.cases.grants.data import load_nwo_grants
    >>> from teachkit.cases.grants.models import build_grants_model
    >>> built = build_grants_model(load_nwo_grants(), "gender")
    >>> report = diagnose(fit(built, draws=100, tune=100, chains=2, seed=1, progress=False))
    >>> report.divergences, report.ok
    (0, False)
    >>> print(report.advice[-1])
    effective sample size ... < 400: too few independent draws for reliable means and ...
    """
    import arviz as az

    names = var_names or _parameters(idata)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # constant deterministics give NaN
        rhat = az.rhat(idata, var_names=names)
        ess_bulk = az.ess(idata, var_names=names, method="bulk")
        ess_tail = az.ess(idata, var_names=names, method="tail")
    divergences = int(idata.sample_stats["diverging"].sum())
    max_r_hat = _extreme(rhat, np.nanmax)
    min_bulk = _extreme(ess_bulk, np.nanmin)
    min_tail = _extreme(ess_tail, np.nanmin)
    min_bfmi = float(np.min(az.bfmi(idata)))

    meta = _meta(idata)
    found: dict[str, str] = {}
    if divergences:
        found["divergences"] = generic_divergence_advice(meta, divergences_said(divergences))
    if max_r_hat > RHAT_MAX:
        found["r_hat"] = (
            f"R-hat {max_r_hat:.3f} > {RHAT_MAX}: the chains disagree; run longer (more tune "
            "and draws) and look at the trace plots."
        )
    if min_bulk < ESS_MIN or min_tail < ESS_MIN:
        found["ess"] = (
            f"effective sample size {min(min_bulk, min_tail):.0f} < {ESS_MIN:.0f}: too few "
            "independent draws for reliable means and intervals; draw more."
        )
    if min_bfmi < BFMI_MIN:
        found["bfmi"] = (
            f"E-BFMI {min_bfmi:.2f} < {BFMI_MIN}: the sampler explores the energy poorly "
            "(heavy tails or a funnel); reparameterise the model."
        )
    if found and advice is not None and meta.case:
        found.update(advice(idata, dict(found)))
    lines = tuple(found.values())
    return Diagnostics(divergences, max_r_hat, min_bulk, min_tail, min_bfmi, lines)


def divergences_said(count: int) -> str:
    """``"1 divergent transition"``, ``"7 divergent transitions"``: how advice names them."""
    return f"{count} divergent transition{'s' if count != 1 else ''}"


def generic_divergence_advice(
    meta: FitMeta, said: str, *, why: str = "the sampler met curvature it could not follow;"
) -> str:
    """What to do about divergent transitions when the case study has nothing more specific.

    Parameters
    ----------
    meta : FitMeta
        The fit's metadata (its target acceptance rate).
    said : str
        How many there were, e.g. ``"3 divergent transitions"``.
    why : str
        What the divergences say about the model, before the advice.
    """
    accept = meta.target_accept or TARGET_ACCEPT
    higher = min(0.99, round(accept + (1 - accept) / 2, 3))
    return (
        f"{said}: {why} refit with a higher target acceptance rate (target_accept={higher}, "
        f"--target-accept {higher}) for smaller steps, and if they remain, look at the priors "
        "(heavy tails such as HalfCauchy let the sampler into extreme regions)."
    )


def summary(idata: az.InferenceData, *, hdi_prob: float = 0.94) -> pd.DataFrame:
    """The lecture's summary table of the canonical parameters.

    Columns mean, sd, ``hdi_3%``, ``hdi_97%`` (for the default ``hdi_prob``), mcse_mean,
    mcse_sd, ess_bulk, ess_tail, r_hat, unrounded; rows named ``mu_alpha``, ``alpha[3]``,
    ``beta[Physics]``, ... hyperparameters first.
    """
    import arviz as az

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return az.summary(idata, var_names=_parameters(idata), hdi_prob=hdi_prob, round_to="none")


def _parameters(idata: az.InferenceData) -> list[str]:
    """Canonical parameters present in a fit, in summary order (hyperparameters first).

    For an InferenceData that teachkit did not make (e.g. from ``pm.sample``), every variable
    of its posterior.
    """
    names = _meta(idata).parameters or tuple(idata.posterior.data_vars)
    return [n for n in names if n in idata.posterior]


def _meta(idata: az.InferenceData) -> FitMeta:
    """The fit's metadata; empty for an InferenceData that teachkit did not make."""
    try:
        return FitMeta.of(idata)
    except TeachkitError:
        return FitMeta(case="", model="")


def _extreme(ds: xr.Dataset, how: Any) -> float:
    values = np.concatenate([np.ravel(ds[v].to_numpy()) for v in ds.data_vars])
    return float(how(values)) if np.any(np.isfinite(values)) else float("nan")
