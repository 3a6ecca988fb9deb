"""One printable page per commune and per EPCI: published APL first, then what the model adds.

Each fiche is a compact HTML table (no map: the report stays light for 1,436 communes), starts
a new A4 page in print (CSS ``break-before: page``) and is reached from an alphabetical index by
its anchor (``fiche-<INSEE code>``, ``epci-<SIREN>``).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from accessmap.conventions import APL_PRIORITY, APL_SECONDARY
from accessmap.labels import at_place, fmt_float, fmt_int, fmt_minutes
from accessmap.professions import profession

if TYPE_CHECKING:
    from accessmap.diagnostic import Diagnostic

__all__ = ["commune_facts", "epci_facts", "fiches_html"]

#: The option rows of the comparison that are « today » (the reference) and « in ten years ».
TODAY = "Aujourd'hui"


def apl_class(value: float) -> str:
    """French class of an APL against the national thresholds (« zone prioritaire »...)."""
    if value is None or not np.isfinite(value):
        return "—"
    if value < APL_PRIORITY:
        return "zone prioritaire (sous 2,5)"
    if value < APL_SECONDARY:
        return "zone de vigilance (2,5 à 4)"
    return "au-dessus de 4"


def alphabetical(names: pd.Series) -> list[int]:
    """Return the positions of ``names`` in alphabetical order (accents ignored, « É » with « E »).

    Parameters
    ----------
    names
        Commune names.

    Returns
    -------
    list of int
        Positions, the order of the index of the fiches and of the numbers of the location map.
    """
    keys = names.astype(str).str.normalize("NFD").str.encode("ascii", "ignore").str.decode("ascii")
    return sorted(range(len(names)), key=lambda i: (keys.iloc[i].lower(), i))


def _published(d: Diagnostic) -> pd.Series:
    if d.drees is None:
        return pd.Series(dtype=float)
    table = d.drees.table
    return pd.Series(table["apl_drees"].to_numpy(), index=table["id"].astype(str))


def _future(d: Diagnostic) -> tuple[int, pd.Series]:
    apl = d.outlook.apl
    year = int(d.outlook.start_year) + 10
    if year not in set(apl["year"]):
        year = int(apl["year"].max())
    now = apl[apl["year"] == apl["year"].min()].set_index("commune_code")["apl"]
    then = apl[apl["year"] == year].set_index("commune_code")["apl"]
    return year, (then - now)


def _apl_future(d: Diagnostic, codes: list[str], fallback: pd.Series) -> np.ndarray:
    """Return each commune's APL at +10 years: the decisions' no-plan baseline.

    The one definition the verdict, the options and the simulator read (published + modelled
    change, floored at 0); ``fallback`` without decisions.
    """
    if d.decisions is None:
        return fallback.to_numpy()
    baseline = d.decisions.inputs.baseline
    future = baseline.set_index(baseline["id"].astype(str))["apl"].reindex(codes)
    return future.fillna(fallback).to_numpy()


def commune_facts(d: Diagnostic) -> pd.DataFrame:
    """One row per commune of the territory: what its fiche shows (machine names, raw values).

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``nom``, ``epci``, ``epci_nom``, ``population``, ``apl_published``,
        ``apl_modelled``, ``apl_future`` (published + modelled change at +10 years, or modelled
        when nothing is published), ``minutes``, ``nearest`` (commune of the nearest GP),
        then one ``minutes_<profession>`` column per other profession; sorted by name.
    """
    communes = d.inputs.territory.communes.set_index("code")
    ind = d.indicators.communes
    ind = ind[ind["in_territory"]].set_index("id")
    published = _published(d)
    _, change = _future(d)
    sites = d.inputs.roster.sites.set_index("site_id")
    names = d.inputs.territory.study_area.set_index("code")["nom"]
    codes = [c for c in communes.index if c in ind.index]
    modelled = ind["apl"].reindex(codes)
    base = published.reindex(codes).fillna(modelled) if not published.empty else modelled
    nearest = [
        str(names.get(sites.at[s, "commune_code"], sites.at[s, "name"]))
        if s in sites.index
        else "—"
        for s in ind["nearest_site"].reindex(codes)
    ]
    out = pd.DataFrame(
        {
            "code": codes,
            "nom": communes["nom"].reindex(codes).to_numpy(),
            "epci": communes["epci"].reindex(codes).astype(str).to_numpy()
            if "epci" in communes else "",
            "epci_nom": communes["epci_nom"].reindex(codes).astype(str).to_numpy()
            if "epci_nom" in communes else "",
            "population": ind["population"].reindex(codes).to_numpy(),
            "pop_std": ind["pop_std"].reindex(codes).to_numpy(),
            "apl_published": published.reindex(codes).to_numpy(),
            "apl_modelled": modelled.to_numpy(),
            "apl_future": _apl_future(d, codes, base + change.reindex(codes).fillna(0.0)),
            "minutes": ind["nearest_minutes"].reindex(codes).to_numpy(),
            "nearest": nearest,
        }
    )  # fmt: skip
    for result in d.professions.others if d.options.professions else ():
        times = result.communes.set_index("id")["nearest_minutes"]
        out[f"minutes_{result.profession}"] = times.reindex(codes).to_numpy()
    return out.iloc[alphabetical(out["nom"])].reset_index(drop=True)


def option_effects(d: Diagnostic) -> pd.DataFrame:
    """Per option and commune: the time gained and the APL gained (modelled, minutes and APL).

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    pandas.DataFrame
        ``option``, ``code``, ``minutes_gained``, ``apl_gained`` (territory communes, the
        options of today only).
    """
    oc = d.option_communes
    oc = oc[oc["in_territory"]]
    base = oc[oc["option"] == TODAY].set_index("id")
    rows = []
    for option, group in oc.groupby("option", sort=False):
        if option == TODAY or str(option)[:2].isdigit():
            continue
        g = group.set_index("id")
        rows.append(
            pd.DataFrame(
                {
                    "option": str(option),
                    "code": g.index.astype(str),
                    "minutes_gained": (base["minutes"].reindex(g.index) - g["minutes"]).to_numpy(),
                    "apl_gained": (g["apl"] - base["apl"].reindex(g.index)).to_numpy(),
                }
            )
        )
    if not rows:
        return pd.DataFrame(columns=["option", "code", "minutes_gained", "apl_gained"])
    return pd.concat(rows, ignore_index=True)


def _weighted(values: pd.Series, weights: pd.Series) -> float:
    ok = values.notna() & weights.notna()
    total = float(weights[ok].sum())
    return float((values[ok] * weights[ok]).sum() / total) if total else float("nan")


def epci_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per EPCI (its communes in the territory), APL weighted by standardised population.

    Parameters
    ----------
    facts
        From :func:`commune_facts`.

    Returns
    -------
    pandas.DataFrame
        ``epci``, ``epci_nom``, ``communes``, ``population``, ``apl_published``,
        ``apl_modelled``, ``apl_future``, ``pop_beyond_20``; sorted by name.
    """
    rows = []
    for (code, name), g in facts.groupby(["epci", "epci_nom"], sort=False):
        rows.append(
            {
                "epci": code,
                "epci_nom": name,
                "communes": len(g),
                "population": float(g["population"].sum()),
                "apl_published": _weighted(g["apl_published"], g["pop_std"]),
                "apl_modelled": _weighted(g["apl_modelled"], g["pop_std"]),
                "apl_future": _weighted(g["apl_future"], g["pop_std"]),
                "pop_beyond_20": float(g.loc[g["minutes"] >= 20, "population"].sum()),
            }
        )
    return pd.DataFrame(rows).sort_values("epci_nom").reset_index(drop=True)


