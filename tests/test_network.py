"""Road travel times: speeds, the CSR network, snapping, OD tables, crowfly, cache keys."""

from __future__ import annotations

import math
import random
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accessmap import settings as am_settings
from accessmap.errors import GraphError, ValidationError
from accessmap.messages import AccessmapWarning, Message, render
from accessmap.network import (
    OD_COLUMNS,
    RURAL_SPEEDS_KMH,
    WINTER_FACTORS,
    RoadNetwork,
    add_travel_times,
    build_network,
    crowfly_times,
    edge_speeds,
    minutes_to_nearest,
    network_from_frames,
    parse_maxspeed,
    snap_points,
    summarize_od,
    travel_times,
    traveltimes_key,
)
from accessmap.sources.osm import read_osm_graph
from osm_fixtures import NODES, grid_osm, write_osm

# --- helpers -------------------------------------------------------------------------------------


def node_points(network: RoadNetwork, ids: list[object] | None = None) -> pd.DataFrame:
    """Points exactly on network nodes (zero snapping distance)."""
    index = (
        np.arange(network.n_nodes)
        if ids is None
        else np.array([int(np.flatnonzero(network.node_ids == i)[0]) for i in ids])
    )
    return pd.DataFrame(
        {
            "id": [str(network.node_ids[i]) for i in index],
            "lon": network.lon[index],
            "lat": network.lat[index],
        }
    )


def nx_table(graph: nx.MultiDiGraph | nx.DiGraph, sources: list[object], targets: list[object]):
    """Reference minutes from networkx, inf where there is no path."""
    out = {}
    for s in sources:
        lengths = nx.single_source_dijkstra_path_length(graph, s, weight="minutes")
        for t in targets:
            out[(str(s), str(t))] = lengths.get(t, math.inf)
    return out


def assert_matches_networkx(table: pd.DataFrame, reference: dict[tuple[str, str], float]) -> None:
    assert list(table.columns) == list(OD_COLUMNS)
    assert len(table) == len(reference)
    for row in table.itertuples(index=False):
        expected = reference[(row.origin_id, row.dest_id)]
        if math.isinf(expected):
            assert math.isinf(row.minutes), (row.origin_id, row.dest_id)
        else:
            assert row.minutes == pytest.approx(expected, abs=1e-9, rel=0), (
                row.origin_id,
                row.dest_id,
            )


@pytest.fixture
def osm_file(tmp_path: Path) -> Path:
    return write_osm(tmp_path / "bugeat.osm")


@pytest.fixture
def graph(osm_file: Path) -> nx.MultiDiGraph:
    return read_osm_graph(osm_file, simplify=False)


# --- maxspeed and edge speeds --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("50", 50.0),
        ("50 km/h", 50.0),
        ("30 mph", 30 * 1.609344),
        ("FR:rural", 80.0),
        ("FR:urban", 50.0),
        ("FR:motorway", 130.0),
        ("FR:zone30", 30.0),
        ("50;70", 60.0),
        ("50|70", 60.0),
        (["50", "FR:rural"], 65.0),
        (["none", "90"], 90.0),
        (70, 70.0),
        ("none", math.nan),
        ("signals", math.nan),
        ("0", math.nan),
        (None, math.nan),
        (math.nan, math.nan),
        ([], math.nan),
    ],
)
def test_parse_maxspeed(value: object, expected: float) -> None:
    got = parse_maxspeed(value)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected)


def test_edge_speeds_use_maxspeed_then_table_then_default() -> None:
    edges = pd.DataFrame(
        {
            "highway": [
                "secondary", "tertiary", ["residential", "tertiary"], "weird_class",
                ["tertiary", "residential"],
            ],
            "maxspeed": ["70", None, None, None, None],
        }
    )  # fmt: skip
    out = edge_speeds(edges, winter=False)
    # a merged chain's classes count as the highest of them, whatever their order
    assert out["speed_kmh"].tolist() == [
        70.0,
        RURAL_SPEEDS_KMH["tertiary"],
        RURAL_SPEEDS_KMH["tertiary"],
        30.0,
        RURAL_SPEEDS_KMH["tertiary"],
    ]
    assert out["speed_source"].tolist() == ["maxspeed", "table", "table", "default", "table"]
    custom = edge_speeds(edges, speeds={"tertiary": 42.0, "default": 11.0}, winter=False)
    assert custom["speed_kmh"].tolist()[1:] == [42.0, 42.0, 11.0, 42.0]


