"""The cost model of SPEC sections 1-4: pure arithmetic over a batch of scenarios.

Every formula of the contract lives here; the search for the break-even volume,
which re-runs these streams at other volumes, is in `breakeven.py`. Arrays have a
scenario axis S and a month axis M = H + 1 (month 0 is the signing date). A model
field holds either a plain number, shared by every scenario, or an (S, 1) array
(one value per scenario): numpy broadcasting keeps the parts that do not vary
at shape (M,), so a million-point sweep only pays for what it varies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import InputError, Problem
from ..inputs.case import Case
from ..inputs.loader import Document
from ..inputs.models import Charge, InHouse, Role, Scorecard, StaffRole, Vendor
from ..rules import IN_HOUSE, MAX_COUNT, MAX_TOTAL, as_typed, is_zero, loses, wins

Array = NDArray[np.float64]

ALL_METRICS = frozenset(
    {"irr", "break_even_volume", "breakdown", "monthly", "discounted_payback_months"}
)


# --------------------------------------------------------------------------- time


@dataclass
class Timeline:
    """The months 0..H and what depends only on them (and on the discount rate)."""

    horizon: int
    month: NDArray[np.int64]  # 0..H
    year: NDArray[np.int64]  # y(m)
    running: Array  # 0 in month 0, 1 after: recurring costs start in month 1
    discount: Any  # DF(m), (M,) or (S, M)
    calendar: Any  # c(m), (M,) or (S, M) ints
    _steps: dict[float, Array] = field(default_factory=dict)

    @classmethod
    def build(cls, horizon: int, discount_rate: Any, start_month: Any) -> Timeline:
        month = np.arange(horizon + 1)
        year = np.where(month >= 1, (month - 1) // 12, 0)
        # one rate is a 1-element array, not a number: numpy raises a number to a power
        # by another routine than an array, which differs in the last bit for some rates
        # (3.5% of them), and a scenario evaluated alone must match its sweep row
        rate = np.atleast_1d(np.asarray(discount_rate, dtype=float))
        monthly_rate = (1 + rate) ** (1 / 12) - 1
        discount = (1 + monthly_rate) ** -month.astype(float)
        # a start month that varies arrives as validated floats: it indexes the calendar
        start = np.rint(np.asarray(start_month)).astype(np.int64)
        calendar = (start - 1 + month - 1) % 12
        running = (month >= 1).astype(float)
        return cls(horizon, month, year, running, discount, calendar)

    def step(self, rate: Any) -> Any:
        """(1 + rate) ** y(m) in months 1..H, 0 in month 0: the yearly growth staircase."""
        if isinstance(rate, np.ndarray):
            return (1 + rate) ** self.year * self.running
        key = float(rate)
        if key not in self._steps:
            self._steps[key] = (1 + key) ** self.year * self.running
        return self._steps[key]

    def at(self, month: Any) -> Any:
        """1.0 in the given month (0..H), else 0: where a one-time item falls."""
        if isinstance(month, np.ndarray):
            return (self.month == month).astype(float)
        return (self.month == int(month)).astype(float)

    def discounted(self, stream: Any) -> Any:
        """Sum of stream(m) * DF(m) over the months: NPV of a stream, each scenario's
        row by row (einsum, not BLAS, whose matrix product rounds a row by where it lies
        in its batch): a point's results, to the last bit, never depend on the points
        evaluated beside it, so a shard's rows are the unsharded run's."""
        return np.einsum("...m,...m->...", stream, self.discount)


def _sum(stream: Any) -> Any:
    """Sum over the month axis, whatever the stream's shape."""
    return np.sum(stream, axis=-1)


# ------------------------------------------------------------------- in-house


@dataclass
class StaffCost:
    """Monthly salaries, benefits and hiring of a group of roles, before their growth.

    Each is a number (every headcount fixed) or a month-by-month array (some headcount
    follows the workload): heads times pay, summed over the roles.
    """

    salaries: Any = 0.0
    benefits: Any = 0.0
    hiring: Any = 0.0
    paid_time_off: Any = 0.0
    rises: Any = 0.0  # the part of hiring that staffs every rise in headcount

    @classmethod
    def of(cls, roles: Sequence[Role], heads: list[Any], working_days: Any = None) -> StaffCost:
        """`heads[i]`: hc(m) of roles[i], a number or an array over the months."""
        out = cls()
        for r, hc in zip(roles, heads, strict=True):
            salaries = hc * r.annual_salary / 12
            benefits = hc * (r.annual_salary * r.benefits_rate + r.benefits_per_head_annual) / 12
            out.salaries = out.salaries + salaries
            out.benefits = out.benefits + benefits
            out.hiring = out.hiring + hc * r.attrition_rate / 12 * r.cost_per_hire
            if isinstance(hc, np.ndarray):
                rises = rise(hc) * r.cost_per_hire
                out.rises = out.rises + rises
                out.hiring = out.hiring + rises
            if working_days is not None:
                out.paid_time_off = out.paid_time_off + (salaries + benefits) * (
                    r.time_off_days / working_days
                )
        return out

    @classmethod
    def fixed(cls, roles: list[Role]) -> StaffCost:
        """Roles with a fixed headcount (a vendor's retained staff)."""
        return cls.of(roles, [r.headcount for r in roles])

    def streams(self, t: Timeline, salary_growth: Any, inflation: Any) -> dict[str, Any]:
        wage = t.step(salary_growth)
        return {
            "salaries": self.salaries * wage,
            "benefits": self.benefits * wage,
            "hiring": self.hiring * t.step(inflation),
            "paid_time_off": self.paid_time_off * wage,
        }

    def total(self, t: Timeline, salary_growth: Any, inflation: Any) -> Any:
        return (self.salaries + self.benefits) * t.step(salary_growth) + self.hiring * t.step(
            inflation
        )


