"""Tests for teachkit.plots.lint: cut-off, overlapping and untypeset text is found."""

from __future__ import annotations

import matplotlib.pyplot as plt

from teachkit.plots.lint import slide_problems, untypeset
from teachkit.plots.style import SLIDE_SIZE, slide_style


def test_a_clean_figure_has_no_problems() -> None:
    with slide_style():
        ax = plt.figure().subplots()
        ax.plot([0, 1], [0, 1])
        ax.set_xlabel(r"intercept $\alpha_j$")
        ax.set_title(r"$\sigma_\beta$ against $\rho$")
        assert slide_problems(ax.figure) == []


def test_problems_are_named() -> None:
    with slide_style():
        ax = plt.figure().subplots()
        ax.set_xlabel("α_j")
        ax.text(0.5, 0.5, "here")
        ax.text(0.5, 0.5, "there")
        ax.figure.suptitle("a title far too long for the slide " * 4)
        problems = slide_problems(ax.figure)
    assert "not typeset: 'α_j'" in problems
    assert "overlap: 'here' | 'there'" in problems
    assert any(p.startswith("cut off: 'a title far too long") for p in problems)
    assert slide_problems(ax.figure, typeset=False) == [
        p for p in problems if not p.startswith("not typeset")]  # fmt: skip


def test_crowded_tick_labels_overlap() -> None:
    fig = plt.figure(figsize=SLIDE_SIZE)
    ax = fig.subplots()
    ax.set_xticks([i / 100 for i in range(100)])
    assert any(p.startswith("overlap:") for p in slide_problems(fig))


def test_untypeset_ignores_mathtext() -> None:
    assert untypeset(r"$\beta_j - \mu_\beta$ (per °C)") == ""
    assert untypeset("σ_β") == "σ_β"
    assert untypeset("varying_slopes") == "varying_slopes"
