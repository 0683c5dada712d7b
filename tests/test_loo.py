"""Tests for teachkit.loo: the comparison table on known inputs, and LOO of real fits (slow)."""

from __future__ import annotations

import warnings

import arviz as az
import numpy as np
import pytest

from teachkit.cases.grants.models import build_grants_model
from teachkit.errors import TeachkitError
from teachkit.fitmeta import FitMeta
from teachkit.inference import fit
from teachkit.loo import (
    POINTWISE_GROUP,
    add_log_likelihood,
    compare,
    compare_elpd,
    elpd_data,
    elpd_from_dataset,
    elpd_to_dataset,
)
from teachkit.registry import get_case
from teachkit.simulate import simulate_grants

GRANTS = get_case("grants")


def with_log_likelihood(mean: float, sd: float, seed: int, n_obs: int = 200) -> az.InferenceData:
    rng = np.random.default_rng(seed)
    ll = rng.normal(mean, sd, size=(2, 300, n_obs))
    return az.from_dict(
        posterior={"a": rng.normal(size=(2, 300))},
        log_likelihood={"y": ll},
        observed_data={"y": np.zeros(n_obs)},
    )


def test_compare_ranks_the_better_model_first() -> None:
    table = compare(
        {"worse": with_log_likelihood(-1.5, 0.1, 1), "better": with_log_likelihood(-1.0, 0.1, 2)},
        GRANTS,
    )
    assert list(table.index) == ["better", "worse"]
    assert list(table.columns) == [
        "rank", "elpd_loo", "p_loo", "d_loo", "weight", "se", "dse", "warning", "pareto_k_max",
    ]  # fmt: skip
    assert table.loc["better", "d_loo"] == 0.0
    assert table.loc["worse", "d_loo"] == pytest.approx(0.5 * 200, rel=0.05)
    assert (table["pareto_k_max"] < 0.7).all() and not table["warning"].any()


def test_compare_needs_a_fit() -> None:
    with pytest.raises(ValueError, match="at least one fit"):
        compare({}, GRANTS)


def test_the_pointwise_group_is_arviz_log_likelihood() -> None:
    assert POINTWISE_GROUP == "log_likelihood"


def test_a_fit_of_another_case_gets_no_log_likelihood() -> None:
    idata = az.from_dict(posterior={"a": np.zeros((2, 10))})
    FitMeta(case="ozone", model="pooled").write(idata)
    with pytest.raises(TeachkitError, match="this is a fit of the ozone case, not of grants"):
        add_log_likelihood(idata, GRANTS)
    assert POINTWISE_GROUP not in idata.groups()


@pytest.mark.slow
def test_compare_computes_the_log_likelihood_that_fit_skipped() -> None:
    """fit() alone leaves the pointwise log-likelihood out; compare() computes what LOO needs."""
    data = simulate_grants(rng=6).data
    fits = {
        name: fit(build_grants_model(data, name), draws=200, tune=200, chains=2, seed=7,
                  progress=False)
        for name in ("gender", "gender_discipline")
    }  # fmt: skip
    assert not any("log_likelihood" in idata.groups() for idata in fits.values())
    table = compare(fits, GRANTS)
    assert set(table.index) == set(fits) and np.isfinite(table["elpd_loo"]).all()
    for name, idata in fits.items():
        assert idata.log_likelihood["awards"].shape == (2, 200, len(data))
        with warnings.catch_warnings():  # 18 rows: a high Pareto k is expected, not the point
            warnings.filterwarnings("ignore", message=".*Pareto.*", category=UserWarning)
            assert table.loc[name, "elpd_loo"] == pytest.approx(az.loo(idata).elpd_loo)


def test_compare_elpd_gives_the_table_compare_gives() -> None:
    fits = {"worse": with_log_likelihood(-1.5, 0.1, 1), "better": with_log_likelihood(-1.0, 0.1, 2)}
    elpds = {name: elpd_data(idata, GRANTS) for name, idata in fits.items()}
    assert all(e.index[0] == "elpd_loo" and "pareto_k" in e.index for e in elpds.values())
    assert compare_elpd(elpds).equals(compare(fits, GRANTS))
    with pytest.raises(TeachkitError, match="at least one fit"):
        compare_elpd({})


def test_elpd_data_survive_the_dataset_unchanged() -> None:
    elpd = elpd_data(with_log_likelihood(-1.0, 0.5, 3), GRANTS)
    back = elpd_from_dataset(elpd_to_dataset(elpd))
    assert list(back.index) == list(elpd.index)
    for entry in elpd.index:
        np.testing.assert_array_equal(np.asarray(back[entry]), np.asarray(elpd[entry]), entry)
    assert back["loo_i"].dims == elpd["loo_i"].dims and isinstance(back["warning"], bool)


def test_only_pointwise_loo_data_convert() -> None:
    summary_only = az.loo(with_log_likelihood(-1.0, 0.1, 4), pointwise=False)
    with pytest.raises(TeachkitError, match="not pointwise PSIS-LOO data: no loo_i, pareto_k"):
        elpd_to_dataset(summary_only)
    dataset = elpd_to_dataset(elpd_data(with_log_likelihood(-1.0, 0.1, 4), GRANTS))
    with pytest.raises(TeachkitError, match="no pareto_k, se"):
        elpd_from_dataset(dataset.drop_vars("pareto_k").drop_attrs().assign_attrs(
            {k: v for k, v in dataset.attrs.items() if k != "se"}))  # fmt: skip
