"""Every profession of a diagnostic, through the same step: :func:`compute_professions`.

A profession is a parameter (:mod:`accessmap.professions`). For each profession asked,
:func:`profession_result` builds the same things:

- the practitioners: the user's roster rows of that profession, or else the official supply (the
  input layer's roster for the default profession; the INSEE BPE 2019 head counts at the town
  halls for the others, 1 FTE each, ages unknown: **illustrative** ages drawn from the
  profession's own age bands, said in every output);
- per commune: time to the nearest practitioner, its band and the profession's indicator (its APL
  in its unit, or the nearest time);
- a territory summary row;
- the workforce outlook with the profession's own retirement curve (none where the BPE counts
  offices, not practitioners: pharmacies, unless the user's file lists pharmacists).

Across professions: the communes that lose access (30 minutes) to two or more professions at once
over the outlook, and the pôle view (which professions work at each MSP, whom each reaches within
15 / 30 minutes). The primary profession (the default, diagnosed in detail by the other steps:
full indicator tables, Monte Carlo outlook, siting options) comes in with its results already
computed; the others share one travel-time table (communes → every practitioner site and MSP,
every pair under the indicators' horizon, plus each commune's nearest practitioner of every
profession, so a far nearest practitioner keeps its real time).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, cast

import numpy as np
import pandas as pd

from accessmap import workforce
from accessmap.conventions import (
    BEYOND_MINUTES,
    INDICATOR_HORIZON,
    OUTLOOK_HORIZON_YEARS,
    within,
)
from accessmap.errors import AccessmapError, MissingDataError
from accessmap.indicators import pole_sites, pole_view, profession_indicators
from accessmap.inputs import compute_traveltimes, profession_roster, site_points
from accessmap.messages import Message
from accessmap.professions import DEFAULT_PROFESSION, Profession, profession_keys
from accessmap.professions import profession as profession_spec

if TYPE_CHECKING:
    from accessmap.contracts import AplParameters
    from accessmap.indicators import PoleView, TerritoryIndicators
    from accessmap.inputs import Inputs
    from accessmap.network import TravelTimes
    from accessmap.sources import SourceFile
    from accessmap.store import Store
    from accessmap.supply import Roster
    from accessmap.workforce import Outlook

__all__ = [
    "BPE_SOURCE",
    "COUNTING_CAVEAT",
    "OFFICIAL_SOURCE",
    "OTHER_PROFESSIONS",
    "USER_SOURCE",
    "ProfessionResult",
    "ProfessionsResult",
    "StepOptions",
    "compute_professions",
    "other_professions",
    "profession_communes",
    "profession_result",
]

#: Source label of practitioners counted by the INSEE BPE 2019.
BPE_SOURCE = "BPE 2019"
#: Source label of the official roster the input layer loads (the default profession).
OFFICIAL_SOURCE = "sources officielles (BPE, Annuaire santé)"
#: Source label of practitioners read from the user's roster.
USER_SOURCE = "fichier du territoire"
#: Said wherever BPE head counts stand for supply.
COUNTING_CAVEAT = "effectifs BPE 2019 comptés 1 ETP par professionnel"
#: Losing access: no practitioner within this many minutes (one of ``BEYOND_MINUTES``).
LOSS_MINUTES = BEYOND_MINUTES[-1]


def other_professions(primary: str = DEFAULT_PROFESSION) -> tuple[str, ...]:
    """Return every registered profession but ``primary``, in the registry's order.

    Parameters
    ----------
    primary
        The profession the diagnostic's detailed sections are about.

    Returns
    -------
    tuple of str
    """
    return tuple(k for k in profession_keys() if k != primary)


#: The registry's built-in professions beyond the default, in order (a snapshot at import; call
#: :func:`other_professions` for the live list, which includes professions registered later).
OTHER_PROFESSIONS: tuple[str, ...] = other_professions()

Progress = Callable[[str], None]


class StepOptions(Protocol):
    """What the step reads of :class:`~accessmap.diagnostic.DiagnosticOptions`."""

    @property
    def seed(self) -> int: ...  # noqa: D102
    @property
    def winter(self) -> bool | None: ...  # noqa: D102
    @property
    def retirement_age(self) -> int | None: ...  # noqa: D102
    @property
    def unknown_age(self) -> str: ...  # noqa: D102
    @property
    def start_year(self) -> int | None: ...  # noqa: D102
    @property
    def horizon(self) -> int: ...  # noqa: D102


def _say(progress: Progress | None, text: str) -> None:
    if progress is not None:
        progress(text)


_SUMMARY_COLUMNS = [
    "profession", "label", "source", "practitioners", "fte", "indicator", "unit",
    "pop_beyond_20", "pop_beyond_30", "population", "headcount_future", "future_year",
    "illustrative_ages",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class ProfessionResult:
    """One profession in the territory: the same fields for every profession.

    Attributes
    ----------
    profession
        A registered profession (:func:`accessmap.professions.profession`).
    source
        Where its practitioners come from: :data:`BPE_SOURCE`, :data:`USER_SOURCE` or
        :data:`OFFICIAL_SOURCE`.
    roster
        Its practitioners and sites in the study area (ages as used by the outlook).
    communes
        Per study-area commune: ``id``, ``profession``, ``nearest_minutes``, ``band``, ``value``
        (the indicator, in :attr:`unit`), ``population``, ``in_territory``.
    outlook
        Expected-value workforce outlook, or ``None`` (offices counted by the BPE, a profession
        without practitioners, or a failed projection named in the notes).
    outlook_mc
        Monte Carlo outlook, when the profession was projected in detail.
    indicators
        The full indicator tables (nearest time, bands, APL of all and of practitioners under 65,
        classes), when the profession was diagnosed in detail
        (:func:`accessmap.diagnostic.compute_indicators`).
    """

    profession: str
    source: str
    roster: Roster
    communes: pd.DataFrame
    outlook: Outlook | None = None
    outlook_mc: Outlook | None = None
    indicators: TerritoryIndicators | None = None

    @property
    def spec(self) -> Profession:
        """The registry's entry of the profession."""
        return profession_spec(self.profession)

    @property
    def label(self) -> str:
        """French heading (plural, capitalised)."""
        return self.spec.label

    @property
    def unit(self) -> str:
        """French unit of ``value``."""
        return self.spec.unit

    @property
    def indicator(self) -> str:
        """``apl`` or ``nearest``."""
        return self.spec.indicator


