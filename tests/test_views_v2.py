"""The views of contract v2, hand-checked on the small case of tests/test_contract_v2.py.

That case (worked in `test_a_team_that_follows_the_workload_by_hand`): one agent role
sized by the workload, p = 160 productive hours a month, N(m) = V(m) / 1,280;
10,000 cases a month (12,000 in December), +20% in year 2; staffed for each year's
peak; a sublet floor of 500 a month from month 4; a scorecard with weights 3 and 1.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from conftest import ROOT, example_args
from test_contract_v2 import IN_HOUSE, VENDOR, hand_case
from typer.testing import CliRunner

import outsourcecalc
from outsourcecalc.cli import app
from outsourcecalc.render import compare
from outsourcecalc.render.format import score
from outsourcecalc.render.words import verdict


def test_team_rows_by_hand() -> None:
    """Year 1: need 7.8125 in 11 months and 9.375 in December: average
    (11 * 7.8125 + 9.375) / 12 = 7.9427, peak 9.375; staffed for the peak: 9.375 all year.
    Year 2 (+20%): 9.375 and 11.25: average 9.53125, peak and staffed 11.25."""
    result = hand_case()
    (y1, y2) = result.in_house.team_years()
    assert (y1.role, y1.year) == ("Agent", 1)
    assert y1.need_average == pytest.approx((11 * 7.8125 + 9.375) / 12)
    assert (y1.need_peak, y1.staffed_average) == pytest.approx((9.375, 9.375))
    assert y2.need_average == pytest.approx(9.53125)
    assert (y2.need_peak, y2.staffed_average) == pytest.approx((11.25, 11.25))
    assert compare.team_rows(result) == [
        ["Agent", "1", "7.9", "9.4", "9.4"],
        ["Agent", "2", "9.5", "11.2", "11.2"],
    ]


def test_staffed_month_by_month_the_team_averages_below_its_peak() -> None:
    """staffing: month with a floor of 8: year 1 is 8 FTE for 11 months and 9.375 in
    December, an average of (88 + 9.375) / 12 = 8.1146; the need still averages 7.9427."""
    result = hand_case("in_house.staff[0].staffing=month", "in_house.staff[0].min_headcount=8")
    year_1 = result.in_house.team_years()[0]
    assert year_1.staffed_average == pytest.approx((11 * 8 + 9.375) / 12)
    assert year_1.need_average == pytest.approx((11 * 7.8125 + 9.375) / 12)
    assert compare.team_rows(result)[0] == ["Agent", "1", "7.9", "9.4", "8.1"]


def test_breakdown_rows_show_hiring_on_rises_and_the_benefits_of_the_switch() -> None:
    """Hiring is only the rise of 1.875 FTE in month 13: 1.875 * 3,000 = 5,625, all of it
    on rises. The sublet floor: 21 months * 500 = 10,500, a negative line of the vendor."""
    result = hand_case()
    rows = {key: (ih, cells) for key, ih, cells in compare.breakdown_rows(result, result.vendors)}
    keys = [key for key, _, _ in compare.breakdown_rows(result, result.vendors)]
    assert keys.index("flexing") == keys.index("hiring") + 1
    assert keys.index("switch_benefits") == keys.index("transition") + 1
    assert rows["hiring"] == ("$5,625", [""])
    assert rows["flexing"] == ("$5,625", [""])
    assert rows["switch_benefits"] == ("", ["-$10,500"])
    assert rows["total"] == ("$748,125", ["$741,020"])
    assert compare.row_label(result, "hiring") == "Hiring (attrition, rises)"
    assert compare.row_label(result, "flexing") == "  of which on rises"


def test_the_score_row_and_the_scorecard_table_by_hand() -> None:
    """In house (3*3 + 1*5) / 4 = 3.5; the vendor (3*4 + 1*2) / 4 = 3.5, at the minimum."""
    result = hand_case()
    key, ih, cells = compare.summary_rows(result, result.vendors)[-1]
    assert (key, ih, cells) == ("score", "3.5", ["3.5"])
    assert compare.row_label(result, "score") == "Score (of 5, minimum 3.5)"
    assert compare.scorecard_rows(result, result.vendors) == [
        ["Quality", "3", "3.0", "4.0"],
        ["Security", "1", "5.0", "2.0"],
        ["Weighted score", "4", "3.5", "3.5"],
    ]


def test_a_score_below_the_minimum_is_marked_and_never_rounds_up_to_it() -> None:
    """Security 1.9: (3*4 + 1.9) / 4 = 3.475, shown as 3.48 (not 3.5) and marked below."""
    result = hand_case("vendor.scores.Security=1.9")
    assert compare.summary_rows(result, result.vendors)[-1][2] == ["3.48 (below)"]
    assert score(3.4999, 3.5) == "3.4999"
    assert score(3.5, 3.5) == "3.5"
    assert score(None) == "—"


def test_verdict_with_a_vendor_at_the_minimum() -> None:
    assert verdict(hand_case()) == (
        "Outsourcing to Flex BPO saves $7,105 in today's money over 24 months ($7,105, "
        "0.9%, before discounting) and pays back from the start; its quote could rise 0.9% "
        "before it stops paying; it scores 3.5 of 5 against in house 3.5 (minimum 3.5)."
    )


def test_verdict_when_the_minimum_rules_the_saving_vendor_out() -> None:
    assert verdict(hand_case("vendor.scores.Security=1.9")) == (
        "Keep the work in house: Flex BPO saves $7,105 in today's money over 24 months but "
        "scores 3.48 of 5 against in house 3.5, below the minimum 3.5, so it is not "
        "recommended."
    )


def _case(in_house: dict[str, object], *sets: str) -> outsourcecalc.Comparison:
    return outsourcecalc.compare(outsourcecalc.case_from_dicts(in_house, [VENDOR], list(sets)))


def test_verdict_without_min_score_gives_the_score_and_recommends_on_cost() -> None:
    in_house = copy.deepcopy(IN_HOUSE)
    del in_house["scorecard"]["min_score"]  # type: ignore[index]
    text = verdict(_case(in_house, "vendor.scores.Security=1.9"))
    assert text.startswith("Outsourcing to Flex BPO saves $7,105")
    assert text.endswith("; it scores 3.48 of 5 against in house 3.5.")


def test_verdict_without_a_scorecard_says_nothing_of_scores() -> None:
    in_house = copy.deepcopy(IN_HOUSE)
    del in_house["scorecard"]
    vendor = {k: v for k, v in VENDOR.items() if k != "scores"}
    result = outsourcecalc.compare(outsourcecalc.case_from_dicts(in_house, [vendor]))
    assert "score" not in verdict(result)
    assert result.scorecard is None
    assert not any(key == "score" for key, _, _ in compare.summary_rows(result, result.vendors))


def test_verdict_names_the_best_eligible_vendor_and_what_it_costs() -> None:
    """Two quotes: the cheap one scores below the minimum; the other passes but costs more."""
    pricey = {**VENDOR, "name": "Careful BPO", "pricing": [{"name": "Cases", "per_unit": 3.0}]}
    pricey["scores"] = {"Quality": 4, "Security": 4}
    cheap = {**VENDOR, "scores": {"Quality": 4, "Security": 1.9}}
    result = outsourcecalc.compare(outsourcecalc.case_from_dicts(IN_HOUSE, [cheap, pricey]))
    extra = -(result.vendors[1]["npv_savings"] or 0.0)
    assert result.recommendation == "in-house"
    assert verdict(result) == (
        "Keep the work in house: Flex BPO saves $7,105 in today's money over 24 months but "
        "scores 3.48 of 5 against in house 3.5, below the minimum 3.5, so it is not "
        f"recommended; Careful BPO scores 4.0 but costs ${extra:,.0f} more."
    )


def test_csv_has_a_score_and_a_switch_benefits_column_only_with_v2_data() -> None:
    header, in_house, vendor = compare.render_csv(hand_case()).splitlines()
    columns = header.split(",")
    assert columns[columns.index("break_even_volume") + 1] == "score"
    assert columns[-1] == "switch_benefits"
    ih = dict(zip(columns, in_house.split(","), strict=True))
    v = dict(zip(columns, vendor.split(","), strict=True))
    assert (ih["score"], v["score"]) == ("3.5", "3.5")
    assert (ih["switch_benefits"], v["switch_benefits"]) == ("", "-10500.0")
    assert v["benefits"] == ""  # the in-house staff benefits column stays the in-house one
    v1 = compare.render_csv(outsourcecalc.evaluate(outsourcecalc.load(*_payroll())))
    assert "score" not in v1.splitlines()[0].split(",")
    assert "switch_benefits" not in v1


def _payroll() -> tuple[Path, list[Path]]:
    folder = ROOT / "examples" / "payroll"
    return folder / "in_house.yaml", [folder / "vendor.yaml"]


def test_markdown_has_the_team_and_the_scorecard() -> None:
    text = compare.render_markdown(hand_case())
    assert "| Hiring (attrition, rises) | $5,625 |  |" in text
    assert "| (of which on rises) | $5,625 |  |" in text
    assert "| Benefits of the switch |  | -$10,500 |" in text
    assert "| Agent | 1 | 7.9 | 9.4 | 9.4 |" in text
    assert "### Scorecard, each criterion scored 0 to 5" in text
    assert "| **Weighted score** | 4 | 3.5 | 3.5 |" in text


@pytest.mark.parametrize("width", [60, 80, 200])
@pytest.mark.parametrize("example", ["contact_center", "tax_season"])
def test_no_line_of_the_table_view_exceeds_the_width(
    width: int, example: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        app, ["compare", *example_args(example)], env={"COLUMNS": str(width), "NO_COLOR": "1"}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in result.stdout
    assert any(line.startswith("Scorecard") for line in lines)
    assert any("In-house team sized by the workload" in line for line in lines)
