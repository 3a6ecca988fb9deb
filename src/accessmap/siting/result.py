"""The answer of every siting model (:class:`SitingResult`) and the assignment to open sites."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from accessmap.messages import Message
from accessmap.siting import reach
from accessmap.siting._highs import SolverOptions, rel_gap
from accessmap.siting.instance import (
    BoolArray,
    FloatArray,
    Instance,
    build_instance,
    check_minutes,
)

__all__ = [
    "SitingResult",
    "Start",
    "make_result",
    "nearest_assignment",
    "nearest_open",
    "single_site_result",
    "start_minimising",
]


@dataclass(frozen=True, slots=True)
class SitingResult:
    """The answer of a siting model.

    Attributes
    ----------
    model
        ``"mclp"``, ``"lscp"``, ``"p_median"``, ``"p_center"``, ``"volunteer_centres"`` or
        ``"rotation"``.
    status
        ``"optimal"`` (proven within ``mip_rel_gap`` and checked against the data),
        ``"time_limit"`` (the incumbent when a time or node limit stopped HiGHS; see ``gap``),
        ``"heuristic"`` (``method="greedy"``: no bound) or ``"unverified"`` (HiGHS claimed an
        optimum its own solution does not reach; see ``notes``).
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
    notes
        What a reader must know about the answer (messages).
    communes
        For the APL models (:mod:`accessmap.siting.apl_recruits`, ``apl_best_use``,
        ``apl_robust``): one row per commune, ``id, weight, baseline_apl, apl, gain, p_reached,
        liftable, reason`` (see :func:`accessmap.siting._apl.communes_table`); ``None`` otherwise.
    unreached
        For p-median and p-center: the inhabited communes left out of the model, one row each,
        ``id, weight, reason`` (largest weight first): ``no_site`` when no candidate and no fixed
        site reaches them in the travel-time table, ``beyond_p`` when ``p`` new sites cannot reach
        them together with the others (the sites reaching the most inhabitants leave them out).
        Their access is not optimised and they are not in ``objective``; the assignment still
        shows their nearest open site, if any (see :mod:`accessmap.siting.reach`). Empty when
        every inhabited commune is in the model; ``None`` for the other models.
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
    notes: tuple[Message, ...] = ()
    communes: pd.DataFrame | None = None
    unreached: pd.DataFrame | None = None

    @property
    def open_sites(self) -> tuple[str, ...]:
        """Fixed and new sites together, sorted."""
        return tuple(sorted({*self.fixed, *self.sites}))

    @property
    def optimal(self) -> bool:
        """Whether HiGHS proved the solution optimal."""
        return self.status == "optimal"


def make_result(
    inst: Instance,
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
    notes: Sequence[Message] = (),
    communes: pd.DataFrame | None = None,
    unreached: pd.DataFrame | None = None,
) -> SitingResult:
    """Assemble a :class:`SitingResult` (assignment and site table from the open sites)."""
    open_mask = inst.fixed.copy()
    open_mask[list(chosen)] = True
    if assignment is None:
        assignment = nearest_assignment(inst, open_mask, threshold=threshold)
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
    gap = 0.0 if status == "optimal" else rel_gap(objective, bound)
    heuristic_gap = (
        rel_gap(heuristic, objective)
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
        notes=tuple(notes),
        communes=communes,
        unreached=unreached,
    )


