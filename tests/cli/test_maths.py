"""Tests for ``teachkit check-corr`` at the edges: infeasible entries, tolerances, exit codes."""

from __future__ import annotations

import numpy as np
import pytest

from teachkit.cli import main
from teachkit.covariance import feasible_rho_interval


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_entry_within_tolerance_of_one_gives_exit_1_not_2(capsys) -> None:
    code, out, err = run(["check-corr", "1,1.000000005,0;1.000000005,1,0.5;0,0.5,1"], capsys)
    assert (code, err) == (1, "")
    assert "Not a correlation matrix." in out
    assert "not positive semi-definite (smallest eigenvalue -0.118" in out
    assert "Nearest correlation matrix" in out


def test_out_of_range_partner_gives_no_interval(capsys) -> None:
    code, out, err = run(["check-corr", "1,1.5,0.2;1.5,1,0.3;0.2,0.3,1"], capsys)
    assert (code, err) == (1, "")
    lines = out.splitlines()
    low, high = feasible_rho_interval(0.2, 0.3)
    assert f"  R[0,1] = 1.5 must lie in [{low:.3f}, {high:.3f}]   <- outside" in lines
    assert "  R[0,2] = 0.2: no interval while R[0,1] = 1.5 is outside [-1, 1]" in lines
    assert "  R[1,2] = 0.3: no interval while R[0,1] = 1.5 is outside [-1, 1]" in lines
    assert "[0.300, 0.300]" not in out and "[0.450, 0.450]" not in out


def test_infeasible_entry_is_named_instead_of_a_one_point_interval(capsys) -> None:
    code, out, err = run(["check-corr", "1,0,.8,.8;0,1,.1,.2;.8,.1,1,0;.8,.2,0,1"], capsys)
    assert (code, err) == (1, "")
    assert "Feasible interval of each entry, given all the others:" in out
    line = next(x for x in out.splitlines() if x.startswith("  R[0,1] = 0"))
    assert line.startswith("  R[0,1] = 0: no value of R[0,1] makes this a correlation matrix")
    assert "variables 0, 2, 3" in line
    assert "(0.240" not in out and "[0.240, 0.240]" not in out


def test_every_printed_line_agrees_with_the_eigenvalues(capsys) -> None:
    """Independent check of each 4x4 line with numpy: an interval is where R is PSD, not beyond;
    "no value" means no value in [-1, 1] makes R PSD."""
    matrix = np.array(
        [[1.0, 0.9, 0.2, 0.1], [0.9, 1.0, -0.6, 0.3], [0.2, -0.6, 1.0, 0.4], [0.1, 0.3, 0.4, 1.0]]
    )
    assert np.linalg.eigvalsh(matrix)[0] < 0
    text = ";".join(",".join(str(v) for v in row) for row in matrix)
    code, out, _ = run(["check-corr", text], capsys)
    assert code == 1

    def psd_with(i: int, j: int, value: float) -> bool:
        s = matrix.copy()
        s[i, j] = s[j, i] = value
        return bool(np.linalg.eigvalsh(s)[0] >= 0)

    kinds = []
    for line in out.splitlines():
        if not line.startswith("  R["):
            continue
        i, j = (int(v) for v in line.split("R[")[1].split("]")[0].split(","))
        if "must lie in [" in line:
            low, high = (float(v) for v in line.split("[")[2].split("]")[0].split(","))
            assert psd_with(i, j, low + 2e-3) and psd_with(i, j, high - 2e-3)
            assert not psd_with(i, j, high + 2e-3) and not psd_with(i, j, low - 2e-3)
            assert not low <= matrix[i, j] <= high and line.endswith("<- outside")
            kinds.append("interval")
        else:
            assert f"no value of R[{i},{j}] makes this a correlation matrix" in line
            assert not any(psd_with(i, j, v) for v in np.linspace(-1, 1, 2001))
            kinds.append("none")
    assert sorted(kinds) == ["interval"] * 3 + ["none"] * 3
