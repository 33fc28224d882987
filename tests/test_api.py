"""The library is the whole tool: its results equal the command line's JSON, number for number.

Everything here goes through `import outsourcecalc` only (the public API), on the
bundled contact-center example, against `--format json` of the same run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoke

import outsourcecalc

EX = "examples/contact_center"
IN_HOUSE = f"{EX}/in_house.yaml"
VENDORS = [f"{EX}/vendor_onshore.yaml", f"{EX}/vendor_offshore.yaml"]
VARY = ["vendor[0].pricing[0].per_hour=26:34:2", "in_house.staff[0].attrition_rate=30%,40%,50%"]
UNCERTAIN = {
    "in_house.staff[0].attrition_rate": "pert(30%, 40%, 60%)",
    "vendor[0].pricing[0].per_hour": "triangular(27, 30.5, 36)",
}


def cli_json(cli: Invoke, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def case(in_repo: Path) -> outsourcecalc.Case:
    return outsourcecalc.load(IN_HOUSE, VENDORS)


def test_compare_equals_the_cli(cli: Invoke, case: outsourcecalc.Case) -> None:
    result = outsourcecalc.compare(case)
    assert isinstance(result, outsourcecalc.Comparison)
    assert result.to_dict() == cli_json(cli, "compare", IN_HOUSE, *VENDORS)
    assert outsourcecalc.evaluate(case).to_dict() == result.to_dict()  # the older name


def test_sweep_of_two_inputs_equals_the_cli(cli: Invoke, case: outsourcecalc.Case) -> None:
    result = outsourcecalc.sweep(case, VARY)
    varied = [arg for v in VARY for arg in ("--vary", v)]
    assert result.to_dict() == cli_json(cli, "sweep", IN_HOUSE, *VENDORS, *varied)
    rows = result.rows()
    assert len(rows) == 5 * 3 * 2  # points x vendors
    assert rows[0]["vendor[0].pricing[0].per_hour"] == 26.0
    assert rows[0]["in_house.staff[0].attrition_rate"] == 0.3
    assert {r["vendor"] for r in rows} == {v.name for v in case.vendors}


def test_sweep_summary_equals_the_cli(cli: Invoke, case: outsourcecalc.Case) -> None:
    result = outsourcecalc.sweep(case, VARY, summary=True, fail_if=["npv_savings<0"])
    varied = [arg for v in VARY for arg in ("--vary", v)]
    expected = cli_json(cli, "sweep", IN_HOUSE, *VENDORS, *varied, "--summary")
    assert result.to_dict() == expected
    assert [g.held for g in result.gates] == [
        round(v["points"] * (1 - v["share_winning"])) for v in expected["vendors"]
    ]
    with pytest.raises(ValueError, match="keeps no rows"):
        result.rows()


def test_sweep_rows_as_a_dataframe(case: outsourcecalc.Case) -> None:
    pd = pytest.importorskip("pandas")
    result = outsourcecalc.sweep(case, VARY)
    frame = result.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns[:3]) == [*result.paths, "vendor"]
    # a null result (never pays back) is NaN in a DataFrame, None in the rows
    assert frame.astype(object).where(frame.notna(), None).to_dict("records") == result.rows()


def test_to_pandas_without_pandas_says_what_to_install(
    case: outsourcecalc.Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if pandas were not installed
    result = outsourcecalc.sweep(case, VARY[:1])
    with pytest.raises(ImportError, match="needs pandas: pip install pandas"):
        result.to_pandas()


def test_sensitivity_equals_the_cli(cli: Invoke, case: outsourcecalc.Case) -> None:
    result = outsourcecalc.sensitivity(case, "20%")
    assert result.to_dict() == cli_json(cli, "sensitivity", IN_HOUSE, *VENDORS, "--delta", "20%")
    assert outsourcecalc.sensitivity(case, 0.2).to_dict() == result.to_dict()


def test_seeded_simulation_equals_the_cli(cli: Invoke, case: outsourcecalc.Case) -> None:
    result = outsourcecalc.simulate(case, UNCERTAIN, trials=500, seed=7)
    uncertain = [arg for p, d in UNCERTAIN.items() for arg in ("--uncertain", f"{p}={d}")]
    expected = cli_json(
        cli, "simulate", IN_HOUSE, *VENDORS, *uncertain, "--trials", "500", "--seed", "7"
    )
    assert result.to_dict() == expected
    texts = [f"{p}={d}" for p, d in UNCERTAIN.items()]  # the command line's way to write them
    assert outsourcecalc.simulate(case, texts, trials=500, seed=7).to_dict() == expected


def test_an_input_fixed_by_load_cannot_be_uncertain(in_repo: Path) -> None:
    case = outsourcecalc.load(IN_HOUSE, VENDORS, ["in_house.staff[0].attrition_rate=0.3"])
    with pytest.raises(outsourcecalc.UsageError) as caught:
        outsourcecalc.simulate(case, UNCERTAIN, trials=10)
    assert str(caught.value.problems[0]) == (
        "--uncertain in_house.staff[0].attrition_rate=pert(30%, 40%, 60%): also fixed with "
        "--set in_house.staff[0].attrition_rate=0.3; give one of them"
    )


def test_diff_against_a_baseline_equals_the_cli(
    cli: Invoke, case: outsourcecalc.Case, tmp_path: Path
) -> None:
    before = outsourcecalc.load(IN_HOUSE, VENDORS, ["vendor[0].pricing[0].per_hour=29"])
    baseline = tmp_path / "before.json"
    baseline.write_text(json.dumps(outsourcecalc.compare(before).to_dict()), encoding="utf-8")
    result = outsourcecalc.diff(case, baseline)
    expected = cli_json(cli, "compare", IN_HOUSE, *VENDORS, "--baseline", str(baseline))
    assert result.to_dict() == expected
    assert any(c.status == "changed" for c in result.changes)
    data = json.loads(baseline.read_text(encoding="utf-8"))
    by_data = outsourcecalc.diff(outsourcecalc.compare(case), data, name=str(baseline))
    assert by_data.to_dict() == expected


def test_validate_files_collects_problems_and_names_what_passed(in_repo: Path) -> None:
    bad = "tests/data/invalid/several_errors.yaml"
    result = outsourcecalc.validate_files([IN_HOUSE, *VENDORS, bad])
    assert [f.kind for f in result.files] == ["in_house", "vendor", "vendor"]
    assert result.files[1].summary == "vendor file, 3 charge(s)"
    assert not result.ok and all(p.source == bad for p in result.problems)
    foreign = outsourcecalc.validate_files(["tests/data/invalid/foreign_currency_no_fx.yaml"])
    assert "quoted in PHP without fx_rate" in foreign.files[0].summary


def test_export_xlsx_writes_the_workbook(case: outsourcecalc.Case, tmp_path: Path) -> None:
    pytest.importorskip("xlsxwriter")
    written = outsourcecalc.export_xlsx(case, tmp_path / "model.xlsx")
    assert written.path.read_bytes()[:2] == b"PK"  # a zip: the xlsx container
    assert written.to_dict()["comparison"] == outsourcecalc.compare(case).to_dict()


def test_every_result_has_a_renderer_of_one_shape(case: outsourcecalc.Case) -> None:
    from outsourcecalc.render import renderer_for

    results = [
        outsourcecalc.compare(case),
        outsourcecalc.sweep(case, VARY[:1]),
        outsourcecalc.sensitivity(case, only=["vendor.scope"]),
        outsourcecalc.simulate(case, UNCERTAIN, trials=20),
        outsourcecalc.diff(case, outsourcecalc.compare(case).to_dict()),
        outsourcecalc.validate_files([IN_HOUSE]),
    ]
    for result in results:
        renderer = renderer_for(result)
        assert renderer.to_dict(result) == result.to_dict()
        assert json.loads(renderer.render(result, "json")) == result.to_dict()
        for name in ("render", "draw"):
            assert callable(getattr(renderer, name))


def test_the_notebook_in_docs_api_runs(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """docs/api.md's blocks run in order, in one namespace, as cells of a notebook."""
    import importlib.util
    import re

    text = (in_repo / "docs" / "api.md").read_text(encoding="utf-8")
    cells = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(cells) >= 6
    namespace: dict[str, Any] = {}
    for cell in cells:
        if "to_pandas" in cell and importlib.util.find_spec("pandas") is None:
            continue  # the one cell that needs pandas
        exec(compile(cell, "docs/api.md", "exec"), namespace)
    assert "outsourcing is cheaper in" in capsys.readouterr().out
