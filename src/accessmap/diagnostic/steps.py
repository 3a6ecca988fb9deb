"""The steps of the diagnostic, each callable on its own (the notebooks call them one by one)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from accessmap.contracts import isin_codes
from accessmap.conventions import HOST_MIN_POPULATION
from accessmap.diagnostic.model import DiagnosticOptions, Progress
from accessmap.errors import AccessmapError
from accessmap.inputs import Inputs
from accessmap.messages import warn
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.siting.registry import find_model

if TYPE_CHECKING:
    from accessmap.diagnostic.choices import Decisions
    from accessmap.diagnostic.decisions import DecisionInputs
    from accessmap.diagnostic.professions import ProfessionsResult
    from accessmap.indicators import (
        DreesComparison,
        TerritoryIndicators,
        ZoneDeficitaire,
    )
    from accessmap.network import RoadNetwork, TravelTimes
    from accessmap.siting import SitingResult
    from accessmap.store import Store
    from accessmap.workforce import Engine, Outlook, RetirementModel, Scenario

__all__ = [
    "compare_options",
    "compute_decision_options",
    "compute_indicators",
    "compute_outlook",
    "compute_profession_recruits",
    "compute_simulator_inputs",
    "compute_siting",
    "compute_special_options",
    "compute_traveltimes",
    "demand_table",
    "load_inputs",
    "profession_problems",
    "siting_by_key",
]

#: Solver seconds of each other profession's recruits needed (a covering problem). At 727
#: communes the midwives' and dentists' are proven in 3 and 6 s, the nurses' and
#: physiotherapists' not within 15 s (their incumbent after 2 s is within one FTE of the 15 s
#: one); a limit reached is said by the status and the gap.
PROFESSION_TIME_LIMIT = 8.0


def _say(progress: Progress | None, text: str) -> None:
    if progress is not None:
        progress(text)


def load_inputs(options: DiagnosticOptions) -> Inputs:
    """Read the territory, the roster and the DREES parameters (see :mod:`accessmap.inputs`).

    Parameters
    ----------
    options
        Diagnostic options.

    Returns
    -------
    Inputs
        With provenance of every file read.
    """
    from accessmap.inputs import load_inputs as load

    return load(options.input_options())


def demand_table(inputs: Inputs) -> pd.DataFrame:
    """Demand per study-area commune (:func:`accessmap.inputs.demand_table`).

    Parameters
    ----------
    inputs
        Loaded inputs.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``population``, ``pop_std``, ``in_territory``.
    """
    return inputs.demand


def compute_traveltimes(
    inputs: Inputs,
    options: DiagnosticOptions,
    *,
    store: Store | None = None,
    progress: Progress | None = None,
) -> tuple[TravelTimes, RoadNetwork | None]:
    """Travel times from every study-area commune to every site and candidate town hall.

    The road network follows the one rule of :mod:`accessmap.inputs.traveltimes` (``--osm``,
    else the mirror's roads, else Overpass when online, else a crow-fly estimate).

    Parameters
    ----------
    inputs
        Loaded inputs.
    options
        Diagnostic options.
    store
        Open store whose cache is read (a computed table is stored with the results).
    progress
        Callback receiving step descriptions.

    Returns
    -------
    tuple
        The :class:`~accessmap.network.TravelTimes` and the road network (``None`` for crowfly).

    References
    ----------
    Dijkstra (1959); Boeing (2017), OSMnx.
    """
    from accessmap.inputs import compute_traveltimes as compute

    return compute(
        inputs.territory, inputs.roster, inputs.roads, winter=options.winter, store=store,
        progress=progress,
    )  # fmt: skip


def compute_indicators(
    inputs: Inputs, times: TravelTimes, *, apl_year: int = 2023
) -> tuple[TerritoryIndicators, DreesComparison | None, ZoneDeficitaire]:
    """Nearest GP, population bands, APL, DREES comparison and the decree 2003-1140 test.

    Parameters
    ----------
    inputs
        Loaded inputs.
    times
        Travel times (communes → sites; other destinations are ignored).
    apl_year
        Vintage of the published APL to compare with.

    Returns
    -------
    tuple
        :class:`~accessmap.indicators.TerritoryIndicators`, the DREES comparison (or ``None``)
        and the zone-déficitaire verdict.

    References
    ----------
    DREES APL (Barlet et al., 2012); Décret n° 2003-1140 du 28 novembre 2003.
    """
    from accessmap import indicators

    demand = demand_table(inputs)
    site_ids = set(inputs.roster.sites["site_id"])
    od = times.table[isin_codes(times.table["dest_id"], site_ids)]
    result = indicators.commune_indicators(
        od, communes=demand, roster=inputs.roster, params=inputs.params, year=apl_year
    )
    drees = None
    if inputs.published is not None and apl_year in set(inputs.published["year"]):
        ours = result.communes.rename(columns={"id": "code"})
        drees = indicators.compare_with_drees(
            ours[["code", "apl", "apl_u65"]].rename(columns={"code": "id"}),
            inputs.published,
            year=apl_year,
            ids=inputs.territory.codes,
        )
    return result, drees, _zone(inputs, result)


def _zone(inputs: Inputs, result: TerritoryIndicators) -> ZoneDeficitaire:
    """Return the decree 2003-1140 test on the territory's communes and practitioners."""
    from accessmap import indicators

    roster = inputs.roster
    inside = result.communes[result.communes["in_territory"]]
    territory_sites = roster.sites.loc[roster.sites["in_territory"], "site_id"]
    fte = float(roster.site_fte.reindex(territory_sites).sum())
    working = roster.assignments.loc[
        roster.assignments["site_id"].isin(set(territory_sites)), "practitioner_id"
    ]
    activity = roster.practitioners.loc[
        roster.practitioners["practitioner_id"].isin(set(working)), "activity"
    ]
    return indicators.zone_deficitaire(
        population=float(inside["population"].sum()),
        nearest=inside.rename(columns={"nearest_minutes": "minutes"})[["id", "minutes"]],
        commune_population=inside[["id", "population"]],
        gp_fte=fte,
        gp_activity=activity if bool(activity.notna().any()) else None,
        zrr_table=inputs.zrr,
    )


def compute_outlook(
    inputs: Inputs,
    times: TravelTimes,
    options: DiagnosticOptions,
    *,
    scenario: Scenario | None = None,
    engines: tuple[Engine, ...] = ("expected", "monte_carlo"),
    profession: str = DEFAULT_PROFESSION,
) -> tuple[Outlook, ...]:
    """Retirement outlook, expected values and Monte Carlo, with an optional scenario.

    Parameters
    ----------
    inputs
        Loaded inputs.
    times
        Travel times (communes → sites and candidate town halls).
    options
        Diagnostic options (start year, horizon, runs, seed, scenario file).
    scenario
        Replacement scenario (default: ``options.scenario`` or none). Its new sites get
        crow-fly travel times (said in the outlook's notes).
    engines
        Which engines to run, in this order.
    profession
        The roster's profession projected, with its own retirement curve (the inputs' roster and
        parameters must be that profession's:
        :func:`accessmap.diagnostic.measures.inputs_for_profession`).

    Returns
    -------
    tuple
        One :class:`~accessmap.workforce.Outlook` per engine (default: expected values, then
        Monte Carlo).

    References
    ----------
    DREES, démographie des médecins (projections); see ``docs/workforce.md``.
    """
    from accessmap import workforce

    if scenario is None and options.scenario is not None:
        from accessmap.inputs import load_scenario

        scenario = load_scenario(options.scenario)
    od = times.table
    if scenario is not None and scenario.sites:
        from accessmap import network
        from accessmap.territory import points

        new_sites = pd.DataFrame(
            [(s.site_id, s.lon, s.lat) for s in scenario.sites], columns=["id", "lon", "lat"]
        )
        extra = network.crowfly_times(points(inputs.territory.study_area), new_sites).table
        od = pd.concat([od, extra], ignore_index=True)
    common: dict[str, Any] = {
        "model": workforce.RetirementModel.for_profession(
            profession,
            fixed_age=options.retirement_age,
            unknown_age=cast("workforce.UnknownAgeRule", options.unknown_age),
        ),
        "scenario": scenario,
        "profession": profession,
        "start_year": options.start_year,
        "horizon": options.horizon,
        "params": inputs.params,
        "seed": options.seed,
    }
    return tuple(
        workforce.outlook(
            inputs.roster,
            od,
            inputs.demand,
            engine=engine,
            runs=options.runs if engine == "monte_carlo" else 1,
            **common,
        )
        for engine in engines
    )


def compute_siting(
    inputs: Inputs, times: TravelTimes, options: DiagnosticOptions
) -> tuple[SitingResult, ...]:
    """Siting answers for the territory: MCLP for p = 1..p_max, p-median and p-center for p = 1.

    Existing GP sites are fixed open; candidates are the territory's town halls; demand is the
    territory's population.

    Parameters
    ----------
    inputs
        Loaded inputs.
    times
        Travel times (communes → sites and candidate town halls).
    options
        Diagnostic options (``minutes``, ``p_max``).

    Returns
    -------
    tuple of SitingResult
        One per model and p.

    References
    ----------
    Church R., ReVelle C. (1974), The maximal covering location problem, Papers of the Regional
    Science Association 32; Hakimi S. L. (1964), Optimum locations of switching centers,
    Operations Research 12.
    """
    from accessmap import siting

    demand, od, existing, candidates = _siting_inputs(inputs, times, options)
    if len(candidates) < options.p_max:  # a small territory: as many new sites as town halls
        warn("diagnostic.p_reduced", asked=options.p_max, candidates=len(candidates))
    sizes = range(1, min(options.p_max, len(candidates)) + 1)
    mclp = [
        siting.mclp(od, demand, p=p, minutes=options.minutes, candidates=candidates, fixed=existing)
        for p in sizes
    ]
    # Distinct alternatives for one new MSP: shortest mean time and best worst case.
    median = siting.p_median(od, demand, p=1, candidates=candidates, fixed=existing)
    center = siting.p_center(od, demand, p=1, candidates=candidates, fixed=existing)
    return (*mclp, median, center)


def _siting_inputs(
    inputs: Inputs, times: TravelTimes, options: DiagnosticOptions
) -> tuple[pd.DataFrame, pd.DataFrame, list[str], list[str]]:
    """Territory demand, its travel times, the open sites it reaches, and the candidates."""
    demand = demand_table(inputs)
    demand = demand[demand["in_territory"]]
    od = times.table[isin_codes(times.table["origin_id"], demand["id"])]
    # A site no territory commune reaches within the table's horizon covers nobody: leave it out.
    existing = sorted(set(inputs.roster.sites["site_id"]) & set(od["dest_id"].unique()))
    return demand, od, existing, _candidates(inputs, options)


def _candidates(inputs: Inputs, options: DiagnosticOptions) -> list[str]:
    """Town halls that may host a new site under the options' host rules."""
    from accessmap.diagnostic.answers import host_candidates

    return host_candidates(inputs, min_population=options.min_population, premises=options.premises)


def siting_by_key(results: Sequence[SitingResult]) -> dict[str, SitingResult]:
    """Name siting answers: ``mclp_1``, ``mclp_2``, ``p_median_1``, ``volunteer_centres``...

    Parameters
    ----------
    results
        Siting answers (e.g. :func:`compute_siting`).

    Returns
    -------
    dict
        Key → answer; models with a number of sites get ``_<p>``, the volunteer centre and the
        rotation their model name.
    """
    out: dict[str, SitingResult] = {}
    for result in results:
        spec = find_model(result.model)
        numbered = spec is not None and spec.option_kind == "msp"
        out[f"{result.model}_{len(result.sites)}" if numbered else result.model] = result
    return out


def compute_special_options(
    inputs: Inputs, times: TravelTimes, options: DiagnosticOptions
) -> tuple[tuple[SitingResult, ...], tuple[str, ...]]:
    """Compute the Médecins Solidaires and MilleSoins answers: volunteer centre and rotation.

    The volunteer centre serves the population beyond ``options.minutes`` of today's GPs (or,
    with ``options.volunteer_commune``, is placed there); the rotation spreads a team of two
    full-time GPs over the territory's town halls, half-days at a time.

    Parameters
    ----------
    inputs
        Loaded inputs.
    times
        Travel times.
    options
        Diagnostic options.

    Returns
    -------
    tuple
        The results, and notes on what could not be computed.

    References
    ----------
    Church & ReVelle (1974); Pirkul H., Schilling D. (1991), The maximal covering location
    problem with capacities on total workload, Management Science 37(2).
    """
    from accessmap import siting
    from accessmap.errors import AccessmapError

    demand, od, existing, candidates = _siting_inputs(inputs, times, options)
    results: list[SitingResult] = []
    notes: list[str] = []
    try:
        unserved = siting.unserved_demand(
            demand, od=od, existing_sites=existing, minutes=options.minutes
        )
        chosen = [options.volunteer_commune] if options.volunteer_commune else candidates
        results.append(
            siting.volunteer_centres(od, unserved, p=1, minutes=options.minutes, candidates=chosen)
        )
    except AccessmapError as exc:
        notes.append(f"Centre de médecins bénévoles non calculé : {exc}")
    try:
        results.append(
            siting.rotation(od, demand, team=2.0, minutes=options.minutes, candidates=candidates)
        )
    except AccessmapError as exc:
        notes.append(f"Plan de rotation non calculé : {exc}")
    return tuple(results), tuple(notes)


def compare_options(
    inputs: Inputs,
    times: TravelTimes,
    indicators_result: TerritoryIndicators,
    results: Sequence[SitingResult],
    options: DiagnosticOptions,
    *,
    future_year: int | None = None,
) -> Any:
    """Today's situation and every siting answer side by side, today and in a future year.

    Parameters
    ----------
    inputs
        Loaded inputs.
    times
        Travel times (communes → sites and candidates).
    indicators_result
        Today's indicators (its ``sites`` give today's supply).
    results
        Siting answers to compare (MCLP options, volunteer centre, rotation...).
    options
        Diagnostic options.
    future_year
        Also compare the status quo and each answer in this outlook year (expected supply with
        retirements, no replacement), where the need is.

    Returns
    -------
    accessmap.options.Comparison
        ``summary`` and per-commune ``communes`` tables.

    References
    ----------
    DREES APL (2012, 2023); Church & ReVelle (1974).
    """
    from accessmap import options as scenarios

    demand = demand_table(inputs)
    supply = indicators_result.sites[["site_id", "acts"]]
    chosen = [scenarios.status_quo(name="Aujourd'hui")]
    names = inputs.territory.communes.set_index("code")["nom"]
    chosen += [scenarios.option_from_result(r, name=_label(r, names)) for r in results]
    if future_year is not None:
        future = scenarios.expected_supply(
            inputs.roster, year=future_year, params=inputs.params, start_year=options.start_year
        )
        future_supply = future[["site_id", "acts"]]
        chosen.append(
            scenarios.status_quo(name=f"{future_year}, sans remplacement", year=future_year)
        )
        chosen[-1] = replace(chosen[-1], supply=future_supply)
        chosen += [
            scenarios.option_from_result(
                r,
                name=f"{future_year} + {_label(r, names)}",
                supply=future_supply,
                year=future_year,
            )
            for r in results
        ]
    return scenarios.compare(
        chosen,
        od=times.table,
        demand=demand,
        supply=supply,
        params=inputs.params,
        site_communes=inputs.roster.sites,
        territory=inputs.territory.codes,
    )


def _label(result: SitingResult, communes: pd.Series) -> str:
    """French label of a siting answer, naming the chosen communes (model label: registry)."""
    sites = ", ".join(str(communes.get(s, s)) for s in result.sites)
    spec = find_model(result.model)
    what = result.model if spec is None else spec.label
    if spec is not None and spec.option_kind == "msp":
        what = f"{len(result.sites)} MSP, {what}"
    return f"{what} : {sites}"


def compute_decision_options(
    inputs: Inputs,
    times: TravelTimes,
    options: DiagnosticOptions,
    outlook: Outlook,
    *,
    progress: Progress | None = None,
) -> Decisions | None:
    """Compute the decisions of a diagnostic (GPs), with the host rules on by default.

    The candidates are the territory's town halls under the host rules: the options'
    ``min_population`` / ``premises`` when given, else communes of at least
    :data:`~accessmap.conventions.HOST_MIN_POPULATION` inhabitants; communes with an existing
    MSP or health centre stay eligible; today's practices and MSPs may be reinforced.

    Parameters
    ----------
    inputs, times, options
        The diagnostic's inputs, travel times and options.
    outlook
        The GPs' expected-value outlook.
    progress
        Receives a French line before each search (:func:`~accessmap.diagnostic.choices.searching`).

    Returns
    -------
    Decisions or None
        ``None`` when the decision problem cannot be built (named in the warnings).

    References
    ----------
    :func:`compute_decisions`.
    """
    from accessmap.diagnostic.answers import host_candidates
    from accessmap.diagnostic.choices import compute_decisions
    from accessmap.diagnostic.decisions import decision_inputs

    rule = _host_rule(options)
    candidates = host_candidates(inputs, **rule)
    try:
        dec = decision_inputs(
            inputs, times.table, outlook, candidates=candidates, runs=options.runs,
            seed=options.seed, model=_retirement_model(options),
        )  # fmt: skip
    except AccessmapError as exc:
        warn("decisions.not_computed", reason=str(exc))
        return None
    return compute_decisions(dec, seed=options.seed, host_rule=rule, progress=progress)


def _host_rule(options: DiagnosticOptions) -> dict[str, Any]:
    """Return the host rule of the decisions: the options', else the default minimum population."""
    if options.min_population is None and options.premises is None:
        return {"min_population": HOST_MIN_POPULATION, "premises": None}
    return {"min_population": options.min_population, "premises": options.premises}


def _retirement_model(options: DiagnosticOptions) -> RetirementModel:
    from accessmap.workforce import RetirementModel, UnknownAgeRule

    return RetirementModel.for_profession(
        DEFAULT_PROFESSION, fixed_age=options.retirement_age,
        unknown_age=cast("UnknownAgeRule", options.unknown_age),
    )  # fmt: skip


def profession_problems(
    inputs: Inputs, times: TravelTimes, professions: ProfessionsResult, candidates: Sequence[str]
) -> Iterator[tuple[str, Inputs, pd.DataFrame, Outlook]]:
    """Yield every other profession with an APL as its decision problem's ingredients.

    Parameters
    ----------
    inputs, times
        The diagnostic's inputs and GP travel times (communes to the candidate town halls).
    professions
        Every profession diagnosed.
    candidates
        Host town halls.

    Yields
    ------
    tuple
        ``(profession, inputs with its roster and parameters, travel times to its sites and the
        candidates, its expected outlook)``.
    """
    import dataclasses

    from accessmap.professions import profession as spec_of

    shared = professions.traveltimes.table if professions.traveltimes is not None else None
    to_hosts = times.table[times.table["dest_id"].isin(set(candidates))]
    for key, result in professions.items():
        spec = spec_of(key)
        skip = key == professions.primary or spec.indicator != "apl" or spec.params is None
        if skip or result.outlook is None or shared is None or spec.params is None:
            continue
        sites = set(result.roster.sites["site_id"].astype(str))
        od = pd.concat([shared[shared["dest_id"].isin(sites)], to_hosts], ignore_index=True)
        adapted = dataclasses.replace(inputs, roster=result.roster, params=spec.params)
        yield key, adapted, od, result.outlook


def compute_profession_recruits(
    inputs: Inputs,
    times: TravelTimes,
    professions: ProfessionsResult,
    options: DiagnosticOptions,
    *,
    candidates: Sequence[str] | None = None,
    time_limit: float = PROFESSION_TIME_LIMIT,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Recruits needed for every other profession with an APL, with the same model as the GPs.

    Each profession's baseline is its modelled APL today and in the decision year (no official
    APL is published for them in the mirror), its threshold the convention of
    :func:`accessmap.diagnostic.decisions.reference_threshold`, its sites its practitioners'
    and the same host communes as the GPs'.

    Parameters
    ----------
    inputs, times, options
        The diagnostic's inputs, GP travel times (communes to candidate town halls) and options.
    professions
        Every profession diagnosed (their rosters, outlooks and shared travel times).
    candidates
        The host town halls, as the GPs' decisions chose them (default: the options' host rule,
        :func:`accessmap.diagnostic.answers.host_candidates`).
    time_limit
        Solver seconds per profession (:data:`PROFESSION_TIME_LIMIT`; a limit reached keeps the
        incumbent, ``status`` says ``time_limit``).
    progress
        Receives a French line before each profession's search
        (:func:`~accessmap.diagnostic.choices.searching`).

    Returns
    -------
    pandas.DataFrame
        One row per profession: ``profession, threshold, fte, sites, new_msp, under_today,
        under_year, under_year_after, unliftable, status, year, plan`` (``plan``: ``site:FTE``
        pairs; empty when no profession applies).

    References
    ----------
    :func:`accessmap.siting.apl_recruits`; issue 20 of the project (every profession alike).
    """
    from accessmap import siting
    from accessmap.diagnostic.answers import host_candidates
    from accessmap.diagnostic.choices import searching
    from accessmap.diagnostic.decisions import decision_inputs, evaluate_plan
    from accessmap.siting._highs import SolverOptions

    if candidates is None:
        candidates = host_candidates(inputs, **_host_rule(options))
    solver = SolverOptions(time_limit=time_limit)
    rows = []
    for key, adapted, od, outlook in profession_problems(inputs, times, professions, candidates):
        _say(progress, searching(solver, profession=key))
        try:
            dec = decision_inputs(adapted, od, outlook, candidates=candidates, profession=key)
            answer = siting.apl_recruits(
                dec.od, dec.demand, baseline=dec.baseline, solver=solver, **dec.model_kwargs()
            )
        except AccessmapError as exc:
            warn("decisions.profession_failed", profession=key, reason=str(exc))
            continue
        table = answer.site_table
        plan = {str(s): float(f) for s, f in zip(table["site_id"], table["fte"], strict=True)}
        before, after = evaluate_plan(dec, {}), evaluate_plan(dec, plan)
        communes = answer.communes
        stuck = 0 if communes is None else int(
            (communes["reason"].notna() & (communes["weight"] > 0)).sum()
        )  # fmt: skip
        rows.append(
            {
                "profession": key, "threshold": dec.threshold, "fte": float(sum(plan.values())),
                "sites": len(plan), "new_msp": int(table["new"].sum()),
                "under_today": before.under_today, "under_year": before.under_year,
                "under_year_after": after.under_year, "unliftable": stuck,
                "status": answer.status, "year": dec.year,
                "plan": ",".join(f"{s}:{f:g}" for s, f in plan.items()),
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def compute_simulator_inputs(
    inputs: Inputs,
    times: TravelTimes,
    professions: ProfessionsResult,
    decisions: Decisions | None,
    outlook: Outlook,
) -> dict[str, dict[int, DecisionInputs]]:
    """Build the simulator's decision problems: every APL profession, every year.

    Parameters
    ----------
    inputs, times
        The diagnostic's inputs and GP travel times.
    professions
        Every profession diagnosed.
    decisions
        The GPs' decisions (their host communes are every profession's); ``None``: no simulator.
    outlook
        The GPs' expected outlook.

    Returns
    -------
    dict
        ``profession -> year -> DecisionInputs`` (GPs first).

    References
    ----------
    :func:`accessmap.diagnostic.decisions.decision_years`; issue 26 of the project.
    """
    from accessmap.diagnostic.decisions import decision_years

    if decisions is None:
        return {}
    candidates = list(decisions.inputs.candidates)
    out = {professions.primary: decision_years(inputs, times.table, outlook, candidates=candidates)}
    for key, adapted, od, theirs in profession_problems(inputs, times, professions, candidates):
        try:
            out[key] = decision_years(adapted, od, theirs, candidates=candidates, profession=key)
        except AccessmapError as exc:
            warn("decisions.profession_failed", profession=key, reason=str(exc))
    return out
