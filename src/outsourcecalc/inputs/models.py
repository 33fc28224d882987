"""The input files as pydantic models: every field, default, bound, unit and label of SPEC
sections 2-3, stated once.

Numbers come in as people write them in spreadsheets: a rate as 0.28 or "28%",
money as 42000 or "42,000". Unknown keys are errors, so a typo never drops a cost.

A numeric field carries two markers in its `Annotated` type: how it is read and
bounded (`Money`, `Count`, `Rate(...)`, `Number(...)`, `Whole(...)`) and what it is
called (`Label("annual salary", "money", per="FTE/year")`); a text field shown to
people carries its `Label` too. Validation, the JSON Schema (`outsourcecalc schema`),
the bounds of `--vary` and `--uncertain`, and every label shown for an input (the
workbook's Inputs sheet, the charts) all read them from here (`describe`, `label_of`).

In a batch (sweeps, simulations) a numeric field of a validated model may hold a
numpy array of shape (S, 1), one value per scenario: `replace` puts it there.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass
from types import UnionType
from typing import Annotated, Any, Literal, Self, Union, get_args, get_origin

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from ..rules import MAX_COUNT, MAX_MONEY, MAX_TEXT, is_percent, number_pattern
from . import values
from .values import at

# ------------------------------------------------------------------ markers

# What a field's values are: money (in a currency, see Label.currency), a rate (0.28 is 28%),
# FTE, units of work (the workload's unit: contacts, tickets), a number of months, a month
# (calendar or of the analysis), days, hours, a plain number (a seasonality factor), an
# exchange rate (analysis-currency units per 1 unit of the quote's currency), an ISO 4217
# currency code, other text, or yes/no (flag).
Unit = Literal[
    "money",
    "rate",
    "fte",
    "units",
    "months",
    "month",
    "days",
    "hours",
    "number",
    "fx",
    "currency",
    "text",
    "flag",
]
# Whose currency a money field is in: the analysis currency (the in-house file's), the
# quote's (a vendor's prices) or its own (a transition cost, beside its `currency`).
MoneyIn = Literal["analysis", "quote", "own"]

_JsonSchema = dict[str, Any]
_Handler = Callable[[Any], Any]


def _text(signed: bool, suffix: str = "") -> _JsonSchema:
    """A number written as text, exactly as rules.parse_number reads it (blanks around it,
    at most MAX_TEXT characters of number), perhaps followed by `suffix` ("%")."""
    end = rf"\s*{suffix}\s*$" if suffix else r"\s*$"
    number = number_pattern(signed)
    return {"type": "string", "pattern": rf"^\s*(?=\S{{1,{MAX_TEXT}}}{end}){number}{end}"}


class Bound:
    """How a numeric field is read and which values it takes: [low, high], ends open or not.

    Subclasses are the markers written in a field's `Annotated` type.
    """

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    whole: bool = False

    def _number(self) -> _JsonSchema:
        out: _JsonSchema = {"type": "integer" if self.whole else "number"}
        if math.isfinite(self.low):
            out["exclusiveMinimum" if self.low_open else "minimum"] = self.low
        if math.isfinite(self.high):
            out["exclusiveMaximum" if self.high_open else "maximum"] = self.high
        return out

    def _strings(self) -> list[_JsonSchema]:
        # text cannot state a bound: above 0 or below 1 is left to validation
        signed = self.low < 0
        return [_text(signed)]

    def __get_pydantic_json_schema__(self, schema: Any, handler: _Handler) -> _JsonSchema:
        return {"anyOf": [self._number(), *self._strings()]}

    def contains(self, numbers: Any) -> Any:
        """Which of `numbers` (an array) lie within the bounds."""
        v = np.asarray(numbers, dtype=float)
        ok = (v > self.low) if self.low_open else (v >= self.low)
        ok &= (v < self.high) if self.high_open else (v <= self.high)
        return ok

    def interval(self) -> str:
        """The bounds as an interval: "[0, 5]", "(0, 1e+09]"."""
        lo = "(" if self.low_open else "["
        hi = ")" if self.high_open else "]"
        return f"{lo}{self.low:g}, {self.high:g}{hi}"


@dataclass(frozen=True)
class Amount(Bound):
    """Not negative, at most a sane maximum: money ("42,000") or a count (heads, units)."""

    what: Literal["money", "number"]
    high: float = math.inf  # values.money and values.count hold them to it
    low = 0.0

    def __get_pydantic_core_schema__(self, source: Any, handler: _Handler) -> Any:
        parse = values.money if self.what == "money" else values.count
        return core_schema.no_info_before_validator_function(parse, handler(source))


Money = Annotated[float, Amount("money", MAX_MONEY)]
Count = Annotated[float, Amount("number", MAX_COUNT)]


@dataclass(frozen=True)
class Range(Bound):
    """A rate (0.28 or "28%") or a plain number within [low, high], ends open where asked."""

    what: Literal["rate", "number"]
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: _Handler) -> Any:
        return core_schema.no_info_before_validator_function(self, handler(source))

    def _strings(self) -> list[_JsonSchema]:
        strings = super()._strings()
        if self.what == "rate":
            strings.append(_text(self.low < 0, "%"))
        return strings

    def __call__(self, value: Any) -> float:
        """Read and check in one step, so that the message quotes the value as written."""
        result = float(values.rate(value) if self.what == "rate" else values.count(value))
        too_low = result <= self.low if self.low_open else result < self.low
        too_high = result >= self.high if self.high_open else result > self.high
        if too_low or too_high:
            hint = ""
            if (
                self.what == "rate"
                and too_high
                and not is_percent(value)
                and result > 1
                and self.low <= result / 100 <= self.high
            ):
                hint = f'; did you mean {result / 100:g} or "{result:g}%"?'
            got = value.strip() if isinstance(value, str) else f"{result:g}"
            raise PydanticCustomError(
                "range",
                "must be {span} (got {got}){hint}",
                {"span": self.span(), "got": got, "hint": hint},
            )
        return result

    def span(self) -> str:
        """The bounds in words: "from 0 to 5, that is 0% to 500%"."""
        low, high = self.low, self.high
        lo, hi = f"{low:g}", f"{high:g}"
        if math.isinf(high):  # no upper end: a handle time, a weight
            return f"above {lo}" if self.low_open else f"at least {lo}"
        words = (
            f"above {lo} and at most {hi}"
            if self.low_open
            else f"from {lo} to below {hi}"
            if self.high_open
            else f"from {lo} to {hi}"
        )
        if self.what != "rate":
            return words
        lo_pct, hi_pct = f"{low * 100:g}%", f"{high * 100:g}%"
        if self.low_open:
            return f"{words}, that is above {lo_pct} and up to {hi_pct}"
        if self.high_open:
            return f"{words}, that is {lo_pct} to below {hi_pct}"
        return f"{words}, that is {lo_pct} to {hi_pct}"


def Rate(low: float, high: float, *, low_open: bool = False, high_open: bool = False) -> Range:
    """A rate within [low, high], given as 0.28 or "28%"."""
    return Range("rate", low, high, low_open, high_open)


def Number(low: float, high: float, *, low_open: bool = False, high_open: bool = False) -> Range:
    """A plain number within [low, high] (days, hours, an exchange rate), not negative."""
    return Range("number", low, high, low_open, high_open)


_WHOLE_TEXT: _JsonSchema = {"type": "string", "pattern": values.WHOLE_PATTERN}


@dataclass(frozen=True)
class Whole(Bound):
    """A whole number in [low, high] (no upper end when high is None): 3, 3.0 or "3"."""

    low: float
    high: float = math.inf
    whole = True

    def __get_pydantic_core_schema__(self, source: Any, handler: _Handler) -> Any:
        high = None if math.isinf(self.high) else int(self.high)
        return core_schema.no_info_after_validator_function(
            values.WholeIn(int(self.low), high),
            core_schema.no_info_before_validator_function(values.whole, handler(source)),
        )

    def _strings(self) -> list[_JsonSchema]:
        return [_WHOLE_TEXT]


# how the JSON Schema's descriptions name a unit where its name is not the word
_MEASURES: dict[str, str] = {"fte": "FTE", "currency": "ISO 4217 code", "text": "", "flag": ""}


@dataclass(frozen=True)
class Label:
    """What a field is called where people read it and what its values are.

    `text` is a lower-case phrase ("annual salary"): it reads inside a sentence and after
    a role ("Agent: annual salary"); a heading capitalises it. `unit` says what a value
    is, `per` what one value is per ("FTE/year": a salary per FTE per year; "unit": a
    price per unit of work), `note` what else a reader needs ("share of salary"), and
    `currency` whose currency a money field is in.
    """

    text: str
    unit: Unit
    per: str = ""
    note: str = ""
    currency: MoneyIn = "analysis"

    def __get_pydantic_json_schema__(self, schema: Any, handler: _Handler) -> _JsonSchema:
        out: _JsonSchema = handler(schema)
        measure = _MEASURES.get(self.unit, self.unit)
        measure += f" per {self.per}" if measure and self.per else ""
        detail = ": ".join(part for part in (measure, self.note) if part)
        out.setdefault("description", f"{self.text} ({detail})" if detail else self.text)
        return out


GrowthRate = Annotated[float, Rate(-0.5, 1.0)]
ShareRate = Annotated[float, Rate(0.0, 1.0)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD")]
MAX_NAME = 200  # characters: a name is read in a table header, a chart, a workbook cell
Name = Annotated[
    str,
    Field(min_length=1, max_length=MAX_NAME),
    AfterValidator(values.plain_name),
    WithJsonSchema(
        {"type": "string", "minLength": 1, "maxLength": MAX_NAME, "pattern": values.NAME_PATTERN}
    ),
]
# labels that several models share
NAME = Label("name", "text")
AVOIDABLE = Label("avoidable", "flag", note="stops if outsourced")
MONTH = Label("month", "month", note="0..horizon")  # when a one-time cost is paid
# A block the file may leave out: its fields' defaults. Validated like a written block,
# so the default is stated once, on the fields.
ALL_DEFAULTS: Any = Field(default={}, validate_default=True)


# ------------------------------------------------------------------ the models


class Strict(BaseModel):
    """Every model: unknown keys are errors; built when first used, not on import."""

    model_config = ConfigDict(extra="forbid", validate_default=False, defer_build=True)

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed, unvalidated (a batch puts (S, 1) arrays here);
        this one is left as it is."""
        return self.model_copy(update=changes)

    def fields(self) -> dict[str, Any]:
        """Field name to value, in the order of the model."""
        return {name: getattr(self, name) for name in type(self).model_fields}


