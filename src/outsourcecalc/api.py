"""The library: the whole tool as functions, the pipeline in one place.

    load_file (loader)  ->  --set applied (paths)  ->  validated (validate)
        ->  Case  ->  evaluate_batch (engine)  ->  a result  ->  render

`load` gives a Case; `compare`, `sweep`, `sensitivity`, `simulate` and `diff`
evaluate it and return a typed result whose `.to_dict()` is what the command's
`--format json` prints; `validate_files` and `export_xlsx` do what `validate`
and `export` do. The command line is these calls and a renderer (cli.py):

    case = outsourcecalc.load("in_house.yaml", ["vendor.yaml"])
    result = outsourcecalc.compare(case)
    print(result.vendors[0]["npv_savings"])

Bad input raises InputError (UsageError for options), every problem with its place.
See docs/api.md.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .engine.model import ALL_METRICS, evaluate_batch
from .engine.results import Comparison
from .errors import InputError, Problem, UsageError
from .inputs.case import Case
from .inputs.loader import Document, load_file
from .inputs.models import FileKind
from .inputs.overrides import describe
from .inputs.paths import apply_sets, every_vendor_hint, overrides_of
from .inputs.validate import build_case
from .render.output import check_target, open_output, write_atomically

if TYPE_CHECKING:  # the scenario modules are imported by the call that needs them
    from collections.abc import Callable

    from .render.report import Report
    from .scenarios.baseline import BaselineDiff
    from .scenarios.gates import Gate
    from .scenarios.sensitivity import Sensitivity
    from .scenarios.shards import SimulationShard
    from .scenarios.simulate import Simulation, Uncertain
    from .scenarios.sweep import Sweep


def analysis_sets(
    horizon_months: int | None, discount_rate: float | str | None, start_month: int | None
) -> list[tuple[str, str]]:
    """Command-line overrides of the file's `analysis:` block: (label, assignment) pairs."""
    out = []
    for option, key, val in (
        ("--horizon", "horizon_months", horizon_months),
        ("--discount-rate", "discount_rate", discount_rate),
        ("--start-month", "start_month", start_month),
    ):
        if val is not None:
            out.append((f"{option} {val}", f"analysis.{key}={val}"))
    return out


def load_documents(in_house: str | Path, vendors: Sequence[str | Path]) -> list[Document]:
    """Read every file, reporting the problems of all of them together."""
    docs: list[Document] = []
    problems: list[Problem] = []
    for path in [in_house, *vendors]:
        try:
            docs.append(load_file(path))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return docs


def case_from_documents(
    docs: list[Document],
    sets: Sequence[str] = (),
    *,
    horizon_months: int | None = None,
    discount_rate: float | str | None = None,
    start_month: int | None = None,
) -> Case:
    analysis = analysis_sets(horizon_months, discount_rate, start_month)
    for label, assignment in analysis:
        apply_sets(docs, [assignment], label=label)
    apply_sets(docs, sets)
    try:
        case = build_case(docs[0], docs[1:])
    except InputError as exc:
        # a vendor. path reaches every vendor file: if one of them now fails, say so
        every = [s for s in sets if s.strip().startswith("vendor.")]
        vendor_files = {d.path for d in docs[1:]} | {f"--set {s}" for s in every}
        if every and len(docs) > 2 and any(p.source in vendor_files for p in exc.problems):
            raise InputError([*exc.problems, every_vendor_hint(f"--set {every[0]}")]) from None
        raise
    # the analysis options are --set in disguise: they count as overrides, first
    changed = overrides_of(case, [*(assignment for _, assignment in analysis), *sets])
    return dataclasses.replace(case, overrides=changed)


def load(
    in_house: str | Path,
    vendors: Sequence[str | Path],
    sets: Sequence[str] = (),
    *,
    horizon_months: int | None = None,
    discount_rate: float | str | None = None,
    start_month: int | None = None,
) -> Case:
    """Load and validate an in-house file and its vendor files (raises InputError)."""
    if not vendors:
        raise InputError([Problem("compare", "give at least one vendor file")])
    docs = load_documents(in_house, vendors)
    return case_from_documents(
        docs,
        sets,
        horizon_months=horizon_months,
        discount_rate=discount_rate,
        start_month=start_month,
    )


