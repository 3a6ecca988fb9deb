"""French labels and number/date formatting: the one place for what a reader sees.

Code, API and column names stay English; every report, figure, CSV for spreadsheets and
GeoPackage alias takes its French wording from here:

* number formatting the French way (:func:`fmt_int` ``38 474`` with a narrow no-break space,
  :func:`fmt_float` ``4,6``, :func:`fmt_percent` ``12 %``, :func:`fmt_date` ``30 novembre 2026``);
* labels of codes (siting models, APL classes, solver statuses, travel-time methods, outlook
  engines, provenance origins and datasets, decree 2003-1140 criteria) and of columns, with their
  unit and their precision (:data:`COLUMNS`, :func:`column_label`, :func:`format_value`);
* the plotly settings that make figures French (:data:`PLOTLY_SEPARATORS`,
  :func:`plotly_config`, :func:`plotly_locale_script`);
* :func:`french_text`, which rewrites the known English caveats of the computing modules.

Nothing here imports a heavy library; every function is pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from accessmap.messages.formats import (
    EMPTY,
    MONTHS,
    NNBSP,
    fmt_date,
    fmt_float,
    fmt_int,
    fmt_minutes,
    fmt_percent,
    is_missing,
)

__all__ = [
    "APL_CLASSES",
    "COLUMNS",
    "CRITERIA",
    "DATASETS",
    "ENGINES",
    "MEASURES",
    "METHODS",
    "MODELS",
    "MONTHS",
    "NNBSP",
    "ORIGINS",
    "PLOTLY_SEPARATORS",
    "SITE_KINDS",
    "STATUSES",
    "ZONE_VERDICTS",
    "Column",
    "band_label",
    "column_label",
    "criterion_detail",
    "fmt_date",
    "fmt_float",
    "fmt_int",
    "fmt_minutes",
    "fmt_percent",
    "format_value",
    "french_text",
    "label",
    "plotly_config",
    "plotly_locale_script",
]

#: plotly ``layout.separators``: decimal comma, narrow no-break space between thousands.
PLOTLY_SEPARATORS = "," + NNBSP

# --- labels of codes ---------------------------------------------------------------------------

#: Siting models (``SitingResult.model``).
MODELS: dict[str, str] = {
    "mclp": "couverture maximale (MCLP)",
    "p_median": "p-médiane (temps moyen le plus court)",
    "p_center": "p-centre (pire temps le plus court)",
    "lscp": "couverture totale (LSCP)",
    "volunteer_centres": "centre de médecins bénévoles",
    "rotation": "rotation de type MilleSoins",
    "greedy": "glouton (heuristique)",
}
#: APL classes (``apl_class``): DREES thresholds 2,5 and 4.
APL_CLASSES: dict[str, str] = {
    "priority": "moins de 2,5 : zone prioritaire",
    "secondary": "2,5 à 4 : zone de vigilance",
    "adequate": "4 ou plus",
    "unknown": "non calculé",
}
#: Solver statuses.
STATUSES: dict[str, str] = {
    "optimal": "optimal",
    "time_limit": "limite de temps atteinte",
    "heuristic": "heuristique",
    "infeasible": "infaisable",
}
#: Travel-time methods.
METHODS: dict[str, str] = {
    "osm": "temps routiers (OpenStreetMap)",
    "crowfly": "estimation à vol d'oiseau",
}
#: Outlook engines.
ENGINES: dict[str, str] = {
    "expected": "calcul en espérance",
    "monte_carlo": "tirages Monte-Carlo",
}
#: Where an input file came from.
ORIGINS: dict[str, str] = {
    "mirror": "miroir local",
    "cache": "cache local",
    "online": "téléchargé",
    "local": "fichier fourni",
}
#: Input datasets.
DATASETS: dict[str, str] = {
    "communes": "Communes : contours, mairies, population légale (geo.api.gouv.fr)",
    "drees_apl": "DREES : APL aux médecins généralistes",
    "bpe_gp": "INSEE BPE : médecins généralistes par commune (D201)",
    "bpe_sante": "INSEE BPE 2019 : professionnels de santé par commune",
    "zrr": "Zones de revitalisation rurale (ZRR)",
    "roads": "Réseau routier OpenStreetMap",
    "gp_sites_creuse": "Annuaire santé : cabinets de médecine générale de la Creuse",
    "declared_sites": "Sites déclarés (MSP, centres) fournis avec accessmap",
    "roster": "Fichier des médecins",
    "osm": "Réseau routier OpenStreetMap",
}
#: GP site kinds.
SITE_KINDS: dict[str, str] = {
    "cabinet": "cabinet",
    "msp": "maison de santé pluriprofessionnelle",
    "centre_sante": "centre de santé",
    "volunteer_centre": "centre de médecins bénévoles",
    "candidate": "candidat",
}
#: Workforce and access measures of the outlook.
MEASURES: dict[str, str] = {
    "headcount": "médecins en exercice",
    "headcount_today": "médecins d'aujourd'hui encore en exercice",
    "fte": "équivalents temps plein",
    "departures": "départs",
    "share_gone": "part des médecins d'aujourd'hui partis",
    "apl_mean": "APL moyen",
    "pop_beyond_20": "habitants à 20 min ou plus",
    "pop_beyond_30": "habitants à 30 min ou plus",
    "communes_without_gp": "communes sans médecin",
}
#: Verdicts of the decree 2003-1140 test.
ZONE_VERDICTS: dict[str, str] = {
    "qualifies": "remplit les conditions",
    "does_not_qualify": "ne remplit pas les conditions",
    "unknown": "indéterminé (données manquantes)",
    "too_small": "territoire de moins de 5 000 habitants",
}
#: Criteria of the decree 2003-1140 (by key) and their statuses.
CRITERIA: dict[str, str] = {
    "no_gp_within_40": "des habitants ne peuvent atteindre un médecin généraliste en moins de "
    "40 minutes",
    "fewer_than_3_fte_per_5000": "moins de 3 médecins généralistes à temps plein pour "
    "5 000 habitants",
    "gps_over_7500_acts": "75 % des médecins généralistes réalisent plus de 7 500 actes par an",
    "age_social_or_zrr": "plus de 10 % d'habitants de 75 ans ou plus, indicateurs sociaux "
    "défavorables ou zone de revitalisation rurale (ZRR)",
    "met": "rempli",
    "not_met": "non rempli",
    "unknown": "inconnu",
}
#: Names of outlook scenarios that have a French reading.
SCENARIOS: Mapping[str, str] = {"none": "aucun remplacement", "status_quo": "statu quo"}

_TABLES: dict[str, Mapping[str, str]] = {
    "scenario": SCENARIOS,
    "model": MODELS,
    "apl_class": APL_CLASSES,
    "status": STATUSES,
    "method": METHODS,
    "engine": ENGINES,
    "origin": ORIGINS,
    "dataset": DATASETS,
    "kind": SITE_KINDS,
    "measure": MEASURES,
    "zone": ZONE_VERDICTS,
    "criterion": CRITERIA,
}
Vocabulary = Literal[
    "model", "apl_class", "status", "method", "engine", "origin", "dataset", "kind", "measure",
    "zone", "criterion", "scenario",
]  # fmt: skip


def label(vocabulary: Vocabulary, code: Any) -> str:
    """French label of a code (``label("model", "mclp") -> "couverture maximale (MCLP)"``).

    Parameters
    ----------
    vocabulary
        Which list of codes: ``model``, ``apl_class``, ``status``, ``method``, ``engine``,
        ``origin``, ``dataset``, ``kind``, ``measure``, ``zone`` or ``criterion``.
    code
        The machine code.

    Returns
    -------
    str
        The French label; an unknown code is returned as it is (``—`` when missing).
    """
    if is_missing(code):
        return EMPTY
    return _TABLES[vocabulary].get(str(code), str(code))


def band_label(band: str) -> str:
    """French label of a machine band (:func:`accessmap.conventions.band_labels`).

    Parameters
    ----------
    band
        ``"0-10"``, ``"10-20"``, ``"40+"`` or ``"unreachable"``.

    Returns
    -------
    str
        ``"moins de 10 min"``, ``"10 à 20 min"``, ``"40 min et plus"``, ``"inaccessible"``.
    """
    text = str(band)
    if text == "unreachable":
        return "inaccessible"
    if text.endswith("+"):
        return f"{_bare(float(text[:-1]))} min et plus"
    low, _, high = text.partition("-")
    try:
        lo, hi = float(low), float(high)
    except ValueError:
        return text
    if lo == 0:
        return f"moins de {_bare(hi)} min"
    return f"{_bare(lo)} à {_bare(hi)} min"


def _bare(value: float) -> str:
    """Format a number with one decimal, without a trailing ``,0`` (band edges: ``10``, ``7,5``)."""
    return fmt_float(value, 1).removesuffix(",0")


def criterion_detail(key: str, value: float | None, detail: str) -> str:
    """French detail of a decree 2003-1140 criterion from its value.

    Parameters
    ----------
    key
        The criterion key (:data:`CRITERIA`).
    value
        Its measured value (share of inhabitants, FTE per 5,000 inhabitants, share of GPs...).
    detail
        The English detail of :mod:`accessmap.indicators`, rewritten by :func:`french_text`
        when the value alone cannot say it.

    Returns
    -------
    str
        A French sentence.
    """
    if value is None or is_missing(value):
        return "donnée manquante" if "unknown" not in detail else french_text(detail)
    if key == "no_gp_within_40":
        return f"{fmt_percent(value, 1)} des habitants à 40 minutes ou plus d'un médecin"
    if key == "fewer_than_3_fte_per_5000":
        return f"{fmt_float(value, 2)} médecins à temps plein pour 5 000 habitants"
    if key == "gps_over_7500_acts":
        return f"{fmt_percent(value)} des médecins au-delà de 7 500 actes par an"
    return f"{fmt_percent(value)} d'habitants de 75 ans ou plus"


# --- columns: French header, unit and precision ------------------------------------------------

Kind = Literal["int", "minutes", "apl", "float1", "float2", "share", "year", "text"]


@dataclass(frozen=True, slots=True)
class Column:
    """French header of a column and how to format its values.

    Attributes
    ----------
    header
        French header with its unit (``"temps moyen (min)"``).
    kind
        ``int`` (counts: ``38 474``), ``minutes`` (one decimal at most), ``apl`` (two decimals),
        ``float1``/``float2``, ``share`` (percentage), ``year`` (no separator) or ``text``.
    """

    header: str
    kind: Kind


#: Every column a reader may see, by machine name.
COLUMNS: dict[str, Column] = {
    "code": Column("code INSEE", "text"),
    "id": Column("code INSEE", "text"),
    "nom": Column("commune", "text"),
    "dep": Column("département", "text"),
    "epci": Column("EPCI (SIREN)", "text"),
    "epci_nom": Column("EPCI", "text"),
    "population": Column("habitants", "int"),
    "pop_std": Column("population standardisée", "int"),
    "area_km2": Column("surface (km²)", "float1"),
    "density": Column("densité (hab./km²)", "float1"),
    "in_territory": Column("dans le territoire", "text"),
    "mairie_lon": Column("longitude de la mairie", "float2"),
    "mairie_lat": Column("latitude de la mairie", "float2"),
    "mairie_moved": Column("point de mairie replacé dans la commune", "text"),
    "nearest_minutes": Column("temps jusqu'au médecin le plus proche (min)", "minutes"),
    "nearest_site": Column("site le plus proche", "text"),
    "nearest_method": Column("méthode de calcul des temps", "text"),
    "minutes": Column("temps (min)", "minutes"),
    "band": Column("tranche de temps", "text"),
    "apl": Column("APL (consultations/an/hab.)", "apl"),
    "apl_u65": Column("APL médecins de moins de 65 ans", "apl"),
    "apl_drees": Column("APL publié DREES", "apl"),
    "apl_u65_drees": Column("APL publié DREES, moins de 65 ans", "apl"),
    "apl_class": Column("classe d'APL", "text"),
    "diff": Column("écart d'APL (nous - DREES)", "apl"),
    "diff_u65": Column("écart d'APL moins de 65 ans", "apl"),
    "pop_std_drees": Column("population standardisée DREES", "int"),
    "option": Column("option", "text"),
    "year": Column("année", "year"),
    "new_sites": Column("nouveaux sites (codes INSEE)", "text"),
    "new_fte": Column("médecins ajoutés (ETP)", "float1"),
    "pop_within_10": Column("habitants à moins de 10 min", "int"),
    "pop_within_20": Column("habitants à moins de 20 min", "int"),
    "pop_within_30": Column("habitants à moins de 30 min", "int"),
    "share_within_10": Column("part à moins de 10 min", "share"),
    "share_within_20": Column("part à moins de 20 min", "share"),
    "share_within_30": Column("part à moins de 30 min", "share"),
    "mean_minutes": Column("temps moyen (min)", "minutes"),
    "max_minutes": Column("temps maximal (min)", "minutes"),
    "pop_unreachable": Column("habitants sans accès", "int"),
    "apl_territory": Column("APL du territoire", "apl"),
    "communes_apl_below": Column("communes à APL < 2,5", "int"),
    "pop_apl_below": Column("habitants à APL < 2,5", "int"),
    "communes_with_gp": Column("communes avec médecin", "int"),
    "communes_losing_last_gp": Column("communes perdant leur dernier médecin", "int"),
    "losing_last_gp_avoided": Column("pertes du dernier médecin évitées", "int"),
    "apl_below": Column("APL < 2,5", "text"),
    "has_gp": Column("médecin dans la commune", "text"),
    "had_gp": Column("médecin aujourd'hui", "text"),
    "site_id": Column("site", "text"),
    "lower": Column("borne basse (min)", "minutes"),
    "upper": Column("borne haute (min)", "minutes"),
    "communes": Column("communes", "int"),
    "share": Column("part", "share"),
    "zone": Column("zone", "text"),
    "measure": Column("mesure", "text"),
    "value": Column("valeur", "float2"),
    "q10": Column("10e centile", "float2"),
    "q50": Column("médiane", "float2"),
    "q90": Column("90e centile", "float2"),
    "ages_basis": Column("âges", "text"),
    "commune_code": Column("code INSEE", "text"),
    "p_without_gp": Column("probabilité sans médecin", "share"),
    "p_lose_last_gp": Column("probabilité de perdre le dernier médecin", "share"),
    "name": Column("nom", "text"),
    "kind": Column("type", "text"),
    "fte": Column("médecins (ETP)", "float1"),
    "lon": Column("longitude", "float2"),
    "lat": Column("latitude", "float2"),
    "area_km2_zone": Column("surface (km²)", "float1"),
    "method": Column("méthode", "text"),
    "model": Column("modèle", "text"),
    "p": Column("nombre de sites", "int"),
    "rank": Column("rang", "int"),
    "status": Column("statut du solveur", "text"),
    "objective": Column("objectif", "float1"),
    "gain_minutes": Column("gain de temps (min)", "minutes"),
    "minutes_before": Column("temps avant (min)", "minutes"),
    "minutes_after": Column("temps après (min)", "minutes"),
    "apl_before": Column("APL avant", "apl"),
    "apl_after": Column("APL après", "apl"),
}
_VALUE_VOCABULARY: dict[str, Vocabulary] = {
    "apl_class": "apl_class",
    "nearest_method": "method",
    "method": "method",
    "kind": "kind",
    "measure": "measure",
    "status": "status",
    "model": "model",
}


def column_label(name: str) -> str:
    """French header (with unit) of a machine column; ``p_sans_mg_2036``-style names pass through.

    Parameters
    ----------
    name
        Machine column name.

    Returns
    -------
    str
        The French header.
    """
    if name in COLUMNS:
        return COLUMNS[name].header
    match = re.fullmatch(r"p_sans_mg_(\d{4})", name)
    if match:
        return f"probabilité sans médecin en {match.group(1)}"
    return name.replace("_", " ")


def format_value(column: str, value: Any) -> str:
    """Format one value for a reader according to its column (:data:`COLUMNS`).

    Parameters
    ----------
    column
        Machine column name (decides the precision: populations as integers, minutes with one
        decimal at most, APL with two decimals, shares as percentages, years bare).
    value
        The value.

    Returns
    -------
    str
        French text; booleans as ``oui``/``non``; coded values through their vocabulary.
    """
    if isinstance(value, bool):
        return "oui" if value else "non"
    if is_missing(value):
        return EMPTY
    if column in _VALUE_VOCABULARY:
        return label(_VALUE_VOCABULARY[column], value)
    if column == "band":
        return band_label(str(value))
    kind = COLUMNS[column].kind if column in COLUMNS else None
    if kind is None and column.startswith("p_sans_mg_"):
        kind = "share"
    if kind is None:
        kind = "float2" if isinstance(value, float) else "text"
    return _format_kind(kind, value)


def _fmt_apl(value: float) -> str:
    return fmt_float(value, 2)


def _fmt_float1(value: float) -> str:
    return fmt_float(value, 1)


def _fmt_year(value: float) -> str:
    return str(round(value))


_FORMATTERS: dict[str, Callable[[float], str]] = {
    "int": fmt_int,
    "minutes": fmt_minutes,
    "share": fmt_percent,
    "year": _fmt_year,
    "apl": _fmt_apl,
    "float1": _fmt_float1,
    "float2": _fmt_apl,
}


def _format_kind(kind: Kind, value: Any) -> str:
    if kind == "text":
        return str(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return _FORMATTERS[kind](number)


# --- English caveats of the computing modules, in French --------------------------------------

_PATH = re.compile(r"(?:/[^\s/();,]+)+/([^\s/();,]+)")
_REWRITES: tuple[tuple[str, str], ...] = (
    (
        (
            r"activity unknown for part of the GPs: (\d+)% of the counted acts are imputed as "
            r"FTE x ([\d,]+) acts/year"
        ),
        (
            r"activité inconnue pour une partie des médecins : \1 % des actes comptés sont "
            r"imputés (ETP × \2 actes par an)"
        ),
    ),
    (
        r"GP ages are illustrative \(generated\), not facts",
        "âges des médecins illustratifs (générés), ce ne sont pas des faits",
    ),
    (
        r"birth year unknown for (\d+) of (\d+) GP\(s\): they are kept in the under-(\d+) APL",
        (
            r"année de naissance inconnue pour \1 médecin(s) sur \2 : ils restent comptés "
            r"dans l'APL des moins de \3 ans"
        ),
    ),
    (
        (
            r"standardised population unknown for (\d+) commune\(s\): their population "
            r"légale is used instead"
        ),
        r"population standardisée inconnue pour \1 commune(s) : la population légale est utilisée",
    ),
    (r"^roster: ", "offre de soins : "),
    (r"^APL parameters: ", "paramètres de l'APL : "),
    (
        r"BPE D201 counts at town halls \(1 FTE per GP, activity and age unknown\)",
        "effectifs BPE D201 placés aux mairies (1 ETP par médecin, activité et âge inconnus)",
    ),
    (
        r"Annuaire santé geocoded sites for Creuse communes",
        "cabinets géocodés de l'Annuaire santé pour les communes de la Creuse",
    ),
    (r"(\d+) declared site\(s\)", r"\1 site(s) déclaré(s)"),
    (r"illustrative ages \(seed (\d+), (\d+)\)", r"âges illustratifs (graine \1, \2)"),
    (r"roster file ", "fichier des médecins "),
    (r"DREES APL workbook", "classeur APL de la DREES"),
    (r"\(built-in defaults\)", "(valeurs intégrées)"),
    (r"population légale published", "population légale publiée en"),
    (r"BPE about (\d+)", r"BPE vers \1"),
    (r"user file", "fichier fourni"),
    (r"no GP activity given", "activité des médecins non fournie"),
    (r"no travel times given", "temps de trajet non fournis"),
    (r"GP FTE not given", "effectifs (ETP) non fournis"),
    (r"share over 75 > 10 %", "part des 75 ans ou plus > 10 %"),
    (r"social indicators above average", "indicateurs sociaux défavorables"),
    (r": unknown", " : inconnu"),
    (r": True", " : oui"),
    (r": False", " : non"),
)


def _date(match: re.Match[str]) -> str:
    return fmt_date(match.group(0))


def _thousands(match: re.Match[str]) -> str:
    return match.group(0).replace(",", NNBSP)


def french_text(text: str) -> str:
    """Rewrite the known English caveats of the computing modules in French; drop local paths.

    Parameters
    ----------
    text
        A note, a roster source, a vintage... (French text passes through unchanged).

    Returns
    -------
    str
        The French text; an absolute path is reduced to its file name.
    """
    out = _PATH.sub(r"\1", str(text))
    for pattern, replacement in _REWRITES:
        out = re.sub(pattern, replacement, out)
    out = re.sub(r"\b\d{1,3}(?:,\d{3})+(?= actes)", _thousands, out)
    out = re.sub(r"\b\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)?", _date, out)
    return re.sub(r"(?<! ); ", " ; ", out)


# --- plotly ------------------------------------------------------------------------------------

#: French tool-bar tooltips (plotly.js English keys).
_PLOTLY_DICTIONARY: dict[str, str] = {
    "Autoscale": "Échelle automatique",
    "Box Select": "Sélection rectangulaire",
    "Compare data on hover": "Comparer les données au survol",
    "Double-click to zoom back out": "Double-cliquez pour dézoomer",
    "Download plot": "Télécharger le graphique",
    "Download plot as a PNG": "Télécharger le graphique en PNG",
    "Lasso Select": "Sélection au lasso",
    "Pan": "Déplacer",
    "Produced with Plotly.js": "Réalisé avec Plotly.js",
    "Reset": "Réinitialiser",
    "Reset axes": "Réinitialiser les axes",
    "Reset view": "Réinitialiser la vue",
    "Reset views": "Réinitialiser les vues",
    "Show closest data on hover": "Données les plus proches au survol",
    "Toggle Spike Lines": "Afficher les repères",
    "Toggle show closest data on hover": "Données les plus proches au survol",
    "Zoom": "Zoom",
    "Zoom in": "Zoom avant",
    "Zoom out": "Zoom arrière",
    "Click to enter Plot title": "Cliquez pour saisir le titre",
    "Double-click on legend to isolate one trace": "Double-cliquez sur la légende pour isoler "
    "une série",
}

#: Mode-bar buttons removed: online services and tools that mean nothing on a map or a chart.
MODEBAR_REMOVE: tuple[str, ...] = (
    "sendChartToCloud", "sendDataToCloud", "editInChartStudio", "lasso2d", "select2d",
    "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian",
)  # fmt: skip


def plotly_config(*, filename: str = "accessmap") -> dict[str, Any]:
    """Return the plotly ``config`` of every accessmap figure: French, offline, no online button.

    Parameters
    ----------
    filename
        File name (without extension) of the PNG the camera button saves.

    Returns
    -------
    dict
        ``displaylogo`` off, online buttons removed, ``locale`` ``fr`` (registered by
        :func:`plotly_locale_script`), PNG export at twice the screen resolution.
    """
    return {
        "displaylogo": False,
        "responsive": True,
        "locale": "fr",
        "showSendToCloud": False,
        "modeBarButtonsToRemove": list(MODEBAR_REMOVE),
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }


def plotly_locale_script() -> str:
    """JavaScript that registers the ``fr`` locale with plotly.js (run after plotly.js).

    plotly.js ships its locales only in its ``dist`` folder, which the Python package does not
    include: this registers French tool-bar tooltips, month and day names and the French
    decimal and thousands separators.

    Returns
    -------
    str
        A script body (no ``<script>`` tag).
    """
    import json

    days = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]
    locale = {
        "moduleType": "locale",
        "name": "fr",
        "dictionary": _PLOTLY_DICTIONARY,
        "format": {
            "days": days,
            "shortDays": [d[:3] + "." for d in days],
            "months": list(MONTHS),
            "shortMonths": [m[:4].rstrip(".") + "." if len(m) > 4 else m for m in MONTHS],
            "date": "%d/%m/%Y",
            "decimal": ",",
            "thousands": NNBSP,
        },
    }
    return (
        "if (window.Plotly && !window.__accessmapFr) { window.__accessmapFr = true; "
        f"Plotly.register({json.dumps(locale, ensure_ascii=False)}); }}"
    )
