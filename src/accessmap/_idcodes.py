"""Integer codes of the id columns of tables, computed once per column (plumbing of contracts).

A run codes the same travel-time table again and again (every indicator, siting model and outlook
validates it with :func:`accessmap.contracts.validate_od`). pandas keeps an Arrow-backed string
column in an immutable Arrow array and replaces that array when the column is written to, so the
codes of a column can be kept with its array: here, weakly, for as long as the array lives.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["factorized", "id_index", "known_distinct", "repeated_pairs"]

IntArray: TypeAlias = npt.NDArray[np.intp]
#: Codes of an id column (``int32``, or ``intp`` for more than 2**31 distinct ids).
Codes: TypeAlias = npt.NDArray[np.signedinteger[Any]]

#: Factorisations of Arrow-backed id columns, by the column's (immutable) Arrow array: the same
#: travel-time table is coded again by every indicator and siting model of a run, so its two id
#: columns are factorised once. Entries go with their array (weak references); pandas replaces the
#: array of a column that is written to, so a modified table is factorised afresh.
_FACTORIZED: dict[int, tuple[weakref.ref[object], Codes, npt.NDArray[np.object_]]] = {}

#: Whether the (origin, destination) pairs of two Arrow id columns are all distinct, by the ids of
#: their arrays (entries go with the arrays, as in :data:`_FACTORIZED`).
_DISTINCT: dict[tuple[int, int], tuple[weakref.ref[object], weakref.ref[object], bool]] = {}


def _arrow_of(values: pd.Series) -> object | None:
    """Return the immutable Arrow array behind an Arrow-backed string column, else ``None``."""
    if not isinstance(values.dtype, pd.StringDtype) or values.dtype.storage != "pyarrow":
        return None
    return values.array.__arrow_array__()


def _forget(key: object, table: dict[object, object]) -> Callable[[weakref.ref[object]], None]:
    """Return a weak-reference callback removing ``key`` from ``table``."""

    def drop(_ref: weakref.ref[object]) -> None:
        table.pop(key, None)

    return drop


def factorized(values: pd.Series) -> tuple[Codes, npt.NDArray[np.object_]]:
    """Return ``pandas.factorize`` of an id column, computed once per Arrow array.

    Parameters
    ----------
    values
        Ids (any dtype; only Arrow-backed strings are kept).

    Returns
    -------
    tuple
        Codes (``int32``, -1 for a missing id; ``intp`` beyond 2**31 distinct ids) and the
        distinct ids as str (object array), in order of appearance. Kept results are read-only
        arrays: callers copy before writing. The codes are kept narrow because they live as long
        as their table (France's two million pairs: 16 MiB for both columns, not 32).
    """
    arrow = _arrow_of(values)
    hit = _FACTORIZED.get(id(arrow)) if arrow is not None else None
    if hit is not None and hit[0]() is arrow:
        return hit[1], hit[2]
    codes, uniques = pd.factorize(values)
    narrow = len(uniques) < np.iinfo(np.int32).max
    coded: Codes = codes.astype(np.int32) if narrow else codes.astype(np.intp)
    names = np.asarray(uniques).astype(str).astype(object)
    if arrow is not None:
        coded.flags.writeable = False
        names.flags.writeable = False
        table: dict[object, object] = _FACTORIZED  # type: ignore[assignment]
        _FACTORIZED[id(arrow)] = (weakref.ref(arrow, _forget(id(arrow), table)), coded, names)
    return coded, names


def known_distinct(frame: pd.DataFrame) -> bool:
    """Say whether a travel-time table is known to have no repeated (origin, destination) pair.

    Parameters
    ----------
    frame
        ``origin_id``, ``dest_id`` (rows missing either id are left out).

    Returns
    -------
    bool
        ``True`` when every pair is distinct (checked once per pair of Arrow id columns);
        ``False`` when some pair repeats or the columns are not Arrow-backed (the caller checks).
    """
    o_arrow, d_arrow = _arrow_of(frame["origin_id"]), _arrow_of(frame["dest_id"])
    if o_arrow is None or d_arrow is None:
        return False
    key = (id(o_arrow), id(d_arrow))
    hit = _DISTINCT.get(key)
    if hit is not None and hit[0]() is o_arrow and hit[1]() is d_arrow:
        return hit[2]
    oi, _ = factorized(frame["origin_id"])
    dj, d_names = factorized(frame["dest_id"])
    both = (oi >= 0) & (dj >= 0)
    distinct = not _any_repeated(oi[both], dj[both], len(d_names))
    table: dict[object, object] = _DISTINCT  # type: ignore[assignment]
    drop = _forget(key, table)
    _DISTINCT[key] = (weakref.ref(o_arrow, drop), weakref.ref(d_arrow, drop), distinct)
    return distinct


def id_index(index: Sequence[str] | pd.Index) -> pd.Index:
    """Return ids to code against as an object index of str.

    Parameters
    ----------
    index
        Ids (any values; each is turned into its ``str``).

    Returns
    -------
    pandas.Index
        Object dtype, the same order.
    """
    if (
        isinstance(index, pd.Index)
        and isinstance(index.dtype, pd.StringDtype)
        and not index.hasnans  # str already: no per-item conversion
    ):
        return pd.Index(index.to_numpy(dtype=object), dtype=object)
    return pd.Index([str(v) for v in index], dtype=object)


def _any_repeated(oi: Codes, dj: Codes, n_dests: int) -> bool:
    """Say whether a (origin code, destination code) pair occurs twice, by sorting the pair keys.

    Sorting a key array in place takes less memory than a hash set (for France's two million
    pairs, about 50 MiB less).
    """
    key = oi.astype(np.int64)
    key *= max(n_dests, 1)
    key += dj
    key.sort()
    return bool((key[1:] == key[:-1]).any())


def repeated_pairs(oi: IntArray, dj: IntArray, n_dests: int) -> npt.NDArray[np.bool_] | None:
    """Find the pairs that repeat an earlier one.

    Parameters
    ----------
    oi, dj
        Origin and destination codes of each pair (non-negative).
    n_dests
        Number of destination codes.

    Returns
    -------
    numpy.ndarray or None
        ``None`` when every pair is distinct (the usual case, found by one sort), else a mask of
        the rows repeating an earlier pair.
    """
    if not _any_repeated(oi, dj, n_dests):
        return None
    return np.asarray(pd.Index(oi.astype(np.int64) * max(n_dests, 1) + dj).duplicated())
