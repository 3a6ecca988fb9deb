"""The HTML of the report's section « Autres professions de santé » (French, self-contained).

Frames, figures and layers come from :mod:`accessmap.report.professions`; this module lays them
out: heading, explanatory paragraph, notes, the summary table with the counting caveat in its
caption, one map per profession, the pôle tables and the communes losing several professions.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from accessmap.report.professions import (
    SECTION,
    losing_frame,
    method_label,
    pole_frames,
    summary_frame,
)

if TYPE_CHECKING:
    import pandas as pd

    from accessmap.diagnostic import Diagnostic

__all__ = ["section_html"]

_LEAD = (
    "Les médecins ne sont pas seuls : infirmiers, masseurs-kinésithérapeutes, sages-femmes, "
    "chirurgiens-dentistes et pharmacies font le premier recours. Pour chaque profession : le "
    "temps jusqu'au professionnel le plus proche depuis la mairie de chaque commune, et un "
    "indicateur d'accessibilité (APL en équivalents temps plein pour 100 000 habitants, méthode "
    "DREES, ou temps jusqu'à la pharmacie la plus proche). Sans fichier du territoire, les "
    "effectifs sont ceux de la base permanente des équipements de l'INSEE (2019), {caveat}, "
    "placés à la mairie de leur commune ; leurs âges, pour les projections, sont illustratifs."
)


def _table(frame: pd.DataFrame, caption: str = "") -> str:
    from accessmap.report.tables import table_html

    html = table_html(frame)
    if caption:
        html = html.replace(
            '<table class="table">',
            f'<table class="table"><caption>{escape(caption, quote=False)}</caption>',
            1,
        )
    return f'<div class="scroll">{html}</div>'


def section_html(d: Diagnostic, figures: dict[str, str]) -> str:
    """Return the French HTML of the section « Autres professions de santé ».

    Parameters
    ----------
    d
        A computed diagnostic.
    figures
        HTML of the figures by name (``profession_<key>``, see
        :func:`accessmap.report.professions.profession_figures`).

    Returns
    -------
    str
        ``<h2 id="professions">`` then an explanatory paragraph, the summary table, one map per
        profession, the pôle tables and the communes losing several professions; empty without
        the professions step.
    """
    from accessmap.diagnostic.professions import COUNTING_CAVEAT

    p = d.professions
    if not d.options.professions:
        return ""
    anchor, title = SECTION
    parts = [
        f'<h2 id="{anchor}">{escape(title)}</h2>',
        f'<p class="lead">{escape(_LEAD.format(caveat=COUNTING_CAVEAT), quote=False)}</p>',
    ]
    # the counting caveat is in the paragraph above and in the table's caption
    notes = [n for n in p.notes if COUNTING_CAVEAT not in n]
    parts += [f'<p class="sub">· {escape(n, quote=False)}</p>' for n in notes]
    if not p.others:
        parts.append("<p>Aucune autre profession n'a pu être calculée.</p>")
        return "\n".join(parts)
    parts.append("<h3>Synthèse par profession</h3>")
    caption = f"Estimation : {COUNTING_CAVEAT} ; temps {method_label(d)}."
    parts.append(_table(summary_frame(p), caption=caption))
    parts += [
        f'<div class="figure">{figures[k]}</div>' for k in figures if k.startswith("profession_")
    ]
    sites, reach = pole_frames(d)
    if not sites.empty:
        parts.append("<h3>Le pôle de santé : qui exerce où, et qui il atteint</h3>")
        parts.append(
            "<p>Pour chaque maison de santé du pôle, les professions qui y exercent (un effectif "
            "BPE compté dans la commune de la maison de santé y est rattaché), puis la part des "
            "habitants du territoire à moins de 15 et 30 minutes d'un site du pôle où exerce "
            "chaque profession.</p>"
        )
        parts += [_table(sites), _table(reach)]
    parts.append("<h3>Communes qui perdraient l'accès à plusieurs professions</h3>")
    losing = losing_frame(d)
    if losing.empty:
        parts.append(
            "<p>Aucune commune ne perd l'accès (moins de 30 minutes) à deux professions "
            "ou plus d'ici la fin de la projection, sans remplacement des départs.</p>"
        )
    else:
        parts.append(
            "<p>Communes qui ont aujourd'hui au moins un professionnel à moins de "
            "30 minutes pour deux professions ou plus et n'en auraient plus, avec une "
            "probabilité d'au moins 50 %, à la fin de la projection sans remplacement "
            "(âges illustratifs sans fichier du territoire).</p>"
        )
        parts.append(_table(losing))
    return "\n".join(parts)
