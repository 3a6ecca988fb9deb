"""Best use of N recruits or p new sites on the APL: inhabitants at a threshold, or the deficit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

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
from accessmap.siting.instance import IntArray, Method
from accessmap.siting.result import SitingResult

__all__ = ["AplGoal", "apl_best_use", "best_use_of"]

#: What the plan is judged by: inhabitants at or above the threshold, or the weighted deficit.
AplGoal = Literal["inhabitants", "deficit"]

_NAME = Message("siting.model_apl_best_use")


def budget_of(recruits: int | None, p: int | None, team_min: int) -> Budget:
    """Return the budget: ``recruits`` FTE, ``p`` new sites (``p`` alone: ``p`` minimal teams)."""
    for name, value in (("recruits", recruits), ("p", p)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            raise ValidationError("siting.apl_whole_number", field=name, value=value, minimum=0)
    if recruits is None and p is None:
        raise ValidationError("siting.apl_budget_needed", field="recruits")
    return Budget(
        recruits=p * team_min if recruits is None and p is not None else recruits, sites=p
    )


def best_use_of(
    problem: AplProblem,
    budget: Budget,
    *,
    objective: AplGoal,
    model: str,
    what: Message,
    method: Method,
    options: SolverOptions,
    started: float,
    extra: dict[str, object] | None = None,
) -> SitingResult:
    """Solve the best-use plan of ``problem`` (one baseline or the mean over several)."""
    if objective not in ("inhabitants", "deficit"):
        raise ValidationError("siting.unknown_objective", field="objective", objective=objective)
    maximize = objective == "inhabitants"

    def value(x: IntArray) -> float:
        return problem.inhabitants(x) if maximize else problem.deficit(x)

    greedy = greedy_plan(problem, budget, objective=objective)
    return run_plan(
        problem, lambda: plan_mip(problem, budget, objective=objective), greedy=greedy,
        value=value, model=model, what=what, method=method, options=options, started=started,
        parameters={"sense": "max" if maximize else "min", "objective": objective,
                    "recruits": budget.recruits, "p": budget.sites, **(extra or {})},
    )  # fmt: skip


def apl_best_use(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    baseline: object,
    recruits: int | None = None,
    p: int | None = None,
    objective: AplGoal = "inhabitants",
    threshold: float | None = None,
    team_min: int = MSP_MIN_GPS,
    max_fte: int = DEFAULT_MAX_FTE,
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
    """Best use of ``recruits`` new FTE and/or ``p`` new sites on the APL of a year.

    Places at most ``recruits`` new FTE (integers per site; a new MSP gets 0 or ``team_min`` to
    ``max_fte``, an existing site 0 to ``max_fte``) in at most ``p`` new sites, to

    - ``objective="inhabitants"``: maximise the inhabitants at or above ``threshold`` (2.5 by
      default; pass :data:`~accessmap.conventions.APL_SECONDARY`, 4, for the other variant);
    - ``objective="deficit"``: minimise ``sum_i w_i max(0, threshold - APL_i)``,

    where ``APL_i = base_i + sum_j g_ij x_j`` (linear in the supply placed, see
    :mod:`accessmap.siting._apl`). With several baselines (Monte Carlo draws) the mean over them
    is optimised (see :func:`accessmap.siting.apl_robust`).

    Parameters
    ----------
    od, demand, baseline, threshold, team_min, max_fte, weight, apl_weight, profession,
    acts_per_fte, candidates, exclude, fixed, method, solver
        As in :func:`accessmap.siting.apl_recruits` (``baseline`` may hold several rows).
    recruits
        Most new FTE in all (``None`` with ``p``: ``p * team_min``, ``p`` minimal teams).
    p
        Most new sites (``None``: no limit).
    objective
        ``"inhabitants"`` or ``"deficit"``.

    Returns
    -------
    SitingResult
        ``objective`` = inhabitants at or above the threshold (mean over the baselines), or the
        remaining weighted deficit; ``site_table.fte``/``kind``; ``communes``.

    Raises
    ------
    ValidationError
        Bad inputs, neither ``recruits`` nor ``p``.

    References
    ----------
    DREES, Document de travail n° 124 (2012) (APL); Church R. L., ReVelle C., "The maximal
    covering location problem" (1974) (coverage objective on a threshold).
    """
    started = now()
    problem = build_problem(
        od, demand, baseline=baseline, weight=weight, apl_weight=apl_weight,
        profession_key=profession, threshold=threshold, team_min=team_min, max_fte=max_fte,
        acts_per_fte=acts_per_fte, candidates=candidates, exclude=exclude, fixed=fixed,
    )  # fmt: skip
    return best_use_of(
        problem, budget_of(recruits, p, problem.team_min), objective=objective,
        model="apl_best_use", what=_NAME, method=method, options=solver or SolverOptions(),
        started=started,
    )  # fmt: skip
