"""French wording of the messages of the core modules.

errors.py, contracts.py, conventions.py, settings.py, store.py, publish.py, check.py,
professions.py and territory.py.
"""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

_CODES_FIX = "les codes INSEE de commune ont 5 caractères, par exemple 19031 ou 2A004."

ENTRIES: Mapping[str, Entry] = {
    # --- contracts.py: tables handed to the library ------------------------------------------
    "contracts.points_no_crs": Entry(
        "les points n'ont pas de système de coordonnées (CRS).",
        fix="déclarez-le avec frame.set_crs(...) avant de les donner.",
    ),
    "contracts.points_empty_geometry": Entry(
        "des lieux n'ont pas de géométrie : {ids}.",
        fix="donnez une géométrie à chaque lieu, ou retirez ces lignes.",
    ),
    "contracts.not_a_table": Entry("un tableau est attendu, pas un objet {got}.", fix="{hint}."),
    "contracts.missing_columns": Entry("il manque la ou les colonnes {columns}.", fix="{hint}."),
    "contracts.hint_table_columns": Entry("donnez un DataFrame avec les colonnes {columns}"),
    "contracts.hint_add_columns": Entry("ajoutez la ou les colonnes {columns}"),
    "contracts.hint_points_table": Entry("donnez un DataFrame avec les colonnes id, lon, lat"),
    "contracts.hint_od_table": Entry(
        "donnez la table longue des temps de trajet (origin_id, dest_id, minutes, method)"
    ),
    "contracts.hint_demand_table": Entry(
        "donnez un tableau avec id (code INSEE), {column} et, si besoin, pop_std et in_territory"
    ),
    "contracts.hint_supply_table": Entry(
        "donnez l'offre par site : site_id, {column} (par exemple indicators.site_activity)"
    ),
    "contracts.hint_one_row_per_point": Entry(
        "rendez les identifiants uniques (une ligne par point)"
    ),
    "contracts.hint_one_row_per_id": Entry("regroupez les lignes : une ligne par identifiant"),
    "contracts.hint_one_row_per_site": Entry(
        "regroupez les lignes pour que chaque site n'apparaisse qu'une fois"
    ),
    "contracts.hint_fill_counts": Entry(
        "complétez les valeurs manquantes et retirez les effectifs négatifs"
    ),
    "contracts.hint_fix_column": Entry("complétez ou corrigez la colonne {column}"),
    "contracts.minutes_not_numbers": Entry(
        "les temps de trajet ne sont pas des nombres.",
        fix="donnez les minutes en nombres (inf : aucun trajet possible).",
    ),
    "contracts.bad_minutes": Entry(
        "{count} temps de trajet manquant(s) ou négatif(s) : {values}.",
        fix="donnez des minutes positives ou nulles, et inf (ou retirez la paire) quand il n'y a "
        "aucun trajet.",
    ),
    "contracts.missing_ids": Entry(
        "identifiant(s) manquant(s).", fix="donnez un identifiant à chaque ligne."
    ),
    "contracts.duplicate_ids": Entry("identifiant(s) en double : {ids}.", fix="{hint}."),
    "contracts.bad_values": Entry(
        "valeur(s) manquante(s), infinie(s) ou négative(s) pour {ids}.", fix="{hint}."
    ),
    "contracts.not_a_number_comma": Entry(
        "pas un nombre à la ou aux lignes {lines}.",
        fix="écrivez les nombres avec la virgule comme séparateur décimal (ou laissez la case "
        "vide).",
    ),
    "contracts.not_a_number_point": Entry(
        "pas un nombre à la ou aux lignes {lines}.",
        fix="écrivez les nombres avec le point comme séparateur décimal (ou laissez la case vide).",
    ),
    "contracts.not_a_boolean": Entry(
        "pas une valeur oui/non à la ou aux lignes {lines}.",
        fix="écrivez oui ou non (true/false ; une case vide vaut non).",
    ),
    "contracts.bad_coordinates": Entry(
        "coordonnées manquantes ou invalides pour {ids}.",
        fix="donnez la longitude et la latitude en degrés (EPSG:4326).",
    ),
    "contracts.duplicate_pairs": Entry(
        "paire(s) origine/destination en double : {pairs}.",
        fix="gardez une ligne par paire (origin_id, dest_id), par exemple une seule méthode ou "
        "le temps le plus court.",
    ),
    "contracts.empty_table": Entry("le tableau est vide.", fix="donnez au moins une commune."),
    "contracts.apl_defaults_source": Entry("classeur APL de la DREES {year} (valeurs intégrées)"),
    # --- settings.py --------------------------------------------------------------------------
    "settings.not_boolean": Entry(
        "« {value} » n'est pas une valeur oui/non.", fix="utilisez 1 (oui) ou 0 (non)."
    ),
    "settings.not_number": Entry("« {value} » n'est pas un nombre.", fix="donnez un nombre."),
    "settings.not_positive": Entry(
        "{value} n'est pas strictement positif.", fix="donnez un nombre supérieur à 0."
    ),
    "settings.not_integer": Entry(
        "« {value} » n'est pas un nombre entier.", fix="donnez un nombre entier supérieur à 0."
    ),
    "settings.bpe_vintage": Entry(
        "« {value} » n'est pas un millésime de la BPE.", fix="utilisez l'un de : {choices}."
    ),
    "settings.unknown": Entry(
        "réglage(s) inconnu(s) : {names}.", fix="utilisez l'un de : {choices}."
    ),
    # --- store.py -----------------------------------------------------------------------------
    "store.spatial_not_installed": Entry(
        "le module spatial de DuckDB n'est pas installé.",
        fix="installez duckdb-extension-spatial=={version} (make setup le fait).",
    ),
    "store.spatial_version": Entry(
        "pas de module spatial pour DuckDB {version} (trouvés : {found}).",
        fix="installez duckdb-extension-spatial=={version}, la version de duckdb.",
    ),
    "store.in_use": Entry(
        "la base {name} est utilisée par un autre processus.",
        fix="une autre exécution d'accessmap (ou un autre programme) l'utilise : attendez "
        "qu'elle se termine, ou donnez un autre fichier avec --store.",
    ),
    "store.not_duckdb": Entry(
        "{name} n'est pas une base DuckDB lisible.",
        fix="ce n'est pas une base DuckDB (ou elle est endommagée) : mettez-la de côté et "
        "relancez.",
    ),
    "store.cannot_open": Entry(
        "impossible d'ouvrir la base {name} ({detail}).",
        fix="vérifiez le chemin et ses droits d'accès, ou donnez un autre fichier avec --store.",
    ),
    "store.bad_table_name": Entry(
        "« {name} » n'est pas un nom de table valide.",
        fix="utilisez des minuscules, des chiffres et des soulignés, en commençant par une lettre.",
    ),
    "store.missing": Entry(
        "la base {name} n'existe pas.",
        fix="lancez d'abord « accessmap territory » ou « accessmap diagnose », ou donnez --store.",
    ),
    "store.is_folder": Entry(
        "« {name} » est un dossier.", fix="donnez le chemin d'un fichier .duckdb."
    ),
    "store.bad_mode": Entry(
        "« {mode} » n'est pas un mode d'écriture.", fix="utilisez l'un de : {choices}."
    ),
    "store.no_crs": Entry(
        "la table géographique n'a pas de système de coordonnées.",
        fix="donnez-lui un système de coordonnées (par exemple EPSG:4326).",
    ),
    "store.no_table": Entry(
        "la base {store} n'a pas de table « {table} ».",
        fix="lancez d'abord la commande qui la produit (voir « accessmap --help »).",
    ),
    "store.traveltimes_columns": Entry(
        "il manque la ou les colonnes {columns}.",
        fix="donnez la table longue {required}.",
    ),
    "store.provenance_columns": Entry(
        "il manque {columns} à l'enregistrement de provenance.",
        fix="donnez des enregistrements SourceFile.",
    ),
    "store.export_suffix": Entry(
        "l'extension de {name} n'est pas prise en charge.", fix="utilisez .gpkg ou .parquet."
    ),
    # --- publish.py ---------------------------------------------------------------------------
    "publish.folder_locked": Entry(
        "une autre exécution d'accessmap écrit déjà dans le dossier {name}.",
        fix="attendez qu'elle se termine, ou donnez un autre dossier --out.",
    ),
    "publish.store_locked": Entry(
        "une autre exécution d'accessmap utilise déjà la base {name}.",
        fix="attendez qu'elle se termine, ou donnez une autre base avec --store.",
    ),
    "publish.no_space": Entry(
        "il reste {free_mb} Mo libres dans {path}, il en faut environ {needed_mb} pour le rapport.",
        fix="libérez de la place ou donnez un autre dossier --out.",
    ),
    "publish.out_is_store": Entry(
        "« {name} » est la base elle-même.", fix="donnez un dossier pour le rapport."
    ),
    "publish.out_is_file": Entry(
        "« {name} » est un fichier, pas un dossier.", fix="donnez le chemin d'un dossier."
    ),
    "publish.cannot_write": Entry(
        "impossible d'écrire dans le dossier {name} ({detail}).",
        fix="choisissez un dossier où vous pouvez écrire, avec de la place libre.",
    ),
    "publish.not_a_staging_folder": Entry(
        "{stage} n'est pas un dossier de préparation de {target}.",
        fix="créez-le avec accessmap.publish.staging_folder(target).",
    ),
    "publish.recovered_before_swap": Entry(
        "publication interrompue avant l'échange des dossiers ({name})"
    ),
    "publish.recovered_completed": Entry("publication interrompue menée à terme ({name})"),
    "publish.recovered_undone": Entry(
        "publication interrompue annulée, rapport précédent conservé ({name})"
    ),
    "publish.previous_restored": Entry("rapport précédent restauré ({name})"),
    "publish.temporary_removed": Entry("dossier temporaire supprimé ({name})"),
    # --- check.py (accessmap diagnose --dry-run) ----------------------------------------------
    "check.not_a_road_file": Entry(
        "{name} n'est pas un fichier de réseau routier.",
        fix="donnez un fichier .osm, .osm.pbf ou .graphml.",
    ),
    "check.no_host_commune": Entry(
        "aucune commune du territoire n'a {value} habitants ou plus (la plus peuplée en a "
        "{largest}) : aucune mairie ne pourrait accueillir un nouveau cabinet.",
        fix="donnez un --min-population plus petit, ou retirez-le.",
    ),
    "check.store_ok": Entry("base {name} : lisible et inscriptible ({count} tables)"),
    "check.roster_ok": Entry("praticiens {name} : {rows} lignes lisibles"),
    "check.scenario_ok": Entry("scénario {name} : « {scenario} » valide"),
    "check.roads_ok": Entry("réseau routier {name} : présent"),
    "check.report_folder_ok": Entry("dossier du rapport {name} : inscriptible"),
    "check.territory_ok": Entry(
        "territoire {name} : {communes} communes, zone tampon {buffer} communes"
    ),
    # --- territory.py -------------------------------------------------------------------------
    "territory.empty_selection": Entry(
        "la sélection est vide.", fix="donnez au moins un code INSEE de commune."
    ),
    "territory.malformed_codes": Entry("code(s) INSEE mal formé(s) : {codes}.", fix=_CODES_FIX),
    "territory.duplicate_codes": Entry(
        "code(s) en double : {codes}.", fix="citez chaque commune une seule fois."
    ),
    "territory.negative_buffer": Entry(
        "la largeur de la zone tampon est négative ({km} km).",
        fix="donnez une largeur positive ou nulle, en km.",
    ),
    "territory.buffer_incomplete": Entry(
        "zone tampon incomplète : {area_km2} km² de la zone de {km} km tombent hors des "
        "départements chargés ; départements voisins non disponibles : {departments}. "
        "Ajoutez-les au miroir ou utilisez --online."
    ),
    "territory.town_halls_moved": Entry(
        "{count} point(s) de mairie de la zone d'étude absent(s) ou à plus de {km} km de leur "
        "commune, remplacé(s) par un point intérieur : {codes} (colonne mairie_moved)."
    ),
    "territory.unknown_codes": Entry(
        "code(s) INSEE inconnu(s) : {codes}.",
        fix="vérifiez les codes dans le code officiel géographique en vigueur (les communes "
        "fusionnées changent de code).",
    ),
    "territory.unknown_epci": Entry(
        "code(s) d'EPCI inconnu(s) ou absent(s) : {codes}.",
        fix="donnez des codes SIREN d'EPCI (9 chiffres) des départements chargés.",
    ),
    "territory.polygon_no_crs": Entry(
        "le contour n'a pas de système de coordonnées.",
        fix="enregistrez-le avec un système de coordonnées (EPSG:4326).",
    ),
    "territory.bad_nearest_count": Entry(
        "{count} commune(s) demandée(s).", fix="donnez un nombre supérieur à 0."
    ),
    "territory.communes_no_crs": Entry(
        "la couche des communes n'a pas de système de coordonnées.",
        fix="donnez-lui un système de coordonnées (EPSG:4326).",
    ),
    "territory.selectors": Entry(
        "{count} façons de choisir les communes données.",
        fix="donnez exactement une des possibilités : codes, contour, EPCI ou territoire "
        "prédéfini.",
    ),
    "territory.no_commune_selected": Entry(
        "la sélection ne contient aucune commune.", fix="élargissez la sélection."
    ),
    "territory.centroids_need_crs": Entry(
        "les centroïdes demandent des contours avec un système de coordonnées.",
        fix="donnez un GeoDataFrame avec son système de coordonnées.",
    ),
    "territory.bad_point_method": Entry(
        "« {how} » n'est pas une façon de placer les communes.",
        fix="utilisez l'un de : {choices}.",
    ),
    "territory.outline_columns": Entry(
        "il manque la ou les colonnes {columns}.",
        fix="donnez les communes telles qu'accessmap les charge (colonnes de COMMUNE_COLUMNS).",
    ),
    "territory.rule_montagne_limousine": Entry(
        "Les 97 communes du PNR de Millevaches en Limousin (au moins la moitié de leur surface "
        "dans le périmètre du parc, couche MNHN/INPN) dont la mairie est la plus proche du "
        "centre du parc (45,6673 N ; 2,0258 E), distance en Lambert-93. Approximation de la "
        "zone de l'étude MilleSoins (97 communes, ~32 000 habitants) : la liste officielle des "
        "communes n'est pas publiée dans les données disponibles ; la règle garde la zone "
        "dans le parc (29 877 habitants, population légale 2026). Les points de mairie "
        "situés à plus de 2 km de leur commune dans les données sources sont remplacés par un "
        "point intérieur à la commune."
    ),
    "territory.rule_pnr_millevaches": Entry(
        "Les communes du PNR de Millevaches en Limousin (FR8000045) : au moins la moitié de "
        "leur surface dans le périmètre du parc (couche MNHN/INPN), surfaces en Lambert-93 ; "
        "124 communes, le nombre de communes membres publié par le parc."
    ),
    "territory.rule_codes": Entry("Liste de {count} codes INSEE fournie par l'utilisateur."),
    "territory.rule_epci": Entry("Communes des EPCI {codes}."),
    "territory.rule_polygon": Entry("Communes dont la mairie est dans le polygone."),
    "territory.rule_nearest": Entry(
        "Les {count} communes dont la mairie est la plus proche du point de longitude {lon} et "
        "de latitude {lat}."
    ),
}
