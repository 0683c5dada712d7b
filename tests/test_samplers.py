"""Tests for teachkit.samplers: the one checked type for sampler settings."""

from __future__ import annotations

import dataclasses

import pytest

from teachkit.errors import TeachkitError
from teachkit.samplers import MAX_CHAINS, SAMPLERS, TARGET_ACCEPT, SamplerSettings


def test_defaults_are_the_lectures() -> None:
    settings = SamplerSettings()
    assert settings.as_dict() == {
        "sampler": "nutpie", "draws": 1000, "tune": 1000, "chains": 4, "seed": None,
        "target_accept": TARGET_ACCEPT,
    }  # fmt: skip
    assert set(SAMPLERS) == {"nutpie", "pymc"}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sampler": "gibbs"}, "unknown sampler 'gibbs'; choose one of: nutpie, pymc"),
        ({"draws": 0}, r"draws must be a whole number in \[1, 1000000\]"),
        ({"tune": -1}, r"tune must be a whole number in \[0, 1000000\]"),
        ({"chains": 0}, rf"chains must be a whole number in \[1, {MAX_CHAINS}\]"),
        ({"chains": MAX_CHAINS + 1}, rf"chains must be a whole number in \[1, {MAX_CHAINS}\]"),
        ({"chains": 1.5}, r"chains must be a whole number in \[1, 64\]"),
        ({"seed": -3}, r"seed must be a whole number in \[0, "),
        ({"target_accept": 0.3}, r"target_accept must be a number in \[0.5, 1\), got 0.3"),
        ({"target_accept": 1.0}, r"target_accept must be a number in \[0.5, 1\)"),
        ({"target_accept": float("nan")}, "target_accept"),
    ],
)
def test_bad_settings_are_refused_in_one_line(kwargs: dict, match: str) -> None:
    with pytest.raises(TeachkitError, match=match) as info:
        SamplerSettings(**kwargs)
    assert "\n" not in str(info.value)


def test_the_edges_are_allowed() -> None:
    low = SamplerSettings(draws=1, tune=0, chains=1, seed=0, target_accept=0.5)
    high = SamplerSettings(chains=MAX_CHAINS, target_accept=0.999)
    assert (low.tune, low.target_accept, high.chains) == (0, 0.5, MAX_CHAINS)


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        SamplerSettings().draws = 5  # type: ignore[misc]
