"""The MIP of the APL siting models: build it, solve it from the greedy plan, check it on the data.

Columns: ``x_j`` (whole new FTE at each site, ``0..cap_j``), ``y_j`` (a new site opened: ``x_j``
between ``team_min y_j`` and ``cap_j y_j``), then ``z`` (a commune reached, binary) or ``s`` (its
APL deficit, continuous). Covering rows use coefficients ``min(g_ij, need_i)`` (one FTE that alone
lifts a commune is as good as more: an exact tightening) and carry a count cut
``sum_j x_j >= ceil(need_i / max_j g_ij) z_i``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from accessmap.messages import Message
from accessmap.siting._apl import AplProblem, Budget, Objective, apl_result
from accessmap.siting._highs import Mip, Outcome, SolverOptions, check_objective, solve
from accessmap.siting.instance import BoolArray, FloatArray, IntArray, check_method
from accessmap.siting.result import SitingResult

__all__ = ["PlanMip", "plan_mip", "run_plan", "solve_plan"]


@dataclass
class _Builder:
    """Columns and rows of a MIP, accumulated."""

    cost: list[float]
    lower: list[float]
    upper: list[float]
    integer: list[bool]
    rows: list[int]
    cols: list[int]
    vals: list[float]
    row_lower: list[float]
    row_upper: list[float]

    @classmethod
    def empty(cls) -> _Builder:
        return cls([], [], [], [], [], [], [], [], [])

    def columns(
        self, cost: FloatArray, lower: FloatArray, upper: FloatArray, *, integer: bool
    ) -> int:
        start = len(self.cost)
        self.cost += cost.tolist()
        self.lower += lower.tolist()
        self.upper += upper.tolist()
        self.integer += [integer] * len(cost)
        return start

    def row(self, cols: IntArray, vals: FloatArray, lower: float, upper: float) -> None:
        r = len(self.row_lower)
        self.rows += [r] * len(cols)
        self.cols += cols.tolist()
        self.vals += vals.tolist()
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def mip(self, *, maximize: bool) -> Mip:
        return Mip(
            cost=np.asarray(self.cost, dtype=np.float64),
            lower=np.asarray(self.lower, dtype=np.float64),
            upper=np.asarray(self.upper, dtype=np.float64),
            integer=np.asarray(self.integer, dtype=bool),
            rows=np.asarray(self.rows, dtype=np.int64),
            cols=np.asarray(self.cols, dtype=np.int64),
            vals=np.asarray(self.vals, dtype=np.float64),
            row_lower=np.asarray(self.row_lower, dtype=np.float64),
            row_upper=np.asarray(self.row_upper, dtype=np.float64),
            maximize=maximize,
        )


@dataclass(frozen=True, slots=True)
class PlanMip:
    """A plan's MIP and how to read it: ``x`` columns first, then ``y`` (new sites)."""

    mip: Mip
    m: int
    new_sites: IntArray
    start_of: Callable[[IntArray], FloatArray]
    constant: float


def _site_columns(problem: AplProblem, b: _Builder, budget: Budget, *, fte_cost: float) -> IntArray:
    """Add ``x`` (FTE per site) and ``y`` (new site opened) with the team and budget rows."""
    m = len(problem.cap)
    cap = problem.cap.astype(np.float64)
    b.columns(np.full(m, fte_cost), np.zeros(m), cap, integer=True)
    new_sites = np.flatnonzero(problem.new)
    k = len(new_sites)
    y0 = b.columns(np.zeros(k), np.zeros(k), np.ones(k), integer=True)
    for q, j in enumerate(new_sites):
        cols = np.array([j, y0 + q])
        b.row(cols, np.array([1.0, -float(problem.team_min)]), 0.0, math.inf)
        b.row(cols, np.array([1.0, -cap[j]]), -math.inf, 0.0)
    if budget.recruits is not None:
        b.row(np.arange(m), np.ones(m), -math.inf, float(budget.recruits))
    if budget.sites is not None and len(new_sites):
        ys = y0 + np.arange(len(new_sites))
        b.row(ys, np.ones(len(new_sites)), -math.inf, float(budget.sites))
    return new_sites


