"""French labels and number/date formatting: the one place for what a reader sees.

Code, API and column names stay English; every report, figure, CSV for spreadsheets and
GeoPackage alias takes its French wording from here:

* number formatting the French way (:func:`fmt_int` ``38 474`` with a narrow no-break space,
  :func:`fmt_float` ``4,6``, :func:`fmt_percent` ``12 %``, :func:`fmt_date` ``30 novembre 2026``);
* labels of codes (APL classes, solver statuses, travel-time methods, outlook engines,
  provenance origins, datasets and vintages, territory or buffer, decree 2003-1140 criteria) and
  of columns, with their unit, precision and meaning (:data:`COLUMNS`, :func:`column_label`,
  :func:`format_value`; the column registry itself lives in :mod:`accessmap.columns` and is
  re-exported here); the labels of siting models, accessibility measures and professions are not
  copied here: :func:`label` reads them from their registries (:mod:`accessmap.siting.registry`,
  :mod:`accessmap.indicators.registry`, :mod:`accessmap.professions`);
* the plotly settings that make figures French (:data:`PLOTLY_SEPARATORS`,
  :func:`plotly_config`, :func:`plotly_locale_script`).

Notes and caveats of the computing modules are :class:`accessmap.messages.Message` objects whose
``str()`` is French: nothing here translates text. Nothing here imports a heavy library (the
registries load pandas and numpy, no solver); every function is pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

from accessmap.columns import (
    COLUMNS,
    CSV_TABLES,
    KIND_DIGITS,
    KIND_LABELS,
    MEASURE_KINDS,
    PROFESSION_COLUMNS,
    Column,
    Kind,
    Vocabulary,
    column_spec,
    table_column,
)
from accessmap.indicators.registry import MEASURES as ACCESS_MEASURES
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
from accessmap.professions import PROFESSIONS
from accessmap.siting.registry import MODELS as SITING_MODELS

__all__ = [
    "AGES",
    "APL_CLASSES",
    "AREAS",
    "COLUMNS",
    "CRITERIA",
    "CSV_TABLES",
    "DATASETS",
    "ENGINES",
    "KIND_DIGITS",
    "KIND_LABELS",
    "MEASURES",
    "MEASURE_KINDS",
    "METHODS",
    "MONTHS",
    "NNBSP",
    "ORIGINS",
    "PLOTLY_SEPARATORS",
    "PROFESSION_COLUMNS",
    "SITE_KINDS",
    "STATUSES",
    "VINTAGES",
    "ZONE_VERDICTS",
    "Column",
    "at_place",
    "band_label",
    "column_label",
    "column_spec",
    "criterion_detail",
    "fmt_date",
    "fmt_float",
    "fmt_int",
    "fmt_minutes",
    "fmt_percent",
    "format_value",
    "label",
    "noun",
    "of_place",
    "plotly_config",
    "plotly_locale_script",
    "table_column",
]

#: plotly ``layout.separators``: decimal comma, narrow no-break space between thousands.
PLOTLY_SEPARATORS = "," + NNBSP

# --- labels of codes ---------------------------------------------------------------------------


class _Labelled(Protocol):
    @property
    def label(self) -> str: ...


class _RegistryLabels(Mapping[str, str]):
    """Read-only live view ``name -> French label`` of a registry (no copy of its labels)."""

    def __init__(self, registry: Mapping[str, _Labelled]) -> None:
        self._registry = registry

    def __getitem__(self, key: str) -> str:
        return self._registry[key].label

    def __iter__(self) -> Iterator[str]:
        return iter(self._registry)

    def __len__(self) -> int:
        return len(self._registry)


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
    "enumerated": "exact (tous les cas comparés)",
}
#: Travel-time methods.
METHODS: dict[str, str] = {
    "osm": "temps routiers (OpenStreetMap)",
    "crowfly": "estimation à vol d'oiseau",
    "mixed": "temps routiers là où le miroir a des routes, estimation à vol d'oiseau ailleurs",
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
    "file": "fichier fourni",
}
#: Parts of a study area (``zone`` of the outlook tables, ``in_territory`` of the others).
AREAS: dict[str, str] = {"territory": "territoire", "buffer": "zone tampon"}
#: Where the practitioners' ages come from (``ages_basis``).
AGES: dict[str, str] = {
    "illustrative ages": "âges illustratifs (tirés au hasard)",
    "roster ages": "âges du fichier des médecins",
}
#: Vintages of the input files that are not written in French where they are recorded.
VINTAGES: dict[str, str] = {
    "COG 2026, population légale published 2026": "COG 2026, population légale publiée en 2026",
    "BPE about 2017": "BPE vers 2017",
    "user file": "fichier fourni",
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
    "model": _RegistryLabels(SITING_MODELS),
    "accessibility": _RegistryLabels(ACCESS_MEASURES),
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
    "area": AREAS,
    "ages": AGES,
    "vintage": VINTAGES,
    "profession": _RegistryLabels(PROFESSIONS),
}


def label(vocabulary: Vocabulary, code: Any) -> str:
    """French label of a code (``label("model", "mclp") -> "couverture maximale"``).

    Parameters
    ----------
    vocabulary
        Which list of codes: ``model`` (siting models, from their registry), ``accessibility``
        (accessibility measures, from their registry), ``apl_class``, ``status``, ``method``,
        ``engine``, ``origin``, ``dataset``, ``kind``, ``measure`` (outlook measures), ``zone``
        (verdicts of the decree test), ``criterion``, ``scenario``, ``area`` (territory or
        buffer), ``ages`` (where ages come from), ``vintage`` or ``profession`` (from its registry).
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


