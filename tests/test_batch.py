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
    """4,300 salaries over 36 months (37 periods), from scenario 700 on: chunks of at most
    120,000 // 37 = 3,243 scenarios, so two of 2,150; each chunk's results are those of
    one batch of every scenario, to the last bit."""
    case = load()
    salary = parse_path("in_house.staff[0].annual_salary")
    salaries = np.linspace(30_000, 80_000, 5_000)

    def values_at(lo: int, hi: int) -> dict[InputPath, np.ndarray]:
        return {salary: salaries[lo:hi]}

    chunks = list(evaluate_in_chunks(case, 700, 5_000, values_at, KEYS, frozenset({"irr"})))
    step = max(MIN_CHUNK, CELLS_PER_CHUNK // 37)
    assert step < 4_300 <= 2 * step  # two chunks of one size
    assert [(c.start, c.stop) for c in chunks] == [(700, 2_850), (2_850, 5_000)]
    whole = evaluate_batch(with_values(case, {salary: salaries[700:]}, 4_300), frozenset({"irr"}))
    for v, result in enumerate(whole.vendors):
        for key in KEYS:
            joined = np.concatenate([c.vendors[v][key] for c in chunks])
            assert joined.tobytes() == np.asarray(getattr(result, key), dtype=float).tobytes()


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
    for chunks in (serial, threaded):  # contiguous, in order
        assert [c.start for c in chunks] == [5] + [c.stop for c in chunks[:-1]]
        assert chunks[-1].stop == 20_000
    for v in range(2):  # the chunks differ (each job gets as much work), the bits do not
        for key in KEYS:
            joined = [np.concatenate([c.vendors[v][key] for c in cs]) for cs in (serial, threaded)]
            assert joined[0].tobytes() == joined[1].tobytes()


def test_the_work_is_cut_into_items_of_one_size_as_many_for_every_job() -> None:
    """A 1M-point sweep over 37 months on two jobs: 40 items of 25,000 points, 20 each
    (before, 39 items of 25,256 and a last of 15,016 left one process idle at the end)."""
    from outsourcecalc.engine.batch import CHUNKS_PER_TASK, _split, most_tasks

    step = max(MIN_CHUNK, CELLS_PER_CHUNK // 38) * CHUNKS_PER_TASK
    items = _split(0, 1_000_000, step, 2, most_tasks(1_000_000))
    assert len(items) == 40
    assert {hi - lo for lo, hi in items} == {25_000}
    assert _split(0, 10, 4) == [(0, 3), (3, 6), (6, 10)]  # as few as fit, one size
    assert _split(0, 10, 4, jobs=2) == [(0, 2), (2, 5), (5, 7), (7, 10)]  # a multiple of 2
    assert _split(0, 10, 4, jobs=2, cap=3) == [(0, 3), (3, 6), (6, 10)]  # no more than cap
    assert _split(5, 5, 4, jobs=3) == []
    assert _split(0, 1, 4, jobs=3) == [(0, 1)]
