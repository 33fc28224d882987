"""Sweep speed: a 1,000,000-point sweep with --summary against a bare numpy kernel.

    python benchmarks/sweep.py

Prints, for the contact-center example (offshore vendor, 36 months = 37 periods):
- the wall time and peak memory of `outsourcecalc sweep ... --summary` (a cold
  process, measured with resource.getrusage on the child);
- the time of a bare numpy kernel that only computes two cost streams, their NPV
  and the payback month over the same 1M x 37 months;
- their ratio (the target is <= 4), and the time of evaluating a sample of the
  same points one at a time through the public Python API, extrapolated to 1M
  (the target is >= 100 times the batch).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples" / "contact_center"
VARY = [
    "--vary",
    "vendor.pricing[0].per_fte_month=80000:129950:50",
    "--vary",
    "in_house.staff[0].annual_salary=30000:79950:50",
]
CMD = [
    sys.executable,
    "-m",
    "outsourcecalc",
    "sweep",
    str(EX / "in_house.yaml"),
    str(EX / "vendor_offshore.yaml"),
    *VARY,
    "--summary",
    "--format",
    "json",
]


def bare_kernel(points: int = 1_000_000, months: int = 37) -> float:
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


def cli_run() -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one cold `outsourcecalc sweep` process.

    Run these before this process allocates anything large: a child's peak RSS
    counts the pages it shares with its parent at fork time.
    """
    start = time.perf_counter()
    child = subprocess.Popen(CMD, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"sweep failed with exit code {child.returncode}")
    return wall, usage.ru_maxrss / 1024


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
            [
                f"vendor.pricing[0].per_fte_month={price}",
                f"in_house.staff[0].annual_salary={salary}",
            ],
        )
        outsourcecalc.evaluate(case)
    return (time.perf_counter() - start) / sample


def main() -> None:
    runs = 5
    walls, peaks = [], []
    for _ in range(runs):
        wall, peak = cli_run()
        walls.append(wall)
        peaks.append(peak)
    cold_kernel = bare_kernel()  # the first run pays for faulting in ~1 GB of fresh pages
    kernel = statistics.median(bare_kernel() for _ in range(runs))
    wall = statistics.median(walls)
    per_point = one_at_a_time()
    print(
        f"sweep 1,000,000 points --summary (cold CLI): median {wall:.2f} s wall "
        f"(target <= 3 s), peak RSS {max(peaks):.0f} MB (target <= 1024 MB)"
    )
    print(
        f"bare numpy kernel, 1M x 37 months:        median {kernel:.2f} s warm "
        f"(first run {cold_kernel:.2f} s)"
    )
    print(f"ratio sweep (cold process) / warm kernel: {wall / kernel:.2f} (target <= 4)")
    print(
        f"one point at a time via the Python API:   {per_point * 1e3:.2f} ms/point, "
        f"{per_point * 1e6:.0f} s extrapolated to 1M points "
        f"= {per_point * 1e6 / wall:.0f} x the batch (target >= 100)"
    )


if __name__ == "__main__":
    main()
