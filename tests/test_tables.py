"""Sweep and sensitivity views name inputs by what they are and state their grid.

Headings read "Agent: annual salary", not `in_house.staff[0].annual_salary`; a
rate reads as a percent and money as money; every sweep states its grid in the
table, the Markdown, the JSON (`axes`) and the CSV header; the coloured cells use
the charts' colour-blind-safe palette.
"""

from __future__ import annotations

import io
import json

import pytest
from conftest import ROOT, Invoke
from rich.console import Console

import outsourcecalc
from outsourcecalc.inputs.paths import named_input
from outsourcecalc.render import sweep as sweep_view
from outsourcecalc.render.format import BLUE, LOSES, VERMILLION, WINS, input_value

CC = ROOT / "examples" / "contact_center"
FILES = [CC / "in_house.yaml", CC / "vendor_offshore.yaml", CC / "vendor_onshore.yaml"]
SALARY = "in_house.staff[0].annual_salary=40000:60000:10000"
RATE = "analysis.discount_rate=0.06;0.1"


@pytest.fixture(scope="module")
def case() -> outsourcecalc.Case:
    return outsourcecalc.load(FILES[0], FILES[1:])


@pytest.mark.parametrize(
    ("path", "label", "unit", "currency"),
    [
        ("in_house.staff[0].annual_salary", "Agent: annual salary", "money", "USD"),
        ("vendor.fx_rate", "Vendor: exchange rate", "fx", ""),
        ("in_house.workload.monthly_volume", "Monthly volume", "units", ""),
        ("analysis.discount_rate", "Discount rate", "rate", ""),
        ("in_house.workload.seasonality[11]", "Seasonality (Dec)", "number", ""),
        ('vendor.scores["Data security"]', "Vendor: Data security: score", "number", ""),
        # one vendor: its name, and its quote's currency
        (
            "vendor[0].pricing[1].per_hour",
            "Bayanihan BPO (Manila): Flex bench for peaks: per hour",
            "money",
            "PHP",
        ),
        # every vendor, whose first charges differ: the charge by its place
        ("vendor.pricing[0].monthly", "Vendor: pricing 1: per month", "money", ""),
        ("not.a.path", "not.a.path", "", ""),
    ],
)
def test_inputs_are_named_from_the_models_labels(
    case: outsourcecalc.Case, path: str, label: str, unit: str, currency: str
) -> None:
    named = named_input(case, path)
    assert (named.label, named.unit, named.currency) == (label, unit, currency)


def test_input_values_read_in_their_units() -> None:
    assert input_value(0.0375, "rate") == "3.75%"
    assert input_value(0.1, "rate") == "10.0%"
    assert input_value(42000, "money", "USD") == "$42,000"
    assert input_value(3.25, "money", "USD") == "$3.25"
    assert input_value(95000, "money", "PHP") == "₱95,000"
    assert input_value(0.0175, "fx") == "0.0175"
    assert input_value(2.25, "fte") == "2.25"
    assert input_value(60000, "money") == "60,000"  # vendors in different currencies


def test_sweep_states_its_grid_everywhere(cli: Invoke) -> None:
    args = ["sweep", *FILES, "--vary", SALARY, "--vary", RATE]
    table = " ".join(cli(*args).stdout.split())
    assert "Agent: annual salary: $40,000 … $60,000 step $10,000 (3 values)" in table
    assert "Discount rate: 6.0%, 10.0% (2 values)" in table
    assert "in_house.staff" not in table and "0.06" not in table

    markdown = cli(*args, "-f", "markdown").stdout
    assert "- Agent: annual salary: $40,000 … $60,000 step $10,000 (3 values)" in markdown
    assert "| Agent: annual salary | Discount rate | Vendor |" in markdown
    assert "| $40,000 | 6.0% | Bayanihan BPO (Manila) |" in markdown

    data = json.loads(cli(*args, "-f", "json").stdout)
    assert data["axes"] == [
        {
            "path": "in_house.staff[0].annual_salary",
            "label": "Agent: annual salary",
            "start": 40000.0,
            "stop": 60000.0,
            "step": 10000.0,
            "count": 3,
        },
        {
            "path": "analysis.discount_rate",
            "label": "Discount rate",
            "values": [0.06, 0.1],
            "count": 2,
        },
    ]
    assert len(data["rows"]) == 3 * 2 * 2
    # machine-readable: the rows and the CSV keep the paths, the axes first
    assert list(data["rows"][0])[:2] == [
        "in_house.staff[0].annual_salary",
        "analysis.discount_rate",
    ]
    header = cli(*args, "-f", "csv").stdout.splitlines()[0].split(",")
    assert header[:3] == ["in_house.staff[0].annual_salary", "analysis.discount_rate", "vendor"]

    summary = json.loads(cli(*args, "--summary", "-f", "json").stdout)
    assert summary["axes"] == data["axes"]
    text = cli(*args, "--summary", "-f", "markdown").stdout
    assert "- Discount rate: 6.0%, 10.0% (2 values)" in text
    assert "| Worst point | Agent: annual salary $40,000; Discount rate 10.0% |" in text


def test_sensitivity_shows_labels_and_units(cli: Invoke) -> None:
    only = [
        "--only",
        "in_house.staff[0].benefits_rate",
        "--only",
        "vendor.pricing[0].per_fte_month",
    ]
    text = " ".join(cli("sensitivity", *FILES[:2], *only).stdout.split())
    assert "Agent: benefits rate" in text and "25.2% → 30.8%" in text
    assert "₱85,500 → ₱104,500" in text
    markdown = cli("sensitivity", *FILES[:2], *only, "-f", "markdown").stdout
    assert "| Agent: benefits rate | 25.2% | 30.8% |" in markdown
    # JSON and CSV keep the paths
    data = json.loads(cli("sensitivity", *FILES[:2], *only, "-f", "json").stdout)
    assert {r["path"] for r in data["vendors"][0]["inputs"]} == {
        "in_house.staff[0].benefits_rate",
        "vendor.pricing[0].per_fte_month",
    }


def test_grid_colours_are_the_charts_palette(case: outsourcecalc.Case) -> None:
    assert (WINS, LOSES) == (BLUE, VERMILLION)
    result = outsourcecalc.sweep(
        case, ["vendor[0].pricing[0].per_fte_month=80000:400000:80000", SALARY]
    )
    out = io.StringIO()
    sweep_view.draw(result, Console(file=out, width=120, color_system="truecolor"))
    text = out.getvalue()
    assert "38;2;0;114;178" in text  # #0072B2: outsourcing wins
    assert "38;2;213;94;0" in text  # #D55E00: it loses
    assert "\x1b[32m" not in text and "\x1b[31m" not in text  # no plain green or red


def test_charts_draw_in_the_same_palette() -> None:
    pytest.importorskip("matplotlib")
    from outsourcecalc.render import charts, format

    assert charts.BLUE is format.BLUE and charts.VERMILLION is format.VERMILLION


def test_narrow_sweep_stacks_its_rows(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    """Below the width the columns need, each row is a block: no figure is cut."""
    from typer.testing import CliRunner

    from outsourcecalc.cli import app

    monkeypatch.chdir(ROOT)
    runner = CliRunner(env={"COLUMNS": "60", "NO_COLOR": "1", "TERM": "dumb"})
    args = ["sweep", *map(str, FILES), "--vary", SALARY, "--vary", RATE]
    text = runner.invoke(app, args).stdout
    assert all(len(line) <= 60 for line in text.splitlines())
    assert " Heartland Contact Solutions (onshore)\n" in text
    assert "   Agent: annual salary" in text
