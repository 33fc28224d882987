"""Sweeps: every combination of `--vary` values, evaluated in bounded chunks by the batch engine.

A grid point is a flat index; its value on each axis comes from unravelling that
index (the first `--vary` varies slowest), so any slice of points — a chunk, or a
`--shard K/N` — is computed without building the whole grid.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from ..engine.batch import Chunk, evaluate_in_chunks
from ..engine.model import RESULT_KEYS
from ..engine.results import cents, fine, rounded
from ..errors import InputError, UsageError
from ..inputs.case import Case
from ..inputs.overrides import Override, describe
from ..inputs.paths import (
    InputPath,
    named_input,
    parse_path,
    path_bounds,
    resolve_values,
    split_assignment,
)
from ..rules import never_as_infinity, parse_rate, wins
from .gates import Gate, GateCount
from .memory import check_memory, counted, jobs_within, sweep_memory

DEFAULT_MAX_POINTS = 5_000_000
ROW_KEYS = RESULT_KEYS  # a row carries every result


@dataclass(frozen=True)
class Axis:
    """One `--vary`: the path as written and its validated values."""

    text: str
    path: InputPath
    values: NDArray[np.float64]
    step: float | None = None  # a START:STOP:STEP range's step; None for a list

    def to_dict(self, case: Case) -> dict[str, Any]:
        """The axis in JSON: its path, what it is, and its values (a range by its ends)."""
        out: dict[str, Any] = {"path": self.text, "label": named_input(case, self.text).label}
        if self.step is None:
            out["values"] = [float(x) for x in self.values.tolist()]
        else:
            out |= {
                "start": float(self.values[0]),
                "stop": float(self.values[-1]),
                "step": self.step,
            }
        out["count"] = len(self.values)
        return out


MAX_RANGE_VALUES = 100_000_000  # values on one axis; far beyond any --max-points
_LEADING_ZERO = re.compile(r"^[-+]?0\d")
# 42,500 or -1,250.50: one number with thousands separators, or a list? (A group that
# starts with 0, as in 1,000, is refused by parse_vary.)
_GROUPED = re.compile(r"^\s*[-+]?[1-9]\d{0,2}(,[1-9]\d{2})+(\.\d+)?\s*$")


def vary_notes(varies: Sequence[str], option: str = "--vary") -> list[str]:
    """A note for each list written as one number with thousands separators
    (`salary=42,500`): SPEC section 6 reads it as a list (42 and 500), which is rarely
    what was meant of a salary; said, not refused, as the contract allows it."""
    notes = []
    for text in varies:
        _, spec = split_assignment(text, option)
        if _GROUPED.match(spec):
            values = [item.strip() for item in spec.split(",")]
            notes.append(
                f"{option} {text}: reads as the {len(values)} values {', '.join(values)} (a "
                f"list splits on commas); if you meant {''.join(values)}, write {''.join(values)}"
            )
    return notes


def parse_vary(text: str, option: str = "--vary") -> tuple[str, Sequence[Any]]:
    """`PATH=START:STOP:STEP` or `PATH=A,B,C` (SPEC section 6) -> (path, raw values).

    A range includes STOP when it lies on the grid (within 1e-9 of a step). A list
    splits on commas, or, when it holds a `;`, on semicolons only, so that values may
    carry thousands separators (`48,000;52,000`). An item such as `000` or `052` is
    refused: it is most likely a thousands separator read as a list comma.
    """
    path, spec = split_assignment(text, option)
    where = f"{option} {text}"
    if not spec:
        raise UsageError.option(where, "no values after '='")
    if ":" in spec:
        return path, _range(spec, where)
    delimiter = ";" if ";" in spec else ","
    try:
        items = next(csv.reader([spec], delimiter=delimiter, skipinitialspace=True))
    except csv.Error as exc:  # a value past csv's field limit (128 KiB), from the library
        raise UsageError.option(where, f"cannot read the list ({exc})") from None
    if any(not item.strip() for item in items):
        raise UsageError.option(where, "an empty value in the list")
    for item in items:
        if not _LEADING_ZERO.match(item.strip()):
            continue
        if delimiter == ",":
            raise UsageError.option(
                where,
                f"{item.strip()!r} looks like the digits after a thousands separator, "
                f"read as a list comma; separate the values with ';' "
                f"(e.g. 48,000;52,000) or write them without separators (48000,52000)",
            )
        raise UsageError.option(  # SPEC section 6: whatever the separator
            where,
            f"{item.strip()!r} starts with 0 followed by a digit: most likely part of "
            f"a number cut at a separator; write the whole number (52,000 or 52000)",
        )
    return path, [_scalar(item.strip()) for item in items]


class Steps(Sequence[float]):
    """START, START+STEP, ... as a sequence that holds no values: a range's size is known,
    and checked against --max-points, before any value exists."""

    def __init__(self, start: float, step: float, count: int, stop: float) -> None:
        self.start, self.step, self.size, self.stop = start, step, count, stop
        # STOP lies on the grid: it is the last value exactly, not 0.30000000000000004
        self.ends_on_stop = abs(start + step * (count - 1) - stop) <= 1e-9 * step

    def __len__(self) -> int:
        return self.size

    def array(self) -> NDArray[np.float64]:
        """Every value at once, equal to each `self[i]`."""
        values = self.start + self.step * np.arange(self.size, dtype=np.float64)
        if self.ends_on_stop:
            values[-1] = self.stop
        return values

    @overload
    def __getitem__(self, index: int) -> float: ...
    @overload
    def __getitem__(self, index: slice) -> list[float]: ...
    def __getitem__(self, index: int | slice) -> float | list[float]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.size))]
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError(index)
        if index == self.size - 1 and self.ends_on_stop:
            return self.stop
        return self.start + self.step * index


def _range(spec: str, where: str) -> Steps:
    parts = spec.split(":")
    if len(parts) != 3:
        raise UsageError.option(where, "a range is START:STOP:STEP")
    start, stop, step = (_number(p, where) for p in parts)
    for name, value, raw in (("START", start, parts[0]), ("STOP", stop, parts[1])):
        if not math.isfinite(value):
            raise UsageError.option(where, f"{name} must be a finite number (got {raw})")
    if not step > 0 or not math.isfinite(step):
        raise UsageError.option(where, f"STEP must be > 0 (got {parts[2]})")
    if stop < start:
        raise UsageError.option(where, "STOP must not be below START")
    steps = (stop - start) / step  # inf when the step is tiny next to the span
    if not steps < MAX_RANGE_VALUES:
        raise UsageError.option(
            where, f"the range has more than {MAX_RANGE_VALUES:,} values; take a larger STEP"
        )
    return Steps(start, step, math.floor(steps + 1e-9) + 1, stop)


def parse_share(text: str, option: str) -> float:
    """A share given on the command line: 0.1 or "10%"."""
    return _number(text, f"{option} {text}")


def _number(text: str, where: str) -> float:
    try:
        return parse_rate(text)
    except ValueError:
        raise UsageError.option(where, f"not a number: {text.strip()!r}") from None


def _scalar(text: str) -> Any:
    """A list item: a plain number stays a number; anything else is passed to validation as text."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
        return number if math.isfinite(number) else text
    except ValueError:
        return text


