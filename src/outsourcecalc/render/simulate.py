"""Monte Carlo output: summary and histogram in the terminal, JSON, one CSV row per trial,
and a Markdown summary for a pull-request comment. Formats only; simulate.py computes."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import UsageError
from ..inputs.models import label_of
from ..inputs.paths import parse_path
from ..scenarios.shards import SimulationShard, shard_pieces
from ..scenarios.simulate import Simulation, VendorOutcome
from .format import (
    CsvWriter,
    dumps,
    markdown_code,
    markdown_row,
    markdown_text,
    money,
    money_short,
    months,
    percent,
    share,
)
from .words import scenario_line, scenario_text

if TYPE_CHECKING:  # rich is imported where a table is drawn: csv and json never load it
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

BAR = 40  # characters of the longest histogram bar


# ------------------------------------------------------------------ CSV


CSV_TRIALS = 10_000  # trials per piece of the per-trial CSV: its text is never held whole


def render_csv(sim: Simulation | SimulationShard) -> Iterator[str]:
    """One row per trial: its number (from 1), each drawn input, then per vendor
    `<name>:npv_savings` and `<name>:payback_months` (empty: never pays back); the text
    of each block of trials as it is made, from the float64 results the run keeps.

    A shard writes its own trials' rows, numbered as in the whole run, and the header
    only when it is the first: the shards' CSV outputs, joined in order, are the
    unsharded run's."""
    if isinstance(sim, SimulationShard):
        first, stop, header_too = sim.run.start, sim.run.stop, sim.index == 1
        inputs = sim.run.inputs
        vendors = [(v.name, v.results["npv_savings"], v.results["payback_months"])
                   for v in sim.run.vendors]  # fmt: skip
    else:
        first, stop, header_too = 0, sim.trials, True
        inputs = sim.inputs
        vendors = [(v.name, v.npv_savings, v.payback_months) for v in sim.vendors]
    # a run that changed inputs says so on every row, in a last column (as compare does)
    scenario = [scenario_text(sim.scenario)] if sim.scenario else []
    if header_too:
        header = ["trial", *(d.path for d in inputs)]
        for name, _, _ in vendors:
            header += [f"{name}:npv_savings", f"{name}:payback_months"]
        yield _csv_text([[*header, *(["scenario"] if scenario else [])]])
    for lo in range(0, stop - first, CSV_TRIALS):
        hi = min(stop - first, lo + CSV_TRIALS)
        columns: list[list[str]] = [[str(i) for i in range(first + lo + 1, first + hi + 1)]]
        for d in inputs:
            values = d.values[lo:hi].tolist()
            columns.append(
                [str(int(x)) for x in values] if d.rounded else [repr(x) for x in values]
            )
        for _, npv, payback in vendors:
            columns.append([f"{x:.2f}" for x in npv[lo:hi].tolist()])
            columns.append(["" if math.isnan(x) else repr(round(x, 10) + 0.0) for x in
                            payback[lo:hi].tolist()])  # fmt: skip
        yield _csv_text([*row, *scenario] for row in zip(*columns, strict=True))


