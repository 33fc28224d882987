"""Compare output in every format: the summary side by side, the cost breakdown, the verdict.

The rows of the summary and of the breakdown are built once (`summary_rows`,
`breakdown_rows`), in the order of rules.IN_HOUSE_BREAKDOWN and VENDOR_PARTS;
the table and Markdown views only lay them out. JSON is SPEC section 5; CSV has
one row per option (the in-house baseline first), for spreadsheets and scripts.
`--monthly` adds the months: each option's cost, and per vendor the savings and the
cumulative savings with the payback month marked (the month's calendar name when
the run states its start month).

What contract v2 adds shows only when a case has it, so a v1 case reads as it
always did: the team a workload-driven role needs (`team_rows`), hiring on rises
under hiring, the benefits of the switch under transition, and the scorecard
(`scorecard_rows`) with each option's score in the summary.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..engine.model import RESULT_KEYS
from ..engine.results import Comparison, VendorSummary, cents, rounded
from ..rules import IN_HOUSE_BREAKDOWN, NULL_IS_NEVER, VENDOR_PARTS
from .format import (
    HIRING_WITH_RISES,
    LABELS,
    CsvWriter,
    dumps,
    fte,
    markdown_row,
    markdown_text,
    metric,
    money,
    month_label,
    months,
    number,
    score,
)
from .words import result_cell, scenario_line, scenario_text, verdict

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from ..scenarios.gates import Gate

# (key, in-house cell, one cell per vendor): a row of the summary or of the breakdown
Row = tuple[str, str, list[str]]
TOTAL = "total"  # the key of the breakdown's last row, the TCO


SWITCH_BENEFITS = "benefits"  # a vendor's breakdown key for the benefits of the switch


def summary_rows(result: Comparison, vendors: Sequence[VendorSummary]) -> list[Row]:
    """TCO and NPV of every option, then each result only a vendor has, then the score."""
    cur, ih = result.currency, result.in_house
    rows: list[Row] = [
        ("tco", money(ih.tco, cur), [metric("tco", v["tco"], cur) for v in vendors]),
        ("npv", money(ih.npv, cur), [metric("npv", v["npv"], cur) for v in vendors]),
    ]
    rows += [(k, "", [result_cell(result, v, k) for v in vendors]) for k in RESULT_KEYS[2:]]
    card = result.scorecard
    if card is not None:
        floor = card.min_score
        cells = [
            score(v["score"], floor) + (" (below)" if card.below_minimum(v["score"]) else "")
            for v in vendors
        ]
        rows.append(("score", score(ih.score, floor), cells))
    return rows


def breakdown_rows(result: Comparison, vendors: Sequence[VendorSummary]) -> list[Row]:
    """The in-house parts, the vendor parts, then the total (TCO) of each option.

    With a workload-driven role, hiring on rises follows hiring (it is inside it); with
    a vendor's benefits, they follow the transition (as negative amounts)."""
    cur, ih = result.currency, result.in_house
    rows: list[Row] = []
    for k in IN_HOUSE_BREAKDOWN:
        rows.append((k, money(ih.breakdown.get(k), cur), ["" for _ in vendors]))
        if k == "hiring" and ih.follows_workload:
            rows.append(("flexing", money(ih.flexing, cur), ["" for _ in vendors]))
    rows += [(k, "", [money(v.breakdown.get(k), cur) for v in vendors]) for k in VENDOR_PARTS]
    if has_switch_benefits(result):
        cells = [
            money(v.breakdown[SWITCH_BENEFITS], cur) if SWITCH_BENEFITS in v.breakdown else ""
            for v in vendors
        ]
        rows.append(("switch_benefits", "", cells))
    rows.append((TOTAL, money(ih.tco, cur), [money(v["tco"], cur) for v in vendors]))
    return rows


def has_switch_benefits(result: Comparison) -> bool:
    return any(SWITCH_BENEFITS in v.breakdown for v in result.vendors)


