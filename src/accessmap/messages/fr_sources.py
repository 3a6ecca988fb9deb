"""French wording of the messages of sources/."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

_MIRROR_FIX = "donnez --mirror DOSSIER (un miroir des données officielles) ou autorisez les "
_REDOWNLOAD = (
    "téléchargez-le à nouveau (accessmap fetch --online) ou restaurez le fichier du miroir."
)
_ROADS_FIX = "utilisez un extrait qui couvre le réseau routier du territoire."

ENTRIES: Mapping[str, Entry] = {
    "sources.no_department": Entry(
        "aucun département n'est donné.", fix="écrivez-les après dep:, par exemple dep:19,23."
    ),
    # --- downloads, mirror and cache (_http.py, mirror.py) ----------------------------------
    "sources.offline": Entry(
        "{what} n'est ni dans le miroir ni dans le cache, et les téléchargements sont désactivés.",
        fix=_MIRROR_FIX + "téléchargements (--online), ou lancez « accessmap fetch » sur une "
        "machine connectée.",
    ),
    "sources.download_failed": Entry(
        "impossible de télécharger {what} depuis {url} (détail : {detail}).",
        fix="vérifiez la connexion, ou utilisez un miroir local avec --mirror DOSSIER.",
    ),
    "sources.http_status": Entry(
        "le service {url} a répondu par l'erreur HTTP {status} pour {what}.",
        fix="vérifiez la demande (codes de départements ou de communes), ou utilisez "
        "--mirror DOSSIER.",
    ),
    "sources.mirror_missing": Entry(
        "le dossier miroir « {name} » n'existe pas.",
        fix="donnez un dossier organisé comme le miroir des données officielles (communes/, "
        "drees/, bpe/, annuaire/).",
    ),
    "sources.unknown_dataset": Entry(
        "le jeu de données « {key} » est inconnu.", fix="utilisez l'un de : {choices}."
    ),
    "sources.dataset_per_department": Entry(
        "le jeu de données « {key} » est publié par département.",
        fix="donnez le département (dep=).",
    ),
    "sources.not_found_manual": Entry(
        "le fichier {relpath} est introuvable dans le miroir et dans le cache ; il ne peut pas "
        "être téléchargé automatiquement.",
        fix="{hint}, dans un dossier miroir, puis donnez --mirror DOSSIER.",
    ),
    "sources.hint_drees_apl": Entry(
        "téléchargez le classeur de la DREES « L'accessibilité potentielle localisée (APL) » "
        "sous le nom drees/apl_generalistes.xlsx"
    ),
    "sources.hint_bpe_gp": Entry(
        "extrayez les colonnes CODGEO et NB_D201 de la BPE de l'INSEE dans "
        "bpe/bpe_d201_generalistes.csv"
    ),
    "sources.hint_bpe_sante": Entry(
        "gardez les lignes de santé (TYPEQU D*) du fichier bpe19_ensemble de l'INSEE dans "
        "bpe/bpe19_ensemble_sante.csv (colonnes officielles, séparateur « ; »)"
    ),
    "sources.hint_zrr": Entry(
        "téléchargez le fichier de l'ANCT diffusion-zonages-zrr-cog2021.xls dans zrr/"
    ),
    "sources.hint_pnr": Entry(
        "enregistrez la couche MNHN/INPN des parcs naturels régionaux (champs DRGP_C_COD, "
        "DRGP_L_LIB) en GeoJSON dans pnr/pnr-france.geojson"
    ),
    "sources.hint_gp_sites_creuse": Entry(
        "exportez les cabinets de médecine générale de la Creuse de l'Annuaire santé dans "
        "annuaire/gp_sites_creuse.csv"
    ),
    "sources.hint_place_file": Entry("placez le fichier sous le nom {relpath}"),
    # --- vintages and provenance labels -----------------------------------------------------
    "sources.vintage_communes": Entry("COG {cog_year}, population légale publiée en {year}"),
    "sources.vintage_bpe_about": Entry("BPE vers {year}"),
    "sources.vintage_user_file": Entry("fichier fourni"),
    "sources.vintage_road_file": Entry("fichier du {date}"),
    "sources.apl_workbook": Entry("classeur APL de la DREES"),
    "sources.apl_workbook_file": Entry("classeur APL de la DREES ({name})"),
    # --- user files (files.py, roster.py) ---------------------------------------------------
    "sources.path_is_folder": Entry(
        "« {name} » est un dossier, pas un fichier.", fix="donnez le chemin d'un fichier."
    ),
    "sources.file_missing": Entry("le fichier {name} n'existe pas.", fix="vérifiez le chemin."),
    "sources.file_unreadable": Entry(
        "impossible de lire {name} ({detail}).", fix="vérifiez ses droits d'accès."
    ),
    "sources.not_text": Entry(
        "{name} n'est pas un fichier texte.",
        fix="enregistrez-le en CSV ou en texte (UTF-8).",
    ),
    "sources.read_as_cp1252": Entry(
        "{name} n'est pas en UTF-8 : lu comme Windows-1252 (latin-1). Vérifiez les accents, ou "
        "enregistrez-le en UTF-8."
    ),
    "sources.no_code_column": Entry(
        "le fichier n'a pas de colonne de codes INSEE (colonnes : {columns}).",
        fix="nommez « code » la colonne des codes INSEE (ou l'un de : {accepted}).",
    ),
    "sources.ambiguous_separator": Entry(
        "impossible de reconnaître le séparateur de colonnes dans la ligne d'en-tête.",
        fix="séparez les colonnes par « ; » (Excel en français) ou par « , » seulement.",
    ),
    "sources.separator_tab": Entry("tabulation"),
    "sources.at_line_column": Entry("ligne {line}, colonne {column}"),
    "sources.at_line": Entry("ligne {line}"),
    "sources.parser_said": Entry("détail : {detail}"),
    "sources.empty_file": Entry(
        "le fichier {name} est vide.", fix="ajoutez une ligne d'en-tête et des lignes."
    ),
    "sources.ragged_line": Entry(
        "la ligne {line} a {fields} champ(s), l'en-tête {header} (séparateur {separator}).",
        fix="donnez les mêmes colonnes à chaque ligne ; mettez entre guillemets les valeurs qui "
        "contiennent le séparateur.",
    ),
    "sources.out_is_folder": Entry(
        "« {name} » est un dossier.", fix="donnez le chemin d'un fichier .csv."
    ),
    "sources.package_file_missing": Entry(
        "le fichier {name} manque dans le paquet installé.",
        fix="réinstallez accessmap (make setup).",
    ),
    "sources.declared_missing_columns": Entry(
        "il manque la ou les colonnes {columns}.",
        fix="le fichier des sites déclarés doit avoir les colonnes {required}.",
    ),
    "sources.declared_duplicate_sites": Entry(
        "identifiant de site (site_id) en double : {sites}.", fix="gardez une ligne par site."
    ),
    # --- communes (communes.py) -------------------------------------------------------------
    "sources.not_a_commune_code": Entry(
        "« {code} » n'est pas un code INSEE de commune.",
        fix="donnez 5 caractères, par exemple 19031 ou 2A004 (zéros initiaux compris).",
    ),
    "sources.no_such_department": Entry(
        "code INSEE inconnu {code} : il n'y a pas de département {dep}.",
        fix="vérifiez le code dans le code officiel géographique (COG).",
    ),
    "sources.not_feature_collection": Entry(
        "le fichier n'est pas une collection d'entités GeoJSON (FeatureCollection).",
        fix="utilisez la réponse de geo.api.gouv.fr /communes avec format=geojson et "
        "geometry=contour.",
    ),
    "sources.no_commune_features": Entry(
        "le fichier ne contient aucune commune du département {dep}.", fix=_REDOWNLOAD
    ),
    "sources.incomplete_features": Entry(
        "communes sans code, nom, population ou contour : {features}.",
        fix="demandez les champs nom, code, population, mairie et contour à /communes.",
    ),
    "sources.invalid_geometry": Entry(
        "une géométrie est invalide ({where}).", fix="corrigez le fichier GeoJSON."
    ),
    "sources.not_department_codes": Entry(
        "ce ne sont pas des codes de département : {codes}.",
        fix="utilisez des codes comme 19, 23, 2A ou 971.",
    ),
    "sources.invalid_geojson": Entry(
        "le fichier n'est pas un GeoJSON valide ({where}).", fix=_REDOWNLOAD
    ),
    "sources.duplicate_communes": Entry(
        "codes de communes en double : {codes}.", fix="gardez une ligne par code INSEE."
    ),
    "sources.bad_population": Entry(
        "population manquante ou négative pour {codes}.",
        fix="utilisez la population légale (un effectif positif ou nul).",
    ),
    "sources.town_halls_moved": Entry(
        "{count} point(s) de mairie absent(s) ou à plus de {km} km de leur commune, "
        "remplacé(s) par un point intérieur : {codes} (colonne mairie_moved)."
    ),
    # --- BPE, Annuaire santé, ZRR (bpe.py, zrr.py) ------------------------------------------
    "sources.csv_unreadable": Entry(
        "le fichier n'est pas un CSV lisible ({where}).", fix="restaurez le fichier."
    ),
    "sources.missing_columns": Entry(
        "il manque la ou les colonnes {columns}.",
        fix="le fichier doit avoir les colonnes {required}.",
    ),
    "sources.bpe_layout": Entry(
        "le fichier n'a pas la présentation de la BPE DEPCOM;TYPEQU;NB_EQUIP ({where}).",
        fix="gardez les colonnes officielles de bpe19_ensemble, séparées par « ; ».",
    ),
    "sources.bad_counts": Entry(
        "effectif manquant ou négatif pour {codes}.",
        fix="les effectifs sont des nombres entiers positifs ou nuls.",
    ),
    "sources.exact_duplicates_dropped": Entry(
        "{name} : {count} ligne(s) en double exact ignorée(s) ({codes})."
    ),
    "sources.conflicting_rows": Entry(
        "lignes contradictoires pour les communes {codes}.", fix="gardez une ligne par commune."
    ),
    "sources.invalid_site_rows": Entry(
        "les lignes {lines} ont des valeurs manquantes ou invalides.",
        fix="donnez lon et lat en degrés (EPSG:4326) et des effectifs positifs ou nuls.",
    ),
    "sources.zrr_sheet_unreadable": Entry(
        "impossible de lire la feuille « {sheet} » ({where}).",
        fix="utilisez le fichier de l'ANCT diffusion-zonages-zrr-cog2021.xls tel que publié.",
    ),
    "sources.zrr_missing_columns": Entry(
        "il manque la ou les colonnes {columns}.",
        fix="la feuille « {sheet} » doit avoir les colonnes {required}.",
    ),
    # --- DREES workbook (drees.py) ----------------------------------------------------------
    "sources.workbook_unreadable": Entry(
        "le fichier n'est pas un classeur xlsx lisible ({where}).",
        fix="téléchargez à nouveau le classeur APL de la DREES.",
    ),
    "sources.apl_activity_row": Entry("la ligne d'activité « {label} »"),
    "sources.apl_new_gp_activity": Entry("l'activité imputée aux nouveaux médecins"),
    "sources.apl_decay_bands": Entry("les tranches de décroissance avec le temps de trajet"),
    "sources.apl_age_weights": Entry("les {count} poids par âge de chaque année"),
    "sources.apl_parameters_incomplete": Entry(
        "il manque à la feuille « {sheet} » : {missing}.",
        fix="utilisez le classeur APL de la DREES (médecins généralistes) tel que publié.",
    ),
    "sources.no_parameter_sheet": Entry(
        "le classeur n'a pas de feuille « {sheet} » (feuilles : {sheets}).",
        fix="utilisez le classeur APL de la DREES pour les médecins généralistes, qui contient "
        "la feuille des paramètres.",
    ),
    "sources.apl_no_header": Entry(
        "la feuille n'a pas de ligne d'en-tête commençant par « {header} ».",
        fix="utilisez le classeur APL de la DREES tel que publié.",
    ),
    "sources.apl_no_year_sheet": Entry(
        "le classeur n'a pas de feuille « APL AAAA » (feuilles : {sheets}).",
        fix="utilisez le classeur APL de la DREES pour les médecins généralistes.",
    ),
    "sources.apl_years_absent": Entry(
        "pas de feuille d'APL pour {years}.", fix="utilisez l'une des années {available}."
    ),
    # --- road networks (osm.py) -------------------------------------------------------------
    "sources.osm_file_missing": Entry(
        "pas de fichier OpenStreetMap {name}.", fix="donnez le chemin d'un fichier existant."
    ),
    "sources.osm_file_empty": Entry(
        "le fichier {name} est vide.", fix="téléchargez à nouveau l'extrait OpenStreetMap."
    ),
    "sources.osm_unknown_format": Entry(
        "format de réseau routier inconnu pour {name}.",
        fix="donnez un fichier .osm, .osm.xml, .osm.pbf ou .graphml.",
    ),
    "sources.osm_no_drivable_road": Entry(
        "le fichier {name} ne contient aucune route carrossable.", fix=_ROADS_FIX
    ),
    "sources.osm_no_nodes": Entry(
        "le fichier {name} ne contient aucune coordonnée de nœud.", fix=_ROADS_FIX
    ),
    "sources.osm_invalid_xml": Entry(
        "{name} n'est pas un fichier OpenStreetMap XML valide ({where}).",
        fix="téléchargez à nouveau l'extrait (un fichier .osm est du XML qui commence par <osm>).",
    ),
    "sources.osm_no_usable_data": Entry(
        "{name} ne contient aucune donnée OpenStreetMap utilisable ({where}).", fix=_ROADS_FIX
    ),
    "sources.osm_invalid_pbf": Entry(
        "{name} n'est pas un fichier OpenStreetMap PBF valide ({where}).",
        fix="téléchargez à nouveau l'extrait .osm.pbf.",
    ),
    "sources.graphml_unreadable": Entry(
        "{name} n'est pas un réseau routier GraphML lisible ({where}).",
        fix="enregistrez à nouveau le réseau avec accessmap.sources.osm.save_graph.",
    ),
    "sources.roads_offline": Entry(
        "le réseau routier devrait être téléchargé, mais les téléchargements sont désactivés.",
        fix="donnez --online, ou un extrait local avec --osm FICHIER, ou utilisez --crowfly.",
    ),
    "sources.empty_study_polygon": Entry(
        "le contour de la zone d'étude est vide.", fix="donnez un contour non vide."
    ),
    "sources.roads_download_empty": Entry(
        "le téléchargement n'a renvoyé aucune route carrossable pour la zone d'étude ({where}).",
        fix="vérifiez le contour du territoire (EPSG:4326, longitude puis latitude).",
    ),
    "sources.roads_download_failed": Entry(
        "le service de téléchargement du réseau routier est injoignable ({where}).",
        fix="vérifiez la connexion, ou donnez un extrait local avec --osm FICHIER.",
    ),
    "sources.no_road_source": Entry(
        "aucune source de réseau routier.",
        fix="donnez un fichier local ou un contour à télécharger.",
    ),
    "sources.not_graphml_name": Entry(
        "{name} n'est pas un nom de fichier GraphML.", fix="terminez-le par .graphml."
    ),
}
