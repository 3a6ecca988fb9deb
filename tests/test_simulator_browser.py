"""The simulator in headless Chromium: plans placed by hand or read from the address give the
library's figures (to the displayed rounding), in French, offline, on a phone too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from accessmap.diagnostic.decisions import evaluate_plan, parse_plan
from accessmap.report.simulator import standalone_html
from tests.test_simulator import NURSES, PLANS, tiny_data, two_professions

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
RECOMMENDED = {"19002": 2.0, "msp-19004": 1.0}
#: Rows of the figures table and the evaluation's fields they show (today / year).
ROWS = {
    "under": ("under_today", "under_year"),
    "communes": ("communes_under_today", "communes_under_year"),
    "under2": ("under_secondary_today", "under_secondary_year"),
    "apl": ("apl_today", "apl_year"),
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    data, decs = tiny_data(RECOMMENDED)
    path = tmp_path_factory.mktemp("simulator") / "simulateur.html"
    path.write_text(standalone_html(data), encoding="utf-8")
    return path, decs


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


def number(text: str) -> float:
    """Read a number the page wrote the French way (``22 847``, ``2,06``)."""
    cleaned = text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    return float(cleaned.replace(",", ".").replace("+", ""))


def shown(page) -> dict[str, str]:
    return dict(
        page.eval_on_selector_all(
            "[data-fig]", "cells => cells.map(c => [c.dataset.fig, c.textContent])"
        )
    )


def assert_equal_to_library(cells: dict[str, str], evaluation, column: str, when: int) -> None:
    for row, fields in ROWS.items():
        expected = getattr(evaluation, fields[when])
        value = number(cells[f"{row}-{column}"])
        if row == "apl":
            assert value == pytest.approx(round(expected, 2), abs=1e-9), (row, column)
        else:
            assert value == round(expected), (row, column)
    assert number(cells[f"fte-{column}"]) == pytest.approx(round(evaluation.fte, 2))


def open_page(browser, url: str, *, width: int = 1200):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.wait_for_selector('[data-fig="under-year-plan"]')
    return page, errors, requests


@pytest.mark.parametrize("text", PLANS[:4])
def test_a_plan_in_the_address_shows_the_library_figures(page_file, browser, text: str):
    path, decs = page_file
    page, errors, requests = open_page(browser, f"{path.as_uri()}#plan={text}&annee=2031")
    try:
        cells = shown(page)
        rows = page.eval_on_selector_all("[data-sim-row] select", "s => s.map(x => x.value)")
        year = page.inner_text('[data-sim="year-out"]')
        recruits = page.inner_text('[data-sim="recruits"]')
    finally:
        page.close()
    dec = decs[2031]
    plan = parse_plan(text, known=dec.sites)
    assert rows == [p.split(":")[0] for p in text.split(",")]
    assert year == "2031"
    evaluation = evaluate_plan(dec, plan)
    assert_equal_to_library(cells, evaluation, "today-plan", 0)
    assert_equal_to_library(cells, evaluation, "year-plan", 1)
    assert_equal_to_library(cells, evaluate_plan(dec, {}), "year-without", 1)
    assert_equal_to_library(cells, evaluate_plan(dec, RECOMMENDED), "year-recommended", 1)
    assert "ETP à recruter" in recruits
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []


def test_plans_placed_by_hand_one_site_several_sites_and_a_rotation(page_file, browser):
    path, decs = page_file
    page, errors, _ = open_page(browser, path.as_uri())
    found = []
    try:
        assert page.inner_text('[data-sim="recruits"]').startswith("Aucun site choisi")
        steps = (("19002", "2"), ("msp-19004", "1.5"), ("cab-19001", "0.3"))
        for i, (site, fte) in enumerate(steps):
            page.get_by_role("button", name="Ajouter un site").click()
            row = page.locator(f'[data-sim-row="{i}"]')
            row.get_by_label("Site", exact=True).select_option(site)
            row.get_by_label("ETP", exact=True).fill(fte)
            found.append((shown(page), page.evaluate("location.hash")))
        # the year by keyboard: one step back from 2036 (the tiny data hold 2026, 2031, 2036)
        page.focus('[data-sim="year"]')
        page.keyboard.press("ArrowLeft")
        found.append((shown(page), page.evaluate("location.hash")))
        page.locator('[data-sim-row="0"]').get_by_role("button", name="Retirer").click()
        found.append((shown(page), page.evaluate("location.hash")))
    finally:
        page.close()
    plans = ["19002:2", "19002:2,msp-19004:1.5", "19002:2,msp-19004:1.5,cab-19001:0.3"]
    for (cells, address), text in zip(found[:3], plans, strict=True):
        assert address == f"#plan={text}&annee=2036"
        dec = decs[2036]
        evaluation = evaluate_plan(dec, parse_plan(text, known=dec.sites))
        assert_equal_to_library(cells, evaluation, "year-plan", 1)
    cells, address = found[3]
    assert address == f"#plan={plans[2]}&annee=2031"
    evaluation = evaluate_plan(decs[2031], parse_plan(plans[2], known=decs[2031].sites))
    assert_equal_to_library(cells, evaluation, "year-plan", 1)
    cells, address = found[4]
    assert address == "#plan=msp-19004:1.5,cab-19001:0.3&annee=2031"
    assert errors == []


def test_recommended_plan_volunteer_centre_and_an_unknown_site(page_file, browser):
    path, _ = page_file
    page, errors, _ = open_page(browser, f"{path.as_uri()}#plan=19005:1,nowhere:2&annee=2036")
    try:
        notice = page.inner_text('[data-sim="notice"]')
        team = page.inner_text('[data-sim="team"]')
        page.get_by_role("button", name="Charger le plan recommandé").click()
        recommended = page.evaluate("location.hash")
        page.get_by_role("button", name="Tout effacer").click()
        page.get_by_role("button", name="Ajouter un centre de bénévoles").click()
        page.locator('[data-sim-row="0"]').get_by_label("Site", exact=True).select_option("19005")
        volunteer = page.inner_text('[data-sim="recruits"]')
        page.goto(f"{path.as_uri()}#plan=19005:1.02&annee=2031")
        page.reload()
        page.wait_for_selector('[data-fig="under-year-plan"]')
        shared = page.inner_text('[data-sim="recruits"]')
        shared_team = page.inner_text('[data-sim="team"]')
        gains = page.inner_text('[data-sim="gains"]')
        legend = page.inner_text('[data-sim="legend"]')
        caveat = page.inner_text('[data-sim="caveat-map"]')
    finally:
        page.close()
    assert "nowhere:2" in notice
    assert "au moins 2" in team  # a new site of 1 FTE is no team
    assert recommended == "#plan=19002:2,msp-19004:1&annee=2036"
    assert "48 semaines" in volunteer
    assert "48 semaines" in shared  # a shared volunteer centre is read back as one
    assert shared_team == ""  # and is no team short of its minimum
    assert "Commune 19005" in gains
    assert "moins de 1,25" in legend
    assert "illustratifs" in caveat
    assert errors == []


def test_the_page_fits_a_phone(page_file, browser):
    path, _ = page_file
    page, errors, _ = open_page(browser, f"{path.as_uri()}#plan={PLANS[1]}", width=360)
    try:
        wide = page.evaluate("document.documentElement.scrollWidth")
        svg = page.eval_on_selector('[data-sim="map"]', "s => s.getBoundingClientRect().width")
    finally:
        page.close()
    assert wide <= 360
    assert 200 < svg <= 360
    assert errors == []


def test_every_profession_with_its_own_sites_threshold_and_address(browser, tmp_path: Path):
    data, decisions = two_professions()
    path = tmp_path / "deux.html"
    path.write_text(standalone_html(data), encoding="utf-8")
    key = NURSES[0]
    text = "19002:1,msp-19004:0.4"
    page, errors, _ = open_page(browser, f"{path.as_uri()}#plan={text}&annee=2036&profession={key}")
    try:
        chosen = page.eval_on_selector('[data-sim="profession"]', "s => s.selectedOptions[0].text")
        cells = shown(page)
        page.get_by_label("Profession", exact=True).select_option(label="Médecins généralistes")
        after = page.evaluate("location.hash")
        rows = page.locator("[data-sim-row]").count()
        recommended = page.is_disabled('[data-sim="recommended"]')
    finally:
        page.close()
    assert chosen == "Infirmiers"
    dec = decisions[key][2036]
    evaluation = evaluate_plan(dec, parse_plan(text, known=dec.sites))
    assert number(cells["under-year-plan"]) == round(evaluation.under_year)
    assert number(cells["communes-year-plan"]) == evaluation.communes_under_year
    assert number(cells["apl-year-plan"]) == pytest.approx(round(evaluation.apl_year, 2))
    assert "under2-year-plan" not in cells  # no second threshold for nurses
    assert after == "#plan=&annee=2036&profession=generaliste"
    assert rows == 0
    assert recommended  # no recommended plan given for GPs here
    assert errors == []


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory):
    from accessmap import settings
    from accessmap.diagnostic import DiagnosticOptions, run_diagnostic
    from accessmap.inputs import InputOptions
    from accessmap.report import render_html
    from tests.factories import write_mirror

    root = tmp_path_factory.mktemp("report-simulator")
    mirror = write_mirror(root / "mirror")
    with settings.override(mirror=mirror, cache_dir=root / "cache", online=False):
        d = run_diagnostic(
            DiagnosticOptions(
                inputs=InputOptions(territory="19001,19002,19003,19004,19005", buffer_km=5),
                runs=20,
            )
        )
    path = root / "diagnostic.html"
    path.write_text(render_html(d), encoding="utf-8")
    return path, d


def report_plan(report_file, browser):
    """A two-site plan opened in the report: the year's problem, the plan, the cells shown."""
    path, d = report_file
    decs = d.simulator[d.professions.primary]
    year = max(decs)
    dec = decs[year]
    sites = [s for s in dec.sites if s in set(effect_sites(dec))][:2]
    text = ",".join(f"{s}:{k + 1}" for k, s in enumerate(sites))
    page, errors, requests = open_page(browser, f"{path.as_uri()}#plan={text}&annee={year}")
    try:
        cells = shown(page)
    finally:
        page.close()
    return dec, year, text, cells, errors, requests


