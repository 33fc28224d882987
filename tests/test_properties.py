"""Properties of the engine on random valid inputs (hypothesis), as issue 2 asks:
NPV at 0% is the plain sum, doubling every cost doubles every total, and payback
agrees with the sign of cumulative savings."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from strategies import cases
from test_reference_self import double_money

import outsourcecalc
from outsourcecalc.engine.results import Comparison
from outsourcecalc.errors import InputError

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HALF_CENT = 0.005


def run(in_house: dict[str, Any], vendors: list[dict[str, Any]], **kw: Any) -> Comparison:
    try:
        return outsourcecalc.evaluate(outsourcecalc.case_from_dicts(in_house, vendors, **kw))
    except InputError:
        assume(False)
        raise AssertionError("unreachable") from None


@SETTINGS
@given(cases())
def test_npv_at_zero_discount_is_the_plain_sum(case: Any) -> None:
    result = run(*case, discount_rate=0)
    assert result.in_house.npv == pytest.approx(result.in_house.tco, rel=1e-12, abs=1e-6)
    assert result.in_house.tco == pytest.approx(sum(result.in_house.monthly), rel=1e-12, abs=1e-6)
    for v in result.vendors:
        assert v["npv"] == pytest.approx(v["tco"], rel=1e-12, abs=1e-6)
        assert v["npv_savings"] == pytest.approx(v["savings"], rel=1e-12, abs=1e-6)
        assert v["tco"] == pytest.approx(sum(v.monthly), rel=1e-12, abs=1e-6)
        # the vendor's breakdown adds up to its TCO
        assert sum(v.breakdown.values()) == pytest.approx(v["tco"], rel=1e-9, abs=1e-4)


@SETTINGS
@given(cases())
def test_doubling_every_cost_doubles_every_total(case: Any) -> None:
    in_house, vendors = case
    once = run(in_house, vendors)
    twice = run(double_money(in_house), double_money(vendors))
    close = {"rel": 1e-9, "abs": 1e-6}
    assert twice.in_house.tco == pytest.approx(2 * once.in_house.tco, **close)
    assert twice.in_house.npv == pytest.approx(2 * once.in_house.npv, **close)
    for a, b in zip(once.vendors, twice.vendors, strict=True):
        for key in ("tco", "npv", "savings", "npv_savings", "investment"):
            assert b[key] == pytest.approx(2 * a[key], **close), key  # type: ignore[operator]
        # ratios and months do not move (away from the half-cent rule's edge)
        for key in ("roi", "savings_pct", "break_even_price_change"):
            if a[key] is not None and b[key] is not None:
                assert b[key] == pytest.approx(a[key], rel=1e-6, abs=1e-9), key


@SETTINGS
@given(cases())
def test_payback_agrees_with_cumulative_savings(case: Any) -> None:
    result = run(*case)
    ih = np.array(result.in_house.monthly)
    for v in result.vendors:
        cumulative = np.cumsum(ih - np.array(v.monthly))
        below = cumulative <= -HALF_CENT
        payback = v["payback_months"]
        if payback is None:
            assert below[-1]  # still short at the horizon
        elif payback == 0:
            assert not below.any()  # never below zero
        else:
            last = math.ceil(payback - 1e-9) - 1  # the last month still below zero
            assert below[last] and not below[last + 1 :].any()
            assert last < payback <= last + 1 + 1e-6
