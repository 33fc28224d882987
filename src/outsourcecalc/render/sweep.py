"""Sweep output: rows (csv, json, markdown, table), a summary per vendor, the flip grid."""

from __future__ import annotations

import io
import itertools
import json
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..engine.results import cents, fine, rounded
from ..inputs.overrides import describe
from ..rules import MONEY_KEYS, wins
from ..scenarios.sweep import Sweep, SweepRun, SweepVendorSummary
from .format import (
    LABELS,
    CsvWriter,
    dumps,
    markdown_row,
    markdown_text,
    metric,
    money,
    money_short,
    months,
    percent,
)
from .words import scenario_line, scenario_text

TABLE_ROWS = 40  # rows shown by the table/markdown views; csv and json hold them all


def summary_csv(run: SweepRun) -> str:
    out = io.StringIO()
    writer = CsvWriter(out)
    paths = [a.text for a in run.grid.axes]
    scenario = [scenario_text(describe(run.case))] if run.case.overrides else []
    writer.writerow(
        [
            "vendor", "points", "share_winning",
            "npv_savings_min", "npv_savings_median", "npv_savings_max",
            "payback_months_min", "payback_months_median", "payback_months_max",
            *(f"worst:{p}" for p in paths), *(f"best:{p}" for p in paths),
        ] + (["scenario"] if scenario else [])
    )  # fmt: skip
    for v in run.summary:
        n, p = v.npv_savings, v.payback_months
        cells = [
            v.name, v.points, fine(v.share_winning),
            cents(n.min), cents(n.median), cents(n.max),
            fine(p.min), fine(p.median), fine(p.max),
            *(v.worst[x] for x in paths), *(v.best[x] for x in paths),
        ]  # fmt: skip
        writer.writerow(["" if c is None else c for c in [*cells, *scenario]])
    return out.getvalue()


def _summary_lines(v: SweepVendorSummary, currency: str) -> list[tuple[str, str]]:
    n, p = v.npv_savings, v.payback_months
    return [
        ("Points evaluated", f"{v.points:,}"),
        ("Outsourcing wins at", percent(v.share_winning) + " of points"),
        ("NPV savings min / median / max",
         f"{money(n.min, currency)} / {money(n.median, currency)} / {money(n.max, currency)}"),
        ("Payback min / median / max",
         f"{months(p.min)} / {months(p.median)} / {months(p.max)}"),
        ("Worst point", ", ".join(f"{k}={_num(x)}" for k, x in v.worst.items())),
        ("Best point", ", ".join(f"{k}={_num(x)}" for k, x in v.best.items())),
    ]  # fmt: skip


def _num(x: float) -> str:
    return f"{x:,.10g}"


def summary_markdown(run: SweepRun, currency: str) -> str:
    lines = [f"## Sweep of {run.stop - run.start:,} points", ""]
    for v in run.summary:
        lines += [f"### {markdown_text(v.name)}", "", "| | |", "|---|---:|"]
        lines += [f"| {k} | {val} |" for k, val in _summary_lines(v, currency)]
        lines.append("")
    return "\n".join(lines)


def summary_table(run: SweepRun, currency: str, console: Console) -> None:
    for v in run.summary:
        table = Table(title=f"{v.name}: sweep summary", title_justify="left", show_header=False)
        table.add_column("", no_wrap=True)
        table.add_column("", justify="right", overflow="fold")
        for k, val in _summary_lines(v, currency):
            table.add_row(k, val)
        console.print(table)


def _first_rows(result: Sweep) -> list[dict[str, Any]]:
    """The rows the table and Markdown views show: only these are evaluated for them."""
    return list(itertools.islice(result.iter_rows(), TABLE_ROWS))


def _row_count(result: Sweep) -> int:
    return result.points * len(result.run.vendor_names)


def rows_markdown(result: Sweep) -> str:
    rows = _first_rows(result)
    paths, currency, unit = result.paths, result.currency, result.unit
    keys = ["npv_savings", "savings", "roi", "payback_months", "break_even_price_change"]
    header = [*paths, "vendor", *(LABELS[k] for k in keys)]
    lines = [
        markdown_row(header),
        "|" + "---|" * len(paths) + "---|" + "---:|" * len(keys),
    ]
    for row in rows:
        cells = [_num(row[p]) for p in paths] + [markdown_text(row["vendor"])]
        cells += [metric(k, row[k], currency, unit) for k in keys]
        lines.append(markdown_row(cells))
    total = _row_count(result)
    if total > TABLE_ROWS:
        lines += ["", f"_First {TABLE_ROWS} of {total:,} rows; `--format csv` gives them all._"]
    return "\n".join(lines) + "\n"