def case_from_dicts(
    in_house: dict[str, Any],
    vendors: Sequence[dict[str, Any]],
    sets: Sequence[str] = (),
    *,
    horizon_months: int | None = None,
    discount_rate: float | str | None = None,
    start_month: int | None = None,
) -> Case:
    """The same as `load`, from data already in memory (not changed by this call)."""
    docs = [Document("<in_house>", copy.deepcopy(in_house))]
    docs += [Document(f"<vendor[{i}]>", copy.deepcopy(v)) for i, v in enumerate(vendors)]
    return case_from_documents(
        docs,
        sets,
        horizon_months=horizon_months,
        discount_rate=discount_rate,
        start_month=start_month,
    )


def compare(case: Case) -> Comparison:
    """Every result of the contract for one comparison: `outsourcecalc compare`."""
    return Comparison.from_evaluation(evaluate_batch(case, ALL_METRICS))


evaluate = compare  # the name the library used first


def gates_of(fail_if: Sequence[str | Gate]) -> list[Gate]:
    """`--fail-if` conditions ("npv_savings<0"), parsed; Gate objects pass as they are."""
    from .scenarios.gates import parse_gate

    return [parse_gate(g) if isinstance(g, str) else g for g in fail_if]


def sweep(
    case: Case,
    vary: str | Sequence[str],
    *,
    summary: bool = False,
    shard: str | None = None,
    max_points: int | None = None,
    max_memory: int | str | None = None,
    fail_if: Sequence[str | Gate] = (),
    progress: Callable[[int, int], None] | None = None,
    jobs: int | None = None,
) -> Sweep:
    """Evaluate every combination of the varied inputs: `outsourcecalc sweep`.

    `vary`: "PATH=START:STOP:STEP" (stop included) or "PATH=A,B,C", one per input;
    `summary`: keep per-vendor statistics instead of the rows (a row carries every
    result key); `shard`: "K/N", only the K-th of N slices; `max_memory`: the budget
    ("2GB", or bytes; 2 GB by default) the sweep's estimated peak must fit; `fail_if`:
    gates whose points are counted; `progress(done, total)`; `jobs`: chunks evaluated
    at once, this process and forked workers (by default every available core that the
    budget allows; the rows are the same bytes whatever the count). The rows are
    evaluated as they are read (`Sweep.iter_rows()`, or the renderer writing them), a
    bounded chunk at a time.
    """
    from .engine.batch import check_jobs
    from .scenarios import sweep as scenario

    check_jobs(jobs)  # a bad count fails before any work
    most = scenario.DEFAULT_MAX_POINTS if max_points is None else max_points
    if most < 1:
        raise UsageError.option(f"--max-points {most}", "must be at least 1")
    budget = memory_budget(max_memory)
    varies = [vary] if isinstance(vary, str) else list(vary)
    axes = scenario.build_axes(
        case,
        varies,
        max_points=most,
        max_memory=budget,
        summary=summary,
        shard=shard,
        jobs=jobs,
    )
    grid = scenario.Grid(axes)
    start, stop = scenario.shard_range(grid.size, shard)
    sizes = [len(a.values) for a in axes]
    run = scenario.run_sweep(
        case,
        grid,
        shard=shard,
        summary=summary,
        gates=gates_of(fail_if),
        max_points=most,
        progress=progress,
        jobs=scenario.sweep_jobs(case, sizes, stop - start, summary, budget, jobs),
    )
    notes = scenario.vary_notes(varies)
    return scenario.Sweep(case, run, summarized=summary, shard=shard, vary_notes=notes)


def memory_budget(max_memory: int | str | None) -> int:
    """`max_memory` in bytes: "2GB", "512MB", a number of bytes, or None for 2 GB."""
    from .scenarios.memory import DEFAULT_MAX_MEMORY, parse_size

    if max_memory is None:
        return DEFAULT_MAX_MEMORY
    return parse_size(max_memory) if isinstance(max_memory, str) else int(max_memory)


