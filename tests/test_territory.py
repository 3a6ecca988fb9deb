from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from accessmap import settings
from accessmap.errors import MissingDataError, ValidationError
from accessmap.inputs import load_territory
from accessmap.inputs.territory import (
    TerritoryKind,
    find_territory_kind,
    registered_territory_kind,
    territory_help,
    territory_kinds,
)
from accessmap.messages import CATALOGUE, AccessmapWarning
from accessmap.sources import SourceFile
from accessmap.territory import (
    DEPARTMENT_NEIGHBOURS,
    Territory,
    build_territory,
    points,
    summary,
    summary_dict,
)
from tests.factories import tiny_communes, write_mirror


def test_build_from_codes_with_buffer():
    communes = tiny_communes()
    area = build_territory(communes, codes=["19001", "19002"], buffer_km=5)
    assert area.codes == ["19001", "19002"]
    # Gamma touches Beta, Delta is 7.8 km east of Beta; Zeta touches Alpha; Eta is 80 km away.
    assert set(area.buffer["code"]) == {"19003", "23001"}
    study = area.study_area
    assert study["in_territory"].sum() == 2
    assert len(study) == 4


def test_buffer_zero_and_negative():
    communes = tiny_communes()
    assert build_territory(communes, codes=["19001"], buffer_km=0).buffer.empty
    with pytest.raises(ValidationError) as err:
        build_territory(communes, codes=["19001"], buffer_km=-1)
    assert (err.value.code, err.value.field) == ("territory.negative_buffer", "buffer_km")


@pytest.mark.parametrize(
    ("codes", "code", "named"),
    [
        (["19001", "19999"], "territory.unknown_codes", ["19999"]),
        (["19001", "190011"], "territory.malformed_codes", ["190011"]),
        ([], "territory.empty_selection", None),
        (["19001", "19001"], "territory.duplicate_codes", ["19001"]),
    ],
)
def test_bad_codes(codes: list[str], code: str, named: list[str] | None):
    with pytest.raises(ValidationError) as err:
        build_territory(tiny_communes(), codes=codes)
    assert err.value.code == code
    assert err.value.field == "codes"
    assert err.value.params.get("codes") == named
    for value in named or ():
        assert value in err.value.message


def test_no_crs_and_several_selectors():
    communes = tiny_communes()
    with pytest.raises(ValidationError) as err:
        build_territory(communes.set_crs(None, allow_override=True), codes=["19001"])
    assert (err.value.code, err.value.field) == ("territory.communes_no_crs", "communes.crs")
    with pytest.raises(ValidationError) as err:
        build_territory(communes, codes=["19001"], epci=["200000019"])
    assert err.value.code == "territory.selectors"
    assert err.value.params["count"] == 2


def test_polygon_epci_and_nearest_selectors():
    communes = tiny_communes()
    poly = gpd.GeoDataFrame(geometry=[box(1.99, 45.59, 2.21, 45.69)], crs="EPSG:4326")
    assert build_territory(communes, polygon=poly.to_crs(2154)).codes == ["19001", "19002"]
    assert len(build_territory(communes, epci=["200000019"]).communes) == 5
    near = build_territory(communes, nearest_to=(2.36, 45.65), n_nearest=2)
    assert near.codes == ["19004", "19005"]
    with pytest.raises(ValidationError) as err:
        build_territory(communes, polygon=poly.set_crs(None, allow_override=True))
    assert (err.value.code, err.value.field) == ("territory.polygon_no_crs", "polygon")


def test_points_and_summary():
    area = build_territory(tiny_communes(), codes=["19001", "19002", "19005"], buffer_km=0)
    pts = points(area.communes)
    assert list(pts.columns) == ["id", "lon", "lat", "population"]
    assert pts.loc[0, "lon"] == pytest.approx(2.05)
    centroids = points(area.communes, how="centroid")
    assert centroids.loc[0, "lat"] == pytest.approx(45.65, abs=1e-3)
    table = summary(area)
    total = table[table["dep"] == "total"].iloc[0]
    assert total["communes"] == 3
    assert total["population"] == 1500
    assert total["density"] == pytest.approx(1500 / total["area_km2"])
    data = summary_dict(area)
    assert data["communes"] == 3
    json.dumps(data)