class Analysis(Strict):
    horizon_months: Annotated[int, Whole(1, 600), Label("horizon", "months")] = 36
    discount_rate: Annotated[
        float, Rate(0.0, 1.0, high_open=True), Label("discount rate", "rate", per="year")
    ] = 0.08
    start_month: Annotated[
        int,
        Whole(1, 12),
        Label("start month", "month", note="calendar month of month 1, 1 = January"),
    ] = 1


class Calendar(Strict):
    working_days_per_year: Annotated[
        float, Number(0, 366, low_open=True), Label("working days per year", "days", per="year")
    ] = 260
    hours_per_day: Annotated[
        float, Number(0, 24, low_open=True), Label("hours per day", "hours", per="day")
    ] = 8


class Role(Strict):
    """A staff role. Retained roles of a vendor file use the same fields but `avoidable`."""

    role: Name
    headcount: Annotated[Count, Label("headcount", "fte")]
    annual_salary: Annotated[Money, Label("annual salary", "money", per="FTE/year")]
    benefits_rate: Annotated[
        float, Rate(0.0, 2.0), Label("benefits rate", "rate", note="share of salary")
    ] = 0.0
    benefits_per_head_annual: Annotated[
        Money,
        Label("flat benefits", "money", per="FTE/year"),
    ] = 0.0
    time_off_days: Annotated[float, Number(0, 366), Label("time off", "days", per="FTE/year")] = 0.0
    attrition_rate: Annotated[
        float,
        Rate(0.0, 5.0),
        Label("attrition rate", "rate", per="year", note="share of headcount replaced"),
    ] = 0.0
    cost_per_hire: Annotated[Money, Label("cost per hire", "money")] = 0.0


