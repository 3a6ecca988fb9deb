"""French wording of the messages of options/."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

ENTRIES: Mapping[str, Entry] = {
    # --- what an option adds (describe_option), one sentence built from parts ------------------
    "options.describe": Entry("{what} à {where} : {adds}."),
    "options.describe_gain": Entry(
        "{what} à {where} : {adds}, {gain} habitants de plus à moins de {minutes} min."
    ),
    "options.describe_nothing": Entry("{option} : aucun nouveau site."),
    "options.places_one": Entry("{place}"),
    "options.places_many": Entry("{first} et {last}"),
    "options.msp_one": Entry("Une MSP"),
    "options.msp_many": Entry("{count} MSP"),
    "options.volunteer_centre_one": Entry("Un centre de médecins bénévoles"),
    "options.volunteer_centre_many": Entry("{count} centres de médecins bénévoles"),
    "options.rotation_one": Entry("Une rotation sur 1 site"),
    "options.rotation_many": Entry("Une rotation sur {count} sites"),
    "options.adds_fte": Entry("{fte} de plus"),
    "options.adds_volunteer_weeks": Entry("{weeks} semaines de bénévoles par an ({fte})"),
    "options.adds_days": Entry("{days} jours de consultation par semaine"),
    "options.fte_one": Entry("un médecin à temps plein"),
    "options.fte_whole": Entry("{count} médecins à temps plein"),
    "options.fte_part": Entry("{fte} équivalent temps plein de médecin"),
    # --- descriptions of options without one ---------------------------------------------------
    "options.no_new_site": Entry("aucun nouveau site"),
    "options.sites_by_hand": Entry("sites choisis à la main"),
    "options.from_result": Entry("{model} ({status}), objectif {objective}"),
    # --- errors ----------------------------------------------------------------------------------
    "options.no_name": Entry("une option doit avoir un nom.", fix="donnez-lui un nom."),
    "options.fte_invalid": Entry(
        "l'équivalent temps plein du nouveau site {site} doit être positif (reçu : {fte}).",
        fix="donnez les équivalents temps plein ajoutés (par exemple 1,0).",
    ),
    "options.duplicate_names": Entry("noms d'options en double : {names}.", fix="renommez-les."),
    "options.none": Entry("aucune option à comparer.", fix="donnez au moins une option."),
    "options.sites_without_times": Entry(
        "option « {option} » : nouveau(x) site(s) sans temps de trajet ({ids}).",
        fix="calculez les temps de trajet de chaque commune vers les sites candidats.",
    ),
    "options.site_communes_columns": Entry(
        "colonne(s) manquante(s) : {columns}.",
        fix="donnez site_id et commune_code (par exemple roster.sites).",
    ),
    "options.year_before_start": Entry(
        "l'année {year} précède l'année de départ {start}.",
        fix="choisissez une année à partir de {start}.",
    ),
    "options.band_not_compared": Entry(
        "la comparaison n'a pas de seuil à {minutes} minutes.",
        fix="choisissez l'un de ses seuils ({bands}).",
    ),
    "options.not_compared": Entry(
        "l'option « {option} » n'est pas dans la comparaison.", fix="comparez-la d'abord."
    ),
    # --- options files ---------------------------------------------------------------------------
    "options.file_empty": Entry(
        "le fichier d'options n'a aucune entrée [[option]].",
        fix="ajoutez des tables [[option]] avec au moins un nom (voir docs/siting.md).",
    ),
    "options.entry_no_name": Entry(
        "l'option n° {number} n'a pas de nom.", fix="donnez un nom à chaque option."
    ),
    "options.unknown_keys": Entry(
        "option « {option} » : clé(s) inconnue(s) : {keys}.",
        fix="utilisez name, sites, fte, year, description, ou un modèle et ses paramètres "
        "(voir docs/siting.md).",
    ),
    "options.year_without_outlook": Entry(
        "l'option « {option} » demande l'année {year}, mais aucune projection des effectifs "
        "n'est disponible.",
        fix="donnez supply_for_year (un fichier des médecins et sa projection) ou retirez l'année.",
    ),
    "options.sites_and_model": Entry(
        "l'option « {option} » a à la fois des sites et un modèle.", fix="gardez l'un des deux."
    ),
    "options.model_error": Entry("option « {option} » : {message}", fix="{advice}"),
    "options.hosts_not_table": Entry(
        "option « {option} » : les règles d'accueil (hosts) doivent être une table.",
        fix="écrivez [hosts] avec min_population, premises et/ou include_existing.",
    ),
    "options.unknown_host_rules": Entry(
        "option « {option} » : règle(s) d'accueil inconnue(s) : {rules}.",
        fix="utilisez {allowed}.",
    ),
    "options.no_eligible_candidate": Entry(
        "option « {option} » : aucun site candidat ne respecte les règles d'accueil.",
        fix="abaissez min_population, ou déclarez des locaux dans plus de communes.",
    ),
}
