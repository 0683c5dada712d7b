"""Fit the lecture's models, diagnose the fits, and compare them by PSIS-LOO.

:func:`fit` samples a :class:`~teachkit.models.BuiltModel` with nutpie by default (PyMC's own
NUTS on request) and returns an ``InferenceData`` with ``posterior``, ``sample_stats``,
``observed_data`` and ``constant_data`` (the covariates). The pointwise ``log_likelihood``
group, needed only for LOO, is computed on request (:func:`add_log_likelihood`, or
``fit(..., log_likelihood=True)``) and by :func:`compare` for every fit that lacks it: PyMC's
``compute_log_likelihood`` ignores the ``pm.Potential`` of the sufficient-statistics
likelihood and nutpie stores none, so each case study computes it from the draws.
Compiled nutpie models are kept per model structure (:data:`teachkit.compiled.COMPILED_MODELS`),
so fitting the same model to new data swaps the data in without compiling again.

Thresholds follow Vehtari, Gelman, Simpson, Carpenter and Buerkner (2021), "Rank-normalization,
folding, and localization: an improved R-hat", Bayesian Analysis 16(2): R-hat below 1.01 and
bulk and tail ESS of at least 400 (100 per chain for 4 chains); E-BFMI below 0.3 signals poor
exploration (Betancourt 2016).
"""

from __future__ import annotations

import logging
import os
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import xarray as xr

from teachkit.checks import MAX_SAMPLER_DRAWS, MAX_SEED, check_choice, check_count, check_finite
from teachkit.compiled import COMPILED_MODELS, CompiledModelCache
from teachkit.errors import TeachkitError
from teachkit.models.spec import CANONICAL_ORDER, BuiltModel, ModelSpec, as_built

if TYPE_CHECKING:
    import arviz as az
    import pymc as pm

__all__ = [
    "ESS_MIN",
    "RHAT_MAX",
    "SAMPLERS",
    "TARGET_ACCEPT",
    "Diagnostics",
    "add_log_likelihood",
    "attach_data",
    "compare",
    "diagnose",
    "fit",
    "summary",
]

Sampler = Literal["nutpie", "pymc"]
#: The samplers :func:`fit` knows: nutpie (the default) and PyMC's own NUTS.
SAMPLERS: tuple[str, ...] = ("nutpie", "pymc")
#: :func:`diagnose` flags a fit whose largest rank-normalised split R-hat is above this.
RHAT_MAX = 1.01
#: :func:`diagnose` flags a fit whose smallest bulk or tail effective sample size is below this.
ESS_MIN = 400.0
#: :func:`diagnose` flags a chain whose E-BFMI is below this.
BFMI_MIN = 0.3
#: Target acceptance rate of NUTS's step-size adaptation. Both samplers default to 0.8; at 0.8
#: the non-centred covarying model on the Beijing data, whose mu_alpha and mu_beta correlate at
#: about -0.97 (temperature is not centred), shows 1-2 divergent transitions in 4000 draws for
#: some seeds, and none at 0.9 for the same seeds, at about 10% more sampling time.
TARGET_ACCEPT = 0.9
#: Most chains a fit may run (each is a thread of nutpie or a process of PyMC).
MAX_CHAINS = 64


