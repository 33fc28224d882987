"""One input at a time: how far npv_savings swings, and the value at which the decision flips.

Every input moved down and up is one scenario. The flip values of all inputs come
from the first-crossing search that also finds break-even volumes (`engine/roots.py`),
run from today's value up and down, every input in the same few searches: for the
monthly volume it is the break-even volume. The scenarios are evaluated in batches
of bounded size, so a file of 300 roles needs memory in proportion, not its square.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..engine.batch import check_jobs, in_order
from ..engine.breakeven import volume_kinks
from ..engine.model import evaluate_batch
from ..engine.results import cents, fine
from ..engine.roots import first_crossing
from ..errors import InputError, Problem, UsageError
from ..inputs.case import Case
from ..inputs.overrides import Override, describe, recorded
from ..inputs.paths import (
    InputPath,
    numeric_inputs,
    parse_path,
    path_bounds,
    resolve_values,
    with_values,
)
from .memory import check_memory, counted, jobs_within, sensitivity_memory

FLIP_RANGE = 10.0  # flip values are looked for between 0 and 10 times today's value
# A batch holds at most this many values of its varied inputs (inputs x scenarios) and
# this many scenario-months: bounded batches keep memory linear in the number of inputs.
BATCH_CELLS = 4_000_000
ENGINE_CELLS = 2_000_000


@dataclass
class InputSwing:
    path: str
    base: float
    low: float
    high: float
    npv_savings_low: float
    npv_savings_high: float
    flip_value: float | None

    @property
    def swing(self) -> float:
        return abs(self.npv_savings_high - self.npv_savings_low)


@dataclass
class VendorSensitivity:
    name: str
    base_npv_savings: float
    inputs: list[InputSwing]
    skipped: list[str] = field(default_factory=list)  # inputs a move would make invalid


@dataclass
class Sensitivity:
    """What `outsourcecalc.sensitivity` returns: per vendor, the inputs by how far they swing."""

    delta: float  # each input moved down and up by this share
    currency: str
    vendors: list[VendorSensitivity]
    # the inputs moved: the charts name an input by its role or item ("Agent: annual salary")
    case: Case | None = field(default=None, repr=False, compare=False)

    @property
    def scenario(self) -> tuple[Override, ...]:
        """The inputs the command line changed (`--set`, `--horizon`), described."""
        return () if self.case is None else describe(self.case)

    @property
    def notes(self) -> list[str]:
        """Notes on the inputs: an item after the horizon, an inverted exchange rate."""
        return [] if self.case is None else list(self.case.notes)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `sensitivity --format json`: money in cents, values without float noise."""
        return {
            "delta": fine(self.delta),
            "overrides": recorded(self.scenario),
            "notes": list(self.notes),
            "vendors": [
                {
                    "name": v.name,
                    "base_npv_savings": cents(v.base_npv_savings),
                    "inputs": [
                        {
                            "path": r.path,
                            "base": r.base,
                            "low": fine(r.low),
                            "high": fine(r.high),
                            "npv_savings_low": cents(r.npv_savings_low),
                            "npv_savings_high": cents(r.npv_savings_high),
                            "swing": cents(r.swing),
                            "flip_value": fine(r.flip_value),
                        }
                        for r in v.inputs
                    ],
                    "skipped": v.skipped,
                }
                for v in self.vendors
            ],
        }


