"""The terminal view: summary side by side, cost breakdown, the verdict in words."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..engine.model import RESULT_KEYS
from ..engine.results import Comparison, VendorSummary
from ..rules import IN_HOUSE_BREAKDOWN, VENDOR_PARTS
from .format import LABELS, metric, money, number
from .words import result_cell, verdict


def summary_table(result: Comparison, vendors: list[VendorSummary], part: str = "") -> Table:
    cur = result.currency
    table = Table(
        title=(
            f"{result.in_house.name}: {result.horizon_months} months, {cur}, "
            f"discount rate {result.discount_rate * 100:g}%{part}"
        ),
        title_justify="left",
        header_style="bold",
    )
    _columns(table, vendors)
    table.add_row(
        LABELS["tco"],
        money(result.in_house.tco, cur),
        *(metric("tco", v["tco"], cur) for v in vendors),
    )
    table.add_row(
        LABELS["npv"],
        money(result.in_house.npv, cur),
        *(metric("npv", v["npv"], cur) for v in vendors),
    )
    for key in RESULT_KEYS[2:]:
        cells = [result_cell(result, v, key) for v in vendors]
        table.add_row(LABELS[key], "", *cells)
    return table


def _columns(table: Table, vendors: list[VendorSummary]) -> None:
    # numbers fold onto a second line rather than being cut short with an ellipsis
    table.add_column("", no_wrap=True)
    table.add_column("In house", justify="right", overflow="fold")
    for v in vendors:
        table.add_column(v.name, justify="right", overflow="fold")


def breakdown_table(result: Comparison, vendors: list[VendorSummary], part: str = "") -> Table:
    cur = result.currency
    table = Table(
        title=f"Cost breakdown over the horizon{part}", title_justify="left", header_style="bold"
    )
    _columns(table, vendors)
    ih = result.in_house.breakdown
    for key in IN_HOUSE_BREAKDOWN:
        table.add_row(LABELS[key], money(ih.get(key), cur), *("" for _ in vendors))
    for key in VENDOR_PARTS:
        table.add_row(LABELS[key], "", *(money(v.breakdown.get(key), cur) for v in vendors))
    table.add_row(
        Text("Total (TCO)", style="bold"),
        money(result.in_house.tco, cur),
        *(money(v["tco"], cur) for v in vendors),
        end_section=True,
    )
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


def monthly_table(result: Comparison) -> Table:
    cur = result.currency
    table = Table(title="Month by month", title_justify="left", header_style="bold")
    table.add_column("Month", justify="right", overflow="fold")
    table.add_column("In house", justify="right", overflow="fold")
    for v in result.vendors:
        table.add_column(v.name, justify="right", overflow="fold")
    for m, cost in enumerate(result.in_house.monthly):
        table.add_row(str(m), money(cost, cur), *(money(v.monthly[m], cur) for v in result.vendors))
    return table


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
            "from zero (pays up to: outsourcing pays below it; pays from: above it); — when "
            "there is none up to 100 times today's "
            f"{number(result.volume_today, result.unit)}."
        )
    lines += [f"Note: {note}" for note in result.notes]
    return lines


def render(result: Comparison, console: Console, monthly: bool = False) -> None:
    groups = vendor_groups(result, console.width)
    parts: list[Table | Text] = []
    shown = 0
    for group in groups:
        part = ""
        if len(groups) > 1:
            part = f" (vendors {shown + 1}-{shown + len(group)} of {len(result.vendors)})"
        shown += len(group)
        parts += [summary_table(result, group, part), breakdown_table(result, group, part)]
    if monthly:
        parts.append(monthly_table(result))
    console.print(Group(*parts))
    console.print()
    for line in facts(result):
        console.print(line, highlight=False)
    console.print(Text(verdict(result), style="bold"))
