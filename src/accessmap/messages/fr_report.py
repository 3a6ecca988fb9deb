"""French wording of the messages of report/, plots/, labels.py."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

ENTRIES: Mapping[str, Entry] = {
    "plots.bad_bins": Entry(
        "{edges} bornes de classes pour {labels} libellés.",
        fix="donnez une borne de plus que de libellés, en ordre croissant.",
    ),
    "plots.no_crs": Entry(
        "la couche n'a pas de système de coordonnées.",
        fix="définissez son système de coordonnées (EPSG:4326 ou EPSG:2154).",
    ),
    "plots.no_column": Entry(
        "la colonne « {column} » n'existe pas dans la couche à cartographier.",
        fix="calculez-la ou choisissez une autre colonne.",
    ),
    "report.html_size": Entry("Taille du rapport HTML : {megabytes} Mo."),
    "plots.colours_mismatch": Entry(
        "{colours} couleurs pour {labels} classes.", fix="donnez une couleur par classe."
    ),
}
