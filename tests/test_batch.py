"""The chunked batch evaluator (engine/batch.py) that sweeps and simulations share."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import outsourcecalc
from outsourcecalc.engine.batch import CELLS_PER_CHUNK, MIN_CHUNK, Chunk, evaluate_in_chunks
from outsourcecalc.engine.model import evaluate_batch
from outsourcecalc.inputs.paths import InputPath, parse_path, with_values

CC = Path(__file__).resolve().parent.parent / "examples" / "contact_center"
KEYS = ("npv_savings", "payback_months", "irr")


def load() -> outsourcecalc.Case:
    return outsourcecalc.load(
        CC / "in_house.yaml", [CC / "vendor_offshore.yaml", CC / "vendor_onshore.yaml"]
    )


def test_chunks_are_bounded_contiguous_and_equal_one_batch() -> None:
    """5,000 salaries over 36 months (37 periods): chunks of 120,000 // 37 = 3,243 scenarios,
    from scenario 700 on; each chunk's results are those of one batch of every scenario."""
    case = load()
    salary = parse_path("in_house.staff[0].annual_salary")
    salaries = np.linspace(30_000, 80_000, 5_000)

    def values_at(lo: int, hi: int) -> dict[InputPath, np.ndarray]:
        return {salary: salaries[lo:hi]}

    chunks = list(evaluate_in_chunks(case, 700, 5_000, values_at, KEYS, frozenset({"irr"})))
    step = max(MIN_CHUNK, CELLS_PER_CHUNK // 37)
    assert [(c.start, c.stop) for c in chunks] == [(700, 700 + step), (700 + step, 5_000)]
    whole = evaluate_batch(with_values(case, {salary: salaries[700:]}, 4_300), frozenset({"irr"}))
    for v, result in enumerate(whole.vendors):
        for key in KEYS:
            joined = np.concatenate([c.vendors[v][key] for c in chunks])
            np.testing.assert_allclose(joined, getattr(result, key), rtol=1e-12, equal_nan=True)


def test_a_varying_horizon_is_evaluated_one_horizon_at_a_time() -> None:
    """Scenarios alternate between 12 and 60 months: each equals compare at its horizon."""
    case = load()
    horizon = parse_path("analysis.horizon_months")
    months = np.array([12.0, 60.0, 12.0, 60.0, 24.0])
    (chunk,) = evaluate_in_chunks(
        case, 0, 5, lambda lo, hi: {horizon: months[lo:hi]}, ("tco",), longest_horizon=60
    )
    for i, h in enumerate(months):
        single = outsourcecalc.evaluate(
            outsourcecalc.load(
                CC / "in_house.yaml",
                [CC / "vendor_offshore.yaml", CC / "vendor_onshore.yaml"],
                horizon_months=int(h),
            )
        )
        for v in range(2):
            assert chunk.vendors[v]["tco"][i] == pytest.approx(single.vendors[v]["tco"], abs=0.005)


def test_chunks_on_threads_are_the_same_bits_in_the_same_order() -> None:
    """--jobs 3: the same chunks, in order, every result bit for bit, horizons varying."""
    case = load()
    salary = parse_path("in_house.staff[0].annual_salary")
    horizon = parse_path("analysis.horizon_months")
    salaries = np.linspace(30_000, 80_000, 20_000)
    months = np.resize([12.0, 36.0, 60.0], 20_000)

    def values_at(lo: int, hi: int) -> dict[InputPath, np.ndarray]:
        return {salary: salaries[lo:hi], horizon: months[lo:hi]}

    def run(jobs: int) -> list[Chunk]:
        metrics = frozenset({"irr"})
        return list(evaluate_in_chunks(case, 5, 20_000, values_at, KEYS, metrics, 60, jobs))

    serial, threaded = run(1), run(3)
    assert len(serial) > 6
    assert [(c.start, c.stop) for c in threaded] == [(c.start, c.stop) for c in serial]
    for a, b in zip(serial, threaded, strict=True):
        for va, vb in zip(a.vendors, b.vendors, strict=True):
            for key in KEYS:
                assert va[key].tobytes() == vb[key].tobytes()