def test_the_report_opens_on_the_plan_of_its_address_with_the_library_figures(report_file, browser):
    dec, _, text, cells, errors, requests = report_plan(report_file, browser)
    evaluation = evaluate_plan(dec, parse_plan(text, known=dec.sites))
    assert_equal_to_library(cells, evaluation, "year-plan", 1)
    assert_equal_to_library(cells, evaluation, "today-plan", 0)
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []


def effect_sites(dec) -> list[str]:
    """Sites with an effect in the territory (the page offers those)."""
    from accessmap.diagnostic.decisions import effect_matrix

    return sorted(set(effect_matrix(dec)["site_id"]))


def test_the_command_line_prints_the_figures_the_report_shows_for_a_plan(
    report_file, browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    import re

    from accessmap.cli import main

    _, year, text, cells, _, _ = report_plan(report_file, browser)
    mirror = report_file[0].parent / "mirror"
    store = str(tmp_path / "db.duckdb")
    args = ["site", "-t", "19001,19002,19003,19004,19005", "--buffer-km", "5", "--crowfly",
            "--mirror", str(mirror), "--store", store, "--plan", text]  # fmt: skip
    assert main(args) == 0
    out = " ".join(capsys.readouterr().out.split())
    found = re.search(
        rf"En {year} : habitants sous 2,5 : [\d  ]+ → ([\d  ]+) ; communes sous 2,5 : \d+ → "
        r"(\d+) ; APL du territoire : [\d,]+ → ([\d,]+)\.",
        out,
    )
    assert found, out
    under, communes, apl = (g.replace("\u202f", "").replace(" ", "") for g in found.groups())
    assert number(cells["under-year-plan"]) == float(under)
    assert number(cells["communes-year-plan"]) == float(communes)
    assert number(cells["apl-year-plan"]) == float(apl.replace(",", "."))


def test_a_loaded_plan_s_rows_hold_their_site_and_offer_every_site_when_opened(page_file, browser):
    """A row read from a plan holds only its own site until it is used (a department's plan
    would otherwise lay out some 100 000 options); clicked, it offers every site again."""
    path, _ = page_file
    page, errors, _ = open_page(browser, f"{path.as_uri()}#plan=19002:2,msp-19004:1&annee=2036")
    try:
        row = page.locator('[data-sim-row="0"]').get_by_label("Site", exact=True)
        held = row.evaluate("s => [s.options.length, s.value]")
        row.click()  # what a user does: the list opens with every site
        opened = row.evaluate("s => [s.options.length > 2, s.value]")
        page.keyboard.press("Escape")
        row.select_option("19005")
        moved = page.evaluate("location.hash")
    finally:
        page.close()
    assert held == [1, "19002"]
    assert opened == [True, "19002"]  # the chosen site stays chosen
    assert moved == "#plan=19005:2,msp-19004:1&annee=2036"
    assert errors == []
