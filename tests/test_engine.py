"""Hand-checked cases for the engine: the arithmetic is in each docstring."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import outsourcecalc


def one_clerk(**vendor: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    in_house = {
        "name": "Back office",
        "analysis": {"horizon_months": 12, "discount_rate": 0},
        "staff": [{"role": "Clerk", "headcount": 1, "annual_salary": 120_000}],
    }
    return in_house, {"name": "Vendor", **vendor}


def test_flat_fee_with_parallel_run_and_setup_fee() -> None:
    """In house: 120,000 / 12 = 10,000 a month in months 1..12, all avoidable.

    Vendor: 6,000 a month, a 1-month parallel run, a 5,000 setup fee in month 0.
      VO(0) = 5,000 (setup);  VO(1) = 6,000 + 10,000 (parallel) = 16,000;
      VO(2..12) = 6,000.      TCO vendor = 5,000 + 16,000 + 11 x 6,000 = 87,000.
      savings = 120,000 - 87,000 = 33,000; savings_pct = 33,000 / 120,000 = 0.275.
      investment = 5,000 + VR(1) 6,000 = 11,000; ROI = 33,000 / 11,000 = 3.
      s = -5,000, -6,000, then +4,000 a month: C = -5,000, -11,000, -7,000, -3,000,
      +1,000 at month 4, so payback = 3 + 3,000 / 4,000 = 3.75 (at 0% discount the
      discounted payback is the same).
      break-even price change = 33,000 / (12 x 6,000) = 0.458333...
    """
    in_house, vendor = one_clerk(
        pricing=[{"name": "Service", "monthly": 6000}],
        transition={
            "parallel_run_months": 1,
            "costs": [{"name": "Setup", "amount": 5000, "month": 0}],
        },
    )
    result = outsourcecalc.evaluate(outsourcecalc.case_from_dicts(in_house, [vendor]))
    v = result.vendors[0]
    assert result.in_house.tco == pytest.approx(120_000)
    assert v["tco"] == pytest.approx(87_000)
    assert v["npv"] == pytest.approx(87_000)  # 0% discount: NPV is the plain sum
    assert v["savings"] == pytest.approx(33_000)
    assert v["savings_pct"] == pytest.approx(0.275)
    assert v["investment"] == pytest.approx(11_000)
    assert v["roi"] == pytest.approx(3.0)
    assert v["payback_months"] == pytest.approx(3.75)
    assert v["discounted_payback_months"] == pytest.approx(3.75)
    assert v["break_even_price_change"] == pytest.approx(33_000 / 72_000)
    assert result.recommendation == "Vendor"
    # one sign change, so an IRR exists: at that monthly rate the savings' NPV is zero
    irr = v["irr"]
    assert irr is not None
    q = (1 + irr) ** (1 / 12) - 1
    flows = [-5000, -6000] + [4000] * 11
    assert sum(s * (1 + q) ** -m for m, s in enumerate(flows)) == pytest.approx(0, abs=1e-6)


def test_break_even_volume_past_the_minimum_fee() -> None:
    """In house: 10,000 a month of salary plus 1 per unit (telephony); today 5,000 units.
    Vendor: 2 per unit with a minimum fee of 8,000 a month.

      monthly savings s(V) = 10,000 + V - max(2V, 8,000)
      V <= 4,000: s = 2,000 + V > 0   (the minimum fee binds; a kink at V = 4,000)
      V >  4,000: s = 10,000 - V      -> zero at V = 10,000
    So outsourcing pays below 10,000 units a month and the break-even volume is 10,000.
    """
    in_house, vendor = one_clerk(
        pricing=[{"name": "Per contact", "per_unit": 2}], minimum_monthly_fee=8000
    )
    in_house["workload"] = {"unit": "contact", "monthly_volume": 5000}
    in_house["variable_costs"] = [{"name": "Telephony", "per_unit": 1}]
    result = outsourcecalc.evaluate(outsourcecalc.case_from_dicts(in_house, [vendor]))
    v = result.vendors[0]
    assert v["npv_savings"] == pytest.approx(12 * (10_000 - 5_000))
    assert v["break_even_volume"] == pytest.approx(10_000, abs=0.01)


def test_volume_tier_jump_is_the_answer() -> None:
    """Volume tiers: every unit at 3 up to 1,000 units, every unit at 1 above.
    In house: 10,000 a month of salary, no per-unit cost; today 2,000 units (fee 2,000).

      V <= 1,000: fee = 3V <= 3,000, s = 10,000 - 3V > 0
      V  > 1,000: fee = V,  s = 10,000 - V -> zero at V = 10,000
    No jump crosses zero here, so the answer is the smooth crossing, 10,000. With a
    salary of 2,500 a month (30,000 a year) instead:
      V <= 1,000: s = 2,500 - 3V -> zero at V = 833.33 (before the edge)
    """
    in_house, vendor = one_clerk(
        pricing=[
            {
                "name": "Tickets",
                "tiers": [{"up_to": 1000, "per_unit": 3}, {"per_unit": 1}],
                "tier_mode": "volume",
            }
        ]
    )
    in_house["workload"] = {"unit": "ticket", "monthly_volume": 2000}
    case = outsourcecalc.case_from_dicts(in_house, [vendor])
    assert outsourcecalc.evaluate(case).vendors[0]["break_even_volume"] == pytest.approx(
        10_000, abs=0.01
    )
    in_house["staff"][0]["annual_salary"] = 30_000
    case = outsourcecalc.case_from_dicts(in_house, [vendor])
    assert outsourcecalc.evaluate(case).vendors[0]["break_even_volume"] == pytest.approx(
        2500 / 3, abs=0.01
    )


def test_volume_tier_jump_across_zero_gives_the_edge() -> None:
    """In house: 1,000 a month of salary plus 2 per unit. Vendor: a 1,500 platform fee and
    volume tiers (3 per unit up to 1,000 units, 1 per unit above); today 1,200 units.

      V <= 1,000: s = 1,000 + 2V - 1,500 - 3V = -500 - V   (below zero, falling)
      V  > 1,000: s = 1,000 + 2V - 1,500 - V  = -500 + V   (+500 just past the edge)
    npv_savings jumps from -1,500 to +500 a month at 1,000 units: the edge is the answer.
    """
    in_house, vendor = one_clerk(
        pricing=[
            {"name": "Platform", "monthly": 1500},
            {
                "name": "Tickets",
                "tiers": [{"up_to": 1000, "per_unit": 3}, {"per_unit": 1}],
                "tier_mode": "volume",
            },
        ]
    )
    in_house["staff"][0]["annual_salary"] = 12_000
    in_house["workload"] = {"unit": "ticket", "monthly_volume": 1200}
    in_house["variable_costs"] = [{"name": "Handling", "per_unit": 2}]
    result = outsourcecalc.evaluate(outsourcecalc.case_from_dicts(in_house, [vendor]))
    v = result.vendors[0]
    assert v["npv_savings"] == pytest.approx(12 * (-500 + 1200))
    assert v["break_even_volume"] == pytest.approx(1000, abs=0.01)


def test_minimum_fee_binds_again_past_a_volume_tier_edge() -> None:
    """Volume tiers 3 per unit up to 1,000 units, then 1 per unit; a 2,000 minimum fee.
    In house: 1,000 a month of salary plus 0.6 per unit; today 1,500 units.

      fee = 2,000 up to 666.67 units, 3V up to 1,000, then the minimum binds again
      (V < 2,000) until V passes 2,000: the raw fees fall at the edge, so the minimum
      fee switches on twice.
      s = 1,000 + 0.6V - fee:  V <= 666.67: 0.6V - 1,000 < 0;  up to 1,000: 1,000 - 2.4V < 0;
          1,000 < V <= 2,000: 0.6V - 1,000 -> zero at V = 1,666.67 (the answer);
      today: s(1,500) = -100 a month, npv_savings = -1,200.
    """
    in_house, vendor = one_clerk(
        pricing=[
            {
                "name": "Tickets",
                "tiers": [{"up_to": 1000, "per_unit": 3}, {"per_unit": 1}],
                "tier_mode": "volume",
            }
        ],
        minimum_monthly_fee=2000,
    )
    in_house["staff"][0]["annual_salary"] = 12_000
    in_house["workload"] = {"unit": "ticket", "monthly_volume": 1500}
    in_house["variable_costs"] = [{"name": "Handling", "per_unit": 0.6}]
    v = outsourcecalc.evaluate(outsourcecalc.case_from_dicts(in_house, [vendor])).vendors[0]
    assert v["npv_savings"] == pytest.approx(-1200)
    assert v["break_even_volume"] == pytest.approx(5000 / 3, abs=0.01)


def test_irr_is_converged_on_a_hundred_thousand_scenarios() -> None:
    """Every IRR found makes the NPV of its savings zero to rounding (the search used to
    stop short by up to 3e-9 relative), and a scenario's IRR is the same to the last bit
    whichever batch it is computed in (shards and chunks must rejoin byte for byte)."""
    from outsourcecalc.engine.model import irr

    rng = np.random.default_rng(5)
    savings = rng.normal(1, 0.3, (100_000, 61)) * np.r_[-30, np.ones(60)]
    savings[::7] *= np.r_[1, rng.uniform(0.01, 10, 60)]  # far from the mean case too
    savings[np.abs(savings) < 0.005] = 0.0  # within half a cent of zero is zero
    q = irr(savings)
    found = ~np.isnan(q)
    assert found.mean() > 0.9
    x = (1 + q[found, None]) ** (-np.arange(61) / 12)
    residual = np.abs((savings[found] * x).sum(axis=1))
    scale = np.abs(savings[found] * x).sum(axis=1)
    assert (residual <= 1e-11 * scale).all()
    for part in (slice(0, 1), slice(3, 1003), slice(50_000, None, 3)):
        np.testing.assert_array_equal(irr(savings[part]), q[part])
