"""`export --xlsx`: a live workbook that LibreOffice recalculates to the engine's numbers.

The crucial tests open the exported file in LibreOffice headless with a profile that
always recalculates on load, save the recalculated copy and compare every Summary
figure with `compare --format json`: money to the cent, rates and months to 1e-6.
They skip (with the reason) only where `soffice` is not installed; CI installs it with
`apt-get install -y libreoffice-calc-nogui`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import WORKBOOK_EXAMPLES, Invoke, example_args
from hypothesis import HealthCheck, Phase, given, settings
from strategies import cases

from outsourcecalc import case_from_dicts, evaluate, load
from outsourcecalc.engine.model import GATE_KEYS
from outsourcecalc.engine.results import MONEY_KEYS
from outsourcecalc.inputs import models
from outsourcecalc.inputs.models import FileKind, label_of

openpyxl = pytest.importorskip("openpyxl")
xlsxwriter = pytest.importorskip("xlsxwriter")
from outsourcecalc.render import xlsx as render_xlsx  # noqa: E402
from outsourcecalc.render.xlsx.book import MONTH_NAMES  # noqa: E402

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install -y libreoffice-calc-nogui)",
)
RANDOM_CASES = int(os.environ.get("OUTSOURCECALC_XLSX_RANDOM_CASES", "12"))

# Always recalculate on load (0); LibreOffice's default keeps the cached values.
RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop>
</item>
</oor:items>
"""

Recalculate = Callable[[list[Path]], list[Path]]


@pytest.fixture(scope="session")
def recalculate(tmp_path_factory: pytest.TempPathFactory) -> Recalculate:
    """Recalculate .xlsx files from scratch in LibreOffice; return the recalculated copies."""
    assert SOFFICE is not None
    profile = tmp_path_factory.mktemp("lo-profile")
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_PROFILE, "utf-8")

    def run(paths: list[Path]) -> list[Path]:
        out = tmp_path_factory.mktemp("recalculated")
        for start in range(0, len(paths), 40):  # one process for hundreds of files gives up
            subprocess.run(
                [
                    SOFFICE,
                    "--headless",
                    "--norestore",
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to",
                    "xlsx",
                    "--outdir",
                    str(out),
                    *map(str, paths[start : start + 40]),
                ],
                check=True,
                capture_output=True,
                timeout=600,
            )
        copies = [out / p.name for p in paths]
        missing = [str(c) for c in copies if not c.exists()]
        assert not missing, f"LibreOffice did not write {missing}"
        return copies

    return run


# ------------------------------------------------------------------ reading a workbook


def summary_of(path: Path, formulas: bool = False) -> dict[str, list[Any]]:
    """The Summary sheet as {key: [in-house value, vendor values...]}, by the Key column
    (the cells' formulas instead of their values with `formulas`)."""
    ws = openpyxl.load_workbook(path, data_only=not formulas)["Summary"]
    out: dict[str, list[Any]] = {}
    for row in ws.iter_rows(min_row=5, values_only=True):
        if isinstance(row[1], str) and row[1]:
            out[row[1]] = list(row[2:])
    return out


def tolerance(key: str) -> float:
    if key in MONEY_KEYS or key.startswith("breakdown."):
        return 0.01  # to the cent
    if key == "break_even_volume":
        return 1e-4  # written as a value, rounded in the JSON
    return 1e-6


def mismatches(
    summary: dict[str, list[Any]], expected: dict[str, Any], skip: frozenset[str] = frozenset()
) -> list[str]:
    """Every Summary figure that differs from `compare --format json` beyond its tolerance."""
    wrong: list[str] = []

    def check(what: str, key: str, got: Any, want: Any) -> None:
        if want is None:
            if got != render_xlsx.NA:
                wrong.append(f"{what} {key}: workbook {got!r}, json null")
        elif not isinstance(got, int | float) or abs(got - want) > max(
            tolerance(key),
            1e-9 * abs(want),  # a 1e24 IRR cannot agree to 1e-6 absolute
        ):
            wrong.append(f"{what} {key}: workbook {got!r}, json {want!r}")

    ih = expected["in_house"]
    for key in ("tco", "npv", "score"):
        check("in-house", key, summary[key][0], ih[key])
    for key, want in ih["breakdown"].items():
        check("in-house", f"breakdown.{key}", summary[f"breakdown.{key}"][0], want)
    if "cost_per_productive_hour" in ih:
        check(
            "in-house",
            "breakdown.cost_per_productive_hour",
            summary["breakdown.cost_per_productive_hour"][0],
            ih["cost_per_productive_hour"],
        )
    for i, vendor in enumerate(expected["vendors"]):
        for key in GATE_KEYS:  # every result, and the score
            if key not in skip:
                check(vendor["name"], key, summary[key][1 + i], vendor[key])
        for key, want in vendor["breakdown"].items():
            check(vendor["name"], f"breakdown.{key}", summary[f"breakdown.{key}"][1 + i], want)
    if summary["recommendation"][0] != expected["recommendation"]:
        wrong.append(
            f"recommendation: workbook {summary['recommendation'][0]!r}, "
            f"json {expected['recommendation']!r}"
        )
    return wrong


