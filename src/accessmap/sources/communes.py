"""Communes: polygons, town halls, legal population (shaped like geo.api.gouv.fr ``/communes``)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from accessmap.conventions import MAIRIE_TOLERANCE_M
from accessmap.errors import ValidationError
from accessmap.messages import warn
from accessmap.sources._once import once
from accessmap.sources.files import parse_error_place
from accessmap.sources.mirror import SourceFile, resolve, shown_path

__all__ = [
    "COMMUNE_COLUMNS",
    "DEPARTMENT_PATTERN",
    "department_of",
    "load_communes",
]

#: Columns of every communes GeoDataFrame accessmap passes around (EPSG:4326).
COMMUNE_COLUMNS: tuple[str, ...] = (
    "code",
    "nom",
    "dep",
    "epci",
    "epci_nom",
    "population",
    "area_km2",
    "density",
    "mairie_lon",
    "mairie_lat",
    "mairie_moved",
    "geometry",
)

GEO_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:2154"
_PARSED_COLUMNS = (
    "code", "nom", "dep", "epci", "epci_nom", "population", "surface_ha", "mairie_lon",
    "mairie_lat",
)  # fmt: skip

DEPARTMENT_PATTERN = re.compile(r"(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])")
_COMMUNE_PATTERN = re.compile(r"([0-9]{2}|2A|2B)[0-9]{3}")


def department_of(code: str) -> str:
    """Return the department of an INSEE commune code.

    Parameters
    ----------
    code
        Five-character INSEE code (``"19031"``, ``"2A004"``, ``"97105"``).

    Returns
    -------
    str
        ``"19"``, ``"2A"``, ``"971"``.

    Raises
    ------
    ValidationError
        When the code is malformed or names no department.
    """
    text = str(code).strip()
    if not _COMMUNE_PATTERN.fullmatch(text):
        raise ValidationError("sources.not_a_commune_code", field="code", code=text)
    dep = text[:3] if text.startswith("97") else text[:2]
    if not DEPARTMENT_PATTERN.fullmatch(dep):
        raise ValidationError("sources.no_such_department", field="code", code=text, dep=dep)
    return dep


def _parse_features(path_text: str, raw: Any, dep: str) -> gpd.GeoDataFrame:
    """One department's features as a frame (geometries built in bulk, see :func:`_geometries`)."""
    if not isinstance(raw, dict) or raw.get("type") != "FeatureCollection":
        raise ValidationError("sources.not_feature_collection", field=path_text)
    features = raw.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError("sources.no_commune_features", field=path_text, dep=dep)
    required = ("code", "nom", "population")
    bad: list[str] = []
    rows: list[tuple[Any, ...]] = []
    shapes: list[Any] = []
    for i, feature in enumerate(features):
        props = feature.get("properties") or {}
        if any(props.get(k) is None for k in required) or not feature.get("geometry"):
            bad.append(str(props.get("code", f"#{i}")))
            continue
        mairie = props.get("mairie") or {}
        coords = mairie.get("coordinates") if isinstance(mairie, dict) else None
        epci = props.get("epci") or {}
        rows.append(
            (
                str(props["code"]),
                str(props["nom"]),
                str(props.get("codeDepartement") or dep),
                str(props.get("codeEpci") or epci.get("code") or ""),
                str(epci.get("nom") or ""),
                props["population"],
                props.get("surface"),
                coords[0] if coords else None,
                coords[1] if coords else None,
            )
        )
        shapes.append(feature["geometry"])
    if bad:
        raise ValidationError("sources.incomplete_features", field=path_text, features=bad)
    table = pd.DataFrame.from_records(rows, columns=_PARSED_COLUMNS)
    return gpd.GeoDataFrame(table, geometry=_geometries(shapes), crs=GEO_CRS)