def fit(
    model: BuiltModel,
    *,
    sampler: Sampler = "nutpie",
    draws: int = 1000,
    tune: int = 1000,
    chains: int = 4,
    seed: int | None = None,
    target_accept: float = TARGET_ACCEPT,
    progress: bool = True,
    log_likelihood: bool = False,
    cores: int | None = None,
    cache: CompiledModelCache = COMPILED_MODELS,
) -> az.InferenceData:
    """Sample a model built by a teachkit builder.

    Parameters
    ----------
    model : BuiltModel
        From :func:`teachkit.models.build_model` (or ``build_ozone_model``,
        ``build_grants_model``).
    sampler : {"nutpie", "pymc"}
        nutpie (compiled once per model structure and process) or PyMC's NUTS.
    draws, tune, chains : int
        Kept draws per chain (>= 1), tuning steps per chain (>= 0), chains (>= 1).
    seed : int, optional
        Random seed; the same seed gives the same draws.
    target_accept : float
        Target acceptance rate of the step-size adaptation, in (0, 1) (see
        :data:`TARGET_ACCEPT`); raise it (e.g. 0.95) when a fit reports divergences.
    progress : bool
        Show the sampler's progress bar.
    log_likelihood : bool
        Also compute the pointwise ``log_likelihood`` group now (LOO computes it when needed).
    cores : int, optional
        Chains run at once (nutpie's threads, PyMC's processes); default the smaller of
        ``chains`` and the machine's cores. Fits running side by side should share the cores
        (e.g. 1 each for 2 parallel fits on 2 cores) rather than each take them all.
    cache : CompiledModelCache
        Where compiled nutpie models are kept and looked up.

    Returns
    -------
    arviz.InferenceData
        ``posterior`` (canonical parameters plus the sampler's internal ones),
        ``sample_stats``, ``observed_data``, ``constant_data`` and, if asked,
        ``log_likelihood`` (dims chain, draw, obs). ``posterior.attrs`` records the case,
        model, options, data fingerprint, sampler settings, seed and the seconds spent
        (``teachkit_seconds_wall``, ``..._compile``, ``..._sampling``).

    See Also
    --------
    teachkit.pipeline.fit_model : The same through the fit store, from a case and a model name.

    Examples
    --------
    >>> from teachkit.datasets import load_nwo_grants
    >>> from teachkit.models import build_grants_model
    >>> built = build_grants_model(load_nwo_grants(), "gender")
    >>> idata = fit(built, draws=100, tune=100, chains=2, seed=1, progress=False)
    >>> idata.posterior["alpha"].dims
    ('chain', 'draw', 'gender')
    >>> summary(idata).index.tolist()
    ['alpha[f]', 'alpha[m]', 'gender_gap']
    """
    built = as_built(model)
    spec = built.spec
    check_choice("sampler", sampler, SAMPLERS)
    check_count(draws, "draws", 1, MAX_SAMPLER_DRAWS)
    check_count(tune, "tune", 0, MAX_SAMPLER_DRAWS)
    check_count(chains, "chains", 1, MAX_CHAINS)
    if seed is not None:
        check_count(seed, "seed", 0, MAX_SEED)
    check_finite(target_accept, "target_accept", low=0.0, high=1.0, low_open=True, high_open=True)
    if cores is None:
        cores = min(chains, os.cpu_count() or 1)
    check_count(cores, "cores", 1, MAX_CHAINS)
    settings = _Settings(draws, tune, chains, seed, target_accept, progress, cores)

    start = time.perf_counter()
    if sampler == "nutpie":
        idata, compile_seconds = _sample_nutpie(built, settings, cache)
    else:
        idata, compile_seconds = _sample_pymc(built.model, settings)
    attach_data(idata, spec)
    wall = time.perf_counter() - start
    idata.posterior.attrs.update(
        {
            **spec.attrs(),
            "teachkit_sampler": sampler,
            "teachkit_seed": -1 if seed is None else seed,
            "teachkit_draws": draws,
            "teachkit_tune": tune,
            "teachkit_chains": chains,
            "teachkit_target_accept": target_accept,
            "teachkit_seconds_wall": wall,
            "teachkit_seconds_compile": compile_seconds,
            "teachkit_seconds_sampling": wall - compile_seconds,
        }
    )
    if log_likelihood:
        add_log_likelihood(idata)
    return idata


@dataclass(frozen=True)
class _Settings:
    """The sampler settings of one fit."""

    draws: int
    tune: int
    chains: int
    seed: int | None
    target_accept: float
    progress: bool
    cores: int


def _sample_nutpie(
    built: BuiltModel, settings: _Settings, cache: CompiledModelCache
) -> tuple[az.InferenceData, float]:
    """Sample with nutpie, reusing a compiled model of the same structure with new data."""
    import nutpie
    from numba.core.errors import NumbaPerformanceWarning

    start = time.perf_counter()
    data = {v.name: v.get_value() for v in built.model.data_vars}
    with cache.lock:
        compiled = cache.get("nutpie", built.spec.structure, data)
        if compiled is None:
            with warnings.catch_warnings():
                # numba's notes on its generated code (e.g. np.dot on non-contiguous arrays)
                # say nothing a user can act on
                warnings.simplefilter("ignore", NumbaPerformanceWarning)
                compiled = nutpie.compile_pymc_model(built.model)
            # nutpie folds some data (e.g. integer index arrays) into the compiled code; those
            # must be unchanged for the compiled model to be reusable
            frozen = {k: v for k, v in data.items() if k not in compiled.shared_data}
            cache.put("nutpie", built.spec.structure, compiled, frozen=frozen)
        else:
            compiled = compiled.with_data(
                **{k: v for k, v in data.items() if k in compiled.shared_data}
            )
    compile_seconds = time.perf_counter() - start
    idata = nutpie.sample(
        compiled,
        draws=settings.draws,
        tune=settings.tune,
        chains=settings.chains,
        cores=settings.cores,
        seed=settings.seed,
        target_accept=settings.target_accept,
        save_warmup=False,
        progress_bar=settings.progress,
    )
    internal = [name for name in idata.posterior.data_vars if name.endswith("__")]
    idata.posterior = idata.posterior.drop_vars(internal)
    _relabel(idata, built.model)
    return idata, compile_seconds


