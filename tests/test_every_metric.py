"""Every metric in batch, with real values: what a sweep row or a gated Monte Carlo trial
says equals `compare --set` at that point, for every result key.

The examples hold what moves the costly results: volume tiers (graduated and volume
mode), a minimum fee, a team sized by the workload, a parallel run and foreign
currencies. Points are picked at random (a fixed seed) from grids that cross the
break-even points.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from reference import model as ref
from typer.testing import CliRunner

import outsourcecalc
from outsourcecalc.cli import app
from outsourcecalc.engine import model
from outsourcecalc.engine.model import RESULT_KEYS

EX = Path(__file__).resolve().parent.parent / "examples"
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
MONEY = {"tco", "npv", "savings", "npv_savings", "investment"}

HELPDESK = [
    EX / "it_helpdesk" / "in_house.yaml",
    EX / "it_helpdesk" / "vendor_tiered.yaml",
    EX / "it_helpdesk" / "vendor_hybrid.yaml",
]
CONTACT = [
    EX / "contact_center" / "in_house.yaml",
    EX / "contact_center" / "vendor_offshore.yaml",
    EX / "contact_center" / "vendor_onshore.yaml",
]


def run(*args: Any) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args], env=ENV)
    assert result.exit_code in (0, 1), result.output
    return result


def same(key: str, a: float | None, b: float | None) -> bool:
    """The same number (or both null): a batch's row is evaluated alone to the last bit."""
    return a == b


def compare_set(files: list[Path], sets: list[str]) -> list[dict[str, Any]]:
    args = [arg for s in sets for arg in ("--set", s)]
    result = run("compare", *files, *args, "--format", "json")
    vendors: list[dict[str, Any]] = json.loads(result.stdout)["vendors"]
    return vendors


@pytest.mark.parametrize(
    "files, varies",
    [
        (
            HELPDESK,
            [
                "in_house.workload.monthly_volume=2000:14000:500",
                "vendor[0].minimum_monthly_fee=0;80000;110000;140000",
            ],
        ),
        (
            CONTACT,
            [
                "in_house.staff[0].handle_minutes=4:10:0.5",
                "vendor[0].pricing[0].per_fte_month=60000:130000:10000",
            ],
        ),
        (
            CONTACT,  # the score column follows a varied score
            [
                'vendor[1].scores["Service quality"]=0:5:0.5',
                "vendor[0].pricing[0].per_fte_month=60000:130000:10000",
            ],
        ),
        (
            HELPDESK,
            [
                "analysis.discount_rate=0%:30%:2.5%",
                "vendor[1].pricing[0].tiers[0].up_to=2000;3500",
            ],
        ),
    ],
)
def test_sweep_rows_equal_compare_set_for_every_key(files: list[Path], varies: list[str]) -> None:
    args = [arg for v in varies for arg in ("--vary", v)]
    rows = json.loads(run("sweep", *files, *args, "--format", "json").stdout)["rows"]
    names = [json.loads(run("compare", *files, "--format", "json").stdout)["vendors"]]
    vendors = [v["name"] for v in names[0]]
    points = sorted({tuple(row[p] for p in [v.split("=")[0] for v in varies]) for row in rows})
    pick = random.Random(12)
    keys = list(rows[0])[len(varies) + 1 :]
    assert keys in (list(RESULT_KEYS), [*RESULT_KEYS, "score"])  # score with a scorecard
    checked = {k: 0 for k in keys}
    paths = [v.split("=")[0] for v in varies]
    for point in pick.sample(points, 6):
        sets = [f"{p}={value!r}" for p, value in zip(paths, point, strict=True)]
        expected = compare_set(files, sets)
        for name, want in zip(vendors, expected, strict=True):
            (row,) = [
                r for r in rows if r["vendor"] == name and tuple(r[p] for p in paths) == point
            ]
            assert list(row)[len(paths) + 1 :] == keys
            for key in keys:
                assert same(key, row[key], want[key]), (sets, name, key, row[key], want[key])
                checked[key] += row[key] is not None
    assert all(checked.values()), checked  # every key was compared on a real value


