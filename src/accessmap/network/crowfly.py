"""The offline estimate: great-circle km x circuity / speed, dense, sparse or nearest.

The sparse (``horizon``) and nearest (``min_only``) forms never build an origins x destinations
matrix: a KD-tree of the destinations on the unit sphere (:func:`~accessmap.network.geodesy.
unit_sphere`, where chord length grows with great-circle distance, so the searches are exact)
gives the candidate pairs within the horizon's radius, or each origin's nearest destinations, and
the times of the candidates are computed with the same haversine formula as the dense table.

References
----------
Boscoe, F. P., Henry, K. A., & Zdeb, M. S. (2012). A nationwide comparison of driving distance
versus straight-line distance to hospitals. The Professional Geographer 64(2), 188-196.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from accessmap.contracts import validate_points
from accessmap.network.geodesy import chord_of_km, haversine_km, unit_sphere
from accessmap.network.snapping import positive
from accessmap.network.tables import (
    SNAPPING_COLUMNS,
    TravelTimes,
    check_limit,
    dense_result,
    identical_pairs,
    nearest_result,
    reason,
    search_limit,
    sparse_result,
    with_identical,
)
from accessmap.settings import get_settings

__all__ = ["crowfly_times"]

#: Candidates examined per origin for its nearest destination (ties broken by position).
_NEAREST_CANDIDATES = 8
#: Origins per KD-tree query of the sparse table (bounds the transient memory).
_CHUNK = 4096


def crowfly_times(
    origins: pd.DataFrame,
    destinations: pd.DataFrame,
    *,
    circuity: float | None = None,
    speed_kmh: float | None = None,
    cutoff: float | None = None,
    min_only: bool = False,
    horizon: float | None = None,
) -> TravelTimes:
    """Offline estimate: great-circle km * circuity / speed.

    Parameters
    ----------
    origins, destinations
        Points: ``id`` (unique), ``lon``, ``lat`` (EPSG:4326). A destination with an origin's id,
        or at its exact coordinates, is 0 minutes from it.
    circuity
        Road distance over great-circle distance (default: the ``crowfly_circuity`` setting, 1.3).
    speed_kmh
        Average speed (default: the ``crowfly_speed_kmh`` setting, 60 km/h).
    cutoff
        Minutes; pairs at or beyond it get ``inf`` (dense table).
    min_only
        One row per origin: its nearest destination (KD-tree; no matrix).
    horizon
        Minutes; **sparse** table of the pairs with ``t < horizon`` only, found with a KD-tree
        (with ``min_only`` it acts as a cutoff). ``None``: the dense table.

    Returns
    -------
    TravelTimes
        ``method == "crowfly"`` in the table and on the result; ``snapping`` is empty.

    References
    ----------
    Boscoe, F. P., Henry, K. A., & Zdeb, M. S. (2012). A nationwide comparison of driving distance
    versus straight-line distance to hospitals. The Professional Geographer 64(2), 188-196
    (circuity factors of about 1.2-1.4).
    """
    settings = get_settings()
    factor = positive(circuity, settings.crowfly_circuity, field="crowfly_circuity")
    speed = positive(speed_kmh, settings.crowfly_speed_kmh, field="crowfly_speed_kmh")
    cut = check_limit(cutoff, field="cutoff")
    hor = check_limit(horizon, field="horizon")
    limit = search_limit(cut, hor)
    orig = validate_points(origins, role="origins")
    dest = validate_points(destinations, role="destinations")
    same = identical_pairs(orig, dest)
    o_ids, d_ids = orig["id"].to_numpy(), dest["id"].to_numpy()
    per_km = factor / speed * 60.0
    common: dict[str, Any] = {
        "method": "crowfly",
        "snapping": pd.DataFrame(columns=list(SNAPPING_COLUMNS)),
        "parameters": {
            "circuity": factor,
            "speed_kmh": speed,
            "cutoff": cutoff,
            "horizon": horizon,
            "min_only": min_only,
        },
    }
    if min_only:
        minutes, nearest = _nearest(orig, dest, per_km=per_km, limit=limit)
        why = reason(limit, nearest=True, no_destination=len(d_ids) == 0)
        return nearest_result(
            o_ids, d_ids, minutes, nearest, same=same, limit=limit, why=why, **common
        )
    if hor is not None:
        origin, destination, minutes = _within(orig, dest, per_km=per_km, limit=limit or hor)
        origin, destination, minutes = with_identical(origin, destination, minutes, same)
        return sparse_result(o_ids, d_ids, origin, destination, minutes, **common)
    minutes = _minutes(orig, dest, None, None, per_km=per_km)
    if cut is not None:
        minutes = np.where(minutes < cut, minutes, np.inf)
    minutes[same] = 0.0
    why = reason(cut, nearest=False, no_destination=False)
    return dense_result(o_ids, d_ids, minutes, why=why, **common)


def _minutes(
    orig: pd.DataFrame,
    dest: pd.DataFrame,
    i: np.ndarray | None,
    j: np.ndarray | None,
    *,
    per_km: float,
) -> np.ndarray:
    """Minutes of the pairs ``(i, j)``, or of every pair (a matrix) when both are ``None``."""
    o_lon, o_lat = orig["lon"].to_numpy(), orig["lat"].to_numpy()
    d_lon, d_lat = dest["lon"].to_numpy(), dest["lat"].to_numpy()
    if i is None or j is None:
        km = haversine_km(o_lon[:, None], o_lat[:, None], d_lon[None, :], d_lat[None, :])
    else:
        km = haversine_km(o_lon[i], o_lat[i], d_lon[j], d_lat[j])
    return np.asarray(km * per_km, dtype=float)


def _within(
    orig: pd.DataFrame, dest: pd.DataFrame, *, per_km: float, limit: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs with ``minutes < limit``: KD-tree candidates, then the exact formula.

    Origins are taken in chunks, each answered by ``cKDTree.sparse_distance_matrix`` as a numeric
    array (no Python lists), so the memory held stays near the size of the pairs kept.
    """
    from scipy.spatial import cKDTree

    empty = np.empty(0, dtype=np.intp)
    if len(orig) == 0 or len(dest) == 0:
        return empty, empty, np.empty(0)
    radius = chord_of_km(limit / per_km) * (1.0 + 1e-9) + 1e-12
    tree = cKDTree(unit_sphere(dest["lon"], dest["lat"]))
    xyz = unit_sphere(orig["lon"], orig["lat"])
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for start in range(0, len(orig), _CHUNK):
        chunk = cKDTree(xyz[start : start + _CHUNK])
        pairs = chunk.sparse_distance_matrix(tree, radius, output_type="ndarray")
        i = pairs["i"].astype(np.intp) + start
        j = pairs["j"].astype(np.intp)
        minutes = _minutes(orig, dest, i, j, per_km=per_km)
        keep = minutes < limit
        found.append((i[keep], j[keep], minutes[keep]))
    return (
        np.concatenate([f[0] for f in found]),
        np.concatenate([f[1] for f in found]),
        np.concatenate([f[2] for f in found]),
    )


