"""French wording of the messages of the decay, inequality and constrained measures."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

ENTRIES: Mapping[str, Entry] = {
    "measures.decay_positive": Entry(
        "le paramètre {field} de la fonction de décroissance vaut {value} ; il doit être un "
        "nombre fini strictement positif.",
        fix="donnez un nombre de minutes (ou une valeur) supérieur à 0.",
    ),
    "measures.decay_non_negative": Entry(
        "le paramètre {field} de la fonction de décroissance vaut {value} ; il doit être un "
        "nombre fini positif ou nul.",
        fix="donnez un nombre supérieur ou égal à 0.",
    ),
    "measures.decay_steps": Entry(
        "les paliers {steps} et leurs poids {weights} ne forment pas une décroissance par paliers.",
        fix="donnez au moins un palier, des paliers strictement croissants et autant de poids, "
        "chacun entre 0 et 1.",
    ),
    "measures.unknown_decay": Entry(
        "la fonction de décroissance « {name} » n'existe pas.",
        fix="choisissez parmi : {known}.",
    ),
    "measures.decay_options": Entry(
        "les paramètres de la décroissance « {name} » ne conviennent pas (inconnus : {unknown} ; "
        "manquants : {missing}).",
        fix="donnez exactement : {expected}.",
    ),
    "measures.not_a_table": Entry(
        "une table est attendue ici.",
        fix="passez un tableau (DataFrame) avec les colonnes {columns}.",
    ),
    "measures.missing_columns": Entry(
        "colonne(s) absente(s) : {columns}.",
        fix="ajoutez la ou les colonnes {columns}.",
    ),
    "measures.invalid_values": Entry(
        "valeur(s) manquante(s) ou infinie(s) pour : {ids}.",
        fix="complétez ces valeurs ou retirez ces lignes.",
    ),
    "measures.invalid_counts": Entry(
        "valeur(s) manquante(s), infinie(s) ou négative(s) pour : {ids}.",
        fix="donnez des nombres positifs ou nuls, ou retirez ces lignes.",
    ),
    "measures.group_by": Entry(
        "les colonnes de regroupement {group_by} ne conviennent pas.",
        fix="donnez des colonnes distinctes de la table d'accessibilité, autres que l'identifiant "
        "et la valeur mesurée.",
    ),
    "measures.duplicate_ids": Entry(
        "identifiant(s) en double : {ids}.",
        fix="gardez une ligne par identifiant (et par groupe).",
    ),
    "measures.unknown_ids": Entry(
        "identifiant(s) sans population connue : {ids}.",
        fix="ajoutez ces lieux à la table de population, ou retirez-les de la table "
        "d'accessibilité.",
    ),
    "measures.concentration_kind": Entry(
        "le type d'indice de concentration « {kind} » n'existe pas.",
        fix="choisissez « standard » ou « corrected » (correction d'Erreygers).",
    ),
    "measures.poverty_line": Entry(
        "le seuil de pauvreté vaut {value} ; il doit être un nombre fini positif ou nul.",
        fix="donnez le seuil dans l'unité de l'accessibilité mesurée.",
    ),
    "measures.fitting_option": Entry(
        "le réglage {field} de l'ajustement vaut {value}.",
        fix="donnez un seuil positif ou nul, et un nombre d'itérations entier au moins égal à 1.",
    ),
    "measures.doubly_totals": Entry(
        "la demande totale ({demand}) et l'offre totale ({supply}) diffèrent : le modèle "
        "doublement contraint exige qu'elles soient égales.",
        fix="mettez l'offre à l'échelle de la demande (ou l'inverse), ou utilisez le modèle "
        "simplement contraint.",
    ),
    "measures.unknown_summary": Entry(
        "l'indicateur d'inégalité « {name} » n'existe pas.",
        fix="choisissez parmi : {known}.",
    ),
    "measures.unknown": Entry(
        "la mesure « {name} » n'est pas connue.", fix="choisissez l'une des mesures : {known}."
    ),
    "measures.no_runner": Entry(
        "la mesure « {measure} » n'a pas de fonction de calcul.",
        fix="enregistrez-la avec sa fonction de calcul (runner).",
    ),
    "measures.unknown_options": Entry(
        "option(s) inconnue(s) pour « {name} » : {unknown}.",
        fix="utilisez : {known}.",
    ),
}
