from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from accessmap import settings, sources
from accessmap.errors import MissingDataError, OfflineError, ValidationError
from accessmap.messages import AccessmapWarning
from accessmap.sources import _http
from accessmap.sources.drees import parse_apl_parameters
from tests.factories import write_mirror


@pytest.fixture
def tiny_mirror(tmp_path: Path) -> Path:
    return write_mirror(tmp_path / "mirror")


def test_communes_from_mirror_with_provenance(tiny_mirror: Path):
    log: list[sources.SourceFile] = []
    with settings.override(mirror=tiny_mirror):
        frame = sources.load_communes(["19"], provenance=log)
    assert list(frame.columns) == list(sources.COMMUNE_COLUMNS)
    assert frame["code"].tolist() == ["19001", "19002", "19003", "19004", "19005"]
    assert frame.crs.to_epsg() == 4326
    # area from the polygon in Lambert-93 when the service gives no surface: 0.1° x 0.1° here
    assert frame["area_km2"].between(80, 90).all()
    assert len(log) == 1
    assert log[0].origin == "mirror"
    assert len(log[0].sha256) == 64


def test_mirror_path_missing(tmp_path: Path):
    with settings.override(mirror=tmp_path / "nowhere"), pytest.raises(MissingDataError) as err:
        sources.load_communes(["19"])
    assert err.value.code == "sources.mirror_missing"
    assert err.value.field == "--mirror"
    assert "nowhere" in err.value.message
    assert str(tmp_path) not in str(err.value)  # no absolute path of the machine


def test_offline_without_mirror_says_what_is_missing():
    with pytest.raises(OfflineError) as err:
        sources.load_communes(["19"])
    assert err.value.code == "sources.offline"
    assert err.value.field == "communes/communes-19.geojson"
    message = str(err.value)
    assert "communes/communes-19.geojson" in message
    assert "--mirror" in message
    assert "--online" in message


def test_corrupt_geojson(tiny_mirror: Path):
    (tiny_mirror / "communes" / "communes-19.geojson").write_text("{not json", encoding="utf-8")
    with settings.override(mirror=tiny_mirror), pytest.raises(ValidationError) as err:
        sources.load_communes(["19"])
    assert err.value.code == "sources.invalid_geojson"
    assert err.value.field == "communes/communes-19.geojson"  # relative to the mirror


def test_geojson_without_features(tiny_mirror: Path):
    path = tiny_mirror / "communes" / "communes-19.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    with settings.override(mirror=tiny_mirror), pytest.raises(ValidationError) as err:
        sources.load_communes(["19"])
    assert err.value.code == "sources.no_commune_features"
    assert err.value.params["dep"] == "19"


def test_negative_population_and_duplicates(tiny_mirror: Path):
    path = tiny_mirror / "communes" / "communes-19.geojson"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["features"][1]["properties"]["population"] = -5
    path.write_text(json.dumps(raw), encoding="utf-8")
    with settings.override(mirror=tiny_mirror), pytest.raises(ValidationError) as err:
        sources.load_communes(["19"])
    assert err.value.code == "sources.bad_population"
    assert err.value.params["codes"] == ["19002"]
    assert "19002" in err.value.message
    raw["features"][1]["properties"]["population"] = 5
    raw["features"][2]["properties"]["code"] = "19001"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with settings.override(mirror=tiny_mirror), pytest.raises(ValidationError) as err:
        sources.load_communes(["19"])
    assert err.value.code == "sources.duplicate_communes"
    assert err.value.params["codes"] == ["19001"]


def test_bad_department_code():
    with pytest.raises(ValidationError) as err:
        sources.load_communes(["99"])
    assert err.value.code == "sources.not_department_codes"
    assert err.value.params["codes"] == ["99"]


