"""Hypothesis strategies for random, valid outsourcecalc input dicts (as they come from YAML).

``in_house_dicts()`` draws an in-house file, ``vendor_dicts(has_workload, analysis_currency)`` a
vendor file and ``cases()`` an in-house file with 1-3 vendor files. Contract v2: roles whose
headcount follows the workload (both staffing policies, occupancy, min_headcount), vendor
benefits (some in the quote's currency) and a scorecard (with and without min_score and
in-house scores) that every vendor scores. Magnitudes are realistic;
every optional field is sometimes left out (so the defaults are exercised) and money and rates
are sometimes written as strings ("42,000", "28%").
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

ANALYSIS_CURRENCIES = ["USD", "EUR", "GBP"]
# foreign quote currency -> analysis-currency units per unit (roughly realistic)
FOREIGN = {"PHP": 0.0175, "INR": 0.012, "PLN": 0.25, "EUR": 1.08, "USD": 0.92, "MXN": 0.055}

ROLE_NAMES = ["Agent", "Team lead", "Supervisor", "QA analyst", "Trainer", "Engineer"]


# ----- field helpers -------------------------------------------------------------------------


@st.composite
def money(draw: st.DrawFn, low: float, high: float, cents: bool = True) -> Any:
    """A non-negative amount as int, float with cents, or a "42,000"-style string."""
    form = draw(st.sampled_from(["int", "float", "str_int", "str_float"] if cents else ["int"]))
    whole = draw(st.integers(int(low), int(high)))
    if form == "int":
        return whole
    if form == "str_int":
        return f"{whole:,}"
    hundredths = draw(st.integers(0, 99))
    value = whole + hundredths / 100.0
    if value > high:
        value = float(high)
    if form == "float":
        return value
    return f"{value:,.2f}"


@st.composite
def small_price(draw: st.DrawFn, low: float, high: float) -> Any:
    """A per-unit price with up to 4 decimals (kept as a number or a plain string)."""
    value = round(draw(st.floats(low, high, allow_nan=False, allow_infinity=False)), 4)
    return draw(st.sampled_from([value, str(value)]))


@st.composite
def rate(draw: st.DrawFn, low_pct: int, high_pct: int) -> Any:
    """A rate between low_pct% and high_pct%, as a fraction or as a "28%" string.

    Percent steps of 0.5 keep the fraction exactly what a user would type."""
    half_steps = draw(st.integers(2 * low_pct, 2 * high_pct))
    pct = half_steps / 2.0
    form = draw(st.sampled_from(["fraction", "percent"]))
    if form == "percent":
        text = f"{pct:g}%"
        return text
    return round(pct / 100.0, 6)


def maybe(draw: st.DrawFn, target: dict[str, Any], key: str, strategy: Any) -> None:
    """Set target[key] from strategy, or leave it out (to exercise the default)."""
    if draw(st.booleans()):
        target[key] = draw(strategy)


@st.composite
def headcounts(draw: st.DrawFn) -> float | int:
    kind = draw(st.sampled_from(["int", "half", "fraction", "zero"]))
    if kind == "int":
        return draw(st.integers(1, 40))
    if kind == "half":
        return draw(st.integers(1, 40)) / 2.0
    if kind == "fraction":
        return round(draw(st.floats(0.1, 25.0)), 2)
    return 0


@st.composite
def roles(
    draw: st.DrawFn, allow_avoidable: bool = True, workload_driven: bool = False
) -> dict[str, Any]:
    role: dict[str, Any] = {"role": draw(st.sampled_from(ROLE_NAMES))}
    if workload_driven:
        # handle time in minutes per unit: with 100..60,000 units a month, 0 to ~80 FTE
        role["handle_minutes"] = draw(
            st.one_of(st.sampled_from([2, 4.5, 7.5, 12]), st.floats(0.5, 15.0).map(_round2))
        )
        maybe(draw, role, "occupancy", st.one_of(st.just(1), rate(60, 100)))
        maybe(draw, role, "staffing", st.sampled_from(["peak", "month"]))
        maybe(
            draw,
            role,
            "min_headcount",
            st.one_of(st.integers(0, 20), st.floats(0.5, 20).map(_round2)),
        )
    else:
        role["headcount"] = draw(headcounts())
    role["annual_salary"] = draw(money(20_000, 200_000))
    maybe(draw, role, "benefits_rate", rate(0, 60))
    maybe(draw, role, "benefits_per_head_annual", money(0, 6_000))
    maybe(draw, role, "time_off_days", st.integers(0, 40))
    maybe(draw, role, "attrition_rate", rate(0, 120))
    maybe(draw, role, "cost_per_hire", money(0, 12_000))
    if allow_avoidable:
        maybe(draw, role, "avoidable", st.booleans())
    return role


def _round2(x: float) -> float:
    return round(x, 2)


# ----- in-house file -------------------------------------------------------------------------

CRITERIA = ["Service quality", "Data security", "Experience with similar clients", "Cultural fit"]


@st.composite
def score_values(draw: st.DrawFn, scale: float) -> float:
    """A score from 0 to the scale, in half points (or the scale itself)."""
    return min(float(scale), draw(st.integers(0, int(2 * scale))) / 2.0)


@st.composite
def scorecards(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(CRITERIA), min_size=1, max_size=4, unique=True))
    card: dict[str, Any] = {
        "criteria": [
            {
                "name": n,
                "weight": draw(st.one_of(st.integers(1, 40), st.floats(0.1, 1.0).map(_round2))),
            }
            for n in names
        ]
    }
    scale = draw(st.sampled_from([5, 10, 4.5]))
    if scale != 5 or draw(st.booleans()):
        card["scale"] = scale
    if draw(st.booleans()):
        card["min_score"] = draw(score_values(scale))
    if draw(st.booleans()):
        card["in_house"] = {n: draw(score_values(scale)) for n in names}
    return card


def scorecard_of(in_house: dict[str, Any]) -> tuple[list[str], float] | None:
    """The criteria and scale of an in-house dict's scorecard (None without one)."""
    card = in_house.get("scorecard")
    if card is None:
        return None
    return [c["name"] for c in card["criteria"]], float(card.get("scale", 5))


