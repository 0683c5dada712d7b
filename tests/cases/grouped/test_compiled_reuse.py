"""A compiled model is reused only for the priors and centre of x it was compiled with."""

from __future__ import annotations

from dataclasses import replace

from teachkit.cases.grouped import LAYOUT
from teachkit.cases.grouped.models import build_lines_model
from teachkit.cases.grouped.priors import NormalPrior, auto_priors
from teachkit.cases.grouped.simulate import simulate_grouped


def test_the_structure_key_holds_the_priors_and_the_centre_of_x() -> None:
    data = simulate_grouped(rng=5).data
    auto = auto_priors(data["y"].to_numpy(), data["x"].to_numpy())
    tight = replace(auto, slope=NormalPrior(0.0, 0.01))

    def structure(priors, x_center=None):
        built = build_lines_model(
            data, "pooled", layout=LAYOUT, priors=priors, likelihood="sufficient",
            x_center=x_center,
        )  # fmt: skip
        return built.spec.structure

    assert structure(auto) == structure(auto)  # same priors, same data: reused
    assert structure(auto) != structure(tight)  # a fit under other priors compiles its own
    assert structure(auto) != structure(auto, x_center=0.5)
    assert structure(auto, x_center=0.5) != structure(auto, x_center=0.25)
