"""The territorial diagnostic report: one self-contained HTML file, a GeoPackage and CSV tables.

:func:`verdict` distils a :class:`~accessmap.diagnostic.Diagnostic` into the one-page verdict an
elected official reads; :func:`figures` builds the offline plotly maps and charts;
:func:`render_html` fills the French template (plotly.js inlined once, no network needed to open
it); :func:`write_report` writes ``diagnostic.html``, ``diagnostic.gpkg`` (QGIS) and the CSV tables
atomically: every file is staged first and moved into place only when all of them are complete.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import geopandas as gpd
    import plotly.graph_objects as go

    from accessmap.diagnostic import Diagnostic

__all__ = [
    "ReportFiles",
    "Verdict",
    "figures",
    "fr",
    "geopackage_layers",
    "render_html",
    "tables",
    "verdict",
    "write_report",
]

NBSP = "\u202f"


def fr(value: float | int | None, digits: int = 0, *, percent: bool = False) -> str:
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
        The formatted number.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    number = float(value) * (100 if percent else 1)
    text = f"{number:,.{digits}f}".replace(",", NBSP).replace(".", ",")
    return f"{text}{NBSP}%" if percent else text


@dataclass(frozen=True, slots=True)
class Verdict:
    """The one-page verdict.

    Attributes
    ----------
    territory
        Territory title.
    population
        Inhabitants of the territory.
    communes
        Communes of the territory.
    pop_beyond_20, pop_beyond_30
        Inhabitants 20 (30) minutes or more from the nearest GP (``t >= T``).
    apl
        Territory APL (standardised-population-weighted).
    apl_label
        French reading of the APL against the national thresholds (2.5, 4).
    communes_apl_below, pop_apl_below
        Communes and inhabitants with APL < 2.5.
    gps_today
        GPs practising in the territory today.
    gone_5, gone_10
        Today's GPs expected to have stopped by +5 / +10 years (expected engine).
    year_5, year_10
        Those years.
    losing
        Communes expected to lose their last GP within 10 years: ``code``, ``nom``, ``year``
        (first year with probability ≥ 50 %), ``probability`` (Monte Carlo).
    best_options
        The three options that gain most: ``option``, ``gain_10`` (inhabitants newly within
        10 min), ``gain_apl``, ``new_sites``.
    method
        ``osm`` or ``crowfly``.
    illustrative_ages
        Whether GP ages were generated.
    """

    territory: str
    population: int
    communes: int
    pop_beyond_20: float
    pop_beyond_30: float
    apl: float
    apl_label: str
    communes_apl_below: int
    pop_apl_below: float
    gps_today: float
    gone_5: float
    gone_10: float
    year_5: int
    year_10: int
    losing: pd.DataFrame
    best_options: pd.DataFrame
    method: str
    illustrative_ages: bool


def _apl_label(value: float) -> str:
    if math.isnan(value):
        return "non calculé"
    if value < 2.5:
        return "sous le seuil de 2,5 : zone prioritaire"
    if value < 4:
        return "entre 2,5 et 4 : zone de vigilance"
    return "au-dessus de 4"


def verdict(diagnostic: Diagnostic) -> Verdict:
    """Distil a diagnostic into the figures of the one-page verdict.

    Parameters
    ----------
    diagnostic
        A computed diagnostic.

    Returns
    -------
    Verdict
        Inhabitants beyond 20/30 min, APL against the thresholds, departures at +5/+10 years,
        communes losing their last GP, the three best options.

    References
    ----------
    DREES, APL thresholds used by the ARS zoning (2.5 and 4 consultations per year).
    """
    from accessmap.territory import PRESETS

    d = diagnostic
    inside = d.indicators.communes[d.indicators.communes["in_territory"]]
    minutes = inside["nearest_minutes"].astype(float)
    population = inside["population"].astype(float)
    below = inside["apl"].astype(float) < 2.5
    work = d.outlook.workforce
    terr = work[(work["zone"] == "territory")]
    start = d.outlook.start_year

    def measure(name: str, year: int) -> float:
        row = terr[(terr["measure"] == name) & (terr["year"] == year)]
        return float(row["value"].iloc[0]) if len(row) else float("nan")

    today = measure("headcount_today", start)
    year_5, year_10 = start + 5, start + 10
    losing = _losing(d, until=year_10)
    name = d.inputs.territory.name
    title = PRESETS[name].title if name in PRESETS else name
    return Verdict(
        territory=title,
        population=int(population.sum()),
        communes=len(inside),
        pop_beyond_20=float(population[minutes >= 20].sum()),
        pop_beyond_30=float(population[minutes >= 30].sum()),
        apl=float(d.indicators.apl_territory),
        apl_label=_apl_label(float(d.indicators.apl_territory)),
        communes_apl_below=int(below.sum()),
        pop_apl_below=float(population[below].sum()),
        gps_today=today,
        gone_5=today - measure("headcount_today", year_5),
        gone_10=today - measure("headcount_today", year_10),
        year_5=year_5,
        year_10=year_10,
        losing=losing,
        best_options=_best_options(d.comparison),
        method=d.traveltimes.method,
        illustrative_ages=bool(d.outlook.illustrative_ages),
    )


def _losing(d: Diagnostic, *, until: int) -> pd.DataFrame:
    names = d.inputs.territory.communes.set_index("code")["nom"]
    losses = d.outlook.losses
    losses = losses[(losses["zone"] == "territory") & (losses["year"] <= until)]
    gone = losses[losses["p_without_gp"] >= 0.5].sort_values("year")
    first = gone.drop_duplicates("commune_code")
    mc = d.outlook_mc.losses.set_index(["commune_code", "year"])["p_without_gp"]
    rows = [
        {
            "code": code,
            "nom": str(names.get(code, code)),
            "year": int(year),
            "probability": float(mc.get((code, year), np.nan)),
        }
        for code, year in zip(first["commune_code"], first["year"], strict=True)
    ]
    return pd.DataFrame(rows, columns=["code", "nom", "year", "probability"])


def _best_options(comparison: pd.DataFrame, *, top: int = 3) -> pd.DataFrame:
    today = comparison[comparison["year"].isna()] if "year" in comparison else comparison
    if today.empty:
        return pd.DataFrame(columns=["option", "gain_10", "gain_apl", "new_sites"])
    base = today.iloc[0]
    others = today.iloc[1:].copy()
    others["gain_10"] = others["pop_within_10"] - base["pop_within_10"]
    others["gain_apl"] = others["apl_territory"] - base["apl_territory"]
    others["gain_mean"] = base["mean_minutes"] - others["mean_minutes"]
    ranked = others.sort_values(["gain_10", "gain_apl", "gain_mean"], ascending=False)
    return ranked.head(top)[["option", "gain_10", "gain_apl", "gain_mean", "new_sites"]]


# --- figures ---------------------------------------------------------------------------------


def _communes_layer(d: Diagnostic) -> gpd.GeoDataFrame:
    """Study-area communes with every indicator (and the published DREES APL)."""
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
        the territory APL), ``options`` (options side by side), ``carte_options`` (best option).
    """
    from accessmap import plots

    d = diagnostic
    layer = _communes_layer(d)
    inside = layer[layer["in_territory"]]
    outline = d.inputs.territory.communes
    sites = d.inputs.roster.sites
    study_sites = sites[sites["in_territory"]] if "in_territory" in sites else sites
    hover = {"population": "habitants", "apl": "APL", "nearest_minutes": "minutes"}
    method = "estimés à vol d'oiseau" if d.traveltimes.method == "crowfly" else "routiers (OSM)"
    out: dict[str, go.Figure] = {}
    out["temps"] = plots.commune_map(
        layer, "nearest_minutes",
        title=f"Temps d'accès au médecin généraliste le plus proche (temps {method})",
        bins=plots.MINUTES_BINS, labels=plots.MINUTES_LABELS, colors=plots.MINUTES_COLORS,
        hover=hover, outline=outline, sites=sites, sites_label="Cabinets et MSP",
    )  # fmt: skip
    bands = d.indicators.bands
    bands = bands[bands["population"] > 0] if (bands["population"] > 0).any() else bands
    out["bandes"] = plots.bar_chart(
        bands.assign(label=bands["band"].astype(str) + " min"),
        x="label", y="population", title="Habitants du territoire par temps d'accès",
        x_label="temps jusqu'au médecin le plus proche", y_label="habitants",
    )  # fmt: skip
    out["apl"] = plots.commune_map(
        inside, "apl",
        title="Accessibilité potentielle localisée (consultations par an et par habitant)",
        bins=plots.APL_BINS, labels=plots.APL_LABELS, colors=plots.APL_COLORS,
        hover={**hover, "apl_drees": "APL publié DREES", "apl_u65": "APL < 65 ans"},
        outline=outline, sites=study_sites, sites_label="Sites",
    )  # fmt: skip
    zones = d.isochrones.sort_values("minutes", ascending=False)
    fills = {30.0: "rgba(31,97,141,0.15)", 20.0: "rgba(31,97,141,0.3)", 10.0: "rgba(31,97,141,0.5)"}
    out["isochrones"] = plots.commune_map(
        inside.assign(none=np.nan), "none",
        title="Zones à moins de 10, 20 et 30 minutes des sites du territoire",
        bins=(0.0, 1.0), labels=("",), colors=("rgba(0,0,0,0)",),
        extra_layers=[
            (zones[zones["minutes"] == m], f"moins de {m:g} min", fills.get(float(m), fills[30.0]))
            for m in zones["minutes"]
        ],
        outline=outline, sites=study_sites, sites_label="Sites", missing_color="rgba(0,0,0,0)",
    )  # fmt: skip
    work = d.outlook.workforce
    terr = work[
        (work["zone"] == "territory") & work["measure"].isin(["headcount", "headcount_today"])
    ]
    out["effectifs"] = plots.line_chart(
        terr.assign(serie=terr["measure"].map(
            {"headcount": "médecins en exercice",
             "headcount_today": "médecins d'aujourd'hui encore en exercice"}
        )),
        x="year", y="value", color="serie",
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
    out["eventail"] = plots.fan_chart(
        fan, x="year", low="q10", mid="q50", high="q90", expected="expected",
        title=f"APL du territoire sans remplacement ({d.outlook_mc.runs} tirages Monte-Carlo)",
        x_label="année", y_label="APL",
    )  # fmt: skip
    comp = d.comparison.copy()
    comp["label"] = comp["option"].astype(str).str.slice(0, 60)
    out["options"] = plots.bar_chart(
        comp, x="label", y="apl_territory", title="APL du territoire selon l'option",
        x_label="", y_label="APL",
    )  # fmt: skip
    best = verdict(d).best_options
    if not best.empty:
        chosen = d.option_communes[d.option_communes["option"] == best.iloc[0]["option"]]
        new_codes = [s.strip() for s in str(best.iloc[0]["new_sites"]).split(",") if s.strip()]
        halls = d.inputs.territory.communes.set_index("code")
        new_sites = pd.DataFrame(
            {
                "lon": [halls.loc[c, "mairie_lon"] for c in new_codes if c in halls.index],
                "lat": [halls.loc[c, "mairie_lat"] for c in new_codes if c in halls.index],
                "name": [halls.loc[c, "nom"] for c in new_codes if c in halls.index],
                "kind": "nouveau site",
            }
        )
        mapped = inside.drop(columns=["nearest_minutes"]).merge(
            chosen[["id", "minutes"]].rename(columns={"id": "code", "minutes": "nearest_minutes"}),
            on="code", how="left",
        )  # fmt: skip
        out["carte_options"] = plots.commune_map(
            mapped, "nearest_minutes",
            title=f"Meilleure option : {best.iloc[0]['option']}",
            bins=plots.MINUTES_BINS, labels=plots.MINUTES_LABELS, colors=plots.MINUTES_COLORS,
            hover=hover, outline=outline, sites=new_sites, sites_label="Nouveaux sites",
        )  # fmt: skip
    return out


# --- tables and files ------------------------------------------------------------------------


def _provenance_table(d: Diagnostic) -> pd.DataFrame:
    """Every input file read, once (source, location, origin, vintage, sha256, time)."""
    return pd.DataFrame([s.as_record() for s in d.inputs.provenance]).drop_duplicates()


def tables(diagnostic: Diagnostic) -> dict[str, pd.DataFrame]:
    """Return the CSV tables of the report, keyed by file stem.

    Parameters
    ----------
    diagnostic
        A computed diagnostic.

    Returns
    -------
    dict
        ``communes``, ``bandes``, ``options``, ``options_communes``, ``effectifs``,
        ``acces_futur``, ``pertes``, ``drees`` (when available), ``sources``.
    """
    d = diagnostic
    layer = _communes_layer(d)
    out = {
        "communes": pd.DataFrame(layer.drop(columns="geometry")),
        "bandes": d.indicators.bands,
        "options": d.comparison,
        "options_communes": d.option_communes,
        "effectifs": d.outlook.workforce,
        "acces_futur": d.outlook_mc.access,
        "pertes": d.outlook_mc.losses,
        "sources": _provenance_table(d),
    }
    if d.drees is not None:
        out["drees"] = d.drees.table
    return out


def geopackage_layers(diagnostic: Diagnostic) -> dict[str, gpd.GeoDataFrame]:
    """Layers of ``diagnostic.gpkg``: communes, catchments, sites, candidates, chosen options.

    Parameters
    ----------
    diagnostic
        A computed diagnostic.

    Returns
    -------
    dict
        Layer name → GeoDataFrame (EPSG:4326).
    """
    import geopandas as gpd

    from accessmap.diagnostic import candidate_points

    d = diagnostic
    sites = d.inputs.roster.sites.copy()
    fte = d.inputs.roster.site_fte
    sites["fte"] = sites["site_id"].map(fte)
    candidates = candidate_points(d.inputs.territory)
    coords: dict[str, tuple[float, float]] = {
        str(i): (float(x), float(y))
        for frame, key in ((sites, "site_id"), (candidates, "id"))
        for i, x, y in zip(frame[key], frame["lon"], frame["lat"], strict=True)
    }
    chosen_rows = []
    for result in d.options_siting:
        for rank, site in enumerate(result.sites, start=1):
            lon, lat = coords[site]
            chosen_rows.append(
                {
                    "model": result.model,
                    "p": len(result.sites),
                    "rank": rank,
                    "site_id": site,
                    "status": result.status,
                    "objective": result.objective,
                    "lon": lon,
                    "lat": lat,
                }
            )
    chosen = pd.DataFrame(chosen_rows)

    def points(frame: pd.DataFrame) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
        )

    return {
        "communes": _communes_layer(d),
        "catchments": d.isochrones,
        "sites": points(sites),
        "candidates": points(candidates),
        "options": points(chosen),
    }


