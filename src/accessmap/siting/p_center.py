"""p-center: ``p`` new sites minimising the worst travel time, as a sequence of set covers."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd

from accessmap.messages import Message
from accessmap.siting._highs import SolverOptions, remaining, run_checked
from accessmap.siting.heuristics import greedy_center, greedy_cover_all, single_site_values
from accessmap.siting.instance import (
    BoolArray,
    Instance,
    Method,
    center_value,
)
from accessmap.siting.lscp import set_cover_mip
from accessmap.siting.result import SitingResult, start_minimising

__all__ = ["p_center"]


def p_center(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    p: int,
    weight: str = "population",
    candidates: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    fixed: Sequence[str] = (),
    method: Method = "exact",
    solver: SolverOptions | None = None,
) -> SitingResult:
    """p-center: ``p`` new sites minimising the worst travel time to the nearest open site.

    The objective is unweighted (every inhabited commune counts the same; demand rows with weight
    0 are ignored). It is solved exactly as a bisection over the distinct travel times ``r``,
    each step a set-covering MIP asking whether ``p`` new sites can bring every demand within
    ``t <= r`` (Minieka 1970). The objective is a time value, not a band, so ``<=`` applies here.

    Parameters
    ----------
    od
        Long travel-time table (``origin_id, dest_id, minutes, method``).
    demand
        ``id`` and the ``weight`` column (only positivity matters).
    p
        New sites to open (fixed sites come on top).
    weight
        Demand column.
    candidates
        Candidate site ids (default: every ``dest_id`` of ``od``).
    exclude
        Candidate ids never to open.
    fixed
        Existing sites, open whatever the model chooses.
    method
        ``"exact"`` or ``"greedy"`` (greedy addition with vertex substitution).
    solver
        HiGHS options (the time limit covers the whole bisection).

    Returns
    -------
    SitingResult
        ``objective`` = worst minutes to the nearest open site over the communes in the model.
        The communes no site reaches, or that ``p`` new sites cannot reach with the others, are
        left out of the model and named in ``unreached`` (with a warning; see
        :mod:`accessmap.siting.reach`). A time limit returns the best sites found (at worst the
        greedy start) with the proven lower bound.

    Raises
    ------
    ValidationError
        No inhabited demand reaches any site, bad tables or ids, ``p`` too large.

    References
    ----------
    Hakimi S. L., "Optimum locations of switching centers and the absolute centers and medians of
    a graph", Operations Research 12 (1964) 450-459. Minieka E., "The m-center problem", SIAM
    Review 12 (1970) 138-139.
    """
    started = time.perf_counter()
    options = solver or SolverOptions()
    begin = start_minimising(
        "p_center", od, demand, p=p, weight=weight, candidates=candidates, exclude=exclude,
        fixed=fixed, method=method, started=started, greedy=greedy_center, value_of=center_value,
        single_values=lambda inst: single_site_values(inst, "p_center"), options=options,
    )  # fmt: skip
    if begin.single is not None:
        return begin.single
    inst, params, greedy, heuristic = begin.inst, begin.params, begin.greedy, begin.heuristic
    if method == "greedy":
        return begin.result(
            model="p_center", chosen=greedy, status="heuristic", objective=heuristic,
            sense="min", bound=math.nan, started=started, threshold=None, heuristic=None,
            parameters=params,
        )  # fmt: skip
    chosen, value, status, bound, notes = _bisect(
        inst, p, list(greedy), heuristic, options=options, deadline=started + options.seconds()
    )
    return begin.result(
        model="p_center", chosen=chosen, status=status, objective=value,
        sense="min", bound=bound, started=started, threshold=None, heuristic=heuristic,
        parameters=params, notes=_summary(notes),
    )  # fmt: skip


def _bisect(
    inst: Instance,
    p: int,
    best_chosen: list[int],
    best_value: float,
    *,
    options: SolverOptions,
    deadline: float,
) -> tuple[list[int], float, str, float, tuple[Message, ...]]:
    """Bisect over the distinct times up to ``best_value`` (a feasible radius).

    Returns the best sites, their worst time, the status, the proven lower bound and the notes.
    """
    times = inst.minutes[inst.weights > 0]
    lower = float(times.min(axis=1).max()) if len(times) else 0.0
    radii = np.unique(times[np.isfinite(times)])
    radii = radii[(radii >= lower) & (radii <= best_value)]
    lo, hi = 0, len(radii) - 1  # radii[hi] == best_value is feasible
    status = "optimal"
    notes: tuple[Message, ...] = ()
    while lo < hi:
        mid = (lo + hi) // 2
        feasible, chosen, more = _cover_within(inst, p, float(radii[mid]), options, deadline)
        notes = (*notes, *more)
        if feasible is None:
            status = "time_limit"
            break
        if feasible:
            hi = mid
            mask = inst.fixed.copy()
            mask[chosen] = True
            value = center_value(inst, mask)
            if value < best_value:
                best_chosen, best_value = chosen, value
        else:
            lo = mid + 1
    bound = float(radii[lo]) if len(radii) else best_value
    return best_chosen, best_value, status, bound, notes


def _cover_within(
    inst: Instance, p: int, radius: float, options: SolverOptions, deadline: float
) -> tuple[bool | None, list[int], tuple[Message, ...]]:
    """Decide whether ``p`` new sites can bring every inhabited demand within ``t <= radius``.

    Returns ``(True, sites, notes)``, ``(False, [], notes)`` or ``(None, [], notes)`` when the
    deadline came first. A "yes" is checked on the data; a "no" comes from HiGHS' proof
    (infeasible, or a dual bound above ``p``) on a run whose answer checked.
    """
    cover = inst.minutes <= radius
    need = (inst.weights > 0) & ~cover[:, inst.fixed].any(axis=1)
    if not need.any():
        return True, [], ()
    free = inst.free
    if (need & ~cover[:, free].any(axis=1)).any():
        return False, [], ()
    greedy = greedy_cover_all(inst, need, cover)
    if len(greedy) <= p:
        return True, greedy, ()
    if remaining(deadline) <= 0:
        return None, [], ()
    return _cover_mip(inst, p, radius, need, greedy, options, deadline)


def _cover_mip(
    inst: Instance,
    p: int,
    radius: float,
    need: BoolArray,
    greedy: list[int],
    options: SolverOptions,
    deadline: float,
) -> tuple[bool | None, list[int], tuple[Message, ...]]:
    """Answer the covering question with HiGHS (stopping as soon as ``p`` sites cannot do)."""
    free = inst.free
    near = inst.pair_t <= radius
    mip = set_cover_mip(inst, need, inst.pair_i[near], inst.pair_j[near])
    run, notes = run_checked(
        mip, options=options, deadline=deadline,
        start=np.isin(free, greedy).astype(np.float64),
        settings={"mip_rel_gap": 0.0, "objective_bound": p + 0.5},
    )  # fmt: skip
    if run.status == "kInfeasible":
        return False, [], notes
    if run.x is not None and mip.feasible(run.x):
        chosen = [int(j) for j in free[run.x > 0.5]]
        mask = inst.fixed.copy()
        mask[chosen] = True
        if len(chosen) <= p and (inst.minutes[need][:, mask] <= radius).any(axis=1).all():
            return True, chosen, notes
    if run.status in ("kOptimal", "kObjectiveBound") or run.bound > p + 1e-6:
        return False, [], notes
    return None, [], notes


def _summary(notes: tuple[Message, ...]) -> tuple[Message, ...]:
    """One note for the re-solves of the bisection's set-covering problems."""
    if not notes:
        return ()
    return (Message("siting.note_bisection_solved_again", count=len(notes)),)
