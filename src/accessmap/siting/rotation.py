"""Multi-site rotation (MilleSoins): how many consultation days a GP team holds at which sites."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from accessmap.conventions import APL_PRIORITY, SITING_MINUTES
from accessmap.errors import SolverError, ValidationError
from accessmap.messages import Message
from accessmap.siting._highs import (
    BUG_ADVICE,
    Mip,
    Outcome,
    SolverOptions,
    check_objective,
    solve,
)
from accessmap.siting.instance import (
    BoolArray,
    FloatArray,
    Instance,
    IntArray,
    Method,
    build_instance,
    check_method,
    check_minutes,
    coverage_value,
    params_of,
)
from accessmap.siting.result import SitingResult, make_result, nearest_assignment

if TYPE_CHECKING:
    from accessmap.contracts import AplParameters

__all__ = ["RotationParameters", "rotation"]

_NAME = Message("siting.model_rotation")


def _is_multiple(value: float, step: float) -> bool:
    ratio = value / step
    return abs(ratio - round(ratio)) < 1e-9


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
                raise ValidationError("siting.not_positive", field=name, value=value)
        if not 0 <= self.min_days <= self.max_days:
            raise ValidationError(
                "siting.min_days_invalid",
                field="min_days",
                value=self.min_days,
                max_days=self.max_days,
            )
        for name in ("min_days", "max_days"):
            if not _is_multiple(getattr(self, name), self.day_step):
                raise ValidationError(
                    "siting.days_not_multiple",
                    field=name,
                    value=getattr(self, name),
                    step=self.day_step,
                )


def rotation(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    team: float | Mapping[str, float],
    minutes: float = SITING_MINUTES,
    objective: Literal["coverage", "deficit"] = "coverage",
    weight: str = "population",
    params: RotationParameters | None = None,
    apl_params: AplParameters | None = None,
    baseline_apl: pd.DataFrame | None = None,
    apl_target: float = APL_PRIORITY,
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
    gp_days = _team_days(team, rp)
    threshold = check_minutes(minutes)
    _check_objective_name(objective)
    check_method(method)
    maximize = objective == "coverage"
    inst = build_instance(
        od, demand, weight=weight, candidates=candidates, exclude=exclude, fixed=fixed
    )
    steps_total, lo_steps, hi_steps = _steps(inst, sum(gp_days.values()), rp)
    params_out = params_of(
        team_days=float(sum(gp_days.values())), minutes=threshold, objective=objective,
        weight=weight, method=method, apl_target=None if maximize else apl_target,
        days_per_fte=rp.days_per_fte, acts_per_fte=rp.acts_per_fte,
    )  # fmt: skip
    w = inst.weights
    cover = inst.covered(threshold)
    base = _baseline(baseline_apl, inst)
    gain = _apl_gain(inst, rp, apl_params)

    def value(steps: IntArray) -> float:
        if maximize:
            return coverage_value(inst, steps > 0, threshold)
        apl_now = base + gain @ steps
        return float((w * np.maximum(0.0, apl_target - apl_now)).sum())

    greedy_steps = _greedy_rotation(
        inst, steps_total, lo_steps, hi_steps, value=value, maximize=maximize
    )
    heuristic = value(greedy_steps)
    sense = "max" if maximize else "min"
    if method == "greedy":
        return _rotation_result(
            inst, greedy_steps, rp, gp_days, status="heuristic", objective=heuristic,
            bound=math.nan, sense=sense, started=started, threshold=threshold, heuristic=None,
            params=params_out,
        )  # fmt: skip
    floor = apl_target - base
    g = greedy_steps.astype(np.float64)
    third = cover[:, g > 0].any(axis=1) if maximize else np.maximum(0.0, floor - gain @ g)
    steps, out = _rotation_exact(
        inst, cover=cover if maximize else None, gain=gain, floor=floor,
        steps=(lo_steps, hi_steps, steps_total), value=value, options=options,
        deadline=started + options.seconds(),
        start=np.concatenate([g > 0, g, third]).astype(np.float64),
    )  # fmt: skip
    return _rotation_result(
        inst, steps, rp, gp_days, status=out.status, objective=value(steps), bound=out.bound,
        sense=sense, started=started, threshold=threshold, heuristic=heuristic,
        params=params_out, notes=out.notes,
    )  # fmt: skip


def _rotation_exact(
    inst: Instance,
    *,
    cover: BoolArray | None,
    gain: FloatArray,
    floor: FloatArray,
    steps: tuple[int, int, int],
    value: Callable[[IntArray], float],
    options: SolverOptions,
    deadline: float,
    start: FloatArray,
) -> tuple[IntArray, Outcome]:
    """Solve the rota MIP (then, for coverage, the second stage); return steps and outcome."""
    lo_steps, hi_steps, steps_total = steps
    m = len(inst.site_ids)
    mip = _rotation_mip(
        inst, cover=cover, gain=gain, deficit_floor=floor, lo_steps=lo_steps,
        hi_steps=hi_steps, steps_total=steps_total,
    )  # fmt: skip
    out = solve(
        mip, options=options, deadline=deadline, start=start, what=_NAME,
        infeasible_fix=Message("siting.advice_rotation"),
    )  # fmt: skip
    chosen = np.round(out.x[m : 2 * m]).astype(np.int64)
    out = check_objective(
        out, value=value(chosen), reported=out.objective, maximize=cover is not None,
        what=_NAME,
    )  # fmt: skip
    if cover is not None and out.status == "optimal":
        second = _rotation_second_stage(mip, out, inst, cover, options, deadline, m)
        chosen = chosen if second is None else second
    return chosen, out


def _check_objective_name(objective: str) -> None:
    if objective not in ("coverage", "deficit"):
        raise ValidationError("siting.unknown_objective", field="objective", objective=objective)


def _steps(inst: Instance, total: float, rp: RotationParameters) -> tuple[int, int, int]:
    """Team days, and the min and max days per site, in rota steps (checked to fit)."""
    m = len(inst.site_ids)
    steps_total = round(total / rp.day_step)
    lo_steps = round(rp.min_days / rp.day_step)
    hi_steps = round(rp.max_days / rp.day_step)
    if steps_total > m * hi_steps or int(inst.fixed.sum()) * max(lo_steps, 1) > steps_total:
        raise ValidationError(
            "siting.team_days_unplaceable",
            field="team",
            days=total,
            sites=m,
            min_days=rp.min_days,
            max_days=rp.max_days,
            mandatory=int(inst.fixed.sum()),
        )
    return steps_total, lo_steps, hi_steps


def _baseline(baseline_apl: pd.DataFrame | None, inst: Instance) -> FloatArray:
    """APL of each demand before the rota (0 when not given)."""
    if baseline_apl is None:
        return np.zeros(len(inst.demand_ids))
    if not {"id", "apl"} <= set(baseline_apl.columns):
        raise ValidationError("siting.apl_columns", field="baseline_apl")
    return (
        baseline_apl.assign(id=baseline_apl["id"].astype(str))
        .set_index("id")["apl"]
        .reindex(inst.demand_ids.astype(str))
        .fillna(0.0)
        .to_numpy(dtype=np.float64)
    )


def _apl_gain(
    inst: Instance, rp: RotationParameters, apl_params: AplParameters | None
) -> FloatArray:
    """APL gained by each demand per rota step at each site (two-step floating catchment)."""
    from accessmap.contracts import AplParameters
    from accessmap.indicators import apl_weights

    decay = apl_weights(inst.minutes, params=apl_params or AplParameters())
    catchment = decay.T @ inst.weights
    acts_per_step = rp.day_step / rp.days_per_fte * rp.acts_per_fte
    safe = np.where(catchment > 0, catchment, 1.0)
    return np.asarray(np.where(catchment > 0, decay * acts_per_step / safe, 0.0), dtype=np.float64)


def _rotation_mip(
    inst: Instance,
    *,
    cover: BoolArray | None,
    gain: FloatArray,
    deficit_floor: FloatArray,
    lo_steps: int,
    hi_steps: int,
    steps_total: int,
) -> Mip:
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
    return Mip(
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
    mip: Mip,
    first: Outcome,
    inst: Instance,
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
    second = Mip(
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
        out = solve(
            second, options=options, deadline=deadline, start=first.x, what=_NAME,
            infeasible_fix=BUG_ADVICE,
        )  # fmt: skip
    except SolverError:
        return None
    return np.round(out.x[m : 2 * m]).astype(np.int64)


def _team_days(team: float | Mapping[str, float], rp: RotationParameters) -> dict[str, float]:
    days = {"team": float(team)} if isinstance(team, int | float) else dict(team.items())
    if not days:
        raise ValidationError("siting.team_empty", field="team")
    for gp, raw in days.items():
        value = float(raw)
        if not (math.isfinite(value) and value > 0) or not _is_multiple(value, rp.day_step):
            raise ValidationError(
                "siting.gp_days_invalid", field="team", gp=str(gp), value=value, step=rp.day_step
            )
        days[str(gp)] = value
    return days


def _greedy_rotation(
    inst: Instance,
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
            if not _placeable(trial, left - add, lo_eff, hi_steps):
                continue
            rate = sign * (value(trial) - current) / add
            if best is None or rate > best[0] + 1e-12:
                best = (rate, j, add)
        if best is None:
            raise ValidationError("siting.greedy_rota_stuck", field="team")
        steps[best[1]] += best[2]
        left -= best[2]
    return steps


def _placeable(steps: IntArray, left: int, lo: int, hi: int) -> bool:
    """Tell whether ``left`` more steps fit in the rota.

    Any part goes to the staffed sites' slack, the rest to ``k`` new sites taking ``lo`` to ``hi``
    steps each.
    """
    if left == 0:
        return True
    staffed = steps > 0
    slack = int((hi - steps[staffed]).sum())
    empty = int((~staffed).sum())
    return any(max(0, left - slack) <= k * hi and k * lo <= left for k in range(empty + 1))


def _rotation_result(
    inst: Instance,
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
    notes: Sequence[Message] = (),
) -> SitingResult:
    staffed = steps > 0
    days = steps * rp.day_step
    chosen = [int(j) for j in np.flatnonzero(staffed & ~inst.fixed)]
    assignment = nearest_assignment(inst, staffed, threshold=threshold)
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
    return make_result(
        inst, model="rotation", chosen=chosen, status=status, objective=objective, sense=sense,
        bound=bound, started=started, threshold=threshold, heuristic=heuristic,
        parameters=params, assignment=assignment, site_table=site_table, rotation_table=table,
        notes=notes,
    )  # fmt: skip