@dataclass(frozen=True, slots=True)
class ProfessionsResult(Mapping[str, ProfessionResult]):
    """Every profession of a diagnostic, keyed by profession (the primary one first).

    A read-only mapping ``profession -> ProfessionResult`` plus what spans professions.

    Attributes
    ----------
    results
        One :class:`ProfessionResult` per profession computed: ``primary`` first, then the
        registry's order. Professions whose practitioners are unavailable are left out (named in
        ``notes``).
    primary
        The profession diagnosed in detail (indicator tables, Monte Carlo outlook, siting options);
        :data:`accessmap.professions.DEFAULT_PROFESSION`.
    summary
        One row per profession of ``results``: ``profession``, ``label``, ``source``,
        ``practitioners`` (in the territory, heads), ``fte`` (in the territory), ``indicator``
        (population-weighted mean over the territory's communes with a finite value), ``unit``,
        ``pop_beyond_20``, ``pop_beyond_30`` (inhabitants ``t >= 20`` / ``30`` min from the
        nearest), ``population``, ``headcount_future`` (expected territory headcount in
        ``future_year``, no replacement), ``future_year``, ``illustrative_ages``.
    pole
        The pôle view (MSPs of the roster), or ``None`` without MSP.
    losing
        Communes losing access (30 min) to two or more professions at once in the outlook:
        ``commune_code, zone, n_professions, professions, p_min, year``.
    traveltimes
        The travel-time table shared by the professions beyond the primary one (``None`` when none
        was computed); store it with the run's results.
    notes
        What a reader must know (French).
    provenance
        Files read (the BPE 2019).
    """

    results: Mapping[str, ProfessionResult]
    summary: pd.DataFrame
    primary: str = DEFAULT_PROFESSION
    pole: PoleView | None = None
    losing: pd.DataFrame = field(default_factory=pd.DataFrame)
    traveltimes: TravelTimes | None = None
    notes: tuple[str, ...] = ()
    provenance: tuple[SourceFile, ...] = ()

    def __getitem__(self, key: str) -> ProfessionResult:
        """Return one profession's result (``KeyError`` when it was not computed)."""
        return self.results[key]

    def __iter__(self) -> Iterator[str]:
        """Iterate over the professions computed, the primary one first."""
        return iter(self.results)

    def __len__(self) -> int:
        """Return the number of professions computed."""
        return len(self.results)

    @property
    def others(self) -> tuple[ProfessionResult, ...]:
        """The professions beyond the primary one, in order."""
        return tuple(r for k, r in self.results.items() if k != self.primary)

    @property
    def others_summary(self) -> pd.DataFrame:
        """The summary rows of :attr:`others`."""
        keep = self.summary["profession"] != self.primary
        return self.summary[keep].reset_index(drop=True)