def nearest_assignment(
    inst: Instance, open_mask: BoolArray, *, threshold: float | None
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
    inst = build_instance(od, demand, weight=weight, candidates=[], exclude=(), fixed=sites)
    threshold = None if minutes is None else check_minutes(minutes)
    return nearest_assignment(inst, inst.fixed.copy(), threshold=threshold)


def single_site_result(
    inst: Instance,
    *,
    model: str,
    values: FloatArray,
    maximize: bool,
    value_of: Callable[[BoolArray], float],
    started: float,
    threshold: float | None,
    heuristic: float | None,
    parameters: Mapping[str, Any],
    full: Instance | None = None,
    unreached: pd.DataFrame | None = None,
    notes: Sequence[Message] = (),
) -> SitingResult | None:
    """Return the optimum for ``p = 1`` by enumeration (``values``: each site's exact objective).

    Every candidate is evaluated on the data, so the best one is proven optimal without a solver.
    ``None`` when no candidate has a finite objective (the caller's exact path then says why).
    ``full``: the instance whose tables the result shows (default ``inst``), with ``unreached``
    and ``notes`` (communes left out of the model).
    """
    free = inst.free
    finite = np.isfinite(values[free])
    if not finite.any():
        return None
    candidates = np.where(finite, values[free], -np.inf if maximize else np.inf)
    j = int(free[int(np.argmax(candidates) if maximize else np.argmin(candidates))])
    mask = inst.fixed.copy()
    mask[j] = True
    objective = value_of(mask)
    return make_result(
        full or inst, model=model, chosen=[j], status="optimal", objective=objective,
        sense="max" if maximize else "min", bound=objective, started=started, threshold=threshold,
        heuristic=heuristic, parameters=parameters, unreached=unreached, notes=notes,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Start:
    """A validated instance with its greedy start (and the answer, when ``p = 1`` settles it).

    ``inst`` is the model's instance: the communes left out (``unreached``) weigh 0 in it, so
    the models ignore them; ``full`` keeps every demand's own weight, for the result's tables.
    """

    inst: Instance
    full: Instance
    params: dict[str, Any]
    greedy: list[int]
    heuristic: float
    single: SitingResult | None
    unreached: pd.DataFrame
    notes: tuple[Message, ...]

    def result(self, **kwargs: Any) -> SitingResult:
        """:func:`make_result` on the full instance, naming the communes left out."""
        notes = (*self.notes, *kwargs.pop("notes", ()))
        return make_result(self.full, unreached=self.unreached, notes=notes, **kwargs)


def start_minimising(
    model: str,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    p: int,
    weight: str,
    candidates: Sequence[str] | None,
    exclude: Sequence[str],
    fixed: Sequence[str],
    method: str,
    started: float,
    greedy: Callable[[Instance, int], list[int]],
    value_of: Callable[[Instance, BoolArray], float],
    single_values: Callable[[Instance], FloatArray],
    options: SolverOptions,
) -> Start:
    """Validate, leave out the communes out of reach, run the greedy, settle ``p = 1``.

    Used by p-median and p-center. The communes no site reaches, then those ``p`` sites cannot
    reach with the others, are left out of the model and named (:mod:`accessmap.siting.reach`);
    the greedy start then reaches every commune kept, so the exact solve always has an
    incumbent.
    """
    from accessmap.siting.instance import check_method, check_p, params_of

    full = build_instance(
        od, demand, weight=weight, candidates=candidates, exclude=exclude, fixed=fixed
    )
    check_p(p, full)
    check_method(method)
    inst, no_site = reach.exclude_no_site(full, model)
    params = params_of(p=p, weight=weight, method=method)
    chosen = greedy(inst, p)
    mask = inst.fixed.copy()
    mask[chosen] = True
    heuristic = value_of(inst, mask)
    beyond = np.zeros(len(full.demand_ids), dtype=bool)
    proven = True
    if not math.isfinite(heuristic):
        sites, proven = reach.max_reach(
            inst, p, exact=method == "exact", options=options,
            deadline=started + reach.REACH_SHARE * options.seconds(),
        )  # fmt: skip
        mask = inst.fixed.copy()
        mask[sites] = True
        beyond = (inst.weights > 0) & ~reach.reached_by(inst, mask)
        inst = reach.drop_demand(inst, beyond)
        chosen, heuristic = _best_start(inst, [sites, chosen, greedy(inst, p)], value_of)
    unreached = reach.unreached_table(full, no_site=no_site, beyond_p=beyond)
    notes = reach.announce_unreached(unreached, model=model, p=p, proven=proven)
    single = None
    if p == 1 and method == "exact":
        single = single_site_result(
            inst, model=model, values=single_values(inst), maximize=False,
            value_of=lambda m: value_of(inst, m), started=started, threshold=None,
            heuristic=heuristic if math.isfinite(heuristic) else None, parameters=params,
            full=full, unreached=unreached, notes=notes,
        )  # fmt: skip
    return Start(
        inst=inst, full=full, params=params, greedy=chosen, heuristic=heuristic, single=single,
        unreached=unreached, notes=notes,
    )  # fmt: skip


def _best_start(
    inst: Instance,
    tries: Sequence[list[int]],
    value_of: Callable[[Instance, BoolArray], float],
) -> tuple[list[int], float]:
    """Pick the start of lowest objective among ``tries`` (new sites each, fixed ones added)."""
    values = []
    for sites in tries:
        mask = inst.fixed.copy()
        mask[sites] = True
        values.append(value_of(inst, mask))
    k = int(np.argmin(values))
    return list(tries[k]), values[k]
