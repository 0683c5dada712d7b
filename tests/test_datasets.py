"""Tests for teachkit.datasets: the shipped tables, the daily builder and table checks."""

from __future__ import annotations

import csv
import gzip
import math
import os
import subprocess
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from teachkit.datasets import (
    BEIJING_NUMERIC,
    OZONE_COLUMNS,
    build_beijing_daily,
    check_grants_frame,
    check_ozone_frame,
    datasets,
    load_beijing_ozone,
    load_dataset,
    load_nwo_grants,
    read_case_csv,
    write_csv,
)
from teachkit.errors import TeachkitError
from teachkit.files import shipped_data

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "beijing_raw"
SHARED_RAW = ROOT.parent / "shared" / "data" / "beijing_prsa"
STATIONS = [
    "Aotizhongxin", "Changping", "Dingling", "Dongsi", "Guanyuan", "Gucheng",
    "Huairou", "Nongzhanguan", "Shunyi", "Tiantan", "Wanliu", "Wanshouxigong",
]  # fmt: skip


def test_beijing_lecture_rows() -> None:
    df = load_beijing_ozone()
    assert len(df) == 16_966
    assert df["station"].nunique() == 12
    assert not df.isna().any().any()


def test_beijing_outcome_rows() -> None:
    df = load_beijing_ozone(missing="outcome")
    assert len(df) == 17_411
    assert not df[["O3", "TEMP", "log_ozone"]].isna().any().any()
    assert df.drop(columns=["O3", "TEMP", "log_ozone"]).isna().any().any()


def test_beijing_columns_and_station_ids() -> None:
    df = load_beijing_ozone()
    assert list(df.columns[: len(OZONE_COLUMNS)]) == list(OZONE_COLUMNS)
    assert set(df.columns) == {*OZONE_COLUMNS, *BEIJING_NUMERIC}
    ids = df.groupby("station_id")["station"].unique().map(lambda s: s[0])
    assert list(ids) == STATIONS == sorted(STATIONS)
    np.testing.assert_allclose(df["log_ozone"], np.log(df["O3"]))
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert df["date"].min() == pd.Timestamp("2013-03-01")
    assert df["date"].max() == pd.Timestamp("2017-02-28")


def test_beijing_missing_option_is_checked() -> None:
    with pytest.raises(TeachkitError, match="missing must be 'lecture' or 'outcome'"):
        load_beijing_ozone(missing="all")  # type: ignore[arg-type]


def test_nwo_grants() -> None:
    df = load_nwo_grants()
    assert df.shape == (18, 4)
    assert list(df["discipline"].cat.categories[:3]) == [
        "Chemical sciences",
        "Physical sciences",
        "Physics",
    ]
    assert len(df["discipline"].cat.categories) == 9
    assert list(df["gender"].cat.categories) == ["f", "m"]
    assert df["applications"].dtype == np.int64 and df["awards"].dtype == np.int64
    totals = df.groupby("gender", observed=True)[["applications", "awards"]].sum()
    assert totals.loc["m"].tolist() == [1635, 290]
    assert totals.loc["f"].tolist() == [1188, 177]


def test_datasets_lists_each_case_study_s_data() -> None:
    assert set(datasets()) == {"beijing", "nwo", "cafes"}


def test_load_dataset_by_name() -> None:
    assert len(load_dataset("nwo")) == 18
    with pytest.raises(TeachkitError, match="unknown data set 'foo'; choose one of: beijing, nwo"):
        load_dataset("foo")


def _reference_daily(folder: Path) -> dict[tuple[str, str], dict[str, float]]:
    """Independent reference: the csv module and plain Python max, skipping NA."""
    maxima: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for path in sorted(folder.iterdir()):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", newline="") as fh:
            for row in csv.DictReader(fh):
                key = (row["station"], f"{int(row['year']):04d}-{int(row['month']):02d}-"
                       f"{int(row['day']):02d}")  # fmt: skip
                for col in BEIJING_NUMERIC:
                    if row[col] != "NA":
                        v = float(row[col])
                        maxima[key][col] = max(maxima[key].get(col, -math.inf), v)
    return maxima


def test_build_daily_from_fixture_matches_reference() -> None:
    daily = build_beijing_daily(FIXTURE)
    reference = _reference_daily(FIXTURE)
    assert len(daily) == len(reference) == 4
    assert list(daily["station"]) == ["Aotizhongxin"] * 2 + ["Wanliu"] * 2
    assert list(daily["station_id"]) == [0, 0, 1, 1]
    for row in daily.itertuples(index=False):
        expected = reference[(row.station, row.date)]
        for col in BEIJING_NUMERIC:
            got = daily.loc[(daily.station == row.station) & (daily.date == row.date), col]
            if col in expected:
                assert got.item() == expected[col], (row.station, row.date, col)
            else:
                assert np.isnan(got.item()), (row.station, row.date, col)
    # the planted missing day: all O3 readings of Aotizhongxin on 2013-03-02 are NA
    day2 = daily[(daily.station == "Aotizhongxin") & (daily.date == "2013-03-02")]
    assert day2["O3"].isna().all() and day2["TEMP"].notna().all()