def _cover_rows(
    problem: AplProblem, b: _Builder, rows: list[tuple[int, int]], weights: FloatArray
) -> int:
    """Add ``z`` (commune ``i`` of baseline ``s`` reached) and ``sum_j g_ij x_j >= need z``.

    With each row its count cut ``sum_j x_j >= k z`` (see :func:`_fewest`).
    """
    need = problem.need()
    z0 = b.columns(weights, np.zeros(len(rows)), np.ones(len(rows)), integer=True)
    for k, (s, i) in enumerate(rows):
        gj = np.flatnonzero(problem.gain[i] > 0)
        cols = np.concatenate([gj, [z0 + k]])
        g = problem.gain[i, gj]
        vals = np.concatenate([np.minimum(g, need[s, i]), [-need[s, i]]])
        b.row(cols, vals, 0.0, math.inf)
        ones = np.concatenate([np.ones(len(gj)), [-_fewest(g, need[s, i])]])
        b.row(cols, ones, 0.0, math.inf)
    return z0


def _fewest(gains: FloatArray, need: float) -> float:
    """Fewest whole FTE that can give ``need``: ``ceil(need / max gain)`` (a valid count cut).

    Any plan with ``sum_j g_j x_j >= need`` has ``max(g) sum_j x_j >= need``; ``sum_j x_j`` being
    whole, it is at least the ceiling (less a hair, so that no plan within the solver's
    tolerance is cut off). The rows' linear relaxation is much weaker without it.
    """
    top = float(gains.max(initial=0.0))
    return float(math.ceil(need / top - 1e-7)) if top > 0 else 0.0


def plan_mip(
    problem: AplProblem,
    budget: Budget,
    *,
    objective: Objective,
    required: BoolArray | None = None,
    need_weight: float | None = None,
) -> PlanMip:
    """Build the MIP of a plan.

    - ``inhabitants``: maximise the mean over baselines of the inhabitants at or above the
      threshold (``z`` binaries, one per commune and baseline still below and liftable there).
    - ``deficit``: minimise the mean of ``sum_i w_i s_i``, ``s_i >= threshold - APL_i``, ``s >= 0``.
    - ``recruits``: minimise ``sum_j x_j`` so that every ``required`` commune is reached (one
      baseline), or, with ``need_weight``, that the inhabitants reached among them reach it.

    Returns
    -------
    PlanMip
    """
    b = _Builder.empty()
    n_base, _ = problem.base.shape
    weights = problem.people / n_base
    new_sites = _site_columns(problem, b, budget, fte_cost=1.0 if objective == "recruits" else 0.0)
    need = problem.need()
    gain = problem.gain
    constant = 0.0
    if objective == "inhabitants":
        lift = problem.liftable()
        open_rows = (need > 0) & lift & (problem.people > 0)
        pairs = [(s, int(i)) for s in range(n_base) for i in np.flatnonzero(open_rows[s])]
        constant = float(((need <= 0) @ problem.people).sum() / n_base)
        _cover_rows(problem, b, pairs, np.array([weights[i] for _, i in pairs]))

        def start_of(x: IntArray) -> FloatArray:
            got = gain @ x.astype(np.float64)
            z = np.array([float(got[i] >= need[s, i]) for s, i in pairs])
            return _start(x, new_sites, z)

        return PlanMip(b.mip(maximize=True), len(problem.cap), new_sites, start_of, constant)
    if objective == "deficit":
        full = problem.threshold - problem.base
        short = (full > 0) & (problem.people > 0)
        pairs = [(s, int(i)) for s in range(n_base) for i in np.flatnonzero(short[s])]
        k_all = len(pairs)
        cost = np.array([weights[i] for _, i in pairs])
        s0 = b.columns(cost, np.zeros(k_all), np.full(k_all, np.inf), integer=False)
        for k, (s, i) in enumerate(pairs):
            gj = np.flatnonzero(gain[i] > 0)
            cols = np.concatenate([gj, [s0 + k]])
            g = np.minimum(gain[i, gj], full[s, i])  # one FTE of more is as good: tighter
            b.row(cols, np.concatenate([g, [1.0]]), float(full[s, i]), math.inf)

        def start_def(x: IntArray) -> FloatArray:
            got = gain @ x.astype(np.float64)
            slack = np.array([max(0.0, full[s, i] - got[i]) for s, i in pairs])
            return _start(x, new_sites, slack)

        return PlanMip(b.mip(maximize=False), len(problem.cap), new_sites, start_def, 0.0)
    return _recruits_mip(problem, b, new_sites, required, need_weight)


