"""The command line: each command is parse options -> one library call -> emit -> exit code.

The library (api.py) computes; `emit` writes a result in the format asked for
through its renderer (render/<command>.py). Bad input of any kind ends here, in
`_Group.invoke`: every problem printed on stderr as file:line:col: field: message,
exit code 2, no traceback.
"""

# No `from __future__ import annotations` here: typer reads every command's annotations
# on each run, and evaluating them from strings cost a cold start 3 ms.

import contextlib
import enum
import gc
import json
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from . import api
from .errors import InputError, UsageError
from .inputs.case import Case
from .inputs.checks import validate_files
from .render import renderer_for, text_pieces
from .render.output import STDOUT, check_target, open_output

# the exit code of a run whose reader closed stdout (`| head -1`), as the shell reports
# any Unix tool ended by SIGPIPE (128 + 13): not 1, which says a --fail-if gate held
CLOSED_PIPE = 141


class _Group(TyperGroup):
    """Reports InputError the one way the project does: on stderr, exit 2; and a closed
    stdout pipe as exit 141, quietly."""

    def invoke(self, ctx: Any) -> Any:  # typer vendors its own click Context
        try:
            return super().invoke(ctx)
        except InputError as exc:
            for line in exc.lines():
                typer.echo(line, err=True)
            raise typer.Exit(2) from None
        except BrokenPipeError:
            _quiet_stdout()
            raise typer.Exit(CLOSED_PIPE) from None


def _quiet_stdout() -> None:
    """What is still buffered for a closed stdout goes nowhere, not into an "Exception
    ignored" message at exit."""
    with contextlib.suppress(OSError, ValueError):  # ValueError: a test's captured stdout
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


app = typer.Typer(
    cls=_Group,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # inputs hold salaries
    help="Make-or-buy cost calculator: the in-house operation against vendor quotes.\n\n"
    "New here? Start with `outsourcecalc init DIR`: a commented starter pair of files "
    "that validates and compares; docs/SPEC.md explains every field.",
)


class Format(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", metavar="PATH=VALUE", help="Change one input for this run (repeatable)."),
]
FailIfOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--fail-if",
        metavar="EXPR",
        help="Exit 1 when METRIC OP NUMBER holds for any vendor, e.g. npv_savings<0 (repeatable).",
    ),
]
MaxMemoryOpt = Annotated[
    str,
    typer.Option(
        "--max-memory",
        metavar="SIZE",
        help="Refuse a run whose estimated peak memory exceeds SIZE (2GB, 512MB, bytes).",
    ),
]
JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        metavar="N",
        help="Evaluate N chunks at once, in worker processes \\[default: every available core]; "
        "the output is the same whatever N.",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format \\[default: from the --output file's extension, else table].",
    ),
]
# what an --output file's extension says its format is
_EXTENSIONS = {".json": Format.json, ".csv": Format.csv, ".md": Format.markdown}


def output_format(fmt: Format | None, output: Path | None) -> Format:
    """The format asked for, else the one the --output file's extension names, else table;
    `-f table -o x.json` is a contradiction, not a table in a .json file."""
    implied = _EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if fmt is None:
        return implied or Format.table
    if implied is not None and implied is not fmt:
        raise UsageError.option(
            f"--format {fmt.value} --output {output}",
            f"the file's extension says {implied.value}: drop --format, or name the file "
            f"for {fmt.value}",
        )
    return fmt


OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]
InHouseArg = Annotated[Path, typer.Argument(help="The in-house file (YAML).", show_default=False)]
VendorsArg = Annotated[
    list[Path], typer.Argument(help="One or more vendor files (YAML).", show_default=False)
]
HorizonOpt = Annotated[
    int | None, typer.Option("--horizon", help="Months to compare (overrides analysis:).")
]
DiscountOpt = Annotated[
    str | None,
    typer.Option(
        "--discount-rate", help='Annual discount rate, 0.08 or "8%" (overrides analysis:).'
    ),
]
StartOpt = Annotated[
    int | None, typer.Option("--start-month", help="Calendar month of month 1, 1..12.")
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Exit 1 when the run gives any note (an exchange rate that looks inverted, an "
        "item after the horizon), after writing the output: for CI.",
    ),
]
ChartOpt = Annotated[
    Path | None,
    typer.Option(
        "--chart",
        metavar="FILE",
        help="Also draw a chart to FILE (.png or .svg; needs the charts extra).",
    ),
]
BaselineOpt = Annotated[
    Path | None,
    typer.Option(
        "--baseline",
        metavar="FILE",
        help="Also show what changed against an earlier `compare --format json` output.",
    ),
]
UncertainOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--uncertain",
        metavar="PATH=DIST",
        help="An uncertain input, e.g. in_house.staff[0].attrition_rate='pert(30%, 40%, 60%)'"
        "; triangular, pert, uniform, normal, lognormal (repeatable).",
    ),
]
UncertaintyOpt = Annotated[
    Path | None,
    typer.Option(
        "--uncertainty",
        metavar="FILE",
        help="A YAML file mapping input paths to distributions.",
    ),
]
TrialsOpt = Annotated[int, typer.Option("--trials", help="Number of trials.")]
SeedOpt = Annotated[
    int, typer.Option("--seed", help="Random seed: the same command gives the same numbers.")
]
VendorOpt = Annotated[
    str | None,
    typer.Option(
        "--vendor",
        metavar="NAME",
        help="Chart only this vendor \\[default: one panel per vendor, the best first].",
    ),
]


def check_chart_vendor(case: Case, chart: Path | None, vendor: str | None) -> None:
    """`--vendor` picks the chart's vendor: it needs --chart and one of the vendors' names."""
    if vendor is None:
        return
    if chart is None:
        raise UsageError.option(f"--vendor {vendor}", "picks the chart's vendor: add --chart FILE")
    from .render.charts import check_vendor

    check_vendor([v.name for v in case.vendors], vendor)


def load_inputs(
    in_house: Path,
    vendors: list[Path],
    sets: list[str] | None,
    horizon: int | None,
    discount_rate: str | None,
    start_month: int | None,
) -> Case:
    """The inputs every computing command shares: the files, --set and the analysis options."""
    return api.load(
        in_house,
        vendors,
        sets or [],
        horizon_months=horizon,
        discount_rate=discount_rate,
        start_month=start_month,
    )


def print_notes(notes: Any) -> None:
    """Notes on the inputs (items after the horizon, a suspicious exchange rate) go to
    stderr where the output itself has no place for them (json, csv, scenario commands)."""
    for note in notes:
        typer.echo(f"note: {note}", err=True)


def write_output(
    text: str | Iterable[str], output: Path | None, then: Callable[[], None] | None = None
) -> None:
    """Write the text, or its pieces as they are made (rows as they are computed): to
    stdout, or to a file replaced atomically when the last piece is written (never
    half-written: an error on the way removes the temporary file).

    `then` writes what goes with the text (a chart) after the last piece and before the
    file is in place: if it fails, the file is not written either."""
    pieces = _one_behind([text] if isinstance(text, str) else text)
    if output is None or str(output) == STDOUT:
        try:
            for piece in pieces:
                sys.stdout.write(piece)
            sys.stdout.flush()  # a full disk or a closed pipe is seen here, not at exit
        except BrokenPipeError:
            raise  # exit 141, as a tool ended by SIGPIPE (_Group)
        except OSError as exc:
            raise UsageError.option("standard output", f"cannot write ({exc.strerror})") from None
        if then is not None:
            then()
        return
    with open_output(output, "--output") as handle:
        for piece in pieces:
            handle.write(piece.encode("utf-8"))
        handle.flush()  # a device (/dev/full) fails here, before `then` writes anything
        if then is not None:
            then()


