"""One row per option (the in-house baseline first), for spreadsheets and scripts."""

from __future__ import annotations

import csv
import io

from ..engine.model import RESULT_KEYS
from ..engine.results import Comparison, cents, rounded
from ..rules import IN_HOUSE_BREAKDOWN, VENDOR_PARTS


def render(result: Comparison, monthly: bool = False) -> str:
    parts = [*IN_HOUSE_BREAKDOWN, *VENDOR_PARTS]
    header = ["option", "name", *RESULT_KEYS, *parts]
    if monthly:
        header += [f"month_{m}" for m in range(result.horizon_months + 1)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    ih = result.in_house
    row: list[object] = ["in_house", ih.name, cents(ih.tco), cents(ih.npv)]
    row += [""] * (len(RESULT_KEYS) - 2)
    row += [_cell(cents(ih.breakdown[p])) if p in ih.breakdown else "" for p in parts]
    if monthly:
        row += [cents(x) for x in ih.monthly]
    writer.writerow(row)
    for v in result.vendors:
        row = ["vendor", v.name, *(_cell(rounded(k, v[k])) for k in RESULT_KEYS)]
        row += [_cell(cents(v.breakdown[p])) if p in v.breakdown else "" for p in parts]
        if monthly:
            row += [cents(x) for x in v.monthly]
        writer.writerow(row)
    return out.getvalue()


def _cell(x: float | None) -> object:
    return "" if x is None else x
