"""The workbook's shared state: number formats and styles, defined names, engine streams."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from ...engine.model import (
    InHouseStreams,
    Timeline,
    VendorStreams,
    eligible_by_score,
    in_house_streams,
    monthly_irr,
    raw_fees,
    vendor_streams,
)
from ...engine.results import Comparison
from ...inputs.case import Case
from ...rules import HALF_CENT, loses
from ..format import MONTH_NAMES as MONTH_NAMES  # the sheets' month names are the views'

# Fixed so that the same inputs give byte-identical files (the zip entries of an
# in-memory XlsxWriter workbook are dated 1980-01-01 already).
CREATED = datetime(2000, 1, 1, tzinfo=UTC)
NA = "n/a"  # what a result shows where the contract leaves it undefined (null)
HALF = f"{HALF_CENT:g}"
# Okabe-Ito: tells the options apart for colour-blind readers too
COLOURS = ("#000000", "#E69F00", "#0072B2", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")

NUMBER_FORMATS = {
    "money": "#,##0.00;[Red]-#,##0.00",
    "money0": "#,##0;[Red]-#,##0",
    "price": "#,##0.00##",
    "rate": "0.00%",
    "signed_rate": "+0.00%;[Red]-0.00%;0.00%",
    "count": "General",
    "int": "0",
    "fx": "0.00####",
    "factor": "0.0000",
    "score": "0.00##",
    "df": "0.000000",
    "months": "0.00",
    "volume": "#,##0.00",
    "text": "@",
    "bool": "General",
}
STYLES: dict[str, dict[str, Any]] = {
    "plain": {},
    "input": {
        "font_color": "#0000FF",
        "bg_color": "#FFF8DC",
        "border": 1,
        "border_color": "#D9D9D9",
    },
    "override": {"font_color": "#0000FF", "bg_color": "#FCD5B4", "border": 1},
    "derived": {"italic": True, "bg_color": "#F2F2F2"},
    "header": {
        "bold": True,
        "text_wrap": True,
        "valign": "top",
        "bottom": 1,
        "bg_color": "#DDEBF7",
    },
    "group": {"bold": True, "bg_color": "#BDD7EE", "border": 1},
    "title": {"bold": True, "font_size": 14},
    "section": {"bold": True, "font_size": 12, "bottom": 2, "font_color": "#1F4E78"},
    "subsection": {"bold": True, "italic": True},
    "note": {"italic": True, "font_color": "#595959"},
    "key": {"font_color": "#808080", "font_size": 9},
    "result": {"align": "right"},
    "verdict": {"align": "left", "bold": True, "top": 1},
    "helper": {"font_color": "#808080", "align": "right"},
}


@dataclass
class EngineStreams:
    """The engine's month-by-month streams of the case: the cached values of Monthly."""

    timeline: Timeline
    base: InHouseStreams
    vendors: list[VendorStreams]
    charges: list[list[Any]]  # R(m) of each charge on its own, per vendor

    @classmethod
    def of(cls, case: Case) -> EngineStreams:
        t = Timeline.build(case.horizon_months, case.discount_rate, case.start_month)
        base = in_house_streams(case.in_house, t, detail=True)
        vendors = [
            vendor_streams(v, case.in_house, base, t, case, detail=True) for v in case.vendors
        ]
        hours = base.productive_hours
        charges = [
            [raw_fees(v.replace(pricing=[c]), base.volume, hours, t) for c in v.pricing]
            for v in case.vendors
        ]
        return cls(t, base, vendors, charges)

    @property
    def productive_hours(self) -> float:
        return float(np.asarray(self.base.productive_hours, float).reshape(-1)[0])


class Book:
    """The workbook, its cell formats, its defined names and the engine's streams."""

    def __init__(self, workbook: Any, case: Case, result: Comparison) -> None:
        self.workbook = workbook
        self.case = case
        self.result = result
        self.currency = case.currency
        self.names: dict[str, str] = {}
        self.streams = EngineStreams.of(case)
        self.months = case.horizon_months + 1
        # the in-house roles whose headcount follows the workload, by index in the staff list
        self.workload_roles = [k for k, r in enumerate(case.in_house.staff) if r.follows_workload]
        self._formats: dict[tuple[str, str], Any] = {}

    def fmt(self, kind: str, style: str = "plain") -> Any:
        """A cell format: a number format (`kind`) in a style."""
        key = (kind, style)
        if key not in self._formats:
            props: dict[str, Any] = {"num_format": NUMBER_FORMATS[kind], **STYLES[style]}
            if kind in ("text", "bool") and style in ("input", "override"):
                props["align"] = "left"
            self._formats[key] = self.workbook.add_format(props)
        return self._formats[key]

    def name(self, name: str, sheet: str, row: int, col: int, last_row: int = -1) -> None:
        """A workbook-level name for a cell, or for a column of cells down to last_row."""
        letter = xl_col_to_name(col)
        ref = f"={sheet}!${letter}${row + 1}"
        if last_row > row:
            ref += f":${letter}${last_row + 1}"
        self.names[name] = ref

    def series(self, stream: Any) -> list[float]:
        """An engine stream (a number or an array over the months) as one float per month."""
        arr = np.asarray(stream, dtype=float).reshape(-1)
        if arr.size == 1:
            return [float(arr[0])] * self.months
        return [float(x) for x in arr[-self.months :]]

    def savings(self, i: int) -> tuple[Any, Any]:
        """Vendor i's savings s(m) = IH(m) - VO(m) and discounted savings s(m) × DF(m)."""
        streams = self.streams
        savings = np.array(self.series(streams.base.total)) - self.series(streams.vendors[i].total)
        return savings, savings * np.array(self.series(streams.timeline.discount))

    def eligible(self, i: int) -> bool:
        """May vendor i be recommended, by its score and the scorecard's min_score?"""
        score = self.result.vendors[i]["score"]
        scores = np.array([np.nan if score is None else score])
        return bool(eligible_by_score(self.case.in_house.scorecard, scores)[0])

    def monthly_irr(self, i: int) -> float | None:
        """The engine's monthly IRR of vendor i's savings (None where the IRR is null)."""
        q = float(monthly_irr(self.savings(i)[0].reshape(1, -1))[0])
        return None if np.isnan(q) else q


def months_below(savings: Any) -> Any:
    """Each month whose cumulative savings are below 0 (by half a cent or more), else -1."""
    return np.where(loses(np.cumsum(savings)), np.arange(len(savings)), -1)
