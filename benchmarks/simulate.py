"""Monte Carlo speed: `outsourcecalc simulate` with 100,000 trials (the target is <= 2 s).

    python benchmarks/simulate.py

Runs the whole command in a cold process, three times, on the contact-center
example (in-house against the offshore vendor, 36 months) with four uncertain
inputs, and prints the median wall time and the peak memory. Then the same run
gated with `--fail-if irr<0.2 --fail-if payback_months>18`, alternating with the
ungated one five times each, and the ratio of the best of each (the target is
<= 1.5: the gates need IRR for every trial).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples" / "contact_center"
TRIALS = 100_000
UNCERTAIN = [
    "--uncertain", "in_house.staff[0].attrition_rate=pert(25%, 40%, 60%)",
    "--uncertain", "in_house.staff[0].annual_salary=triangular(39000, 42000, 47000)",
    "--uncertain", "vendor.fx_rate=lognormal(0.0175, 0.0015)",
    "--uncertain", "vendor.pricing[0].per_fte_month=normal(95000, 6000)",
]  # fmt: skip
CMD = [
    sys.executable, "-m", "outsourcecalc", "simulate",
    str(EX / "in_house.yaml"), str(EX / "vendor_offshore.yaml"), *UNCERTAIN,
    "--trials", str(TRIALS), "--format", "json",
]  # fmt: skip


GATES = ["--fail-if", "irr<0.2", "--fail-if", "payback_months>18"]


def cli_run(extra: list[str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one cold `outsourcecalc simulate` process."""
    start = time.perf_counter()
    child = subprocess.Popen([*CMD, *(extra or [])], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1) or (code == 1 and not extra):  # 1: a gate held
        raise SystemExit(f"simulate failed with exit code {code}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    runs = [cli_run() for _ in range(3)]
    wall = statistics.median(w for w, _ in runs)
    peak = max(p for _, p in runs)
    print(" ".join(CMD[1:]))
    print(
        f"simulate {TRIALS:,} trials, 4 uncertain inputs (cold CLI): median of 3 runs "
        f"{wall:.2f} s wall (target <= 2 s), peak RSS {peak:.0f} MB"
    )
    plain, gated = [], []
    for _ in range(5):
        plain.append(cli_run()[0])
        gated.append(cli_run(GATES)[0])
    print(
        f"gated ({' '.join(GATES)}): best of 5 {min(gated):.2f} s against "
        f"{min(plain):.2f} s ungated, ratio {min(gated) / min(plain):.2f} (target <= 1.5)"
    )


if __name__ == "__main__":
    main()
