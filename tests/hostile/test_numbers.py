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


def test_the_largest_allowed_inputs_give_finite_results() -> None:
    """A 1e15 salary for 1e9 heads growing 100% a year for 50 years: 1.4e39, finite."""
    sets = [
        "in_house.staff[0].annual_salary=1e15",
        "in_house.staff[0].headcount=1e9",
        "in_house.salary_growth=100%",
    ]
    args = ["compare", *FILES, "--horizon", "600", "-f", "json"]
    for s in sets:
        args += ["--set", s]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)  # stderr is mixed in: a numpy warning would break it

    def numbers(x: object) -> list[float]:
        if isinstance(x, dict):
            return [n for v in x.values() for n in numbers(v)]
        if isinstance(x, list):
            return [n for v in x for n in numbers(v)]
        return [float(x)] if isinstance(x, int | float) and not isinstance(x, bool) else []

    assert all(math.isfinite(n) for n in numbers(data))
    assert data["in_house"]["tco"] > 1e39


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
    assert result.output.endswith(
        "in_house.yaml: staff: the team that Agent needs comes to more than 1,000,000,000 "
        "FTE, beyond any real operation; check handle_minutes, occupancy and monthly_volume\n"
    )
    assert "Warning" not in result.output
