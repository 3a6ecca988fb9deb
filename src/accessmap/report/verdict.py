"""The one-page verdict: the figures an elected official reads first, each card with its caveat.

:func:`verdict` distils a :class:`~accessmap.diagnostic.Diagnostic` into a :class:`Verdict`;
:func:`verdict_cards` turns it into :class:`VerdictCard` objects (title, official figure, modelled
figure, caveat) that the template renders as they are. Official DREES figures lead a card when the
diagnostic carries them (attribute ``official``, see :func:`official_figures`); otherwise they are
computed from the published APL the diagnostic read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from accessmap.conventions import APL_PRIORITY, APL_SECONDARY, BEYOND_MINUTES
from accessmap.labels import at_place, fmt_float, fmt_int, fmt_minutes, fmt_percent, noun
from accessmap.messages import Message

if TYPE_CHECKING:
    from accessmap.diagnostic import Diagnostic

Tone = Literal["bad", "warn", "ok", "neutral"]

#: Communes named on the card of the communes losing their last GP, the soonest first: on a
#: department (some fifty such communes at 727) the card stays a card; every one of them is in
#: the table of the section « Départs en retraite » (:func:`losing_table`).
LOSING_NAMED = 8


@dataclass(frozen=True, slots=True)
class VerdictCard:
    """One card of the verdict, ready to print (every text in French, numbers formatted).

    Attributes
    ----------
    title
        What the card is about (``"APL du territoire"``).
    modelled
        The big figure computed by accessmap (``"4,48"``).
    detail
        One sentence saying what the figure means.
    caveat
        What the reader must know about how it was computed (crow-fly times, illustrative
        ages, imputed activity...).
    official
        The official (published) figure, when there is one (``"3,29"``); printed first.
    official_source
        Its source (``"DREES, APL 2023 publié"``).
    tone
        ``bad``, ``warn``, ``ok`` or ``neutral`` (colour of the figure).
    """

    title: str
    modelled: str
    detail: str
    caveat: str
    official: str | None = None
    official_source: str | None = None
    tone: Tone = "neutral"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The one-page verdict.

    Attributes
    ----------
    territory
        Territory title.
    population
        Inhabitants of the territory.
    communes
        Communes of the territory.
    pop_beyond_20, pop_beyond_30
        Inhabitants 20 (30) minutes or more from the nearest GP (``t >= T``).
    apl
        Territory APL (standardised-population-weighted).
    apl_label
        French reading of the APL against the national thresholds (2.5, 4).
    communes_apl_below, pop_apl_below
        Communes and inhabitants with APL < 2.5.
    gps_today
        GPs practising in the territory today.
    gone_5, gone_10
        Today's GPs expected to have stopped by +5 / +10 years (expected engine).
    year_5, year_10
        Those years.
    losing
        Communes expected to lose their last GP within 10 years: ``code``, ``nom``, ``year``
        (first year with probability ≥ 50 %), ``probability`` (Monte Carlo).
    best_options
        The three options that gain most: ``option``, ``gain_10`` (inhabitants newly within
        10 min), ``gain_apl``, ``gain_mean``, ``new_sites``, ``sentence`` (plain French).
    method
        ``osm`` or ``crowfly``.
    illustrative_ages
        Whether GP ages were generated.
    apl_future
        Territory APL at ``year_10`` without replacement (expected engine; NaN if unknown).
    """

    territory: str
    population: int
    communes: int
    pop_beyond_20: float
    pop_beyond_30: float
    apl: float
    apl_label: str
    communes_apl_below: int
    pop_apl_below: float
    gps_today: float
    gone_5: float
    gone_10: float
    year_5: int
    year_10: int
    losing: pd.DataFrame
    best_options: pd.DataFrame
    method: str
    illustrative_ages: bool
    apl_future: float = float("nan")


def apl_reading(value: float) -> str:
    """French reading of an APL against the national thresholds (2,5 and 4).

    Parameters
    ----------
    value
        An APL (consultations per standardised inhabitant per year).

    Returns
    -------
    str
        ``"sous le seuil de 2,5 : zone prioritaire"``, ``"entre 2,5 et 4 : zone de vigilance"``
        or ``"au-dessus de 4"``.
    """
    if math.isnan(value):
        return "non calculé"
    if value < APL_PRIORITY:
        return "sous le seuil de 2,5 : zone prioritaire"
    if value < APL_SECONDARY:
        return "entre 2,5 et 4 : zone de vigilance"
    return "au-dessus de 4"


