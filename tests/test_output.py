"""Output files: written whole, replaced atomically, readable like any file the user makes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from outsourcecalc.errors import UsageError
from outsourcecalc.render.output import write_atomically


def test_written_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "report.csv"
        write_atomically(target, b"a,b\n", "--output")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"a,b\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # not mkstemp's private 0600
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]  # no temporary left


def test_missing_folder_and_folder_target_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        write_atomically(tmp_path / "nope" / "x.json", b"{}", "--output")
    with pytest.raises(UsageError, match="is a folder"):
        write_atomically(tmp_path, b"{}", "--output")
