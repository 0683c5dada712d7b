"""Does a model recover what was planted? One data set at a time.

:func:`recover` simulates data for which a lecture model is true, fits the model and returns
:func:`recovery_table`: truth against posterior for every canonical parameter. Calibration over
many data sets (interval coverage and simulation-based calibration) is in
:mod:`teachkit.calibration`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from teachkit.errors import TeachkitError
from teachkit.fitmeta import FitMeta
from teachkit.pipeline import fit_model
from teachkit.posterior import draws as posterior_draws
from teachkit.posterior import split_name
from teachkit.progress import Progress
from teachkit.registry import get_case
from teachkit.simulation import Simulation

if TYPE_CHECKING:
    import arviz as az

    from teachkit.store import FitStore

__all__ = [
    "HDI_PROB",
    "all_hyperparameters_inside",
    "group_share_inside",
    "model_truth",
    "posterior_draws",
    "recover",
    "recovery_table",
    "simulate_for",
]

#: Probability mass of the highest-density intervals recovery compares the truth with.
HDI_PROB = 0.94


def simulate_for(case: str, model: str, *, rng: Any = None, **options: Any) -> Simulation:
    """Simulate data for which ``model`` of ``case`` is the true model.

    The case study knows which settings make each of its models true (for ozone, e.g., both
    station sds 0 for ``pooled``, rho 0 for ``varying_slopes``); ``options`` override them and
    go to its simulator.
    """
    return get_case(case).simulate_for(model, rng=rng, **options)


def model_truth(case: str, model: str, sim: Simulation) -> dict[str, float]:
    """The planted values of ``model``'s canonical parameters in ``sim`` (asks the case)."""
    return get_case(case).truth(model, sim)


def recovery_table(
    idata: az.InferenceData, truth: dict[str, float], hdi_prob: float = HDI_PROB
) -> pd.DataFrame:
    """Truth against posterior, one row per planted parameter the fit has.

    Parameters
    ----------
    idata : arviz.InferenceData
        A fit from :func:`teachkit.inference.fit`.
    truth : dict of str to float
        Planted values under canonical names (:func:`model_truth`).
    hdi_prob : float
        Mass of the highest-density interval.

    Raises
    ------
    TeachkitError
        If a planted name is not in the fit (every planted parameter must be compared).

    Returns
    -------
    DataFrame indexed by parameter
        ``level`` ("hyper" or "group"), ``truth``, ``mean``, ``sd``, ``hdi_low``,
        ``hdi_high``, ``inside`` (truth within the HDI) and ``z`` = (mean - truth) / sd.
        Hyperparameters come first. ``table.attrs`` holds ``hdi_prob``.
    """
    import arviz as az

    if not 0 < hdi_prob < 1:
        raise TeachkitError(f"hdi_prob must lie strictly between 0 and 1, got {hdi_prob}")
    hyper = set(FitMeta.of(idata).hyperparameters)
    rows = []
    for name, value in truth.items():
        try:
            draws = posterior_draws(idata, name)
        except KeyError as err:
            raise TeachkitError(f"cannot compare the truth of {name}: {err.args[0]}") from None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            low, high = az.hdi(draws, hdi_prob=hdi_prob)
        sd = float(draws.std(ddof=1))
        rows.append(
            {
                "parameter": name,
                "level": "hyper" if split_name(name)[0] in hyper else "group",
                "truth": float(value),
                "mean": float(draws.mean()),
                "sd": sd,
                "hdi_low": float(low),
                "hdi_high": float(high),
                "inside": bool(low <= value <= high),
                "z": float((draws.mean() - value) / sd) if sd > 0 else float("nan"),
            }
        )
    table = pd.DataFrame(rows).set_index("parameter")
    table = table.sort_values("level", kind="stable", key=lambda s: s != "hyper")
    table.attrs["hdi_prob"] = hdi_prob
    table.attrs["all_hyperparameters_inside"] = all_hyperparameters_inside(table)
    return table


def all_hyperparameters_inside(table: pd.DataFrame) -> bool:
    """True when every hyperparameter's truth lies inside its interval."""
    return bool(table.loc[table["level"] == "hyper", "inside"].all())


def group_share_inside(table: pd.DataFrame) -> float:
    """Share of group-level truths inside their intervals (NaN when there are none)."""
    group = table.loc[table["level"] == "group", "inside"]
    return float(group.mean()) if len(group) else float("nan")


def recover(
    case: str,
    model: str,
    *,
    seed: int,
    hdi_prob: float = HDI_PROB,
    draws: int = 1000,
    tune: int = 1000,
    chains: int = 4,
    options: Mapping[str, str | None] | None = None,
    store: FitStore | None = None,
    refit: bool = False,
    progress: bool | Progress = False,
    **simulation_options: Any,
) -> pd.DataFrame:
    """Simulate data the model is true for, fit it (through the fit store), compare with truth.

    Parameters
    ----------
    case, model : str
        E.g. ``"ozone", "covarying"``.
    seed : int
        Seeds the simulation and the sampler.
    hdi_prob : float
    draws, tune, chains : int
        Sampler settings.
    options : mapping, optional
        The model's options (see the case's model records), e.g.
        ``{"parameterization": "centered"}`` for an ozone model; default the model's own.
    store : FitStore, optional
        Where the fit is kept (see :func:`teachkit.pipeline.fit_model`).
    refit : bool
        Sample even if the store has the fit.
    progress : bool or Progress
        What to show while compiling and sampling (:func:`teachkit.inference.fit`).
    **simulation_options
        Passed to :func:`simulate_for` (e.g. ``n_days=200``, ``direct_effect=0.3``).

    Returns
    -------
    DataFrame
        :func:`recovery_table`; ``table.attrs`` also holds the case, model and seed.
    """
    sim = simulate_for(case, model, rng=seed, **simulation_options)
    result = fit_model(
        case,
        model,
        sim.data,
        **dict(options or {}),
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        store=store,
        refit=refit,
        progress=progress,
        label=f"data simulated for {model}",
    )
    table = recovery_table(result.idata, model_truth(case, model, sim), hdi_prob=hdi_prob)
    table.attrs.update(
        case=case, model=model, seed=seed, entry_names=get_case(case).entry_names(sim.data)
    )
    return table
