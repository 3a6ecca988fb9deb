"""The road network straight from drivable OSM ways (:class:`~accessmap.contracts.RoadWays`).

:func:`network_from_ways` builds the same :class:`~accessmap.network.RoadNetwork` as osmnx's
``graph_from_xml`` followed by :func:`~accessmap.network.build_network`, with numpy arrays instead
of a networkx graph:

1. every way becomes directed segments as osmnx's ``_add_paths`` makes them: consecutive duplicate
   nodes dropped; a one-way way (``oneway`` in :data:`ONEWAY_VALUES`, or ``junction=roundabout``)
   gives one direction, reversed for :data:`REVERSED_VALUES` (``-1``, ``reverse``, ``T``); any
   other way (``oneway=no``, ``reversible``, untagged) gives both; motorways are not implied
   one-way (osmnx does not imply them: each carriageway is its own tagged way);
2. segment lengths are osmnx's great-circle distances (``osmnx.distance.great_circle``);
3. unless the geometry is already simplified (the mirror's waypoint roads), chains of interstitial
   nodes are merged as osmnx's ``simplify_graph`` merges them: same endpoints, lengths summed,
   ``highway`` and ``maxspeed`` kept when equal along the chain and listed otherwise, isolated
   rings removed;
4. minutes come from :func:`~accessmap.network.graph.network_from_osm_edges` (speeds by class or
   ``maxspeed``, the simplified-geometry length factor), as :func:`build_network` computes them.

References
----------
Boeing, G. (2025). Topological Graph Simplification Solutions to the Street Intersection Miscount
Problem. Transactions in GIS 29(3), e70037. https://doi.org/10.1111/tgis.70037
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from accessmap.contracts import RoadWays
from accessmap.errors import GraphError
from accessmap.messages import warn
from accessmap.network.graph import (
    RoadNetwork,
    network_from_frames,
    network_from_osm_edges,
    resolve_length_factor,
)
from accessmap.network.speeds import edge_speeds

__all__ = [
    "EARTH_RADIUS_M",
    "ONEWAY_VALUES",
    "REVERSED_VALUES",
    "network_from_ways",
    "way_directions",
]

#: ``oneway`` values that make a way one-way (osmnx ``graph._add_paths``).
ONEWAY_VALUES: frozenset[str] = frozenset({"yes", "true", "1", "-1", "reverse", "T", "F"})
#: ``oneway`` values of a one-way way drivable against its node order.
REVERSED_VALUES: frozenset[str] = frozenset({"-1", "reverse", "T"})
#: Earth radius of osmnx's great-circle lengths (metres).
EARTH_RADIUS_M = 6_371_009.0


def way_directions(oneway: np.ndarray, junction: np.ndarray) -> np.ndarray:
    """Direction of travel of every way, by osmnx's rules.

    Parameters
    ----------
    oneway, junction
        The ways' ``oneway`` and ``junction`` tag values (``None`` when absent).

    Returns
    -------
    numpy.ndarray
        int8: ``1`` one-way along the node order, ``-1`` one-way against it, ``0`` both ways.

    References
    ----------
    OpenStreetMap wiki, "Key:oneway"; osmnx ``graph._is_path_one_way`` and ``_is_path_reversed``.
    """
    out = np.zeros(len(oneway), dtype=np.int8)
    for i, (tag, kind) in enumerate(zip(oneway, junction, strict=True)):
        if tag in ONEWAY_VALUES:
            out[i] = -1 if tag in REVERSED_VALUES else 1
        elif kind == "roundabout":
            out[i] = 1
    return out


def network_from_ways(
    ways: RoadWays,
    *,
    speeds: Mapping[str, float] | None = None,
    winter: bool | None = None,
    winter_factors: Mapping[str, float] | None = None,
    keep_largest: bool = True,
    metric_crs: str = "EPSG:2154",
    road_length_factor: float | None = None,
    simplify: bool = True,
) -> RoadNetwork:
    """Build the road network of drivable OSM ways, as osmnx and :func:`build_network` would.

    Parameters
    ----------
    ways
        From :func:`accessmap.sources.osmfile.read_road_ways`.
    speeds, winter, winter_factors
        Edge speeds, as in :func:`~accessmap.network.edge_speeds`.
    keep_largest, metric_crs
        As in :func:`~accessmap.network.build_network`.
    road_length_factor
        Multiplier on lengths; default: the ``road_length_factor`` setting for simplified geometry,
        else 1.
    simplify
        Merge chains of interstitial nodes (osmnx's topology simplification); never done for
        simplified geometry (nothing to merge but straight segments).

    Returns
    -------
    RoadNetwork
        The query structure.

    Raises
    ------
    GraphError
        No segment between two distinct nodes.

    Warns
    -----
    AccessmapWarning
        ``roads.missing_nodes``: the file lacked nodes its ways refer to (a clipped extract).

    References
    ----------
    Boeing, G. (2025). Modeling and analyzing urban networks and amenities with OSMnx.
    Geographical Analysis. https://doi.org/10.1111/gean.70009
    """
    if ways.missing_nodes:
        warn("roads.missing_nodes", count=ways.missing_nodes, path=ways.source)
    seg = _segments(ways)
    if len(seg.u) == 0:
        raise GraphError("roads.no_edge", field="osm", path=ways.source)
    factor = resolve_length_factor(ways.simplified_geometry, road_length_factor)
    options: dict[str, Any] = {"speeds": speeds, "winter": winter, "winter_factors": winter_factors}
    build: dict[str, Any] = {
        "keep_largest": keep_largest,
        "metric_crs": metric_crs,
        "source": ways.source,
        "road_length_factor": factor,
    }
    if simplify and not ways.simplified_geometry:
        nodes, edges = _simplified_frames(ways, seg)
        return network_from_osm_edges(nodes, edges, **options, **build)
    nodes, edges = _plain_frames(ways, seg)
    # unmerged edges carry their way's tags: speeds are worked out once per way
    per_way = pd.DataFrame(
        {"highway": pd.Series(ways.highway, dtype=object), "maxspeed": ways.maxspeed}
    )
    speed = edge_speeds(per_way, **options)
    way = edges.pop("way").to_numpy()
    for column in ("highway", "speed_kmh", "speed_source"):
        edges[column] = speed[column].to_numpy()[way]
    edges["length_m"] = edges["length_m"] * factor
    edges["minutes"] = edges["length_m"] / 1000.0 / edges["speed_kmh"] * 60.0  # as build_network
    return network_from_frames(nodes, edges, **build)


@dataclass(frozen=True, slots=True)
class _Segments:
    """Directed segments in osmnx's insertion order: ends (node rows), length, way."""

    u: np.ndarray
    v: np.ndarray
    length: np.ndarray
    way: np.ndarray


def _segments(ways: RoadWays) -> _Segments:
    """Directed segments of every way, in the order osmnx adds them to its graph."""
    counts = np.diff(ways.offsets)
    nodes = ways.nodes
    way_of = np.repeat(np.arange(ways.n_ways), counts)
    keep = np.ones(len(nodes), dtype=bool)
    keep[1:] = (nodes[1:] != nodes[:-1]) | (way_of[1:] != way_of[:-1])
    nodes, way_of = nodes[keep], way_of[keep]
    same = way_of[1:] == way_of[:-1]
    a, b, w = nodes[:-1][same], nodes[1:][same], way_of[:-1][same]
    per_way = np.bincount(w, minlength=ways.n_ways)
    start = np.concatenate([[0], np.cumsum(per_way)[:-1]])
    pos = np.arange(len(a)) - start[w]
    direction = way_directions(ways.oneway, ways.junction)[w]
    rev = direction == -1
    both = direction == 0
    u = np.concatenate([np.where(rev, b, a), b[both]])
    v = np.concatenate([np.where(rev, a, b), a[both]])
    way = np.concatenate([w, w[both]])
    phase = np.concatenate([np.zeros(len(a), dtype=np.int8), np.ones(int(both.sum()), np.int8)])
    rank = np.concatenate([np.where(rev, per_way[w] - 1 - pos, pos), pos[both]])
    order = np.lexsort((rank, phase, way))
    u, v, way = u[order], v[order], way[order]
    length = _great_circle(ways.lat[u], ways.lon[u], ways.lat[v], ways.lon[v])
    return _Segments(u=u, v=v, length=length, way=way)


def _great_circle(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Osmnx's haversine distance in metres, the same operations in the same order."""
    y1, y2 = np.deg2rad(lat1), np.deg2rad(lat2)
    x1, x2 = np.deg2rad(lon1), np.deg2rad(lon2)
    h = np.sin((y2 - y1) / 2) ** 2 + np.cos(y1) * np.cos(y2) * np.sin((x2 - x1) / 2) ** 2
    h = np.minimum(1, h)
    dist = 2 * np.arcsin(np.sqrt(h)) * EARTH_RADIUS_M
    dist[np.isnan(dist)] = 0
    return np.asarray(dist, dtype=float)


def _edge_order(u: np.ndarray, v: np.ndarray, n: int) -> np.ndarray:
    """Networkx's edge order: by tail node, then first insertion of the (tail, head) pair."""
    pair = u.astype(np.int64) * n + v
    _, inverse = np.unique(pair, return_inverse=True)
    first = np.full(inverse.max() + 1, len(u), dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(len(u)))
    return np.lexsort((np.arange(len(u)), first[inverse], u))


def _plain_frames(ways: RoadWays, seg: _Segments) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node and edge (``u, v, length_m, geometry, way``) tables of the unsimplified graph.

    Both in networkx's orders (nodes as in the file, edges by tail node then first insertion), so
    that the network's digest equals the osmnx path's.
    """
    n = len(ways.node_ids)
    used = np.zeros(n, dtype=bool)
    used[seg.u] = True
    used[seg.v] = True
    order = _edge_order(seg.u, seg.v, n)
    way = seg.way[order]
    nodes = pd.DataFrame(
        {"node_id": ways.node_ids[used], "lon": ways.lon[used], "lat": ways.lat[used]}
    )
    edges = pd.DataFrame(
        {
            "u": ways.node_ids[seg.u[order]],
            "v": ways.node_ids[seg.v[order]],
            "length_m": seg.length[order],
            "geometry": pd.Series([None] * len(way), dtype=object),
            "way": way,
        }
    )
    return nodes, edges


# --- osmnx's topology simplification ------------------------------------------------------------


def _endpoints(u: np.ndarray, v: np.ndarray, n: int) -> np.ndarray:
    """Osmnx's ``_is_endpoint`` for every node (rules 1-3; no attribute rules)."""
    out_deg = np.bincount(u, minlength=n)
    in_deg = np.bincount(v, minlength=n)
    degree = out_deg + in_deg
    loops = np.zeros(n, dtype=bool)
    loops[u[u == v]] = True
    pairs = np.unique(np.concatenate([u.astype(np.int64) * n + v, v.astype(np.int64) * n + u]))
    neighbours = np.bincount(pairs // n, minlength=n)
    interstitial = (neighbours == 2) & ((degree == 2) | (degree == 4))
    return loops | (out_deg == 0) | (in_deg == 0) | ~interstitial


def _successors(u: np.ndarray, v: np.ndarray, n: int) -> list[list[int]]:
    """Successors of every node, in the order their first edge was added (networkx's order)."""
    order = _edge_order(u, v, n)
    su, sv = u[order], v[order]
    first = np.ones(len(su), dtype=bool)
    first[1:] = (su[1:] != su[:-1]) | (sv[1:] != sv[:-1])
    su, sv = su[first], sv[first]
    bounds = np.searchsorted(su, np.arange(n + 1))
    heads = sv.tolist()
    return [heads[bounds[i] : bounds[i + 1]] for i in range(n)]


def _build_path(start: int, second: int, succ: list[list[int]], end: np.ndarray) -> list[int]:
    """Osmnx's ``_build_path``: from an endpoint through interstitial nodes to the next one."""
    path = [start, second]
    seen = {start, second}
    for first in succ[second]:
        if first in seen:
            continue
        node = first
        path.append(node)
        seen.add(node)
        while not end[node]:
            nexts = [m for m in succ[node] if m not in seen]
            if len(nexts) == 1:
                node = nexts[0]
                path.append(node)
                seen.add(node)
            elif not nexts:
                return [*path, start] if start in succ[node] else path
            else:  # osmnx raises too: an interstitial node has two neighbours
                raise GraphError("roads.simplify_failed", field="osm", node=node)
        return path
    return path


def _merge(values: list[Any]) -> Any:
    """Merge an attribute along a chain as osmnx does: the value when unique, else the distinct.

    The distinct values keep their order along the chain (osmnx lists a ``set``, whose order
    changes with ``PYTHONHASHSEED``): the speed read from the first one, and the travel-time
    table's content key, are the same in every run.
    """
    if not values:
        return None
    distinct = list(dict.fromkeys(values))
    return values[0] if len(distinct) == 1 else distinct


def _simplified_frames(ways: RoadWays, seg: _Segments) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node and edge tables after osmnx's ``simplify_graph`` (chains merged, rings removed)."""
    import shapely

    n = len(ways.node_ids)
    end = _endpoints(seg.u, seg.v, n)
    succ = _successors(seg.u, seg.v, n)
    first_edge: dict[tuple[int, int], int] = {}
    for i, pair in enumerate(zip(seg.u.tolist(), seg.v.tolist(), strict=True)):
        first_edge.setdefault(pair, i)
    lengths, way = seg.length.tolist(), seg.way.tolist()
    merged: list[tuple[int, int, float, Any, Any, list[int]]] = []
    interior: set[int] = set()
    for start in np.flatnonzero(end).tolist():
        for second in succ[start]:
            if end[second]:
                continue
            path = _build_path(start, second, succ, end)
            edges = [first_edge[pair] for pair in itertools.pairwise(path)]
            highways = [ways.highway[way[e]] for e in edges]
            speeds = [s for s in (ways.maxspeed[way[e]] for e in edges) if s is not None]
            total = sum(lengths[e] for e in edges)
            merged.append((path[0], path[-1], total, _merge(highways), _merge(speeds), path))
            interior.update(path[1:-1])
    gone = np.zeros(n, dtype=bool)
    gone[list(interior)] = True
    kept = ~gone[seg.u] & ~gone[seg.v]
    mu = np.asarray([m[0] for m in merged], dtype=np.int64)
    mv = np.asarray([m[1] for m in merged], dtype=np.int64)
    u = np.concatenate([seg.u[kept], mu])
    v = np.concatenate([seg.v[kept], mv])
    ring = _ring_nodes(u, v, n, gone)
    alive = ~gone & ~ring
    alive_edge = alive[u] & alive[v]
    present = np.zeros(n, dtype=bool)
    present[u[alive_edge]] = True
    present[v[alive_edge]] = True
    kept_way = seg.way[kept]
    coords = [
        shapely.linestrings(np.column_stack([ways.lon[m[5]], ways.lat[m[5]]])) for m in merged
    ]
    edges_frame = pd.DataFrame(
        {
            "u": ways.node_ids[u],
            "v": ways.node_ids[v],
            "length_m": np.concatenate([seg.length[kept], [m[2] for m in merged]]),
            "highway": pd.Series(
                [*ways.highway[kept_way].tolist(), *(m[3] for m in merged)], dtype=object
            ),
            "maxspeed": pd.Series(
                [*ways.maxspeed[kept_way].tolist(), *(m[4] for m in merged)], dtype=object
            ),
            "geometry": pd.Series([None] * int(kept.sum()) + coords, dtype=object),
        }
    ).loc[alive_edge]
    nodes = pd.DataFrame(
        {"node_id": ways.node_ids[present], "lon": ways.lon[present], "lat": ways.lat[present]}
    )
    return nodes, edges_frame.reset_index(drop=True)


def _ring_nodes(u: np.ndarray, v: np.ndarray, n: int, gone: np.ndarray) -> np.ndarray:
    """Nodes of weakly connected components with no endpoint (osmnx's ``_remove_rings``)."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    end = _endpoints(u, v, n) & ~gone
    matrix = sp.csr_array((np.ones(len(u)), (u, v)), shape=(n, n))
    _, labels = connected_components(matrix, directed=True, connection="weak")
    with_end = np.zeros(labels.max() + 1, dtype=bool)
    with_end[labels[end]] = True
    return ~with_end[labels] & ~gone
