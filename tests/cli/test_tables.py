"""Every table the CLI prints keeps its labels: cells are text, never rich markup."""

from __future__ import annotations

import ast
from pathlib import Path

from rich.console import Console
from rich.table import Table

from teachkit.cli.app import add_row, entry_names
from teachkit.cli.fitting import print_summary

CLI = Path(__file__).resolve().parents[2] / "teachkit" / "cli"


def rendered(table: Table) -> str:
    console = Console(record=True, width=120)
    console.print(table)
    return console.export_text()


def test_bracketed_labels_survive() -> None:
    table = Table("parameter", "note")
    for label in ("alpha[f]", "alpha[m]", "beta[[physics]]", "[bold]not bold[/bold]"):
        add_row(table, label, "[red]x[/red]")
    text = rendered(table)
    for label in ("alpha[f]", "alpha[m]", "beta[[physics]]", "[bold]not bold[/bold]"):
        assert label in text
    assert text.count("[red]x[/red]") == 4


def test_no_cli_module_adds_a_row_without_escaping() -> None:
    """Every table goes through add_row (rich's own add_row reads markup)."""
    direct = []
    for path in CLI.glob("*.py"):
        if path.name == "app.py":  # where add_row itself escapes and adds
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "add_row":
                direct.append(f"{path.name}:{node.lineno}")
    assert direct == []


def test_summary_shows_station_names_and_gender_labels(capsys) -> None:
    row = {"mean": 1.0, "sd": 0.1, "hdi_3%": 0.8, "hdi_97%": 1.2, "r_hat": 1.0,
           "ess_bulk": 900.0, "ess_tail": 800.0}  # fmt: skip
    record = {
        "case": "ozone", "model": "covarying", "data": "[my] data.csv", "n_obs": 10,
        "parameters": {"mu_alpha": row, "alpha[0]": row, "alpha[11]": row, "alpha[f]": row},
        "entry_names": {"0": "Aotizhongxin", "11": "Wanshouxigong"},
    }  # fmt: skip
    print_summary(record)
    lines = capsys.readouterr().out.splitlines()
    assert any("[my] data.csv" in line for line in lines)
    assert any("alpha[0]" in line and "Aotizhongxin" in line for line in lines)
    assert any("alpha[11]" in line and "Wanshouxigong" in line for line in lines)
    assert any("alpha[f]" in line for line in lines)


def test_entry_names_match_labels_exactly() -> None:
    names = entry_names(["alpha[1]", "alpha[11]", "rho"], {"1": "Changping", "11": "W"})
    assert names == {"alpha[1]": "Changping", "alpha[11]": "W"}
