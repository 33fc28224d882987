"""`compare --monthly`: calendar months, savings and cumulative savings per vendor, the
payback month marked, in the table, Markdown and CSV views, at any width from 60 columns.

The month-by-month section of each example is a golden file under tests/golden_monthly
(refreshed with `pytest tests/test_monthly.py --update-golden`, reviewed as a diff).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import EXAMPLES, Invoke, example_args
from rich.cells import cell_len
from typer.testing import CliRunner

from outsourcecalc.cli import app
from outsourcecalc.render.format import MONTH_NAMES, money

GOLDEN = Path(__file__).resolve().parent / "golden_monthly"
VIEWS = {"table": "table", "markdown": "md", "csv": "csv"}

# Hand-checked case: 10,000 a month in house (one role at 120,000 a year, nothing grows),
# a vendor at 8,000 a month after a 5,000 setup fee and one month of parallel run.
IN_HOUSE = """\
name: Back office
analysis: {{horizon_months: 14, discount_rate: 0{start}}}
staff:
  - {{role: Clerk, headcount: 1, annual_salary: 120000}}
"""
VENDOR = """\
name: Quick BPO
pricing:
  - {name: Service, monthly: 8000}
transition:
  parallel_run_months: 1
  costs:
    - {name: Setup fee, amount: 5000, month: 0}
