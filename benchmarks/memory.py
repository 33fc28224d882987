"""Peak memory of the big runs, each beside the estimate its --max-memory check makes.

    python benchmarks/memory.py            # every run below (about 3 minutes)
    python benchmarks/memory.py --quick    # the runs under 10 s each

Each run is a cold `outsourcecalc` process writing to a file in a temporary folder;
its peak resident set comes from wait4 (ru_maxrss). The estimate is what
`scenarios/memory.py` computes from the run's sizes before any work: it must be
above the measured peak (an upper bound), and the peak far below 1 GB whatever the
number of rows, because rows are written as they are computed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples" / "contact_center"
IN_HOUSE, OFFSHORE, ONSHORE = (
    str(EX / "in_house.yaml"),
    str(EX / "vendor_offshore.yaml"),
    str(EX / "vendor_onshore.yaml"),
)
PRICE = "vendor[0].pricing[0].per_fte_month"
SALARY = "in_house.staff[0].annual_salary"
GRID = ["--vary", f"{PRICE}=80000:129950:50", "--vary", f"{SALARY}=30000:79950:50"]  # 1M
ATTRITION = "in_house.staff[0].attrition_rate=pert(25%, 40%, 60%)"
UNCERTAIN = [
    "--uncertain", ATTRITION,
    "--uncertain", f"{PRICE}=normal(95000, 6000)",
    "--uncertain", "in_house.staff[0].headcount=uniform(50,70)",
]  # fmt: skip

# (label, arguments, in --quick): a run with -f writes to a file (-o); {name}s are made below
RUNS: list[tuple[str, list[str], bool]] = [
    ("sweep 1M points -f json -o", ["sweep", IN_HOUSE, OFFSHORE, *GRID, "-f", "json"], False),
    ("sweep 1M points -f csv -o", ["sweep", IN_HOUSE, OFFSHORE, *GRID, "-f", "csv"], False),
    (
        "sweep 1M points x 2 vendors --summary",
        ["sweep", IN_HOUSE, OFFSHORE, ONSHORE, *GRID, "--summary", "-f", "json"],
        True,
    ),
    ("sweep 1M points, table (first rows)", ["sweep", IN_HOUSE, OFFSHORE, *GRID], True),
    (
        "sweep 5M points --summary",
        [
            "sweep",
            IN_HOUSE,
            OFFSHORE,
            "--summary",
            "-f",
            "json",
            "--vary",
            f"{PRICE}=80000:129990:10",
            "--vary",
            f"{SALARY}=30000:79950:50",
        ],
        True,
    ),
    (
        "simulate 2M trials -f csv -o",
        [
            "simulate",
            IN_HOUSE,
            OFFSHORE,
            "--uncertain",
            ATTRITION,
            "--trials",
            "2000000",
            "-f",
            "csv",
        ],
        True,
    ),
    (
        "simulate 10M trials -f csv -o",
        [
            "simulate",
            IN_HOUSE,
            OFFSHORE,
            "--uncertain",
            ATTRITION,
            "--trials",
            "10000000",
            "-f",
            "csv",
        ],
        False,
    ),
    (
        "simulate 2M trials, 3 inputs, 2 vendors, gated, json",
        [
            "simulate",
            IN_HOUSE,
            OFFSHORE,
            ONSHORE,
            *UNCERTAIN,
            "--trials",
            "2000000",
            "-f",
            "json",
            "--fail-if",
            "irr<0.2",
            "--fail-if",
            "payback_months>18",
        ],
        False,
    ),
    (
        "sensitivity, contact center, 2 vendors",
        ["sensitivity", IN_HOUSE, OFFSHORE, ONSHORE, "-f", "json"],
        True,
    ),
    ("sensitivity, 100 roles", ["sensitivity", "{roles100}", "{payroll}", "-f", "csv"], True),
    ("sensitivity, 300 roles", ["sensitivity", "{roles300}", "{payroll}", "-f", "csv"], False),
]


def roles_file(folder: Path, roles: int) -> str:
    """The payroll example with `roles` staff roles (every role has 7 numeric inputs)."""
    head = (ROOT / "examples" / "payroll" / "in_house.yaml").read_text(encoding="utf-8")
    text = head.split("\nstaff:\n")[0] + "\nstaff:\n"
    for i in range(roles):
        text += (
            f"  - role: Role {i}\n    headcount: {1 + i % 5}\n"
            f"    annual_salary: {50000 + 100 * i}\n    benefits_rate: 0.29\n"
            "    time_off_days: 25\n    attrition_rate: 0.1\n"
            "    cost_per_hire: 7000\n    avoidable: true\n"
        )
    path = folder / f"roles{roles}.yaml"
    path.write_text(text + "overheads: []\n", encoding="utf-8")
    return str(path)


def measure(args: list[str], out: Path) -> tuple[int, float, float]:
    """Exit code, wall seconds and peak RSS (MB) of one cold process."""
    start = time.perf_counter()
    command = [sys.executable, "-m", "outsourcecalc", *args]
    if "-f" in args:
        command += ["-o", str(out)]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    return os.waitstatus_to_exitcode(status), time.perf_counter() - start, usage.ru_maxrss / 1024


def estimate(args: list[str]) -> float:
    """The estimate --max-memory is checked against, in MB (as the command computes it,
    on the default --jobs: every available core)."""
    import outsourcecalc
    from outsourcecalc.engine.batch import available_cores
    from outsourcecalc.scenarios import memory

    jobs = available_cores()

    files = [a for a in args[1:] if a.endswith(".yaml")]
    case = outsourcecalc.load(files[0], files[1:])
    if args[0] == "sweep":
        from outsourcecalc.scenarios.sweep import parse_vary

        sizes = [len(parse_vary(args[i + 1])[1]) for i, a in enumerate(args) if a == "--vary"]
        points = 1
        for size in sizes:
            points *= size
        peak = memory.sweep_memory(case, sizes, points, "--summary" in args, jobs)
    elif args[0] == "simulate":
        trials = int(args[args.index("--trials") + 1])
        inputs = args.count("--uncertain")
        gates = {a.split("<")[0].split(">")[0] for a in args if "<" in a or ">" in a}
        kept = 2 + len(gates - {"payback_months"})
        peak = memory.simulation_memory(case, inputs, trials, kept, jobs)
    else:
        from outsourcecalc.inputs.paths import numeric_inputs
        from outsourcecalc.scenarios.sensitivity import BATCH_CELLS, ENGINE_CELLS

        count = sum(
            len([1 for _, v in numeric_inputs(case, i) if v != 0]) for i in range(len(files) - 1)
        )
        peak = memory.sensitivity_memory(case, count, BATCH_CELLS, ENGINE_CELLS, jobs)
    return peak / 1e6


def main() -> None:
    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder)
        names = {
            "roles100": roles_file(where, 100),
            "roles300": roles_file(where, 300),
            "payroll": str(ROOT / "examples" / "payroll" / "vendor.yaml"),
        }
        # every process first: a child counts the pages it shares with a big parent
        measured = []
        for label, template, fast in RUNS:
            if quick and not fast:
                continue
            args = [a.format(**names) if a.startswith("{") else a for a in template]
            measured.append((label, args, *measure(args, where / "out")))
            (where / "out").unlink(missing_ok=True)
        print(f"{'run':<52} {'wall':>7} {'peak RSS':>9} {'estimate':>9}")
        for label, args, code, wall, peak in measured:
            guess = estimate(args)
            flag = "" if code in (0, 1) else f"  (exit {code})"
            warn = "" if guess >= peak else "  ESTIMATE TOO LOW"
            print(f"{label:<52} {wall:>6.1f}s {peak:>6.0f} MB {guess:>6.0f} MB{flag}{warn}")


if __name__ == "__main__":
    main()
