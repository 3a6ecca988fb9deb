"""French wording of the messages of cli/ (every line the command line prints) and app/."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

_FIX_HELP = "voir « accessmap --help » ou « accessmap COMMANDE --help »."

ENTRIES: Mapping[str, Entry] = {
    # --- tags and help screens --------------------------------------------------------------
    "cli.tag_error": Entry("erreur"),
    "cli.tag_warning": Entry("attention"),
    "cli.tag_note": Entry("note"),
    "cli.tag_ok": Entry("ok"),
    "cli.help_usage": Entry("Utilisation :"),
    "cli.help_help": Entry("Afficher cette aide et quitter."),
    "cli.help_options": Entry("Options "),
    "cli.help_arguments": Entry("Arguments "),
    "cli.help_commands": Entry("Commandes "),
    "cli.help_command_args": Entry("COMMANDE [ARGUMENTS]..."),
    "cli.help_model": Entry("Modèle d'implantation : {choices}."),
    "cli.help_measure": Entry("Mesure d'accessibilité en plus de l'APL : {choices}."),
    "cli.help_profession": Entry("Profession (défaut : {default}) : {choices}."),
    "cli.help_territory": Entry("Territoire. Préréglages : {presets}. Formes acceptées : {forms}"),
    # --- command help ------------------------------------------------------------------
    "cli.cmd_root": Entry(
        "Accès aux soins de premier recours dans un territoire rural : temps d'accès, APL, "
        "départs en retraite des médecins, implantation de maisons de santé."
    ),
    "cli.cmd_check": Entry(
        "Vérifier en quelques secondes les entrées et sorties d'un diagnostic, sans calculer."
    ),
    "cli.cmd_compare": Entry(
        "Comparer des options d'implantation côte à côte (statu quo, modèles, centres, années)."
    ),
    "cli.cmd_diagnose": Entry(
        "Diagnostic complet : rapport HTML en français, GeoPackage et tableaux (reports/...)."
    ),
    "cli.cmd_fetch": Entry(
        "Remplir le cache du projet (data/raw) depuis un miroir ou les services officiels."
    ),
    "cli.cmd_indicators": Entry(
        "Temps d'accès, population par tranche, APL (DREES) par commune, à côté de l'APL officiel."
    ),
    "cli.cmd_outlook": Entry(
        "Praticiens année par année : départs, remplacements, APL, communes sans praticien."
    ),
    "cli.cmd_site": Entry(
        "Où de nouveaux sites aident le plus : modèles exacts et leur effet sur l'accès."
    ),
    "cli.cmd_territory": Entry(
        "Définir un territoire et afficher son résumé (communes, population, km², densité)."
    ),
    "cli.cmd_traveltimes": Entry(
        "Temps de trajet de chaque commune de la zone d'étude vers chaque site et mairie candidate."
    ),
    # --- option help (the lists of registered things are built at display: _registries) -----
    "cli.opt_debug": Entry("Afficher la trace complète des erreurs."),
    "cli.opt_from_registry": Entry("(liste construite depuis le registre à l'affichage de l'aide)"),
    "cli.opt_buffer_km": Entry("Largeur de la zone tampon (km)."),
    "cli.opt_mirror": Entry("Dossier miroir des données officielles (comme ../shared/data)."),
    "cli.opt_store": Entry("Fichier DuckDB (défaut data/accessmap.duckdb)."),
    "cli.opt_online": Entry("Autoriser les téléchargements (services officiels)."),
    "cli.opt_roster": Entry(
        "Fichier des praticiens (CSV , ou ; ; modèle docs/roster_template.md). Sans lui : "
        "effectifs officiels et âges ILLUSTRATIFS."
    ),
    "cli.opt_roster_scope": Entry(
        "Avec --roster : « territory » (défaut) utilise votre liste dans le territoire et les "
        "effectifs officiels dans la zone tampon ; « everywhere » utilise votre liste partout."
    ),
    "cli.opt_osm": Entry(
        "Réseau routier local (.osm, .osm.pbf, .graphml). Sans lui : le réseau du miroir "
        "s'il couvre la zone d'étude."
    ),
    "cli.opt_crowfly": Entry("Sans réseau routier : distance à vol d'oiseau × détour ÷ vitesse."),
    "cli.opt_winter": Entry("Vitesses d'hiver (neige sur le plateau). Défaut : ACCESSMAP_WINTER."),
    "cli.opt_seed": Entry("Graine de tout tirage (âges illustratifs, Monte Carlo)."),
    "cli.opt_scenario": Entry("Scénario de remplacement, TOML (scenario_example.toml)."),
    "cli.opt_runs": Entry("Tirages Monte-Carlo."),
    "cli.opt_start_year": Entry("Première année de la projection (défaut : cette année)."),
    "cli.opt_minutes": Entry("Seuil de couverture T (t < T), minutes."),
    "cli.opt_time_limit": Entry("Secondes de calcul par modèle."),
    "cli.opt_min_population": Entry("Règle d'accueil : population minimale."),
    "cli.opt_premises": Entry(
        "Règle d'accueil : communes disposant de locaux (a,b ou un fichier)."
    ),
    "cli.opt_out_report": Entry("Dossier du rapport (défaut reports/<territoire>)."),
    "cli.measure_option_infinite": Entry(
        "--option « {value} » : la valeur de {field} doit être un nombre fini.",
        fix="donnez un nombre, par exemple cutoff=30.",
    ),
    "cli.option_without_measure": Entry(
        "--option « {value} » est donnée sans --measure : elle ne réglerait aucune mesure.",
        fix="ajoutez --measure NOM (par exemple --measure cumulative_cutoff), ou retirez --option.",
    ),
    "cli.opt_p_max": Entry(
        "Nombre maximal de nouveaux sites proposés (options à 1, 2… sites ; ramené au nombre de "
        "mairies candidates si le territoire en a moins)."
    ),
    "cli.opt_pdf": Entry("Écrire aussi le rapport en PDF (A4)."),
    "cli.opt_dry_run": Entry("Vérifier les entrées et sorties sans calculer."),
    "cli.opt_option": Entry("Réglage de la mesure, nom=valeur (ex. cutoff=30)."),
    "cli.opt_apl_year": Entry("Millésime DREES comparé (APL publié)."),
    "cli.opt_out_csv": Entry("Écrire le tableau par commune dans ce CSV."),
    "cli.opt_horizon": Entry("Années projetées."),
    "cli.opt_retirement_age": Entry("Âge de départ fixe (défaut : courbe 60-72 ans)."),
    "cli.opt_unknown_age": Entry(
        "Praticiens sans année de naissance : territory, exclude ou keep."
    ),
    "cli.opt_illustrative_ages": Entry(
        "Avec --roster : âges ILLUSTRATIFS pour les praticiens sans année de naissance."
    ),
    "cli.opt_out_outlook": Entry("Dossier des tableaux CSV (outlook_*.csv)."),
    "cli.opt_p": Entry("Nouveaux sites."),
    "cli.opt_site_year": Entry("Année de projection (sites encore pourvus)."),
    "cli.opt_candidates": Entry("Candidats (a,b,c ou un fichier ; défaut : les mairies)."),
    "cli.opt_exclude": Entry("Candidats exclus (a,b ou un fichier)."),
    "cli.opt_mandatory": Entry("Sites imposés (a,b ou un fichier)."),
    "cli.opt_existing": Entry("Garder ouverts les sites existants."),
    "cli.opt_team_days": Entry("Rotation : jours-médecin par semaine."),
    "cli.opt_greedy": Entry("Heuristique seule (sans calcul exact)."),
    "cli.opt_options": Entry(
        "Options à comparer, TOML ou JSON (accessmap/data/options_example.toml)."
    ),
    "cli.opt_out_compare": Entry("Dossier des CSV (compare_*.csv)."),
    "cli.opt_preset": Entry("Préréglage (voir --territory)."),
    "cli.opt_codes": Entry("Codes INSEE séparés par des virgules."),
    "cli.opt_codes_file": Entry("Fichier de codes INSEE."),
    "cli.opt_polygon": Entry("Polygone (avec un SCR)."),
    "cli.opt_epci": Entry("Codes SIREN d'EPCI, séparés par virgule."),
    "cli.opt_format": Entry("table (lecture) ou json (machines)."),
    "cli.opt_save": Entry("Écrire dans la base."),
    "cli.opt_departments": Entry(
        "Codes de départements séparés par des virgules (défaut : le territoire)."
    ),
    "cli.opt_save_graph": Entry("Enregistrer le graphe routier en GraphML."),
    # --- usage errors (the command-line parser) ----------------------------------------------
    "cli.usage_fix": Entry("Correctif : " + _FIX_HELP),
    "cli.usage_no_command": Entry("commande inconnue : {name} (commandes proches : {close})."),
    "cli.usage_no_option": Entry("option inconnue : {name} (options proches : {close})."),
    "cli.usage_no_command_alone": Entry("commande inconnue : {name}."),
    "cli.usage_no_option_alone": Entry("option inconnue : {name}."),
    "cli.usage_missing": Entry("option obligatoire manquante : {option}."),
    "cli.usage_bad_value": Entry("{option} : valeur invalide : {why}."),
    "cli.usage_needs_value": Entry("l'option {option} attend une valeur."),
    "cli.usage_extra": Entry("argument en trop."),
    "cli.usage_unknown_option": Entry("option"),
    "cli.usage_min": Entry("elle doit être supérieure ou égale à {bound}"),
    "cli.usage_above": Entry("elle doit être supérieure à {bound}"),
    "cli.usage_max": Entry("elle doit être inférieure ou égale à {bound}"),
    "cli.usage_below": Entry("elle doit être inférieure à {bound}"),
    "cli.usage_not_number": Entry("ce n'est pas un nombre"),
    "cli.usage_invalid": Entry("valeur non reconnue"),
    # --- errors of the commands --------------------------------------------------------------
    "cli.no_territory": Entry(
        "aucun territoire donné.",
        fix="donnez --territory montagne-limousine, des codes INSEE (19031,19272) ou un fichier.",
    ),
    "cli.empty_territory": Entry(
        "le territoire est vide.",
        fix="donnez --territory montagne-limousine, des codes INSEE (19031,19272) ou un fichier.",
    ),
    "cli.territory_count": Entry(
        "{count} territoires donnés.",
        fix="donnez une seule des options --territory, --preset, --codes, --codes-file, "
        "--polygon, --epci.",
    ),
    "cli.unknown_format": Entry("« {value} » n'est pas un format.", fix="table ou json."),
    "cli.unknown_measure": Entry(
        "mesure inconnue : « {measure} ».", fix="choisissez parmi {choices}."
    ),
    "cli.measure_option": Entry(
        "« {value} » n'est pas de la forme nom=nombre.", fix="écrivez par exemple cutoff=30."
    ),
    "cli.fetch_nothing": Entry(
        "rien n'a pu être récupéré.",
        fix="donnez --mirror DOSSIER (un miroir des données officielles) ou --online.",
    ),
    "cli.os_where": Entry(" ({path})"),
    "cli.os_missing": Entry("fichier ou dossier introuvable"),
    "cli.os_denied": Entry("accès refusé par le système"),
    "cli.os_full": Entry("plus d'espace libre sur le disque"),
    "cli.os_is_folder": Entry("un dossier est donné là où un fichier est attendu"),
    "cli.os_not_folder": Entry("un fichier est donné là où un dossier est attendu"),
    "cli.os_read_only": Entry("le disque est en lecture seule"),
    "cli.os_other": Entry("erreur du système (code {number})"),
    "cli.os_error": Entry(
        "{reason}{where}. Correctif : vérifiez le chemin, les droits et l'espace disque."
    ),
    # --- interruptions -----------------------------------------------------------------------
    "cli.ctrl_c": Entry("interrompu (Ctrl-C)"),
    "cli.sigterm": Entry("arrêt demandé (SIGTERM)"),
    "cli.interrupted": Entry("{what} : rien n'a été publié, le rapport et la base sont inchangés."),
    "cli.interrupted_published": Entry(
        "{what} après la publication : le rapport et la base sont à jour."
    ),
    # --- progress ----------------------------------------------------------------------------
    "cli.step_start": Entry("démarrage"),
    "cli.step_diagnostic": Entry("diagnostic"),
    "cli.step_done": Entry("terminé"),
    "app.step_inputs": Entry("territoire et offre de soins"),
    "app.step_indicators": Entry("indicateurs par commune"),
    "app.step_profession": Entry("{profession} : temps d'accès et indicateur"),
    "app.step_outlook": Entry("projection"),
    "app.step_siting": Entry("optimisation (calcul exact)"),
    "app.step_options": Entry("options (calcul exact)"),
    "app.step_report": Entry("rapport"),
    "app.step_fetch": Entry("{dataset} {dep}"),
    # --- territory and fetch -----------------------------------------------------------------
    "cli.territory_title": Entry("{name} : {communes} communes"),
    "cli.territory_buffer": Entry(
        "Zone tampon {km} km : {communes} communes, {inhabitants} habitants."
    ),
    "cli.fetch_missing": Entry("manquant : {dataset} {dep} : {reason}"),
    # --- travel times ------------------------------------------------------------------------
    "cli.times_roads": Entry("réseau routier : {report}"),
    "cli.times_header": Entry(
        "{territory} : {origins} communes × {destinations} destinations, {roads}"
    ),
    "cli.times_cached": Entry(
        "{territory} : {origins} communes × {destinations} destinations, {roads} "
        "(depuis le cache de la base)"
    ),
    "cli.times_summary": Entry(
        "paires {pairs} | médiane {median} min | max {max} min | sans chemin {unreachable}"
    ),
    "cli.times_nearest": Entry(
        "médecin le plus proche depuis les {communes} communes du territoire : médiane "
        "{median} min, max {max} min"
    ),
    "cli.times_crowfly": Entry(
        "pas de réseau routier : temps ESTIMÉS à vol d'oiseau (distance × détour ÷ vitesse)."
    ),
    # --- indicators --------------------------------------------------------------------------
    "cli.apl_summary": Entry(
        "{territory} : APL modélisé {apl} consultations/an/habitant standardisé (médecins de "
        "moins de {age} ans : {apl_u65}) ; {roads}"
    ),
    "cli.apl_official": Entry(
        "APL OFFICIEL (DREES {year}) : {apl} ; accord du modèle sur {communes} communes : "
        "Spearman {spearman} (moins de 65 ans : {spearman_u65})"
    ),
    "cli.apl_summary_no_u65": Entry(
        "{territory} : APL modélisé {apl} consultations/an/habitant standardisé ; {roads}"
    ),
    "cli.apl_official_no_u65": Entry(
        "APL OFFICIEL (DREES {year}) : {apl} ; accord du modèle sur {communes} communes : "
        "Spearman {spearman}"
    ),
    "cli.bands_gp": Entry("Temps d'accès au généraliste le plus proche"),
    "cli.bands_profession": Entry("Temps d'accès : {profession}"),
    "cli.zone": Entry(
        "Zone déficitaire (décret 2003-1140) : {verdict} ({met} critère(s) rempli(s), "
        "{unknown} inconnu(s))"
    ),
    "cli.zone_row": Entry("  - {criterion} : {state} ({value})"),
    "cli.national_summary": Entry(
        "Accord avec l'APL publié {year} sur {communes} communes : Spearman {spearman}, écart "
        "absolu moyen {diff} ; APL moyen modélisé {apl}, publié {apl_drees}."
    ),
    "cli.national_method": Entry(
        "  dont {communes} communes en {method} : Spearman {spearman}, écart absolu moyen {diff}"
    ),
    "cli.national_title": Entry("Accord par département (les plus faibles d'abord)"),
    "cli.measure": Entry(
        "{label} ({unit}) : {value} en moyenne sur le territoire (pondérée par la population) "
        "— {description}"
    ),
    "cli.measure_settings": Entry("Réglages : {settings}."),
    "cli.profession_summary": Entry(
        "{territory} — {profession} : {practitioners} professionnel(s) dans le territoire ; "
        "{value} {unit}"
    ),
    "cli.profession_nearest": Entry(
        "{territory} — {profession} : {practitioners} professionnel(s) dans le territoire ; "
        "{value} min en moyenne jusqu'à la plus proche"
    ),
    "cli.profession_supply": Entry(
        "Offre : {source}. Estimation : 1 ETP par professionnel recensé."
    ),
    # --- outlook -----------------------------------------------------------------------------
    "cli.outlook_engine_mc": Entry("{engine}, {runs} tirages, graine {seed}"),
    "cli.outlook_illustrative": Entry(
        "ÂGES ILLUSTRATIFS : années de naissance générées selon une distribution déclarée ; "
        "ces projections ne sont pas des faits."
    ),
    "cli.outlook_title": Entry(
        "{territory} : {profession} et accès, scénario « {scenario} » ({engine})"
    ),
    "cli.outlook_risk": Entry(
        "Communes qui risquent de perdre leur dernier praticien d'ici {year} (probabilité ≥ "
        "50 %, année du seuil) : {communes}"
    ),
    "cli.outlook_no_risk": Entry(
        "Aucune commune n'a plus d'une chance sur deux de perdre son dernier praticien d'ici "
        "{year}."
    ),
    # --- siting ------------------------------------------------------------------------------
    "cli.site_no_bound": Entry("sans borne (heuristique)"),
    "cli.site_gap": Entry("écart prouvé {gap} %"),
    "cli.site_today": Entry("aujourd'hui"),
    "cli.site_summary": Entry(
        "{territory} ({when}) : {model}, {status}, objectif {objective}, {gap}"
    ),
    "cli.site_chosen": Entry("Sites retenus : {sites}"),
    "cli.site_none": Entry("aucun"),
    "cli.site_unreached_no_site": Entry(
        "Communes laissées de côté, qu'aucun site n'atteint (accès non optimisé) : {count} "
        "commune(s), {population} habitants : {names}"
    ),
    "cli.site_unreached_beyond_p": Entry(
        "Communes laissées de côté, hors de portée de {p} nouveau(x) site(s) (accès non "
        "optimisé) : {count} commune(s), {population} habitants : {names}"
    ),
    "cli.comparison_title": Entry("Options comparées"),
    "cli.compare_summary": Entry("{territory} : {count} options"),
    "cli.compare_option": Entry("  {name} : {description}"),
    # --- diagnose ----------------------------------------------------------------------------
    "cli.diagnose_summary": Entry(
        "{territory} : {population} habitants, APL modélisé {apl}, {beyond_20} habitants à "
        "20 min ou plus d'un médecin."
    ),
    "cli.diagnose_summary_official": Entry(
        "{territory} : {population} habitants, APL publié par la DREES ({year}) {official}, "
        "modélisé {apl} ; {beyond_20} habitants à 20 min ou plus d'un médecin."
    ),
    "cli.diagnose_recruits": Entry(
        "Pour qu'aucune commune ne passe sous {threshold} en {year} : {fte} médecins de plus, "
        "sur {sites} sites{left} ; détail dans le rapport (APL publié + effet modélisé)."
    ),
    "cli.diagnose_left_one": Entry(" (une commune hors de portée de tout site possible)"),
    "cli.diagnose_left": Entry(" ({count} communes hors de portée de tout site possible)"),
    "cli.diagnose_recruits_unproven": Entry(
        "Ce nombre est la meilleure solution trouvée dans le temps de calcul, sans preuve qu'il "
        "n'y en a pas de plus petit."
    ),
    "cli.diagnose_report": Entry("rapport  {path}"),
    "cli.diagnose_layers": Entry("couches  {path}"),
    "cli.diagnose_pdf": Entry("PDF      {path}"),
    # --- table columns -----------------------------------------------------------------------
    "cli.col_time": Entry("temps"),
    "cli.col_communes": Entry("communes"),
    "cli.col_inhabitants": Entry("habitants"),
    "cli.col_share": Entry("part"),
    "cli.col_department": Entry("département"),
    "cli.col_km2": Entry("km²"),
    "cli.col_density": Entry("hab./km²"),
    "cli.col_spearman": Entry("Spearman"),
    "cli.col_abs_diff": Entry("écart absolu moyen"),
    "cli.col_year": Entry("année"),
    "cli.col_practitioners": Entry("praticiens"),
    "cli.col_fte": Entry("ETP"),
    "cli.col_gone": Entry("partis (%)"),
    "cli.col_apl": Entry("APL ({unit})"),
    "cli.col_apl_short": Entry("APL"),
    "cli.col_beyond_20": Entry("hab. ≥ 20 min"),
    "cli.col_beyond_30": Entry("hab. ≥ 30 min"),
    "cli.col_without": Entry("communes sans praticien"),
    "cli.col_indicator": Entry("indicateur"),
    "cli.col_new_sites": Entry("nouveaux sites"),
    "cli.col_new_fte": Entry("ETP ajoutés"),
    "cli.col_within_10": Entry("hab. < 10 min"),
    "cli.col_within_20": Entry("hab. < 20 min"),
    "cli.col_within_30": Entry("hab. < 30 min"),
    "cli.col_mean_minutes": Entry("temps moyen (min)"),
    "cli.col_max_minutes": Entry("temps max (min)"),
    "cli.col_communes_below": Entry("communes APL < 2,5"),
    "cli.col_pop_below": Entry("hab. APL < 2,5"),
    "cli.col_losing_last": Entry("pertes du dernier médecin"),
    "cli.col_losses_avoided": Entry("pertes évitées"),
    # --- site with the APL decision models, and plans -----------------------------------------
    "cli.help_parameter": Entry("{description} (paramètre « {name} » de : {models})."),
    "cli.help_parameter_models": Entry("Paramètre « {name} » : {meanings}."),
    "cli.help_parameter_none": Entry("Aucun modèle du registre n'a le paramètre « {name} »."),
    "cli.help_param": Entry(
        "Paramètre d'un modèle, NOM=VALEUR (répétable). Communs à tous : {shared}. Par modèle : "
        "{models}."
    ),
    "cli.opt_plan": Entry(
        "Évaluer un plan sans optimiser : « 19033:2,23077:1 » (site ou code INSEE : ETP), ou un "
        "fichier de ce texte ou un CSV site,fte."
    ),
    "cli.opt_site_runs": Entry(
        "Tirages des départs en retraite pour la bande 10-90 % des modèles d'APL et des plans."
    ),
    "cli.site_param_syntax": Entry(
        "« {value} » n'est pas de la forme NOM=VALEUR.",
        fix="écrivez par exemple --param share=0.9 (voir accessmap site --help).",
    ),
    "app.site_param_unknown": Entry(
        "le modèle {model} n'a pas de paramètre « {name} ».",
        fix="paramètres de {model} : {known} (voir accessmap site --help).",
    ),
    "app.site_threshold": Entry(
        "le seuil d'APL « {value} » n'est pas un nombre positif.",
        fix="donnez un seuil comme 2.5 (--threshold), dans l'unité de l'APL de la profession.",
    ),
    "app.plan_columns": Entry(
        "le fichier de plan {name} n'a pas les colonnes site et fte.",
        fix="écrivez une ligne d'en-tête « site,fte » puis une ligne par site, ou le texte "
        "« 19033:2,23077:1 ».",
    ),
    "cli.site_apl_summary": Entry("{territory} — {model}, {profession}, {year} : {status}, {gap}."),
    "cli.apl_plan_summary": Entry(
        "{territory} — plan donné, évalué sans optimisation, {profession}, {year}."
    ),
    "cli.apl_plan": Entry(
        "Plan : {fte} ETP à recruter sur {sites} site(s) ({new} nouvelle(s) MSP, {reinforced} "
        "site(s) existant(s) renforcé(s))."
    ),
    "cli.apl_plan_none": Entry(
        "Plan : aucun ETP à recruter (aucune commune habitée qu'un site possible puisse relever "
        "n'est sous {threshold} en {year})."
    ),
    "cli.apl_site": Entry("  {name} ({site}) : {fte} ETP, {kind}"),
    "cli.apl_kind_new_msp": Entry("nouvelle MSP"),
    "cli.apl_kind_reinforced": Entry("site existant renforcé"),
    "cli.apl_reading": Entry("{line}"),
    "cli.apl_legend": Entry("Chiffres du territoire, sans plan → avec le plan :"),
    "cli.apl_today": Entry(
        "Aujourd'hui ({year}) : habitants sous {threshold} : {under_before} → {under_after} ; "
        "communes sous {threshold} : {communes_before} → {communes_after} ; APL du territoire : "
        "{apl_before} → {apl_after}."
    ),
    "cli.apl_year": Entry(
        "En {year} : habitants sous {threshold} : {under_before} → {under_after} ; communes "
        "sous {threshold} : {communes_before} → {communes_after} ; APL du territoire : "
        "{apl_before} → {apl_after}."
    ),
    "cli.apl_secondary": Entry("  habitants sous 4 : {before} → {after}."),
    "cli.apl_band_before": Entry(
        "  sans plan, habitants sous {threshold} selon les tirages : médiane {median}, 10-90 % "
        "{q10} à {q90}."
    ),
    "cli.apl_band_after": Entry(
        "  avec le plan, habitants sous {threshold} selon les tirages : médiane {median}, "
        "10-90 % {q10} à {q90}."
    ),
    "cli.apl_stuck": Entry(
        "Aucun site possible ne porte {name} ({id}, {population} hab., APL {apl}) à {threshold} : "
        "{reason}."
    ),
    "cli.apl_reason_no_site": Entry("aucun site possible à portée"),
    "cli.apl_reason_capacity": Entry("même au plafond de chaque site à portée, pas assez"),
}
