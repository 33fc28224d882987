"""The model as a live workbook: Inputs (named cells) -> Monthly (formulas) -> Summary.

A renderer like the others: it writes the contract's arithmetic as spreadsheet formulas
over the named input cells, so changing an assumption in Excel or LibreOffice moves
every figure. Each formula cell also carries the value the engine computed (its monthly
streams and the Comparison), so a viewer that does not recalculate shows the same
numbers. The same inputs always give the same bytes (fixed document metadata).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from ..engine.model import (
    InHouseStreams,
    Timeline,
    VendorStreams,
    in_house_streams,
    raw_fees,
    sign_changes,
    vendor_streams,
)
from ..engine.results import Comparison
from ..inputs.case import Case
from ..inputs.loader import Document, Loc
from ..inputs.models import Charge, Vendor
from ..rules import HALF_CENT, IN_HOUSE_PARTS, VENDOR_PARTS, is_zero
from .format import LABELS

# Fixed so that the same inputs give byte-identical files (the zip entries of an
# in-memory XlsxWriter workbook are dated 1980-01-01 already).
CREATED = datetime(2000, 1, 1, tzinfo=UTC)
NA = "n/a"  # what a result shows where the contract leaves it undefined (null)
HALF = f"{HALF_CENT:g}"
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Okabe-Ito: tells the options apart for colour-blind readers too
COLOURS = ("#000000", "#E69F00", "#0072B2", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")

NUMBER_FORMATS = {
    "money": "#,##0.00;[Red]-#,##0.00",
    "money0": "#,##0;[Red]-#,##0",
    "price": "#,##0.00##",
    "rate": "0.00%",
    "signed_rate": "+0.00%;[Red]-0.00%;0.00%",
    "count": "General",
    "int": "0",
    "fx": "0.00####",
    "factor": "0.0000",
    "df": "0.000000",
    "months": "0.00",
    "volume": "#,##0.00",
    "text": "@",
    "bool": "General",
}
STYLES: dict[str, dict[str, Any]] = {
    "plain": {},
    "input": {
        "font_color": "#0000FF",
        "bg_color": "#FFF8DC",
        "border": 1,
        "border_color": "#D9D9D9",
    },
    "override": {"font_color": "#0000FF", "bg_color": "#FCD5B4", "border": 1},
    "derived": {"italic": True, "bg_color": "#F2F2F2"},
    "header": {
        "bold": True,
        "text_wrap": True,
        "valign": "top",
        "bottom": 1,
        "bg_color": "#DDEBF7",
    },
    "group": {"bold": True, "bg_color": "#BDD7EE", "border": 1},
    "title": {"bold": True, "font_size": 14},
    "section": {"bold": True, "font_size": 12, "bottom": 2, "font_color": "#1F4E78"},
    "subsection": {"bold": True, "italic": True},
    "note": {"italic": True, "font_color": "#595959"},
    "key": {"font_color": "#808080", "font_size": 9},
    "result": {"align": "right"},
    "verdict": {"align": "left", "bold": True, "top": 1},
    "helper": {"font_color": "#808080", "align": "right"},
}


def render(case: Case, result: Comparison) -> bytes:
    """The workbook of one comparison, as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {
            "title": f"Make or buy: {case.in_house.name}",
            "subject": "Make-or-buy cost model (outsourcecalc contract v1)",
            "author": "outsourcecalc",
            "comments": "Every figure is a formula over the Inputs sheet.",
            "created": CREATED,
        }
    )
    book = _Book(workbook, case, result)
    summary = workbook.add_worksheet("Summary")
    inputs = workbook.add_worksheet("Inputs")
    monthly = workbook.add_worksheet("Monthly")
    _InputsSheet(book, inputs).write()
    grid = _MonthlySheet(book, monthly).write()
    _SummarySheet(book, summary, grid).write()
    for name, ref in sorted(book.names.items()):
        workbook.define_name(name, ref)
    for ws in (summary, inputs, monthly):
        ws.set_paper(9)  # A4
    summary.set_landscape()
    summary.fit_to_pages(1, 1)
    inputs.fit_to_pages(1, 0)
    inputs.repeat_rows(0, 1)
    monthly.set_landscape()
    monthly.repeat_rows(0, 1)
    monthly.repeat_columns(0, 0)
    summary.activate()
    workbook.close()
    return buffer.getvalue()


# ------------------------------------------------------------------ shared state


@dataclass
class _EngineStreams:
    """The engine's month-by-month streams of the case: the cached values of Monthly."""

    timeline: Timeline
    base: InHouseStreams
    vendors: list[VendorStreams]
    charges: list[list[Any]]  # R(m) of each charge on its own, per vendor

    @classmethod
    def of(cls, case: Case) -> _EngineStreams:
        t = Timeline.build(case.horizon_months, case.discount_rate, case.start_month)
        base = in_house_streams(case.in_house, t, detail=True)
        vendors = [
            vendor_streams(v, case.in_house, base, t, case, detail=True) for v in case.vendors
        ]
        hours = base.productive_hours
        charges = [
            [raw_fees(v.replace(pricing=[c]), base.volume, hours, t) for c in v.pricing]
            for v in case.vendors
        ]
        return cls(t, base, vendors, charges)

    @property
    def productive_hours(self) -> float:
        return float(np.asarray(self.base.productive_hours, float).reshape(-1)[0])


