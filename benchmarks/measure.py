"""What the speed benchmarks share: a cold `outsourcecalc` process timed with its peak
memory, the best of several runs, and the table of figures against their targets.

Timings on a shared machine are noisy: another process on the second core slows a run
and can hide all of what a second thread gains. So each figure is the best of several
runs (the least disturbed one), runs of the two sides of a ratio are interleaved, and
`thread_headroom` says how much a second thread could gain at the time at all.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples" / "contact_center"
GB_MB = 1000.0  # the memory target, 1 GB, in MB (powers of 1000, as --max-memory counts)


@dataclass
class Run:
    """One cold command: wall seconds (None when it timed out) and the peak memory (MB) of
    all its processes, bounded as the largest one's peak times their number: with more
    than one job, the forked workers (which share pages with the main one, counted in
    each) beside the main process."""

    wall: float | None
    peak_mb: float
    code: int


@dataclass(frozen=True)
class AtOnce:
    """Several `outsourcecalc` commands started together, as one run: what independent
    processes sharing the machine take, with nothing shared between them."""

    commands: tuple[tuple[str, ...], ...]


def cli_run(args: Sequence[str] | AtOnce, timeout: float | None = None) -> Run:
    """`outsourcecalc ARGS` in a cold process, stdout discarded (or, for `AtOnce`, its
    commands started together, timed until the last ends); a run that exits other than
    0 (or 1: a --fail-if gate held) stops the benchmark, one past `timeout` seconds is
    killed and reported as such.

    Run these before this process allocates anything large: a child's peak RSS counts
    the pages it shares with its parent at fork time.
    """
    group = args.commands if isinstance(args, AtOnce) else (tuple(args),)
    commands = [[sys.executable, "-m", "outsourcecalc", *a] for a in group]
    start = time.perf_counter()
    children = [subprocess.Popen(c, stdout=subprocess.DEVNULL) for c in commands]
    stops = [threading.Timer(timeout, c.kill) for c in children] if timeout else []
    for stop in stops:
        stop.start()
    peak, codes = 0.0, []
    for child, a in zip(children, group, strict=True):
        # wait4: the largest peak among the child and the workers it waited for
        _, status, usage = os.wait4(child.pid, 0)
        codes.append(os.waitstatus_to_exitcode(status))
        child.returncode = codes[-1]
        peak += usage.ru_maxrss / 1024 * processes(a)
    wall = time.perf_counter() - start
    for stop in stops:
        stop.cancel()
    code = min(codes) if min(codes) < 0 else max(codes)
    if code < 0:  # killed: past the timeout
        return Run(None, peak, code)
    if code not in (0, 1):
        failed = commands[codes.index(code)]
        raise SystemExit(f"exit code {code}: {' '.join(failed)}")
    return Run(wall, peak, code)


def processes(args: Sequence[str]) -> int:
    """The processes a command runs: one per job (--jobs N, every available core by
    default), itself and N - 1 forked workers."""
    jobs = int(args[list(args).index("--jobs") + 1]) if "--jobs" in args else None
    return len(os.sched_getaffinity(0)) if jobs is None else jobs


@dataclass
class Best:
    """The runs of one command: the best wall time and the largest peak memory."""

    label: str
    runs: list[Run] = field(default_factory=list)

    @property
    def wall(self) -> float | None:
        walls = [r.wall for r in self.runs if r.wall is not None]
        return min(walls) if walls else None

    @property
    def note(self) -> str:
        return " (until stopped)" if any(r.wall is None for r in self.runs) else ""

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)


def best_of(
    commands: Mapping[str, Sequence[str] | AtOnce],
    runs: int,
    timeout: float | None = None,
    budget: float = 60.0,
) -> dict[str, Best]:
    """Each command `runs` times, interleaved (a, b, a, b, ...) so that drifting load hits
    them alike; a command whose runs took more than `budget` seconds in all, or timed
    out, is not run again."""
    cached_bytecode()
    out = {label: Best(label) for label in commands}
    spent = dict.fromkeys(commands, 0.0)
    for _ in range(runs):
        for label, args in commands.items():
            if spent[label] > budget or any(r.wall is None for r in out[label].runs):
                continue
            run = cli_run(args, timeout)
            out[label].runs.append(run)
            spent[label] += (timeout or 0.0) if run.wall is None else run.wall
    return out


def cached_bytecode() -> None:
    """Compile the package's bytecode before any run, as `pip install .` does: where
    PYTHONDONTWRITEBYTECODE is set (as on this project's machines), an editable install
    would otherwise compile every module of ours from source in every cold run, about
    40 ms that an installed copy never pays."""
    import compileall

    import outsourcecalc

    compileall.compile_dir(Path(outsourcecalc.__file__).parent, quiet=1)


def best_time(work: Callable[[], object], runs: int) -> float:
    """The best wall time of `work()` in this process over `runs` runs."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def thread_headroom(runs: int = 3) -> float:
    """Time of a pure numpy loop on two threads against one thread, same total work:
    about 0.5 on an idle two-core machine, about 1.0 when the other core is busy."""
    x = np.random.default_rng(0).random(120_000)

    def work(_: int) -> float:
        y = x
        for _ in range(40):
            y = np.exp(np.sin(x)) * x + 1.0
        return float(y.sum())

    serial = best_time(lambda: [work(i) for i in range(8)], runs)
    with ThreadPoolExecutor(2) as pool:
        threaded = best_time(lambda: list(pool.map(work, range(8))), runs)
    return threaded / serial


@dataclass
class Figure:
    """A row of the table: what was measured, its value, the target and whether it holds."""

    name: str
    value: float | None  # None: not measured (a run timed out)
    target: float | None  # None: shown for information
    unit: str = "x"
    at_least: bool = False  # the target is a floor, not a ceiling

    def row(self) -> tuple[str, str, str, str]:
        if self.value is None:
            measured = "timed out"
        elif self.unit == "MB":
            measured = f"{self.value:,.0f} MB"
        elif self.unit == "s":
            measured = f"{self.value:.2f} s"
        else:
            measured = f"{self.value:,.2f}x"
        if self.target is None:
            return self.name, measured, "-", ""
        goal = f"{'>=' if self.at_least else '<='} {self.target:g}"
        if self.unit == "MB":
            goal = f"< {self.target:,.0f} MB"
        if self.unit == "s":
            goal += " s"
        elif self.unit == "x":
            goal += "x"
        if self.value is None:
            holds = False
        elif self.at_least:
            holds = self.value >= self.target
        else:
            holds = self.value < self.target if self.unit == "MB" else self.value <= self.target
        return self.name, measured, goal, "pass" if holds else "FAIL"


def print_table(figures: Sequence[Figure]) -> None:
    rows = [("figure", "measured", "target", ""), *(f.row() for f in figures)]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for i, r in enumerate(rows):
        print(f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}".rstrip())
        if i == 0:
            print("-" * (sum(widths) + 6))


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a / b