Staffing = Literal["peak", "month"]
# the fields that size a team from the workload, and what a role that leaves them out gets
WORKLOAD_DEFAULTS: dict[str, Any] = {"occupancy": 1.0, "staffing": "peak", "min_headcount": 0.0}


class StaffRole(Role):
    """An in-house role: a fixed `headcount`, or `handle_minutes` and a team that follows
    the workload (SPEC section 2)."""

    headcount: Annotated[Count | None, Label("headcount", "fte")] = None  # type: ignore[assignment]
    handle_minutes: Annotated[
        Annotated[float, Number(0, math.inf, low_open=True)] | None,
        Label("handle minutes", "number"),
    ] = None
    occupancy: Annotated[
        Annotated[float, Rate(0.0, 1.0, low_open=True)] | None, Label("occupancy", "rate")
    ] = None
    staffing: Annotated[Staffing | None, Label("staffing", "text")] = None
    min_headcount: Annotated[Count | None, Label("minimum headcount", "fte")] = None
    avoidable: Annotated[bool, AVOIDABLE] = True

    @model_validator(mode="after")
    def _one_size(self) -> Self:
        """A fixed headcount or handle_minutes, never both; the sizing fields only with the
        latter, which gets their defaults (occupancy 1, staffing peak, min_headcount 0)."""
        if self.headcount is not None and self.handle_minutes is not None:
            raise PydanticCustomError(
                "one_of",
                "give only one of headcount or handle_minutes (this role has both): a fixed "
                "team, or a team that follows the workload",
                at("handle_minutes"),
            )
        if self.headcount is None and self.handle_minutes is None:
            raise PydanticCustomError("missing", "required field is missing", at("headcount"))
        if self.headcount is not None:
            for key in WORKLOAD_DEFAULTS:
                if getattr(self, key) is not None:
                    raise PydanticCustomError(
                        "stray",
                        "only goes with handle_minutes (a team that follows the workload), "
                        "and this role has a fixed headcount",
                        at(key),
                    )
            return self
        for key, default in WORKLOAD_DEFAULTS.items():
            if getattr(self, key) is None:
                setattr(self, key, default)
        return self

    @property
    def follows_workload(self) -> bool:
        return self.handle_minutes is not None


