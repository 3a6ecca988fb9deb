"""Every figure of the report: maps with one extent, sites, names and scale; French charts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

from accessmap.conventions import APL_PRIORITY, APL_SECONDARY, ISOCHRONE_BANDS
from accessmap.labels import band_label, fmt_int
from accessmap.report.fiches import alphabetical

if TYPE_CHECKING:
    import geopandas as gpd
    import plotly.graph_objects as go

    from accessmap.diagnostic import Diagnostic
    from accessmap.diagnostic.professions import ProfessionResult
    from accessmap.plots._spec import FigureSpec

_Fig = TypeVar("_Fig", "go.Figure", "FigureSpec")

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


#: Second line of the title of every option map (what its colours and numbers say).
OPTION_MAP_SUBTITLE = "temps gagné (couleurs), APL modélisé gagné (chiffres)"


def sites_with_fte(d: Diagnostic) -> pd.DataFrame:
    """Return the GP sites with ``fte``: the full-time equivalents practising there (0: none).

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    pandas.DataFrame
        The roster's sites and a column ``fte`` (an MSP without a GP has 0).
    """
    roster = d.inputs.roster
    fte = roster.assignments.merge(
        roster.practitioners[["practitioner_id", "fte"]], on="practitioner_id", how="left"
    )
    per_site = (fte["share"] * fte["fte"].fillna(0.0)).groupby(fte["site_id"]).sum()
    return roster.sites.assign(fte=roster.sites["site_id"].map(per_site).fillna(0.0).to_numpy())


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
    from accessmap.plots._spec import as_figure

    return {name: as_figure(spec) for name, spec in option_map_specs(d, inside).items()}


def option_map_specs(d: Diagnostic, inside: gpd.GeoDataFrame) -> dict[str, FigureSpec]:
    """Return :func:`option_maps` as figure specs (plain dicts, :mod:`accessmap.plots._spec`).

    Parameters
    ----------
    d
        A computed diagnostic.
    inside
        The territory's communes with their indicators (:func:`communes_layer`).

    Returns
    -------
    dict
        ``option_1``, ``option_2``... figure specs, in the comparison's order.
    """
    from accessmap.plots.maps import gain_map_spec

    comp = d.comparison
    today = comp[comp["year"].isna()] if "year" in comp else comp
    # only the columns the maps read: splitting the table by option copies every column
    per = d.option_communes[["option", "id", "minutes", "apl"]]
    territory = d.inputs.territory
    outline = territory.outline if territory.outline is not None else territory.communes
    sites = sites_with_fte(d)
    by_option: dict[Any, pd.DataFrame] = dict(list(per.groupby("option", sort=False)))
    frame = _with_option(inside, by_option[today["option"].iloc[0]], "before")
    out: dict[str, FigureSpec] = {}
    for i, row in enumerate(today.iloc[1:].itertuples(index=False), start=1):
        frame = _with_option(frame, by_option[row.option], "after")
        codes = [c.strip() for c in str(row.new_sites).split(",") if c.strip()]
        out[f"option_{i}"] = gain_map_spec(
            frame, before="minutes_before", after="minutes_after",
            title=f"{row.option}<br><sup>{OPTION_MAP_SUBTITLE}</sup>",
            outline=outline, sites=sites, apl=("apl_before", "apl_after"),
            new_sites=_new_sites(d, codes),
            hover={"population": "habitants", "apl_before": "APL modélisé avant",
                   "apl_after": "APL modélisé après"},
        )  # fmt: skip
    return out


def _with_option(frame: gpd.GeoDataFrame, rows: pd.DataFrame, when: str) -> gpd.GeoDataFrame:
    """Return ``frame`` with an option's ``minutes_<when>`` and ``apl_<when>`` by commune."""
    values = rows.drop_duplicates("id", keep=False).set_index("id")
    if len(values) < len(rows):  # a commune listed twice: the rows of a merge
        columns = {"id": "code", "minutes": f"minutes_{when}", "apl": f"apl_{when}"}
        extra = rows[["id", "minutes", "apl"]].rename(columns=columns)
        kept = frame.drop(columns=[f"minutes_{when}", f"apl_{when}"], errors="ignore")
        return kept.merge(extra, on="code", how="left")
    code = frame["code"]
    return frame.assign(
        **{f"minutes_{when}": code.map(values["minutes"]), f"apl_{when}": code.map(values["apl"])}
    )


