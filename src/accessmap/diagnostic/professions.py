"""The diagnostic step for the other health professions: nurses, physiotherapists, dentists...

For every profession of :data:`accessmap.indicators.PROFESSIONS` but GPs (which the rest of the
diagnostic covers), :func:`compute_professions` builds:

- the practitioners: the user's roster rows of that profession, or else the INSEE BPE 2019 head
  counts at the town halls (1 FTE each, ages unknown: **illustrative** ages are drawn for the
  outlook and every output says so);
- per commune: time to the nearest practitioner, its band and the profession's indicator (APL in
  FTE per 100,000 inhabitants, or the nearest time for pharmacies);
- a territory summary row;
- the workforce outlook (expected values; the BPE counts pharmacies, not pharmacists, so
  pharmacies get an outlook only from the user's file);
- the communes that lose access (30 minutes) to two or more professions at once over the outlook,
  GPs included when their outlook is given;
- the pôle view: which professions work at each MSP and whom each reaches within 15 / 30 minutes.

All professions share one travel-time table (communes → every practitioner site and MSP, every
pair under the indicators' horizon, plus each commune's nearest practitioner of every profession,
so a far nearest practitioner keeps its real time).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, cast

import numpy as np
import pandas as pd

from accessmap.conventions import BEYOND_MINUTES, OUTLOOK_HORIZON_YEARS, within
from accessmap.errors import AccessmapError, MissingDataError

if TYPE_CHECKING:
    from accessmap.indicators import PoleView
    from accessmap.inputs import Inputs
    from accessmap.network import TravelTimes
    from accessmap.sources import SourceFile
    from accessmap.store import Store
    from accessmap.supply import Roster
    from accessmap.workforce import Outlook

__all__ = [
    "BPE_SOURCE",
    "COUNTING_CAVEAT",
    "OTHER_PROFESSIONS",
    "USER_SOURCE",
    "ProfessionResult",
    "ProfessionsResult",
    "StepOptions",
    "compute_professions",
]

GP = "generaliste"
#: Source label of practitioners counted by the INSEE BPE 2019.
BPE_SOURCE = "BPE 2019"
#: Source label of practitioners read from the user's roster.
USER_SOURCE = "fichier du territoire"
#: Said wherever BPE head counts stand for supply.
COUNTING_CAVEAT = "effectifs BPE 2019 comptés 1 ETP par professionnel"
#: Losing access: no practitioner within this many minutes (one of ``BEYOND_MINUTES``).
LOSS_MINUTES = BEYOND_MINUTES[-1]
#: The professions of this step (every one of ``PROFESSIONS`` but GPs), in the registry's order.
OTHER_PROFESSIONS: tuple[str, ...] = (
    "infirmier", "masseur_kinesitherapeute", "sage_femme", "chirurgien_dentiste", "pharmacie",
)  # fmt: skip

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
    """One profession in the territory.

    Attributes
    ----------
    profession
        Key of :data:`accessmap.indicators.PROFESSIONS`.
    label
        French name (plural).
    source
        :data:`BPE_SOURCE` or :data:`USER_SOURCE`.
    roster
        Its practitioners and sites in the study area (ages as used by the outlook).
    communes
        Per study-area commune: ``id``, ``profession``, ``nearest_minutes``, ``band``, ``value``
        (the indicator, in ``unit``), ``population``, ``in_territory``.
    unit
        French unit of ``value``.
    indicator
        ``apl`` or ``nearest``.
    outlook
        Expected-value workforce outlook, or ``None`` (pharmacies counted by the BPE, or a
        profession without practitioners).
    """

    profession: str
    label: str
    source: str
    roster: Roster
    communes: pd.DataFrame
    unit: str
    indicator: str
    outlook: Outlook | None = None


@dataclass(frozen=True, slots=True)
class ProfessionsResult:
    """Every other health profession of a diagnostic.

    Attributes
    ----------
    professions
        One :class:`ProfessionResult` per profession computed, in :data:`OTHER_PROFESSIONS` order.
    summary
        One row per profession: ``profession``, ``label``, ``source``, ``practitioners`` (in the
        territory, heads), ``fte`` (in the territory), ``indicator`` (population-weighted mean
        over the territory's communes; for pharmacies over the communes with a finite time),
        ``unit``, ``pop_beyond_20``, ``pop_beyond_30`` (inhabitants ``t >= 20`` / ``30`` min from
        the nearest), ``population``, ``headcount_future`` (expected territory headcount in
        ``future_year``, no replacement), ``future_year``, ``illustrative_ages``.
    pole
        The pôle view (MSPs of the roster), or ``None`` without MSP.
    losing
        Communes losing access (30 min) to two or more professions at once in the outlook:
        ``commune_code, zone, n_professions, professions, p_min, year``.
    traveltimes
        The shared travel-time table (``None`` when no profession was computed); store it with
        the run's results (:func:`accessmap.inputs.store_traveltimes`).
    notes
        What a reader must know (French).
    provenance
        Files read (the BPE 2019).
    """

    professions: tuple[ProfessionResult, ...]
    summary: pd.DataFrame
    pole: PoleView | None = None
    losing: pd.DataFrame = field(default_factory=pd.DataFrame)
    traveltimes: TravelTimes | None = None
    notes: tuple[str, ...] = ()
    provenance: tuple[SourceFile, ...] = ()

    def get(self, profession: str) -> ProfessionResult | None:
        """Return the result of one profession, or ``None`` when it was not computed.

        Parameters
        ----------
        profession
            A key of :data:`OTHER_PROFESSIONS`.

        Returns
        -------
        ProfessionResult or None
        """
        return next((p for p in self.professions if p.profession == profession), None)


def _roster_for(
    inputs: Inputs, key: str, log: list[SourceFile], missing: list[str]
) -> tuple[Roster, str] | None:
    """Return the profession's practitioners: the user's rows, else the BPE 2019 (or None)."""
    from accessmap.inputs import profession_roster

    roster = inputs.roster
    if inputs.options.roster is not None:
        mine = profession_roster(inputs.territory, roster, profession=key, user_roster=True)
        if len(mine.practitioners):
            return mine, USER_SOURCE
    try:
        bpe = profession_roster(
            inputs.territory, roster, profession=key, user_roster=False, provenance=log
        )
    except MissingDataError:
        missing.append(key)
        return None
    return bpe, BPE_SOURCE


def _missing_note(missing: list[str]) -> str:
    from accessmap.indicators import profession_parameters

    names = ", ".join(profession_parameters(k).label.lower() for k in missing)
    return (
        f"Non calculés : {names}. Le fichier INSEE BPE 2019 (bpe/bpe19_ensemble_sante.csv) "
        "manque au miroir de données ; fournissez-le, ou ces professions dans le fichier du "
        "territoire (--roster)."
    )


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
    from accessmap import workforce
    from accessmap.indicators import profession_parameters

    prof = profession_parameters(key)
    if key == "pharmacie" and source == BPE_SOURCE:
        return roster, None  # the BPE counts pharmacies (offices), not pharmacists
    if source == BPE_SOURCE:
        roster = workforce.illustrative_roster(roster, seed=options.seed)
    if roster.practitioners.empty:
        return roster, None
    model = workforce.RetirementModel(
        fixed_age=options.retirement_age,
        unknown_age=cast("workforce.UnknownAgeRule", options.unknown_age),
    )
    try:
        result = workforce.outlook(
            roster, od, inputs.demand, engine="expected", model=model,
            start_year=options.start_year, horizon=options.horizon, params=prof.params,
            profession=key,
        )  # fmt: skip
    except AccessmapError as exc:
        notes.append(f"Projection des départs non calculée pour les {prof.label.lower()} : {exc}")
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


def _losing(outlooks: dict[str, Outlook], gp_outlook: Outlook | None) -> pd.DataFrame:
    from accessmap.workforce import communes_losing_professions

    chosen = dict(outlooks)
    if gp_outlook is not None and all(o.years == gp_outlook.years for o in outlooks.values()):
        chosen = {GP: gp_outlook, **chosen}
    return communes_losing_professions(chosen, minutes=LOSS_MINUTES, min_professions=2)


def _pole(inputs: Inputs, results: list[ProfessionResult], od: pd.DataFrame) -> PoleView | None:
    from accessmap.indicators import pole_sites, pole_view

    sites = pole_sites(inputs.roster)
    if sites.empty:
        return None
    rosters = {GP: inputs.roster, **{r.profession: r.roster for r in results}}
    return pole_view(sites, rosters, od, inputs.demand)


def _empty(notes: list[str], log: list[SourceFile]) -> ProfessionsResult:
    return ProfessionsResult(
        professions=(), summary=pd.DataFrame(columns=_SUMMARY_COLUMNS),
        notes=tuple(notes), provenance=tuple(log),
    )  # fmt: skip


def compute_professions(
    inputs: Inputs,
    options: StepOptions,
    *,
    store: Store | None = None,
    progress: Progress | None = None,
    gp_outlook: Outlook | None = None,
) -> ProfessionsResult:
    """Nurses, physiotherapists, midwives, dentists and pharmacies: access, outlook, pôle view.

    Parameters
    ----------
    inputs
        Loaded inputs (a user roster's rows of each profession win over the BPE 2019 counts).
    options
        Diagnostic options (seed, start year, horizon, retirement model, winter speeds).
    store
        Open store whose travel-time cache is read.
    progress
        Callback receiving the step's name.
    gp_outlook
        The GPs' expected-value outlook: GPs then count among the professions a commune can lose.

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
    from accessmap.conventions import INDICATOR_HORIZON
    from accessmap.indicators import pole_sites, profession_indicators, profession_parameters
    from accessmap.inputs import compute_traveltimes, site_points

    _say(progress, "autres professions de santé")
    log: list[SourceFile] = []
    notes: list[str] = []
    missing: list[str] = []
    rosters = {
        key: got for key in OTHER_PROFESSIONS if (got := _roster_for(inputs, key, log, missing))
    }
    if missing:
        notes.append(_missing_note(missing))
    if not rosters:
        return _empty(notes, log)
    gp_sites = inputs.roster.sites
    pole = gp_sites[gp_sites["site_id"].isin(set(pole_sites(inputs.roster)["site_id"]))]
    union = _union_sites([r for r, _ in rosters.values()], pole)
    times, _ = compute_traveltimes(
        inputs.territory, union, inputs.roads, winter=options.winter,
        horizon=INDICATOR_HORIZON, candidates=False, store=store, provenance=log,
        nearest_of=[site_points(roster) for roster, _ in rosters.values()],
    )  # fmt: skip
    od = times.table
    results: list[ProfessionResult] = []
    for key, (roster, source) in rosters.items():
        prof = profession_parameters(key)
        table = profession_indicators(od, communes=inputs.demand, roster=roster, profession=key)
        where = inputs.demand.set_index("id")
        table = table.assign(
            population=table["id"].map(where["population"]).to_numpy(),
            in_territory=table["id"].map(where["in_territory"]).astype(bool).to_numpy(),
        )
        aged, outlook = _outlook(inputs, options, roster, key, source, od, notes)
        results.append(ProfessionResult(
            profession=key, label=prof.label, source=source, roster=aged, communes=table,
            unit=prof.unit, indicator=prof.indicator, outlook=outlook,
        ))  # fmt: skip
    outlooks = {r.profession: r.outlook for r in results if r.outlook is not None}
    if any(r.source == BPE_SOURCE for r in results):
        notes.append(f"Autres professions : {COUNTING_CAVEAT}, à la mairie de la commune.")
    return ProfessionsResult(
        professions=tuple(results),
        summary=pd.DataFrame([_summary_row(r) for r in results], columns=_SUMMARY_COLUMNS),
        pole=_pole(inputs, results, od),
        losing=_losing(outlooks, gp_outlook) if outlooks else pd.DataFrame(),
        traveltimes=times,
        notes=tuple(notes),
        provenance=tuple(log),
    )
