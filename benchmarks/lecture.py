"""Time the main lecture end to end: quick and full mode, with a cold and a warm fit store.

Usage::

    python benchmarks/lecture.py [--modes quick,full] [--lecture lectures/multilevel_covariance.py]

Each run is a fresh Python process running the lecture as a script (``python
lectures/multilevel_covariance.py [--quick] --out DIR``), as an instructor would before class,
so the times include starting Python, importing PyMC and compiling. "cold" starts from an empty
fit store (every fit is sampled, every model compiled); "warm" runs again on the store the cold
run filled (fits are read back; nothing is sampled), ``--warm-repeats`` times (3), and the
median is printed with every run's time: a warm run takes 15 s, and on a shared 2-core machine
single runs varied from 14.7 to 19.0 s. The fit store and the figures go to a
temporary folder, never to the user's cache. A benchmark, not a test: it prints what it
measured and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LECTURE = ROOT / "lectures" / "multilevel_covariance.py"
MODES = ("quick", "full")


def run_lecture(lecture: Path, mode: str, store: Path, out: Path) -> tuple[float, int]:
    """Run the lecture once; return (wall seconds, fits added to the store)."""
    env = {k: v for k, v in os.environ.items() if k != "TEACHKIT_QUICK"}
    env.update({"TEACHKIT_FIT_STORE": str(store), "MPLBACKEND": "Agg"})
    argv = [sys.executable, str(lecture), "--out", str(out)]
    if mode == "quick":
        argv.append("--quick")
    before = len(list(store.glob("*.json")))
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=out, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the lecture failed in {mode} mode:\n{done.stderr[-3000:]}")
    return seconds, len(list(store.glob("*.json"))) - before


def main(argv: list[str] | None = None) -> None:
    """Parse the options, run every mode cold then warm, and print one line per run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default=",".join(MODES), help="quick, full or quick,full")
    parser.add_argument("--lecture", type=Path, default=LECTURE)
    parser.add_argument("--warm-repeats", type=int, default=3, help="warm runs (median shown)")
    args = parser.parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = sorted(set(modes) - set(MODES))
    if unknown:
        parser.error(f"unknown mode(s) {', '.join(unknown)}; use quick and/or full")
    if args.warm_repeats < 1:
        parser.error("--warm-repeats must be at least 1")

    print(f"{'mode':<6} {'store':<5} {'wall s':>8} {'fits sampled':>13}  ({os.cpu_count()} cores)")
    for mode in modes:
        with tempfile.TemporaryDirectory(prefix="teachkit-lecture-bench-") as tmp:
            store, out = Path(tmp) / "fits", Path(tmp) / "figures"
            store.mkdir()
            out.mkdir()
            seconds, sampled = run_lecture(args.lecture, mode, store, out)
            print(f"{mode:<6} {'cold':<5} {seconds:>8.1f} {sampled:>13d}", flush=True)
            warm = [run_lecture(args.lecture, mode, store, out) for _ in range(args.warm_repeats)]
            runs = ", ".join(f"{w:.1f}" for w, _ in warm)
            median = statistics.median(w for w, _ in warm)
            sampled = sum(n for _, n in warm)
            print(f"{mode:<6} {'warm':<5} {median:>8.1f} {sampled:>13d}  (median of {runs})",
                  flush=True)  # fmt: skip
            figures = len(list(out.glob("*.png")))
            print(f"{'':<6} {figures} figures written", flush=True)


if __name__ == "__main__":
    main()
