"""Catchments: isochrone polygons around facilities and the population inside each time band.

Bands are **half-open** ``[lower, upper)`` as everywhere in accessmap (``docs/architecture.md``):
the polygon "within 10 min" holds the places ``t < 10`` minutes from the nearest facility, a commune
at exactly 10 minutes falls in the band ``[10, 20)``, and the last row, ``[30, inf)``, holds who is
left beyond the last threshold.

- With a road network (:class:`~accessmap.network.RoadNetwork`), the time from every node to its
  nearest facility comes from one multi-source Dijkstra on the reversed graph; an edge ``u → v`` is
  reached, from its ``v`` end, over the part a driver covers in the time left
  (``(upper - t_v) / minutes``; the whole edge when ``t_v + minutes < upper``), and the reached
  edges are buffered by ``buffer_m`` in Lambert-93 (the "buffered edges" isochrone of osmnx's
  examples, with partial edges as in r5py).
- Without one (``crowfly``), the catchment of ``T`` minutes is the union of discs of radius
  ``T / 60 * speed / circuity`` km around the facilities, clipped to the study area.

Population per band is commune-level by default (the population of communes whose origin point,
usually the town hall, is reached in the band, timed by :func:`accessmap.network.travel_times` or
:func:`accessmap.network.crowfly_times`), or area-weighted (each commune's population spread over
its polygon, counted by the share of its area inside each band polygon).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from accessmap.conventions import ISOCHRONE_BANDS, band_labels
from accessmap.conventions import band_index as conventions_band_index
from accessmap.errors import ValidationError
from accessmap.network import (
    RoadNetwork,
    TravelTimes,
    crowfly_times,
    minutes_to_nearest,
    travel_times,
    validate_points,
)
from accessmap.settings import get_settings

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely import LineString
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "CATCHMENT_COLUMNS",
    "DEFAULT_BANDS",
    "band_index",
    "catchments",
    "isochrones",
]

#: Default thresholds in minutes: bands [0, 10), [10, 20), [20, 30) and [30, inf)
#: (:data:`accessmap.conventions.ISOCHRONE_BANDS`).
DEFAULT_BANDS: tuple[float, ...] = ISOCHRONE_BANDS
#: Columns of :func:`catchments` (before ``geometry``), after the optional facility-set column.
CATCHMENT_COLUMNS: tuple[str, ...] = (
    "band",
    "lower",
    "upper",
    "population",
    "population_cumulative",
    "population_share",
    "area_km2",
    "method",
)
_GEO_CRS = "EPSG:4326"
_METRIC_CRS = "EPSG:2154"


def _bands(bands: Sequence[float] | np.ndarray) -> np.ndarray:
    values = np.asarray(list(bands), dtype=float)
    if (
        values.size == 0
        or not np.isfinite(values).all()
        or (values <= 0).any()
        or (np.diff(values) <= 0).any()
    ):
        raise ValidationError("catchments.bad_bands", field="bands", bands=values.tolist())
    return values


def band_index(
    minutes: Sequence[float] | np.ndarray, *, bands: Sequence[float] | np.ndarray
) -> np.ndarray:
    """Band of each time under the half-open convention ``[lower, upper)``.

    Parameters
    ----------
    minutes
        Travel times (``inf`` = not reached).
    bands
        Increasing thresholds, e.g. ``(10, 20, 30)``.

    Returns
    -------
    numpy.ndarray
        ``0`` for ``t < bands[0]``, ``k`` for ``bands[k-1] <= t < bands[k]``, ``len(bands)`` beyond
        the last threshold (and for ``inf``/``nan``).

    References
    ----------
    DREES (2023). L'accessibilité potentielle localisée (APL): bands "< 10 min", "10 to 15"...
    """
    edges = _bands(bands)
    values = np.asarray(minutes, dtype=float)
    return np.where(np.isnan(values), len(edges), conventions_band_index(values, tuple(edges)))


def isochrones(
    facilities: pd.DataFrame,
    *,
    network: RoadNetwork | None = None,
    bands: Sequence[float] | np.ndarray = DEFAULT_BANDS,
    buffer_m: float = 200.0,
    study_area: BaseGeometry | gpd.GeoDataFrame | None = None,
    connector_speed_kmh: float | None = None,
    circuity: float | None = None,
    speed_kmh: float | None = None,
) -> gpd.GeoDataFrame:
    """Cumulative isochrones: for each threshold ``T``, the area less than ``T`` minutes away.

    Parameters
    ----------
    facilities
        Points ``id``, ``lon``, ``lat`` (EPSG:4326).
    network
        The road network; ``None`` uses the ``crowfly`` estimate (discs).
    bands
        Increasing thresholds in minutes.
    buffer_m
        Half-width of the corridor drawn around reached road edges (and around the facilities).
    study_area
        Polygon(s) in EPSG:4326 to clip to (required in spirit for ``crowfly``, whose discs
        otherwise spill over the border).
    connector_speed_kmh
        Speed of the facilities' off-network legs (road method).
    circuity, speed_kmh
        Parameters of the ``crowfly`` estimate (default: the settings).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per threshold: ``minutes`` (``T``), ``area_km2``, ``method``, ``geometry``
        (EPSG:4326), nested (each polygon holds the previous ones).

    References
    ----------
    Boeing, G. (2025). Modeling and analyzing urban networks and amenities with OSMnx.
    Geographical Analysis. https://doi.org/10.1111/gean.70009 (buffered-edge isochrones).
    Fink, C., et al. (2022). r5py: Rapid Realistic Routing with R5 in Python
    (``Isochrones``). https://doi.org/10.5281/zenodo.7060437
    """
    import geopandas as gpd

    thresholds = _bands(bands)
    if not math.isfinite(buffer_m) or buffer_m <= 0:
        raise ValidationError("catchments.bad_buffer", field="buffer_m", value=buffer_m)
    clip = _study_polygon(study_area)
    if network is None:
        shapes, method = (
            _crowfly_polygons(facilities, thresholds, circuity=circuity, speed_kmh=speed_kmh),
            "crowfly",
        )
    else:
        shapes, method = (
            _network_polygons(
                network, facilities, thresholds, buffer_m=buffer_m, speed=connector_speed_kmh
            ),
            "osm",
        )
    if clip is not None:
        shapes = [shape.intersection(clip) for shape in shapes]
    metric = gpd.GeoSeries(shapes, crs=_METRIC_CRS)
    return gpd.GeoDataFrame(
        {
            "minutes": thresholds,
            "area_km2": metric.area.to_numpy() / 1e6,
            "method": method,
        },
        geometry=metric.to_crs(_GEO_CRS).to_numpy(),
        crs=_GEO_CRS,
    )


def _study_polygon(study_area: BaseGeometry | gpd.GeoDataFrame | None) -> BaseGeometry | None:
    """Return the study area as one polygon in Lambert-93."""
    if study_area is None:
        return None
    import geopandas as gpd
    import shapely

    if isinstance(study_area, gpd.GeoDataFrame | gpd.GeoSeries):
        if study_area.crs is None:
            raise ValidationError("catchments.study_area_no_crs", field="study_area")
        return shapely.union_all(study_area.to_crs(_METRIC_CRS).geometry.to_numpy())
    return gpd.GeoSeries([study_area], crs=_GEO_CRS).to_crs(_METRIC_CRS).iloc[0]


def _crowfly_polygons(
    facilities: pd.DataFrame,
    thresholds: np.ndarray,
    *,
    circuity: float | None,
    speed_kmh: float | None,
) -> list[BaseGeometry]:
    import shapely

    settings = get_settings()
    factor = settings.crowfly_circuity if circuity is None else float(circuity)
    speed = settings.crowfly_speed_kmh if speed_kmh is None else float(speed_kmh)
    if factor <= 0 or speed <= 0:
        raise ValidationError(
            "catchments.bad_crowfly", field="crowfly", circuity=factor, speed_kmh=speed
        )
    points = _facility_points(facilities)
    shapes = []
    for minutes in thresholds:
        radius_m = minutes / 60.0 * speed / factor * 1000.0
        shapes.append(shapely.union_all(shapely.buffer(points, radius_m, quad_segs=16)))
    return shapes


def _facility_points(facilities: pd.DataFrame) -> np.ndarray:
    import geopandas as gpd

    pts = validate_points(facilities, role="facilities")
    series = gpd.GeoSeries.from_xy(pts["lon"], pts["lat"], crs=_GEO_CRS).to_crs(_METRIC_CRS)
    return series.to_numpy()


def _network_polygons(
    network: RoadNetwork,
    facilities: pd.DataFrame,
    thresholds: np.ndarray,
    *,
    buffer_m: float,
    speed: float | None,
) -> list[BaseGeometry]:
    import shapely

    reach = minutes_to_nearest(
        network, facilities, cutoff=float(thresholds[-1]), connector_speed_kmh=speed
    )
    t_node = reach["minutes"].to_numpy()
    u = network.edges["u"].to_numpy()
    v = network.edges["v"].to_numpy()
    minutes = network.edges["minutes"].to_numpy()
    # one key per street, whatever the direction, so two-way streets are drawn once
    pair = np.minimum(u, v).astype(np.int64) * network.n_nodes + np.maximum(u, v)
    lines = _edge_lines(network)
    shapes: list[BaseGeometry] = []
    start_prev = np.ones(len(u))  # covered part of each edge: [start, 1], from its v end
    street_whole_prev = np.zeros(len(u), dtype=bool)
    previous: BaseGeometry = shapely.union_all(
        shapely.buffer(_facility_points(facilities), buffer_m, quad_segs=4)
    )
    for upper in thresholds:
        left = upper - t_node[v]  # time left on arriving at v, driving the edge backwards
        with np.errstate(divide="ignore", invalid="ignore"):
            start = np.where(minutes > 0, 1.0 - left / minutes, np.where(left > 0, 0.0, 1.0))
        start = np.clip(start, 0.0, 1.0)
        whole = start <= 0.0
        street_whole = pd.Series(whole).groupby(pair).transform("any").to_numpy()
        new = start < start_prev
        # streets wholly reached for the first time: drawn once, in full
        fresh = whole & ~street_whole_prev
        first = fresh & ~pd.Series(pair).where(fresh).duplicated(keep="first").to_numpy()
        pieces: list[BaseGeometry] = list(lines[first])
        # streets still partly reached: the newly covered stretch [start, start_prev) of each edge
        cut = new & ~street_whole
        pieces.extend(
            _substring(lines[i], float(start[i]), float(start_prev[i])) for i in np.flatnonzero(cut)
        )
        if pieces:
            ring = shapely.union_all(shapely.buffer(np.asarray(pieces), buffer_m, quad_segs=4))
            previous = shapely.union_all([previous, ring])
        shapes.append(previous)
        start_prev = np.minimum(start, start_prev)
        street_whole_prev = street_whole
    return shapes


def _edge_lines(network: RoadNetwork) -> np.ndarray:
    """Edge geometries in the network's metric CRS (straight lines where OSM gave none)."""
    import shapely
    from pyproj import Transformer

    edges = network.edges
    u = edges["u"].to_numpy()
    v = edges["v"].to_numpy()
    coords = np.stack(
        [
            np.column_stack([network.x[u], network.y[u]]),
            np.column_stack([network.x[v], network.y[v]]),
        ],
        axis=1,
    )
    lines = shapely.linestrings(coords)
    curved = np.flatnonzero(edges["geometry"].notna().to_numpy())
    if curved.size:
        transformer = Transformer.from_crs(_GEO_CRS, network.metric_crs, always_xy=True)
        for i in curved:
            geom = edges["geometry"].iat[int(i)]
            lines[i] = shapely.transform(
                geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
            )
    return lines


