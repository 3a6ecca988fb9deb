from __future__ import annotations

import dataclasses
import re
import sqlite3
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from accessmap import settings, version_info
from accessmap.diagnostic import Diagnostic, DiagnosticOptions, run_diagnostic
from accessmap.errors import AccessmapError, ValidationError
from accessmap.inputs import InputOptions
from accessmap.labels import column_label, fmt_percent
from accessmap.messages import render
from accessmap.report import (
    ChromiumMissingError,
    VerdictCard,
    fr,
    official_figures,
    render_html,
    verdict,
    verdict_cards,
    write_pdf,
    write_report,
)
from accessmap.report.tables import provenance_table
from accessmap.store import Store
from tests.factories import write_mirror


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Diagnostic, list[str]]:
    """A diagnostic of a 5-commune territory and the progress lines it reported."""
    root = tmp_path_factory.mktemp("diag")
    mirror = write_mirror(root / "mirror")
    lines: list[str] = []
    with settings.override(mirror=mirror, cache_dir=root / "cache", online=False):
        diagnostic = run_diagnostic(
            DiagnosticOptions(
                inputs=InputOptions(territory="19001,19002,19003,19004,19005", buffer_km=5),
                runs=40,
            ),
            progress=lines.append,
        )
    return diagnostic, lines


@pytest.fixture(scope="module")
def tiny_diagnostic(tiny_run: tuple[Diagnostic, list[str]]) -> Diagnostic:
    return tiny_run[0]


def test_progress_counts_the_steps_in_the_order_they_run(tiny_run: tuple[Diagnostic, list[str]]):
    """Every counted step is reported once, in :data:`STEPS` order (a bar never goes back)."""
    from accessmap.diagnostic import STEPS
    from accessmap.messages import CATALOGUE

    _, lines = tiny_run
    assert all(code in CATALOGUE for code in STEPS)
    order = [render(code) for code in STEPS]
    positions = [order.index(line) for line in lines if line in order]
    # no road file in the tiny mirror: crow-fly times, no "réseau routier" step
    assert positions == [k for k, code in enumerate(STEPS) if code != "progress.roads"]


def test_progress_names_each_search_and_its_longest_wait(tiny_run: tuple[Diagnostic, list[str]]):
    """Within the decisions' step, each search is announced with the most it may take."""
    _, lines = tiny_run
    start = lines.index(render("progress.decisions"))
    end = lines.index(render("progress.isochrones"))
    within = lines[start + 1 : end]
    assert within == [
        "recrutements nécessaires : médecins généralistes (5 s au plus)",
        "option « une équipe de 2 » (30 s au plus)",
        "option « 6 médecins, meilleur emploi » (30 s au plus)",
        "option « 6 médecins, variante robuste » (3 s au plus)",
        render("progress.simulator"),
    ]


def test_a_search_announces_the_settings_cap_when_it_is_shorter():
    from accessmap.diagnostic.choices import searching
    from accessmap.siting import SolverOptions

    solver = SolverOptions(time_limit=8.0)
    assert searching(solver, profession="infirmier") == (
        "recrutements nécessaires : infirmiers (8 s au plus)"
    )
    with settings.override(solver_time_cap=1.5):
        assert searching(solver, option="robust") == (
            "option « 6 médecins, variante robuste » (1,5 s au plus)"
        )


def test_diagnostic_tables(tiny_diagnostic: Diagnostic):
    d = tiny_diagnostic
    assert d.traveltimes.method == "crowfly"
    assert any("vol d'oiseau" in w for w in d.warnings)
    assert any("ILLUSTRATIFS" in w for w in d.warnings)
    assert d.outlook.illustrative_ages
    assert set(d.indicators.communes["id"]) >= {"19001", "19005"}
    assert d.comparison["option"].iloc[0] == "Aujourd'hui"
    assert d.comparison["option"].is_unique
    assert {r.model for r in d.options_siting} >= {"mclp", "p_median"}
    assert all(r.status == "optimal" for r in d.options_siting if r.model == "mclp")
    assert list(d.isochrones["minutes"]) == [10.0, 20.0, 30.0]


def test_verdict_figures(tiny_diagnostic: Diagnostic):
    v = verdict(tiny_diagnostic)
    assert v.communes == 5
    assert v.population == 1875
    minutes = tiny_diagnostic.indicators.communes.set_index("id")["nearest_minutes"]
    population = tiny_diagnostic.indicators.communes.set_index("id")["population"]
    inside = [f"1900{i}" for i in range(1, 6)]
    assert v.pop_beyond_20 == pytest.approx(population[inside][minutes[inside] >= 20].sum())
    assert v.gone_10 >= v.gone_5 >= 0
    assert len(v.best_options) <= 3
    assert v.method == "crowfly"
    assert all(s.startswith("Ajoute ") and s.endswith(" min.") for s in v.best_options["sentence"])


