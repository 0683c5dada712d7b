"""Tests for teachkit.store: the key changes with everything that determines the draws, a
stored fit is written atomically and read back whole, its ELPD data are kept beside it, and a
damaged entry is reported once, moved aside and fitted again."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import arviz as az
import numpy as np
import pytest

from teachkit.errors import DamagedFitWarning
from teachkit.fitmeta import FitMeta
from teachkit.loo import compare, compare_elpd, elpd_data
from teachkit.pipeline import fit_model
from teachkit.registry import get_case
from teachkit.samplers import SamplerSettings
from teachkit.store import DAMAGED, ENV_VAR, FitKey, FitStore, code_hash, default_store_dir

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
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{BASE.stem}.json", f"{BASE.stem}.manifest.json", f"{BASE.stem}.nc",
    ]  # fmt: skip
    assert store.clear() == 1 and BASE not in store and not list(tmp_path.iterdir())


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
    names = sorted(p.name for p in tmp_path.iterdir())  # no temporary file left
    assert names == sorted(f"{BASE.stem}{s}" for s in (".json", ".manifest.json", ".nc"))


def test_default_folder_is_the_environment_variable_or_the_user_cache(monkeypatch) -> None:
    import platformdirs

    monkeypatch.setenv(ENV_VAR, "/somewhere/fits")
    assert default_store_dir() == Path("/somewhere/fits") and FitStore().root == default_store_dir()
    monkeypatch.delenv(ENV_VAR)
    assert default_store_dir() == Path(platformdirs.user_cache_dir("teachkit")) / "fits"


# --- the ELPD data kept with the fit ------------------------------------------------------


def test_elpd_data_are_stored_once_and_read_back_with_the_same_numbers(tmp_path: Path) -> None:
    store = FitStore(tmp_path)
    fits = {"a": small_idata(0), "b": small_idata(1)}
    for seed, idata in enumerate(fits.values()):
        store.save(dataclasses.replace(BASE, seed=seed), idata, {"seed": seed})
    calls: list[str] = []

    def compute(name: str):
        calls.append(name)
        return elpd_data(fits[name], get_case("grants"))

    keys = {name: dataclasses.replace(BASE, seed=seed) for seed, name in enumerate(fits)}
    assert store.load_elpd(keys["a"]) is None
    first = {name: store.elpd(key, lambda n=name: compute(n)) for name, key in keys.items()}
    again = {name: FitStore(tmp_path).elpd(key, lambda: compute("never")) for name, key in
             keys.items()}  # fmt: skip
    assert calls == ["a", "b"]  # computed once per fit, then read (also by another store object)
    assert store.elpd_path(keys["a"]).is_file()
    for name in fits:
        for entry in first[name].index:
            expected = np.asarray(first[name][entry])
            np.testing.assert_array_equal(np.asarray(again[name][entry]), expected, err_msg=entry)
    assert list(again["a"].index) == list(first["a"].index)
    recomputed = compare(fits, get_case("grants"))
    assert compare_elpd(again).equals(recomputed)


def test_a_new_fit_under_the_same_key_drops_the_old_elpd_data(tmp_path: Path) -> None:
    store = FitStore(tmp_path)
    store.save(BASE, small_idata(0), {"seed": 0})
    store.save_elpd(BASE, elpd_data(small_idata(0), get_case("grants")))
    store.save(BASE, small_idata(1), {"seed": 1})
    assert store.load_elpd(BASE) is None and not store.elpd_path(BASE).exists()


def test_elpd_data_of_no_entry_are_not_stored(tmp_path: Path) -> None:
    store = FitStore(tmp_path)
    assert store.save_elpd(BASE, elpd_data(small_idata(), get_case("grants"))) is None
    assert not tmp_path.exists() or not list(tmp_path.iterdir())


# --- damaged entries ----------------------------------------------------------------------


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def empty(path: Path) -> None:
    path.write_bytes(b"")


def garble(path: Path) -> None:
    """Overwrite bytes in the middle; the size stays the same."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(255 - b for b in data[middle : middle + 16])
    path.write_bytes(bytes(data))


def corrupt_json(path: Path) -> None:
    path.write_text('{"seed": 0, "half a rec', encoding="utf-8")


def delete(path: Path) -> None:
    path.unlink()


DAMAGE = {
    "truncated-nc": (".nc", truncate, "its .nc file has"),
    "emptied-nc": (".nc", empty, "its .nc file is empty"),
    "garbled-nc": (".nc", garble, "its .nc file does not match its sha256 checksum"),
    "corrupt-record": (".json", corrupt_json, "its .json file has"),
    "garbled-record": (".json", garble, "its .json file does not match"),
    "deleted-nc": (".nc", delete, "its .nc file is missing"),
    "deleted-record": (".json", delete, "its .json file is missing"),
    "deleted-manifest": (".manifest.json", delete, "it has no manifest, only its .nc file and"),
    "corrupt-manifest": (".manifest.json", corrupt_json, "its manifest cannot be read"),
    "truncated-elpd": (".loo.nc", truncate, "its .loo.nc file has"),
    "deleted-elpd": (".loo.nc", delete, "its .loo.nc file is missing"),
}


