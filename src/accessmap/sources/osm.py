"""Road graphs from OpenStreetMap: local ``.osm``/``.osm.xml``/``.osm.pbf``/GraphML files, Overpass.

This is the only module that reads OpenStreetMap data from disk or the network. Every reader returns
an osmnx-style :class:`networkx.MultiDiGraph` restricted to **drivable** ways: nodes carry ``x``
(longitude) and ``y`` (latitude) in EPSG:4326, edges carry ``length`` (metres), ``highway``, and
``maxspeed``/``oneway`` when tagged. All components are kept:
:func:`accessmap.network.build_network` keeps the largest strongly connected one and reports
what it dropped.

- ``.osm`` / ``.osm.xml`` / ``.xml``: :func:`osmnx.graph_from_xml`, then the ways osmnx's
  ``drive`` filter excludes (:data:`accessmap.sources.drivable.DRIVE_EXCLUDED`: footways, paths,
  tracks, service roads, private ways...) are removed, as for Overpass queries, and the graph is
  simplified. The travel-time commands do not build this graph: they read the file straight into
  arrays (:mod:`accessmap.sources.osmfile`, :func:`accessmap.network.network_from_ways`), which
  gives the same network an order of magnitude faster.
- ``.osm.pbf`` / ``.pbf``: pyrosm's ``driving`` network, converted to an osmnx-compatible graph.
- ``.graphml``: :func:`osmnx.load_graphml` (a graph saved with :func:`save_graph`).
- Overpass (online only): :func:`osmnx.graph_from_polygon` with ``network_type="drive"``; osmnx's
  own HTTP cache is pointed into ``<cache_dir>/osmnx`` so a second run needs no network.

A file that is missing raises :class:`~accessmap.errors.MissingDataError`; a file that is empty,
corrupt or holds no drivable road raises :class:`~accessmap.errors.GraphError`.

Road files of the mirror: :func:`find_road_file` picks, in ``<mirror>/roads/``, the smallest
file (``.osm``, ``.osm.xml``, ``.osm.pbf``, ``.graphml``) whose extent covers a lon/lat box. The
extent is read cheaply (:func:`road_file_extent`): the OSM XML ``<bounds>`` element or the PBF
header's bounding box when present, else one scan of the node coordinates, cached by file size and
modification time in ``<cache_dir>/roads/extents.json``.

A file whose geometry is simplified to straight segments between waypoints (the mirror's
TravelMapping numbered roads, recognised by the ``generator`` of its ``<osm>`` element) is marked
``graph.graph["simplified_geometry"] = True``; :func:`accessmap.network.build_network` then applies
the ``road_length_factor`` setting to its lengths.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import struct
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accessmap.contracts import SIMPLIFIED_GEOMETRY
from accessmap.errors import GraphError, MissingDataError, OfflineError, ValidationError
from accessmap.messages import Message
from accessmap.messages.formats import fmt_date
from accessmap.settings import get_settings
from accessmap.sources._http import atomic_write_bytes
from accessmap.sources.drivable import DRIVE_EXCLUDED, is_drivable
from accessmap.sources.files import parse_error_place
from accessmap.sources.mirror import SourceFile, mirror_dir, sha256_of

if TYPE_CHECKING:
    import networkx as nx
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "ROADS_FOLDER",
    "ROAD_SUFFIXES",
    "SIMPLIFIED_GENERATORS",
    "find_road_file",
    "load_road_graph",
    "read_osm_graph",
    "road_file_extent",
    "road_graph_from_overpass",
    "save_graph",
]

#: Words of an OSM XML ``generator`` attribute that mark simplified (waypoint) geometry.
SIMPLIFIED_GENERATORS: tuple[str, ...] = ("TravelMapping",)
#: The mirror's folder of road files (:func:`find_road_file` looks there by default).
ROADS_FOLDER = "roads"
#: File names :func:`find_road_file` considers.
ROAD_SUFFIXES: tuple[str, ...] = (".osm", ".osm.xml", ".osm.pbf", ".pbf", ".graphml")

_XML_SUFFIXES = (".osm", ".xml")
_PBF_SUFFIXES = (".pbf",)
_GRAPHML_SUFFIXES = (".graphml",)


def read_osm_graph(path: str | Path, *, simplify: bool = True) -> nx.MultiDiGraph[Any]:
    """Read the drivable road graph of a local OpenStreetMap file.

    Parameters
    ----------
    path
        An ``.osm``/``.osm.xml`` file (OSM XML), an ``.osm.pbf`` file, or a ``.graphml`` file
        saved by :func:`save_graph` or osmnx.
    simplify
        Merge chains of degree-2 nodes into single edges (osmnx topology simplification). Ignored
        for GraphML, which is read as saved, and for waypoint networks (simplified geometry:
        nothing to merge but straight segments).

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
        raise MissingDataError("sources.osm_file_missing", field="osm", name=file.name)
    if file.stat().st_size == 0:
        raise GraphError("sources.osm_file_empty", field="osm", name=file.name)
    name = file.name.lower()
    if name.endswith(_GRAPHML_SUFFIXES):
        graph = _read_graphml(file)
    elif name.endswith(_PBF_SUFFIXES):
        graph = _read_pbf(file, simplify=simplify)
    elif name.endswith(_XML_SUFFIXES):
        graph = _read_xml(file, simplify=simplify)
    else:
        raise GraphError("sources.osm_unknown_format", field="osm", name=file.name)
    if graph.number_of_edges() == 0:
        raise GraphError("sources.osm_no_drivable_road", field="osm", name=file.name)
    graph.graph.setdefault("crs", "EPSG:4326")
    graph.graph["source"] = str(file)
    return graph