def rows_table(result: Sweep, console: Console) -> None:
    run = result.run
    rows = _first_rows(result)
    paths, currency, unit = result.paths, result.currency, result.unit
    # what decides, in a width a terminal has; csv and json carry every result
    keys = ["npv_savings", "payback_months", "break_even_price_change"]
    cells = [
        [*(_num(row[p]) for p in paths), row["vendor"]]
        + [metric(k, row[k], currency, unit) for k in keys]
        for row in rows
    ]
    table = Table(title=f"Sweep: {run.stop - run.start:,} points", title_justify="left")
    for p in paths:
        table.add_column(p, justify="right", overflow="fold")
    table.add_column("vendor", overflow="fold")
    for i, k in enumerate(keys, start=len(paths) + 1):
        # a figure keeps its whole width; the paths and names wrap instead
        widest = max((len(c[i]) for c in cells), default=0)
        table.add_column(LABELS[k], justify="right", min_width=widest, overflow="fold")
    for row_cells in cells:
        table.add_row(*row_cells)
    console.print(table)
    total = _row_count(result)
    if total > TABLE_ROWS:
        console.print(f"First {TABLE_ROWS} of {total:,} rows; --format csv gives them all.")


def flip_grid(
    x_path: str,
    x_values: NDArray[np.float64],
    y_path: str,
    y_values: NDArray[np.float64],
    grid: NDArray[np.float64],
    currency: str,
    vendor: str,
    console: Console,
) -> None:
    """npv_savings over two varied inputs, green where outsourcing wins, red where it loses."""
    table = Table(
        title=f"{vendor}: NPV savings ({currency}) by {y_path} (rows) and {x_path} (columns)",
        title_justify="left",
    )
    table.add_column("", justify="right", style="bold", overflow="fold")
    for x in x_values:
        table.add_column(_num(float(x)), justify="right", overflow="fold")
    for y, row in zip(y_values, grid, strict=True):
        cells = [
            Text(money_short(float(v), "", figures=3), style="green" if wins(v) else "red")
            for v in row
        ]
        table.add_row(_num(float(y)), *cells)
    console.print(table)


def rows_csv(run: SweepRun) -> Iterator[str]:
    """One row per point and vendor: the varied paths, `vendor`, then every result key;
    the text of each chunk of points as it is computed.

    The header is the first shard's only, even when that shard holds no point, and a
    shard without points writes nothing else: the shards' outputs concatenate into
    the unsharded one, however many shards there are.
    """
    # a run that changed inputs says so on every row, in a last column (as compare does)
    scenario = [scenario_text(describe(run.case))] if run.case.overrides else []
    if run.first_shard:
        header = [*(a.text for a in run.grid.axes), "vendor", *run.keys]
        yield _csv_text([[*header, *(["scenario"] if scenario else [])]])
    for chunk in run.chunks():
        index = np.arange(chunk.start, chunk.stop)
        coords = np.unravel_index(index, run.grid.shape)
        columns = [_text(a.values[c], "") for a, c in zip(run.grid.axes, coords, strict=True)]
        results = [[_text(res[k], k) for k in run.keys] for res in chunk.vendors]
        # point by point, each point's vendors together: any contiguous shards rejoin exactly
        yield _csv_text(
            [*(col[i] for col in columns), name, *(c[i] for c in cells), *scenario]
            for i in range(len(index))
            for name, cells in zip(run.vendor_names, results, strict=True)
        )