def test_winter_factors_slow_small_roads_more() -> None:
    edges = pd.DataFrame({"highway": ["primary", "unclassified"], "maxspeed": ["80", None]})
    summer = edge_speeds(edges, winter=False)
    winter = edge_speeds(edges, winter=True)
    assert winter["speed_kmh"].tolist() == pytest.approx(
        [
            80.0 * WINTER_FACTORS["primary"],
            RURAL_SPEEDS_KMH["unclassified"] * WINTER_FACTORS["unclassified"],
        ]
    )
    ratio = (winter["speed_kmh"] / summer["speed_kmh"]).to_numpy()
    assert ratio[1] < ratio[0] < 1.0
    custom = edge_speeds(edges, winter=True, winter_factors={"primary": 0.5})
    assert custom["speed_kmh"].iloc[0] == pytest.approx(40.0)


@pytest.mark.parametrize("bad", [{"primary": 0}, {"primary": -5}, {"primary": math.inf}])
def test_bad_speeds_are_rejected(bad: dict[str, float]) -> None:
    with pytest.raises(ValidationError) as caught:
        edge_speeds(pd.DataFrame({"highway": ["primary"]}), speeds=bad)
    assert caught.value.code == "network.bad_speed"
    assert caught.value.field == "speeds"
    assert caught.value.params["key"] == "primary"


def test_bad_winter_factor_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        edge_speeds(pd.DataFrame({"highway": ["primary"]}), winter=True, winter_factors={"x": 1.5})
    assert caught.value.code == "network.bad_winter_factor"
    assert caught.value.field == "winter_factors"
    assert caught.value.params["key"] == "x"


# --- the hand-written OSM network ----------------------------------------------------------------


def test_edge_attributes_of_the_osm_fixture(graph: nx.MultiDiGraph) -> None:
    timed = add_travel_times(graph, winter=False)
    speeds = {(u, v): d["speed_kmh"] for u, v, d in timed.edges(data=True)}
    assert speeds[(1, 2)] == 70.0  # maxspeed tag
    assert speeds[(3, 6)] == RURAL_SPEEDS_KMH["road"]  # no speed at all: table
    assert speeds[(5, 1)] == 80.0  # FR:rural
    assert (4, 5) in speeds
    assert (5, 4) not in speeds  # one-way
    assert (5, 2) in speeds
    assert (2, 5) not in speeds  # oneway=-1
    assert 6 in timed.nodes
    assert not timed.has_edge(6, 4)  # the footway is gone
    for u, v, d in timed.edges(data=True):
        assert d["minutes"] == pytest.approx(d["length"] / 1000 / d["speed_kmh"] * 60)
        assert (u, v) != (4, 6)


@pytest.mark.parametrize("simplify", [False, True])
def test_osm_fixture_times_equal_networkx(osm_file: Path, simplify: bool) -> None:
    graph = read_osm_graph(osm_file, simplify=simplify)
    timed = add_travel_times(graph)
    network = build_network(graph, keep_largest=False)
    points = node_points(network)
    result = travel_times(network, points, points)
    ids = list(network.node_ids)
    assert_matches_networkx(result.table, nx_table(timed, ids, ids))
    assert (result.table["method"] == "osm").all()
    # the one-way dead end makes times asymmetric: 9 can be reached from 4, not left
    minutes = result.table.set_index(["origin_id", "dest_id"])["minutes"]
    assert math.isfinite(minutes[("4", "9")])
    assert math.isinf(minutes[("9", "4")])


def test_largest_component_is_kept_and_the_rest_reported(graph: nx.MultiDiGraph) -> None:
    network = build_network(graph)
    report = network.report
    assert set(report.dropped_node_ids) == {7, 8, 9}  # the island and the one-way dead end
    assert report.nodes_in == 9
    assert report.nodes_kept == 6
    assert report.nodes_dropped == 3
    assert report.edges_dropped == 3  # 4->9, 7->8, 8->7
    assert report.components == 3  # {1..6}, {7, 8}, {9}
    assert report.message == Message(
        "network.component_report",
        nodes_kept=6,
        nodes_in=9,
        edges_kept=report.edges_kept,
        edges_in=report.edges_in,
        components=3,
        nodes_dropped=3,
        edges_dropped=3,
    )
    assert "3 nœuds et 3 routes écartés" in str(report)
    assert set(network.node_ids) == {1, 2, 3, 4, 5, 6}