def _polygon_parts(geometry: Any) -> list[Any] | None:
    """Return the polygons (lists of rings) of a GeoJSON (Multi)Polygon, else ``None``."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coordinates = geometry.get("coordinates") if kind is not None else None
    if not isinstance(coordinates, list):
        return None
    if kind == "Polygon":
        return [coordinates]
    return coordinates if kind == "MultiPolygon" else None


def _geometries(shapes: list[Any]) -> np.ndarray[Any, np.dtype[np.object_]]:
    """Shapely geometries of GeoJSON geometry dicts, as :func:`shapely.geometry.shape` builds them.

    Polygons and multipolygons (every commune of the official files) are built in bulk from one
    coordinate array and GeoArrow offsets (:func:`shapely.from_ragged_array`): about ten times
    faster than one shapely object per ring at national scale. Any other geometry, a 3-D or
    malformed coordinate, an empty polygon or an open ring falls back to
    :func:`shapely.geometry.shape`, feature by feature.
    """
    import shapely

    coords: list[Any] = []
    ring_ends, polygon_ends, part_ends, single = [0], [0], [0], []
    for geometry in shapes:
        parts = _polygon_parts(geometry)
        if not parts:
            return _shapes_one_by_one(shapes)
        single.append(geometry["type"] == "Polygon")
        for polygon in parts:
            if not _simple_rings(polygon):
                return _shapes_one_by_one(shapes)
            for ring in polygon:
                coords.extend(ring)
                ring_ends.append(len(coords))
            polygon_ends.append(len(ring_ends) - 1)
        part_ends.append(len(polygon_ends) - 1)
    try:
        xy = np.asarray(coords, dtype=float)
        if xy.ndim != 2 or xy.shape[1] != 2:
            return _shapes_one_by_one(shapes)
        offsets = tuple(np.asarray(o, dtype=np.int64) for o in (ring_ends, polygon_ends, part_ends))
        multi = shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, xy, offsets)
    except (TypeError, ValueError, shapely.errors.GEOSException):
        return _shapes_one_by_one(shapes)
    flags = np.asarray(single, dtype=bool)
    out: np.ndarray[Any, np.dtype[np.object_]] = multi.astype(object)
    out[flags] = shapely.get_geometry(multi[flags], 0)
    return out


def _simple_rings(polygon: Any) -> bool:
    """Say whether a polygon is a non-empty list of closed rings of 4+ positions.

    Bulk construction of anything else (an empty polygon, an open ring) can crash GEOS.
    """
    rings = (list, tuple)
    return (
        isinstance(polygon, rings)
        and bool(polygon)
        and all(isinstance(r, rings) and len(r) >= 4 and r[0] == r[-1] for r in polygon)
    )


def _shapes_one_by_one(shapes: list[Any]) -> np.ndarray[Any, np.dtype[np.object_]]:
    from shapely.geometry import shape

    try:
        built = [shape(g) for g in shapes]
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ValidationError(
            "sources.invalid_geometry", field="communes.geometry", where=parse_error_place(exc)
        ) from None
    out = np.empty(len(built), dtype=object)
    out[:] = built
    return out


def load_communes(
    departments: Iterable[str], *, provenance: list[SourceFile] | None = None
) -> gpd.GeoDataFrame:
    """Load the communes of some departments.

    Parameters
    ----------
    departments
        Department codes (``"19"``, ``"2A"``, ``"971"``).
    provenance
        When given, a :class:`~accessmap.sources.mirror.SourceFile` is appended per file read.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per commune, EPSG:4326, columns :data:`COMMUNE_COLUMNS`. ``area_km2`` comes from the
        service's ``surface`` (hectares) or, when absent, from the polygon in EPSG:2154. A missing
        town hall falls back to a point inside the polygon.

    Raises
    ------
    ValidationError
        Malformed department code, corrupt GeoJSON, missing properties, duplicate codes, negative
        population.
    OfflineError
        A department is neither in the mirror, nor in the cache, and downloads are off.
    """
    deps = list(dict.fromkeys(str(d).strip().upper().zfill(2) for d in departments))
    bad = [d for d in deps if not DEPARTMENT_PATTERN.fullmatch(d)]
    if bad:
        raise ValidationError("sources.not_department_codes", field="departments", codes=bad)
    if not deps:
        raise ValidationError("sources.no_department", field="--territory")
    frames = []
    for dep in deps:
        source = resolve("communes", dep=dep)
        key = ("communes", str(source.path), source.path.stat().st_mtime_ns, dep)
        read = functools.partial(_read_department, source.path, dep, sha256=source.sha256)
        frames.append(once(key, read))
        if provenance is not None:
            provenance.append(source)
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].copy()
    return _finish(gpd.GeoDataFrame(frame, geometry="geometry", crs=GEO_CRS))


def _read_department(path: Path, dep: str, *, sha256: str = "") -> gpd.GeoDataFrame:
    """Read and parse one department's GeoJSON (once per run: see :func:`load_communes`).

    With the file's ``sha256``, the parsed frame is kept as Parquet under
    ``<cache_dir>/parsed/`` (polygons as WKB, which keeps every coordinate exactly), keyed by that
    hash (content-hash caching, as for the DREES workbook), and read from there next time.
    """
    from accessmap.settings import get_settings

    kept = get_settings().cache_dir / "parsed" / f"communes-{dep}-{sha256[:16]}.parquet"
    if sha256:
        frame = _kept_department(kept)
        if frame is not None:
            return frame
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            "sources.invalid_geojson", field=shown_path(path), where=parse_error_place(exc)
        ) from None
    frame = _parse_features(shown_path(path), raw, dep)
    if sha256:
        _keep_department(kept, frame)
    return frame


def _kept_department(kept: Path) -> gpd.GeoDataFrame | None:
    """Return the frame kept by :func:`_keep_department`, or ``None`` (absent or unreadable)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    if not kept.is_file():
        return None
    try:
        # memory-mapped, one thread, the system allocator: far less memory held afterwards than
        # the threaded read into Arrow's own pool
        with pq.ParquetFile(kept, memory_map=True) as file:
            table = file.read(use_threads=False)
        geometry = shapely.from_wkb(table.column("geometry").to_numpy())
        frame = table.drop_columns(["geometry"]).to_pandas(
            memory_pool=pa.system_memory_pool(), use_threads=False
        )
    except (
        OSError,
        ValueError,
        TypeError,
        KeyError,
        pa.ArrowException,
        shapely.errors.GEOSException,
    ):
        return None
    if tuple(frame.columns) != _PARSED_COLUMNS:
        return None
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=GEO_CRS)


