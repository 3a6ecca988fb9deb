"""Which travel times every command uses, and the one lookup that finds or computes them.

The rule, for ``traveltimes``, ``indicators``, ``outlook``, ``site``, ``compare`` and
``diagnose`` alike:

1. ``--osm FILE`` wins (a local ``.osm`` / ``.osm.pbf`` / GraphML file);
2. otherwise ``--crowfly`` forces the crow-fly estimate;
3. otherwise a road file of the mirror whose extent covers the study area (territory and buffer);
4. otherwise, with ``--online``, OpenStreetMap through Overpass (osmnx, cached);
5. otherwise, when a road file of the mirror covers part of the territory (``--territory
   france``), both per commune (``mixed``): road times for the communes whose town hall lies
   :data:`MIXED_MARGIN_KM` inside the file's extent, the crow-fly estimate elsewhere; the table's
   ``method`` column says which (``osm`` or ``crowfly``) row by row;
6. otherwise the crow-fly estimate (great-circle × circuity ÷ speed), and every output says so.

Origins are the town halls of every study-area commune; destinations are every practitioner site
of the roster and every candidate town hall of the territory, so that one table serves every
command and is cached once in the store under a content hash of its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from accessmap.conventions import TABLE_HORIZON
from accessmap.errors import MissingDataError
from accessmap.messages import Message
from accessmap.sources._once import once

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from accessmap.network import RoadNetwork, TravelTimes
    from accessmap.sources import SourceFile
    from accessmap.store import Store
    from accessmap.supply import Roster
    from accessmap.territory import Territory

__all__ = [
    "RoadChoice",
    "candidate_points",
    "choose_roads",
    "compute_traveltimes",
    "destination_points",
    "site_points",
    "store_traveltimes",
]

RoadKind = Literal["file", "mirror", "online", "mixed", "crowfly"]

#: In a ``mixed`` table, a commune gets road times when its town hall lies at least this far
#: inside the road file's extent: every practitioner within the DREES 20 minutes is then inside
#: the file too (at the mirror's speeds 20 km take more than 20 minutes), so no road time leans
#: on a missing road beyond the file's edge.
MIXED_MARGIN_KM = 20.0


@dataclass(frozen=True, slots=True)
class RoadChoice:
    """Where the road network comes from, and how a reader is told.

    Attributes
    ----------
    kind
        ``file`` (``--osm``), ``mirror`` (a road file of the data mirror), ``online`` (Overpass),
        ``mixed`` (a mirror file covering part of the territory: roads inside, crow-fly
        elsewhere) or ``crowfly`` (no network: estimate).
    path
        The road file, for ``file``, ``mirror`` and ``mixed``.
    label
        French sentence for reports and tables (which network gave the times).
    """

    kind: RoadKind
    path: Path | None
    label: str


def choose_roads(
    study_area: pd.DataFrame,
    *,
    osm: Path | None = None,
    crowfly: bool = False,
    online: bool = False,
) -> RoadChoice:
    """Apply the road-network rule (module docstring) for a study area.

    Parameters
    ----------
    study_area
        Communes with ``mairie_lon`` / ``mairie_lat`` and ``in_territory`` (territory and
        buffer); a mirror file must cover the territory's town halls.
    osm
        A road file given by the user (wins).
    crowfly
        Force the crow-fly estimate.
    online
        Allow Overpass when neither a file nor the mirror has a network.

    Returns
    -------
    RoadChoice
    """
    if osm is not None:
        return RoadChoice("file", Path(osm), str(Message("inputs.roads_file", name=osm.name)))
    if crowfly:
        return RoadChoice("crowfly", None, CROWFLY_LABEL)
    from accessmap.sources.osm import find_road_file

    # The territory itself must be covered; buffer communes beyond the file's extent are
    # snapped to its nearest road and flagged (their demand weighs little on the territory).
    core = study_area[study_area["in_territory"]] if "in_territory" in study_area else study_area
    bbox = (
        float(core["mairie_lon"].min()),
        float(core["mairie_lat"].min()),
        float(core["mairie_lon"].max()),
        float(core["mairie_lat"].max()),
    )
    found = find_road_file(bbox)
    if found is not None:
        return RoadChoice("mirror", found, str(Message("inputs.roads_mirror", name=found.name)))
    if online:
        return RoadChoice("online", None, str(Message("inputs.roads_online")))
    partial = _partial_road_file(core)
    if partial is not None:
        return RoadChoice("mixed", partial, str(Message("inputs.roads_mixed", name=partial.name)))
    return RoadChoice("crowfly", None, CROWFLY_LABEL)


def _inside_extent(points: pd.DataFrame, extent: tuple[float, ...], *, lon: str, lat: str) -> Any:
    """Mask of the points at least :data:`MIXED_MARGIN_KM` inside a lon/lat extent."""
    import numpy as np

    lo_x, lo_y, hi_x, hi_y = extent
    y = points[lat].to_numpy(dtype=float)
    x = points[lon].to_numpy(dtype=float)
    dy = MIXED_MARGIN_KM / 111.32  # km per degree of latitude
    dx = dy / np.maximum(np.cos(np.radians(y)), 1e-6)
    return (x - dx >= lo_x) & (x + dx <= hi_x) & (y - dy >= lo_y) & (y + dy <= hi_y)


def _partial_road_file(core: pd.DataFrame) -> Path | None:
    """Return the mirror road file holding the most town halls of the territory, if any."""
    from accessmap.errors import GraphError
    from accessmap.sources.mirror import mirror_dir
    from accessmap.sources.osm import ROAD_SUFFIXES, ROADS_FOLDER, road_file_extent

    root = mirror_dir()
    folder = None if root is None else root / ROADS_FOLDER
    if folder is None or not folder.is_dir():
        return None
    best: tuple[int, Path] | None = None
    for file in sorted(folder.iterdir()):
        if not file.is_file() or not file.name.lower().endswith(ROAD_SUFFIXES):
            continue
        try:
            extent = road_file_extent(file)
        except GraphError:
            continue
        count = int(_inside_extent(core, extent, lon="mairie_lon", lat="mairie_lat").sum())
        if count and (best is None or count > best[0]):
            best = (count, file)
    return None if best is None else best[1]


#: What every output says when no road network was available.
CROWFLY_LABEL = str(Message("inputs.roads_crowfly"))


def site_points(roster: Roster) -> pd.DataFrame:
    """Practitioner sites as destination points (``id``, ``lon``, ``lat``, ``name``, ``kind``).

    Parameters
    ----------
    roster
        The roster.

    Returns
    -------
    pandas.DataFrame
    """
    sites = roster.sites
    return pd.DataFrame(
        {
            "id": sites["site_id"].astype(str).to_numpy(),
            "lon": sites["lon"].to_numpy(dtype=float),
            "lat": sites["lat"].to_numpy(dtype=float),
            "name": sites["name"].astype(str).to_numpy(),
            "kind": sites["kind"].astype(str).to_numpy(),
        }
    )


def candidate_points(territory: Territory, *, exclude: tuple[str, ...] = ()) -> pd.DataFrame:
    """Candidate sites: the town halls of the territory's communes (ids = INSEE codes).

    Parameters
    ----------
    territory
        The territory.
    exclude
        Codes to leave out.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``lon``, ``lat``, ``name``, ``kind`` (``candidate``), ``population``.
    """
    from accessmap.territory import points

    pts = points(territory.communes)
    names = territory.communes.set_index("code")["nom"]
    pts = pts[~pts["id"].isin(set(exclude))]
    return pd.DataFrame(
        {
            "id": pts["id"].to_numpy(),
            "lon": pts["lon"].to_numpy(),
            "lat": pts["lat"].to_numpy(),
            "name": pts["id"].map(names).to_numpy(),
            "kind": "candidate",
            "population": pts["population"].to_numpy(),
        }
    )


def destination_points(
    roster: Roster, territory: Territory, *, extra: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every destination of the shared travel-time table: sites, candidate town halls, extras.

    Parameters
    ----------
    roster
        Its sites.
    territory
        Its town halls (candidates).
    extra
        More points (``id``, ``lon``, ``lat``), e.g. the new sites of an outlook scenario.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``lon``, ``lat``, one row per id (sites first).
    """
    frames = [site_points(roster), candidate_points(territory)]
    if extra is not None and len(extra):
        frames.append(extra[["id", "lon", "lat"]])
    dests = pd.concat([f[["id", "lon", "lat"]] for f in frames], ignore_index=True)
    return dests.drop_duplicates("id").reset_index(drop=True)