def _substring(line: LineString, start: float, end: float) -> BaseGeometry:
    """Cut ``line`` between the normalised positions ``start`` and ``end``."""
    from shapely.ops import substring

    return substring(line, max(0.0, min(1.0, start)), max(0.0, min(1.0, end)), normalized=True)


def catchments(
    facilities: pd.DataFrame,
    *,
    network: RoadNetwork | None = None,
    origins: pd.DataFrame | None = None,
    communes: gpd.GeoDataFrame | None = None,
    bands: Sequence[float] | np.ndarray = DEFAULT_BANDS,
    population: Literal["commune", "area"] = "commune",
    by: str | None = None,
    buffer_m: float = 200.0,
    study_area: BaseGeometry | gpd.GeoDataFrame | None = None,
    connector_speed_kmh: float | None = None,
    circuity: float | None = None,
    speed_kmh: float | None = None,
) -> gpd.GeoDataFrame:
    """Catchment bands of a facility set and the population inside each band.

    Parameters
    ----------
    facilities
        Points ``id``, ``lon``, ``lat`` (EPSG:4326), e.g. GP sites; with ``by``, a column naming the
        facility set of each row (one catchment per set: "today", "after retirements"...).
    network
        The road network; ``None`` uses the ``crowfly`` estimate (the ``method`` column says so).
    origins
        Commune points ``id``, ``lon``, ``lat``, ``population`` (from
        :func:`accessmap.territory.points`) for ``population="commune"``.
    communes
        Commune polygons with ``population`` (EPSG:4326) for ``population="area"``; when given
        without ``study_area``, their union is the study area.
    bands
        Increasing thresholds in minutes (default 10, 20, 30): rows ``[0, 10)``, ``[10, 20)``,
        ``[20, 30)`` and ``[30, inf)``.
    population
        ``"commune"``: a commune counts wholly in the band of its origin point's time to the nearest
        facility. ``"area"``: its population is shared by the area of its polygon in each band.
    by
        Column of ``facilities`` naming facility sets.
    buffer_m, study_area, connector_speed_kmh, circuity, speed_kmh
        As in :func:`isochrones`.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per (set and) band: ``band`` (``"10-20"``, the labels of
        :func:`accessmap.conventions.band_labels`, ``"30+"`` for the last), ``lower``, ``upper``,
        ``population`` in the band, ``population_cumulative`` (``t < upper``),
        ``population_share`` (of the total), ``area_km2``, ``method``, ``geometry`` (the band's
        ring: ``lower <= t < upper``; for the last row, the rest of the study area, or empty).
        Population columns are ``nan`` when no population input is given.

    References
    ----------
    DREES (2023). L'accessibilité potentielle localisée (APL) (time bands).
    Boeing, G. (2025). Modeling and analyzing urban networks and amenities with OSMnx.
    Geographical Analysis. https://doi.org/10.1111/gean.70009 (buffered-edge isochrones).
    """
    import geopandas as gpd

    thresholds = _bands(bands)
    if population not in {"commune", "area"}:
        raise ValidationError(
            "catchments.unknown_population_method", field="population", value=population
        )
    if population == "area" and communes is None:
        raise ValidationError("catchments.area_needs_communes", field="communes")
    if by is not None and by not in facilities.columns:
        raise ValidationError(
            "catchments.unknown_column",
            field="by",
            column=by,
            columns=[str(c) for c in facilities.columns],
        )
    if study_area is None and communes is not None:
        study_area = communes
    groups = (
        [(None, facilities)]
        if by is None
        else list(facilities.groupby(by, sort=True, dropna=False))
    )
    frames = []
    for name, group in groups:
        frame = _one_catchment(
            group,
            network=network,
            origins=origins,
            communes=communes,
            thresholds=thresholds,
            population=population,
            buffer_m=buffer_m,
            study_area=study_area,
            connector_speed_kmh=connector_speed_kmh,
            circuity=circuity,
            speed_kmh=speed_kmh,
        )
        if by is not None:
            frame.insert(0, by, name)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=_GEO_CRS)


