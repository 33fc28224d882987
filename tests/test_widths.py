"""No table view cuts a figure, at any terminal width from 60 columns up.

Every table view (compare, with --monthly and --baseline, sweep with and without
--summary, sensitivity, simulate, validate) runs on every example at 60, 80 and
200 columns. No line may be wider than the terminal, and every money figure of
the same run's JSON must appear whole on one line of the table text: a figure
folded over two lines, or cut at the edge, is a figure nobody can read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT, example_args
from typer.testing import CliRunner

from outsourcecalc.cli import app
from outsourcecalc.render import baseline
from outsourcecalc.render.format import metric, money
from outsourcecalc.render.sensitivity import SHOWN
from outsourcecalc.render.sweep import TABLE_ROWS
from outsourcecalc.rules import MONEY_KEYS
from outsourcecalc.scenarios.baseline import Change

WIDTHS = (60, 80, 200)
SALARY = "in_house.staff[0].annual_salary"


def run(width: int, *args: str | Path) -> str:
    runner = CliRunner(env={"COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb"})
    result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def check(text: str, width: int, figures: Iterator[str | tuple[str, ...]]) -> None:
    """No line wider than `width`; each figure (or one of its spellings) whole on a line."""
    lines = text.splitlines()
    wide = [line for line in lines if len(line) > width]
    assert not wide, f"{len(wide)} lines wider than {width}:\n" + "\n".join(wide[:5])
    missing = sorted(
        {
            str(f)
            for f in figures
            if not any(g in line for g in ((f,) if isinstance(f, str) else f) for line in lines)
        }
    )
    assert not missing, f"not whole at {width} columns: {missing[:10]}\n{text}"


def whole(x: float, currency: str) -> tuple[str, ...]:
    """A money figure as the table may show it: JSON rounds to the cent, so a figure such as
    159,607.50 may have been 159,607.4999 when the table rounded it to the dollar."""
    return tuple(money(x + d, currency) for d in (0, -0.005, 0.005))


def comparison_figures(
    data: dict[str, Any], monthly: bool = False
) -> Iterator[str | tuple[str, ...]]:
    """Every money result and breakdown entry of each option (and each month's cost)."""
    currency = data["currency"]
    for option in (data["in_house"], *data["vendors"]):
        for key in MONEY_KEYS:
            if key in option:
                yield whole(option[key], currency)
        for x in option["breakdown"].values():
            yield whole(x, currency)
        if monthly:
            yield from (whole(x, currency) for x in option["monthly"])


@pytest.fixture(params=sorted(EXAMPLES))
def example(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(ROOT)
    return example_args(request.param)


def compare_json(files: list[str], *args: str | Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run(100, "compare", *files, "-f", "json", *args))
    return data


@pytest.mark.parametrize("width", WIDTHS)
def test_compare(example: list[str], width: int) -> None:
    data = compare_json(example)
    check(run(width, "compare", *example), width, comparison_figures(data))
    check(run(width, "compare", *example, "--monthly"), width, comparison_figures(data, True))


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_baseline(example: list[str], width: int, tmp_path: Path) -> None:
    """A baseline of a shorter horizon: every money figure and every change moves."""
    previous = tmp_path / "previous.json"
    previous.write_text(run(100, "compare", *example, "-f", "json", "--horizon", "12"))
    data = compare_json(example, "--baseline", previous)
    currency = data["currency"]

    def figures() -> Iterator[str | tuple[str, ...]]:
        yield from comparison_figures(data)
        for row in data["changes"]:
            change = Change(**row)
            yield baseline.value(change, change.old, currency)
            yield baseline.value(change, change.new, currency)
            yield baseline.delta(change, currency)

    check(run(width, "compare", *example, "--baseline", previous), width, figures())


def sweep_args(example: list[str]) -> list[str]:
    return [
        *example,
        "--vary",
        f"{SALARY}=40000:60000:10000",
        "--vary",
        "analysis.discount_rate=0.06;0.1",
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_sweep(example: list[str], width: int) -> None:
    currency = compare_json(example)["currency"]
    args = sweep_args(example)
    rows = json.loads(run(100, "sweep", *args, "-f", "json"))["rows"][:TABLE_ROWS]

    def figures() -> Iterator[str | tuple[str, ...]]:
        for row in rows:
            yield whole(row["npv_savings"], currency)
            yield metric("payback_months", row["payback_months"], currency)
            yield metric("break_even_price_change", row["break_even_price_change"], currency)

    check(run(width, "sweep", *args), width, figures())
    summary = json.loads(run(100, "sweep", *args, "--summary", "-f", "json"))
    check(
        run(width, "sweep", *args, "--summary"),
        width,
        (whole(x, currency) for v in summary["vendors"] for x in v["npv_savings"].values()),
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_sensitivity(example: list[str], width: int) -> None:
    currency = compare_json(example)["currency"]
    data = json.loads(run(100, "sensitivity", *example, "-f", "json"))

    def figures() -> Iterator[str | tuple[str, ...]]:
        for v in data["vendors"]:
            yield whole(v["base_npv_savings"], currency)
            for r in v["inputs"][:SHOWN]:
                yield whole(r["npv_savings_low"], currency)
                yield whole(r["npv_savings_high"], currency)

    check(run(width, "sensitivity", *example), width, figures())


@pytest.mark.parametrize("width", WIDTHS)
def test_simulate(example: list[str], width: int) -> None:
    args = [
        *example,
        "--uncertain",
        f"{SALARY}=triangular(40000, 50000, 60000)",
        "--trials",
        "200",
    ]
    data = json.loads(run(100, "simulate", *args, "-f", "json"))
    shown = ("mean", "p5", "p50", "p95")
    check(
        run(width, "simulate", *args),
        width,
        (whole(v["npv_savings"][k], data["currency"]) for v in data["vendors"] for k in shown),
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_validate(example: list[str], width: int) -> None:
    """validate writes one plain line per file, never wrapped or cut, so that an editor
    or a CI log search finds `PATH: ok` whole (tests/test_cli.py pins the lines): it is
    no table, and a terminal narrower than a line wraps it without losing a character."""
    text = run(width, "validate", *example)
    assert [line.split(": ok (")[0] for line in text.splitlines()] == example
    assert all(line.endswith(")") for line in text.splitlines())
