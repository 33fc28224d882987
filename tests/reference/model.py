"""An independent, deliberately literal reference implementation of SPEC sections 1-4.

Pure Python, scalar, no numpy, no code shared with ``src/outsourcecalc``. It exists only to
cross-check the real engine (see ``test_against_reference.py``), so it favours being obviously
right over being fast: one function per SPEC concept, each a transcription of the SPEC line it
names.

Entry point: :func:`evaluate_reference` takes the two plain dicts as they come from YAML
(in-house dict, list of vendor dicts) and returns a dict shaped like SPEC section 5, without
``breakdown`` and without rounding.

Choices where the SPEC leaves room (also listed in the closing report):

* The half-cent rule (``|x| < 0.005`` counts as zero) is applied to every comparison of an
  amount with zero: the sign changes of ``s(m)`` for the IRR, ``C(k) < 0`` for the paybacks,
  "positive" in the recommendation, the ``tco_in_house`` / ``investment`` / fee-sum null tests,
  and "``npv_savings`` is 0" in the break-even volume.
* The IRR equation is solved over the *nonzero* ``s(m)`` only (the near-zero ones are dropped);
  the difference is far below any reported precision and it keeps Descartes' rule exact.
* The break-even volume is the smallest volume at which ``npv_savings`` is in the zero band or
  has the opposite sign of ``npv_savings`` at volume 0 (bisected to 1e-6 units).
* Transition items and in-house one-time items with ``month > H`` are outside the analysis:
  they appear in no month, in no total and not in ``investment``.

Contract v2 (workload-driven headcounts, benefits, the scorecard):

* A role's headcount table hc(0..H) is computed once per monthly volume (cached): the need
  N(m) = V(m) * handle_minutes / 60 / (occupancy * p), held at each year's largest need
  (staffing peak) or followed month by month, never below min_headcount; hc(0) = hc(1).
* With a workload-driven role, npv_savings is still piecewise linear in the monthly volume;
  the reference finds the break-even volume by scanning every volume at which some month can
  bend (a tier edge, a need reaching min_headcount, the raw fees crossing the minimum fee,
  solved piece by piece), recomputing the whole model at each.
* A benefit's from_month defaults to parallel_run_months + 1; an amount's month to 0.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

HALF_CENT = 0.005

# --------------------------------------------------------------------------------------------
# Zero tolerance (SPEC 1, last bullet)
# --------------------------------------------------------------------------------------------


def is_zero(amount: float) -> bool:
    """An amount whose absolute value is below half a cent counts as zero."""
    return abs(amount) < HALF_CENT


def sign(amount: float) -> int:
    """-1, 0 or +1, with the half-cent zero band."""
    if is_zero(amount):
        return 0
    return 1 if amount > 0 else -1


# --------------------------------------------------------------------------------------------
# Field parsing (SPEC 1: rates as fraction or "28%", money as number or "42,000")
# --------------------------------------------------------------------------------------------


def parse_rate(value: Any) -> float:
    """A fraction (0.28) or a percent string ("28%")."""
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if text.endswith("%"):
            return float(text[:-1].strip()) / 100.0
        return float(text)
    return float(value)


def parse_money(value: Any) -> float:
    """A number or a string such as "42,000"."""
    if isinstance(value, str):
        return float(value.strip().replace(",", "").replace("_", ""))
    return float(value)


def parse_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1")
    return bool(value)


# --------------------------------------------------------------------------------------------
# Normalised inputs (SPEC 2 and 3, with their defaults)
# --------------------------------------------------------------------------------------------


@dataclass
class Role:
    headcount: float | None  # None: the headcount follows the workload (handle_minutes)
    annual_salary: float
    benefits_rate: float = 0.0
    benefits_per_head_annual: float = 0.0
    time_off_days: float = 0.0
    attrition_rate: float = 0.0
    cost_per_hire: float = 0.0
    avoidable: bool = True
    handle_minutes: float | None = None
    occupancy: float = 1.0
    staffing: str = "peak"
    min_headcount: float = 0.0


@dataclass
class Scorecard:
    scale: float
    min_score: float | None
    weights: dict[str, float]  # criterion -> weight, in the file's order
    in_house: dict[str, float] | None


@dataclass
class Workload:
    monthly_volume: float
    seasonality: list[float]
    growth_rate: float


@dataclass
class VariableCost:
    per_unit: float
    avoidable: bool


@dataclass
class Overhead:
    form: str  # "monthly" | "annual" | "per_head_monthly"
    amount: float
    avoidable: bool


@dataclass
class OneTime:
    amount: float
    month: int
    avoidable: bool


@dataclass
class InHouse:
    name: str
    currency: str
    horizon_months: int
    discount_rate: float
    start_month: int
    working_days_per_year: float
    hours_per_day: float
    salary_growth: float
    inflation: float
    staff: list[Role]
    workload: Workload | None
    variable_costs: list[VariableCost]
    overheads: list[Overhead]
    one_time: list[OneTime]
    scorecard: Scorecard | None = None
    # headcount tables per monthly volume (None: the file's), filled by headcount_table
    heads_cache: dict[Any, list[list[float]]] = field(default_factory=dict, repr=False)


@dataclass
class Tier:
    up_to: float | None
    per_unit: float


@dataclass
class Charge:
    form: str  # "monthly" | "per_fte_month" | "per_hour" | "per_unit" | "tiers"
    amount: float = 0.0  # monthly / per_fte_month / per_hour / per_unit
    fte: float = 0.0
    hours_per_month: float | None = None
    tiers: list[Tier] = field(default_factory=list)
    tier_mode: str = "graduated"


@dataclass
class TransitionCost:
    amount: float
    month: int
    in_quote_currency: bool


@dataclass
class Benefit:
    form: str  # "monthly" | "annual" | "amount"
    value: float
    month: int  # from_month (monthly, annual) or month (amount)
    in_quote_currency: bool


@dataclass
class Vendor:
    name: str
    currency: str
    fx_rate: float
    scope: float
    annual_escalation: float
    minimum_monthly_fee: float
    pricing: list[Charge]
    sla_credit_rate: float
    governance_rate: float
    risk_contingency_rate: float
    retained_staff: list[Role]
    parallel_run_months: int
    transition_costs: list[TransitionCost]
    benefits: list[Benefit] = field(default_factory=list)
    scores: dict[str, float] | None = None


def parse_role(raw: dict[str, Any], allow_avoidable: bool = True) -> Role:
    workload_driven = "handle_minutes" in raw
    return Role(
        headcount=None if workload_driven else parse_money(raw["headcount"]),
        handle_minutes=parse_money(raw["handle_minutes"]) if workload_driven else None,
        occupancy=parse_rate(raw.get("occupancy", 1)),
        staffing=str(raw.get("staffing", "peak")),
        min_headcount=parse_money(raw.get("min_headcount", 0)),
        annual_salary=parse_money(raw["annual_salary"]),
        benefits_rate=parse_rate(raw.get("benefits_rate", 0)),
        benefits_per_head_annual=parse_money(raw.get("benefits_per_head_annual", 0)),
        time_off_days=parse_money(raw.get("time_off_days", 0)),
        attrition_rate=parse_rate(raw.get("attrition_rate", 0)),
        cost_per_hire=parse_money(raw.get("cost_per_hire", 0)),
        avoidable=parse_bool(raw.get("avoidable", True)) if allow_avoidable else True,
    )


def parse_overhead(raw: dict[str, Any]) -> Overhead:
    forms = [form for form in ("monthly", "annual", "per_head_monthly") if form in raw]
    if len(forms) != 1:
        raise ValueError(f"overhead {raw.get('name')!r} needs exactly one amount form")
    form = forms[0]
    return Overhead(form, parse_money(raw[form]), parse_bool(raw.get("avoidable", True)))


def parse_in_house(
    raw: dict[str, Any],
    horizon_months: int | None = None,
    discount_rate: float | None = None,
    start_month: int | None = None,
) -> InHouse:
    analysis = raw.get("analysis") or {}
    calendar = raw.get("calendar") or {}
    workload_raw = raw.get("workload")
    workload = None
    if workload_raw is not None:
        seasonality = workload_raw.get("seasonality") or [1.0] * 12
        workload = Workload(
            monthly_volume=parse_money(workload_raw["monthly_volume"]),
            seasonality=[float(x) for x in seasonality],
            growth_rate=parse_rate(workload_raw.get("growth_rate", 0)),
        )
    if horizon_months is None:
        horizon_months = int(analysis.get("horizon_months", 36))
    if discount_rate is None:
        discount_rate = parse_rate(analysis.get("discount_rate", 0.08))
    if start_month is None:
        start_month = int(analysis.get("start_month", 1))
    return InHouse(
        name=str(raw["name"]),
        currency=str(raw.get("currency", "USD")),
        horizon_months=int(horizon_months),
        discount_rate=parse_rate(discount_rate),
        start_month=int(start_month),
        working_days_per_year=parse_money(calendar.get("working_days_per_year", 260)),
        hours_per_day=parse_money(calendar.get("hours_per_day", 8)),
        salary_growth=parse_rate(raw.get("salary_growth", 0)),
        inflation=parse_rate(raw.get("inflation", 0)),
        staff=[parse_role(r) for r in raw["staff"]],
        workload=workload,
        variable_costs=[
            VariableCost(parse_money(v["per_unit"]), parse_bool(v.get("avoidable", True)))
            for v in raw.get("variable_costs") or []
        ],
        overheads=[parse_overhead(o) for o in raw.get("overheads") or []],
        one_time=[
            OneTime(
                parse_money(o["amount"]),
                int(o.get("month", 0)),
                parse_bool(o.get("avoidable", True)),
            )
            for o in raw.get("one_time") or []
        ],
        scorecard=parse_scorecard(raw.get("scorecard")),
    )


def parse_scorecard(raw: dict[str, Any] | None) -> Scorecard | None:
    if raw is None:
        return None
    in_house = raw.get("in_house")
    return Scorecard(
        scale=parse_money(raw.get("scale", 5)),
        min_score=None if raw.get("min_score") is None else parse_money(raw["min_score"]),
        weights={str(c["name"]): parse_money(c["weight"]) for c in raw["criteria"]},
        in_house=None if in_house is None else {k: parse_money(v) for k, v in in_house.items()},
    )


def parse_charge(raw: dict[str, Any]) -> Charge:
    if "tiers" in raw:
        tiers = [
            Tier(
                up_to=parse_money(t["up_to"]) if t.get("up_to") is not None else None,
                per_unit=parse_money(t["per_unit"]),
            )
            for t in raw["tiers"]
        ]
        return Charge("tiers", tiers=tiers, tier_mode=str(raw.get("tier_mode", "graduated")))
    if "per_fte_month" in raw:
        return Charge(
            "per_fte_month", parse_money(raw["per_fte_month"]), fte=parse_money(raw["fte"])
        )
    if "per_hour" in raw:
        hours = raw.get("hours_per_month")
        return Charge(
            "per_hour",
            parse_money(raw["per_hour"]),
            hours_per_month=None if hours is None else parse_money(hours),
        )
    if "per_unit" in raw:
        return Charge("per_unit", parse_money(raw["per_unit"]))
    if "monthly" in raw:
        return Charge("monthly", parse_money(raw["monthly"]))
    raise ValueError(f"charge {raw.get('name')!r} has no price")


def parse_vendor(raw: dict[str, Any], analysis_currency: str) -> Vendor:
    currency = str(raw.get("currency", analysis_currency))
    transition = raw.get("transition") or {}
    costs = []
    for item in transition.get("costs") or []:
        item_currency = str(item.get("currency", analysis_currency))
        costs.append(
            TransitionCost(
                amount=parse_money(item["amount"]),
                month=int(item.get("month", 0)),
                in_quote_currency=item_currency == currency and currency != analysis_currency,
            )
        )
    return Vendor(
        name=str(raw["name"]),
        currency=currency,
        fx_rate=parse_rate(raw.get("fx_rate", 1)),
        scope=parse_rate(raw.get("scope", 1)),
        annual_escalation=parse_rate(raw.get("annual_escalation", 0)),
        minimum_monthly_fee=parse_money(raw.get("minimum_monthly_fee", 0)),
        pricing=[parse_charge(c) for c in raw["pricing"]],
        sla_credit_rate=parse_rate(raw.get("sla_credit_rate", 0)),
        governance_rate=parse_rate(raw.get("governance_rate", 0)),
        risk_contingency_rate=parse_rate(raw.get("risk_contingency_rate", 0)),
        retained_staff=[
            parse_role(r, allow_avoidable=False) for r in raw.get("retained_staff") or []
        ],
        parallel_run_months=int(transition.get("parallel_run_months", 0)),
        transition_costs=costs,
        benefits=[
            parse_benefit(
                b, currency, analysis_currency, int(transition.get("parallel_run_months", 0))
            )
            for b in raw.get("benefits") or []
        ],
        scores=(
            None
            if raw.get("scores") is None
            else {k: parse_money(v) for k, v in raw["scores"].items()}
        ),
    )


def parse_benefit(
    raw: dict[str, Any], quote_currency: str, analysis_currency: str, parallel_run_months: int
) -> Benefit:
    form = next(f for f in ("monthly", "annual", "amount") if f in raw)
    if form == "amount":
        month = int(raw.get("month", 0))
    else:
        month = int(raw.get("from_month", parallel_run_months + 1))
    item_currency = str(raw.get("currency", analysis_currency))
    return Benefit(
        form=form,
        value=parse_money(raw[form]),
        month=month,
        in_quote_currency=item_currency == quote_currency and quote_currency != analysis_currency,
    )


# --------------------------------------------------------------------------------------------
# SPEC 1: periods and rates
# --------------------------------------------------------------------------------------------


def year_index(m: int) -> int:
    """y(m) = floor((m - 1) / 12); y(0) = 0."""
    if m == 0:
        return 0
    return (m - 1) // 12


def growth_factor(rate: float, m: int) -> float:
    """(1 + g) ** y(m): steps once a year, month 13 is the first at the new level."""
    return (1.0 + rate) ** year_index(m)


def calendar_month(m: int, start_month: int) -> int:
    """c(m) = (start_month - 1 + m - 1) mod 12, 0 = January."""
    return (start_month - 1 + m - 1) % 12


def monthly_discount_rate(discount_rate: float) -> float:
    """r = (1 + discount_rate) ** (1/12) - 1."""
    return (1.0 + discount_rate) ** (1.0 / 12.0) - 1.0


def discount_factor(m: int, discount_rate: float) -> float:
    """DF(m) = (1 + r) ** -m."""
    return (1.0 + monthly_discount_rate(discount_rate)) ** (-m)


# --------------------------------------------------------------------------------------------
# SPEC 2: the in-house cost IH(m), split into avoidable and unavoidable parts
# --------------------------------------------------------------------------------------------


def headcount_table(ih: InHouse, monthly_volume: float | None = None) -> list[list[float]]:
    """hc(m) for m = 0..H of every in-house role (SPEC 2), cached per monthly volume.

    Fixed: its headcount. Workload-driven, with p = (working_days_per_year - time_off_days)
    * hours_per_day / 12: N(m) = V(m) * handle_minutes / 60 / (occupancy * p); staffing month:
    max(min_headcount, N(m)); staffing peak: max(min_headcount, max N(k) over the months k of
    the horizon in the same year as m). hc(0) = hc(1)."""
    key = monthly_volume
    if key in ih.heads_cache:
        return ih.heads_cache[key]
    horizon = ih.horizon_months
    tables = []
    for role in ih.staff:
        if role.handle_minutes is None:
            assert role.headcount is not None
            tables.append([role.headcount] * (horizon + 1))
            continue
        p = (ih.working_days_per_year - role.time_off_days) * ih.hours_per_day / 12.0
        need = [0.0] + [
            volume(ih, m, monthly_volume) * role.handle_minutes / 60.0 / (role.occupancy * p)
            for m in range(1, horizon + 1)
        ]
        year_peak: dict[int, float] = {}
        for m in range(1, horizon + 1):
            year = year_index(m)
            year_peak[year] = max(year_peak.get(year, 0.0), need[m])
        hc = [0.0] * (horizon + 1)
        for m in range(1, horizon + 1):
            level = need[m] if role.staffing == "month" else year_peak[year_index(m)]
            hc[m] = max(role.min_headcount, level)
        hc[0] = hc[1]
        tables.append(hc)
    ih.heads_cache[key] = tables
    return tables


def role_salaries(role: Role, hc: float, m: int, salary_growth: float) -> float:
    return hc * role.annual_salary / 12.0 * growth_factor(salary_growth, m)


def role_benefits(role: Role, hc: float, m: int, salary_growth: float) -> float:
    annual = role.annual_salary * role.benefits_rate + role.benefits_per_head_annual
    return hc * annual / 12.0 * growth_factor(salary_growth, m)


def role_hiring(role: Role, hc: float, hc_before: float, m: int, inflation: float) -> float:
    """Replacements (attrition) plus every rise in headcount, at the cost per hire."""
    replacements = hc * role.attrition_rate / 12.0
    rise = max(0.0, hc - hc_before)
    return (replacements + rise) * role.cost_per_hire * growth_factor(inflation, m)


def role_cost(
    role: Role, hc: float, hc_before: float, m: int, salary_growth: float, inflation: float
) -> float:
    """Salaries + benefits + hiring of one role in month m >= 1 with hc(m), hc(m-1)."""
    return (
        role_salaries(role, hc, m, salary_growth)
        + role_benefits(role, hc, m, salary_growth)
        + role_hiring(role, hc, hc_before, m, inflation)
    )


def total_headcount(ih: InHouse, m: int, monthly_volume: float | None = None) -> float:
    return sum(table[m] for table in headcount_table(ih, monthly_volume))


def overhead_cost(
    item: Overhead, m: int, ih: InHouse, monthly_volume: float | None = None
) -> float:
    factor = growth_factor(ih.inflation, m)
    if item.form == "monthly":
        return item.amount * factor
    if item.form == "annual":
        return item.amount / 12.0 * factor
    return item.amount * total_headcount(ih, m, monthly_volume) * factor  # per_head_monthly


def volume(ih: InHouse, m: int, monthly_volume: float | None = None) -> float:
    """V(m) = monthly_volume * seasonality[c(m)] * (1 + growth_rate) ** y(m).

    ``monthly_volume`` overrides the file's value (for the break-even volume)."""
    if ih.workload is None:
        return 0.0
    base = ih.workload.monthly_volume if monthly_volume is None else monthly_volume
    season = ih.workload.seasonality[calendar_month(m, ih.start_month)]
    return base * season * growth_factor(ih.workload.growth_rate, m)