def _minutes(value: float) -> str:
    """« 12,4 min », or « dans la commune » when the professional practises there."""
    if not np.isfinite(value):
        return "hors d'atteinte"
    return "dans la commune" if value < 0.5 else f"{fmt_minutes(value)} min"


def _row(header: str, value: str) -> str:
    return f"<tr><th scope='row'>{escape(header)}</th><td>{escape(value)}</td></tr>"


def _apl(value: float) -> str:
    return f"{fmt_float(value, 2)} — {apl_class(value)}" if np.isfinite(value) else "non publié"


def _commune_fiche(r: pd.Series, year: int, effects: pd.DataFrame, professions: list[str]) -> str:
    rows = [
        _row("Population", f"{fmt_int(r['population'])} habitants"),
        _row("APL publié (DREES)", _apl(r["apl_published"])),
        _row("APL modélisé", fmt_float(r["apl_modelled"], 2) + " (modélisé)"),
        _row(
            "Médecin généraliste le plus proche",
            f"{_minutes(r['minutes'])}, {at_place(str(r['nearest']))}"
            if r["minutes"] >= 0.5
            else "dans la commune",
        ),
    ]
    rows += [
        _row(
            f"{profession(p).plural.capitalize()} : le plus proche",
            _minutes(r[f"minutes_{p}"]),
        )
        for p in professions
    ]
    rows.append(
        _row(
            f"En {year}, sans remplacement des départs",
            f"APL {fmt_float(r['apl_future'], 2)} (officiel + effet modélisé)",
        )
    )
    for option, minutes, apl in zip(
        effects["option"], effects["minutes_gained"], effects["apl_gained"], strict=True
    ):
        gained = f"{fmt_float(minutes, 0)} min gagnées" if minutes >= 0.5 else "aucun temps gagné"
        apl_text = (
            f"APL {float(apl):+.2f}".replace(".", ",") if abs(apl) >= 0.005 else "APL inchangé"
        )
        rows.append(_row(f"Option « {option} »", f"{gained} ; {apl_text}"))
    epci = f" · {escape(r['epci_nom'])}" if r["epci_nom"] else ""
    return (
        f'<section class="fiche" id="fiche-{escape(r["code"])}">'
        f"<h3>{escape(r['nom'])} <small>({escape(r['code'])}){epci}</small></h3>"
        f'<table class="table fiche-table">{"".join(rows)}</table>'
        '<p class="sub"><a href="#index">Retour à l\'index</a></p></section>'
    )


