"""`compare --baseline`: what changed against an earlier JSON result, in every format."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..engine.results import Comparison
from ..rules import IN_HOUSE, MONEY_KEYS
from ..scenarios.baseline import ADDED, REMOVED, UNCHANGED, BaselineDiff, Change
from ..scenarios.gates import Gate
from . import compare
from .format import (
    LABELS,
    CsvWriter,
    dumps,
    markdown_code,
    markdown_row,
    markdown_text,
    metric,
    money,
    months,
    number,
    percent,
)
from .words import scenario_text

CSV_COLUMNS = ("key", "option", "old", "new", "delta", "status")
_SETTING_LABELS = {
    "recommendation": "Recommendation",
    "currency": "Currency",
    "horizon_months": "Horizon (months)",
    "discount_rate": "Discount rate",
}
_POINT_KEYS = frozenset({"savings_pct", "roi", "irr", "break_even_price_change", "discount_rate"})


def label(key: str) -> str:
    return _SETTING_LABELS.get(key) or LABELS[key]


def value(row: Change, x: float | str | None, currency: str, unit: str = "") -> str:
    """An old or new value as the compare report shows it."""
    if isinstance(x, str):
        return x
    if row.key == "horizon_months":
        return "—" if x is None else f"{x:g}"
    if row.key == "discount_rate":
        return percent(x, 2).replace(".00%", "%")
    return metric(row.key, x, currency, unit)


def delta(row: Change, currency: str, unit: str = "") -> str:
    """`new - old` with its sign: money, percentage points, months or units."""
    if row.status == ADDED:
        return "new option"
    if row.status == REMOVED:
        return "removed"
    d = row.delta
    if d is None:
        return "—" if row.status == UNCHANGED else "changed"
    if row.key in MONEY_KEYS:
        text = money(d, currency, cents=0 < abs(d) < 0.5)
    elif row.key == "discount_rate":
        text = f"{d * 100:g} pp"
    elif row.key in _POINT_KEYS:
        text = f"{d * 100:.1f} pp"
    elif row.key == "break_even_volume":
        text = number(d, unit)
    elif row.key == "horizon_months":
        text = f"{d:g}"
    else:
        text = months(d)
    return _signed(text, d)


def _signed(text: str, d: float) -> str:
    """A leading + on increases; no sign at all on what reads as zero ("-0.0 pp")."""
    if not any(c in "123456789" for c in text):
        return text.lstrip("+-")
    return "+" + text if d > 0 and not text.startswith("-") else text


def summary(rows: list[Change], source: str) -> str:
    """'3 of 26 results changed against previous.json; the recommendation did not.'"""
    results = [r for r in rows if r.option]
    moved = [r for r in results if r.status != UNCHANGED]
    text = f"{len(moved)} of {len(results)} results changed against {source}"
    rec = next((r for r in rows if r.key == "recommendation"), None)
    if rec is None:
        return text + "; the recommendation did not."
    return text + f"; the recommendation changed from {rec.old} to {rec.new}."


def _option_label(option: str) -> str:
    return {"": "The whole run", IN_HOUSE: "In house"}.get(option, option)


def _cells(row: Change, currency: str, unit: str = "") -> list[str]:
    return [
        label(row.key),
        value(row, row.old, currency, unit),
        value(row, row.new, currency, unit),
        delta(row, currency, unit),
    ]


HEADERS = ("", "Before", "After", "Change")
_BORDERS = 13  # four columns: five rules and a space either side of each cell


def tables(rows: list[Change], currency: str, width: int = 80) -> list[Table]:
    """One table per option (the settings of the run first), `width` columns wide at most.

    Every table has the same column widths, so that the columns line up down the
    page: the figures' columns as wide as the widest figure, the labels' the rest,
    wrapping at words. Where even a label's longest word does not fit beside the
    figures, each option's rows are stacked instead. Break-even volumes are shown
    without their unit here: the compare report above them names it.
    """
    cells = [_cells(row, currency) for row in rows]
    figures = [c for row in cells for c in (*row[1:], *HEADERS[1:])]
    shortest = max(len(word) for row in cells for word in row[0].split())
    # a figure is one word: a value of several ("changes at 18,898/month") may wrap
    room = (width - _BORDERS - shortest) // 3
    longest_word = max(len(word) for c in figures for word in c.split())
    figure = min(max(len(c) for c in figures), max(longest_word, room))
    label = min(max(len(row[0]) for row in cells), width - 3 * figure - _BORDERS)
    out: list[Table] = []
    for i, (row, row_cells) in enumerate(zip(rows, cells, strict=True)):
        if i == 0 or rows[i - 1].option != row.option:
            title = _option_label(row.option)
            if label < shortest:
                out.append(stacked_option(title, width))
            else:
                table = Table(title=title, title_justify="left", header_style="bold")
                table.add_column("", width=label)
                for name in HEADERS[1:]:
                    table.add_column(name, justify="right", width=figure)
                out.append(table)
        style = "dim" if row.status == UNCHANGED else ""
        if out[-1].show_header:
            out[-1].add_row(*(Text(c, style=style) for c in row_cells))
        else:
            _stack_row(out[-1], row_cells, style)
    return out


def stacked_option(title: str, width: int) -> Table:
    """An option's changes one result at a time: the label, then before, after, change."""
    table = Table(title=title, title_justify="left", show_header=False, box=None, width=width)
    table.add_column("", overflow="fold")
    table.add_column("", justify="right", no_wrap=True)
    return table