def sensitivity(
    case: Case,
    delta: float | str = 0.10,
    only: Sequence[str] = (),
    *,
    max_memory: int | str | None = None,
    jobs: int | None = None,
) -> Sensitivity:
    """Move each numeric input (or those in `only`) down and up by `delta` (0.1 or "10%"),
    rank the inputs by the swing in npv_savings, with the value where each flips the
    decision: `outsourcecalc sensitivity`. `max_memory`: the budget ("2GB", or bytes;
    2 GB by default) the run's estimated peak must fit, checked before any work. `jobs`:
    batches evaluated at once, in worker processes (by default every available core
    that the budget allows: each holds a batch)."""
    from .engine.batch import check_jobs
    from .scenarios.sensitivity import Sensitivity
    from .scenarios.sensitivity import sensitivity as run_sensitivity
    from .scenarios.sweep import parse_share

    share = parse_share(delta, "--delta") if isinstance(delta, str) else float(delta)
    budget = memory_budget(max_memory)
    check_jobs(jobs)  # a bad count fails before any work
    result = run_sensitivity(case, share, only, budget, jobs)
    return Sensitivity(share, case.currency, result, case)


def simulate(
    case: Case,
    uncertain: Mapping[str, str] | Sequence[str] = (),
    *,
    uncertainty_file: str | Path | None = None,
    trials: int | None = None,
    seed: int = 0,
    fail_if: Sequence[str | Gate] = (),
    max_memory: int | str | None = None,
    jobs: int | None = None,
) -> Simulation:
    """Monte Carlo: draw the uncertain inputs `trials` times, evaluate every trial, report
    the odds that outsourcing is cheaper: `outsourcecalc simulate`.

    `uncertain`: {path: distribution} ({"in_house.staff[0].attrition_rate":
    "pert(30%, 40%, 60%)"}) or "PATH=DIST" texts; `uncertainty_file`: a YAML file of
    the same mapping, read first. The same seed gives the same numbers. An input
    both uncertain and fixed by an option that built the case (`--set`, `--horizon`)
    is refused. `max_memory`: the budget ("2GB", or bytes; 2 GB by default) the run's
    estimated peak must fit, checked before any draw. `jobs`: the trials are evaluated
    by this process and forked workers (by default every available core that the
    budget allows; the same numbers whatever the count).
    """
    from .engine.batch import check_jobs
    from .scenarios import simulate as scenario

    check_jobs(jobs)  # a bad count fails before any work
    specs = uncertain_specs(case, uncertain, uncertainty_file)
    gates = gates_of(fail_if)
    sim = scenario.simulate(
        case,
        specs,
        scenario.DEFAULT_TRIALS if trials is None else trials,
        seed,
        metrics={g.metric for g in gates},
        max_memory=memory_budget(max_memory),
        jobs=jobs,
    )
    # the notes on the inputs first, then the draws' own
    notes = [*case.notes, *sim.notes]
    return replace(
        sim, gates=scenario.gate_counts(sim, gates), notes=notes, scenario=describe(case)
    )


def simulate_shard(
    case: Case,
    uncertain: Mapping[str, str] | Sequence[str] = (),
    *,
    shard: str,
    uncertainty_file: str | Path | None = None,
    trials: int | None = None,
    seed: int = 0,
    fail_if: Sequence[str | Gate] = (),
    max_memory: int | str | None = None,
    jobs: int | None = None,
) -> SimulationShard:
    """`simulate` for the K-th of N contiguous slices of the trials (`shard` "K/N"):
    `outsourcecalc simulate --shard K/N`. The slice's trials get exactly the draws and
    results of the unsharded run; `merge` joins the N shards into that run's result.
    Gates are counted over the slice and applied by the merge. `jobs` as for simulate."""
    from .engine.batch import check_jobs
    from .scenarios import shards
    from .scenarios import simulate as scenario

    check_jobs(jobs)  # a bad count fails before any work
    specs = uncertain_specs(case, uncertain, uncertainty_file)
    run = shards.simulate_shard(
        case,
        specs,
        shard,
        scenario.DEFAULT_TRIALS if trials is None else trials,
        seed,
        gates_of(fail_if),
        max_memory=memory_budget(max_memory),
        jobs=jobs,
    )
    return replace(run, scenario=describe(case), notes=list(case.notes))


