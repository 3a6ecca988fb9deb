"""Robust best use: a plan optimised over a sample of Monte Carlo baselines (sample average)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from accessmap.conventions import MSP_MIN_GPS
from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.siting._apl import DEFAULT_MAX_FTE, baseline_matrix, build_problem, now
from accessmap.siting._highs import SolverOptions
from accessmap.siting.apl_best_use import AplGoal, best_use_of, budget_of
from accessmap.siting.instance import Method
from accessmap.siting.result import SitingResult

__all__ = ["apl_robust", "sample_draws"]

_NAME = Message("siting.model_apl_robust")


def sample_draws(draws: np.ndarray, *, sample: int, seed: int) -> np.ndarray:
    """Pick ``sample`` rows of ``draws`` without replacement (all of them when fewer), seeded.

    Parameters
    ----------
    draws
        ``(S, n)`` baselines.
    sample
        Rows to keep.
    seed
        Seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    numpy.ndarray
        The rows kept, in their original order.
    """
    if isinstance(sample, bool) or not isinstance(sample, int) or sample < 1:
        raise ValidationError("siting.apl_whole_number", field="sample", value=sample, minimum=1)
    if sample >= draws.shape[0]:
        return draws
    rows = np.sort(np.random.default_rng(seed).choice(draws.shape[0], size=sample, replace=False))
    return draws[rows]


def apl_robust(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    draws: object,
    recruits: int | None = None,
    p: int | None = None,
    sample: int = 20,
    seed: int = 0,
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
    """Best use of recruits over uncertain retirements: sample average approximation.

    Draws ``sample`` of the Monte Carlo baselines ``draws`` (each a year's APL per commune under
    one draw of retirements) and places the recruits to maximise the **expected** inhabitants at or
    above the threshold over them, ``(1/S) sum_s sum_i w_i z_si`` with ``z_si = 1`` only when
    ``base_si + sum_j g_ij x_j >= threshold`` (or to minimise the expected deficit); the plan is
    one for every draw. Evaluate it on all the draws with
    :func:`accessmap.siting.apl_plan_draws`.

    Parameters
    ----------
    draws
        ``(S, n)`` array in the order of ``demand``, or a wide table (one row per draw, one
        column per commune id).
    recruits, p, objective
        As in :func:`accessmap.siting.apl_best_use`.
    sample
        Draws the plan is optimised over (all when fewer).
    seed
        Seed of the sample.
    od, demand, threshold, team_min, max_fte, weight, apl_weight, profession, acts_per_fte,
    candidates, exclude, fixed, method, solver
        As in :func:`accessmap.siting.apl_recruits`.

    Returns
    -------
    SitingResult
        ``objective`` = expected inhabitants at or above the threshold over the sample (or the
        expected deficit); ``communes.p_reached`` = share of the sampled draws where each
        commune reaches it.

    Raises
    ------
    ValidationError
        Bad inputs.

    References
    ----------
    Kleywegt A. J., Shapiro A., Homem-de-Mello T., "The sample average approximation method for
    stochastic discrete optimization", SIAM Journal on Optimization 12 (2002) 479-502.
    """
    started = now()
    ids = demand["id"].astype(str).tolist() if "id" in demand.columns else []
    picked = sample_draws(baseline_matrix(draws, ids, field="draws"), sample=sample, seed=seed)
    problem = build_problem(
        od, demand, baseline=picked, weight=weight, apl_weight=apl_weight,
        profession_key=profession, threshold=threshold, team_min=team_min, max_fte=max_fte,
        acts_per_fte=acts_per_fte, candidates=candidates, exclude=exclude, fixed=fixed,
    )  # fmt: skip
    return best_use_of(
        problem, budget_of(recruits, p, problem.team_min), objective=objective,
        model="apl_robust", what=_NAME, method=method, options=solver or SolverOptions(),
        started=started, extra={"sample": int(picked.shape[0]), "seed": seed},
    )  # fmt: skip