def sensitivity(
    case: Case,
    delta: float = 0.10,
    only: Sequence[str] = (),
    max_memory: int | None = None,
    jobs: int | None = 1,
) -> list[VendorSensitivity]:
    """Move each numeric input (or those in `only`) by -delta and +delta, for every vendor.

    An `only` path that names no input of the files with a value to move is refused;
    `max_memory` (bytes), when given, is the budget the run's estimated peak must fit,
    checked before any work. `jobs` batches are evaluated at once, this process and
    forked workers (the same numbers whatever the count); None: every available core
    the budget allows, at least one.
    """
    if not 0 < delta < 1:
        raise UsageError.option(f"--delta {delta:g}", "must be a share between 0 and 1, e.g. 10%")
    wanted = _wanted(only, len(case.vendors))
    _check_only(case, wanted or [])
    per_vendor = [
        [(p, v) for p, v in numeric_inputs(case, index) if v != 0 and _chosen(p, wanted)]
        for index in range(len(case.vendors))
    ]
    if max_memory is not None:
        count = sum(len(c) for c in per_vendor)

        def estimate(workers: int) -> int:
            return sensitivity_memory(case, count, BATCH_CELLS, ENGINE_CELLS, workers)

        jobs = jobs_within(max_memory, jobs, estimate)
        check_memory(
            estimate(jobs),
            max_memory,
            f"this sensitivity run of {counted(count, 'input')}",
            "choose fewer inputs with --only",
            jobs,
        )
    jobs = check_jobs(jobs)
    out = []
    for index, (vendor, candidates) in enumerate(zip(case.vendors, per_vendor, strict=True)):
        inputs: list[tuple[InputPath, float, float, float]] = []
        skipped = []
        for path, base in candidates:
            low, high = _clip(path, base * (1 - delta), base * (1 + delta))
            try:
                lo, hi = resolve_values(case, path, [low, high], f"--delta {path.text}")
            except InputError as exc:
                skipped.append(f"{path.text}: {exc.problems[0].message}")
                continue
            inputs.append((path, base, float(lo), float(hi)))
        npv = _moves(case, index, inputs, jobs)
        base_npv = float(evaluate_batch(case, frozenset()).vendors[index].npv_savings[0])
        flips = _flip_values(case, index, [(p, b) for p, b, _, _ in inputs], jobs)
        rows = [
            InputSwing(p.text, b, lo, hi, float(npv[2 * j]), float(npv[2 * j + 1]), flips[j])
            for j, (p, b, lo, hi) in enumerate(inputs)
        ]
        rows.sort(key=lambda r: -r.swing)
        out.append(VendorSensitivity(vendor.name, base_npv, rows, skipped))
    return out


def _wanted(only: Sequence[str], vendors: int) -> list[InputPath] | None:
    if not only:
        return None
    paths = [parse_path(text, "--only") for text in only]
    for p in paths:
        path_bounds(p, "--only")
        if p.vendor_index is not None and p.vendor_index >= vendors:
            raise UsageError.option(
                f"--only {p.text}", f"vendor[{p.vendor_index}] does not exist ({vendors} given)"
            )
    return paths


def _check_only(case: Case, wanted: list[InputPath]) -> None:
    """Every `--only` path names an input of the files with a value a share can move."""
    problems = []
    for w in wanted:
        values = [
            v
            for index in range(len(case.vendors))
            for p, v in numeric_inputs(case, index)
            if _chosen(p, [w])
        ]
        if not values:
            problems.append(
                Problem(f"--only {w.text}", "names no numeric input of the files: nothing to move")
            )
        elif all(v == 0 for v in values):
            problems.append(
                Problem(f"--only {w.text}", "is 0 in the files: a share of 0 moves nothing")
            )
    if problems:
        raise UsageError(problems)


def _chosen(path: InputPath, wanted: list[InputPath] | None) -> bool:
    if wanted is None:
        return True
    return any(
        w.target == path.target
        and w.loc == path.loc
        and (w.vendor_index is None or w.vendor_index == path.vendor_index)
        for w in wanted
    )


def _clip(path: InputPath, low: float, high: float) -> tuple[float, float]:
    """Keep a move inside the field's valid range (a scope of 1 cannot rise 10%)."""
    bounds = path_bounds(path, "--only")
    lo, hi = min(low, high), max(low, high)
    if bounds.high < math.inf and hi > bounds.high:
        hi = bounds.high if not bounds.high_open else np.nextafter(bounds.high, -math.inf)
    if lo < bounds.low:
        lo = bounds.low if not bounds.low_open else np.nextafter(bounds.low, math.inf)
    return (lo, hi) if low <= high else (hi, lo)


def _moves(
    case: Case, vendor: int, inputs: list[tuple[InputPath, float, float, float]], jobs: int = 1
) -> NDArray[np.float64]:
    """npv_savings with input j at its low (scenario 2j) and high (2j+1)."""
    bases = {path: base for path, base, _, _ in inputs}
    moves = [(path, np.array([end])) for path, _, low, high in inputs for end in (low, high)]
    return _npv_savings(case, vendor, bases, moves, jobs).reshape(-1)


