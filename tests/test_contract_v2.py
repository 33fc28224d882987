"""Contract v2 by hand: a team that follows the workload, a benefit, a scorecard; then the
scenario commands (sweep, sensitivity) on the new inputs against `compare --set`, the JSON's
overrides and notes, `--fail-if score`, and `--baseline` on a v1 result."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import outsourcecalc
from outsourcecalc.cli import app
from outsourcecalc.engine.model import RESULT_KEYS
from outsourcecalc.scenarios.sweep import Grid, build_axes, run_sweep

V2 = Path(__file__).resolve().parent / "data" / "v2"
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}

IN_HOUSE: dict[str, Any] = {
    "name": "Back office",
    "analysis": {"horizon_months": 24, "discount_rate": 0, "start_month": 1},
    "calendar": {"working_days_per_year": 250, "hours_per_day": 8},
    "staff": [
        {
            "role": "Agent",
            "handle_minutes": 6,
            "occupancy": 0.8,
            "staffing": "peak",
            "annual_salary": 36_000,
            "time_off_days": 10,
            "cost_per_hire": 3_000,
        }
    ],
    "workload": {
        "unit": "case",
        "monthly_volume": 10_000,
        "seasonality": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.2],
        "growth_rate": 0.2,
    },
    "scorecard": {
        "scale": 5,
        "min_score": 3.5,
        "criteria": [{"name": "Quality", "weight": 3}, {"name": "Security", "weight": 1}],
        "in_house": {"Quality": 3, "Security": 5},
    },
}
VENDOR: dict[str, Any] = {
    "kind": "vendor",
    "name": "Flex BPO",
    "pricing": [{"name": "Cases", "per_unit": 2.8}],
    "benefits": [{"name": "Sublet the floor", "monthly": 500, "from_month": 4}],
    "scores": {"Quality": 4, "Security": 2},
}


def hand_case(*sets: str) -> outsourcecalc.Comparison:
    return outsourcecalc.compare(outsourcecalc.case_from_dicts(IN_HOUSE, [VENDOR], list(sets)))


def test_a_team_that_follows_the_workload_by_hand() -> None:
    """One workload-driven role, staffed for the peak, with a benefit.

    Productive hours per FTE: p = (250 - 10) * 8 / 12 = 160 a month.
    Need: N(m) = V(m) * 6 / 60 / (0.8 * 160) = V(m) / 1280.
    Year 1: 10,000 cases a month, 12,000 in December: N = 7.8125, in December 9.375;
      staffed for the peak, hc = 9.375 in months 1..12.
    Year 2 (+20%): 12,000, December 14,400: N = 9.375 and 11.25; hc = 11.25 in months 13..24.
    Salaries: 9.375 * 3,000 * 12 = 337,500, then 11.25 * 3,000 * 12 = 405,000: 742,500.
    Hiring: no attrition; the rise of 11.25 - 9.375 = 1.875 FTE in month 13 costs
      1.875 * 3,000 = 5,625 (none in month 1: the team of month 1 exists at signing).
    In-house TCO = 742,500 + 5,625 = 748,125 (discount rate 0: NPV the same).
    Paid time off inside salaries: 742,500 * 10 / 250 = 29,700.
    Cost per productive hour, first year: 337,500 / (12 * 9.375 * 160 = 18,000 h) = 18.75.
    Vendor: 2.80 a case: year 1 (11 * 10,000 + 12,000) * 2.8 = 341,600, year 2
      (11 * 12,000 + 14,400) * 2.8 = 409,920: 751,520 of fees; the sublet floor brings
      500 a month from month 4: 21 * 500 = 10,500. Vendor TCO = 741,020; savings 7,105.
    Monthly savings: months 1-3 125; 4-11 625; 12 (December) 28,125 - 33,600 + 500 = -4,975;
      13: 33,750 + 5,625 - 33,600 + 500 = 6,275; 14-23 650; 24: 33,750 - 40,320 + 500 = -6,070.
      Cumulative savings never fall below 0: payback 0.
    Scores (weights 3 and 1): in house (3*3 + 5*1) / 4 = 3.5; vendor (3*4 + 1*2) / 4 = 3.5,
      exactly the minimum of 3.5, so the vendor is eligible and recommended.
    """
    result = hand_case()
    ih, vendor = result.in_house, result.vendors[0]
    assert ih.headcounts[0][:2] == [9.375, 9.375]
    assert ih.headcounts[0][12:14] == [9.375, 11.25]
    assert ih.tco == pytest.approx(748_125, abs=1e-6)
    assert ih.breakdown["salaries"] == pytest.approx(742_500)
    assert ih.breakdown["hiring"] == pytest.approx(5_625)
    assert ih.flexing == pytest.approx(5_625)
    assert ih.breakdown["paid_time_off"] == pytest.approx(29_700)
    assert ih.cost_per_productive_hour == pytest.approx(18.75)
    assert vendor["tco"] == pytest.approx(741_020)
    assert vendor.breakdown["benefits"] == pytest.approx(-10_500)
    assert vendor["savings"] == pytest.approx(7_105)
    assert vendor["payback_months"] == 0
    savings = [a - b for a, b in zip(ih.monthly, vendor.monthly, strict=True)]
    assert savings[1:4] == pytest.approx([125] * 3)
    assert savings[12:14] == pytest.approx([-4_975, 6_275])
    assert savings[24] == pytest.approx(-6_070)
    assert ih.score == pytest.approx(3.5)
    assert vendor["score"] == pytest.approx(3.5)
    assert result.recommendation == "Flex BPO"


def test_staffing_month_by_month_and_a_floor() -> None:
    """staffing: month follows each month's need (7.8125, December 9.375); min_headcount 8
    lifts the quiet months to 8: salaries year 1 = (11 * 8 + 9.375) * 3,000 = 292,125;
    hiring: the rise from 8 to 9.375 in December (1.375) and from 9.375 in month 13 ... back
    from 9.375 to 9.375 (none), then 11.25 in month 24 (1.875): (1.375 + 1.375 + 1.875) * 3,000."""
    result = hand_case("in_house.staff[0].staffing=month", "in_house.staff[0].min_headcount=8")
    hc = result.in_house.headcounts[0]
    assert hc[1:13] == pytest.approx([8] * 11 + [9.375])
    assert hc[13:25] == pytest.approx([9.375] * 11 + [11.25])
    salaries_year_1 = (11 * 8 + 9.375) * 3_000
    salaries_year_2 = (11 * 9.375 + 11.25) * 3_000
    assert result.in_house.breakdown["salaries"] == pytest.approx(salaries_year_1 + salaries_year_2)
    # rises: month 12 (8 -> 9.375), month 13 (9.375 -> 9.375: none), month 24 (-> 11.25)
    assert result.in_house.breakdown["hiring"] == pytest.approx((1.375 + 1.875) * 3_000)


def test_a_score_below_the_minimum_keeps_it_in_house() -> None:
    """Security 1.9: (3*4 + 1.9) / 4 = 3.475, below 3.5: the vendor saves money but is not
    eligible. Without min_score the same vendor is recommended."""
    low = hand_case("vendor.scores.Security=1.9")
    assert low.vendors[0]["score"] == pytest.approx(3.475)
    assert low.vendors[0]["npv_savings"] == pytest.approx(7_105)
    assert low.recommendation == "in-house"
    no_floor = copy.deepcopy(IN_HOUSE)
    del no_floor["scorecard"]["min_score"]
    case = outsourcecalc.case_from_dicts(no_floor, [VENDOR], ["vendor.scores.Security=1.9"])
    assert outsourcecalc.compare(case).recommendation == "Flex BPO"


def test_without_a_scorecard_every_score_is_null() -> None:
    bare = {k: v for k, v in IN_HOUSE.items() if k != "scorecard"}
    vendor = {k: v for k, v in VENDOR.items() if k != "scores"}
    data = outsourcecalc.compare(outsourcecalc.case_from_dicts(bare, [vendor])).to_dict()
    assert data["in_house"]["score"] is None and data["vendors"][0]["score"] is None


def test_payback_is_never_more_than_the_horizon() -> None:
    """A vendor that saves exactly what it costs up front, spread over the horizon: the
    cumulative savings reach 0 only at the very end, and payback is H, not H plus noise."""
    in_house = {
        "name": "Desk",
        "analysis": {"horizon_months": 60, "discount_rate": 0},
        "staff": [{"role": "A", "headcount": 1, "annual_salary": 120_000}],
    }
    vendor = {
        "name": "V",
        # a hair above 10,000 - 100,000 / 60: C(60) is -4e-9 (zero within half a cent), and
        # the last month's share would give 60.0000000000024 months
        "pricing": [{"name": "Fee", "monthly": 8_333.3333333334}],
        "transition": {"costs": [{"name": "Setup", "amount": 100_000}]},
    }
    result = outsourcecalc.compare(outsourcecalc.case_from_dicts(in_house, [vendor]))
    payback = result.vendors[0]["payback_months"]
    assert payback == 60


def test_sweep_over_handle_minutes_equals_compare_with_set() -> None:
    case = outsourcecalc.load(V2 / "in_house.yaml", [V2 / "vendor.yaml"])
    grid = Grid(build_axes(case, ["in_house.staff[1].handle_minutes=4:10:1.5"]))
    run = run_sweep(case, grid)
    assert grid.size == 5
    for chunk in run.chunks():
        for i in range(chunk.stop - chunk.start):
            point = grid.point(chunk.start + i)
            sets = [f"{path}={value!r}" for path, value in point.items()]
            single = outsourcecalc.compare(
                outsourcecalc.load(V2 / "in_house.yaml", [V2 / "vendor.yaml"], sets)
            )
            for key in RESULT_KEYS:
                if key == "break_even_volume":
                    continue
                got = float(chunk.vendors[0][key][i])
                want = single.vendors[0][key]
                if want is None:
                    assert math.isnan(got), key
                else:
                    assert got == pytest.approx(want, rel=1e-9, abs=0.005), (key, point)


def test_sensitivity_on_occupancy_equals_compare_with_set() -> None:
    case = outsourcecalc.load(V2 / "in_house.yaml", [V2 / "vendor.yaml"])
    result = outsourcecalc.sensitivity(case, 0.10, only=["in_house.staff[1].occupancy"])
    (row,) = result.vendors[0].inputs
    assert (row.low, row.high) == pytest.approx((0.765, 0.935))
    for value, npv_savings in ((row.low, row.npv_savings_low), (row.high, row.npv_savings_high)):
        single = outsourcecalc.compare(
            outsourcecalc.load(
                V2 / "in_house.yaml",
                [V2 / "vendor.yaml"],
                [f"in_house.staff[1].occupancy={value!r}"],
            )
        )
        assert npv_savings == pytest.approx(single.vendors[0]["npv_savings"], abs=0.005)


def test_scores_and_benefits_vary_in_a_sweep() -> None:
    """A quoted key and a benefit's amount are sweep paths like any other."""
    case = outsourcecalc.load(V2 / "in_house.yaml", [V2 / "vendor.yaml"])
    sweep = outsourcecalc.sweep(
        case,
        ['vendor.scores["Data security"]=1,5', "vendor.benefits[0].monthly=0,7000"],
        fail_if=["score<3.5"],
    )
    rows = sweep.rows()
    assert len(rows) == 4
    held = sum(g.held for g in sweep.gates)
    # Data security 1: (105 + 25 + 90 + 45 + 50) / 100 = 3.15 < 3.5 at two of the four points
    assert held == 2
    by_benefit = {r["vendor.benefits[0].monthly"]: r["npv_savings"] for r in rows}
    assert by_benefit[7000.0] > by_benefit[0.0]


