"""Write slide figures in a second process while this one draws the next.

Saving a slide (constrained layout, rendering 1920 x 1080 pixels, PNG compression) takes
longer than drawing it: in a warm ``teachkit figures`` run (every fit read from the store) the
52 slides took 18 s to save and 16 s to draw, one after the other on one core. A
:class:`SlideWriter` hands each drawn figure, pickled, to a Python process of its own that
saves it, so drawing and saving overlap on a machine with two cores or more. The file written
is the one the figure would have given saved here: same rcParams, same code
(:func:`teachkit.plots.style.save_slide`, or ``Figure.savefig`` under the caller's rcParams),
written atomically; a test compares the pixels.

The worker is a plain ``python -m teachkit.plots.slide_writer`` subprocess reading
length-prefixed pickles on its standard input, not a :mod:`multiprocessing` pool: a pool's
"spawn" and "forkserver" children re-run the parent's main script, which for a lecture script
(run top to bottom, with no ``if __name__ == "__main__"`` guard) would be the whole lecture
again, and "fork" copies a process whose sampler threads may be running.

Why this is hand-written: matplotlib has no background saving, and
:class:`concurrent.futures.ProcessPoolExecutor` brings the pool's main-script problem above.

A figure that cannot be pickled (one holding a lambda, say) is saved here, at once. A save that
fails in the worker is raised by :meth:`SlideWriter.wait`: a
:class:`~teachkit.errors.TeachkitError` (a full disk, a folder in the way) as that one line, any
other error as a ``RuntimeError`` carrying the worker's traceback (a bug keeps its traceback).
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from teachkit.errors import TeachkitError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["SAVE_MODES", "WORKERS", "SlideWriter", "save_figure_as"]

#: How a figure is saved: ``"slide"`` by :func:`~teachkit.plots.style.save_slide` (the slide
#: canvas), ``"plain"`` by ``Figure.savefig`` under the ``savefig.*``, ``pdf.*`` and ``svg.*``
#: rcParams of the moment it was handed over (what :func:`teachkit.lectures.show_figure` does;
#: the figure itself carries what was set when it was drawn).
SAVE_MODES = ("slide", "plain")
#: Attributes teachkit sets on a figure that the saved file does not depend on (and that may
#: not pickle): left out of the copy sent to the worker, kept on the figure.
_NOT_SENT = ("teachkit_claim",)
_HEADER = struct.Struct("<Q")


def save_figure_as(fig: Figure, path: Path, mode: str, rc: dict[str, Any]) -> Path:
    """Save ``fig`` to ``path`` in ``mode`` (one of :data:`SAVE_MODES`), atomically.

    ``rc`` are the rcParams in force for a ``"plain"`` save (ignored by ``"slide"``, which
    sets its own).
    """
    import matplotlib as mpl

    from teachkit.files import atomic_write
    from teachkit.plots.style import save_slide, savefig_options

    if mode == "slide":
        return save_slide(fig, path)
    with mpl.rc_context(rc):
        return atomic_write(path, lambda target: fig.savefig(target, **savefig_options(target)))


def _savefig_rc() -> dict[str, Any]:
    """The rcParams that decide how ``Figure.savefig`` writes a file."""
    import matplotlib as mpl

    return {k: v for k, v in mpl.rcParams.items() if k.startswith(("savefig.", "pdf.", "svg."))}


def _pickled(fig: Figure) -> bytes | None:
    """The figure pickled without :data:`_NOT_SENT`, or None when a worker could not rebuild it."""
    kept = {name: fig.__dict__.pop(name) for name in _NOT_SENT if name in fig.__dict__}
    try:
        payload = pickle.dumps(fig, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    finally:
        fig.__dict__.update(kept)
    # a function or class of the running script is pickled by reference to ``__main__``, which
    # in the worker is this module: such a figure cannot be rebuilt there
    return None if b"__main__" in payload else payload


#: Worker processes of a :class:`SlideWriter`: two keep pace with the drawing (a warm lecture
#: hands over a figure every 0.1-0.3 s, and one worker takes 0.2-0.3 s to save it), and more
#: would only compete with the drawing process for the cores.
WORKERS = 2
#: How much lower the workers' scheduling priority is than the drawing process's (Unix): on
#: two cores, two workers at the same priority slowed the drawing by a third.
NICENESS = 5


class SlideWriter:
    """Saves figures in worker processes; :meth:`wait` returns when every file is written.

    Use it as a context manager (leaving the block waits, and stops the workers)::

        with SlideWriter() as writer:
            for name in names:
                writer.save(draw(name), folder / f"{name}.png")

    The workers start with the first figure; figures go to them in turn. The figure handed
    over may be closed or changed at once: the worker has its own copy. With
    ``background=False`` every figure is saved here, when it is handed over (for one figure,
    starting a worker costs more than it saves).
    """

    def __init__(self, *, background: bool = True, workers: int | None = None) -> None:
        self._background = background
        self._size = workers if workers is not None else max(1, min(WORKERS, os.cpu_count() or 1))
        self._workers: list[_Worker] = []
        self._done = threading.Condition()
        self._sent = 0
        self._answers: list[dict[str, Any]] = []
        self._ended = False  # a worker ended before close(): nothing more can be written
        self._closing = False
        self._checked = 0  # answers already looked at by wait()

    def __enter__(self) -> SlideWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self.wait()
        finally:
            self.close()

    def save(self, fig: Figure, path: str | Path, *, mode: str = "slide") -> Path:
        """Have ``fig`` saved to ``path`` (by a worker; here when it cannot be pickled)."""
        if mode not in SAVE_MODES:
            raise ValueError(f"mode must be one of {SAVE_MODES}, got {mode!r}")
        if self._closing:
            raise RuntimeError("this SlideWriter is closed; make a new one")
        path = Path(path)
        rc = _savefig_rc()
        payload = _pickled(fig) if self._background else None
        if payload is None or not self._started():
            return save_figure_as(fig, path, mode, rc)
        frame = pickle.dumps((str(path), mode, rc, payload), protocol=pickle.HIGHEST_PROTOCOL)
        with self._done:
            if self._ended:
                raise RuntimeError(self._ended_early())
            worker = self._workers[self._sent % len(self._workers)]
            worker.outbox.put(_HEADER.pack(len(frame)) + frame)
            self._sent += 1
        return path

    def wait(self) -> None:
        """Return when every figure handed over is written; raise the first failure."""
        with self._done:
            while len(self._answers) < self._sent and not self._ended:
                self._done.wait()
            answers = list(self._answers)
        if len(answers) < self._sent:
            raise RuntimeError(self._ended_early())
        checked, self._checked = self._checked, len(answers)  # each failure is raised once
        for answer in answers[checked:]:
            if answer["error"] is None:
                continue
            if answer["user_error"]:
                raise TeachkitError(answer["error"])
            raise RuntimeError(f"saving {answer['path']} failed:\n{answer['error']}")

    def close(self) -> None:
        """Stop the workers (after the figures they have been sent)."""
        workers, self._workers = self._workers, []
        with self._done:
            self._closing = True
        for worker in workers:
            worker.outbox.put(None)  # its sending thread closes its input: it ends
        for worker in workers:
            worker.join()

    def _started(self) -> bool:
        """Start the workers if they are not running; False when they cannot be started."""
        if not self._workers:
            started: list[_Worker] = []
            try:
                for _ in range(self._size):
                    started.append(_Worker(self._answered))
            except OSError:
                for worker in started:  # none half-started is left running
                    worker.outbox.put(None)
                    worker.join()
                return False
            self._workers = started
        return True

    def _answered(self, answer: dict[str, Any] | None) -> None:
        """A worker's answer for one figure, or None when a worker has ended."""
        with self._done:
            if answer is None:
                self._ended = self._ended or not self._closing
            else:
                self._answers.append(answer)
            self._done.notify_all()

    def _ended_early(self) -> str:
        return (
            f"a slide writer process ended early: {len(self._answers)} of {self._sent} "
            "figures written; see its error above"
        )