def test_town_hall_far_outside_is_moved(tiny_mirror: Path):
    path = tiny_mirror / "communes" / "communes-19.geojson"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["features"][0]["properties"]["mairie"]["coordinates"] = [5.0, 48.0]
    path.write_text(json.dumps(raw), encoding="utf-8")
    with settings.override(mirror=tiny_mirror), pytest.warns(AccessmapWarning) as caught:
        frame = sources.load_communes(["19"])
    note = caught[0].message
    assert isinstance(note, AccessmapWarning)
    assert note.note.code == "sources.town_halls_moved"
    assert note.note.params["codes"] == ["19001"]
    assert "19001" in str(note)
    row = frame.set_index("code").loc["19001"]
    assert bool(row["mairie_moved"])
    assert 2.0 < row["mairie_lon"] < 2.1
    assert not frame.set_index("code").loc["19002", "mairie_moved"]


def test_department_of():
    assert sources.department_of("19031") == "19"
    assert sources.department_of("2A004") == "2A"
    assert sources.department_of("97105") == "971"
    with pytest.raises(ValidationError) as err:
        sources.department_of("99999")
    assert err.value.code == "sources.no_such_department"
    assert err.value.params == {"code": "99999", "dep": "99"}
    with pytest.raises(ValidationError) as err:
        sources.department_of("1903")
    assert err.value.code == "sources.not_a_commune_code"


def test_bpe_counts_and_duplicates(tiny_mirror: Path):
    with settings.override(mirror=tiny_mirror):
        counts = sources.load_bpe_gp_counts()
    assert counts.set_index("code")["n_gp"].to_dict() == {"19001": 3, "19003": 1, "23001": 2}
    path = tiny_mirror / "bpe" / "bpe_d201_generalistes.csv"
    path.write_text("CODGEO,NB_D201\n19001,3\n19001,3\n19002,1\n", encoding="utf-8")
    with settings.override(mirror=tiny_mirror), pytest.warns(AccessmapWarning) as caught:
        assert len(sources.load_bpe_gp_counts()) == 2
    note = caught[0].message
    assert isinstance(note, AccessmapWarning)
    assert note.note.code == "sources.exact_duplicates_dropped"
    assert note.note.params["count"] == 1
    assert note.note.params["name"] == "bpe/bpe_d201_generalistes.csv"
    path.write_text("CODGEO,NB_D201\n19001,3\n19001,4\n", encoding="utf-8")
    with settings.override(mirror=tiny_mirror), pytest.raises(ValidationError) as err:
        sources.load_bpe_gp_counts()
    assert err.value.code == "sources.conflicting_rows"
    assert err.value.params["codes"] == ["19001"]
    path.write_text("CODGEO,NB_D201\n19001,-3\n", encoding="utf-8")
    with settings.override(mirror=tiny_mirror), pytest.raises(ValidationError) as err:
        sources.load_bpe_gp_counts()
    assert (err.value.code, err.value.field) == ("sources.bad_counts", "NB_D201")
    path.write_text("CODE,N\n19001,3\n", encoding="utf-8")
    with settings.override(mirror=tiny_mirror), pytest.raises(ValidationError) as err:
        sources.load_bpe_gp_counts()
    assert err.value.code == "sources.missing_columns"
    assert err.value.params["columns"] == ["CODGEO", "NB_D201"]


def test_creuse_sites_get_their_commune(tiny_mirror: Path):
    with settings.override(mirror=tiny_mirror):
        sites = sources.load_gp_sites_creuse()
    assert sites["commune_code"].tolist() == ["23001"]
    assert sites["site_id"].str.startswith("gp23-").all()


