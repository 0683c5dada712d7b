"""Tests for teachkit.simulate.grants: confounding through discipline, and the exact gaps."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.special import expit

from teachkit.datasets import GRANTS_COLUMNS, load_nwo_grants
from teachkit.simulate import simulate_grants
from teachkit.simulate.grants import expected_gaps

Z_TOL = 4.0


def observed_gap_and_se(sim) -> tuple[float, float]:
    """Observed gap in award rates (m - f) and its binomial SE given the applications."""
    df = sim.data
    names = list(df["discipline"].cat.categories)
    gap, var = 0.0, 0.0
    for gender, sign in (("m", 1.0), ("f", -1.0)):
        rows = df[df["gender"] == gender].set_index("discipline").loc[names]
        apps = rows["applications"].to_numpy()
        alpha = sim.truth[f"alpha[{gender}]"]
        p = expit(alpha + np.array([sim.truth[f"beta[{n}]"] for n in names]))
        gap += sign * rows["awards"].sum() / apps.sum()
        var += (apps * p * (1 - p)).sum() / apps.sum() ** 2
    return gap, float(np.sqrt(var))


def test_columns_and_types_match_the_nwo_table() -> None:
    sim = simulate_grants(rng=0)
    real = load_nwo_grants()
    assert list(sim.data.columns) == list(GRANTS_COLUMNS)
    assert list(sim.data.dtypes.astype(str)) == list(real.dtypes.astype(str))
    assert sim.data.shape == (18, 4)
    assert (sim.data["awards"] <= sim.data["applications"]).all()


def test_truth_has_canonical_names_and_is_json() -> None:
    sim = simulate_grants(n_disciplines=3, direct_effect=0.4, rng=0)
    assert list(sim.truth) == [
        "alpha[f]", "alpha[m]", "beta[D1]", "beta[D2]", "beta[D3]",
        "tau", "direct_effect", "total_gap", "direct_gap",
    ]  # fmt: skip
    assert sim.truth["alpha[m]"] - sim.truth["alpha[f]"] == pytest.approx(0.4)
    assert json.loads(sim.truth_json()) == sim.truth


def test_observed_total_gap_agrees_with_exact_gap_without_direct_effect() -> None:
    sim = simulate_grants(direct_effect=0.0, rng=11)
    gap, se = observed_gap_and_se(sim)
    assert sim.truth["direct_gap"] == 0.0
    assert abs(gap - sim.truth["total_gap"]) < Z_TOL * se


def test_default_settings_give_a_total_gap_without_direct_effect() -> None:
    """Women apply where awards are rarer, so the total gap is positive with no direct effect."""
    gaps = np.array(
        [simulate_grants(direct_effect=0.0, rng=s).truth["total_gap"] for s in range(200)]
    )
    assert (gaps > 0).mean() > 0.95
    assert gaps.mean() > Z_TOL * gaps.std() / np.sqrt(len(gaps))


def test_gap_z_scores_are_standard_normal_over_many_simulations() -> None:
    """Over 400 seeds the standardised error of the observed gap has mean 0 and sd 1."""
    n = 400
    z = []
    for seed in range(n):
        sim = simulate_grants(direct_effect=0.0, rng=seed)
        gap, se = observed_gap_and_se(sim)
        z.append((gap - sim.truth["total_gap"]) / se)
    z = np.array(z)
    assert abs(z.mean()) < Z_TOL / np.sqrt(n)
    assert abs(z.std(ddof=1) - 1.0) < Z_TOL / np.sqrt(2 * n)


def test_confounding_off_means_no_total_gap_on_average() -> None:
    gaps = [simulate_grants(confounding=0.0, rng=s).truth["total_gap"] for s in range(200)]
    assert abs(np.mean(gaps)) < Z_TOL * np.std(gaps) / np.sqrt(200)


def test_expected_gaps_closed_form() -> None:
    apps = np.array([[90, 10], [10, 90]])
    p = np.array([[0.3, 0.3], [0.1, 0.1]])
    total, direct = expected_gaps(apps, p)
    assert total == pytest.approx((90 * 0.3 + 10 * 0.1) / 100 - (10 * 0.3 + 90 * 0.1) / 100)
    assert direct == 0.0
    total, direct = expected_gaps(apps, p + np.array([[0.05, 0.0], [0.05, 0.0]]))
    assert direct == pytest.approx(0.05)


def test_same_seed_same_bytes_different_seed_differs(tmp_path) -> None:
    out = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        simulate_grants(rng=seed).save(tmp_path / f"{name}.csv", tmp_path / f"{name}.json")
        out.append(
            (tmp_path / f"{name}.csv").read_bytes() + (tmp_path / f"{name}.json").read_bytes()
        )
    assert out[0] == out[1] != out[2]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_disciplines": 0}, "n_disciplines must be a whole number in \\[1, 10000\\]"),
        ({"applications": -5}, "applications must be a whole number in \\[1, "),
        ({"discipline_sd": -1.0}, "discipline_sd must be a number >= 0"),
        ({"female_share": 1.0}, r"female_share must be a number in \(0, 1\)"),
        ({"direct_effect": float("inf")}, "direct_effect must be a finite number"),
    ],
)
def test_bad_input(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        simulate_grants(**kwargs)
