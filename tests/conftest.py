"""Shared test set-up: the command line run in-process, and the --update-golden option.

Every CLI test runs through typer's CliRunner with rich pinned to 100 columns
and no colour, from the repository root, so that paths in messages and the
width of tables are the same on every machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from outsourcecalc.cli import app

ROOT = Path(__file__).resolve().parent.parent
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}

# each example with its vendors in the order its in-house file's header comment gives
EXAMPLES = {
    "contact_center": ["vendor_onshore.yaml", "vendor_offshore.yaml"],
    "it_helpdesk": ["vendor_tiered.yaml", "vendor_hybrid.yaml"],
    "payroll": ["vendor.yaml"],
    "tax_season": ["vendor.yaml"],
}

Invoke = Callable[..., Result]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/* from the current output instead of comparing with it.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


# The contact center as it was before it showed contract v2 (fixed headcounts, no
# scorecard): tests that pin its v1 figures read this copy under tests/data.
FROZEN = {"contact_center_v1": ["vendor_onshore.yaml", "vendor_offshore.yaml"]}
# the examples the workbook tests export: every example, and the v1 contact center too
WORKBOOK_EXAMPLES = {**EXAMPLES, "contact_center_v1": FROZEN["contact_center_v1"]}


def example_args(name: str) -> list[str]:
    """`compare` arguments for an example: its in-house file, then its vendor files."""
    folder = f"tests/data/{name}" if name in FROZEN else f"examples/{name}"
    vendors = FROZEN[name] if name in FROZEN else EXAMPLES[name]
    return [f"{folder}/in_house.yaml", *(f"{folder}/{v}" for v in vendors)]


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run from the repository root, so example paths read `examples/...`."""
    monkeypatch.chdir(ROOT)
    yield ROOT


@pytest.fixture
def cli(in_repo: Path) -> Invoke:
    """Run `outsourcecalc ARGS...` in-process; the result has exit_code, stdout, stderr."""
    runner = CliRunner(env=ENV)

    def invoke(*args: str | os.PathLike[str]) -> Result:
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=True)

    return invoke