def _road_network(
    choice: RoadChoice,
    study_area: pd.DataFrame,
    *,
    winter: bool | None,
    provenance: list[SourceFile] | None,
) -> RoadNetwork | None:
    from accessmap import network
    from accessmap.sources.osm import load_road_graph, road_record
    from accessmap.sources.osmfile import is_osm_file, read_road_ways

    if choice.kind == "crowfly":
        return None
    polygon = None
    if choice.kind == "online":
        import geopandas as gpd

        polygon = gpd.GeoDataFrame(study_area).union_all()
    if choice.path is not None and is_osm_file(choice.path):
        # an OSM file goes straight to the network (no networkx graph): same minutes, 10x faster;
        # read once per run (main table, calibration, every profession share it)
        path = choice.path
        if not path.is_file():
            raise MissingDataError("sources.osm_file_missing", field="osm", name=path.name)
        road = once(
            ("roads", str(path), path.stat().st_mtime_ns, winter),
            lambda: network.network_from_ways(read_road_ways(path, keep=True), winter=winter),
        )
        if provenance is not None:
            provenance.append(road_record(choice.path))
    else:
        graph = load_road_graph(path=choice.path, polygon=polygon, provenance=provenance)
        road = network.build_network(graph, winter=winter)
    origins = _origins(study_area)
    network.check_coverage(road, origins, source=str(choice.path.name if choice.path else "OSM"))
    return road


