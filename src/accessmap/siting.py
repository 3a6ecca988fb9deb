"""Where new sites help most: exact location models solved with HiGHS.

Every model reads the project's long-format travel-time table (``origin_id, dest_id, minutes,
method``; a missing pair means *unreachable*), a demand table (``id`` and a weight column,
``population`` by default) and a set of candidate sites (``dest_id`` values of the table; by default
all of them). Existing sites can be fixed open: they count for coverage and assignment, never
against ``p``.

Models
------
- :func:`mclp`: maximal covering (Church & ReVelle 1974): ``p`` new sites maximising the
  population within ``T`` minutes of an open site.
- :func:`lscp`: location set covering (Toregas et al. 1971): fewest new sites so that everyone is
  within ``T`` minutes; infeasibility lists the communes that cannot be covered.
- :func:`p_median`: ``p`` new sites minimising population-weighted travel time to the nearest
  open site (Hakimi 1964; ReVelle & Swain 1970), solved exactly by constraint generation.
- :func:`p_center`: ``p`` new sites minimising the worst travel time (unweighted), solved exactly
  as a sequence of set-covering problems (Minieka 1970).
- :func:`volunteer_centres`: capacitated coverage for Médecins Solidaires style centres, whose
  capacity follows from volunteer-weeks (:class:`VolunteerCentreParameters`).
- :func:`rotation`: MilleSoins style multi-site network: how many consultation days a team of GPs
  should hold at which sites (:class:`RotationParameters`).

Coverage convention: "within ``T`` minutes" means ``t < T`` (the project's half-open band
convention, ``docs/architecture.md``); a commune exactly ``T`` minutes away is *not* covered.
(PySAL spopt uses ``t <= T``; with real-valued times the difference only shows on exact ties.)

Solver: HiGHS through ``highspy``, models built as sparse matrices and passed in one call
(``Highs.passModel``), quiet, with a time limit, a relative MIP gap and a thread count
(:class:`SolverOptions`). The solver status is always checked: an infeasible or unbounded model
raises :class:`~accessmap.errors.SolverError`; a time limit returns the incumbent with
``status="time_limit"`` and its proven gap (never silently). A greedy heuristic (with vertex
substitution) warm-starts every exact solve, is available on its own (``method="greedy"``) for
large instances, and its gap to the optimum is reported whenever both run.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from accessmap.errors import SolverError, ValidationError, format_rows

if TYPE_CHECKING:
    from accessmap.indicators import AplParameters

__all__ = [
    "MODELS",
    "RotationParameters",
    "SitingResult",
    "SolverOptions",
    "VolunteerCentreParameters",
    "lscp",
    "mclp",
    "nearest_open",
    "p_center",
    "p_median",
    "rotation",
    "run_model",
    "unserved_demand",
    "volunteer_centres",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Method = Literal["exact", "greedy"]

_EPS = 1e-7
#: p-median: the first linking rows cover pairs up to this multiple of the greedy assignment time.
_START_RADIUS = 1.0
_OD_COLUMNS = ("origin_id", "dest_id", "minutes")


# ---------------------------------------------------------------------------------------------
# Options, parameters and the result
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SolverOptions:
    """Options of the HiGHS MIP solver.

    Attributes
    ----------
    time_limit
        Seconds for the whole solve (all rounds of a decomposition). When reached, the best
        solution found is returned with ``status="time_limit"`` and its proven gap.
    mip_rel_gap
        Relative gap at which HiGHS stops (HiGHS' own default is ``1e-4``; ``1e-6`` makes
        answers exact for population counts up to a million).
    threads
        Threads HiGHS may use (``None``: HiGHS decides). Setting it resets HiGHS' global
        scheduler, so set it once per process.
    warm_start
        Pass the greedy solution to HiGHS as a starting incumbent (``Highs.setSolution``).
    """

    time_limit: float = 60.0
    mip_rel_gap: float = 1e-6
    threads: int | None = None
    warm_start: bool = True

    def __post_init__(self) -> None:
        if not self.time_limit > 0:
            raise ValidationError(
                f"time_limit must be positive, got {self.time_limit}.",
                field="time_limit",
                fix="give a number of seconds > 0.",
            )
        if not 0 <= self.mip_rel_gap < 1:
            raise ValidationError(
                f"mip_rel_gap must be in [0, 1), got {self.mip_rel_gap}.",
                field="mip_rel_gap",
                fix="give a relative gap such as 1e-6.",
            )
        if self.threads is not None and self.threads < 1:
            raise ValidationError(
                f"threads must be at least 1, got {self.threads}.",
                field="threads",
                fix="give a positive thread count or None.",
            )


@dataclass(frozen=True, slots=True)
class VolunteerCentreParameters:
    """Capacity of a volunteer-staffed centre (Médecins Solidaires model).

    A centre is staffed in turn by volunteer GPs who each come for about one week a year. Its
    capacity in patients (médecin traitant patientèle) is
    ``volunteer_weeks / weeks_per_fte * patients_per_fte``.

    Attributes
    ----------
    volunteer_weeks
        Volunteer-weeks a centre is staffed per year. Default 48: Médecins Solidaires reports that
        one centre needs roughly 45-52 volunteer-weeks a year (territory facts), i.e. about one
        full-time GP.
    weeks_per_fte
        Working weeks of one full-time GP per year (48), so 48 volunteer-weeks = 1 FTE.
    patients_per_fte
        Patients one full-time GP can follow as médecin traitant. **Assumption** (settable):
        1,000, the order of magnitude of the médecin-traitant patientèle of a full-time French GP
        quoted by the Assurance Maladie (roughly 900-1,200); the Ajain centre had over 500
        patients four months after opening.

    References
    ----------
    Médecins Solidaires, « Une semaine pour soigner nos villages » (Ajain centre, 2022-2023), as
    summarised in the project's territory facts.
    """

    volunteer_weeks: float = 48.0
    weeks_per_fte: float = 48.0
    patients_per_fte: float = 1000.0

    def __post_init__(self) -> None:
        for name in ("volunteer_weeks", "weeks_per_fte", "patients_per_fte"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ValidationError(
                    f"{name} must be a positive number, got {value}.",
                    field=name,
                    fix="give a number > 0.",
                )

    @property
    def fte(self) -> float:
        """Full-time-equivalent GPs of one centre."""
        return self.volunteer_weeks / self.weeks_per_fte

    @property
    def capacity(self) -> float:
        """Patients one centre can serve."""
        return self.fte * self.patients_per_fte


@dataclass(frozen=True, slots=True)
class RotationParameters:
    """Parameters of the multi-site rotation model (MilleSoins "pôle de santé hors les murs").

    Attributes
    ----------
    days_per_fte
        Consultation days per week of one full-time GP (5).
    acts_per_fte
        Yearly acts of one full-time GP, used to turn days into APL supply (5,400: the activity
        DREES imputes to a newly installed GP).
    min_days
        Days per week a site gets at least once it is opened (1: a site is worth opening only
        if it is staffed at least one day a week).
    max_days
        Days per week a site can host at most (5: one consulting room every weekday).
    day_step
        Granularity of the rota (0.5: half-days).

    References
    ----------
    Pôle de santé MilleSoins (Royère-de-Vassivière, Faux-la-Montagne, Peyrelevade, Bugeat),
    as summarised in the project's territory facts.
    """

    days_per_fte: float = 5.0
    acts_per_fte: float = 5400.0
    min_days: float = 1.0
    max_days: float = 5.0
    day_step: float = 0.5

    def __post_init__(self) -> None:
        for name in ("days_per_fte", "acts_per_fte", "max_days", "day_step"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ValidationError(
                    f"{name} must be a positive number, got {value}.",
                    field=name,
                    fix="give a number > 0.",
                )
        if not 0 <= self.min_days <= self.max_days:
            raise ValidationError(
                f"min_days must be in [0, max_days], got {self.min_days}.",
                field="min_days",
                fix=f"give a value between 0 and {self.max_days}.",
            )
        for name in ("min_days", "max_days"):
            if not _is_multiple(getattr(self, name), self.day_step):
                raise ValidationError(
                    f"{name} must be a multiple of day_step ({self.day_step}).",
                    field=name,
                    fix=f"round it to a multiple of {self.day_step}.",
                )


@dataclass(frozen=True, slots=True)
class SitingResult:
    """The answer of a siting model.

    Attributes
    ----------
    model
        ``"mclp"``, ``"lscp"``, ``"p_median"``, ``"p_center"``, ``"volunteer_centres"`` or
        ``"rotation"``.
    status
        ``"optimal"`` (proven within ``mip_rel_gap``), ``"time_limit"`` (the incumbent when the
        time limit stopped HiGHS; see ``gap``) or ``"heuristic"`` (``method="greedy"``: no bound).
    objective
        The model's objective for the returned solution (population covered, new sites, weighted
        minutes, worst minutes, patients served or person-minutes, APL deficit).
    sense
        ``"max"`` or ``"min"``.
    bound
        Best proven bound on the optimum (equals ``objective`` when optimal; NaN for heuristics).
    gap
        Relative gap ``|objective - bound| / max(|objective|, 1e-9)`` (0 when optimal).
    sites
        New sites chosen (sorted).
    fixed
        Sites fixed open (existing or mandatory), sorted.
    assignment
        One row per demand (or per demand and serving site for the capacitated model): ``id``,
        ``site_id`` (nearest open or serving site; missing when unreachable), ``minutes``
        (``inf`` when unreachable), ``weight`` (the demand), ``served`` (the part of the demand
        served) and ``covered`` (``minutes < T`` when the model has ``T``, else reachable).
    site_table
        One row per open site: ``site_id``, ``new`` (bool), ``served`` (demand assigned),
        ``capacity`` (NaN when uncapacitated), ``days_per_week`` (NaN except for rotation).
    solve_seconds
        Wall time of the whole call (heuristic, model building and HiGHS).
    heuristic_objective
        Objective of the greedy solution, when it ran.
    heuristic_gap
        Relative gap of the greedy solution to the returned (optimal) one, when both ran.
    parameters
        The call's settings (``p``, ``minutes``, weight column...), for reports.
    rotation
        For the rotation model: ``gp_id``, ``site_id``, ``days_per_week`` (who works where);
        ``None`` otherwise.
    """

    model: str
    status: str
    objective: float
    sense: str
    bound: float
    gap: float
    sites: tuple[str, ...]
    fixed: tuple[str, ...]
    assignment: pd.DataFrame
    site_table: pd.DataFrame
    solve_seconds: float
    heuristic_objective: float | None = None
    heuristic_gap: float | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    rotation: pd.DataFrame | None = None

    @property
    def open_sites(self) -> tuple[str, ...]:
        """Fixed and new sites together, sorted."""
        return tuple(sorted({*self.fixed, *self.sites}))

    @property
    def optimal(self) -> bool:
        """Whether HiGHS proved the solution optimal."""
        return self.status == "optimal"


# ---------------------------------------------------------------------------------------------
# Input validation and the dense instance
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Instance:
    demand_ids: npt.NDArray[np.object_]
    weights: FloatArray
    site_ids: npt.NDArray[np.object_]
    fixed: BoolArray
    minutes: FloatArray  # (n_demand, n_sites), inf when unreachable

    @property
    def free(self) -> IntArray:
        return np.flatnonzero(~self.fixed)

    def covered(self, threshold: float) -> BoolArray:
        return self.minutes < threshold


def _ids(values: object, *, name: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    if not isinstance(values, Sequence | pd.Index | pd.Series | np.ndarray | set | frozenset):
        raise ValidationError(
            f"expected a list of ids, got {type(values).__name__}.",
            field=name,
            fix="pass a list of site ids (strings).",
        )
    return [str(v) for v in values]


@dataclass(frozen=True, slots=True)
class _Od:
    """The travel-time table as integer codes: ``origins[o]``/``dests[d]`` are the ids."""

    origin: IntArray
    dest: IntArray
    minutes: FloatArray
    origins: npt.NDArray[np.object_]
    dests: npt.NDArray[np.object_]


def _check_od(od: pd.DataFrame) -> _Od:
    if not isinstance(od, pd.DataFrame):
        raise ValidationError(
            f"expected a DataFrame, got {type(od).__name__}.",
            field="od",
            fix="pass the long travel-time table (origin_id, dest_id, minutes, method).",
        )
    missing = [c for c in _OD_COLUMNS if c not in od.columns]
    if missing:
        raise ValidationError(
            f"missing column(s) {', '.join(missing)}.",
            field="od",
            fix="pass the long travel-time table (origin_id, dest_id, minutes, method).",
        )
    origin, origins = pd.factorize(od["origin_id"])
    dest, dests = pd.factorize(od["dest_id"])
    origin_ids = np.asarray([str(v) for v in origins], dtype=object)
    dest_ids = np.asarray([str(v) for v in dests], dtype=object)
    minutes = pd.to_numeric(od["minutes"], errors="coerce").to_numpy(dtype=np.float64)
    bad = np.isnan(minutes) | (minutes < 0) | (origin < 0) | (dest < 0)
    if bad.any():
        pairs = [
            f"{origin_ids[o]}->{dest_ids[d]}" for o, d in zip(origin[bad], dest[bad], strict=True)
        ]
        raise ValidationError(
            f"minutes must be >= 0 or inf and ids present; bad rows ({format_rows(pairs)}).",
            field="od.minutes",
            fix="recompute the travel times or drop those pairs (a missing pair is unreachable).",
        )
    key = origin.astype(np.int64) * len(dest_ids) + dest
    unique, counts = np.unique(key, return_counts=True)
    if (counts > 1).any():
        dup = unique[counts > 1]
        pairs = [f"{origin_ids[k // len(dest_ids)]}->{dest_ids[k % len(dest_ids)]}" for k in dup]
        raise ValidationError(
            f"duplicate origin/destination pairs ({format_rows(pairs)}).",
            field="od",
            fix="keep one method per pair (filter on the method column).",
        )
    return _Od(origin=origin, dest=dest, minutes=minutes, origins=origin_ids, dests=dest_ids)


def _check_demand(demand: pd.DataFrame, *, weight: str) -> pd.DataFrame:
    if not isinstance(demand, pd.DataFrame):
        raise ValidationError(
            f"expected a DataFrame, got {type(demand).__name__}.",
            field="demand",
            fix="pass a table with columns id and a weight column such as population.",
        )
    missing = [c for c in ("id", weight) if c not in demand.columns]
    if missing:
        raise ValidationError(
            f"missing column(s) {', '.join(missing)}.",
            field="demand",
            fix=f"pass a table with columns id and {weight} (or choose weight=...).",
        )
    table = pd.DataFrame(
        {
            "id": demand["id"].astype(str).to_numpy(),
            "weight": pd.to_numeric(demand[weight], errors="coerce").astype("float64").to_numpy(),
        }
    )
    dup = table["id"].duplicated()
    if dup.any():
        raise ValidationError(
            f"duplicate ids ({format_rows(table.loc[dup, 'id'].unique())}).",
            field="demand.id",
            fix="aggregate the demand to one row per id.",
        )
    bad = ~np.isfinite(table["weight"].to_numpy()) | (table["weight"].to_numpy() < 0)
    if bad.any():
        raise ValidationError(
            f"{weight} must be finite and >= 0 ({format_rows(table.loc[bad, 'id'])}).",
            field=f"demand.{weight}",
            fix="fill missing values and remove negative counts.",
        )
    if table.empty:
        raise ValidationError("the demand table is empty.", field="demand", fix="pass communes.")
    return table


def _instance(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    weight: str,
    candidates: Sequence[str] | None,
    exclude: Sequence[str],
    fixed: Sequence[str],
) -> _Instance:
    table = _check_od(od)
    dem = _check_demand(demand, weight=weight)
    dests = pd.Index(table.dests, dtype=object)
    fixed_ids = list(dict.fromkeys(_ids(fixed, name="fixed")))
    exclude_ids = set(_ids(exclude, name="exclude"))
    cand_ids = (
        [d for d in dests if d not in exclude_ids]
        if candidates is None
        else list(dict.fromkeys(_ids(candidates, name="candidates")))
    )
    for name, ids in (("candidates", cand_ids), ("fixed", fixed_ids), ("exclude", exclude_ids)):
        unknown = [i for i in ids if i not in dests]
        if unknown:
            raise ValidationError(
                f"{len(unknown)} id(s) are not destinations of the travel-time table "
                f"({format_rows(sorted(unknown))}).",
                field=name,
                fix="compute travel times to these sites first, or fix the ids.",
            )
    both = sorted(set(fixed_ids) & exclude_ids)
    if both:
        raise ValidationError(
            f"sites both fixed open and excluded ({format_rows(both)}).",
            field="exclude",
            fix="remove them from one of the two lists.",
        )
    if candidates is not None:
        cand_ids = [c for c in cand_ids if c not in exclude_ids]
    site_ids = fixed_ids + [c for c in cand_ids if c not in set(fixed_ids)]
    if not site_ids:
        raise ValidationError(
            "no candidate site is left.", field="candidates", fix="pass at least one candidate."
        )
    site_pos = pd.Index(site_ids, dtype=object)
    dem_pos = pd.Index(dem["id"].to_numpy(dtype=object), dtype=object)
    rows = dem_pos.get_indexer(pd.Index(table.origins, dtype=object))[table.origin]
    cols = site_pos.get_indexer(pd.Index(table.dests, dtype=object))[table.dest]
    keep = (rows >= 0) & (cols >= 0)
    minutes = np.full((len(dem_pos), len(site_pos)), np.inf)
    minutes[rows[keep], cols[keep]] = table.minutes[keep]
    is_fixed = np.zeros(len(site_ids), dtype=bool)
    is_fixed[: len(fixed_ids)] = True
    return _Instance(
        demand_ids=dem_pos.to_numpy(dtype=object),
        weights=dem["weight"].to_numpy(dtype=np.float64),
        site_ids=site_pos.to_numpy(dtype=object),
        fixed=is_fixed,
        minutes=minutes,
    )


def _check_p(p: int, inst: _Instance) -> None:
    n_free = int((~inst.fixed).sum())
    if isinstance(p, bool) or not isinstance(p, int | np.integer) or p < 0:
        raise ValidationError(
            f"p must be a non-negative integer, got {p!r}.", field="p", fix="give p = 1, 2, 3..."
        )
    if p > n_free:
        raise ValidationError(
            f"p = {p} is larger than the {n_free} candidate site(s) available.",
            field="p",
            fix=f"choose p <= {n_free} or add candidates.",
        )


def _check_minutes(minutes: float) -> float:
    value = float(minutes)
    if not (math.isfinite(value) and value > 0):
        raise ValidationError(
            f"minutes must be a positive number, got {minutes!r}.",
            field="minutes",
            fix="give a coverage threshold such as 20 (covered means t < 20).",
        )
    return value


# ---------------------------------------------------------------------------------------------
# HiGHS plumbing
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Mip:
    """A MIP in HiGHS' column-wise form: ``row_lower <= A x <= row_upper``."""

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


