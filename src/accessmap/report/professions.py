"""The report's section « Autres professions de santé »: maps, tables, GeoPackage layers.

One map per profession (time to the nearest practitioner, the same classes, extent, scale bar
and site markers as the GP map), a summary table whose caption carries the counting caveat
(« effectifs BPE 2019 comptés 1 ETP par professionnel »), the pôle table (professions at each
MSP, share of the territory reached within 15 / 30 minutes) and the communes losing two or more
professions in the outlook. Every text a reader sees is French. This module builds the frames,
figures and layers; :mod:`accessmap.report.professions_html` assembles the HTML section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from accessmap.labels import fmt_float, fmt_int, fmt_percent, format_value
from accessmap.professions import PROFESSIONS

if TYPE_CHECKING:
    import geopandas as gpd
    import plotly.graph_objects as go

    from accessmap.diagnostic import Diagnostic
    from accessmap.diagnostic.professions import ProfessionResult, ProfessionsResult

__all__ = [
    "POLE_ALIASES",
    "SECTION",
    "csv_headers",
    "losing_frame",
    "method_label",
    "pole_frames",
    "profession_aliases",
    "profession_figures",
    "profession_layers",
    "profession_styles",
    "profession_tables",
    "summary_frame",
]

#: Anchor and title of the section (table of contents).
SECTION: tuple[str, str] = ("professions", "Autres professions de santé")
_LAYER = "profession_{}"
#: French aliases of the ``pole`` layer's own fields.
POLE_ALIASES: dict[str, str] = {
    "professions_fr": "professions présentes (effectif)",
    "n_professions": "nombre de professions présentes",
    "name": "site du pôle",
}


#: French headers of the section's CSV tables (columns whose generic header would mislead).
_CSV_HEADERS: dict[str, str] = {
    "profession": "profession (clé)",
    "label": "profession",
    "source": "source des effectifs",
    "practitioners": "professionnels dans le territoire",
    "fte": "ETP",
    "indicator": "indicateur (moyenne pondérée par la population)",
    "unit": "unité de l'indicateur",
    "pop_beyond_20": "habitants à 20 min ou plus du plus proche",
    "pop_beyond_30": "habitants à 30 min ou plus du plus proche",
    "headcount_future": "effectif attendu sans remplacement",
    "future_year": "année de l'effectif attendu",
    "illustrative_ages": "âges illustratifs",
    "nearest_minutes": "temps jusqu'au professionnel le plus proche (min)",
    "value": "indicateur (APL en ETP pour 100 000 hab., ou minutes pour les pharmacies)",
    "name": "site du pôle",
    "headcount": "effectif",
    "minutes": "seuil (min, t < seuil)",
    "n_sites": "sites du pôle où la profession exerce",
    "population": "habitants",
    "share": "part des habitants du territoire",
    "n_professions": "professions perdues",
    "professions": "professions perdues (clés)",
    "p_min": "probabilité la plus faible",
    "year": "année",
}
_CSV_STEMS = (
    "professions_synthese", "professions_communes", "pole_sites", "pole_acces",
    "pertes_professions",
)  # fmt: skip


def csv_headers(stem: str) -> dict[str, str]:
    """French headers of one CSV table of the section (empty for the other tables).

    Parameters
    ----------
    stem
        File stem of the table (:func:`profession_tables`).

    Returns
    -------
    dict
        Column → French header, for :func:`accessmap.report.tables.write_french_csv`.
    """
    return dict(_CSV_HEADERS) if stem in _CSV_STEMS else {}


def _labels() -> dict[str, str]:
    """French plural noun of every registered profession (« infirmiers »)."""
    return {k: p.plural for k, p in PROFESSIONS.items()}


def _headings() -> dict[str, str]:
    """French heading of every registered profession (« Infirmiers »)."""
    return {k: p.label for k, p in PROFESSIONS.items()}


def method_label(d: Diagnostic) -> str:
    """Return how the travel times were computed, in French (« routiers (OSM) »...)."""
    return "estimés à vol d'oiseau" if d.traveltimes.method == "crowfly" else "routiers (OSM)"


def _value_label(result: ProfessionResult) -> str:
    if result.indicator == "nearest":
        return f"indicateur : {result.unit}"
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
    return {
        "nom": "commune",
        "nearest_minutes": f"{result.spec.plural} : temps jusqu'au plus proche (min)",
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


def _present(part: pd.DataFrame, labels: dict[str, str]) -> str:
    """Return « médecins généralistes (2), infirmiers (4) » for one pôle site."""
    return ", ".join(
        f"{labels.get(p, p)} ({fmt_int(n)})"
        for p, n in zip(part["profession"], part["headcount"], strict=True)
    )


def _pole_points(d: Diagnostic) -> gpd.GeoDataFrame | None:
    import geopandas as gpd

    pole = d.professions.pole
    if pole is None or pole.sites.empty:
        return None
    labels = _labels()
    names = d.inputs.territory.study_area.set_index("code")["nom"]
    sites = d.inputs.roster.sites
    lon = dict(zip(sites["site_id"].astype(str), sites["lon"].astype(float), strict=True))
    lat = dict(zip(sites["site_id"].astype(str), sites["lat"].astype(float), strict=True))
    rows = [
        {
            "site_id": site, "name": part["name"].iloc[0],
            "nom_commune": str(names.get(part["commune_code"].iloc[0], "")),
            "professions_fr": _present(part, labels), "n_professions": len(part),
            "lon": lon[str(site)], "lat": lat[str(site)],
        }
        for site, part in pole.sites.groupby("site_id", sort=True)
        if str(site) in lon
    ]  # fmt: skip
    frame = pd.DataFrame(rows)
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )


def profession_layers(d: Diagnostic) -> dict[str, gpd.GeoDataFrame]:
    """GeoPackage layers of the section: one per profession, and the pôle's sites.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    dict
        ``profession_<key>`` → study-area communes with the nearest time, its band and the
        indicator; ``pole`` → the pôle's sites with the professions working there (when the
        territory has MSPs). EPSG:4326; empty without the professions step.
    """
    out = {_LAYER.format(r.profession): _layer(d, r) for r in d.professions.others}
    points = _pole_points(d)
    if points is not None:
        out["pole"] = points
    return out


def profession_styles(
    layers: dict[str, pd.DataFrame], aliases: dict[str, dict[str, str]]
) -> list[Any]:
    """QGIS styles of the profession layers: nearest time, the classes of the GP map.

    Parameters
    ----------
    layers
        Every layer of the GeoPackage (only ``profession_*`` and ``pole`` are styled here).
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
    if "pole" in layers:
        fields = [str(c) for c in layers["pole"].columns if c != "geometry"]
        qml = qgis.marker_qml(color="#009E73", shape="diamond", size=4.5, fields=fields,
                              aliases={**POLE_ALIASES, **aliases["pole"]},
                              label_field="nom_commune")  # fmt: skip
        title = "Sites du pôle de santé et professions présentes"
        styles.append(qgis.LayerStyle(layer="pole", name=title, qml=qml, default=True,
                                      description=title))  # fmt: skip
    for name, frame in layers.items():
        if not name.startswith("profession_"):
            continue
        key = name.removeprefix("profession_")
        fields = [str(c) for c in frame.columns if c != "geometry"]
        qml = qgis.graduated_qml(
            "nearest_minutes", bins=MINUTES_BINS, labels=MINUTES_LABELS, colors=MINUTES_COLORS,
            fields=fields, aliases=aliases[name], label_field="nom",
        )  # fmt: skip
        title = f"Temps d'accès : {labels.get(key, key)}"
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

    outline = d.inputs.territory.communes
    extent = plots.map_extent(outline)
    out: dict[str, go.Figure] = {}
    for result in d.professions.others:
        sites = result.roster.sites
        staffed = set(result.roster.assignments["site_id"])
        sites = sites[sites["site_id"].isin(staffed)]
        counted = "BPE 2019, à la mairie" if result.source.startswith("BPE") else "fichier"
        out[_LAYER.format(result.profession)] = plots.commune_map(
            _layer(d, result), "nearest_minutes",
            title=f"{result.label} : temps d'accès au plus proche (temps {method_label(d)})",
            bins=plots.MINUTES_BINS, labels=plots.MINUTES_LABELS, colors=plots.MINUTES_COLORS,
            hover={"nearest_minutes": "temps jusqu'au plus proche (min)", "population": "habitants",
                   "value": _value_label(result)},
            outline=outline, sites=sites, sites_label=f"Lieux d'exercice ({counted})",
            extent=extent,
        )  # fmt: skip
    return out