def _one_catchment(
    facilities: pd.DataFrame,
    *,
    network: RoadNetwork | None,
    origins: pd.DataFrame | None,
    communes: gpd.GeoDataFrame | None,
    thresholds: np.ndarray,
    population: str,
    buffer_m: float,
    study_area: BaseGeometry | gpd.GeoDataFrame | None,
    connector_speed_kmh: float | None,
    circuity: float | None,
    speed_kmh: float | None,
) -> pd.DataFrame:
    import geopandas as gpd
    import shapely

    iso = isochrones(
        facilities,
        network=network,
        bands=thresholds,
        buffer_m=buffer_m,
        study_area=study_area,
        connector_speed_kmh=connector_speed_kmh,
        circuity=circuity,
        speed_kmh=speed_kmh,
    )
    method = "crowfly" if network is None else "osm"
    cumulative = list(iso.to_crs(_METRIC_CRS).geometry)
    clip = _study_polygon(study_area)
    rings = [cumulative[0]]
    rings += [cumulative[k].difference(cumulative[k - 1]) for k in range(1, len(cumulative))]
    rest = clip.difference(cumulative[-1]) if clip is not None else shapely.Polygon()
    rings.append(rest)
    lower = np.concatenate([[0.0], thresholds])
    upper = np.concatenate([thresholds, [np.inf]])
    counts = np.full(len(rings), np.nan)
    if population == "area" and communes is not None:
        counts = _area_population(communes, rings)
    elif origins is not None:
        counts = _commune_population(
            origins,
            facilities,
            thresholds,
            network=network,
            connector_speed_kmh=connector_speed_kmh,
            circuity=circuity,
            speed_kmh=speed_kmh,
        )
    total = counts.sum()
    metric = gpd.GeoSeries(rings, crs=_METRIC_CRS)
    return pd.DataFrame(
        {
            "band": list(band_labels(thresholds.tolist())),
            "lower": lower,
            "upper": upper,
            "population": counts,
            "population_cumulative": np.cumsum(counts),
            "population_share": counts / total if total > 0 else np.full(len(counts), np.nan),
            "area_km2": metric.area.to_numpy() / 1e6,
            "method": method,
            "geometry": metric.to_crs(_GEO_CRS).to_numpy(),
        }
    )


