"""How numbers read in every format: money, rates, months, labels, and JSON text."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..rules import MONEY_KEYS

# Okabe & Ito (2008), "Color Universal Design": told apart with every common colour-vision
# type. The charts and the terminal's coloured cells both draw in these.
BLACK, ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = (
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
GREY, DARK_GREY, LIGHT_GREY = "#7F7F7F", "#5F5F5F", "#C8C8C8"
# a cell or bar where outsourcing wins, and where it loses (the charts' heat map ends)
WINS, LOSES = BLUE, VERMILLION

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "PHP": "₱"}

LABELS = {
    "tco": "TCO",
    "npv": "NPV",
    "savings": "Savings",
    "savings_pct": "Savings %",
    "npv_savings": "NPV savings",
    "investment": "Investment (switching)",
    "roi": "ROI",
    "irr": "IRR (annual)",
    "payback_months": "Payback (months)",
    "discounted_payback_months": "Discounted payback (months)",
    "break_even_price_change": "Break-even price change",
    "break_even_volume": "Break-even volume",
    "salaries": "Salaries",
    "benefits": "Benefits",
    "paid_time_off": "  of which paid time off",
    "hiring": "Hiring (attrition)",
    "overheads": "Overheads",
    "variable": "Variable costs",
    "one_time": "One-time costs",
    "fees": "Vendor fees",
    "sla_credits": "SLA credits",
    "governance": "Governance",
    "risk_reserve": "Risk reserve",
    "retained_staff": "Retained staff",
    "remaining_in_house": "Remaining in house",
    "transition": "Transition",
    # contract v2: what only a case with workload-driven roles, benefits or a scorecard shows
    "flexing": "  of which on rises",
    "switch_benefits": "Benefits of the switch",
    "score": "Score",
}
# the hiring row of a case whose headcount follows the workload: replacements and rises
HIRING_WITH_RISES = "Hiring (attrition, rises)"
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def dumps(data: Any) -> str:
    """JSON text: the same data always gives byte-identical text (SPEC section 5)."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def money(x: float | None, currency: str, cents: bool = False) -> str:
    """-1234567.8 -> '-$1,234,568' (or 'EUR 1,234,568' without a known symbol)."""
    if x is None:
        return "—"
    if round(x, 2 if cents else 0) == 0:
        x = 0.0
    sign = "-" if x < 0 else ""
    digits = f"{abs(x):,.2f}" if cents else f"{abs(x):,.0f}"
    symbol = _SYMBOLS.get(currency)
    if symbol:
        return f"{sign}{symbol}{digits}"
    return f"{sign}{currency} {digits}"


def currency_symbol(currency: str) -> str | None:
    """'$' for USD; None for a currency written by its code."""
    return _SYMBOLS.get(currency)


def money_short(
    x: float, currency: str, decimals: int = 1, *, figures: int | None = None, trim: bool = True
) -> str:
    """Money for charts: 1234567 -> '$1.2M', -850000 -> '-$850k', 'PLN 2M' ('2M' for currency '').

    `figures` asks for that many significant digits instead of fixed `decimals`
    (395291 -> '$395k', 1210818 -> '$1.21M'); `trim` drops trailing zeros.
    """
    size = abs(x)
    scale, suffix = 1.0, ""
    for step, name in ((1e3, "k"), (1e6, "M"), (1e9, "B")):
        if size >= step * (1 - 5e-4):  # 999,800 reads as 1M, not 1000k
            scale, suffix = step, name
    if figures is not None:
        whole = len(str(int(round(size / scale, 6)))) if size else 1
        decimals = max(0, figures - whole)
    digits = f"{size / scale:.{decimals}f}"
    if trim and "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    sign = "-" if x < 0 and digits.strip("0.") else ""
    symbol = _SYMBOLS.get(currency)
    prefix = symbol or (currency + " " if currency else "")
    return f"{sign}{prefix}{digits}{suffix}"


def percent(x: float | None, digits: int = 1, signed: bool = False) -> str:
    if x is None:
        return "—"
    text = f"{x * 100:+.{digits}f}%" if signed else f"{x * 100:.{digits}f}%"
    return text.replace("-0.0%", "0.0%").replace("+-", "-")


def share(x: float | None, digits: int = 1) -> str:
    """A share of trials as a percent, never rounded onto 0% or 100% when it is not
    exactly that: 99.997% is ">99.9%" and 1 of 9,999 trials "<0.1%"."""
    text = percent(x, digits)
    step = 10.0 ** -(digits + 2)  # the last digit shown, as a share
    if x is not None and x > 0 and text == percent(0.0, digits):
        return f"<{percent(step, digits)}"
    if x is not None and x < 1 and text == percent(1.0, digits):
        return f">{percent(1 - step, digits)}"
    return text


