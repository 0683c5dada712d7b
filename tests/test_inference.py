"""Tests for teachkit.inference: diagnostics and summaries on known inputs; real fits."""

from __future__ import annotations

import arviz as az
import numpy as np
import pandas as pd
import pytest

from teachkit.cases.grants.models import build_grants_model
from teachkit.cases.ozone.models import build_ozone_model
from teachkit.compiled import CompiledModelCache
from teachkit.errors import TeachkitError
from teachkit.fitmeta import FitMeta
from teachkit.inference import ESS_MIN, RHAT_MAX, diagnose, fit, summary
from teachkit.loo import add_log_likelihood
from teachkit.registry import get_case
from teachkit.simulate import simulate_grants, simulate_ozone

CHAINS, DRAWS = 4, 500
#: How many Monte-Carlo standard errors a posterior mean may stray from its exact value.
Z_MC = 4.0


def synthetic(
    *,
    shift: float = 0.0,
    divergences: int = 0,
    draws: int = DRAWS,
    parameterization: str | None = "noncentered",
    parameters: tuple[str, ...] = ("mu_alpha", "sigma", "alpha"),
    seed: int = 0,
) -> az.InferenceData:
    """InferenceData with iid normal draws (chain c shifted by c * shift) and planted stats."""
    rng = np.random.default_rng(seed)
    offsets = shift * np.arange(CHAINS)[:, None]
    posterior = {
        "mu_alpha": rng.normal(size=(CHAINS, draws)) + offsets,
        "sigma": np.abs(rng.normal(size=(CHAINS, draws))) + 1,
        "alpha": rng.normal(size=(CHAINS, draws, 3)),
    }
    diverging = np.zeros((CHAINS, draws), dtype=bool)
    diverging.flat[:divergences] = True
    idata = az.from_dict(
        posterior=posterior,
        sample_stats={"diverging": diverging, "energy": rng.normal(size=(CHAINS, draws))},
        dims={"alpha": ["station"]},
        coords={"station": [0, 1, 2]},
    )
    options = {} if parameterization is None else {"parameterization": parameterization}
    meta = FitMeta(
        case="ozone",
        model="covarying" if options else "pooled",
        options=options,
        parameters=parameters,
        hyperparameters=("mu_alpha", "sigma"),
        target_accept=0.9,
    )
    return meta.write(idata)


def test_healthy_fit_has_no_advice() -> None:
    d = diagnose(synthetic())
    assert d.ok and d.advice == ()
    assert d.divergences == 0
    assert d.max_r_hat < RHAT_MAX and d.min_ess_bulk > ESS_MIN
    assert d.to_dict()["advice"] == []


def test_divergences_without_a_cases_advice_get_general_advice() -> None:
    """diagnose itself knows no case's options: the advice on centring is the case's."""
    (advice,) = diagnose(synthetic(divergences=3, parameterization="centered")).advice
    assert advice.startswith("3 divergent transitions: the sampler met curvature")
    assert "--target-accept 0.95" in advice and "noncentered" not in advice


def test_a_cases_advice_replaces_its_problems_line_and_adds_its_own() -> None:
    def advice(idata, generic):
        assert set(generic) == {"divergences"}
        return {"divergences": "the case's word", "extra": "and one more"}

    d = diagnose(synthetic(divergences=1), advice=advice)
    assert d.advice == ("the case's word", "and one more")


def test_a_healthy_fit_asks_no_case_for_advice() -> None:
    def advice(idata, generic):
        raise AssertionError("asked without a problem")

    assert diagnose(synthetic(), advice=advice).advice == ()


def test_disagreeing_chains_raise_r_hat() -> None:
    d = diagnose(synthetic(shift=1.0))
    assert d.max_r_hat > 1.1
    assert any(a.startswith("R-hat") for a in d.advice)


def test_few_draws_give_ess_advice() -> None:
    d = diagnose(synthetic(draws=50))
    assert d.min_ess_bulk < ESS_MIN
    assert any("effective sample size" in a for a in d.advice)


def test_summary_rows_use_canonical_names_in_order() -> None:
    table = summary(synthetic())
    assert list(table.index) == ["mu_alpha", "sigma", "alpha[0]", "alpha[1]", "alpha[2]"]
    for col in ("mean", "sd", "hdi_3%", "hdi_97%", "r_hat", "ess_bulk", "ess_tail"):
        assert col in table.columns


def test_a_fit_made_elsewhere_is_summarised_and_diagnosed_whole() -> None:
    """No teachkit metadata (e.g. pm.sample's draws): every posterior variable, generic advice."""
    idata = synthetic(divergences=2)
    idata.posterior.attrs.clear()
    assert list(summary(idata).index) == ["mu_alpha", "sigma", "alpha[0]", "alpha[1]", "alpha[2]"]
    (advice,) = diagnose(idata, advice=get_case("ozone").fit_advice).advice
    assert advice.startswith("2 divergent transitions: the sampler met curvature")
    assert "--target-accept 0.975" in advice  # from the default target acceptance rate, 0.95


