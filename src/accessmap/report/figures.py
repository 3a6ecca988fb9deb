"""Every figure of the report: maps with one extent, sites, names and scale; French charts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from accessmap.conventions import APL_PRIORITY, APL_SECONDARY, ISOCHRONE_BANDS
from accessmap.labels import band_label, fmt_int

if TYPE_CHECKING:
    import geopandas as gpd
    import plotly.graph_objects as go

    from accessmap.diagnostic import Diagnostic
    from accessmap.diagnostic.professions import ProfessionResult

#: Reference lines of every APL chart: the DREES thresholds.
APL_REFERENCE: dict[float, str] = {
    APL_PRIORITY: "2,5 : zone prioritaire",
    APL_SECONDARY: "4 : seuil de vigilance",
}
_HOVER = {"population": "habitants", "apl": "APL", "nearest_minutes": "temps (min)"}


def communes_layer(d: Diagnostic) -> gpd.GeoDataFrame:
    """Study-area communes with every indicator (and the published DREES APL).

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    geopandas.GeoDataFrame
        The study area's columns, the indicators, ``apl_drees``/``apl_u65_drees`` when known and
        ``p_sans_mg_<year>`` (Monte Carlo probability of no GP at +10 years).
    """
    study = d.inputs.territory.study_area
    ind = d.indicators.communes.rename(columns={"id": "code"}).drop(
        columns=["in_territory", "population"], errors="ignore"
    )
    layer = study.merge(ind, on="code", how="left")
    if d.drees is not None:
        drees = d.drees.table.rename(columns={"id": "code"})[["code", "apl_drees", "apl_u65_drees"]]
        layer = layer.merge(drees, on="code", how="left")
    year_10 = d.outlook.start_year + 10
    losses = d.outlook_mc.losses
    p10 = losses[losses["year"] == year_10].set_index("commune_code")["p_without_gp"]
    layer[f"p_sans_mg_{year_10}"] = layer["code"].map(p10)
    return layer


def _new_sites(d: Diagnostic, codes: list[str]) -> pd.DataFrame:
    halls = d.inputs.territory.communes.set_index("code")
    known = [c for c in codes if c in halls.index]
    return pd.DataFrame(
        {
            "lon": [halls.loc[c, "mairie_lon"] for c in known],
            "lat": [halls.loc[c, "mairie_lat"] for c in known],
            "name": [halls.loc[c, "nom"] for c in known],
            "kind": "candidate",
        }
    )


def option_maps(d: Diagnostic, inside: gpd.GeoDataFrame) -> dict[str, go.Figure]:
    """One before/after map per option of today: the communes that gain, the sites it adds.

    Parameters
    ----------
    d
        A computed diagnostic.
    inside
        The territory's communes with their indicators (:func:`communes_layer`).

    Returns
    -------
    dict
        ``option_1``, ``option_2``... in the comparison's order.
    """
    from accessmap import plots

    comp = d.comparison
    today = comp[comp["year"].isna()] if "year" in comp else comp
    per = d.option_communes
    base = per[per["option"] == today["option"].iloc[0]][["id", "minutes", "apl"]]
    base = base.rename(columns={"id": "code", "minutes": "minutes_before", "apl": "apl_before"})
    outline = d.inputs.territory.communes
    out: dict[str, go.Figure] = {}
    for i, row in enumerate(today.iloc[1:].itertuples(index=False), start=1):
        after = per[per["option"] == row.option][["id", "minutes", "apl"]].rename(
            columns={"id": "code", "minutes": "minutes_after", "apl": "apl_after"}
        )
        frame = inside.merge(base, on="code", how="left").merge(after, on="code", how="left")
        codes = [c.strip() for c in str(row.new_sites).split(",") if c.strip()]
        out[f"option_{i}"] = plots.gain_map(
            frame, before="minutes_before", after="minutes_after",
            title=f"Avant / après : {row.option}", outline=outline, sites=d.inputs.roster.sites,
            new_sites=_new_sites(d, codes),
            hover={"population": "habitants", "apl_before": "APL avant",
                   "apl_after": "APL après"},
        )  # fmt: skip
    return out


def figures(diagnostic: Diagnostic) -> dict[str, go.Figure]:
    """Every figure of the report, keyed by name.

    Parameters
    ----------
    diagnostic
        A computed diagnostic.

    Returns
    -------
    dict
        ``temps`` (nearest-GP map), ``bandes`` (population by band), ``apl`` (APL map),
        ``isochrones``, ``effectifs`` (GPs year by year), ``eventail`` (Monte Carlo fan chart of
        the territory APL), ``options`` (options side by side), ``option_1``... (before/after
        map of each option), ``profession_<key>`` (nearest-time map of each other health
        profession, when computed). Every map has the same extent (the territory plus a margin), the
        existing sites, the names of the main bourgs and a scale bar.
    """
    from accessmap import plots

    d = diagnostic
    layer = communes_layer(d)
    inside = layer[layer["in_territory"]]
    outline = d.inputs.territory.communes
    sites = d.inputs.roster.sites
    method = "estimés à vol d'oiseau" if d.traveltimes.method == "crowfly" else "routiers (OSM)"
    common = {"outline": outline, "sites": sites, "extent": plots.map_extent(outline)}
    out: dict[str, go.Figure] = {}
    out["temps"] = plots.commune_map(
        layer, "nearest_minutes",
        title=f"Temps d'accès au médecin généraliste le plus proche (temps {method})",
        bins=plots.MINUTES_BINS, labels=plots.MINUTES_LABELS, colors=plots.MINUTES_COLORS,
        hover=_HOVER, **common,
    )  # fmt: skip
    bands = d.indicators.bands
    bands = bands[bands["population"] > 0] if (bands["population"] > 0).any() else bands
    out["bandes"] = plots.bar_chart(
        bands.assign(label=bands["band"].map(band_label)),
        x="label", y="population", title="Habitants du territoire par temps d'accès",
        x_label="temps jusqu'au médecin le plus proche", y_label="habitants",
    )  # fmt: skip
    out["apl"] = plots.commune_map(
        inside, "apl",
        title="Accessibilité potentielle localisée (consultations par an et par habitant)",
        bins=plots.APL_BINS, labels=plots.APL_LABELS, colors=plots.APL_COLORS,
        hover={**_HOVER, "apl_drees": "APL publié DREES", "apl_u65": "APL < 65 ans"}, **common,
    )  # fmt: skip
    out["isochrones"] = _isochrones(d, inside, common)
    out["effectifs"], out["eventail"] = _outlook_charts(d)
    out["options"] = _options_chart(d)
    out.update(option_maps(d, inside))
    out.update(profession_figures(d))
    return out


def _isochrones(d: Diagnostic, inside: gpd.GeoDataFrame, common: dict[str, object]) -> go.Figure:
    from accessmap import plots

    zones = d.isochrones.sort_values("minutes", ascending=False)
    shades = ("rgba(8,104,172,0.55)", "rgba(67,162,202,0.4)", "rgba(123,204,196,0.3)")
    fills = {float(m): shades[min(i, 2)] for i, m in enumerate(sorted(ISOCHRONE_BANDS))}
    layers = [
        (zones[zones["minutes"] == m], f"moins de {fmt_int(m)} min d'un site",
         fills.get(float(m), shades[-1]))
        for m in zones["minutes"]
    ]  # fmt: skip
    return plots.commune_map(
        inside.assign(none=np.nan), "none",
        title="Zones à moins de 10, 20 et 30 minutes des sites de médecins",
        bins=(0.0, 1.0), labels=("",), colors=("rgba(0,0,0,0)",), extra_layers=layers,
        missing_color="rgba(0,0,0,0)", missing_label="commune du territoire",
        hover=_HOVER, **common,  # type: ignore[arg-type]
    )  # fmt: skip


def _outlook_charts(d: Diagnostic) -> tuple[go.Figure, go.Figure]:
    from accessmap import plots

    work = d.outlook.workforce
    terr = work[
        (work["zone"] == "territory") & work["measure"].isin(["headcount", "headcount_today"])
    ]
    lines = plots.line_chart(
        terr, x="year", y="value", color="measure",
        title="Médecins généralistes du territoire, année par année (espérance)",
        x_label="année", y_label="médecins", dash_after=d.outlook.start_year,
    )  # fmt: skip
    access = d.outlook_mc.access
    apl_mc = access[(access["zone"] == "territory") & (access["measure"] == "apl_mean")]
    expected = d.outlook.access
    expected = expected[(expected["zone"] == "territory") & (expected["measure"] == "apl_mean")]
    fan = apl_mc.merge(
        expected[["year", "value"]].rename(columns={"value": "expected"}), on="year", how="left"
    )
    runs = fmt_int(d.outlook_mc.runs)
    fan_fig = plots.fan_chart(
        fan, x="year", low="q10", mid="q50", high="q90", expected="expected",
        title=f"APL du territoire sans remplacement des départs ({runs} tirages Monte-Carlo)",
        x_label="année", y_label="APL (consultations/an/hab.)", reference=APL_REFERENCE,
    )  # fmt: skip
    return lines, fan_fig


def _options_chart(d: Diagnostic) -> go.Figure:
    from accessmap import plots

    comp = d.comparison.copy()
    future = comp["year"].notna() if "year" in comp else pd.Series(data=False, index=comp.index)
    colors = ["#E69F00" if f else "#0072B2" for f in future]
    year = d.outlook.start_year + 10
    return plots.bar_chart(
        comp, x="option", y="apl_territory",
        title=f"APL du territoire selon l'option : aujourd'hui (bleu) et en {year} (orange)",
        x_label="", y_label="APL (consultations/an/hab.)", decimals=2, horizontal=True,
        reference=APL_REFERENCE, colors=colors,
    )  # fmt: skip


# --- every profession beyond the primary one: the same map for each ---------------------------

#: Name of a profession's map and GeoPackage layer.
PROFESSION_LAYER = "profession_{}"


def method_label(d: Diagnostic) -> str:
    """Return how the travel times were computed, in French (« routiers (OSM) »...)."""
    return "estimés à vol d'oiseau" if d.traveltimes.method == "crowfly" else "routiers (OSM)"


def value_label(result: ProfessionResult) -> str:
    """Return the French name of a profession's indicator with its unit."""
    if result.indicator == "nearest":
        return f"indicateur : {result.unit}"
    return f"APL ({result.unit})"