def variable_cost(item: VariableCost, m: int, ih: InHouse, v: float) -> float:
    return item.per_unit * v * growth_factor(ih.inflation, m)


def one_time_cost(item: OneTime, m: int) -> float:
    return item.amount if item.month == m else 0.0


def in_house_parts(ih: InHouse, m: int, monthly_volume: float | None = None) -> tuple[float, float]:
    """(avoidable, unavoidable) parts of IH(m). Month 0 holds only month-0 one-time items."""
    avoidable = 0.0
    unavoidable = 0.0

    def add(amount: float, is_avoidable: bool) -> None:
        nonlocal avoidable, unavoidable
        if is_avoidable:
            avoidable += amount
        else:
            unavoidable += amount

    if m >= 1:
        tables = headcount_table(ih, monthly_volume)
        for role, hc in zip(ih.staff, tables, strict=True):
            add(
                role_cost(role, hc[m], hc[m - 1], m, ih.salary_growth, ih.inflation), role.avoidable
            )
        for item in ih.overheads:
            add(overhead_cost(item, m, ih, monthly_volume), item.avoidable)
        v = volume(ih, m, monthly_volume)
        for item in ih.variable_costs:
            add(variable_cost(item, m, ih, v), item.avoidable)
    for item in ih.one_time:
        add(one_time_cost(item, m), item.avoidable)
    return avoidable, unavoidable