def row_label(result: Comparison, key: str) -> str:
    """A row's label in the table view (the Markdown view changes a few: `_markdown_label`)."""
    if key == "hiring" and result.in_house.follows_workload:
        return HIRING_WITH_RISES
    if key == "score" and result.scorecard is not None:
        card = result.scorecard
        floor = "" if card.min_score is None else f", minimum {score(card.min_score)}"
        return f"Score (of {card.scale:g}{floor})"
    return "Total (TCO)" if key == TOTAL else LABELS[key]


TEAM_HEADER = ["Role", "Year", "Average need", "Peak need", "Staffed (average)"]


def team_rows(result: Comparison) -> list[list[str]]:
    """Per workload-driven role and year: the FTE the work needs (average, busiest month)
    and the FTE paid for (hc(m), averaged over the year)."""
    return [
        [t.role, str(t.year), fte(t.need_average), fte(t.need_peak), fte(t.staffed_average)]
        for t in result.in_house.team_years()
    ]


def scorecard_title(result: Comparison) -> str:
    card = result.scorecard
    assert card is not None
    text = f"Scorecard, each criterion scored 0 to {card.scale:g}"
    if card.min_score is not None:
        text += f"; below {score(card.min_score)} overall, a vendor is not recommended"
    return text


def scorecard_rows(result: Comparison, vendors: Sequence[VendorSummary]) -> list[list[str]]:
    """Criterion, weight, the in-house score and each vendor's; then the weighted score."""
    card = result.scorecard
    assert card is not None
    index = [result.vendors.index(v) for v in vendors]
    rows = [
        [
            name,
            f"{weight:g}",
            "—" if card.in_house is None else score(card.in_house[name]),
            *(score(card.vendors[i][name]) for i in index),
        ]
        for name, weight in card.criteria
    ]
    total = next(r for r in summary_rows(result, vendors) if r[0] == "score")
    rows.append(["Weighted score", f"{sum(w for _, w in card.criteria):g}", total[1], *total[2]])
    return rows


PAYBACK_MARK = "*"  # beside the cumulative savings of a vendor's payback month


@dataclass(frozen=True)
class MonthlyColumn:
    """One column of the month-by-month view: its header and a cell per month 0..H."""

    header: str
    cells: list[str]


def month_labels(result: Comparison) -> list[str]:
    return [month_label(m, result.calendar) for m in range(result.horizon_months + 1)]


def monthly_columns(
    result: Comparison, vendor: VendorSummary, mark: Callable[[str], str]
) -> list[MonthlyColumn]:
    """A vendor's cost, savings and cumulative savings, month by month; `mark` dresses the
    cumulative savings of the payback month (SPEC section 4, the engine's payback_months)."""
    cur, payback = result.currency, vendor.payback_month
    cumulative = [money(c, cur) for c in vendor.cumulative_savings]
    if payback is not None:
        cumulative[payback] = mark(cumulative[payback])
    return [
        MonthlyColumn(vendor.name, [money(x, cur) for x in vendor.monthly]),
        MonthlyColumn("Savings", [money(x, cur) for x in vendor.monthly_savings]),
        MonthlyColumn("Cumulative savings", cumulative),
    ]


def in_house_column(result: Comparison) -> MonthlyColumn:
    return MonthlyColumn("In house", [money(x, result.currency) for x in result.in_house.monthly])


def payback_line(result: Comparison, vendor: VendorSummary) -> str:
    """Where the vendor's payback month is, or that it has none within the horizon."""
    month = vendor.payback_month
    if month is None:
        return (
            f"{vendor.name}: the cumulative savings are below zero at the horizon; "
            "no payback within it."
        )
    return (
        f"{vendor.name}: payback month {month_label(month, result.calendar)}, "
        f"{months(vendor['payback_months'])} months after signing; from then on the "
        "cumulative savings stay at or above zero."
    )


