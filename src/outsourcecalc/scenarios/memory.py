"""Memory budgets: the peak a run will reach, estimated from its sizes before any work.

A sweep, a simulation or a sensitivity run is refused (a usage error, exit 2) when
its estimate exceeds the budget, `--max-memory` (2 GB by default). The estimates
count what each run holds, measured on the examples (benchmarks/memory.py):

- every run: the interpreter with numpy, pydantic and the inputs loaded (`PROCESS`);
- the batch engine: one chunk of scenarios in flight per vendor and worker
  (`CHUNK_PER_VENDOR`; `--jobs` chunks are evaluated at once), and with more than
  one job the own pages of each of the `--jobs` - 1 forked workers (`WORKER`);
- a sweep: each axis's values while they are validated, and with `--summary` two
  float64 results per point and vendor plus the copies the median takes; rows are
  written as they are computed and never held;
- a simulation: every draw and every kept result per trial as float64, plus the
  copies the percentiles and the histogram take; the per-trial CSV is written as
  it is made;
- a merge of simulation shards: every per-trial array of the whole run (about three
  quarters of the shard files' size, their text being base64), the copies the
  statistics take, and the largest shard file twice while it is parsed;
- a sensitivity run: one batch of bounded size at a time per worker, so it grows
  linearly with the number of inputs.

The figures are upper bounds rounded up (an estimate that is too low is the one
that hurts: the run would then exceed the budget it was given).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

from ..engine import batch
from ..errors import UsageError
from ..inputs.case import Case

DEFAULT_MAX_MEMORY = 2_000_000_000  # "2GB"
MB = 1_000_000

# Measured on this project's examples with benchmarks/memory.py, then rounded up:
PROCESS = 100 * MB  # python, numpy, pydantic, rich and the inputs (about 55 MB measured)
CHUNK_PER_VENDOR = 30 * MB  # one chunk of the batch engine in flight (about 16 MB measured)
# a forked worker process's own pages: the objects it touches (copied on write) and the
# heap its chunks grow (private dirty memory: about 40 MB on the 1M-point sweeps)
WORKER = 50 * MB
PER_AXIS_VALUE = 160  # bytes per value of a --vary axis while it is validated (about 105)
PER_SUMMARY_POINT = 48  # bytes per point and vendor for --summary (about 32)
PER_TRIAL_INPUT = 16  # bytes per trial and uncertain input: its draws and a temporary
PER_TRIAL_RESULT = 8  # bytes per trial, vendor and kept result key (a float64)
PER_TRIAL = 32  # bytes per trial: the sorted copies of percentiles, histogram and gates
PER_INPUT = 64 * 1024  # bytes per sensitivity input: its path, moves and search grid
PER_ENGINE_CELL = 100  # bytes per scenario-month of a batch, all its temporaries counted

_SIZE = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(?:([kmgt])(i?)b?|b)?\s*$", re.IGNORECASE)
_POWERS = {"k": 1, "m": 2, "g": 3, "t": 4}


def parse_size(text: str, option: str = "--max-memory") -> int:
    """'2GB', '2G', '512MB', '1.5GB', '2GiB' or plain bytes ('2000000000') -> bytes.

    KB, MB, GB and TB are powers of 1000 (as disks count); KiB, MiB, GiB and TiB
    powers of 1024. Less than one byte is refused: no run fits in it.
    """
    match = _SIZE.match(text)
    if not match:
        raise UsageError.option(
            f"{option} {text}", "expected a size such as 2GB, 512MB, 2G or a number of bytes"
        )
    number, letter, binary = match.groups()
    power = _POWERS[letter.lower()] if letter else 0
    scale: int = (1024 if binary else 1000) ** power
    size = float(number) * scale
    if size < 1:
        raise UsageError.option(f"{option} {text}", "must be at least 1 byte")
    if size >= 2**63:
        raise UsageError.option(f"{option} {text}", "is more memory than any machine has")
    return math.ceil(size)


def show_size(size: float) -> str:
    """1_234_000_000 -> '1.2 GB', 50_000_000 -> '50 MB' (powers of 1000, as parse_size reads)."""
    for step, name in ((10**12, "TB"), (10**9, "GB"), (10**6, "MB"), (10**3, "kB")):
        if size >= step:
            return f"{size / step:.3g} {name}"
    return f"{size:.0f} bytes"


def counted(n: int, noun: str) -> str:
    """3, 'vendor' -> '3 vendors'; 1, 'vendor' -> '1 vendor'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def check_memory(estimate: int, budget: int, what: str, advice: str, jobs: int = 1) -> None:
    """Refuse a run whose estimated peak exceeds the budget, before any work:
    '--max-memory 50 MB: this simulation of ... would need about 770 MB of memory,
    more than this budget; run fewer trials or raise --max-memory'. A run on more
    than one worker is also advised to use fewer."""
    if jobs > 1:
        advice += ", use fewer --jobs"
    if estimate > budget:
        raise UsageError.option(
            f"--max-memory {show_size(budget)}",
            f"{what} would need about {show_size(estimate)} of memory, more than this budget; "
            f"{advice} or raise --max-memory",
        )


