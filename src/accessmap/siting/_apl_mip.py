"""The MIP of the APL siting models: build it, solve it from the greedy plan, check it on the data.

Columns: ``x_j`` (whole new FTE at each site, ``0..cap_j``), ``y_j`` (a new site opened: ``x_j``
between ``team_min y_j`` and ``cap_j y_j``), then ``z`` (a commune reached, binary) or ``s`` (its
APL deficit, continuous). Covering rows use coefficients ``min(g_ij, need_i)`` (one FTE that alone
lifts a commune is as good as more: an exact tightening) and carry a count cut
``sum_j x_j >= ceil(need_i / max_j g_ij) z_i``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from accessmap.messages import Message
from accessmap.siting._apl import AplProblem, Budget, Objective, apl_result, useful_caps
from accessmap.siting._highs import Mip, Outcome, SolverOptions, check_objective, solve
from accessmap.siting.instance import BoolArray, FloatArray, IntArray, check_method
from accessmap.siting.result import SitingResult

#: HiGHS options of the plans' MIPs: no restart after the root. HiGHS restarts the search when
#: the root's reductions leave part of the integer columns inactive (three to four times on the
#: best use of a budget); without restarts the same optima are proven sooner (best use at 727
#: communes 6.6 s instead of 9.2, at 1,436 13.9 s instead of 24.1; the robust variant at 97
#: communes 0.14 s instead of 0.34) and the time-limited recruits keep the same incumbents.
PLAN_SETTINGS: Mapping[str, Any] = MappingProxyType({"mip_allow_restart": False})

__all__ = [
    "PLAN_SETTINGS",
    "PlanMip", "fte_bounds", "levels", "plan_mip", "reach_bound", "relevant_caps",
    "relevant_communes", "run_plan", "solve_plan",
]  # fmt: skip


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


def _site_columns(
    problem: AplProblem, b: _Builder, budget: Budget, cap: FloatArray, *, fte_cost: float
) -> IntArray:
    """Add ``x`` (FTE per site) and ``y`` (new site opened) with the team and budget rows.

    ``x_j``'s bound is :func:`fte_bounds` (the cap, no more than the recruits): the constants of
    the ``x_j <= u_j y_j`` rows are as small as the budget allows.
    """
    m = len(problem.cap)
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


def fte_bounds(problem: AplProblem, budget: Budget, *, target: IntArray | None = None) -> IntArray:
    """Most FTE any plan within ``budget`` can place at each site (0 at a dominated site).

    The cap of the site, no more than ``budget.recruits``; 0 for a new site whose team does not
    fit in that bound, and for a site :func:`dominance` sends elsewhere (``target``: its answer,
    when known). Every plan within the budget has a twin within these bounds that is at least as
    good for the three objectives.
    """
    bound = _budget_caps(problem, budget)
    sent = dominance(problem, budget) if target is None else target
    bound[sent != np.arange(len(bound))] = 0
    return bound


def _budget_caps(problem: AplProblem, budget: Budget) -> IntArray:
    cap = problem.cap.astype(np.int64)
    if budget.recruits is None:
        return cap
    bound = np.minimum(cap, int(budget.recruits))
    bound[problem.new & (bound < problem.team_min)] = 0
    return np.asarray(bound, dtype=np.int64)


def dominance(problem: AplProblem, budget: Budget, *, rows: BoolArray | None = None) -> IntArray:
    """For each site, the site its FTE may move to without loss (itself when none).

    Site ``j`` is dominated by site ``k`` when ``g_ik >= g_ij`` for every commune of ``rows``
    (default: the inhabited ones; :func:`relevant_communes`: those whose APL can change the
    objective), ``k`` can receive ``j``'s FTE (``j`` new, or both existing: no team to open) and
    ``k`` can hold what is moved: its bound is the whole recruits budget, or its cap is below
    ``max_fte`` (then at its cap ``k`` lifts, in every baseline, every commune of ``rows`` it
    reaches, see :func:`~accessmap.siting._apl.useful_caps`, so FTE beyond it are worth nothing).
    Moving ``j``'s FTE to ``k`` (up to ``k``'s bound) then keeps every commune's APL at or above
    what it was where it counts: no fewer inhabitants reached, no larger deficit, no more FTE, no
    more new sites. Of sites with equal gains, an existing one is kept before a new one, then
    the first. Dominance is transitive: every site is sent to a kept site.

    Only the communes ``j`` reaches can refuse a ``k`` (elsewhere ``g_ij = 0 <= g_ik``): each
    site is compared on its own reach, the equality of gains checked on the few sites left.
    """
    bound = _budget_caps(problem, budget)
    gain = problem.gain[problem.people > 0 if rows is None else rows]
    new = problem.new
    roomy = (problem.cap < int(problem.params.get("max_fte", 0))) | (
        bound >= (budget.recruits if budget.recruits is not None else np.iinfo(np.int64).max)
    )
    target = np.arange(len(bound))
    active = np.flatnonzero(bound > 0)
    for j in active:
        reach = np.flatnonzero(gain[:, j] > 0)
        ok = (gain[np.ix_(reach, active)] >= gain[reach, j][:, None]).all(axis=0)
        ok &= roomy[active] & (active != j) & (new[j] | ~new[active])
        ok &= target[active] == active  # onto a site that is kept
        for k in active[ok]:  # in order: the first that may take j's FTE
            equal = bool((gain[:, k] == gain[:, j]).all())
            first = (not new[k] and new[j]) or (new[k] == new[j] and k < j)
            if not equal or first:  # of equal sites, only the one kept first dominates
                target[j] = k
                break
    while (target[target] != target).any():  # a site sent to one sent on: to the last one
        target = target[target]
    return target


def relevant_communes(
    problem: AplProblem,
    budget: Budget,
    *,
    objective: Objective,
    required: BoolArray | None = None,
) -> BoolArray:
    """``(n,)`` the inhabited communes whose APL can change the objective of a plan.

    - ``recruits``: the ``required`` communes (the others are in no row and in no count);
    - ``deficit``: the communes under the threshold in some baseline (elsewhere the deficit is 0
      whatever the plan);
    - ``inhabitants``: the communes under the threshold in some baseline that some plan within
      ``budget`` can lift there (:func:`reach_bound` with the budget's caps): the others count
      the same in every plan (:func:`levels` drops their needs).

    Sites are compared (:func:`dominance`) and capped (:func:`relevant_caps`) on these communes
    only: every plan has a twin within the reduced bounds that is at least as good.
    """
    inhabited = problem.people > 0
    if objective == "recruits":
        need_met = np.zeros_like(inhabited) if required is None else required
        return np.asarray(inhabited & need_met, dtype=bool)
    if objective == "deficit":
        short = (problem.threshold - problem.base > 0).any(axis=0)
        return np.asarray(inhabited & short, dtype=bool)
    need = problem.need()
    reach = reach_bound(problem, budget, bound=_budget_caps(problem, budget)) + 1e-12
    liftable = ((need > 0) & (need <= reach[None, :])).any(axis=0)
    return np.asarray(inhabited & liftable, dtype=bool)


def relevant_caps(problem: AplProblem, relevant: BoolArray) -> AplProblem:
    """Return the problem with each site's cap computed over the ``relevant`` communes only.

    :func:`~accessmap.siting._apl.useful_caps` on the communes of :func:`relevant_communes`:
    beyond the FTE that lift every relevant commune a site reaches, in every baseline, more FTE
    change nothing that counts; a site that reaches no relevant commune gets 0.
    """
    people = np.where(relevant, problem.people, 0.0)
    top = int(problem.params.get("max_fte", int(problem.cap.max(initial=0))))
    caps = useful_caps(
        problem.gain, problem.base, people, fixed=problem.inst.fixed, level=problem.threshold,
        team=problem.team_min, top=top,
    )  # fmt: skip
    return dataclasses.replace(problem, cap=np.minimum(problem.cap, caps))


def moved(
    problem: AplProblem, budget: Budget, x: IntArray, *, target: IntArray | None = None
) -> IntArray:
    """``x`` with the FTE of dominated sites moved onto their dominating site (:func:`dominance`).

    The plan is at least as good for every objective and within :func:`fte_bounds`.
    """
    if target is None:
        target = dominance(problem, budget)
    bound = _budget_caps(problem, budget)
    out = x.astype(np.int64).copy()
    for j in np.flatnonzero((target != np.arange(len(out))) & (out > 0)):
        k = int(target[j])
        out[k] = min(int(out[k] + out[j]), int(bound[k]))
        out[j] = 0
    return np.minimum(out, bound)  # FTE beyond a site's cap are worth nothing


def reach_bound(
    problem: AplProblem, budget: Budget, *, bound: IntArray | None = None
) -> FloatArray:
    """``(n,)`` most APL any plan within ``budget`` can add to each commune (an upper bound).

    The fractional knapsack ``max sum_j g_ij x_j`` s.t. ``sum_j x_j <= recruits`` and
    ``0 <= x_j <= u_j`` (:func:`fte_bounds`): the best sites of the commune filled first. Without
    a recruits budget, every site at its bound. A commune whose need exceeds it is reached by no
    plan of the budget: its covering binary is 0 in every feasible plan.
    """
    u_all = (fte_bounds(problem, budget) if bound is None else bound).astype(np.float64)
    gain = problem.gain
    if budget.recruits is None:
        return np.asarray(gain @ u_all, dtype=np.float64)
    # the positive gains only (a site out of a commune's reach adds nothing and, sorted last,
    # takes nothing from the budget before the others): a few per cent of the dense matrix
    rows, cols = np.nonzero(gain > 0)
    g = gain[rows, cols]
    order = np.lexsort((-g, rows))  # per commune, the best sites first (ties: column order)
    rows, g, u = rows[order], g[order], u_all[cols[order]]
    ends = np.cumsum(u)
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if len(rows) else rows
    before = ends - u - np.repeat(ends[starts] - u[starts], np.diff(np.r_[starts, len(rows)]))
    take = np.clip(float(budget.recruits) - before, 0.0, u)
    return np.bincount(rows, weights=g * take, minlength=gain.shape[0]).astype(np.float64)


def levels(
    problem: AplProblem, budget: Budget, *, bound: IntArray | None = None
) -> list[tuple[int, float, int]]:
    """Return the distinct needs of the inhabited communes over the baselines, with their counts.

    One ``(commune, need, baselines)`` per distinct positive need of a commune that some plan
    within ``budget`` can meet (:func:`reach_bound`): baselines where a commune lacks the same
    APL share one covering binary (their rows are the same row), weighted by their count. Needs
    of a commune are in increasing order.
    """
    need = problem.need()
    reach = reach_bound(problem, budget, bound=bound) + 1e-12
    rows: list[tuple[int, float, int]] = []
    for i in np.flatnonzero(problem.people > 0):
        col = need[:, i]
        values, counts = np.unique(col[(col > 0) & (col <= reach[i])], return_counts=True)
        rows += [(int(i), float(v), int(c)) for v, c in zip(values, counts, strict=True)]
    return rows


def _lift_terms(
    problem: AplProblem, i: int, need: float, usable: BoolArray, *, by_team: bool
) -> tuple[IntArray, FloatArray]:
    """Columns and coefficients of ``sum_j min(g_ij, need) x_j`` in a row asking ``need`` of ``i``.

    With ``by_team``, a new site whose team alone gives ``need`` (``team_min g_ij >= need``)
    enters by its opening binary, ``need y_j``, instead of its FTE: once open it meets the row
    whatever its FTE, and closed it gives nothing, so no plan is cut off; and since
    ``x_j >= team_min y_j`` the term ``min(g_ij, need) x_j`` is at least ``need y_j``, so the row
    is only tighter (the relaxation can no longer meet a commune with a fraction of a team: the
    bound the proof rests on). The ``y`` column of new site ``j`` is ``m + k`` for its rank ``k``
    among the new sites. The recruits' rows take it (the midwives' recruits at 727 communes:
    proven in 3 s instead of 7); the best-use rows do not (HiGHS' search on them was no faster,
    the robust variant at 97 communes twice as slow).
    """
    gain = problem.gain[i]
    gj = np.flatnonzero((gain > 0) & usable)
    g = np.minimum(gain[gj], need)
    if not by_team:
        return gj.astype(np.int64), g.astype(np.float64)
    whole = problem.new[gj] & (gain[gj] * problem.team_min >= need)
    rank = np.cumsum(problem.new) - 1  # rank of each new site among the new ones
    cols = np.where(whole, len(problem.cap) + rank[gj], gj)
    vals = np.where(whole, need, g)
    return cols.astype(np.int64), vals.astype(np.float64)


def _cover_rows(
    problem: AplProblem,
    b: _Builder,
    rows: Sequence[tuple[int, float]],
    weights: FloatArray,
    usable: BoolArray,
    *,
    by_team: bool = False,
) -> int:
    """Add ``z`` (commune ``i`` lifted by ``need``) and ``sum_j min(g_ij, need) x_j >= need z``.

    With each row its count cut ``sum_j x_j >= k z`` (see :func:`_fewest`).
    """
    z0 = b.columns(weights, np.zeros(len(rows)), np.ones(len(rows)), integer=True)
    for k, (i, need) in enumerate(rows):
        gj = np.flatnonzero((problem.gain[i] > 0) & usable)
        terms, coef = _lift_terms(problem, i, need, usable, by_team=by_team)
        b.row(np.concatenate([terms, [z0 + k]]), np.concatenate([coef, [-need]]), 0.0, math.inf)
        cols = np.concatenate([gj, [z0 + k]])
        ones = np.concatenate([np.ones(len(gj)), [-_fewest(problem.gain[i, gj], need)]])
        b.row(cols, ones, 0.0, math.inf)
    return z0


def _chain_rows(b: _Builder, rows: Sequence[tuple[int, float]], z0: int) -> None:
    """``z`` of a commune's larger need <= ``z`` of its smaller one (rows sorted by need).

    A plan that meets the larger need meets the smaller; setting the smaller's binary to 1 only
    adds inhabitants: every optimum has a twin that satisfies these rows (a valid tightening).
    """
    for k in range(1, len(rows)):
        if rows[k][0] == rows[k - 1][0]:
            b.row(np.array([z0 + k, z0 + k - 1]), np.array([1.0, -1.0]), -math.inf, 0.0)


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
      threshold (``z`` binaries, one per commune and distinct need over the baselines that some
      plan of the budget can meet, :func:`levels`);
    - ``deficit``: minimise the mean of ``sum_i w_i s_i``, ``s_i >= threshold - APL_i``, ``s >= 0``
      (one ``s`` per commune and distinct shortfall over the baselines);
    - ``recruits``: minimise ``sum_j x_j`` so that every ``required`` commune is reached (one
      baseline), or, with ``need_weight``, that the inhabitants reached among them reach it.

    The FTE columns are bounded by :func:`fte_bounds` (dominated sites closed); the start built
    from a plan first moves the FTE of dominated sites (:func:`moved`).

    Returns
    -------
    PlanMip
    """
    b = _Builder.empty()
    relevant = relevant_communes(problem, budget, objective=objective, required=required)
    problem = relevant_caps(problem, relevant)
    target = dominance(problem, budget, rows=relevant)
    bound = fte_bounds(problem, budget, target=target)
    cost = 1.0 if objective == "recruits" else 0.0
    new_sites = _site_columns(problem, b, budget, bound.astype(np.float64), fte_cost=cost)
    usable = bound > 0
    if objective == "inhabitants":
        pm = _inhabitants_mip(problem, budget, b, new_sites, bound)
    elif objective == "deficit":
        pm = _deficit_mip(problem, b, new_sites, usable)
    else:
        pm = _recruits_mip(problem, b, new_sites, usable, required, need_weight)
    inner = pm.start_of
    return dataclasses.replace(
        pm, start_of=lambda x: inner(moved(problem, budget, x, target=target))
    )


