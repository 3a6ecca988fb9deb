"""French labels and number/date formatting: the one place for what a reader sees.

Code, API and column names stay English; every report, figure, CSV for spreadsheets and
GeoPackage alias takes its French wording from here:

* number formatting the French way (:func:`fmt_int` ``38 474`` with a narrow no-break space,
  :func:`fmt_float` ``4,6``, :func:`fmt_percent` ``12 %``, :func:`fmt_date` ``30 novembre 2026``);
* labels of codes (APL classes, solver statuses, travel-time methods, outlook engines,
  provenance origins and datasets, decree 2003-1140 criteria) and of columns, with their unit and
  their precision (:data:`COLUMNS`, :func:`column_label`, :func:`format_value`); the labels of
  siting models and accessibility measures are not copied here: :func:`label` reads them from
  their registries (:mod:`accessmap.siting.registry`, :mod:`accessmap.indicators.registry`);
* the plotly settings that make figures French (:data:`PLOTLY_SEPARATORS`,
  :func:`plotly_config`, :func:`plotly_locale_script`).

Notes and caveats of the computing modules are :class:`accessmap.messages.Message` objects whose
``str()`` is French: nothing here translates text. Nothing here imports a heavy library (the
registries load pandas and numpy, no solver); every function is pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

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
Vocabulary = Literal[
    "model", "accessibility", "apl_class", "status", "method", "engine", "origin", "dataset",
    "kind", "measure", "zone", "criterion", "scenario", "area", "ages", "vintage",
    "profession",
]  # fmt: skip


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


# --- columns: French header, unit, precision and meaning ----------------------------------------

Kind = Literal["int", "minutes", "apl", "float1", "float2", "share", "year", "coord", "text"]

#: What each kind of column holds, in French (the data dictionary's « type » column).
KIND_LABELS: dict[str, str] = {
    "int": "nombre entier",
    "minutes": "minutes (1 décimale)",
    "apl": "APL (2 décimales)",
    "float1": "nombre (1 décimale)",
    "float2": "nombre (2 décimales)",
    "share": "pourcentage (1 décimale)",
    "year": "année",
    "coord": "degrés (WGS 84, 5 décimales)",
    "text": "texte",
}
#: Decimals written in the French CSVs for each kind of number (shares: of the percentage).
KIND_DIGITS: dict[str, int] = {
    "int": 0, "minutes": 1, "apl": 2, "float1": 1, "float2": 2, "share": 1, "year": 0, "coord": 5,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Column:
    """French header of a column, how to format its values and what it means.

    Attributes
    ----------
    header
        French header with its unit (``"temps moyen (min)"``).
    kind
        ``int`` (counts: ``38 474``), ``minutes`` (one decimal at most), ``apl`` (two decimals),
        ``float1``/``float2``, ``share`` (percentage), ``year`` (no separator), ``coord``
        (degrees, five decimals) or ``text``.
    description
        What the column holds, in French (the data dictionary of the CSV tables).
    vocabulary
        The list of codes its values belong to (written as their French labels), if any.
    """

    header: str
    kind: Kind
    description: str = ""
    vocabulary: Vocabulary | None = None

    @property
    def csv_header(self) -> str:
        """Header in the French CSVs: shares are written in percent, so ``(%)`` is added."""
        if self.kind == "share" and "%" not in self.header:
            return f"{self.header} (%)"
        return self.header


_APL_DEF = "consultations accessibles par an et par habitant standardisé, méthode DREES"
_MODELLED = f"APL modélisé par accessmap ({_APL_DEF})"

#: Every column a reader may see, by machine name.
COLUMNS: dict[str, Column] = {
    "code": Column("code INSEE", "text", "code officiel géographique de la commune"),
    "id": Column("code INSEE", "text", "code officiel géographique de la commune"),
    "nom": Column("commune", "text", "nom de la commune"),
    "dep": Column("département", "text", "numéro du département"),
    "epci": Column(
        "EPCI (SIREN)", "text", "numéro SIREN de l'intercommunalité (EPCI) de la commune"
    ),
    "epci_nom": Column("EPCI", "text", "nom de l'intercommunalité (EPCI) de la commune"),
    "population": Column("habitants", "int", "population légale (habitants)"),
    "pop_std": Column(
        "population standardisée",
        "int",
        "population pondérée par les besoins de soins selon l'âge (méthode DREES)",
    ),
    "area_km2": Column("surface (km²)", "float1", "surface de la commune"),
    "density": Column("densité (hab./km²)", "float1", "habitants par kilomètre carré"),
    "in_territory": Column(
        "dans le territoire",
        "text",
        "oui : commune du territoire ; non : commune de la zone tampon",
    ),
    "mairie_lon": Column(
        "longitude de la mairie",
        "coord",
        "longitude du point de départ des temps de trajet (la mairie)",
    ),
    "mairie_lat": Column(
        "latitude de la mairie",
        "coord",
        "latitude du point de départ des temps de trajet (la mairie)",
    ),
    "mairie_moved": Column(
        "point de mairie replacé dans la commune",
        "text",
        "oui quand le point de la mairie tombait hors de la commune et a été replacé à l'intérieur",
    ),
    "nearest_minutes": Column(
        "temps jusqu'au médecin le plus proche (min)",
        "minutes",
        "temps de trajet en voiture depuis la mairie jusqu'au site de "
        "médecin généraliste le plus proche",
    ),
    "nearest_site": Column(
        "site le plus proche", "text", "identifiant du site de médecin le plus proche"
    ),
    "nearest_site_nom": Column(
        "nom du site le plus proche", "text", "nom du site de médecin le plus proche"
    ),
    "nearest_method": Column(
        "méthode de calcul des temps",
        "text",
        "temps routiers ou estimation à vol d'oiseau",
        "method",
    ),
    "minutes": Column(
        "temps (min)", "minutes", "temps de trajet jusqu'au site de médecin le plus proche"
    ),
    "band": Column(
        "tranche de temps",
        "text",
        "tranche du temps d'accès (bornes basses incluses : « 10 à 20 min » veut "
        "dire de 10 minutes incluses à 20 minutes exclues)",
    ),
    "apl": Column("APL modélisé (consultations/an/hab.)", "apl", _MODELLED),
    "apl_u65": Column(
        "APL modélisé, médecins de moins de 65 ans",
        "apl",
        "APL modélisé en ne comptant que les médecins de moins de 65 ans",
    ),
    "apl_drees": Column(
        "APL publié (DREES)", "apl", f"APL publié par la DREES pour la commune ({_APL_DEF})"
    ),
    "apl_u65_drees": Column(
        "APL publié (DREES), moins de 65 ans",
        "apl",
        "APL publié par la DREES, médecins de moins de 65 ans",
    ),
    "apl_class": Column(
        "classe d'APL modélisé",
        "text",
        "classe de l'APL modélisé : moins de 2,5 zone prioritaire, 2,5 à 4 vigilance, 4 ou plus",
        "apl_class",
    ),
    "diff": Column(
        "écart d'APL (modélisé - publié)", "apl", "APL modélisé moins APL publié par la DREES"
    ),
    "diff_u65": Column(
        "écart d'APL moins de 65 ans (modélisé - publié)",
        "apl",
        "même écart, médecins de moins de 65 ans",
    ),
    "pop_std_drees": Column(
        "population standardisée DREES", "int", "population standardisée publiée par la DREES"
    ),
    "option": Column(
        "option",
        "text",
        "option comparée : aujourd'hui, ou un site ajouté par un modèle "
        "d'implantation (dans 10 ans quand l'option commence par l'année)",
    ),
    "year": Column("année", "year", "année du calcul (vide : aujourd'hui)"),
    "new_sites": Column(
        "nouveaux sites (codes INSEE)",
        "text",
        "codes INSEE des communes où l'option ajoute un site",
    ),
    "new_sites_nom": Column(
        "nouveaux sites (communes)", "text", "noms des communes où l'option ajoute un site"
    ),
    "new_fte": Column(
        "médecins ajoutés (ETP)",
        "float1",
        "médecins ajoutés par l'option, en équivalents temps plein",
    ),
    "pop_unreachable": Column(
        "habitants sans accès", "int", "habitants sans aucun site de médecin atteignable"
    ),
    "mean_minutes": Column(
        "temps moyen (min)",
        "minutes",
        "temps moyen jusqu'au médecin le plus proche, pondéré par la population",
    ),
    "max_minutes": Column(
        "temps maximal (min)", "minutes", "temps de la commune la plus éloignée d'un médecin"
    ),
    "apl_territory": Column(
        "APL modélisé du territoire",
        "apl",
        "APL modélisé moyen du territoire, pondéré par la population",
    ),
    "communes_apl_below": Column(
        "communes à APL modélisé < 2,5",
        "int",
        "communes du territoire en zone prioritaire (APL modélisé)",
    ),
    "pop_apl_below": Column("habitants à APL modélisé < 2,5", "int", "habitants de ces communes"),
    "communes_with_gp": Column(
        "communes avec médecin", "int", "communes du territoire où exerce au moins un médecin"
    ),
    "communes_losing_last_gp": Column(
        "communes perdant leur dernier médecin",
        "int",
        "communes dont le dernier médecin part d'ici l'année indiquée, sans remplacement",
    ),
    "losing_last_gp_avoided": Column(
        "pertes du dernier médecin évitées", "int", "pertes du dernier médecin que l'option évite"
    ),
    "apl_below": Column(
        "APL modélisé < 2,5", "text", "oui quand l'APL modélisé de la commune est sous 2,5"
    ),
    "has_gp": Column(
        "médecin dans la commune",
        "text",
        "oui quand au moins un médecin exerce dans la commune avec l'option",
    ),
    "had_gp": Column(
        "médecin aujourd'hui",
        "text",
        "oui quand au moins un médecin exerce aujourd'hui dans la commune",
    ),
    "site_id": Column("site", "text", "identifiant du site de médecin"),
    "site_id_nom": Column("nom du site", "text", "nom du site de médecin"),
    "lower": Column("borne basse (min)", "minutes", "borne basse de la tranche (incluse)"),
    "upper": Column("borne haute (min)", "minutes", "borne haute de la tranche (exclue)"),
    "communes": Column("communes", "int", "nombre de communes"),
    "share": Column("part", "share", "part des habitants du territoire"),
    "zone": Column(
        "zone",
        "text",
        "territoire : commune du territoire étudié ; zone tampon : commune voisine, "
        "comptée pour les patients et les médecins qui passent la limite",
        "area",
    ),
    "measure": Column("mesure", "text", "grandeur projetée", "measure"),
    "value": Column(
        "valeur", "float2", "valeur de la mesure (espérance ; les parts sont en pourcentage)"
    ),
    "q10": Column("10e centile", "float2", "10 % des tirages donnent moins"),
    "q50": Column("médiane", "float2", "la moitié des tirages donne moins"),
    "q90": Column("90e centile", "float2", "90 % des tirages donnent moins"),
    "ages_basis": Column(
        "âges",
        "text",
        "âges des médecins : ceux du fichier, ou illustratifs (tirés au hasard faute de fichier)",
        "ages",
    ),
    "commune_code": Column("code INSEE", "text", "code officiel géographique de la commune"),
    "p_without_gp": Column(
        "probabilité sans médecin", "share", "part des tirages où la commune n'a plus de médecin"
    ),
    "p_lose_last_gp": Column(
        "probabilité de perdre le dernier médecin",
        "share",
        "part des tirages où la commune perd son dernier médecin",
    ),
    "name": Column("nom", "text", "nom du site"),
    "kind": Column("type", "text", "type de site", "kind"),
    "fte": Column("médecins (ETP)", "float1", "équivalents temps plein"),
    "lon": Column("longitude", "coord", "longitude (WGS 84)"),
    "lat": Column("latitude", "coord", "latitude (WGS 84)"),
    "area_km2_zone": Column("surface (km²)", "float1", "surface de la zone"),
    "method": Column("méthode", "text", "méthode de calcul des temps", "method"),
    "model": Column("modèle", "text", "modèle d'implantation", "model"),
    "p": Column("nombre de sites", "int", "nombre de sites choisis par le modèle"),
    "rank": Column("rang", "int", "rang du site dans la réponse du modèle"),
    "status": Column("statut du calcul", "text", "qualité de la réponse du modèle", "status"),
    "objective": Column("objectif", "float1", "valeur atteinte par le modèle"),
    "gain_minutes": Column("gain de temps (min)", "minutes", "minutes gagnées avec l'option"),
    "minutes_before": Column("temps avant (min)", "minutes", "temps d'accès aujourd'hui"),
    "minutes_after": Column("temps après (min)", "minutes", "temps d'accès avec l'option"),
    "apl_before": Column("APL modélisé avant", "apl", "APL modélisé aujourd'hui"),
    "apl_after": Column("APL modélisé après", "apl", "APL modélisé avec l'option"),
    "source": Column("jeu de données", "text", "jeu de données officiel lu", "dataset"),
    "file": Column("fichier", "text", "nom du fichier lu"),
    "path": Column(
        "chemin dans le miroir de données",
        "text",
        "emplacement du fichier dans le miroir de données, ou adresse de téléchargement",
    ),
    "origin": Column("provenance", "text", "d'où le fichier a été lu", "origin"),
    "vintage": Column("millésime", "text", "millésime des données", "vintage"),
    "sha256": Column(
        "empreinte numérique (SHA-256)",
        "text",
        "empreinte du fichier lu : deux fichiers de même empreinte sont identiques",
    ),
    "fetched_at": Column("lu le", "text", "date de lecture du fichier (temps universel)"),
}
_VALUE_VOCABULARY: dict[str, Vocabulary] = {
    name: c.vocabulary for name, c in COLUMNS.items() if c.vocabulary is not None
}
_PATTERNS: tuple[tuple[str, Column], ...] = (
    (
        r"p_sans_mg_(?P<n>\d{4})",
        Column(
            "probabilité sans médecin en {n}",
            "share",
            "part des tirages où la commune n'a plus de médecin en "
            "{n}, sans remplacement des départs",
        ),
    ),
    (
        r"pop_within_(?P<n>\d+)",
        Column(
            "habitants à moins de {n} min", "int", "habitants à moins de {n} minutes d'un médecin"
        ),
    ),
    (
        r"share_within_(?P<n>\d+)",
        Column(
            "part à moins de {n} min",
            "share",
            "part des habitants à moins de {n} minutes d'un médecin",
        ),
    ),
)


#: Kind of the values of each outlook measure (the ``value`` and quantiles of its rows).
MEASURE_KINDS: dict[str, Kind] = {
    "headcount": "float1", "headcount_today": "float1", "fte": "float1", "departures": "float1",
    "share_gone": "share", "apl_mean": "apl", "pop_beyond_20": "int", "pop_beyond_30": "int",
    "communes_without_gp": "float1",
}  # fmt: skip

#: Columns whose meaning differs in the tables of the other health professions.
PROFESSION_COLUMNS: dict[str, Column] = {
    "profession": Column("profession", "text", "profession de santé", "profession"),
    "label": Column("profession (intitulé)", "text", "intitulé de la profession"),
    "source": Column(
        "source des effectifs",
        "text",
        "d'où viennent les effectifs : fichier du territoire ou base permanente "
        "des équipements de l'INSEE (BPE)",
    ),
    "practitioners": Column(
        "professionnels dans le territoire", "int", "professionnels exerçant dans le territoire"
    ),
    "fte": Column("ETP", "float1", "équivalents temps plein"),
    "indicator": Column(
        "indicateur (moyenne pondérée par la population)",
        "float2",
        "indicateur d'accessibilité du territoire, moyenne des communes pondérée "
        "par leur population",
    ),
    "unit": Column("unité de l'indicateur", "text", "unité de l'indicateur"),
    "pop_beyond_20": Column(
        "habitants à 20 min ou plus du plus proche",
        "int",
        "habitants à 20 minutes ou plus du professionnel le plus proche",
    ),
    "pop_beyond_30": Column(
        "habitants à 30 min ou plus du plus proche",
        "int",
        "habitants à 30 minutes ou plus du professionnel le plus proche",
    ),
    "headcount_future": Column(
        "effectif attendu sans remplacement",
        "float1",
        "effectif attendu dans 10 ans si aucun départ n'est remplacé",
    ),
    "future_year": Column("année de l'effectif attendu", "year", "année de cet effectif"),
    "illustrative_ages": Column(
        "âges illustratifs", "text", "oui quand les âges, faute de fichier, sont tirés au hasard"
    ),
    "nearest_minutes": Column(
        "temps jusqu'au professionnel le plus proche (min)",
        "minutes",
        "temps de trajet depuis la mairie jusqu'au professionnel le plus proche",
    ),
    "value": Column(
        "indicateur (APL en ETP pour 100 000 hab., ou minutes pour les pharmacies)",
        "float2",
        "APL de la profession (équivalents temps plein pour 100 000 "
        "habitants), ou temps jusqu'à la pharmacie la plus proche",
    ),
    "name": Column("site du pôle", "text", "nom de la maison de santé du pôle"),
    "headcount": Column("effectif", "int", "professionnels de la profession sur le site"),
    "minutes": Column("seuil (min, t < seuil)", "minutes", "seuil de temps (strictement moins)"),
    "n_sites": Column(
        "sites du pôle où la profession exerce",
        "int",
        "maisons de santé du pôle où la profession exerce",
    ),
    "population": Column("habitants", "int", "habitants"),
    "share": Column(
        "part des habitants du territoire",
        "share",
        "part des habitants du territoire sous le seuil",
    ),
    "n_professions": Column(
        "professions perdues",
        "int",
        "nombre de professions dont la commune perd l'accès à moins de 30 minutes",
    ),
    "professions": Column(
        "professions perdues (liste)",
        "text",
        "professions dont la commune perd l'accès à moins de 30 minutes",
    ),
    "p_min": Column(
        "probabilité la plus faible",
        "share",
        "la plus faible des probabilités de perte de ces professions",
    ),
    "year": Column("année", "year", "année de la perte"),
}

#: The CSV tables of the report (``tables/<stem>.csv`` and ``tables/fr/<stem>.csv``).
CSV_TABLES: dict[str, str] = {
    "communes": "une ligne par commune : population, temps d'accès, APL modélisé et publié, "
    "probabilité de n'avoir plus de médecin dans 10 ans",
    "bandes": "habitants du territoire par tranche de temps jusqu'au médecin le plus proche",
    "options": "une ligne par option comparée, aujourd'hui et dans 10 ans : temps d'accès, APL "
    "modélisé, communes en zone prioritaire",
    "options_communes": "une ligne par option et par commune : temps, site le plus proche, APL "
    "modélisé",
    "effectifs": "médecins du territoire et de la zone tampon, année par année, sans "
    "remplacement des départs",
    "acces_futur": "accès aux soins projeté année par année (tirages au hasard des départs)",
    "pertes": "une ligne par année et par commune ayant un médecin : probabilité de n'en avoir "
    "plus",
    "sources": "fichiers de données lus, avec leur millésime et leur empreinte",
    "drees": "une ligne par commune du territoire : APL modélisé et APL publié par la DREES",
    "professions_synthese": "une ligne par autre profession de santé : effectifs, indicateur, "
    "habitants éloignés",
    "professions_communes": "une ligne par commune et par profession : temps jusqu'au plus "
    "proche et indicateur",
    "pole_sites": "professions présentes dans chaque maison de santé du pôle",
    "pole_acces": "part des habitants à moins de 15 et 30 minutes d'un site du pôle, par "
    "profession",
    "pertes_professions": "communes qui perdraient l'accès à plusieurs professions",
}
_PROFESSION_TABLES = frozenset(
    {"professions_synthese", "professions_communes", "pole_sites", "pole_acces",
     "pertes_professions"}
)  # fmt: skip


def table_column(table: str, name: str) -> Column | None:
    """Return the column ``name`` of the CSV table ``table`` (its own meaning first).

    Parameters
    ----------
    table
        File stem of the table (:data:`CSV_TABLES`).
    name
        Machine column name.

    Returns
    -------
    Column or None
        ``None`` when the column is not registered.
    """
    if table in _PROFESSION_TABLES and name in PROFESSION_COLUMNS:
        return PROFESSION_COLUMNS[name]
    return column_spec(name)


def column_spec(name: str) -> Column | None:
    """Return the registered column of a machine name (``pop_within_15`` and the like included).

    Parameters
    ----------
    name
        Machine column name.

    Returns
    -------
    Column or None
        ``None`` when the column is not registered.
    """
    if name in COLUMNS:
        return COLUMNS[name]
    for pattern, template in _PATTERNS:
        match = re.fullmatch(pattern, name)
        if match:
            n = match.group("n")
            return Column(template.header.format(n=n), template.kind,
                          template.description.format(n=n))  # fmt: skip
    return None


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
