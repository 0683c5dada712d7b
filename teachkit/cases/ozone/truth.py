"""Which ozone data each lecture model is true for, and what it should then recover.

:func:`simulate_for` plants data for which a model is the true model: ``pooled`` no
variation between stations (both sds 0), ``varying_intercepts`` a common slope
(sigma_beta 0), ``varying_slopes`` independent intercepts and slopes (rho 0), ``covarying``
the simulator's defaults. Station effects are planted with exact sample moments
(``exact_moments=True``), so the spread and correlation the 12 stations really have are the
planted sigma_alpha, sigma_beta and rho. :func:`model_truth` maps the simulator's truth onto
the model's canonical parameters.
"""

from __future__ import annotations

from typing import Any

from teachkit.cases.ozone.simulate import simulate_ozone
from teachkit.simulation import Simulation

__all__ = ["PLANTED", "model_truth", "simulate_for"]

#: Simulator settings for which each model is the true one.
PLANTED: dict[str, dict[str, Any]] = {
    "pooled": {"sds": (0.0, 0.0)},
    "varying_intercepts": {"sds": (0.18, 0.0)},
    "varying_slopes": {"rho": 0.0},
    "covarying": {},
}

#: The hyperparameters each model estimates, under the simulator's names.
_KEEP: dict[str, tuple[str, ...]] = {
    "pooled": ("sigma",),
    "varying_intercepts": ("mu_alpha", "sigma_alpha", "sigma"),
    "varying_slopes": ("mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "sigma"),
    "covarying": ("mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "rho", "sigma"),
}


def simulate_for(model: str, *, rng: Any = None, **options: Any) -> Simulation:
    """Simulate ozone data for which ``model`` is true; ``options`` override the settings.

    Examples
    --------
    >>> sim = simulate_for("pooled", n_stations=3, n_days=5, rng=0)
    >>> sim.truth["sigma_alpha"], sim.truth["sigma_beta"]
    (0.0, 0.0)
    """
    return simulate_ozone(rng=rng, **{"exact_moments": True, **PLANTED[model], **options})


def model_truth(model: str, sim: Simulation) -> dict[str, float]:
    """The planted values of ``model``'s canonical parameters.

    For the pooled model ``alpha`` = mu_alpha and ``beta`` = mu_beta; for the
    varying-intercepts model the common ``beta`` = mu_beta; station effects ``alpha[j]``
    (and ``beta[j]`` where slopes vary) as planted.
    """
    t = sim.truth
    out = {k: t[k] for k in _KEEP[model]}
    if model == "pooled":
        out.update(alpha=t["mu_alpha"], beta=t["mu_beta"])
    if model == "varying_intercepts":
        out["beta"] = t["mu_beta"]
    if model != "pooled":
        out.update({k: v for k, v in t.items() if k.startswith("alpha[")})
    if model in ("varying_slopes", "covarying"):
        out.update({k: v for k, v in t.items() if k.startswith("beta[")})
    return out