class Workload(Strict):
    unit: Annotated[Name, Label("unit of work", "text")] = "unit"
    monthly_volume: Annotated[Count, Label("monthly volume", "units", per="month")]
    # values.twelve says what the list is for before the generic length check would
    seasonality: Annotated[
        list[Count],
        Field(min_length=12, max_length=12),
        BeforeValidator(values.twelve),
        Label("seasonality", "number", note="× monthly volume"),
    ] = Field(default_factory=values.twelve_ones)
    growth_rate: Annotated[GrowthRate, Label("volume growth rate", "rate", per="year")] = 0.0


class VariableCost(Strict):
    name: Name
    per_unit: Annotated[Money, Label("cost per unit", "money", per="unit")]
    avoidable: Annotated[bool, AVOIDABLE] = True


class Overhead(Strict):
    name: Name
    monthly: Annotated[Money | None, Label("per month", "money", per="month")] = None
    annual: Annotated[Money | None, Label("per year", "money", per="year")] = None
    per_head_monthly: Annotated[
        Money | None, Label("per head per month", "money", per="FTE/month")
    ] = None
    avoidable: Annotated[bool, AVOIDABLE] = True

    @model_validator(mode="after")
    def _one_amount(self) -> Self:
        """Exactly one of the three ways to give the amount."""
        given = [
            k for k in ("monthly", "annual", "per_head_monthly") if getattr(self, k) is not None
        ]
        if not given:
            raise PydanticCustomError(
                "one_of", "give the amount as one of monthly, annual or per_head_monthly", {}
            )
        if len(given) > 1:
            raise PydanticCustomError(
                "one_of",
                "give only one of monthly, annual or per_head_monthly "
                "(this overhead has {got}: counting both would double the cost)",
                {"got": " and ".join(given), **at(given[1])},
            )
        return self


class OneTime(Strict):
    name: Name
    amount: Annotated[Money, Label("amount", "money")]
    month: Annotated[int, Whole(0), MONTH] = 0
    avoidable: Annotated[bool, AVOIDABLE] = True


Score = Annotated[float, Number(0, math.inf), Label("score", "number")]


