"""What each grants model should recover from simulated data.

The simulator's defaults serve every model, each true in its own sense: the gender model of
the *total* effect of gender (directly and through discipline), the discipline models of the
*direct* one.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, logit

from teachkit.simulation import Simulation

__all__ = ["direct_truth", "multilevel_truth", "total_truth"]


def total_truth(sim: Simulation) -> dict[str, float]:
    """The gender model's planted values: what it estimates is the total effect.

    ``alpha[g]`` is the logit of gender g's expected award rate over the simulated
    applications and ``gender_gap`` the total gap.
    """
    t = sim.truth
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


def direct_truth(sim: Simulation) -> dict[str, float]:
    """The discipline models' planted values: the direct effect, within disciplines.

    ``gender_gap`` is the direct gap and ``direct_effect`` = alpha[m] - alpha[f].
    """
    t = sim.truth
    out = {k: v for k, v in t.items() if k.startswith(("alpha[", "beta["))}
    out.update(direct_effect=t["direct_effect"], gender_gap=t["direct_gap"])
    return out


def multilevel_truth(sim: Simulation) -> dict[str, float]:
    """The multilevel model's planted values: :func:`direct_truth` and the planted ``tau``."""
    return {**direct_truth(sim), "tau": sim.truth["tau"]}
