"""What long steps say while they run: :class:`Progress`, silent unless an application draws it.

The engine and the orchestration layer take a :class:`Progress` and say what they are doing
(compiling a model, computing PSIS-LOO, SBC fits done); they never draw anything themselves.
The command line (:mod:`teachkit.cli.app`) renders it with rich on a terminal. The library's
default shows nothing of its own: at most the sampler's own progress bar (nutpie's updates in
place in a notebook, PyMC's likewise), so a notebook's output is never flooded.

>>> progress = as_progress(False)
>>> progress.sampler_bar
False
>>> with progress.step("compiling"):
...     pass
>>> with progress.count("fits", total=3) as update:
...     update(1)
>>> as_progress(True).sampler_bar
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["SAMPLER_BAR", "SILENT", "Progress", "as_progress"]


class Progress:
    """Receives what long steps are doing; this base class shows nothing.

    Attributes
    ----------
    sampler_bar : bool
        Whether the sampler shows its own per-chain progress bar (nutpie's, PyMC's).
    """

    sampler_bar: bool = False

    @contextmanager
    def step(self, description: str) -> Iterator[None]:
        """A step of unknown length (compiling, PSIS-LOO), shown while the block runs."""
        yield

    @contextmanager
    def count(self, description: str, total: int) -> Iterator[Callable[[int], None]]:
        """A step of ``total`` parts; the block calls the yielded function with the parts done."""
        yield lambda done: None


class _SamplerBar(Progress):
    """Only the sampler's own progress bar (the library's ``progress=True``)."""

    sampler_bar = True


#: Shows nothing.
SILENT = Progress()
#: Shows the sampler's own progress bar and nothing else.
SAMPLER_BAR = _SamplerBar()


def as_progress(progress: bool | Progress) -> Progress:
    """``progress`` as a :class:`Progress`: True is :data:`SAMPLER_BAR`, False :data:`SILENT`."""
    if isinstance(progress, Progress):
        return progress
    return SAMPLER_BAR if progress else SILENT
