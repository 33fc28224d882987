"""Where a result first reaches zero as one input moves: break-even volumes and flip values.

One search serves both, along many lines at once (a row per line, one batch per step).
From `start` towards `stop` it evaluates a grid that holds every known kink, takes
the first interval where the value leaves the sign it has at `start`, refines that
interval twice, and solves the straight line through its ends. Between known kinks
npv_savings is a straight line in a volume or a price, so the answer is exact; the
refinements pin down a smooth curve (a discount rate) or a kink nobody foresaw.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from ..rules import is_zero

Array = NDArray[np.float64]
Rows = NDArray[np.int64]

# values(rows, points) -> the function along each given row at each of its points:
# `points` is (len(rows), k), the answer has the same shape.
Values = Callable[[Rows, Array], Array]

GRID_POINTS = 201  # the first scan, besides the kinks
REFINE_POINTS = 65  # each refinement of the interval that holds the crossing
REFINEMENTS = 2


def first_crossing(
    values: Values,
    start: Array,
    stop: Array,
    kinks: Sequence[Array | None] | None = None,
    *,
    points: int = GRID_POINTS,
    refine_points: int = REFINE_POINTS,
    refinements: int = REFINEMENTS,
) -> Array:
    """Per row, the first point from start[i] towards stop[i] where the value is zero
    (closer to it than half a cent) or has left the sign it has at start[i]; NaN if none.

    `kinks[i]` holds the points of row i where the value may bend or jump (None: none
    known). A point within half a cent of zero is the answer only if the value does not
    cross zero before the next grid point; else the crossing just past it is solved for.
    """
    start = np.asarray(start, dtype=float).reshape(-1)
    stop = np.asarray(stop, dtype=float).reshape(-1)
    n = len(start)
    out = np.full(n, np.nan)
    if n == 0:
        return out
    rows = np.arange(n)
    grids, f, lengths = _scan(values, _grids(start, stop, kinks or [None] * n, points))
    at_start = is_zero(f[:, 0])
    out[at_start] = start[at_start]
    keep = ~at_start
    rows, grids, lengths, f = rows[keep], grids[keep], lengths[keep], f[keep]
    sign = np.sign(f[:, :1])
    span = np.abs(stop - start)[rows]
    for refinement in range(refinements + 1):
        if not len(rows):
            break
        crossed = np.sign(f) != sign  # at or beyond zero
        hit = crossed | is_zero(f)
        found = hit.any(axis=1)
        here = np.arange(len(rows))
        first = np.argmax(hit, axis=1)
        nxt = first + 1
        # within half a cent of zero at a grid point: does it cross before the next one?
        touch = found & ~crossed[here, first]
        crosses_next = (nxt < lengths) & crossed[here, np.minimum(nxt, grids.shape[1] - 1)]
        touches = touch & ~crosses_next
        out[rows[touches]] = grids[here[touches], first[touches]]
        first = np.where(touch, nxt, first)
        bracket = found & ~touches  # between grid points first - 1 and first
        right = np.minimum(first, grids.shape[1] - 1)
        left = np.maximum(right - 1, 0)
        a, b, fa, fb = grids[here, left], grids[here, right], f[here, left], f[here, right]
        last = refinement == refinements
        solve = bracket & (last | (np.abs(b - a) <= 1e-9 * span))
        with np.errstate(divide="ignore", invalid="ignore"):
            line = np.where(fb != fa, a - fa * (b - a) / (fb - fa), b)
        out[rows[solve]] = line[solve]
        more = bracket & ~solve
        rows, sign, span = rows[more], sign[more], span[more]
        grids = np.linspace(a[more], b[more], refine_points, axis=-1)
        lengths = np.full(len(rows), refine_points)
        if len(rows):
            f = values(rows, grids)
    return out


def _grids(start: Array, stop: Array, kinks: Sequence[Array | None], points: int) -> list[Array]:
    """Each row's grid from start to stop, with its kinks between them."""
    rows = []
    for a, b, bends in zip(start, stop, kinks, strict=True):
        grid = np.linspace(min(a, b), max(a, b), points)
        if bends is not None and len(bends):
            inside = bends[(bends >= grid[0]) & (bends <= grid[-1])]
            grid = sorted_unique(np.concatenate([grid, inside]))
        rows.append(grid if a <= b else grid[::-1])
    return rows


def _scan(values: Values, grids: list[Array]) -> tuple[Array, Array, NDArray[np.int64]]:
    """The values along grids of different lengths, one batch per length, as (n, k) arrays
    of points and values and each row's length; a shorter row repeats its last point
    (which changes no answer)."""
    lengths = np.array([len(g) for g in grids], dtype=np.int64)
    width = int(lengths.max())
    points = np.empty((len(grids), width))
    found = np.empty((len(grids), width))
    for length in np.unique(lengths):
        rows = np.flatnonzero(lengths == length)
        group = np.array([grids[i] for i in rows])
        points[rows] = np.pad(group, ((0, 0), (0, width - length)), mode="edge")
        found[rows] = np.pad(values(rows, group), ((0, 0), (0, width - length)), mode="edge")
    return points, found, lengths


def sorted_unique(values: Array) -> Array:
    """np.unique for a 1-d float array, without the numpy.ma import (7 ms) it costs on first use."""
    ordered = np.sort(values)
    keep = np.empty(len(ordered), bool)
    keep[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    result: Array = ordered[keep]
    return result