def build_axes(
    case: Case,
    varies: Sequence[str],
    option: str = "--vary",
    max_points: int = DEFAULT_MAX_POINTS,
    *,
    max_memory: int | None = None,
    summary: bool = False,
    shard: str | None = None,
    jobs: int | None = 1,
) -> list[Axis]:
    """Every axis, its values validated as the field's. The grid's size, and the memory
    the sweep (its `shard`, rows or `summary`, on `jobs` jobs, see `sweep_jobs`) would
    need against `max_memory`, are checked first, so that an axis of a hundred million
    values is refused before any is validated."""
    parsed: list[tuple[str, str, InputPath, Sequence[Any]]] = []
    for text in varies:
        path_text, raw = parse_vary(text, option)
        path = parse_path(path_text, option)
        for other_text, _, other, _ in parsed:  # `vendor.x` also varies `vendor[1].x`
            if path.overlaps(other):
                raise UsageError.option(
                    f"{option} {text}", f"this input is already varied ({option} {other_text})"
                )
        fixed = path.fixed_by(case)  # the rows would say one value, the header another
        if fixed:
            raise UsageError.option(
                f"{option} {text}", f"also fixed with {fixed[0]}; give one of them"
            )
        parsed.append((text, path_text, path, raw))
    size = math.prod(len(raw) for *_, raw in parsed)
    if size > max_points:
        raise UsageError.option(
            " ".join(f"{option} {text}" for text, *_ in parsed),
            f"the grid has {size:,} points, more than --max-points {max_points:,}",
        )
    if max_memory is not None:
        start, stop = shard_range(size, shard)
        sizes = [len(raw) for *_, raw in parsed]
        kind = "sweep --summary" if summary else "sweep"
        jobs = sweep_jobs(case, sizes, stop - start, summary, max_memory, jobs)
        check_memory(
            sweep_memory(case, sizes, stop - start, summary, jobs),
            max_memory,
            f"this {kind} of {counted(stop - start, 'point')} and "
            f"{counted(len(case.vendors), 'vendor')}",
            "vary fewer values, split it with --shard K/N",
            jobs,
        )
    return [
        Axis(
            path_text,
            path,
            _validated(case, path, raw, f"{option} {text}"),
            raw.step if isinstance(raw, Steps) else None,
        )
        for text, path_text, path, raw in parsed
    ]