@pytest.mark.parametrize(
    "files, varies",
    [
        (
            HELPDESK,
            [
                "in_house.workload.monthly_volume=2000:14000:500",
                "vendor[0].minimum_monthly_fee=0,80000,110000,140000",
            ],
        ),
        (
            CONTACT,
            [
                "in_house.staff[0].annual_salary=30000:60000:1000",
                "vendor[0].pricing[0].per_fte_month=60000:130000:370",
                "analysis.discount_rate=5%,8%",
            ],
        ),
        (
            CONTACT,
            [
                "in_house.staff[0].handle_minutes=4:10:0.5",
                "analysis.horizon_months=24,36,60",
            ],
        ),
    ],
)
def test_a_sweep_row_is_compare_set_to_the_last_bit(files: list[Path], varies: list[str]) -> None:
    """Unrounded: each cost sum adds its terms in one order whatever varies, and NPVs are
    summed row by row, so a point in a batch of thousands is the point alone. (Adding
    the terms smallest first, as before, gave another last bit in most rows.)"""
    from outsourcecalc.scenarios.sweep import Grid, build_axes, evaluate_grid

    case = outsourcecalc.load(files[0], files[1:])
    grid = Grid(build_axes(case, varies))
    chunks = list(evaluate_grid(case, grid, 0, grid.size, model.ALL_METRICS, RESULT_KEYS))
    checked = rows_equal_compare_set(files, grid, chunks, random.Random(4), 12)
    assert all(checked.values()), checked  # every key was compared on a real value


def rows_equal_compare_set(
    files: list[Path], grid: Any, chunks: list[Any], pick: random.Random, points: int
) -> dict[str, int]:
    """Assert that `points` random points of the evaluated grid are `compare --set` at
    that point, unrounded, for every key; how many real (non-null) values each key had."""
    checked = dict.fromkeys(RESULT_KEYS, 0)
    for i in pick.sample(range(grid.size), points):
        sets = [f"{path}={value!r}" for path, value in grid.point(i).items()]
        alone = outsourcecalc.compare(outsourcecalc.load(files[0], files[1:], sets))
        (chunk,) = [c for c in chunks if c.start <= i < c.stop]
        for got, want in zip(chunk.vendors, alone.vendors, strict=True):
            for key in RESULT_KEYS:
                value = float(got[key][i - chunk.start])
                assert same(key, None if math.isnan(value) else value, want[key]), (sets, key)
                checked[key] += not math.isnan(value)
    return checked


UNCERTAIN = {
    "in_house.staff[0].annual_salary": "triangular(39000, 42000, 47000)",
    "vendor[0].fx_rate": "lognormal(0.0175, 0.0015)",
    "vendor[0].pricing[0].per_fte_month": "normal(95000, 6000)",
    "in_house.workload.monthly_volume": "uniform(12000, 26000)",
}


def test_gated_monte_carlo_trials_equal_compare_set() -> None:
    """simulate gated on every costly result: the per-trial values the gates were tested on
    are what compare --set gives with that trial's draws."""
    case = outsourcecalc.load(CONTACT[0], CONTACT[1:])
    gates = [
        "irr<0.2",
        "payback_months>18",
        "discounted_payback_months>20",
        "break_even_volume>15000",
        "break_even_price_change<0.1",
    ]
    sim = outsourcecalc.simulate(case, UNCERTAIN, trials=300, seed=7, fail_if=gates)
    for gate in sim.gates:
        values = next(v for v in sim.vendors if v.name == gate.vendor).values(gate.gate.metric)
        assert gate.held == int(gate.gate.holds_many(values).sum())
    checked = {g.split("<")[0].split(">")[0]: 0 for g in gates}
    for trial in random.Random(3).sample(range(sim.trials), 5):
        sets = [f"{d.path}={float(d.values[trial])!r}" for d in sim.inputs]
        single = outsourcecalc.compare(outsourcecalc.load(CONTACT[0], CONTACT[1:], sets))
        for outcome, want in zip(sim.vendors, single.vendors, strict=True):
            for key in checked:
                got = float(outcome.values(key)[trial])
                value = None if math.isnan(got) else got
                assert same(key, value, want[key]), (sets, outcome.name, key, value, want[key])
                checked[key] += value is not None
    assert all(checked.values()), checked


def test_gated_simulate_exits_1_as_the_trials_say() -> None:
    """The CLI's gate verdict on IRR and payback agrees with the per-trial values."""
    args = [arg for path, dist in UNCERTAIN.items() for arg in ("--uncertain", f"{path}={dist}")]
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            *map(str, CONTACT),
            *args,
            "--trials",
            "500",
            "--fail-if",
            "irr<0.2",
            "--fail-if",
            "payback_months>18",
        ],
        env=ENV,
    )
    case = outsourcecalc.load(CONTACT[0], CONTACT[1:])
    sim = outsourcecalc.simulate(
        case, UNCERTAIN, trials=500, fail_if=["irr<0.2", "payback_months>18"]
    )
    held = any(g.held for g in sim.gates)
    assert result.exit_code == (1 if held else 0), result.output


