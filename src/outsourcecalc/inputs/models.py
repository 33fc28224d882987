"""The input files as pydantic models: every field, default and bound of SPEC sections 2-3.

Numbers come in as people write them in spreadsheets: a rate as 0.28 or "28%",
money as 42000 or "42,000". Unknown keys are errors, so a typo never drops a cost.

These models are the one statement of the input format: `outsourcecalc schema`
prints their JSON Schema, and the validators that read the files are compiled
from them (compiled.py, written by `python -m outsourcecalc.inputs.models`). Validation
produces the plain objects of records.py, whose checks and parsers (values.py)
these models name.
"""

from __future__ import annotations

import json
import math
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

from . import records, values

_NUMBER_SCHEMA: dict[str, Any] = {"type": "number", "minimum": 0}
_MONEY_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^\s*\+?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*$"},
    ]
}
_PERCENT_SCHEMA = {"type": "string", "pattern": r"^\s*[-+]?(\d+\.?\d*|\.\d+)\s*%\s*$"}

Money = Annotated[float, BeforeValidator(values.money), WithJsonSchema(_MONEY_SCHEMA)]
Count = Annotated[float, BeforeValidator(values.count), WithJsonSchema(_NUMBER_SCHEMA)]


def _bounded(what: str, low: float, high: float, low_open: bool, high_open: bool) -> Any:
    number: dict[str, Any] = {"type": "number"}
    if math.isfinite(low):
        number["exclusiveMinimum" if low_open else "minimum"] = low
    if math.isfinite(high):
        number["exclusiveMaximum" if high_open else "maximum"] = high
    schema = {"anyOf": [number, _PERCENT_SCHEMA]} if what == "rate" else number
    check = values.Bounded(what, low, high, low_open, high_open)
    return Annotated[float, BeforeValidator(check), WithJsonSchema(schema)]


def Rate(low: float, high: float, *, low_open: bool = False, high_open: bool = False) -> Any:
    """A rate field within [low, high], given as 0.28 or "28%"."""
    return _bounded("rate", low, high, low_open, high_open)


def Number(low: float, high: float, *, low_open: bool = False, high_open: bool = False) -> Any:
    """A plain number within [low, high] (days, hours, an exchange rate)."""
    return _bounded("number", low, high, low_open, high_open)


def Whole(low: int, high: int | None = None) -> Any:
    """A whole number in [low, high]."""
    schema: dict[str, Any] = {"type": "integer", "minimum": low}
    if high is not None:
        schema["maximum"] = high
    return Annotated[
        int,
        BeforeValidator(values.whole),
        AfterValidator(values.WholeIn(low, high)),
        WithJsonSchema(schema),
    ]


GrowthRate = Rate(-0.5, 1.0)
ShareRate = Rate(0.0, 1.0)
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD")]
Name = Annotated[str, Field(min_length=1)]
# A block the file may leave out: its fields' defaults. Validated like a written block,
# so the default is stated once, on the fields.
ALL_DEFAULTS: Any = Field(default={}, validate_default=True)


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


class Workload(Strict):
    unit: Name = "unit"
    monthly_volume: Count
    # values.twelve says what the list is for before the generic length check would
    seasonality: Annotated[
        list[Count],
        Field(min_length=12, max_length=12),
        BeforeValidator(values.twelve),
    ] = Field(default_factory=values.twelve_ones)
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

    _checked = model_validator(mode="after")(records.Overhead.checked)


class OneTime(Strict):
    name: Name
    amount: Money
    month: Whole(0) = 0  # type: ignore[valid-type]
    avoidable: bool = True


class InHouse(Strict):
    kind: Literal["in_house"] = "in_house"
    name: Name
    currency: Currency = "USD"
    analysis: Analysis = ALL_DEFAULTS
    calendar: Calendar = ALL_DEFAULTS
    salary_growth: GrowthRate = 0.0  # type: ignore[valid-type]
    inflation: GrowthRate = 0.0  # type: ignore[valid-type]
    staff: Annotated[list[StaffRole], Field(min_length=1)]
    workload: Workload | None = None
    variable_costs: list[VariableCost] = Field(default_factory=list)
    overheads: list[Overhead] = Field(default_factory=list)
    one_time: list[OneTime] = Field(default_factory=list)

    _checked = model_validator(mode="after")(records.InHouse.checked)


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

    _checked = model_validator(mode="after")(records.Charge.checked)


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
    transition: Transition = ALL_DEFAULTS


# ------------------------------------------------ the validators compiled ahead of time

FILE_MODELS: dict[str, type[BaseModel]] = {"in_house": InHouse, "vendor": Vendor}
_DROP = ("metadata", "ref", "serialization")  # JSON Schema hooks and ids: not for validating


def record_schema(model: type[BaseModel]) -> Any:
    """pydantic-core's schema of `model`, validating into the plain classes of records.py."""

    def convert(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("type") in ("definitions", "definition-ref"):
                raise NotImplementedError("shared definitions: compile them, or inline the model")
            out = {k: convert(v) for k, v in node.items() if k not in _DROP}
            if node.get("type") == "model":
                out["cls"] = getattr(records, node["cls"].__name__)
            return out
        if isinstance(node, list):
            return [convert(v) for v in node]
        return node

    return convert(model.__pydantic_core_schema__)


def compiled_source() -> str:
    """The text of compiled.py: both file schemas as Python, for this pydantic-core."""
    import pydantic_core

    lines = [
        '"""pydantic-core schemas of the input files, compiled from models.py. Do not edit.',
        "",
        "Written by `python -m outsourcecalc.inputs.models`; tests/test_models.py checks it is",
        "current. Validating with these needs no pydantic model machinery, which would cost",
        "a cold `compare` more than all its other work (validate.py falls back to the",
        "models themselves under any other pydantic-core version).",
        '"""',
        "",
        "import math",
        "from typing import Any",
        "",
        "from . import records, values",
        "",
        f"PYDANTIC_CORE_VERSION = {json.dumps(pydantic_core.__version__)}",
    ]
    for kind, model in FILE_MODELS.items():
        lines += ["", f"{kind.upper()}: Any = {_source(record_schema(model), '')}"]
    return "\n".join(lines) + "\n"


def _source(node: Any, indent: str) -> str:
    """`node` as Python source: literals as such, classes and functions by the name
    they have in records.py or values.py (anything else cannot be compiled)."""
    inner = indent + "    "
    if isinstance(node, dict):
        if not node:
            return "{}"
        items = [
            f"{inner}{_source(key, inner)}: {_source(value, inner)}," for key, value in node.items()
        ]
        return "{\n" + "\n".join(items) + f"\n{indent}}}"
    if isinstance(node, list):
        if not node:
            return "[]"
        items = [f"{inner}{_source(value, inner)}," for value in node]
        return "[\n" + "\n".join(items) + f"\n{indent}]"
    if isinstance(node, str):
        return json.dumps(node)  # the quotes ruff format writes, and valid Python
    if node is None or isinstance(node, bool | int):
        return repr(node)
    if isinstance(node, float):
        return values.float_source(node)
    if isinstance(node, values.Bounded | values.WholeIn):
        return repr(node)
    if node is list:
        return "list"
    module = getattr(node, "__module__", "")
    short = {
        "outsourcecalc.inputs.records": "records",
        "outsourcecalc.inputs.values": "values",
    }.get(module)
    if short is not None and "<" not in node.__qualname__:
        return f"{short}.{node.__qualname__}"
    raise ValueError(f"cannot compile {node!r}: name it in records.py or values.py")


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).with_name("compiled.py")
    target.write_text(compiled_source(), encoding="utf-8")
    print(f"wrote {target}")
