"""The road network: an osmnx-style graph turned once into a query structure (:class:`RoadNetwork`).

:func:`build_network` gives every edge its minutes (speeds from :mod:`accessmap.network.speeds`,
lengths times the simplified-geometry correction :func:`length_factor`), builds a CSR matrix of edge
minutes **once** (parallel edges keep the fastest), the node ids and coordinates, a KD-tree of nodes
in metres, and a :class:`ComponentReport` of what was dropped to keep the largest strongly connected
component. :func:`network_from_frames` does the same from node and edge tables.

References
----------
Boeing, G. (2025). Modeling and analyzing urban networks and amenities with OSMnx. Geographical
Analysis. https://doi.org/10.1111/gean.70009
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from accessmap.contracts import SIMPLIFIED_GEOMETRY, require_columns, validate_points
from accessmap.errors import GraphError, ValidationError
from accessmap.messages import Message
from accessmap.network.geodesy import haversine_km, project
from accessmap.network.speeds import edge_speeds
from accessmap.settings import get_settings

if TYPE_CHECKING:
    import networkx as nx
    from scipy.sparse import csr_array

__all__ = [
    "SIMPLIFIED_GEOMETRY",
    "ComponentReport",
    "RoadNetwork",
    "add_travel_times",
    "build_network",
    "length_factor",
    "network_from_frames",
    "network_from_osm_edges",
    "resolve_length_factor",
]


def _graph_frames(graph: nx.MultiDiGraph[Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes (``node_id, lon, lat``) and edges (``u, v, length_m, highway, maxspeed, geometry``)."""
    nodes = list(graph.nodes(data=True))
    if not nodes:
        raise GraphError("network.graph_no_node", field="graph")
    try:
        node_frame = pd.DataFrame(
            {
                "node_id": [n for n, _ in nodes],
                "lon": np.array([d["x"] for _, d in nodes], dtype=float),
                "lat": np.array([d["y"] for _, d in nodes], dtype=float),
            }
        )
    except KeyError:
        raise GraphError("network.graph_no_coordinates", field="graph") from None
    columns: dict[str, list[Any]] = {key: [] for key in _EDGE_ATTRIBUTES.values()}
    u, v = [], []
    for a, b, data in graph.edges(data=True):
        u.append(a)
        v.append(b)
        for attribute, column in _EDGE_ATTRIBUTES.items():
            columns[column].append(data.get(attribute))
    edge_frame = pd.DataFrame(
        {
            "u": u,
            "v": v,
            **{
                column: _edge_values(values, numeric=column in _NUMERIC_EDGE_COLUMNS)
                for column, values in columns.items()
            },
        }
    )
    return node_frame, edge_frame


#: Edge attributes read from a networkx graph, and their column in the edge table.
_EDGE_ATTRIBUTES = {
    "length": "length_m",
    "highway": "highway",
    "maxspeed": "maxspeed",
    "geometry": "geometry",
    "travel_time": "travel_time_s",
    "speed_kph": "speed_kph",
}
_NUMERIC_EDGE_COLUMNS = frozenset({"length_m", "travel_time_s", "speed_kph"})


def _edge_values(values: list[Any], *, numeric: bool) -> pd.Series:
    """One edge column: floats (``NaN`` where missing or unreadable) or raw objects."""
    if not numeric:
        return pd.Series(values, dtype=object)
    return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype(float)


