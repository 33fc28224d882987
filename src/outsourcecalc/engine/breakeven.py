"""Break-even volume (SPEC section 4): where outsourcing starts or stops paying as volume moves.

npv_savings is piecewise linear in the monthly volume: it bends or jumps only where
some month's units reach a tier edge, where a workload-driven headcount reaches its
min_headcount, or where the raw fees reach the minimum fee.
Those points are known in advance (`volume_kinks`), for every scenario of a batch at
once, so the first-crossing search of `roots.py` need only look at them: npv_savings
is evaluated at each scenario's kinks from 0 up to its first crossing, in a few
batches, and the straight line through the first pair that brackets zero gives the
answer exactly. npv_savings at today's volume, already evaluated, is a point of the
last line: the value at 100x today's volume is read off it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..inputs.case import Case
from ..inputs.models import InHouse, StaffRole, Vendor
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
from .roots import first_crossing, sorted_unique_rows

Array = NDArray[np.float64]
Rows = NDArray[np.int64]

VOLUME_RANGE = 100.0  # break-even volumes are looked for between 0 and 100 times today's
CELLS_PER_PIECE = 240_000  # scenario-volumes x months evaluated at once: bounded memory


def break_even_volumes(case: Case, vendor_index: int, savings_today: Array) -> Array:
    """Per scenario: the smallest monthly_volume in [0, 100x today's] where npv_savings is
    0 or changes sign (NaN when there is none, without a workload, or at a zero volume).

    `savings_today` is each scenario's monthly savings at today's volume, as evaluated
    already ((S, H + 1)): its NPV is a point of the line between the last kink and 100x
    today's volume, which saves evaluating the model at the top (with no kinks, one
    evaluation per scenario: at 0).
    """
    out = np.full(case.size, np.nan)
    w = case.in_house.workload
    if w is None:
        return out
    today = per_scenario(w.monthly_volume, case.size)
    rows = np.flatnonzero(~is_zero(today))
    if not len(rows):
        return out
    some = case if len(rows) == case.size else case.rows(rows)
    top = VOLUME_RANGE * today[rows]

    def values(at: Rows, volumes: Array) -> Array:
        return npv_savings_at_volumes(some, vendor_index, at, volumes)

    kinks = volume_kinks(some, vendor_index, top)
    t = Timeline.build(case.horizon_months, case.discount_rate, case.start_month)
    known = (today[rows], per_scenario(t.discounted(savings_today), case.size)[rows])
    # straight lines between the kinks: the kinks alone, and one line solved, are exact
    out[rows] = first_crossing(
        values, np.zeros(len(rows)), top, kinks, points=2, refinements=0, known=known
    )
    return out


def per_scenario(value: Any, size: int) -> Array:
    """A field's value for each scenario: (size,), whether it varies or not."""
    return np.broadcast_to(np.asarray(value, dtype=float).reshape(-1), (size,)).copy()