def rise(hc: Array) -> Array:
    """max(0, hc(m) - hc(m-1)) for each month (0 in month 0, where hc(0) = hc(1) anyway)."""
    out = np.zeros(np.shape(hc))
    out[..., 1:] = np.maximum(hc[..., 1:] - hc[..., :-1], 0.0)
    return out


def productive_hours_per_head(ih: InHouse, role: Role) -> Any:
    """p: the productive hours of one FTE of `role` in a month (time off is not productive)."""
    calendar = ih.calendar
    return (calendar.working_days_per_year - role.time_off_days) * calendar.hours_per_day / 12


def headcount(ih: InHouse, role: StaffRole, t: Timeline, v: Any) -> Any:
    """hc(m) of a role (SPEC section 2): its fixed headcount, or the team the workload needs.

    The need is N(m) = V(m) * handle_minutes / 60 / (occupancy * p); `staffing: month`
    follows it month by month, `peak` holds each year at that year's busiest month; never
    below min_headcount. hc(0) = hc(1): the team of month 1 exists at signing.
    """
    need = workload_need(ih, role, t, v)
    if need is None:
        return role.headcount
    assert role.min_headcount is not None  # validated: a workload-driven role has one
    if role.staffing == "peak":
        need = yearly_peak(need)
    hc = np.maximum(need, role.min_headcount)
    hc[..., 0] = hc[..., 1]
    return hc


def workload_need(ih: InHouse, role: StaffRole, t: Timeline, v: Any) -> Any:
    """N(m) = V(m) * handle_minutes / 60 / (occupancy * p), months 0..H; None for a role
    with a fixed headcount."""
    if role.handle_minutes is None:
        return None
    assert role.occupancy is not None  # validated: its default when the file leaves it out
    p = productive_hours_per_head(ih, role)
    need = np.asarray(v * role.handle_minutes / 60 / (role.occupancy * p), dtype=float)
    return np.broadcast_to(need, np.broadcast_shapes(need.shape, (t.horizon + 1,)))


