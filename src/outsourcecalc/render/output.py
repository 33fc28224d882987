"""Writing output files whole or not at all, and never over what they must not replace.

- A regular file is written to a temporary file beside it and renamed over it, so a
  failed run never leaves half a file; an existing file keeps its permissions (salary
  data written 0600 stays 0600).
- A symlink is followed: its target is what gets written, atomically.
- A device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO) is opened and written,
  never replaced by a regular file.
- `-` is standard output.
- An output that is one of the run's input files, by any path or link, is refused
  before any work.

`open_output` gives a handle to write through as the text is made (a million sweep
rows are never held at once); the same guarantees hold: the temporary file becomes
the output only when the writing ends without an error, and is removed otherwise.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..errors import UsageError

STDOUT = "-"


def check_target(path: Path, option: str, inputs: Sequence[str | Path] = ()) -> None:
    """Fail before any work when the file could not, or must not, be written there."""
    if str(path) == STDOUT:
        return
    where = f"{option} {path}"
    try:  # a symbolic link loop, in the name or in a folder above it, cannot be written
        mode: int | None = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise UsageError.option(where, f"cannot write there ({_reason(exc)})") from None
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        if _is_stdin(path):  # our own input pipe: the run would wait on itself
            raise UsageError.option(where, "is this run's standard input; give a file or -")
        return  # a device or a pipe (/dev/null, /dev/stdout): written into, as it is
    real = Path(os.path.realpath(path))
    folder = real.parent
    if not folder.is_dir():
        # a dangling link names the folder it points into, not the link's own
        shown = folder if os.path.islink(path) else (path.parent if str(path.parent) else Path("."))
        raise UsageError.option(where, f"folder {shown} does not exist")
    if real.is_dir():
        raise UsageError.option(where, "is a folder; give a file name")
    for source in inputs:
        if _same_file(real, Path(source)):
            raise UsageError.option(
                where, f"is the input file {source}; writing there would destroy it"
            )
    if not real.exists() or real.is_file():
        _probe(folder, where)


def _is_stdin(path: Path) -> bool:
    try:
        here, stdin = os.stat(path), os.fstat(0)
    except OSError:  # no standard input at all
        return False
    same = (here.st_dev, here.st_ino) == (stdin.st_dev, stdin.st_ino)
    return same and (stat.S_ISFIFO(stdin.st_mode) or stat.S_ISSOCK(stdin.st_mode))


def _probe(folder: Path, where: str) -> None:
    """Create and remove a file where the output will go: a read-only file system or a
    folder without write permission fails now, before any work, not after it."""
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".outsourcecalc-", suffix=".probe")
    except OSError as exc:
        raise UsageError.option(where, f"cannot write there ({_reason(exc)})") from None
    os.close(fd)
    os.unlink(tmp)


def _same_file(target: Path, source: Path) -> bool:
    try:
        return os.path.samefile(target, source)
    except OSError:  # one of them does not exist (yet)
        return os.path.realpath(target) == os.path.realpath(source)


def write_atomically(
    path: Path, data: bytes, option: str, inputs: Sequence[str | Path] = ()
) -> None:
    """Write `data` to `path` as the module docstring says; OS errors are usage errors."""
    with open_output(path, option, inputs) as handle:
        handle.write(data)


@contextmanager
def open_output(path: Path, option: str, inputs: Sequence[str | Path] = ()) -> Iterator[BinaryIO]:
    """A binary handle onto `path`, written as the module docstring says.

    A regular file is a temporary file beside it until the block ends: renamed over
    `path` when it ends normally, removed when anything raises (the error goes on).
    An OS error while opening, writing or renaming is a usage error naming the option.
    """
    check_target(path, option, inputs)
    where = f"{option} {path}"
    try:
        if str(path) == STDOUT:
            sys.stdout.flush()
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
            return
        try:
            mode = os.stat(path).st_mode  # through links, /dev/stdout's to a pipe too
        except FileNotFoundError:
            mode = None
        if mode is not None and not stat.S_ISREG(mode):
            with open(path, "wb") as handle:  # a device or a pipe: write into it
                yield handle
            return
        real = Path(os.path.realpath(path))
        with _replacing(real, None if mode is None else stat.S_IMODE(mode)) as handle:
            yield handle
    except BrokenPipeError:
        raise  # its reader is gone: exit 141, as any tool ended by SIGPIPE (cli._Group)
    except OSError as exc:
        raise UsageError.option(where, f"cannot write ({_reason(exc)})") from None


@contextmanager
def _replacing(path: Path, mode: int | None) -> Iterator[BinaryIO]:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        # mkstemp makes the file private: a new file follows the umask like any other,
        # a file written again keeps the permissions it had
        os.chmod(tmp, 0o666 & ~_umask() if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    return exc.strerror or type(exc).__name__


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
