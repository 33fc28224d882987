"""Charts: each one writes a valid PNG and SVG with its title and series, deterministically.

How the charts look is checked by looking at them; these tests check what can be
checked mechanically: the file is a real PNG of slide size or a parseable SVG
whose text holds the title, the axis labels and every series, the same input
gives the same bytes, and the command line fails cleanly (exit 2) on a bad
extension or without matplotlib.
"""

from __future__ import annotations

import json
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
from outsourcecalc.inputs.paths import named_input
from outsourcecalc.render import charts
from outsourcecalc.render.format import money_short
from outsourcecalc.scenarios.sensitivity import InputSwing, Sensitivity, VendorSensitivity
from outsourcecalc.scenarios.simulate import Simulation
from outsourcecalc.scenarios.simulate import _outcome as simulate_outcome
from outsourcecalc.scenarios.sweep import Sweep

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
    assert title == charts.comparison_headline(result)
    assert " ".join(title.split()) in text  # drawn, not only in the file's metadata
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


# the answer each example's chart states, with its figures from `compare --format json`
HEADLINES = {
    "contact_center": (
        "Bayanihan BPO (Manila)",
        "Keeping it in house: {vendor} saves {npv} (NPV) but scores below the minimum",
    ),
    "it_helpdesk": (
        "Wisla IT Services (hybrid, 60%)",
        "Outsourcing to {vendor} saves {npv} (NPV) over {months} months; "
        "the decision flips if its price rises {change}",
    ),
    "payroll": (
        "ClearPay Managed Payroll",
        "Keeping it in house saves {npv} (NPV) over {months} months against the best quote, "
        "{vendor}; the decision flips if its price falls {change}",
    ),
    "tax_season": (
        "Ledgerline Tax Services",
        "Outsourcing to {vendor} saves {npv} (NPV) over {months} months; "
        "the decision flips if its price rises {change}",
    ),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_comparison_title_states_the_answer_of_the_json(
    cli: Invoke, tmp_path: Path, name: str
) -> None:
    """The vendor, its NPV savings in compact money and the price change that flips the
    decision are the figures `compare --format json` gives, in the case's currency."""
    path = tmp_path / "compare.svg"
    result = cli("compare", *example_args(name), "-f", "json", "--chart", path)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    vendor_name, template = HEADLINES[name]
    vendor = next(v for v in data["vendors"] if v["name"] == vendor_name)
    expected = template.format(
        vendor=vendor_name,
        npv=money_short(abs(vendor["npv_savings"]), data["currency"], figures=3),
        months=data["horizon_months"],
        change=f"{abs(vendor['break_even_price_change']) * 100:.0f}%",
    )
    title, _ = svg_texts(path)
    assert title == expected
    assert title.startswith("Outsourcing") == (data["recommendation"] == vendor_name)


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
        charts.histogram_chart(simulation(np.array([1.0, 2.0])), tmp_path / "h.png")
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


def tornado(rows: list[InputSwing], name: str = "Acme BPO", base: float = 30_000.0) -> Sensitivity:
    """One vendor's swings, read in the contact center's files (its roles and charges name
    the inputs)."""
    in_house, *vendors = (ROOT / arg for arg in example_args("contact_center"))
    case = outsourcecalc.load(in_house, vendors)
    swings = [VendorSensitivity(name, base_npv_savings=base, inputs=rows)]
    return Sensitivity(0.1, "USD", swings, case=case)


def panels(path: Path) -> int:
    """How many plots (matplotlib axes, colour bars included) an SVG holds."""
    root = ET.parse(path).getroot()
    return sum(1 for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("axes_"))


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_tornado_chart(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"tornado{suffix}"
    charts.tornado_chart(tornado(TORNADO_ROWS), path)
    if suffix == ".png":
        check_png(path)
        return
    title, text = svg_texts(path)
    # the largest swing, its range, and the input closest to flipping the decision:
    # the price at +4.2% (99,000 / 95,000), before the salary at -4.5% (40,100 / 42,000)
    assert title == (
        "Acme BPO: Agent: annual salary moves NPV savings most (-$120k to $180k); "
        "the decision flips if Vendor: Agent hours (blended rate incl. supervision): "
        "per FTE per month rises 4% to $99,000"
    )
    for label in ("Agent: annual salary", "per FTE per month", "Discount rate"):
        assert label in text  # named by the files' roles and charges, not by paths
    assert "in_house.staff" not in text and "vendor.pricing" not in text
    for value in ("$37,800", "$46,200", "$85,500", "$104,500", "5.0%", "12.0%"):
        assert value in text  # the low and high input values at the ends of the bars
    assert "decision flips at" in text and "$40,100" in text and "$99,000" in text
    assert "base $30k" in text
    assert "NPV savings of outsourcing (USD)" in text
    assert "input at its low value" in text and "input at its high value" in text


def test_tornado_draws_the_12_largest_swings(tmp_path: Path) -> None:
    rows = [  # input i swings npv_savings by i
        InputSwing(f"in_house.staff[{i}].headcount", 10.0, 9.0, 11.0, 0.0, float(i), None)
        for i in range(20)
    ]
    path = tmp_path / "tornado.svg"
    charts.tornado_chart(tornado(rows, "V"), path)
    title, text = svg_texts(path)
    assert "the 12 largest swings of 20 inputs" in text
    assert "Staff 20: headcount" in text
    assert "Staff 8: headcount" not in text
    assert title.endswith("no single input flips the decision")


def contact_center_sensitivity() -> Sensitivity:
    in_house, *vendors = (ROOT / arg for arg in example_args("contact_center"))
    case = outsourcecalc.load(in_house, vendors)
    only = ["in_house.staff[0].annual_salary", "vendor.fx_rate", "in_house.workload.monthly_volume"]
    return outsourcecalc.sensitivity(case, "10%", only)


def test_tornado_has_one_panel_per_vendor_the_best_first(tmp_path: Path) -> None:
    result = contact_center_sensitivity()
    path = tmp_path / "tornado.svg"
    charts.tornado_chart(result, path)
    title, text = svg_texts(path)
    assert panels(path) == 2
    best = max(result.vendors, key=lambda v: v.base_npv_savings)
    assert best.name == "Bayanihan BPO (Manila)"  # given second, drawn first
    assert title.startswith(f"{best.name}: ")
    assert text.index(best.name) < text.index("Heartland Contact Solutions (onshore)")
    for label in ("Agent: annual salary", "Vendor: exchange rate", "Monthly volume"):
        assert label in text  # named by role and field, never by path
    assert "in_house.staff" not in text and "vendor.fx_rate" not in text


def test_tornado_of_one_vendor(tmp_path: Path) -> None:
    path = tmp_path / "tornado.svg"
    charts.tornado_chart(
        contact_center_sensitivity(), path, vendor="Heartland Contact Solutions (onshore)"
    )
    title, text = svg_texts(path)
    assert panels(path) == 1
    assert title.startswith("Heartland Contact Solutions (onshore): ")
    assert "Bayanihan" not in text


def test_many_vendors_draw_the_four_best_and_say_so(tmp_path: Path) -> None:
    vendors = [
        VendorSensitivity(f"Vendor {i}", float(i * 1000), TORNADO_ROWS[:1]) for i in range(6)
    ]
    path = tmp_path / "tornado.svg"
    charts.tornado_chart(Sensitivity(0.1, "USD", vendors), path)
    title, text = svg_texts(path)
    assert panels(path) == 4
    assert title.startswith("Vendor 5: ")
    assert "Vendor 1:" not in text and "Vendor 0:" not in text
    assert "The 4 of 6 vendors that save most; --vendor NAME draws any one of them" in text


def test_an_unknown_vendor_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="the vendors are: Acme BPO"):
        charts.tornado_chart(tornado(TORNADO_ROWS), tmp_path / "t.svg", vendor="Acme")
    assert not (tmp_path / "t.svg").exists()


def simulation(
    *samples: np.ndarray[Any, np.dtype[np.float64]], currency: str = "USD"
) -> Simulation:
    names = ["Acme BPO", "Beta Services", "Gamma"]
    outcomes = [
        simulate_outcome(
            names[i], {"npv_savings": s, "payback_months": np.full(s.size, np.nan)}, []
        )
        for i, s in enumerate(samples)
    ]
    return Simulation(samples[0].size, 0, currency, 36, 0.08, [], outcomes)


def npv_samples(mean: float = 250_000) -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.random.default_rng(7).normal(mean, 300_000, 4000)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_histogram_chart(tmp_path: Path, suffix: str) -> None:
    samples = npv_samples()
    p5, p50, p95 = (float(x) for x in np.percentile(samples, [5, 50, 95]))
    path = tmp_path / f"histogram{suffix}"
    charts.histogram_chart(simulation(samples, currency="EUR"), path)
    if suffix == ".png":
        check_png(path)
        return
    title, text = svg_texts(path)
    share = float(np.mean(samples >= 0.005))
    assert title == (
        f"Acme BPO: outsourcing is cheaper in {share * 100:.0f}% of 4,000 trials "
        f"(median NPV savings {money_short(p50, 'EUR', figures=3)})"
    )
    assert f"P5 {money_short(p5, 'EUR', figures=3)}" in text
    assert f"P50 {money_short(p50, 'EUR', figures=3)}" in text
    assert f"P95 {money_short(p95, 'EUR', figures=3)}" in text
    assert "break-even" in text
    assert "NPV savings of outsourcing (EUR)" in text
    assert "in house cheaper" in text and "outsourcing cheaper" in text


def test_histogram_has_one_panel_per_vendor_the_best_first(tmp_path: Path) -> None:
    path = tmp_path / "histogram.svg"
    charts.histogram_chart(simulation(npv_samples(-1e5), npv_samples(4e5), npv_samples(1e5)), path)
    title, text = svg_texts(path)
    assert panels(path) == 3
    assert title.startswith("Beta Services: outsourcing is cheaper in")
    assert text.index("Beta Services:") < text.index("Gamma:") < text.index("Acme BPO:")
    one = tmp_path / "one.svg"
    charts.histogram_chart(simulation(npv_samples(), npv_samples(4e5)), one, vendor="Acme BPO")
    assert panels(one) == 1 and "Beta Services" not in svg_texts(one)[1]


def test_histogram_far_from_break_even_says_so(tmp_path: Path) -> None:
    samples = np.random.default_rng(3).normal(5e6, 2e5, 500)
    path = tmp_path / "histogram.svg"
    charts.histogram_chart(simulation(samples), path)
    _, text = svg_texts(path)
    assert "Break-even ($0) is off the chart, far to the left" in text


def test_histogram_of_identical_samples(tmp_path: Path) -> None:
    path = tmp_path / "histogram.png"
    charts.histogram_chart(simulation(np.full(10, 1000.0)), path)
    check_png(path)


HELPDESK_VARIES = [
    "in_house.staff[0].annual_salary=50000:70000:5000",
    "vendor.annual_escalation=0:0.1:0.025",
]


def helpdesk_sweep(varies: list[str] = HELPDESK_VARIES) -> Sweep:
    in_house, *vendors = (ROOT / arg for arg in example_args("it_helpdesk"))
    return outsourcecalc.sweep(outsourcecalc.load(in_house, vendors), varies)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_heatmap_chart(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"heatmap{suffix}"
    charts.heatmap_chart(helpdesk_sweep(), path)
    if suffix == ".png":
        check_png(path)
        return
    title, text = svg_texts(path)
    # Wisla (given second) saves money on the whole grid; NorthStar's decision flips in it
    assert title.startswith("Outsourcing to Wisla IT Services (hybrid, 60%) saves money everywhere")
    northstar = "NorthStar Service Desk (per-ticket, tiered)"
    assert f"{northstar}: outsourcing is cheaper in 14 of 25 cells" in text
    assert panels(path) == 4  # two maps, each with its colour bar
    assert "Service desk analyst (L1): annual salary" in text
    assert "Vendor: annual price escalation" in text
    assert "in_house.staff" not in text
    assert "break-even" in text  # the zero contour's label
    assert "55,000" in text and "7.5%" in text  # ticks at the swept values, as files write them
    assert "NPV savings of outsourcing (USD)" in text


def test_heatmap_of_one_vendor(tmp_path: Path) -> None:
    path = tmp_path / "heatmap.svg"
    charts.heatmap_chart(
        helpdesk_sweep(), path, vendor="NorthStar Service Desk (per-ticket, tiered)"
    )
    title, text = svg_texts(path)
    northstar = "NorthStar Service Desk (per-ticket, tiered)"
    assert title.startswith(f"{northstar}: outsourcing is cheaper in")
    assert title.endswith("the decision flips at the black line")
    assert panels(path) == 2 and "Wisla" not in text


def test_heatmap_of_a_large_grid(tmp_path: Path) -> None:
    varies = ["in_house.staff[0].annual_salary=40000:80000:1000", "vendor.scope=0.5:1:0.0125"]
    path = tmp_path / "heatmap.png"
    charts.heatmap_chart(helpdesk_sweep(varies), path)
    check_png(path)


def draw_heatmap(path: Path) -> None:
    charts.heatmap_chart(helpdesk_sweep(), path)


@pytest.mark.parametrize(
    "call",
    [
        lambda p: charts.tornado_chart(tornado(TORNADO_ROWS), p),
        lambda p: charts.histogram_chart(simulation(npv_samples()), p),
        draw_heatmap,
    ],
)
def test_scenario_charts_reject_other_extensions(tmp_path: Path, call: Any) -> None:
    with pytest.raises(UsageError, match=r"\.png or \.svg"):
        call(tmp_path / "chart.jpg")


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_panels_are_the_same_bytes_every_time(tmp_path: Path, suffix: str) -> None:
    result = contact_center_sensitivity()
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    charts.tornado_chart(result, first)
    charts.tornado_chart(result, second)
    assert first.read_bytes() == second.read_bytes()
    assert charts.STYLE["svg.hashsalt"]


# -- --vendor on the command line ----------------------------------------------

SCENARIO_COMMANDS = {
    "sensitivity": ["--only", "in_house.staff[0].annual_salary"],
    "sweep": [f"--vary={v}" for v in HELPDESK_VARIES],
    "simulate": ["--uncertain", "vendor.annual_escalation=pert(0%, 3%, 12%)", "--trials", "200"],
}


@pytest.mark.parametrize("command", sorted(SCENARIO_COMMANDS))
def test_vendor_option_picks_the_chart(cli: Invoke, tmp_path: Path, command: str) -> None:
    path = tmp_path / "chart.svg"
    vendor = "NorthStar Service Desk (per-ticket, tiered)"
    args = (*example_args("it_helpdesk"), *SCENARIO_COMMANDS[command], "-f", "json")
    result = cli(command, *args, "--chart", path, "--vendor", vendor)
    assert result.exit_code == 0, result.output
    title, text = svg_texts(path)
    assert title.startswith(vendor)
    assert "Wisla" not in text


@pytest.mark.parametrize("command", sorted(SCENARIO_COMMANDS))
def test_unknown_vendor_exits_2_naming_the_vendors(
    cli: Invoke, tmp_path: Path, command: str
) -> None:
    path = tmp_path / "chart.svg"
    args = (*example_args("it_helpdesk"), *SCENARIO_COMMANDS[command])
    result = cli(command, *args, "--chart", path, "--vendor", "Wisla")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "--vendor Wisla: no vendor has this name; the vendors are: "
        "NorthStar Service Desk (per-ticket, tiered), Wisla IT Services (hybrid, 60%)"
    )
    assert result.stdout == ""  # refused before any work
    assert not path.exists()


def test_vendor_without_chart_exits_2(cli: Invoke) -> None:
    args = (*example_args("it_helpdesk"), *SCENARIO_COMMANDS["sensitivity"])
    result = cli("sensitivity", *args, "--vendor", "Wisla IT Services (hybrid, 60%)")
    assert result.exit_code == 2
    assert "picks the chart's vendor: add --chart FILE" in result.stderr


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
        ("in_house.staff[0].annual_salary", 42000.0, "$42,000"),
        ("analysis.discount_rate", 0.08, "8.0%"),
        ("vendor[1].annual_escalation", 0.045, "4.5%"),
        ("vendor.fx_rate", 0.0175, "0.0175"),  # an exchange rate is not a percentage
        ("in_house.staff[2].headcount", 12.5, "12.5"),
        ("in_house.staff[0].attrition_rate", 0.35, "35.0%"),
        ("in_house.analysis.discount_rate", 0.08, "8.0%"),  # the same input as analysis.
        ("in_house.workload.growth_rate", 0.05, "5.0%"),
        ("in_house.workload.seasonality[11]", 1.3, "1.3"),
        ("vendor[1].scope", 0.9, "90.0%"),
        ("vendor.pricing[0].tiers[1].up_to", 10_000.0, "10,000"),
        ("Agent salary", 0.5, "0.5"),  # not a path: shown as a number
    ],
)
def test_input_value(path: str, x: float, expected: str) -> None:
    """A chart writes an input's value in its unit, by the one naming rule (paths.py)."""
    in_house, *vendors = (ROOT / arg for arg in example_args("contact_center"))
    case = outsourcecalc.load(in_house, vendors)
    assert charts._shown(charts._named(case, path), x) == expected


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
    in_house, *vendors = (ROOT / arg for arg in example_args("contact_center"))
    case = outsourcecalc.load(in_house, vendors)
    seen = {"rate": 0, "other": 0}
    for kind, prefix in (("in_house", "in_house"), ("vendor", "vendor[0]")):
        for path, loc in _numeric_paths(models.FILE_MODELS[kind], prefix, ()):
            is_rate = models.describe(kind, loc).unit == "rate"
            shown = charts._shown(named_input(case, path), 0.25)
            if is_rate:
                assert shown == "25.0%", path
            else:
                assert "%" not in shown and "0.25" in shown, path
            seen["rate" if is_rate else "other"] += 1
    assert seen == {"rate": 14, "other": 45}  # both files' fields, retained staff's too