def sweep_jobs(
    case: Case, sizes: Sequence[int], points: int, summary: bool, budget: int, jobs: int | None
) -> int:
    """The jobs a sweep of `points` over axes of these sizes runs on: `jobs` as asked, or
    (None) every available core that the memory budget allows."""
    return jobs_within(budget, jobs, lambda n: sweep_memory(case, sizes, points, summary, n))


def _validated(case: Case, path: InputPath, raw: Sequence[Any], source: str) -> Any:
    """An axis's values as the field reads them.

    A list (typed by hand, a few items, perhaps "5%" or "42,000") is validated value by
    value, as if written in the file. A range is a million numbers at most: one array
    check against the field's bounds, then the file validated at the range's two ends,
    which holds every check across fields (months within the horizon, tiers in order,
    time off below the working days) for the values between them too.
    """
    if not isinstance(raw, Steps):
        return resolve_values(case, path, raw, source)
    values = raw.array()
    bounds = path_bounds(path, source.split(" ")[0])
    bad = ~bounds.contains(values)
    if bounds.whole:
        bad |= values != np.round(values)
    if bad.any():
        wrong = values[bad]
        try:  # the field's own message, with its hints, for the first wrong value
            resolve_values(case, path, [float(wrong[0])], source)
        except InputError as exc:
            shown = ", ".join(f"{v:g}" for v in wrong[:3])
            more = f" and {len(wrong) - 3:,} more" if len(wrong) > 3 else ""
            label = f"value {shown}" if len(wrong) == 1 else f"values {shown}{more}"
            raise InputError(
                [
                    replace(p, message=re.sub(r"^values? [^:]*: ", f"{label}: ", p.message))
                    for p in exc.problems
                ]
            ) from None
    ends = [float(values[0]), float(values[-1])]
    resolve_values(case, path, [int(v) if bounds.whole else v for v in ends], source)
    return values


@dataclass
class Grid:
    axes: list[Axis]

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(a.values) for a in self.axes)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def values_at(self, index: NDArray[np.int64]) -> dict[InputPath, NDArray[np.float64]]:
        coords = np.unravel_index(index, self.shape)
        return {a.path: a.values[c] for a, c in zip(self.axes, coords, strict=True)}

    def point(self, index: int) -> dict[str, float]:
        coords = np.unravel_index(index, self.shape)
        return {a.text: float(a.values[c]) for a, c in zip(self.axes, coords, strict=True)}


def shard_range(total: int, shard: str | None) -> tuple[int, int]:
    """`K/N` -> the K-th of N contiguous, deterministic slices of the points."""
    if shard is None:
        return 0, total
    try:
        k_text, n_text = shard.split("/")
        k, n = int(k_text), int(n_text)
    except ValueError:
        raise UsageError.option(f"--shard {shard}", "expected K/N, e.g. 2/8") from None
    if n < 1 or not 1 <= k <= n:
        raise UsageError.option(f"--shard {shard}", "need 1 <= K <= N")
    return total * (k - 1) // n, total * k // n


def evaluate_grid(
    case: Case,
    grid: Grid,
    start: int,
    stop: int,
    metrics: frozenset[str],
    keys: Sequence[str],
    jobs: int = 1,
    finish: Callable[[Chunk], Any] | None = None,
) -> Iterator[Chunk]:
    """Evaluate points start..stop-1, a bounded chunk at a time, on `jobs` workers;
    `finish(chunk)` runs in the worker (see `evaluate_in_chunks`)."""
    horizon_axis = next(
        (a for a in grid.axes if a.path.loc == ("analysis", "horizon_months")), None
    )
    longest = int(horizon_axis.values.max()) if horizon_axis else case.horizon_months

    def values_at(lo: int, hi: int) -> dict[InputPath, NDArray[np.float64]]:
        return grid.values_at(np.arange(lo, hi))

    return evaluate_in_chunks(case, start, stop, values_at, keys, metrics, longest, jobs, finish)