def test_verdict_cards_carry_their_caveats(tiny_diagnostic: Diagnostic):
    cards = verdict_cards(tiny_diagnostic)
    assert [c.title for c in cards][:2] == [
        "Habitants loin d'un médecin généraliste", "Accessibilité potentielle localisée (APL)",
    ]  # fmt: skip
    assert all(c.caveat for c in cards)
    assert "vol d'oiseau" in cards[0].caveat
    assert "imputée" in cards[1].caveat
    assert "illustratifs" in cards[2].caveat
    assert cards[1].official is None  # the tiny mirror has no DREES workbook
    assert cards[1].modelled == fr(verdict(tiny_diagnostic).apl, 2)


def test_official_apl_summarises_the_published_values_as_drees_does():
    from accessmap.indicators.official import official_apl

    published = pd.DataFrame(
        {"code": ["19001", "19002", "19003", "19001"], "year": [2023, 2023, 2023, 2022],
         "apl": [2.0, 3.0, 5.0, 9.0], "pop_std": [1000.0, 500.0, 500.0, 1.0],
         "pop_total": [900.0, 600.0, 250.0, 1.0]}
    )  # fmt: skip
    got = official_apl(published, codes=["19001", "19002", "19003", "19999"], year=2023)
    assert got.apl == pytest.approx((2.0 * 1000 + 3.0 * 500 + 5.0 * 500) / 2000)
    # counted on the non-standardised population, as the DREES note prescribes
    assert (got.communes_priority, got.pop_priority) == (1, 900)
    assert (got.communes_secondary, got.pop_secondary) == (1, 600)
    assert got.missing == ("19999",)
    assert official_apl(published, codes=["19001"]).year == 2023  # latest by default


def test_official_figures_given_by_the_diagnostic_lead_the_card():
    from accessmap.indicators.official import OfficialApl

    given = OfficialApl(
        year=2023, apl=3.29, communes_priority=52, pop_priority=14147, communes_secondary=28,
        pop_secondary=18251, population=43000, n=97, missing=(),
    )  # fmt: skip
    got = official_figures(SimpleNamespace(official=given))  # type: ignore[arg-type]
    assert got == {
        "year": 2023.0, "apl": 3.29, "communes_priority": 52.0, "pop_priority": 14147.0,
        "communes_secondary": 28.0, "pop_secondary": 18251.0,
    }  # fmt: skip
    assert official_figures(SimpleNamespace(official=None)) == {}  # type: ignore[arg-type]
    card = VerdictCard(title="APL", modelled="4,48", detail="d", caveat="c", official="3,29")
    assert card.tone == "neutral"


#: English words that must never reach a reader (issue 12).
LEAKS = (
    "adequate", "secondary", "priority", "mclp", "p_median", "volunteer_centres", "published",
    "user file", "about 2017", "modèle expected", "méthode crowfly", "activity unknown",
    "imputed", "inhabitants", "does_not_qualify", "not_met", "Share chart", "workbook",
    "headcount", "illustrative", "roster:",
)  # fmt: skip