class _Book:
    """The workbook, its cell formats, its defined names and the engine's streams."""

    def __init__(self, workbook: Any, case: Case, result: Comparison) -> None:
        self.workbook = workbook
        self.case = case
        self.result = result
        self.currency = case.currency
        self.names: dict[str, str] = {}
        self.streams = _EngineStreams.of(case)
        self.months = case.horizon_months + 1
        self._formats: dict[tuple[str, str], Any] = {}

    def fmt(self, kind: str, style: str = "plain") -> Any:
        """A cell format: a number format (`kind`) in a style."""
        key = (kind, style)
        if key not in self._formats:
            props: dict[str, Any] = {"num_format": NUMBER_FORMATS[kind], **STYLES[style]}
            if kind in ("text", "bool") and style in ("input", "override"):
                props["align"] = "left"
            self._formats[key] = self.workbook.add_format(props)
        return self._formats[key]

    def name(self, name: str, sheet: str, row: int, col: int, last_row: int = -1) -> None:
        """A workbook-level name for a cell, or for a column of cells down to last_row."""
        letter = xl_col_to_name(col)
        ref = f"={sheet}!${letter}${row + 1}"
        if last_row > row:
            ref += f":${letter}${last_row + 1}"
        self.names[name] = ref

    def series(self, stream: Any) -> list[float]:
        """An engine stream (a number or an array over the months) as one float per month."""
        arr = np.asarray(stream, dtype=float).reshape(-1)
        if arr.size == 1:
            return [float(arr[0])] * self.months
        return [float(x) for x in arr[-self.months :]]


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


# ------------------------------------------------------------------ Inputs


@dataclass(frozen=True)
class _Field:
    """An input: label, unit ("{cur}": analysis currency, "{q}": the quote's, "{units}": of
    work, e.g. tickets) and kind (its number format)."""

    loc: Loc
    label: str
    unit: str = ""
    kind: str = "count"


def _fields(*rows: tuple[str, str, str, str]) -> tuple[_Field, ...]:
    return tuple(_Field((key,), label, unit, kind) for key, label, unit, kind in rows)


ROLE_FIELDS = _fields(
    ("headcount", "Headcount", "FTE", "count"),
    ("annual_salary", "Annual salary", "{cur}/FTE/year", "money"),
    ("benefits_rate", "Benefits rate", "share of salary", "rate"),
    ("benefits_per_head_annual", "Flat benefits", "{cur}/FTE/year", "money"),
    ("time_off_days", "Time off", "days/FTE/year", "count"),
    ("attrition_rate", "Attrition", "share/year", "rate"),
    ("cost_per_hire", "Cost per hire", "{cur}", "money"),
)
AVOIDABLE = _Field(("avoidable",), "Avoidable", "stops if outsourced", "bool")
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
IN_HOUSE_SCALARS: tuple[tuple[str, tuple[_Field, ...]], ...] = (
    (
        "",
        (
            _Field(("name",), "Name", "", "text"),
            _Field(("currency",), "Analysis currency", "ISO 4217", "text"),
        ),
    ),
    (
        "Analysis",
        (
            _Field(
                ("analysis", "horizon_months"), "Horizon", "months (one Monthly row each)", "int"
            ),
            _Field(("analysis", "discount_rate"), "Discount rate", "per year", "rate"),
            _Field(("analysis", "start_month"), "Start month", "of month 1 (1 = January)", "int"),
        ),
    ),
    (
        "Calendar and growth",
        (
            _Field(("calendar", "working_days_per_year"), "Working days per year", "days/year"),
            _Field(("calendar", "hours_per_day"), "Hours per day", "hours/day"),
            _Field(("salary_growth",), "Salary growth", "per year: salaries, benefits", "rate"),
            _Field(("inflation",), "Inflation", "per year: overheads, variable, hiring", "rate"),
        ),
    ),
)
WORKLOAD_FIELDS = (
    _Field(("workload", "unit"), "Unit of work", "", "text"),
    _Field(("workload", "monthly_volume"), "Monthly volume", "{units}/month", "volume"),
    _Field(("workload", "growth_rate"), "Volume growth", "per year", "rate"),
    *(
        _Field(("workload", "seasonality", k), f"Seasonality: {m}", "× monthly volume", "factor")
        for k, m in enumerate(MONTH_NAMES)
    ),
)
VENDOR_FIELDS = (
    _Field(("name",), "Name", "", "text"),
    _Field(("currency",), "Quote currency", "ISO 4217", "text"),
    _Field(("fx_rate",), "Exchange rate", "{cur} per 1 {q}", "fx"),
    _Field(("scope",), "Scope", "share of the avoidable operation taken over", "rate"),
    _Field(("annual_escalation",), "Annual price escalation", "per year", "rate"),
    _Field(("minimum_monthly_fee",), "Minimum monthly fee", "{q}/month", "money"),
)
SERVICE_FIELDS = (
    _Field(("sla_credit_rate",), "Expected SLA credits", "share of fees (reduce cost)", "rate"),
    _Field(("governance_rate",), "Governance", "share of fees: vendor management", "rate"),
    _Field(("risk_contingency_rate",), "Risk contingency", "share of fees", "rate"),
)
PARALLEL_RUN = _Field(
    ("transition", "parallel_run_months"), "Parallel run", "months (1..N: both run)", "int"
)