def facts(result: Comparison) -> list[str]:
    """Lines under the tables: cost per productive hour, and notes on the inputs."""
    ih = result.in_house
    lines = []
    if ih.cost_per_productive_hour is not None:
        lines.append(
            f"In house costs {money(ih.cost_per_productive_hour, result.currency, cents=True)} "
            f"per productive hour in the first year; paid time off inside salaries and "
            f"benefits: {money(ih.breakdown.get('paid_time_off'), result.currency)} "
            "over the horizon."
        )
    if result.volume_today is not None:
        lines.append(
            "Break-even volume: the monthly volume where NPV savings change sign, counting up "
            "from zero (pays up to: outsourcing pays below it; pays from: above it; changes "
            "at: the sign changes there, at or below today's volume); — when there is none "
            "up to 100 times today's "
            f"{number(result.volume_today, result.unit)}."
        )
    lines += [f"Note: {note}" for note in result.notes]
    return lines


# ----------------------------------------------------------------- csv


def render_csv(result: Comparison, monthly: bool = False) -> str:
    """One row per option. A `score` column (after the results) only with a scorecard,
    and a `switch_benefits` column (after transition) only when a vendor has benefits:
    a v1 case keeps its columns, and no column means two things (`benefits` is the
    in-house staff benefits; the JSON's vendor `benefits` is `switch_benefits` here)."""
    keys = [*RESULT_KEYS, *(["score"] if result.scorecard is not None else [])]
    parts = [*IN_HOUSE_BREAKDOWN, *VENDOR_PARTS]
    extra = ["switch_benefits"] if has_switch_benefits(result) else []
    # a vendor's "benefits" are the switch's, never the in-house column of that name
    vendor_parts = [p if p in VENDOR_PARTS else "" for p in parts]
    header = ["option", "name", *keys, *parts, *extra]
    if monthly:
        header += [f"month_{m}" for m in range(result.horizon_months + 1)]
    # a run that changed inputs says so on every row, in a last column (docs/methodology.md)
    scenario = [scenario_text(result.scenario)] if result.scenario else []
    header += ["scenario"] if scenario else []
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(header)
    ih = result.in_house
    row: list[object] = ["in_house", ih.name, cents(ih.tco), cents(ih.npv)]
    row += [""] * (len(RESULT_KEYS) - 2)
    if result.scorecard is not None:
        row.append(_cell(rounded("score", ih.score)))
    row += [_cell(cents(ih.breakdown[p])) if p in ih.breakdown else "" for p in parts]
    row += [""] * len(extra)
    if monthly:
        row += [cents(x) for x in ih.monthly]
    writer.writerow([*row, *scenario])
    for v in result.vendors:
        row = ["vendor", v.name, *(_cell(rounded(k, v[k])) for k in keys)]
        row += [_cell(cents(v.breakdown[p])) if p in v.breakdown else "" for p in vendor_parts]
        row += [_cell(cents(v.breakdown.get(SWITCH_BENEFITS))) for _ in extra]
        if monthly:
            row += [cents(x) for x in v.monthly]
        writer.writerow([*row, *scenario])
    if monthly:
        blank = len(header) - len(scenario) - 2 - (result.horizon_months + 1)
        writer.writerows([*r, *scenario] for r in _csv_monthly_rows(result, blank))
    return out.getvalue()


def _csv_monthly_rows(result: Comparison, blank: int) -> list[list[object]]:
    """Below the options, in the month columns: each vendor's savings s(m) and cumulative
    savings C(m), then the calendar month of each month (1 = January) when the run states
    its start month. Payback is the vendor row's payback_months."""
    rows: list[list[object]] = []
    for v in result.vendors:
        rows.append(["savings", v.name, *[""] * blank, *map(cents, v.monthly_savings)])
        rows.append(
            ["cumulative_savings", v.name, *[""] * blank, *map(cents, v.cumulative_savings)]
        )
    if result.calendar is not None:
        rows.append(
            ["calendar_month", "", *[""] * blank, "", *(c + 1 for c in result.calendar[1:])]
        )
    return rows


def _cell(x: float | None) -> object:
    return "" if x is None else x


# ----------------------------------------------------------------- markdown


