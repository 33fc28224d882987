"""Many scenarios through the cost model, a bounded chunk at a time: sweeps and simulations.

A caller says which inputs vary and how (`values_at(lo, hi)`: one validated value
per scenario lo..hi-1 for each varied path); this module cuts the scenarios into
chunks that stay in cache, evaluates each chunk as one batch and yields the
results the caller asked for, chunk by chunk, so memory stays bounded however
many scenarios there are.

With `jobs` above 1 the chunks are evaluated by this process and `jobs` - 1 worker
processes forked from it once the case is built (so they inherit it, and only
results travel, each worker on a pipe of its own), and still yielded in order: the
results are the same bytes whatever the number of jobs. This process takes its share
rather than wait: on the 1M-point summary sweep that is one process fewer to fork and
fault in, and 15-25 ms less on two cores. Threads were measured first: numpy releases
the GIL in its kernels, but a chunk's many small column operations hand the GIL to
and fro, so on the 1M-point summary sweep two threads took about 0.8 of one's time
for the chunks, where two processes take about 0.6 (two cores sharing one cache
cannot do much better: two independent processes each doing half take 0.57).
Several chunks make one item of work (`CHUNKS_PER_TASK`), so the trips cost little;
the items are of one size and as many for every process, so they finish together.
Where a process cannot fork (Windows), threads do the work.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import pickle
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn, TypeVar

import numpy as np
from numpy.typing import NDArray

from ..errors import InputError, UsageError
from ..inputs.case import Case
from ..inputs.paths import InputPath, with_values
from ..rules import as_typed
from .model import BeyondAnyOperation, evaluate_batch

if TYPE_CHECKING:
    from concurrent.futures import Future

Array = NDArray[np.float64]

# the varied inputs of scenarios lo..hi-1: per path, one value per scenario
ValuesAt = Callable[[int, int], Mapping[InputPath, NDArray[Any]]]

CELLS_PER_CHUNK = 120_000  # scenarios x months per chunk: small enough to stay in cache
MIN_CHUNK = 256  # scenarios: below this, numpy's per-call overhead dominates
_HORIZON = ("analysis", "horizon_months")
IN_FLIGHT_PER_JOB = 2  # on threads: items submitted ahead per thread (busy, memory bounded)
CHUNKS_PER_TASK = 8  # chunks per item of work: a result's trip costs about a chunk's time

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Chunk:
    """Results for scenarios start..stop-1, per vendor: key -> (stop - start,) array."""

    start: int
    stop: int
    vendors: list[dict[str, Array]]
    finished: Any = None  # what the caller's `finish` made of the chunk, in the worker


@functools.cache
def keep_freed_memory() -> None:
    """Ask glibc to keep freed chunk arrays for reuse instead of returning them to the OS.

    A batch allocates and frees the same ~1 MB temporaries thousands of times; by
    default glibc maps each one afresh, and the page faults cost more than the
    arithmetic (0.84 s of system time in a cold 1M-point sweep, against 0.01 s).
    Peak memory stays bounded by the chunk size. Elsewhere than glibc, nothing to do.
    """
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 64 * 1024 * 1024)  # M_MMAP_THRESHOLD: heap, not mmap, below 64 MB
        libc.mallopt(-1, 256 * 1024 * 1024)  # M_TRIM_THRESHOLD: keep up to 256 MB of free heap
    except (OSError, AttributeError):
        pass


def available_cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check_jobs(jobs: int | None) -> int:
    """`--jobs N` -> the number of threads; None -> every available core."""
    if jobs is None:
        return available_cores()
    if jobs < 1:
        raise UsageError.option(
            f"--jobs {jobs}", "must be at least 1 (leave it out to use every available core)"
        )
    return jobs


def in_order(work: Callable[[T], R], items: Iterable[T], jobs: int = 1) -> Iterator[R]:
    """work(item) for each item, yielded in the items' order.

    With one job, each in turn in this process. With more, this process and at most
    `jobs` - 1 forked worker processes share them (threads where there is no fork),
    never more jobs than items. An
    error raised by work(item) is raised here when that item's turn comes, after the
    results of the items before it, as with one job; the work left is dropped.
    """
    items = list(items)
    workers = min(jobs, len(items))
    if workers <= 1:
        for item in items:  # not `yield from map(...)`: a StopIteration from work(item)
            yield work(item)  # would end it silently, where more jobs raise it
    elif hasattr(os, "fork"):
        yield from _in_processes(work, items, workers, jobs)
    else:
        yield from _on_threads(work, items, workers)


def _in_processes(work: Callable[[T], R], items: list[T], jobs: int, asked: int) -> Iterator[R]:
    """This process runs items 0, jobs, 2 jobs, ... itself, and forked worker w (1 to
    jobs - 1) runs items w, w + jobs, ..., writing each result, pickled, to a pipe of its
    own that holds about two results: so memory stays bounded, and a worker that stops
    without an answer (killed, out of memory) is an end of file at its turn, never a
    wait (a usage error naming `--jobs {asked}`, the count asked for). The workers
    inherit `work` and everything it reads; nothing but the results is pickled. However
    the reading ends (the last item, an error, a reader that stops early, Ctrl-C),
    every worker is ended and reaped."""
    parent = os.getpid()
    workers: list[tuple[int, BinaryIO]] = []
    try:
        for w in range(1, jobs):
            try:
                read, write = os.pipe()
            except OSError as exc:  # out of file descriptors
                raise _cannot_start(asked, exc) from None
            _widen(write)
            # Ctrl-C and SIGTERM wait until the worker has its own handlers: the CLI's
            # would raise inside the interpreter's after-fork hooks
            mask = signal.pthread_sigmask(signal.SIG_BLOCK, _PARENTS_SIGNALS)
            try:
                try:
                    pid = os.fork()
                except OSError as exc:  # out of processes (a container's pids limit)
                    os.close(read)
                    os.close(write)
                    raise _cannot_start(asked, exc) from None
                if pid == 0:  # the worker: never returns
                    os.close(read)
                    _serve(work, items[w::jobs], write, parent, mask)
                os.close(write)  # the worker's is the only writing end: its exit is EOF here
                # listed before the signals are let through: a Ctrl-C waiting for them
                # is raised as they are, and the cleanup below must end this worker too
                workers.append((pid, os.fdopen(read, "rb")))
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for i, item in enumerate(items):
            if i % jobs == 0:  # this process's own share
                yield work(item)
                continue
            try:
                done, value = pickle.load(workers[i % jobs - 1][1])
            except (EOFError, pickle.UnpicklingError):
                raise UsageError.option(
                    f"--jobs {asked}",
                    "a worker process stopped without an answer (out of memory?); "
                    "use fewer --jobs or a smaller run",
                ) from None
            if not done:
                raise value
            yield value
    finally:
        for pid, pipe in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)  # done already, or its work is dropped
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            pipe.close()


def _cannot_start(asked: int, exc: OSError) -> UsageError:
    return UsageError.option(
        f"--jobs {asked}",
        f"cannot start a worker process ({exc.strerror or exc}); use fewer --jobs",
    )


PIPE_BYTES = 1 << 20  # a worker's pipe: two summary results, so it computes on meanwhile


def _widen(pipe: int) -> None:
    """Let the pipe hold PIPE_BYTES (Linux's default limit for any user) rather than
    64 kB, so a worker writes a result and goes on to its next item while this process
    computes its own; where that cannot be set, the worker waits its turn instead."""
    with contextlib.suppress(AttributeError, OSError):
        import fcntl

        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


_PARENTS_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _serve(
    work: Callable[[Any], Any], items: list[Any], out: int, parent: int, mask: set[Any]
) -> NoReturn:
    """In a worker: run the items, write (True, result) or (False, error) for each, stop
    after an error, and exit without running any of the parent's exit handlers."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the CLI's handler is the parent's
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        _die_with(parent)
        with os.fdopen(out, "wb") as pipe:
            for item in items:
                try:
                    answer, done = pickle.dumps((True, work(item)), pickle.HIGHEST_PROTOCOL), True
                except BaseException as error:  # raised in the parent, at its turn
                    answer, done = _pickled_error(error), False
                pipe.write(answer)
                pipe.flush()
                if not done:
                    break
    except BaseException:  # the parent sees an end of file
        code = 1
    finally:
        os._exit(code)


def _pickled_error(error: BaseException) -> bytes:
    try:
        answer = pickle.dumps((False, error), pickle.HIGHEST_PROTOCOL)
        pickle.loads(answer)  # one whose __init__ takes other arguments than its args
        return answer
    except Exception:  # an error that cannot be pickled or rebuilt: its text
        return pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")))


def _die_with(parent: int) -> None:
    """End this worker when its parent process ends, however it ends (SIGKILL included):
    a worker left behind would compute for nobody. Linux only; elsewhere the parent's
    cleanup is all there is."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before the line above
        os._exit(1)


def _on_threads(work: Callable[[T], R], items: list[T], jobs: int) -> Iterator[R]:
    """Where a process cannot fork: `jobs` threads, at most IN_FLIGHT_PER_JOB * jobs
    items submitted ahead of the one yielded. (concurrent.futures, and the logging it
    loads, are imported here: 3 ms of every cold run that forks instead.)"""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(jobs, thread_name_prefix="outsourcecalc")
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) >= IN_FLIGHT_PER_JOB * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def evaluate_in_chunks(
    case: Case,
    start: int,
    stop: int,
    values_at: ValuesAt,
    keys: Sequence[str],
    metrics: frozenset[str] = frozenset(),
    longest_horizon: int | None = None,
    jobs: int = 1,
    finish: Callable[[Chunk], Any] | None = None,
) -> Iterator[Chunk]:
    """Evaluate scenarios start..stop-1, a chunk at a time, keeping the result `keys`
    of every vendor; `metrics` are the costly extras `evaluate_batch` is to compute.

    A batch shares its months, so a chunk whose horizon varies is evaluated one
    horizon at a time; `longest_horizon` (default: the case's) sizes the chunks.
    `jobs` processes evaluate about CHUNKS_PER_TASK chunks at a time each (the same
    number of items of one size each); the chunks are yielded in order. `finish(chunk)`
    (the rows' text, say) runs in the worker too, and its answer comes back as
    `chunk.finished`.
    """
    keep_freed_memory()
    longest = case.horizon_months if longest_horizon is None else longest_horizon
    step = max(MIN_CHUNK, CELLS_PER_CHUNK // (longest + 1))

    def chunk(lo: int, hi: int) -> Chunk:
        out = [{k: np.empty(hi - lo) for k in keys} for _ in case.vendors]
        for rows, values, size in _by_horizon(values_at(lo, hi), hi - lo):
            try:
                ev = evaluate_batch(with_values(case, values, size), metrics)
            except BeyondAnyOperation as exc:  # the point at fault, not the files
                raise _at_point(exc, values) from None
            for result, target in zip(ev.vendors, out, strict=True):
                for k in keys:
                    target[k][rows] = getattr(result, k)
        done = Chunk(lo, hi, out)
        if finish is not None:
            done.finished = finish(done)
        return done

    def task(span: tuple[int, int]) -> list[Chunk]:
        return [chunk(lo, hi) for lo, hi in _split(*span, step)]

    tasks = _split(start, stop, step * CHUNKS_PER_TASK, jobs, most_tasks(stop - start))
    return itertools.chain.from_iterable(in_order(task, tasks, jobs))


def _at_point(exc: BeyondAnyOperation, values: Mapping[InputPath, NDArray[Any]]) -> InputError:
    """The problem of one scenario of a batch, named by its varied or drawn inputs."""
    point = ", ".join(
        f"{path.text}={as_typed(_at(column, exc.scenario))}" for path, column in values.items()
    )
    return InputError([replace(p, source=f"at {point}") for p in exc.problems])


def _at(column: NDArray[Any], scenario: int) -> float:
    """A column's value at a scenario: one per scenario, or one for all (the horizon)."""
    return float(column) if np.ndim(column) == 0 else float(np.ravel(column)[scenario])


def _split(
    start: int, stop: int, most: int, jobs: int = 1, cap: int | None = None
) -> list[tuple[int, int]]:
    """start..stop in pieces of at most `most` scenarios, all of one size (to a scenario),
    as few as can be but a multiple of `jobs` (up to `cap` pieces), so that every process
    gets as much work and they finish together. A scenario's results do not depend on
    the pieces (see `Timeline.discounted`), so neither do the bytes written."""
    size = stop - start
    if size <= 0:
        return []
    pieces = -(-size // most)
    if jobs > 1:
        rounded = -(-pieces // jobs) * jobs
        pieces = min(size, rounded if cap is None else min(rounded, max(pieces, cap)))
    return [(start + size * i // pieces, start + size * (i + 1) // pieces) for i in range(pieces)]


def most_tasks(scenarios: int) -> int:
    """The most items of work `evaluate_in_chunks` makes of this many scenarios (a chunk
    holds at least MIN_CHUNK of them): so the most workers `in_order` starts for them."""
    return max(1, -(-scenarios // (MIN_CHUNK * CHUNKS_PER_TASK)))


def _by_horizon(
    values: Mapping[InputPath, NDArray[Any]], size: int
) -> Iterator[tuple[slice | NDArray[np.int64], dict[InputPath, NDArray[Any]], int]]:
    """(rows, their values, how many) per horizon; all rows at once if it does not vary."""
    horizon = next((p for p in values if p.loc == _HORIZON), None)
    if horizon is None:
        yield slice(None), dict(values), size
        return
    h = values[horizon]
    for months in np.unique(h):
        rows = np.flatnonzero(h == months)
        group = {p: v[rows] for p, v in values.items()}
        # one horizon per batch: it enters as a whole number, not a column
        group[horizon] = np.asarray(int(months))
        yield rows, group, len(rows)
