"""The progress display: drawn on a terminal, absent from piped output, ``--json`` and ``--quiet``.

The terminal is a real pseudo-terminal (``pty.openpty``) given to a ``python -m teachkit``
process as its stdin, stdout and stderr, so the process sees ``isatty()`` exactly as in a
user's shell.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from teachkit.cli.app import RichProgress, progress_display
from teachkit.progress import SILENT

FIT = ["fit", "grants", "--model", "gender", "--draws", "100", "--tune", "100", "--chains", "2"]
#: What only a drawn display writes: rich's spinner frames ("dots"), the header of nutpie's
#: per-chain bars, and the cursor movements that redraw them in place. (Bar characters such
#: as "━" also draw the summary table's rules, so they prove nothing.)
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
NUTPIE_BAR = "Grad evals"
CURSOR = ("\x1b[1A", "\x1b[2K", "\x1b[?25l")  # line up, erase line, hide the cursor
TIMEOUT_S = 300.0
#: The checkout under test: ``python -m teachkit`` must import it, not an installed copy.
ROOT = Path(__file__).resolve().parents[2]


def env_for(store: Path) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "TEACHKIT_FIT_STORE": str(store), "PYTHONPATH": path}
    env.update(COLUMNS="120", LINES="40", TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    return env


def run_on_terminal(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """Run ``teachkit argv`` on a pseudo-terminal of 120 x 40; (exit code, all it wrote)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "teachkit", *argv],
        stdin=follower, stdout=follower, stderr=follower, env=env, cwd=cwd, close_fds=True,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + TIMEOUT_S
    try:
        while time.monotonic() < deadline:
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: the process closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(leader)
    code = process.wait(timeout=60)
    return code, b"".join(chunks).decode("utf-8", errors="replace")


def drawn(output: str) -> list[str]:
    """The display's marks found in ``output``."""
    marks = [c for c in (*SPINNER, NUTPIE_BAR) if c in output]
    return marks + [c for c in CURSOR if c in output]


@pytest.mark.slow
def test_a_terminal_sees_the_display_and_pipes_and_json_runs_do_not(tmp_path: Path) -> None:
    env = env_for(tmp_path / "store")

    code, shown = run_on_terminal([*FIT, "--refit"], env, tmp_path)
    assert code == 0, shown
    assert "compiling grants/gender with nutpie" in shown  # rich's spinner line
    assert any(c in shown for c in SPINNER), shown[-2000:]
    assert NUTPIE_BAR in shown  # nutpie's per-chain bars
    assert "\x1b[2K" in shown  # redrawn in place
    assert "gender_gap" in shown  # the summary still prints

    piped = subprocess.run(
        [sys.executable, "-m", "teachkit", *FIT, "--refit"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=TIMEOUT_S,
    )  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    assert drawn(piped.stdout + piped.stderr) == []
    assert "\x1b[" not in piped.stdout + piped.stderr
    assert "fitting grants/gender" in piped.stderr  # the plain status line stays

    out = tmp_path / "fit.json"
    code, shown = run_on_terminal([*FIT, "--refit", "--json", str(out)], env, tmp_path)
    assert code == 0, shown
    assert drawn(shown) == [], shown[-2000:]
    assert "compiling grants/gender" not in shown
    record = json.loads(out.read_text())  # plain JSON, no display in it
    assert drawn(out.read_text()) == []
    assert record["model"] == "gender"


@pytest.mark.slow
def test_quiet_on_a_terminal_shows_results_only(tmp_path: Path) -> None:
    env = env_for(tmp_path / "store")
    code, shown = run_on_terminal([*FIT, "--refit", "--quiet"], env, tmp_path)
    assert code == 0, shown
    assert drawn(shown) == [], shown[-2000:]
    assert "fitting grants/gender" not in shown  # no status line either
    assert "gender_gap" in shown


def test_progress_display_is_silent_off_a_terminal_or_when_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert isinstance(progress_display(), RichProgress)
    assert progress_display(quiet=True) is SILENT
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert progress_display() is SILENT


def test_rich_progress_draws_steps_and_counts_on_a_terminal() -> None:
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)
    display = RichProgress(console)
    assert display.sampler_bar
    with display.step("compiling toy/model with nutpie"):
        pass
    with display.count("SBC toy/model fits", total=4) as update:
        for done in range(1, 5):
            update(done)
    text = buffer.getvalue()
    assert "compiling toy/model with nutpie" in text
    assert "4/4" in text
    assert "/min" in text
