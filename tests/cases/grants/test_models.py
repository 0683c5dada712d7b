"""Structure tests for teachkit.cases.grants.models (no MCMC)."""

from __future__ import annotations

import numpy as np
import pymc as pm
import pytest
import xarray as xr
from scipy import stats
from scipy.special import expit

from teachkit.cases.grants.models import (
    GRANTS_MODELS,
    build_grants_model,
    pointwise_log_likelihood,
)
from teachkit.datasets import load_nwo_grants
from teachkit.errors import TeachkitError
from teachkit.inference import attach_data

NWO = load_nwo_grants()
N_PRIOR = 2000


@pytest.mark.parametrize(
    ("model", "free"),
    [("gender", ["alpha"]), ("gender_discipline", ["alpha", "beta"]),
     ("multilevel", ["alpha", "tau", "beta"])],
)  # fmt: skip
def test_free_variables_and_coords(model: str, free: list[str]) -> None:
    built = build_grants_model(NWO, model)
    m = built.model
    assert [v.name for v in m.free_RVs] == free
    assert m.coords["gender"] == ("f", "m")
    assert m.coords["discipline"] == tuple(NWO["discipline"].cat.categories)
    assert m.named_vars_to_dims["alpha"] == ("gender",)
    if "beta" in free:
        assert m.named_vars_to_dims["beta"] == ("discipline",)
    assert [v.name for v in m.observed_RVs] == ["awards"]
    np.testing.assert_array_equal(m["awards_observed"].get_value(), NWO["awards"])
    assert "gender_gap" in {v.name for v in m.deterministics}


@pytest.mark.parametrize(
    ("model", "name", "reference"),
    [
        ("gender", "alpha", stats.norm(0, 2)),
        ("gender_discipline", "alpha", stats.norm(0, 2)),
        ("gender_discipline", "beta", stats.norm(0, 1)),
        ("multilevel", "tau", stats.halfcauchy(scale=5)),
    ],
)
def test_priors_match_the_lecture(model: str, name: str, reference) -> None:
    built = build_grants_model(NWO, model)
    m = built.model
    shape = tuple(len(m.coords[d]) for d in m.named_vars_to_dims.get(name, ()))
    for x in (0.05, 0.5, 1.5, 4.0):
        logp = pm.logp(m[name], np.full(shape, x)).eval()
        np.testing.assert_allclose(logp, reference.logpdf(np.full(shape, x)), rtol=1e-6)


def test_multilevel_beta_is_normal_with_sd_tau() -> None:
    built = build_grants_model(NWO, "multilevel")
    m = built.model
    beta = np.linspace(-1, 1, 9)
    logp = pm.logp(m["beta"], beta).eval({m["tau"]: 0.7})
    np.testing.assert_allclose(logp, stats.norm(0, 0.7).logpdf(beta), rtol=1e-6)


@pytest.mark.parametrize("model", GRANTS_MODELS)
def test_gender_gap_is_the_application_weighted_probability_gap(model: str) -> None:
    built = build_grants_model(NWO, model)
    m = built.model
    names = ["alpha", "gender_gap"] + ([] if model == "gender" else ["beta"])
    draws = dict(zip(names, pm.draw([m[n] for n in names], draws=N_PRIOR, random_seed=3),
                     strict=True))  # fmt: skip
    alpha = draws["alpha"]
    if model == "gender":
        expected = expit(alpha[:, 1]) - expit(alpha[:, 0])
    else:
        apps = NWO.groupby("discipline", observed=True)["applications"].sum().to_numpy()
        beta = draws["beta"]
        gap = expit(alpha[:, [1]] + beta) - expit(alpha[:, [0]] + beta)
        expected = (gap * apps).sum(axis=1) / apps.sum()
    np.testing.assert_allclose(draws["gender_gap"], expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("model", GRANTS_MODELS)
def test_pointwise_log_likelihood_matches_pymc(model: str) -> None:
    """Our numpy log-likelihood against PyMC's compute_log_likelihood at random draws."""
    import arviz as az

    built = build_grants_model(NWO, model)

    m = built.model
    rng = np.random.default_rng(0)
    posterior = {"alpha": rng.normal(-1.5, 0.3, (2, 5, 2))}
    if model != "gender":
        posterior["beta"] = rng.normal(0, 0.5, (2, 5, 9))
    if model == "multilevel":
        posterior["tau"] = rng.uniform(0.1, 1, (2, 5))
    dims = {"alpha": ["gender"], "beta": ["discipline"]}
    idata = az.from_dict(posterior=posterior, dims=dims, coords=m.coords)
    theirs = pm.compute_log_likelihood(idata, model=m, progressbar=False).log_likelihood
    ours = pointwise_log_likelihood(attach_data(idata, built.spec))
    np.testing.assert_allclose(ours["awards"].to_numpy(), theirs["awards"].to_numpy(), rtol=1e-10)
    assert isinstance(ours, xr.Dataset)


def test_bad_input() -> None:
    with pytest.raises(TeachkitError, match="unknown grants model 'probit'; choose one of: gender"):
        build_grants_model(NWO, "probit")  # type: ignore[arg-type]
    with pytest.raises(TeachkitError, match=r"lacks column.*awards"):
        build_grants_model(NWO.drop(columns="awards"))