class _Worker:
    """One ``python -m teachkit.plots.slide_writer`` process and the two threads talking to it.

    Frames wait in :attr:`outbox` for the sending thread: a frame (0.1-1 MB) is larger than a
    pipe's buffer, and writing it from the caller's thread would hold the caller until the
    worker had saved its previous figure, so drawing and saving would not overlap.
    """

    def __init__(self, answered: Callable[[dict[str, Any] | None], None]) -> None:
        self.outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._answered = answered
        self._process = subprocess.Popen(
            [sys.executable, "-m", "teachkit.plots.slide_writer"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "MPLBACKEND": "Agg"},
        )
        self._threads = [
            threading.Thread(target=self._send, daemon=True),
            threading.Thread(target=self._read, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def join(self) -> None:
        """Wait for the process to end (after :attr:`outbox` received None) and its threads."""
        self._process.wait()
        for thread in self._threads:
            thread.join()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def _send(self) -> None:
        """Write the frames to the worker until None comes (or the worker ends)."""
        assert self._process.stdin is not None
        stdin = self._process.stdin
        # a worker that died has said why, and its reader reports its end (on Windows a broken
        # pipe can be an OSError other than BrokenPipeError)
        with contextlib.suppress(OSError):
            while (frame := self.outbox.get()) is not None:
                stdin.write(frame)
                stdin.flush()
        with contextlib.suppress(OSError):
            stdin.close()

    def _read(self) -> None:
        """Pass on the worker's answers (one JSON line per figure) until it ends."""
        assert self._process.stdout is not None
        try:
            for line in self._process.stdout:
                self._answered(json.loads(line))
        finally:  # the end of the worker, or an answer that is not one: nothing more comes
            self._answered(None)


def _frames(stream: IO[bytes]) -> Iterator[bytes]:
    """The length-prefixed frames on ``stream`` until it ends."""
    while header := stream.read(_HEADER.size):
        (size,) = _HEADER.unpack(header)
        yield stream.read(size)


def _serve(stdin: IO[bytes], answer: Callable[[dict[str, Any]], None]) -> None:
    """The worker: save every figure received and answer for each, in order."""
    import matplotlib.pyplot as plt

    for frame in _frames(stdin):
        path, mode, rc, payload = pickle.loads(frame)
        error, user_error = None, False
        try:
            fig = pickle.loads(payload)
            try:
                save_figure_as(fig, Path(path), mode, rc)
            finally:
                plt.close(fig)
        except TeachkitError as err:
            error, user_error = str(err), True
        except Exception:  # a bug: its traceback goes back to the caller
            error = traceback.format_exc()
        answer({"path": path, "error": error, "user_error": user_error})


def _main() -> None:
    """The worker process: answers go to the parent on a private copy of standard output."""
    import signal

    # anything else printed (a module unpickled, a warning) goes to stderr, not into the answers
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    # Ctrl-C in a terminal reaches the whole process group: the parent decides, the worker
    # finishes what it was sent (or ends when its input closes)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):
        # the drawing process comes first on a busy machine: it hands over the next figure
        os.nice(NICENESS)

    def answer(message: dict[str, Any]) -> None:
        answers.write(json.dumps(message) + "\n")
        answers.flush()

    _serve(sys.stdin.buffer, answer)


if __name__ == "__main__":
    _main()