# ----------------------------------------------------------------- summary


@dataclass
class Spread:
    min: float | None
    median: float | None
    max: float | None


@dataclass
class SweepVendorSummary:
    """One vendor over the points of a sweep: how often outsourcing wins, and the spread."""

    name: str
    points: int
    share_winning: float
    npv_savings: Spread
    payback_months: Spread
    worst: dict[str, float]
    best: dict[str, float]


def median(values: NDArray[np.float64]) -> float:
    """np.median of a 1-D array, to the bit (NaN if any value is NaN), without its
    first call's import of numpy.ma: 20 ms of a cold 1M-point summary, twice the rest
    of the statistics. One partition at the middle, and the largest value below it."""
    n = len(values)
    if n == 0 or np.isnan(values).any():
        return math.nan
    k = n // 2
    part = np.partition(values, k)
    middle = part[k : k + 1] if n % 2 else np.array([part[:k].max(), part[k]])
    return float(np.mean(middle))  # as np.median averages them


def _spread(values: NDArray[np.float64], never_is_infinite: bool = False) -> Spread:
    """min / median / max; for payback a null (never) counts as later than any month."""
    v = never_as_infinity(values) if never_is_infinite else values
    if not len(v):
        return Spread(None, None, None)
    low, mid, high = float(np.min(v)), median(v), float(np.max(v))
    return Spread(*(None if math.isinf(x) or math.isnan(x) else x for x in (low, mid, high)))


def summarize(
    grid: Grid,
    names: list[str],
    start: int,
    npv: list[NDArray[np.float64]],
    payback: list[NDArray[np.float64]],
) -> list[SweepVendorSummary]:
    out = []
    for name, n, p in zip(names, npv, payback, strict=True):
        out.append(
            SweepVendorSummary(
                name=name,
                points=len(n),
                share_winning=float(np.mean(wins(n))) if len(n) else 0.0,
                npv_savings=_spread(n),
                payback_months=_spread(p, never_is_infinite=True),
                worst=grid.point(start + int(np.argmin(n))) if len(n) else {},
                best=grid.point(start + int(np.argmax(n))) if len(n) else {},
            )
        )
    return out


@dataclass
class SweepRun:
    """A sweep's grid and slice, evaluated a bounded chunk at a time as `chunks()` is read.

    Rows are never all held: a renderer writes each chunk's rows and drops them, so
    memory does not grow with the number of points. A pass that reaches the end counts
    the points where each gate holds; `counted_gates()` makes one if none has yet.
    A summary run keeps, per vendor, only npv_savings and payback_months per point.
    """

    case: Case
    grid: Grid
    start: int
    stop: int
    vendor_names: list[str]
    keys: tuple[str, ...]  # the result keys of a row (or of the summary)
    metrics: frozenset[str] = frozenset()  # the costly extras the keys or gates need
    first_shard: bool = True  # a shard's CSV has its header only when it is the first
    summary: list[SweepVendorSummary] = field(default_factory=list)
    gates: list[GateCount] = field(default_factory=list)
    progress: Callable[[int, int], None] | None = None
    counted: bool = False  # a whole pass counted the gates
    jobs: int = 1  # chunks evaluated at once, in worker processes: the rows are the same bytes

    def chunks(
        self, keys: Sequence[str] | None = None, finish: Callable[[Chunk], Any] | None = None
    ) -> Iterator[Chunk]:
        """Evaluate the points of the slice, in order, a bounded chunk at a time, keeping
        `keys` (the row's keys by default) and the gates' metrics; `finish(chunk)` (the
        rows' text) is made where the chunk is evaluated, as `chunk.finished`."""
        gate_keys = [c.gate.metric for c in self.gates]
        wanted = tuple(dict.fromkeys([*(self.keys if keys is None else keys), *gate_keys]))
        metrics = self.metrics & set(wanted)
        held = [0] * len(self.gates)
        vendor = {name: i for i, name in enumerate(self.vendor_names)}
        for chunk in evaluate_grid(
            self.case, self.grid, self.start, self.stop, metrics, wanted, self.jobs, finish
        ):
            for j, count in enumerate(self.gates):
                values = chunk.vendors[vendor[count.vendor]][count.gate.metric]
                held[j] += int(np.count_nonzero(count.gate.holds_many(values)))
            if self.progress is not None:
                self.progress(chunk.stop - self.start, self.stop - self.start)
            yield chunk
        for count, n in zip(self.gates, held, strict=True):
            count.held = n
        self.counted = True

    def counted_gates(self) -> list[GateCount]:
        """The gates with the points where each holds, evaluating the slice for the gates'
        metrics alone if no pass has counted them yet."""
        if self.gates and not self.counted:
            for _ in self.chunks(keys=()):
                pass
        return self.gates