def _inhabitants_mip(
    problem: AplProblem, budget: Budget, b: _Builder, new_sites: IntArray, bound: IntArray
) -> PlanMip:
    n_base = problem.base.shape[0]
    found = levels(problem, budget, bound=bound)
    rows = [(i, v) for i, v, _ in found]
    constant = float(((problem.need() <= 0) @ problem.people).sum() / n_base)
    weights = np.array([problem.people[i] * c / n_base for i, _, c in found])
    z0 = _cover_rows(problem, b, rows, weights, bound > 0)
    _chain_rows(b, rows, z0)

    def start_of(x: IntArray) -> FloatArray:
        got = problem.gain @ x.astype(np.float64)
        z = np.array([float(got[i] >= v) for i, v in rows])
        return _start(x, new_sites, z)

    return PlanMip(b.mip(maximize=True), len(problem.cap), new_sites, start_of, constant)


def _deficit_mip(
    problem: AplProblem, b: _Builder, new_sites: IntArray, usable: BoolArray
) -> PlanMip:
    n_base = problem.base.shape[0]
    full = problem.threshold - problem.base
    rows: list[tuple[int, float, int]] = []
    for c_i in np.flatnonzero(problem.people > 0):
        col = full[:, c_i]
        values, counts = np.unique(col[col > 0], return_counts=True)
        rows += [(int(c_i), float(v), int(c)) for v, c in zip(values, counts, strict=True)]
    cost = np.array([problem.people[i] * c / n_base for i, _, c in rows])
    s0 = b.columns(cost, np.zeros(len(rows)), np.full(len(rows), np.inf), integer=False)
    for k, (i, short, _) in enumerate(rows):
        # min(g, short): one FTE of more is as good, tighter
        terms, coef = _lift_terms(problem, i, short, usable, by_team=False)
        b.row(np.concatenate([terms, [s0 + k]]), np.concatenate([coef, [1.0]]), short, math.inf)

    def start_def(x: IntArray) -> FloatArray:
        got = problem.gain @ x.astype(np.float64)
        slack = np.array([max(0.0, short - got[i]) for i, short, _ in rows])
        return _start(x, new_sites, slack)

    return PlanMip(b.mip(maximize=False), len(problem.cap), new_sites, start_def, 0.0)