def profession_layer(d: Diagnostic, result: ProfessionResult) -> gpd.GeoDataFrame:
    """Return the study-area communes with one profession's nearest time, band and indicator.

    Parameters
    ----------
    d
        A computed diagnostic.
    result
        One of its professions.

    Returns
    -------
    geopandas.GeoDataFrame
        ``code, nom, population, in_territory, profession, nearest_minutes, band, value, source``.
    """
    study = d.inputs.territory.study_area[["code", "nom", "population", "in_territory", "geometry"]]
    table = result.communes.rename(columns={"id": "code"})[
        ["code", "profession", "nearest_minutes", "band", "value"]
    ]
    layer = study.merge(table, on="code", how="left")
    layer["source"] = result.source
    return layer


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
        out[PROFESSION_LAYER.format(result.profession)] = plots.commune_map(
            profession_layer(d, result), "nearest_minutes",
            title=f"{result.label} : temps d'accès au plus proche (temps {method_label(d)})",
            bins=plots.MINUTES_BINS, labels=plots.MINUTES_LABELS, colors=plots.MINUTES_COLORS,
            hover={"nearest_minutes": "temps jusqu'au plus proche (min)", "population": "habitants",
                   "value": value_label(result)},
            outline=outline, sites=sites, sites_label=f"Lieux d'exercice ({counted})",
            extent=extent,
        )  # fmt: skip
    return out
