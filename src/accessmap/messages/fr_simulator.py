"""French wording of the report's simulator (report/simulator.py and its page script).

The page's script shows no text of its own: every label below is rendered in Python and handed
to the page as a dictionary; ``{name}`` placeholders left in a label are filled by the page.
"""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

ENTRIES: Mapping[str, Entry] = {
    "simulator.title": Entry("Simulateur : placer des équipes et voir l'effet commune par commune"),
    "simulator.lead": Entry(
        "Choisissez un ou plusieurs sites (maison de santé ou cabinet existant à renforcer, "
        "commune d'accueil d'un nouveau site, centre de médecins bénévoles) et le nombre "
        "d'équivalents temps plein (ETP) de chacun : les chiffres, la carte et le tableau se "
        "mettent à jour aussitôt, sans connexion. Le calcul est exact : l'APL d'une commune "
        "augmente de l'effet de chaque site, et les effets s'additionnent ; la page reprend les "
        "nombres de la bibliothèque (commande « accessmap site --plan »)."
    ),
    "simulator.noscript": Entry(
        "Le simulateur a besoin de JavaScript ; le plan recommandé est décrit dans la section "
        "des options."
    ),
    "simulator.caveat_official": Entry(
        "Projection, pas un chiffre officiel : APL publié par la DREES ({vintage}) plus "
        "l'effet modélisé des départs en retraite et du plan."
    ),
    "simulator.caveat_modelled": Entry(
        "Projection : APL modélisé par accessmap (aucun APL publié pour cette profession), "
        "avec l'effet des départs en retraite et du plan."
    ),
    "simulator.caveat_roads": Entry("Temps de trajet routiers simplifiés (sans trafic)."),
    "simulator.caveat_crowfly": Entry("Temps de trajet estimés à vol d'oiseau, sans les routes."),
    "simulator.caveat_ages_illustrative": Entry(
        "Âges des praticiens illustratifs : départs en ordre de grandeur."
    ),
    "simulator.caveat_ages_roster": Entry("Âges des praticiens du fichier du territoire."),
    "simulator.threshold_official": Entry(
        "Seuils de la DREES et des ARS : sous {threshold}, zone prioritaire ; sous {secondary}, "
        "zone de vigilance."
    ),
    "simulator.threshold_convention": Entry(
        "Seuil {threshold} : convention de ce rapport (le niveau du cinquième des communes les "
        "moins bien servies aujourd'hui), pas un seuil officiel."
    ),
    "simulator.profession": Entry("Profession"),
    "simulator.year": Entry("Année"),
    "simulator.plan": Entry("Votre plan"),
    "simulator.site": Entry("Site"),
    "simulator.choose_site": Entry("— choisir un site —"),
    "simulator.fte": Entry("ETP"),
    "simulator.fte_hint": Entry(
        "ETP : équivalents temps plein ; 0,1 ETP, c'est à peu près une demi-journée par semaine "
        "(un médecin en rotation)."
    ),
    "simulator.add_site": Entry("Ajouter un site"),
    "simulator.add_volunteer": Entry(
        "Ajouter un centre de bénévoles (≈ {fte} ETP : {weeks} semaines de bénévoles par an)"
    ),
    "simulator.volunteer_row": Entry("centre de bénévoles"),
    "simulator.remove": Entry("Retirer"),
    "simulator.load_recommended": Entry("Charger le plan recommandé"),
    "simulator.clear": Entry("Tout effacer"),
    "simulator.group_existing": Entry("Maisons de santé et cabinets existants (renfort)"),
    "simulator.group_host": Entry("Communes d'accueil (nouveau site, à la mairie)"),
    "simulator.site_existing": Entry("{name} ({kind})"),
    "simulator.site_host": Entry("{name} (nouveau site)"),
    "simulator.empty_plan": Entry(
        "Aucun site choisi : les chiffres sont ceux du territoire si l'on ne fait rien."
    ),
    "simulator.unknown_site": Entry("Site inconnu dans le lien, ignoré : {site}."),
    "simulator.share": Entry(
        "Ce plan est dans l'adresse de la page : copiez-la pour le partager. La même évaluation "
        "en ligne de commande :"
    ),
    "simulator.cli_command": Entry('accessmap site --plan "{plan}"'),
    "simulator.figures_caption": Entry("Chiffres du territoire ({profession})"),
    "simulator.col_indicator": Entry("Indicateur"),
    "simulator.col_today_without": Entry("Aujourd'hui, sans rien faire"),
    "simulator.col_today_plan": Entry("Aujourd'hui, avec votre plan"),
    "simulator.col_year_without": Entry("{year}, sans rien faire"),
    "simulator.col_year_plan": Entry("{year}, avec votre plan"),
    "simulator.col_year_recommended": Entry("{year}, plan recommandé"),
    "simulator.row_under": Entry("Habitants sous {threshold}"),
    "simulator.row_communes_under": Entry("Communes sous {threshold}"),
    "simulator.row_apl": Entry("APL du territoire (moyenne pondérée)"),
    "simulator.row_fte": Entry("Professionnels à recruter (ETP)"),
    "simulator.recruits": Entry("Ce plan demande {fte} ETP à recruter : {parts}."),
    "simulator.recruits_new_one": Entry("{fte} ETP dans un nouveau site"),
    "simulator.recruits_new_many": Entry("{fte} ETP dans {sites} nouveaux sites"),
    "simulator.recruits_reinforced_one": Entry("{fte} ETP en renfort d'un site existant"),
    "simulator.recruits_reinforced_many": Entry("{fte} ETP en renfort de {sites} sites existants"),
    "simulator.volunteer_weeks_one": Entry(
        "Dont un centre de bénévoles : {weeks} semaines de bénévoles par an."
    ),
    "simulator.volunteer_weeks_many": Entry(
        "Dont {centres} centres de bénévoles : {weeks} semaines de bénévoles par an."
    ),
    "simulator.kind_msp": Entry("MSP"),
    "simulator.kind_cabinet": Entry("cabinet"),
    "simulator.kind_centre_sante": Entry("centre de santé"),
    "simulator.kind_volunteer_centre": Entry("centre de bénévoles"),
    "simulator.team_warning": Entry(
        "Une nouvelle maison de santé ouvre d'ordinaire avec au moins {team} professionnels : "
        "{sites} en a moins."
    ),
    "simulator.compare": Entry(
        "En {year}, votre plan laisse {under} habitants sous {threshold} avec {fte} ETP ; le "
        "plan recommandé en laisse {rec_under} avec {rec_fte} ETP."
    ),
    "simulator.recommended_note": Entry(
        "Plan recommandé : le moins de recrues, en équipes, pour qu'aucune commune ne passe sous "
        "{threshold} en {year} ({plan})."
    ),
    "simulator.recommended_none": Entry("Pas de plan recommandé pour cette profession."),
    "simulator.map_title": Entry("Carte : {what}, {year}"),
    "simulator.map_mode": Entry("La carte montre"),
    "simulator.map_apl": Entry("l'APL avec votre plan"),
    "simulator.map_gain": Entry("le gain d'APL de votre plan"),
    "simulator.legend_under_half": Entry("moins de {half}"),
    "simulator.legend_under": Entry("de {half} à {threshold}"),
    "simulator.legend_middle": Entry("de {threshold} à {secondary}"),
    "simulator.legend_over": Entry("{secondary} ou plus"),
    "simulator.legend_gain_none": Entry("aucun gain"),
    "simulator.legend_gain_small": Entry("moins de 0,25"),
    "simulator.legend_gain_mid": Entry("de 0,25 à 1"),
    "simulator.legend_gain_big": Entry("1 ou plus"),
    "simulator.legend_site": Entry("site du plan (ETP)"),
    "simulator.map_tooltip": Entry(
        "{name} : APL {year} {before} → {after} ({gain}), {population} habitants"
    ),
    "simulator.gains_title": Entry("Les communes qui gagnent le plus ({year})"),
    "simulator.col_commune": Entry("Commune"),
    "simulator.col_population": Entry("Habitants"),
    "simulator.col_apl_without": Entry("APL sans rien faire"),
    "simulator.col_apl_with": Entry("APL avec le plan"),
    "simulator.col_gain": Entry("Gain"),
    "simulator.no_gain": Entry("Aucune commune ne gagne : choisissez au moins un site."),
}
