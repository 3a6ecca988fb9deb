"""The floating-catchment family: 2SFCA, E2SFCA, BFCA, 3SFCA, and their weight functions.

Every function takes the long travel-time table (``origin_id, dest_id, minutes``); a pair missing
from it is unreachable, exactly like ``minutes == inf``. Weight functions map minutes to weights
and follow the project band convention (``t < T``) unless built with ``include_cutoff=True`` /
``include_upper=True`` to reproduce a published reference (IPEA ``accessibility`` includes its
binary cutoff; PySAL ``access`` keeps ``cost <= max_cost`` and ``step_fn`` includes each upper
bound).

Unit convention: every measure of the family is **per unit of demand** (per inhabitant when the
demand is a population). ``per=`` scales it explicitly where a reader wants another unit
(``per=1000`` gives GPs per 1,000 inhabitants, the unit of the registry's measures
:data:`~accessmap.indicators.registry.MEASURES`, whose ``per`` option defaults to 1,000).

References
----------
Luo W., Wang F. (2003), "Measures of spatial accessibility to health care in a GIS environment",
*Environment and Planning B* 30(6): 865-884.
Luo W., Qi Y. (2009), "An enhanced two-step floating catchment area (E2SFCA) method for measuring
spatial accessibility to primary care physicians", *Health & Place* 15(4): 1100-1107.
Wan N., Zou B., Sternberg T. (2012), "A three-step floating catchment area method for analyzing
spatial access to health services", *IJGIS* 26(6): 1073-1089.
Paez A., Higgins C. D., Vivona S. F. (2019), *PLoS ONE* 14(6): e0218773 (BFCA).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from accessmap.contracts import DecayBand
from accessmap.conventions import LUO_QI_EDGES, LUO_QI_WEIGHTS, within
from accessmap.errors import ValidationError
from accessmap.indicators._common import (
    FloatArray,
    WeightFunction,
    checked_weights,
    demand_values,
    od_pairs,
    positive,
    step,
    supply_values,
    two_step,
)

__all__ = [
    "LUO_QI_BANDS",
    "WeightFunction",
    "binary_weights",
    "exponential_weights",
    "floating_catchment",
    "gaussian_weights",
    "gravity_weights",
    "kernel_gaussian_weights",
    "step_weights",
    "three_step_fca",
]

#: Luo & Qi (2009) E2SFCA steps for a 30-minute catchment (edges and weights from conventions).
LUO_QI_BANDS: tuple[DecayBand, ...] = tuple(
    DecayBand(lo, hi, w)
    for lo, hi, w in zip(LUO_QI_EDGES[:-1], LUO_QI_EDGES[1:], LUO_QI_WEIGHTS, strict=True)
)


def binary_weights(cutoff: float, *, include_cutoff: bool = False) -> WeightFunction:
    """Binary catchment: weight 1 within ``cutoff`` minutes, 0 beyond (classic 2SFCA).

    Parameters
    ----------
    cutoff
        Catchment size in minutes.
    include_cutoff
        ``False`` (project convention): "within" means ``t < cutoff``. ``True`` means
        ``t <= cutoff``, as IPEA ``accessibility::decay_binary`` does (needed to reproduce its
        published examples, where one time equals the cutoff).

    Returns
    -------
    WeightFunction
        Minutes → weights.

    References
    ----------
    Luo W., Wang F. (2003), "Measures of spatial accessibility to health care in a GIS
    environment", *Environment and Planning B* 30(6): 865-884; IPEA ``accessibility`` R package,
    ``decay_binary`` (``as.integer(travel_cost <= cutoff)``).
    """
    positive(cutoff, name="cutoff", allow_inf=True)

    def weight(minutes: FloatArray) -> FloatArray:
        m = np.asarray(minutes, dtype=np.float64)
        inside = (m <= cutoff) if include_cutoff else (m < cutoff)
        return np.where(inside & np.isfinite(m), 1.0, 0.0)

    return weight


def step_weights(bands: Sequence[DecayBand], *, include_upper: bool = False) -> WeightFunction:
    """Stepwise decay (E2SFCA): the weight of the band holding each time, 0 outside every band.

    Parameters
    ----------
    bands
        Steps ``DecayBand(lower, upper, weight)``, e.g. :data:`LUO_QI_BANDS` or the DREES bands
        ``AplParameters().decay``.
    include_upper
        ``False`` (project convention): bands are ``[lower, upper)``. ``True``: a time equal to a
        band's upper bound takes that band's weight, as PySAL ``access.weights.step_fn`` does
        (``x <= k``).

    Returns
    -------
    WeightFunction
        Minutes → weights.

    References
    ----------
    Luo W., Qi Y. (2009), "An enhanced two-step floating catchment area (E2SFCA) method for
    measuring spatial accessibility to primary care physicians", *Health & Place* 15(4):
    1100-1107; PySAL ``access`` (``weights.step_fn``).
    """
    steps = tuple(bands)
    bad = [b for b in steps if not (0 <= b.lower < b.upper) or b.weight < 0]
    if not steps or bad:
        raise ValidationError("indicators.bad_decay_bands", field="bands", bands=bad)

    def weight(minutes: FloatArray) -> FloatArray:
        return step(np.asarray(minutes, dtype=np.float64), steps, include_upper=include_upper)

    return weight


def gaussian_weights(*, sigma: float, cutoff: float = math.inf) -> WeightFunction:
    """Gaussian decay ``exp(-t**2 / (2 sigma**2))`` (weight 1 at 0 minutes), 0 from ``cutoff`` on.

    Parameters
    ----------
    sigma
        Width in minutes.
    cutoff
        Catchment size: times ``>= cutoff`` weigh 0 (default: none, as PySAL
        ``access.weights.gaussian``).

    Returns
    -------
    WeightFunction
        Minutes → weights.

    References
    ----------
    PySAL ``access`` (``weights.gaussian``); Luo W., Qi Y. (2009), *Health & Place* 15(4).
    """
    positive(sigma, name="sigma", allow_inf=False)
    positive(cutoff, name="cutoff", allow_inf=True)

    def weight(minutes: FloatArray) -> FloatArray:
        m = np.asarray(minutes, dtype=np.float64)
        w = np.exp(-(m**2) / (2.0 * sigma**2))
        return np.where((m < cutoff) & np.isfinite(m), w, 0.0)

    return weight


def kernel_gaussian_weights(*, cutoff: float) -> WeightFunction:
    """Gaussian kernel that falls to 0 at the catchment edge (Dai 2010; Wang 2012).

    ``w(t) = (exp(-½ (t/t0)²) - exp(-½)) / (1 - exp(-½))`` for ``t < t0``, 0 beyond.

    Parameters
    ----------
    cutoff
        Catchment size ``t0`` in minutes.

    Returns
    -------
    WeightFunction
        Minutes → weights.

    References
    ----------
    Dai D. (2010), "Black residential segregation, disparities in spatial access to health care
    facilities, and late-stage breast cancer diagnosis in metropolitan Detroit", *Health & Place*
    16(5): 1038-1052; Wang F. (2012), "Measurement, optimization, and impact of health care
    accessibility: a methodological review", *Annals of the AAG* 102(5).
    """
    positive(cutoff, name="cutoff", allow_inf=False)
    edge = math.exp(-0.5)

    def weight(minutes: FloatArray) -> FloatArray:
        m = np.asarray(minutes, dtype=np.float64)
        w = (np.exp(-0.5 * (m / cutoff) ** 2) - edge) / (1.0 - edge)
        return np.where((m < cutoff) & np.isfinite(m), w, 0.0)

    return weight


def gravity_weights(
    *, beta: float, min_minutes: float = 1.0, cutoff: float = math.inf
) -> WeightFunction:
    """Gravity (power) decay ``max(t, t_min)^-β``, 0 from ``cutoff`` on.

    Parameters
    ----------
    beta
        Friction exponent (> 0).
    min_minutes
        Times below this are raised to it, so that ``t = 0`` has a finite weight.
    cutoff
        Catchment size: times ``>= cutoff`` weigh 0 (default: none).

    Returns
    -------
    WeightFunction
        Minutes → weights.

    References
    ----------
    Hansen W. G. (1959), "How accessibility shapes land use", *JAIP* 25(2); PySAL ``access``
    (``weights.gravity`` with ``alpha = -beta``); Luo W., Wang F. (2003).
    """
    positive(beta, name="beta", allow_inf=False)
    positive(min_minutes, name="min_minutes", allow_inf=False)
    positive(cutoff, name="cutoff", allow_inf=True)

    def weight(minutes: FloatArray) -> FloatArray:
        m = np.asarray(minutes, dtype=np.float64)
        w = np.power(np.maximum(m, min_minutes), -beta)
        return np.where((m < cutoff) & np.isfinite(m), w, 0.0)

    return weight


def exponential_weights(*, beta: float, cutoff: float = math.inf) -> WeightFunction:
    """Negative exponential decay ``exp(-beta * t)``, 0 from ``cutoff`` on.

    Parameters
    ----------
    beta
        Decay rate per minute (> 0).
    cutoff
        Catchment size: times ``>= cutoff`` weigh 0 (default: none, as IPEA).

    Returns
    -------
    WeightFunction
        Minutes -> weights.

    References
    ----------
    IPEA ``accessibility`` R package (``decay_exponential``: ``exp(-decay_value * travel_cost)``);
    Kwan M.-P. (1998), "Space-time and integral measures of individual accessibility",
    *Geographical Analysis* 30(3): 191-216.
    """
    positive(beta, name="beta", allow_inf=False)
    positive(cutoff, name="cutoff", allow_inf=True)

    def weight(minutes: FloatArray) -> FloatArray:
        m = np.asarray(minutes, dtype=np.float64)
        return np.where((m < cutoff) & np.isfinite(m), np.exp(-beta * m), 0.0)

    return weight


def floating_catchment(
    od: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    weights: WeightFunction,
    method: Literal["2sfca", "bfca"] = "2sfca",
    demand_col: str = "population",
    supply_col: str = "capacity",
    per: float = 1.0,
    name: str = "access",
) -> pd.DataFrame:
    r"""Floating-catchment accessibility: 2SFCA / E2SFCA, or BFCA.

    2SFCA (Luo & Wang 2003) with a binary weight, E2SFCA (Luo & Qi 2009) with a step, gaussian
    or gravity weight :math:`w_{ij} = f(t_{ij})`:

    .. math::

        R_j = \frac{S_j}{\sum_i P_i w_{ij}}, \qquad A_i = \sum_j R_j w_{ij}

    BFCA (Paez et al. 2019) balances the weights to remove demand and supply inflation: step 1
    uses :math:`w_{ij} / \sum_{j'} w_{ij'}` and step 2 :math:`w_{ij} / \sum_{i'} w_{i'j}`.

    With the same weights in both steps, :math:`\sum_i P_i A_i = \sum_j S_j` over the sites
    someone reaches; the computation is vectorised over the sparse pairs (``numpy.bincount``).

    Parameters
    ----------
    od
        Travel-time table ``origin_id`` (demand ids), ``dest_id`` (supply ids), ``minutes``;
        missing pairs are unreachable; pairs with other ids are ignored.
    demand
        ``id`` and ``demand_col``.
    supply
        ``site_id`` and ``supply_col``.
    weights
        Weight function: :func:`binary_weights`, :func:`step_weights`, :func:`gaussian_weights`,
        :func:`kernel_gaussian_weights`, :func:`gravity_weights` or any minutes -> weights callable.
    method
        ``"2sfca"`` (also E2SFCA, depending on ``weights``) or ``"bfca"``.
    demand_col
        Demand column (population, standardised population...).
    supply_col
        Supply column (GPs, FTE, acts...).
    per
        Units of demand the result is expressed for: 1 (default) gives supply per inhabitant,
        1000 per 1,000 inhabitants (the value is multiplied by ``per``).
    name
        Name of the output column.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``: supply per ``per`` units of demand, one row per demand id.

    Raises
    ------
    ValidationError
        Missing columns, duplicated ids or pairs, negative values, NaN times, unknown method,
        negative weights.

    References
    ----------
    Luo W., Wang F. (2003), *Environment and Planning B* 30(6): 865-884; Luo W., Qi Y. (2009),
    *Health & Place* 15(4): 1100-1107; Paez A., Higgins C. D., Vivona S. F. (2019), "Demand and
    level of service inflation in Floating Catchment Area (FCA) methods", *PLoS ONE* 14(6):
    e0218773; IPEA ``accessibility`` R package (``floating_catchment_area``); PySAL ``access``
    (``fca.py``).
    """
    if method not in ("2sfca", "bfca"):
        raise ValidationError(
            "indicators.unknown_method", field="method", value=method, choices=["2sfca", "bfca"]
        )
    positive(per, name="per", allow_inf=False)
    ids, pop = demand_values(demand, column=demand_col)
    sites, cap = supply_values(supply, column=supply_col)
    pairs = od_pairs(od, ids, sites)
    w = checked_weights(weights, pairs.minutes)
    if method == "bfca":
        row = np.bincount(pairs.origin, weights=w, minlength=len(ids))[pairs.origin]
        col = np.bincount(pairs.dest, weights=w, minlength=len(sites))[pairs.dest]
        w_i = np.divide(w, row, out=np.zeros_like(w), where=row > 0)
        w_j = np.divide(w, col, out=np.zeros_like(w), where=col > 0)
    else:
        w_i = w_j = w
    access = two_step(pairs, w_i, w_j, pop, cap) * per
    return pd.DataFrame({"id": ids.to_numpy(dtype=object), name: access})


def three_step_fca(
    od: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    weights: WeightFunction,
    cutoff: float = math.inf,
    include_cutoff: bool = False,
    demand_col: str = "population",
    supply_col: str = "capacity",
    per: float = 1.0,
    name: str = "access",
) -> pd.DataFrame:
    r"""Three-step floating catchment (3SFCA, Wan, Zou & Sternberg 2012), as PySAL ``access``.

    A selection weight spreads each origin's demand over the sites it can choose, so that a
    population is not counted in full at every site it reaches (demand inflation):

    .. math::

        G_{ij} = \frac{w_{ij}}{\sum_{k} w_{ik}}, \qquad
        R_j = \frac{S_j}{\sum_{i:\,t_{ij} \in C} G_{ij} w_{ij} P_i}, \qquad
        A_i = \sum_{j:\,t_{ij} \in C} G_{ij} w_{ij} R_j

    where :math:`w_{ij} = f(t_{ij})` and :math:`C` is the catchment (``t < cutoff``, or
    ``t <= cutoff`` with ``include_cutoff=True``). :math:`G` is normalised over **every pair of
    the table** between the demand and the listed sites (PySAL ``three_stage_fca`` does so: list
    sites of zero capacity to keep them in the choice set); give a weight function that is 0
    beyond the catchment (e.g. ``gaussian_weights(sigma=..., cutoff=...)``) with ``cutoff=inf``
    for Wan et al.'s original, where the selection is normalised inside the catchment.

    Parameters
    ----------
    od
        Travel-time table ``origin_id`` (demand ids), ``dest_id`` (supply ids), ``minutes``.
    demand
        ``id`` and ``demand_col``.
    supply
        ``site_id`` and ``supply_col``.
    weights
        Distance-decay weight function (PySAL: ``weight_fn``).
    cutoff
        Catchment size in minutes (PySAL: ``max_cost``); ``inf`` keeps every pair.
    include_cutoff
        ``True`` keeps ``t <= cutoff`` as PySAL ``access`` 1.1.10 does (``cost <= max_cost``).
    demand_col, supply_col
        Demand and supply columns.
    per
        Units of demand the result is expressed for (1: per inhabitant; 1000: per 1,000).
    name
        Name of the output column.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``: supply per ``per`` units of demand, one row per demand id (0 when
        nothing is reachable).

    Raises
    ------
    ValidationError
        Invalid tables, times, cutoff or weights.

    References
    ----------
    Wan N., Zou B., Sternberg T. (2012), "A three-step floating catchment area method for
    analyzing spatial access to health services", *International Journal of Geographical
    Information Science* 26(6): 1073-1089; PySAL ``access`` 1.1.10 (``fca.three_stage_fca``).
    """
    positive(cutoff, name="cutoff", allow_inf=True)
    positive(per, name="per", allow_inf=False)
    ids, pop = demand_values(demand, column=demand_col)
    sites, cap = supply_values(supply, column=supply_col)
    pairs = od_pairs(od, ids, sites)
    w = checked_weights(weights, pairs.minutes)
    total = np.bincount(pairs.origin, weights=w, minlength=len(ids))[pairs.origin]
    selection = np.divide(w, total, out=np.zeros_like(w), where=total > 0)
    inside = within(pairs.minutes, cutoff, include_cutoff=include_cutoff)
    gw = np.where(inside, selection * w, 0.0)
    access = two_step(pairs, gw, gw, pop, cap) * per
    return pd.DataFrame({"id": ids.to_numpy(dtype=object), name: access})
