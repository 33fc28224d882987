"""`--jobs N`: chunks evaluated in N worker processes, yielded in order, so every output is
the same bytes whatever N; an error in a worker is the same exit 2, with no partial file."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoke

from outsourcecalc.engine import batch
from outsourcecalc.engine.batch import check_jobs, in_order
from outsourcecalc.errors import InputError, UsageError

CC = ["examples/contact_center/in_house.yaml", "examples/contact_center/vendor_offshore.yaml"]
ONSHORE = "examples/contact_center/vendor_onshore.yaml"
# 4 x 1,000 = 4,000 points over both vendors; with chunks of 37 cells (one scenario of 37
# months) and MIN_CHUNK 50, that is 80 chunks of 50 points, many per thread
SWEEP = [
    "sweep",
    *CC,
    ONSHORE,
    "--vary",
    "vendor[0].pricing[0].per_fte_month=80000,95000,110000,125000",
    "--vary",
    "in_house.staff[0].annual_salary=30000:79950:50",
]
SIMULATE = [
    "simulate",
    *CC,
    "--uncertain",
    "in_house.staff[0].annual_salary=triangular(39000, 42000, 47000)",
    "--uncertain",
    "vendor.fx_rate=lognormal(0.0175, 0.0015)",
    "--trials",
    "3000",
    "--seed",
    "7",
    "--fail-if",
    "irr<0.2",
]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 50 scenarios and sensitivity batches of one move, so a few thousand
    points make dozens of chunks, and every thread has several in flight."""
    monkeypatch.setattr(batch, "CELLS_PER_CHUNK", 37)
    monkeypatch.setattr(batch, "MIN_CHUNK", 50)
    monkeypatch.setattr("outsourcecalc.scenarios.sensitivity.ENGINE_CELLS", 1)


def outputs(cli: Invoke, tmp_path: Path, args: list[str], fmt: str) -> bytes:
    """The --output file of `args` with --jobs 1, asserting --jobs 2 and 3 write the same bytes."""
    written = []
    for jobs in (1, 2, 3):
        out = tmp_path / f"jobs{jobs}.{fmt}"
        result = cli(*args, "--jobs", str(jobs), "-o", out)
        assert result.exit_code in (0, 1), result.output
        written.append(out.read_bytes())
    assert written[1] == written[0]
    assert written[2] == written[0]
    return written[0]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_sweep_rows_are_the_same_bytes_whatever_the_jobs(
    cli: Invoke, tmp_path: Path, small_chunks: None, fmt: str
) -> None:
    rows = outputs(cli, tmp_path, [*SWEEP, "--fail-if", "npv_savings<0"], fmt)
    if fmt == "csv":
        assert rows.count(b"\n") == 1 + 8_000  # a header, then a row per point and vendor


def test_sweep_summary_is_the_same_bytes_whatever_the_jobs(
    cli: Invoke, tmp_path: Path, small_chunks: None
) -> None:
    summary = outputs(cli, tmp_path, [*SWEEP, "--summary"], "json")
    assert b'"share_winning"' in summary


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_simulate_is_the_same_bytes_whatever_the_jobs(
    cli: Invoke, tmp_path: Path, small_chunks: None, fmt: str
) -> None:
    trials = outputs(cli, tmp_path, SIMULATE, fmt)
    if fmt == "csv":
        assert trials.count(b"\n") == 1 + 3_000  # a header, then one line per trial


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_sensitivity_is_the_same_bytes_whatever_the_jobs(
    cli: Invoke, tmp_path: Path, small_chunks: None, fmt: str
) -> None:
    ranked = outputs(cli, tmp_path, ["sensitivity", *CC, ONSHORE], fmt)
    assert b"annual_salary" in ranked


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_error_in_a_worker_exits_2_with_no_partial_file(
    cli: Invoke, tmp_path: Path, small_chunks: None, jobs: str
) -> None:
    """The absurd occupancy comes last (the first axis varies slowest): 60 chunks of rows
    are computed before the worker that meets it raises; the file is never written."""
    out = tmp_path / "rows.csv"
    args = [
        "sweep",
        "examples/contact_center/in_house.yaml",
        ONSHORE,
        "--vary",
        "in_house.staff[0].occupancy=0.6,0.7,0.8,1e-300",
        "--vary",
        "in_house.staff[0].annual_salary=30000:79950:50",
    ]
    result = cli(*args, "--jobs", jobs, "-o", out)
    assert result.exit_code == 2, result.output
    assert result.output.endswith(  # the first point at fault, whichever process met it
        "at in_house.staff[0].occupancy=1e-300, in_house.staff[0].annual_salary=30000: staff: "
        "the team that Agent needs comes to more than 1,000,000,000 FTE, beyond any real "
        "operation; check handle_minutes, occupancy and monthly_volume\n"
    )
    assert "Traceback" not in result.output
    assert "Warning" not in result.output  # numpy's errstate holds on the worker threads too
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [SWEEP, SIMULATE, ["sensitivity", *CC]])
@pytest.mark.parametrize("jobs", ["0", "-2"])
def test_jobs_below_one_is_a_usage_error(cli: Invoke, command: list[str], jobs: str) -> None:
    result = cli(*command, "--jobs", jobs)
    assert result.exit_code == 2
    assert result.output == (
        f"--jobs {jobs}: must be at least 1 (leave it out to use every available core)\n"
    )


