"""The options a council can decide on, on the official indicator: :func:`compute_decisions`.

From one decision problem (:mod:`accessmap.diagnostic.decisions`), every option is a plan of new
FTE per site, evaluated the same way (:func:`~accessmap.diagnostic.decisions.evaluate_plan`):
today, in the decision year, and over the Monte Carlo draws of the retirements (median and
10-90 % band of the inhabitants under the threshold). The options:

- **the recruits needed** (:func:`accessmap.siting.apl_recruits`): the fewest new FTE, in teams
  at eligible sites, so that no commune is under the threshold in the year (the communes no site
  can lift are named with why);
- **the best use** of one team (:data:`~accessmap.conventions.MSP_MIN_GPS`) and of the MilleSoins
  team (:data:`~accessmap.conventions.MILLESOINS_TEAM`), exact
  (:func:`accessmap.siting.apl_best_use`), and its **robust** variant over a sample of the draws
  (:func:`accessmap.siting.apl_robust`);
- **the MilleSoins question**: the whole team in one MSP at the best single site, against the
  same team spread over the pôle's four MSPs (equal rota, and the best rota in half-FTE steps);
- **a Médecins Solidaires centre** (one FTE from
  :data:`~accessmap.conventions.VOLUNTEER_WEEKS_PER_CENTRE` volunteer-weeks) at the commune
  without a practitioner where it lowers the deficit most.

The options are ranked by one printed criterion: the inhabitants under the threshold in the
decision year on the official baseline (fewest first), then the fewest new FTE.

References
----------
DREES APL methodology; MilleSoins and Médecins Solidaires (``../shared/context/territory.md``);
issue 20 of the project.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from accessmap import siting
from accessmap.conventions import (
    MILLESOINS_SITES,
    MILLESOINS_TEAM,
    MSP_MIN_GPS,
    VOLUNTEER_WEEKS_PER_CENTRE,
    WEEKS_PER_FTE,
)
from accessmap.diagnostic.decisions import (
    DecisionInputs,
    PlanEvaluation,
    _gain,
    evaluate_plan,
)
from accessmap.errors import AccessmapError
from accessmap.messages import Message
from accessmap.professions import profession as profession_spec
from accessmap.siting._apl import APL_TOL
from accessmap.siting._highs import SolverOptions

__all__ = [
    "DecisionOption",
    "Decisions",
    "OptionKey",
    "compositions",
    "compute_decisions",
    "is_proven",
    "pole_sites",
    "searching",
]

OptionKey = Literal[
    "recruits", "team", "millesoins_team", "robust", "central", "pole_equal", "pole_best",
    "volunteer",
]  # fmt: skip
#: Catalogue code of each option's short name (the report's tables, the progress display).
OPTION_NAMES: Mapping[str, str] = {
    "recruits": "decisions.name_recruits",
    "team": "decisions.name_team",
    "millesoins_team": "decisions.name_millesoins_team",
    "robust": "decisions.name_robust",
    "central": "decisions.name_central",
    "pole_equal": "decisions.name_pole_equal",
    "pole_best": "decisions.name_pole_best",
    "volunteer": "decisions.name_volunteer",
}
#: Volunteer FTE of one Médecins Solidaires centre.
VOLUNTEER_FTE = VOLUNTEER_WEEKS_PER_CENTRE / WEEKS_PER_FTE
#: Draws of the robust variant's sample (sample average approximation).
ROBUST_SAMPLE = 10
#: Solver seconds of the robust variant (its sample makes the largest problem; at 727 communes
#: no proof comes within 10 s, its incumbent is returned as ``time_limit`` with its gap).
ROBUST_TIME_LIMIT = 3.0
#: Solver seconds of the recruits needed: a covering problem whose proof takes minutes from some
#: 500 communes (at 727, 30 s left a 4 % gap); the incumbent after a few seconds is within about
#: 1 % of the 30 s one, returned as ``time_limit`` with its proven gap.
RECRUITS_TIME_LIMIT = 5.0
#: Step of the pôle's best rota, in FTE (a half-time at a site: five half-days a week).
ROTA_STEP = 0.5


def compositions(total: int, parts: int) -> np.ndarray:
    """Every way to share ``total`` whole steps among ``parts`` sites, in lexicographic order.

    Stars and bars: each choice of ``parts - 1`` bar positions among ``total + parts - 1``
    places is one sharing (the steps between two bars), and lexicographic bar positions give
    lexicographic sharings.

    Parameters
    ----------
    total
        Steps to share (at least 0).
    parts
        Sites (at least 1).

    Returns
    -------
    numpy.ndarray
        ``(C(total + parts - 1, parts - 1), parts)`` whole numbers, each row summing to ``total``.

    References
    ----------
    Feller, W. (1968). An Introduction to Probability Theory and Its Applications, vol. 1,
    3rd ed., Wiley, II.5 (occupancy problems: "stars and bars").
    """
    places = total + parts - 1
    chosen = list(itertools.combinations(range(places), parts - 1))
    bars = np.array(chosen, dtype=np.int64).reshape(len(chosen), parts - 1)
    ends = np.full((len(bars), 1), places)
    edges = np.hstack([np.full((len(bars), 1), -1), bars, ends])
    return np.asarray(np.diff(edges, axis=1) - 1, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class DecisionOption:
    """One option: a plan of new FTE per site and its evaluation.

    Attributes
    ----------
    key
        Which option (:data:`OptionKey`).
    sites
        ``site_id, commune_code, fte, new`` (a new MSP, else an existing site reinforced).
    evaluation
        The plan evaluated today, in the year and over the draws.
    status
        The solver's status (``optimal``, ``time_limit``...) or ``enumerated``.
    volunteer_weeks
        Volunteer-weeks a year the option takes (volunteer centres only).
    """

    key: OptionKey
    sites: pd.DataFrame
    evaluation: PlanEvaluation
    status: str
    volunteer_weeks: float = 0.0

    @property
    def fte(self) -> float:
        """New FTE of the option."""
        return self.evaluation.fte

    @property
    def new_sites(self) -> int:
        """New MSPs or centres the option opens."""
        return int(self.sites["new"].sum()) if len(self.sites) else 0

    @property
    def proven(self) -> bool:
        """Whether the plan is proven the best of its kind (solved to optimality, or enumerated).

        ``False`` for a search stopped by its time limit: the best plan found, no proof that none
        is better. Readers are told so wherever the plan is shown.
        """
        return is_proven(self.status)


def is_proven(status: str) -> bool:
    """Whether a solver status proves its plan the best (``optimal``, ``enumerated``).

    Parameters
    ----------
    status
        A :class:`~accessmap.siting.SitingResult` status, or ``enumerated``.

    Returns
    -------
    bool
    """
    return status in {"optimal", "enumerated"}


@dataclass(frozen=True, slots=True)
class Decisions:
    """The decisions of a territory on the official indicator.

    Attributes
    ----------
    inputs
        The decision problem (baselines, threshold, sites).
    status_quo
        No plan: the year's figures if no departure is replaced.
    recruits
        The recruits-needed plan, or ``None`` when it could not be computed.
    unliftable
        ``id, reason``: communes under the threshold in the year that no eligible site can lift
        (``no_site``: none within reach; ``not_enough``: every site at its largest team is
        not enough).
    options
        Every option, ranked (:attr:`criterion`).
    millesoins
        The MilleSoins comparison: the options ``central``, ``pole_equal``, ``pole_best`` with
        the population-weighted mean and the largest time to the nearest of their sites.
    volunteer
        The volunteer-centre option, or ``None``.
    volunteer_need_weeks
        Volunteer-weeks a year the centre's site would need to lift every commune it can lift
        alone (``nan`` when none).
    ajain
        Where the existing Médecins Solidaires centre of Ajain stands: ``site_id``,
        ``in_territory``, ``minutes`` (time from the nearest territory commune), ``gain_apl``
        (its share of the territory APL), or an empty table when the study area does not hold it.
    notes
        Codes of what could not be computed (French rendering in the report).
    host_rule
        The host rule of the candidates (``min_population``, ``premises``).
    """

    inputs: DecisionInputs
    status_quo: PlanEvaluation
    recruits: DecisionOption | None
    unliftable: pd.DataFrame
    options: tuple[DecisionOption, ...]
    millesoins: pd.DataFrame
    volunteer: DecisionOption | None
    volunteer_need_weeks: float
    ajain: pd.DataFrame
    notes: tuple[str, ...] = ()
    host_rule: Mapping[str, Any] = field(default_factory=dict)

    #: The ranking criterion, said wherever the options are ranked.
    criterion: str = "under_year"

    def option(self, key: OptionKey) -> DecisionOption | None:
        """Return the option of that key, or ``None``."""
        return next((o for o in self.options if o.key == key), None)


def pole_sites(dec: DecisionInputs) -> list[str]:
    """Return the MilleSoins pôle's four sites: the existing MSP of each bourg, else its town hall.

    Parameters
    ----------
    dec
        The decision problem.

    Returns
    -------
    list of str
        Site ids among :attr:`DecisionInputs.sites` (fewer than four when a bourg is outside).
    """
    sites = dec.sites
    chosen = []
    for code in MILLESOINS_SITES:
        here = [s for s in dec.existing if _commune(dec, s) == code]
        pick = here[0] if here else (code if code in sites else None)
        if pick is not None:
            chosen.append(pick)
    return chosen


def _commune(dec: DecisionInputs, site: str) -> str:
    codes = dec.site_communes
    return str(codes.get(site, site))


def compute_decisions(
    dec: DecisionInputs,
    *,
    time_limit: float = 30.0,
    recruits_time_limit: float = RECRUITS_TIME_LIMIT,
    robust_time_limit: float = ROBUST_TIME_LIMIT,
    seed: int = 0,
    volunteer_candidates: Sequence[str] | None = None,
    host_rule: Mapping[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Decisions:
    """Compute every option of the territory on the official indicator, ranked.

    Parameters
    ----------
    dec
        The decision problem (:func:`~accessmap.diagnostic.decisions.decision_inputs`).
    time_limit
        Solver seconds per model (a time-limited answer keeps its incumbent and says so).
    recruits_time_limit, robust_time_limit
        Solver seconds of the recruits needed and of the robust variant, the problems whose
        proofs take longest (:data:`RECRUITS_TIME_LIMIT`, :data:`ROBUST_TIME_LIMIT`; raise them
        to prove larger territories' answers).
    seed
        Seed of the robust variant's sample of draws.
    volunteer_candidates
        Town halls that may host a volunteer centre (default: the candidates in communes
        without a practitioner today).
    host_rule
        The host rule the candidates were chosen by (``min_population``, ``premises``), kept
        for the report.
    progress
        Receives a French line before each search (what is searched, and for how long at most).

    Returns
    -------
    Decisions

    References
    ----------
    :func:`accessmap.siting.apl_recruits`, :func:`accessmap.siting.apl_best_use`,
    :func:`accessmap.siting.apl_robust`; issue 20 of the project.
    """
    solver = SolverOptions(time_limit=time_limit)
    notes: list[str] = []
    status_quo = evaluate_plan(dec, {})
    say = progress or (lambda _line: None)
    searched = SolverOptions(time_limit=recruits_time_limit)
    say(searching(searched, profession=dec.profession))
    recruits, unliftable = _recruits(dec, searched, notes)
    options: list[DecisionOption] = [] if recruits is None else [recruits]
    sizes: tuple[tuple[OptionKey, int], ...] = (
        ("team", MSP_MIN_GPS), ("millesoins_team", MILLESOINS_TEAM),
    )  # fmt: skip
    for key, size in sizes:
        say(searching(solver, option=key))
        options.extend(_best_use(dec, key, size, solver, notes, known=options))
    if dec.draws is not None:
        robust = SolverOptions(time_limit=robust_time_limit)
        say(searching(robust, option="robust"))
        options.extend(_robust(dec, MILLESOINS_TEAM, robust, seed, notes, known=options))
    pole = _millesoins(dec, known=options)
    options.extend(pole)
    volunteer, need = _volunteer(dec, volunteer_candidates)
    if volunteer is not None:
        options.append(volunteer)
    ranked = sorted(options, key=lambda o: (o.evaluation.under_year, o.fte, o.key))
    return Decisions(
        inputs=dec, status_quo=status_quo, recruits=recruits, unliftable=unliftable,
        options=tuple(ranked), millesoins=_pole_table(dec, pole), volunteer=volunteer,
        volunteer_need_weeks=need, ajain=_ajain(dec, status_quo), notes=tuple(notes),
        host_rule=dict(host_rule or {}),
    )  # fmt: skip


def searching(
    solver: SolverOptions, *, profession: str | None = None, option: OptionKey = "recruits"
) -> str:
    """Return the French line announcing a search: what it looks for, how long it may take.

    Parameters
    ----------
    solver
        The search's options (its time limit, the settings' cap applied: the most it can take).
    profession
        The recruits needed for this profession (a registry key).
    option
        Without a profession: the option whose plan is searched.

    Returns
    -------
    str
        For example « recrutements nécessaires : infirmiers (8 s au plus) ».
    """
    seconds = solver.seconds()
    if profession is not None:
        plural = profession_spec(profession).plural
        return str(Message("progress.search_recruits", profession=plural, seconds=seconds))
    name = str(Message(OPTION_NAMES[option]))
    return str(Message("progress.search_option", option=name, seconds=seconds))


def _option(
    dec: DecisionInputs,
    key: OptionKey,
    plan: Mapping[str, float],
    status: str,
    weeks: float = 0.0,
    *,
    known: Sequence[DecisionOption] = (),
) -> DecisionOption:
    """Evaluate a plan (an option of ``known`` with the same plan lends its evaluation)."""
    fte = {str(k): float(v) for k, v in plan.items() if float(v) > 0}
    evaluation = next((o.evaluation for o in known if o.evaluation.plan == fte), None)
    if evaluation is None:
        evaluation = evaluate_plan(dec, plan)
    existing = set(dec.existing)
    sites = pd.DataFrame(
        {
            "site_id": list(evaluation.plan),
            "commune_code": [_commune(dec, s) for s in evaluation.plan],
            "fte": [float(v) for v in evaluation.plan.values()],
            "new": [s not in existing for s in evaluation.plan],
        }
    ).sort_values(["fte", "site_id"], ascending=[False, True], ignore_index=True)
    return DecisionOption(
        key=key, sites=sites,
        evaluation=evaluation, status=status, volunteer_weeks=weeks,
    )  # fmt: skip


def _plan_of(result: siting.SitingResult) -> dict[str, float]:
    table = result.site_table
    if "fte" not in table.columns:
        return {}
    return {str(s): float(f) for s, f in zip(table["site_id"], table["fte"], strict=True) if f > 0}


def _recruits(
    dec: DecisionInputs, solver: SolverOptions, notes: list[str]
) -> tuple[DecisionOption | None, pd.DataFrame]:
    """Solve the recruits-needed plan and the communes it cannot lift."""
    empty = pd.DataFrame(columns=["id", "reason"])
    try:
        result = siting.apl_recruits(
            dec.od, dec.demand, baseline=dec.baseline, solver=solver, **dec.model_kwargs()
        )
    except AccessmapError:
        notes.append("decisions.recruits_failed")
        return None, empty
    communes = result.communes
    if communes is not None and "reason" in communes.columns:
        left = communes[communes["reason"].notna() & (communes["weight"] > 0)]
        unliftable = left[["id", "reason"]].reset_index(drop=True)
    else:
        unliftable = empty
    return _option(dec, "recruits", _plan_of(result), result.status), unliftable


def _best_use(
    dec: DecisionInputs,
    key: OptionKey,
    size: int,
    solver: SolverOptions,
    notes: list[str],
    *,
    known: Sequence[DecisionOption] = (),
) -> list[DecisionOption]:
    try:
        result = siting.apl_best_use(
            dec.od, dec.demand, baseline=dec.baseline, recruits=size, solver=solver,
            **dec.model_kwargs(),
        )  # fmt: skip
    except AccessmapError:
        notes.append("decisions.best_use_failed")
        return []
    return [_option(dec, key, _plan_of(result), result.status, known=known)]


def _robust(
    dec: DecisionInputs,
    size: int,
    solver: SolverOptions,
    seed: int,
    notes: list[str],
    *,
    known: Sequence[DecisionOption] = (),
) -> list[DecisionOption]:
    if dec.draws is None:
        return []
    try:
        result = siting.apl_robust(
            dec.od, dec.demand, draws=dec.draws, recruits=size, solver=solver, seed=seed,
            sample=min(ROBUST_SAMPLE, len(dec.draws)), **dec.model_kwargs(),
        )  # fmt: skip
    except AccessmapError:
        notes.append("decisions.robust_failed")
        return []
    return [_option(dec, "robust", _plan_of(result), result.status, known=known)]


def _under_matrix(dec: DecisionInputs, gain: np.ndarray, plans: np.ndarray) -> np.ndarray:
    """Inhabitants under the threshold in the year for each plan (columns of ``plans``)."""
    ids = dec.demand["id"].tolist()
    base = dec.baseline.set_index("id")["apl"].reindex(ids).to_numpy(np.float64)
    people = dec.demand["counted"].to_numpy(np.float64)
    level = dec.threshold - APL_TOL * max(1.0, dec.threshold)
    after = base[:, None] + gain @ plans
    deficit = (np.maximum(0.0, dec.threshold - after) * people[:, None]).sum(axis=0)
    under = ((after < level) * people[:, None]).sum(axis=0)
    # lexicographic: inhabitants under first, the deficit breaks ties
    return np.asarray(under + deficit / (1.0 + deficit.max()) * 0.5, dtype=np.float64)


def _millesoins(
    dec: DecisionInputs, *, known: Sequence[DecisionOption] = ()
) -> list[DecisionOption]:
    """Place the whole team at the best single site, and spread over the pôle's four MSPs."""
    options: list[DecisionOption] = []
    team = float(MILLESOINS_TEAM)
    gain, _, site_ids = _gain(dec, list(dec.sites))
    if site_ids:
        score = _under_matrix(dec, gain, np.eye(len(site_ids)) * team)
        best = site_ids[int(np.argmin(score))]
        options.append(_option(dec, "central", {best: team}, "enumerated", known=known))
    pole = pole_sites(dec)
    if len(pole) >= 2:
        options.append(
            _option(dec, "pole_equal", dict.fromkeys(pole, team / len(pole)), "enumerated")
        )
        rotas = compositions(round(team / ROTA_STEP), len(pole)).T * ROTA_STEP
        pole_gain, _, pole_ids = _gain(dec, pole)
        best_rota = rotas[:, int(np.argmin(_under_matrix(dec, pole_gain, rotas)))]
        plan = {s: float(v) for s, v in zip(pole_ids, best_rota, strict=True) if v > 0}
        options.append(_option(dec, "pole_best", plan, "enumerated"))
    return options


