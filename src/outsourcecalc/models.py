"""The input files as pydantic models: every field, default and bound of SPEC sections 2-3.

Numbers come in as people write them in spreadsheets: a rate as 0.28 or "28%",
money as 42000 or "42,000". Unknown keys are errors, so a typo never drops a cost.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

_MONEY_RE = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
# one way to split the digits only: a nested or ambiguous pattern backtracks for
# minutes on a long string of digits
_NUMBER_RE = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_MAX_TEXT = 100  # longer text is not a number anyone typed


def at(*loc: str | int) -> dict[str, Any]:
    """Error context naming the field inside the model that a model-level error is about.

    validate.py places the error at that field's line instead of the model's.
    """
    return {"at": loc}


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError("number", "expected {what}", {"what": what})
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            raise PydanticCustomError("number", "is too large to be a number", {}) from None
    elif isinstance(value, str):
        text = value.strip().replace(" ", "")
        if len(text) > _MAX_TEXT:
            raise PydanticCustomError("number", "expected {what}", {"what": what})
        if _MONEY_RE.match(text):
            number = float(text.replace(",", ""))
        elif _NUMBER_RE.match(text):
            number = float(text)
        else:
            raise PydanticCustomError("number", "expected {what}", {"what": what})
    else:
        raise PydanticCustomError("number", "expected {what}", {"what": what})
    if not math.isfinite(number):
        # text such as 1e400 overflows to infinity; a float NaN or inf can only come from Python
        message = (
            "is too large to be a number" if isinstance(value, str) else "must be a finite number"
        )
        raise PydanticCustomError("number", message, {})
    return number


def _non_negative(value: Any, what: str) -> float:
    number = _number(value, what)
    if number < 0:
        raise PydanticCustomError("negative", "must not be negative", {})
    return number


def _money(value: Any) -> float:
    return _non_negative(value, 'an amount of money such as 42000 or "42,000"')


def _count(value: Any) -> float:
    return _non_negative(value, "a number")


def _rate_value(value: Any) -> float:
    if isinstance(value, str) and value.strip().endswith("%"):
        return _number(value.strip()[:-1], 'a rate such as 0.28 or "28%"') / 100
    return _number(value, 'a rate such as 0.28 or "28%"')


def _whole(value: Any) -> int:
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError("whole", "expected a whole number", {})
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*", value):
        return int(value)
    raise PydanticCustomError("whole", "expected a whole number", {})


_NUMBER_SCHEMA: dict[str, Any] = {"type": "number", "minimum": 0}
_MONEY_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^\s*\+?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*$"},
    ]
}

Money = Annotated[float, BeforeValidator(_money), WithJsonSchema(_MONEY_SCHEMA)]
Count = Annotated[float, BeforeValidator(_count), WithJsonSchema(_NUMBER_SCHEMA)]


def _bounded(
    parse: Any,
    low: float,
    high: float,
    low_open: bool,
    high_open: bool,
    what: str,
    string_schema: dict[str, Any] | None,
) -> Any:
    """A number within [low, high] (open ends where asked), read by `parse`."""

    def span() -> str:
        lo, hi = f"{low:g}", f"{high:g}"
        words = (
            f"above {lo} and at most {hi}"
            if low_open
            else f"from {lo} to below {hi}"
            if high_open
            else f"from {lo} to {hi}"
        )
        if what != "rate":
            return words
        lo_pct, hi_pct = f"{low * 100:g}%", f"{high * 100:g}%"
        if low_open:
            return f"{words}, that is above {lo_pct} and up to {hi_pct}"
        if high_open:
            return f"{words}, that is {lo_pct} to below {hi_pct}"
        return f"{words}, that is {lo_pct} to {hi_pct}"

    def convert(value: Any) -> float:
        # parse and check in one step, so the message can quote the value as it was written
        number = float(parse(value))
        too_low = number <= low if low_open else number < low
        too_high = number >= high if high_open else number > high
        if too_low or too_high:
            hint = ""
            percent_given = isinstance(value, str) and value.strip().endswith("%")
            if (
                what == "rate"
                and too_high
                and not percent_given
                and number > 1
                and low <= number / 100 <= high
            ):
                hint = f'; did you mean {number / 100:g} or "{number:g}%"?'
            got = value.strip() if isinstance(value, str) else f"{number:g}"
            raise PydanticCustomError(
                "range",
                "must be {span} (got {got}){hint}",
                {"span": span(), "got": got, "hint": hint},
            )
        return number

    number: dict[str, Any] = {"type": "number"}
    if math.isfinite(low):
        number["exclusiveMinimum" if low_open else "minimum"] = low
    if math.isfinite(high):
        number["exclusiveMaximum" if high_open else "maximum"] = high
    schema = {"anyOf": [number, string_schema]} if string_schema else number
    return Annotated[float, BeforeValidator(convert), WithJsonSchema(schema)]


_PERCENT_SCHEMA = {"type": "string", "pattern": r"^\s*[-+]?(\d+\.?\d*|\.\d+)\s*%\s*$"}


def Rate(low: float, high: float, *, low_open: bool = False, high_open: bool = False) -> Any:
    """A rate field within [low, high], given as 0.28 or "28%"."""
    return _bounded(_rate_value, low, high, low_open, high_open, "rate", _PERCENT_SCHEMA)


def Number(low: float, high: float, *, low_open: bool = False, high_open: bool = False) -> Any:
    """A plain number within [low, high] (days, hours, an exchange rate)."""
    return _bounded(_count, low, high, low_open, high_open, "number", None)


def Whole(low: int, high: int | None = None) -> Any:
    """A whole number in [low, high]."""

    def check(value: int) -> int:
        if value < low or (high is not None and value > high):
            span = f"from {low} to {high}" if high is not None else f"{low} or more"
            raise PydanticCustomError(
                "whole_range", "must be a whole number {span}", {"span": span}
            )
        return value

    schema: dict[str, Any] = {"type": "integer", "minimum": low}
    if high is not None:
        schema["maximum"] = high
    return Annotated[int, BeforeValidator(_whole), AfterValidator(check), WithJsonSchema(schema)]


GrowthRate = Rate(-0.5, 1.0)
ShareRate = Rate(0.0, 1.0)
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD")]
Name = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=False)


class Analysis(Strict):
    horizon_months: Whole(1, 600) = 36  # type: ignore[valid-type]
    discount_rate: Rate(0.0, 1.0, high_open=True) = 0.08  # type: ignore[valid-type]
    start_month: Whole(1, 12) = 1  # type: ignore[valid-type]


class Calendar(Strict):
    working_days_per_year: Number(0, 366, low_open=True) = 260  # type: ignore[valid-type]
    hours_per_day: Number(0, 24, low_open=True) = 8  # type: ignore[valid-type]


class Role(Strict):
    """A staff role. Retained roles of a vendor file use the same fields but `avoidable`."""

    role: Name
    headcount: Count
    annual_salary: Money
    benefits_rate: Rate(0.0, 2.0) = 0.0  # type: ignore[valid-type]
    benefits_per_head_annual: Money = 0.0
    time_off_days: Number(0, 366) = 0.0  # type: ignore[valid-type]
    attrition_rate: Rate(0.0, 5.0) = 0.0  # type: ignore[valid-type]
    cost_per_hire: Money = 0.0


class StaffRole(Role):
    avoidable: bool = True


def _twelve(value: Any) -> Any:
    if isinstance(value, list) and len(value) != 12:
        raise PydanticCustomError(
            "twelve",
            "needs 12 numbers, one per calendar month from January to December (got {n})",
            {"n": len(value)},
        )
    return value


class Workload(Strict):
    unit: Name = "unit"
    monthly_volume: Count
    seasonality: Annotated[
        list[Count], BeforeValidator(_twelve), Field(min_length=12, max_length=12)
    ] = Field(default_factory=lambda: [1.0] * 12)
    growth_rate: GrowthRate = 0.0  # type: ignore[valid-type]


class VariableCost(Strict):
    name: Name
    per_unit: Money
    avoidable: bool = True


class Overhead(Strict):
    name: Name
    monthly: Money | None = None
    annual: Money | None = None
    per_head_monthly: Money | None = None
    avoidable: bool = True

    @model_validator(mode="after")
    def _exactly_one_amount(self) -> Overhead:
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
    amount: Money
    month: Whole(0) = 0  # type: ignore[valid-type]
    avoidable: bool = True


class InHouse(Strict):
    kind: Literal["in_house"] = "in_house"
    name: Name
    currency: Currency = "USD"
    analysis: Analysis = Field(default_factory=Analysis)
    calendar: Calendar = Field(default_factory=Calendar)
    salary_growth: GrowthRate = 0.0  # type: ignore[valid-type]
    inflation: GrowthRate = 0.0  # type: ignore[valid-type]
    staff: Annotated[list[StaffRole], Field(min_length=1)]
    workload: Workload | None = None
    variable_costs: list[VariableCost] = Field(default_factory=list)
    overheads: list[Overhead] = Field(default_factory=list)
    one_time: list[OneTime] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> InHouse:
        if self.variable_costs and self.workload is None:
            raise PydanticCustomError(
                "needs_workload",
                "variable costs are per unit of workload: add a workload with its monthly_volume",
                at("variable_costs"),
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
        return sum(role.headcount for role in self.staff)


class Tier(Strict):
    up_to: Count | None = None
    per_unit: Money


class Charge(Strict):
    """One line of a vendor's quote: exactly one pricing form."""

    name: Name
    monthly: Money | None = None
    per_fte_month: Money | None = None
    fte: Count | None = None
    per_hour: Money | None = None
    hours_per_month: Count | None = None
    per_unit: Money | None = None
    tiers: Annotated[list[Tier], Field(min_length=1)] | None = None
    tier_mode: Literal["graduated", "volume"] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Charge:
        forms = [
            k
            for k in ("monthly", "per_fte_month", "per_hour", "per_unit", "tiers")
            if getattr(self, k) is not None
        ]
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
        for key in ("monthly", "per_fte_month", "per_hour", "per_unit", "tiers"):
            if getattr(self, key) is not None:
                return key
        raise AssertionError("validated charge has a form")

    @property
    def uses_volume(self) -> bool:
        return self.per_unit is not None or self.tiers is not None


