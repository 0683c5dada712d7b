"""Tests for teachkit.leave_group_out: refit without each station, score its rows."""

from __future__ import annotations

import numpy as np
import pytest

from teachkit.cases.ozone.simulate import simulate_spatial_ozone
from teachkit.errors import TeachkitError
from teachkit.leave_group_out import leave_one_group_out
from teachkit.store import FitStore

SETTINGS = {"draws": 200, "tune": 300, "chains": 2, "seed": 3}


def test_a_case_without_groups_is_refused_in_one_line(tmp_path) -> None:
    with pytest.raises(TeachkitError, match=r"^the grants case has no groups to leave out$"):
        leave_one_group_out("grants", store=FitStore(tmp_path))


def test_an_unknown_model_is_refused_before_any_fit(tmp_path) -> None:
    with pytest.raises(TeachkitError, match="unknown ozone model 'gp'"):
        leave_one_group_out("ozone", ["varying_intercepts", "gp"], store=FitStore(tmp_path))


@pytest.mark.slow
def test_a_strong_planted_gp_predicts_left_out_stations_better(tmp_path) -> None:
    """Baselines that are mostly a smooth GP over the real stations (sigma_gp 0.4 against an
    own-station sd of 0.02): the neighbours predict a left-out station's baseline, the
    population does not, so the spatial model wins in total, by more than two se."""
    sim = simulate_spatial_ozone(n_days=40, sigma_gp=0.4, sigma_alpha=0.02, ell=25.0, rng=11)
    store = FitStore(tmp_path)
    result = leave_one_group_out("ozone", data=sim.data, store=store, **SETTINGS)
    table = result.table
    assert list(table.columns) == ["rows", "varying_intercepts", "spatial_intercepts",
                                   "difference", "per_row"]  # fmt: skip
    assert len(table) == 12 and np.isfinite(table.to_numpy()).all()
    assert table["rows"].sum() == len(sim.data)
    total, se = result.difference
    assert total > 2 * se, (total, se)
    # a second run reads every refit from the store and gives the same table
    again = leave_one_group_out("ozone", data=sim.data, store=store, **SETTINGS)
    np.testing.assert_allclose(again.table.to_numpy(), table.to_numpy())
