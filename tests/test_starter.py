"""`outsourcecalc init`: the starter pair shows every kind of input a new user needs
(tiers, a minimum fee, an exchange rate, seasonality, a workload-driven role, a
scorecard), each commented with its section of docs/SPEC.md, and gives numbers a
person can check by hand."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoke

import outsourcecalc

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "src" / "outsourcecalc" / "starter"
SPEC_SECTIONS = set(re.findall(r"^## (\d)\. ", (ROOT / "docs" / "SPEC.md").read_text(), re.M))


def init(cli: Invoke, folder: Path) -> list[Path]:
    result = cli("init", folder)
    assert result.exit_code == 0, result.output
    return [folder / "in_house.yaml", folder / "vendor.yaml"]


def starter_without_seasonality(folder: Path) -> list[Path]:
    """The starter as it was before it showed seasonality and a scorecard: a workload
    with the default seasonality (all 1) and no scores. Returns the two files."""
    outsourcecalc.init(folder)
    in_house, vendor = folder / "in_house.yaml", folder / "vendor.yaml"
    text = in_house.read_text(encoding="utf-8")
    text = re.sub(r"  # seasonality.*\n  seasonality: .*\n", "", text)
    in_house.write_text(text[: text.index("\nscorecard:")] + "\n", encoding="utf-8")
    text = vendor.read_text(encoding="utf-8")
    vendor.write_text(re.sub(r"\nscores:.*?\n\n", "\n\n", text, flags=re.S), encoding="utf-8")
    return [in_house, vendor]


def test_init_writes_every_kind_of_input_with_a_comment(cli: Invoke, tmp_path: Path) -> None:
    in_house, vendor = (p.read_text(encoding="utf-8") for p in init(cli, tmp_path))
    for needle in ("handle_minutes:", "staffing: peak", "seasonality: [", "scorecard:"):
        assert needle in in_house
    for needle in ("tiers:", "minimum_monthly_fee:", "fx_rate:", "scores:", "transition:"):
        assert needle in vendor
    for text in (in_house, vendor):
        assert "docs/SPEC.md" in text
        # every "SPEC section N" names a section that exists
        cited = set(re.findall(r"SPEC\.md[^\n]*?section (\d)|SPEC section (\d)", text))
        numbers = {a or b for a, b in cited}
        assert numbers and numbers <= SPEC_SECTIONS
        lines = text.splitlines()
        for n, line in enumerate(lines):
            key = re.match(r"^\s*-? ?([a-z_]+):", line)
            # every setting of the quote and of the operation says what it is
            if key and key.group(1) in {
                "fx_rate",
                "minimum_monthly_fee",
                "tiers",
                "seasonality",
                "handle_minutes",
                "occupancy",
                "staffing",
                "min_headcount",
                "scorecard",
                "min_score",
            }:
                assert "#" in line or lines[n - 1].lstrip().startswith("#"), line


def test_the_starter_validates_and_compares_as_checked_by_hand(cli: Invoke, tmp_path: Path) -> None:
    """The figures, by hand (start month January, so month 1 is January, month 7 July).

    Agent (sized by the workload, staffed for the peak): productive hours a month
    p = (260 - 25) * 8 / 12 = 156.67; January's volume is 6,000 * 1.2 = 7,200 tickets,
    the year's busiest, so hc = 7,200 * 12 / 60 / (0.85 * 156.67) = 10.81 FTE all year 1.

    In house, month 1: agents 10.81 * 45,000 / 12 * 1.25 = 50,688, hiring (attrition
    only: month 0 has the same team) 10.81 * 0.30 / 12 * 4,000 = 1,081, team lead
    60,000 / 12 * 1.25 = 6,250, office 3,000, licences 120 * 11.81 = 1,418, telephony
    0.10 * 7,200 = 720: 63,157.

    Vendor, month 1: tickets 5,000 * 5.50 + 2,200 * 4.50 = 37,400 EUR, platform 1,500:
    38,900 EUR, above the 30,000 minimum; at 1.08 USD per EUR with credits, governance
    and contingency (1 - 1% + 4% + 2% = 1.05): 44,113; the vendor manager
    70,000 / 12 * 1.25 = 7,292. The parallel run keeps all of the in-house cost.

    Vendor, month 7 (July, 4,800 tickets): 26,400 + 1,500 = 27,900 EUR is below the
    minimum, so 30,000 EUR: 30,000 * 1.08 * 1.05 = 34,020, plus the manager and the
    office that stays (3,000): 44,312. Month 0: the setup fee 20,000 EUR = 21,600 USD.

    Scores: vendor (30 * 3.5 + 25 * 4 + 20 * 4.5 + 15 * 3 + 10 * 5) / 100 = 3.9, in
    house (30 * 4 + 25 * 5 + 20 * 4 + 15 * 5 + 10 * 2) / 100 = 4.2.
    """
    paths = init(cli, tmp_path)
    validated = cli("validate", *paths)
    assert validated.exit_code == 0, validated.output
    assert validated.stderr == ""  # no note: the exchange rate reads the right way round
    result = cli("compare", *paths, "-f", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    ih, vendor = data["in_house"], data["vendors"][0]

    p = (260 - 25) * 8 / 12
    hc = 7200 * 12 / 60 / (0.85 * p)
    team = outsourcecalc.compare(outsourcecalc.load(*paths[:1], paths[1:])).in_house
    assert team.headcounts[0][1:13] == pytest.approx([hc] * 12)
    in_house_1 = (
        hc * 45000 / 12 * 1.25
        + hc * 0.30 / 12 * 4000
        + 60000 / 12 * 1.25
        + 3000
        + 120 * (hc + 1)
        + 0.10 * 7200
    )
    assert ih["monthly"][1] == pytest.approx(in_house_1, abs=0.005)
    assert round(in_house_1) == 63157
    manager = 70000 / 12 * 1.25
    fees_1 = (5000 * 5.50 + 2200 * 4.50 + 1500) * 1.08 * 1.05
    assert vendor["monthly"][1] == pytest.approx(in_house_1 + fees_1 + manager, abs=0.005)
    assert vendor["monthly"][7] == pytest.approx(30000 * 1.08 * 1.05 + manager + 3000, abs=0.005)
    assert round(vendor["monthly"][7]) == 44312
    assert vendor["monthly"][0] == pytest.approx(21600)
    assert vendor["score"] == pytest.approx(3.9)
    assert ih["score"] == pytest.approx(4.2)

    # sensible as a whole: the quote saves money, pays back within the contract, wins
    assert data["recommendation"] == "Example Outsourcing Ltd"
    assert 0.10 < vendor["savings_pct"] < 0.25
    assert 6 < vendor["payback_months"] < 24
    assert vendor["break_even_price_change"] > 0.10


def test_the_starter_reads_well_month_by_month(cli: Invoke, tmp_path: Path) -> None:
    """--monthly on the starter: calendar months from January, the payback marked."""
    result = cli("compare", *init(cli, tmp_path), "--monthly")
    assert result.exit_code == 0, result.output
    assert "│ M1 (Jan) " in result.stdout and "│ M36 (Dec) " in result.stdout
    assert "Example Outsourcing Ltd: payback month M13 (Jan)" in result.stdout


def test_the_plain_starter_of_other_tests_still_compares(tmp_path: Path) -> None:
    paths = starter_without_seasonality(tmp_path)
    text = paths[0].read_text(encoding="utf-8")
    assert "seasonality" not in text and "scorecard" not in text
    assert "scores:" not in paths[1].read_text(encoding="utf-8")
    result = outsourcecalc.compare(outsourcecalc.load(paths[0], paths[1:]))
    assert result.scorecard is None and result.vendors[0]["npv_savings"] is not None
