"""Every command through the command line: compare, validate, schema, init.

Run in-process with typer's CliRunner, from the repository root, with rich pinned
to 100 columns and no colour (see conftest.py). Files are written to tmp_path only.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import EXAMPLES, Invoke, example_args

from outsourcecalc.scenarios.gates import as_printed, parse_gate

FORMATS = ["table", "json", "csv", "markdown"]
PAYROLL = example_args("payroll")
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
SPEC_TOP_KEYS = [
    "schema_version",
    "currency",
    "horizon_months",
    "discount_rate",
    "overrides",
    "notes",
    "in_house",
    "vendors",
    "recommendation",
]
SPEC_IN_HOUSE_KEYS = ["name", "tco", "npv", "score", "monthly", "breakdown"]
SPEC_VENDOR_KEYS = [
    "name",
    "tco",
    "npv",
    "savings",
    "savings_pct",
    "npv_savings",
    "investment",
    "roi",
    "irr",
    "payback_months",
    "discounted_payback_months",
    "break_even_price_change",
    "break_even_volume",
    "score",
    "monthly",
    "breakdown",
]


def compare_json(cli: Invoke, *args: str) -> dict[str, Any]:
    result = cli("compare", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def vendor(data: dict[str, Any], index: int = 0) -> dict[str, Any]:
    found: dict[str, Any] = data["vendors"][index]
    return found


# ---------------------------------------------------------------------- compare


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_compare_every_example_in_every_format(
    cli: Invoke, example: str, fmt: str, tmp_path: Path
) -> None:
    """stdout and --output give the same text; --monthly adds the month-by-month view."""
    args = [*example_args(example), "--format", fmt]
    plain = cli("compare", *args)
    assert plain.exit_code == 0, plain.output
    assert plain.stderr == ""
    monthly = cli("compare", *args, "--monthly")
    assert monthly.exit_code == 0, monthly.output
    target = tmp_path / f"report.{fmt}"
    written = cli("compare", *args, "--monthly", "--output", target)
    assert written.exit_code == 0, written.output
    assert written.stdout == ""
    assert target.read_text(encoding="utf-8") == monthly.stdout
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left

    horizon = json.loads(cli("compare", *example_args(example), "-f", "json").stdout)[
        "horizon_months"
    ]
    if fmt == "json":
        assert monthly.stdout == plain.stdout  # the JSON always holds the monthly streams
    elif fmt == "csv":
        header = monthly.stdout.splitlines()[0].split(",")
        assert header[-1] == f"month_{horizon}"
        assert "month_0" not in plain.stdout
    elif fmt == "markdown":
        assert "### Month by month" in monthly.stdout
        assert "### Month by month" not in plain.stdout
        assert f"\n| M{horizon} " in monthly.stdout  # the last month, by its number
    else:
        assert "Month by month" in monthly.stdout
        assert "Month by month" not in plain.stdout
        assert max(len(line) for line in monthly.stdout.splitlines()) <= 100


def test_json_is_byte_identical_run_to_run(cli: Invoke) -> None:
    args = ["compare", *example_args("contact_center"), "--format", "json"]
    first, second = cli(*args), cli(*args)
    assert first.exit_code == second.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_json_has_the_keys_of_spec_section_5(cli: Invoke, example: str) -> None:
    data = compare_json(cli, *example_args(example))
    assert list(data) == SPEC_TOP_KEYS
    assert data["schema_version"] == 2
    assert data["overrides"] == {} and data["notes"] == []
    assert len(data["vendors"]) == len(EXAMPLES[example])
    for v in data["vendors"]:
        assert list(v) == SPEC_VENDOR_KEYS
        assert len(v["monthly"]) == data["horizon_months"] + 1
    assert len(data["in_house"]["monthly"]) == data["horizon_months"] + 1
    assert data["recommendation"] in ["in-house", *(v["name"] for v in data["vendors"])]


def test_json_in_house_has_exactly_the_spec_keys(cli: Invoke) -> None:
    data = compare_json(cli, *PAYROLL)
    assert list(data["in_house"]) == SPEC_IN_HOUSE_KEYS


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_json_totals_agree_with_months_and_breakdown(cli: Invoke, example: str) -> None:
    """TCO is the sum of the monthly costs and of the breakdown (to the cent per entry)."""
    data = compare_json(cli, *example_args(example))
    options = [data["in_house"], *data["vendors"]]
    for option in options:
        months = option["monthly"]
        assert sum(months) == pytest.approx(option["tco"], abs=0.01 * len(months))
        parts = {k: x for k, x in option["breakdown"].items() if k != "paid_time_off"}
        assert sum(parts.values()) == pytest.approx(option["tco"], abs=0.01 * len(parts))


def payroll_fee_npv(extra_monthly_fee: float) -> float:
    """What `extra_monthly_fee` more a month adds to the payroll vendor's NPV, by hand.

    examples/payroll: 60 months at 7% a year; the fee escalates 5% a year and carries
    1% SLA credits, 5% governance and 3% risk reserve (cost factor 1.07).
    """
    monthly_rate = 1.07 ** (1 / 12) - 1
    return sum(
        extra_monthly_fee * 1.05 ** ((m - 1) // 12) * 1.07 * (1 + monthly_rate) ** -m
        for m in range(1, 61)
    )


@pytest.mark.parametrize("new_fee", ["24500", '"24,500"'])
def test_set_a_vendor_price_moves_npv_savings_by_the_hand_computed_amount(
    cli: Invoke, new_fee: str
) -> None:
    before = vendor(compare_json(cli, *PAYROLL))
    after = vendor(compare_json(cli, *PAYROLL, "--set", f"vendor.pricing[0].monthly={new_fee}"))
    expected_drop = payroll_fee_npv(1000.0)  # the quote says 23,500 a month
    assert before["npv_savings"] - after["npv_savings"] == pytest.approx(expected_drop, abs=0.02)
    assert after["npv"] - before["npv"] == pytest.approx(expected_drop, abs=0.02)


def test_set_on_the_in_house_side_and_several_at_once(cli: Invoke) -> None:
    before = compare_json(cli, *PAYROLL)
    after = compare_json(
        cli,
        *PAYROLL,
        "--set",
        "in_house.overheads[0].annual=0",
        "--set",
        "in_house.overheads[1].annual=0",
    )
    # 54,000 + 9,000 a year of avoidable software and filings, growing 2% a year, gone
    saved = sum(63_000 / 12 * 1.02 ** ((m - 1) // 12) for m in range(1, 61))
    assert before["in_house"]["tco"] - after["in_house"]["tco"] == pytest.approx(saved, abs=0.02)


def test_horizon_discount_rate_and_start_month_override_the_file(cli: Invoke) -> None:
    data = compare_json(cli, *PAYROLL, "--horizon", "24", "--discount-rate", "0")
    assert data["horizon_months"] == 24
    assert data["discount_rate"] == 0
    assert len(data["in_house"]["monthly"]) == 25
    for option in [data["in_house"], *data["vendors"]]:
        assert option["npv"] == pytest.approx(option["tco"], abs=0.01)  # nothing discounted

    as_percent = compare_json(cli, *PAYROLL, "--discount-rate", "8%")
    as_fraction = compare_json(cli, *PAYROLL, "--discount-rate", "0.08")
    assert as_percent == as_fraction
    assert as_percent["discount_rate"] == 0.08


def test_start_month_moves_the_season_only(cli: Invoke) -> None:
    """Payroll has no workload, so the calendar month changes nothing. The contact centre's
    seasonal volume shifts: over whole contract years every calendar month still comes
    round once (same TCO) but at another time (other NPV); over 30 months the totals move.
    """
    july_payroll = compare_json(cli, *PAYROLL, "--start-month", "7")
    assert july_payroll.pop("overrides") == {"analysis.start_month": 7}
    january_payroll = compare_json(cli, *PAYROLL)
    assert january_payroll.pop("overrides") == {}
    assert july_payroll == january_payroll
    centre = example_args("contact_center_v1")  # fixed headcounts: the same TCO
    january = compare_json(cli, *centre)["in_house"]
    july = compare_json(cli, *centre, "--start-month", "7")["in_house"]
    assert july["tco"] == pytest.approx(january["tco"], abs=0.01)
    assert july["npv"] != pytest.approx(january["npv"], abs=1)
    january = compare_json(cli, *centre, "--horizon", "30")["in_house"]
    july = compare_json(cli, *centre, "--horizon", "30", "--start-month", "7")["in_house"]
    assert july["breakdown"]["salaries"] == january["breakdown"]["salaries"]
    # starting in July, months 25..30 are July..December, the busy end of the year
    assert july["breakdown"]["variable"] > january["breakdown"]["variable"]


def test_fail_if_holds_exit_1_naming_the_vendor(cli: Invoke) -> None:
    result = cli("compare", *PAYROLL, "--format", "json", "--fail-if", "npv_savings<0")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["recommendation"] == "in-house"  # the report is printed
    (line,) = result.stderr.splitlines()
    assert line.startswith("fail-if npv_savings<0: holds for ClearPay Managed Payroll (npv_savings")
    assert line.endswith("(npv_savings = -279,697.96)")


def test_a_gate_on_a_rate_shows_the_value_as_a_percent(cli: Invoke) -> None:
    """`--fail-if roi<50%` is written in percents: the value is shown in them too (it was
    the fraction, roi = -2.2784302186), to 8 decimals, without float noise."""
    gates = ["roi<50%", "savings_pct<0", "break_even_price_change<0"]
    result = cli("compare", *PAYROLL, "-f", "json", *(f"--fail-if={g}" for g in gates))
    assert result.exit_code == 1
    vendor = json.loads(result.stdout)["vendors"][0]
    assert vendor["roi"] == -2.2784302186  # as JSON has it
    assert result.stderr.splitlines() == [
        "fail-if roi<50%: holds for ClearPay Managed Payroll (roi = -227.84302186%)",
        "fail-if savings_pct<0: holds for ClearPay Managed Payroll (savings_pct = -12.74361167%)",
        "fail-if break_even_price_change<0: holds for ClearPay Managed Payroll "
        "(break_even_price_change = -19.95973215%)",
    ]


def test_a_gate_compares_money_as_printed_to_the_cent(cli: Invoke) -> None:
    """`npv_savings==-279697.96`, the value compare prints, held for nothing: the gate
    compared the unrounded -279,697.9558. A result is rounded as printed (money to the
    cent, other results to their last printed digit), then compared."""
    npv = compare_json(cli, *PAYROLL)["vendors"][0]["npv_savings"]
    assert npv == -279697.96
    equal = cli("compare", *PAYROLL, "--fail-if", f"npv_savings=={npv}")
    assert equal.exit_code == 1, equal.output
    assert cli("compare", *PAYROLL, "--fail-if", f"npv_savings!={npv}").exit_code == 0
    assert cli("compare", *PAYROLL, "--fail-if", f"npv_savings<{npv}").exit_code == 0
    assert cli("compare", *PAYROLL, "--fail-if", f"npv_savings>={npv}").exit_code == 1
    assert cli("compare", *PAYROLL, "--fail-if", "npv_savings<-279697.95").exit_code == 1
    assert cli("compare", *PAYROLL, "--fail-if", "roi==-2.2784302186").exit_code == 1
    # a threshold finer than a cent: the printed value is below it, and so is the true one
    assert cli("compare", *PAYROLL, "--fail-if", "npv_savings<-279697.955").exit_code == 1
    assert cli("compare", *PAYROLL, "--fail-if", "npv_savings==-279697.955").exit_code == 0


@pytest.mark.parametrize(
    ("gate", "values", "held"),
    [
        ("npv_savings<0", [-0.004, -0.006, 0.0, math.nan], [False, True, False, False]),
        ("npv_savings==10", [10.004, 9.996, 10.006, 9.994], [True, True, False, False]),
        ("payback_months>18", [18.00000000001, 18.1, math.nan, 17.0], [False, True, True, False]),
        ("payback_months<=18", [math.nan, 18.00000000001, 18.1], [False, True, False]),
        ("irr<0.2", [0.19999999999999, 0.1999999, math.nan], [False, True, False]),
        ("break_even_volume>=100", [99.99996, 99.99994], [True, False]),
    ],
)
def test_a_gate_compares_a_result_rounded_as_printed(
    gate: str, values: list[float], held: list[bool]
) -> None:
    assert parse_gate(gate).holds_many(values).tolist() == held


def test_a_gate_rounds_as_python_prints_at_halves_and_beyond_2_to_52() -> None:
    """numpy's round gave 1.37 for 1.375 (printed 1.38) and -0.0 for -0.005 (printed -0.01,
    so npv_savings<0 did not hold beside a JSON saying -0.01)."""
    values = [1.375, 1.385, 247055.155, 514839.325, -0.005, 910183.5428571429, -279697.9558]
    assert as_printed(np.array(values), 2).tolist() == [round(x, 2) for x in values]
    assert as_printed(np.array(values), 10).tolist() == [round(x, 10) for x in values]
    assert parse_gate("npv_savings<0").holds(-0.005)
    assert not parse_gate("roi!=910183.5428571429").holds(910183.5428571429)


def test_fail_if_that_does_not_hold_exits_0(cli: Invoke) -> None:
    result = cli("compare", *PAYROLL, "--fail-if", "npv_savings<-1000000", "--fail-if", "roi>100")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_fail_if_null_payback_counts_as_never(cli: Invoke) -> None:
    """The payroll vendor never pays back (null): `payback_months>18` holds, `<18` does not."""
    assert compare_json(cli, *PAYROLL)["vendors"][0]["payback_months"] is None
    holds = cli("compare", *PAYROLL, "--fail-if", "payback_months>18")
    assert holds.exit_code == 1
    assert "holds for ClearPay Managed Payroll" in holds.stderr
    assert cli("compare", *PAYROLL, "--fail-if", "payback_months<18").exit_code == 0


def test_fail_if_names_only_the_vendors_it_holds_for(cli: Invoke) -> None:
    result = cli("compare", *example_args("contact_center"), "--fail-if", "npv_savings<0")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert "Heartland Contact Solutions (onshore)" in line
    assert "Bayanihan" not in line


def test_fail_if_still_writes_the_report(cli: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    result = cli("compare", *PAYROLL, "-f", "markdown", "-o", target, "--fail-if", "savings<0")
    assert result.exit_code == 1
    assert target.read_text(encoding="utf-8").startswith("## Payroll operations: make or buy")


def test_output_into_a_missing_folder_or_onto_a_folder_is_a_usage_error(
    cli: Invoke, tmp_path: Path
) -> None:
    missing = tmp_path / "no" / "report.json"
    result = cli("compare", *PAYROLL, "-o", missing)
    assert result.exit_code == 2
    assert result.stderr == f"--output {missing}: folder {missing.parent} does not exist\n"
    result = cli("compare", *PAYROLL, "-o", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"--output {tmp_path}: is a folder; give a file name\n"
    assert list(tmp_path.iterdir()) == []


def test_compare_without_a_vendor_is_a_usage_error(cli: Invoke) -> None:
    result = cli("compare", "examples/payroll/in_house.yaml")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# --------------------------------------------------------------------- validate

ALL_EXAMPLE_FILES = sorted(
    f"examples/{p.parent.name}/{p.name}"
    for p in (Path(__file__).resolve().parent.parent / "examples").glob("*/*.yaml")
)


def test_validate_every_example_file(cli: Invoke) -> None:
    result = cli("validate", *ALL_EXAMPLE_FILES)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "examples/contact_center/in_house.yaml: ok "
        "(in-house file, 4 role(s), 8 FTE fixed, 1 role(s) sized by the workload)",
        "examples/contact_center/vendor_offshore.yaml: ok (vendor file, 3 charge(s))",
        "examples/contact_center/vendor_onshore.yaml: ok (vendor file, 3 charge(s))",
        "examples/it_helpdesk/in_house.yaml: ok (in-house file, 4 role(s), 20 FTE)",
        "examples/it_helpdesk/vendor_hybrid.yaml: ok (vendor file, 2 charge(s))",
        "examples/it_helpdesk/vendor_tiered.yaml: ok (vendor file, 1 charge(s))",
        "examples/payroll/in_house.yaml: ok (in-house file, 3 role(s), 4 FTE)",
        "examples/payroll/vendor.yaml: ok (vendor file, 1 charge(s))",
        "examples/tax_season/in_house.yaml: ok "
        "(in-house file, 3 role(s), 3 FTE fixed, 2 role(s) sized by the workload)",
        "examples/tax_season/vendor.yaml: ok (vendor file, 2 charge(s))",
    ]


def test_validate_a_bad_file_exits_2(cli: Invoke) -> None:
    result = cli("validate", "examples/payroll/vendor.yaml", "tests/data/invalid/octal.yaml")
    assert result.exit_code == 2
    assert result.stdout == "examples/payroll/vendor.yaml: ok (vendor file, 1 charge(s))\n"
    assert result.stderr.startswith("tests/data/invalid/octal.yaml:4:16: staff[0].headcount: ")


# ----------------------------------------------------------------------- schema


def check_jsonschema() -> str:
    """The check-jsonschema CLI of this virtualenv (a dev dependency)."""
    found = Path(sys.executable).with_name("check-jsonschema")
    if found.exists():
        return str(found)
    on_path = shutil.which("check-jsonschema")
    if on_path is None:
        pytest.skip("check-jsonschema is not installed: pip install -e .[dev]")
    return on_path


@pytest.mark.parametrize(
    ("kind", "files"),
    [
        ("in-house", ["examples/*/in_house.yaml", "src/outsourcecalc/starter/in_house.yaml"]),
        ("vendor", ["examples/*/vendor*.yaml", "src/outsourcecalc/starter/vendor.yaml"]),
    ],
)
def test_schema_is_json_that_every_example_satisfies(
    cli: Invoke, in_repo: Path, tmp_path: Path, kind: str, files: list[str]
) -> None:
    result = cli("schema", kind)
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False  # a typo is an error in the editor too
    target = tmp_path / f"{kind}.schema.json"
    assert cli("schema", kind, "--output", target).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == schema

    paths = sorted(str(p) for pattern in files for p in in_repo.glob(pattern))
    assert len(paths) >= 2
    checked = subprocess.run(
        [check_jsonschema(), "--schemafile", str(target), *paths],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_schema_takes_both_spellings_of_the_in_house_kind(cli: Invoke) -> None:
    """`kind: in_house` in a file, `in-house` in the docs: either names the same schema."""
    dashed, underscored = cli("schema", "in-house"), cli("schema", "in_house")
    assert dashed.exit_code == underscored.exit_code == 0, underscored.output
    assert dashed.stdout == underscored.stdout


def test_help_says_where_to_start(cli: Invoke) -> None:
    result = cli("--help")
    assert "Start with `outsourcecalc init DIR`" in result.stdout


def test_schema_rejects_what_validate_rejects(cli: Invoke, tmp_path: Path) -> None:
    """The editor's schema catches the commonest mistakes too: a typo and a percent as 28."""
    target = tmp_path / "in-house.schema.json"
    assert cli("schema", "in-house", "-o", target).exit_code == 0
    bad = ["tests/data/invalid/unknown_key.yaml", "tests/data/invalid/benefits_percent.yaml"]
    for path in bad:
        checked = subprocess.run(
            [check_jsonschema(), "--schemafile", str(target), path],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert checked.returncode == 1, path


# ------------------------------------------------------------------------- init


def test_init_writes_a_pair_that_compares(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    result = cli("init", folder)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["in_house.yaml", "vendor.yaml"]
    assert result.stdout.splitlines()[-1] == (
        f"next: outsourcecalc compare {folder / 'in_house.yaml'} {folder / 'vendor.yaml'}"
    )
    assert cli("validate", folder / "in_house.yaml", folder / "vendor.yaml").exit_code == 0
    compared = cli("compare", folder / "in_house.yaml", folder / "vendor.yaml")
    assert compared.exit_code == 0, compared.output


def test_init_refuses_to_overwrite(cli: Invoke, tmp_path: Path) -> None:
    (tmp_path / "vendor.yaml").write_text("mine\n", encoding="utf-8")
    result = cli("init", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"init: will not overwrite {tmp_path / 'vendor.yaml'}\n"
    assert (tmp_path / "vendor.yaml").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "in_house.yaml").exists()


def test_many_vendors_at_80_columns_never_cut_a_figure(tmp_path: Path) -> None:
    """Six quotes do not fit beside each other in 80 columns: the tables come in groups
    of vendors instead, and every amount is shown whole (no '…')."""
    from typer.testing import CliRunner

    from outsourcecalc.cli import app

    folder = Path(__file__).resolve().parent.parent / "examples" / "contact_center"
    source = folder / "vendor_offshore.yaml"
    vendors = []
    for i in range(1, 7):
        text = source.read_text(encoding="utf-8")
        target = tmp_path / f"v{i}.yaml"
        target.write_text(text.replace("name: Bayanihan BPO (Manila)", f"name: Vendor {i}"))
        vendors.append(str(target))
    in_house = str(folder / "in_house.yaml")
    result = CliRunner().invoke(
        app, ["compare", in_house, *vendors], env={"COLUMNS": "80", "NO_COLOR": "1"}
    )
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    assert "(vendors 5-6 of 6)" in result.stdout
    # each vendor's NPV savings, whole, in its table; and once more in the verdict sentence
    assert result.stdout.count("$6,036,853") == 7
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_set_one_season_in_a_file_without_seasonality(cli: Invoke, tmp_path: Path) -> None:
    """seasonality defaults to twelve 1s: setting one month starts from that default."""
    from test_starter import starter_without_seasonality

    files = [str(p) for p in starter_without_seasonality(tmp_path)]
    flat = compare_json(cli, *files)
    busy = compare_json(cli, *files, "--set", "in_house.workload.seasonality[3]=1.5")
    explicit = compare_json(
        cli, *files, "--set", "in_house.workload.seasonality=[1,1,1,1.5,1,1,1,1,1,1,1,1]"
    )
    assert busy["vendors"][0]["npv_savings"] == explicit["vendors"][0]["npv_savings"]
    assert busy["vendors"][0]["npv_savings"] != flat["vendors"][0]["npv_savings"]


def test_verdict_never_asks_for_a_price_cut_beyond_100_percent(cli: Invoke) -> None:
    """With twelve retained staff the payroll quote loses even at no charge."""
    result = cli("compare", *PAYROLL, "--set", "vendor.retained_staff[0].headcount=12")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "no price cut makes it pay: even free of charge it costs more" in text
    assert "would have to fall" not in text


def test_notes_reach_stderr_for_json_and_sweeps(cli: Invoke, tmp_path: Path) -> None:
    """A cost dated after the horizon is left out; json users must still be told."""
    late = tmp_path / "late.yaml"
    late.write_text(
        "name: Late\npricing:\n  - {name: fee, monthly: 1000}\ntransition:\n"
        "  costs:\n    - {name: Severance, amount: 40000, month: 99}\n"
    )
    note = "note: Late: transition cost 'Severance' (month 99) is after the 60-month horizon"
    result = cli("compare", PAYROLL[0], str(late), "--format", "json")
    assert result.exit_code == 0 and note in result.stderr
    json.loads(result.stdout)  # stdout stays pure JSON
    swept = cli("sweep", PAYROLL[0], str(late), "--vary", "vendor.scope=0.5,1", "--summary")
    assert swept.exit_code == 0 and note in swept.stderr


def test_an_upside_down_exchange_rate_is_pointed_out(cli: Invoke, tmp_path: Path) -> None:
    """83.5 is INR per USD; fx_rate wants USD per INR (0.012)."""
    quote = tmp_path / "inr.yaml"
    quote.write_text(
        "name: Pune\ncurrency: INR\nfx_rate: 83.5\npricing:\n  - {name: fee, monthly: 2000000}\n"
    )
    result = cli("compare", PAYROLL[0], str(quote))
    assert result.exit_code == 0, result.output
    assert "check fx_rate (83.5): it is USD per 1 INR" in " ".join(result.stdout.split())


def test_a_vendor_path_that_breaks_another_vendor_says_how_to_target_one(cli: Invoke) -> None:
    """vendor.pricing[0].per_fte_month fits the offshore quote but not the per-hour one."""
    folder = Path(__file__).resolve().parent.parent / "examples" / "contact_center"
    files = [
        str(folder / n) for n in ("in_house.yaml", "vendor_offshore.yaml", "vendor_onshore.yaml")
    ]
    hint = "a vendor. path changes every vendor file; write vendor[0]., vendor[1]., ..."
    for option in ("--set", "--vary"):
        command = "compare" if option == "--set" else "sweep"
        result = cli(command, *files, option, "vendor.pricing[0].per_fte_month=90000")
        assert result.exit_code == 2
        assert hint in result.stderr, result.stderr
    ok = cli("compare", *files, "--set", "vendor[0].pricing[0].per_fte_month=90000")
    assert ok.exit_code == 0, ok.output


def test_version(cli: Invoke) -> None:
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("outsourcecalc 0.")
    assert result.stdout.rstrip().endswith("(contract v2)")


def test_validate_hints_at_a_missing_exchange_rate(cli: Invoke, tmp_path: Path) -> None:
    quote = tmp_path / "inr.yaml"
    quote.write_text("name: Pune\ncurrency: INR\npricing:\n  - {name: fee, monthly: 2000000}\n")
    result = cli("validate", str(quote))
    assert result.exit_code == 0
    assert "quoted in INR without fx_rate: fine only if the in-house file's currency is INR" in (
        result.stdout
    )


@pytest.mark.parametrize(
    ("name", "starts"), [("r.json", "{\n"), ("r.csv", "option,name,"), ("r.md", "## ")]
)
def test_the_output_extension_names_the_format(
    cli: Invoke, tmp_path: Path, name: str, starts: str
) -> None:
    """`-o result.json` wrote a table into a .json file, which --baseline then refused."""
    target = tmp_path / name
    files = ["examples/payroll/in_house.yaml", "examples/payroll/vendor.yaml"]
    assert cli("compare", *files, "-o", target).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith(starts)


def test_a_format_that_contradicts_the_extension_is_refused(cli: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    files = ["examples/payroll/in_house.yaml", "examples/payroll/vendor.yaml"]
    result = cli("compare", *files, "-f", "table", "-o", target)
    assert result.exit_code == 2
    assert "the file's extension says json" in result.output
    assert not target.exists()


ENTRY = """
import os, sys
sys.argv = ["outsourcecalc", "--version"]
import outsourcecalc
print("numpy" in sys.modules)  # importing the package loads nothing
from outsourcecalc.__main__ import run
try:
    run()
except SystemExit:
    pass
threads = len(os.listdir("/proc/self/task"))
print(os.environ["OPENBLAS_NUM_THREADS"], "numpy" in sys.modules, threads)
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
@pytest.mark.parametrize("asked", [None, "2"])
def test_the_command_line_runs_numpy_on_one_thread_unless_told(asked: str | None) -> None:
    """numpy's OpenBLAS starts a spinning thread per core on import; the engine never
    calls BLAS, so the command line loads numpy with one: a process of one thread. A
    value the user set is kept."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if asked is not None:
        env["OPENBLAS_NUM_THREADS"] = asked
    done = subprocess.run(
        [sys.executable, "-c", ENTRY], capture_output=True, text=True, env=env, check=True
    )
    lines = done.stdout.splitlines()
    assert lines[0] == "False"
    assert lines[1].startswith("outsourcecalc ")
    threads, loaded, tasks = lines[2].split()
    assert (threads, loaded) == (asked or "1", "True")
    if asked is None:
        assert tasks == "1"


@pytest.mark.parametrize(
    ("command", "option", "spec"),
    [
        ("compare", "--set", "vendor.name=Clear\nPay"),
        ("compare", "--set", 'vendor.name="Clear\r\nPay"'),
        ("sweep", "--vary", "vendor.scope=0.5,\n0.6"),
        ("simulate", "--uncertain", "vendor.scope=uniform(0.5,\n0.6)"),
        ("compare", "--set", "vendor.name=Clear\u2028Pay"),
        ("sweep", "--vary", "vendor.scope=0.5,\x850.6"),
    ],
)
def test_a_line_break_in_an_assignment_is_refused(
    cli: Invoke, command: str, option: str, spec: str
) -> None:
    """YAML folded a --set value's line break into a space unseen ("Clear Pay"), and
    csv.reader raised on a --vary list's, a traceback."""
    result = cli(command, *example_args("payroll"), option, spec)
    assert result.exit_code == 2, result.output
    assert result.stderr.endswith(": is one line: it holds a line break; remove it\n")
    assert result.stderr.startswith(f"{option} ") and result.stdout == ""


@pytest.mark.parametrize("command", ["compare", "sweep", "simulate", "sensitivity", "report"])
def test_help_shows_the_defaults_written_in_brackets(cli: Invoke, command: str) -> None:
    """rich read "[default: today]" in a help text as a style tag and dropped it, leaving
    "Output format ." and "processes ;": the brackets are escaped."""
    result = cli(command, "--help")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.replace("│", " ").split())
    assert re.findall(r"\w [.;](?: |$)", text) == []  # "format ." where a default was
    shown = "footer [default: today]." if command == "report" else "Output format [default:"
    assert shown in text


def test_an_entry_listed_twice_is_counted_twice_with_a_note(cli: Invoke, tmp_path: Path) -> None:
    """A copied overhead line doubles a cost without a word; now the run says so (and
    --strict fails it), while the arithmetic stays what the file says."""
    text = (EXAMPLES_DIR / "payroll" / "in_house.yaml").read_text(encoding="utf-8")
    line = "  - {name: Cloud payroll engine subscription, annual: 54000, avoidable: true}\n"
    doubled = tmp_path / "in_house.yaml"
    doubled.write_text(text.replace("overheads:\n", "overheads:\n" + line, 1), "utf-8")
    vendor = EXAMPLES_DIR / "payroll" / "vendor.yaml"
    once = json.loads(cli("compare", *PAYROLL, "-f", "json").stdout)
    result = cli("compare", doubled, vendor, "-f", "json")
    assert result.exit_code == 0, result.output
    twice = json.loads(result.stdout)
    note = (
        "in-house: overhead 'Cloud payroll engine subscription' is listed twice with the "
        "same figures; both are counted (remove one if it was copied by mistake)"
    )
    assert twice["notes"] == [note]
    extra = twice["in_house"]["breakdown"]["overheads"] - once["in_house"]["breakdown"]["overheads"]
    # five years of the copy, rising with the file's 2% inflation
    assert extra == pytest.approx(sum(54_000 * 1.02**year for year in range(5)), abs=0.02)
    assert cli("compare", doubled, vendor, "--strict", "-f", "json").exit_code == 1
    # validate gives the note for the file on its own too, and --strict fails it there
    alone = cli("validate", doubled)
    assert alone.exit_code == 0, alone.output
    assert "listed twice with the same figures" in alone.output
    assert cli("validate", doubled, "--strict").exit_code == 1