def _markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    align = ["---"] + ["---:"] * (len(header) - 1)
    return [markdown_row(header), "| " + " | ".join(align) + " |", *map(markdown_row, rows)]


def _markdown_label(result: Comparison, key: str) -> str:
    """Paid time off and hiring on rises are inside other rows, not added to them."""
    if key == "paid_time_off":
        return "(of which paid time off)"
    if key == "flexing":
        return "(of which on rises)"
    label = row_label(result, key)
    return f"**{label}**" if key == TOTAL else label


def render_markdown(result: Comparison, monthly: bool = False) -> str:
    """Markdown tables to paste into a memo or a pull-request comment."""
    cur = result.currency
    names = ["", "In house", *(markdown_text(v.name) for v in result.vendors)]
    lines = [
        f"## {markdown_text(result.in_house.name)}: make or buy",
        "",
        f"{result.horizon_months} months, {cur}, discount rate {result.discount_rate * 100:g}%.",
        "",
        *([markdown_text(scenario_line(result.scenario)), ""] if result.scenario else []),
        f"**{markdown_text(verdict(result))}**",
        "",
    ]
    rows = [
        [row_label(result, k), ih, *cells] for k, ih, cells in summary_rows(result, result.vendors)
    ]
    lines += _markdown_table(names, rows)
    lines += ["", "### Cost breakdown over the horizon", ""]
    rows = [
        [_markdown_label(result, k), ih, *cells]
        for k, ih, cells in breakdown_rows(result, result.vendors)
    ]
    lines += _markdown_table(names, rows)
    team = team_rows(result)
    if team:
        lines += ["", "### In-house team sized by the workload (FTE)", ""]
        lines += _markdown_table(TEAM_HEADER, [[markdown_text(r[0]), *r[1:]] for r in team])
    if result.scorecard is not None:
        lines += ["", f"### {scorecard_title(result)}", ""]
        header = ["Criterion", "Weight", *names[1:]]
        rows = scorecard_rows(result, result.vendors)
        rows = [[markdown_text(r[0]), *r[1:]] for r in rows[:-1]] + [
            [f"**{rows[-1][0]}**", *rows[-1][1:]]
        ]
        lines += _markdown_table(header, rows)
    if monthly:
        lines += _markdown_monthly(result)
    extra = facts(result)
    if extra:
        lines += ["", *(f"- {markdown_text(line)}" for line in extra)]
    return "\n".join(lines) + "\n"


def _markdown_monthly(result: Comparison) -> list[str]:
    """Per vendor, a table: month, the in-house cost, the vendor's cost, the savings
    and the cumulative savings (the payback month in bold), then where payback falls."""
    lines: list[str] = []
    labels, in_house = month_labels(result), in_house_column(result)
    for v in result.vendors:
        columns = [in_house, *monthly_columns(result, v, lambda cell: f"**{cell}** (payback)")]
        header = ["Month", *(markdown_text(c.header) for c in columns)]
        rows = [[label, *(c.cells[m] for c in columns)] for m, label in enumerate(labels)]
        lines += ["", f"### Month by month: {markdown_text(v.name)}", ""]
        lines += _markdown_table(header, rows)
        lines += ["", markdown_text(payback_line(result, v))]
    return lines


# ----------------------------------------------------------------- terminal


def _columns(table: Table, vendors: Sequence[VendorSummary]) -> None:
    # numbers fold onto a second line rather than being cut short with an ellipsis
    table.add_column("", no_wrap=True)
    table.add_column("In house", justify="right", overflow="fold")
    for v in vendors:
        table.add_column(v.name, justify="right", overflow="fold")


def summary_table(result: Comparison, vendors: Sequence[VendorSummary], part: str = "") -> Table:
    from rich.table import Table

    table = Table(
        title=(
            f"{result.in_house.name}: {result.horizon_months} months, {result.currency}, "
            f"discount rate {result.discount_rate * 100:g}%{part}"
        ),
        title_justify="left",
        header_style="bold",
    )
    _columns(table, vendors)
    for key, ih, cells in summary_rows(result, vendors):
        table.add_row(row_label(result, key), ih, *cells)
    return table