def _measure(work: pd.DataFrame, name: str, year: int) -> float:
    row = work[(work["zone"] == "territory") & (work["measure"] == name) & (work["year"] == year)]
    return float(row["value"].iloc[0]) if len(row) else float("nan")


def verdict(diagnostic: Diagnostic) -> Verdict:
    """Distil a diagnostic into the figures of the one-page verdict.

    Parameters
    ----------
    diagnostic
        A computed diagnostic.

    Returns
    -------
    Verdict
        Inhabitants beyond 20/30 min, APL against the thresholds, departures at +5/+10 years,
        communes losing their last GP, the three best options.

    References
    ----------
    DREES, APL thresholds used by the ARS zoning (2.5 and 4 consultations per year).
    """
    from accessmap.territory import PRESETS

    d = diagnostic
    inside = d.indicators.communes[d.indicators.communes["in_territory"]]
    minutes = inside["nearest_minutes"].astype(float)
    population = inside["population"].astype(float)
    below = inside["apl"].astype(float) < APL_PRIORITY
    start = d.outlook.start_year
    today = _measure(d.outlook.workforce, "headcount_today", start)
    year_5, year_10 = start + 5, start + 10
    name = d.inputs.territory.name
    near, far = BEYOND_MINUTES[0], BEYOND_MINUTES[-1]
    return Verdict(
        territory=PRESETS[name].title if name in PRESETS else name,
        population=int(population.sum()),
        communes=len(inside),
        pop_beyond_20=float(population[minutes >= near].sum()),
        pop_beyond_30=float(population[minutes >= far].sum()),
        apl=float(d.indicators.apl_territory),
        apl_label=apl_reading(float(d.indicators.apl_territory)),
        communes_apl_below=int(below.sum()),
        pop_apl_below=float(population[below].sum()),
        gps_today=today,
        gone_5=today - _measure(d.outlook.workforce, "headcount_today", year_5),
        gone_10=today - _measure(d.outlook.workforce, "headcount_today", year_10),
        year_5=year_5,
        year_10=year_10,
        losing=_losing(d, until=year_10),
        best_options=best_options(d),
        method=d.traveltimes.method,
        illustrative_ages=bool(d.outlook.illustrative_ages),
        apl_future=_measure(d.outlook.access, "apl_mean", year_10),
    )


