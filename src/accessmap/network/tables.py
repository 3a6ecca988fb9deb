"""The travel-time result (:class:`TravelTimes`) and the long tables it holds.

Every method (road, crow-fly) computes on **integer positions** of the origins and destinations and
turns them into the project's long table (``origin_id, dest_id, minutes, method``) once, at the end;
the integer form is kept on the result (:attr:`TravelTimes.pairs`) so that consumers need not
factorise the ids again. Three shapes:

- dense: every origin x destination pair, ``inf`` when no path (or at/beyond ``cutoff``);
- sparse (``horizon``): only the pairs under the horizon; a missing pair means "not within it";
- nearest (``min_only``): one row per origin, its nearest destination.

Identical points are 0 minutes apart whatever the method: a destination with the origin's id, or at
the origin's exact coordinates (to 1e-7 degree), is its own place, never two off-network legs.

References
----------
accessmap ``docs/architecture.md``, "The travel-time table (the currency)".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from accessmap.contracts import OD_COLUMNS, OdPairs, require_columns
from accessmap.errors import ValidationError
from accessmap.messages import Message

__all__ = ["OdSummary", "TravelTimes", "summarize_od"]

#: Snapping table columns (empty for crow-fly).
SNAPPING_COLUMNS = ("role", "id", "node_id", "snap_m", "connector_minutes", "far", "island")


@dataclass(frozen=True, slots=True)
class TravelTimes:
    """A travel-time table and how it was made.

    Attributes
    ----------
    table
        The OD table: columns exactly ``origin_id, dest_id, minutes, method``. Dense (default):
        every pair, ``minutes`` is ``inf`` for pairs with no path (or beyond the cutoff). With a
        ``horizon``: only the pairs under it. With ``min_only``: one row per origin (its nearest
        destination; ``dest_id`` missing when none is reachable).
    unreachable
        ``origin_id, dest_id, reason`` for every ``inf`` row of ``table``.
    snapping
        ``role`` (``origin``/``destination``), ``id``, ``node_id``, ``snap_m``,
        ``connector_minutes``, ``far``, ``island``; empty for ``crowfly``.
    method
        ``"osm"`` or ``"crowfly"``.
    parameters
        The effective parameters (speeds, circuity, cutoff, horizon...), for reports and cache keys.
    pairs
        The same table as integer positions (:class:`accessmap.contracts.OdPairs`), ``None`` when
        the result was read back from a store.
    notes
        What a reader should know (points on a dropped road island...), as messages of the
        catalogue (``str()``: in French).
    """

    table: pd.DataFrame
    unreachable: pd.DataFrame
    snapping: pd.DataFrame
    method: str
    parameters: Mapping[str, Any]
    pairs: OdPairs | None = None
    notes: tuple[Message, ...] = ()


def check_limit(value: float | None, *, field: str) -> float | None:
    """Check a cutoff or horizon in minutes: ``None`` (or ``inf``) for none, else positive."""
    if value is None:
        return None
    number = float(value)
    if math.isnan(number) or number <= 0:
        raise ValidationError("network.not_positive", field=field, value=number)
    return None if math.isinf(number) else number


def search_limit(cutoff: float | None, horizon: float | None) -> float | None:
    """Return the tighter of the cutoff and the horizon (``None`` when neither)."""
    given = [v for v in (cutoff, horizon) if v is not None]
    return min(given) if given else None


def identical_pairs(orig: pd.DataFrame, dest: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(i, j)`` of origin/destination pairs that are the same place.

    Same id, or the same coordinates to 1e-7 degree (about 1 cm).
    """
    o = pd.DataFrame(
        {
            "i": np.arange(len(orig)),
            "id": orig["id"].to_numpy(),
            "lon": np.round(orig["lon"].to_numpy(dtype=float), 7),
            "lat": np.round(orig["lat"].to_numpy(dtype=float), 7),
        }
    )
    d = pd.DataFrame(
        {
            "j": np.arange(len(dest)),
            "id": dest["id"].to_numpy(),
            "lon": np.round(dest["lon"].to_numpy(dtype=float), 7),
            "lat": np.round(dest["lat"].to_numpy(dtype=float), 7),
        }
    )
    same = pd.concat(
        [o.merge(d, on="id")[["i", "j"]], o.merge(d, on=["lon", "lat"])[["i", "j"]]]
    ).drop_duplicates()
    return same["i"].to_numpy(dtype=np.intp), same["j"].to_numpy(dtype=np.intp)