def add_travel_times(
    graph: nx.MultiDiGraph[Any],
    *,
    speeds: Mapping[str, float] | None = None,
    winter: bool | None = None,
    winter_factors: Mapping[str, float] | None = None,
) -> nx.MultiDiGraph[Any]:
    """Copy of an osmnx-style graph with ``speed_kmh`` and ``minutes`` on every edge.

    Parameters
    ----------
    graph
        Directed graph with ``length`` (m) and ``highway`` (and ``maxspeed``) on edges.
    speeds, winter, winter_factors
        As in :func:`edge_speeds`; an edge's own ``travel_time`` or ``speed_kph`` wins, as in
        :func:`build_network`.

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
    edges = edges.drop(columns=["highway", "maxspeed"]).join(speed)
    edges["minutes"] = edges["length_m"] / 1000.0 / edges["speed_kmh"] * 60.0
    edges = _given_times(edges)
    minutes = edges["minutes"].to_numpy()
    out = graph.copy()
    for (u, v, k), kmh, mins in zip(out.edges(keys=True), edges["speed_kmh"], minutes, strict=True):
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
    edges.loc[missing, "length_m"] = haversine_km(lon[iu], lat[iu], lon[iv], lat[iv]) * 1000.0
    return edges


def length_factor(graph: nx.MultiDiGraph[Any], factor: float | None = None) -> float:
    """Return the multiplier applied to a graph's edge lengths.

    Parameters
    ----------
    graph
        osmnx-style graph; ``graph.graph["simplified_geometry"]`` is ``True`` for a waypoint network
        (set by :func:`accessmap.sources.osm.read_osm_graph` for the mirror's numbered roads).
    factor
        Explicit factor (wins). Default: the ``road_length_factor`` setting for a graph with
        simplified geometry, ``1.0`` for a full OSM extract (its lengths follow the road).

    Returns
    -------
    float
        ``>= 1`` in practice; must be finite and > 0.

    References
    ----------
    accessmap ``docs/network.md``, "Simplified geometry": how the default factor was measured.
    """
    return resolve_length_factor(graph.graph.get(SIMPLIFIED_GEOMETRY, False), factor)


def resolve_length_factor(simplified: object, factor: float | None = None) -> float:
    """Return the length multiplier of a network whose geometry is simplified or not.

    Parameters
    ----------
    simplified
        Whether the geometry is simplified to straight segments between waypoints (a bool, or
        GraphML's text ``"True"``/``"False"``).
    factor
        Explicit factor (wins). Default: the ``road_length_factor`` setting when simplified,
        else ``1.0``.

    Returns
    -------
    float
        Finite and > 0.

    References
    ----------
    accessmap ``docs/network.md``, "Simplified geometry".
    """
    if factor is None:
        # GraphML stores graph attributes as text: "False" must stay false
        flag = (
            simplified.strip().lower() in {"true", "1"}
            if isinstance(simplified, str)
            else bool(simplified)
        )
        factor = get_settings().road_length_factor if flag else 1.0
    number = float(factor)
    if not math.isfinite(number) or number <= 0:
        raise ValidationError("network.bad_length_factor", field="road_length_factor", value=number)
    return number


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

    @property
    def message(self) -> Message:
        """What was kept and dropped, as a message of the catalogue (``str()``: in French)."""
        return Message(
            "network.component_report",
            nodes_kept=self.nodes_kept,
            nodes_in=self.nodes_in,
            edges_kept=self.edges_kept,
            edges_in=self.edges_in,
            components=self.components,
            nodes_dropped=self.nodes_dropped,
            edges_dropped=self.edges_dropped,
        )

    def __str__(self) -> str:
        return str(self.message)


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
    dropped_xy
        ``(k, 2)`` metric coordinates of the dropped nodes (road islands), so that a point whose
        nearest road is a dropped island is reported (:func:`~accessmap.network.snap_points`).
    source
        Where the graph came from (a file path, ``"overpass"``, or ``""``), for messages and
        reports.
    length_factor
        Multiplier applied to the edge lengths (simplified geometry), ``1.0`` when none.
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
    dropped_xy: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))
    source: str = ""
    length_factor: float = 1.0

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.node_ids)

    @property
    def n_edges(self) -> int:
        """Number of edges (parallel edges counted once)."""
        return int(self.csr.nnz)

    @property
    def notes(self) -> tuple[Message, ...]:
        """What the reader should know of the edge times: length factor, the graph's own times."""
        notes: list[Message] = []
        if self.length_factor != 1.0:
            notes.append(Message("network.length_factor_applied", factor=self.length_factor))
        given = self.edges["speed_source"].value_counts()
        if given.get("travel_time", 0) or given.get("speed_kph", 0):
            notes.append(
                Message(
                    "network.graph_times_used",
                    travel_time=int(given.get("travel_time", 0)),
                    speed_kph=int(given.get("speed_kph", 0)),
                    edges=len(self.edges),
                )
            )
        return tuple(notes)


def build_network(
    graph: nx.MultiDiGraph[Any],
    *,
    speeds: Mapping[str, float] | None = None,
    winter: bool | None = None,
    winter_factors: Mapping[str, float] | None = None,
    keep_largest: bool = True,
    metric_crs: str = "EPSG:2154",
    road_length_factor: float | None = None,
) -> RoadNetwork:
    """Build the query structure of a road graph: edge minutes, CSR matrix, KD-tree.

    Parameters
    ----------
    graph
        Directed osmnx-style graph (:mod:`accessmap.sources.osm`, or one of the user's own):
        nodes with ``x``/``y`` (EPSG:4326), edges with ``length`` (m, recomputed great-circle
        when missing), ``highway``, optionally ``maxspeed``, ``geometry``, ``travel_time`` (s) and
        ``speed_kph`` (osmnx's ``add_edge_travel_times`` / ``add_edge_speeds``). An edge's minutes
        follow one precedence: its ``travel_time`` as given, else its ``speed_kph`` on its length,
        else accessmap's speeds (``maxspeed``, then the class table, winter factors included).
        The length factor applies only to a graph marked ``graph.graph["simplified_geometry"]``;
        :attr:`RoadNetwork.notes` says when it was applied and when the graph's own times were
        used.
    speeds, winter, winter_factors
        Edge speeds, as in :func:`~accessmap.network.edge_speeds`.
    keep_largest
        Keep only the largest strongly connected component (default), so every kept node can reach
        every other; what is dropped is in :attr:`RoadNetwork.report`. With ``False`` every node is
        kept and unreachable pairs get ``inf``.
    metric_crs
        Projected CRS for snapping distances (Lambert-93 for France; a UTM zone elsewhere).
    road_length_factor
        Multiplier on edge lengths; default :func:`length_factor` (the ``road_length_factor``
        setting for a simplified-geometry graph, else 1).

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
    return network_from_osm_edges(
        nodes,
        edges,
        speeds=speeds,
        winter=winter,
        winter_factors=winter_factors,
        keep_largest=keep_largest,
        metric_crs=metric_crs,
        source=str(graph.graph.get("source", "")),
        road_length_factor=length_factor(graph, road_length_factor),
    )


def network_from_osm_edges(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    speeds: Mapping[str, float] | None = None,
    winter: bool | None = None,
    winter_factors: Mapping[str, float] | None = None,
    keep_largest: bool = True,
    metric_crs: str = "EPSG:2154",
    source: str = "",
    road_length_factor: float = 1.0,
) -> RoadNetwork:
    """Build a :class:`RoadNetwork` from OSM-tagged edges: lengths and tags to minutes.

    Parameters
    ----------
    nodes
        ``node_id``, ``lon``, ``lat`` (EPSG:4326).
    edges
        ``u``, ``v`` (node ids), ``length_m`` (great-circle where missing), ``highway``,
        ``maxspeed`` (raw OSM values, lists for merged edges), ``geometry``.
    speeds, winter, winter_factors
        Edge speeds, as in :func:`~accessmap.network.edge_speeds`.
    keep_largest, metric_crs, source
        As in :func:`network_from_frames`.
    road_length_factor
        Multiplier applied to the lengths (simplified geometry).

    Returns
    -------
    RoadNetwork
        The query structure (what :func:`build_network` returns for the same graph).

    References
    ----------
    Boeing, G. (2025). Modeling and analyzing urban networks and amenities with OSMnx.
    Geographical Analysis. https://doi.org/10.1111/gean.70009
    """
    edges = _complete_lengths(nodes, edges)
    edges["length_m"] = edges["length_m"] * road_length_factor
    speed = edge_speeds(edges, speeds=speeds, winter=winter, winter_factors=winter_factors)
    edges = edges.drop(columns=["highway", "maxspeed"]).join(speed)
    edges["minutes"] = edges["length_m"] / 1000.0 / edges["speed_kmh"] * 60.0
    edges = _given_times(edges)
    return network_from_frames(
        nodes,
        edges,
        keep_largest=keep_largest,
        metric_crs=metric_crs,
        source=source,
        road_length_factor=road_length_factor,
    )


def _given_times(edges: pd.DataFrame) -> pd.DataFrame:
    """Edge minutes from the graph's own ``travel_time`` (s), else its ``speed_kph``.

    The precedence, edge by edge: osmnx's ``travel_time`` (seconds, used as given), then its
    ``speed_kph`` (on the edge length, length factor included), then accessmap's speeds (the
    ``maxspeed`` tag, else the class speed). Neither column is touched by the winter factors.
    """
    speed_kph = edges.pop("speed_kph") if "speed_kph" in edges else None
    seconds = edges.pop("travel_time_s") if "travel_time_s" in edges else None
    if speed_kph is not None:
        given = (speed_kph > 0).to_numpy() & np.isfinite(speed_kph.to_numpy())
        if given.any():
            edges.loc[given, "speed_kmh"] = speed_kph[given]
            edges.loc[given, "speed_source"] = "speed_kph"
            edges.loc[given, "minutes"] = (
                edges.loc[given, "length_m"] / 1000.0 / speed_kph[given] * 60
            )
    if seconds is not None:
        given = (seconds >= 0).to_numpy() & np.isfinite(seconds.to_numpy())
        if given.any():
            minutes = seconds[given] / 60.0
            edges.loc[given, "minutes"] = minutes
            edges.loc[given, "speed_source"] = "travel_time"
            with np.errstate(divide="ignore", invalid="ignore"):
                edges.loc[given, "speed_kmh"] = edges.loc[given, "length_m"] / 1000.0 / minutes * 60
    return edges


def network_from_frames(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    keep_largest: bool = True,
    metric_crs: str = "EPSG:2154",
    source: str = "",
    road_length_factor: float = 1.0,
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
    source
        Where the network came from (for messages and reports).
    road_length_factor
        The factor already applied to the lengths (recorded, not applied).

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
    from scipy.spatial import cKDTree

    # Nodes with missing or impossible coordinates are refused, named (not a bare ValueError).
    validate_points(nodes.rename(columns={"node_id": "id"})[["id", "lon", "lat"]], role="nodes")
    edges = _checked_edges(nodes, edges)
    n = len(nodes)
    matrix = _csr(edges, n)
    keep, labels, components = _largest_component(matrix, keep_largest=keep_largest)
    node_ids = nodes["node_id"].to_numpy()
    edges_in = len(edges)
    x_all, y_all = project(
        nodes["lon"].to_numpy(dtype=float), nodes["lat"].to_numpy(dtype=float), metric_crs
    )
    if not keep.all():
        new_index = np.cumsum(keep) - 1
        inside = keep[edges["u"].to_numpy()] & keep[edges["v"].to_numpy()]
        edges = edges.loc[inside].reset_index(drop=True)
        edges["u"] = new_index[edges["u"].to_numpy()]
        edges["v"] = new_index[edges["v"].to_numpy()]
        labels = labels[keep]
        matrix = _csr(edges, int(keep.sum()))
    if len(edges) == 0:
        raise GraphError("network.graph_no_edge", field="graph")
    kept = nodes.loc[keep].reset_index(drop=True)
    lon, lat = kept["lon"].to_numpy(dtype=float), kept["lat"].to_numpy(dtype=float)
    x, y = x_all[keep], y_all[keep]
    edges = _edge_table(edges)
    kept_ids = kept["node_id"].to_numpy()
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
        report=ComponentReport(
            nodes_in=n,
            edges_in=edges_in,
            nodes_kept=len(kept),
            edges_kept=len(edges),
            components=components,
            dropped_node_ids=tuple(node_ids[~keep].tolist()),
        ),
        metric_crs=metric_crs,
        digest=network_digest(kept_ids, lon, lat, edges, metric_crs),
        tree=cKDTree(np.column_stack([x, y])),
        dropped_xy=np.column_stack([x_all[~keep], y_all[~keep]]),
        source=source,
        length_factor=road_length_factor,
    )


def _checked_edges(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Validate node and edge tables; edges with ``u``/``v`` as row indices, self-loops dropped."""
    require_columns(nodes, ("node_id", "lon", "lat"), table="nodes")
    require_columns(edges, ("u", "v", "minutes"), table="edges")
    if len(nodes) == 0 or len(edges) == 0:
        raise GraphError("network.graph_no_edge", field="graph")
    if nodes["node_id"].duplicated().any():
        dup = nodes.loc[nodes["node_id"].duplicated(), "node_id"]
        raise GraphError("network.duplicate_nodes", field="node_id", nodes=dup.tolist())
    index = pd.Index(nodes["node_id"])
    iu = index.get_indexer(edges["u"])
    iv = index.get_indexer(edges["v"])
    known = (iu >= 0) & (iv >= 0)
    if not known.all():
        bad = edges.loc[~known, "u"].astype(str) + "->" + edges.loc[~known, "v"].astype(str)
        raise GraphError("network.unknown_edge_nodes", field="edges", edges=bad.tolist())
    minutes = edges["minutes"].to_numpy(dtype=float)
    if not np.isfinite(minutes).all() or (minutes < 0).any():
        raise GraphError("network.bad_edge_minutes", field="minutes")
    edges = edges.assign(u=iu, v=iv)
    return edges.loc[edges["u"] != edges["v"]].reset_index(drop=True)


def _largest_component(
    matrix: csr_array, *, keep_largest: bool
) -> tuple[np.ndarray, np.ndarray, int]:
    """Mask of the nodes kept, strong-component labels, number of components."""
    from scipy.sparse.csgraph import connected_components

    components, labels = connected_components(matrix, directed=True, connection="strong")
    keep = np.ones(matrix.shape[0], dtype=bool)
    if keep_largest and components > 1:
        keep = labels == np.bincount(labels).argmax()
    return keep, np.asarray(labels), int(components)


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
    key = u * n + v  # one sort on the (row, column) pair
    order = np.argsort(key, kind="stable")
    key, w = key[order], w[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    data = np.minimum.reduceat(w, starts) if len(starts) else w
    rows, cols = np.divmod(key[starts], n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return sp.csr_array((data, cols, indptr), shape=(n, n))


def network_digest(
    node_ids: np.ndarray, lon: np.ndarray, lat: np.ndarray, edges: pd.DataFrame, crs: str
) -> str:
    """sha256 of node ids, coordinates and edge minutes (the network part of cache keys).

    Parameters
    ----------
    node_ids, lon, lat
        Kept nodes.
    edges
        ``u``, ``v`` (row indices), ``minutes``.
    crs
        The metric CRS.

    Returns
    -------
    str
        64 hex characters.

    References
    ----------
    Fink, C., et al. (2022). r5py: Rapid Realistic Routing with R5 in Python (content-hash caching
    of inputs). https://doi.org/10.5281/zenodo.7060437
    """
    digest = hashlib.sha256()
    digest.update(crs.encode())
    digest.update(_id_text(node_ids).tobytes())
    digest.update(np.round(lon, 7).tobytes())
    digest.update(np.round(lat, 7).tobytes())
    digest.update(edges["u"].to_numpy(dtype=np.int64).tobytes())
    digest.update(edges["v"].to_numpy(dtype=np.int64).tobytes())
    digest.update(np.round(edges["minutes"].to_numpy(dtype=float), 9).tobytes())
    return digest.hexdigest()


def _id_text(node_ids: np.ndarray) -> np.ndarray:
    """Node ids as a fixed-width unicode array, ``np.asarray([str(i) for i in ids]).astype("U")``.

    Integer ids are converted in one call (the list of Python strings is the slow part), to the
    same width and bytes.
    """
    ids = np.asarray(node_ids)
    if ids.dtype.kind in "iu" and len(ids):
        text = ids.astype(str)
        width = int(np.char.str_len(text).max())
        return text.astype(f"<U{width}")
    return np.asarray([str(i) for i in node_ids]).astype("U")
