"""Regional natural parks' polygons, and which departments' communes a box meets (I/O only).

:func:`load_parks` reads the parks file (``pnr/pnr-france.geojson``: mirror, then cache; it has no
automatic download) with the provenance record every loader appends. :func:`departments_meeting`
reads only the extents of the communes files of the mirror and the cache, so that a park's
departments are found without loading every commune of France.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from accessmap.errors import ValidationError
from accessmap.settings import get_settings
from accessmap.sources.communes import available_departments
from accessmap.sources.mirror import SourceFile, mirror_dir, resolve

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["PARK_CODE_FIELD", "PARK_NAME_FIELD", "departments_meeting", "load_parks"]

#: Field of the park code in the MNHN/INPN layer (``FR8000045``).
PARK_CODE_FIELD = "DRGP_C_COD"
#: Field of the park name in the MNHN/INPN layer.
PARK_NAME_FIELD = "DRGP_L_LIB"
_GEO_CRS = "EPSG:4326"


def load_parks(*, provenance: list[SourceFile] | None = None) -> gpd.GeoDataFrame:
    """Every park of the parks file: ``code``, ``name``, ``geometry`` (EPSG:4326).

    A GeoJSON without a ``crs`` member is RFC 7946 GeoJSON: longitude/latitude, EPSG:4326.

    Parameters
    ----------
    provenance
        When given, the file's record is appended.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per polygon record, codes upper-case, sorted by code.

    Raises
    ------
    OfflineError
        The file is in neither the mirror nor the cache.
    ValidationError
        Unreadable file, or the code/name fields are missing.

    References
    ----------
    MNHN / INPN, protected-area layer "Parcs naturels régionaux"; IETF RFC 7946 (GeoJSON).
    """
    import geopandas as gpd

    source = resolve("pnr")
    try:
        frame = gpd.read_file(source.path)
    except (OSError, ValueError, RuntimeError) as exc:
        raise ValidationError(
            "parks.unreadable", field=source.path.name, path=source.path, reason=str(exc)
        ) from None
    missing = [c for c in (PARK_CODE_FIELD, PARK_NAME_FIELD) if c not in frame.columns]
    if missing:
        raise ValidationError("parks.missing_columns", field=source.path.name, columns=missing)
    if frame.crs is None:
        frame = frame.set_crs(_GEO_CRS)
    frame = frame.dropna(subset=[PARK_CODE_FIELD]).to_crs(_GEO_CRS)
    out = gpd.GeoDataFrame(
        {
            "code": frame[PARK_CODE_FIELD].astype(str).str.strip().str.upper().to_numpy(),
            "name": frame[PARK_NAME_FIELD].astype(str).str.strip().to_numpy(),
        },
        geometry=frame.geometry.to_numpy(),
        crs=_GEO_CRS,
    )
    if provenance is not None:
        provenance.append(source)
    return out.sort_values("code").reset_index(drop=True)


def departments_meeting(bounds: tuple[float, float, float, float]) -> list[str]:
    """Departments of the mirror/cache whose communes file's extent meets a lon/lat box.

    Only the files' extents are read (GDAL computes them without building geometries).

    Parameters
    ----------
    bounds
        ``(min_lon, min_lat, max_lon, max_lat)``.

    Returns
    -------
    list of str
        Department codes, sorted (a superset of the departments whose communes meet the box).
    """
    lo_x, lo_y, hi_x, hi_y = bounds
    folders = [f for f in (mirror_dir(), get_settings().cache_dir) if f is not None]
    paths: dict[str, Path] = {}
    for dep in available_departments():
        path = next(
            (
                folder / "communes" / f"communes-{dep}.geojson"
                for folder in folders
                if (folder / "communes" / f"communes-{dep}.geojson").is_file()
            ),
            None,
        )
        if path is not None:
            paths[dep] = path
    found = []
    for dep, (e_lo_x, e_lo_y, e_hi_x, e_hi_y) in _extents(paths).items():
        if e_lo_x <= hi_x and e_hi_x >= lo_x and e_lo_y <= hi_y and e_hi_y >= lo_y:
            found.append(dep)
    return found


#: File of the communes files' extents, under ``<cache_dir>/parsed/``.
EXTENTS_FILE = "communes_extents.json"


def _extents(paths: dict[str, Path]) -> dict[str, list[float]]:
    """Extent of each communes file, remembered in the cache folder by path, size and date.

    GDAL reads each file to find its extent; an entry is read again whenever its file's size or
    modification time changes.
    """
    import contextlib
    import json

    import pyogrio

    from accessmap.sources._http import atomic_write_bytes

    store = get_settings().cache_dir / "parsed" / EXTENTS_FILE
    try:
        known: dict[str, Any] = json.loads(store.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    out: dict[str, list[float]] = {}
    fresh: dict[str, Any] = {}
    for dep, path in paths.items():
        stat = path.stat()
        key = [str(path.resolve()), stat.st_size, stat.st_mtime_ns]
        entry = known.get(dep)
        if not isinstance(entry, dict) or entry.get("key") != key:
            info = pyogrio.read_info(path, force_total_bounds=True)
            entry = {"key": key, "bounds": [float(v) for v in info["total_bounds"]]}
        fresh[dep] = entry
        out[dep] = list(entry["bounds"])
    if fresh != known:
        # a read-only cache folder: the extents are read again next time
        with contextlib.suppress(OSError):
            atomic_write_bytes(store, json.dumps(fresh).encode("utf-8"))
    return out
