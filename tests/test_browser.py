"""Open the report in headless Chromium: drawn, offline, French, readable maps, an A4 PDF."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from accessmap import settings
from accessmap.diagnostic import DiagnosticOptions, run_diagnostic
from accessmap.inputs import InputOptions
from accessmap.report import write_pdf, write_report
from tests.factories import write_mirror
from tests.test_report import LEAKS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: A French number: thousands with a (narrow) no-break space, or a decimal comma.
FRENCH_NUMBER = re.compile(r"\d[\u202f\u00a0 ]\d{3}|\d,\d")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    mirror = write_mirror(root / "mirror")
    with settings.override(mirror=mirror, cache_dir=root / "cache"):
        diagnostic = run_diagnostic(
            DiagnosticOptions(
                inputs=InputOptions(territory="19001,19002,19003,19004,19005", buffer_km=5),
                runs=20,
            )
        )
    return write_report(diagnostic, root / "reports" / "tiny").html


def test_report_opens_french_offline_and_draws_every_figure(report: Path, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1200, "height": 900},
        )  # fmt: skip
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report.as_uri())
            page.wait_for_function(
                "document.querySelectorAll('.plotly-graph-div').length > 0 && "
                "[...document.querySelectorAll('.plotly-graph-div')]"
                ".every(d => d.querySelector('.main-svg'))",
                timeout=60_000,
            )
            figures = page.eval_on_selector_all(
                ".plotly-graph-div",
                "divs => divs.map(d => ({id: d.id, traces: (d.data || []).length,"
                " drawn: d.querySelectorAll('.scatterlayer .trace, .barlayer .trace').length}))",
            )
            text = page.inner_text("body")
            table_cells = page.eval_on_selector_all(
                "table.table td", "c => c.map(x => x.innerText)"
            )
            ticks = page.eval_on_selector_all(
                "#fig-bandes .ytick text, #fig-bandes .bartext",
                "t => t.map(x => x.textContent)",
            )
            page.evaluate("Plotly.Fx.hover('fig-eventail', [{curveNumber: 2, pointNumber: 0}])")
            hover = page.eval_on_selector("#fig-eventail .hoverlayer", "h => h.textContent")
            scale = page.eval_on_selector_all(
                "#fig-temps .annotation-text", "t => t.map(x => x.textContent)"
            )
            bourgs = page.eval_on_selector_all(
                "#fig-temps .textpoint text", "t => t.map(x => x.textContent)"
            )
            modebar = page.eval_on_selector_all(
                "#fig-temps .modebar-btn", "b => b.map(x => x.getAttribute('data-title'))"
            )
            overflowing = page.evaluate(
                "[...document.querySelectorAll('table')].filter(t => "
                "t.parentElement.scrollWidth > t.parentElement.clientWidth + 1 || "
                "t.scrollWidth > t.clientWidth + 1).map(t => t.innerText.slice(0, 60))"
            )
            inner_scroll = page.evaluate(
                "[...document.querySelectorAll('main *')].filter(e => "
                "['auto', 'scroll'].includes(getComputedStyle(e).overflowY) && "
                "e.scrollHeight > e.clientHeight + 1).length"
            )
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
            first = page.eval_on_selector(
                "#index a[href^='#fiche-']", "a => a.getAttribute('href')"
            )
            page.click(f"#index a[href='{first}']")
            page.wait_for_timeout(300)
            fiche_top = page.eval_on_selector(first, "f => f.getBoundingClientRect().top")
            fiche_text = page.inner_text(first)
        finally:
            browser.close()
    assert errors == []
    assert overflowing == []
    assert inner_scroll == 0
    assert abs(fiche_top) < 5  # the index's link brings the commune's fiche to the top
    assert "APL publié (DREES)" in fiche_text
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    names = {f["id"] for f in figures}
    assert {"fig-temps", "fig-apl", "fig-isochrones", "fig-effectifs", "fig-eventail",
            "fig-options", "fig-option_1"} <= names  # fmt: skip
    assert all(f["traces"] > 0 and f["drawn"] > 0 for f in figures), figures
    assert [w for w in LEAKS if w in text] == []
    assert any(FRENCH_NUMBER.search(c) for c in table_cells)  # "1 875", "8,89"...
    assert "1\u202f000" in ticks
    assert "1\u202f250" in ticks
    assert re.search(r"médiane : \d+,\d{2}", hover), hover
    assert "5 km" in scale
    assert {"Alpha", "Beta", "Gamma"} <= set(bourgs)
    assert "Zoom avant" in modebar
    assert "Share chart..." not in modebar
    assert (tmp_path / "report.png").stat().st_size > 50_000


def _media_boxes(pdf: bytes) -> list[tuple[float, ...]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*([^\]]+)\]", pdf)
    return [tuple(float(v) for v in b.split()) for b in boxes]


def test_write_pdf_prints_a4(report: Path, tmp_path: Path):
    pdf = write_pdf(report, tmp_path / "out" / "diagnostic.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = _media_boxes(data)
    assert boxes
    for box in boxes:
        width, height = box[2] - box[0], box[3] - box[1]
        assert width == pytest.approx(595, abs=1.5)
        assert height == pytest.approx(842, abs=1.5)
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 5
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["diagnostic.pdf"]  # no temp left


def _header_cells(html: str) -> list[list[str]]:
    """The header cells of every table of the report (their visible text)."""
    from html import unescape

    shown = re.sub(r"<script\b.*?</script>", "", html, flags=re.DOTALL)  # code is not a table
    heads = re.findall(r"<thead>(.*?)</thead>", shown, flags=re.DOTALL)
    return [
        [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<th[^>]*>(.*?)</th>", h)]
        for h in heads
    ]


def test_pdf_tables_keep_every_column(report: Path, tmp_path: Path):
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    import subprocess

    pdf = write_pdf(report, tmp_path / "diagnostic.pdf")
    done = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    words = set(re.findall(r"[\w'’]+", done.stdout.replace("\u00ad", "").lower()))
    tables = _header_cells(report.read_text(encoding="utf-8"))
    assert tables
    missing = [
        (i, header)
        for i, headers in enumerate(tables)
        for header in headers
        if not set(re.findall(r"[\w'’]+", header.lower())) <= words
    ]
    assert missing == []