def _stack_row(table: Table, cells: list[str], style: str) -> None:
    table.add_row(Text(cells[0], style=style or "bold"), "")
    for name, cell in zip(HEADERS[1:], cells[1:], strict=True):
        table.add_row(Text("  " + name, style=style), Text(cell, style=style))


def draw_changes(rows: list[Change], source: str, currency: str, console: Console) -> None:
    """The changes under the compare report in the terminal."""
    console.print()
    console.print(Text(f"Changes against {source}", style="bold"))
    for table in tables(rows, currency, console.width):
        console.print(table)
    console.print(Text(summary(rows, source), style="bold"))


def markdown(rows: list[Change], source: str, result: Comparison) -> str:
    """A section to follow the compare report in a memo or a pull-request comment."""
    lines = [
        f"### Changes against {markdown_code(source)}",
        "",
        f"**{markdown_text(summary(rows, source))}**",
        "",
        markdown_row(["Option", "Result", "Before", "After", "Change"]),
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for i, row in enumerate(rows):
        first = i == 0 or rows[i - 1].option != row.option
        name = markdown_text(_option_label(row.option)) if first else ""
        cells = _cells(row, result.currency, result.unit)
        if row.status != UNCHANGED:
            cells[-1] = f"**{cells[-1]}**"
        lines.append(markdown_row([name, *cells]))
    return "\n".join(lines) + "\n"


def csv(rows: list[Change], scenario: str = "") -> str:
    """One line per result and option: key, option, old, new, delta, status (and the
    `scenario` the new result shows, when the run changed inputs: see render/compare.py)."""
    out = io.StringIO()
    writer = CsvWriter(out)
    last = [scenario] if scenario else []
    writer.writerow([*CSV_COLUMNS, *(["scenario"] if scenario else [])])
    for row in rows:
        writer.writerow(
            [
                row.key,
                row.option,
                _cell(row.old),
                _cell(row.new),
                _cell(row.delta),
                row.status,
                *last,
            ]
        )
    return out.getvalue()


def _cell(x: float | str | None) -> object:
    return "" if x is None else x


def to_dict(result: BaselineDiff) -> dict[str, Any]:
    """SPEC section 5 plus `baseline` and `changes` (the result's own `to_dict`)."""
    return result.to_dict()


def render(result: BaselineDiff, fmt: str, monthly: bool = False) -> str:
    """The compare report followed by the changes, as text (json: SPEC JSON plus `changes`;
    csv: the changes only). The table view is `draw`."""
    if fmt == "json":
        return dumps(result.to_dict())
    if fmt == "csv":
        return csv(result.changes, scenario_text(result.comparison.scenario))
    if fmt == "markdown":
        report = compare.render_markdown(result.comparison, monthly)
        return report + "\n" + markdown(result.changes, result.source, result.comparison)
    raise ValueError(f"no text renderer for {fmt!r}; the table view is draw()")


def draw(result: BaselineDiff, console: Console, monthly: bool = False) -> None:
    """The terminal view: the compare report, then one table of changes per option."""
    compare.draw(result.comparison, console, monthly)
    draw_changes(result.changes, result.source, result.comparison.currency, console)


def chart(result: BaselineDiff, path: Path) -> None:
    """The compare chart of the new result."""
    compare.chart(result.comparison, path)


def gate_lines(result: BaselineDiff, gates: Sequence[Gate]) -> list[str]:
    """The gates of the new result, as `compare` reports them."""
    return compare.gate_lines(result.comparison, gates)
