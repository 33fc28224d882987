"""Nothing misleads (issue 10): every view says which scenario it shows, every command gives
the notes on its inputs, and --strict turns a note into exit code 1.

The payroll example's first role is the Payroll manager at $92,000 a year over a 60-month
horizon; `--set in_house.staff[0].annual_salary=45,000 --horizon 48` changes both, and
every format must say so. A copy whose vendor quotes in INR with `fx_rate: 84.5` (INR per
USD, the wrong way round: the contract wants USD per 1 INR, about 0.0118) prices the
$23,500 monthly fee at about $2M a month, over 20 times the whole in-house cost.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, Invoke, example_args

import outsourcecalc
from outsourcecalc.inputs.overrides import Override
from outsourcecalc.render.words import scenario_line

PAYROLL = example_args("payroll")
CHANGES = ["--set", "in_house.staff[0].annual_salary=45,000", "--horizon", "48"]
LINE = (
    "scenario: horizon = 48 months (file: 60 months); "
    "annual salary of Payroll manager = $45,000 (file: $92,000)"
)
FX_NOTE = (
    "ClearPay Managed Payroll: the fees come to over 20 times the whole in-house cost; "
    "check fx_rate (84.5): it is USD per 1 INR, not the other way round"
)


def flat(text: str) -> str:
    """Text with its line breaks and runs of blanks as one space (a wrapped line rejoined)."""
    return " ".join(text.split())


@pytest.fixture
def inverted(tmp_path: Path) -> list[str]:
    """The payroll example with its vendor quoting in INR at an inverted rate."""
    source = ROOT / "examples" / "payroll"
    (tmp_path / "in_house.yaml").write_text((source / "in_house.yaml").read_text())
    vendor = (source / "vendor.yaml").read_text()
    vendor, count = re.subn(r"(?m)^currency: USD.*$", "currency: INR\nfx_rate: 84.5", vendor)
    assert count == 1
    (tmp_path / "vendor.yaml").write_text(vendor)
    return [str(tmp_path / "in_house.yaml"), str(tmp_path / "vendor.yaml")]


# -- the scenario line in every view -------------------------------------------------


def test_the_line_names_each_change_with_the_files_value(in_repo: Path) -> None:
    case = outsourcecalc.load(
        PAYROLL[0], PAYROLL[1:], ["in_house.staff[0].annual_salary=45,000"], horizon_months=48
    )
    assert case.overrides == (
        ("analysis.horizon_months", 48),
        ("in_house.staff[0].annual_salary", 45000.0),
    )
    assert scenario_line(outsourcecalc.compare(case).scenario) == LINE


def test_rates_read_as_percents_and_a_path_for_every_vendor_names_them_all(in_repo: Path) -> None:
    args = example_args("contact_center")
    sets = ["analysis.discount_rate=9.5%", "vendor.governance_rate=6%", "vendor[1].fx_rate=0.02"]
    case = outsourcecalc.load(args[0], args[1:], sets)
    line = scenario_line(outsourcecalc.compare(case).scenario)
    assert line == (
        "scenario: discount rate = 9.5% (file: 8%); governance rate of every vendor = 6%; "
        "exchange rate of Bayanihan BPO (Manila) = 0.02 (file: 0.0175)"
    )


def test_a_value_the_file_leaves_out_has_no_file_value() -> None:
    o = Override("analysis.start_month", "start month", 7, "month")
    assert scenario_line([o]) == "scenario: start month = 7"
    assert scenario_line([]) == ""


def test_table(cli: Invoke) -> None:
    result = cli("compare", *PAYROLL, *CHANGES)
    assert result.exit_code == 0, result.output
    assert flat(result.stdout).startswith(LINE + " Payroll operations: 48 months, USD")


def test_markdown(cli: Invoke) -> None:
    result = cli("compare", *PAYROLL, *CHANGES, "-f", "markdown")
    assert result.exit_code == 0, result.output
    head = result.stdout.split("\n\n")[:3]
    assert head == [
        "## Payroll operations: make or buy",
        "48 months, USD, discount rate 7%.",
        LINE,
    ]


def test_csv_has_a_scenario_column_on_every_row(cli: Invoke) -> None:
    result = cli("compare", *PAYROLL, *CHANGES, "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["option"] for r in rows] == ["in_house", "vendor"]
    assert {r["scenario"] for r in rows} == {LINE.removeprefix("scenario: ")}
    assert rows[0]["tco"] == "1699878.38"  # the changed case's figure, not the file's


def test_json_records_the_overrides_as_validated(cli: Invoke) -> None:
    result = cli("compare", *PAYROLL, *CHANGES, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["overrides"] == {
        "analysis.horizon_months": 48,
        "in_house.staff[0].annual_salary": 45000.0,
    }
    assert data["horizon_months"] == 48
    assert data["in_house"]["tco"] == 1699878.38


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_a_run_without_changes_says_nothing_extra(cli: Invoke, fmt: str) -> None:
    for args in (
        ["compare", *PAYROLL],
        ["sweep", *PAYROLL, "--vary", "analysis.discount_rate=5%;6%"],
        ["sensitivity", *PAYROLL],
        ["simulate", *PAYROLL, "--uncertain", "vendor.annual_escalation=uniform(3%, 6%)",
         "--trials", "20"],
    ):  # fmt: skip
        result = cli(*args, "-f", fmt)
        assert result.exit_code == 0, result.output
        assert "scenario" not in result.stdout
        assert "scenario" not in result.stderr


SCENARIO_RUNS = {
    "sweep": ["--vary", "analysis.discount_rate=5%;6%"],
    "sensitivity": ["--only", "vendor.pricing[0].monthly"],
    "simulate": ["--uncertain", "vendor.annual_escalation=uniform(3%, 6%)", "--trials", "20"],
}


@pytest.mark.parametrize("command", sorted(SCENARIO_RUNS))
def test_scenario_commands_say_it_in_every_format(cli: Invoke, command: str) -> None:
    args = [command, *PAYROLL, *SCENARIO_RUNS[command], *CHANGES]
    table = cli(*args)
    assert table.exit_code == 0, table.output
    assert flat(table.stdout).startswith(LINE)
    markdown = cli(*args, "-f", "markdown")
    assert f"\n{LINE}\n" in f"\n{markdown.stdout}"  # a paragraph of its own
    rows = list(csv.DictReader(io.StringIO(cli(*args, "-f", "csv").stdout)))
    assert rows and {r["scenario"] for r in rows} == {LINE.removeprefix("scenario: ")}
    data = json.loads(cli(*args, "-f", "json").stdout)
    assert data["overrides"] == {
        "analysis.horizon_months": 48,
        "in_house.staff[0].annual_salary": 45000.0,
    }
    assert data["notes"] == []


def test_sweep_summary_and_baseline_csv_say_it_too(cli: Invoke, tmp_path: Path) -> None:
    summary = cli("sweep", *PAYROLL, *SCENARIO_RUNS["sweep"], *CHANGES, "--summary", "-f", "csv")
    assert summary.exit_code == 0, summary.output
    rows = list(csv.DictReader(io.StringIO(summary.stdout)))
    assert rows[0]["scenario"] == LINE.removeprefix("scenario: ")
    previous = tmp_path / "previous.json"
    assert cli("compare", *PAYROLL, "-o", previous).exit_code == 0
    changes = cli("compare", *PAYROLL, *CHANGES, "--baseline", previous, "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(changes.stdout)))
    assert {r["scenario"] for r in rows} == {LINE.removeprefix("scenario: ")}
    assert next(r for r in rows if r["key"] == "horizon_months")["new"] == "48"


def test_sweep_json_streamed_is_the_dict(cli: Invoke) -> None:
    case = outsourcecalc.load(PAYROLL[0], PAYROLL[1:], CHANGES[1:2])
    sweep = outsourcecalc.sweep(case, "analysis.discount_rate=5%;6%")
    result = cli("sweep", *PAYROLL, *SCENARIO_RUNS["sweep"], *CHANGES[:2], "-f", "json")
    assert json.loads(result.stdout) == sweep.to_dict()
    assert list(sweep.to_dict()) == ["paths", "axes", "overrides", "notes", "rows"]


def test_chart_subtitle(cli: Invoke, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "tornado.svg"
    args = ["sensitivity", *PAYROLL, *SCENARIO_RUNS["sensitivity"], *CHANGES]
    result = cli(*args, "--chart", path)
    assert result.exit_code == 0, result.output
    root = ET.parse(path).getroot()
    text = " ".join(" ".join("".join(e.itertext()).split()) for e in root.iter())
    assert LINE in text


def test_workbook_header(cli: Invoke, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "model.xlsx"
    result = cli("export", *PAYROLL, *CHANGES, "--xlsx", path)
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(path)["Summary"]
    assert sheet["A3"].value == LINE + " (orange cells on Inputs)"
    plain = tmp_path / "plain.xlsx"
    assert cli("export", *PAYROLL, "--xlsx", plain).exit_code == 0
    assert openpyxl.load_workbook(plain)["Summary"]["A3"].value is None


# -- the notes reach every command, and --strict ---------------------------------------


def test_compare_json_notes_it_once(cli: Invoke, inverted: list[str]) -> None:
    result = cli("compare", *inverted, "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["notes"] == [FX_NOTE]
    assert result.stderr == f"note: {FX_NOTE}\n"


def test_the_note_is_the_cases(inverted: list[str]) -> None:
    case = outsourcecalc.load(inverted[0], inverted[1:])
    assert case.notes == (FX_NOTE,)
    assert outsourcecalc.validate_files(inverted).notes == [FX_NOTE]
    # a file on its own has no in-house cost to compare the fees with
    assert outsourcecalc.validate_files(inverted[1:]).notes == []


COMMANDS = {
    "validate": [],
    "sweep": SCENARIO_RUNS["sweep"],
    "sensitivity": SCENARIO_RUNS["sensitivity"],
    "simulate": [*SCENARIO_RUNS["simulate"], "-f", "json"],
    "export": ["--xlsx", "{tmp}/model.xlsx"],
    "compare": ["-f", "csv"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_prints_the_note_and_strict_fails(
    cli: Invoke, inverted: list[str], tmp_path: Path, command: str
) -> None:
    if command == "export":
        pytest.importorskip("xlsxwriter")
    args = [command, *inverted, *(a.format(tmp=tmp_path) for a in COMMANDS[command])]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert f"note: {FX_NOTE}\n" in result.stderr
    strict = cli(*args, "--strict")
    assert strict.exit_code == 1, strict.output
    assert strict.stdout == result.stdout  # the output is still written
    assert strict.stderr.endswith(
        "--strict: the run gave 1 note; --strict turns notes into a failure\n"
    )


@pytest.mark.parametrize("command", ["sensitivity", "simulate"])
def test_scenario_json_lists_the_notes(cli: Invoke, inverted: list[str], command: str) -> None:
    result = cli(command, *inverted, *SCENARIO_RUNS[command], "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["notes"] == [FX_NOTE]


def test_strict_without_notes_passes(cli: Invoke) -> None:
    for args in (["compare", *PAYROLL], ["validate", *PAYROLL]):
        result = cli(*args, "--strict")
        assert result.exit_code == 0, result.output
        assert "--strict" not in result.stderr


def test_bad_input_still_exits_2_under_strict(cli: Invoke, inverted: list[str]) -> None:
    result = cli("compare", *inverted, "--strict", "--horizon", "0")
    assert result.exit_code == 2, result.output
    assert "--strict" not in result.stderr


def test_strict_and_a_gate_both_fail_with_1(cli: Invoke, inverted: list[str]) -> None:
    result = cli("compare", *inverted, "--strict", "--fail-if", "npv_savings<0", "-f", "json")
    assert result.exit_code == 1, result.output
    assert "fail-if npv_savings<0: holds for ClearPay Managed Payroll" in result.stderr
    assert "--strict turns notes into a failure" in result.stderr


def test_monthly_csv_rows_keep_their_columns(cli: Invoke) -> None:
    result = cli("compare", *PAYROLL, *CHANGES, "--monthly", "-f", "csv")
    assert result.exit_code == 0, result.output
    header, *rows = list(csv.reader(io.StringIO(result.stdout)))
    assert header[-2:] == ["month_48", "scenario"]
    assert {len(r) for r in rows} == {len(header)}
    assert {r[-1] for r in rows} == {LINE.removeprefix("scenario: ")}
    savings = next(r for r in rows if r[0] == "savings")
    assert savings[header.index("month_0")] != ""


def test_simulate_shards_join_into_the_whole_csv(cli: Invoke) -> None:
    args = ["simulate", *PAYROLL, *SCENARIO_RUNS["simulate"], *CHANGES, "-f", "csv"]
    whole = cli(*args)
    shards = [cli(*args, "--shard", f"{k}/2") for k in (1, 2)]
    assert all(r.exit_code == 0 for r in (whole, *shards)), whole.output
    assert "".join(r.stdout for r in shards) == whole.stdout
    assert whole.stdout.splitlines()[0].endswith(",scenario")
