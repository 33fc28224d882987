"""Validated inputs as the engine reads them: plain objects, one class per model.

models.py declares every field with its default and bound (pydantic); pydantic-core
validates a file into these classes (see compiled.py), so reading inputs never
needs pydantic's model machinery, which would cost a cold `compare` more than all
its other work. The field annotations here say only what the engine may read;
tests/test_models.py checks they name exactly the models' fields.

The checks that need several fields of one item (one pricing form per charge,
tiers in order) are here too, as methods: pydantic runs them after the fields.

In a batch (sweeps, simulations) a numeric field may hold a numpy array of shape
(S, 1), one value per scenario: `replace` puts it there.
"""

from __future__ import annotations

from typing import Any, Literal, Self

from pydantic_core import PydanticCustomError

from .values import at

_PYDANTIC_SLOTS = ("__pydantic_extra__", "__pydantic_fields_set__", "__pydantic_private__")


class Record:
    """Fields as attributes; pydantic-core fills `__dict__` and the three slots."""

    __slots__ = ("__dict__", *_PYDANTIC_SLOTS)

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (this one is left as it is)."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__, **changes)
        for slot in _PYDANTIC_SLOTS:
            object.__setattr__(new, slot, getattr(self, slot, None))
        return new

    def fields(self) -> dict[str, Any]:
        """Field name to value, in the order of the model."""
        return dict(self.__dict__)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({inner})"


class Analysis(Record):
    horizon_months: int
    discount_rate: float
    start_month: int


class Calendar(Record):
    working_days_per_year: float
    hours_per_day: float


class Role(Record):
    role: str
    headcount: float
    annual_salary: float
    benefits_rate: float
    benefits_per_head_annual: float
    time_off_days: float
    attrition_rate: float
    cost_per_hire: float


class StaffRole(Role):
    avoidable: bool


class Workload(Record):
    unit: str
    monthly_volume: float
    seasonality: list[float]
    growth_rate: float


class VariableCost(Record):
    name: str
    per_unit: float
    avoidable: bool


class Overhead(Record):
    name: str
    monthly: float | None
    annual: float | None
    per_head_monthly: float | None
    avoidable: bool

    def checked(self) -> Self:
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


class OneTime(Record):
    name: str
    amount: float
    month: int
    avoidable: bool


class InHouse(Record):
    kind: Literal["in_house"]
    name: str
    currency: str
    analysis: Analysis
    calendar: Calendar
    salary_growth: float
    inflation: float
    staff: list[StaffRole]
    workload: Workload | None
    variable_costs: list[VariableCost]
    overheads: list[Overhead]
    one_time: list[OneTime]

    def checked(self) -> Self:
        """Variable costs need a workload; time off leaves some working time."""
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


class Tier(Record):
    up_to: float | None
    per_unit: float


FORMS = ("monthly", "per_fte_month", "per_hour", "per_unit", "tiers")


class Charge(Record):
    """One line of a vendor's quote: exactly one pricing form."""

    name: str
    monthly: float | None
    per_fte_month: float | None
    fte: float | None
    per_hour: float | None
    hours_per_month: float | None
    per_unit: float | None
    tiers: list[Tier] | None
    tier_mode: Literal["graduated", "volume"] | None

    def checked(self) -> Self:
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


class TransitionCost(Record):
    name: str
    amount: float
    currency: str | None
    month: int


class Transition(Record):
    parallel_run_months: int
    costs: list[TransitionCost]


class Vendor(Record):
    kind: Literal["vendor"]
    name: str
    currency: str | None
    fx_rate: float | None
    scope: float
    annual_escalation: float
    minimum_monthly_fee: float
    pricing: list[Charge]
    sla_credit_rate: float
    governance_rate: float
    risk_contingency_rate: float
    retained_staff: list[Role]
    transition: Transition

    @property
    def uses_volume(self) -> bool:
        return any(charge.uses_volume for charge in self.pricing)

    @property
    def cost_factor(self) -> float:
        """What each unit of fees costs once credits, governance and the risk reserve apply."""
        return 1 - self.sla_credit_rate + self.governance_rate + self.risk_contingency_rate
