"""Charts: each one writes a valid PNG and SVG with its title and series, deterministically.

How the charts look is checked by looking at them; these tests check what can be
checked mechanically: the file is a real PNG of slide size or a parseable SVG
whose text holds the title, the axis labels and every series, the same input
gives the same bytes, and the command line fails cleanly (exit 2) on a bad
extension or without matplotlib.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args, get_origin

import numpy as np
import pytest
from conftest import EXAMPLES, ROOT, Invoke, example_args

import outsourcecalc
from outsourcecalc.engine.results import Comparison
from outsourcecalc.errors import UsageError
from outsourcecalc.inputs import models
from outsourcecalc.render import charts
from outsourcecalc.render.format import money_short
from outsourcecalc.scenarios.sensitivity import InputSwing, VendorSensitivity

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"


def example(name: str) -> Comparison:
    in_house, *vendors = (ROOT / arg for arg in example_args(name))
    return outsourcecalc.evaluate(outsourcecalc.load(in_house, vendors))


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from the IHDR chunk, after checking the signature."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def check_png(path: Path) -> None:
    from matplotlib import image

    width, height = png_size(path)
    assert (width, height) == (2000, 1125)  # 16:9 at 150 dpi
    pixels = image.imread(path)
    assert pixels.shape[:2] == (height, width)
    sample = pixels[::8, ::8].reshape(-1, pixels.shape[2])
    assert len(np.unique(sample, axis=0)) > 10  # not blank


def svg_texts(path: Path) -> tuple[str, str]:
    """The document title and all its text, lines joined by spaces (labels may wrap)."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text
    texts = [" ".join("".join(e.itertext()).split()) for e in root.iter(f"{SVG}text")]
    return title.text, " ".join(texts)


# -- compare ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_comparison_chart_png(name: str, tmp_path: Path) -> None:
    path = tmp_path / "compare.png"
    charts.comparison_chart(example(name), path)
    check_png(path)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_comparison_chart_svg_has_title_axes_and_every_option(name: str, tmp_path: Path) -> None:
    result = example(name)
    path = tmp_path / "compare.svg"
    charts.comparison_chart(result, path)
    title, text = svg_texts(path)
    assert result.in_house.name in title
    assert f"{result.horizon_months} months" in title
    assert title in text
    assert "Cumulative cost (USD)" in text
    assert "Total cost over the horizon (USD)" in text
    assert "In house" in text
    for vendor in result.vendors:
        assert vendor.name in text
        payback = vendor["payback_months"]
        if payback is None:
            assert f"(no payback in {result.horizon_months} months)" in text
        else:
            assert f"pays back in month {payback:.1f}" in text
    for label in ("Salaries", "Vendor fees", "Remaining in house"):
        assert label in text


def test_comparison_chart_marks_the_payback_of_the_contact_center(tmp_path: Path) -> None:
    """The offshore vendor pays back in month 7.1 (payback_months 7.067...)."""
    path = tmp_path / "compare.svg"
    charts.comparison_chart(example("contact_center_v1"), path)
    _, text = svg_texts(path)
    assert "pays back in month 7.1" in text
    assert "$15.1M" in text  # the in-house TCO at the end of its bar


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_value_map_beside_the_costs_with_a_scorecard(suffix: str, tmp_path: Path) -> None:
    """With a scorecard the chart gets a third panel: NPV savings against score, one point
    per option, the minimum score as a line and the corner where a vendor may be chosen;
    the benefits of the switch are a segment of the vendor's bar. Still one slide."""
    result = example("tax_season")
    path = tmp_path / f"compare{suffix}"
    charts.comparison_chart(result, path)
    if suffix == ".png":
        check_png(path)
        return
    _, text = svg_texts(path)
    for label in ("Value map", "Score (0 to 5)", "NPV savings of outsourcing (USD)"):
        assert label in text
    assert "minimum score 3.0" in text
    assert "saves money, passes the minimum score" in text
    assert "Benefits of the switch" in text
    assert "In house" in text and "Ledgerline Tax Services" in text


def test_no_value_map_without_a_scorecard(tmp_path: Path) -> None:
    path = tmp_path / "compare.svg"
    charts.comparison_chart(example("it_helpdesk"), path)
    _, text = svg_texts(path)
    assert "Value map" not in text
    assert "Benefits of the switch" not in text


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_same_input_same_bytes(suffix: str, tmp_path: Path) -> None:
    result = example("it_helpdesk")
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    charts.comparison_chart(result, first)
    charts.comparison_chart(result, second)
    assert first.read_bytes() == second.read_bytes()
    assert b"Matplotlib v" not in first.read_bytes()  # no software version in the file