class Criterion(Strict):
    name: Name
    weight: Annotated[float, Number(0, math.inf, low_open=True), Label("weight", "number")]


class Scorecard(Strict):
    """What is not cost (SPEC section 4): weighted criteria, each option scored 0..scale."""

    scale: Annotated[float, Number(0, math.inf, low_open=True), Label("scale", "number")] = 5.0
    min_score: Annotated[
        Annotated[float, Number(0, math.inf)] | None, Label("minimum score", "number")
    ] = None
    criteria: Annotated[list[Criterion], Field(min_length=1)]
    in_house: dict[str, Score] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        """Criteria named once; min_score and the in-house scores within the scale, one
        score per criterion."""
        seen: set[str] = set()
        for i, criterion in enumerate(self.criteria):
            if criterion.name in seen:
                raise PydanticCustomError(
                    "unique",
                    "another criterion has this name: give each its own (got {name})",
                    {"name": repr(criterion.name), **at("criteria", i, "name")},
                )
            seen.add(criterion.name)
        if self.min_score is not None and self.min_score > self.scale:
            raise PydanticCustomError(
                "range",
                "must be at most the scale ({scale}) (got {got})",
                {"scale": f"{self.scale:g}", "got": f"{self.min_score:g}", **at("min_score")},
            )
        if self.in_house is not None:
            problem = self.score_problem(self.in_house)
            if problem is not None:
                loc, message = problem
                raise PydanticCustomError("scores", message, at("in_house", *loc))
        return self

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.criteria]

    def score_problem(self, scores: dict[str, Any]) -> tuple[tuple[str, ...], str] | None:
        """The first thing wrong with one option's scores, as (place inside them, message):
        a criterion the scorecard does not name, a score above the scale, a missing one."""
        names = self.names
        for key, score in scores.items():
            if key not in names:
                close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
                hint = f'; did you mean "{close[0]}"?' if close else ""
                return (key,), (
                    "the scorecard has no such criterion"
                    f"{hint or '; expected one of: ' + ', '.join(names)}"
                )
            if score > self.scale:
                return (key,), (
                    f"must be from 0 to the scorecard's scale of {self.scale:g} (got {score:g})"
                )
        missing = [name for name in names if name not in scores]
        if missing:
            return (), f"no score for {', '.join(missing)}: score every criterion of the scorecard"
        return None


class InHouse(Strict):
    kind: Literal["in_house"] = "in_house"
    name: Annotated[Name, NAME]
    currency: Annotated[Currency, Label("analysis currency", "currency")] = "USD"
    analysis: Analysis = ALL_DEFAULTS
    calendar: Calendar = ALL_DEFAULTS
    salary_growth: Annotated[
        GrowthRate, Label("salary growth", "rate", per="year", note="salaries, benefits")
    ] = 0.0
    inflation: Annotated[
        GrowthRate,
        Label("inflation", "rate", per="year", note="overheads, variable costs, hiring"),
    ] = 0.0
    staff: Annotated[list[StaffRole], Field(min_length=1)]
    workload: Workload | None = None
    variable_costs: list[VariableCost] = Field(default_factory=list)
    overheads: list[Overhead] = Field(default_factory=list)
    one_time: list[OneTime] = Field(default_factory=list)
    scorecard: Scorecard | None = None

    @model_validator(mode="after")
    def _working_time(self) -> Self:
        """Variable costs and workload-driven roles need a workload; time off leaves some
        working time."""
        if self.variable_costs and self.workload is None:
            raise PydanticCustomError(
                "needs_workload",
                "variable costs are per unit of workload: add a workload with its monthly_volume",
                at("variable_costs"),
            )
        for i, role in enumerate(self.staff):
            if role.handle_minutes is not None and self.workload is None:
                raise PydanticCustomError(
                    "needs_workload",
                    "a team that follows the workload needs one: add a workload with its "
                    "monthly_volume, or give a fixed headcount",
                    at("staff", i, "handle_minutes"),
                )
        days = self.calendar.working_days_per_year
        for i, role in enumerate(self.staff):
            if role.time_off_days >= days:
                raise PydanticCustomError(
                    "time_off",
                    "must be below working_days_per_year ({days}), or no working time is "
                    "left for {role} (got {off})",
                    {
                        "role": role.role,
                        "off": f"{role.time_off_days:g}",
                        "days": f"{days:g}",
                        **at("staff", i, "time_off_days"),
                    },
                )
        return self

    @property
    def total_headcount(self) -> float:
        """The fixed headcounts (a workload-driven role's varies by month: see the engine)."""
        return sum(role.headcount for role in self.staff if role.headcount is not None)


