"""The samplers teachkit can fit with, and the one checked type for their settings.

:data:`SAMPLERS` maps each sampler's name to the function that runs it: nutpie (the default;
compiled once per model structure and process, :data:`teachkit.compiled.COMPILED_MODELS`) and
PyMC's own NUTS. :class:`SamplerSettings` checks draws, tune, chains, seed, target acceptance
rate and sampler once, when it is made; the library (:func:`teachkit.inference.fit`,
:func:`teachkit.pipeline.fit_model`, calibration) and the command line all make one, so they
accept and refuse the same values with the same one-line message.

To add a sampler, write ``_sample_<name>(built, settings, progress, cache)`` returning the
``InferenceData`` and the seconds spent compiling, and add it to :data:`SAMPLERS`.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from teachkit.checks import MAX_SAMPLER_DRAWS, MAX_SEED, check_choice, check_count, check_finite
from teachkit.compiled import CompiledModelCache
from teachkit.progress import Progress

if TYPE_CHECKING:
    import arviz as az
    import pymc as pm

    from teachkit.models.spec import BuiltModel

__all__ = [
    "MAX_CHAINS",
    "SAMPLERS",
    "TARGET_ACCEPT",
    "TARGET_ACCEPT_RANGE",
    "SamplerSettings",
]

#: Target acceptance rate of NUTS's step-size adaptation. Both samplers default to 0.8. The
#: covarying model on the Beijing data in its default (shifted) coding shows an isolated
#: divergent transition in 4000 draws for some seeds at 0.9 (seeds 1 and 5 of 1-5, 3 of seeds
#: 6-15) and none at 0.95 on seeds 1-5, for about 20% more sampling time (measured in
#: session 4; see the README's "Speed").
TARGET_ACCEPT = 0.95
#: The target acceptance rates a fit accepts: [0.5, 1). Below 0.5 NUTS takes steps so large
#: that most trajectories are rejected; 1 itself would need a step size of zero.
TARGET_ACCEPT_RANGE = (0.5, 1.0)
#: Most chains a fit may run (each is a thread of nutpie or a process of PyMC).
MAX_CHAINS = 64


@dataclass(frozen=True)
class SamplerSettings:
    """Everything about the sampler that determines a fit's draws, checked when made.

    Attributes
    ----------
    sampler : str
        A name in :data:`SAMPLERS`.
    draws, tune, chains : int
        Kept draws per chain (>= 1), tuning steps per chain (>= 0), chains (>= 1).
    seed : int or None
        Random seed; the same seed gives the same draws.
    target_accept : float
        Target acceptance rate, in :data:`TARGET_ACCEPT_RANGE` (0.5 inclusive, 1 exclusive).

    Raises
    ------
    TeachkitError
        One line naming the setting and the values allowed.

    Examples
    --------
    >>> SamplerSettings(draws=500).draws
    500
    >>> SamplerSettings(target_accept=0.3)
    Traceback (most recent call last):
    ...
    teachkit.errors.TeachkitError: target_accept must be a number in [0.5, 1), got 0.3
    """

    sampler: str = "nutpie"
    draws: int = 1000
    tune: int = 1000
    chains: int = 4
    seed: int | None = None
    target_accept: float = TARGET_ACCEPT

    def __post_init__(self) -> None:
        check_choice("sampler", self.sampler, SAMPLERS)
        check_count(self.draws, "draws", 1, MAX_SAMPLER_DRAWS)
        check_count(self.tune, "tune", 0, MAX_SAMPLER_DRAWS)
        check_count(self.chains, "chains", 1, MAX_CHAINS)
        if self.seed is not None:
            check_count(self.seed, "seed", 0, MAX_SEED)
        low, high = TARGET_ACCEPT_RANGE
        accept = check_finite(
            self.target_accept, "target_accept", low=low, high=high, high_open=True
        )
        object.__setattr__(self, "target_accept", accept)

    def as_dict(self) -> dict[str, Any]:
        """The settings by name (the keyword arguments of :func:`teachkit.inference.fit`)."""
        return asdict(self)


def _sample_nutpie(
    built: BuiltModel,
    settings: SamplerSettings,
    cores: int,
    progress: Progress,
    cache: CompiledModelCache,
) -> tuple[az.InferenceData, float]:
    """Sample with nutpie, reusing a compiled model of the same structure with new data."""
    import nutpie
    from numba.core.errors import NumbaPerformanceWarning
    from threadpoolctl import threadpool_limits

    start = time.perf_counter()
    data = {v.name: v.get_value() for v in built.model.data_vars}
    with cache.lock:
        compiled = cache.get("nutpie", built.spec.structure, data)
        if compiled is None:
            with warnings.catch_warnings():
                # numba's notes on its generated code (e.g. np.dot on non-contiguous arrays)
                # say nothing a user can act on
                warnings.simplefilter("ignore", NumbaPerformanceWarning)
                with progress.step(f"compiling {_name(built)} with nutpie"):
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
    # Each chain is a thread whose gradients call OpenBLAS (numba's linear algebra goes through
    # scipy's LAPACK); letting every such call spread over OpenBLAS's own threads makes the
    # chains' threads fight over the cores. On a 12 x 12 Cholesky gradient (the spatial model)
    # a triangular solve took 4 ms with OpenBLAS's default threads on 2 busy cores and 12 us
    # with one, and the Beijing spatial_intercepts fit sampled in 1.5 s (6-9 s at load 6)
    # instead of 62 s.
    with threadpool_limits(limits=1, user_api="blas"):
        idata = nutpie.sample(
            compiled,
            draws=settings.draws,
            tune=settings.tune,
            chains=settings.chains,
            cores=cores,
            seed=settings.seed,
            target_accept=settings.target_accept,
            save_warmup=False,
            progress_bar=progress.sampler_bar,
        )
    internal = [name for name in idata.posterior.data_vars if name.endswith("__")]
    idata.posterior = idata.posterior.drop_vars(internal)
    _relabel(idata, built.model)
    return idata, compile_seconds


def _name(built: BuiltModel) -> str:
    """``case/model`` for progress messages."""
    return f"{built.spec.case}/{built.spec.name}"


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


def _sample_pymc(
    built: BuiltModel,
    settings: SamplerSettings,
    cores: int,
    progress: Progress,
    cache: CompiledModelCache,
) -> tuple[az.InferenceData, float]:
    """Sample with PyMC's NUTS; 'compile' is the time to compile the log density and gradient.

    PyTensor caches the compiled C code, so ``pm.sample`` reuses what was compiled here (the
    ``cache`` of compiled nutpie models plays no part).
    """
    import pymc as pm

    model = built.model
    start = time.perf_counter()
    with progress.step(f"compiling {_name(built)} with PyTensor"):
        model.logp_dlogp_function(ravel_inputs=True)
    compile_seconds = time.perf_counter() - start
    with model, _quiet_pymc(progress.sampler_bar):
        idata = pm.sample(
            draws=settings.draws,
            tune=settings.tune,
            chains=settings.chains,
            cores=cores,
            random_seed=settings.seed,
            target_accept=settings.target_accept,
            progressbar=progress.sampler_bar,
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


#: The samplers :func:`teachkit.inference.fit` knows, by name: nutpie (the default) and PyMC's
#: own NUTS. Each takes the built model, the settings, the chains to run at once, whether to
#: say its progress (:class:`~teachkit.progress.Progress`) and
#: the compiled-model cache, and returns the draws and the compile seconds.
SAMPLERS: dict[
    str,
    Callable[
        [BuiltModel, SamplerSettings, int, Progress, CompiledModelCache],
        tuple[az.InferenceData, float],
    ],
] = {"nutpie": _sample_nutpie, "pymc": _sample_pymc}
