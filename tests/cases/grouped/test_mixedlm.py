r"""The grouped models' posteriors against statsmodels' REML fit of the same mixed model.

With 50 groups of 40 rows the data outweigh the (auto) priors, so the posterior mean of every
population parameter of ``varying_slopes`` and ``covarying``, fitted through
:func:`teachkit.pipeline.fit_model` on a table with the user's own column names, must lie
within :data:`TOLERANCE_SE` standard errors of statsmodels' ``MixedLM`` (REML; random
intercepts and slopes, ``re_formula="~x"``; a diagonal random-effects covariance, through
``free=``, for the independent effects of ``varying_slopes``).

Standard errors. The fixed effects': statsmodels' ``bse_fe``. The sds' (and rho's): the
observed information of the restricted likelihood,

.. math::

    \ell_R(\theta) = -\tfrac12 \Bigl[\sum_j \log|V_j| + \log\bigl|\sum_j X_j^\top V_j^{-1}
    X_j\bigr| + \sum_j r_j^\top V_j^{-1} r_j\Bigr], \qquad
    V_j = X_j \Sigma X_j^\top + \sigma^2 I, \quad r_j = y_j - X_j \hat\beta_{GLS},

(Harville 1977, J. Am. Stat. Assoc. 72(358), 320-338) written here in numpy, differentiated
twice numerically in :math:`\theta = (\sigma_\alpha, \sigma_\beta[, \rho], \sigma)` at
statsmodels' estimate: :math:`\mathrm{SE} = \sqrt{\mathrm{diag}(-H^{-1})}`, so no delta method
is needed. statsmodels' own ``bse_re`` (the variances' SEs) was not used: on this design its
delta-method SEs of the sds came out about 1.2 times (1/sqrt(scale)) the spread of the REML
estimates over 150 data sets simulated from the varying-slopes fit (seeds 1000-1149):
sigma_alpha 0.122 against 0.102, sigma_beta 0.057 against 0.046, where this observed
information gave 0.095 and 0.045 (and 0.0128 against 0.0125 for sigma, which statsmodels gives
no SE for). The two REML implementations check each other: the GLS fixed effects of the
numpy likelihood at statsmodels' covariance equal statsmodels' fixed effects, and its
gradient there is zero within :data:`STATIONARY` of a standard error.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as sm
from statsmodels.regression.mixed_linear_model import MixedLMParams

from teachkit.cases.grouped.simulate import simulate_grouped
from teachkit.pipeline import fit_model
from teachkit.store import FitStore

pytestmark = pytest.mark.slow

#: How many of statsmodels' standard errors a posterior mean may be from its REML estimate.
TOLERANCE_SE = 2.0
#: The REML estimate must be the numpy likelihood's maximum: |gradient| x SE below this (a
#: shift of the estimate by this fraction of an SE at most).
STATIONARY = 0.05
#: The user's column names for the simulated table.
COLUMNS = {"y": "score", "x": "dose", "group": "clinic"}
#: 50 groups of 40 rows, x uniform on (0, 4) (fixed seed).
N_GROUPS, PER_GROUP = 50, 40
#: The planted population (rho is set per model).
POPULATION = {"mu_alpha": 3.5, "mu_beta": -1.0, "sigma_alpha": 1.0, "sigma_beta": 0.5, "sigma": 0.8}
#: Planted correlation and data seed per model.
PLANTED = {"varying_slopes": (0.0, 5), "covarying": (-0.6, 5)}
#: Sampler settings: enough draws that Monte-Carlo error is a small part of the tolerance.
SAMPLER = {"draws": 1000, "tune": 1000, "chains": 4, "seed": 1}


def design() -> pd.DataFrame:
    rng = np.random.default_rng(23)
    return pd.DataFrame(
        {
            "group": np.repeat(np.arange(1, N_GROUPS + 1), PER_GROUP),
            "x": rng.uniform(0.0, 4.0, N_GROUPS * PER_GROUP),
        }
    )


def restricted_loglik(
    theta: np.ndarray, groups: list[tuple[np.ndarray, np.ndarray]]
) -> tuple[float, np.ndarray]:
    """The REML log-likelihood (without its constant) at (sa, sb, rho, sigma), and GLS beta."""
    sa, sb, rho, sigma = theta
    cov = np.array([[sa * sa, rho * sa * sb], [rho * sa * sb, sb * sb]])
    log_det, info, score, solved = 0.0, np.zeros((2, 2)), np.zeros(2), []
    for x, y in groups:
        v = x @ cov @ x.T + sigma * sigma * np.eye(len(y))
        log_det += np.linalg.slogdet(v)[1]
        v_inv = np.linalg.inv(v)
        info += x.T @ v_inv @ x
        score += x.T @ v_inv @ y
        solved.append(v_inv)
    beta = np.linalg.solve(info, score)
    quad = sum(
        (y - x @ beta) @ v_inv @ (y - x @ beta)
        for (x, y), v_inv in zip(groups, solved, strict=True)
    )
    return -0.5 * (log_det + np.linalg.slogdet(info)[1] + quad), beta


def derivatives(f, at: np.ndarray, free: list[int], step: float = 1e-4):
    """Central-difference gradient and Hessian of ``f`` in the coordinates ``free``."""
    n = len(free)
    grad, hess = np.zeros(n), np.zeros((n, n))

    def moved(*shifts: tuple[int, float]) -> float:
        point = at.copy()
        for i, h in shifts:
            point[free[i]] += h
        return f(point)

    for i in range(n):
        grad[i] = (moved((i, step)) - moved((i, -step))) / (2 * step)
        for j in range(n):
            hess[i, j] = (
                moved((i, step), (j, step))
                - moved((i, step), (j, -step))
                - moved((i, -step), (j, step))
                + moved((i, -step), (j, -step))
            ) / (4 * step * step)
    return grad, hess


def reml_reference(data: pd.DataFrame, diagonal: bool) -> dict[str, tuple[float, float]]:
    """statsmodels' REML estimate of each parameter and its standard error (see the module)."""
    model = sm.mixedlm("y ~ x", data, groups=data["group"], re_formula="~x")
    free = (
        MixedLMParams.from_components(fe_params=np.ones(2), cov_re=np.eye(2)) if diagonal else None
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning (no convergence, boundary) fails the test
        fit = model.fit(reml=True, method=["lbfgs"], free=free)
    assert fit.converged
    cov = fit.cov_re.to_numpy()
    sa, sb = np.sqrt(np.diag(cov))
    theta = np.array([sa, sb, cov[0, 1] / (sa * sb), np.sqrt(fit.scale)])
    free_ix = [0, 1, 3] if diagonal else [0, 1, 2, 3]

    groups = [
        (np.c_[np.ones(len(g)), g["x"].to_numpy()], g["y"].to_numpy())
        for _, g in data.groupby("group")
    ]
    _, beta = restricted_loglik(theta, groups)
    np.testing.assert_allclose(beta, fit.fe_params.to_numpy(), rtol=1e-6)
    grad, hess = derivatives(lambda t: restricted_loglik(t, groups)[0], theta, free_ix)
    se = np.sqrt(np.diag(np.linalg.inv(-hess)))
    assert np.all(np.abs(grad) * se < STATIONARY), (grad, se)

    names = ["sigma_alpha", "sigma_beta", "rho", "sigma"]
    out = {
        "mu_alpha": (float(fit.fe_params.iloc[0]), float(fit.bse_fe.iloc[0])),
        "mu_beta": (float(fit.fe_params.iloc[1]), float(fit.bse_fe.iloc[1])),
    }
    out |= {names[i]: (float(theta[i]), float(s)) for i, s in zip(free_ix, se, strict=True)}
    return out


@pytest.mark.parametrize("model", list(PLANTED))
def test_posterior_means_match_reml(model: str, tmp_path: Path) -> None:
    rho, seed = PLANTED[model]
    sim = simulate_grouped(design(), rho=rho, rng=seed, **POPULATION)
    reference = reml_reference(sim.data, diagonal=model == "varying_slopes")

    table = sim.data.rename(
        columns={"y": COLUMNS["y"], "x": COLUMNS["x"], "group": COLUMNS["group"]}
    )
    result = fit_model(
        "grouped", model, data=table, columns=COLUMNS, store=FitStore(tmp_path), **SAMPLER
    )
    diagnostics = result.record["diagnostics"]
    assert diagnostics["divergences"] == 0
    assert diagnostics["max_r_hat"] < 1.01
    posterior = result.idata.posterior

    rows = []
    for name, (estimate, se) in reference.items():
        mean = float(posterior[name].mean())
        rows.append((name, mean, estimate, se, abs(mean - estimate) / se))
    report = "\n".join(
        f"{model:>15} {n:>12}  posterior {m:8.4f}  REML {e:8.4f}  SE {s:7.4f}  |diff|/SE {z:5.2f}"
        for n, m, e, s, z in rows
    )
    print(report)
    assert all(z < TOLERANCE_SE for *_, z in rows), report
