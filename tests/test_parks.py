"""Parks: lookup, the half-area rule, ``--territory pnr:``, presets; and arrondissements."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from shapely.geometry import box, mapping

from accessmap import settings
from accessmap.cli import main
from accessmap.errors import AccessmapError, ValidationError
from accessmap.inputs import load_territory, territory_roster
from accessmap.inputs.territory import find_territory_kind
from accessmap.messages import CATALOGUE
from accessmap.parks import find_park, normalise_name, park_communes, park_shares
from accessmap.sources import department_of, load_apl_published, load_bpe_counts
from accessmap.sources.arrondissements import published_to_communes, to_communes
from accessmap.territory import PRESETS
from tests.factories import tiny_communes, write_mirror

CITIES = {"13055": "Marseille", "69123": "Lyon", "75056": "Paris"}


def tiny_parks() -> gpd.GeoDataFrame:
    """Two hand-made parks: over Alpha, Beta and 40 % of Gamma; north, between the communes."""
    return gpd.GeoDataFrame(
        {"code": ["FR8000901", "FR8000902"], "name": ["Forêt D'Essai", "Forêt Du Nord"]},
        geometry=[box(1.95, 45.55, 2.24, 45.75), box(2.05, 46.0, 2.3, 46.2)],
        crs="EPSG:4326",
    )


def write_parks(root: Path) -> Path:
    """The tiny parks as the mirror's GeoJSON (no crs member, INPN field names)."""
    features = [
        {
            "type": "Feature",
            "properties": {"DRGP_C_COD": row.code, "DRGP_L_LIB": row.name},
            "geometry": mapping(row.geometry),
        }
        for row in tiny_parks().itertuples()
    ]
    (root / "pnr").mkdir(parents=True, exist_ok=True)
    path = root / "pnr" / "pnr-france.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def test_half_area_rule_on_hand_made_polygons():
    communes = tiny_communes()
    park = find_park(tiny_parks(), "FR8000901")
    shares = park_shares(communes, park.outline)
    # Alpha and Beta wholly inside, Gamma 40 % inside, Zeta's southern half (45.70-45.75)
    assert shares["19001"] == pytest.approx(1.0, abs=1e-6)
    assert shares["19003"] == pytest.approx(0.4, abs=0.01)
    assert shares["23001"] == pytest.approx(0.5, abs=0.01)
    assert shares["19005"] == 0.0
    assert park_communes(communes, park.outline) == ["19001", "19002", "23001"]
    assert park_communes(communes, park.outline, min_share=0.3) == [
        "19001", "19002", "19003", "23001",
    ]  # fmt: skip
    with pytest.raises(ValidationError) as err:
        park_communes(communes, park.outline, min_share=0.0)
    assert err.value.code == "parks.bad_share"


@pytest.mark.parametrize(
    "query", ["FR8000901", "fr8000901", "Forêt D'Essai", "foret d essai", "PNR de la forêt d'essai"]
)
def test_find_park_by_code_or_name(query: str):
    park = find_park(tiny_parks(), query)
    assert park.code == "FR8000901"
    assert park.outline.crs == "EPSG:4326"
    assert list(park.outline.columns) == ["code", "name", "geometry"]


def test_find_park_errors_are_catalogued_and_list_near_names():
    with pytest.raises(ValidationError) as err:
        find_park(tiny_parks(), "foret dessai")
    assert err.value.code == "parks.unknown_name"
    assert "Forêt D'Essai (FR8000901)" in err.value.params["near"]
    with pytest.raises(ValidationError) as err:
        find_park(tiny_parks(), "FR8000999")
    assert err.value.code == "parks.unknown_code"
    with pytest.raises(ValidationError) as err:
        find_park(tiny_parks(), "forêt")
    assert err.value.code == "parks.ambiguous"
    assert err.value.params["names"] == ["Forêt D'Essai", "Forêt Du Nord"]
    for code in ("parks.unknown_name", "parks.unknown_code", "parks.ambiguous"):
        assert code in CATALOGUE
    assert "Forêt D'Essai" in str(err.value)


def test_normalise_name():
    assert normalise_name("Forêt D'Orient") == "foret d orient"
    assert normalise_name("  Millevaches-En-LIMOUSIN ") == "millevaches en limousin"


def test_pnr_territory_from_a_tiny_mirror(tmp_path: Path):
    mirror = write_mirror(tmp_path / "mirror")
    write_parks(mirror)
    assert find_territory_kind("pnr:FR8000901") is not None
    assert find_territory_kind("pnr:FR8000901").name == "park"  # type: ignore[union-attr]
    log: list = []
    with settings.override(mirror=mirror):
        territory = load_territory("pnr:forêt d'essai", buffer_km=0, provenance=log)
    assert territory.codes == ["19001", "19002", "23001"]
    assert territory.outline is not None
    assert territory.outline["code"].tolist() == ["FR8000901"]
    assert "pnr" in {s.dataset for s in log}
    with settings.override(mirror=mirror), pytest.raises(ValidationError) as err:
        load_territory("pnr:FR8000902", buffer_km=0)  # no loaded commune has half its area in it
    assert err.value.code == "parks.no_communes"