def _csv_text(rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    CsvWriter(out).writerows(rows)
    return out.getvalue()


# ------------------------------------------------------------------ Markdown


def render_markdown(sim: Simulation) -> str:
    cur = sim.currency
    lines = [
        f"### Monte Carlo: {_trials(sim.trials)} (seed {sim.seed})",
        "",
        *([markdown_text(scenario_line(sim.scenario)), ""] if sim.scenario else []),
        "| Vendor | P(outsourcing cheaper) | Mean NPV savings | P5 | P50 | P95 "
        "| P(pays back) | Payback P50 | Payback P95 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for v in sim.vendors:
        cells = [
            markdown_text(v.name),
            share(v.p_win),
            money(v.npv.mean, cur),
            money(v.npv.p5, cur),
            money(v.npv.p50, cur),
            money(v.npv.p95, cur),
            share(v.p_payback),
            months(v.payback_p50),
            months(v.payback_p95),
        ]
        lines.append(markdown_row(cells))
    lines += [
        "",
        "| Uncertain input | Distribution | Drawn mean | Min | Max |",
        "|---|---|---:|---:|---:|",
    ]
    for d in sim.inputs:
        mean, low, high = (float(f(d.values)) for f in (np.mean, np.min, np.max))
        lines.append(
            f"| {markdown_code(d.path)} | {markdown_code(d.distribution.text)} | "
            f"{_drawn(d.path, mean)} | {_drawn(d.path, low)} | {_drawn(d.path, high)} |"
        )
    lines.append("")
    lines += [f"- {markdown_text(sentence(v, cur))}" for v in sim.vendors]
    lines += [f"- Note: {markdown_text(note)}" for note in sim.notes]
    lines.append("")
    return "\n".join(lines)


# ------------------------------------------------------------------ terminal


def sentence(v: VendorOutcome, currency: str) -> str:
    """'Acme: outsourcing is cheaper in 87.3% of trials; NPV savings P5 -$0.2M, P95 $1.4M.'"""
    return (
        f"{v.name}: outsourcing is cheaper in {share(v.p_win)} of trials; 90% of NPV savings "
        f"lie between {money_short(v.npv.p5, currency, figures=3)} and "
        f"{money_short(v.npv.p95, currency, figures=3)}; pays back within the horizon in "
        f"{share(v.p_payback)} of trials."
    )


def _trials(n: int) -> str:
    return f"{n:,} trial" if n == 1 else f"{n:,} trials"


def _drawn(path: str, x: float) -> str:
    """A drawn value as the input is written: a rate as 43.31%, else as a number."""
    try:
        parsed = parse_path(path)
        rate = label_of(parsed.target, parsed.loc).unit == "rate"
    except (UsageError, KeyError):
        rate = False
    return percent(x, 1) if rate else _value(x)


def _value(x: float) -> str:
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:,.2f}" if abs(x) >= 100 else f"{x:.4g}"


def summary_table(sim: Simulation) -> Table:
    from rich.table import Table

    cur = sim.currency
    table = Table(
        title=(
            f"Monte Carlo: {_trials(sim.trials)} (seed {sim.seed}), {sim.horizon_months} months, "
            f"{cur}, discount rate {sim.discount_rate * 100:g}%"
        ),
        title_justify="left",
        header_style="bold",
    )
    table.add_column("", no_wrap=True)
    for v in sim.vendors:
        table.add_column(v.name, justify="right", overflow="fold")
    rows: list[tuple[str, list[str]]] = [
        ("Outsourcing cheaper (P)", [share(v.p_win) for v in sim.vendors]),
        ("NPV savings, mean", [money(v.npv.mean, cur) for v in sim.vendors]),
        ("NPV savings, P5", [money(v.npv.p5, cur) for v in sim.vendors]),
        ("NPV savings, P50", [money(v.npv.p50, cur) for v in sim.vendors]),
        ("NPV savings, P95", [money(v.npv.p95, cur) for v in sim.vendors]),
        ("Pays back in horizon (P)", [share(v.p_payback) for v in sim.vendors]),
        ("Payback months, P50", [months(v.payback_p50) for v in sim.vendors]),
        ("Payback months, P95", [months(v.payback_p95) for v in sim.vendors]),
    ]
    for label, cells in rows:
        table.add_row(label, *cells)
    return table


def inputs_table(sim: Simulation) -> Table:
    from rich.table import Table

    table = Table(title="Uncertain inputs", title_justify="left", header_style="bold")
    # the distribution goes under its input: a column of its own does not fit 80 columns
    table.add_column("Input and distribution", overflow="fold")
    table.add_column("Drawn mean", justify="right", overflow="fold")
    table.add_column("Min", justify="right", overflow="fold")
    table.add_column("Max", justify="right", overflow="fold")
    table.add_column("Redrawn", justify="right", overflow="fold")
    for d in sim.inputs:
        table.add_row(
            f"{d.path}\n  {d.distribution.text}",
            _drawn(d.path, float(np.mean(d.values))),
            _drawn(d.path, float(np.min(d.values))),
            _drawn(d.path, float(np.max(d.values))),
            f"{d.redrawn:,}",
        )
    return table


def histogram_lines(v: VendorOutcome, currency: str, room: int = 200) -> list[Text]:
    """Text bars, one per bin from the lowest NPV savings up; a rule marks 0 (break-even)
    and the bins holding P5, P50 and P95 are labelled. Each line fits `room` characters:
    the bars shorten (BAR at most), the labels and counts stay whole."""
    from rich.text import Text

    edges, counts = v.histogram.edges, v.histogram.counts
    top = int(counts.max()) if len(counts) else 0
    labels = [money_short(float(x), currency, figures=3) for x in edges]
    # the bin's range, the count and the widest mark ("  ◂ P5, P50, P95") beside the bar
    fixed = 2 * max(len(s) for s in labels) + 6 + len(f" {top:,}") + 16
    bar = max(8, min(BAR, room - fixed))
    marks: dict[int, list[str]] = {}
    for label, x in (("P5", v.npv.p5), ("P50", v.npv.p50), ("P95", v.npv.p95)):
        i = int(np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(counts) - 1))
        marks.setdefault(i, []).append(label)
    width = max(len(s) for s in labels)
    lines = []
    for i, count in enumerate(counts.tolist()):
        if edges[i] == 0 and i > 0:
            rule = " 0 = break-even: outsourcing wins below this line "
            lead = 2 * width + 5
            tail = max(3, min(lead + bar + 8, room) - lead - len(rule))
            lines.append(Text("─" * lead + rule + "─" * tail, style="bold"))
        length = round(count / top * bar) if top else 0
        if count and not length:
            length = 1  # a bin with any trials shows
        style = "red" if edges[i + 1] <= 0 else "green" if edges[i] >= 0 else "yellow"
        line = Text(f"{labels[i]:>{width}} to {labels[i + 1]:<{width}}  ")
        line += Text("█" * length, style=style)
        line += Text(" " * (bar - length) + f" {count:>{len(f'{top:,}')},}")
        if i in marks:
            line += Text("  ◂ " + ", ".join(marks[i]))
        lines.append(line)
    return lines


