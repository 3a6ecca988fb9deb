"""The report's section « Autres professions de santé »: maps, tables, GeoPackage layers.

One map per profession (time to the nearest practitioner, the same classes, extent, scale bar
and site markers as the GP map), a summary table whose caption carries the counting caveat
(« effectifs BPE 2019 comptés 1 ETP par professionnel »), the pôle table (professions at each
MSP, share of the territory reached within 15 / 30 minutes) and the communes losing two or more
professions in the outlook. Every text a reader sees is French.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import pandas as pd

from accessmap.labels import fmt_float, fmt_int, fmt_percent, format_value

if TYPE_CHECKING:
    import geopandas as gpd
    import plotly.graph_objects as go

    from accessmap.diagnostic import Diagnostic
    from accessmap.diagnostic.professions import ProfessionResult, ProfessionsResult

__all__ = [
    "SECTION",
    "profession_aliases",
    "profession_figures",
    "profession_layers",
    "profession_styles",
    "profession_tables",
    "section_html",
]

#: Anchor and title of the section (table of contents).
SECTION: tuple[str, str] = ("professions", "Autres professions de santé")
_LAYER = "profession_{}"
_LEAD = (
    "Les médecins ne sont pas seuls : infirmiers, masseurs-kinésithérapeutes, sages-femmes, "
    "chirurgiens-dentistes et pharmacies font le premier recours. Pour chaque profession : le "
    "temps jusqu'au professionnel le plus proche depuis la mairie de chaque commune, et un "
    "indicateur d'accessibilité (APL en équivalents temps plein pour 100 000 habitants, méthode "
    "DREES, ou temps jusqu'à la pharmacie la plus proche). Sans fichier du territoire, les "
    "effectifs sont ceux de la base permanente des équipements de l'INSEE (2019), {caveat}, "
    "placés à la mairie de leur commune ; leurs âges, pour les projections, sont illustratifs."
)
_GP = "generaliste"


def _labels() -> dict[str, str]:
    from accessmap.indicators import PROFESSIONS

    return {k: p.label for k, p in PROFESSIONS.items()}


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]


def _method(d: Diagnostic) -> str:
    return "estimés à vol d'oiseau" if d.traveltimes.method == "crowfly" else "routiers (OSM)"


def _value_label(result: ProfessionResult) -> str:
    if result.indicator == "nearest":
        return "temps jusqu'à la plus proche (min)"
    return f"APL ({result.unit})"


def profession_aliases(result: ProfessionResult) -> dict[str, str]:
    """French aliases of a profession layer's fields (with units).

    Parameters
    ----------
    result
        One profession of the diagnostic.

    Returns
    -------
    dict
        Field → French alias.
    """
    who = _lower(result.label)
    return {
        "nom": "commune",
        "nearest_minutes": f"temps jusqu'aux {who} les plus proches (min)",
        "band": "tranche de temps",
        "value": _value_label(result),
        "source": "source des effectifs",
        "profession": "profession",
    }


def _layer(d: Diagnostic, result: ProfessionResult) -> gpd.GeoDataFrame:
    study = d.inputs.territory.study_area[["code", "nom", "population", "in_territory", "geometry"]]
    table = result.communes.rename(columns={"id": "code"})[
        ["code", "profession", "nearest_minutes", "band", "value"]
    ]
    layer = study.merge(table, on="code", how="left")
    layer["source"] = result.source
    return layer


def profession_layers(d: Diagnostic) -> dict[str, gpd.GeoDataFrame]:
    """One GeoPackage layer per profession: study-area communes with time, band and indicator.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    dict
        ``profession_<key>`` → GeoDataFrame (EPSG:4326); empty without the professions step.
    """
    if d.professions is None:
        return {}
    return {_LAYER.format(r.profession): _layer(d, r) for r in d.professions.professions}


def profession_styles(
    layers: dict[str, pd.DataFrame], aliases: dict[str, dict[str, str]]
) -> list[Any]:
    """QGIS styles of the profession layers: nearest time, the classes of the GP map.

    Parameters
    ----------
    layers
        Every layer of the GeoPackage (only ``profession_*`` ones are styled here).
    aliases
        French aliases per layer.

    Returns
    -------
    list of accessmap.report.qgis.LayerStyle
    """
    from accessmap.plots import MINUTES_COLORS, MINUTES_LABELS
    from accessmap.plots._style import MINUTES_BINS
    from accessmap.report import qgis

    labels = _labels()
    styles = []
    for name, frame in layers.items():
        if not name.startswith("profession_"):
            continue
        key = name.removeprefix("profession_")
        fields = [str(c) for c in frame.columns if c != "geometry"]
        qml = qgis.graduated_qml(
            "nearest_minutes", bins=MINUTES_BINS, labels=MINUTES_LABELS, colors=MINUTES_COLORS,
            fields=fields, aliases=aliases[name], label_field="nom",
        )  # fmt: skip
        title = f"Temps d'accès : {_lower(labels.get(key, key))}"
        styles.append(qgis.LayerStyle(layer=name, name=title, qml=qml, default=True,
                                      description=f"{title} (le plus proche)"))  # fmt: skip
    return styles


def profession_figures(d: Diagnostic) -> dict[str, go.Figure]:
    """One map per profession: time to the nearest practitioner, its sites, the GP map's rules.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    dict
        ``profession_<key>`` → figure; empty without the professions step.
    """
    from accessmap import plots

    if d.professions is None:
        return {}
    outline = d.inputs.territory.communes
    extent = plots.map_extent(outline)
    out: dict[str, go.Figure] = {}
    for result in d.professions.professions:
        who = _lower(result.label)
        sites = result.roster.sites
        staffed = set(result.roster.assignments["site_id"])
        sites = sites[sites["site_id"].isin(staffed)]
        counted = "BPE 2019, à la mairie" if result.source.startswith("BPE") else "fichier"
        out[_LAYER.format(result.profession)] = plots.commune_map(
            _layer(d, result), "nearest_minutes",
            title=f"Temps d'accès aux {who} les plus proches (temps {_method(d)})",
            bins=plots.MINUTES_BINS, labels=plots.MINUTES_LABELS, colors=plots.MINUTES_COLORS,
            hover={"nearest_minutes": f"temps jusqu'aux {who} (min)", "population": "habitants",
                   "value": _value_label(result)},
            outline=outline, sites=sites, sites_label=f"Lieux d'exercice ({counted})",
            extent=extent,
        )  # fmt: skip
    return out


def _summary(p: ProfessionsResult) -> pd.DataFrame:
    rows = []
    for r in p.summary.to_dict("records"):
        unit = str(r["unit"])
        digits = 1 if "minutes" in unit else 0
        projected = bool(pd.notna(r["headcount_future"]))
        ages = "illustratifs" if r["illustrative_ages"] else ("du fichier" if projected else "—")
        rows.append({
            "profession": r["label"],
            "source des effectifs": r["source"],
            "professionnels dans le territoire": fmt_int(r["practitioners"]),
            "ETP": fmt_float(r["fte"], 1),
            "indicateur (moyenne pondérée par la population)": fmt_float(r["indicator"], digits),
            "unité": unit,
            "habitants à 20 min ou plus": fmt_int(r["pop_beyond_20"]),
            "habitants à 30 min ou plus": fmt_int(r["pop_beyond_30"]),
            "effectif attendu dans 10 ans, sans remplacement": (
                f"{fmt_float(r['headcount_future'], 1)} en {int(float(r['future_year']))}"
                if projected else "non projeté"
            ),
            "âges": ages,
        })  # fmt: skip
    return pd.DataFrame(rows)


def _pole_tables(d: Diagnostic) -> tuple[pd.DataFrame, pd.DataFrame]:
    labels = _labels()
    pole = d.professions.pole if d.professions is not None else None
    if pole is None:
        return pd.DataFrame(), pd.DataFrame()
    names = d.inputs.territory.study_area.set_index("code")["nom"]
    sites = [
        {
            "site du pôle": name,
            "commune": str(names.get(code, code)),
            "professions présentes (effectif)": ", ".join(
                f"{_lower(labels.get(p, p))} ({fmt_int(n)})"
                for p, n in zip(part["profession"], part["headcount"], strict=True)
            ),
        }
        for (name, code), part in pole.sites.groupby(["name", "commune_code"], sort=True)
    ]
    wide = pole.wide()
    reach = pd.DataFrame({
        "profession": [labels.get(p, p) for p in wide["profession"]],
        "sites du pôle où elle exerce": [fmt_int(n) for n in wide["n_sites"]],
        **{
            f"part des habitants à moins de {c.removeprefix('share_within_')} min":
                [fmt_percent(v) for v in wide[c]]
            for c in wide.columns if str(c).startswith("share_within_")
        },
    })  # fmt: skip
    return pd.DataFrame(sites), reach


def _losing(d: Diagnostic) -> pd.DataFrame:
    p = d.professions
    if p is None or p.losing.empty:
        return pd.DataFrame()
    labels = _labels()
    names = d.inputs.territory.study_area.set_index("code")["nom"]
    return pd.DataFrame({
        "code INSEE": p.losing["commune_code"],
        "commune": p.losing["commune_code"].map(names),
        "dans le territoire": [format_value("", z == "territory") for z in p.losing["zone"]],
        "professions perdues à moins de 30 min": [
            ", ".join(_lower(labels.get(k.strip(), k.strip())) for k in str(s).split(","))
            for s in p.losing["professions"]
        ],
        "probabilité (la plus faible)": [fmt_percent(v) for v in p.losing["p_min"]],
        "année": [str(int(y)) for y in p.losing["year"]],
    })  # fmt: skip


def profession_tables(d: Diagnostic) -> dict[str, pd.DataFrame]:
    """CSV tables of the section (machine names; the French CSVs translate the headers).

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    dict
        ``professions_synthese``, ``professions_communes`` (long format, every profession),
        ``pole_sites``, ``pole_acces`` (when the territory has MSPs) and ``pertes_professions``;
        empty without the professions step.
    """
    p = d.professions
    if p is None or not p.professions:
        return {}
    names = d.inputs.territory.study_area.set_index("code")["nom"]
    communes = pd.concat([r.communes for r in p.professions], ignore_index=True)
    out = {
        "professions_synthese": p.summary,
        "professions_communes": communes.assign(nom=communes["id"].map(names)),
        "pertes_professions": p.losing.assign(nom=p.losing["commune_code"].map(names))
        if not p.losing.empty else pd.DataFrame(columns=["commune_code", "nom"]),
    }  # fmt: skip
    if p.pole is not None:
        out["pole_sites"] = p.pole.sites
        out["pole_acces"] = p.pole.reach
    return out


def _table(frame: pd.DataFrame, caption: str = "") -> str:
    from accessmap.report.tables import table_html

    html = table_html(frame)
    if caption:
        html = html.replace(
            '<table class="table">', f'<table class="table"><caption>{escape(caption, quote=False)}</caption>', 1
        )
    return f'<div class="scroll">{html}</div>'


def section_html(d: Diagnostic, figures: dict[str, str]) -> str:
    """Return the French HTML of the section « Autres professions de santé ».

    Parameters
    ----------
    d
        A computed diagnostic.
    figures
        HTML of the figures by name (``profession_<key>``, see :func:`profession_figures`).

    Returns
    -------
    str
        ``<h2 id="professions">`` then an explanatory paragraph, the summary table, one map per
        profession, the pôle tables and the communes losing several professions; empty without
        the professions step.
    """
    from accessmap.diagnostic.professions import COUNTING_CAVEAT

    p = d.professions
    if p is None:
        return ""
    anchor, title = SECTION
    parts = [
        f'<h2 id="{anchor}">{escape(title)}</h2>',
        f'<p class="lead">{escape(_LEAD.format(caveat=COUNTING_CAVEAT), quote=False)}</p>',
    ]
    parts += [f'<p class="sub">· {escape(n, quote=False)}</p>' for n in p.notes]
    if not p.professions:
        parts.append("<p>Aucune autre profession n'a pu être calculée.</p>")
        return "\n".join(parts)
    parts.append("<h3>Synthèse par profession</h3>")
    parts.append(
        _table(_summary(p), caption=f"Estimation : {COUNTING_CAVEAT} ; temps {_method(d)}.")
    )
    parts += [
        f'<div class="figure">{figures[k]}</div>' for k in figures if k.startswith("profession_")
    ]
    sites, reach = _pole_tables(d)
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
    losing = _losing(d)
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