def road_graph_from_overpass(polygon: BaseGeometry) -> nx.MultiDiGraph[Any]:
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
        raise OfflineError("sources.roads_offline", field="online")
    if polygon.is_empty:
        raise ValidationError("sources.empty_study_polygon", field="polygon")
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
                "sources.roads_download_empty", field="polygon", where=parse_error_place(exc)
            ) from exc
        except (requests.RequestException, ResponseStatusCodeError) as exc:
            raise OfflineError(
                "sources.roads_download_failed", field="online", where=parse_error_place(exc)
            ) from exc
    graph.graph["source"] = "overpass"
    return graph


def load_road_graph(
    *,
    path: str | Path | None = None,
    polygon: BaseGeometry | None = None,
    provenance: list[SourceFile] | None = None,
) -> nx.MultiDiGraph[Any]:
    """Road graph from a local file when given, else from Overpass (online, cached).

    Parameters
    ----------
    path
        Local ``.osm``/``.osm.xml``/``.osm.pbf``/``.graphml`` file; read first when given.
    polygon
        Study area (EPSG:4326) for the Overpass query when no file is given.
    provenance
        When given, a :class:`~accessmap.sources.mirror.SourceFile` record of the file read is
        appended (dataset ``roads``; origin ``mirror`` for a file under the mirror, else ``file``;
        Overpass reads are recorded with the query's date).

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
        graph = read_osm_graph(path)
        if provenance is not None:
            provenance.append(road_record(Path(path)))
        return graph
    if polygon is None:
        raise ValidationError("sources.no_road_source", field="osm")
    graph = road_graph_from_overpass(polygon)
    if provenance is not None:
        provenance.append(
            SourceFile(
                dataset="roads",
                path=get_settings().cache_dir / "osmnx",
                location="https://overpass-api.de (osmnx)",
                origin="online",
                vintage=_today(),
                sha256="",
                fetched_at=_now(),
            )
        )
    return graph


def save_graph(graph: nx.MultiDiGraph[Any], path: str | Path) -> Path:
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
        raise ValidationError("sources.not_graphml_name", field="path", name=target.name)
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


def _read_xml(file: Path, *, simplify: bool) -> nx.MultiDiGraph[Any]:
    import xml.etree.ElementTree as ET

    import osmnx as ox
    from osmnx._errors import InsufficientResponseError

    try:
        with _filter_tags():
            graph = ox.graph_from_xml(file, simplify=False, retain_all=True)
    except ET.ParseError as exc:
        raise GraphError(
            "sources.osm_invalid_xml", field="osm", name=file.name, where=parse_error_place(exc)
        ) from exc
    except (InsufficientResponseError, ValueError, KeyError) as exc:
        raise GraphError(
            "sources.osm_no_usable_data", field="osm", name=file.name, where=parse_error_place(exc)
        ) from exc
    graph = _keep_drivable(graph)
    generator = xml_header(file).get("generator", "")
    waypoints = any(word in generator for word in SIMPLIFIED_GENERATORS)
    # a waypoint network has no shape nodes to merge: osmnx's simplification (a third of the
    # reading time of the mirror's roads) would only join straight segments
    if simplify and not waypoints and graph.number_of_edges() > 0:
        graph = ox.simplify_graph(graph)
    graph.graph[SIMPLIFIED_GEOMETRY] = waypoints
    return graph


def _keep_drivable(graph: nx.MultiDiGraph[Any]) -> nx.MultiDiGraph[Any]:
    """Drop the edges osmnx's ``drive`` filter would not have downloaded, then isolated nodes."""
    keys = ("highway", *DRIVE_EXCLUDED)
    drop = [
        (u, v, k)
        for u, v, k, data in graph.edges(keys=True, data=True)
        if not is_drivable({key: str(data[key]) for key in keys if data.get(key) is not None})
    ]
    graph.remove_edges_from(drop)
    graph.remove_nodes_from([n for n, degree in graph.degree() if degree == 0])
    return graph


