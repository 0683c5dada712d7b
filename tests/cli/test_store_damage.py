"""A damaged fit-store entry under the commands that read it: one warning line, then a refit.

The store's own tests (tests/test_store.py) damage entries in every way against each reader;
these check what a user sees from ``fit``, ``fit --save``, ``compare`` and ``figures``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from teachkit.cli import main
from teachkit.store import DAMAGED

SETTINGS = ["--draws", "100", "--tune", "100", "--seed", "4"]
FIT = ["fit", "grants", "--model", "multilevel", "--chains", "2", *SETTINGS]


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def empty(path: Path) -> None:
    path.write_bytes(b"")


def garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(255 - b for b in data[middle : middle + 64])
    path.write_bytes(bytes(data))


def corrupt(path: Path) -> None:
    path.write_text("{not json", encoding="utf-8")


def delete(path: Path) -> None:
    path.unlink()


DAMAGE = {
    "truncated-nc": (".nc", truncate),
    "emptied-nc": (".nc", empty),
    "garbled-nc": (".nc", garble),
    "corrupt-record": (".json", corrupt),
    "deleted-nc": (".nc", delete),
}


def damage(store: Path, model: str, how: str) -> None:
    suffix, harm = DAMAGE[how]
    (entry,) = store.glob(f"grants-{model}-*.manifest.json")
    harm(entry.with_name(entry.name.removesuffix(".manifest.json") + suffix))


def one_warning_and_a_refit(err: str, store: Path, model: str) -> None:
    warnings = [line for line in err.splitlines() if line.startswith("teachkit: warning: ")]
    assert len(warnings) == 1, err
    assert f"damaged fit-store entry grants/{model}" in warnings[0]
    assert "Traceback" not in err and f"fitting grants/{model}" in err, err
    assert len(list((store / DAMAGED).iterdir())) == 1
    assert len(list(store.glob(f"grants-{model}-*.manifest.json"))) == 1  # stored again


@pytest.mark.slow
@pytest.mark.parametrize("how", list(DAMAGE))
def test_fit_warns_once_and_fits_again(how: str, tmp_path: Path, capsys) -> None:
    store = tmp_path / "store"
    assert main([*FIT, "--store", str(store)]) == 0
    first = capsys.readouterr().out
    damage(store, "multilevel", how)
    assert main([*FIT, "--store", str(store)]) == 0
    out, err = capsys.readouterr()
    one_warning_and_a_refit(err, store, "multilevel")
    assert out.split("diagnostics:")[0] == first.split("diagnostics:")[0]  # same seed, same fit


@pytest.mark.slow
@pytest.mark.parametrize("how", ["garbled-nc", "deleted-nc"])
def test_fit_save_warns_once_and_fits_again(how: str, tmp_path: Path, capsys) -> None:
    store, saved = tmp_path / "store", tmp_path / "fit.nc"
    assert main([*FIT, "--store", str(store)]) == 0
    capsys.readouterr()
    damage(store, "multilevel", how)
    assert main([*FIT, "--store", str(store), "--save", str(saved)]) == 0
    out, err = capsys.readouterr()
    one_warning_and_a_refit(err, store, "multilevel")
    assert f"wrote {saved}" in out and saved.stat().st_size > 0


@pytest.mark.slow
@pytest.mark.parametrize("how", ["truncated-nc", "corrupt-record"])
def test_compare_warns_once_and_fits_again(how: str, tmp_path: Path, capsys) -> None:
    store = tmp_path / "store"
    argv = ["compare", "grants", "--chains", "2", *SETTINGS, "--store", str(store)]
    assert main([*argv, "--json", str(tmp_path / "first.json")]) == 0
    capsys.readouterr()
    assert main(argv) == 0
    assert "computing PSIS-LOO" not in capsys.readouterr().err  # read from the store
    damage(store, "gender_discipline", how)
    assert main([*argv, "--json", str(tmp_path / "again.json")]) == 0
    _, err = capsys.readouterr()
    one_warning_and_a_refit(err, store, "gender_discipline")
    assert "computing PSIS-LOO of grants/gender_discipline" in err
    assert (tmp_path / "again.json").read_text() == (tmp_path / "first.json").read_text()


@pytest.mark.slow
def test_figures_warn_once_and_fit_again(tmp_path: Path, capsys) -> None:
    store = tmp_path / "store"
    argv = ["figures", "--only", "grants-gender-gap-1", *SETTINGS, "--store", str(store),
            "--out", str(tmp_path / "figures")]  # fmt: skip
    assert main(argv) == 0
    capsys.readouterr()
    damage(store, "gender", "emptied-nc")
    assert main(argv) == 0
    _, err = capsys.readouterr()
    one_warning_and_a_refit(err, store, "gender")
    assert (tmp_path / "figures" / "grants-gender-gap-1.png").stat().st_size > 0
