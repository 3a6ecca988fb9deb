"""Recruits needed: the fewest new FTE, in teams, so that no commune stays under an APL level."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from accessmap.conventions import MSP_MIN_GPS
from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.siting._apl import (
    DEFAULT_MAX_FTE,
    AplProblem,
    Budget,
    build_problem,
    greedy_plan,
    now,
)
from accessmap.siting._apl_mip import plan_mip, run_plan
from accessmap.siting._highs import SolverOptions
from accessmap.siting.instance import BoolArray, FloatArray, IntArray, Method
from accessmap.siting.result import SitingResult

__all__ = ["apl_recruits"]

_NAME = Message("siting.model_apl_recruits")


def _share(share: float) -> float:
    value = float(share)
    if not (math.isfinite(value) and 0 < value <= 1):
        raise ValidationError("siting.apl_share_invalid", field="share", value=share)
    return value


def _requirement(
    problem: AplProblem, share: float
) -> tuple[BoolArray, float | None, list[Message]]:
    """Return the communes to lift, the inhabitants to reach among them (``None``: all), notes."""
    need = problem.need()[0]
    people = problem.people
    required = (need > 0) & problem.liftable()[0] & (people > 0)
    if share >= 1:
        return required, None, []
    already = float(people[need <= 0].sum())
    target = share * float(people.sum()) - already
    if target <= 0:
        return np.zeros_like(required), None, []
    reachable = float(people[required].sum())
    if target > reachable:
        note = Message(
            "siting.apl_share_capped", share=share, reached=(already + reachable) / people.sum()
        )
        return required, None, [note]
    return required, target * (1 - 1e-12), []


def _met(problem: AplProblem, required: BoolArray, need_weight: float | None, x: IntArray) -> bool:
    """Whether the plan ``x`` meets the requirement in the MIP's reading (strict threshold)."""
    return _met_by(problem, required, need_weight, problem.gain @ x.astype(np.float64))


def _met_by(
    problem: AplProblem, required: BoolArray, need_weight: float | None, added: FloatArray
) -> bool:
    """Whether the APL ``added`` to each commune meets the requirement (strict threshold)."""
    got = added >= problem.need()[0]
    if need_weight is None:
        return bool(got[required].all())
    return float(problem.people[required & got].sum()) >= need_weight


class _Tracker:
    """The greedy's stop rule, the APL added kept up to date from the sites that changed.

    The greedy adds FTE at one site a move: the rule reads ``g_ij`` of that site only, not the
    whole product ``gain @ x`` (O(communes) a move instead of O(communes x sites)).
    """

    def __init__(
        self, problem: AplProblem, required: BoolArray, *, need_weight: float | None
    ) -> None:
        self.problem, self.required, self.need_weight = problem, required, need_weight
        self.x = np.zeros(len(problem.cap), dtype=np.int64)
        self.added = np.zeros(problem.gain.shape[0], dtype=np.float64)

    def __call__(self, x: IntArray) -> bool:
        changed = np.flatnonzero(x != self.x)
        if len(changed):
            step = (x[changed] - self.x[changed]).astype(np.float64)
            self.added = self.added + self.problem.gain[:, changed] @ step
            self.x = x.astype(np.int64).copy()
        return _met_by(self.problem, self.required, self.need_weight, self.added)