def test_park_departments_given_read_no_extent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A preset's departments replace the scan of every communes file: the same territory."""
    from accessmap.inputs.parks import load_park_territory
    from accessmap.sources import parks as park_source

    mirror = write_mirror(tmp_path / "mirror")
    write_parks(mirror)
    with settings.override(mirror=mirror):
        scanned = load_park_territory("FR8000901", buffer_km=0)

        def refused(bounds: object) -> list[str]:
            raise AssertionError("the departments are given: no extent is read")

        monkeypatch.setattr(park_source, "departments_meeting", refused)
        given = load_park_territory("FR8000901", buffer_km=0, departments=("23", "19"))
        with pytest.raises(AssertionError):
            load_park_territory("FR8000901", buffer_km=0)
    assert given.codes == scanned.codes == ["19001", "19002", "23001"]
    assert_frame_equal(given.communes, scanned.communes)


def test_arrondissements_summed_and_published_apl_weighted():
    counts = pd.DataFrame(
        {"code": ["13201", "13202", "19031"], "typequ": "D201", "count": [3, 4, 1]}
    )
    assert to_communes(counts, by=("typequ",)).to_dict("records") == [
        {"code": "13055", "typequ": "D201", "count": 7},
        {"code": "19031", "typequ": "D201", "count": 1},
    ]
    published = pd.DataFrame(
        {
            "code": ["75101", "75102", "19031"], "year": 2023, "apl": [2.0, 5.0, 3.0],
            "apl_u65": [1.0, 4.0, 2.0], "pop_std": [100.0, 300.0, 50.0],
            "pop_total": [90.0, 310.0, 55.0],
        }
    )  # fmt: skip
    out = published_to_communes(published).set_index("code")
    assert set(out.index) == {"75056", "19031"}
    assert out.loc["75056", "apl"] == pytest.approx((2.0 * 100 + 5.0 * 300) / 400)
    assert out.loc["75056", "pop_total"] == 400.0


# --- with the data mirror -------------------------------------------------------------------


def test_cli_pnr_millevaches_has_124_communes(mirror: Path, capsys: pytest.CaptureFixture[str]):
    args = ["territory", "--territory", "pnr:FR8000045", "--mirror", str(mirror), "--no-save"]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["communes"] == 124
    assert {d["dep"] for d in data["by_department"]} == {"19", "23", "87"}


def test_park_by_name_presets_and_unknown_park(mirror: Path):
    with settings.override(mirror=mirror):
        by_name = load_territory("pnr:Millevaches en Limousin", buffer_km=0)
        preset = load_territory("pnr-millevaches", buffer_km=0)
        study = load_territory("montagne-limousine", buffer_km=0)
        with pytest.raises(AccessmapError) as err:
            load_territory("pnr:milevache", buffer_km=0)
    assert len(by_name.codes) == 124
    assert preset.codes == by_name.codes
    assert preset.outline is not None
    assert len(study.codes) == PRESETS["montagne-limousine"].n_communes == 97
    assert set(study.codes) <= set(by_name.codes)  # inside the park, no disc across its border
    assert err.value.code == "parks.unknown_name"
    assert "Millevaches En Limousin (FR8000045)" in err.value.params["near"]


@pytest.mark.parametrize("name", [n for n, p in PRESETS.items() if p.park is not None])
def test_park_presets_declare_the_departments_of_their_park(mirror: Path, name: str):
    """A park preset reads its declared departments only: the park's communes are all there."""
    from accessmap.inputs.parks import load_park_territory

    preset = PRESETS[name]
    with settings.override(mirror=mirror):
        scanned = load_park_territory(preset.park or "", buffer_km=0)  # every department met
    assert {department_of(code) for code in scanned.codes} == set(preset.departments)


def test_paris_lyon_marseille_get_their_gps(mirror: Path):
    with settings.override(mirror=mirror):
        counts = load_bpe_counts()
        published = load_apl_published(years=[2023])
        territory = load_territory(",".join(CITIES), buffer_km=0)
        roster = territory_roster(territory)
    gps = counts.set_index("code")["count"]
    assert not counts["code"].str.match(r"^(751[0-2][0-9]|6938[1-9]|132[0-1][0-9])$").any()
    assert all(gps[code] > 500 for code in CITIES)
    # the DREES publishes these cities by arrondissement: given here as the commune
    assert set(CITIES) <= set(published["code"])
    served = roster.sites.loc[roster.sites["commune_code"].isin(set(CITIES)), "commune_code"]
    assert set(served) == set(CITIES)
