"""The hostile tests' marker: `slow` runs measure a big run in a child process (20-30 s)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: a big run measured in a child process (20-30 s)")
