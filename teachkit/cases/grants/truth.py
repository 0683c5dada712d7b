"""Which grants data each lecture model is true for, and what it should then recover.

The simulator's defaults serve every model, each true in its own sense: the gender model of
the *total* effect of gender (directly and through discipline), the discipline models of the
*direct* one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import expit, logit

from teachkit.cases.grants.simulate import simulate_grants
from teachkit.simulation import Simulation

__all__ = ["model_truth", "simulate_for"]


def simulate_for(model: str, *, rng: Any = None, **options: Any) -> Simulation:
    """Simulate grants data (the simulator's defaults suit every model).

    Examples
    --------
    >>> len(simulate_for("gender", n_disciplines=3, rng=0).data)
    6
    """
    return simulate_grants(rng=rng, **options)


def model_truth(model: str, sim: Simulation) -> dict[str, float]:
    """The planted values of ``model``'s canonical parameters.

    For the gender model ``alpha[g]`` is the logit of gender g's expected award rate over the
    simulated applications and ``gender_gap`` the total gap; for the discipline models
    ``gender_gap`` is the direct gap and ``direct_effect`` = alpha[m] - alpha[f].
    """
    t = sim.truth
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