def shard_index(shard: str | None) -> int:
    """K of `--shard K/N` (1 without one): the first shard is the one that writes a header."""
    if shard is None:
        return 1
    shard_range(1, shard)  # a malformed K/N fails here
    return int(shard.split("/")[0])


def run_sweep(
    case: Case,
    grid: Grid,
    *,
    shard: str | None = None,
    summary: bool = False,
    gates: Sequence[Gate] = (),
    max_points: int = DEFAULT_MAX_POINTS,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
) -> SweepRun:
    """A grid (or one shard of it), checked against the limits: with `summary`, evaluated
    now and summarized; otherwise evaluated as its rows are read (`SweepRun.chunks`)."""
    if grid.size > max_points:
        raise UsageError.option(
            "--vary",
            f"the grid has {grid.size:,} points, more than --max-points {max_points:,}",
        )
    start, stop = shard_range(grid.size, shard)
    names = [v.name for v in case.vendors]
    gate_keys = {g.metric for g in gates}
    if summary:
        keys = tuple(sorted({"npv_savings", "payback_months", *gate_keys}))
    else:
        # every result, the score with a scorecard (as compare's CSV), and a gate's metric
        row = ROW_KEYS + (("score",) if case.in_house.scorecard is not None else ())
        keys = row + tuple(sorted(gate_keys - set(row)))
    # a summary keeps two results: the others are computed only for the gates
    metrics = frozenset(
        {"irr", "discounted_payback_months", "break_even_volume"} & (set(keys) | gate_keys)
    )
    run = SweepRun(
        case, grid, start, stop, names, keys, metrics, first_shard=shard_index(shard) == 1
    )
    run.gates = [GateCount(g, n) for g in gates for n in names]
    run.progress = progress
    run.jobs = jobs
    if summary:
        npv = [np.empty(stop - start) for _ in names]
        pay = [np.empty(stop - start) for _ in names]
        for chunk in run.chunks():
            rows = slice(chunk.start - start, chunk.stop - start)
            for i, res in enumerate(chunk.vendors):
                npv[i][rows] = res["npv_savings"]
                pay[i][rows] = res["payback_months"]
        run.summary = summarize(grid, names, start, npv, pay)
    return run


def row_dicts(run: SweepRun) -> Iterator[dict[str, Any]]:
    """Rows as dicts (the rows of the JSON), a chunk at a time: nulls as None, money in cents."""
    for chunk in run.chunks():
        for i in range(chunk.stop - chunk.start):
            point = run.grid.point(chunk.start + i)
            for v, name in enumerate(run.vendor_names):
                row: dict[str, Any] = {**point, "vendor": name}
                for k in run.keys:
                    x = float(chunk.vendors[v][k][i])
                    row[k] = rounded(k, None if math.isnan(x) else x)
                yield row


def display_grid(
    case: Case, grid: Grid, rows: int = 15, columns: int = 7
) -> tuple[Grid, list[NDArray[np.float64]]]:
    """npv_savings on an evenly thinned copy of a two-axis grid (what fits on a screen).

    Returns the thinned grid (axis 0: rows, axis 1: columns) and one matrix per vendor.
    """
    thin = Grid(
        [
            Axis(
                a.text,
                a.path,
                a.values[np.unique(np.linspace(0, len(a.values) - 1, n).round().astype(int))],
            )
            for a, n in zip(grid.axes, (rows, columns), strict=True)
        ]
    )
    chunks = list(run_sweep(case, thin, summary=False).chunks())
    flat = [
        np.concatenate([c.vendors[v]["npv_savings"] for c in chunks])
        for v in range(len(case.vendors))
    ]
    return thin, [f.reshape(thin.shape) for f in flat]


