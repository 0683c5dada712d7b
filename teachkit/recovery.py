"""Does a model recover what was planted? One data set at a time.

:func:`recover` simulates data for which a lecture model is true, fits the model and returns
:func:`recovery_table`: truth against posterior for every canonical parameter. A case fitted
to a user's own table (the grouped case) plants its truth on that table's design: its groups,
group sizes and x values, so the answer is "would this model recover effects of this size
from a design like mine?"; :func:`fitted_truth` takes the effects' sizes from a fit to the
table itself. Calibration over many data sets (interval coverage and simulation-based
calibration) is in :mod:`teachkit.calibration`.
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
from teachkit.registry import get_case, load_data
from teachkit.simulation import Simulation

if TYPE_CHECKING:
    from pathlib import Path

    import arviz as az

    from teachkit.cases.base import CaseStudy
    from teachkit.store import FitStore

__all__ = [
    "HDI_PROB",
    "all_hyperparameters_inside",
    "fitted_truth",
    "group_share_inside",
    "model_truth",
    "posterior_draws",
    "recover",
    "recovery_table",
    "simulate_for",
]

#: Probability mass of the highest-density intervals recovery compares the truth with.
HDI_PROB = 0.94


def simulate_for(
    case: str | CaseStudy, model: str, *, rng: Any = None, **options: Any
) -> Simulation:
    """Simulate data for which ``model`` of ``case`` is the true model.

    The case study knows which settings make each of its models true (for ozone, e.g., both
    station sds 0 for ``pooled``, rho 0 for ``varying_slopes``); ``options`` override them and
    go to its simulator.
    """
    return get_case(case).simulate_for(model, rng=rng, **options)


def model_truth(case: str | CaseStudy, model: str, sim: Simulation) -> dict[str, float]:
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
    case: str | CaseStudy,
    model: str,
    *,
    seed: int,
    data: str | Path | pd.DataFrame | None = None,
    truth: Mapping[str, float] | None = None,
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
    case : str or CaseStudy
        A case's name (``"ozone"``) or a configured case (e.g. the grouped case bound to a
        user's columns and priors: :meth:`~teachkit.cases.base.CaseStudy.configured`).
    model : str
        E.g. ``"covarying"``.
    seed : int
        Seeds the simulation and the sampler.
    data : str, path or DataFrame, optional
        A table whose design the simulation copies (the grouped case: its groups, group
        sizes and x values; see :meth:`~teachkit.cases.base.CaseStudy.with_data`). Only the
        simulation is bound to it: the fit's ``auto`` priors are scaled to the simulated data,
        as they would be to a user's own (a case passed already bound keeps its priors).
    truth : mapping, optional
        Population values to plant (e.g. :func:`fitted_truth`), below the model's own planted
        settings: ``rho`` is still 0 for ``varying_slopes``.
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
        Passed to :func:`simulate_for` (e.g. ``n_days=200``, ``direct_effect=0.3``); they
        override the model's planted settings.

    Returns
    -------
    DataFrame
        :func:`recovery_table`; ``table.attrs`` also holds the case's name, the model, the
        seed, the design's label (``data``, None without one), the rows the table lost
        to ``dropna`` (``rows_dropped``) and what the fit's record says of the case's
        settings (``case_settings``: the grouped case's columns and the priors it used).
    """
    study = get_case(case)
    study.check_model(model)
    planted_by = study
    label, dropped = None, 0
    if data is not None:
        frame, label = load_data(study, data)
        dropped = int(frame.attrs.get("dropped", 0) or 0)
        planted_by = study.with_data(frame)
    planted = study.model_entry(model).planted
    population = {k: v for k, v in (truth or {}).items() if k not in planted}
    sim = simulate_for(planted_by, model, rng=seed, **{**population, **simulation_options})
    result = fit_model(
        study,
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
    table = recovery_table(result.idata, model_truth(planted_by, model, sim), hdi_prob=hdi_prob)
    table.attrs.update(
        case=study.name,
        model=model,
        seed=seed,
        entry_names=study.entry_names(sim.data),
        data=label,
        rows_dropped=dropped,
        case_settings=study.with_data(study.check(sim.data, source="simulation")).describe(),
    )
    return table


def fitted_truth(
    case: str | CaseStudy,
    data: str | Path | pd.DataFrame | None = None,
    *,
    model: str = "covarying",
    **fit_options: Any,
) -> dict[str, float]:
    """The posterior means of ``model``'s hyperparameters fitted to ``data``: a truth to plant.

    The fit goes through :func:`teachkit.pipeline.fit_model` (and the fit store);
    ``fit_options`` are its sampler settings, ``store``, ``progress`` and ``status``. The
    values are on the scale the simulator plants them: a case that centres x (the grouped
    case's ``center_x``) is fitted uncentred, so the intercepts are at x = 0.

    Returns
    -------
    dict of str to float
        E.g. ``mu_alpha``, ``mu_beta``, ``sigma_alpha``, ``sigma_beta``, ``rho``, ``sigma``.
    """
    study = get_case(case)
    if getattr(study, "center_x", False):
        study = study.configured(center_x=False)
    result = fit_model(study, model, data, **fit_options)
    names = FitMeta.of(result.idata).hyperparameters
    return {name: float(result.record["parameters"][name]["mean"]) for name in names}
