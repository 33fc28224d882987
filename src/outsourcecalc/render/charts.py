"""Charts for the meeting room: PNG or SVG files drawn with matplotlib (the `charts` extra).

matplotlib is imported inside the functions only, so `compare` without `--chart`
never pays for it. Each chart is drawn on its own Figure (no pyplot, no global
state), at slide size (16:9, text of 12 pt and more), in the Okabe-Ito
colour-blind-safe palette, and saved deterministically: fixed SVG ids, no
dates or software versions in the file. Nothing is computed here that the
engine owns: payback months, percentiles and sweep grids come in as results.
"""

from __future__ import annotations

import functools
import io
import textwrap
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import NDArray

from ..engine.results import Comparison
from ..errors import UsageError
from ..inputs.paths import NamedInput, named_input
from ..rules import IN_HOUSE, IN_HOUSE_PARTS, VENDOR_PARTS, is_zero, loses, wins
from .format import (
    BLACK,
    BLUE,
    DARK_GREY,
    GREEN,
    GREY,
    LABELS,
    LIGHT_GREY,
    ORANGE,
    PURPLE,
    SKY,
    VERMILLION,
    YELLOW,
    computed_input,
    currency_symbol,
    money,
    money_short,
    months,
    percent,
    score,
    share,
)
from .output import check_target, write_atomically
from .words import scenario_line

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap, Normalize
    from matplotlib.figure import Figure

    from ..inputs.case import Case
    from ..scenarios.sensitivity import InputSwing, Sensitivity, VendorSensitivity
    from ..scenarios.simulate import Simulation, VendorOutcome
    from ..scenarios.sweep import Sweep

MISSING = "charts need matplotlib: pip install 'outsourcecalc[charts]'"
FORMATS = (".png", ".svg")

# Vendor lines: colour and dash both differ, so the chart survives a grey-scale printer.
LINE_STYLES = [
    (BLUE, "--"),
    (ORANGE, "-."),
    (GREEN, ":"),
    (VERMILLION, (0, (5, 1, 1, 1, 1, 1))),
    (PURPLE, (0, (8, 2))),
    (SKY, "--"),
]
# Stacked-bar segments: colour, hatch. Hatching separates the pairs that share a colour.
SEGMENTS: dict[str, tuple[str, str]] = {
    "salaries": (BLUE, ""),
    "benefits": (SKY, ""),
    "hiring": (GREEN, ""),
    "overheads": (GREY, ""),
    "variable": (YELLOW, ""),
    "one_time": (PURPLE, ""),
    "fees": (ORANGE, ""),
    "sla_credits": (ORANGE, "//"),
    "governance": (VERMILLION, ""),
    "risk_reserve": (VERMILLION, "//"),
    "retained_staff": (BLUE, "//"),
    "remaining_in_house": (LIGHT_GREY, ""),
    "transition": (PURPLE, "//"),
    "switch_benefits": (GREEN, "//"),
}
IN_HOUSE_SEGMENTS = IN_HOUSE_PARTS  # the engine's breakdown keys, in its order
# a vendor's benefits of the switch (its breakdown's "benefits") are a segment of their own
VENDOR_SEGMENTS = (*VENDOR_PARTS, "switch_benefits")

SLIDE_INCHES = (40 / 3, 7.5)  # a 16:9 slide as PowerPoint lays it out: 2000 x 1125 px
# characters per line of a title across the slide: 18 pt bold, and a panel's 15 pt bold
TITLE_WIDTH, PANEL_TITLE_WIDTH = 80, 95
PNG_DPI = 150
STYLE: dict[str, Any] = {
    "font.family": "sans-serif",
    # DejaVu Sans draws the PNG; the others are what an SVG viewer will likely have.
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "font.size": 13,
    "axes.titlesize": 15,
    "axes.titleweight": "bold",
    "axes.labelsize": 13,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "figure.titlesize": 18,
    "figure.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#E0E0E0",
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "hatch.color": "white",
    "text.parse_math": False,  # "$5.1M to $7.2M" is money, not a formula between dollars
    "svg.fonttype": "none",  # text stays text: searchable, editable on the slide
    "svg.hashsalt": "outsourcecalc",  # the same ids in every run
}


# -- file handling ------------------------------------------------------------


def chart_format(path: str | Path, option: str = "--chart") -> str:
    """'png' or 'svg' from the file's extension; a UsageError for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UsageError.option(
            f"{option} {path}",
            f"a chart is written as .png or .svg, not {suffix or 'a file without an extension'}",
        )
    return suffix[1:]


def check_chart_path(
    path: str | Path, option: str = "--chart", inputs: Sequence[str | Path] = ()
) -> None:
    """Everything that can be checked before any work: extension, target, matplotlib."""
    chart_format(path, option)
    check_target(Path(path), option, inputs)
    _require_matplotlib(option)


def _require_matplotlib(option: str = "--chart") -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UsageError.option(option, MISSING) from None


@contextmanager
def _style() -> Iterator[None]:
    _require_matplotlib()
    import matplotlib

    with matplotlib.rc_context(cast("dict[Any, Any]", STYLE)), warnings.catch_warnings():
        # with absurd inputs (figures of 30 digits) the layout engine gives up on a panel
        # and says so with a source path: the chart is still drawn, the user needs no trace
        warnings.filterwarnings("ignore", "constrained_layout not applied", UserWarning)
        yield


def _figure(height: float = SLIDE_INCHES[1]) -> Figure:
    """A slide-wide figure; taller than a slide only to stack one panel per vendor."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(SLIDE_INCHES[0], height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _subfigures(fig: Figure, rows: int, columns: int, **options: Any) -> list[Any]:
    """A panel per vendor, in reading order: each has its own title, axes and layout."""
    grid: Any = fig.subfigures(rows, columns, **options)
    return list(np.ravel(grid))


