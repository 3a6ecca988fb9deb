"""The column registry: French header, unit, precision and meaning of every column a reader sees.

One entry per machine column name (:data:`COLUMNS`, with patterns such as ``pop_within_15``);
the tables of the other health professions have their own meanings (:data:`PROFESSION_COLUMNS`).
The HTML tables, the French CSVs, their data dictionary and the GeoPackage aliases all read it
(through :mod:`accessmap.labels`, which re-exports it). Nothing here imports a heavy library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "COLUMNS",
    "CSV_TABLES",
    "KIND_DIGITS",
    "KIND_LABELS",
    "MEASURE_KINDS",
    "PROFESSION_COLUMNS",
    "Column",
    "Kind",
    "Vocabulary",
    "column_spec",
    "table_column",
]

#: Lists of codes whose French labels :func:`accessmap.labels.label` gives.
Vocabulary = Literal[
    "model", "accessibility", "apl_class", "status", "method", "engine", "origin", "dataset",
    "kind", "measure", "zone", "criterion", "scenario", "area", "ages", "vintage",
    "profession",
]  # fmt: skip

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

#: Columns of the decision tables (``decisions``, ``millesoins``, ``derniers_medecins``): figures on
#: the published APL plus the modelled change (a projection, said in every description).
_PROJ = "APL publié + effet modélisé, projection"
DECISION_COLUMNS: dict[str, Column] = {
    "rank": Column("rang", "int", "rang de l'option : habitants sous le seuil en fin de période"),
    "option": Column("option", "text", "nom de l'option"),
    "plan": Column("équipes et sites", "text", "médecins (ETP) ajoutés par site"),
    "fte": Column("recrues (ETP)", "float1", "médecins à recruter, en équivalents temps plein"),
    "sites": Column("sites", "int", "nombre de sites de l'option"),
    "new_msp": Column("nouvelles MSP", "int", "nouvelles MSP ou nouveaux centres ouverts"),
    "volunteer_weeks": Column(
        "semaines de bénévoles", "int", "semaines de médecins bénévoles par an"
    ),
    "under_today": Column(
        "habitants sous le seuil aujourd'hui", "int", f"habitants sous 2,5 avec l'option ({_PROJ})"
    ),
    "under_year": Column(
        "habitants sous le seuil en fin de période", "int",
        f"habitants sous 2,5 dans dix ans avec l'option ({_PROJ}, âges des médecins selon le "
        "fichier ou illustratifs)",
    ),
    "under_year_q10": Column(
        "bande basse (10 %)", "int", "habitants sous 2,5 dans dix ans : 10 % des tirages en dessous"
    ),
    "under_year_q90": Column(
        "bande haute (90 %)", "int", "habitants sous 2,5 dans dix ans : 90 % des tirages en dessous"
    ),
    "median_under_year": Column(
        "médiane des tirages", "int", "habitants sous 2,5 dans dix ans, tirage médian"
    ),
    "communes_under_year": Column(
        "communes sous le seuil en fin de période", "int",
        f"communes sous 2,5 dans dix ans ({_PROJ})",
    ),
    "apl_today": Column("APL aujourd'hui", "apl", f"APL du territoire avec l'option ({_PROJ})"),
    "apl_year": Column(
        "APL en fin de période", "apl", f"APL du territoire dans dix ans avec l'option ({_PROJ})"
    ),
    "mean_minutes": Column(
        "temps moyen au site le plus proche", "minutes", "temps moyen jusqu'au site de l'option"
    ),
    "max_minutes": Column("pire temps", "minutes", "temps le plus long jusqu'au site de l'option"),
    "status": Column("statut du calcul", "text", "qualité de la réponse du calcul", "status"),
    "profession": Column("profession", "text", "profession de santé", "profession"),
    "threshold": Column(
        "seuil de référence", "float1", "niveau des 20 % de communes les moins dotées aujourd'hui"
    ),
    "under_year_after": Column(
        "habitants sous le seuil avec les recrues", "int", "habitants sous le seuil dans dix ans"
    ),
    "unliftable": Column("communes hors de portée", "int", "communes qu'aucun site ne relève"),
    "commune_code": Column("code INSEE", "text", "code officiel géographique de la commune"),
    "nom": Column("commune", "text", "nom de la commune"),
    "year": Column("année", "year", "année de décision"),
    "p_without": Column(
        "probabilité de n'avoir plus de médecin", "share",
        "part des tirages sans médecin cette année",
    ),
    "lost": Column(
        "perd son dernier médecin", "text",
        "oui quand la commune n'a plus de médecin dans le tirage médian (probabilité ≥ 50 %)",
    ),
    "first_year": Column(
        "année de la perte", "year", "première année où la probabilité atteint 50 %"
    ),
    "p_none_within_20": Column(
        "probabilité sans médecin à moins de 20 min", "share",
        "part des tirages sans aucun médecin à moins de 20 minutes",
    ),
}  # fmt: skip
_DECISION_TABLES = frozenset(
    {"decisions", "millesoins", "derniers_medecins", "recrues_professions"}
)

#: The CSV tables of the report (``tables/<stem>.csv`` and ``tables/fr/<stem>.csv``).
CSV_TABLES: dict[str, str] = {
    "decisions": "une ligne par option sur l'APL officiel, classées : équipes, recrues, "
    "habitants sous 2,5 aujourd'hui et dans dix ans avec leur bande",
    "millesoins": "MilleSoins : une MSP centrale ou le pôle éclaté, même équipe",
    "recrues_professions": "une ligne par autre profession : recrues nécessaires pour "
    "qu'aucune commune ne passe sous son seuil de référence dans dix ans",
    "derniers_medecins": "une ligne par commune du territoire ayant un médecin aujourd'hui : "
    "perd-elle son dernier médecin dans dix ans (le compte du verdict)",
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
    if table in _DECISION_TABLES and name in DECISION_COLUMNS:
        return DECISION_COLUMNS[name]
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