def _recruits_mip(
    problem: AplProblem,
    b: _Builder,
    new_sites: IntArray,
    required: BoolArray | None,
    need_weight: float | None,
) -> PlanMip:
    need = problem.need()[0]
    gain = problem.gain
    req = np.flatnonzero(required if required is not None else np.zeros(len(need), dtype=bool))
    if need_weight is None:
        for i in req:
            gj = np.flatnonzero(gain[i] > 0)
            b.row(gj, np.minimum(gain[i, gj], need[i]), float(need[i]), math.inf)
            b.row(gj, np.ones(len(gj)), _fewest(gain[i, gj], need[i]), math.inf)

        def start_all(x: IntArray) -> FloatArray:
            return _start(x, new_sites, np.zeros(0))

        return PlanMip(b.mip(maximize=False), len(problem.cap), new_sites, start_all, 0.0)
    pairs = [(0, int(i)) for i in req]
    z0 = _cover_rows(problem, b, pairs, np.zeros(len(pairs)))
    b.row(z0 + np.arange(len(pairs)), problem.people[req], float(need_weight), math.inf)

    def start_share(x: IntArray) -> FloatArray:
        got = gain @ x.astype(np.float64)
        return _start(x, new_sites, (got[req] >= need[req]).astype(np.float64))

    return PlanMip(b.mip(maximize=False), len(problem.cap), new_sites, start_share, 0.0)


def _start(x: IntArray, new_sites: IntArray, rest: FloatArray) -> FloatArray:
    y = (x[new_sites] > 0).astype(np.float64)
    return np.concatenate([x.astype(np.float64), y, rest])


def solve_plan(
    problem: AplProblem,
    pm: PlanMip,
    *,
    greedy: IntArray,
    value: Callable[[IntArray], float],
    options: SolverOptions,
    deadline: float,
    what: Message,
) -> tuple[IntArray, Outcome]:
    """Solve a plan's MIP from the greedy plan; check the answer's value on the data.

    Returns
    -------
    tuple
        The FTE per site and the checked outcome (objective and bound include the constant).
    """
    out = solve(
        pm.mip, options=options, deadline=deadline, start=pm.start_of(greedy), what=what,
        infeasible_fix=Message("siting.advice_apl"),
        relax_first=False,  # fractional gains: the relaxation is almost never integral
    )  # fmt: skip
    x = np.round(out.x[: pm.m]).astype(np.int64)
    bound = out.bound + pm.constant
    if not math.isfinite(bound):  # stopped before any bound: the trivial one
        bound = pm.constant + float(pm.mip.cost.sum()) if pm.mip.maximize else 0.0
    out = Outcome(
        x=out.x, objective=out.objective + pm.constant, bound=bound,
        status=out.status, notes=out.notes,
    )  # fmt: skip
    if not problem.feasible_plan(x):
        note = Message("siting.note_solution_broken", model=what)
        return greedy, Outcome(out.x, value(greedy), out.bound, "unverified", (*out.notes, note))
    return x, check_objective(
        out, value=value(x), reported=out.objective, maximize=pm.mip.maximize, what=what
    )


def run_plan(
    problem: AplProblem,
    pm_factory: Callable[[], PlanMip],
    *,
    greedy: IntArray,
    value: Callable[[IntArray], float],
    model: str,
    what: Message,
    method: str,
    options: SolverOptions,
    started: float,
    parameters: Mapping[str, Any],
) -> SitingResult:
    """Greedy first (the answer of ``method="greedy"`` and the incumbent), then the exact MIP."""
    check_method(method)
    heuristic = value(greedy)
    maximize = parameters.get("sense", "max") == "max"
    sense = "max" if maximize else "min"
    params = {k: v for k, v in parameters.items() if k != "sense"}
    if method == "greedy":
        return apl_result(
            problem, greedy, model=model, status="heuristic", objective=heuristic, sense=sense,
            bound=math.nan, started=started, heuristic=None, parameters=params,
        )  # fmt: skip
    pm = pm_factory()
    x, out = solve_plan(
        problem, pm, greedy=greedy, value=value, options=options,
        deadline=started + options.time_limit, what=what,
    )  # fmt: skip
    return apl_result(
        problem, x, model=model, status=out.status, objective=value(x), sense=sense,
        bound=out.bound, started=started, heuristic=heuristic, parameters=params,
        notes=out.notes,
    )  # fmt: skip
