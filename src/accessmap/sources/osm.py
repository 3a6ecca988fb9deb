"""Road graphs from OpenStreetMap: local ``.osm``/``.osm.xml``/``.osm.pbf``/GraphML files, Overpass.

This is the only module that reads OpenStreetMap data from disk or the network. Every reader returns
an osmnx-style :class:`networkx.MultiDiGraph` restricted to **drivable** ways: nodes carry ``x``
(longitude) and ``y`` (latitude) in EPSG:4326, edges carry ``length`` (metres), ``highway``, and
``maxspeed``/``oneway`` when tagged. All components are kept:
:func:`accessmap.network.build_network` keeps the largest strongly connected one and reports
what it dropped.

- ``.osm`` / ``.osm.xml`` / ``.xml``: :func:`osmnx.graph_from_xml`, then the non-drivable ways
  (footways, paths, cycleways, tracks, private driveways...) are removed, as osmnx's ``drive``
  network type does for Overpass queries, and the graph is simplified.
- ``.osm.pbf`` / ``.pbf``: pyrosm's ``driving`` network, converted to an osmnx-compatible graph.
- ``.graphml``: :func:`osmnx.load_graphml` (a graph saved with :func:`save_graph`).
- Overpass (online only): :func:`osmnx.graph_from_polygon` with ``network_type="drive"``; osmnx's
  own HTTP cache is pointed into ``<cache_dir>/osmnx`` so a second run needs no network.

A file that is missing raises :class:`~accessmap.errors.MissingDataError`; a file that is empty,
corrupt or holds no drivable road raises :class:`~accessmap.errors.GraphError`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accessmap.errors import GraphError, MissingDataError, OfflineError, ValidationError
from accessmap.settings import get_settings

if TYPE_CHECKING:
    import networkx as nx
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "NON_DRIVABLE_HIGHWAYS",
    "load_road_graph",
    "read_osm_graph",
    "road_graph_from_overpass",
    "save_graph",
]

#: ``highway`` values that are not roads for cars (the exclusions of osmnx's ``drive`` filter).
NON_DRIVABLE_HIGHWAYS: frozenset[str] = frozenset(
    {
        "abandoned",
        "bridleway",
        "bus_guideway",
        "bus_stop",
        "busway",
        "construction",
        "corridor",
        "cycleway",
        "elevator",
        "escalator",
        "footway",
        "no",
        "path",
        "pedestrian",
        "planned",
        "platform",
        "proposed",
        "raceway",
        "razed",
        "steps",
        "track",
    }
)
#: ``service`` values osmnx's ``drive`` filter excludes.
_NON_DRIVABLE_SERVICE: frozenset[str] = frozenset(
    {"alley", "driveway", "emergency_access", "parking", "parking_aisle", "private"}
)
#: ``access`` values that close a way to the public.
_CLOSED_ACCESS: frozenset[str] = frozenset({"no", "private"})

_XML_SUFFIXES = (".osm", ".xml")
_PBF_SUFFIXES = (".pbf",)
_GRAPHML_SUFFIXES = (".graphml",)


def read_osm_graph(path: str | Path, *, simplify: bool = True) -> nx.MultiDiGraph:
    """Read the drivable road graph of a local OpenStreetMap file.

    Parameters
    ----------
    path
        An ``.osm``/``.osm.xml`` file (OSM XML), an ``.osm.pbf`` file, or a ``.graphml`` file
        saved by :func:`save_graph` or osmnx.
    simplify
        Merge chains of degree-2 nodes into single edges (osmnx topology simplification). Ignored
        for GraphML, which is read as saved.

    Returns
    -------
    networkx.MultiDiGraph
        Directed graph, osmnx conventions: nodes with ``x``/``y`` (EPSG:4326), edges with
        ``length`` (m), ``highway``, ``maxspeed`` when tagged. One-way ways have one edge.

    Raises
    ------
    MissingDataError
        The file does not exist.
    GraphError
        The file is empty, corrupt, of an unknown format, or holds no drivable road.

    References
    ----------
    Boeing, G. (2025). Modeling and analyzing urban networks and amenities with OSMnx.
    Geographical Analysis. https://doi.org/10.1111/gean.70009
    """
    file = Path(path)
    if not file.is_file():
        raise MissingDataError(
            f"no OpenStreetMap file at {file}.",
            field="osm",
            fix="give the path of an existing file.",
        )
    if file.stat().st_size == 0:
        raise GraphError(f"{file} is empty.", field="osm", fix="download the OSM extract again.")
    name = file.name.lower()
    if name.endswith(_GRAPHML_SUFFIXES):
        graph = _read_graphml(file)
    elif name.endswith(_PBF_SUFFIXES):
        graph = _read_pbf(file, simplify=simplify)
    elif name.endswith(_XML_SUFFIXES):
        graph = _read_xml(file, simplify=simplify)
    else:
        raise GraphError(
            f"unknown road-graph format for {file.name}.",
            field="osm",
            fix="give an .osm, .osm.xml, .osm.pbf or .graphml file.",
        )
    if graph.number_of_edges() == 0:
        raise GraphError(
            f"{file} holds no drivable road.",
            field="osm",
            fix="use an extract that covers the territory's road network.",
        )
    graph.graph.setdefault("crs", "EPSG:4326")
    graph.graph["source"] = str(file)
    return graph


def road_graph_from_overpass(polygon: BaseGeometry) -> nx.MultiDiGraph:
    """Download the drivable road graph inside a polygon from Overpass, through osmnx's cache.

    osmnx's HTTP cache is pointed at ``<settings.cache_dir>/osmnx`` for the call (and restored
    after), so the same query is answered from disk the next time, even offline.

    Parameters
    ----------
    polygon
        Study area (territory plus buffer) in EPSG:4326.

    Returns
    -------
    networkx.MultiDiGraph
        As :func:`read_osm_graph`, all connected components kept.

    Raises
    ------
    OfflineError
        Online access is disabled (``settings.online`` is false).
    GraphError
        Overpass returned no drivable road for the polygon.

    References
    ----------
    Boeing, G. (2025). Modeling and analyzing urban networks and amenities with OSMnx.
    Geographical Analysis. https://doi.org/10.1111/gean.70009
    """
    settings = get_settings()
    if not settings.online:
        raise OfflineError(
            "the road graph would have to be downloaded from Overpass, but downloads are off.",
            field="online",
            fix="pass --online, or give a local extract with --osm FILE, or use --crowfly.",
        )
    if polygon.is_empty:
        raise ValidationError(
            "the study-area polygon is empty.", field="polygon", fix="give a non-empty polygon."
        )
    import osmnx as ox
    import requests
    from osmnx._errors import InsufficientResponseError, ResponseStatusCodeError

    with _osmnx_cache(
        settings.cache_dir / "osmnx", timeout=settings.http_timeout, user_agent=settings.user_agent
    ):
        try:
            graph = ox.graph_from_polygon(polygon, network_type="drive", retain_all=True)
        except InsufficientResponseError as exc:
            raise GraphError(
                f"Overpass returned no drivable road for the study area ({exc}).",
                field="polygon",
                fix="check the territory's polygon (EPSG:4326, lon/lat order).",
            ) from exc
        except (requests.RequestException, ResponseStatusCodeError) as exc:
            raise OfflineError(
                f"Overpass could not be reached ({exc}).",
                field="online",
                fix="check the connection, or give a local extract with --osm FILE.",
            ) from exc
    graph.graph["source"] = "overpass"
    return graph


def load_road_graph(
    *, path: str | Path | None = None, polygon: BaseGeometry | None = None
) -> nx.MultiDiGraph:
    """Road graph from a local file when given, else from Overpass (online, cached).

    Parameters
    ----------
    path
        Local ``.osm``/``.osm.xml``/``.osm.pbf``/``.graphml`` file; read first when given.
    polygon
        Study area (EPSG:4326) for the Overpass query when no file is given.

    Returns
    -------
    networkx.MultiDiGraph
        The drivable road graph.

    Raises
    ------
    ValidationError
        Neither a file nor a polygon was given.

    References
    ----------
    Boeing, G. (2025). Modeling and analyzing urban networks and amenities with OSMnx.
    Geographical Analysis. https://doi.org/10.1111/gean.70009
    """
    if path is not None:
        return read_osm_graph(path)
    if polygon is None:
        raise ValidationError(
            "no road-graph source.", field="osm", fix="give a local file or a polygon to download."
        )
    return road_graph_from_overpass(polygon)


def save_graph(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    """Save a road graph as GraphML, atomically (a failed write leaves no file behind).

    Parameters
    ----------
    graph
        An osmnx-style graph (from :func:`read_osm_graph` or :func:`road_graph_from_overpass`).
    path
        Target ``.graphml`` file; parent directories are created.

    Returns
    -------
    pathlib.Path
        The path written.

    References
    ----------
    Boeing, G. (2025). Modeling and analyzing urban networks and amenities with OSMnx.
    Geographical Analysis. https://doi.org/10.1111/gean.70009
    """
    import osmnx as ox

    target = Path(path)
    if not target.name.lower().endswith(_GRAPHML_SUFFIXES):
        raise ValidationError(
            f"{target.name} is not a GraphML file name.", field="path", fix="end it in .graphml."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".graphml")
    os.close(fd)
    try:
        ox.save_graphml(graph, Path(tmp))
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


# --- readers ------------------------------------------------------------------------------------


def _read_xml(file: Path, *, simplify: bool) -> nx.MultiDiGraph:
    import xml.etree.ElementTree as ET

    import osmnx as ox
    from osmnx._errors import InsufficientResponseError

    try:
        graph = ox.graph_from_xml(file, simplify=False, retain_all=True)
    except ET.ParseError as exc:
        raise GraphError(
            f"{file} is not valid OSM XML ({exc}).",
            field="osm",
            fix="download the OSM extract again (an .osm file is XML starting with <osm>).",
        ) from exc
    except (InsufficientResponseError, ValueError, KeyError) as exc:
        raise GraphError(
            f"{file} holds no usable OSM data ({exc}).",
            field="osm",
            fix="use an extract that covers the territory's road network.",
        ) from exc
    graph = _keep_drivable(graph)
    if simplify and graph.number_of_edges() > 0:
        graph = ox.simplify_graph(graph)
    return graph


def _keep_drivable(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Drop the edges osmnx's ``drive`` filter would not have downloaded, then isolated nodes."""
    drop = [
        (u, v, k) for u, v, k, data in graph.edges(keys=True, data=True) if not _is_drivable(data)
    ]
    graph.remove_edges_from(drop)
    graph.remove_nodes_from([n for n, degree in graph.degree() if degree == 0])
    return graph