def merge(shard_files: Sequence[str | Path], *, max_memory: int | str | None = None) -> Simulation:
    """The outputs of `simulate --shard K/N --format json` (every K once, any order) joined
    into exactly the unsharded `simulate` result, its gates counted over every trial:
    `outsourcecalc merge`. Shards missing or given twice, or of different runs, raise
    UsageError naming the files. `max_memory`: the budget the merge must fit (2 GB)."""
    from .scenarios import shards

    return shards.merge(shard_files, memory_budget(max_memory))


def uncertain_specs(
    case: Case,
    uncertain: Mapping[str, str] | Sequence[str] | str,
    uncertainty_file: str | Path | None,
) -> list[Uncertain]:
    """The uncertain inputs as given: the file's entries first, then the options; an
    input also fixed by an option that built the case is refused."""
    from .scenarios import simulate as scenario

    specs = scenario.load_uncertainty(uncertainty_file) if uncertainty_file is not None else []
    if isinstance(uncertain, str):
        uncertain = [uncertain]
    if isinstance(uncertain, Mapping):
        specs += scenario.as_specs(uncertain)
    else:
        specs += [scenario.parse_uncertain(text) for text in uncertain]
    scenario.check_not_set(specs, case)
    return specs


def diff(
    current: Case | Comparison,
    baseline: str | Path | Mapping[str, Any],
    *,
    name: str | None = None,
) -> BaselineDiff:
    """What changed against an earlier `compare --format json` result (a file, or its data
    as a dict): `outsourcecalc compare --baseline FILE`. `name` is what the report calls
    the baseline (the file's name by default)."""
    from .scenarios import baseline as scenario

    if isinstance(baseline, str | Path):
        previous = scenario.read(baseline)
        source = str(baseline) if name is None else name
    else:
        previous = dict(baseline)
        source = "<baseline>" if name is None else name
    result = compare(current) if isinstance(current, Case) else current
    changes = scenario.diff(previous, result.to_dict())
    return scenario.BaselineDiff(result, changes, source)


@dataclass
class Workbook:
    """What `outsourcecalc.export_xlsx` returns: the workbook written, and its comparison."""

    path: Path
    comparison: Comparison

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "comparison": self.comparison.to_dict()}


def export_xlsx(case: Case, path: str | Path) -> Workbook:
    """Write the model as a live workbook (Inputs, Monthly, Summary, all formulas), whole or
    not at all: `outsourcecalc export --xlsx`. Needs the xlsx extra (XlsxWriter)."""
    target = Path(path)
    render_xlsx = xlsx_renderer()
    check_workbook_path(target)
    comparison = compare(case)
    write_atomically(target, render_xlsx.render(case, comparison), "--xlsx")
    return Workbook(target, comparison)


def check_workbook_path(path: Path, inputs: Sequence[str | Path] = ()) -> None:
    """A workbook is written as .xlsx (`--xlsx model.csv` would be a workbook named .csv),
    somewhere it can be written, onto none of the inputs."""
    check_target(path, "--xlsx", inputs)
    if path.suffix.lower() != ".xlsx" and str(path) != "-":
        shown = path.suffix or "no extension"
        raise UsageError.option(f"--xlsx {path}", f"a workbook is written as .xlsx, not {shown}")


def xlsx_renderer() -> Any:
    """render/xlsx.py, or a UsageError naming the extra to install when XlsxWriter is missing."""
    try:
        from .render import xlsx
    except ImportError as exc:
        if (exc.name or "").split(".")[0] != "xlsxwriter":
            raise
        raise UsageError.option(
            "--xlsx", "writing a workbook needs XlsxWriter: pip install 'outsourcecalc[xlsx]'"
        ) from None
    return xlsx