def reason(
    cutoff: float | None, *, nearest: bool, no_destination: bool, word: str = "cutoff"
) -> str:
    """Why a pair (or an origin's nearest destination) has no time, in French.

    ``word`` names the limit that stopped the search: ``"cutoff"`` or ``"horizon"``.
    """
    return str(_reason(cutoff, nearest=nearest, no_destination=no_destination, word=word))


def _reason(cutoff: float | None, *, nearest: bool, no_destination: bool, word: str) -> Message:
    if no_destination:
        return Message("network.reason_no_destination")
    if cutoff is None:
        if nearest:
            return Message("network.reason_nearest_no_path")
        return Message("network.reason_no_path")
    if not nearest:
        return Message("network.reason_not_reached", minutes=cutoff)
    if word == "horizon":
        return Message("network.reason_nearest_beyond_horizon", minutes=cutoff)
    return Message("network.reason_nearest_not_reached", minutes=cutoff)


def _ids(values: np.ndarray) -> pd.Index:
    return pd.Index(np.asarray(values, dtype=object).astype(str), dtype=object)


def coded_frame(
    o_ids: np.ndarray,
    d_ids: np.ndarray,
    origin: np.ndarray,
    dest: np.ndarray,
    minutes: np.ndarray,
    method: str,
) -> tuple[pd.DataFrame, OdPairs]:
    """Build the long table (and its integer form) from positions; ``dest`` -1: missing id.

    ``minutes`` becomes the table's column as it is (no copy: a national table's 15 MiB are not
    held twice): the callers pass an array of their own that nothing changes afterwards.
    """
    origins, dests = _ids(o_ids), _ids(d_ids)
    o_str = pd.array(origins.to_numpy(), dtype="str")
    d_str = pd.array(np.concatenate([dests.to_numpy(dtype=object), [None]]), dtype="str")
    dest_pos = np.where(dest >= 0, dest, len(dests))
    table = pd.DataFrame(
        {
            "origin_id": o_str.take(origin),
            "dest_id": d_str.take(dest_pos),
            "minutes": np.asarray(minutes, dtype=float),
            "method": method,
        },
        copy=False,
    )
    pairs = OdPairs(
        origin=np.asarray(origin, dtype=np.intp),
        dest=np.asarray(dest, dtype=np.intp),
        minutes=table["minutes"].to_numpy(),
        origins=origins,
        dests=dests,
        rows=np.arange(len(table), dtype=np.intp),
    )
    return table, pairs


def unreachable_rows(table: pd.DataFrame, why: str) -> pd.DataFrame:
    """``origin_id, dest_id, reason`` for every ``inf`` row."""
    infinite = ~np.isfinite(table["minutes"].to_numpy())
    rows = table.loc[infinite, ["origin_id", "dest_id"]].reset_index(drop=True)
    return rows.assign(reason=pd.array([why] * len(rows), dtype="str"))


def dense_result(
    o_ids: np.ndarray,
    d_ids: np.ndarray,
    minutes: np.ndarray,
    *,
    method: str,
    why: str,
    snapping: pd.DataFrame,
    parameters: Mapping[str, Any],
    notes: tuple[Message, ...] = (),
) -> TravelTimes:
    """Every origin x destination pair (origin-major) from a minutes matrix."""
    n_o, n_d = len(o_ids), len(d_ids)
    origin = np.repeat(np.arange(n_o, dtype=np.intp), n_d)
    dest = np.tile(np.arange(n_d, dtype=np.intp), n_o)
    flat = np.array(minutes, dtype=float).ravel()  # a copy: the caller's matrix stays its own
    table, pairs = coded_frame(o_ids, d_ids, origin, dest, flat, method)
    return TravelTimes(
        table, unreachable_rows(table, why), snapping, method, parameters, pairs, notes
    )


def sparse_result(
    o_ids: np.ndarray,
    d_ids: np.ndarray,
    origin: np.ndarray,
    dest: np.ndarray,
    minutes: np.ndarray,
    *,
    method: str,
    snapping: pd.DataFrame,
    parameters: Mapping[str, Any],
    notes: tuple[Message, ...] = (),
) -> TravelTimes:
    """Only the given pairs (all finite), sorted origin-major like the dense table."""
    order = np.lexsort((dest, origin))
    origin, dest, minutes = origin[order], dest[order], np.asarray(minutes, dtype=float)[order]
    del order  # not held while the table is built
    table, pairs = coded_frame(o_ids, d_ids, origin, dest, minutes, method)
    return TravelTimes(
        table, unreachable_rows(table, ""), snapping, method, parameters, pairs, notes
    )