def _roster_for(
    inputs: Inputs, key: str, log: list[SourceFile], missing: list[str]
) -> tuple[Roster, str] | None:
    """Return the profession's practitioners: the user's rows, else the official supply.

    The official supply is the input layer's roster for the profession it loaded (labelled with
    :data:`OFFICIAL_SOURCE`), the BPE 2019 head counts for the others; ``None`` when
    unavailable.
    """
    roster = inputs.roster
    if inputs.options.roster is not None:
        mine = profession_roster(inputs.territory, roster, profession=key, user_roster=True)
        if len(mine.practitioners):
            return mine, USER_SOURCE
    try:
        got = profession_roster(
            inputs.territory, roster, profession=key, user_roster=False, provenance=log
        )
    except MissingDataError:
        missing.append(key)
        return None
    return got, (OFFICIAL_SOURCE if got is roster else BPE_SOURCE)


def _union_sites(rosters: list[Roster], extra: pd.DataFrame) -> Roster:
    """Return a roster whose sites are every practitioner site and the pôle sites."""
    sites = pd.concat([*(r.sites for r in rosters), extra], ignore_index=True)
    sites = sites.drop_duplicates("site_id").reset_index(drop=True)
    return dataclasses.replace(rosters[0], sites=sites)


def _outlook(
    inputs: Inputs, options: StepOptions, roster: Roster, key: str, source: str,
    od: pd.DataFrame, notes: list[str],
) -> tuple[Roster, Outlook | None]:  # fmt: skip
    """Expected-value outlook of one profession (illustrative ages for BPE counts)."""
    spec = profession_spec(key)
    if source == BPE_SOURCE and spec.bpe_counts == "offices":
        return roster, None  # the BPE counts offices (pharmacies), not practitioners
    if source == BPE_SOURCE:
        roster = workforce.illustrative_roster(roster, seed=options.seed, age_bands=spec.age_bands)
    if roster.practitioners.empty:
        return roster, None
    model = workforce.RetirementModel.for_profession(
        key,
        fixed_age=options.retirement_age,
        unknown_age=cast("workforce.UnknownAgeRule", options.unknown_age),
    )
    try:
        result = workforce.outlook(
            roster, od, inputs.demand, engine="expected", model=model,
            start_year=options.start_year, horizon=options.horizon, params=spec.params,
            profession=key,
        )  # fmt: skip
    except AccessmapError as exc:
        notes.append(str(Message("professions.outlook_failed", plural=spec.plural, reason=exc)))
        return roster, None
    return roster, result


def _summary_row(result: ProfessionResult) -> dict[str, object]:
    """Territory figures of one profession (see :attr:`ProfessionsResult.summary`)."""
    table = result.communes[result.communes["in_territory"]]
    population = table["population"].to_numpy(dtype=np.float64)
    minutes = table["nearest_minutes"].to_numpy(dtype=np.float64)
    value = table["value"].to_numpy(dtype=np.float64)
    finite = np.isfinite(value) & (population > 0)
    weights = population[finite]
    indicator = float(np.average(value[finite], weights=weights)) if weights.sum() > 0 else np.nan
    roster = result.roster
    inside = set(roster.sites.loc[roster.sites["in_territory"].astype(bool), "site_id"])
    links = roster.assignments[roster.assignments["site_id"].isin(inside)]
    fte = links["practitioner_id"].map(roster.practitioners.set_index("practitioner_id")["fte"])
    future, year = np.nan, np.nan
    if result.outlook is not None:
        work = result.outlook.workforce
        year = result.outlook.start_year + OUTLOOK_HORIZON_YEARS
        rows = work[(work["zone"] == "territory") & (work["measure"] == "headcount")
                    & (work["year"] == year)]  # fmt: skip
        future = float(rows["value"].iloc[0]) if len(rows) else np.nan
    return {
        "profession": result.profession,
        "label": result.label,
        "source": result.source,
        "practitioners": int(links["practitioner_id"].nunique()),
        "fte": float((fte * links["share"]).sum()),
        "indicator": indicator,
        "unit": result.unit,
        "pop_beyond_20": float(population[~within(minutes, 20.0)].sum()),
        "pop_beyond_30": float(population[~within(minutes, 30.0)].sum()),
        "population": float(population.sum()),
        "headcount_future": future,
        "future_year": year,
        "illustrative_ages": bool(roster.illustrative_ages) and result.outlook is not None,
    }