def _save(fig: Figure, path: str | Path, title: str) -> None:
    """Write the figure atomically (never a half-written file), with no dates or versions."""
    fmt = chart_format(path)
    metadata: dict[str, str | None]
    if fmt == "svg":
        metadata = {"Title": title, "Date": None, "Creator": None}
    else:
        metadata = {"Title": title, "Software": None}
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=metadata)
    write_atomically(Path(path), buffer.getvalue(), "--chart")


# -- formatting helpers -------------------------------------------------------


def _money_axis(axis: Any, currency: str) -> None:
    """Tick labels as $1.2M, with just enough decimals to show every tick exactly.

    A currency without a symbol is left to the axis label: '6M', not 'PLN 6M' on every tick.
    """
    from matplotlib.ticker import Formatter

    shown = currency if currency_symbol(currency) else ""

    class MoneyFormatter(Formatter):
        decimals = 1

        def set_locs(self, locs: list[float]) -> None:
            super().set_locs(locs)
            for self.decimals in range(4):
                exact = [money_short(x, shown, self.decimals + 3) for x in locs]
                if exact == [money_short(x, shown, self.decimals) for x in locs]:
                    break

        def __call__(self, x: float, pos: int | None = None) -> str:
            return money_short(x, shown, self.decimals)

    axis.set_major_formatter(MoneyFormatter())


@functools.cache
def _wrap(text: str, width: int) -> str:
    """Lines of at most `width` characters, keeping the line breaks the text has."""
    return "\n".join("\n".join(textwrap.wrap(line, width)) or line for line in text.split("\n"))


def _cumulative(monthly: Sequence[float]) -> NDArray[np.float64]:
    return np.cumsum(np.asarray(monthly, dtype=float))


# -- compare ------------------------------------------------------------------


def comparison_chart(result: Comparison, path: str | Path) -> None:
    """Cumulative cost of every option with its payback point, beside the cost breakdown;
    with a scorecard, the value map (NPV savings against score) as a third panel. The
    title states the answer (`comparison_headline`)."""
    chart_format(path)
    if not result.in_house.monthly:
        raise ValueError("comparison_chart needs the monthly costs in the result")
    title = comparison_headline(result)
    with _style():
        fig = _figure()
        fig.suptitle(
            _wrap(title, TITLE_WIDTH) + _scenario(scenario_line(result.scenario)),
            x=0.01,
            ha="left",
        )
        card = result.scorecard is not None
        grid = fig.add_gridspec(
            1, 3 if card else 2, width_ratios=[1.05, 0.95, 1] if card else [1.1, 1]
        )
        left, right = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
        paybacks = _cumulative_panel(left, result, narrow=card)
        names, region = _value_map_panel(fig.add_subplot(grid[2]), result) if card else ([], None)
        totals = _breakdown_panel(right, result, below=card, extra=region)
        # Labels placed by measuring text need the final layout, so they come last.
        _fit_totals(fig, right, totals)
        _label_paybacks(fig, left, paybacks)
        _keep_inside(fig, names)
        _save(fig, path, title)


def _value_map_panel(ax: Axes, result: Comparison) -> tuple[list[Any], tuple[Any, str]]:
    """NPV savings against score: one point per vendor, in house at zero savings.

    The shaded corner (saves money, passes the minimum score) is where a recommendation
    can come from; the recommended vendor's label is bold. Returns the points' labels, and
    the shaded region with its text for the legend.
    """
    card = result.scorecard
    assert card is not None
    cur = result.currency
    floor = card.min_score if card.min_score is not None else 0.0
    points = [
        (v.name, v["score"], v["npv_savings"] or 0.0, LINE_STYLES[i % len(LINE_STYLES)][0])
        for i, v in enumerate(result.vendors)
    ]
    labels: list[Any] = []
    savings = [y for _, _, y, _ in points] + [0.0]
    low, high = min(savings), max(savings)
    pad = 0.18 * ((high - low) or abs(high) or 1.0)
    ax.set_ylim(low - pad, high + pad)
    ax.set_xlim(0, card.scale)
    top = max(high + pad, pad)
    region = ax.fill_between(
        [floor, card.scale], 0, top, color=GREEN, alpha=0.14, linewidth=0, zorder=0
    )
    ax.axhline(0, color=BLACK, linewidth=1.2)
    if card.min_score is not None:
        ax.axvline(card.min_score, color=VERMILLION, linestyle="--", linewidth=2)
        # along the line, half way up: points sit at the top (savings) or near zero
        ax.annotate(
            f"minimum score {score(card.min_score)}",
            xy=(card.min_score, 0.5),
            xycoords=("data", "axes fraction"),
            xytext=(-4, 0),
            textcoords="offset points",
            rotation=90,
            ha="right",
            va="center",
            fontsize=12,
            fontweight="bold",
            color=VERMILLION,
        ).set_in_layout(False)
    if result.in_house.score is not None:
        ax.plot([result.in_house.score], [0.0], marker="s", markersize=13, color=BLACK, zorder=5)
        labels.append(_point_label(ax, result.in_house.score, 0.0, "In house", BLACK, card.scale))
    else:
        ax.text(
            0.02,
            0.0,
            "In house (not scored): 0",
            transform=ax.get_yaxis_transform(),
            va="bottom",
            fontsize=11,
        ).set_in_layout(False)
    for name, x, y, color in points:
        if x is None:
            continue
        ax.plot(
            [x],
            [y],
            marker="o",
            markersize=14,
            color=color,
            markeredgecolor="white",
            markeredgewidth=1.5,
            zorder=5,
        )
        bold = name == result.recommendation
        labels.append(_point_label(ax, x, y, _wrap(name, 24), color, card.scale, bold))
    ax.set_xlabel(f"Score (0 to {card.scale:g})")
    ax.set_ylabel(f"NPV savings of outsourcing ({cur})")
    ax.set_title("Value map", loc="left")
    _money_axis(ax.yaxis, cur)
    passes = "saves money, passes\nthe minimum score" if card.min_score is not None else ""
    return labels, (region, passes or "saves money")


