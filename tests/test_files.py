"""Tests for teachkit.files: atomic writes and users' CSV files refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from teachkit.errors import TeachkitError
from teachkit.files import atomic_write, read_table, write_csv, write_json


def test_atomic_write_replaces_only_when_the_new_file_is_complete(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def half_then_fail(path: Path) -> None:
        path.write_text("ne")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        atomic_write(target, half_then_fail)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    atomic_write(target, lambda p: p.write_text("new"))
    assert target.read_text() == "new"


def test_missing_folders_are_made_and_unwritable_paths_refused(tmp_path: Path) -> None:
    assert write_json({"a": 1}, tmp_path / "x" / "y" / "r.json").read_text() == '{\n  "a": 1\n}\n'
    (tmp_path / "folder").mkdir()
    with pytest.raises(TeachkitError, match="it is a folder"):
        write_json({}, tmp_path / "folder")
    (tmp_path / "file").write_text("")
    with pytest.raises(TeachkitError, match=r"^cannot write .*file/sub/r.json: "):
        write_json({}, tmp_path / "file" / "sub" / "r.json")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "cannot be read as a CSV table: the file is empty"),
        (b"a\tb\n1\t2\n", "separate its columns with commas or semicolons"),
        (b"discipline,gender,applications,awards\n", "has a header but no rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\xff\xfe", "is not a text file"),
        ("caf\u00e9,wait\nA,1.5\n".encode("latin-1"), r"is not UTF-8 text \(byte 0xe9 at "
         r"position 3\); save it as UTF-8 CSV"),
    ],
)
def test_unreadable_csv_files_give_one_line(content: bytes, match: str, tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    with pytest.raises(TeachkitError, match=match) as info:
        read_table(path)
    assert "\n" not in str(info.value)


def test_semicolons_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes(b"\xef\xbb\xbfa;b\n1;2\n")
    assert list(read_table(path).columns) == ["a", "b"]


def test_write_csv_is_deterministic(tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.DataFrame({"x": [1.5, 2.0], "d": pd.to_datetime(["2013-03-01", "2013-03-02"])})
    assert (
        write_csv(frame, tmp_path / "a.csv").read_bytes()
        == b"x,d\n1.5,2013-03-01\n2.0,2013-03-02\n"
    )
