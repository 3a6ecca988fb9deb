"""Siting on the APL itself: the shared part of the APL models (problem, greedy, result).

With the DREES time decay ``f`` and the demand around a site ``P_j = sum_k f(t_kj) w_k``, ``a``
yearly acts placed at site ``j`` raise the APL of commune ``i`` by ``f(t_ij) a / P_j`` (times the
profession's scale): the APL is **linear in the supply placed**. A plan is an integer number of
new full-time equivalents (FTE) per site, ``x_j``; the APL after it is
``APL_i = base_i + sum_j g_ij x_j`` with ``g_ij = scale f(t_ij) acts_per_fte / P_j``, where
``base`` is the baseline (official APL plus the modelled change of the year, see
:func:`accessmap.siting.official_plus_change`), one row or one row per Monte Carlo draw.

Sites are of two kinds: **existing** ones (``fixed``: today's practices and MSPs, reinforced by
any whole number of FTE up to ``max_fte``) and **new** ones (``candidates``: a new MSP opens with a
team of at least ``team_min`` FTE, :data:`accessmap.conventions.MSP_MIN_GPS`, and at most
``max_fte``).

"At or above the threshold" is read with a tolerance: a commune counts when
``APL_i >= threshold - tol`` with ``tol = APL_TOL * max(1, threshold)``; the MIP asks for the
stricter ``threshold - tol / 2`` so that every answer of the solver, within its own feasibility
tolerance, holds on the data. The MIP itself is in :mod:`accessmap.siting._apl_mip`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from accessmap.contracts import AplParameters
from accessmap.conventions import APL_PRIORITY
from accessmap.errors import ValidationError
from accessmap.indicators.apl import apl_weights
from accessmap.messages import Message
from accessmap.professions import DEFAULT_PROFESSION, profession
from accessmap.siting.instance import (
    BoolArray,
    FloatArray,
    Instance,
    IntArray,
    build_instance,
    params_of,
)
from accessmap.siting.result import SitingResult, make_result, nearest_assignment

__all__ = [
    "APL_TOL",
    "DEFAULT_MAX_FTE",
    "AplProblem",
    "Budget",
    "Objective",
    "apl_result",
    "apl_threshold",
    "baseline_matrix",
    "build_problem",
    "communes_table",
    "greedy_plan",
    "now",
    "useful_caps",
]

#: Relative tolerance of "at or above the threshold" (see the module docstring).
APL_TOL = 1e-5
#: Largest new FTE at one site by default (a large MSP).
DEFAULT_MAX_FTE = 10

Objective = Literal["inhabitants", "deficit", "recruits"]


@dataclass(frozen=True, slots=True)
class AplProblem:
    """An APL siting problem: sites, the APL gain per FTE and the baselines.

    Attributes
    ----------
    inst
        The validated instance (existing sites ``fixed``, first).
    gain
        ``(n, m)`` APL gained by each commune per FTE at each site.
    base
        ``(S, n)`` baseline APL (one row, or one per draw).
    threshold
        The APL a commune must reach.
    cap
        ``(m,)`` most new FTE per site (0 when a new site cannot hold a team).
    team_min
        Fewest FTE of a new site.
    params
        Settings for :attr:`SitingResult.parameters`.
    """

    inst: Instance
    gain: FloatArray
    base: FloatArray
    threshold: float
    cap: IntArray
    team_min: int
    params: dict[str, Any]

    @property
    def people(self) -> FloatArray:
        """Inhabitants of each commune (the counted weight)."""
        return self.inst.weights

    @property
    def new(self) -> BoolArray:
        """Whether each site is a new one (team minimum applies)."""
        return ~self.inst.fixed

    @property
    def tol(self) -> float:
        """Tolerance of "at or above" on the data."""
        return APL_TOL * max(1.0, abs(self.threshold))

    def apl(self, x: npt.NDArray[Any]) -> FloatArray:
        """``(S, n)`` APL after placing ``x`` FTE."""
        return self.base + self.gain @ np.asarray(x, dtype=np.float64)

    def reached(self, x: npt.NDArray[Any]) -> BoolArray:
        """``(S, n)`` whether each commune is at or above the threshold after ``x`` (data)."""
        return self.apl(x) >= self.threshold - self.tol

    def need(self) -> FloatArray:
        """``(S, n)`` APL each commune lacks for the MIP's threshold (<= 0: already there)."""
        return self.threshold - self.tol / 2 - self.base

    def liftable(self) -> BoolArray:
        """``(S, n)`` whether the commune reaches the threshold with every site at its cap."""
        return self.need() <= self.gain @ self.cap.astype(np.float64) + 1e-12

    def inhabitants(self, x: npt.NDArray[Any]) -> float:
        """Mean over the baselines of the inhabitants at or above the threshold."""
        return float((self.reached(x) @ self.people).mean())

    def deficit(self, x: npt.NDArray[Any]) -> float:
        """Mean over the baselines of ``sum_i w_i max(0, threshold - APL_i)``."""
        return float((np.maximum(0.0, self.threshold - self.apl(x)) @ self.people).mean())

    def feasible_plan(self, x: IntArray) -> bool:
        """Whether ``x`` respects the caps and the team minimum of new sites."""
        new_open = self.new & (x > 0)
        return bool(
            (x >= 0).all() and (x <= self.cap).all() and (x[new_open] >= self.team_min).all()
        )


