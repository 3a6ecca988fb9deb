"""Opportunity-counting measures without competition: cumulative, gravity, cost to the closest.

Each takes the long travel-time table and a table of opportunities (GPs, FTE, acts, pharmacies...)
per destination. *Active* accessibility (default) counts, for each origin, the opportunities it
reaches; *passive* accessibility (``active=False``) counts, for each destination, the people (or
any quantity given per origin) that reach it. These are the definitions of the IPEA
``accessibility`` R package; its binary cutoffs include their bound (``t <= T``), which these
functions reproduce with ``include_cutoff=True`` (the project default is ``t < T``).

References
----------
Pereira R. H. M., Herszenhut D. (2023), *Introduction to urban accessibility: a practical guide
with R*, IPEA; IPEA ``accessibility`` R package (``cumulative_cutoff``, ``cumulative_interval``,
``gravity``, ``cost_to_closest``).
Hansen W. G. (1959), "How accessibility shapes land use", *Journal of the American Institute of
Planners* 25(2): 73-76.
Tomasiello D. B. et al. (2023), "A time interval metric for cumulative opportunity accessibility",
*Applied Geography* 157: 103007.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from accessmap.contracts import OdPairs, validate_od
from accessmap.conventions import within
from accessmap.errors import ValidationError
from accessmap.indicators._common import (
    FloatArray,
    IntArray,
    WeightFunction,
    checked_weights,
    cumsum_by_group,
    demand_values,
    positive,
)

__all__ = [
    "cost_to_closest",
    "cumulative_cutoff",
    "cumulative_interval",
    "gravity_access",
]

Summary = Literal["median", "mean", "min", "max"]


@dataclass(frozen=True, slots=True)
class _Grouped:
    """Pairs seen from the side that is measured: group of each pair, value at the other end."""

    group: IntArray
    ids: pd.Index
    value: FloatArray
    minutes: FloatArray


def _grouped(
    od: pd.DataFrame, opportunities: pd.DataFrame, *, column: str, active: bool
) -> _Grouped:
    """Code the pairs by the measured side and fetch the opportunities at the other side.

    Every id of the measured side found in ``od`` gets a row (IPEA ``fill_missing_ids``); an id
    of the other side missing from ``opportunities`` holds none.
    """
    pairs: OdPairs = validate_od(od)
    ids, values = demand_values(opportunities, column=column, name="opportunities")
    lookup = pd.Series(values, index=ids)
    other = pairs.dests if active else pairs.origins
    at_other = lookup.reindex(other, fill_value=0.0).to_numpy(dtype=np.float64)
    far = pairs.dest if active else pairs.origin
    return _Grouped(
        group=pairs.origin if active else pairs.dest,
        ids=pairs.origins if active else pairs.dests,
        value=np.asarray(at_other[far], dtype=np.float64),
        minutes=pairs.minutes,
    )


def _frame(ids: pd.Index, values: FloatArray, name: str) -> pd.DataFrame:
    return pd.DataFrame({"id": ids.to_numpy(dtype=object), name: values})


def cumulative_cutoff(
    od: pd.DataFrame,
    *,
    opportunities: pd.DataFrame,
    cutoff: float,
    column: str = "opportunities",
    active: bool = True,
    include_cutoff: bool = False,
    name: str = "access",
) -> pd.DataFrame:
    r"""Opportunities reachable within ``cutoff`` minutes (cumulative opportunity measure).

    .. math:: A_i = \sum_j O_j\, \mathbb{1}(t_{ij} < T)

    Parameters
    ----------
    od
        Travel-time table ``origin_id, dest_id, minutes``.
    opportunities
        ``id`` and ``column``: opportunities at each destination (active) or population at each
        origin (passive).
    cutoff
        ``T`` in minutes.
    column
        Column of ``opportunities`` to count.
    active
        ``True``: one row per origin; ``False`` (passive): one row per destination, counting
        what lies at the origins that reach it.
    include_cutoff
        ``True`` keeps ``t <= T`` as IPEA ``cumulative_cutoff`` does.
    name
        Output column.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``.

    Raises
    ------
    ValidationError
        Invalid table, times or cutoff.

    References
    ----------
    IPEA ``accessibility`` (``cumulative_cutoff``); Pereira & Herszenhut (2023), ch. 3.
    """
    positive(cutoff, name="cutoff", allow_inf=True)
    g = _grouped(od, opportunities, column=column, active=active)
    inside = within(g.minutes, cutoff, include_cutoff=include_cutoff)
    totals = np.bincount(g.group, weights=np.where(inside, g.value, 0.0), minlength=len(g.ids))
    return _frame(g.ids, totals.astype(np.float64), name)


def cumulative_interval(
    od: pd.DataFrame,
    *,
    opportunities: pd.DataFrame,
    interval: tuple[float, float],
    increment: float = 1.0,
    summary: Summary = "median",
    column: str = "opportunities",
    active: bool = True,
    include_cutoff: bool = False,
    truncate: bool = False,
    name: str = "access",
) -> pd.DataFrame:
    """Summary of the cumulative measure over every cutoff of a time interval.

    Cumulative opportunities are computed for each cutoff ``lower, lower + increment, ...,
    upper`` and summarised (median by default), which makes the measure less sensitive to one
    arbitrary cutoff (Tomasiello et al. 2023).

    Parameters
    ----------
    od
        Travel-time table.
    opportunities
        ``id`` and ``column``.
    interval
        ``(lower, upper)`` minutes, ``0 <= lower < upper``.
    increment
        Step between cutoffs (minutes).
    summary
        ``median``, ``mean``, ``min`` or ``max`` over the cutoffs.
    column
        Column of ``opportunities`` to count.
    active
        Active (per origin) or passive (per destination) accessibility.
    include_cutoff
        ``True`` keeps ``t <= T`` at each cutoff (IPEA).
    truncate
        ``True`` truncates the summary to an integer, as IPEA does (``as.integer``: "if you reach
        2.8 opportunities you do reach 2"); leave ``False`` for fractional supply (FTE).
    name
        Output column.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``.

    Raises
    ------
    ValidationError
        Invalid interval, increment or summary.

    References
    ----------
    Tomasiello D. B., Herszenhut D., Oliveira J. L. A., Braga C. K. V., Pereira R. H. M. (2023),
    *Applied Geography* 157: 103007; IPEA ``accessibility`` (``cumulative_interval``).
    """
    lower, upper = (float(v) for v in interval)
    if not (0 <= lower < upper < math.inf):
        raise ValidationError("indicators.bad_interval", field="interval", interval=[lower, upper])
    positive(increment, name="increment", allow_inf=False)
    reducers: dict[str, Callable[..., FloatArray]] = {
        "median": np.median,
        "mean": np.mean,
        "min": np.min,
        "max": np.max,
    }
    if summary not in reducers:
        raise ValidationError(
            "indicators.unknown_summary", field="summary", value=summary, choices=sorted(reducers)
        )
    g = _grouped(od, opportunities, column=column, active=active)
    cutoffs = lower + increment * np.arange(math.floor((upper - lower) / increment + 1e-9) + 1)
    counts = np.stack(
        [
            np.bincount(
                g.group,
                weights=np.where(within(g.minutes, c, include_cutoff=include_cutoff), g.value, 0),
                minlength=len(g.ids),
            )
            for c in cutoffs
        ]
    )
    values = np.asarray(reducers[summary](counts, axis=0), dtype=np.float64)
    if truncate:
        values = np.trunc(values)
    return _frame(g.ids, values, name)


def gravity_access(
    od: pd.DataFrame,
    *,
    opportunities: pd.DataFrame,
    weights: WeightFunction,
    column: str = "opportunities",
    active: bool = True,
    name: str = "access",
) -> pd.DataFrame:
    r"""Gravity (potential) accessibility: opportunities weighted by a decay of travel time.

    .. math:: A_i = \sum_j O_j\, f(t_{ij})

    Parameters
    ----------
    od
        Travel-time table.
    opportunities
        ``id`` and ``column``.
    weights
        Decay function: :func:`~accessmap.indicators.exponential_weights` (IPEA
        ``decay_exponential``), :func:`~accessmap.indicators.gravity_weights` (power, IPEA
        ``decay_power`` caps weights at 1 like ``min_minutes=1``), ``binary_weights`` (a
        cumulative measure)...
    column
        Column of ``opportunities``.
    active
        Active (per origin) or passive (per destination) accessibility.
    name
        Output column.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``.

    Raises
    ------
    ValidationError
        Invalid table, times or weights.

    References
    ----------
    Hansen W. G. (1959), *Journal of the American Institute of Planners* 25(2): 73-76; IPEA
    ``accessibility`` (``gravity``).
    """
    g = _grouped(od, opportunities, column=column, active=active)
    w = checked_weights(weights, g.minutes)
    totals = np.bincount(g.group, weights=g.value * w, minlength=len(g.ids))
    return _frame(g.ids, totals.astype(np.float64), name)


def cost_to_closest(
    od: pd.DataFrame,
    *,
    opportunities: pd.DataFrame,
    n: float = 1,
    column: str = "opportunities",
    active: bool = True,
    name: str = "minutes",
) -> pd.DataFrame:
    """Minutes to reach the closest ``n`` opportunities (``inf`` when they cannot be reached).

    Only destinations holding opportunities (``> 0``) count; the ``n`` closest are reached at the
    smallest time whose cumulative opportunities reach ``n``.

    Parameters
    ----------
    od
        Travel-time table.
    opportunities
        ``id`` and ``column``.
    n
        How many opportunities (>= 1).
    column
        Column of ``opportunities``.
    active
        Active (per origin) or passive (per destination).
    name
        Output column.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``.

    Raises
    ------
    ValidationError
        ``n < 1`` or invalid tables.

    References
    ----------
    IPEA ``accessibility`` (``cost_to_closest``); Pereira & Herszenhut (2023), ch. 3.
    """
    if not (isinstance(n, int | float) and math.isfinite(n) and n >= 1):
        raise ValidationError("indicators.bad_opportunity_count", field="n", value=n)
    g = _grouped(od, opportunities, column=column, active=active)
    keep = (g.value > 0) & np.isfinite(g.minutes)
    group, value, minutes = g.group[keep], g.value[keep], g.minutes[keep]
    order = np.lexsort((minutes, group))
    group, value, minutes = group[order], value[order], minutes[order]
    reached = cumsum_by_group(group, value) >= n
    out = np.full(len(g.ids), np.inf)
    np.minimum.at(out, group[reached], minutes[reached])
    return _frame(g.ids, out, name)
