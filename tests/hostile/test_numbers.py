"""Numbers that are not numbers: every amount and count has a sane maximum, every
result printed is finite, and nothing numpy says reaches stderr."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from outsourcecalc.cli import app

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "contact_center_v1"
FILES = [str(EXAMPLES / "in_house.yaml"), str(EXAMPLES / "vendor_offshore.yaml")]


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("in_house.staff[0].annual_salary=1e308", "must be at most 1,000,000,000,000,000"),
        ("in_house.staff[0].headcount=1e300", "must be at most 1,000,000,000"),
        ("vendor.fx_rate=1e308", "must be at most 1,000,000,000"),
        ("in_house.workload.monthly_volume=2e9", "must be at most 1,000,000,000"),
    ],
)
def test_huge_inputs_are_refused(assignment: str, message: str) -> None:
    result = CliRunner().invoke(app, ["compare", *FILES, "--set", assignment, "-f", "json"])
    assert result.exit_code == 2
    assert message in result.output
    assert f"--set {assignment}" in result.output


def test_huge_draws_are_refused() -> None:
    args = [
        "simulate",
        *FILES,
        "--uncertain",
        "in_house.staff[0].annual_salary=normal(1e300,1e300)",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "lies mostly outside the field's valid range [0, 1e+15]" in result.output


@pytest.mark.parametrize(
    "distribution",
    ["uniform(-1e308, 1e308)", "triangular(-1e308, 0, 1e308)", "pert(-1e308, 0, 1e308)"],
)
def test_a_range_too_wide_to_draw_from_is_refused(distribution: str) -> None:
    """uniform(-1e308, 1e308): numpy's uniform raised OverflowError (a traceback, exit 1),
    as the width 2e308 is not a float."""
    path = "in_house.staff[0].annual_salary"
    result = CliRunner().invoke(app, ["simulate", *FILES, "--uncertain", f"{path}={distribution}"])
    assert result.exit_code == 2, result.output
    name = distribution.split("(")[0]
    assert (
        f"--uncertain {path}={distribution}: {name}: the range from low (-1e308) to high "
        "(1e308) is too wide to draw from: its width is not a finite number"
    ) in " ".join(result.output.split())
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("path", "distribution"),
    [
        ("in_house.staff[0].annual_salary", "pert(0, 1, 1e308)"),  # drew 0 every time, exit 0
        ("in_house.one_time[0].month", "normal(0, 1e308)"),  # OverflowError traceback
        ("in_house.one_time[0].month", "uniform(0, 1e308)"),  # "inf" in JSON: a traceback
    ],
)
def test_draws_beyond_any_amount_are_refused(path: str, distribution: str) -> None:
    """A field with no upper end (a month) takes no draw beyond 1e15, money's maximum."""
    args = ["simulate", *FILES, "--uncertain", f"{path}={distribution}", "-f", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "lies mostly outside the field's valid range [0, 1e+15]" in result.output
    assert "Traceback" not in result.output


def test_totals_beyond_the_cent_are_refused() -> None:
    """A 1e15 salary for 1e9 heads growing 100% a year for 50 years comes to 1.4e39: a
    float holds it, but not to the cent (beyond 2**53 cents). Refused, exit 2, no trace."""
    sets = [
        "in_house.staff[0].annual_salary=1e15",
        "in_house.staff[0].headcount=1e9",
        "in_house.salary_growth=100%",
    ]
    args = ["compare", *FILES, "--horizon", "600", "-f", "json"]
    for s in sets:
        args += ["--set", s]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "the costs come to more than 90,071,992,547,410 over the horizon" in result.output
    assert "Traceback" not in result.output


def test_totals_beyond_the_cent_name_the_file_whose_total_it_is_and_the_set() -> None:
    """A vendor fee set to 1e13 a month blamed the in-house file, fine on its own: the
    message names the vendor's file and the --set that made its total too large."""
    payroll = V2.parent / "payroll"
    args = ["compare", str(payroll / "in_house.yaml"), str(payroll / "vendor.yaml")]
    result = CliRunner().invoke(app, [*args, "--set", "vendor.pricing[0].monthly=1e13"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        f"{payroll / 'vendor.yaml'} with --set vendor.pricing[0].monthly=10000000000000: "
        "the costs come to more than 90,071,992,547,410 over the horizon"
    )


def test_the_largest_totals_kept_to_the_cent_are_answered() -> None:
    """Just under the bound (a 1e12 salary for 100 heads over 60 months: 5e14 a year, 2.5e15
    in all... too much; 1e10 x 100 x 5 years = 5e12) the answer is whole and finite."""
    args = ["compare", *FILES, "--horizon", "60", "-f", "json"]
    for s in ("in_house.staff[0].annual_salary=1e10", "in_house.staff[0].headcount=100"):
        args += ["--set", s]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)  # stderr is mixed in: a numpy warning would break it
    assert 5e12 < data["in_house"]["tco"] < 2.0**53 / 100
    assert all(math.isfinite(v["npv_savings"]) for v in data["vendors"])


V2 = Path(__file__).resolve().parents[2] / "examples" / "contact_center"


@pytest.mark.parametrize("command", ["compare", "sweep"])
def test_a_team_beyond_any_operation_is_refused(command: str) -> None:
    """Occupancy 1e-300 is within (0, 1], but the team it implies is not a number anyone
    could staff: exit 2 naming the role and what to check, no infinity, no numpy warning."""
    files = [str(V2 / "in_house.yaml"), str(V2 / "vendor_onshore.yaml")]
    if command == "compare":
        args = ["compare", *files, "--set", "in_house.staff[0].occupancy=1e-300", "-f", "json"]
    else:
        args = ["sweep", *files, "--vary", "in_house.staff[0].occupancy=1e-300,0.5"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    # compare names the file; a sweep names the point, the file being fine on its own
    where = (
        "in_house.yaml with --set in_house.staff[0].occupancy=1e-300"
        if command == "compare"
        else "at in_house.staff[0].occupancy=1e-300"
    )
    assert result.output.endswith(
        f"{where}: staff: the team that Agent needs comes to more than 1,000,000,000 "
        "FTE, beyond any real operation; check handle_minutes, occupancy and monthly_volume\n"
    )
    assert "Warning" not in result.output


def test_a_point_beyond_names_every_varied_input_even_one_fixed_per_run() -> None:
    """The horizon is one value per run of a sweep, not one per point: naming the point
    read it as a column (an IndexError traceback); a value is written as it was typed,
    123456789012 rather than 1.23456789e+11."""
    files = [str(V2 / "in_house.yaml"), str(V2 / "vendor_onshore.yaml")]
    varied = ["analysis.horizon_months=24,36", "in_house.staff[0].occupancy=0.8,1e-300"]
    args = ["sweep", *files, *(a for v in varied for a in ("--vary", v))]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        "at analysis.horizon_months=24, in_house.staff[0].occupancy=1e-300: staff: the team"
    )
    payroll = [
        str(V2.parent / "payroll" / "in_house.yaml"),
        str(V2.parent / "payroll" / "vendor.yaml"),
    ]
    big = ["sweep", *payroll, "--vary", "vendor.pricing[0].monthly=5000,12345678901234"]
    result = CliRunner().invoke(app, big)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("at vendor.pricing[0].monthly=12345678901234: ")


@pytest.mark.parametrize(
    ("args", "point"),
    [
        (["sweep", "--vary", "vendor.pricing[0].monthly=5000,1e13", "-f", "csv"],
         "vendor.pricing[0].monthly=10000000000000"),
        (["sweep", "--vary", "vendor.pricing[0].monthly=5000,1e13", "-f", "json"],
         "vendor.pricing[0].monthly=10000000000000"),
        (["sweep", "--vary", "vendor.pricing[0].monthly=5000,1e13", "-f", "csv", "-o", "-"],
         "vendor.pricing[0].monthly=10000000000000"),
        (["simulate", "--uncertain", "vendor.pricing[0].monthly=uniform(1e13, 2e13)",
          "--trials", "50", "-f", "csv"], "vendor.pricing[0].monthly=16369616873214.543"),
    ],
)  # fmt: skip
def test_a_point_beyond_the_cent_names_the_point_and_writes_nothing(
    args: list[str], point: str
) -> None:
    """Totals past 2**53 cents at one point of a sweep or one trial: the files are fine
    on their own, so the message names the point (it blamed in_house.yaml), and stdout
    stays empty (a lone CSV header or JSON head was written before, and with -o - still
    was)."""
    command, *options = args
    payroll = V2.parent / "payroll"
    files = [str(payroll / "in_house.yaml"), str(payroll / "vendor.yaml")]
    result = CliRunner().invoke(app, [command, *files, *options])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f"at {point}: the costs come to more than 90,071,992,547,410 over the horizon, beyond "
        "which a total cannot be kept to the cent; check the amounts, the growth rates and "
        "horizon_months\n"
    )