def in_house_cost(ih: InHouse, m: int, monthly_volume: float | None = None) -> float:
    """IH(m)."""
    avoidable, unavoidable = in_house_parts(ih, m, monthly_volume)
    return avoidable + unavoidable


def productive_hours(ih: InHouse, m: int = 1, monthly_volume: float | None = None) -> float:
    """P(m) = sum(hc(m) * (working_days_per_year - time_off_days) * hours_per_day) / 12."""
    tables = headcount_table(ih, monthly_volume)
    return (
        sum(
            hc[m] * (ih.working_days_per_year - role.time_off_days) * ih.hours_per_day
            for role, hc in zip(ih.staff, tables, strict=True)
        )
        / 12.0
    )


# --------------------------------------------------------------------------------------------
# SPEC 3: the vendor option VO(m)
# --------------------------------------------------------------------------------------------


def tier_band_index(tiers: list[Tier], units: float) -> int:
    """The band containing ``units``; a count equal to ``up_to`` belongs to that band."""
    for index, tier in enumerate(tiers):
        if tier.up_to is None or units <= tier.up_to:
            return index
    return len(tiers) - 1


def tiered_fee(tiers: list[Tier], mode: str, units: float) -> float:
    if mode == "volume":
        return units * tiers[tier_band_index(tiers, units)].per_unit
    # graduated: each band at its own rate
    fee = 0.0
    lower = 0.0
    for tier in tiers:
        upper = math.inf if tier.up_to is None else tier.up_to
        if units > lower:
            fee += (min(units, upper) - lower) * tier.per_unit
        lower = upper
    return fee


