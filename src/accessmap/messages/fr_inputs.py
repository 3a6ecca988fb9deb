"""French wording of the messages of inputs/ and supply/ (territory.py: see fr_core)."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

_ROSTER_FIX = "corrigez ces lignes (les colonnes sont décrites dans docs/roster_template.md)."

ENTRIES: Mapping[str, Entry] = {
    # --- inputs/__init__.py -------------------------------------------------------------------
    "inputs.bad_seed": Entry(
        "la graine {seed} n'est pas valide.", fix="donnez une graine entre 0 et {top}."
    ),
    "inputs.bad_apl_year": Entry(
        "{year} n'est pas un millésime de l'APL.",
        fix="donnez un millésime de la DREES entre {first} et {last}, par exemple 2023.",
    ),
    "inputs.osm_and_crowfly": Entry(
        "--osm et --crowfly sont donnés ensemble.", fix="choisissez l'un des deux."
    ),
    "inputs.options_syntax": Entry(
        "{name} n'est pas un fichier TOML ou JSON valide ({where}).",
        fix="vérifiez sa syntaxe TOML ou JSON (voir accessmap/data/options_example.toml).",
    ),
    "inputs.options_not_table": Entry(
        "{name} n'est pas un tableau d'options.",
        fix="écrivez des tables [[option]] (voir accessmap/data/options_example.toml).",
    ),
    "inputs.illustrative_ages": Entry(
        "Âges des médecins ILLUSTRATIFS : tirés au hasard selon une distribution déclarée (les "
        "âges réels sont confidentiels) ; les projections de départs ne sont pas des faits."
    ),
    "inputs.bad_roster_scope": Entry(
        "portée de la liste de praticiens inconnue : « {scope} ».",
        fix="choisissez parmi {choices}.",
    ),
    "inputs.roster_scope_territory": Entry(
        "Votre liste de praticiens ({user_sites} lieux d'exercice) est utilisée dans le "
        "territoire ; dans la zone tampon, les effectifs officiels ({official_sites} lieux) "
        "complètent les communes que votre liste ne cite pas (--roster-scope everywhere : votre "
        "liste partout)."
    ),
    "inputs.roster_scope_everywhere": Entry(
        "Votre liste de praticiens ({user_sites} lieux d'exercice) est utilisée partout, zone "
        "tampon comprise : une commune de la zone tampon absente de votre liste ne compte aucun "
        "praticien (--roster-scope territory : effectifs officiels hors du territoire)."
    ),
    "inputs.zrr_unknown": Entry(
        "ZRR inconnu pour {count} commune(s) absente(s) du fichier ANCT de 2017 (communes créées "
        "depuis) : {codes}."
    ),
    "inputs.drees_unavailable": Entry(
        "Classeur APL de la DREES indisponible ({reason}) : paramètres {year} intégrés, pas de "
        "comparaison avec l'APL publié."
    ),
    # --- inputs/traveltimes.py ----------------------------------------------------------------
    "inputs.roads_file": Entry("réseau routier OpenStreetMap du fichier {name}"),
    "inputs.roads_mirror": Entry(
        "réseau routier du miroir de données ({name}) : routes numérotées, géométrie simplifiée "
        "et corrigée (temps routiers SIMPLIFIÉS)"
    ),
    "inputs.roads_mixed": Entry(
        "temps routiers SIMPLIFIÉS du miroir de données ({name}) pour les communes qu'il couvre, "
        "temps ESTIMÉS à vol d'oiseau ailleurs (colonne « méthode » de chaque commune)"
    ),
    "inputs.roads_online": Entry("réseau routier OpenStreetMap (téléchargé en ligne)"),
    "inputs.roads_crowfly": Entry(
        "temps ESTIMÉS à vol d'oiseau (distance × détour ÷ vitesse), faute de réseau routier"
    ),
    # --- inputs/professions.py ----------------------------------------------------------------
    "inputs.bpe_profession_source": Entry(
        "INSEE BPE {year}, code {code} ({key}), 1 ETP par professionnel aux mairies"
    ),
    # --- supply/roster.py: rosters ------------------------------------------------------------
    "inputs.polygon_unreadable": Entry(
        "le fichier du polygone n'est pas lisible : ni GeoJSON, ni GeoPackage, ni Shapefile, ni "
        "GeoParquet valide.",
        fix="donnez un GeoJSON, un GeoPackage, un Shapefile ou un GeoParquet valide.",
    ),
    "inputs.polygon_unknown_crs": Entry(
        "le système de coordonnées du polygone, {crs}, est inconnu.",
        fix="enregistrez-le dans un système connu, par exemple EPSG:4326 ou EPSG:2154.",
    ),
    "inputs.polygon_not_polygon": Entry(
        "le fichier ne contient pas que des polygones (géométries : {kinds}).",
        fix="donnez le contour du territoire comme polygone ou multipolygone.",
    ),
    "inputs.polygon_invalid": Entry(
        "le polygone est invalide (ses bords se croisent, comme un nœud papillon).",
        fix="corrigez-le dans QGIS (Vecteur > Outils de géométrie > Réparer les géométries).",
    ),
    "supply.roster_not_finite": Entry(
        "la colonne {field} contient une valeur infinie (lignes {lines}).",
        fix="remplacez-la par un nombre fini, ou laissez la case vide si la valeur est inconnue.",
    ),
    "supply.roster_fractional_year": Entry(
        "la colonne {field} contient une année non entière (lignes {lines}).",
        fix="écrivez l'année en chiffres, sans décimales (par exemple 1970).",
    ),
    "supply.roster_unknown_profession": Entry(
        "profession « {value} » inconnue (lignes {lines}).",
        fix="utilisez l'un des codes : {allowed}.",
    ),
    "supply.roster_near_profession": Entry(
        "profession « {value} » inconnue (lignes {lines}) : vouliez-vous dire « {suggestion} » ?",
        fix="utilisez l'un des codes : {allowed}.",
    ),
    "supply.missing_columns": Entry(
        "il manque la ou les colonnes {columns}.",
        fix="ajoutez-les ; ce tableau doit avoir les colonnes {required}.",
    ),
    "supply.invalid_roster": Entry(
        "le fichier des praticiens a des erreurs : {details}.", fix=_ROSTER_FIX
    ),
    "supply.not_a_year": Entry("{column} n'est pas une année pour {ids}"),
    "supply.blank_practitioner_id": Entry("identifiant de praticien vide pour {ids}"),
    "supply.duplicate_practitioner_id": Entry("identifiant de praticien en double : {ids}"),
    "supply.bad_fte": Entry("temps de travail (fte) manquant ou négatif pour {ids}"),
    "supply.negative_activity": Entry("activité (activity) négative pour {ids}"),
    "supply.birth_year_future": Entry("année de naissance postérieure à {year} pour {ids}"),
    "supply.birth_year_old": Entry("année de naissance antérieure à {year} pour {ids}"),
    "supply.retirement_before_birth": Entry(
        "année de départ (retirement_year) pas après l'année de naissance pour {ids}"
    ),
    "supply.duplicate_site_id": Entry("identifiant de site en double : {ids}"),
    "supply.bad_kind": Entry("type de site (kind) autre que {kinds} pour {ids}"),
    "supply.bad_site_coordinates": Entry(
        "coordonnées lon/lat manquantes ou hors limites (degrés EPSG:4326) pour {ids}"
    ),
    "supply.malformed_commune_code": Entry("code de commune (commune_code) mal formé pour {ids}"),
    "supply.unknown_commune_code": Entry(
        "code de commune (commune_code) inconnu dans la zone d'étude : {ids}"
    ),
    "supply.bad_share": Entry("part du temps (share) hors de ]0, 1] pour {ids}"),
    "supply.unknown_practitioner": Entry("praticien inconnu dans les affectations : {ids}"),
    "supply.unknown_site": Entry("site inconnu dans les affectations : {ids}"),
    "supply.duplicate_assignment": Entry("affectation en double : {ids}"),
    "supply.shares_not_one": Entry("parts du temps dont la somme n'est pas 1 : {shares}"),
    "supply.no_site": Entry("praticiens sans aucun site : {ids}"),
    # --- supply/official.py: official counts and declared sites -------------------------------
    "supply.bad_gp_counts": Entry(
        "nombre de médecins manquant ou négatif pour {codes}.",
        fix="donnez un nombre entier de médecins, positif ou nul, par commune.",
    ),
    "supply.bad_counting": Entry(
        "la colonne counting doit valoir {choices} pour {sites}.",
        fix="in_official_counts : les médecins du site sont déjà dans les effectifs BPE ou de "
        "l'Annuaire santé ; additional : ils n'y sont pas (par exemple des médecins bénévoles).",
    ),
    "supply.negative_declared": Entry(
        "n_gp ou fte négatif pour {sites}.",
        fix="donnez n_gp et fte positifs ou nuls (ou laissez-les vides).",
    ),
    "supply.source_bpe": Entry(
        "effectifs BPE D201 placés aux mairies (1 ETP par médecin, activité et âge inconnus)"
    ),
    "supply.source_creuse": Entry(
        "cabinets géocodés de l'Annuaire santé pour les communes de la Creuse"
    ),
    "supply.source_declared": Entry("{count} sites déclarés"),
    "supply.source_declared_one": Entry("un site déclaré"),
    # --- supply/table.py: the user's roster file ----------------------------------------------
    "supply.roster_missing_columns": Entry(
        "il manque la ou les colonnes {columns}.",
        fix="partez du modèle (accessmap/data/roster_template.csv).",
    ),
    "supply.roster_no_rows": Entry(
        "le fichier n'a aucune ligne.", fix="ajoutez une ligne par praticien et par site."
    ),
    "supply.inconsistent_rows": Entry("{column} diffère entre les lignes de {key} {ids}"),
    "supply.inconsistent_roster": Entry(
        "des lignes se contredisent : {details}.",
        fix="répétez les mêmes valeurs de praticien et de site sur chaque ligne qui les nomme.",
    ),
    "supply.source_roster_file": Entry("fichier des médecins {name}"),
}
