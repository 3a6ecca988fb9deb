"""The decisions in the report: the recruits needed, the ranked options, MilleSoins, volunteers.

Every sentence comes from the catalogue (``decisions.*``); every figure is the one of
:attr:`accessmap.diagnostic.Diagnostic.decisions`, evaluated on the official APL plus the modelled
change (:mod:`accessmap.diagnostic.decisions`), and says so where it is read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape, unescape
from typing import TYPE_CHECKING, Protocol

import pandas as pd

from accessmap.diagnostic.choices import OPTION_NAMES
from accessmap.labels import at_place, noun, of_place
from accessmap.messages import Message
from accessmap.messages.formats import fmt_float, fmt_int

if TYPE_CHECKING:
    from accessmap.diagnostic import Diagnostic
    from accessmap.diagnostic.choices import DecisionOption, Decisions
    from accessmap.diagnostic.decisions import PlanEvaluation
    from accessmap.inputs import Inputs


class DecisionView(Protocol):
    """What the decision texts read: the inputs and the decisions (a ``Diagnostic`` is one)."""

    @property
    def inputs(self) -> Inputs: ...  # noqa: D102

    @property
    def decisions(self) -> Decisions | None: ...  # noqa: D102


@dataclass(frozen=True, slots=True)
class _View:
    inputs: Inputs
    decisions: Decisions | None


__all__ = [
    "DecisionView",
    "decisions_frame",
    "decisions_section",
    "decisions_table",
    "decisions_text",
    "decisions_verdict",
    "millesoins_frame",
    "profession_recruits_html",
    "site_label",
]


#: Sites a plan lists in the verdict (the section lists them all).
VERDICT_SITES = 4


#: Catalogue code of each option's sentence (its short name: :data:`OPTION_NAMES`).
_SENTENCE = {
    "recruits": "decisions.option_recruits",
    "team": "decisions.option_team",
    "millesoins_team": "decisions.option_millesoins_team",
    "robust": "decisions.option_robust",
    "central": "decisions.option_central",
    "pole_equal": "decisions.option_pole_equal",
    "pole_best": "decisions.option_pole_best",
    "volunteer": "decisions.option_volunteer",
}


def _t(code: str, **params: object) -> str:
    return escape(str(Message(code, **params)), quote=False)


#: The names and site kinds of the last inputs read (a report reads them hundreds of times).
_LOOKUP: dict[int, tuple[object, dict[str, str], dict[str, str]]] = {}


def _lookup(d: DecisionView) -> tuple[dict[str, str], dict[str, str]]:
    """Commune names (study area) and site kinds of ``d``'s inputs, computed once."""
    inputs = d.inputs
    hit = _LOOKUP.get(id(inputs))
    if hit is not None and hit[0] is inputs:
        return hit[1], hit[2]
    area = inputs.territory.study_area
    names = area.set_index(area["code"].astype(str))["nom"].astype(str).to_dict()
    names |= inputs.territory.communes.set_index("code")["nom"].astype(str).to_dict()
    sites = inputs.roster.sites
    kinds = dict(zip(sites["site_id"].astype(str), sites["kind"].astype(str), strict=True))
    _LOOKUP.clear()
    _LOOKUP[id(inputs)] = (inputs, names, kinds)
    return names, kinds


def _names(d: DecisionView) -> dict[str, str]:
    return _lookup(d)[0]


def site_label(
    d: DecisionView, decisions: Decisions, site: str, *, new: bool, volunteer: bool = False
) -> str:
    """Return « nouvelle MSP à Meymac », « MSP de Bugeat (existante) », « cabinet de Felletin ».

    Parameters
    ----------
    d
        The diagnostic (commune names, roster sites).
    decisions
        Its decisions (site communes).
    site
        A site id of a plan.
    new
        Whether the plan opens it.
    volunteer
        Whether it is a volunteer centre.

    Returns
    -------
    str
        The French label.
    """
    names = _names(d)
    commune = names.get(decisions.inputs.site_communes.get(site, site), site)
    if new:
        code = "decisions.site_volunteer" if volunteer else "decisions.site_new"
        return str(Message(code, at_commune=at_place(commune)))
    kind = _lookup(d)[1].get(site, "")
    code = {"msp": "decisions.site_msp", "volunteer_centre": "decisions.site_centre"}.get(
        kind, "decisions.site_practice"
    )
    return str(Message(code, of_commune=of_place(commune)))


