"""Sweep output: rows (csv, json, markdown, table), a summary per vendor, the flip grid."""

from __future__ import annotations

import io
import itertools
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..engine.batch import Chunk
from ..engine.results import cents, fine, rounded
from ..inputs.overrides import describe
from ..inputs.paths import NamedInput, named_input
from ..rules import MONEY_KEYS, wins
from ..scenarios.sweep import Sweep, SweepRun, SweepVendorSummary
from .format import (
    LABELS,
    LOSES,
    WINS,
    CsvWriter,
    csv_field,
    dumps,
    input_value,
    markdown_row,
    markdown_text,
    metric,
    money,
    money_short,
    months,
    share,
)
from .words import scenario_line, scenario_text

if TYPE_CHECKING:  # rich is imported where a table is drawn: csv and json never load it
    from rich.console import Console

TABLE_ROWS = 40  # rows shown by the table/markdown views; csv and json hold them all
GRID_LIST = 8  # values of a listed axis its grid line shows, the last one included
FLIP_COLUMNS, FLIP_CELL = 7, 10  # the flip grid's columns at most, and each one's width


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


def _summary_lines(
    v: SweepVendorSummary, currency: str, names: dict[str, NamedInput]
) -> list[tuple[str, str]]:
    n, p = v.npv_savings, v.payback_months
    return [
        ("Points evaluated", f"{v.points:,}"),
        ("Outsourcing cheaper at", share(v.share_winning) + " of points"),
        ("NPV savings min / median / max",
         f"{money(n.min, currency)} / {money(n.median, currency)} / {money(n.max, currency)}"),
        ("Payback min / median / max",
         f"{months(p.min)} / {months(p.median)} / {months(p.max)}"),
        ("Worst point", _point(v.worst, names)),
        ("Best point", _point(v.best, names)),
    ]  # fmt: skip


def _point(point: dict[str, float], names: dict[str, NamedInput]) -> str:
    """'Agent: annual salary $40,000; Discount rate 10.0%'."""
    return "; ".join(f"{names[k].label} {_value(names[k], x)}" for k, x in point.items())


def _value(name: NamedInput, x: float) -> str:
    return input_value(x, name.unit, name.currency)


def names_of(result: Sweep) -> dict[str, NamedInput]:
    """Each varied path as the views name it ("Agent: annual salary"), with its unit."""
    return {p: named_input(result.case, p) for p in result.paths}


def grid_lines(result: Sweep) -> list[str]:
    """The grid, an axis a line: 'Agent: annual salary: $40,000 … $60,000 step $5,000
    (5 values)', or the values of a list ('Discount rate: 6.0%, 10.0% (2 values)')."""
    names = names_of(result)
    lines = []
    for axis in result.run.grid.axes:
        name = names[axis.text]
        values = [_value(name, x) for x in axis.values.tolist()]
        count = f"({len(values):,} value{'s' if len(values) != 1 else ''})"
        if axis.step is not None and len(values) > 1:
            shown = f"{values[0]} … {values[-1]} step {_value(name, axis.step)}"
        elif len(values) > GRID_LIST:
            shown = ", ".join(values[: GRID_LIST - 2]) + ", …, " + values[-1]
        else:
            shown = ", ".join(values)
        lines.append(f"{name.label}: {shown} {count}")
    return lines


def summary_markdown(result: Sweep) -> str:
    run, names = result.run, names_of(result)
    lines = [f"## Sweep of {run.stop - run.start:,} points", ""]
    lines += [f"- {markdown_text(line)}" for line in grid_lines(result)]
    lines.append("")
    for v in run.summary:
        lines += [f"### {markdown_text(v.name)}", "", "| | |", "|---|---:|"]
        lines += [
            markdown_row([k, markdown_text(val)])
            for k, val in _summary_lines(v, result.currency, names)
        ]
        lines.append("")
    return "\n".join(lines)


