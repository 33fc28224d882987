"""Tests of the reference implementation on its own: hand-checked cases and properties.

Every expected number below is worked out by hand in the comments next to it, from the SPEC
formulas, without running any code.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import model as ref
from strategies import cases

APPROX = {"rel": 1e-12, "abs": 1e-9}


def one_role_in_house(annual_salary: float, horizon: int, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Ops",
        "analysis": {"horizon_months": horizon, "discount_rate": 0},
        "staff": [{"role": "Agent", "headcount": 1, "annual_salary": annual_salary}],
    }
    data.update(extra)
    return data


# ----- hand-checked cases --------------------------------------------------------------------


def test_flat_fee_vendor_12_months_no_discount() -> None:
    """Two agents at 60,000 a year, H = 12, 0% discount, a flat 8,000/month vendor.

    IH(0) = 0 (no one-time items); IH(m) = 2 * 60,000 / 12 = 10,000 for m = 1..12.
    tco_in_house = 12 * 10,000 = 120,000 = npv (0% discount: every DF is 1).
    Vendor: scope 1, everything avoidable, no parallel run: remaining(m) = 0 for m >= 1;
    VO(m) = F(m) = 8,000 for m = 1..12, VO(0) = 0. tco_vendor = 96,000.
    savings = 24,000; savings_pct = 24,000 / 120,000 = 0.2; npv_savings = 24,000.
    investment = 0 (no transition, no parallel run) -> roi null.
    s = [0, 2,000 x 12]: no sign change -> irr null. C(k) >= 0 for all k -> payback 0 (both).
    break_even_price_change = 24,000 / (12 * 8,000 * 1) = 0.25.
    No workload -> break_even_volume null. Recommendation: the vendor.
    Money given as strings and the salary with a thousands separator must parse the same.
    """
    in_house = {
        "name": "Ops",
        "analysis": {"horizon_months": 12, "discount_rate": "0%"},
        "staff": [{"role": "Agent", "headcount": 2, "annual_salary": "60,000"}],
    }
    vendor = {"name": "Flat", "pricing": [{"name": "Fee", "monthly": "8,000"}]}
    out = ref.evaluate_reference(in_house, [vendor])

    assert out["currency"] == "USD"
    assert out["horizon_months"] == 12
    assert out["discount_rate"] == 0
    assert out["in_house"]["monthly"] == [0.0] + [10_000.0] * 12
    assert out["in_house"]["tco"] == pytest.approx(120_000)
    assert out["in_house"]["npv"] == pytest.approx(120_000)
    v = out["vendors"][0]
    assert v["monthly"] == [0.0] + [8_000.0] * 12
    assert v["tco"] == pytest.approx(96_000)
    assert v["npv"] == pytest.approx(96_000)
    assert v["savings"] == pytest.approx(24_000)
    assert v["savings_pct"] == pytest.approx(0.2)
    assert v["npv_savings"] == pytest.approx(24_000)
    assert v["investment"] == 0
    assert v["roi"] is None
    assert v["irr"] is None
    assert v["payback_months"] == 0
    assert v["discounted_payback_months"] == 0
    assert v["break_even_price_change"] == pytest.approx(0.25)
    assert v["break_even_volume"] is None
    assert out["recommendation"] == "Flat"


def test_parallel_run_and_transition_cost() -> None:
    """One agent at 120,000 (10,000/month), H = 12, 0% discount.

    Vendor: 6,000/month, parallel_run_months 2, a 5,000 setup fee in month 0.
    VO(0) = VR(0) + IH(0) + T(0) = 0 + 0 + 5,000           -> s(0) = -5,000
    VO(1) = VO(2) = 6,000 + 10,000 (in-house runs in full)  -> s = -6,000
    VO(3..12) = 6,000                                        -> s = +4,000
    C: -5,000, -11,000, -17,000, -13,000, -9,000, -5,000, -1,000, +3,000 (month 7), ...
    Last month with C < 0 is 6, k = 7: payback = 6 + 1,000 / 4,000 = 6.25 (0% discount:
    the discounted payback is the same).
    investment = 5,000 + VR(1) + VR(2) = 5,000 + 12,000 = 17,000.
    tco_vendor = 5,000 + 2 * 16,000 + 10 * 6,000 = 97,000; savings = 23,000;
    roi = 23,000 / 17,000; break_even_price_change = 23,000 / (12 * 6,000) = 0.3194...
    s changes sign once -> an irr exists, and it is the q with sum s(m) (1+q)^-m = 0:
    checked by plugging q back in.
    """
    in_house = one_role_in_house(120_000, 12)
    vendor = {
        "name": "Switch",
        "pricing": [{"name": "Fee", "monthly": 6_000}],
        "transition": {
            "parallel_run_months": 2,
            "costs": [{"name": "Setup", "amount": 5_000, "month": 0}],
        },
    }
    v = ref.evaluate_reference(in_house, [vendor])["vendors"][0]
    assert v["monthly"] == [5_000.0, 16_000.0, 16_000.0] + [6_000.0] * 10
    assert v["investment"] == pytest.approx(17_000)
    assert v["tco"] == pytest.approx(97_000)
    assert v["savings"] == pytest.approx(23_000)
    assert v["roi"] == pytest.approx(23_000 / 17_000)
    assert v["payback_months"] == pytest.approx(6.25)
    assert v["discounted_payback_months"] == pytest.approx(6.25)
    assert v["break_even_price_change"] == pytest.approx(23_000 / 72_000)
    q = (1 + v["irr"]) ** (1 / 12) - 1
    s = [-5_000, -6_000, -6_000] + [4_000] * 10
    assert sum(x * (1 + q) ** -m for m, x in enumerate(s)) == pytest.approx(0, abs=1e-6)


def test_discounted_payback_by_hand() -> None:
    """s = [-1,000, +1,100] at a discount rate making the monthly rate r exactly 10%.

    discount_rate = 1.1^12 - 1 -> r = 0.1, DF(1) = 1/1.1.
    Discounted: s(0) DF(0) = -1,000, s(1) DF(1) = 1,000 -> C_d = [-1,000, 0]:
    the last month with C_d < 0 is 0, k = 1: 0 + 1,000 / 1,000 = 1.0.
    Undiscounted: C = [-1,000, 100]: 0 + 1,000 / 1,100 = 0.90909...
    """
    s = [-1_000.0, 1_100.0]
    df1 = ref.discount_factor(1, 1.1**12 - 1)
    assert df1 == pytest.approx(1 / 1.1)
    assert ref.payback([s[0], s[1] * df1]) == pytest.approx(1.0)
    assert ref.payback(s) == pytest.approx(1_000 / 1_100)


def test_graduated_and_volume_tiers() -> None:
    """Workload 15,000 units/month, H = 1, 0% discount, one agent at 60,000 (5,000/month).

    Tiers: up to 10,000 at 0.40, above at 0.32.
    Graduated: 10,000 * 0.40 + 5,000 * 0.32 = 4,000 + 1,600 = 5,600.
    Volume: 15,000 is in the second band: 15,000 * 0.32 = 4,800.
    At exactly 10,000 units both give 4,000 (a count equal to up_to belongs to that band).
    Break-even volume, graduated (npv_savings(v) = 5,000 - fee(v)):
      fee(10,000) = 4,000 < 5,000, then 4,000 + 0.32 (v - 10,000) = 5,000 -> v = 13,125.
    Break-even volume, volume mode: 0.40 v <= 4,000 below the edge, then 0.32 v = 5,000 ->
      v = 15,625.
    """
    in_house = one_role_in_house(60_000, 1, workload={"monthly_volume": 15_000})
    tiers = [{"up_to": 10_000, "per_unit": 0.40}, {"per_unit": 0.32}]
    graduated = {"name": "G", "pricing": [{"name": "Calls", "tiers": tiers}]}
    volume = {"name": "V", "pricing": [{"name": "Calls", "tiers": tiers, "tier_mode": "volume"}]}
    out = ref.evaluate_reference(in_house, [graduated, volume])
    g, v = out["vendors"]
    assert g["monthly"] == [0.0, pytest.approx(5_600)]
    assert v["monthly"] == [0.0, pytest.approx(4_800)]
    assert g["break_even_volume"] == pytest.approx(13_125, abs=1e-5)
    assert v["break_even_volume"] == pytest.approx(15_625, abs=1e-5)
    parsed = ref.parse_charge({"name": "Calls", "tiers": tiers})
    assert ref.tiered_fee(parsed.tiers, "graduated", 10_000) == pytest.approx(4_000)
    assert ref.tiered_fee(parsed.tiers, "volume", 10_000) == pytest.approx(4_000)
    assert ref.tiered_fee(parsed.tiers, "volume", 10_000.5) == pytest.approx(3_200.16)
    # recommendation: both save (5,000 - 5,600 < 0 for G, 5,000 - 4,800 = 200 for V)
    assert g["npv_savings"] == pytest.approx(-600)
    assert v["npv_savings"] == pytest.approx(200)
    assert out["recommendation"] == "V"


def test_volume_tier_jump_across_zero_returns_the_edge() -> None:
    """In-house 4,000/month (48,000 a year), H = 1, tiers up to 10,000 at 0.30, above at 0.50.

    Volume mode: npv_savings(v) = 4,000 - 0.30 v = +1,000 at v = 10,000 (the edge belongs to the
    first band), and just above it 4,000 - 0.50 * 10,000 = -1,000: it jumps across 0 at the
    edge, so the answer is 10,000.
    Graduated: 3,000 + 0.50 (v - 10,000) = 4,000 -> v = 12,000.
    With seasonality 2.0 in January (start_month 1 -> month 1 is January) V(1) = 2 v, so the
    graduated answer halves to 6,000 and the volume-mode edge to 5,000.
    """
    in_house = one_role_in_house(48_000, 1, workload={"monthly_volume": 20_000})
    tiers = [{"up_to": 10_000, "per_unit": 0.30}, {"per_unit": 0.50}]
    volume = {"name": "V", "pricing": [{"name": "U", "tiers": tiers, "tier_mode": "volume"}]}
    graduated = {"name": "G", "pricing": [{"name": "U", "tiers": tiers}]}
    v, g = ref.evaluate_reference(in_house, [volume, graduated])["vendors"]
    assert v["break_even_volume"] == pytest.approx(10_000, abs=1e-5)
    assert g["break_even_volume"] == pytest.approx(12_000, abs=1e-5)

    seasonal = copy.deepcopy(in_house)
    seasonal["workload"]["seasonality"] = [2.0] + [1.0] * 11
    v, g = ref.evaluate_reference(seasonal, [volume, graduated])["vendors"]
    assert v["break_even_volume"] == pytest.approx(5_000, abs=1e-5)
    assert g["break_even_volume"] == pytest.approx(6_000, abs=1e-5)


def test_irr_simple_streams() -> None:
    """-100 then +110 one month later: q = 10% a month, irr = 1.1^12 - 1 = 2.138428376721.

    -100, 0, +121: (1+q)^2 = 1.21 -> q = 10% again. Two sign changes -> null. All one sign ->
    null. Near-zero amounts (|x| < 0.005) do not count as a sign change.
    """
    expected = 1.1**12 - 1
    assert ref.irr([-100.0, 110.0]) == pytest.approx(expected, rel=1e-10)
    assert ref.irr([-100.0, 0.0, 121.0]) == pytest.approx(expected, rel=1e-10)
    assert ref.irr([-100.0, 0.004, 121.0]) == pytest.approx(expected, rel=1e-8)
    assert ref.irr([-100.0, 250.0, -150.0]) is None
    assert ref.irr([100.0, 250.0]) is None
    assert ref.irr([0.0, 0.001, -0.004]) is None
    # a stream starting with positives: +100 now, -110 next month is the same equation
    assert ref.irr([100.0, -110.0]) == pytest.approx(expected, rel=1e-10)
    # a very large and a negative rate
    assert ref.irr([-1.0, 1_000.0]) == pytest.approx(1_000.0**12 - 1, rel=1e-9)
    assert ref.irr([-100.0, 50.0]) == pytest.approx(0.5**12 - 1, rel=1e-9)


def test_irr_from_a_full_case() -> None:
    """One agent at 12,000 (1,000/month), H = 1, vendor 890/month, a 100 setup fee in month 0.

    s(0) = 0 - 100 = -100; s(1) = 1,000 - 890 = 110 -> irr = 1.1^12 - 1.
    npv_savings at 0% = 10; investment = 100; roi = 10 / 100 = 0.1.
    payback: C = [-100, 10]: 0 + 100 / 110.
    """
    in_house = one_role_in_house(12_000, 1)
    vendor = {
        "name": "X",
        "pricing": [{"name": "Fee", "monthly": 890}],
        "transition": {"costs": [{"name": "Setup", "amount": 100}]},
    }
    v = ref.evaluate_reference(in_house, [vendor])["vendors"][0]
    assert v["irr"] == pytest.approx(1.1**12 - 1, rel=1e-10)
    assert v["roi"] == pytest.approx(0.1)
    assert v["payback_months"] == pytest.approx(100 / 110)


def test_every_in_house_component_by_hand() -> None:
    """H = 13, 0% discount, start_month 12 (month 1 = December, month 2 = January).

    Role: 2 FTE at 60,000, benefits_rate 25% + 600/head/year, attrition 30%, cost_per_hire 1,000;
    salary_growth 10%, inflation 5%.
      month 1: salaries 2 * 5,000 = 10,000; benefits 2 * (15,000 + 600) / 12 = 2,600;
               hiring 2 * 0.3 / 12 * 1,000 = 50.                             -> 12,650
      month 13: salaries and benefits * 1.1 = 13,860; hiring * 1.05 = 52.5     -> 13,912.5
    Overheads: monthly 1,000 (unavoidable); annual 12,000 -> 1,000; per_head_monthly 100 * 2
      = 200; month 13 all * 1.05.                                  month 1: 2,200; 13: 2,310
    Workload 1,000 units, seasonality Dec = 1.5, Jan = 0.5, growth 20%; variable 0.2/unit:
      month 1 (Dec): V = 1,500 -> 300; month 2 (Jan): V = 500 -> 100;
      month 13 (Dec, year 1): V = 1,500 * 1.2 = 1,800 -> 0.2 * 1,800 * 1.05 = 378.
    One-time 5,000 at month 0, 7,000 at month 2, 9,000 at month 14 (> H: outside).
      IH(0) = 5,000; IH(1) = 12,650 + 2,200 + 300 = 15,150;
      IH(2) = 12,650 + 2,200 + 100 + 7,000 = 21,950; IH(13) = 13,912.5 + 2,310 + 378 = 16,600.5
    Vendor, scope 0.5, no parallel run: remaining(1) = unavoidable 1,000 + 0.5 * 14,150 = 8,075.
    """
    in_house = {
        "name": "Ops",
        "analysis": {"horizon_months": 13, "discount_rate": 0, "start_month": 12},
        "salary_growth": "10%",
        "inflation": 0.05,
        "staff": [
            {
                "role": "Agent",
                "headcount": 2,
                "annual_salary": 60_000,
                "benefits_rate": "25%",
                "benefits_per_head_annual": 600,
                "attrition_rate": 0.3,
                "cost_per_hire": 1_000,
            }
        ],
        "workload": {
            "monthly_volume": 1_000,
            "seasonality": [0.5] + [1.0] * 10 + [1.5],
            "growth_rate": 0.2,
        },
        "variable_costs": [{"name": "Phone", "per_unit": 0.2}],
        "overheads": [
            {"name": "Lease", "monthly": 1_000, "avoidable": False},
            {"name": "IT", "annual": 12_000},
            {"name": "Licences", "per_head_monthly": 100},
        ],
        "one_time": [
            {"name": "A", "amount": 5_000},
            {"name": "B", "amount": 7_000, "month": 2},
            {"name": "C", "amount": 9_000, "month": 14},
        ],
    }
    vendor = {"name": "Half", "scope": 0.5, "pricing": [{"name": "Fee", "monthly": 0}]}
    out = ref.evaluate_reference(in_house, [vendor])
    ih = out["in_house"]["monthly"]
    assert ih[0] == pytest.approx(5_000)
    assert ih[1] == pytest.approx(15_150)
    assert ih[2] == pytest.approx(21_950)
    assert ih[13] == pytest.approx(16_600.5)
    assert out["vendors"][0]["monthly"][1] == pytest.approx(8_075)


def test_vendor_fees_currency_minimum_and_loadings() -> None:
    """Quote in PHP at fx 0.02, H = 13, 0% discount, in-house one agent at 120,000.

    Pricing: 10 FTE * 20,000 PHP + 100 hours * 300 PHP + default hours at 500 PHP.
      Default hours = P * scope; P = 1 * (260 - 20) * 8 / 12 = 160; scope 0.5 -> 80 hours.
      R = 200,000 + 30,000 + 40,000 = 270,000 PHP; minimum 300,000 PHP -> 300,000.
      F(1) = 0.02 * 300,000 = 6,000; F(13) = 6,000 * 1.1 (escalation 10%) = 6,600.
    Loadings: sla 5%, governance 10%, risk 5% -> 1.10. VR(1) = 6,600 + retained.
    Retained: 1 FTE at 24,000 -> 2,000/month (no growth). VR(1) = 8,600.
    remaining(m >= 1) = 0.5 * 10,000 = 5,000 (scope 0.5, the role is avoidable).
    Transition: 10,000 PHP in month 1 -> 200; 1,000 USD in month 0; 5 USD in month 14 (> H,
      outside). parallel_run_months 1: VO(1) = 8,600 + 10,000 + 200 = 18,800.
    investment = 200 + 1,000 + VR(1) = 9,800.
    VO(0) = 1,000; VO(2) = 8,600 + 5,000 = 13,600; VO(13) = 6,600 * 1.1 + 2,000 + 5,000 = 14,260.
    break_even_price_change denominator = (12 * 6,000 + 6,600) * 1.1 = 86,460.
    """
    in_house = {
        "name": "Ops",
        "currency": "USD",
        "analysis": {"horizon_months": 13, "discount_rate": 0},
        "staff": [
            {"role": "A", "headcount": 1, "annual_salary": 120_000, "time_off_days": 20},
        ],
    }
    vendor = {
        "name": "Manila",
        "currency": "PHP",
        "fx_rate": 0.02,
        "scope": "50%",
        "annual_escalation": 0.1,
        "minimum_monthly_fee": "300,000",
        "pricing": [
            {"name": "FTE", "per_fte_month": 20_000, "fte": 10},
            {"name": "Hours", "per_hour": 300, "hours_per_month": 100},
            {"name": "Default hours", "per_hour": 500},
        ],
        "sla_credit_rate": 0.05,
        "governance_rate": "10%",
        "risk_contingency_rate": 0.05,
        "retained_staff": [{"role": "Manager", "headcount": 1, "annual_salary": 24_000}],
        "transition": {
            "parallel_run_months": 1,
            "costs": [
                {"name": "Setup", "amount": 10_000, "currency": "PHP", "month": 1},
                {"name": "Legal", "amount": 1_000, "currency": "USD"},
                {"name": "Late", "amount": 5, "month": 14},
            ],
        },
    }
    v = ref.evaluate_reference(in_house, [vendor])["vendors"][0]
    assert v["monthly"][0] == pytest.approx(1_000)
    assert v["monthly"][1] == pytest.approx(18_800)
    assert v["monthly"][2] == pytest.approx(13_600)
    assert v["monthly"][13] == pytest.approx(14_260)
    assert v["investment"] == pytest.approx(9_800)
    assert v["break_even_price_change"] == pytest.approx(v["npv_savings"] / 86_460)


def test_payback_rules() -> None:
    """C never below 0 -> 0; C(H) < 0 -> null; C dips and recovers, then dips again.

    [10, -20, 5, 30]: C = 10, -10, -5, 25; last C < 0 at 2, k = 3: 2 + 5 / 30.
    [-0.004, 1]: C(0) = -0.004 counts as zero -> 0.
    """
    assert ref.payback([0.0, 5.0]) == 0
    assert ref.payback([0.0, -5.0]) is None
    assert ref.payback([10.0, -20.0, 5.0, 30.0]) == pytest.approx(2 + 5 / 30)
    assert ref.payback([-0.004, 1.0]) == 0
    assert ref.payback([-10.0, 20.0, -20.0, 15.0]) == pytest.approx(2 + 10 / 15)


# ----- properties ----------------------------------------------------------------------------

MONEY_KEYS = {
    "annual_salary",
    "benefits_per_head_annual",
    "cost_per_hire",
    "per_unit",
    "monthly",
    "annual",
    "per_head_monthly",
    "amount",
    "per_fte_month",
    "per_hour",
    "minimum_monthly_fee",
}


def double_money(node: Any, key: str | None = None) -> Any:
    """Every money amount times two (not volumes, headcounts, hours, tier edges or rates)."""
    if isinstance(node, dict):
        return {k: double_money(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [double_money(v, key) for v in node]
    if key in MONEY_KEYS and not isinstance(node, bool):
        return 2 * ref.parse_money(node)
    return node


@settings(max_examples=150, deadline=None)
@given(cases())
def test_npv_at_zero_discount_equals_tco(case: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
    in_house, vendors = case
    out = ref.evaluate_reference(in_house, vendors, discount_rate=0.0)
    assert out["in_house"]["npv"] == pytest.approx(out["in_house"]["tco"], rel=1e-12, abs=1e-6)
    for v in out["vendors"]:
        assert v["npv"] == pytest.approx(v["tco"], rel=1e-12, abs=1e-6)
        assert v["npv_savings"] == pytest.approx(v["savings"], rel=1e-12, abs=1e-6)
        if v["payback_months"] is None:
            assert v["discounted_payback_months"] is None
        else:
            assert v["discounted_payback_months"] == pytest.approx(v["payback_months"])


@settings(max_examples=150, deadline=None)
@given(cases())
def test_doubling_money_doubles_totals(case: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
    in_house, vendors = case
    once = ref.evaluate_reference(in_house, vendors)
    twice = ref.evaluate_reference(double_money(in_house), double_money(vendors))
    close = {"rel": 1e-9, "abs": 1e-6}
    assert twice["in_house"]["tco"] == pytest.approx(2 * once["in_house"]["tco"], **close)
    assert twice["in_house"]["npv"] == pytest.approx(2 * once["in_house"]["npv"], **close)
    assert twice["in_house"]["monthly"] == pytest.approx(
        [2 * x for x in once["in_house"]["monthly"]], **close
    )
    for a, b in zip(once["vendors"], twice["vendors"], strict=True):
        for key in ("tco", "npv", "savings", "npv_savings", "investment"):
            assert b[key] == pytest.approx(2 * a[key], **close), key
        assert b["monthly"] == pytest.approx([2 * x for x in a["monthly"]], **close)
        if a["savings_pct"] is not None and b["savings_pct"] is not None:
            assert b["savings_pct"] == pytest.approx(a["savings_pct"], rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(cases(), st.data())
def test_fast_volume_model_matches_literal_model(
    case: tuple[dict[str, Any], list[dict[str, Any]]], data: st.DataObject
) -> None:
    """The break-even search uses a decomposed npv_savings(v); it must equal the full model."""
    in_house, vendors = case
    ih = ref.parse_in_house(in_house)
    if ih.workload is None or any(r.handle_minutes is not None for r in ih.staff):
        return  # with workload-driven roles the reference recomputes the whole model instead
    top = 100.0 * max(ih.workload.monthly_volume, 1.0)
    for raw in vendors:
        vendor = ref.parse_vendor(raw, ih.currency)
        model = ref.VolumeModel(vendor, ih)
        for v in [0.0, ih.workload.monthly_volume, data.draw(st.floats(0.0, top))]:
            literal = ref.npv_savings_at_volume_literal(vendor, ih, v)
            assert model.npv_savings(v) == pytest.approx(literal, rel=1e-9, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(cases())
def test_break_even_volume_is_a_sign_change(
    case: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    """At the reported volume npv_savings is zero or has left the sign it had at volume 0;
    just before it npv_savings has not yet crossed zero."""
    in_house, vendors = case
    ih = ref.parse_in_house(in_house)
    out = ref.evaluate_reference(in_house, vendors)
    for raw, result in zip(vendors, out["vendors"], strict=True):
        volume = result["break_even_volume"]
        if volume is None:
            continue
        vendor = ref.parse_vendor(raw, ih.currency)
        assert ih.workload is not None
        assert 0 <= volume <= 100 * ih.workload.monthly_volume + 1e-6
        start = ref.sign(ref.npv_savings_at_volume_literal(vendor, ih, 0.0))
        if start == 0:  # already zero (within half a cent) at volume 0: that is the answer
            assert volume == 0
            continue
        assert ref.sign(ref.npv_savings_at_volume_literal(vendor, ih, volume)) != start
        if volume > 1e-5:
            # just before it, npv_savings still has its starting sign (it may be in the band)
            before = ref.npv_savings_at_volume_literal(vendor, ih, volume - 1e-5)
            assert before * start > 0