def _plan_text(
    d: DecisionView, decisions: Decisions, option: DecisionOption, *, limit: int | None = None
) -> str:
    """« 3 à MSP de Bugeat (existante), 2 à nouvelle MSP à Meymac, … »."""
    parts = [
        str(
            Message(
                "decisions.plan_part",
                fte=_fte(float(fte)),
                site=site_label(
                    d, decisions, str(site), new=bool(new), volunteer=option.key == "volunteer"
                ),
            )
        )
        for site, fte, new in zip(
            option.sites["site_id"], option.sites["fte"], option.sites["new"], strict=True
        )
    ]
    if limit is not None and len(parts) > limit:
        more = str(Message("decisions.plan_more", count=len(parts) - limit))
        return ", ".join([*parts[:limit], more])
    return ", ".join(parts)


def _fte(value: float) -> str:
    return fmt_float(value, 1).removesuffix(",0")


def _band(ev: PlanEvaluation) -> str:
    if ev.band is None:
        return ""
    return str(Message("decisions.band", q10=round(ev.band.q10), q90=round(ev.band.q90)))


def _year_vs(ev: PlanEvaluation, base: PlanEvaluation) -> str:
    return str(
        Message(
            "decisions.effect", today=round(ev.under_today), today_base=round(base.under_today),
            then=round(ev.under_year), then_base=round(base.under_year), band=_band(ev),
        )
    )  # fmt: skip


def _takes(option: DecisionOption) -> str:
    if option.volunteer_weeks:
        return str(Message("decisions.takes_volunteers", weeks=round(option.volunteer_weeks)))
    doctors = noun(option.fte, "médecin", "médecins")
    if option.new_sites == 0:
        return str(Message("decisions.takes_reinforce", fte=_fte(option.fte), doctors=doctors))
    if option.new_sites == 1:
        return str(Message("decisions.takes_one_new", fte=_fte(option.fte), doctors=doctors))
    return str(
        Message("decisions.takes", fte=_fte(option.fte), doctors=doctors, sites=option.new_sites)
    )


def _sentence(
    d: DecisionView, decisions: Decisions, option: DecisionOption, *, limit: int | None = None
) -> str:
    """One plain sentence: what the option is, what it takes, its effect today and in the year."""
    plan = _plan_text(d, decisions, option, limit=limit)
    what = str(Message(_SENTENCE[option.key], plan=plan))
    effect = _year_vs(option.evaluation, decisions.status_quo)
    return f"{what} {_takes(option)} {effect}{_unproven(option)}"


def _unproven(option: DecisionOption) -> str:
    """Return the caveat of a plan no proof backs (its search stopped by its limit), or ``""``."""
    return "" if option.proven else " " + _t("decisions.not_proven")


def _recruits_sentence(d: DecisionView, decisions: Decisions, *, limit: int | None = None) -> str:
    dec = decisions.inputs
    option = decisions.recruits
    if option is None:
        return _t("decisions.recruits_failed")
    head = _t(
        "decisions.recruits_head", threshold=dec.threshold, year=dec.year, fte=_fte(option.fte),
        plan=_plan_text(d, decisions, option, limit=limit),
    ) + _unproven(option)  # fmt: skip
    left = decisions.unliftable
    if len(left):
        names = _names(d)
        people = dec.demand.set_index("id")["counted"]
        people = people.reindex(left["id"]).fillna(0.0)
        far = left["reason"].astype(str) == "no_site"
        head += " " + _t(
            "decisions.unliftable_one" if len(left) == 1 else "decisions.unliftable",
            count=len(left), population=round(float(people.sum())), threshold=dec.threshold,
        )  # fmt: skip
        for code, mask in (("decisions.unliftable_far", far), ("decisions.unliftable_short", ~far)):
            if mask.any():
                head += " " + _t(
                    code, communes=[names.get(str(c), str(c)) for c in left["id"][mask]]
                )
    return f"<strong>{head}</strong>"


def _context(decisions: Decisions, *, with_rule: bool = True) -> str:
    sq = decisions.status_quo
    dec = decisions.inputs
    rule = decisions.host_rule
    minimum = rule.get("min_population")
    hosts = (
        _t("decisions.hosts_premises") if rule.get("premises") is not None
        else _t("decisions.hosts_population", population=minimum) if minimum
        else _t("decisions.hosts_all")
    )  # fmt: skip
    context = _t(
        "decisions.context", communes_today=sq.communes_under_today,
        today=round(sq.under_today), communes_then=sq.communes_under_year,
        people_then=round(sq.under_year), year=dec.year, threshold=dec.threshold,
    )  # fmt: skip
    return f"{context} {hosts}" if with_rule else context