def summary_frame(p: ProfessionsResult) -> pd.DataFrame:
    """Return the summary table as a reader sees it (French headers, French numbers).

    Parameters
    ----------
    p
        The professions of a diagnostic.

    Returns
    -------
    pandas.DataFrame
        One row per profession beyond the primary one.
    """
    rows = []
    for r in p.others_summary.to_dict("records"):
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


def pole_frames(d: Diagnostic) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the pôle tables as a reader sees them: professions per site, reach per profession.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    tuple of pandas.DataFrame
        Both empty when the territory has no MSP (or without the professions step).
    """
    labels, headings = _labels(), _headings()
    pole = d.professions.pole
    if pole is None:
        return pd.DataFrame(), pd.DataFrame()
    names = d.inputs.territory.study_area.set_index("code")["nom"]
    sites = [
        {
            "site du pôle": name,
            "commune": str(names.get(code, code)),
            "professions présentes (effectif)": _present(part, labels),
        }
        for (name, code), part in pole.sites.groupby(["name", "commune_code"], sort=True)
    ]
    wide = pole.wide()
    reach = pd.DataFrame({
        "profession": [headings.get(p, p) for p in wide["profession"]],
        "sites du pôle où elle exerce": [fmt_int(n) for n in wide["n_sites"]],
        **{
            f"part des habitants à moins de {c.removeprefix('share_within_')} min":
                [fmt_percent(v) for v in wide[c]]
            for c in wide.columns if str(c).startswith("share_within_")
        },
    })  # fmt: skip
    return pd.DataFrame(sites), reach


def losing_frame(d: Diagnostic) -> pd.DataFrame:
    """Return the communes losing two or more professions as a reader sees them.

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    pandas.DataFrame
        French headers; empty when no commune qualifies.
    """
    p = d.professions
    if p.losing.empty:
        return pd.DataFrame()
    labels = _labels()
    names = d.inputs.territory.study_area.set_index("code")["nom"]
    return pd.DataFrame({
        "code INSEE": p.losing["commune_code"],
        "commune": p.losing["commune_code"].map(names),
        "dans le territoire": [format_value("", z == "territory") for z in p.losing["zone"]],
        "professions perdues à moins de 30 min": [
            ", ".join(labels.get(k.strip(), k.strip()) for k in str(s).split(","))
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
    if not p.others:
        return {}
    names = d.inputs.territory.study_area.set_index("code")["nom"]
    communes = pd.concat([r.communes for r in p.others], ignore_index=True)
    out = {
        "professions_synthese": p.others_summary,
        "professions_communes": communes.assign(nom=communes["id"].map(names)),
        "pertes_professions": p.losing.assign(nom=p.losing["commune_code"].map(names))
        if not p.losing.empty else pd.DataFrame(columns=["commune_code", "nom"]),
    }  # fmt: skip
    if p.pole is not None:
        out["pole_sites"] = p.pole.sites
        out["pole_acces"] = p.pole.reach
    return out