@contextlib.contextmanager
def _filter_tags() -> Iterator[None]:
    """Make osmnx keep the way tags of the ``drive`` filter on edges for the duration of a block."""
    import osmnx as ox

    saved = list(ox.settings.useful_tags_way)
    ox.settings.useful_tags_way = list(dict.fromkeys([*saved, *DRIVE_EXCLUDED]))
    try:
        yield
    finally:
        ox.settings.useful_tags_way = saved


def _read_pbf(file: Path, *, simplify: bool) -> nx.MultiDiGraph[Any]:
    from pyrosm import OSM
    from pyrosm.exceptions import PBFException

    try:
        osm = OSM(str(file))
        network = osm.get_network(network_type="driving", nodes=True)
    except PBFException as exc:
        raise GraphError(
            "sources.osm_invalid_pbf", field="osm", name=file.name, where=parse_error_place(exc)
        ) from exc
    if network is None or network[1] is None or len(network[1]) == 0:
        raise GraphError("sources.osm_no_drivable_road", field="osm", name=file.name)
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


def _read_graphml(file: Path) -> nx.MultiDiGraph[Any]:
    import xml.etree.ElementTree as ET

    import osmnx as ox

    try:
        graph = ox.load_graphml(file)
    except (ET.ParseError, ValueError, KeyError, TypeError) as exc:
        raise GraphError(
            "sources.graphml_unreadable", field="osm", name=file.name, where=parse_error_place(exc)
        ) from exc
    flag = str(graph.graph.get(SIMPLIFIED_GEOMETRY, "false")).strip().lower()
    graph.graph[SIMPLIFIED_GEOMETRY] = flag in {"true", "1"}
    return graph


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


# --- road files of the mirror -------------------------------------------------------------------

#: ``(min_lon, min_lat, max_lon, max_lat)`` in degrees (EPSG:4326).
Extent = tuple[float, float, float, float]

_HEAD_BYTES = 4096
_BOUNDS = re.compile(r"<bounds\b([^>]*)/?>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def _now() -> str:
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0).isoformat()


def _today() -> str:
    return dt.datetime.now(tz=dt.UTC).date().isoformat()


def xml_header(file: Path) -> dict[str, str]:
    """Attributes of the ``<osm>`` element and of ``<bounds>`` (prefixed ``bounds.``), if any."""
    with file.open("rb") as handle:
        head = handle.read(_HEAD_BYTES).decode("utf-8", errors="replace")
    out: dict[str, str] = {}
    osm = re.search(r"<osm\b([^>]*)>", head)
    if osm:
        out.update(dict(_ATTR.findall(osm.group(1))))
    bounds = _BOUNDS.search(head)
    if bounds:
        out.update({f"bounds.{k}": v for k, v in _ATTR.findall(bounds.group(1))})
    return out


