"""Sensitivity output: a tornado in the terminal, ranked inputs in JSON, CSV and Markdown."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..engine.results import cents, fine
from ..inputs.paths import NamedInput, named_input
from ..rules import wins
from ..scenarios.sensitivity import InputSwing, Sensitivity
from .format import (
    LOSES,
    WINS,
    CsvWriter,
    computed_input,
    dumps,
    markdown_row,
    markdown_text,
    money,
)
from .layout import fitted
from .words import scenario_line, scenario_text

BAR = 20  # characters on each side of today's value
SHOWN = 15  # inputs drawn in the terminal; JSON and CSV list them all
LABEL_WIDTH = 34  # the tornado's input labels, wrapping at words beyond it


def render_csv(result: Sensitivity) -> str:
    out = io.StringIO()
    writer = CsvWriter(out)
    # a run that changed inputs says so on every row, in a last column (as compare does)
    scenario = [scenario_text(result.scenario)] if result.scenario else []
    writer.writerow(
        ["vendor", "path", "base", "low", "high", "npv_savings_low", "npv_savings_high",
         "swing", "flip_value"] + (["scenario"] if scenario else [])
    )  # fmt: skip
    for v in result.vendors:
        for r in v.inputs:
            writer.writerow(
                [v.name, r.path, r.base, fine(r.low), fine(r.high), cents(r.npv_savings_low),
                 cents(r.npv_savings_high), cents(r.swing),
                 "" if r.flip_value is None else fine(r.flip_value), *scenario]
            )  # fmt: skip
    return out.getvalue()


def _flip_cell(r: InputSwing, name: NamedInput) -> str:
    return "—" if r.flip_value is None else _value(name, r.flip_value)


def flip_sentence(
    r: InputSwing, base_npv: float, currency: str, name: NamedInput | None = None
) -> str:
    """'outsourcing stops paying if Agent: annual salary falls below $35,200'."""
    name = name or NamedInput(r.path, r.path, "", "")
    if r.flip_value is None:
        return f"{name.label}: no flip between 0 and 10 times today's value"
    direction = "falls below" if r.flip_value < r.base else "rises above"
    verb = "stops" if wins(base_npv) else "starts"
    return f"outsourcing {verb} paying if {name.label} {direction} {_value(name, r.flip_value)}"


def _value(name: NamedInput, x: float) -> str:
    """An input's value in its unit, as the tornado and the report write a computed one:
    moves and flips are not the inputs' own values, and more digits would claim a
    precision they lack."""
    return computed_input(x, name.unit, name.currency)


def names_of(result: Sensitivity) -> dict[str, NamedInput]:
    """Each input as the views name it ("Agent: annual salary"), with its unit."""
    paths = {r.path for v in result.vendors for r in v.inputs}
    if result.case is None:
        return {p: NamedInput(p, p, "", "") for p in paths}
    return {p: named_input(result.case, p) for p in paths}


def _tornado(r: InputSwing, base: float, scale: float, bar: int = BAR) -> Text:
    """One bar from the lower to the higher npv_savings, around today's value (│): the
    losing side in the charts' vermillion, the winning side in their blue."""
    low, high = sorted((r.npv_savings_low, r.npv_savings_high))
    left = min(bar, round(max(base - low, 0) / scale * bar)) if scale > 0 else 0
    right = min(bar, round(max(high - base, 0) / scale * bar)) if scale > 0 else 0
    return (
        Text(" " * (bar - left))
        + Text("█" * left, style=LOSES)
        + Text("│")
        + Text("█" * right, style=WINS)
        + Text(" " * (bar - right))
    )


