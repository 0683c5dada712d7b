"""Tests for teachkit.loo_advice: the plain-language reading follows the table's numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from teachkit.loo_advice import CLEAR_DSE, K_UNRELIABLE, SMALL_ELPD, read_comparison


def table(rows: dict[str, tuple[float, float, float, float]]) -> pd.DataFrame:
    """Model -> (d_loo, dse, weight, largest Pareto k), best first."""
    return pd.DataFrame(rows, index=["d_loo", "dse", "weight", "pareto_k_max"]).T


BEIJING_LIKE = table(
    {
        "covarying": (0.0, 0.0, 0.81, 0.2),
        "varying_slopes": (0.4, 1.1, 0.0, 0.2),
        "varying_intercepts": (250.0, 25.0, 0.0, 0.1),
        "pooled": (900.0, 45.0, 0.19, 0.1),
    }
)


def line_about(lines: tuple[str, ...], name: str) -> str:
    (found,) = [line for line in lines if line.strip().startswith(f"{name}:")]
    return found


def test_the_first_line_names_the_best_model_and_what_dse_is() -> None:
    first = read_comparison(BEIJING_LIKE)[0]
    assert "(covarying)" in first and "standard error of that difference" in first


@pytest.mark.parametrize(
    ("d", "dse", "verdict"),
    [
        (0.4, 1.1, "no clear difference"),
        (3.9, 0.5, "no clear difference"),  # many dse, but below SMALL_ELPD
        (10.0, 10.0 / CLEAR_DSE + 0.5, "worse, but within the uncertainty"),
        (10.0, 10.0 / CLEAR_DSE - 0.5, "clearly worse"),
        (SMALL_ELPD, 0.1, "clearly worse"),
    ],
)
def test_each_model_is_judged_by_its_difference_in_its_own_dse(d, dse, verdict) -> None:
    lines = read_comparison(table({"best": (0, 0, 1, 0.1), "other": (d, dse, 0, 0.1)}))
    said = line_about(lines, "other")
    assert said.endswith(f"{verdict}.") and f"{d / dse:.1f} dse" in said


def test_weights_that_disagree_with_d_loo_are_named_both_ways() -> None:
    (weights,) = [line for line in read_comparison(BEIJING_LIKE) if line.startswith("weight")]
    assert "not the probability that a model is right" in weights
    assert "pooled gets 0.19 although it is clearly worse" in weights
    assert "varying_slopes gets 0.00 although it is about as good as the best" in weights
    assert "varying_intercepts" not in weights  # clearly worse and weightless: no surprise


def test_weights_that_agree_with_d_loo_need_no_comment() -> None:
    agreeing = table({"a": (0, 0, 0.6, 0.1), "b": (1.0, 2.0, 0.4, 0.1), "c": (50, 5, 0.0, 0.1)})
    (weights,) = [line for line in read_comparison(agreeing) if line.startswith("weight")]
    assert weights.endswith("not the probability that a model is right.")


def test_pareto_k_above_the_limit_names_the_models() -> None:
    risky = table({"a": (0, 0, 1, K_UNRELIABLE + 0.1), "b": (9, 1, 0, 0.2)})
    last = read_comparison(risky)[-1]
    assert last.startswith(f"Pareto k above {K_UNRELIABLE} for a:") and "k-fold" in last
    assert "reliable" in read_comparison(BEIJING_LIKE)[-1]
