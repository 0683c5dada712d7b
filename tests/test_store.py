"""Tests for teachkit.store: the key changes with everything that determines the draws, and a
stored fit is written atomically and read back whole."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import arviz as az
import numpy as np
import pytest

from teachkit.fitmeta import FitMeta
from teachkit.registry import get_case
from teachkit.samplers import SamplerSettings
from teachkit.store import ENV_VAR, FitKey, FitStore, code_hash, default_store_dir

BASE = FitKey(
    case="grants", model="gender", options={"likelihood": "pointwise"},
    data_hash="abc", sampler="nutpie", draws=1000, tune=1000, chains=4, seed=5, code="c1",
    versions={"pymc": "5.28.5"},
)  # fmt: skip
CHANGES = {
    "case": "ozone", "model": "multilevel", "options": {"likelihood": "sufficient"},
    "data_hash": "abd", "sampler": "pymc", "draws": 999,
    "tune": 1001, "chains": 2, "seed": 6, "target_accept": 0.95, "code": "c2",
    "versions": {"pymc": "5.28.6"},
}  # fmt: skip


def small_idata(seed: int = 0) -> az.InferenceData:
    rng = np.random.default_rng(seed)
    idata = az.from_dict(
        posterior={"mu": rng.normal(size=(2, 50))},
        log_likelihood={"y": rng.normal(size=(2, 50, 3))},
    )
    return FitMeta(case="grants", model="gender").write(idata)


def test_every_field_of_the_key_changes_the_digest() -> None:
    assert set(CHANGES) == {f.name for f in dataclasses.fields(FitKey)}
    for name, value in CHANGES.items():
        assert dataclasses.replace(BASE, **{name: value}).digest() != BASE.digest(), name
    assert dataclasses.replace(BASE).digest() == BASE.digest()
    # every option of the model counts, by name and by value
    for options in (
        {"likelihood": "pointwise", "parameterization": "centered"},
        {"likelihood": "pointwise", "parameterization": "noncentered"},
        {},
    ):
        assert dataclasses.replace(BASE, options=options).digest() != BASE.digest(), options
    centered = dataclasses.replace(BASE, options={**BASE.options, "parameterization": "centered"})
    noncentered = dataclasses.replace(
        centered, options={**BASE.options, "parameterization": "noncentered"}
    )
    assert centered.digest() != noncentered.digest()


def test_key_for_a_fit_hashes_the_model_code_and_library_versions() -> None:
    grants = get_case("grants")
    options = grants.resolve_options("gender")
    settings = SamplerSettings("nutpie", draws=10, tune=10, chains=1, seed=0, target_accept=0.9)
    key = FitKey.for_fit(grants, "gender", options, "abc", settings)
    assert key.code and set(key.versions) == {"pymc", "pytensor", "nutpie", "numpy"}
    assert key.code != FitKey.for_fit(get_case("ozone"), "pooled", options, "abc", settings).code


def test_code_hash_follows_the_source(tmp_path: Path, monkeypatch) -> None:
    module = tmp_path / "toymodels_for_hash.py"
    module.write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = code_hash(("toymodels_for_hash",))
    module.write_text("X = 2\n")
    assert code_hash(("toymodels_for_hash",)) != before


def test_store_round_trip_without_the_log_likelihood(tmp_path: Path) -> None:
    store = FitStore(tmp_path)
    assert BASE not in store and store.load_record(BASE) is None and store.load(BASE) is None
    idata = small_idata()
    path = store.save(BASE, idata, {"model": "gender"})
    assert path == store.path(BASE) and BASE in store
    assert store.load_record(BASE) == {"model": "gender"}
    back = store.load(BASE)
    np.testing.assert_array_equal(back.posterior["mu"], idata.posterior["mu"])
    assert FitMeta.of(back).case == "grants"
    assert "log_likelihood" not in back.groups()
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{BASE.stem}.json", f"{BASE.stem}.nc"]
    assert store.clear() == 1 and BASE not in store


def test_a_failed_write_leaves_the_previous_entry_whole(tmp_path: Path, monkeypatch) -> None:
    store = FitStore(tmp_path)
    store.save(BASE, small_idata(0), {"seed": 0})

    def crash(self, filename, **kwargs):
        Path(filename).write_bytes(b"CDF\x01 half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(az.InferenceData, "to_netcdf", crash)
    with pytest.raises(Exception, match="No space left on device"):
        store.save(BASE, small_idata(1), {"seed": 1})
    monkeypatch.undo()
    assert store.load_record(BASE) == {"seed": 0}
    np.testing.assert_array_equal(store.load(BASE).posterior["mu"], small_idata(0).posterior["mu"])
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".json", ".nc"]  # no temporary left


def test_a_record_without_its_netcdf_is_no_entry(tmp_path: Path) -> None:
    store = FitStore(tmp_path)
    store.save(BASE, small_idata(), {"seed": 0})
    store.path(BASE).unlink()
    assert BASE not in store and store.load_record(BASE) is None


def test_default_folder_is_the_environment_variable_or_the_user_cache(monkeypatch) -> None:
    import platformdirs

    monkeypatch.setenv(ENV_VAR, "/somewhere/fits")
    assert default_store_dir() == Path("/somewhere/fits") and FitStore().root == default_store_dir()
    monkeypatch.delenv(ENV_VAR)
    assert default_store_dir() == Path(platformdirs.user_cache_dir("teachkit")) / "fits"
