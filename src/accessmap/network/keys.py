"""Cache keys: a content hash of every input of a travel-time table.

References
----------
Fink, C., et al. (2022). r5py: Rapid Realistic Routing with R5 in Python (content-hash caching of
inputs). https://doi.org/10.5281/zenodo.7060437
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

import pandas as pd

from accessmap.contracts import validate_points
from accessmap.settings import get_settings

if TYPE_CHECKING:
    from accessmap.network.graph import RoadNetwork

__all__ = ["traveltimes_key"]

#: Bump when the numbers a given input produces change (2: identical points are 0 minutes apart).
_ALGORITHM_VERSION = 2


def traveltimes_key(
    origins: pd.DataFrame,
    destinations: pd.DataFrame,
    *,
    network: RoadNetwork | None = None,
    cutoff: float | None = None,
    min_only: bool = False,
    connector_speed_kmh: float | None = None,
    circuity: float | None = None,
    speed_kmh: float | None = None,
    horizon: float | None = None,
) -> str:
    """Content hash of every input of a travel-time table (for ``Store.read_traveltimes(key)``).

    Parameters
    ----------
    origins, destinations
        Points (``id``, ``lon``, ``lat``); their order does not change the key.
    network
        The road network (its :attr:`RoadNetwork.digest` covers nodes, coordinates and edge
        minutes, hence speeds, winter factors and the length factor); ``None`` for ``crowfly``.
    cutoff, min_only, connector_speed_kmh, horizon
        As in :func:`~accessmap.network.travel_times` (settings defaults resolved, so a changed
        setting changes the key).
    circuity, speed_kmh
        As in :func:`~accessmap.network.crowfly_times` (used when ``network`` is ``None``).

    Returns
    -------
    str
        64 hex characters (sha256), also covering the package and algorithm versions.

    References
    ----------
    Fink, C., et al. (2022). r5py: Rapid Realistic Routing with R5 in Python (content-hash caching
    of inputs). https://doi.org/10.5281/zenodo.7060437
    """
    from accessmap import __version__

    settings = get_settings()
    payload: dict[str, Any] = {
        "version": __version__,
        "algorithm": _ALGORITHM_VERSION,
        "cutoff": None if cutoff is None else float(cutoff),
        "min_only": bool(min_only),
        "origins": _points_fingerprint(origins, role="origins"),
        "destinations": _points_fingerprint(destinations, role="destinations"),
    }
    if horizon is not None:
        payload["horizon"] = float(horizon)
    if network is None:
        payload["method"] = "crowfly"
        payload["circuity"] = float(circuity or settings.crowfly_circuity)
        payload["speed_kmh"] = float(speed_kmh or settings.crowfly_speed_kmh)
    else:
        payload["method"] = "osm"
        payload["network"] = network.digest
        payload["connector_speed_kmh"] = float(connector_speed_kmh or settings.connector_speed_kmh)
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _points_fingerprint(points: pd.DataFrame, *, role: str) -> list[list[Any]]:
    pts = validate_points(points, role=role).sort_values("id")
    return [
        [i, round(float(lon), 7), round(float(lat), 7)]
        for i, lon, lat in zip(pts["id"], pts["lon"], pts["lat"], strict=True)
    ]
