"""teachkit.cases.grouped.covariance_prior: the 2 x 2 covariance priors against scipy.

Each log density is compared with an independent reference: scipy's densities of the two sds
and of (rho + 1) / 2 ~ Beta(eta, eta), mapped by the Jacobian of the coordinates the sampler
moves in; and the lecture's HalfCauchy(1) density integrates to one.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from teachkit.cases.grouped.covariance_prior import cholesky_2x2_logp, regression_cov_logp
from teachkit.cases.grouped.priors import ScalePrior

LKJ_ETA = 2.0
SDS = [
    (ScalePrior("halfcauchy", 1.0), ScalePrior("halfcauchy", 1.0)),
    (ScalePrior("exponential", 3.0), ScalePrior("exponential", 0.2)),
    (ScalePrior("halfnormal", 0.5), ScalePrior("halfcauchy", 4.0)),
]


def scipy_sd(prior: ScalePrior):
    """The frozen scipy distribution of a ScalePrior (the independent reference)."""
    return {
        "halfcauchy": stats.halfcauchy(scale=prior.scale),
        "halfnormal": stats.halfnorm(scale=prior.scale),
        "exponential": stats.expon(scale=prior.scale),
    }[prior.family]


def test_cholesky_2x2_density_integrates_to_one() -> None:
    """Over (s_a, s_b, rho), with the Jacobian s_b / sqrt(1 - rho^2) back to (L00, L10, L11)."""

    def density(rho: float, s_b: float, s_a: float) -> float:
        value = np.array([s_a, rho * s_b, np.sqrt(1 - rho**2) * s_b])
        return np.exp(cholesky_2x2_logp(value, LKJ_ETA)) * s_b / np.sqrt(1 - rho**2)

    # s_a and s_b on (0, 50): HalfCauchy(1) puts 2/pi * atan(50) = 0.98727 of its mass there
    total, _ = integrate.tplquad(density, 0, 50, 0, 50, -1, 1, epsabs=1e-6)
    inside = (2 / np.pi * np.arctan(50)) ** 2
    assert total == pytest.approx(inside, rel=1e-4)


@pytest.mark.parametrize("sds", SDS, ids=lambda s: f"{s[0]}-{s[1]}")
@pytest.mark.parametrize("eta", [1.0, 2.0, 4.5])
def test_both_codings_equal_scipy_at_random_points(sds, eta: float) -> None:
    rng = np.random.default_rng(11)
    ref_a, ref_b = scipy_sd(sds[0]), scipy_sd(sds[1])
    for _ in range(25):
        s_a, s_b, rho = rng.uniform(0.05, 4), rng.uniform(0.05, 4), rng.uniform(-0.95, 0.95)
        prior = (
            ref_a.logpdf(s_a)
            + ref_b.logpdf(s_b)
            + stats.beta(eta, eta).logpdf((rho + 1) / 2)
            - np.log(2)
        )
        packed = np.array([s_a, rho * s_b, np.sqrt(1 - rho**2) * s_b])
        want = prior + np.log(np.sqrt(1 - rho**2) / s_b)
        assert cholesky_2x2_logp(packed, eta, sds=sds) == pytest.approx(want, rel=1e-10)
        c = s_a * np.sqrt(1 - rho**2)
        regression = np.array([s_b, rho * s_a / s_b, c])
        want = prior + np.log(s_b * c / s_a**2)
        assert regression_cov_logp(regression, eta, sds=sds) == pytest.approx(want, rel=1e-10)
