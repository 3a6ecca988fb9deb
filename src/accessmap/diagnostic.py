"""The whole territorial diagnostic, step by step.

Territory → travel times → indicators → outlook → siting options → comparison.

Each step is a function the notebooks call one by one; :func:`run_diagnostic` chains them for
``accessmap diagnose`` and returns one frozen :class:`Diagnostic` that :mod:`accessmap.report`
renders. Reading inputs goes through :mod:`accessmap.sources`; the travel-time table is cached in
the store (:mod:`accessmap.store`) under a content hash of its inputs, so a rerun with the same
inputs reuses it and gives identical numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from accessmap.errors import ValidationError

if TYPE_CHECKING:
    import geopandas as gpd

    from accessmap.indicators import (
        AplParameters,
        DreesComparison,
        TerritoryIndicators,
        ZoneDeficitaire,
    )
    from accessmap.network import RoadNetwork, TravelTimes
    from accessmap.siting import SitingResult
    from accessmap.sources import SourceFile
    from accessmap.store import Store
    from accessmap.supply import Roster
    from accessmap.territory import Territory
    from accessmap.workforce import Outlook, Scenario

__all__ = [
    "Diagnostic",
    "DiagnosticOptions",
    "Inputs",
    "candidate_points",
    "compute_traveltimes",
    "demand_from",
    "demand_table",
    "load_inputs",
    "run_diagnostic",
    "site_points",
]

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class DiagnosticOptions:
    """What to diagnose and how.

    Attributes
    ----------
    territory
        Territory specification (see :func:`accessmap.territory.load_territory`).
    buffer_km
        Study buffer width.
    osm
        Local road file (``.osm``, ``.osm.pbf``, ``.graphml``). Without it, and unless ``online``,
        travel times are ``crowfly`` estimates (and every output says so).
    online
        Download the road graph from Overpass through osmnx (cached).
    winter
        Winter speeds on the plateau (snow factors by road class).
    roster
        A user roster CSV (template: ``docs/roster_template.md``). Without it, the roster comes
        from the official counts and **illustrative** ages are generated.
    scenario
        A replacement scenario file for the outlook (TOML).
    apl_year
        Vintage of the DREES parameters and of the published APL compared with ours.
    start_year
        First year of the outlook (default: this year).
    horizon
        Years of the outlook.
    runs
        Monte Carlo runs of the outlook.
    seed
        Seed of every random step (illustrative ages, Monte Carlo).
    minutes
        Coverage threshold of the siting models (``t < minutes``). Default 10: the DREES band of
        full accessibility ("moins de 10 minutes").
    p_max
        Options for 1..p_max new sites.
    volunteer_commune
        INSEE code of a named commune for a Médecins Solidaires-style centre option.
    """

    territory: str = "montagne-limousine"
    buffer_km: float = 30.0
    osm: Path | None = None
    online: bool = False
    winter: bool = False
    roster: Path | None = None
    scenario: Path | None = None
    apl_year: int = 2023
    start_year: int | None = None
    horizon: int = 15
    runs: int = 1000
    seed: int = 0
    minutes: float = 10.0
    p_max: int = 3
    volunteer_commune: str | None = None

    def __post_init__(self) -> None:
        """Check the options at the boundary."""
        if self.runs <= 0:
            raise ValidationError(f"{self.runs} runs.", field="runs", fix="give a count > 0.")
        if self.horizon <= 0:
            raise ValidationError(f"{self.horizon}.", field="horizon", fix="give years > 0.")
        if self.minutes <= 0:
            raise ValidationError(f"{self.minutes}.", field="minutes", fix="give minutes > 0.")
        if self.p_max <= 0:
            raise ValidationError(f"{self.p_max}.", field="p_max", fix="give a count > 0.")


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything read from the official sources for one territory.

    Attributes
    ----------
    territory
        The territory and its buffer.
    roster
        GPs and their sites in the study area.
    params
        DREES APL parameters.
    published
        DREES published APL (all vintages), or ``None`` when the workbook is unavailable.
    provenance
        Every file read.
    notes
        Caveats (illustrative ages, missing workbook...).
    """

    territory: Territory
    roster: Roster
    params: AplParameters
    published: pd.DataFrame | None
    provenance: tuple[SourceFile, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A territorial diagnostic: every table the report, the notebooks and the GeoPackage show.

    Attributes
    ----------
    options
        The options it was run with.
    inputs
        What was read (territory, roster, parameters, provenance).
    traveltimes
        Travel times from every study-area commune to every GP site and candidate town hall.
    indicators
        Nearest GP, bands, APL per commune.
    drees
        Our APL next to the published one (``None`` without the DREES workbook).
    zone
        The decree 2003-1140 test.
    outlook
        Expected-value outlook (year by year).
    outlook_mc
        Monte Carlo outlook (quantiles).
    options_siting
        Siting answers (MCLP for p = 1..p_max, p-median, p-center, volunteer centre, rotation).
    comparison
        The options side by side (one row per option).
    option_communes
        Per option and commune: nearest time and APL (for maps).
    isochrones
        Catchment polygons (10/20/30 min) of today's sites.
    warnings
        What every reader must know (crow-fly times, illustrative ages...).
    created_at
        When it was computed (UTC).
    """

    options: DiagnosticOptions
    inputs: Inputs
    traveltimes: TravelTimes
    indicators: TerritoryIndicators
    drees: DreesComparison | None
    zone: ZoneDeficitaire
    outlook: Outlook
    outlook_mc: Outlook
    options_siting: tuple[SitingResult, ...]
    comparison: pd.DataFrame
    option_communes: pd.DataFrame
    isochrones: gpd.GeoDataFrame
    warnings: tuple[str, ...] = field(default=())
    created_at: str = ""


def _say(progress: Progress | None, text: str) -> None:
    if progress is not None:
        progress(text)


def load_inputs(options: DiagnosticOptions) -> Inputs:
    """Read the territory, the GP roster and the DREES parameters (mirror, cache or online).

    Parameters
    ----------
    options
        Diagnostic options (territory, roster file, seed for illustrative ages...).

    Returns
    -------
    Inputs
        With provenance of every file read.

    References
    ----------
    INSEE BPE (D201); ANS Annuaire santé; DREES APL workbook.
    """
    from accessmap import sources
    from accessmap.errors import OfflineError
    from accessmap.sources.roster import territory_roster
    from accessmap.territory import load_territory
    from accessmap.workforce import illustrative_roster

    log: list[SourceFile] = []
    notes: list[str] = []
    territory = load_territory(options.territory, buffer_km=options.buffer_km, provenance=log)
    try:
        params = sources.load_apl_parameters(provenance=log)
        published: pd.DataFrame | None = sources.load_apl_published(provenance=log)
    except OfflineError as exc:
        from accessmap.indicators import AplParameters

        params, published = AplParameters(), None
        notes.append(
            f"Classeur APL de la DREES indisponible ({exc.message}) : paramètres 2023 intégrés."
        )
    roster = territory_roster(territory, path=options.roster, provenance=log)
    if options.roster is None:
        roster = illustrative_roster(roster, seed=options.seed)
        notes.append(
            "Âges des médecins ILLUSTRATIFS : tirés au hasard selon une distribution déclarée "
            "(les âges réels sont confidentiels) ; les projections de départs ne sont pas "
            "des faits."
        )
    if published is not None:
        codes = set(territory.study_area["code"])
        published = published[published["code"].isin(codes)].reset_index(drop=True)
    return Inputs(
        territory=territory,
        roster=roster,
        params=params,
        published=published,
        provenance=tuple(log),
        notes=tuple(notes),
    )


def demand_table(inputs: Inputs) -> pd.DataFrame:
    """Demand per study-area commune of loaded inputs (see :func:`demand_from`).

    Parameters
    ----------
    inputs
        Loaded inputs.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``population``, ``pop_std``, ``in_territory``.
    """
    return demand_from(inputs.territory.study_area, inputs.published)


def demand_from(study_area: pd.DataFrame, published: pd.DataFrame | None) -> pd.DataFrame:
    """Demand per commune: population, DREES standardised population, territory flag.

    Parameters
    ----------
    study_area
        Communes (``code``, ``population``, optional ``in_territory``).
    published
        DREES published APL (``code``, ``year``, ``pop_std``, ``pop_total``) or ``None``.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``population``, ``pop_std`` (today's population times the commune's latest
        DREES ratio of standardised to total population; the population itself where DREES has
        none), ``in_territory`` (True when the column is absent).

    References
    ----------
    DREES, APL: demand is the age-standardised population.
    """
    inside = study_area.get("in_territory", True)
    demand = pd.DataFrame(
        {
            "id": study_area["code"].astype(str).to_numpy(),
            "population": study_area["population"].astype(float).to_numpy(),
            "in_territory": pd.Series(inside, index=study_area.index).astype(bool).to_numpy(),
        }
    )
    pop_std = demand["population"].copy()
    if published is not None and not published.empty:
        latest = published[published["year"] == published["year"].max()]
        ratio = (latest["pop_std"] / latest["pop_total"]).where(latest["pop_total"] > 0)
        by_code = pd.Series(ratio.to_numpy(), index=latest["code"].astype(str).to_numpy())
        factor = demand["id"].map(by_code)
        pop_std = (demand["population"] * factor).fillna(demand["population"])
    demand["pop_std"] = pop_std.astype(float)
    return demand


def site_points(roster: Roster) -> pd.DataFrame:
    """GP sites as destination points (``id``, ``lon``, ``lat``, ``name``, ``kind``)."""
    sites = roster.sites
    return pd.DataFrame(
        {
            "id": sites["site_id"].astype(str).to_numpy(),
            "lon": sites["lon"].to_numpy(dtype=float),
            "lat": sites["lat"].to_numpy(dtype=float),
            "name": sites["name"].astype(str).to_numpy(),
            "kind": sites["kind"].astype(str).to_numpy(),
        }
    )


def candidate_points(territory: Territory, *, exclude: Sequence[str] = ()) -> pd.DataFrame:
    """Candidate sites: the town halls of the territory's communes (ids = INSEE codes).

    Parameters
    ----------
    territory
        The territory.
    exclude
        Codes to leave out.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``lon``, ``lat``, ``name``, ``kind`` (``candidate``).
    """
    from accessmap.territory import points

    pts = points(territory.communes)
    names = territory.communes.set_index("code")["nom"]
    pts = pts[~pts["id"].isin(set(exclude))]
    return pd.DataFrame(
        {
            "id": pts["id"].to_numpy(),
            "lon": pts["lon"].to_numpy(),
            "lat": pts["lat"].to_numpy(),
            "name": pts["id"].map(names).to_numpy(),
            "kind": "candidate",
        }
    )


def compute_traveltimes(
    inputs: Inputs,
    options: DiagnosticOptions,
    *,
    store: Store | None = None,
    progress: Progress | None = None,
) -> tuple[TravelTimes, RoadNetwork | None]:
    """Travel times from every study-area commune to every GP site and candidate town hall.

    With a road graph (``options.osm`` or ``options.online``) the times are shortest paths on
    OpenStreetMap roads; otherwise ``crowfly`` estimates (great-circle × circuity ÷ speed). The
    table is cached in the store under a content hash of its inputs.

    Parameters
    ----------
    inputs
        Loaded inputs.
    options
        Diagnostic options.
    store
        Open store for the cache (optional).
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
    from accessmap import network
    from accessmap.territory import points

    origins = points(inputs.territory.study_area)
    dests = pd.concat(
        [site_points(inputs.roster), candidate_points(inputs.territory)], ignore_index=True
    ).drop_duplicates("id")
    road: RoadNetwork | None = None
    if options.osm is not None or options.online:
        from accessmap.sources.osm import load_road_graph

        _say(progress, "réseau routier OpenStreetMap")
        polygon = inputs.territory.study_area.union_all() if options.osm is None else None
        graph = load_road_graph(path=options.osm, polygon=polygon)
        road = network.build_network(graph, winter=options.winter)
        key = network.traveltimes_key(origins, dests, network=road)
    else:
        key = network.traveltimes_key(origins, dests)
    if store is not None:
        cached = store.read_traveltimes(key)
        if cached is not None:
            _say(progress, "temps de trajet (cache)")
            method = str(cached["method"].iloc[0]) if len(cached) else "crowfly"
            return network.TravelTimes(
                table=cached,
                unreachable=cached.loc[
                    cached["minutes"] == float("inf"), ["origin_id", "dest_id"]
                ].assign(reason="no path (cached)"),
                snapping=pd.DataFrame(),
                method=method,
                parameters={"cache_key": key},
            ), road
    _say(progress, "temps de trajet")
    if road is not None:
        times = network.travel_times(road, origins, dests)
    else:
        times = network.crowfly_times(origins, dests)
    if store is not None:
        store.write_traveltimes(times.table, key=key, label=inputs.territory.name)
    return times, road


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
    od = times.table[times.table["dest_id"].isin(site_ids)]
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
    inside = result.communes[result.communes["in_territory"]]
    territory_sites = inputs.roster.sites.loc[inputs.roster.sites["in_territory"], "site_id"]
    fte = float(inputs.roster.site_fte.reindex(territory_sites).sum())
    zone = indicators.zone_deficitaire(
        population=float(inside["population"].sum()),
        nearest=inside.rename(columns={"nearest_minutes": "minutes"})[["id", "minutes"]],
        commune_population=inside[["id", "population"]],
        gp_fte=fte,
        gp_activity=None,
    )
    return result, drees, zone


def compute_outlook(
    inputs: Inputs,
    times: TravelTimes,
    options: DiagnosticOptions,
    *,
    scenario: Scenario | None = None,
) -> tuple[Outlook, Outlook]:
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
        Replacement scenario (default: ``options.scenario`` or none).

    Returns
    -------
    tuple
        Expected-value and Monte Carlo :class:`~accessmap.workforce.Outlook`.

    References
    ----------
    DREES, démographie des médecins (projections); see ``docs/workforce.md``.
    """
    from accessmap import workforce

    if scenario is None and options.scenario is not None:
        from accessmap.sources import read_text

        text = read_text(options.scenario, what="--scenario")
        scenario = workforce.parse_scenario(text, source=str(options.scenario))
    demand = demand_table(inputs)
    common: dict[str, Any] = {
        "scenario": scenario,
        "start_year": options.start_year,
        "horizon": options.horizon,
        "params": inputs.params,
        "seed": options.seed,
    }
    expected = workforce.outlook(inputs.roster, times.table, demand, engine="expected", **common)
    monte_carlo = workforce.outlook(
        inputs.roster, times.table, demand, engine="monte_carlo", runs=options.runs, **common
    )
    return expected, monte_carlo


def compute_siting(
    inputs: Inputs, times: TravelTimes, options: DiagnosticOptions
) -> tuple[SitingResult, ...]:
    """Siting answers for the territory: MCLP for p = 1..p_max, p-median, p-center.

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

    demand = demand_table(inputs)
    demand = demand[demand["in_territory"]]
    existing = sorted(set(inputs.roster.sites["site_id"]))
    candidates = candidate_points(inputs.territory)["id"].tolist()
    od = times.table[times.table["origin_id"].isin(set(demand["id"]))]
    sizes = range(1, options.p_max + 1)
    mclp = [
        siting.mclp(od, demand, p=p, minutes=options.minutes, candidates=candidates, fixed=existing)
        for p in sizes
    ]
    median = [
        siting.p_median(od, demand, p=p, candidates=candidates, fixed=existing) for p in sizes
    ]
    return (*mclp, *median)


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

    demand = demand_table(inputs)
    demand = demand[demand["in_territory"]]
    existing = sorted(set(inputs.roster.sites["site_id"]))
    candidates = candidate_points(inputs.territory)["id"].tolist()
    od = times.table[times.table["origin_id"].isin(set(demand["id"]))]
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
        Also compare the status quo and each MCLP answer in this outlook year (expected supply
        with retirements, no replacement).

    Returns
    -------
    accessmap.scenarios.Comparison
        ``summary`` and per-commune ``communes`` tables.

    References
    ----------
    DREES APL (2012, 2023); Church & ReVelle (1974).
    """
    from accessmap import scenarios

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
            if r.model == "mclp"
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
    """French label of a siting answer, naming the chosen communes."""
    models = {
        "mclp": "MSP (couverture max.)",
        "p_median": "MSP (temps moyen min.)",
        "p_center": "MSP (pire temps min.)",
        "lscp": "MSP (couverture totale)",
        "volunteer_centres": "centre de médecins bénévoles",
        "rotation": "rotation MilleSoins",
    }
    sites = ", ".join(str(communes.get(s, s)) for s in result.sites)
    count = len(result.sites)
    what = models.get(result.model, result.model)
    if result.model in {"mclp", "p_median", "p_center"}:
        what = f"{count} MSP {what.removeprefix('MSP ')}"
    return f"{what} : {sites}"


def run_diagnostic(
    options: DiagnosticOptions,
    *,
    store: Store | None = None,
    progress: Progress | None = None,
) -> Diagnostic:
    """Run the whole diagnostic: territory → travel times → indicators → outlook → siting.

    Parameters
    ----------
    options
        What to diagnose and how.
    store
        Open store: caches the travel times and receives every result table.
    progress
        Callback receiving the name of each step (the CLI shows a rich progress display).

    Returns
    -------
    Diagnostic
        Every table of the report.

    References
    ----------
    DREES APL; Church & ReVelle (1974) for MCLP; Luo W., Qi Y. (2009), An enhanced two-step
    floating catchment area (E2SFCA) method, Health & Place 15(4).
    """
    from accessmap.catchments import isochrones

    _say(progress, "territoire et offre de soins")
    inputs = load_inputs(options)
    times, road = compute_traveltimes(inputs, options, store=store, progress=progress)
    _say(progress, "indicateurs (temps, APL)")
    indicators_result, drees, zone = compute_indicators(inputs, times, apl_year=options.apl_year)
    _say(progress, "départs en retraite")
    outlook, outlook_mc = compute_outlook(inputs, times, options)
    _say(progress, "implantations (HiGHS)")
    siting_results = compute_siting(inputs, times, options)
    special, special_notes = compute_special_options(inputs, times, options)
    _say(progress, "comparaison des options")
    future_year = outlook.start_year + 10
    mclp = [r for r in siting_results if r.model == "mclp"]
    comparison = compare_options(
        inputs, times, indicators_result, [*mclp, *special], options, future_year=future_year
    )
    _say(progress, "isochrones")
    territory_sites = site_points(inputs.roster)[inputs.roster.sites["in_territory"].to_numpy()]
    zones = isochrones(
        territory_sites, network=road, study_area=inputs.territory.study_area, bands=(10, 20, 30)
    )
    warnings = list(inputs.notes) + list(special_notes) + list(inputs.territory.warnings)
    if times.method == "crowfly":
        warnings.insert(
            0,
            "Temps de trajet ESTIMÉS à vol d'oiseau (distance × détour ÷ vitesse), faute de "
            "réseau routier : fournissez un extrait OpenStreetMap (--osm) pour des temps routiers.",
        )
    return Diagnostic(
        options=options,
        inputs=inputs,
        traveltimes=times,
        indicators=indicators_result,
        drees=drees,
        zone=zone,
        outlook=outlook,
        outlook_mc=outlook_mc,
        options_siting=(*siting_results, *special),
        comparison=comparison.summary,
        option_communes=comparison.communes,
        isochrones=zones,
        warnings=tuple(warnings),
        created_at=_now(),
    )


def _now() -> str:
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0).isoformat()
