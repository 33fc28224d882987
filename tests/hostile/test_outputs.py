"""The command line attacked through its outputs and its streams.

Every case ends in exit 2 with a message naming the option (or 0/1 where the contract
says so), never a traceback, and leaves every input file and device as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "contact_center"
OUTSOURCECALC = Path(sys.executable).parent / "outsourcecalc"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    for name in ("in_house.yaml", "vendor_onshore.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    (tmp_path / "link.yaml").symlink_to(tmp_path / "in_house.yaml")
    return tmp_path


def run(args: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [str(OUTSOURCECALC), *args], cwd=cwd, timeout=120, check=False, **streams
    )


def digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "in_house.yaml", "vendor_onshore.yaml", "-o", "in_house.yaml"], "--output"),
        (["compare", "in_house.yaml", "vendor_onshore.yaml", "-o", "sub/../link.yaml"], "--output"),
        (
            ["sweep", "in_house.yaml", "vendor_onshore.yaml", "--vary", "vendor.scope=0.5,1",
             "-o", "vendor_onshore.yaml"],
            "--output",
        ),
        (["export", "in_house.yaml", "vendor_onshore.yaml", "--xlsx", "link.yaml"], "--xlsx"),
        (
            ["sensitivity", "in_house.yaml", "vendor_onshore.yaml", "-o", "in_house.yaml"],
            "--output",
        ),
        (
            ["simulate", "in_house.yaml", "vendor_onshore.yaml", "--uncertain",
             "vendor.scope=uniform(0.5, 1)", "-o", "vendor_onshore.yaml"],
            "--output",
        ),
    ],
)  # fmt: skip
def test_an_output_onto_an_input_is_refused(files: Path, args: list[str], message: str) -> None:
    (files / "sub").mkdir()
    before = digest(files)
    done = run(args, files)
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().startswith(message)
    assert b"is the input file" in done.stderr
    assert b"Traceback" not in done.stderr
    assert digest(files) == before


def test_a_device_output_is_written_into(files: Path) -> None:
    done = run(["compare", "in_house.yaml", "vendor_onshore.yaml", "-o", "/dev/null"], files)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_dash_is_stdout(files: Path) -> None:
    done = run(["compare", "in_house.yaml", "vendor_onshore.yaml", "-f", "json", "-o", "-"], files)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"{\n")
    assert not (files / "-").exists()


def test_stdout_on_a_full_disk_is_exit_2(files: Path) -> None:
    with open("/dev/full", "wb") as full:
        done = run(["compare", "in_house.yaml", "vendor_onshore.yaml", "-f", "json"], files,
                   stdout=full)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.decode() == "standard output: cannot write (No space left on device)\n"


@pytest.mark.parametrize(
    "args",
    [
        ["compare", "in_house.yaml", "vendor_onshore.yaml"],
        ["sweep", "in_house.yaml", "vendor_onshore.yaml", "-f", "csv", "--jobs", "2",
         "--vary", "vendor.pricing[0].per_hour=20:40:0.002"],
        ["simulate", "in_house.yaml", "vendor_onshore.yaml", "--trials", "20000", "-f", "csv",
         "--uncertain", "vendor.pricing[0].per_hour=uniform(25, 30)"],
        ["report", "in_house.yaml", "vendor_onshore.yaml", "-o", "-"],  # it was exit 2
        ["export", "in_house.yaml", "vendor_onshore.yaml", "--xlsx", "-"],
        ["compare", "in_house.yaml", "vendor_onshore.yaml", "-o", "/dev/stdout"],
    ],
    ids=["compare", "sweep", "simulate", "report", "export", "dev-stdout"],
)  # fmt: skip
def test_a_closed_pipe_is_exit_141_without_a_word(files: Path, args: list[str]) -> None:
    """`| head -1`: exit 141, as the shell reports any tool ended by SIGPIPE. It was exit 1,
    which says a --fail-if gate held, and a CI step checking for 1 took it for a gate."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = run(args, files, stdout=write)
    finally:
        os.close(write)
    assert done.returncode == 141
    assert done.stderr == b""


