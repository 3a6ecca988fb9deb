"""French wording of the decisions on the official indicator (diagnostic/decisions, choices)."""

from __future__ import annotations

from collections.abc import Mapping

from accessmap.messages.entry import Entry

__all__ = ["ENTRIES"]

ENTRIES: Mapping[str, Entry] = {
    "decisions.no_reference": Entry(
        "aucune commune habitée de la zone d'étude n'a d'APL positif aujourd'hui : pas de seuil "
        "de référence pour cette profession.",
        fix="donnez le seuil à atteindre (--threshold).",
    ),
    "decisions.plan_pair": Entry(
        "« {pair} » n'est pas de la forme SITE:ETP.",
        fix="écrivez le plan comme « 19033:2,23077:1 » (site ou code INSEE, deux-points, ETP).",
    ),
    "decisions.plan_fte": Entry(
        "le nombre d'ETP de « {pair} » ({value}) n'est pas un nombre positif.",
        fix="donnez un nombre d'équivalents temps plein supérieur à 0, par exemple 2 ou 0,5.",
    ),
    "decisions.plan_site": Entry(
        "le site « {site} » du plan n'est pas un site possible du territoire.",
        fix="choisissez un cabinet ou une MSP existants, ou une commune d'accueil (code INSEE) "
        "du territoire.",
    ),
}
