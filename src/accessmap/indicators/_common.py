"""Plumbing shared by the indicator modules: array types, table coding, the two-step kernel.

Nothing here is a measure. The tables are validated by :mod:`accessmap.contracts` (one validator per
contract); these helpers only put the validated values in the shape the numeric kernels use.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from accessmap.contracts import (
    DecayBand,
    OdPairs,
    validate_demand,
    validate_od,
    validate_supply,
)
from accessmap.errors import ValidationError

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.intp]

#: A weight (decay) function: travel minutes (array, ``inf`` = unreachable) -> weights (array).
WeightFunction: TypeAlias = Callable[[FloatArray], FloatArray]

#: Band label of a time with no path (``inf``) or no row in the travel-time table.
UNREACHABLE = "unreachable"


def demand_values(
    demand: object, *, column: str, name: str = "demand"
) -> tuple[pd.Index, FloatArray]:
    """Return the validated ids (str) and weights (float >= 0) of a demand table."""
    clean = validate_demand(demand, weight=column, name=name)
    return pd.Index(clean["id"].to_numpy(dtype=object), name="id"), clean["weight"].to_numpy(
        dtype=np.float64
    )


def supply_values(
    supply: object, *, column: str, name: str = "supply"
) -> tuple[pd.Index, FloatArray]:
    """Return the validated site ids (str) and supply (float >= 0) of a supply table."""
    series = validate_supply(supply, name=name, column=column)
    return pd.Index(series.index.to_numpy(dtype=object), name="site_id"), series.to_numpy(
        dtype=np.float64
    )


def od_pairs(od: object, origins: pd.Index, dests: pd.Index) -> OdPairs:
    """Return the travel-time rows between ``origins`` and ``dests``, integer-coded."""
    return validate_od(od, origins=origins, dests=dests)


def positive(value: float, *, name: str, allow_inf: bool) -> None:
    """Refuse a non-positive (or, unless ``allow_inf``, infinite) option."""
    ok = (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value > 0
        and (allow_inf or math.isfinite(value))
    )
    if not ok:
        raise ValidationError("indicators.not_positive", field=name, value=value)


def step(m: FloatArray, bands: Sequence[DecayBand], *, include_upper: bool) -> FloatArray:
    """Weights of a step function; earlier bands win at shared edges; ``inf`` weighs 0."""
    w = np.zeros(m.shape, dtype=np.float64)
    for band in reversed(tuple(bands)):
        inside = (m >= band.lower) & ((m <= band.upper) if include_upper else (m < band.upper))
        w[inside] = band.weight
    w[~np.isfinite(m)] = 0.0
    return w


def checked_weights(weights: WeightFunction, minutes: FloatArray) -> FloatArray:
    """Apply a weight function and refuse a wrong shape or negative weights."""
    w = np.asarray(weights(minutes), dtype=np.float64)
    if w.shape != minutes.shape or bool((w[np.isfinite(w)] < 0).any()):
        raise ValidationError("indicators.bad_weights", field="weights")
    return np.where(np.isfinite(w), w, 0.0)


def two_step(
    pairs: OdPairs,
    w_demand: FloatArray,
    w_supply: FloatArray,
    demand: FloatArray,
    supply: FloatArray,
) -> FloatArray:
    r"""Run the floating-catchment kernel on sparse pairs.

    :math:`R_j = S_j / \sum_i P_i w^{(1)}_{ij}` (0 for a site nobody reaches) and
    :math:`A_i = \sum_j R_j w^{(2)}_{ij}`, with ``numpy.bincount`` over the pairs.
    """
    oi, dj = pairs.origin, pairs.dest
    # products formed in place: one array of the pairs' length at a time, not two
    weighted = np.asarray(demand, dtype=np.float64)[oi]
    weighted *= w_demand
    served = np.bincount(dj, weights=weighted, minlength=len(supply))
    ratio = np.divide(supply, served, out=np.zeros(len(supply)), where=served > 0)
    weighted = ratio[dj]
    weighted *= w_supply
    return np.bincount(oi, weights=weighted, minlength=len(demand)).astype(np.float64)


def cumsum_by_group(group: IntArray, values: FloatArray) -> FloatArray:
    """Return the running sum of ``values`` within each run of equal ``group`` (sorted)."""
    if not len(group):
        return np.zeros(0, dtype=np.float64)
    starts = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    cum = np.cumsum(values)
    before = np.repeat(np.r_[0.0, cum][starts], np.diff(np.r_[starts, len(group)]))
    return np.asarray(cum - before, dtype=np.float64)