def breakdown_table(result: Comparison, vendors: Sequence[VendorSummary], part: str = "") -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"Cost breakdown over the horizon{part}", title_justify="left", header_style="bold"
    )
    _columns(table, vendors)
    for key, ih, cells in breakdown_rows(result, vendors):
        if key == TOTAL:
            table.add_row(Text("Total (TCO)", style="bold"), ih, *cells, end_section=True)
        else:
            table.add_row(row_label(result, key), ih, *cells)
    return table


def team_table(result: Comparison) -> Table:
    from rich.table import Table

    table = Table(
        title="In-house team sized by the workload (FTE)",
        title_justify="left",
        header_style="bold",
    )
    table.add_column(TEAM_HEADER[0], overflow="fold")
    for name in TEAM_HEADER[1:]:
        table.add_column(name, justify="right", overflow="fold")
    for row in team_rows(result):
        table.add_row(*row)
    return table


def scorecard_table(result: Comparison, vendors: Sequence[VendorSummary], part: str = "") -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=scorecard_title(result) + part, title_justify="left", header_style="bold")
    table.add_column("Criterion", overflow="fold")
    table.add_column("Weight", justify="right", overflow="fold")
    table.add_column("In house", justify="right", overflow="fold")
    for v in vendors:
        table.add_column(v.name, justify="right", overflow="fold")
    rows = scorecard_rows(result, vendors)
    for row in rows[:-1]:
        table.add_row(*row)
    table.add_row(Text(rows[-1][0], style="bold"), *rows[-1][1:], end_section=True)
    return table


def vendor_groups(result: Comparison, width: int) -> list[list[VendorSummary]]:
    """Vendors in groups that fit the width beside the labels and the in-house column,
    so that no figure is ever cut short."""
    cur = result.currency
    labels, in_house = 32, len(money(result.in_house.tco, cur)) + 3
    room = max(width - labels - in_house, 1)
    groups: list[list[VendorSummary]] = [[]]
    used = 0
    for v in result.vendors:
        widest = max(len(money(x, cur)) for x in (v["tco"], v["npv"], v["savings"]))
        need = max(widest, min(len(v.name), 14)) + 3
        if groups[-1] and used + need > room:
            groups.append([])
            used = 0
        groups[-1].append(v)
        used += need
    return groups


def monthly_tables(result: Comparison, width: int) -> list[Table]:
    """Month by month: the in-house cost, then per vendor its cost, savings and cumulative
    savings (the payback month marked), in as many tables as the width needs, each led
    by the month. A vendor's three columns stay together unless they alone are too
    wide, so that no figure is ever cut short."""
    from rich.table import Table

    labels = month_labels(result)
    blocks = [[in_house_column(result)]]
    for v in result.vendors:
        columns = monthly_columns(result, v, lambda cell: cell + PAYBACK_MARK)
        head = f"{v.name}: "
        blocks.append(
            [columns[0], *(MonthlyColumn(head + c.header.lower(), c.cells) for c in columns[1:])]
        )
    room = width - 1 - _width(MonthlyColumn("Month", labels))
    parts = _pack(blocks, room)
    tables = []
    for n, part in enumerate(parts, 1):
        title = "Month by month" + (f" ({n} of {len(parts)})" if len(parts) > 1 else "")
        table = Table(title=title, title_justify="left", header_style="bold")
        table.add_column("Month", no_wrap=True)
        for column in part:
            table.add_column(column.header, justify="right", overflow="fold")
        for m, label in enumerate(labels):
            table.add_row(label, *(c.cells[m] for c in part))
        tables.append(table)
    return tables


def _width(column: MonthlyColumn) -> int:
    """What a column takes in a table: its widest cell (figures never wrap) or the longest
    word of its header (headers wrap between words), plus padding and a rule."""
    from rich.cells import cell_len

    words = column.header.split()
    return max(cell_len(x) for x in [*column.cells, *words]) + 3