def visible_text(html: str) -> str:
    """The report's text without scripts, styles and tags (what a reader can see)."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", body)


def test_html_is_self_contained_french(tiny_diagnostic: Diagnostic):
    html = render_html(tiny_diagnostic)
    assert html.startswith("<!DOCTYPE html>")
    assert 'lang="fr"' in html
    assert "En une page" in html
    assert "vol d'oiseau" in html
    assert "Âges illustratifs" in html
    assert "<script src=" not in html
    assert html.count('class="plotly-graph-div"') >= 6
    text = visible_text(html)
    assert [w for w in LEAKS if w in text] == []
    assert "/tmp/" not in text  # noqa: S108 - a local path must not leak
    assert "/work/" not in text
    assert re.search(r"\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
                     r"octobre|novembre|décembre) \d{4}", text)  # fmt: skip
    assert "1\u202f875 habitants" in text
    assert f"accessmap {version_info()}" in text  # the version and commit, in the footer


def test_html_has_a_table_of_contents_and_prints_on_a4(tiny_diagnostic: Diagnostic):
    html = render_html(tiny_diagnostic)
    anchors = re.findall(r'<li><a href="#([a-z]+)">', html)
    assert anchors == [
        "verdict", "acces", "apl", "zone", "retraites", "decisions", "simulateur", "options",
        "professions", "fiches", "glossaire", "methodes",
    ]  # fmt: skip
    for anchor in anchors:
        assert f'id="{anchor}"' in html
    assert html.count('<p class="lead">') >= len(anchors)
    assert "@page { size: A4" in html
    assert "break-inside: avoid" in html
    assert "--print-zoom" in html
    assert "Plotly.register(" in html  # French plotly locale
    assert html.count('id="fig-option_') >= 1  # one before/after map per option


#: The solver and tool vocabulary a reader never meets outside the methods annex.
TOOL_WORDS = (
    "HiGHS", "osmnx", "MCLP", "p-médiane", "Monte-Carlo", "Monte Carlo", "Spearman", "SHA-256",
    "build_roads", "solveur", "écart d'optimalité", "roster_template", "heuristique",
)  # fmt: skip


def reader_text(html: str) -> str:
    """The visible text a reader meets before the methods annex (figures' data aside)."""
    return visible_text(html.split('id="annexe-methodes"', 1)[0])


def test_no_tool_word_nor_english_outside_the_methods_annex(tiny_diagnostic: Diagnostic):
    from tests.test_messages import english_words

    html = render_html(tiny_diagnostic)
    assert 'id="annexe-methodes"' in html
    text = reader_text(html)
    assert [w for w in TOOL_WORDS if w.lower() in text.lower()] == []
    assert english_words(text) == []
    # the tool vocabulary is still told, in the annex
    annex = visible_text(html.split('id="annexe-methodes"', 1)[1])
    assert "HiGHS" in annex


def test_verdict_page_names_the_vintages_the_producer_and_no_banner(tiny_diagnostic: Diagnostic):
    from accessmap import version_info

    html = render_html(tiny_diagnostic)
    verdict_part = html.split('id="verdict"', 1)[1].split('<h2 id="acces"', 1)[0]
    assert f"accessmap {version_info()}" in verdict_part
    assert "2019" in verdict_part  # the GP counts' vintage
    before = html.split('id="verdict"', 1)[0]
    assert 'role="alert"' not in html
    assert 'class="warning"' not in before


def test_published_figure_is_the_large_one_and_the_future_adds_the_modelled_change(
    tiny_diagnostic: Diagnostic,
):
    from accessmap.indicators.official import OfficialApl

    given = OfficialApl(
        year=2023, apl=3.29, communes_priority=1, pop_priority=100, communes_secondary=1,
        pop_secondary=200, population=1875, n=5, missing=(),
    )  # fmt: skip
    d = dataclasses.replace(tiny_diagnostic, official=given)
    v = verdict(d)
    cards = {c.title: c for c in verdict_cards(d, v)}
    apl = cards["Accessibilité potentielle localisée (APL)"]
    assert apl.official == "3,29"
    assert apl.detail.index("Publié") < apl.detail.index("modélisé")
    future = cards[f"En {v.year_10}, sans remplacement"]
    assert future.official == fr(3.29 + (v.apl_future - v.apl), 2)
    assert future.official_source == "officiel + effet modélisé"
    html = render_html(d)
    assert '<div class="big">3,29 <small>' in html
    assert "Modélisé : " in html


def test_the_under_65_column_is_shown_only_when_modelled(tiny_diagnostic: Diagnostic):
    from accessmap.report.tables import communes_frame

    d = tiny_diagnostic
    names = d.inputs.territory.communes.set_index("code")["nom"]
    inside = d.indicators.communes[d.indicators.communes["in_territory"]]
    assert inside["apl_u65"].isna().all()  # illustrative ages: not modelled
    assert "apl_u65" not in communes_frame(d, inside, names)[1]
    real = inside.assign(apl_u65=inside["apl"] * 0.8)  # a roster with real ages
    assert communes_frame(d, real, names)[1]["apl_u65"] == (
        "APL modélisé, médecins de moins de 65 ans"
    )


def _losing_communes(d: Diagnostic, codes: list[str]) -> Diagnostic:
    """``d`` whose outlook loses the last GP of ``codes`` (one a year, the first soonest)."""
    start = d.outlook.start_year
    n = len(codes)
    lost = pd.DataFrame({
        "commune_code": codes, "year": start + 10, "p_without": np.linspace(1.0, 0.5, n),
        "lost": True, "first_year": [start + 1 + i * 9 // max(n - 1, 1) for i in range(n)],
    })  # fmt: skip
    kept = lost.head(1).assign(commune_code="19999", p_without=0.2, lost=False, first_year=np.nan)
    return dataclasses.replace(d, losing_last=pd.concat([lost, kept], ignore_index=True))


def test_a_department_s_losses_stay_a_card_and_are_listed_whole_in_the_retirements(
    tiny_diagnostic: Diagnostic,
):
    from accessmap.report import losing_table
    from accessmap.report.verdict import LOSING_NAMED

    codes = [f"19{i:03d}" for i in range(101, 101 + LOSING_NAMED + 3)]
    d = _losing_communes(tiny_diagnostic, codes)
    v = verdict(d)
    card = {c.title: c for c in verdict_cards(d, v)}["Communes sans médecin"]
    assert card.modelled == str(len(codes))
    assert [c for c in codes if c in card.detail] == codes[:LOSING_NAMED]  # the soonest
    assert card.detail.endswith(
        " et 3 autres (liste complète dans la section « Départs en retraite » du rapport)."
    )
    table = losing_table(v)
    assert list(table["code INSEE"]) == codes
    assert list(table.columns) == [
        "commune", "code INSEE", "année de la perte",
        f"probabilité de n'avoir plus de médecin en {v.year_10}",
    ]  # fmt: skip
    assert table.iloc[0, 3] == fmt_percent(1.0)
    assert "19999" not in set(table["code INSEE"])  # kept its GP: not listed
    html = render_html(d)
    section = html[html.index('<h2 id="retraites">') : html.index('<h2 id="decisions">')]
    assert f"Communes qui perdraient leur dernier médecin d'ici {v.year_10}" in section
    assert all(f"<td>{c}</td>" in section for c in codes)
    caption = re.search(r"<caption>([^<]*)</caption>", section)
    assert caption is not None
    assert "illustratifs" in caption.group(1)
    assert "tirages" in caption.group(1)


def test_a_short_list_of_losses_is_named_whole_and_none_is_said(tiny_diagnostic: Diagnostic):
    d = _losing_communes(tiny_diagnostic, ["19001", "19002"])
    v = verdict(d)
    card = {c.title: c for c in verdict_cards(d, v)}["Communes sans médecin"]
    assert "autres" not in card.detail
    assert card.detail.count("probabilité") == 2
    none = dataclasses.replace(tiny_diagnostic, losing_last=pd.DataFrame())
    html = render_html(none)
    section = html[html.index('<h2 id="retraites">') : html.index('<h2 id="decisions">')]
    assert "Aucune commune du territoire ne perdrait son dernier médecin" in section


def test_a_fiche_per_commune_reached_from_the_index(tiny_diagnostic: Diagnostic):
    from accessmap.report.fiches import commune_facts, fiches_html

    d = tiny_diagnostic
    html = fiches_html(d)
    facts = commune_facts(d)
    codes = sorted(d.inputs.territory.communes["code"])
    assert sorted(facts["code"]) == codes
    index = html.split('<div id="index" class="index">', 1)[1].split("</div>", 1)[0]
    linked = re.findall(r'<a href="#fiche-(\d+)">', index)
    assert sorted(linked) == codes
    assert list(facts["nom"]) == sorted(facts["nom"])  # alphabetical index
    for code in codes:
        fiche = html.split(f'id="fiche-{code}"', 1)[1].split("</section>", 1)[0]
        assert "APL publié (DREES)" in fiche
        assert "APL modélisé" in fiche
        assert "Médecin généraliste le plus proche" in fiche
        assert "officiel + effet modélisé" in fiche
        assert "Option « " in fiche
    assert "plotly-graph-div" not in html  # compact: no map per fiche
    assert "<ol class='links'>" in index  # numbered like the location map
    report = render_html(d)
    assert "break-before: page" in report
    assert report.count('class="fiche"') == len(codes) + facts["epci"].nunique()


def test_provenance_has_no_local_path_and_no_duplicate(tiny_diagnostic: Diagnostic):
    prov = provenance_table(tiny_diagnostic)
    assert not prov.duplicated(["source", "path", "sha256"]).any()
    assert len(prov) < len(tiny_diagnostic.inputs.provenance)  # communes-23 was read twice
    assert not prov["path"].str.startswith("/").any()
    assert "communes/communes-19.geojson" in set(prov["path"])
    assert "accessmap/data/declared_sites.csv" in set(prov["path"])


def test_write_report_files_and_atomicity(
    tiny_diagnostic: Diagnostic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    files = write_report(tiny_diagnostic, tmp_path / "reports" / "tiny")
    assert files.html.is_file()
    layers = set(gpd.list_layers(files.geopackage)["name"])
    assert layers == {"territoire", "communes", "zones_acces", "sites_medecins",
                      "mairies_candidates", "options", "plan_recrues", "layer_styles"}  # fmt: skip
    communes = gpd.read_file(files.geopackage, layer="communes")
    assert {"apl", "nearest_minutes", "in_territory", "nom"} <= set(communes.columns)
    assert communes.crs.to_epsg() == 4326
    for layer in ("sites_medecins", "mairies_candidates", "options"):
        names = gpd.read_file(files.geopackage, layer=layer)["nom_commune"]
        assert names.notna().all()
        assert len(names)
    assert pd.read_csv(files.csv["options"])["option"].iloc[0] == "Aujourd'hui"
    before = files.html.read_bytes()

    import accessmap.report.qgis

    def broken(*_: object, **__: object) -> Path:
        raise RuntimeError("disk full")

    # fails half-way through the staging: the HTML and the GeoPackage's layers already written
    monkeypatch.setattr(accessmap.report.qgis, "write_styles", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_report(tiny_diagnostic, tmp_path / "reports" / "tiny")
    assert files.html.read_bytes() == before  # the previous report is intact
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["tiny"]


def test_french_csv_reads_back_to_the_same_numbers(tiny_diagnostic: Diagnostic, tmp_path: Path):
    files = write_report(tiny_diagnostic, tmp_path / "out")
    raw = files.csv_fr["options"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents
    french = pd.read_csv(files.csv_fr["options"], sep=";", decimal=",", encoding="utf-8-sig")
    machine = pd.read_csv(files.csv["options"])
    assert list(french.columns[:2]) == ["option", "année"]
    assert french["option"].tolist() == machine["option"].tolist()
    for col, scale, atol in (
        ("apl_territory", 1, 0.005),
        ("mean_minutes", 1, 0.05),
        ("pop_within_10", 1, 0.5),
        ("share_within_10", 100, 0.05),
    ):
        header = column_label(col) + (" (%)" if scale == 100 else "")
        assert french[header].dtype.kind in "fi", header
        np.testing.assert_allclose(french[header], machine[col] * scale, rtol=0, atol=atol)
    communes = pd.read_csv(files.csv_fr["communes"], sep=";", decimal=",", encoding="utf-8-sig")
    assert set(communes["classe d'APL modélisé"].dropna()) <= {
        "moins de 2,5 : zone prioritaire", "2,5 à 4 : zone de vigilance", "4 ou plus",
    }  # fmt: skip
    assert set(communes["zone"]) == {"territoire", "zone tampon"}
    assert ";" in raw.decode("utf-8-sig").splitlines()[0]


def test_geopackage_opens_styled_in_qgis(tiny_diagnostic: Diagnostic, tmp_path: Path):
    files = write_report(tiny_diagnostic, tmp_path / "out")
    with sqlite3.connect(files.geopackage) as db:
        styles = db.execute(
            "SELECT f_table_name, styleName, styleQML, useAsDefault FROM layer_styles"
        ).fetchall()
        aliases = dict(
            db.execute(
                "SELECT column_name, title FROM gpkg_data_columns WHERE table_name = 'communes'"
            ).fetchall()
        )
    defaults = {name for name, _, _, default in styles if default}
    assert defaults == {"territoire", "communes", "zones_acces", "sites_medecins",
                        "mairies_candidates", "options", "plan_recrues"}  # fmt: skip
    published = "apl_drees" in aliases  # the published APL, when the DREES file covers it
    assert sum(1 for name, *_ in styles if name == "communes") == 2 + published
    communes_qml = next(q for name, _, q, default in styles if name == "communes" and default)
    root = ElementTree.fromstring(communes_qml)  # noqa: S314 - our own QML
    renderer = root.find("renderer-v2")
    assert renderer is not None
    assert renderer.get("attr") == ("apl_drees" if published else "apl")  # official first
    ranges = renderer.findall("ranges/range")
    assert [(r.get("lower"), r.get("label")) for r in ranges][:2] == [
        ("0.0", "moins de 2,5 : zone prioritaire"), ("2.5", "2,5 à 4 : zone de vigilance"),
    ]  # fmt: skip
    qml_aliases = {a.get("field"): a.get("name") for a in root.iter("alias")}
    assert qml_aliases["apl"] == "APL modélisé (consultations/an/hab.)"
    assert aliases["nearest_minutes"] == "temps jusqu'au médecin le plus proche (min)"
    assert aliases["population"] == "habitants"


def test_write_pdf_needs_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from accessmap.report import pdf

    page = tmp_path / "r.html"
    page.write_text("<html></html>", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("ACCESSMAP_CHROMIUM", raising=False)
    monkeypatch.setattr(pdf, "FALLBACK_CHROMIUM", str(tmp_path / "none"))
    with pytest.raises(ChromiumMissingError, match="ACCESSMAP_CHROMIUM"):
        write_pdf(page, tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()
    with pytest.raises(AccessmapError) as missing:
        write_pdf(tmp_path / "missing.html", tmp_path / "r.pdf", chromium=tmp_path / "none")
    assert (missing.value.code, missing.value.params["name"]) == (
        "report.pdf_no_html",
        "missing.html",
    )


def test_rerun_reuses_cache_and_gives_identical_numbers(tmp_path: Path):
    from accessmap.inputs import store_traveltimes

    mirror = write_mirror(tmp_path / "mirror")
    options = DiagnosticOptions(
        inputs=InputOptions(territory="19001,19002,19003", buffer_km=5), runs=20
    )
    steps: list[list[str]] = []
    results = []
    with settings.override(mirror=mirror):
        for _ in range(2):
            seen: list[str] = []
            with Store.open(tmp_path / "db.duckdb") as db:
                results.append(run_diagnostic(options, store=db, progress=seen.append))
                with db.transaction():  # callers write a fresh table, as `diagnose` does
                    store_traveltimes(db, results[-1].traveltimes, label="tiny")
            steps.append(seen)
    assert "temps de trajet" in steps[0]
    assert render("progress.times_cached") in steps[1]
    first, second = results
    pd.testing.assert_frame_equal(first.comparison, second.comparison)
    pd.testing.assert_frame_equal(first.outlook_mc.access, second.outlook_mc.access)
    pd.testing.assert_frame_equal(
        first.traveltimes.table.sort_values(["origin_id", "dest_id"]).reset_index(drop=True),
        second.traveltimes.table.sort_values(["origin_id", "dest_id"]).reset_index(drop=True),
    )


def test_options_validated():
    with pytest.raises(ValidationError, match="runs"):
        DiagnosticOptions(runs=0)
    with pytest.raises(ValidationError, match="minutes"):
        DiagnosticOptions(minutes=-5)


def test_french_numbers():
    assert fr(43096) == "43\u202f096"
    assert fr(4.4751, 2) == "4,48"
    assert fr(0.125, 0, percent=True) == "12\u202f%"
    assert fr(float("nan")) == "—"


@pytest.mark.mirror
@pytest.mark.slow
def test_diagnose_command_on_mirror(
    mirror: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    from accessmap.cli import main

    out = tmp_path / "reports" / "montagne-limousine"
    code = main(
        ["diagnose", "--territory", "montagne-limousine", "--mirror", str(mirror), "--runs", "100",
         "--out", str(out), "--store", str(tmp_path / "db.duckdb")]
    )  # fmt: skip
    assert code == 0
    said = re.sub(r"\s+", " ", capsys.readouterr().out)
    # the terminal's summary gives the published APL first, then the modelled one
    assert re.search(r"APL publié par la DREES \(2023\) \d,\d\d, modélisé \d,\d\d", said)
    assert "commune(s)" not in said
    html = (out / "diagnostic.html").read_text(encoding="utf-8")
    assert "Montagne limousine" in html
    assert (out / "diagnostic.html").stat().st_size <= 5 * 1024 * 1024  # issue 21: at most 5 MB
    # the decisions (issue 20) and the simulator (issue 26) hold within that budget
    assert "Pour qu'aucune commune ne passe sous 2,5 en " in html
    assert 'id="simulateur"' in html
    assert "MilleSoins : une MSP centrale ou un pôle éclaté ?" in html
    assert "Ajain" in html
    # the published report on real data: no tool word before the methods annex, and the
    # agreement with the published APL said once, the territory's then its departments'
    assert [w for w in TOOL_WORDS if w.lower() in reader_text(html).lower()] == []
    assert visible_text(html).count("communes de ses départements, le même accord vaut") == 1
    # illustrative ages: no modelled under-65 APL, said once instead of columns of dashes
    assert "celui des médecins de moins de 65 ans n'est pas modélisé sans leurs âges réels" in html
    assert "APL modélisé, médecins de moins de 65 ans" not in html
    assert "APL publié (DREES 2023)" in html  # the published column stays
    # place names with their article: « au cabinet d'Ussel », never « de Ussel » nor « de Le »
    text = re.sub(r"\s+", " ", visible_text(html))
    assert re.search(r"\b(?:de|à) Les? [A-ZÉ]", text) is None
    assert re.search(r"\b(?:cabinet|MSP|santé) de [AEIOUYÉÈÊÂÎ]", text) is None
    # the imputed activity said in the annex is the calibrated one the APL used
    calibrated = re.search(r"Activité IMPUTÉE [^:]*: ([\d\u202f ]+) actes", text)
    applied = re.search(r"imputés \(ETP × ([\d\u202f ]+) actes", text)
    assert calibrated is not None
    assert applied is not None
    assert calibrated.group(1).strip() == applied.group(1).strip()
    assert (out / "diagnostic.gpkg").is_file()
    with Store.open(tmp_path / "db.duckdb", read_only=True) as db:
        sources = set(db.provenance()["source"])
        assert {"communes", "drees_apl", "gp_sites_creuse"} <= sources
        assert sources & {"bpe_gp", "bpe_sante"}
        assert len(db.read_table("results_communes")) > 97


# --- « Autres professions de santé » -------------------------------------------------------


@pytest.fixture(scope="module")
def professions_diagnostic(tmp_path_factory: pytest.TempPathFactory) -> Diagnostic:
    from tests.test_professions import TINY_BPE

    root = tmp_path_factory.mktemp("diag-professions")
    mirror = write_mirror(root / "mirror")
    (mirror / "bpe" / "bpe19_ensemble_sante.csv").write_text(TINY_BPE, encoding="utf-8")
    with settings.override(mirror=mirror, cache_dir=root / "cache", online=False):
        return run_diagnostic(
            DiagnosticOptions(
                inputs=InputOptions(territory="19001,19002,19003,19004,19005", buffer_km=5),
                runs=20,
            )
        )


def test_professions_section_is_french_with_maps_and_the_counting_caveat(
    professions_diagnostic: Diagnostic,
):
    from accessmap.diagnostic.professions import COUNTING_CAVEAT, OTHER_PROFESSIONS

    d = professions_diagnostic
    assert [r.profession for r in d.professions.others] == list(OTHER_PROFESSIONS)
    assert next(iter(d.professions)) == d.professions.primary  # the primary profession first
    html = render_html(d)
    assert '<li><a href="#professions">Autres professions de santé</a></li>' in html
    section = html[html.index('<h2 id="professions">') : html.index('<h2 id="methodes">')]
    assert '<p class="lead">' in section
    for key in OTHER_PROFESSIONS:
        assert f'id="fig-profession_{key}"' in section
    caption = re.search(r"<caption>([^<]*)</caption>", section)
    assert caption is not None
    assert COUNTING_CAVEAT in caption.group(1)
    assert "Synthèse par profession" in section
    assert "ETP pour 100\u00a0000 habitants" in section or "ETP pour 100 000 habitants" in section
    assert "Communes qui perdraient" in section
    assert "illustratifs" in section  # BPE counts: illustrative ages, said in the table
    text = visible_text(section)
    assert [w for w in LEAKS if w in text] == []
    assert "masseur_kinesitherapeute" not in text  # keys never reach a reader
    assert "6,0" in text  # six nurses (FTE) in the territory, French decimal comma


def test_professions_section_absent_when_switched_off(tiny_diagnostic: Diagnostic):
    import dataclasses

    from accessmap.report import figures

    p = tiny_diagnostic.professions
    off = dataclasses.replace(
        tiny_diagnostic,
        options=dataclasses.replace(tiny_diagnostic.options, professions=False),
        professions=dataclasses.replace(p, results={p.primary: p[p.primary]}),
    )
    html = render_html(off)
    assert 'id="professions"' not in html
    assert not [k for k in figures(off) if k.startswith("profession_")]
    # switched on without the BPE 2019 file: the section says why it is empty
    assert tiny_diagnostic.professions.others == ()
    section = render_html(tiny_diagnostic)
    assert "manque au miroir de données" in section
    assert "Aucune autre profession" in section


def test_professions_geopackage_layers_and_csvs(professions_diagnostic: Diagnostic, tmp_path: Path):
    from accessmap.diagnostic.professions import OTHER_PROFESSIONS

    files = write_report(professions_diagnostic, tmp_path / "out")
    layers = set(gpd.list_layers(files.geopackage)["name"])
    assert {f"profession_{k}" for k in OTHER_PROFESSIONS} <= layers
    nurses = gpd.read_file(files.geopackage, layer="profession_infirmier")
    assert nurses["nom"].notna().all()
    assert nurses.crs.to_epsg() == 4326
    assert {"nearest_minutes", "value", "band", "source"} <= set(nurses.columns)
    with sqlite3.connect(files.geopackage) as db:
        aliases = dict(
            db.execute(
                "SELECT column_name, title FROM gpkg_data_columns "
                "WHERE table_name = 'profession_infirmier'"
            ).fetchall()
        )
        styles = db.execute(
            "SELECT styleQML, useAsDefault FROM layer_styles "
            "WHERE f_table_name = 'profession_pharmacie'"
        ).fetchall()
    assert aliases["nearest_minutes"] == "infirmiers : temps jusqu'au plus proche (min)"
    assert aliases["value"] == "APL (ETP pour 100 000 habitants)"
    assert all("_" not in title for title in aliases.values())
    assert len(styles) == 1
    assert styles[0][1] == 1
    root = ElementTree.fromstring(styles[0][0])  # noqa: S314 - our own QML
    renderer = root.find("renderer-v2")
    assert renderer is not None
    assert renderer.get("attr") == "nearest_minutes"
    summary = pd.read_csv(files.csv["professions_synthese"])
    assert summary.set_index("profession").loc["infirmier", "practitioners"] == 6
    french = pd.read_csv(files.csv_fr["professions_synthese"], sep=";", decimal=",",
                         encoding="utf-8-sig")  # fmt: skip
    assert "professionnels dans le territoire" in french.columns
    assert "ETP" in french.columns
    assert "practitioners" not in french.columns
    assert files.csv["professions_communes"].is_file()
    assert files.csv["pertes_professions"].is_file()


def test_pole_tables_and_layer(professions_diagnostic: Diagnostic):
    import dataclasses

    from accessmap.indicators import PoleView
    from accessmap.report.exports import layer_aliases, layer_styles, profession_layers

    d = professions_diagnostic
    site = d.inputs.roster.sites.iloc[0]
    pole = PoleView(
        sites=pd.DataFrame({
            "site_id": [site["site_id"]] * 2, "name": ["MSP de Test"] * 2,
            "commune_code": [site["commune_code"]] * 2,
            "profession": ["generaliste", "infirmier"], "headcount": [2, 3], "fte": [2.0, 3.0],
        }),
        reach=pd.DataFrame({
            "profession": ["generaliste", "generaliste", "infirmier", "infirmier"],
            "minutes": [15.0, 30.0, 15.0, 30.0], "n_sites": [1, 1, 1, 1],
            "population": [1000.0, 1875.0, 1000.0, 1500.0],
            "share": [1000 / 1875, 1.0, 1000 / 1875, 0.8],
        }),
        population=1875.0,
    )  # fmt: skip
    with_pole = dataclasses.replace(d, professions=dataclasses.replace(d.professions, pole=pole))
    html = render_html(with_pole)
    section = visible_text(html[html.index('<h2 id="professions">') :])
    assert "MSP de Test" in section
    assert "médecins généralistes (2), infirmiers (3)" in section
    assert "part des habitants à moins de 15 min" in section
    assert "53\u202f%" in section  # 1 000 of 1 875 inhabitants within 15 minutes
    assert "80\u202f%" in section
    layers = profession_layers(with_pole)
    points = layers["pole"]
    assert points.crs.to_epsg() == 4326
    assert points["professions_fr"].iloc[0] == "médecins généralistes (2), infirmiers (3)"
    assert points["nom_commune"].iloc[0]
    aliases = layer_aliases(layers, diagnostic=with_pole)["pole"]
    assert aliases["professions_fr"] == "professions présentes (effectif)"
    styles = [s for s in layer_styles({**layers, **_base_layers(d)}, diagnostic=with_pole)
              if s.layer == "pole"]  # fmt: skip
    assert len(styles) == 1
    assert styles[0].default


def _base_layers(d: Diagnostic) -> dict[str, gpd.GeoDataFrame]:
    from accessmap.report.exports import geopackage_layers

    return {k: v for k, v in geopackage_layers(d).items() if not k.startswith("profession")}


def test_every_profession_with_an_apl_gets_its_recruits_needed(
    professions_diagnostic: Diagnostic,
):
    from accessmap.professions import profession

    d = professions_diagnostic
    table = d.profession_recruits
    with_apl = {
        r.profession for r in d.professions.others
        if profession(r.profession).indicator == "apl" and r.outlook is not None
    }  # fmt: skip
    assert set(table["profession"]) == with_apl
    assert (table["threshold"] > 0).all()
    # the plan never leaves more inhabitants under the threshold than doing nothing
    assert (table["under_year_after"] <= table["under_year"]).all()
    html = render_html(d)
    assert "Combien de professionnels recruter d'ici" in html
    assert "seuil de référence" in html
