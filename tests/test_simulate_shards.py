"""Monte Carlo across machines: `simulate --shard K/N` and `outsourcecalc merge`.

A trial's draws depend on the seed, the input and the trial's number only, so every
slice of the trials draws what the whole run draws; the merged shards give the
unsharded run's output byte for byte, in every format, gates included.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import Result
from typer.testing import CliRunner

import outsourcecalc
from outsourcecalc.cli import app
from outsourcecalc.render.format import dumps
from outsourcecalc.scenarios.memory import simulation_memory
from outsourcecalc.scenarios.shards import shard_pieces
from outsourcecalc.scenarios.simulate import BLOCK, run_trials
from outsourcecalc.scenarios.sweep import shard_range

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples" / "contact_center"
FILES = [
    str(EX / "in_house.yaml"),
    str(EX / "vendor_onshore.yaml"),
    str(EX / "vendor_offshore.yaml"),
]
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}

PRICE = "vendor[0].pricing[0].per_hour"
ATTRITION = "in_house.staff[0].attrition_rate"
PARALLEL = "vendor[1].transition.parallel_run_months"
# a mixed case: truncated draws (normal below 0), a whole-number field, a gate that holds
UNCERTAIN = [
    f"--uncertain={PRICE}=triangular(24, 28, 33)",
    f"--uncertain={ATTRITION}=normal(40%, 30%)",
    f"--uncertain={PARALLEL}=normal(2, 1.5)",
]
GATE = ["--fail-if", "npv_savings<0"]


def cli(*args: str) -> Result:
    return CliRunner(env=ENV).invoke(app, list(args), catch_exceptions=False)


def simulate(*args: str) -> Result:
    return cli("simulate", *FILES, *UNCERTAIN, *args)


def write_shards(tmp_path: Path, n: int, *args: str) -> list[Path]:
    paths = []
    for k in range(1, n + 1):
        target = tmp_path / f"shard-{k}-of-{n}.json"
        done = simulate(*args, "--shard", f"{k}/{n}", "-o", str(target))
        assert done.exit_code == 0, done.output  # a shard records its gates; merge applies them
        paths.append(target)
    return paths


# ------------------------------------------------------------------ merged == unsharded


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_merged_shards_equal_the_unsharded_run_byte_for_byte(tmp_path: Path, n: int) -> None:
    """9,000 trials: shard edges fall inside blocks of draws, and blocks span shards."""
    args = ["--trials", "9000", "--seed", "5", *GATE]
    whole = simulate(*args, "-f", "json")
    assert whole.exit_code == 1  # the gate holds for the onshore vendor
    shards = write_shards(tmp_path, n, *args)
    merged = cli("merge", *map(str, reversed(shards)), "-f", "json")  # any order
    assert merged.exit_code == 1, merged.output
    assert merged.stdout == whole.stdout
    assert merged.stderr == whole.stderr  # the same gate lines over all 9,000 trials
    assert "fail-if npv_savings<0: holds for Heartland" in merged.stderr
    data = json.loads(merged.stdout)
    assert data["uncertain"][1]["redrawn_below"] > 0  # truncation counts add up too


def test_merge_renders_every_format_like_simulate(tmp_path: Path) -> None:
    args = ["--trials", "5000", "--seed", "2"]
    shards = [str(p) for p in write_shards(tmp_path, 3, *args)]
    for fmt in ("table", "markdown", "csv"):
        whole = simulate(*args, "-f", fmt)
        merged = cli("merge", *shards, "-f", fmt)
        assert whole.exit_code == merged.exit_code == 0, merged.output
        assert merged.stdout == whole.stdout, fmt
    target = tmp_path / "merged.md"  # -o names the format, as for simulate
    assert cli("merge", *shards, "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == simulate(*args, "-f", "markdown").stdout


@pytest.mark.parametrize("n", [3, 7, 8])
def test_seven_trials_in_small_shards(tmp_path: Path, n: int) -> None:
    """7 trials over 3 shards (2, 2, 3), over 7 (one each) and over 8 (shard 1/8 is empty)."""
    sizes = [b - a for a, b in (shard_range(7, f"{k}/{n}") for k in range(1, n + 1))]
    assert sum(sizes) == 7 and (n != 8 or 0 in sizes)
    whole = simulate("--trials", "7", "-f", "json")
    shards = write_shards(tmp_path, n, "--trials", "7")
    merged = cli("merge", *map(str, shards), "-f", "json")
    assert merged.exit_code == 0, merged.output
    assert merged.stdout == whole.stdout
    csv = [
        simulate("--trials", "7", "--shard", f"{k}/{n}", "-f", "csv").stdout
        for k in range(1, n + 1)
    ]
    assert "".join(csv) == simulate("--trials", "7", "-f", "csv").stdout  # rows join in order


def test_a_trials_draws_depend_on_its_number_only() -> None:
    """The draws of trial t are the same in any slice and in a run of any length."""
    case = outsourcecalc.load(FILES[0], FILES[1:])
    specs = {PRICE: "uniform(20, 40)", ATTRITION: "normal(40%, 30%)"}
    whole = run_trials(case, specs, trials=3 * BLOCK + 5, seed=9)
    part = run_trials(case, specs, trials=3 * BLOCK + 5, seed=9, shard="2/3")
    assert (part.start, part.stop) == (BLOCK + 1, 2 * BLOCK + 3)
    for a, b in zip(whole.inputs, part.inputs, strict=True):
        assert np.array_equal(a.values[part.start : part.stop], b.values)
    for a, b in zip(whole.vendors, part.vendors, strict=True):
        for key in ("npv_savings", "payback_months"):
            assert np.array_equal(
                a.results[key][part.start : part.stop], b.results[key], equal_nan=True
            )
    shorter = run_trials(case, specs, trials=1000, seed=9)
    for a, b in zip(whole.inputs, shorter.inputs, strict=True):
        assert np.array_equal(a.values[:1000], b.values)
    other = run_trials(case, specs, trials=1000, seed=10)
    assert not np.array_equal(other.inputs[0].values, shorter.inputs[0].values)


def test_the_shard_file_streams_the_same_json_as_its_data() -> None:
    case = outsourcecalc.load(FILES[0], FILES[1:])
    shard = outsourcecalc.simulate_shard(
        case, {ATTRITION: "pert(30%, 40%, 60%)"}, shard="1/2", trials=50, fail_if=["irr<0.5"]
    )
    text = "".join(shard_pieces(shard))
    assert text == dumps(shard.to_dict())
    data = json.loads(text)
    assert (data["shard"], data["start"], data["stop"], data["trials"]) == ("1/2", 0, 25, 50)
    assert len(data["per_trial"]) == 1 + 2 * 2  # the draws, then npv and payback per vendor
    assert [g["gate"] for g in data["gates"]] == ["irr<0.5", "irr<0.5"]


def test_python_api_merge(tmp_path: Path) -> None:
    case = outsourcecalc.load(FILES[0], FILES[1:])
    specs = {ATTRITION: "pert(30%, 40%, 60%)"}
    paths = []
    for k in (1, 2):
        shard = outsourcecalc.simulate_shard(case, specs, shard=f"{k}/2", trials=300, seed=4)
        paths.append(tmp_path / f"{k}.json")
        paths[-1].write_text("".join(shard_pieces(shard)), encoding="utf-8")
    merged = outsourcecalc.merge(paths)
    assert merged.to_dict() == outsourcecalc.simulate(case, specs, trials=300, seed=4).to_dict()


def test_a_shard_of_ten_million_trials_fits_well_under_a_gigabyte() -> None:
    """10M trials over 4 shards: one shard's estimated peak (the upper bound the run is held
    to by --max-memory) with three uncertain inputs and two vendors."""
    case = outsourcecalc.load(FILES[0], FILES[1:])
    assert simulation_memory(case, 3, 2_500_000, 2) < 500_000_000


# ------------------------------------------------------------------ refused


def test_missing_and_duplicate_shards_are_named(tmp_path: Path) -> None:
    one, two, three = map(str, write_shards(tmp_path, 3, "--trials", "60"))
    missing = cli("merge", one, three)
    assert missing.exit_code == 2
    assert "merge: shard 2/3 is missing: give all 3 of the run" in missing.stderr
    twice = cli("merge", one, two, two, three)
    assert twice.exit_code == 2
    assert f"{two}: shard 2/3 is given twice (also {two})" in twice.stderr
    both = cli("merge", two, two)
    assert "given twice" in both.stderr and "shards 1/3, 3/3 are missing" in both.stderr
    assert missing.stdout == twice.stdout == ""  # no output at all


@pytest.mark.parametrize(
    ("args", "differ"),
    [
        (["--seed", "1"], "--seed"),
        (["--trials", "61"], "--trials"),
        ([f"--uncertain={PRICE}=triangular(24, 28, 34)"], "the uncertain inputs"),
        (["--set", "in_house.staff[0].annual_salary=43000"], "the input files"),
        (["--fail-if", "npv_savings<0"], "the --fail-if gates"),
    ],
)
def test_shards_of_different_runs_are_refused(tmp_path: Path, args: list[str], differ: str) -> None:
    one, _, three = write_shards(tmp_path, 3, "--trials", "60")
    other = tmp_path / "other.json"
    if args[0].startswith("--uncertain"):
        done = cli(
            "simulate",
            *FILES,
            *UNCERTAIN[1:],
            *args,
            "--trials",
            "60",
            "--shard",
            "2/3",
            "-o",
            str(other),
        )
    else:
        done = simulate("--trials", "60", *args, "--shard", "2/3", "-o", str(other))
    assert done.exit_code == 0, done.output
    result = cli("merge", str(one), str(other), str(three))
    assert result.exit_code == 2, result.output
    assert (
        f"{other}: not a shard of the same run as {one}: they differ in {differ}" in result.stderr
    )


def test_shards_of_another_split_and_damaged_files(tmp_path: Path) -> None:
    one, two = map(str, write_shards(tmp_path, 2, "--trials", "40"))
    (third,) = [p for p in write_shards(tmp_path, 3, "--trials", "40") if "2-of-3" in p.name]
    split = cli("merge", one, str(third), two)
    assert split.exit_code == 2
    assert "shard 2/3 of a split into 3, but" in split.stderr

    data: dict[str, Any] = json.loads(Path(two).read_text(encoding="utf-8"))
    data["per_trial"][0] = data["per_trial"][0][:-8]
    cut = tmp_path / "cut.json"
    cut.write_text(json.dumps(data), encoding="utf-8")
    damaged = cli("merge", one, str(cut))
    assert damaged.exit_code == 2
    assert f"{cut}: a damaged shard file: per_trial array 1 is not 20 numbers" in damaged.stderr

    result = tmp_path / "result.json"
    assert simulate("--trials", "40", "-o", str(result)).exit_code == 0
    for bad, message in [
        (result, "not a simulation shard"),
        (tmp_path / "nope.json", "shard file not found"),
        (tmp_path, "is a directory"),
    ]:
        refused = cli("merge", one, str(bad))
        assert refused.exit_code == 2, refused.output
        assert f"{bad}: {message}" in refused.stderr
        assert "Traceback" not in refused.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shard", "2/4"], "--shard 2/4: a shard is written as JSON for `outsourcecalc merge`"),
        (["--shard", "2/4", "-f", "markdown"], "not as markdown: add --format json"),
        (["--shard", "5/4", "-f", "json"], "--shard 5/4: need 1 <= K <= N"),
        (["--shard", "two", "-f", "json"], "--shard two: expected K/N"),
        (["--shard", "1/2", "-f", "json", "--chart", "x.png"], "draw the chart when merging"),
    ],
)
def test_bad_shard_options(args: list[str], message: str) -> None:
    result = simulate("--trials", "10", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def _edit_array(data: dict[str, Any], i: int, edit: Any) -> None:
    values = np.frombuffer(base64.b64decode(data["per_trial"][i]), dtype="<f8").copy()
    edit(values)
    data["per_trial"][i] = base64.b64encode(values.astype("<f8").tobytes()).decode("ascii")


def _set(values: Any, value: float) -> None:
    values[3] = value


# per_trial: [0-2] the three draws, then per vendor npv_savings and payback_months
DAMAGE: list[tuple[str, Any, str]] = [
    ("nan npv", lambda d: _edit_array(d, 3, lambda v: _set(v, np.nan)), "per_trial array 4"),
    ("inf npv", lambda d: _edit_array(d, 5, lambda v: _set(v, np.inf)), "per_trial array 6"),
    ("inf draw", lambda d: _edit_array(d, 0, lambda v: _set(v, np.inf)), "per_trial array 1"),
    ("draw out of range", lambda d: _edit_array(d, 1, lambda v: _set(v, -0.5)), "array 2"),
    ("payback -1", lambda d: _edit_array(d, 4, lambda v: _set(v, -1.0)), "per_trial array 5"),
    ("payback inf", lambda d: _edit_array(d, 6, lambda v: _set(v, np.inf)), "per_trial array 7"),
    ("scaled npv", lambda d: _edit_array(d, 3, lambda v: v.__imul__(2)), "sha256 does not match"),
    ("held -1", lambda d: d["gates"][0].update(held=-1), "a count is not of its 20 trials"),
    ("held 21", lambda d: d["gates"][0].update(held=21), "a count is not of its 20 trials"),
    ("held 3", lambda d: d["gates"][0].update(held=3), "sha256 does not match"),
    ("below -2", lambda d: d["uncertain"][1].update(redrawn_below=-2), "a count is not of"),
    ("below 99", lambda d: d["uncertain"][1].update(redrawn_below=99), "a count is not of"),
    ("below 1", lambda d: d["uncertain"][1].update(redrawn_below=1), "sha256 does not match"),
    ("no sha256", lambda d: d.pop("sha256"), "its fields are not as written"),
    ("held true", lambda d: d["gates"][0].update(held=True), "its fields are not as written"),
    ("seed true", lambda d: d.update(seed=True), "its fields are not as written"),
    ("note escape", lambda d: d["notes"].append("\x1b[2J"), "its fields are not as written"),
    ("rate 1e400", lambda d: d.update(discount_rate=math.inf), "its fields are not as written"),
]


@pytest.mark.parametrize(("edit", "message"), [d[1:] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
@pytest.mark.parametrize("fmt", ["json", "table", "csv", "markdown"])
def test_a_shard_changed_after_it_was_written_is_refused(
    tmp_path: Path, edit: Any, message: str, fmt: str
) -> None:
    """Values no run gives (NaN, inf, a draw outside the field, a payback beyond the
    horizon), counts beyond the slice, and any other edit (caught by the file's sha256):
    exit 2 naming the file, never a traceback or an output of "nan" or "inf%"."""
    one, two = write_shards(tmp_path, 2, "--trials", "40", *GATE)
    assert cli("merge", str(one), str(two)).exit_code in (0, 1)
    data: dict[str, Any] = json.loads(two.read_text(encoding="utf-8"))
    edit(data)
    two.write_text(json.dumps(data), encoding="utf-8")
    result = cli("merge", str(one), str(two), "-f", fmt)
    assert result.exit_code == 2, result.output
    assert f"{two}: a damaged shard file: " in result.stderr
    assert message in result.stderr
    assert "missing" not in result.stderr  # refused, not also "shard 2/2 is missing"
    assert result.stdout == ""


def _resign(data: dict[str, Any]) -> None:
    """The sha256 recomputed as the file documents it: over the header as canonical JSON,
    then each per-trial array's bytes."""
    header = {k: v for k, v in data.items() if k not in ("per_trial", "sha256")}
    digest = hashlib.sha256(json.dumps(header, sort_keys=True, separators=(",", ":")).encode())
    for text in data["per_trial"]:
        digest.update(base64.b64decode(text))
    data["sha256"] = digest.hexdigest()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: _edit_array(d, 3, lambda v: _set(v, 1e300)), "per_trial array 4 holds"),
        (lambda d: _edit_array(d, 2, lambda v: _set(v, 1e300)), "per_trial array 3 holds"),
        (lambda d: d["gates"][0].update(held=3), None),  # a count within the slice: merged
    ],
    ids=["npv 1e300", "month 1e300", "held 3"],
)
def test_a_resigned_shard_is_still_checked_value_by_value(
    tmp_path: Path, edit: Any, message: str | None
) -> None:
    """A value no run gives, with the sha256 made to match: refused, not a traceback or a
    300-digit mean. (The sha256 is against damage, not against a forger.)"""
    one, two = write_shards(tmp_path, 2, "--trials", "40", *GATE)
    data: dict[str, Any] = json.loads(two.read_text(encoding="utf-8"))
    edit(data)
    _resign(data)
    two.write_text(json.dumps(data), encoding="utf-8")
    for fmt in ["json", "table", "csv"]:
        result = cli("merge", str(one), str(two), "-f", fmt)
        if message is None:
            assert result.exit_code in (0, 1), result.output
            continue
        assert result.exit_code == 2, result.output
        assert f"{two}: a damaged shard file: {message}" in result.stderr
        assert result.stdout == ""


