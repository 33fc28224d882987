"""Writing output files whole or not at all: a failed run never leaves half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import UsageError


def check_target(path: Path, option: str) -> None:
    """Fail before any work when the file could not be written there."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError.option(f"{option} {path}", f"folder {folder} does not exist")
    if path.is_dir():
        raise UsageError.option(f"{option} {path}", "is a folder; give a file name")


def write_atomically(path: Path, data: bytes, option: str) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`."""
    check_target(path, option)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; ours are not
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