def _relabel(idata: az.InferenceData, model: pm.Model) -> None:
    """Give the draws the coordinates of ``model``.

    A compiled model reused with new data keeps the coordinate labels of the model it was
    compiled from (the same structure has the same sizes, not the same station ids or
    discipline names), so the labels are set from the model being fitted.
    """
    for name in ("posterior", "sample_stats"):
        group = getattr(idata, name)
        labels = {dim: list(values) for dim, values in model.coords.items() if dim in group.dims}
        setattr(idata, name, group.assign_coords(labels))


def _sample_pymc(model: pm.Model, settings: _Settings) -> tuple[az.InferenceData, float]:
    """Sample with PyMC's NUTS; 'compile' is the time to compile the log density and gradient.

    PyTensor caches the compiled C code, so ``pm.sample`` reuses what was compiled here.
    """
    import pymc as pm

    start = time.perf_counter()
    model.logp_dlogp_function(ravel_inputs=True)
    compile_seconds = time.perf_counter() - start
    with model, _quiet_pymc(settings.progress):
        idata = pm.sample(
            draws=settings.draws,
            tune=settings.tune,
            chains=settings.chains,
            cores=settings.cores,
            random_seed=settings.seed,
            target_accept=settings.target_accept,
            progressbar=settings.progress,
            compute_convergence_checks=False,
            nuts_sampler="pymc",
            idata_kwargs={"log_likelihood": False},
        )
    return idata, compile_seconds


@contextmanager
def _quiet_pymc(progress: bool) -> Iterator[None]:
    """Keep PyMC's sampler quiet unless a progress display was asked for.

    Without progress PyMC still logs its set-up ("Initializing NUTS ...", "Multiprocess
    sampling ...") at INFO level; and early in tuning, before the step size adapts, the LKJ
    Cholesky transform can overflow and PyTensor warns "invalid value encountered", a state
    the sampler rejects and leaves. PyMC's worker processes are forked (the default start
    method on Linux with Python 3.11), so they inherit the warning filter.
    """
    logger = logging.getLogger("pymc")
    level = logger.level
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
        if not progress:
            logger.setLevel(logging.WARNING)
        try:
            yield
        finally:
            logger.setLevel(level)


def attach_data(idata: az.InferenceData, spec: ModelSpec) -> az.InferenceData:
    """Set the ``observed_data`` and ``constant_data`` groups of ``idata`` from a model's spec.

    PyMC's own sampler writes these groups from the model's data containers (under the
    containers' names); teachkit's versions, under the canonical names the case studies'
    log-likelihoods read, replace them. Returns ``idata``.
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


def add_log_likelihood(idata: az.InferenceData) -> az.InferenceData:
    """Add the pointwise ``log_likelihood`` group to a teachkit fit (in place), if missing.

    The case study that built the model (recorded in ``posterior.attrs``) computes it from the
    posterior, ``observed_data`` and ``constant_data``, so a fit read back from the fit store
    can be compared by LOO. Returns ``idata``.
    """
    from teachkit.cases import get_case

    if "log_likelihood" not in idata.groups():
        case = idata.posterior.attrs.get("teachkit_case")
        if case is None:
            raise TeachkitError("this InferenceData was not made by teachkit.inference.fit")
        idata.add_groups({"log_likelihood": get_case(str(case)).log_likelihood(idata)})
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


def diagnose(idata: az.InferenceData, var_names: list[str] | None = None) -> Diagnostics:
    """Check a fit: divergences, R-hat, ESS, E-BFMI, and what to do about problems.

    Parameters
    ----------
    idata : arviz.InferenceData
        From :func:`fit`.
    var_names : list of str, optional
        Parameters to check; by default every canonical parameter of the model.

    Returns
    -------
    Diagnostics
        The numbers, and ``advice``: one line per problem found (empty when none is).

    Examples
    --------
    Two chains of 100 draws are too few for reliable intervals, and the advice says so:

    >>> from teachkit.datasets import load_nwo_grants
    >>> from teachkit.models import build_grants_model
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

    attrs = idata.posterior.attrs
    advice = []
    if divergences:
        advice.append(_divergence_advice(divergences, attrs))
    if max_r_hat > RHAT_MAX:
        advice.append(
            f"R-hat {max_r_hat:.3f} > {RHAT_MAX}: the chains disagree; run longer (more tune "
            "and draws) and look at the trace plots."
        )
    if min_bulk < ESS_MIN or min_tail < ESS_MIN:
        advice.append(
            f"effective sample size {min(min_bulk, min_tail):.0f} < {ESS_MIN:.0f}: too few "
            "independent draws for reliable means and intervals; draw more."
        )
    if min_bfmi < BFMI_MIN:
        advice.append(
            f"E-BFMI {min_bfmi:.2f} < {BFMI_MIN}: the sampler explores the energy poorly "
            "(heavy tails or a funnel); reparameterise the model."
        )
    return Diagnostics(divergences, max_r_hat, min_bulk, min_tail, min_bfmi, tuple(advice))


