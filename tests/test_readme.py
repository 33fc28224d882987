"""Every command in the README runs, in order, as a user would type it (in a scratch folder)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TOOL = Path(sys.executable).parent / "outsourcecalc"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def commands() -> list[str]:
    """`outsourcecalc ...` and `mkdir ...` lines of the bash blocks, continuations joined."""
    out = []
    for block in blocks("bash"):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip()
            if line.startswith(("outsourcecalc ", "mkdir ")):
                out.append(line)
    return out


def test_readme_starts_with_the_two_setup_commands() -> None:
    first, second = blocks("bash")[:2]
    assert first.startswith("python3 -m venv .venv && .venv/bin/pip install . && ")
    assert "outsourcecalc compare examples/" in first
    assert second.strip() == (
        "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]' && .venv/bin/pytest"
    )
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert second.strip() in ci  # .ci/run runs exactly the README's test command


@pytest.mark.skipif(not TOOL.exists(), reason="the outsourcecalc script is not installed")
def test_every_readme_command_runs(tmp_path: Path) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    cmds = commands()
    assert len(cmds) >= 8
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    for line in cmds:
        argv = shlex.split(line)
        if argv[0] == "mkdir":
            for name in argv[1:]:
                if not name.startswith("-"):
                    (tmp_path / name).mkdir(parents=True, exist_ok=True)
            continue
        done = subprocess.run(
            [str(TOOL), *argv[1:]], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"{line}\n{done.stderr}"


def test_the_library_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    (python,) = blocks("python")
    monkeypatch.chdir(ROOT)
    exec(compile(python, "README.md", "exec"), {})


def test_the_contract_copy_matches_the_contract() -> None:
    """docs/SPEC.md is an exact copy for readers; it must not drift from the shared contract."""
    shared = ROOT.parent / "shared" / "SPEC.md"
    if not shared.exists():
        pytest.skip("the shared contract is not beside this checkout")
    copy = (ROOT / "docs" / "SPEC.md").read_text(encoding="utf-8")
    assert copy == shared.read_text(encoding="utf-8")


@pytest.mark.skipif(not TOOL.exists(), reason="the outsourcecalc script is not installed")
def test_what_it_looks_like_is_what_the_tool_prints() -> None:
    """The README's sample output, line for line, in 80 columns; its `...` lines stand for
    the rows it leaves out (the cost breakdown), and nothing else may differ."""
    (sample,) = [b for b in blocks("text") if b.startswith("$ outsourcecalc compare")]
    lines = sample.splitlines()
    command = " ".join(line.strip().removesuffix("\\") for line in lines[:2])
    shown = [line for line in lines[2:] if not line.startswith("   ")]  # elided rows
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}
    argv = shlex.split(command.removeprefix("$ "))
    done = subprocess.run([str(TOOL), *argv[1:]], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    cut = printed.index("Cost breakdown over the horizon")
    resume = printed.index("In-house team sized by the workload (FTE)")
    assert shown == printed[: cut + 1] + printed[resume:]
