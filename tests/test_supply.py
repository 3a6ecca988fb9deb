"""Supply: roster validation, roster CSV loader, declared sites, study-area roster."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from accessmap.errors import MissingDataError, ValidationError
from accessmap.inputs import load_roster_csv
from accessmap.messages import Message
from accessmap.sources.roster import load_declared_sites, roster_template_path
from accessmap.supply import DECLARED_COLUMNS, ROSTER_COLUMNS, make_roster, study_area_roster
from accessmap.territory import Territory

# --- make_roster validation --------------------------------------------------------------------


def test_make_roster_lists_every_bad_row_in_one_error():
    practitioners = pd.DataFrame(
        {
            "practitioner_id": ["a", "a", "b", "c"],
            "fte": [1.0, 1.0, -0.5, 1.0],
            "birth_year": [1970, 1970, 2031, 1960],
        }
    )
    sites = pd.DataFrame(
        {"site_id": ["s1", "s2"], "commune_code": ["19033", "12345"], "lon": 2.0, "lat": 45.7}
    )
    assignments = pd.DataFrame(
        {
            "practitioner_id": ["a", "b", "c", "c"],
            "site_id": ["s1", "s1", "s1", "s2"],
            "share": [1.0, 1.0, 0.5, 0.4],
        }
    )
    with pytest.raises(ValidationError) as info:
        make_roster(
            practitioners,
            sites,
            assignments,
            known_communes={"19033"},
            current_year=2026,
        )
    assert info.value.code == "supply.invalid_roster"
    problems = set(info.value.params["problems"])
    assert Message("supply.duplicate_practitioner_id", ids=["a", "a"]) in problems
    assert Message("supply.bad_fte", ids=["b"]) in problems
    assert Message("supply.birth_year_future", year=2026, ids=["b"]) in problems
    assert Message("supply.unknown_commune_code", ids=["12345"]) in problems
    assert Message("supply.shares_not_one", shares={"c": 0.9}) in problems
    message = str(info.value)
    for problem in problems:
        assert str(problem) in message  # every problem is said in the one error
    assert info.value.field == "roster"


def test_make_roster_single_site_shortcut_and_site_fte():
    roster = make_roster(
        pd.DataFrame({"practitioner_id": ["a", "b"], "site_id": ["s", "s"], "fte": [1.0, 0.5]}),
        pd.DataFrame({"site_id": ["s"], "commune_code": ["19033"], "lon": [1.9], "lat": [45.6]}),
    )
    assert roster.assignments["share"].tolist() == [1.0, 1.0]
    assert roster.site_fte.loc["s"] == 1.5
    assert roster.practitioners["birth_year"].dtype == "Int64"


# --- roster CSV --------------------------------------------------------------------------------

HALLS = pd.DataFrame(
    {"code": ["19033", "19164"], "lon": [1.927319, 2.049952], "lat": [45.596908, 45.705689]}
)


def test_template_loads_with_a_multi_site_gp():
    roster = load_roster_csv(roster_template_path(), town_halls=HALLS, current_year=2026)
    shares = roster.assignments.set_index(["practitioner_id", "site_id"])["share"]
    assert shares.loc[("example-gp-1", "msp-bugeat")] == pytest.approx(0.6667)
    assert shares.loc[("example-gp-1", "msp-peyrelevade")] == pytest.approx(0.3333)
    sites = roster.sites.set_index("site_id")
    assert sites.loc["msp-peyrelevade", ["lon", "lat"]].tolist() == [2.049952, 45.705689]
    assert sites.loc["msp-bugeat", "kind"] == "msp"
    prac = roster.practitioners.set_index("practitioner_id")
    assert bool(prac.loc["example-gp-2", "new_install"])
    assert np.isnan(prac.loc["example-gp-2", "activity"])
    assert prac.loc["example-gp-3", "retirement_year"] == 2027
    assert list(pd.read_csv(roster_template_path()).columns) == list(ROSTER_COLUMNS)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_roster_csv_minimal_columns_and_defaults(tmp_path):
    path = write(
        tmp_path,
        "practitioner_id,site_id,commune_code,lon,lat\ng1,s1,19033,1.9,45.6\n",
    )
    roster = load_roster_csv(path)
    prac = roster.practitioners.iloc[0]
    assert (prac["profession"], prac["fte"], bool(prac["health_centre"])) == (
        "generaliste",
        1.0,
        False,
    )
    assert roster.sites.iloc[0]["kind"] == "cabinet"
    assert roster.source == str(Message("supply.source_roster_file", name="roster.csv"))


def test_roster_csv_rejects_inconsistent_repeated_rows(tmp_path):
    path = write(
        tmp_path,
        "practitioner_id,birth_year,site_id,commune_code,lon,lat,share\n"
        "g1,1960,s1,19033,1.9,45.6,0.5\n"
        "g1,1961,s2,19164,2.0,45.7,0.5\n",
    )
    with pytest.raises(ValidationError) as info:
        load_roster_csv(path)
    assert info.value.code == "supply.inconsistent_roster"
    assert info.value.params["problems"] == (
        Message("supply.inconsistent_rows", column="birth_year", key="practitioner_id", ids=["g1"]),
    )


def test_roster_csv_rejects_bad_values_with_line_numbers(tmp_path):
    path = write(
        tmp_path,
        "practitioner_id,new_install,site_id,commune_code,lon,lat\n"
        "g1,false,s1,19033,1.9,45.6\n"
        "g2,maybe,s1,19033,1.9,45.6\n",
    )
    with pytest.raises(ValidationError) as info:
        load_roster_csv(path)
    assert info.value.field == "new_install"
    assert (info.value.code, info.value.params["lines"]) == ("contracts.not_a_boolean", [3])
    path = write(
        tmp_path, "practitioner_id,activity,site_id,commune_code,lon,lat\ng1,lots,s1,19033,1,45\n"
    )
    with pytest.raises(ValidationError) as info:
        load_roster_csv(path)
    assert info.value.field == "activity"


def test_roster_csv_shares_must_sum_to_one_and_coordinates_must_exist(tmp_path):
    path = write(
        tmp_path,
        "practitioner_id,site_id,commune_code,share\ng1,s1,19033,0.5\ng1,s2,19164,0.4\n",
    )
    with pytest.raises(ValidationError) as info:
        load_roster_csv(path, town_halls=HALLS)
    assert Message("supply.shares_not_one", shares={"g1": 0.9}) in info.value.params["problems"]
    with pytest.raises(ValidationError) as info:
        load_roster_csv(path)
    codes = {p.code for p in info.value.params["problems"]}
    assert "supply.bad_site_coordinates" in codes


def test_roster_csv_missing_file_and_columns(tmp_path):
    with pytest.raises(MissingDataError):
        load_roster_csv(tmp_path / "nope.csv")
    path = write(tmp_path, "practitioner_id,site_id\ng1,s1\n")
    with pytest.raises(ValidationError) as info:
        load_roster_csv(path)
    assert info.value.code == "supply.roster_missing_columns"
    assert info.value.params["columns"] == ["commune_code"]
    path = write(tmp_path, "practitioner_id,site_id,commune_code\n")
    with pytest.raises(ValidationError) as info:
        load_roster_csv(path)
    assert info.value.code == "supply.roster_no_rows"


# --- declared sites ----------------------------------------------------------------------------


def test_declared_sites_file():
    declared = load_declared_sites()
    assert list(declared.columns) == list(DECLARED_COLUMNS)
    by_code = declared.set_index("commune_code")
    assert set(by_code.index) == {"19033", "19164", "23077", "23165", "23002"}
    assert (by_code.loc[["19033", "19164", "23077", "23165"], "kind"] == "msp").all()
    assert (
        by_code.loc[["19033", "19164", "23077", "23165"], "counting"] == "in_official_counts"
    ).all()
    ajain = by_code.loc["23002"]
    assert (ajain["kind"], ajain["counting"], ajain["fte"], bool(ajain["health_centre"])) == (
        "volunteer_centre",
        "additional",
        1.0,
        True,
    )
    assert declared["source"].str.contains("territory.md").all()


@pytest.mark.mirror
def test_declared_sites_match_the_communes_and_town_halls(mirror):
    props = {}
    for dep in ("19", "23"):
        data = json.loads((mirror / "communes" / f"communes-{dep}.geojson").read_text("utf-8"))
        props.update({f["properties"]["code"]: f["properties"] for f in data["features"]})
    names = {
        "19033": "Bugeat",
        "19164": "Peyrelevade",
        "23077": "Faux-la-Montagne",
        "23165": "Royère-de-Vassivière",
        "23002": "Ajain",
    }
    for row in load_declared_sites().itertuples():
        assert props[row.commune_code]["nom"] == names[row.commune_code]
        lon, lat = props[row.commune_code]["mairie"]["coordinates"]
        assert (row.lon, row.lat) == pytest.approx((lon, lat), abs=1e-6)


def test_declared_sites_validation(tmp_path):
    path = tmp_path / "declared.csv"
    header = ",".join(DECLARED_COLUMNS)
    path.write_text(header + "\nx,X,msp,19033,1,45,,,,maybe,src\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_declared_sites(path)
    assert info.value.field == "health_centre"
    path.write_text("site_id,name\nx,X\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_declared_sites(path)
    assert info.value.code == "sources.declared_missing_columns"
    assert "counting" in info.value.params["columns"]


# --- study-area roster -------------------------------------------------------------------------


def tiny_territory() -> Territory:
    rows = [
        # code, nom, dep, in territory, town hall
        ("19033", "Bugeat", "19", True, 1.93, 45.60),
        ("19164", "Peyrelevade", "19", True, 2.05, 45.71),
        ("23077", "Faux-la-Montagne", "23", True, 1.94, 45.75),
        ("23165", "Royère-de-Vassivière", "23", True, 1.91, 45.84),
        ("23079", "Felletin", "23", False, 2.17, 45.88),
        ("19136", "Meymac", "19", False, 2.15, 45.54),
    ]
    frame = pd.DataFrame(
        rows, columns=["code", "nom", "dep", "inside", "mairie_lon", "mairie_lat"]
    ).assign(epci="", epci_nom="", population=500, area_km2=50.0, density=10.0)
    gdf = gpd.GeoDataFrame(
        frame,
        geometry=[
            box(x - 0.05, y - 0.05, x + 0.05, y + 0.05)
            for x, y in zip(frame.mairie_lon, frame.mairie_lat, strict=True)
        ],
        crs="EPSG:4326",
    )
    inside = gdf[gdf["inside"]].drop(columns="inside").reset_index(drop=True)
    outside = gdf[~gdf["inside"]].drop(columns="inside").reset_index(drop=True)
    return Territory(name="tiny", communes=inside, buffer=outside, buffer_km=30.0, rule="test")


BPE = pd.DataFrame(
    {
        "code": ["19033", "19164", "23077", "23165", "23079", "19136", "75056"],
        "n_gp": [3, 1, 7, 5, 4, 6, 900],
    }
)
CREUSE = pd.DataFrame(
    {
        "site_id": ["gp23-a", "gp23-b", "gp23-c", "gp23-out"],
        "lon": [1.9399, 2.1736, 2.1761, 1.88],
        "lat": [45.7491, 45.8839, 45.8836, 46.18],
        "adresse": [" 23340 Faux-la-Montagne", "2 RUE DES TOURS", "28 ROUTE DE CROCQ", "Guéret"],
        "n_records": [1, 2, 1, 2],
        "n_unique_names": [1, 2, 1, 2],
        "commune_code": ["23077", "23079", "23079", "23096"],
    }
)


def gp_count(roster, site_id):
    return int((roster.assignments["site_id"] == site_id).sum())


def test_study_area_roster_from_bpe_only():
    roster = study_area_roster(tiny_territory(), bpe=BPE)
    sites = roster.sites.set_index("site_id")
    assert sorted(sites.index) == [f"bpe-{c}" for c in sorted(BPE["code"][:-1])]
    assert gp_count(roster, "bpe-23077") == 7
    assert sites.loc["bpe-19033", ["lon", "lat"]].tolist() == [1.93, 45.60]
    assert sites.loc["bpe-19033", "in_territory"]
    assert not sites.loc["bpe-19136", "in_territory"]
    assert len(roster.practitioners) == 26
    assert roster.practitioners["activity"].isna().all()
    assert (roster.practitioners["fte"] == 1.0).all()


def test_creuse_sites_replace_bpe_in_creuse_without_double_counting():
    roster = study_area_roster(tiny_territory(), bpe=BPE, creuse_sites=CREUSE)
    sites = roster.sites.set_index("site_id")
    # Creuse communes: the annuaire replaces the BPE (7 -> 1 at Faux, 4 -> 2 + 1 at Felletin)
    assert "bpe-23077" not in sites.index
    assert "bpe-23079" not in sites.index
    assert gp_count(roster, "gp23-a") == 1
    assert gp_count(roster, "gp23-b") + gp_count(roster, "gp23-c") == 3
    # Royère is absent from the annuaire: no GP there, even though the BPE counted 5
    assert not (sites["commune_code"] == "23165").any()
    # outside the study area: ignored
    assert "gp23-out" not in sites.index
    # Corrèze still from the BPE
    assert gp_count(roster, "bpe-19033") == 3
    assert len(roster.practitioners) == 3 + 1 + 6 + 1 + 3
    assert set(sites["origin"]) == {"bpe", "annuaire_creuse"}


def test_declared_sites_relabel_or_add():
    declared = load_declared_sites()
    roster = study_area_roster(tiny_territory(), bpe=BPE, creuse_sites=CREUSE, declared=declared)
    sites = roster.sites.set_index("site_id")
    # Bugeat MSP: already in the BPE count -> takes over the BPE site, no GP added
    assert "bpe-19033" not in sites.index
    assert sites.loc["msp-bugeat", "kind"] == "msp"
    assert gp_count(roster, "msp-bugeat") == 3
    assert sites.loc["msp-bugeat", "origin"] == "bpe"
    # Faux-la-Montagne MSP takes over the geocoded site and keeps its coordinates
    assert gp_count(roster, "msp-faux-la-montagne") == 1
    assert sites.loc["msp-faux-la-montagne", "lon"] == pytest.approx(1.9399)
    # Royère: no official site in the commune, n_gp unknown -> a known site without GP
    assert sites.loc["msp-royere-de-vassiviere", "origin"] == "declared"
    assert gp_count(roster, "msp-royere-de-vassiviere") == 0
    # Ajain is outside the study area: ignored
    assert "centre-ajain" not in sites.index
    assert len(roster.practitioners) == 14


def test_additional_volunteer_centre_adds_a_pooled_position():
    declared = pd.DataFrame(
        {
            "site_id": ["centre-x", "msp-y"],
            "name": ["Centre X", "MSP Y"],
            "kind": ["volunteer_centre", "msp"],
            "commune_code": ["19164", "23165"],
            "lon": [np.nan, np.nan],
            "lat": [np.nan, np.nan],
            "counting": ["additional", "in_official_counts"],
            "n_gp": [np.nan, 2.0],
            "fte": [0.9, np.nan],
            "health_centre": [True, False],
            "source": ["test", "test"],
        }
    )
    roster = study_area_roster(tiny_territory(), bpe=BPE, creuse_sites=CREUSE, declared=declared)
    prac = roster.practitioners.set_index("practitioner_id")
    assert prac.loc["centre-x-pool", "fte"] == 0.9
    assert bool(prac.loc["centre-x-pool", "health_centre"])
    sites = roster.sites.set_index("site_id")
    assert sites.loc["centre-x", ["lon", "lat"]].tolist() == [2.05, 45.71]
    assert gp_count(roster, "bpe-19164") == 1  # the official site stays
    assert gp_count(roster, "msp-y") == 2  # no official site in Royère: n_gp GPs added
    bad = declared.assign(counting="maybe")
    with pytest.raises(ValidationError) as info:
        study_area_roster(tiny_territory(), bpe=BPE, declared=bad)
    assert info.value.field == "declared.counting"


def test_study_area_roster_rejects_bad_counts():
    with pytest.raises(ValidationError) as info:
        study_area_roster(tiny_territory(), bpe=BPE.assign(n_gp=-1))
    assert info.value.field == "bpe.n_gp"
    with pytest.raises(ValidationError) as info:
        study_area_roster(tiny_territory(), bpe=BPE.rename(columns={"n_gp": "count"}))
    assert info.value.field == "bpe"


def test_territory_roster_reads_a_csv_with_town_hall_fallback():
    from accessmap.inputs import territory_roster

    roster = territory_roster(tiny_territory(), path=roster_template_path(), scope="everywhere")
    sites = roster.sites.set_index("site_id")
    assert sites.loc["msp-bugeat", ["lon", "lat"]].tolist() == [1.93, 45.60]
    assert sites.loc["cabinet-meymac", ["lon", "lat"]].tolist() == [2.146351, 45.536703]
    assert roster.source == str(Message("supply.source_roster_file", name="roster_template.csv"))


def test_territory_roster_rejects_communes_outside_the_study_area(tmp_path):
    from accessmap.inputs import territory_roster

    path = write(tmp_path, "practitioner_id,site_id,commune_code\ng1,s1,75056\n")
    with pytest.raises(ValidationError) as info:
        territory_roster(tiny_territory(), path=path, scope="everywhere")
    unknown = Message("supply.unknown_commune_code", ids=["75056"])
    assert unknown in info.value.params["problems"]


@pytest.mark.mirror
def test_territory_roster_from_official_sources(mirror):
    from accessmap import settings
    from accessmap.inputs import territory_roster

    with settings.override(mirror=mirror):
        roster = territory_roster(tiny_territory())
    sites = roster.sites.set_index("site_id")
    assert sites.loc["msp-bugeat", "origin"] == "bpe"
    assert "msp-faux-la-montagne" in sites.index
    assert set(sites["origin"]) <= {"bpe", "annuaire_creuse", "declared"}
