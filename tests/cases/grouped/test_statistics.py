"""teachkit.cases.grouped.statistics: the sufficient-statistics likelihood against scipy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from teachkit.cases.grouped.statistics import group_statistics, normal_loglik_from_statistics
from teachkit.datasets import load_beijing_ozone


def test_statistics_likelihood_equals_scipy_sum() -> None:
    data = load_beijing_ozone().head(3000)
    idx, t, y = data["station_id"].to_numpy(), data["TEMP"].to_numpy(), data["log_ozone"].to_numpy()
    s = group_statistics(idx, t, y, 12).as_dict()
    rng = np.random.default_rng(3)
    for _ in range(20):
        a, b, sigma = rng.normal(3, 1, 12), rng.normal(0.05, 0.05, 12), rng.uniform(0.2, 2)
        expected = stats.norm.logpdf(y, a[idx] + b[idx] * t, sigma).sum()
        got = normal_loglik_from_statistics(s, a, b, sigma)
        assert got == pytest.approx(expected, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    n_groups=st.integers(1, 6),
    n_rows=st.integers(1, 60),
    seed=st.integers(0, 2**32 - 1),
    offset=st.floats(-1e3, 1e3),
)
def test_any_grouping_and_offset_of_x_gives_scipys_sum(
    n_groups: int, n_rows: int, seed: int, offset: float
) -> None:
    """Groups without rows contribute nothing; x far from 0 loses no precision (centred sums)."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n_groups, n_rows)
    x = offset + rng.normal(0, 3, n_rows)
    y = rng.normal(0, 5, n_rows)
    a, b, sigma = rng.normal(0, 2, n_groups), rng.normal(0, 1, n_groups), rng.uniform(0.5, 3)
    s = group_statistics(idx, x, y, n_groups).as_dict()
    expected = stats.norm.logpdf(y, a[idx] + b[idx] * x, sigma).sum()
    assert normal_loglik_from_statistics(s, a, b, sigma) == pytest.approx(
        expected, rel=1e-9, abs=1e-6
    )