def test_the_quick_sign_test_counts_as_sign_changes_does() -> None:
    """IRR's test for exactly one sign change (four argmax) against the flip count, on
    streams with zeros, half-cent noise, one block of each sign, and several flips."""
    rng = np.random.default_rng(5)
    n, months = 20_000, 37
    split = rng.integers(0, months + 1, n)
    blocks = np.where(np.arange(months) < split[:, None], -1.0, 1.0) * rng.uniform(1, 9, (n, 1))
    blocks[::2] *= -1
    noise = rng.normal(0, 1, (n, months))
    savings = np.where(rng.random(n)[:, None] < 0.5, blocks, noise)
    savings[rng.random((n, months)) < 0.2] = 0.0
    savings[rng.random((n, months)) < 0.05] = 0.004  # zero by the half-cent rule
    zeroed = np.where(model.is_zero(savings), 0.0, savings)
    expected = model.sign_changes(savings) == 1
    assert 0.2 < expected.mean() < 0.8
    np.testing.assert_array_equal(model._one_sign_change(zeroed), expected)


def test_irr_is_exact_to_rounding_and_the_same_in_any_batch() -> None:
    """NPV of the savings at the monthly IRR found is zero to rounding, and each row's IRR
    is the same bits alone as in a batch of many."""
    rng = np.random.default_rng(9)
    n, months = 2_000, 37
    split = rng.integers(1, 30, n)
    size = np.exp(rng.uniform(0, 12, (n, months)))
    savings = np.where(
        np.arange(months) < split[:, None], -size, size * rng.uniform(0.01, 50, (n, 1))
    )
    rates = model.irr(savings)
    monthly = model.monthly_irr(savings)
    ok = ~np.isnan(rates)
    assert ok.mean() > 0.95
    x = 1 / (1 + monthly[ok])
    scale = np.abs(savings[ok]) @ np.ones(months)
    npv = np.array([np.polyval(row[::-1], xi) for row, xi in zip(savings[ok], x, strict=True)])
    assert (np.abs(npv) <= 1e-9 * scale).mean() > 0.99
    for i in rng.choice(n, 20, replace=False):
        alone = model.irr(savings[i : i + 1])[0]
        assert alone == rates[i] or (np.isnan(alone) and np.isnan(rates[i]))


def _stream(months: int, *amounts: tuple[int, float]) -> list[float]:
    """A month's savings, zero but for the (month, amount) pairs given."""
    row = [0.0] * months
    for month, amount in amounts:
        row[month] = amount
    return row


def test_irr_on_every_shape_agrees_with_the_reference_bisection() -> None:
    """Halley's root against the reference's bisection on the shapes that take the other
    branches: a root above 0 (IRR below 0, solved backward from the last saving), returns
    before a cost, leading and trailing zeros, a plain sum of exactly 0 (IRR exactly 0),
    the far ends (near -100% and past 1e100% a year) and a 50-year horizon. Each row
    gets the same bits alone as in the batch, in either order."""
    level = [-1000.0] + [100.0] * 36
    shapes = [
        level,  # 84% a year
        [-1000.0] + [20.0] * 36,  # a loss: -20% a year
        [1000.0] + [-20.0] * 36,  # the same, returns before the cost
        [500.0, 500.0] + [-40.0] * 35,
        [0.0] * 5 + [-800.0, -200.0] + [60.0] * 25 + [0.0] * 5,  # zeros at both ends
        [-300.0, 100.0, 0.0, 200.0] + [0.0] * 33,  # sums to exactly 0
        _stream(37, (0, -40_000.0), (1, 1_000.0)),  # near -100% a year
        _stream(37, (0, -1.0), (1, 5e9)),  # e**266 a year
        _stream(37, (3, 1e6), (36, -1e6 - 0.01)),
        [-5000.0] + [0.004] * 10 + [1.0] * 26,  # half-cent noise is zero
        [-1e7] + [1e5] * 35 + [2e7],
    ]
    savings = np.array(shapes)
    rates = model.irr(savings)
    for row, rate in zip(shapes, rates, strict=True):
        want = ref.irr(row)
        assert want is not None
        assert rate == pytest.approx(want, rel=1e-12, abs=1e-14), row  # bisection noise
    assert rates[5] == 0.0
    np.testing.assert_array_equal(model.irr(savings[::-1])[::-1], rates)
    for i in range(len(shapes)):
        np.testing.assert_array_equal(model.irr(savings[i : i + 1]), rates[i : i + 1])
    long = np.array([[-50_000.0] + [180.0] * 600, [-50_000.0] + [80.0] * 600])
    for row, rate in zip(long, model.irr(long), strict=True):
        assert rate == pytest.approx(ref.irr(list(row)), rel=1e-12)


