"""A teachkit process killed part-way (SIGKILL: no clean-up runs) leaves each output either
complete or as it was before, never truncated: every file is written to a temporary file in
the target folder and renamed into place (teachkit.files.atomic_write)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib.image as mpimg
import pandas as pd
import pytest

pytestmark = pytest.mark.slow

#: How long to wait for a command's temporary output file to appear before giving up.
APPEAR_TIMEOUT_S = 180.0
PREVIOUS = b"the previous, complete file\n"


def kill_while_writing(argv: list[str], target: Path, env: dict[str, str]) -> bool:
    """Start ``teachkit argv``; SIGKILL it as soon as its temporary file for ``target`` exists.

    Returns whether the kill came while the temporary file was there (False: the process
    finished first, which the caller's check must also accept).
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "teachkit", *argv],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    pattern = f".{target.stem}-*{target.suffix}"
    deadline = time.monotonic() + APPEAR_TIMEOUT_S
    caught = False
    while process.poll() is None and time.monotonic() < deadline:
        if any(target.parent.glob(pattern)):
            os.kill(process.pid, signal.SIGKILL)
            caught = True
            break
        time.sleep(0.001)
    if process.poll() is None:
        process.kill()
    process.wait()
    return caught


def complete_csv(path: Path, rows: int) -> bool:
    return len(pd.read_csv(path)) == rows


def complete_json(path: Path) -> bool:
    return "parameters" in json.loads(path.read_text())


def complete_png(path: Path) -> bool:
    return path.read_bytes().endswith(b"IEND\xaeB`\x82") and mpimg.imread(path).size > 0


@pytest.mark.parametrize(
    ("argv", "name", "is_complete"),
    [
        (["simulate", "ozone", "--stations", "12", "--days", "20000", "--out", "{out}"],
         "sim.csv", lambda p: complete_csv(p, 240_000)),
        (["fit", "grants", "--model", "gender", "--draws", "100", "--tune", "100",
          "--chains", "2", "--json", "{out}"], "fit.json", complete_json),
        (["figures", "--only", "covariance-elliptope", "--out", "{folder}"],
         "covariance-elliptope.png", complete_png),
    ],
    ids=["simulate", "fit-json", "figures"],
)  # fmt: skip
def test_a_killed_process_leaves_the_previous_file_or_a_complete_one(
    argv: list[str], name: str, is_complete: Callable[[Path], bool], tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / name
    target.write_bytes(PREVIOUS)
    argv = [a.replace("{out}", str(target)).replace("{folder}", str(folder)) for a in argv]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    caught = kill_while_writing(argv, target, env)
    content = target.read_bytes()
    assert content == PREVIOUS or is_complete(target), content[:200]
    if caught:  # killed mid-write: the target was not touched
        assert content == PREVIOUS


def test_without_a_previous_file_a_killed_write_leaves_none(tmp_path: Path) -> None:
    target = tmp_path / "out" / "sim.csv"
    argv = ["simulate", "ozone", "--stations", "12", "--days", "20000", "--out", str(target)]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    if kill_while_writing(argv, target, env):
        assert not target.exists()
    else:
        assert complete_csv(target, 240_000)


@pytest.mark.parametrize(
    "argv",
    [
        ["simulate", "grants", "--out", "{blocked}/data.csv"],
        ["simulate", "grants", "--out", "{folder}"],
        ["data", "export", "nwo", "--out", "{blocked}/nwo.csv"],
        ["demo", "mvn", "--draws", "100", "--out", "{blocked}"],
    ],
    ids=["file-in-the-way", "folder-as-file", "export", "demo-folder"],
)
def test_unwritable_output_paths_give_one_line(argv: list[str], tmp_path: Path, capsys) -> None:
    """A missing parent folder is made; a path that cannot be written is one line, exit 2."""
    from teachkit.cli import main

    blocked = tmp_path / "a-file"
    blocked.write_text("in the way")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    argv = [a.replace("{blocked}", str(blocked)).replace("{folder}", str(folder)) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("teachkit: error: cannot write"), err
    assert main(["simulate", "grants", "--out", str(tmp_path / "new" / "deep" / "g.csv")]) == 0
