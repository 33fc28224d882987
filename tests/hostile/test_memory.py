"""Memory: rows streamed whatever their number, runs refused before any work when too big.

The big runs are measured in a child process (its peak resident set, from wait4):
a million JSON sweep rows and two million per-trial CSV rows must stay far below
1 GB, because rows are written as they are computed. A run whose estimate exceeds
--max-memory ends in exit 2 before any work; shards concatenate with one CSV
header; `sensitivity --only` refuses a path that names no input.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

import outsourcecalc
from outsourcecalc.cli import app, write_output
from outsourcecalc.errors import UsageError
from outsourcecalc.render import renderer_for, text_pieces
from outsourcecalc.scenarios.memory import parse_size

EX = Path(__file__).resolve().parents[2] / "examples" / "contact_center"
IN_HOUSE, OFFSHORE, ONSHORE = (
    EX / "in_house.yaml",
    EX / "vendor_offshore.yaml",
    EX / "vendor_onshore.yaml",
)
PRICE = "vendor[0].pricing[0].per_fte_month"
SALARY = "in_house.staff[0].annual_salary"
ATTRITION = "in_house.staff[0].attrition_rate=pert(25%, 40%, 60%)"
MB = 1024 * 1024
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


# Started from a small process: a child's peak resident set (wait4's ru_maxrss) starts
# at its parent's size when it is forked, so measured straight from this test process,
# grown large by the tests before it, a run could seem to need what pytest holds.
LAUNCHER = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n"
)


def peak_rss(args: list[str], cwd: Path) -> tuple[int, float, bytes]:
    """Exit code, peak resident memory (bytes) and stderr of `outsourcecalc ARGS` in a
    fresh process (wait4's ru_maxrss, in KB on Linux), started from a small launcher."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, sys.executable, "-m", "outsourcecalc", *args],
        cwd=cwd,
        capture_output=True,
        check=True,
    )
    code, peak_kb = (int(x) for x in done.stdout.split())
    print(f"peak {peak_kb / 1024:.0f} MB in {time.monotonic() - started:.1f} s: {args}")
    return code, peak_kb * 1024, done.stderr


def run(*args: str | Path) -> Result:
    return CliRunner(env=ENV).invoke(app, [str(a) for a in args], catch_exceptions=True)


# ------------------------------------------------------------------ streamed rows


@pytest.mark.slow
def test_a_million_json_sweep_rows_stay_far_below_a_gigabyte(tmp_path: Path) -> None:
    """1,000 x 1,000 points, every row a JSON object: held whole this took 3.8 GB."""
    out = tmp_path / "rows.json"
    code, peak, err = peak_rss(
        [
            "sweep", str(IN_HOUSE), str(OFFSHORE),
            "--vary", f"{PRICE}=80000:129950:50", "--vary", f"{SALARY}=30000:79950:50",
            "-f", "json", "-o", str(out),
        ],
        tmp_path,
    )  # fmt: skip
    assert code == 0, err
    assert peak < 300 * MB, f"peak {peak / MB:.0f} MB"
    with out.open("rb") as handle:
        assert handle.read(40).startswith(b'{\n  "paths": [\n')
        handle.seek(-200, os.SEEK_END)
        tail = handle.read()
    assert tail.endswith(b"\n    }\n  ]\n}\n")
    assert out.stat().st_size > 400 * MB
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.json"]  # no temporary left


@pytest.mark.slow
def test_two_million_trials_of_csv_stay_far_below_a_gigabyte(tmp_path: Path) -> None:
    out = tmp_path / "trials.csv"
    code, peak, err = peak_rss(
        [
            "simulate", str(IN_HOUSE), str(OFFSHORE), "--uncertain", ATTRITION,
            "--trials", "2000000", "-f", "csv", "-o", str(out),
        ],
        tmp_path,
    )  # fmt: skip
    assert code == 0, err
    assert peak < 400 * MB, f"peak {peak / MB:.0f} MB"
    with out.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    assert lines == 2_000_001