def charge_amount(
    charge: Charge,
    units: float,
    vendor: Vendor,
    ih: InHouse,
    m: int = 1,
    monthly_volume: float | None = None,
) -> float:
    """One charge in month m, in the quote's currency, before the minimum and escalation.

    ``units`` is V(m) * scope; default hours are P(m) * scope."""
    if charge.form == "monthly":
        return charge.amount
    if charge.form == "per_fte_month":
        return charge.amount * charge.fte
    if charge.form == "per_hour":
        hours = charge.hours_per_month
        if hours is None:
            hours = productive_hours(ih, m, monthly_volume) * vendor.scope
        return charge.amount * hours
    if charge.form == "per_unit":
        return charge.amount * units
    return tiered_fee(charge.tiers, charge.tier_mode, units)


def raw_fees_for_units(
    vendor: Vendor, ih: InHouse, units: float, m: int = 1, monthly_volume: float | None = None
) -> float:
    """R as a function of the month's vendor units V(m) * scope (and of P(m))."""
    return sum(charge_amount(c, units, vendor, ih, m, monthly_volume) for c in vendor.pricing)


def raw_fees(vendor: Vendor, ih: InHouse, m: int, monthly_volume: float | None = None) -> float:
    """R(m)."""
    units = volume(ih, m, monthly_volume) * vendor.scope
    return raw_fees_for_units(vendor, ih, units, m, monthly_volume)