def _one_behind(pieces: Iterable[str]) -> Iterator[str]:
    """The pieces, each once the next is made: a run failing at its first rows (a point
    beyond any operation) leaves no lone CSV header on stdout, -o - or a pipe."""
    held: str | None = None
    for piece in pieces:
        if held is not None:
            yield held
        held = piece
    if held is not None:
        yield held


def check_outputs(inputs: list[Path | None], **outputs: Path | None) -> None:
    """Before any work: every output can be written, and none is one of the inputs
    (`-o in_house.yaml` would replace the file it reads). Keys are the options' names."""
    given = [path for path in inputs if path is not None]
    seen: dict[Path, str] = {}
    for name, path in outputs.items():
        if path is None:
            continue
        option = "--" + name.replace("_", "-")
        if str(path) != "-":  # two outputs onto one file: the second would replace the first
            target = Path(os.path.realpath(path))  # never raises: a link loop is reported below
            if target in seen:
                raise UsageError.option(
                    f"{option} {path}", f"is also the {seen[target]} file: give each its own"
                )
            seen[target] = option
        if name == "chart":
            from .render.charts import check_chart_path

            check_chart_path(path, option, given)
        elif name == "xlsx":
            api.check_workbook_path(path, given)
        else:
            check_target(path, option, given)


def plain_text(text: str) -> str:
    """Terminal output for a file: without the padding rich adds to the right of each line."""
    if not text:
        return ""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def draw_tables(draw: Any, output: Path | None) -> str | None:
    """Run `draw(console)`: straight to a terminal, in colour; otherwise (a pipe, or
    --output) as plain text to write, 100 columns wide in a file."""
    from rich.console import Console

    # Names come from the input files: "[/x]" or ":smile:" in a vendor's name is text,
    # never rich markup (which would raise MarkupError) or an emoji code.
    if output is None and sys.stdout.isatty():
        draw(Console(markup=False, emoji=False))
        return None
    import io

    class Buffer(io.StringIO):
        # rich draws ASCII boxes for a stream that cannot take Unicode (PYTHONIOENCODING=ascii)
        encoding = "utf-8" if output is not None else (sys.stdout.encoding or "utf-8")

    buffer = Buffer()
    width = 100 if output is not None else Console().width
    draw(Console(file=buffer, width=width, no_color=True, markup=False, emoji=False))
    return plain_text(buffer.getvalue())


def emit(
    result: Any,
    fmt: Format,
    output: Path | None,
    chart: Path | None = None,
    vendor: str | None = None,
    **options: Any,
) -> None:
    """The one way output leaves: `result` in `fmt` through its renderer, to stdout or
    atomically to `output` (tables straight to a terminal), then its chart if asked for
    (of `vendor` only, when given)."""
    renderer = renderer_for(result)
    text: str | Iterable[str] | None
    if fmt is Format.table:
        text = draw_tables(lambda console: renderer.draw(result, console, **options), output)
    else:  # rows are written as they are computed, never all held
        text = text_pieces(renderer, result, fmt.value, **options)
    extra = {} if vendor is None else {"vendor": vendor}
    draw_chart = None if chart is None else (lambda: renderer.chart(result, chart, **extra))
    if text is not None:  # with its chart: both files are written, or neither
        write_output(text, output, then=draw_chart)
    elif draw_chart is not None:
        draw_chart()


def exit_if_broken(lines: list[str], notes: Sequence[str] = (), strict: bool = False) -> None:
    """Every gate that held, on stderr, then exit code 1 (after the report was written);
    with --strict, any note fails the run the same way, so CI can refuse a suspicious file."""
    for line in lines:
        typer.echo(line, err=True)
    if strict and notes:
        count = f"{len(notes)} note" + ("" if len(notes) == 1 else "s")
        typer.echo(f"--strict: the run gave {count}; --strict turns notes into a failure", err=True)
    if lines or (strict and notes):
        raise typer.Exit(1)