def test_no_path_gives_inf_with_a_reason(graph: nx.MultiDiGraph) -> None:
    network = build_network(graph, keep_largest=False)
    origins = node_points(network, [1, 9])
    dests = node_points(network, [7, 4])
    result = travel_times(network, origins, dests)
    minutes = result.table.set_index(["origin_id", "dest_id"])["minutes"]
    assert math.isinf(minutes[("1", "7")])
    assert math.isinf(minutes[("9", "4")])  # one-way dead end: 9 can be reached, not left
    assert math.isfinite(minutes[("1", "4")])
    reasons = result.unreachable.set_index(["origin_id", "dest_id"])["reason"]
    assert set(reasons.index) == {("1", "7"), ("9", "7"), ("9", "4")}
    assert (reasons == render("network.reason_no_path")).all()
    nearest = travel_times(network, node_points(network, [9]), dests, min_only=True)
    assert math.isinf(nearest.table["minutes"].iloc[0])
    assert pd.isna(nearest.table["dest_id"].iloc[0])
    assert nearest.unreachable["reason"].iloc[0] == render("network.reason_nearest_no_path")


def test_points_in_dropped_components_snap_to_the_kept_network(graph: nx.MultiDiGraph) -> None:
    network = build_network(graph)
    island = pd.DataFrame({"id": ["island"], "lon": [NODES[7][0]], "lat": [NODES[7][1]]})
    snapped = snap_points(network, island)
    assert snapped["node_id"].iloc[0] in set(network.node_ids)
    times = travel_times(network, island, node_points(network, [1]))
    assert math.isfinite(times.table["minutes"].iloc[0])


# --- random graphs -------------------------------------------------------------------------------


def random_frames(rng: random.Random, n: int, m: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    side = math.ceil(math.sqrt(n))
    nodes = pd.DataFrame(
        {
            "node_id": np.arange(100, 100 + n),
            "lon": [1.9 + 0.01 * (i % side) for i in range(n)],
            "lat": [45.6 + 0.01 * (i // side) for i in range(n)],
        }
    )
    edges = pd.DataFrame(
        {
            "u": [100 + rng.randrange(n) for _ in range(m)],
            "v": [100 + rng.randrange(n) for _ in range(m)],
            "minutes": [
                rng.choice([0.0, rng.uniform(0, 10), float(rng.randint(1, 5))]) for _ in range(m)
            ],
        }
    )
    return nodes, edges


def reference_graph(edges: pd.DataFrame, nodes: pd.DataFrame) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes["node_id"])
    for u, v, w in edges[["u", "v", "minutes"]].itertuples(index=False):
        graph.add_edge(u, v, minutes=w)
    return graph


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 25), density=st.floats(0.5, 4.0))
def test_random_graphs_equal_networkx(seed: int, n: int, density: float) -> None:
    rng = random.Random(seed)
    nodes, edges = random_frames(rng, n, max(1, int(n * density)))
    edges = pd.concat([edges, pd.DataFrame({"u": [100], "v": [101], "minutes": [1.0]})])
    network = network_from_frames(nodes, edges, keep_largest=False)
    points = node_points(network)
    result = travel_times(network, points, points)
    ids = list(nodes["node_id"])
    assert_matches_networkx(result.table, nx_table(reference_graph(edges, nodes), ids, ids))
    assert len(result.unreachable) == int(np.isinf(result.table["minutes"]).sum())


def test_seeded_larger_random_graph_equals_networkx_both_directions() -> None:
    rng = random.Random(20261122)
    nodes, edges = random_frames(rng, 400, 1600)
    network = network_from_frames(nodes, edges, keep_largest=False)
    reference = reference_graph(edges, nodes)
    ids = list(nodes["node_id"])
    few = ids[:7]
    # few origins -> forward search; few destinations -> search on the reversed graph
    for origins, dests in ((few, ids), (ids, few)):
        result = travel_times(network, node_points(network, origins), node_points(network, dests))
        assert_matches_networkx(result.table, nx_table(reference, origins, dests))


