"""Tests for teachkit.ecdf: the simultaneous band of the SBC ECDF-difference plot."""

from __future__ import annotations

import numpy as np
import pytest

from teachkit.ecdf import ecdf_difference_band

#: Uniform samples drawn to measure the band's simultaneous coverage, and how many standard
#: errors of that Monte-Carlo estimate the measured coverage may stray from the nominal one.
BAND_REPS = 5000
BAND_Z = 4.0


@pytest.mark.parametrize("n_sims", [50, 200])
def test_ecdf_band_is_simultaneous(n_sims: int) -> None:
    """Uniform samples stay inside the whole band with probability 0.95, within MC error."""
    prob = 0.95
    z, low, high = ecdf_difference_band(n_sims, 100, prob)
    assert z.shape == low.shape == high.shape == (99,)
    u = np.random.default_rng(2).random((BAND_REPS, n_sims))
    inside = np.mean([
        np.all(np.abs((chunk[:, :, None] <= z).mean(axis=1) - z - (low + high) / 2)
               <= (high - low) / 2 + 1e-12, axis=1).mean()
        for chunk in np.array_split(u, 10)
    ])  # fmt: skip
    assert abs(inside - prob) < BAND_Z * np.sqrt(prob * (1 - prob) / BAND_REPS)


def test_ecdf_band_fails_a_sample_that_is_not_uniform() -> None:
    """Ranks piled in the middle (a posterior too wide) leave the band."""
    z, low, high = ecdf_difference_band(200, 100)
    ranks = np.random.default_rng(3).beta(3, 3, 200)
    diff = (ranks[:, None] <= z).mean(axis=0) - z
    assert np.any((diff < low) | (diff > high))