def _no_single_site(d: DecisionView, decisions: Decisions) -> str:
    central = decisions.option("central")
    sq = decisions.status_quo
    if central is None or central.evaluation.under_year <= sq.under_today:
        return ""
    site = str(central.sites["site_id"].iloc[0])
    return _t(
        "decisions.no_single_site", fte=_fte(central.fte),
        site=site_label(d, decisions, site, new=bool(central.sites["new"].iloc[0])),
        year=decisions.inputs.year, left=round(central.evaluation.under_year),
        today=round(sq.under_today), threshold=decisions.inputs.threshold,
    )  # fmt: skip


def _caveat(d: DecisionView) -> str:
    ages = d.inputs.ages_are_illustrative
    return _t("decisions.caveat_ages" if ages else "decisions.caveat")


def _criterion(decisions: Decisions) -> str:
    dec = decisions.inputs
    return _t("decisions.criterion", year=dec.year, threshold=dec.threshold)


def decisions_verdict(d: DecisionView, *, top: int = 2) -> str:
    """Return the verdict's decisions: the recruits needed, then the ranked options.

    Parameters
    ----------
    d
        A computed diagnostic.
    top
        How many ranked options the verdict lists (the section lists them all).

    Returns
    -------
    str
        HTML (empty when the decisions could not be computed).
    """
    decisions = d.decisions
    if decisions is None:
        return ""
    others = [o for o in decisions.options if o.key != "recruits"][:top]
    limit = VERDICT_SITES
    items = "".join(
        f"<li>{escape(_sentence(d, decisions, o, limit=limit), quote=False)}</li>" for o in others
    )
    single = _no_single_site(d, decisions)
    return (
        f"<h3>{_t('decisions.verdict_title', year=decisions.inputs.year)}</h3>"
        f'<p class="decision">{_recruits_sentence(d, decisions, limit=limit)}</p>'
        f'<p class="sub">{_context(decisions, with_rule=False)}</p>'
        + (f'<p class="decision">{single}</p>' if single else "")
        + f'<p class="sub">{_criterion(decisions)}</p>'
        f'<ol class="options">{items}</ol>'
        f'<p class="caveat">{_caveat(d)}</p>'
    )


def decisions_table(decisions: Decisions, inputs: Inputs) -> pd.DataFrame:
    """Return the ranked options of a decision computation, in French, for a notebook.

    Parameters
    ----------
    decisions
        :func:`accessmap.diagnostic.compute_decision_options`.
    inputs
        The inputs they were computed on (names of communes and sites).

    Returns
    -------
    pandas.DataFrame
        French headers, one row per option, ranked; the caveat in the last column.
    """
    frame = decisions_frame(_View(inputs=inputs, decisions=decisions))
    headers = {
        "rank": "rang", "option": "option", "plan": "équipes et sites",
        "fte": "recrues (ETP)", "new_msp": "nouvelles MSP",
        "under_today": "habitants sous le seuil aujourd'hui",
        "under_year": f"habitants sous le seuil en {decisions.inputs.year}",
        "under_year_q10": "bande basse (10 %)", "under_year_q90": "bande haute (90 %)",
        "apl_year": f"APL du territoire en {decisions.inputs.year}",
    }  # fmt: skip
    out = frame[list(headers)].rename(columns=headers)
    out["lecture"] = str(
        Message("decisions.caveat_ages" if inputs.ages_are_illustrative else "decisions.caveat")
    )
    return out


def decisions_text(decisions: Decisions, inputs: Inputs) -> str:
    """Return the recruits-needed sentence, its context and the ranking criterion (plain text).

    Parameters
    ----------
    decisions, inputs
        As in :func:`decisions_table`.

    Returns
    -------
    str
        Three sentences, for a notebook or a terminal.
    """
    import re

    view = _View(inputs=inputs, decisions=decisions)
    html = f"{_recruits_sentence(view, decisions)} {_context(decisions)} {_criterion(decisions)}"
    return unescape(re.sub(r"<[^>]+>", "", html))


