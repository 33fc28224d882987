"""The one first-crossing search (engine/roots.py), by hand, and its two users agreeing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import outsourcecalc
from outsourcecalc.engine.roots import first_crossing
from outsourcecalc.rules import HALF_CENT
from outsourcecalc.scenarios.sensitivity import sensitivity

EX = Path(__file__).resolve().parent.parent / "examples"


def along(f: Any) -> Any:
    """values(rows, points) for the same function of the point on every row."""
    return lambda rows, points: f(points)


def test_a_line_is_solved_exactly_up_and_down() -> None:
    """f(x) = 3,000,000 x - 100,000,000 is zero at 33.33...: from 0 up to 1,000 and from 1,000
    down to 0, the first interval that changes sign is refined and its line solved."""
    roots = first_crossing(
        along(lambda x: 3e6 * x - 1e8), np.array([0.0, 1000.0]), np.array([1000.0, 0.0])
    )
    assert roots == pytest.approx([100 / 3, 100 / 3], rel=1e-12)


def test_zero_to_the_half_cent_is_zero() -> None:
    """f(x) = 9 - 2x: the answer is where f is zero to the half cent (SPEC section 1), the
    first grid point within half a cent of it (a point in [4.4975, 4.5025])."""
    (root,) = first_crossing(along(lambda x: 9 - 2 * x), np.zeros(1), np.array([50.0]))
    assert abs(9 - 2 * root) < HALF_CENT


def test_the_first_crossing_from_the_start_wins() -> None:
    """f(x) = (x - 10)(x - 60) * 1e6: zero at 10 and 60; from 0 the first is 10, from 100 it
    is 60, from 35 downwards 10 and upwards 60."""
    roots = first_crossing(
        along(lambda x: (x - 10) * (x - 60) * 1e6),
        np.array([0.0, 100.0, 35.0, 35.0]),
        np.array([100.0, 0.0, 0.0, 100.0]),
    )
    assert roots == pytest.approx([10, 60, 10, 60], abs=1e-9)


def test_zero_at_the_start_no_crossing_and_rows_at_once() -> None:
    """Row 0 starts on zero; row 1 never reaches it (NaN); row 2 is a line, zero at 4.5."""

    def values(rows: Any, points: Any) -> Any:
        slopes = np.array([1.0, 0.0, -2e6])[rows][:, None]
        offsets = np.array([-5.0, 7.0, 9e6])[rows][:, None]
        return slopes * points + offsets

    roots = first_crossing(values, np.array([5.0, 0.0, 0.0]), np.array([9.0, 50.0, 50.0]))
    assert roots[0] == 5.0
    assert np.isnan(roots[1])
    assert roots[2] == pytest.approx(4.5, rel=1e-12)


def test_a_known_kink_makes_the_answer_exact() -> None:
    """f(x) = 1,000 - x up to x = 0.37, then -x (a jump of -1,000 at a kink off the grid).
    Known, the kink is a grid point: the jump is bracketed by [0.37, just past it] and the
    answer is the kink (to the width of that bracket), not a point interpolated across it."""

    def f(x: Any) -> Any:
        return np.where(x <= 0.37, 1000 - x, -x)

    with_kink = first_crossing(
        along(f), np.zeros(1), np.array([100.0]), [np.array([0.37, 0.37 + 1e-12])]
    )
    assert with_kink[0] == pytest.approx(0.37, abs=1e-9)


def test_a_touch_within_half_a_cent_is_the_answer_only_without_a_crossing_next() -> None:
    """g(x) = (x - 50)^2 / 1e5 + 0.0015 comes within half a cent of zero from 31.29 to 68.71
    and never crosses it: the first grid point there, 31.5, is the answer.
    h(x) = 0.004 - 0.001 (x - 50) is within half a cent past 49 and crosses zero at 54: the
    answer is 49.5 (the grid point past 49), since h does not cross before the next one
    (50, h = 0.004)."""
    (touch,) = first_crossing(
        along(lambda x: (x - 50) ** 2 / 1e5 + 0.0015), np.zeros(1), np.array([100.0])
    )
    assert touch == 31.5
    (line,) = first_crossing(
        along(lambda x: 0.004 - (x - 50) * 1e-3), np.zeros(1), np.array([100.0])
    )
    assert line == 49.5


@pytest.mark.parametrize(
    "folder, vendors",
    [
        ("contact_center", ["vendor_offshore.yaml", "vendor_onshore.yaml"]),
        ("it_helpdesk", ["vendor_hybrid.yaml", "vendor_tiered.yaml"]),
    ],
)
def test_flip_value_of_the_volume_is_the_break_even_volume(folder: str, vendors: list[str]) -> None:
    """Sensitivity's flip value for monthly_volume and compare's break_even_volume come from
    the same search over the same kinks: they agree to rounding (and exactly as printed)."""
    case = outsourcecalc.load(EX / folder / "in_house.yaml", [EX / folder / v for v in vendors])
    result = outsourcecalc.evaluate(case)
    checked = 0
    for v, vendor in enumerate(sensitivity(case, 0.1, ["in_house.workload.monthly_volume"])):
        (row,) = vendor.inputs
        expected = result.vendors[v]["break_even_volume"]
        if expected is None or not 0 <= expected <= 10 * row.base:
            continue  # no break-even, or beyond the 10x range sensitivity looks in
        assert row.flip_value == pytest.approx(expected, rel=1e-12)
        assert round(row.flip_value, 4) == round(expected, 4)
        checked += 1
    assert checked >= 1
