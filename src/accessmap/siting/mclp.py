"""Maximal covering location problem (MCLP): ``p`` new sites covering the most population."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import pandas as pd

from accessmap.conventions import SITING_MINUTES
from accessmap.messages import Message
from accessmap.siting._coverage import mclp_mip
from accessmap.siting._highs import SolverOptions, check_objective, solve
from accessmap.siting.heuristics import greedy_coverage, single_site_values
from accessmap.siting.instance import (
    Method,
    build_instance,
    check_method,
    check_minutes,
    check_p,
    coverage_value,
    params_of,
)
from accessmap.siting.result import SitingResult, make_result, single_site_result

__all__ = ["mclp"]

_NAME = Message("siting.model_mclp")


def mclp(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    p: int,
    minutes: float = SITING_MINUTES,
    weight: str = "population",
    candidates: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    fixed: Sequence[str] = (),
    method: Method = "exact",
    solver: SolverOptions | None = None,
) -> SitingResult:
    """Maximal covering location problem: ``p`` new sites covering the most population.

    A demand is covered when an open site (fixed or new) is reachable in ``t < minutes`` (the
    project's half-open convention: exactly ``minutes`` away is *not* covered).

    Parameters
    ----------
    od
        Long travel-time table ``origin_id`` (demand id), ``dest_id`` (site id), ``minutes``
        (``inf`` or a missing pair: unreachable), ``method``.
    demand
        ``id`` and the ``weight`` column (``population`` by default).
    p
        New sites to open (fixed sites come on top).
    minutes
        Coverage threshold ``T`` (covered: ``t < T``); default
        :data:`accessmap.conventions.SITING_MINUTES`.
    weight
        Demand column to maximise.
    candidates
        Candidate site ids (default: every ``dest_id`` of ``od``).
    exclude
        Candidate ids never to open.
    fixed
        Existing sites, open whatever the model chooses.
    method
        ``"exact"`` (HiGHS, warm-started by the greedy) or ``"greedy"`` (heuristic only).
    solver
        HiGHS options.

    Returns
    -------
    SitingResult
        ``objective`` = population covered (fixed sites included).

    Raises
    ------
    ValidationError
        Bad tables, ``p`` larger than the candidates, a candidate id not in ``od``.
    SolverError
        HiGHS stopped without any solution.

    References
    ----------
    Church R. L., ReVelle C., "The maximal covering location problem", Papers of the Regional
    Science Association 32 (1974) 101-118.
    """
    started = time.perf_counter()
    options = solver or SolverOptions()
    threshold = check_minutes(minutes)
    inst = build_instance(
        od, demand, weight=weight, candidates=candidates, exclude=exclude, fixed=fixed
    )
    check_p(p, inst)
    params = params_of(p=p, minutes=threshold, weight=weight, method=method)
    greedy = greedy_coverage(inst, p, threshold)
    greedy_mask = inst.fixed.copy()
    greedy_mask[greedy] = True
    heuristic = coverage_value(inst, greedy_mask, threshold)
    if method == "greedy":
        return make_result(
            inst, model="mclp", chosen=greedy, status="heuristic", objective=heuristic,
            sense="max", bound=math.nan, started=started, threshold=threshold, heuristic=None,
            parameters=params,
        )  # fmt: skip
    check_method(method)
    if p == 1:
        single = single_site_result(
            inst,
            model="mclp",
            values=single_site_values(inst, "mclp", threshold=threshold),
            maximize=True,
            value_of=lambda mask: coverage_value(inst, mask, threshold),
            started=started,
            threshold=threshold,
            heuristic=heuristic,
            parameters=params,
        )
        if single is not None:
            return single
    mip, constant, start = mclp_mip(inst, p, threshold, greedy_mask)
    out = solve(
        mip,
        options=options,
        deadline=started + options.seconds(),
        start=start,
        what=_NAME,
        infeasible_fix=Message("siting.advice_check_inputs"),
    )
    free = inst.free
    chosen = [int(j) for j in free[out.x[: len(free)] > 0.5]]
    open_mask = inst.fixed.copy()
    open_mask[chosen] = True
    value = coverage_value(inst, open_mask, threshold)
    out = check_objective(
        out, value=value, reported=out.objective + constant, maximize=True, what=_NAME
    )
    return make_result(
        inst, model="mclp", chosen=chosen, status=out.status, objective=value, sense="max",
        bound=out.bound + constant, started=started, threshold=threshold, heuristic=heuristic,
        parameters=params, notes=out.notes,
    )  # fmt: skip
