# ruff: noqa: E501  (the expected messages are compared whole, as a user reads them)
"""Bad input: one small file (or option) per kind of mistake, and the exact message it gets.

Every case must end with exit code 2, nothing on stdout, and on stderr one line
per problem, `path:LINE:COL: field: message`, sorted by line, naming the file
(or the command-line option) and what was expected. Never a traceback.
Files live in tests/data/invalid/; the tests run from tests/data so that paths
read `invalid/<file>.yaml` on every machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from outsourcecalc.cli import app

DATA = Path(__file__).resolve().parent / "data"
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def case(name: str, args: str, *stderr: str) -> Any:
    """`args`: the files and options after `compare`; a bare name is a file in invalid/."""
    argv = []
    for arg in args.split():
        if arg == "{IH}":
            arg = "good_in_house.yaml"
        elif arg == "{V}":
            arg = "good_vendor.yaml"
        argv.append(f"invalid/{arg}" if arg.endswith(".yaml") else arg)
    return pytest.param(argv, list(stderr), id=name)


def run(*args: str) -> Result:
    return CliRunner(env=ENV).invoke(app, list(args))


@pytest.fixture(autouse=True)
def in_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)


CASES = [
    case(
        "misplaced_field",
        "{IH} misplaced_field.yaml",
        "invalid/misplaced_field.yaml:7:5: pricing[0].minimum_monthly_fee: unknown field; minimum_monthly_fee belongs at the top level of the file, not here",
    ),
    case(
        "flow_mapping_comma",
        "{IH} flow_mapping_comma.yaml",
        'invalid/flow_mapping_comma.yaml:9:26: transition.costs[0]["8 weeks)"]: unknown field; this looks like the rest of a value that YAML cut at a comma ({a: b, c} splits at every comma): put that value in quotes, e.g. name: "x, y"',
    ),
    case(
        "unknown_key",
        "unknown_key.yaml {V}",
        'invalid/unknown_key.yaml:5:5: staff[0].anual_salary: unknown field; did you mean "annual_salary"?',
    ),
    case(
        "kind_misspelt",
        "kind_misspelt.yaml {V}",
        "invalid/kind_misspelt.yaml:1:1: kind: expected kind 'in_house' (got 'in-house'); write in_house",
    ),
    case(
        "duplicate_key",
        "duplicate_key.yaml {V}",
        "invalid/duplicate_key.yaml:6:5: staff[0].headcount: duplicate key: also given on line 4; keep one of them",
    ),
    case(
        "nan",
        "nan.yaml {V}",
        "invalid/nan.yaml:4:16: staff[0].headcount: must be a finite number (got '.nan')",
    ),
    case(
        "inf",
        "inf.yaml {V}",
        "invalid/inf.yaml:5:20: staff[0].annual_salary: must be a finite number (got '.inf')",
    ),
    case(
        "yes_boolean",
        "yes_boolean.yaml {V}",
        "invalid/yes_boolean.yaml:6:16: staff[0].avoidable: write true or false, or put it in quotes if it is text (got 'yes', which YAML 1.1 reads as a boolean)",
    ),
    case(
        "date",
        "date.yaml {V}",
        "invalid/date.yaml:9:12: one_time[0].month: a date is not a value here (got '2027-06-01'); months are whole numbers counted from the signing date: 0 = signing, 1 = the first month",
    ),
    case(
        "octal",
        "octal.yaml {V}",
        "invalid/octal.yaml:4:16: staff[0].headcount: write 10 without the leading zero, or put it in quotes if it is text (got '010', which YAML 1.1 reads as an octal number)",
    ),
    case(
        "benefits_percent",
        "benefits_percent.yaml {V}",
        'invalid/benefits_percent.yaml:6:5: staff[0].benefits_rate: must be from 0 to 2, that is 0% to 200% (got 28); did you mean 0.28 or "28%"?',
    ),
    case(
        "negative_money",
        "negative_money.yaml {V}",
        "invalid/negative_money.yaml:5:5: staff[0].annual_salary: must not be negative (got -40000)",
    ),
    case(
        "money_garbage",
        "money_garbage.yaml {V}",
        "invalid/money_garbage.yaml:5:5: staff[0].annual_salary: expected an amount of money such as 42000 or \"42,000\" (got '$40k')",
    ),
    case(
        "missing_name",
        "missing_name.yaml {V}",
        "invalid/missing_name.yaml:1:1: name: required field is missing",
    ),
    case(
        "missing_staff",
        "missing_staff.yaml {V}",
        "invalid/missing_staff.yaml:1:1: staff: required field is missing",
    ),
    case(
        "missing_headcount",
        "missing_headcount.yaml {V}",
        "invalid/missing_headcount.yaml:3:5: staff[0].headcount: required field is missing",
    ),
    case(
        "missing_salary",
        "missing_salary.yaml {V}",
        "invalid/missing_salary.yaml:3:5: staff[0].annual_salary: required field is missing",
    ),
    case(
        "missing_volume",
        "missing_volume.yaml {V}",
        "invalid/missing_volume.yaml:6:1: workload.monthly_volume: required field is missing",
    ),
    case(
        "missing_pricing",
        "{IH} missing_pricing.yaml",
        "invalid/missing_pricing.yaml:1:1: pricing: required field is missing",
    ),
    case(
        "missing_amount",
        "{IH} missing_amount.yaml",
        "invalid/missing_amount.yaml:8:7: transition.costs[0].amount: required field is missing",
    ),
    case(
        "missing_charge_amount",
        "{IH} missing_charge_amount.yaml",
        "invalid/missing_charge_amount.yaml:4:5: pricing[0]: give the price as one of monthly, per_fte_month (with fte), per_hour, per_unit or tiers",
    ),
    case(
        "overhead_two_forms",
        "overhead_two_forms.yaml {V}",
        "invalid/overhead_two_forms.yaml:9:5: overheads[0].annual: give only one of monthly, annual or per_head_monthly (this overhead has monthly and annual: counting both would double the cost)",
    ),
    case(
        "charge_two_forms",
        "{IH} charge_two_forms.yaml",
        "invalid/charge_two_forms.yaml:6:5: pricing[0].per_unit: give only one of monthly, per_fte_month, per_hour, per_unit or tiers (this charge has monthly and per_unit); put each price in a charge of its own",
    ),
    case(
        "per_fte_without_fte",
        "{IH} per_fte_without_fte.yaml",
        "invalid/per_fte_without_fte.yaml:5:5: pricing[0].per_fte_month: needs fte next to it: the number of FTE the vendor bills each month",
    ),
    case(
        "tiers_not_increasing",
        "{IH} tiers_not_increasing.yaml",
        "invalid/tiers_not_increasing.yaml:7:10: pricing[0].tiers[1].up_to: must be above the previous tier's up_to (4000): up_to is where a band ends, counted from zero, not the band's width (got 3000)",
    ),
    case(
        "last_tier_up_to",
        "{IH} last_tier_up_to.yaml",
        "invalid/last_tier_up_to.yaml:7:10: pricing[0].tiers[1].up_to: the last tier must have no up_to: it prices every unit above the band before it",
    ),
    case(
        "vendor_as_in_house",
        "vendor_as_in_house.yaml {V}",
        "invalid/vendor_as_in_house.yaml:2:1: kind: this is a vendor file; the in-house file comes first: outsourcecalc compare IN_HOUSE VENDOR [VENDOR ...]",
    ),
    case(
        "in_house_as_vendor",
        "{IH} in_house_as_vendor.yaml",
        "invalid/in_house_as_vendor.yaml:2:1: this is an in-house file; give it first and vendor files after it",
    ),
    case(
        "foreign_currency_no_fx",
        "{IH} foreign_currency_no_fx.yaml",
        "invalid/foreign_currency_no_fx.yaml:3:1: currency: the quote is in PHP but the analysis is in USD: give fx_rate (USD per 1 PHP)",
    ),
    case(
        "per_unit_without_workload",
        "no_workload_in_house.yaml per_unit_vendor.yaml",
        "invalid/per_unit_vendor.yaml:5:5: pricing[0].per_unit: per-unit pricing needs a workload (monthly_volume) in the in-house file",
    ),
    case(
        "transition_third_currency",
        "{IH} transition_third_currency.yaml",
        "invalid/transition_third_currency.yaml:12:7: transition.costs[0].currency: must be the analysis currency USD or the quote's PHP (got EUR); convert it to one of them",
    ),
    case(
        "parallel_run_too_long",
        "{IH} parallel_run_too_long.yaml",
        "invalid/parallel_run_too_long.yaml:7:3: transition.parallel_run_months: must be within the horizon of 36 months (got 48)",
    ),
    case(
        "time_off_too_long",
        "time_off_too_long.yaml {V}",
        "invalid/time_off_too_long.yaml:8:5: staff[0].time_off_days: must be below working_days_per_year (250), or no working time is left for Agent (got 260)",
    ),
    case(
        "seasonality_11",
        "seasonality_11.yaml {V}",
        "invalid/seasonality_11.yaml:8:3: workload.seasonality: needs 12 numbers, one per calendar month from January to December (got 11)",
    ),
    case(
        "empty",
        "empty.yaml {V}",
        "invalid/empty.yaml:1:1: the file is empty; expected fields such as name: ...",
    ),
    case(
        "top_level_list",
        "top_level_list.yaml {V}",
        "invalid/top_level_list.yaml:1:1: got a list at the top level; expected fields such as name: ...",
    ),
    case(
        "unclosed_bracket",
        "unclosed_bracket.yaml {V}",
        "invalid/unclosed_bracket.yaml:8:16: not valid YAML: this '[' is never closed (expected ',' or ']', but got the end of the file)",
    ),
    case(
        "not_utf8",
        "not_utf8.yaml {V}",
        "invalid/not_utf8.yaml:1:10: not UTF-8 text (byte 0xe9); save the file as UTF-8",
    ),
    case(
        "file_not_found",
        "no_such_file.yaml {V}",
        "invalid/no_such_file.yaml: file not found",
    ),
    case(
        "two_documents",
        "two_documents.yaml {V}",
        "invalid/two_documents.yaml:7:1: holds more than one YAML document (a second one starts here); give one file per option",
    ),
    case(
        "several_errors",
        "several_errors.yaml {V}",
        "invalid/several_errors.yaml:2:1: currency: expected a 3-letter ISO 4217 code such as USD (got 'usd'); write it in capitals: USD",
        "invalid/several_errors.yaml:5:5: staff[0].headcount: must not be negative (got -3)",
        'invalid/several_errors.yaml:7:5: staff[0].benefits_rate: must be from 0 to 2, that is 0% to 200% (got 28); did you mean 0.28 or "28%"?',
        "invalid/several_errors.yaml:8:5: staff[1].annual_salary: required field is missing",
        'invalid/several_errors.yaml:12:5: overheads[0].montly: unknown field; did you mean "monthly"?',
    ),
    case(
        "set_bad_path",
        "{IH} {V} --set staff[0].headcount=12",
        "--set staff[0].headcount: a path starts with in_house., vendor., vendor[N]. or analysis. (got 'staff')",
    ),
    case(
        "set_unknown_field",
        "{IH} {V} --set in_house.staff[0].salary=50000",
        '--set in_house.staff[0].salary=50000: staff[0].salary: unknown field; did you mean "annual_salary"?',
    ),
    case(
        "set_index_out_of_range",
        "{IH} {V} --set in_house.staff[3].headcount=12",
        "--set in_house.staff[3].headcount=12: staff has 1 entry; staff[3] does not exist",
    ),
    case(
        "set_no_such_vendor",
        "{IH} {V} --set vendor[1].scope=0.5",
        "--set vendor[1].scope: 1 vendor file; vendor[1] does not exist",
    ),
    case(
        "set_invalid_value",
        "{IH} {V} --set in_house.staff[0].benefits_rate=28",
        '--set in_house.staff[0].benefits_rate=28: staff[0].benefits_rate: must be from 0 to 2, that is 0% to 200% (got 28); did you mean 0.28 or "28%"?',
    ),
    case(
        "set_not_a_number",
        "{IH} {V} --set vendor.pricing[0].monthly=lots",
        "--set vendor.pricing[0].monthly=lots: pricing[0].monthly: expected an amount of money such as 42000 or \"42,000\" (got 'lots')",
    ),
    case(
        "set_breaks_a_check_across_files",
        "{IH} {V} --set vendor.currency=EUR --set vendor.transition.parallel_run_months=40",
        "--set vendor.currency=EUR: currency: the quote is in EUR but the analysis is in USD: give fx_rate (USD per 1 EUR)",
        "--set vendor.transition.parallel_run_months=40: transition.parallel_run_months: must be within the horizon of 36 months (got 40)",
    ),
    case(
        "horizon_option_shorter_than_the_parallel_run",
        "{IH} {V} --set vendor.transition.parallel_run_months=2 --horizon 1",
        "--set vendor.transition.parallel_run_months=2: transition.parallel_run_months: must be within the horizon of 1 month set by --horizon 1 (got 2)",
    ),
    case(
        "set_no_equals",
        "{IH} {V} --set vendor.scope",
        "--set vendor.scope: expected PATH=VALUE",
    ),
    case(
        "horizon_0",
        "{IH} {V} --horizon 0",
        "--horizon 0: analysis.horizon_months: must be a whole number from 1 to 600 (got 0)",
    ),
    case(
        "discount_rate_1_5",
        "{IH} {V} --discount-rate 1.5",
        '--discount-rate 1.5: analysis.discount_rate: must be from 0 to below 1, that is 0% to below 100% (got 1.5); did you mean 0.015 or "1.5%"?',
    ),
    case(
        "start_month_13",
        "{IH} {V} --start-month 13",
        "--start-month 13: analysis.start_month: must be a whole number from 1 to 12 (got 13)",
    ),
    case(
        "fail_if_garbage",
        "{IH} {V} --fail-if garbage",
        "--fail-if garbage: expected METRIC OP NUMBER, e.g. npv_savings<0 or payback_months>18",
    ),
    case(
        "fail_if_unknown_metric",
        "{IH} {V} --fail-if profit<0",
        "--fail-if profit<0: unknown metric 'profit'; one of: tco, npv, savings, savings_pct, npv_savings, investment, roi, irr, payback_months, discounted_payback_months, break_even_price_change, break_even_volume, score",
    ),
    # contract v2: workload-driven roles, benefits, the scorecard
    case(
        "role_two_sizes",
        "role_two_sizes.yaml {V}",
        "invalid/role_two_sizes.yaml:5:5: staff[0].handle_minutes: give only one of headcount or handle_minutes (this role has both): a fixed team, or a team that follows the workload",
    ),
    case(
        "handle_minutes_no_workload",
        "handle_minutes_no_workload.yaml {V}",
        "invalid/handle_minutes_no_workload.yaml:4:5: staff[0].handle_minutes: a team that follows the workload needs one: add a workload with its monthly_volume, or give a fixed headcount",
    ),
    case(
        "occupancy_with_headcount",
        "occupancy_with_headcount.yaml {V}",
        "invalid/occupancy_with_headcount.yaml:6:5: staff[0].occupancy: only goes with handle_minutes (a team that follows the workload), and this role has a fixed headcount",
    ),
    case(
        "occupancy_zero",
        "occupancy_zero.yaml {V}",
        "invalid/occupancy_zero.yaml:5:5: staff[0].occupancy: must be above 0 and at most 1, that is above 0% and up to 100% (got 0)",
    ),
    case(
        "staffing_misspelt",
        "staffing_misspelt.yaml {V}",
        "invalid/staffing_misspelt.yaml:5:5: staff[0].staffing: expected 'peak' or 'month' (got 'peaks')",
    ),
    case(
        "retained_handle_minutes",
        "{IH} retained_handle_minutes.yaml",
        "invalid/retained_handle_minutes.yaml:7:5: retained_staff[0].headcount: required field is missing",
        "invalid/retained_handle_minutes.yaml:8:5: retained_staff[0].handle_minutes: unknown field; expected one of: role, headcount, annual_salary, benefits_rate, benefits_per_head_annual, time_off_days, attrition_rate, cost_per_hire",
    ),
    case(
        "benefit_two_amounts",
        "{IH} benefit_two_amounts.yaml",
        "invalid/benefit_two_amounts.yaml:9:5: benefits[0].amount: give only one of monthly, annual or amount (this benefit has monthly and amount: counting both would double it)",
    ),
    case(
        "benefit_month_with_monthly",
        "{IH} benefit_month_with_monthly.yaml",
        "invalid/benefit_month_with_monthly.yaml:9:5: benefits[0].month: only goes with amount, and this benefit is given as monthly",
    ),
    case(
        "benefit_after_horizon",
        "{IH} benefit_after_horizon.yaml",
        "invalid/benefit_after_horizon.yaml:9:5: benefits[0].from_month: must be within the horizon of 36 months, 1 to 36 (got 40)",
    ),
    case(
        "benefit_third_currency",
        "{IH} benefit_third_currency.yaml",
        "invalid/benefit_third_currency.yaml:12:5: benefits[0].currency: must be the analysis currency USD or the quote's PHP (got EUR); convert it to one of them",
    ),
    case(
        "scorecard_duplicate_criterion",
        "scorecard_duplicate_criterion.yaml {V}",
        "invalid/scorecard_duplicate_criterion.yaml:9:8: scorecard.criteria[1].name: another criterion has this name: give each its own (got 'Service quality')",
    ),
    case(
        "scorecard_min_above_scale",
        "scorecard_min_above_scale.yaml {V}",
        "invalid/scorecard_min_above_scale.yaml:8:3: scorecard.min_score: must be at most the scale (5) (got 7)",
    ),
    case(
        "scorecard_no_criteria",
        "scorecard_no_criteria.yaml {V}",
        "invalid/scorecard_no_criteria.yaml:7:3: scorecard.criteria: needs at least one entry",
    ),
    case(
        "scorecard_weight_zero",
        "scorecard_weight_zero.yaml {V}",
        "invalid/scorecard_weight_zero.yaml:8:31: scorecard.criteria[0].weight: must be above 0 (got 0)",
    ),
    case(
        "scorecard_in_house_missing_score",
        "scorecard_in_house_missing_score.yaml {V}",
        "invalid/scorecard_in_house_missing_score.yaml:10:3: scorecard.in_house: no score for Data security: score every criterion of the scorecard",
    ),
    case(
        "scores_without_scorecard",
        "{IH} scores_without_scorecard.yaml",
        "invalid/scores_without_scorecard.yaml:6:1: scores: scores need a scorecard in the in-house file (scorecard: with its criteria); add one there or remove these scores",
    ),
    case(
        "scores_missing",
        "scorecard_in_house.yaml {V}",
        "invalid/good_vendor.yaml:2:1: scores: required field is missing: the in-house file has a scorecard, so score each of its criteria (Service quality, Data security)",
    ),
    case(
        "scores_unknown_criterion",
        "scorecard_in_house.yaml scores_unknown_criterion.yaml",
        'invalid/scores_unknown_criterion.yaml:9:3: scores["Data securty"]: the scorecard has no such criterion; did you mean "Data security"?',
    ),
    case(
        "scores_missing_criterion",
        "scorecard_in_house.yaml scores_missing_criterion.yaml",
        "invalid/scores_missing_criterion.yaml:6:1: scores: no score for Data security: score every criterion of the scorecard",
    ),
    case(
        "score_above_scale",
        "scorecard_in_house.yaml score_above_scale.yaml",
        'invalid/score_above_scale.yaml:8:3: scores["Data security"]: must be from 0 to the scorecard\'s scale of 5 (got 6)',
    ),
    case(
        "score_negative",
        "scorecard_in_house.yaml score_negative.yaml",
        'invalid/score_negative.yaml:8:3: scores["Data security"]: must not be negative (got -1)',
    ),
    pytest.param(
        [
            "invalid/scorecard_in_house.yaml",
            "invalid/score_above_scale.yaml",
            "--set",
            'vendor.scores["Data security"]=7',
        ],
        [
            '--set vendor.scores["Data security"]=7: scores["Data security"]: must be from 0 to the scorecard\'s scale of 5 (got 7)'
        ],
        id="set_score_above_scale",
    ),
    pytest.param(
        [
            "invalid/scorecard_in_house.yaml",
            "invalid/score_above_scale.yaml",
            "--set",
            "vendor.scores[Data]=3",
        ],
        [
            "--set vendor.scores[Data]: not a path: '[Data]' (write e.g. in_house.staff[0].annual_salary, or vendor.scores[\"Data security\"] for a key that is not a plain name)"
        ],
        id="set_key_without_quotes",
    ),
    case(
        "errors_in_two_files",
        "negative_money.yaml charge_two_forms.yaml",
        "invalid/negative_money.yaml:5:5: staff[0].annual_salary: must not be negative (got -40000)",
        "invalid/charge_two_forms.yaml:6:5: pricing[0].per_unit: give only one of monthly, per_fte_month, per_hour, per_unit or tiers (this charge has monthly and per_unit); put each price in a charge of its own",
    ),
]


@pytest.mark.parametrize(("args", "stderr"), CASES)
def test_bad_input_exits_2_with_a_placed_message(args: list[str], stderr: list[str]) -> None:
    result = run("compare", *args)
    assert result.stderr.splitlines() == stderr
    assert result.exit_code == 2
    assert result.stdout == ""
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "args",
    [
        ["invalid/negative_money.yaml", "invalid/good_vendor.yaml"],
        ["invalid/good_in_house.yaml", "invalid/foreign_currency_no_fx.yaml"],
        ["invalid/unclosed_bracket.yaml", "invalid/good_vendor.yaml"],
        ["invalid/good_in_house.yaml", "invalid/good_vendor.yaml", "--set", "vendor.scope=2"],
    ],
    ids=["field", "both-files", "yaml-syntax", "set"],
)
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_bad_input_writes_no_output_file(args: list[str], fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"out.{fmt}"
    result = run("compare", *args, "--format", fmt, "--output", str(target))
    assert result.exit_code == 2, result.output
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either


def test_bad_input_leaves_an_existing_output_file_alone(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("last week's report\n")
    result = run(
        "compare", "invalid/negative_money.yaml", "invalid/good_vendor.yaml", "-o", str(target)
    )
    assert result.exit_code == 2
    assert target.read_text() == "last week's report\n"


def test_validate_reports_every_bad_file_and_exits_2() -> None:
    result = run(
        "validate", "invalid/good_in_house.yaml", "invalid/unknown_key.yaml", "invalid/nan.yaml"
    )
    assert result.exit_code == 2
    assert result.stdout == "invalid/good_in_house.yaml: ok (in-house file, 1 role(s), 10 FTE)\n"
    assert result.stderr.splitlines() == [
        'invalid/unknown_key.yaml:5:5: staff[0].anual_salary: unknown field; did you mean "annual_salary"?',
        "invalid/nan.yaml:4:16: staff[0].headcount: must be a finite number (got '.nan')",
    ]


def test_every_invalid_file_is_used() -> None:
    """A bad file no test reads proves nothing: each one appears in a case above."""
    used = {arg for param in CASES for arg in param.values[0]}
    files = {f"invalid/{p.name}" for p in (DATA / "invalid").iterdir()}
    assert files - used == set()
