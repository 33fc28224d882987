"""Sweeps: every combination of `--vary` values, evaluated in bounded chunks by the batch engine.

A grid point is a flat index; its value on each axis comes from unravelling that
index (the first `--vary` varies slowest), so any slice of points — a chunk, or a
`--shard K/N` — is computed without building the whole grid.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..engine.batch import Chunk, evaluate_in_chunks
from ..engine.model import RESULT_KEYS
from ..errors import UsageError
from ..inputs.case import Case
from ..inputs.paths import InputPath, parse_path, resolve_values, split_assignment
from ..rules import MONEY_KEYS, never_as_infinity, parse_rate, wins
from .gates import Gate

DEFAULT_MAX_POINTS = 5_000_000
ROW_KEYS = tuple(k for k in RESULT_KEYS if k != "break_even_volume")


@dataclass(frozen=True)
class Axis:
    """One `--vary`: the path as written and its validated values."""

    text: str
    path: InputPath
    values: NDArray[np.float64]


def parse_vary(text: str, option: str = "--vary") -> tuple[str, list[Any]]:
    """`PATH=START:STOP:STEP` (stop included) or `PATH=A,B,C` -> (path, raw values).

    In a list, commas separate values, so write money without thousands
    separators or quote it ("42,000"); a range's ends may be money or percents.
    """
    path, spec = split_assignment(text, option)
    where = f"{option} {text}"
    if not spec:
        raise UsageError.option(where, "no values after '='")
    if ":" in spec:
        parts = spec.split(":")
        if len(parts) != 3:
            raise UsageError.option(where, "a range is START:STOP:STEP")
        start, stop, step = (_number(p, where) for p in parts)
        if step <= 0:
            raise UsageError.option(where, f"STEP must be > 0 (got {parts[2]})")
        if stop < start:
            raise UsageError.option(where, "STOP must not be below START")
        count = math.floor((stop - start) / step + 1e-9) + 1
        if count > 100_000_000:
            raise UsageError.option(where, f"the range has {count:,} values")
        values = start + step * np.arange(count)
        if abs(values[-1] - stop) <= 1e-9 * max(1.0, abs(stop)):
            values[-1] = stop  # the stop is included exactly, not as 0.30000000000000004
        return path, [float(v) for v in values]
    items = next(csv.reader([spec], skipinitialspace=True))
    if any(not item.strip() for item in items):
        raise UsageError.option(where, "an empty value in the list")
    return path, [_scalar(item.strip()) for item in items]


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


def build_axes(case: Case, varies: Sequence[str], option: str = "--vary") -> list[Axis]:
    axes = []
    seen: set[str] = set()
    for text in varies:
        path_text, raw = parse_vary(text, option)
        path = parse_path(path_text, option)
        if path_text in seen:
            raise UsageError.option(f"{option} {text}", "this path is already varied")
        seen.add(path_text)
        values = resolve_values(case, path, raw, f"{option} {text}")
        axes.append(Axis(path_text, path, values))
    return axes


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
) -> Iterator[Chunk]:
    """Evaluate points start..stop-1, a bounded chunk at a time."""
    horizon_axis = next(
        (a for a in grid.axes if a.path.loc == ("analysis", "horizon_months")), None
    )
    longest = int(horizon_axis.values.max()) if horizon_axis else case.horizon_months

    def values_at(lo: int, hi: int) -> dict[InputPath, NDArray[np.float64]]:
        return grid.values_at(np.arange(lo, hi))

    return evaluate_in_chunks(case, start, stop, values_at, keys, metrics, longest)


# ----------------------------------------------------------------- summary


@dataclass
class Spread:
    min: float | None
    median: float | None
    max: float | None


@dataclass
class VendorSummary:
    name: str
    points: int
    share_winning: float
    npv_savings: Spread
    payback_months: Spread
    worst: dict[str, float]
    best: dict[str, float]


def _spread(values: NDArray[np.float64], never_is_infinite: bool = False) -> Spread:
    """min / median / max; for payback a null (never) counts as later than any month."""
    v = never_as_infinity(values) if never_is_infinite else values
    if not len(v):
        return Spread(None, None, None)
    low, mid, high = float(np.min(v)), float(np.median(v)), float(np.max(v))
    return Spread(*(None if math.isinf(x) or math.isnan(x) else x for x in (low, mid, high)))


def summarize(
    grid: Grid,
    names: list[str],
    start: int,
    npv: list[NDArray[np.float64]],
    payback: list[NDArray[np.float64]],
) -> list[VendorSummary]:
    out = []
    for name, n, p in zip(names, npv, payback, strict=True):
        out.append(
            VendorSummary(
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
class GateCount:
    gate: Gate
    vendor: str
    points: int = 0


@dataclass
class SweepRun:
    """What a sweep produced: the grid, its slice, rows or a summary, and broken gates."""

    grid: Grid
    start: int
    stop: int
    vendor_names: list[str]
    keys: tuple[str, ...]
    chunks: list[Chunk] = field(default_factory=list)
    summary: list[VendorSummary] = field(default_factory=list)
    gates: list[GateCount] = field(default_factory=list)


def run_sweep(
    case: Case,
    grid: Grid,
    *,
    shard: str | None = None,
    summary: bool = False,
    extra_metrics: Sequence[str] = (),
    gates: Sequence[Gate] = (),
    max_points: int = DEFAULT_MAX_POINTS,
    progress: Callable[[int, int], None] | None = None,
) -> SweepRun:
    """Evaluate a grid (or one shard of it), keeping rows or only a summary."""
    if grid.size > max_points:
        raise UsageError.option(
            "--vary",
            f"the grid has {grid.size:,} points, more than --max-points {max_points:,}",
        )
    start, stop = shard_range(grid.size, shard)
    for name in extra_metrics:
        if name != "break_even_volume":
            raise UsageError.option(
                f"--metrics {name}", "the only extra metric is break_even_volume"
            )
    names = [v.name for v in case.vendors]
    gate_keys = {g.metric for g in gates}
    if summary:
        keys = tuple(sorted({"npv_savings", "payback_months", *gate_keys}))
    else:
        keys = ROW_KEYS + tuple(extra_metrics)
    metrics = frozenset(
        {"irr", "discounted_payback_months", *extra_metrics} & (set(keys) | gate_keys)
    )
    run = SweepRun(grid, start, stop, names, keys)
    run.gates = [GateCount(g, n) for g in gates for n in names]
    npv: list[list[NDArray[np.float64]]] = [[] for _ in names]
    pay: list[list[NDArray[np.float64]]] = [[] for _ in names]
    for chunk in evaluate_grid(case, grid, start, stop, metrics, keys):
        for count in run.gates:
            values = chunk.vendors[names.index(count.vendor)][count.gate.metric]
            count.points += int(np.count_nonzero(count.gate.holds_many(values)))
        if summary:
            for i, res in enumerate(chunk.vendors):
                npv[i].append(res["npv_savings"])
                pay[i].append(res["payback_months"])
        else:
            run.chunks.append(chunk)
        if progress is not None:
            progress(chunk.stop - start, stop - start)
    if summary:
        run.summary = summarize(
            grid,
            names,
            start,
            [np.concatenate(n) if n else np.empty(0) for n in npv],
            [np.concatenate(p) if p else np.empty(0) for p in pay],
        )
    return run


def rows_csv(run: SweepRun, header: bool = True) -> str:
    """One row per point and vendor: the varied paths, `vendor`, then every result key."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow([*(a.text for a in run.grid.axes), "vendor", *run.keys])
    for chunk in run.chunks:
        index = np.arange(chunk.start, chunk.stop)
        coords = np.unravel_index(index, run.grid.shape)
        columns = [_text(a.values[c], "") for a, c in zip(run.grid.axes, coords, strict=True)]
        results = [[_text(res[k], k) for k in run.keys] for res in chunk.vendors]
        # point by point, each point's vendors together: any contiguous shards rejoin exactly
        for i in range(len(index)):
            point = [col[i] for col in columns]
            for name, cells in zip(run.vendor_names, results, strict=True):
                writer.writerow([*point, name, *(c[i] for c in cells)])
    return out.getvalue()


def _text(values: NDArray[np.float64], key: str) -> list[str]:
    """Cells of a column: money to the cent, other numbers without float noise, null empty."""
    if key in MONEY_KEYS:
        return ["" if math.isnan(x) else f"{x:.2f}" for x in values.tolist()]
    return ["" if math.isnan(x) else repr(round(x, 10) + 0.0) for x in values.tolist()]


def row_dicts(run: SweepRun) -> list[dict[str, Any]]:
    """Rows as dicts (JSON): nulls as None, money in cents."""
    from ..engine.results import rounded

    out = []
    for chunk in run.chunks:
        for i in range(chunk.stop - chunk.start):
            point = run.grid.point(chunk.start + i)
            for v, name in enumerate(run.vendor_names):
                row: dict[str, Any] = {**point, "vendor": name}
                for k in run.keys:
                    x = float(chunk.vendors[v][k][i])
                    row[k] = rounded(k, None if math.isnan(x) else x)
                out.append(row)
    return out


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
    run = run_sweep(case, thin, summary=False)
    flat = [
        np.concatenate([c.vendors[v]["npv_savings"] for c in run.chunks])
        for v in range(len(case.vendors))
    ]
    return thin, [f.reshape(thin.shape) for f in flat]
