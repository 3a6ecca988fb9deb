"""French wording of the messages of network/, catchments.py."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

_ROAD_FILE_FIX = "chargez un réseau routier qui couvre la zone étudiée."

ENTRIES: Mapping[str, Entry] = {
    # --- options ------------------------------------------------------------------------------
    "network.not_positive": Entry(
        "{value} n'est pas un nombre strictement positif.",
        fix="donnez un nombre supérieur à 0 pour {field}.",
    ),
    "network.bad_length_factor": Entry(
        "Le facteur de longueur des routes ({value}) n'est pas un nombre strictement positif.",
        fix="donnez un facteur supérieur à 0 (1 garde les longueurs telles qu'elles sont lues).",
    ),
    "network.bad_speed": Entry(
        "La vitesse {value} donnée pour les routes « {key} » est hors limites.",
        fix="donnez des vitesses en km/h supérieures à 0.",
    ),
    "network.bad_winter_factor": Entry(
        "Le coefficient d'hiver {value} donné pour les routes « {key} » est hors limites.",
        fix="donnez des coefficients compris entre 0 (exclu) et 1.",
    ),
    # --- the road graph -----------------------------------------------------------------------
    "network.graph_no_node": Entry("Le graphe routier n'a aucun nœud.", fix=_ROAD_FILE_FIX),
    "network.graph_no_coordinates": Entry(
        "Les nœuds du graphe routier n'ont pas de coordonnées « x » et « y ».",
        fix="chargez le graphe avec accessmap.sources.osm (conventions d'osmnx, EPSG:4326).",
    ),
    "network.graph_no_edge": Entry(
        "Le graphe routier n'a aucune route reliant deux nœuds distincts.", fix=_ROAD_FILE_FIX
    ),
    "network.duplicate_nodes": Entry(
        "Des nœuds apparaissent plusieurs fois : {nodes}.",
        fix="donnez chaque nœud une seule fois dans la table des nœuds.",
    ),
    "network.unknown_edge_nodes": Entry(
        "Des routes mènent à des nœuds inconnus : {edges}.",
        fix="donnez les deux extrémités de chaque route dans la table des nœuds.",
    ),
    "network.bad_edge_minutes": Entry(
        "Les durées des routes doivent être finies et positives ou nulles.",
        fix="vérifiez les longueurs et les vitesses des routes.",
    ),
    "network.no_highway_column": Entry(
        "Les routes n'ont pas de colonne « highway » (la catégorie de route).",
        fix="donnez des routes au format d'osmnx, avec leur catégorie « highway ».",
    ),
    "network.component_report": Entry(
        "{nodes_kept} nœuds gardés sur {nodes_in} et {edges_kept} routes sur {edges_in} "
        "(la plus grande des {components} parties du réseau où tout point mène à tout autre) ; "
        "{nodes_dropped} nœuds et {edges_dropped} routes écartés"
    ),
    "network.length_factor_applied": Entry(
        "Les routes du fichier ont une géométrie simplifiée (tracés en lignes droites entre "
        "points de passage) : leurs longueurs sont multipliées par {factor}."
    ),
    "network.graph_times_used": Entry(
        "Les temps de parcours du graphe fourni sont repris tels quels : {travel_time} routes "
        "avec leur temps de parcours, {speed_kph} avec leur vitesse, sur {edges} ; les autres "
        "suivent les vitesses par type de route."
    ),
    # --- points and coverage ------------------------------------------------------------------
    "network.far_points": Entry(
        "{count} point(s) à plus de {distance_m} m du réseau routier : {points} ; leur trajet "
        "hors route est compté à {speed_kmh} km/h.",
        merged="points",
    ),
    "network.island_points": Entry(
        "{count} point(s) ont leur route la plus proche sur un îlot routier écarté du réseau "
        "(composante non reliée) : {points}. Leurs temps passent par le réseau principal avec un "
        "long trajet hors route ; un point reste à 0 minute de lui-même."
    ),
    "network.the_road_network": Entry("le réseau routier"),
    "network.not_covering": Entry(
        "{source} ne couvre pas le territoire : {outside} points sur {points} sont à plus de "
        "{max_km} km de son emprise (longitudes de {lon_min} à {lon_max}, latitudes de "
        "{lat_min} à {lat_max}).",
        fix="donnez un extrait qui couvre le territoire et sa zone tampon (--osm FICHIER), ou "
        "utilisez les temps à vol d'oiseau (--crowfly).",
    ),
    # --- why a pair has no time (column ``reason`` of the unreachable pairs) --------------------
    "network.reason_no_destination": Entry("aucune destination donnée"),
    "network.reason_not_reached": Entry(
        "destination non atteinte en moins de {minutes} min (temps limite du calcul)"
    ),
    "network.reason_nearest_not_reached": Entry(
        "aucune destination atteinte en moins de {minutes} min (temps limite du calcul)"
    ),
    "network.reason_nearest_beyond_horizon": Entry(
        "aucune destination atteinte en moins de {minutes} min (horizon du calcul)"
    ),
    "network.reason_no_path": Entry(
        "pas de chemin routier vers la destination (parties séparées du réseau routier)"
    ),
    "network.reason_nearest_no_path": Entry(
        "pas de chemin routier vers aucune destination (parties séparées du réseau routier)"
    ),
    # --- catchments ---------------------------------------------------------------------------
    "catchments.bad_bands": Entry(
        "Les seuils {bands} ne sont pas des minutes positives et croissantes.",
        fix="donnez des seuils tels que 10, 20, 30.",
    ),
    "catchments.bad_buffer": Entry(
        "La demi-largeur du tracé autour des routes ({value} m) n'est pas strictement positive.",
        fix="donnez un nombre de mètres supérieur à 0.",
    ),
    "catchments.study_area_no_crs": Entry(
        "La zone d'étude n'a pas de système de coordonnées.",
        fix="donnez-lui un système de coordonnées (EPSG:4326).",
    ),
    "catchments.bad_crowfly": Entry(
        "Le détour ({circuity}) et la vitesse ({speed_kmh} km/h) des temps à vol d'oiseau doivent "
        "être strictement positifs.",
        fix="donnez des nombres supérieurs à 0.",
    ),
    "catchments.unknown_population_method": Entry(
        "« {value} » n'est pas une façon de compter la population.",
        fix="choisissez « commune » (population de la commune entière) ou « area » (au prorata "
        "de la surface).",
    ),
    "catchments.area_needs_communes": Entry(
        "Le compte de la population au prorata de la surface a besoin des contours des communes.",
        fix="donnez communes=territory.study_area, ou comptez par commune (population='commune').",
    ),
    "catchments.unknown_column": Entry(
        "Les lieux de soins n'ont pas de colonne « {column} ».",
        fix="nommez une colonne existante ({columns}).",
    ),
    "catchments.origins_no_population": Entry(
        "Les communes de départ n'ont pas de colonne « population ».",
        fix="utilisez accessmap.territory.points(communes), qui la fournit.",
    ),
    "catchments.bad_population": Entry(
        "Population manquante ou négative pour {count} commune(s) de départ.",
        fix="donnez une population positive ou nulle pour chaque commune.",
    ),
    "catchments.communes_need_crs_population": Entry(
        "Les contours des communes ont besoin d'un système de coordonnées et d'une colonne "
        "« population ».",
        fix="donnez territory.study_area (EPSG:4326).",
    ),
}
