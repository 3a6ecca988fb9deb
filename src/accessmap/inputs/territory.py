"""Load a territory from a specification: the one place that reads communes for a territory.

:mod:`accessmap.territory` is pure (it builds a territory from a communes table); this module
decides what to read (which departments, which neighbours for the study buffer) and reads it
through :mod:`accessmap.sources`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from accessmap.errors import MissingDataError, OfflineError, ValidationError, format_rows
from accessmap.territory import (
    DEPARTMENT_NEIGHBOURS,
    GEO_CRS,
    PRESETS,
    Territory,
    build_territory,
    clean_codes,
)

if TYPE_CHECKING:
    import geopandas as gpd

    from accessmap.sources import SourceFile

__all__ = ["load_territory"]

#: Spellings of "every commune of metropolitan France" and of departments lists.
FRANCE = "france"
_DEPARTMENTS_PREFIX = "dep:"
_POLYGON_SUFFIXES = {".geojson", ".gpkg", ".shp", ".json", ".parquet"}


def _load_with_neighbours(
    departments: Iterable[str], buffer_km: float, provenance: list[SourceFile] | None
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Load departments and, when a buffer is wanted, whichever neighbours are available."""
    import geopandas as gpd

    from accessmap.sources import load_communes

    core = sorted(set(departments))
    frames = [load_communes(core, provenance=provenance)]
    missing: list[str] = []
    if buffer_km > 0:
        neighbours = sorted(
            set().union(*(DEPARTMENT_NEIGHBOURS.get(d, frozenset()) for d in core)) - set(core)
        )
        for dep in neighbours:
            try:
                frames.append(load_communes([dep], provenance=provenance))
            except OfflineError:
                missing.append(dep)
    table = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(table, geometry="geometry", crs=GEO_CRS), missing


def _preset(name: str, buffer_km: float, provenance: list[SourceFile] | None) -> Territory:
    preset = PRESETS[name]
    communes, missing = _load_with_neighbours(preset.departments, buffer_km, provenance)
    pool = communes[communes["dep"].isin(preset.departments)]
    core = build_territory(
        pool, nearest_to=preset.centre, n_nearest=preset.n_communes, buffer_km=0,
        name=preset.name, rule=preset.rule,
    )  # fmt: skip
    return build_territory(
        communes, codes=core.codes, buffer_km=buffer_km, name=preset.name, rule=preset.rule,
        missing_departments=missing,
    )  # fmt: skip


def _departments(
    departments: list[str], buffer_km: float, provenance: list[SourceFile] | None, *, name: str
) -> Territory:
    communes, missing = _load_with_neighbours(departments, buffer_km, provenance)
    wanted = set(departments)
    codes = [c for c, d in zip(communes["code"], communes["dep"], strict=True) if d in wanted]
    rule = f"Toutes les communes des départements {', '.join(departments)}."
    return build_territory(
        communes, codes=codes, buffer_km=buffer_km, name=name, rule=rule,
        missing_departments=missing,
    )  # fmt: skip


def _polygon(path: Path, buffer_km: float, provenance: list[SourceFile] | None) -> Territory:
    import geopandas as gpd

    if not path.is_file():
        raise MissingDataError(f"{path} does not exist.", field="polygon", fix="check the path.")
    polygon = gpd.read_parquet(path) if path.suffix.lower() == ".parquet" else gpd.read_file(path)
    if polygon.crs is None:
        raise ValidationError("the polygon has no CRS.", field=str(path), fix="set its CRS.")
    departments = _departments_touching(polygon)
    communes, missing = _load_with_neighbours(departments, buffer_km, provenance)
    return build_territory(
        communes, polygon=polygon, buffer_km=buffer_km, missing_departments=missing
    )


def _codes(
    codes: list[str], buffer_km: float, provenance: list[SourceFile] | None, *, rule: str | None
) -> Territory:
    from accessmap.sources import department_of

    bad_dep = []
    for code in codes:
        try:
            department_of(code)
        except ValidationError:
            bad_dep.append(code)
    if bad_dep:
        raise ValidationError(
            f"unknown INSEE code(s) {format_rows(bad_dep)} (no such department).",
            field="--territory",
            fix="check the codes against the official geographic code (COG).",
        )
    departments = sorted({department_of(c) for c in codes})
    communes, missing = _load_with_neighbours(departments, buffer_km, provenance)
    return build_territory(
        communes, codes=codes, buffer_km=buffer_km, rule=rule, missing_departments=missing
    )


