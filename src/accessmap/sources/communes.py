"""Communes: polygons, town halls, legal population (shaped like geo.api.gouv.fr ``/communes``)."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from accessmap.errors import ValidationError, format_rows
from accessmap.sources.mirror import SourceFile, resolve

__all__ = [
    "COMMUNE_COLUMNS",
    "DEPARTMENT_PATTERN",
    "MAIRIE_TOLERANCE_M",
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

#: A town-hall point farther than this outside its commune's polygon is replaced by a point inside
#: the polygon (the mirror's simplified polygons explain offsets below it).
MAIRIE_TOLERANCE_M = 2000.0

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
        raise ValidationError(
            f"{text!r} is not an INSEE commune code.",
            field="code",
            fix="give 5 characters, e.g. 19031 or 2A004 (leading zeros kept).",
        )
    dep = text[:3] if text.startswith("97") else text[:2]
    if not DEPARTMENT_PATTERN.fullmatch(dep):
        raise ValidationError(
            f"unknown INSEE code {text}: there is no department {dep}.",
            field="code",
            fix="check the code against the official geographic code (COG).",
        )
    return dep


def _parse_features(path_text: str, raw: Any, dep: str) -> pd.DataFrame:
    if not isinstance(raw, dict) or raw.get("type") != "FeatureCollection":
        raise ValidationError(
            "is not a GeoJSON FeatureCollection.",
            field=path_text,
            fix="use the geo.api.gouv.fr /communes answer with format=geojson&geometry=contour.",
        )
    features = raw.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError(
            f"holds no commune features for department {dep}.",
            field=path_text,
            fix="re-download the file (accessmap fetch --online) or fix the mirror.",
        )
    required = ("code", "nom", "population")
    bad: list[str] = []
    rows: list[dict[str, Any]] = []
    for i, feature in enumerate(features):
        props = feature.get("properties") or {}
        if any(props.get(k) is None for k in required) or not feature.get("geometry"):
            bad.append(str(props.get("code", f"feature #{i}")))
            continue
        mairie = props.get("mairie") or {}
        coords = mairie.get("coordinates") if isinstance(mairie, dict) else None
        epci = props.get("epci") or {}
        rows.append(
            {
                "code": str(props["code"]),
                "nom": str(props["nom"]),
                "dep": str(props.get("codeDepartement") or dep),
                "epci": str(props.get("codeEpci") or epci.get("code") or ""),
                "epci_nom": str(epci.get("nom") or ""),
                "population": props["population"],
                "surface_ha": props.get("surface"),
                "mairie_lon": coords[0] if coords else None,
                "mairie_lat": coords[1] if coords else None,
                "geometry": feature["geometry"],
            }
        )
    if bad:
        raise ValidationError(
            f"features without code, name, population or geometry: {format_rows(bad)}.",
            field=path_text,
            fix="request fields nom,code,population,mairie,contour from /communes.",
        )
    return pd.DataFrame(rows)


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
    from shapely.geometry import shape

    deps = list(dict.fromkeys(str(d).strip().upper().zfill(2) for d in departments))
    bad = [d for d in deps if not DEPARTMENT_PATTERN.fullmatch(d)]
    if bad:
        raise ValidationError(
            f"not department code(s): {format_rows(bad)}.",
            field="departments",
            fix="use codes such as 19, 23, 2A or 971.",
        )
    frames = []
    for dep in deps:
        source = resolve("communes", dep=dep)
        try:
            raw = json.loads(source.path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValidationError(
                f"is not valid GeoJSON ({exc}).",
                field=str(source.path),
                fix="re-download it (accessmap fetch --online) or restore the mirror file.",
            ) from None
        frames.append(_parse_features(str(source.path), raw, dep))
        if provenance is not None:
            provenance.append(source)
    table = pd.concat(frames, ignore_index=True)
    try:
        geometry = [shape(g) for g in table.pop("geometry")]
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ValidationError(
            f"has an invalid geometry ({exc}).", field="communes.geometry", fix="fix the GeoJSON."
        ) from None
    frame = gpd.GeoDataFrame(table, geometry=geometry, crs="EPSG:4326")
    return _finish(frame)


def _finish(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Validate and complete a communes frame (shared by the loader and territory builders)."""
    dup = frame.loc[frame["code"].duplicated(keep=False), "code"].unique()
    if len(dup):
        raise ValidationError(
            f"duplicate commune codes {format_rows(dup)}.",
            field="communes.code",
            fix="keep one row per INSEE code.",
        )
    population = pd.to_numeric(frame["population"], errors="coerce")
    negative = frame.loc[population.isna() | (population < 0), "code"]
    if len(negative):
        raise ValidationError(
            f"missing or negative population for {format_rows(negative)}.",
            field="communes.population",
            fix="use the population légale (a count >= 0).",
        )
    frame["population"] = population.astype("int64")
    metric = frame.geometry.to_crs("EPSG:2154")
    surface = pd.to_numeric(frame.get("surface_ha"), errors="coerce")
    area = (surface / 100.0).where(surface.notna(), metric.area / 1e6)
    frame["area_km2"] = area.astype(float)
    frame["density"] = frame["population"] / frame["area_km2"].where(frame["area_km2"] > 0)
    inside = frame.geometry.representative_point()
    lon = pd.to_numeric(frame["mairie_lon"], errors="coerce")
    lat = pd.to_numeric(frame["mairie_lat"], errors="coerce")
    halls = gpd.GeoSeries(gpd.points_from_xy(lon.fillna(0.0), lat.fillna(0.0)), crs="EPSG:4326")
    offset = halls.to_crs("EPSG:2154").distance(metric.reset_index(drop=True)).to_numpy()
    moved = lon.isna().to_numpy() | lat.isna().to_numpy() | (offset > MAIRIE_TOLERANCE_M)
    if moved.any():
        warnings.warn(
            f"{int(moved.sum())} point(s) de mairie absent(s) ou à plus de "
            f"{MAIRIE_TOLERANCE_M / 1000:g} km de leur commune, remplacé(s) par un point "
            f"intérieur : {format_rows(frame.loc[moved, 'code'])} (colonne mairie_moved).",
            stacklevel=3,
        )
    frame["mairie_lon"] = np.where(moved, inside.x, lon).astype(float)
    frame["mairie_lat"] = np.where(moved, inside.y, lat).astype(float)
    frame["mairie_moved"] = moved
    for col in ("epci", "epci_nom"):
        if col not in frame.columns:
            frame[col] = ""
    return frame[list(COMMUNE_COLUMNS)].sort_values("code").reset_index(drop=True)


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
