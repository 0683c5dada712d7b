"""Tests for teachkit.simulate.ozone: the planted truth and the data it generates."""

from __future__ import annotations

import json

import numpy as np
import pytest

from teachkit.datasets import OZONE_COLUMNS, check_ozone_frame, load_beijing_ozone
from teachkit.simulate import simulate_ozone

#: Allowed deviation in standard errors (fixed seeds; a correct simulator fails with p < 1e-4).
Z_TOL = 4.0
#: How far (deg C) the simulator's default mean temperature may lie from the lecture's table.
REALISM_TOL_C = 0.5


def planted(sim, name: str) -> np.ndarray:
    n = sum(k.startswith(f"{name}[") for k in sim.truth)
    return np.array([sim.truth[f"{name}[{j}]"] for j in range(n)])


def test_columns_match_the_real_table() -> None:
    sim = simulate_ozone(n_stations=4, n_days=30, rng=0)
    assert list(sim.data.columns) == list(OZONE_COLUMNS)
    real = load_beijing_ozone()
    for col in OZONE_COLUMNS:
        assert sim.data[col].dtype.kind == real[col].dtype.kind, col
    check_ozone_frame(sim.data)
    assert len(sim.data) == 4 * 30
    assert sorted(sim.data["station"].unique()) == [f"station_{j:02d}" for j in range(4)]
    np.testing.assert_allclose(sim.data["log_ozone"], np.log(sim.data["O3"]))


