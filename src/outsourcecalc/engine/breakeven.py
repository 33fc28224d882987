"""Break-even volume (SPEC section 4): where outsourcing starts or stops paying as volume moves.

npv_savings is piecewise linear in the monthly volume: it bends or jumps only where
some month's units reach a tier edge, or where the raw fees reach the minimum fee.
Those points are known in advance (`volume_kinks`), so the first-crossing search of
`roots.py` over a grid that holds them solves a straight line: the answer is exact.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..inputs.case import Case
from ..inputs.models import Vendor
from .model import Timeline, in_house_streams, raw_fees, vendor_streams, volume
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
    if w is None or float(w.monthly_volume) == 0:
        return float("nan")
    top = VOLUME_RANGE * float(w.monthly_volume)

    def values(rows: NDArray[np.int64], volumes: Array) -> Array:
        return npv_savings_at_volumes(case, vendor_index, volumes.ravel()).reshape(volumes.shape)

    kinks = volume_kinks(case, vendor_index, top)
    return float(first_crossing(values, np.zeros(1), np.array([top]), [kinks])[0])


def volume_kinks(case: Case, vendor_index: int, top: float) -> Array:
    """Monthly volumes in [0, top] at which npv_savings may bend or jump for this vendor.

    A month's units are monthly_volume x shape(m) x scope. Fees bend where the
    units reach a tier edge (a volume-mode tier jumps just past it) and where the
    raw fees reach the minimum fee; the same units in every month, so each such
    point gives one volume per month.
    """
    w = case.in_house.workload
    if w is None or float(w.monthly_volume) == 0:
        return np.empty(0)
    today = float(w.monthly_volume)
    vendor = case.vendors[vendor_index]
    timeline = Timeline.build(case.horizon_months, case.discount_rate, case.start_month)
    scope = float(vendor.scope)
    shape = np.asarray(volume(case.in_house, timeline), float).reshape(-1)[1:] / today * scope
    shape = shape[shape > 0]
    if not len(shape):
        return np.empty(0)
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
    minimum = float(vendor.minimum_monthly_fee)
    if minimum > 0 and vendor.uses_volume:
        units += _minimum_fee_units(case, vendor, float(shape.max()) * top, units)
    if not units:
        return np.empty(0)
    points = (np.array(units)[:, None] / shape[None, :]).ravel()
    inside: Array = points[(points >= 0) & (points <= top)]
    return inside


def _minimum_fee_units(
    case: Case, vendor: Vendor, most_units: float, edges: list[float]
) -> list[float]:
    """Every number of monthly units at which the raw fees cross the minimum fee.

    Raw fees need not rise with the units: past a volume-mode tier edge every unit
    pays the lower rate, so the minimum fee can bind, stop binding and bind again.
    Between tier edges the raw fees are a straight line, so each crossing is exact.
    """
    t = Timeline.build(1, 0.0, 1)  # one month is enough: raw fees per unit do not grow
    hours = in_house_streams(case.in_house, t).productive_hours
    units = sorted_unique(np.concatenate([np.linspace(0, most_units, 1025), edges]))
    per_volume = units / float(vendor.scope)
    raw = np.asarray(raw_fees(vendor, per_volume.reshape(-1, 1), hours, t), float)[:, 1]
    gap = raw - float(vendor.minimum_monthly_fee)
    out = []
    for i in np.flatnonzero(np.sign(gap[:-1]) != np.sign(gap[1:])):
        u0, u1, g0, g1 = units[i], units[i + 1], gap[i], gap[i + 1]
        out.append(float(u0 - g0 * (u1 - u0) / (g1 - g0)) if g1 != g0 else float(u1))
    return out