@pytest.mark.parametrize("varies_discount", [False, True])
def test_a_points_every_key_is_the_same_bits_beside_any_other_points(
    varies_discount: bool,
) -> None:
    """A point's results do not depend on the points evaluated in the same chunk, to the
    last bit, so the rows of `sweep --shard K/N` are the unsharded run's. Before, NPVs
    were BLAS's matrix product, which rounded the NPVs of 7 to 9 rows of each long slice
    here differently from the whole run's; and a chunk of one scenario (a slice's last)
    added its terms in another order. A printed digit can follow a last bit."""
    from outsourcecalc.scenarios.sweep import Grid, build_axes, evaluate_grid

    files = CONTACT
    case = outsourcecalc.load(files[0], files[1:])
    varies = [
        "vendor[0].pricing[0].per_fte_month=60000:130000:370",
        "in_house.staff[0].annual_salary=30000:60000:1000",
    ]
    if varies_discount:
        varies.append("analysis.discount_rate=5%,8%")
    grid = Grid(build_axes(case, varies))
    keys = list(RESULT_KEYS)

    def rows(start: int, stop: int) -> list[dict[str, np.ndarray]]:
        chunks = list(evaluate_grid(case, grid, start, stop, model.ALL_METRICS, keys))
        return [
            {k: np.concatenate([c.vendors[v][k] for c in chunks]) for k in keys}
            for v in range(len(case.vendors))
        ]

    whole = rows(0, grid.size)
    slices = [(1, grid.size), (1234, grid.size), (grid.size // 2 + 7, grid.size)]
    slices += [(500, 501), (7, 10), (3000, 3040)]  # one scenario, fewer than the months
    for start, stop in slices:
        for alone, beside in zip(rows(start, stop), whole, strict=True):
            for k in keys:
                assert alone[k].tobytes() == beside[k][start:stop].tobytes(), (start, k)


def test_one_discount_rate_gives_the_discount_factors_of_a_column_of_them() -> None:
    """The timeline of one scenario (compare) and of a batch (a sweep over the discount
    rate) raise to powers alike: a rate given as a number went through numpy's scalar
    power, which differs from its array power in the last bit for 69 of these 2,000
    rates, and so did every NPV of a sweep row against `compare --set`."""
    rates = np.random.default_rng(1).uniform(0, 0.3, 2_000)
    batch = model.Timeline.build(60, rates.reshape(-1, 1), 1).discount
    for i, rate in enumerate(rates):
        alone = model.Timeline.build(60, float(rate), 1).discount
        assert alone.shape == (61,)
        assert alone.tobytes() == batch[i].tobytes(), rate


EVERY_EXAMPLE = {
    "contact_center": ["vendor_offshore.yaml", "vendor_onshore.yaml"],
    "it_helpdesk": ["vendor_tiered.yaml", "vendor_hybrid.yaml"],
    "payroll": ["vendor.yaml"],
    "tax_season": ["vendor.yaml"],
}


@pytest.mark.parametrize("example", sorted(EVERY_EXAMPLE))
def test_any_two_inputs_of_every_example_swept_equal_compare_set(example: str) -> None:
    """Random pairs of the example's numeric inputs (what sensitivity moves: tiers,
    minimum fees, FX, retained staff, benefits, growth and discount rates, ...), each
    swept over five values around today's, against `compare --set` at random points,
    unrounded, every key. (Adding cost terms smallest first failed all four.)"""
    from outsourcecalc.errors import InputError
    from outsourcecalc.inputs.paths import numeric_inputs
    from outsourcecalc.scenarios.sweep import Grid, build_axes, evaluate_grid

    files = [EX / example / "in_house.yaml", *(EX / example / v for v in EVERY_EXAMPLE[example])]
    case = outsourcecalc.load(files[0], files[1:])
    today = {p.text: v for i in range(len(case.vendors)) for p, v in numeric_inputs(case, i)}
    pick = random.Random(example)
    pairs = 0
    for _ in range(10):
        varies = []
        for path in pick.sample(sorted(today), 2):
            values = {today[path] * f for f in (0.6, 0.9, 1.0, 1.15, 1.4)}
            varies.append(f"{path}=" + ",".join(repr(float(v)) for v in sorted(values)))
        try:  # a pair may leave the fields' bounds (a rate above 1, tiers out of order)
            grid = Grid(build_axes(case, varies))
            chunks = list(evaluate_grid(case, grid, 0, grid.size, model.ALL_METRICS, RESULT_KEYS))
        except InputError:
            continue
        rows_equal_compare_set(files, grid, chunks, pick, 4)
        pairs += 1
    assert pairs >= 5, pairs
