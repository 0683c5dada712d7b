"""teachkit.cases.grouped.priors: the sd priors against scipy, auto priors, TOML overrides."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pymc as pm
import pytest
from scipy import stats

from teachkit.cases.grouped.priors import (
    AUTO_SCALE,
    SCALE_FAMILIES,
    LinePriors,
    ScalePrior,
    auto_priors,
    read_priors_file,
)
from teachkit.errors import TeachkitError

#: PyMC's densities agree with scipy's to about 2e-9 (their constants are computed differently).
PYMC_REL = 1e-7

REFERENCE = {
    "halfcauchy": lambda s: stats.halfcauchy(scale=s),
    "halfnormal": lambda s: stats.halfnorm(scale=s),
    "exponential": lambda s: stats.expon(scale=s),
}


@pytest.mark.parametrize("family", SCALE_FAMILIES)
@pytest.mark.parametrize("scale", [1.0, 0.3, 7.0])
def test_logp_and_pymc_variable_equal_scipy(family: str, scale: float) -> None:
    prior = ScalePrior(family, scale)
    x = np.array([0.01, 0.5, 2.0, 9.0])
    want = REFERENCE[family](scale).logpdf(x)
    assert prior.logp(x) == pytest.approx(want, rel=1e-12)
    assert prior.logp(x, x**2) == pytest.approx(want, rel=1e-12)
    with pm.Model() as m:
        prior.variable(pm, "s")
    assert np.exp(pm.logp(m["s"], x).eval()) == pytest.approx(np.exp(want), rel=PYMC_REL)
    draws = pm.draw(prior.dist(pm, size=4000), random_seed=1)
    assert stats.kstest(draws, REFERENCE[family](scale).cdf).pvalue > 1e-3


def test_auto_priors_follow_the_documented_formulas() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(10, 2, 200)
    y = 3 + 0.5 * x + rng.normal(0, 1, 200)
    p = auto_priors(y, x)
    s_y, s_x = np.std(y, ddof=1), np.std(x, ddof=1)
    assert p.slope.sd == pytest.approx(AUTO_SCALE * s_y / s_x, rel=1e-2)
    assert p.intercept.mean == pytest.approx(np.mean(y), rel=1e-2)
    extrapolated = AUTO_SCALE * np.hypot(s_y, s_y * np.mean(x) / s_x)
    assert p.intercept.sd == pytest.approx(extrapolated, rel=1e-2)
    assert (p.sigma.family, p.sigma.scale) == ("exponential", pytest.approx(s_y, rel=1e-2))
    assert p.sigma_beta.scale == pytest.approx(s_y / s_x, rel=1e-2)
    assert p.lkj_eta == 2.0 and p.source == "auto"


def test_auto_priors_refuse_constant_data() -> None:
    with pytest.raises(TeachkitError, match="vary"):
        auto_priors(np.ones(5), np.arange(5.0))


def test_a_toml_file_overrides_only_what_it_names(tmp_path: Path) -> None:
    base = auto_priors(np.array([1.0, 2.0, 4.0]), np.array([0.0, 1.0, 2.0]))
    path = tmp_path / "priors.toml"
    path.write_text(
        'beta = { sd = 0.5 }\nsigma_alpha = { family = "halfcauchy", scale = 2 }\nlkj_eta = 4\n',
        encoding="utf-8",
    )
    p = read_priors_file(path, base)
    assert p.slope.sd == 0.5 and p.slope.mean == base.slope.mean
    assert str(p.sigma_alpha) == "HalfCauchy(2)"
    assert p.lkj_eta == 4.0 and p.sigma == base.sigma and p.source == "priors.toml"
    assert isinstance(p, LinePriors)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("tau = { sd = 1 }", "tau"),
        ('sigma = { family = "gamma", scale = 1 }', "halfcauchy"),
        ("sigma = { scale = -1 }", "positive"),
        ("mu_beta = { sd = 0 }", "positive"),
        ("mu_beta = { width = 2 }", "width"),
        ("mu_beta = 3", "table"),
        ("lkj_eta = [", "TOML"),
    ],
)
def test_bad_priors_files_get_one_line(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    base = auto_priors(np.array([1.0, 2.0, 4.0]), np.array([0.0, 1.0, 2.0]))
    with pytest.raises(TeachkitError, match=match) as err:
        read_priors_file(path, base)
    assert "\n" not in str(err.value)