class Tier(Strict):
    up_to: Annotated[Count | None, Label("up to", "units", per="month")] = None
    per_unit: Annotated[Money, Label("price per unit", "money", per="unit", currency="quote")]


# a charge's pricing forms, in the order its messages name them
FORMS = ("monthly", "per_fte_month", "per_hour", "per_unit", "tiers")


class Charge(Strict):
    """One line of a vendor's quote: exactly one pricing form."""

    name: Name
    monthly: Annotated[
        Money | None,
        Label("per month", "money", per="month", currency="quote"),
    ] = None
    per_fte_month: Annotated[
        Money | None, Label("per FTE per month", "money", per="FTE/month", currency="quote")
    ] = None
    fte: Annotated[Count | None, Label("FTE billed", "fte")] = None
    per_hour: Annotated[
        Money | None,
        Label("per hour", "money", per="hour", currency="quote"),
    ] = None
    hours_per_month: Annotated[Count | None, Label("hours billed", "hours", per="month")] = None
    per_unit: Annotated[
        Money | None,
        Label("per unit", "money", per="unit", currency="quote"),
    ] = None
    tiers: Annotated[list[Tier], Field(min_length=1)] | None = None
    tier_mode: Annotated[Literal["graduated", "volume"] | None, Label("tier mode", "text")] = None

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        """One pricing form, the fields that go with it and no others, tiers in order."""
        forms = [k for k in FORMS if getattr(self, k) is not None]
        if not forms:
            raise PydanticCustomError(
                "one_of",
                "give the price as one of monthly, per_fte_month (with fte), per_hour, "
                "per_unit or tiers",
                {},
            )
        if len(forms) > 1:
            raise PydanticCustomError(
                "one_of",
                "give only one of monthly, per_fte_month, per_hour, per_unit or tiers "
                "(this charge has {got}); put each price in a charge of its own",
                {"got": " and ".join(forms), **at(forms[1])},
            )
        form = forms[0]
        if form == "per_fte_month" and self.fte is None:
            raise PydanticCustomError(
                "fte",
                "needs fte next to it: the number of FTE the vendor bills each month",
                at("per_fte_month"),
            )
        for extra, owner in (
            ("fte", "per_fte_month"),
            ("hours_per_month", "per_hour"),
            ("tier_mode", "tiers"),
        ):
            if getattr(self, extra) is not None and form != owner:
                raise PydanticCustomError(
                    "stray",
                    "only goes with {owner}, and this charge is priced {form}",
                    {"owner": owner, "form": form, **at(extra)},
                )
        if self.tiers is not None:
            _check_tiers(self.tiers)
        return self

    @property
    def form(self) -> str:
        for key in FORMS:
            if getattr(self, key) is not None:
                return key
        raise AssertionError("validated charge has a form")

    @property
    def uses_volume(self) -> bool:
        return self.per_unit is not None or self.tiers is not None


def _check_tiers(tiers: list[Tier]) -> None:
    """Only the last tier is open-ended, and each band ends above the one before."""
    previous: float | None = None
    for i, tier in enumerate(tiers):
        last = i == len(tiers) - 1
        if tier.up_to is None and not last:
            raise PydanticCustomError(
                "tiers",
                "needs up_to, where this band ends: only the last tier is open-ended",
                at("tiers", i),
            )
        if tier.up_to is not None and last:
            raise PydanticCustomError(
                "tiers",
                "the last tier must have no up_to: it prices every unit above the band before it",
                at("tiers", i, "up_to"),
            )
        if tier.up_to is not None:
            if previous is not None and tier.up_to <= previous:
                raise PydanticCustomError(
                    "tiers",
                    "must be above the previous tier's up_to ({previous}): up_to is where a "
                    "band ends, counted from zero, not the band's width (got {got})",
                    {
                        "previous": f"{previous:g}",
                        "got": f"{tier.up_to:g}",
                        **at("tiers", i, "up_to"),
                    },
                )
            previous = tier.up_to