def test_summary_follows_the_order_of_the_models_parameters() -> None:
    table = summary(synthetic(parameters=("alpha", "sigma", "mu_alpha")))
    assert list(table.index) == ["alpha[0]", "alpha[1]", "alpha[2]", "sigma", "mu_alpha"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sampler": "gibbs"}, "unknown sampler 'gibbs'; choose one of: nutpie, pymc"),
        ({"draws": 0}, "draws must be a whole number in \\[1, 1000000\\]"),
        ({"chains": 1.5}, "chains must be a whole number in \\[1, 64\\]"),
        ({"seed": -3}, "seed must be a whole number in \\[0, "),
    ],
)
def test_fit_rejects_bad_options(kwargs: dict, match: str) -> None:
    model = build_grants_model(simulate_grants(rng=0).data, "gender")
    with pytest.raises(TeachkitError, match=match):
        fit(model, **kwargs)


def test_fit_needs_what_a_builder_returns() -> None:
    """A bare pm.Model (e.g. after pm.do) is refused, not fitted without teachkit's spec."""
    import pymc as pm

    built = build_grants_model(simulate_grants(rng=0).data, "gender")
    intervened = pm.do(built.model, {"alpha": np.zeros(2)})
    with pytest.raises(TeachkitError, match="expected what a teachkit model builder returns"):
        fit(intervened)
    assert built.with_model(intervened).spec == built.spec


@pytest.mark.slow
def test_nutpie_fit_has_every_group_and_reuses_the_compiled_model() -> None:
    first = simulate_ozone(n_stations=4, n_days=60, rng=1)
    second = simulate_ozone(n_stations=4, n_days=60, mu=(2.0, 0.08), rng=2)
    cache = CompiledModelCache()
    fits = [
        fit(build_ozone_model(sim.data, "pooled"), draws=300, tune=300, seed=3, progress=False,
            cache=cache)
        for sim in (first, second)
    ]  # fmt: skip
    for idata, sim in zip(fits, (first, second), strict=True):
        groups = set(idata.groups())
        assert {"posterior", "sample_stats", "observed_data", "constant_data"} <= groups
        assert "log_likelihood" not in groups  # computed only when LOO asks for it
        pointwise = add_log_likelihood(idata, get_case("ozone")).log_likelihood["log_ozone"]
        assert pointwise.shape == (4, 300, 240)
        np.testing.assert_array_equal(idata.observed_data["log_ozone"], sim.data["log_ozone"])
        assert not any(name.endswith("__") for name in idata.posterior.data_vars)
        assert FitMeta.of(idata).model == "pooled"
    # the second fit swapped the data into the compiled model: no compilation, new answer
    assert (cache.misses, cache.hits, len(cache)) == (1, 1, 1)
    for idata, sim in zip(fits, (first, second), strict=True):
        # with 240 rows the priors barely move the posterior off least squares, so the
        # posterior mean of beta is the least-squares slope up to Monte-Carlo error
        slope = np.polyfit(sim.data["TEMP"], sim.data["log_ozone"], 1)[0]
        mcse = float(az.mcse(idata, var_names=["beta"])["beta"])
        assert abs(float(idata.posterior["beta"].mean()) - slope) < Z_MC * mcse


@pytest.mark.slow
def test_pymc_sampler_gives_the_same_groups() -> None:
    model = build_grants_model(simulate_grants(rng=4).data, "gender")
    idata = fit(model, sampler="pymc", draws=200, tune=200, chains=2, seed=5, progress=False)
    assert FitMeta.of(idata).sampler == "pymc"
    pointwise = add_log_likelihood(idata, get_case("grants")).log_likelihood["awards"]
    assert pointwise.shape == (2, 200, 18)
    assert "gender_gap" in idata.posterior
    assert isinstance(summary(idata), pd.DataFrame)
    assert FitMeta.of(idata).case == "grants"


@pytest.mark.slow
@pytest.mark.parametrize("likelihood", ["sufficient", "pointwise"])
def test_reused_compiled_model_sees_new_outcomes(likelihood: str) -> None:
    """Same structure, same predictors, different outcomes: the posterior must follow them."""
    sim = simulate_ozone(n_stations=3, n_days=50, rng=4)
    shifted = sim.data.assign(log_ozone=sim.data["log_ozone"] + 2.0)
    means = []
    for data in (sim.data, shifted):
        model = build_ozone_model(data, "pooled", likelihood=likelihood)
        idata = fit(model, draws=200, tune=200, chains=2, seed=1, progress=False)
        means.append(float(idata.posterior["alpha"].mean()))
    assert means[1] - means[0] == pytest.approx(2.0, abs=0.1)


@pytest.mark.slow
def test_reused_grants_model_sees_new_awards() -> None:
    sim = simulate_grants(rng=5)
    fewer = sim.data.assign(awards=sim.data["awards"] // 2)
    gaps = []
    for data in (sim.data, fewer):
        idata = fit(build_grants_model(data, "gender"), draws=200, tune=200, chains=2, seed=1,
                    progress=False)  # fmt: skip
        gaps.append(float(idata.posterior["alpha"].mean()))
    assert gaps[1] < gaps[0] - 0.5  # half the awards: a much lower log-odds
