"""The HiGHS layer: build a MIP, solve it quietly within a deadline, and trust nothing unchecked.

Every model of :mod:`accessmap.siting` hands a :class:`Mip` (sparse, column-wise) to
:func:`solve`, which

1. tries the LP relaxation first when the MIP has integer columns (covering models often have an
   integral relaxation, which is then an optimum of the MIP found without branching);
2. runs HiGHS on a **fresh solver object** with the time left before the deadline (HiGHS counts
   its ``time_limit`` against the cumulative run time of one object: ERGO-Code/HiGHS #1331,
   #1477), warm-started by the greedy solution when asked;
3. **checks the answer against the model** before reporting a status: the returned vector must
   satisfy the bounds, the rows and integrality, and its objective recomputed from the vector must
   equal the objective HiGHS reports. HiGHS 1.16 sometimes hands back the warm start from
   ``getSolution()`` while reporting the optimum's status and objective; on such a mismatch the
   model is solved again without the start, and the result's notes say so;
4. turns a time limit (or any other limit) into ``status="time_limit"`` with the incumbent and
   HiGHS' proven bound; when HiGHS found nothing the greedy incumbent is returned (never an
   exception while an incumbent exists).

HiGHS is silent unless :attr:`SolverOptions.verbose` is set: ``output_flag`` and
``log_to_console`` are switched off before anything is passed, and the banner HiGHS prints once
per process when its first solver object is built is sent to ``/dev/null``.

References
----------
Huangfu Q., Hall J. A. J., "Parallelizing the dual revised simplex method", Mathematical
Programming Computation 10 (2018) 119-142 (HiGHS).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
import os
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from accessmap.errors import SolverError, ValidationError
from accessmap.messages import Message
from accessmap.settings import get_settings
from accessmap.siting.instance import BoolArray, FloatArray, IntArray

__all__ = [
    "Mip",
    "Outcome",
    "SolverOptions",
    "check_objective",
    "new_highs",
    "objective_of",
    "rel_gap",
    "remaining",
    "solve",
]

#: Relative tolerance when comparing a recomputed objective with HiGHS' report.
OBJECTIVE_TOL = 1e-6
#: Feasibility tolerance on rows and bounds of a returned vector (relative to the row activity).
FEASIBILITY_TOL = 1e-6
#: Integrality tolerance (HiGHS' own ``mip_feasibility_tolerance`` is 1e-6).
INTEGRALITY_TOL = 1e-5
#: Smallest time limit handed to HiGHS (seconds); 0 makes it stop before any work.
_MIN_TIME = 0.0

_LIMITS = (
    "kTimeLimit",
    "kIterationLimit",
    "kSolutionLimit",
    "kInterrupt",
    "kObjectiveBound",
    "kObjectiveTarget",
)
#: What a limit of HiGHS means for a reader (model status name -> French message).
_LIMIT_LABELS: Mapping[str, Message] = {
    "kTimeLimit": Message("siting.limit_time"),
    "kIterationLimit": Message("siting.limit_iterations"),
    "kSolutionLimit": Message("siting.limit_exploration"),
    "kInterrupt": Message("siting.limit_interrupted"),
    "kObjectiveBound": Message("siting.limit_objective"),
    "kObjectiveTarget": Message("siting.limit_objective"),
}
#: The thread count HiGHS' global scheduler was last made for in this process.
_SCHEDULER: dict[str, int] = {}
#: Fix of an error that only a bug can cause.
BUG_ADVICE = Message("siting.advice_bug")


def limit_label(status: str) -> Message:
    """Return the French name of the limit that stopped HiGHS (any other status: "stopped")."""
    return _LIMIT_LABELS.get(status, Message("siting.limit_other"))


@dataclass(frozen=True, slots=True)
class SolverOptions:
    """Options of the HiGHS MIP solver.

    Attributes
    ----------
    time_limit
        Seconds for the whole solve (all rounds of a decomposition). When reached, the best
        solution found is returned with ``status="time_limit"`` and its proven gap. The
        settings' ``solver_time_cap`` shortens it (:meth:`seconds`).
    mip_rel_gap
        Relative gap at which HiGHS stops (HiGHS' own default is ``1e-4``; ``1e-6`` makes
        answers exact for population counts up to a million).
    threads
        Threads HiGHS may use (``None``: the settings' ``solver_threads``, one by default). A
        count other than the last one used in the process resets HiGHS' global scheduler.
    warm_start
        Pass the greedy solution to HiGHS as a starting incumbent (``Highs.setSolution``).
    node_limit
        Branch-and-bound nodes HiGHS may explore per MIP (``mip_max_nodes``; ``None``: no
        limit). Reaching it is reported like a time limit.
    verbose
        Let HiGHS write its log to the console (default: silent).
    """

    time_limit: float = 60.0
    mip_rel_gap: float = 1e-6
    threads: int | None = None
    warm_start: bool = True
    node_limit: int | None = None
    verbose: bool = False

    def __post_init__(self) -> None:
        if not self.time_limit > 0:
            raise ValidationError(
                "siting.time_limit_invalid", field="time_limit", value=self.time_limit
            )
        if not 0 <= self.mip_rel_gap < 1:
            raise ValidationError("siting.gap_invalid", field="mip_rel_gap", value=self.mip_rel_gap)
        for name in ("threads", "node_limit"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or int(value) != value or value < 0):
                raise ValidationError("siting.count_invalid", field=name, value=value)
        if self.threads is not None and self.threads < 1:
            raise ValidationError("siting.threads_invalid", field="threads", value=self.threads)

    def seconds(self) -> float:
        """Return the seconds the solve may take: ``time_limit``, or the settings' cap if shorter.

        Returns
        -------
        float
            ``min(time_limit, solver_time_cap)`` (:class:`accessmap.settings.Settings`, read now).
        """
        cap = get_settings().solver_time_cap
        return self.time_limit if cap is None else min(self.time_limit, cap)


@dataclass(frozen=True, slots=True)
class Mip:
    """A MIP in HiGHS' column-wise form: ``row_lower <= A x <= row_upper``, ``A`` as triplets."""

    cost: FloatArray
    lower: FloatArray
    upper: FloatArray
    integer: BoolArray
    rows: IntArray
    cols: IntArray
    vals: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    maximize: bool

    def matrix(self) -> Any:
        """Return ``A`` as a SciPy CSC matrix (duplicates summed)."""
        from scipy import sparse

        shape = (len(self.row_lower), len(self.cost))
        a = sparse.csc_matrix((self.vals, (self.rows, self.cols)), shape=shape)
        a.sum_duplicates()
        return a

    def feasible(self, x: FloatArray) -> bool:
        """Whether ``x`` satisfies the bounds, the rows and integrality (within tolerance)."""
        if x.shape != self.cost.shape or not np.isfinite(x).all():
            return False
        tol = FEASIBILITY_TOL
        if (x < self.lower - tol).any() or (x > self.upper + tol).any():
            return False
        values = x[self.integer]
        if np.abs(values - np.round(values)).max(initial=0.0) > INTEGRALITY_TOL:
            return False
        activity = self.matrix() @ x
        scale = tol * np.maximum(1.0, np.abs(activity))
        return bool(
            (activity >= self.row_lower - scale).all()
            and (activity <= self.row_upper + scale).all()
        )


@dataclass(frozen=True, slots=True)
class Outcome:
    """A checked answer: ``x``, its objective (recomputed), HiGHS' bound, status and notes."""

    x: FloatArray
    objective: float
    bound: float
    status: str
    notes: tuple[Message, ...] = ()


@dataclass(frozen=True, slots=True)
class _Run:
    """What one HiGHS run reported (nothing checked yet)."""

    status: str
    label: str
    x: FloatArray | None
    objective: float
    bound: float


def rel_gap(value: float, bound: float) -> float:
    """Relative gap ``|value - bound| / max(|value|, 1e-9)`` (NaN when either is not finite)."""
    if not (math.isfinite(value) and math.isfinite(bound)):
        return math.nan
    return abs(value - bound) / max(abs(value), 1e-9)


def objective_of(mip: Mip, x: FloatArray) -> float:
    """Recompute the objective of ``x`` from the model's costs."""
    return float(np.dot(mip.cost, x))


def remaining(deadline: float) -> float:
    """Seconds left before ``deadline`` (``time.perf_counter`` clock), never negative."""
    return max(deadline - time.perf_counter(), _MIN_TIME)


@contextlib.contextmanager
def _stdout_to_devnull() -> Iterator[None]:
    """Send what C code writes to file descriptor 1 to ``/dev/null`` for the duration."""
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


@functools.cache
def _banner_swallowed() -> bool:
    """Build (and drop) a first HiGHS object with stdout closed: HiGHS prints its banner once."""
    import highspy

    with _stdout_to_devnull():
        highspy.Highs()  # type: ignore[no-untyped-call]
    return True


def new_highs(options: SolverOptions, deadline: float) -> Any:
    """Build a fresh, quiet HiGHS object with the time left before ``deadline``."""
    import highspy

    if not options.verbose:
        _banner_swallowed()
    threads = options.threads if options.threads is not None else get_settings().solver_threads
    if _SCHEDULER.get("threads") != threads:  # HiGHS refuses a count its scheduler was not made for
        highspy.Highs.resetGlobalScheduler(True)  # noqa: FBT003 (positional-only binding)
        _SCHEDULER["threads"] = threads
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", bool(options.verbose))
    h.setOptionValue("log_to_console", bool(options.verbose))
    h.setOptionValue("time_limit", remaining(deadline))
    h.setOptionValue("mip_rel_gap", options.mip_rel_gap)
    h.setOptionValue("threads", int(threads))
    if options.node_limit is not None:
        h.setOptionValue("mip_max_nodes", int(options.node_limit))
    return h


def pass_model(h: Any, mip: Mip) -> None:
    """Pass ``mip`` to HiGHS in one call (``Highs.passModel``)."""
    import highspy

    matrix = mip.matrix()
    sense = highspy.ObjSense.kMaximize if mip.maximize else highspy.ObjSense.kMinimize
    inf = highspy.kHighsInf
    status = h.passModel(
        len(mip.cost),
        len(mip.row_lower),
        int(matrix.nnz),
        int(highspy.MatrixFormat.kColwise.value),
        int(sense.value),
        0.0,
        mip.cost,
        mip.lower,
        mip.upper,
        np.where(np.isfinite(mip.row_lower), mip.row_lower, -inf),
        np.where(np.isfinite(mip.row_upper), mip.row_upper, inf),
        matrix.indptr.astype(np.int32),
        matrix.indices.astype(np.int32),
        matrix.data.astype(np.float64),
        mip.integer.astype(np.int32),
    )
    if status != highspy.HighsStatus.kOk:
        raise SolverError("siting.model_rejected", field="solver", status=str(status))


def set_start(h: Any, start: FloatArray | None) -> None:
    """Give HiGHS a starting incumbent (no-op for ``None``)."""
    if start is None:
        return
    import highspy

    solution = highspy.HighsSolution()
    solution.col_value = np.asarray(start, dtype=np.float64)
    h.setSolution(solution)


def read_run(h: Any) -> _Run:
    """Read the status, vector, objective and bound of the last run of ``h``."""
    status = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    x = np.asarray(h.getSolution().col_value, dtype=np.float64) if has_solution else None
    bound = float(info.mip_dual_bound)
    objective = float(info.objective_function_value)
    if status.name == "kOptimal" and not math.isfinite(bound):
        bound = objective  # an LP: the optimum is its own bound
    return _Run(
        status=status.name,
        label=h.modelStatusToString(status),
        x=x,
        objective=objective,
        bound=bound if math.isfinite(bound) else math.nan,
    )


def run_highs(
    mip: Mip,
    *,
    options: SolverOptions,
    deadline: float,
    start: FloatArray | None,
    settings: Mapping[str, Any] | None = None,
) -> _Run:
    """One run of HiGHS on a fresh object (a fresh time limit: the time left)."""
    h = new_highs(options, deadline)
    pass_model(h, mip)
    for key, value in (settings or {}).items():
        h.setOptionValue(key, value)
    set_start(h, start)
    h.run()
    return read_run(h)


def consistent(mip: Mip, run: _Run) -> bool:
    """Whether the vector HiGHS returned is feasible and has the objective HiGHS reported."""
    if run.x is None or not mip.feasible(run.x):
        return False
    got = objective_of(mip, run.x)
    return abs(got - run.objective) <= OBJECTIVE_TOL * max(1.0, abs(run.objective))


def run_checked(
    mip: Mip,
    *,
    options: SolverOptions,
    deadline: float,
    start: FloatArray | None,
    settings: Mapping[str, Any] | None = None,
) -> tuple[_Run, tuple[Message, ...]]:
    """Run HiGHS (warm-started when asked); re-run without the start if the answer is not its own.

    Returns
    -------
    tuple
        The run to read and the notes (one when the model was solved again).
    """
    use = start if options.warm_start and start is not None and mip.integer.any() else None
    run = run_highs(mip, options=options, deadline=deadline, start=use, settings=settings)
    if use is None or run.x is None or consistent(mip, run):
        return run, ()
    note = Message("siting.note_solved_again", got=objective_of(mip, run.x), reported=run.objective)
    again = run_highs(mip, options=options, deadline=deadline, start=None, settings=settings)
    return again, (note,)


def _raise_for(run: _Run, *, what: Message, infeasible_fix: Message) -> None:
    if run.status == "kInfeasible":
        raise SolverError(
            "siting.model_infeasible", field="model", model=what, advice=infeasible_fix
        )
    if run.status in ("kUnbounded", "kUnboundedOrInfeasible"):
        raise SolverError(
            "siting.model_unbounded",
            field="model",
            model=what,
            advice=infeasible_fix,
            solver_status=run.status,
        )
    if run.status != "kOptimal" and run.status not in _LIMITS:
        raise SolverError(
            "siting.solver_failed", field="solver", model=what, solver_status=run.status
        )


def interpret(
    mip: Mip,
    run: _Run,
    *,
    incumbent: FloatArray | None,
    what: Message,
    infeasible_fix: Message,
    notes: tuple[Message, ...] = (),
) -> Outcome:
    """Turn a run into a checked :class:`Outcome` (or a :class:`SolverError`).

    ``optimal`` only when HiGHS proved it *and* its vector checks; a vector that is feasible but
    not HiGHS' reported objective is ``unverified`` (objective recomputed); a limit is
    ``time_limit`` with HiGHS' incumbent, or ``incumbent`` (the greedy solution) when HiGHS had
    none.
    """
    _raise_for(run, what=what, infeasible_fix=infeasible_fix)
    if run.x is not None and mip.feasible(run.x):
        objective = objective_of(mip, run.x)
        if run.status == "kOptimal" and consistent(mip, run):
            return Outcome(
                x=run.x, objective=objective, bound=objective, status="optimal", notes=notes
            )
        if run.status == "kOptimal":
            note = Message("siting.note_unproven", reported=run.objective, got=objective)
            return Outcome(run.x, objective, run.bound, "unverified", (*notes, note))
        return Outcome(run.x, objective, run.bound, "time_limit", notes)
    if incumbent is not None and mip.feasible(np.asarray(incumbent, dtype=np.float64)):
        x = np.asarray(incumbent, dtype=np.float64)
        if run.x is not None:  # HiGHS answered with a vector that breaks the model
            note = Message("siting.note_solution_broken", model=what)
            return Outcome(x, objective_of(mip, x), run.bound, "unverified", (*notes, note))
        note = Message("siting.note_stopped", model=what, limit=limit_label(run.status))
        return Outcome(x, objective_of(mip, x), run.bound, "time_limit", (*notes, note))
    raise SolverError(
        "siting.no_solution_in_time", field="time_limit", model=what, limit=limit_label(run.status)
    )


def solve(
    mip: Mip,
    *,
    options: SolverOptions,
    deadline: float,
    start: FloatArray | None,
    what: Message,
    infeasible_fix: Message,
    relax_first: bool = True,
    settings: Mapping[str, Any] | None = None,
) -> Outcome:
    """Solve a MIP: its LP relaxation first (interior point), then the MIP if fractional.

    Parameters
    ----------
    mip
        The model.
    options
        Solver options.
    deadline
        ``time.perf_counter()`` value at which to stop.
    start
        A feasible solution (the greedy one): warm start when ``options.warm_start``, and the
        incumbent returned if HiGHS finds nothing before the deadline.
    what
        The model's French name, for messages (``Message("siting.model_mclp")``...).
    infeasible_fix
        How to fix an infeasible model, for the error (a message code of the catalogue).
    relax_first
        Try the LP relaxation first.
    settings
        Extra HiGHS options for this solve.

    Returns
    -------
    Outcome

    Raises
    ------
    SolverError
        Infeasible or unbounded model, a HiGHS failure, or a limit reached with no solution and
        no incumbent.

    References
    ----------
    Huangfu Q., Hall J. A. J., "Parallelizing the dual revised simplex method", Mathematical
    Programming Computation 10 (2018) 119-142 (HiGHS).
    """
    if relax_first and mip.integer.any():
        relaxed = _relaxation(mip, options=options, deadline=deadline)
        if relaxed is not None:
            return relaxed
    run, notes = run_checked(
        mip, options=options, deadline=deadline, start=start, settings=settings
    )
    return interpret(
        mip, run, incumbent=start, what=what, infeasible_fix=infeasible_fix, notes=notes
    )


def _relaxation(mip: Mip, *, options: SolverOptions, deadline: float) -> Outcome | None:
    """Return the LP relaxation's optimum when it is integral (and checks), else ``None``."""
    lp = dataclasses.replace(mip, integer=np.zeros_like(mip.integer))
    run = run_highs(lp, options=options, deadline=deadline, start=None, settings={"solver": "ipm"})
    if run.status != "kOptimal" or run.x is None:
        return None  # infeasible, unbounded or slow: let the MIP run say so
    x = run.x.copy()
    values = x[mip.integer]
    if np.abs(values - np.round(values)).max(initial=0.0) > 1e-7:
        return None
    x[mip.integer] = np.round(values)
    if not mip.feasible(x) or not consistent(lp, run):
        return None
    objective = objective_of(mip, x)
    if abs(objective - run.objective) > OBJECTIVE_TOL * max(1.0, abs(run.objective)):
        return None
    return Outcome(x=x, objective=objective, bound=objective, status="optimal")


def check_objective(
    out: Outcome, *, value: float, reported: float, maximize: bool, what: Message
) -> Outcome:
    """Compare the objective recomputed from the sites and the data with the MIP's.

    An ``optimal`` outcome whose sites are worth *less* on the data than the model's optimum (a
    modelling or solver error) is downgraded to ``unverified`` with a note; sites worth more only
    mean that the MIP's auxiliary variables were slack, and the bound still proves them.

    Parameters
    ----------
    out
        The checked solver outcome.
    value
        The objective of the chosen sites, recomputed from the data.
    reported
        The model's objective for the same solution (MIP objective plus any constant).
    maximize
        The sense of the model.
    what
        The model's French name, for the note.

    Returns
    -------
    Outcome
        ``out``, or ``out`` downgraded to ``unverified`` with a note.
    """
    if out.status != "optimal":
        return out
    tol = OBJECTIVE_TOL * max(1.0, abs(reported))
    worse = value < reported - tol if maximize else value > reported + tol
    if not worse:
        return out
    note = Message("siting.note_sites_worth_less", model=what, got=value, reported=reported)
    return dataclasses.replace(out, status="unverified", notes=(*out.notes, note))
