"""Territories: a set of communes, their study buffer, and who lives there.

A territory is a set of communes (INSEE codes, as strings) with polygons, population, town-hall
points, area, density, EPCI and department, plus a **study buffer**: the communes within
``buffer_km`` (default 30 km) of the territory, whose GPs count for residents near its border.

Define one by a list of codes, a file of codes, a polygon, EPCI codes, or a named preset
(:data:`PRESETS`). Everything here is pure (:func:`build_territory` takes a communes
GeoDataFrame); :func:`accessmap.inputs.load_territory` reads the communes and calls it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from accessmap.contracts import isin_codes
from accessmap.conventions import MAIRIE_TOLERANCE_M
from accessmap.errors import ValidationError
from accessmap.messages import Message, warn

__all__ = [
    "DEPARTMENT_NEIGHBOURS",
    "GEO_CRS",
    "METRIC_CRS",
    "PRESETS",
    "Preset",
    "Territory",
    "build_territory",
    "clean_codes",
    "department_outlines",
    "points",
    "summary",
    "summary_dict",
]

GEO_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:2154"


@dataclass(frozen=True, slots=True)
class Preset:
    """A named territory defined by a rule.

    Attributes
    ----------
    name
        Preset name used on the command line.
    title
        Human title (French).
    departments
        Departments the communes are drawn from (with ``park``: the departments the park lies
        in, where its communes are looked for; a test checks them against the park's polygon).
    centre
        ``(lon, lat)`` of the centre, EPSG:4326.
    n_communes
        How many communes, by increasing distance of their town hall to the centre (Lambert-93);
        ``None``: every commune of the pool (with ``park``: the park's communes).
    rule
        The rule in words, shown in reports.
    park
        Code of a regional natural park (``FR8000045``): the pool is the park's communes (at least
        half their area in its polygon, :mod:`accessmap.parks`) instead of the departments', and
        the territory keeps the park's outline.
    """

    name: str
    title: str
    departments: tuple[str, ...]
    centre: tuple[float, float]
    n_communes: int | None
    rule: str
    park: str | None = None


PRESETS: dict[str, Preset] = {
    "montagne-limousine": Preset(
        name="montagne-limousine",
        title="Montagne limousine (PNR de Millevaches en Limousin)",
        departments=("19", "23", "87"),
        centre=(2.0258, 45.6673),
        n_communes=97,
        rule=str(Message("territory.rule_montagne_limousine")),
        park="FR8000045",
    ),
    "pnr-millevaches": Preset(
        name="pnr-millevaches",
        title="PNR de Millevaches en Limousin (périmètre du parc)",
        departments=("19", "23", "87"),
        centre=(2.0258, 45.6673),
        n_communes=None,
        rule=str(Message("territory.rule_pnr_millevaches")),
        park="FR8000045",
    ),
}

_RAW_NEIGHBOURS: dict[str, str] = {
    "01": "38 39 69 71 73 74", "02": "08 51 59 60 77 80", "03": "18 23 42 58 63 71",
    "04": "05 06 26 83 84", "05": "04 26 38 73", "06": "04 83", "07": "26 30 38 42 43 48 84",
    "08": "02 51 55", "09": "11 31 66", "10": "21 51 52 77 89", "11": "09 31 34 66 81",
    "12": "15 30 34 46 48 81 82", "13": "30 83 84", "14": "27 50 61",
    "15": "12 19 43 46 48 63", "16": "17 24 79 86 87", "17": "16 24 33 79 85",
    "18": "03 23 36 41 45 58", "19": "15 23 24 46 63 87", "21": "10 39 52 58 70 71 89",
    "22": "29 35 56", "23": "03 18 19 36 63 87", "24": "16 17 19 33 46 47 87",
    "25": "39 70 90", "26": "04 05 07 38 84", "27": "14 28 60 61 76 78 95",
    "28": "27 41 45 61 72 78 91", "29": "22 56", "2A": "2B", "2B": "2A",
    "30": "07 12 13 34 48 84", "31": "09 11 32 65 81 82", "32": "31 40 47 64 65 82",
    "33": "17 24 40 47", "34": "11 12 30 81", "35": "22 44 49 50 53 56",
    "36": "18 23 37 41 86 87", "37": "36 41 49 72 86", "38": "01 05 07 26 42 69 73",
    "39": "01 21 25 70 71", "40": "32 33 47 64", "41": "18 28 36 37 45 72",
    "42": "03 07 38 43 63 69 71", "43": "07 15 42 48 63", "44": "35 49 56 85",
    "45": "18 28 41 58 77 89 91", "46": "12 15 19 24 47 82", "47": "24 32 33 40 46 82",
    "48": "07 12 15 30 43", "49": "35 37 44 53 72 79 85 86", "50": "14 35 53 61",
    "51": "02 08 10 52 55 77", "52": "10 21 51 55 70 88", "53": "35 49 50 61 72",
    "54": "55 57 67 88", "55": "08 51 52 54 88", "56": "22 29 35 44", "57": "54 67",
    "58": "03 18 21 45 71 89", "59": "02 62 80", "60": "02 27 76 77 80 95",
    "61": "14 27 28 50 53 72", "62": "59 80", "63": "03 15 19 23 42 43", "64": "32 40 65",
    "65": "31 32 64", "66": "09 11", "67": "54 57 68 88", "68": "67 88 90",
    "69": "01 38 42 71", "70": "21 25 39 52 88 90", "71": "01 03 21 39 42 58 69",
    "72": "28 37 41 49 53 61", "73": "01 05 38 74", "74": "01 73", "75": "92 93 94",
    "76": "27 60 80", "77": "02 10 45 51 60 89 91 93 94 95", "78": "27 28 91 92 95",
    "79": "16 17 49 85 86", "80": "02 59 60 62 76", "81": "11 12 31 34 82",
    "82": "12 31 32 46 47 81", "83": "04 06 13 84", "84": "04 07 13 26 30 83",
    "85": "17 44 49 79", "86": "16 36 37 49 79 87", "87": "16 19 23 24 36 86",
    "88": "52 54 55 67 68 70 90", "89": "10 21 45 58 77", "90": "25 68 70 88",
    "91": "28 45 77 78 92 94", "92": "75 78 91 93 94 95", "93": "75 77 92 94 95",
    "94": "75 77 91 92 93", "95": "27 60 77 78 92 93",
}  # fmt: skip


def _symmetric(raw: dict[str, str]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {k: set(v.split()) for k, v in raw.items()}
    for dep, neighbours in list(out.items()):
        for other in neighbours:
            out.setdefault(other, set()).add(dep)
    return {k: frozenset(v) for k, v in out.items()}


#: Land neighbours of each metropolitan department (overseas departments have none).
DEPARTMENT_NEIGHBOURS: dict[str, frozenset[str]] = _symmetric(_RAW_NEIGHBOURS)


@dataclass(frozen=True, slots=True)
class Territory:
    """A territory and its study buffer.

    Attributes
    ----------
    name
        Short name (preset name, or ``custom``).
    communes
        The territory's communes, EPSG:4326, columns
        :data:`accessmap.sources.COMMUNE_COLUMNS`.
    buffer
        Communes within ``buffer_km`` of the territory (polygon distance), not in it.
    buffer_km
        Width of the study buffer.
    rule
        How the territory was defined, in words (for reports).
    warnings
        Caveats found while building it (e.g. a buffer cut short by a missing department).
    outline
        The perimeter the territory was drawn from, for maps (a park's polygon: one row,
        ``code``, ``name``, ``geometry``, EPSG:4326), ``None`` when it has none.
    """

    name: str
    communes: gpd.GeoDataFrame
    buffer: gpd.GeoDataFrame
    buffer_km: float
    rule: str
    warnings: tuple[str, ...] = field(default=())
    outline: gpd.GeoDataFrame | None = None
    #: Tables derived from the others, built on first use (not a field of the territory).
    _derived: dict[str, gpd.GeoDataFrame] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def codes(self) -> list[str]:
        """INSEE codes of the territory's communes, sorted."""
        return sorted(self.communes["code"].tolist())

    @property
    def study_area(self) -> gpd.GeoDataFrame:
        """Territory and buffer communes together, with a bool column ``in_territory``.

        Built once per territory (a run reads it some fifty times); every access returns its
        own frame (a shallow copy: copy-on-write, so a caller's changes stay its own).
        """
        frame = self._derived.get("study_area")
        if frame is None:
            inside = self.communes.assign(in_territory=True)
            outside = self.buffer.assign(in_territory=False)
            joined = pd.concat([inside, outside], ignore_index=True)
            frame = gpd.GeoDataFrame(joined, geometry="geometry", crs=self.communes.crs)
            self._derived["study_area"] = frame
        return frame.copy(deep=False)


_CODE = re.compile(r"([0-9]{2}|2A|2B)[0-9]{3}")


class Codes(list[str]):
    """Cleaned INSEE codes that remember how each was given (``1903`` for ``01903``).

    Messages name a code as its user wrote it (:func:`as_given`); computing uses the clean code.
    """

    given: dict[str, str]

    def __init__(self, codes: Iterable[str] = (), given: dict[str, str] | None = None) -> None:
        super().__init__(codes)
        self.given = dict(given or {})


def as_given(codes: Iterable[str], *, among: Sequence[str] | None = None) -> list[str]:
    """Return ``codes`` as their user wrote them, when ``among`` (a :class:`Codes`) knows it.

    Parameters
    ----------
    codes
        Clean codes (for a message).
    among
        The :class:`Codes` they come from (or any sequence: the codes are returned as they are).

    Returns
    -------
    list of str
    """
    given = getattr(among, "given", {})
    return [given.get(c, c) for c in codes]


def clean_codes(codes: Iterable[object], *, what: str) -> list[str]:
    """Clean INSEE commune codes: strip, upper-case, pad 4-digit codes, refuse bad or repeated ones.

    Parameters
    ----------
    codes
        Codes as given (strings or numbers).
    what
        Field named in error messages (``--territory``, a file name...).

    Returns
    -------
    list of str
        Five-character codes, in the given order.

    Raises
    ------
    ValidationError
        Empty selection, malformed or duplicated codes.
    """
    written = [str(c).strip() for c in codes if str(c).strip()]
    padded = [c.upper().zfill(5) if c.isdigit() and len(c) == 4 else c.upper() for c in written]
    previous = getattr(codes, "given", {})
    given = {p: previous.get(w, w) for p, w in zip(padded, written, strict=True) if p != w}
    given.update({p: previous[p] for p in padded if p in previous})
    cleaned = Codes(padded, given)
    if not cleaned:
        raise ValidationError("territory.empty_selection", field=what)
    malformed = [c for c in cleaned if not _CODE.fullmatch(c)]
    if malformed:
        raise ValidationError(
            "territory.malformed_codes", field=what, codes=as_given(malformed, among=cleaned)
        )
    seen: set[str] = set()
    dup = [c for c in cleaned if c in seen or seen.add(c)]  # type: ignore[func-returns-value]
    if dup:
        raise ValidationError(
            "territory.duplicate_codes",
            field=what,
            codes=as_given(sorted(set(dup)), among=cleaned),
        )
    return cleaned


def _isin(values: pd.Series, wanted: Iterable[object]) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Return ``values.isin(wanted)`` through :func:`accessmap.contracts.isin_codes`.

    pandas' Arrow-backed string ``isin`` is about 30 times slower at 35,000 codes.
    """
    return isin_codes(values, wanted)


def _select_buffer(
    all_communes: gpd.GeoDataFrame, selected: gpd.GeoDataFrame, buffer_km: float
) -> gpd.GeoDataFrame:
    if buffer_km < 0:
        raise ValidationError("territory.negative_buffer", field="buffer_km", km=buffer_km)
    if buffer_km == 0:  # no buffer: no geometry work, whatever the number of communes
        return all_communes.iloc[0:0].copy()
    others = all_communes[~_isin(all_communes["code"], selected["code"])]
    if others.empty:
        return others.iloc[0:0].copy()
    zone = selected.to_crs(METRIC_CRS).union_all().buffer(buffer_km * 1000.0)
    metric = others.to_crs(METRIC_CRS)
    return others[metric.intersects(zone).to_numpy()].copy()


def _town_halls_warning(selected: pd.DataFrame, buffer: pd.DataFrame) -> None:
    """Warn once about the town halls moved among the study area's communes (``mairie_moved``).

    Their travel times start from a point inside the commune instead of the town hall.
    """
    study = pd.concat([selected, buffer], ignore_index=True)
    if "mairie_moved" not in study.columns:
        return
    moved = study.loc[study["mairie_moved"].fillna(value=False).astype(bool), "code"]
    if len(moved):
        warn(
            "territory.town_halls_moved", count=len(moved), km=MAIRIE_TOLERANCE_M / 1000,
            codes=sorted(moved.astype(str)), stacklevel=4,
        )  # fmt: skip


def _coverage_warning(
    all_communes: gpd.GeoDataFrame, selected: gpd.GeoDataFrame, buffer_km: float, missing: list[str]
) -> tuple[str, ...]:
    """Warn when the buffer zone reaches land outside every loaded commune."""
    if buffer_km <= 0 or not missing:
        return ()
    zone = selected.to_crs(METRIC_CRS).union_all().buffer(buffer_km * 1000.0)
    known = all_communes.to_crs(METRIC_CRS).union_all().buffer(50.0)
    uncovered_km2 = zone.difference(known).area / 1e6
    if uncovered_km2 < 1.0:
        return ()
    params = {"area_km2": round(uncovered_km2), "km": float(buffer_km), "departments": missing}
    warn("territory.buffer_incomplete", stacklevel=3, **params)
    return (str(Message("territory.buffer_incomplete", **params)),)


def _by_codes(communes: gpd.GeoDataFrame, codes: Sequence[str]) -> tuple[gpd.GeoDataFrame, str]:
    wanted = clean_codes(codes, what="codes")
    unknown = sorted(set(wanted) - set(communes["code"]))
    if unknown:
        raise ValidationError(
            "territory.unknown_codes", field="codes", codes=as_given(unknown, among=wanted)
        )
    rule = str(Message("territory.rule_codes", count=len(wanted)))
    return communes[_isin(communes["code"], wanted)], rule


def _by_epci(communes: gpd.GeoDataFrame, epci: Sequence[str]) -> tuple[gpd.GeoDataFrame, str]:
    wanted = [str(e).strip() for e in epci if str(e).strip()]
    unknown = sorted(set(wanted) - set(communes["epci"]))
    if not wanted or unknown:
        raise ValidationError("territory.unknown_epci", field="epci", codes=unknown)
    rule = str(Message("territory.rule_epci", codes=wanted))
    return communes[communes["epci"].isin(wanted)], rule


def _by_polygon(
    communes: gpd.GeoDataFrame, polygon: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, str]:
    if polygon.crs is None:
        raise ValidationError("territory.polygon_no_crs", field="polygon")
    area = polygon.to_crs(METRIC_CRS).union_all()
    halls = gpd.GeoSeries(
        gpd.points_from_xy(communes["mairie_lon"], communes["mairie_lat"]), crs=GEO_CRS
    ).to_crs(METRIC_CRS)
    return communes[halls.within(area).to_numpy()], str(Message("territory.rule_polygon"))


def _by_distance(
    communes: gpd.GeoDataFrame, nearest_to: tuple[float, float] | None, n_nearest: int | None
) -> tuple[gpd.GeoDataFrame, str]:
    from pyproj import Transformer

    if nearest_to is None or n_nearest is None or n_nearest <= 0:
        raise ValidationError("territory.bad_nearest_count", field="n_nearest", count=n_nearest)
    to_metric = Transformer.from_crs(GEO_CRS, METRIC_CRS, always_xy=True)
    x, y = to_metric.transform(communes["mairie_lon"].to_numpy(), communes["mairie_lat"].to_numpy())
    x0, y0 = to_metric.transform(*nearest_to)
    distance = pd.Series(np.hypot(np.asarray(x) - x0, np.asarray(y) - y0), index=communes.index)
    rule = str(
        Message("territory.rule_nearest", count=n_nearest, lon=nearest_to[0], lat=nearest_to[1])
    )
    return communes.loc[distance.nsmallest(n_nearest).index], rule


def build_territory(
    communes: gpd.GeoDataFrame,
    *,
    codes: Sequence[str] | None = None,
    polygon: gpd.GeoDataFrame | None = None,
    epci: Sequence[str] | None = None,
    nearest_to: tuple[float, float] | None = None,
    n_nearest: int | None = None,
    buffer_km: float = 30.0,
    name: str = "custom",
    rule: str | None = None,
    missing_departments: Sequence[str] = (),
) -> Territory:
    """Build a territory from a communes table (pure: no I/O).

    Exactly one selector among ``codes``, ``polygon``, ``epci`` and ``nearest_to`` must be given.

    Parameters
    ----------
    communes
        Candidate communes (territory and buffer), columns of
        :data:`accessmap.sources.COMMUNE_COLUMNS`, with a CRS.
    codes
        INSEE codes of the territory.
    polygon
        A polygon layer (any CRS): communes whose town hall lies inside it.
    epci
        EPCI (SIREN) codes: their member communes.
    nearest_to
        ``(lon, lat)``: the ``n_nearest`` communes whose town hall is nearest (Lambert-93).
    n_nearest
        With ``nearest_to``.
    buffer_km
        Width of the study buffer (communes whose polygon lies within this distance).
    name
        Territory name.
    rule
        The rule in words (default: derived from the selector).
    missing_departments
        Neighbouring departments that could not be loaded (for the buffer warning).

    Returns
    -------
    Territory
        With its buffer.

    Raises
    ------
    ValidationError
        No CRS, unknown or duplicate codes, empty selection, several selectors.
    """
    if communes.crs is None:
        raise ValidationError("territory.communes_no_crs", field="communes.crs")
    communes = communes.to_crs(GEO_CRS)
    chosen = [s for s in (codes, polygon, epci, nearest_to) if s is not None]
    if len(chosen) != 1:
        raise ValidationError("territory.selectors", field="territory", count=len(chosen))
    if codes is not None:
        selected, default_rule = _by_codes(communes, codes)
    elif epci is not None:
        selected, default_rule = _by_epci(communes, epci)
    elif polygon is not None:
        selected, default_rule = _by_polygon(communes, polygon)
    else:
        selected, default_rule = _by_distance(communes, nearest_to, n_nearest)
    rule = rule or default_rule
    if selected.empty:
        raise ValidationError("territory.no_commune_selected", field="territory")
    selected = selected.sort_values("code").reset_index(drop=True)
    buffer = (
        _select_buffer(communes, selected, buffer_km).sort_values("code").reset_index(drop=True)
    )
    notes = _coverage_warning(communes, selected, buffer_km, list(missing_departments))
    _town_halls_warning(selected, buffer)
    return Territory(
        name=name,
        communes=gpd.GeoDataFrame(selected, geometry="geometry", crs=GEO_CRS),
        buffer=gpd.GeoDataFrame(buffer, geometry="geometry", crs=GEO_CRS),
        buffer_km=float(buffer_km),
        rule=rule,
        warnings=notes,
    )


def points(
    communes: pd.DataFrame, *, how: Literal["mairie", "centroid"] = "mairie"
) -> pd.DataFrame:
    """Represent communes by one point each.

    Parameters
    ----------
    communes
        A communes (Geo)DataFrame (columns of :data:`accessmap.sources.COMMUNE_COLUMNS`).
    how
        ``mairie`` (town hall, the default, as the DREES distance tables use), or ``centroid``
        (polygon centroid computed in Lambert-93).

    Returns
    -------
    pandas.DataFrame
        ``id`` (INSEE code), ``lon``, ``lat`` (EPSG:4326), ``population``.
    """
    if how == "mairie":
        lon, lat = communes["mairie_lon"].to_numpy(), communes["mairie_lat"].to_numpy()
    elif how == "centroid":
        if not isinstance(communes, gpd.GeoDataFrame) or communes.crs is None:
            raise ValidationError("territory.centroids_need_crs", field="communes")
        centroids = communes.to_crs(METRIC_CRS).geometry.centroid.to_crs(GEO_CRS)
        lon, lat = centroids.x.to_numpy(), centroids.y.to_numpy()
    else:
        raise ValidationError(
            "territory.bad_point_method", field="how", how=how, choices=["mairie", "centroid"]
        )
    return pd.DataFrame(
        {
            "id": communes["code"].astype(str).to_numpy(),
            "lon": np.asarray(lon, dtype=float),
            "lat": np.asarray(lat, dtype=float),
            "population": communes["population"].to_numpy(),
        }
    )


def department_outlines(
    communes: gpd.GeoDataFrame, *, simplify_m: float = 500.0
) -> gpd.GeoDataFrame:
    """Dissolve communes into their departments (for national maps).

    Parameters
    ----------
    communes
        Communes with a CRS and the columns ``dep``, ``code``, ``population``.
    simplify_m
        Simplification tolerance in metres, applied in Lambert-93 after the union (0: none, the
        exact union in the communes' CRS).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per department, sorted: ``dep``, ``communes``, ``population``, ``geometry``
        (EPSG:4326).

    Raises
    ------
    ValidationError
        No CRS, or a missing column.

    References
    ----------
    GEOS unary union (geopandas ``dissolve``); Douglas D. H., Peucker T. K. (1973),
    *Cartographica* 10(2) for the simplification.
    """
    if communes.crs is None:
        raise ValidationError("territory.communes_no_crs", field="communes")
    missing = [c for c in ("dep", "code", "population") if c not in communes.columns]
    if missing:
        raise ValidationError("territory.outline_columns", field="communes", columns=missing)
    frame = communes[["dep", "code", "population", "geometry"]]
    out = frame.dissolve(by="dep", aggfunc={"code": "size", "population": "sum"}, sort=True)
    out = out.rename(columns={"code": "communes"}).reset_index()
    if simplify_m > 0:
        metric = out.geometry.to_crs(METRIC_CRS).simplify(simplify_m)
        out = out.set_geometry(metric.to_crs(communes.crs))
    return gpd.GeoDataFrame(out, geometry="geometry", crs=communes.crs).to_crs(GEO_CRS)


def summary(territory: Territory) -> pd.DataFrame:
    """Communes, population, area and density, by department and in total.

    Parameters
    ----------
    territory
        The territory.

    Returns
    -------
    pandas.DataFrame
        One row per department and a ``total`` row: ``dep``, ``communes``, ``population``,
        ``area_km2``, ``density`` (inhabitants per km²).
    """
    frame = pd.DataFrame(territory.communes.drop(columns="geometry"))
    by_dep = frame.groupby("dep").agg(
        communes=("code", "size"), population=("population", "sum"), area_km2=("area_km2", "sum")
    )
    total = pd.DataFrame(
        {
            "communes": [len(frame)],
            "population": [int(frame["population"].sum())],
            "area_km2": [float(frame["area_km2"].sum())],
        },
        index=pd.Index(["total"], name="dep"),
    )
    table = pd.concat([by_dep, total])
    table["density"] = table["population"] / table["area_km2"]
    return table.reset_index()


def summary_dict(territory: Territory) -> dict[str, object]:
    """Return the summary as plain data (what ``accessmap territory --format json`` prints).

    Parameters
    ----------
    territory
        The territory.

    Returns
    -------
    dict
        ``name``, ``rule``, ``communes``, ``population``, ``area_km2``, ``density``,
        ``by_department`` (list of rows), ``buffer`` (km, communes, population), ``warnings``.
    """
    table = summary(territory)
    total = table[table["dep"] == "total"].iloc[0]
    rows = table[table["dep"] != "total"]
    return {
        "name": territory.name,
        "rule": territory.rule,
        "communes": int(total["communes"]),
        "population": int(total["population"]),
        "area_km2": round(float(total["area_km2"]), 1),
        "density": round(float(total["density"]), 2),
        "by_department": [
            {
                "dep": str(r["dep"]),
                "communes": int(r["communes"]),
                "population": int(r["population"]),
                "area_km2": round(float(r["area_km2"]), 1),
                "density": round(float(r["density"]), 2),
            }
            for _, r in rows.iterrows()
        ],
        "buffer": {
            "km": territory.buffer_km,
            "communes": len(territory.buffer),
            "population": int(territory.buffer["population"].sum()),
        },
        "warnings": list(territory.warnings),
    }
