"""Sweep output: rows (csv, json, markdown, table), a summary per vendor, the flip grid."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..engine.results import cents, fine
from ..rules import wins
from ..scenarios.sweep import SweepRun, SweepVendorSummary, row_dicts
from ..scenarios.sweep import rows_csv as sweep_rows_csv
from .format import LABELS, metric, money, money_short, months, percent
from .json import dumps

TABLE_ROWS = 40  # rows shown by the table/markdown views; csv and json hold them all


def _spread(s: Any, money_values: bool) -> dict[str, float | None]:
    f = cents if money_values else fine
    return {"min": f(s.min), "median": f(s.median), "max": f(s.max)}


def summary_dict(run: SweepRun) -> dict[str, Any]:
    return {
        "points": run.stop - run.start,
        "grid_points": run.grid.size,
        "paths": [a.text for a in run.grid.axes],
        "vendors": [
            {
                "name": v.name,
                "points": v.points,
                "share_winning": fine(v.share_winning),
                "npv_savings": _spread(v.npv_savings, True),
                "payback_months": _spread(v.payback_months, False),
                "worst": v.worst,
                "best": v.best,
            }
            for v in run.summary
        ],
    }


def summary_json(run: SweepRun) -> str:
    return dumps(summary_dict(run))


def summary_csv(run: SweepRun) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    paths = [a.text for a in run.grid.axes]
    writer.writerow(
        [
            "vendor", "points", "share_winning",
            "npv_savings_min", "npv_savings_median", "npv_savings_max",
            "payback_months_min", "payback_months_median", "payback_months_max",
            *(f"worst:{p}" for p in paths), *(f"best:{p}" for p in paths),
        ]
    )  # fmt: skip
    for v in run.summary:
        n, p = v.npv_savings, v.payback_months
        cells = [
            v.name, v.points, fine(v.share_winning),
            cents(n.min), cents(n.median), cents(n.max),
            fine(p.min), fine(p.median), fine(p.max),
            *(v.worst[x] for x in paths), *(v.best[x] for x in paths),
        ]  # fmt: skip
        writer.writerow(["" if c is None else c for c in cells])
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
        lines += [f"### {v.name}", "", "| | |", "|---|---:|"]
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


def rows_json(run: SweepRun) -> str:
    return dumps({"paths": [a.text for a in run.grid.axes], "rows": row_dicts(run)})


def rows_markdown(run: SweepRun, currency: str, unit: str) -> str:
    rows = row_dicts(run)
    paths = [a.text for a in run.grid.axes]
    keys = ["npv_savings", "savings", "roi", "payback_months", "break_even_price_change"]
    header = [*paths, "vendor", *(LABELS[k] for k in keys)]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(paths) + "---|" + "---:|" * len(keys),
    ]
    for row in rows[:TABLE_ROWS]:
        cells = [_num(row[p]) for p in paths] + [row["vendor"]]
        cells += [metric(k, row[k], currency, unit) for k in keys]
        lines.append("| " + " | ".join(cells) + " |")
    if len(rows) > TABLE_ROWS:
        lines += ["", f"_First {TABLE_ROWS} of {len(rows):,} rows; `--format csv` gives them all._"]
    return "\n".join(lines) + "\n"


def rows_table(run: SweepRun, currency: str, unit: str, console: Console) -> None:
    rows = row_dicts(run)[:TABLE_ROWS]
    paths = [a.text for a in run.grid.axes]
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
    total = (run.stop - run.start) * len(run.vendor_names)
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


def rows_csv(run: SweepRun, header: bool = True) -> str:
    """Every row as CSV (the header only on the first shard, so shards concatenate)."""
    return sweep_rows_csv(run, header)
