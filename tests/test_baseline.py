"""`compare --baseline`: what changed against an earlier JSON result, checked by hand.

The contact-center example, offshore vendor (`vendor[1]`, quoted in PHP at
fx 0.0175): its first charge is 95,000 PHP per FTE-month for 64 FTE, its other
charges 620 x 800 + 420,000, so raw fees are 6,996,000 PHP a month, above the
5,700,000 minimum. Raising the FTE price to 99,000 adds 4,000 x 64 = 256,000 PHP
a month, 0.0175 x 256,000 = 4,480 USD, before escalation (5% a year). Credits,
governance and risk follow the fees: factor 1 - 0.015 + 0.06 + 0.03 = 1.075, so
vendor cost rises by 4,480 x 1.075 = 4,816 USD x 1.05**y(m) in every month 1..36:

    TCO:        4,816 x 12 x (1 + 1.05 + 1.05**2) = 57,792 x 3.1525 = 182,189.28
    investment: the 3 parallel-run months, 3 x 4,816                =  14,448.00
    NPV:        sum of 4,816 x 1.05**y(m) x DF(m) (computed below)

The in-house baseline and the onshore vendor do not change at all.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoke, example_args

from outsourcecalc.engine.model import RESULT_KEYS
from outsourcecalc.errors import InputError
from outsourcecalc.scenarios import baseline

OFFSHORE = "Bayanihan BPO (Manila)"
ONSHORE = "Heartland Contact Solutions (onshore)"
PRICE = "vendor[1].pricing[0].per_fte_month=99000"


def compare_json(cli: Invoke, *args: str | Path) -> dict[str, Any]:
    result = cli("compare", *example_args("contact_center_v1"), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture
def previous(cli: Invoke, tmp_path: Path) -> Path:
    """The JSON of the unchanged run, as a user would have saved it."""
    result = cli("compare", *example_args("contact_center_v1"), "--format", "json")
    assert result.exit_code == 0, result.output
    path = tmp_path / "previous.json"
    path.write_text(result.stdout, encoding="utf-8")
    return path


def by_option(rows: list[dict[str, Any]], option: str) -> dict[str, dict[str, Any]]:
    return {row["key"]: row for row in rows if row["option"] == option}


def test_one_vendor_price_changed(cli: Invoke, previous: Path) -> None:
    data = compare_json(cli, "--set", PRICE, "--baseline", previous)
    old = json.loads(previous.read_text(encoding="utf-8"))
    changes = data.pop("changes")
    assert data.pop("baseline") == str(previous)
    # the rest is exactly the SPEC JSON of the changed run
    assert data == compare_json(cli, "--set", PRICE)

    # nothing about the run itself changed, nor the recommendation
    assert [row for row in changes if row["option"] == ""] == []

    in_house = by_option(changes, "in-house")
    assert list(in_house) == ["tco", "npv"]
    for key, row in in_house.items():
        assert row == {
            "option": "in-house",
            "key": key,
            "old": old["in_house"][key],
            "new": old["in_house"][key],
            "delta": 0.0,
            "status": "unchanged",
        }

    onshore = by_option(changes, ONSHORE)
    assert list(onshore) == list(RESULT_KEYS)
    for key, row in onshore.items():
        assert row["status"] == "unchanged"
        assert row["old"] == row["new"] == old["vendors"][0][key]
        # a null result (this vendor never pays back) has no delta
        assert row["delta"] == (None if row["old"] is None else 0.0)
    assert onshore["payback_months"]["old"] is None

    offshore = by_option(changes, OFFSHORE)
    assert offshore["tco"]["delta"] == 182_189.28
    assert offshore["investment"]["delta"] == 14_448.00
    r = 1.08 ** (1 / 12) - 1
    npv = sum(4816 * 1.05 ** ((m - 1) // 12) * (1 + r) ** -m for m in range(1, 37))
    assert offshore["npv"]["delta"] == pytest.approx(npv, abs=0.01)
    assert offshore["savings"]["delta"] == -182_189.28
    assert offshore["npv_savings"]["delta"] == pytest.approx(-npv, abs=0.01)
    for key, row in offshore.items():
        if row["delta"] is not None:
            assert row["delta"] == pytest.approx(row["new"] - row["old"], abs=0.005), key
        if key in ("tco", "npv", "savings", "npv_savings", "investment"):
            # money to the cent: exactly the difference of the two printed amounts
            assert row["delta"] == round(row["new"] - row["old"], 2), key
        if key == "break_even_volume":  # no workload-driven fees: null before and after
            assert row == {**row, "old": None, "new": None, "delta": None, "status": "unchanged"}
        else:
            assert row["status"] == "changed", key
    assert offshore["payback_months"]["delta"] > 0


def test_unchanged_run_has_zero_deltas(cli: Invoke, previous: Path) -> None:
    changes = compare_json(cli, "--baseline", previous)["changes"]
    assert len(changes) == 2 + 2 * len(RESULT_KEYS)
    assert {row["status"] for row in changes} == {"unchanged"}
    assert {row["delta"] for row in changes} <= {0.0, None}


def test_recommendation_and_settings_rows(cli: Invoke, previous: Path) -> None:
    """Tripling the offshore FTE price leaves no vendor worth it; a longer horizon too."""
    data = compare_json(
        cli,
        "--set",
        "vendor[1].pricing[0].per_fte_month=300000",
        "--horizon",
        "48",
        "--baseline",
        previous,
    )
    run = by_option(data["changes"], "")
    assert run["horizon_months"]["old"] == 36
    assert run["horizon_months"]["new"] == 48
    assert run["horizon_months"]["delta"] == 12
    assert run["recommendation"] == {
        "option": "",
        "key": "recommendation",
        "old": OFFSHORE,
        "new": "in-house",
        "delta": None,
        "status": "changed",
    }
    assert "currency" not in run and "discount_rate" not in run


def test_vendors_added_and_removed(cli: Invoke, tmp_path: Path) -> None:
    folder = "tests/data/contact_center_v1"
    only_onshore = cli(
        "compare", f"{folder}/in_house.yaml", f"{folder}/vendor_onshore.yaml", "-f", "json"
    )
    assert only_onshore.exit_code == 0, only_onshore.output
    path = tmp_path / "onshore.json"
    path.write_text(only_onshore.stdout, encoding="utf-8")

    # the offshore vendor is new
    data = compare_json(cli, "--baseline", path)
    offshore = by_option(data["changes"], OFFSHORE)
    assert list(offshore) == list(RESULT_KEYS)
    assert {row["status"] for row in offshore.values()} == {"added"}
    assert all(row["old"] is None and row["delta"] is None for row in offshore.values())
    assert offshore["tco"]["new"] == data["vendors"][1]["tco"]
    assert by_option(data["changes"], "")["recommendation"]["new"] == OFFSHORE

    # and the other way round it is gone
    result = cli(
        "compare", f"{folder}/in_house.yaml", f"{folder}/vendor_offshore.yaml", "-f", "json",
        "--baseline", path,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    onshore = by_option(json.loads(result.stdout)["changes"], ONSHORE)
    assert {row["status"] for row in onshore.values()} == {"removed"}
    assert all(row["new"] is None and row["delta"] is None for row in onshore.values())


def test_null_handling() -> None:
    old = spec_json(payback_months=None, irr=0.25, roi=None)
    new = spec_json(payback_months=7.5, irr=None, roi=None)
    rows = {r.key: r for r in baseline.diff(old, new) if r.option == "A"}
    assert rows["payback_months"] == baseline.Change(
        "A", "payback_months", None, 7.5, None, "changed"
    )
    assert rows["irr"] == baseline.Change("A", "irr", 0.25, None, None, "changed")
    assert rows["roi"] == baseline.Change("A", "roi", None, None, None, "unchanged")
    assert rows["tco"].delta == 0.0


def test_money_delta_is_rounded_to_the_cent() -> None:
    """0.1 + 0.2 style noise never shows: 100.30 - 100.10 is 0.2, not 0.19999999999999."""
    rows = baseline.diff(spec_json(tco=100.10), spec_json(tco=100.30))
    tco = next(r for r in rows if r.option == "A" and r.key == "tco")
    assert tco.delta == 0.2


def test_vendors_of_the_same_name_pair_in_turn() -> None:
    old = spec_json()
    old["vendors"] = [vendor("A", tco=1.0), vendor("A", tco=2.0)]
    new = spec_json()
    new["vendors"] = [vendor("A", tco=1.5), vendor("A", tco=2.0)]
    tco = [r for r in baseline.diff(old, new) if r.key == "tco" and r.option == "A"]
    assert [(r.old, r.new, r.delta) for r in tco] == [(1.0, 1.5, 0.5), (2.0, 2.0, 0.0)]


def test_json_without_baseline_is_the_spec_json(cli: Invoke) -> None:
    assert set(compare_json(cli)) == {
        "schema_version", "currency", "horizon_months", "discount_rate", "overrides", "notes",
        "in_house", "vendors", "recommendation",
    }  # fmt: skip


def test_csv(cli: Invoke, previous: Path) -> None:
    result = cli(
        "compare", *example_args("contact_center_v1"), "--set", PRICE, "-f", "csv",
        "--baseline", previous,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # the --set run says so in a last column, on every row
    scenario = (
        f'"per FTE per month of {OFFSHORE}, Dedicated agents (incl. team leads and QA at the '
        'site) = ₱99,000 (file: ₱95,000)"'
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "key,option,old,new,delta,status,scenario"
    assert len(lines) == 1 + 2 + 2 * len(RESULT_KEYS)
    assert lines[1] == f"tco,in-house,15142571.93,15142571.93,0.0,unchanged,{scenario}"
    assert f"tco,{OFFSHORE},8649992.91,8832182.19,182189.28,changed,{scenario}" in lines
    assert f"payback_months,{ONSHORE},,,,unchanged,{scenario}" in lines


def test_markdown_and_table(cli: Invoke, previous: Path) -> None:
    args = [*example_args("contact_center_v1"), "--set", PRICE, "--baseline", str(previous)]
    md = cli("compare", *args, "-f", "markdown")
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("## ")  # the compare report comes first
    assert f"### Changes against `{previous}`" in md.stdout
    assert f"| {OFFSHORE} | TCO | $8,649,993 | $8,832,182 | **+$182,189** |" in md.stdout
    assert "|  | Payback (months) | never | never | — |" in md.stdout
    assert "11 of 26 results changed" in md.stdout
    assert "the recommendation did not" in md.stdout

    table = cli("compare", *args)
    assert table.exit_code == 0, table.output
    assert f"Changes against {previous}" in table.stdout
    assert "+$182,189" in table.stdout and "-8.0 pp" in table.stdout
    assert max(len(line) for line in table.stdout.splitlines()) <= 100


def test_output_file(cli: Invoke, previous: Path, tmp_path: Path) -> None:
    out = tmp_path / "diff.md"
    result = cli(
        "compare", *example_args("contact_center_v1"), "-f", "markdown", "--baseline", previous,
        "--output", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "0 of 26 results changed" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "{path}: baseline file not found"),
        ("", "{path}:1:1: not valid JSON: Expecting value"),
        ('{"schema_version": 1,\n  oops}', "{path}:2:3: not valid JSON: Expecting property name"),
        (
            "[1, 2]",
            "{path}: expected the output of `outsourcecalc compare --format json`, got a list",
        ),
        ('{"schema_version": 3}', "{path}: schema_version: must be 1 or 2 (got 3)"),
        ('{"a": 1, "a": 2}', "{path}: not valid JSON: duplicate key 'a'"),
        ('{"schema_version": NaN}', "{path}: not valid JSON: NaN is not a number"),
        (b"\xff\xfe{}", "{path}:1:1: the file is saved as UTF-16; save it as UTF-8"),
    ],
)
def test_bad_baseline_file(
    cli: Invoke, tmp_path: Path, content: str | bytes | None, message: str
) -> None:
    path = tmp_path / "previous.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "out.json"
    result = cli("compare", *example_args("contact_center_v1"), "--baseline", path, "-o", out)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(message.format(path=path)), result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert not out.exists()


def test_every_schema_problem_reported_at_once(previous: Path) -> None:
    data = json.loads(previous.read_text(encoding="utf-8"))
    del data["vendors"][0]["irr"]
    data["vendors"][1]["tco"] = None
    data["vendors"][1]["roi"] = True
    data["in_house"]["npv"] = "13,457,687"
    data["recommendation"] = None
    with pytest.raises(InputError) as caught:
        baseline.loads(json.dumps(data), "prev.json")
    assert [str(p) for p in caught.value.problems] == [
        "prev.json: recommendation: must be text (got null)",
        "prev.json: in_house.npv: must be a number (got '13,457,687')",
        "prev.json: vendors[0].irr: must be a number or null (missing)",
        "prev.json: vendors[1].tco: must be a number (got null)",
        "prev.json: vendors[1].roi: must be a number or null (got true)",
    ]


def test_a_baseline_with_changes_can_be_a_baseline(
    cli: Invoke, previous: Path, tmp_path: Path
) -> None:
    """The JSON of a --baseline run (SPEC JSON plus `changes`) serves as the next baseline."""
    chained = tmp_path / "chained.json"
    chained.write_text(json.dumps(compare_json(cli, "--baseline", previous)), encoding="utf-8")
    changes = compare_json(cli, "--baseline", chained)["changes"]
    assert {row["status"] for row in changes} == {"unchanged"}


# --------------------------------------------------------------------------- helpers


def vendor(name: str, **metrics: Any) -> dict[str, Any]:
    values: dict[str, Any] = {key: 0.0 for key in RESULT_KEYS}
    values.update(metrics)
    return {"name": name, **values, "monthly": [], "breakdown": {}}


def spec_json(**metrics: Any) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "currency": "USD",
        "horizon_months": 36,
        "discount_rate": 0.08,
        "in_house": {"name": "X", "tco": 10.0, "npv": 9.0, "monthly": [], "breakdown": {}},
        "vendors": [vendor("A", **metrics)],
        "recommendation": "in-house",
    }


def test_names_are_text_not_markup(cli: Invoke, tmp_path: Path) -> None:
    """A vendor's name is shown as written: "[/x]" is not rich markup, ":smile:" no emoji."""
    name = "Acme [/x] [bold]BPO :smile:"
    source = (Path("examples/payroll/vendor.yaml")).read_text(encoding="utf-8")
    vendor_file = tmp_path / "vendor.yaml"
    vendor_file.write_text(
        "\n".join(f"name: {json.dumps(name)}" if line.startswith("name:") else line
                  for line in source.splitlines()) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    args = ["examples/payroll/in_house.yaml", vendor_file]
    first = cli("compare", *args, "-f", "json")
    assert first.exit_code == 0, first.output
    previous = tmp_path / "previous.json"
    previous.write_text(first.stdout, encoding="utf-8")
    result = cli("compare", *args, "--baseline", previous)
    assert result.exit_code == 0, result.output
    assert result.stdout.count(name) >= 2, result.stdout  # the report and the changes