def _point_label(
    ax: Axes, x: float, y: float, text: str, color: str, scale: float, bold: bool = False
) -> Any:
    """A point's name beside it, level with it, on the side with more room."""
    left = x > 0.5 * scale  # the other side when the label does not fit: _keep_inside
    label = ax.annotate(
        text,
        xy=(x, y),
        xytext=(-14 if left else 14, 0),
        textcoords="offset points",
        ha="right" if left else "left",
        va="center",
        fontsize=12,
        fontweight="bold" if bold else "normal",
        color=BLACK,
        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": color, "alpha": 0.9},
        zorder=6,
    )
    label.set_in_layout(False)
    return label


def _keep_inside(fig: Figure, labels: Sequence[Any]) -> None:
    """A point's label that would leave its plot goes to the other side of the point, or,
    when neither side has room, above it."""
    if not labels:
        return
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for label in labels:
        box = label.axes.get_window_extent(renderer)
        extent = label.get_window_extent(renderer)
        if box.x0 <= extent.x0 and extent.x1 <= box.x1:
            continue
        dx = label.xyann[0]
        label.xyann = (-dx, 0)
        label.set_horizontalalignment("left" if dx < 0 else "right")
        extent = label.get_window_extent(renderer)
        if box.x0 <= extent.x0 and extent.x1 <= box.x1:
            continue
        label.xyann = (0, 14)
        label.set_horizontalalignment("center")
        label.set_verticalalignment("bottom")


def _cumulative_panel(
    ax: Axes, result: Comparison, narrow: bool = False
) -> list[tuple[float, float, str]]:
    """Lines of cumulative cost; returns the payback points (month, cost, colour)."""
    from matplotlib.ticker import MaxNLocator

    horizon = result.horizon_months
    month = np.arange(horizon + 1)
    in_house = _cumulative(result.in_house.monthly)
    ax.plot(month, in_house, color=BLACK, linewidth=3, label="In house", zorder=4)
    paybacks: list[tuple[float, float, str]] = []
    for i, vendor in enumerate(result.vendors):
        color, dash = LINE_STYLES[i % len(LINE_STYLES)]
        payback = vendor["payback_months"]
        label = _wrap(vendor.name, 40 if len(result.vendors) <= 3 and not narrow else 28)
        if payback is None:
            label += f"\n(no payback in {horizon} months)"
        ax.plot(
            month,
            _cumulative(vendor.monthly),
            color=color,
            linestyle=dash,
            linewidth=2.6,
            label=label,
        )
        if payback is not None:
            # The lines cross where cumulative savings reach 0: that is the payback point.
            y = float(np.interp(payback, month, in_house))
            paybacks.append((payback, y, color))
            ax.plot(
                [payback],
                [y],
                marker="o",
                markersize=11,
                markerfacecolor="white",
                markeredgecolor=color,
                markeredgewidth=2.5,
                zorder=5,
            )
    ax.set_xlim(0, horizon)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("Month (0 = signing)")
    ax.set_ylabel(f"Cumulative cost ({result.currency})")
    ax.set_title("Cumulative cost", loc="left")
    _money_axis(ax.yaxis, result.currency)
    ax.xaxis.set_major_locator(
        MaxNLocator(nbins=6 if narrow else 12, integer=True, steps=[1, 2, 3, 6, 10])
    )
    if len(result.vendors) <= 3:
        # The top left is empty: every line starts low on the left.
        ax.legend(
            loc="upper left",
            frameon=True,
            framealpha=0.95,
            edgecolor="#D0D0D0",
            fontsize=11 if narrow else None,
        )
    else:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncols=2, frameon=False)
    return paybacks


def _label_paybacks(fig: Figure, ax: Axes, paybacks: Sequence[tuple[float, float, str]]) -> None:
    """'pays back in month 7.1' beside each payback point, stacked when points are close.

    Labels go below and to the right of their point (under the in-house line, where the
    chart is usually empty), above it near the bottom, and to the left near the right edge.
    """
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = ax.get_window_extent(renderer)
    taken: list[tuple[float, float, float, float]] = []
    for payback, y, color in sorted(paybacks):
        text = (
            "pays back from the start" if payback == 0 else f"pays back in month {months(payback)}"
        )
        label = ax.annotate(
            text,
            xy=(payback, y),
            xytext=(0, 0),
            textcoords="offset points",
            fontsize=12,
            fontweight="bold",
            arrowprops={"arrowstyle": "-", "color": color, "linewidth": 1.5},
            bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": color},
            zorder=6,
        )
        extent = label.get_window_extent(renderer)
        width, height = extent.width + 12, extent.height + 8
        px, py = (float(v) for v in ax.transData.transform((payback, y)))
        to_left = px + 24 + width > box.x1
        above = py - 40 - height < box.y0
        step = 1 if above else -1
        x0 = max(px - 24 - width, box.x0 + 2) if to_left else px + 24
        y0 = py + 30 if above else py - 30 - height
        # Move along the column until the box touches no earlier label (turning back at the
        # edge of the plot, and giving up rather than leaving it).
        for _ in range(4 * len(paybacks)):
            if not any(
                x0 < bx1 and x0 + width > bx0 and y0 < by1 and y0 + height > by0
                for bx0, by0, bx1, by1 in taken
            ):
                break
            if not box.y0 <= y0 + step * height <= box.y1 - height:
                step = -step
            y0 += step * height
        label.set_in_layout(False)  # placed by hand, after the layout: keep it out of it
        taken.append((x0, y0, x0 + width, y0 + height))
        points = 72 / fig.dpi
        label.set_horizontalalignment("right" if to_left else "left")
        label.set_verticalalignment("bottom")
        anchor_x = x0 + width - 6 if to_left else x0 + 6
        label.xyann = ((anchor_x - px) * points, (y0 + 4 - py) * points)