def _pole_table(dec: DecisionInputs, pole: Sequence[DecisionOption]) -> pd.DataFrame:
    """Tabulate the MilleSoins comparison, one row per option, with the time to its nearest site."""
    rows = []
    people = dec.demand.set_index("id")["counted"]
    for option in pole:
        sites = set(option.evaluation.plan)
        near = dec.od[dec.od["dest_id"].astype(str).isin(sites)]
        nearest = near.groupby(near["origin_id"].astype(str))["minutes"].min()
        weights = people.reindex(nearest.index).fillna(0.0)
        inside = weights > 0
        ev = option.evaluation
        rows.append(
            {
                "option": option.key, "sites": len(sites), "fte": option.fte,
                "apl_today": ev.apl_today, "apl_year": ev.apl_year,
                "under_today": ev.under_today, "under_year": ev.under_year,
                "median_under_year": ev.band.median if ev.band is not None else float("nan"),
                "mean_minutes": float(np.average(nearest[inside], weights=weights[inside]))
                if inside.any() else float("nan"),
                "max_minutes": float(nearest[inside].max()) if inside.any() else float("nan"),
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def _volunteer(
    dec: DecisionInputs, candidates: Sequence[str] | None
) -> tuple[DecisionOption | None, float]:
    """Find the volunteer centre that lowers the deficit most, and the weeks its site would need."""
    staffed = {dec.site_communes.get(s, s) for s in dec.existing}
    pool = [
        c for c in (candidates or dec.candidates) if c in set(dec.candidates) and c not in staffed
    ]
    if not pool:
        return None, float("nan")
    gain, ids, site_ids = _gain(dec, pool)
    base = dec.baseline.set_index("id")["apl"].reindex(ids).to_numpy(np.float64)
    people = dec.demand["counted"].to_numpy(np.float64)
    after = base[:, None] + gain * VOLUNTEER_FTE
    deficit = (np.maximum(0.0, dec.threshold - after) * people[:, None]).sum(axis=0)
    j = int(np.argmin(deficit))
    option = _option(
        dec, "volunteer", {site_ids[j]: VOLUNTEER_FTE}, "enumerated", VOLUNTEER_WEEKS_PER_CENTRE
    )
    need = dec.threshold - base
    lift = (gain[:, j] > 0) & (need > 0) & (people > 0)
    fte = float((need[lift] / gain[lift, j]).max()) if lift.any() else float("nan")
    return option, fte * WEEKS_PER_FTE


def _ajain(dec: DecisionInputs, status_quo: PlanEvaluation) -> pd.DataFrame:
    """Where the existing Médecins Solidaires centre (Ajain) falls in the study area."""
    codes = dec.site_communes
    centre = [s for s in dec.existing if codes.get(s) == "23002"]
    if not centre:
        return pd.DataFrame(columns=["site_id", "in_territory", "minutes", "gain_apl"])
    site = centre[0]
    inside = set(dec.demand.loc[dec.demand["in_territory"], "id"])
    times = dec.od[(dec.od["dest_id"] == site) & dec.od["origin_id"].isin(inside)]["minutes"]
    gain = evaluate_plan(dec, {site: VOLUNTEER_FTE})
    return pd.DataFrame(
        {
            "site_id": [site],
            "in_territory": ["23002" in inside],
            "minutes": [float(times.min()) if len(times) else float("nan")],
            "gain_apl": [gain.apl_today - status_quo.apl_today],
        }
    )
