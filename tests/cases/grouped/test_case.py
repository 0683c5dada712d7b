"""teachkit.cases.grouped.GroupedCase: configuration, fingerprints, records, data, known truth."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from teachkit.cases.grouped import CAFE_COLUMNS, CASE, GroupedCase, _truth_at, load_cafes
from teachkit.cases.grouped.priors import auto_priors
from teachkit.cases.grouped.simulate import CAFES, grid_design, simulate_grouped
from teachkit.cases.grouped.table import Columns
from teachkit.errors import TeachkitError
from teachkit.samplers import SamplerSettings
from teachkit.simulation import Simulation
from teachkit.store import FitKey

#: A user's own column names.
MINE = {"y": "reaction", "x": "days", "group": "subject"}
#: Allowed deviation of a Monte-Carlo moment from the formula, in MC standard errors.
Z_TOL = 4.0
#: Groups in the Monte-Carlo check of the moved population (sd of the sds' z: 1/sqrt(2n)).
N_MC_GROUPS = 40_000


def users_table(seed: int = 0, n_groups: int = 12, per_group: int = 6) -> pd.DataFrame:
    """A sleep-study-like table in the user's names, x far from 0 (so centring matters)."""
    rng = np.random.default_rng(seed)
    design = pd.DataFrame(
        {
            "group": np.repeat([f"s{j:02d}" for j in range(n_groups)], per_group),
            "x": rng.uniform(5.0, 15.0, n_groups * per_group),
        }
    )
    data = simulate_grouped(design, mu_alpha=250.0, mu_beta=10.0, sigma=25.0, rng=seed).data
    return data.rename(columns={"y": MINE["y"], "x": MINE["x"], "group": MINE["group"]})


def bound(raw: pd.DataFrame, **settings) -> GroupedCase:
    case = CASE.configured(columns=MINE, **settings)
    return case.with_data(case.check(raw))


def write_priors(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- configuration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (
            {"y": "a", "x": "b"},
            "columns must map exactly y, x and group to column names; missing group",
        ),
        (
            {"y": "a", "x": "b", "group": "c", "weight": "w"},
            "columns must map exactly y, x and group to column names; unknown weight",
        ),
        ({"outcome": "a", "x": "b", "group": "c"}, "; unknown outcome; missing y"),
        ({"y": "a", "x": "a", "group": "c"}, "--y, --x and --group must name three different"),
    ],
)
def test_configured_refuses_a_bad_columns_mapping(columns: dict, message: str) -> None:
    with pytest.raises(TeachkitError) as err:
        CASE.configured(columns=columns)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_configured_refuses_a_missing_priors_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(TeachkitError) as err:
        CASE.configured(priors=missing)
    assert str(err.value) == f"--priors: no such file {missing} (give auto or a TOML file)"


def test_configured_returns_a_copy_and_unbinds_the_data() -> None:
    raw = users_table()
    case = bound(raw)
    assert case.reference is not None
    assert CASE.table_columns == CAFE_COLUMNS and CASE.reference is None  # unchanged
    assert case.configured().reference is case.reference  # nothing changed, still bound
    moved = case.configured(center_x=True)
    assert moved.reference is None and moved.center_x and moved.table_columns == Columns(**MINE)
    assert case.with_data(raw.iloc[:0]) is case  # bound already: stays bound


def test_a_table_without_the_named_columns() -> None:
    with pytest.raises(TeachkitError, match=r"data has no column --y 'reaction'; its columns: "):
        CASE.configured(columns=MINE).check(users_table().drop(columns="reaction"))


# --- fingerprints and the fit store's key -------------------------------------------------------


def key(case: GroupedCase, table: pd.DataFrame) -> str:
    settings = SamplerSettings("nutpie", 100, 100, 2, 1, 0.9)
    return FitKey.for_fit(case, "covarying", {}, case.fingerprint(table), settings).digest()