def _epci_communes(communes: pd.DataFrame) -> str:
    """Its communes, each linked to its fiche: published APL and class, modelled APL, minutes."""
    head = (
        "<tr><th>commune</th><th>APL publié</th><th>classe (publiée)</th>"
        "<th>APL modélisé</th><th>minutes jusqu'au médecin le plus proche</th></tr>"
    )
    columns = ("code", "nom", "apl_published", "apl_modelled", "minutes")
    rows = "".join(
        f'<tr><td><a href="#fiche-{escape(str(code))}">{escape(str(name))}</a></td>'
        f'<td class="num">{fmt_float(published, 2)}</td>'
        f"<td>{escape(apl_class(float(published)))}</td>"
        f'<td class="num">{fmt_float(modelled, 2)}</td>'
        f'<td class="num">{fmt_minutes(minutes)}</td></tr>'
        for code, name, published, modelled, minutes in zip(
            *(communes[c].tolist() for c in columns), strict=True
        )
    )
    return f'<table class="table"><thead>{head}</thead><tbody>{rows}</tbody></table>'


def _epci_fiche(r: pd.Series, year: int, communes: pd.DataFrame) -> str:
    rows = [
        _row("Communes du territoire", fmt_int(r["communes"])),
        _row("Population", f"{fmt_int(r['population'])} habitants"),
        _row("APL publié (DREES)", _apl(r["apl_published"])),
        _row("APL modélisé", fmt_float(r["apl_modelled"], 2) + " (modélisé)"),
        _row("Habitants à 20 minutes ou plus d'un médecin", fmt_int(r["pop_beyond_20"])),
        _row(
            f"En {year}, sans remplacement",
            f"APL {fmt_float(r['apl_future'], 2)} (officiel + effet modélisé)",
        ),
    ]
    return (
        f'<section class="fiche" id="epci-{escape(str(r["epci"]))}">'
        f"<h3>{escape(str(r['epci_nom']))} <small>(intercommunalité)</small></h3>"
        f'<table class="table fiche-table">{"".join(rows)}</table>'
        f"{_epci_communes(communes)}"
        '<p class="sub"><a href="#index">Retour à l\'index</a></p></section>'
    )


def fiches_html(d: Diagnostic) -> str:
    """Return the index and the fiches of every EPCI and commune of the territory.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    str
        ``<div id="index">`` (alphabetical links) then one ``<section class="fiche">`` per
        EPCI and per commune.
    """
    facts = commune_facts(d)
    year, _ = _future(d)
    effects = option_effects(d)
    by_code = dict(list(effects.groupby("code", sort=False)))
    empty = effects.iloc[0:0]
    professions = [c.removeprefix("minutes_") for c in facts.columns if c.startswith("minutes_")]
    epcis = epci_facts(facts) if facts["epci_nom"].astype(bool).any() else pd.DataFrame()
    links = "".join(
        f'<li><a href="#fiche-{escape(c)}">{escape(n)}</a></li>'
        for c, n in zip(facts["code"], facts["nom"], strict=True)
    )
    epci_links = "".join(
        f'<li><a href="#epci-{escape(str(c))}">{escape(str(n))}</a></li>'
        for c, n in zip(epcis.get("epci", []), epcis.get("epci_nom", []), strict=True)
    )
    parts = ['<div id="index" class="index">']
    if epci_links:
        parts.append(f"<h3>Intercommunalités (EPCI)</h3><ul class='links'>{epci_links}</ul>")
    parts.append(
        "<h3>Communes, par ordre alphabétique (numéros de la carte de repérage)</h3>"
        f"<ol class='links'>{links}</ol></div>"
    )
    parts += [_epci_fiche(r, year, facts[facts["epci"] == r["epci"]]) for _, r in epcis.iterrows()]
    parts += [
        _commune_fiche(r, year, by_code.get(r["code"], empty), professions)
        for _, r in facts.iterrows()
    ]
    return "\n".join(parts)
