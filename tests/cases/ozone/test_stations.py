"""Tests for teachkit.cases.ozone.stations: the shipped station coordinates."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from teachkit.cases.ozone import stations as stations_module
from teachkit.cases.ozone.data import station_names
from teachkit.cases.ozone.stations import STATIONS_COLUMNS, load_beijing_stations
from teachkit.datasets import load_beijing_ozone
from teachkit.errors import TeachkitError
from teachkit.files import shipped_data

ROOT = Path(__file__).resolve().parents[3]


def test_twelve_stations_with_the_ozone_tables_names_and_ids() -> None:
    stations = load_beijing_stations()
    assert list(stations.columns) == list(STATIONS_COLUMNS)
    assert len(stations) == 12
    assert stations["station_id"].tolist() == list(range(12))
    ozone = load_beijing_ozone(missing="outcome")
    assert stations["station"].tolist() == station_names(ozone)
    pairs = ozone[["station", "station_id"]].drop_duplicates().sort_values("station_id")
    merged = stations.merge(pairs, on="station", suffixes=("", "_ozone"))
    assert (merged["station_id"] == merged["station_id_ozone"]).all()


def test_coordinates_are_beijing() -> None:
    stations = load_beijing_stations()
    assert np.issubdtype(stations["latitude"].dtype, np.floating)
    assert stations["latitude"].between(39.8, 40.4).all()
    assert stations["longitude"].between(116.1, 116.7).all()
    assert stations.set_index("station").loc["Huairou", "latitude"] == 40.328


def test_shipped_file_is_the_project_copy() -> None:
    assert (
        shipped_data("beijing_stations.csv").read_bytes()
        == (ROOT / "data" / "beijing_stations.csv").read_bytes()
    )


def test_the_wheel_ships_the_file() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert shipped["data/beijing_stations.csv"] == "teachkit/data/beijing_stations.csv"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda f: f.iloc[:11], "12 distinct stations"),
        (lambda f: f.assign(latitude=f["latitude"].where(f.index != 2, 91.0)), "latitude"),
        (lambda f: f.assign(longitude=f["longitude"].where(f.index != 0, np.nan)), "longitude"),
        (lambda f: f.drop(columns="longitude"), "lacks column"),
    ],
)
def test_a_damaged_file_is_reported(tmp_path: Path, monkeypatch, edit, message: str) -> None:
    frame = edit(pd.read_csv(shipped_data("beijing_stations.csv")))
    frame.to_csv(tmp_path / "beijing_stations.csv", index=False)
    monkeypatch.setattr(stations_module, "shipped_data", lambda name: tmp_path / name)
    with pytest.raises(TeachkitError, match=message):
        load_beijing_stations()
