"""Does a model recover what was planted? One data set at a time.

:func:`recover` simulates data for which a lecture model is true, fits the model and returns
:func:`recovery_table`: truth against posterior for every canonical parameter. Calibration over
many data sets (interval coverage and simulation-based calibration) is in
:mod:`teachkit.calibration`.
"""

from __future__ import annotations

import re
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from teachkit.errors import TeachkitError
from teachkit.models import MODELS, build_model
from teachkit.models.spec import check_choice
from teachkit.simulate import Simulation, simulate_grants, simulate_ozone

if TYPE_CHECKING:
    import arviz as az

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

HDI_PROB = 0.94
_INDEXED = re.compile(r"^(?P<var>\w+)\[(?P<label>.+)\]$")


def simulate_for(case: str, model: str, *, rng: Any = None, **options: Any) -> Simulation:
    """Simulate data for which ``model`` of ``case`` is the true model.

    Ozone: ``pooled`` plants no variation between stations (both sds 0), ``varying_intercepts``
    a common slope (sigma_beta 0), ``varying_slopes`` independent intercepts and slopes (rho 0),
    ``covarying`` the simulator's defaults; the station effects are planted with exact sample
    moments (``exact_moments=True``), so the spread and correlation that the 12 stations
    really have are the planted sigma_alpha, sigma_beta and rho. Grants: the simulator's
    defaults, for which each
    model is true in its own sense (the gender model of the total effect, the discipline models
    of the direct one). ``options`` override these settings and go to
    :func:`teachkit.simulate.simulate_ozone` or :func:`teachkit.simulate.simulate_grants`.
    """
    check_choice("case", case, tuple(MODELS))
    check_choice(f"{case} model", model, MODELS[case])
    if case == "grants":
        return simulate_grants(rng=rng, **options)
    planted: dict[str, Any] = {
        "pooled": {"sds": (0.0, 0.0)},
        "varying_intercepts": {"sds": (0.18, 0.0)},
        "varying_slopes": {"rho": 0.0},
        "covarying": {},
    }[model]
    return simulate_ozone(rng=rng, **{"exact_moments": True, **planted, **options})


def model_truth(case: str, model: str, sim: Simulation) -> dict[str, float]:
    """The planted values of ``model``'s canonical parameters.

    Maps the simulator's truth onto what the model estimates: for the pooled ozone model
    ``alpha`` = mu_alpha, ``beta`` = mu_beta; for the varying-intercepts model the common
    ``beta`` = mu_beta; for the grants gender model ``alpha[g]`` is the logit of gender g's
    expected award rate and ``gender_gap`` the total gap; for the discipline models
    ``gender_gap`` is the direct gap and ``direct_effect`` = alpha[m] - alpha[f].
    """
    t = sim.truth
    if case == "ozone":
        keep = {
            "pooled": ["sigma"],
            "varying_intercepts": ["mu_alpha", "sigma_alpha", "sigma"],
            "varying_slopes": ["mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "sigma"],
            "covarying": ["mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "rho", "sigma"],
        }[model]
        out = {k: t[k] for k in keep}
        if model == "pooled":
            out.update(alpha=t["mu_alpha"], beta=t["mu_beta"])
        if model == "varying_intercepts":
            out["beta"] = t["mu_beta"]
        if model != "pooled":
            out.update({k: v for k, v in t.items() if k.startswith("alpha[")})
        if model in ("varying_slopes", "covarying"):
            out.update({k: v for k, v in t.items() if k.startswith("beta[")})
        return out

    if model == "gender":
        data = sim.data
        rates = {}
        for g in ("f", "m"):
            rows = data[data["gender"] == g]
            beta = np.array([t[f"beta[{d}]"] for d in rows["discipline"].astype(str)])
            p = expit(t[f"alpha[{g}]"] + beta)
            rates[g] = float((rows["applications"] * p).sum() / rows["applications"].sum())
        return {
            "alpha[f]": float(logit(rates["f"])),
            "alpha[m]": float(logit(rates["m"])),
            "gender_gap": t["total_gap"],
        }
    out = {k: v for k, v in t.items() if k.startswith(("alpha[", "beta["))}
    out.update(direct_effect=t["direct_effect"], gender_gap=t["direct_gap"])
    if model == "multilevel":
        out["tau"] = t["tau"]
    return out


def posterior_draws(idata: az.InferenceData, name: str) -> np.ndarray:
    """All draws (chains concatenated) of one canonical parameter, e.g. ``alpha[3]``.

    Also knows the derived ``direct_effect`` = alpha[m] - alpha[f] of the grants models.

    Raises
    ------
    KeyError
        If the fit has no such parameter.
    """
    post = idata.posterior
    if name == "direct_effect":
        if "beta" not in post or "gender" not in post["alpha"].dims:
            raise KeyError(name)
        return posterior_draws(idata, "alpha[m]") - posterior_draws(idata, "alpha[f]")
    match = _INDEXED.match(name)
    if match is None:
        if name not in post or post[name].ndim != 2:
            raise KeyError(name)
        return post[name].to_numpy().ravel()
    var, label = match["var"], match["label"]
    if var not in post:
        raise KeyError(name)
    (dim,) = [d for d in post[var].dims if d not in ("chain", "draw")]
    labels = [str(c) for c in post[var][dim].to_numpy()]
    if label not in labels:
        raise KeyError(name)
    return post[var].isel({dim: labels.index(label)}).to_numpy().ravel()


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
    hyper = set(str(idata.posterior.attrs.get("teachkit_hyperparameters", "")).split(","))
    rows = []
    for name, value in truth.items():
        try:
            draws = posterior_draws(idata, name)
        except KeyError:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            low, high = az.hdi(draws, hdi_prob=hdi_prob)
        sd = float(draws.std(ddof=1))
        base = _INDEXED.match(name)
        var = base["var"] if base else name
        rows.append(
            {
                "parameter": name,
                "level": "hyper" if var in hyper or name == "direct_effect" else "group",
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
    parameterization: str | None = None,
    progress: bool = False,
    **simulation_options: Any,
) -> pd.DataFrame:
    """Simulate data the model is true for, fit it, and compare posterior with truth.

    Parameters
    ----------
    case, model : str
        E.g. ``"ozone", "covarying"``.
    seed : int
        Seeds the simulation and the sampler.
    hdi_prob : float
    draws, tune, chains : int
        Sampler settings.
    parameterization : str, optional
        For the hierarchical ozone models.
    progress : bool
    **simulation_options
        Passed to :func:`simulate_for` (e.g. ``n_days=200``, ``direct_effect=0.3``).

    Returns
    -------
    DataFrame
        :func:`recovery_table`; ``table.attrs`` also holds the case, model and seed.
    """
    from teachkit.inference import fit

    sim = simulate_for(case, model, rng=seed, **simulation_options)
    options = {"parameterization": parameterization} if parameterization else {}
    built = build_model(case, model, sim.data, **options)
    idata = fit(built, draws=draws, tune=tune, chains=chains, seed=seed, progress=progress)
    table = recovery_table(idata, model_truth(case, model, sim), hdi_prob=hdi_prob)
    table.attrs.update(case=case, model=model, seed=seed)
    return table
