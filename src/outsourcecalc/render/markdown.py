"""Markdown tables to paste into a memo or a pull-request comment."""

from __future__ import annotations

from ..engine.model import RESULT_KEYS
from ..engine.results import Comparison
from ..rules import IN_HOUSE_BREAKDOWN, VENDOR_PARTS
from .format import LABELS, metric, money
from .table import facts
from .words import result_cell, verdict


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    align = ["---"] + ["---:"] * (len(header) - 1)
    return [_row(header), "| " + " | ".join(align) + " |", *(_row(r) for r in rows)]


def _label(key: str) -> str:
    """Breakdown labels; paid time off is inside salaries and benefits, not added to them."""
    return "(of which paid time off)" if key == "paid_time_off" else LABELS[key]


def render(result: Comparison, monthly: bool = False) -> str:
    cur = result.currency
    names = ["", "In house", *(v.name for v in result.vendors)]
    lines = [
        f"## {result.in_house.name}: make or buy",
        "",
        f"{result.horizon_months} months, {cur}, discount rate {result.discount_rate * 100:g}%.",
        "",
        f"**{verdict(result)}**",
        "",
    ]
    rows = [
        [
            LABELS["tco"],
            money(result.in_house.tco, cur),
            *(metric("tco", v["tco"], cur) for v in result.vendors),
        ],
        [
            LABELS["npv"],
            money(result.in_house.npv, cur),
            *(metric("npv", v["npv"], cur) for v in result.vendors),
        ],
    ]
    rows += [
        [LABELS[k], "", *(result_cell(result, v, k) for v in result.vendors)]
        for k in RESULT_KEYS[2:]
    ]
    lines += _table(names, rows)
    lines += ["", "### Cost breakdown over the horizon", ""]
    ih = result.in_house.breakdown
    rows = [
        [_label(k), money(ih.get(k), cur), *("" for _ in result.vendors)]
        for k in IN_HOUSE_BREAKDOWN
    ]
    rows += [
        [LABELS[k], "", *(money(v.breakdown.get(k), cur) for v in result.vendors)]
        for k in VENDOR_PARTS
    ]
    rows.append(
        [
            "**Total (TCO)**",
            money(result.in_house.tco, cur),
            *(money(v["tco"], cur) for v in result.vendors),
        ]
    )
    lines += _table(names, rows)
    if monthly:
        lines += ["", "### Month by month", ""]
        rows = [
            [str(m), money(c, cur), *(money(v.monthly[m], cur) for v in result.vendors)]
            for m, c in enumerate(result.in_house.monthly)
        ]
        lines += _table(["Month", "In house", *(v.name for v in result.vendors)], rows)
    extra = facts(result)
    if extra:
        lines += ["", *(f"- {line}" for line in extra)]
    return "\n".join(lines) + "\n"
