"""The CFO pack: one self-contained HTML memo (and its PDF) from results already computed.

`Report` bundles the results of one case (comparison, sensitivity, and when asked the
Monte Carlo run and the changes against a baseline); `render_html` lays them out through
the Jinja2 template `memo.html.j2` (autoescaped: every name from a file is text) with the
stylesheet `memo.css` and the `--chart` charts inline as SVG; `render_pdf` prints that
HTML with WeasyPrint. Nothing is computed here: the sentences and tables come from the
other renderers' helpers, the figures from the results. The same results and date give
the same bytes: the charts are deterministic, and nothing else varies between runs.

Jinja2 and matplotlib are the `report` extra (WeasyPrint too, for `--pdf`); they are
imported by the functions that need them, so the rest of the tool never pays for them.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...engine.model import RESULT_KEYS
from ...engine.results import Comparison, cents
from ...errors import UsageError
from ...inputs.paths import NamedInput, named_input
from ...rules import IN_HOUSE, MONEY_KEYS
from ..format import computed_input, input_value, money, percent, score, share
from ..words import payback, result_cell, verdict

if TYPE_CHECKING:
    from ...inputs.case import Case
    from ...scenarios.baseline import BaselineDiff
    from ...scenarios.sensitivity import InputSwing, Sensitivity, VendorSensitivity
    from ...scenarios.simulate import Simulation

MISSING = "the report needs Jinja2 and matplotlib: pip install 'outsourcecalc[report]'"
PDF_MISSING = (
    "writing a PDF needs WeasyPrint: pip install 'outsourcecalc[report]' (with the Pango "
    "library: apt-get install libpango-1.0-0 libpangoft2-1.0-0), or open the HTML report "
    "in a browser and print it to PDF"
)
# The appendix's one link: relative, so that a report built in a checkout (a CI artifact
# beside the sources) opens the page; the appendix itself states the formulas.
METHODOLOGY = "docs/methodology.md"
DRIVERS_SHOWN = 3  # sensitivity drivers per vendor in the table under the tornado
ASSUMED_INPUTS = 8  # the inputs that move the decision most, listed with the assumptions


@dataclass
class Report:
    """What `outsourcecalc.report` returns: the results the memo shows, and its HTML."""

    case: Case
    comparison: Comparison
    sensitivity: Sensitivity
    simulation: Simulation | None = None
    diff: BaselineDiff | None = None
    date: str | None = None  # shown in the footer; None: no date
    html: str = ""
    path: Path | None = None  # where the HTML was written, if anywhere
    pdf: Path | None = None  # where the PDF was written, if anywhere

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": None if self.path is None else str(self.path),
            "pdf": None if self.pdf is None else str(self.pdf),
            "comparison": self.comparison.to_dict(),
        }


# ------------------------------------------------------------------ dependencies


def require(option: str = "report") -> None:
    """A UsageError naming the extra when Jinja2 or matplotlib is missing."""
    try:
        import jinja2  # noqa: F401
        import matplotlib  # noqa: F401
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in ("jinja2", "matplotlib"):
            raise
        raise UsageError.option(option, MISSING) from None


def require_pdf(option: str = "--pdf") -> None:
    """A UsageError saying how to get WeasyPrint when it (or the Pango library) is missing."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: WeasyPrint is there, Pango is not
        raise UsageError.option(option, PDF_MISSING) from None


# ------------------------------------------------------------------ the figures


@dataclass
class Figure:
    """A chart to inline: its SVG markup, a title and a description for screen readers."""

    svg: str
    title: str
    description: str


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_OWN_TITLE = re.compile(r"<title>.*?</title>\s*|<metadata>.*?</metadata>\s*", re.S)
_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')
_IDS = re.compile(r'\bid="([^"]+)"')


def inline_svg(text: str, key: str, title: str, description: str) -> str:
    """A matplotlib SVG file as markup to place in HTML.

    The XML prolog, DOCTYPE and matplotlib's own title and metadata go; the figure's ids
    get `key` in front (several figures share one document, and ids must be unique in
    it); the fixed size gives way to the stylesheet's (the viewBox keeps the shape); and
    the root gets role="img" with a <title> and <desc> that label it.
    """
    svg = _OWN_TITLE.sub("", _PROLOG.sub("", text, count=1))
    ids = set(_IDS.findall(svg))
    svg = _IDS.sub(lambda m: f'id="{key}-{m.group(1)}"', svg)
    for ref in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'href="#{ref}"', f'href="#{key}-{ref}"')
        svg = svg.replace(f"url(#{ref})", f"url(#{key}-{ref})")
    head, rest = svg.split(">", 1)
    head = _SIZE.sub("", head)
    labelled = (
        f' role="img" aria-labelledby="{key}-title {key}-desc" focusable="false">'
        f'\n<title id="{key}-title">{_xml(title)}</title>'
        f'\n<desc id="{key}-desc">{_xml(description)}</desc>'
    )
    return head + labelled + rest.rstrip() + "\n"