def export_example(cli: Invoke, name: str, target: Path, *options: str) -> dict[str, Any]:
    """Export an example to `target`; return `compare --format json` of the same inputs."""
    result = cli("export", *example_args(name), "--xlsx", target, *options)
    assert result.exit_code == 0, result.output
    compared = cli("compare", *example_args(name), "--format", "json", *options)
    assert compared.exit_code == 0, compared.output
    data: dict[str, Any] = json.loads(compared.stdout)
    return data


def draw_cases(count: int) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """`count` random valid inputs from tests/strategies.py, the same on every run."""
    drawn: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(cases())
    def collect(case: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
        drawn.append(case)

    collect()
    return drawn[:count]


# ------------------------------------------------------------------ LibreOffice


@needs_soffice
def test_recalculated_examples_equal_compare_json(
    cli: Invoke, tmp_path: Path, recalculate: Recalculate
) -> None:
    expected = {}
    paths = []
    for name in WORKBOOK_EXAMPLES:
        paths.append(tmp_path / f"{name}.xlsx")
        expected[name] = export_example(cli, name, paths[-1])
    for name, path in zip(WORKBOOK_EXAMPLES, recalculate(paths), strict=True):
        wrong = mismatches(summary_of(path), expected[name])
        assert not wrong, f"{name}: " + "\n".join(wrong)


@needs_soffice
def test_recalculated_random_inputs_equal_compare_json(
    tmp_path: Path, recalculate: Recalculate
) -> None:
    drawn = draw_cases(RANDOM_CASES)
    assert len(drawn) == RANDOM_CASES
    expected = []
    paths = []
    for n, (in_house, vendors) in enumerate(drawn):
        case = case_from_dicts(in_house, vendors)
        result = evaluate(case)
        expected.append(result.to_json_dict())
        written = tmp_path / f"written_{n}.xlsx"
        written.write_bytes(render_xlsx.render(case, result))
        paths.append(tmp_path / f"random_{n}.xlsx")
        strip_cached_values(written, paths[-1])
    failures = []
    for n, path in enumerate(recalculate(paths)):
        wrong = mismatches(summary_of(path), expected[n])
        if wrong:
            inputs = json.dumps({"in_house": drawn[n][0], "vendors": drawn[n][1]})
            failures.append(f"case {n}: {inputs}\n  " + "\n  ".join(wrong))
    assert not failures, "\n".join(failures)


def strip_cached_values(source: Path, target: Path) -> None:
    """Copy a workbook without the cached value of any formula (openpyxl writes none), so
    that LibreOffice has nothing to fall back on."""
    openpyxl.load_workbook(source).save(target)


def set_named_cells(source: Path, target: Path, values: dict[str, Any]) -> None:
    """Copy a workbook, changing the cells behind some defined names (openpyxl drops the
    cached values of every formula, so LibreOffice has nothing to fall back on)."""
    wb = openpyxl.load_workbook(source)
    for name, value in values.items():
        (sheet, ref), *_ = wb.defined_names[name].destinations
        wb[sheet][ref.replace("$", "")].value = value
    wb.save(target)


@needs_soffice
def test_changed_input_cells_move_results_as_compare_set_says(
    cli: Invoke, tmp_path: Path, recalculate: Recalculate
) -> None:
    """Edit input cells, recalculate: the Summary equals `compare --set` at the same values."""
    edits = {
        "contact_center_v1": (
            {
                "ih_staff_0_annual_salary": 45000,
                "analysis_discount_rate": 0.1,
                "ih_workload_seasonality_11": 1.6,
                "vendor_0_pricing_2_per_unit": 0.1,
                "vendor_1_transition_parallel_run_months": 1,
            },
            [
                "in_house.staff[0].annual_salary=45000",
                "analysis.discount_rate=0.1",
                "in_house.workload.seasonality[11]=1.6",
                "vendor[0].pricing[2].per_unit=0.1",
                "vendor[1].transition.parallel_run_months=1",
            ],
        ),
        "it_helpdesk": (
            {
                "vendor_1_pricing_0_tier_mode": "graduated",
                "vendor_0_pricing_0_tiers_1_up_to": 7500,
                "vendor_0_minimum_monthly_fee": 150000,
                "ih_staff_0_avoidable": False,
                "vendor_1_fx_rate": 1.2,
            },
            [
                "vendor[1].pricing[0].tier_mode=graduated",
                "vendor[0].pricing[0].tiers[1].up_to=7500",
                "vendor[0].minimum_monthly_fee=150000",
                "in_house.staff[0].avoidable=false",
                "vendor[1].fx_rate=1.2",
            ],
        ),
    }
    paths, expected, before = [], [], []
    for name, (cells, sets) in edits.items():
        original = tmp_path / f"{name}.xlsx"
        before.append(export_example(cli, name, original))
        paths.append(tmp_path / f"{name}_edited.xlsx")
        set_named_cells(original, paths[-1], cells)
        options = [arg for s in sets for arg in ("--set", s)]
        compared = cli("compare", *example_args(name), "--format", "json", *options)
        assert compared.exit_code == 0, compared.output
        expected.append(json.loads(compared.stdout))
    for n, path in enumerate(recalculate(paths)):
        summary = summary_of(path)
        # break_even_volume is a value computed by outsourcecalc, not a formula: it stays
        wrong = mismatches(summary, expected[n], skip=frozenset({"break_even_volume"}))
        assert not wrong, "\n".join(wrong)
        # and the edits did move the results
        assert summary["npv"][1] != pytest.approx(before[n]["vendors"][0]["npv"], abs=1)


@needs_soffice
def test_wrong_cached_values_are_recalculated(
    in_repo: Path, tmp_path: Path, recalculate: Recalculate
) -> None:
    """Cached Summary values of other inputs: LibreOffice replaces them with the right ones."""
    in_house, *vendors = example_args("payroll")
    right = load(in_house, vendors)
    wrong = load(in_house, vendors, ["vendor.pricing[0].monthly=40000"])
    path = tmp_path / "stale.xlsx"
    path.write_bytes(render_xlsx.render(right, evaluate(wrong)))
    stale = summary_of(path)
    expected = evaluate(right).to_json_dict()
    assert mismatches(stale, expected), "the cached values should be the wrong ones"
    (recalculated,) = recalculate([path])
    assert not mismatches(summary_of(recalculated), expected)


# ------------------------------------------------------------------ without LibreOffice


def test_cached_values_are_the_engine_results(cli: Invoke, tmp_path: Path) -> None:
    """A viewer that does not recalculate shows what `compare` says."""
    for name in WORKBOOK_EXAMPLES:
        path = tmp_path / f"{name}.xlsx"
        expected = export_example(cli, name, path)
        wrong = mismatches(summary_of(path), expected)
        assert not wrong, f"{name}: " + "\n".join(wrong)


def test_workbook_is_the_model(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "cc.xlsx"
    export_example(cli, "contact_center_v1", path, "--set", "vendor[1].scope=0.9")
    wb = openpyxl.load_workbook(path)
    # (a Scorecard sheet follows the Summary when the in-house file has a scorecard)
    assert [name for name in wb.sheetnames if name != "Scorecard"] == [
        "Summary",
        "Inputs",
        "Monthly",
    ]
    names = set(wb.defined_names)
    for name in (
        "analysis_discount_rate",
        "analysis_start_month",
        "ih_staff_0_annual_salary",
        "ih_staff_annual_salary",
        "ih_workload_seasonality",
        "ih_overheads_2_per_head_monthly",
        "ih_one_time_0_month",
        "vendor_0_pricing_0_per_hour",
        "vendor_1_pricing_0_per_fte_month",
        "vendor_1_scope",
        "vendor_1_transition_costs_1_amount",
        "result_vendor_0_npv_savings",
    ):
        assert name in names, name
    inputs = wb["Inputs"]
    (sheet, ref), *_ = wb.defined_names["vendor_1_scope"].destinations
    assert (sheet, inputs[ref.replace("$", "")].value) == ("Inputs", 0.9)
    sources = {row[0]: row[9] for row in inputs.iter_rows(values_only=True) if row[0]}
    assert sources["Discount rate"] == "tests/data/contact_center_v1/in_house.yaml:18"
    assert "--set vendor[1].scope=0.9" in sources.values()

    monthly = wb["Monthly"]
    assert monthly.freeze_panes == "B3"
    horizon = 36
    assert monthly.max_row == 2 + horizon + 1
    # every figure after the month number is a formula (the plain 0 columns aside)
    for row in monthly.iter_rows(min_row=3, min_col=2, values_only=True):
        formulas = [v for v in row if isinstance(v, str) and v.startswith("=")]
        assert len(formulas) >= len(row) - 2, row
    summary = wb["Summary"]
    keys = {row[1]: row[2:] for row in summary.iter_rows(min_row=5, values_only=True) if row[1]}
    assert keys["irr"][1].startswith("=IF(") and "IRR(Monthly!" in keys["irr"][1]
    assert isinstance(keys["break_even_volume"][1], float | str)  # a value, not a formula
    assert keys["overrides.vendor[1].scope"][0] == 0.9  # the run's --set, as in the JSON
    with zipfile.ZipFile(path) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert chart.count("<c:ser>") == 3  # in-house and both vendors


def test_same_inputs_give_identical_bytes(cli: Invoke, tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    export_example(cli, "it_helpdesk", first)
    time.sleep(1.1)  # a timestamp to the second would show
    export_example(cli, "it_helpdesk", second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert "2000-01-01T00:00:00Z" in z.read("docProps/core.xml").decode()


# The sha256 of each example's workbook (`export` with all its vendors), recorded with
# XlsxWriter 3.3.1: a refactoring of the renderer must not change one byte. Another
# XlsxWriter writes other bytes for the same workbook; after a deliberate change to the
# workbook, or under a new XlsxWriter, check the LibreOffice tests above and record the
# new hashes with their version here.
# Recorded again when the Inputs sheet's labels and units came to be read from the
# models' Label markers (some wording changed: "Attrition rate", "SLA credit rate", ...);
# every formula, value, number format and defined name stayed as it was.
# Recorded again when IRR became Newton's method run to convergence: the cached IRR
# values changed beyond their 9th significant digit (the old search stopped short by
# up to 3e-9 relative on some cases); the LibreOffice recalculation agrees as before.
# Recorded again when the workbook came to model contract v2. On these v1 examples only
# what v2 adds changed: a `score` row on the Summary (n/a: no scorecard), which moves the
# rows below it down by one; the IRR formulas, which start from the engine's monthly root
# written to the last bit (and retry from other starts after an edit); the document's
# subject (contract v2). Every Inputs and Monthly cell and every other formula is as before.
# Recorded again when IRR became Halley's method: two roots moved by one unit in the last
# bit, both within rounding of the exact root. contact_center's Bayanihan: the monthly
# root written as the IRR formula's start 0.21034177200282467 -> ...464 (exact
# 0.2103417720028246377) and the cached annual IRR 8.883170006051236 -> 8.88317000605123
# (exact 8.8831700060512315); it_helpdesk's monthly root 0.10628209802389342 -> ...343
# (exact 0.1062820980238934218), its cached IRR unchanged. Nothing else changed.
# Recorded again (contact_center_v1) when the break-even volume came to be solved on
# the line through today's NPV savings instead of the point at 100x today's volume: the
# cached Summary!D19 went from 519292.8665749147 to 519292.8665749109 (7.7e-15 relative,
# within the rounding of the NPV sums the line is drawn through); no other byte changed.
# Recorded again (all but payroll) when NPVs came to be summed row by row (einsum) rather
# than by BLAS's matrix product, whose rounding of a row depends on the rows beside it:
# only the cached values of the Summary's NPV cells (C9:E9) and those computed from them
# (D12:E12, D18:E18, D27) moved, by one or two units in the last bit (at most 4.9e-15
# relative, in a difference); contact_center's C9 13871039.450800326 -> ...328, both
# within a unit in the last bit of the exact sum of the cached months' products,
# 13871039.45080032601. Nothing else changed.
# Recorded again (all but payroll) when the engine came to add each sum's cost terms in
# one written order instead of sorting them by size (so a sweep row is `compare --set`
# to the last bit): 687 cached numbers (Monthly and Summary cells, the chart's points,
# the monthly IRR roots written as the IRR formulas' start) moved by a few units in the
# last bit, at most 3.1e-14 relative (in a difference); no formula or other byte changed.
PINNED_XLSXWRITER = "3.3.1"
PINNED_SHA256 = {
    "contact_center": "1593529708782e414f9da263dd1b924fad6a15524bf71febb7f184869a12ffb6",
    "contact_center_v1": "5c4350cdd499ae88c7a966f11528834bec5723254403cc585277c01d867fa3ed",
    "it_helpdesk": "a160126b8d52783355925c304b72f7bc97cd5bb0f2385ef7cecd59ed4e1ef4d4",
    "payroll": "59c49dfd5cea8fb5783d24be6b6af1fa85610eb85f8a3d1281c054121aaa7f55",
    "tax_season": "04fe626720209e2b958bf6e5d3af1cf849b8f3eddc678dc2df8f2ed3e0b081b6",
}


@pytest.mark.skipif(
    xlsxwriter.__version__ != PINNED_XLSXWRITER,
    reason=f"the pinned hashes are of XlsxWriter {PINNED_XLSXWRITER}'s bytes",
)
@pytest.mark.parametrize("example", sorted(WORKBOOK_EXAMPLES))
def test_example_workbooks_are_byte_identical_to_the_pinned_ones(
    cli: Invoke, tmp_path: Path, example: str
) -> None:
    assert set(PINNED_SHA256) == set(WORKBOOK_EXAMPLES)
    path = tmp_path / f"{example}.xlsx"
    result = cli("export", *example_args(example), "--xlsx", path)
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(path.read_bytes()).hexdigest() == PINNED_SHA256[example]


def inputs_sheet(path: Path) -> set[tuple[str, str]]:
    """The inputs on the Inputs sheet as (label, unit): a row's label (column A) with the
    unit beside its value (column C), and a table's column heading "Label\n(unit)"."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Inputs"]
    named = set()  # where the input cells are: each is named after its input path
    for defined in wb.defined_names.values():
        for sheet, ref in defined.destinations:
            if sheet == "Inputs" and ":" not in ref:
                cell = ws[ref.replace("$", "")]
                named.add((cell.row, cell.column))
    shown: set[tuple[str, str]] = set()
    for row in ws.iter_rows():
        r, (a, b, c) = row[0].row, (cell.value for cell in row[:3])
        alone = (r, 2) in named and (r, 1) not in named and (r, 3) not in named
        if alone and not str(b).startswith("="):  # one input, not a derived figure
            shown.add((a, c or ""))
        if row[9].value == "Source":  # a table's headings
            for cell in row[1:9]:
                text = cell.value
                if isinstance(text, str) and "\n(" in text and not text.endswith("(formula)"):
                    label, unit = text.split("\n(", 1)
                    shown.add((label, unit.removesuffix(")")))
    return shown


def heading(label: models.Label) -> str:
    return label.text[0].upper() + label.text[1:]


# Inputs of it_helpdesk's workbook, one or more of each kind of unit, with the unit shown
SHOWN: list[tuple[FileKind, tuple[str | int, ...], str]] = [
    ("in_house", ("currency",), "ISO 4217"),
    ("in_house", ("analysis", "horizon_months"), "months"),
    ("in_house", ("analysis", "discount_rate"), "per year"),
    ("in_house", ("calendar", "hours_per_day"), "hours/day"),
    ("in_house", ("inflation",), "per year: overheads, variable costs, hiring"),
    ("in_house", ("staff", 0, "headcount"), "FTE"),
    ("in_house", ("staff", 0, "annual_salary"), "USD/FTE/year"),
    ("in_house", ("staff", 0, "benefits_per_head_annual"), "USD/FTE/year"),
    ("in_house", ("staff", 0, "time_off_days"), "days/FTE/year"),
    ("in_house", ("staff", 0, "attrition_rate"), "per year: share of headcount replaced"),
    ("in_house", ("staff", 0, "avoidable"), "stops if outsourced"),
    ("in_house", ("workload", "unit"), ""),
    ("in_house", ("workload", "monthly_volume"), "tickets/month"),
    ("in_house", ("variable_costs", 0, "per_unit"), "USD/unit"),
    ("in_house", ("overheads", 0, "per_head_monthly"), "USD/FTE/month"),
    ("vendor", ("fx_rate",), "USD per 1 EUR"),
    ("vendor", ("scope",), "share of the avoidable operation taken over"),
    ("vendor", ("annual_escalation",), "per year"),
    ("vendor", ("minimum_monthly_fee",), "EUR/month"),
    ("vendor", ("sla_credit_rate",), "expected share of fees credited back"),
    ("vendor", ("pricing", 0, "per_fte_month"), "USD/FTE/month"),
    ("vendor", ("pricing", 0, "fte"), "FTE"),
    ("vendor", ("pricing", 0, "hours_per_month"), "hours/month"),
    ("vendor", ("pricing", 0, "tier_mode"), "graduated/volume"),
    ("vendor", ("pricing", 0, "tiers", 0, "up_to"), "tickets/month"),
    ("vendor", ("pricing", 0, "tiers", 0, "per_unit"), "EUR/unit"),
    ("vendor", ("transition", "parallel_run_months"), "months: both operations run in months 1..N"),
    ("vendor", ("transition", "costs", 0, "amount"), "in its currency"),
]


def test_inputs_sheet_labels_come_from_the_models(cli: Invoke, tmp_path: Path) -> None:
    """Every input on the Inputs sheet is headed by its field's Label, capitalised."""
    path = tmp_path / "it.xlsx"
    export_example(cli, "it_helpdesk", path)
    shown = inputs_sheet(path)
    for kind, loc, unit in SHOWN:
        assert (heading(label_of(kind, loc)), unit) in shown, (kind, loc)
    # and no heading the models do not state
    assert {label for label, _ in shown} <= stated_headings()


def stated_headings(criteria: Sequence[str] = ()) -> set[str]:
    """Every heading the models' Labels state, and the entries of a list or a mapping
    headed by the list's label and their month or criterion."""
    stated = {"Form"}  # a charge's pricing form: which of its fields it has
    for model in vars(models).values():
        if isinstance(model, type) and issubclass(model, models.Strict):
            for name in model.model_fields:
                for marker in models.markers(models.leaf_annotation(model, (name,))):
                    if isinstance(marker, models.Label):
                        stated.add(heading(marker))
    stated |= {f"Seasonality: {month}" for month in MONTH_NAMES}
    return stated | {f"Score: {name}" for name in criteria}


# Inputs of contract v2 (tests/data/v2), with the unit shown
SHOWN_V2: list[tuple[FileKind, tuple[str | int, ...], str]] = [
    ("in_house", ("staff", 1, "staffing"), "peak/month"),
    ("in_house", ("staff", 1, "min_headcount"), "FTE"),
    ("in_house", ("scorecard", "scale"), ""),
    ("in_house", ("scorecard", "min_score"), ""),
    ("vendor", ("benefits", 0, "monthly"), "in its currency/month"),
    ("vendor", ("benefits", 0, "annual"), "in its currency/year"),
    ("vendor", ("benefits", 0, "amount"), "in its currency"),
    ("vendor", ("benefits", 0, "currency"), "ISO 4217"),
]
V2_DATA = Path(__file__).resolve().parent / "data" / "v2"


def test_inputs_sheet_shows_the_v2_inputs_labelled_by_the_models(tmp_path: Path) -> None:
    """The sizing of a team that follows the workload, the benefits, the scorecard and the
    scores: each a named input cell, headed by its field's Label."""
    case = load(V2_DATA / "in_house.yaml", [V2_DATA / "vendor.yaml"])
    path = tmp_path / "v2.xlsx"
    path.write_bytes(render_xlsx.render(case, evaluate(case)))
    assert render_xlsx.render(case, evaluate(case)) == path.read_bytes()  # the same bytes
    shown = inputs_sheet(path)
    for kind, loc, unit in SHOWN_V2:
        assert (heading(label_of(kind, loc)), unit) in shown, (kind, loc)
    card = case.in_house.scorecard
    assert card is not None
    score = heading(label_of("vendor", ("scores", card.names[0])))
    assert {(f"{score}: {name}", "") for name in card.names} <= shown
    assert {label for label, _ in shown} <= stated_headings(card.names)
    wb = openpyxl.load_workbook(path)
    names = set(wb.defined_names)
    for name in (
        "ih_staff_1_handle_minutes",
        "ih_staff_1_occupancy",
        "ih_staff_1_staffing",
        "ih_staff_1_min_headcount",
        "ih_staff_1_productive_hours",
        "ih_scorecard_scale",
        "ih_scorecard_min_score",
        "ih_scorecard_criteria_4_weight",
        "ih_scorecard_criteria_weight",
        "ih_scorecard_in_house_4",
        "ih_scorecard_in_house",
        "vendor_0_scores_4",
        "vendor_0_scores",
        "vendor_0_benefits_1_amount",
        "vendor_0_benefits_fx",
        "score_ih",
        "score_vendor_0",
        "eligible_vendor_0",
    ):
        assert name in names, name
    assert "ih_staff_1_headcount" not in names  # the team follows the workload
    # Data security is the second criterion: its weight and the vendor's score
    assert named_value(wb, "ih_scorecard_criteria_1_weight") == 25
    assert named_value(wb, "vendor_0_scores_1") == 4
    assert named_value(wb, "ih_scorecard_in_house_1") == 5


def test_a_changed_label_in_the_models_is_what_the_workbook_says(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook states no label of its own: change a Label and the sheet follows."""

    def relabel(model: type[models.Strict], field: str, label: models.Label) -> None:
        info = model.model_fields[field]
        kept = [m for m in info.metadata if not isinstance(m, models.Label)]
        monkeypatch.setattr(info, "metadata", [*kept, label])

    for model in (models.Role, models.StaffRole):
        relabel(model, "annual_salary", models.Label("base pay", "money", per="month"))
    relabel(models.Vendor, "scope", models.Label("share taken over", "rate", note="of the work"))
    path = tmp_path / "cc.xlsx"
    export_example(cli, "contact_center_v1", path)
    shown = inputs_sheet(path)
    assert ("Base pay", "USD/month") in shown and ("Share taken over", "of the work") in shown
    assert not {"Annual salary", "Scope"} & {label for label, _ in shown}
    wb = openpyxl.load_workbook(path)
    (_, ref), *_ = wb.defined_names["vendor_1_scope"].destinations
    cell = wb["Inputs"][ref.replace("$", "")]
    assert wb["Inputs"].cell(cell.row, 1).value == "Share taken over"
    assert (cell.value, cell.number_format) == (1, "0.00%")  # the unit gives the format


def test_bad_input_writes_nothing(cli: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"the workbook of yesterday")
    bad_salary = "in_house.staff[0].annual_salary=-5"
    result = cli("export", *example_args("payroll"), "--xlsx", target, "--set", bad_salary)
    assert result.exit_code == 2, result.output
    assert "annual_salary" in result.stderr
    assert "Traceback" not in result.output
    assert target.read_bytes() == b"the workbook of yesterday"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]  # no temporary file left
    result = cli("export", *example_args("payroll"), "--xlsx", tmp_path / "no" / "out.xlsx")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_without_xlsxwriter_says_what_to_install(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    monkeypatch.delitem(sys.modules, "outsourcecalc.render.xlsx", raising=False)
    monkeypatch.delattr("outsourcecalc.render.xlsx", raising=False)
    target = tmp_path / "out.xlsx"
    result = cli("export", *example_args("payroll"), "--xlsx", target)
    assert result.exit_code == 2, result.output
    assert "pip install 'outsourcecalc[xlsx]'" in result.stderr
    assert not target.exists()


# ------------------------------------------------------------------ contract v2 by hand

# A back office whose agents follow the workload, staffed for each year's peak
# (tests/test_contract_v2.py works the same team by hand), and two vendors: the cheaper one
# scores below the scorecard's minimum.
V2_IN_HOUSE: dict[str, Any] = {
    "name": "Back office",
    "analysis": {"horizon_months": 24, "discount_rate": 0, "start_month": 1},
    "calendar": {"working_days_per_year": 250, "hours_per_day": 8},
    "staff": [
        {
            "role": "Agent",
            "handle_minutes": 6,
            "occupancy": 0.8,
            "staffing": "peak",
            "annual_salary": 36_000,
            "time_off_days": 10,
            "cost_per_hire": 3_000,
        }
    ],
    "workload": {
        "unit": "case",
        "monthly_volume": 10_000,
        "seasonality": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.2],
        "growth_rate": 0.2,
    },
    "scorecard": {
        "scale": 5,
        "min_score": 3.5,
        "criteria": [{"name": "Quality", "weight": 3}, {"name": "Data security", "weight": 1}],
        "in_house": {"Quality": 3, "Data security": 5},
    },
}
V2_VENDORS: list[dict[str, Any]] = [
    {
        "name": "Cheap BPO",
        "pricing": [{"name": "Cases", "per_unit": 2.5}],
        "benefits": [{"name": "Sublet the floor", "monthly": 500, "from_month": 4}],
        "scores": {"Quality": 3, "Data security": 2},
    },
    {
        "name": "Steady BPO",
        "pricing": [{"name": "Cases", "per_unit": 2.7}],
        "scores": {"Quality": 4, "Data security": 3},
    },
]


def named_value(wb: Any, name: str) -> Any:
    (sheet, ref), *_ = wb.defined_names[name].destinations
    return wb[sheet][ref.replace("$", "")].value


def monthly_column(wb: Any, heading: str) -> list[Any]:
    """A Monthly column's months 0..H, found by its heading (row 2)."""
    ws = wb["Monthly"]
    (col,) = [c.column for c in ws[2] if c.value == heading]
    return [row[0] for row in ws.iter_rows(min_row=3, min_col=col, max_col=col, values_only=True)]


@needs_soffice
def test_a_hand_checked_v2_workbook_recalculates_to_the_hand_values(
    tmp_path: Path, recalculate: Recalculate
) -> None:
    """The team, the benefit and the scorecard, live, with cached values stripped.

    Agents: p = (250 - 10) * 8 / 12 = 160 productive hours a month; the need is
    V(m) * 6 / 60 / (0.8 * 160) = V(m) / 1,280 FTE. Staffed for each year's peak
    (December: 12,000 cases, then 14,400): 9.375 FTE in months 1..12 (and at signing),
    11.25 in months 13..24. Salaries 9.375 * 3,000 * 12 + 11.25 * 3,000 * 12 = 742,500;
    the rise of 1.875 FTE in month 13 is hired at 3,000: 5,625. In-house TCO 748,125.
    Cases: 11 * 10,000 + 12,000 = 122,000 in year 1, 146,400 in year 2: 268,400.
    Cheap BPO: 268,400 * 2.50 = 671,000 of fees less the sublet floor, 500 a month in
    months 4..24 (10,500): TCO 660,500, saves 87,625; scores (3*3 + 1*2) / 4 = 2.75.
    Steady BPO: 268,400 * 2.70 = 724,680: saves 23,445; scores (3*4 + 1*3) / 4 = 3.75.
    In house scores (3*3 + 1*5) / 4 = 3.5. Cheap BPO is below the minimum of 3.5, so the
    recommendation is Steady BPO.
    Then, in the workbook, Cheap BPO's quality score becomes 4: (12 + 2) / 4 = 3.5, at the
    minimum, and Cheap BPO is recommended; the agents are staffed month by month with a
    floor of 8 FTE; both as `compare --set` says.
    """
    case = case_from_dicts(V2_IN_HOUSE, V2_VENDORS)
    result = evaluate(case)
    expected = result.to_json_dict()
    assert expected["recommendation"] == "Steady BPO"
    written = tmp_path / "v2_written.xlsx"
    written.write_bytes(render_xlsx.render(case, result))
    wb = openpyxl.load_workbook(written)
    assert wb.sheetnames == ["Summary", "Scorecard", "Inputs", "Monthly"]
    assert named_value(wb, "ih_staff_0_staffing") == "peak"
    assert named_value(wb, "ih_scorecard_min_score") == 3.5
    assert named_value(wb, "vendor_0_scores_1") == 2  # Cheap BPO's data security
    assert named_value(wb, "vendor_0_benefits_0_monthly") == 500
    assert named_value(wb, "score_vendor_1").startswith("=SUMPRODUCT(")
    plain = tmp_path / "v2.xlsx"
    strip_cached_values(written, plain)
    edits = {
        "score": ({"vendor_0_scores_0": 4}, ["vendor[0].scores.Quality=4"]),
        "team": (
            {"ih_staff_0_staffing": "month", "ih_staff_0_min_headcount": 8},
            ["in_house.staff[0].staffing=month", "in_house.staff[0].min_headcount=8"],
        ),
    }
    edited, expected_edited = [], []
    for what, (cells, sets) in edits.items():
        edited.append(tmp_path / f"v2_{what}.xlsx")
        set_named_cells(written, edited[-1], cells)
        compared = evaluate(case_from_dicts(V2_IN_HOUSE, V2_VENDORS, sets))
        expected_edited.append(compared.to_json_dict())
    # a weight typed over on the Scorecard sheet (its matrix links to the Inputs sheet):
    # Data security weighs 3, as Quality does
    typed = openpyxl.load_workbook(written)
    assert typed["Scorecard"]["A6"].value == "=ih_scorecard_criteria_1_name"
    typed["Scorecard"]["B6"].value = 3
    edited.append(tmp_path / "v2_typed.xlsx")
    typed.save(edited[-1])
    sets = ["in_house.scorecard.criteria[1].weight=3"]
    expected_edited.append(evaluate(case_from_dicts(V2_IN_HOUSE, V2_VENDORS, sets)).to_json_dict())
    # at the minimum of 3.5 now, the cheaper vendor is recommended
    assert expected_edited[0]["recommendation"] == "Cheap BPO"
    # staffed month by month from a floor of 8 FTE, the team costs less than either vendor
    assert expected_edited[1]["recommendation"] == "in-house"

    recalculated, *recalculated_edited = recalculate([plain, *edited])
    summary = summary_of(recalculated)
    assert not mismatches(summary, expected)
    assert summary["tco"][:3] == pytest.approx([748_125, 660_500, 724_680], abs=0.005)
    assert summary["savings"][1:3] == pytest.approx([87_625, 23_445], abs=0.005)
    assert summary["score"][:3] == pytest.approx([3.5, 2.75, 3.75], abs=1e-9)
    assert summary["breakdown.hiring"][0] == pytest.approx(5_625, abs=0.005)
    assert summary["breakdown.benefits"][1] == pytest.approx(-10_500, abs=0.005)
    assert summary["recommendation"][0] == "Steady BPO"
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    heads = monthly_column(wb, "Agent: headcount hc(m) (FTE)")
    assert heads == pytest.approx([9.375] * 13 + [11.25] * 12)
    rises = monthly_column(wb, "Agent: rise in headcount (FTE hired)")
    assert rises == pytest.approx([0] * 13 + [1.875] + [0] * 11)
    assert named_value(wb, "eligible_vendor_0") == "no"

    for path, want in zip(recalculated_edited, expected_edited, strict=True):
        summary = summary_of(path)
        # break_even_volume is a value computed by outsourcecalc, not a formula: it stays
        assert not mismatches(summary, want, skip=frozenset({"break_even_volume"}))
        assert summary["recommendation"][0] == want["recommendation"]
    assert summary_of(recalculated_edited[0])["score"][1] == pytest.approx(3.5, abs=1e-9)
    # (3*3 + 3*5) / 6 = 4; (3*3 + 3*2) / 6 = 2.5; (3*4 + 3*3) / 6 = 3.5
    assert summary_of(recalculated_edited[2])["score"][:3] == pytest.approx([4, 2.5, 3.5])
    heads = monthly_column(
        openpyxl.load_workbook(recalculated_edited[1], data_only=True),
        "Agent: headcount hc(m) (FTE)",
    )
    assert heads[1:13] == pytest.approx([8] * 11 + [9.375])


@needs_soffice
def test_an_irr_near_minus_100_percent_converges_in_libreoffice(
    tmp_path: Path, recalculate: Recalculate
) -> None:
    """One month: 40,000 to switch, 1,000 saved in month 1. The monthly IRR is
    1,000 / 40,000 - 1 = -97.5%: as an annual rate, 0.025^12 - 1, which is -100% to the
    last bit, so a guess derived from the annual IRR (-100%) gave LibreOffice an error.
    The guess is now the engine's monthly root."""
    in_house = {
        "name": "Desk",
        "analysis": {"horizon_months": 1, "discount_rate": 0},
        "staff": [{"role": "A", "headcount": 1, "annual_salary": 120_000}],
    }
    vendor = {
        "name": "V",
        "pricing": [{"name": "Fee", "monthly": 9_000}],
        "transition": {"costs": [{"name": "Setup", "amount": 40_000}]},
    }
    case = case_from_dicts(in_house, [vendor])
    result = evaluate(case)
    expected = result.to_json_dict()
    assert expected["vendors"][0]["irr"] == -1.0
    written = tmp_path / "irr_written.xlsx"
    written.write_bytes(render_xlsx.render(case, result))
    irr = summary_of(written, formulas=True)["irr"][1]
    assert re.search(r"IRR\(Monthly!\$[A-Z]+\$3:\$[A-Z]+\$4,-0\.97[45]", irr), (
        irr
    )  # the monthly root
    plain = tmp_path / "irr.xlsx"
    strip_cached_values(written, plain)
    (recalculated,) = recalculate([plain])
    summary = summary_of(recalculated)
    assert not mismatches(summary, expected)
    assert summary["irr"][1] == pytest.approx(-1.0, abs=1e-12)
