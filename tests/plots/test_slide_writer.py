"""Tests for teachkit.plots.slide_writer: figures saved by a second process, as saved here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import matplotlib as mpl
import matplotlib.image as mpimg
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.ticker import FuncFormatter

from teachkit.errors import TeachkitError
from teachkit.figure_entry import Claim, attach_claim, claim_of
from teachkit.plots.funnel import PlainLogFormatter
from teachkit.plots.slide_writer import SlideWriter, save_figure_as
from teachkit.plots.style import SLIDE_PIXELS, save_slide, slide_style


def slide() -> plt.Figure:
    """A figure with what slides have: mathtext, a log axis with teachkit's formatter, a claim."""
    with slide_style():
        fig, ax = plt.subplots()
        x = np.linspace(1, 100, 200)
        ax.plot(x, np.sqrt(x), label=r"$\sigma_\alpha$")
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(PlainLogFormatter())
        ax.set_title(r"a claim: $\rho = -0.52$")
        ax.legend()
    return attach_claim(fig, Claim("a claim", {"rho": -0.52}, {"x": x}))


def pixels(path: Path) -> np.ndarray:
    return mpimg.imread(path)


def test_the_worker_writes_the_pixels_a_save_here_writes(tmp_path: Path) -> None:
    fig = slide()
    with SlideWriter() as writer:
        writer.save(fig, tmp_path / "worker.png")
        assert writer._workers  # saved by a worker, not here
    save_slide(fig, tmp_path / "here.png")
    assert np.array_equal(pixels(tmp_path / "worker.png"), pixels(tmp_path / "here.png"))
    assert pixels(tmp_path / "worker.png").shape[:2] == SLIDE_PIXELS[::-1]
    assert claim_of(fig) is not None and claim_of(fig).numbers["rho"] == -0.52  # kept here
    plt.close(fig)


def test_plain_saves_use_the_rcparams_of_the_moment_they_were_handed_over(
    tmp_path: Path,
) -> None:
    fig = slide()
    with SlideWriter() as writer:
        with mpl.rc_context({"savefig.dpi": 20}):
            writer.save(fig, tmp_path / "small.png", mode="plain")
        writer.save(fig, tmp_path / "slide.png")
    width, height = fig.get_size_inches()
    assert pixels(tmp_path / "small.png").shape[:2] == (round(height * 20), round(width * 20))
    assert pixels(tmp_path / "slide.png").shape[:2] == SLIDE_PIXELS[::-1]
    plt.close(fig)


def test_many_figures_each_land_in_their_own_file(tmp_path: Path) -> None:
    """Figures go to the workers in turn; every one is written, with its own content."""
    with SlideWriter(workers=2) as writer:
        for i in range(5):
            fig, ax = plt.subplots(figsize=(2, 1))
            ax.axhline(i)
            ax.set_ylim(-1, 5)
            writer.save(fig, tmp_path / f"{i}.png", mode="plain")
            save_figure_as(fig, tmp_path / f"here-{i}.png", "plain", {})
            plt.close(fig)
        assert len(writer._workers) == 2
    for i in range(5):
        assert np.array_equal(pixels(tmp_path / f"{i}.png"), pixels(tmp_path / f"here-{i}.png"))
    assert not np.array_equal(pixels(tmp_path / "0.png"), pixels(tmp_path / "1.png"))


def test_a_figure_using_the_scripts_own_function_is_saved_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A function of the running script pickles as ``__main__.name``, which a worker cannot
    find (its ``__main__`` is the slide writer): such a figure is saved in this process."""
    import __main__

    def tick(value: float, _: object) -> str:
        return f"{value:.1f}"

    tick.__module__, tick.__qualname__ = "__main__", "tick"
    monkeypatch.setattr(__main__, "tick", tick, raising=False)
    fig = slide()
    fig.axes[0].yaxis.set_major_formatter(FuncFormatter(tick))
    with SlideWriter() as writer:
        writer.save(fig, tmp_path / "script.png")
        assert (tmp_path / "script.png").is_file() and writer._workers == []
    plt.close(fig)


def test_a_closed_writer_takes_no_more_figures(tmp_path: Path) -> None:
    fig = slide()
    with SlideWriter() as writer:
        writer.save(fig, tmp_path / "one.png")
    with pytest.raises(RuntimeError, match="closed"):
        writer.save(fig, tmp_path / "two.png")
    plt.close(fig)


def test_a_figure_that_cannot_be_pickled_is_saved_here_at_once(tmp_path: Path) -> None:
    fig = slide()
    fig.axes[0].yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.1f}"))
    with SlideWriter() as writer:
        writer.save(fig, tmp_path / "lambda.png")
        assert (tmp_path / "lambda.png").is_file()  # before waiting: saved in this process
        assert writer._workers == []  # no worker was started for it
    plt.close(fig)


def test_without_background_every_figure_is_saved_when_handed_over(tmp_path: Path) -> None:
    fig = slide()
    with SlideWriter(background=False) as writer:
        writer.save(fig, tmp_path / "now.png")
        assert (tmp_path / "now.png").is_file()
    plt.close(fig)


def test_a_save_the_user_can_mend_fails_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "in-the-way").write_text("a file where a folder should be")
    fig = slide()
    with pytest.raises(TeachkitError, match="cannot write") as caught, SlideWriter() as writer:
        writer.save(fig, tmp_path / "in-the-way" / "slide.png")
    assert "\n" not in str(caught.value)
    plt.close(fig)


def test_a_worker_that_dies_is_an_error_not_a_hang(tmp_path: Path) -> None:
    fig = slide()
    writer = SlideWriter(workers=1)
    writer.save(fig, tmp_path / "first.png")
    writer.wait()
    writer._workers[0]._process.kill()
    writer._workers[0]._process.wait()
    # refused at once if this process has seen the worker end, else when waiting for it
    with pytest.raises(RuntimeError, match=r"ended early: 1 of [12] figures written"):
        writer.save(fig, tmp_path / "second.png")
        writer.wait()
    writer.close()
    plt.close(fig)


def test_a_script_that_does_not_wait_still_fails_on_a_failed_save(tmp_path: Path) -> None:
    """show_figure(background=True) in a script: pending saves are finished at exit, and a
    failed one makes the exit status 1 with one line, after the script's own output."""
    (tmp_path / "in-the-way").write_text("x")
    script = (
        "import matplotlib.pyplot as plt\n"
        "from teachkit.lectures import show_figure\n"
        "fig, ax = plt.subplots()\n"
        f"show_figure(fig, {str(tmp_path / 'ok.png')!r}, background=True)\n"
        "fig, ax = plt.subplots()\n"
        f"show_figure(fig, {str(tmp_path / 'in-the-way' / 'bad.png')!r}, background=True)\n"
        "print('the script ran to its end')\n"
    )
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert done.stdout == "the script ran to its end\n"
    assert done.stderr.count("\n") == 1 and "cannot write" in done.stderr, done.stderr
    assert (tmp_path / "ok.png").is_file()