@st.composite
def workloads(draw: st.DrawFn) -> dict[str, Any]:
    workload: dict[str, Any] = {
        "unit": draw(st.sampled_from(["contact", "ticket", "payslip", "invoice"])),
        "monthly_volume": draw(
            st.one_of(
                st.integers(100, 60_000),
                st.integers(100, 60_000).map(lambda v: f"{v:,}"),
                st.just(0),
            )
        ),
    }
    if draw(st.booleans()):
        workload["seasonality"] = [round(draw(st.floats(0.5, 1.5)), 2) for _ in range(12)]
    maybe(draw, workload, "growth_rate", rate(-20, 30))
    return workload


@st.composite
def overheads(draw: st.DrawFn) -> dict[str, Any]:
    item: dict[str, Any] = {"name": draw(st.sampled_from(["Office", "Licences", "IT", "Power"]))}
    form = draw(st.sampled_from(["monthly", "annual", "per_head_monthly"]))
    if form == "monthly":
        item["monthly"] = draw(money(0, 20_000))
    elif form == "annual":
        item["annual"] = draw(money(0, 240_000))
    else:
        item["per_head_monthly"] = draw(money(0, 400))
    maybe(draw, item, "avoidable", st.booleans())
    return item


@st.composite
def in_house_dicts(draw: st.DrawFn, v2: bool = True) -> dict[str, Any]:
    """An in-house file; `v2=False`: only what contract v1 had (no workload-driven roles,
    no scorecard)."""
    name = draw(st.sampled_from(["Contact center", "Helpdesk", "Payroll"]))
    data: dict[str, Any] = {"name": name}
    if draw(st.booleans()):
        data["kind"] = "in_house"
    currency = draw(st.sampled_from(ANALYSIS_CURRENCIES))
    if currency != "USD" or draw(st.booleans()):
        data["currency"] = currency

    analysis: dict[str, Any] = {}
    maybe(draw, analysis, "horizon_months", st.integers(1, 120))
    maybe(draw, analysis, "discount_rate", rate(0, 30))
    maybe(draw, analysis, "start_month", st.integers(1, 12))
    if analysis or draw(st.booleans()):
        data["analysis"] = analysis
    horizon = int(analysis.get("horizon_months", 36))

    calendar: dict[str, Any] = {}
    maybe(draw, calendar, "working_days_per_year", st.integers(220, 270))
    maybe(draw, calendar, "hours_per_day", st.sampled_from([6, 7, 7.5, 8, 9]))
    if calendar:
        data["calendar"] = calendar
    maybe(draw, data, "salary_growth", rate(-5, 15))
    maybe(draw, data, "inflation", rate(-5, 15))

    data["staff"] = draw(st.lists(roles(), min_size=1, max_size=4))

    if draw(st.booleans()):
        data["workload"] = draw(workloads())
        # contract v2: some roles follow the workload, staffed for the peak or month by month
        for _ in range(draw(st.integers(0, 2)) if v2 else 0):
            data["staff"].insert(
                draw(st.integers(0, len(data["staff"]))), draw(roles(workload_driven=True))
            )
        if draw(st.booleans()):
            data["variable_costs"] = [
                {
                    "name": f"Variable {i}",
                    "per_unit": draw(small_price(0.0, 2.5)),
                    **({"avoidable": draw(st.booleans())} if draw(st.booleans()) else {}),
                }
                for i in range(draw(st.integers(1, 3)))
            ]
    if draw(st.booleans()):
        data["overheads"] = draw(st.lists(overheads(), min_size=1, max_size=3))
    if draw(st.booleans()):
        items = []
        for i in range(draw(st.integers(1, 3))):
            item: dict[str, Any] = {"name": f"One-time {i}", "amount": draw(money(0, 80_000))}
            # some items fall after the horizon: outside the analysis
            maybe(draw, item, "month", st.integers(0, horizon + 12))
            maybe(draw, item, "avoidable", st.booleans())
            items.append(item)
        data["one_time"] = items
    if v2 and draw(st.integers(0, 2)) == 0:
        data["scorecard"] = draw(scorecards())
    return data