def summary_table(result: Sweep, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    console.print(Text("\n".join(grid_lines(result))), highlight=False)
    names = names_of(result)
    for v in result.run.summary:
        table = Table(title=f"{v.name}: sweep summary", title_justify="left", show_header=False)
        table.add_column("")
        table.add_column("", justify="right")
        for k, val in _summary_lines(v, result.currency, names):
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
    names = names_of(result)
    keys = ["npv_savings", "savings", "roi", "payback_months", "break_even_price_change"]
    header = [*(markdown_text(names[p].label) for p in paths), "Vendor"]
    header += [LABELS[k] for k in keys]
    lines = [f"- {markdown_text(line)}" for line in grid_lines(result)]
    lines += [
        "",
        markdown_row(header),
        "|" + "---:|" * len(paths) + "---|" + "---:|" * len(keys),
    ]
    for row in rows:
        cells = [_value(names[p], row[p]) for p in paths] + [markdown_text(row["vendor"])]
        cells += [metric(k, row[k], currency, unit) for k in keys]
        lines.append(markdown_row(cells))
    total = _row_count(result)
    if total > TABLE_ROWS:
        lines += ["", f"_First {TABLE_ROWS} of {total:,} rows; `--format csv` gives them all._"]
    return "\n".join(lines) + "\n"


def rows_table(result: Sweep, console: Console) -> None:
    from rich.table import Table

    from .layout import fitted

    rows = _first_rows(result)
    paths, currency, unit = result.paths, result.currency, result.unit
    names = names_of(result)
    # what decides, in a width a terminal has; csv and json carry every result
    keys = ["npv_savings", "payback_months", "break_even_price_change"]
    headers = ["Vendor", *(names[p].label for p in paths), *(LABELS[k] for k in keys)]
    cells = [
        [row["vendor"], *(_value(names[p], row[p]) for p in paths)]
        + [metric(k, row[k], currency, unit) for k in keys]
        for row in rows
    ]
    title = f"Sweep: {result.points:,} points\n" + "\n".join(grid_lines(result))
    table = Table(title=title, title_justify="left")
    table.add_column(headers[0])
    for i, header in enumerate(headers[1:], start=1):
        # a figure keeps its whole width; the names and headings wrap instead
        widest = max((len(c[i]) for c in cells), default=0)
        table.add_column(header, justify="right", min_width=widest)
    for row_cells in cells:
        table.add_row(*row_cells)
    console.print(fitted(table, console, headers, cells))
    total = _row_count(result)
    if total > TABLE_ROWS:
        console.print(f"First {TABLE_ROWS} of {total:,} rows; --format csv gives them all.")


def flip_grid(
    x: NamedInput,
    x_values: NDArray[np.float64],
    y: NamedInput,
    y_values: NDArray[np.float64],
    grid: NDArray[np.float64],
    currency: str,
    vendor: str,
    console: Console,
) -> None:
    """npv_savings over two varied inputs, in the charts' colour-blind-safe blue where
    outsourcing wins and vermillion where it loses."""
    from rich.table import Table
    from rich.text import Text

    console.print(
        Text(f"{vendor}: NPV savings ({currency}) by {y.label} (rows) and {x.label} (columns)")
    )
    table = Table()
    table.add_column("", justify="right", style="bold", no_wrap=True)
    for value in x_values:
        table.add_column(_value(x, float(value)), justify="right", no_wrap=True)
    for value, row in zip(y_values, grid, strict=True):
        cells = [
            Text(money_short(float(v), "", figures=3), style=WINS if wins(v) else LOSES)
            for v in row
        ]
        table.add_row(_value(y, float(value)), *cells)
    console.print(table)


def rows_csv(run: SweepRun) -> Iterator[str]:
    """One row per point and vendor: the varied paths, `vendor`, then every result key;
    the text of each chunk of points as it is computed, made a whole column at a time
    as bytes in numpy arrays, then cut out of them at once.

    The header is the first shard's only, even when that shard holds no point, and a
    shard without points writes nothing else: the shards' outputs concatenate into
    the unsharded one, however many shards there are.
    """
    # a run that changed inputs says so on every row, in a last column (as compare does)
    scenario = [csv_field(scenario_text(describe(run.case)))] if run.case.overrides else []
    if run.first_shard:
        header = [*(a.text for a in run.grid.axes), "vendor", *run.keys]
        header += ["scenario"] if scenario else []
        yield ",".join(csv_field(c) for c in header) + "\n"
    # an axis has few values: each one's text is made once, then picked per point
    axis_cells = [_column(a.values, "") for a in run.grid.axes]
    names = [csv_field(name) for name in run.vendor_names]

    def text(chunk: Chunk) -> str:
        coords = np.unravel_index(np.arange(chunk.start, chunk.stop), run.grid.shape)
        points = [(t[c], a[c], b[c]) for (t, a, b), c in zip(axis_cells, coords, strict=True)]
        rows = [
            _csv_rows([*points, name, *(_column(res[k], k) for k in run.keys), *scenario])
            for name, res in zip(names, chunk.vendors, strict=True)
        ]
        # point by point, each point's vendors together: any contiguous shards rejoin exactly
        wide = max(t.shape[1] for t, _ in rows)
        text = np.stack([np.pad(t, ((0, 0), (0, wide - t.shape[1]))) for t, _ in rows], axis=1)
        keep = np.stack([np.pad(k, ((0, 0), (0, wide - k.shape[1]))) for _, k in rows], axis=1)
        return text[keep].tobytes().decode("utf-8")

    # the text is made where the chunk is evaluated: in the worker, with --jobs
    for chunk in run.chunks(finish=text):
        yield chunk.finished


# a column's cells: each row's UTF-8 bytes, and where in it each cell starts and ends
Cells = tuple[NDArray[np.uint8], NDArray[np.int64], NDArray[np.int64]]


def _csv_rows(columns: list[Cells | str]) -> tuple[NDArray[np.uint8], NDArray[np.bool_]]:
    """CSV lines from columns of cells as `csv_field` writes them (a number's text needs
    no quoting), a column given as one text repeating down the rows: the lines' bytes,
    padded, and which of them are the text."""
    count = next(len(c[1]) for c in columns if not isinstance(c, str))
    texts, keeps = [], []
    for i, column in enumerate(columns):
        after = "\n" if i == len(columns) - 1 else ","
        if isinstance(column, str):
            raw = np.frombuffer((column + after).encode("utf-8"), dtype=np.uint8)
            texts.append(np.broadcast_to(raw, (count, len(raw))))
            keeps.append(np.ones((count, len(raw)), dtype=np.bool_))
        else:
            text, start, end = column
            at = np.arange(text.shape[1])
            texts += [text, np.full((count, 1), ord(after), dtype=np.uint8)]
            keeps += [(at >= start[:, None]) & (at < end[:, None]), np.ones((count, 1), np.bool_)]
    return np.concatenate(texts, axis=1), np.concatenate(keeps, axis=1)


def _column(values: NDArray[np.float64], key: str) -> Cells:
    """Cells of a column: money to the cent as "{:.2f}" writes it, other numbers as the
    JSON has them (`repr(rounded(key, x))`: 10 decimals, 4 for a volume, no float
    noise), null empty; a whole column at once.

    x * 10**k (k = 2, 4 or 10) is off the exact product by at most half its spacing;
    when it lies more than its spacing from a half, the exact product rounds to the same
    integer N, which is exact (below 2**52): "{:.2f}" writes N's digits with a point
    before the last two. N / 10**k, one IEEE division, is the double `round(x, k)`
    gives; when N has 7 to 15 digits (1e-4 <= |x| < 1e5 for k = 10), repr writes it
    positionally, and its shortest digits are N's own without trailing zeros, since two
    decimals of at most 15 significant digits are never the same double. Python formats
    the rest.
    """
    money = key in MONEY_KEYS
    places = 2 if money else 4 if key == "break_even_volume" else 10
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = values * 10.0**places
        near = np.rint(scaled)
        sure = 0.5 - np.abs(scaled - near) > np.spacing(np.abs(scaled))
    size = np.abs(near)
    if not money:
        sure &= (size < 1e15) & ((size >= 1e6) | (size == 0))
    whole = np.where(sure, size, 0).astype(np.int64)
    # money keeps its sign down to -0.00; a rounded value is never -0.0
    negative = np.signbit(values) if money else near < 0
    text, start, end = _digits(whole, places, negative & sure, trim=not money)
    rest = np.flatnonzero(~sure).tolist()
    if not rest:
        return text, start, end
    cells = [_python_text(float(values[i]), key).encode("ascii") for i in rest]
    wide = max(text.shape[1], *map(len, cells))
    if wide > text.shape[1]:
        text = np.pad(text, ((0, 0), (0, wide - text.shape[1])))
    for i, cell in zip(rest, cells, strict=True):
        text[i, : len(cell)] = np.frombuffer(cell, dtype=np.uint8)
        start[i], end[i] = 0, len(cell)
    return text, start, end


def _python_text(x: float, key: str) -> str:
    if math.isnan(x):
        return ""
    return _CENTS.format(x) if key in MONEY_KEYS else repr(rounded(key, x))


_CENTS = "{:.2f}"
_WIDTH = 16  # digits of an integer below 2**53, made four at a time
_POWERS = 10 ** np.arange(_WIDTH, dtype=np.int64)
# the four ASCII digits of 0000..9999, a row each (made at once: a list per number took
# 8 ms of every sweep's start)
_FOURS = (np.arange(10_000)[:, None] // np.array([1000, 100, 10, 1]) % 10 + ord("0")).astype(
    np.uint8
)


def _digits(n: NDArray[np.int64], places: int, negative: NDArray[np.bool_], trim: bool) -> Cells:
    """The text of each n / 10**places (n below 2**53) as ASCII, a row each, ending at
    the same column: an optional "-", the whole part (at least "0"), ".", then `places`
    decimals, or with `trim` the decimals without trailing zeros (at least one)."""
    shown = np.maximum(np.searchsorted(_POWERS, n, side="right"), places + 1)
    fours = [n // 10**12, n // 10**8 % 10**4, n // 10**4 % 10**4, n % 10**4]
    digit = _FOURS[np.stack(fours, axis=1)].reshape(len(n), _WIDTH)
    point = _WIDTH + 1 - places  # the column of ".", after one for a sign
    text = np.empty((len(n), _WIDTH + 2), dtype=np.uint8)
    text[:, 0] = ord(" ")  # never kept but where a sign goes
    text[:, 1:point] = digit[:, : point - 1]
    text[:, point] = ord(".")
    text[:, point + 1 :] = digit[:, point - 1 :]
    start = point - (shown - places) - negative
    text[negative, start[negative]] = ord("-")
    if trim:  # up to the last decimal that is not 0
        nonzero = digit[:, _WIDTH - places :] != ord("0")
        kept = np.maximum(np.max(nonzero * np.arange(1, places + 1), axis=1), 1)
        return text, start, point + 1 + kept
    return text, start, np.full(n.shape, _WIDTH + 2)


def rows_json(result: Sweep) -> Iterator[str]:
    """`{"paths": [...], "axes": [...], "overrides": {...}, "notes": [...], "rows": [...]}` as
    `dumps(result.to_dict())` writes it, made a chunk of rows at a time: the head, each
    chunk's rows, then the tail."""
    run = result.run
    head = {
        "paths": result.paths,
        "axes": result.axes,
        "overrides": dict(result.case.overrides),
        "notes": result.notes,
    }
    yield (
        "{"
        + "".join(
            f"\n  {_json(key)}: " + dumps(value).rstrip("\n").replace("\n", "\n  ") + ","
            for key, value in head.items()
        )
        + '\n  "rows": ['
    )
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
        text = summary_markdown(result) if summarized else rows_markdown(result)
        line = scenario_line(result.scenario)
        return f"{markdown_text(line)}\n\n{text}" if line else text
    raise ValueError(f"no text renderer for {fmt!r}; the table view is draw()")


def draw(result: Sweep, console: Console) -> None:
    """The terminal view: the first rows or the summary; over two whole inputs, the flip grid."""
    from rich.text import Text

    if result.case.overrides:  # first: every figure below is this scenario's
        console.print(Text(scenario_line(result.scenario), style="bold"))
    if result.summarized:
        summary_table(result, console)
    else:
        rows_table(result, console)
    if len(result.paths) == 2 and result.shard is None:
        names = names_of(result)
        # as many columns as fit beside the row headings, seven at most
        columns = max(2, min(FLIP_COLUMNS, (console.width - 14) // FLIP_CELL))
        thin, matrices = result.heat_map(columns=columns)
        x, y = thin.axes[1], thin.axes[0]
        for name, matrix in zip(result.run.vendor_names, matrices, strict=True):
            flip_grid(
                names[x.text], x.values, names[y.text], y.values,
                matrix, result.currency, name, console,
            )  # fmt: skip


def chart(result: Sweep, path: Path, vendor: str | None = None) -> None:
    """A heat map of NPV savings over the two varied inputs per vendor, or of `vendor`."""
    from .charts import heatmap_chart

    heatmap_chart(result, path, vendor=vendor)


def gate_lines(result: Sweep) -> list[str]:
    """'fail-if npv_savings<0: holds for Acme at 12 of 40 points', per broken gate."""
    return [
        f"fail-if {count.gate.text}: holds for {count.vendor} at {count.held:,} of "
        f"{result.points:,} points"
        for count in result.gates
        if count.held
    ]
