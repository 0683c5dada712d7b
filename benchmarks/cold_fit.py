"""Time the first covarying fit of a fresh process: teachkit's default against the slides' form.

Usage::

    python benchmarks/cold_fit.py [--repeats 3]

``teachkit bench`` times its cold rows one after the other in one process, so every row after
the first finds numba (and PyTensor) already warmed up. What a user pays is a first fit in a
new process, so each fit here runs in its own fresh Python process, twice over:

* **fit**: a process imports teachkit, PyMC and nutpie, then builds the Beijing covarying model
  and fits it with nutpie (4 chains x (1000 tune + 1000 draws), seed 1, the bench's target
  acceptance rate); the fit's wall time is building, compiling and sampling, with compiling
  and sampling as the fit records them. The slides' form is built as ``teachkit bench`` builds
  it (``likelihood="pointwise"``, ``parameterization="noncentered"``: the slides' code, which
  tests check gives the same log density), teachkit's at its defaults; both at teachkit's
  target acceptance rate, and the slides' form also at nutpie's default of 0.8.
* **command**: ``teachkit fit ozone --model covarying --seed 1`` (with ``--likelihood pointwise
  --parameterization noncentered`` for the slides' form) in a fresh process with an empty fit
  store, timed from start to exit: Python's and PyMC's start-up, the fit, the summary and
  writing the fit to the store.

The medians of ``--repeats`` runs are printed. A benchmark, not a test: it asserts nothing
about time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from teachkit.samplers import TARGET_ACCEPT

#: The options that make the covarying model the slides' form (see teachkit bench).
SLIDES = {"likelihood": "pointwise", "parameterization": "noncentered"}
#: Each form's model options and NUTS target acceptance rate: the same rate for both (teachkit's
#: default, as in ``teachkit bench``), and the slides' form once more at nutpie's own default
#: (0.8), which is what the slides' code gets and samples faster with larger steps.
FORMS = {
    "slides' form": (SLIDES, TARGET_ACCEPT),
    "slides' form at 0.8": (SLIDES, 0.8),
    "teachkit (default)": ({}, TARGET_ACCEPT),
}

_DRIVER = """
import json, sys, time
start = time.perf_counter()
import nutpie, pymc
from teachkit.cases.ozone.models import build_ozone_model
from teachkit.datasets import load_beijing_ozone
from teachkit.fitmeta import FitMeta
from teachkit.inference import diagnose, fit
data = load_beijing_ozone()
imported = time.perf_counter()
built = build_ozone_model(data, "covarying", **json.loads(sys.argv[1]))
idata = fit(built, sampler="nutpie", draws=1000, tune=1000, chains=4, seed=1,
            target_accept=float(sys.argv[2]), progress=False)
done = time.perf_counter()
seconds = FitMeta.of(idata).seconds
diag = diagnose(idata, var_names=list(built.spec.hyperparameters))
print(json.dumps({"import": imported - start, "fit": done - imported,
                  "compile": seconds["compile"], "sampling": seconds["sampling"],
                  "min_ess": diag.min_ess_bulk, "divergences": diag.divergences}))
"""


def run_fit(options: dict[str, str], target_accept: float) -> dict[str, float]:
    """One fresh process building and fitting the model; its timings."""
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, json.dumps(options), str(target_accept)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_command(options: dict[str, str], target_accept: float) -> float:
    """One fresh ``teachkit fit`` process with an empty fit store; its wall seconds."""
    argv = [sys.executable, "-m", "teachkit", "fit", "ozone", "--model", "covarying",
            "--seed", "1", "--quiet", "--target-accept", str(target_accept)]  # fmt: skip
    for name, value in options.items():
        argv += [f"--{name}", value]
    with tempfile.TemporaryDirectory(prefix="teachkit-cold-fit-") as store:
        env = {**os.environ, "TEACHKIT_FIT_STORE": store}
        start = time.perf_counter()
        subprocess.run(argv, env=env, capture_output=True, check=True)
        return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    """Run every form ``--repeats`` times each way and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="fresh processes per form")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    results = {}
    for label, (options, target_accept) in FORMS.items():
        fits = [run_fit(options, target_accept) for _ in range(args.repeats)]
        commands = [run_command(options, target_accept) for _ in range(args.repeats)]
        results[label] = {key: statistics.median(f[key] for f in fits) for key in fits[0]} | {
            "command": statistics.median(commands),
            "commands": commands,
        }
        print(
            f"{label}: fits {[round(f['fit'], 1) for f in fits]} s, "
            f"commands {[round(c, 1) for c in commands]} s",
            flush=True,
        )

    print(f"\nmedians of {args.repeats} fresh processes each ({os.cpu_count()} cores)")
    print(
        f"{'form':<20} {'import s':>8} {'fit s':>7} {'compile s':>9} {'sampling s':>10} "
        f"{'min ESS':>7} {'div':>4} {'command s':>9}"
    )
    for label, r in results.items():
        print(
            f"{label:<20} {r['import']:>8.1f} {r['fit']:>7.1f} {r['compile']:>9.1f} "
            f"{r['sampling']:>10.1f} {r['min_ess']:>7.0f} {r['divergences']:>4.0f} "
            f"{r['command']:>9.1f}"
        )
    teachkit = results["teachkit (default)"]
    for label in ("slides' form", "slides' form at 0.8"):
        slides = results[label]
        print(
            f"teachkit against the {label}: {slides['fit'] / teachkit['fit']:.1f}x faster by "
            f"the fits' walls, {slides['command'] / teachkit['command']:.1f}x by the commands'"
        )


if __name__ == "__main__":
    main()