@pytest.mark.parametrize("reader", ["load_record", "load", "load_elpd", "contains"])
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_entry_is_reported_once_moved_aside_and_missing(
    damage: str, reader: str, tmp_path: Path
) -> None:
    suffix, harm, reason = DAMAGE[damage]
    store = FitStore(tmp_path)
    store.save(BASE, small_idata(), {"seed": 0})
    store.save_elpd(BASE, elpd_data(small_idata(), get_case("grants")))
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    target = tmp_path / f"{BASE.stem}{suffix}"
    harm(target)
    fresh = FitStore(tmp_path)  # another process: nothing checked yet
    with pytest.warns(DamagedFitWarning) as caught:
        found = BASE in fresh if reader == "contains" else getattr(fresh, reader)(BASE)
    assert found in (None, False)
    (warning,) = caught  # one warning, one line, saying what is wrong and where it went
    message = str(warning.message)
    assert "\n" not in message and reason in message, message
    folder = tmp_path / DAMAGED / BASE.stem
    assert f"moved to {folder}" in message and "fitted again" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == [DAMAGED]  # nothing of it is left
    moved = {p.name for p in folder.iterdir()}
    assert moved == set(files) - ({target.name} if harm is delete else set())  # none deleted
    # missing now, without another warning; a new fit is stored in its place
    assert BASE not in fresh and fresh.load_record(BASE) is None
    fresh.save(BASE, small_idata(1), {"seed": 1})
    assert fresh.load_record(BASE) == {"seed": 1}


def test_every_damage_of_the_same_entry_is_kept(tmp_path: Path) -> None:
    store = FitStore(tmp_path)
    for seed in (0, 1):
        store.save(BASE, small_idata(seed), {"seed": seed})
        truncate(store.path(BASE))
        with pytest.warns(DamagedFitWarning, match=f"{BASE.stem}(-2)?;"):
            assert FitStore(tmp_path).load_record(BASE) is None
    assert sorted(p.name for p in (tmp_path / DAMAGED).iterdir()) == [BASE.stem, f"{BASE.stem}-2"]


def test_an_entry_is_checked_once_per_process(tmp_path: Path, monkeypatch) -> None:
    """Reading the record, then the fit, hashes each file once, unless it changed."""
    import teachkit.store as store_module

    store = FitStore(tmp_path)
    store.save(BASE, small_idata(), {"seed": 0})
    hashed: list[str] = []
    real = store_module._sha256
    monkeypatch.setattr(store_module, "_sha256", lambda p: hashed.append(p.name) or real(p))
    fresh = FitStore(tmp_path)
    assert fresh.load_record(BASE) and fresh.load(BASE) is not None and BASE in fresh
    assert sorted(hashed) == sorted([store.path(BASE).name, store.record_path(BASE).name])
    truncate(store.path(BASE))  # changed since it was checked: checked again
    with pytest.warns(DamagedFitWarning, match="its .nc file has"):
        assert fresh.load(BASE) is None


def test_a_fit_that_passes_its_checksum_but_cannot_be_read_is_damaged(tmp_path: Path) -> None:
    """The second line of defence: a file stored broken (its checksum taken of broken bytes)."""
    store = FitStore(tmp_path)
    store.path(BASE).parent.mkdir(parents=True, exist_ok=True)
    store.path(BASE).write_bytes(b"CDF\x01 not a netCDF file")
    store.record_path(BASE).write_text("[1, 2]", encoding="utf-8")
    store._write_manifest(BASE, [store.path(BASE), store.record_path(BASE)])
    with pytest.warns(DamagedFitWarning, match="its fit cannot be read"):
        assert FitStore(tmp_path).load(BASE) is None
    store._write_manifest(BASE, [])  # a manifest listing nothing
    with pytest.warns(DamagedFitWarning, match="its manifest cannot be read"):
        assert FitStore(tmp_path).load_record(BASE) is None


def test_a_fit_found_damaged_when_its_draws_are_read_is_fitted_again(tmp_path: Path) -> None:
    """fit_model read the record; the draws, read later, cannot be: they are sampled again."""
    store = FitStore(tmp_path)
    settings = {"draws": 100, "tune": 100, "chains": 2, "seed": 3, "store": store}
    first = fit_model("grants", "gender", **settings)
    again = fit_model("grants", "gender", **settings)
    assert again.from_store
    store.path(again.key).write_bytes(b"CDF\x01 not a netCDF file")  # checksum taken of it
    store._write_manifest(again.key, [store.path(again.key), store.record_path(again.key)])
    with pytest.warns(DamagedFitWarning, match="its fit cannot be read"):
        idata = again.idata
    assert not again.from_store and store.load_record(again.key) is not None
    np.testing.assert_array_equal(idata.posterior["alpha"], first.idata.posterior["alpha"])