def _commune_population(
    origins: pd.DataFrame,
    facilities: pd.DataFrame,
    thresholds: np.ndarray,
    *,
    network: RoadNetwork | None,
    connector_speed_kmh: float | None,
    circuity: float | None,
    speed_kmh: float | None,
) -> np.ndarray:
    if "population" not in origins.columns:
        raise ValidationError("catchments.origins_no_population", field="origins.population")
    pop = pd.to_numeric(origins["population"], errors="coerce").to_numpy(dtype=float)
    if np.isnan(pop).any() or (pop < 0).any():
        raise ValidationError(
            "catchments.bad_population",
            field="origins.population",
            count=int((np.isnan(pop) | (pop < 0)).sum()),
        )
    result: TravelTimes
    if network is None:
        result = crowfly_times(
            origins, facilities, circuity=circuity, speed_kmh=speed_kmh, min_only=True
        )
    else:
        result = travel_times(
            network,
            origins,
            facilities,
            min_only=True,
            connector_speed_kmh=connector_speed_kmh,
        )
    minutes = result.table["minutes"].to_numpy(dtype=float)
    index = band_index(minutes, bands=thresholds)
    return np.bincount(index, weights=pop, minlength=len(thresholds) + 1).astype(float)


def _area_population(communes: gpd.GeoDataFrame, rings: list[Any]) -> np.ndarray:
    import shapely

    if communes.crs is None or "population" not in communes.columns:
        raise ValidationError("catchments.communes_need_crs_population", field="communes")
    polys = communes.to_crs(_METRIC_CRS).geometry.to_numpy()
    pop = pd.to_numeric(communes["population"], errors="coerce").fillna(0).to_numpy(dtype=float)
    area = shapely.area(polys)
    safe = np.where(area > 0, area, 1.0)
    counts = np.zeros(len(rings))
    inside = np.zeros(len(polys))
    for k, ring in enumerate(rings[:-1]):
        share = shapely.area(shapely.intersection(polys, ring)) / safe
        counts[k] = float((pop * share).sum())
        inside += share
    # whatever is not in a band is beyond the last threshold (also outside the drawn study area)
    counts[-1] = float((pop * np.clip(1.0 - inside, 0.0, 1.0)).sum())
    return counts
