"""Open the report in headless Chromium: no console error, every map and chart drawn."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from accessmap import settings
from accessmap.diagnostic import DiagnosticOptions, run_diagnostic
from accessmap.report import write_report
from tests.factories import write_mirror

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


def test_report_opens_without_errors_and_draws_every_figure(tmp_path: Path):
    from playwright.sync_api import sync_playwright

    mirror = write_mirror(tmp_path / "mirror")
    with settings.override(mirror=mirror):
        diagnostic = run_diagnostic(
            DiagnosticOptions(territory="19001,19002,19003,19004,19005", buffer_km=5, runs=20)
        )
    files = write_report(diagnostic, tmp_path / "reports" / "tiny")
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1200, "height": 900},
        )
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(files.html.as_uri())
            page.wait_for_function(
                "document.querySelectorAll('.plotly-graph-div').length > 0 && "
                "[...document.querySelectorAll('.plotly-graph-div')]"
                ".every(d => d.querySelector('.main-svg'))",
                timeout=30_000,
            )
            figures = page.eval_on_selector_all(
                ".plotly-graph-div",
                "divs => divs.map(d => ({id: d.id, traces: (d.data || []).length,"
                " drawn: d.querySelectorAll('.scatterlayer .trace, .barlayer .trace').length}))",
            )
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    names = {f["id"] for f in figures}
    assert {"fig-temps", "fig-apl", "fig-isochrones", "fig-effectifs", "fig-eventail"} <= names
    assert all(f["traces"] > 0 and f["drawn"] > 0 for f in figures), figures
    assert (tmp_path / "report.png").stat().st_size > 50_000
