"""outsourcecalc: make-or-buy cost calculator, in house against vendor quotes.

The whole tool as a library (docs/api.md):

    case = outsourcecalc.load("in_house.yaml", ["vendor.yaml"])
    outsourcecalc.compare(case)          # Comparison
    outsourcecalc.sweep(case, [...])     # Sweep: .rows(), .to_pandas()
    outsourcecalc.sensitivity(case)      # Sensitivity
    outsourcecalc.simulate(case, {...})  # Simulation
    outsourcecalc.merge(["s1.json", ...]) # Simulation, from simulate_shard's files
    outsourcecalc.diff(case, "old.json") # BaselineDiff

Every result's `.to_dict()` is what the command's `--format json` prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import (
        Workbook,
        case_from_dicts,
        compare,
        diff,
        evaluate,
        export_xlsx,
        init,
        load,
        merge,
        report,
        schema,
        sensitivity,
        simulate,
        simulate_shard,
        sweep,
    )
    from .engine.model import evaluate_batch
    from .engine.results import Comparison
    from .errors import InputError, Problem, UsageError
    from .inputs.case import Case
    from .inputs.checks import Validation, validate_files
    from .scenarios.baseline import BaselineDiff
    from .scenarios.sensitivity import Sensitivity
    from .scenarios.shards import SimulationShard
    from .scenarios.simulate import Simulation
    from .scenarios.sweep import Sweep

__all__ = [
    "BaselineDiff",
    "Case",
    "Comparison",
    "InputError",
    "Problem",
    "Sensitivity",
    "Simulation",
    "SimulationShard",
    "Sweep",
    "UsageError",
    "Validation",
    "Workbook",
    "case_from_dicts",
    "compare",
    "diff",
    "evaluate",
    "evaluate_batch",
    "export_xlsx",
    "init",
    "load",
    "merge",
    "report",
    "schema",
    "sensitivity",
    "simulate",
    "simulate_shard",
    "sweep",
    "validate_files",
]
__version__ = "0.1.0"

# Everything loads on first use: importing the package imports nothing else, so the
# command line (__main__.run) can set up the process before numpy is loaded.
_LAZY = {
    **dict.fromkeys(
        [
            "Workbook",
            "case_from_dicts",
            "compare",
            "diff",
            "evaluate",
            "export_xlsx",
            "init",
            "load",
            "merge",
            "report",
            "schema",
            "sensitivity",
            "simulate",
            "simulate_shard",
            "sweep",
        ],
        "api",
    ),
    "evaluate_batch": "engine.model",
    "Comparison": "engine.results",
    "InputError": "errors",
    "Problem": "errors",
    "UsageError": "errors",
    "Case": "inputs.case",
    "Validation": "inputs.checks",
    "validate_files": "inputs.checks",
    "BaselineDiff": "scenarios.baseline",
    "Sensitivity": "scenarios.sensitivity",
    "Simulation": "scenarios.simulate",
    "SimulationShard": "scenarios.shards",
    "Sweep": "scenarios.sweep",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