def _recruits_mip(
    problem: AplProblem,
    b: _Builder,
    new_sites: IntArray,
    usable: BoolArray,
    required: BoolArray | None,
    need_weight: float | None,
) -> PlanMip:
    need = problem.need()[0]
    gain = problem.gain
    req = np.flatnonzero(required if required is not None else np.zeros(len(need), dtype=bool))
    if need_weight is None:
        for i in req:
            gj = np.flatnonzero((gain[i] > 0) & usable)
            terms, coef = _lift_terms(problem, int(i), float(need[i]), usable, by_team=True)
            b.row(terms, coef, float(need[i]), math.inf)
            b.row(gj, np.ones(len(gj)), _fewest(gain[i, gj], need[i]), math.inf)

        def start_all(x: IntArray) -> FloatArray:
            return _start(x, new_sites, np.zeros(0))

        return PlanMip(b.mip(maximize=False), len(problem.cap), new_sites, start_all, 0.0)
    pairs = [(int(i), float(need[i])) for i in req]
    z0 = _cover_rows(problem, b, pairs, np.zeros(len(pairs)), usable, by_team=True)
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
        settings=PLAN_SETTINGS,
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
        deadline=started + options.seconds(), what=what,
    )  # fmt: skip
    return apl_result(
        problem, x, model=model, status=out.status, objective=value(x), sense=sense,
        bound=out.bound, started=started, heuristic=heuristic, parameters=params,
        notes=out.notes,
    )  # fmt: skip