def _losing(d: Diagnostic, *, until: int) -> pd.DataFrame:
    """Return the communes losing their last GP by ``until``, the soonest first.

    From :attr:`~accessmap.diagnostic.Diagnostic.losing_last` (already sorted by year, then
    code: the stable sort keeps that order within a year).
    """
    names = d.inputs.territory.communes.set_index("code")["nom"]
    table = d.losing_last
    columns = ["code", "nom", "year", "probability"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    lost = table[table["lost"] & (table["first_year"] <= until)]
    lost = lost.sort_values("first_year", kind="stable")  # the soonest first, then as given
    return pd.DataFrame(
        {
            "code": lost["commune_code"].astype(str).to_numpy(),
            "nom": [str(names.get(c, c)) for c in lost["commune_code"]],
            "year": lost["first_year"].astype(int).to_numpy(),
            "probability": lost["p_without"].astype(float).to_numpy(),
        },
        columns=columns,
    )


def option_sentence(row: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """One plain French sentence saying what an option adds and what it changes.

    Parameters
    ----------
    row
        A row of the comparison with ``gain_10``, ``gain_apl``, ``gain_mean``, ``new_sites``
        and ``new_fte``.
    names
        Commune names by INSEE code.

    Returns
    -------
    str
        E.g. « Ajoute 1 médecin à temps plein à La Nouaille : 1 203 habitants de plus à moins de
        10 minutes, APL du territoire +0,09, temps moyen réduit de 0,4 min. »
    """
    codes = [c.strip() for c in str(row.get("new_sites", "")).split(",") if c.strip()]
    where = ", ".join(str(names.get(c, c)) for c in codes) or "aucun site"
    fte = float(row.get("new_fte", float("nan")))
    if math.isnan(fte):
        adds = f"Ajoute un site {at_place(where)}"
    elif fte >= 1:
        doctors = noun(fte, "médecin", "médecins")
        adds = f"Ajoute {fmt_float(fte, 1).removesuffix(',0')} {doctors} à temps plein ({where})"
    else:
        adds = f"Ajoute {fmt_percent(fte)} d'un temps plein de médecin, en rotation ({where})"
    gain_apl = float(row.get("gain_apl", float("nan")))
    sign = "+" if gain_apl >= 0 else ""
    return (
        f"{adds} : {fmt_int(row.get('gain_10'))} habitants de plus à moins de 10 minutes d'un "
        f"médecin, APL du territoire {sign}{fmt_float(gain_apl, 2)}, temps moyen réduit de "
        f"{fmt_minutes(row.get('gain_mean'))} min."
    )


def _future_gain(comparison: pd.DataFrame) -> pd.Series:
    """APL gain of each option in the outlook year over "no replacement", by today's option name."""
    if "year" not in comparison or comparison["year"].isna().all():
        return pd.Series(dtype=float)
    future = comparison[comparison["year"].notna()]
    base = future.iloc[0]
    prefix = f"{int(base['year'])} + "
    rows = future.iloc[1:]
    names = rows["option"].astype(str).str.removeprefix(prefix)
    return pd.Series(
        (rows["apl_territory"] - base["apl_territory"]).to_numpy(dtype=float), index=names
    )


def best_options(d: Diagnostic, *, top: int = 3) -> pd.DataFrame:
    """Options ranked where the need is: APL gain in ten years, then inhabitants within 10 min.

    Each option is evaluated today and in the outlook year (retirements without replacement); the
    ranking uses the gain over "no replacement" in that year first, today's gains next.

    Parameters
    ----------
    d
        A computed diagnostic.
    top
        How many to keep.

    Returns
    -------
    pandas.DataFrame
        ``option``, ``gain_10``, ``gain_apl``, ``gain_apl_future``, ``gain_mean``, ``new_sites``,
        ``sentence``.
    """
    comparison = d.comparison
    columns = ["option", "gain_10", "gain_apl", "gain_apl_future", "gain_mean", "new_sites",
               "sentence"]  # fmt: skip
    today = comparison[comparison["year"].isna()] if "year" in comparison else comparison
    if len(today) < 2:
        return pd.DataFrame(columns=columns)
    base = today.iloc[0]
    others = today.iloc[1:].copy()
    others["gain_10"] = others["pop_within_10"] - base["pop_within_10"]
    others["gain_apl"] = others["apl_territory"] - base["apl_territory"]
    others["gain_mean"] = base["mean_minutes"] - others["mean_minutes"]
    future = _future_gain(comparison)
    others["gain_apl_future"] = others["option"].astype(str).map(future).fillna(0.0)
    ranked = others.sort_values(
        ["gain_apl_future", "gain_10", "gain_apl", "gain_mean"], ascending=False
    ).head(top)
    names = d.inputs.territory.communes.set_index("code")["nom"].astype(str).to_dict()
    ranked["sentence"] = [
        option_sentence({str(k): x for k, x in r.items()}, names) for r in ranked.to_dict("records")
    ]
    return ranked[columns].reset_index(drop=True)


def official_figures(d: Diagnostic) -> dict[str, float]:
    """Official DREES figures of the territory, from ``d.official``.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    dict
        ``year``, ``apl``, ``communes_priority``, ``pop_priority``, ``communes_secondary``,
        ``pop_secondary`` (empty when nothing official is known).

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) », published commune values; computed by
    :func:`accessmap.indicators.official.official_apl`.
    """
    keys = ("year", "apl", "communes_priority", "pop_priority", "communes_secondary",
            "pop_secondary")  # fmt: skip
    given = d.official
    if given is None:
        return {}
    return {k: float(getattr(given, k)) for k in keys}


def _tone_apl(value: float) -> Tone:
    if math.isnan(value):
        return "neutral"
    return "bad" if value < APL_PRIORITY else ("warn" if value < APL_SECONDARY else "ok")


def caveats(d: Diagnostic) -> dict[str, str]:
    """Return the caveat lines of the cards: travel times, ages, activity.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    dict
        ``times``, ``ages``, ``activity`` (French sentences).
    """
    times = (
        "Temps estimés à vol d'oiseau (distance × détour ÷ vitesse), pas des temps routiers."
        if d.traveltimes.method == "crowfly"
        else "Temps routiers simplifiés (OpenStreetMap, vitesses par type de route, sans trafic)."
    )
    ages = (
        "Âges des médecins illustratifs (tirés au hasard) : un ordre de grandeur, pas un fait."
        if d.outlook.illustrative_ages
        else "Âges des médecins tirés du fichier fourni."
    )
    sites = d.indicators.sites
    imputed = float(sites["acts_imputed"].sum()) if "acts_imputed" in sites else 0.0
    total = float(sites["acts"].sum()) if "acts" in sites else 0.0
    activity = (
        f"Activité des médecins imputée pour {fmt_percent(imputed / total)} des actes "
        "(l'activité réelle n'est pas publique)."
        if total > 0 and imputed > 0
        else "Activité des médecins issue du fichier fourni."
    )
    return {"times": times, "ages": ages, "activity": activity}


def verdict_cards(d: Diagnostic, v: Verdict | None = None) -> tuple[VerdictCard, ...]:
    """Return the cards of the verdict page, official figures first where they exist.

    Parameters
    ----------
    d
        A computed diagnostic.
    v
        Its verdict (computed when not given).

    Returns
    -------
    tuple of VerdictCard
        Access, APL, departures, communes losing their last GP, the outlook at +10 years.
    """
    v = verdict(d) if v is None else v
    notes = caveats(d)
    off = official_figures(d)
    source = f"DREES, APL {int(off['year'])} publié" if "year" in off else None
    near, far = (fmt_int(m) for m in (BEYOND_MINUTES[0], BEYOND_MINUTES[-1]))
    share = v.pop_beyond_20 / v.population if v.population else float("nan")
    cards = [
        VerdictCard(
            title="Habitants loin d'un médecin généraliste",
            modelled=fmt_int(v.pop_beyond_20),
            detail=f"habitants à {near} minutes ou plus du médecin le plus proche "
            f"({fmt_percent(share)}), dont {fmt_int(v.pop_beyond_30)} à {far} minutes ou plus.",
            caveat=notes["times"],
            tone="bad" if v.pop_beyond_20 > 0 else "ok",
        ),
        VerdictCard(
            title="Accessibilité potentielle localisée (APL)",
            modelled=fmt_float(v.apl, 2),
            detail=_apl_detail(v, off),
            caveat=notes["activity"] + " " + notes["times"],
            official=fmt_float(off["apl"], 2) if "apl" in off else None,
            official_source=source,
            tone=_tone_apl(off.get("apl", v.apl)),
        ),
        _departures_card(v, notes["ages"]),
        _losing_card(v, notes["ages"]),
        _future_card(v, off, notes["ages"], d),
    ]
    return tuple(cards)


def _apl_detail(v: Verdict, off: Mapping[str, Any]) -> str:
    """Return the APL card's sentence: the published counts first, then the model's."""
    modelled = (
        f"modélisé : {v.apl_label} ; {fmt_int(v.communes_apl_below)} communes "
        f"({fmt_int(v.pop_apl_below)} habitants) sous 2,5."
    )
    if "communes_priority" not in off:
        return f"consultations par an et par habitant ; {modelled}"
    return (
        f"consultations par an et par habitant. Publié : {fmt_int(off['communes_priority'])} "
        f"communes ({fmt_int(off['pop_priority'])} habitants) sous 2,5 et "
        f"{fmt_int(off['communes_secondary'])} ({fmt_int(off['pop_secondary'])} habitants) de 2,5 "
        f"à 4 ; {modelled}"
    )


def _future_card(
    v: Verdict, off: Mapping[str, Any], caveat: str, d: Diagnostic | None = None
) -> VerdictCard:
    """Return the card of the APL at +10 years (published + modelled change when published).

    With decisions on the official indicator, the card reads their "no plan" figures (each
    commune's published APL plus its modelled change, the one definition the options and the
    simulator use); else the territory's published APL plus the territory's modelled change.
    """
    change = v.apl_future - v.apl
    decisions = d.decisions if d is not None else None
    if decisions is not None and decisions.inputs.official:
        sq = decisions.status_quo
        level = sq.apl_year
        return VerdictCard(
            title=f"En {decisions.inputs.year}, sans remplacement",
            modelled=f"{fmt_float(v.apl_future, 2)} (évolution {fmt_float(change, 2)})",
            detail=str(
                Message(
                    "decisions.future_card",
                    year=decisions.inputs.year,
                    communes=sq.communes_under_year,
                    people=round(sq.under_year),
                    reading=apl_reading(level),
                )
            ),
            caveat=caveat,
            official=fmt_float(level, 2),
            official_source="officiel + effet modélisé",
            tone=_tone_apl(level),
        )
    if "apl" in off:
        level = float(off["apl"]) + change
        return VerdictCard(
            title=f"En {v.year_10}, sans remplacement",
            modelled=f"{fmt_float(v.apl_future, 2)} (évolution {fmt_float(change, 2)})",
            detail=f"APL du territoire en {v.year_10} si aucun départ n'est remplacé : APL publié "
            f"({fmt_float(off['apl'], 2)}) + effet modélisé des départs ({fmt_float(change, 2)}), "
            f"{apl_reading(level)}.",
            caveat=caveat,
            official=fmt_float(level, 2),
            official_source="officiel + effet modélisé",
            tone=_tone_apl(level),
        )
    return VerdictCard(
        title=f"En {v.year_10}, sans remplacement",
        modelled=fmt_float(v.apl_future, 2),
        detail=f"APL modélisé du territoire en {v.year_10} si aucun départ n'est remplacé "
        f"(aujourd'hui {fmt_float(v.apl, 2)}) : {apl_reading(v.apl_future)}.",
        caveat=caveat,
        tone=_tone_apl(v.apl_future),
    )


def _departures_card(v: Verdict, caveat: str) -> VerdictCard:
    return VerdictCard(
        title="Départs en retraite",
        modelled=f"{fmt_int(v.gone_5)} / {fmt_int(v.gone_10)}",
        detail=f"médecins sur {fmt_int(v.gps_today)} partis d'ici {v.year_5} / {v.year_10} "
        "(nombre moyen attendu).",
        caveat=caveat,
        tone="bad" if v.gone_10 > 0 else "ok",
    )


def _losing_card(v: Verdict, caveat: str) -> VerdictCard:
    if len(v.losing):
        names = ", ".join(
            f"{r.nom} ({r.year}, probabilité {fmt_percent(r.probability)})"
            for r in v.losing.head(LOSING_NAMED).itertuples()
        )
        rest = len(v.losing) - LOSING_NAMED
        if rest > 0:
            names += (
                f" et {fmt_int(rest)} autres (liste complète dans la section « Départs en "
                "retraite » du rapport)"
            )
        detail = f"communes qui perdraient leur dernier médecin d'ici {v.year_10} : {names}."
    else:
        detail = f"aucune commune ne perdrait son dernier médecin d'ici {v.year_10}."
    return VerdictCard(
        title="Communes sans médecin",
        modelled=fmt_int(len(v.losing)),
        detail=detail,
        caveat=caveat + " Probabilités estimées par des tirages au hasard.",
        tone="bad" if len(v.losing) else "ok",
    )


def losing_table(v: Verdict) -> pd.DataFrame:
    """Return every commune losing its last GP within ten years, as a reader sees it.

    Parameters
    ----------
    v
        A verdict (:func:`verdict`).

    Returns
    -------
    pandas.DataFrame
        French headers, the soonest loss first: ``commune``, ``code INSEE``, ``année de la
        perte`` (first year in which at least half the draws have no GP left),
        ``probabilité de n'avoir plus de médecin en <year>``; no row when no commune loses its
        last GP.

    References
    ----------
    :func:`accessmap.workforce.communes_losing_last` (the Monte Carlo shares behind the years
    and probabilities).
    """
    return pd.DataFrame(
        {
            "commune": [str(n) for n in v.losing["nom"]],
            "code INSEE": [str(c) for c in v.losing["code"]],
            "année de la perte": [str(int(y)) for y in v.losing["year"]],
            f"probabilité de n'avoir plus de médecin en {v.year_10}": [
                fmt_percent(float(p)) for p in v.losing["probability"]
            ],
        }
    )


def verdict_table(d: Diagnostic) -> pd.DataFrame:
    """Return the verdict cards as one French table (notebooks, exports).

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    pandas.DataFrame
        ``question``, ``chiffre officiel``, ``source officielle``, ``modèle``, ``en clair``,
        ``à savoir`` (each card's caveat).
    """
    return pd.DataFrame(
        [
            {
                "question": card.title,
                "chiffre officiel": card.official or "—",
                "source officielle": card.official_source or "—",
                "modèle": card.modelled,
                "en clair": card.detail,
                "à savoir": card.caveat,
            }
            for card in verdict_cards(d)
        ]
    )