@pytest.mark.filterwarnings("ignore:.*du réseau routier:accessmap.messages.AccessmapWarning")
def test_min_only_equals_the_minimum_of_the_full_table() -> None:
    rng = random.Random(7)
    nodes, edges = random_frames(rng, 150, 500)
    network = network_from_frames(nodes, edges, keep_largest=False)
    # points off the nodes, so connector legs (different per destination) matter
    origins = pd.DataFrame(
        {
            "id": [f"o{i}" for i in range(40)],
            "lon": [1.9 + rng.uniform(0, 0.12) for _ in range(40)],
            "lat": [45.6 + rng.uniform(0, 0.12) for _ in range(40)],
        }
    )
    dests = pd.DataFrame(
        {
            "id": [f"d{i}" for i in range(9)],
            "lon": [1.9 + rng.uniform(0, 0.12) for _ in range(9)],
            "lat": [45.6 + rng.uniform(0, 0.12) for _ in range(9)],
        }
    )
    full = travel_times(network, origins, dests).table
    nearest = travel_times(network, origins, dests, min_only=True).table
    expected = full.groupby("origin_id")["minutes"].min()
    got = nearest.set_index("origin_id")["minutes"]
    assert list(nearest["origin_id"]) == list(origins["id"])
    np.testing.assert_allclose(got.loc[expected.index], expected, rtol=0, atol=1e-9)
    pairs = full.set_index(["origin_id", "dest_id"])["minutes"]
    for row in nearest.itertuples(index=False):
        if math.isfinite(row.minutes):
            assert pairs[(row.origin_id, row.dest_id)] == pytest.approx(row.minutes, abs=1e-9)
    # minutes_to_nearest gives the same network part for points sitting on nodes
    per_node = minutes_to_nearest(network, node_points(network, [100, 150]))
    reference = reference_graph(edges, nodes).reverse()
    for node_id, minutes in per_node[["node_id", "minutes"]].itertuples(index=False):
        lengths = [
            nx.single_source_dijkstra_path_length(reference, d, weight="minutes").get(
                node_id, math.inf
            )
            for d in (100, 150)
        ]
        assert minutes == pytest.approx(min(lengths), abs=1e-9) or (
            math.isinf(minutes) and math.isinf(min(lengths))
        )


# --- snapping, connectors, cutoff ----------------------------------------------------------------


def line_network(step_minutes: float = 2.0) -> RoadNetwork:
    """Five nodes on a parallel, 1 km apart, two-way edges of ``step_minutes``."""
    lons = [1.9 + 0.0128 * i for i in range(5)]  # about 1 km at 45.6° N
    nodes = pd.DataFrame({"node_id": range(5), "lon": lons, "lat": [45.6] * 5})
    u = [0, 1, 2, 3, 1, 2, 3, 4]
    v = [1, 2, 3, 4, 0, 1, 2, 3]
    edges = pd.DataFrame({"u": u, "v": v, "minutes": [step_minutes] * 8})
    return network_from_frames(nodes, edges)


def test_connector_legs_are_added_and_far_points_flagged() -> None:
    network = line_network()
    # 0.009° of latitude north of node 0 is about 1,000 m
    origin = pd.DataFrame({"id": ["o"], "lon": [network.lon[0]], "lat": [45.609]})
    snapped = snap_points(network, origin)
    assert snapped["node_id"].iloc[0] == 0
    assert snapped["snap_m"].iloc[0] == pytest.approx(1000, rel=0.01)
    assert snapped["connector_minutes"].iloc[0] == pytest.approx(
        snapped["snap_m"].iloc[0] / 1000 / 15 * 60
    )
    assert not snapped["far"].iloc[0]
    dest = node_points(network, [2])
    result = travel_times(network, origin, dest)
    assert result.table["minutes"].iloc[0] == pytest.approx(
        snapped["connector_minutes"].iloc[0] + 4.0
    )
    faster = travel_times(network, origin, dest, connector_speed_kmh=60)
    assert faster.table["minutes"].iloc[0] < result.table["minutes"].iloc[0]
    with pytest.warns(AccessmapWarning) as caught:
        flagged = snap_points(network, origin, warn_m=500)
    (far,) = [w.message.note for w in caught if isinstance(w.message, AccessmapWarning)]
    assert far.code == "network.far_points"
    assert far.params["distance_m"] == 500
    assert far.params["points"] == [origin["id"].iloc[0]]
    assert "à plus de 500 m du réseau routier" in str(far)
    assert flagged["far"].iloc[0]
    with am_settings.override(snap_warn_m=500.0), pytest.warns(AccessmapWarning) as caught:
        warned = travel_times(network, origin, dest)
    notes = [w.message.note for w in caught if isinstance(w.message, AccessmapWarning)]
    assert [(n.code, n.params["distance_m"]) for n in notes] == [("network.far_points", 500)]
    assert warned.snapping["far"].tolist() == [True, False]
    assert result.snapping["far"].tolist() == [False, False]
    assert result.snapping["role"].tolist() == ["origin", "destination"]


