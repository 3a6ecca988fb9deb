"""p-median: ``p`` new sites minimising the population-weighted time to the nearest open site.

Solved exactly by constraint generation on the sparse reachable pairs (the linking rows
``y_ij <= x_j`` are added where the LP relaxation violates them), then by MIP rounds on fresh
HiGHS objects, each checked against the model.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd

from accessmap.errors import SolverError
from accessmap.messages import Message
from accessmap.siting._highs import (
    Mip,
    Outcome,
    SolverOptions,
    check_objective,
    interpret,
    new_highs,
    pass_model,
    read_run,
    remaining,
    solve,
)
from accessmap.siting.heuristics import greedy_median, single_site_values
from accessmap.siting.instance import (
    EPS,
    BoolArray,
    FloatArray,
    Instance,
    IntArray,
    Method,
    median_value,
    nearest_minutes,
)
from accessmap.siting.result import SitingResult, start_minimising

__all__ = ["p_median"]

_NAME = Message("siting.model_p_median")
_ADVICE = Message("siting.advice_check_inputs")

#: The first linking rows: each demand's nearest pairs up to its greedy assignment time, at most
#: this many (the rest are generated where the LP violates them).
_START_PAIRS = 4


def p_median(
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
    """p-median: ``p`` new sites minimising the population-weighted time to the nearest open site.

    The classical formulation (ReVelle & Swain 1970: assignment variables ``y_ij``, linking
    constraints ``y_ij <= x_j``) is solved by constraint generation: the linking constraints
    start with the pairs no farther than the greedy solution's assignment and are added where the
    LP relaxation violates them, warm-starting HiGHS' dual simplex, until none is violated; if
    the LP optimum is then fractional the MIP is solved with the generated constraints and
    re-checked. The answer is the exact optimum of the full model.

    Parameters
    ----------
    od
        Long travel-time table (``origin_id, dest_id, minutes, method``).
    demand
        ``id`` and the ``weight`` column.
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
        HiGHS options.

    Returns
    -------
    SitingResult
        ``objective`` = sum over the communes in the model of weight x minutes to the nearest
        open site. The communes no site reaches, or that ``p`` new sites cannot reach with the
        others, are left out of the model and named in ``unreached`` (with a warning; see
        :mod:`accessmap.siting.reach`). A time limit returns the best solution found (at worst
        the greedy start) with its proven gap.

    Raises
    ------
    ValidationError
        No inhabited demand reaches any site, bad tables or ids, ``p`` too large.

    References
    ----------
    Hakimi S. L., "Optimum distribution of switching centers in a communication network and some
    related graph theoretic problems", Operations Research 13 (1965) 462-475. ReVelle C. S.,
    Swain R. W., "Central facilities location", Geographical Analysis 2 (1970) 30-42. Teitz M.
    B., Bart P., "Heuristic methods for estimating the generalized vertex median of a weighted
    graph", Operations Research 16 (1968) 955-961. Avella P., Sassano A., Vasil'ev I.,
    "Computational study of large-scale p-median problems", Mathematical Programming 109 (2007)
    89-114.
    """
    started = time.perf_counter()
    options = solver or SolverOptions()
    begin = start_minimising(
        "p_median", od, demand, p=p, weight=weight, candidates=candidates, exclude=exclude,
        fixed=fixed, method=method, started=started, greedy=greedy_median, value_of=median_value,
        single_values=lambda inst: single_site_values(inst, "p_median"), options=options,
    )  # fmt: skip
    if begin.single is not None:
        return begin.single
    inst, params, greedy, heuristic = begin.inst, begin.params, begin.greedy, begin.heuristic
    if method == "greedy":
        return begin.result(
            model="p_median", chosen=greedy, status="heuristic", objective=heuristic,
            sense="min", bound=math.nan, started=started, threshold=None, heuristic=None,
            parameters=params,
        )  # fmt: skip
    greedy_mask = inst.fixed.copy()
    greedy_mask[greedy] = True
    chosen, status, objective, bound, notes = _median_exact(inst, p, options, started, greedy_mask)
    return begin.result(
        model="p_median", chosen=chosen, status=status, objective=objective, sense="min",
        bound=bound, started=started, threshold=None, heuristic=heuristic, parameters=params,
        notes=notes,
    )  # fmt: skip


class _MedianCuts:
    """The p-median model of ReVelle & Swain, with lazily added ``y_ij <= x_j`` rows.

    Columns: ``x`` (every site; fixed ones bounded at 1), then ``y`` (one per reachable pair of
    an inhabited demand, no farther than its nearest fixed site: an exact reduction, since a fixed
    site is always open). Rows: ``sum_j y_ij = 1`` per demand, ``sum x_free = p``, then the
    linking constraints added so far. The LP rounds reuse one HiGHS object (dual simplex warm
    start), whose time limit accounts for its cumulative run time (HiGHS #1331, #1477); the MIP
    rounds run on fresh objects through :func:`accessmap.siting._highs.solve`.
    """

    def __init__(self, inst: Instance, p: int, options: SolverOptions, deadline: float) -> None:
        w = inst.weights
        n, m = inst.minutes.shape
        self.inst, self.options, self.deadline, self.m = inst, options, deadline, m
        # a demand never goes beyond its nearest fixed (always open) site: drop those pairs
        cap = nearest_minutes(inst, inst.fixed)
        keep = (w[inst.pair_i] > 0) & (inst.pair_t <= cap[inst.pair_i] + EPS)
        self.pi, self.pj = inst.pair_i[keep], inst.pair_j[keep]
        self.minutes = inst.pair_t[keep]
        n_pairs = len(self.pi)
        free = inst.free
        active = np.flatnonzero(w > 0)
        row_of = np.full(n, -1)
        row_of[active] = np.arange(len(active))
        self.base = Mip(
            cost=np.concatenate([np.zeros(m), w[self.pi] * self.minutes]),
            lower=np.concatenate([inst.fixed.astype(np.float64), np.zeros(n_pairs)]),
            upper=np.ones(m + n_pairs),
            integer=np.zeros(m + n_pairs, dtype=bool),
            rows=np.concatenate([row_of[self.pi], np.full(len(free), len(active))]),
            cols=np.concatenate([m + np.arange(n_pairs), free]),
            vals=np.ones(n_pairs + len(free)),
            row_lower=np.concatenate([np.ones(len(active)), [p]]),
            row_upper=np.concatenate([np.ones(len(active)), [p]]),
            maximize=False,
        )
        self.h = new_highs(options, deadline)
        pass_model(self.h, self.base)
        self.have = np.zeros(n_pairs, dtype=bool)

    def add(self, pairs: IntArray) -> None:
        """Add the linking rows of ``pairs`` not added yet."""
        pairs = pairs[~self.have[pairs]]
        k = len(pairs)
        if k == 0:
            return
        index = np.empty(2 * k, dtype=np.int32)
        index[0::2] = self.m + pairs
        index[1::2] = self.pj[pairs]
        values = np.empty(2 * k)
        values[0::2] = 1.0
        values[1::2] = -1.0
        starts = np.arange(0, 2 * k, 2, dtype=np.int32)
        self.h.addRows(k, np.full(k, -np.inf), np.zeros(k), 2 * k, starts, index, values)
        self.have[pairs] = True

    def run_lp(self) -> Outcome | None:
        """Solve the LP; ``None`` when the deadline stopped HiGHS first."""
        self.h.setOptionValue("time_limit", self.h.getRunTime() + remaining(self.deadline))
        self.h.run()
        run = read_run(self.h)
        if run.status == "kOptimal" and run.x is not None:
            return Outcome(x=run.x, objective=run.objective, bound=run.objective, status="optimal")
        if run.status in ("kTimeLimit", "kIterationLimit", "kInterrupt"):
            return None
        interpret(self.base, run, incumbent=None, what=_NAME, infeasible_fix=_ADVICE)
        return None

    def current_mip(self) -> Mip:
        """Build the model with the linking rows added so far and binary site columns."""
        pairs = np.flatnonzero(self.have)
        k = len(pairs)
        first = len(self.base.row_lower)
        integer = self.base.integer.copy()
        integer[self.inst.free] = True
        return Mip(
            cost=self.base.cost,
            lower=self.base.lower,
            upper=self.base.upper,
            integer=integer,
            rows=np.concatenate([self.base.rows, first + np.arange(k), first + np.arange(k)]),
            cols=np.concatenate([self.base.cols, self.m + pairs, self.pj[pairs]]),
            vals=np.concatenate([self.base.vals, np.ones(k), -np.ones(k)]),
            row_lower=np.concatenate([self.base.row_lower, np.full(k, -np.inf)]),
            row_upper=np.concatenate([self.base.row_upper, np.zeros(k)]),
            maximize=False,
        )

    def start(self, mask: BoolArray) -> FloatArray:
        """Build a feasible vector: ``mask`` open, each demand on its nearest open site."""
        nearest = np.where(mask[None, :], self.inst.minutes, np.inf).argmin(axis=1)
        return np.concatenate([mask, self.pj == nearest[self.pi]]).astype(np.float64)

    def violated(self, col: FloatArray) -> BoolArray:
        """Linking rows not added yet that ``col`` violates."""
        x, y = col[: self.m], col[self.m :]
        return ~self.have & (y > x[self.pj] + 1e-9)

    def lp_phase(self, start_mask: BoolArray) -> tuple[float, FloatArray | None]:
        """Add violated linking rows until the LP relaxation satisfies them all.

        Returns the last proven LP bound and the LP's site values (``None`` if stopped early).
        """
        near = nearest_minutes(self.inst, start_mask)
        order = np.lexsort((self.minutes, self.pi))
        first = np.searchsorted(self.pi[order], self.pi[order], side="left")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order)) - first
        self.add(np.flatnonzero((self.minutes <= near[self.pi] + EPS) & (rank < _START_PAIRS)))
        n = len(self.inst.demand_ids)
        bound = -math.inf
        while True:
            out = self.run_lp()
            if out is None:
                return bound, None
            bound = out.objective
            violated = self.violated(out.x)
            if not violated.any():
                return bound, out.x[: self.m]
            # for each demand with a violation, add every pair up to 1.5x its farthest LP use
            used = out.x[self.m :] > 1e-9
            far = np.full(n, -np.inf)
            np.maximum.at(far, self.pi[used], self.minutes[used])
            bad = np.zeros(n, dtype=bool)
            bad[self.pi[violated]] = True
            grow = bad[self.pi] & (self.minutes <= 1.5 * far[self.pi] + EPS)
            self.add(np.flatnonzero(grow | violated))

    def mip_phase(
        self, best_mask: BoolArray, bound: float
    ) -> tuple[BoolArray, str, float, float, tuple[Message, ...]]:
        """Solve the MIP over the generated rows, re-checking the others on each solution."""
        best_value = median_value(self.inst, best_mask)
        notes: tuple[Message, ...] = ()
        while remaining(self.deadline) > 0:
            try:
                out = solve(
                    self.current_mip(), options=self.options, deadline=self.deadline,
                    start=self.start(best_mask) if math.isfinite(best_value) else None,
                    what=_NAME, infeasible_fix=_ADVICE, relax_first=False,
                )  # fmt: skip
            except SolverError:
                if remaining(self.deadline) > 0 or not math.isfinite(best_value):
                    raise
                break
            notes = (*notes, *out.notes)
            mask = self.inst.fixed | (out.x[: self.m] > 0.5)
            value = median_value(self.inst, mask)
            if value < best_value:
                best_mask, best_value = mask, value
            if math.isfinite(out.bound):
                bound = max(bound, out.bound)
            if out.status != "optimal":
                return best_mask, out.status, best_value, bound, notes
            violated = self.violated(out.x)
            if not violated.any():
                out = check_objective(
                    out, value=value, reported=out.objective, maximize=False, what=_NAME
                )
                return mask, out.status, value, bound, out.notes
            self.add(np.flatnonzero(violated))
        return best_mask, "time_limit", best_value, bound, notes


def _median_exact(
    inst: Instance,
    p: int,
    options: SolverOptions,
    started: float,
    start_mask: BoolArray,
) -> tuple[list[int], str, float, float, tuple[Message, ...]]:
    """Exact p-median by constraint generation: (chosen, status, objective, bound, notes)."""
    model = _MedianCuts(inst, p, options, started + options.seconds())
    bound, x = model.lp_phase(start_mask)
    notes: tuple[Message, ...] = ()
    if x is not None and np.all(np.abs(x - np.round(x)) < 1e-6):
        mask = inst.fixed | (x > 0.5)
        status, value = "optimal", median_value(inst, mask)
        if value > bound + 1e-6 * max(1.0, abs(bound)):
            status = "unverified"
            notes = (Message("siting.note_relaxation_differs", reported=bound, got=value),)
    else:
        mask, status, value, bound, notes = model.mip_phase(start_mask.copy(), bound)
    # every demand at its nearest site, all open: a bound even when HiGHS had no time at all
    bound = max(bound, median_value(inst, np.ones(len(inst.site_ids), dtype=bool)))
    return [int(j) for j in inst.free if mask[j]], status, value, bound, notes