def _origins(study_area: pd.DataFrame) -> pd.DataFrame:
    from accessmap.territory import points

    return points(study_area)


def compute_traveltimes(
    territory: Territory,
    roster: Roster,
    choice: RoadChoice,
    *,
    winter: bool | None = None,
    extra: pd.DataFrame | None = None,
    horizon: float | None = TABLE_HORIZON,
    candidates: bool = True,
    nearest_of: Sequence[pd.DataFrame] | None = None,
    store: Store | None = None,
    progress: Callable[[str], None] | None = None,
    provenance: list[SourceFile] | None = None,
) -> tuple[TravelTimes, RoadNetwork | None]:
    """Return the travel-time table of a study area: from the store's cache, else computed.

    Parameters
    ----------
    territory
        Origins: the town halls of its study area (territory and buffer).
    roster
        Destinations: its sites, plus the territory's town halls (candidates).
    choice
        The road network to use (:func:`choose_roads`).
    winter
        Winter speeds (``None``: the ``ACCESSMAP_WINTER`` setting).
    extra
        More destinations (``id``, ``lon``, ``lat``).
    horizon
        Minutes: only pairs under it are kept (sparse by construction), plus the nearest site of
        every commune whatever its time (an early-stopping search). ``None``: every pair.
    candidates
        Include the territory's town halls as destinations (siting); ``False`` for indicators
        and outlooks, which need the practitioner sites only.
    nearest_of
        Groups of sites (``id``, ``lon``, ``lat``) whose nearest member is kept for every commune
        whatever its time (e.g. one group per profession); default: the roster's sites.
    store
        Open store: read its cache (a computed table is written by :func:`store_traveltimes`).
    progress
        Receives a French step description.
    provenance
        Receives the road file's record.

    Returns
    -------
    tuple
        The :class:`~accessmap.network.TravelTimes` (``method`` says ``osm`` or ``crowfly``;
        ``pairs`` is ``None``: consumers code the table against their own ids) and the road
        network (``None`` for crowfly).

    References
    ----------
    Dijkstra E. W. (1959); Boeing G. (2017), OSMnx, Computers, Environment and Urban Systems 65.
    """
    from accessmap import network

    say = progress or (lambda _text: None)
    origins = _origins(territory.study_area)
    dests = (
        destination_points(roster, territory, extra=extra)
        if candidates
        else site_points(roster)[["id", "lon", "lat"]]
    )
    if choice.kind != "crowfly":
        say(str(Message("progress.roads")))
    road = _road_network(
        choice, _covered(choice, territory.study_area), winter=winter, provenance=provenance
    )
    groups = [site_points(roster)] if nearest_of is None else list(nearest_of)
    key = network.traveltimes_key(origins, dests, network=road, horizon=horizon)
    if nearest_of is not None or choice.kind == "mixed":
        key = _group_key(key, groups, mixed=choice.kind == "mixed")
    if store is not None and (cached := store.read_traveltimes(key)) is not None:
        say(str(Message("progress.times_cached")))
        return network.TravelTimes(
            table=cached,
            unreachable=cached.loc[
                cached["minutes"] == float("inf"), ["origin_id", "dest_id"]
            ].assign(reason="pas de chemin (cache)"),
            snapping=pd.DataFrame(),
            method="mixed"
            if choice.kind == "mixed"
            else (str(cached["method"].iloc[0]) if len(cached) else "crowfly"),
            parameters={"cache_key": key},
        ), road
    say(str(Message("progress.times")))
    if choice.kind == "mixed" and road is not None and choice.path is not None:
        times = _mixed_times(road, choice.path, origins, dests, groups, horizon=horizon)
    else:
        times = _sparse_times(road, origins, dests, groups, horizon=horizon)
    # Not written here: the caller stores the table with its results, in one transaction, so a
    # failed run leaves the store as it was (see store_traveltimes).
    return replace(times, parameters={**times.parameters, "cache_key": key, "fresh": True}), road


def _group_key(key: str, groups: Sequence[pd.DataFrame], *, mixed: bool = False) -> str:
    import hashlib

    ids = "|".join(",".join(sorted(g["id"].astype(str))) for g in groups)
    tail = f"|mixed:{MIXED_MARGIN_KM}" if mixed else ""
    return hashlib.sha256(f"{key}|nearest:{ids}{tail}".encode()).hexdigest()


