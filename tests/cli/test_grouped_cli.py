"""Tests for the grouped case on the command line: ``recover``, ``sbc`` and ``simulate grouped``
on a user's table, its bad inputs (one line, exit 2, nothing written), and a table whose column
names have dots and spaces."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from teachkit.cases.grouped.simulate import CAFES, simulate_grouped
from teachkit.cases.grouped.table import MAX_GROUPS
from teachkit.cli import main

#: A user's column names, with a dot and a space (the radon data's style).
Y, X, GROUP = "log.radon", "floor level", "county"
COLUMNS = ["--y", Y, "--x", X, "--group", GROUP]


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def radon_table(n_groups: int = 5, per_group: int = 8, seed: int = 3) -> pd.DataFrame:
    """A simulated table in the user's column names; groups are county names."""
    counties = [f"County {chr(65 + j)}" for j in range(n_groups)]
    design = pd.DataFrame(
        {
            "group": np.repeat(counties, per_group),
            "x": np.tile(np.arange(per_group) % 2, n_groups).astype(float),
        }
    )
    data = simulate_grouped(design, rng=seed).data
    return data.rename(columns={"y": Y, "x": X, "group": GROUP})


def write_table(path: Path, frame: pd.DataFrame) -> Path:
    frame.to_csv(path, index=False)
    return path