def _nearest(
    orig: pd.DataFrame, dest: pd.DataFrame, *, per_km: float, limit: float | None
) -> tuple[np.ndarray, np.ndarray]:
    """Minutes to the nearest destination and its position (-1 when none), by KD-tree."""
    from scipy.spatial import cKDTree

    n_o = len(orig)
    if n_o == 0 or len(dest) == 0:
        return np.full(n_o, np.inf), np.full(n_o, -1, dtype=np.intp)
    k = min(_NEAREST_CANDIDATES, len(dest))
    tree = cKDTree(unit_sphere(dest["lon"], dest["lat"]))
    _, cand = tree.query(unit_sphere(orig["lon"], orig["lat"]), k=k)
    cand = np.asarray(cand, dtype=np.intp).reshape(n_o, k)
    i = np.repeat(np.arange(n_o, dtype=np.intp), k)
    minutes = _minutes(orig, dest, i, cand.ravel(), per_km=per_km).reshape(n_o, k)
    # the smallest time, ties to the lowest destination position (as a dense argmin would)
    order = np.lexsort((cand, minutes), axis=1)
    best = order[:, 0]
    rows = np.arange(n_o)
    nearest, best_minutes = cand[rows, best], minutes[rows, best]
    if limit is not None:
        nearest = np.where(best_minutes < limit, nearest, -1)
    return best_minutes, nearest