def test_truth_has_canonical_names_and_is_json() -> None:
    sim = simulate_ozone(n_stations=3, n_days=5, rng=0)
    expected = ["mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "rho", "sigma"]
    expected += [f"alpha[{j}]" for j in range(3)] + [f"beta[{j}]" for j in range(3)]
    assert list(sim.truth) == expected
    assert json.loads(sim.truth_json()) == sim.truth


def test_planted_effects_match_requested_correlation_and_sds() -> None:
    n = 4000
    mu, sds, rho = (3.4, 0.05), (0.2, 0.01), -0.8
    sim = simulate_ozone(n_stations=n, n_days=1, mu=mu, sds=sds, rho=rho, rng=1)
    alpha, beta = planted(sim, "alpha"), planted(sim, "beta")
    # SE of a sample correlation ~ (1 - rho^2) / sqrt(n); of a sample sd ~ sd / sqrt(2 n)
    assert abs(np.corrcoef(alpha, beta)[0, 1] - rho) < Z_TOL * (1 - rho**2) / np.sqrt(n)
    for values, m, s in ((alpha, mu[0], sds[0]), (beta, mu[1], sds[1])):
        assert abs(values.std(ddof=1) - s) < Z_TOL * s / np.sqrt(2 * n)
        assert abs(values.mean() - m) < Z_TOL * s / np.sqrt(n)


def test_outcome_is_the_station_line_plus_noise() -> None:
    """Least squares on one long station recovers its planted line and sigma."""
    n_days, sigma = 20_000, 0.6
    sim = simulate_ozone(n_stations=1, n_days=n_days, sigma=sigma, rng=2)
    t, y = sim.data["TEMP"].to_numpy(), sim.data["log_ozone"].to_numpy()
    design = np.column_stack([np.ones_like(t), t])
    coef, rss, *_ = np.linalg.lstsq(design, y, rcond=None)
    se = sigma * np.sqrt(np.diag(np.linalg.inv(design.T @ design)))
    assert abs(coef[0] - sim.truth["alpha[0]"]) < Z_TOL * se[0]
    assert abs(coef[1] - sim.truth["beta[0]"]) < Z_TOL * se[1]
    assert abs(np.sqrt(rss[0] / (n_days - 2)) - sigma) < Z_TOL * sigma / np.sqrt(2 * n_days)


def test_temperature_looks_like_beijing() -> None:
    """The simulator's seasonal mean is Beijing's; the simulated mean differs by MC error.

    The day-to-day weather is AR(1) with sd 3.9 and lag-one correlation 0.6, so the mean of n
    days has variance sd^2 (1 + phi) / ((1 - phi) n) (Box and Jenkins); over four whole years
    the seasonal cycle averages out.
    """
    from teachkit.cases.ozone.simulate import simulate_temperature

    n_days, sd, phi = 1461, 3.9, 0.6
    planted = simulate_temperature.__kwdefaults__["mean"]
    sim = simulate_ozone(n_stations=2, n_days=n_days, rng=3)
    se_mean = np.sqrt(sd**2 * (1 + phi) / ((1 - phi) * n_days))
    assert abs(sim.data["TEMP"].mean() - planted) < Z_TOL * se_mean
    # the default was read off the Beijing days with ozone and temperature (17,411 rows); the
    # lecture's table drops a few hundred more days
    real = load_beijing_ozone()
    assert abs(planted - real["TEMP"].mean()) < REALISM_TOL_C
    assert sim.data["TEMP"].std() == pytest.approx(real["TEMP"].std(), rel=0.15)
    july = sim.data["date"].dt.month == 7
    january = sim.data["date"].dt.month == 1
    assert sim.data.loc[july, "TEMP"].mean() - sim.data.loc[january, "TEMP"].mean() > 20


@pytest.mark.parametrize(
    ("sds", "rho", "equal_alpha", "equal_beta"),
    [
        ((0.2, 0.01), 0.0, False, False),  # independent varying slopes
        ((0.2, 0.0), -0.9, False, True),  # varying intercepts, common slope
        ((0.0, 0.0), -0.9, True, True),  # pooled
    ],
)
def test_special_settings_plant_simpler_models(sds, rho, equal_alpha, equal_beta) -> None:
    sim = simulate_ozone(n_stations=50, n_days=2, sds=sds, rho=rho, rng=4)
    alpha, beta = planted(sim, "alpha"), planted(sim, "beta")
    assert bool(np.ptp(alpha) < 1e-12) is equal_alpha
    assert bool(np.ptp(beta) < 1e-12) is equal_beta
    if equal_beta:
        np.testing.assert_allclose(beta, sim.truth["mu_beta"], atol=1e-12)


def test_missing_rate() -> None:
    n, rate = 20 * 500, 0.1
    sim = simulate_ozone(n_stations=20, n_days=500, missing_rate=rate, rng=5)
    missing = sim.data["log_ozone"].isna()
    assert (missing == sim.data["O3"].isna()).all()
    assert sim.data["TEMP"].notna().all()
    assert abs(missing.mean() - rate) < Z_TOL * np.sqrt(rate * (1 - rate) / n)


def test_same_seed_same_bytes_different_seed_differs(tmp_path) -> None:
    files = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        sim = simulate_ozone(n_stations=3, n_days=20, rng=seed)
        sim.save(tmp_path / f"{name}.csv", tmp_path / f"{name}.json")
        files.append(
            ((tmp_path / f"{name}.csv").read_bytes(), (tmp_path / f"{name}.json").read_bytes())
        )
    assert files[0] == files[1]
    assert files[0][0] != files[2][0] and files[0][1] != files[2][1]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"rho": 1.0}, r"rho must be a number in \(-1, 1\)"),
        ({"rho": -1.5}, r"rho must be a number in \(-1, 1\)"),
        ({"sds": (-0.1, 0.01)}, "sigma_alpha must be a number >= 0"),
        ({"sds": (0.1, float("nan"))}, "sigma_beta must be a number >= 0"),
        ({"sigma": 0.0}, "sigma must be a number > 0"),
        ({"n_stations": 0}, "n_stations must be a whole number in \\[1, "),
        ({"n_days": 0}, "n_days must be a whole number in \\[1, "),
        ({"n_days": 2.5}, "n_days must be a whole number in \\[1, "),
        ({"missing_rate": 1.0}, r"missing_rate must be a number in \[0, 1\)"),
        ({"mu": (1.0,)}, "mu and sds must each hold two numbers"),
    ],
)
def test_bad_input(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        simulate_ozone(**kwargs)


@pytest.mark.parametrize(
    ("sds", "rho"), [((0.18, 0.006), -0.9), ((0.2, 0.0), 0.5), ((0.0, 0.0), 0.0)]
)
def test_exact_moments_plant_the_requested_spread(sds, rho) -> None:
    sim = simulate_ozone(n_stations=12, n_days=2, sds=sds, rho=rho, exact_moments=True, rng=3)
    alpha, beta = planted(sim, "alpha"), planted(sim, "beta")
    np.testing.assert_allclose([alpha.mean(), beta.mean()], [3.45, 0.054], atol=1e-12)
    np.testing.assert_allclose([alpha.std(ddof=1), beta.std(ddof=1)], sds, atol=1e-12)
    if min(sds) > 0:
        assert np.corrcoef(alpha, beta)[0, 1] == pytest.approx(rho, abs=1e-12)


def test_exact_moments_need_three_stations() -> None:
    with pytest.raises(ValueError, match="at least 3 stations"):
        simulate_ozone(n_stations=2, n_days=2, exact_moments=True)