def _losing(results: Mapping[str, ProfessionResult]) -> pd.DataFrame:
    """Communes losing two or more professions, over the professions projected on one horizon."""
    outlooks = {k: r.outlook for k, r in results.items() if r.outlook is not None}
    if not outlooks:
        return pd.DataFrame()
    years = next(iter(outlooks.values())).years
    same = {k: o for k, o in outlooks.items() if o.years == years}
    return workforce.communes_losing_professions(same, minutes=LOSS_MINUTES, min_professions=2)


def _pole(
    inputs: Inputs, results: Mapping[str, ProfessionResult], od: pd.DataFrame
) -> PoleView | None:
    sites = pole_sites(inputs.roster)
    if sites.empty:
        return None
    return pole_view(sites, {k: r.roster for k, r in results.items()}, od, inputs.demand)


def profession_communes(
    inputs: Inputs,
    od: pd.DataFrame,
    *,
    roster: Roster,
    profession: str,
    params: AplParameters | None = None,
) -> pd.DataFrame:
    """Per study-area commune, one profession's nearest time, band and indicator, with population.

    Parameters
    ----------
    inputs
        Loaded inputs (their demand table).
    od
        Travel times from the study-area communes to the profession's sites.
    roster
        Its practitioners.
    profession
        A registered profession.
    params
        APL parameters replacing the profession's.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``profession``, ``nearest_minutes``, ``band``, ``value``, ``population``,
        ``in_territory`` (:func:`accessmap.indicators.profession_indicators`).

    References
    ----------
    DREES, APL methodology per profession (see :mod:`accessmap.professions`).
    """
    table = profession_indicators(
        od, communes=inputs.demand, roster=roster, profession=profession, params=params
    )
    where = inputs.demand.set_index("id")
    return table.assign(
        population=table["id"].map(where["population"]).to_numpy(),
        in_territory=table["id"].map(where["in_territory"]).astype(bool).to_numpy(),
    )


def profession_result(
    inputs: Inputs,
    options: StepOptions,
    *,
    profession: str,
    roster: Roster,
    source: str,
    od: pd.DataFrame,
    notes: list[str],
    params: AplParameters | None = None,
    outlook: Outlook | None = None,
    outlook_mc: Outlook | None = None,
    indicators: TerritoryIndicators | None = None,
) -> ProfessionResult:
    """One profession's access per commune and workforce outlook: the same step for all.

    Parameters
    ----------
    inputs
        Loaded inputs (demand, territory).
    options
        Diagnostic options (seed, start year, horizon, retirement model).
    profession
        A registered profession.
    roster
        Its practitioners (:func:`accessmap.inputs.profession_roster`).
    source
        Where they come from (:data:`BPE_SOURCE`, :data:`USER_SOURCE`, ...).
    od
        Travel times from the study-area communes to its sites.
    notes
        Receives what a reader must know (a failed projection).
    params
        APL parameters replacing the profession's (the DREES workbook's, calibrated).
    outlook, outlook_mc, indicators
        Already computed by the detailed steps (then not recomputed).

    Returns
    -------
    ProfessionResult

    References
    ----------
    DREES, APL methodology per profession (see :mod:`accessmap.professions`).
    """
    table = profession_communes(inputs, od, roster=roster, profession=profession, params=params)
    if outlook is None:
        roster, outlook = _outlook(inputs, options, roster, profession, source, od, notes)
    return ProfessionResult(
        profession=profession, source=source, roster=roster, communes=table, outlook=outlook,
        outlook_mc=outlook_mc, indicators=indicators,
    )  # fmt: skip


