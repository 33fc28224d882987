"""`outsourcecalc report`: the self-contained HTML memo (and its PDF) for every example.

Checked here: the HTML is well formed (html5lib, strict), asks for nothing from the
network (no external src or href but the appendix's link, no script, no stylesheet
link), shows a hostile name as text, gives the same bytes twice, and its main table
holds every money figure of `compare --format json` to the cent. The browser checks
(overflow, charts drawn, no request) are in test_report_browser.py.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import pytest
from conftest import EXAMPLES, ROOT, Invoke, example_args

from outsourcecalc.render.report import METHODOLOGY, css_string

html5lib = pytest.importorskip("html5lib")
pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")

DATE = "2026-03-14"
XHTML = "{http://www.w3.org/1999/xhtml}"
HOSTILE = "<img src=x onerror=alert(1)>"


def report(cli: Invoke, tmp_path: Path, args: list[str], name: str = "memo.html") -> str:
    out = tmp_path / name
    result = cli("report", *args, "-o", out, "--date", DATE)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def parse(text: str) -> Element:
    """The document, or a failure naming html5lib's first complaint."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        return parser.parse(text)  # type: ignore[no-any-return]
    except html5lib.html5parser.ParseError as exc:
        pytest.fail(f"html5lib: {exc}")


def text_of(element: Element) -> str:
    return "".join(element.itertext()).strip()


def money_value(cell: str) -> float | None:
    """'$1,234.56', '-$1,234.56', 'PLN 1,234.56' as a number; None for a cell without money."""
    found = re.fullmatch(r"(-?)[^\d\s-]+ ?([\d,]+\.\d\d)", cell.strip())
    if found is None:
        return None
    return float(found.group(1) + found.group(2).replace(",", ""))