def _workbook(path: Path, *, with_parameters: bool = True) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    if with_parameters:
        first.title = "Paramètres"
        rows = [
            ("Paramètres de l'indicateur",),
            ("Comptabilisation de l'activité",),
            ("Nombre de consultations", "comptabilisées"),
            ("Moins de 250", 0),
            ("Entre 251 et 3 600", 3600),
            ("Entre 3 601 et 6 000", "Nombre de consultations"),
            ("Plus de 6 000", 6000),
            ("Exceptions : une offre de 5 400 consultations ou visites est imputée ;",),
            ("Décroissance de l'accessibilité avec la distance",),
            ("Temps de trajet entre communes", "Accessibilité"),
            ("Moins de  10 minutes", 1),
            ("Entre 10 et 15 minutes", 2 / 3),
            ("Entre 15 et 20 minutes", 1 / 3),
            ("Plus de 20 minutes", 0),
            ("Pondération de la population selon l'âge",),
            ("Tranche d'âge", "Poids en 2023"),
            *[(f"band {i}", 1.0 + i / 100) for i in range(19)],
            ("Sources : DCIR",),
        ]
        for row in rows:
            first.append(list(row))
        sheet = book.create_sheet("APL 2023")
    else:
        first.title = "Autre"
        sheet = book.create_sheet("APL 2023")
    sheet.append(["Indicateur"])
    sheet.append(["Code commune INSEE", "Commune", "APL", "APL <65", "Pop std", "Pop"])
    sheet.append([None, None, "unit", "unit", "unit", "unit"])
    sheet.append(["19001", "Alpha", 2.5, 2.0, 1100.5, 1000])
    sheet.append(["19002", "Beta", 1.5, 1.0, 480.0, 500])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_drees_workbook_parameters_and_published(tmp_path: Path):
    mirror = tmp_path / "m"
    _workbook(mirror / "drees" / "apl_generalistes.xlsx")
    log: list[sources.SourceFile] = []
    with settings.override(mirror=mirror):
        params = sources.load_apl_parameters(provenance=log)
        published = sources.load_apl_published(provenance=log)
        again = sources.load_apl_published()  # from the parsed cache
    assert params.zero_below == 250
    assert params.floor_acts == 3600
    assert params.cap_acts == 6000
    assert params.new_gp_acts == 5400
    assert [(b.lower, b.upper) for b in params.decay] == [(0, 10), (10, 15), (15, 20)]
    assert params.decay[1].weight == pytest.approx(2 / 3)
    assert len(params.age_weights[2023]) == 19
    assert published["code"].tolist() == ["19001", "19002"]
    assert published["year"].unique().tolist() == [2023]
    assert published.loc[0, "pop_std"] == pytest.approx(1100.5)
    assert again.equals(published)
    assert len(log) == 2
    with settings.override(mirror=mirror), pytest.raises(ValidationError) as err:
        sources.load_apl_published(years=[2019])
    assert err.value.code == "sources.apl_years_absent"
    assert err.value.params == {"years": [2019], "available": [2023]}


def test_drees_workbook_without_parameter_sheet(tmp_path: Path):
    mirror = tmp_path / "m"
    _workbook(mirror / "drees" / "apl_generalistes.xlsx", with_parameters=False)
    with settings.override(mirror=mirror), pytest.raises(ValidationError) as err:
        sources.load_apl_parameters()
    assert err.value.code == "sources.no_parameter_sheet"
    assert err.value.params["sheet"] == "Paramètres"
    assert err.value.field == "drees/apl_generalistes.xlsx"


def test_drees_parameters_incomplete():
    with pytest.raises(ValidationError) as err:
        parse_apl_parameters([("Comptabilisation",), ("Moins de 250", 0)])
    assert err.value.code == "sources.apl_parameters_incomplete"
    missing = {m.code for m in err.value.params["missing"]}
    assert "sources.apl_decay_bands" in missing
    assert "sources.apl_age_weights" in missing


