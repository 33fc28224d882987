"""Monte Carlo (`simulate`): distributions, truncation, statistics and the command line.

Seeded runs are exactly reproducible, so most checks are exact; the checks of each
distribution's moments use 200,000 draws and tolerances of several standard errors.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import Result
from typer.testing import CliRunner

import outsourcecalc
from outsourcecalc.cli import app
from outsourcecalc.render.format import share
from outsourcecalc.scenarios.simulate import (
    BLOCK,
    block_generator,
    histogram,
    parse_distribution,
    percentile_never,
    percentiles,
    simulate,
)

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples" / "contact_center"
IN_HOUSE = str(EX / "in_house.yaml")
ONSHORE = str(EX / "vendor_onshore.yaml")
OFFSHORE = str(EX / "vendor_offshore.yaml")
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}

# two inputs that make the onshore vendor win in some trials and lose in others
PRICE = "vendor[0].pricing[0].per_hour"
ATTRITION = "in_house.staff[0].attrition_rate"
HEARTLAND = "Heartland Contact Solutions (onshore)"
MIXED = [
    f"--uncertain={PRICE}=triangular(24, 28, 33)",
    f"--uncertain={ATTRITION}=uniform(20%, 60%)",
]


def run(*args: str) -> Result:
    result = CliRunner(env=ENV).invoke(app, ["simulate", *args], catch_exceptions=False)
    return result


def sim_json(*args: str) -> dict[str, Any]:
    result = run(IN_HOUSE, ONSHORE, OFFSHORE, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def compare_json(*sets: str) -> dict[str, Any]:
    args = ["compare", IN_HOUSE, ONSHORE, OFFSHORE, "--format", "json"]
    for s in sets:
        args += ["--set", s]
    result = CliRunner(env=ENV).invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture(scope="module")
def case() -> outsourcecalc.Case:
    return outsourcecalc.load(IN_HOUSE, [ONSHORE, OFFSHORE])


# ------------------------------------------------------------------ reproducibility


def test_same_seed_same_json_other_seed_differs() -> None:
    first = run(IN_HOUSE, ONSHORE, OFFSHORE, *MIXED, "--trials", "2000", "--format", "json")
    again = run(IN_HOUSE, ONSHORE, OFFSHORE, *MIXED, "--trials", "2000", "--format", "json")
    other = run(
        IN_HOUSE, ONSHORE, OFFSHORE, *MIXED, "--trials", "2000", "--seed", "7", "--format", "json"
    )
    assert first.exit_code == 0, first.output
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout
    data = json.loads(first.stdout)
    assert (data["trials"], data["seed"]) == (2000, 0)
    assert json.loads(other.stdout)["seed"] == 7


def test_json_keys() -> None:
    data = sim_json(*MIXED, "--trials", "500")
    assert {"trials", "seed", "vendors", "uncertain", "notes"} <= set(data)
    for v in data["vendors"]:
        assert {"name", "p_win", "npv_savings", "p_payback", "payback_months"} <= set(v)
        assert {"mean", "p5", "p50", "p95"} <= set(v["npv_savings"])
        assert {"p50", "p95"} <= set(v["payback_months"])
        assert sum(v["histogram"]["counts"]) == 500
    assert [v["name"] for v in data["vendors"]] == [
        "Heartland Contact Solutions (onshore)",
        "Bayanihan BPO (Manila)",
    ]


def test_default_trials_and_seed() -> None:
    data = sim_json(f"--uncertain={ATTRITION}=pert(30%, 40%, 60%)")
    assert (data["trials"], data["seed"]) == (10_000, 0)


# ------------------------------------------------------------------ distributions

N = 200_000


def draws(text: str, seed: int = 1) -> np.ndarray[Any, np.dtype[np.float64]]:
    return parse_distribution(text).sample(np.random.default_rng(seed), N)


def close(sample: float, theory: float, sd: float, k: float = 5.0) -> bool:
    """Within k standard errors of the mean (for a mean) of a sample of N."""
    return abs(sample - theory) <= k * sd / math.sqrt(N)


def test_uniform_moments() -> None:
    a, b = 10.0, 30.0
    x = draws(f"uniform({a:g}, {b:g})")
    sd = (b - a) / math.sqrt(12)
    assert close(x.mean(), (a + b) / 2, sd)
    assert abs(x.std() - sd) < 0.01 * sd
    assert abs(np.percentile(x, 5) - (a + 0.05 * (b - a))) < 0.1
    assert x.min() >= a and x.max() <= b


def test_triangular_moments() -> None:
    a, c, b = 90_000.0, 95_000.0, 110_000.0
    x = draws(f"triangular({a:g}, {c:g}, {b:g})")
    sd = math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)
    assert close(x.mean(), (a + b + c) / 3, sd)
    assert abs(x.std() - sd) < 0.01 * sd
    # the median of a triangular with c below the midpoint
    median = b - math.sqrt((b - a) * (b - c) / 2)
    assert abs(np.median(x) - median) < 0.01 * sd * 10


def test_pert_moments() -> None:
    a, m, b = 0.30, 0.40, 0.60
    x = draws("pert(30%, 40%, 60%)")
    mean = (a + 4 * m + b) / 6
    alpha = 1 + 4 * (m - a) / (b - a)
    beta = 1 + 4 * (b - m) / (b - a)
    sd = (b - a) * math.sqrt(alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1)))
    assert close(x.mean(), mean, sd)
    assert abs(x.std() - sd) < 0.01 * sd
    assert x.min() >= a and x.max() <= b


def test_normal_moments() -> None:
    x = draws("normal(100, 15)")
    assert close(x.mean(), 100, 15)
    assert abs(x.std() - 15) < 0.15
    assert abs(np.percentile(x, 5) - (100 - 1.6448536 * 15)) < 0.3
    assert abs(np.percentile(x, 95) - (100 + 1.6448536 * 15)) < 0.3


def test_lognormal_mean_and_sd_are_of_the_variable() -> None:
    """As @RISK's RiskLognorm(mean, sd): the parameters are the variable's own mean and sd."""
    mean, sd = 0.0175, 0.004
    x = draws(f"lognormal({mean}, {sd})")
    assert close(x.mean(), mean, sd)
    assert abs(x.std() - sd) < 0.02 * sd
    sigma2 = math.log(1 + sd**2 / mean**2)
    assert abs(np.median(x) - math.exp(math.log(mean) - sigma2 / 2)) < 0.01 * sd
    assert x.min() > 0


def test_point_masses() -> None:
    rng = np.random.default_rng(0)
    for text, value in [
        ("triangular(5, 5, 5)", 5.0),
        ("pert(2, 2, 2)", 2.0),
        ("uniform(3, 3)", 3.0),
        ("normal(7, 0)", 7.0),
        ("lognormal(0.0175, 0)", 0.0175),
    ]:
        assert np.all(parse_distribution(text).sample(rng, 10) == value), text


def test_parameters_as_percents_and_numbers() -> None:
    d = parse_distribution(" PERT( 30% , 0.4, 6e-1 ) ")
    assert d.kind == "pert"
    assert d.params == pytest.approx((0.30, 0.40, 0.60))
    assert parse_distribution("uniform(42_000, 45000)").params == (42000.0, 45000.0)


# ------------------------------------------------------------------ truncation


def test_truncation_redraws_out_of_range_draws_and_says_so(case: outsourcecalc.Case) -> None:
    """attrition_rate must be in [0, 5]: normal(40%, 30%) puts about 9% of draws below 0."""
    sim = simulate(case, {ATTRITION: "normal(40%, 30%)"}, trials=5000, seed=3)
    # the first draws: block 0 (trials 0..4095) and block 1, each from its own generator
    blocks = [block_generator(3, 0, b).normal(0.4, 0.3, BLOCK) for b in (0, 1)]
    first = np.concatenate(blocks)[:5000]
    below = int(np.count_nonzero(first < 0))
    assert below > 300
    d = sim.inputs[0]
    assert d.below == below and d.above == 0
    # the draws that were valid are kept as drawn; the others were redrawn into [0, 5]
    ok = first >= 0
    assert np.array_equal(d.values[ok], first[ok])
    assert np.all(d.values >= 0) and np.all(d.values <= 5)
    assert not np.array_equal(d.values[~ok], first[~ok])
    assert (
        f"{ATTRITION}: {below:,} of 5,000 draws fell below 0 and were redrawn "
        "(truncated at the bound)"
    ) in sim.notes


def test_truncation_in_json_and_table() -> None:
    data = sim_json(f"--uncertain={ATTRITION}=normal(40%, 30%)", "--trials", "1000")
    entry = data["uncertain"][0]
    assert entry["redrawn_below"] > 0 and entry["min"] >= 0
    assert any("were redrawn (truncated at the bound)" in n for n in data["notes"])
    table = run(IN_HOUSE, OFFSHORE, f"--uncertain={ATTRITION}=normal(40%, 30%)", "--trials", "1000")
    assert table.exit_code == 0, table.output
    assert "were redrawn" in table.stdout


def test_whole_number_fields_are_rounded(case: outsourcecalc.Case) -> None:
    sim = simulate(
        case, {"vendor[1].transition.parallel_run_months": "normal(2, 1.5)"}, trials=3000
    )
    d = sim.inputs[0]
    assert d.rounded
    assert np.array_equal(d.values, np.round(d.values))
    assert d.values.min() >= 0 and d.below > 0  # -1, -2 ... were redrawn
    assert any("rounded to the nearest whole number" in n for n in sim.notes)


def test_distribution_mostly_outside_the_range_is_refused() -> None:
    result = run(IN_HOUSE, OFFSHORE, f"--uncertain={ATTRITION}=normal(-1, 0.5)")
    assert result.exit_code == 2
    assert "lies mostly outside the field's valid range [0, 5]" in result.stderr


# ------------------------------------------------------------------ known answers


def test_point_mass_equals_compare_set() -> None:
    """triangular(v, v, v) fixes the input at v: every trial equals `compare --set` at v."""
    v = 27.25
    data = sim_json(f"--uncertain={PRICE}=triangular({v}, {v}, {v})", "--trials", "300")
    expected = compare_json(f"{PRICE}={v}")
    for got, want in zip(data["vendors"], expected["vendors"], strict=True):
        npv = want["npv_savings"]
        assert got["npv_savings"]["mean"] == npv
        assert got["npv_savings"]["p5"] == got["npv_savings"]["p50"] == npv
        assert got["npv_savings"]["p95"] == npv
        assert got["p_win"] == (1.0 if npv >= 0.005 else 0.0)
        assert got["payback_months"]["p50"] == want["payback_months"]
        assert got["payback_months"]["p95"] == want["payback_months"]
        assert got["p_payback"] == (0.0 if want["payback_months"] is None else 1.0)


@pytest.mark.parametrize(
    ("path", "value"),
    [("analysis.start_month", "4"), ("vendor[1].transition.parallel_run_months", "5")],
)
def test_point_mass_on_a_whole_number_field(path: str, value: str) -> None:
    data = sim_json(f"--uncertain={path}=triangular({value}, {value}, {value})", "--trials", "50")
    expected = compare_json(f"{path}={value}")
    for got, want in zip(data["vendors"], expected["vendors"], strict=True):
        assert got["npv_savings"]["p5"] == got["npv_savings"]["p95"] == want["npv_savings"]
        assert got["payback_months"]["p50"] == want["payback_months"]


def test_input_that_does_not_touch_a_vendor_leaves_it_fixed() -> None:
    """The onshore vendor's price does not enter the offshore comparison."""
    data = sim_json(f"--uncertain={PRICE}=uniform(20, 40)", "--trials", "400")
    offshore = data["vendors"][1]
    want = compare_json()["vendors"][1]["npv_savings"]
    assert offshore["npv_savings"]["p5"] == offshore["npv_savings"]["p95"] == want


