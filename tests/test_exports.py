"""Exports a spreadsheet user and a QGIS user read: French CSVs, data dictionary, GeoPackage."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from xml.etree import ElementTree

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from accessmap import settings
from accessmap.diagnostic import Diagnostic, DiagnosticOptions, run_diagnostic
from accessmap.inputs import InputOptions
from accessmap.labels import KIND_DIGITS, KIND_LABELS, MEASURE_KINDS
from accessmap.report import ReportFiles, write_report
from accessmap.report.figures import figures
from tests.factories import write_mirror
from tests.test_messages import english_words

#: English words of the exports as issue 21 found them (beyond the generic detector's list).
LEAKS = ("mirror", "user file", "territory", "buffer", "illustrative", "pop within", "published",
         "share within")  # fmt: skip
#: Type of the dictionary → kind of the registry.
KINDS = {text: kind for kind, text in KIND_LABELS.items()}


@pytest.fixture(scope="module")
def report_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Diagnostic, ReportFiles, list[str]]:
    """A tiny diagnostic, its report, and the progress lines the report's writing gave."""
    from tests.test_professions import TINY_BPE

    root = tmp_path_factory.mktemp("exports")
    mirror = write_mirror(root / "mirror")
    (mirror / "bpe" / "bpe19_ensemble_sante.csv").write_text(TINY_BPE, encoding="utf-8")
    with settings.override(mirror=mirror, cache_dir=root / "cache", online=False):
        d = run_diagnostic(
            DiagnosticOptions(
                inputs=InputOptions(territory="19001,19002,19003,19004,19005", buffer_km=5),
                runs=20,
            )
        )
    lines: list[str] = []
    return d, write_report(d, root / "reports" / "tiny", progress=lines.append), lines


@pytest.fixture(scope="module")
def report(report_run: tuple[Diagnostic, ReportFiles, list[str]]) -> tuple[Diagnostic, ReportFiles]:
    return report_run[0], report_run[1]


def test_writing_the_report_says_which_file_it_writes(
    report_run: tuple[Diagnostic, ReportFiles, list[str]],
):
    from accessmap.messages import render

    codes = ("progress.report_page", "progress.report_layers", "progress.report_tables")
    assert report_run[2] == [render(code) for code in codes]