def _check_tiers(tiers: list[Tier]) -> None:
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
    amount: Money
    currency: Currency | None = None
    month: Whole(0) = 0  # type: ignore[valid-type]


class Transition(Strict):
    parallel_run_months: Whole(0) = 0  # type: ignore[valid-type]
    costs: list[TransitionCost] = Field(default_factory=list)


class Vendor(Strict):
    kind: Literal["vendor"] = "vendor"
    name: Name
    currency: Currency | None = None
    fx_rate: Number(0, math.inf, low_open=True) | None = None  # type: ignore[valid-type]
    scope: Rate(0.0, 1.0, low_open=True) = 1.0  # type: ignore[valid-type]
    annual_escalation: GrowthRate = 0.0  # type: ignore[valid-type]
    minimum_monthly_fee: Money = 0.0
    pricing: Annotated[list[Charge], Field(min_length=1)]
    sla_credit_rate: ShareRate = 0.0  # type: ignore[valid-type]
    governance_rate: ShareRate = 0.0  # type: ignore[valid-type]
    risk_contingency_rate: ShareRate = 0.0  # type: ignore[valid-type]
    retained_staff: list[Role] = Field(default_factory=list)
    transition: Transition = Field(default_factory=Transition)

    @property
    def uses_volume(self) -> bool:
        return any(charge.uses_volume for charge in self.pricing)

    @property
    def cost_factor(self) -> float:
        """What each unit of fees costs once credits, governance and the risk reserve apply."""
        return 1 - self.sla_credit_rate + self.governance_rate + self.risk_contingency_rate
