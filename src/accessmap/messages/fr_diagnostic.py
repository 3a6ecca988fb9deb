"""French wording of the messages of diagnostic/, the profession registry and the app layer."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

ENTRIES: Mapping[str, Entry] = {
    "progress.territory": Entry("territoire et offre de soins"),
    "progress.roads": Entry("réseau routier"),
    "progress.times": Entry("temps de trajet"),
    "progress.times_cached": Entry("temps de trajet (déjà calculés)"),
    "progress.indicators": Entry("indicateurs (temps, APL)"),
    "progress.outlook": Entry("départs en retraite"),
    "progress.siting": Entry("implantations"),
    "progress.options": Entry("comparaison des options"),
    "progress.decisions": Entry("recrutements nécessaires et options sur l'APL officiel"),
    "progress.search_recruits": Entry(
        "recrutements nécessaires : {profession} ({seconds} s au plus)"
    ),
    "progress.search_option": Entry("option « {option} » ({seconds} s au plus)"),
    "progress.simulator": Entry("données du simulateur du rapport"),
    "progress.report_page": Entry("rapport : page HTML"),
    "progress.report_layers": Entry("rapport : couches pour QGIS"),
    "progress.report_tables": Entry("rapport : tableaux"),
    "progress.report_pdf": Entry("rapport : PDF"),
    "progress.isochrones": Entry("zones d'accès"),
    "progress.professions": Entry("autres professions de santé"),
    "progress.calibration": Entry("calibrage de l'activité (départements {departments})"),
    "calibration.impossible": Entry("Calibrage de l'activité impossible : {reason}"),
    "calibration.note": Entry(
        "Activité IMPUTÉE aux médecins dont l'activité est inconnue : {acts} actes par an et "
        "par ETP, calibrée pour que l'APL modélisé égale en moyenne l'APL publié {year} sur les "
        "{n} communes des départements {departments} (jamais commune par commune)."
    ),
    "diagnostic.not_positive": Entry(
        "la valeur {value} ne convient pas.", fix="donnez un nombre strictement positif."
    ),
    "diagnostic.unknown_age_rule": Entry(
        "la règle « {value} » n'existe pas.", fix="choisissez l'une des règles : {rules}."
    ),
    "profession.unknown": Entry(
        "la profession « {key} » n'est pas connue.",
        fix="donnez l'une des professions connues : {known}.",
    ),
    "profession.unknown_near": Entry(
        "la profession « {key} » n'est pas connue.",
        fix="vouliez-vous dire {near} ?",
    ),
    "profession.duplicate": Entry(
        "une profession « {key} » est déjà enregistrée.",
        fix="choisissez une autre clé, ou remplacez-la explicitement (replace=True).",
    ),
    "profession.default": Entry(
        "la profession par défaut « {key} » ne peut pas être retirée.",
        fix="retirez seulement une profession que vous avez enregistrée.",
    ),
    "profession.bad_entry": Entry(
        "la définition de la profession « {key} » est incomplète ou invalide ({field}).",
        fix="donnez une clé (lettres, chiffres, _), l'indicateur « apl » avec ses paramètres ou "
        "« nearest », le genre « f » ou « m » et une échelle positive.",
    ),
    "diagnostic.no_detail": Entry(
        "la profession principale de ce diagnostic n'a pas ses résultats détaillés.",
        fix="construisez le diagnostic avec run_diagnostic, qui calcule indicateurs et "
        "projections de la profession principale.",
    ),
    "professions.not_computed": Entry(
        "Non calculés : {names}. Le fichier INSEE BPE 2019 (bpe/bpe19_ensemble_sante.csv) "
        "manque au miroir de données ; fournissez-le, ou ces professions dans le fichier du "
        "territoire (--roster)."
    ),
    "professions.outlook_failed": Entry(
        "Projection des départs non calculée pour les {plural} : {reason}"
    ),
    "professions.bpe_counts": Entry("Autres professions : {caveat}, à la mairie de la commune."),
    "diagnostic.p_reduced": Entry(
        "Le territoire n'a que {candidates} mairie(s) pouvant accueillir un nouveau cabinet : "
        "les options vont jusqu'à {candidates} nouveau(x) site(s) au lieu de {asked}."
    ),
}