def test_http_cache_offline_and_keys(tmp_path: Path):
    assert _http.cache_key("u", {"a": "1", "b": "2"}) == _http.cache_key("u", {"b": "2", "a": "1"})
    assert _http.cache_key("u", {"a": "1"}) != _http.cache_key("u", {"a": "2"})
    with pytest.raises(OfflineError) as err:
        _http.http_get("https://example.invalid/x", {"q": "1"}, what="thing")
    assert (err.value.code, err.value.field) == ("sources.offline", "thing")
    assert "--online" in str(err.value)
    cached = _http.cached_path("https://example.invalid/x", {"q": "1"})
    _http.atomic_write_bytes(cached, b"hello")
    assert _http.http_get("https://example.invalid/x", {"q": "1"}).read_bytes() == b"hello"


def test_http_errors_are_not_cached(monkeypatch: pytest.MonkeyPatch):
    import requests

    class Answer:
        status_code = 503
        content = b"busy"

    calls: list[str] = []

    def fake_get(url: str, **_: object) -> Answer:
        calls.append(url)
        return Answer()

    monkeypatch.setattr(requests, "get", fake_get)
    with settings.override(online=True):
        for _ in range(2):
            with pytest.raises(MissingDataError) as err:
                _http.http_get("https://example.invalid/y")
            assert err.value.code == "sources.http_status"
            assert err.value.params["status"] == 503
    assert len(calls) == 2
    assert not _http.cached_path("https://example.invalid/y").exists()


def test_online_download_fills_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    import requests

    from tests.factories import TINY_COMMUNES, commune_feature

    body = json.dumps(
        {"type": "FeatureCollection", "features": [commune_feature(TINY_COMMUNES[0])]}
    ).encode()

    class Answer:
        status_code = 200
        content = body

    seen: list[dict[str, str]] = []

    def fake_get(url: str, params: dict[str, str], **_: object) -> Answer:
        seen.append({"url": url, **params})
        return Answer()

    monkeypatch.setattr(requests, "get", fake_get)
    log: list[sources.SourceFile] = []
    with settings.override(online=True):
        frame = sources.load_communes(["19"], provenance=log)
        assert frame["code"].tolist() == ["19001"]
        sources.load_communes(["19"])  # second call: from the cache
    assert len(seen) == 1
    assert seen[0]["url"].endswith("/departements/19/communes")
    assert "contour" in seen[0]["fields"]
    assert log[0].origin == "online"


@pytest.mark.mirror
def test_real_mirror_files(mirror: Path):
    with settings.override(mirror=mirror):
        params = sources.load_apl_parameters()
        counts = sources.load_bpe_gp_counts()
        published = sources.load_apl_published(years=[2023])
        sites = sources.load_gp_sites_creuse()
    assert params.age_weights[2023][0] == pytest.approx(1.12)
    assert params.age_weights[2023][15] == pytest.approx(1.57)
    assert params.age_weights[2023][18] == pytest.approx(2.26)
    assert counts["n_gp"].gt(0).all()
    assert published["code"].is_unique
    assert len(published) > 34000
    assert sites["commune_code"].str.startswith("23").all()


def test_parse_errors_name_the_place_not_the_parser():
    import json as json_module
    import tomllib
    import xml.etree.ElementTree as ET

    from accessmap.messages import Message
    from accessmap.sources import parse_error_place

    with pytest.raises(json_module.JSONDecodeError) as bad_json:
        json_module.loads('{"a": }')
    assert parse_error_place(bad_json.value) == Message("sources.at_line_column", line=1, column=7)
    with pytest.raises(ET.ParseError) as bad_xml:
        ET.fromstring("<osm>\n<node></osm>")  # noqa: S314 (a literal)
    assert parse_error_place(bad_xml.value) == Message("sources.at_line_column", line=2, column=8)
    with pytest.raises(tomllib.TOMLDecodeError) as bad_toml:
        tomllib.loads("[[option]\n")
    assert parse_error_place(bad_toml.value) == Message("sources.at_line_column", line=1, column=9)
    assert parse_error_place(ValueError("no place")) == Message(
        "sources.parser_said", detail="no place"
    )
    assert str(parse_error_place(ValueError("x at line 4"))) == "ligne 4"
