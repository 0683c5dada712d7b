"""Tests for teachkit.recovery: truth tables on known inputs, and real recoveries (slow)."""

from __future__ import annotations

import re

import arviz as az
import numpy as np
import pytest
from scipy import stats

from teachkit.errors import TeachkitError
from teachkit.fitmeta import FitMeta
from teachkit.recovery import (
    all_hyperparameters_inside,
    group_share_inside,
    model_truth,
    posterior_draws,
    recover,
    recovery_table,
    simulate_for,
)


def fake_fit(seed: int = 0, n: int = 4000):
    """Posterior draws N(0, 1) for mu_alpha and N(j, 0.1) for alpha[j], j = 0..2."""
    rng = np.random.default_rng(seed)
    idata = az.from_dict(
        posterior={
            "mu_alpha": rng.normal(0, 1, (4, n // 4)),
            "alpha": rng.normal(np.arange(3), 0.1, (4, n // 4, 3)),
        },
        dims={"alpha": ["station"]},
        coords={"station": [0, 1, 2]},
    )
    meta = FitMeta(case="ozone", model="varying_intercepts", hyperparameters=("mu_alpha",))
    return meta.write(idata)


def test_recovery_table_rows_and_columns() -> None:
    truth = {"mu_alpha": 0.5, "alpha[0]": 0.0, "alpha[1]": 1.0, "alpha[2]": 5.0}
    table = recovery_table(fake_fit(), truth)
    assert list(table.index) == ["mu_alpha", "alpha[0]", "alpha[1]", "alpha[2]"]
    assert list(table.columns) == [
        "level", "truth", "mean", "sd", "hdi_low", "hdi_high", "inside", "z"]  # fmt: skip
    assert list(table["level"]) == ["hyper", "group", "group", "group"]
    assert list(table["inside"]) == [True, True, True, False]
    # N(0, 1) draws: the 94% HDI is about +/- 1.88 (width 3.76), z = (mean - truth) / sd ~ -0.5
    width = table.loc["mu_alpha", "hdi_high"] - table.loc["mu_alpha", "hdi_low"]
    assert width == pytest.approx(2 * 1.8808, abs=0.1)
    assert table.loc["mu_alpha", "z"] == pytest.approx(-0.5, abs=0.05)
    assert all_hyperparameters_inside(table)
    assert group_share_inside(table) == pytest.approx(2 / 3)
    assert table.attrs["hdi_prob"] == 0.94
    assert table.attrs["all_hyperparameters_inside"] is True


@pytest.mark.parametrize("missing", ["nope", "alpha[7]"])
def test_recovery_table_refuses_a_truth_the_fit_does_not_have(missing: str) -> None:
    """A planted name that cannot be found is an error, not a silently shorter table."""
    with pytest.raises(TeachkitError, match=f"cannot compare the truth of {re.escape(missing)}"):
        recovery_table(fake_fit(), {"mu_alpha": 0.5, missing: 1.0})


def test_recovery_table_hdi_prob_is_checked() -> None:
    with pytest.raises(ValueError, match="hdi_prob must lie strictly between 0 and 1"):
        recovery_table(fake_fit(), {"mu_alpha": 0.0}, hdi_prob=1.0)


def test_posterior_draws_by_canonical_name() -> None:
    idata = fake_fit()
    # N(2, 0.1) draws: the mean's Monte-Carlo standard error is 0.1 / sqrt(4000)
    assert abs(posterior_draws(idata, "alpha[2]").mean() - 2.0) < 4 * 0.1 / np.sqrt(4000)
    assert posterior_draws(idata, "mu_alpha").shape == (4000,)
    assert posterior_draws(idata, "alpha").shape == (4000, 3)
    for missing in ("alpha[7]", "beta[0]", "sigma", "direct_effect"):
        with pytest.raises(KeyError):
            posterior_draws(idata, missing)


@pytest.mark.parametrize(
    ("model", "equal_alpha", "equal_beta", "rho"),
    [("pooled", True, True, None), ("varying_intercepts", False, True, None),
     ("varying_slopes", False, False, 0.0), ("covarying", False, False, -0.9)],
)  # fmt: skip
def test_simulate_for_plants_data_the_model_is_true_for(model, equal_alpha, equal_beta, rho):
    sim = simulate_for("ozone", model, rng=0, n_days=5)
    alpha = np.array([sim.truth[f"alpha[{j}]"] for j in range(12)])
    beta = np.array([sim.truth[f"beta[{j}]"] for j in range(12)])
    assert bool(np.ptp(alpha) == 0) is equal_alpha
    assert bool(np.ptp(beta) == 0) is equal_beta
    if rho is not None:
        assert sim.truth["rho"] == rho
    assert set(model_truth("ozone", model, sim)) <= set(sim.truth) | {"alpha", "beta"}


def test_model_truth_of_the_pooled_model_is_the_population_line() -> None:
    sim = simulate_for("ozone", "pooled", rng=0, n_days=5)
    truth = model_truth("ozone", "pooled", sim)
    assert truth == {"sigma": sim.truth["sigma"], "alpha": sim.truth["mu_alpha"],
                     "beta": sim.truth["mu_beta"]}  # fmt: skip


def test_gender_model_truth_is_the_logit_of_each_genders_award_rate() -> None:
    """Independent check: expected awards over applications, from the simulation's own p."""
    sim = simulate_for("grants", "gender", rng=3, applications=100_000)
    truth = model_truth("grants", "gender", sim)
    observed = sim.data.groupby("gender", observed=True)[["awards", "applications"]].sum()
    for g in ("f", "m"):
        rate = observed.loc[g, "awards"] / observed.loc[g, "applications"]
        se = np.sqrt(rate * (1 - rate) / observed.loc[g, "applications"])
        assert abs(rate - 1 / (1 + np.exp(-truth[f"alpha[{g}]"]))) < 4 * se
    assert truth["gender_gap"] == sim.truth["total_gap"]
    assert truth["alpha[m]"] - truth["alpha[f]"] != pytest.approx(sim.truth["direct_effect"])


def test_discipline_model_truth_has_the_direct_effect() -> None:
    sim = simulate_for("grants", "multilevel", rng=3, direct_effect=0.3)
    truth = model_truth("grants", "multilevel", sim)
    assert truth["direct_effect"] == 0.3
    assert truth["gender_gap"] == sim.truth["direct_gap"]
    assert truth["tau"] == sim.truth["tau"] and "beta[D1]" in truth


# Recovery in CI. The seed of every variant is 1, the CLI's default, fixed before the first run
# and never changed to make a test pass. Each hyperparameter's 94% HDI misses its truth with
# probability about 0.06 even for a perfect sampler, so a failure here is a signal to look at,
# not something to silence by trying other seeds.
RECOVERY_SEED = 1
VARIANTS = [
    ("grants", "gender", {}),
    ("grants", "gender_discipline", {"direct_effect": 0.3}),
    ("grants", "multilevel", {"direct_effect": 0.3}),
    ("ozone", "pooled", {}),
    ("ozone", "varying_intercepts", {}),
    ("ozone", "varying_slopes", {}),
    ("ozone", "covarying", {}),
    ("ozone", "spatial_intercepts", {}),
]


#: Each model's rows in the recovery table: (hyperparameters, group-level entries).
STATIONS = [f"alpha[{j}]" for j in range(12)], [f"beta[{j}]" for j in range(12)]
DISCIPLINES = [f"beta[D{d}]" for d in range(1, 10)]
GRANTS_HYPER = ["alpha[f]", "alpha[m]", "direct_effect", "gender_gap"]
EXPECTED_ROWS = {
    ("grants", "gender"): (["alpha[f]", "alpha[m]", "gender_gap"], []),
    ("grants", "gender_discipline"): (GRANTS_HYPER, DISCIPLINES),
    ("grants", "multilevel"): (["tau", *GRANTS_HYPER], DISCIPLINES),
    ("ozone", "pooled"): (["alpha", "beta", "sigma"], []),
    ("ozone", "varying_intercepts"): (["mu_alpha", "sigma_alpha", "beta", "sigma"], STATIONS[0]),
    ("ozone", "varying_slopes"): (
        ["mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "sigma"], STATIONS[0] + STATIONS[1]),
    ("ozone", "covarying"): (
        ["mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "rho", "sigma"],
        STATIONS[0] + STATIONS[1]),
    ("ozone", "spatial_intercepts"): (
        ["mu_alpha", "sigma_alpha", "sigma_gp", "ell", "beta", "sigma"], STATIONS[0]),
}  # fmt: skip
#: Probability that a test of the group-level entries fails for a calibrated posterior.
GROUP_ALPHA = 1e-3


def fewest_inside(n: int, prob: float = 0.94, alpha: float = GROUP_ALPHA) -> int:
    """Smallest count k with P(fewer than k of n calibrated intervals hold their truth) < alpha.

    The entries are treated as independent Bernoulli(prob) (they are nearly so given the
    hyperparameters); for 12 stations this is 8, for 24 entries 18.
    """
    return int(stats.binom.ppf(alpha, n, prob))


@pytest.mark.slow
@pytest.mark.parametrize(("case", "model", "options"), VARIANTS)
def test_model_recovers_what_was_planted(case: str, model: str, options: dict) -> None:
    """Every hyperparameter inside its 94% HDI; enough group-level ones (``fewest_inside``).

    Seeds are fixed and chosen in advance (RECOVERY_SEED), never by retrying until the test
    passes. The row sets are spelled out, so a parameter that stops being compared fails.
    """
    table = recover(case, model, seed=RECOVERY_SEED, **options)
    hyper_rows, group_rows = EXPECTED_ROWS[(case, model)]
    assert sorted(table.index[table["level"] == "hyper"]) == sorted(hyper_rows)
    assert sorted(table.index[table["level"] == "group"]) == sorted(group_rows)
    hyper = table[table["level"] == "hyper"]
    assert hyper["inside"].all(), hyper
    group = table.loc[table["level"] == "group", "inside"]
    assert int(group.sum()) >= fewest_inside(len(group)), table


# The cafés of Statistical Rethinking (the book's settings: 20 cafés x 10 visits, a = 3.5,
# b = -1, sigma_a = 1, sigma_b = 0.5, rho = -0.7, sigma = 0.5), planted on the design of a
# user's file read with the user's column names. The seeds were fixed before the first run.
CAFES_SEEDS = (1, 2, 3)


@pytest.mark.slow
@pytest.mark.parametrize("seed", CAFES_SEEDS)
def test_grouped_covarying_recovers_the_cafes_on_a_users_design(seed: int, tmp_path) -> None:
    from teachkit.cases.grouped import load_cafes
    from teachkit.cases.grouped.simulate import CAFES
    from teachkit.registry import get_case
    from teachkit.store import FitStore

    study = get_case("grouped").configured(columns={"y": "wait", "x": "afternoon", "group": "cafe"})
    table = recover(
        study, "covarying", seed=seed, data=load_cafes(), draws=500, tune=500, chains=4,
        store=FitStore(tmp_path),
    )  # fmt: skip
    assert table.attrs["case"] == "grouped" and table.attrs["data"] == "table"
    hyper = table[table["level"] == "hyper"]
    assert sorted(hyper.index) == sorted(CAFES)
    assert hyper["truth"].to_dict() == CAFES
    assert hyper["inside"].all(), hyper
    group = table.loc[table["level"] == "group", "inside"]
    assert len(group) == 40 and int(group.sum()) >= fewest_inside(len(group)), table


def test_recover_plants_on_the_users_design_and_keeps_the_models_planted_settings() -> None:
    """The design is the table's; a given truth sits below the model's own planting."""
    import pandas as pd

    from teachkit.registry import get_case

    study = get_case("grouped").configured(columns={"y": "t", "x": "day", "group": "subject"})
    user = pd.DataFrame(
        {"subject": list("aaabbbccc"), "day": [0, 3, 9] * 3, "t": np.arange(9.0) ** 1.5}
    )
    bound = study.with_data(study.check(user))
    sim = simulate_for(bound, "varying_slopes", rng=0, sigma_beta=2.0)
    assert sim.data[["subject", "day"]].equals(user[["subject", "day"]].astype({"day": float}))
    assert sim.truth["rho"] == 0.0 and sim.truth["sigma_beta"] == 2.0
