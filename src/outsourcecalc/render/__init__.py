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
    name = MODULES[type(result).__name__]
    return importlib.import_module(f"{__name__}.{name}")
