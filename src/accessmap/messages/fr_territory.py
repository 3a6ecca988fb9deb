"""French wording of the messages of inputs/territory.py (territory specifications)."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

ENTRIES: Mapping[str, Entry] = {
    "territory.spec_empty": Entry(
        "le territoire est vide.",
        fix="donnez l'une de ces formes : {forms}.",
    ),
    "territory.spec_buffer": Entry(
        "une zone tampon de {buffer_km} km est hors des bornes.",
        fix="donnez une largeur entre 0 et {max_km} km.",
    ),
    "territory.spec_unknown": Entry(
        "«\u00a0{spec}\u00a0» n'est ni un préréglage, ni un fichier, ni une liste de codes INSEE.",
        fix="donnez l'une de ces formes : {forms}.",
    ),
    "territory.spec_unknown_departments": Entry(
        "code(s) INSEE inconnu(s) : {codes} (aucun département ne leur correspond).",
        fix="vérifiez les codes dans le code officiel géographique (COG) de l'Insee.",
    ),
    "territory.spec_polygon_missing": Entry(
        "le fichier de polygone {path} n'existe pas.",
        fix="vérifiez le chemin du fichier.",
    ),
    "territory.spec_polygon_no_crs": Entry(
        "le polygone {path} n'a pas de système de coordonnées.",
        fix="enregistrez le fichier avec son système de coordonnées (par exemple EPSG:2154).",
    ),
    "territory.spec_polygon_outside": Entry(
        "le polygone ne touche aucune commune des départements disponibles.",
        fix="vérifiez son système de coordonnées et sa position, ou ajoutez ses départements "
        "au miroir de données.",
    ),
    "territory.spec_no_departments": Entry(
        "aucun département n'est disponible pour y chercher les communes.",
        fix="nommez les départements (epci:CODE@19,23) ou donnez --mirror DOSSIER (un miroir des "
        "données officielles).",
    ),
}
