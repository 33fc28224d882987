"""Monte Carlo speed: `outsourcecalc simulate` with 100,000 trials, each target in one run.

    python benchmarks/simulate.py [--runs 5] [--timeout 300]

On the contact-center example (in-house against the offshore vendor, 36 months) with
four uncertain inputs, each command a cold process (wall time, and peak memory from
wait4: the largest process times their number), the best of `--runs` runs, the
commands' runs interleaved. Prints a table of the targets:

- 100,000 trials (default --jobs): at most 2 s;
- the same run gated with `--fail-if irr<0.2 --fail-if payback_months>18`, against the
  run without gates: at most 1.5 times (issue 12);
- --jobs 2 against --jobs 1 on the ungated run (for information: the issue's 0.65
  target is the sweep's; a simulation also draws and sorts on one thread);
- the peak memory of every run: under 1 GB.
"""

from __future__ import annotations

import argparse

from measure import EX, GB_MB, Figure, best_of, print_table, ratio, thread_headroom

TRIALS = 100_000
UNCERTAIN = [
    "--uncertain", "in_house.staff[0].attrition_rate=pert(25%, 40%, 60%)",
    "--uncertain", "in_house.staff[0].annual_salary=triangular(39000, 42000, 47000)",
    "--uncertain", "vendor.fx_rate=lognormal(0.0175, 0.0015)",
    "--uncertain", "vendor.pricing[0].per_fte_month=normal(95000, 6000)",
]  # fmt: skip
SIMULATE = [
    "simulate", str(EX / "in_house.yaml"), str(EX / "vendor_offshore.yaml"), *UNCERTAIN,
    "--trials", str(TRIALS), "--format", "json",
]  # fmt: skip
GATES = ["--fail-if", "irr<0.2", "--fail-if", "payback_months>18"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (best kept)")
    parser.add_argument(
        "--timeout", type=float, default=300, help="seconds before a run is stopped (failed)"
    )
    options = parser.parse_args()
    commands = {
        "plain": SIMULATE,
        "gated": [*SIMULATE, *GATES],
        "jobs1": [*SIMULATE, "--jobs", "1"],
        "jobs2": [*SIMULATE, "--jobs", "2"],
    }
    best = best_of(commands, options.runs, options.timeout)
    headroom = thread_headroom()
    plain, gated, jobs1, jobs2 = (best[k] for k in commands)
    print(" ".join(SIMULATE[1:]))
    print(f"best of {options.runs} runs each")
    print_table(
        [
            Figure(f"simulate {TRIALS:,} trials: time", plain.wall, 2, "s"),
            Figure(f"  gated {' '.join(GATES)}: time", gated.wall, None, "s"),
            Figure("  gated / ungated", ratio(gated.wall, plain.wall), 1.5),
            Figure("--jobs 1: time", jobs1.wall, None, "s"),
            Figure("--jobs 2: time", jobs2.wall, None, "s"),
            Figure("--jobs 2 / --jobs 1", ratio(jobs2.wall, jobs1.wall), None),
            Figure("  numpy loop, 2 threads / 1 (0.5 idle, 1.0 busy)", headroom, None),
            *(
                Figure(f"peak memory, {name}{b.note}", b.peak_mb, GB_MB, "MB")
                for name, b in zip(
                    ("ungated", "gated", "--jobs 1", "--jobs 2"), best.values(), strict=True
                )
            ),
        ]
    )


if __name__ == "__main__":
    main()