def input_value(x: float, unit: str, currency: str = "") -> str:
    """An input's value as a reader writes it, by the models' unit: a rate as 3.75%,
    money as $42,000 (₱95,000.50 with cents where it has them), a count as 2.25."""
    if unit == "rate":
        return percent(x, _decimals(x * 100, 1, 3))
    if unit == "money" and currency:
        return money(x, currency, cents=_decimals(x, 0, 2) > 0 and abs(x) < 10_000)
    return f"{x:,.{_decimals(x, 0, 4 if abs(x) < 100 else 2)}f}"


def computed_input(x: float, unit: str, currency: str = "") -> str:
    """A computed value of an input (where the decision flips) to 4 figures, whole above
    1,000: 18,898 and 47.43%, not 18,897.83 and 47.433%."""
    shown = round(x) if abs(x) >= 1000 else float(f"{x:.4g}")
    return input_value(shown, unit, currency)


def _decimals(x: float, least: int, most: int) -> int:
    """The fewest decimals, from `least` to `most`, that show `x` as it is."""
    for d in range(least, most):
        if abs(round(x, d) - x) <= 1e-9 * max(1.0, abs(x)):
            return d
    return most


def months(x: float | None) -> str:
    return "never" if x is None else f"{x:.1f}"


def number(x: float | None, unit: str = "") -> str:
    """A monthly volume: 519292.9, 'contact' -> '519,293 contacts/month'."""
    if x is None:
        return "—"
    if not unit:
        return f"{x:,.0f}/month"
    plural = unit if unit.endswith("s") or round(x) == 1 else unit + "s"
    return f"{x:,.0f} {plural}/month"


def month_label(m: int, calendar: Sequence[int] | None) -> str:
    """Month m of the analysis: 'M0 (signing)', then 'M1 (Jul)' with the calendar month
    c(m) when the run states its start month, else 'M1'.

    The contract has no start year, so a month never reads 'Jul 2027'."""
    if m == 0:
        return "M0 (signing)"
    if calendar is None:
        return f"M{m}"
    return f"M{m} ({MONTH_NAMES[calendar[m]]})"


def fte(x: float) -> str:
    """A headcount in FTE: 57.5 (one decimal: teams are not rounded to whole people)."""
    return f"{x:,.1f}"


def score(x: float | None, floor: float | None = None) -> str:
    """A weighted score: 3.8, 4.13 (two decimals at most, one at least); '—' for null.

    Next to a minimum `floor`, a score below it never reads as reaching it: 2.996
    against 3 shows as 2.996, not 3.0.
    """
    if x is None:
        return "—"
    for decimals in (2, 3, 4, 6):
        text = f"{x:.{decimals}f}"
        if floor is None or x >= floor or float(text) < floor:
            break
    text = text.rstrip("0")
    return text + "0" if text.endswith(".") else text


def metric(key: str, x: float | None, currency: str, unit: str = "") -> str:
    """One result, formatted by what kind of number it is."""
    if key in MONEY_KEYS:
        return money(x, currency)
    if key == "savings_pct":
        return percent(x)
    if key in ("roi", "irr"):
        return percent(x)
    if key == "break_even_price_change":
        return percent(x, signed=True)
    if key in ("payback_months", "discounted_payback_months"):
        return months(x)
    if key == "break_even_volume":
        return number(x, unit)
    if key == "score":
        return score(x)
    return "—" if x is None else f"{x:g}"


# ----------------------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(cell: Any) -> Any:
    """A cell that a spreadsheet reads as data: text starting like a formula (=, +, -, @)
    gets a leading apostrophe, as OWASP advises; numbers, and text that is one, stay."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        try:
            float(cell)
        except ValueError:
            return "'" + cell
    return cell


def csv_field(cell: Any) -> str:
    """One cell as `CsvWriter` writes it inside a row: through `csv_cell`, then quoted
    where CSV needs it. Text made once and repeated down a column (a name, a scenario)."""
    import io

    out = io.StringIO()
    CsvWriter(out).writerow([cell, ""])  # a second field: a lone "" would read '""'
    return out.getvalue()[: -len(",\n")]


class CsvWriter:
    """csv.writer with "\\n" line ends whose every cell goes through `csv_cell`."""

    def __init__(self, out: Any) -> None:
        import csv

        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


# ----------------------------------------------------------------------------- Markdown

# what Markdown or HTML would read as markup in a name from a file: emphasis, links,
# code, headings, strikethrough, and tags (a name cannot hold a line break: see models)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#~!])")


def markdown_text(text: str) -> str:
    """A name as literal Markdown text: `<img onerror=...>` and `[x](http://...)` show
    as written, never as a tag or a link. Table cells escape `|` in `markdown_row`."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def markdown_code(text: str) -> str:
    """`text` as a code span, whatever backticks it holds."""
    if "`" not in text:
        return f"`{text}`"
    fence = "`" * (max(len(run) for run in re.findall("`+", text)) + 1)
    return f"{fence} {text} {fence}"


def markdown_row(cells: Sequence[str]) -> str:
    """One row of a Markdown table; a `|` inside a cell is text."""
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"
