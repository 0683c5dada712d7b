"""Property-based tests of the whole command line: whatever a user types, teachkit answers
with exit code 0, 1 or 2, a few lines, no traceback, and (on 1 or 2) no output file.

Hypothesis draws option values (negative, zero, huge, NaN, inf, non-numbers, empty strings,
unicode), matrices for ``check-corr`` and small CSV files for ``--data``. The example
database is off and the number of examples bounded, so CI runs the same examples every time.
"""

from __future__ import annotations

import contextlib
import io
import math
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pymc  # noqa: F401  # raises the recursion limit on import: done before hypothesis runs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teachkit.cli import main

pytestmark = pytest.mark.slow

#: Every property runs this many examples, derandomised (the same ones in every run).
EXAMPLES = 40
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
#: The most lines a refused command may print (its one error line, plus a progress line).
MAX_LINES = 3

NASTY = ["", " ", "nan", "NaN", "inf", "-inf", "1e309", "-0", "0", "-1", "1e-320", "abc",
         "1,2", "1;2", "ρ", "🙂", "0x10", "1_000", "None", "[1]", "--", "1e400", "١٢"]  # fmt: skip
numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(NASTY),
)
values = st.one_of(numbers, st.text(max_size=6))
#: Values every fit-like option below refuses before any sampling starts (so the test stays
#: fast): negative, beyond every limit (teachkit.checks), not a whole number.
bad_counts = st.one_of(
    st.integers(max_value=-1).map(str),
    st.integers(min_value=10**10, max_value=10**15).map(str),
    st.sampled_from(["nan", "inf", "-inf", "abc", "", "1.5", "ρ", "1e309", "0x10"]),
)