def road_record(file: Path) -> SourceFile:
    """Provenance of a road file: mirror or user file, vintage from its generator when known."""
    mirror = get_settings().mirror
    resolved = file.resolve()
    inside = mirror is not None and resolved.is_relative_to(Path(mirror).resolve())
    vintage = ""
    if file.name.lower().endswith(_XML_SUFFIXES):
        vintage = xml_header(file).get("generator", "")
    if not vintage:
        mtime = dt.datetime.fromtimestamp(file.stat().st_mtime, tz=dt.UTC)
        vintage = str(Message("sources.vintage_road_file", date=fmt_date(mtime.date())))
    return SourceFile(
        dataset="roads",
        path=file,
        location=str(file),
        origin="mirror" if inside else "file",
        vintage=vintage,
        sha256=sha256_of(file),
        fetched_at=_now(),
    )


def road_file_extent(path: str | Path) -> Extent:
    """Lon/lat extent of a road file, read cheaply and cached.

    Parameters
    ----------
    path
        An ``.osm``/``.osm.xml`` file (its ``<bounds>`` element when present), an ``.osm.pbf``
        file (its header's bounding box when present) or a ``.graphml`` file. Otherwise the node
        coordinates are scanned once; the answer is cached in ``<cache_dir>/roads/extents.json``
        under the file's path, size and modification time.

    Returns
    -------
    tuple of float
        ``(min_lon, min_lat, max_lon, max_lat)``.

    Raises
    ------
    MissingDataError
        The file does not exist.
    GraphError
        No coordinates could be read.

    References
    ----------
    OpenStreetMap wiki, "OSM XML" (``<bounds>``) and "PBF Format" (``HeaderBBox``).
    """
    file = Path(path)
    if not file.is_file():
        raise MissingDataError("sources.osm_file_missing", field="osm", name=file.name)
    stat = file.stat()
    key = str(file.resolve())
    stamp = [stat.st_size, stat.st_mtime_ns]
    cache_file = get_settings().cache_dir / "roads" / "extents.json"
    cache = _read_cache(cache_file)
    entry = cache.get(key)
    if isinstance(entry, dict) and entry.get("stamp") == stamp:
        lo_x, lo_y, hi_x, hi_y = (float(v) for v in entry["extent"])
        return lo_x, lo_y, hi_x, hi_y
    extent = _read_extent(file)
    cache[key] = {"stamp": stamp, "extent": list(extent)}
    atomic_write_bytes(cache_file, json.dumps(cache, indent=1, sort_keys=True).encode())
    return extent