def with_identical(
    origin: np.ndarray,
    dest: np.ndarray,
    minutes: np.ndarray,
    same: tuple[np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sparse pairs with every identical pair present at 0 minutes (one row per pair).

    The pairs (unordered: :func:`sparse_result` sorts them) are those given, an identical pair
    among them set to 0 minutes, then the identical pairs missing from them. Only the few
    identical pairs are sorted; each given pair is looked up among them by binary search (no
    copy of the whole table but the minutes).
    """
    i, j = same
    if len(i) == 0:
        return origin, dest, minutes
    width = int(max(dest.max(initial=0), j.max(initial=0), 0)) + 1
    wanted, first = np.unique(i.astype(np.int64) * width + j, return_index=True)
    codes = origin.astype(np.int64) * width + dest
    at = np.minimum(np.searchsorted(wanted, codes), len(wanted) - 1)
    hit = wanted[at] == codes
    minutes = np.where(hit, 0.0, minutes)
    missing = np.ones(len(wanted), dtype=bool)
    missing[at[hit]] = False
    add = first[missing]
    return (
        np.concatenate([origin, i[add]]),
        np.concatenate([dest, j[add]]),
        np.concatenate([minutes, np.zeros(len(add))]),
    )


def nearest_result(
    o_ids: np.ndarray,
    d_ids: np.ndarray,
    minutes: np.ndarray,
    nearest: np.ndarray,
    *,
    same: tuple[np.ndarray, np.ndarray],
    limit: float | None,
    method: str,
    why: str,
    snapping: pd.DataFrame,
    parameters: Mapping[str, Any],
    notes: tuple[Message, ...] = (),
) -> TravelTimes:
    """One row per origin: its nearest destination (identical points first, at 0 minutes)."""
    minutes = np.asarray(minutes, dtype=float).copy()
    nearest = np.asarray(nearest, dtype=np.intp).copy()
    if limit is not None:
        nearest = np.where(minutes < limit, nearest, -1)
        minutes = np.where(minutes < limit, minutes, np.inf)
    i, j = same
    if len(i):
        order = np.lexsort((j, i))
        first = np.unique(i[order], return_index=True)[1]
        minutes[i[order][first]] = 0.0
        nearest[i[order][first]] = j[order][first]
    origin = np.arange(len(o_ids), dtype=np.intp)
    table, pairs = coded_frame(o_ids, d_ids, origin, nearest, minutes, method)
    return TravelTimes(
        table, unreachable_rows(table, why), snapping, method, parameters, pairs, notes
    )


@dataclass(frozen=True, slots=True)
class OdSummary:
    """Headline figures of a travel-time table.

    Attributes
    ----------
    pairs
        Rows of the table.
    reachable, unreachable
        Rows with finite / infinite minutes.
    median_minutes, max_minutes
        Over reachable rows (``nan`` when none).
    methods
        Methods present in the table.
    """

    pairs: int
    reachable: int
    unreachable: int
    median_minutes: float
    max_minutes: float
    methods: tuple[str, ...]


def summarize_od(table: pd.DataFrame) -> OdSummary:
    """Summarise a travel-time table (pairs, median/max minutes, unreachable pairs).

    Parameters
    ----------
    table
        ``origin_id, dest_id, minutes, method``.

    Returns
    -------
    OdSummary
        Counts and figures.

    References
    ----------
    DREES (2023). L'accessibilité potentielle localisée (APL): méthodologie (travel-time tables
    between communes).
    """
    require_columns(table, OD_COLUMNS, table="od")
    minutes = table["minutes"].to_numpy(dtype=float)
    finite = np.isfinite(minutes)
    return OdSummary(
        pairs=len(table),
        reachable=int(finite.sum()),
        unreachable=int((~finite).sum()),
        median_minutes=float(np.median(minutes[finite])) if finite.any() else math.nan,
        max_minutes=float(minutes[finite].max()) if finite.any() else math.nan,
        methods=tuple(sorted(table["method"].astype(str).unique())),
    )