def test_dev_stdin_as_the_output_is_refused(files: Path) -> None:
    """`true | outsourcecalc sweep ... -o /dev/stdin` waited forever on its own pipe."""
    args = ["compare", "in_house.yaml", "vendor_onshore.yaml", "-o", "/dev/stdin"]
    done = run(args, files, stdin=subprocess.PIPE)
    assert done.returncode == 2
    assert done.stderr == b"--output /dev/stdin: is this run's standard input; give a file or -\n"


def test_dev_stdout_into_a_pipe_is_written_into(files: Path) -> None:
    """-o /dev/stdout into a pipe said "cannot write there (No such file or directory)":
    its link leads to pipe:[N], which no folder holds."""
    args = ["compare", "in_house.yaml", "vendor_onshore.yaml", "-f", "json", "-o", "/dev/stdout"]
    done = run(args, files)  # stdout is a pipe here
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"{\n")


def test_an_ascii_terminal_gets_ascii_boxes(files: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "100"}
    done = run(["compare", "in_house.yaml", "vendor_onshore.yaml"], files, env=env)
    assert done.returncode == 0, done.stderr
    done.stdout.decode("ascii")  # nothing but ASCII
    assert b"| TCO " in done.stdout


def test_a_non_utf8_argument_is_an_input_error(files: Path) -> None:
    args = [b"compare", b"in_house.yaml", b"vendor_onshore.yaml", b"--set", b"in_house.name=\xff"]
    done = subprocess.run([bytes(OUTSOURCECALC), *args], cwd=files, capture_output=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 2
    assert (
        done.stderr == b"--set in_house.name=\\udcff: is not UTF-8 text; write the value in UTF-8\n"
    )


def test_init_onto_a_file_is_refused(files: Path) -> None:
    done = run(["init", "in_house.yaml"], files)
    assert done.returncode == 2
    assert done.stderr == b"init in_house.yaml: is a file; give a folder for the starter files\n"


def test_init_never_overwrites_through_a_link(files: Path) -> None:
    (files / "new").mkdir()
    (files / "new" / "vendor.yaml").symlink_to(files / "in_house.yaml")
    before = digest(files)
    done = run(["init", "new"], files)
    assert done.returncode == 2
    assert b"will not overwrite" in done.stderr
    assert digest(files) == before


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A read-only file system (a tmpfs mounted ro), where this machine allows mounting."""
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a read-only file system here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.parametrize(
    ("option", "name", "extra"),
    [("-o", "x.json", []), ("--chart", "x.png", []), ("-o", "x.csv", ["-f", "csv"])],
)
def test_a_read_only_target_fails_before_any_output(
    files: Path, read_only: Path, option: str, name: str, extra: list[str]
) -> None:
    out = files / "table.txt"
    args = ["compare", "in_house.yaml", "vendor_onshore.yaml", option, str(read_only / name)]
    done = run([*args, *extra], files, stdout=out.open("wb"))
    assert done.returncode == 2
    shown = {"-o": "--output"}.get(option, option)
    assert done.stderr.decode() == (
        f"{shown} {read_only / name}: cannot write there (the file system is read-only)\n"
    )
    assert out.read_bytes() == b""  # nothing written before the refusal


def test_a_workbook_is_written_as_xlsx(files: Path) -> None:
    done = run(["export", "in_house.yaml", "vendor_onshore.yaml", "--xlsx", "model.csv"], files)
    assert done.returncode == 2
    assert done.stderr == b"--xlsx model.csv: a workbook is written as .xlsx, not .csv\n"
    assert not (files / "model.csv").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["-o", "out.svg", "--chart", "out.svg"],
        ["-o", "out.svg", "--chart", "./sub/../out.svg"],
    ],
)
def test_two_outputs_onto_one_file_are_refused(files: Path, args: list[str]) -> None:
    """-o and --chart onto the same file: the chart would silently replace the table."""
    (files / "sub").mkdir()
    before = digest(files)
    done = run(["compare", "in_house.yaml", "vendor_onshore.yaml", *args], files)
    assert done.returncode == 2, done.stderr
    assert b"is also the --output file: give each its own" in done.stderr
    assert b"Traceback" not in done.stderr
    assert digest(files) == before and not (files / "out.svg").exists()


@pytest.mark.parametrize(
    ("args", "target"),
    [
        (["compare", "in_house.yaml", "vendor_onshore.yaml", "-o"], "loop_a"),
        (["compare", "in_house.yaml", "vendor_onshore.yaml", "-o"], "loop_a/x.txt"),
        (["compare", "in_house.yaml", "vendor_onshore.yaml", "--chart"], "loop_a.png"),
        (["export", "in_house.yaml", "vendor_onshore.yaml", "--xlsx"], "loop_a.xlsx"),
        (["sweep", "in_house.yaml", "vendor_onshore.yaml", "--vary", "vendor.scope=0.5,1", "-o"],
         "loop_a"),
        (["report", "in_house.yaml", "vendor_onshore.yaml", "-o"], "loop_a.html"),
    ],
)  # fmt: skip
def test_a_symbolic_link_loop_as_output_is_exit_2(
    files: Path, args: list[str], target: str
) -> None:
    """Path.resolve() raised RuntimeError on a loop, and the run ended in a traceback."""
    stem = target.split("/")[0]  # the link: the name itself, or the folder above it
    (files / stem).symlink_to(files / "loop_b")
    (files / "loop_b").symlink_to(files / stem)
    before = digest(files)
    done = run([*args, target], files)
    assert done.returncode == 2, done.stderr
    assert b"Traceback" not in done.stderr
    assert done.stderr.decode().endswith(
        f" {target}: cannot write there (Too many levels of symbolic links)\n"
    )
    assert digest(files) == before


def test_a_dangling_link_names_the_missing_folder_it_points_into(files: Path) -> None:
    (files / "out.json").symlink_to("/nonexistent/dir/out.json")
    done = run(["compare", "in_house.yaml", "vendor_onshore.yaml", "-o", "out.json"], files)
    assert done.returncode == 2
    assert done.stderr == b"--output out.json: folder /nonexistent/dir does not exist\n"


def test_a_chart_that_cannot_be_written_leaves_no_output_file(files: Path) -> None:
    """-o and --chart are written together or not at all: the table is not left behind
    by a run that ended in exit 2."""
    (files / "full.png").symlink_to("/dev/full")
    args = ["compare", "in_house.yaml", "vendor_onshore.yaml", "-f", "json", "-o", "out.json"]
    done = run([*args, "--chart", "full.png"], files)
    assert done.returncode == 2
    assert done.stderr == b"--chart full.png: cannot write (the disk is full)\n"
    assert not (files / "out.json").exists()
    assert not [p.name for p in files.iterdir() if p.name.startswith(".")]  # no temporary


@pytest.mark.parametrize(
    ("outputs", "failing", "left_out"),
    [
        (["-o", "memo.html", "--pdf", "/dev/full"], "--pdf /dev/full", "memo.html"),
        (["-o", "/dev/full", "--pdf", "memo.pdf"], "--output /dev/full", "memo.pdf"),
    ],
)
def test_a_report_writes_its_memo_and_pdf_or_neither(
    files: Path, outputs: list[str], failing: str, left_out: str
) -> None:
    pytest.importorskip("weasyprint")
    done = run(["report", "in_house.yaml", "vendor_onshore.yaml", *outputs], files)
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"{failing}: cannot write (the disk is full)\n".encode()
    assert not (files / left_out).exists()
    assert not [p.name for p in files.iterdir() if p.name.startswith(".")]