def fees(vendor: Vendor, ih: InHouse, m: int, monthly_volume: float | None = None) -> float:
    """F(m) = fx_rate * (1 + annual_escalation) ** y(m) * max(R(m), minimum_monthly_fee)."""
    if m == 0:
        return 0.0
    raw = raw_fees(vendor, ih, m, monthly_volume)
    return (
        vendor.fx_rate
        * growth_factor(vendor.annual_escalation, m)
        * max(raw, vendor.minimum_monthly_fee)
    )


def fee_loading(vendor: Vendor) -> float:
    """1 - sla_credit_rate + governance_rate + risk_contingency_rate."""
    return 1.0 - vendor.sla_credit_rate + vendor.governance_rate + vendor.risk_contingency_rate


def retained_cost(vendor: Vendor, ih: InHouse, m: int) -> float:
    """retained(m): salaries, benefits and hiring of the retained roles (growth of the in-house
    file)."""
    if m == 0:
        return 0.0
    return sum(
        role_cost(r, r.headcount or 0.0, r.headcount or 0.0, m, ih.salary_growth, ih.inflation)
        for r in vendor.retained_staff
    )


def vendor_related_cost(
    vendor: Vendor, ih: InHouse, m: int, monthly_volume: float | None = None
) -> float:
    """VR(m) = F(m) * loading + retained(m); VR(0) = 0."""
    if m == 0:
        return 0.0
    return fees(vendor, ih, m, monthly_volume) * fee_loading(vendor) + retained_cost(vendor, ih, m)


def remaining_in_house(
    vendor: Vendor, ih: InHouse, m: int, monthly_volume: float | None = None
) -> float:
    """All of IH(m) in months 0..parallel_run_months, then unavoidable + (1-scope)*avoidable."""
    avoidable, unavoidable = in_house_parts(ih, m, monthly_volume)
    if m <= vendor.parallel_run_months:
        return avoidable + unavoidable
    return unavoidable + (1.0 - vendor.scope) * avoidable


def transition_cost(vendor: Vendor, m: int) -> float:
    """T(m), converted with fx_rate where the item is in the quote's currency."""
    total = 0.0
    for item in vendor.transition_costs:
        if item.month == m:
            total += item.amount * (vendor.fx_rate if item.in_quote_currency else 1.0)
    return total


def benefit_amount(vendor: Vendor, ih: InHouse, m: int) -> float:
    """B(m): monthly items monthly * (1+inflation)**y(m), annual ones annual / 12 * the same,
    from their from_month; an amount in its month, never escalated; fx where in the quote's
    currency."""
    total = 0.0
    for item in vendor.benefits:
        rate = vendor.fx_rate if item.in_quote_currency else 1.0
        if item.form == "amount":
            if m == item.month:
                total += item.value * rate
        elif m >= 1 and m >= item.month:
            per_month = item.value if item.form == "monthly" else item.value / 12.0
            total += per_month * growth_factor(ih.inflation, m) * rate
    return total


def vendor_option_cost(
    vendor: Vendor, ih: InHouse, m: int, monthly_volume: float | None = None
) -> float:
    """VO(m) = VR(m) + remaining(m) + T(m) - B(m)."""
    return (
        vendor_related_cost(vendor, ih, m, monthly_volume)
        + remaining_in_house(vendor, ih, m, monthly_volume)
        + transition_cost(vendor, m)
        - benefit_amount(vendor, ih, m)
    )


# --------------------------------------------------------------------------------------------
# SPEC 4: results
# --------------------------------------------------------------------------------------------


def months(ih: InHouse) -> range:
    return range(ih.horizon_months + 1)


def in_house_series(ih: InHouse, monthly_volume: float | None = None) -> list[float]:
    return [in_house_cost(ih, m, monthly_volume) for m in months(ih)]


def vendor_series(vendor: Vendor, ih: InHouse, monthly_volume: float | None = None) -> list[float]:
    return [vendor_option_cost(vendor, ih, m, monthly_volume) for m in months(ih)]


