"""The model as a live workbook: Inputs (named cells) -> Monthly (formulas) -> Summary.

A renderer like the others: it writes the contract's arithmetic as spreadsheet formulas
over the named input cells, so changing an assumption in Excel or LibreOffice moves
every figure. Each formula cell also carries the value the engine computed (its monthly
streams and the Comparison), so a viewer that does not recalculate shows the same
numbers. The same inputs always give the same bytes (fixed document metadata).

The parts, in the order the data flows:

- book.py: the shared state: cell formats, defined names, the engine's monthly streams;
- inputs.py: the Inputs sheet, every assumption as a named cell, and its field tables;
- monthly.py: the Monthly sheet, one row per month: the timeline, the headcounts that
  follow the workload, the in-house cost IH(m), and per vendor its fees F(m), benefits
  B(m) and the vendor option's cost VO(m), with the savings s(m) and the helper columns
  behind IRR and payback;
- summary.py: the Summary sheet, every result as a formula over Monthly, and the chart;
- scorecard.py: with a scorecard, the Scorecard sheet: each option's weighted score and
  whether a vendor scores enough to be recommended.
"""

from __future__ import annotations

import io

import xlsxwriter  # type: ignore[import-untyped]

from ...engine.results import Comparison
from ...inputs.case import Case
from .book import CREATED, NA, Book
from .inputs import InputsSheet
from .monthly import MonthlySheet
from .scorecard import ScorecardSheet
from .summary import SummarySheet

__all__ = ["NA", "render"]


def render(case: Case, result: Comparison) -> bytes:
    """The workbook of one comparison, as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {
            "title": f"Make or buy: {case.in_house.name}",
            "subject": "Make-or-buy cost model (outsourcecalc contract v2)",
            "author": "outsourcecalc",
            "comments": "Every figure is a formula over the Inputs sheet.",
            "created": CREATED,
        }
    )
    book = Book(workbook, case, result)
    card = case.in_house.scorecard
    summary = workbook.add_worksheet("Summary")
    scorecard = None if card is None else workbook.add_worksheet(ScorecardSheet.SHEET)
    inputs = workbook.add_worksheet("Inputs")
    monthly = workbook.add_worksheet("Monthly")
    InputsSheet(book, inputs).write()
    grid = MonthlySheet(book, monthly).write()
    if scorecard is not None and card is not None:
        ScorecardSheet(book, scorecard, card).write()
        scorecard.set_paper(9)  # A4
        scorecard.fit_to_pages(1, 0)
    SummarySheet(book, summary, grid).write()
    for name, ref in sorted(book.names.items()):
        workbook.define_name(name, ref)
    for ws in (summary, inputs, monthly):
        ws.set_paper(9)  # A4
    summary.set_landscape()
    summary.fit_to_pages(1, 1)
    inputs.fit_to_pages(1, 0)
    inputs.repeat_rows(0, 1)
    monthly.set_landscape()
    monthly.repeat_rows(0, 1)
    monthly.repeat_columns(0, 0)
    summary.activate()
    workbook.close()
    return buffer.getvalue()
