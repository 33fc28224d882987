"""How each input value is read: money as 42000 or "42,000", rates as 0.28 or "28%", bounds.

These are the field validators of the models (models.py), which name them in the
markers of each field. A failure is a PydanticCustomError, which pydantic-core
reports at the field it came from.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from pydantic_core import PydanticCustomError

from ..rules import (
    CONTROL,
    CONTROL_CLASS,
    MAX_COUNT,
    MAX_MONEY,
    parse_number,
    parse_rate,
)

# a whole number as text: what `whole` reads, and the JSON Schema's pattern for it
WHOLE_PATTERN = r"^\s*[0-9]{1,9}\s*$"
_WHOLE_RE = re.compile(WHOLE_PATTERN)

MONEY_WORDS = 'an amount of money such as 42000 or "42,000"'
RATE_WORDS = 'a rate such as 0.28 or "28%"'


def at(*loc: str | int) -> dict[str, Any]:
    """Error context naming the field inside the model that a model-level error is about.

    validate.py places the error at that field's line instead of the model's.
    """
    return {"at": loc}


def number(
    value: Any, what: str = "a number", parse: Callable[[str], float] = parse_number
) -> float:
    """A finite number, from a YAML number or text such as "42,000" or "1e6" (read by
    `parse`: rules.parse_rate also reads "28%")."""
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError("number", "expected {what}", {"what": what})
    if isinstance(value, int | float):
        try:
            result = float(value)
        except OverflowError:
            raise PydanticCustomError("number", "is too large to be a number", {}) from None
    elif isinstance(value, str):
        try:
            result = parse(value)
        except ValueError:
            raise PydanticCustomError("number", "expected {what}", {"what": what}) from None
    else:
        raise PydanticCustomError("number", "expected {what}", {"what": what})
    if not math.isfinite(result):
        # text such as 1e400 overflows to infinity; a float NaN or inf can only come from Python
        message = (
            "is too large to be a number" if isinstance(value, str) else "must be a finite number"
        )
        raise PydanticCustomError("number", message, {})
    return result


def _non_negative(value: Any, what: str, most: float) -> float:
    result = number(value, what)
    if result < 0:
        raise PydanticCustomError("negative", "must not be negative", {})
    if result > most:
        raise PydanticCustomError(
            "too_large",
            "must be at most {most}, far beyond any real operation (got {got})",
            {
                "most": f"{most:,.0f}",
                "got": value.strip() if isinstance(value, str) else f"{result:g}",
            },
        )
    return result


def money(value: Any) -> float:
    """An amount of money, not negative, at most MAX_MONEY."""
    return _non_negative(value, MONEY_WORDS, MAX_MONEY)


def count(value: Any) -> float:
    """A count (heads, units, hours), not negative, not necessarily whole, at most MAX_COUNT."""
    return _non_negative(value, "a number", MAX_COUNT)


def rate(value: Any) -> float:
    """A rate as a fraction: 0.28, or "28%" read as 0.28."""
    return number(value, RATE_WORDS, parse_rate)


def whole(value: Any) -> int:
    """A whole number: 3, 3.0 or "3"."""
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError("whole", "expected a whole number", {})
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _WHOLE_RE.fullmatch(value):
        return int(value)
    raise PydanticCustomError("whole", "expected a whole number", {})


# a name holding a control character can clear a terminal, plant a hidden link or break
# a Markdown table: names are plain text or an error
# nor only spaces, nor spaces at either end, which no table shows ("Cultural fit " would
# look like the criterion "Cultural fit" and not match it)
# zero-width characters are blank too ("\u200b" alone showed as an empty name), though
# allowed inside a name, where scripts that join letters need them
INVISIBLE = "\u200b-\u200d\u2060\ufeff"
_EDGE = f"[^\\s{CONTROL_CLASS}{INVISIBLE}]"
NAME_PATTERN = f"^{_EDGE}(?:[^{CONTROL_CLASS}]*{_EDGE})?$"
_PADDING = re.compile(f"^[\\s{INVISIBLE}]+|[\\s{INVISIBLE}]+$")


def plain_name(value: str) -> str:
    """A name as text only: no control characters, no bidi overrides."""
    found = CONTROL.search(value)
    if found is not None:
        raise PydanticCustomError(
            "control_character",
            "must be plain text: it holds the control character {code} at position "
            "{position} (an escape sequence, a line break, a tab or a text-direction mark); "
            "remove it",
            {"code": f"U+{ord(found.group()):04X}", "position": found.start() + 1},
        )
    shown = _PADDING.sub("", value)
    if not shown:
        raise PydanticCustomError(
            "blank_name", "must hold a visible character, not only spaces or zero-width ones"
        )
    if value != shown:
        raise PydanticCustomError(
            "padded_name",
            "starts or ends with a space (or a zero-width one), which no table shows; "
            "write {shown}",
            {"shown": json.dumps(shown, ensure_ascii=False)},
        )
    return value


def twelve(value: Any) -> Any:
    """A seasonality list has one factor per calendar month."""
    if isinstance(value, list) and len(value) != 12:
        raise PydanticCustomError(
            "twelve",
            "needs 12 numbers, one per calendar month from January to December (got {n})",
            {"n": len(value)},
        )
    return value


def twelve_ones() -> list[float]:
    """The default seasonality: every month alike."""
    return [1.0] * 12


class WholeIn:
    """A whole number in [low, high] (no upper end when high is None)."""

    def __init__(self, low: int, high: int | None = None) -> None:
        self.low, self.high = low, high

    def __call__(self, value: int) -> int:
        if value < self.low or (self.high is not None and value > self.high):
            span = (
                f"from {self.low} to {self.high}"
                if self.high is not None
                else f"{self.low} or more"
            )
            raise PydanticCustomError(
                "whole_range", "must be a whole number {span}", {"span": span}
            )
        return value
