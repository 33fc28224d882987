"""Monte Carlo across machines: a shard of a simulation's trials, its file, and the merge.

    simulate --shard K/N -f json  ->  one shard file per slice of the trials
    merge shard*.json             ->  the slices joined  ->  summarize  ->  the unsharded result

A trial's draws depend only on the seed, the input and the trial's number
(simulate.py), so a slice holds exactly the whole run's per-trial results for its
trials. The shard file keeps them whole (little-endian float64, base64), with what
the merge checks before joining: the run's fingerprint (the tool's version, seed,
trials, uncertain inputs, gates and a hash of each validated input file), which
slice it is, and its gates' counts. The merge then computes every statistic over
all the trials at once, with the code that summarizes an unsharded run, so the two
agree byte for byte, percentiles included.

    shard = simulate_shard(case, specs, "2/4", trials=100_000)
    "".join(shard_pieces(shard))   # the file's text, written a piece at a time
    merge(["s1.json", "s2.json", "s3.json", "s4.json"])  # a Simulation
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from functools import partial
from pathlib import Path
from typing import Any, get_args

import numpy as np

from ..errors import InputError, Problem, UsageError
from ..inputs.case import Case
from ..inputs.loader import read_bytes_file
from ..inputs.models import Unit
from ..inputs.overrides import Override
from ..inputs.paths import parse_path, path_bounds
from ..rules import CONTROL
from .gates import Gate, GateCount, parse_gate
from .memory import check_memory, merge_memory, show_size
from .simulate import (
    Array,
    InputDraws,
    Simulation,
    Trials,
    Uncertain,
    VendorTrials,
    drawable,
    gate_counts,
    parse_distribution,
    run_trials,
    summarize,
)
from .sweep import shard_range

FORMAT = "outsourcecalc simulation shard"
FORMAT_VERSION = 3  # 2: a SHA-256 of the header and the arrays; 3: overrides and notes
KEPT = ("npv_savings", "payback_months")  # the per-trial results the statistics use
_DTYPE = np.dtype("<f8")
_TAIL = "\n}\n"  # how dumps() ends an object
MAX_NPV = 1e30


@dataclass
class SimulationShard:
    """What `simulate --shard K/N` returns: its slice of the trials and what a merge checks."""

    shard: str  # "K/N"
    run: Trials
    fingerprint: dict[str, Any]
    gates: list[GateCount] = field(default_factory=list)  # counted over this slice
    # the inputs the command line changed: its CSV rows say so, as the whole run's do;
    # the shard file keeps them, and the case's notes, for the merged result to say too
    scenario: tuple[Override, ...] = ()
    notes: list[str] = field(default_factory=list)  # the case's (the draws' are recounted)

    @property
    def index(self) -> int:
        return int(self.shard.split("/")[0])

    def header(self) -> dict[str, Any]:
        """The shard file's fields but the per-trial arrays."""
        run = self.run
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "shard": self.shard,
            "start": run.start,
            "stop": run.stop,
            "fingerprint": self.fingerprint,
            "trials": run.trials,
            "seed": run.seed,
            "currency": run.currency,
            "horizon_months": run.horizon_months,
            "discount_rate": run.discount_rate,
            "uncertain": [
                {
                    "path": d.path,
                    "distribution": d.distribution.text,
                    "redrawn_below": d.below,
                    "redrawn_above": d.above,
                }
                for d in run.inputs
            ],
            "vendors": [v.name for v in run.vendors],
            "gates": [
                {"gate": c.gate.text, "vendor": c.vendor, "held": c.held} for c in self.gates
            ],
            "overrides": [asdict(o) for o in self.scenario],
            "notes": self.notes,
        }

    def to_dict(self) -> dict[str, Any]:
        """The shard file as data: the header, `per_trial` (each array in base64), and
        `sha256` over both."""
        header = self.header()
        digest = _digest(header)
        per_trial = list(_encoded(self, digest))
        return {**header, "per_trial": per_trial, "sha256": digest.hexdigest()}

    def arrays(self) -> Iterator[np.ndarray[Any, np.dtype[np.float64]]]:
        """The per-trial arrays in the file's order: each input's draws, then per vendor
        npv_savings and payback_months (NaN: never pays back)."""
        for d in self.run.inputs:
            yield d.values
        for v in self.run.vendors:
            for key in KEPT:
                yield v.results[key]


def fingerprint(
    case: Case, specs: Sequence[Uncertain], trials: int, seed: int, gates: Sequence[Gate]
) -> dict[str, Any]:
    """What must be the same for shards to be slices of one run. The inputs are hashed as
    validated (after --set and the analysis options), so a file's comments, layout or
    place on disk do not matter, and any value that changes a number does."""
    from .. import __version__

    models = [case.in_house, *case.vendors]
    return {
        "outsourcecalc": __version__,
        "seed": seed,
        "trials": trials,
        "uncertain": [f"{s.path.strip()}={s.distribution.strip()}" for s in specs],
        "gates": [g.text for g in gates],
        "inputs": [
            hashlib.sha256(
                json.dumps(m.model_dump(mode="json"), sort_keys=True).encode("utf-8")
            ).hexdigest()
            for m in models
        ],
    }