@pytest.mark.parametrize(
    ("path", "vendor", "expected"),
    [
        ("in_house.staff[0].annual_salary", 0, "Agent: annual salary"),
        ("in_house.staff[1].headcount", 0, "Team lead: headcount"),
        ("in_house.workload.monthly_volume", 0, "Monthly volume"),
        ("in_house.workload.seasonality[11]", 0, "Seasonality (Dec)"),
        ("analysis.discount_rate", 0, "Discount rate"),
        ("vendor.fx_rate", 1, "Vendor: exchange rate"),
        ("vendor[1].scope", 0, "Bayanihan BPO (Manila): scope"),
        (
            "vendor.pricing[0].per_fte_month",
            1,
            "Vendor: Dedicated agents (incl. team leads and QA at the site): per FTE per month",
        ),
        ("not.a.path", 0, "not.a.path"),
    ],
)
def test_input_label_names_roles_and_items(path: str, vendor: int, expected: str) -> None:
    in_house, *vendors = (ROOT / arg for arg in example_args("contact_center"))
    case = outsourcecalc.load(in_house, vendors)
    assert named_input(case, path, vendor).label == expected


def test_sla_credits_never_reach_the_total_label() -> None:
    """Credits (negative) are drawn left of $0; each TCO label starts right of its bars."""
    in_house, *vendors = (ROOT / arg for arg in example_args("payroll"))
    case = outsourcecalc.load(in_house, vendors, ["vendor.sla_credit_rate=30%"])
    result = outsourcecalc.evaluate(case)
    assert result.vendors[0].breakdown["sla_credits"] < -100_000
    with charts._style():
        fig = charts._figure()
        ax = fig.add_subplot()
        totals = charts._breakdown_panel(ax, result)
        charts._fit_totals(fig, ax, totals)
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        plot = ax.get_window_extent(renderer)
        for total in totals:
            label = total.get_window_extent(renderer)
            row = [p.get_window_extent(renderer) for p in ax.patches]
            row = [b for b in row if b.y0 < (label.y0 + label.y1) / 2 < b.y1]
            assert row and all(b.x1 <= label.x0 for b in row)
            assert plot.x0 <= label.x0 and label.x1 <= plot.x1
