"""The report in a real browser: headless Chromium at desktop and at phone width.

The report holds no script, and its Content-Security-Policy would block one: the check
runs on a copy with the policy taken out and a measuring script added at the end. The
script records in the DOM, once the page has loaded, how wide the page is against the
window, the size each chart is drawn at and what it holds, and every resource the page
asked for; `--dump-dom` prints it. The network is cut off (every host name resolves to
nothing), and the browser's network log is read for any http(s) request as well. A
screenshot at each width is kept in the test's temporary folder. Skipped where
`chromium-headless-shell` (or `chromium`) is not installed; .ci/run installs it.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoke, example_args

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")

BROWSER = next(
    (found for name in ("chromium-headless-shell", "chromium") if (found := shutil.which(name))),
    None,
)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="headless Chromium is not installed")

WIDTHS = {"desktop": 1280, "phone": 390}
MEASURE = """<script>
addEventListener("load", () => {
  const charts = [...document.querySelectorAll("main svg[role=img]")].map((svg) => {
    const box = svg.getBoundingClientRect();
    return {width: box.width, height: box.height, right: box.right,
            drawn: svg.querySelectorAll("path, use, text").length,
            content: svg.getBBox().width * svg.getBBox().height};
  });
  const wide = [...document.body.querySelectorAll("*")]
    .filter((e) => !e.closest(".table-wrap, figure"))
    .filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5)
    .map((e) => e.tagName + (e.id ? "#" + e.id : ""));
  document.body.setAttribute("data-measured", JSON.stringify({
    scrollWidth: document.documentElement.scrollWidth, innerWidth, charts, wide,
    resources: performance.getEntriesByType("resource").map((e) => e.name),
  }));
});
</script>"""


def chromium(
    url: str, width: int, *options: str, height: int = 900, log: Path | None = None
) -> str:
    assert BROWSER is not None
    command = [
        BROWSER,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--window-size={width},{height}",
        *([f"--log-net-log={log}"] if log is not None else []),
        *options,
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def measured(page: Path, width: int, log: Path) -> dict[str, Any]:
    dom = chromium(page.as_uri(), width, "--virtual-time-budget=10000", "--dump-dom", log=log)
    found = re.search(r'data-measured="([^"]*)"', dom)
    assert found is not None, dom[-2000:]
    data: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return data


@pytest.mark.parametrize("name", ["contact_center", "payroll"])
def test_the_report_renders_at_desktop_and_phone_width(
    cli: Invoke, tmp_path: Path, name: str
) -> None:
    memo = tmp_path / "memo.html"
    args = [*example_args(name), "-o", memo, "--date", "2026-03-14"]
    if name == "payroll":  # a Monte Carlo section too: one more chart
        args += ["--trials", "500"]
        args += ["--uncertain", "in_house.staff[0].attrition_rate=pert(5%, 8%, 15%)"]
    result = cli("report", *args)
    assert result.exit_code == 0, result.output
    text = memo.read_text(encoding="utf-8")
    policy = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n')
    assert policy.search(text)
    page = tmp_path / "measured.html"
    page.write_text(policy.sub("", text).replace("</body>", MEASURE + "\n</body>"), "utf-8")
    charts = 3 if name == "payroll" else 2
    for label, width in WIDTHS.items():
        log = tmp_path / f"net-{label}.json"
        data = measured(page, width, log)
        assert data["innerWidth"] == width
        assert data["scrollWidth"] <= width, data
        assert data["wide"] == [], data["wide"]
        assert data["resources"] == [], data["resources"]
        assert len(data["charts"]) == charts
        for chart in data["charts"]:
            if width >= 640:  # as wide as the text, inside the page
                assert chart["width"] > 0.8 * min(width, 960) - 60, chart
                assert chart["right"] <= width + 0.5, chart
            else:  # a phone: readable (not shrunk to 4-pixel text), scrolling in its figure
                assert chart["width"] >= 640, chart
            assert chart["height"] > 0.3 * chart["width"], chart
            assert chart["drawn"] > 50 and chart["content"] > 0, chart
        requests = re.findall(r'"url":"(https?://[^"]*)"', log.read_text(encoding="utf-8"))
        assert requests == []
        shot = tmp_path / f"{name}-{label}.png"
        chromium(memo.as_uri(), width, f"--screenshot={shot}", height=4000)
        assert shot.stat().st_size > 10_000
