"""The break-even search evaluates only the points it needs, and answers as if it had all.

npv_savings at today's volume is known before the search starts (the result holds it):
inside the last piece of a row's grid it gives the value at 100x today's volume by the
line, and the grid is scanned from 0 in rounds that stop at each row's first crossing.
Both are checked here against the same search evaluating every point (`known=None`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import outsourcecalc
from outsourcecalc.engine import breakeven, roots
from outsourcecalc.engine.breakeven import break_even_volumes
from outsourcecalc.engine.model import evaluate_batch
from outsourcecalc.engine.roots import first_crossing
from outsourcecalc.inputs.paths import with_values
from outsourcecalc.scenarios.sweep import Grid, build_axes

EX = Path(__file__).resolve().parent.parent / "examples"

# per row: a broken line through these (x, value) corners, flat beyond the last
CORNERS = [
    [(0.0, 5e6), (10.0, 3e6), (40.0, 1e6), (100.0, -2e6)],  # crosses in the last piece
    [(0.0, 5e6), (10.0, -1e6), (40.0, 1e6), (100.0, 2e6)],  # in the first
    [(0.0, 5e6), (10.0, 3e6), (40.0, 2e6), (100.0, 1e6)],  # never: NaN
    [(0.0, 0.001), (10.0, 3e6), (40.0, 2e6), (100.0, 1e6)],  # zero (to the half cent) at 0
    [(0.0, 5e6), (10.0, 3e6), (40.0, 2e6), (100.0, 0.002)],  # touches zero at the top
    [(0.0, -5e6), (10.0, -3e6), (40.0, -2e6), (100.0, 4e6)],  # from below, past the known
]
KINKS = np.array([[10.0, 40.0]] * len(CORNERS))
TOP = np.full(len(CORNERS), 100.0)


def broken_line(rows: Any, x: Any) -> Any:
    out = np.empty(np.shape(x))
    for i, row in enumerate(rows):
        xs, ys = zip(*CORNERS[row], strict=True)
        out[i] = np.interp(x[i], xs, ys)
    return out


def counted(f: Any) -> tuple[Any, list[int]]:
    calls: list[int] = []

    def values(rows: Any, points: Any) -> Any:
        calls.append(np.size(points))
        return f(rows, points)

    return values, calls


@pytest.mark.parametrize("today", [60.0, 95.0, 40.0, 5.0])
def test_a_known_point_gives_the_answers_of_every_point(
    today: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today's volume in the last piece (60, 95), on a kink (40) or before it (5): the same
    answers as evaluating every grid point, to rounding; stop is evaluated only when the
    known point is not inside the last piece. One grid point per round: a row stops at
    its first crossing, or at a zero once the next point says it only touches."""
    monkeypatch.setattr(roots, "ROUND_POINTS", 1)
    monkeypatch.setattr(roots, "MIN_COLUMNS", 1)
    everything, all_calls = counted(broken_line)
    want = first_crossing(everything, np.zeros(6), TOP, KINKS, points=2, refinements=0)
    some, calls = counted(broken_line)
    x = np.full(6, today)
    known = (x, broken_line(range(6), x[:, None])[:, 0])
    got = first_crossing(some, np.zeros(6), TOP, KINKS, points=2, refinements=0, known=known)
    np.testing.assert_allclose(got, want, rtol=1e-13)
    assert np.isnan(got[2]) and got[3] == 0.0 and got[4] == 100.0
    assert got[0] == pytest.approx(40 + 60 / 3, rel=1e-13)
    assert sum(all_calls) == 6 * 4
    # row 1 stops at its crossing, row 3 at its zero at 0; with today inside the last piece
    # no row evaluates the top
    inside = 40 < today < 100
    assert sum(calls) == 2 + 1 + 4 * (4 - inside)