class TransitionCost(Strict):
    name: Name
    amount: Annotated[Money, Label("amount", "money", currency="own")]
    currency: Annotated[Currency | None, Label("currency", "currency")] = None
    month: Annotated[int, Whole(0), MONTH] = 0


class Transition(Strict):
    parallel_run_months: Annotated[
        int,
        Whole(0),
        Label("parallel run", "months", note="both operations run in months 1..N"),
    ] = 0
    costs: list[TransitionCost] = Field(default_factory=list)


BENEFIT_FORMS = ("monthly", "annual", "amount")


class Benefit(Strict):
    """Cash the switch frees or brings in (SPEC section 3): it lowers the vendor option's cost."""

    name: Name
    monthly: Annotated[Money | None, Label("per month", "money", per="month", currency="own")] = (
        None
    )
    annual: Annotated[Money | None, Label("per year", "money", per="year", currency="own")] = None
    amount: Annotated[Money | None, Label("amount", "money", currency="own")] = None
    from_month: Annotated[int | None, Whole(1), Label("from month", "month")] = None
    month: Annotated[int | None, Whole(0), Label("month", "month")] = None
    currency: Annotated[Currency | None, Label("currency", "currency")] = None

    @model_validator(mode="after")
    def _one_amount(self) -> Self:
        """Exactly one of monthly, annual and amount; from_month goes with the first two,
        month with amount."""
        given = [k for k in BENEFIT_FORMS if getattr(self, k) is not None]
        if not given:
            raise PydanticCustomError(
                "one_of", "give the benefit as one of monthly, annual or amount", {}
            )
        if len(given) > 1:
            raise PydanticCustomError(
                "one_of",
                "give only one of monthly, annual or amount "
                "(this benefit has {got}: counting both would double it)",
                {"got": " and ".join(given), **at(given[1])},
            )
        form = given[0]
        for extra, owners in (("from_month", ("monthly", "annual")), ("month", ("amount",))):
            if getattr(self, extra) is not None and form not in owners:
                raise PydanticCustomError(
                    "stray",
                    "only goes with {owners}, and this benefit is given as {form}",
                    {"owners": " or ".join(owners), "form": form, **at(extra)},
                )
        return self

    @property
    def form(self) -> str:
        return next(k for k in BENEFIT_FORMS if getattr(self, k) is not None)


class Vendor(Strict):
    kind: Literal["vendor"] = "vendor"
    name: Annotated[Name, NAME]
    currency: Annotated[Currency | None, Label("quote currency", "currency")] = None
    fx_rate: Annotated[
        Annotated[float, Number(0, MAX_COUNT, low_open=True)] | None,
        Label("exchange rate", "fx"),
    ] = None
    scope: Annotated[
        float,
        Rate(0.0, 1.0, low_open=True),
        Label("scope", "rate", note="share of the avoidable operation taken over"),
    ] = 1.0
    annual_escalation: Annotated[
        GrowthRate, Label("annual price escalation", "rate", per="year")
    ] = 0.0
    minimum_monthly_fee: Annotated[
        Money, Label("minimum monthly fee", "money", per="month", currency="quote")
    ] = 0.0
    pricing: Annotated[list[Charge], Field(min_length=1)]
    sla_credit_rate: Annotated[
        ShareRate, Label("SLA credit rate", "rate", note="expected share of fees credited back")
    ] = 0.0
    governance_rate: Annotated[
        ShareRate, Label("governance rate", "rate", note="share of fees spent managing the vendor")
    ] = 0.0
    risk_contingency_rate: Annotated[
        ShareRate, Label("risk contingency rate", "rate", note="share of fees held in reserve")
    ] = 0.0
    retained_staff: list[Role] = Field(default_factory=list)
    benefits: list[Benefit] = Field(default_factory=list)
    scores: dict[str, Score] | None = None
    transition: Transition = ALL_DEFAULTS

    @property
    def uses_volume(self) -> bool:
        return any(charge.uses_volume for charge in self.pricing)

    @property
    def cost_factor(self) -> float:
        """What each unit of fees costs once credits, governance and the risk reserve apply."""
        return 1 - self.sla_credit_rate + self.governance_rate + self.risk_contingency_rate