def _read_cache(cache_file: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _read_extent(file: Path) -> Extent:
    name = file.name.lower()
    if name.endswith(_PBF_SUFFIXES):
        extent = _pbf_header_bbox(file)
        return extent if extent is not None else _scan_pbf(file)
    if name.endswith(_GRAPHML_SUFFIXES):
        return _scan_graphml(file)
    header = xml_header(file)
    names = ("bounds.minlon", "bounds.minlat", "bounds.maxlon", "bounds.maxlat")
    if all(n in header for n in names):
        lo_x, lo_y, hi_x, hi_y = (float(header[n]) for n in names)
        return lo_x, lo_y, hi_x, hi_y
    return _scan_xml(file)


def _bounds_of(lons: list[float], lats: list[float], file: Path) -> Extent:
    if not lons:
        raise GraphError("sources.osm_no_nodes", field="osm", name=file.name)
    return min(lons), min(lats), max(lons), max(lats)


def _elements(file: Path, *, graphml: bool) -> Iterator[Any]:
    """Every element of an XML file at its end tag; a parse error becomes a ``GraphError``."""
    import xml.etree.ElementTree as ET

    try:
        for _, elem in ET.iterparse(file, events=("end",)):  # noqa: S314 (local file, as osmnx)
            yield elem
    except ET.ParseError as exc:
        if graphml:
            raise GraphError(
                "sources.graphml_unreadable",
                field="osm",
                name=file.name,
                where=parse_error_place(exc),
            ) from exc
        raise GraphError(
            "sources.osm_invalid_xml", field="osm", name=file.name, where=parse_error_place(exc)
        ) from exc


def _scan_xml(file: Path) -> Extent:
    lons: list[float] = []
    lats: list[float] = []
    for elem in _elements(file, graphml=False):
        if elem.tag == "node" and "lon" in elem.attrib:
            lons.append(float(elem.attrib["lon"]))
            lats.append(float(elem.attrib["lat"]))
        elem.clear()
    return _bounds_of(lons, lats, file)


def _scan_graphml(file: Path) -> Extent:
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    keys: dict[str, str] = {}
    lons: list[float] = []
    lats: list[float] = []
    for elem in _elements(file, graphml=True):
        if elem.tag == f"{ns}key" and elem.get("for") == "node":
            keys[str(elem.get("id"))] = str(elem.get("attr.name"))
        elif elem.tag == f"{ns}node":
            data = {keys.get(str(d.get("key")), ""): d.text for d in elem}
            if data.get("x") and data.get("y"):
                lons.append(float(str(data["x"])))
                lats.append(float(str(data["y"])))
            elem.clear()
    return _bounds_of(lons, lats, file)


def _scan_pbf(file: Path) -> Extent:
    from pyrosm import OSM

    network = OSM(str(file)).get_network(network_type="driving", nodes=True)
    if network is None or network[0] is None or len(network[0]) == 0:
        return _bounds_of([], [], file)
    nodes = network[0]
    return (
        float(nodes["lon"].min()),
        float(nodes["lat"].min()),
        float(nodes["lon"].max()),
        float(nodes["lat"].max()),
    )


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def _fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """Protocol-buffer fields of a message: ``(number, value)``, varints and byte strings."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            yield number, value
        elif wire == 2:  # protobuf wire type 2: length-delimited
            size, pos = _varint(data, pos)
            yield number, data[pos : pos + size]
            pos += size
        else:
            pos += 8 if wire == 1 else 4


def _pbf_header_bbox(file: Path) -> Extent | None:
    """Read the ``HeaderBBox`` of an ``.osm.pbf`` file's first block (``None`` when absent)."""
    try:
        with file.open("rb") as handle:
            (size,) = struct.unpack(">i", handle.read(4))
            header = dict(_fields(handle.read(size)))
            blob = dict(_fields(handle.read(int(header.get(3, 0)))))
    except (OSError, struct.error, IndexError, ValueError):
        return None
    raw = blob.get(1)
    packed = blob.get(3)
    block = raw if isinstance(raw, bytes) else None
    if block is None and isinstance(packed, bytes):
        try:
            block = zlib.decompress(packed)
        except zlib.error:
            return None
    if block is None:
        return None
    bbox = dict(_fields(block)).get(1)
    if not isinstance(bbox, bytes):
        return None
    box = {n: (v >> 1) ^ -(v & 1) for n, v in _fields(bbox) if isinstance(v, int)}
    if not all(n in box for n in (1, 2, 3, 4)):
        return None
    return box[1] * 1e-9, box[4] * 1e-9, box[2] * 1e-9, box[3] * 1e-9


def find_road_file(bbox: Extent, *, folder: str | Path | None = None) -> Path | None:
    """Find the road file of the mirror whose extent covers a lon/lat box (the smallest one).

    Parameters
    ----------
    bbox
        ``(min_lon, min_lat, max_lon, max_lat)`` of the points to route (the study area).
    folder
        Where to look; default ``<mirror>/roads`` (no mirror configured: ``None`` is returned).

    Returns
    -------
    pathlib.Path or None
        The covering file with the smallest extent, ``None`` when no file covers the box.

    References
    ----------
    accessmap issue 11 ("roads from the mirror, by default").
    """
    if folder is None:
        root = mirror_dir()
        if root is None:
            return None
        folder = root / ROADS_FOLDER
    directory = Path(folder)
    if not directory.is_dir():
        return None
    lo_x, lo_y, hi_x, hi_y = (float(v) for v in bbox)
    best: tuple[float, Path] | None = None
    for file in sorted(directory.iterdir()):
        if not file.is_file() or not file.name.lower().endswith(ROAD_SUFFIXES):
            continue
        try:
            e_lo_x, e_lo_y, e_hi_x, e_hi_y = road_file_extent(file)
        except GraphError:
            continue
        if e_lo_x <= lo_x and e_lo_y <= lo_y and e_hi_x >= hi_x and e_hi_y >= hi_y:
            area = (e_hi_x - e_lo_x) * (e_hi_y - e_lo_y)
            if best is None or area < best[0]:
                best = (area, file)
    return None if best is None else best[1]
