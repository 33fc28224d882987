"""Golden files: `compare` on each example in each format, byte for byte.

tests/golden/<example>.<format> holds the reviewed output. After a deliberate
change to the numbers or their layout, refresh them with

    .venv/bin/pytest tests/test_golden.py --update-golden

and review `git diff tests/golden` as a reader of the report would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, Invoke, example_args

GOLDEN = Path(__file__).resolve().parent / "golden"
FORMATS = ["table", "json", "csv", "markdown"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_compare_output_matches_golden(
    cli: Invoke, update_golden: bool, example: str, fmt: str
) -> None:
    result = cli("compare", *example_args(example), "--format", fmt)
    assert result.exit_code == 0, result.output
    golden = GOLDEN / f"{example}.{fmt}"
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_bytes(result.stdout_bytes)
        return
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden and review it"
    assert result.stdout == golden.read_bytes().decode("utf-8")


def test_every_golden_file_is_compared() -> None:
    expected = {f"{example}.{fmt}" for example in EXAMPLES for fmt in FORMATS}
    assert {p.name for p in GOLDEN.iterdir()} == expected
