"""Sentences in plain words: the decision, from results already computed, and the
scenario line that says which inputs the command line changed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..engine.results import Comparison, VendorSummary
from ..inputs.overrides import Override
from ..rules import IN_HOUSE, is_zero, wins
from .format import metric, money, number, percent, score


def verdict(result: Comparison) -> str:
    """'Outsourcing to Acme saves $412,300 in today's money over 36 months ...'.

    With a scorecard the sentence weighs both: the recommended option's score against
    the in-house one, and a vendor that would save more but scores below the minimum.
    """
    cur, h = result.currency, result.horizon_months
    card = result.scorecard
    # the vendor that saves most, first given on a tie, when the scorecard rules it out
    excluded = None
    if card is not None and result.vendors:
        cheapest = max(result.vendors, key=lambda v: v["npv_savings"] or 0.0)
        if wins(cheapest["npv_savings"] or 0.0) and card.below_minimum(cheapest["score"]):
            excluded = cheapest
    if result.recommendation != IN_HOUSE:
        v = next(v for v in result.vendors if v.name == result.recommendation)
        text = (
            f"Outsourcing to {v.name} saves {money(v['npv_savings'], cur)} in today's money "
            f"over {h} months ({money(v['savings'], cur)}, {percent(v['savings_pct'])}, "
            f"before discounting) and {payback(v)}"
        )
        change = v["break_even_price_change"]
        if change is not None:
            text += f"; its quote could rise {percent(change)} before it stops paying"
        if card is not None:
            text += f"; it scores {_scored(result, v)}"
            if card.min_score is not None:
                text += f" (minimum {score(card.min_score)})"
        if excluded is not None:
            text += "; " + _ruled_out(result, excluded, would=True)
        return text + "."
    if not result.vendors:
        return "Keep the work in house."
    if excluded is not None:
        assert card is not None  # only a scorecard rules a vendor out
        text = "Keep the work in house: " + _ruled_out(result, excluded)
        eligible = [v for v in result.vendors if not card.below_minimum(v["score"])]
        if eligible:
            other = max(eligible, key=lambda v: v["npv_savings"] or 0.0)
            text += (
                f"; {other.name} scores {score(other['score'])} but costs "
                f"{money(-(other['npv_savings'] or 0.0), cur)} more"
            )
        return text + "."
    best = max(result.vendors, key=lambda v: v["npv_savings"] or 0.0)
    extra = -(best["npv_savings"] or 0.0)
    text = (
        f"Keep the work in house: the best quote, {best.name}, would cost "
        f"{money(extra, cur)} more in today's money over {h} months"
    )
    change = best["break_even_price_change"]
    if change is not None and change <= -1:
        # a cut of more than 100% would mean the vendor paying us
        text += "; no price cut makes it pay: even free of charge it costs more"
    elif change is not None and change < 0:
        text += f"; its price would have to fall {percent(-change)} to break even"
    if card is not None:
        text += f"; it scores {_scored(result, best)}"
    return text + "."


def _scored(result: Comparison, v: VendorSummary) -> str:
    """'3.8 of 5 against in house 4.1' (without in-house scores: '3.8 of 5')."""
    card = result.scorecard
    assert card is not None
    text = f"{score(v['score'], card.min_score)} of {card.scale:g}"
    if result.in_house.score is not None:
        text += f" against in house {score(result.in_house.score)}"
    return text


def _ruled_out(result: Comparison, v: VendorSummary, would: bool = False) -> str:
    """'Bayanihan BPO saves $5.6M in today's money but scores 2.9 of 5 against in house 4.1,
    below the minimum 3.0, so it is not recommended'."""
    card = result.scorecard
    assert card is not None and card.min_score is not None
    saves = "would save" if would else "saves"
    return (
        f"{v.name} {saves} {money(v['npv_savings'], result.currency)} in today's money "
        f"over {result.horizon_months} months but "
        f"scores {_scored(result, v)}, below the minimum {score(card.min_score)}, "
        "so it is not recommended"
    )


def payback(v: VendorSummary) -> str:
    """'pays back in month 7.1', from the start, or not within the horizon."""
    months = v["payback_months"]
    if months is None:
        return "does not pay back within the horizon"
    if months == 0:
        return "pays back from the start"
    return f"pays back in month {months:.1f}"


def break_even_volume(result: Comparison, v: VendorSummary) -> str:
    """'pays up to 186,598 tickets/month' or 'pays from 519,293 contacts/month'.

    The break-even volume is the first volume, counting up from zero, where NPV
    savings change sign; below it they keep the sign they have at volume 0. When
    today's volume is below it, today's sign is that sign, so the side that pays
    is known; otherwise the figure is given as where the sign changes.
    """
    volume, npv, today = v["break_even_volume"], v["npv_savings"], result.volume_today
    if volume is None:
        return "—"
    figure = number(volume, result.unit)
    if today is None or npv is None or today >= volume or is_zero(npv):
        return f"changes at {figure}"
    return f"pays up to {figure}" if npv > 0 else f"pays from {figure}"


def result_cell(result: Comparison, v: VendorSummary, key: str) -> str:
    """One result of one vendor as the table and Markdown views show it."""
    if key == "break_even_volume":
        return break_even_volume(result, v)
    return metric(key, v[key], result.currency, result.unit)


SCENARIO = "scenario: "  # how the line starts in every view


def scenario_line(overrides: Sequence[Override]) -> str:
    """'scenario: annual salary of Agent = $45,000; horizon = 48 months (file: 36 months)':
    every input the command line changed, with the file's own value where it had one;
    "" for a run that changed nothing (its views stay as they were)."""
    text = scenario_text(overrides)
    return SCENARIO + text if text else ""


def scenario_text(overrides: Sequence[Override]) -> str:
    """The scenario line without its "scenario: " (a CSV cell under a `scenario` header)."""
    parts = []
    for o in overrides:
        text = f"{o.label} = {input_value(o, o.value)}"
        if o.file_value is not None:
            text += f" (file: {input_value(o, o.file_value)})"
        parts.append(text)
    return "; ".join(parts)


def input_value(o: Override, x: Any) -> str:
    """An input's value as people read it: money as money, a rate as a percent."""
    if isinstance(x, bool):
        return "yes" if x else "no"
    if not isinstance(x, int | float):
        return str(x)
    if o.unit == "money":
        whole = float(x) == round(float(x))
        return money(float(x), o.currency, cents=not whole) if o.currency else _plain(x)
    if o.unit == "rate":
        return _plain(float(x) * 100) + "%"
    if o.unit in ("months", "days", "hours"):
        return f"{_plain(x)} {o.unit}"
    if o.unit == "fte":
        return f"{_plain(x)} FTE"
    return _plain(x)


def _plain(x: float) -> str:
    """45000 -> '45,000', 84.5 -> '84.5', 0.07 * 100 -> '7': no float noise, no exponent."""
    x = round(float(x), 8)
    return f"{int(x):,}" if x == int(x) else f"{x:,}"
