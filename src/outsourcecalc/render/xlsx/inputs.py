"""The Inputs sheet: every assumption of both files, labelled, with units, as named cells.

The sheet chooses which inputs it shows and where; what each is called and what its
values are (label, unit, note, currency) it reads from the models' `Label` markers, and
the unit gives the cell's number format. It writes them in the order of the files, each
cell named after its input path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from ...engine.model import productive_hours_per_head
from ...inputs.loader import Document, Loc
from ...inputs.models import Charge, FileKind, Label, Vendor, choices, label_of
from .book import MONTH_NAMES, Book


def _locs(*keys: str) -> tuple[Loc, ...]:
    return tuple((key,) for key in keys)


# The columns of each table, as paths inside one of its entries.
ROLE_FIELDS = _locs(
    "headcount",
    "annual_salary",
    "benefits_rate",
    "benefits_per_head_annual",
    "time_off_days",
    "attrition_rate",
    "cost_per_hire",
)
STAFF_FIELDS = (*ROLE_FIELDS, ("avoidable",))
CHARGE_FIELDS = _locs(
    "monthly", "per_fte_month", "fte", "per_hour", "hours_per_month", "per_unit", "tier_mode"
)
TIER_FIELDS = _locs("up_to", "per_unit")
VARIABLE_COST_FIELDS = _locs("per_unit", "avoidable")
OVERHEAD_FIELDS = _locs("monthly", "annual", "per_head_monthly", "avoidable")
ONE_TIME_FIELDS = _locs("amount", "month", "avoidable")
TRANSITION_COST_FIELDS = _locs("amount", "currency", "month")
# a role whose headcount follows the workload (SPEC section 2): how its team is sized
SIZING_FIELDS = _locs("handle_minutes", "occupancy", "staffing", "min_headcount")
BENEFIT_FIELDS = _locs("monthly", "annual", "amount", "from_month", "month", "currency")
SCORECARD_FIELDS: tuple[Loc, ...] = (("scorecard", "scale"), ("scorecard", "min_score"))
FORM_LABELS = {
    "monthly": "fixed monthly",
    "per_fte_month": "per FTE-month",
    "per_hour": "per hour",
    "per_unit": "per unit",
    "tiers": "tiered per unit",
}
# The inputs shown one per row, under their headings.
IN_HOUSE_SCALARS: tuple[tuple[str, tuple[Loc, ...]], ...] = (
    ("", _locs("name", "currency")),
    (
        "Analysis",
        (
            ("analysis", "horizon_months"),
            ("analysis", "discount_rate"),
            ("analysis", "start_month"),
        ),
    ),
    (
        "Calendar and growth",
        (
            ("calendar", "working_days_per_year"),
            ("calendar", "hours_per_day"),
            ("salary_growth",),
            ("inflation",),
        ),
    ),
)
WORKLOAD_FIELDS: tuple[Loc, ...] = (
    ("workload", "unit"),
    ("workload", "monthly_volume"),
    ("workload", "growth_rate"),
    *(("workload", "seasonality", k) for k in range(12)),
)
VENDOR_FIELDS = _locs(
    "name", "currency", "fx_rate", "scope", "annual_escalation", "minimum_monthly_fee"
)
SERVICE_FIELDS = _locs("sla_credit_rate", "governance_rate", "risk_contingency_rate")
PARALLEL_RUN: Loc = ("transition", "parallel_run_months")


def caption(label: Label) -> str:
    """A label as a row or column heading: "annual salary" is "Annual salary"."""
    return label.text[:1].upper() + label.text[1:]


def number_format(label: Label) -> str:
    """The number format (a kind of book.NUMBER_FORMATS) of an input with this label."""
    if label.unit == "money":
        return "price" if label.per == "unit" else "money"  # a unit price may need 4 decimals
    if label.unit in ("months", "month"):
        return "int"
    if label.unit in ("fte", "units", "days", "hours"):
        # a monthly quantity (a volume, hours billed) can run to thousands
        return "volume" if label.per == "month" else "count"
    return {"currency": "text", "flag": "bool", "number": "factor"}.get(label.unit, label.unit)


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
        self.kind: FileKind = "in_house"
        self.model: Any = None
        self.prefix = ""
        self.quote = ""

    def name_of(self, loc: Loc) -> str:
        path = "_".join(str(part) for part in loc)
        return path if loc[0] == "analysis" else f"{self.prefix}_{path}"

    def label(self, loc: Loc) -> Label:
        """What the input at `loc` of the file being written is called (from the models)."""
        return label_of(self.kind, loc)

    def unit(self, loc: Loc) -> str:
        """What the input's values are, for the unit column: "USD/FTE/year", "per year"."""
        label = self.label(loc)
        workload = self.book.case.in_house.workload
        per = f"/{label.per}" if label.per else ""
        currency = {
            "analysis": self.book.currency,
            "quote": self.quote,
            "own": "in its currency",
        }[label.currency]
        base = {
            "money": currency + per,
            "rate": f"per {label.per}" if label.per else "",
            "fx": f"{self.book.currency} per 1 {self.quote}",
            "fte": "FTE" + per,
            "units": (f"{workload.unit}s" if workload else "units") + per,
            "days": "days" + per,
            "hours": "hours" + per,
            "months": "months" + per,
            "currency": "ISO 4217",
        }.get(label.unit, "")
        note = label.note or "/".join(choices(self.kind, loc))
        return ": ".join(part for part in (base, note) if part)

    def caption_of(self, loc: Loc) -> str:
        """The row heading of an input; an entry of a list (seasonality) adds its month."""
        text = caption(self.label(loc))
        return f"{text}: {MONTH_NAMES[loc[-1]]}" if isinstance(loc[-1], int) else text

    def fmt(self, loc: Loc) -> str:
        return number_format(self.label(loc))

    # -- layout

    def heading(self, text: str, style: str = "subsection") -> None:
        if style == "section":
            self.row += 1
        if text:
            self.ws.write_string(self.row, 0, text, self.book.fmt("text", style))
            self.row += 1

    def value(
        self, row: int, col: int, value: Any, loc: Loc, kind: str = "", name: str = ""
    ) -> str:
        """Write one input as a named cell (in its unit's number format unless `kind` says
        another), named after its path unless `name` says another (a path through a
        mapping key, which a defined name cannot hold); return where it came from."""
        source, overridden = _source(self.doc, loc)
        fmt = self.book.fmt(kind or self.fmt(loc), "override" if overridden else "input")
        if isinstance(value, bool):
            self.ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, str):
            self.ws.write_string(row, col, value, fmt)
        else:
            self.ws.write_number(row, col, float(value), fmt)
        self.book.name(name or self.name_of(loc), self.SHEET, row, col)
        return source

    def scalars(self, fields: Sequence[Loc], defaults: dict[Loc, Any] | None = None) -> None:
        """One input per row: label, value, unit ... source."""
        for loc in fields:
            value = _get(self.model, loc)
            if value is None:
                value = (defaults or {})[loc]
            self.ws.write_string(self.row, 0, self.caption_of(loc))
            source = self.value(self.row, 1, value, loc)
            self.ws.write_string(self.row, 2, self.unit(loc), self.book.fmt("text", "note"))
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
        """A table's column headings: each a (label, unit) pair."""
        fmt = self.book.fmt("text", "header")
        for col in range(self.SOURCE_COL + 1):
            self.ws.write_blank(self.row, col, None, fmt)
        self.ws.write_string(self.row, 0, first, fmt)
        for col, (label, unit) in enumerate(labels, start=1):
            self.ws.write_string(self.row, col, label + (f"\n({unit})" if unit else ""), fmt)
        self.ws.write_string(self.row, self.SOURCE_COL, "Source", fmt)
        self.ws.set_row(self.row, 44)
        self.row += 1

    def columns(self, list_loc: Loc, fields: Sequence[Loc]) -> list[tuple[str, str]]:
        """The (label, unit) headings of a table's fields, from an entry of the list."""
        return [
            (self.caption_of((*list_loc, 0, *f)), self.unit((*list_loc, 0, *f))) for f in fields
        ]

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
        fields: Sequence[Loc],
        effective: Callable[[Any, Loc], Any] | None = None,
        headings: Sequence[tuple[str, str]] | None = None,
    ) -> int:
        """A list of the file (staff, overheads, ...): a row per item; returns the first row.
        `headings` replaces the columns' (label, unit) headings read from the models."""
        items = _get(self.model, list_loc)
        self.heading(title)
        self.header(first, headings or self.columns(list_loc, fields))
        top = self.row
        for i, item in enumerate(items):
            loc = (*list_loc, i)
            sources = [self.value(self.row, 0, getattr(item, label_key), (*loc, label_key), "text")]
            for col, f in enumerate(fields, start=1):
                value = effective(item, f) if effective else _get(item, f)
                if value is not None:
                    sources.append(self.value(self.row, col, value, (*loc, *f)))
            self.row_source(loc, sources)
            self.row += 1
        for col, f in enumerate(fields, start=1):
            self.book.name(self.name_of((*list_loc, *f)), self.SHEET, top, col, self.row - 1)
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
        self.doc, self.kind, self.prefix, self.quote = (
            case.in_house_doc,
            "in_house",
            "ih",
            book.currency,
        )
        self.heading(f"In-house baseline: {ih.name}", "section")
        for title, fields in IN_HOUSE_SCALARS:
            self.heading(title)
            self.scalars(fields)
        self.table("Staff", "Role", "role", ("staff",), STAFF_FIELDS)
        if book.workload_roles:
            self.sizing()
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

        if ih.scorecard is not None:
            self.scorecard()

        self.heading("Derived from the in-house inputs")
        streams = book.streams
        flexing = bool(book.workload_roles)
        self.derived(
            "Total headcount of the fixed roles"
            if flexing
            else "Total headcount (all in-house roles)",
            "FTE",
            "ih_total_headcount",
            "=SUM(ih_staff_headcount)",
            float(ih.total_headcount),
            "count",
        )
        if not flexing:
            # with a team that follows the workload, P(m) changes by month: see Monthly
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
        self.model, self.kind = vendor, "vendor"
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

            def effective(item: Any, f: Loc) -> Any:
                value = _get(item, f)
                return ih.currency if value is None and f == ("currency",) else value

            top = self.table(
                "Transition costs", "Cost", "name", ("transition", "costs"), fields, effective
            )
            self.conversion(p, vendor, top, costs, fields, "transition_costs")
        if vendor.benefits:
            self.benefits(p, vendor)
        if vendor.scores is not None and ih.scorecard is not None:
            self.scores(p, vendor.scores, ih.scorecard.names)
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
        self.header("Charge", [("Form", ""), *self.columns(("pricing",), CHARGE_FIELDS)])
        for j, charge in enumerate(vendor.pricing):
            loc: Loc = ("pricing", j)
            sources = [self.value(self.row, 0, charge.name, (*loc, "name"), "text")]
            self.ws.write_string(self.row, 1, FORM_LABELS[charge.form])
            for col, f in enumerate(CHARGE_FIELDS, start=2):
                value = _get(charge, f)
                default_hours = f == ("hours_per_month",) and charge.form == "per_hour"
                if default_hours and value is None and book.workload_roles:
                    # P(m) follows the team month by month: the charge's column on Monthly
                    # multiplies it by the scope
                    note = "P(m) × scope"
                    self.ws.write_string(self.row, col, note, book.fmt("text", "derived"))
                    continue
                if default_hours and value is None:
                    # the contract's default, kept live: P times the scope
                    self.ws.write_formula(
                        self.row,
                        col,
                        f"=ih_productive_hours_per_month*{p}_scope",
                        book.fmt(self.fmt((*loc, *f)), "derived"),
                        book.streams.productive_hours * float(vendor.scope),
                    )
                    book.name(self.name_of((*loc, "hours_per_month")), self.SHEET, self.row, col)
                    continue
                if f == ("tier_mode",) and charge.form == "tiers":
                    value = value or "graduated"
                    options = {"validate": "list", "source": list(choices("vendor", (*loc, *f)))}
                    self.ws.data_validation(self.row, col, self.row, col, options)
                if value is not None:
                    sources.append(self.value(self.row, col, value, (*loc, *f)))
            self.row_source(loc, sources)
            self.row += 1
        for j, charge in enumerate(vendor.pricing):
            if charge.tiers:
                self.tiers(j, charge)

    def tiers(self, j: int, charge: Charge) -> None:
        self.heading(f"Tiers of '{charge.name}' (units per month, counted from zero)")
        self.header("Tier", self.columns(("pricing", j, "tiers"), TIER_FIELDS))
        for k, tier in enumerate(charge.tiers or []):
            loc: Loc = ("pricing", j, "tiers", k)
            self.ws.write_string(self.row, 0, f"Tier {k + 1}")
            sources = []
            if tier.up_to is None:
                self.ws.write_string(self.row, 1, "(no limit)", self.book.fmt("text", "note"))
            else:
                sources.append(self.value(self.row, 1, tier.up_to, (*loc, "up_to")))
            sources.append(self.value(self.row, 2, tier.per_unit, (*loc, "per_unit")))
            self.row_source(loc, sources)
            self.row += 1

    def conversion(
        self,
        p: str,
        vendor: Vendor,
        top: int,
        items: Sequence[Any],
        fields: Sequence[Loc],
        key: str,
    ) -> None:
        """A table's last column: the rate each amount converts at to the analysis currency
        (fx_rate where the item's `currency` is the quote's), named {p}_{key}_fx."""
        book, ih = self.book, self.book.case.in_house
        col = len(fields) + 1
        letter = xl_col_to_name(1 + list(fields).index(("currency",)))
        header = f"Rate to {ih.currency}\n(formula)"
        self.ws.write_string(top - 1, col, header, book.fmt("text", "header"))
        for k, item in enumerate(items):
            cur = f"${letter}${top + k + 1}"
            converted = item.currency not in (None, ih.currency)
            self.ws.write_formula(
                top + k,
                col,
                f'=IF(OR({cur}="",{cur}=ih_currency),1,{p}_fx_rate)',
                book.fmt("fx", "derived"),
                float(book.case.fx_rate(vendor)) if converted else 1.0,
            )
        book.name(f"{p}_{key}_fx", self.SHEET, top, col, top + len(items) - 1)

    def sizing(self) -> None:
        """How each workload-driven role's team is sized; its headcount hc(m) is on Monthly."""
        book, ih = self.book, self.book.case.in_house
        self.heading("Roles whose headcount follows the workload (hc(m) on the Monthly sheet)")
        p_label = ("Productive hours per FTE p", "formula")
        self.header("Role", [*self.columns(("staff",), SIZING_FIELDS), p_label])
        for k in book.workload_roles:
            role, loc = ih.staff[k], ("staff", k)
            self.ws.write_formula(
                self.row, 0, f"=ih_staff_{k}_role", book.fmt("text", "derived"), role.role
            )
            sources = []
            for col, f in enumerate(SIZING_FIELDS, start=1):
                sources.append(self.value(self.row, col, _get(role, f), (*loc, *f)))
                if f == ("staffing",):
                    options = {"validate": "list", "source": list(choices("in_house", (*loc, *f)))}
                    self.ws.data_validation(self.row, col, self.row, col, options)
            col = len(SIZING_FIELDS) + 1
            self.ws.write_formula(
                self.row,
                col,
                f"=(ih_calendar_working_days_per_year-ih_staff_{k}_time_off_days)"
                "*ih_calendar_hours_per_day/12",
                book.fmt("volume", "derived"),
                float(productive_hours_per_head(ih, role)),
            )
            book.name(f"ih_staff_{k}_productive_hours", self.SHEET, self.row, col)
            self.row_source(loc, sources)
            self.row += 1

    def scorecard(self) -> None:
        """Scale, minimum score, and each criterion with its weight and today's score."""
        book, card = self.book, self.book.case.in_house.scorecard
        assert card is not None
        self.heading("Scorecard (each option's weighted score on the Scorecard sheet)")
        self.scalars([loc for loc in SCORECARD_FIELDS if _get(self.model, loc) is not None])
        fields: list[Loc] = [("weight",)]
        headings = self.columns(("scorecard", "criteria"), fields)
        if card.in_house is not None:
            headings.append(
                (f"{caption(self.label(('scorecard', 'in_house', card.names[0])))}: in house", "")
            )
        top = self.table(
            "Criteria", "Criterion", "name", ("scorecard", "criteria"), fields, headings=headings
        )
        if card.in_house is not None:
            for k, name in enumerate(card.names):
                loc = ("scorecard", "in_house", name)
                source = self.value(
                    top + k, 2, card.in_house[name], loc, name=f"ih_scorecard_in_house_{k}"
                )
                if source.startswith("--"):
                    self.ws.write_string(top + k, self.SOURCE_COL, source, book.fmt("text", "key"))
            book.name("ih_scorecard_in_house", self.SHEET, top, 2, top + len(card.names) - 1)

    def scores(self, p: str, scores: dict[str, Any], names: Sequence[str]) -> None:
        """The vendor's score on each criterion, one per row in the scorecard's order, each
        headed by its label and criterion as a month of seasonality is: "Score: Quality"."""
        book = self.book
        self.heading("Scores (weighted on the Scorecard sheet)")
        top = self.row
        for k, name in enumerate(names):
            loc = ("scores", name)
            self.ws.write_string(self.row, 0, f"{caption(self.label(loc))}: {name}")
            source = self.value(self.row, 1, scores[name], loc, name=f"{p}_scores_{k}")
            self.ws.write_string(self.row, 2, self.unit(loc), book.fmt("text", "note"))
            self.ws.write_string(self.row, self.SOURCE_COL, source, book.fmt("text", "key"))
            self.row += 1
        book.name(f"{p}_scores", self.SHEET, top, 1, self.row - 1)

    def benefits(self, p: str, vendor: Vendor) -> None:
        """What the switch frees or brings in; a monthly or annual item left without its
        from_month starts after the parallel run (a formula, so it follows that input)."""
        book, ih = self.book, self.book.case.in_house

        def effective(item: Any, f: Loc) -> Any:
            value = _get(item, f)
            if value is None and f == ("currency",):
                return ih.currency
            if value is None and f == ("month",) and item.form == "amount":
                return 0
            return value

        items = vendor.benefits
        fields = BENEFIT_FIELDS
        title = "Benefits of the switch (lower the vendor option's cost)"
        top = self.table(title, "Benefit", "name", ("benefits",), fields, effective)
        col = 1 + fields.index(("from_month",))
        for k, item in enumerate(items):
            if item.form != "amount" and item.from_month is None:
                parallel = vendor.transition.parallel_run_months
                self.ws.write_formula(
                    top + k,
                    col,
                    f"={p}_transition_parallel_run_months+1",
                    book.fmt("int", "derived"),
                    int(parallel) + 1,
                )
                book.name(f"{p}_benefits_{k}_from_month", self.SHEET, top + k, col)
        self.conversion(p, vendor, top, items, fields, "benefits")
