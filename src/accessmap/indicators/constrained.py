r"""Constrained accessibility: total, singly and doubly constrained measures.

Gravity measures count every opportunity reachable from a place, so the sum over places exceeds
the opportunities that exist (inflation). The constrained measures allocate them instead, under
the constraints of Wilson's family of spatial interaction models, with :math:`f(t_{ij})` any
decay function (:mod:`~accessmap.indicators.decay`):

- **total**: one constraint on the whole system. Active (``active=True``): the supply
  :math:`S = \sum_j S_j` is shared among origin-destination pairs in proportion to
  :math:`S_j f(t_{ij})`; each origin gets its pairs' parts. Passive: the same with the demand
  :math:`P_i`, each destination getting its pairs' parts.
- **singly**: one constraint per destination (active: each site's supply is shared among the
  origins that reach it, in proportion to :math:`P_i f(t_{ij})`; this is spatial availability,
  Soukhov et al. 2023) or per origin (passive: each origin's demand is shared among the sites it
  reaches, in proportion to :math:`S_j f(t_{ij})`).
- **doubly**: both at once: flows :math:`T_{ij} = A_i P_i B_j S_j f(t_{ij})` that add up to each
  origin's demand and each site's supply, the balancing factors found by iterative proportional
  fitting (Furness 1965). Total demand and total supply must be equal.

Totals are preserved exactly (total, singly) or to the fitting's tolerance (doubly); the values
are in units of supply (active) or demand (passive), per place, not per inhabitant. The
definitions are those of IPEA ``accessibility`` (``constrained_accessibility``), reproduced by
``tests/test_ipea_parity.py``.

References
----------
Wilson A. G. (1971), "A family of spatial interaction models, and associated developments",
*Environment and Planning A* 3(1): 1-32.
Soukhov A., Tarriño-Ortiz J., Soria-Lara J. A., Páez A. (2024), "Multimodal spatial availability:
a singly-constrained measure of accessibility considering multiple modes", *PLoS ONE* 19(2):
e0299077; Soukhov A., Paez A., Higgins C. D., Mohamed M. (2023), "Introducing spatial
availability, a singly-constrained measure of competitive accessibility", *PLoS ONE* 18(1):
e0278468.
Furness K. P. (1965), "Time function iteration", *Traffic Engineering and Control* 7(7): 458-460.
IPEA ``accessibility`` R package (``constrained_accessibility``, ``total_constrained``,
``singly_constrained``, ``doubly_constrained``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from accessmap.contracts import OdPairs
from accessmap.errors import ValidationError
from accessmap.indicators._common import (
    FloatArray,
    IntArray,
    WeightFunction,
    checked_weights,
    demand_values,
    od_pairs,
    supply_values,
)

__all__ = [
    "DoublyConstrained",
    "doubly_constrained",
    "singly_constrained",
    "total_constrained",
]


@dataclass(frozen=True, slots=True)
class _Inputs:
    ids: pd.Index
    sites: pd.Index
    demand: FloatArray
    supply: FloatArray
    pairs: OdPairs
    weight: FloatArray


def _inputs(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    weights: WeightFunction,
    *,
    demand_col: str,
    supply_col: str,
) -> _Inputs:
    ids, people = demand_values(demand, column=demand_col)
    sites, capacity = supply_values(supply, column=supply_col)
    pairs = od_pairs(od, ids, sites)
    return _Inputs(ids, sites, people, capacity, pairs, checked_weights(weights, pairs.minutes))


def _result(
    data: _Inputs,
    value: FloatArray,
    *,
    active: bool,
    detailed: bool,
    kappa: FloatArray,
    factor: FloatArray,
    name: str,
) -> pd.DataFrame:
    p = data.pairs
    if detailed:
        return pd.DataFrame(
            {
                "origin_id": p.origins.to_numpy(dtype=object)[p.origin],
                "dest_id": p.dests.to_numpy(dtype=object)[p.dest],
                "kappa": kappa,
                "factor": factor,
                name: value,
            }
        )
    index, codes = (data.ids, p.origin) if active else (data.sites, p.dest)
    totals = _sums(codes, value, len(index))
    return pd.DataFrame({"id": index.to_numpy(dtype=object), name: totals})


def _share(part: FloatArray, whole: FloatArray) -> FloatArray:
    return np.divide(part, whole, out=np.zeros_like(part), where=whole > 0)


def _sums(codes: IntArray, values: FloatArray, size: int) -> FloatArray:
    """Sum ``values`` by code (``numpy.bincount``), as floats."""
    return np.bincount(codes, weights=values, minlength=size).astype(np.float64)


def total_constrained(
    od: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    weights: WeightFunction,
    active: bool = True,
    demand_col: str = "population",
    supply_col: str = "capacity",
    detailed: bool = False,
    name: str = "access",
) -> pd.DataFrame:
    r"""Total-constrained accessibility: the system's supply (or demand) shared over all pairs.

    Active: :math:`\kappa_{ij} = S_j f(t_{ij}) / \sum_{kl} S_l f(t_{kl})` and
    :math:`V_i = \sum_j \kappa_{ij} S` with :math:`S` the supply of the sites present in the
    travel-time table. Passive: :math:`\hat\kappa_{ij} = P_i f(t_{ij}) / \sum_{kl} P_k f(t_{kl})`
    and :math:`M_j = \sum_i \hat\kappa_{ij} P`. The values add up to :math:`S` (or :math:`P`);
    nothing is allocated when no pair carries any weight.

    Parameters
    ----------
    od
        Travel-time table ``origin_id`` (demand ids), ``dest_id`` (site ids), ``minutes``.
    demand
        ``id`` and ``demand_col`` (the origins; their demand is used when passive).
    supply
        ``site_id`` and ``supply_col`` (the destinations; their supply is used when active).
    weights
        Decay function (:func:`~accessmap.indicators.decay.decay_function`...).
    active
        ``True``: supply allocated to each origin (one row per demand id); ``False``: demand
        allocated to each site (one row per site).
    demand_col, supply_col
        Columns of ``demand`` and ``supply``.
    detailed
        ``True`` returns one row per pair: ``origin_id``, ``dest_id``, ``kappa``, ``factor``
        (the system's balancing factor :math:`S / \sum S_l f`), ``name``.
    name
        Output column.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name`` (or the pairs when ``detailed``).

    Raises
    ------
    ValidationError
        Invalid tables, times or weights.

    References
    ----------
    Wilson A. G. (1971), *Environment and Planning A* 3(1): 1-32; IPEA ``accessibility``
    (``total_constrained``).
    """
    data = _inputs(od, demand, supply, weights, demand_col=demand_col, supply_col=supply_col)
    p = data.pairs
    mass = data.supply[p.dest] if active else data.demand[p.origin]
    present = np.unique(p.dest) if active else np.unique(p.origin)
    total = float((data.supply if active else data.demand)[present].sum())
    weighted = mass * data.weight
    system = float(weighted.sum())
    kappa = weighted / system if system > 0 else np.zeros_like(weighted)
    factor = np.full(len(kappa), total / system if system > 0 else 0.0)
    return _result(
        data,
        kappa * total,
        active=active,
        detailed=detailed,
        kappa=kappa,
        factor=factor,
        name=name,
    )


def singly_constrained(
    od: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    weights: WeightFunction,
    active: bool = True,
    demand_col: str = "population",
    supply_col: str = "capacity",
    detailed: bool = False,
    name: str = "access",
) -> pd.DataFrame:
    r"""Singly-constrained accessibility: each site's supply (or each origin's demand) shared.

    Active (supply constrained, spatial availability): :math:`\kappa_{ij} = P_i f(t_{ij}) /
    \sum_k P_k f(t_{kj})` and :math:`V_i = \sum_j \kappa_{ij} S_j`: every site's supply goes to
    the origins that reach it. Passive (demand constrained): :math:`\hat\kappa_{ij} = S_j
    f(t_{ij}) / \sum_l S_l f(t_{il})` and :math:`M_j = \sum_i \hat\kappa_{ij} P_i`. Divided by
    :math:`P_i`, the active value is the 2SFCA with the same decay in both steps.

    Parameters
    ----------
    od, demand, supply, weights, demand_col, supply_col, name
        As :func:`total_constrained`.
    active
        ``True``: supply allocated to each origin; ``False``: demand allocated to each site.
    detailed
        ``True`` returns the pairs with ``kappa`` and ``factor`` (the balancing factor
        :math:`B_j = 1 / \sum_k P_k f(t_{kj})` when active, :math:`A_i` when passive; 0 where
        nothing is reachable).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name`` (or the pairs when ``detailed``).

    Raises
    ------
    ValidationError
        Invalid tables, times or weights.

    References
    ----------
    Wilson A. G. (1971), *Environment and Planning A* 3(1): 1-32; Soukhov A. et al. (2023),
    *PLoS ONE* 18(1): e0278468; IPEA ``accessibility`` (``singly_constrained``).
    """
    data = _inputs(od, demand, supply, weights, demand_col=demand_col, supply_col=supply_col)
    p = data.pairs
    if active:
        weighted = data.demand[p.origin] * data.weight
        denominator = _sums(p.dest, weighted, len(data.sites))[p.dest]
        allocated = data.supply[p.dest]
    else:
        weighted = data.supply[p.dest] * data.weight
        denominator = _sums(p.origin, weighted, len(data.ids))[p.origin]
        allocated = data.demand[p.origin]
    kappa = _share(weighted, denominator)
    return _result(
        data,
        kappa * allocated,
        active=active,
        detailed=detailed,
        kappa=kappa,
        factor=_share(np.ones_like(denominator), denominator),
        name=name,
    )


@dataclass(frozen=True, slots=True)
class DoublyConstrained:
    """Flows of the doubly-constrained model and how the fitting ended.

    Attributes
    ----------
    flows
        One row per pair: ``origin_id``, ``dest_id``, ``flow`` (:math:`T_{ij}`), ``a_i``,
        ``b_j`` (balancing factors) and ``kappa`` (:math:`A_i P_i B_j f(t_{ij})`, the share of
        site ``j``'s supply going to origin ``i``).
    iterations
        Fitting iterations run.
    error
        Final error: the absolute gaps to the row and column totals, over the total demand.
    stop
        ``"converged"`` (error below the threshold), ``"stalled"`` (improvement below its
        threshold) or ``"max_iterations"``.
    """

    flows: pd.DataFrame
    iterations: int
    error: float
    stop: Literal["converged", "stalled", "max_iterations"]


def _positive_option(value: float, *, name: str, integer: bool = False) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    ok = ok and math.isfinite(value) and value >= (1 if integer else 0)
    if not ok or (integer and int(value) != value):
        raise ValidationError("measures.fitting_option", field=name, value=value)


def doubly_constrained(
    od: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    weights: WeightFunction,
    demand_col: str = "population",
    supply_col: str = "capacity",
    error_threshold: float = 0.001,
    improvement_threshold: float = 1e-6,
    max_iterations: int = 1000,
) -> DoublyConstrained:
    r"""Doubly-constrained flows: every origin's demand and every site's supply are matched.

    :math:`T_{ij} = A_i P_i B_j S_j f(t_{ij})` with
    :math:`A_i = 1 / \sum_j B_j S_j f(t_{ij})` and :math:`B_j = 1 / \sum_i A_i P_i f(t_{ij})`,
    fitted by iterative proportional fitting (Furness) from :math:`A = B = 1` until the error
    :math:`(\sum_i |P_i - \sum_j T_{ij}| + \sum_j |S_j - \sum_i T_{ij}|) / \sum_i P_i` is below
    ``error_threshold``, improves by less than ``improvement_threshold``, or ``max_iterations``
    is reached (IPEA's stopping rules). An origin or a site without any weighted pair cannot be
    balanced: its factor is 0.

    Parameters
    ----------
    od, demand, supply, weights, demand_col, supply_col
        As :func:`total_constrained`; the origins and sites are those present in ``od``.
    error_threshold
        Stop below this error (>= 0).
    improvement_threshold
        Stop when the error changes by less than this (>= 0).
    max_iterations
        Stop after this many iterations (integer >= 1).

    Returns
    -------
    DoublyConstrained

    Raises
    ------
    ValidationError
        ``measures.doubly_totals`` when total demand and total supply differ (relative gap above
        1e-9, or an absolute gap above 1e-6 as IPEA), ``measures.fitting_option`` for an invalid
        threshold, and the usual table errors.

    References
    ----------
    Wilson A. G. (1971), *Environment and Planning A* 3(1): 1-32; Furness K. P. (1965),
    *Traffic Engineering and Control* 7(7): 458-460; IPEA ``accessibility``
    (``doubly_constrained``).
    """
    _positive_option(error_threshold, name="error_threshold")
    _positive_option(improvement_threshold, name="improvement_threshold")
    _positive_option(max_iterations, name="max_iterations", integer=True)
    data = _inputs(od, demand, supply, weights, demand_col=demand_col, supply_col=supply_col)
    p, f = data.pairs, data.weight
    n_o, n_d = len(data.ids), len(data.sites)
    origins = np.isin(np.arange(n_o), p.origin)
    dests = np.isin(np.arange(n_d), p.dest)
    o = np.where(origins, data.demand, 0.0)
    d = np.where(dests, data.supply, 0.0)
    if abs(o.sum() - d.sum()) > max(1e-6, 1e-9 * max(o.sum(), d.sum())):
        raise ValidationError(
            "measures.doubly_totals", field=demand_col, demand=o.sum(), supply=d.sum()
        )
    a, b = np.ones(n_o), np.ones(n_d)
    previous, error, iteration = math.inf, math.nan, 0
    stop: Literal["converged", "stalled", "max_iterations"] = "max_iterations"
    flow = np.zeros_like(f)
    while iteration < max_iterations:
        iteration += 1
        a = _share(np.ones(n_o), _sums(p.origin, b[p.dest] * d[p.dest] * f, n_o))
        b = _share(np.ones(n_d), _sums(p.dest, a[p.origin] * o[p.origin] * f, n_d))
        flow = a[p.origin] * o[p.origin] * b[p.dest] * d[p.dest] * f
        rows = _sums(p.origin, flow, n_o)
        cols = _sums(p.dest, flow, n_d)
        total = o.sum()
        error = (
            float((np.abs(o - rows).sum() + np.abs(d - cols).sum()) / total) if total > 0 else 0.0
        )
        if error < error_threshold:
            stop = "converged"
            break
        if abs(previous - error) < improvement_threshold:
            stop = "stalled"
            break
        previous = error
    flows = pd.DataFrame(
        {
            "origin_id": p.origins.to_numpy(dtype=object)[p.origin],
            "dest_id": p.dests.to_numpy(dtype=object)[p.dest],
            "flow": flow,
            "a_i": a[p.origin],
            "b_j": b[p.dest],
            "kappa": a[p.origin] * o[p.origin] * b[p.dest] * f,
        }
    )
    return DoublyConstrained(flows=flows, iterations=iteration, error=error, stop=stop)
