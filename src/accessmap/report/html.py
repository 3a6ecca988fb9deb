"""The self-contained French HTML report (plotly.js and the French plotly locale inlined once)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from accessmap import version_info
from accessmap.labels import (
    criterion_detail,
    fmt_date,
    fmt_float,
    fmt_int,
    fmt_percent,
    label,
    plotly_config,
    plotly_locale_script,
)
from accessmap.messages import Message
from accessmap.professions import profession

if TYPE_CHECKING:
    import pandas as pd

    from accessmap.diagnostic import Diagnostic
    from accessmap.report.verdict import Verdict, VerdictCard

#: Sections of the report, in order: anchor and French title (the table of contents).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("verdict", "En une page"),
    ("acces", "Temps d'accès"),
    ("apl", "Accessibilité potentielle localisée (APL)"),
    ("zone", "Zone déficitaire (décret 2003-1140)"),
    ("retraites", "Départs en retraite"),
    ("decisions", "Combien de médecins, en quelles équipes, et où ?"),
    ("simulateur", "Simulateur"),
    ("options", "Annexe : où implanter un site pour rapprocher les habitants ?"),
    ("fiches", "Fiches par intercommunalité et par commune"),
    ("glossaire", "Glossaire"),
    ("methodes", "Méthodes et sources"),
)

#: The words a reader may not know, explained in plain French (the report's glossary).
GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "APL",
        (
            "Accessibilité potentielle localisée : nombre de consultations de médecine "
            "générale accessibles par habitant et par an, compte tenu des médecins proches,"
            " de leur activité et de l'âge des habitants. Indicateur calculé et publié par "
            "la DREES."
        ),
    ),
    (
        "APL publié / APL modélisé",
        (
            "Le premier est le chiffre officiel de la DREES ; le second est recalculé par "
            "accessmap avec des données publiques, pour projeter l'effet d'un départ ou "
            "d'une nouvelle maison de santé."
        ),
    ),
    (
        "Officiel + effet modélisé",
        (
            "APL publié de la commune auquel on ajoute le changement que le modèle calcule "
            "(départs, nouvelle maison de santé) : une projection, pas un chiffre officiel."
        ),
    ),
    (
        "ARS",
        (
            "Agence régionale de santé : elle classe les communes en zones d'intervention "
            "prioritaire ou de vigilance."
        ),
    ),
    (
        "BPE",
        (
            "Base permanente des équipements de l'INSEE : le nombre de professionnels de "
            "santé par commune (millésime 2019)."
        ),
    ),
    (
        "DREES",
        (
            "Direction de la recherche, des études, de l'évaluation et des statistiques du "
            "ministère de la Santé."
        ),
    ),
    (
        "EPCI",
        ("Établissement public de coopération intercommunale : la communauté de communes."),
    ),
    (
        "ETP",
        ("Équivalent temps plein : un médecin à mi-temps compte pour 0,5."),
    ),
    (
        "INSEE",
        ("Institut national de la statistique et des études économiques."),
    ),
    (
        "Médecins Solidaires",
        (
            "Réseau de médecins généralistes, souvent retraités, qui se relaient une "
            "semaine chacun dans un centre de santé d'une commune sans médecin (Ajain, en "
            "Creuse)."
        ),
    ),
    (
        "MilleSoins",
        (
            "Pôle de santé de la Montagne limousine : des médecins partagent leur semaine "
            "entre plusieurs maisons de santé (Bugeat, Faux-la-Montagne, Peyrelevade, "
            "Royère-de-Vassivière)."
        ),
    ),
    (
        "MSP",
        (
            "Maison de santé pluriprofessionnelle : médecins, infirmiers et autres "
            "soignants exerçant ensemble."
        ),
    ),
    (
        "Zone d'intervention prioritaire",
        (
            "Commune dont l'APL est inférieur à 2,5 : les aides à l'installation y sont les"
            " plus fortes."
        ),
    ),
    (
        "Zone de vigilance",
        ("Commune dont l'APL est compris entre 2,5 et 4."),
    ),
    (
        "ZRR",
        ("Zone de revitalisation rurale : communes rurales aidées par l'État."),
    ),
)


def fr(value: float | None, digits: int = 0, *, percent: bool = False) -> str:
    """Format a number the French way (``43 096``, ``4,48``, ``12 %``).

    Parameters
    ----------
    value
        The number (``None``/NaN gives ``—``).
    digits
        Decimals.
    percent
        Multiply by 100 and add `` %``.

    Returns
    -------
    str
        The formatted number (see :mod:`accessmap.labels`).
    """
    if percent:
        return fmt_percent(value, digits)
    return fmt_float(value, digits)


#: Machine fragments some upstream notes still carry, and their French reading.
_PLAIN = (
    (re.compile(r"illustrative ages \(seed (\d+), (\d+)\)"), r"âges illustratifs (graine \1, \2)"),
)


def plain(text: str) -> str:
    """Return a note with the machine fragments it may carry put in French.

    Parameters
    ----------
    text
        A note or a source description.

    Returns
    -------
    str
        The same text, machine fragments in French (« âges illustratifs (graine 0, 2026) »).
    """
    for pattern, french in _PLAIN:
        text = pattern.sub(french, text)
    return text


def _criteria(d: Diagnostic) -> list[dict[str, str]]:
    return [
        {
            "label": label("criterion", c.key),
            "status": label("criterion", c.status),
            "detail": criterion_detail(c.key, c.value, c.detail),
        }
        for c in d.zone.criteria
    ]


def _methods(d: Diagnostic) -> dict[str, Any]:
    roster = d.inputs.roster
    return {
        "times": label("method", d.traveltimes.method),
        "crowfly": d.traveltimes.method == "crowfly",
        "roster": plain(str(roster.source)) if roster.source else "effectifs officiels",
        "gps": fmt_int(len(roster.practitioners)),
        "sites": fmt_int(len(roster.sites)),
        "engine": label("engine", d.outlook.engine),
        "params": str(d.inputs.params.source),
        "notes": [plain(str(n)) for n in d.indicators.notes],
        "buffer_km": fmt_int(d.inputs.territory.buffer_km),
        "buffer_communes": fmt_int(len(d.inputs.territory.buffer)),
        "rule": str(d.inputs.territory.rule),
        "official_year": d.official.year if d.official is not None else d.options.apl_year,
        "calibration": _calibration_text(d),
        "agreement": _agreement_text(d),
    }


def _agreement_text(d: Diagnostic) -> str:
    """Return the departments' rank agreement, said after the territory's (issue 22), or nothing.

    Nothing either when the departments are the territory (``dep:19,23,87``): the same figure
    twice would tell the reader nothing.
    """
    fit, drees = d.calibration, d.drees
    if fit is None or drees is None or math.isnan(drees.spearman) or fit.n == drees.n:
        return ""
    return str(
        Message(
            "report.agreement_scales",
            dep_communes=fit.n,
            dep_spearman=round(fit.spearman_after, 2),
        )
    )


def _vintages(d: Diagnostic) -> str:
    """Return the data vintages a reader must know, in one French phrase (verdict page)."""
    parts = []
    if d.inputs.roster.source is None or not str(d.inputs.roster.source).strip():
        parts.append("effectifs officiels")
    origins = set(d.inputs.roster.sites.get("origin", []))
    if "bpe" in origins:
        doctors = "médecins généralistes comptés par la BPE 2019 de l'INSEE"
        if "annuaire_creuse" in origins:
            doctors += " (Annuaire santé en Creuse)"
        parts = [doctors]
    elif parts:
        parts = ["médecins du fichier fourni par le territoire"]
    if d.official is not None:
        parts.append(f"APL publié par la DREES ({d.official.year})")
    parts.append(
        "temps de trajet sur les routes OpenStreetMap"
        if d.traveltimes.method != "crowfly"
        else "temps estimés à vol d'oiseau"
    )
    return " ; ".join(parts)


def _calibration_text(d: Diagnostic) -> str:
    fit = d.calibration
    if fit is None:
        return ""
    return (
        f"Activité des médecins dont l'activité est inconnue : {fmt_int(fit.acts_per_fte)} actes "
        f"par an et par ETP, calibrée pour que l'APL modélisé égale en moyenne l'APL publié sur "
        f"{fmt_int(fit.n)} communes des départements du territoire (jamais commune par commune) ; "
        f"accord de rang (Spearman) {fr(fit.spearman_after, 2)}."
    )


def sections(diagnostic: Diagnostic) -> tuple[tuple[str, str], ...]:
    """Sections of a diagnostic's report, in order (the professions one only when computed).

    Parameters
    ----------
    diagnostic
        A computed diagnostic.

    Returns
    -------
    tuple
        ``(anchor, French title)`` pairs.
    """
    kept = tuple(
        s for s in SECTIONS
        if (s[0] != "decisions" or diagnostic.decisions is not None)
        and (s[0] != "simulateur" or bool(diagnostic.simulator))
    )  # fmt: skip
    if not diagnostic.options.professions:
        return kept
    at = [a for a, _ in kept].index("options") + 1
    return (*kept[:at], SECTION, *kept[at:])


def render_html(diagnostic: Diagnostic, *, cards: Sequence[VerdictCard] | None = None) -> str:
    """Render the self-contained French HTML report.

    Parameters
    ----------
    diagnostic
        A computed diagnostic.
    cards
        The verdict cards (default :func:`accessmap.report.verdict_cards`): pass your own to
        lead the verdict with other official figures.

    Returns
    -------
    str
        A complete HTML document with a table of contents, one explanatory paragraph per section
        and a print stylesheet for A4; plotly.js is inlined once, no network is needed to open it.
    """
    import jinja2

    from accessmap.plots._spec import spec_html
    from accessmap.report.decisions import decisions_section, decisions_verdict
    from accessmap.report.fiches import fiches_html
    from accessmap.report.figures import deferred_figure, figure_specs, on_plotly, packed_plotlyjs
    from accessmap.report.tables import html_tables
    from accessmap.report.verdict import verdict, verdict_cards

    d = diagnostic
    v = verdict(d)
    config = plotly_config()
    html_figs = {
        name: deferred_figure(spec_html(spec, div_id=f"fig-{name}", config=config))
        for name, spec in figure_specs(d).items()
    }
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("accessmap", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["fr"] = fr
    env.filters["int"] = fmt_int
    template = env.get_template("diagnostic.html.j2")
    return template.render(
        d=d,
        v=v,
        cards=tuple(cards) if cards is not None else verdict_cards(d, v),
        sections=sections(d),
        figs=html_figs,
        option_figs=[(k, html_figs[k]) for k in html_figs if k.startswith("option_")],
        plotlyjs=packed_plotlyjs(),
        plotly_locale=on_plotly(plotly_locale_script()),
        tables=html_tables(d),
        created=fmt_date(d.created_at) if d.created_at else "",
        zone_verdict=label("zone", d.zone.verdict),
        criteria=_criteria(d),
        methods=_methods(d),
        warnings=[plain(str(w)) for w in d.warnings],
        professions_section=professions_section_html(d, html_figs) or "",
        decisions_verdict=decisions_verdict(d),
        decisions_section=decisions_section(d),
        losing=losing_html(d, v),
        simulator=_simulator(d),
        fiches=fiches_html(d),
        glossary=GLOSSARY,
        vintages=_vintages(d),
        version=str(version_info()),
    )


def losing_html(d: Diagnostic, v: Verdict) -> str:
    """Return the French HTML of the communes losing their last GP (« Départs en retraite »).

    Parameters
    ----------
    d
        A computed diagnostic.
    v
        Its verdict (:func:`accessmap.report.verdict`).

    Returns
    -------
    str
        A heading, one paragraph and every such commune in a table whose caption says how its
        years and probabilities were estimated (:func:`accessmap.report.verdict.losing_table`),
        or a sentence saying that no commune loses its last GP.
    """
    from accessmap.report.verdict import caveats, losing_table

    parts = [
        f"<h3>Communes qui perdraient leur dernier médecin d'ici {v.year_10}</h3>",
    ]
    if v.losing.empty:
        parts.append(
            f"<p>Aucune commune du territoire ne perdrait son dernier médecin d'ici {v.year_10}, "
            "sans remplacement des départs.</p>"
        )
        return "\n".join(parts)
    parts.append(
        "<p>Communes du territoire qui ont un médecin aujourd'hui et n'en auraient plus, sans "
        "remplacement des départs, dans au moins la moitié des tirages : l'année de la perte est "
        "la première où c'est le cas. Par année de la perte.</p>"
    )
    ages = caveats(d)["ages"]
    caption = (
        f"Estimation : {ages[:1].lower()}{ages[1:]} "
        "Probabilités estimées par des tirages au hasard."
    )
    parts.append(_table(losing_table(v), caption=caption))
    return "\n".join(parts)


def _simulator(d: Diagnostic) -> str:
    """Render the simulator section, or nothing without decision problems."""
    from accessmap.report.simulator import simulator_for, simulator_section

    data = simulator_for(d)
    return simulator_section(data) if data is not None else ""


# --- the section of the professions beyond the primary one -----------------------------------

#: Anchor and title of the section (table of contents).
SECTION: tuple[str, str] = ("professions", "Autres professions de santé")

_LEAD = (
    "Les médecins ne sont pas seuls : {names} font le premier recours. Pour chaque profession : le "
    "temps jusqu'au professionnel le plus proche depuis la mairie de chaque commune, et un "
    "indicateur d'accessibilité (APL en équivalents temps plein pour 100 000 habitants, méthode "
    "DREES, ou temps jusqu'à la pharmacie la plus proche). Sans fichier du territoire, les "
    "effectifs sont ceux de la base permanente des équipements de l'INSEE (2019), {caveat}, "
    "placés à la mairie de leur commune ; leurs âges, pour les projections, sont illustratifs."
)


def _asked_names(d: Diagnostic) -> str:
    """Return « infirmiers, sages-femmes et pharmacies »: the professions asked, in order."""
    from accessmap.diagnostic.professions import other_professions

    asked = d.options.professions
    keys = other_professions(d.professions.primary) if isinstance(asked, bool) else asked
    names = [profession(k).plural for k in keys]
    return " et ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


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


def professions_section_html(d: Diagnostic, figures: dict[str, str]) -> str:
    """Return the French HTML of the section « Autres professions de santé ».

    Parameters
    ----------
    d
        A computed diagnostic.
    figures
        HTML of the figures by name (``profession_<key>``, see
        :func:`accessmap.report.figures.profession_figures`).

    Returns
    -------
    str
        ``<h2 id="professions">`` then an explanatory paragraph, the summary table, one map per
        profession, the pôle tables and the communes losing several professions; empty without
        the professions step.
    """
    from accessmap.diagnostic.professions import COUNTING_CAVEAT
    from accessmap.report.decisions import profession_recruits_html
    from accessmap.report.figures import method_label
    from accessmap.report.tables import losing_frame, pole_frames, summary_frame

    p = d.professions
    if not d.options.professions:
        return ""
    anchor, title = SECTION
    lead = _LEAD.format(names=_asked_names(d), caveat=COUNTING_CAVEAT)
    parts = [
        f'<h2 id="{anchor}">{escape(title)}</h2>',
        f'<p class="lead">{escape(lead, quote=False)}</p>',
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
    recruits = profession_recruits_html(d)
    if recruits:
        parts.append(recruits)
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
