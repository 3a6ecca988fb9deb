"""Greedy heuristics: starts for the exact models and answers of ``method="greedy"``.

- :func:`greedy_coverage`, :func:`greedy_median`, :func:`greedy_center`: greedy addition of ``p``
  sites, then vertex substitution (Teitz & Bart 1968) until no swap improves;
- :func:`greedy_cover_all`: Chvátal's greedy set cover, then dropping redundant sites.

All are vectorised over the dense time matrix of the instance.

References
----------
Teitz M. B., Bart P., "Heuristic methods for estimating the generalized vertex median of a weighted
graph", Operations Research 16 (1968) 955-961. Chvátal V., "A greedy heuristic for the
set-covering problem", Mathematics of Operations Research 4 (1979) 233-235.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from accessmap.siting.instance import BoolArray, FloatArray, Instance, nearest_minutes

__all__ = [
    "add_median_scores",
    "greedy_center",
    "greedy_cover_all",
    "greedy_coverage",
    "greedy_median",
    "single_site_values",
    "swap_search",
]


def swap_search(
    inst: Instance,
    chosen: list[int],
    *,
    score: Callable[[FloatArray], FloatArray],
    current: Callable[[BoolArray], FloatArray],
    better: Callable[[float, float], bool],
) -> list[int]:
    """Vertex substitution (Teitz & Bart 1968): swap one chosen site for the best other one.

    ``current(mask)`` gives each demand's nearest open time for a set of open sites;
    ``score(nearest)`` gives the objective of adding each site (a vector over all sites) to
    demands whose nearest open time is ``nearest``.
    """
    chosen = list(chosen)
    best_mask = inst.fixed.copy()
    best_mask[chosen] = True
    best_value = float(score(current(best_mask))[chosen[0]]) if chosen else math.nan
    improved = bool(chosen)
    rounds = 0
    while improved and rounds < 50:
        improved = False
        rounds += 1
        for k in range(len(chosen)):
            mask = inst.fixed.copy()
            rest = chosen[:k] + chosen[k + 1 :]
            mask[rest] = True
            values = score(current(mask))
            values[mask] = np.nan
            values[chosen[k]] = np.nan
            if np.all(np.isnan(values)):
                continue
            j = int(np.nanargmin(values)) if not better(1.0, 0.0) else int(np.nanargmax(values))
            if better(float(values[j]), best_value):
                chosen[k] = j
                best_value = float(values[j])
                improved = True
    return chosen


def _add_then_swap(
    inst: Instance,
    p: int,
    score: Callable[[FloatArray], FloatArray],
    *,
    maximize: bool,
    tol: float,
) -> list[int]:
    """Add the best site ``p`` times (``score`` of adding each site), then swap (Teitz & Bart)."""

    def current(mask: BoolArray) -> FloatArray:
        return nearest_minutes(inst, mask)

    chosen: list[int] = []
    mask = inst.fixed.copy()
    for _ in range(p):
        values = score(current(mask))
        values[mask] = -np.inf if maximize else np.inf
        j = int(np.argmax(values) if maximize else np.argmin(values))
        chosen.append(j)
        mask[j] = True

    def better(a: float, b: float) -> bool:
        return a > b + tol if maximize else a < b - tol

    return swap_search(inst, chosen, score=score, current=current, better=better)


def greedy_coverage(inst: Instance, p: int, threshold: float) -> list[int]:
    """Add ``p`` sites one by one, most newly covered weight first, then swap."""
    from scipy import sparse

    ci, cj = inst.pairs_within(threshold)
    shape = (len(inst.site_ids), len(inst.demand_ids))
    cover_t = sparse.csr_matrix((np.ones(len(ci)), (cj, ci)), shape=shape)

    def score(nearest: FloatArray) -> FloatArray:
        already = nearest < threshold
        gain = np.asarray(cover_t @ np.where(already, 0.0, inst.weights))
        return gain + float(inst.weights[already].sum())

    return _add_then_swap(inst, p, score, maximize=True, tol=1e-9)


def add_median_scores(inst: Instance, nearest: FloatArray) -> FloatArray:
    """Weighted minutes if each site were added to demands at ``nearest``.

    An unreachable demand costs a penalty larger than any travel time, so that the greedy first
    reaches everyone, then shortens trips (the exact objective of such a set stays infinite).
    """
    w = inst.weights
    penalty = 1e3 * (float(inst.pair_t.max()) + 1.0) if len(inst.pair_t) else 1e3
    new = np.minimum(inst.minutes, nearest[:, None])
    new = np.where(np.isfinite(new), new, penalty)
    contrib = np.where(w[:, None] > 0, w[:, None] * new, 0.0)
    return np.asarray(contrib.sum(axis=0), dtype=np.float64)


def greedy_median(inst: Instance, p: int) -> list[int]:
    """Add ``p`` sites one by one, largest drop in weighted time first, then swap."""

    def score(nearest: FloatArray) -> FloatArray:
        return add_median_scores(inst, nearest)

    return _add_then_swap(inst, p, score, maximize=False, tol=1e-9)


def greedy_center(inst: Instance, p: int) -> list[int]:
    """Add ``p`` sites one by one, largest drop in worst time first, then swap."""
    positive = inst.weights > 0

    def score(nearest: FloatArray) -> FloatArray:
        new = np.minimum(inst.minutes[positive], nearest[positive][:, None])
        if new.shape[0] == 0:
            return np.zeros(inst.minutes.shape[1])
        worst = new.max(axis=0)
        # break ties on the worst time by the weighted total, so swaps keep improving
        return worst + 1e-9 * np.where(np.isfinite(new), new, 1e9).mean(axis=0)

    return _add_then_swap(inst, p, score, maximize=False, tol=1e-12)


def greedy_cover_all(inst: Instance, need: BoolArray, cover: BoolArray) -> list[int]:
    """Chvátal's greedy set cover: add the site covering most uncovered demand, drop redundant."""
    uncovered = need.copy()
    chosen: list[int] = []
    free = ~inst.fixed
    while uncovered.any():
        gain = cover[uncovered].sum(axis=0).astype(np.float64)
        gain[~free] = -1
        gain[chosen] = -1
        j = int(np.argmax(gain))
        if gain[j] <= 0:
            break
        chosen.append(j)
        uncovered &= ~cover[:, j]
    for j in sorted(chosen, key=lambda k: cover[need, k].sum()):
        others = [k for k in chosen if k != j]
        if cover[need][:, others].any(axis=1).all() if others else not need.any():
            chosen = others
    return chosen


def single_site_values(inst: Instance, model: str, *, threshold: float | None = None) -> FloatArray:
    """Exact objective of opening each site alone (with the fixed ones): p = 1 by enumeration.

    Parameters
    ----------
    inst
        The instance.
    model
        ``mclp`` (weight within ``t < threshold``), ``p_median`` (weighted minutes, ``inf`` when
        some inhabited demand is out of reach) or ``p_center`` (worst minutes over inhabited
        demand).
    threshold
        Coverage threshold of the MCLP.

    Returns
    -------
    numpy.ndarray
        One value per site (fixed sites included: they are already open).
    """
    near = nearest_minutes(inst, inst.fixed)
    new = np.minimum(inst.minutes, near[:, None])
    positive = inst.weights > 0
    if model == "mclp":
        return np.asarray(inst.weights @ (new < float(threshold or 0.0)), dtype=np.float64)
    if model == "p_median":
        with np.errstate(invalid="ignore"):
            contrib = np.where(positive[:, None], inst.weights[:, None] * new, 0.0)
        return np.asarray(contrib.sum(axis=0), dtype=np.float64)
    if not positive.any():
        return np.zeros(len(inst.site_ids))
    return np.asarray(new[positive].max(axis=0), dtype=np.float64)