def to_dict(sim: Simulation | SimulationShard) -> dict[str, Any]:
    """The JSON of `simulate --format json` (the result's own `to_dict`)."""
    return sim.to_dict()


def pieces(sim: Simulation | SimulationShard, fmt: str) -> Iterator[str]:
    """The text of `render`, in pieces written as soon as each is made: the per-trial
    CSV a block of trials at a time, a shard's file an array at a time, never held whole."""
    if fmt == "csv":
        return render_csv(sim)
    if isinstance(sim, SimulationShard) and fmt == "json":
        return shard_pieces(sim)
    return iter([render(sim, fmt)])


def render(sim: Simulation | SimulationShard, fmt: str) -> str:
    """The text of `sim` as json, csv or markdown (the table view is `draw`). A shard is
    JSON for `outsourcecalc merge`, or CSV rows; its statistics are the merge's."""
    if fmt == "csv":
        return "".join(render_csv(sim))
    if isinstance(sim, SimulationShard):
        if fmt == "json":
            return "".join(shard_pieces(sim))
        raise ValueError(f"a shard is written as json or csv, not {fmt!r}: merge the shards")
    if fmt == "json":
        return dumps(sim.to_dict())
    if fmt == "markdown":
        return render_markdown(sim)
    raise ValueError(f"no text renderer for {fmt!r}; the table view is draw()")


def draw(sim: Simulation, console: Console) -> None:
    """The terminal view: the summary, the uncertain inputs, a histogram per vendor."""
    from rich.text import Text

    if sim.scenario:  # first: every figure below is this scenario's
        console.print(Text(scenario_line(sim.scenario), style="bold"))
    console.print(summary_table(sim))
    console.print(inputs_table(sim))
    for v in sim.vendors:
        console.print()
        console.print(
            Text(f"{v.name}: NPV savings over {_trials(sim.trials)} ({sim.currency})", style="bold")
        )
        for line in histogram_lines(v, sim.currency, console.width):
            console.print(line, no_wrap=True, overflow="ellipsis")
    console.print()
    for note in sim.notes:
        console.print(f"Note: {note}", highlight=False, markup=False)
    for v in sim.vendors:
        console.print(Text(sentence(v, sim.currency), style="bold"))


def chart(sim: Simulation, path: Path, vendor: str | None = None) -> None:
    """A histogram of NPV savings per vendor, or of `vendor` only (needs the charts extra)."""
    from .charts import histogram_chart

    histogram_chart(sim, path, vendor=vendor)


def gate_lines(sim: Simulation | SimulationShard) -> list[str]:
    """'fail-if npv_savings<0: holds for Acme in 312 of 10,000 trials (3.1%)', per broken gate.
    None for a shard: its counts are kept in its file, and the merge applies the gates."""
    if isinstance(sim, SimulationShard):
        return []
    return [
        f"fail-if {c.gate.text}: holds for {c.vendor} in {c.held:,} of {sim.trials:,} trials "
        f"({share(c.held / sim.trials)})"
        for c in sim.gates
        if c.held
    ]
