"""French wording of the decisions on the official indicator (diagnostic/decisions, choices)."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

ENTRIES: Mapping[str, Entry] = {
    "decisions.future_card": Entry(
        "APL du territoire en {year} si aucun départ n'est remplacé : l'APL publié de chaque "
        "commune plus l'effet modélisé de ses départs ; {communes} communes ({people} "
        "habitants) sous 2,5 ; {reading}."
    ),
    "decisions.professions_title": Entry("Combien de professionnels recruter d'ici {year}"),
    "decisions.professions_lead": Entry(
        "Le même calcul que pour les médecins, profession par profession : le moins de "
        "recrues (en équivalents temps plein), en renfort des sites existants ou en équipes dans "
        "les communes d'accueil, pour qu'aucune commune ne passe sous le seuil en {year}. Aucun "
        "seuil officiel n'existe pour ces professions dans cette unité : le seuil de référence "
        "est le niveau des 20 % de communes les moins bien dotées de la zone d'étude aujourd'hui "
        "(une convention, comme les zonages des infirmiers et des kinésithérapeutes, qui "
        "classent les communes par quantiles)."
    ),
    "decisions.proof_proven": Entry("minimum prouvé"),
    "decisions.proof_unproven": Entry("meilleur trouvé, non prouvé"),
    "decisions.proof_note": Entry(
        "« Meilleur trouvé, non prouvé » : la recherche s'est arrêtée à sa limite de temps sur la "
        "meilleure solution trouvée, sans preuve qu'il n'y en a pas de meilleure ; un plan avec "
        "moins de recrues peut exister."
    ),
    "decisions.professions_caveat": Entry(
        "APL modélisé (aucun APL publié pour ces professions dans les données lues) ; effectifs "
        "BPE 2019 comptés un ETP par professionnel ; âges illustratifs ; temps routiers "
        "simplifiés."
    ),
    "decisions.profession_failed": Entry(
        "recrues nécessaires des {profession} non calculées : {reason}"
    ),
    "decisions.recruits_failed": Entry(
        "le nombre de recrues nécessaires n'a pas pu être calculé sur ces données."
    ),
    "decisions.best_use_failed": Entry(
        "le meilleur emploi d'une équipe n'a pas pu être calculé sur ces données."
    ),
    "decisions.robust_failed": Entry(
        "la variante robuste (sur un échantillon de tirages) n'a pas pu être calculée."
    ),
    "decisions.not_computed": Entry("options sur l'APL officiel non calculées : {reason}"),
    "decisions.no_reference": Entry(
        "aucune commune habitée de la zone d'étude n'a d'APL positif aujourd'hui : pas de seuil "
        "de référence pour cette profession.",
        fix="donnez le seuil à atteindre (--threshold).",
    ),
    "decisions.plan_pair": Entry(
        "« {pair} » n'est pas de la forme SITE:ETP.",
        fix="écrivez le plan comme « 19033:2,23077:1 » (site ou code INSEE, deux-points, ETP).",
    ),
    "decisions.plan_fte": Entry(
        "le nombre d'ETP de « {pair} » ({value}) n'est pas un nombre positif.",
        fix="donnez un nombre d'équivalents temps plein supérieur à 0, par exemple 2 ou 0,5.",
    ),
    "decisions.plan_site": Entry(
        "le site « {site} » du plan n'est pas un site possible du territoire.",
        fix="choisissez un cabinet ou une MSP existants, ou une commune d'accueil (code INSEE) "
        "du territoire.",
    ),
    "decisions.site_new": Entry("dans une nouvelle MSP {at_commune}"),
    "decisions.site_volunteer": Entry("dans un centre de bénévoles {at_commune}"),
    "decisions.site_msp": Entry("à la MSP {of_commune}"),
    "decisions.site_centre": Entry("au centre de santé {of_commune}"),
    "decisions.site_practice": Entry("au cabinet {of_commune}"),
    "decisions.plan_part": Entry("{fte} {site}"),
    "decisions.plan_more": Entry(
        "et {count} autres sites (liste complète dans la section des options)"
    ),
    "decisions.band": Entry(" ; entre {q10} et {q90} selon les départs tirés au hasard"),
    "decisions.effect": Entry(
        "Habitants sous le seuil : {today} aujourd'hui (sans rien faire : {today_base}) et {then} "
        "dans dix ans (sans rien faire : {then_base}{band})."
    ),
    "decisions.takes": Entry("Il faut {fte} {doctors} à recruter, dont {sites} nouvelles MSP."),
    "decisions.takes_one_new": Entry("Il faut {fte} {doctors} à recruter, dont une nouvelle MSP."),
    "decisions.takes_reinforce": Entry(
        "Il faut {fte} {doctors} à recruter, en renfort des cabinets et MSP existants."
    ),
    "decisions.takes_volunteers": Entry(
        "Il faut {weeks} semaines de médecins bénévoles par an (environ un temps plein)."
    ),
    "decisions.not_proven": Entry(
        "(meilleure solution trouvée dans le temps de calcul, sans preuve qu'il n'y en a pas de "
        "meilleure)"
    ),
    "decisions.option_recruits": Entry("Plan complet : {plan}."),
    "decisions.option_team": Entry("Une équipe de deux médecins, au meilleur endroit : {plan}."),
    "decisions.option_millesoins_team": Entry(
        "Six médecins (la taille de l'équipe MilleSoins), au meilleur endroit : {plan}."
    ),
    "decisions.option_robust": Entry(
        "Six médecins, placés pour résister aux incertitudes sur les départs : {plan}."
    ),
    "decisions.option_central": Entry(
        "Une seule MSP avec toute l'équipe de six médecins : {plan}."
    ),
    "decisions.option_pole_equal": Entry(
        "Le pôle MilleSoins éclaté, six médecins répartis à parts égales : {plan}."
    ),
    "decisions.option_pole_best": Entry(
        "Le pôle MilleSoins éclaté, six médecins avec la meilleure répartition des jours : {plan}."
    ),
    "decisions.option_volunteer": Entry("Un centre de Médecins Solidaires : {plan}."),
    "decisions.name_recruits": Entry("plan complet"),
    "decisions.name_team": Entry("une équipe de 2"),
    "decisions.name_millesoins_team": Entry("6 médecins, meilleur emploi"),
    "decisions.name_robust": Entry("6 médecins, variante robuste"),
    "decisions.name_central": Entry("une MSP centrale de 6"),
    "decisions.name_pole_equal": Entry("pôle éclaté, parts égales"),
    "decisions.name_pole_best": Entry("pôle éclaté, meilleure rotation"),
    "decisions.name_volunteer": Entry("centre de bénévoles"),
    "decisions.recruits_head": Entry(
        "Pour qu'aucune commune ne passe sous {threshold} en {year}, il faut {fte} médecins de "
        "plus : {plan}."
    ),
    "decisions.unliftable": Entry(
        "{count} communes ({population} habitants) resteraient sous {threshold} quoi qu'on fasse."
    ),
    "decisions.unliftable_one": Entry(
        "Une commune ({population} habitants) resterait sous {threshold} quoi qu'on fasse."
    ),
    "decisions.unliftable_far": Entry("Aucun site possible à moins de 20 minutes pour {communes}."),
    "decisions.unliftable_short": Entry(
        "Les sites à portée ne suffisent pas, même au plus grand effectif, pour {communes}."
    ),
    "decisions.context": Entry(
        "Aujourd'hui, {communes_today} communes ({today} habitants) sont déjà sous {threshold} "
        "(APL publié) ; si aucun départ n'est remplacé, elles seraient {communes_then} "
        "({people_then} habitants) en {year}."
    ),
    "decisions.hosts_population": Entry(
        "Sites possibles : les cabinets et MSP existants (renforcés) et, pour une nouvelle MSP "
        "(au moins deux médecins), les communes d'au moins {population} habitants ou dotées "
        "d'une MSP (règle d'accueil, modifiable par --min-population ou --premises)."
    ),
    "decisions.hosts_premises": Entry(
        "Sites possibles : les cabinets et MSP existants (renforcés) et, pour une nouvelle MSP "
        "(au moins deux médecins), les communes déclarées avec des locaux."
    ),
    "decisions.hosts_all": Entry(
        "Sites possibles : les cabinets et MSP existants (renforcés) et toutes les mairies du "
        "territoire pour une nouvelle MSP (au moins deux médecins)."
    ),
    "decisions.no_single_site": Entry(
        "Aucun site seul ne compense les départs : même {fte} médecins {site} laisseraient "
        "{left} habitants sous {threshold} en {year}, contre {today} aujourd'hui."
    ),
    "decisions.criterion": Entry(
        "Classement : habitants sous {threshold} en {year} (APL publié + effet modélisé des "
        "départs et de l'option), le moins d'abord ; à égalité, le moins de recrues."
    ),
    "decisions.caveat": Entry(
        "APL publié par la DREES + effet modélisé (projection, pas un chiffre officiel) ; temps "
        "routiers simplifiés ; activité des nouveaux médecins : 5 400 actes par an (règle DREES)."
    ),
    "decisions.caveat_ages": Entry(
        "APL publié par la DREES + effet modélisé (projection, pas un chiffre officiel) ; âges "
        "des médecins illustratifs (tirés au hasard) ; temps routiers simplifiés ; activité des "
        "nouveaux médecins : 5 400 actes par an (règle DREES)."
    ),
    "decisions.verdict_title": Entry("Ce qu'il faut décider d'ici {year}"),
    "decisions.section_title": Entry("Combien de médecins, en quelles équipes, et où ?"),
    "decisions.section_lead": Entry(
        "L'APL d'une commune augmente en proportion des médecins installés à portée : chaque "
        "option est un nombre de médecins par site, appliqué à l'APL publié par la DREES et à "
        "son évolution modélisée jusqu'en {year}. Le seuil est {threshold}, celui de la zone "
        "d'intervention prioritaire. Une nouvelle MSP réunit au moins deux médecins ; un cabinet "
        "ou une MSP existants peuvent être renforcés d'un médecin."
    ),
    "decisions.ranked_title": Entry("Les options classées"),
    "decisions.millesoins_title": Entry("MilleSoins : une MSP centrale ou un pôle éclaté ?"),
    "decisions.millesoins_lead": Entry(
        "La même équipe de six médecins (celle du pôle MilleSoins en 2017), soit réunie dans une "
        "seule MSP au meilleur endroit, soit répartie entre les quatre MSP du pôle (Bugeat, "
        "Peyrelevade, Faux-la-Montagne, Royère-de-Vassivière), à parts égales ou avec la "
        "meilleure répartition des jours (par demi-temps)."
    ),
    "decisions.millesoins_agrees": Entry(
        "Le modèle donne raison aux fondateurs : le pôle éclaté laisse {pole} habitants sous le "
        "seuil en {year}, une MSP centrale {central} ({gap} de plus) ; le pôle rapproche aussi "
        "les habitants d'un site ({pole_minutes} min en moyenne contre {central_minutes})."
    ),
    "decisions.millesoins_disagrees": Entry(
        "Sur l'APL, le modèle ne donne pas raison aux fondateurs : une MSP centrale laisse "
        "{central} habitants sous le seuil en {year}, le pôle éclaté {pole} ({gap} de plus) ; "
        "mais le pôle rapproche les habitants d'un site ({pole_minutes} min en moyenne contre "
        "{central_minutes}), ce que l'APL, qui compte l'accès jusqu'à 20 minutes, mesure mal."
    ),
    "decisions.volunteer_title": Entry("Médecins Solidaires : où un centre de bénévoles aiderait"),
    "decisions.volunteer_best": Entry(
        "Un centre de bénévoles ({weeks} semaines de médecins par an) aiderait le plus "
        "{at_commune}, commune sans médecin aujourd'hui. {effect}"
    ),
    "decisions.volunteer_need": Entry(
        "Pour que toutes les communes qu'il dessert atteignent le seuil, ce centre aurait besoin "
        "de {weeks} semaines de bénévoles par an."
    ),
    "decisions.ajain_outside": Entry(
        "Le centre Médecins Solidaires d'Ajain (Creuse), ouvert en 2022, est dans la zone "
        "d'étude mais hors du territoire, à {minutes} min de sa commune la plus proche : il "
        "ajoute {gain} à l'APL du territoire (l'APL ne compte plus l'accès au-delà de 20 min)."
    ),
    "decisions.ajain_inside": Entry(
        "Le centre Médecins Solidaires d'Ajain (Creuse), ouvert en 2022, est dans le territoire "
        "et ajoute {gain} à son APL."
    ),
}
