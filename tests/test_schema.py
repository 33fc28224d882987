"""The JSON Schema accepts exactly what `outsourcecalc validate` accepts.

An editor checks files against `outsourcecalc schema`; if the two disagree, it
flags files the tool reads, or lets through files the tool refuses. Each case
writes one value into a small valid file, then asks both: `outsourcecalc
validate` (in-process) and check-jsonschema (the dev dependency, as a
subprocess, one run for all files of a kind).

What the schema cannot say, and so is left out here: a value written as text
must also be within the field's bounds ("500%" for a benefits rate of at most
200%, "5" for a rate of at most 1, "0" for an fx_rate above 0, "700" for a
horizon of at most 600, "1e16" above the sane maximum of money), text too large for
a float ("1e400"), digits other than
0-9, and the checks across fields (one pricing form per charge, tiers in order,
time off below the working days).
"""

from __future__ import annotations

import json
import math
import re
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError
from test_cli import check_jsonschema
from typer.testing import CliRunner

from outsourcecalc.cli import app
from outsourcecalc.inputs import models, values
from outsourcecalc.inputs.loader import load_file
from outsourcecalc.inputs.validate import file_kind
from outsourcecalc.rules import parse_number, parse_rate

ROOT = Path(__file__).resolve().parent.parent

IN_HOUSE = """\
kind: in_house
name: T
analysis:
  horizon_months: {horizon_months}
  discount_rate: {discount_rate}
salary_growth: {salary_growth}
staff:
  - role: Agent
    headcount: 10
    annual_salary: {annual_salary}
    benefits_rate: {benefits_rate}
workload:
  monthly_volume: {monthly_volume}
"""
IN_HOUSE_VALID = {
    "horizon_months": "36",
    "discount_rate": "0.08",
    "salary_growth": "0",
    "annual_salary": "42000",
    "benefits_rate": "0.25",
    "monthly_volume": "9500",
}
VENDOR = """\
kind: vendor
name: V
fx_rate: {fx_rate}
sla_credit_rate: {sla_credit_rate}
pricing:
  - name: seats
    per_fte_month: {per_fte_month}
    fte: 10
"""
VENDOR_VALID = {"fx_rate": "null", "sla_credit_rate": "0", "per_fte_month": "3100"}
TEMPLATES = {"in_house": (IN_HOUSE, IN_HOUSE_VALID), "vendor": (VENDOR, VENDOR_VALID)}

# each value as written after `field: ` in YAML, and whether the tool takes it
MONEY = [
    ('"9,500"', True),
    ("9,500", True),  # plain YAML text, the same string
    ('"42,000.50"', True),
    ('"4.2e4"', True),
    ("4.2e4", True),  # a string to PyYAML (1.1), a float to YAML 1.2 readers
    ('"4,2000"', False),
    ('"-5"', False),
    ("-5", False),
    ('"-0"', True),
    ('"42_000"', True),
    ("42_000", True),
    ("42000", True),
    ("42000.5", True),
    ('" 42,000 "', True),
    ('"+42000"', True),
    ('"1,00"', False),
    ('"42,000 USD"', False),
    ('"$42,000"', False),
    ('""', False),
    ("true", False),
    ("null", False),
    ('"' + "0" * 92 + "1" * 8 + '"', True),  # 100 characters, below every sane maximum
    ("1e16", False),  # above it, as a number
    ('"' + "1" * 101 + '"', False),
]
RATE = [
    ('"28%"', True),
    ('" 28 % "', True),
    ("0.28", True),
    ('"0.28"', True),
    ("28", False),  # too high for a rate of at most 1 (and 2, and 5): meant 0.28
    ('"abc"', False),
    ('"-5%"', False),
    ('"-0%"', True),
    ('"28%%"', False),
    ('"%"', False),
    ("-0.1", False),
    ("true", False),
]
GROWTH = [('"-5%"', True), ("-0.05", True), ('"-0.05"', True), ("-0.6", False), ('"3%"', True)]
WHOLE = [
    ("36", True),
    ('"36"', True),
    ("36.0", True),
    ("36.5", False),
    ('"36.0"', False),
    ("0", False),
    ("601", False),
    ('"-3"', False),
    ("true", False),
]
FX = [("1.5", True), ('"1,350.5"', True), ("0", False), ("-1", False), ('"-1"', False)]

CASES = [
    *(("in_house", "annual_salary", text, ok) for text, ok in MONEY),
    *(("in_house", "monthly_volume", text, ok) for text, ok in MONEY),
    # a charge without its price is refused by the check across its fields, not by the schema
    *(("vendor", "per_fte_month", text, ok) for text, ok in MONEY if text != "null"),
    *(("in_house", "benefits_rate", text, ok) for text, ok in RATE),
    *(("in_house", "discount_rate", text, ok) for text, ok in RATE),
    *(("vendor", "sla_credit_rate", text, ok) for text, ok in RATE),
    *(("in_house", "salary_growth", text, ok) for text, ok in GROWTH),
    *(("in_house", "horizon_months", text, ok) for text, ok in WHOLE),
    *(("vendor", "fx_rate", text, ok) for text, ok in FX),
]


def _schemas(tmp_path: Path) -> dict[str, Path]:
    runner = CliRunner()
    out = {}
    for kind, arg in (("in_house", "in-house"), ("vendor", "vendor")):
        target = tmp_path / f"{kind}.schema.json"
        result = runner.invoke(app, ["schema", arg, "--output", str(target)])
        assert result.exit_code == 0, result.output
        out[kind] = target
    return out


