"""Road travel times: OSM graph → edge minutes → CSR matrix → multi-source Dijkstra → OD table.

The pipeline, each step a pure function:

1. :func:`edge_speeds` gives every edge a speed: its OSM ``maxspeed`` when tagged
   (:func:`parse_maxspeed` reads ``"50"``, ``"50 mph"``, ``"FR:rural"``, ``"50;70"``...), else the
   French rural speed of its ``highway`` class (:data:`RURAL_SPEEDS_KMH`), times a winter factor by
   class when ``winter`` is on (:data:`WINTER_FACTORS`).
2. :func:`build_network` turns an osmnx-style graph into a :class:`RoadNetwork`: a CSR matrix of
   edge minutes built **once** (parallel edges keep the fastest), the node ids and coordinates, a
   KD-tree of nodes in metres, and a :class:`ComponentReport` of what was dropped to keep the
   largest strongly connected component.
3. :func:`snap_points` ties origins and destinations to their nearest node; the straight
   off-network leg is driven at ``connector_speed_kmh`` and added to the times.
4. :func:`travel_times` runs :func:`scipy.sparse.csgraph.dijkstra` from all origins at once (or from
   the destinations on the reversed graph when they are fewer), with an optional cutoff, or, with
   ``min_only``, one multi-source search that gives every origin its nearest destination.
   :func:`crowfly_times` is the offline estimate (great-circle km * circuity / speed).

Both return a :class:`TravelTimes` whose ``table`` is *the* travel-time table of the project:
columns exactly ``origin_id, dest_id, minutes, method``; ``minutes`` is ``inf`` when no path exists,
and ``unreachable`` says why. :func:`traveltimes_key` hashes every input for the store's cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import warnings
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from accessmap.errors import GraphError, ValidationError, format_rows
from accessmap.settings import get_settings

if TYPE_CHECKING:
    import networkx as nx
    import numpy.typing as npt
    from pyproj import Transformer
    from scipy.sparse import csr_array

__all__ = [
    "DEFAULT_SPEED_KMH",
    "DEFAULT_WINTER_FACTOR",
    "IMPLICIT_MAXSPEEDS_KMH",
    "OD_COLUMNS",
    "RURAL_SPEEDS_KMH",
    "WINTER_FACTORS",
    "ComponentReport",
    "OdSummary",
    "RoadNetwork",
    "TravelTimes",
    "add_travel_times",
    "build_network",
    "crowfly_times",
    "edge_speeds",
    "minutes_to_nearest",
    "network_from_frames",
    "parse_maxspeed",
    "snap_points",
    "summarize_od",
    "travel_times",
    "traveltimes_key",
    "validate_points",
]

#: Columns of the travel-time table, in order.
OD_COLUMNS: tuple[str, ...] = ("origin_id", "dest_id", "minutes", "method")

#: Typical car speeds (km/h) on French rural roads by OSM ``highway`` class, used where an edge has
#: no usable ``maxspeed`` tag. They are average running speeds, below the legal limits (130 on
#: motorways, 110 on expressways, 80 on two-lane roads since July 2018, 50 in built-up areas),
#: because bends, gradients, villages and junctions slow rural driving.
RURAL_SPEEDS_KMH: Mapping[str, float] = {
    "motorway": 110.0,
    "motorway_link": 60.0,
    "trunk": 90.0,
    "trunk_link": 50.0,
    "primary": 75.0,
    "primary_link": 45.0,
    "secondary": 65.0,
    "secondary_link": 40.0,
    "tertiary": 55.0,
    "tertiary_link": 35.0,
    "unclassified": 45.0,
    "residential": 30.0,
    "living_street": 15.0,
    "service": 20.0,
    "road": 40.0,
    "track": 15.0,
}
#: Speed of an edge whose class is not in the table.
DEFAULT_SPEED_KMH = 30.0

#: Winter (snow, ice) speed factors by ``highway`` class for the plateau: gritted main roads keep
#: most of their speed, small communal roads lose a third or more.
WINTER_FACTORS: Mapping[str, float] = {
    "motorway": 0.9,
    "motorway_link": 0.85,
    "trunk": 0.9,
    "trunk_link": 0.85,
    "primary": 0.85,
    "primary_link": 0.8,
    "secondary": 0.8,
    "secondary_link": 0.75,
    "tertiary": 0.75,
    "tertiary_link": 0.7,
    "unclassified": 0.7,
    "residential": 0.7,
    "living_street": 0.7,
    "service": 0.6,
    "road": 0.7,
    "track": 0.5,
}
#: Winter factor of an edge whose class is not in :data:`WINTER_FACTORS`.
DEFAULT_WINTER_FACTOR = 0.7

#: Implicit ``maxspeed`` values (``"FR:rural"``, ``"RO:urban"``...) by their part after the colon
#: (km/h). French values; ``zone30``-style values read their number.
IMPLICIT_MAXSPEEDS_KMH: Mapping[str, float] = {
    "urban": 50.0,
    "rural": 80.0,
    "trunk": 110.0,
    "expressway": 110.0,
    "motorway": 130.0,
    "living_street": 20.0,
    "walk": 6.0,
    "nsl_single": 96.56,
    "nsl_dual": 112.65,
    "nsl_restricted": 48.28,
}

_KMH_PER_MPH = 1.609344
_KMH_PER_KNOT = 1.852
_EARTH_RADIUS_KM = 6371.0088
_MAX_MATRIX_CELLS = 20_000_000  # Dijkstra rows are computed in batches of at most this many cells
_ALGORITHM_VERSION = 1  # bump when the numbers a given input produces change
_SPEED_PATTERN = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*(km/h|kmh|kph|mph|knots)?\s*$", re.I)

Method = Literal["osm", "crowfly"]


# --- speeds --------------------------------------------------------------------------------------


def parse_maxspeed(value: object) -> float:
    """Read an OSM ``maxspeed`` value as km/h.

    Parameters
    ----------
    value
        A tag value: ``"50"``, ``"50 km/h"``, ``"30 mph"``, ``"FR:rural"``, ``"FR:zone30"``,
        ``"50;70"`` or ``"50|70"`` (the mean), a list of such values (osmnx merges tags when it
        simplifies a graph; the mean of the readable ones), or a number.

    Returns
    -------
    float
        km/h, or ``nan`` when the value is missing or unusable (``"none"``, ``"signals"``,
        ``"variable"``, non-positive numbers).

    References
    ----------
    OpenStreetMap wiki, "Key:maxspeed" and "Default speed limits" (France).
    https://wiki.openstreetmap.org/wiki/Key:maxspeed
    """
    if value is None:
        return math.nan
    if isinstance(value, list | tuple | set):
        speeds = [s for s in (parse_maxspeed(v) for v in value) if not math.isnan(s)]
        return float(np.mean(speeds)) if speeds else math.nan
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        return number if math.isfinite(number) and number > 0 else math.nan
    text = str(value).strip()
    parts = [p for p in re.split(r"[;|]", text) if p.strip()]
    if len(parts) > 1:
        return parse_maxspeed(parts)
    match = _SPEED_PATTERN.match(text)
    if match:
        number = float(match.group(1).replace(",", "."))
        unit = (match.group(2) or "").lower()
        if unit == "mph":
            number *= _KMH_PER_MPH
        elif unit == "knots":
            number *= _KMH_PER_KNOT
        return number if number > 0 else math.nan
    implicit = text.split(":", 1)[-1].strip().lower()
    if implicit in IMPLICIT_MAXSPEEDS_KMH:
        return IMPLICIT_MAXSPEEDS_KMH[implicit]
    digits = re.search(r"([0-9]+)", implicit)
    if implicit.startswith("zone") and digits:
        return float(digits.group(1))
    return math.nan


def _highway_class(value: object) -> str:
    """One ``highway`` class per edge: the first of a list (the osmnx convention)."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def edge_speeds(
    edges: pd.DataFrame,
    *,
    speeds: Mapping[str, float] | None = None,
    winter: bool | None = None,
    winter_factors: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Speed of every edge: its ``maxspeed`` when tagged, else the rural speed of its class.

    Parameters
    ----------
    edges
        One row per edge with a ``highway`` column and optionally ``maxspeed`` (raw OSM values).
    speeds
        Speeds (km/h) by ``highway`` class, replacing entries of :data:`RURAL_SPEEDS_KMH`; the key
        ``"default"`` replaces :data:`DEFAULT_SPEED_KMH`.
    winter
        Apply winter factors (snow on the plateau). Default: the ``winter`` setting when the
        settings define one, else off.
    winter_factors
        Factors by class replacing entries of :data:`WINTER_FACTORS` (``"default"`` replaces
        :data:`DEFAULT_WINTER_FACTOR`).

    Returns
    -------
    pandas.DataFrame
        Same index as ``edges``; columns ``highway`` (one class), ``speed_kmh`` (float > 0),
        ``speed_source`` (``"maxspeed"``, ``"table"`` or ``"default"``), ``winter_factor``.

    References
    ----------
    Boeing, G. (2025). Modeling and analyzing urban networks and amenities with OSMnx.
    Geographical Analysis. https://doi.org/10.1111/gean.70009 (``add_edge_speeds``).
    """
    if "highway" not in edges.columns:
        raise ValidationError(
            "edges have no 'highway' column.", field="highway", fix="pass osmnx-style edges."
        )
    table, default_speed = _by_class(
        RURAL_SPEEDS_KMH,
        DEFAULT_SPEED_KMH,
        speeds,
        upper=math.inf,
        field="speeds",
        fix="give speeds in km/h greater than 0.",
    )
    factors, default_factor = _by_class(
        WINTER_FACTORS,
        DEFAULT_WINTER_FACTOR,
        winter_factors,
        upper=1.0,
        field="winter_factors",
        fix="give factors between 0 (excluded) and 1.",
    )
    use_winter = _resolve_winter(winter)
    highway = edges["highway"].map(_highway_class)
    if "maxspeed" in edges.columns:
        tagged = edges["maxspeed"].map(parse_maxspeed).astype(float)
    else:
        tagged = pd.Series(np.nan, index=edges.index, dtype=float)
    from_table = highway.map(table).astype(float)
    speed = tagged.fillna(from_table).fillna(default_speed)
    source = np.where(tagged.notna(), "maxspeed", np.where(from_table.notna(), "table", "default"))
    factor = highway.map(factors).astype(float).fillna(default_factor)
    if not use_winter:
        factor = pd.Series(1.0, index=edges.index)
    return pd.DataFrame(
        {
            "highway": highway,
            "speed_kmh": (speed * factor).astype(float),
            "speed_source": pd.Series(source, index=edges.index, dtype=str),
            "winter_factor": factor.astype(float),
        },
        index=edges.index,
    )


def _by_class(
    base: Mapping[str, float],
    default: float,
    overrides: Mapping[str, float] | None,
    *,
    upper: float,
    field: str,
    fix: str,
) -> tuple[dict[str, float], float]:
    """Merge per-class overrides (key ``"default"`` for the fallback) into a base table."""
    table = dict(base)
    for key, value in (overrides or {}).items():
        number = float(value)
        if not (math.isfinite(number) and 0 < number <= upper):
            raise ValidationError(f"{value!r} for {key!r} is out of range.", field=field, fix=fix)
        if key == "default":
            default = number
        else:
            table[key] = number
    return table, default


def _resolve_winter(winter: bool | None) -> bool:
    if winter is not None:
        return bool(winter)
    return get_settings().winter


def _graph_frames(graph: nx.MultiDiGraph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes (``node_id, lon, lat``) and edges (``u, v, length_m, highway, maxspeed, geometry``)."""
    nodes = list(graph.nodes(data=True))
    if not nodes:
        raise GraphError("the road graph has no node.", field="graph", fix="load a road network.")
    try:
        node_frame = pd.DataFrame(
            {
                "node_id": [n for n, _ in nodes],
                "lon": np.array([d["x"] for _, d in nodes], dtype=float),
                "lat": np.array([d["y"] for _, d in nodes], dtype=float),
            }
        )
    except KeyError:
        raise GraphError(
            "road-graph nodes have no 'x'/'y' coordinates.",
            field="graph",
            fix="load the graph with accessmap.sources.osm (osmnx conventions, EPSG:4326).",
        ) from None
    rows = list(graph.edges(data=True))
    edge_frame = pd.DataFrame(
        {
            "u": [u for u, _, _ in rows],
            "v": [v for _, v, _ in rows],
            "length_m": np.array([d.get("length", np.nan) for _, _, d in rows], dtype=float),
            "highway": [d.get("highway") for _, _, d in rows],
            "maxspeed": [d.get("maxspeed") for _, _, d in rows],
            "geometry": [d.get("geometry") for _, _, d in rows],
        }
    )
    return node_frame, edge_frame