def test_rounds_stop_at_each_rows_first_crossing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many kinks, rows crossing early or not at all: a row is evaluated up to its first
    crossing (and a round's width past it), not to the top."""
    monkeypatch.setattr(roots, "ROUND_POINTS", 1)
    kinks = np.tile(np.arange(1.0, 100.0), (3, 1))
    slopes = np.array([-1.0, -0.1, 0.0])  # cross at 10, at 100 (the top), never

    def line(rows: Any, x: Any) -> Any:
        return 1e6 * (10 + slopes[rows][:, None] * x)

    everything = first_crossing(
        line, np.zeros(3), np.full(3, 100.0), kinks, points=2, refinements=0
    )
    values, calls = counted(line)
    known = (np.full(3, 50.0), line(np.arange(3), np.full((3, 1), 50.0))[:, 0])
    found = first_crossing(
        values, np.zeros(3), np.full(3, 100.0), kinks, points=2, refinements=0, known=known
    )
    np.testing.assert_allclose(found, everything, rtol=1e-13)
    assert found[0] == pytest.approx(10) and found[1] == pytest.approx(100) and np.isnan(found[2])
    # the first row stops within a round of its zero at 10 and the crossing after it
    assert sum(calls) <= 2 * 101 + 12 + roots.MIN_COLUMNS


def test_without_kinks_one_evaluation_per_scenario(monkeypatch: pytest.MonkeyPatch) -> None:
    """The contact center has no kinks: npv_savings is evaluated at volume 0 only, and the
    answers are those of evaluating at 100x today's volume too."""
    case = outsourcecalc.load(
        EX / "contact_center" / "in_house.yaml", [EX / "contact_center" / "vendor_offshore.yaml"]
    )
    varies = [
        "vendor.pricing[0].per_fte_month=80000;100000;130000",
        "in_house.staff[0].annual_salary=30000;55000;80000",
    ]
    grid = Grid(build_axes(case, varies))
    batch = with_values(case, grid.values_at(np.arange(grid.size)), grid.size)
    today = evaluate_batch(batch, frozenset({"monthly"})).vendors[0].monthly_savings
    assert today is not None
    evaluated: list[Any] = []
    at_volumes = breakeven.npv_savings_at_volumes

    def spy(case: Any, vendor_index: int, rows: Any, volumes: Any) -> Any:
        evaluated.append(volumes.copy())
        return at_volumes(case, vendor_index, rows, volumes)

    monkeypatch.setattr(breakeven, "npv_savings_at_volumes", spy)
    found = break_even_volumes(batch, 0, today)
    assert np.concatenate([v.ravel() for v in evaluated]).tolist() == [0.0] * batch.size
    monkeypatch.undo()
    w = batch.in_house.workload
    assert w is not None
    top = np.full(batch.size, 100 * float(w.monthly_volume))
    both = at_volumes(batch, 0, np.arange(batch.size), np.stack([np.zeros(batch.size), top], 1))
    line = -both[:, 0] * top / (both[:, 1] - both[:, 0])
    line[np.sign(both[:, 1]) == np.sign(both[:, 0])] = np.nan
    np.testing.assert_allclose(found, line, rtol=1e-12)
    assert np.isfinite(found).sum() >= 3


def test_a_scenarios_answer_is_the_same_in_any_slice_of_the_batch() -> None:
    """A sweep's shards and chunks cut the batch anywhere: each scenario's break-even volume
    is the same to the last bit wherever it lies (BLAS's matmul would round today's NPV, the
    line's known point, by the row's place in the batch). Not checked: a batch of one
    scenario, which the engine evaluates with numbers instead of arrays, summing its costs
    in another order (its savings differ in the last bits; so did break-even volumes before)."""
    case = outsourcecalc.load(
        EX / "contact_center" / "in_house.yaml",
        [
            EX / "contact_center" / "vendor_onshore.yaml",
            EX / "contact_center" / "vendor_offshore.yaml",
        ],
    )
    varies = [
        "vendor[1].pricing[0].per_fte_month=60000:140000:1000",
        "in_house.staff[0].annual_salary=36000:48000:100",
    ]
    grid = Grid(build_axes(case, varies))
    batch = with_values(case, grid.values_at(np.arange(grid.size)), grid.size)
    metric = frozenset({"break_even_volume"})
    whole = [v.break_even_volume for v in evaluate_batch(batch, metric).vendors]
    assert np.isfinite(whole[0]).sum() > 1000
    for lo, hi in [(1, 2450), (2450, 4900), (4900, 7350), (7350, 9801), (5017, 5023), (13, 15)]:
        part = evaluate_batch(batch.rows(np.arange(lo, hi)), metric).vendors
        for v, found in enumerate(part):
            np.testing.assert_array_equal(found.break_even_volume, whole[v][lo:hi])
