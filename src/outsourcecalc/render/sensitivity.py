"""Sensitivity output: a tornado in the terminal, ranked inputs in JSON, CSV and Markdown."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..engine.results import cents, fine
from ..rules import wins
from ..scenarios.sensitivity import InputSwing, Sensitivity
from .format import CsvWriter, dumps, markdown_code, markdown_text, money
from .words import scenario_line, scenario_text

BAR = 20  # characters on each side of today's value
SHOWN = 15  # inputs drawn in the terminal; JSON and CSV list them all


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


def _flip_cell(r: InputSwing) -> str:
    return "—" if r.flip_value is None else _value(r.flip_value)


def flip_sentence(r: InputSwing, base_npv: float, currency: str) -> str:
    """'outsourcing stops paying if in_house.staff[0].annual_salary falls below 35,200'."""
    if r.flip_value is None:
        return f"{r.path}: no flip between 0 and 10 times today's value"
    direction = "falls below" if r.flip_value < r.base else "rises above"
    verb = "stops" if wins(base_npv) else "starts"
    return f"outsourcing {verb} paying if {r.path} {direction} {_value(r.flip_value)}"


def _value(x: float) -> str:
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:,.2f}" if abs(x) >= 100 else f"{x:.4g}"


def _tornado(r: InputSwing, base: float, scale: float) -> Text:
    """One bar from the lower to the higher npv_savings, around today's value (│)."""
    low, high = sorted((r.npv_savings_low, r.npv_savings_high))
    left = min(BAR, round(max(base - low, 0) / scale * BAR)) if scale > 0 else 0
    right = min(BAR, round(max(high - base, 0) / scale * BAR)) if scale > 0 else 0
    return (
        Text(" " * (BAR - left))
        + Text("█" * left, style="red")
        + Text("│")
        + Text("█" * right, style="green")
        + Text(" " * (BAR - right))
    )


def draw(result: Sensitivity, console: Console) -> None:
    """The terminal view: per vendor, the inputs ranked, a tornado and where the decision flips."""
    delta, currency = result.delta, result.currency
    if result.scenario:  # first: every figure below is this scenario's
        console.print(Text(scenario_line(result.scenario), style="bold"))
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
        table = Table(title_justify="left")
        table.add_column("Input", overflow="fold", ratio=3)
        table.add_column("Low → high", justify="right", ratio=2, overflow="fold")
        table.add_column("NPV savings at low / high", justify="right", ratio=3, overflow="fold")
        table.add_column("Flips at", justify="right", ratio=1, overflow="fold")
        for r in shown:
            table.add_row(
                r.path,
                f"{_value(r.low)} → {_value(r.high)}",
                f"{money(r.npv_savings_low, currency)} / {money(r.npv_savings_high, currency)}",
                _flip_cell(r),
            )
        console.print(table)
        chart = Table(
            title=f"Tornado: NPV savings from the low to the high value (│ = today, {currency})",
            title_justify="left",
            show_header=False,
            box=None,
        )
        chart.add_column("Input", no_wrap=True, overflow="ellipsis", max_width=34)
        chart.add_column("bar", no_wrap=True)
        for r in shown:
            chart.add_row(r.path, _tornado(r, v.base_npv_savings, scale))
        console.print(chart)
        if len(v.inputs) > SHOWN:
            console.print(
                f"{len(v.inputs) - SHOWN} smaller inputs not shown; --format csv lists all."
            )
        for r in shown[:3]:
            console.print("• " + flip_sentence(r, v.base_npv_savings, currency), highlight=False)
        for note in v.skipped:
            console.print(f"Skipped {note}", highlight=False)
        console.print()


def render_markdown(result: Sensitivity) -> str:
    delta, currency = result.delta, result.currency
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
            lines.append(
                f"| {markdown_code(r.path)} | {_value(r.low)} | {_value(r.high)} | "
                f"{money(r.npv_savings_low, currency)} | {money(r.npv_savings_high, currency)} | "
                f"{money(r.swing, currency)} | {_flip_cell(r)} |"
            )
        lines.append("")
        lines += [
            f"- {markdown_text(flip_sentence(r, v.base_npv_savings, currency))}"
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


def chart(result: Sensitivity, path: Path) -> None:
    """The tornado of the first vendor given (needs the charts extra)."""
    from .charts import tornado_chart

    tornado_chart(result.vendors[0], result.currency, path, scenario_line(result.scenario))
