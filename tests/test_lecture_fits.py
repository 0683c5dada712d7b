"""Real fits of every lecture model, and the Beijing results the lecture relies on (slow).

Seeds are fixed in advance (seed 1 is the CLI's default) and were not chosen by retrying.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from teachkit.cli import main
from teachkit.inference import ESS_MIN, RHAT_MAX, fit
from teachkit.loo import add_log_likelihood
from teachkit.pipeline import build_model
from teachkit.registry import get_case

pytestmark = pytest.mark.slow

VARIANTS = [
    ("ozone", "pooled", {}),
    ("ozone", "varying_intercepts", {}),
    ("ozone", "varying_slopes", {}),
    ("ozone", "covarying", {}),
    ("ozone", "covarying", {"parameterization": "centered"}),
    ("grants", "gender", {}),
    ("grants", "gender_discipline", {}),
    ("grants", "multilevel", {}),
]


SIMULATED = {"ozone": {"n_days": 200}, "grants": {}}


def data_for(case: str, source: str):
    study = get_case(case)
    return study.load()[0] if source == "real" else study.simulate(rng=7, **SIMULATED[case]).data


@pytest.mark.parametrize("source", ["real", "simulated"])
@pytest.mark.parametrize(("case", "model", "options"), VARIANTS)
def test_every_model_samples(case: str, model: str, options: dict, source: str) -> None:
    built = build_model(case, model, data_for(case, source), **options)
    idata = fit(built, draws=300, tune=300, chains=2, seed=1, progress=False)
    spec = built.spec
    for name in spec.parameters:
        values = idata.posterior[name].to_numpy()
        assert np.all(np.isfinite(values)), name
    ll = add_log_likelihood(idata, get_case(case)).log_likelihood[next(iter(spec.observed))]
    assert ll.shape == (2, 300, spec.n_obs)
    assert np.all(np.isfinite(ll.to_numpy()))


def run_json(argv: list[str], path: Path) -> dict:
    assert main([*argv, "--json", str(path)]) == 0
    return json.loads(path.read_text())


def test_covarying_on_beijing_passes_its_diagnostics(tmp_path: Path) -> None:
    """4 chains x (1000 tune + 1000 draws), seed 1: the issue's acceptance run."""
    record = run_json(
        ["fit", "ozone", "--model", "covarying", "--data", "beijing"], tmp_path / "fit.json"
    )
    assert record["n_obs"] == 16_966 and record["chains"] == 4 and record["draws"] == 1000
    assert record["diagnostics"]["divergences"] == 0
    hyper = ("mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "rho", "sigma")
    for name in hyper:
        assert record["parameters"][name]["r_hat"] <= RHAT_MAX, name
        assert record["parameters"][name]["ess_bulk"] >= ESS_MIN, name
    assert record["parameters"]["rho"]["hdi_97%"] < 0  # intercepts and slopes co-vary negatively
    assert set(record) >= {"case", "model", "parameterization", "data", "n_obs", "sampler",
                           "chains", "draws", "tune", "seed", "seconds", "diagnostics",
                           "parameters"}  # fmt: skip
    assert "alpha[11]" in record["parameters"] and "beta[0]" in record["parameters"]


def test_centred_covarying_on_the_full_data_is_not_told_to_go_non_centred(tmp_path: Path) -> None:
    """About 1,400 days per station: the data outweigh the population prior (kappa in the
    hundreds), where centring is the form that mixes; a divergence there is not the funnel's,
    and the advice says so with the fit's own kappa instead of the fixed rule."""
    record = run_json(
        ["fit", "ozone", "--model", "covarying", "--parameterization", "centered"],
        tmp_path / "centred.json",
    )
    advice = record["diagnostics"]["advice"]
    assert not any("--parameterization noncentered" in line for line in advice)
    if record["diagnostics"]["divergences"]:
        (line,) = [a for a in advice if "divergent" in a]
        assert "n σ_α²/σ² ≈" in line and "usually the one that mixes well" in line


def test_loo_ranks_the_ozone_models_as_the_lecture_does(tmp_path: Path) -> None:
    record = run_json(
        ["compare", "ozone", "--data", "beijing", "--draws", "500", "--tune", "500"],
        tmp_path / "compare.json",
    )
    order = [m["model"] for m in record["models"]]
    assert set(order[:2]) == {"varying_slopes", "covarying"}
    assert order[2:] == ["varying_intercepts", "pooled"]
    assert record["models"][0]["d_loo"] == 0.0
    assert record["n_obs"] == 16_966


#: What the default covarying fit must reach on every seed (issue 21): its own R-hat threshold,
#: and bulk ESS well above what the non-centred default reached before the shifted coding
#: (450-500 for mu_alpha and mu_beta, whose posterior correlation with temperature uncentred is
#: about -0.97; 406 for mu_alpha at seed 1 when this test is run on the non-centred form).
MU_ESS_MIN = 1000.0
HYPER_ESS_MIN = 600.0


def test_the_default_covarying_fit_converges_on_seeds_1_to_5() -> None:
    """4 chains x (1000 tune + 1000 draws) at the defaults, seeds 1-5 fixed in advance: no
    divergence, every hyperparameter's R-hat within RHAT_MAX, mu's ESS >= 1000, others >= 600.
    One process: the model is compiled once and reused for every seed."""
    import arviz as az

    data = get_case("ozone").load()[0]
    hyper = ["mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "rho", "sigma"]
    for seed in range(1, 6):
        idata = fit(build_model("ozone", "covarying", data), seed=seed, progress=False)
        assert int(idata.sample_stats["diverging"].sum()) == 0, seed
        table = az.summary(idata, var_names=hyper, kind="diagnostics")
        assert (table["r_hat"] <= RHAT_MAX).all(), (seed, table["r_hat"].to_dict())
        for name in hyper:
            floor = MU_ESS_MIN if name.startswith("mu_") else HYPER_ESS_MIN
            assert table.loc[name, "ess_bulk"] >= floor, (seed, name, table.loc[name, "ess_bulk"])
