"""Tests for teachkit.cli.fitting: fits read from the store, bad data files, and bugs that keep
their traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from teachkit import pipeline
from teachkit.cli import main
from teachkit.datasets import load_nwo_grants

FIT = ["fit", "grants", "--model", "gender", "--seed", "5", "--draws", "200", "--tune", "200"]


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def table_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(("│", "┃"))]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "cannot be read as a CSV table"),
        (b"discipline,gender,applications,awards\n", "has a header but no rows"),
        (
            b"discipline\tgender\tapplications\tawards\nPhysics\tf\t10\t2\n",
            "separate its columns with commas or semicolons",
        ),
        (bytes(range(256)) * 4, "is not a text file"),
    ],
    ids=["empty", "header-only", "wrong-delimiter", "binary"],
)
@pytest.mark.parametrize("command", ["fit", "compare"])
def test_unreadable_data_files_give_one_line_and_exit_2(
    command: str, content: bytes, message: str, tmp_path: Path, capsys
) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    argv = ["fit", "grants", "--model", "gender"] if command == "fit" else ["compare", "grants"]
    code, out, err = run([*argv, "--data", str(path)], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("teachkit: error: ") and message in err, err


@pytest.mark.parametrize("function", ["fit_model", "compare_models"])
def test_a_bug_keeps_its_traceback(function: str, monkeypatch, capsys) -> None:
    """Only teachkit's own errors become exit code 2; anything else is a bug and propagates."""

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the library")

    monkeypatch.setattr(pipeline, function, broken)
    argv = (
        ["fit", "grants", "--model", "gender"] if function == "fit_model" else ["compare", "grants"]
    )
    with pytest.raises(RuntimeError, match="a bug in the library"):
        main(argv)


@pytest.mark.slow
def test_a_repeated_fit_is_read_from_the_store(tmp_path: Path, capsys) -> None:
    store = ["--store", str(tmp_path / "store")]
    code, first, err = run([*FIT, *store], capsys)
    assert code == 0 and "fitting grants/gender" in err
    assert {"alpha[f]", "alpha[m]"} <= {line.split("│")[1].strip() for line in table_lines(first)
                                        if line.startswith("│")}  # fmt: skip
    code, second, err = run([*FIT, *store], capsys)
    assert code == 0 and err.startswith("read the stored fit of grants/gender from ")
    assert table_lines(second) == table_lines(first)
    assert "stored fit; sampling it took" in second

    # anything that determines the draws misses the store; --refit samples again
    data = tmp_path / "nwo.csv"
    load_nwo_grants().assign(awards=lambda d: d["awards"] // 2).to_csv(data, index=False)
    for change in (["--seed", "6"], ["--draws", "201"], ["--chains", "3"], ["--data", str(data)],
                   ["--refit"]):  # fmt: skip
        code, _, err = run([*FIT, *store, *change], capsys)
        assert code == 0 and "fitting grants/gender" in err, change


@pytest.mark.slow
def test_reading_the_store_imports_neither_pymc_nor_arviz(tmp_path: Path) -> None:
    """What keeps a repeated `teachkit fit` fast: it prints from the stored record."""
    env_store = str(tmp_path / "store")
    assert main([*FIT, "--store", env_store]) == 0
    code = (
        "import sys; from teachkit.cli import main; "
        f"code = main({[*FIT, '--store', env_store]!r}); "
        "print(code, 'pymc' in sys.modules, 'arviz' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)  # fmt: skip
    assert result.stdout.splitlines()[-1] == "0 False False", result.stdout


def test_the_bench_table_fits_a_120_column_log_uncut() -> None:
    """Every row of ``teachkit bench``, bambi's included, shown whole where output is a file.

    Off a terminal the console is 120 columns wide; a label too long for it made rich cut
    every column to a few letters ("wal…", "compil…"), numbers included.
    """
    import io

    from rich.console import Console

    from teachkit.cases.ozone.benchmark import BenchRow
    from teachkit.cli.fitting import bench_table

    forms = [("slides", "pymc"), ("slides", "nutpie"), ("teachkit", "nutpie"),
             ("spatial", "nutpie"), ("bambi", "nutpie")]  # fmt: skip
    rows = [
        BenchRow(
            form,
            sampler,
            start,
            wall=226.09,
            compile=10.2,
            sampling=221.47,
            min_ess_bulk=2481.26,
            divergences=0,
            runs=(226.09,),
        )  # fmt: skip
        for form, sampler in forms
        for start in ("cold", "warm")
    ]
    buffer = io.StringIO()
    Console(file=buffer, width=120).print(bench_table(rows))
    text = buffer.getvalue()
    assert "…" not in text
    for row in rows:
        assert row.label in text
    assert "226.09" in text and "2481" in text
