"""Where new sites help most: exact location models solved with HiGHS.

Every model reads the project's long-format travel-time table (``origin_id, dest_id, minutes,
method``; a missing pair means *unreachable*), a demand table (``id`` and a weight column,
``population`` by default) and a set of candidate sites (``dest_id`` values of the table; by default
all of them). Existing sites can be fixed open: they count for coverage and assignment, never
against ``p``.

Models (one module each)
------------------------
- :func:`mclp` (:mod:`.mclp`): maximal covering (Church & ReVelle 1974).
- :func:`lscp` (:mod:`.lscp`): location set covering (Toregas et al. 1971).
- :func:`p_median` (:mod:`.p_median`): weighted travel time (Hakimi 1964; ReVelle & Swain 1970),
  exact by constraint generation.
- :func:`p_center` (:mod:`.p_center`): worst travel time, a sequence of set covers (Minieka 1970).
- :func:`volunteer_centres` (:mod:`.volunteer`): capacitated coverage for Médecins Solidaires
  style centres (:class:`VolunteerCentreParameters`).
- :func:`rotation` (:mod:`.rotation`): MilleSoins style multi-site rota
  (:class:`RotationParameters`).
- :func:`apl_recruits` (:mod:`.apl_recruits`): the fewest new FTE, in teams, so that no commune
  stays under an APL threshold (on the official APL plus the modelled change).
- :func:`apl_best_use` (:mod:`.apl_best_use`): best use of N recruits or p new MSPs on the APL
  (inhabitants at or above a threshold, or the weighted deficit).
- :func:`apl_robust` (:mod:`.apl_robust`): the same over a sample of Monte Carlo baselines
  (sample average approximation); :func:`apl_plan_draws` evaluates a plan over all the draws and
  :func:`official_plus_change` builds the baseline (:mod:`.apl_plan`). The APL is linear in the
  supply placed: :mod:`._apl` (problem, greedy, result) and :mod:`._apl_mip` (the MIP).

Around them: :mod:`.instance` (validated inputs, sparse pairs), :mod:`._highs` (HiGHS: quiet,
fresh solver per solve, every answer checked against the model, time limits returning the
incumbent), :mod:`.heuristics` (greedy and swap), :mod:`.result` (:class:`SitingResult`),
:mod:`.reach` (the communes out of reach that p-median and p-center leave out and name),
:mod:`.registry` (one registry of models: :func:`run` by name with checked parameters) and
:mod:`.hosts` (which communes may host a new site).

Coverage convention: "within ``T`` minutes" means ``t < T`` (the project's half-open band
convention, :mod:`accessmap.conventions`); the default ``T`` of every model is
:data:`accessmap.conventions.SITING_MINUTES`.
"""

from __future__ import annotations

from accessmap.siting._highs import SolverOptions
from accessmap.siting.apl_best_use import apl_best_use
from accessmap.siting.apl_plan import (
    PlanBand,
    apl_plan_draws,
    official_plus_change,
    official_plus_change_draws,
)
from accessmap.siting.apl_recruits import apl_recruits
from accessmap.siting.apl_robust import apl_robust
from accessmap.siting.hosts import eligible_candidates
from accessmap.siting.lscp import lscp
from accessmap.siting.mclp import mclp
from accessmap.siting.p_center import p_center
from accessmap.siting.p_median import p_median
from accessmap.siting.registry import (
    MODELS,
    ModelSpec,
    Parameter,
    describe_models,
    get_model,
    run,
    run_model,
)
from accessmap.siting.result import SitingResult, nearest_open
from accessmap.siting.rotation import RotationParameters, rotation
from accessmap.siting.volunteer import (
    VolunteerCentreParameters,
    unserved_demand,
    volunteer_centres,
)

__all__ = [
    "MODELS",
    "ModelSpec",
    "Parameter",
    "PlanBand",
    "RotationParameters",
    "SitingResult",
    "SolverOptions",
    "VolunteerCentreParameters",
    "apl_best_use",
    "apl_plan_draws",
    "apl_recruits",
    "apl_robust",
    "describe_models",
    "eligible_candidates",
    "get_model",
    "lscp",
    "mclp",
    "nearest_open",
    "official_plus_change",
    "official_plus_change_draws",
    "p_center",
    "p_median",
    "rotation",
    "run",
    "run_model",
    "unserved_demand",
    "volunteer_centres",
]
