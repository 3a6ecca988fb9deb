"""French wording of the messages of workforce/."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

_SCENARIO_FIX = (
    "nommez des sites du fichier des médecins (ou déclarez-les sous [[site]]) et des années "
    "comprises dans l'horizon de la projection."
)

ENTRIES: Mapping[str, Entry] = {
    # --- caveats ------------------------------------------------------------------------------
    "workforce.illustrative_ages_source": Entry("âges illustratifs (graine {seed}, {year})"),
    "workforce.illustrative_ages": Entry(
        "âges illustratifs : les années de naissance des médecins ont été générées selon une "
        "distribution déclarée, elles ne sont pas connues ; ces projections ne sont pas des "
        "faits."
    ),
    "workforce.illustrative_ages_profession": Entry(
        "âges illustratifs : les années de naissance des professionnels ({profession}) ont été "
        "générées selon une distribution déclarée, elles ne sont pas connues ; ces projections "
        "ne sont pas des faits."
    ),
    "workforce.unknown_age_excluded": Entry(
        "{count} professionnel(s) sans année de naissance laissé(s) hors de la projection : {ids}."
    ),
    # --- ages and retirement ------------------------------------------------------------------
    "workforce.age_bands_invalid": Entry(
        "tranches d'âge invalides ({bands}).",
        fix="donnez des tranches (âge le plus bas, âge le plus haut, poids) avec 20 ≤ plus bas "
        "≤ plus haut ≤ 90 et des poids positifs ou nuls de somme non nulle.",
    ),
    "workforce.fixed_age_invalid": Entry(
        "un âge de départ à la retraite de {age} ans n'est pas plausible.",
        fix="donnez un âge entre 40 et 100 ans.",
    ),
    "workforce.age_distribution_invalid": Entry(
        "la distribution des âges de départ à la retraite demande des poids positifs ou nuls de "
        "somme non nulle.",
        fix="donnez une table comme {{65: 0.5, 67: 0.5}}.",
    ),
    "workforce.unknown_age_rule": Entry(
        "règle inconnue pour les âges inconnus : « {rule} ».",
        fix="demandez « territory » (âges du territoire), « exclude » (exclus) ou « keep » "
        "(gardés jusqu'à la fin).",
    ),
    "workforce.birth_after_start": Entry(
        "année de naissance (practitioners.birth_year) postérieure à l'année de départ {year} "
        "pour {ids}"
    ),
    "workforce.retirement_before_birth": Entry(
        "année de retraite (practitioners.retirement_year) qui ne suit pas l'année de naissance "
        "pour {ids}"
    ),
    "workforce.practitioner_years": Entry(
        "{problems}.", fix="corrigez les années de naissance ou de retraite de ces professionnels."
    ),
    "workforce.no_birth_year": Entry(
        "aucun professionnel n'a d'année de naissance : les âges du territoire ne peuvent pas "
        "remplacer ceux des {count} qui n'en ont pas ({ids}).",
        fix="donnez les années de naissance, construisez un fichier d'âges illustratifs "
        "(illustrative_roster()), ou choisissez RetirementModel(unknown_age='exclude' ou "
        "'keep').",
    ),
    "workforce.age_band_unreadable": Entry(
        "tranche d'âge (age_band) illisible pour {bands}.",
        fix="écrivez les tranches comme « 60-64 » ou « 65+ » (âges en {year}).",
    ),
    "workforce.horizon_invalid": Entry(
        "l'horizon {horizon} n'est pas un nombre d'années.",
        fix="donnez au moins 1 (15 par défaut).",
    ),
    # --- the outlook ----------------------------------------------------------------------------
    "workforce.unknown_engine": Entry(
        "méthode de projection inconnue : « {engine} ».",
        fix="demandez « expected » (espérance) ou « monte_carlo » (tirages aléatoires).",
    ),
    "workforce.runs_invalid": Entry(
        "{runs} n'est pas un nombre positif de tirages aléatoires.",
        fix="donnez au moins 1 tirage (par exemple 1000).",
    ),
    "workforce.stop_years_invalid": Entry(
        "les années d'arrêt citent des professionnels inconnus ({unknown}) ou des années qui ne "
        "suivent pas {year} ({early}).",
        fix="utilisez les identifiants du fichier des professionnels et des années après "
        "l'année de départ.",
    ),
    "workforce.professions_not_on_roster": Entry(
        "profession(s) absente(s) du fichier : {missing} (il contient : {present}).",
        fix="nommez des professions de la colonne « profession » du fichier.",
    ),
    "workforce.year_outside": Entry(
        "l'année {year} n'est pas dans la projection ({years}).",
        fix="choisissez une année de la projection.",
    ),
    "workforce.outlook_years_differ": Entry(
        "les projections ne couvrent pas les mêmes années.",
        fix="projetez chaque profession avec la même année de départ et le même horizon.",
    ),
    "workforce.no_coverage_band": Entry(
        "la projection des professionnels ({profession}) n'a pas de couverture à {minutes} "
        "minutes.",
        fix="choisissez l'un des seuils {bands} minutes.",
    ),
    # --- scenarios ------------------------------------------------------------------------------
    "workforce.two_replacement_rules": Entry(
        "les scénarios « {first} » et « {second} » fixent tous deux une règle de remplacement.",
        fix="gardez une seule règle de remplacement quand vous combinez des scénarios.",
    ),
    "workforce.scenario_not_table": Entry(
        "une table de clés est attendue.", fix="écrivez-la comme une table TOML."
    ),
    "workforce.scenario_unknown_keys": Entry(
        "clé(s) inconnue(s) : {keys}.", fix="utilisez seulement {allowed}."
    ),
    "workforce.scenario_incomplete": Entry(
        "entrée incomplète : il manque {missing}.", fix="ajoutez les clés obligatoires."
    ),
    "workforce.scenario_is_options": Entry(
        "ce fichier liste des options d'implantation (tables [[option]]), pas un scénario de "
        "projection des effectifs.",
        fix="donnez-le à « accessmap compare --options » ; un scénario de projection a des "
        "tables replacement, installation, rotation, volunteer_centre ou site (voir "
        "data/scenario_example.toml).",
    ),
    "workforce.scenario_toml": Entry(
        "le fichier n'est pas du TOML valide.",
        fix="corrigez la syntaxe (voir le fichier d'exemple).",
    ),
    "workforce.scenario_toml_at": Entry(
        "le fichier n'est pas du TOML valide (ligne {line}, colonne {column}).",
        fix="corrigez la syntaxe (voir le fichier d'exemple).",
    ),
    "workforce.scenario_invalid": Entry("scénario invalide : {problems}.", fix=_SCENARIO_FIX),
    "workforce.problem_fraction": Entry(
        "scenario.replacement.fraction vaut {value} (hors de l'intervalle de 0 à 1)"
    ),
    "workforce.problem_delay": Entry(
        "scenario.replacement.delay_years vaut {value} (hors de l'intervalle de 0 à {horizon})"
    ),
    "workforce.problem_fte": Entry(
        "scenario.replacement.fte vaut {value} (il faut plus de 0 et au plus 2)"
    ),
    "workforce.problem_site_clash": Entry(
        "identifiants de site (scenario.site) déjà utilisés : {ids}"
    ),
    "workforce.problem_year": Entry("{where}.year vaut {year} (hors de l'horizon {start}-{end})"),
    "workforce.problem_unknown_site": Entry("{where}.site_id : site « {site} » inconnu"),
    "workforce.problem_negative": Entry(
        "{where}.{name} vaut {value} (il faut un nombre positif ou nul)"
    ),
    "workforce.problem_shares": Entry(
        "{where}.shares : il faut des parts de plus de 0 à 1 et de somme 1"
    ),
    "workforce.problem_weeks_per_fte": Entry(
        "{where}.weeks_per_fte vaut {value} (il faut plus de 0 et au plus 53)"
    ),
    "workforce.problem_lonlat": Entry(
        "scenario.site[{index}] : longitude ou latitude hors limites"
    ),
}
