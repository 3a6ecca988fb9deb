"""French wording of the messages of siting/ (except the model registry)."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

_BUG = "signalez cette anomalie aux développeurs, avec les données qui l'ont provoquée."

ENTRIES: Mapping[str, Entry] = {
    # --- the models, named for a reader (nested in other messages) --------------------------
    "siting.model_mclp": Entry("le modèle de couverture maximale"),
    "siting.model_lscp": Entry("le modèle de couverture totale"),
    "siting.model_p_median": Entry("le modèle du temps moyen le plus court (p-médiane)"),
    "siting.model_p_center": Entry("le modèle du pire temps le plus court (p-centre)"),
    "siting.model_volunteer_centres": Entry("le modèle des centres de médecins bénévoles"),
    "siting.model_rotation": Entry("le modèle de rotation des médecins"),
    "siting.model_apl_recruits": Entry("le modèle des recrues nécessaires (APL)"),
    "siting.model_apl_best_use": Entry("le modèle du meilleur emploi des recrues (APL)"),
    "siting.model_apl_robust": Entry(
        "le modèle du meilleur emploi des recrues sur plusieurs tirages des départs (APL)"
    ),
    "siting.model_other": Entry("le modèle « {model} »"),
    # --- the statuses of a result -------------------------------------------------------------
    "siting.status_optimal": Entry("optimum prouvé"),
    "siting.status_time_limit": Entry("durée maximale atteinte, optimum non prouvé"),
    "siting.status_heuristic": Entry("méthode approchée"),
    "siting.status_unverified": Entry("solution sans preuve d'optimalité"),
    "siting.status_other": Entry("statut « {status} »"),
    # --- what stopped the exact computation -------------------------------------------------
    "siting.limit_time": Entry("durée maximale atteinte"),
    "siting.limit_iterations": Entry("nombre maximal d'itérations atteint"),
    "siting.limit_exploration": Entry("limite d'exploration atteinte"),
    "siting.limit_interrupted": Entry("calcul interrompu"),
    "siting.limit_objective": Entry("seuil de l'objectif atteint"),
    "siting.limit_other": Entry("arrêt du calcul"),
    # --- how to make an impossible model possible (nested as the fix of an error) -----------
    "siting.advice_check_inputs": Entry(
        "vérifiez les données du modèle (temps de trajet, sites candidats, nombre de sites p)."
    ),
    "siting.advice_raise_minutes": Entry(
        "augmentez le seuil de temps (minutes) ou ajoutez des sites candidats."
    ),
    "siting.advice_volunteer": Entry(
        "ouvrez plus de centres (p), augmentez les semaines de bénévoles ou le seuil de temps, "
        "ou renoncez à servir toute la demande (must_serve)."
    ),
    "siting.advice_rotation": Entry(
        "changez les jours de l'équipe, les sites obligatoires ou le maximum de jours par site "
        "(max_days)."
    ),
    "siting.advice_bug": Entry(_BUG),
    "siting.advice_apl": Entry(
        "autorisez plus de nouveaux sites (max_sites), plus d'ETP par site (max_fte), d'autres "
        "sites candidats, ou visez une part des habitants (share) plutôt que toutes les communes."
    ),
    # --- options of the exact computation ---------------------------------------------------
    "siting.time_limit_invalid": Entry(
        "la durée maximale du calcul doit être positive (reçu : {value}).",
        fix="donnez un nombre de secondes supérieur à 0.",
    ),
    "siting.gap_invalid": Entry(
        "l'écart relatif toléré doit être au moins 0 et moins de 1 (reçu : {value}).",
        fix="donnez un écart relatif comme 0,000001 (1e-6).",
    ),
    "siting.count_invalid": Entry(
        "{field} doit être un nombre entier positif ou nul, ou rien (reçu : {value}).",
        fix="donnez un nombre entier, ou ne donnez rien.",
    ),
    "siting.threads_invalid": Entry(
        "il faut au moins un fil de calcul (reçu : {value}).",
        fix="donnez un nombre de fils de calcul positif, ou ne donnez rien.",
    ),
    # --- the exact computation ----------------------------------------------------------------
    "siting.model_rejected": Entry(
        "le calcul exact a refusé le modèle (code interne {status}).", fix=_BUG
    ),
    "siting.model_infeasible": Entry("{model} n'a aucune solution.", fix="{advice}"),
    "siting.model_unbounded": Entry(
        "{model} n'a pas de solution (problème impossible ou non borné).", fix="{advice}"
    ),
    "siting.solver_failed": Entry("le calcul exact a échoué sur {model}.", fix=_BUG),
    "siting.no_solution_in_time": Entry(
        "le calcul exact s'est arrêté ({limit}) avant de trouver la moindre solution pour {model}.",
        fix="augmentez la durée maximale du calcul (time_limit) ou demandez la méthode "
        "approchée (method='greedy').",
    ),
    "siting.note_solved_again": Entry(
        "lancé depuis la solution approchée, le calcul exact a rendu une solution dont la valeur "
        "({got}) diffère de celle qu'il annonçait ({reported}) ; le modèle a été recalculé sans "
        "ce point de départ."
    ),
    "siting.note_unproven": Entry(
        "le calcul exact annonçait un optimum de {reported} mais sa solution vaut {got} ; la "
        "solution est rendue sans preuve d'optimalité."
    ),
    "siting.note_solution_broken": Entry(
        "la solution du calcul exact pour {model} ne respecte pas le modèle ; la solution "
        "approchée est rendue, sans preuve d'optimalité."
    ),
    "siting.note_stopped": Entry(
        "le calcul exact s'est arrêté ({limit}) avant de trouver une solution pour {model} ; la "
        "solution approchée est rendue."
    ),
    "siting.note_sites_worth_less": Entry(
        "les sites retenus par {model} valent {got} sur les données, mais l'optimum du modèle "
        "est {reported} ; la solution est rendue sans preuve d'optimalité."
    ),
    "siting.note_relaxation_differs": Entry(
        "l'optimum entier de la relaxation continue ({reported}) diffère de la valeur de ses "
        "sites ({got}) ; la solution est rendue sans preuve d'optimalité."
    ),
    "siting.note_bisection_solved_again": Entry(
        "{count} des problèmes de couverture de la recherche du pire temps ont été recalculés "
        "sans point de départ : le calcul exact avait rendu une solution dont la valeur "
        "différait de celle qu'il annonçait."
    ),
    # --- inputs of every model ----------------------------------------------------------------
    "siting.not_id_list": Entry(
        "une liste d'identifiants est attendue (reçu : {kind}).",
        fix="donnez une liste d'identifiants de sites (textes).",
    ),
    "siting.unknown_sites": Entry(
        "{count} identifiant(s) ne sont pas des destinations du tableau des temps de trajet "
        "({ids}).",
        fix="calculez d'abord les temps de trajet vers ces sites, ou corrigez les identifiants.",
    ),
    "siting.fixed_and_excluded": Entry(
        "des sites sont à la fois imposés et exclus ({ids}).",
        fix="retirez-les de l'une des deux listes.",
    ),
    "siting.no_candidate_left": Entry(
        "il ne reste aucun site candidat.", fix="donnez au moins un site candidat."
    ),
    "siting.p_invalid": Entry(
        "le nombre de nouveaux sites p doit être un entier positif ou nul (reçu : {p}).",
        fix="donnez p = 1, 2, 3…",
    ),
    "siting.p_too_large": Entry(
        "p = {p} dépasse le nombre de sites candidats disponibles ({available}).",
        fix="choisissez p ≤ {available} ou ajoutez des sites candidats.",
    ),
    "siting.minutes_invalid": Entry(
        "le seuil de temps doit être un nombre positif de minutes (reçu : {minutes}).",
        fix="donnez un seuil comme 20 (couvert signifie à moins de 20 minutes).",
    ),
    "siting.unknown_method": Entry(
        "méthode inconnue : « {method} ».",
        fix="demandez « exact » (calcul exact) ou « greedy » (méthode approchée).",
    ),
    "siting.nothing_reachable": Entry(
        "aucune des {count} commune(s) habitées n'atteint un site candidat ou déjà ouvert dans le "
        "tableau des temps de trajet : {model} n'a rien à optimiser.",
        fix="vérifiez le tableau des temps de trajet (codes des communes et des sites) ou donnez "
        "des sites candidats plus proches.",
    ),
    "siting.unreached_no_site": Entry(
        "{count} commune(s) habitée(s) ({population} habitants) n'atteignent aucun site candidat "
        "ou déjà ouvert dans le tableau des temps de trajet : {model} les laisse de côté, leur "
        "accès n'est pas optimisé ({ids})."
    ),
    "siting.note_reach_not_proven": Entry(
        "les {p} site(s) qui atteignent le plus d'habitants ont été cherchés par la méthode "
        "approchée ou dans le temps imparti, sans preuve : d'autres sites en atteindraient "
        "peut-être davantage."
    ),
    "siting.unreached_beyond_p": Entry(
        "{count} commune(s) habitée(s) ({population} habitants) restent hors de portée de "
        "{p} nouveau(x) site(s) : {model} retient d'abord les sites qui atteignent le plus "
        "d'habitants et laisse ces communes de côté, leur accès n'est pas optimisé ({ids})."
    ),
    "siting.not_positive": Entry(
        "{field} doit être un nombre positif (reçu : {value}).",
        fix="donnez un nombre supérieur à 0.",
    ),
    "siting.apl_columns": Entry(
        "le tableau de l'APL n'a pas les colonnes id et apl.",
        fix="donnez le résultat de indicators.apl(...).",
    ),
    # --- the models -----------------------------------------------------------------------------
    "siting.cover_impossible": Entry(
        "on ne peut pas couvrir toutes les communes : {count} commune(s) n'ont aucun site "
        "candidat ou existant à moins de {minutes} minutes ({ids}).",
        fix="augmentez le seuil de temps, ajoutez des sites candidats près de ces communes, ou "
        "retirez-les.",
    ),
    "siting.minutes_need_od": Entry(
        "un seuil de temps (minutes) demande le tableau des temps de trajet.",
        fix="donnez aussi od=...",
    ),
    "siting.no_unserved_criterion": Entry(
        "aucun critère ne dit quelle demande est mal servie.",
        fix="donnez minutes= avec existing_sites=, ou apl=, ou losing_gp=.",
    ),
    "siting.greedy_cannot_serve": Entry(
        "la méthode approchée n'a pas pu servir toute la demande.",
        fix="demandez le calcul exact (method='exact').",
    ),
    "siting.capacity_invalid": Entry(
        "la capacité du site {site} doit être positive ou nulle (reçu : {value}).",
        fix="donnez des nombres de patients par site positifs ou nuls.",
    ),
    "siting.must_serve_out_of_reach": Entry(
        "on ne peut pas servir toute la demande : {count} commune(s) n'ont aucun centre "
        "candidat ou existant dans le seuil de temps ({ids}).",
        fix="augmentez le seuil de temps, ajoutez des sites candidats près d'elles, ou renoncez "
        "à servir toute la demande (must_serve).",
    ),
    "siting.must_serve_capacity": Entry(
        "on ne peut pas servir toute la demande : {demand} patients dépassent la capacité de "
        "{p} nouveau(x) centre(s) et {existing} centre(s) existant(s) ({capacity} patients).",
        fix="ouvrez plus de centres (p), augmentez les semaines de bénévoles ou les patients "
        "par équivalent temps plein, ou renoncez à servir toute la demande (must_serve).",
    ),
    "siting.min_days_invalid": Entry(
        "le minimum de jours par site doit être compris entre 0 et le maximum (reçu : {value}).",
        fix="donnez une valeur entre 0 et {max_days}.",
    ),
    "siting.days_not_multiple": Entry(
        "{field} doit être un multiple du pas de la rotation, {step} jour(s) (reçu : {value}).",
        fix="arrondissez-le à un multiple de {step}.",
    ),
    "siting.unknown_objective": Entry(
        "objectif inconnu : « {objective} ».",
        fix="demandez « coverage » (couverture) ou « deficit » (déficit d'APL).",
    ),
    "siting.team_days_unplaceable": Entry(
        "les {days} jours de l'équipe ne peuvent pas être répartis sur {sites} site(s) à raison "
        "de {min_days} à {max_days} jours chacun ({mandatory} site(s) obligatoire(s)).",
        fix="changez les jours de l'équipe, le maximum de jours par site, les sites candidats "
        "ou les sites obligatoires.",
    ),
    "siting.team_empty": Entry(
        "l'équipe est vide.", fix="donnez les jours de consultation de chaque médecin."
    ),
    "siting.gp_days_invalid": Entry(
        "les jours du médecin {gp} doivent être un multiple positif de {step} (reçu : {value}).",
        fix="arrondissez les jours à des multiples de {step}.",
    ),
    "siting.greedy_rota_stuck": Entry(
        "la méthode approchée ne parvient pas à placer tous les jours de l'équipe.",
        fix="réduisez les jours de l'équipe ou augmentez le maximum de jours par site (max_days).",
    ),
    # --- host rules -----------------------------------------------------------------------------
    "siting.hosts_unknown_codes": Entry(
        "{count} code(s) ne sont pas des communes du tableau ({codes}).",
        fix="donnez des codes INSEE de communes du territoire.",
    ),
    "siting.hosts_duplicate_codes": Entry(
        "codes de commune en double : {codes}.", fix="donnez une ligne par commune."
    ),
    "siting.hosts_bad_population": Entry(
        "population manquante ou négative pour {codes}.",
        fix="renseignez la population légale de chaque commune.",
    ),
    "siting.hosts_min_population": Entry(
        "la population minimale doit être positive ou nulle (reçu : {value}).",
        fix="donnez un nombre d'habitants comme 500, ou ne donnez rien.",
    ),
    "siting.host_existing": Entry("MSP existante"),
    "siting.host_too_small": Entry("{population} habitants, moins de {minimum}"),
    "siting.host_too_small_no_premises": Entry(
        "{population} habitants, moins de {minimum} ; pas de locaux déclarés"
    ),
    "siting.host_no_premises": Entry("pas de locaux déclarés"),
    "siting.host_premises": Entry("locaux disponibles"),
    "siting.host_rules_met": Entry("règles respectées"),
    "siting.host_no_rule": Entry("aucune règle"),
    # --- the APL models (recruits needed, best use, robust) -----------------------------------
    "siting.apl_whole_number": Entry(
        "{field} doit être un nombre entier d'au moins {minimum} (reçu : {value}).",
        fix="donnez un nombre entier.",
    ),
    "siting.apl_baseline_duplicates": Entry(
        "la table d'APL donne plusieurs valeurs pour une même commune.",
        fix="gardez une ligne par commune.",
    ),
    "siting.apl_baseline_missing": Entry(
        "{count} commune(s) n'ont pas d'APL de référence : {ids}.",
        fix="donnez une APL (officielle + évolution modélisée) pour chaque commune de la demande.",
    ),
    "siting.apl_baseline_shape": Entry(
        "les APL de référence ont la forme {shape} ; il faut {n} colonnes (une par commune).",
        fix="donnez un tableau tirages × communes dans l'ordre de la table des communes.",
    ),
    "siting.apl_threshold_needed": Entry(
        "aucun seuil d'APL n'est publié pour la profession « {profession} ».",
        fix="donnez le seuil visé (threshold), dans l'unité de la profession.",
    ),
    "siting.apl_profession_no_apl": Entry(
        "la profession « {profession} » n'a pas d'APL : ces modèles ne s'y appliquent pas.",
        fix="choisissez une profession mesurée par l'APL.",
    ),
    "siting.apl_weight_missing": Entry(
        "la table des communes n'a pas de colonne « {column} » pour la demande de l'APL.",
        fix="ajoutez la colonne ou donnez apl_weight (pop_std, comme la DREES).",
    ),
    "siting.apl_share_invalid": Entry(
        "la part des habitants visée doit être comprise entre 0 (exclu) et 1 (reçu : {value}).",
        fix="donnez une part comme 0,9.",
    ),
    "siting.apl_share_capped": Entry(
        "aucun plan ne peut porter {share} des habitants au seuil : au mieux {reached} ; le plan "
        "relève toutes les communes qui peuvent l'être."
    ),
    "siting.apl_one_baseline": Entry(
        "le calcul des recrues nécessaires prend une seule APL de référence ({draws} reçues).",
        fix="donnez la médiane des tirages, ou utilisez le modèle robuste (apl_robust).",
    ),
    "siting.apl_greedy_short": Entry(
        "la méthode approchée ne trouve aucun plan en {max_sites} nouveaux sites au plus.",
        fix="autorisez plus de nouveaux sites (max_sites) ou demandez le calcul exact.",
    ),
    "siting.apl_budget_needed": Entry(
        "il faut un nombre de recrues (recruits) ou de nouveaux sites (p).",
        fix="donnez recruits, p, ou les deux.",
    ),
    "siting.apl_requirement_unmet": Entry(
        "la solution de {model} ne porte pas toutes les communes visées au seuil sur les "
        "données ; elle est rendue sans preuve d'optimalité."
    ),
    "siting.apl_unliftable": Entry(
        "{count} commune(s) habitée(s) resteraient sous {threshold} quoi qu'on fasse : sans site "
        "possible à moins de 20 minutes : {far} ; même avec {max_fte} ETP de plus sur chaque site "
        "à portée : {short}."
    ),
    # --- the registry: running a model by name ------------------------------------------------
    "siting.unknown_model": Entry(
        "le modèle « {model} » n'existe pas.", fix="choisissez l'un de : {models}."
    ),
    "siting.parameter_invalid": Entry(
        "{model} : {parameter} doit être {expected} (reçu : {value}).",
        fix="donnez {parameter} ({description}).",
    ),
    "siting.unknown_parameters": Entry(
        "{model} n'a pas de paramètre {names}.", fix="utilisez : {known}."
    ),
    "siting.missing_parameters": Entry("{model} demande {names}.", fix="donnez {needs}."),
    "siting.solver_not_options": Entry(
        "solver doit être un objet SolverOptions.",
        fix="passez SolverOptions(...) ou les options du calcul à plat (time_limit...).",
    ),
    "siting.expect_number": Entry("un nombre"),
    "siting.expect_whole": Entry("un nombre entier positif ou nul"),
    "siting.expect_positive": Entry("un nombre positif"),
    "siting.expect_bool": Entry("vrai ou faux"),
    "siting.expect_text": Entry("un texte non vide"),
    "siting.expect_choice": Entry("l'un de : {choices}"),
    "siting.expect_mapping": Entry("une table site → nombre"),
    # --- site with the APL models: the decision problem and its notes -----------------------
    "siting.site_not_apl": Entry(
        "le modèle « {model} » ne décide pas sur l'APL : il ne prend ni APL de référence ni plan.",
        fix="choisissez apl_recruits, apl_best_use ou apl_robust, ou donnez un plan (--plan).",
    ),
    "siting.site_draws_needed": Entry(
        "{model} s'optimise sur des tirages des départs, et aucun n'est demandé.",
        fix="donnez un nombre de tirages d'au moins 1 (--runs).",
    ),
    "siting.site_baseline_official": Entry(
        "APL de référence : l'APL publiée par la DREES (millésime {vintage}) plus l'évolution "
        "modélisée des départs en retraite d'ici {year}, sans remplacement."
    ),
    "siting.site_baseline_modelled": Entry(
        "APL de référence : aucune APL des {profession} n'est publiée dans les données ; c'est "
        "l'APL modélisée (règles DREES, temps de trajet simplifiés) plus son évolution d'ici "
        "{year}, sans remplacement."
    ),
    "siting.site_threshold_official": Entry(
        "seuil {threshold} : le seuil des zones d'intervention prioritaire du zonage des ARS."
    ),
    "siting.site_threshold_given": Entry("seuil {threshold} : le seuil demandé (--threshold)."),
    "siting.site_threshold_convention": Entry(
        "seuil {threshold} : convention de ce projet, pas un seuil officiel (le niveau du "
        "cinquième des communes habitées de la zone d'étude les moins bien servies "
        "aujourd'hui) ; donnez --threshold pour un autre."
    ),
    "siting.site_small_team": Entry(
        "{name} ({site}) : {fte} ETP, moins que l'équipe d'une nouvelle MSP ({team} au moins, "
        "circulaire DGOS de 2010) ; le plan est évalué tel quel."
    ),
    "siting.site_band": Entry(
        "bande 10-90 % : habitants sous le seuil en {year} sur {runs} tirages des départs en "
        "retraite (le plan reste le même)."
    ),
}