def _csv_text(rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    CsvWriter(out).writerows(rows)
    return out.getvalue()


def _text(values: NDArray[np.float64], key: str) -> list[str]:
    """Cells of a column: money to the cent, other numbers without float noise, null empty."""
    if key in MONEY_KEYS:
        return ["" if math.isnan(x) else f"{x:.2f}" for x in values.tolist()]
    return ["" if math.isnan(x) else repr(round(x, 10) + 0.0) for x in values.tolist()]


def rows_json(result: Sweep) -> Iterator[str]:
    """`{"paths": [...], "overrides": {...}, "notes": [...], "rows": [...]}` exactly as
    `dumps(result.to_dict())` writes it, made a chunk of rows at a time: the head, each
    chunk's rows, then the tail."""
    run = result.run
    head = {"paths": result.paths, "overrides": dict(result.case.overrides), "notes": result.notes}
    yield "{" + "".join(
        f"\n  {_json(key)}: " + dumps(value).rstrip("\n").replace("\n", "\n  ") + ","
        for key, value in head.items()
    )
    yield '\n  "rows": ['
    # one row as json.dumps(indent=2) writes it inside the list: keys and names quoted
    # once, each value %s-formatted from its column
    keys = [*result.paths, "vendor", *run.keys]
    template = (
        "\n    {\n"
        + ",\n".join(f"      {_json(k).replace('%', '%%')}: %s" for k in keys)
        + "\n    }"
    )
    names = [_json(name) for name in run.vendor_names]
    first = True
    for chunk in run.chunks():
        index = np.arange(chunk.start, chunk.stop)
        coords = np.unravel_index(index, run.grid.shape)
        points = [
            [repr(float(x)) for x in a.values[c].tolist()]
            for a, c in zip(run.grid.axes, coords, strict=True)
        ]
        results = [[_json_cells(res[k], k) for k in run.keys] for res in chunk.vendors]
        rows = [
            template % (*(col[i] for col in points), name, *(c[i] for c in cells))
            for i in range(len(index))
            for name, cells in zip(names, results, strict=True)
        ]
        if rows:
            yield ("" if first else ",") + ",".join(rows)
            first = False
    yield "]\n}\n" if first else "\n  ]\n}\n"


def _json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _json_cells(values: NDArray[np.float64], key: str) -> list[str]:
    """A result column as JSON numbers, rounded as `rounded` rounds them; null for NaN."""
    return ["null" if math.isnan(x) else repr(rounded(key, x)) for x in values.tolist()]


def to_dict(result: Sweep) -> dict[str, Any]:
    """The JSON of `sweep --format json` (the result's own `to_dict`)."""
    return result.to_dict()


def pieces(result: Sweep, fmt: str) -> Iterator[str]:
    """The text of `render`, in pieces written as soon as each is made: the rows of a
    chunk of points at a time, so that no format holds every row."""
    run = result.run
    if fmt == "json" and not result.summarized:
        return rows_json(result)
    if fmt == "csv" and not result.summarized:
        return rows_csv(run)
    return iter([render(result, fmt)])


def render(result: Sweep, fmt: str) -> str:
    """The rows, or the summary, as json, csv or markdown (the table view is `draw`).

    CSV has its header on the first shard only, so that shards concatenate.
    """
    run = result.run
    if fmt == "json" and result.summarized:
        return dumps(result.to_dict())
    if fmt == "json":
        return "".join(rows_json(result))
    if fmt == "csv":
        return summary_csv(run) if result.summarized else "".join(rows_csv(run))
    if fmt == "markdown":
        summarized = result.summarized
        text = summary_markdown(run, result.currency) if summarized else rows_markdown(result)
        line = scenario_line(result.scenario)
        return f"{markdown_text(line)}\n\n{text}" if line else text
    raise ValueError(f"no text renderer for {fmt!r}; the table view is draw()")


def draw(result: Sweep, console: Console) -> None:
    """The terminal view: the first rows or the summary; over two whole inputs, the flip grid."""
    if result.case.overrides:  # first: every figure below is this scenario's
        console.print(Text(scenario_line(result.scenario), style="bold"))
    if result.summarized:
        summary_table(result.run, result.currency, console)
    else:
        rows_table(result, console)
    if len(result.paths) == 2 and result.shard is None:
        thin, matrices = result.heat_map()
        for name, matrix in zip(result.run.vendor_names, matrices, strict=True):
            flip_grid(
                thin.axes[1].text, thin.axes[1].values,
                thin.axes[0].text, thin.axes[0].values,
                matrix, result.currency, name, console,
            )  # fmt: skip


def chart(result: Sweep, path: Path) -> None:
    """A heat map of the first vendor's NPV savings over the two varied inputs."""
    from .charts import heatmap_chart

    # a heat map wants a few thousand cells at most, whatever the sweep's size
    thin, matrices = result.heat_map(rows=60, columns=60)
    heatmap_chart(
        thin.axes[1].text, thin.axes[1].values, thin.axes[0].text, thin.axes[0].values,
        matrices[0], result.currency, result.run.vendor_names[0], path,
        scenario=scenario_line(result.scenario),
    )  # fmt: skip


def gate_lines(result: Sweep) -> list[str]:
    """'fail-if npv_savings<0: holds for Acme at 12 of 40 points', per broken gate."""
    return [
        f"fail-if {count.gate.text}: holds for {count.vendor} at {count.held:,} of "
        f"{result.points:,} points"
        for count in result.gates
        if count.held
    ]
