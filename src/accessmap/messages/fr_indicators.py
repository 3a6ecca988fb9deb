"""French wording of the messages of indicators/."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

_DREES_YEAR_FIX = "choisissez une des années publiées par la DREES : {years}."

ENTRIES: Mapping[str, Entry] = {
    # --- options and tables common to the measures --------------------------------------------
    "indicators.not_positive": Entry(
        "{value} n'est pas un nombre strictement positif.",
        fix="donnez pour {field} un nombre de minutes supérieur à 0.",
    ),
    "indicators.negative_activity": Entry(
        "des activités sont négatives.",
        fix="donnez des activités positives ou nulles (vide quand elle est inconnue).",
    ),
    "indicators.bad_weights": Entry(
        "La fonction de pondération a donné des poids négatifs ou un nombre de poids différent "
        "du nombre de temps.",
        fix="donnez une fonction qui associe à un tableau de minutes autant de poids positifs ou "
        "nuls.",
    ),
    "indicators.bad_decay_bands": Entry(
        "Paliers de pondération invalides : {bands}.",
        fix="donnez des paliers DecayBand(borne basse, borne haute, poids) avec "
        "0 ≤ borne basse < borne haute et un poids positif ou nul.",
    ),
    "indicators.unknown_method": Entry(
        "« {value} » n'est pas une méthode connue.", fix="choisissez parmi : {choices}."
    ),
    "indicators.bad_interval": Entry(
        "L'intervalle {interval} ne va pas d'une borne basse à une borne haute finie "
        "(0 ≤ borne basse < borne haute).",
        fix="donnez deux durées finies en minutes, par exemple 40 et 45.",
    ),
    "indicators.unknown_summary": Entry(
        "« {value} » n'est pas un résumé connu.", fix="choisissez parmi : {choices}."
    ),
    "indicators.bad_opportunity_count": Entry(
        "{value} n'est pas un nombre de lieux de soins valable.",
        fix="donnez un nombre supérieur ou égal à 1.",
    ),
    "indicators.bad_thresholds": Entry(
        "Les seuils {values} ne sont pas tous des minutes strictement positives.",
        fix="donnez au moins un seuil, chacun supérieur à 0.",
    ),
    "indicators.bad_alpha": Entry(
        "Le coefficient de concurrence entre communes ({value}) n'est pas un nombre positif ou "
        "nul.",
        fix="donnez un coefficient supérieur ou égal à 0.",
    ),
    "indicators.no_supply": Entry(
        "Aucune offre de soins n'est donnée (total nul).",
        fix="donnez au moins un lieu de soins avec une offre positive.",
    ),
    "indicators.bad_band_edges": Entry(
        "Les bornes des tranches de temps {edges} ne sont pas positives et strictement "
        "croissantes.",
        fix="donnez des bornes croissantes, par exemple 10, 20, 30, 40.",
    ),
    "indicators.missing_site_columns": Entry(
        "La table des lieux de soins n'a pas la ou les colonnes {columns}.",
        fix="donnez la table des lieux de l'offre de soins (roster.sites).",
    ),
    "indicators.no_times_to_sites": Entry(
        "Aucun temps de trajet vers le ou les lieux de soins {sites}.",
        fix="calculez les temps de trajet vers les lieux de soins (ou vers les mairies de leurs "
        "communes).",
    ),
    "indicators.duplicate_origins": Entry(
        "Des communes de départ apparaissent plusieurs fois : {origins}.",
        fix="donnez chaque commune de départ une seule fois.",
    ),
    "indicators.fix_od": Entry(
        "donnez la table des temps de trajet (colonnes origin_id, dest_id, minutes)."
    ),
    "indicators.fix_pole_sites": Entry(
        "donnez les lieux de soins du pôle (accessmap.indicators.pole_sites)."
    ),
    # --- APL ----------------------------------------------------------------------------------
    "apl.missing_column": Entry(
        "La colonne « {column} » manque.", fix="ajoutez la colonne « {column} »."
    ),
    "apl.bad_acts_per_fte": Entry(
        "{value} n'est pas un nombre d'actes par an positif ou nul.",
        fix="donnez le nombre d'actes par an d'un médecin à temps plein, par exemple 5400.",
    ),
    "apl.bad_practitioner_rows": Entry(
        "Temps de travail (ETP) manquant ou négatif, ou activité négative, pour : {practitioners}.",
        fix="donnez un ETP positif ou nul et une activité positive ou nulle (laissez l'activité "
        "vide quand elle est inconnue).",
    ),
    "apl.max_age_needs_year": Entry(
        "La limite d'âge ({max_age} ans) a besoin d'une année de référence.",
        fix="donnez l'année (year=...) avec la limite d'âge.",
    ),
    "apl.bad_unknown_age": Entry(
        "« {value} » n'est pas un traitement connu des âges inconnus.",
        fix="choisissez « count » (les compter) ou « exclude » (les écarter).",
    ),
    "apl.no_age_weights": Entry(
        "Pas de pondération de la population par âge pour {year}.",
        fix="choisissez une des années : {years}.",
    ),
    "apl.bad_age_band_counts": Entry(
        "Effectifs par âge manquants ou négatifs pour : {communes}.",
        fix="donnez un nombre d'habitants positif ou nul dans chaque tranche d'âge (0 quand il "
        "n'y en a pas).",
    ),
    "apl.fix_age_bands": Entry(
        "donnez l'identifiant (id) et les 19 tranches d'âge de la DREES : 0-4, 5-9, ..., 85-89, "
        "90+."
    ),
    "apl.population_fallback": Entry(
        "Population standardisée inconnue pour {count} commune(s) : la population légale est "
        "utilisée."
    ),
    "apl.imputed_activity": Entry(
        "Activité inconnue pour une partie des médecins : {percent}\u202f% des actes comptés sont "
        "imputés (ETP × {acts_per_fte} actes par an)."
    ),
    "apl.unknown_birth_years": Entry(
        "Année de naissance inconnue pour {count} médecin(s) sur {total} : ils restent comptés "
        "dans l'APL des moins de {age_limit} ans."
    ),
    "apl.u65_needs_real_ages": Entry(
        "APL des médecins de moins de {age_limit} ans non calculé : il dépendrait du tirage "
        "des âges illustratifs ; donnez un fichier de médecins avec leurs années de naissance."
    ),
    "apl.roster_source": Entry("Offre de soins : {source}."),
    "apl.parameters_source": Entry("Paramètres de l'APL : {source}."),
    # --- DREES: published APL, comparison, calibration ----------------------------------------
    "drees.fix_published": Entry("lisez l'APL publié avec accessmap.sources.load_apl_published()."),
    "drees.fix_ours": Entry("donnez le résultat de accessmap.indicators.apl(...)."),
    "drees.fix_columns": Entry("nommez des colonnes du tableau."),
    "drees.fix_names": Entry("donnez les colonnes code, nom et dep des communes."),
    "drees.no_published_apl": Entry(
        "Aucun APL publié n'est donné.", fix="chargez le classeur APL de la DREES."
    ),
    "drees.no_published_year": Entry("Pas d'APL publié pour {year}.", fix=_DREES_YEAR_FIX),
    "drees.no_territory_commune": Entry(
        "Aucune commune du territoire n'a d'APL publié.",
        fix="vérifiez les codes des communes avec le millésime du classeur de la DREES.",
    ),
    "drees.no_common_commune": Entry(
        "Aucune commune modélisée n'a d'APL publié pour {year}.",
        fix="comparez les mêmes communes (codes INSEE actuels) à un millésime de la DREES.",
    ),
    "drees.unknown_baseline": Entry(
        "« {value} » n'est pas une des options comparées.", fix="choisissez parmi : {options}."
    ),
    "drees.nothing_to_calibrate_on": Entry(
        "Aucune commune n'a à la fois un APL publié pour {year} et une population standardisée : "
        "rien sur quoi caler l'activité.",
        fix="donnez des communes que la DREES publie pour cette année.",
    ),
    "drees.no_unknown_activity_reached": Entry(
        "Aucun médecin d'activité inconnue n'est à portée des communes de calage.",
        fix="il n'y a rien à caler : tous les médecins à portée ont une activité connue.",
    ),
    "drees.level_clipped": Entry(
        "L'activité connue seule donne déjà un APL moyen de {mean}, au-dessus de l'APL publié "
        "({target}) : l'activité imputée aux médecins d'activité inconnue est mise à 0."
    ),
    # --- decree 2003-1140 ("zone déficitaire") ------------------------------------------------
    "zoning.bad_population": Entry(
        "La population du territoire ({value}) n'est pas un nombre positif ou nul.",
        fix="donnez un nombre d'habitants positif ou nul.",
    ),
    "zoning.zrr_needs_communes": Entry(
        "Le classement en ZRR par commune a besoin des communes du territoire et de leur "
        "population.",
        fix="donnez commune_population (id, population) avec le tableau des ZRR.",
    ),
    "zoning.fix_zrr_table": Entry("donnez les colonnes code et zrr (vrai ou faux)."),
    "zoning.unknown": Entry("inconnu"),
    "zoning.answer_with_share": Entry("{answer} ({percent}\u202f% des habitants)"),
    "zoning.label_no_gp_within_40": Entry(
        "des habitants ne peuvent atteindre un médecin généraliste en moins de {minutes} minutes"
    ),
    "zoning.label_fewer_than_3_fte_per_5000": Entry(
        "moins de {fte} médecins généralistes à temps plein pour 5\u202f000 habitants"
    ),
    "zoning.label_gps_over_7500_acts": Entry(
        "{percent}\u202f% des médecins généralistes réalisent plus de {acts} actes par an"
    ),
    "zoning.label_age_social_or_zrr": Entry(
        "plus de {percent}\u202f% d'habitants de 75 ans ou plus, indicateurs sociaux "
        "défavorables ou zone de revitalisation rurale (ZRR)"
    ),
    "zoning.no_travel_times": Entry("temps de trajet non fournis"),
    "zoning.beyond_40": Entry(
        "{population} habitants ({percent}\u202f%) à {minutes} minutes ou plus d'un médecin "
        "généraliste ; le critère est rempli au-delà de {threshold}\u202f% des habitants"
    ),
    "zoning.fte_not_given": Entry("effectifs des médecins généralistes (ETP) non fournis"),
    "zoning.fte_ratio": Entry(
        "{fte} médecins à temps plein pour {population} habitants, soit {ratio} pour "
        "5\u202f000 habitants"
    ),
    "zoning.no_activity": Entry("activité des médecins généralistes non fournie"),
    "zoning.activity_unknown": Entry(
        "activité inconnue pour {count} médecin(s) généraliste(s) sur {total}"
    ),
    "zoning.busy_share": Entry(
        "{percent}\u202f% des {total} médecins généralistes au-delà de {acts} actes par an"
    ),
    "zoning.age_social_zrr": Entry(
        "plus de {percent}\u202f% d'habitants de 75 ans ou plus : {over_75} ; indicateurs sociaux "
        "défavorables : {social} ; ZRR : {zrr}"
    ),
    "zoning.age_social_zrr_with": Entry(
        "plus de {percent}\u202f% d'habitants de 75 ans ou plus : {over_75} ; indicateurs sociaux "
        "défavorables : {social} ; ZRR : {zrr} ({zrr_detail})"
    ),
    "zoning.zrr_population": Entry(
        "communes en ZRR : {inside} habitants sur {total} ; habitants des communes absentes du "
        "fichier ZRR : {unknown}"
    ),
    "zoning.zrr_population_blank": Entry(
        "communes en ZRR : {inside} habitants sur {total} ; habitants des communes absentes du "
        "fichier ZRR : {unknown} (ZRR non renseignée pour {blank})"
    ),
}
