"""French wording of the messages of the road-file reader (sources/osmfile, network/osmgraph)."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

_NEW_EXTRACT = "téléchargez de nouveau l'extrait OpenStreetMap."
_COVERING = "donnez un extrait qui couvre le réseau routier du territoire."

ENTRIES: Mapping[str, Entry] = {
    "roads.empty_file": Entry("Le fichier routier {path} est vide.", fix=_NEW_EXTRACT),
    "roads.unknown_format": Entry(
        "Le format du fichier routier {path} n'est pas reconnu.",
        fix="donnez un fichier .osm, .osm.xml ou .osm.pbf.",
    ),
    "roads.invalid_xml": Entry(
        "Le fichier {path} n'est pas un fichier OpenStreetMap XML lisible ({detail}).",
        fix=_NEW_EXTRACT + " Un fichier .osm est un XML qui commence par <osm>.",
    ),
    "roads.invalid_pbf": Entry(
        "Le fichier {path} n'est pas un fichier OpenStreetMap PBF lisible ({detail}).",
        fix=_NEW_EXTRACT,
    ),
    "roads.no_drivable_way": Entry(
        "Le fichier {path} ne contient aucune route carrossable.", fix=_COVERING
    ),
    "roads.no_edge": Entry(
        "Les routes carrossables de {path} ne forment aucun tronçon entre deux nœuds distincts.",
        fix=_COVERING,
    ),
    "roads.simplify_failed": Entry(
        "Le réseau routier n'a pas pu être simplifié près du nœud {node}.",
        fix="signalez ce fichier routier ; en attendant, enregistrez-le en GraphML avec osmnx.",
    ),
    "roads.missing_nodes": Entry(
        "{count} nœud(s) cités par des routes de {path} manquent au fichier (extrait découpé) : "
        "ces routes sont coupées à ces nœuds."
    ),
}