def test_the_fingerprint_follows_the_mapping_the_priors_and_the_centring(tmp_path: Path) -> None:
    raw = users_table()
    base = bound(raw)
    table = base.check(raw)
    assert base.fingerprint(table) == bound(raw).fingerprint(base.check(raw))  # stable

    # the same values under other column names: the canonical tables are equal, the keys not
    other = {"y": "rt", "x": "day", "group": "id"}
    renamed = raw.rename(columns={MINE[k]: other[k] for k in MINE})
    case2 = CASE.configured(columns=other)
    table2 = case2.check(renamed)
    pd.testing.assert_frame_equal(table, table2)
    assert case2.with_data(table2).fingerprint(table2) != base.fingerprint(table)

    # other priors; a file that restates the auto priors is the same fit
    toml = write_priors(tmp_path, '[sigma]\nfamily = "halfnormal"\nscale = 30\n')
    case3 = bound(raw, priors=toml)
    assert case3.fingerprint(table) != base.fingerprint(table)
    same = base.priors().sigma
    restated = write_priors(
        tmp_path, f'sigma = {{ family = "{same.family}", scale = {same.scale} }}\n', "same.toml"
    )
    assert bound(raw, priors=restated).fingerprint(table) == base.fingerprint(table)

    # centring
    centred = bound(raw, center_x=True)
    centred_table = centred.check(raw)
    assert centred.fingerprint(centred_table) != base.fingerprint(table)

    keys = {key(c, t) for c, t in [(base, table), (case2, table2), (case3, table),
                                   (centred, centred_table)]}  # fmt: skip
    assert len(keys) == 4


# --- what a fit records --------------------------------------------------------------------------


def test_describe(tmp_path: Path) -> None:
    raw = users_table()
    record = bound(raw).describe()
    priors = auto_priors(raw["reaction"].to_numpy(), raw["days"].to_numpy())
    assert record == {
        "columns": MINE,
        "center_x": False,
        "priors": priors.as_dict(),
        "priors_source": "auto",
        "priors_text": priors.describe(),
    }
    toml = write_priors(tmp_path, "lkj_eta = 4\n")
    raw.loc[[3, 7], "reaction"] = np.nan
    record = bound(raw, priors=toml, center_x=True, dropna=True).describe()
    assert record["priors_source"] == "mine.toml"
    assert record["priors"]["lkj_eta"] == 4.0
    assert record["x_center"] == pytest.approx(raw["days"].drop(index=[3, 7]).mean(), rel=1e-12)
    assert record["rows_dropped"] == 2
    assert record["priors_text"]["R (covarying)"] == "LKJ(4)"


def test_the_cafes_record_their_own_columns() -> None:
    record = CASE.describe()
    assert record["columns"] == {"y": "wait", "x": "afternoon", "group": "cafe"}
    assert CASE.configured(center_x=True).describe()["x_center"] == 0.5


# --- the cafés ---------------------------------------------------------------------------------


def test_the_cafes_data_set() -> None:
    assert [d.name for d in CASE.datasets] == ["cafes"]
    assert CASE.default_dataset == "cafes"
    raw = load_cafes()
    assert raw.columns.tolist() == ["cafe", "afternoon", "wait"]
    assert raw.shape == (200, 3)
    assert sorted(raw["cafe"].unique()) == list(range(1, 21))
    assert raw.groupby("cafe")["afternoon"].apply(list).map(lambda v: v == [0, 1] * 5).all()
    pd.testing.assert_frame_equal(load_cafes(), raw)  # the same every time (seed 1)
    table, label = CASE.load()
    assert label == "cafes"
    assert table.columns.tolist() == ["group", "x", "y"]
    np.testing.assert_array_equal(table["y"], raw["wait"])
    # a case configured for other columns names what the cafés have (a forgotten --data)
    with pytest.raises(TeachkitError, match="its columns: 'cafe', 'afternoon', 'wait'"):
        CASE.configured(columns=MINE).load("cafes")


# --- known truth --------------------------------------------------------------------------------


def moment_z(a: np.ndarray, b: np.ndarray, truth: dict[str, float]) -> dict[str, float]:
    """Sample mean, sd and correlation of normal pairs in MC standard errors from ``truth``."""
    n = len(a)
    s_a = truth["sigma_alpha"]
    return {
        "mu_alpha": (a.mean() - truth["mu_alpha"]) / (s_a / np.sqrt(n)),
        "sigma_alpha": (a.std(ddof=1) - s_a) / (s_a / np.sqrt(2 * n)),
        "rho": (np.corrcoef(a, b)[0, 1] - truth["rho"]) / ((1 - truth["rho"] ** 2) / np.sqrt(n)),
    }


