"""Formatting results: one module per command's output, each with the same shape.

    to_dict(result) -> dict        what `--format json` prints, as Python data
    render(result, fmt) -> str     json, csv or markdown text
    draw(result, console)          the table view, on a rich console

and, where the text grows with the run (sweep rows, simulation trials),
`pieces(result, fmt)`: the same text in pieces, each written as soon as it is
made (`text_pieces` gives every renderer's text that way).

`renderer_for` finds a result's module; it is imported only then, so that a
cold `compare` never loads the modules of other commands.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

# the module of each result type, by the type's name (render/<module>.py)
MODULES = {
    "Comparison": "compare",
    "BaselineDiff": "baseline",
    "Sweep": "sweep",
    "Sensitivity": "sensitivity",
    "Simulation": "simulate",
    "SimulationShard": "simulate",
    "Validation": "validate",
}


def renderer_for(result: object) -> Any:
    """The render module for `result` (render.compare for a Comparison, ...)."""
    for cls in type(result).__mro__:  # a subclass of a result renders as the result
        if cls.__name__ in MODULES:
            return importlib.import_module(f"{__name__}.{MODULES[cls.__name__]}")
    raise TypeError(f"no renderer for {type(result).__name__}")


def text_pieces(renderer: Any, result: object, fmt: str, **options: Any) -> Iterable[str]:
    """The text of `render(result, fmt)` in the pieces to write one after another: the
    renderer's own `pieces` where it has them, else the whole text as one piece."""
    pieces = getattr(renderer, "pieces", None)
    if pieces is not None:
        return pieces(result, fmt, **options)  # type: ignore[no-any-return]
    return [renderer.render(result, fmt, **options)]