def add_travel_times(
    graph: nx.MultiDiGraph,
    *,
    speeds: Mapping[str, float] | None = None,
    winter: bool | None = None,
    winter_factors: Mapping[str, float] | None = None,
) -> nx.MultiDiGraph:
    """Copy of an osmnx-style graph with ``speed_kmh`` and ``minutes`` on every edge.

    Parameters
    ----------
    graph
        Directed graph with ``length`` (m) and ``highway`` (and ``maxspeed``) on edges.
    speeds, winter, winter_factors
        As in :func:`edge_speeds`.

    Returns
    -------
    networkx.MultiDiGraph
        A copy; the input is not modified.

    References
    ----------
    Boeing, G. (2025). Modeling and analyzing urban networks and amenities with OSMnx.
    Geographical Analysis. https://doi.org/10.1111/gean.70009 (``add_edge_travel_times``).
    """
    nodes, edges = _graph_frames(graph)
    edges = _complete_lengths(nodes, edges)
    speed = edge_speeds(edges, speeds=speeds, winter=winter, winter_factors=winter_factors)
    minutes = edges["length_m"].to_numpy() / 1000.0 / speed["speed_kmh"].to_numpy() * 60.0
    out = graph.copy()
    for (u, v, k), kmh, mins in zip(out.edges(keys=True), speed["speed_kmh"], minutes, strict=True):
        out.edges[u, v, k]["speed_kmh"] = float(kmh)
        out.edges[u, v, k]["minutes"] = float(mins)
    return out