def load_territory(
    spec: str,
    *,
    buffer_km: float = 30.0,
    provenance: list[SourceFile] | None = None,
) -> Territory:
    """Load a territory from a specification, reading communes through :mod:`accessmap.sources`.

    Parameters
    ----------
    spec
        One of: a preset name (:data:`accessmap.territory.PRESETS`); ``france`` (every commune
        of the departments available); ``dep:19,23,87`` (every commune of these departments);
        ``epci:CODE[,CODE...]`` (EPCI SIREN codes; their departments must be given as
        ``epci:CODE@19,23`` when offline); a path to a codes file (``.txt`` one code per line, or
        ``.csv`` with a ``code`` column); a path to a polygon file (``.geojson``, ``.gpkg``,
        ``.shp``); or comma-separated INSEE codes.
    buffer_km
        Width of the study buffer.
    provenance
        When given, every source file read is appended.

    Returns
    -------
    Territory
        The territory and its buffer.

    Raises
    ------
    ValidationError
        Empty specification, unknown preset, malformed or unknown codes, empty selection.
    OfflineError
        Communes of a territory department are not available.
    """
    from accessmap.sources import read_codes_file

    text = spec.strip()
    if not text or not text.strip(","):
        raise ValidationError(
            "the territory is empty.",
            field="--territory",
            fix=f"give a preset ({', '.join(PRESETS)}), INSEE codes, a file or dep:19,23.",
        )
    if buffer_km < 0 or buffer_km > 200:
        raise ValidationError(
            f"{buffer_km:g} km.", field="--buffer-km", fix="give a width between 0 and 200 km."
        )
    if text in PRESETS:
        return _preset(text, buffer_km, provenance)
    lowered = text.lower()
    if lowered == FRANCE or lowered.startswith(_DEPARTMENTS_PREFIX):
        deps = (
            _mirror_departments()
            if lowered == FRANCE
            else [d.strip().upper().zfill(2) for d in text[4:].split(",") if d.strip()]
        )
        name = "France" if lowered == FRANCE else "Départements " + ", ".join(deps)
        return _departments(deps, buffer_km, provenance, name=name)
    if lowered.startswith("epci:"):
        body, _, at = text[5:].partition("@")
        epcis = [e for e in body.split(",") if e.strip()]
        departments = [d.strip() for d in at.split(",") if d.strip()] or _mirror_departments()
        communes, missing = _load_with_neighbours(departments, buffer_km, provenance)
        return build_territory(
            communes, epci=epcis, buffer_km=buffer_km, missing_departments=missing
        )
    path = Path(text)
    suffix = path.suffix.lower()
    if suffix in _POLYGON_SUFFIXES:
        return _polygon(path, buffer_km, provenance)
    if suffix in {".txt", ".csv"}:
        codes = clean_codes(read_codes_file(path), what=str(path))
        return _codes(codes, buffer_km, provenance, rule=f"Codes INSEE du fichier {path.name}.")
    if not any(ch.isdigit() for ch in text):
        raise ValidationError(
            f"{text!r} is not a preset, a file or a list of codes.",
            field="--territory",
            fix=f"use a preset ({', '.join(PRESETS)}), codes like 19031,23096, or a file.",
        )
    return _codes(
        clean_codes(text.split(","), what="--territory"), buffer_km, provenance, rule=None
    )


def _mirror_departments() -> list[str]:
    from accessmap.sources import available_departments

    found = available_departments()
    if not found:
        raise MissingDataError(
            "no department is available to look the communes up.",
            field="--territory",
            fix="name the departments (epci:CODE@19,23) or use --mirror DIR.",
        )
    return found


def _departments_touching(polygon: gpd.GeoDataFrame) -> list[str]:
    """Departments of the mirror/cache whose communes meet the polygon."""
    from accessmap.sources import load_communes

    area = polygon.to_crs(GEO_CRS).union_all()
    hits = []
    for dep in _mirror_departments():
        frame = load_communes([dep])
        if frame.intersects(area).any():
            hits.append(dep)
    if not hits:
        raise ValidationError(
            "the polygon meets no commune of the available departments.",
            field="polygon",
            fix="check its CRS and location, or add its departments to the mirror.",
        )
    return hits
