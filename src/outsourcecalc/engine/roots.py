"""Where a result first reaches zero as one input moves: break-even volumes and flip values.

One search serves both, along many lines at once (a row per line, one batch per step).
From `start` towards `stop` it evaluates a grid that holds every known kink, takes
the first interval where the value leaves the sign it has at `start`, refines that
interval twice, and solves the straight line through its ends. Between known kinks
npv_savings is a straight line in a volume or a price, so the answer is exact; the
refinements pin down a smooth curve (a discount rate) or a kink nobody foresaw. Where
every kink is known (the break-even volume), the kinks alone make the grid and no
refinement is needed; there, a point whose value is already known spares evaluating
`stop`, and each line is evaluated only up to its first crossing.
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
ROUND_POINTS = 65_536  # with a known point: points evaluated per round, at least
MIN_COLUMNS = 8  # and grid points per row


def first_crossing(
    values: Values,
    start: Array,
    stop: Array,
    kinks: Array | Sequence[Array | None] | None = None,
    *,
    points: int = GRID_POINTS,
    refine_points: int = REFINE_POINTS,
    refinements: int = REFINEMENTS,
    known: tuple[Array, Array] | None = None,
) -> Array:
    """Per row, the first point from start[i] towards stop[i] where the value is zero
    (closer to it than half a cent) or has left the sign it has at start[i]; NaN if none.

    `kinks` holds the points where the value may bend or jump: an (n, K) array, row i
    padded with NaN, or one array per row (None: none known). A point within half a cent
    of zero is the answer only if the value does not cross zero before the next grid
    point; else the crossing just past it is solved for. When the kinks are all there
    are (the value is a straight line between them), `points=2, refinements=0` scans
    the kinks alone and solves the line: exact, and the least work.

    `known` is a point on each row and the value there, already at hand (NaN: none).
    Only for a value that is a straight line between the kinks: where the point lies
    inside the last piece of a row's grid, the value at stop is read off the line
    through that piece's first point and it instead of being evaluated. Each row is
    then evaluated from start only up to its first crossing, a few points at a time.
    """
    start = np.asarray(start, dtype=float).reshape(-1)
    stop = np.asarray(stop, dtype=float).reshape(-1)
    n = len(start)
    out = np.full(n, np.nan)
    if n == 0:
        return out
    grids, lengths = _grids(start, stop, padded(kinks, n), points)
    rows = np.arange(n)
    f = _first_values(values, grids, lengths, known)
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


def _first_values(
    values: Values, grids: Array, lengths: NDArray[np.int64], known: tuple[Array, Array] | None
) -> Array:
    """The value at each point of the first grid: (n, k), like `grids`.

    Without a known point, every row's whole grid in one call. With one, only what the
    answer needs: from start, a few grid points per row at a time, each row only up to
    its first crossing (or its first zero and the point after it), and never stop when
    the known point lies inside the last piece: the line through that piece's first
    point and the known point gives the value there, as exactly as evaluating it would.
    Points not needed are NaN; a shorter row's padding repeats its last value.
    """
    if known is None:
        return values(np.arange(len(grids)), grids)
    here = np.arange(len(grids))
    last = lengths - 1
    a, b = grids[here, np.maximum(last - 1, 0)], grids[here, last]
    x, fx = (np.asarray(k, dtype=float).reshape(-1) for k in known)
    with np.errstate(invalid="ignore"):
        inside = (last > 0) & ((x - a) * (b - x) > 0)
    ends = np.where(inside, last - 1, last)  # each row's last point to evaluate
    f = np.full(grids.shape, np.nan)
    todo, done = here, 0  # the rows still looking; every point before `done` is evaluated
    while len(todo):
        # rounds of at least ROUND_POINTS points: a small batch is one round
        width = max(MIN_COLUMNS, -(-ROUND_POINTS // len(todo)))
        cols = np.arange(done, min(done + width, grids.shape[1]))
        c, r = np.nonzero(cols[:, None] <= ends[todo][None, :])  # column by column: the
        row, col = todo[r], cols[c]  # rows' shared start (volume 0) goes in together
        f[row, col] = values(row, grids[row, col][:, None])[:, 0]
        seen = f[todo, max(done - 1, 0) : cols[-1] + 1]
        crossed = np.sign(seen) != np.sign(f[todo, :1])
        zero = is_zero(seen[:, :-1]).any(axis=1) | is_zero(f[todo, 0])
        done = int(cols[-1]) + 1
        todo = todo[~(crossed.any(axis=1) | zero) & (ends[todo] >= done)]
    i = np.flatnonzero(inside)
    fa = f[i, last[i] - 1]
    f[i, last[i]] = fa + (fx[i] - fa) * ((b[i] - a[i]) / (x[i] - a[i]))
    column = np.arange(grids.shape[1])
    repeat = column > last[:, None]
    f[repeat] = np.broadcast_to(f[here, last][:, None], f.shape)[repeat]
    return f


def padded(kinks: Array | Sequence[Array | None] | None, n: int) -> Array:
    """Kinks as an (n, K) array, each row's padded with NaN."""
    if kinks is None:
        return np.empty((n, 0))
    if isinstance(kinks, np.ndarray):
        return kinks.reshape(n, -1)
    width = max((len(k) for k in kinks if k is not None), default=0)
    out = np.full((n, width), np.nan)
    for i, k in enumerate(kinks):
        if k is not None:
            out[i, : len(k)] = k
    return out


def _grids(start: Array, stop: Array, kinks: Array, points: int) -> tuple[Array, NDArray[np.int64]]:
    """Each row's grid from start to stop with its kinks between them, as an (n, k) array
    and each row's length; a shorter row repeats its last point (which changes no answer).

    The evenly spaced points are numpy's linspace, row by row, to the last bit.
    """
    low, high = np.minimum(start, stop), np.maximum(start, stop)
    step = (high - low) / (points - 1)
    grid = np.arange(points, dtype=float) * step[:, None] + low[:, None]
    grid[:, -1] = high
    if kinks.shape[1]:
        inside = (kinks >= low[:, None]) & (kinks <= high[:, None])
        grid = sorted_unique_rows(np.concatenate([grid, np.where(inside, kinks, np.nan)], axis=1))
    lengths = np.count_nonzero(~np.isnan(grid), axis=1)
    column = np.arange(grid.shape[1])
    last = lengths[:, None] - 1
    forward = np.minimum(column, last)
    backward = np.where(column > last, 0, last - column)  # from stop down to start
    order = np.where((start > stop)[:, None], backward, forward)
    return np.take_along_axis(grid, order, axis=1), lengths.astype(np.int64)


def sorted_unique_rows(values: Array) -> Array:
    """Each row of an (n, k) array sorted without repeats, padded at the end with NaN (a NaN
    in the input is no value); columns that hold no value in any row are dropped."""
    ordered = np.sort(values, axis=1)  # NaN sorts last
    repeat = np.zeros(ordered.shape, dtype=bool)
    np.equal(ordered[:, 1:], ordered[:, :-1], out=repeat[:, 1:])
    ordered[repeat] = np.nan
    ordered.sort(axis=1)
    width = int(np.count_nonzero(~np.isnan(ordered), axis=1).max(initial=0))
    result: Array = ordered[:, :width]
    return result