@app.command()
def compare(
    in_house: InHouseArg,
    vendors: VendorsArg,
    horizon: HorizonOpt = None,
    discount_rate: DiscountOpt = None,
    start_month: StartOpt = None,
    set_: SetOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    monthly: Annotated[
        bool,
        typer.Option(
            "--monthly",
            metavar="",
            help="Add month by month: costs, savings, cumulative savings, payback month.",
        ),
    ] = False,
    fail_if: FailIfOpt = None,
    strict: StrictOpt = False,
    chart: ChartOpt = None,
    baseline: BaselineOpt = None,
) -> None:
    """Compare the in-house baseline with one or more vendor quotes."""
    fmt = output_format(fmt, output)
    gates = api.gates_of(fail_if or [])
    check_outputs([in_house, *vendors, baseline], output=output, chart=chart)
    if baseline is not None:  # an unusable baseline fails before any work
        from .scenarios.baseline import read as read_baseline

        previous = read_baseline(baseline)
    case = load_inputs(in_house, vendors, set_, horizon, discount_rate, start_month)
    if baseline is None:
        result: Any = api.compare(case)
    else:
        result = api.diff(case, previous, name=str(baseline))
    if fmt in (Format.json, Format.csv):  # the other formats show them under the tables
        print_notes(result.notes)
    emit(result, fmt, output, chart, monthly=monthly)
    exit_if_broken(renderer_for(result).gate_lines(result, gates), result.notes, strict)


@app.command()
def validate(
    files: Annotated[
        list[Path], typer.Argument(help="In-house or vendor files.", show_default=False)
    ],
    strict: StrictOpt = False,
) -> None:
    """Check files: each on its own, and an in-house file with its vendors as compare would.

    A file's kind (in-house or vendor) is told by `kind` or by its content. An in-house
    file given with its vendor files also gets the notes `compare` would give."""
    result = validate_files(files)
    emit(result, Format.table, None)
    if result.problems:
        raise InputError(result.problems)
    print_notes(result.notes)
    exit_if_broken([], result.notes, strict)


class SchemaKind(enum.StrEnum):
    in_house = "in-house"
    in_house_as_in_files = "in_house"  # as `kind:` spells it in a file
    vendor = "vendor"


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file's schema.")],
    output: OutputOpt = None,
) -> None:
    """Print the JSON Schema of a file kind (for editors' YAML language servers)."""
    check_outputs([], output=output)
    data = api.schema("vendor" if kind is SchemaKind.vendor else "in_house")
    write_output(json.dumps(data, indent=2) + "\n", output)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Folder for the starter files.")],
) -> None:
    """Write a commented starter pair (in_house.yaml, vendor.yaml) that validates and compares."""
    in_house, vendor = api.init(folder)
    for target in (in_house, vendor):
        typer.echo(f"wrote {target}")
    typer.echo(f"next: outsourcecalc compare {in_house} {vendor}")


VaryOpt = Annotated[
    list[str],
    typer.Option(
        "--vary",
        metavar="PATH=SPEC",
        help="Vary an input: PATH=START:STOP:STEP (stop included) or PATH=A,B,C (repeatable).",
    ),
]


@contextmanager
def _progress_bar() -> Iterator[Any]:
    """A progress callback that shows a bar on stderr after a second, only on a terminal.

    The bar is stopped however the run ends, Ctrl-C included: a bar left running would
    leave the terminal's cursor hidden."""
    if not sys.stderr.isatty():
        yield None
        return
    import time

    from rich.console import Console
    from rich.progress import Progress

    started = time.monotonic()
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            if time.monotonic() - started < 1.0:
                return
            bar = Progress(console=Console(stderr=True), transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task("sweep", total=total)
        state["bar"].update(state["task"], completed=done)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].stop()