def analysis_settings(in_house: dict[str, Any]) -> tuple[str, int]:
    """(analysis currency, horizon) of an in-house dict, with the SPEC defaults."""
    currency = str(in_house.get("currency", "USD"))
    horizon = int((in_house.get("analysis") or {}).get("horizon_months", 36))
    return currency, horizon


def typical_volume(in_house: dict[str, Any]) -> float:
    workload = in_house.get("workload")
    if workload is None:
        return 0.0
    value = workload["monthly_volume"]
    return float(value.replace(",", "")) if isinstance(value, str) else float(value)


# ----- vendor file ---------------------------------------------------------------------------


@st.composite
def tier_lists(draw: st.DrawFn, fx: float, volume_hint: float) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 4))
    scale = max(volume_hint, 1000.0)
    edges = sorted(
        set(draw(st.lists(st.integers(1, int(2 * scale)), min_size=count - 1, max_size=count - 1)))
    )
    tiers: list[dict[str, Any]] = [
        {"up_to": edge, "per_unit": draw(small_price(0.05 / fx, 6.0 / fx))} for edge in edges
    ]
    tiers.append({"per_unit": draw(small_price(0.05 / fx, 6.0 / fx))})
    return tiers


@st.composite
def charges(
    draw: st.DrawFn, index: int, has_workload: bool, fx: float, volume_hint: float
) -> dict[str, Any]:
    forms = ["monthly", "per_fte_month", "per_hour", "per_hour_default"]
    if has_workload:
        forms += ["per_unit", "tiers_graduated", "tiers_volume"]
    form = draw(st.sampled_from(forms))
    charge: dict[str, Any] = {"name": f"Charge {index}"}
    if form == "monthly":
        charge["monthly"] = draw(money(0, 60_000 / fx))
    elif form == "per_fte_month":
        charge["per_fte_month"] = draw(money(1_000 / fx, 12_000 / fx))
        charge["fte"] = draw(headcounts())
    elif form in ("per_hour", "per_hour_default"):
        charge["per_hour"] = draw(money(5 / fx, 90 / fx))
        if form == "per_hour":
            charge["hours_per_month"] = draw(money(0, 8_000, cents=False))
    elif form == "per_unit":
        charge["per_unit"] = draw(small_price(0.05 / fx, 6.0 / fx))
    else:
        charge["tiers"] = draw(tier_lists(fx, volume_hint))
        if form == "tiers_volume":
            charge["tier_mode"] = "volume"
        elif draw(st.booleans()):
            charge["tier_mode"] = "graduated"
    return charge