def test_p_win_matches_trials_evaluated_one_at_a_time(case: outsourcecalc.Case) -> None:
    """Each trial's draws, set with --set and evaluated alone, give the same results."""
    specs = {PRICE: "triangular(24, 28, 33)", ATTRITION: "uniform(20%, 60%)"}
    sim = simulate(case, specs, trials=24, seed=11)
    wins = [0, 0]
    for t in range(sim.trials):
        sets = [f"{d.path}={float(d.values[t])!r}" for d in sim.inputs]
        one = outsourcecalc.evaluate(outsourcecalc.load(IN_HOUSE, [ONSHORE, OFFSHORE], sets))
        for i, v in enumerate(one.vendors):
            npv = v["npv_savings"]
            assert npv is not None
            assert abs(npv - sim.vendors[i].npv_savings[t]) < 0.01
            wins[i] += npv >= 0.005
            pay = v["payback_months"]
            got = sim.vendors[i].payback_months[t]
            assert (pay is None) == math.isnan(got)
            if pay is not None:
                assert abs(pay - got) < 1e-6
    assert 0 < wins[0] < sim.trials  # a mixed case: the check means something
    assert [sim.vendors[0].p_win, sim.vendors[1].p_win] == [w / sim.trials for w in wins]


def test_csv_one_row_per_trial_agrees_with_summary() -> None:
    args = [*MIXED, "--trials", "800", "--seed", "5"]
    result = run(IN_HOUSE, ONSHORE, OFFSHORE, *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 800
    name = "Heartland Contact Solutions (onshore)"
    assert list(rows[0]) == [
        "trial",
        PRICE,
        ATTRITION,
        f"{name}:npv_savings",
        f"{name}:payback_months",
        "Bayanihan BPO (Manila):npv_savings",
        "Bayanihan BPO (Manila):payback_months",
    ]
    assert [r["trial"] for r in rows[:3]] == ["1", "2", "3"]
    summary = sim_json(*args)["vendors"][0]
    wins = sum(float(r[f"{name}:npv_savings"]) >= 0.005 for r in rows)
    pays = sum(r[f"{name}:payback_months"] != "" for r in rows)
    assert summary["p_win"] == wins / 800
    assert summary["p_payback"] == pays / 800
    npv = np.array([float(r[f"{name}:npv_savings"]) for r in rows])
    assert abs(summary["npv_savings"]["p50"] - np.percentile(npv, 50)) < 0.01


# ------------------------------------------------------------------ statistics


def test_percentile_with_never_counts_never_as_infinite() -> None:
    nan = math.nan
    values = np.array([1.0, 2.0, 3.0, nan, nan])
    assert percentile_never(values, 0) == 1.0
    assert percentile_never(values, 50) == 3.0  # position 2: exactly the third value
    assert percentile_never(values, 60) is None  # between 3 and never
    assert percentile_never(values, 95) is None
    finite = np.array([4.0, 1.0, 3.0, 2.0])
    for q in (5, 37.5, 50, 95):
        assert percentile_never(finite, q) == np.percentile(finite, q)


def test_percentiles_are_numpys_to_the_bit() -> None:
    """P5, P50 and P95 of NPV savings equal np.percentile's exactly (one sort, no numpy.ma):
    few and many trials, ties, and NaN everywhere when any trial is NaN."""
    rng = np.random.default_rng(11)
    for n in (1, 2, 3, 7, 20, 1001, 12345):
        for values in (rng.normal(size=n) * 1e7, np.round(rng.normal(size=n))):
            want = [float(x) for x in np.percentile(values, [5, 50, 95])]
            assert percentiles(values, (5, 50, 95)) == want
    assert all(math.isnan(x) for x in percentiles(np.array([1.0, math.nan]), (5, 95)))


def test_histogram_has_zero_as_an_edge_and_counts_every_trial() -> None:
    values = np.random.default_rng(0).normal(100, 400, 1000)
    h = histogram(values)
    assert 0.0 in h.edges.tolist()
    assert h.counts.sum() == 1000
    assert 19 <= len(h.counts) <= 22
    same = histogram(np.full(10, 5.0))
    assert same.counts.tolist() == [10]


# ------------------------------------------------------------------ formats and gates


def test_table_shows_summary_histogram_and_break_even_line() -> None:
    result = run(IN_HOUSE, ONSHORE, OFFSHORE, *MIXED, "--trials", "2000")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Monte Carlo: 2,000 trials (seed 0)" in out
    assert "Outsourcing cheaper (P)" in out
    assert "0 = break-even" in out
    assert "█" in out and "◂ P50" in out


def test_markdown_summary() -> None:
    result = run(IN_HOUSE, ONSHORE, OFFSHORE, *MIXED, "--trials", "500", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "| Vendor | P(outsourcing cheaper) |" in result.stdout
    assert f"| `{PRICE}` | `triangular(24, 28, 33)` |" in result.stdout


@pytest.mark.parametrize(
    ("x", "digits", "shown"),
    [
        (0.0, 1, "0.0%"),
        (1.0, 1, "100.0%"),
        (0.99997, 1, ">99.9%"),  # showed 100.0% for a vendor cheaper in all but 3 of 100,000
        (1 / 9999, 1, "<0.1%"),  # showed "1 of 9,999 trials (0.0%)"
        (0.9994, 1, "99.9%"),
        (0.0006, 1, "0.1%"),
        (0.996, 0, ">99%"),
        (0.004, 0, "<1%"),
        (None, 1, "—"),
    ],
)
def test_a_share_is_never_rounded_onto_none_or_all(
    x: float | None, digits: int, shown: str
) -> None:
    assert share(x, digits) == shown


def test_a_gate_holding_in_one_trial_is_not_shown_as_none() -> None:
    """The gate's threshold between the smallest and the next-smallest trial's NPV savings."""
    args = [IN_HOUSE, ONSHORE, *MIXED, "--trials", "9999"]
    rows = list(csv.DictReader(io.StringIO(run(*args, "-f", "csv").stdout)))
    npv = sorted(float(r[f"{HEARTLAND}:npv_savings"]) for r in rows)
    gate = f"npv_savings<{(npv[0] + npv[1]) / 2}"
    result = run(*args, "--fail-if", gate, "-f", "json")
    assert result.exit_code == 1, result.output
    assert f"fail-if {gate}: holds for {HEARTLAND} in 1 of 9,999 trials (<0.1%)" in result.stderr


def test_markdown_says_cheaper_not_wins() -> None:
    """P(outsourcing wins) claimed more than the model measures: a scorecard or the risks
    may still keep the work in house; the share is of trials where outsourcing costs less."""
    result = run(IN_HOUSE, ONSHORE, *MIXED, "--trials", "500", "-f", "markdown")
    assert "| Vendor | P(outsourcing cheaper) |" in result.stdout
    assert f"- {HEARTLAND}: outsourcing is cheaper in " in result.stdout
    assert "wins" not in result.stdout


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "sim.json"
    result = run(IN_HOUSE, OFFSHORE, *MIXED[1:], "--trials", "100", "-f", "json", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text())["trials"] == 100


def test_fail_if_counts_the_trials_that_break_it() -> None:
    result = run(
        IN_HOUSE, ONSHORE, OFFSHORE, *MIXED, "--trials", "1000", "--fail-if", "npv_savings<0"
    )
    assert result.exit_code == 1
    data = sim_json(*MIXED, "--trials", "1000")
    losing = round((1 - data["vendors"][0]["p_win"]) * 1000)
    assert (
        f"fail-if npv_savings<0: holds for Heartland Contact Solutions (onshore) in {losing:,} "
        "of 1,000 trials" in result.stderr
    )
    assert "Bayanihan" not in result.stderr
    held = run(IN_HOUSE, OFFSHORE, *MIXED[1:], "--trials", "300", "--fail-if", "irr<-0.99")
    assert held.exit_code == 0, held.output


def test_chart(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from outsourcecalc.render import charts

    if not hasattr(charts, "histogram_chart"):
        pytest.skip("no histogram chart yet")
    target = tmp_path / "npv.png"
    result = run(IN_HOUSE, OFFSHORE, *MIXED[1:], "--trials", "500", "--chart", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:4] == b"\x89PNG"


# ------------------------------------------------------------------ the uncertainty file


def test_uncertainty_file_equals_options(tmp_path: Path) -> None:
    path = tmp_path / "risks.yaml"
    path.write_text(
        "# what we are unsure of\n"
        f"{PRICE}: triangular(24, 28, 33)\n{ATTRITION}: uniform(20%, 60%)\n"
    )
    from_file = sim_json("--uncertainty", str(path), "--trials", "700")
    from_options = sim_json(*MIXED, "--trials", "700")
    assert from_file["vendors"] == from_options["vendors"]


def test_uncertainty_file_errors_carry_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "risks.yaml"
    path.write_text(f"{PRICE}: triangular(24, 28, 33)\n{ATTRITION}: triangular(60%, 40%, 70%)\n")
    result = run(IN_HOUSE, ONSHORE, "--uncertainty", str(path))
    assert result.exit_code == 2
    assert (
        f"{path}:2:1: {ATTRITION}: triangular: low (60%) must not be above mode (40%)"
        in result.stderr
    )
    path.write_text(f"{ATTRITION}: 0.4\n")
    result = run(IN_HOUSE, ONSHORE, "--uncertainty", str(path))
    assert result.exit_code == 2
    assert f"{path}:1:1: {ATTRITION}: expected a distribution" in result.stderr
    missing = run(IN_HOUSE, ONSHORE, "--uncertainty", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2 and "file not found" in missing.stderr


@pytest.mark.parametrize(
    ("text", "problem"),
    [("", "the file is empty"), ("- a\n- b\n", "got a list at the top level")],
)
def test_an_uncertainty_file_of_no_mapping_says_what_it_should_hold(
    tmp_path: Path, text: str, problem: str
) -> None:
    """It got the in-house file's hint, "expected fields (name: ...)"."""
    path = tmp_path / "risks.yaml"
    path.write_text(text)
    result = run(IN_HOUSE, ONSHORE, "--uncertainty", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{path}:1:1: {problem}; expected input paths with their distributions, such as "
        "in_house.staff[0].attrition_rate: pert(30%, 40%, 60%)\n"
    )


# ------------------------------------------------------------------ bad specs

BAD = [
    (f"{ATTRITION}=triangular(50%, 40%, 70%)", "low (50%) must not be above mode (40%)"),
    (f"{ATTRITION}=pert(10%, 80%, 70%)", "mode (80%) must not be above high (70%)"),
    (f"{ATTRITION}=uniform(0.5, 0.2)", "high (0.2) must not be below low (0.5)"),
    (f"{ATTRITION}=normal(0.4, -0.1)", "sd must be 0 or more (got -0.1)"),
    ("vendor[1].fx_rate=lognormal(0, 0.1)", "lognormal: mean must be above 0 (got 0)"),
    (f"{ATTRITION}=gamma(1, 2)", "unknown distribution 'gamma'"),
    (f"{ATTRITION}=triangular(1, 2)", "triangular takes 3 parameters (low, mode, high), got 2"),
    (
        "in_house.staff[0].annual_salary=triangular(40,000, 42,000, 45,000)",
        "write numbers without thousands separators",
    ),
    (f"{ATTRITION}=uniform(a, b)", "uniform: low is not a number: 'a'"),
    (f"{ATTRITION}=0.4", "expected a distribution such as triangular("),
    (f"{ATTRITION}=uniform(6, 9)", "lies wholly outside the field's valid range [0, 5]"),
    ("in_house.name=uniform(1, 2)", "not a numeric input"),
    ("in_house.staff[0].salary=uniform(1, 2)", "no such input field"),
    ("vendor[5].scope=uniform(0.5, 1)", "vendor[5] does not exist"),
    ("analysis.horizon_months=uniform(24, 48)", "the horizon cannot be uncertain"),
    ("budget.x=uniform(1, 2)", "a path starts with in_house., vendor."),
    (f"{ATTRITION}", "expected PATH=VALUE"),
    (
        "vendor[1].transition.parallel_run_months=triangular(1, 3, 60)",
        "must be within the horizon of 36 months",
    ),
]


@pytest.mark.parametrize(("spec", "message"), BAD)
def test_bad_specs_exit_2_naming_the_option(spec: str, message: str) -> None:
    result = run(IN_HOUSE, ONSHORE, OFFSHORE, "--uncertain", spec, "--trials", "2000")
    assert result.exit_code == 2, result.output
    assert f"--uncertain {spec}" in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_every_bad_spec_is_reported_together() -> None:
    result = run(
        IN_HOUSE,
        ONSHORE,
        "--uncertain", f"{ATTRITION}=uniform(2, 1)",
        "--uncertain", "vendor.scope=normal(1, -1)",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "must not be below low" in result.stderr and "sd must be 0 or more" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--trials", "0"], "--trials 0: must be from 1 to"),
        (["--seed", "-1"], "--seed -1: must be 0 or more"),
        ([f"--set={ATTRITION}=0.3"], "also fixed with --set"),
        (
            ["--uncertain=analysis.discount_rate=uniform(5%, 9%)", "--discount-rate=7%"],
            "also fixed with --discount-rate 7%",
        ),
        ([f"--uncertain={ATTRITION}=uniform(0.1, 0.2)"], "this input is already uncertain"),
    ],
)
def test_bad_usage(args: list[str], message: str) -> None:
    result = run(IN_HOUSE, ONSHORE, f"--uncertain={ATTRITION}=uniform(0.3, 0.5)", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_no_uncertain_input() -> None:
    result = run(IN_HOUSE, ONSHORE)
    assert result.exit_code == 2
    assert "give at least one uncertain input" in result.stderr


def test_python_api_three_lines() -> None:
    case = outsourcecalc.load(IN_HOUSE, [OFFSHORE])
    sim = simulate(case, {ATTRITION: "pert(30%, 40%, 60%)"}, trials=1000, seed=0)
    assert sim.vendors[0].p_win == 1.0
    assert sim.vendors[0].npv.p5 < sim.vendors[0].npv.p50 < sim.vendors[0].npv.p95


def test_drawn_rates_show_as_percents_in_the_inputs_table() -> None:
    """Issue 10: every rate as a percent; an amount stays a number."""
    from outsourcecalc.render.simulate import _drawn

    assert _drawn("in_house.staff[0].attrition_rate", 0.43312) == "43.3%"
    assert _drawn("vendor.pricing[0].per_fte_month", 95123.4) == "95,123"
    assert _drawn("vendor.fx_rate", 0.0175) == "0.0175"  # an exchange rate is not a share
