"""Capacitated volunteer-centre model (Médecins Solidaires): centres with limited capacity."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from accessmap.contracts import validate_demand
from accessmap.conventions import (
    APL_PRIORITY,
    SITING_MINUTES,
    VOLUNTEER_WEEKS_PER_CENTRE,
    WEEKS_PER_FTE,
)
from accessmap.errors import SolverError, ValidationError
from accessmap.messages import Message
from accessmap.siting._highs import Mip, SolverOptions, solve
from accessmap.siting.instance import (
    BoolArray,
    FloatArray,
    Instance,
    IntArray,
    Method,
    build_instance,
    check_method,
    check_minutes,
    check_p,
    id_list,
    params_of,
)
from accessmap.siting.result import SitingResult, make_result, nearest_open

__all__ = ["VolunteerCentreParameters", "unserved_demand", "volunteer_centres"]


@dataclass(frozen=True, slots=True)
class VolunteerCentreParameters:
    """Capacity of a volunteer-staffed centre (Médecins Solidaires model).

    A centre is staffed in turn by volunteer GPs who each come for about one week a year. Its
    capacity in patients (médecin traitant patientèle) is
    ``volunteer_weeks / weeks_per_fte * patients_per_fte``.

    Attributes
    ----------
    volunteer_weeks
        Volunteer-weeks a centre is staffed per year
        (:data:`~accessmap.conventions.VOLUNTEER_WEEKS_PER_CENTRE`, 48: Médecins Solidaires
        reports that one centre needs roughly 45-52 volunteer-weeks a year), about one full-time
        GP.
    weeks_per_fte
        Working weeks of one full-time GP per year (:data:`~accessmap.conventions.WEEKS_PER_FTE`,
        47), the one figure of the code base.
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

    volunteer_weeks: float = VOLUNTEER_WEEKS_PER_CENTRE
    weeks_per_fte: float = WEEKS_PER_FTE
    patients_per_fte: float = 1000.0

    def __post_init__(self) -> None:
        for name in ("volunteer_weeks", "weeks_per_fte", "patients_per_fte"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ValidationError("siting.not_positive", field=name, value=value)

    @property
    def fte(self) -> float:
        """Full-time-equivalent GPs of one centre."""
        return self.volunteer_weeks / self.weeks_per_fte

    @property
    def capacity(self) -> float:
        """Patients one centre can serve."""
        return self.fte * self.patients_per_fte


def unserved_demand(
    demand: pd.DataFrame,
    *,
    weight: str = "population",
    od: pd.DataFrame | None = None,
    existing_sites: Sequence[str] = (),
    minutes: float | None = None,
    apl: pd.DataFrame | None = None,
    apl_threshold: float = APL_PRIORITY,
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
    table = validate_demand(demand, weight=weight)
    flags = np.zeros(len(table), dtype=bool)
    used = False
    if minutes is not None:
        if od is None:
            raise ValidationError("siting.minutes_need_od", field="od")
        threshold = check_minutes(minutes)
        if len(existing_sites):
            near = nearest_open(od, demand, sites=existing_sites, minutes=threshold, weight=weight)
            flags |= ~near["covered"].to_numpy(dtype=bool)
        else:
            flags |= True
        used = True
    if apl is not None:
        if not {"id", "apl"} <= set(apl.columns):
            raise ValidationError("siting.apl_columns", field="apl")
        values = apl.assign(id=apl["id"].astype(str)).set_index("id")["apl"]
        flags |= values.reindex(table["id"]).to_numpy(dtype=np.float64) < apl_threshold
        used = True
    if len(losing_gp):
        flags |= table["id"].isin(id_list(losing_gp, name="losing_gp")).to_numpy()
        used = True
    if not used:
        raise ValidationError("siting.no_unserved_criterion", field="unserved_demand")
    out = demand.copy()
    out[weight] = np.where(flags, table["weight"].to_numpy(), 0.0)
    out["unserved"] = flags
    return out


def volunteer_centres(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    p: int,
    minutes: float = SITING_MINUTES,
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
    threshold = check_minutes(minutes)
    inst = build_instance(
        od, demand, weight=weight, candidates=candidates, exclude=exclude, fixed=fixed
    )
    check_p(p, inst)
    check_method(method)
    cap = _capacities(inst, vc, capacities)
    params_out = params_of(
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
            raise SolverError("siting.greedy_cannot_serve", field="method")
        objective = _flow_value(inst, greedy_flow, must_serve=must_serve)
        return _capacitated_result(
            inst, greedy_sites, greedy_flow, cap, status="heuristic", objective=objective,
            bound=math.nan, must_serve=must_serve, started=started, threshold=threshold,
            heuristic=None, params=params_out,
        )  # fmt: skip
    m = len(inst.site_ids)
    free = inst.free
    pi, pj = inst.pairs_within(threshold)
    inhabited = w[pi] > 0
    pi, pj = pi[inhabited], pj[inhabited]
    mip = _capacitated_mip(inst, pi, pj, cap, p=p, must_serve=must_serve)
    start = None
    if not must_serve or heuristic >= w.sum() - 1e-6:
        start = _start(inst, pi, pj, greedy_sites, greedy_flow)
    out = solve(
        mip, options=options, deadline=started + options.seconds(), start=start,
        what=Message("siting.model_volunteer_centres"),
        infeasible_fix=Message("siting.advice_volunteer"),
    )  # fmt: skip
    chosen = [int(j) for j in free if out.x[j] > 0.5]
    flows = {
        (int(pi[t]), int(pj[t])): float(out.x[m + t]) for t in np.flatnonzero(out.x[m:] > 1e-9)
    }
    return _capacitated_result(
        inst, chosen, flows, cap, status=out.status,
        objective=_flow_value(inst, flows, must_serve=must_serve), bound=out.bound,
        must_serve=must_serve, started=started, threshold=threshold,
        heuristic=None if must_serve else heuristic, params=params_out, notes=out.notes,
    )  # fmt: skip


def _capacities(
    inst: Instance, vc: VolunteerCentreParameters, capacities: Mapping[str, float] | None
) -> FloatArray:
    """Capacity of each site: the centre's, or the one given for it."""
    cap = np.full(len(inst.site_ids), vc.capacity)
    for site, value in (capacities or {}).items():
        pos = np.flatnonzero(inst.site_ids == str(site))
        if not (math.isfinite(float(value)) and float(value) >= 0):
            raise ValidationError(
                "siting.capacity_invalid", field="capacities", site=site, value=value
            )
        if len(pos):
            cap[pos] = float(value)
    return cap


def _start(
    inst: Instance,
    pi: IntArray,
    pj: IntArray,
    sites: list[int],
    flows: Mapping[tuple[int, int], float],
) -> FloatArray:
    """Write the greedy solution as a vector of the capacitated MIP."""
    m = len(inst.site_ids)
    start = np.zeros(m + len(pi))
    start[:m][inst.fixed] = 1.0
    start[sites] = 1.0
    pair_index = {(int(a), int(b)): t for t, (a, b) in enumerate(zip(pi, pj, strict=True))}
    for key, value in flows.items():
        start[m + pair_index[key]] = value
    return start


def _flow_value(
    inst: Instance, flows: Mapping[tuple[int, int], float], *, must_serve: bool
) -> float:
    """Compute the objective of ``flows`` on the data: patients served or person-minutes."""
    if must_serve:
        return float(sum(v * inst.minutes[i, j] for (i, j), v in flows.items()))
    return float(sum(flows.values()))


def _capacitated_mip(
    inst: Instance, pi: IntArray, pj: IntArray, cap: FloatArray, *, p: int, must_serve: bool
) -> Mip:
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
    return Mip(
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


def _check_must_serve(inst: Instance, p: int, cap: FloatArray, cover: BoolArray) -> None:
    w = inst.weights
    out_of_reach = (w > 0) & ~cover.any(axis=1)
    if out_of_reach.any():
        ids = inst.demand_ids[out_of_reach]
        raise SolverError(
            "siting.must_serve_out_of_reach", field="must_serve", count=len(ids), ids=ids.tolist()
        )
    best_free = np.sort(cap[~inst.fixed])[::-1][:p].sum()
    total_cap = float(cap[inst.fixed].sum() + best_free)
    if total_cap < w.sum() - 1e-6:
        raise SolverError(
            "siting.must_serve_capacity",
            field="capacities",
            demand=round(float(w.sum())),
            p=p,
            existing=int(inst.fixed.sum()),
            capacity=round(total_cap),
        )


def _greedy_capacitated(
    inst: Instance, p: int, cap: FloatArray, cover: BoolArray
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
    inst: Instance,
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
    notes: Sequence[Message] = (),
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
    return make_result(
        inst, model="volunteer_centres", chosen=chosen, status=status, objective=objective,
        sense="min" if must_serve else "max", bound=bound, started=started, threshold=threshold,
        heuristic=heuristic, parameters=params, assignment=assignment, site_table=site_table,
        notes=notes,
    )  # fmt: skip