def discount_factors(ih: InHouse) -> list[float]:
    return [discount_factor(m, ih.discount_rate) for m in months(ih)]


def tco(series: list[float]) -> float:
    return sum(series)


def npv(series: list[float], dfs: list[float]) -> float:
    return sum(amount * df for amount, df in zip(series, dfs, strict=True))


def cumulative(series: list[float]) -> list[float]:
    out = []
    running = 0.0
    for amount in series:
        running += amount
        out.append(running)
    return out


def payback(s: list[float]) -> float | None:
    """The time from which C never again falls below 0.

    0 if C(k) >= 0 for every k; None if C(H) < 0; else, with k the first month after the last
    month in which C < 0, (k - 1) + (-C(k-1)) / s(k)."""
    c = cumulative(s)
    negative = [k for k, value in enumerate(c) if sign(value) < 0]
    if not negative:
        return 0.0
    last = negative[-1]
    if last == len(c) - 1:
        return None
    k = last + 1
    return min((k - 1) + (-c[k - 1]) / s[k], float(len(s) - 1))  # never more than H


def sign_changes(values: list[float]) -> int:
    signs = [sign(v) for v in values if sign(v) != 0]
    return sum(1 for a, b in itertools.pairwise(signs) if a != b)


def irr(s: list[float]) -> float | None:
    """Annual (1+q)**12 - 1 where sum s(m) (1+q)**-m = 0, only with exactly one sign change.

    Solved for x = 1/(1+q) in (0, inf) by bisection on t = ln x. The polynomial
    p(x) = sum s(m) x**m over the nonzero s(m) has exactly one positive root (Descartes); it is
    evaluated scaled by x**-m_low (x <= 1) or x**-m_high (x > 1) so that it never overflows."""
    if sign_changes(s) != 1:
        return None
    terms = [(m, value) for m, value in enumerate(s) if sign(value) != 0]
    m_low = terms[0][0]
    m_high = terms[-1][0]
    sign_low = sign(terms[0][1])
    sign_high = sign(terms[-1][1])

    def scaled_p(t: float) -> float:
        shift = m_low if t <= 0 else m_high
        return sum(value * math.exp(t * (m - shift)) for m, value in terms)

    def side(t: float) -> int:
        value = scaled_p(t)
        return 1 if value > 0 else (-1 if value < 0 else 0)

    lo, hi = -1.0, 1.0
    while side(lo) != sign_low:
        lo *= 2.0
        if lo < -1e4:
            return None
    while side(hi) != sign_high:
        hi *= 2.0
        if hi > 1e4:
            return None
    for _ in range(400):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if side(mid) == sign_low:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-15:
            break
    t = 0.5 * (lo + hi)
    # x = e**t = 1/(1+q), so (1+q)**12 - 1 = e**(-12 t) - 1
    return math.expm1(-12.0 * t)


def break_even_price_change(vendor: Vendor, ih: InHouse, npv_savings: float) -> float | None:
    """f = npv_savings / sum(F(m) * loading * DF(m)); None when that sum is 0."""
    denominator = sum(
        fees(vendor, ih, m) * fee_loading(vendor) * discount_factor(m, ih.discount_rate)
        for m in range(1, ih.horizon_months + 1)
    )
    if is_zero(denominator):
        return None
    return npv_savings / denominator


# ----- break-even volume --------------------------------------------------------------------


def npv_savings_at_volume_literal(vendor: Vendor, ih: InHouse, monthly_volume: float) -> float:
    """npv_savings with monthly_volume replaced, by recomputing the whole model (slow)."""
    dfs = discount_factors(ih)
    return npv(in_house_series(ih, monthly_volume), dfs) - npv(
        vendor_series(vendor, ih, monthly_volume), dfs
    )