"""


def files(tmp_path: Path, start: str = ", start_month: 7") -> list[Path]:
    ih, vendor = tmp_path / "in_house.yaml", tmp_path / "vendor.yaml"
    ih.write_text(IN_HOUSE.format(start=start), encoding="utf-8")
    vendor.write_text(VENDOR, encoding="utf-8")
    return [ih, vendor]


def run(*args: str | Path, columns: int = 100) -> Result:
    env = {"COLUMNS": str(columns), "NO_COLOR": "1", "TERM": "dumb"}
    return CliRunner(env=env).invoke(app, [str(a) for a in args], catch_exceptions=True)


def hand_checked() -> tuple[list[float], list[float]]:
    """s(0) = -5,000 (the setup fee); s(1) = 10,000 - (8,000 + 10,000) = -8,000 (the parallel
    run); s(m) = 10,000 - 8,000 = 2,000 after. C(1) = -13,000, C(k) = -13,000 + 2,000 (k - 1):
    C(7) = -1,000, C(8) = 1,000, so payback is 7 + 1,000 / 2,000 = 7.5 months and month 8
    is the payback month; C(14) = 13,000 = the savings."""
    savings = [-5000.0, -8000.0, *[2000.0] * 13]
    cumulative = [-5000.0 - 8000.0 * (k >= 1) + 2000.0 * max(k - 1, 0) for k in range(15)]
    return savings, cumulative


def test_hand_checked_table(tmp_path: Path) -> None:
    result = run("compare", *files(tmp_path), "--monthly")
    assert result.exit_code == 0, result.output
    savings, cumulative = hand_checked()
    rows = {}
    for line in result.stdout.splitlines():
        cells = [c.strip() for c in line.strip("│").split("│")]
        if line.startswith("│ M") and len(cells) == 5:
            rows[cells[0]] = cells[1:]
    # month 1 is July (start_month 7): month 7 is January, month 14 August
    assert list(rows) == [
        "M0 (signing)",
        *(
            f"M{m} ({name})"
            for m, name in enumerate([*MONTH_NAMES[6:], *MONTH_NAMES, *MONTH_NAMES][:14], 1)
        ),
    ]
    labels = list(rows)
    for m, label in enumerate(labels):
        in_house, vendor, saved, total = rows[label]
        assert in_house == ("$0" if m == 0 else "$10,000")
        assert vendor == {0: "$5,000", 1: "$18,000"}.get(m, "$8,000")  # fee; parallel run
        assert saved == money(savings[m], "USD")
        mark = "*" if m == 8 else ""
        assert total == money(cumulative[m], "USD") + mark, label
    assert "Quick BPO: payback month M8 (Feb), 7.5 months after signing" in result.stdout
    assert "* marks the payback month." in result.stdout


def test_hand_checked_markdown_and_csv(tmp_path: Path) -> None:
    savings, cumulative = hand_checked()
    md = run("compare", *files(tmp_path), "--monthly", "-f", "markdown")
    assert md.exit_code == 0, md.output
    assert "### Month by month: Quick BPO" in md.stdout
    assert "| Month | In house | Quick BPO | Savings | Cumulative savings |" in md.stdout
    assert "| M8 (Feb) | $10,000 | $8,000 | $2,000 | **$1,000** (payback) |" in md.stdout
    assert "| M7 (Jan) | $10,000 | $8,000 | $2,000 | -$1,000 |" in md.stdout
    assert "| M0 (signing) | $0 | $5,000 | -$5,000 | -$5,000 |" in md.stdout

    out = run("compare", *files(tmp_path), "--monthly", "-f", "csv")
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    by_option = {(r["option"], r["name"]): r for r in rows}
    months = [f"month_{m}" for m in range(15)]
    saved = by_option[("savings", "Quick BPO")]
    total = by_option[("cumulative_savings", "Quick BPO")]
    assert [float(saved[k]) for k in months] == savings
    assert [float(total[k]) for k in months] == cumulative
    calendar = by_option[("calendar_month", "")]
    assert [calendar[k] for k in months] == ["", *map(str, [7, 8, 9, 10, 11, 12, 1, 2, 3])] + [
        str(c) for c in (4, 5, 6, 7, 8)
    ]
    assert by_option[("vendor", "Quick BPO")]["payback_months"] == "7.5"
    # the options come first, as without --monthly: scripts reading them are unchanged
    assert [r["option"] for r in rows[:2]] == ["in_house", "vendor"]


def test_without_a_start_month_the_months_are_numbers(tmp_path: Path) -> None:
    """start_month left out means January by default, but the run did not say when it
    starts: the months show as M1, M2, ... and CSV has no calendar row."""
    paths = files(tmp_path, start="")
    table = run("compare", *paths, "--monthly")
    assert table.exit_code == 0, table.output
    assert "│ M1       " in table.stdout and "(Jan)" not in table.stdout
    assert "M8*" not in table.stdout and "$1,000*" in table.stdout
    assert "payback month M8, 7.5 months" in table.stdout
    out = run("compare", *paths, "--monthly", "-f", "csv")
    assert "calendar_month" not in out.stdout
    # --start-month states it: the calendar months appear
    stated = run("compare", *paths, "--monthly", "--start-month", "11")
    assert "│ M1 (Nov) " in stated.stdout and "│ M3 (Jan) " in stated.stdout


def test_a_vendor_that_never_pays_back_says_so(tmp_path: Path) -> None:
    paths = files(tmp_path)
    result = run("compare", *paths, "--monthly", "--set", "vendor.pricing[0].monthly=11000")
    assert result.exit_code == 0, result.output
    assert "*" not in result.stdout.split("Month by month")[1].split("\n\n")[0]
    assert (
        "Quick BPO: the cumulative savings are below zero at the horizon; no payback within it."
        in result.stdout
    )
    md = run(
        "compare", *paths, "--monthly", "-f", "markdown", "--set", "vendor.pricing[0].monthly=11000"
    )
    assert "(payback)" not in md.stdout


def test_a_case_that_pays_back_at_signing_marks_month_0(tmp_path: Path) -> None:
    """No transition and a cheaper vendor: C(k) >= 0 for every k, payback 0, month 0."""
    paths = files(tmp_path)
    paths[1].write_text("name: Quick BPO\npricing:\n  - {name: Service, monthly: 8000}\n")
    result = run("compare", *paths, "--monthly", "-f", "markdown")
    assert "| M0 (signing) | $0 | $0 | $0 | **$0** (payback) |" in result.stdout


# ------------------------------------------------------------------ every example


def example_json(example: str) -> dict[str, Any]:
    result = run("compare", *example_args(example), "-f", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_the_marked_month_is_where_cumulative_savings_turn_for_good(
    in_repo: Path, example: str
) -> None:
    """The payback mark agrees with the JSON's own monthly streams: before the marked
    month the cumulative savings are below zero (to the half cent), from it on never."""
    data = example_json(example)
    md = run("compare", *example_args(example), "--monthly", "-f", "markdown").stdout
    ih = data["in_house"]["monthly"]
    for v in data["vendors"]:
        section = md.split(f"### Month by month: {v['name']}")[1].split("###")[0]
        marked = [line for line in section.splitlines() if "(payback)" in line]
        cumulative, total = [], 0.0
        for a, b in zip(ih, v["monthly"], strict=True):
            total += a - b
            cumulative.append(total)
        if v["payback_months"] is None:
            assert marked == [] and cumulative[-1] < -0.005
            continue
        assert len(marked) == 1
        month = int(re.match(r"\| M(\d+)", marked[0]).group(1))  # type: ignore[union-attr]
        assert all(c > -0.005 for c in cumulative[month:])
        assert month == 0 or cumulative[month - 1] < 0.005
        assert month - 1 < v["payback_months"] <= month


def near(x: float, currency: str) -> set[str]:
    """How x shows, whole: the JSON's months are rounded to the cent, so a sum of them
    may be a few cents off the engine's own figure, across a rounding edge."""
    return {money(x + d, currency) for d in (-0.2, 0.0, 0.2)}