def _npv_savings(
    case: Case,
    vendor: int,
    bases: dict[InputPath, float],
    moves: Sequence[tuple[InputPath, NDArray[np.float64]]],
    jobs: int = 1,
) -> NDArray[np.float64]:
    """npv_savings along each move (a path and the k points it takes, the other inputs
    of `bases` at today's values): a (len(moves), k) array.

    Every input of `bases` is a column in every batch, as if all moves were one batch,
    so each scenario's arithmetic is the same however the moves are cut. The moves
    are cut into batches of at most BATCH_CELLS column values and ENGINE_CELLS
    scenario-months, so memory grows with the number of inputs, not with its square;
    `jobs` batches are evaluated at once, in worker processes.
    """
    k = len(moves[0][1]) if moves else 0
    out = np.empty((len(moves), k))
    if not moves:
        return out
    months = case.horizon_months + 1
    engine = ENGINE_CELLS // len(case.vendors)  # every vendor's streams are evaluated
    step = max(1, min(BATCH_CELLS // (len(bases) * k), engine // (k * months)))

    def batch(lo: int) -> NDArray[np.float64]:
        part = moves[lo : lo + step]
        size = len(part) * k
        values = {path: np.full(size, base) for path, base in bases.items()}
        for i, (path, points) in enumerate(part):
            values[path][i * k : (i + 1) * k] = points
        scenarios = with_values(case, values, size)
        npv = evaluate_batch(scenarios, frozenset(), hypothetical=True).vendors[vendor]
        return npv.npv_savings.reshape(len(part), k)

    starts = range(0, len(moves), step)
    for lo, npv in zip(starts, in_order(batch, starts, jobs), strict=True):
        out[lo : lo + len(npv)] = npv
    return out


def _flip_values(
    case: Case, vendor: int, inputs: list[tuple[InputPath, float]], jobs: int = 1
) -> list[float | None]:
    """For each input, the value nearest today's where npv_savings reaches zero, or None.

    Two first-crossing searches per input, from today's value up to the top of its
    span and down to the bottom, every input in the same few batches; the nearer
    answer wins (the lower on a tie).
    """
    if not inputs:
        return []
    starts, stops, kinks = [], [], []
    for path, base in inputs:
        low, high = _span(path, base)
        bends = _kinks(case, vendor, path, high)
        for end in (high, low):
            starts.append(base)
            stops.append(end)
            kinks.append(bends)

    def npv_savings(rows: NDArray[np.int64], points: NDArray[np.float64]) -> NDArray[np.float64]:
        """Row r moves input r // 2 through points[r], the others at today's values."""
        moved = [inputs[row // 2] for row in rows]
        bases = dict(moved)  # the inputs these rows move are the batch's columns
        moves = [(path, p) for (path, _), p in zip(moved, points, strict=True)]
        return _npv_savings(case, vendor, bases, moves, jobs)

    roots = first_crossing(npv_savings, np.array(starts), np.array(stops), kinks)
    out: list[float | None] = []
    for (path, base), up, down in zip(inputs, roots[0::2], roots[1::2], strict=True):
        found = [float(x) for x in (down, up) if not math.isnan(x)]
        # a value the files could not hold (working days below an agent's time off) is no
        # answer: `compare --set` with it would be refused
        valid = [x for x in found if _valid(case, path, x)]
        out.append(min(valid, key=lambda x: abs(x - base)) if valid else None)
    return out


def _valid(case: Case, path: InputPath, value: float) -> bool:
    """Whether the files, with `value` at `path`, pass every check across fields."""
    try:
        resolve_values(case, path, [value], f"--only {path.text}")
    except InputError:
        return False
    return True


def _span(path: InputPath, base: float) -> tuple[float, float]:
    """Where a flip value is looked for: 0 to 10 times today's value, inside the field's range."""
    bounds = path_bounds(path, "--only")
    a, b = sorted((0.0, FLIP_RANGE * base))
    a = max(a, bounds.low)
    b = min(b, bounds.high)
    if bounds.low_open and a <= bounds.low:
        a = bounds.low + (b - a) * 1e-9
    if bounds.high_open and b >= bounds.high:
        b = bounds.high - (b - a) * 1e-9
    return a, b


def _kinks(case: Case, vendor: int, path: InputPath, top: float) -> NDArray[np.float64] | None:
    """Values of the input at which npv_savings may bend or jump, where they are known."""
    if path.target == "in_house" and path.loc == ("workload", "monthly_volume"):
        kinks: NDArray[np.float64] = volume_kinks(case, vendor, np.array([top]))[0]
        return kinks
    return None