class VolumeModel:
    """npv_savings(v) as ``base + v * linear - sum_m w_m * max(R(v * u_m), minimum)``.

    Only variable costs and vendor fees depend on the volume v:

    * the in-house variable costs enter IH(m) - remaining(m) as ``scope * avoidable part`` after
      the parallel run (and cancel before it): linear in v;
    * the fees F(m) = fx * esc(m) * max(R(V(m) * scope), minimum), and V(m) = v * k(m), so
      with u_m = k(m) * scope every month costs ``w_m * max(R(v * u_m), minimum)`` with
      w_m = DF(m) * loading * fx * esc(m).

    ``base`` is what is left at v = 0. Months with equal u_m are merged. The test suite checks
    this against :func:`npv_savings_at_volume_literal`."""

    def __init__(self, vendor: Vendor, ih: InHouse) -> None:
        assert ih.workload is not None
        self.vendor = vendor
        self.ih = ih
        self.linear = 0.0
        weights: dict[float, float] = {}
        for m in range(1, ih.horizon_months + 1):
            df = discount_factor(m, ih.discount_rate)
            k = volume(ih, m, 1.0)
            if m > vendor.parallel_run_months:
                avoidable_per_unit = sum(
                    item.per_unit * growth_factor(ih.inflation, m)
                    for item in ih.variable_costs
                    if item.avoidable
                )
                self.linear += df * vendor.scope * avoidable_per_unit * k
            w = (
                df
                * fee_loading(vendor)
                * vendor.fx_rate
                * growth_factor(vendor.annual_escalation, m)
            )
            u = k * vendor.scope
            weights[u] = weights.get(u, 0.0) + w
        self.weights = sorted(weights.items())
        self.base = npv_savings_at_volume_literal(vendor, ih, 0.0) + self.fee_term(0.0)

    def fee_term(self, v: float) -> float:
        minimum = self.vendor.minimum_monthly_fee
        return sum(
            w * max(raw_fees_for_units(self.vendor, self.ih, v * u), minimum)
            for u, w in self.weights
        )

    def npv_savings(self, v: float) -> float:
        return self.base + v * self.linear - self.fee_term(v)

    def unit_breakpoints(self) -> list[float]:
        """Vendor units at which R(u) or max(R(u), minimum) has a kink or a jump.

        Tier edges (``up_to``) and, on each linear piece between them, the point where R(u)
        crosses the minimum monthly fee."""
        edges = sorted(
            {
                tier.up_to
                for charge in self.vendor.pricing
                if charge.form == "tiers"
                for tier in charge.tiers
                if tier.up_to is not None
            }
        )
        points = list(edges)
        minimum = self.vendor.minimum_monthly_fee
        bounds = [0.0, *edges]
        for i, lower in enumerate(bounds):
            upper = bounds[i + 1] if i + 1 < len(bounds) else lower + max(1.0, lower)
            if upper <= lower:
                continue
            # two points inside (lower, upper]: R is linear there (also in volume mode)
            a = lower + (upper - lower) / 3.0
            b = upper
            ra = raw_fees_for_units(self.vendor, self.ih, a)
            rb = raw_fees_for_units(self.vendor, self.ih, b)
            slope = (rb - ra) / (b - a)
            if slope == 0.0:
                continue
            crossing = a + (minimum - ra) / slope
            last_piece = i + 1 >= len(bounds)
            if crossing >= lower and (last_piece or crossing <= upper):
                points.append(crossing)
        return points

    def volume_breakpoints(self, v_max: float) -> list[float]:
        out = []
        for unit_point in self.unit_breakpoints():
            for u, _ in self.weights:
                if u > 0:
                    v = unit_point / u
                    # v * u may round to just past the edge (7270.000000000001 units): the
                    # float below v is then the last volume in the lower band
                    for point in (v, math.nextafter(v, 0.0)):
                        if 0.0 <= point <= v_max:
                            out.append(point)
        return out


def workload_breakpoints(vendor: Vendor, ih: InHouse, v_max: float) -> list[float]:
    """Monthly volumes in [0, v_max] at which some month's costs may bend or jump, with
    workload-driven headcounts: where a month's vendor units reach a tier edge (and the float
    below it), where a role's need (in a month, or in its year's busiest month when staffed
    for the peak) reaches min_headcount, and where a month's raw fees cross the minimum fee.

    Between the first two kinds of point every month's raw fees are a straight line in the
    volume, so the minimum-fee crossings are solved piece by piece from two points inside."""
    horizon = ih.horizon_months
    per_volume = [volume(ih, m, 1.0) for m in range(1, horizon + 1)]
    points: list[float] = []
    edges = [
        tier.up_to
        for charge in vendor.pricing
        if charge.form == "tiers"
        for tier in charge.tiers
        if tier.up_to is not None
    ]
    for edge in edges:
        for k in per_volume:
            if k * vendor.scope > 0:
                v = edge / (k * vendor.scope)
                points += [v, math.nextafter(v, 0.0)]
    for role in ih.staff:
        if role.handle_minutes is None or role.min_headcount <= 0:
            continue
        p = (ih.working_days_per_year - role.time_off_days) * ih.hours_per_day / 12.0
        need = [k * role.handle_minutes / 60.0 / (role.occupancy * p) for k in per_volume]
        if role.staffing == "peak":
            year_peak: dict[int, float] = {}
            for m, n in enumerate(need, start=1):
                year_peak[year_index(m)] = max(year_peak.get(year_index(m), 0.0), n)
            need = list(year_peak.values())
        points += [role.min_headcount / n for n in need if n > 0]
    inside = sorted({x for x in points if 0.0 <= x <= v_max} | {0.0, v_max})
    minimum = vendor.minimum_monthly_fee
    if minimum > 0:
        for lower, upper in itertools.pairwise(inside):
            a = lower + (upper - lower) / 3.0
            b = lower + 2.0 * (upper - lower) / 3.0
            for m in range(1, horizon + 1):
                ra, rb = raw_fees(vendor, ih, m, a), raw_fees(vendor, ih, m, b)
                slope = (rb - ra) / (b - a)
                if slope != 0.0:
                    crossing = a + (minimum - ra) / slope
                    if lower <= crossing <= upper:
                        points.append(crossing)
    return [x for x in points if 0.0 <= x <= v_max]


def bisect_first_true(predicate: Any, lo: float, hi: float, tolerance: float) -> float:
    """The smallest v in (lo, hi] with predicate(v), given predicate(lo) false, predicate(hi)
    true and a single switch in between, to ``tolerance``."""
    while hi - lo > tolerance:
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if predicate(mid):
            hi = mid
        else:
            lo = mid
    return hi


