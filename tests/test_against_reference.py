"""The real engine against the independent reference implementation (tests/reference/model.py).

Tolerances: money within 0.01 (the engine's JSON is rounded to cents), rates within 1e-6
(absolute or relative), paybacks within 0.001 month, break-even volume within
max(0.01, 1e-4 relative); null-ness and the recommendation must agree exactly.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import model as ref
from strategies import cases

import outsourcecalc

MONEY_TOL = 0.01
RATE_TOL = 1e-6
PAYBACK_TOL = 1e-3
SCORE_TOL = 1e-6

MONEY_KEYS = ("tco", "npv", "savings", "npv_savings", "investment")
RATE_KEYS = ("savings_pct", "roi", "irr", "break_even_price_change")
PAYBACK_KEYS = ("payback_months", "discounted_payback_months")


def close_money(a: float, b: float) -> bool:
    return abs(a - b) <= MONEY_TOL


def close_rate(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=RATE_TOL, abs_tol=RATE_TOL)


def close_score(a: float, b: float) -> bool:
    return abs(a - b) <= SCORE_TOL


def close_volume(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.01, 1e-4 * max(abs(a), abs(b)))


def compare(engine: dict[str, Any], reference: dict[str, Any]) -> list[str]:
    """All the differences between the engine's JSON dict and the reference, as messages."""
    problems: list[str] = []

    def check(path: str, a: Any, b: Any, close: Any) -> None:
        if (a is None) != (b is None):
            problems.append(f"{path}: engine {a!r} vs reference {b!r} (null-ness)")
        elif a is not None and not close(float(a), float(b)):
            problems.append(f"{path}: engine {a!r} vs reference {b!r}")

    if engine["currency"] != reference["currency"]:
        problems.append(f"currency: {engine['currency']!r} vs {reference['currency']!r}")
    if engine["horizon_months"] != reference["horizon_months"]:
        problems.append("horizon_months differs")
    check("discount_rate", engine["discount_rate"], reference["discount_rate"], close_rate)

    ih_e, ih_r = engine["in_house"], reference["in_house"]
    if ih_e["name"] != ih_r["name"]:
        problems.append("in_house.name differs")
    for key in ("tco", "npv"):
        check(f"in_house.{key}", ih_e[key], ih_r[key], close_money)
    check("in_house.score", ih_e["score"], ih_r["score"], close_score)
    if len(ih_e["monthly"]) != len(ih_r["monthly"]):
        problems.append("in_house.monthly length differs")
    else:
        for m, (a, b) in enumerate(zip(ih_e["monthly"], ih_r["monthly"], strict=True)):
            check(f"in_house.monthly[{m}]", a, b, close_money)

    if len(engine["vendors"]) != len(reference["vendors"]):
        problems.append("number of vendors differs")
        return problems
    for i, (ve, vr) in enumerate(zip(engine["vendors"], reference["vendors"], strict=True)):
        where = f"vendors[{i}]"
        if ve["name"] != vr["name"]:
            problems.append(f"{where}.name differs")
        for key in MONEY_KEYS:
            check(f"{where}.{key}", ve[key], vr[key], close_money)
        for key in RATE_KEYS:
            check(f"{where}.{key}", ve[key], vr[key], close_rate)
        for key in PAYBACK_KEYS:
            check(f"{where}.{key}", ve[key], vr[key], lambda a, b: abs(a - b) <= PAYBACK_TOL)
        check(f"{where}.score", ve["score"], vr["score"], close_score)
        check(
            f"{where}.break_even_volume",
            ve["break_even_volume"],
            vr["break_even_volume"],
            close_volume,
        )
        if len(ve["monthly"]) != len(vr["monthly"]):
            problems.append(f"{where}.monthly length differs")
        else:
            for m, (a, b) in enumerate(zip(ve["monthly"], vr["monthly"], strict=True)):
                check(f"{where}.monthly[{m}]", a, b, close_money)

    if engine["recommendation"] != reference["recommendation"]:
        problems.append(
            f"recommendation: engine {engine['recommendation']!r} vs "
            f"reference {reference['recommendation']!r}"
        )
    return problems