def decisions_frame(d: DecisionView) -> pd.DataFrame:
    """Return every option, ranked, as the report's table and the CSV show it.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    pandas.DataFrame
        Machine columns: ``rank, option, plan, fte, new_msp, volunteer_weeks, under_today,
        under_year, under_year_q10, under_year_q90, communes_under_year, apl_year, status``
        (empty without decisions).
    """
    decisions = d.decisions
    if decisions is None:
        return pd.DataFrame()
    rows = []
    for rank, o in enumerate(decisions.options, start=1):
        ev = o.evaluation
        rows.append(
            {
                "rank": rank, "option": str(Message(OPTION_NAMES[o.key])),
                "plan": _plan_text(d, decisions, o), "fte": o.fte, "new_msp": o.new_sites,
                "volunteer_weeks": o.volunteer_weeks, "under_today": ev.under_today,
                "under_year": ev.under_year,
                "under_year_q10": ev.band.q10 if ev.band else math.nan,
                "under_year_q90": ev.band.q90 if ev.band else math.nan,
                "communes_under_year": ev.communes_under_year, "apl_year": ev.apl_year,
                "status": o.status,
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def millesoins_frame(d: DecisionView) -> pd.DataFrame:
    """Return the MilleSoins comparison as a machine table (empty without decisions).

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    pandas.DataFrame
        ``option, plan, fte, apl_today, apl_year, under_today, under_year, mean_minutes,
        max_minutes``.
    """
    decisions = d.decisions
    if decisions is None or decisions.millesoins.empty:
        return pd.DataFrame()
    table = decisions.millesoins.copy()
    plans = {o.key: _plan_text(d, decisions, o) for o in decisions.options}
    table.insert(1, "plan", table["option"].map(plans))
    table["option"] = [str(Message(OPTION_NAMES[str(k)])) for k in table["option"]]
    return table


def _display(frame: pd.DataFrame, columns: dict[str, tuple[str, int]]) -> str:
    """Render a table: French headers, values as integers (``digits < 0``) or decimals."""
    head = "".join(f"<th>{escape(h)}</th>" for h, _ in columns.values())
    body = []
    for rec in frame.to_dict("records"):
        cells = []
        for col, (_, digits) in columns.items():
            value = rec.get(col)
            if isinstance(value, str):
                cells.append(f"<td>{escape(value)}</td>")
            elif digits < 0:
                cells.append(f'<td class="num">{fmt_int(value)}</td>')
            else:
                cells.append(f'<td class="num">{fmt_float(value, digits)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<div class="scroll"><table class="table"><tr>{head}</tr>{"".join(body)}</table></div>'


def _millesoins_verdict(decisions: Decisions) -> str:
    central, pole = decisions.option("central"), decisions.option("pole_best")
    if central is None or pole is None:
        return ""
    table = decisions.millesoins.set_index("option")
    code = (
        "decisions.millesoins_agrees" if pole.evaluation.under_year <= central.evaluation.under_year
        else "decisions.millesoins_disagrees"
    )  # fmt: skip
    return _t(
        code, year=decisions.inputs.year, central=round(central.evaluation.under_year),
        pole=round(pole.evaluation.under_year),
        gap=round(abs(central.evaluation.under_year - pole.evaluation.under_year)),
        central_minutes=round(_number(table.loc["central", "mean_minutes"])),
        pole_minutes=round(_number(table.loc["pole_best", "mean_minutes"])), team=_fte(central.fte),
    )  # fmt: skip


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else float(str(value))


def _volunteer_text(d: DecisionView, decisions: Decisions) -> str:
    parts = []
    option = decisions.volunteer
    if option is not None:
        site = str(option.sites["site_id"].iloc[0])
        parts.append(
            _t(
                "decisions.volunteer_best",
                weeks=round(option.volunteer_weeks),
                at_commune=at_place(
                    _names(d).get(decisions.inputs.site_communes.get(site, site), site)
                ),
                year=decisions.inputs.year,
                effect=_year_vs(option.evaluation, decisions.status_quo),
            )
        )
        if math.isfinite(decisions.volunteer_need_weeks):
            parts.append(
                _t("decisions.volunteer_need", weeks=round(decisions.volunteer_need_weeks))
            )
    for r in decisions.ajain.itertuples():
        code = "decisions.ajain_inside" if r.in_territory else "decisions.ajain_outside"
        minutes, gain = _number(r.minutes), _number(r.gain_apl)
        parts.append(_t(code, minutes=round(minutes), gain=round(gain, 2)))
    return " ".join(parts)


def decisions_section(d: DecisionView) -> str:
    """Return the section's HTML: every option ranked, MilleSoins, Médecins Solidaires.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    str
        HTML (empty without decisions).
    """
    decisions = d.decisions
    if decisions is None:
        return ""
    ranked = decisions_frame(d)
    options_table = _display(
        ranked,
        {
            "rank": ("rang", -1), "option": ("option", 0), "plan": ("équipes et sites", 0),
            "fte": ("recrues (ETP)", 1), "new_msp": ("nouvelles MSP", -1),
            "under_today": ("habitants sous le seuil aujourd'hui", -1),
            "under_year": (f"habitants sous le seuil en {decisions.inputs.year}", -1),
            "under_year_q10": ("bande basse (10 %)", -1),
            "under_year_q90": ("bande haute (90 %)", -1),
            "communes_under_year": (f"communes sous le seuil en {decisions.inputs.year}", -1),
            "apl_year": (f"APL du territoire en {decisions.inputs.year}", 2),
        },
    )  # fmt: skip
    pole_table = _display(
        millesoins_frame(d),
        {
            "option": ("option", 0), "plan": ("équipes et sites", 0),
            "apl_today": ("APL aujourd'hui", 2), "apl_year": (f"APL en {decisions.inputs.year}", 2),
            "under_today": ("habitants sous le seuil aujourd'hui", -1),
            "under_year": (f"habitants sous le seuil en {decisions.inputs.year}", -1),
            "mean_minutes": ("temps moyen au site le plus proche (min)", 1),
            "max_minutes": ("pire temps (min)", 1),
        },
    )  # fmt: skip
    dec = decisions.inputs
    return (
        f'<h2 id="decisions">{_t("decisions.section_title")}</h2>'
        f'<p class="lead">{_t("decisions.section_lead", threshold=dec.threshold, year=dec.year)}'
        "</p>"
        f"<p>{_recruits_sentence(d, decisions)}</p><p>{_context(decisions)}</p>"
        f"<h3>{_t('decisions.ranked_title')}</h3>"
        f'<p class="sub">{_criterion(decisions)}</p>'
        f'{options_table}<p class="caveat">{_caveat(d)}</p>'
        f"<h3>{_t('decisions.millesoins_title')}</h3>"
        f"<p>{_t('decisions.millesoins_lead')}</p>{pole_table}"
        f"<p>{_millesoins_verdict(decisions)}</p>"
        f'<p class="caveat">{_caveat(d)}</p>'
        f"<h3>{_t('decisions.volunteer_title')}</h3><p>{_volunteer_text(d, decisions)}</p>"
        f'<p class="caveat">{_caveat(d)}</p>'
    )


def profession_recruits_html(d: Diagnostic) -> str:
    """Return the recruits needed by every other profession with an APL (HTML, or empty).

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    str
        A heading, a sentence naming the threshold convention and a table.
    """
    from accessmap.diagnostic.choices import is_proven
    from accessmap.professions import profession

    table = d.profession_recruits
    if table.empty:
        return ""
    year = int(table["year"].iloc[0])
    proven = [is_proven(str(s)) for s in table["status"]]
    proof = {
        True: str(Message("decisions.proof_proven")),
        False: str(Message("decisions.proof_unproven")),
    }
    shown = table.assign(
        profession=[profession(k).label for k in table["profession"]],
        unit=[profession(k).unit for k in table["profession"]],
        proof=[proof[flag] for flag in proven],  # raw text: _display escapes it
    )
    body = _display(
        shown,
        {
            "profession": ("profession", 0), "threshold": ("seuil de référence", 1),
            "unit": ("unité", 0), "fte": ("recrues (ETP)", 1), "proof": ("calcul", 0),
            "sites": ("sites", -1),
            "new_msp": ("nouveaux sites", -1),
            "under_today": ("habitants sous le seuil aujourd'hui", -1),
            "under_year": (f"habitants sous le seuil en {year} sans rien faire", -1),
            "under_year_after": (f"habitants sous le seuil en {year} avec les recrues", -1),
            "unliftable": ("communes hors de portée", -1),
        },
    )  # fmt: skip
    caveat = _t("decisions.professions_caveat")
    if not all(proven):
        caveat += " " + _t("decisions.proof_note")
    return (
        f"<h3>{_t('decisions.professions_title', year=year)}</h3>"
        f"<p>{_t('decisions.professions_lead', year=year)}</p>{body}"
        f'<p class="caveat">{caveat}</p>'
    )
