"""One scenario's results as plain Python values: what every renderer formats.

Nothing is computed here: the engine computed it; this module picks scenario i
out of a batch, turns NaN into None (the contract's null) and rounds money to
cents for output. `Comparison.to_json_dict()` is SPEC section 5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..inputs.overrides import Override, describe
from ..rules import MONEY_KEYS
from .model import ELIGIBLE_SLACK, GATE_KEYS, Evaluation, Timeline, evaluate_batch

SCHEMA_VERSION = 2
READABLE_SCHEMA_VERSIONS = (1, 2)  # what --baseline reads: v1 results have no score


def value(x: Any) -> float | None:
    """A float, or None for the contract's null (NaN in the engine)."""
    number = float(x)
    return None if math.isnan(number) else number


def cents(x: float | None) -> float | None:
    """Money for output: rounded to the cent, and never -0.0."""
    return None if x is None else round(x, 2) + 0.0


def fine(x: float | None) -> float | None:
    """A rate or a month count for output: enough digits, no float noise."""
    return None if x is None else round(x, 10) + 0.0


def decimals(key: str) -> int:
    """The decimals a result is printed to: money to the cent, a volume to 4, the rest
    (rates, months, a score) to 10."""
    if key in MONEY_KEYS:
        return 2
    return 4 if key == "break_even_volume" else 10


def rounded(key: str, x: float | None) -> float | None:
    return None if x is None else round(x, decimals(key)) + 0.0


@dataclass
class TeamYear:
    """One contract year of a role whose headcount follows the workload, in FTE."""

    role: str
    year: int  # 1 for months 1..12
    need_average: float  # the mean of N(m) over the year's months inside the horizon
    need_peak: float  # its largest month
    staffed_average: float  # the mean of hc(m): what is paid for


