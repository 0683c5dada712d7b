r"""Planted truth on a grouped design: the user's own groups and x values, or a grid.

:func:`simulate_grouped` draws each group's line from the covarying model's population,

.. math::

    (\alpha_j, \beta_j) \sim \mathrm{MVNormal}\bigl((\mu_\alpha, \mu_\beta), \Sigma\bigr),
    \qquad y_i \sim \mathrm{Normal}(\alpha_{j[i]} + \beta_{j[i]} x_i, \sigma),

on a *design*: the groups, group sizes and x values of a table (so ``recover grouped`` answers
"would this model recover effects of this size from a design like mine?"), or ``n_groups``
groups of ``per_group`` rows with x on a grid. Its defaults are the cafés of Statistical
Rethinking (McElreath 2020, 2nd ed., section 14.1, R code 14.1-14.4): 20 cafés, 10 visits
alternating morning (x = 0) and afternoon (x = 1), a = 3.5 min, b = -1 min, sigma_a = 1,
sigma_b = 0.5, rho = -0.7, sigma = 0.5.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from teachkit._random import RNGLike, as_generator
from teachkit.cases.grouped.table import TABLE_COLUMNS
from teachkit.checks import MAX_ROWS, check_count, check_finite
from teachkit.covariance import build_covariance
from teachkit.errors import TeachkitError
from teachkit.mvn import sample_mvn
from teachkit.simulation import Simulation

__all__ = ["CAFES", "cafes_design", "grid_design", "simulate_grouped"]

#: The cafés' population (McElreath 2020, R code 14.1): canonical names and values.
CAFES: dict[str, float] = {
    "mu_alpha": 3.5,
    "mu_beta": -1.0,
    "sigma_alpha": 1.0,
    "sigma_beta": 0.5,
    "rho": -0.7,
    "sigma": 0.5,
}


def grid_design(n_groups: int, per_group: int, x: tuple[float, float] = (0.0, 1.0)) -> pd.DataFrame:
    """``n_groups`` groups (labelled 1, 2, ...) of ``per_group`` rows, x evenly from x[0] to x[1].

    Examples
    --------
    >>> grid_design(2, 3)["x"].tolist()
    [0.0, 0.5, 1.0, 0.0, 0.5, 1.0]
    """
    n_groups = check_count(n_groups, "n_groups", 2, MAX_ROWS)
    per_group = check_count(per_group, "per_group", 2, MAX_ROWS)
    if n_groups * per_group > MAX_ROWS:
        raise TeachkitError(f"n_groups x per_group must be at most {MAX_ROWS:,}")
    low, high = (check_finite(v, "x") for v in x)
    if not low < high:
        raise TeachkitError(f"the x grid needs low < high, got {low:g} and {high:g}")
    return pd.DataFrame(
        {
            "group": np.repeat(np.arange(1, n_groups + 1), per_group),
            "x": np.tile(np.linspace(low, high, per_group), n_groups),
        }
    )


def cafes_design(n_cafes: int = 20, n_visits: int = 10) -> pd.DataFrame:
    """The book's design: each café visited ``n_visits`` times, morning and afternoon in turn."""
    n_cafes = check_count(n_cafes, "n_cafes", 2, MAX_ROWS)
    n_visits = check_count(n_visits, "n_visits", 2, MAX_ROWS)
    return pd.DataFrame(
        {
            "group": np.repeat(np.arange(1, n_cafes + 1), n_visits),
            "x": np.tile(np.arange(n_visits) % 2, n_cafes).astype(float),
        }
    )


def simulate_grouped(
    design: pd.DataFrame | None = None,
    *,
    mu_alpha: float = CAFES["mu_alpha"],
    mu_beta: float = CAFES["mu_beta"],
    sigma_alpha: float = CAFES["sigma_alpha"],
    sigma_beta: float = CAFES["sigma_beta"],
    rho: float = CAFES["rho"],
    sigma: float = CAFES["sigma"],
    rng: RNGLike = None,
) -> Simulation:
    """Simulate y on a design from a planted population of group lines.

    Parameters
    ----------
    design : DataFrame, optional
        ``group`` and ``x`` columns (any others are dropped; a ``y`` is replaced). Default:
        :func:`cafes_design`.
    mu_alpha, mu_beta : float
        Population mean intercept (at x = 0) and slope.
    sigma_alpha, sigma_beta : float
        Population sds, >= 0; zero plants a common intercept or slope.
    rho : float
        Correlation of intercepts and slopes, in (-1, 1).
    sigma : float
        Residual sd, > 0.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    Simulation
        ``data``: ``group``, ``x``, ``y`` in the design's row order. ``truth``: the six
        population values, then ``alpha[label]`` and ``beta[label]`` for every group in sorted
        order of the labels.

    Examples
    --------
    >>> sim = simulate_grouped(rng=1)
    >>> sim.data.shape, list(sim.truth)[:3], sim.truth["rho"]
    ((200, 3), ['mu_alpha', 'mu_beta', 'sigma_alpha'], -0.7)
    """
    design = cafes_design() if design is None else design
    missing = [c for c in ("group", "x") if c not in design.columns]
    if missing:
        raise TeachkitError(f"a design needs columns group and x; it lacks {', '.join(missing)}")
    for name, value in (("mu_alpha", mu_alpha), ("mu_beta", mu_beta)):
        check_finite(value, name)
    for name, value in (("sigma_alpha", sigma_alpha), ("sigma_beta", sigma_beta)):
        if not (np.isfinite(value) and value >= 0):
            raise TeachkitError(f"{name} must be a number >= 0, got {value}")
    if not (np.isfinite(sigma) and sigma > 0):
        raise TeachkitError(f"sigma must be a number > 0, got {sigma}")
    if not -1 < rho < 1:
        raise TeachkitError(f"rho must lie strictly between -1 and 1, got {rho}")

    gen = as_generator(rng)
    labels, index = np.unique(design["group"].to_numpy(), return_inverse=True)
    cov = build_covariance([sigma_alpha, sigma_beta], [[1.0, rho], [rho, 1.0]])
    effects = sample_mvn([mu_alpha, mu_beta], cov, size=len(labels), rng=gen)
    alpha, beta = effects[:, 0], effects[:, 1]
    x = design["x"].to_numpy(dtype=float)
    y = alpha[index] + beta[index] * x + sigma * gen.standard_normal(len(x))
    data = pd.DataFrame({"group": design["group"].to_numpy(), "x": x, "y": y})
    truth = {
        "mu_alpha": float(mu_alpha),
        "mu_beta": float(mu_beta),
        "sigma_alpha": float(sigma_alpha),
        "sigma_beta": float(sigma_beta),
        "rho": float(rho),
        "sigma": float(sigma),
    }
    truth |= {f"alpha[{g}]": float(a) for g, a in zip(labels, alpha, strict=True)}
    truth |= {f"beta[{g}]": float(b) for g, b in zip(labels, beta, strict=True)}
    return Simulation(data=data[list(TABLE_COLUMNS)], truth=truth)