def _complete_lengths(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Fill missing edge lengths with the great-circle distance between the end nodes."""
    missing = edges["length_m"].isna().to_numpy()
    if not missing.any():
        return edges
    where = pd.Series(np.arange(len(nodes)), index=pd.Index(nodes["node_id"]))
    iu = where.loc[edges.loc[missing, "u"]].to_numpy()
    iv = where.loc[edges.loc[missing, "v"]].to_numpy()
    lon, lat = nodes["lon"].to_numpy(), nodes["lat"].to_numpy()
    edges = edges.copy()
    edges.loc[missing, "length_m"] = _haversine_km(lon[iu], lat[iu], lon[iv], lat[iv]) * 1000.0
    return edges


# --- the network ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ComponentReport:
    """What :func:`build_network` kept of the road graph.

    Attributes
    ----------
    nodes_in, edges_in
        Size of the graph received (self-loops excluded from ``edges_in``).
    nodes_kept, edges_kept
        Size of the network kept.
    components
        Number of strongly connected components in the graph received.
    dropped_node_ids
        Ids of the nodes dropped (outside the largest strongly connected component).
    """

    nodes_in: int
    edges_in: int
    nodes_kept: int
    edges_kept: int
    components: int
    dropped_node_ids: tuple[Hashable, ...]

    @property
    def nodes_dropped(self) -> int:
        """Number of nodes dropped."""
        return self.nodes_in - self.nodes_kept

    @property
    def edges_dropped(self) -> int:
        """Number of edges dropped."""
        return self.edges_in - self.edges_kept

    def __str__(self) -> str:
        return (
            f"kept {self.nodes_kept:,} of {self.nodes_in:,} nodes and {self.edges_kept:,} of "
            f"{self.edges_in:,} edges (largest of {self.components:,} strongly connected "
            f"components); dropped {self.nodes_dropped:,} nodes, {self.edges_dropped:,} edges"
        )


@dataclass(frozen=True, slots=True)
class RoadNetwork:
    """A road graph ready for fast queries, built once by :func:`build_network`.

    Attributes
    ----------
    csr
        ``scipy.sparse.csr_array`` (n x n) of edge minutes, row = from-node; parallel edges keep
        the fastest. Explicit zeros are edges of zero minutes.
    csr_reversed
        The transpose, as CSR (searches towards destinations).
    node_ids
        OSM node id of each row.
    lon, lat
        Node coordinates, EPSG:4326.
    x, y
        Node coordinates in metres, in ``metric_crs``.
    component
        Strongly connected component label of each node (all equal when only the largest is kept).
    edges
        Every kept edge: ``u``, ``v`` (row indices), ``minutes``, ``length_m``, ``speed_kmh``,
        ``speed_source``, ``highway``, ``geometry`` (shapely LineString in EPSG:4326 or ``None`` for
        a straight edge).
    report
        What was dropped to keep the largest strongly connected component.
    metric_crs
        CRS of ``x``/``y`` and of snapping distances (EPSG:2154, Lambert-93, in France).
    digest
        sha256 of nodes, coordinates and edge minutes (for cache keys).
    tree
        ``scipy.spatial.cKDTree`` of ``(x, y)``.
    """

    csr: Any
    csr_reversed: Any
    node_ids: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    x: np.ndarray
    y: np.ndarray
    component: np.ndarray
    edges: pd.DataFrame
    report: ComponentReport
    metric_crs: str
    digest: str
    tree: Any

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.node_ids)

    @property
    def n_edges(self) -> int:
        """Number of edges (parallel edges counted once)."""
        return int(self.csr.nnz)


def build_network(
    graph: nx.MultiDiGraph,
    *,
    speeds: Mapping[str, float] | None = None,
    winter: bool | None = None,
    winter_factors: Mapping[str, float] | None = None,
    keep_largest: bool = True,
    metric_crs: str = "EPSG:2154",
) -> RoadNetwork:
    """Build the query structure of a road graph: edge minutes, CSR matrix, KD-tree.

    Parameters
    ----------
    graph
        Directed osmnx-style graph (:mod:`accessmap.sources.osm`): nodes with ``x``/``y``
        (EPSG:4326), edges with ``length`` (m, recomputed great-circle when missing), ``highway``,
        optionally ``maxspeed`` and ``geometry``.
    speeds, winter, winter_factors
        Edge speeds, as in :func:`edge_speeds`.
    keep_largest
        Keep only the largest strongly connected component (default), so every kept node can reach
        every other; what is dropped is in :attr:`RoadNetwork.report`. With ``False`` every node is
        kept and unreachable pairs get ``inf``.
    metric_crs
        Projected CRS for snapping distances (Lambert-93 for France; a UTM zone elsewhere).

    Returns
    -------
    RoadNetwork
        Immutable; build it once and query it many times.

    Raises
    ------
    GraphError
        The graph has no node, no edge, or no coordinates.

    References
    ----------
    Boeing, G. (2025). Modeling and analyzing urban networks and amenities with OSMnx.
    Geographical Analysis. https://doi.org/10.1111/gean.70009
    """
    nodes, edges = _graph_frames(graph)
    edges = _complete_lengths(nodes, edges)
    speed = edge_speeds(edges, speeds=speeds, winter=winter, winter_factors=winter_factors)
    edges = edges.drop(columns=["highway", "maxspeed"]).join(speed)
    edges["minutes"] = edges["length_m"] / 1000.0 / edges["speed_kmh"] * 60.0
    return network_from_frames(nodes, edges, keep_largest=keep_largest, metric_crs=metric_crs)


def network_from_frames(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    keep_largest: bool = True,
    metric_crs: str = "EPSG:2154",
) -> RoadNetwork:
    """Build a :class:`RoadNetwork` from node and edge tables (edge minutes already known).

    Parameters
    ----------
    nodes
        ``node_id`` (unique), ``lon``, ``lat`` (EPSG:4326).
    edges
        ``u``, ``v`` (node ids), ``minutes`` (finite, ≥ 0); optional ``length_m``, ``speed_kmh``,
        ``speed_source``, ``highway``, ``geometry``. Self-loops are ignored.
    keep_largest
        Keep only the largest strongly connected component.
    metric_crs
        Projected CRS for snapping distances.

    Returns
    -------
    RoadNetwork
        The query structure.

    Raises
    ------
    GraphError
        No node, no edge, unknown end nodes, negative or non-finite minutes.

    References
    ----------
    Tarjan, R. (1972). Depth-first search and linear graph algorithms. SIAM Journal on Computing
    1(2), 146-160 (strongly connected components).
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    _require_columns(nodes, ("node_id", "lon", "lat"), what="nodes")
    _require_columns(edges, ("u", "v", "minutes"), what="edges")
    if len(nodes) == 0 or len(edges) == 0:
        raise GraphError(
            "the road graph has no edge.",
            field="graph",
            fix="load a road network covering the area.",
        )
    if nodes["node_id"].duplicated().any():
        dup = nodes.loc[nodes["node_id"].duplicated(), "node_id"]
        raise GraphError(f"duplicate node ids: {format_rows(dup)}.", field="node_id", fix="dedupe.")
    index = pd.Index(nodes["node_id"])
    iu = index.get_indexer(edges["u"])
    iv = index.get_indexer(edges["v"])
    known = (iu >= 0) & (iv >= 0)
    if not known.all():
        bad = edges.loc[~known, "u"].astype(str) + "->" + edges.loc[~known, "v"].astype(str)
        raise GraphError(
            f"edges refer to unknown nodes: {format_rows(bad)}.",
            field="edges",
            fix="give every edge end in the node table.",
        )
    minutes = edges["minutes"].to_numpy(dtype=float)
    if not np.isfinite(minutes).all() or (minutes < 0).any():
        raise GraphError(
            "edge minutes must be finite and >= 0.", field="minutes", fix="check edge lengths."
        )
    edges = edges.assign(u=iu, v=iv)
    edges = edges.loc[edges["u"] != edges["v"]].reset_index(drop=True)
    n = len(nodes)
    matrix = _csr(edges, n)
    components, labels = connected_components(matrix, directed=True, connection="strong")
    keep = np.ones(n, dtype=bool)
    if keep_largest and components > 1:
        largest = np.bincount(labels).argmax()
        keep = labels == largest
    node_ids = nodes["node_id"].to_numpy()
    dropped = tuple(node_ids[~keep].tolist())
    edges_in = len(edges)
    if not keep.all():
        new_index = np.cumsum(keep) - 1
        inside = keep[edges["u"].to_numpy()] & keep[edges["v"].to_numpy()]
        edges = edges.loc[inside].reset_index(drop=True)
        edges["u"] = new_index[edges["u"].to_numpy()]
        edges["v"] = new_index[edges["v"].to_numpy()]
        nodes = nodes.loc[keep].reset_index(drop=True)
        labels = labels[keep]
        matrix = _csr(edges, len(nodes))
    if len(edges) == 0:
        raise GraphError(
            "the road graph has no edge between distinct nodes.",
            field="graph",
            fix="load a road network covering the area.",
        )
    lon = nodes["lon"].to_numpy(dtype=float)
    lat = nodes["lat"].to_numpy(dtype=float)
    x, y = _project(lon, lat, metric_crs)
    edges = _edge_table(edges)
    report = ComponentReport(
        nodes_in=n,
        edges_in=edges_in,
        nodes_kept=len(nodes),
        edges_kept=len(edges),
        components=int(components),
        dropped_node_ids=dropped,
    )
    from scipy.spatial import cKDTree

    kept_ids = nodes["node_id"].to_numpy()
    return RoadNetwork(
        csr=matrix,
        csr_reversed=sp.csr_array(matrix.T),
        node_ids=kept_ids,
        lon=lon,
        lat=lat,
        x=x,
        y=y,
        component=labels,
        edges=edges,
        report=report,
        metric_crs=metric_crs,
        digest=_network_digest(kept_ids, lon, lat, edges, metric_crs),
        tree=cKDTree(np.column_stack([x, y])),
    )


def _edge_table(edges: pd.DataFrame) -> pd.DataFrame:
    """Select the columns of :attr:`RoadNetwork.edges`, with defaults for optional ones."""
    defaults: dict[str, Any] = {
        "length_m": np.nan,
        "speed_kmh": np.nan,
        "speed_source": "given",
        "highway": "",
        "geometry": None,
    }
    missing = {k: v for k, v in defaults.items() if k not in edges.columns}
    if missing:
        edges = edges.assign(**missing)
    return edges[["u", "v", "minutes", *defaults]]


def _csr(edges: pd.DataFrame, n: int) -> csr_array:
    """CSR of edge minutes, keeping the fastest of parallel edges."""
    import scipy.sparse as sp

    u = edges["u"].to_numpy(dtype=np.int64)
    v = edges["v"].to_numpy(dtype=np.int64)
    w = edges["minutes"].to_numpy(dtype=float)
    order = np.lexsort((w, v, u))
    u, v, w = u[order], v[order], w[order]
    first = np.ones(len(u), dtype=bool)
    first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
    return sp.csr_array((w[first], (u[first], v[first])), shape=(n, n))


@functools.lru_cache(maxsize=8)
def _transformer(crs: str) -> Transformer:
    """Lon/lat to ``crs``; cached (building a pyproj transformer takes tens of milliseconds)."""
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _project(lon: np.ndarray, lat: np.ndarray, crs: str) -> tuple[np.ndarray, np.ndarray]:
    x, y = _transformer(crs).transform(lon, lat)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def _network_digest(
    node_ids: np.ndarray, lon: np.ndarray, lat: np.ndarray, edges: pd.DataFrame, crs: str
) -> str:
    digest = hashlib.sha256()
    digest.update(crs.encode())
    digest.update(np.asarray([str(i) for i in node_ids]).astype("U").tobytes())
    digest.update(np.round(lon, 7).tobytes())
    digest.update(np.round(lat, 7).tobytes())
    digest.update(edges["u"].to_numpy(dtype=np.int64).tobytes())
    digest.update(edges["v"].to_numpy(dtype=np.int64).tobytes())
    digest.update(np.round(edges["minutes"].to_numpy(dtype=float), 9).tobytes())
    return digest.hexdigest()


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], *, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValidationError(
            f"{what} lack column(s) {', '.join(missing)}.",
            field=missing[0],
            fix=f"give {what} the columns {', '.join(columns)}.",
        )