FileKind = Literal["in_house", "vendor"]
FILE_MODELS: dict[FileKind, type[InHouse] | type[Vendor]] = {"in_house": InHouse, "vendor": Vendor}


# ------------------------------------------------------------------ reading the markers


def leaf_annotation(model: type[BaseModel], loc: tuple[str | int, ...]) -> Any:
    """The type of the field at `loc` inside `model`, with its markers (KeyError if none)."""
    current: Any = model
    for part in loc:
        current = unwrap(current)
        if isinstance(part, int):
            args = get_args(current)
            if get_origin(current) is not list or not args:
                raise KeyError(part)
            current = args[0]
        elif get_origin(current) is dict:
            # a mapping keyed by name (scores): every key holds the same type
            current = get_args(current)[1]
        else:
            if not (isinstance(current, type) and issubclass(current, BaseModel)):
                raise KeyError(part)
            info = current.model_fields[part]
            current = (
                Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            )
    return current


def _peel(annotation: Any) -> tuple[Any, list[Any]]:
    """`annotation` without Annotated and Optional, and the markers met on the way in."""
    found: list[Any] = []
    while True:
        if get_origin(annotation) is Annotated:
            found += annotation.__metadata__
            annotation = get_args(annotation)[0]
            continue
        args = [a for a in get_args(annotation) if a is not type(None)]
        if get_origin(annotation) in (Union, UnionType) and len(args) == 1:
            annotation = args[0]
            continue
        return annotation, found


def unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional to reach a model class, a list type or a scalar type."""
    return _peel(annotation)[0]


def markers(annotation: Any) -> list[Any]:
    """Every `Annotated` marker on `annotation`, through Optional, the outermost first."""
    return _peel(annotation)[1]


def bound_of(annotation: Any) -> Bound | None:
    """How a numeric field is read and bounded, or None when it is not a number."""
    return next((m for m in markers(annotation) if isinstance(m, Bound)), None)


@dataclass(frozen=True)
class FieldDescription:
    """A numeric input as people read it: "annual salary" in money, at least 0."""

    label: str
    unit: Unit
    bound: Bound

    @property
    def low(self) -> float:
        return self.bound.low

    @property
    def high(self) -> float:
        return self.bound.high

    @property
    def low_open(self) -> bool:
        return self.bound.low_open

    @property
    def high_open(self) -> bool:
        return self.bound.high_open

    @property
    def whole(self) -> bool:
        return self.bound.whole


def label_of(kind: FileKind, loc: tuple[str | int, ...]) -> Label:
    """What the field at `loc` in a `kind` file is called, numeric or not.

    An entry of a labelled list (a month of `seasonality`) is called as the list is.
    KeyError when `loc` names no field or an unlabelled one.
    """
    model = FILE_MODELS[kind]
    label: Label | None = None
    for depth in range(1, len(loc) + 1):
        own = [m for m in markers(leaf_annotation(model, loc[:depth])) if isinstance(m, Label)]
        if own:
            label = own[0]
        elif not isinstance(loc[depth - 1], int):
            label = None
    if label is None:
        raise KeyError(f"no label: {loc}")
    return label


def choices(kind: FileKind, loc: tuple[str | int, ...]) -> tuple[str, ...]:
    """The values a text field takes when the model lists them (tier_mode), else ()."""
    annotation = unwrap(leaf_annotation(FILE_MODELS[kind], loc))
    return get_args(annotation) if get_origin(annotation) is Literal else ()


def describe(kind: FileKind, loc: tuple[str | int, ...]) -> FieldDescription:
    """Label, unit and bounds of the numeric field at `loc` in a `kind` file.

    `describe("in_house", ("staff", 0, "annual_salary")).label` is "annual salary".
    KeyError when `loc` names no numeric field.
    """
    label = label_of(kind, loc)
    bound = bound_of(leaf_annotation(FILE_MODELS[kind], loc))
    if bound is None:
        raise KeyError(f"not a numeric field: {loc}")
    return FieldDescription(label.text, label.unit, bound)