def test_a_shard_reformatted_by_a_json_tool_still_merges(tmp_path: Path) -> None:
    """`jq . shard.json` writes a discount rate of 0.0 as 0: the same file, still merged."""
    args = ["--trials", "40", "--discount-rate", "0"]
    whole = simulate(*args, "-f", "json")
    one, two = write_shards(tmp_path, 2, *args)
    data: dict[str, Any] = json.loads(two.read_text(encoding="utf-8"))
    assert data["discount_rate"] == 0.0
    data["discount_rate"] = 0
    two.write_text(json.dumps(data, indent=1), encoding="utf-8")
    assert '"discount_rate": 0,' in two.read_text(encoding="utf-8")
    merged = cli("merge", str(one), str(two), "-f", "json")
    assert merged.exit_code == 0, merged.output
    assert merged.stdout == whole.stdout


@pytest.mark.parametrize("fmt", ["json", "csv", "table", "markdown"])
def test_merged_shards_keep_the_overrides_and_the_notes(tmp_path: Path, fmt: str) -> None:
    """With --set and a note on the inputs, the merged JSON said `"overrides": {}` and
    lost the note: both travel in the shard file now, and every format is the same."""
    args = ["--trials", "300", "--horizon", "12", "--set", "in_house.staff[0].annual_salary=45000"]
    whole = simulate(*args, "-f", fmt)
    assert whole.exit_code == 0, whole.output
    assert "after the 12-month horizon" in whole.stdout + whole.stderr
    merged = cli("merge", *map(str, write_shards(tmp_path, 3, *args)), "-f", fmt)
    assert merged.exit_code == 0, merged.output
    assert merged.stdout == whole.stdout
    assert merged.stderr == whole.stderr
    if fmt == "json":
        data = json.loads(merged.stdout)
        assert data["overrides"]["in_house.staff[0].annual_salary"] == 45000.0
        assert any("after the 12-month horizon" in n for n in data["notes"])