def test_build_daily_writes_deterministic_csv(tmp_path: Path) -> None:
    a = write_csv(build_beijing_daily(FIXTURE), tmp_path / "a.csv").read_bytes()
    b = write_csv(build_beijing_daily(FIXTURE), tmp_path / "b.csv").read_bytes()
    assert a == b
    assert a.splitlines()[0] == b"station,station_id,date," + ",".join(BEIJING_NUMERIC).encode()


def test_build_daily_reports_bad_folders(tmp_path: Path) -> None:
    with pytest.raises(TeachkitError, match="no raw files"):
        build_beijing_daily(tmp_path)
    (tmp_path / "PRSA_Data_X_1.csv").write_text("year,month,day,station\n2013,3,1,X\n")
    with pytest.raises(TeachkitError, match="lacks column"):
        build_beijing_daily(tmp_path)


@pytest.mark.slow
def test_rebuild_from_raw_reproduces_shipped_csv(tmp_path: Path) -> None:
    """Needs the course's raw files (../shared/data/beijing_prsa); they are not shipped."""
    if not SHARED_RAW.is_dir():
        pytest.skip(f"raw Beijing files not present at {SHARED_RAW}")
    rebuilt = write_csv(build_beijing_daily(SHARED_RAW), tmp_path / "daily.csv").read_bytes()
    assert rebuilt == shipped_data("beijing_ozone_daily.csv").read_bytes()


def test_shipped_nwo_file_is_the_reference_copy() -> None:
    reference = ROOT.parent / "shared" / "data" / "nwo_grants.csv"
    if not reference.is_file():
        pytest.skip(f"reference NWO file not present at {reference}")
    assert shipped_data("nwo_grants.csv").read_bytes() == reference.read_bytes()


@pytest.mark.slow
def test_wheel_ships_the_data_and_finds_it(tmp_path: Path) -> None:
    """Build the wheel, install it into a bare folder and load both tables from there."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "wheel"), str(ROOT)],
        check=True,
    )  # fmt: skip
    (wheel,) = (tmp_path / "wheel").glob("teachkit-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "teachkit/data/beijing_ozone_daily.csv" in names
    assert "teachkit/data/nwo_grants.csv" in names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import teachkit.datasets as d; from teachkit.files import shipped_data as s; "
        f"assert str(s('nwo_grants.csv')).startswith({str(target)!r}), s('nwo_grants.csv'); "
        "print(len(d.load_beijing_ozone()), len(d.load_nwo_grants()))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["16966", "18"]


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"discipline": ["a"], "gender": ["m"], "applications": [3]}),
         r"lacks column.*awards; a grants table needs discipline, gender, applications, awards"),
        (pd.DataFrame({"discipline": ["a"], "gender": ["x"], "applications": [3], "awards": [1]}),
         "gender must be 'f' or 'm', found x"),
        (pd.DataFrame({"discipline": ["a"], "gender": ["m"], "applications": [-3], "awards": [0]}),
         "applications must be whole numbers from 0 to"),
        (pd.DataFrame({"discipline": ["a"], "gender": ["m"], "applications": [3], "awards": [1.5]}),
         "awards must be whole numbers from 0 to"),
        (pd.DataFrame({"discipline": ["a"], "gender": ["f"], "applications": [3], "awards": [4]}),
         r"awards exceed applications for a/f \(4 > 3\)"),
    ],
)  # fmt: skip
def test_grants_checks(frame: pd.DataFrame, match: str) -> None:
    with pytest.raises(TeachkitError, match=match):
        check_grants_frame(frame)


def test_ozone_checks() -> None:
    good = load_beijing_ozone().head(20)
    check_ozone_frame(good)
    with pytest.raises(TeachkitError, match=r"lacks column.*TEMP; an ozone table needs"):
        check_ozone_frame(good.drop(columns="TEMP"))
    bad = good.assign(station_id=good["station_id"].astype(float) + 0.5)
    with pytest.raises(TeachkitError, match="station_id must hold integers"):
        check_ozone_frame(bad)
    with pytest.raises(TeachkitError, match="column TEMP must hold numbers"):
        check_ozone_frame(good.assign(TEMP="warm"))


def test_read_case_csv_round_trip(tmp_path: Path) -> None:
    path = write_csv(load_nwo_grants(), tmp_path / "g.csv")
    pd.testing.assert_frame_equal(read_case_csv("grants", path), load_nwo_grants())
    with pytest.raises(TeachkitError, match="no such file"):
        read_case_csv("grants", tmp_path / "missing.csv")
    with pytest.raises(TeachkitError, match="lacks column"):
        read_case_csv("ozone", path)