#: First letters of a commune name that take « d' » instead of « de » (vowels; a name in H is
#: left as it is: whether its h is silent is the name's own affair).
_VOWELS = frozenset("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸ")


def of_place(name: str) -> str:
    """Return « de <commune> » with French elision and contraction.

    Parameters
    ----------
    name
        A commune name as the COG spells it (``Meymac``, ``Ussel``, ``Le Monteil-au-Vicomte``).

    Returns
    -------
    str
        ``de Meymac``, ``d'Ussel``, ``du Monteil-au-Vicomte``, ``des Angles-sur-Corrèze``,
        ``de La Courtine``.

    References
    ----------
    Grevisse, M. & Goosse, A. (2016). Le Bon Usage, 16e éd., § 45 (élision) and § 580
    (articles contractés), De Boeck Supérieur.
    """
    text = str(name)
    if text.startswith("Le "):
        return f"du {text[3:]}"
    if text.startswith("Les "):
        return f"des {text[4:]}"
    if text[:1] in _VOWELS:
        return f"d'{text}"
    return f"de {text}"


def at_place(name: str) -> str:
    """Return « à <commune> » with the French contraction of its article.

    Parameters
    ----------
    name
        A commune name as the COG spells it.

    Returns
    -------
    str
        ``à Meymac``, ``à Ussel``, ``au Monteil-au-Vicomte``, ``aux Angles-sur-Corrèze``,
        ``à La Courtine``.

    References
    ----------
    Grevisse, M. & Goosse, A. (2016). Le Bon Usage, 16e éd., § 580 (articles contractés),
    De Boeck Supérieur.
    """
    text = str(name)
    if text.startswith("Le "):
        return f"au {text[3:]}"
    if text.startswith("Les "):
        return f"aux {text[4:]}"
    return f"à {text}"


def noun(count: float, singular: str, plural: str) -> str:
    """Return the French form of a noun for a quantity: singular below two, plural from two.

    Parameters
    ----------
    count
        The quantity (``1,5 médecin``, ``2 médecins``).
    singular, plural
        The noun's two forms.

    Returns
    -------
    str

    References
    ----------
    Grevisse, M. & Goosse, A. (2016). Le Bon Usage, 16e éd., § 517 (nombre après un nombre
    décimal inférieur à deux), De Boeck Supérieur.
    """
    return singular if abs(count) < 2 else plural


def _bare(value: float) -> str:
    """Format a number with one decimal, without a trailing ``,0`` (band edges: ``10``, ``7,5``)."""
    return fmt_float(value, 1).removesuffix(",0")


def criterion_detail(key: str, value: float | None, detail: object) -> str:
    """French detail of a decree 2003-1140 criterion from its value.

    Parameters
    ----------
    key
        The criterion key (:data:`CRITERIA`).
    value
        Its measured value (share of inhabitants, FTE per 5,000 inhabitants, share of GPs...).
    detail
        The detail of :mod:`accessmap.indicators` (a :class:`accessmap.messages.Message`, whose
        ``str()`` is French), shown when the value is missing.

    Returns
    -------
    str
        A French sentence.
    """
    if value is None or is_missing(value):
        text = str(detail) if detail else ""
        return text or "donnée manquante"
    if key == "no_gp_within_40":
        return f"{fmt_percent(value, 1)} des habitants à 40 minutes ou plus d'un médecin"
    if key == "fewer_than_3_fte_per_5000":
        return f"{fmt_float(value, 2)} médecins à temps plein pour 5 000 habitants"
    if key == "gps_over_7500_acts":
        return f"{fmt_percent(value)} des médecins au-delà de 7 500 actes par an"
    return f"{fmt_percent(value)} d'habitants de 75 ans ou plus"


_VALUE_VOCABULARY: dict[str, Vocabulary] = {
    name: c.vocabulary for name, c in COLUMNS.items() if c.vocabulary is not None
}


def column_label(name: str) -> str:
    """French header (with unit) of a machine column; unknown names pass through, spaced.

    Parameters
    ----------
    name
        Machine column name (``p_sans_mg_2036``, ``pop_within_15`` included).

    Returns
    -------
    str
        The French header.
    """
    found = column_spec(name)
    return found.header if found is not None else name.replace("_", " ")


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
    found = column_spec(column)
    kind = found.kind if found is not None else None
    if kind is None:
        kind = "float2" if isinstance(value, float) else "text"
    return _format_kind(kind, value)


def _fmt_apl(value: float) -> str:
    return fmt_float(value, 2)


def _fmt_float1(value: float) -> str:
    return fmt_float(value, 1)


def _fmt_year(value: float) -> str:
    return str(round(value))


def _fmt_coord(value: float) -> str:
    return fmt_float(value, 5)


_FORMATTERS: dict[str, Callable[[float], str]] = {
    "coord": _fmt_coord,
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