def _keep_department(kept: Path, frame: gpd.GeoDataFrame) -> None:
    """Write a parsed frame for the next runs: columns as they are, polygons as WKB (exact)."""
    import io

    import shapely

    from accessmap.sources._http import atomic_write_bytes

    table = pd.DataFrame(frame.drop(columns="geometry"))
    table["geometry"] = shapely.to_wkb(frame.geometry.to_numpy())
    buffer = io.BytesIO()
    try:
        table.to_parquet(buffer, index=False)
        atomic_write_bytes(kept, buffer.getvalue())
    except (OSError, ValueError, TypeError, ImportError):
        # mixed types in a column, or a read-only cache folder: parsed again next time
        return


def _finish(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Validate and complete a communes frame (shared by the loader and territory builders)."""
    dup = frame.loc[frame["code"].duplicated(keep=False), "code"].unique()
    if len(dup):
        raise ValidationError("sources.duplicate_communes", field="communes.code", codes=list(dup))
    population = pd.to_numeric(frame["population"], errors="coerce")
    negative = frame.loc[population.isna() | (population < 0), "code"]
    if len(negative):
        raise ValidationError(
            "sources.bad_population", field="communes.population", codes=list(negative)
        )
    frame["population"] = population.astype("int64")
    surface = frame["surface_ha"] if "surface_ha" in frame else pd.Series(np.nan, index=frame.index)
    area = pd.to_numeric(surface, errors="coerce") / 100.0
    if area.isna().any():
        unknown = area.isna().to_numpy()
        area[unknown] = frame.geometry[unknown].to_crs(METRIC_CRS).area.to_numpy() / 1e6
    frame["area_km2"] = area.astype(float)
    frame["density"] = frame["population"] / frame["area_km2"].where(frame["area_km2"] > 0)
    lon = pd.to_numeric(frame["mairie_lon"], errors="coerce").to_numpy(dtype=float, copy=True)
    lat = pd.to_numeric(frame["mairie_lat"], errors="coerce").to_numpy(dtype=float, copy=True)
    moved = _halls_to_move(frame.geometry, lon, lat)
    if moved.any():
        warn(
            "sources.town_halls_moved",
            count=int(moved.sum()),
            km=MAIRIE_TOLERANCE_M / 1000,
            codes=list(frame.loc[moved, "code"]),
            stacklevel=3,
        )
        inside = frame.geometry[moved].representative_point()
        lon[moved], lat[moved] = inside.x.to_numpy(), inside.y.to_numpy()
    frame["mairie_lon"], frame["mairie_lat"] = lon, lat
    frame["mairie_moved"] = moved
    for col in ("epci", "epci_nom"):
        if col not in frame.columns:
            frame[col] = ""
    return frame[list(COMMUNE_COLUMNS)].sort_values("code").reset_index(drop=True)


def _halls_to_move(
    geometry: gpd.GeoSeries, lon: np.ndarray[Any, Any], lat: np.ndarray[Any, Any]
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Town halls missing or farther than ``MAIRIE_TOLERANCE_M`` from their polygon.

    The distance is measured in Lambert-93, and only for the town halls outside their polygon
    (a point inside is at distance 0): at national scale, a few hundred polygons are projected
    instead of every one.
    """
    import shapely

    missing = np.isnan(lon) | np.isnan(lat)
    inside = np.zeros(len(lon), dtype=bool)
    inside[~missing] = shapely.contains_xy(
        geometry.to_numpy()[~missing], lon[~missing], lat[~missing]
    )
    check = ~missing & ~inside
    moved = missing.copy()
    if check.any():
        halls = gpd.GeoSeries(gpd.points_from_xy(lon[check], lat[check]), crs=GEO_CRS)
        polygons = gpd.GeoSeries(geometry.to_numpy()[check], crs=geometry.crs)
        offset = halls.to_crs(METRIC_CRS).distance(polygons.to_crs(METRIC_CRS)).to_numpy()
        moved[check] = offset > MAIRIE_TOLERANCE_M
    return moved


def available_departments() -> list[str]:
    """Departments whose communes file is in the mirror or the cache (no download).

    Returns
    -------
    list of str
        Department codes (``"01"`` ... ``"95"``, ``"2A"``, ``"2B"``), sorted.
    """
    from accessmap.settings import get_settings
    from accessmap.sources.mirror import mirror_dir

    found: set[str] = set()
    for folder in (mirror_dir(), get_settings().cache_dir):
        if folder is not None and (folder / "communes").is_dir():
            found |= {
                p.stem.split("-", 1)[1] for p in (folder / "communes").glob("communes-*.geojson")
            }
    return sorted(found)