def simulate_shard(
    case: Case,
    specs: Sequence[Uncertain],
    shard: str,
    trials: int,
    seed: int = 0,
    gates: Sequence[Gate] = (),
    max_memory: int | None = None,
    jobs: int | None = 1,
) -> SimulationShard:
    """The K-th of N slices of the trials of `simulate` ("K/N"), with its gates counted."""
    metrics = {g.metric for g in gates}
    run = run_trials(case, specs, trials, seed, metrics, max_memory, shard, jobs)
    counts = gate_counts(run, gates)
    for v in run.vendors:  # a gate's own results were needed for its counts only
        v.results = {k: v.results[k] for k in KEPT}
    return SimulationShard(shard, run, fingerprint(case, specs, trials, seed, gates), counts)


# ------------------------------------------------------------------ the file


def shard_pieces(shard: SimulationShard) -> Iterator[str]:
    """The shard file's JSON text in pieces: the header, then each per-trial array as
    its own piece, so that no more than one array's text is held at a time."""
    from ..render.format import dumps

    header = shard.header()
    digest = _digest(header)
    head = dumps(header)
    yield head[: -len(_TAIL)] + ',\n  "per_trial": ['
    for i, text in enumerate(_encoded(shard, digest)):
        yield ("\n    " if i == 0 else ",\n    ") + '"' + text + '"'
    yield f'\n  ],\n  "sha256": "{digest.hexdigest()}"' + _TAIL


def _encoded(shard: SimulationShard, digest: Any) -> Iterator[str]:
    """Each per-trial array as base64 of its little-endian float64 bytes, one at a time,
    the bytes fed to the file's SHA-256 on the way."""
    for array in shard.arrays():
        data = np.ascontiguousarray(array, dtype=_DTYPE).tobytes()
        digest.update(data)
        yield base64.b64encode(data).decode("ascii")