def _pack(blocks: list[list[MonthlyColumn]], room: int) -> list[list[MonthlyColumn]]:
    """The blocks of columns, in order, in groups no wider than `room`; a block that alone
    is wider goes column by column."""
    parts: list[list[MonthlyColumn]] = [[]]
    used = 0
    for block in blocks:
        pieces = [block] if sum(map(_width, block)) <= room else [[c] for c in block]
        for piece in pieces:
            need = sum(map(_width, piece))
            if parts[-1] and used + need > room:
                parts.append([])
                used = 0
            parts[-1] += piece
            used += need
    return parts


def draw(result: Comparison, console: Console, monthly: bool = False) -> None:
    """The terminal view: summary and breakdown (in groups of vendors that fit), the team
    a workload-driven role needs, the scorecard (in the same groups), the verdict."""
    from rich.console import Group
    from rich.text import Text

    groups = vendor_groups(result, console.width)
    titles, shown = [], 0
    for group in groups:
        part = ""
        if len(groups) > 1:
            part = f" (vendors {shown + 1}-{shown + len(group)} of {len(result.vendors)})"
        shown += len(group)
        titles.append(part)
    parts: list[Table | Text] = []
    if result.scenario:  # before the tables: the figures below are this scenario's
        parts.append(Text(scenario_line(result.scenario), style="bold"))
    for group, part in zip(groups, titles, strict=True):
        parts += [summary_table(result, group, part), breakdown_table(result, group, part)]
    if result.in_house.follows_workload:
        parts.append(team_table(result))
    if result.scorecard is not None:
        parts += [scorecard_table(result, g, part) for g, part in zip(groups, titles, strict=True)]
    if monthly:
        parts += monthly_tables(result, console.width)
    console.print(Group(*parts))
    if monthly:
        if any(v.payback_month is not None for v in result.vendors):
            console.print(f"{PAYBACK_MARK} marks the payback month.", highlight=False)
        for v in result.vendors:
            console.print(payback_line(result, v), highlight=False)
    console.print()
    for line in facts(result):
        console.print(line, highlight=False)
    console.print(Text(verdict(result), style="bold"))


# ----------------------------------------------------------------- one shape


def to_dict(result: Comparison) -> dict[str, Any]:
    """SPEC section 5 (the result's own `to_dict`)."""
    return result.to_dict()


def render(result: Comparison, fmt: str, monthly: bool = False) -> str:
    """The text of `result` as json, csv or markdown (the table view is `draw`)."""
    if fmt == "json":
        return dumps(result.to_dict())
    if fmt == "csv":
        return render_csv(result, monthly)
    if fmt == "markdown":
        return render_markdown(result, monthly)
    raise ValueError(f"no text renderer for {fmt!r}; the table view is draw()")


def chart(result: Comparison, path: Path) -> None:
    """Cumulative cost and breakdown of every option (needs the charts extra)."""
    from .charts import comparison_chart

    comparison_chart(result, path)


def gate_lines(result: Comparison, gates: Sequence[Gate]) -> list[str]:
    """'fail-if npv_savings<0: holds for Acme (npv_savings = -1,234.5)', per gate and vendor."""
    return [
        f"fail-if {gate.text}: holds for {v.name} "
        f"({gate.metric} = {_shown(gate.metric, v[gate.metric])})"
        for gate in gates
        for v in result.vendors
        if gate.holds(v[gate.metric])
    ]


# fractions that a gate's reader knows as percents (`--fail-if roi<50%`)
_PERCENT_KEYS = frozenset({"savings_pct", "roi", "irr", "break_even_price_change"})


def _shown(key: str, value: float | None) -> str:
    """A result in a gate message: money to the cent, a rate as a percent to 8 decimals
    (roi = -227.84302186%), 'never' for a null payback."""
    if value is None:
        return "never" if key in NULL_IS_NEVER else "null"
    if key in _PERCENT_KEYS:
        return f"{round(value * 100, 8) + 0.0:,}%"
    return f"{rounded(key, value):,}"
