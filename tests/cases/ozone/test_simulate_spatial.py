"""Tests for simulate_spatial_ozone: intercepts correlated by great-circle distance.

The references are independent of teachkit.kernels: distances by the spherical law of cosines
(not the haversine formula), the squared-exponential kernel written out here, and scipy's normal
distribution for the whitened draws.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from teachkit.cases.ozone.simulate import BEIJING_BOX, SITE_COLUMNS, simulate_spatial_ozone
from teachkit.cases.ozone.stations import load_beijing_stations
from teachkit.datasets import OZONE_COLUMNS, check_ozone_frame
from teachkit.errors import TeachkitError

#: Mean Earth radius (km) of the reference distances.
RADIUS_KM = 6371.0088
#: p-value below which a distributional test fails (fixed seeds: a correct simulator passes).
P_MIN = 1e-3


def planted(truth: dict[str, float], name: str) -> np.ndarray:
    n = sum(k.startswith(f"{name}[") for k in truth)
    return np.array([truth[f"{name}[{j}]"] for j in range(n)])


def law_of_cosines_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle distances by the spherical law of cosines (accurate to ~1 m at 4 km)."""
    phi, lam = np.radians(lat), np.radians(lon)
    c = np.sin(phi)[:, None] * np.sin(phi)[None, :] + np.cos(phi)[:, None] * np.cos(phi)[
        None, :
    ] * np.cos(lam[:, None] - lam[None, :])
    return RADIUS_KM * np.arccos(np.clip(c, -1.0, 1.0))


def test_beijing_sites_names_and_coordinates() -> None:
    sim = simulate_spatial_ozone(n_days=20, rng=0)
    assert list(sim.data.columns) == [*OZONE_COLUMNS, *SITE_COLUMNS]
    check_ozone_frame(sim.data)
    shipped = load_beijing_stations()
    per_station = sim.data.groupby("station_id")[["station", *SITE_COLUMNS]].agg(
        ["first", "nunique"]
    )
    assert (per_station.xs("nunique", axis=1, level=1) == 1).all().all()
    first = per_station.xs("first", axis=1, level=1)
    assert first["station"].tolist() == shipped["station"].tolist()
    np.testing.assert_array_equal(first["latitude"], shipped["latitude"])
    np.testing.assert_array_equal(first["longitude"], shipped["longitude"])


def test_truth_has_canonical_names_and_is_json() -> None:
    sim = simulate_spatial_ozone(n_days=5, sigma_gp=0.2, ell=12.5, rng=1)
    assert list(sim.truth)[:6] == ["mu_alpha", "mu_beta", "sigma_alpha", "sigma_gp", "ell", "sigma"]
    assert (sim.truth["sigma_gp"], sim.truth["ell"]) == (0.2, 12.5)
    assert json.loads(sim.truth_json()) == sim.truth
    assert len(planted(sim.truth, "alpha")) == len(planted(sim.truth, "f")) == 12


def test_outcome_is_the_station_line_plus_noise() -> None:
    sim = simulate_spatial_ozone(n_days=2000, sigma=0.6, rng=2)
    d, t = sim.data, sim.truth
    alpha = planted(t, "alpha")[d["station_id"].to_numpy()]
    resid = d["log_ozone"].to_numpy() - alpha - t["mu_beta"] * d["TEMP"].to_numpy()
    assert stats.kstest(resid / 0.6, stats.norm.cdf).pvalue > P_MIN


@pytest.mark.parametrize("n_sites", [None, 7])
def test_spatial_part_has_the_kernel_covariance(n_sites: int | None) -> None:
    """f whitened by the reference kernel of each data set's own sites is N(0, I)."""
    sigma_gp, ell = 0.3, 15.0
    z = []
    for seed in range(300):
        sim = simulate_spatial_ozone(
            n_sites=n_sites, n_days=1, sigma_gp=sigma_gp, ell=ell, rng=seed
        )
        sites = sim.data.drop_duplicates("station_id")
        d = law_of_cosines_km(sites["latitude"].to_numpy(), sites["longitude"].to_numpy())
        k = sigma_gp**2 * np.exp(-(d**2) / (2 * ell**2)) + 1e-9 * np.eye(len(d))
        z.append(np.linalg.solve(np.linalg.cholesky(k), planted(sim.truth, "f")))
    assert stats.kstest(np.ravel(z), stats.norm.cdf).pvalue > P_MIN
    assert np.cov(np.array(z).T) == pytest.approx(np.eye(len(z[0])), abs=0.25)


