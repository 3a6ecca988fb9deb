"""French wording of the messages of report/, plots/, labels.py."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

ENTRIES: Mapping[str, Entry] = {
    "report.agreement_scales": Entry(
        "Sur les {dep_communes} communes de ses départements, le même accord vaut "
        "{dep_spearman} : sur un petit territoire aux communes semblables (rurales, peu denses), "
        "de petits écarts de temps ou d'effectifs suffisent à changer l'ordre, et l'accord y est "
        "plus fragile que sur des départements où villes et campagnes s'opposent."
    ),
    "report.chromium_missing": Entry(
        "le navigateur Chromium, qui imprime le rapport en PDF, est introuvable.",
        fix="installez-le (make setup lance apt-get install chromium) ou donnez son chemin "
        "dans la variable ACCESSMAP_CHROMIUM.",
    ),
    "report.pdf_no_html": Entry(
        "le rapport {name} à imprimer n'existe pas.", fix="écrivez d'abord le rapport HTML."
    ),
    "report.pdf_timeout": Entry(
        "Chromium n'a pas fini d'imprimer le PDF en {seconds} s.",
        fix="donnez-lui plus de temps (paramètre timeout).",
    ),
    "report.pdf_not_written": Entry(
        "Chromium n'a pas écrit de PDF (code de sortie {code}) : {detail}.",
        fix="lancez-le à la main avec les mêmes options pour voir pourquoi.",
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
