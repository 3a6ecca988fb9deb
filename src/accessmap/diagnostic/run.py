"""The whole diagnostic chained: :func:`run_diagnostic`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from accessmap.conventions import ISOCHRONE_BANDS, OUTLOOK_HORIZON_YEARS
from accessmap.diagnostic.losing import losing_last, with_losing_counts
from accessmap.diagnostic.model import Diagnostic, DiagnosticOptions, Progress
from accessmap.diagnostic.official import calibrate, official_figures
from accessmap.diagnostic.professions import (
    OFFICIAL_SOURCE,
    USER_SOURCE,
    ProfessionResult,
    compute_professions,
    profession_result,
)
from accessmap.diagnostic.steps import (
    _say,
    compare_options,
    compute_decision_options,
    compute_indicators,
    compute_outlook,
    compute_profession_recruits,
    compute_simulator_inputs,
    compute_siting,
    compute_special_options,
    compute_traveltimes,
    load_inputs,
)
from accessmap.inputs import read_once, site_points
from accessmap.messages import Message
from accessmap.professions import DEFAULT_PROFESSION

if TYPE_CHECKING:
    import pandas as pd

    from accessmap.indicators import TerritoryIndicators
    from accessmap.inputs import Inputs
    from accessmap.network import TravelTimes
    from accessmap.store import Store
    from accessmap.workforce import Outlook

__all__ = ["run_diagnostic"]


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
    # every input (communes, DREES workbook, road network) read once for the whole run
    with read_once():
        return _run(options, store=store, progress=progress)


def _run(
    options: DiagnosticOptions, *, store: Store | None, progress: Progress | None
) -> Diagnostic:
    from accessmap.catchments import isochrones

    _say(progress, str(Message("progress.territory")))
    inputs = load_inputs(options)
    official = official_figures(inputs, year=options.apl_year)
    calibrated = calibrate(inputs, options, store=store, progress=progress)
    inputs = calibrated.inputs
    times, road = compute_traveltimes(inputs, options, store=store, progress=progress)
    _say(progress, str(Message("progress.indicators")))
    indicators_result, drees, zone = compute_indicators(inputs, times, apl_year=options.apl_year)
    _say(progress, str(Message("progress.outlook")))
    outlook, outlook_mc = compute_outlook(inputs, times, options)
    primary = _primary(inputs, options, times, indicators_result, (outlook, outlook_mc))
    professions = compute_professions(
        inputs, options, primary=primary, professions=_asked(options.professions),
        store=store, progress=progress,
    )  # fmt: skip
    inputs = dataclasses.replace(inputs, provenance=(*inputs.provenance, *professions.provenance))
    _say(progress, str(Message("progress.siting")))
    siting_results = compute_siting(inputs, times, options)
    special, special_notes = compute_special_options(inputs, times, options)
    _say(progress, str(Message("progress.options")))
    distinct = [r for r in siting_results if r.parameters.get("p", 1) == 1]  # one new site each
    comparison = compare_options(
        inputs, times, indicators_result, [*distinct, *special], options,
        future_year=outlook.start_year + 10,
    )  # fmt: skip
    _say(progress, str(Message("progress.decisions")))
    decisions = compute_decision_options(inputs, times, options, outlook, progress=progress)
    hosts = list(decisions.inputs.candidates) if decisions is not None else None
    recruits = compute_profession_recruits(
        inputs, times, professions, options, candidates=hosts, progress=progress
    )
    _say(progress, str(Message("progress.simulator")))
    simulator = compute_simulator_inputs(inputs, times, professions, decisions, outlook)
    losing = losing_last(outlook_mc, year=outlook.start_year + OUTLOOK_HORIZON_YEARS)
    summary = with_losing_counts(
        comparison.summary, losing, site_communes=inputs.roster.site_communes
    )
    _say(progress, str(Message("progress.isochrones")))
    territory_sites = site_points(inputs.roster)[inputs.roster.sites["in_territory"].to_numpy()]
    zones = isochrones(
        territory_sites, network=road, study_area=inputs.territory.study_area, bands=ISOCHRONE_BANDS
    )
    return Diagnostic(
        options=options,
        inputs=inputs,
        traveltimes=times,
        professions=professions,
        drees=drees,
        zone=zone,
        options_siting=(*siting_results, *special),
        comparison=summary,
        option_communes=comparison.communes,
        isochrones=zones,
        official=official,
        calibration=calibrated.fit,
        calibration_times=calibrated.times,
        official_effects=_official_effects(inputs, comparison.communes, options.apl_year),
        decisions=decisions,
        profession_recruits=recruits,
        simulator=simulator,
        losing_last=losing,
        warnings=_warnings(inputs, times, (*calibrated.notes, *special_notes)),
        created_at=_now(),
    )


def _asked(professions: bool | tuple[str, ...]) -> tuple[str, ...] | None:
    """Professions asked beside the primary one (``None``: every registered one)."""
    if isinstance(professions, bool):
        return None if professions else ()
    return professions


def _primary(
    inputs: Inputs,
    options: DiagnosticOptions,
    times: TravelTimes,
    indicators: TerritoryIndicators,
    outlooks: tuple[Outlook, Outlook],
) -> ProfessionResult:
    """Run the default profession through the common step, its detailed results attached."""
    roster = inputs.roster
    od = times.table[times.table["dest_id"].isin(set(roster.sites["site_id"]))]
    source = USER_SOURCE if inputs.options.roster is not None else OFFICIAL_SOURCE
    return profession_result(
        inputs, options, profession=DEFAULT_PROFESSION, roster=roster, source=source, od=od,
        notes=[], params=inputs.params, outlook=outlooks[0], outlook_mc=outlooks[1],
        indicators=indicators,
    )  # fmt: skip


def _official_effects(inputs: Inputs, communes: pd.DataFrame, year: int) -> pd.DataFrame | None:
    from accessmap.indicators.official import official_plus_effect

    if inputs.published is None or communes.empty:
        return None
    baseline = str(communes["option"].iloc[0])
    return official_plus_effect(communes, inputs.published, baseline=baseline, year=year)


def _warnings(inputs: Inputs, times: TravelTimes, notes: tuple[str, ...]) -> tuple[str, ...]:
    """List what every reader must know, the travel-time caveat first."""
    from accessmap.inputs.traveltimes import CROWFLY_LABEL

    first = []
    if times.method == "crowfly":
        first.append(
            f"Temps de trajet : {CROWFLY_LABEL} ; fournissez un extrait OpenStreetMap (--osm) "
            "pour des temps routiers."
        )
    elif inputs.roads.kind == "mirror":
        first.append(f"Temps de trajet : {inputs.roads.label}.")
    return (*first, *inputs.notes, *notes, *inputs.territory.warnings)


def _now() -> str:
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0).isoformat()