def _breakdown_panel(
    ax: Axes, result: Comparison, below: bool = False, extra: tuple[Any, str] | None = None
) -> list[Any]:
    """Horizontal stacked bars, one per option: long vendor names stay readable.

    Returns the total labels at the ends of the bars, for `_fit_totals`. `below` puts the
    legend under the figure, with `extra` (a handle and its text) at its end.
    """
    from matplotlib.ticker import MaxNLocator

    cur = result.currency
    options: list[tuple[str, Mapping[str, float], float, Sequence[str]]] = [
        ("In house", result.in_house.breakdown, result.in_house.tco, IN_HOUSE_SEGMENTS)
    ]
    for vendor in result.vendors:
        own = dict(vendor.breakdown)
        own["switch_benefits"] = own.pop("benefits", 0.0)
        options.append((vendor.name, own, vendor["tco"] or 0.0, VENDOR_SEGMENTS))
    y = np.arange(len(options))[::-1]  # in house on top
    height = 0.62 if len(options) > 3 else 0.5
    shown: list[str] = []
    tops = []
    for i, (_, parts, _, keys) in enumerate(options):
        up, down = 0.0, 0.0
        for key in keys:
            amount = parts.get(key, 0.0)
            if is_zero(amount):
                continue
            color, hatch = SEGMENTS[key]
            ax.barh(
                y[i],
                amount,
                height,
                left=up if amount > 0 else down,
                color=color,
                hatch=hatch,
                edgecolor="white",
                linewidth=0.8,
                label=LABELS[key] if key not in shown else "_nolegend_",
            )
            if key not in shown:
                shown.append(key)
            if amount > 0:
                up += amount
            else:
                down += amount
        tops.append(up)
    totals = []
    for i, (_, _, tco, _) in enumerate(options):
        total = ax.annotate(
            money_short(tco, cur, figures=3, trim=False),
            xy=(tops[i], y[i]),
            xytext=(5, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=13,
            fontweight="bold",
        )
        total.set_in_layout(False)
        totals.append(total)
    ax.axvline(0, color=BLACK, linewidth=0.8)
    ax.set_yticks(y, [_wrap(name, 22) for name, _, _, _ in options])
    ax.set_ylim(-0.6, len(options) - 0.4)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(f"Total cost over the horizon ({cur})")
    ax.set_title("Cost breakdown (bar = TCO)", loc="left")
    _money_axis(ax.xaxis, cur)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=3 if below else 5, steps=[1, 2, 2.5, 5, 10]))
    # In the order of the stacks, left to right: in-house parts, then the vendor options'.
    handles, labels = ax.get_legend_handles_labels()
    order = [LABELS[key] for key in (*IN_HOUSE_SEGMENTS, *VENDOR_SEGMENTS)]
    ranked = sorted(zip(labels, handles, strict=True), key=lambda pair: order.index(pair[0]))
    if below:  # beside the value map there is no room on the right: one row under all
        if extra is not None:
            ranked.append((extra[1], extra[0]))
        ax.figure.legend(
            [h for _, h in ranked],
            [label for label, _ in ranked],
            loc="outside lower center",
            ncols=min(len(ranked), 7),
            frameon=False,
            handlelength=1.6,
            fontsize=11,
        )
        return totals
    ax.legend(
        [h for _, h in ranked],
        [label for label, _ in ranked],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        handlelength=1.6,
    )
    return totals


def _fit_totals(fig: Figure, ax: Axes, totals: Sequence[Any]) -> None:
    """Widen the value axis until the longest total label ends inside the plot."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for _ in range(3):  # the axis range changes the tick labels and so the layout: settle
        fig.draw_without_rendering()
        box = ax.get_window_extent(renderer)
        overflow = max(t.get_window_extent(renderer).x1 for t in totals) + 8 - box.x1
        if overflow <= 0:
            return
        low, high = ax.get_xlim()
        ax.set_xlim(low, high + overflow * (high - low) / box.width)


# -- names and headlines ------------------------------------------------------

MAX_PANELS = 4  # more stacked panels stop being readable on a slide: --vendor NAME


def _named(case: Case | None, path: str, vendor: int | None = None) -> NamedInput:
    """The input a path names, as headings call it ("Agent: annual salary"), read in the
    panel's `vendor`: the one naming rule of inputs/paths.py; without the case, the path."""
    return NamedInput(path, path, "", "") if case is None else named_input(case, path, vendor)


def _shown(name: NamedInput, x: float) -> str:
    """An input's value as a reader writes it on a slide: 8% for a rate, $42,000 for
    money, a computed value to 4 figures."""
    return computed_input(x, name.unit, name.currency)


def check_vendor(names: Sequence[str], vendor: str | None) -> None:
    """`--vendor NAME` names one of the vendors; else a UsageError naming the vendors."""
    if vendor is not None and vendor not in names:
        raise UsageError.option(
            f"--vendor {vendor}", f"no vendor has this name; the vendors are: {', '.join(names)}"
        )


def _panels(
    names: Sequence[str], savings: Sequence[float], vendor: str | None
) -> tuple[list[int], str]:
    """The vendors to draw, one panel each: the one asked for, else every vendor with the
    highest NPV savings first (the recommendation unless a scorecard rules it out), at
    most MAX_PANELS; with a note when some are left out."""
    check_vendor(names, vendor)
    if vendor is not None:
        return [list(names).index(vendor)], ""
    order = sorted(range(len(names)), key=lambda i: -savings[i])  # stable: file order on ties
    if len(order) <= MAX_PANELS:
        return order, ""
    return order[:MAX_PANELS], (
        f"The {MAX_PANELS} of {len(names)} vendors that save most; "
        "--vendor NAME draws any one of them"
    )


def _share(x: float) -> str:
    """A share for a title: 137%, 64%, and 0.4% where whole percents would say 0%."""
    return percent(x, 0 if abs(x) >= 0.01 else 1)


