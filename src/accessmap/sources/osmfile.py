"""Drivable ways of a local OpenStreetMap file read straight into arrays (no graph library).

:func:`read_road_ways` reads an ``.osm``/``.osm.xml`` file (streamed through expat, no XML tree
built) or an ``.osm.pbf`` file (pyosmium, node locations resolved in C++) and returns a
:class:`~accessmap.contracts.RoadWays`: node ids and coordinates, the node sequence of every
drivable way, and the tags the travel times need (``highway``, ``maxspeed``, ``oneway``,
``junction``). :func:`accessmap.network.network_from_ways` turns it into the road network; together
they give the same network as osmnx's ``graph_from_xml`` followed by
:func:`accessmap.network.build_network`, an order of magnitude faster
(``benchmarks/bench_roads.py``).

Which ways are drivable: osmnx's ``network_type="drive"`` filter (:data:`DRIVE_EXCLUDED`), the
filter osmnx sends to Overpass, so that a local file and an Overpass download keep the same ways.

A way that refers to a node absent from the file (an extract clipped without its complete ways) is
cut there: its segments touching the missing node are dropped; ``RoadWays.missing_nodes`` counts
them and :func:`~accessmap.network.network_from_ways` warns.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from accessmap.contracts import RoadWays
from accessmap.errors import GraphError, MissingDataError
from accessmap.sources.drivable import DRIVE_EXCLUDED, is_drivable
from accessmap.sources.mirror import shown_path
from accessmap.sources.osm import SIMPLIFIED_GENERATORS, xml_header

__all__ = [
    "DRIVE_EXCLUDED",
    "OSM_FILE_SUFFIXES",
    "is_drivable",
    "is_osm_file",
    "read_road_ways",
]

#: Tags kept on every way.
_KEPT_TAGS = ("highway", "maxspeed", "oneway", "junction")

#: File names read by :func:`read_road_ways` (GraphML stays with osmnx).
OSM_FILE_SUFFIXES: tuple[str, ...] = (".osm", ".osm.xml", ".xml", ".osm.pbf", ".pbf")


def is_osm_file(path: str | Path) -> bool:
    """Whether :func:`read_road_ways` reads this file (by its name: ``.osm``, ``.osm.pbf``...)."""
    return Path(path).name.lower().endswith(OSM_FILE_SUFFIXES)


@dataclass
class _Collector:
    """Ways and nodes gathered while a file streams by."""

    # compact typed arrays while reading (8 bytes a value, not a Python object), numpy after
    node_ids: Any = field(default_factory=lambda: array("q"))
    lon: Any = field(default_factory=lambda: array("d"))
    lat: Any = field(default_factory=lambda: array("d"))
    refs: Any = field(default_factory=list)  # XML: the refs' text (parsed at once at the end)
    lengths: list[int] = field(default_factory=list)
    tags: dict[str, list[str | None]] = field(
        default_factory=lambda: {key: [] for key in _KEPT_TAGS}
    )

    def add_way(self, refs: list[Any], tags: Mapping[str, str]) -> None:
        """Record a drivable way."""
        self.refs.extend(refs)
        self.lengths.append(len(refs))
        for key, values in self.tags.items():
            values.append(tags.get(key))


def read_road_ways(path: str | Path, *, keep: bool = False) -> RoadWays:
    """Read the drivable ways of an ``.osm``/``.osm.xml`` or ``.osm.pbf`` file.

    Parameters
    ----------
    path
        The file. OSM XML is streamed (memory grows with the nodes kept, not the file); a PBF file
        is read with pyosmium.
    keep
        Keep the ways read in the cache folder (``<cache_dir>/parsed/roads-*.npz``, plain arrays,
        no pickle) and read them from there while the file keeps its path, size and modification
        time: the same arrays, without parsing the file again.

    Returns
    -------
    RoadWays
        Nodes used by drivable ways (file order for XML, id order for PBF), ways cut at nodes the
        file lacks, their ``highway``/``maxspeed``/``oneway``/``junction`` tags, and whether the
        geometry is simplified (the mirror's numbered roads, recognised by the ``generator`` of the
        ``<osm>`` element).

    Raises
    ------
    MissingDataError
        The file does not exist.
    GraphError
        The file is empty, not OSM XML or PBF, or holds no drivable way.

    References
    ----------
    OpenStreetMap wiki, "OSM XML" and "PBF Format"; pyosmium (``SimpleHandler``, node locations).
    """
    file = Path(path)
    if not file.is_file():
        raise MissingDataError("sources.osm_file_missing", field="osm", name=file.name)
    if file.stat().st_size == 0:
        raise GraphError("roads.empty_file", field="osm", path=file)
    if keep and (kept := _kept_ways(file)) is not None:
        return kept
    name = file.name.lower()
    simplified = False
    if name.endswith(".pbf"):
        found = _read_pbf(file)
    elif name.endswith((".osm", ".xml")):
        found = _read_xml(file)
        generator = xml_header(file).get("generator", "")
        simplified = any(word in generator for word in SIMPLIFIED_GENERATORS)
    else:
        raise GraphError("roads.unknown_format", field="osm", path=file)
    if not found.lengths:
        raise GraphError("roads.no_drivable_way", field="osm", path=file)
    ways = _ways(found, file, simplified=simplified)
    if keep:
        _keep_ways(file, ways)
    return ways


# --- the kept copy --------------------------------------------------------------------------------

_ARRAYS = ("node_ids", "lon", "lat", "offsets", "nodes")


def _kept_path(file: Path) -> tuple[Path, str]:
    """Where the ways of ``file`` are kept, and the key (path, size, date) they are kept under."""
    import hashlib

    from accessmap.settings import get_settings

    stat = file.stat()
    key = f"{file.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    name = f"roads-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}.npz"
    return get_settings().cache_dir / "parsed" / name, key


def _keep_ways(file: Path, ways: RoadWays) -> None:
    """Write the ways as plain arrays (tags as text plus a mask of the missing ones)."""
    import contextlib
    import io

    from accessmap.sources._http import atomic_write_bytes

    kept, key = _kept_path(file)
    arrays: dict[str, np.ndarray] = {name: getattr(ways, name) for name in _ARRAYS}
    for tag in _KEPT_TAGS:
        values = getattr(ways, tag)
        arrays[f"{tag}_none"] = np.array([v is None for v in values], dtype=bool)
        arrays[f"{tag}_text"] = np.array(["" if v is None else str(v) for v in values], dtype=str)
    arrays["meta"] = np.array([ways.simplified_geometry, ways.missing_nodes], dtype=np.int64)
    arrays["key"] = np.array(key)
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)
    with contextlib.suppress(OSError):  # a read-only cache folder: parsed again next time
        atomic_write_bytes(kept, buffer.getvalue())


def _kept_ways(file: Path) -> RoadWays | None:
    """Return the ways kept by :func:`_keep_ways` for this very file, or ``None``."""
    kept, key = _kept_path(file)
    if not kept.is_file():
        return None
    try:
        with np.load(kept, allow_pickle=False) as data:
            if str(data["key"]) != key:
                return None
            arrays = {name: data[name] for name in _ARRAYS}
            tags = {}
            for tag in _KEPT_TAGS:
                values = np.array(data[f"{tag}_text"].tolist(), dtype=object)
                values[data[f"{tag}_none"]] = None
                tags[tag] = values
            simplified, missing = (int(v) for v in data["meta"])
    except (OSError, ValueError, KeyError):
        return None
    return RoadWays(
        **arrays, **tags, simplified_geometry=bool(simplified), source=shown_path(file),
        missing_nodes=missing,
    )  # fmt: skip


# --- OSM XML ------------------------------------------------------------------------------------


def _read_xml(file: Path) -> _Collector:
    """Stream an OSM XML file through expat: nodes, then drivable ways (no tree is built)."""
    import xml.parsers.expat

    reader = _XmlWays()
    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = reader.start
    try:
        with file.open("rb") as handle:
            parser.ParseFile(handle)
        reader.flush()
        found = reader.found
        found.refs = np.asarray(found.refs, dtype=np.int64)  # the refs' text, parsed at once
    except xml.parsers.expat.ExpatError as exc:
        raise GraphError("roads.invalid_xml", field="osm", path=file, detail=str(exc)) from exc
    except (KeyError, ValueError) as exc:
        raise GraphError("roads.invalid_xml", field="osm", path=file, detail=repr(exc)) from exc
    return found


class _XmlWays:
    """expat callbacks collecting node coordinates and drivable ways.

    Only start tags are handled (the cheapest way through expat): a way is complete when the next
    ``way`` or ``relation`` starts, or at the end of the file (:meth:`flush`).
    """

    def __init__(self) -> None:
        self.found = _Collector()
        self.refs: list[Any] | None = None
        self.tags: dict[str, str] = {}
        # bound once: this is called for every element of the file
        self._id = self.found.node_ids.append
        self._lon = self.found.lon.append
        self._lat = self.found.lat.append

    def start(self, name: str, attrs: dict[str, str]) -> None:
        refs = self.refs
        if name == "nd":
            if refs is not None:
                refs.append(attrs["ref"])  # converted in bulk at the end
        elif name == "node":
            self._id(int(attrs["id"]))
            self._lon(float(attrs["lon"]))
            self._lat(float(attrs["lat"]))
        elif name == "tag":
            if refs is not None:
                self.tags[attrs["k"]] = attrs["v"]
        elif name in {"way", "relation"}:
            self.flush()
            if name == "way":
                self.refs = []
                self.tags = {}

    def flush(self) -> None:
        """Record the way being read, if any and drivable."""
        if self.refs is not None and is_drivable(self.tags):
            self.found.add_way(self.refs, self.tags)
        self.refs = None


# --- PBF ----------------------------------------------------------------------------------------


def _read_pbf(file: Path) -> _Collector:
    import osmium

    found = _Collector(refs=array("q"))
    located = array("q")

    class _Ways(osmium.SimpleHandler):
        def way(self, way: Any) -> None:
            tags = {tag.k: tag.v for tag in way.tags}
            if not is_drivable(tags):
                return
            refs: list[int] = []
            for node in way.nodes:
                refs.append(node.ref)
                location = node.location
                if location.valid():  # absent from a clipped extract otherwise
                    located.append(node.ref)
                    found.lon.append(location.lon)
                    found.lat.append(location.lat)
            found.add_way(refs, tags)

    try:
        _Ways().apply_file(str(file), locations=True, filters=[osmium.filter.KeyFilter("highway")])
    except RuntimeError as exc:
        raise GraphError("roads.invalid_pbf", field="osm", path=file, detail=str(exc)) from exc
    ids, first = np.unique(np.asarray(located, dtype=np.int64), return_index=True)
    found.node_ids = ids
    found.lon = np.asarray(found.lon, dtype=float)[first]
    found.lat = np.asarray(found.lat, dtype=float)[first]
    return found


# --- arrays -------------------------------------------------------------------------------------


def _ways(found: _Collector, file: Path, *, simplified: bool) -> RoadWays:
    """Nodes used by the ways (file order), way node indices, ways cut at missing nodes."""
    all_ids = np.asarray(found.node_ids, dtype=np.int64)
    refs = np.asarray(found.refs, dtype=np.int64)
    lengths = np.asarray(found.lengths, dtype=np.int64)
    row = _rows_of(all_ids, refs)
    known = row >= 0
    used = np.zeros(len(all_ids), dtype=bool)
    used[row[known]] = True
    new_row = np.cumsum(used) - 1
    rows = np.where(known, new_row[np.maximum(row, 0)], -1)
    way_of = np.repeat(np.arange(len(lengths)), lengths)
    piece_way = np.arange(len(lengths))
    missing = len(np.unique(refs[~known]))
    if missing:
        # a way is cut at every missing node: a new piece starts at a way's first node and
        # after every missing node; each piece keeps the tags of its way
        start = np.ones(len(rows), dtype=bool)
        start[1:] = (way_of[1:] != way_of[:-1]) | ~known[:-1]
        piece = np.cumsum(start) - 1
        piece_way = way_of[start]
        rows, way_of = rows[known], piece[known]
    counts = np.bincount(way_of, minlength=len(piece_way))
    pieces = counts > 0
    if not pieces.any():
        raise GraphError("roads.no_drivable_way", field="osm", path=file)
    offsets = np.concatenate([[0], np.cumsum(counts[pieces])]).astype(np.int64)
    kept = piece_way[pieces]
    tags = {key: np.asarray(values, dtype=object)[kept] for key, values in found.tags.items()}
    return RoadWays(
        node_ids=all_ids[used],
        lon=np.asarray(found.lon, dtype=float)[used],
        lat=np.asarray(found.lat, dtype=float)[used],
        offsets=offsets,
        nodes=rows.astype(np.int64),
        highway=tags["highway"],
        maxspeed=tags["maxspeed"],
        oneway=tags["oneway"],
        junction=tags["junction"],
        simplified_geometry=simplified,
        source=shown_path(file),
        missing_nodes=missing,
    )


def _rows_of(ids: np.ndarray, refs: np.ndarray) -> np.ndarray:
    """Row of each referenced id in ``ids`` (the last row of a repeated id), ``-1`` when absent."""
    if len(ids) == 0:
        return np.full(len(refs), -1, dtype=np.int64)
    # the last occurrence wins, as in osmnx (a dict keyed by node id)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    pos = np.searchsorted(sorted_ids, refs, side="right") - 1
    pos = np.maximum(pos, 0)
    found = sorted_ids[pos] == refs
    return np.where(found, order[pos], -1).astype(np.int64)
