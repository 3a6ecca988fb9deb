"""Road travel times on a :class:`~accessmap.network.RoadNetwork`: multi-source Dijkstra on the CSR.

- dense (default): every origin x destination pair, batched :func:`scipy.sparse.csgraph.dijkstra`
  from the distinct origin nodes (or from the destination nodes on the reversed graph when they
  are fewer);
- sparse (``horizon``): the same searches stopped at the horizon (``limit=``), and only the pairs
  under it kept, batch by batch: memory grows with the pairs kept, not origins x destinations;
- nearest (``min_only``): one multi-source search from every destination at once on the reversed
  graph (each destination enters through a virtual node carrying its connector leg), stopped at
  the cutoff/horizon: its cost does not grow with the number of origins and no matrix is built.

References
----------
Dijkstra, E. W. (1959). A note on two problems in connexion with graphs. Numerische Mathematik 1,
269-271. SciPy ``scipy.sparse.csgraph.dijkstra`` (``indices``, ``limit``, ``min_only``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from accessmap.contracts import validate_points
from accessmap.messages import Message
from accessmap.network.snapping import positive, snap_points
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

if TYPE_CHECKING:
    from accessmap.network.graph import RoadNetwork

__all__ = ["minutes_to_nearest", "travel_times"]

#: Dijkstra rows are computed in batches of at most this many cells (rows x nodes): 16 MB of
#: float64 at a time, which stays in cache and keeps the peak memory low (the pairs do not
#: depend on it: each search is its own).
_MAX_MATRIX_CELLS = 2_000_000


def travel_times(
    network: RoadNetwork,
    origins: pd.DataFrame,
    destinations: pd.DataFrame,
    *,
    cutoff: float | None = None,
    min_only: bool = False,
    connector_speed_kmh: float | None = None,
    horizon: float | None = None,
) -> TravelTimes:
    """Road travel times from every origin to every destination (or to the nearest one).

    Parameters
    ----------
    network
        From :func:`~accessmap.network.build_network` (the CSR is reused, never rebuilt).
    origins, destinations
        Points: ``id`` (unique), ``lon``, ``lat`` (EPSG:4326); extra columns ignored. A
        destination with an origin's id, or at its exact coordinates, is 0 minutes from it.
    cutoff
        Minutes. Searches stop there and pairs at or beyond it get ``inf`` (bands are half-open:
        "within T minutes" means ``t < T``); the table stays dense.
    min_only
        One row per origin: the time to its nearest destination, by one multi-source search.
    connector_speed_kmh
        Speed of the off-network legs (default: the ``connector_speed_kmh`` setting).
    horizon
        Minutes. **Sparse** table: searches stop there and only pairs with ``t < horizon`` are
        returned (a missing pair means "not within the horizon", as every consumer reads it).
        With ``min_only`` it acts as a cutoff. ``None``: the dense table.

    Returns
    -------
    TravelTimes
        ``table`` (``origin_id, dest_id, minutes, method="osm"``), ``unreachable`` with reasons,
        ``snapping`` distances (``island`` flags points whose nearest road is a dropped island,
        also said in ``notes``), ``pairs`` (integer form); ``notes`` start with the network's
        (:attr:`~accessmap.network.RoadNetwork.notes`: length factor, the graph's own times).

    References
    ----------
    Dijkstra, E. W. (1959). A note on two problems in connexion with graphs. Numerische Mathematik
    1, 269-271. SciPy ``scipy.sparse.csgraph.dijkstra`` (multi-source, ``limit``, ``min_only``).
    """
    cut = check_limit(cutoff, field="cutoff")
    hor = check_limit(horizon, field="horizon")
    limit = search_limit(cut, hor)
    speed = positive(
        connector_speed_kmh, get_settings().connector_speed_kmh, field="connector_speed_kmh"
    )
    orig = snap_points(network, origins, connector_speed_kmh=speed)
    dest = snap_points(network, destinations, connector_speed_kmh=speed)
    snapping = pd.concat(
        [orig.assign(role="origin"), dest.assign(role="destination")], ignore_index=True
    )[list(SNAPPING_COLUMNS)]
    parameters = {
        "connector_speed_kmh": speed,
        "cutoff": cutoff,
        "horizon": horizon,
        "min_only": min_only,
        "network": network.digest,
        "length_factor": network.length_factor,
    }
    same = identical_pairs(validate_points(origins), validate_points(destinations))
    o_ids, d_ids = orig["id"].to_numpy(), dest["id"].to_numpy()
    common: dict[str, Any] = {
        "method": "osm",
        "snapping": snapping,
        "parameters": parameters,
        "notes": (*network.notes, *_island_notes(snapping)),
    }
    if min_only:
        minutes, nearest = _nearest(
            network,
            orig["node_index"].to_numpy(),
            orig["connector_minutes"].to_numpy(),
            dest["node_index"].to_numpy(),
            dest["connector_minutes"].to_numpy(),
            limit=limit,
        )
        word = "cutoff" if cut is not None and limit == cut else "horizon"
        why = reason(limit, nearest=True, no_destination=len(d_ids) == 0, word=word)
        return nearest_result(
            o_ids, d_ids, minutes, nearest, same=same, limit=limit, why=why, **common
        )
    if hor is not None:
        origin, destination, minutes = _sparse(network, orig, dest, limit=limit or hor)
        origin, destination, minutes = with_identical(origin, destination, minutes, same)
        return sparse_result(o_ids, d_ids, origin, destination, minutes, **common)
    total = _dense(network, orig, dest, limit=limit)
    total[same] = 0.0
    why = reason(cut, nearest=False, no_destination=False)
    return dense_result(o_ids, d_ids, total, why=why, **common)


def _island_notes(snapping: pd.DataFrame) -> tuple[Message, ...]:
    """One note listing the points whose nearest road is a dropped island."""
    island = snapping.loc[snapping["island"].astype(bool)]
    if island.empty:
        return ()
    ids = pd.unique(island["id"].astype(str)).tolist()
    return (Message("network.island_points", count=island["id"].nunique(), points=ids),)


def _dense(
    network: RoadNetwork, orig: pd.DataFrame, dest: pd.DataFrame, *, limit: float | None
) -> np.ndarray:
    """Origin connector + network + destination connector, every pair; ``inf`` at/over ``limit``."""
    net = _matrix(
        network, orig["node_index"].to_numpy(), dest["node_index"].to_numpy(), limit=limit
    )
    total = (
        orig["connector_minutes"].to_numpy()[:, None]
        + net
        + dest["connector_minutes"].to_numpy()[None, :]
    )
    if limit is not None:
        total = np.where(total < limit, total, np.inf)
    return np.asarray(total, dtype=float)


def _sources(network: RoadNetwork, o_idx: np.ndarray, d_idx: np.ndarray) -> tuple[bool, Any]:
    """Search forward from the origins when their distinct nodes are fewer, else backward."""
    forward = len(np.unique(o_idx)) <= len(np.unique(d_idx))
    return forward, network.csr if forward else network.csr_reversed


def _matrix(
    network: RoadNetwork, o_idx: np.ndarray, d_idx: np.ndarray, *, limit: float | None
) -> np.ndarray:
    """Network minutes between node indices (len(o_idx) x len(d_idx)), batched Dijkstra."""
    from scipy.sparse.csgraph import dijkstra

    if len(o_idx) == 0 or len(d_idx) == 0:
        return np.empty((len(o_idx), len(d_idx)))
    uo, o_inv = np.unique(o_idx, return_inverse=True)
    ud, d_inv = np.unique(d_idx, return_inverse=True)
    forward, graph = _sources(network, o_idx, d_idx)
    sources, targets = (uo, ud) if forward else (ud, uo)
    out = np.empty((len(sources), len(targets)))
    batch = max(1, _MAX_MATRIX_CELLS // max(network.n_nodes, 1))
    for start in range(0, len(sources), batch):
        dist = dijkstra(
            graph,
            directed=True,
            indices=sources[start : start + batch],
            limit=np.inf if limit is None else limit,
        )
        out[start : start + batch] = dist[:, targets]
    if not forward:
        out = out.T
    return np.asarray(out[o_inv][:, d_inv])


def _sparse(
    network: RoadNetwork, orig: pd.DataFrame, dest: pd.DataFrame, *, limit: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``(i, j, minutes)`` with connector + network + connector ``< limit``, batch by batch.

    Each batch of searches is stopped at ``limit`` and only its pairs under it are kept, so the
    memory held grows with the pairs kept (plus one batch of rows), not with origins x
    destinations.
    """
    from scipy.sparse.csgraph import dijkstra

    o_idx, d_idx = orig["node_index"].to_numpy(), dest["node_index"].to_numpy()
    empty = np.empty(0, dtype=np.intp)
    if len(o_idx) == 0 or len(d_idx) == 0:
        return empty, empty, np.empty(0)
    forward, graph = _sources(network, o_idx, d_idx)
    s_idx, t_idx = (o_idx, d_idx) if forward else (d_idx, o_idx)
    s_conn, t_conn = (
        (orig["connector_minutes"].to_numpy(), dest["connector_minutes"].to_numpy())
        if forward
        else (dest["connector_minutes"].to_numpy(), orig["connector_minutes"].to_numpy())
    )
    sources, s_inv = np.unique(s_idx, return_inverse=True)
    batch = max(1, _MAX_MATRIX_CELLS // max(network.n_nodes, 1))
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for start in range(0, len(sources), batch):
        dist = dijkstra(graph, directed=True, indices=sources[start : start + batch], limit=limit)
        rows = np.flatnonzero((s_inv >= start) & (s_inv < start + batch))
        block = dist[np.ix_(s_inv[rows] - start, t_idx)] + s_conn[rows, None] + t_conn[None, :]
        r, c = np.nonzero(block < limit)
        found.append((rows[r], c, block[r, c]))
    s_pos = np.concatenate([f[0] for f in found]).astype(np.intp)
    t_pos = np.concatenate([f[1] for f in found]).astype(np.intp)
    minutes = np.concatenate([f[2] for f in found])
    return (s_pos, t_pos, minutes) if forward else (t_pos, s_pos, minutes)


def _nearest(
    network: RoadNetwork,
    o_idx: np.ndarray,
    o_conn: np.ndarray,
    d_idx: np.ndarray,
    d_conn: np.ndarray,
    *,
    limit: float | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Minutes to the nearest destination and its position, for every origin (-1 if none)."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import dijkstra

    if len(d_idx) == 0 or len(o_idx) == 0:
        return np.full(len(o_idx), np.inf), np.full(len(o_idx), -1, dtype=np.int64)
    n, k = network.n_nodes, len(d_idx)
    rev = network.csr_reversed.tocoo()
    virtual = np.arange(n, n + k)
    rows = np.concatenate([rev.row, virtual])
    cols = np.concatenate([rev.col, d_idx])
    data = np.concatenate([rev.data, d_conn])
    graph = sp.csr_array((data, (rows, cols)), shape=(n + k, n + k))
    dist, _, sources = dijkstra(
        graph,
        directed=True,
        indices=virtual,
        min_only=True,
        return_predecessors=True,
        limit=np.inf if limit is None else limit,
    )
    minutes = dist[o_idx] + o_conn
    nearest = np.where(np.isfinite(dist[o_idx]), sources[o_idx] - n, -1).astype(np.int64)
    minutes = np.where(nearest >= 0, minutes, np.inf)
    return minutes, nearest


def minutes_to_nearest(
    network: RoadNetwork,
    destinations: pd.DataFrame,
    *,
    cutoff: float | None = None,
    connector_speed_kmh: float | None = None,
) -> pd.DataFrame:
    """Minutes from every network node to its nearest destination (one multi-source search).

    Parameters
    ----------
    network
        From :func:`~accessmap.network.build_network`.
    destinations
        Points: ``id`` (unique), ``lon``, ``lat`` (EPSG:4326); their off-network legs count.
    cutoff
        Minutes; nodes at or beyond it get ``inf`` (and the search stops there).
    connector_speed_kmh
        Speed of the destinations' off-network legs (default: the setting).

    Returns
    -------
    pandas.DataFrame
        One row per node, in node order: ``node_id``, ``minutes`` (``inf`` when not reached),
        ``dest_id`` (missing when not reached).

    References
    ----------
    Dijkstra, E. W. (1959). A note on two problems in connexion with graphs. Numerische Mathematik
    1, 269-271 (run from all destinations at once on the reversed graph).
    """
    limit = check_limit(cutoff, field="cutoff")
    dest = snap_points(network, destinations, connector_speed_kmh=connector_speed_kmh)
    minutes, nearest = _nearest(
        network,
        np.arange(network.n_nodes),
        np.zeros(network.n_nodes),
        dest["node_index"].to_numpy(),
        dest["connector_minutes"].to_numpy(),
        limit=limit,
    )
    if limit is not None:
        nearest = np.where(minutes < limit, nearest, -1)
        minutes = np.where(minutes < limit, minutes, np.inf)
    ids = np.concatenate([dest["id"].to_numpy(dtype=object), [None]])
    return pd.DataFrame(
        {
            "node_id": network.node_ids,
            "minutes": minutes,
            "dest_id": pd.array(ids[np.where(nearest >= 0, nearest, len(ids) - 1)], dtype="str"),
        }
    )
