"""Formatting results: one module per command's output, each with the same shape.

    to_dict(result) -> dict        what `--format json` prints, as Python data
    render(result, fmt) -> str     json, csv or markdown text
    draw(result, console)          the table view, on a rich console

`renderer_for` finds a result's module; it is imported only then, so that a
cold `compare` never loads the modules of other commands.
"""

from __future__ import annotations

import importlib
from typing import Any

# the module of each result type, by the type's name (render/<module>.py)
MODULES = {
    "Comparison": "compare",
    "BaselineDiff": "baseline",
    "Sweep": "sweep",
    "Sensitivity": "sensitivity",
    "Simulation": "simulate",
    "Validation": "validate",
}


def renderer_for(result: object) -> Any:
    """The render module for `result` (render.compare for a Comparison, ...)."""
    for cls in type(result).__mro__:  # a subclass of a result renders as the result
        if cls.__name__ in MODULES:
            return importlib.import_module(f"{__name__}.{MODULES[cls.__name__]}")
    raise TypeError(f"no renderer for {type(result).__name__}")