def test_spatial_part_decays_with_distance() -> None:
    """Station pairs 4 km apart co-vary almost fully at ell = 20 km, pairs 60 km apart not."""
    stations = load_beijing_stations()
    d = law_of_cosines_km(stations["latitude"].to_numpy(), stations["longitude"].to_numpy())
    f = np.array(
        [planted(simulate_spatial_ozone(n_days=1, ell=20.0, rng=s).truth, "f") for s in range(400)]
    )
    r = np.corrcoef(f.T)
    near = np.unravel_index(np.argmin(d + 1e9 * np.eye(12)), d.shape)
    far = np.unravel_index(np.argmax(d), d.shape)
    assert d[near] == pytest.approx(3.9, abs=0.1) and d[far] == pytest.approx(60, abs=1.0)
    expected_near, expected_far = np.exp(-(d[near] ** 2) / 800), np.exp(-(d[far] ** 2) / 800)
    assert r[near] == pytest.approx(expected_near, abs=0.02)
    assert r[far] == pytest.approx(expected_far, abs=0.1)


def test_intercepts_are_mean_plus_process_plus_station_term() -> None:
    sim = simulate_spatial_ozone(n_days=1, sigma_alpha=0.0, rng=3)
    alpha, f = planted(sim.truth, "alpha"), planted(sim.truth, "f")
    np.testing.assert_allclose(alpha, sim.truth["mu_alpha"] + f, rtol=1e-14)
    none = simulate_spatial_ozone(n_days=1, sigma_gp=0.0, sigma_alpha=0.1, rng=3)
    assert np.abs(planted(none.truth, "f")).max() < 1e-6


def test_exact_moments_plant_the_station_terms_spread() -> None:
    sim = simulate_spatial_ozone(n_days=1, sigma_alpha=0.07, exact_moments=True, rng=4)
    e = planted(sim.truth, "alpha") - sim.truth["mu_alpha"] - planted(sim.truth, "f")
    assert e.mean() == pytest.approx(0.0, abs=1e-12)
    assert e.std(ddof=1) == pytest.approx(0.07, rel=1e-12)


def test_random_sites_lie_in_the_box() -> None:
    sim = simulate_spatial_ozone(n_sites=30, n_days=2, rng=5)
    south, north, west, east = BEIJING_BOX
    assert sim.data["latitude"].between(south, north).all()
    assert sim.data["longitude"].between(west, east).all()
    assert sim.data["station"].iloc[0] == "site_00" and sim.data["station_id"].nunique() == 30


def test_same_seed_same_bytes(tmp_path) -> None:
    out = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        sim = simulate_spatial_ozone(n_days=4, rng=seed)
        sim.save(tmp_path / f"{name}.csv", tmp_path / f"{name}.json")
        out.append(
            ((tmp_path / f"{name}.csv").read_bytes(), (tmp_path / f"{name}.json").read_bytes())
        )
    assert out[0] == out[1] and out[0] != out[2]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"ell": 0.0}, "ell"),
        ({"sigma_gp": -0.1}, "sigma_gp"),
        ({"kernel": "rbf"}, "kernel"),
        ({"n_sites": 0}, "n_sites"),
        ({"n_sites": 3, "box": (40.0, 39.0, 116.0, 117.0)}, "box"),
    ],
)
def test_bad_input_is_one_line(kwargs: dict, match: str) -> None:
    with pytest.raises(TeachkitError, match=match) as err:
        simulate_spatial_ozone(n_days=2, rng=0, **kwargs)
    assert "\n" not in str(err.value)