def run(*args: str) -> Any:
    return CliRunner(env=ENV).invoke(app, [str(a) for a in args])


def test_json_lists_the_overrides_and_the_notes() -> None:
    result = run(
        "compare", V2 / "in_house.yaml", V2 / "vendor.yaml", "--format", "json",
        "--horizon", "12", "--set", "in_house.staff[0].benefits_rate=30%",
        "--set", 'vendor.scores["Cultural fit"]=4',
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == 2
    assert data["overrides"] == {
        "analysis.horizon_months": 12,
        "in_house.staff[0].benefits_rate": 0.3,
        'vendor.scores["Cultural fit"]': 4.0,
    }
    # the workstation refresh in month 13 is after the 12-month horizon: a note, in both places
    assert len(data["notes"]) == 1 and "Workstation refresh" in data["notes"][0]
    assert result.stderr.splitlines() == [f"note: {data['notes'][0]}"]


def test_fail_if_score() -> None:
    args = ["compare", V2 / "in_house.yaml", V2 / "vendor.yaml", "--format", "json"]
    held = run(*args, "--fail-if", "score<4")
    assert held.exit_code == 1
    assert held.stderr.splitlines() == [
        "fail-if score<4: holds for Acme BPO (Manila) (score = 3.9)"
    ]
    assert run(*args, "--fail-if", "score<3.5").exit_code == 0


def test_baseline_reads_a_v1_result(tmp_path: Path) -> None:
    """A result written by contract v1 (no overrides, notes or score) is still a baseline."""
    result = run("compare", V2 / "in_house.yaml", V2 / "vendor.yaml", "--format", "json")
    data = json.loads(result.stdout)
    v1 = {k: v for k, v in data.items() if k not in ("overrides", "notes")}
    v1["schema_version"] = 1
    for option in (v1["in_house"], *v1["vendors"]):
        del option["score"]
    old = tmp_path / "v1.json"
    old.write_text(json.dumps(v1))
    diff = run(
        "compare", V2 / "in_house.yaml", V2 / "vendor.yaml", "--format", "json",
        "--baseline", old,
    )  # fmt: skip
    assert diff.exit_code == 0, diff.output
    changes = json.loads(diff.stdout)["changes"]
    score_rows = [c for c in changes if c["key"] == "score"]
    assert score_rows == [
        {"option": "in-house", "key": "score", "old": None, "new": 4.4, "delta": None,
         "status": "changed"},
        {"option": "Acme BPO (Manila)", "key": "score", "old": None, "new": 3.9,
         "delta": None, "status": "changed"},
    ]  # fmt: skip
    assert all(c["status"] == "unchanged" for c in changes if c["key"] != "score")


def test_a_quoted_key_may_contain_an_equals_sign(tmp_path: Path) -> None:
    """`--set`, `--vary` and `--uncertain` split PATH=VALUE at the first `=` outside a
    quoted key; a criterion named "Fit = culture" was unreachable ("not a path")."""
    for name in ("in_house.yaml", "vendor.yaml"):
        text = (V2 / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("Cultural fit", '"Fit = culture"'), "utf-8")
    renamed = [tmp_path / "in_house.yaml", tmp_path / "vendor.yaml"]
    original = [V2 / "in_house.yaml", V2 / "vendor.yaml"]

    def score(files: list[Path], key: str) -> float:
        done = run("compare", *files, "-f", "json", "--set", f'vendor.scores["{key}"]=4.5')
        assert done.exit_code == 0, done.output
        return float(json.loads(done.stdout)["vendors"][0]["score"])

    assert (
        score(renamed, "Fit = culture")
        == score(original, "Cultural fit")
        != score(original, "Data security")
    )
    swept = run("sweep", *renamed, "-f", "json", "--vary", 'vendor.scores["Fit = culture"]=1,5')
    assert swept.exit_code == 0, swept.output
    assert [r['vendor.scores["Fit = culture"]'] for r in json.loads(swept.stdout)["rows"]] == [
        1.0,
        5.0,
    ]
    spec = 'vendor.scores["Fit = culture"]=uniform(1, 5)'
    simulated = run("simulate", *renamed, "-f", "json", "--trials", "20", "--uncertain", spec)
    assert simulated.exit_code == 0, simulated.output
