"""Names that would make a result ambiguous: a vendor called in-house, two vendors alike."""

from __future__ import annotations

from pathlib import Path

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
