"""Helpers for the executed pages of the documentation (imported by their hidden cells).

:func:`terminal` runs a ``teachkit`` command in a subprocess, as a reader would in a terminal,
and prints the prompt, the command and everything it printed. The pages hide the cell that
calls it, so the reader sees a terminal session whose output was made when the site was
built; a command that fails (or exits with another code than expected) breaks the build.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

__all__ = ["terminal"]

#: Width of the CLI's tables in the pages.
COLUMNS = "80"


def terminal(command: str, *, expect: int = 0) -> None:
    """Run ``command`` (it starts with ``teachkit``) and print it with its output.

    Parameters
    ----------
    command : str
        The command line as a reader types it, e.g. ``"teachkit data list"``.
    expect : int
        The exit code the page expects (``check-corr`` says 1 for an invalid matrix).

    Raises
    ------
    RuntimeError
        If the command exits with another code; the message holds what it printed.
    """
    argv = shlex.split(command)
    if argv[:1] != ["teachkit"]:
        raise ValueError(f"not a teachkit command: {command}")
    env = {**os.environ, "COLUMNS": COLUMNS, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "teachkit", *argv[1:]],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, check=False,
    )  # fmt: skip
    printed = result.stdout.rstrip()
    if result.returncode != expect:
        raise RuntimeError(
            f"{command!r} exited with {result.returncode}, expected {expect}:\n{printed}"
        )
    print(f"$ {command}")
    if printed:
        print(printed)