@pytest.mark.parametrize("columns", [60, 80, 200])
@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_monthly_table_fits_and_shows_every_figure_whole(
    in_repo: Path, example: str, columns: int
) -> None:
    result = run("compare", *example_args(example), "--monthly", columns=columns)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= columns
    text = result.stdout
    data = example_json(example)
    cur, ih = data["currency"], data["in_house"]["monthly"]
    cells = {c.strip() for line in lines for c in line.split("│")}
    for v in data["vendors"]:
        total = 0.0
        for a, b in zip(ih, v["monthly"], strict=True):
            total += a - b
            assert near(b, cur) & cells
            assert near(a - b, cur) & cells
            assert (near(total, cur) | {x + "*" for x in near(total, cur)}) & cells, total
    assert "…" not in text


def test_many_vendors_at_60_columns_come_in_tables_led_by_the_month(
    in_repo: Path, tmp_path: Path
) -> None:
    folder = Path("examples/contact_center")
    vendors = []
    for i in range(1, 5):
        text = (folder / "vendor_offshore.yaml").read_text(encoding="utf-8")
        target = tmp_path / f"v{i}.yaml"
        target.write_text(text.replace("name: Bayanihan BPO (Manila)", f"name: Vendor {i}"))
        vendors.append(target)
    result = run("compare", folder / "in_house.yaml", *vendors, "--monthly", columns=60)
    assert result.exit_code == 0, result.output
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 60
    titles = re.findall(r"^Month by month \((\d+) of (\d+)\)$", result.stdout, flags=re.M)
    assert len(titles) >= 5 and titles[-1][0] == titles[-1][1]
    # every table starts with the month, and reaches the horizon
    assert result.stdout.count("┃ Month ") == len(titles)
    assert result.stdout.count("│ M36 (Dec) ") == len(titles)


# ------------------------------------------------------------------ golden files


def monthly_section(text: str, view: str) -> str:
    """The part of the output that --monthly adds (the rest has goldens of its own)."""
    if view == "table":
        start = text.index("Month by month")
        return text[start : text.index("\n\n", start) + 1]
    if view == "markdown":
        start = text.index("### Month by month")
        return (
            text[start : text.index("\n- ", start) + 1] if "\n- " in text[start:] else text[start:]
        )
    lines = text.splitlines(keepends=True)
    return "".join(
        [
            lines[0],
            *(
                line
                for line in lines
                if line.startswith(("savings,", "cumulative_savings,", "calendar_month,"))
            ),
        ]
    )


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_monthly_section_matches_golden(
    cli: Invoke, update_golden: bool, example: str, view: str
) -> None:
    result = cli("compare", *example_args(example), "--monthly", "--format", view)
    assert result.exit_code == 0, result.output
    section = monthly_section(result.stdout, view)
    golden = GOLDEN / f"{example}.{VIEWS[view]}"
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(section, encoding="utf-8")
        return
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden and review it"
    assert section == golden.read_text(encoding="utf-8")


def test_every_monthly_golden_file_is_compared() -> None:
    expected = {f"{example}.{ext}" for example in EXAMPLES for ext in VIEWS.values()}
    assert {p.name for p in GOLDEN.iterdir()} == expected