@dataclass
class Sweep:
    """What `outsourcecalc.sweep` returns: one row per point and vendor, or a summary per vendor.

    `rows()` gives the rows as dicts, `to_pandas()` as a DataFrame (when pandas is
    installed), `to_dict()` what `sweep --format json` prints.
    """

    case: Case
    run: SweepRun
    summarized: bool = False  # a summary per vendor was kept instead of the rows
    shard: str | None = None  # "K/N" when only a slice of the grid was evaluated
    vary_notes: list[str] = field(default_factory=list)  # on the --vary texts themselves

    @property
    def paths(self) -> list[str]:
        """The varied inputs, as written."""
        return [a.text for a in self.run.grid.axes]

    @property
    def scenario(self) -> tuple[Override, ...]:
        """The inputs the command line changed (`--set`, `--horizon`), described."""
        return describe(self.case)

    @property
    def notes(self) -> list[str]:
        """Notes on the inputs (an item after the horizon, an inverted exchange rate), then
        on the varied values (a list that reads as one grouped number)."""
        return [*self.case.notes, *self.vary_notes]

    @property
    def axes(self) -> list[dict[str, Any]]:
        """The grid, one dict per varied input: `path`, `label`, then `values` (a list) or
        `start`, `stop` and `step` (a range, `stop` its last value), and `count`."""
        return [a.to_dict(self.case) for a in self.run.grid.axes]

    @property
    def points(self) -> int:
        """Points evaluated (all of the grid, or the shard's slice)."""
        return self.run.stop - self.run.start

    @property
    def currency(self) -> str:
        return self.case.currency

    @property
    def unit(self) -> str:
        """What the workload counts (contacts, tickets), or "" without a workload."""
        return self.case.in_house.workload.unit if self.case.in_house.workload else ""

    @property
    def summary(self) -> list[SweepVendorSummary]:
        return self.run.summary

    @property
    def gates(self) -> list[GateCount]:
        """Per gate and vendor, the points where the gate holds (the sweep is evaluated
        for them if its rows have not been read yet)."""
        return self.run.counted_gates()

    def rows(self) -> list[dict[str, Any]]:
        """One dict per point and vendor: the varied paths, `vendor`, then every result
        (money in cents, None where a result is undefined). `iter_rows()` gives them
        one at a time, without holding them all."""
        return list(self.iter_rows())

    def iter_rows(self) -> Iterator[dict[str, Any]]:
        """The rows of `rows()`, evaluated a chunk at a time as they are read."""
        if self.summarized:
            raise ValueError("a summary sweep keeps no rows: run it without summary=True")
        return row_dicts(self.run)

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame; pandas is imported here, only when asked for."""
        import importlib

        try:
            pd = importlib.import_module("pandas")  # never imported at module level
        except ImportError:
            raise ImportError(
                "Sweep.to_pandas needs pandas: pip install pandas (or use .rows())"
            ) from None
        return pd.DataFrame(self.rows(), columns=[*self.paths, "vendor", *self.run.keys])

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `sweep --format json` (with summary: `sweep --summary --format json`)."""
        said = {"overrides": dict(self.case.overrides), "notes": self.notes}
        if not self.summarized:
            return {"paths": self.paths, "axes": self.axes, **said, "rows": self.rows()}
        return {
            "points": self.points,
            "grid_points": self.run.grid.size,
            "paths": self.paths,
            "axes": self.axes,
            **said,
            "vendors": [
                {
                    "name": v.name,
                    "points": v.points,
                    "share_winning": fine(v.share_winning),
                    "npv_savings": _spread_dict(v.npv_savings, cents),
                    "payback_months": _spread_dict(v.payback_months, fine),
                    "worst": v.worst,
                    "best": v.best,
                }
                for v in self.run.summary
            ],
        }

    def heat_map(self, rows: int = 15, columns: int = 7) -> tuple[Grid, list[NDArray[np.float64]]]:
        """npv_savings over a thinned copy of a two-input grid: see `display_grid`."""
        return display_grid(self.case, self.run.grid, rows, columns)


def _spread_dict(s: Spread, rounding: Callable[[float | None], float | None]) -> dict[str, Any]:
    return {"min": rounding(s.min), "median": rounding(s.median), "max": rounding(s.max)}
