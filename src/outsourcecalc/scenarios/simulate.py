"""Monte Carlo: draw uncertain inputs from distributions and evaluate every trial in one batch.

    specs (--uncertain / --uncertainty file)  ->  distributions, checked against field bounds
        ->  draws, block by block of trials, each block from its own generator keyed by
            (seed, input, block), truncated to each field's range
        ->  chunks of trials through the batch engine  ->  per-trial results (`Trials`)
        ->  per-vendor statistics (`Simulation`)

A trial's draws depend on the seed, the input and the trial's number only, so any
slice of the trials (`--shard K/N`, scenarios/shards.py) draws what the whole run
draws for it, and the slices' per-trial results, joined, summarize into the whole run.

Pure: no printing and no I/O besides reading an uncertainty file through the loader.
`render/simulate.py` formats a `Simulation`.

    case = outsourcecalc.load("in_house.yaml", ["vendor.yaml"])
    sim = simulate(case, {"in_house.staff[0].attrition_rate": "pert(30%, 40%, 60%)"})
    print(sim.vendors[0].p_win)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..engine.batch import check_jobs, evaluate_in_chunks
from ..engine.model import GATE_KEYS
from ..engine.results import cents, fine
from ..errors import InputError, Problem, UsageError
from ..inputs.case import Case
from ..inputs.loader import load_file
from ..inputs.models import Bound
from ..inputs.overrides import Override, recorded
from ..inputs.paths import (
    InputPath,
    check_path,
    parse_path,
    path_bounds,
    resolve_values,
    split_assignment,
)
from ..rules import HALF_CENT, never_as_infinity, parse_rate, wins
from .gates import Gate, GateCount
from .memory import check_memory, counted, jobs_within, simulation_memory

Array = NDArray[np.float64]

DEFAULT_TRIALS = 10_000
MAX_TRIALS = 10_000_000
HISTOGRAM_BINS = 20
# A draw outside the field's range is redrawn; when fewer than this share of the first
# draws land inside, the distribution is refused as lying mostly outside the range.
MIN_SHARE_INSIDE = 0.10
MAX_DRAW = 1e15  # money's maximum: no draw lies beyond it, whatever the field
MAX_REDRAW_ROUNDS = 1000  # a safety net: with >= 10% inside, 1000 rounds never run out
# Trials per block of draws. Each block of each input is drawn whole, from its own
# generator, whatever the chunks, shards or number of trials: a constant, never tuned.
BLOCK = 4096
_EXTRA_METRICS = frozenset({"irr", "discounted_payback_months", "break_even_volume"})


# ------------------------------------------------------------------ distributions

_PARAMS: dict[str, tuple[str, ...]] = {
    "triangular": ("low", "mode", "high"),
    "pert": ("low", "mode", "high"),
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("mean", "sd"),
}
_FORMS = (
    "triangular(low, mode, high), pert(low, mode, high), uniform(low, high), "
    "normal(mean, sd), lognormal(mean, sd)"
)
_CALL = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\((.*)\)\s*$", re.DOTALL)


@dataclass(frozen=True)
class Distribution:
    """One input's distribution. Parameters are in the field's own units (0.05 for 5%)."""

    kind: str
    params: tuple[float, ...]
    text: str = ""

    @property
    def is_point(self) -> bool:
        """A point mass: triangular(v, v, v), pert(v, v, v), uniform(v, v), sd 0."""
        if self.kind in ("normal", "lognormal"):
            return self.params[1] == 0
        return self.params[0] == self.params[-1]

    @property
    def support(self) -> tuple[float, float]:
        """The smallest closed interval holding every possible draw."""
        if self.is_point:
            value = self.params[-1] if self.kind not in ("normal", "lognormal") else self.params[0]
            return value, value
        if self.kind == "normal":
            return -math.inf, math.inf
        if self.kind == "lognormal":
            return 0.0, math.inf
        return self.params[0], self.params[-1]

    @property
    def mean(self) -> float:
        """The theoretical mean (before any truncation)."""
        p = self.params
        if self.kind == "triangular":
            return (p[0] + p[1] + p[2]) / 3
        if self.kind == "pert":
            return (p[0] + 4 * p[1] + p[2]) / 6
        if self.kind == "uniform":
            return (p[0] + p[1]) / 2
        return p[0]

    def lognormal_mu_sigma(self) -> tuple[float, float]:
        """mu, sigma of the underlying normal, from the variable's own mean and sd
        (as @RISK's RiskLognorm): sigma^2 = ln(1 + sd^2/mean^2), mu = ln(mean) - sigma^2/2."""
        mean, sd = self.params
        sigma2 = math.log1p((sd / mean) ** 2)
        return math.log(mean) - sigma2 / 2, math.sqrt(sigma2)

    def sample(self, rng: np.random.Generator, size: int) -> Array:
        p = self.params
        if self.is_point:
            return np.full(size, self.support[0])
        if self.kind == "triangular":
            return rng.triangular(p[0], p[1], p[2], size)
        if self.kind == "pert":
            low, mode, high = p
            span = high - low
            # the same bits as 4 * (mode - low) / span, without overflowing near 1e308
            alpha = 1 + 4 * ((mode - low) / span)
            beta = 1 + 4 * ((high - mode) / span)
            return low + rng.beta(alpha, beta, size) * span
        if self.kind == "uniform":
            return rng.uniform(p[0], p[1], size)
        if self.kind == "normal":
            return rng.normal(p[0], p[1], size)
        mu, sigma = self.lognormal_mu_sigma()
        return rng.lognormal(mu, sigma, size)


def parse_distribution(text: str) -> Distribution:
    """`triangular(90000, 95000, 110000)` -> Distribution; ValueError with a plain message.

    Parameters are plain numbers (`42000`, `4.2e4`, `42_000`) or percents (`5%`).
    Commas separate parameters, so money cannot be written `42,000` here.
    """
    match = _CALL.match(text)
    if not match:
        raise ValueError(
            f"expected a distribution such as triangular(90000, 95000, 110000); one of: {_FORMS}"
        )
    name, inner = match.group(1).lower(), match.group(2)
    if name not in _PARAMS:
        raise ValueError(f"unknown distribution {match.group(1)!r}; one of: {_FORMS}")
    names = _PARAMS[name]
    raw = [part.strip() for part in inner.split(",")] if inner.strip() else []
    if len(raw) != len(names):
        hint = ""
        if len(raw) > len(names):
            hint = "; write numbers without thousands separators (42000, not 42,000)"
        raise ValueError(
            f"{name} takes {len(names)} parameters ({', '.join(names)}), got {len(raw)}{hint}"
        )
    values = tuple(_parameter(name, n, r) for n, r in zip(names, raw, strict=True))
    shown = dict(zip(names, raw, strict=True))
    if name in ("triangular", "pert"):
        low, mode, high = values
        if low > mode:
            raise ValueError(
                f"{name}: low ({shown['low']}) must not be above mode ({shown['mode']})"
            )
        if mode > high:
            raise ValueError(
                f"{name}: mode ({shown['mode']}) must not be above high ({shown['high']})"
            )
    elif name == "uniform" and values[0] > values[1]:
        raise ValueError(f"uniform: high ({shown['high']}) must not be below low ({shown['low']})")
    if name in ("triangular", "pert", "uniform") and not math.isfinite(values[-1] - values[0]):
        raise ValueError(
            f"{name}: the range from low ({shown['low']}) to high ({shown['high']}) is too "
            "wide to draw from: its width is not a finite number"
        )
    if name in ("normal", "lognormal"):
        mean, sd = values
        if sd < 0:
            raise ValueError(f"{name}: sd must be 0 or more (got {shown['sd']})")
        if name == "lognormal" and mean <= 0:
            raise ValueError(
                f"lognormal: mean must be above 0 (got {shown['mean']}); "
                "a lognormal variable is always positive"
            )
        if name == "lognormal" and sd / mean > 1e150:  # sigma^2 = ln(1 + (sd/mean)^2)
            raise ValueError(
                f"lognormal: sd ({shown['sd']}) is too large against the mean "
                f"({shown['mean']}): no draw would be a finite number"
            )
    return Distribution(name, values, f"{name}({', '.join(raw)})")


def _parameter(dist: str, name: str, text: str) -> float:
    try:
        number = parse_rate(text)
    except ValueError:
        raise ValueError(
            f"{dist}: {name} is not a number: {text!r} (write 42000, 0.05 or 5%)"
        ) from None
    if not math.isfinite(number):
        raise ValueError(f"{dist}: {name} must be a finite number (got {text!r})")
    return number


# ------------------------------------------------------------------ specs


@dataclass(frozen=True)
class Uncertain:
    """One uncertain input as written: a path, a distribution, and where it was written."""

    path: str
    distribution: str
    source: str  # "--uncertain PATH=DIST", or the uncertainty file's name
    line: int | None = None
    column: int | None = None

    def problem(self, message: str) -> Problem:
        if self.line is None:
            return Problem(self.source, message)
        return Problem(self.source, message, self.path, self.line, self.column)

    @property
    def option(self) -> str:
        return "--uncertain" if self.line is None else "--uncertainty"


def parse_uncertain(text: str, option: str = "--uncertain") -> Uncertain:
    """`PATH=DIST` from the command line."""
    path, dist = split_assignment(text, option)
    if not path or not dist:
        raise UsageError.option(
            f"{option} {text}",
            "expected PATH=DIST, e.g. in_house.staff[0].attrition_rate=pert(30%, 40%, 60%)",
        )
    return Uncertain(path, dist, f"{option} {text}")


UNCERTAINTY_FIELDS = (
    "input paths with their distributions, such as "
    "in_house.staff[0].attrition_rate: pert(30%, 40%, 60%)"
)


def load_uncertainty(path: str | Path) -> list[Uncertain]:
    """An uncertainty file: a YAML mapping of input paths to distribution strings, in order."""
    try:
        doc = load_file(path, UNCERTAINTY_FIELDS)
    except InputError as exc:  # empty, or not YAML: the option's usage
        raise UsageError(exc.problems) from None
    if doc.problems:  # duplicate keys, merge keys, a list: the strict reading of input files
        raise UsageError(doc.problems)
    out: list[Uncertain] = []
    problems: list[Problem] = []
    for key, value in doc.data.items():
        line, column = doc.place((key,))
        if not isinstance(value, str):
            problems.append(
                Problem(
                    doc.path,
                    f"expected a distribution such as triangular(90000, 95000, 110000) "
                    f"(got {value!r})",
                    key,
                    line,
                    column,
                )
            )
            continue
        out.append(Uncertain(key, value, doc.path, line, column))
    if problems:
        raise UsageError(problems)
    return out


def as_specs(uncertain: Mapping[str, str | Distribution] | Sequence[Uncertain]) -> list[Uncertain]:
    if isinstance(uncertain, Mapping):
        out = []
        for path, dist in uncertain.items():
            text = dist.text if isinstance(dist, Distribution) else str(dist)
            out.append(Uncertain(path, text, f"--uncertain {path}={text}"))
        return out
    return list(uncertain)


# ------------------------------------------------------------------ results


@dataclass
class InputDraws:
    """One uncertain input: what was asked, what was drawn, and what truncation did."""

    path: str
    distribution: Distribution
    bounds: Bound
    values: Array  # (trials,)
    below: int = 0  # first-round draws below the field's range, redrawn
    above: int = 0
    rounded: bool = False  # a whole-number field: draws rounded to whole numbers

    @property
    def redrawn(self) -> int:
        return self.below + self.above


@dataclass
class Statistics:
    """The statistics of one vendor's npv_savings over the trials."""

    mean: float
    sd: float
    min: float
    p5: float
    p50: float
    p95: float
    max: float


@dataclass
class Histogram:
    edges: Array  # bins + 1 edges; 0 is one of them when the values straddle 0
    counts: NDArray[np.int64]


@dataclass
class VendorOutcome:
    """Per-trial results for one vendor and their statistics."""

    name: str
    npv_savings: Array  # (trials,)
    payback_months: Array  # (trials,), NaN = never pays back within the horizon
    extra: dict[str, Array]  # other result keys asked for (by --fail-if)
    p_win: float
    npv: Statistics
    p_payback: float
    payback_p50: float | None  # None: the percentile lands on "never"
    payback_p95: float | None
    histogram: Histogram

    def values(self, key: str) -> Array:
        if key == "npv_savings":
            return self.npv_savings
        if key == "payback_months":
            return self.payback_months
        return self.extra[key]


@dataclass
class Simulation:
    """What `outsourcecalc.simulate` returns: every trial's results and their statistics."""

    trials: int
    seed: int
    currency: str
    horizon_months: int
    discount_rate: float
    inputs: list[InputDraws]
    vendors: list[VendorOutcome]
    notes: list[str] = field(default_factory=list)
    gates: list[GateCount] = field(default_factory=list)  # per --fail-if and vendor
    scenario: tuple[Override, ...] = ()  # the inputs the command line changed

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `simulate --format json`: money in cents, shares as fractions."""
        return {
            "trials": self.trials,
            "seed": self.seed,
            "currency": self.currency,
            "horizon_months": self.horizon_months,
            "discount_rate": fine(self.discount_rate),
            "overrides": recorded(self.scenario),
            "uncertain": [_input_dict(d) for d in self.inputs],
            "vendors": [_vendor_dict(v) for v in self.vendors],
            "notes": list(self.notes),
        }


def _input_dict(d: InputDraws) -> dict[str, Any]:
    return {
        "path": d.path,
        "distribution": d.distribution.text,
        "range": d.bounds.interval(),
        "mean": fine(float(np.mean(d.values))),
        "min": fine(float(np.min(d.values))),
        "max": fine(float(np.max(d.values))),
        "redrawn_below": d.below,
        "redrawn_above": d.above,
        "rounded_to_whole": d.rounded,
    }


def _vendor_dict(v: VendorOutcome) -> dict[str, Any]:
    return {
        "name": v.name,
        "p_win": fine(v.p_win),
        "npv_savings": {
            "mean": cents(v.npv.mean),
            "sd": cents(v.npv.sd),
            "min": cents(v.npv.min),
            "p5": cents(v.npv.p5),
            "p50": cents(v.npv.p50),
            "p95": cents(v.npv.p95),
            "max": cents(v.npv.max),
        },
        "p_payback": fine(v.p_payback),
        "payback_months": {"p50": fine(v.payback_p50), "p95": fine(v.payback_p95)},
        "histogram": {
            "edges": [cents(float(x)) for x in v.histogram.edges],
            "counts": [int(c) for c in v.histogram.counts],
        },
    }


# ------------------------------------------------------------------ the run


@dataclass
class VendorTrials:
    """One vendor's kept results, per trial of a slice."""

    name: str
    results: dict[str, Array]  # result key -> (trials of the slice,)


@dataclass
class Trials:
    """Trials start..stop-1 of a run of `trials`: every draw and every kept result per trial.

    The whole run is the slice 0..trials; `summarize` makes its statistics. A slice of
    it (`--shard K/N`) holds exactly the whole run's draws and results for those trials.
    """

    trials: int
    seed: int
    currency: str
    horizon_months: int
    discount_rate: float
    start: int
    stop: int
    inputs: list[InputDraws]  # values, redrawn counts: of this slice's trials
    vendors: list[VendorTrials]

    @property
    def size(self) -> int:
        return self.stop - self.start


def simulate(
    case: Case,
    uncertain: Mapping[str, str | Distribution] | Sequence[Uncertain],
    trials: int = DEFAULT_TRIALS,
    seed: int = 0,
    metrics: Iterable[str] = (),
    max_memory: int | None = None,
    jobs: int | None = 1,
) -> Simulation:
    """Draw each uncertain input `trials` times (in the order given) and evaluate every trial.

    `uncertain` maps input paths to distributions (`"pert(30%, 40%, 60%)"`); `metrics`
    names further result keys to keep per trial (npv_savings and payback_months always);
    `max_memory` (bytes), when given, is the budget the run's estimated peak must fit,
    checked before any draw. `jobs`: the trials are evaluated by this process and
    `jobs` - 1 forked workers (the same numbers whatever the count); None: every available
    core the budget allows. Raises InputError (a UsageError) on any bad
    spec, all problems reported together.
    """
    return summarize(run_trials(case, uncertain, trials, seed, metrics, max_memory, jobs=jobs))


def run_trials(
    case: Case,
    uncertain: Mapping[str, str | Distribution] | Sequence[Uncertain],
    trials: int = DEFAULT_TRIALS,
    seed: int = 0,
    metrics: Iterable[str] = (),
    max_memory: int | None = None,
    shard: str | None = None,
    jobs: int | None = 1,
) -> Trials:
    """The per-trial draws and results of `simulate`, of every trial or, with `shard`
    ("K/N"), of the K-th of N contiguous slices of them: the same numbers either way."""
    from .sweep import shard_range

    if not 1 <= trials <= MAX_TRIALS:
        raise UsageError.option(f"--trials {trials}", f"must be from 1 to {MAX_TRIALS:,}")
    if seed < 0:
        raise UsageError.option(f"--seed {seed}", "must be 0 or more")
    start, stop = shard_range(trials, shard)
    extra = sorted(set(metrics) - {"npv_savings", "payback_months"})
    for key in extra:
        if key not in GATE_KEYS:
            raise UsageError.option(key, f"unknown result key; one of: {', '.join(GATE_KEYS)}")
    specs = as_specs(uncertain)
    if not specs:
        raise UsageError.option(
            "--uncertain", "give at least one uncertain input (--uncertain or --uncertainty)"
        )
    prepared = _prepare(case, specs)
    if max_memory is not None:
        what = f"this simulation of {counted(trials, 'trial')}"
        if shard is not None:
            what = f"this shard ({shard}) of {counted(stop - start, 'trial')}"

        def estimate(n: int) -> int:
            return simulation_memory(case, len(prepared), stop - start, 2 + len(extra), n)

        jobs = jobs_within(max_memory, jobs, estimate)
        check_memory(
            estimate(jobs),
            max_memory,
            f"{what} ({counted(len(prepared), 'uncertain input')}, "
            f"{counted(len(case.vendors), 'vendor')})",
            "run fewer --trials" if shard is None else "split the trials over more shards",
            jobs,
        )
    # the whole blocks of trials that hold the slice: they are drawn whole
    lo = start // BLOCK * BLOCK
    hi = min(trials, -(-stop // BLOCK) * BLOCK) if stop > start else lo
    inputs: list[InputDraws] = []
    problems: list[Problem] = []
    for index, (spec, _, dist, bounds) in enumerate(prepared):
        try:
            inputs.append(_draw(spec, dist, bounds, (seed, index), (lo, hi), (start, stop)))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise UsageError(problems)
    for (spec, path, _, _), draws in zip(prepared, inputs, strict=True):
        problems += _check_extremes(case, spec, path, draws.values[start - lo : stop - lo])
    if problems:
        raise UsageError(problems)

    for d in inputs:
        d.values = d.values[start - lo : stop - lo]
    keys = ("npv_savings", "payback_months", *extra)
    results = _evaluate(case, [p for _, p, _, _ in prepared], inputs, keys, check_jobs(jobs))
    return Trials(
        trials=trials,
        seed=seed,
        currency=case.currency,
        horizon_months=case.horizon_months,
        discount_rate=float(case.discount_rate),
        start=start,
        stop=stop,
        inputs=inputs,
        vendors=[
            VendorTrials(v.name, per_key) for v, per_key in zip(case.vendors, results, strict=True)
        ],
    )


def summarize(run: Trials) -> Simulation:
    """The statistics of every trial of a run (the slice 0..trials, whole)."""
    if (run.start, run.stop) != (0, run.trials):
        raise ValueError(f"trials {run.start}..{run.stop - 1} of {run.trials}: not the whole run")
    vendors = []
    for v in run.vendors:
        extra = [k for k in v.results if k not in ("npv_savings", "payback_months")]
        vendors.append(_outcome(v.name, v.results, extra))
    return Simulation(
        trials=run.trials,
        seed=run.seed,
        currency=run.currency,
        horizon_months=run.horizon_months,
        discount_rate=run.discount_rate,
        inputs=run.inputs,
        vendors=vendors,
        notes=[n for d in run.inputs for n in _draw_notes(d, run.trials)],
    )


def _prepare(
    case: Case, specs: Sequence[Uncertain]
) -> list[tuple[Uncertain, InputPath, Distribution, Bound]]:
    """Parse and check every spec against its field, collecting every problem."""
    docs = [case.in_house_doc, *case.vendor_docs]
    out = []
    problems: list[Problem] = []
    seen: list[tuple[InputPath, Uncertain]] = []
    for spec in specs:
        try:
            path = parse_path(spec.path, spec.option)
            if all(d is not None for d in docs):
                check_path(path, docs, spec.option)  # type: ignore[arg-type]
            if path.loc == ("analysis", "horizon_months"):
                raise ValueError(
                    "the horizon cannot be uncertain: every trial shares the months "
                    "0..H; run once per horizon with --horizon"
                )
            bounds = drawable(path_bounds(path, spec.option))
            for other, where in seen:
                if path.overlaps(other):
                    raise ValueError(f"this input is already uncertain ({where.path})")
            dist = parse_distribution(spec.distribution)
            _check_support(dist, bounds)
        except ValueError as exc:
            problems.append(spec.problem(str(exc)))
            continue
        except InputError as exc:
            problems += [spec.problem(p.message) for p in exc.problems]
            continue
        seen.append((path, spec))
        out.append((spec, path, dist, bounds))
    if problems:
        raise UsageError(problems)
    return out


def drawable(bounds: Bound) -> Bound:
    """The range a draw must lie in: the field's, with no end beyond MAX_DRAW. A field
    with no upper end (a month) would otherwise take draws of 1e300, or infinity, whose
    mean overflows and which no whole number holds."""
    changes = {}
    if bounds.high > MAX_DRAW:
        changes["high"] = MAX_DRAW
    if bounds.low < -MAX_DRAW:
        changes["low"] = -MAX_DRAW
    return replace(bounds, **changes) if changes else bounds  # type: ignore[type-var]


def _whole(values: Array) -> Array:
    return np.floor(values + 0.5)  # half up: 2.5 months -> 3


def _check_support(dist: Distribution, bounds: Bound) -> None:
    low, high = dist.support
    if bounds.whole:
        low, high = float(_whole(np.array(low))), float(_whole(np.array(high)))
    below = high < bounds.low or (bounds.low_open and high <= bounds.low)
    above = low > bounds.high or (bounds.high_open and low >= bounds.high)
    if below or above:
        raise ValueError(
            f"{dist.text} lies wholly outside the field's valid range {bounds.interval()}"
        )


def block_generator(seed: int, index: int, block: int) -> np.random.Generator:
    """The generator of one block of draws: trials block*BLOCK .. (block+1)*BLOCK - 1 of
    the `index`-th uncertain input (0 the first given), for `seed`."""
    return np.random.default_rng([seed, index, block])


def _draw(
    spec: Uncertain,
    dist: Distribution,
    bounds: Bound,
    key: tuple[int, int],
    drawn: tuple[int, int],
    counted: tuple[int, int],
) -> InputDraws:
    """Trials drawn[0]..drawn[1]-1 of one input (`key`: the seed and the input's index),
    the distribution truncated to the field's range; below and above count the first
    draws of the trials `counted` (within those drawn) that fell outside it.

    Each block of BLOCK trials is drawn whole from its own generator, then its
    out-of-range draws are redrawn from it until all are valid; a slice takes its part
    of the blocks that cover it, so a trial's draw never depends on the slice. Whether
    the distribution lies mostly outside the range is judged on the first block, the
    same for every slice.
    """
    seed, index = key
    start, stop = drawn
    share_inside = _share_inside(dist, bounds, block_generator(seed, index, 0))
    if share_inside < MIN_SHARE_INSIDE:
        raise UsageError(
            [
                spec.problem(
                    f"{dist.text} lies mostly outside the field's valid range "
                    f"{bounds.interval()}: only {share_inside:.1%} of draws "
                    f"fall inside (at least {MIN_SHARE_INSIDE:.0%} must)"
                )
            ]
        )
    values = np.empty(stop - start)
    below = above = 0
    for block in range(start // BLOCK, -(-stop // BLOCK)):
        block_values, first_below, first_above = _draw_block(
            spec, dist, bounds, block_generator(seed, index, block)
        )
        lo, hi = max(start, block * BLOCK), min(stop, (block + 1) * BLOCK)
        values[lo - start : hi - start] = block_values[lo - block * BLOCK : hi - block * BLOCK]
        # the first draws that were redrawn, of the counted trials in this block
        lo, hi = max(counted[0], block * BLOCK), min(counted[1], (block + 1) * BLOCK)
        part = slice(lo - block * BLOCK, max(lo, hi) - block * BLOCK)
        below += int(np.count_nonzero(first_below[part]))
        above += int(np.count_nonzero(first_above[part]))
    return InputDraws(spec.path, dist, bounds, values, below, above, bounds.whole)


def _sample(dist: Distribution, bounds: Bound, rng: np.random.Generator, size: int) -> Array:
    values = dist.sample(rng, size)
    return _whole(values) if bounds.whole else values


def _share_inside(dist: Distribution, bounds: Bound, rng: np.random.Generator) -> float:
    """The share of the first block's first draws inside the field's range."""
    return float(np.count_nonzero(bounds.contains(_sample(dist, bounds, rng, BLOCK)))) / BLOCK


def _draw_block(
    spec: Uncertain, dist: Distribution, bounds: Bound, rng: np.random.Generator
) -> tuple[Array, NDArray[np.bool_], NDArray[np.bool_]]:
    """One whole block: the draws, then the out-of-range ones redrawn from the same
    generator until all are valid; with which first draws fell below and above."""
    values = _sample(dist, bounds, rng, BLOCK)
    outside = ~bounds.contains(values)
    first_below = outside & ~_above_low(values, bounds)
    first_above = outside & ~first_below
    bad = np.flatnonzero(outside)
    rounds = 0
    while len(bad):
        rounds += 1
        if rounds > MAX_REDRAW_ROUNDS:
            raise UsageError(
                [
                    spec.problem(
                        f"{dist.text} lies mostly outside the field's valid range "
                        f"{bounds.interval()}: {len(bad):,} draws still outside after "
                        f"{MAX_REDRAW_ROUNDS} rounds of redrawing"
                    )
                ]
            )
        fresh = _sample(dist, bounds, rng, len(bad))
        values[bad] = fresh
        bad = bad[~bounds.contains(fresh)]
    return values, first_below, first_above


def _above_low(values: Array, bounds: Bound) -> Any:
    return values > bounds.low if bounds.low_open else values >= bounds.low


def _check_extremes(case: Case, spec: Uncertain, path: InputPath, values: Array) -> list[Problem]:
    """Validate the smallest and largest draw as if written in the file, with every check
    across fields and files (tiers in order, months within the horizon, fx_rate 1 for the
    analysis currency). The field's own range holds already; the checks that remain hold
    for a whole interval when they hold at its ends. (A slice of the trials checks its own
    ends: the slice holding an invalid end of the whole run fails as the whole run does.)"""
    if not len(values):
        return []  # an empty slice: more shards than trials
    low, high = float(values.min()), float(values.max())
    whole = path_bounds(path, spec.option).whole
    for end in dict.fromkeys((high, low)):
        try:
            resolve_values(case, path, [int(end) if whole else end], spec.source)
        except InputError as exc:
            p = exc.problems[0]
            message = re.sub(r"^values? [^:]*: ", "", p.message, count=1)
            span = f"draws run from {_show(low)} to {_show(high)}" if low < high else "one value"
            return [
                spec.problem(
                    f"a draw of {_show(end)} is invalid ({span}): "
                    + (f"{p.field}: " if p.field else "")
                    + message
                )
            ]
    return []


def _show(x: float) -> str:
    return f"{x:,.6g}"


def _evaluate(
    case: Case,
    paths: Sequence[InputPath],
    inputs: Sequence[InputDraws],
    keys: Sequence[str],
    jobs: int = 1,
) -> list[dict[str, Array]]:
    """Every drawn trial through the batch engine, in bounded chunks, on `jobs` processes.
    A trial's results, like its draws, never depend on the slice of the trials being
    run: the engine works row by row."""

    def values_at(lo: int, hi: int) -> dict[InputPath, NDArray[Any]]:
        # whole-number fields go in as integers: the engine indexes months and calendars
        return {
            p: d.values[lo:hi].astype(np.int64) if d.rounded else d.values[lo:hi]
            for p, d in zip(paths, inputs, strict=True)
        }

    size = len(inputs[0].values)
    out = [{k: np.empty(size) for k in keys} for _ in case.vendors]
    metrics = frozenset(keys) & _EXTRA_METRICS
    for chunk in evaluate_in_chunks(case, 0, size, values_at, keys, metrics, jobs=jobs):
        for part, target in zip(chunk.vendors, out, strict=True):
            for k in keys:
                target[k][chunk.start : chunk.stop] = part[k]
    return out


# ------------------------------------------------------------------ statistics


def _outcome(name: str, per_key: dict[str, Array], extra: Sequence[str]) -> VendorOutcome:
    npv = per_key["npv_savings"]
    payback = per_key["payback_months"]
    p5, p50, p95 = percentiles(npv, (5, 50, 95))
    return VendorOutcome(
        name=name,
        npv_savings=npv,
        payback_months=payback,
        extra={k: per_key[k] for k in extra},
        p_win=float(np.mean(wins(npv))),
        npv=Statistics(
            mean=float(np.mean(npv)),
            sd=float(np.std(npv)),
            min=float(np.min(npv)),
            p5=p5,
            p50=p50,
            p95=p95,
            max=float(np.max(npv)),
        ),
        p_payback=float(np.mean(~np.isnan(payback))),
        payback_p50=percentile_never(payback, 50),
        payback_p95=percentile_never(payback, 95),
        histogram=histogram(npv),
    )


def percentiles(values: Array, qs: Sequence[float]) -> list[float]:
    """np.percentile(values, qs) to the last bit (NaN throughout if any value is NaN),
    from one sort, without the numpy.ma import its first call makes."""
    if np.isnan(values).any():
        return [math.nan for _ in qs]
    v = np.sort(values)
    return [_linear(v, q) for q in qs]


def percentile_never(values: Array, q: float) -> float | None:
    """numpy's linear percentile, where NaN (never pays back) counts as +infinity; None when
    the percentile touches a never."""
    x = _linear(np.sort(never_as_infinity(values)), q)
    return x if math.isfinite(x) else None  # a never at or beside it: inf or inf - inf


def _linear(v: Array, q: float) -> float:
    """The q-th percentile of sorted `v`, as np.percentile's default (linear) method."""
    position = (q / 100) * (len(v) - 1)  # as numpy computes it, to the last bit
    lo = math.floor(position)
    t = position - lo
    a = float(v[lo])
    if t == 0:
        return a
    b = float(v[min(lo + 1, len(v) - 1)])
    # numpy's lerp, so answers equal np.percentile(..., method="linear")
    return a + (b - a) * t if t < 0.5 else b - (b - a) * (1 - t)


def histogram(values: Array, bins: int = HISTOGRAM_BINS) -> Histogram:
    """About `bins` equal bins over the values; when they straddle 0, 0 is an edge."""
    low, high = float(np.min(values)), float(np.max(values))
    edges: Array
    if high - low <= HALF_CENT:
        edges = np.array([low - HALF_CENT, high + HALF_CENT], dtype=np.float64)
        return Histogram(edges, np.array([len(values)], dtype=np.int64))
    width = (high - low) / bins
    if low < 0 < high:
        # edges at whole multiples of the width, so that 0 is one of them exactly
        steps = np.arange(math.floor(low / width), math.ceil(high / width) + 1)
        edges = (steps * width).astype(np.float64)
        edges[0], edges[-1] = min(edges[0], low), max(edges[-1], high)  # rounding never drops one
    else:
        edges = np.linspace(low, high, bins + 1).astype(np.float64)
    counts, _ = np.histogram(values, edges)
    return Histogram(edges, counts.astype(np.int64))


def _draw_notes(d: InputDraws, trials: int) -> list[str]:
    notes = []
    if d.rounded:
        notes.append(f"{d.path}: a whole-number field; draws rounded to the nearest whole number")
    if d.below:
        side = "at or below" if d.bounds.low_open else "below"
        notes.append(
            f"{d.path}: {d.below:,} of {trials:,} draws fell {side} {d.bounds.low:g} "
            "and were redrawn (truncated at the bound)"
        )
    if d.above:
        side = "at or above" if d.bounds.high_open else "above"
        notes.append(
            f"{d.path}: {d.above:,} of {trials:,} draws fell {side} {d.bounds.high:g} "
            "and were redrawn (truncated at the bound)"
        )
    return notes


# ------------------------------------------------------------------ gates and --set


def gate_counts(sim: Simulation | Trials, gates: Sequence[Gate]) -> list[GateCount]:
    """For each gate and vendor, the number of trials (of a slice) in which the gate holds."""
    return [
        GateCount(g, v.name, int(np.count_nonzero(g.holds_many(_values(v, g.metric)))))
        for g in gates
        for v in sim.vendors
    ]


def _values(v: VendorOutcome | VendorTrials, key: str) -> Array:
    return v.results[key] if isinstance(v, VendorTrials) else v.values(key)


def check_not_set(specs: Sequence[Uncertain], case: Case) -> None:
    """An input cannot be both uncertain and fixed on the command line.

    The case's documents remember every value an option changed and which option it
    was (`--set vendor.scope=0.8`, `--discount-rate 7%`): a spec naming one of them fails.
    """
    problems = []
    for spec in specs:
        try:
            path = parse_path(spec.path, spec.option)
        except InputError:
            continue  # reported when the spec is prepared
        problems += [
            spec.problem(f"also fixed with {s}; give one of them") for s in path.fixed_by(case)
        ]
    if problems:
        raise UsageError(problems)