@st.composite
def vendor_dicts(
    draw: st.DrawFn,
    has_workload: bool,
    analysis_currency: str,
    horizon_months: int = 36,
    volume_hint: float = 10_000.0,
    scorecard: tuple[list[str], float] | None = None,
    v2: bool = True,
) -> dict[str, Any]:
    data: dict[str, Any] = {"name": draw(st.sampled_from(["Acme BPO", "Globex", "Initech"]))}
    if draw(st.booleans()):
        data["kind"] = "vendor"
    foreign = [c for c in FOREIGN if c != analysis_currency]
    currency = draw(st.sampled_from([analysis_currency, *foreign]))
    fx = 1.0
    if currency != analysis_currency:
        base_fx = FOREIGN[currency]
        fx = round(base_fx * draw(st.floats(0.9, 1.1)), 6)
        data["currency"] = currency
        data["fx_rate"] = fx
    else:
        if draw(st.booleans()):
            data["currency"] = currency
        if draw(st.booleans()):
            data["fx_rate"] = 1
    if draw(st.booleans()):
        data["scope"] = draw(st.one_of(st.just(1), rate(10, 100)))
    maybe(draw, data, "annual_escalation", rate(-5, 10))
    if draw(st.booleans()):
        data["minimum_monthly_fee"] = draw(money(0, 80_000 / fx))
    data["pricing"] = [
        draw(charges(i, has_workload, fx, volume_hint)) for i in range(draw(st.integers(1, 4)))
    ]
    maybe(draw, data, "sla_credit_rate", rate(0, 20))
    maybe(draw, data, "governance_rate", rate(0, 20))
    maybe(draw, data, "risk_contingency_rate", rate(0, 20))
    if draw(st.booleans()):
        data["retained_staff"] = draw(
            st.lists(roles(allow_avoidable=False), min_size=1, max_size=2)
        )
    if draw(st.booleans()):
        transition: dict[str, Any] = {}
        maybe(draw, transition, "parallel_run_months", st.integers(0, min(horizon_months, 6)))
        if draw(st.booleans()):
            costs = []
            for i in range(draw(st.integers(1, 3))):
                item: dict[str, Any] = {"name": f"Transition {i}"}
                in_quote = currency != analysis_currency and draw(st.booleans())
                item["amount"] = draw(money(0, (200_000 / fx) if in_quote else 200_000))
                if in_quote:
                    item["currency"] = currency
                elif draw(st.booleans()):
                    item["currency"] = analysis_currency
                # some items fall after the horizon: outside the analysis
                maybe(draw, item, "month", st.integers(0, horizon_months + 6))
                costs.append(item)
            transition["costs"] = costs
        data["transition"] = transition
    if v2 and draw(st.booleans()):
        data["benefits"] = draw(benefit_lists(currency, analysis_currency, fx, horizon_months))
    if scorecard is not None:
        names, scale = scorecard
        data["scores"] = {n: draw(score_values(scale)) for n in names}
    return data


@st.composite
def benefit_lists(
    draw: st.DrawFn, currency: str, analysis_currency: str, fx: float, horizon_months: int
) -> list[dict[str, Any]]:
    """Benefits of the switch: monthly, annual or one amount, some in the quote's currency.

    Months stay within min(horizon, 6), so a test that changes the horizon to 6 or more
    keeps every benefit inside it."""
    last = min(horizon_months, 6)
    items = []
    for i in range(draw(st.integers(1, 3))):
        item: dict[str, Any] = {"name": f"Benefit {i}"}
        in_quote = currency != analysis_currency and draw(st.booleans())
        scale = 1 / fx if in_quote else 1.0
        form = draw(st.sampled_from(["monthly", "annual", "amount"]))
        if form == "monthly":
            item["monthly"] = draw(money(0, 8_000 * scale))
            maybe(draw, item, "from_month", st.integers(1, last))
        elif form == "annual":
            item["annual"] = draw(money(0, 90_000 * scale))
            maybe(draw, item, "from_month", st.integers(1, last))
        else:
            item["amount"] = draw(money(0, 50_000 * scale))
            maybe(draw, item, "month", st.integers(0, last))
        if in_quote:
            item["currency"] = currency
        elif draw(st.booleans()):
            item["currency"] = analysis_currency
        items.append(item)
    return items


@st.composite
def cases(draw: st.DrawFn, v2: bool = True) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(in_house_dict, [vendor_dict, ...]) with 1-3 vendors; `v2=False`: contract v1 inputs."""
    in_house = draw(in_house_dicts(v2))
    currency, horizon = analysis_settings(in_house)
    has_workload = "workload" in in_house
    volume_hint = typical_volume(in_house)
    count = draw(st.integers(1, 3))
    card = scorecard_of(in_house)
    vendors = [
        draw(vendor_dicts(has_workload, currency, horizon, volume_hint or 10_000.0, card, v2))
        for _ in range(count)
    ]
    for i, vendor in enumerate(vendors):
        vendor["name"] = f"{vendor['name']} {i + 1}"
    return in_house, vendors