def _digest(header: dict[str, Any]) -> Any:
    """The SHA-256 a shard file ends with, fed the header (as canonical JSON) here and
    then each per-trial array's bytes: a count or a result changed by hand, or a file
    damaged in transit, no longer matches, and the merge refuses it."""
    canonical = json.dumps(header, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8"))


def read_shard(path: str | Path, limit: int) -> tuple[dict[str, Any], list[str], str]:
    """A shard file's header, its per-trial arrays as base64 text (decoded by the merge,
    one at a time) and its SHA-256; InputError naming the file when it is not a shard
    file."""
    name = str(path)
    expected = "a shard file from `simulate --shard K/N --format json`"
    raw = read_bytes_file(path, "shard file", expected, limit, " (--max-memory)")
    # one copy of the text at a time: the bytes, then the str, then the parsed data
    try:
        text = raw.decode("utf-8")
        del raw
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise InputError.single(name, f"not valid JSON: expected {expected}") from None
    del text
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError.single(name, f"not a simulation shard: expected {expected}")
    if data.get("format_version") != FORMAT_VERSION:
        raise InputError.single(
            name,
            f"a shard file of format version {data.get('format_version')!r}; this "
            f"outsourcecalc reads version {FORMAT_VERSION}: run every shard with one version",
        )
    arrays = data.pop("per_trial", None)
    sha256 = data.pop("sha256", None)
    if (
        not _header_ok(data)
        or not (isinstance(arrays, list) and all(isinstance(a, str) for a in arrays))
        or not isinstance(sha256, str)
    ):
        raise InputError.single(name, "a damaged shard file: its fields are not as written")
    # as written (0.0), whatever a JSON tool made of it (0): the sha256 reads it so
    data["discount_rate"] = float(data["discount_rate"])
    return data, arrays, sha256


_HEADER: dict[str, type | tuple[type, ...]] = {
    "shard": str,
    "start": int,
    "stop": int,
    "fingerprint": dict,
    "trials": int,
    "seed": int,
    "currency": str,
    "horizon_months": int,
    "discount_rate": (int, float),
    "uncertain": list,
    "vendors": list,
    "gates": list,
    "overrides": list,
    "notes": list,
}


def _header_ok(data: dict[str, Any]) -> bool:
    if not all(_is(data.get(k), t) for k, t in _HEADER.items()):
        return False
    inputs_ok = all(
        isinstance(d, dict)
        and _is(d.get("path"), str)
        and _is(d.get("distribution"), str)
        and _is(d.get("redrawn_below"), int)
        and _is(d.get("redrawn_above"), int)
        for d in data["uncertain"]
    )
    gates_ok = all(
        isinstance(g, dict)
        and _is(g.get("gate"), str)
        and _is(g.get("vendor"), str)
        and _is(g.get("held"), int)
        for g in data["gates"]
    )
    overrides_ok = all(
        isinstance(o, dict)
        and set(o) == _OVERRIDE
        and all(_is(o[k], str) for k in ("path", "label", "currency"))
        and o["unit"] in get_args(Unit)
        and all(_plain(o[k]) for k in ("value", "file_value"))
        for o in data["overrides"]
    )
    strings = [*data["vendors"], *data["notes"], *(o["label"] for o in data["overrides"])]
    return (
        inputs_ok
        and gates_ok
        and overrides_ok
        and math.isfinite(data["discount_rate"])
        and all(isinstance(v, str) and not CONTROL.search(v) for v in strings)
    )


def _plain(value: Any) -> bool:
    """An input's value as validated: a finite number, text without control characters,
    a flag, or none."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return not CONTROL.search(value)
    return value is None or isinstance(value, int)


_OVERRIDE = {f.name for f in fields(Override)}


def _is(value: Any, kind: type | tuple[type, ...]) -> bool:
    """isinstance, but JSON's true and false are not numbers (Python's bool is an int)."""
    return isinstance(value, kind) and not isinstance(value, bool)


# ------------------------------------------------------------------ the merge

_PARTS = {
    "outsourcecalc": "the outsourcecalc version",
    "seed": "--seed",
    "trials": "--trials",
    "uncertain": "the uncertain inputs",
    "gates": "the --fail-if gates",
    "inputs": "the input files (or --set and the analysis options)",
}


def merge(paths: Sequence[str | Path], max_memory: int) -> Simulation:
    """The shards' outputs (any order) joined into exactly the unsharded simulation, gates
    counted over every trial. A shard missing or given twice, shards of different runs
    or splits, or a damaged file: a UsageError naming the files, before any output."""
    if not paths:
        raise UsageError.option("merge", "give the shard files (simulate --shard K/N -f json)")
    sizes = [_size(p) for p in paths]
    check_memory(
        merge_memory(sizes),
        max_memory,
        f"merging {len(paths):,} shard files ({show_size(sum(sizes))})",
        "merge on a machine with more memory",
    )
    first: tuple[str, dict[str, Any]] | None = None
    run: Trials | None = None
    seen: dict[int, str] = {}
    refused: set[str] = set()
    counts: list[GateCount] = []
    problems: list[Problem] = []
    for path in paths:
        name = str(path)
        header, arrays, sha256 = read_shard(path, max_memory)
        if first is None:
            first = (name, header)
            run = _empty_run(header, name)
            counts = [GateCount(parse_gate(g["gate"]), g["vendor"], 0) for g in header["gates"]]
        problem = _mismatch(first, name, header, arrays)
        if problem is not None:
            problems.append(problem)
            refused.add(header["shard"].split("/")[0])  # refused, so not also "missing"
            continue
        k = int(header["shard"].split("/")[0])
        if k in seen:
            problems.append(
                Problem(name, f"shard {header['shard']} is given twice (also {seen[k]})")
            )
            continue
        seen[k] = name
        assert run is not None
        _fill(run, header, arrays, sha256, name)
        for count, g in zip(counts, header["gates"], strict=True):
            count.held += g["held"]
    assert first is not None and run is not None
    n = int(first[1]["shard"].split("/")[1])
    missing = [f"{k}/{n}" for k in range(1, n + 1) if k not in seen and str(k) not in refused]
    if missing:
        problems.append(
            Problem(
                "merge",
                f"shard{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                f"{'are' if len(missing) > 1 else 'is'} missing: give all {n} of the run",
            )
        )
    if problems:
        raise UsageError(problems)
    merged = summarize(run)
    header = first[1]
    return replace(
        merged,
        gates=counts,
        notes=[*header["notes"], *merged.notes],  # the case's, then the draws', as simulate
        scenario=tuple(Override(**o) for o in header["overrides"]),
    )


def _valid_npv(values: Array) -> Any:
    # far beyond any run's savings (mixed-sign flows may pass MAX_TOTAL), and far below
    # where the statistics of ten million of them would overflow
    return np.abs(values) <= MAX_NPV  # False for NaN


def _valid_payback(values: Array, horizon: int) -> Any:
    return np.isnan(values) | ((values >= 0) & (values <= horizon))


def _size(path: str | Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0  # reported when it is read


def _mismatch(
    first: tuple[str, dict[str, Any]], name: str, header: dict[str, Any], arrays: list[str]
) -> Problem | None:
    """Why this shard is not a slice of the first shard's run, or None."""
    other, want = first
    if header["fingerprint"] != want["fingerprint"]:
        differ = [
            label
            for key, label in _PARTS.items()
            if header["fingerprint"].get(key) != want["fingerprint"].get(key)
        ] or ["how it was run"]
        return Problem(
            name,
            f"not a shard of the same run as {other}: they differ in {', '.join(differ)}",
        )
    try:
        n = int(header["shard"].split("/")[1])
        start, stop = shard_range(header["trials"], header["shard"])
    except (ValueError, InputError):
        return Problem(name, f"a damaged shard file: shard {header['shard']!r}")
    if n != int(want["shard"].split("/")[1]):
        return Problem(
            name,
            f"shard {header['shard']} of a split into {n}, but {other} is shard "
            f"{want['shard']}: merge the shards of one split",
        )
    if (header["start"], header["stop"]) != (start, stop) or _shape(header) != _shape(want):
        return Problem(name, "a damaged shard file: its fields are not as written")
    if len(arrays) != len(header["uncertain"]) + len(KEPT) * len(header["vendors"]):
        return Problem(name, "a damaged shard file: per_trial holds the wrong number of arrays")
    size = stop - start  # each count is of this slice's trials: from none to all of them
    if not all(0 <= g["held"] <= size for g in header["gates"]) or not all(
        d["redrawn_below"] >= 0
        and d["redrawn_above"] >= 0
        and d["redrawn_below"] + d["redrawn_above"] <= size
        for d in header["uncertain"]
    ):
        return Problem(name, f"a damaged shard file: a count is not of its {size:,} trials")
    return None