def sweep_memory(
    case: Case, axis_sizes: Sequence[int], points: int, summary: bool, jobs: int = 1
) -> int:
    """The peak of a sweep of `points` (its slice of the grid) over axes of these sizes,
    on `jobs` workers (no more than its items of work)."""
    vendors = len(case.vendors)
    held = PER_AXIS_VALUE * sum(axis_sizes)
    if summary:
        held += PER_SUMMARY_POINT * points * vendors
    jobs = min(jobs, batch.most_tasks(points))
    return PROCESS + CHUNK_PER_VENDOR * vendors * jobs + workers(jobs) + held


def simulation_memory(case: Case, inputs: int, trials: int, keys: int, jobs: int = 1) -> int:
    """The peak of `trials` trials of `inputs` uncertain inputs, keeping `keys` result keys
    per trial and vendor, on `jobs` workers (no more than its items of work)."""
    vendors = len(case.vendors)
    jobs = min(jobs, batch.most_tasks(trials))
    per_trial = PER_TRIAL_INPUT * inputs + PER_TRIAL_RESULT * keys * vendors + PER_TRIAL
    return PROCESS + CHUNK_PER_VENDOR * vendors * jobs + workers(jobs) + per_trial * trials


def sensitivity_memory(
    case: Case, inputs: int, batch_cells: int, engine_cells: int, jobs: int = 1
) -> int:
    """The peak of a sensitivity run that moves `inputs` inputs (all vendors together) in
    batches of at most `batch_cells` input values and `engine_cells` scenario-months,
    `jobs` batches at once."""
    per_batch = 8 * batch_cells + PER_ENGINE_CELL * engine_cells
    vendors = len(case.vendors)
    held = PER_INPUT * inputs
    return PROCESS + CHUNK_PER_VENDOR * vendors + per_batch * jobs + workers(jobs) + held


def jobs_within(budget: int, jobs: int | None, estimate: Callable[[int], int]) -> int:
    """The jobs a run takes: `jobs` as asked (--jobs N), or with none given the most of
    the available cores whose estimated peak fits the budget, at least one, so that a
    many-core machine never refuses a run for cores nobody asked for."""
    if jobs is not None:
        return jobs
    jobs = batch.available_cores()
    while jobs > 1 and estimate(jobs) > budget:
        jobs -= 1
    return jobs


def workers(jobs: int) -> int:
    """The forked worker processes' own pages: `jobs` - 1 of them, as this process
    evaluates a share of the chunks itself (its pages are PROCESS)."""
    return WORKER * (jobs - 1)


def merge_memory(file_sizes: Sequence[int]) -> int:
    """The peak of merging simulation shard files of these sizes (bytes)."""
    total = sum(file_sizes)
    # the decoded arrays (3/4 of the text) and the statistics' copies fit in the total;
    # one file is parsed at a time: its text and its parsed strings
    return PROCESS + total + 2 * max(file_sizes, default=0)
