"""Sensitivity: each move and each flip value checked against `compare --set` at that value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import outsourcecalc
from outsourcecalc.cli import app
from outsourcecalc.scenarios.sensitivity import sensitivity

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples"
CC = Path(__file__).resolve().parent / "data" / "contact_center_v1"  # v1 figures
FILES = [CC / "in_house.yaml", [CC / "vendor_offshore.yaml", CC / "vendor_onshore.yaml"]]
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def npv_savings_with(path: str, value: float, vendor: int) -> float:
    path = path.replace("vendor.", f"vendor[{vendor}].", 1)
    case = outsourcecalc.load(FILES[0], FILES[1], [f"{path}={value!r}"])  # type: ignore[arg-type]
    result = outsourcecalc.evaluate(case).vendors[vendor]["npv_savings"]
    assert result is not None
    return result


@pytest.fixture(scope="module")
def results() -> Any:
    case = outsourcecalc.load(FILES[0], FILES[1])  # type: ignore[arg-type]
    return sensitivity(case, 0.10)


def test_moves_equal_compare_at_the_low_and_high_values(results: Any) -> None:
    for v, vendor in enumerate(results):
        for row in vendor.inputs[:8]:
            assert row.npv_savings_low == pytest.approx(
                npv_savings_with(row.path, row.low, v), abs=0.01
            )
            assert row.npv_savings_high == pytest.approx(
                npv_savings_with(row.path, row.high, v), abs=0.01
            )


def test_flip_values_really_flip(results: Any) -> None:
    """At the flip value npv_savings is zero (to the cent), with everything else unchanged."""
    checked = 0
    for v, vendor in enumerate(results):
        for row in vendor.inputs[:10]:
            if row.flip_value is not None:
                assert abs(npv_savings_with(row.path, row.flip_value, v)) < 0.01, row.path
                checked += 1
    assert checked >= 8


def test_inputs_are_sorted_by_swing_and_moves_are_ten_percent(results: Any) -> None:
    for vendor in results:
        swings = [r.swing for r in vendor.inputs]
        assert swings == sorted(swings, reverse=True)
        salary = next(r for r in vendor.inputs if r.path == "in_house.staff[0].annual_salary")
        assert (salary.low, salary.high) == pytest.approx((37_800, 46_200))


def test_scope_of_one_cannot_rise(results: Any) -> None:
    scope = next(r for r in results[0].inputs if r.path == "vendor.scope")
    assert scope.low == pytest.approx(0.9) and scope.high == 1.0


def test_agent_salary_flip_by_hand() -> None:
    """npv_savings is linear in the agent salary (salaries and benefits scale with it):
    the flip is where the line through the low and high moves crosses zero."""
    case = outsourcecalc.load(FILES[0], FILES[1])  # type: ignore[arg-type]
    (vendor,) = [v for v in sensitivity(case, 0.1, ["in_house.staff[0].annual_salary"])[1:]]
    (row,) = vendor.inputs
    slope = (row.npv_savings_high - row.npv_savings_low) / (row.high - row.low)
    expected = row.low - row.npv_savings_low / slope
    assert row.flip_value == pytest.approx(expected, rel=1e-9)


def test_json_keys_and_cli() -> None:
    result = CliRunner().invoke(
        app,
        ["sensitivity", str(FILES[0]), *(str(f) for f in FILES[1]), "--format", "json"],  # type: ignore[union-attr]
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    first = data["vendors"][0]["inputs"][0]
    assert set(first) >= {
        "path",
        "low",
        "high",
        "npv_savings_low",
        "npv_savings_high",
        "swing",
        "flip_value",
    }
    assert [v["name"] for v in data["vendors"]] == [
        "Bayanihan BPO (Manila)",
        "Heartland Contact Solutions (onshore)",
    ]


def test_table_shows_tornado_and_sentences() -> None:
    result = CliRunner().invoke(
        app,
        [
            "sensitivity",
            str(FILES[0]),
            str(CC / "vendor_offshore.yaml"),
            "--only",
            "in_house.staff[0].annual_salary",
            "--only",
            "vendor.scope",
        ],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    assert "Tornado" in result.stdout and "█" in result.stdout
    assert "outsourcing stops paying if Agent: annual salary falls below $12,708" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--delta", "150%"], "must be a share between 0 and 1"),
        (["--delta", "abc"], "not a number"),
        (["--only", "in_house.nope"], "no such input field"),
        (["--only", "vendor.name"], "not a numeric input"),
    ],
)
def test_bad_options_exit_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(
        app, ["sensitivity", str(FILES[0]), str(CC / "vendor_offshore.yaml"), *args], env=ENV
    )
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_sensitivity_chart_is_a_tornado(tmp_path: Path) -> None:
    svg = tmp_path / "tornado.svg"
    result = CliRunner().invoke(
        app,
        ["sensitivity", str(FILES[0]), str(CC / "vendor_offshore.yaml"), "--chart", str(svg)],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    text = svg.read_text()
    assert "what moves NPV savings most" in text and "in_house.staff[0].annual_salary" in text


def test_starter_files_without_seasonality_lose_no_input(tmp_path: Path) -> None:
    """A starter with a workload but no seasonality. Every in-house input must be
    moved for every vendor (a failed write of seasonality[N] once corrupted the loaded
    file, so later inputs were silently skipped)."""
    from test_starter import starter_without_seasonality

    starter_without_seasonality(tmp_path)
    second = tmp_path / "vendor2.yaml"
    second.write_text(
        (tmp_path / "vendor.yaml").read_text().replace("Example Outsourcing Ltd", "Second")
    )
    case = outsourcecalc.load(tmp_path / "in_house.yaml", [tmp_path / "vendor.yaml", second])
    results = sensitivity(case)
    for vendor in results:
        assert vendor.skipped == []
        paths = {r.path for r in vendor.inputs}
        assert {"in_house.staff[0].annual_salary", "analysis.discount_rate"} <= paths
        assert {f"in_house.workload.seasonality[{m}]" for m in range(12)} <= paths
    assert {r.path for r in results[0].inputs} == {r.path for r in results[1].inputs}


def test_every_flip_value_of_the_v2_contact_center_is_a_valid_input() -> None:
    """A flip value is one the files can hold: `compare --set PATH=FLIP` is accepted and its
    NPV savings are zero. (Working days below an agent's time off were once reported.)"""
    files = ["examples/contact_center/in_house.yaml"] + [
        f"examples/contact_center/{v}" for v in ("vendor_onshore.yaml", "vendor_offshore.yaml")
    ]
    case = outsourcecalc.load(ROOT / files[0], [ROOT / f for f in files[1:]])
    result = outsourcecalc.sensitivity(case, "10%")
    checked = 0
    for v, vendor in enumerate(result.vendors):
        for row in vendor.inputs:
            if row.flip_value is None:
                continue
            path = row.path.replace("vendor.", f"vendor[{v}].", 1)  # this vendor's input
            moved = outsourcecalc.load(
                ROOT / files[0], [ROOT / f for f in files[1:]], [f"{path}={row.flip_value!r}"]
            )
            assert abs(outsourcecalc.compare(moved).vendors[v]["npv_savings"]) < 0.01, row.path
            checked += 1
    assert checked >= 20
