"""The models, the plain records they validate into, and the validators compiled from them.

models.py is the one statement of the input format; records.py and compiled.py follow
from it. These tests fail when either drifts from it.
"""

from __future__ import annotations

import subprocess
import sys
import typing
from pathlib import Path

import pydantic_core
import pytest
from pydantic import BaseModel
from pydantic_core import SchemaValidator

from outsourcecalc.errors import InputError
from outsourcecalc.inputs import compiled, models, records
from outsourcecalc.inputs.loader import load_file
from outsourcecalc.inputs.validate import model_from, validator

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/*.yaml"))
MODELS = [
    m
    for m in vars(models).values()
    if isinstance(m, type) and issubclass(m, BaseModel) and m not in (BaseModel, models.Strict)
]


def test_every_model_has_a_record_with_the_same_fields() -> None:
    assert len(MODELS) == 14
    for model in MODELS:
        record = getattr(records, model.__name__)
        assert issubclass(record, records.Record)
        annotated = typing.get_type_hints(record)
        assert list(annotated) == list(model.model_fields), model.__name__


def test_compiled_is_what_the_models_compile_to_today() -> None:
    if pydantic_core.__version__ != compiled.PYDANTIC_CORE_VERSION:
        pytest.skip(
            f"compiled for pydantic-core {compiled.PYDANTIC_CORE_VERSION}, this is "
            f"{pydantic_core.__version__}: run python -m outsourcecalc.inputs.models"
        )
    text = (ROOT / "src" / "outsourcecalc" / "inputs" / "compiled.py").read_text(encoding="utf-8")
    assert text == models.compiled_source(), "run: python -m outsourcecalc.inputs.models"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_compiled_and_live_schemas_read_the_examples_alike(path: Path) -> None:
    doc = load_file(path)
    kind = "vendor" if "pricing" in doc.data else "in_house"
    fast = validator(kind).validate_python(doc.data)
    live = SchemaValidator(models.record_schema(models.FILE_MODELS[kind])).validate_python(doc.data)
    assert fast == live
    # and the records hold what pydantic's own models hold, field for field
    assert _plain(fast) == models.FILE_MODELS[kind].model_validate(doc.data).model_dump()


def _plain(value: object) -> object:
    if isinstance(value, records.Record):
        return {k: _plain(v) for k, v in value.fields().items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def test_defaults_fill_blocks_the_file_leaves_out() -> None:
    ih = validator("in_house").validate_python(
        {"name": "x", "staff": [{"role": "a", "headcount": 1, "annual_salary": "42,000"}]}
    )
    assert isinstance(ih, records.InHouse)
    assert (ih.analysis.horizon_months, ih.analysis.discount_rate, ih.analysis.start_month) == (
        36,
        0.08,
        1,
    )
    assert (ih.calendar.working_days_per_year, ih.calendar.hours_per_day) == (260, 8)
    assert ih.staff[0].annual_salary == 42000.0
    assert ih.staff[0].avoidable is True
    assert ih.variable_costs == [] and ih.workload is None


def test_model_checks_run_on_records(tmp_path: Path) -> None:
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


def test_replace_copies_and_leaves_the_original() -> None:
    tier = (
        validator("vendor")
        .validate_python(
            {
                "name": "V",
                "pricing": [
                    {"name": "a", "tiers": [{"up_to": 10, "per_unit": 1}, {"per_unit": 2}]}
                ],
            }
        )
        .pricing[0]
        .tiers[0]
    )
    changed = tier.replace(per_unit=3.0)
    assert (tier.per_unit, changed.per_unit, changed.up_to) == (1.0, 3.0, 10.0)
    assert changed != tier and changed == tier.replace(per_unit=3.0)


def test_compare_reads_files_without_pydantic_models() -> None:
    """The cold-start budget (benchmarks/startup.py) depends on this."""
    code = (
        "import sys\n"
        "from outsourcecalc.cli import main\n"
        "sys.argv = ['outsourcecalc', 'compare', *sys.argv[1:], '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'pydantic.main' not in sys.modules, 'pydantic models were loaded'\n"
        "assert 'outsourcecalc.inputs.models' not in sys.modules\n"
    )
    ex = ROOT / "examples" / "contact_center"
    files = [str(ex / n) for n in ("in_house.yaml", "vendor_onshore.yaml")]
    result = subprocess.run(
        [sys.executable, "-c", code, *files], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
