"""Break-even volume (SPEC section 4): where outsourcing starts or stops paying as volume moves.

npv_savings is piecewise linear in the monthly volume: it bends or jumps only where
some month's units reach a tier edge, where a workload-driven headcount reaches its
min_headcount, or where the raw fees reach the minimum fee.
Those points are known in advance (`volume_kinks`), so the first-crossing search of
`roots.py` over a grid that holds them solves a straight line: the answer is exact.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..inputs.case import Case
from ..inputs.models import InHouse, Vendor
from ..rules import is_zero
from .model import (
    Timeline,
    in_house_streams,
    productive_hours_per_head,
    raw_fees,
    vendor_streams,
    volume,
    yearly_peak,
)
from .roots import first_crossing, sorted_unique

Array = NDArray[np.float64]

VOLUME_RANGE = 100.0  # break-even volumes are looked for between 0 and 100 times today's


def npv_savings_at_volumes(case: Case, vendor_index: int, volumes: Array) -> Array:
    """npv_savings of one vendor with monthly_volume set to each of `volumes`."""
    ih = case.in_house
    assert ih.workload is not None
    workload = ih.workload.replace(monthly_volume=volumes.reshape(-1, 1))
    scaled = ih.replace(workload=workload)
    batch = Case(scaled, case.vendors, size=len(volumes))
    t = Timeline.build(batch.horizon_months, batch.discount_rate, batch.start_month)
    base = in_house_streams(scaled, t)
    vendor = case.vendors[vendor_index]
    vs = vendor_streams(vendor, scaled, base, t, batch)
    shape = (len(volumes), t.horizon + 1)
    result: Array = t.discounted(np.broadcast_to(base.total, shape)) - t.discounted(
        np.broadcast_to(vs.total, shape)
    )
    return result


def break_even_volume(case: Case, vendor_index: int) -> float:
    """Smallest monthly_volume in [0, 100x today's] where npv_savings is 0 or changes sign
    (NaN when there is none, or no workload)."""
    w = case.in_house.workload
    if w is None or is_zero(float(w.monthly_volume)):
        return float("nan")
    top = VOLUME_RANGE * float(w.monthly_volume)

    def values(rows: NDArray[np.int64], volumes: Array) -> Array:
        return npv_savings_at_volumes(case, vendor_index, volumes.ravel()).reshape(volumes.shape)

    kinks = volume_kinks(case, vendor_index, top)
    return float(first_crossing(values, np.zeros(1), np.array([top]), [kinks])[0])


def volume_kinks(case: Case, vendor_index: int, top: float) -> Array:
    """Monthly volumes in [0, top] at which npv_savings may bend or jump for this vendor.

    A month's units are monthly_volume x shape(m) x scope. Fees bend where the units
    reach a tier edge (a volume-mode tier jumps just past it); a workload-driven
    headcount bends where its need reaches min_headcount (in a month, or in a year's
    busiest month when staffed for the peak); the billed fees bend where the raw fees
    cross the minimum fee. Between these points every month's costs are straight lines
    in the volume.
    """
    w = case.in_house.workload
    if w is None or is_zero(float(w.monthly_volume)):
        return np.empty(0)
    today = float(w.monthly_volume)
    vendor = case.vendors[vendor_index]
    timeline = Timeline.build(case.horizon_months, case.discount_rate, case.start_month)
    shape = np.asarray(volume(case.in_house, timeline), float).reshape(-1)[1:] / today
    if not (shape > 0).any():
        return np.empty(0)
    units_shape = shape[shape > 0] * float(vendor.scope)
    units: list[float] = []
    for charge in vendor.pricing:
        for tier in charge.tiers or []:
            if tier.up_to is not None:
                edge = float(tier.up_to)
                units.append(edge)
                if charge.tier_mode == "volume":
                    # every unit changes rate past the edge: npv_savings jumps there. The
                    # edge's own volume may round to units just past it, so the grid holds
                    # a point on each side too, lest it miss a crossing just below the edge
                    units += [edge * (1 - 1e-12), edge * (1 + 1e-12) + 1e-9]
    points = [(np.array(units)[:, None] / units_shape[None, :]).ravel()]
    points.append(_headcount_kinks(case.in_house, timeline, shape))
    kinks = np.concatenate(points)
    kinks = sorted_unique(kinks[(kinks >= 0) & (kinks <= top)])
    if float(vendor.minimum_monthly_fee) > 0 and _fees_follow_volume(case, vendor):
        crossings = _minimum_fee_volumes(case, vendor, timeline, kinks, top)
        kinks = sorted_unique(np.concatenate([kinks, crossings]))
    return kinks


def _headcount_kinks(ih: InHouse, t: Timeline, shape: Array) -> Array:
    """Volumes at which a workload-driven role's need reaches its min_headcount: in each
    month (staffing month) or in each year's busiest month (staffing peak)."""
    out: list[Array] = []
    for role in ih.staff:
        if role.handle_minutes is None or role.occupancy is None or role.min_headcount is None:
            continue
        if float(role.min_headcount) <= 0:
            continue
        p = productive_hours_per_head(ih, role)
        per_volume = np.zeros(t.horizon + 1)
        per_volume[1:] = shape * float(role.handle_minutes) / 60 / float(role.occupancy * p)
        if role.staffing == "peak":
            per_volume = yearly_peak(per_volume)
        need = per_volume[1:][per_volume[1:] > 0]
        out.append(float(role.min_headcount) / need)
    return np.concatenate(out) if out else np.empty(0)


def _fees_follow_volume(case: Case, vendor: Vendor) -> bool:
    """Do the raw fees change with the volume: per-unit or tiered charges, or hours that
    default to the in-house productive hours of a workload-driven team?"""
    if vendor.uses_volume:
        return True
    by_hours = any(c.per_hour is not None and c.hours_per_month is None for c in vendor.pricing)
    return by_hours and any(r.handle_minutes is not None for r in case.in_house.staff)


def _minimum_fee_volumes(
    case: Case, vendor: Vendor, t: Timeline, kinks: Array, top: float
) -> Array:
    """Every volume at which some month's raw fees cross the minimum fee.

    Between two neighbouring points of `kinks` (and 0 and `top`) every month's raw fees
    are a straight line in the volume (they need not rise: past a volume-mode tier edge
    every unit pays the lower rate), so two points inside each piece give the line and
    its crossing exactly.
    """
    bounds = sorted_unique(np.concatenate([[0.0, top], kinks]))
    lo, hi = bounds[:-1], bounds[1:]
    keep = hi > lo
    lo, hi = lo[keep], hi[keep]
    if not len(lo):
        return np.empty(0)
    a, b = lo + (hi - lo) / 3, lo + 2 * (hi - lo) / 3
    raw = _raw_fees_at_volumes(case, vendor, t, np.concatenate([a, b]))[:, 1:]
    ra, rb = raw[: len(a)], raw[len(a) :]
    gap = float(vendor.minimum_monthly_fee) - ra
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (rb - ra) / (b - a)[:, None]
        crossing = a[:, None] + gap / slope
    inside = np.isfinite(crossing) & (crossing >= lo[:, None]) & (crossing <= hi[:, None])
    found: Array = crossing[inside]
    return found


def _raw_fees_at_volumes(case: Case, vendor: Vendor, t: Timeline, volumes: Array) -> Array:
    """R(m) for each of `volumes` as the monthly_volume: (len(volumes), H + 1)."""
    ih = case.in_house
    assert ih.workload is not None
    scaled = ih.replace(workload=ih.workload.replace(monthly_volume=volumes.reshape(-1, 1)))
    base = in_house_streams(scaled, t)
    raw = raw_fees(vendor, base.volume, base.productive_hours, t)
    return np.asarray(np.broadcast_to(raw, (len(volumes), t.horizon + 1)), dtype=float)