def run(argv: list[str], folder: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def check(argv: list[str], folder: Path, outputs: list[Path]) -> int:
    code, out, err = run(argv, folder)
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in out + err, (argv, err)
    if code == 2:  # the error is the last line (a progress line may stand before it)
        assert err.splitlines()[-1].startswith("teachkit: error: "), (argv, err)
        assert len(err.splitlines()) <= MAX_LINES and len(out.splitlines()) <= MAX_LINES
    if code in (1, 2):
        assert not [p for p in outputs if p.exists()], (argv, "left an output file")
    return code


DEMO_TEMPLATES = [
    ["demo", "lkj", "--eta", "{}", "--draws", "200"],
    ["demo", "lkj", "--dim", "{}", "--draws", "200"],
    ["demo", "lkj", "--draws", "{}", "--eta", "1"],
    ["demo", "mvn", "--sds", "{}", "--draws", "200"],
    ["demo", "mvn", "--rho", "{}", "--draws", "200"],
    ["demo", "mvn", "--draws", "{}"],
]
SIMULATE_TEMPLATES = [
    ["simulate", "ozone", "--stations", "{}", "--days", "3"],
    ["simulate", "ozone", "--days", "{}", "--stations", "2"],
    *[["simulate", "ozone", option, "{}", "--stations", "2", "--days", "3"]
      for option in ("--rho", "--sigma", "--sigma-alpha", "--sigma-beta", "--mu-alpha",
                     "--mu-beta", "--missing-rate", "--seed")],
    ["simulate", "grants", "--disciplines", "{}", "--applications", "50"],
    *[["simulate", "grants", option, "{}", "--disciplines", "3", "--applications", "50"]
      for option in ("--applications", "--direct-effect", "--baseline", "--discipline-sd",
                     "--female-share", "--confounding", "--seed")],
]  # fmt: skip
FIT_TEMPLATES = [
    ["fit", "grants", "--model", "gender", option, "{}"]
    for option in ("--draws", "--tune", "--chains", "--seed", "--target-accept")
] + [
    ["fit", "grants", "--model", "{}"],
    ["fit", "ozone", "--model", "covarying", "--parameterization", "{}"],
    ["compare", "grants", "--draws", "{}"],
    ["recover", "grants", "--model", "gender", "--chains", "{}"],
    ["sbc", "grants", "--model", "gender", "--sims", "{}", "--out", "{dir}"],
]


@PROPERTY
@given(template=st.sampled_from(DEMO_TEMPLATES), value=values)
def test_demo_options(template: list[str], value: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "out"
        argv = [a.replace("{}", value) for a in template] + ["--out", str(folder)]
        check(argv, folder, [folder / "lkj.png", folder / "mvn.png"])


@PROPERTY
@given(template=st.sampled_from(SIMULATE_TEMPLATES), value=values)
def test_simulate_options(template: list[str], value: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data, truth = Path(tmp) / "d" / "data.csv", Path(tmp) / "d" / "truth.json"
        argv = [a.replace("{}", value) for a in template]
        check([*argv, "--out", str(data), "--truth", str(truth)], data.parent, [data, truth])


@PROPERTY
@given(template=st.sampled_from(FIT_TEMPLATES), value=bad_counts)
def test_fit_options_are_refused_before_sampling(template: list[str], value: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "o"
        argv = [a.replace("{}", value).replace("{dir}", str(out)) for a in template]
        assert check([*argv, "--json", str(out / "r.json")] if argv[0] != "sbc" else argv,
                     out, [out / "r.json", out / "ranks.csv"]) == 2  # fmt: skip


matrices = st.one_of(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda k: st.lists(
            st.lists(st.floats(allow_nan=True, allow_infinity=True, width=32), min_size=k,
                     max_size=k),
            min_size=k, max_size=k,
        )
    ).map(lambda rows: ";".join(",".join(repr(float(x)) for x in row) for row in rows)),
    st.integers(min_value=2, max_value=4).flatmap(
        lambda k: st.lists(st.floats(-1, 1), min_size=k * (k - 1) // 2, max_size=k * (k - 1) // 2)
        .map(lambda upper, k=k: _symmetric(k, upper))
    ),
    st.text(max_size=12),
)  # fmt: skip


def _symmetric(k: int, upper: list[float]) -> str:
    m = np.eye(k)
    m[np.triu_indices(k, 1)] = upper
    m = np.triu(m) + np.triu(m, 1).T
    return ";".join(",".join(repr(float(x)) for x in row) for row in m)


@PROPERTY
@given(matrix=matrices)
def test_check_corr_answers_every_matrix(matrix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        code = check(["check-corr", matrix], Path(tmp), [])
        assert code in (0, 1, 2)


GRANTS_ROW = {"discipline": "Physics", "gender": "f", "applications": 10, "awards": 3}
OZONE_ROW = {"station": "A", "station_id": 0, "date": "2013-03-01", "TEMP": 20.0, "O3": 80.0,
             "log_ozone": math.log(80.0)}  # fmt: skip
cell_values = st.one_of(
    st.sampled_from(["", "nan", "inf", "-inf", "-3", "1.5", "abc", "1e309", "0", "ρ"]),
    st.integers(-5, 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
)


@st.composite
def csv_files(draw: st.DrawFn, row: dict) -> bytes:
    """A small table derived from a valid row: columns dropped, cells spoiled, delimiters and
    encodings changed, rows duplicated."""
    n = draw(st.integers(0, 6))
    columns = [c for c in row if draw(st.booleans()) or len(row) < 2] or list(row)[:1]
    rows = []
    for i in range(n):
        r = {c: row[c] for c in columns}
        if "station_id" in r:
            r["station_id"] = draw(st.sampled_from([0, 1, 2, 0.5, -1]))
        if "gender" in r:
            r["gender"] = draw(st.sampled_from(["f", "m", "x", ""]))
        if draw(st.integers(0, 3)) == 0:
            spoiled = draw(st.sampled_from(columns))
            r[spoiled] = draw(cell_values)
        rows.append(r if i == 0 or not draw(st.booleans()) else rows[0])
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    text = pd.DataFrame(rows, columns=columns).to_csv(index=False, sep=sep)
    encoded = text.encode("utf-8")
    return draw(st.sampled_from([encoded, b"\xef\xbb\xbf" + encoded, encoded[: len(encoded) // 2],
                                 b"", bytes(range(256))]))  # fmt: skip


@PROPERTY
@given(content=st.one_of(csv_files(GRANTS_ROW), csv_files(OZONE_ROW)),
       case=st.sampled_from(["grants", "ozone"]))  # fmt: skip
def test_data_files_are_read_or_refused(content: bytes, case: str) -> None:
    """``data show --case``: the same reader and checks as ``fit --data``, without a fit."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "user.csv"
        path.write_bytes(content)
        check(["data", "show", str(path), "--case", case], Path(tmp), [])


class Sampled(Exception):
    """Raised in place of sampling: every check before it passed."""


def _sampling_begins(*args: object, **kwargs: object) -> None:
    raise Sampled


@PROPERTY
@given(content=st.one_of(csv_files(GRANTS_ROW), csv_files(OZONE_ROW)),
       case=st.sampled_from(["grants", "ozone"]))  # fmt: skip
def test_fit_checks_data_files_before_it_samples(content: bytes, case: str) -> None:
    """``fit --data``: the reader, the table checks and the model's own checks all run (the
    PyMC model is built); sampling itself is replaced, to keep the test fast."""
    model = "gender" if case == "grants" else "pooled"
    with (
        tempfile.TemporaryDirectory() as tmp,
        mock.patch("teachkit.inference.fit", _sampling_begins),
    ):
        path = Path(tmp) / "user.csv"
        path.write_bytes(content)
        try:
            code = check(["fit", case, "--model", model, "--data", str(path)], Path(tmp), [])
        except Sampled:
            code = 0
        assert code in (0, 2)
