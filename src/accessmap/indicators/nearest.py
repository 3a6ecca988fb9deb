"""Time to the nearest site and the population by band of that time.

Bands follow the project convention (:mod:`accessmap.conventions`): half-open ``[lower, upper)``,
so exactly 10 minutes is in ``"10-20"`` and "beyond T" means ``t >= T``; a time with no path
(``inf``, or no row in the travel-time table) is ``"unreachable"``.

References
----------
DREES, « Quelle distance pour accéder aux soins ? » (access-time bands); IPEA ``accessibility``
(``cost_to_closest``); décret n° 2003-1140 (40-minute criterion).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from accessmap.contracts import require_columns, validate_minutes
from accessmap.conventions import (
    BEYOND_MINUTES,
    DEFICIT_MAX_MINUTES,
    NEAREST_BAND_EDGES,
    band_index,
    band_labels,
)
from accessmap.errors import ValidationError
from accessmap.indicators._common import UNREACHABLE, demand_values, od_pairs
from accessmap.messages import Message

__all__ = [
    "UNREACHABLE",
    "band_of",
    "nearest_site",
    "od_to_sites",
    "population_beyond",
    "population_by_band",
]


def band_of(
    minutes: object, *, edges: Sequence[float] = NEAREST_BAND_EDGES
) -> npt.NDArray[np.object_]:
    """Band label of each travel time, half-open ``[lower, upper)``.

    Parameters
    ----------
    minutes
        Travel times (array-like); ``inf`` is labelled ``"unreachable"``.
    edges
        Increasing band edges (default 10, 20, 30, 40 minutes).

    Returns
    -------
    numpy.ndarray
        One label per time (see :func:`band_labels`): exactly 10 minutes is in ``"10-20"``,
        exactly 40 in ``"40+"``.

    References
    ----------
    Project band convention, ``docs/architecture.md`` ("Band convention").
    """
    edge_arr = np.asarray(edges, dtype=np.float64)
    if edge_arr.size == 0 or bool((np.diff(edge_arr) <= 0).any()) or bool((edge_arr <= 0).any()):
        raise ValidationError("indicators.bad_band_edges", field="edges", edges=edge_arr.tolist())
    m = validate_minutes(minutes)
    labels = np.array(band_labels(edges), dtype=object)
    out = labels[band_index(m, edge_arr.tolist())]
    out = np.where(np.isinf(m), UNREACHABLE, out)
    return np.asarray(out, dtype=object)


def od_to_sites(od: pd.DataFrame, *, sites: pd.DataFrame) -> pd.DataFrame:
    """Return a travel-time table whose destinations are the roster sites.

    Two layouts are accepted: destinations already are the sites (``dest_id`` = ``site_id``), or
    they are communes (``dest_id`` = INSEE code, the DREES commune-to-commune layout): each site
    then takes the times to its commune's point (usually the town hall).

    Parameters
    ----------
    od
        Travel-time table.
    sites
        ``site_id``, ``commune_code``.

    Returns
    -------
    pandas.DataFrame
        ``origin_id, dest_id, minutes, method`` with ``dest_id`` = site ids.

    Raises
    ------
    ValidationError
        When some sites are reached by neither layout (the table was computed for other points).

    References
    ----------
    DREES APL: times between communes (distancier Metric, town hall to town hall).
    """
    missing = [c for c in ("site_id", "commune_code") if c not in sites.columns]
    if missing:
        raise ValidationError("indicators.missing_site_columns", field="sites", columns=missing)
    ids = sites["site_id"].astype(str).to_numpy()
    codes = sites["commune_code"].astype(str).to_numpy()
    dest = od["dest_id"].astype(str)
    known = set(dest)
    direct = np.isin(ids, list(known))
    via_commune = ~direct & np.isin(codes, list(known))
    lost = ids[~direct & ~via_commune]
    if len(lost):
        raise ValidationError("indicators.no_times_to_sites", field="od", sites=lost.tolist())
    link = pd.DataFrame({"site_id": ids, "key": np.where(direct, ids, codes)})
    merged = od.assign(key=dest).merge(link, on="key")
    merged["dest_id"] = merged["site_id"]
    return merged[["origin_id", "dest_id", "minutes", "method"]].reset_index(drop=True)


def nearest_site(
    od: pd.DataFrame, *, origins: Iterable[str], sites: Iterable[str] | None = None
) -> pd.DataFrame:
    """Travel time from each origin to its nearest site.

    Parameters
    ----------
    od
        Travel-time table; missing pairs are unreachable.
    origins
        Origin ids to report (communes): every one gets a row.
    sites
        Destination ids that count (e.g. sites with at least one GP); default: every destination.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``minutes`` (``inf`` when no site is reachable), ``site_id`` (None then),
        ``method`` (of the nearest pair, None when unreachable).

    References
    ----------
    IPEA ``accessibility`` R package (``cost_to_closest``); PySAL ``access``
    (``Access.score`` / nearest).
    """
    origin_ids = pd.Index([str(o) for o in origins], name="id")
    if origin_ids.has_duplicates:
        raise ValidationError(
            "indicators.duplicate_origins",
            field="origins",
            origins=origin_ids[origin_ids.duplicated()].tolist(),
        )
    table = require_columns(
        od, ("origin_id", "dest_id", "minutes"), table="od", fix=str(Message("indicators.fix_od"))
    )
    if sites is None:
        site_ids = pd.Index(table["dest_id"].astype(str).unique())
    else:
        site_ids = pd.Index(pd.unique(pd.Series([str(s) for s in sites], dtype=object)))
    pairs = od_pairs(table, origin_ids, site_ids)
    out = pd.DataFrame(
        {
            "id": origin_ids.to_numpy(dtype=object),
            "minutes": np.inf,
            "site_id": None,
            "method": None,
        }
    )
    oi, dj, minutes = pairs.origin, pairs.dest, pairs.minutes
    if len(oi):
        first = _nearest_rows(oi, dj, minutes, len(origin_ids))
        rows = oi[first]
        out.loc[rows, "minutes"] = minutes[first]
        out.loc[rows, "site_id"] = site_ids.to_numpy(dtype=object)[dj[first]]
        if "method" in table.columns and pairs.rows is not None:
            # the pair's own row (validate_od refuses duplicated pairs): no lookup by ids
            # (only the kept rows become Python strings: not the whole column)
            methods = table["method"].iloc[pairs.rows[first]].to_numpy(dtype=object)
            out.loc[rows, "method"] = methods
    out["minutes"] = out["minutes"].astype(np.float64)
    return out


def _nearest_rows(oi: np.ndarray, dj: np.ndarray, minutes: np.ndarray, n: int) -> np.ndarray:
    """Row of each origin's nearest destination (ties: the first destination), finite only.

    The minimum per origin by ``np.minimum.at``, then the smallest destination among the rows at
    that minimum: the same rows as a lexicographic sort of every pair by (origin, minutes,
    destination), in linear time (a sort of 2 million national pairs took most of the time).
    """
    best = np.full(n, np.inf)
    np.minimum.at(best, oi, minutes)
    tied = np.flatnonzero((minutes == best[oi]) & np.isfinite(minutes))
    order = tied[np.lexsort((dj[tied], oi[tied]))]
    keep = np.r_[True, oi[order][1:] != oi[order][:-1]] if len(order) else np.zeros(0, bool)
    return order[keep]


def _population(population: pd.DataFrame, column: str) -> pd.Series:
    table = require_columns(population, ("id", column), table="population")
    if table.empty:  # no commune (e.g. an empty selection): nobody to count
        return pd.Series(dtype=np.float64)
    ids, values = demand_values(table, column=column, name="population")
    return pd.Series(values, index=ids)


def population_by_band(
    nearest: pd.DataFrame,
    *,
    population: pd.DataFrame,
    edges: Sequence[float] = NEAREST_BAND_EDGES,
    column: str = "population",
) -> pd.DataFrame:
    """Communes and inhabitants by band of time to the nearest GP.

    Parameters
    ----------
    nearest
        ``id``, ``minutes`` (from :func:`nearest_site`).
    population
        ``id`` and ``column`` (inhabitants; communes missing here count 0).
    edges
        Band edges (default 10, 20, 30, 40): bands ``[0, 10)``, ``[10, 20)``, ..., ``[40, inf)``,
        plus ``unreachable``.
    column
        Population column.

    Returns
    -------
    pandas.DataFrame
        ``band``, ``lower``, ``upper``, ``communes``, ``population``, ``share`` (of the total
        population of ``nearest``), one row per band, every band present (zeros included).

    References
    ----------
    DREES, « Quelle distance pour accéder aux soins ? » (access-time bands); project band
    convention, ``docs/architecture.md``.
    """
    pop = _population(population, column)
    ids = nearest["id"].astype(str)
    people = pop.reindex(ids.to_numpy(), fill_value=0.0).to_numpy()
    bands = band_of(nearest["minutes"].to_numpy(), edges=edges)
    labels = [*band_labels(edges), UNREACHABLE]
    lowers = [0.0, *[float(e) for e in edges], math.inf]
    uppers = [*[float(e) for e in edges], math.inf, math.inf]
    frame = pd.DataFrame({"band": bands, "population": people})
    grouped = frame.groupby("band")["population"].agg(["size", "sum"]).reindex(labels, fill_value=0)
    total = float(people.sum())
    return pd.DataFrame(
        {
            "band": labels,
            "lower": lowers,
            "upper": uppers,
            "communes": grouped["size"].to_numpy(dtype=np.int64),
            "population": grouped["sum"].to_numpy(dtype=np.float64),
            "share": grouped["sum"].to_numpy(dtype=np.float64) / total if total > 0 else np.nan,
        }
    )


def population_beyond(
    nearest: pd.DataFrame,
    *,
    population: pd.DataFrame,
    thresholds: Sequence[float] = (*BEYOND_MINUTES, DEFICIT_MAX_MINUTES),
    column: str = "population",
) -> pd.DataFrame:
    """Communes and inhabitants at or beyond each threshold from the nearest GP (``t >= T``).

    Parameters
    ----------
    nearest
        ``id``, ``minutes`` (from :func:`nearest_site`); unreachable communes count as beyond.
    population
        ``id`` and ``column``.
    thresholds
        Minutes (default :data:`~accessmap.conventions.BEYOND_MINUTES` (20, 30) and the decree
        2003-1140 criterion, 40).
    column
        Population column.

    Returns
    -------
    pandas.DataFrame
        ``threshold``, ``communes``, ``population``, ``share``.

    References
    ----------
    Décret n° 2003-1140 du 1er décembre 2003 (40-minute criterion); project band convention.
    """
    pop = _population(population, column)
    minutes = validate_minutes(nearest["minutes"].to_numpy(), name="nearest.minutes")
    people = pop.reindex(nearest["id"].astype(str).to_numpy(), fill_value=0.0).to_numpy()
    total = float(people.sum())
    rows = []
    for t in thresholds:
        beyond = minutes >= float(t)
        rows.append(
            {
                "threshold": float(t),
                "communes": int(beyond.sum()),
                "population": float(people[beyond].sum()),
                "share": float(people[beyond].sum()) / total if total > 0 else math.nan,
            }
        )
    return pd.DataFrame(rows, columns=["threshold", "communes", "population", "share"])