def _is_drivable(data: dict[str, Any]) -> bool:
    highway = data.get("highway")
    if highway is None or data.get("area") == "yes":
        return False
    values = highway if isinstance(highway, list) else [highway]
    if all(str(value) in NON_DRIVABLE_HIGHWAYS for value in values):
        return False
    if str(data.get("service", "")) in _NON_DRIVABLE_SERVICE:
        return False
    return str(data.get("access", "")) not in _CLOSED_ACCESS


def _read_pbf(file: Path, *, simplify: bool) -> nx.MultiDiGraph:
    from pyrosm import OSM
    from pyrosm.exceptions import PBFException

    try:
        osm = OSM(str(file))
        network = osm.get_network(network_type="driving", nodes=True)
    except PBFException as exc:
        raise GraphError(
            f"{file} is not a valid OSM PBF file ({exc}).",
            field="osm",
            fix="download the .osm.pbf extract again.",
        ) from exc
    if network is None or network[1] is None or len(network[1]) == 0:
        raise GraphError(
            f"{file} holds no drivable road.",
            field="osm",
            fix="use an extract that covers the territory's road network.",
        )
    nodes, edges = network
    graph = osm.to_graph(
        nodes,
        edges,
        graph_type="networkx",
        retain_all=True,
        osmnx_compatible=True,
        simplify=simplify,
    )
    graph.graph["crs"] = "EPSG:4326"
    return graph


def _read_graphml(file: Path) -> nx.MultiDiGraph:
    import xml.etree.ElementTree as ET

    import osmnx as ox

    try:
        return ox.load_graphml(file)
    except (ET.ParseError, ValueError, KeyError, TypeError) as exc:
        raise GraphError(
            f"{file} is not a readable GraphML road graph ({exc}).",
            field="osm",
            fix="save the graph again with accessmap.sources.osm.save_graph or osmnx.save_graphml.",
        ) from exc


@contextlib.contextmanager
def _osmnx_cache(folder: Path, *, timeout: float, user_agent: str) -> Iterator[None]:
    """Point osmnx's HTTP cache into accessmap's cache directory for the duration of a block."""
    import osmnx as ox

    folder.mkdir(parents=True, exist_ok=True)
    names = ("cache_folder", "use_cache", "requests_timeout", "http_user_agent")
    saved = {name: getattr(ox.settings, name) for name in names}
    ox.settings.cache_folder = str(folder)
    ox.settings.use_cache = True
    ox.settings.requests_timeout = timeout
    ox.settings.http_user_agent = user_agent
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(ox.settings, name, value)
