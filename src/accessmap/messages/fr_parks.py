"""French wording of the messages of parks.py, sources/parks.py and inputs/parks.py."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

ENTRIES: Mapping[str, Entry] = {
    "parks.unknown_code": Entry(
        "aucun parc naturel régional ne porte le code {code}.",
        fix="donnez le code ou le nom d'un parc du fichier, par exemple : {near}.",
    ),
    "parks.unknown_name": Entry(
        "aucun parc naturel régional ne s'appelle «\u00a0{query}\u00a0».",
        fix="noms proches : {near} ; donnez l'un d'eux (sans accents ni majuscules si vous "
        "voulez) ou son code.",
    ),
    "parks.ambiguous": Entry(
        "«\u00a0{query}\u00a0» désigne plusieurs parcs : {names}.",
        fix="donnez le nom complet du parc ou son code (FR8000045).",
    ),
    "parks.no_communes": Entry(
        "aucune commune des départements disponibles n'a la moitié de sa surface dans le "
        "{park} ({code}).",
        fix="ajoutez les départements du parc au miroir de données (communes/) ou utilisez "
        "--online.",
    ),
    "parks.missing_columns": Entry(
        "la couche des parcs n'a pas la ou les colonnes {columns}.",
        fix="utilisez la couche MNHN/INPN des parcs naturels régionaux (champs DRGP_C_COD et "
        "DRGP_L_LIB).",
    ),
    "parks.no_crs": Entry(
        "une couche n'a pas de système de coordonnées.",
        fix="enregistrez-la avec son système de coordonnées (EPSG:4326).",
    ),
    "parks.unreadable": Entry(
        "le fichier des parcs {path} est illisible ({reason}).",
        fix="remplacez-le par la couche MNHN/INPN des parcs naturels régionaux en GeoJSON.",
    ),
    "parks.bad_share": Entry(
        "la part de surface {value} n'est pas comprise entre 0 (exclu) et 1.",
        fix="donnez une part entre 0 et 1, par exemple 0,5.",
    ),
}