@app.command()
def sweep(
    in_house: InHouseArg,
    vendors: VendorsArg,
    vary: VaryOpt,
    set_: SetOpt = None,
    horizon: HorizonOpt = None,
    discount_rate: DiscountOpt = None,
    start_month: StartOpt = None,
    summary: Annotated[
        bool, typer.Option("--summary", help="Per vendor statistics instead of one row per point.")
    ] = False,
    max_points: Annotated[
        int, typer.Option("--max-points", min=1, help="Refuse grids larger than this.")
    ] = 5_000_000,
    shard: Annotated[
        str | None,
        typer.Option("--shard", metavar="K/N", help="Evaluate only the K-th of N slices."),
    ] = None,
    max_memory: MaxMemoryOpt = "2GB",
    jobs: JobsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    fail_if: FailIfOpt = None,
    strict: StrictOpt = False,
    chart: ChartOpt = None,
    vendor: VendorOpt = None,
) -> None:
    """Evaluate every combination of --vary values: rows per point, or a --summary."""
    fmt = output_format(fmt, output)
    from .engine.batch import check_jobs
    from .scenarios.memory import parse_size
    from .scenarios.sweep import shard_range

    gates = api.gates_of(fail_if or [])
    shard_range(1, shard)  # a malformed --shard fails before any work
    budget = parse_size(max_memory)
    check_jobs(jobs)  # a bad --jobs fails before the files are read
    check_outputs([in_house, *vendors], output=output, chart=chart)
    if chart is not None and len(vary) != 2:
        raise UsageError.option(
            f"--chart {chart}", "the sweep chart is a heat map: vary exactly two paths"
        )
    case = load_inputs(in_house, vendors, set_, horizon, discount_rate, start_month)
    check_chart_vendor(case, chart, vendor)
    print_notes(case.notes)
    with _progress_bar() as progress:
        result = api.sweep(
            case,
            vary,
            summary=summary,
            shard=shard,
            max_points=max_points,
            max_memory=budget,
            fail_if=gates,
            progress=progress,
            jobs=jobs,  # none given: every available core that the memory budget allows
        )
        print_notes(result.vary_notes)
        # the rows are computed as they are written; the gates are counted on the way
        emit(result, fmt, output, chart, vendor)
        broken = renderer_for(result).gate_lines(result)
    exit_if_broken(broken, result.notes, strict)