def test_cutoff_is_half_open() -> None:
    network = line_network(step_minutes=2.0)
    points = node_points(network)
    full = travel_times(network, points, points).table.set_index(["origin_id", "dest_id"])
    cut = travel_times(network, points, points, cutoff=4.0)
    table = cut.table.set_index(["origin_id", "dest_id"])["minutes"]
    assert table[("0", "1")] == 2.0
    assert math.isinf(table[("0", "2")])  # exactly 4 minutes is not within 4 minutes
    assert full.loc[("0", "2"), "minutes"] == 4.0
    finite = np.isfinite(table)
    assert (table[finite] < 4.0).all()
    np.testing.assert_array_equal(table[finite], full["minutes"][finite])
    assert (
        cut.unreachable["reason"] == str(Message("network.reason_not_reached", minutes=4))
    ).all()
    assert "en moins de 4 min" in cut.unreachable["reason"].iloc[0]
    assert len(cut.unreachable) == int((~finite).sum())
    nearest = travel_times(network, points.iloc[[0]], points.iloc[[3, 4]], min_only=True, cutoff=6)
    assert math.isinf(nearest.table["minutes"].iloc[0])
    assert nearest.unreachable["reason"].iloc[0] == str(
        Message("network.reason_nearest_not_reached", minutes=6)
    )
    with pytest.raises(ValidationError) as caught:
        travel_times(network, points, points, cutoff=0)
    assert (caught.value.code, caught.value.field) == ("network.not_positive", "cutoff")


def test_empty_destinations_do_not_crash() -> None:
    network = line_network()
    points = node_points(network)
    none = points.iloc[0:0]
    assert travel_times(network, points, none).table.empty
    nearest = travel_times(network, points, none, min_only=True)
    assert np.isinf(nearest.table["minutes"]).all()
    assert (nearest.unreachable["reason"] == render("network.reason_no_destination")).all()


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"id": ["a", "a"], "lon": [1.9, 1.9], "lat": [45.6, 45.6]}), "en double"),
        (pd.DataFrame({"id": ["a"], "lon": [1.9]}), "lat"),
        (pd.DataFrame({"id": ["a"], "lon": [np.nan], "lat": [45.6]}), "coordonnées"),
        (pd.DataFrame({"id": ["a"], "lon": [245.0], "lat": [45.6]}), "coordonnées"),
    ],
)
def test_bad_points_are_rejected(frame: pd.DataFrame, match: str) -> None:
    network = line_network()
    with pytest.raises(ValidationError, match=match):
        travel_times(network, frame, node_points(network))
    with pytest.raises(ValidationError, match=match):
        crowfly_times(frame, node_points(network))


def test_graph_errors() -> None:
    nodes = pd.DataFrame({"node_id": [1, 2], "lon": [1.9, 1.91], "lat": [45.6, 45.6]})
    with pytest.raises(GraphError) as caught:
        network_from_frames(nodes, pd.DataFrame({"u": [], "v": [], "minutes": []}))
    assert caught.value.code == "network.graph_no_edge"
    with pytest.raises(GraphError) as caught:
        network_from_frames(nodes, pd.DataFrame({"u": [1], "v": [3], "minutes": [1.0]}))
    assert caught.value.code == "network.unknown_edge_nodes"
    assert caught.value.params["edges"] == ["1->3"]
    with pytest.raises(GraphError) as caught:
        network_from_frames(nodes, pd.DataFrame({"u": [1], "v": [2], "minutes": [-1.0]}))
    assert (caught.value.code, caught.value.field) == ("network.bad_edge_minutes", "minutes")
    with pytest.raises(GraphError) as caught:
        build_network(nx.MultiDiGraph())
    assert caught.value.code == "network.graph_no_node"
    bare = nx.MultiDiGraph()
    bare.add_edge(1, 2)
    with pytest.raises(GraphError) as caught:
        build_network(bare)
    assert caught.value.code == "network.graph_no_coordinates"