def _covered(choice: RoadChoice, study_area: pd.DataFrame) -> pd.DataFrame:
    """Return the study-area communes the road network must cover (inside the extent if mixed)."""
    if choice.kind != "mixed" or choice.path is None:
        return study_area
    from accessmap.sources.osm import road_file_extent

    extent = road_file_extent(choice.path)
    inside = _inside_extent(study_area, extent, lon="mairie_lon", lat="mairie_lat")
    return study_area[inside]


def _mixed_times(
    road: RoadNetwork,
    path: Path,
    origins: pd.DataFrame,
    dests: pd.DataFrame,
    groups: Sequence[pd.DataFrame],
    *,
    horizon: float | None,
) -> TravelTimes:
    """Road times for the origins inside the road file's extent, crow-fly for the others.

    Each origin has one method for all its rows (its APL never mixes road and crow-fly times);
    destinations of the road part are the points inside the file's extent (those outside lie
    beyond :data:`MIXED_MARGIN_KM`).
    """
    from accessmap.sources.osm import road_file_extent

    extent = road_file_extent(path)
    near = _inside_extent(origins, extent, lon="lon", lat="lat")

    def within(points: pd.DataFrame) -> pd.DataFrame:
        lo_x, lo_y, hi_x, hi_y = extent
        lon, lat = points["lon"].astype(float), points["lat"].astype(float)
        return points[lon.between(lo_x, hi_x) & lat.between(lo_y, hi_y)]

    road_part = _sparse_times(
        road, origins[near], within(dests), [within(g) for g in groups], horizon=horizon
    )
    fly_part = _sparse_times(None, origins[~near], dests, groups, horizon=horizon)
    return replace(
        road_part,
        table=pd.concat([road_part.table, fly_part.table], ignore_index=True),
        unreachable=pd.concat([road_part.unreachable, fly_part.unreachable], ignore_index=True),
        method="mixed",
        parameters={
            **road_part.parameters,
            "mixed_margin_km": MIXED_MARGIN_KM,
            "crowfly": dict(fly_part.parameters),
        },
        pairs=None,
        notes=(*road_part.notes, *fly_part.notes),
    )


def _sparse_times(
    road: RoadNetwork | None,
    origins: pd.DataFrame,
    dests: pd.DataFrame,
    groups: Sequence[pd.DataFrame],
    *,
    horizon: float | None,
) -> TravelTimes:
    """Pairs under the horizon, plus every commune's nearest site of each group (early stop)."""
    from accessmap import network

    def compute(to: pd.DataFrame, **kwargs: Any) -> TravelTimes:
        if road is not None:
            return network.travel_times(road, origins, to, **kwargs)
        return network.crowfly_times(origins, to, **kwargs)

    # Without its integer form (``pairs``, kept as ``None`` like a table read from the store):
    # every consumer codes the table against its own ids, and on a national table the form holds
    # about 45 MiB for the whole run.
    times = replace(compute(dests, horizon=horizon), pairs=None)
    if horizon is None:
        return times
    extra = [
        nearest[nearest["minutes"] >= horizon]
        for group in groups
        if not group.empty
        for nearest in [compute(group[["id", "lon", "lat"]], min_only=True).table]
    ]
    return replace(times, table=_appended(times.table, extra))


def _appended(table: pd.DataFrame, extra: list[pd.DataFrame]) -> pd.DataFrame:
    """``table`` then the rows of ``extra`` whose pair it lacks (first of each pair kept).

    The same rows as ``concat(...).drop_duplicates(["origin_id", "dest_id"])``, but only the
    few extra rows are hashed, against the table's rows of the same origins (a national table's
    two million string pairs are not).
    """
    from accessmap.contracts import isin_codes

    if not extra:
        return table
    rows = pd.concat(extra, ignore_index=True).drop_duplicates(["origin_id", "dest_id"])
    same = table[isin_codes(table["origin_id"], rows["origin_id"].unique())]

    def keys(frame: pd.DataFrame) -> pd.Series:
        return frame["origin_id"].astype(str) + "\x1f" + frame["dest_id"].astype(str)

    rows = rows[~keys(rows).isin(set(keys(same)))]
    return pd.concat([table, rows], ignore_index=True) if len(rows) else table


def store_traveltimes(store: Store, times: TravelTimes, *, label: str) -> None:
    """Write a freshly computed table to the store's cache (inside the caller's transaction).

    Parameters
    ----------
    store
        Open store, in a transaction.
    times
        From :func:`compute_traveltimes`; tables read from the cache are not written again.
    label
        Label of the cached table.
    """
    if times.parameters.get("fresh"):
        store.write_traveltimes(times.table, key=str(times.parameters["cache_key"]), label=label)