def figures(diagnostic: Diagnostic) -> dict[str, go.Figure]:
    """Every figure of the report, keyed by name.

    Parameters
    ----------
    diagnostic
        A computed diagnostic.

    Returns
    -------
    dict
        ``temps`` (nearest-GP map), ``bandes`` (population by band), ``apl_publie`` (the
        published APL, when read), ``apl`` (modelled APL map), ``isochrones``, ``reperage``
        (every commune numbered as in the index of the fiches), ``effectifs`` (GPs year by
        year), ``eventail`` (Monte Carlo fan chart of the territory APL), ``options`` (options
        side by side), ``option_1``... (time and APL gained with each option),
        ``profession_<key>`` (nearest-time map of each other health profession, when
        computed). Every map has the same extent (the territory plus a margin), the
        existing sites, the names of the main bourgs and a scale bar.
    """
    from accessmap.plots._spec import as_figure

    return {name: as_figure(spec) for name, spec in figure_specs(diagnostic).items()}


def figure_specs(diagnostic: Diagnostic) -> dict[str, FigureSpec]:
    """Return :func:`figures` as figure specs (plain dicts): the maps and the charts.

    The report writes the specs without plotly's validation (:func:`accessmap.plots._spec.
    spec_html`), in the same characters as the validated figures.

    Parameters
    ----------
    diagnostic
        A computed diagnostic.

    Returns
    -------
    dict
        The figures of :func:`figures`, lightened (:func:`lighten`), by name.
    """
    from accessmap import plots
    from accessmap.plots.charts import bar_chart_spec
    from accessmap.plots.maps import commune_map_spec, forget_formatted, key_map_spec

    forget_formatted()  # the numbers of this report's hover texts, formatted once for all maps
    d = diagnostic
    territory = d.inputs.territory
    extent = plots.map_extent(territory.communes)
    # a park territory draws the park's own outline, the others the union of their communes
    outline = territory.outline if territory.outline is not None else territory.communes
    layer = for_display(in_view(communes_layer(d), extent))
    inside = layer[layer["in_territory"]]
    sites = sites_with_fte(d)
    common = {"outline": outline, "sites": sites, "extent": extent}
    out: dict[str, FigureSpec] = {}
    out["temps"] = commune_map_spec(
        layer, "nearest_minutes",
        title=f"Temps d'accès au médecin généraliste le plus proche (temps {method_label(d)})",
        bins=plots.MINUTES_BINS, labels=plots.MINUTES_LABELS, colors=plots.MINUTES_COLORS,
        hover=_HOVER, **common,
    )  # fmt: skip
    bands = d.indicators.bands
    bands = bands[bands["population"] > 0] if (bands["population"] > 0).any() else bands
    out["bandes"] = bar_chart_spec(
        bands.assign(label=bands["band"].map(band_label)),
        x="label", y="population", title="Habitants du territoire par temps d'accès",
        x_label="temps jusqu'au médecin le plus proche", y_label="habitants",
    )  # fmt: skip
    if "apl_drees" in inside and inside["apl_drees"].notna().any():
        out["apl_publie"] = commune_map_spec(
            inside, "apl_drees",
            title="APL publié par la DREES (consultations par an et par habitant)",
            bins=plots.APL_BINS, labels=plots.APL_LABELS, colors=plots.APL_COLORS,
            hover={**_HOVER, "apl_drees": "APL publié DREES", "apl": "APL modélisé"}, **common,
        )  # fmt: skip
    out["apl"] = commune_map_spec(
        inside, "apl",
        title="APL modélisé (consultations par an et par habitant)",
        bins=plots.APL_BINS, labels=plots.APL_LABELS, colors=plots.APL_COLORS,
        hover={**_HOVER, "apl": "APL modélisé", "apl_drees": "APL publié DREES",
               "apl_u65": "APL modélisé < 65 ans"}, **common,
    )  # fmt: skip
    out["isochrones"] = _isochrones(d, inside, common)
    out["reperage"] = key_map_spec(
        inside.iloc[alphabetical(inside["nom"])], title="Carte de repérage : le numéro de chaque "
        "commune renvoie à l'index des fiches", outline=outline, extent=extent,
    )  # fmt: skip
    out["effectifs"], out["eventail"] = _outlook_charts(d)
    out["options"] = _options_chart(d)
    out.update(option_map_specs(d, inside))
    out.update(profession_figure_specs(d))
    return {name: lighten(fig) for name, fig in out.items()}