def test_parallel_edges_keep_the_fastest() -> None:
    nodes = pd.DataFrame({"node_id": [1, 2], "lon": [1.9, 1.91], "lat": [45.6, 45.6]})
    edges = pd.DataFrame({"u": [1, 1, 2], "v": [2, 2, 1], "minutes": [5.0, 3.0, 4.0]})
    network = network_from_frames(nodes, edges)
    assert network.n_edges == 2
    result = travel_times(network, node_points(network), node_points(network))
    assert result.table.set_index(["origin_id", "dest_id"])["minutes"][("1", "2")] == 3.0


# --- crowfly -------------------------------------------------------------------------------------


def test_crowfly_great_circle_times_circuity_over_speed() -> None:
    origins = pd.DataFrame({"id": ["a"], "lon": [2.0], "lat": [45.0]})
    dests = pd.DataFrame({"id": ["b", "c"], "lon": [2.0, 2.0], "lat": [46.0, 45.5]})
    km = 6371.0088 * math.radians(1.0)  # one degree of latitude
    result = crowfly_times(origins, dests)
    assert result.method == "crowfly"
    assert (result.table["method"] == "crowfly").all()
    assert result.table["minutes"].iloc[0] == pytest.approx(km * 1.3 / 60 * 60, rel=1e-9)
    custom = crowfly_times(origins, dests, circuity=1.0, speed_kmh=km)
    assert custom.table["minutes"].iloc[0] == pytest.approx(60.0, rel=1e-9)
    with am_settings.override(crowfly_circuity=2.0, crowfly_speed_kmh=30.0):
        slow = crowfly_times(origins, dests)
    assert slow.table["minutes"].iloc[0] == pytest.approx(km * 2.0 / 30 * 60, rel=1e-9)
    nearest = crowfly_times(origins, dests, min_only=True)
    assert nearest.table["dest_id"].tolist() == ["c"]
    cut = crowfly_times(origins, dests, cutoff=100)
    assert np.isinf(cut.table["minutes"].iloc[0])
    assert np.isfinite(cut.table["minutes"].iloc[1])
    assert list(cut.unreachable["dest_id"]) == ["b"]


# --- cache key and summary -----------------------------------------------------------------------


def test_traveltimes_key_covers_every_input(graph: nx.MultiDiGraph) -> None:
    network = build_network(graph, winter=False)
    points = node_points(network)
    key = traveltimes_key(points, points, network=network)
    assert len(key) == 64
    assert traveltimes_key(points.iloc[::-1], points, network=network) == key
    winter = build_network(graph, winter=True)
    others = [
        traveltimes_key(points, points, network=winter),
        traveltimes_key(points, points.iloc[1:], network=network),
        traveltimes_key(points, points, network=network, cutoff=30),
        traveltimes_key(points, points, network=network, min_only=True),
        traveltimes_key(points, points, network=network, connector_speed_kmh=5),
        traveltimes_key(points, points),
        traveltimes_key(points, points, circuity=1.5),
        traveltimes_key(points.assign(lon=points["lon"] + 0.001), points, network=network),
    ]
    assert len({key, *others}) == len(others) + 1
    with am_settings.override(connector_speed_kmh=5.0):
        assert traveltimes_key(points, points, network=network) == others[4]


def test_summarize_od() -> None:
    table = pd.DataFrame(
        {
            "origin_id": ["a", "a", "b"],
            "dest_id": ["x", "y", "x"],
            "minutes": [10.0, math.inf, 30.0],
            "method": "osm",
        }
    )
    summary = summarize_od(table)
    assert (summary.pairs, summary.reachable, summary.unreachable) == (3, 2, 1)
    assert summary.median_minutes == 20.0
    assert summary.max_minutes == 30.0
    assert summary.methods == ("osm",)


# --- CLI -----------------------------------------------------------------------------------------