def comparison_headline(result: Comparison) -> str:
    """The answer, for the compare chart's title: who wins, by how much in today's money,
    and how far the price would have to move to change the decision."""
    cur, horizon = result.currency, result.horizon_months
    if result.recommendation != IN_HOUSE:
        v = next(v for v in result.vendors if v.name == result.recommendation)
        text = (
            f"Outsourcing to {v.name} saves {_money3(v['npv_savings'] or 0.0, cur)} "
            f"(NPV) over {horizon} months"
        )
        change = v["break_even_price_change"]
        if change is not None and change > 0:
            text += f"; the decision flips if its price rises {_share(change)}"
        return text
    if not result.vendors:
        return "Keeping it in house: no vendor quote to compare"
    best = max(result.vendors, key=lambda v: v["npv_savings"] or 0.0)
    npv = best["npv_savings"] or 0.0
    if wins(npv):  # only a scorecard keeps the work in house when a vendor saves money
        return (
            f"Keeping it in house: {best.name} saves {_money3(npv, cur)} (NPV) "
            "but scores below the minimum"
        )
    text = (
        f"Keeping it in house saves {_money3(-npv, cur)} (NPV) over {horizon} months "
        f"against the best quote, {best.name}"
    )
    change = best["break_even_price_change"]
    if change is not None and change <= -1:
        text += "; no price cut makes it pay"
    elif change is not None and change < 0:
        text += f"; the decision flips if its price falls {_share(-change)}"
    return text


def _tornado_headline(vendor: VendorSensitivity, labels: Mapping[str, NamedInput], cur: str) -> str:
    """'Acme: Agent: annual salary moves NPV savings most ($5.1M to $7.2M); the smallest
    change that flips the decision: Monthly volume falls 64% to 18,898'."""
    if not vendor.inputs:
        return f"{vendor.name}: saves {_money3(vendor.base_npv_savings, cur)} (NPV); no input moved"
    top = max(vendor.inputs, key=lambda r: r.swing)
    low, high = sorted((top.npv_savings_low, top.npv_savings_high))
    text = (
        f"{vendor.name}: {labels[top.path].label} moves NPV savings most "
        f"({_money3(low, cur)} to {_money3(high, cur)})"
    )
    flips = [r for r in vendor.inputs if r.flip_value is not None and r.base != 0]
    if not flips:
        return text + "; no single input flips the decision"
    nearest = min(flips, key=lambda r: abs((r.flip_value or 0.0) / r.base - 1))
    flip = nearest.flip_value or 0.0
    change = flip / nearest.base - 1
    moves = "rises" if change > 0 else "falls"
    what = "it" if nearest is top else labels[nearest.path].label
    return (
        f"{text}; the decision flips if {what} {moves} {_share(abs(change))} "
        f"to {_shown(labels[nearest.path], flip)}"
    )


# -- scenario charts ----------------------------------------------------------

TORNADO_MAX_ROWS = 12  # one vendor's tornado on a slide
PANEL_MAX_ROWS = 8  # each of several vendors' tornadoes


def tornado_chart(result: Sensitivity, path: str | Path, *, vendor: str | None = None) -> None:
    """How far NPV savings move when each input goes to its low and high value: one panel
    per vendor, highest NPV savings first (or only `vendor`), the largest swings on top."""
    chart_format(path)
    cur = result.currency
    names = [v.name for v in result.vendors]
    chosen, left_out = _panels(names, [v.base_npv_savings for v in result.vendors], vendor)
    most = TORNADO_MAX_ROWS if len(chosen) == 1 else PANEL_MAX_ROWS
    drawn = []
    for index in chosen:
        v = result.vendors[index]
        labels = {r.path: _named(result.case, r.path, index) for r in v.inputs}
        drawn.append((v, labels, sorted(v.inputs, key=lambda r: -r.swing)[:most]))
    title = _tornado_headline(drawn[0][0], drawn[0][1], cur)
    with _style():
        if len(drawn) == 1:
            fig = _figure()
            fig.suptitle(_wrap(title, TITLE_WIDTH), x=0.01, ha="left")
            panels: list[Any] = [fig]
        else:
            heights = [1.9 + 0.5 * max(len(rows), 1) for _, _, rows in drawn]
            fig = _figure(sum(heights) + 0.6)
            panels = _subfigures(fig, len(drawn), 1, height_ratios=heights)
        axes = []
        for k, (panel, (v, labels, rows)) in enumerate(zip(panels, drawn, strict=True)):
            if len(drawn) > 1:
                heading = title if k == 0 else _tornado_headline(v, labels, cur)
                panel.suptitle(_wrap(heading, PANEL_TITLE_WIDTH), x=0.01, ha="left", fontsize=15)
            ax = panel.add_subplot()
            axes.append(ax)
            note = (
                f"the {len(rows)} largest swings of {len(v.inputs)} inputs"
                if len(v.inputs) > len(rows)
                else f"{len(v.inputs)} inputs, largest swing on top"
            )
            lines = [f"Each input at its low and high value, the others at base ({note})"]
            if k == 0 and left_out:
                lines.append(left_out)
            marks, far = _tornado_panel(ax, v, labels, rows, cur)
            if far:
                lines.append(far)
            _subtitle(ax, "\n".join(lines), scenario_line(result.scenario) if k == 0 else "")
            if k == 0:
                _bottom_legend(fig, ax)
            _label_vlines(fig, ax, marks)
        _save(fig, path, title)