def _xml(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _draw(key: str, title: str, description: str, draw: Any) -> Figure:
    """Run `draw(path)` onto an SVG file in a temporary folder and read it back inline."""
    with tempfile.TemporaryDirectory(prefix="outsourcecalc-report-") as folder:
        path = Path(folder) / f"{key}.svg"
        draw(path)
        text = path.read_text(encoding="utf-8")
    return Figure(inline_svg(text, key, title, description), title, description)


def comparison_figure(result: Comparison) -> Figure:
    from ..charts import comparison_chart

    cur = result.currency
    parts = [
        f"Cumulative cost over {result.horizon_months} months: in house "
        f"{money(result.in_house.tco, cur)}"
    ]
    for v in result.vendors:
        parts.append(f"{v.name} {money(v['tco'], cur)}, {payback(v)}")
    text = "; ".join(parts) + ". Beside it, each option's cost broken down into its parts."
    if result.scorecard is not None:
        text += " Then the value map: each vendor's NPV savings against its score."
    title = "Figure 1. Cumulative cost with the payback points, and the cost breakdown"
    if result.scorecard is not None:
        title += ", with the value map"
    return _draw("fig-compare", title, text, lambda path: comparison_chart(result, path))


def tornado_figure(sens: Sensitivity, vendor: VendorSensitivity) -> Figure:
    from ..charts import tornado_chart

    currency, delta = sens.currency, sens.delta

    top = sorted(vendor.inputs, key=lambda r: -r.swing)[:3]
    text = (
        f"NPV savings of {vendor.name} today: {money(vendor.base_npv_savings, currency)}. "
        f"Each input moved {delta * 100:g}% down and up; the largest swings: "
        + "; ".join(
            f"{r.path} from {money(r.npv_savings_low, currency)} to "
            f"{money(r.npv_savings_high, currency)}"
            for r in top
        )
        + "."
    )
    title = f"Figure 2. What moves the NPV savings of {vendor.name} most"
    return _draw(
        "fig-tornado", title, text, lambda path: tornado_chart(sens, path, vendor=vendor.name)
    )


def histogram_figure(sim: Simulation, index: int) -> Figure:
    from ..charts import histogram_chart
    from ..simulate import sentence

    v = sim.vendors[index]
    title = f"Figure {3 + index}. NPV savings of {v.name} over {sim.trials:,} trials"

    def draw(path: Path) -> None:
        histogram_chart(sim, path, vendor=v.name)

    return _draw(f"fig-mc{index + 1}", title, sentence(v, sim.currency), draw)


# ------------------------------------------------------------------ the tables


@dataclass
class Row:
    key: str
    label: str
    cells: list[str]


def comparison_rows(result: Comparison) -> list[Row]:
    """The main table: every result of the contract, money to the cent as in the JSON."""
    from ..compare import row_label, summary_rows

    cur, ih = result.currency, result.in_house

    def to_cent(x: float | None) -> str:
        return money(cents(x), cur, cents=True)

    rows = [
        Row(key, row_label(result, key), [to_cent(own), *(to_cent(v[key]) for v in result.vendors)])
        for key, own in (("tco", ih.tco), ("npv", ih.npv))
    ]
    for key in RESULT_KEYS[2:]:
        if key == "break_even_volume" and result.volume_today is None:
            continue  # without a workload there is no volume to break even at
        if key in MONEY_KEYS:
            cells = [to_cent(v[key]) for v in result.vendors]
        else:
            cells = [result_cell(result, v, key) for v in result.vendors]
        rows.append(Row(key, row_label(result, key), ["", *cells]))
    for key, in_house, cells in summary_rows(result, result.vendors):
        if key == "score":
            rows.append(Row(key, row_label(result, key), [in_house, *cells]))
    return rows


def breakdown_rows(result: Comparison) -> list[Row]:
    from ..compare import TOTAL, row_label
    from ..compare import breakdown_rows as rows_of

    return [
        Row(key, "Total (TCO)" if key == TOTAL else row_label(result, key).strip(), [ih, *cells])
        for key, ih, cells in rows_of(result, result.vendors)
    ]


def scorecard_rows(result: Comparison) -> list[list[str]]:
    from ..compare import scorecard_rows as rows_of

    return rows_of(result, result.vendors)


def decision_vendor(result: Comparison, sens: Sensitivity) -> VendorSensitivity | None:
    """The vendor the decision is about: the one recommended, else the best quote the
    scorecard allows (else the best quote)."""
    if not sens.vendors or not result.vendors:
        return None
    if result.recommendation != IN_HOUSE:
        name = result.recommendation
    else:
        card = result.scorecard
        allowed = [v for v in result.vendors if card is None or not card.below_minimum(v["score"])]
        name = max(allowed or result.vendors, key=lambda v: v["npv_savings"] or 0.0).name
    return next((v for v in sens.vendors if v.name == name), sens.vendors[0])


def driver_rows(vendor: VendorSensitivity) -> list[InputSwing]:
    return sorted(vendor.inputs, key=lambda r: -r.swing)[:DRIVERS_SHOWN]


def assumed_inputs(vendor: VendorSensitivity | None) -> list[InputSwing]:
    return [] if vendor is None else sorted(vendor.inputs, key=lambda r: -r.swing)[:ASSUMED_INPUTS]


def css_string(text: str) -> str:
    """Text as a CSS string literal that is safe inside <style>: everything but letters,
    digits and spaces as a hex escape (no quote, backslash or `<` survives as itself)."""
    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


# ------------------------------------------------------------------ rendering


def _environment() -> Any:
    import jinja2
    from markupsafe import Markup

    from ... import __version__
    from ..format import BLACK, BLUE, DARK_GREY, GREEN, LIGHT_GREY, ORANGE, VERMILLION

    def template(name: str) -> str:
        return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(template),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = lambda text: Markup(css_string(text))
    env.globals.update(
        palette={
            "black": BLACK,
            "blue": BLUE,
            "green": GREEN,
            "orange": ORANGE,
            "vermillion": VERMILLION,
            "dark_grey": DARK_GREY,
            "light_grey": LIGHT_GREY,
        },
        stylesheet=Markup(template("memo.css")),  # the package's own file, not input
        version=__version__,
    )
    return env


def render_html(report: Report) -> str:
    """The memo as one HTML document: styles, charts and text inline, no scripts."""
    from markupsafe import Markup

    from ...scenarios.baseline import UNCHANGED
    from ..baseline import delta, label, summary, value
    from ..simulate import sentence

    result, sens, sim = report.comparison, report.sensitivity, report.simulation
    cur = result.currency
    focus = decision_vendor(result, sens)
    figures = [comparison_figure(result)]
    if focus is not None:
        figures.append(tornado_figure(sens, focus))
    histograms = [] if sim is None else [histogram_figure(sim, i) for i in range(len(sim.vendors))]
    changes = None
    if report.diff is not None:
        rows = report.diff.changes
        changes = {
            "summary": summary(rows, report.diff.source),
            "source": report.diff.source,
            "rows": [
                [
                    {"": "The whole run", IN_HOUSE: "In house"}.get(r.option, r.option),
                    label(r.key),
                    value(r, r.old, cur, result.unit),
                    value(r, r.new, cur, result.unit),
                    delta(r, cur, result.unit),
                ]
                for r in rows
                if r.status != UNCHANGED
            ],
        }

    def named(path: str, vendor: int | None = None) -> NamedInput:
        return named_input(report.case, path, vendor)

    focus_index = None if focus is None else sens.vendors.index(focus)
    notes = [*result.notes]
    if sim is not None:
        notes += [n for n in sim.notes if n not in notes]
    # the same move is usually skipped for every vendor: say it once
    skipped = list(dict.fromkeys(note for v in sens.vendors for note in v.skipped))
    context = {
        "report": report,
        "result": result,
        "title": f"{result.in_house.name}: make or buy",
        "decision": verdict(result),
        "names": ["In house", *(v.name for v in result.vendors)],
        "marked": [
            ("In house", result.recommendation == IN_HOUSE),
            *((v.name, v.name == result.recommendation) for v in result.vendors),
        ],
        "comparison_rows": comparison_rows(result),
        "breakdown_rows": breakdown_rows(result),
        "scorecard": None if result.scorecard is None else scorecard_rows(result),
        "paybacks": [(v.name, payback(v)) for v in result.vendors],
        "figures": [Markup(f.svg) for f in figures],
        "captions": [f.title for f in figures],
        "focus": focus,
        "sensitivity": sens,
        "drivers": [
            (
                v.name,
                [_driver(named(r.path, i), r) for r in driver_rows(v)],
            )
            for i, v in enumerate(sens.vendors)
        ],
        "simulation": sim,
        "outcomes": []
        if sim is None
        else [
            (v, sentence(v, cur), Markup(f.svg), f.title)
            for v, f in zip(sim.vendors, histograms, strict=True)
        ],
        "changes": changes,
        "assumed": [_driver(named(r.path, focus_index), r) for r in assumed_inputs(focus)],
        "overrides": list(result.overrides.items()),
        "notes": notes,
        "skipped": skipped,
        "money": lambda x: money(x, cur),
        "money_cents": lambda x: money(x, cur, cents=True),
        "percent": percent,
        "share": share,
        "score": score,
        "methodology": METHODOLOGY,
        "drivers_shown": DRIVERS_SHOWN,
        "input_value": lambda path, x: _input_value(named(path), x),
    }
    text: str = _environment().get_template("memo.html.j2").render(context)
    return text


def _driver(name: NamedInput, r: InputSwing) -> tuple[InputSwing, str, str, str]:
    """An input of the sensitivity tables: the swing, what it is, today's value and
    where it flips the decision (to 4 figures, as the tornado writes it)."""
    flip = "—" if r.flip_value is None else computed_input(r.flip_value, name.unit, name.currency)
    return r, name.label, input_value(r.base, name.unit, name.currency), flip


def _input_value(name: NamedInput, x: Any) -> str:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return str(x)
    return input_value(float(x), name.unit, name.currency)


def render_pdf(html: str) -> bytes:
    """The memo printed to PDF by WeasyPrint (the print stylesheet lays out the pages)."""
    require_pdf()
    import weasyprint

    data: bytes = weasyprint.HTML(string=html).write_pdf()
    return data
