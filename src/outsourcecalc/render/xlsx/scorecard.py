"""The Scorecard sheet: criteria × options, each option's weighted score, and who may win.

The weights and scores come from the Inputs sheet (the in-house file's scorecard and each
vendor's scores); the matrix shows them as links, and each score is
SUMPRODUCT(weights, scores) / SUM(weights) over the matrix, so a CFO can change a weight
or a score on the Inputs sheet or type over it here, and every score, the eligibility
against min_score and the Summary's recommendation follow.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from ...engine.model import ELIGIBLE_SLACK
from ...inputs.models import Scorecard
from .book import NA, Book


class ScorecardSheet:
    """The scorecard as a live matrix; names score_ih, score_vendor_<i>, eligible_vendor_<i>."""

    SHEET = "Scorecard"
    HEADER = 3  # the row of the column headings; the criteria below it

    def __init__(self, book: Book, ws: Any, card: Scorecard) -> None:
        self.book = book
        self.ws = ws
        self.card = card

    def write(self) -> None:
        book, ws, card = self.book, self.ws, self.card
        case, result = book.case, book.result
        ws.set_column(0, 0, 44)
        ws.set_column(1, 2, 12)
        ws.set_column(3, 3 + len(case.vendors), 20)
        ws.write_string(0, 0, "Scorecard: what is not cost", book.fmt("text", "title"))
        ws.write_string(
            1,
            0,
            "The weights and scores link to the Inputs sheet: change them there (blue cells), "
            "or type over them here. Each score is SUMPRODUCT(weights, scores) / SUM(weights); "
            "a vendor below the minimum score is never recommended.",
            book.fmt("text", "note"),
        )
        options: list[tuple[str, str, dict[str, Any] | None, float | None]] = []
        if card.in_house is not None:
            options.append(("ih", "=ih_name", card.in_house, result.in_house.score))
        options += [
            (f"vendor_{i}", f"=vendor_{i}_name", v.scores, result.vendors[i]["score"])
            for i, v in enumerate(case.vendors)
        ]
        header = book.fmt("text", "header")
        ws.write_string(self.HEADER, 0, "Criterion", header)
        ws.write_string(self.HEADER, 1, "Weight", header)
        ws.write_string(self.HEADER, 2, "Share of the weight", header)
        names = [case.in_house.name, *(v.name for v in case.vendors)]
        names = names if card.in_house is not None else names[1:]
        for n, (_, name_formula, _, _) in enumerate(options):
            ws.write_formula(self.HEADER, 3 + n, name_formula, header, names[n])
        ws.set_row(self.HEADER, 32)

        first, count = self.HEADER + 1, len(card.criteria)
        last = first + count - 1
        total_weight = sum(float(c.weight) for c in card.criteria)
        weights = f"$B${first + 1}:$B${last + 1}"
        for k, criterion in enumerate(card.criteria):
            row = first + k
            ws.write_formula(
                row, 0, f"=ih_scorecard_criteria_{k}_name", book.fmt("text"), criterion.name
            )
            ws.write_formula(
                row,
                1,
                f"=ih_scorecard_criteria_{k}_weight",
                book.fmt("score"),
                float(criterion.weight),
            )
            ws.write_formula(
                row,
                2,
                f"=B{row + 1}/SUM({weights})",
                book.fmt("rate", "derived"),
                float(criterion.weight) / total_weight,
            )
            for n, (who, _, given, _) in enumerate(options):
                cell = "ih_scorecard_in_house" if who == "ih" else f"{who}_scores"
                score = float((given or {})[criterion.name])
                ws.write_formula(row, 3 + n, f"={cell}_{k}", book.fmt("score"), score)

        row = last + 2
        bold = book.fmt("text", "subsection")
        ws.write_string(row, 0, f"Score (0 to the scale of {card.scale:g})", bold)
        for n, (who, _, _, result_score) in enumerate(options):
            col = xl_col_to_name(3 + n)
            column = f"${col}${first + 1}:${col}${last + 1}"
            ws.write_formula(
                row,
                3 + n,
                f"=SUMPRODUCT({weights},{column})/SUM({weights})",
                book.fmt("score", "result"),
                NA if result_score is None else result_score,
            )
            book.name(f"score_{who}", self.SHEET, row, 3 + n)
        if card.min_score is None:
            return
        row += 1
        ws.write_string(row, 0, "Minimum score (a vendor below it is not recommended)")
        ws.write_formula(row, 1, "=ih_scorecard_min_score", book.fmt("score"), card.min_score)
        min_cell = f"$B${row + 1}"
        row += 1
        ws.write_string(row, 0, f"May be recommended (within {ELIGIBLE_SLACK:g} of the minimum)")
        for n, (who, _, _, _) in enumerate(options):
            if who == "ih":
                continue  # the in-house option is always available
            i = int(who.removeprefix("vendor_"))
            ws.write_formula(
                row,
                3 + n,
                f'=IF(score_{who}>={min_cell}-{ELIGIBLE_SLACK:G},"yes","no")',
                book.fmt("text", "result"),
                "yes" if book.eligible(i) else "no",
            )
            book.name(f"eligible_{who}", self.SHEET, row, 3 + n)