def _others(
    inputs: Inputs, options: StepOptions, keys: tuple[str, ...], *, store: Store | None,
    log: list[SourceFile], notes: list[str],
) -> tuple[dict[str, ProfessionResult], TravelTimes | None]:  # fmt: skip
    """Every profession of ``keys`` on one shared travel-time table (none without supply)."""
    missing: list[str] = []
    rosters = {key: got for key in keys if (got := _roster_for(inputs, key, log, missing))}
    if missing:
        names = [profession_spec(k).plural for k in missing]
        notes.append(str(Message("professions.not_computed", names=names)))
    if not rosters:
        return {}, None
    gp_sites = inputs.roster.sites
    pole = gp_sites[gp_sites["site_id"].isin(set(pole_sites(inputs.roster)["site_id"]))]
    union = _union_sites([r for r, _ in rosters.values()], pole)
    times, _ = compute_traveltimes(
        inputs.territory, union, inputs.roads, winter=options.winter,
        horizon=INDICATOR_HORIZON, candidates=False, store=store, provenance=log,
        nearest_of=[site_points(roster) for roster, _ in rosters.values()],
    )  # fmt: skip
    results = {
        key: profession_result(
            inputs, options, profession=key, roster=roster, source=source, od=times.table,
            notes=notes,
        )
        for key, (roster, source) in rosters.items()
    }  # fmt: skip
    if any(r.source == BPE_SOURCE for r in results.values()):
        notes.append(str(Message("professions.bpe_counts", caveat=COUNTING_CAVEAT)))
    return results, times


def compute_professions(
    inputs: Inputs,
    options: StepOptions,
    *,
    primary: ProfessionResult | None = None,
    professions: Sequence[str] | None = None,
    store: Store | None = None,
    progress: Progress | None = None,
) -> ProfessionsResult:
    """Every profession asked: access, outlook, summary, pôle view, communes losing several.

    Each profession runs :func:`profession_result`; the ones beyond the primary share one
    travel-time table (communes → every practitioner site and MSP, every pair under the
    indicators' horizon, plus each commune's nearest practitioner of every profession, so a far
    nearest practitioner keeps its real time).

    Parameters
    ----------
    inputs
        Loaded inputs (a user roster's rows of each profession win over the BPE 2019 counts).
    options
        Diagnostic options (seed, start year, horizon, retirement model, winter speeds).
    primary
        The profession diagnosed in detail (:func:`profession_result` with its indicator tables
        and outlooks). Without it, the default profession is computed here like the others
        (expected outlook only). Either way it counts among the professions a commune can lose
        and in the pôle.
    professions
        Professions to compute beyond the primary one (default: every registered one,
        :func:`other_professions`).
    store
        Open store whose travel-time cache is read.
    progress
        Callback receiving the step's name.

    Returns
    -------
    ProfessionsResult
        Professions whose practitioners are unavailable (no BPE 2019 file, no roster rows) are
        left out and named in ``notes``.

    References
    ----------
    DREES, APL aux infirmiers, masseurs-kinésithérapeutes, sages-femmes et chirurgiens-dentistes
    (methodological notes; Legendre, Aberki, Chaput 2019, Études et Résultats n° 1100); INSEE,
    BPE 2019 (codes D221, D231, D232, D233, D301).
    """
    main = primary.profession if primary is not None else DEFAULT_PROFESSION
    keys = tuple(other_professions(main) if professions is None else professions)
    if primary is None:
        keys = (main, *(k for k in keys if k != main))
    log: list[SourceFile] = []
    notes: list[str] = []
    if keys:
        _say(progress, str(Message("progress.professions")))
    others, times = _others(inputs, options, keys, store=store, log=log, notes=notes)
    results = {**({main: primary} if primary is not None else {}), **others}
    od = times.table if times is not None else pd.DataFrame()
    return ProfessionsResult(
        results=results,
        primary=main,
        summary=pd.DataFrame([_summary_row(r) for r in results.values()], columns=_SUMMARY_COLUMNS),
        pole=_pole(inputs, results, od) if others else None,
        losing=_losing(results)
        if any(r.outlook is not None for r in others.values())
        else pd.DataFrame(),
        traveltimes=times,
        notes=tuple(notes),
        provenance=tuple(log),
    )
