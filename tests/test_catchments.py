"""Catchments: isochrone polygons, population per band, half-open band edges, crowfly discs."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from accessmap.catchments import DEFAULT_BANDS, band_index, catchments, isochrones
from accessmap.errors import ValidationError
from accessmap.network import RoadNetwork, build_network, network_from_frames, travel_times
from accessmap.sources.osm import read_osm_graph
from osm_fixtures import NODES, write_osm

METRIC = "EPSG:2154"


def to_metric(lon: float, lat: float) -> shapely.Point:
    return gpd.GeoSeries.from_xy([lon], [lat], crs="EPSG:4326").to_crs(METRIC).iloc[0]


def metric_polygon(frame: gpd.GeoDataFrame, row: int) -> shapely.Geometry:
    return frame.to_crs(METRIC).geometry.iloc[row]


@pytest.fixture
def network(tmp_path: Path) -> RoadNetwork:
    return build_network(read_osm_graph(write_osm(tmp_path / "n.osm"), simplify=False))


def facility(node: int) -> pd.DataFrame:
    lon, lat = NODES[node]
    return pd.DataFrame({"id": [f"f{node}"], "lon": [lon], "lat": [lat]})


def test_band_index_is_half_open() -> None:
    minutes = [0.0, 9.999, 10.0, 19.999, 20.0, 29.999, 30.0, 1e9, math.inf, math.nan]
    assert band_index(minutes, bands=DEFAULT_BANDS).tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 3, 3]
    with pytest.raises(ValidationError) as info:
        band_index([1.0], bands=(20, 10))
    assert (info.value.code, info.value.params["bands"]) == ("catchments.bad_bands", [20.0, 10.0])
    with pytest.raises(ValidationError) as info:
        band_index([1.0], bands=())
    assert (info.value.code, info.value.field) == ("catchments.bad_bands", "bands")


def test_road_isochrones_follow_reached_edges(network: RoadNetwork) -> None:
    # facility on node 3; node 2 is 0.333 min away, node 1 0.667 min (edge 1-2 takes 0.333)
    iso = isochrones(facility(3), network=network, bands=(0.5, 1.0), buffer_m=50)
    assert iso.crs == "EPSG:4326"
    assert iso["minutes"].tolist() == [0.5, 1.0]
    assert (iso["method"] == "osm").all()
    half, one = metric_polygon(iso, 0), metric_polygon(iso, 1)
    assert half.contains(to_metric(*NODES[2]))
    assert not half.contains(to_metric(*NODES[1]))  # 0.667 min: beyond 0.5
    assert one.contains(to_metric(*NODES[1]))
    # within 0.5 min, half of the edge 1-2 is covered from node 2's end (0.167 of 0.333 min left)
    p2, p1 = to_metric(*NODES[2]), to_metric(*NODES[1])
    near_2 = shapely.Point(p2.x + 0.25 * (p1.x - p2.x), p2.y + 0.25 * (p1.y - p2.y))
    near_1 = shapely.Point(p2.x + 0.75 * (p1.x - p2.x), p2.y + 0.75 * (p1.y - p2.y))
    assert half.contains(near_2)
    assert not half.contains(near_1)
    # nested, growing
    assert half.difference(one).area < 1.0
    assert iso["area_km2"].iloc[0] < iso["area_km2"].iloc[1]


def exact_line() -> tuple[RoadNetwork, pd.DataFrame]:
    """Nodes 0..4 on a line, 2 minutes apart exactly; points sit on the nodes."""
    lons = [1.9 + 0.0128 * i for i in range(5)]
    nodes = pd.DataFrame({"node_id": range(5), "lon": lons, "lat": [45.6] * 5})
    edges = pd.DataFrame(
        {"u": [0, 1, 2, 3, 1, 2, 3, 4], "v": [1, 2, 3, 4, 0, 1, 2, 3], "minutes": [2.0] * 8}
    )
    points = pd.DataFrame(
        {
            "id": [f"c{i}" for i in range(5)],
            "lon": lons,
            "lat": [45.6] * 5,
            "population": 10 ** np.arange(5),
        }
    )
    return network_from_frames(nodes, edges), points


def test_population_bands_put_exact_thresholds_in_the_upper_band() -> None:
    network, points = exact_line()
    times = travel_times(network, points, points.iloc[[0]]).table["minutes"].tolist()
    assert times == [0.0, 2.0, 4.0, 6.0, 8.0]
    out = catchments(points.iloc[[0]], network=network, origins=points, bands=(2, 4, 6))
    assert out["band"].tolist() == ["0-2", "2-4", "4-6", "6+"]
    # c0 (0 min) | c1 (exactly 2) | c2 (exactly 4) | c3 (exactly 6), c4 (8)
    assert out["population"].tolist() == [1.0, 10.0, 100.0, 11000.0]
    assert out["population_cumulative"].tolist() == [1.0, 11.0, 111.0, 11111.0]
    assert out["population_share"].sum() == pytest.approx(1.0)
    assert out["lower"].tolist() == [0, 2, 4, 6]
    assert math.isinf(out["upper"].iloc[-1])


def test_commune_population_matches_nearest_times(network: RoadNetwork) -> None:
    origins = pd.DataFrame(
        {
            "id": [str(k) for k in NODES],
            "lon": [v[0] for v in NODES.values()],
            "lat": [v[1] for v in NODES.values()],
            "population": [100 * k for k in NODES],
        }
    )
    facilities = pd.concat([facility(3), facility(5)], ignore_index=True)
    bands = (0.5, 1.0, 2.0)
    out = catchments(facilities, network=network, origins=origins, bands=bands)
    nearest = travel_times(network, origins, facilities, min_only=True).table["minutes"]
    expected = np.bincount(
        band_index(nearest.to_numpy(), bands=bands), weights=origins["population"], minlength=4
    )
    np.testing.assert_allclose(out["population"], expected)
    assert out["population"].sum() == origins["population"].sum()
    assert (out["method"] == "osm").all()


def test_crowfly_catchments_are_discs_clipped_to_the_study_area() -> None:
    site = pd.DataFrame({"id": ["s"], "lon": [2.0], "lat": [45.7]})
    centre = to_metric(2.0, 45.7)
    iso = isochrones(site, bands=(10, 20))
    radius_km = 10 / 60 * 60 / 1.3
    assert iso["area_km2"].iloc[0] == pytest.approx(math.pi * radius_km**2, rel=0.01)
    assert (iso["method"] == "crowfly").all()
    box = gpd.GeoSeries(
        [shapely.box(centre.x, centre.y - 50e3, centre.x + 50e3, centre.y + 50e3)], crs=METRIC
    )
    clipped = isochrones(site, bands=(10, 20), study_area=box.to_crs("EPSG:4326"))
    assert clipped["area_km2"].iloc[0] == pytest.approx(math.pi * radius_km**2 / 2, rel=0.02)
    custom = isochrones(site, bands=(10,), circuity=1.0, speed_kmh=30)
    assert custom["area_km2"].iloc[0] == pytest.approx(math.pi * 5.0**2, rel=0.01)


def squares() -> gpd.GeoDataFrame:
    centre = to_metric(2.0, 45.7)
    near = shapely.box(centre.x - 1000, centre.y - 1000, centre.x + 1000, centre.y + 1000)
    far = shapely.box(centre.x + 60e3, centre.y, centre.x + 62e3, centre.y + 2000)
    half = shapely.box(centre.x + 7e3, centre.y - 1000, centre.x + 9e3, centre.y + 1000)
    frame = gpd.GeoDataFrame(
        {"code": ["near", "far", "half"], "population": [300, 500, 1000]},
        geometry=[near, far, half],
        crs=METRIC,
    )
    return frame.to_crs("EPSG:4326")


def test_area_weighted_population() -> None:
    site = pd.DataFrame({"id": ["s"], "lon": [2.0], "lat": [45.7]})
    communes = squares()
    # radius within 10 min: 10/60 * 60 / 1.3 = 7.69 km; "half" spans 7 to 9 km east of the site
    out = catchments(site, communes=communes, population="area", bands=(10, 20, 30))
    assert out["population"].sum() == pytest.approx(1800)
    first = out["population"].iloc[0]
    assert 300 + 1000 * 0.2 < first < 300 + 1000 * 0.5
    assert out["population"].iloc[-1] == pytest.approx(500)  # far: beyond 30 minutes
    # geometry of the last row: the study area left beyond 30 min
    assert out["area_km2"].iloc[-1] == pytest.approx(4.0, rel=0.01)
    assert out["area_km2"].sum() == pytest.approx(12.0, rel=0.01)


def test_facility_sets_and_commune_population_with_crowfly() -> None:
    communes = squares()
    origins = pd.DataFrame(
        {
            "id": communes["code"],
            "lon": communes.geometry.to_crs(METRIC).centroid.to_crs("EPSG:4326").x,
            "lat": communes.geometry.to_crs(METRIC).centroid.to_crs("EPSG:4326").y,
            "population": communes["population"],
        }
    )
    sites = pd.DataFrame(
        {"id": ["a", "b"], "lon": [2.0, 2.0], "lat": [45.7, 45.7], "scenario": ["today", "later"]}
    )
    sites.loc[1, "lon"] = origins.loc[1, "lon"]  # "later": a site at the far commune
    sites.loc[1, "lat"] = origins.loc[1, "lat"]
    out = catchments(sites, origins=origins, by="scenario", bands=(10, 20, 30))
    assert out.columns[0] == "scenario"
    today = out[out["scenario"] == "today"]["population"].tolist()
    later = out[out["scenario"] == "later"]["population"].tolist()
    # today: near at 0 min, half at about 8 km * 1.3 = 10.4 min, far beyond 30
    assert today == [300.0, 1000.0, 0.0, 500.0]
    assert later[0] == 500.0
    assert sum(later) == 1800.0
    assert (out["method"] == "crowfly").all()
    assert out.crs == "EPSG:4326"


def test_catchment_validation() -> None:
    site = pd.DataFrame({"id": ["s"], "lon": [2.0], "lat": [45.7]})
    with pytest.raises(ValidationError) as info:
        catchments(site, population="area")
    assert (info.value.code, info.value.field) == ("catchments.area_needs_communes", "communes")
    with pytest.raises(ValidationError) as info:
        catchments(site, bands=(10, 10))
    assert (info.value.code, info.value.field) == ("catchments.bad_bands", "bands")
    with pytest.raises(ValidationError) as info:
        catchments(site, origins=site)
    assert (info.value.code, info.value.field) == (
        "catchments.origins_no_population",
        "origins.population",
    )
    with pytest.raises(ValidationError) as info:
        catchments(site, by="scenario")
    assert (info.value.code, info.value.field) == ("catchments.unknown_column", "by")
    assert info.value.params["column"] == "scenario"
    with pytest.raises(ValidationError) as info:
        isochrones(site, buffer_m=0)
    assert (info.value.code, info.value.field) == ("catchments.bad_buffer", "buffer_m")
    no_population = catchments(site, bands=(10,))
    assert no_population["population"].isna().all()


def test_no_facility_left_puts_everyone_beyond(network: RoadNetwork) -> None:
    """All GPs gone (a retirement scenario): no polygon, the whole population in the last band."""
    none = pd.DataFrame(
        {"id": pd.Series([], dtype=str), "lon": pd.Series([], dtype=float), "lat": []}
    )
    origins = pd.DataFrame(
        {"id": ["a", "b"], "lon": [NODES[1][0], NODES[4][0]], "lat": [NODES[1][1], NODES[4][1]]}
    ).assign(population=[10, 20])
    for road in (network, None):
        out = catchments(none, network=road, origins=origins)
        assert out["population"].tolist() == [0.0, 0.0, 0.0, 30.0]
        assert (out["area_km2"] == 0).all()