def apl_recruits(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    baseline: object,
    threshold: float | None = None,
    share: float = 1.0,
    team_min: int = MSP_MIN_GPS,
    max_fte: int = DEFAULT_MAX_FTE,
    max_sites: int | None = None,
    weight: str = "population",
    apl_weight: str | None = None,
    profession: str = DEFAULT_PROFESSION,
    acts_per_fte: float | None = None,
    candidates: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    fixed: Sequence[str] = (),
    method: Method = "exact",
    solver: SolverOptions | None = None,
) -> SitingResult:
    """Find the fewest new FTE, in teams at eligible sites, so no commune is under ``threshold``.

    Minimise ``sum_j x_j`` (new FTE per site, integers) such that every inhabited commune below
    the threshold that some plan can lift reaches it: ``base_i + sum_j g_ij x_j >= threshold``,
    ``g_ij = scale f(t_ij) acts_per_fte / P_j`` (the APL is linear in the supply placed, see
    :mod:`accessmap.siting._apl`); a new site (``candidates``) holds 0 or ``team_min`` to
    ``max_fte`` FTE, an existing one (``fixed``) 0 to ``max_fte``. With ``share < 1``, only that
    share of the territory's inhabitants must be at or above the threshold. Communes no plan can
    lift (no site within reach, or every site at ``max_fte`` not enough) are left out and named
    in the result (``communes.reason`` and a note), never an exception.

    Parameters
    ----------
    od
        Long travel-time table (``origin_id, dest_id, minutes``); the existing sites and the
        candidates are its ``dest_id`` values.
    demand
        ``id``, the ``weight`` column (inhabitants counted) and the ``apl_weight`` column.
    baseline
        The APL of each commune in the year without the plan (official APL plus the modelled
        change, :func:`accessmap.siting.official_plus_change`): ``id, apl`` or an array in the
        order of ``demand``. One baseline only.
    threshold
        APL to reach (default 2.5, :data:`~accessmap.conventions.APL_PRIORITY`, for GPs; required
        for the other professions, whose unit is FTE per 100,000 inhabitants).
    share
        Share of the inhabitants that must be at or above the threshold (1: every commune).
    team_min
        Fewest FTE of a new MSP (:data:`~accessmap.conventions.MSP_MIN_GPS`).
    max_fte
        Most new FTE at one site.
    max_sites
        Most new sites (``None``: no limit).
    weight
        Inhabitants column (what is counted).
    apl_weight
        Demand of the catchments ``P_j`` (``pop_std`` as DREES; default: ``weight``).
    profession
        A profession of the registry with an APL.
    acts_per_fte
        Yearly activity of one new FTE (default: the profession's new-installation activity).
    candidates, exclude
        Sites where a new MSP may open (from :func:`accessmap.siting.eligible_candidates`), and
        sites never to use.
    fixed
        Existing practices and MSPs that may be reinforced (no team minimum).
    method
        ``"exact"`` or ``"greedy"``.
    solver
        Solver options (a time limit returns the incumbent, ``status="time_limit"``).

    Returns
    -------
    SitingResult
        ``objective`` = new FTE; ``site_table`` with ``fte`` and ``kind`` (``new_msp`` or
        ``reinforced``); ``communes`` one row per commune.

    Raises
    ------
    ValidationError
        Bad inputs, several baselines, or (greedy) no plan within ``max_sites``.
    SolverError
        No plan meets the requirement within ``max_sites``.

    References
    ----------
    DREES, « L'APL aux médecins généralistes », Document de travail n° 124 (2012); Toregas C. et
    al., "The location of emergency service facilities", Operations Research 19 (1971) (set
    covering); circulaire DGOS/PF3/DATAR/DGS n° 2010-270 (MSP cahier des charges: two GPs).
    """
    started = now()
    options = solver or SolverOptions()
    problem = build_problem(
        od, demand, baseline=baseline, weight=weight, apl_weight=apl_weight,
        profession_key=profession, threshold=threshold, team_min=team_min, max_fte=max_fte,
        acts_per_fte=acts_per_fte, candidates=candidates, exclude=exclude, fixed=fixed,
    )  # fmt: skip
    if problem.base.shape[0] != 1:
        raise ValidationError(
            "siting.apl_one_baseline", field="baseline", draws=int(problem.base.shape[0])
        )
    level = _share(share)
    required, need_weight, notes = _requirement(problem, level)
    budget = Budget(recruits=None, sites=max_sites)
    weights = np.where(required, problem.people, 0.0)
    greedy = greedy_plan(
        problem, budget, objective="recruits", weights=weights,
        done=_Tracker(problem, required, need_weight=need_weight),
    )  # fmt: skip
    if _met(problem, required, need_weight, greedy):
        greedy = _trim(problem, required, need_weight, greedy)
    elif method == "greedy":
        raise ValidationError("siting.apl_greedy_short", field="max_sites", max_sites=max_sites)
    result = run_plan(
        problem,
        lambda: plan_mip(
            problem, budget, objective="recruits", required=required, need_weight=need_weight
        ),
        greedy=greedy, value=lambda x: float(x.sum()), model="apl_recruits", what=_NAME,
        method=method, options=options, started=started,
        parameters={"sense": "min", "share": level, "max_sites": max_sites},
    )  # fmt: skip
    x = _plan_of(problem, result)
    if result.status in ("optimal", "time_limit") and not _met(problem, required, need_weight, x):
        note = Message("siting.apl_requirement_unmet", model=_NAME)
        return _with(result, status="unverified", notes=(*notes, note))
    return _with(result, status=result.status, notes=notes)


def _trim(
    problem: AplProblem, required: BoolArray, need_weight: float | None, x: IntArray
) -> IntArray:
    """Take back FTE the greedy plan does not need (reverse deletion), least useful sites first.

    An existing site gives back one FTE, a new site one FTE above its team or its whole team;
    a move is kept while the requirement still holds.
    """
    x = x.copy()
    need = problem.need()[0]
    got = problem.gain @ x.astype(np.float64)
    changed = True
    while changed:
        changed = False
        order = np.argsort(problem.gain.T @ np.where(required, problem.people, 0.0))
        for j in order[x[order] > 0]:
            back = x[j] if problem.new[j] and x[j] == problem.team_min else 1
            trial = got - problem.gain[:, j] * back
            hit = trial >= need
            ok = (
                bool(hit[required].all())
                if need_weight is None
                else float(problem.people[required & hit].sum()) >= need_weight
            )
            if ok:
                x[j] -= back
                got = trial
                changed = True
    return x


def _plan_of(problem: AplProblem, result: SitingResult) -> IntArray:
    fte = result.site_table.set_index("site_id")["fte"]
    ids = problem.inst.site_ids.astype(str)
    return fte.reindex(ids).fillna(0.0).to_numpy().round().astype(np.int64)


def _with(result: SitingResult, *, status: str, notes: Sequence[Message]) -> SitingResult:
    return dataclasses.replace(result, status=status, notes=(*notes, *result.notes))
