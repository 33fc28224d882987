"""Tables that fit the terminal: side by side while every figure fits whole, else stacked.

Rich narrows a table too wide for the terminal by folding its cells, which cuts a
figure in two (`$1,745,97` over `5`), or crops it at the edge. `fitted` shows a
table only when each column gets at least its longest word (a figure is one word);
otherwise the same cells come one row at a time, each value beside its heading.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

Cell = str | Text


def fits(table: Table, console: Console) -> bool:
    """Whether `table` shows every cell's longest word whole at the console's width."""
    return table.__rich_measure__(console, console.options).minimum <= console.width


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
    """`table` if it fits the console whole, else its `rows` stacked under its title."""
    if fits(table, console):
        return table
    title = table.title if isinstance(table.title, str) else None
    return stacked(headers, rows, title)
