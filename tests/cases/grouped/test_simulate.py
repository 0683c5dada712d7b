"""teachkit.cases.grouped.simulate: planted truth on a design, the designs, bad settings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from teachkit.cases.grouped.simulate import CAFES, cafes_design, grid_design, simulate_grouped
from teachkit.checks import MAX_ROWS
from teachkit.errors import TeachkitError

#: Allowed deviation of a sample moment from the planted value, in Monte-Carlo standard errors
#: (fixed seeds; a correct simulator fails one such check with probability about 6e-5).
Z_TOL = 4.0
#: A population unlike the cafés' (so the defaults are not what is checked).
POPULATION = {
    "mu_alpha": -2.0,
    "mu_beta": 0.7,
    "sigma_alpha": 1.5,
    "sigma_beta": 0.3,
    "rho": 0.45,
    "sigma": 0.6,
}


def moment_z(a: np.ndarray, b: np.ndarray, truth: dict[str, float]) -> dict[str, float]:
    """Sample moments of normal pairs (a, b) in MC standard errors from the planted ones.

    Large-sample standard errors for normal data: mean s / sqrt(n); sd s / sqrt(2n);
    correlation (1 - rho^2) / sqrt(n) (Fisher 1915, Biometrika 10(4)).
    """
    n = len(a)
    out = {}
    for name, v in (("alpha", a), ("beta", b)):
        mu, sd = truth[f"mu_{name}"], truth[f"sigma_{name}"]
        out[f"mu_{name}"] = (v.mean() - mu) / (sd / np.sqrt(n))
        out[f"sigma_{name}"] = (v.std(ddof=1) - sd) / (sd / np.sqrt(2 * n))
    rho = truth["rho"]
    out["rho"] = (np.corrcoef(a, b)[0, 1] - rho) / ((1 - rho**2) / np.sqrt(n))
    return out


def planted(sim, name: str) -> np.ndarray:
    """The planted alpha or beta of every group, in sorted order of the labels."""
    return np.array([v for k, v in sim.truth.items() if k.startswith(f"{name}[")])


def test_group_lines_follow_the_planted_population() -> None:
    sim = simulate_grouped(grid_design(20_000, 2), rng=4, **POPULATION)
    z = moment_z(planted(sim, "alpha"), planted(sim, "beta"), POPULATION)
    assert all(abs(v) < Z_TOL for v in z.values()), z


def test_residuals_are_normal_with_the_planted_sigma() -> None:
    design = grid_design(400, 25, x=(-3.0, 5.0))
    sim = simulate_grouped(design, rng=5, **POPULATION)
    data, labels = sim.data, sorted(set(sim.data["group"]))
    alpha = dict(zip(labels, planted(sim, "alpha"), strict=True))
    beta = dict(zip(labels, planted(sim, "beta"), strict=True))
    resid = data["y"] - data["group"].map(alpha) - data["group"].map(beta) * data["x"]
    n, sigma = len(resid), POPULATION["sigma"]
    assert abs(resid.mean()) / (sigma / np.sqrt(n)) < Z_TOL
    assert abs(resid.std(ddof=1) - sigma) / (sigma / np.sqrt(2 * n)) < Z_TOL


def test_the_defaults_are_the_cafes() -> None:
    sim = simulate_grouped(rng=1)
    assert {k: sim.truth[k] for k in CAFES} == CAFES
    assert CAFES == {
        "mu_alpha": 3.5,
        "mu_beta": -1.0,
        "sigma_alpha": 1.0,
        "sigma_beta": 0.5,
        "rho": -0.7,
        "sigma": 0.5,
    }  # McElreath 2020, R code 14.1
    assert sim.data.shape == (200, 3)
    pd.testing.assert_frame_equal(sim.data[["group", "x"]], cafes_design())


def test_the_design_is_kept_row_for_row_and_labels_sorted_in_the_truth() -> None:
    design = pd.DataFrame(
        {
            "group": ["pine", "oak", "pine", "ash", "oak", "ash"],
            "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            "y": 99.0,  # replaced
            "site": "north",  # dropped
        }
    )
    sim = simulate_grouped(design, rng=2, **POPULATION)
    assert sim.data.columns.tolist() == ["group", "x", "y"]
    assert sim.data["group"].tolist() == design["group"].tolist()
    assert sim.data["x"].tolist() == design["x"].tolist()
    assert not (sim.data["y"] == 99.0).any()
    keys = list(sim.truth)
    assert keys[:6] == list(POPULATION)
    assert keys[6:] == [f"{p}[{g}]" for p in ("alpha", "beta") for g in ("ash", "oak", "pine")]


def test_seeds_reproduce_and_differ() -> None:
    a, b, c = (simulate_grouped(rng=s) for s in (7, 7, 8))
    pd.testing.assert_frame_equal(a.data, b.data)
    assert a.truth == b.truth
    assert not np.allclose(a.data["y"], c.data["y"])


def test_zero_group_sds_plant_one_line() -> None:
    sim = simulate_grouped(
        grid_design(5, 4), rng=3, **{**POPULATION, "sigma_alpha": 0.0, "sigma_beta": 0.0}
    )
    np.testing.assert_allclose(planted(sim, "alpha"), POPULATION["mu_alpha"], atol=1e-12)
    np.testing.assert_allclose(planted(sim, "beta"), POPULATION["mu_beta"], atol=1e-12)


def test_grid_design() -> None:
    design = grid_design(3, 5, x=(-1.0, 1.0))
    assert design["group"].tolist() == [1] * 5 + [2] * 5 + [3] * 5
    assert design["x"].tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0] * 3


def test_cafes_design_alternates_morning_and_afternoon() -> None:
    design = cafes_design(3, 4)
    assert design["group"].tolist() == [1] * 4 + [2] * 4 + [3] * 4
    assert design["x"].tolist() == [0.0, 1.0, 0.0, 1.0] * 3


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: grid_design(1, 5), "n_groups must be a whole number in [2, "),
        (lambda: grid_design(5, 1), "per_group must be a whole number in [2, "),
        (lambda: grid_design(2.5, 5), "n_groups must be a whole number"),
        (lambda: grid_design(MAX_ROWS // 2 + 1, 2), "n_groups x per_group must be at most"),
        (lambda: grid_design(3, 3, x=(1.0, 1.0)), "the x grid needs low < high, got 1 and 1"),
        (lambda: grid_design(3, 3, x=(0.0, np.inf)), "x must be"),
        (lambda: cafes_design(1, 10), "n_cafes must be a whole number in [2, "),
        (lambda: cafes_design(10, 1), "n_visits must be a whole number in [2, "),
    ],
)
def test_bad_designs(call, message: str) -> None:
    with pytest.raises(TeachkitError) as err:
        call()
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"sigma_alpha": -0.1}, "sigma_alpha must be a number >= 0, got -0.1"),
        ({"sigma_beta": np.nan}, "sigma_beta must be a number >= 0, got nan"),
        ({"sigma": 0.0}, "sigma must be a number > 0, got 0.0"),
        ({"sigma": -1.0}, "sigma must be a number > 0, got -1.0"),
        ({"rho": 1.0}, "rho must lie strictly between -1 and 1, got 1.0"),
        ({"rho": -1.5}, "rho must lie strictly between -1 and 1, got -1.5"),
        ({"mu_alpha": np.inf}, "mu_alpha must be"),
        ({"mu_beta": np.nan}, "mu_beta must be"),
    ],
)
def test_bad_settings(settings: dict, message: str) -> None:
    with pytest.raises(TeachkitError) as err:
        simulate_grouped(grid_design(3, 3), **settings)
    assert str(err.value).startswith(message)


def test_a_design_without_group_or_x() -> None:
    with pytest.raises(TeachkitError, match="a design needs columns group and x; it lacks x"):
        simulate_grouped(pd.DataFrame({"group": [1, 2], "temp": [0.0, 1.0]}))