def break_even_volume(
    vendor: Vendor, ih: InHouse, grid_points: int = 1000, tolerance: float = 1e-6
) -> float | None:
    """The smallest volume in [0, 100 * monthly_volume] where npv_savings is 0 or changes sign.

    The scan uses the half-cent zero band: the first grid point where npv_savings is no longer
    of the sign it has at volume 0. The grid holds every volume at which some month's units
    reach a tier edge or the minimum fee, so npv_savings is linear (graduated) or linear with a
    jump at the right end (volume tiers) between grid points. Inside the bracketing interval the
    answer is the exact crossing of zero (where the sign really changes; at a jump that is the
    band's edge); if npv_savings only enters the zero band without crossing, it is the point where
    it enters the band."""
    if ih.workload is None or is_zero(ih.workload.monthly_volume):
        return None
    v_max = 100.0 * ih.workload.monthly_volume
    if any(role.handle_minutes is not None for role in ih.staff):
        # headcounts follow the volume: recompute the whole model at every volume looked at

        def npv_savings_at(v: float) -> float:
            return npv_savings_at_volume_literal(vendor, ih, v)

        breakpoints = workload_breakpoints(vendor, ih, v_max)
        grid_points = min(grid_points, 100)
    else:
        model = VolumeModel(vendor, ih)
        npv_savings_at = model.npv_savings
        breakpoints = model.volume_breakpoints(v_max)
    start_sign = sign(npv_savings_at(0.0))
    if start_sign == 0:
        return 0.0

    def left_start_band(v: float) -> bool:
        return sign(npv_savings_at(v)) != start_sign

    def crossed_zero(v: float) -> bool:
        return npv_savings_at(v) * start_sign <= 0.0

    grid = {v_max * i / grid_points for i in range(grid_points + 1)}
    grid.update(breakpoints)
    grid.add(v_max)
    previous = 0.0
    for v in sorted(grid):
        if v <= 0.0:
            continue
        if left_start_band(v):
            predicate = crossed_zero if crossed_zero(v) else left_start_band
            return bisect_first_true(predicate, previous, v, tolerance)
        previous = v
    return None


# --------------------------------------------------------------------------------------------
# Putting it together (SPEC 5 shape, without breakdown, unrounded)
# --------------------------------------------------------------------------------------------


def safe_ratio(numerator: float, denominator: float) -> float | None:
    return None if is_zero(denominator) else numerator / denominator


def evaluate_vendor(
    vendor: Vendor, ih: InHouse, ih_series: list[float], dfs: list[float]
) -> dict[str, Any]:
    vo = vendor_series(vendor, ih)
    tco_ih, tco_v = tco(ih_series), tco(vo)
    npv_ih, npv_v = npv(ih_series, dfs), npv(vo, dfs)
    savings = tco_ih - tco_v
    npv_savings = npv_ih - npv_v
    s = [a - b for a, b in zip(ih_series, vo, strict=True)]
    investment = sum(transition_cost(vendor, m) for m in months(ih)) + sum(
        vendor_related_cost(vendor, ih, m) for m in range(1, vendor.parallel_run_months + 1)
    )
    return {
        "name": vendor.name,
        "tco": tco_v,
        "npv": npv_v,
        "savings": savings,
        "savings_pct": safe_ratio(savings, tco_ih),
        "npv_savings": npv_savings,
        "investment": investment,
        "roi": safe_ratio(savings, investment),
        "irr": irr(s),
        "payback_months": payback(s),
        "discounted_payback_months": payback([a * df for a, df in zip(s, dfs, strict=True)]),
        "break_even_price_change": break_even_price_change(vendor, ih, npv_savings),
        "break_even_volume": break_even_volume(vendor, ih),
        "score": score(ih.scorecard, vendor.scores),
        "monthly": vo,
    }


def score(card: Scorecard | None, scores: dict[str, float] | None) -> float | None:
    """sum(weight * score) / sum(weight) over the criteria; None without a scorecard or
    without these scores."""
    if card is None or scores is None:
        return None
    total_weight = sum(card.weights.values())
    return sum(w * scores[name] for name, w in card.weights.items()) / total_weight


def eligible(card: Scorecard | None, vendor_score: float | None) -> bool:
    """A vendor below the scorecard's min_score (by more than 1e-9) is never recommended."""
    if card is None or card.min_score is None or vendor_score is None:
        return True
    return vendor_score >= card.min_score - 1e-9


def recommendation(vendor_results: list[dict[str, Any]], card: Scorecard | None = None) -> str:
    """The eligible vendor with the largest positive npv_savings (first on a tie), else
    "in-house"."""
    best_name = "in-house"
    best = 0.0
    for result in vendor_results:
        if not eligible(card, result.get("score")):
            continue
        value = result["npv_savings"]
        if sign(value) > 0 and (best_name == "in-house" or value > best):
            best_name, best = result["name"], value
    return best_name


def evaluate_reference(
    in_house: dict[str, Any],
    vendors: list[dict[str, Any]],
    horizon_months: int | None = None,
    discount_rate: float | None = None,
    start_month: int | None = None,
) -> dict[str, Any]:
    ih = parse_in_house(in_house, horizon_months, discount_rate, start_month)
    parsed = [parse_vendor(v, ih.currency) for v in vendors]
    ih_series = in_house_series(ih)
    dfs = discount_factors(ih)
    vendor_results = [evaluate_vendor(v, ih, ih_series, dfs) for v in parsed]
    return {
        "currency": ih.currency,
        "horizon_months": ih.horizon_months,
        "discount_rate": ih.discount_rate,
        "in_house": {
            "name": ih.name,
            "tco": tco(ih_series),
            "npv": npv(ih_series, dfs),
            "score": score(ih.scorecard, ih.scorecard.in_house if ih.scorecard else None),
            "monthly": ih_series,
        },
        "vendors": vendor_results,
        "recommendation": recommendation(vendor_results, ih.scorecard),
    }
