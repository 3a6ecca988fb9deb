"""French wording of the messages of report/, plots/, labels.py."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

ENTRIES: Mapping[str, Entry] = {
    "report.agreement_scales": Entry(
        "Accord de rang avec l'APL publié : Spearman {spearman} sur les {communes} communes du "
        "territoire, {dep_spearman} sur les {dep_communes} communes de ses départements. Sur un "
        "petit territoire aux communes semblables (rurales, peu denses), de petits écarts de "
        "temps ou d'effectifs suffisent à changer l'ordre : l'accord y est plus fragile que sur "
        "des départements où villes et campagnes s'opposent."
    ),
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
