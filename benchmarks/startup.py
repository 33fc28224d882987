"""Startup cost: a cold `outsourcecalc compare` against a minimal app on the same stack.

    .venv/bin/python benchmarks/startup.py [--runs 15]

Runs, each in a fresh process and with the same interpreter (the runs of the
two interleaved, so that drifting machine load hits both alike):
- `outsourcecalc compare` on the contact-center example (in_house.yaml and its
  two vendors, table output to /dev/null), through the console script beside
  the interpreter;
- the floor, benchmarks/floor_app.py: a minimal typer application with the
  same dependencies (one command, a few options, a YAML file read, one pydantic
  model validated, a numpy sum, one rich table printed);
and prints the median wall time of each and their ratio (the target is at most
1.3, issue 11), then how long the engine takes in-process with and without the
break-even volume search.

Bytecode: a normal install (`pip install .`) writes .pyc files, so users never
compile the package from source; with PYTHONDONTWRITEBYTECODE set and an editable
install every run would (~70 ms more). So the runs here are made without that
variable, and the warm-up run writes the bytecode, as any second run of a user's would.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples" / "contact_center"
FILES = [
    str(EX / name) for name in ("in_house.yaml", "vendor_onshore.yaml", "vendor_offshore.yaml")
]
# The console script installed beside this interpreter (what a user runs), or the
# same call it makes when the package is not installed with its script.
SCRIPT = Path(sys.executable).parent / "outsourcecalc"
TOOL = (
    [str(SCRIPT)]
    if SCRIPT.exists()
    else [sys.executable, "-c", "from outsourcecalc.cli import main; main()"]
)
COMPARE = [*TOOL, "compare", *FILES]
FLOOR = [sys.executable, str(Path(__file__).with_name("floor_app.py")), FILES[0], "--months", "36"]
TARGET = 1.3


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one cold process, its output thrown away.

    CPU time is the steadier of the two on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("NO_COLOR", "1")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # measure what users run: bytecode
    run(COMPARE)  # warm the page cache and __pycache__ once, as any second run would be
    run(FLOOR)
    compare, floor = [], []
    for _ in range(args.runs):  # interleaved, so drifting machine load hits both alike
        compare.append(run(COMPARE))
        floor.append(run(FLOOR))
    for i, what in enumerate(("wall", "CPU")):
        c = statistics.median(t[i] for t in compare)
        f = statistics.median(t[i] for t in floor)
        ratio = c / f
        verdict = "ok" if ratio <= TARGET else "ABOVE TARGET"
        print(
            f"{what:4}: compare (contact_center, in-house + 2 vendors) {c * 1000:6.1f} ms, "
            f"floor (benchmarks/floor_app.py) {f * 1000:6.1f} ms, "
            f"ratio {ratio:.3f} (target <= {TARGET}) {verdict}"
        )
    with_bev, without_bev = engine_times(args.runs)
    print(
        f"in-process evaluate: {with_bev * 1000:.1f} ms with break_even_volume, "
        f"{without_bev * 1000:.1f} ms without (medians)"
    )
    return 0


def engine_times(runs: int) -> tuple[float, float]:
    """The engine's share: one evaluation with and without the break-even volume search."""
    from outsourcecalc import load
    from outsourcecalc.engine.model import ALL_METRICS, evaluate_batch

    case = load(FILES[0], FILES[1:])
    evaluate_batch(case, ALL_METRICS)  # warm up
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(runs):
        for bev in (True, False):
            metrics = ALL_METRICS if bev else ALL_METRICS - {"break_even_volume"}
            start = time.perf_counter()
            evaluate_batch(case, metrics)
            times[bev].append(time.perf_counter() - start)
    return statistics.median(times[True]), statistics.median(times[False])


if __name__ == "__main__":
    sys.exit(main())
