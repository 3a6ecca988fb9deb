"""Location set covering problem (LSCP): fewest new sites so that everyone is within ``T``."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd

from accessmap.conventions import SITING_MINUTES
from accessmap.errors import SolverError
from accessmap.messages import Message
from accessmap.siting._highs import Mip, SolverOptions, check_objective, solve
from accessmap.siting.heuristics import greedy_cover_all
from accessmap.siting.instance import (
    BoolArray,
    Instance,
    IntArray,
    Method,
    build_instance,
    check_method,
    check_minutes,
    params_of,
)
from accessmap.siting.result import SitingResult, make_result

__all__ = ["lscp", "set_cover_mip"]

_NAME = Message("siting.model_lscp")


def lscp(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    minutes: float = SITING_MINUTES,
    weight: str = "population",
    candidates: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    fixed: Sequence[str] = (),
    method: Method = "exact",
    solver: SolverOptions | None = None,
) -> SitingResult:
    """Location set covering problem: fewest new sites so that everyone is within ``minutes``.

    Every demand with a positive weight must reach an open site in ``t < minutes`` (half-open
    convention). Demands that no candidate or fixed site can cover make the problem infeasible:
    they are listed in the error.

    Parameters
    ----------
    od
        Long travel-time table (``origin_id, dest_id, minutes, method``).
    demand
        ``id`` and the ``weight`` column; rows with weight 0 need no coverage.
    minutes
        Coverage threshold ``T`` (covered: ``t < T``); default
        :data:`accessmap.conventions.SITING_MINUTES`.
    weight
        Demand column (only its positivity matters).
    candidates
        Candidate site ids (default: every ``dest_id`` of ``od``).
    exclude
        Candidate ids never to open.
    fixed
        Existing sites, open whatever the model chooses.
    method
        ``"exact"`` or ``"greedy"`` (Chvátal's greedy set cover).
    solver
        HiGHS options.

    Returns
    -------
    SitingResult
        ``objective`` = number of new sites.

    Raises
    ------
    SolverError
        Some demand cannot be covered by any site (listed), or HiGHS found no solution.
    ValidationError
        Bad tables or ids.

    References
    ----------
    Toregas C., Swain R., ReVelle C., Bergman L., "The location of emergency service
    facilities", Operations Research 19 (1971) 1363-1373. Chvátal V., "A greedy heuristic for
    the set-covering problem", Mathematics of Operations Research 4 (1979) 233-235.
    """
    started = time.perf_counter()
    options = solver or SolverOptions()
    threshold = check_minutes(minutes)
    inst = build_instance(
        od, demand, weight=weight, candidates=candidates, exclude=exclude, fixed=fixed
    )
    check_method(method)
    params = params_of(minutes=threshold, weight=weight, method=method)
    cover = inst.covered(threshold)
    positive = inst.weights > 0
    impossible = positive & ~cover.any(axis=1)
    if impossible.any():
        ids = inst.demand_ids[impossible]
        raise SolverError(
            "siting.cover_impossible",
            field="minutes",
            count=len(ids),
            minutes=threshold,
            ids=ids.tolist(),
        )
    need = positive & ~cover[:, inst.fixed].any(axis=1)
    greedy = greedy_cover_all(inst, need, cover)
    if method == "greedy":
        return make_result(
            inst, model="lscp", chosen=greedy, status="heuristic", objective=float(len(greedy)),
            sense="min", bound=math.nan, started=started, threshold=threshold, heuristic=None,
            parameters=params,
        )  # fmt: skip
    free = inst.free
    pi, pj = inst.pairs_within(threshold)
    mip = set_cover_mip(inst, need, pi, pj)
    out = solve(
        mip, options=options, deadline=started + options.seconds(),
        start=np.isin(free, greedy).astype(np.float64), what=_NAME,
        infeasible_fix=Message("siting.advice_raise_minutes"),
    )  # fmt: skip
    chosen = [int(j) for j in free[out.x > 0.5]]
    mask = inst.fixed.copy()
    mask[chosen] = True
    covers = bool(cover[need][:, mask].any(axis=1).all()) if need.any() else True
    value = float(len(chosen)) if covers else math.inf
    out = check_objective(out, value=value, reported=out.objective, maximize=False, what=_NAME)
    return make_result(
        inst, model="lscp", chosen=chosen, status=out.status, objective=float(len(chosen)),
        sense="min", bound=out.bound, started=started, threshold=threshold,
        heuristic=float(len(greedy)), parameters=params, notes=out.notes,
    )  # fmt: skip


def set_cover_mip(inst: Instance, need: BoolArray, pi: IntArray, pj: IntArray) -> Mip:
    """Set covering on the sparse pairs ``(pi, pj)``: every ``need`` demand by a free site.

    Columns: ``x`` (free sites, binary, cost 1); rows: ``sum_j x_j >= 1`` per needed demand.
    """
    free = inst.free
    col_of = np.full(len(inst.site_ids), -1)
    col_of[free] = np.arange(len(free))
    rows_d = np.flatnonzero(need)
    row_of = np.full(len(inst.demand_ids), -1)
    row_of[rows_d] = np.arange(len(rows_d))
    keep = need[pi] & ~inst.fixed[pj]
    ci, cj = row_of[pi[keep]], col_of[pj[keep]]
    nf = len(free)
    return Mip(
        cost=np.ones(nf),
        lower=np.zeros(nf),
        upper=np.ones(nf),
        integer=np.ones(nf, dtype=bool),
        rows=ci,
        cols=cj,
        vals=np.ones(len(ci)),
        row_lower=np.ones(len(rows_d)),
        row_upper=np.full(len(rows_d), np.inf),
        maximize=False,
    )