def report(
    case: Case,
    path: str | Path | None = None,
    *,
    pdf: str | Path | None = None,
    baseline: str | Path | Mapping[str, Any] | None = None,
    baseline_name: str | None = None,
    uncertain: Mapping[str, str] | Sequence[str] = (),
    uncertainty_file: str | Path | None = None,
    trials: int | None = None,
    seed: int = 0,
    date: str | None = None,
    max_memory: int | str | None = None,
) -> Report:
    """The CFO pack: one self-contained HTML memo of the case (the decision, the table,
    the charts, the sensitivity, the assumptions and the method), written to `path`
    ("-": stdout) and, with `pdf`, printed to a PDF: `outsourcecalc report`.

    `baseline` adds the changes against an earlier `compare --format json` result (a
    file, or its data; `baseline_name` is what the report calls it, as `diff`'s `name`);
    `uncertain` or `uncertainty_file` (as `simulate` takes them) add a Monte Carlo
    section. `date` is the date the footer shows (none when None): the same case, options
    and date give the same bytes. Needs the report extra (Jinja2, matplotlib; WeasyPrint
    for the PDF). `Report.html` holds the text, written anywhere or not.
    """
    from .render import report as memo

    memo.require()
    if pdf is not None:
        memo.require_pdf()
    inputs: list[str | Path] = [d.path for d in (case.in_house_doc, *case.vendor_docs) if d]
    inputs += [f for f in (baseline, uncertainty_file) if isinstance(f, str | Path)]
    for target, option in ((path, "--output"), (pdf, "--pdf")):
        if target is not None:  # before any work: a bad target costs no computing
            check_target(Path(target), option, inputs)
    comparison = compare(case)
    changes = None if baseline is None else diff(comparison, baseline, name=baseline_name)
    simulation = None
    if uncertain or uncertainty_file is not None:
        simulation = simulate(
            case,
            uncertain,
            uncertainty_file=uncertainty_file,
            trials=trials,
            seed=seed,
            max_memory=max_memory,
        )
    result = memo.Report(
        case=case,
        comparison=comparison,
        sensitivity=sensitivity(case, max_memory=max_memory),
        simulation=simulation,
        diff=changes,
        date=date,
    )
    result.html = memo.render_html(result)
    printed = None if pdf is None else memo.render_pdf(result.html)  # fails before any write
    with contextlib.ExitStack() as both:  # the memo and its PDF are written, or neither
        if path is not None:
            result.path = Path(path)
            html = both.enter_context(open_output(result.path, "--output", inputs))
            html.write(result.html.encode("utf-8"))
            html.flush()  # a device (/dev/full) fails here, before the PDF is written
        if pdf is not None and printed is not None:
            result.pdf = Path(pdf)
            write_atomically(result.pdf, printed, "--pdf", inputs)
    return result


# ------------------------------------------------------------------ the files themselves


def schema(kind: FileKind) -> dict[str, Any]:
    """The JSON Schema of an in-house or a vendor file, read from the models:
    `outsourcecalc schema`, for editors' YAML language servers."""
    from .inputs.models import FILE_MODELS

    name = "in-house" if kind == "in_house" else "vendor"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://outsourcecalc.dev/schema/{name}.json",
        **FILE_MODELS[kind].model_json_schema(),
    }


STARTER_FILES = ("in_house.yaml", "vendor.yaml")


def init(folder: str | Path) -> list[Path]:
    """Write the commented starter pair into `folder` (made if missing), never over a file:
    `outsourcecalc init`. Returns the files written."""
    from importlib import resources

    folder = Path(folder)
    where = f"init {folder}"
    targets = [folder / name for name in STARTER_FILES]
    if folder.exists() and not folder.is_dir():
        raise UsageError.option(where, "is a file; give a folder for the starter files")
    existing = [str(p) for p in targets if p.exists() or p.is_symlink()]
    if existing:
        raise UsageError.option("init", f"will not overwrite {', '.join(existing)}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError.option(where, f"cannot create ({exc.strerror})") from None
    for target in targets:
        text = resources.files("outsourcecalc").joinpath("starter", target.name).read_bytes()
        write_atomically(target, text, where)
    return targets