@app.command()
def export(
    in_house: InHouseArg,
    vendors: VendorsArg,
    xlsx: Annotated[
        Path,
        typer.Option("--xlsx", help="The workbook to write (.xlsx).", show_default=False),
    ],
    horizon: HorizonOpt = None,
    discount_rate: DiscountOpt = None,
    start_month: StartOpt = None,
    set_: SetOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Write the model as a live workbook: Inputs, Monthly and Summary, all formulas."""
    api.xlsx_renderer()  # without XlsxWriter, or where the file cannot be written,
    check_outputs([in_house, *vendors], xlsx=xlsx)  # fail before any work
    case = load_inputs(in_house, vendors, set_, horizon, discount_rate, start_month)
    print_notes(case.notes)
    api.export_xlsx(case, xlsx)
    typer.echo(f"wrote {xlsx}", err=True)
    exit_if_broken([], case.notes, strict)


@app.command()
def sensitivity(
    in_house: InHouseArg,
    vendors: VendorsArg,
    delta: Annotated[
        str,
        typer.Option("--delta", help='Move each input down and up by this share: 0.1 or "10%".'),
    ] = "10%",
    only: Annotated[
        list[str] | None,
        typer.Option("--only", metavar="PATH", help="Move only these inputs (repeatable)."),
    ] = None,
    set_: SetOpt = None,
    horizon: HorizonOpt = None,
    discount_rate: DiscountOpt = None,
    start_month: StartOpt = None,
    max_memory: MaxMemoryOpt = "2GB",
    jobs: JobsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    strict: StrictOpt = False,
    chart: ChartOpt = None,
    vendor: VendorOpt = None,
) -> None:
    """Rank the inputs by how much they swing npv_savings, with the value where each flips it."""
    fmt = output_format(fmt, output)
    from .engine.batch import check_jobs
    from .scenarios.memory import parse_size
    from .scenarios.sweep import parse_share

    check_outputs([in_house, *vendors], output=output, chart=chart)
    share = parse_share(delta, "--delta")
    budget = parse_size(max_memory)
    check_jobs(jobs)  # a bad --jobs fails before the files are read
    case = load_inputs(in_house, vendors, set_, horizon, discount_rate, start_month)
    check_chart_vendor(case, chart, vendor)
    print_notes(case.notes)
    # no --jobs: every available core that the memory budget allows
    result = api.sensitivity(case, share, only or [], max_memory=budget, jobs=jobs)
    emit(result, fmt, output, chart, vendor)
    exit_if_broken([], result.notes, strict)


@app.command("simulate")
def simulate_command(
    in_house: InHouseArg,
    vendors: VendorsArg,
    uncertain: UncertainOpt = None,
    uncertainty: UncertaintyOpt = None,
    trials: TrialsOpt = 10_000,
    seed: SeedOpt = 0,
    set_: SetOpt = None,
    horizon: HorizonOpt = None,
    discount_rate: DiscountOpt = None,
    start_month: StartOpt = None,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            metavar="K/N",
            help="Run only the K-th of N slices of the trials, as JSON for `merge` (or CSV rows).",
        ),
    ] = None,
    max_memory: MaxMemoryOpt = "2GB",
    jobs: JobsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    fail_if: FailIfOpt = None,
    strict: StrictOpt = False,
    chart: ChartOpt = None,
    vendor: VendorOpt = None,
) -> None:
    """Monte Carlo: draw uncertain inputs, report the odds that outsourcing is cheaper."""
    fmt = output_format(fmt, output)
    from .engine.batch import check_jobs
    from .scenarios.memory import parse_size

    gates = api.gates_of(fail_if or [])
    budget = parse_size(max_memory)
    check_jobs(jobs)  # a bad --jobs fails before the files are read
    if shard is not None:
        check_shard_output(shard, fmt, chart)
    check_outputs([in_house, *vendors, uncertainty], output=output, chart=chart)
    case = load_inputs(in_house, vendors, set_, horizon, discount_rate, start_month)
    check_chart_vendor(case, chart, vendor)
    options: dict[str, Any] = {
        "uncertainty_file": uncertainty,
        "trials": trials,
        "seed": seed,
        "fail_if": gates,
        "max_memory": budget,
        "jobs": jobs,  # none given: every available core that the memory budget allows
    }
    if shard is None:
        result: Any = api.simulate(case, uncertain or [], **options)
        notes = result.notes
    else:  # a shard's draws are noted by the merge, over every trial
        result = api.simulate_shard(case, uncertain or [], shard=shard, **options)
        notes = list(case.notes)
    if fmt in (Format.json, Format.csv):  # the other formats show them under the tables
        print_notes(notes)
    emit(result, fmt, output, chart, vendor)
    exit_if_broken(renderer_for(result).gate_lines(result), notes, strict)


def check_shard_output(shard: str, fmt: Format, chart: Path | None) -> None:
    """A shard's output is what `merge` reads (JSON) or rows that join (CSV): the summary,
    the table and the chart are the merge's, over every trial."""
    from .scenarios.sweep import shard_range

    shard_range(1, shard)  # a malformed --shard fails before any work
    if fmt not in (Format.json, Format.csv):
        raise UsageError.option(
            f"--shard {shard}",
            f"a shard is written as JSON for `outsourcecalc merge` (or as CSV rows), not as "
            f"{fmt.value}: add --format json",
        )
    if chart is not None:
        raise UsageError.option(
            f"--shard {shard} --chart {chart}", "draw the chart when merging the shards"
        )


@app.command()
def merge(
    shard_files: Annotated[
        list[Path],
        typer.Argument(
            help="The outputs of `simulate --shard K/N --format json`, every K once, any order.",
            show_default=False,
        ),
    ],
    max_memory: MaxMemoryOpt = "2GB",
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    strict: StrictOpt = False,
    chart: ChartOpt = None,
) -> None:
    """Join Monte Carlo shards into exactly the unsharded result (gates included)."""
    fmt = output_format(fmt, output)
    from .scenarios.memory import parse_size

    budget = parse_size(max_memory)
    check_outputs(list(shard_files), output=output, chart=chart)
    result = api.merge(shard_files, max_memory=budget)
    if fmt in (Format.json, Format.csv):  # the other formats show them under the tables
        print_notes(result.notes)
    emit(result, fmt, output, chart)
    exit_if_broken(renderer_for(result).gate_lines(result), result.notes, strict)


@app.command()
def report(
    in_house: InHouseArg,
    vendors: VendorsArg,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="The HTML file to write (- for stdout).", show_default=False
        ),
    ],
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", metavar="FILE", help="Also print the report to a PDF (WeasyPrint)."),
    ] = None,
    horizon: HorizonOpt = None,
    discount_rate: DiscountOpt = None,
    start_month: StartOpt = None,
    set_: SetOpt = None,
    baseline: BaselineOpt = None,
    uncertain: UncertainOpt = None,
    uncertainty: UncertaintyOpt = None,
    trials: TrialsOpt = 10_000,
    seed: SeedOpt = 0,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="The date in the report's footer \\[default: today].",
            show_default=False,
        ),
    ] = None,
    max_memory: MaxMemoryOpt = "2GB",
    strict: StrictOpt = False,
) -> None:
    """Write the CFO pack: one self-contained HTML memo (decision, table, charts,
    sensitivity, Monte Carlo with --uncertain, assumptions, method); needs the report extra."""
    import datetime

    from .render.report import require, require_pdf
    from .scenarios.memory import parse_size

    require()  # without Jinja2 or WeasyPrint, or where a file cannot go, fail before any work
    if pdf is not None:
        require_pdf()
    check_outputs([in_house, *vendors, baseline, uncertainty], output=output, pdf=pdf)
    try:
        day = datetime.date.today() if date is None else datetime.date.fromisoformat(date)
    except ValueError:
        raise UsageError.option(f"--date {date}", "give the date as YYYY-MM-DD") from None
    budget = parse_size(max_memory)
    if baseline is not None:  # an unusable baseline fails before any work
        from .scenarios.baseline import read as read_baseline

        previous = read_baseline(baseline)
    case = load_inputs(in_house, vendors, set_, horizon, discount_rate, start_month)
    api.report(
        case,
        output,
        pdf=pdf,
        baseline=None if baseline is None else previous,
        baseline_name=None if baseline is None else str(baseline),
        uncertain=uncertain or [],
        uncertainty_file=uncertainty,
        trials=trials,
        seed=seed,
        date=day.isoformat(),
        max_memory=budget,
    )
    for written in (output, pdf):
        if written is not None and str(written) != "-":
            typer.echo(f"wrote {written}", err=True)
    print_notes(case.notes)  # the memo lists them too
    exit_if_broken([], case.notes, strict)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"outsourcecalc {__version__} (contract v2)")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", metavar="", callback=_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Make-or-buy cost calculator: the in-house operation against vendor quotes."""


def _terminated(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    """The console script."""
    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe that cannot take a character (PYTHONIOENCODING=ascii, a
        # non-UTF-8 byte passed in an argument) shows it escaped instead of failing.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    # `kill` (SIGTERM, as a CI runner's timeout sends) ends the run as Ctrl-C does:
    # through the cleanups, so no temporary file or worker process is left behind
    signal.signal(signal.SIGTERM, _terminated)
    try:
        app()
    finally:
        # One command, then the process ends: the collections the interpreter runs at
        # exit would walk every object the imports made (numpy's, typer's, ours), a
        # fifth of a cold `compare`, only to free what the OS frees anyway.
        gc.freeze()