def bad_tables(tmp_path: Path) -> dict[str, tuple[Path, str, list[str]]]:
    """Each bad input: its file, a phrase of its message, and extra arguments."""
    good = radon_table()

    def variant(name: str, change) -> Path:
        frame = good.copy()
        frame = change(frame) if change is not None else frame
        return write_table(tmp_path / f"{name}.csv", frame)

    def text(frame: pd.DataFrame) -> pd.DataFrame:
        frame[Y] = frame[Y].astype(object)
        frame.loc[3, Y] = "twelve"
        return frame

    def infinite(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[2, X] = np.inf
        return frame

    def one_group(frame: pd.DataFrame) -> pd.DataFrame:
        frame[GROUP] = "County A"
        return frame

    def constant_x(frame: pd.DataFrame) -> pd.DataFrame:
        frame[X] = 1.0
        return frame

    def missing(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[[1, 4], Y] = np.nan
        return frame

    many = pd.DataFrame(
        {
            GROUP: np.repeat(np.arange(MAX_GROUPS + 1), 2),
            X: np.tile([0.0, 1.0], MAX_GROUPS + 1),
            Y: np.arange(2 * (MAX_GROUPS + 1), dtype=float),
        }
    )
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(f"{GROUP},{X},{Y}\nMontr\xe9al,0,1.0\nQu\xe9bec,1,2.0\n".encode("latin-1"))
    toml = tmp_path / "bad.toml"
    toml.write_text("mu_alpha = { mean = 0, sd = -1 }\n")
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("tau = { family = 'halfnormal', scale = 1 }\n")
    broken = tmp_path / "broken.toml"
    broken.write_text("mu_alpha = {\n")
    plain = variant("good", None)
    return {
        "misspelt column": (plain, "its columns: 'county', 'floor level', 'log.radon'", []),
        "non-numeric": (variant("text", text), "must hold numbers; row 4 has 'twelve'", []),
        "infinite": (variant("inf", infinite), "has 1 infinite values", []),
        "empty file": (empty, "cannot be read as a CSV table", []),
        "one group": (variant("one", one_group), "has 1 group; the models need at least 2", []),
        "constant x": (variant("constant", constant_x), "x must vary", []),
        "too many groups": (
            write_table(tmp_path / "many.csv", many),
            f"has {MAX_GROUPS + 1} groups; at most {MAX_GROUPS} are allowed",
            [],
        ),
        "not utf-8": (latin, "is not UTF-8 text (byte 0xe9 at position", []),
        "missing values": (variant("missing", missing), "pass --dropna to drop them", []),
        "priors: negative sd": (plain, "must be positive", ["--priors", str(toml)]),
        "priors: unknown entry": (plain, "tau", ["--priors", str(unknown)]),
        "priors: not TOML": (plain, "is not valid TOML", ["--priors", str(broken)]),
        "priors: no such file": (
            plain, "--priors: no such file no.toml", ["--priors", "no.toml"]),
    }  # fmt: skip


BAD = [
    "misspelt column", "non-numeric", "infinite", "empty file", "one group", "constant x",
    "too many groups", "not utf-8", "missing values", "priors: negative sd",
    "priors: unknown entry", "priors: not TOML", "priors: no such file",
]  # fmt: skip


def command(name: str, tmp_path: Path) -> tuple[list[str], Path]:
    """The command's arguments before --data, and the file it would write."""
    out = tmp_path / "written"
    if name == "recover":
        return ["recover", "grouped", "--model", "covarying", "--json", str(out)], out
    if name == "sbc":
        return ["sbc", "grouped", "--model", "covarying", "--sims", "2", "--out", str(out)], out
    if name == "fit":
        return ["fit", "grouped", "--model", "covarying", "--json", str(out)], out
    return ["simulate", "grouped", "--out", str(out), "--truth", str(tmp_path / "truth")], out


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("name", ["recover", "sbc", "simulate", "fit"])
def test_a_bad_table_is_one_line_exit_2_and_nothing_written(
    name: str, bad: str, tmp_path: Path, capsys
) -> None:
    path, message, extra = bad_tables(tmp_path)[bad]
    if bad == "misspelt column":
        extra = ["--y", "log_radon", "--x", X, "--group", GROUP]
    argv, out = command(name, tmp_path)
    columns = [] if bad == "misspelt column" else COLUMNS
    code, stdout, err = run([*argv, "--data", str(path), *columns, *extra], capsys)
    assert code == 2, (stdout, err)
    assert err.count("\n") == 1 and err.startswith("teachkit: error: ") and message in err, err
    assert not out.exists() and not (tmp_path / "truth").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["recover", "grouped", "--model", "covarying", "--y", Y],
         "--y, --x and --group come together; also give --x, --group"),
        (["sbc", "grouped", "--model", "covarying", "--sims", "2", "--x", X, "--group", GROUP],
         "also give --y"),
        (["simulate", "grouped", "--y", Y, "--x", X], "also give --group"),
        (["recover", "ozone", "--model", "covarying", *COLUMNS], "the ozone case takes no"),
        (["sbc", "ozone", "--model", "covarying", "--sims", "2", *COLUMNS],
         "the ozone case takes no"),
        (["recover", "grouped", "--model", "covarying", "--truth-from", "guessed"],
         "--truth-from"),
        (["simulate", "grouped", "--rho", "1.5"], "rho must lie strictly between -1 and 1"),
        (["simulate", "grouped", "--sigma", "0"], "sigma must be a number > 0"),
        (["simulate", "grouped", "--groups", "1"], "n_groups"),
        (["recover", "ozone", "--model", "covarying", "--truth-from", "fitted"],
         "--truth-from fitted is for a case fitted to your own table"),
        (["recover", "grants", "--model", "gender", "--data", "nwo"],
         "the grants case takes no --data here"),
    ],
    ids=["recover-y-alone", "sbc-no-y", "simulate-no-group", "recover-ozone-y", "sbc-ozone-y",
         "truth-from", "rho", "sigma", "one-group-grid", "ozone-fitted", "grants-data"],
)  # fmt: skip
def test_bad_options_are_one_line_and_exit_2(
    argv: list[str], message: str, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "written"
    target = ["--out", str(out)] if argv[0] in ("simulate", "sbc") else ["--json", str(out)]
    code, stdout, err = run([*argv, *target], capsys)
    assert code == 2, (stdout, err)
    assert err.count("\n") == 1 and message in err, err
    assert not out.exists()


def test_a_design_of_its_own_excludes_data(tmp_path: Path, capsys) -> None:
    path = write_table(tmp_path / "radon.csv", radon_table())
    for argv in (
        ["simulate", "grouped", "--out", str(tmp_path / "s.csv")],
        ["sbc", "grouped", "--model", "covarying", "--sims", "2", "--out", str(tmp_path / "s")],
    ):
        code, _, err = run([*argv, "--data", str(path), *COLUMNS, "--groups", "4"], capsys)
        assert code == 2 and "with --data the design is the file's" in err, err


def test_dropna_drops_the_rows_and_says_how_many(tmp_path: Path, capsys) -> None:
    frame = radon_table()
    frame.loc[[1, 4], Y] = np.nan
    frame.loc[7, GROUP] = None
    path = write_table(tmp_path / "radon.csv", frame)
    out = tmp_path / "sim.csv"
    argv = ["simulate", "grouped", "--data", str(path), *COLUMNS, "--out", str(out), "--dropna",
            "--truth-from", "given"]  # fmt: skip
    code, stdout, err = run(argv, capsys)
    assert code == 0, err
    assert "dropped 3 rows with missing values from radon.csv (--dropna)" in stdout
    assert len(pd.read_csv(out)) == len(frame) - 3


def test_simulate_on_a_users_design_reads_back_with_the_same_flags(tmp_path: Path, capsys):
    """Same groups, group sizes and x values; the user's columns; canonical truth names."""
    user = radon_table(n_groups=4, per_group=6)
    path = write_table(tmp_path / "radon.csv", user)
    out, truth = tmp_path / "sim.csv", tmp_path / "truth.json"
    argv = ["simulate", "grouped", "--data", str(path), *COLUMNS, "--out", str(out),
            "--truth", str(truth), "--seed", "4", "--mu-beta", "0.25",
            "--truth-from", "given"]  # fmt: skip
    code, stdout, err = run(argv, capsys)
    assert code == 0, err
    assert "truth: given (" in stdout and "set here: mu_beta" in stdout
    sim = pd.read_csv(out)
    assert list(sim.columns) == [GROUP, X, Y]
    pd.testing.assert_frame_equal(sim[[GROUP, X]], user[[GROUP, X]])
    assert not np.allclose(sim[Y], user[Y])
    planted = json.loads(truth.read_text())
    assert planted["mu_beta"] == 0.25
    assert {k: planted[k] for k in CAFES if k != "mu_beta"} == {
        k: v for k, v in CAFES.items() if k != "mu_beta"
    }
    assert {f"alpha[County {c}]" for c in "ABCD"} <= set(planted)
    # the simulated file is a table the same flags read
    code, _, err = run(
        [
            "simulate",
            "grouped",
            "--data",
            str(out),
            *COLUMNS,
            "--out",
            str(tmp_path / "b.csv"),
            "--truth-from",
            "given",
        ],
        capsys,
    )
    assert code == 0, err


def test_simulate_on_a_grid(tmp_path: Path, capsys) -> None:
    out = tmp_path / "grid.csv"
    argv = ["simulate", "grouped", "--groups", "3", "--per-group", "5", *COLUMNS,
            "--out", str(out)]  # fmt: skip
    code, stdout, err = run(argv, capsys)
    assert code == 0, err
    assert "3 x 5 grid" in stdout
    sim = pd.read_csv(out)
    assert sim.groupby(GROUP).size().tolist() == [5, 5, 5]
    assert sim[X].iloc[:5].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_simulate_defaults_to_the_cafes(tmp_path: Path, capsys) -> None:
    out = tmp_path / "cafes.csv"
    code, stdout, _ = run(["simulate", "grouped", "--out", str(out)], capsys)
    assert code == 0 and "the cafés' design" in stdout
    assert list(pd.read_csv(out).columns) == ["cafe", "afternoon", "wait"]


@pytest.mark.slow
def test_simulate_with_a_fitted_truth_says_so_and_plants_the_posterior_means(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("TEACHKIT_FIT_STORE", str(tmp_path / "store"))
    path = write_table(tmp_path / "radon.csv", radon_table())
    out, truth = tmp_path / "sim.csv", tmp_path / "truth.json"
    argv = ["simulate", "grouped", "--data", str(path), *COLUMNS, "--truth-from", "fitted",
            "--draws", "200", "--tune", "200", "--chains", "2", "--out", str(out),
            "--truth", str(truth), "--quiet"]  # fmt: skip
    code, stdout, err = run(argv, capsys)
    assert code == 0, err
    assert "truth: fitted (posterior means of grouped/covarying on radon.csv)" in stdout
    record_argv = ["fit", "grouped", "--model", "covarying", "--data", str(path), *COLUMNS,
                   "--draws", "200", "--tune", "200", "--chains", "2", "--seed", "0",
                   "--json", str(tmp_path / "fit.json"), "--quiet"]  # fmt: skip
    assert run(record_argv, capsys)[0] == 0
    fitted = json.loads((tmp_path / "fit.json").read_text())["parameters"]
    planted = json.loads(truth.read_text())
    for name in CAFES:
        assert planted[name] == pytest.approx(fitted[name]["mean"], rel=1e-9), name


@pytest.mark.slow
def test_columns_with_dots_and_spaces_fit_and_the_record_has_canonical_names(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("TEACHKIT_FIT_STORE", str(tmp_path / "store"))
    path = write_table(tmp_path / "radon.csv", radon_table())
    out = tmp_path / "fit.json"
    argv = ["fit", "grouped", "--model", "covarying", "--data", str(path), *COLUMNS,
            "--draws", "200", "--tune", "200", "--chains", "2", "--json", str(out)]  # fmt: skip
    code, _, err = run(argv, capsys)
    assert code == 0, err
    record = json.loads(out.read_text())
    names = set(record["parameters"])
    hyper = {"mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "rho", "sigma"}
    groups = {f"{p}[County {c}]" for p in ("alpha", "beta") for c in "ABCDE"}
    assert hyper | groups <= names
    assert record["columns"] == {"y": Y, "x": X, "group": GROUP}
    assert not any(Y in n or X in n for n in names)
