"""The rational agent access model (RAAM, Saxon & Snow 2020), as PySAL ``access`` computes it.

Every resident chooses a site minimising travel time plus congestion; the model moves demand from
each origin's costliest used site to its cheapest site until no one gains, and reports the cost
each origin ends up paying. Lower is better (it is a cost, not a supply ratio).

References
----------
Saxon J., Snow D. (2020), "A rational agent model for the spatial accessibility of primary health
care", *Annals of the American Association of Geographers* 110(1): 205-222.
PySAL ``access`` 1.1.10 (``raam.py``: ``iterate_raam``, ``raam``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from accessmap.errors import ValidationError
from accessmap.indicators._common import (
    FloatArray,
    demand_values,
    od_pairs,
    positive,
    supply_values,
)

__all__ = ["RaamSchedule", "raam"]


@dataclass(frozen=True, slots=True)
class RaamSchedule:
    """How fast RAAM moves demand (PySAL ``access`` defaults).

    Attributes
    ----------
    max_cycles
        Number of iterations.
    initial_step
        Share of an origin's demand that may move in the first cycle (float), or, as an ``int``,
        a number of people.
    min_step
        Floor of the step.
    half_life
        Cycles after which the step halves.
    limit_initial
        During these first cycles, moves towards a site are scaled down so that no site receives
        more than its capacity at once.
    """

    max_cycles: int = 150
    initial_step: float | int = 0.2
    min_step: float = 0.005
    half_life: float = 50.0
    limit_initial: int = 20


def _step_limit(i: int, demand: FloatArray, schedule: RaamSchedule) -> FloatArray:
    decay = 0.5 ** (i / schedule.half_life)
    if isinstance(schedule.initial_step, float):
        size = max(schedule.initial_step * decay, schedule.min_step)
        return size * demand
    return np.full(
        demand.shape, max(float(round(schedule.initial_step * decay)), schedule.min_step)
    )


def _iterate(
    demand: FloatArray, supply: FloatArray, travel: FloatArray, schedule: RaamSchedule
) -> FloatArray:
    """Port of PySAL ``iterate_raam``: ``travel`` holds ``inf`` for unreachable pairs."""
    n_o = travel.shape[0]
    rows = np.arange(n_o)
    reach = np.isfinite(travel)
    assignment = np.zeros(travel.shape)
    assignment[rows, travel.argmin(axis=1)] = demand
    total = travel
    for i in range(schedule.max_cycles):
        at_supply = assignment.sum(axis=0)
        total = at_supply / supply + travel
        hi = np.where(assignment == 0, -np.inf, total).argmax(axis=1)
        lo = np.where(reach, total, np.inf).argmin(axis=1)
        s_lo, s_hi = supply[lo], supply[hi]
        d_lo, d_hi = assignment[rows, lo], assignment[rows, hi]
        other_lo, other_hi = at_supply[lo] - d_lo, at_supply[hi] - d_hi
        target = (s_lo * s_hi / (s_lo + s_hi)) * (
            (travel[rows, hi] - travel[rows, lo])
            + (d_lo + d_hi + other_hi) / s_hi
            - other_lo / s_lo
        )
        delta = np.minimum(target - d_lo, d_hi)
        delta = np.where(hi == lo, 0.0, delta)
        delta = np.minimum(delta, _step_limit(i, demand, schedule)).astype(int).astype(float)
        if i < schedule.limit_initial:
            moves = np.zeros(travel.shape)
            moves[rows, lo] += delta
            scale = np.maximum(moves.sum(axis=0) / supply, 1.0)
            delta = np.round(moves / scale).astype(int).sum(axis=1).astype(float)
        assignment[rows, lo] += delta
        assignment[rows, hi] -= delta
    paid = np.where(reach, total, 0.0) * assignment
    return np.asarray(paid.sum(axis=1) / assignment.sum(axis=1), dtype=np.float64)


def raam(
    od: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    tau: float = 60.0,
    rho: float | None = None,
    schedule: RaamSchedule | None = None,
    demand_col: str = "population",
    supply_col: str = "capacity",
    name: str = "raam",
) -> pd.DataFrame:
    r"""Rational agent access model: the travel-plus-congestion cost each origin ends up paying.

    With :math:`D_j` the demand assigned to site *j*, the cost of going from *i* to *j* is

    .. math:: C_{ij} = \frac{D_j}{\rho S_j} + \frac{t_{ij}}{\tau}

    and demand moves, origin by origin, from its costliest used site to its cheapest one until
    the costs balance (PySAL's iterative schedule, reproduced step for step, integer moves
    included). :math:`\rho` defaults to the mean demand per unit of supply, so a congestion of
    1 means a site as busy as the average; :math:`\tau` is the travel time worth that much
    congestion.

    Parameters
    ----------
    od
        Travel-time table ``origin_id`` (demand ids), ``dest_id`` (supply ids), ``minutes``.
        Pairs missing or ``inf`` are not choices.
    demand
        ``id`` and ``demand_col`` (people: the model moves whole people).
    supply
        ``site_id`` and ``supply_col`` (e.g. GPs or FTE).
    tau
        Minutes of travel worth one unit of relative congestion (PySAL default 60).
    rho
        Demand per unit of supply taken as "normal" congestion (default: total demand / total
        supply, over rows with positive values).
    schedule
        Iteration schedule (default: PySAL's).
    demand_col, supply_col
        Columns of ``demand`` and ``supply``.
    name
        Output column.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``: the cost per origin (NaN for an origin with no demand or no reachable
        site with supply).

    Raises
    ------
    ValidationError
        Invalid tables, times, ``tau`` or ``rho``.

    References
    ----------
    Saxon J., Snow D. (2020), *Annals of the American Association of Geographers* 110(1):
    205-222; PySAL ``access`` 1.1.10 (``raam.raam``, ``raam.iterate_raam``).
    """
    positive(tau, name="tau", allow_inf=False)
    if rho is not None:
        positive(rho, name="rho", allow_inf=False)
    ids, pop = demand_values(demand, column=demand_col)
    sites, cap = supply_values(supply, column=supply_col)
    if float(cap.sum()) <= 0:
        raise ValidationError("indicators.no_supply", field=f"supply.{supply_col}")
    scale = float(pop[pop > 0].sum() / cap[cap > 0].sum()) if rho is None else float(rho)
    pairs = od_pairs(od, ids, sites)
    travel = np.full((len(ids), len(sites)), np.inf)
    travel[pairs.origin, pairs.dest] = pairs.minutes / tau
    rows = (pop > 0) & np.isfinite(travel[:, cap > 0]).any(axis=1)
    out = np.full(len(ids), np.nan)
    if bool(rows.any()):
        sub = travel[np.ix_(rows, cap > 0)]
        out[rows] = _iterate(pop[rows], cap[cap > 0] * scale, sub, schedule or RaamSchedule())
    return pd.DataFrame({"id": ids.to_numpy(dtype=object), name: out})
