"""Known-truth grants data: :mod:`teachkit.cases.grants.simulate` under its older name."""

from teachkit.cases.grants.simulate import expected_gaps, simulate_grants

__all__ = ["expected_gaps", "simulate_grants"]