def _tornado_panel(
    ax: Axes,
    vendor: VendorSensitivity,
    labels: Mapping[str, NamedInput],
    rows: Sequence[InputSwing],
    cur: str,
) -> tuple[list[tuple[float, str, str]], str]:
    """One vendor's bars; the right-hand column says where each input flips the decision.
    Returns the vertical lines to label, and a note when break-even is off the chart."""
    base = vendor.base_npv_savings
    y = np.arange(len(rows))[::-1]  # the largest swing on top
    ends = [base]
    for i, row in enumerate(rows):
        sides = []
        for end, at, value in (
            ("low", row.low, row.npv_savings_low),
            ("high", row.high, row.npv_savings_high),
        ):
            ends.append(value)
            ax.barh(
                y[i],
                value - base,
                0.66,
                left=base,
                color=BLUE if end == "low" else ORANGE,
                edgecolor="white",
                label=f"input at its {end} value" if i == 0 else "_nolegend_",
            )
            sides.append((at, value))
        # Both ends on one side of base: the shorter bar's value goes on the other side,
        # where it cannot sit on top of the longer bar.
        shift = [value - base for _, value in sides]
        for k, (at, value) in enumerate(sides):
            right = value >= base
            if shift[0] * shift[1] >= 0 and abs(shift[k]) < abs(shift[1 - k]):
                right = shift[1 - k] < 0
            ax.annotate(
                _shown(labels[row.path], at),
                xy=(value if right == (value >= base) else base, y[i]),
                xytext=(6 if right else -6, 0),
                textcoords="offset points",
                ha="left" if right else "right",
                va="center",
                fontsize=12,
            )
        flip = "—" if row.flip_value is None else _shown(labels[row.path], row.flip_value)
        ax.annotate(
            flip,
            xy=(1.0, y[i]),
            xycoords=ax.get_yaxis_transform(),
            xytext=(14, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=12,
        )
    ax.annotate(
        "decision\nflips at",
        xy=(1.0, 1.0),
        xycoords="axes fraction",
        xytext=(14, 0),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=12,
        fontweight="bold",
        color=VERMILLION,
    )
    ax.set_yticks(y, [_wrap(labels[row.path].label, 40) for row in rows])
    ax.set_ylim(-0.7, len(rows) + 0.3)  # room on top for the line labels
    ax.grid(axis="y", visible=False)
    ax.axvline(base, color=BLACK, linewidth=1.5)
    marks = [(base, f"base {_money3(base, cur)}", BLACK)]
    low, high = min(ends), max(ends)
    span = (high - low) or abs(high) or 1.0
    # Break-even is drawn when it is near the bars; far off, it would squash them.
    far = ""
    if low - 0.5 * span <= 0 <= high + 0.5 * span:
        ax.axvline(0, color=VERMILLION, linewidth=1.8, linestyle="--")
        marks.append((0.0, "break-even", VERMILLION))
    else:
        far = f"Break-even ({money(0, cur)}) is off the chart, far to the "
        far += "left" if low > 0 else "right"
    ax.margins(x=0.12)
    ax.set_xlabel(f"NPV savings of outsourcing ({cur})")
    _money_axis(ax.xaxis, cur)
    return marks, far


def histogram_chart(result: Simulation, path: str | Path, *, vendor: str | None = None) -> None:
    """The distribution of NPV savings over the simulated trials, with P5/P50/P95 and
    break-even: one panel per vendor on one scale, highest median first (or only `vendor`)."""
    chart_format(path)
    cur = result.currency
    names = [v.name for v in result.vendors]
    chosen, left_out = _panels(names, [v.npv.p50 for v in result.vendors], vendor)
    drawn = [result.vendors[i] for i in chosen]
    for v in drawn:
        if np.asarray(v.npv_savings).size == 0:
            raise ValueError("histogram_chart needs at least one trial")
    headlines = [_histogram_headline(v, cur) for v in drawn]
    with _style():
        if len(drawn) == 1:
            fig = _figure()
            fig.suptitle(_wrap(headlines[0], TITLE_WIDTH), x=0.01, ha="left")
            panels: list[Any] = [fig]
        else:
            fig = _figure(0.8 + 3.6 * len(drawn))
            panels = _subfigures(fig, len(drawn), 1)
        for k, (panel, v) in enumerate(zip(panels, drawn, strict=True)):
            if len(drawn) > 1:
                heading = _wrap(headlines[k], PANEL_TITLE_WIDTH)
                panel.suptitle(heading, x=0.01, ha="left", fontsize=15)
            # each panel on its own scale: on a shared one a narrow spread is a single bar
            ax = panel.add_subplot()
            marks, note = _histogram_panel(ax, v, cur)
            if k == 0 and left_out:
                note += "\n" + left_out
            _subtitle(ax, note, scenario_line(result.scenario) if k == 0 else "")
            _label_vlines(fig, ax, marks)
        # both sides in the legend, whichever the first panel's trials fall on
        from matplotlib.patches import Patch

        sides = [(color, label) for _, color, label in _histogram_sides(np.array([True]))]
        fig.legend(
            [Patch(color=color) for color, _ in sides],
            [label for _, label in sides],
            loc="outside lower center",
            ncols=2,
            frameon=False,
        )
        _save(fig, path, headlines[0])


def _histogram_sides(saves: NDArray[np.bool_]) -> list[tuple[NDArray[np.bool_], str, str]]:
    """The bins on each side of break-even, with their colour and name in the legend."""
    return [(~saves, VERMILLION, "in house cheaper"), (saves, BLUE, "outsourcing cheaper")]


def _histogram_headline(v: VendorOutcome, cur: str) -> str:
    trials = np.asarray(v.npv_savings).size
    return (
        f"{v.name}: outsourcing is cheaper in {share(v.p_win, 0)} of {trials:,} trials "
        f"(median NPV savings {_money3(v.npv.p50, cur)})"
    )


def _histogram_panel(
    ax: Axes, v: VendorOutcome, cur: str
) -> tuple[list[tuple[float, str, str]], str]:
    """One vendor's trials; returns the vertical lines to label and the note under the title."""
    values = np.asarray(v.npv_savings, dtype=float).reshape(-1)
    edges = _bin_edges(values)
    counts, _ = np.histogram(values, edges)
    left = edges[:-1]
    saves = left >= 0
    for mask, color, label in _histogram_sides(saves):
        if counts[mask].sum() == 0:
            continue
        ax.bar(
            left[mask],
            counts[mask],
            np.diff(edges)[mask],
            align="edge",
            color=color,
            edgecolor="white",
            linewidth=0.5,
            label=label,
        )
    ax.set_ylim(0, max(1, int(counts.max())) * 1.3)  # room on top for the line labels
    marks = []
    for x, name, color, dash in (
        (v.npv.p5, "P5", DARK_GREY, "--"),
        (v.npv.p50, "P50", BLACK, "-"),
        (v.npv.p95, "P95", DARK_GREY, "--"),
    ):
        ax.axvline(x, color=color, linestyle=dash, linewidth=2)
        marks.append((x, f"{name} {_money3(x, cur)}", color))
    low, high = float(edges[0]), float(edges[-1])
    span = (high - low) or abs(high) or 1.0
    note = (
        f"Median {money(v.npv.p50, cur)}; 90% of trials between "
        f"{money(v.npv.p5, cur)} and {money(v.npv.p95, cur)}"
    )
    if low - 0.5 * span <= 0 <= high + 0.5 * span:
        ax.axvline(0, color=BLACK, linestyle=":", linewidth=2.2)
        marks.append((0.0, "break-even", BLACK))
    else:
        side = "left" if low > 0 else "right"
        note += f"\nBreak-even ({money(0, cur)}) is off the chart, far to the {side}"
    ax.set_xlabel(f"NPV savings of outsourcing ({cur})")
    ax.set_ylabel("Trials")
    _money_axis(ax.xaxis, cur)
    return marks, note


def _bin_edges(values: NDArray[np.float64], bins: int = 40) -> NDArray[np.float64]:
    """Equal bins with one edge at exactly 0, so no bar straddles break-even."""
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-9:
        pad = max(abs(low) * 0.01, 1.0)
        low, high = low - pad, high + pad
    width = (high - low) / bins
    first = np.floor(low / width)
    last = max(np.ceil(high / width), first + 1)
    return np.arange(first, last + 1) * width


def heatmap_chart(result: Sweep, path: str | Path, *, vendor: str | None = None) -> None:
    """NPV savings over a sweep of two inputs: one panel per vendor on one colour scale,
    highest median first (or only `vendor`), break-even drawn as a black line."""
    chart_format(path)
    if len(result.paths) != 2:
        raise UsageError.option(
            f"--chart {path}", "the sweep chart is a heat map: vary exactly two paths"
        )
    # a heat map wants a few thousand cells at most, whatever the sweep's size
    thin, matrices = result.heat_map(rows=60, columns=60)
    names = list(result.run.vendor_names)
    grids = [np.asarray(m, dtype=float) for m in matrices]
    chosen, left_out = _panels(names, [float(np.median(z)) for z in grids], vendor)
    x_axis, y_axis = thin.axes[1], thin.axes[0]
    xs = np.asarray(x_axis.values, dtype=float).reshape(-1)
    ys = np.asarray(y_axis.values, dtype=float).reshape(-1)
    cur = result.currency
    headlines = [_heatmap_headline(names[i], grids[i], cur) for i in chosen]
    columns = 1 if len(chosen) == 1 else 2
    rows = -(-len(chosen) // columns)
    # one colour scale for every panel, so the same colour is the same amount
    halfrange = max(max(float(np.abs(grids[i]).max()) for i in chosen), 1.0)
    with _style():
        fig = _figure(SLIDE_INCHES[1] if rows == 1 else 6.2 * rows)
        if len(chosen) == 1:
            fig.suptitle(_wrap(headlines[0], TITLE_WIDTH), x=0.01, ha="left")
            panels: list[Any] = [fig]
        else:
            panels = _subfigures(fig, rows, columns)
            for extra in panels[len(chosen) :]:
                extra.set_visible(False)
        for k, index in enumerate(chosen):
            panel = panels[k]
            if len(chosen) > 1:  # titles of equal height, so that the panels line up
                heading = _wrap(headlines[k], 50)
                lines = max(_wrap(h, 50).count("\n") for h in headlines)
                heading += "\n" * (lines - heading.count("\n"))
                panel.suptitle(heading, x=0.02, ha="left", fontsize=14)
            ax = panel.add_subplot()
            note = _heatmap_panel(
                fig, panel, ax, xs, ys, grids[index], halfrange, cur, cells=150 // len(chosen)
            )
            if k == 0 and left_out:
                note += "\n" + left_out
            scenario = scenario_line(result.scenario) if k == 0 else ""
            _subtitle(ax, note if columns == 1 else _wrap(note, 60), scenario)
            x_name = _named(result.case, x_axis.text, index)
            y_name = _named(result.case, y_axis.text, index)
            ax.set_xlabel(_wrap(x_name.label, 60 // columns))
            ax.set_ylabel(_wrap(y_name.label, 40 // columns))
            _value_axis(ax.xaxis, x_name, xs, 14 // columns)
            _value_axis(ax.yaxis, y_name, ys, 20 // rows)
        _save(fig, path, headlines[0])


def _heatmap_headline(name: str, z: NDArray[np.float64], cur: str) -> str:
    low, high = _money3(float(z.min()), cur), _money3(float(z.max()), cur)
    if wins(float(z.min())):
        return f"Outsourcing to {name} saves money everywhere on this grid ({low} to {high})"
    if loses(float(z.max())):
        return f"Keeping it in house beats {name} everywhere on this grid ({low} to {high})"
    paying = int(np.count_nonzero(wins(z)))
    return (
        f"{name}: outsourcing is cheaper in {paying:,} of {z.size:,} cells; "
        "the decision flips at the black line"
    )


def _heatmap_panel(
    fig: Figure,
    panel: Any,
    ax: Axes,
    xs: NDArray[np.float64],
    ys: NDArray[np.float64],
    z: NDArray[np.float64],
    halfrange: float,
    cur: str,
    cells: int,
) -> str:
    """One vendor's grid; returns the note under its title."""
    import matplotlib
    from matplotlib.colors import CenteredNorm

    # ColorBrewer RdBu reads for every common colour-vision type. Centred on 0: white is
    # break-even, blue is outsourcing saving money, red is outsourcing costing money.
    norm = CenteredNorm(vcenter=0.0, halfrange=halfrange)
    cmap = matplotlib.colormaps["RdBu"]
    mesh = ax.pcolormesh(_cell_edges(xs), _cell_edges(ys), z, cmap=cmap, norm=norm)
    bar = panel.colorbar(mesh, ax=ax, pad=0.02)
    bar.set_label(f"NPV savings of outsourcing ({cur})")
    _money_axis(bar.ax.yaxis, cur)
    if z.size <= cells:
        _annotate_cells(ax, xs, ys, z, norm, cmap, cur)
    ax.grid(False)
    if loses(float(z.min())) and wins(float(z.max())) and xs.size >= 2 and ys.size >= 2:
        contour = ax.contour(xs, ys, z, levels=[0.0], colors=BLACK, linewidths=2.5)
        ax.clabel(contour, fmt={0.0: "break-even"}, fontsize=13)
        return "Each cell: NPV savings at that pair of values; black line: break-even"
    if wins(float(z.min())) or loses(float(z.max())):
        return "Each cell: NPV savings at that pair of values (no break-even on this grid)"
    return "NPV savings are within half a cent of zero somewhere on this grid"


def _cell_edges(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Cell boundaries halfway between the swept values (the values sit in the middle)."""
    if values.size == 1:
        pad = max(abs(float(values[0])) * 0.05, 0.5)
        return np.array([values[0] - pad, values[0] + pad])
    mids = (values[1:] + values[:-1]) / 2
    first = values[0] - (mids[0] - values[0])
    last = values[-1] + (values[-1] - mids[-1])
    return np.concatenate([[first], mids, [last]])


def _annotate_cells(
    ax: Axes,
    xs: NDArray[np.float64],
    ys: NDArray[np.float64],
    z: NDArray[np.float64],
    norm: Normalize,
    cmap: Colormap,
    currency: str,
) -> None:
    from matplotlib import patheffects

    size = 12 if xs.size <= 12 else 10
    for j, yv in enumerate(ys):
        for i, xv in enumerate(xs):
            level = float(norm(float(z[j, i])))
            fill = cmap(level)
            ax.text(
                xv,
                yv,
                _money3(float(z[j, i]), currency),
                ha="center",
                va="center",
                fontsize=size,
                color="white" if abs(level - 0.5) > 0.3 else BLACK,
                # A halo in the cell's own colour keeps the number readable on the contour.
                path_effects=[patheffects.withStroke(linewidth=4, foreground=fill)],
                zorder=4,
            )


def _value_axis(axis: Any, name: NamedInput, values: NDArray[np.float64], most: int) -> None:
    """Ticks at the swept values when they fit, formatted as the input is written."""
    from matplotlib.ticker import FixedLocator, FuncFormatter

    if values.size <= most:
        axis.set_major_locator(FixedLocator(values.tolist()))
    axis.set_major_formatter(FuncFormatter(lambda x, _pos: _shown(name, x)))


# -- labels and legends -------------------------------------------------------


def _money3(x: float, currency: str) -> str:
    return money_short(x, currency, figures=3)


def _subtitle(ax: Axes, text: str, scenario: str = "") -> None:
    """The line under the title; a run that changed inputs says so first (render/words.py
    scenario_line), so a chart never shows a changed case as the base case."""
    text = _wrap(scenario, 100) + "\n" + text if scenario else text
    ax.set_title(text, loc="left", fontweight="normal", fontsize=13)


def _scenario(line: str) -> str:
    """The scenario line as a second line of a title, or nothing for the base case."""
    return "\n" + _wrap(line, TITLE_WIDTH) if line else ""


def _bottom_legend(fig: Figure, ax: Axes) -> None:
    """The legend in one row under the plot, where it never covers data or the title."""
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels), frameon=False)


def _label_vlines(fig: Figure, ax: Axes, marks: Sequence[tuple[float, str, str]]) -> None:
    """Labels at the top of vertical lines: beside their own line, clear of the others.

    Runs the layout first, so positions are measured on the final axes. A label goes to
    the right of its line unless another line or the edge is in the way, then to the left;
    two labels that would still touch go on separate rows.
    """
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = ax.get_window_extent(renderer)
    pixels = [float(ax.transData.transform((x, 0.0))[0]) for x, _, _ in marks]
    gap = 6 * fig.dpi / 72
    rows: list[list[tuple[float, float]]] = []
    for (x, text, color), px in sorted(zip(marks, pixels, strict=True), key=lambda m: m[1]):
        label = ax.annotate(
            text,
            xy=(x, 1.0),
            xycoords=ax.get_xaxis_transform(),
            va="top",
            fontsize=12,
            fontweight="bold",
            color=color,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"},
            zorder=6,
        )
        label.set_in_layout(False)
        width = label.get_window_extent(renderer).width + gap

        def clear(lo: float, hi: float, own: float = px) -> bool:
            others = any(lo - gap < p < hi + gap for p in pixels if abs(p - own) > 0.5)
            return not others and lo >= box.x0 and hi <= box.x1

        right = (px + gap, px + gap + width)
        left = (px - gap - width, px - gap)
        if clear(*right) or (not clear(*left) and right[1] <= box.x1):
            span, sign = right, 1
        else:
            span, sign = left, -1
        row = next(
            (
                k
                for k, taken in enumerate(rows)
                if all(span[1] < a or span[0] > b for a, b in taken)
            ),
            len(rows),
        )
        if row == len(rows):
            rows.append([])
        rows[row].append(span)
        label.set_horizontalalignment("left" if sign > 0 else "right")
        label.xyann = (sign * 6, -6 - 24 * row)
        label.set_anncoords("offset points")