def npv_savings_at_volumes(case: Case, vendor_index: int, rows: Rows, volumes: Array) -> Array:
    """npv_savings of one vendor, scenario rows[i] with monthly_volume set to each of
    volumes[i]: (len(rows), k), evaluated a bounded piece at a time."""
    n, k = volumes.shape
    out = np.empty((n, k))
    step = max(1, CELLS_PER_PIECE // (k * (case.horizon_months + 1)))
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        batch = _at_volumes(case, np.repeat(rows[lo:hi], k), volumes[lo:hi].reshape(-1))
        t = Timeline.build(batch.horizon_months, batch.discount_rate, batch.start_month)
        base = in_house_streams(batch.in_house, t)
        vendor = batch.vendors[vendor_index]
        vs = vendor_streams(vendor, batch.in_house, base, t, batch)
        shape = (batch.size, t.horizon + 1)
        savings = np.broadcast_to(base.total, shape) - np.broadcast_to(vs.total, shape)
        out[lo:hi] = np.reshape(t.discounted(savings), (hi - lo, k))
    return out


def _at_volumes(case: Case, rows: Rows, volumes: Array) -> Case:
    """Scenarios `rows` of the batch, each with its monthly_volume replaced by `volumes`."""
    picked = case if case.size == 1 else case.rows(rows)
    ih = picked.in_house
    assert ih.workload is not None
    # one volume for every row (0, where the search starts): the streams it drives are
    # worked out once, not once per row
    same = len(volumes) and (volumes == volumes.flat[0]).all()
    workload = ih.workload.replace(
        monthly_volume=float(volumes.flat[0]) if same else volumes.reshape(-1, 1)
    )
    return Case(ih.replace(workload=workload), picked.vendors, size=len(rows))


def volume_kinks(case: Case, vendor_index: int, top: Array) -> Array:
    """Per scenario, the monthly volumes in [0, top[i]] at which npv_savings may bend or
    jump for this vendor: an (S, K) array, each row sorted and padded with NaN.

    A month's units are monthly_volume x shape(m) x scope. Fees bend where the units
    reach a tier edge (a volume-mode tier jumps just past it); a workload-driven
    headcount bends where its need reaches min_headcount (in a month, or in a year's
    busiest month when staffed for the peak); the billed fees bend where the raw fees
    cross the minimum fee. Between these points every month's costs are straight lines
    in the volume. Needs a workload with a nonzero volume in every scenario.
    """
    S = case.size
    vendor = case.vendors[vendor_index]
    timeline = Timeline.build(case.horizon_months, case.discount_rate, case.start_month)
    units: list[Any] = []
    for charge in vendor.pricing:
        for tier in charge.tiers or []:
            if tier.up_to is not None:
                edge = tier.up_to
                units.append(edge)
                if charge.tier_mode == "volume":
                    # every unit changes rate past the edge: npv_savings jumps there. The
                    # edge's own volume may round to units just past it, so the grid holds
                    # a point on each side too, lest it miss a crossing just below the edge
                    units += [edge * (1 - 1e-12), edge * (1 + 1e-12) + 1e-9]
    points = [np.empty((S, 0))]
    roles = _floored_roles(case.in_house, S)
    if units or roles:
        shape = _volume_shape(case, timeline)
        if units:
            edges = np.concatenate([per_scenario(u, S)[:, None] for u in units], axis=1)
            units_shape = np.where(shape > 0, shape * vendor.scope, np.nan)
            points.append((edges[:, :, None] / units_shape[:, None, :]).reshape(S, -1))
        points.append(_headcount_kinks(case.in_house, roles, timeline, shape))
    kinks = np.concatenate(points, axis=1)
    with np.errstate(invalid="ignore"):
        inside = (kinks >= 0) & (kinks <= top[:, None])
    kinks = sorted_unique_rows(np.where(inside, kinks, np.nan))
    minimum = per_scenario(vendor.minimum_monthly_fee, S)
    if (minimum > 0).any() and _fees_follow_volume(case, vendor):
        crossings = _minimum_fee_volumes(case, vendor_index, kinks, top)
        crossings[minimum <= 0] = np.nan
        kinks = sorted_unique_rows(np.concatenate([kinks, crossings], axis=1))
    return kinks


def _volume_shape(case: Case, t: Timeline) -> Array:
    """Each scenario's V(m) per unit of monthly_volume in months 1..H: (S, H)."""
    w = case.in_house.workload
    assert w is not None
    today = per_scenario(w.monthly_volume, case.size)[:, None]
    months = t.horizon + 1
    return np.broadcast_to(volume(case.in_house, t), (case.size, months))[:, 1:] / today


def _floored_roles(ih: InHouse, size: int) -> list[StaffRole]:
    """The workload-driven roles with a min_headcount above 0 in some scenario: where
    their need reaches it, npv_savings bends."""
    return [
        role
        for role in ih.staff
        if role.handle_minutes is not None
        and role.occupancy is not None
        and role.min_headcount is not None
        and (per_scenario(role.min_headcount, size) > 0).any()
    ]


def _headcount_kinks(ih: InHouse, roles: list[StaffRole], t: Timeline, shape: Array) -> Array:
    """Volumes at which a workload-driven role's need reaches its min_headcount: in each
    month (staffing month) or in each year's busiest month (staffing peak). (S, k), NaN
    where there is none."""
    S = len(shape)
    out: list[Array] = [np.empty((S, 0))]
    for role in roles:
        assert role.handle_minutes is not None and role.occupancy is not None
        floor = per_scenario(role.min_headcount, S)[:, None]
        p = productive_hours_per_head(ih, role)
        per_volume = np.zeros((S, t.horizon + 1))
        per_volume[:, 1:] = shape * role.handle_minutes / 60 / (role.occupancy * p)
        if role.staffing == "peak":
            per_volume = yearly_peak(per_volume)
        need = per_volume[:, 1:]
        with np.errstate(divide="ignore", invalid="ignore"):
            out.append(np.where((need > 0) & (floor > 0), floor / need, np.nan))
    return np.concatenate(out, axis=1)


def _fees_follow_volume(case: Case, vendor: Vendor) -> bool:
    """Do the raw fees change with the volume: per-unit or tiered charges, or hours that
    default to the in-house productive hours of a workload-driven team?"""
    if vendor.uses_volume:
        return True
    return _bills_team_hours(vendor) and any(
        r.handle_minutes is not None for r in case.in_house.staff
    )


def _bills_team_hours(vendor: Vendor) -> bool:
    """Does a charge bill the in-house team's productive hours (per_hour without hours)?"""
    return any(c.per_hour is not None and c.hours_per_month is None for c in vendor.pricing)


def _minimum_fee_volumes(case: Case, vendor_index: int, kinks: Array, top: Array) -> Array:
    """Per scenario, every volume at which some month's raw fees cross the minimum fee:
    (S, k), NaN-padded.

    Between two neighbouring points of `kinks` (and 0 and `top`) every month's raw fees
    are a straight line in the volume (they need not rise: past a volume-mode tier edge
    every unit pays the lower rate), so two points inside each piece give the line and
    its crossing exactly.
    """
    S = case.size
    ends = np.concatenate([np.zeros((S, 1)), top[:, None], kinks], axis=1)
    bounds = sorted_unique_rows(ends)
    lo, hi = bounds[:, :-1], bounds[:, 1:]
    with np.errstate(invalid="ignore"):
        row, piece = np.nonzero(hi > lo)
    lo, hi = lo[row, piece], hi[row, piece]
    a, b = lo + (hi - lo) / 3, lo + 2 * (hi - lo) / 3
    minimum = per_scenario(case.vendors[vendor_index].minimum_monthly_fee, S)
    found_rows: list[Rows] = [np.empty(0, np.int64)]
    found: list[Array] = [np.empty(0)]
    step = max(1, CELLS_PER_PIECE // (2 * (case.horizon_months + 1)))
    for start in range(0, len(row), step):
        part = slice(start, start + step)
        r = row[part]
        raw = _raw_fees_at_volumes(
            case, vendor_index, np.concatenate([r, r]), np.concatenate([a[part], b[part]])
        )[:, 1:]
        ra, rb = raw[: len(r)], raw[len(r) :]
        gap = minimum[r][:, None] - ra
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = (rb - ra) / (b[part] - a[part])[:, None]
            crossing = a[part][:, None] + gap / slope
        inside = np.isfinite(crossing) & (crossing >= lo[part, None]) & (crossing <= hi[part, None])
        where_row, _ = np.nonzero(inside)
        found_rows.append(r[where_row])
        found.append(crossing[inside])
    return _by_row(np.concatenate(found_rows), np.concatenate(found), S)


def _by_row(rows: Rows, values: Array, size: int) -> Array:
    """values[i] belongs to scenario rows[i]: each scenario's values as a NaN-padded row."""
    counts = np.bincount(rows, minlength=size)
    out = np.full((size, int(counts.max(initial=0))), np.nan)
    order = np.argsort(rows, kind="stable")
    rows, values = rows[order], values[order]
    position = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    out[rows, position] = values
    return out


def _raw_fees_at_volumes(case: Case, vendor_index: int, rows: Rows, volumes: Array) -> Array:
    """R(m) of scenario rows[i] with volumes[i] as the monthly_volume: (len(rows), H + 1)."""
    batch = _at_volumes(case, rows, volumes)
    t = Timeline.build(batch.horizon_months, batch.discount_rate, batch.start_month)
    vendor = batch.vendors[vendor_index]
    if _bills_team_hours(vendor):  # the team's hours take the whole in-house streams
        base = in_house_streams(batch.in_house, t)
        raw = raw_fees(vendor, base.volume, base.productive_hours, t)
    else:
        raw = raw_fees(vendor, volume(batch.in_house, t), 0.0, t)
    return np.asarray(np.broadcast_to(raw, (len(rows), t.horizon + 1)), dtype=float)