class _InputsSheet:
    """Every assumption, labelled, with units, grouped as in the files, as named cells.

    A cell's name is its input path: in_house.staff[0].annual_salary is
    ih_staff_0_annual_salary, vendor[1].scope is vendor_1_scope; a table's column is
    named without the index (ih_staff_annual_salary) for SUMPRODUCT.
    """

    SHEET = "Inputs"
    SOURCE_COL = 9

    def __init__(self, book: _Book, ws: Any) -> None:
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

    def scalars(self, fields: Sequence[_Field], defaults: dict[Loc, Any] | None = None) -> None:
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
        fields: Sequence[_Field],
        effective: Callable[[Any, _Field], Any] | None = None,
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
            fields = (_Field(("per_unit",), "Per unit", "{cur}/unit", "price"), AVOIDABLE)
            self.table(
                "Variable costs (per unit of workload)", "Item", "name", ("variable_costs",), fields
            )
        if ih.overheads:
            fields = (
                _Field(("monthly",), "Monthly", "{cur}/month", "money"),
                _Field(("annual",), "Annual", "{cur}/year", "money"),
                _Field(("per_head_monthly",), "Per head", "{cur}/FTE/month", "money"),
                AVOIDABLE,
            )
            self.table("Overheads (one amount per item)", "Item", "name", ("overheads",), fields)
        if ih.one_time:
            fields = (
                _Field(("amount",), "Amount", "{cur}", "money"),
                _Field(("month",), "Month", "0..horizon", "int"),
                AVOIDABLE,
            )
            self.table("One-time items (never escalated)", "Item", "name", ("one_time",), fields)

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
            fields = (
                _Field(("amount",), "Amount", "in its currency", "money"),
                _Field(("currency",), "Currency", "ISO 4217", "text"),
                _Field(("month",), "Month", "0..horizon", "int"),
            )

            def effective(item: Any, f: _Field) -> Any:
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


# ------------------------------------------------------------------ Monthly


@dataclass
class _Col:
    """A Monthly column. `formula` is a template over this month's row: {m} is the month
    cell, {x} column x (the group's own first), {prev_x} column x a row up, {p} the name
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
class _Group:
    title: str
    prefix: str = ""  # of its columns' keys: "ih_", "v0_", ...
    names: str = ""  # of its vendor's input names: "vendor_0"
    columns: list[_Col] = field(default_factory=list)


class _Grid:
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


class _Refs(dict[str, str]):
    """The cell references of one month's row, for str.format_map on a _Col template."""

    def __init__(self, grid: _Grid, group: _Group, m: int) -> None:
        super().__init__(m=f"$A{grid.FIRST + m + 1}", p=group.names)
        self.grid, self.group, self.month = grid, group, m

    def __missing__(self, key: str) -> str:
        m = self.month
        if key.startswith("prev_"):
            key, m = key[5:], m - 1
        own = self.group.prefix + key
        return self.grid.at(own if own in self.grid.col else key, m)