# -- the command line ---------------------------------------------------------


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_compare_chart_option(cli: Invoke, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"chart{suffix}"
    result = cli("compare", *example_args("contact_center"), "--chart", path)
    assert result.exit_code == 0, result.output
    assert "Bayanihan BPO (Manila)" in result.stdout  # the table still goes to stdout
    if suffix == ".png":
        check_png(path)
    else:
        _, text = svg_texts(path)
        assert "Heartland Contact Solutions (onshore)" in text


def test_compare_chart_is_written_when_a_gate_fails(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "chart.png"
    args = ("--fail-if", "npv_savings<0", "--chart", path)
    result = cli("compare", *example_args("payroll"), *args)
    assert result.exit_code == 1, result.output
    check_png(path)


@pytest.mark.parametrize("name", ["chart.pdf", "chart", "chart.PNG.txt"])
def test_bad_extension_exits_2_before_reading_files(cli: Invoke, tmp_path: Path, name: str) -> None:
    result = cli("compare", "missing.yaml", "also-missing.yaml", "--chart", tmp_path / name)
    assert result.exit_code == 2
    assert "--chart" in result.stderr
    assert "a chart is written as .png or .svg" in result.stderr
    assert "missing.yaml" not in result.stderr  # checked before any file is read
    assert "Traceback" not in result.output
    assert not (tmp_path / name).exists()


def test_upper_case_extension_is_accepted(tmp_path: Path) -> None:
    assert charts.chart_format(tmp_path / "Chart.SVG") == "svg"


def test_missing_folder_exits_2(cli: Invoke, tmp_path: Path) -> None:
    result = cli("compare", *example_args("payroll"), "--chart", tmp_path / "no" / "c.png")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_without_matplotlib_exits_2_with_the_install_hint(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now fails
    path = tmp_path / "chart.png"
    result = cli("compare", *example_args("payroll"), "--chart", path)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"--chart: {charts.MISSING}"
    assert "pip install 'outsourcecalc[charts]'" in result.stderr
    assert result.stdout == ""  # stopped before any work
    assert not path.exists()


def test_without_matplotlib_the_library_raises_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = __import__

    def fail_on_matplotlib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr("builtins.__import__", fail_on_matplotlib)
    with pytest.raises(UsageError, match="outsourcecalc\\[charts\\]"):
        charts.histogram_chart(np.array([1.0, 2.0]), 1, 1.5, 2, "USD", "V", tmp_path / "h.png")
    assert not (tmp_path / "h.png").exists()


def test_compare_without_chart_never_imports_matplotlib(tmp_path: Path) -> None:
    """The cold start of `compare` is measured: matplotlib must stay out of it."""
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from outsourcecalc.cli import app\n"
        f"args = {example_args('payroll')!r}\n"
        "result = CliRunner().invoke(app, ['compare', *args, '-f', 'json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


# -- scenario charts ----------------------------------------------------------

TORNADO_ROWS = [
    # path, base, low, high, npv_savings_low, npv_savings_high, flip_value
    InputSwing(
        "in_house.staff[0].annual_salary", 42000.0, 37800.0, 46200.0, -120_000.0, 180_000.0, 40100.0
    ),
    InputSwing(
        "vendor.pricing[0].per_fte_month", 95000.0, 85500.0, 104500.0, 160_000.0, -90_000.0, 99000.0
    ),
    InputSwing("analysis.discount_rate", 0.08, 0.05, 0.12, 40_000.0, 15_000.0, None),
]


def tornado(rows: list[InputSwing], name: str = "Acme BPO") -> VendorSensitivity:
    return VendorSensitivity(name, base_npv_savings=30_000.0, inputs=rows)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_tornado_chart(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"tornado{suffix}"
    charts.tornado_chart(tornado(TORNADO_ROWS), "USD", path)
    if suffix == ".png":
        check_png(path)
        return
    title, text = svg_texts(path)
    assert title == "Acme BPO: what moves NPV savings most"
    for row in TORNADO_ROWS:
        assert row.path in text
    for value in ("37,800", "46,200", "85,500", "104,500", "5%", "12%"):
        assert value in text  # the low and high input values at the ends of the bars
    assert "break-even at 40,100" in text  # where the decision flips
    assert "base $30k" in text
    assert "NPV savings of outsourcing (USD)" in text
    assert "input at its low value" in text and "input at its high value" in text


def test_tornado_draws_the_15_largest_swings(tmp_path: Path) -> None:
    rows = [  # input i swings npv_savings by i
        InputSwing(f"in_house.staff[{i}].headcount", 10.0, 9.0, 11.0, 0.0, float(i), None)
        for i in range(20)
    ]
    path = tmp_path / "tornado.svg"
    charts.tornado_chart(tornado(rows, "V"), "USD", path)
    _, text = svg_texts(path)
    assert "the 15 largest swings of 20 inputs" in text
    assert "in_house.staff[19].headcount" in text
    assert "in_house.staff[4].headcount" not in text


def npv_samples() -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.random.default_rng(7).normal(250_000, 300_000, 4000)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_histogram_chart(tmp_path: Path, suffix: str) -> None:
    samples = npv_samples()
    p5, p50, p95 = (float(x) for x in np.percentile(samples, [5, 50, 95]))
    path = tmp_path / f"histogram{suffix}"
    charts.histogram_chart(samples, p5, p50, p95, "EUR", "Acme BPO", path)
    if suffix == ".png":
        check_png(path)
        return
    title, text = svg_texts(path)
    share = float(np.mean(samples >= 0.005))
    assert title == f"Acme BPO: outsourcing wins in {share * 100:.0f}% of 4,000 trials"
    assert f"P5 {money_short(p5, 'EUR', figures=3)}" in text
    assert f"P50 {money_short(p50, 'EUR', figures=3)}" in text
    assert f"P95 {money_short(p95, 'EUR', figures=3)}" in text
    assert "break-even" in text
    assert "NPV savings of outsourcing (EUR)" in text
    assert "in house cheaper" in text and "outsourcing cheaper" in text


def test_histogram_share_comes_from_the_caller_when_given(tmp_path: Path) -> None:
    path = tmp_path / "histogram.svg"
    charts.histogram_chart(npv_samples(), -1, 0, 1, "USD", "V", path, share_positive=0.5)
    title, _ = svg_texts(path)
    assert "outsourcing wins in 50% of 4,000 trials" in title


def test_histogram_far_from_break_even_says_so(tmp_path: Path) -> None:
    samples = np.random.default_rng(3).normal(5e6, 2e5, 500)
    path = tmp_path / "histogram.svg"
    charts.histogram_chart(samples, 4.7e6, 5e6, 5.3e6, "USD", "V", path)
    _, text = svg_texts(path)
    assert "Break-even ($0) is off the chart, far to the left" in text


def test_histogram_of_identical_samples(tmp_path: Path) -> None:
    path = tmp_path / "histogram.png"
    charts.histogram_chart(np.full(10, 1000.0), 1000, 1000, 1000, "USD", "V", path)
    check_png(path)


def sweep_grid() -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    xs = np.arange(36000.0, 50000.0, 2000.0)
    ys = np.array([0.02, 0.04, 0.06, 0.08])
    grid = (xs[None, :] - 42000) * 150 - (ys[:, None] - 0.05) * 1e7
    return xs, ys, grid


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_heatmap_chart(tmp_path: Path, suffix: str) -> None:
    xs, ys, grid = sweep_grid()
    path = tmp_path / f"heatmap{suffix}"
    x_path, y_path = "in_house.staff[0].annual_salary", "vendor.annual_escalation"
    charts.heatmap_chart(x_path, xs, y_path, ys, grid, "USD", "Acme BPO", path)
    if suffix == ".png":
        check_png(path)
        return
    title, text = svg_texts(path)
    assert title == "Acme BPO: NPV savings as two inputs vary"
    assert x_path in text and y_path in text
    assert "break-even" in text  # the zero contour's label
    assert "40,000" in text and "8%" in text  # ticks at the swept values, as the files write them
    assert "NPV savings of outsourcing (USD)" in text


def test_heatmap_without_break_even_says_so(tmp_path: Path) -> None:
    xs, ys, grid = sweep_grid()
    path = tmp_path / "heatmap.svg"
    charts.heatmap_chart("a.b", xs, "c.d", ys, np.abs(grid) + 1.0, "USD", "V", path)
    _, text = svg_texts(path)
    assert "Outsourcing saves money everywhere on this grid" in text


def test_heatmap_of_a_large_grid(tmp_path: Path) -> None:
    xs, ys = np.linspace(0, 1, 60), np.linspace(10, 20, 40)
    grid = (xs[None, :] - 0.5) * 1e6 + (ys[:, None] - 15) * 1e4
    path = tmp_path / "heatmap.png"
    charts.heatmap_chart("vendor.scope", xs, "x.y", ys, grid, "USD", "V", path)
    check_png(path)


def test_heatmap_rejects_a_grid_of_the_wrong_shape(tmp_path: Path) -> None:
    xs, ys, grid = sweep_grid()
    with pytest.raises(ValueError, match="expected"):
        charts.heatmap_chart("a", xs, "b", ys, grid.T, "USD", "V", tmp_path / "h.png")


def draw_heatmap(path: Path) -> None:
    xs, ys, grid = sweep_grid()
    charts.heatmap_chart("a", xs, "b", ys, grid, "USD", "V", path)


@pytest.mark.parametrize(
    "call",
    [
        lambda p: charts.tornado_chart(tornado(TORNADO_ROWS), "USD", p),
        lambda p: charts.histogram_chart(npv_samples(), -1, 0, 1, "USD", "V", p),
        draw_heatmap,
    ],
)
def test_scenario_charts_reject_other_extensions(tmp_path: Path, call: Any) -> None:
    with pytest.raises(UsageError, match=r"\.png or \.svg"):
        call(tmp_path / "chart.jpg")


# -- formatting ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "currency", "kwargs", "expected"),
    [
        (0.0, "USD", {}, "$0"),
        (-0.001, "USD", {}, "$0"),
        (1_234_567, "USD", {}, "$1.2M"),
        (-850_000, "USD", {}, "-$850k"),
        (999_900, "USD", {}, "$1M"),
        (2_500_000, "PLN", {}, "PLN 2.5M"),
        (2_500_000, "", {}, "2.5M"),
        (395_291, "USD", {"figures": 3}, "$395k"),
        (1_210_818, "EUR", {"figures": 3}, "€1.21M"),
        (15_900_000, "USD", {"figures": 3, "trim": False}, "$15.9M"),
        (2_500_000, "USD", {"figures": 3, "trim": False}, "$2.50M"),
    ],
)
def test_money_short(x: float, currency: str, kwargs: dict[str, Any], expected: str) -> None:
    assert money_short(x, currency, **kwargs) == expected


@pytest.mark.parametrize(
    ("path", "x", "expected"),
    [
        ("in_house.staff[0].annual_salary", 42000.0, "42,000"),
        ("analysis.discount_rate", 0.08, "8%"),
        ("vendor[1].annual_escalation", 0.045, "4.5%"),
        ("vendor.fx_rate", 0.0175, "0.0175"),  # an exchange rate is not a percentage
        ("in_house.staff[2].headcount", 12.5, "12.5"),
        ("in_house.staff[0].attrition_rate", 0.35, "35%"),
        ("in_house.analysis.discount_rate", 0.08, "8%"),  # the same input as analysis.
        ("in_house.workload.growth_rate", 0.05, "5%"),
        ("in_house.workload.seasonality[11]", 1.3, "1.3"),
        ("vendor[1].scope", 0.9, "90%"),
        ("vendor.pricing[0].tiers[1].up_to", 10_000.0, "10,000"),
        ("Agent salary", 0.5, "0.5"),  # not a path: shown as a number
    ],
)
def test_input_value(path: str, x: float, expected: str) -> None:
    assert charts.input_value(path, x) == expected


def _numeric_paths(
    model: type[Any], prefix: str, loc: tuple[str | int, ...]
) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """(path text, loc) of every numeric input of a model, taking entry 0 of each list."""
    for name in model.model_fields:
        annotation = models.leaf_annotation(model, (name,))
        inner = models.unwrap(annotation)
        path, here = f"{prefix}.{name}", (*loc, name)
        if isinstance(inner, type) and issubclass(inner, models.Strict):
            yield from _numeric_paths(inner, path, here)
        elif get_origin(inner) is list:
            entry = models.unwrap(get_args(inner)[0])
            if isinstance(entry, type) and issubclass(entry, models.Strict):
                yield from _numeric_paths(entry, f"{path}[0]", (*here, 0))
            else:
                yield f"{path}[0]", (*here, 0)
        elif models.bound_of(annotation) is not None:
            yield path, here


def test_rate_inputs_show_as_percents_by_the_models_units() -> None:
    """A chart shows an input as a percentage exactly where the models give it unit rate."""
    seen = {"rate": 0, "other": 0}
    for kind, prefix in (("in_house", "in_house"), ("vendor", "vendor[0]")):
        for path, loc in _numeric_paths(models.FILE_MODELS[kind], prefix, ()):
            is_rate = models.describe(kind, loc).unit == "rate"
            assert charts.input_value(path, 0.25) == ("25%" if is_rate else "0.25"), path
            seen["rate" if is_rate else "other"] += 1
    assert seen == {"rate": 14, "other": 45}  # both files' fields, retained staff's too