def _read_fr(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")


def _territory_first(machine: pd.DataFrame) -> pd.DataFrame:
    if "in_territory" in machine.columns:
        outside = ~machine["in_territory"].astype(bool).to_numpy()
    elif "zone" in machine.columns:
        outside = (machine["zone"] != "territory").to_numpy()
    else:
        return machine
    return machine.iloc[np.argsort(outside, kind="stable")].reset_index(drop=True)


def test_french_csvs_give_the_machine_numbers_to_the_rounding_shown(report):
    _, files = report
    dictionary = _read_fr(files.dictionary)
    compared = 0
    for stem, path in files.csv_fr.items():
        french = _read_fr(path)
        machine = _territory_first(pd.read_csv(files.csv[stem]))
        assert len(french) == len(machine), stem
        rows = dictionary[dictionary["fichier"] == f"{stem}.csv"]
        assert list(rows["colonne"]) == list(french.columns), stem
        for header, source, text in zip(rows["colonne"], rows["colonne du tableau machine"],
                                        rows["type"], strict=True):  # fmt: skip
            kind = KINDS[text]
            if kind == "text" or source not in machine.columns:
                continue
            if not pd.api.types.is_numeric_dtype(machine[source]):
                continue
            kinds = (
                machine["measure"].map(lambda m, k=kind: MEASURE_KINDS.get(m, k))
                if "measure" in machine.columns and source in {"value", "q10", "q50", "q90"}
                else pd.Series(kind, index=machine.index)
            )  # the outlook's long tables: each row is rounded by its measure's kind
            scale = np.where(kinds == "share", 100.0, 1.0)
            half = 0.5 * 10.0 ** -kinds.map(KIND_DIGITS).to_numpy(float) + 1e-9
            expected = machine[source].to_numpy(float) * scale
            expected[np.isinf(expected)] = np.nan  # no infinite number in a spreadsheet: empty
            shown = french[header].to_numpy(float)
            np.testing.assert_array_equal(np.isnan(shown), np.isnan(expected), err_msg=header)
            ok = ~np.isnan(expected)
            assert np.all(np.abs(shown[ok] - expected[ok]) <= half[ok]), (stem, header)
            compared += 1
    assert compared >= 30


def test_french_csvs_are_rounded_named_and_split_by_zone(report):
    _, files = report
    options = files.csv_fr["options"].read_text(encoding="utf-8-sig")
    assert ",0;" not in options  # whole counts as integers, no trailing zero
    assert ",00" not in options
    communes = _read_fr(files.csv_fr["communes"])
    assert list(communes.columns[:3]) == ["zone", "code INSEE", "commune"]
    zones = communes["zone"].tolist()
    assert zones == sorted(zones, key=lambda z: z != "territoire")  # the territory first
    assert set(zones) == {"territoire", "zone tampon"}
    assert "nom du site le plus proche" in communes.columns
    apl = communes["APL modélisé (consultations/an/hab.)"].dropna()
    assert (apl.round(2) == apl).all()
    bands = _read_fr(files.csv_fr["bandes"])
    assert bands["part (%)"].sum() == pytest.approx(100.0, abs=0.2)


def test_french_csvs_have_no_english(report):
    _, files = report
    for path in [*files.csv_fr.values(), files.dictionary]:
        text = path.read_text(encoding="utf-8-sig")
        frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if path == files.dictionary:
            frame = frame.drop(columns="colonne du tableau machine")  # machine names, by design
        cells = " ".join([*frame.columns, *frame.to_numpy().ravel().tolist()])
        assert english_words(cells) == [], path.name
        assert [w for w in LEAKS if w in cells.lower()] == [], path.name
        assert "_" not in " ".join(frame.columns), path.name
        assert text


def test_data_dictionary_describes_every_table_and_column(report):
    _, files = report
    dictionary = _read_fr(files.dictionary)
    assert set(dictionary["fichier"]) == {f"{s}.csv" for s in files.csv_fr}
    assert dictionary["description"].str.len().gt(5).all()
    assert dictionary["contenu du fichier"].str.len().gt(5).all()
    assert (files.dictionary.parent / "dictionnaire.html").is_file()


def test_geopackage_layers_french_outline_rings_and_styles(report):
    d, files = report
    layers = set(gpd.list_layers(files.geopackage)["name"])
    assert {"territoire", "zones_acces", "sites_medecins", "mairies_candidates"} <= layers
    assert not layers & {"catchments", "candidates", "sites"}
    outline = gpd.read_file(files.geopackage, layer="territoire")
    assert len(outline) == 1
    assert outline.to_crs(2154).area.iloc[0] == pytest.approx(
        d.inputs.territory.communes.to_crs(2154).area.sum(), rel=1e-3
    )
    rings = gpd.read_file(files.geopackage, layer="zones_acces").to_crs(2154)
    assert list(rings["minutes"]) == [10.0, 20.0, 30.0]
    for i in range(len(rings)):
        for j in range(i + 1, len(rings)):
            overlap = rings.geometry.iloc[i].intersection(rings.geometry.iloc[j]).area
            assert overlap < 1.0, (i, j)  # nested rings, not stacked zones
    with sqlite3.connect(files.geopackage) as db:
        aliases = db.execute("SELECT table_name, title FROM gpkg_data_columns").fetchall()
        qml = db.execute(
            "SELECT styleQML FROM layer_styles WHERE f_table_name = 'options' AND useAsDefault"
        ).fetchone()[0]
    per_layer: dict[str, list[str]] = {}
    for layer, title in aliases:
        per_layer.setdefault(layer, []).append(title)
    for layer, titles in per_layer.items():
        assert len(titles) == len(set(titles)), layer  # no two fields read the same
    root = ElementTree.fromstring(qml)  # noqa: S314 - our own QML
    renderer = root.find("renderer-v2")
    assert renderer is not None
    assert renderer.get("type") == "categorizedSymbol"
    kinds = {r.model for r in d.options_siting}
    assert len(renderer.findall("categories/category")) == len(kinds)
    shapes = [o.get("value") for o in root.iter("Option") if o.get("name") == "name"]
    assert len(set(shapes)) == len(kinds)
    assert root.find("labeling") is not None


def test_report_size_is_told_and_plotly_is_packed(report):
    d, files = report
    assert files.html_bytes == files.html.stat().st_size
    html = files.html.read_text(encoding="utf-8")
    assert "accessmapOnPlotly" in html
    assert "Copyright 2012" not in html  # plotly.js is inlined compressed, once
    maps = figures(d)
    assert '"dtype":"f4"' in maps["temps"].to_json()  # map coordinates packed as float32
    assert '"dtype":"f4"' not in maps["bandes"].to_json()  # charts untouched


def test_communes_style_colours_the_published_apl_first():
    from accessmap.labels import column_label
    from accessmap.report import qgis

    fields = ["code", "nom", "apl", "apl_drees", "nearest_minutes"]
    aliases = {f: column_label(f) for f in fields}
    assert aliases["apl_drees"] == "APL publié (DREES)"
    assert aliases["apl"].startswith("APL modélisé")
    styles = qgis.communes_styles(fields, aliases)
    default = [s for s in styles if s.default]
    assert len(default) == 1
    renderer = ElementTree.fromstring(default[0].qml).find("renderer-v2")  # noqa: S314
    assert renderer is not None
    assert renderer.get("attr") == "apl_drees"
    assert "DREES" in default[0].name
    modelled = qgis.communes_styles(["apl", "nearest_minutes"], aliases)
    assert [s.qml.count('attr="apl"') for s in modelled if s.default] == [1]


def test_the_recruits_plan_is_a_styled_layer(report):
    d, files = report
    if d.decisions is None or d.decisions.recruits is None:
        pytest.skip("no decision computed on this territory")
    plan = gpd.read_file(files.geopackage, layer="plan_recrues")
    assert sorted(plan["site_id"]) == sorted(d.decisions.recruits.sites["site_id"])
    assert plan["fte"].sum() == pytest.approx(d.decisions.recruits.fte)
    assert all(" ETP " in text for text in plan["libelle"])
    with sqlite3.connect(files.geopackage) as db:
        styled = db.execute(
            "SELECT count(*) FROM layer_styles WHERE f_table_name = 'plan_recrues' AND useAsDefault"
        ).fetchone()[0]
    assert styled == 1
