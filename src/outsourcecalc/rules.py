"""The small rules every part of the tool shares, each stated once.

- When an amount counts as zero, and so when outsourcing wins (SPEC section 1).
- That a null payback means "never", which ranks as +infinity.
- Which results are money, and the order in which a cost breakdown reads.
- How a number is written as text: in a file, `--set`, `--vary`, `--fail-if` and
  `--uncertain` alike ("42,000", "4.2e4", "28%").

No module restates these: they import them from here.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

# ----------------------------------------------------------------- zero and winning

HALF_CENT = 0.005  # amounts closer to zero than this count as zero (SPEC section 1)


def is_zero(amount: Any) -> Any:
    """Closer to zero than half a cent: a number, or an array of them elementwise."""
    return np.abs(amount) < HALF_CENT


def wins(npv_savings: Any) -> Any:
    """Outsourcing saves money: npv_savings of at least half a cent (elementwise)."""
    return npv_savings >= HALF_CENT


def loses(amount: Any) -> Any:
    """Below zero by at least half a cent (elementwise): a saving that is a cost, cumulative
    savings not yet paid back."""
    return amount <= -HALF_CENT


# the recommendation when no vendor saves money (SPEC section 4); no vendor may be so named
IN_HOUSE = "in-house"

# ----------------------------------------------------------------- never

# results whose null means "never": no payback within the horizon ranks as +infinity
NULL_IS_NEVER = frozenset({"payback_months", "discounted_payback_months"})


def never_as_infinity(values: Any) -> Any:
    """A payback array with null (NaN) as +infinity, so that "never" sorts last."""
    v = np.asarray(values, dtype=float)
    return np.where(np.isnan(v), np.inf, v)


# ----------------------------------------------------------------- money and breakdown

MONEY_KEYS = frozenset({"tco", "npv", "savings", "npv_savings", "investment"})

# the cost breakdown (SPEC section 5), in the order every view lists it
IN_HOUSE_PARTS = ("salaries", "benefits", "hiring", "overheads", "variable", "one_time")
VENDOR_PARTS = (
    "fees",
    "sla_credits",
    "governance",
    "risk_reserve",
    "retained_staff",
    "remaining_in_house",
    "transition",
)
# paid time off is part of benefits: shown right after them, never added to the total
IN_HOUSE_BREAKDOWN = (*IN_HOUSE_PARTS[:2], "paid_time_off", *IN_HOUSE_PARTS[2:])

# ----------------------------------------------------------------- sane maxima

# No real operation comes near these; above them a result could overflow to infinity
# (an amount times a headcount times 50 years of growth stays far below 1e308).
MAX_MONEY = 1e15  # an amount of money, in any currency
MAX_COUNT = 1e9  # heads, units of work, hours, an exchange rate
# a total over the horizon: beyond 2**53 cents a float64 cannot hold every cent
MAX_TOTAL = 2.0**53 / 100

# ----------------------------------------------------------------- numbers as text


def _digits(d: str) -> str:
    """The unsigned number pattern, its mantissa's digits matched by `d`.

    Digits with thousands separators grouped by three ("42,000.50"), or a plain decimal,
    its digits perhaps grouped by underscores, with an optional exponent ("42_000",
    "4.2e4"; where commas separate values, as in `--vary` lists and distributions,
    underscores group). One way to split the digits only: an ambiguous pattern
    backtracks for minutes on a long string of digits.
    """
    return rf"({d}{{1,3}}(,{d}{{3}})+(\.{d}+)?|({d}+(_{d}+)*(\.{d}*)?|\.{d}+)([eE][-+]?[0-9]+)?)"


def number_pattern(signed: bool = True) -> str:
    """The text `parse_number` reads (without surrounding blanks), as a regular expression.

    `signed=False`: only what reads as zero or more, as a JSON Schema pattern for a field
    that must not be negative ("-0" is zero, so it stays).
    """
    # [0-9], not \d: Python's \d takes any script's digits ("٤٢"), a schema's does not
    any_number = _digits("[0-9]")
    if signed:
        return "[-+]?" + any_number
    return rf"(\+?{any_number}|-{_digits('0')})"


NUMBER_PATTERN = number_pattern()
_NUMBER = re.compile(NUMBER_PATTERN)
MAX_TEXT = 100  # longer text is not a number anyone typed


def parse_number(text: str) -> float:
    """A number written as text: "42000", "42,000.50", "4.2e4", "-3" (ValueError if not).

    Surrounding blanks are ignored; "1e400" overflows to infinity, which callers refuse.
    """
    stripped = text.strip()
    if len(stripped) > MAX_TEXT or not _NUMBER.fullmatch(stripped):
        raise ValueError(f"not a number: {text!r}")
    return float(stripped.replace(",", ""))


def as_typed(value: Any) -> str:
    """A value as it would be typed after `PATH=`: 123456789012, 0.8, 1e-300 (a number's
    shortest exact text, without a trailing .0), anything else as its text."""
    if isinstance(value, float | np.floating):
        return repr(float(value)).removesuffix(".0")
    return str(value)


def is_percent(text: Any) -> bool:
    """Text written as a percentage ("28%")."""
    return isinstance(text, str) and text.strip().endswith("%")


def parse_rate(text: str) -> float:
    """A number or a percentage as text: "0.28" and "28%" both give 0.28 (ValueError if not)."""
    if is_percent(text):
        return parse_number(text.strip()[:-1]) / 100
    return parse_number(text)


# ----------------------------------------------------------------- text that is safe to show

# C0 and C1 control characters (escape sequences, line breaks, tabs), the Unicode line
# and paragraph separators, and the bidi marks and overrides that reorder text. JSON
# Schema's regular expressions read these escapes as Python's do, so the schema states
# the same class.
CONTROL_CLASS = r"\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
CONTROL = re.compile(f"[{CONTROL_CLASS}]")


def escape_controls(text: str) -> str:
    """`text` with every control character written as an escape (\\x1b, \\u202e):
    what a message echoes from a command line or a file cannot act on the terminal."""
    return CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