def render_html(diagnostic: Diagnostic) -> str:
    """Render the self-contained French HTML report.

    Parameters
    ----------
    diagnostic
        A computed diagnostic.

    Returns
    -------
    str
        A complete HTML document; plotly.js is inlined once, no network is needed to open it.
    """
    import jinja2
    import plotly.offline

    d = diagnostic
    figs = figures(d)
    config = {"displaylogo": False, "responsive": True}
    html_figs = {
        name: fig.to_html(
            full_html=False, include_plotlyjs=False, config=config, div_id=f"fig-{name}"
        )
        for name, fig in figs.items()
    }
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("accessmap", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["fr"] = fr
    template = env.get_template("diagnostic.html.j2")
    return template.render(
        d=d,
        v=verdict(d),
        figs=html_figs,
        plotlyjs=plotly.offline.get_plotlyjs(),
        tables=_html_tables(d),
        provenance=_provenance_table(d),
    )


def _html_tables(d: Diagnostic) -> dict[str, str]:
    comp = d.comparison
    columns = {
        "option": "option", "pop_within_10": "habitants < 10 min", "pop_within_20": "< 20 min",
        "mean_minutes": "temps moyen (min)", "max_minutes": "temps max. (min)",
        "apl_territory": "APL", "communes_apl_below": "communes APL < 2,5",
        "pop_apl_below": "habitants APL < 2,5", "communes_losing_last_gp": "communes sans médecin",
    }  # fmt: skip
    shown = comp[[c for c in columns if c in comp.columns]].rename(columns=columns)
    out = {"options": _table_html(shown)}
    inside = d.indicators.communes[d.indicators.communes["in_territory"]]
    names = d.inputs.territory.communes.set_index("code")["nom"]
    communes = inside.assign(nom=inside["id"].map(names))[
        ["id", "nom", "population", "nearest_minutes", "apl", "apl_u65", "apl_class"]
    ].sort_values("apl")
    out["communes"] = _table_html(
        communes.rename(
            columns={"id": "code", "population": "habitants", "nearest_minutes": "minutes",
                     "apl_u65": "APL < 65 ans", "apl_class": "classe", "apl": "APL"}
        )
    )  # fmt: skip
    if d.drees is not None:
        largest = d.drees.largest.assign(nom=d.drees.largest["id"].map(names))
        out["drees"] = _table_html(largest)
    siting_rows = [
        {
            "modèle": r.model,
            "sites": ", ".join(f"{s} ({names.get(s, s)})" for s in r.sites),
            "statut": r.status,
            "objectif": r.objective,
            "écart MIP": r.gap,
            "heuristique": r.heuristic_objective,
            "secondes": r.solve_seconds,
        }
        for r in d.options_siting
    ]
    out["siting"] = _table_html(pd.DataFrame(siting_rows))
    return out


def _table_html(frame: pd.DataFrame) -> str:
    def cell(value: Any) -> str:
        if isinstance(value, float | np.floating):
            number = float(value)
            return fr(number, 0 if abs(number) >= 100 else 2)
        if isinstance(value, int | np.integer) and not isinstance(value, bool):
            return fr(int(value))
        return "" if value is None else str(value)

    return frame.to_html(
        index=False,
        classes="table",
        border=0,
        formatters=dict.fromkeys(frame.columns, cell),
        na_rep="—",
    )


@dataclass(frozen=True, slots=True)
class ReportFiles:
    """What :func:`write_report` wrote.

    Attributes
    ----------
    html
        ``diagnostic.html``.
    geopackage
        ``diagnostic.gpkg``.
    csv
        CSV tables by stem.
    """

    html: Path
    geopackage: Path
    csv: Mapping[str, Path]


def write_report(diagnostic: Diagnostic, out_dir: Path | str) -> ReportFiles:
    """Write the HTML report, the GeoPackage and the CSV tables, atomically.

    Everything is written into a staging folder next to ``out_dir`` first; only when every file
    is complete are they moved into place, so a failed run never leaves a half-written report.

    Parameters
    ----------
    diagnostic
        A computed diagnostic.
    out_dir
        Destination folder (``reports/<territory>``), created when needed.

    Returns
    -------
    ReportFiles
        The paths written.
    """
    from accessmap.store import export_frame

    target = Path(out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    html = render_html(diagnostic)
    csvs = tables(diagnostic)
    layers = geopackage_layers(diagnostic)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}-staging-") as tmp:
        stage = Path(tmp)
        (stage / "diagnostic.html").write_text(html, encoding="utf-8")
        for name, layer in layers.items():
            export_frame(layer, stage / "diagnostic.gpkg", layer=name)
        (stage / "tables").mkdir()
        for stem, frame in csvs.items():
            frame.to_csv(stage / "tables" / f"{stem}.csv", index=False)
        target.mkdir(parents=True, exist_ok=True)
        (target / "tables").mkdir(exist_ok=True)
        moved: dict[str, Path] = {}
        for stem in csvs:
            moved[stem] = target / "tables" / f"{stem}.csv"
            shutil.move(stage / "tables" / f"{stem}.csv", moved[stem])
        shutil.move(stage / "diagnostic.gpkg", target / "diagnostic.gpkg")
        shutil.move(stage / "diagnostic.html", target / "diagnostic.html")
    return ReportFiles(
        html=target / "diagnostic.html", geopackage=target / "diagnostic.gpkg", csv=moved
    )
