"""The ``lecture`` commands: the lecture scripts as students get them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from teachkit.cli.app import app

lecture_app = typer.Typer(help="The lecture scripts: a student's copy.", no_args_is_help=True)
app.add_typer(lecture_app, name="lecture")


@lecture_app.command("student")
def student_cmd(
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="File to write: a notebook (.ipynb, needs jupytext) or a script (.py)."
        ),
    ] = Path("known_truth_student.ipynb"),
) -> None:
    """Write the known-truth lecture with its exercises' answers removed.

    Each answer (marked ``# solution-start`` ... ``# solution-end`` in the script) becomes a
    ``# your code here`` stub, and the cells that give an answer in words are left out.
    """
    from teachkit.lectures import write_student_version

    path = write_student_version(out)
    typer.echo(f"wrote {path}")
