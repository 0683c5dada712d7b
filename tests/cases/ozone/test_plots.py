"""Tests for teachkit.cases.ozone.plots on small simulated data and synthetic posteriors."""

from __future__ import annotations

import numpy as np

from teachkit.cases.ozone.plots import (
    plot_alpha_beta_posterior,
)
from teachkit.simulate import simulate_ozone

SIM = simulate_ozone(n_stations=4, n_days=30, rng=0)
DATA = SIM.data
NAMES = [f"station_{j:02d}" for j in range(4)]
_DRAWS = np.random.default_rng(0)  # used once, here: the same arrays whatever the test order
ALPHA = _DRAWS.normal(3.4, 0.1, (2, 50, 4))
BETA = _DRAWS.normal(0.05, 0.005, (2, 50, 4))


def test_alpha_beta_posterior_clouds_and_means() -> None:
    a, b = ALPHA.reshape(-1, 4), BETA.reshape(-1, 4)
    ax = plot_alpha_beta_posterior(a, b, names=NAMES)
    assert [c.get_label() for c in ax.collections] == NAMES
    assert [t.get_text() for t in ax.get_legend().get_texts()][:4] == NAMES
    (means,) = ax.get_lines()
    assert means.get_label().startswith("station means, r = ")
    np.testing.assert_allclose(sorted(means.get_xdata()), sorted(a.mean(axis=0)))
