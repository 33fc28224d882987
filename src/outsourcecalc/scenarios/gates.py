"""`--fail-if METRIC OP NUMBER` gates: a small parser, never eval.

A gate *holds* (and the run exits 1) when its condition is true for a vendor.
A null payback means the option never pays back within the horizon, so it
compares as +infinity (`payback_months>18` holds). Any other null result (no
IRR, no investment for ROI) cannot be compared, and the gate does not hold.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine.model import GATE_KEYS
from ..engine.results import decimals
from ..errors import UsageError
from ..rules import NULL_IS_NEVER, never_as_infinity, parse_rate

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
}
_GATE = re.compile(r"^\s*([a-z_]+)\s*(<=|>=|==|!=|<|>)\s*(\S+)\s*$")


@dataclass(frozen=True)
class Gate:
    text: str
    metric: str
    op: str
    threshold: float

    def holds(self, value: float | None) -> bool:
        """For one result (None is null): the array rule, on one value."""
        return bool(holds_many(self, [math.nan if value is None else value])[0])

    def holds_many(self, values: Any) -> Any:
        return holds_many(self, values)


def parse_gate(text: str, option: str = "--fail-if") -> Gate:
    match = _GATE.match(text)
    if not match:
        raise UsageError.option(
            f"{option} {text}",
            "expected METRIC OP NUMBER, e.g. npv_savings<0 or payback_months>18",
        )
    metric, op, raw = match.groups()
    if metric not in GATE_KEYS:
        raise UsageError.option(
            f"{option} {text}", f"unknown metric {metric!r}; one of: {', '.join(GATE_KEYS)}"
        )
    try:
        threshold = parse_rate(raw)
    except ValueError:
        raise UsageError.option(f"{option} {text}", f"not a number: {raw!r}") from None
    if not math.isfinite(threshold):
        raise UsageError.option(f"{option} {text}", f"not a finite number: {raw!r}")
    return Gate(text.strip(), metric, op, threshold)


def holds_many(gate: Gate, values: Any) -> Any:
    """`gate.holds` for an array of values (NaN is null), as a boolean array. A value is
    compared as the outputs print it, rounded to its decimals (money to the cent):
    `npv_savings==-279697.96` holds for -279,697.9558, and `npv_savings<0` does not for
    -0.001, which prints as 0.00 and decides as no loss."""
    v = as_printed(np.asarray(values, dtype=float), decimals(gate.metric))
    if gate.metric in NULL_IS_NEVER:
        return _OPS[gate.op](never_as_infinity(v), gate.threshold)
    return ~np.isnan(v) & _OPS[gate.op](np.nan_to_num(v), gate.threshold)


def as_printed(values: Any, places: int) -> Any:
    """`round(x, places)` of each value, as the outputs print them. numpy's round scales by
    10**places and may land a hair off a half (1.375 -> 1.37 against round's 1.38) or lose
    digits beyond 2**52: those values, few, are rounded one by one as Python does."""
    v = np.round(values, places)
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = np.abs(values) * 10.0**places
        doubt = (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6) | (scaled >= 2.0**52)
    doubt &= np.isfinite(values)
    v[doubt] = [round(float(x), places) for x in values[doubt]]
    return v


@dataclass
class GateCount:
    """How often one gate held for one vendor: at how many sweep points or simulation trials."""

    gate: Gate
    vendor: str
    held: int = 0