# --- points and snapping -------------------------------------------------------------------------


def validate_points(points: pd.DataFrame, *, role: str = "points") -> pd.DataFrame:
    """Check a points table and return it clean: ``id`` as str, ``lon``/``lat`` as float.

    Parameters
    ----------
    points
        ``id`` (unique, not missing), ``lon``, ``lat`` (EPSG:4326 degrees, finite).
    role
        Name used in error messages (``origins``, ``destinations``...).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``lon``, ``lat`` only, in the input order.

    Raises
    ------
    ValidationError
        Missing column, missing or duplicate id, missing or out-of-range coordinates.

    References
    ----------
    accessmap ``docs/architecture.md``, "Points (origins, destinations)".
    """
    if not isinstance(points, pd.DataFrame):
        raise ValidationError(
            f"{role} must be a DataFrame.", field=role, fix="pass a DataFrame with id, lon, lat."
        )
    _require_columns(points, ("id", "lon", "lat"), what=role)
    if points["id"].isna().any():
        raise ValidationError(f"{role} have missing ids.", field=f"{role}.id", fix="give every id.")
    ids = points["id"].astype(str).to_numpy(dtype=object)
    lon = pd.to_numeric(points["lon"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(points["lat"], errors="coerce").to_numpy(dtype=float)
    if len(set(ids)) != len(ids):
        dup = pd.Series(ids).duplicated().to_numpy()
        raise ValidationError(
            f"duplicate {role} ids: {format_rows(pd.unique(ids[dup]))}.",
            field=f"{role}.id",
            fix="make ids unique (one row per point).",
        )
    with np.errstate(invalid="ignore"):
        bad = ~(np.isfinite(lon) & np.isfinite(lat)) | (np.abs(lon) > 180) | (np.abs(lat) > 90)
    if bad.any():
        raise ValidationError(
            f"{role} have missing or invalid coordinates: {format_rows(ids[bad])}.",
            field=f"{role}.lon/lat",
            fix="give longitude and latitude in degrees (EPSG:4326).",
        )
    return pd.DataFrame({"id": ids, "lon": lon, "lat": lat})


def snap_points(
    network: RoadNetwork,
    points: pd.DataFrame,
    *,
    connector_speed_kmh: float | None = None,
    warn_m: float | None = None,
) -> pd.DataFrame:
    """Tie each point to its nearest network node and time the off-network leg.

    Parameters
    ----------
    network
        From :func:`build_network`.
    points
        ``id`` (unique), ``lon``, ``lat`` (EPSG:4326).
    connector_speed_kmh
        Speed of the straight leg between a point and its node. Default: the
        ``connector_speed_kmh`` setting (15 km/h).
    warn_m
        Snapping distances above this are flagged (``far``) and trigger one warning.
        Default: the ``snap_warn_m`` setting (2 km).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``node_id``, ``node_index``, ``snap_m`` (metres in the network's metric CRS),
        ``connector_minutes``, ``far`` (bool), in the order of ``points``.

    References
    ----------
    Bentley, J. L. (1975). Multidimensional binary search trees used for associative searching.
    Communications of the ACM 18(9), 509-517 (the k-d tree).
    """
    settings = get_settings()
    speed = _positive(
        connector_speed_kmh, settings.connector_speed_kmh, field="connector_speed_kmh"
    )
    limit = _positive(warn_m, settings.snap_warn_m, field="snap_warn_m")
    pts = validate_points(points, role="points")
    x, y = _project(pts["lon"].to_numpy(), pts["lat"].to_numpy(), network.metric_crs)
    if len(pts):
        dist, index = network.tree.query(np.column_stack([x, y]))
    else:
        dist, index = np.empty(0), np.empty(0, dtype=np.int64)
    index = np.asarray(index, dtype=np.int64)
    dist = np.asarray(dist, dtype=float)
    far = dist > limit
    if far.any():
        warnings.warn(
            f"{int(far.sum())} point(s) are more than {limit:,.0f} m from the road network: "
            f"{format_rows(pts.loc[far, 'id'])}; their off-network leg is timed at {speed:g} km/h.",
            stacklevel=2,
        )
    return pd.DataFrame(
        {
            "id": pts["id"],
            "node_id": network.node_ids[index] if len(index) else [],
            "node_index": index,
            "snap_m": dist,
            "connector_minutes": dist / 1000.0 / speed * 60.0,
            "far": far,
        }
    )


def _positive(value: float | None, default: float, *, field: str) -> float:
    number = default if value is None else float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValidationError(f"{value!r} must be a positive number.", field=field, fix="give > 0.")
    return number


# --- travel times --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TravelTimes:
    """A travel-time table and how it was made.

    Attributes
    ----------
    table
        The OD table: columns exactly ``origin_id, dest_id, minutes, method``; ``minutes`` is
        ``inf`` for pairs with no path (or beyond the cutoff). With ``min_only`` one row per origin
        (its nearest destination; ``dest_id`` missing when none is reachable).
    unreachable
        ``origin_id, dest_id, reason`` for every ``inf`` row of ``table``.
    snapping
        ``role`` (``origin``/``destination``), ``id``, ``node_id``, ``snap_m``,
        ``connector_minutes``, ``far``; empty for ``crowfly``.
    method
        ``"osm"`` or ``"crowfly"``.
    parameters
        The effective parameters (speeds, circuity, cutoff...), for reports and cache keys.
    """

    table: pd.DataFrame
    unreachable: pd.DataFrame
    snapping: pd.DataFrame
    method: str
    parameters: Mapping[str, Any]


def travel_times(
    network: RoadNetwork,
    origins: pd.DataFrame,
    destinations: pd.DataFrame,
    *,
    cutoff: float | None = None,
    min_only: bool = False,
    connector_speed_kmh: float | None = None,
) -> TravelTimes:
    """Road travel times from every origin to every destination (or to the nearest one).

    Parameters
    ----------
    network
        From :func:`build_network` (the CSR is reused, never rebuilt).
    origins, destinations
        Points: ``id`` (unique), ``lon``, ``lat`` (EPSG:4326); extra columns ignored.
    cutoff
        Minutes. Searches stop there and pairs at or beyond it get ``inf`` (bands are half-open:
        "within T minutes" means ``t < T``).
    min_only
        One row per origin: the time to its nearest destination. Computed with a single
        multi-source search on the reversed graph (each destination enters through a virtual node
        carrying its connector leg), so the cost does not grow with the number of origins.
    connector_speed_kmh
        Speed of the off-network legs (default: the ``connector_speed_kmh`` setting).

    Returns
    -------
    TravelTimes
        ``table`` (``origin_id, dest_id, minutes, method="osm"``), ``unreachable`` with reasons,
        ``snapping`` distances.

    References
    ----------
    Dijkstra, E. W. (1959). A note on two problems in connexion with graphs. Numerische Mathematik
    1, 269-271. SciPy ``scipy.sparse.csgraph.dijkstra`` (multi-source, ``limit``, ``min_only``).
    """
    limit = _cutoff(cutoff)
    speed = _positive(
        connector_speed_kmh, get_settings().connector_speed_kmh, field="connector_speed_kmh"
    )
    orig = snap_points(network, origins, connector_speed_kmh=speed)
    dest = snap_points(network, destinations, connector_speed_kmh=speed)
    snapping = pd.concat(
        [orig.assign(role="origin"), dest.assign(role="destination")], ignore_index=True
    )[["role", "id", "node_id", "snap_m", "connector_minutes", "far"]]
    parameters = {
        "connector_speed_kmh": speed,
        "cutoff": cutoff,
        "min_only": min_only,
        "network": network.digest,
    }
    o_idx = orig["node_index"].to_numpy()
    d_idx = dest["node_index"].to_numpy()
    o_conn = orig["connector_minutes"].to_numpy()
    d_conn = dest["connector_minutes"].to_numpy()
    o_ids = orig["id"].to_numpy()
    d_ids = dest["id"].to_numpy()
    if min_only:
        minutes, nearest = _nearest(network, o_idx, o_conn, d_idx, d_conn, limit=limit)
        if limit is not None:
            nearest = np.where(minutes < limit, nearest, -1)
            minutes = np.where(minutes < limit, minutes, np.inf)
        table = _od_frame(o_ids, _pick(d_ids, nearest), minutes, "osm")
        reason = _reason(cutoff, nearest=True, no_destination=len(d_ids) == 0)
        unreachable = _unreachable(table, reason)
        return TravelTimes(table, unreachable, snapping, "osm", parameters)
    net = _matrix(network, o_idx, d_idx, limit=limit)
    total = o_conn[:, None] + net + d_conn[None, :]
    if limit is not None:
        total = np.where(total < limit, total, np.inf)
    table = _pairs_frame(o_ids, d_ids, total, "osm")
    unreachable = _unreachable(table, _reason(cutoff, nearest=False, no_destination=False))
    return TravelTimes(table, unreachable, snapping, "osm", parameters)


def _cutoff(cutoff: float | None) -> float | None:
    if cutoff is None:
        return None
    number = float(cutoff)
    if math.isnan(number) or number <= 0:
        raise ValidationError(
            f"cutoff {cutoff!r} is not positive.", field="cutoff", fix="give > 0."
        )
    return None if math.isinf(number) else number


def _reason(cutoff: float | None, *, nearest: bool, no_destination: bool) -> str:
    if no_destination:
        return "no destination given"
    target = "any destination" if nearest else "the destination"
    if cutoff is not None:
        return f"{target} not reached within the cutoff of {cutoff:g} min"
    return f"no road path to {target} (separate parts of the road graph)"


def _pairs_frame(
    o_ids: np.ndarray, d_ids: np.ndarray, minutes: np.ndarray, method: str
) -> pd.DataFrame:
    """Long table of every origin x destination pair (origin-major) from a minutes matrix."""
    n_o, n_d = len(o_ids), len(d_ids)
    origins = pd.array(np.asarray(o_ids, dtype=object), dtype="str")
    dests = pd.array(np.asarray(d_ids, dtype=object), dtype="str")
    return pd.DataFrame(
        {
            "origin_id": origins.take(np.repeat(np.arange(n_o), n_d)),
            "dest_id": dests.take(np.tile(np.arange(n_d), n_o)),
            "minutes": np.asarray(minutes, dtype=float).ravel(),
            "method": method,
        }
    )


def _od_frame(
    origin: npt.ArrayLike, dest: npt.ArrayLike, minutes: np.ndarray, method: str
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "origin_id": pd.array(np.asarray(origin, dtype=object), dtype="str"),
            "dest_id": pd.array(np.asarray(dest, dtype=object), dtype="str"),
            "minutes": np.asarray(minutes, dtype=float),
            "method": method,
        }
    )


def _pick(ids: np.ndarray, position: np.ndarray) -> np.ndarray:
    """``ids[position]``, ``None`` where ``position`` is -1."""
    out = np.full(len(position), None, dtype=object)
    found = position >= 0
    out[found] = ids[position[found]]
    return out


def _unreachable(table: pd.DataFrame, reason: str) -> pd.DataFrame:
    if np.isfinite(table["minutes"].to_numpy()).all():
        return pd.DataFrame(
            {
                "origin_id": pd.array([], dtype="str"),
                "dest_id": pd.array([], dtype="str"),
                "reason": pd.array([], dtype="str"),
            }
        )
    rows = table.loc[~np.isfinite(table["minutes"].to_numpy()), ["origin_id", "dest_id"]]
    return rows.assign(reason=reason).reset_index(drop=True)


def _matrix(
    network: RoadNetwork, o_idx: np.ndarray, d_idx: np.ndarray, *, limit: float | None
) -> np.ndarray:
    """Network minutes between node indices (len(o_idx) x len(d_idx)), batched Dijkstra."""
    from scipy.sparse.csgraph import dijkstra

    if len(o_idx) == 0 or len(d_idx) == 0:
        return np.empty((len(o_idx), len(d_idx)))
    uo, o_inv = np.unique(o_idx, return_inverse=True)
    ud, d_inv = np.unique(d_idx, return_inverse=True)
    forward = len(uo) <= len(ud)
    graph = network.csr if forward else network.csr_reversed
    sources, targets = (uo, ud) if forward else (ud, uo)
    out = np.empty((len(sources), len(targets)))
    batch = max(1, _MAX_MATRIX_CELLS // max(network.n_nodes, 1))
    for start in range(0, len(sources), batch):
        dist = dijkstra(
            graph,
            directed=True,
            indices=sources[start : start + batch],
            limit=np.inf if limit is None else limit,
        )
        out[start : start + batch] = dist[:, targets]
    if not forward:
        out = out.T
    return out[o_inv][:, d_inv]


def _nearest(
    network: RoadNetwork,
    o_idx: np.ndarray,
    o_conn: np.ndarray,
    d_idx: np.ndarray,
    d_conn: np.ndarray,
    *,
    limit: float | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Minutes to the nearest destination and its position, for every origin (-1 if none)."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import dijkstra

    if len(d_idx) == 0 or len(o_idx) == 0:
        return np.full(len(o_idx), np.inf), np.full(len(o_idx), -1, dtype=np.int64)
    n, k = network.n_nodes, len(d_idx)
    rev = network.csr_reversed.tocoo()
    virtual = np.arange(n, n + k)
    rows = np.concatenate([rev.row, virtual])
    cols = np.concatenate([rev.col, d_idx])
    data = np.concatenate([rev.data, d_conn])
    graph = sp.csr_array((data, (rows, cols)), shape=(n + k, n + k))
    dist, _, sources = dijkstra(
        graph,
        directed=True,
        indices=virtual,
        min_only=True,
        return_predecessors=True,
        limit=np.inf if limit is None else limit,
    )
    minutes = dist[o_idx] + o_conn
    nearest = np.where(np.isfinite(dist[o_idx]), sources[o_idx] - n, -1).astype(np.int64)
    minutes = np.where(nearest >= 0, minutes, np.inf)
    return minutes, nearest


def minutes_to_nearest(
    network: RoadNetwork,
    destinations: pd.DataFrame,
    *,
    cutoff: float | None = None,
    connector_speed_kmh: float | None = None,
) -> pd.DataFrame:
    """Minutes from every network node to its nearest destination (one multi-source search).

    Parameters
    ----------
    network
        From :func:`build_network`.
    destinations
        Points: ``id`` (unique), ``lon``, ``lat`` (EPSG:4326); their off-network legs count.
    cutoff
        Minutes; nodes at or beyond it get ``inf`` (and the search stops there).
    connector_speed_kmh
        Speed of the destinations' off-network legs (default: the setting).

    Returns
    -------
    pandas.DataFrame
        One row per node, in node order: ``node_id``, ``minutes`` (``inf`` when not reached),
        ``dest_id`` (missing when not reached).

    References
    ----------
    Dijkstra, E. W. (1959). A note on two problems in connexion with graphs. Numerische Mathematik
    1, 269-271 (run from all destinations at once on the reversed graph).
    """
    limit = _cutoff(cutoff)
    dest = snap_points(network, destinations, connector_speed_kmh=connector_speed_kmh)
    every = np.arange(network.n_nodes)
    minutes, nearest = _nearest(
        network,
        every,
        np.zeros(network.n_nodes),
        dest["node_index"].to_numpy(),
        dest["connector_minutes"].to_numpy(),
        limit=limit,
    )
    if limit is not None:
        nearest = np.where(minutes < limit, nearest, -1)
        minutes = np.where(minutes < limit, minutes, np.inf)
    return pd.DataFrame(
        {
            "node_id": network.node_ids,
            "minutes": minutes,
            "dest_id": pd.array(_pick(dest["id"].to_numpy(), nearest), dtype="str"),
        }
    )


def crowfly_times(
    origins: pd.DataFrame,
    destinations: pd.DataFrame,
    *,
    circuity: float | None = None,
    speed_kmh: float | None = None,
    cutoff: float | None = None,
    min_only: bool = False,
) -> TravelTimes:
    """Offline estimate: great-circle km * circuity / speed.

    Parameters
    ----------
    origins, destinations
        Points: ``id`` (unique), ``lon``, ``lat`` (EPSG:4326).
    circuity
        Road distance over great-circle distance (default: the ``crowfly_circuity`` setting, 1.3).
    speed_kmh
        Average speed (default: the ``crowfly_speed_kmh`` setting, 60 km/h).
    cutoff
        Minutes; pairs at or beyond it get ``inf``.
    min_only
        One row per origin: its nearest destination.

    Returns
    -------
    TravelTimes
        ``method == "crowfly"`` in the table and on the result; ``snapping`` is empty.

    References
    ----------
    Boscoe, F. P., Henry, K. A., & Zdeb, M. S. (2012). A nationwide comparison of driving distance
    versus straight-line distance to hospitals. The Professional Geographer 64(2), 188-196
    (circuity factors of about 1.2-1.4).
    """
    settings = get_settings()
    factor = _positive(circuity, settings.crowfly_circuity, field="crowfly_circuity")
    speed = _positive(speed_kmh, settings.crowfly_speed_kmh, field="crowfly_speed_kmh")
    limit = _cutoff(cutoff)
    orig = validate_points(origins, role="origins")
    dest = validate_points(destinations, role="destinations")
    km = _haversine_km(
        orig["lon"].to_numpy()[:, None],
        orig["lat"].to_numpy()[:, None],
        dest["lon"].to_numpy()[None, :],
        dest["lat"].to_numpy()[None, :],
    )
    minutes = km * factor / speed * 60.0
    if limit is not None:
        minutes = np.where(minutes < limit, minutes, np.inf)
    parameters = {"circuity": factor, "speed_kmh": speed, "cutoff": cutoff, "min_only": min_only}
    snapping = pd.DataFrame(columns=["role", "id", "node_id", "snap_m", "connector_minutes", "far"])
    o_ids, d_ids = orig["id"].to_numpy(), dest["id"].to_numpy()
    if min_only:
        best = np.full(len(o_ids), -1, dtype=np.int64)
        best_minutes = np.full(len(o_ids), np.inf)
        if len(d_ids):
            best = np.argmin(minutes, axis=1)
            best_minutes = minutes[np.arange(len(o_ids)), best]
            best = np.where(np.isfinite(best_minutes), best, -1)
        table = _od_frame(o_ids, _pick(d_ids, best), best_minutes, "crowfly")
        reason = _reason(cutoff, nearest=True, no_destination=len(d_ids) == 0)
    else:
        table = _pairs_frame(o_ids, d_ids, minutes, "crowfly")
        reason = _reason(cutoff, nearest=False, no_destination=False)
    return TravelTimes(table, _unreachable(table, reason), snapping, "crowfly", parameters)


def _haversine_km(
    lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike
) -> np.ndarray:
    x1, y1, x2, y2 = (np.radians(np.asarray(a, dtype=float)) for a in (lon1, lat1, lon2, lat2))
    h = np.sin((y2 - y1) / 2.0) ** 2 + np.cos(y1) * np.cos(y2) * np.sin((x2 - x1) / 2.0) ** 2
    return 2.0 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


# --- cache key and summary -----------------------------------------------------------------------


def traveltimes_key(
    origins: pd.DataFrame,
    destinations: pd.DataFrame,
    *,
    network: RoadNetwork | None = None,
    cutoff: float | None = None,
    min_only: bool = False,
    connector_speed_kmh: float | None = None,
    circuity: float | None = None,
    speed_kmh: float | None = None,
) -> str:
    """Content hash of every input of a travel-time table (for ``Store.read_traveltimes(key)``).

    Parameters
    ----------
    origins, destinations
        Points (``id``, ``lon``, ``lat``); their order does not change the key.
    network
        The road network (its :attr:`RoadNetwork.digest` covers nodes, coordinates and edge
        minutes, hence speeds and winter factors); ``None`` for the ``crowfly`` method.
    cutoff, min_only, connector_speed_kmh
        As in :func:`travel_times` (settings defaults resolved, so a changed setting changes the
        key).
    circuity, speed_kmh
        As in :func:`crowfly_times` (used when ``network`` is ``None``).

    Returns
    -------
    str
        64 hex characters (sha256), also covering the package and algorithm versions.

    References
    ----------
    Fink, C., et al. (2022). r5py: Rapid Realistic Routing with R5 in Python (content-hash caching
    of inputs). https://doi.org/10.5281/zenodo.7060437
    """
    from accessmap import __version__

    settings = get_settings()
    payload: dict[str, Any] = {
        "version": __version__,
        "algorithm": _ALGORITHM_VERSION,
        "cutoff": None if cutoff is None else float(cutoff),
        "min_only": bool(min_only),
        "origins": _points_fingerprint(origins, role="origins"),
        "destinations": _points_fingerprint(destinations, role="destinations"),
    }
    if network is None:
        payload["method"] = "crowfly"
        payload["circuity"] = float(circuity or settings.crowfly_circuity)
        payload["speed_kmh"] = float(speed_kmh or settings.crowfly_speed_kmh)
    else:
        payload["method"] = "osm"
        payload["network"] = network.digest
        payload["connector_speed_kmh"] = float(connector_speed_kmh or settings.connector_speed_kmh)
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _points_fingerprint(points: pd.DataFrame, *, role: str) -> list[list[Any]]:
    pts = validate_points(points, role=role).sort_values("id")
    return [
        [i, round(float(lon), 7), round(float(lat), 7)]
        for i, lon, lat in zip(pts["id"], pts["lon"], pts["lat"], strict=True)
    ]


@dataclass(frozen=True, slots=True)
class OdSummary:
    """Headline figures of a travel-time table.

    Attributes
    ----------
    pairs
        Rows of the table.
    reachable, unreachable
        Rows with finite / infinite minutes.
    median_minutes, max_minutes
        Over reachable rows (``nan`` when none).
    methods
        Methods present in the table.
    """

    pairs: int
    reachable: int
    unreachable: int
    median_minutes: float
    max_minutes: float
    methods: tuple[str, ...]


def summarize_od(table: pd.DataFrame) -> OdSummary:
    """Summarise a travel-time table (pairs, median/max minutes, unreachable pairs).

    Parameters
    ----------
    table
        ``origin_id, dest_id, minutes, method``.

    Returns
    -------
    OdSummary
        Counts and figures.

    References
    ----------
    DREES (2023). L'accessibilité potentielle localisée (APL): méthodologie (travel-time tables
    between communes).
    """
    _require_columns(table, OD_COLUMNS, what="travel-time table")
    minutes = table["minutes"].to_numpy(dtype=float)
    finite = np.isfinite(minutes)
    return OdSummary(
        pairs=len(table),
        reachable=int(finite.sum()),
        unreachable=int((~finite).sum()),
        median_minutes=float(np.median(minutes[finite])) if finite.any() else math.nan,
        max_minutes=float(minutes[finite].max()) if finite.any() else math.nan,
        methods=tuple(sorted(table["method"].astype(str).unique())),
    )
