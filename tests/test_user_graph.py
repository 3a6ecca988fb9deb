"""A user's networkx/osmnx graph: its own ``travel_time`` and ``speed_kph`` are honoured.

Precedence (documented in :func:`accessmap.network.build_network`): ``travel_time``, then
``speed_kph``, then accessmap's speeds by class; the length factor only for a graph marked
simplified, with a note.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import osmnx as ox
import pandas as pd
import pytest

from accessmap.network import SIMPLIFIED_GEOMETRY, add_travel_times, build_network, travel_times
from accessmap.settings import get_settings


def _graph(*, speed_kph: float | None = None) -> nx.MultiDiGraph:
    """A small two-way road grid near Ambert, osmnx-shaped (``crs``, ``x``/``y``, ``length``)."""
    graph = nx.MultiDiGraph(crs="EPSG:4326")
    for i in range(4):
        for j in range(3):
            graph.add_node(i * 10 + j, x=3.70 + 0.01 * i, y=45.50 + 0.01 * j)
    roads = [(a, a + 10) for a in graph.nodes if a + 10 in graph.nodes]
    roads += [(a, a + 1) for a in graph.nodes if a + 1 in graph.nodes and a % 10 < 2]
    for a, b in roads:
        length = 900.0 + 37.0 * (a % 7) + 11.0 * b
        for u, v in ((a, b), (b, a)):
            data = {"length": length, "highway": "secondary" if a % 2 else "residential"}
            if speed_kph is not None:
                data["speed_kph"] = speed_kph
            graph.add_edge(u, v, **data)
    return graph


def _points(graph: nx.MultiDiGraph, ids: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [str(i) for i in ids],
            "lon": [graph.nodes[i]["x"] for i in ids],
            "lat": [graph.nodes[i]["y"] for i in ids],
        }
    )


def _minutes(graph: nx.MultiDiGraph) -> np.ndarray:
    network = build_network(graph)
    origins, dests = _points(graph, [0, 1, 12]), _points(graph, [30, 32, 21])
    table = travel_times(network, origins, dests).table
    return table.sort_values(["origin_id", "dest_id"])["minutes"].to_numpy()


def test_speed_kph_at_30_gives_twice_the_minutes_at_60() -> None:
    slow, fast = _minutes(_graph(speed_kph=30.0)), _minutes(_graph(speed_kph=60.0))
    assert (fast > 0).all()
    np.testing.assert_allclose(slow, 2.0 * fast, rtol=1e-12)


def test_osmnx_travel_times_are_used_as_given() -> None:
    graph = ox.add_edge_travel_times(_graph(speed_kph=30.0))
    for _, _, data in graph.edges(data=True):
        data["travel_time"] = 120.0  # two minutes per road, whatever its length and speed
        data["speed_kph"] = 500.0  # travel_time wins over speed_kph
    network = build_network(graph)
    assert set(network.edges["speed_source"]) == {"travel_time"}
    np.testing.assert_allclose(network.edges["minutes"], 2.0)
    table = travel_times(network, _points(graph, [0]), _points(graph, [32])).table
    assert table["minutes"].iloc[0] == pytest.approx(2.0 * 5)  # 3 steps east, 2 north
    codes = [note.code for note in network.notes]
    assert "network.graph_times_used" in codes


def test_class_speeds_fill_edges_without_their_own() -> None:
    plain = build_network(_graph())
    assert "speed_kph" not in set(plain.edges["speed_source"])
    assert plain.notes == ()  # not simplified, no given times: nothing to say
    mixed = _graph()
    first = next(iter(mixed.edges(keys=True)))
    mixed.edges[first]["speed_kph"] = 10.0
    network = build_network(mixed)
    assert (network.edges["speed_source"] == "speed_kph").sum() == 1


def test_length_factor_only_for_a_graph_marked_simplified() -> None:
    plain, marked = _graph(speed_kph=60.0), _graph(speed_kph=60.0)
    marked.graph[SIMPLIFIED_GEOMETRY] = True
    factor = get_settings().road_length_factor
    assert factor != 1.0
    np.testing.assert_allclose(_minutes(marked), factor * _minutes(plain), rtol=1e-12)
    assert build_network(plain).length_factor == 1.0
    notes = build_network(marked).notes
    assert notes[0].code == "network.length_factor_applied"
    assert "1,55" in str(notes[0]) or str(factor).replace(".", ",") in str(notes[0])


def test_add_travel_times_follows_the_same_precedence() -> None:
    graph = _graph(speed_kph=30.0)
    timed = build_network(graph)
    marked = add_travel_times(graph)
    minutes = sorted(d["minutes"] for _, _, d in marked.edges(data=True))
    np.testing.assert_allclose(minutes, sorted(timed.edges["minutes"]))
    assert {d["speed_kmh"] for _, _, d in marked.edges(data=True)} == {30.0}


def test_travel_times_carry_the_network_notes() -> None:
    marked = _graph(speed_kph=60.0)
    marked.graph[SIMPLIFIED_GEOMETRY] = True
    network = build_network(marked)
    result = travel_times(network, _points(marked, [0]), _points(marked, [32]))
    assert [n.code for n in result.notes] == [n.code for n in network.notes]
    assert [n.code for n in network.notes] == [
        "network.length_factor_applied",
        "network.graph_times_used",
    ]