overrides = st.fixed_dictionaries(
    {},
    optional={
        # parallel runs are at most 6 months in cases(), so any horizon >= 6 stays valid
        "horizon_months": st.integers(6, 120),
        "discount_rate": st.sampled_from([0.0, 0.05, 0.1, 0.25]),
        "start_month": st.integers(1, 12),
    },
)


def run_both(
    in_house: dict[str, Any], vendors: list[dict[str, Any]], options: dict[str, Any]
) -> list[str]:
    expected = ref.evaluate_reference(in_house, vendors, **options)
    engine_case = outsourcecalc.case_from_dicts(
        in_house,
        vendors,
        horizon_months=options.get("horizon_months"),
        discount_rate=options.get("discount_rate"),
        start_month=options.get("start_month"),
    )
    actual = outsourcecalc.evaluate(engine_case).to_json_dict()
    return compare(actual, expected)


@settings(max_examples=200, deadline=None)
@given(cases())
def test_engine_matches_reference(case: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
    in_house, vendors = case
    problems = run_both(in_house, vendors, {})
    assert not problems, "\n".join(problems[:20])


@settings(max_examples=50, deadline=None)
@given(cases(), overrides)
def test_engine_matches_reference_with_overrides(
    case: tuple[dict[str, Any], list[dict[str, Any]]], options: dict[str, Any]
) -> None:
    """The keyword overrides of case_from_dicts replace the in-house file's analysis section."""
    in_house, vendors = case
    problems = run_both(in_house, vendors, options)
    assert not problems, "\n".join(problems[:20])


def test_engine_matches_reference_on_hand_case() -> None:
    """A fixed, fully featured case, so a disagreement shows without hypothesis shrinking."""
    in_house = {
        "name": "Contact center",
        "currency": "USD",
        "analysis": {"horizon_months": 36, "discount_rate": "8%", "start_month": 4},
        "salary_growth": 0.03,
        "inflation": 0.02,
        "staff": [
            {
                "role": "Agent",
                "headcount": 12,
                "annual_salary": "42,000",
                "benefits_rate": "28%",
                "time_off_days": 25,
                "attrition_rate": 0.35,
                "cost_per_hire": 4_500,
            },
            {"role": "Lead", "headcount": 1.5, "annual_salary": 65_000, "avoidable": False},
        ],
        "workload": {
            "monthly_volume": 18_000,
            "seasonality": [1.1, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.1, 1.2, 1.3],
            "growth_rate": 0.05,
        },
        "variable_costs": [{"name": "Telephony", "per_unit": 0.12}],
        "overheads": [
            {"name": "Office", "monthly": 4_000, "avoidable": False},
            {"name": "Licences", "per_head_monthly": 150},
            {"name": "IT", "annual": 24_000},
        ],
        "one_time": [
            {"name": "Refresh", "amount": 18_000, "month": 13},
            {"name": "Late", "amount": 1_000, "month": 40},
        ],
    }
    vendor = {
        "kind": "vendor",
        "name": "Acme BPO (Manila)",
        "currency": "PHP",
        "fx_rate": 0.0175,
        "scope": 0.9,
        "annual_escalation": 0.04,
        "minimum_monthly_fee": 500_000,
        "pricing": [
            {"name": "Dedicated agents", "per_fte_month": 95_000, "fte": 6},
            {"name": "Platform", "monthly": 40_000},
            {"name": "Overflow", "per_hour": 550},
            {"name": "Email", "per_unit": 2},
            {
                "name": "Calls",
                "tiers": [{"up_to": 10_000, "per_unit": 40}, {"per_unit": 32}],
                "tier_mode": "volume",
            },
        ],
        "sla_credit_rate": 0.02,
        "governance_rate": 0.05,
        "risk_contingency_rate": 0.03,
        "retained_staff": [{"role": "Vendor manager", "headcount": 1, "annual_salary": 70_000}],
        "transition": {
            "parallel_run_months": 2,
            "costs": [
                {"name": "Setup", "amount": 350_000, "currency": "PHP"},
                {"name": "Severance", "amount": 45_000, "month": 2},
            ],
        },
    }
    expected = ref.evaluate_reference(in_house, [vendor])
    actual = outsourcecalc.evaluate(
        outsourcecalc.case_from_dicts(in_house, [vendor])
    ).to_json_dict()
    problems = compare(actual, expected)
    assert not problems, "\n".join(problems[:20])


def edge_case(
    seasonality: list[float], growth_rate: float, monthly_volume: int, **rest: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A contact center with only a per-contact cost against an hourly fee and volume tiers."""
    in_house = {
        "name": "Contact center",
        "currency": "EUR",
        "analysis": {"horizon_months": rest["horizon_months"], "start_month": 1},
        "staff": [{"role": "Agent", "headcount": 0, "annual_salary": 20000, "time_off_days": 0}],
        "workload": {
            "unit": "contact",
            "monthly_volume": monthly_volume,
            "seasonality": seasonality,
            "growth_rate": growth_rate,
        },
        "variable_costs": [{"name": "Variable 0", "per_unit": rest["per_unit"]}],
    }
    vendor = {
        "name": "Acme BPO 1",
        "annual_escalation": rest.get("annual_escalation", 0),
        "pricing": [
            {"name": "Hours", "per_hour": rest["per_hour"], "hours_per_month": rest["hours"]},
            {"name": "Contacts", "tiers": rest["tiers"], "tier_mode": "volume"},
        ],
        "governance_rate": rest["governance_rate"],
    }
    return in_house, vendor


@pytest.mark.parametrize(
    "case, expected",
    [
        # the reference computed the 7,270 edge as 7,270.000000000001 units, skipped the
        # window below it and answered 8,312.89
        (
            edge_case(
                [1.39, 1.46, 0.5, 0.68, 0.74, 0.58, 0.79, 0.61, 1.1, 0.5, 0.74, 0.62],
                0.23,
                7306,
                horizon_months=104,
                per_unit=2.2833,
                annual_escalation=-0.045,
                per_hour=61,
                hours=274,
                tiers=[
                    {"up_to": 1, "per_unit": 1.0},
                    {"up_to": 2882, "per_unit": 1.0},
                    {"up_to": 7270, "per_unit": 0.125},
                    {"per_unit": 1.625},
                ],
                governance_rate=0.07,
            ),
            8250.5542,
        ),
        # the engine computed the 7,131 edge past itself and answered 3,430.90
        (
            edge_case(
                [1.0, 1.5, 1.5, 1.0, 0.5, 0.5, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0],
                0.115,
                3583,
                horizon_months=38,
                per_unit=2.375,
                per_hour=58,
                hours=128,
                tiers=[
                    {"up_to": 1, "per_unit": 1.0},
                    {"up_to": 7131, "per_unit": 0.25},
                    {"per_unit": 2.0},
                ],
                governance_rate=0.035,
            ),
            3301.4647,
        ),
    ],
)
def test_break_even_volume_just_below_a_volume_tier_jump(
    case: tuple[dict[str, Any], dict[str, Any]], expected: float
) -> None:
    """Found by hypothesis: npv_savings crosses zero, then jumps back below it where the
    busiest month's units pass the edge of a volume tier. The first crossing is the answer,
    for the engine and the reference alike, however the edge's volume rounds."""
    in_house, vendor = case
    assert not run_both(in_house, [vendor], {})
    engine = outsourcecalc.evaluate(outsourcecalc.case_from_dicts(in_house, [vendor]))
    assert engine.vendors[0]["break_even_volume"] == pytest.approx(expected, abs=1e-4)


def test_engine_matches_reference_on_the_contracts_v2_example() -> None:
    """SPEC sections 2-4 as written: the in-house example (a fixed and a workload-driven role)
    with the scorecard block, and the vendor example (benefits in two currencies, scores)."""
    import yaml

    folder = Path(__file__).resolve().parent / "data" / "v2"
    in_house = yaml.safe_load((folder / "in_house.yaml").read_text())
    vendor = yaml.safe_load((folder / "vendor.yaml").read_text())
    expected = ref.evaluate_reference(in_house, [vendor])
    case = outsourcecalc.load(folder / "in_house.yaml", [folder / "vendor.yaml"])
    actual = outsourcecalc.compare(case).to_dict()
    problems = compare(actual, expected)
    assert not problems, "\n".join(problems[:20])
    assert actual["in_house"]["score"] == pytest.approx(4.4)  # (120+125+100+75+20) / 100
    assert actual["vendors"][0]["score"] == pytest.approx(3.9)  # (105+100+90+45+50) / 100
    assert "benefits" in actual["vendors"][0]["breakdown"]
