"""Tests for teachkit.registry: the registry, and a third case study added without touching
generic code (a toy: the mean of normal data), which fit, recover and the figures then serve.
The recipes of docs/design.md are followed file by file in tests/test_recipes.py.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from teachkit.cases.base import CaseStudy, DataSet
from teachkit.errors import TeachkitError
from teachkit.figures import FigureContext, FigureEntry, draw_figure, registered_figures
from teachkit.models.entry import ModelEntry
from teachkit.models.spec import BuiltModel, ModelSpec, data_fingerprint, pointwise_dataset
from teachkit.registry import (
    BUILTIN,
    case_names,
    get_case,
    load_data,
    register_case,
    unregister_case,
)
from teachkit.simulation import Simulation

PACKAGE = Path(__file__).resolve().parents[2] / "teachkit"


def build_mean(data: pd.DataFrame) -> BuiltModel:
    """y ~ Normal(mu, sigma); mu ~ Normal(0, 10), sigma ~ HalfNormal(5)."""
    import pymc as pm

    y = data["y"].to_numpy(dtype=float)
    with pm.Model(coords={"obs": np.arange(len(y))}) as m:
        mu = pm.Normal("mu", 0.0, 10.0)
        sigma = pm.HalfNormal("sigma", 5.0)
        observed = pm.Data("y_observed", y, dims="obs")
        pm.Normal("y", mu, sigma, observed=observed, dims="obs")
    spec = ModelSpec(
        case="toy", name="mean", options={}, n_obs=len(y), observed={"y": y}, constant={},
        parameters=("mu", "sigma"), hyperparameters=("mu", "sigma"), structure=("toy", len(y)),
        data_hash=data_fingerprint(data, ("y",)),
    )  # fmt: skip
    return BuiltModel(m, spec)


class ToyCase(CaseStudy):
    """y ~ Normal(mu, sigma); mu ~ Normal(0, 10), sigma ~ HalfNormal(5)."""

    name = "toy"
    title = "The mean of normal data"
    model_entries = (ModelEntry("mean", "the mean of normal data", build_mean, ("mu", "sigma")),)
    columns = ("y",)
    model_columns = ("y",)
    calibration_design_defaults: ClassVar[dict[str, int]] = {"n": 20}

    @property
    def datasets(self) -> tuple[DataSet, ...]:
        return (DataSet("toydata", "Twenty fixed numbers", lambda: self.simulate(rng=0).data),)

    def check(self, frame: pd.DataFrame, *, source: str = "data") -> pd.DataFrame:
        if "y" not in frame.columns:
            raise TeachkitError(f"{source} lacks column y")
        return frame

    def log_likelihood(self, idata: Any) -> Any:
        post = idata.posterior
        y = idata.observed_data["y"].to_numpy()
        ll = stats.norm.logpdf(
            y, post["mu"].to_numpy()[..., None], post["sigma"].to_numpy()[..., None]
        )
        return pointwise_dataset({"y": ll}, post)

    def simulate(self, *, rng: Any = None, mu: float = 1.5, sigma: float = 2.0, n: int = 20,
                 **options: Any) -> Simulation:  # fmt: skip
        y = np.random.default_rng(rng).normal(mu, sigma, n)
        return Simulation(pd.DataFrame({"y": y}), {"mu": mu, "sigma": sigma})

    def _design(self, *, seed: int, n: int) -> pd.DataFrame:
        return self.simulate(rng=seed, n=n).data

    def with_outcome(self, design: pd.DataFrame, outcome: Any) -> pd.DataFrame:
        return design.assign(y=outcome)

    def figures(self) -> tuple[FigureEntry, ...]:
        def histogram(ctx: FigureContext):
            import matplotlib.pyplot as plt

            fig, ax = plt.subplots()
            ax.hist(ctx.data("toy")["y"])
            ax.axvline(float(ctx.fit("toy", "mean").posterior["mu"].mean()))
            return fig

        return (FigureEntry("toy-histogram", "The data and the posterior mean", histogram),)


@pytest.fixture
def toy() -> Iterator[ToyCase]:
    case = register_case(ToyCase())
    yield case
    unregister_case("toy")


def test_builtins_come_first_in_the_lecture_order() -> None:
    assert case_names()[:3] == ("ozone", "grants", "grouped") == tuple(BUILTIN)
    assert get_case("ozone") is importlib.import_module(BUILTIN["ozone"]).CASE
    assert get_case("ozone").models == (
        "pooled", "varying_intercepts", "varying_slopes", "covarying",
        "spatial_intercepts", "spatial_covarying")  # fmt: skip


def test_unknown_case_fails_in_one_place_with_one_line() -> None:
    with pytest.raises(
        TeachkitError, match=r"^unknown case 'weather'; choose one of: ozone, grants, grouped$"
    ):
        get_case("weather")


def test_registering_needs_a_case_study_and_a_free_name(toy: ToyCase) -> None:
    with pytest.raises(TeachkitError, match="already registered"):
        register_case(ToyCase())
    with pytest.raises(TeachkitError, match="must subclass CaseStudy"):
        register_case(object())  # type: ignore[arg-type]
    with pytest.raises(TeachkitError, match="built in"):
        unregister_case("ozone")


def test_a_registered_case_is_served_by_generic_code(toy: ToyCase) -> None:
    assert "toy" in case_names() and get_case("toy") is toy
    frame, label = toy.load()
    assert label == "toydata" and len(frame) == 20
    assert "toy-histogram" in registered_figures()
    ctx = FigureContext("simulated", seed=3)
    pd.testing.assert_frame_equal(ctx.data("toy"), toy.simulate(rng=3).data)
    with pytest.raises(TeachkitError, match="toy calibration has no design option n_days"):
        toy.calibration_design(seed=0, n_days=4)
    with pytest.raises(TeachkitError, match="the toy model 'mean' takes no option form"):
        toy.build(frame, "mean", form="fast")


def test_another_cases_data_set_is_named_as_such() -> None:
    with pytest.raises(TeachkitError, match=r"^nwo is a grants data set, not ozone; for ozone"):
        load_data("ozone", "nwo")
    with pytest.raises(TeachkitError, match=r"^unknown ozone data 'x'; choose beijing"):
        load_data("ozone", "x")


def test_generic_modules_never_compare_a_case_name_to_a_string() -> None:
    """Outside teachkit/cases/, no `x == "ozone"`, `case in ("grants", ...)` or the like."""
    names = set(BUILTIN)
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "cases" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                strings = {
                    n.value for n in ast.walk(node) if isinstance(n, ast.Constant)
                    and isinstance(n.value, str)
                }  # fmt: skip
                if strings & names:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


@pytest.mark.slow
def test_fit_recover_and_figures_work_for_the_toy_case(toy: ToyCase, tmp_path: Path) -> None:
    from teachkit.pipeline import compare_models, fit_model
    from teachkit.recovery import recover

    settings = {"draws": 300, "tune": 300, "chains": 2, "seed": 4}
    result = fit_model("toy", "mean", **settings)
    assert not result.from_store and result.record["data"] == "toydata"
    assert set(result.record["parameters"]) == {"mu", "sigma"}
    assert fit_model("toy", "mean", **settings).from_store
    table = recover("toy", "mean", **settings)
    assert list(table.index) == ["mu", "sigma"] and set(table["level"]) == {"hyper"}
    comparison = compare_models("toy", **settings)
    assert list(comparison.table.index) == ["mean"]
    fig = draw_figure("toy-histogram", FigureContext("real", **settings))
    assert len(fig.axes[0].patches) == 10  # the histogram's bars