def test_the_default_is_every_available_core() -> None:
    assert check_jobs(None) == batch.available_cores() >= 1
    assert check_jobs(3) == 3
    with pytest.raises(UsageError):
        check_jobs(0)


def test_without_jobs_a_run_takes_the_cores_the_budget_allows(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    """On a 16-core machine with a 400 MB budget, a sweep of 4,000 points (2 vendors, 10
    items of work) needs 100 MB, 60 MB per job and 50 MB per forked worker: 3 jobs fit
    (380 MB), so a run without --jobs takes 3, and writes the bytes of --jobs 1. An
    explicit --jobs 16 (10 jobs for 10 items: 1,150 MB) is refused, naming --jobs. The
    same for a simulation of 20,000 trials (50 items; 80 MB per job): 3 jobs fit 300 MB."""
    monkeypatch.setattr(batch, "available_cores", lambda: 16)
    taken: list[int] = []
    real = batch.in_order

    def spy(work: Any, items: Any, jobs: int = 1) -> Any:
        taken.append(jobs)
        return real(work, items, jobs)

    monkeypatch.setattr(batch, "in_order", spy)

    def jobs_taken(*args: str) -> tuple[Any, int]:
        taken.clear()
        result = cli(*args)
        return result, max(taken)  # the chunks' jobs (smaller batches inside run on one)

    sweep = [*SWEEP, "-f", "csv", "--max-memory", "400MB"]
    (default, jobs), (one, _) = jobs_taken(*sweep), jobs_taken(*sweep, "--jobs", "1")
    assert default.exit_code == one.exit_code == 0, default.output
    assert default.stdout == one.stdout
    assert jobs == 3
    refused = cli(*sweep, "--jobs", "16")
    assert refused.exit_code == 2
    assert "would need about 1.15 GB of memory" in refused.output
    assert "use fewer --jobs or raise --max-memory" in refused.output

    simulate = [*SIMULATE[:7], "--trials", "20000", "--fail-if", "irr<0.2", "-f", "json"]
    simulate += ["--max-memory", "300MB"]
    (default, jobs), (one, _) = jobs_taken(*simulate), jobs_taken(*simulate, "--jobs", "1")
    assert default.exit_code == one.exit_code == 0, default.output
    assert default.stdout == one.stdout
    assert jobs == 3
    refused = cli(*simulate, "--jobs", "16")
    assert refused.exit_code == 2
    assert "would need about 1.33 GB of memory" in refused.output


BIG = 600_000  # bytes of a result: more than half a pipe holds, so a worker waits to be read


def test_in_order_yields_in_order_with_a_bounded_window(tmp_path: Path) -> None:
    """Items finish out of order on 3 jobs, this process and 2 forked workers (every
    third item is slow), but come back in order; a worker runs at most two items ahead
    of the one read (one in its pipe, one being computed or written), so memory stays
    bounded. Each job marks the items it starts with a file."""

    def work(i: int) -> bytes:
        (tmp_path / str(i)).touch()
        time.sleep(0.01 if i % 3 == 0 else 0)
        return bytes([i]) * BIG

    seen = []
    for i, result in enumerate(in_order(work, range(40), jobs=3)):
        seen.append(result)
        assert len(list(tmp_path.iterdir())) <= i + 1 + 2 * 2
    assert seen == [bytes([i]) * BIG for i in range(40)]
    assert len(list(tmp_path.iterdir())) == 40


def test_in_order_raises_an_error_at_its_turn_and_drops_the_rest(tmp_path: Path) -> None:
    def work(i: int) -> bytes:
        (tmp_path / str(i)).touch()
        if i == 5:
            raise ValueError("five")
        return bytes(BIG)

    got = []
    with pytest.raises(ValueError, match="five"):
        for x in in_order(work, range(1_000), jobs=2):
            got.append(x)
    assert got == [bytes(BIG)] * 5
    calls = [int(p.name) for p in tmp_path.iterdir()]
    assert 5 in calls
    assert max(calls) < 5 + 2 * 2 + 2  # the rest never started


def test_in_order_starts_no_more_workers_than_items() -> None:
    """--jobs 16 on 3 items: this process runs the first, 2 forked workers the others."""
    pids = list(in_order(lambda _: os.getpid(), range(3), jobs=16))
    assert pids[0] == os.getpid() and len(set(pids)) == 3
    assert list(in_order(lambda _: os.getpid(), range(1), jobs=16)) == [os.getpid()]


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="reads /proc (Linux)")
def test_a_worker_that_cannot_be_started_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Out of processes (a container's pids limit), the second fork of --jobs 3 fails
    with EAGAIN: a usage error naming --jobs, not a traceback; the worker already forked
    is ended and reaped, and no pipe is left open."""
    real_fork = os.fork
    forked: list[int] = []

    def fork() -> int:
        if forked:
            raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN))
        forked.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    open_before = len(os.listdir("/proc/self/fd"))
    with pytest.raises(UsageError) as raised:
        list(in_order(lambda i: i, range(6), jobs=3))
    assert str(raised.value) == (
        "--jobs 3: cannot start a worker process (Resource temporarily unavailable); "
        "use fewer --jobs"
    )
    assert len(os.listdir("/proc/self/fd")) == open_before
    assert Path(f"/proc/self/task/{os.getpid()}/children").read_text().split() == []


def test_an_input_error_in_a_worker_process_keeps_its_problems() -> None:
    """InputError crosses from a worker process pickled: with its file, line and field
    (item 3 of 2 jobs is the forked worker's)."""

    def work(i: int) -> int:
        if i == 3:
            raise InputError.single("in_house.yaml", "must be at least 0", "staff[0]", 12)
        return i

    with pytest.raises(InputError) as raised:
        list(in_order(work, range(6), jobs=2))
    assert [str(p) for p in raised.value.problems] == [
        "in_house.yaml:12: staff[0]: must be at least 0"
    ]


def test_a_worker_that_dies_is_a_clear_error() -> None:
    """A worker killed mid-run (the out-of-memory killer) is an end of file at its turn:
    a usage error naming --jobs, never a wait."""

    def work(i: int) -> bytes:
        if i == 3:
            os._exit(9)  # as the kernel's out-of-memory killer would
        return bytes(BIG)

    with pytest.raises(UsageError) as raised:
        list(in_order(work, range(8), jobs=2))
    assert str(raised.value) == (
        "--jobs 2: a worker process stopped without an answer (out of memory?); "
        "use fewer --jobs or a smaller run"
    )


def test_the_memory_estimate_counts_a_chunk_and_the_pages_of_each_worker(cli: Invoke) -> None:
    """Each job holds a chunk (a sensitivity batch), and each forked worker pages of its
    own: 1 vendor, 1 MB axis; one job is this process alone, and --jobs N forks N - 1."""
    import outsourcecalc
    from outsourcecalc.scenarios import memory

    case = outsourcecalc.load(*CC[:1], CC[1:])
    chunk, worker = memory.CHUNK_PER_VENDOR, memory.WORKER
    million = 1_000_000  # points: hundreds of items of work, one per 8 chunks
    assert memory.sweep_memory(case, [1000, 1000], million, False, 3) - memory.sweep_memory(
        case, [1000, 1000], million, False
    ) == (2 * chunk + 2 * worker)
    # never more workers than items of work: 9 points are one item, whatever --jobs
    assert memory.sweep_memory(case, [9], 9, False, 64) == memory.sweep_memory(case, [9], 9, False)
    assert memory.simulation_memory(case, 2, million, 2, 4) - memory.simulation_memory(
        case, 2, million, 2
    ) == (3 * chunk + 3 * worker)
    assert memory.simulation_memory(case, 2, 9, 2, 4) == memory.simulation_memory(case, 2, 9, 2)
    one = memory.sensitivity_memory(case, 5, 100, 1_000)
    assert memory.sensitivity_memory(case, 5, 100, 1_000, 2) - one == (
        8 * 100 + 100 * 1_000 + worker
    )
    # 100 MB for the process and 30 MB per chunk: 130 MB fit in 150 MB; the 4,000 points
    # are 2 items of work, so --jobs 4 means 2 jobs with a chunk each, one of them a
    # forked worker of 50 MB: 210 MB
    args = [*SWEEP[:3], *SWEEP[4:], "--max-memory", "150MB", "-f", "csv"]
    assert cli(*args, "--jobs", "1").exit_code == 0
    refused = cli(*args, "--jobs", "4")
    assert refused.exit_code == 2
    assert refused.output.startswith("--max-memory 150 MB: this sweep of 4,000 points")
    assert refused.output.endswith(
        "would need about 210 MB of memory, more than this budget; vary fewer values, "
        "split it with --shard K/N, use fewer --jobs or raise --max-memory\n"
    )


def _start_long_sweep(tmp_path: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    """A 2M-point sweep writing CSV rows on 3 jobs (this process and 2 forked workers),
    once its temporary file exists and its workers run: (the process, the workers' pids)."""
    args = [*SWEEP[:4], "--vary", "vendor[0].pricing[0].per_fte_month=80000:99990:10"]
    args += ["--vary", "in_house.staff[0].annual_salary=30000:79950:50"]
    command = [sys.executable, "-m", "outsourcecalc", *args, "-f", "csv", "--jobs", "3"]
    run = subprocess.Popen(
        [*command, "-o", str(tmp_path / "rows.csv")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a process group of its own, as a terminal's job is
        cwd=Path(__file__).resolve().parent.parent,  # the examples' paths are relative
    )
    children = Path(f"/proc/{run.pid}/task/{run.pid}/children")
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and run.poll() is None:
        workers = [int(p) for p in children.read_text().split()] if children.exists() else []
        if len(workers) == 2 and any(tmp_path.iterdir()):
            return run, workers
        time.sleep(0.05)
    run.kill()
    _, err = run.communicate()
    raise AssertionError(f"the sweep did not start its workers: {err.decode()}")


def _gone(pids: list[int], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{p}").exists() for p in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_a_terminated_sweep_leaves_no_worker_and_no_file(tmp_path: Path) -> None:
    """`kill` (SIGTERM, a CI timeout) ends the run as Ctrl-C does: the workers end, the
    temporary file is removed, exit code 143."""
    run, workers = _start_long_sweep(tmp_path)
    run.terminate()
    _, err = run.communicate(timeout=60)
    assert run.returncode == 143
    assert b"Traceback" not in err
    assert _gone(workers)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_workers_end_with_a_killed_sweep(tmp_path: Path) -> None:
    """SIGKILL runs no cleanup in the main process, but its workers still end: none is
    left waiting for work forever."""
    run, workers = _start_long_sweep(tmp_path)
    run.kill()
    run.communicate(timeout=60)
    assert _gone(workers)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_worker_killed_mid_run_is_exit_2_with_a_message(tmp_path: Path, how: int) -> None:
    """What the out-of-memory killer (SIGKILL) or earlyoom (SIGTERM) does to one worker:
    the run ends at once with one line naming --jobs, exit 2, no file, no process left."""
    run, workers = _start_long_sweep(tmp_path)
    os.kill(workers[0], how)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 2
    assert err.decode().endswith(
        "--jobs 3: a worker process stopped without an answer (out of memory?); "
        "use fewer --jobs or a smaller run\n"
    )
    assert _gone(workers)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_on_the_whole_job_ends_it_quietly(tmp_path: Path, how: int) -> None:
    """Ctrl-C (SIGINT to the terminal's process group, workers included) or a SIGTERM to
    the group: the parent alone handles it; exit 130 or 143, no worker traceback."""
    run, workers = _start_long_sweep(tmp_path)
    os.killpg(run.pid, how)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 128 + how
    assert b"Traceback" not in err
    assert _gone(workers)
    assert list(tmp_path.iterdir()) == []


def test_a_small_run_with_many_jobs_fits_the_default_budget(cli: Invoke) -> None:
    """--jobs 64 on a 6-point sweep or a one-block simulation forks no worker (one item
    of work runs in this process), and the estimate says so: it fits the default 2 GB."""
    sweep = cli(
        "sweep", *CC, ONSHORE, "--vary", "vendor[1].scope=0.5:1:0.1", "--jobs", "64", "-f", "csv"
    )
    assert sweep.exit_code == 0, sweep.output
    assert sweep.output.count("\n") == 1 + 6 * 2
    simulate = cli(*SIMULATE[:7], "--trials", "300", "--jobs", "64", "-f", "csv")
    assert simulate.exit_code == 0, simulate.output
    assert simulate.output.count("\n") == 1 + 300


def test_sensitivity_without_jobs_uses_the_cores_the_budget_allows(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker holds a batch: on a 16-core machine a default run takes as many
    workers as fit the default 2 GB instead of being refused; an explicit --jobs 16
    that does not fit is still refused, naming --jobs."""
    monkeypatch.setattr(batch, "available_cores", lambda: 16)
    payroll = ["sensitivity", "examples/payroll/in_house.yaml", "examples/payroll/vendor.yaml"]
    default = cli(*payroll, "-f", "json")
    assert default.exit_code == 0, default.output
    one = cli(*payroll, "-f", "json", "--jobs", "1")
    assert default.output == one.output
    refused = cli(*payroll, "-f", "json", "--jobs", "16")
    assert refused.exit_code == 2
    assert refused.output.startswith("--max-memory 2 GB: this sensitivity run of ")
    assert "use fewer --jobs or raise --max-memory" in refused.output


# ---- a hostile look at this process taking its share (41b0bb9): every way the reading
# ends leaves no worker running and no zombie; errors keep their turn and their kind

linux = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")


def _children() -> set[int]:
    """This process's child processes, zombies (ended, never reaped) included."""
    return {
        int(pid)
        for task in Path(f"/proc/{os.getpid()}/task").iterdir()
        for pid in (task / "children").read_text().split()
    }


@linux
def test_ctrl_c_while_the_workers_are_forked_ends_the_ones_forked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl-C (or the CLI's SIGTERM) waits while a worker is forked and is raised as the
    signals are let through again, before the next fork: the worker just forked must be
    ended and reaped with the others, not left computing into a pipe nobody reads (a
    library caller, a notebook, carries on after a KeyboardInterrupt)."""
    fork = os.fork
    forked: list[int] = []

    def fork_then_ctrl_c() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
            if len(forked) == 2:
                os.kill(os.getpid(), signal.SIGINT)  # blocked around the fork: pending
        return pid

    monkeypatch.setattr(os, "fork", fork_then_ctrl_c)
    before = _children()
    try:
        with pytest.raises(KeyboardInterrupt):
            list(in_order(lambda _: bytes(BIG), range(40), jobs=4))
        left = _children() - before
    finally:
        for pid in forked:  # whatever the outcome, none is left to the next test
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    assert len(forked) == 2  # the third was never forked
    assert left == set()


@linux
def test_an_error_in_this_process_s_share_ends_workers_blocked_on_full_pipes() -> None:
    """Results of 3 MB, more than a pipe holds: when item 3 (this process's, with 2
    workers) raises, both workers are blocked writing their next result. They are killed
    before being waited for (never a hang in waitpid) and reaped; the results before the
    error came first, in order."""
    result = 3_000_000

    def work(i: int) -> bytes:
        if i == 3:
            time.sleep(0.3)  # the workers fill their pipes meanwhile
            raise ValueError("mine")
        return bytes([i]) * result

    before = _children()
    got = []
    started = time.monotonic()
    with pytest.raises(ValueError, match="mine"):
        for x in in_order(work, range(100), jobs=3):
            got.append(x)
    assert time.monotonic() - started < 30
    assert got == [bytes([i]) * result for i in range(3)]
    assert _children() == before


@linux
def test_ctrl_c_inside_this_process_s_own_item_ends_every_worker() -> None:
    """A KeyboardInterrupt raised while this process computes its own item (0, 3, 6, ...
    on 3 jobs) ends the reading there: the results before it were yielded, every worker
    is ended and reaped."""

    def work(i: int) -> bytes:
        if i == 3:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(30)  # interrupted at once
        return bytes([i]) * BIG

    before = _children()
    got = []
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        for x in in_order(work, range(40), jobs=3):
            got.append(x)
    assert time.monotonic() - started < 20
    assert got == [bytes([i]) * BIG for i in range(3)]
    assert _children() == before


@linux
def test_a_reader_that_stops_early_leaves_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closed before the first item: nothing was forked, nothing computed. Closed, dropped
    or left by `break` after the first: the workers (running, or blocked on a full pipe)
    are ended and reaped at once, no zombie."""
    before = _children()
    with monkeypatch.context() as patched:
        patched.setattr(os, "fork", lambda: pytest.fail("forked for a closed generator"))
        calls: list[int] = []
        unread = in_order(calls.append, range(10), jobs=3)
        unread.close()
        assert list(unread) == [] and calls == []

    def work(i: int) -> bytes:
        return bytes([i]) * BIG

    closed = in_order(work, range(40), jobs=3)
    assert next(closed) == bytes(BIG)  # this process's own item 0
    assert len(_children() - before) == 2
    closed.close()
    assert _children() == before

    dropped = in_order(work, range(40), jobs=3)
    assert next(dropped) == bytes(BIG)
    assert next(dropped) == bytes([1]) * BIG  # a worker's
    del dropped
    assert _children() == before

    for i, x in enumerate(in_order(work, range(40), jobs=7)):
        assert x == bytes([i]) * BIG
        if i == 9:
            assert len(_children() - before) == 6
            break
    assert _children() == before


@linux
def test_a_sweep_whose_rows_are_read_half_way_leaves_no_worker(small_chunks: None) -> None:
    """A library caller reads some of `Sweep.iter_rows()` on 3 jobs and drops it, or
    breaks out of its loop: no worker is left, and the rows read are those of one job."""
    import outsourcecalc

    root = Path(__file__).resolve().parent.parent  # the examples' paths are relative
    case = outsourcecalc.load(root / CC[0], [root / CC[1], root / ONSHORE])
    vary = SWEEP[5::2]
    assert len(vary) == 2
    expected = outsourcecalc.sweep(case, vary, jobs=1).rows()
    before = _children()
    rows = outsourcecalc.sweep(case, vary, jobs=3).iter_rows()
    first = [next(rows) for _ in range(3_000)]  # past the first item of work: a worker's
    assert len(_children() - before) == 2
    del rows
    assert _children() == before
    assert first == expected[:3_000]

    read = []
    for row in outsourcecalc.sweep(case, vary, jobs=3).iter_rows():
        read.append(row)
        if len(read) == 5_000:
            break
    assert _children() == before
    assert read == expected[:5_000]


def test_nested_in_order_calls_keep_their_order() -> None:
    """A work function that itself runs in_order on 2 jobs, in this process and in
    forked workers alike (each forks a worker of its own): every result in order."""

    def inner(ij: tuple[int, int]) -> tuple[int, int]:
        return ij

    def outer(i: int) -> list[tuple[int, int]]:
        return list(in_order(inner, [(i, j) for j in range(5)], jobs=2))

    assert list(in_order(outer, range(7), jobs=3)) == [[(i, j) for j in range(5)] for i in range(7)]


def test_work_that_uses_threads_or_starts_processes() -> None:
    """Threads inside work (in this process and in forked workers), a subprocess started
    from work, and in_order itself called from a thread other than the main one: the
    same results as one job."""
    from concurrent.futures import ThreadPoolExecutor

    def threaded(i: int) -> int:
        with ThreadPoolExecutor(4) as pool:
            return sum(pool.map(lambda k: k * i, range(100)))

    assert list(in_order(threaded, range(9), jobs=3)) == list(in_order(threaded, range(9)))

    def started(i: int) -> str:
        code = f"print({i} * 2)"
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout

    assert list(in_order(started, range(5), jobs=3)) == [f"{2 * i}\n" for i in range(5)]

    got: list[object] = []
    thread = threading.Thread(target=lambda: got.extend(in_order(threaded, range(9), jobs=3)))
    thread.start()
    thread.join(60)
    assert got == list(in_order(threaded, range(9)))


class _TwoArguments(Exception):
    """Pickles (its args are the message) but cannot be rebuilt from it."""

    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"{what}: {why}")


def _local(i: int) -> int:
    class Local(Exception):
        pass

    if i == 4:
        raise Local("cannot be pickled")
    return i


def _two_arguments(i: int) -> int:
    if i == 4:
        raise _TwoArguments("staff[0]", "cannot be rebuilt")
    return i


@pytest.mark.parametrize(
    ("work", "error"),
    [
        (_local, "Local: cannot be pickled"),
        (_two_arguments, "_TwoArguments: staff[0]: cannot be rebuilt"),
    ],
)
def test_a_worker_error_that_cannot_travel_is_raised_as_its_text_at_its_turn(
    work: Callable[[int], int], error: str
) -> None:
    """An error a worker cannot pickle (a class local to a function), or one that pickles
    but cannot be rebuilt here (an __init__ with other arguments than its args, which
    used to raise a TypeError about __init__ in place of the error): a RuntimeError with
    its type and text, at its turn (item 4 of 3 jobs is the first worker's), after the
    results before it; one job raises the error itself."""
    got: list[int] = []
    with pytest.raises(RuntimeError) as raised:
        for x in in_order(work, range(12), jobs=3):
            got.append(x)
    assert str(raised.value) == error
    assert got == [0, 1, 2, 3]
    with pytest.raises(Exception, match="cannot be") as alone:
        list(in_order(work, range(12)))
    assert type(alone.value).__name__ == error.split(":")[0]


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_a_stop_iteration_in_work_is_an_error_whatever_the_jobs(jobs: int) -> None:
    """A StopIteration escaping work(item) (a bare next() on an empty iterator) is an
    error at its turn with any number of jobs: one job used to end the results there
    silently (`yield from map(work, items)`), a sweep short of rows with exit code 0."""

    def work(i: int) -> int:
        if i == 4:
            next(iter(()))
        return i

    got = []
    with pytest.raises(RuntimeError, match="StopIteration"):
        for x in in_order(work, range(9), jobs=jobs):
            got.append(x)
    assert got == [0, 1, 2, 3]


def test_a_worker_s_warnings_reach_stderr_whole(tmp_path: Path) -> None:
    """A Python warning a forked worker prints is not lost when it exits (os._exit runs
    no flush: stderr is line-buffered) and is printed whole; the results are unchanged."""
    script = tmp_path / "warns.py"
    script.write_text(
        "import sys, warnings\n"
        "from outsourcecalc.engine.batch import in_order\n"
        "def work(i):\n"
        "    warnings.warn(f'item {i} is odd', UserWarning)\n"
        "    return i * i\n"
        "print(list(in_order(work, range(9), 3)))\n"
    )
    run = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=True
    )
    assert run.stdout == f"{[i * i for i in range(9)]}\n"
    for i in range(9):
        assert run.stderr.count(f"UserWarning: item {i} is odd\n") == 1, run.stderr
    assert run.stderr.count("\n") == 2 * 9  # the warning's line and its source line


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="Linux pipes")
def test_a_worker_s_pipe_holds_a_megabyte() -> None:
    read, write = os.pipe()
    try:
        batch._widen(write)
        assert fcntl.fcntl(write, fcntl.F_GETPIPE_SZ) == batch.PIPE_BYTES
    finally:
        os.close(read)
        os.close(write)


def test_a_pipe_that_cannot_be_widened_gives_the_same_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Over the user's pipe quota (pipe-user-pages-soft) F_SETPIPE_SZ fails: the worker
    waits its turn instead, with the same results in the same order."""

    def refused(*args: object) -> int:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(fcntl, "fcntl", refused)
    assert list(in_order(lambda i: bytes([i]) * BIG, range(12), jobs=3)) == [
        bytes([i]) * BIG for i in range(12)
    ]


def test_results_larger_than_a_pipe_keep_the_window_bounded(tmp_path: Path) -> None:
    """A sweep's CSV text is several MB per item of work, more than the 1 MB pipe: a
    worker still runs at most two items ahead of the one read."""
    result = 3_000_000

    def work(i: int) -> bytes:
        (tmp_path / str(i)).touch()
        return bytes([i]) * result

    for i, x in enumerate(in_order(work, range(24), jobs=3)):
        assert x == bytes([i]) * result
        assert len(list(tmp_path.iterdir())) <= i + 1 + 2 * 2


def test_shards_and_seven_jobs_are_the_same_bytes(
    cli: Invoke, tmp_path: Path, small_chunks: None
) -> None:
    """--jobs 1, 2, 3 and 7 with --shard K/3: each sweep shard's rows, each simulation
    shard and their merge are the same bytes; the merge is the unsharded simulation; and
    7 jobs give the sweep summary of one."""
    for k in (1, 2, 3):
        shard = ["--shard", f"{k}/3"]
        rows = [cli(*SWEEP, *shard, "-f", "csv", "--jobs", j).stdout_bytes for j in "1237"]
        assert rows[1:] == rows[:1] * 3
        assert rows[0].count(b"\n") > 2_000

    def shards_and_merge(jobs: str) -> list[bytes]:
        files = []
        for k in (1, 2, 3):
            files.append(tmp_path / f"jobs{jobs}-{k}.json")
            done = cli(*SIMULATE, "--shard", f"{k}/3", "--jobs", jobs, "-o", files[-1])
            assert done.exit_code in (0, 1), done.output
        merged = cli("merge", *files, "-f", "json")
        assert merged.exit_code in (0, 1), merged.output
        return [*(f.read_bytes() for f in files), merged.stdout_bytes]

    one = shards_and_merge("1")
    for jobs in ("2", "3", "7"):
        assert shards_and_merge(jobs) == one
    assert one[-1] == cli(*SIMULATE, "-f", "json", "--jobs", "7").stdout_bytes
    summary = [cli(*SWEEP, "--summary", "-f", "json", "--jobs", j).stdout_bytes for j in "17"]
    assert summary[1] == summary[0]


@linux
def test_a_closed_stdout_with_two_jobs_ends_quietly(tmp_path: Path) -> None:
    """`outsourcecalc sweep ... -f csv --jobs 2 | head -3`: the reader goes, the run ends
    with exit code 141 (a broken pipe), nothing on stderr, and its worker is gone."""
    args = [*SWEEP[:4], "--vary", "vendor[0].pricing[0].per_fte_month=80000:99990:10"]
    args += ["--vary", "in_house.staff[0].annual_salary=30000:79950:50"]
    run = subprocess.Popen(
        [sys.executable, "-m", "outsourcecalc", *args, "-f", "csv", "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert run.stdout is not None
    head = [run.stdout.readline() for _ in range(3)]
    assert head[0].startswith(b"vendor[0].pricing[0].per_fte_month,")
    children = Path(f"/proc/{run.pid}/task/{run.pid}/children")
    workers = [int(p) for p in children.read_text().split()]
    assert len(workers) == 1  # the parent is blocked writing rows, its worker forked
    run.stdout.close()
    _, err = run.communicate(timeout=60)
    assert run.returncode == 141
    assert err == b""
    assert _gone(workers)