def _shape(header: dict[str, Any]) -> tuple[Any, ...]:
    """What every shard of one run repeats from the run (the fingerprint says how it was
    run; these say what it holds)."""
    return (
        [(d["path"], d["distribution"]) for d in header["uncertain"]],
        header["vendors"],
        [(g["gate"], g["vendor"]) for g in header["gates"]],
        header["currency"],
        header["horizon_months"],
        header["discount_rate"],
        header["overrides"],
        header["notes"],
    )


def _empty_run(header: dict[str, Any], name: str) -> Trials:
    """The whole run's Trials, its arrays to be filled shard by shard."""
    trials = header["trials"]
    inputs = []
    for d in header["uncertain"]:
        try:
            path = parse_path(d["path"], "--uncertain")
            bounds = drawable(path_bounds(path, "--uncertain"))
            dist = parse_distribution(d["distribution"])
        except (ValueError, InputError):
            raise InputError.single(name, f"a damaged shard file: {d['path']}") from None
        inputs.append(InputDraws(d["path"], dist, bounds, np.empty(trials), 0, 0, bounds.whole))
    return Trials(
        trials=trials,
        seed=header["seed"],
        currency=header["currency"],
        horizon_months=header["horizon_months"],
        discount_rate=float(header["discount_rate"]),
        start=0,
        stop=trials,
        inputs=inputs,
        vendors=[VendorTrials(v, {k: np.empty(trials) for k in KEPT}) for v in header["vendors"]],
    )


def _fill(run: Trials, header: dict[str, Any], arrays: list[str], sha256: str, name: str) -> None:
    """Copy a shard's arrays into their place in the whole run, decoding one at a time;
    the file's SHA-256 and each value checked (a run only gives draws in the field's
    range, finite savings, and a payback month within the horizon or never)."""
    start, stop = header["start"], header["stop"]
    targets = [d.values for d in run.inputs]
    targets += [v.results[k] for v in run.vendors for k in KEPT]
    # a draw within its field's range, which drawable() holds within +-1e15
    valid: list[Callable[[Array], Any]] = [d.bounds.contains for d in run.inputs]
    valid += [_valid_npv, partial(_valid_payback, horizon=run.horizon_months)] * len(run.vendors)
    digest = _digest(header)
    for i, (target, text, ok) in enumerate(zip(targets, arrays, valid, strict=True)):
        try:
            data = base64.b64decode(text, validate=True)
            values = np.frombuffer(data, dtype=_DTYPE)
        except (binascii.Error, ValueError):
            data, values = b"", np.empty(0)
        if len(values) != stop - start:
            raise InputError.single(
                name,
                f"a damaged shard file: per_trial array {i + 1} is not {stop - start:,} numbers",
            )
        if not np.all(ok(values)):
            raise InputError.single(
                name,
                f"a damaged shard file: per_trial array {i + 1} holds a number no run gives "
                "(not finite, or outside its range)",
            )
        digest.update(data)
        target[start:stop] = values
        arrays[i] = ""  # its text is no longer needed
    if digest.hexdigest() != sha256:
        raise InputError.single(
            name,
            "a damaged shard file: its sha256 does not match its contents (a count or a "
            "result changed after `simulate --shard` wrote it): run that shard again",
        )
    for d, h in zip(run.inputs, header["uncertain"], strict=True):
        d.below += h["redrawn_below"]
        d.above += h["redrawn_above"]