def stored_tables(store: Path) -> list[pd.DataFrame]:
    from accessmap.store import Store

    with Store.open(store, read_only=True) as db:
        runs = db.read_table("traveltime_runs")
        return [db.read_traveltimes(str(key)) for key in runs["key"]]


def test_cli_traveltimes_with_an_osm_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from accessmap.cli import main
    from factories import write_mirror

    tiny = write_mirror(tmp_path / "mirror")
    store = tmp_path / "db.duckdb"
    args = ["traveltimes", "-t", "19001,19002", "--buffer-km", "5", "--mirror", str(tiny)]
    # the Bugeat fixture's roads are tens of km from these communes: refused, one line, exit 2
    far = write_osm(tmp_path / "far.osm")
    assert main([*args, "--osm", str(far), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "far.osm ne couvre pas le territoire" in err
    assert "--osm FICHIER" in err
    # a street grid over the tiny communes (town halls at 45.65-45.75 N, 2.05-2.25 E)
    osm = write_osm(tmp_path / "roads.osm", *grid_osm(2.0, 45.6, 2.3, 45.8, step=0.02))
    assert main([*args, "--osm", str(osm), "--store", str(store)]) == 0
    out, err = capsys.readouterr()
    assert "réseau routier OpenStreetMap du fichier roads.osm" in out
    assert "réseau routier : " in out
    assert "nœuds gardés sur" in out
    assert "crowfly" not in err
    (table,) = stored_tables(store)
    assert list(table.columns) == list(OD_COLUMNS)
    assert (table["method"] == "osm").all()
    assert table["origin_id"].nunique() * table["dest_id"].nunique() == len(table)
    assert np.isfinite(table["minutes"]).all()
    # without a road graph: crowfly, and one warning saying so
    assert main([*args, "--store", str(store)]) == 0
    out, err = capsys.readouterr()
    assert "vol d'oiseau" in out
    assert err.count("vol d'oiseau") == 1
    assert len(stored_tables(store)) == 2
    crowfly_tables = [t for t in stored_tables(store) if (t["method"] == "crowfly").all()]
    assert len(crowfly_tables) == 1
    # bad inputs: one clear line, exit code 2
    assert main([*args, "--osm", str(osm), "--crowfly"]) == 2
    assert "--crowfly" in capsys.readouterr().err
    empty = tmp_path / "empty.osm"
    empty.write_text("")
    assert main([*args, "--osm", str(empty), "--store", str(store)]) == 2
    assert "est vide" in capsys.readouterr().err


@pytest.mark.mirror
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_cli_traveltimes_crowfly_on_the_mirror(
    mirror: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    from accessmap.cli import main
    from accessmap.inputs import load_territory
    from accessmap.sources import load_bpe_gp_counts, load_gp_sites_creuse
    from accessmap.sources.roster import load_declared_sites
    from accessmap.supply import study_area_roster

    store = tmp_path / "db.duckdb"
    args = ["traveltimes", "--territory", "montagne-limousine", "--crowfly"]
    args += ["--mirror", str(mirror), "--store", str(store)]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert err.count("vol d'oiseau") == 1
    (table,) = stored_tables(store)
    with am_settings.override(mirror=mirror):
        area = load_territory("montagne-limousine")
        roster = study_area_roster(
            area,
            bpe=load_bpe_gp_counts(),
            creuse_sites=load_gp_sites_creuse(),
            declared=load_declared_sites(),
        )
    assert set(table["origin_id"]) == set(area.study_area["code"])
    # destinations: the GP sites, then the territory's town halls (siting candidates)
    dests = set(table["dest_id"])
    sites = set(roster.sites["site_id"])
    assert sites <= dests
    assert dests - sites <= set(area.codes)
    # sparse by construction: pairs under the horizon, plus each commune's nearest site beyond it
    from accessmap.conventions import TABLE_HORIZON

    assert len(table) < len(area.study_area) * len(dests)
    assert table.loc[table["minutes"] >= TABLE_HORIZON, "origin_id"].is_unique
    assert (table["method"] == "crowfly").all()
    assert np.isfinite(table["minutes"]).all()
    assert f"{len(area.codes)} communes du territoire" in out
    assert main(args) == 0  # second run: from the store's cache
    assert "cache" in capsys.readouterr().out
    assert len(stored_tables(store)) == 1
