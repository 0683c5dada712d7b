"""Known-truth grant data: gender reaches awards through discipline, and perhaps directly.

The causal story of the lecture is G -> D -> A and G -> A: applicants' gender (G) shifts which
discipline (D) they apply in, disciplines differ in award rate, and gender may also act on the
award (A) directly. The generating process, per discipline d and gender g:

    size share w ~ Dirichlet(3, ..., 3),  n_d ~ Multinomial(applications, w)
    beta_d ~ Normal(0, discipline_sd)                      (discipline effect, log-odds)
    share of women s_d = logistic(logit(female_share) - confounding * beta_d)
    applications[d, f] ~ Binomial(n_d, s_d),  applications[d, m] = n_d - applications[d, f]
    logit p[d, g] = alpha[g] + beta_d,  alpha[m] = alpha[f] + direct_effect
    awards[d, g] ~ Binomial(applications[d, g], p[d, g])

With ``confounding > 0`` women apply more where awards are rarer, so the award rate of women is
lower overall even when ``direct_effect = 0``: a total gap without any direct effect.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from teachkit._random import RNGLike, as_generator
from teachkit.cases.grants.data import GRANTS_COLUMNS, check_grants_frame
from teachkit.checks import check_count, check_finite
from teachkit.simulation import Simulation

__all__ = ["MAX_APPLICATIONS", "MAX_DISCIPLINES", "expected_gaps", "simulate_grants"]

#: Most disciplines and applications a simulation may have (NWO: 9 and 2,823).
MAX_DISCIPLINES = 10_000
MAX_APPLICATIONS = 10**9


def simulate_grants(
    n_disciplines: int = 9,
    *,
    applications: int = 2800,
    direct_effect: float = 0.0,
    baseline: float = -1.5,
    discipline_sd: float = 0.5,
    female_share: float = 0.4,
    confounding: float = 1.0,
    rng: RNGLike = None,
) -> Simulation:
    """Simulate applications and awards by discipline and gender (see the module docstring).

    Parameters
    ----------
    n_disciplines : int
        Number of disciplines, >= 1; named ``D1``, ``D2``, ...
    applications : int
        Expected total number of applications, >= 1 (the NWO data have 2,823).
    direct_effect : float
        Log-odds of an award, men minus women, within a discipline (G -> A).
    baseline : float
        ``alpha[f]``: log-odds of an award for a woman in a discipline with effect 0.
    discipline_sd : float
        Sd of the discipline effects (``tau`` of the multilevel model), >= 0.
    female_share : float
        Share of women among applicants in a discipline with effect 0, in (0, 1).
    confounding : float
        How strongly the share of women falls as the discipline's award rate rises (G -> D).
    rng : numpy.random.Generator, int or None

    Returns
    -------
    Simulation
        ``data``: the columns of the NWO table (discipline, gender, applications, awards),
        rows ordered by discipline then m, f. ``truth``: ``alpha[f]``, ``alpha[m]``,
        ``beta[D1]``, ... , ``tau``, ``direct_effect`` (log-odds), and on the probability
        scale ``total_gap`` and ``direct_gap`` from :func:`expected_gaps`.

    Examples
    --------
    >>> sim = simulate_grants(rng=1)
    >>> sim.data.shape, round(sim.truth["direct_effect"], 2), sim.truth["total_gap"] > 0
    ((18, 4), 0.0, True)
    """
    n_disciplines = check_count(n_disciplines, "n_disciplines", 1, MAX_DISCIPLINES)
    applications = check_count(applications, "applications", 1, MAX_APPLICATIONS)
    direct_effect = check_finite(direct_effect, "direct_effect")
    baseline = check_finite(baseline, "baseline")
    discipline_sd = check_finite(discipline_sd, "discipline_sd", low=0.0)
    female_share = check_finite(
        female_share, "female_share", low=0.0, high=1.0, low_open=True, high_open=True
    )
    confounding = check_finite(confounding, "confounding")

    gen = as_generator(rng)
    names = [f"D{d + 1}" for d in range(n_disciplines)]
    sizes = gen.multinomial(applications, gen.dirichlet(np.full(n_disciplines, 3.0)))
    beta = gen.normal(0.0, discipline_sd, size=n_disciplines)
    share_f = expit(logit(female_share) - confounding * beta)
    apps_f = gen.binomial(sizes, share_f)
    apps = np.column_stack([sizes - apps_f, apps_f])  # columns: m, f
    alpha = {"m": baseline + direct_effect, "f": baseline}
    p = expit(np.column_stack([alpha["m"] + beta, alpha["f"] + beta]))
    awards = gen.binomial(apps, p)

    data = pd.DataFrame(
        {
            "discipline": np.repeat(names, 2),
            "gender": np.tile(["m", "f"], n_disciplines),
            "applications": apps.ravel(),
            "awards": awards.ravel(),
        },
        columns=list(GRANTS_COLUMNS),
    )
    data = check_grants_frame(data, source="simulated grants")
    total_gap, direct_gap = expected_gaps(apps, p)
    truth: dict[str, float] = {"alpha[f]": alpha["f"], "alpha[m]": alpha["m"]}
    truth.update({f"beta[{n}]": float(b) for n, b in zip(names, beta, strict=True)})
    truth.update(
        {
            "tau": discipline_sd,
            "direct_effect": direct_effect,
            "total_gap": total_gap,
            "direct_gap": direct_gap,
        }
    )
    return Simulation(data=data, truth=truth)


def expected_gaps(applications: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """Exact expected gaps in award rate, men minus women, given the applications.

    Parameters
    ----------
    applications : ndarray of shape (n_disciplines, 2)
        Applications by discipline; columns m, f.
    p : ndarray of shape (n_disciplines, 2)
        Award probabilities; columns m, f.

    Returns
    -------
    total_gap : float
        E[awards_m / applications_m] - E[awards_f / applications_f]
        = sum_d a_dm p_dm / a_m - sum_d a_df p_df / a_f: the gap in the overall award rates,
        through discipline and directly (what the gender-only model estimates).
    direct_gap : float
        sum_d (a_dm + a_df) (p_dm - p_df) / sum_d (a_dm + a_df): the within-discipline gap
        averaged over all the data's applications (the ``gender_gap`` of the discipline models).

    Examples
    --------
    No direct effect, but women apply where awards are rare:

    >>> apps = np.array([[90, 10], [10, 90]])
    >>> p = np.array([[0.3, 0.3], [0.1, 0.1]])
    >>> [round(g, 2) for g in expected_gaps(apps, p)]
    [0.16, 0.0]
    """
    a = np.asarray(applications, dtype=float)
    q = np.asarray(p, dtype=float)
    rate = (a * q).sum(axis=0) / np.maximum(a.sum(axis=0), 1.0)
    total_gap = float(rate[0] - rate[1])
    n_d = a.sum(axis=1)
    direct_gap = float((n_d * (q[:, 0] - q[:, 1])).sum() / max(n_d.sum(), 1.0))
    return total_gap, direct_gap