# --- weight: what the HTML carries ----------------------------------------------------------

#: Shortest coordinate list packed as float32 (a few points stay plain lists).
_PACK_FROM = 16
#: Simplification tolerance of the polygons drawn (metres, EPSG:2154): about one screen pixel
#: of a 100 km wide map, so shapes keep their look.
DISPLAY_TOLERANCE_M = 120.0


def for_display(
    layer: gpd.GeoDataFrame, *, tolerance_m: float = DISPLAY_TOLERANCE_M
) -> gpd.GeoDataFrame:
    """Simplify polygons for display in Lambert-93 (each keeps its topology), back in its CRS.

    Parameters
    ----------
    layer
        Polygons with a CRS.
    tolerance_m
        Douglas-Peucker tolerance in metres.

    Returns
    -------
    geopandas.GeoDataFrame
        The same rows, lighter polygons.
    """
    import geopandas as gpd

    from accessmap.plots._shapes import remember_shapes
    from accessmap.plots._style import METRIC_CRS

    if layer.empty:
        return layer
    shapes = layer.geometry
    values = remember_shapes(
        "display", shapes, tolerance_m,
        lambda: shapes.to_crs(METRIC_CRS).simplify(tolerance_m).to_crs(layer.crs).to_numpy(),
    )  # fmt: skip
    return layer.set_geometry(gpd.GeoSeries(values, index=layer.index, crs=layer.crs))


