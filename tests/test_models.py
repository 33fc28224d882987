"""The models are the one statement of the input format, and the one path that reads files.

Every example validates into them; their checks across fields run; a batch puts
arrays into them without validation; every numeric field carries its bound, unit and
label (models.describe, models.label_of), which `--vary`, `--uncertain`, the workbook and
the charts read too.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import get_args, get_origin

import numpy as np
import pytest
from pydantic import BaseModel

from outsourcecalc.errors import InputError
from outsourcecalc.inputs import models
from outsourcecalc.inputs.loader import load_file
from outsourcecalc.inputs.paths import parse_path, path_bounds
from outsourcecalc.inputs.validate import file_kind, model_from
from outsourcecalc.rules import MAX_COUNT, MAX_MONEY

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/*.yaml"))
MODELS = [
    m
    for m in vars(models).values()
    if isinstance(m, type) and issubclass(m, BaseModel) and m not in (BaseModel, models.Strict)
]
NUMERIC_UNITS = {
    "money",
    "rate",
    "fte",
    "units",
    "months",
    "month",
    "days",
    "hours",
    "number",
    "fx",
}
TEXT_UNITS = {"currency", "text", "flag"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_validates_into_its_model(path: Path) -> None:
    doc = load_file(path)
    kind = file_kind(doc.data)
    # what the file says is what the model holds: a salary written "42,000" is 42000.0
    if kind == "in_house":
        ih = model_from(doc, "in_house")
        assert type(ih) is models.InHouse
        for role, written in zip(ih.staff, doc.data["staff"], strict=True):
            assert role.annual_salary == float(str(written["annual_salary"]).replace(",", ""))
    else:
        assert kind == "vendor"
        vendor = model_from(doc, "vendor")
        assert type(vendor) is models.Vendor
        assert [c.name for c in vendor.pricing] == [c["name"] for c in doc.data["pricing"]]


def test_defaults_fill_blocks_the_file_leaves_out() -> None:
    ih = models.InHouse.model_validate(
        {"name": "x", "staff": [{"role": "a", "headcount": 1, "annual_salary": "42,000"}]}
    )
    assert (ih.analysis.horizon_months, ih.analysis.discount_rate, ih.analysis.start_month) == (
        36,
        0.08,
        1,
    )
    assert (ih.calendar.working_days_per_year, ih.calendar.hours_per_day) == (260, 8)
    assert ih.staff[0].annual_salary == 42000.0
    assert ih.staff[0].avoidable is True
    assert ih.variable_costs == [] and ih.workload is None
    assert ih.total_headcount == 1


def test_model_checks_run_on_the_models(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_text(
        "kind: vendor\nname: V\npricing:\n  - name: a\n    monthly: 10\n    per_unit: 2\n"
    )
    with pytest.raises(InputError) as err:
        model_from(load_file(path), "vendor")
    assert [str(p) for p in err.value.problems] == [
        f"{path}:6:5: pricing[0].per_unit: give only one of monthly, per_fte_month, per_hour, "
        "per_unit or tiers (this charge has monthly and per_unit); put each price in a charge "
        "of its own"
    ]


def _vendor() -> models.Vendor:
    return models.Vendor.model_validate(
        {
            "name": "V",
            "sla_credit_rate": "2%",
            "governance_rate": 0.05,
            "pricing": [
                {"name": "a", "tiers": [{"up_to": 10, "per_unit": 1}, {"per_unit": 2}]},
                {"name": "b", "per_fte_month": "3,100", "fte": 4},
            ],
        }
    )


def test_what_the_engine_reads_from_a_charge_and_a_vendor() -> None:
    vendor = _vendor()
    assert [c.form for c in vendor.pricing] == ["tiers", "per_fte_month"]
    assert [c.uses_volume for c in vendor.pricing] == [True, False]
    assert vendor.uses_volume
    assert vendor.cost_factor == pytest.approx(1 - 0.02 + 0.05)
    assert models.FORMS == ("monthly", "per_fte_month", "per_hour", "per_unit", "tiers")


def test_replace_copies_and_leaves_the_original() -> None:
    tiers = _vendor().pricing[0].tiers
    assert tiers is not None
    tier = tiers[0]
    changed = tier.replace(per_unit=3.0)
    assert (tier.per_unit, changed.per_unit, changed.up_to) == (1.0, 3.0, 10.0)
    assert changed != tier and changed == tier.replace(per_unit=3.0)
    assert repr(changed) == "Tier(up_to=10.0, per_unit=3.0)"
    assert changed.fields() == {"up_to": 10.0, "per_unit": 3.0}


def test_replace_puts_a_batch_column_in_without_validating_it() -> None:
    vendor = _vendor()
    column = np.array([[0.1], [0.2], [0.3]])
    batch = vendor.replace(scope=column)
    assert batch.fields()["scope"] is column and vendor.scope == 1.0
    assert list(batch.fields()) == list(models.Vendor.model_fields)
    assert batch.pricing is vendor.pricing  # the rest is shared, not copied
    assert batch == vendor.replace(scope=column)  # the same array: equal


def test_every_numeric_field_has_a_bound_a_unit_and_a_label() -> None:
    numeric = 0
    for model in MODELS:
        for name in model.model_fields:
            annotation = models.leaf_annotation(model, (name,))
            inner = models.unwrap(annotation)
            if get_origin(inner) is list:  # seasonality: the list is labelled, each entry bound
                bound = models.bound_of(get_args(inner)[0])
            else:
                bound = models.bound_of(annotation)
            labels = [m for m in models.markers(annotation) if isinstance(m, models.Label)]
            assert len(labels) <= 1, (model.__name__, name)
            for label in labels:
                # a lower-case phrase (but for acronyms), which a heading capitalises
                assert label.text and label.text == label.text.strip()
                assert label.text[0].islower() or label.text.split()[0].isupper(), label
                assert label.per == label.per.strip() and label.note == label.note.strip()
                assert label.currency == "analysis" or label.unit == "money", label
            if inner not in (int, float) and bound is None:
                # text is labelled where people read it (name, currency, tier_mode, avoidable)
                assert all(label.unit in TEXT_UNITS for label in labels), (model.__name__, name)
                continue
            assert bound is not None, (model.__name__, name)
            assert bound.whole == (inner is int), (model.__name__, name)
            assert len(labels) == 1, (model.__name__, name)
            assert labels[0].unit in NUMERIC_UNITS
            numeric += 1
    # StaffRole's seven count apart from Role's; v2: handle_minutes, occupancy, min_headcount,
    # a criterion's weight, the scorecard's scale and min_score, a benefit's five
    assert numeric == 59


@pytest.mark.parametrize(
    ("kind", "loc", "label", "unit", "low", "high", "low_open", "high_open", "whole"),
    [
        (
            "in_house",
            ("staff", 0, "annual_salary"),
            "annual salary",
            "money",
            0,
            MAX_MONEY,
            0,
            0,
            0,
        ),
        ("in_house", ("staff", 2, "attrition_rate"), "attrition rate", "rate", 0, 5, 0, 0, 0),
        ("in_house", ("analysis", "horizon_months"), "horizon", "months", 1, 600, 0, 0, 1),
        ("in_house", ("analysis", "discount_rate"), "discount rate", "rate", 0, 1, 0, 1, 0),
        ("in_house", ("analysis", "start_month"), "start month", "month", 1, 12, 0, 0, 1),
        (
            "in_house",
            ("workload", "monthly_volume"),
            "monthly volume",
            "units",
            0,
            MAX_COUNT,
            0,
            0,
            0,
        ),
        (
            "in_house",
            ("workload", "seasonality", 11),
            "seasonality",
            "number",
            0,
            MAX_COUNT,
            0,
            0,
            0,
        ),
        ("in_house", ("workload", "growth_rate"), "volume growth rate", "rate", -0.5, 1, 0, 0, 0),
        ("in_house", ("calendar", "hours_per_day"), "hours per day", "hours", 0, 24, 1, 0, 0),
        ("in_house", ("one_time", 0, "month"), "month", "month", 0, math.inf, 0, 0, 1),
        ("vendor", ("fx_rate",), "exchange rate", "fx", 0, MAX_COUNT, 1, 0, 0),
        ("vendor", ("scope",), "scope", "rate", 0, 1, 1, 0, 0),
        (
            "vendor",
            ("pricing", 0, "per_fte_month"),
            "per FTE per month",
            "money",
            0,
            MAX_MONEY,
            0,
            0,
            0,
        ),
        ("vendor", ("pricing", 0, "tiers", 1, "up_to"), "up to", "units", 0, MAX_COUNT, 0, 0, 0),
        ("vendor", ("retained_staff", 0, "headcount"), "headcount", "fte", 0, MAX_COUNT, 0, 0, 0),
        (
            "vendor",
            ("transition", "parallel_run_months"),
            "parallel run",
            "months",
            0,
            math.inf,
            0,
            0,
            1,
        ),
    ],
)
def test_describe_names_a_field_with_its_unit_and_bounds(
    kind: models.FileKind,
    loc: tuple[str | int, ...],
    label: str,
    unit: models.Unit,
    low: float,
    high: float,
    low_open: int,
    high_open: int,
    whole: int,
) -> None:
    found = models.describe(kind, loc)
    assert (found.label, found.unit) == (label, unit)
    bounds = (found.low, found.high, found.low_open, found.high_open, found.whole)
    assert bounds == (low, high, bool(low_open), bool(high_open), bool(whole))


@pytest.mark.parametrize(
    ("kind", "loc"),
    [
        ("in_house", ("name",)),
        ("in_house", ("nope",)),
        ("vendor", ("pricing",)),
        ("vendor", ("pricing", 0, "tier_mode")),
    ],
)
def test_describe_refuses_what_is_not_a_numeric_field(
    kind: models.FileKind, loc: tuple[str | int, ...]
) -> None:
    with pytest.raises(KeyError):
        models.describe(kind, loc)


def test_vary_and_uncertain_read_their_bounds_from_the_markers() -> None:
    for text in ("analysis.discount_rate", "in_house.calendar.hours_per_day", "vendor[0].scope"):
        path = parse_path(text)
        bounds = path_bounds(path, "--vary")
        described = models.describe(path.target, path.loc)
        assert (bounds.low, bounds.high, bounds.low_open, bounds.high_open, bounds.whole) == (
            described.low,
            described.high,
            described.low_open,
            described.high_open,
            described.whole,
        )


def test_compare_needs_nothing_beyond_the_models() -> None:
    """One path reads files: the models themselves, with no generated or mirror module."""
    code = (
        "import sys\n"
        "from outsourcecalc.cli import main\n"
        "sys.argv = ['outsourcecalc', 'compare', *sys.argv[1:], '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'outsourcecalc.inputs.models' in sys.modules\n"
        "gone = {'outsourcecalc.inputs.records', 'outsourcecalc.inputs.compiled'}\n"
        "assert not gone & set(sys.modules), gone & set(sys.modules)\n"
    )
    ex = ROOT / "examples" / "contact_center"
    files = [str(ex / n) for n in ("in_house.yaml", "vendor_onshore.yaml")]
    result = subprocess.run(
        [sys.executable, "-c", code, *files], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_no_module_under_src_is_generated() -> None:
    inputs = ROOT / "src" / "outsourcecalc" / "inputs"
    assert not (inputs / "compiled.py").exists() and not (inputs / "records.py").exists()
    for path in (ROOT / "src").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "Do not edit" not in text and "generated" not in text.lower(), path


@pytest.mark.parametrize(
    ("kind", "loc", "expected"),
    [
        ("in_house", ("name",), models.Label("name", "text")),
        ("in_house", ("currency",), models.Label("analysis currency", "currency")),
        ("vendor", ("currency",), models.Label("quote currency", "currency")),
        ("in_house", ("staff", 3, "avoidable"), models.AVOIDABLE),
        (
            "in_house",
            ("workload", "seasonality", 0),
            models.Label("seasonality", "number", note="× monthly volume"),
        ),
        ("vendor", ("pricing", 1, "tier_mode"), models.Label("tier mode", "text")),
        (
            "in_house",
            ("staff", 0, "annual_salary"),
            models.Label("annual salary", "money", per="FTE/year"),
        ),
        (
            "vendor",
            ("minimum_monthly_fee",),
            models.Label("minimum monthly fee", "money", per="month", currency="quote"),
        ),
        (
            "vendor",
            ("retained_staff", 0, "annual_salary"),  # retained staff are paid in-house
            models.Label("annual salary", "money", per="FTE/year"),
        ),
        (
            "vendor",
            ("transition", "costs", 0, "amount"),
            models.Label("amount", "money", currency="own"),
        ),
    ],
)
def test_label_of_names_any_field_shown_to_people(
    kind: models.FileKind, loc: tuple[str | int, ...], expected: models.Label
) -> None:
    assert models.label_of(kind, loc) == expected


@pytest.mark.parametrize(
    ("kind", "loc"),
    [
        ("in_house", ("staff", 0, "role")),  # the key column of a table: named by its table
        ("in_house", ("staff",)),
        ("in_house", ("analysis",)),
        ("vendor", ("pricing", 0, "tiers")),  # a list is labelled by its entries' fields
        ("vendor", ("nope",)),
    ],
)
def test_label_of_refuses_what_has_no_label(
    kind: models.FileKind, loc: tuple[str | int, ...]
) -> None:
    with pytest.raises(KeyError):
        models.label_of(kind, loc)


def test_choices_come_from_the_field_type() -> None:
    assert models.choices("vendor", ("pricing", 0, "tier_mode")) == ("graduated", "volume")
    assert models.choices("vendor", ("pricing", 0, "name")) == ()
    assert models.choices("vendor", ("scope",)) == ()


def test_the_schema_describes_a_field_by_its_label() -> None:
    schema = models.Vendor.model_json_schema()
    assert schema["properties"]["scope"]["description"] == (
        "scope (rate: share of the avoidable operation taken over)"
    )
    role = schema["$defs"]["Role"]["properties"]
    assert role["annual_salary"]["description"] == "annual salary (money per FTE/year)"
    assert role["headcount"]["description"] == "headcount (FTE)"
    assert schema["properties"]["name"]["description"] == "name"