@pytest.mark.parametrize("c", [-3.0, 0.5, 10.0])
def test_the_moved_population_matches_a_monte_carlo_of_many_groups(c: float) -> None:
    """_truth_at(c): the population of intercepts at x = c, against the planted groups' own."""
    design = pd.DataFrame({"group": np.arange(N_MC_GROUPS), "x": 0.0})
    sim = simulate_grouped(design, rng=int(c * 10) % 97, **CAFES)
    labels = range(N_MC_GROUPS)
    alpha = np.array([sim.truth[f"alpha[{g}]"] for g in labels])
    beta = np.array([sim.truth[f"beta[{g}]"] for g in labels])
    moved = _truth_at(sim.truth, c)
    z = moment_z(alpha + beta * c, beta, moved)
    assert all(abs(v) < Z_TOL for v in z.values()), z
    # the cafés' negative rho turns positive past c = -rho sigma_alpha / sigma_beta = 1.4
    assert (moved["rho"] > 0) == (c > -CAFES["rho"] * CAFES["sigma_alpha"] / CAFES["sigma_beta"])
    assert moved["mu_beta"] == CAFES["mu_beta"] and moved["sigma_beta"] == CAFES["sigma_beta"]
    np.testing.assert_allclose(
        [moved[f"alpha[{g}]"] for g in range(5)], alpha[:5] + beta[:5] * c, rtol=1e-14
    )


@pytest.mark.parametrize("model", ["varying_intercepts", "varying_slopes", "covarying"])
def test_truth_with_centred_x_is_at_the_mean_of_x(model: str) -> None:
    raw = users_table()
    centred = bound(raw, center_x=True)
    sim = centred.simulate(rng=3)
    c = float(raw["days"].mean())
    got = centred.truth(model, sim)
    want = CASE.model_entry(model).planted_values(Simulation(sim.data, _truth_at(sim.truth, c)))
    assert got == pytest.approx(want, rel=1e-12)
    t = sim.truth
    assert got["mu_alpha"] == pytest.approx(t["mu_alpha"] + t["mu_beta"] * c, rel=1e-12)
    assert got["alpha[s04]"] == pytest.approx(t["alpha[s04]"] + t["beta[s04]"] * c, rel=1e-12)
    # uncentred: the planted values as they are
    plain = bound(raw).truth(model, sim)
    assert plain["mu_alpha"] == t["mu_alpha"] and plain["alpha[s04]"] == t["alpha[s04]"]


def test_simulate_returns_the_users_columns_and_reads_back(tmp_path: Path) -> None:
    raw = users_table()
    for centre in (False, True):
        case = bound(raw, center_x=centre)
        sim = case.simulate(rng=5, mu_alpha=100.0, rho=0.2)
        assert sim.data.columns.tolist() == ["subject", "days", "reaction"]
        np.testing.assert_array_equal(sim.data["days"], raw["days"])  # the user's x, uncentred
        assert sim.data["subject"].tolist() == raw["subject"].tolist()
        assert sim.truth["mu_alpha"] == 100.0 and sim.truth["rho"] == 0.2
        table = case.check(sim.data, source="simulation")
        assert table.columns.tolist() == ["group", "x", "y"]
        if centre:
            assert table.attrs["x_center"] == pytest.approx(raw["days"].mean(), rel=1e-12)
    grid = bound(raw).simulate(rng=1, n_groups=4, per_group=3)
    assert grid.data.shape == (12, 3) and sorted(set(grid.data["subject"])) == [1, 2, 3, 4]
    pd.testing.assert_frame_equal(
        grid.data[["subject", "days"]],
        grid_design(4, 3).rename(columns={"group": "subject", "x": "days"}),
    )


def test_simulate_refuses_unknown_settings() -> None:
    with pytest.raises(TeachkitError) as err:
        CASE.simulate(tau=1.0, n_groups=3)
    assert str(err.value) == (
        "grouped simulate has no setting tau; its settings: mu_alpha, mu_beta, sigma_alpha, "
        "sigma_beta, rho, sigma, n_groups, per_group"
    )


def test_the_cafes_simulate_on_their_own_design_uncentred() -> None:
    sim = CASE.configured(center_x=True).simulate(rng=2)
    assert sim.data.columns.tolist() == ["cafe", "afternoon", "wait"]
    assert set(sim.data["afternoon"]) == {0.0, 1.0}