def test_sensitivity_grows_linearly_with_the_number_of_inputs(tmp_path: Path) -> None:
    """100 roles (622 inputs) took 2.7 GB when every move and flip search was one batch."""
    head = (EX.parent / "payroll" / "in_house.yaml").read_text(encoding="utf-8")
    text = head.split("\nstaff:\n")[0] + "\nstaff:\n"
    for i in range(100):
        text += (
            f"  - role: Role {i}\n    headcount: {1 + i % 5}\n"
            f"    annual_salary: {50000 + 100 * i}\n    benefits_rate: 0.29\n"
            "    time_off_days: 25\n    attrition_rate: 0.1\n"
            "    cost_per_hire: 7000\n    avoidable: true\n"
        )
    (tmp_path / "in_house.yaml").write_text(text + "overheads: []\n", encoding="utf-8")
    shutil.copy(EX.parent / "payroll" / "vendor.yaml", tmp_path / "vendor.yaml")
    code, peak, err = peak_rss(
        ["sensitivity", "in_house.yaml", "vendor.yaml", "-f", "csv"], tmp_path
    )
    assert code == 0, err
    assert peak < 400 * MB, f"peak {peak / MB:.0f} MB"


def test_streamed_json_is_byte_identical_to_the_whole_document() -> None:
    """Names with quotes, percents and non-ASCII, a null result, and an empty shard."""
    case = outsourcecalc.load(IN_HOUSE, [OFFSHORE])
    for shard in (None, "1/9", "2/3"):
        result = outsourcecalc.sweep(
            case, [f"{PRICE}=80000,2e6,129950.5", "analysis.discount_rate=0,8%"], shard=shard
        )
        renderer = renderer_for(result)
        whole = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
        assert "".join(text_pieces(renderer, result, "json")) == whole
        assert renderer.render(result, "json") == whole
    named = outsourcecalc.case_from_dicts(
        *_dicts(name='Ops "100%" Ünïcode\\ %s'),
    )
    result = outsourcecalc.sweep(named, [f"{PRICE}=80000,90000"])
    whole = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    assert "".join(renderer_for(result).pieces(result, "json")) == whole


def _dicts(name: str) -> tuple[dict[str, object], list[dict[str, object]]]:
    import yaml

    in_house = yaml.safe_load(IN_HOUSE.read_text(encoding="utf-8"))
    vendor = yaml.safe_load(OFFSHORE.read_text(encoding="utf-8"))
    vendor["name"] = name
    return in_house, [vendor]


def test_a_failure_while_streaming_leaves_no_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "rows.csv"

    def pieces() -> Iterator[str]:
        yield "a,b\n"
        raise RuntimeError("the run broke half way")

    with pytest.raises(RuntimeError):
        write_output(pieces(), target)
    assert list(tmp_path.iterdir()) == []
    target.write_text("kept\n")
    target.chmod(0o600)
    with pytest.raises(KeyboardInterrupt):
        write_output(_interrupted(), target)
    assert target.read_text() == "kept\n"
    assert [p.name for p in tmp_path.iterdir()] == ["rows.csv"]
    write_output(iter(["x,y\n", "1,2\n"]), target)
    assert target.read_text() == "x,y\n1,2\n"
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def _interrupted() -> Iterator[str]:
    yield "x\n"
    raise KeyboardInterrupt


def test_streamed_rows_reach_stdout_whole(capfd: pytest.CaptureFixture[str]) -> None:
    write_output(iter(["a\n", "b\n"]), None)
    write_output(iter(["c\n"]), Path("-"))
    assert capfd.readouterr().out == "a\nb\nc\n"


# ------------------------------------------------------------------ the budget


def test_sizes_are_read_in_the_usual_units() -> None:
    assert parse_size("2GB") == parse_size("2G") == parse_size("2gb") == 2_000_000_000
    assert parse_size("512MB") == 512_000_000
    assert parse_size("1.5 GB") == 1_500_000_000
    assert parse_size("2GiB") == 2 * 1024**3
    assert parse_size("123456") == 123_456
    for bad in ("", "2XB", "-1GB", "1e9", "0", "GB", "2 G B"):
        with pytest.raises(UsageError, match="--max-memory"):
            parse_size(bad)