def test_neighbours_are_symmetric():
    for dep, others in DEPARTMENT_NEIGHBOURS.items():
        for other in others:
            assert dep in DEPARTMENT_NEIGHBOURS[other]
    assert {"15", "24", "46", "63"} <= DEPARTMENT_NEIGHBOURS["19"]


def test_load_from_tiny_mirror_specs(tmp_path: Path):
    mirror = write_mirror(tmp_path / "mirror")
    codes_file = tmp_path / "codes.txt"
    codes_file.write_text("# my territory\n19001\n19002\n", encoding="utf-8")
    csv_file = tmp_path / "codes.csv"
    csv_file.write_text("code,nom\n19003,Gamma\n", encoding="utf-8")
    poly_file = tmp_path / "area.geojson"
    gpd.GeoDataFrame(geometry=[box(2.19, 45.59, 2.41, 45.69)], crs="EPSG:4326").to_file(poly_file)
    log: list[SourceFile] = []
    with settings.override(mirror=mirror):
        assert load_territory("19001,19002", buffer_km=5, provenance=log).codes == [
            "19001",
            "19002",
        ]
        assert load_territory(str(codes_file)).codes == ["19001", "19002"]
        assert load_territory(str(csv_file)).codes == ["19003"]
        assert load_territory(str(poly_file)).codes == ["19003", "19004"]
        assert len(load_territory("epci:200000019@19").communes) == 5
        with pytest.raises(ValidationError) as err:
            load_territory("19001,99999")
        assert err.value.field == "--territory"  # no department 99 (inputs.territory)
        assert "99999" in str(err.value)
        with pytest.raises(ValidationError) as err:
            load_territory("atlantis")
        assert err.value.code == "territory.spec_unknown"
        assert err.value.field == "--territory"
        assert "atlantis" in str(err.value)
        with pytest.raises(MissingDataError) as missing:
            load_territory(str(tmp_path / "missing.txt"))
        assert missing.value.code == "sources.file_missing"
        assert missing.value.params["name"] == "missing.txt"
    assert {getattr(r, "dataset", None) for r in log} == {"communes"}


def test_town_halls_moved_are_said_once_for_the_study_area(tmp_path: Path):
    """A moved town hall in the buffer is named; one in a department read for nothing is not."""
    mirror = write_mirror(tmp_path / "mirror")
    for dep, index in (("19", 1), ("23", 1)):  # 19002 (in the buffer), 23002 (90 km away)
        path = mirror / "communes" / f"communes-{dep}.geojson"
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["features"][index]["properties"]["mairie"]["coordinates"] = [5.0, 48.0]
        path.write_text(json.dumps(raw), encoding="utf-8")
    with settings.override(mirror=mirror), pytest.warns(AccessmapWarning) as caught:
        area = load_territory("19001", buffer_km=5)
    notes = [w.message.note for w in caught if isinstance(w.message, AccessmapWarning)]
    moved = [n for n in notes if "town_halls_moved" in n.code]
    assert [(n.code, n.params["codes"]) for n in moved] == [
        ("territory.town_halls_moved", ["19002"])
    ]
    assert "19002" in set(area.buffer["code"])
    assert "23002" not in {*area.codes, *area.buffer["code"]}


