"""The self-contained French HTML report (plotly.js and the French plotly locale inlined once)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from accessmap.labels import (
    criterion_detail,
    fmt_date,
    fmt_float,
    fmt_int,
    fmt_percent,
    french_text,
    label,
    plotly_config,
    plotly_locale_script,
)

if TYPE_CHECKING:
    from accessmap.diagnostic import Diagnostic
    from accessmap.report.verdict import VerdictCard

#: Sections of the report, in order: anchor and French title (the table of contents).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("verdict", "En une page"),
    ("acces", "Temps d'accès"),
    ("apl", "Accessibilité potentielle localisée (APL)"),
    ("zone", "Zone déficitaire (décret 2003-1140)"),
    ("retraites", "Départs en retraite"),
    ("options", "Où implanter une maison de santé ou un centre ?"),
    ("methodes", "Méthodes et sources"),
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
        "roster": french_text(roster.source) if roster.source else "effectifs officiels",
        "gps": fmt_int(len(roster.practitioners)),
        "sites": fmt_int(len(roster.sites)),
        "engine": label("engine", d.outlook.engine),
        "params": french_text(d.inputs.params.source),
        "notes": [french_text(n) for n in d.indicators.notes],
        "buffer_km": fmt_int(d.inputs.territory.buffer_km),
        "buffer_communes": fmt_int(len(d.inputs.territory.buffer)),
        "rule": french_text(d.inputs.territory.rule),
        "official_year": d.official.year if d.official is not None else d.options.apl_year,
        "calibration": _calibration_text(d),
    }


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
    from accessmap.report.professions import SECTION

    if not diagnostic.options.professions:
        return SECTIONS
    at = [a for a, _ in SECTIONS].index("methodes")
    return (*SECTIONS[:at], SECTION, *SECTIONS[at:])


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
    import plotly.offline

    from accessmap.report.figures import figures
    from accessmap.report.professions_html import section_html
    from accessmap.report.tables import html_tables
    from accessmap.report.verdict import verdict, verdict_cards

    d = diagnostic
    v = verdict(d)
    config = plotly_config()
    html_figs = {
        name: fig.to_html(
            full_html=False, include_plotlyjs=False, config=config, div_id=f"fig-{name}"
        )
        for name, fig in figures(d).items()
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
        plotlyjs=plotly.offline.get_plotlyjs(),
        plotly_locale=plotly_locale_script(),
        tables=html_tables(d),
        created=fmt_date(d.created_at) if d.created_at else "",
        zone_verdict=label("zone", d.zone.verdict),
        criteria=_criteria(d),
        methods=_methods(d),
        warnings=[french_text(w) for w in d.warnings],
        professions_section=section_html(d, html_figs) or "",
    )