@pytest.mark.parametrize(
    "args",
    [
        ["simulate", IN_HOUSE, OFFSHORE, "--uncertain", ATTRITION, "--trials", "10000000"],
        [
            "sweep", IN_HOUSE, OFFSHORE, "--summary",
            "--vary", f"{PRICE}=80000:129990:10", "--vary", f"{SALARY}=30000:79950:50",
        ],
        [
            "sweep", IN_HOUSE, OFFSHORE,
            "--vary", f"{PRICE}=1:99999999:1", "--max-points", "100000000",
        ],
        ["sensitivity", IN_HOUSE, OFFSHORE, ONSHORE],
    ],
    ids=["simulate", "sweep-summary", "sweep-axis", "sensitivity"],
)  # fmt: skip
def test_a_run_over_the_budget_is_refused_before_any_work(
    args: list[str | Path], tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    started = time.monotonic()
    result = run(*args, "--max-memory", "50MB", "-f", "csv", "-o", out)
    assert time.monotonic() - started < 5
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("--max-memory 50 MB: ")
    assert "would need about" in result.stderr and "raise --max-memory" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_bad_budget_is_a_usage_error() -> None:
    result = run("sensitivity", IN_HOUSE, OFFSHORE, "--max-memory", "lots")
    assert result.exit_code == 2
    assert "--max-memory lots: expected a size" in result.stderr


def test_the_default_budget_takes_an_ordinary_run() -> None:
    result = run("sensitivity", IN_HOUSE, OFFSHORE, "-f", "csv")
    assert result.exit_code == 0, result.output


# ------------------------------------------------------------------ shards and --only


def test_more_shards_than_points_concatenate_with_one_header() -> None:
    args = ["sweep", IN_HOUSE, OFFSHORE, "--vary", f"{PRICE}=80000,90000", "-f", "csv"]
    whole = run(*args)
    assert whole.exit_code == 0
    parts = []
    for k in range(1, 6):
        shard = run(*args, "--shard", f"{k}/5")
        assert shard.exit_code == 0, shard.output
        parts.append(shard.stdout)
    header = whole.stdout.splitlines(keepends=True)[0]
    assert parts[0] == header  # shard 1 holds no point: its header and nothing else
    assert [p for p in parts[1:] if p] and all(not p.startswith("vendor.") for p in parts[1:])
    assert "".join(parts) == whole.stdout


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("in_house.staff[99].annual_salary", "names no numeric input of the files"),
        ("vendor.pricing[0].per_hour", "names no numeric input of the files"),
        ("in_house.nonexistent", "no such input field"),
        ("in_house.name", "not a numeric input"),
    ],
)
def test_only_on_a_path_without_an_input_is_refused(path: str, message: str) -> None:
    result = run("sensitivity", IN_HOUSE, OFFSHORE, "--only", path, "-f", "json")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"--only {path}: {message}")
    assert result.stdout == ""


def test_only_with_one_good_and_one_missing_path_names_the_missing_one() -> None:
    result = run(
        "sensitivity", IN_HOUSE, OFFSHORE, "--only", SALARY, "--only", "vendor.pricing[3].monthly"
    )
    assert result.exit_code == 2
    assert "--only vendor.pricing[3].monthly: names no numeric input" in result.stderr
    assert SALARY not in result.stderr


def test_a_gate_on_a_costly_metric_counts_over_streamed_rows() -> None:
    """A break_even_volume gate on a rows sweep raised KeyError: the rows did not keep it.
    (it_helpdesk's tiered vendor breaks even at 6,844.36 tickets a month.)"""
    folder = EX.parent / "it_helpdesk"
    result = run(
        "sweep", folder / "in_house.yaml", folder / "vendor_tiered.yaml",
        "--vary", "analysis.discount_rate=0.05,0.08", "-f", "csv",
        "--fail-if", "break_even_volume>1000",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "at 2 of 2 points" in result.stderr
    assert result.stdout.count("\n") == 3