@dataclass(frozen=True, slots=True)
class _Outcome:
    x: FloatArray
    objective: float
    bound: float
    status: str


def _highs(options: SolverOptions, deadline: float) -> Any:
    import highspy

    if options.threads is not None:
        highspy.Highs.resetGlobalScheduler(True)  # noqa: FBT003 (positional-only binding)
    h = highspy.Highs()
    h.silent()
    h.setOptionValue("time_limit", max(deadline - time.perf_counter(), 1e-3))
    h.setOptionValue("mip_rel_gap", options.mip_rel_gap)
    if options.threads is not None:
        h.setOptionValue("threads", int(options.threads))
    return h


def _pass(h: Any, mip: _Mip) -> None:
    import highspy
    from scipy import sparse

    n_cols = len(mip.cost)
    n_rows = len(mip.row_lower)
    matrix = sparse.csc_matrix((mip.vals, (mip.rows, mip.cols)), shape=(n_rows, n_cols))
    matrix.sum_duplicates()
    sense = highspy.ObjSense.kMaximize if mip.maximize else highspy.ObjSense.kMinimize
    inf = highspy.kHighsInf
    status = h.passModel(
        n_cols,
        n_rows,
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
        raise SolverError(
            f"HiGHS rejected the model ({status}).",
            field="solver",
            fix="report this as a bug with the input that triggered it.",
        )


def _set_start(h: Any, start: FloatArray | None) -> None:
    if start is None:
        return
    import highspy

    solution = highspy.HighsSolution()
    solution.col_value = np.asarray(start, dtype=np.float64)
    h.setSolution(solution)


def _outcome(h: Any, *, what: str, infeasible_fix: str) -> _Outcome:
    """Read the solution of a run, raising on anything but an optimum or a usable incumbent."""
    import highspy

    status = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    ms = highspy.HighsModelStatus
    if status == ms.kOptimal:
        label = "optimal"
    elif status == ms.kInfeasible:
        raise SolverError(f"the {what} model is infeasible.", field="model", fix=infeasible_fix)
    elif status in (ms.kUnbounded, ms.kUnboundedOrInfeasible):
        raise SolverError(
            f"the {what} model is unbounded or infeasible ({h.modelStatusToString(status)}).",
            field="model",
            fix=infeasible_fix,
        )
    elif status in (
        ms.kTimeLimit,
        ms.kIterationLimit,
        ms.kSolutionLimit,
        ms.kInterrupt,
        ms.kObjectiveBound,
        ms.kObjectiveTarget,
    ):
        if not has_solution:
            raise SolverError(
                f"HiGHS stopped ({h.modelStatusToString(status)}) before finding any solution "
                f"of the {what} model.",
                field="time_limit",
                fix="raise the time limit or use method='greedy'.",
            )
        label = "time_limit"
    else:
        raise SolverError(
            f"HiGHS failed on the {what} model ({h.modelStatusToString(status)}).",
            field="solver",
            fix="report this as a bug with the input that triggered it.",
        )
    x = np.asarray(h.getSolution().col_value, dtype=np.float64)
    objective = float(info.objective_function_value)
    bound = float(info.mip_dual_bound) if label != "optimal" else objective
    if not math.isfinite(bound):
        bound = objective if label == "optimal" else math.nan
    return _Outcome(x=x, objective=objective, bound=bound, status=label)


def _solve(
    mip: _Mip,
    *,
    options: SolverOptions,
    deadline: float,
    start: FloatArray | None,
    what: str,
    infeasible_fix: str,
) -> _Outcome:
    """Solve a MIP: its LP relaxation first (interior point + crossover), the MIP if fractional.

    Covering models often have integral LP relaxations; an integral optimum of the relaxation is
    an optimum of the MIP, found without branch-and-bound.
    """
    if mip.integer.any():
        relaxed = _relaxation(mip, options=options, deadline=deadline, what=what)
        if relaxed is not None:
            return relaxed
    h = _highs(options, deadline)
    _pass(h, mip)
    if options.warm_start and mip.integer.any():
        _set_start(h, start)
    h.run()
    return _outcome(h, what=what, infeasible_fix=infeasible_fix)


def _relaxation(
    mip: _Mip, *, options: SolverOptions, deadline: float, what: str
) -> _Outcome | None:
    """Return the LP relaxation's optimum when it is integral, else ``None`` (solve the MIP)."""
    import highspy

    h = _highs(options, deadline)
    _pass(h, dataclasses.replace(mip, integer=np.zeros_like(mip.integer)))
    h.setOptionValue("solver", "ipm")
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None  # infeasible, unbounded or slow: let the MIP run say so
    x = np.asarray(h.getSolution().col_value, dtype=np.float64)
    values = x[mip.integer]
    if np.abs(values - np.round(values)).max(initial=0.0) > 1e-7:
        return None
    x[mip.integer] = np.round(values)
    out = _outcome(h, what=what, infeasible_fix="")
    return _Outcome(x=x, objective=out.objective, bound=out.objective, status="optimal")


def _rel_gap(value: float, bound: float) -> float:
    if not (math.isfinite(value) and math.isfinite(bound)):
        return math.nan
    return abs(value - bound) / max(abs(value), 1e-9)


# ---------------------------------------------------------------------------------------------
# Objectives and greedy heuristics (vectorised)
# ---------------------------------------------------------------------------------------------


def _nearest_minutes(inst: _Instance, open_mask: BoolArray) -> FloatArray:
    if not open_mask.any():
        return np.full(len(inst.demand_ids), np.inf)
    return inst.minutes[:, open_mask].min(axis=1)


def _coverage_value(inst: _Instance, open_mask: BoolArray, threshold: float) -> float:
    covered = _nearest_minutes(inst, open_mask) < threshold
    return float(inst.weights[covered].sum())


def _median_value(inst: _Instance, open_mask: BoolArray) -> float:
    nearest = _nearest_minutes(inst, open_mask)
    w = inst.weights
    return float(np.sum(np.where(w > 0, w * nearest, 0.0)))


def _center_value(inst: _Instance, open_mask: BoolArray) -> float:
    nearest = _nearest_minutes(inst, open_mask)[inst.weights > 0]
    return float(nearest.max()) if len(nearest) else 0.0


def _swap_search(
    inst: _Instance,
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


def _greedy_coverage(inst: _Instance, p: int, threshold: float) -> list[int]:
    from scipy import sparse

    cover_t = sparse.csr_matrix(inst.covered(threshold).T, dtype=np.float64)

    def current(mask: BoolArray) -> FloatArray:
        return _nearest_minutes(inst, mask)

    def score(nearest: FloatArray) -> FloatArray:
        already = nearest < threshold
        gain = np.asarray(cover_t @ np.where(already, 0.0, inst.weights))
        return gain + float(inst.weights[already].sum())

    chosen: list[int] = []
    mask = inst.fixed.copy()
    for _ in range(p):
        values = score(current(mask))
        values[mask] = -np.inf
        j = int(np.argmax(values))
        chosen.append(j)
        mask[j] = True
    return _swap_search(
        inst, chosen, score=score, current=current, better=lambda a, b: a > b + 1e-9
    )


def _add_median_scores(inst: _Instance, nearest: FloatArray) -> FloatArray:
    """Weighted minutes if each site were added to demands at ``nearest`` (inf: unreachable)."""
    w = inst.weights
    new = np.minimum(inst.minutes, nearest[:, None])
    contrib = np.where(w[:, None] > 0, w[:, None] * new, 0.0)
    return contrib.sum(axis=0)


def _greedy_median(inst: _Instance, p: int) -> list[int]:
    def current(mask: BoolArray) -> FloatArray:
        return _nearest_minutes(inst, mask)

    def score(nearest: FloatArray) -> FloatArray:
        return _add_median_scores(inst, nearest)

    chosen: list[int] = []
    mask = inst.fixed.copy()
    for _ in range(p):
        values = score(current(mask))
        values[mask] = np.inf
        j = int(np.argmin(values))
        chosen.append(j)
        mask[j] = True
    return _swap_search(
        inst, chosen, score=score, current=current, better=lambda a, b: a < b - 1e-9
    )


def _greedy_center(inst: _Instance, p: int) -> list[int]:
    positive = inst.weights > 0

    def current(mask: BoolArray) -> FloatArray:
        return _nearest_minutes(inst, mask)

    def score(nearest: FloatArray) -> FloatArray:
        new = np.minimum(inst.minutes[positive], nearest[positive][:, None])
        if new.shape[0] == 0:
            return np.zeros(inst.minutes.shape[1])
        worst = new.max(axis=0)
        # break ties on the worst time by the weighted total, so swaps keep improving
        return worst + 1e-9 * np.where(np.isfinite(new), new, 1e9).mean(axis=0)

    chosen: list[int] = []
    mask = inst.fixed.copy()
    for _ in range(p):
        values = score(current(mask))
        values[mask] = np.inf
        j = int(np.argmin(values))
        chosen.append(j)
        mask[j] = True
    return _swap_search(
        inst, chosen, score=score, current=current, better=lambda a, b: a < b - 1e-12
    )


def _greedy_cover_all(inst: _Instance, need: BoolArray, cover: BoolArray) -> list[int]:
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


# ---------------------------------------------------------------------------------------------
# Result assembly
# ---------------------------------------------------------------------------------------------


def _result(
    inst: _Instance,
    *,
    model: str,
    chosen: Sequence[int],
    status: str,
    objective: float,
    sense: str,
    bound: float,
    started: float,
    threshold: float | None,
    heuristic: float | None,
    parameters: Mapping[str, Any],
    assignment: pd.DataFrame | None = None,
    site_table: pd.DataFrame | None = None,
    rotation_table: pd.DataFrame | None = None,
) -> SitingResult:
    open_mask = inst.fixed.copy()
    open_mask[list(chosen)] = True
    if assignment is None:
        assignment = _nearest_assignment(inst, open_mask, threshold=threshold)
    if site_table is None:
        served = assignment.groupby("site_id")["served"].sum()
        ids = inst.site_ids[open_mask]
        site_table = pd.DataFrame(
            {
                "site_id": ids.astype(str),
                "new": ~inst.fixed[open_mask],
                "served": served.reindex(ids).fillna(0.0).to_numpy(dtype=np.float64),
                "capacity": np.nan,
                "days_per_week": np.nan,
            }
        )
    if status == "optimal":
        bound = objective
    gap = 0.0 if status == "optimal" else _rel_gap(objective, bound)
    heuristic_gap = (
        _rel_gap(heuristic, objective)
        if heuristic is not None and status in ("optimal", "time_limit")
        else None
    )
    return SitingResult(
        model=model,
        status=status,
        objective=float(objective),
        sense=sense,
        bound=float(bound),
        gap=float(gap),
        sites=tuple(sorted(str(inst.site_ids[j]) for j in chosen)),
        fixed=tuple(sorted(str(s) for s in inst.site_ids[inst.fixed])),
        assignment=assignment,
        site_table=site_table.sort_values("site_id", ignore_index=True),
        solve_seconds=time.perf_counter() - started,
        heuristic_objective=heuristic,
        heuristic_gap=heuristic_gap,
        parameters=dict(parameters),
        rotation=rotation_table,
    )


def _nearest_assignment(
    inst: _Instance, open_mask: BoolArray, *, threshold: float | None
) -> pd.DataFrame:
    """Assign every demand to its nearest open site (internal helper, see :func:`nearest_open`)."""
    n = len(inst.demand_ids)
    site_ids = inst.site_ids.astype(str)
    if open_mask.any():
        sub = inst.minutes[:, open_mask]
        pos = sub.argmin(axis=1)
        best = sub[np.arange(n), pos]
        site = np.asarray(site_ids[open_mask][pos], dtype=object)
        site[~np.isfinite(best)] = None
    else:
        best = np.full(n, np.inf)
        site = np.full(n, None, dtype=object)
    covered = best < threshold if threshold is not None else np.isfinite(best)
    frame = pd.DataFrame(
        {
            "id": inst.demand_ids.astype(str),
            "site_id": site,
            "minutes": best,
            "weight": inst.weights,
            "served": np.where(covered, inst.weights, 0.0),
            "covered": covered,
        }
    )
    frame["site_id"] = frame["site_id"].astype("string")
    return frame


def nearest_open(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    sites: Sequence[str],
    minutes: float | None = None,
    weight: str = "population",
) -> pd.DataFrame:
    """Assign each demand to its nearest open site and flag coverage.

    Parameters
    ----------
    od
        Long travel-time table (``origin_id, dest_id, minutes[, method]``); a missing pair is
        unreachable.
    demand
        ``id`` and the ``weight`` column.
    sites
        Open sites (``dest_id`` values of ``od``).
    minutes
        Coverage threshold ``T``: a demand is covered when ``t < T`` (half-open convention).
        ``None``: covered means reachable.
    weight
        Demand column.

    Returns
    -------
    pandas.DataFrame
        ``id, site_id, minutes, weight, served, covered`` (``minutes`` is ``inf`` and ``site_id``
        missing when no open site is reachable).

    References
    ----------
    Church R. L., ReVelle C., "The maximal covering location problem", Papers of the Regional
    Science Association 32 (1974) 101-118.
    """
    inst = _instance(od, demand, weight=weight, candidates=[], exclude=(), fixed=sites)
    threshold = None if minutes is None else _check_minutes(minutes)
    return _nearest_assignment(inst, inst.fixed.copy(), threshold=threshold)


def _params(**kwargs: Any) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if v is not None}


def _fix_note(model: str) -> str:
    return f"check the inputs of the {model} model (times, candidates, p)."


# ---------------------------------------------------------------------------------------------
# MCLP
# ---------------------------------------------------------------------------------------------


def mclp(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    p: int,
    minutes: float,
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
        Coverage threshold ``T`` (covered: ``t < T``).
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
    threshold = _check_minutes(minutes)
    inst = _instance(od, demand, weight=weight, candidates=candidates, exclude=exclude, fixed=fixed)
    _check_p(p, inst)
    params = _params(p=p, minutes=threshold, weight=weight, method=method)
    greedy = _greedy_coverage(inst, p, threshold)
    greedy_mask = inst.fixed.copy()
    greedy_mask[greedy] = True
    heuristic = _coverage_value(inst, greedy_mask, threshold)
    if method == "greedy":
        return _result(
            inst, model="mclp", chosen=greedy, status="heuristic", objective=heuristic,
            sense="max", bound=math.nan, started=started, threshold=threshold, heuristic=None,
            parameters=params,
        )  # fmt: skip
    _check_method(method)
    cover = inst.covered(threshold)
    by_fixed = cover[:, inst.fixed].any(axis=1)
    free = inst.free
    need = ~by_fixed & cover[:, free].any(axis=1) & (inst.weights > 0)
    constant = float(inst.weights[by_fixed].sum())
    rows_d = np.flatnonzero(need)
    nf, nd = len(free), len(rows_d)
    # columns: x (free sites), z (demand needing coverage); rows: z_i - sum x_j <= 0, sum x = p
    ci, cj = np.nonzero(cover[np.ix_(rows_d, free)])
    mip = _Mip(
        cost=np.concatenate([np.zeros(nf), inst.weights[rows_d]]),
        lower=np.zeros(nf + nd),
        upper=np.ones(nf + nd),
        integer=np.concatenate([np.ones(nf, dtype=bool), np.zeros(nd, dtype=bool)]),
        rows=np.concatenate([ci, np.arange(nd), np.full(nf, nd)]),
        cols=np.concatenate([cj, nf + np.arange(nd), np.arange(nf)]),
        vals=np.concatenate([-np.ones(len(ci)), np.ones(nd), np.ones(nf)]),
        row_lower=np.concatenate([np.full(nd, -np.inf), [p]]),
        row_upper=np.concatenate([np.zeros(nd), [p]]),
        maximize=True,
    )
    start = np.concatenate([greedy_mask[free], (cover[rows_d][:, greedy_mask]).any(axis=1)])
    out = _solve(
        mip,
        options=options,
        deadline=started + options.time_limit,
        start=start.astype(np.float64),
        what="MCLP",
        infeasible_fix=_fix_note("MCLP"),
    )
    chosen = list(free[out.x[:nf] > 0.5])
    open_mask = inst.fixed.copy()
    open_mask[chosen] = True
    return _result(
        inst, model="mclp", chosen=chosen, status=out.status,
        objective=_coverage_value(inst, open_mask, threshold), sense="max",
        bound=out.bound + constant, started=started, threshold=threshold, heuristic=heuristic,
        parameters=params,
    )  # fmt: skip


def _check_method(method: str) -> None:
    if method not in ("exact", "greedy"):
        raise ValidationError(
            f"unknown method {method!r}.", field="method", fix="use 'exact' or 'greedy'."
        )


# ---------------------------------------------------------------------------------------------
# LSCP
# ---------------------------------------------------------------------------------------------


def lscp(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    minutes: float,
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
        Coverage threshold ``T`` (covered: ``t < T``).
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
    threshold = _check_minutes(minutes)
    inst = _instance(od, demand, weight=weight, candidates=candidates, exclude=exclude, fixed=fixed)
    _check_method(method)
    params = _params(minutes=threshold, weight=weight, method=method)
    cover = inst.covered(threshold)
    positive = inst.weights > 0
    impossible = positive & ~cover.any(axis=1)
    if impossible.any():
        ids = inst.demand_ids[impossible]
        raise SolverError(
            f"the LSCP is infeasible: {len(ids)} commune(s) have no candidate or existing site "
            f"within {threshold:g} minutes ({format_rows(ids)}).",
            field="minutes",
            fix="raise minutes, add candidate sites near these communes, or drop them.",
        )
    need = positive & ~cover[:, inst.fixed].any(axis=1)
    greedy = _greedy_cover_all(inst, need, cover)
    if method == "greedy":
        return _result(
            inst, model="lscp", chosen=greedy, status="heuristic", objective=float(len(greedy)),
            sense="min", bound=math.nan, started=started, threshold=threshold, heuristic=None,
            parameters=params,
        )  # fmt: skip
    free = inst.free
    rows_d = np.flatnonzero(need)
    ci, cj = np.nonzero(cover[np.ix_(rows_d, free)])
    nf = len(free)
    mip = _Mip(
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
    start = np.isin(free, greedy).astype(np.float64)
    out = _solve(
        mip, options=options, deadline=started + options.time_limit, start=start,
        what="LSCP", infeasible_fix="raise minutes or add candidate sites.",
    )  # fmt: skip
    chosen = list(free[out.x > 0.5])
    return _result(
        inst, model="lscp", chosen=chosen, status=out.status, objective=float(len(chosen)),
        sense="min", bound=out.bound, started=started, threshold=threshold,
        heuristic=float(len(greedy)), parameters=params,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# p-median (constraint generation)
# ---------------------------------------------------------------------------------------------


def _check_reachable(inst: _Instance, model: str) -> None:
    unreachable = (inst.weights > 0) & ~np.isfinite(inst.minutes).any(axis=1)
    if unreachable.any():
        ids = inst.demand_ids[unreachable]
        raise ValidationError(
            f"{len(ids)} demand(s) reach no candidate or fixed site ({format_rows(ids)}), so "
            f"the {model} objective is infinite.",
            field="od",
            fix="add travel times to these communes, or drop them from the demand table.",
        )


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
        ``objective`` = sum over demands of weight x minutes to the nearest open site.

    Raises
    ------
    ValidationError
        A demand reaches no site at all (infinite objective), bad tables or ids, ``p`` too large.
    SolverError
        HiGHS found no feasible assignment.

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
    inst = _instance(od, demand, weight=weight, candidates=candidates, exclude=exclude, fixed=fixed)
    _check_p(p, inst)
    _check_method(method)
    _check_reachable(inst, "p-median")
    params = _params(p=p, weight=weight, method=method)
    greedy = _greedy_median(inst, p)
    greedy_mask = inst.fixed.copy()
    greedy_mask[greedy] = True
    heuristic = _median_value(inst, greedy_mask)
    if method == "greedy":
        if not math.isfinite(heuristic):
            raise SolverError(
                "the greedy p-median leaves some demand without a reachable site.",
                field="method",
                fix="use method='exact' or raise p.",
            )
        return _result(
            inst, model="p_median", chosen=greedy, status="heuristic", objective=heuristic,
            sense="min", bound=math.nan, started=started, threshold=None, heuristic=None,
            parameters=params,
        )  # fmt: skip
    chosen, status, objective, bound = _median_exact(inst, p, options, started, greedy_mask)
    return _result(
        inst, model="p_median", chosen=chosen, status=status, objective=objective, sense="min",
        bound=bound, started=started, threshold=None,
        heuristic=heuristic if math.isfinite(heuristic) else None, parameters=params,
    )  # fmt: skip


class _MedianCuts:
    """The p-median model of ReVelle & Swain in HiGHS, with lazily added ``y_ij <= x_j`` rows.

    Columns: ``x`` (every site; fixed ones bounded at 1), then ``y`` (one per reachable pair of
    an inhabited demand). Rows: ``sum_j y_ij = 1`` per demand, ``sum x_free = p``, then the
    linking constraints added so far.
    """

    def __init__(self, inst: _Instance, p: int, options: SolverOptions, deadline: float) -> None:
        w = inst.weights
        n, m = inst.minutes.shape
        self.inst, self.options, self.deadline, self.m = inst, options, deadline, m
        self.pi, self.pj = np.nonzero(np.isfinite(inst.minutes) & (w > 0)[:, None])
        self.minutes = inst.minutes[self.pi, self.pj]
        n_pairs = len(self.pi)
        free = inst.free
        active = np.flatnonzero(w > 0)
        row_of = np.full(n, -1)
        row_of[active] = np.arange(len(active))
        mip = _Mip(
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
        self.h = _highs(options, deadline)
        _pass(self.h, mip)
        self.have = np.zeros(n_pairs, dtype=bool)

    def add(self, pairs: IntArray) -> None:
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

    def run(self) -> _Outcome | None:
        """Solve; ``None`` when the time limit stopped HiGHS without a solution."""
        self.h.setOptionValue("time_limit", max(self.deadline - time.perf_counter(), 1e-3))
        self.h.run()
        try:
            return _outcome(self.h, what="p-median", infeasible_fix=_fix_note("p-median"))
        except SolverError:
            if time.perf_counter() < self.deadline:
                raise
            return None

    def violated(self, col: FloatArray) -> BoolArray:
        x, y = col[: self.m], col[self.m :]
        return ~self.have & (y > x[self.pj] + 1e-9)

    def lp_phase(self, start_mask: BoolArray) -> tuple[float, FloatArray | None]:
        """Add violated linking rows until the LP relaxation satisfies them all.

        Returns the last proven LP bound and the LP's site values (``None`` if stopped early).
        """
        near = _nearest_minutes(self.inst, start_mask)
        self.add(np.flatnonzero(self.minutes <= _START_RADIUS * near[self.pi] + _EPS))
        n = len(self.inst.demand_ids)
        bound = -math.inf
        while True:
            out = self.run()
            if out is None or out.status != "optimal":
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
            grow = bad[self.pi] & (self.minutes <= 1.5 * far[self.pi] + _EPS)
            self.add(np.flatnonzero(grow | violated))

    def mip_phase(self, best_mask: BoolArray, bound: float) -> tuple[BoolArray, str, float, float]:
        """Solve the MIP over the generated rows, re-checking the others on each solution."""
        free = self.inst.free
        self.h.changeColsIntegrality(
            len(free), free.astype(np.int32), np.ones(len(free), dtype=np.uint8)
        )
        best_value = _median_value(self.inst, best_mask)
        while time.perf_counter() < self.deadline:
            if self.options.warm_start and math.isfinite(best_value):
                nearest = np.where(best_mask[None, :], self.inst.minutes, np.inf).argmin(axis=1)
                start = np.concatenate([best_mask, self.pj == nearest[self.pi]])
                _set_start(self.h, start.astype(np.float64))
            out = self.run()
            if out is None:
                break
            mask = self.inst.fixed | (out.x[: self.m] > 0.5)
            value = _median_value(self.inst, mask)
            if value < best_value:
                best_mask, best_value = mask, value
            if math.isfinite(out.bound):
                bound = max(bound, out.bound)
            violated = self.violated(out.x)
            if not violated.any():
                return best_mask, out.status, best_value, bound
            self.add(np.flatnonzero(violated))
        return best_mask, "time_limit", best_value, bound


def _median_exact(
    inst: _Instance,
    p: int,
    options: SolverOptions,
    started: float,
    start_mask: BoolArray,
) -> tuple[list[int], str, float, float]:
    """Exact p-median by constraint generation; returns (chosen, status, objective, bound)."""
    model = _MedianCuts(inst, p, options, started + options.time_limit)
    bound, x = model.lp_phase(start_mask)
    if x is not None and np.all(np.abs(x - np.round(x)) < 1e-6):
        mask = inst.fixed | (x > 0.5)
        status, value = "optimal", _median_value(inst, mask)
    else:
        mask, status, value, bound = model.mip_phase(start_mask.copy(), bound)
    return [int(j) for j in inst.free if mask[j]], status, value, bound


# ---------------------------------------------------------------------------------------------
# p-center (sequence of set-covering problems)
# ---------------------------------------------------------------------------------------------


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
        ``objective`` = worst minutes to the nearest open site.

    Raises
    ------
    ValidationError
        A demand reaches no site at all, bad tables or ids, ``p`` too large.
    SolverError
        HiGHS stopped without deciding the first feasibility question.

    References
    ----------
    Hakimi S. L., "Optimum locations of switching centers and the absolute centers and medians of
    a graph", Operations Research 12 (1964) 450-459. Minieka E., "The m-center problem", SIAM
    Review 12 (1970) 138-139.
    """
    started = time.perf_counter()
    options = solver or SolverOptions()
    inst = _instance(od, demand, weight=weight, candidates=candidates, exclude=exclude, fixed=fixed)
    _check_p(p, inst)
    _check_method(method)
    _check_reachable(inst, "p-center")
    params = _params(p=p, weight=weight, method=method)
    greedy = _greedy_center(inst, p)
    greedy_mask = inst.fixed.copy()
    greedy_mask[greedy] = True
    heuristic = _center_value(inst, greedy_mask)
    if method == "greedy":
        return _result(
            inst, model="p_center", chosen=greedy, status="heuristic", objective=heuristic,
            sense="min", bound=math.nan, started=started, threshold=None, heuristic=None,
            parameters=params,
        )  # fmt: skip
    deadline = started + options.time_limit
    positive = inst.weights > 0
    times = inst.minutes[positive]
    lower = float(times.min(axis=1).max()) if len(times) else 0.0
    radii = np.unique(times[np.isfinite(times)])
    radii = radii[(radii >= lower) & (radii <= heuristic)]
    best_chosen, best_value = list(greedy), heuristic
    lo, hi = 0, len(radii) - 1  # radii[hi] == heuristic is feasible
    status = "optimal"
    while lo < hi:
        mid = (lo + hi) // 2
        feasible, chosen = _cover_within(inst, p, float(radii[mid]), options, deadline)
        if feasible is None:
            status = "time_limit"
            break
        if feasible:
            hi = mid
            mask = inst.fixed.copy()
            mask[chosen] = True
            value = _center_value(inst, mask)
            if value < best_value:
                best_chosen, best_value = chosen, value
        else:
            lo = mid + 1
    bound = float(radii[lo]) if len(radii) else best_value
    return _result(
        inst, model="p_center", chosen=best_chosen, status=status, objective=best_value,
        sense="min", bound=bound, started=started, threshold=None, heuristic=heuristic,
        parameters=params,
    )  # fmt: skip


def _cover_within(
    inst: _Instance, p: int, radius: float, options: SolverOptions, deadline: float
) -> tuple[bool | None, list[int]]:
    """Decide whether ``p`` new sites can bring every inhabited demand within ``t <= radius``."""
    cover = inst.minutes <= radius
    need = (inst.weights > 0) & ~cover[:, inst.fixed].any(axis=1)
    if not need.any():
        return True, []
    free = inst.free
    if (need & ~cover[:, free].any(axis=1)).any():
        return False, []
    greedy = _greedy_cover_all(inst, need, cover)
    if len(greedy) <= p:
        return True, greedy
    if time.perf_counter() >= deadline:
        return None, []
    rows_d = np.flatnonzero(need)
    ci, cj = np.nonzero(cover[np.ix_(rows_d, free)])
    nf = len(free)
    mip = _Mip(
        cost=np.ones(nf), lower=np.zeros(nf), upper=np.ones(nf),
        integer=np.ones(nf, dtype=bool), rows=ci, cols=cj, vals=np.ones(len(ci)),
        row_lower=np.ones(len(rows_d)), row_upper=np.full(len(rows_d), np.inf), maximize=False,
    )  # fmt: skip
    h = _highs(options, deadline)
    _pass(h, mip)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("objective_bound", p + 0.5)  # stop as soon as p sites are known to fail
    if options.warm_start:
        _set_start(h, np.isin(free, greedy).astype(np.float64))
    h.run()
    import highspy

    status = h.getModelStatus()
    info = h.getInfo()
    if status == highspy.HighsModelStatus.kInfeasible:
        return False, []
    if info.primal_solution_status == 2:
        x = np.asarray(h.getSolution().col_value)
        chosen = [int(j) for j in free[x > 0.5]]
        if len(chosen) <= p:
            return True, chosen
    if status == highspy.HighsModelStatus.kOptimal or info.mip_dual_bound > p + 1e-6:
        return False, []
    if status == highspy.HighsModelStatus.kObjectiveBound:
        return False, []
    return None, []


# ---------------------------------------------------------------------------------------------
# Capacitated volunteer centres (Médecins Solidaires)
# ---------------------------------------------------------------------------------------------


def unserved_demand(
    demand: pd.DataFrame,
    *,
    weight: str = "population",
    od: pd.DataFrame | None = None,
    existing_sites: Sequence[str] = (),
    minutes: float | None = None,
    apl: pd.DataFrame | None = None,
    apl_threshold: float = 2.5,
    losing_gp: Sequence[str] = (),
) -> pd.DataFrame:
    """Keep the demand not already served, for the volunteer-centre model.

    A commune's demand counts (its ``weight`` is kept; otherwise it is set to 0) when **any** of
    the criteria given holds: it is ``t >= minutes`` from every existing GP site (half-open
    convention: within ``T`` means ``t < T``), its APL is below ``apl_threshold``, or it is listed
    in ``losing_gp`` (communes losing their GP in an outlook year).

    Parameters
    ----------
    demand
        ``id`` and the ``weight`` column.
    weight
        Demand column.
    od
        Travel-time table, needed with ``existing_sites`` and ``minutes``.
    existing_sites
        GP sites today (``dest_id`` values of ``od``).
    minutes
        Threshold ``T`` for "served by an existing GP".
    apl
        ``id, apl`` per commune (from :func:`accessmap.indicators.apl`).
    apl_threshold
        APL under which a commune is under-served (2.5 consultations a year, the usual
        under-density threshold).
    losing_gp
        Communes losing their last GP in the outlook year.

    Returns
    -------
    pandas.DataFrame
        ``demand`` with ``weight`` zeroed where no criterion holds, plus a bool column
        ``unserved``.

    Raises
    ------
    ValidationError
        No criterion given, or ``minutes`` without ``od``.

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes » (2023).
    """
    table = _check_demand(demand, weight=weight)
    flags = np.zeros(len(table), dtype=bool)
    used = False
    if minutes is not None:
        if od is None:
            raise ValidationError(
                "minutes needs the travel-time table.", field="od", fix="pass od=..."
            )
        threshold = _check_minutes(minutes)
        if len(existing_sites):
            near = nearest_open(od, demand, sites=existing_sites, minutes=threshold, weight=weight)
            flags |= ~near["covered"].to_numpy(dtype=bool)
        else:
            flags |= True
        used = True
    if apl is not None:
        if not {"id", "apl"} <= set(apl.columns):
            raise ValidationError(
                "missing column(s) id/apl.", field="apl", fix="pass indicators.apl(...) output."
            )
        values = apl.assign(id=apl["id"].astype(str)).set_index("id")["apl"]
        flags |= values.reindex(table["id"]).to_numpy(dtype=np.float64) < apl_threshold
        used = True
    if len(losing_gp):
        flags |= table["id"].isin(_ids(losing_gp, name="losing_gp")).to_numpy()
        used = True
    if not used:
        raise ValidationError(
            "no criterion of unserved demand given.",
            field="unserved_demand",
            fix="pass minutes= with existing_sites=, apl=, or losing_gp=.",
        )
    out = demand.copy()
    out[weight] = np.where(flags, table["weight"].to_numpy(), 0.0)
    out["unserved"] = flags
    return out


def volunteer_centres(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    p: int,
    minutes: float,
    weight: str = "population",
    params: VolunteerCentreParameters | None = None,
    capacities: Mapping[str, float] | None = None,
    must_serve: bool = False,
    candidates: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    fixed: Sequence[str] = (),
    method: Method = "exact",
    solver: SolverOptions | None = None,
) -> SitingResult:
    """Capacitated coverage for volunteer-staffed centres (Médecins Solidaires).

    Open ``p`` new centres, each able to serve ``params.capacity`` patients (volunteer-weeks /
    weeks per FTE x patients per FTE, or ``capacities[site]``), and assign demand
    (``y_ij`` patients of commune ``i`` to centre ``j``) only where ``t_ij < minutes``
    (half-open convention). Default: maximise the demand served. With ``must_serve``, all
    demand must be served and the population-weighted travel time is minimised; when capacity
    or reach cannot serve everyone the error says why.

    Pass the demand *not already served* (see :func:`unserved_demand`).

    Parameters
    ----------
    od
        Long travel-time table (``origin_id, dest_id, minutes, method``).
    demand
        ``id`` and the ``weight`` column (patients to serve).
    p
        New centres to open (fixed centres come on top).
    minutes
        Threshold ``T``: a centre serves communes with ``t < T``.
    weight
        Demand column.
    params
        Volunteer-weeks, weeks per FTE, patients per FTE.
    capacities
        Capacity per site id (patients), overriding ``params.capacity`` for those sites.
    must_serve
        Serve all demand (minimise person-minutes) instead of maximising demand served.
    candidates
        Candidate site ids (default: every ``dest_id`` of ``od``).
    exclude
        Candidate ids never to open.
    fixed
        Existing centres (open, with their capacity).
    method
        ``"exact"`` or ``"greedy"``.
    solver
        HiGHS options.

    Returns
    -------
    SitingResult
        ``objective`` = patients served (or person-minutes with ``must_serve``); ``assignment``
        has one row per commune and serving centre; ``site_table`` gives capacities and load.

    Raises
    ------
    SolverError
        With ``must_serve``: demand out of reach of every site, total capacity below demand, or
        an infeasible assignment.
    ValidationError
        Bad tables, ids, capacities or ``p``.

    References
    ----------
    Church R. L., ReVelle C., "The maximal covering location problem" (1974); Current J. R.,
    Storbeck J. E., "Capacitated covering models", Environment and Planning B 15 (1988)
    153-163; Médecins Solidaires (Ajain, 2022), see the territory facts.
    """
    started = time.perf_counter()
    options = solver or SolverOptions()
    vc = params or VolunteerCentreParameters()
    threshold = _check_minutes(minutes)
    inst = _instance(od, demand, weight=weight, candidates=candidates, exclude=exclude, fixed=fixed)
    _check_p(p, inst)
    _check_method(method)
    cap = np.full(len(inst.site_ids), vc.capacity)
    for site, value in (capacities or {}).items():
        pos = np.flatnonzero(inst.site_ids == str(site))
        if not (math.isfinite(float(value)) and float(value) >= 0):
            raise ValidationError(
                f"capacity of {site} must be >= 0, got {value}.",
                field="capacities",
                fix="give patients per site as non-negative numbers.",
            )
        if len(pos):
            cap[pos] = float(value)
    params_out = _params(
        p=p, minutes=threshold, weight=weight, method=method, must_serve=must_serve,
        volunteer_weeks=vc.volunteer_weeks, patients_per_fte=vc.patients_per_fte,
        capacity=vc.capacity, fte=vc.fte,
    )  # fmt: skip
    cover = inst.covered(threshold)
    w = inst.weights
    if must_serve:
        _check_must_serve(inst, p, cap, cover)
    greedy_sites, greedy_flow = _greedy_capacitated(inst, p, cap, cover)
    heuristic = float(sum(greedy_flow.values()))
    if method == "greedy":
        if must_serve and heuristic < w.sum() - 1e-6:
            raise SolverError(
                "the greedy heuristic could not serve all demand.",
                field="method",
                fix="use method='exact'.",
            )
        objective = (
            float(sum(v * inst.minutes[i, j] for (i, j), v in greedy_flow.items()))
            if must_serve
            else heuristic
        )
        return _capacitated_result(
            inst, greedy_sites, greedy_flow, cap, status="heuristic", objective=objective,
            bound=math.nan, must_serve=must_serve, started=started, threshold=threshold,
            heuristic=None, params=params_out,
        )  # fmt: skip
    m = len(inst.site_ids)
    free = inst.free
    pi, pj = np.nonzero(cover & (w > 0)[:, None])
    k = len(pi)
    mip = _capacitated_mip(inst, pi, pj, cap, p=p, must_serve=must_serve)
    start = None
    if not must_serve or heuristic >= w.sum() - 1e-6:
        start = np.zeros(m + k)
        start[:m][inst.fixed] = 1.0
        start[greedy_sites] = 1.0
        pair_index = {(int(a), int(b)): t for t, (a, b) in enumerate(zip(pi, pj, strict=True))}
        for key, value in greedy_flow.items():
            start[m + pair_index[key]] = value
    out = _solve(
        mip, options=options, deadline=started + options.time_limit, start=start,
        what="volunteer-centre",
        infeasible_fix="open more centres (p), raise volunteer-weeks or minutes, or drop "
        "must_serve.",
    )  # fmt: skip
    chosen = [int(j) for j in free if out.x[j] > 0.5]
    flows = {
        (int(pi[t]), int(pj[t])): float(out.x[m + t]) for t in np.flatnonzero(out.x[m:] > 1e-9)
    }
    return _capacitated_result(
        inst, chosen, flows, cap, status=out.status, objective=out.objective, bound=out.bound,
        must_serve=must_serve, started=started, threshold=threshold,
        heuristic=None if must_serve else heuristic, params=params_out,
    )  # fmt: skip


def _capacitated_mip(
    inst: _Instance, pi: IntArray, pj: IntArray, cap: FloatArray, *, p: int, must_serve: bool
) -> _Mip:
    """Capacitated coverage MIP over the pairs ``(pi, pj)`` within reach."""
    w = inst.weights
    m, k, free = len(inst.site_ids), len(pi), inst.free
    # columns: x (all sites, fixed at 1), y (pairs); rows: demand, capacity, y <= w x, sum x = p
    rows = [pi, len(w) + pj, len(w) + m + np.arange(k)]
    cols = [m + np.arange(k), m + np.arange(k), m + np.arange(k)]
    vals = [np.ones(k), np.ones(k), np.ones(k)]
    rows += [len(w) + np.arange(m), len(w) + m + np.arange(k), np.full(len(free), len(w) + m + k)]
    cols += [np.arange(m), pj, free]
    vals += [-cap, -w[pi], np.ones(len(free))]
    n_rows = len(w) + m + k + 1
    row_lower = np.full(n_rows, -np.inf)
    row_upper = np.zeros(n_rows)
    row_upper[: len(w)] = w
    if must_serve:
        row_lower[: len(w)] = w
    row_lower[-1] = row_upper[-1] = p
    return _Mip(
        cost=np.concatenate([np.zeros(m), inst.minutes[pi, pj] if must_serve else np.ones(k)]),
        lower=np.concatenate([inst.fixed.astype(np.float64), np.zeros(k)]),
        upper=np.concatenate([np.ones(m), np.full(k, np.inf)]),
        integer=np.concatenate([~inst.fixed, np.zeros(k, dtype=bool)]),
        rows=np.concatenate(rows),
        cols=np.concatenate(cols),
        vals=np.concatenate(vals),
        row_lower=row_lower,
        row_upper=row_upper,
        maximize=not must_serve,
    )


def _check_must_serve(inst: _Instance, p: int, cap: FloatArray, cover: BoolArray) -> None:
    w = inst.weights
    out_of_reach = (w > 0) & ~cover.any(axis=1)
    if out_of_reach.any():
        ids = inst.demand_ids[out_of_reach]
        raise SolverError(
            f"must-serve is infeasible: {len(ids)} commune(s) have no candidate or existing "
            f"centre within the time limit ({format_rows(ids)}).",
            field="must_serve",
            fix="raise minutes, add candidates near them, or drop must_serve.",
        )
    best_free = np.sort(cap[~inst.fixed])[::-1][:p].sum()
    total_cap = float(cap[inst.fixed].sum() + best_free)
    if total_cap < w.sum() - 1e-6:
        raise SolverError(
            f"must-serve is infeasible: demand {w.sum():,.0f} exceeds the capacity of the "
            f"{p} new and {int(inst.fixed.sum())} existing centre(s) ({total_cap:,.0f}).",
            field="capacities",
            fix="open more centres (p), raise volunteer-weeks or patients per FTE, or drop "
            "must_serve.",
        )


def _greedy_capacitated(
    inst: _Instance, p: int, cap: FloatArray, cover: BoolArray
) -> tuple[list[int], dict[tuple[int, int], float]]:
    residual = inst.weights.copy()
    load = np.zeros(len(cap))
    flows: dict[tuple[int, int], float] = {}

    def serve(j: int) -> None:
        order = np.argsort(inst.minutes[:, j], kind="stable")
        for i in order:
            if not cover[i, j] or residual[i] <= 0:
                continue
            amount = min(residual[i], cap[j] - load[j])
            if amount <= 0:
                break
            residual[i] -= amount
            load[j] += amount
            flows[(int(i), j)] = flows.get((int(i), j), 0.0) + float(amount)

    for site in np.flatnonzero(inst.fixed):
        serve(int(site))
    chosen: list[int] = []
    for _ in range(p):
        gain = np.minimum(cap - load, cover.T @ residual)
        gain[inst.fixed] = -np.inf
        gain[chosen] = -np.inf
        j = int(np.argmax(gain))
        chosen.append(j)
        serve(j)
    return chosen, flows


def _capacitated_result(
    inst: _Instance,
    chosen: list[int],
    flows: Mapping[tuple[int, int], float],
    cap: FloatArray,
    *,
    status: str,
    objective: float,
    bound: float,
    must_serve: bool,
    started: float,
    threshold: float,
    heuristic: float | None,
    params: Mapping[str, Any],
) -> SitingResult:
    served_by = np.zeros(len(inst.demand_ids))
    records: list[tuple[str, str | None, float, float, float, bool]] = []
    for (i, j), value in sorted(flows.items()):
        served_by[i] += value
        records.append(
            (str(inst.demand_ids[i]), str(inst.site_ids[j]), float(inst.minutes[i, j]),
             float(inst.weights[i]), value, True)
        )  # fmt: skip
    records.extend(
        (str(inst.demand_ids[i]), None, math.inf, float(inst.weights[i]), 0.0, False)
        for i in np.flatnonzero(served_by < inst.weights - 1e-6)
    )
    assignment = pd.DataFrame.from_records(
        records, columns=["id", "site_id", "minutes", "weight", "served", "covered"]
    )
    assignment["site_id"] = assignment["site_id"].astype("string")
    assignment["minutes"] = assignment["minutes"].astype("float64")
    open_mask = inst.fixed.copy()
    open_mask[chosen] = True
    load = assignment.groupby("site_id")["served"].sum()
    ids = inst.site_ids[open_mask].astype(str)
    site_table = pd.DataFrame(
        {
            "site_id": ids,
            "new": ~inst.fixed[open_mask],
            "served": load.reindex(ids).fillna(0.0).to_numpy(dtype=np.float64),
            "capacity": cap[open_mask],
            "days_per_week": np.nan,
        }
    )
    return _result(
        inst, model="volunteer_centres", chosen=chosen, status=status, objective=objective,
        sense="min" if must_serve else "max", bound=bound, started=started, threshold=threshold,
        heuristic=heuristic, parameters=params, assignment=assignment, site_table=site_table,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Multi-site rotation (MilleSoins)
# ---------------------------------------------------------------------------------------------


def _is_multiple(value: float, step: float) -> bool:
    ratio = value / step
    return abs(ratio - round(ratio)) < 1e-9


def rotation(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    team: float | Mapping[str, float],
    minutes: float = 20.0,
    objective: Literal["coverage", "deficit"] = "coverage",
    weight: str = "population",
    params: RotationParameters | None = None,
    apl_params: AplParameters | None = None,
    baseline_apl: pd.DataFrame | None = None,
    apl_target: float = 2.5,
    candidates: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    fixed: Sequence[str] = (),
    method: Method = "exact",
    solver: SolverOptions | None = None,
) -> SitingResult:
    """Multi-site rotation: how many consultation days a GP team holds at which sites.

    The team's days per week (``team``) are spread over sites in steps of ``params.day_step``;
    a site that gets days gets at least ``min_days`` and at most ``max_days``; ``fixed`` sites
    (the network's existing MSPs) must get days. Objectives:

    - ``"coverage"``: maximise the population within ``t < minutes`` of a staffed site; among
      the optimal site sets, days then go where the most population is within reach
      (lexicographic second stage).
    - ``"deficit"``: minimise the population-weighted APL deficit
      ``sum_i w_i max(0, apl_target - APL_i)``, where ``APL_i = baseline_i + sum_j f(t_ij) s_j /
      P_j``: days ``d_j`` give ``s_j = d_j / days_per_fte * acts_per_fte`` acts, ``f`` is the
      DREES time decay and ``P_j = sum_k f(t_kj) w_k`` the demand around ``j`` (two-step
      floating catchment, as DREES computes APL). Use ``weight="pop_std"`` to match DREES.

    Parameters
    ----------
    od
        Long travel-time table (``origin_id, dest_id, minutes, method``).
    demand
        ``id`` and the ``weight`` column.
    team
        Total doctor-days per week, or days per GP (``{"gp1": 4, "gp2": 3.5}``).
    minutes
        Coverage threshold ``T`` (``t < T``) for ``"coverage"``.
    objective
        ``"coverage"`` or ``"deficit"``.
    weight
        Demand column.
    params
        Days per FTE, acts per FTE, min/max days per site, day step.
    apl_params
        DREES parameters (time decay); default :class:`accessmap.indicators.AplParameters`.
    baseline_apl
        ``id, apl`` before the rotation (e.g. from :func:`accessmap.indicators.apl` on the
        remaining supply); default 0 everywhere.
    apl_target
        APL the deficit is measured against (2.5).
    candidates
        Candidate site ids (default: every ``dest_id`` of ``od``).
    exclude
        Candidate ids never to staff.
    fixed
        Sites that must get days.
    method
        ``"exact"`` or ``"greedy"``.
    solver
        HiGHS options.

    Returns
    -------
    SitingResult
        ``site_table.days_per_week`` per staffed site and ``rotation`` (``gp_id, site_id,
        days_per_week``); ``objective`` = population covered or the remaining APL deficit.

    Raises
    ------
    ValidationError
        Team days not a multiple of ``day_step``, more days than the sites can host, bad inputs.
    SolverError
        HiGHS found no rota.

    References
    ----------
    Church R. L., ReVelle C., "The maximal covering location problem" (1974); DREES, « L'APL aux
    médecins généralistes », Document de travail n° 124 (2012); Luo W., Qi Y., "An enhanced
    two-step floating catchment area (E2SFCA) method", Health & Place 15 (2009) 1100-1107;
    pôle de santé MilleSoins (territory facts).
    """
    started = time.perf_counter()
    options = solver or SolverOptions()
    rp = params or RotationParameters()
    if apl_params is None:
        from accessmap.indicators import AplParameters

        apl_params = AplParameters()
    gp_days = _team_days(team, rp)
    total = float(sum(gp_days.values()))
    threshold = _check_minutes(minutes)
    if objective not in ("coverage", "deficit"):
        raise ValidationError(
            f"unknown objective {objective!r}.", field="objective", fix="use coverage or deficit."
        )
    _check_method(method)
    inst = _instance(od, demand, weight=weight, candidates=candidates, exclude=exclude, fixed=fixed)
    m = len(inst.site_ids)
    steps_total = round(total / rp.day_step)
    lo_steps = round(rp.min_days / rp.day_step)
    hi_steps = round(rp.max_days / rp.day_step)
    if steps_total > m * hi_steps or int(inst.fixed.sum()) * max(lo_steps, 1) > steps_total:
        raise ValidationError(
            f"{total:g} team days cannot be spread over {m} site(s) with {rp.min_days:g} to "
            f"{rp.max_days:g} days each ({int(inst.fixed.sum())} mandatory).",
            field="team",
            fix="change the team days, max_days, the candidates or the mandatory sites.",
        )
    params_out = _params(
        team_days=total, minutes=threshold, objective=objective, weight=weight, method=method,
        apl_target=apl_target if objective == "deficit" else None,
        days_per_fte=rp.days_per_fte, acts_per_fte=rp.acts_per_fte,
    )  # fmt: skip
    w = inst.weights
    cover = inst.covered(threshold)
    base = np.zeros(len(w))
    if baseline_apl is not None:
        if not {"id", "apl"} <= set(baseline_apl.columns):
            raise ValidationError(
                "missing column(s) id/apl.", field="baseline_apl", fix="pass indicators.apl(...)."
            )
        base = (
            baseline_apl.assign(id=baseline_apl["id"].astype(str))
            .set_index("id")["apl"]
            .reindex(inst.demand_ids.astype(str))
            .fillna(0.0)
            .to_numpy(dtype=np.float64)
        )
    from accessmap.indicators import apl_weights

    decay = apl_weights(inst.minutes, params=apl_params)
    catchment = decay.T @ w
    acts_per_step = rp.day_step / rp.days_per_fte * rp.acts_per_fte
    gain = np.where(catchment > 0, decay * acts_per_step / np.where(catchment > 0, catchment, 1), 0)

    def value(steps: IntArray) -> float:
        if objective == "coverage":
            return _coverage_value(inst, steps > 0, threshold)
        apl_now = base + gain @ steps
        return float((w * np.maximum(0.0, apl_target - apl_now)).sum())

    greedy_steps = _greedy_rotation(
        inst, steps_total, lo_steps, hi_steps, value=value, maximize=objective == "coverage"
    )
    heuristic = value(greedy_steps)
    if method == "greedy":
        return _rotation_result(
            inst, greedy_steps, rp, gp_days, status="heuristic", objective=heuristic,
            bound=math.nan, sense="max" if objective == "coverage" else "min",
            started=started, threshold=threshold, heuristic=None, params=params_out,
        )  # fmt: skip
    mip = _rotation_mip(
        inst, cover=cover if objective == "coverage" else None, gain=gain,
        deficit_floor=apl_target - base, lo_steps=lo_steps, hi_steps=hi_steps,
        steps_total=steps_total,
    )  # fmt: skip
    g = greedy_steps.astype(np.float64)
    third = (
        cover[:, g > 0].any(axis=1).astype(np.float64)
        if objective == "coverage"
        else np.maximum(0.0, apl_target - base - gain @ g)
    )
    start = np.concatenate([(g > 0).astype(np.float64), g, third])
    deadline = started + options.time_limit
    out = _solve(
        mip, options=options, deadline=deadline, start=start, what="rotation",
        infeasible_fix="change the team days, the mandatory sites or max_days.",
    )  # fmt: skip
    steps = np.round(out.x[m : 2 * m]).astype(np.int64)
    status, bound = out.status, out.bound
    if objective == "coverage" and out.status == "optimal":
        second = _rotation_second_stage(mip, out, inst, cover, options, deadline, m)
        steps = steps if second is None else second
    return _rotation_result(
        inst, steps, rp, gp_days, status=status, objective=value(steps), bound=bound,
        sense="max" if objective == "coverage" else "min", started=started,
        threshold=threshold, heuristic=heuristic, params=params_out,
    )  # fmt: skip


def _rotation_mip(
    inst: _Instance,
    *,
    cover: BoolArray | None,
    gain: FloatArray,
    deficit_floor: FloatArray,
    lo_steps: int,
    hi_steps: int,
    steps_total: int,
) -> _Mip:
    """Rotation MIP: coverage (``cover`` given) or APL deficit (``gain``, ``deficit_floor``)."""
    # columns: x (site staffed), k (day steps), then z (coverage) or s (deficit)
    n, m = gain.shape[0], len(inst.site_ids)
    w = inst.weights
    lo_eff = max(lo_steps, 1)
    rows = [np.arange(m), np.arange(m), m + np.arange(m), m + np.arange(m), np.full(m, 2 * m)]
    cols = [np.arange(m), m + np.arange(m), np.arange(m), m + np.arange(m), m + np.arange(m)]
    vals = [np.full(m, float(lo_eff)), -np.ones(m), -np.full(m, float(hi_steps)), np.ones(m)]
    vals.append(np.ones(m))
    total = np.array([float(steps_total)])
    row_lower = [np.full(m, -np.inf), np.full(m, -np.inf), total]
    row_upper = [np.zeros(m), np.zeros(m), total]
    if cover is not None:
        ci, cj = np.nonzero(cover)
        rows += [2 * m + 1 + ci, 2 * m + 1 + np.arange(n)]
        cols += [cj, 2 * m + np.arange(n)]
        vals += [-np.ones(len(ci)), np.ones(n)]
        row_lower.append(np.full(n, -np.inf))
        row_upper.append(np.zeros(n))
        cost = np.concatenate([np.zeros(2 * m), w])
        upper3 = np.ones(n)
        maximize = True
    else:
        # s_i + sum_j gain_ij k_j >= target - base_i
        gi, gj = np.nonzero(gain > 0)
        rows += [2 * m + 1 + gi, 2 * m + 1 + np.arange(n)]
        cols += [m + gj, 2 * m + np.arange(n)]
        vals += [gain[gi, gj], np.ones(n)]
        row_lower.append(deficit_floor)
        row_upper.append(np.full(n, np.inf))
        cost = np.concatenate([np.zeros(2 * m), w])
        upper3 = np.full(n, np.inf)
        maximize = False
    return _Mip(
        cost=cost,
        lower=np.concatenate([inst.fixed.astype(np.float64), np.zeros(m + n)]),
        upper=np.concatenate([np.ones(m), np.full(m, float(hi_steps)), upper3]),
        integer=np.concatenate([np.ones(2 * m, dtype=bool), np.zeros(n, dtype=bool)]),
        rows=np.concatenate(rows),
        cols=np.concatenate(cols),
        vals=np.concatenate(vals),
        row_lower=np.concatenate(row_lower),
        row_upper=np.concatenate(row_upper),
        maximize=maximize,
    )


def _rotation_second_stage(
    mip: _Mip,
    first: _Outcome,
    inst: _Instance,
    cover: BoolArray,
    options: SolverOptions,
    deadline: float,
    m: int,
) -> IntArray | None:
    """Keep the optimal coverage, then give days to sites with the most population in reach."""
    n_cols = len(mip.cost)
    reach = cover.T @ inst.weights
    cost = np.zeros(n_cols)
    cost[m : 2 * m] = reach
    keep_row = len(mip.row_lower)
    coverage_cols = np.arange(2 * m, n_cols)
    second = _Mip(
        cost=cost,
        lower=mip.lower,
        upper=mip.upper,
        integer=mip.integer,
        rows=np.concatenate([mip.rows, np.full(len(coverage_cols), keep_row)]),
        cols=np.concatenate([mip.cols, coverage_cols]),
        vals=np.concatenate([mip.vals, mip.cost[coverage_cols]]),
        row_lower=np.concatenate([mip.row_lower, [first.objective * (1 - 1e-9) - 1e-9]]),
        row_upper=np.concatenate([mip.row_upper, [np.inf]]),
        maximize=True,
    )
    try:
        out = _solve(
            second, options=options, deadline=deadline, start=first.x, what="rotation",
            infeasible_fix="report this as a bug.",
        )  # fmt: skip
    except SolverError:
        return None
    return np.round(out.x[m : 2 * m]).astype(np.int64)


def _team_days(team: float | Mapping[str, float], rp: RotationParameters) -> dict[str, float]:
    days = {"team": float(team)} if isinstance(team, int | float) else dict(team.items())
    if not days:
        raise ValidationError("the team is empty.", field="team", fix="give days per GP.")
    for gp, raw in days.items():
        value = float(raw)
        if not (math.isfinite(value) and value > 0) or not _is_multiple(value, rp.day_step):
            raise ValidationError(
                f"days of {gp} must be a positive multiple of {rp.day_step}, got {value}.",
                field="team",
                fix=f"round the days to multiples of {rp.day_step}.",
            )
        days[str(gp)] = value
    return days


def _greedy_rotation(
    inst: _Instance,
    steps_total: int,
    lo_steps: int,
    hi_steps: int,
    *,
    value: Callable[[IntArray], float],
    maximize: bool,
) -> IntArray:
    m = len(inst.site_ids)
    lo_eff = max(lo_steps, 1)
    steps = np.zeros(m, dtype=np.int64)
    steps[inst.fixed] = lo_eff
    left = steps_total - int(steps.sum())
    sign = 1.0 if maximize else -1.0
    while left > 0:
        current = value(steps)
        best: tuple[float, int, int] | None = None
        for j in range(m):
            add = lo_eff if steps[j] == 0 else 1
            if add > left or steps[j] + add > hi_steps:
                continue
            trial = steps.copy()
            trial[j] += add
            rate = sign * (value(trial) - current) / add
            if best is None or rate > best[0] + 1e-12:
                best = (rate, j, add)
        if best is None:
            raise ValidationError(
                "the greedy rota cannot place all team days.",
                field="team",
                fix="lower the team days or raise max_days.",
            )
        steps[best[1]] += best[2]
        left -= best[2]
    return steps


def _rotation_result(
    inst: _Instance,
    steps: IntArray,
    rp: RotationParameters,
    gp_days: Mapping[str, float],
    *,
    status: str,
    objective: float,
    bound: float,
    sense: str,
    started: float,
    threshold: float,
    heuristic: float | None,
    params: Mapping[str, Any],
) -> SitingResult:
    staffed = steps > 0
    days = steps * rp.day_step
    chosen = [int(j) for j in np.flatnonzero(staffed & ~inst.fixed)]
    assignment = _nearest_assignment(inst, staffed, threshold=threshold)
    served = assignment.groupby("site_id")["served"].sum()
    ids = inst.site_ids[staffed].astype(str)
    site_table = pd.DataFrame(
        {
            "site_id": ids,
            "new": ~inst.fixed[staffed],
            "served": served.reindex(ids).fillna(0.0).to_numpy(dtype=np.float64),
            "capacity": np.nan,
            "days_per_week": days[staffed].astype(np.float64),
        }
    )
    # split site days among GPs, north-west corner rule (sites with most days first)
    records: list[tuple[str, str, float]] = []
    order = site_table.sort_values(["days_per_week", "site_id"], ascending=[False, True])
    site_left = list(zip(order["site_id"], order["days_per_week"], strict=True))
    gp_left = list(gp_days.items())
    si = gi = 0
    remaining_site = site_left[0][1] if site_left else 0.0
    remaining_gp = gp_left[0][1] if gp_left else 0.0
    while si < len(site_left) and gi < len(gp_left):
        amount = min(remaining_site, remaining_gp)
        if amount > 1e-9:
            records.append((gp_left[gi][0], site_left[si][0], float(amount)))
        remaining_site -= amount
        remaining_gp -= amount
        if remaining_site <= 1e-9:
            si += 1
            remaining_site = site_left[si][1] if si < len(site_left) else 0.0
        if remaining_gp <= 1e-9:
            gi += 1
            remaining_gp = gp_left[gi][1] if gi < len(gp_left) else 0.0
    table = pd.DataFrame.from_records(records, columns=["gp_id", "site_id", "days_per_week"])
    return _result(
        inst, model="rotation", chosen=chosen, status=status, objective=objective, sense=sense,
        bound=bound, started=started, threshold=threshold, heuristic=heuristic,
        parameters=params, assignment=assignment, site_table=site_table, rotation_table=table,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Dispatcher
# ---------------------------------------------------------------------------------------------

#: Model names accepted by :func:`run_model` and the CLI.
MODELS: tuple[str, ...] = ("mclp", "lscp", "p_median", "p_center", "volunteer_centres")


def run_model(
    model: str,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    p: int | None = None,
    minutes: float | None = None,
    **options: Any,
) -> SitingResult:
    """Run a siting model by name (for the CLI and scenario files).

    Parameters
    ----------
    model
        One of :data:`MODELS` (``p-median`` and ``p-center`` spellings are accepted).
    od
        Long travel-time table.
    demand
        ``id`` and the weight column.
    p
        New sites (all models but LSCP).
    minutes
        Coverage threshold (MCLP, LSCP, volunteer centres).
    **options
        Keyword options of the model function (``weight``, ``candidates``, ``fixed``...).

    Returns
    -------
    SitingResult
        The model's answer.

    Raises
    ------
    ValidationError
        Unknown model, or ``p`` / ``minutes`` missing where the model needs them.

    References
    ----------
    See :func:`mclp`, :func:`lscp`, :func:`p_median`, :func:`p_center`,
    :func:`volunteer_centres`.
    """
    name = model.strip().lower().replace("-", "_")
    needs_p = name in ("mclp", "p_median", "p_center", "volunteer_centres")
    needs_minutes = name in ("mclp", "lscp", "volunteer_centres")
    if name not in MODELS:
        raise ValidationError(
            f"unknown model {model!r}.", field="model", fix=f"use one of {', '.join(MODELS)}."
        )
    if needs_p and p is None:
        raise ValidationError(f"{name} needs p.", field="p", fix="give --p 1, 2, 3...")
    if needs_minutes and minutes is None:
        raise ValidationError(f"{name} needs minutes.", field="minutes", fix="give --minutes 20.")
    if name == "mclp":
        return mclp(od, demand, p=int(p or 0), minutes=float(minutes or 0), **options)
    if name == "lscp":
        return lscp(od, demand, minutes=float(minutes or 0), **options)
    if name == "p_median":
        return p_median(od, demand, p=int(p or 0), **options)
    if name == "p_center":
        return p_center(od, demand, p=int(p or 0), **options)
    return volunteer_centres(od, demand, p=int(p or 0), minutes=float(minutes or 0), **options)