def draw(result: Sensitivity, console: Console) -> None:
    """The terminal view: per vendor, the inputs ranked, a tornado and where the decision flips."""
    delta, currency = result.delta, result.currency
    if result.scenario:  # first: every figure below is this scenario's
        console.print(Text(scenario_line(result.scenario), style="bold"))
    names = names_of(result)
    headers = ["Input", "Low → high", "NPV savings at low / high", "Flips at"]
    # each side of a tornado bar: BAR characters, fewer where the terminal is narrow
    bar = max(4, min(BAR, (console.width - LABEL_WIDTH - 3) // 2))
    for v in result.vendors:
        shown = v.inputs[:SHOWN]
        scale = max((max(abs(r.npv_savings_low - v.base_npv_savings),
                         abs(r.npv_savings_high - v.base_npv_savings)) for r in shown),
                    default=0.0)  # fmt: skip
        console.print(
            Text(
                f"{v.name}: NPV savings {money(v.base_npv_savings, currency)} today; "
                f"each input moved ±{delta * 100:g}%",
                style="bold",
            )
        )
        rows = [
            [
                names[r.path].label,
                f"{_value(names[r.path], r.low)} → {_value(names[r.path], r.high)}",
                f"{money(r.npv_savings_low, currency)} / {money(r.npv_savings_high, currency)}",
                _flip_cell(r, names[r.path]),
            ]
            for r in shown
        ]
        table = Table(title_justify="left")
        table.add_column(headers[0])
        for header in headers[1:]:
            table.add_column(header, justify="right")
        for row in rows:
            table.add_row(*row)
        console.print(fitted(table, console, headers, rows))
        chart = Table(
            title=f"Tornado: NPV savings from the low to the high value (│ = today, {currency})",
            title_justify="left",
            show_header=False,
            box=None,
        )
        chart.add_column("Input", width=max(min(LABEL_WIDTH, console.width - 2 * bar - 5), 8))
        chart.add_column("bar", no_wrap=True)
        for r in shown:
            chart.add_row(names[r.path].label, _tornado(r, v.base_npv_savings, scale, bar))
        console.print(chart)
        if len(v.inputs) > SHOWN:
            console.print(
                f"{len(v.inputs) - SHOWN} smaller inputs not shown; --format csv lists all."
            )
        for r in shown[:3]:
            sentence = flip_sentence(r, v.base_npv_savings, currency, names[r.path])
            console.print("• " + sentence, highlight=False)
        for note in v.skipped:
            console.print(f"Skipped {note}", highlight=False)
        console.print()


def render_markdown(result: Sensitivity) -> str:
    delta, currency = result.delta, result.currency
    names = names_of(result)
    lines = [markdown_text(scenario_line(result.scenario)), ""] if result.scenario else []
    for v in result.vendors:
        lines += [
            f"### {markdown_text(v.name)}: sensitivity (±{delta * 100:g}%)",
            "",
            f"NPV savings today: {money(v.base_npv_savings, currency)}.",
            "",
            "| Input | Low | High | NPV savings at low | at high | Swing | Flips at |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in v.inputs[:SHOWN]:
            name = names[r.path]
            lines.append(
                markdown_row(
                    [
                        markdown_text(name.label),
                        _value(name, r.low),
                        _value(name, r.high),
                        money(r.npv_savings_low, currency),
                        money(r.npv_savings_high, currency),
                        money(r.swing, currency),
                        _flip_cell(r, name),
                    ]
                )
            )
        lines.append("")
        lines += [
            f"- {markdown_text(flip_sentence(r, v.base_npv_savings, currency, names[r.path]))}"
            for r in v.inputs[:3]
        ]
        lines.append("")
    return "\n".join(lines)


def to_dict(result: Sensitivity) -> dict[str, Any]:
    """The JSON of `sensitivity --format json` (the result's own `to_dict`)."""
    return result.to_dict()


def render(result: Sensitivity, fmt: str) -> str:
    """The text of `result` as json, csv or markdown (the table view is `draw`)."""
    if fmt == "json":
        return dumps(result.to_dict())
    if fmt == "csv":
        return render_csv(result)
    if fmt == "markdown":
        return render_markdown(result)
    raise ValueError(f"no text renderer for {fmt!r}; the table view is draw()")


def chart(result: Sensitivity, path: Path, vendor: str | None = None) -> None:
    """A tornado per vendor, or of `vendor` only (needs the charts extra)."""
    from .charts import tornado_chart

    tornado_chart(result, path, vendor=vendor)
