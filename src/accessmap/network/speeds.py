"""Edge speeds: OSM ``maxspeed`` parsing, the French rural speed table, winter factors.

Each edge gets its OSM ``maxspeed`` when tagged (:func:`parse_maxspeed` reads ``"50"``,
``"50 mph"``, ``"FR:rural"``, ``"50;70"``...), else the French rural speed of its ``highway`` class
(:data:`RURAL_SPEEDS_KMH`), times a winter factor by class when ``winter`` is on
(:data:`WINTER_FACTORS`). A newcomer looking for "a road speed" finds it here.

References
----------
OpenStreetMap wiki, "Key:maxspeed" and "Default speed limits" (France).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from accessmap.errors import ValidationError
from accessmap.settings import get_settings

__all__ = [
    "DEFAULT_SPEED_KMH",
    "DEFAULT_WINTER_FACTOR",
    "IMPLICIT_MAXSPEEDS_KMH",
    "RURAL_SPEEDS_KMH",
    "WINTER_FACTORS",
    "edge_speeds",
    "parse_maxspeed",
]

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


_SPEED_PATTERN = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*(km/h|kmh|kph|mph|knots)?\s*$", re.I)


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
        return _mean_speed(value)
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        return number if math.isfinite(number) and number > 0 else math.nan
    text = str(value).strip()
    parts = [p for p in re.split(r"[;|]", text) if p.strip()]
    if len(parts) > 1:
        return _mean_speed(parts)
    return _parse_text(text)


def _mean_speed(values: Iterable[object]) -> float:
    """Mean of the readable speeds of several values (``nan`` when none is readable)."""
    speeds = [s for s in (parse_maxspeed(v) for v in values) if not math.isnan(s)]
    return float(np.mean(speeds)) if speeds else math.nan


def _parse_text(text: str) -> float:
    """One textual ``maxspeed``: a number with an optional unit, or an implicit value."""
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


#: Rank of each class in the road hierarchy (the order of :data:`RURAL_SPEEDS_KMH`).
_CLASS_RANK: Mapping[str, int] = {name: rank for rank, name in enumerate(RURAL_SPEEDS_KMH)}


def _highway_class(value: object) -> str:
    """One ``highway`` class per edge: of a merged chain's list, the highest in the hierarchy.

    osmnx lists a merged chain's distinct classes in ``set`` order, which changes from run to run
    (string hashing): its "first of the list" would give an edge another speed in another run.
    The highest class of the road hierarchy (:data:`RURAL_SPEEDS_KMH`'s order, then by name) is
    the same in every run and whatever the list's order.
    """
    if isinstance(value, list | tuple):
        ranked = sorted(
            (str(v) for v in value), key=lambda c: (_CLASS_RANK.get(c, len(_CLASS_RANK)), c)
        )
        value = ranked[0] if ranked else None
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
        raise ValidationError("network.no_highway_column", field="highway")
    table, default_speed = _by_class(
        RURAL_SPEEDS_KMH,
        DEFAULT_SPEED_KMH,
        speeds,
        upper=math.inf,
        field="speeds",
    )
    factors, default_factor = _by_class(
        WINTER_FACTORS,
        DEFAULT_WINTER_FACTOR,
        winter_factors,
        upper=1.0,
        field="winter_factors",
    )
    use_winter = _resolve_winter(winter)
    highway = pd.Series(_map_unique(edges["highway"], _highway_class), index=edges.index)
    if "maxspeed" in edges.columns:
        tagged = pd.Series(
            _map_unique(edges["maxspeed"], parse_maxspeed), index=edges.index, dtype=float
        )
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


def _map_unique(values: Iterable[Any], fn: Callable[[Any], Any]) -> list[Any]:
    """``[fn(v) for v in values]``, calling ``fn`` once per distinct value (lists as tuples)."""
    column = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    try:
        codes, uniques = pd.factorize(column.astype(object), use_na_sentinel=False)
    except TypeError:  # unhashable values (osmnx lists on merged edges): one by one
        return _map_each(column, fn)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [fn(value) for value in uniques]
    return list(mapped[codes])


def _map_each(values: Iterable[Any], fn: Callable[[Any], Any]) -> list[Any]:
    """``[fn(v) for v in values]`` with a cache keyed by value (lists as tuples)."""
    done: dict[Hashable, Any] = {}
    out = []
    for value in values:
        key = tuple(value) if isinstance(value, list) else value
        try:
            out.append(done[key])
        except KeyError:
            out.append(done.setdefault(key, fn(value)))
        except TypeError:  # unhashable values other than lists
            out.append(fn(value))
    return out


def _by_class(
    base: Mapping[str, float],
    default: float,
    overrides: Mapping[str, float] | None,
    *,
    upper: float,
    field: str,
) -> tuple[dict[str, float], float]:
    """Merge per-class overrides (key ``"default"`` for the fallback) into a base table."""
    table = dict(base)
    for key, value in (overrides or {}).items():
        number = float(value)
        if not (math.isfinite(number) and 0 < number <= upper):
            if field == "speeds":
                raise ValidationError("network.bad_speed", field=field, key=key, value=number)
            raise ValidationError("network.bad_winter_factor", field=field, key=key, value=number)
        if key == "default":
            default = number
        else:
            table[key] = number
    return table, default


def _resolve_winter(winter: bool | None) -> bool:
    if winter is not None:
        return bool(winter)
    return get_settings().winter