def main_table(root: Element) -> dict[str, list[str]]:
    """The comparison table: key of each row -> its cells (in house, then each vendor)."""
    table = next(t for t in root.iter(f"{XHTML}table") if t.get("id") == "comparison-table")
    rows = {}
    for tr in table.iter(f"{XHTML}tr"):
        if tr.get("data-key"):
            rows[tr.get("data-key", "")] = [text_of(td) for td in tr.findall(f"{XHTML}td")]
    return rows


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_main_table_equals_compare_json_to_the_cent(
    cli: Invoke, tmp_path: Path, name: str
) -> None:
    data = json.loads(cli("compare", *example_args(name), "--format", "json").stdout)
    rows = main_table(parse(report(cli, tmp_path, example_args(name))))
    money_keys = ("tco", "npv", "savings", "npv_savings", "investment")
    checked = 0
    for key in money_keys:
        cells = rows[key]
        expected = [data["in_house"].get(key), *(v[key] for v in data["vendors"])]
        for cell, want in zip(cells, expected, strict=True):
            if want is None:  # the in-house column of a vendor-only result is empty
                assert cell in ("", "—"), (key, cell)
                continue
            assert money_value(cell) == want, (key, cell, want)
            checked += 1
    assert checked == 2 + 5 * len(data["vendors"])
    # every cell of the table that holds money is one of the JSON's figures
    figures = {data["in_house"]["tco"], data["in_house"]["npv"]}
    figures |= {v[k] for v in data["vendors"] for k in money_keys}
    shown = {money_value(c) for cells in rows.values() for c in cells} - {None}
    assert shown <= figures


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_report_is_well_formed_and_asks_for_nothing(
    cli: Invoke, tmp_path: Path, name: str
) -> None:
    text = report(cli, tmp_path, example_args(name))
    root = parse(text)
    outside = []
    for element in root.iter():
        tag = element.tag.split("}")[-1]
        assert tag not in ("script", "link", "iframe", "object", "embed", "img", "base"), tag
        for attribute, value in element.attrib.items():
            local = attribute.split("}")[-1]
            links = ("src", "href", "srcset", "action", "formaction", "data", "poster")
            if local in links and not value.startswith("#"):
                outside.append(value)
            assert not local.startswith("on"), attribute
    # the one link out: the methodology, plain text beside it, in the appendix
    assert outside == [METHODOLOGY]
    method = next(s for s in root.iter(f"{XHTML}section") if s.get("id") == "method")
    links = [a.get("href") for a in method.iter(f"{XHTML}a")]
    assert links == [METHODOLOGY]
    # the styles load nothing either: url() only for the charts' own clip paths
    for found in re.findall(r"url\(([^)]*)\)", text):
        assert found.startswith("#"), found
    assert "@import" not in text and "@font-face" not in text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    # every chart is inline SVG, labelled for a screen reader
    svgs = list(root.iter("{http://www.w3.org/2000/svg}svg"))
    assert len(svgs) == 2
    for svg in svgs:
        assert svg.get("role") == "img"
        title, desc = (svg.get("aria-labelledby") or "").split()
        ids = {e.get("id"): e for e in svg.iter() if e.get("id")}
        assert text_of(ids[title]) and text_of(ids[desc])
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "ids must be unique in the document"
    # headings in order: one h1, then h2 and h3 never skipping a level
    levels = [int(e.tag[-1]) for e in root.iter() if re.fullmatch(rf"{re.escape(XHTML)}h\d", e.tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    # every table header is marked as one
    for th in root.iter(f"{XHTML}th"):
        assert th.get("scope") in ("col", "row", "colgroup"), text_of(th)


def test_the_same_inputs_give_the_same_bytes(cli: Invoke, tmp_path: Path) -> None:
    args = example_args("contact_center")
    assert report(cli, tmp_path, args, "a.html") == report(cli, tmp_path, args, "b.html")


def test_the_sections_come_in_the_order_a_cfo_reads(cli: Invoke, tmp_path: Path) -> None:
    text = report(cli, tmp_path, example_args("contact_center"))
    order = ["decision", "comparison", "cumulative", "breakdown", "value-map", "sensitivity"]
    order += ["assumptions", "method"]
    places = [text.index(f'<section id="{section}"') for section in order]
    assert places == sorted(places)
    root = parse(text)
    decision = next(p for p in root.iter(f"{XHTML}p") if p.get("class") == "decision")
    assert text_of(decision).startswith("Keep the work in house: Bayanihan BPO (Manila) saves")
    assert "Weighted score" in text and "outsourcecalc 0.1.0" in text
    assert f"{DATE}" in text


def test_the_drivers_read_as_the_tornado_writes_them(cli: Invoke, tmp_path: Path) -> None:
    """Today's values and flip values in each vendor's own units and currency, a computed
    flip to 4 figures: the onshore hourly rate flips at $28.52, not 28.5168."""
    text = report(cli, tmp_path, example_args("contact_center"))
    assert "per hour</span></th><td>$30.50</td>" in text
    assert "<td>$28.52</td>" in text and "28.5168" not in text
    assert "<td>18,898</td>" in text and "18,897.83" not in text  # contacts a month


def test_a_hostile_name_is_text(cli: Invoke, tmp_path: Path) -> None:
    source = ROOT / "examples" / "contact_center"
    vendor = tmp_path / "vendor.yaml"
    lines = (source / "vendor_onshore.yaml").read_text(encoding="utf-8").splitlines()
    vendor.write_text(
        "\n".join(f"name: {json.dumps(HOSTILE)}" if x.startswith("name:") else x for x in lines),
        encoding="utf-8",
    )
    # the in-house name reaches the print footer's CSS string too
    in_house = tmp_path / "in_house.yaml"
    hostile_css = '</style><b>"x\\" } body { color: red'
    lines = (source / "in_house.yaml").read_text(encoding="utf-8").splitlines()
    in_house.write_text(
        "\n".join(
            f"name: {json.dumps(hostile_css)}" if x.startswith("name:") else x for x in lines
        ),
        encoding="utf-8",
    )
    text = report(cli, tmp_path, [str(in_house), str(vendor)])
    root = parse(text)
    assert not [e for e in root.iter() if e.tag.split("}")[-1] in ("img", "b")]
    headers = [text_of(th) for th in root.iter(f"{XHTML}th")]
    assert HOSTILE in headers or f"{HOSTILE} ★" in headers
    assert text_of(next(root.iter(f"{XHTML}h1"))) == f"{hostile_css}: make or buy"
    style = text_of(next(root.iter(f"{XHTML}style")))
    assert "</style" not in style and "color: red" not in style


def test_css_string_escapes_all_but_letters_digits_and_spaces() -> None:
    assert css_string('Acme "Co" </style>') == '"Acme \\22 Co\\22  \\3c \\2f style\\3e "'


def test_overrides_notes_and_the_changes_show(cli: Invoke, tmp_path: Path) -> None:
    args = example_args("payroll")
    baseline = tmp_path / "before.json"
    before = cli("compare", *args, "--format", "json", "-o", baseline)
    assert before.exit_code == 0, before.output
    text = report(
        cli, tmp_path, [*args, "--set", "vendor.pricing[0].monthly=20000", "--baseline", baseline]
    )
    root = parse(text)
    overrides = next(u for u in root.iter(f"{XHTML}ul") if u.get("class") == "overrides")
    assert "vendor.pricing[0].monthly = $20,000" in text_of(overrides)
    changes = next(s for s in root.iter(f"{XHTML}section") if s.get("id") == "changes")
    assert "results changed against" in text_of(changes)
    assert str(baseline) in text_of(changes)


def test_the_monte_carlo_section(cli: Invoke, tmp_path: Path) -> None:
    args = [*example_args("payroll"), "--trials", "500", "--seed", "3"]
    args += ["--uncertain", "vendor.pricing[0].monthly=triangular(18000, 23500, 26000)"]
    text = report(cli, tmp_path, args)
    root = parse(text)
    section = next(s for s in root.iter(f"{XHTML}section") if s.get("id") == "monte-carlo")
    shown = text_of(section)
    assert "500 trials (seed 3)" in shown and "Outsourcing cheaper" in shown
    assert len(list(section.iter("{http://www.w3.org/2000/svg}svg"))) == 1
    # the same numbers as `simulate` reports
    sim = json.loads(cli("simulate", *args[:-2], "--format", "json", *args[-2:]).stdout)
    p50 = sim["vendors"][0]["npv_savings"]["p50"]
    assert f"{abs(p50):,.0f}" in shown


def test_stdout_and_the_refusals(cli: Invoke, tmp_path: Path) -> None:
    args = example_args("tax_season")
    result = cli("report", *args, "-o", "-", "--date", DATE)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>")
    onto = cli("report", *args, "-o", args[0])
    assert onto.exit_code == 2
    assert "writing there would destroy it" in onto.stderr
    bad = cli("report", *args, "-o", tmp_path / "m.html", "--date", "14/03/2026")
    assert bad.exit_code == 2
    assert "--date 14/03/2026: give the date as YYYY-MM-DD" in bad.stderr
    assert not (tmp_path / "m.html").exists()
    missing = cli("report", *args)
    assert missing.exit_code == 2 and "--output" in missing.output


@pytest.mark.parametrize(
    ("module", "extra", "message"),
    [
        ("jinja2", [], "report: the report needs Jinja2 and matplotlib: pip install"),
        ("weasyprint", ["--pdf", "memo.pdf"], "--pdf: writing a PDF needs WeasyPrint: pip"),
    ],
)
def test_a_missing_extra_says_how_to_get_it(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str,
    extra: list[str], message: str,
) -> None:  # fmt: skip
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    out = tmp_path / "memo.html"
    result = cli("report", *example_args("payroll"), "-o", out, *extra)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "outsourcecalc[report]" in result.stderr
    assert not out.exists()


def pdf_pages(path: Path) -> int:
    pypdf: Any = pytest.importorskip("pypdf")
    return len(pypdf.PdfReader(path).pages)


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_pdf_has_at_most_three_pages(cli: Invoke, tmp_path: Path, name: str) -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        pytest.skip("WeasyPrint (or Pango) is not installed")
    pdf = tmp_path / "memo.pdf"
    result = cli("report", *example_args(name), "-o", tmp_path / "m.html", "--pdf", pdf)
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf_pages(pdf) <= 3