def _divergence_advice(divergences: int, attrs: Mapping[str, Any]) -> str:
    """What to do about divergent transitions, for the model that was actually fitted."""
    said = f"{divergences} divergent transition{'s' if divergences > 1 else ''}"
    parameterization = attrs.get("teachkit_parameterization")
    if parameterization == "centered":
        return (
            f"{said}: the centred parameterisation puts the sampler in a funnel where the "
            "group-level sds are small; refit with parameterization='noncentered' "
            "(--parameterization noncentered)."
        )
    accept = float(attrs.get("teachkit_target_accept", TARGET_ACCEPT))
    higher = min(0.99, round(accept + (1 - accept) / 2, 3))
    where = (
        "the model is already non-centred, so"
        if parameterization == "noncentered"
        else "the sampler met curvature it could not follow;"
    )
    return (
        f"{said}: {where} refit with a higher target acceptance rate (target_accept={higher}, "
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


def compare(fits: Mapping[str, az.InferenceData]) -> pd.DataFrame:
    """PSIS-LOO comparison of fits of the same data (Vehtari, Gelman and Gabry 2017).

    Fits without a ``log_likelihood`` group get one first (:func:`add_log_likelihood`).

    Returns
    -------
    DataFrame
        One row per model, best first: rank, elpd_loo, p_loo, d_loo (difference to the best),
        weight (stacking), se, dse, warning (True when some Pareto k > 0.7) and pareto_k_max.
    """
    import arviz as az

    if len(fits) < 1:
        raise TeachkitError("compare needs at least one fit")
    for idata in fits.values():
        add_log_likelihood(idata)
    with warnings.catch_warnings():
        # a high Pareto k is reported in the table's warning column instead
        warnings.filterwarnings("ignore", message=".*Pareto.*", category=UserWarning)
        # arviz 0.23 calls DataFrame.sort_values(inplace=True), which pandas 3.1 deprecates
        warnings.filterwarnings("ignore", message="The inplace keyword", category=Warning)
        loos = {name: az.loo(idata, pointwise=True) for name, idata in fits.items()}
        table = az.compare(loos, ic="loo")
    table = table.rename(columns={"elpd_diff": "d_loo"})
    table["pareto_k_max"] = [float(loos[name].pareto_k.max()) for name in table.index]
    table["warning"] = table["warning"].astype(bool)
    return table[
        ["rank", "elpd_loo", "p_loo", "d_loo", "weight", "se", "dse", "warning", "pareto_k_max"]
    ]


def _parameters(idata: az.InferenceData) -> list[str]:
    """Canonical parameters present in a fit, in summary order."""
    recorded = idata.posterior.attrs.get("teachkit_parameters")
    names = recorded.split(",") if recorded else list(idata.posterior.data_vars)
    present = [n for n in names if n in idata.posterior]
    order = {n: i for i, n in enumerate(CANONICAL_ORDER)}
    return sorted(present, key=lambda n: order.get(n, len(order)))


def _extreme(ds: xr.Dataset, how: Any) -> float:
    values = np.concatenate([np.ravel(ds[v].to_numpy()) for v in ds.data_vars])
    return float(how(values)) if np.any(np.isfinite(values)) else float("nan")
