"""Snapping points to the road network, and the coverage check of a network against its points.

Origins and destinations are tied to their nearest **kept** node (KD-tree in the network's metric
CRS); the straight off-network leg is driven at ``connector_speed_kmh``. A point whose nearest road
node lies on a road island dropped by ``keep_largest`` is flagged (``island``): its times use the
kept network through a long connector leg, and the result says so instead of hiding it.

References
----------
Bentley, J. L. (1975). Multidimensional binary search trees used for associative searching.
Communications of the ACM 18(9), 509-517.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from accessmap.contracts import validate_points
from accessmap.conventions import COVERAGE_MAX_KM, COVERAGE_MAX_SHARE
from accessmap.errors import GraphError, ValidationError
from accessmap.messages import Message, warn
from accessmap.network.geodesy import project
from accessmap.settings import get_settings

if TYPE_CHECKING:
    from accessmap.network.graph import RoadNetwork

__all__ = ["check_coverage", "positive", "snap_points"]


def positive(value: float | None, default: float, *, field: str) -> float:
    """``value`` (or ``default`` when ``None``) checked finite and > 0.

    Parameters
    ----------
    value
        The caller's value.
    default
        Used when ``value`` is ``None`` (usually a setting).
    field
        Name in the error message.

    Returns
    -------
    float

    References
    ----------
    accessmap ``docs/architecture.md``, "Bad input gets a clear error".
    """
    number = default if value is None else float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValidationError("network.not_positive", field=field, value=number)
    return number


def snap_points(
    network: RoadNetwork,
    points: pd.DataFrame,
    *,
    connector_speed_kmh: float | None = None,
    warn_m: float | None = None,
) -> pd.DataFrame:
    """Tie each point to its nearest network node and time the off-network leg.

    Parameters
    ----------
    network
        From :func:`~accessmap.network.build_network`.
    points
        ``id`` (unique), ``lon``, ``lat`` (EPSG:4326).
    connector_speed_kmh
        Speed of the straight leg between a point and its node. Default: the
        ``connector_speed_kmh`` setting (15 km/h).
    warn_m
        Snapping distances above this are flagged (``far``) and trigger one warning.
        Default: the ``snap_warn_m`` setting (2 km).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``node_id``, ``node_index``, ``snap_m`` (metres in the network's metric CRS),
        ``connector_minutes``, ``far`` (bool), ``island`` (bool: the nearest road node of the
        point is on a road island dropped by ``keep_largest``), in the order of ``points``.

    References
    ----------
    Bentley, J. L. (1975). Multidimensional binary search trees used for associative searching.
    Communications of the ACM 18(9), 509-517 (the k-d tree).
    """
    settings = get_settings()
    speed = positive(connector_speed_kmh, settings.connector_speed_kmh, field="connector_speed_kmh")
    limit = positive(warn_m, settings.snap_warn_m, field="snap_warn_m")
    pts = validate_points(points, role="points")
    x, y = project(pts["lon"].to_numpy(), pts["lat"].to_numpy(), network.metric_crs)
    xy = np.column_stack([x, y])
    if len(pts):
        dist, index = network.tree.query(xy)
    else:
        dist, index = np.empty(0), np.empty(0, dtype=np.int64)
    index = np.asarray(index, dtype=np.int64)
    dist = np.asarray(dist, dtype=float)
    far = dist > limit
    if far.any():
        warn(
            "network.far_points",
            count=int(far.sum()),
            distance_m=limit,
            points=pts.loc[far, "id"].tolist(),
            speed_kmh=speed,
        )
    return pd.DataFrame(
        {
            "id": pts["id"],
            "node_id": network.node_ids[index] if len(index) else [],
            "node_index": index,
            "snap_m": dist,
            "connector_minutes": dist / 1000.0 / speed * 60.0,
            "far": far,
            "island": _on_dropped_island(network, xy, dist),
        }
    )


def _on_dropped_island(network: RoadNetwork, xy: np.ndarray, kept_m: np.ndarray) -> np.ndarray:
    """Whether a dropped node (road island) is nearer each point than the nearest kept node."""
    dropped = np.asarray(network.dropped_xy, dtype=float).reshape(-1, 2)
    if len(xy) == 0 or len(dropped) == 0:
        return np.zeros(len(xy), dtype=bool)
    from scipy.spatial import cKDTree

    island_m, _ = cKDTree(dropped).query(xy)
    return np.asarray(island_m < kept_m, dtype=bool)


def check_coverage(
    network: RoadNetwork,
    points: pd.DataFrame,
    *,
    source: str | Path | None = None,
    max_km: float = COVERAGE_MAX_KM,
    max_share: float = COVERAGE_MAX_SHARE,
) -> None:
    """Refuse a road network that does not cover the points (an extract of elsewhere).

    Parameters
    ----------
    network
        From :func:`~accessmap.network.build_network`.
    points
        ``id``, ``lon``, ``lat`` (EPSG:4326): the territory's origins and destinations.
    source
        The file the network came from, named in the message (default: ``network.source``).
    max_km
        A point farther than this from the network's extent (its nodes' bounding box, in
        metres) is "outside" the network.
    max_share
        The network is refused when more than this share of the points is outside it, or when
        the points' bounding box does not meet the network's.

    Raises
    ------
    GraphError
        One line naming the file and the fix.

    References
    ----------
    accessmap issue 11 ("a network that does not cover the territory is refused").
    """
    pts = validate_points(points, role="points")
    if len(pts) == 0:
        return
    name: str | Message = (
        str(source)
        if source is not None
        else (network.source or Message("network.the_road_network"))
    )
    lon, lat = pts["lon"].to_numpy(), pts["lat"].to_numpy()
    disjoint = (
        lon.max() < network.lon.min()
        or lon.min() > network.lon.max()
        or lat.max() < network.lat.min()
        or lat.min() > network.lat.max()
    )
    x, y = project(lon, lat, network.metric_crs)
    # Distance to the network's extent, not to its nodes: a simplified graph keeps only
    # junctions and ends, so a town hall on a long road can lie kilometres from any node.
    margin = max_km * 1000.0
    dx = np.maximum(np.maximum(network.x.min() - x, x - network.x.max()), 0.0)
    dy = np.maximum(np.maximum(network.y.min() - y, y - network.y.max()), 0.0)
    outside = np.hypot(dx, dy) > margin
    if disjoint or outside.mean() > max_share:
        raise GraphError(
            "network.not_covering",
            field="osm",
            source=name,
            outside=int(outside.sum()),
            points=len(pts),
            max_km=float(max_km),
            lon_min=round(float(network.lon.min()), 2),
            lon_max=round(float(network.lon.max()), 2),
            lat_min=round(float(network.lat.min()), 2),
            lat_max=round(float(network.lat.max()), 2),
        )
