"""The Monthly sheet: one row per month 0..H, every stream of the contract as a formula.

Left to right: the timeline (y(m), c(m), DF(m), the growth indices, V(m)); the in-house
cost IH(m) by component, after the headcount hc(m) of each role that follows the workload
(with its rises, each a hire), the total headcount and the productive hours P(m); then per
vendor its fees F(m) (each charge, raw fees R(m)), the vendor option's cost
VO(m) = VR(m) + remaining(m) + T(m) - B(m), the savings s(m) = IH(m) - VO(m) and, folded
away, the helper columns behind IRR and payback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from ...engine.model import raw_fees, rise
from ...inputs.models import Charge, Vendor
from ...rules import IN_HOUSE_PARTS, is_zero
from ..format import LABELS
from .book import HALF, MONTH_NAMES, Book, months_below


@dataclass
class Col:
    """A Monthly column. `formula` is a template over this month's row: {m} is the month
    cell, {x} column x (the group's own first), {prev_x} and {next_x} column x a row up and
    down, {span_x} column x over the months of this month's contract year, {p} the name
    prefix of the group's vendor; `first`, where given, is the template of month 0."""

    key: str
    label: str
    kind: str
    values: Any  # one cached value per month
    formula: str | None = None
    first: str | None = None
    helper: bool = False
    width: float = 13.0


@dataclass
class Group:
    title: str
    prefix: str = ""  # of its columns' keys: "ih_", "v0_", ...
    names: str = ""  # of its vendor's input names: "vendor_0"
    columns: list[Col] = field(default_factory=list)


class MonthlyGrid:
    """Where each Monthly column sits, to write references to it."""

    SHEET = "Monthly"
    FIRST = 2  # the row of month 0

    def __init__(self, horizon: int) -> None:
        self.horizon = horizon
        self.col: dict[str, int] = {}

    def at(self, key: str, m: int) -> str:
        return f"{xl_col_to_name(self.col[key])}{self.FIRST + m + 1}"

    def range(self, key: str, first: int = 0, last: int | None = None) -> str:
        letter = xl_col_to_name(self.col[key])
        last = self.horizon if last is None else last
        return f"{self.SHEET}!${letter}${self.FIRST + first + 1}:${letter}${self.FIRST + last + 1}"

    def rows(self, key: str) -> list[Any]:
        """[sheet, first row, column, last row, column] of a column's months, for charts."""
        col = self.col[key]
        return [self.SHEET, self.FIRST, col, self.FIRST + self.horizon, col]


class Refs(dict[str, str]):
    """The cell references of one month's row, for str.format_map on a Col template."""

    def __init__(self, grid: MonthlyGrid, group: Group, m: int) -> None:
        super().__init__(m=f"$A{grid.FIRST + m + 1}", p=group.names)
        self.grid, self.group, self.month = grid, group, m

    def __missing__(self, key: str) -> str:
        m = self.month
        span = key.startswith("span_")
        if key.startswith("prev_"):
            key, m = key[5:], m - 1
        elif key.startswith("next_"):
            key, m = key[5:], m + 1
        elif span:
            key = key[5:]
        own = self.group.prefix + key
        key = own if own in self.grid.col else key
        if not span:
            return self.grid.at(key, m)
        # the months of m's contract year within the horizon: y(m) = floor((m - 1) / 12)
        first = (m - 1) // 12 * 12 + 1
        return f"{self.grid.at(key, first)}:{self.grid.at(key, min(first + 11, self.grid.horizon))}"


class MonthlySheet:
    """One row per month 0..H: every stream of the contract, as formulas over Inputs."""

    def __init__(self, book: Book, ws: Any) -> None:
        self.book = book
        self.ws = ws
        self.grid = MonthlyGrid(book.case.horizon_months)

    def write(self) -> MonthlyGrid:
        book, ws, g = self.book, self.ws, self.grid
        groups = [self.timeline(), self.in_house()]
        groups += [self.vendor(i, v) for i, v in enumerate(book.case.vendors)]
        for group in groups:
            for c in group.columns:
                g.col[group.prefix + c.key] = len(g.col)
        for group in groups:
            first = g.col[group.prefix + group.columns[0].key]
            last = first + len(group.columns) - 1
            ws.merge_range(0, first, 0, last, group.title, book.fmt("text", "group"))
            for c in group.columns:
                x = g.col[group.prefix + c.key]
                ws.write_string(1, x, c.label, book.fmt("text", "header"))
                ws.set_column(x, x, c.width, None, {"level": 1, "hidden": True} if c.helper else {})
                fmt = book.fmt(c.kind, "helper" if c.helper else "plain")
                for m in range(book.months):
                    template = c.first if m == 0 and c.first is not None else c.formula
                    if template is None:
                        ws.write_number(g.FIRST + m, x, c.values[m], fmt)
                    else:
                        formula = "=" + template.format_map(Refs(g, group, m))
                        ws.write_formula(g.FIRST + m, x, formula, fmt, c.values[m])
        ws.set_row(1, 66)
        ws.freeze_panes(g.FIRST, 1)
        ws.outline_settings(True, False, True, False)
        return g

    def timeline(self) -> Group:
        book = self.book
        t, ih = book.streams.timeline, book.case.in_house
        names = ",".join(f'"{x}"' for x in MONTH_NAMES)
        calendar = book.series(t.calendar)
        group = Group("Timeline")
        group.columns = [
            Col("month", "Month m", "int", range(book.months), width=7),
            Col("year", "Year index y(m)", "int", book.series(t.year),
                "IF({m}=0,0,INT(({m}-1)/12))", width=7),
            Col("calendar", "Calendar month c(m) (0 = Jan)", "int", calendar,
                "MOD(analysis_start_month-1+{m}-1,12)", width=9),
            Col("month_name", "Month of year", "text",
                ["signing"] + [MONTH_NAMES[int(c)] for c in calendar[1:]],
                'IF({m}=0,"signing",CHOOSE({calendar}+1,' + names + "))", width=8),
            Col("df", "Discount factor DF(m)", "df", book.series(t.discount),
                "(1+monthly_discount_rate)^(-{m})", width=10),
            Col("wage", "Salary index (1+salary growth)^y", "factor",
                book.series(t.step(ih.salary_growth)),
                "IF({m}=0,0,(1+ih_salary_growth)^{year})", width=10),
            Col("price", "Price index (1+inflation)^y", "factor",
                book.series(t.step(ih.inflation)),
                "IF({m}=0,0,(1+ih_inflation)^{year})", width=10),
        ]  # fmt: skip
        if ih.workload is not None:
            group.columns.append(
                Col(
                    "volume",
                    f"Volume V(m) ({ih.workload.unit}s)",
                    "volume",
                    book.series(book.streams.base.volume),
                    "IF({m}=0,0,ih_workload_monthly_volume*INDEX(ih_workload_seasonality,"
                    "{calendar}+1)*(1+ih_workload_growth_rate)^{year})",
                    width=12,
                )
            )
        return group

    def in_house(self) -> Group:
        """IH(m): salaries, benefits, hiring, overheads, variable costs, one-time items;
        first, with a team that follows the workload, the headcounts hc(m) behind them."""
        book = self.book
        ih, base, cur = book.case.in_house, book.streams.base, book.currency
        staff = StaffFormulas("ih_staff")
        flex = [FlexRole(k) for k in book.workload_roles]

        def plus(terms: list[str]) -> str:
            return "".join(f"+{t}" for t in terms)

        formulas: dict[str, str | None] = {
            "salaries": f"({staff.salaries}{plus([r.salaries for r in flex])})/12*{{wage}}",
            "benefits": f"({staff.benefits}{plus([r.benefits for r in flex])})/12*{{wage}}",
            "hiring": f"{staff.hiring}/12*{{price}}",
            "overheads": None,
            "variable": None,
            "one_time": None,
        }
        if not flex:  # a v1 team: the formulas as they always were
            formulas["salaries"] = f"{staff.salaries}/12*{{wage}}"
            formulas["benefits"] = f"{staff.benefits}/12*{{wage}}"
        else:
            formulas["hiring"] = (
                f"(({staff.hiring}{plus([r.replacements for r in flex])})/12"
                f"{plus([r.rises for r in flex])})*{{price}}"
            )
        heads = "{total_headcount}" if flex else "ih_total_headcount"
        avoidable = [
            f"SUMPRODUCT(ih_staff_avoidable*ih_staff_headcount*({staff.pay}))/12*{{wage}}",
            "SUMPRODUCT(ih_staff_avoidable*ih_staff_headcount*ih_staff_attrition_rate"
            "*ih_staff_cost_per_hire)/12*{price}",
            *(r.avoidable for r in flex),
        ]
        if ih.overheads:
            formulas["overheads"] = (
                "(SUM(ih_overheads_monthly)+SUM(ih_overheads_annual)/12"
                f"+SUM(ih_overheads_per_head_monthly)*{heads})*{{price}}"
            )
            avoidable.append(
                "SUMPRODUCT(ih_overheads_avoidable*(ih_overheads_monthly+ih_overheads_annual/12"
                f"+ih_overheads_per_head_monthly*{heads}))*{{price}}"
            )
        if ih.variable_costs:
            formulas["variable"] = "SUM(ih_variable_costs_per_unit)*{volume}*{price}"
            avoidable.append(
                "SUMPRODUCT(ih_variable_costs_avoidable*ih_variable_costs_per_unit)*{volume}*{price}"
            )
        if ih.one_time:
            formulas["one_time"] = "SUMPRODUCT((ih_one_time_month={m})*ih_one_time_amount)"
            avoidable.append(
                "SUMPRODUCT(ih_one_time_avoidable*(ih_one_time_month={m})*ih_one_time_amount)"
            )
        group = Group(f"In-house: {ih.name}", "ih_")
        group.columns = [
            *self.headcounts(flex),
            *(
                Col(
                    key,
                    f"{LABELS[key]} ({cur})",
                    "money0",
                    book.series(base.parts[key]),
                    formulas[key],
                )
                for key in IN_HOUSE_PARTS
            ),
        ]
        total = np.array(book.series(base.total))
        span = f"{{{IN_HOUSE_PARTS[0]}}}:{{{IN_HOUSE_PARTS[-1]}}}"
        group.columns += [
            Col("total", f"In-house cost IH(m) ({cur})", "money0", total, f"SUM({span})",
                width=14),
            Col("avoidable", f"of which avoidable ({cur})", "money0", book.series(base.avoidable),
                "+".join(avoidable), width=14),
            Col("cumulative", f"Cumulative in-house cost ({cur})", "money0", np.cumsum(total),
                "{prev_cumulative}+{total}", "{total}", width=15),
        ]  # fmt: skip
        return group

    def headcounts(self, flex: list[FlexRole]) -> list[Col]:
        """Each workload-driven role's headcount hc(m) and its rises; the total headcount
        and the productive hours P(m) that per-head overheads and hourly charges use."""
        if not flex:
            return []
        book = self.book
        ih, base = book.case.in_house, book.streams.base
        cols = []
        for r in flex:
            role, hc = ih.staff[r.index].role, base.headcounts[r.index]
            cols += [
                Col(r.key("hc"), f"{role}: headcount hc(m) (FTE)", "volume", book.series(hc),
                    r.headcount, r.ref("next_hc")),
                Col(r.key("rise"), f"{role}: rise in headcount (FTE hired)", "volume",
                    book.series(rise(np.asarray(hc, float))), f"MAX(0,{r.ref('hc')}"
                    f"-{r.ref('prev_hc')})", "0"),
            ]  # fmt: skip
        total = np.sum([np.broadcast_to(h, (book.months,)) for h in base.headcounts], axis=0)
        days, hours = "ih_calendar_working_days_per_year", "ih_calendar_hours_per_day"
        return [
            *cols,
            Col("total_headcount", "Total headcount (FTE)", "volume", book.series(total),
                "SUM(ih_staff_headcount)" + "".join(f"+{r.ref('hc')}" for r in flex)),
            Col("productive_hours", "Productive hours P(m)", "volume",
                book.series(base.productive_hours),
                f"(SUMPRODUCT(ih_staff_headcount*({days}-ih_staff_time_off_days))"
                + "".join(f"+{r.ref('hc')}*({days}-{r.name}_time_off_days)" for r in flex)
                + f")*{hours}/12", width=12),
        ]  # fmt: skip

    def vendor(self, i: int, vendor: Vendor) -> Group:
        """Vendor i's block: its fees F(m), its option's cost VO(m), the savings s(m)."""
        group = Group(f"Vendor: {vendor.name}", f"v{i}_", f"vendor_{i}")
        group.columns = [*self.fees(i, vendor), *self.option_cost(i, vendor), *self.savings(i)]
        return group

    def fees(self, i: int, vendor: Vendor) -> list[Col]:
        """The units billed, each charge, the raw fees R(m) and the fees F(m)."""
        book = self.book
        streams, cur = book.streams, book.currency
        quote = vendor.currency or cur
        cols = []
        if vendor.uses_volume:
            units = np.asarray(book.series(streams.base.volume)) * float(vendor.scope)
            label = "Units billed V(m) × scope"
            cols.append(Col("units", label, "volume", units, "{volume}*{p}_scope", width=12))
        for j, charge in enumerate(vendor.pricing):
            values = book.series(streams.charges[i][j])
            label = f"{charge.name} ({quote})"
            formula = _charge(j, charge, bool(book.workload_roles))
            cols.append(Col(f"charge_{j}", label, "money0", values, formula))
        raw = raw_fees(vendor, streams.base.volume, streams.base.productive_hours, streams.timeline)
        return [
            *cols,
            Col("raw", f"Raw fees R(m) ({quote})", "money0", book.series(raw),
                f"SUM({{charge_0}}:{{charge_{len(vendor.pricing) - 1}}})"),
            Col("fees", f"Fees F(m) = fx × escalation × max(R, minimum) ({cur})", "money0",
                book.series(streams.vendors[i].fees),
                "IF({m}=0,0,{p}_fx_rate*(1+{p}_annual_escalation)^{year}"
                "*MAX({raw},{p}_minimum_monthly_fee))", width=15),
        ]  # fmt: skip

    def option_cost(self, i: int, vendor: Vendor) -> list[Col]:
        """VO(m) = VR(m) + remaining(m) + T(m): fee-based costs and retained staff, the
        in-house cost that remains, the transition costs; and VO cumulated."""
        book = self.book
        cur, vs = book.currency, book.streams.vendors[i]
        parts = vs.parts
        rate = "{p}_sla_credit_rate", "{p}_governance_rate", "{p}_risk_contingency_rate"
        retained = StaffFormulas("{p}_retained_staff")
        total = np.array(book.series(vs.total))
        gained: list[Col] = []
        if vendor.benefits:
            b = "{p}_benefits"
            gained.append(
                Col("benefits", f"Benefits B(m) ({cur})", "money0",
                    -np.array(book.series(parts["benefits"])),
                    f"SUMPRODUCT(({b}_month={{m}})*{b}_amount*{b}_fx)"
                    f"+SUMPRODUCT(({{m}}>={b}_from_month)*({b}_monthly+{b}_annual/12)*{b}_fx)"
                    "*{price}", width=14)
            )  # fmt: skip
        option = "{related}+{remaining_in_house}+{transition}" + ("-{benefits}" if gained else "")
        return [
            Col("sla_credits", f"SLA credits ({cur})", "money0",
                book.series(parts["sla_credits"]), f"-{{fees}}*{rate[0]}"),
            Col("governance", f"Governance ({cur})", "money0",
                book.series(parts["governance"]), f"{{fees}}*{rate[1]}"),
            Col("risk_reserve", f"Risk reserve ({cur})", "money0",
                book.series(parts["risk_reserve"]), f"{{fees}}*{rate[2]}"),
            Col("retained_staff", f"Retained staff ({cur})", "money0",
                book.series(parts["retained_staff"]),
                retained.total if vendor.retained_staff else None),
            Col("related", f"Vendor-related cost VR(m) ({cur})", "money0",
                book.series(vs.related), "SUM({fees}:{retained_staff})", width=14),
            Col("remaining_in_house", f"In-house cost that remains ({cur})", "money0",
                book.series(parts["remaining_in_house"]),
                "IF({m}<={p}_transition_parallel_run_months,{ih_total},"
                "{ih_total}-{p}_scope*{ih_avoidable})", width=14),
            Col("transition", f"Transition T(m) ({cur})", "money0", book.series(vs.transition),
                "SUMPRODUCT(({p}_transition_costs_month={m})*{p}_transition_costs_amount"
                "*{p}_transition_costs_fx)" if vendor.transition.costs else None),
            *gained,
            Col("total", f"Vendor option cost VO(m) ({cur})", "money0", total, option,
                width=14),
            Col("cumulative", f"Cumulative vendor option cost ({cur})", "money0",
                np.cumsum(total), "{prev_cumulative}+{total}", "{total}", width=15),
        ]  # fmt: skip

    def savings(self, i: int) -> list[Col]:
        """s(m) = IH(m) - VO(m), its cumulative C(m), both discounted; then the helpers."""
        cur = self.book.currency
        savings, discounted = self.book.savings(i)
        return [
            Col("savings", f"Savings s(m) = IH - VO ({cur})", "money0", savings,
                "{ih_total}-{total}", width=14),
            Col("cum_savings", f"Cumulative savings C(m) ({cur})", "money0", np.cumsum(savings),
                "{prev_cum_savings}+{savings}", "{savings}", width=14),
            Col("disc_savings", f"Discounted savings s × DF ({cur})", "money0", discounted,
                "{savings}*{df}", width=14),
            Col("cum_disc_savings", f"Cumulative discounted savings ({cur})", "money0",
                np.cumsum(discounted), "{prev_cum_disc_savings}+{disc_savings}",
                "{disc_savings}", width=15),
            *_helpers(savings, discounted),
        ]  # fmt: skip


@dataclass(frozen=True)
class StaffFormulas:
    """The cost components of a table of roles (in-house staff or a vendor's retained
    staff) as the contract states them, over the table's named columns."""

    table: str  # the name prefix of its columns: "ih_staff", "{p}_retained_staff"

    def column(self, key: str) -> str:
        return f"{self.table}_{key}"

    @property
    def benefit(self) -> str:
        """The benefits of one FTE per year."""
        c = self.column
        return f"{c('annual_salary')}*{c('benefits_rate')}+{c('benefits_per_head_annual')}"

    @property
    def pay(self) -> str:
        """The salary and benefits of one FTE per year."""
        return f"{self.column('annual_salary')}+{self.benefit}"

    @property
    def salaries(self) -> str:
        """Summed over the roles, per year and before escalation, as benefits and hiring."""
        return f"SUMPRODUCT({self.column('headcount')},{self.column('annual_salary')})"

    @property
    def benefits(self) -> str:
        return f"SUMPRODUCT({self.column('headcount')},{self.benefit})"

    @property
    def hiring(self) -> str:
        c = self.column
        return f"SUMPRODUCT({c('headcount')},{c('attrition_rate')},{c('cost_per_hire')})"

    @property
    def total(self) -> str:
        """The template of a month's salaries, benefits and hiring, escalated."""
        return f"({self.salaries}+{self.benefits})/12*{{wage}}+{self.hiring}/12*{{price}}"


@dataclass(frozen=True)
class FlexRole:
    """An in-house role whose headcount follows the workload (SPEC section 2), as the
    templates of its Monthly columns and of its terms in the in-house cost."""

    index: int  # in the staff list

    @property
    def name(self) -> str:
        return f"ih_staff_{self.index}"

    def key(self, column: str) -> str:
        return f"{column}_{self.index}"

    def ref(self, column: str) -> str:
        """A reference to one of its columns in a template: {hc_0}, {prev_hc_0} ..."""
        return "{" + self.key(column) + "}"

    @property
    def headcount(self) -> str:
        """hc(m) = max(min_headcount, N) with the need N of the month (staffing: month) or
        of the year's busiest month (peak); N = V * handle_minutes / 60 / (occupancy * p)."""
        r = self.name
        volume = f'IF({r}_staffing="month",{{volume}},MAX({{span_volume}}))'
        return (
            f"MAX({r}_min_headcount,{volume}*{r}_handle_minutes/60"
            f"/({r}_occupancy*{r}_productive_hours))"
        )

    @property
    def salaries(self) -> str:
        return f"{self.ref('hc')}*{self.name}_annual_salary"

    @property
    def benefits(self) -> str:
        r = self.name
        return (
            f"{self.ref('hc')}*({r}_annual_salary*{r}_benefits_rate+{r}_benefits_per_head_annual)"
        )

    @property
    def replacements(self) -> str:
        """Attrition's replacements per year (as the fixed roles', divided by 12 after)."""
        return f"{self.ref('hc')}*{self.name}_attrition_rate*{self.name}_cost_per_hire"

    @property
    def rises(self) -> str:
        """Every rise in headcount is a hire."""
        return f"{self.ref('rise')}*{self.name}_cost_per_hire"

    @property
    def avoidable(self) -> str:
        """Its salaries, benefits and hiring when the role is avoidable, else 0."""
        return (
            f"{self.name}_avoidable*(({self.salaries}+{self.benefits})/12*{{wage}}"
            f"+({self.replacements}/12+{self.rises})*{{price}})"
        )


def _charge(j: int, charge: Charge, hours_follow_team: bool = False) -> str:
    """The template of one charge's raw fees R(m), in the quote's currency. With a team
    that follows the workload, an hourly charge's default hours are P(m) × scope."""
    c = f"{{p}}_pricing_{j}"
    if charge.form == "monthly":
        return f"IF({{m}}=0,0,{c}_monthly)"
    if charge.form == "per_fte_month":
        return f"IF({{m}}=0,0,{c}_per_fte_month*{c}_fte)"
    if charge.form == "per_hour" and charge.hours_per_month is None and hours_follow_team:
        return f"IF({{m}}=0,0,{c}_per_hour*{{ih_productive_hours}}*{{p}}_scope)"
    if charge.form == "per_hour":
        return f"IF({{m}}=0,0,{c}_per_hour*{c}_hours_per_month)"
    if charge.form == "per_unit":
        return f"{c}_per_unit*{{units}}"
    tiers = charge.tiers or []
    # volume mode: every unit at the rate of the band that holds the month's units
    rate = f"{c}_tiers_{len(tiers) - 1}_per_unit"
    for t in reversed(range(len(tiers) - 1)):
        rate = f"IF({{units}}<={c}_tiers_{t}_up_to,{c}_tiers_{t}_per_unit,{rate})"
    # graduated: the units between the previous up_to and this one at this band's rate
    bands = []
    lower = "0"
    for t, tier in enumerate(tiers):
        price = f"{c}_tiers_{t}_per_unit"
        if tier.up_to is None:
            bands.append(f"{price}*MAX({{units}}-{lower},0)")
        else:
            upper = f"{c}_tiers_{t}_up_to"
            bands.append(f"{price}*MIN(MAX({{units}}-{lower},0),MAX({upper}-{lower},0))")
            lower = upper
    return f'IF({c}_tier_mode="volume",{{units}}*{rate},{"+".join(bands)})'


def _helpers(savings: Any, discounted: Any) -> list[Col]:
    """Helper columns (grouped, folded): sign changes for IRR, months below 0 for payback."""
    clean = np.where(is_zero(savings), 0.0, savings)
    sign = np.sign(clean)
    last_sign, flips, seen = [], [], 0.0
    for x in sign:
        flips.append(int(x != 0 and seen != 0 and x != seen))
        seen = x if x != 0 else seen
        last_sign.append(seen)
    return [
        Col("s_irr", f"Savings for IRR (|s| < {HALF} counts as 0)", "money0", clean,
            f"IF(ABS({{savings}})<{HALF},0,{{savings}})", helper=True),
        Col("sign", "Sign of savings", "int", sign, "SIGN({s_irr})", helper=True, width=8),
        Col("last_sign", "Last nonzero sign so far", "int", last_sign,
            "IF({sign}<>0,{sign},{prev_last_sign})", "{sign}", helper=True, width=8),
        Col("flip", "Sign change here (1 = yes)", "int", flips,
            "IF(AND({sign}<>0,{prev_last_sign}<>0,{sign}<>{prev_last_sign}),1,0)", "0",
            helper=True, width=8),
        Col("below", "Month if C(m) < 0, else -1", "int", months_below(savings),
            f"IF({{cum_savings}}<=-{HALF},{{m}},-1)", helper=True, width=9),
        Col("disc_below", "Month if discounted C(m) < 0, else -1", "int", months_below(discounted),
            f"IF({{cum_disc_savings}}<=-{HALF},{{m}},-1)", helper=True, width=9),
    ]  # fmt: skip