class _MonthlySheet:
    """One row per month 0..H: every stream of the contract, as formulas over Inputs."""

    def __init__(self, book: _Book, ws: Any) -> None:
        self.book = book
        self.ws = ws
        self.grid = _Grid(book.case.horizon_months)

    def write(self) -> _Grid:
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
                        formula = "=" + template.format_map(_Refs(g, group, m))
                        ws.write_formula(g.FIRST + m, x, formula, fmt, c.values[m])
        ws.set_row(1, 66)
        ws.freeze_panes(g.FIRST, 1)
        ws.outline_settings(True, False, True, False)
        return g

    def timeline(self) -> _Group:
        book = self.book
        t, ih = book.streams.timeline, book.case.in_house
        names = ",".join(f'"{x}"' for x in MONTH_NAMES)
        calendar = book.series(t.calendar)
        group = _Group("Timeline")
        group.columns = [
            _Col("month", "Month m", "int", range(book.months), width=7),
            _Col("year", "Year index y(m)", "int", book.series(t.year),
                 "IF({m}=0,0,INT(({m}-1)/12))", width=7),
            _Col("calendar", "Calendar month c(m) (0 = Jan)", "int", calendar,
                 "MOD(analysis_start_month-1+{m}-1,12)", width=9),
            _Col("month_name", "Month of year", "text",
                 ["signing"] + [MONTH_NAMES[int(c)] for c in calendar[1:]],
                 'IF({m}=0,"signing",CHOOSE({calendar}+1,' + names + "))", width=8),
            _Col("df", "Discount factor DF(m)", "df", book.series(t.discount),
                 "(1+monthly_discount_rate)^(-{m})", width=10),
            _Col("wage", "Salary index (1+salary growth)^y", "factor",
                 book.series(t.step(ih.salary_growth)),
                 "IF({m}=0,0,(1+ih_salary_growth)^{year})", width=10),
            _Col("price", "Price index (1+inflation)^y", "factor",
                 book.series(t.step(ih.inflation)),
                 "IF({m}=0,0,(1+ih_inflation)^{year})", width=10),
        ]  # fmt: skip
        if ih.workload is not None:
            group.columns.append(
                _Col(
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

    def in_house(self) -> _Group:
        book = self.book
        ih, base, cur = book.case.in_house, book.streams.base, book.currency
        formulas: dict[str, str | None] = {
            "salaries": "SUMPRODUCT(ih_staff_headcount,ih_staff_annual_salary)/12*{wage}",
            "benefits": "SUMPRODUCT(ih_staff_headcount,ih_staff_annual_salary"
            "*ih_staff_benefits_rate+ih_staff_benefits_per_head_annual)/12*{wage}",
            "hiring": "SUMPRODUCT(ih_staff_headcount,ih_staff_attrition_rate,"
            "ih_staff_cost_per_hire)/12*{price}",
            "overheads": None,
            "variable": None,
            "one_time": None,
        }
        avoidable = [
            "SUMPRODUCT(ih_staff_avoidable*ih_staff_headcount*(ih_staff_annual_salary"
            "+ih_staff_annual_salary*ih_staff_benefits_rate+ih_staff_benefits_per_head_annual))"
            "/12*{wage}",
            "SUMPRODUCT(ih_staff_avoidable*ih_staff_headcount*ih_staff_attrition_rate"
            "*ih_staff_cost_per_hire)/12*{price}",
        ]
        if ih.overheads:
            formulas["overheads"] = (
                "(SUM(ih_overheads_monthly)+SUM(ih_overheads_annual)/12"
                "+SUM(ih_overheads_per_head_monthly)*ih_total_headcount)*{price}"
            )
            avoidable.append(
                "SUMPRODUCT(ih_overheads_avoidable*(ih_overheads_monthly+ih_overheads_annual/12"
                "+ih_overheads_per_head_monthly*ih_total_headcount))*{price}"
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
        group = _Group(f"In-house: {ih.name}", "ih_")
        group.columns = [
            _Col(
                key, f"{LABELS[key]} ({cur})", "money0", book.series(base.parts[key]), formulas[key]
            )
            for key in IN_HOUSE_PARTS
        ]
        total = np.array(book.series(base.total))
        span = f"{{{IN_HOUSE_PARTS[0]}}}:{{{IN_HOUSE_PARTS[-1]}}}"
        group.columns += [
            _Col("total", f"In-house cost IH(m) ({cur})", "money0", total, f"SUM({span})",
                 width=14),
            _Col("avoidable", f"of which avoidable ({cur})", "money0", book.series(base.avoidable),
                 "+".join(avoidable), width=14),
            _Col("cumulative", f"Cumulative in-house cost ({cur})", "money0", np.cumsum(total),
                 "{prev_cumulative}+{total}", "{total}", width=15),
        ]  # fmt: skip
        return group

    def vendor(self, i: int, vendor: Vendor) -> _Group:
        book = self.book
        streams, cur = book.streams, book.currency
        vs = streams.vendors[i]
        quote = vendor.currency or cur
        group = _Group(f"Vendor: {vendor.name}", f"v{i}_", f"vendor_{i}")
        cols = group.columns
        if vendor.uses_volume:
            units = np.asarray(book.series(streams.base.volume)) * float(vendor.scope)
            cols.append(
                _Col(
                    "units",
                    "Units billed V(m) × scope",
                    "volume",
                    units,
                    "{volume}*{p}_scope",
                    width=12,
                )
            )
        for j, charge in enumerate(vendor.pricing):
            values = book.series(streams.charges[i][j])
            label = f"{charge.name} ({quote})"
            cols.append(_Col(f"charge_{j}", label, "money0", values, _charge(j, charge)))
        rate = "{p}_sla_credit_rate", "{p}_governance_rate", "{p}_risk_contingency_rate"
        parts = vs.parts
        cols += [
            _Col("raw", f"Raw fees R(m) ({quote})", "money0",
                 book.series(raw_fees(vendor, streams.base.volume, streams.base.productive_hours,
                                      streams.timeline)),
                 f"SUM({{charge_0}}:{{charge_{len(vendor.pricing) - 1}}})"),
            _Col("fees", f"Fees F(m) = fx × escalation × max(R, minimum) ({cur})", "money0",
                 book.series(vs.fees),
                 "IF({m}=0,0,{p}_fx_rate*(1+{p}_annual_escalation)^{year}"
                 "*MAX({raw},{p}_minimum_monthly_fee))", width=15),
            _Col("sla_credits", f"SLA credits ({cur})", "money0",
                 book.series(parts["sla_credits"]), f"-{{fees}}*{rate[0]}"),
            _Col("governance", f"Governance ({cur})", "money0",
                 book.series(parts["governance"]), f"{{fees}}*{rate[1]}"),
            _Col("risk_reserve", f"Risk reserve ({cur})", "money0",
                 book.series(parts["risk_reserve"]), f"{{fees}}*{rate[2]}"),
            _Col("retained_staff", f"Retained staff ({cur})", "money0",
                 book.series(parts["retained_staff"]),
                 _RETAINED if vendor.retained_staff else None),
            _Col("related", f"Vendor-related cost VR(m) ({cur})", "money0",
                 book.series(vs.related), "SUM({fees}:{retained_staff})", width=14),
            _Col("remaining_in_house", f"In-house cost that remains ({cur})", "money0",
                 book.series(parts["remaining_in_house"]),
                 "IF({m}<={p}_transition_parallel_run_months,{ih_total},"
                 "{ih_total}-{p}_scope*{ih_avoidable})", width=14),
            _Col("transition", f"Transition T(m) ({cur})", "money0", book.series(vs.transition),
                 "SUMPRODUCT(({p}_transition_costs_month={m})*{p}_transition_costs_amount"
                 "*{p}_transition_costs_fx)" if vendor.transition.costs else None),
        ]  # fmt: skip
        total = np.array(book.series(vs.total))
        savings = np.array(book.series(streams.base.total)) - total
        discounted = savings * np.array(book.series(streams.timeline.discount))
        cols += [
            _Col("total", f"Vendor option cost VO(m) ({cur})", "money0", total,
                 "{related}+{remaining_in_house}+{transition}", width=14),
            _Col("cumulative", f"Cumulative vendor option cost ({cur})", "money0",
                 np.cumsum(total), "{prev_cumulative}+{total}", "{total}", width=15),
            _Col("savings", f"Savings s(m) = IH - VO ({cur})", "money0", savings,
                 "{ih_total}-{total}", width=14),
            _Col("cum_savings", f"Cumulative savings C(m) ({cur})", "money0", np.cumsum(savings),
                 "{prev_cum_savings}+{savings}", "{savings}", width=14),
            _Col("disc_savings", f"Discounted savings s × DF ({cur})", "money0", discounted,
                 "{savings}*{df}", width=14),
            _Col("cum_disc_savings", f"Cumulative discounted savings ({cur})", "money0",
                 np.cumsum(discounted), "{prev_cum_disc_savings}+{disc_savings}",
                 "{disc_savings}", width=15),
            *_helpers(savings, discounted),
        ]  # fmt: skip
        return group


# in-house roles kept or hired to run the contract: salaries, benefits and hiring
_RETAINED = (
    "(SUMPRODUCT({p}_retained_staff_headcount,{p}_retained_staff_annual_salary)"
    "+SUMPRODUCT({p}_retained_staff_headcount,{p}_retained_staff_annual_salary"
    "*{p}_retained_staff_benefits_rate+{p}_retained_staff_benefits_per_head_annual))/12*{wage}"
    "+SUMPRODUCT({p}_retained_staff_headcount,{p}_retained_staff_attrition_rate,"
    "{p}_retained_staff_cost_per_hire)/12*{price}"
)


def _charge(j: int, charge: Charge) -> str:
    """The template of one charge's raw fees R(m), in the quote's currency."""
    c = f"{{p}}_pricing_{j}"
    if charge.form == "monthly":
        return f"IF({{m}}=0,0,{c}_monthly)"
    if charge.form == "per_fte_month":
        return f"IF({{m}}=0,0,{c}_per_fte_month*{c}_fte)"
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


def _helpers(savings: Any, discounted: Any) -> list[_Col]:
    """Helper columns (grouped, folded): sign changes for IRR, months below 0 for payback."""
    clean = np.where(is_zero(savings), 0.0, savings)
    sign = np.sign(clean)
    last_sign, flips, seen = [], [], 0.0
    for x in sign:
        flips.append(int(x != 0 and seen != 0 and x != seen))
        seen = x if x != 0 else seen
        last_sign.append(seen)
    months = np.arange(len(savings))

    def below(stream: Any) -> Any:
        return np.where(np.cumsum(stream) <= -HALF_CENT, months, -1)

    return [
        _Col("s_irr", f"Savings for IRR (|s| < {HALF} counts as 0)", "money0", clean,
             f"IF(ABS({{savings}})<{HALF},0,{{savings}})", helper=True),
        _Col("sign", "Sign of savings", "int", sign, "SIGN({s_irr})", helper=True, width=8),
        _Col("last_sign", "Last nonzero sign so far", "int", last_sign,
             "IF({sign}<>0,{sign},{prev_last_sign})", "{sign}", helper=True, width=8),
        _Col("flip", "Sign change here (1 = yes)", "int", flips,
             "IF(AND({sign}<>0,{prev_last_sign}<>0,{sign}<>{prev_last_sign}),1,0)", "0",
             helper=True, width=8),
        _Col("below", "Month if C(m) < 0, else -1", "int", below(savings),
             f"IF({{cum_savings}}<=-{HALF},{{m}},-1)", helper=True, width=9),
        _Col("disc_below", "Month if discounted C(m) < 0, else -1", "int", below(discounted),
             f"IF({{cum_disc_savings}}<=-{HALF},{{m}},-1)", helper=True, width=9),
    ]  # fmt: skip


# ------------------------------------------------------------------ Summary

RESULT_KINDS = {
    "tco": "money",
    "npv": "money",
    "savings": "money",
    "savings_pct": "rate",
    "npv_savings": "money",
    "investment": "money",
    "roi": "rate",
    "irr": "rate",
    "payback_months": "months",
    "discounted_payback_months": "months",
    "break_even_price_change": "signed_rate",
    "break_even_volume": "volume",
}
HELPER_LABELS = {
    "sign_changes": "Sign changes among nonzero monthly savings (IRR needs exactly 1)",
    "last_below": "Last month with cumulative savings below 0 (-1: none)",
    "last_disc_below": "Last month with cumulative discounted savings below 0 (-1: none)",
}


class _SummarySheet:
    """Every result of SPEC section 4 as a formula, the cost breakdown, and the chart."""

    IH_COL = 2  # in-house figures; vendor i in column IH_COL + 1 + i

    def __init__(self, book: _Book, ws: Any, grid: _Grid) -> None:
        self.book = book
        self.ws = ws
        self.grid = grid
        self.rows: dict[str, int] = {}
        self.header_row = 3

    def cell(self, key: str, col: int) -> str:
        return f"{xl_col_to_name(col)}{self.rows[key] + 1}"

    def write(self) -> None:
        book, ws = self.book, self.ws
        case, cur = book.case, book.currency
        vendors = len(case.vendors)
        ws.set_column(0, 0, 64)
        ws.set_column(1, 1, 26, book.fmt("text", "key"))
        ws.set_column(self.IH_COL, self.IH_COL + vendors, 22)
        ws.write_string(0, 0, f"Make or buy: {case.in_house.name}", book.fmt("text", "title"))
        ws.write_string(
            1,
            0,
            f"{case.horizon_months} months, amounts in {cur}. Every figure below is a formula "
            "over the Inputs and Monthly sheets: change an input (blue cell) and it follows.",
            book.fmt("text", "note"),
        )
        header, fmt = self.header_row, book.fmt("text", "header")
        ws.write_string(header, 0, "Result", fmt)
        ws.write_string(header, 1, "Key (as in --format json)", fmt)
        ws.write_formula(header, self.IH_COL, "=ih_name", fmt, case.in_house.name)
        for i, v in enumerate(case.vendors):
            ws.write_formula(header, self.IH_COL + 1 + i, f"=vendor_{i}_name", fmt, v.name)
        ws.set_row(header, 32)
        ws.freeze_panes(header + 1, 1)

        row = header + 1
        for key in ("horizon_months", "discount_rate", "", *RESULT_KINDS, "recommendation", ""):
            self.rows[key] = row
            row += 1
        ws.write_string(row, 0, "Helpers behind the results", book.fmt("text", "subsection"))
        for key in HELPER_LABELS:
            row += 1
            self.rows[key] = row
        row += 2
        title = f"Cost over the horizon, by component ({cur})"
        ws.write_string(row, 0, title, book.fmt("text", "subsection"))
        for key in (*IN_HOUSE_PARTS, "paid_time_off", "cost_per_productive_hour", *VENDOR_PARTS):
            row += 1
            self.rows[f"breakdown.{key}"] = row
        self.context()
        for i in range(vendors):
            self.helpers(i)
            self.results(i)
        self.in_house()
        self.recommendation()
        self.chart(row + 2)

    def put(
        self,
        key: str,
        label: str,
        col: int,
        formula: str,
        kind: str,
        value: Any,
        name: str = "",
        style: str = "result",
    ) -> None:
        row = self.rows[key]
        self.ws.write_string(row, 0, label)
        self.ws.write_string(row, 1, key)
        cached = NA if value is None else value
        self.ws.write_formula(row, col, formula, self.book.fmt(kind, style), cached)
        if name:
            self.book.name(name, "Summary", row, col)

    def context(self) -> None:
        case = self.book.case
        self.put(
            "horizon_months",
            "Horizon (months)",
            self.IH_COL,
            "=analysis_horizon_months",
            "int",
            case.horizon_months,
        )
        self.put(
            "discount_rate",
            "Discount rate (per year)",
            self.IH_COL,
            "=analysis_discount_rate",
            "rate",
            self.book.result.discount_rate,
        )

    def in_house(self) -> None:
        book, g, col = self.book, self.grid, self.IH_COL
        ih, cur = book.result.in_house, book.currency
        self.put(
            "tco",
            f"TCO: total cost over the horizon ({cur})",
            col,
            f"=SUM({g.range('ih_total')})",
            "money",
            ih.tco,
            "result_ih_tco",
        )
        self.put(
            "npv",
            f"NPV of the costs ({cur})",
            col,
            f"=SUMPRODUCT({g.range('ih_total')},{g.range('df')})",
            "money",
            ih.npv,
            "result_ih_npv",
        )
        for key in IN_HOUSE_PARTS:
            self.put(
                f"breakdown.{key}",
                LABELS[key],
                col,
                f"=SUM({g.range(f'ih_{key}')})",
                "money",
                ih.breakdown.get(key),
            )
        self.put(
            "breakdown.paid_time_off",
            LABELS["paid_time_off"],
            col,
            "=SUMPRODUCT(ih_staff_headcount*(ih_staff_annual_salary+ih_staff_annual_salary"
            "*ih_staff_benefits_rate+ih_staff_benefits_per_head_annual)*ih_staff_time_off_days)"
            f"/ih_calendar_working_days_per_year/12*SUM({g.range('wage')})",
            "money",
            ih.breakdown.get("paid_time_off"),
        )
        n = min(12, book.case.horizon_months)
        self.put(
            "breakdown.cost_per_productive_hour",
            f"Fully loaded cost per productive hour, months 1..{n}",
            col,
            f"=IF(ih_productive_hours_per_month>0,(SUM({g.range('ih_total', 1, n)})"
            f"-SUM({g.range('ih_one_time', 1, n)}))/(ih_productive_hours_per_month*{n}),"
            f'"{NA}")',
            "money",
            ih.cost_per_productive_hour,
        )

    def results(self, i: int) -> None:
        """Vendor i's results (SPEC section 4), each a formula but the break-even volume."""
        book, g = self.book, self.grid
        cur, unit = book.currency, book.result.unit or "unit"
        col, k, p = self.IH_COL + 1 + i, f"v{i}_", f"vendor_{i}"
        vr = book.result.vendors[i]

        def c(key: str) -> str:
            return self.cell(key, col)

        def ih(key: str) -> str:
            return self.cell(key, self.IH_COL)

        def payback(last: str, cumulative: str, savings: str) -> str:
            """0 if C never falls below 0; n/a if C(H) < 0; else interpolate in month last+1."""
            return (
                f'=IF({last}=-1,0,IF({last}={g.horizon},"{NA}",{last}'
                f"+(-INDEX({g.range(k + cumulative)},{last}+1))"
                f"/INDEX({g.range(k + savings)},{last}+2)))"
            )

        # Newton from the engine's root converges at once; should an edit move the root
        # far from it, IFERROR retries from the spreadsheet's default start
        monthly_irr = 0.01 if vr["irr"] is None else (1 + vr["irr"]) ** (1 / 12) - 1
        s_irr = g.range(k + "s_irr")
        fee_npv = f"SUMPRODUCT({g.range(k + 'fees')},{g.range('df')})*{p}_cost_factor"
        months = g.range("month")
        rows = {
            "tco": (f"TCO: total cost over the horizon ({cur})", f"=SUM({g.range(k + 'total')})"),
            "npv": (
                f"NPV of the costs ({cur})",
                f"=SUMPRODUCT({g.range(k + 'total')},{g.range('df')})",
            ),
            "savings": (f"Savings: TCO in-house - TCO vendor ({cur})", f"={ih('tco')}-{c('tco')}"),
            "savings_pct": (
                "Savings % of in-house TCO",
                f'=IF(ABS({ih("tco")})<{HALF},"{NA}",{c("savings")}/{ih("tco")})',
            ),
            "npv_savings": (f"NPV savings ({cur})", f"={ih('npv')}-{c('npv')}"),
            "investment": (
                f"Investment: transition + vendor cost during parallel run ({cur})",
                f"=SUM({g.range(k + 'transition')})+SUMPRODUCT(({months}>=1)"
                f"*({months}<={p}_transition_parallel_run_months)*{g.range(k + 'related')})",
            ),
            "roi": (
                "ROI: savings / investment",
                f'=IF(ABS({c("investment")})<{HALF},"{NA}",{c("savings")}/{c("investment")})',
            ),
            "irr": (
                "IRR (annual, from monthly savings)",
                f"=IF({c('sign_changes')}=1,(1+IFERROR(IRR({s_irr},{monthly_irr:.12g}),"
                f'IRR({s_irr})))^12-1,"{NA}")',
            ),
            "payback_months": (
                "Payback (months)",
                payback(c("last_below"), "cum_savings", "savings"),
            ),
            "discounted_payback_months": (
                "Discounted payback (months)",
                payback(c("last_disc_below"), "cum_disc_savings", "disc_savings"),
            ),
            "break_even_price_change": (
                "Break-even price change (on every fee)",
                f'=IF(ABS({fee_npv})<{HALF},"{NA}",{c("npv_savings")}/({fee_npv}))',
            ),
        }
        for key, (label, formula) in rows.items():
            self.put(key, label, col, formula, RESULT_KINDS[key], vr[key], f"result_{p}_{key}")
        # no closed form: the engine's search, written as a value
        row, value = self.rows["break_even_volume"], vr["break_even_volume"]
        label = f"Break-even volume ({unit}s/month): computed by outsourcecalc"
        self.ws.write_string(row, 0, label)
        self.ws.write_string(row, 1, "break_even_volume")
        fmt = book.fmt("volume", "result")
        if value is None:
            self.ws.write_string(row, col, NA, fmt)
        else:
            self.ws.write_number(row, col, value, fmt)
        book.name(f"result_{p}_break_even_volume", "Summary", row, col)
        for key in VENDOR_PARTS:
            self.put(
                f"breakdown.{key}",
                LABELS[key],
                col,
                f"=SUM({g.range(k + key)})",
                "money",
                vr.breakdown.get(key),
            )

    def helpers(self, i: int) -> None:
        book, g = self.book, self.grid
        streams = book.streams
        k, col = f"v{i}_", self.IH_COL + 1 + i
        savings = np.array(book.series(streams.base.total)) - book.series(streams.vendors[i].total)
        discounted = savings * np.array(book.series(streams.timeline.discount))
        values = {
            "sign_changes": int(sign_changes(savings.reshape(1, -1))[0]),
            "last_below": _last_below(savings),
            "last_disc_below": _last_below(discounted),
        }
        formulas = {
            "sign_changes": f"=SUM({g.range(k + 'flip')})",
            "last_below": f"=MAX({g.range(k + 'below')})",
            "last_disc_below": f"=MAX({g.range(k + 'disc_below')})",
        }
        for key, label in HELPER_LABELS.items():
            self.put(key, label, col, formulas[key], "int", values[key], style="helper")

    def recommendation(self) -> None:
        """The vendor with the largest positive NPV savings (the first on a tie), else in-house."""
        first = xl_col_to_name(self.IH_COL + 1)
        last = xl_col_to_name(self.IH_COL + len(self.book.case.vendors))
        row, names = self.rows["npv_savings"] + 1, self.header_row + 1
        npv = f"${first}${row}:${last}${row}"
        vendors = f"${first}${names}:${last}${names}"
        self.put(
            "recommendation",
            "Recommendation (largest positive NPV savings)",
            self.IH_COL,
            f'=IF(MAX({npv})>={HALF},INDEX({vendors},1,MATCH(MAX({npv}),{npv},0)),"in-house")',
            "text",
            self.book.result.recommendation,
            "result_recommendation",
            "verdict",
        )

    def chart(self, row: int) -> None:
        """Cumulative cost of the in-house baseline and of each vendor option, by month."""
        book, g = self.book, self.grid
        horizon, cur = book.case.horizon_months, book.currency
        chart = book.workbook.add_chart({"type": "scatter", "subtype": "straight"})
        keys = ["ih_cumulative", *(f"v{i}_cumulative" for i in range(len(book.case.vendors)))]
        for n, key in enumerate(keys):
            chart.add_series(
                {
                    "name": ["Summary", self.header_row, self.IH_COL + n],
                    "categories": g.rows("month"),
                    "values": g.rows(key),
                    "line": {"color": COLOURS[n % len(COLOURS)], "width": 2.25},
                    "marker": {"type": "none"},
                }
            )
        step = next(s for s in (1, 3, 6, 12, 24, 60) if horizon / s <= 12)
        chart.set_title({"name": f"Cumulative cost by option ({cur})", "name_font": {"size": 13}})
        chart.set_x_axis({"name": "Month", "min": 0, "max": horizon, "major_unit": step})
        chart.set_y_axis(
            {
                "name": f"Cumulative cost ({cur})",
                "num_format": "#,##0",
                "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
            }
        )
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 860, "height": 440})
        self.ws.insert_chart(row, 0, chart, {"x_offset": 4, "y_offset": 8})


def _last_below(savings: Any) -> int:
    """The last month whose cumulative savings are below 0 (-1: none), as the helper shows."""
    below = np.flatnonzero(np.cumsum(savings) <= -HALF_CENT)
    return int(below[-1]) if len(below) else -1