def _schema_rejects(schema: Path, files: list[Path]) -> set[str]:
    """The files check-jsonschema refuses."""
    checked = subprocess.run(
        [check_jsonschema(), "--output-format", "json", "--schemafile", str(schema)]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    report = json.loads(checked.stdout)
    assert not report.get("parse_errors"), report["parse_errors"]
    return {error["filename"] for error in report.get("errors", [])}


def _validate_accepts(path: Path) -> bool:
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code in (0, 2), result.output  # never a traceback
    return result.exit_code == 0


def _agree(tmp_path: Path, files: dict[str, list[Path]]) -> dict[Path, tuple[bool, bool]]:
    """Each file: (validate accepts it, the schema accepts it)."""
    schemas = _schemas(tmp_path)
    out = {}
    for kind, paths in files.items():
        if not paths:
            continue
        rejected = _schema_rejects(schemas[kind], paths)
        for path in paths:
            out[path] = (_validate_accepts(path), str(path) not in rejected)
    return out


def test_schema_and_validate_agree_on_edge_values(tmp_path: Path) -> None:
    files: dict[str, list[Path]] = {"in_house": [], "vendor": []}
    expected: dict[Path, tuple[str, str, bool]] = {}
    for i, (kind, field, text, ok) in enumerate(CASES):
        template, valid = (
            (IN_HOUSE, IN_HOUSE_VALID) if kind == "in_house" else (VENDOR, VENDOR_VALID)
        )
        path = tmp_path / f"{i:03d}_{kind}_{field}.yaml"
        path.write_text(template.format(**{**valid, field: text}), encoding="utf-8")
        files[kind].append(path)
        expected[path] = (field, text, ok)
    answers = _agree(tmp_path, files)
    wrong = [
        f"{field}: {text} (validate {'accepts' if tool else 'rejects'}, "
        f"schema {'accepts' if schema else 'rejects'}, expected {'ok' if ok else 'an error'})"
        for path, (field, text, ok) in expected.items()
        for tool, schema in [answers[path]]
        if not tool == schema == ok
    ]
    assert not wrong, "\n".join(wrong)


def test_the_valid_files_are_valid(tmp_path: Path) -> None:
    """The base of every case above is accepted by both, so each case tests its one value."""
    ih, vendor = tmp_path / "ih.yaml", tmp_path / "v.yaml"
    ih.write_text(IN_HOUSE.format(**IN_HOUSE_VALID), encoding="utf-8")
    vendor.write_text(VENDOR.format(**VENDOR_VALID), encoding="utf-8")
    assert _agree(tmp_path, {"in_house": [ih], "vendor": [vendor]}) == {
        ih: (True, True),
        vendor: (True, True),
    }


EXAMPLES = sorted((ROOT / "examples").glob("*/*.yaml")) + sorted(
    (ROOT / "src" / "outsourcecalc" / "starter").glob("*.yaml")
)


@pytest.mark.parametrize("kind", ["in_house", "vendor"])
def test_schema_and_validate_accept_every_example(tmp_path: Path, kind: str) -> None:
    paths = [p for p in EXAMPLES if file_kind(load_file(p).data) == kind]
    assert len(paths) >= 4
    assert _agree(tmp_path, {kind: paths}) == {p: (True, True) for p in paths}


@cache
def _text_patterns(kind: models.FileKind, field: str) -> list[re.Pattern[str]]:
    """The string forms the schema allows for a field (Python's re reads these patterns as
    ECMAScript does: ASCII classes, anchors and a lookahead only)."""
    schema = models.FILE_MODELS[kind].model_json_schema()
    prop = schema["properties"].get(field)
    if prop is None:
        prop = schema["$defs"]["StaffRole"]["properties"][field]
    return [re.compile(o["pattern"]) for o in prop["anyOf"] if o.get("type") == "string"]


def _field_takes(parse: Callable[[Any], float], text: str) -> bool:
    try:
        parse(text)
    except PydanticCustomError:
        return False
    return True


def _reads_as(text: str, percent: bool, signed: bool) -> bool:
    """rules' one parser reads `text` (no matter how large), and not below zero unless signed:
    what the schema's string form can say."""
    try:
        number = parse_rate(text) if percent else parse_number(text)
    except ValueError:
        return False
    return signed or not number < 0


NUMBERISH = st.text(alphabet="0123456789,._eE+-% \t", max_size=12)


@settings(max_examples=1500, deadline=None)
@given(NUMBERISH)
def test_the_schema_patterns_are_the_parser(text: str) -> None:
    """Any text made of number characters: the schema's string form matches it exactly when
    the one parser reads it, and always when the field takes it."""
    for kind, field, parse, percent, signed in (
        ("in_house", "annual_salary", values.money, False, False),
        ("in_house", "benefits_rate", models.Rate(0.0, 2.0), True, False),
        ("in_house", "salary_growth", models.Rate(-0.5, 1.0), True, True),
        ("vendor", "fx_rate", models.Number(0.0, math.inf, low_open=True), False, False),
    ):
        matched = any(p.search(text) for p in _text_patterns(kind, field))
        assert matched == _reads_as(text, percent, signed), (field, text)
        if _field_takes(parse, text):
            assert matched, (field, text)
