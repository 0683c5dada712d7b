"""Tests for teachkit.demos: the numbers the live demos print."""

from __future__ import annotations

from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

from teachkit.cli import main
from teachkit.demos import STRONG, lkj_demo, mvn_demo
from teachkit.lkj import lkj_marginal
from teachkit.plots import plot_lkj_marginals
from teachkit.plots.lint import slide_problems
from teachkit.plots.style import SLIDE_PIXELS, SLIDE_SIZE, slide_style

Z_TOL = 4.0


@pytest.mark.parametrize("dim", [2, 4])
def test_lkj_demo_rows_match_exact_values(dim: int) -> None:
    draws = 5000
    demo = lkj_demo([0.5, 1.0, 2.0, 4.0], dim=dim, draws=draws, rng=0)
    assert [r.eta for r in demo.rows] == [0.5, 1.0, 2.0, 4.0]
    n_pairs = dim * (dim - 1) // 2
    for row in demo.rows:
        exact = lkj_marginal(row.eta, dim)
        assert row.sd_exact == pytest.approx(exact.std())
        assert row.p_strong_exact == pytest.approx(exact.cdf(-STRONG) + exact.sf(STRONG))
        assert demo.rho[row.eta].shape == (draws * n_pairs,)
        # pooled entries of one matrix are dependent; the SE of one entry's estimate bounds it
        se_p = np.sqrt(row.p_strong_exact * (1 - row.p_strong_exact) / draws)
        assert abs(row.p_strong_sampled - row.p_strong_exact) < Z_TOL * se_p
        se_sd = row.sd_exact / np.sqrt(draws)  # generous: the rho are bounded, kurtosis < 3
        assert abs(row.sd_sampled - row.sd_exact) < Z_TOL * se_sd


def test_lkj_demo_is_reproducible() -> None:
    a = lkj_demo([1.0, 2.0], draws=100, rng=3)
    b = lkj_demo([1.0, 2.0], draws=100, rng=3)
    assert a.rows == b.rows
    assert all(np.array_equal(a.rho[k], b.rho[k]) for k in a.rho)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"etas": []}, "non-empty list"),
        ({"etas": [1.0, 1.0]}, "without repeats"),
        ({"etas": [1.0], "draws": 0}, "draws must be a whole number in \\[1, "),
        ({"etas": [-1.0]}, "eta must be"),
    ],
)
def test_lkj_demo_rejects_bad_input(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        lkj_demo(**kwargs)


def test_mvn_demo_has_same_marginals_different_joint() -> None:
    draws = 20_000
    demo = mvn_demo([2.0, 1.0], -0.8, draws=draws, rng=0)
    np.testing.assert_allclose(demo.cov, [[4.0, -1.6], [-1.6, 1.0]])
    np.testing.assert_allclose(demo.cov_independent, [[4.0, 0.0], [0.0, 1.0]])
    assert demo.joint.shape == demo.independent.shape == (draws, 2)
    se_r = (1 - 0.8**2) / np.sqrt(draws)  # SE of a sample correlation
    assert abs(np.corrcoef(demo.joint.T)[0, 1] + 0.8) < Z_TOL * se_r
    assert abs(np.corrcoef(demo.independent.T)[0, 1]) < Z_TOL / np.sqrt(draws)


@pytest.mark.parametrize(
    ("sds", "rho", "match"),
    [
        ([2.0, 0.0], 0.5, "sds must be two numbers > 0"),
        ([2.0, 1.0, 3.0], 0.5, "sds must be two numbers > 0"),
        ([2.0, 1.0], 1.5, r"rho must be a number in \[-1, 1\]"),
    ],
)
def test_mvn_demo_rejects_bad_input(sds, rho: float, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        mvn_demo(sds, rho)


@pytest.mark.parametrize(
    ("demo", "args"), [("lkj", ["--draws", "300"]), ("mvn", ["--draws", "300"])]
)
def test_demo_figures_are_slides(demo: str, args: list[str], tmp_path: Path, capsys) -> None:
    """`teachkit demo lkj|mvn` save on the slide canvas (1920 x 1080 px), readable there."""
    assert main(["demo", demo, *args, "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    assert mpimg.imread(tmp_path / f"{demo}.png").shape[:2] == SLIDE_PIXELS[::-1]


def test_demo_lkj_figure_reads_well() -> None:
    demo = lkj_demo([0.5, 1.0, 2.0, 4.0], draws=300, rng=0)
    with slide_style():
        fig = plot_lkj_marginals(demo.rho, demo.dim)
        fig.set_size_inches(SLIDE_SIZE)
        assert slide_problems(fig) == []