def yearly_peak(monthly: Array) -> Array:
    """Each month's value replaced by the largest of its year (months 1..H; month 0 kept)."""
    horizon = monthly.shape[-1] - 1
    years = -(-horizon // 12)
    padded = np.zeros((*monthly.shape[:-1], years * 12))
    padded[..., :horizon] = monthly[..., 1:]
    peak = padded.reshape(*monthly.shape[:-1], years, 12).max(axis=-1)
    out = np.array(monthly, dtype=float)
    out[..., 1:] = np.repeat(peak, 12, axis=-1)[..., :horizon]
    return out


def volume(ih: InHouse, t: Timeline) -> Any:
    """V(m): the workload in each month (0 in month 0 and without a workload)."""
    w = ih.workload
    if w is None:
        return 0.0
    season = _seasonal(w.seasonality, t.calendar)
    return w.monthly_volume * season * t.step(w.growth_rate)


def _seasonal(factors: list[Any], calendar: Any) -> Any:
    if not any(isinstance(f, np.ndarray) for f in factors):
        return np.asarray(factors, dtype=float)[calendar]
    table = np.concatenate(np.broadcast_arrays(*[np.asarray(f, float) for f in factors]), axis=-1)
    return np.take_along_axis(
        table, np.broadcast_to(calendar, (table.shape[0], calendar.shape[-1])), axis=-1
    )


@dataclass
class InHouseStreams:
    total: Any  # IH(m)
    avoidable: Any  # the part that stops when the work leaves
    volume: Any  # V(m)
    productive_hours: Any  # P(m): a number when every headcount is fixed, else per month
    headcounts: list[Any] = field(default_factory=list)  # hc(m) of each role, in file order
    needs: list[Any] = field(default_factory=list)  # N(m) of each role (None: fixed headcount)
    parts: dict[str, Any] = field(default_factory=dict)  # breakdown, when asked for
    flexing: Any = 0.0  # with the breakdown: hiring on rises in headcount, inside hiring


def in_house_streams(ih: InHouse, t: Timeline, detail: bool = False) -> InHouseStreams:
    """IH(m) and its avoidable part (SPEC section 2); with `detail`, each component too.

    Costs that grow alike are summed as coefficients first (a number, or one per
    scenario) and multiplied by their growth staircase once: a batch pays for
    one (S, M) product per growth rate, not one per role or overhead. A role whose
    headcount follows the workload brings its month-by-month headcount in.
    """
    g, infl = ih.salary_growth, ih.inflation
    v = volume(ih, t)
    roles = list(ih.staff)
    heads = [headcount(ih, r, t, v) for r in roles]
    # paid time off is inside benefits: worked out only for the breakdown
    staff = StaffCost.of(roles, heads, ih.calendar.working_days_per_year if detail else None)
    avoidable_roles = [(r, h) for r, h in zip(roles, heads, strict=True) if r.avoidable]
    kept = (  # the same sums when every role is avoidable, as roles usually are
        staff
        if len(avoidable_roles) == len(roles)
        else StaffCost.of([r for r, _ in avoidable_roles], [h for _, h in avoidable_roles])
    )
    total_heads = sum(heads, 0.0)  # total_headcount(m)
    overhead: Any = 0.0
    overhead_avoidable: Any = 0.0
    for o in ih.overheads:
        amount = _overhead_monthly(o.monthly, o.annual, o.per_head_monthly, total_heads)
        overhead = overhead + amount
        if o.avoidable:
            overhead_avoidable = overhead_avoidable + amount
    per_unit = sum((c.per_unit for c in ih.variable_costs), 0.0)
    per_unit_avoidable = sum((c.per_unit for c in ih.variable_costs if c.avoidable), 0.0)
    one_time: Any = 0.0
    one_time_avoidable: Any = 0.0
    for item in ih.one_time:
        stream = item.amount * t.at(item.month)
        one_time = one_time + stream
        if item.avoidable:
            one_time_avoidable = one_time_avoidable + stream

    wage, price = t.step(g), t.step(infl)
    unit_cost = v * price if ih.variable_costs else 0.0

    def grow(on_wages: Any, on_prices: Any, on_units: Any, once: Any) -> Any:
        return _add([once, on_units * unit_cost, on_prices * price, on_wages * wage])

    total = grow(staff.salaries + staff.benefits, staff.hiring + overhead, per_unit, one_time)
    avoidable = grow(
        kept.salaries + kept.benefits,
        kept.hiring + overhead_avoidable,
        per_unit_avoidable,
        one_time_avoidable,
    )
    days = ih.calendar.working_days_per_year
    hours = sum((hc * (days - r.time_off_days) for r, hc in zip(roles, heads, strict=True)), 0.0)
    result = InHouseStreams(total, avoidable, v, hours * ih.calendar.hours_per_day / 12, heads)
    if detail:
        result.parts = {
            "salaries": staff.salaries * wage,
            "benefits": staff.benefits * wage,
            "paid_time_off": staff.paid_time_off * wage,
            "hiring": staff.hiring * price,
            "overheads": overhead * price,
            "variable": per_unit * unit_cost,
            "one_time": one_time * np.ones(t.horizon + 1),
        }
        # not a part of the breakdown (it is inside hiring): what flexing the team costs
        result.flexing = staff.rises * price
        result.needs = [workload_need(ih, r, t, v) for r in roles]
    return result


def _overhead_monthly(monthly: Any, annual: Any, per_head: Any, heads: Any) -> Any:
    if monthly is not None:
        return monthly
    if annual is not None:
        return annual / 12
    return per_head * heads


def _add(terms: Any) -> Any:
    """Sum the terms in the order given, leaving out those that are the number 0.

    The order never depends on the terms' shapes (on which inputs vary), so a
    scenario's sum is the same bits in a batch of any size as evaluated alone: a sweep
    row is `compare --set` at that point, to the last bit. Callers write the terms that
    are usually the same in every scenario first, so broadcasting does the least work.
    """
    total: Any = 0.0
    for term in terms:
        if not _is_zero_number(term):
            total = total + term
    return total


# --------------------------------------------------------------------- vendor


@dataclass
class VendorStreams:
    total: Any  # VO(m)
    fees: Any  # F(m), in the analysis currency
    related: Any  # VR(m)
    transition: Any  # T(m)
    parts: dict[str, Any] = field(default_factory=dict)  # breakdown, when asked for


def raw_fees(vendor: Vendor, v: Any, productive_hours: Any, t: Timeline) -> Any:
    """R(m): the sum of the quote's charges, in the quote's currency (month 0 is 0)."""
    fixed: Any = 0.0
    per_unit: Any = 0.0
    tiered: list[Any] = []
    units = v * vendor.scope
    for c in vendor.pricing:
        if c.monthly is not None:
            fixed = fixed + c.monthly
        elif c.per_fte_month is not None:
            assert c.fte is not None  # validated: per_fte_month comes with fte
            fixed = fixed + c.per_fte_month * c.fte
        elif c.per_hour is not None:
            hours = (
                productive_hours * vendor.scope if c.hours_per_month is None else c.hours_per_month
            )
            fixed = fixed + c.per_hour * hours
        elif c.per_unit is not None:
            per_unit = per_unit + c.per_unit
        else:
            tiered.append(tier_fees(c, units))
    return _add([*tiered, per_unit * units, fixed * t.running])


def tier_fees(charge: Charge, units: Any) -> Any:
    """Fees of a tiered charge on `units` per month (graduated or volume mode)."""
    tiers = charge.tiers or []
    if charge.tier_mode == "volume":
        # every unit at the rate of the band that contains the month's total
        rate: Any = tiers[-1].per_unit
        for tier in reversed(tiers[:-1]):
            rate = np.where(units <= tier.up_to, tier.per_unit, rate)
        return rate * units
    total: Any = 0.0
    lower: Any = 0.0
    for tier in tiers:
        if tier.up_to is None:
            band = np.maximum(units - lower, 0.0)
        else:
            band = np.clip(units - lower, 0.0, np.maximum(tier.up_to - lower, 0.0))
            lower = tier.up_to
        total = total + tier.per_unit * band
    return total


def vendor_streams(
    vendor: Vendor, ih: InHouse, base: InHouseStreams, t: Timeline, case: Case, detail: bool = False
) -> VendorStreams:
    """VO(m) and its components (SPEC section 3)."""
    fx = case.fx_rate(vendor)
    raw = raw_fees(vendor, base.volume, base.productive_hours, t)
    minimum = vendor.minimum_monthly_fee
    billed = raw if _is_zero_number(minimum) else np.maximum(raw, minimum)
    fees = (fx * billed) * t.step(vendor.annual_escalation)

    retained = StaffCost.fixed(list(vendor.retained_staff)).total(t, ih.salary_growth, ih.inflation)
    related = _add([retained, fees * vendor.cost_factor])

    parallel = vendor.transition.parallel_run_months
    moved = vendor.scope * base.avoidable * (t.month > np.asarray(parallel))
    remaining = base.total - moved

    transition: Any = 0.0
    for item in vendor.transition.costs:
        # validated: an item is in the analysis currency or in the quote's
        rate = fx if item.currency not in (None, ih.currency) else 1.0
        transition = transition + rate * item.amount * t.at(item.month)

    gained = benefits(vendor, ih, t, fx)
    total = _add([transition, -gained, related, remaining])
    result = VendorStreams(total, fees, related, transition * np.ones(t.horizon + 1))
    if detail:
        ones = np.ones(t.horizon + 1)
        result.parts = {
            "fees": fees,
            "sla_credits": -fees * vendor.sla_credit_rate,
            "governance": fees * vendor.governance_rate,
            "risk_reserve": fees * vendor.risk_contingency_rate,
            "retained_staff": retained * ones,
            "remaining_in_house": remaining,
            "transition": transition * ones,
        }
        if vendor.benefits:
            result.parts["benefits"] = -gained * ones
    return result


def benefits(vendor: Vendor, ih: InHouse, t: Timeline, fx: Any) -> Any:
    """B(m): what the switch frees or brings in (SPEC section 3), in the analysis currency.

    A monthly or annual item from its from_month on (default: the month after the
    parallel run), escalated by inflation; an amount in its month, never escalated.
    """
    price = t.step(ih.inflation)
    parallel = vendor.transition.parallel_run_months
    total: Any = 0.0
    for item in vendor.benefits:
        # validated: an item is in the analysis currency or in the quote's
        rate = fx if item.currency not in (None, ih.currency) else 1.0
        if item.amount is not None:
            month = 0 if item.month is None else item.month
            total = total + rate * item.amount * t.at(month)
            continue
        if item.monthly is not None:
            per_month = item.monthly
        else:
            assert item.annual is not None  # validated: one of the three is given
            per_month = item.annual / 12
        start = np.asarray(parallel) + 1 if item.from_month is None else np.asarray(item.from_month)
        total = total + rate * per_month * price * (t.month >= start)
    return total


def _is_zero_number(x: Any) -> bool:
    return not isinstance(x, np.ndarray) and float(x) == 0.0


# -------------------------------------------------------------------- results


@dataclass
class VendorResult:
    """Results of SPEC section 4 for one vendor, one value per scenario (NaN = null)."""

    name: str
    tco: Array
    npv: Array
    savings: Array
    savings_pct: Array
    npv_savings: Array
    investment: Array
    roi: Array
    irr: Array
    payback_months: Array
    discounted_payback_months: Array
    break_even_price_change: Array
    break_even_volume: Array
    score: Array  # NaN without a scorecard
    monthly: Array | None = None  # (S, M)
    breakdown: dict[str, Array] | None = None
    # with the monthly streams: s(m) = IH(m) - VO(m) and C(k) = s(0) + ... + s(k), (S, M)
    monthly_savings: Array | None = None
    cumulative_savings: Array | None = None


@dataclass
class InHouseResult:
    name: str
    tco: Array
    npv: Array
    score: Array  # NaN without a scorecard or without in-house scores
    monthly: Array | None = None
    breakdown: dict[str, Array] | None = None
    cost_per_productive_hour: Array | None = None
    # with the breakdown: hc(m) of each role (S, M), in file order, and what hiring on
    # every rise in headcount costs over the horizon (inside hiring)
    headcounts: list[Array] | None = None
    flexing: Array | None = None
    needs: list[Array | None] | None = None  # N(m) of each role (S, M); None: fixed headcount


@dataclass
class Evaluation:
    """Everything the engine computed for a batch of S scenarios."""

    case: Case
    in_house: InHouseResult
    vendors: list[VendorResult]
    best: NDArray[np.int64]  # per scenario: index of the recommended vendor, -1 = in house

    def recommendation(self, i: int = 0) -> str:
        best = int(self.best[i])
        return IN_HOUSE if best < 0 else self.vendors[best].name


RESULT_KEYS = (
    "tco",
    "npv",
    "savings",
    "savings_pct",
    "npv_savings",
    "investment",
    "roi",
    "irr",
    "payback_months",
    "discounted_payback_months",
    "break_even_price_change",
    "break_even_volume",
)
# what --fail-if can test: every result above, and the scorecard's score
GATE_KEYS = (*RESULT_KEYS, "score")
ELIGIBLE_SLACK = 1e-9  # a score this close below min_score still passes (SPEC section 4)


def evaluate_batch(
    case: Case, metrics: frozenset[str] = ALL_METRICS, *, hypothetical: bool = False
) -> Evaluation:
    """Evaluate every vendor against the in-house baseline for each scenario of `case`.

    `metrics` names the costly extras to compute: "irr", "break_even_volume",
    "discounted_payback_months", "breakdown" and "monthly" (the month-by-month
    streams). What is not asked for comes back as NaN.

    Every input is bounded, but a team sized by the workload is derived: a tiny
    occupancy can make it larger than any operation. Such a case is refused (InputError)
    rather than answered with infinities, and numpy's overflow warnings stay silent.
    `hypothetical`: the scenarios are points a search tries (sensitivity's flip values),
    not answers; there an absurd point is only a point without a flip.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = _evaluate_batch(case, metrics, hypothetical)
    totals = [result.in_house.tco, *(v.tco for v in result.vendors)]
    # NaN fails the test too; above MAX_TOTAL the totals would not be exact to the cent
    within = [np.broadcast_to(np.abs(t) <= MAX_TOTAL, (case.size,)) for t in totals]
    exact = np.logical_and.reduce(within)
    if not hypothetical and not exact.all():
        first = int(np.flatnonzero(~exact)[0])
        # the file whose total it is: a vendor's fee of 1e13 is not the in-house file's
        at_fault = next(i for i, rows in enumerate(within) if not rows[first])
        doc = ([case.in_house_doc, *case.vendor_docs] + [None] * len(totals))[at_fault]
        raise BeyondAnyOperation(_beyond_any_operation(case, heads=False, doc=doc), first)
    return result


class BeyondAnyOperation(InputError):
    """A case beyond any real operation; `scenario` is the first row of the batch at fault,
    for a caller that can say which point or trial it was. It pickles as an InputError."""

    def __init__(self, problem: Problem, scenario: int) -> None:
        super().__init__([problem])
        self.scenario = scenario

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem]]]:
        return InputError, (self.problems,)


def _beyond_any_operation(case: Case, heads: bool = True, doc: Document | None = None) -> Problem:
    """Which inputs to look at when a team sized by the workload is larger than any real
    operation (more than MAX_COUNT heads: `heads`), or the totals are beyond MAX_TOTAL
    (in `doc`'s total, else the in-house file's). The inputs set on the command line,
    the likelier cause, are named with the file."""
    doc = doc if doc is not None else case.in_house_doc
    source = doc.path if doc is not None else "in-house file"
    if case.overrides:
        source += " with --set " + ", ".join(f"{p}={as_typed(v)}" for p, v in case.overrides)
    sized = [r.role for r in case.in_house.staff if r.handle_minutes is not None]
    if not heads:
        return Problem(
            source,
            f"the costs come to more than {MAX_TOTAL:,.0f} over the horizon, beyond which "
            "a total cannot be kept to the cent; check the amounts, the growth rates and "
            "horizon_months",
        )
    if sized:
        return Problem(
            source,
            f"the team that {', '.join(sized)} needs comes to more than {MAX_COUNT:,.0f} "
            "FTE, beyond any real operation; check handle_minutes, occupancy and "
            "monthly_volume",
            "staff",
        )
    return Problem(source, "the costs come to more than any number can hold; check the inputs")


def _evaluate_batch(case: Case, metrics: frozenset[str], hypothetical: bool) -> Evaluation:
    S = case.size
    detail = "breakdown" in metrics
    t = Timeline.build(case.horizon_months, case.discount_rate, case.start_month)
    ih = case.in_house
    base = in_house_streams(ih, t, detail)
    beyond = [np.any(np.atleast_2d(heads) > MAX_COUNT, axis=-1) for heads in base.headcounts]
    if any(rows.any() for rows in beyond) and not hypothetical:
        first = min(int(np.flatnonzero(rows)[0]) for rows in beyond if rows.any())
        raise BeyondAnyOperation(_beyond_any_operation(case), first)
    shape = (S, t.horizon + 1)
    ih_total = np.broadcast_to(base.total, shape)
    ih_tco = _sum(ih_total) * np.ones(S)
    ih_npv = t.discounted(ih_total) * np.ones(S)

    vendors = [
        _vendor_result(
            vendor,
            vendor_streams(vendor, ih, base, t, case, detail),
            ih_total,
            ih_tco,
            ih_npv,
            t,
            case,
            metrics,
        )
        for vendor in case.vendors
    ]
    card = ih.scorecard
    in_house_scores = None if card is None else card.in_house
    in_house = InHouseResult(ih.name, ih_tco, ih_npv, score(card, in_house_scores, S))
    if "monthly" in metrics:
        in_house.monthly = np.array(ih_total)
    if detail:
        in_house.breakdown = {k: _sum(np.broadcast_to(v, shape)) for k, v in base.parts.items()}
        # fully loaded cost per productive hour, over the first year (or the horizon)
        months = min(12, t.horizon)
        recurring = (ih_total - base.parts["one_time"])[:, 1 : months + 1].sum(axis=1)
        hours = np.broadcast_to(base.productive_hours, shape)[:, 1 : months + 1].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            in_house.cost_per_productive_hour = np.where(hours > 0, recurring / hours, np.nan)
        in_house.headcounts = [np.array(np.broadcast_to(hc, shape)) for hc in base.headcounts]
        in_house.flexing = _sum(np.broadcast_to(base.flexing, shape)) * np.ones(S)
        in_house.needs = [
            None if n is None else np.array(np.broadcast_to(n, shape)) for n in base.needs
        ]
    eligible = [eligible_by_score(card, v.score) for v in vendors]
    return Evaluation(case, in_house, vendors, recommend(vendors, S, eligible))


def score(card: Scorecard | None, scores: dict[str, Any] | None, size: int) -> Array:
    """sum(weight * score) / sum(weight) over the criteria, per scenario; NaN (null)
    without a scorecard or without these scores."""
    if card is None or scores is None:
        return np.full(size, np.nan)
    weighted: Any = 0.0
    weights: Any = 0.0
    for criterion in card.criteria:
        weighted = weighted + criterion.weight * scores[criterion.name]
        weights = weights + criterion.weight
    return np.reshape(weighted / weights, -1) * np.ones(size)


def eligible_by_score(card: Scorecard | None, scores: Array) -> Array:
    """Per scenario: may this vendor be recommended? Not when its score is below the
    scorecard's min_score by more than ELIGIBLE_SLACK."""
    if card is None or card.min_score is None:
        return np.ones(len(scores), dtype=bool)
    floor = np.reshape(card.min_score, -1)
    return np.asarray(scores >= floor - ELIGIBLE_SLACK)


def _vendor_result(
    vendor: Vendor,
    vs: VendorStreams,
    ih_total: Array,
    ih_tco: Array,
    ih_npv: Array,
    t: Timeline,
    case: Case,
    metrics: frozenset[str],
) -> VendorResult:
    S, M = ih_total.shape
    total = np.broadcast_to(vs.total, (S, M))
    savings_m = ih_total - total
    tco = _sum(total) * np.ones(S)
    npv = t.discounted(total) * np.ones(S)
    savings = ih_tco - tco
    npv_savings = ih_npv - npv
    parallel = vendor.transition.parallel_run_months
    if isinstance(parallel, np.ndarray):
        in_parallel = (t.month >= 1) & (t.month <= parallel)
        during = _sum(vs.related * in_parallel)
    else:
        during = _sum(np.asarray(vs.related)[..., 1 : int(parallel) + 1])
    investment = (_sum(vs.transition) + during) * np.ones(S)
    # cost_factor is a number or an (S, 1) column: flatten it to match the (S,) NPVs
    fee_npv = t.discounted(vs.fees) * np.reshape(vendor.cost_factor, -1) * np.ones(S)
    with np.errstate(divide="ignore", invalid="ignore"):
        savings_pct = np.where(is_zero(ih_tco), np.nan, savings / ih_tco)
        roi = np.where(is_zero(investment), np.nan, savings / investment)
        price_change = np.where(is_zero(fee_npv), np.nan, npv_savings / fee_npv)

    nothing = np.full(S, np.nan)
    result = VendorResult(
        name=vendor.name,
        tco=tco,
        npv=npv,
        savings=savings,
        savings_pct=savings_pct,
        npv_savings=npv_savings,
        investment=investment,
        roi=roi,
        irr=irr(savings_m) if "irr" in metrics else nothing,
        payback_months=payback(savings_m),
        discounted_payback_months=(
            payback(savings_m * t.discount) if "discounted_payback_months" in metrics else nothing
        ),
        break_even_price_change=price_change.reshape(S),
        break_even_volume=nothing,
        score=score(case.in_house.scorecard, vendor.scores, S),
    )
    if "monthly" in metrics:
        result.monthly = np.array(total)
        result.monthly_savings = np.array(savings_m)
        result.cumulative_savings = np.cumsum(savings_m, axis=1)
    if "breakdown" in metrics:
        result.breakdown = {k: _sum(np.broadcast_to(v, (S, M))) for k, v in vs.parts.items()}
    if "break_even_volume" in metrics:
        # break-even volume re-runs this module's streams at other volumes: imported here
        from .breakeven import break_even_volumes

        index = case.vendors.index(vendor)
        result.break_even_volume = break_even_volumes(case, index, savings_m)
    return result


def recommend(
    vendors: list[VendorResult], size: int, eligible: list[Array] | None = None
) -> NDArray[np.int64]:
    """Per scenario: the vendor with the largest positive npv_savings (the first on a tie)
    among the eligible ones (`eligible[i]`, per scenario; all by default), as an index into
    `vendors`; -1 when none saves money (keep it in house)."""
    if not vendors:
        return np.full(size, -1)
    npv = np.stack([v.npv_savings for v in vendors])
    allowed = np.ones(npv.shape, dtype=bool) if eligible is None else np.stack(eligible)
    npv = np.where(wins(npv) & allowed, npv, -np.inf)
    best = np.argmax(npv, axis=0)
    return np.where(np.isfinite(npv.max(axis=0)), best, -1)


# ------------------------------------------------------------ payback and IRR


def payback(savings: Array) -> Array:
    """Month from which cumulative savings never again fall below 0 (SPEC section 4).

    0 if they never do; NaN (null) if they are still below 0 at the horizon; else
    the last month k-1 with C < 0 plus the share of month k that recovers it.
    """
    cumulative = _running_total(savings)
    below = loses(cumulative)
    S, M = savings.shape
    last = M - 1 - np.argmax(below[:, ::-1], axis=1)
    rows = np.arange(S)
    nxt = np.minimum(last + 1, M - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        part = -cumulative[rows, last] / savings[rows, nxt]
    value = np.minimum(last + part, M - 1)  # never more than the horizon H
    value = np.where(below[:, -1], np.nan, value)
    return np.where(below.any(axis=1), value, 0.0)


def _running_total(savings: Array) -> Array:
    """`np.cumsum(savings, axis=1)`, the same additions in the same order, a month at a
    time over every scenario: numpy's cumsum runs along each scenario's short row, which
    takes three times as long over 37 months."""
    total = np.array(savings, dtype=float)
    for month in range(1, total.shape[1]):
        np.add(total[:, month - 1], total[:, month], out=total[:, month])
    return total


def sign_changes(savings: Array) -> NDArray[np.int64]:
    """How often the sign flips along the nonzero (>= half a cent) monthly savings."""
    sign = np.where(is_zero(savings), 0, np.sign(savings)).astype(np.int8)
    S, M = sign.shape
    index = np.where(sign != 0, np.arange(M), -1)
    last_seen = np.maximum.accumulate(index, axis=1)
    prev = np.concatenate([np.full((S, 1), -1), last_seen[:, :-1]], axis=1)
    prev_sign = np.where(prev >= 0, np.take_along_axis(sign, np.maximum(prev, 0), axis=1), 0)
    flips = (sign != 0) & (prev_sign != 0) & (sign != prev_sign)
    return np.asarray(flips.sum(axis=1), dtype=np.int64)


def irr(savings: Array) -> Array:
    """Annual IRR where the nonzero savings change sign exactly once, else NaN.

    Solves sum s(m) x**m = 0 for x = 1/(1+q) > 0. With one sign change there is
    exactly one positive root (Descartes). Halley's method on v = -|log x| (`_log_root`)
    starts from the root of the savings taken as two spread-out amounts (`_first_guess`),
    kept inside a bracket that every step shrinks (a bisection where a step would leave
    it), each step on the scenarios not yet converged: two to four (Newton took five to
    seven). The last step, below 1e-6 / M**2, is taken too; Halley's error after it is
    below its cube times M**4, so the root is exact to rounding whatever the start.
    """
    out = np.full(len(savings), np.nan)
    ok, u = _irr_log_root(savings)
    # x = exp(u) = 1 / (1 + q): annual rate (1 + q) ** 12 - 1
    out[ok] = np.expm1(-12 * u)
    return out


def monthly_irr(savings: Array) -> Array:
    """The monthly rate q behind `irr` (NaN where it is null). It stays exact where the
    annual rate rounds to -100%, so a spreadsheet's IRR can start from it."""
    out = np.full(len(savings), np.nan)
    ok, u = _irr_log_root(savings)
    out[ok] = np.expm1(-u)
    return out


def _irr_log_root(savings: Array) -> tuple[NDArray[np.bool_], Array]:
    """The scenarios with exactly one sign change, and the root u = log x of each."""
    nonzero = np.where(is_zero(savings), 0.0, savings)
    ok = _one_sign_change(nonzero)
    if not ok.any():
        return ok, np.empty(0)
    # `nonzero` is ours: `_log_root` may rewrite it
    return ok, _log_root(nonzero if ok.all() else nonzero[ok])


def _one_sign_change(s: Array) -> NDArray[np.bool_]:
    """`sign_changes(s) == 1` for savings whose amounts below half a cent are 0: both signs
    occur, and every amount of one sign comes before every amount of the other. Four
    argmax over the months, where counting the flips takes a running maximum."""
    M = s.shape[1]
    gain, loss = s > 0, s < 0
    first_gain, first_loss = np.argmax(gain, axis=1), np.argmax(loss, axis=1)
    last_gain = M - 1 - np.argmax(gain[:, ::-1], axis=1)
    last_loss = M - 1 - np.argmax(loss[:, ::-1], axis=1)
    both = gain.any(axis=1) & loss.any(axis=1)
    return np.asarray(both & ((last_loss < first_gain) | (last_gain < first_loss)))


_U_BOUND = 30.0  # |log x| at most 30: an annual IRR beyond e**360 - 1 is no answer


def _log_root(s: Array) -> Array:
    """The root u = log x of sum s(m) x**m for each row of `s` (one sign change each;
    `s` is rewritten).

    The sum at u = 0 tells on which side of 0 the root lies. Each row then becomes a
    polynomial in z = exp(-|u|) <= 1 whose constant term is the saving of its reference
    month: the first nonzero one where u <= 0, the last where u > 0 (`_from_reference`,
    the sum divided by x**month, same root). So no power overflows, none that matters
    underflows, and the bracket is v = -|u| in [-30, 0], v = 0 being a known end.
    Halley's method on g(v) = sum c(j) exp(v j): g, g' and g'' come from the same powers,
    and each step about cubes the error (Newton's squares it).

    Each row's answer depends on that row alone, to the last bit, so that a scenario
    gets the same IRR in any batch, chunk or shard.
    """
    S, M = s.shape
    rows = np.arange(S)
    first = np.argmax(s != 0, axis=1)
    at_zero = np.einsum("ij->i", s)  # the sum at u = 0 (x = 1)
    # far below 0 the sum has the first saving's sign: where it still has it at 0, the one
    # root is above 0
    above = np.sign(at_zero) == np.sign(s[rows, first])
    c = _from_reference(s, first, above)
    j = np.arange(M, dtype=float)
    powers = np.empty_like(c)  # one work array for every step
    v = _first_guess(c, j, powers)
    lo, hi = np.full(S, -_U_BOUND), np.zeros(S)
    low_sign = np.sign(c[:, 0])  # the sign of g at v = -30
    v[at_zero == 0] = 0.0  # the root is 0
    active = np.flatnonzero(at_zero != 0)
    a_c = c if len(active) == S else c[active]
    # a Halley step this small is the last: the error left is below M**4 times its cube
    last_step = 1e-6 / M**2
    for _ in range(200):
        if not len(active):
            break
        a_v, a_e = v[active], powers[: len(active)]
        np.multiply.outer(a_v, j, out=a_e)
        np.exp(a_e, out=a_e)
        a_e *= a_c
        g, slope, bend = _moments(a_e, j)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            denominator = 2 * slope * slope - g * bend
            newton = slope != 0
            halley = newton & (denominator > 0)  # else Newton's step, or a bisection
            step = np.where(halley, 2 * g * slope / denominator, np.where(newton, g / slope, 0))
        below = np.sign(g) == low_sign[active]  # the root lies above a_v
        a_lo = np.where(below, a_v, lo[active])
        a_hi = np.where(below, hi[active], a_v)
        candidate = a_v - step
        done = (halley & (np.abs(step) <= last_step)) | (g == 0)
        inside = (candidate > a_lo) & (candidate < a_hi)
        # converged: the last step lands on the root to rounding
        new = np.where(done | inside, candidate, (a_lo + a_hi) / 2)
        lo[active], hi[active], v[active] = a_lo, a_hi, new
        going = ~done & (a_hi - a_lo > 1e-15)
        if not going.all():
            active, a_c = active[going], a_c[going]
    return np.where(above, -v, v)


def _from_reference(s: Array, first: NDArray[np.int64], above: NDArray[np.bool_]) -> Array:
    """Each row's savings from its reference month on, padded with zeros: forward from
    the first nonzero one, or where `above`, backward from the last. Rows that already
    start at month 0 and run forward stay where they are (in `s`, which is rewritten)."""
    M = s.shape[1]
    moved = np.flatnonzero(above | (first > 0))
    part = s[moved]
    back = above[moved]
    part[back] = part[back, ::-1]
    padded = np.zeros((len(moved), 2 * M))
    padded[:, :M] = part
    start = np.argmax(part != 0, axis=1)
    windows = np.lib.stride_tricks.sliding_window_view(padded, M, axis=1)
    s[moved] = windows[np.arange(len(moved)), start]
    return s


def _first_guess(c: Array, j: Array, work: Array) -> Array:
    """Where Halley's method starts, in [-30, 0]: the root when the savings are two
    amounts, A (those with the sign of c(0)) and B (the others), each spread around its
    mean power a, b with its variance: A exp(v a + v**2 var_a / 2) = B exp(v b +
    v**2 var_b / 2), a quadratic in v. Its root next to the plain two-amount root
    v = log(A / B) / (b - a), or where it has none, its vertex (where the two sides come
    closest). No power of z is needed; the start is typically within 1e-3 of the root
    where the IRR is moderate, within 0.1 where it runs into the thousands of percent
    (a step or two more)."""
    size = np.abs(c, out=work)
    sign = np.sign(c[:, 0])
    with np.errstate(divide="ignore", invalid="ignore"):
        # the early amounts minus the late ones, and both, each weighted by 1, j and j**2
        net = [moment * sign for moment in _moments(c, j)]
        whole = _moments(size, j)
        early = [(w + n) / 2 for w, n in zip(whole, net, strict=True)]
        late = [(w - n) / 2 for w, n in zip(whole, net, strict=True)]
        a, b = early[1] / early[0], late[1] / late[0]
        var_a, var_b = early[2] / early[0] - a * a, late[2] / late[0] - b * b
        log_ratio = np.log(early[0] / late[0])
        # q v**2 + (a - b) v + log_ratio = 0 (a < b)
        q = (var_a - var_b) / 2
        discriminant = (a - b) ** 2 - 4 * q * log_ratio
        v = np.where(
            discriminant >= 0,
            -2 * log_ratio / (a - b - np.sqrt(discriminant)),
            (b - a) / (2 * q),
        )
    start: Array = np.clip(np.nan_to_num(v), -_U_BOUND, 0.0)
    return start


def _moments(a: Array, j: Array) -> tuple[Array, Array, Array]:
    """sum a, sum a j and sum a j**2 over each row: row by row (einsum, not BLAS), so each
    depends on its row alone."""
    return np.einsum("ij->i", a), np.einsum("ij,j->i", a, j), np.einsum("ij,j->i", a, j * j)
