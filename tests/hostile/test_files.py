"""Hostile files and paths: outputs onto inputs, links, devices, pipes, endless reads.

Each case is one a CI runner or a careless user hits: the tool must refuse it with a
message naming the option or file (exit 2 at the command line), never destroy an input
or a device, never block, never read without a bound.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

from outsourcecalc.errors import InputError, UsageError
from outsourcecalc.inputs import loader
from outsourcecalc.inputs.loader import load_file, read_text_file
from outsourcecalc.render.output import check_target, write_atomically

# ------------------------------------------------------------------ writing


def test_an_output_that_is_an_input_is_refused_by_any_path(tmp_path: Path) -> None:
    source = tmp_path / "in_house.yaml"
    source.write_text("name: x\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(source)
    hard = tmp_path / "hard.yaml"
    os.link(source, hard)
    roundabout = tmp_path / "sub" / ".." / "in_house.yaml"
    (tmp_path / "sub").mkdir()
    for target in (source, link, hard, roundabout):
        with pytest.raises(UsageError, match="is the input file"):
            write_atomically(target, b"table", "--output", inputs=[source])
    assert source.read_text() == "name: x\n"


def test_a_symlink_is_followed_and_its_target_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomically(link, b"new", "--output")
    assert link.is_symlink()
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_an_existing_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "salaries.csv"
    target.write_text("old")
    target.chmod(0o600)
    write_atomically(target, b"new", "--output")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == b"new"


def test_a_device_is_written_into_never_replaced() -> None:
    write_atomically(Path("/dev/null"), b"x" * 1000, "--output")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_full_disk_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="the disk is full"):
        write_atomically(Path("/dev/full"), b"x", "--output")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_is_written_into(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_atomically(fifo, b"through the pipe", "--output")
    reader.join(timeout=10)
    assert got == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_dash_is_standard_output(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    os.chdir(tmp_path)
    write_atomically(Path("-"), b"to stdout\n", "--output")
    assert capfd.readouterr().out == "to stdout\n"
    assert not (tmp_path / "-").exists()


def test_a_missing_folder_is_refused_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        check_target(tmp_path / "nope" / "x.json", "--output")


# ------------------------------------------------------------------ reading


def test_an_endless_device_is_refused_without_reading_it() -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match="not a regular file"):
        load_file("/dev/zero")
    assert time.monotonic() - started < 5


def test_a_link_to_an_endless_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "in_house.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file"):
        load_file(link)


def test_a_fifo_with_no_writer_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "in_house.yaml"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(InputError, match="not a regular file"):
        load_file(fifo)
    assert time.monotonic() - started < 5


def test_a_large_file_is_read_only_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "MAX_BYTES", 1000)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 5000)
    reads: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        reads.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(os, "read", counting_read)
    with pytest.raises(InputError, match="larger than 1,000 bytes"):
        read_text_file(big, "file", "a YAML file")
    assert sum(reads) <= 1001


# ------------------------------------------------------------------ baseline JSON


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nesting is too deep"),
        ('{"schema_version": ' + "9" * 5000 + "}", "a number of 5,000 digits is not a result"),
        ('{"schema_version": 1, "currency": "\\ud800"}', "lone surrogate"),
        ('{"schema_version": true}', "schema_version: must be 1 or 2 (got True)"),
    ],
)
def test_a_hostile_baseline_is_an_input_error(text: str, message: str) -> None:
    from outsourcecalc.scenarios.baseline import loads

    with pytest.raises(InputError) as caught:
        loads(text, "old.json")
    assert message in str(caught.value)
    assert str(caught.value).startswith("old.json:")


# ------------------------------------------------------------------ YAML


@pytest.mark.parametrize(
    ("nested", "where"),
    [
        ("[" * 50_000 + "]" * 50_000, "2:113"),
        ("{a: " * 10_000 + "1" + "}" * 10_000, "2:410"),
        ("\n" + "\n".join("  " * i + f"k{i}:" for i in range(1, 1200)) + " 1", "102:201"),
    ],
    ids=["flow-lists", "flow-mappings", "block-mappings"],
)
def test_too_deep_nesting_says_where(tmp_path: Path, nested: str, where: str) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("name: x\nseasonality: " + nested + "\n")
    with pytest.raises(InputError) as caught:
        load_file(path)
    assert str(caught.value) == f"{path}:{where}: nesting is too deep (more than 100 levels)"


@pytest.mark.parametrize(("encoding", "shown"), [("utf-32", "UTF-32"), ("utf-16", "UTF-16")])
def test_a_wide_encoding_is_named_right(tmp_path: Path, encoding: str, shown: str) -> None:
    path = tmp_path / "in_house.yaml"
    path.write_bytes("name: x\n".encode(encoding))
    with pytest.raises(InputError) as caught:
        load_file(path)
    assert str(caught.value) == f"{path}:1:1: the file is saved as {shown}; save it as UTF-8"


def test_a_flood_of_problems_is_cut_to_fifty_lines(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from outsourcecalc.cli import app

    path = tmp_path / "many.yaml"
    path.write_text("name: x\n" + "".join(f"bad{i}: 1\n" for i in range(5000)))
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 51
    assert lines[-1].startswith("... and ")
    assert lines[-1].endswith(" more problems")
