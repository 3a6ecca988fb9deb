"""Load a territory from a specification: the one place that reads communes for a territory.

:mod:`accessmap.territory` is pure (it builds a territory from a communes table); this module
decides what to read (which departments, which neighbours for the study buffer) and reads it
through :mod:`accessmap.sources`.

A specification (``--territory``) is parsed by one registry of kinds (:class:`TerritoryKind`:
its syntax, a French help line, how it is recognised, its loader), tried in order: a preset,
``france``, ``dep:19,23,87``, ``epci:CODE[,CODE][@DEP,DEP]``, a polygon file, a codes file, a
list of INSEE codes. :func:`territory_kinds` lists them and :func:`territory_help` is the French
line a help text shows; :func:`register_territory_kind` adds one.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from accessmap._registry import Registry
from accessmap.errors import MissingDataError, ValidationError
from accessmap.inputs.areas import load_with_neighbours as _load_with_neighbours
from accessmap.inputs.parks import PARK_PREFIX, load_park_territory
from accessmap.messages import muted
from accessmap.sources._once import once
from accessmap.territory import (
    GEO_CRS,
    PRESETS,
    Territory,
    as_given,
    build_territory,
    clean_codes,
)

if TYPE_CHECKING:
    import geopandas as gpd

    from accessmap.sources import SourceFile

__all__ = [
    "TerritoryKind",
    "find_territory_kind",
    "load_territory",
    "register_territory_kind",
    "registered_territory_kind",
    "territory_help",
    "territory_kinds",
    "unregister_territory_kind",
]

#: Spellings of "every commune of metropolitan France" and of departments lists.
FRANCE = "france"
_DEPARTMENTS_PREFIX = "dep:"
_EPCI_PREFIX = "epci:"
_POLYGON_SUFFIXES = (".geojson", ".gpkg", ".shp", ".json", ".parquet")
_CODES_SUFFIXES = (".txt", ".csv")
#: Widest study buffer accepted (km).
MAX_BUFFER_KM = 200.0

#: ``loader(spec, buffer_km, provenance) -> Territory``.
Loader = Callable[[str, float, "list[SourceFile] | None"], Territory]


@dataclass(frozen=True, slots=True)
class TerritoryKind:
    """One kind of territory specification accepted by :func:`load_territory` (``--territory``).

    Attributes
    ----------
    name
        Registry key (``preset``, ``france``, ``departments``, ``epci``, ``polygon``,
        ``codes_file``, ``codes``).
    syntax
        How it is written, as a help text shows it (``dep:19,23,87``).
    help
        What it selects, one short French line.
    matches
        Whether a (stripped) specification is of this kind; kinds are tried in registry order.
    load
        ``load(spec, buffer_km, provenance) -> Territory``.
    prefix
        The case-insensitive prefix that announces it (``dep:``), empty when it has none.
    """

    name: str
    syntax: str
    help: str
    matches: Callable[[str], bool]
    load: Loader
    prefix: str = ""


def _preset(name: str, buffer_km: float, provenance: list[SourceFile] | None) -> Territory:
    preset = PRESETS[name]
    if preset.park is not None:  # the park's communes, nearest the centre when a count is set
        nearest = None if preset.n_communes is None else (preset.centre, preset.n_communes)
        return load_park_territory(
            preset.park, buffer_km=buffer_km, provenance=provenance, nearest=nearest,
            name=preset.name, rule=preset.rule, departments=preset.departments,
        )  # fmt: skip
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


def _check_declared_crs(path: Path) -> None:
    """Refuse a GeoJSON ``crs`` member pyproj does not know (GDAL would read it as WGS84)."""
    import json

    import pyproj

    if path.suffix.lower() not in {".geojson", ".json"}:
        return
    try:
        name = json.loads(path.read_text(encoding="utf-8"))["crs"]["properties"]["name"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return
    try:
        pyproj.CRS.from_user_input(name)
    except pyproj.exceptions.CRSError:
        raise ValidationError("inputs.polygon_unknown_crs", field=path.name, crs=name) from None


def _read_polygon(path: Path) -> gpd.GeoDataFrame:
    """Read a polygon file; refuse what is not a readable file of valid polygons in a known CRS."""
    import geopandas as gpd
    import pyproj

    try:
        frame = gpd.read_parquet(path) if path.suffix.lower() == ".parquet" else gpd.read_file(path)
    except (OSError, ValueError, RuntimeError, pyproj.exceptions.CRSError):
        # The reader's own message is in English: name the file and what it should be.
        raise ValidationError("inputs.polygon_unreadable", field=path.name) from None
    _check_declared_crs(path)
    kinds = sorted(set(frame.geom_type.dropna()) - {"Polygon", "MultiPolygon"})
    if kinds or frame.empty:
        raise ValidationError(
            "inputs.polygon_not_polygon", field=path.name, kinds=kinds or ["vide"]
        )
    if not bool(frame.is_valid.all()):
        raise ValidationError("inputs.polygon_invalid", field=path.name)
    return frame


def _polygon(path: Path, buffer_km: float, provenance: list[SourceFile] | None) -> Territory:

    if not path.is_file():
        raise MissingDataError("territory.spec_polygon_missing", field="polygon", path=path)
    polygon = _read_polygon(path)
    if polygon.crs is None:
        raise ValidationError("territory.spec_polygon_no_crs", field=str(path), path=path)
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
            "territory.spec_unknown_departments",
            field="--territory",
            codes=as_given(bad_dep, among=codes),
        )
    departments = sorted({department_of(c) for c in codes})
    communes, missing = _load_with_neighbours(departments, buffer_km, provenance)
    return build_territory(
        communes, codes=codes, buffer_km=buffer_km, rule=rule, missing_departments=missing
    )


def _load_park(spec: str, buffer_km: float, provenance: list[SourceFile] | None) -> Territory:
    return load_park_territory(spec[len(PARK_PREFIX) :], buffer_km=buffer_km, provenance=provenance)


def _load_preset(spec: str, buffer_km: float, provenance: list[SourceFile] | None) -> Territory:
    return _preset(spec, buffer_km, provenance)


def _load_france(spec: str, buffer_km: float, provenance: list[SourceFile] | None) -> Territory:
    del spec
    return _departments(_mirror_departments(), buffer_km, provenance, name="France")


def _load_departments(
    spec: str, buffer_km: float, provenance: list[SourceFile] | None
) -> Territory:
    body = spec[len(_DEPARTMENTS_PREFIX) :]
    deps = [d.strip().upper().zfill(2) for d in body.split(",") if d.strip()]
    name = "Départements " + ", ".join(deps)
    return _departments(deps, buffer_km, provenance, name=name)


def _load_epci(spec: str, buffer_km: float, provenance: list[SourceFile] | None) -> Territory:
    body, _, at = spec[len(_EPCI_PREFIX) :].partition("@")
    epcis = [e for e in body.split(",") if e.strip()]
    departments = [d.strip() for d in at.split(",") if d.strip()]
    if not departments:
        from accessmap.sources.epci_index import epci_departments

        # the index (built once from the communes files, cached) instead of reading them all
        departments = epci_departments(epcis) or _mirror_departments()
    communes, missing = _load_with_neighbours(departments, buffer_km, provenance)
    return build_territory(communes, epci=epcis, buffer_km=buffer_km, missing_departments=missing)


def _load_polygon(spec: str, buffer_km: float, provenance: list[SourceFile] | None) -> Territory:
    return _polygon(Path(spec), buffer_km, provenance)


def _load_codes_file(spec: str, buffer_km: float, provenance: list[SourceFile] | None) -> Territory:
    from accessmap.sources import read_codes_file

    path = Path(spec)
    codes = clean_codes(read_codes_file(path), what=str(path))
    return _codes(codes, buffer_km, provenance, rule=f"Codes INSEE du fichier {path.name}.")


def _load_codes(spec: str, buffer_km: float, provenance: list[SourceFile] | None) -> Territory:
    codes = clean_codes(spec.split(","), what="--territory")
    return _codes(codes, buffer_km, provenance, rule=None)


def _prefixed(prefix: str) -> Callable[[str], bool]:
    """Matcher of the specifications starting with ``prefix`` (any case)."""

    def matches(spec: str) -> bool:
        return spec.lower().startswith(prefix)

    return matches


def _suffixed(suffixes: tuple[str, ...]) -> Callable[[str], bool]:
    """Matcher of the file paths ending with one of ``suffixes`` (any case)."""

    def matches(spec: str) -> bool:
        return Path(spec).suffix.lower() in suffixes

    return matches


def _is_preset(spec: str) -> bool:
    return spec in PRESETS


def _is_france(spec: str) -> bool:
    return spec.lower() == FRANCE


def _has_digits(spec: str) -> bool:
    return any(ch.isdigit() for ch in spec)


def _builtin_kinds() -> tuple[TerritoryKind, ...]:
    presets = ", ".join(PRESETS)
    return (
        TerritoryKind("preset", presets, "un territoire préréglé", _is_preset, _load_preset),
        TerritoryKind(
            "france", FRANCE, "toutes les communes des départements disponibles",
            _is_france, _load_france,
        ),
        TerritoryKind(
            "departments", f"{_DEPARTMENTS_PREFIX}19,23,87",
            "toutes les communes de ces départements",
            _prefixed(_DEPARTMENTS_PREFIX), _load_departments, prefix=_DEPARTMENTS_PREFIX,
        ),
        TerritoryKind(
            "park", f"{PARK_PREFIX}FR8000045 ou {PARK_PREFIX}NOM",
            "les communes d'un parc naturel régional (au moins la moitié de leur surface dans "
            "son périmètre)",
            _prefixed(PARK_PREFIX), _load_park, prefix=PARK_PREFIX,
        ),
        TerritoryKind(
            "epci", f"{_EPCI_PREFIX}CODE[,CODE][@DEP,DEP]",
            "les communes de ces EPCI, codes SIREN (hors ligne, leurs départements après @)",
            _prefixed(_EPCI_PREFIX), _load_epci, prefix=_EPCI_PREFIX,
        ),
        TerritoryKind(
            "polygon", "FICHIER" + ", ".join(_POLYGON_SUFFIXES),
            "les communes dont la mairie est dans ce polygone, doté d'un système de coordonnées",
            _suffixed(_POLYGON_SUFFIXES), _load_polygon,
        ),
        TerritoryKind(
            "codes_file", "FICHIER" + ", ".join(_CODES_SUFFIXES),
            "des codes INSEE, un par ligne (.txt) ou en colonne code (.csv)",
            _suffixed(_CODES_SUFFIXES), _load_codes_file,
        ),
        TerritoryKind(
            "codes", "19031,23096", "des codes INSEE séparés par des virgules",
            _has_digits, _load_codes,
        ),
    )  # fmt: skip


_KINDS: Registry[TerritoryKind] = Registry("territory kind", _builtin_kinds())


def territory_kinds() -> tuple[TerritoryKind, ...]:
    """Every kind of territory specification, in the order they are tried.

    Returns
    -------
    tuple of TerritoryKind
    """
    return _KINDS.values()


def territory_help() -> str:
    """French line listing the territory specifications for a help text.

    Returns
    -------
    str
        ``montagne-limousine : un territoire préréglé ; france : ... ; dep:19,23,87 : ...``
    """
    return _forms() + "."


def _forms() -> str:
    return " ; ".join(f"{kind.syntax} : {kind.help}" for kind in _KINDS.values())


def find_territory_kind(spec: str) -> TerritoryKind | None:
    """Return the first kind whose matcher accepts ``spec`` (stripped), or ``None``.

    Parameters
    ----------
    spec
        A territory specification.

    Returns
    -------
    TerritoryKind or None
    """
    text = spec.strip()
    return next((kind for kind in _KINDS.values() if kind.matches(text)), None)


def register_territory_kind(
    kind: TerritoryKind, *, before: str | None = None, replace: bool = False
) -> TerritoryKind:
    """Add a kind of territory specification.

    Parameters
    ----------
    kind
        The kind.
    before
        Name of the kind it must be tried before (default: the end; the catch-all ``codes``
        kind is only tried on specifications with digits).
    replace
        Replace a kind already registered under that name (its place kept).

    Returns
    -------
    TerritoryKind
        ``kind``.

    Raises
    ------
    ValueError
        The name is taken (and ``replace`` is false).
    KeyError
        ``before`` names no kind.
    """
    return _KINDS.register(kind, before=before, replace=replace)


def unregister_territory_kind(name: str) -> TerritoryKind:
    """Remove a kind of territory specification.

    Parameters
    ----------
    name
        Its name.

    Returns
    -------
    TerritoryKind
        The removed entry.

    Raises
    ------
    KeyError
        No kind of that name.
    """
    return _KINDS.unregister(name)


def registered_territory_kind(
    kind: TerritoryKind, *, before: str | None = None
) -> AbstractContextManager[TerritoryKind]:
    """Register ``kind`` for the duration of a ``with`` block (tests, notebooks).

    Parameters
    ----------
    kind
        The kind.
    before
        See :func:`register_territory_kind`.

    Returns
    -------
    contextlib.AbstractContextManager
        Yields ``kind``; removes it on exit.
    """
    return _KINDS.registered(kind, before=before)


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
        One of the kinds of :func:`territory_kinds`, tried in order: a preset name
        (:data:`accessmap.territory.PRESETS`); ``france`` (every commune of the departments
        available); ``dep:19,23,87`` (every commune of these departments);
        ``epci:CODE[,CODE...]`` (EPCI SIREN codes; their departments must be given as
        ``epci:CODE@19,23`` when offline); a path to a polygon file (``.geojson``, ``.gpkg``,
        ``.shp``, ``.json``, ``.parquet``); a path to a codes file (``.txt`` one code per line, or
        ``.csv`` with a ``code`` column); or comma-separated INSEE codes.
    buffer_km
        Width of the study buffer (0 to :data:`MAX_BUFFER_KM`).
    provenance
        When given, every source file read is appended.

    Returns
    -------
    Territory
        The territory and its buffer.

    Raises
    ------
    ValidationError
        Empty or unrecognised specification, malformed or unknown codes, empty selection,
        buffer out of range.
    OfflineError
        Communes of a territory department are not available.
    """
    text = spec.strip()
    if not text or not text.strip(","):
        raise ValidationError(
            "territory.spec_empty",
            field="--territory",
            forms=" ; ".join(kind.syntax for kind in _KINDS.values()),
        )
    if buffer_km < 0 or buffer_km > MAX_BUFFER_KM:
        raise ValidationError(
            "territory.spec_buffer", field="--buffer-km", buffer_km=buffer_km, max_km=MAX_BUFFER_KM
        )
    kind = find_territory_kind(text)
    if kind is None:
        raise ValidationError(
            "territory.spec_unknown",
            field="--territory",
            spec=text,
            forms=" ; ".join(kind.syntax for kind in _KINDS.values()),
        )
    # once per run: the checks before a run, the run and its calibration share one territory
    territory, read = once(
        ("territory", text, float(buffer_km)), partial(_load, kind, text, buffer_km)
    )
    if provenance is not None:
        provenance.extend(read)
    return territory


def _load(kind: TerritoryKind, text: str, buffer_km: float) -> tuple[Territory, list[SourceFile]]:
    """Load a territory of a kind, with the records of the files read."""
    read: list[SourceFile] = []
    return kind.load(text, buffer_km, read), read


def _mirror_departments() -> list[str]:
    from accessmap.sources import available_departments

    found = available_departments()
    if not found:
        raise MissingDataError("territory.spec_no_departments", field="--territory")
    return found


def _departments_touching(polygon: gpd.GeoDataFrame) -> list[str]:
    """Departments of the mirror/cache whose communes meet the polygon."""
    from accessmap.sources import load_communes

    area = polygon.to_crs(GEO_CRS).union_all()
    hits = []
    with muted("sources.town_halls_moved"):  # said for the study area (build_territory)
        for dep in _mirror_departments():
            frame = load_communes([dep])
            if frame.intersects(area).any():
                hits.append(dep)
    if not hits:
        raise ValidationError("territory.spec_polygon_outside", field="polygon")
    return hits
