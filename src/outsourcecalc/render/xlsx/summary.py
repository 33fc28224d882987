"""The Summary sheet: every result of the contract as a formula over Monthly, and the chart.

In-house in one column, each vendor in the next: TCO and NPV of IH(m) and VO(m), the
savings, ROI, IRR and paybacks from s(m), the break-even price change on F(m), the
recommendation, the cost breakdown by component; helpers behind them; the chart of
cumulative cost by option.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from ...engine.model import sign_changes
from ...rules import IN_HOUSE, IN_HOUSE_PARTS, VENDOR_PARTS
from ..format import LABELS
from ..words import scenario_line
from .book import COLOURS, HALF, NA, Book, months_below
from .monthly import MonthlyGrid, StaffFormulas

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
BENEFITS_LABEL = "Benefits: of the staff (in house); of the switch, which lower the cost (vendor)"
ELIGIBLE_LABEL = "NPV savings of a vendor that may be recommended (score at least the minimum)"


# Where IRR starts when the engine's root fails: after an edit has moved the root away
# from it. The spreadsheet's own default first; then ever closer to -100% a month, where
# a vendor that barely pays back puts the root and from where Newton's method must start.
IRR_RETRIES = ("", "-0.5", "-0.9", "-0.99")


def irr_tries(values: str, guess: str) -> str:
    """IRR(values, guess), and where that fails, IRR from each of IRR_RETRIES in turn:
    with exactly one sign change there is one root above -100%, wherever Newton starts."""
    formula = f"IRR({values},{IRR_RETRIES[-1]})"
    for retry in reversed((guess, *IRR_RETRIES[:-1])):
        start = f",{retry}" if retry else ""
        formula = f"IFERROR(IRR({values}{start}),{formula})"
    return formula


class SummarySheet:
    """Every result of SPEC section 4 as a formula, the cost breakdown, and the chart."""

    IH_COL = 2  # in-house figures; vendor i in column IH_COL + 1 + i

    def __init__(self, book: Book, ws: Any, grid: MonthlyGrid) -> None:
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
        scenario = scenario_line(book.result.scenario)
        if scenario:  # the row above the table: the figures are this scenario's
            ws.write_string(
                2, 0, scenario + " (orange cells on Inputs)", book.fmt("text", "override")
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
        keys = ("horizon_months", "discount_rate", "", *RESULT_KINDS, "score", "recommendation", "")
        for key in keys:
            self.rows[key] = row
            row += 1
        ws.write_string(row, 0, "Helpers behind the results", book.fmt("text", "subsection"))
        for key in (*HELPER_LABELS, *(["eligible_npv_savings"] if self.min_score else [])):
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
        self.scores()
        self.recommendation()
        row = self.run(row)
        self.chart(row + 2)

    def run(self, row: int) -> int:
        """The run's --set changes and notes, as `compare --format json` lists them (keys
        overrides.<path> and notes[<k>]); returns the last row written."""
        result, ws, book = self.book.result, self.ws, self.book
        if not result.overrides and not result.notes:
            return row
        row += 2
        ws.write_string(row, 0, "This run", book.fmt("text", "subsection"))
        for path, value in result.overrides.items():
            row += 1
            ws.write_string(row, 0, "Changed on the command line (--set)")
            ws.write_string(row, 1, f"overrides.{path}")
            if isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(row, self.IH_COL, value)
            else:  # as the JSON writes it: true, "month"
                ws.write_string(row, self.IH_COL, json.dumps(value, ensure_ascii=False))
        for k, note in enumerate(result.notes):
            row += 1
            ws.write_string(row, 0, "Note")
            ws.write_string(row, 1, f"notes[{k}]")
            ws.write_string(row, self.IH_COL, note, book.fmt("text", "note"))
        return row

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

    @property
    def min_score(self) -> bool:
        """Does the scorecard have a min_score (which may keep a vendor from the verdict)?"""
        card = self.book.case.in_house.scorecard
        return card is not None and card.min_score is not None

    def scores(self) -> None:
        """Each option's score, from the Scorecard sheet; n/a where the contract's is null."""
        book = self.book
        card = book.case.in_house.scorecard
        label = "Score: weighted scorecard (0 to its scale)"
        scored = card is not None
        options = [
            ("ih", book.result.in_house.score, card is not None and card.in_house is not None)
        ]
        options += [(f"vendor_{i}", v["score"], scored) for i, v in enumerate(book.result.vendors)]
        for n, (who, value, scored) in enumerate(options):
            col = self.IH_COL + n
            if scored:
                self.put(
                    "score", label, col, f"=score_{who}", "score", value, f"result_{who}_score"
                )
            else:
                row = self.rows["score"]
                self.ws.write_string(row, 0, label)
                self.ws.write_string(row, 1, "score")
                self.ws.write_string(row, col, NA, book.fmt("score", "result"))
        if self.min_score:
            for i in range(len(book.case.vendors)):
                col, p = self.IH_COL + 1 + i, f"vendor_{i}"
                vr = book.result.vendors[i]
                eligible = book.eligible(i)
                self.put(
                    "eligible_npv_savings",
                    ELIGIBLE_LABEL,
                    col,
                    f'=IF(eligible_{p}="yes",{self.cell("npv_savings", col)},"{NA}")',
                    "money",
                    vr["npv_savings"] if eligible else None,
                    style="helper",
                )

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
        ih = book.result.in_house
        values = {"tco": ih.tco, "npv": ih.npv}
        for key, (label, formula) in self.costs("ih_").items():
            self.put(key, label, col, formula, "money", values[key], f"result_ih_{key}")
        self.breakdown(col, "ih_", IN_HOUSE_PARTS, ih.breakdown)
        days, wage = "ih_calendar_working_days_per_year", g.range("wage")
        # a role that follows the workload: its headcount month by month times the wage index
        flexing = "".join(
            f"+SUMPRODUCT({g.range(f'ih_hc_{k}')},{wage})*({StaffFormulas(f'ih_staff_{k}').pay})"
            f"*ih_staff_{k}_time_off_days/{days}/12"
            for k in book.workload_roles
        )
        self.put(
            "breakdown.paid_time_off",
            LABELS["paid_time_off"],
            col,
            f"=SUMPRODUCT(ih_staff_headcount*({StaffFormulas('ih_staff').pay})*ih_staff_time_off_days)"
            f"/{days}/12*SUM({wage}){flexing}",
            "money",
            ih.breakdown.get("paid_time_off"),
        )
        n = min(12, book.case.horizon_months)
        if book.workload_roles:  # P(m) follows the team: the months' own hours
            hours = positive = f"SUM({g.range('ih_productive_hours', 1, n)})"
        else:
            positive, hours = "ih_productive_hours_per_month", f"ih_productive_hours_per_month*{n}"
        self.put(
            "breakdown.cost_per_productive_hour",
            f"Fully loaded cost per productive hour, months 1..{n}",
            col,
            f"=IF({positive}>0,(SUM({g.range('ih_total', 1, n)})"
            f"-SUM({g.range('ih_one_time', 1, n)}))/({hours}),"
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

        # Newton from the engine's root converges at once (the monthly root, not one
        # derived from the annual IRR: a monthly -97.5% is an annual -100% to the last
        # bit, and IRR cannot start from -100%); see irr_tries for an edited workbook
        root = book.monthly_irr(i)
        guess = "0.01" if root is None else repr(root).upper()
        s_irr = g.range(k + "s_irr")
        fee_npv = f"SUMPRODUCT({g.range(k + 'fees')},{g.range('df')})*{p}_cost_factor"
        months = g.range("month")
        rows = {
            **self.costs(k),
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
                f'=IF({c("sign_changes")}=1,(1+{irr_tries(s_irr, guess)})^12-1,"{NA}")',
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
        self.breakdown(col, k, VENDOR_PARTS, vr.breakdown)

    def costs(self, prefix: str) -> dict[str, tuple[str, str]]:
        """Label and formula of the TCO and the NPV of IH(m) ("ih_") or of a VO(m) ("v0_")."""
        g, cur = self.grid, self.book.currency
        total = g.range(prefix + "total")
        return {
            "tco": (f"TCO: total cost over the horizon ({cur})", f"=SUM({total})"),
            "npv": (f"NPV of the costs ({cur})", f"=SUMPRODUCT({total},{g.range('df')})"),
        }

    def breakdown(
        self, col: int, prefix: str, parts: Sequence[str], values: Mapping[str, float]
    ) -> None:
        """Each cost component over the horizon: the sum of its Monthly column."""
        for key in parts:
            label, formula = LABELS[key], f"=SUM({self.grid.range(prefix + key)})"
            if key == "benefits" and self.switch_benefits:
                label = BENEFITS_LABEL
            self.put(f"breakdown.{key}", label, col, formula, "money", values.get(key))
        if prefix != "ih_" and "benefits" in values:
            # B(m) lowers the vendor option's cost: in the breakdown, -sum B(m), on the row
            # of the key "benefits" as in the JSON
            formula = f"=-SUM({self.grid.range(prefix + 'benefits')})"
            self.put(
                "breakdown.benefits", BENEFITS_LABEL, col, formula, "money", values["benefits"]
            )

    @property
    def switch_benefits(self) -> bool:
        return any(v.benefits for v in self.book.case.vendors)

    def helpers(self, i: int) -> None:
        book, g = self.book, self.grid
        k, col = f"v{i}_", self.IH_COL + 1 + i
        savings, discounted = book.savings(i)
        values = {
            "sign_changes": int(sign_changes(savings.reshape(1, -1))[0]),
            "last_below": int(months_below(savings).max()),
            "last_disc_below": int(months_below(discounted).max()),
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
        key = "eligible_npv_savings" if self.min_score else "npv_savings"
        row, names = self.rows[key] + 1, self.header_row + 1
        npv = f"${first}${row}:${last}${row}"
        vendors = f"${first}${names}:${last}${names}"
        among = " among vendors that score at least the minimum" if self.min_score else ""
        self.put(
            "recommendation",
            f"Recommendation (largest positive NPV savings{among})",
            self.IH_COL,
            f'=IF(MAX({npv})>={HALF},INDEX({vendors},1,MATCH(MAX({npv}),{npv},0)),"{IN_HOUSE}")',
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
