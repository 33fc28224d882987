"""Names that would make a result ambiguous: a vendor called in-house, two vendors alike."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from outsourcecalc.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "contact_center"
IN_HOUSE = EXAMPLES / "in_house.yaml"
ONSHORE = EXAMPLES / "vendor_onshore.yaml"


def renamed(tmp_path: Path, name: str, file: str = "vendor.yaml") -> Path:
    text = ONSHORE.read_text(encoding="utf-8")
    lines = [f"name: {name}" if line.startswith("name:") else line for line in text.splitlines()]
    path = tmp_path / file
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_vendor_named_in_house_is_refused(tmp_path: Path) -> None:
    vendor = renamed(tmp_path, "In-House")
    result = CliRunner().invoke(app, ["compare", str(IN_HOUSE), str(vendor)])
    assert result.exit_code == 2
    assert result.output == (
        f"{vendor}:10:1: name: 'In-House' is what the recommendation says when no vendor "
        "pays; give the vendor its own name\n"
    )


def test_two_vendors_of_one_name_are_refused(tmp_path: Path) -> None:
    first = renamed(tmp_path, "Acme", "a.yaml")
    second = renamed(tmp_path, " acme", "b.yaml")
    result = CliRunner().invoke(app, ["compare", str(IN_HOUSE), str(first), str(second)])
    assert result.exit_code == 2
    assert result.output == (
        f"{second}:10:1: name: another vendor file ({first}) has this name too; "
        "give each vendor its own name\n"
    )


HOSTILE_NAMES = {
    "escapes": "Ops\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil.example\x1b\\clickme\x9b31m",
    "bidi-override": "Acme\u202egnp.exe",
    "newline": "Acme\n# Injected heading",
    "tab": "\tAcme",
    "line-separator": "Acme\u2028# Injected heading",
}


def _no_controls(text: str) -> bool:
    return not any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in text) and (
        "\u202e" not in text and "\u2028" not in text
    )


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_a_name_with_control_characters_is_refused_and_never_echoed_raw(
    tmp_path: Path, name: str
) -> None:
    vendor = tmp_path / "vendor.yaml"
    text = ONSHORE.read_text(encoding="utf-8")
    vendor.write_text(text.replace("name: Heartland", f"name: {json.dumps(name)}  # was", 1))
    for args in (
        ["compare", str(IN_HOUSE), str(vendor), "-f", "json"],
        ["validate", str(vendor)],
        ["compare", str(IN_HOUSE), str(ONSHORE), "--set", f"vendor.name={json.dumps(name)}"],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "must be plain text" in result.output or "control character" in result.output
        assert _no_controls(result.output), repr(result.output)


FORMULA = '=HYPERLINK("http://evil.example","click")'
MARKUP = "<img src=x onerror=alert(1)> [click](http://evil.example) a|b **bold**"

SCENARIO_ARGS = {
    "compare": [],
    "sweep": ["--vary", "vendor.scope=0.5,1"],
    "sensitivity": ["--only", "vendor.scope"],
    "simulate": ["--uncertain", "vendor.scope=uniform(0.5, 1)", "--trials", "50"],
}


@pytest.mark.parametrize("command", SCENARIO_ARGS)
def test_csv_cells_never_start_a_formula(tmp_path: Path, command: str) -> None:
    vendor = renamed(tmp_path, json.dumps(FORMULA))
    args = [command, str(IN_HOUSE), str(vendor), *SCENARIO_ARGS[command], "-f", "csv"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert FORMULA.replace('"', '""') in result.output  # the name is there, as data
    for line in result.output.splitlines():
        for cell in next(iter(__import__("csv").reader([line]))):
            assert not cell.startswith(("=", "+", "@")), line
            assert not cell.startswith("-") or cell.replace(".", "", 1).lstrip("-").isdigit()


@pytest.mark.parametrize("command", SCENARIO_ARGS)
def test_markdown_shows_a_name_as_text(tmp_path: Path, command: str) -> None:
    vendor = renamed(tmp_path, json.dumps(MARKUP))
    args = [command, str(IN_HOUSE), str(vendor), *SCENARIO_ARGS[command], "-f", "markdown"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    text = result.output
    assert "<img" not in text and "[click](" not in text and "**bold**" not in text
    if command != "sensitivity":  # it names inputs by path, not vendors
        assert "&lt;img src=x onerror=alert(1)&gt; \\[click\\](http://evil.example)" in text


def test_a_name_longer_than_a_header_can_show_is_refused(tmp_path: Path) -> None:
    """A workbook cell holds 32,767 characters: a 40,000-character name was cut silently."""
    vendor = renamed(tmp_path, "A" * 40_000)
    result = CliRunner().invoke(app, ["export", str(IN_HOUSE), str(vendor), "--xlsx", "x.xlsx"])
    assert result.exit_code == 2
    assert result.output == f"{vendor}:10:1: name: must be at most 200 characters (got 40,000)\n"
    assert not Path("x.xlsx").exists()


PADDED = "starts or ends with a space (or a zero-width one), which no table shows"
BLANK = "must hold a visible character, not only spaces or zero-width ones"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ('"   "', f"name: {BLANK} (got '   ')"),
        ('"\\u200b"', f"name: {BLANK}"),
        ('" Heartland"', f'name: {PADDED}; write "Heartland"'),
        ('"Heartland\u00a0"', f'name: {PADDED}; write "Heartland"'),
        ('"\\ufeffHeartland"', f'name: {PADDED}; write "Heartland"'),
    ],
)  # fmt: skip
def test_a_name_of_spaces_or_with_spaces_at_an_end_is_refused(
    tmp_path: Path, name: str, message: str
) -> None:
    """A vendor named "   " made the verdict read "the best quote,    , would cost"; a
    criterion "Cultural fit " looked like the score key "Cultural fit" and did not match;
    a zero-width space is as blank as a space. The JSON Schema an editor uses refuses
    the same names."""
    vendor = renamed(tmp_path, name)
    result = CliRunner().invoke(app, ["compare", str(IN_HOUSE), str(vendor)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{vendor}:10:1: {message}"), result.output
    schema = tmp_path / "vendor.schema.json"
    assert CliRunner().invoke(app, ["schema", "vendor", "-o", str(schema)]).exit_code == 0
    validator = Path(sys.executable).with_name("check-jsonschema")
    if not validator.exists():
        pytest.skip("check-jsonschema is not installed: pip install -e .[dev]")
    checked = subprocess.run(
        [str(validator), "--schemafile", str(schema), str(vendor), str(ONSHORE)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert f"{vendor}::$.name: " in checked.stdout and str(ONSHORE) not in checked.stdout