@pytest.mark.mirror
def test_preset_montagne_limousine(mirror: Path):
    with settings.override(mirror=mirror), pytest.warns(AccessmapWarning) as caught:
        area = load_territory("montagne-limousine")
    notes = [w.message.note for w in caught if isinstance(w.message, AccessmapWarning)]
    codes = [note.code for note in notes]
    # said once, for the communes of the study area (not for every department read)
    assert "sources.town_halls_moved" not in codes
    assert codes.count("territory.town_halls_moved") == 1
    moved = next(n for n in notes if n.code == "territory.town_halls_moved").params["codes"]
    assert set(moved) <= {*area.codes, *area.buffer["code"]}
    data = summary_dict(area)
    assert data["communes"] == 97
    assert abs(data["population"] - 29_877) / 29_877 < 0.01  # inside the park (issue 22)
    assert {"19", "23", "87"} == {row["dep"] for row in data["by_department"]}
    assert "97" in area.rule
    assert len(area.buffer) > 100
    for code in ("19036", "19164"):  # Bugeat, Peyrelevade
        assert code in area.codes


# --- the parser: one registry of specification kinds ----------------------------------------


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        ("montagne-limousine", "preset"),
        ("France", "france"),
        ("dep:19,23", "departments"),
        ("DEP:19", "departments"),
        ("epci:200000019@19", "epci"),
        ("pnr:FR8000045", "park"),
        ("PNR:Millevaches", "park"),
        ("pnr-millevaches", "preset"),
        ("zone.GeoJSON", "polygon"),
        ("area.gpkg", "polygon"),
        ("codes.txt", "codes_file"),
        ("codes.csv", "codes_file"),
        (" 19001,19002 ", "codes"),
        ("atlantis", None),
    ],
)
def test_each_specification_finds_its_kind(spec: str, kind: str | None):
    found = find_territory_kind(spec)
    assert (found.name if found else None) == kind


def test_help_lists_every_kind_in_french():
    text = territory_help()
    for kind in territory_kinds():
        assert kind.syntax in text
        assert kind.help in text
    assert "montagne-limousine" in text
    assert text.endswith(".")


@pytest.mark.parametrize(
    ("spec", "buffer_km", "code", "field"),
    [
        ("  ", 30.0, "territory.spec_empty", "--territory"),
        (",,", 30.0, "territory.spec_empty", "--territory"),
        ("19001", -1.0, "territory.spec_buffer", "--buffer-km"),
        ("19001", 250.0, "territory.spec_buffer", "--buffer-km"),
        ("atlantis", 30.0, "territory.spec_unknown", "--territory"),
    ],
)
def test_bad_specifications_get_a_catalogue_code(
    spec: str, buffer_km: float, code: str, field: str
):
    with pytest.raises(ValidationError) as info:
        load_territory(spec, buffer_km=buffer_km)
    assert info.value.code == code
    assert info.value.field == field
    assert code in CATALOGUE
    assert info.value.fix  # a French fix


def test_missing_polygon_and_unknown_department_codes(tmp_path: Path):
    with pytest.raises(MissingDataError) as info:
        load_territory(str(tmp_path / "nowhere.geojson"))
    assert info.value.code == "territory.spec_polygon_missing"
    with pytest.raises(ValidationError) as bad:
        load_territory("19001,96001")  # 96: no such department
    assert bad.value.code == "territory.spec_unknown_departments"
    assert "96001" in bad.value.message


def test_a_registered_kind_is_parsed_and_loaded_with_no_other_change():
    calls: list[tuple[str, float]] = []

    def load(spec: str, buffer_km: float, provenance: list[SourceFile] | None) -> Territory:
        del provenance
        calls.append((spec, buffer_km))
        return build_territory(tiny_communes(), codes=["19001"], buffer_km=0, name=spec)

    kind = TerritoryKind(
        "test_zone", "zone:NOM", "les communes d'une zone d'essai",
        lambda s: s.lower().startswith("zone:"), load, prefix="zone:",
    )  # fmt: skip
    with registered_territory_kind(kind, before="codes"):
        assert [k.name for k in territory_kinds()][-2:] == ["test_zone", "codes"]
        assert "zone:NOM" in territory_help()
        area = load_territory("zone:millevaches", buffer_km=0)
        assert area.codes == ["19001"]
        assert calls == [("zone:millevaches", 0.0)]
    assert "test_zone" not in {k.name for k in territory_kinds()}
    with pytest.raises(ValidationError):
        load_territory("zone:millevaches")
