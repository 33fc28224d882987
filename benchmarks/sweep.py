"""Sweep speed: 1,000,000-point sweeps against a bare numpy kernel, each target a ratio.

    python benchmarks/sweep.py [--runs 5] [--timeout 600]

On the contact-center example (offshore vendor, 36 months = 37 periods), each command a
cold process (wall time, and peak memory from wait4: the largest process times their
number), the best of `--runs` runs, the commands' runs interleaved. Prints a table of
the issue-12 targets:

- (a) a ONE-axis sweep of 1,000,000 prices with --summary, against the bare numpy
  kernel of the same size (1M x 37 months): at most 4 times;
- (b) a TWO-axis sweep of 1,000 x 1,000 points written as full CSV rows to a file, every
  result key included (IRR, both paybacks, break-even price change and volume): at
  most 8 times the kernel. A run past `--timeout` seconds is stopped and fails;
- (c) the two-axis 1M-point --summary sweep with --jobs 2 against --jobs 1: at most
  0.65 times (0.5 is the limit on two cores). Beside it, this machine's floor for the
  ratio: two independent `--jobs 1` runs of half the points each, started together,
  against the whole `--jobs 1` run. They share nothing, not even the final summary,
  so a `--jobs 2` that starts once and then shares out the points cannot do better:
  each still pays the startup (Python and its libraries, the files read and checked)
  that a second core cannot share, and runs at the speed the machine gives two busy
  cores;
- (d) the peak memory of every run, all its processes: under 1 GB.

(a) and (b) run with the default --jobs (every available core). The table also shows
the kernel's time, each run's wall time, how much a second core could give at all
while the benchmark ran (a numpy loop of large arrays on two threads against one: about
0.5 on an idle two-core machine, about 1.0 when another process keeps the other core busy),
and one point at a time through the public API, extrapolated to 1M points (at least
100 times the batch).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from measure import (
    EX,
    GB_MB,
    AtOnce,
    Figure,
    best_of,
    best_time,
    print_table,
    ratio,
    thread_headroom,
)

FILES = [str(EX / "in_house.yaml"), str(EX / "vendor_offshore.yaml")]
PRICE = "vendor.pricing[0].per_fte_month"
SALARY = "in_house.staff[0].annual_salary"
ONE_AXIS = ["--vary", f"{PRICE}=80000:129999.95:0.05"]  # 1,000,000 prices
TWO_AXES = ["--vary", f"{PRICE}=80000:129950:50", "--vary", f"{SALARY}=30000:79950:50"]
HALVES = [  # TWO_AXES cut in two along the price: 500 x 1,000 points each
    ["--vary", f"{PRICE}=80000:104950:50", "--vary", f"{SALARY}=30000:79950:50"],
    ["--vary", f"{PRICE}=105000:129950:50", "--vary", f"{SALARY}=30000:79950:50"],
]
POINTS = 1_000_000
MONTHS = 37


def bare_kernel(points: int = POINTS, months: int = MONTHS) -> float:
    """Two cost streams, their NPV and the payback month: the least any engine must do."""
    start = time.perf_counter()
    a = np.linspace(30_000, 80_000, points).reshape(-1, 1)  # one varied input per stream
    b = np.linspace(80_000, 130_000, points).reshape(-1, 1)
    m = np.arange(months)
    year = np.where(m >= 1, (m - 1) // 12, 0)
    running = (m >= 1).astype(float)
    df = (1 + ((1.08) ** (1 / 12) - 1)) ** -m.astype(float)
    in_house = a * 60 / 12 * 1.03**year * running + 150_000 * running
    vendor = b * 0.0175 * 60 * 1.04**year * running + 100_000 * running
    npv_in_house = in_house @ df
    npv_vendor = vendor @ df
    savings = in_house - vendor
    cumulative = np.cumsum(savings, axis=1)
    below = cumulative <= -0.005
    last = months - 1 - np.argmax(below[:, ::-1], axis=1)
    rows = np.arange(points)
    nxt = np.minimum(last + 1, months - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        payback = last + -cumulative[rows, last] / savings[rows, nxt]
    payback = np.where(below.any(axis=1), np.where(below[:, -1], np.nan, payback), 0.0)
    assert np.isfinite(npv_in_house - npv_vendor).all() and payback.shape == (points,)
    return time.perf_counter() - start


def every_key_options() -> list[str]:
    """The options that make a sweep's rows carry every result key: none, since rows
    carry every key by default (break_even_volume included); checked on a 2-point sweep."""
    from outsourcecalc.engine.model import RESULT_KEYS

    tiny = ["sweep", *FILES, "--vary", f"{PRICE}=80000,90000", "-f", "csv"]
    done = subprocess.run(
        [sys.executable, "-m", "outsourcecalc", *tiny], capture_output=True, text=True
    )
    header = done.stdout.splitlines()[0].split(",") if done.returncode == 0 else []
    if not set(RESULT_KEYS) <= set(header):
        raise SystemExit("the sweep's rows do not carry every result key")
    return []


def one_at_a_time(sample: int = 200) -> float:
    """Seconds per point through the public API: load with --set, evaluate."""
    import outsourcecalc

    rng = np.random.default_rng(0)
    start = time.perf_counter()
    for price, salary in zip(
        rng.choice(np.arange(80_000, 130_000, 50), sample),
        rng.choice(np.arange(30_000, 80_000, 50), sample),
        strict=True,
    ):
        case = outsourcecalc.load(
            EX / "in_house.yaml",
            [EX / "vendor_offshore.yaml"],
            [f"{PRICE}={price}", f"{SALARY}={salary}"],
        )
        outsourcecalc.evaluate(case)
    return (time.perf_counter() - start) / sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (best kept)")
    parser.add_argument(
        "--timeout", type=float, default=600, help="seconds before a run is stopped (failed)"
    )
    options = parser.parse_args()
    every_key = every_key_options()
    with tempfile.TemporaryDirectory() as folder:
        rows_csv = str(Path(folder) / "rows.csv")
        summary = ["sweep", *FILES, "--summary", "-f", "json"]
        commands: dict[str, list[str] | AtOnce] = {
            "one_axis": [*summary, *ONE_AXIS],
            "rows": ["sweep", *FILES, *TWO_AXES, *every_key, "-f", "csv", "-o", rows_csv],
            "jobs1": [*summary, *TWO_AXES, "--jobs", "1"],
            "jobs2": [*summary, *TWO_AXES, "--jobs", "2"],
            "halves": AtOnce(tuple((*summary, *half, "--jobs", "1") for half in HALVES)),
        }
        # every process first: a child counts the pages it shares with a big parent
        best = best_of(commands, options.runs, options.timeout)
    headroom = thread_headroom()
    cold_kernel = bare_kernel()  # the first run pays for faulting in ~1 GB of fresh pages
    kernel = best_time(bare_kernel, options.runs)
    per_point = one_at_a_time()
    one, rows, jobs1, jobs2, halves = (best[k] for k in commands)
    rows_note = " ".join(every_key) or "(the default)"
    print(f"every result key per row: {rows_note}; best of {options.runs} runs each")
    print_table(
        [
            Figure(
                f"bare numpy kernel, 1M x {MONTHS} months (first run {cold_kernel:.2f} s)",
                kernel,
                None,
                "s",
            ),
            Figure("(a) one axis, 1M values, --summary: time", one.wall, None, "s"),
            Figure("(a) one axis, 1M values, --summary / kernel", ratio(one.wall, kernel), 4),
            Figure("(b) two axes, 1M points, CSV rows, every key: time", rows.wall, None, "s"),
            Figure("(b) two axes, 1M CSV rows, every key / kernel", ratio(rows.wall, kernel), 8),
            Figure("(c) two axes, 1M points, --summary --jobs 1: time", jobs1.wall, None, "s"),
            Figure("(c) two axes, 1M points, --summary --jobs 2: time", jobs2.wall, None, "s"),
            Figure("(c) --jobs 2 / --jobs 1", ratio(jobs2.wall, jobs1.wall), 0.65),
            Figure("    two --jobs 1 runs of half the points at once", halves.wall, None, "s"),
            Figure(
                "    (their time) / --jobs 1: the floor of (c) on this machine",
                ratio(halves.wall, jobs1.wall),
                None,
            ),
            Figure("    numpy loop, 2 threads / 1 (0.5 idle, 1.0 busy)", headroom, None),
            *(
                Figure(f"(d) peak memory, {name}{b.note}", b.peak_mb, GB_MB, "MB")
                for name, b in zip(
                    ("(a)", "(b)", "(c) --jobs 1", "(c) --jobs 2"),
                    (one, rows, jobs1, jobs2),
                    strict=True,
                )
            ),
            Figure(
                f"one point at a time via the API ({per_point * 1e3:.2f} ms), 1M points / (a)",
                ratio(per_point * POINTS, one.wall),
                100,
                at_least=True,
            ),
        ]
    )


if __name__ == "__main__":
    main()
