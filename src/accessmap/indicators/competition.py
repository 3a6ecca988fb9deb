"""Measures with competition between origins: spatial availability and balancing cost.

Unlike :mod:`~accessmap.indicators.opportunity`, these account for the people who compete for the
same opportunities. Spatial availability shares each destination's opportunities among the
origins that reach it (so the shares add up to the supply: no inflation); the balancing cost is
the travel time an origin needs to reach as many opportunities as it has people.

References
----------
Soukhov A., Paez A., Higgins C. D., Mohamed M. (2023), "Introducing spatial availability, a
singly-constrained measure of competitive accessibility", *PLoS ONE* 18(1): e0278468.
Barboza M. H. C., Carneiro M. S., Falavigna C., Luz G., Orrico R. (2021), "Balancing time:
using a new accessibility measure in Rio de Janeiro", *Journal of Transport Geography* 90: 102924.
IPEA ``accessibility`` R package (``spatial_availability``, ``balancing_cost``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from accessmap.errors import ValidationError
from accessmap.indicators._common import (
    WeightFunction,
    checked_weights,
    cumsum_by_group,
    demand_values,
    od_pairs,
    positive,
    supply_values,
)

__all__ = ["balancing_cost", "spatial_availability"]


def spatial_availability(
    od: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    weights: WeightFunction,
    alpha: float = 1.0,
    demand_col: str = "population",
    supply_col: str = "capacity",
    name: str = "access",
) -> pd.DataFrame:
    r"""Spatial availability (Soukhov et al. 2023): each origin's share of the opportunities.

    Each destination's opportunities :math:`O_j` are shared among the origins that reach it, in
    proportion to their demand (raised to ``alpha``) times the decay of the trip:

    .. math::

        V_{ij} = O_j \frac{P_i^{\alpha} f(t_{ij})}{\sum_{i'} P_{i'}^{\alpha} f(t_{i'j})},
        \qquad V_i = \sum_j V_{ij}

    so :math:`\sum_i V_i` is the supply reached by someone: availability is not inflated.
    Divide by :math:`P_i` for availability per person.

    Parameters
    ----------
    od
        Travel-time table ``origin_id`` (demand ids), ``dest_id`` (supply ids), ``minutes``.
    demand
        ``id`` and ``demand_col``.
    supply
        ``site_id`` and ``supply_col``.
    weights
        Decay function (IPEA's tests use ``exponential_weights(beta=0.1)``).
    alpha
        Exponent of the demand balancing factor (>= 0; 1 in the paper).
    demand_col, supply_col
        Columns of ``demand`` and ``supply``.
    name
        Output column.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``: opportunities available to each origin.

    Raises
    ------
    ValidationError
        Invalid tables, times, weights or ``alpha``.

    References
    ----------
    Soukhov A., Paez A., Higgins C. D., Mohamed M. (2023), *PLoS ONE* 18(1): e0278468; IPEA
    ``accessibility`` (``spatial_availability``).
    """
    if not (isinstance(alpha, int | float) and math.isfinite(alpha) and alpha >= 0):
        raise ValidationError("indicators.bad_alpha", field="alpha", value=alpha)
    ids, pop = demand_values(demand, column=demand_col)
    sites, cap = supply_values(supply, column=supply_col)
    pairs = od_pairs(od, ids, sites)
    w = checked_weights(weights, pairs.minutes)
    share = np.power(pop, alpha)[pairs.origin] * w
    total = np.bincount(pairs.dest, weights=share, minlength=len(sites))[pairs.dest]
    part = np.divide(share, total, out=np.zeros_like(share), where=total > 0)
    access = np.bincount(pairs.origin, weights=part * cap[pairs.dest], minlength=len(ids))
    return pd.DataFrame({"id": ids.to_numpy(dtype=object), name: access.astype(np.float64)})


def balancing_cost(
    od: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    increment: float = 1.0,
    demand_col: str = "population",
    supply_col: str = "capacity",
    name: str = "minutes",
) -> pd.DataFrame:
    """Balancing cost (Barboza et al. 2021): minutes to reach as many opportunities as people.

    For each origin, the smallest cost on the grid ``0, increment, 2 increment, ...`` (up to the
    largest finite time of the table) at which the opportunities reachable within it
    (``t <= c``) **exceed** the origin's demand; 0 for an origin with no demand, NaN when it never
    balances. This is IPEA's definition, grid and strict inequality included.

    Parameters
    ----------
    od
        Travel-time table ``origin_id`` (demand ids), ``dest_id`` (supply ids), ``minutes``.
    demand
        ``id`` and ``demand_col`` (people).
    supply
        ``site_id`` and ``supply_col`` (opportunities in the same unit as the demand, e.g. jobs
        for workers, or patients a GP list can take).
    increment
        Step of the cost grid (minutes).
    demand_col, supply_col
        Columns of ``demand`` and ``supply``.
    name
        Output column.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``.

    Raises
    ------
    ValidationError
        Invalid tables, times or increment.

    References
    ----------
    Barboza M. H. C. et al. (2021), *Journal of Transport Geography* 90: 102924; IPEA
    ``accessibility`` (``balancing_cost``).
    """
    positive(increment, name="increment", allow_inf=False)
    ids, pop = demand_values(demand, column=demand_col)
    sites, cap = supply_values(supply, column=supply_col)
    pairs = od_pairs(od, ids, sites)
    finite = np.isfinite(pairs.minutes)
    origin, minutes = pairs.origin[finite], pairs.minutes[finite]
    value = cap[pairs.dest[finite]]
    out = np.where(pop > 0, np.nan, 0.0)
    if not len(minutes):
        return pd.DataFrame({"id": ids.to_numpy(dtype=object), name: out})
    grid_max = math.floor(float(minutes.max()) / increment + 1e-9) * increment
    order = np.lexsort((minutes, origin))
    origin, minutes, value = origin[order], minutes[order], value[order]
    # the cost grid value of each time: the smallest multiple of the increment at or above it
    cost = np.ceil(minutes / increment - 1e-9) * increment
    reached = cumsum_by_group(origin, value)
    # pairs sharing a grid cost enter together: compare the total at the last pair of each cost
    last = np.r_[(origin[1:] != origin[:-1]) | (cost[1:] != cost[:-1]), True]
    balanced = last & (reached > pop[origin]) & (pop[origin] > 0) & (cost <= grid_max)
    found = np.full(len(ids), np.inf)
    np.minimum.at(found, origin[balanced], cost[balanced])
    out = np.where(pop > 0, np.where(np.isfinite(found), found, np.nan), 0.0)
    return pd.DataFrame({"id": ids.to_numpy(dtype=object), name: out})