@dataclass
class InHouseSummary:
    name: str
    tco: float
    npv: float
    monthly: list[float] = field(default_factory=list)
    breakdown: dict[str, float] = field(default_factory=dict)
    cost_per_productive_hour: float | None = None
    score: float | None = None
    # hc(m) of each role, month 0..H, in file order; hiring on rises over the horizon
    headcounts: list[list[float]] = field(default_factory=list)
    flexing: float | None = None
    roles: list[str] = field(default_factory=list)  # the role names, in file order
    # N(m) of each role, month 0..H; None for a role with a fixed headcount
    needs: list[list[float] | None] = field(default_factory=list)

    @property
    def follows_workload(self) -> bool:
        """Whether some role's headcount follows the workload (known with the breakdown)."""
        return any(need is not None for need in self.needs)

    def team_years(self) -> list[TeamYear]:
        """Need and staffing per year of every workload-driven role, role by role."""
        rows: list[TeamYear] = []
        if not self.needs:  # evaluated without the breakdown
            return rows
        for role, need, hc in zip(self.roles, self.needs, self.headcounts, strict=True):
            if need is None:
                continue
            for start in range(1, len(need), 12):
                n, h = need[start : start + 12], hc[start : start + 12]
                rows.append(
                    TeamYear(role, start // 12 + 1, sum(n) / len(n), max(n), sum(h) / len(h))
                )
        return rows


@dataclass
class ScorecardSummary:
    """The scorecard as the run used it: what the views lay out beside each option's score."""

    scale: float
    min_score: float | None
    criteria: list[tuple[str, float]]  # (name, weight), in file order
    in_house: dict[str, float] | None  # criterion -> score; None without in-house scores
    vendors: list[dict[str, float]]  # one per vendor, in the order given

    def below_minimum(self, x: float | None) -> bool:
        """Whether a vendor with this score may not be recommended (SPEC section 4)."""
        return x is not None and self.min_score is not None and x < self.min_score - ELIGIBLE_SLACK

    @classmethod
    def of(cls, case: Any, i: int = 0) -> ScorecardSummary | None:
        card = case.in_house.scorecard
        if card is None:
            return None

        def scores(given: dict[str, Any]) -> dict[str, float]:
            return {c.name: _scenario(given[c.name], i) for c in card.criteria}

        return cls(
            scale=_scenario(card.scale, i),
            min_score=None if card.min_score is None else _scenario(card.min_score, i),
            criteria=[(c.name, _scenario(c.weight, i)) for c in card.criteria],
            in_house=None if card.in_house is None else scores(card.in_house),
            vendors=[scores(v.scores or {}) for v in case.vendors],
        )


def _scenario(x: Any, i: int) -> float:
    """Scenario i of an input that is one number or one per scenario (a sweep's grid)."""
    values = np.asarray(x, dtype=float).reshape(-1)
    return float(values[i if values.size > 1 else 0])


@dataclass
class VendorSummary:
    name: str
    metrics: dict[str, float | None]  # every key of GATE_KEYS (the results and the score)
    monthly: list[float] = field(default_factory=list)
    breakdown: dict[str, float] = field(default_factory=dict)
    monthly_savings: list[float] = field(default_factory=list)  # s(m), months 0..H
    cumulative_savings: list[float] = field(default_factory=list)  # C(k), months 0..H

    def __getitem__(self, key: str) -> float | None:
        return self.metrics[key]

    @property
    def payback_month(self) -> int | None:
        """The month in which the cumulative savings turn non-negative for good, read off
        `payback_months` (7.3 -> 8; 0 -> 0; None when they are below 0 at the horizon).

        A payback that lands on a month's end is that month: `payback_months` is rounded
        to a millionth of a month first, so float noise never pushes it to the next one."""
        months = self.metrics["payback_months"]
        return None if months is None else math.ceil(round(months, 6))


@dataclass
class Comparison:
    """What `outsourcecalc.compare` returns: every result of the contract for one scenario."""

    currency: str
    horizon_months: int
    discount_rate: float
    in_house: InHouseSummary
    vendors: list[VendorSummary]
    recommendation: str
    notes: list[str] = field(default_factory=list)
    unit: str = ""  # what the workload counts (contacts, tickets): labels break_even_volume
    volume_today: float | None = None  # monthly_volume, beside which break_even_volume reads
    # every --set of the run (and --horizon, --discount-rate, --start-month): path -> value
    overrides: dict[str, Any] = field(default_factory=dict)
    scorecard: ScorecardSummary | None = None  # the criteria, weights and scores, when given
    # the same overrides described for the views (render/words.py scenario_line)
    scenario: tuple[Override, ...] = ()
    # c(m) of months 0..H (0 = January) when the run states its start month (the file's
    # analysis.start_month, --start-month or --set); None when left to the default
    calendar: list[int] | None = None

    @classmethod
    def from_evaluation(cls, ev: Evaluation, i: int = 0) -> Comparison:
        ih = ev.in_house
        in_house = InHouseSummary(
            name=ih.name,
            tco=float(ih.tco[i]),
            npv=float(ih.npv[i]),
            monthly=[float(x) for x in ih.monthly[i]] if ih.monthly is not None else [],
            breakdown={k: float(v[i]) for k, v in (ih.breakdown or {}).items()},
            cost_per_productive_hour=(
                value(ih.cost_per_productive_hour[i])
                if ih.cost_per_productive_hour is not None
                else None
            ),
            score=value(ih.score[i]),
            headcounts=[[float(x) for x in hc[i]] for hc in ih.headcounts or []],
            flexing=None if ih.flexing is None else float(ih.flexing[i]),
            roles=[r.role for r in ev.case.in_house.staff],
            needs=[None if n is None else [float(x) for x in n[i]] for n in ih.needs or []],
        )
        vendors = [
            VendorSummary(
                name=v.name,
                metrics={k: value(getattr(v, k)[i]) for k in GATE_KEYS},
                monthly=[float(x) for x in v.monthly[i]] if v.monthly is not None else [],
                breakdown={k: float(x[i]) for k, x in (v.breakdown or {}).items()},
                monthly_savings=_row(v.monthly_savings, i),
                cumulative_savings=_row(v.cumulative_savings, i),
            )
            for v in ev.vendors
        ]
        case = ev.case
        return cls(
            currency=case.currency,
            horizon_months=case.horizon_months,
            discount_rate=float(np.asarray(case.discount_rate).reshape(-1)[i]),
            in_house=in_house,
            vendors=vendors,
            recommendation=ev.recommendation(i),
            notes=list(case.notes),
            unit=case.in_house.workload.unit if case.in_house.workload else "",
            volume_today=(
                float(case.in_house.workload.monthly_volume) if case.in_house.workload else None
            ),
            overrides=dict(case.overrides),
            scorecard=ScorecardSummary.of(case, i),
            scenario=describe(case),
            calendar=_calendar(case, i),
        )

    def to_json_dict(self) -> dict[str, Any]:
        """The same as `to_dict` (the name callers used first)."""
        return self.to_dict()

    def to_dict(self) -> dict[str, Any]:
        """SPEC section 5, what `compare --format json` prints: money in cents, rates as
        fractions, null where undefined."""
        ih = self.in_house
        return {
            "schema_version": SCHEMA_VERSION,
            "currency": self.currency,
            "horizon_months": self.horizon_months,
            "discount_rate": fine(self.discount_rate),
            "overrides": dict(self.overrides),
            "notes": list(self.notes),
            "in_house": {
                "name": ih.name,
                "tco": cents(ih.tco),
                "npv": cents(ih.npv),
                "score": fine(ih.score),
                "monthly": [cents(x) for x in ih.monthly],
                "breakdown": {k: cents(x) for k, x in ih.breakdown.items()},
            },
            "vendors": [
                {
                    "name": v.name,
                    **{k: rounded(k, v.metrics[k]) for k in GATE_KEYS},
                    "monthly": [cents(x) for x in v.monthly],
                    "breakdown": {k: cents(x) for k, x in v.breakdown.items()},
                }
                for v in self.vendors
            ],
            "recommendation": self.recommendation,
        }


def _row(x: Any, i: int) -> list[float]:
    """Scenario i's row of an (S, M) stream as floats; [] when it was not computed."""
    return [] if x is None else [float(v) for v in x[i]]


def _calendar(case: Any, i: int) -> list[int] | None:
    """c(m) of months 0..H (the engine's timeline), when the start month was given."""
    if "start_month" not in case.in_house.analysis.model_fields_set:
        return None
    timeline = Timeline.build(case.horizon_months, 0.0, _scenario(case.start_month, i))
    return [int(c) for c in np.reshape(timeline.calendar, -1)]


def exchange_rate_notes(case: Any) -> list[str]:
    """A quote converted to over 20 times the whole in-house cost is almost always an
    exchange rate written the wrong way round (83.5 INR per USD instead of 0.012).

    Asked once of a validated case (inputs/validate.build_case puts these notes in
    `case.notes`), so every command that loads the case says it, not only `compare`.
    A case too large for any operation gives no note here: evaluating it says why."""
    if all(vendor.fx_rate is None for vendor in case.vendors):
        return []
    ev = evaluate_batch(case, frozenset({"breakdown"}), hypothetical=True)
    in_house_tco = float(ev.in_house.tco[0])
    notes = []
    for vendor, result in zip(case.vendors, ev.vendors, strict=True):
        fees = float(result.breakdown["fees"][0]) if result.breakdown else 0.0
        if vendor.fx_rate is not None and in_house_tco > 0 and fees > 20 * in_house_tco:
            notes.append(
                f"{vendor.name}: the fees come to over 20 times the whole in-house cost; "
                f"check fx_rate ({vendor.fx_rate:g}): it is {case.currency} per 1 "
                f"{vendor.currency}, not the other way round"
            )
    return notes