@dataclass(frozen=True, slots=True)
class Budget:
    """At most ``recruits`` new FTE in all and ``sites`` new sites (``None``: no such limit)."""

    recruits: int | None
    sites: int | None


def _whole(value: object, *, field: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValidationError("siting.apl_whole_number", field=field, value=value, minimum=minimum)
    return int(value)


def baseline_matrix(baseline: object, ids: Sequence[str], *, field: str = "baseline") -> FloatArray:
    """Read baselines as an ``(S, n)`` array in the order of ``ids``.

    Parameters
    ----------
    baseline
        ``id, apl`` (one baseline), a wide table (one row per draw, one column per commune id),
        or an array ``(n,)`` / ``(S, n)`` in the order of the demand table.
    ids
        The demand ids.
    field
        Name for messages.

    Returns
    -------
    numpy.ndarray
        ``(S, n)`` float array, finite.

    Raises
    ------
    ValidationError
        A commune without a value, a non-finite value, a wrong shape.
    """
    keys = [str(i) for i in ids]
    if isinstance(baseline, pd.DataFrame):
        if {"id", "apl"} <= set(baseline.columns):
            series = baseline.assign(id=baseline["id"].astype(str)).set_index("id")["apl"]
            if series.index.has_duplicates:
                raise ValidationError("siting.apl_baseline_duplicates", field=field)
            values = pd.to_numeric(series, errors="coerce").reindex(keys).to_numpy(np.float64)
            values = values[None, :]
        else:
            wide = baseline.rename(columns=str)
            missing = [k for k in keys if k not in wide.columns]
            if missing:
                raise ValidationError(
                    "siting.apl_baseline_missing", field=field, count=len(missing), ids=missing
                )
            values = _numeric(wide[keys])
    else:
        raw = np.asarray(baseline, dtype=np.float64)
        values = raw.reshape(1, -1) if raw.ndim == 1 else raw
        shape: tuple[int, ...] = values.shape
        if len(shape) != 2 or shape[1] != len(keys) or shape[0] == 0:
            raise ValidationError(
                "siting.apl_baseline_shape", field=field, shape=list(shape), n=len(keys)
            )
    bad = np.asarray(~np.isfinite(values).all(axis=0), dtype=bool)
    if bad.any():
        ids_bad = [k for k, b in zip(keys, bad, strict=True) if b]
        raise ValidationError(
            "siting.apl_baseline_missing", field=field, count=len(ids_bad), ids=ids_bad
        )
    return values


def _numeric(table: pd.DataFrame) -> FloatArray:
    """Return the table as floats (non-numbers: NaN); numeric columns are read in one go."""
    if not all(pd.api.types.is_numeric_dtype(t) for t in table.dtypes):
        table = table.apply(pd.to_numeric, errors="coerce")
    return np.asarray(table.to_numpy(np.float64), dtype=np.float64)


def apl_threshold(threshold: float | None, key: str) -> float:
    """Return the APL threshold: ``threshold``, or 2.5 for GPs (others must give one)."""
    if threshold is None:
        if key != DEFAULT_PROFESSION:
            raise ValidationError("siting.apl_threshold_needed", field="threshold", profession=key)
        return APL_PRIORITY
    value = float(threshold)
    if not (math.isfinite(value) and value > 0):
        raise ValidationError("siting.not_positive", field="threshold", value=threshold)
    return value


def _gain(
    inst: Instance,
    apl_weight: FloatArray,
    *,
    params: AplParameters,
    per_fte: float,
    scale: float = 1.0,
) -> FloatArray:
    """APL gained by each commune per FTE at each site (two-step catchment), times ``scale``."""
    gain = np.asarray(apl_weights(inst.minutes, params=params), dtype=np.float64)
    catchment = gain.T @ apl_weight
    served = catchment > 0
    # in place (the communes x sites matrix once, not four times): (decay x per_fte) / P_j
    gain *= per_fte
    gain /= np.where(served, catchment, 1.0)
    gain[:, ~served] = 0.0
    gain *= scale
    return gain


def build_problem(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    baseline: object,
    weight: str,
    apl_weight: str | None,
    profession_key: str,
    threshold: float | None,
    team_min: int,
    max_fte: int,
    acts_per_fte: float | None,
    candidates: Sequence[str] | None,
    exclude: Sequence[str],
    fixed: Sequence[str],
) -> AplProblem:
    """Validate the inputs of an APL siting model and build its problem.

    Parameters
    ----------
    od, demand, weight, candidates, exclude, fixed
        As for every siting model; ``fixed`` are the existing sites (reinforced without a team
        minimum), the others new sites.
    baseline
        See :func:`baseline_matrix`.
    apl_weight
        Demand column of the catchments ``P_j`` (``pop_std`` as DREES; ``None``: ``weight``).
    profession_key
        A profession of the registry with an APL (its scale, decay and FTE activity).
    threshold
        APL to reach (``None``: 2.5 for GPs; required for other professions).
    team_min, max_fte
        Fewest FTE of a new site, most new FTE at any site.
    acts_per_fte
        Acts of one new FTE (``None``: the profession's new-installation activity).

    Returns
    -------
    AplProblem

    Raises
    ------
    ValidationError
        Bad tables or ids, a profession without APL, bad numbers.
    """
    prof = profession(profession_key)
    if prof.indicator != "apl" or prof.params is None:
        raise ValidationError(
            "siting.apl_profession_no_apl", field="profession", profession=prof.key
        )
    level = apl_threshold(threshold, prof.key)
    team = _whole(team_min, field="team_min", minimum=1)
    top = _whole(max_fte, field="max_fte", minimum=1)
    per_fte = prof.params.new_gp_acts if acts_per_fte is None else float(acts_per_fte)
    if not (math.isfinite(per_fte) and per_fte > 0):
        raise ValidationError("siting.not_positive", field="acts_per_fte", value=acts_per_fte)
    inst = build_instance(
        od, demand, weight=weight, candidates=candidates, exclude=exclude, fixed=fixed
    )
    column = weight if apl_weight is None else apl_weight
    if column not in demand.columns:
        raise ValidationError("siting.apl_weight_missing", field="apl_weight", column=column)
    by_id = demand.assign(id=demand["id"].astype(str)).set_index("id")[column]
    catch_w = pd.to_numeric(by_id, errors="coerce").reindex(inst.demand_ids.astype(str))
    catch = catch_w.fillna(0.0).clip(lower=0.0).to_numpy(np.float64)
    gain = _gain(inst, catch, params=prof.params, per_fte=per_fte, scale=prof.scale)
    base = baseline_matrix(baseline, inst.demand_ids.astype(str).tolist())
    cap = useful_caps(gain, base, inst.weights, fixed=inst.fixed, level=level, team=team, top=top)
    params = params_of(
        weight=weight, apl_weight=column, profession=prof.key, threshold=level, team_min=team,
        max_fte=top, acts_per_fte=per_fte, draws=int(base.shape[0]),
    )  # fmt: skip
    return AplProblem(
        inst=inst, gain=gain, base=base, threshold=level, cap=cap, team_min=team, params=params
    )


#: Communes x sites values per block of :func:`useful_caps` (8 MiB of float64 at a time).
_CAPS_BLOCK = 1 << 20


def useful_caps(
    gain: FloatArray,
    base: FloatArray,
    people: FloatArray,
    *,
    fixed: BoolArray,
    level: float,
    team: int,
    top: int,
) -> IntArray:
    """Most FTE worth placing at each site: ``max_fte``, or fewer when fewer lift all it reaches.

    Once ``x_j >= (level - base_i) / g_ij`` for every inhabited commune ``i`` below the level that
    site ``j`` reaches (in every baseline), more FTE at ``j`` changes no commune's count nor its
    deficit: every optimum of the three objectives has a twin within these caps, which tighten
    the MIP (its ``x <= cap y`` rows). A new site's cap is at least the team (or 0 when the team
    does not fit in ``max_fte`` or the site helps nobody).
    """
    short = np.where(people > 0, (level - base).max(axis=0), 0.0)
    worth = np.zeros(gain.shape[1], dtype=np.int64)
    # block of sites by block of sites: the temporaries stay small whatever the territory
    step = max(1, _CAPS_BLOCK // max(1, gain.shape[0]))
    for a in range(0, gain.shape[1], step):
        block = gain[:, a : a + step]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where((block > 0) & (short[:, None] > 0), short[:, None] / block, 0.0)
        worth[a : a + step] = np.ceil(ratio.max(axis=0, initial=0.0))
    cap = np.minimum(top, np.where(fixed | (worth == 0), worth, np.maximum(worth, team)))
    cap[~fixed & (team > top)] = 0
    return np.asarray(cap, dtype=np.int64)


# --- the greedy plan ------------------------------------------------------------------------------


def _steps(problem: AplProblem, x: IntArray, budget: Budget) -> IntArray:
    """FTE the next greedy move adds at each site (0: no move there)."""
    new = problem.new
    add = np.where(new & (x == 0), problem.team_min, 1).astype(np.int64)
    ok = x + add <= problem.cap
    if budget.recruits is not None:
        ok &= add <= budget.recruits - int(x.sum())
    if budget.sites is not None and int((new & (x > 0)).sum()) >= budget.sites:
        ok &= ~(new & (x == 0))
    return np.where(ok, add, 0)


def _scores(
    problem: AplProblem,
    pairs: tuple[IntArray, IntArray, FloatArray],
    apl_now: FloatArray,
    add: IntArray,
    weights: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Per-FTE gain of each move: (inhabitants newly at the threshold, deficit reduced).

    Computed on the reachable pairs only (``g_ij > 0``, weighted communes): O(pairs) a move.
    """
    level = problem.threshold
    cut = level - problem.tol / 2
    m = problem.gain.shape[1]
    pi, pj, pg = pairs
    step = pg * add[pj]
    w = weights[pi]
    reach = np.zeros(m)
    fill = np.zeros(m)
    for row in apl_now:
        now = row[pi]
        after = now + step
        hit = (after >= cut) & (now < cut)
        reach += np.bincount(pj, weights=w * hit, minlength=m)
        gained = np.minimum(after, level) - np.minimum(now, level)
        fill += np.bincount(pj, weights=w * gained, minlength=m)
    per = np.where(add > 0, 1.0 / np.maximum(add, 1), 0.0)
    return reach * per, fill * per


def greedy_plan(
    problem: AplProblem,
    budget: Budget,
    *,
    objective: Objective,
    weights: FloatArray | None = None,
    done: Callable[[IntArray], bool] | None = None,
) -> IntArray:
    """Add FTE one move at a time (a whole team at a new site), the best gain per FTE first.

    ``inhabitants`` ranks moves by inhabitants brought to the threshold, then by deficit reduced;
    ``deficit`` and ``recruits`` by the (weighted) deficit reduced. Stops when ``done(x)`` holds,
    the budget is spent or no move helps.

    Parameters
    ----------
    problem
        The problem.
    budget
        Recruits and new sites allowed.
    objective
        What the moves are ranked by.
    weights
        Weight of each commune in the scores (default: its inhabitants).
    done
        Stop rule (e.g. every required commune reached).

    Returns
    -------
    numpy.ndarray
        FTE per site.
    """
    w = problem.people if weights is None else weights
    x = np.zeros(len(problem.cap), dtype=np.int64)
    pi, pj = np.nonzero((problem.gain > 0) & (w > 0)[:, None])
    pairs = (pi.astype(np.int64), pj.astype(np.int64), problem.gain[pi, pj])
    apl_now = problem.base.copy()
    while done is None or not done(x):
        add = _steps(problem, x, budget)
        if not add.any():
            break
        reach, fill = _scores(problem, pairs, apl_now, add, w)
        if objective == "inhabitants":
            key = np.where(add > 0, reach * 1e6 + fill, -np.inf)
            useful = (reach > 0) | (fill > 1e-12)
        else:
            key = np.where(add > 0, fill, -np.inf)
            useful = fill > 1e-12
        if not (useful & (add > 0)).any():
            break
        j = int(np.argmax(np.where(useful, key, -np.inf)))
        x[j] += add[j]
        apl_now += problem.gain[:, j] * add[j]
    return x


# --- the result ------------------------------------------------------------------------------


def communes_table(problem: AplProblem, x: IntArray) -> pd.DataFrame:
    """One row per commune: baseline, APL after the plan, whether it reaches the threshold.

    ``baseline_apl`` and ``apl`` are means over the baselines; ``p_reached`` the share of the
    baselines where the commune is at or above the threshold after the plan; ``reason`` says why a
    commune below the threshold in some baseline cannot be lifted by any plan (``no_site`` when no
    site is within reach, ``capacity`` when every site at its cap is not enough), else missing.
    """
    after = problem.apl(x)
    lift = problem.liftable()
    below = problem.need() > 0
    stuck = np.asarray((below & ~lift).any(axis=0), dtype=bool)
    reach = (problem.gain > 0).any(axis=1)
    reason = pd.Series(np.where(reach, "capacity", "no_site"), dtype="string").where(stuck)
    return pd.DataFrame(
        {
            "id": problem.inst.demand_ids.astype(str),
            "weight": problem.people,
            "baseline_apl": problem.base.mean(axis=0),
            "apl": after.mean(axis=0),
            "gain": (problem.gain @ x.astype(np.float64)),
            "p_reached": problem.reached(x).mean(axis=0),
            "liftable": ~stuck,
            "reason": reason.to_numpy(),
        }
    )


def unliftable_note(problem: AplProblem, communes: pd.DataFrame) -> Message | None:
    """Name the inhabited communes no plan can bring to the threshold, with why (a note)."""
    stuck = communes[communes["reason"].notna() & (communes["weight"] > 0)]
    if stuck.empty:
        return None
    far = stuck.loc[stuck["reason"] == "no_site", "id"].tolist()
    short = stuck.loc[stuck["reason"] == "capacity", "id"].tolist()
    return Message(
        "siting.apl_unliftable", count=len(stuck), threshold=problem.threshold,
        far=far or ["—"], short=short or ["—"], max_fte=problem.params["max_fte"],
    )  # fmt: skip


def apl_result(
    problem: AplProblem,
    x: IntArray,
    *,
    model: str,
    status: str,
    objective: float,
    sense: str,
    bound: float,
    started: float,
    heuristic: float | None,
    parameters: Mapping[str, Any],
    notes: Sequence[Message] = (),
) -> SitingResult:
    """Assemble the :class:`SitingResult` of an APL plan (``site_table.fte``, ``communes``)."""
    inst = problem.inst
    placed = x > 0
    chosen = [int(j) for j in np.flatnonzero(placed & problem.new)]
    open_mask = inst.fixed | placed
    assignment = nearest_assignment(inst, open_mask, threshold=None)
    ids = inst.site_ids[placed].astype(str)
    site_table = pd.DataFrame(
        {
            "site_id": ids,
            "new": problem.new[placed],
            "served": ((problem.gain[:, placed] > 0).T @ problem.people).astype(np.float64),
            "capacity": np.nan,
            "days_per_week": np.nan,
            "fte": x[placed].astype(np.float64),
            "kind": np.where(problem.new[placed], "new_msp", "reinforced"),
        }
    )
    communes = communes_table(problem, x)
    note = unliftable_note(problem, communes)
    all_notes = [*notes, *([note] if note is not None else [])]
    return make_result(
        inst, model=model, chosen=chosen, status=status, objective=objective, sense=sense,
        bound=bound, started=started, threshold=None, heuristic=heuristic,
        parameters={**problem.params, **parameters, "total_fte": int(x.sum()),
                    "new_sites": len(chosen)},
        assignment=assignment, site_table=site_table, notes=all_notes, communes=communes,
    )  # fmt: skip


def now() -> float:
    """Return the clock every model starts from."""
    return time.perf_counter()