def in_view(layer: gpd.GeoDataFrame, extent: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """Keep the communes that show inside a map's extent (the buffer's far communes never do).

    Parameters
    ----------
    layer
        Communes with a CRS.
    extent
        ``(xmin, ymin, xmax, ymax)`` in Lambert-93 metres (:func:`accessmap.plots.map_extent`).

    Returns
    -------
    geopandas.GeoDataFrame
        The communes whose polygon meets the extent, in their CRS and order.
    """
    from shapely.geometry import box

    from accessmap.plots._shapes import remember_shapes
    from accessmap.plots._style import METRIC_CRS

    if layer.empty:
        return layer
    shapes = layer.geometry
    seen = remember_shapes(
        f"in view of {extent}", shapes, 0.0,
        lambda: shapes.to_crs(METRIC_CRS).intersects(box(*extent)).to_numpy(),
    )  # fmt: skip
    return layer[seen]


def _packed(values: object) -> object:
    """Coordinates as a float32 array (NaN where ``None`` broke a line).

    plotly writes numeric arrays as base64 (4 bytes a value instead of about 8 characters);
    float32 keeps half a metre on Lambert-93 coordinates, far below the polygons' simplification.
    """
    if isinstance(values, np.ndarray) and values.dtype.kind in "fi":
        return values.astype(np.float32)
    if not isinstance(values, list | tuple) or len(values) < _PACK_FROM:
        return values
    if not all(v is None or isinstance(v, float | int) for v in values):
        return values
    return np.array([np.nan if v is None else v for v in values], dtype=np.float32)


def lighten(fig: _Fig) -> _Fig:
    """Pack the coordinates of a map (Lambert-93 metres) so that the HTML stays light.

    Coordinates become float32 arrays (half a metre of precision), which plotly writes in
    base64; charts (axes not locked to the map's scale) are returned unchanged.

    Parameters
    ----------
    fig
        A figure of :func:`figures`, or its spec (:func:`figure_specs`).

    Returns
    -------
    plotly.graph_objects.Figure or dict
        The same figure or spec, changed in place.
    """
    if isinstance(fig, dict):
        return _lighten_spec(fig)
    if fig.layout.yaxis.scaleanchor != "x":
        return fig
    for trace in fig.data:
        if trace.type != "scatter":
            continue
        trace.update(x=_packed(trace.x), y=_packed(trace.y))
    return fig


def _lighten_spec(spec: FigureSpec) -> FigureSpec:
    """:func:`lighten` for a spec: the arrays as a validated figure holds them, then packed."""
    if spec.get("layout", {}).get("yaxis", {}).get("scaleanchor") != "x":
        return spec
    for trace in spec["data"]:
        if trace.get("type", "scatter") != "scatter":
            continue
        for axis in ("x", "y"):
            values = _held(trace.get(axis))
            if values is not None:
                trace[axis] = _packed(values)
    return spec


def _held(values: object) -> object:
    """Return coordinates as a validated figure holds them (arrays as numpy arrays)."""
    if isinstance(values, np.ndarray) or values is None or isinstance(values, list | tuple):
        return values  # packed as they are (a list stays a list when not all numbers)
    if isinstance(values, pd.Series | pd.Index) and isinstance(values.dtype, np.dtype):
        return values.to_numpy()
    from _plotly_utils.basevalidators import (  # type: ignore[import-untyped]
        copy_to_readonly_numpy_array,
        is_homogeneous_array,
    )

    return copy_to_readonly_numpy_array(values) if is_homogeneous_array(values) else values


_PLOTLY_LOADER = """(function () {
  var queue = [], ready = false;
  window.accessmapOnPlotly = function (run) { if (ready) { run(); } else { queue.push(run); } };
  var text = atob("%s"), bytes = new Uint8Array(text.length);
  for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  new Response(stream).text().then(function (code) {
    var script = document.createElement("script");
    script.text = code;
    document.head.appendChild(script);
    ready = true;
    queue.splice(0).forEach(function (run) { run(); });
  });
})();"""


def packed_plotlyjs() -> str:
    """Return plotly.js compressed inside a script that unpacks it in the page (offline).

    plotly.js weighs 4.8 MB; gzip and base64 bring it to about 2 MB. The browser unpacks it
    with its own ``DecompressionStream`` (Chromium 80, Firefox 113, Safari 16.4 and later), then
    runs the scripts handed to ``accessmapOnPlotly`` (see :func:`on_plotly`) in order.

    Returns
    -------
    str
        A script body (no ``<script>`` tag).
    """
    import base64
    import contextlib
    import gzip
    import hashlib
    from importlib import resources

    from accessmap.settings import get_settings
    from accessmap.sources._http import atomic_write_bytes

    try:  # the bytes of plotly.offline.get_plotlyjs(), without decoding 4.8 MB to re-encode them
        code = (resources.files("plotly") / "package_data" / "plotly.min.js").read_bytes()
    except OSError:
        import plotly.offline

        code = plotly.offline.get_plotlyjs().encode("utf-8")
    # the compressed script is kept in the cache folder, keyed by the library's sha256 (the same
    # bytes whatever the run)
    key = hashlib.sha256(code).hexdigest()[:16]
    kept = get_settings().cache_dir / "parsed" / f"plotlyjs-{key}.gz.b64"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = kept.read_text(encoding="ascii")
        if text:
            return _PLOTLY_LOADER % text
    text = base64.b64encode(gzip.compress(code, 9, mtime=0)).decode("ascii")
    with contextlib.suppress(OSError):  # a read-only cache folder: compressed again next time
        atomic_write_bytes(kept, text.encode("ascii"))
    return _PLOTLY_LOADER % text


def on_plotly(script: str) -> str:
    """Wrap a script body so that it runs once plotly.js is unpacked (:func:`packed_plotlyjs`).

    Parameters
    ----------
    script
        JavaScript that needs ``Plotly``.

    Returns
    -------
    str
        A script body.
    """
    return f"window.accessmapOnPlotly(function () {{\n{script}\n}});"


def deferred_figure(html: str) -> str:
    """Make the script of a figure's HTML (``fig.to_html``) wait for plotly.js to be unpacked.

    Parameters
    ----------
    html
        ``fig.to_html(full_html=False, include_plotlyjs=False)``.

    Returns
    -------
    str
        The same HTML, its script run through :func:`on_plotly`.
    """
    import re

    match = re.search(r"<script[^>]*>", html)
    if match is None:
        return html
    body, closing, tail = html[match.end() :].partition("</script>")
    return f"{html[: match.end()]}{on_plotly(body)}{closing}{tail}"


def _isochrones(d: Diagnostic, inside: gpd.GeoDataFrame, common: dict[str, object]) -> FigureSpec:
    from accessmap.plots.maps import commune_map_spec

    zones = d.isochrones.sort_values("minutes", ascending=False)
    shades = ("rgba(8,104,172,0.55)", "rgba(67,162,202,0.4)", "rgba(123,204,196,0.3)")
    fills = {float(m): shades[min(i, 2)] for i, m in enumerate(sorted(ISOCHRONE_BANDS))}
    layers = [
        (zones[zones["minutes"] == m], f"moins de {fmt_int(m)} min d'un site",
         fills.get(float(m), shades[-1]))
        for m in zones["minutes"]
    ]  # fmt: skip
    return commune_map_spec(
        inside.assign(none=np.nan), "none",
        title="Zones à moins de 10, 20 et 30 minutes des sites de médecins",
        bins=(0.0, 1.0), labels=("",), colors=("rgba(0,0,0,0)",), extra_layers=layers,
        missing_color="rgba(0,0,0,0)", missing_label="commune du territoire",
        hover=_HOVER, **common,  # type: ignore[arg-type]
    )  # fmt: skip


def _outlook_charts(d: Diagnostic) -> tuple[FigureSpec, FigureSpec]:
    from accessmap.plots.charts import fan_chart_spec, line_chart_spec

    work = d.outlook.workforce
    terr = work[
        (work["zone"] == "territory") & work["measure"].isin(["headcount", "headcount_today"])
    ]
    lines = line_chart_spec(
        terr, x="year", y="value", color="measure",
        title="Médecins généralistes du territoire, année par année (nombre moyen attendu)",
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
    fan_fig = fan_chart_spec(
        fan, x="year", low="q10", mid="q50", high="q90", expected="expected",
        title=f"APL du territoire sans remplacement des départs ({runs} tirages au hasard)",
        x_label="année", y_label="APL (consultations/an/hab.)", reference=APL_REFERENCE,
    )  # fmt: skip
    return lines, fan_fig


def _options_chart(d: Diagnostic) -> FigureSpec:
    from accessmap.plots.charts import bar_chart_spec

    comp = d.comparison.copy()
    future = comp["year"].notna() if "year" in comp else pd.Series(data=False, index=comp.index)
    colors = ["#E69F00" if f else "#0072B2" for f in future]
    year = d.outlook.start_year + 10
    return bar_chart_spec(
        comp, x="option", y="apl_territory",
        title=f"APL du territoire selon l'option : aujourd'hui (bleu) et en {year} (orange)",
        x_label="", y_label="APL (consultations/an/hab.)", decimals=2, horizontal=True,
        reference=APL_REFERENCE, colors=colors,
    )  # fmt: skip


# --- every profession beyond the primary one: the same map for each ---------------------------

#: Name of a profession's map and GeoPackage layer.
PROFESSION_LAYER = "profession_{}"


def method_label(d: Diagnostic) -> str:
    """Return how the travel times were computed, in French, as an estimate says it.

    « estimés à vol d'oiseau » or « routiers simplifiés, OpenStreetMap » (speeds by road type,
    no traffic: the cards' caveat says so at length).
    """
    if d.traveltimes.method == "crowfly":
        return "estimés à vol d'oiseau"
    return "routiers simplifiés, OpenStreetMap"


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
    from accessmap.plots._spec import as_figure

    return {name: as_figure(spec) for name, spec in profession_figure_specs(d).items()}


def profession_figure_specs(d: Diagnostic) -> dict[str, FigureSpec]:
    """Return :func:`profession_figures` as figure specs (plain dicts).

    Parameters
    ----------
    d
        A computed diagnostic.

    Returns
    -------
    dict
        ``profession_<key>`` → figure spec; empty without the professions step.
    """
    from accessmap import plots
    from accessmap.plots.maps import commune_map_spec

    territory = d.inputs.territory
    extent = plots.map_extent(territory.communes)
    # a park territory draws the park's own outline, the others the union of their communes
    outline = territory.outline if territory.outline is not None else territory.communes
    out: dict[str, FigureSpec] = {}
    for result in d.professions.others:
        sites = result.roster.sites
        staffed = set(result.roster.assignments["site_id"])
        sites = sites[sites["site_id"].isin(staffed)]
        counted = "BPE 2019, à la mairie" if result.source.startswith("BPE") else "fichier"
        out[PROFESSION_LAYER.format(result.profession)] = commune_map_spec(
            for_display(in_view(profession_layer(d, result), extent)), "nearest_minutes",
            title=f"{result.label} : temps d'accès au plus proche (temps {method_label(d)})",
            bins=plots.MINUTES_BINS, labels=plots.MINUTES_LABELS, colors=plots.MINUTES_COLORS,
            hover={"nearest_minutes": "temps jusqu'au plus proche (min)", "population": "habitants",
                   "value": value_label(result)},
            outline=outline, sites=sites, sites_label=f"Lieux d'exercice ({counted})",
            extent=extent,
        )  # fmt: skip
    return out
