"""Tables that fit the terminal: side by side while every figure fits whole, else stacked.

Rich narrows a table too wide for the terminal by folding its cells, which cuts a
figure in two (`$1,745,97` over `5`), or crops it at the edge. `fitted` sets the
column widths itself so that each column gets at least its longest word (a figure is
one word); where they cannot, the same cells come one row at a time, each value
beside its heading.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

Cell = str | Text


def widths(
    table: Table, headers: Sequence[str], rows: Sequence[Sequence[Cell]], width: int
) -> list[int] | None:
    """Column widths that fit `width` with every word of every cell whole, or None.

    Each column starts as wide as its longest cell; while the table is too wide,
    the widest column still wider than its longest word gives up one character.
    """
    columns = list(zip(headers, *rows, strict=True))
    longest = [max(cell_len(str(c)) for c in column) for column in columns]
    least = [
        max(len(word) for c in column for word in str(c).split() or [""]) for column in columns
    ]
    out = [max(a, c.min_width or 0) for a, c in zip(longest, table.columns, strict=True)]
    _, right, _, left = Padding.unpack(table.padding)
    excess = sum(out) + table._extra_width + (left + right) * len(out) - width
    while excess > 0:
        narrowable = [(w, i) for i, (w, m) in enumerate(zip(out, least, strict=True)) if w > m]
        if not narrowable:
            return None
        _, i = max(narrowable)
        out[i] -= 1
        excess -= 1
    return out


def stacked(
    headers: Sequence[str], rows: Sequence[Sequence[Cell]], title: str | None = None
) -> Table:
    """The rows one after another: the first cell as a heading, then each other cell
    beside its column's heading. Headings wrap; values never do."""
    table = Table(title=title, title_justify="left", show_header=False, box=None)
    table.add_column("", overflow="fold")
    table.add_column("", justify="right", no_wrap=True)
    for i, row in enumerate(rows):
        first = row[0] if isinstance(row[0], Text) else Text(row[0])
        table.add_row(Text.assemble(first, style="bold"), "")
        for header, cell in zip(headers[1:], row[1:], strict=True):
            table.add_row(Text("  " + header), cell)
        if i < len(rows) - 1:
            table.add_row("", "")
    return table


def fitted(
    table: Table, console: Console, headers: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> RenderableType:
    """`table` (of these `headers` and `rows`) with column widths that keep every word
    whole at the console's width; where none do, its rows stacked under its title."""
    sizes = widths(table, headers, rows, console.width)
    if sizes is None:
        title = table.title if isinstance(table.title, str) else None
        return stacked(headers, rows, title)
    for column, size in zip(table.columns, sizes, strict=True):
        column.width = size
    return table
