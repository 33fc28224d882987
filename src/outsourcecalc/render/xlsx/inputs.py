"""The Inputs sheet: every assumption of both files, labelled, with units, as named cells.

The field tables say how each input is labelled, in which unit and number format; the
sheet writes them in the order of the files, each cell named after its input path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...inputs.loader import Document, Loc
from ...inputs.models import Charge, Vendor
from .book import MONTH_NAMES, Book


@dataclass(frozen=True)
class Field:
    """An input: label, unit ("{cur}": analysis currency, "{q}": the quote's, "{units}": of
    work, e.g. tickets) and kind (its number format)."""

    loc: Loc
    label: str
    unit: str = ""
    kind: str = "count"


def _fields(*rows: tuple[str, str, str, str]) -> tuple[Field, ...]:
    return tuple(Field((key,), label, unit, kind) for key, label, unit, kind in rows)


ROLE_FIELDS = _fields(
    ("headcount", "Headcount", "FTE", "count"),
    ("annual_salary", "Annual salary", "{cur}/FTE/year", "money"),
    ("benefits_rate", "Benefits rate", "share of salary", "rate"),
    ("benefits_per_head_annual", "Flat benefits", "{cur}/FTE/year", "money"),
    ("time_off_days", "Time off", "days/FTE/year", "count"),
    ("attrition_rate", "Attrition", "share/year", "rate"),
    ("cost_per_hire", "Cost per hire", "{cur}", "money"),
)
AVOIDABLE = Field(("avoidable",), "Avoidable", "stops if outsourced", "bool")
CHARGE_FIELDS = _fields(
    ("monthly", "Monthly", "{q}/month", "money"),
    ("per_fte_month", "Per FTE-month", "{q}", "money"),
    ("fte", "FTE billed", "FTE", "count"),
    ("per_hour", "Per hour", "{q}/hour", "money"),
    ("hours_per_month", "Hours", "hours/month", "volume"),
    ("per_unit", "Per unit", "{q}/unit", "price"),
    ("tier_mode", "Tier mode", "graduated/volume", "text"),
)
TIER_FIELDS = _fields(
    ("up_to", "Up to", "{units}/month", "volume"), ("per_unit", "Per unit", "{q}/unit", "price")
)
FORM_LABELS = {
    "monthly": "fixed monthly",
    "per_fte_month": "per FTE-month",
    "per_hour": "per hour",
    "per_unit": "per unit",
    "tiers": "tiered per unit",
}
IN_HOUSE_SCALARS: tuple[tuple[str, tuple[Field, ...]], ...] = (
    (
        "",
        (
            Field(("name",), "Name", "", "text"),
            Field(("currency",), "Analysis currency", "ISO 4217", "text"),
        ),
    ),
    (
        "Analysis",
        (
            Field(
                ("analysis", "horizon_months"), "Horizon", "months (one Monthly row each)", "int"
            ),
            Field(("analysis", "discount_rate"), "Discount rate", "per year", "rate"),
            Field(("analysis", "start_month"), "Start month", "of month 1 (1 = January)", "int"),
        ),
    ),
    (
        "Calendar and growth",
        (
            Field(("calendar", "working_days_per_year"), "Working days per year", "days/year"),
            Field(("calendar", "hours_per_day"), "Hours per day", "hours/day"),
            Field(("salary_growth",), "Salary growth", "per year: salaries, benefits", "rate"),
            Field(("inflation",), "Inflation", "per year: overheads, variable, hiring", "rate"),
        ),
    ),
)
WORKLOAD_FIELDS = (
    Field(("workload", "unit"), "Unit of work", "", "text"),
    Field(("workload", "monthly_volume"), "Monthly volume", "{units}/month", "volume"),
    Field(("workload", "growth_rate"), "Volume growth", "per year", "rate"),
    *(
        Field(("workload", "seasonality", k), f"Seasonality: {m}", "× monthly volume", "factor")
        for k, m in enumerate(MONTH_NAMES)
    ),
)
VENDOR_FIELDS = (
    Field(("name",), "Name", "", "text"),
    Field(("currency",), "Quote currency", "ISO 4217", "text"),
    Field(("fx_rate",), "Exchange rate", "{cur} per 1 {q}", "fx"),
    Field(("scope",), "Scope", "share of the avoidable operation taken over", "rate"),
    Field(("annual_escalation",), "Annual price escalation", "per year", "rate"),
    Field(("minimum_monthly_fee",), "Minimum monthly fee", "{q}/month", "money"),
)
SERVICE_FIELDS = (
    Field(("sla_credit_rate",), "Expected SLA credits", "share of fees (reduce cost)", "rate"),
    Field(("governance_rate",), "Governance", "share of fees: vendor management", "rate"),
    Field(("risk_contingency_rate",), "Risk contingency", "share of fees", "rate"),
)
PARALLEL_RUN = Field(
    ("transition", "parallel_run_months"), "Parallel run", "months (1..N: both run)", "int"
)
# the month of a one-time item or a transition cost
MONTH = Field(("month",), "Month", "0..horizon", "int")
VARIABLE_COST_FIELDS = (Field(("per_unit",), "Per unit", "{cur}/unit", "price"), AVOIDABLE)
OVERHEAD_FIELDS = (
    *_fields(
        ("monthly", "Monthly", "{cur}/month", "money"),
        ("annual", "Annual", "{cur}/year", "money"),
        ("per_head_monthly", "Per head", "{cur}/FTE/month", "money"),
    ),
    AVOIDABLE,
)
ONE_TIME_FIELDS = (Field(("amount",), "Amount", "{cur}", "money"), MONTH, AVOIDABLE)
TRANSITION_COST_FIELDS = (
    Field(("amount",), "Amount", "in its currency", "money"),
    Field(("currency",), "Currency", "ISO 4217", "text"),
    MONTH,
)


def _source(doc: Document | None, loc: Loc) -> tuple[str, bool]:
    """Where an input came from, file:line or the option: (text, set on the command line?)."""
    if doc is None:
        return "", False
    for k in range(len(loc), 0, -1):
        if loc[:k] in doc.overrides:
            return doc.overrides[loc[:k]], True
    if loc in doc.positions:
        return f"{doc.path}:{doc.positions[loc][0]}", False
    return "default", False


def _get(model: Any, loc: Loc) -> Any:
    for key in loc:
        model = model[key] if isinstance(key, int) else getattr(model, key)
    return model


class InputsSheet:
    """Every assumption, labelled, with units, grouped as in the files, as named cells.

    A cell's name is its input path: in_house.staff[0].annual_salary is
    ih_staff_0_annual_salary, vendor[1].scope is vendor_1_scope; a table's column is
    named without the index (ih_staff_annual_salary) for SUMPRODUCT.
    """

    SHEET = "Inputs"
    SOURCE_COL = 9

    def __init__(self, book: Book, ws: Any) -> None:
        self.book = book
        self.ws = ws
        self.row = 2
        self.doc: Document | None = None
        self.model: Any = None
        self.prefix = ""
        self.quote = ""

    def name_of(self, loc: Loc) -> str:
        path = "_".join(str(part) for part in loc)
        return path if loc[0] == "analysis" else f"{self.prefix}_{path}"

    def unit(self, text: str) -> str:
        workload = self.book.case.in_house.workload
        units = f"{workload.unit}s" if workload else "units"
        text = text.replace("{cur}", self.book.currency).replace("{units}", units)
        return text.replace("{q}", self.quote)

    # -- layout

    def heading(self, text: str, style: str = "subsection") -> None:
        if style == "section":
            self.row += 1
        if text:
            self.ws.write_string(self.row, 0, text, self.book.fmt("text", style))
            self.row += 1

    def value(self, row: int, col: int, value: Any, kind: str, loc: Loc) -> str:
        """Write one input as a named cell; return where it came from."""
        source, overridden = _source(self.doc, loc)
        fmt = self.book.fmt(kind, "override" if overridden else "input")
        if isinstance(value, bool):
            self.ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, str):
            self.ws.write_string(row, col, value, fmt)
        else:
            self.ws.write_number(row, col, float(value), fmt)
        self.book.name(self.name_of(loc), self.SHEET, row, col)
        return source

    def scalars(self, fields: Sequence[Field], defaults: dict[Loc, Any] | None = None) -> None:
        """One input per row: label, value, unit ... source."""
        for f in fields:
            value = _get(self.model, f.loc)
            if value is None:
                value = (defaults or {})[f.loc]
            self.ws.write_string(self.row, 0, f.label)
            source = self.value(self.row, 1, value, f.kind, f.loc)
            self.ws.write_string(self.row, 2, self.unit(f.unit), self.book.fmt("text", "note"))
            self.ws.write_string(self.row, self.SOURCE_COL, source, self.book.fmt("text", "key"))
            self.row += 1

    def derived(
        self, label: str, unit: str, name: str, formula: str, value: Any, kind: str
    ) -> None:
        self.ws.write_string(self.row, 0, label)
        self.ws.write_formula(self.row, 1, formula, self.book.fmt(kind, "derived"), value)
        self.ws.write_string(self.row, 2, unit, self.book.fmt("text", "note"))
        self.ws.write_string(self.row, self.SOURCE_COL, "formula", self.book.fmt("text", "key"))
        self.book.name(name, self.SHEET, self.row, 1)
        self.row += 1

    def header(self, first: str, labels: Sequence[tuple[str, str]]) -> None:
        fmt = self.book.fmt("text", "header")
        for col in range(self.SOURCE_COL + 1):
            self.ws.write_blank(self.row, col, None, fmt)
        self.ws.write_string(self.row, 0, first, fmt)
        for col, (label, unit) in enumerate(labels, start=1):
            self.ws.write_string(
                self.row, col, label + (f"\n({self.unit(unit)})" if unit else ""), fmt
            )
        self.ws.write_string(self.row, self.SOURCE_COL, "Source", fmt)
        self.ws.set_row(self.row, 44)
        self.row += 1

    def row_source(self, loc: Loc, sources: list[str]) -> None:
        """The file line of a table row, and any --set that changed one of its cells."""
        where, _ = _source(self.doc, loc)
        texts = [where] if where != "default" else []
        texts += [s for s in dict.fromkeys(sources) if s.startswith("--")]
        self.ws.write_string(
            self.row, self.SOURCE_COL, "; ".join(texts), self.book.fmt("text", "key")
        )

    def table(
        self,
        title: str,
        first: str,
        label_key: str,
        list_loc: Loc,
        fields: Sequence[Field],
        effective: Callable[[Any, Field], Any] | None = None,
    ) -> int:
        """A list of the file (staff, overheads, ...): a row per item; returns the first row."""
        items = _get(self.model, list_loc)
        self.heading(title)
        self.header(first, [(f.label, f.unit) for f in fields])
        top = self.row
        for i, item in enumerate(items):
            loc = (*list_loc, i)
            sources = [self.value(self.row, 0, getattr(item, label_key), "text", (*loc, label_key))]
            for col, f in enumerate(fields, start=1):
                value = effective(item, f) if effective else _get(item, f.loc)
                if value is not None:
                    sources.append(self.value(self.row, col, value, f.kind, (*loc, *f.loc)))
            self.row_source(loc, sources)
            self.row += 1
        for col, f in enumerate(fields, start=1):
            self.book.name(self.name_of((*list_loc, *f.loc)), self.SHEET, top, col, self.row - 1)
        return top

    # -- the sheet

    def write(self) -> None:
        ws, book = self.ws, self.book
        ws.set_column(0, 0, 40)
        ws.set_column(1, self.SOURCE_COL - 1, 15)
        ws.set_column(self.SOURCE_COL, self.SOURCE_COL, 44)
        ws.write_string(0, 0, "Inputs: every assumption of the model", book.fmt("text", "title"))
        ws.write_string(
            1,
            0,
            "Blue cells are inputs (orange: set on the command line): change one and every figure "
            "follows. Each is named after its path: in_house.staff[0].annual_salary is "
            "ih_staff_0_annual_salary. Grey cells are formulas.",
            book.fmt("text", "note"),
        )
        ws.freeze_panes(2, 0)
        self.in_house()
        for i, vendor in enumerate(book.case.vendors):
            self.vendor(i, vendor)

    def in_house(self) -> None:
        book = self.book
        case = book.case
        ih = self.model = case.in_house
        self.doc, self.prefix, self.quote = case.in_house_doc, "ih", book.currency
        self.heading(f"In-house baseline: {ih.name}", "section")
        for title, fields in IN_HOUSE_SCALARS:
            self.heading(title)
            self.scalars(fields)
        self.table("Staff", "Role", "role", ("staff",), (*ROLE_FIELDS, AVOIDABLE))
        if ih.workload is not None:
            self.heading("Workload")
            top = self.row + len(WORKLOAD_FIELDS) - 12
            self.scalars(WORKLOAD_FIELDS)
            book.name("ih_workload_seasonality", self.SHEET, top, 1, top + 11)
        if ih.variable_costs:
            self.table(
                "Variable costs (per unit of workload)",
                "Item",
                "name",
                ("variable_costs",),
                VARIABLE_COST_FIELDS,
            )
        if ih.overheads:
            title = "Overheads (one amount per item)"
            self.table(title, "Item", "name", ("overheads",), OVERHEAD_FIELDS)
        if ih.one_time:
            title = "One-time items (never escalated)"
            self.table(title, "Item", "name", ("one_time",), ONE_TIME_FIELDS)

        self.heading("Derived from the in-house inputs")
        streams = book.streams
        self.derived(
            "Total headcount (all in-house roles)",
            "FTE",
            "ih_total_headcount",
            "=SUM(ih_staff_headcount)",
            float(ih.total_headcount),
            "count",
        )
        self.derived(
            "Productive hours P",
            "hours/month",
            "ih_productive_hours_per_month",
            "=SUMPRODUCT(ih_staff_headcount*(ih_calendar_working_days_per_year"
            "-ih_staff_time_off_days))*ih_calendar_hours_per_day/12",
            streams.productive_hours,
            "volume",
        )
        discount = np.asarray(streams.timeline.discount, float).reshape(-1)
        self.derived(
            "Monthly discount rate r = (1 + rate)^(1/12) - 1",
            "per month",
            "monthly_discount_rate",
            "=(1+analysis_discount_rate)^(1/12)-1",
            float(1 / discount[1] - 1),
            "df",
        )

    def vendor(self, index: int, vendor: Vendor) -> None:
        book = self.book
        case = book.case
        ih = case.in_house
        self.model = vendor
        self.doc = case.vendor_docs[index] if index < len(case.vendor_docs) else None
        self.prefix = p = f"vendor_{index}"
        self.quote = vendor.currency or ih.currency
        self.heading(f"Vendor: {vendor.name}  (vendor[{index}] in --set paths)", "section")
        self.scalars(VENDOR_FIELDS, {("currency",): ih.currency, ("fx_rate",): 1.0})
        self.pricing(p, vendor)
        self.heading("Service terms")
        self.scalars(SERVICE_FIELDS)
        if vendor.retained_staff:
            self.table(
                "Retained staff (growth rates of the in-house file)",
                "Role",
                "role",
                ("retained_staff",),
                ROLE_FIELDS,
            )
        self.heading("Transition")
        self.scalars([PARALLEL_RUN])
        costs = vendor.transition.costs
        if costs:
            fields = TRANSITION_COST_FIELDS

            def effective(item: Any, f: Field) -> Any:
                value = _get(item, f.loc)
                return ih.currency if value is None and f.loc == ("currency",) else value

            top = self.table(
                "Transition costs", "Cost", "name", ("transition", "costs"), fields, effective
            )
            # the rate each amount converts at: fx_rate when it is in the quote's currency
            col = len(fields) + 1
            header = f"Rate to {ih.currency}\n(formula)"
            self.ws.write_string(top - 1, col, header, book.fmt("text", "header"))
            for k, item in enumerate(costs):
                cur = f"$C${top + k + 1}"
                converted = item.currency not in (None, ih.currency)
                self.ws.write_formula(
                    top + k,
                    col,
                    f'=IF(OR({cur}="",{cur}=ih_currency),1,{p}_fx_rate)',
                    book.fmt("fx", "derived"),
                    float(case.fx_rate(vendor)) if converted else 1.0,
                )
            book.name(f"{p}_transition_costs_fx", self.SHEET, top, col, top + len(costs) - 1)
        self.heading("Derived from the vendor inputs")
        self.derived(
            "Cost factor: 1 - SLA credits + governance + risk",
            "per unit of fees",
            f"{p}_cost_factor",
            f"=1-{p}_sla_credit_rate+{p}_governance_rate+{p}_risk_contingency_rate",
            float(vendor.cost_factor),
            "factor",
        )

    def pricing(self, p: str, vendor: Vendor) -> None:
        """The charges, one form each; tiered charges get a table of their bands below."""
        book = self.book
        self.heading("Pricing (one form per charge)")
        self.header("Charge", [("Form", ""), *((f.label, f.unit) for f in CHARGE_FIELDS)])
        for j, charge in enumerate(vendor.pricing):
            loc: Loc = ("pricing", j)
            sources = [self.value(self.row, 0, charge.name, "text", (*loc, "name"))]
            self.ws.write_string(self.row, 1, FORM_LABELS[charge.form])
            for col, f in enumerate(CHARGE_FIELDS, start=2):
                value = _get(charge, f.loc)
                if f.loc == ("hours_per_month",) and charge.form == "per_hour" and value is None:
                    # the contract's default, kept live: P times the scope
                    self.ws.write_formula(
                        self.row,
                        col,
                        f"=ih_productive_hours_per_month*{p}_scope",
                        book.fmt("volume", "derived"),
                        book.streams.productive_hours * float(vendor.scope),
                    )
                    book.name(self.name_of((*loc, "hours_per_month")), self.SHEET, self.row, col)
                    continue
                if f.loc == ("tier_mode",) and charge.form == "tiers":
                    value = value or "graduated"
                    options = {"validate": "list", "source": ["graduated", "volume"]}
                    self.ws.data_validation(self.row, col, self.row, col, options)
                if value is not None:
                    sources.append(self.value(self.row, col, value, f.kind, (*loc, *f.loc)))
            self.row_source(loc, sources)
            self.row += 1
        for j, charge in enumerate(vendor.pricing):
            if charge.tiers:
                self.tiers(j, charge)

    def tiers(self, j: int, charge: Charge) -> None:
        self.heading(f"Tiers of '{charge.name}' (units per month, counted from zero)")
        self.header("Tier", [(f.label, f.unit) for f in TIER_FIELDS])
        for k, tier in enumerate(charge.tiers or []):
            loc: Loc = ("pricing", j, "tiers", k)
            self.ws.write_string(self.row, 0, f"Tier {k + 1}")
            sources = []
            if tier.up_to is None:
                self.ws.write_string(self.row, 1, "(no limit)", self.book.fmt("text", "note"))
            else:
                sources.append(self.value(self.row, 1, tier.up_to, "volume", (*loc, "up_to")))
            sources.append(self.value(self.row, 2, tier.per_unit, "price", (*loc, "per_unit")))
            self.row_source(loc, sources)
            self.row += 1
