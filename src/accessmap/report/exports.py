"""Files of the report: the GeoPackage for QGIS (styled, French aliases) and the atomic writer."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from accessmap.labels import band_label, column_label, fmt_float, fmt_int, format_value, label
from accessmap.messages import Message
from accessmap.report.figures import PROFESSION_LAYER, communes_layer, profession_layer, value_label
from accessmap.report.tables import present_professions, profession_nouns

if TYPE_CHECKING:
    import geopandas as gpd

    from accessmap.diagnostic import Diagnostic
    from accessmap.diagnostic.professions import ProfessionResult

#: Aliases that differ from :func:`accessmap.labels.column_label` in the GeoPackage layers.
_ALIASES: dict[str, str] = {
    "nom_commune": "commune",
    "name": "nom",
    "libelle": "libellé",
    "model": "code du modèle",
    "model_fr": "modèle",
    "objective": "objectif du modèle (habitants couverts, ou habitants × minutes)",
    "minutes": "temps (min, borne haute exclue)",
    "lower": "temps (min, borne basse incluse)",
    "area_km2": "surface (km²)",
    "fte": "médecins (ETP)",
    "nouvelle": "nouvelle MSP (sinon site existant renforcé)",
}

#: French aliases of the territory layer's fields.
TERRITORY_ALIASES: dict[str, str] = {
    "nom": "territoire",
    "communes": "nombre de communes",
    "population": "habitants",
    "source": "tracé",
    "area_km2": "surface (km²)",
}

#: GeoPackage layer names (French): territory outline, access zones, GP sites, candidates.
TERRITORY_LAYER = "territoire"
ZONES_LAYER = "zones_acces"
SITES_LAYER = "sites_medecins"
CANDIDATES_LAYER = "mairies_candidates"
OPTIONS_LAYER = "options"
#: The recruits-needed plan of the decisions (points: one per site, its FTE).
PLAN_LAYER = "plan_recrues"
#: Holes smaller than this are filled in the access zones (km²): a zone reads as an area, not
#: as a lattice of roads; larger holes (a lake, a roadless forest) stay.
ZONE_HOLE_KM2 = 20.0
#: Gaps narrower than twice this are closed in the access zones (metres, morphological closing).
ZONE_CLOSING_M = 1000.0
#: Simplification of a zone before each buffer of its closing (metres, Lambert-93): a few
#: metres, invisible at the scale of a territory; the buffers cost a fraction.
ZONE_TOLERANCE_M = 5.0
#: shapely's type id of a Polygon.
_POLYGON = 3
#: Segments per quarter circle of the closing's buffers (shapely's default for a geometry's
#: ``buffer`` method).
_QUAD_SEGS = 16


def territory_outline(diagnostic: Diagnostic) -> gpd.GeoDataFrame:
    """Return the territory's outline: its park's polygon when it has one, else its communes merged.

    Parameters
    ----------
    diagnostic
        A computed diagnostic.

    Returns
    -------
    geopandas.GeoDataFrame
        One row (``nom``, ``communes``, ``population``, ``area_km2``, ``source``), EPSG:4326.
    """
    import geopandas as gpd

    territory = diagnostic.inputs.territory
    communes = territory.communes
    park = getattr(territory, "outline", None)
    if isinstance(park, gpd.GeoDataFrame | gpd.GeoSeries) and not park.empty:
        shape, source = park.to_crs("EPSG:4326").union_all(), "contour du parc"
    else:
        shape, source = communes.to_crs("EPSG:4326").union_all(), "communes réunies"
    frame = gpd.GeoDataFrame(
        {
            "nom": [str(territory.name)], "communes": [len(communes)],
            "population": [int(communes["population"].sum())], "source": [source],
        },
        geometry=[shape], crs="EPSG:4326",
    )  # fmt: skip
    frame["area_km2"] = frame.to_crs("EPSG:2154").area / 1e6
    return frame


def access_rings(
    zones: gpd.GeoDataFrame,
    *,
    hole_km2: float = ZONE_HOLE_KM2,
    closing_m: float = ZONE_CLOSING_M,
    tolerance_m: float = ZONE_TOLERANCE_M,
) -> gpd.GeoDataFrame:
    """Turn nested access zones (< 10, < 20, < 30 min) into filled rings (0-10, 10-20, 20-30).

    Each zone is dissolved, its narrow gaps closed and its small holes filled (the land between
    the roads it follows), then the zone inside it removed: the rings do not overlap and read at
    a glance in QGIS. For display: the machine tables keep the zones' own areas.

    The small holes are filled before the closing as well as after it: the closing of the filled
    zone is the same set (closing never opens a hole, and a closed set stays closed when whole
    holes are filled), but buffering a zone rid of its thousands of holes costs a fraction of
    the time. The zone and its dilation are simplified by ``tolerance_m`` (far below the closing
    distance) before each buffer, and the parts are buffered together, without a union first
    (a buffer dissolves overlapping parts).

    Parameters
    ----------
    zones
        :attr:`Diagnostic.isochrones`: ``minutes`` (upper bound) and polygons, any CRS.
    hole_km2
        Holes smaller than this are filled.
    closing_m
        Gaps narrower than twice this are closed (buffer out, then in).
    tolerance_m
        Simplification before each buffer (metres); 0 keeps every vertex.

    Returns
    -------
    geopandas.GeoDataFrame
        ``lower``, ``minutes``, ``area_km2``, ``libelle``, one row per band, EPSG:4326.

    References
    ----------
    Serra, J. (1982). Image Analysis and Mathematical Morphology, Academic Press (closing).
    """
    import geopandas as gpd

    metric = zones.to_crs("EPSG:2154")
    limit = hole_km2 * 1e6
    rows: list[dict[str, Any]] = []
    inner: Any = None
    bands = list(metric.groupby("minutes", sort=True))
    for k, (minutes, part) in enumerate(bands):
        whole = _closed(part.geometry.to_numpy(), limit=limit, closing_m=closing_m,
                        tolerance_m=tolerance_m)  # fmt: skip
        ring = whole if inner is None else whole.difference(inner)
        lower = 0.0 if not rows else float(rows[-1]["minutes"])
        rows.append({"lower": lower, "minutes": float(minutes), "geometry": ring,
                     "area_km2": ring.area / 1e6,
                     "libelle": band_label(f"{lower:g}-{float(minutes):g}")})  # fmt: skip
        # each zone is closed on its own: the next ring leaves out every inner one (the last
        # zone has no next ring)
        if k < len(bands) - 1:
            inner = whole if inner is None else inner.union(whole)
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:2154")
    return frame.to_crs("EPSG:4326")


def _filled(shapes: Any, limit: float) -> tuple[Any, bool]:
    """Return the polygons of ``shapes`` without their holes smaller than ``limit`` (m²).

    Also says whether a hole was filled (a part lying in a filled hole then overlaps it).
    """
    import numpy as np
    import shapely
    from shapely.geometry import Polygon

    parts = shapely.get_parts(np.asarray(shapes, dtype=object))
    parts = parts[shapely.get_type_id(parts) == _POLYGON]
    out, changed = [], False
    for p in parts:
        holes = [h for h in p.interiors if Polygon(h).area >= limit]
        kept = len(holes) == len(p.interiors)
        changed = changed or not kept
        out.append(p if kept else Polygon(p.exterior, holes))
    return np.asarray(out, dtype=object), changed


def _closed(shapes: Any, *, limit: float, closing_m: float, tolerance_m: float) -> Any:
    """Dissolve ``shapes``, close gaps narrower than ``2 * closing_m``, fill holes < ``limit``."""
    import shapely

    parts, _ = _filled(shapes, limit)
    if tolerance_m > 0:  # each part on its own: every part stays valid
        parts = shapely.simplify(parts, tolerance_m)
    dilated = shapely.buffer(shapely.multipolygons(parts), closing_m, quad_segs=_QUAD_SEGS)
    if tolerance_m > 0:
        dilated = shapely.simplify(dilated, tolerance_m)
    closed = shapely.buffer(dilated, -closing_m, quad_segs=_QUAD_SEGS)
    parts, changed = _filled([closed], limit)
    zone = shapely.multipolygons(parts)
    # the parts of a buffer are disjoint; once a hole is filled, a part in it is dissolved
    return shapely.buffer(zone, 0) if changed and len(parts) > 1 else zone


def geopackage_layers(diagnostic: Diagnostic) -> dict[str, gpd.GeoDataFrame]:
    """Layers of ``diagnostic.gpkg``, with French names.

    ``territoire`` (outline), ``communes``, ``zones_acces`` (filled rings 0-10, 10-20, 20-30
    min), ``sites_medecins``, ``mairies_candidates``, ``options`` (the sites each option
    adds, with a label), and the other professions' layers. Every layer names its commune
    (``nom`` or ``nom_commune``); field names stay short machine names, their French aliases
    with units are stored in the file (:func:`layer_aliases`).

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
    names = d.inputs.territory.study_area.set_index("code")["nom"]
    sites = d.inputs.roster.sites.copy()
    sites["fte"] = sites["site_id"].map(d.inputs.roster.site_fte)
    sites["nom_commune"] = sites["commune_code"].map(names)
    candidates = candidate_points(d.inputs.territory)
    candidates["nom_commune"] = candidates["id"].map(names)
    coords: dict[str, tuple[float, float]] = {
        str(i): (float(x), float(y))
        for frame, key in ((sites, "site_id"), (candidates, "id"))
        for i, x, y in zip(frame[key], frame["lon"], frame["lat"], strict=True)
    }
    chosen = pd.DataFrame(
        [
            {
                "model": r.model, "model_fr": label("model", r.model), "p": len(r.sites),
                "rank": rank, "site_id": site, "nom_commune": str(names.get(site, site)),
                "libelle": _option_label(r.model, len(r.sites), str(names.get(site, site))),
                "status": r.status, "objective": r.objective,
                "lon": coords[site][0], "lat": coords[site][1],
            }
            for r in d.options_siting
            for rank, site in enumerate(r.sites, start=1)
        ],
        columns=["model", "model_fr", "p", "rank", "site_id", "nom_commune", "libelle", "status",
                 "objective", "lon", "lat"],
    )  # fmt: skip

    def points(frame: pd.DataFrame) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
        )

    layers = {
        TERRITORY_LAYER: territory_outline(d),
        "communes": communes_layer(d),
        ZONES_LAYER: access_rings(d.isochrones),
        SITES_LAYER: points(sites),
        CANDIDATES_LAYER: points(candidates),
        OPTIONS_LAYER: points(chosen),
    }
    plan = recruits_plan(d, coords)
    if plan is not None:
        layers[PLAN_LAYER] = points(plan)
    return {**layers, **profession_layers(d)}


def recruits_plan(d: Diagnostic, coords: Mapping[str, tuple[float, float]]) -> pd.DataFrame | None:
    """Return the recruits-needed plan as points: site, commune, FTE, new MSP or reinforced.

    Parameters
    ----------
    d
        A computed diagnostic.
    coords
        ``site or town hall id -> (lon, lat)``.

    Returns
    -------
    pandas.DataFrame or None
        ``site_id, nom_commune, fte, nouvelle, libelle, lon, lat`` (``None`` without decisions).
    """
    from accessmap.report.decisions import site_label

    decisions = d.decisions
    if decisions is None or decisions.recruits is None:
        return None
    sites = decisions.recruits.sites
    names = d.inputs.territory.study_area.set_index("code")["nom"].astype(str)
    communes = sites["commune_code"].astype(str)
    return pd.DataFrame(
        {
            "site_id": sites["site_id"].astype(str).to_numpy(),
            "nom_commune": [str(names.get(c, c)) for c in communes],
            "fte": sites["fte"].astype(float).to_numpy(),
            "nouvelle": [format_value("", bool(n)) for n in sites["new"]],
            "libelle": [
                f"{fmt_float(f, 1).removesuffix(',0')} ETP "
                f"{site_label(d, decisions, str(s), new=bool(n))}"
                for s, f, n in zip(sites["site_id"], sites["fte"], sites["new"], strict=True)
            ],
            "lon": [coords[str(s)][0] for s in sites["site_id"]],
            "lat": [coords[str(s)][1] for s in sites["site_id"]],
        }
    )


def _option_label(model: str, p: int, commune: str) -> str:
    """Return « couverture maximale (2 sites) : Lacelle » (the map label of an option's site)."""
    count = f" ({fmt_int(p)} sites)" if p > 1 else ""
    return f"{label('model', model)}{count} : {commune}"


def layer_aliases(
    layers: Mapping[str, pd.DataFrame], *, diagnostic: Diagnostic | None = None
) -> dict[str, dict[str, str]]:
    """French alias (with unit) of every field of every layer.

    Parameters
    ----------
    layers
        The layers (:func:`geopackage_layers`).
    diagnostic
        The diagnostic they come from: gives each ``profession_<key>`` layer the aliases of its
        profession (« temps jusqu'aux infirmiers les plus proches (min) »...).

    Returns
    -------
    dict
        ``{layer: {field: alias}}`` (the geometry column excluded).
    """
    own: dict[str, dict[str, str]] = {"pole": POLE_ALIASES, TERRITORY_LAYER: TERRITORY_ALIASES}
    if diagnostic is not None:
        own |= {
            f"profession_{r.profession}": profession_aliases(r)
            for r in diagnostic.professions.others
        }
    return {
        name: {
            str(c): own.get(name, {}).get(str(c), _ALIASES.get(str(c), column_label(str(c))))
            for c in frame.columns
            if c != "geometry"
        }
        for name, frame in layers.items()
    }


#: Colour and QGIS marker shape of each kind of option, in order of appearance (Okabe-Ito).
OPTION_SYMBOLS: tuple[tuple[str, str], ...] = (
    ("#D55E00", "star"), ("#0072B2", "diamond"), ("#009E73", "triangle"),
    ("#CC79A7", "square"), ("#E69F00", "pentagon"), ("#56B4E9", "hexagon"),
    ("#000000", "circle"),
)  # fmt: skip


def layer_styles(
    layers: Mapping[str, pd.DataFrame], *, diagnostic: Diagnostic | None = None
) -> list[Any]:
    """QGIS styles of the layers (one default per layer; two for the communes).

    Parameters
    ----------
    layers
        The layers (:func:`geopackage_layers`).
    diagnostic
        The diagnostic they come from (aliases of the profession layers).

    Returns
    -------
    list of accessmap.report.qgis.LayerStyle
        Communes (published APL by default, modelled APL, travel time), territory outline,
        access zones, GP sites, candidates, options (one symbol per kind, labelled), and each
        ``profession_<key>`` layer (time to the nearest practitioner).
    """
    from accessmap.report import qgis

    aliases = layer_aliases(layers, diagnostic=diagnostic)

    def fields(name: str) -> list[str]:
        return [str(c) for c in layers[name].columns if c != "geometry"]

    styles = qgis.communes_styles(fields("communes"), aliases["communes"])
    styles.append(
        qgis.LayerStyle(
            layer=TERRITORY_LAYER, name="Limite du territoire", default=True,
            qml=qgis.outline_qml(fields=fields(TERRITORY_LAYER), aliases=aliases[TERRITORY_LAYER],
                                 label_field="nom"),
            description="Limite du territoire étudié",
        )
    )  # fmt: skip
    shades = ("#0868ac", "#43a2ca", "#7bccc4", "#bae4bc")
    rings = layers[ZONES_LAYER]
    cats = [
        (f"{m:g}", str(text), shades[min(i, 3)])
        for i, (m, text) in enumerate(zip(rings["minutes"], rings["libelle"], strict=True))
    ]
    zones = qgis.categorized_qml(
        "minutes",
        categories=cats,
        fields=fields(ZONES_LAYER),
        aliases=aliases[ZONES_LAYER],
        outline=False,
    )
    styles.append(
        qgis.LayerStyle(
            layer=ZONES_LAYER, name="Zones d'accès", qml=zones, default=True,
            description="Temps jusqu'au site de médecins le plus proche : moins de 10, 10 à 20, "
            "20 à 30 minutes",
        )
    )  # fmt: skip
    points = {
        SITES_LAYER: ("#1b2631", "cross2", 3.5, "Sites de médecins généralistes", "nom_commune"),
        CANDIDATES_LAYER: ("#7f8c8d", "circle", 1.6, "Mairies candidates", ""),
    }
    for name, (color, shape, size, title, label_field) in points.items():
        qml = qgis.marker_qml(color=color, shape=shape, size=size, fields=fields(name),
                              aliases=aliases[name], label_field=label_field)  # fmt: skip
        styles.append(
            qgis.LayerStyle(layer=name, name=title, qml=qml, default=True, description=title)
        )
    if PLAN_LAYER in layers:
        title = "Recrues nécessaires : le plan (APL publié + effet modélisé)"
        qml = qgis.marker_qml(color="#D55E00", shape="star", size=5.0, fields=fields(PLAN_LAYER),
                              aliases=aliases[PLAN_LAYER], label_field="libelle")  # fmt: skip
        styles.append(
            qgis.LayerStyle(layer=PLAN_LAYER, name=title, qml=qml, default=True, description=title)
        )
    kinds = list(dict.fromkeys(str(m) for m in layers[OPTIONS_LAYER]["model"]))
    marks = [
        (k, label("model", k), *OPTION_SYMBOLS[i % len(OPTION_SYMBOLS)])
        for i, k in enumerate(kinds)
    ]
    qml = qgis.categorized_markers_qml(
        "model", categories=marks, fields=fields(OPTIONS_LAYER), aliases=aliases[OPTIONS_LAYER],
        label_field="libelle",
    )  # fmt: skip
    title = "Sites proposés, par type d'option"
    styles.append(
        qgis.LayerStyle(layer=OPTIONS_LAYER, name=title, qml=qml, default=True, description=title)
    )
    return [*styles, *profession_styles(dict(layers), aliases)]


@dataclass(frozen=True, slots=True)
class ReportFiles:
    """What :func:`write_report` wrote.

    Attributes
    ----------
    html
        ``diagnostic.html``.
    geopackage
        ``diagnostic.gpkg`` (styled for QGIS, French aliases).
    csv
        Machine CSV tables by stem (``tables/<stem>.csv``).
    csv_fr
        French CSV tables by stem (``tables/fr/<stem>.csv``: ``;``, decimal comma, UTF-8 BOM).
    dictionary
        The data dictionary of the French tables: ``tables/fr/dictionnaire.csv`` (and the page
        ``tables/fr/dictionnaire.html`` beside it).
    html_bytes
        Size of ``diagnostic.html`` in bytes (the CLI prints it).
    """

    html: Path
    geopackage: Path
    csv: Mapping[str, Path]
    csv_fr: Mapping[str, Path] = field(default_factory=dict)
    dictionary: Path | None = None
    html_bytes: int = 0


#: File stem of the data dictionary in ``tables/fr``.
DICTIONARY = "dictionnaire"


def _stage(
    diagnostic: Diagnostic, stage: Path, progress: Callable[[str], None] | None = None
) -> list[str]:
    """Write every file of the report into ``stage``; return the CSV stems."""
    from accessmap.report import qgis
    from accessmap.report.html import render_html
    from accessmap.report.spreadsheets import (
        data_dictionary,
        dictionary_html,
        french_tables,
        write_french_csv,
    )
    from accessmap.report.tables import tables

    # one file after the other, each built when it is written: the page, the layers and the
    # tables are never held at once (peak memory: the largest of them, not their sum)
    say = progress or (lambda _line: None)
    say(str(Message("progress.report_page")))
    (stage / "diagnostic.html").write_text(render_html(diagnostic), encoding="utf-8")
    say(str(Message("progress.report_layers")))
    layers = geopackage_layers(diagnostic)
    gpkg = stage / "diagnostic.gpkg"
    with _unsynced_sqlite():
        for name, layer in layers.items():  # the staging folder is the atomicity: one file
            layer.to_file(gpkg, layer=name, driver="GPKG", engine="pyogrio")
    qgis.write_aliases(gpkg, layer_aliases(layers, diagnostic=diagnostic))
    qgis.write_styles(gpkg, layer_styles(layers, diagnostic=diagnostic))
    del layers
    say(str(Message("progress.report_tables")))
    csvs = tables(diagnostic)
    french = french_tables(diagnostic, machine=csvs)
    (stage / "tables" / "fr").mkdir(parents=True)
    for stem, frame in csvs.items():
        frame.to_csv(stage / "tables" / f"{stem}.csv", index=False)
        write_french_csv(french[stem], stage / "tables" / "fr" / f"{stem}.csv")
    dictionary = data_dictionary(french)
    dictionary.to_csv(
        stage / "tables" / "fr" / f"{DICTIONARY}.csv", sep=";", index=False, encoding="utf-8-sig"
    )
    (stage / "tables" / "fr" / f"{DICTIONARY}.html").write_text(
        dictionary_html(dictionary), encoding="utf-8"
    )
    return list(csvs)


#: GDAL settings of the GeoPackage's SQLite while the staging folder is written: no flush to
#: disk after each transaction, the rollback journal in memory. The staging folder is the
#: atomicity (a failed run leaves no file in place), so a crash loses nothing that matters;
#: the file's content is the same, without a dozen fsyncs per layer.
_UNSYNCED_SQLITE: dict[str, str] = {"OGR_SQLITE_SYNCHRONOUS": "OFF", "OGR_SQLITE_JOURNAL": "MEMORY"}


@contextmanager
def _unsynced_sqlite() -> Iterator[None]:
    """Set :data:`_UNSYNCED_SQLITE` in GDAL for the block, then restore the previous values."""
    import pyogrio

    before = {key: pyogrio.get_gdal_config_option(key) for key in _UNSYNCED_SQLITE}
    pyogrio.set_gdal_config_options(_UNSYNCED_SQLITE)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(before)


def write_report(
    diagnostic: Diagnostic,
    out_dir: Path | str,
    *,
    progress: Callable[[str], None] | None = None,
) -> ReportFiles:
    """Write the HTML report, the GeoPackage and the CSV tables (machine and French), atomically.

    Everything is written into a staging folder next to ``out_dir`` first; only when every file
    is complete are they moved into place, so a failed run never leaves a half-written report.

    Parameters
    ----------
    diagnostic
        A computed diagnostic.
    out_dir
        Destination folder (``reports/<territory>``), created when needed.
    progress
        Receives a French line as each file starts (the page, the layers, the tables).

    Returns
    -------
    ReportFiles
        The paths written and the size of the HTML file.
    """
    target = Path(out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}-staging-") as tmp:
        stage = Path(tmp)
        stems = _stage(diagnostic, stage, progress)
        (target / "tables" / "fr").mkdir(parents=True, exist_ok=True)
        moved: dict[str, Path] = {}
        moved_fr: dict[str, Path] = {}
        for stem in stems:
            moved[stem] = target / "tables" / f"{stem}.csv"
            shutil.move(stage / "tables" / f"{stem}.csv", moved[stem])
            moved_fr[stem] = target / "tables" / "fr" / f"{stem}.csv"
            shutil.move(stage / "tables" / "fr" / f"{stem}.csv", moved_fr[stem])
        for suffix in (".csv", ".html"):
            name = f"{DICTIONARY}{suffix}"
            shutil.move(stage / "tables" / "fr" / name, target / "tables" / "fr" / name)
        shutil.move(stage / "diagnostic.gpkg", target / "diagnostic.gpkg")
        shutil.move(stage / "diagnostic.html", target / "diagnostic.html")
    html = target / "diagnostic.html"
    return ReportFiles(
        html=html,
        geopackage=target / "diagnostic.gpkg",
        csv=moved,
        csv_fr=moved_fr,
        dictionary=target / "tables" / "fr" / f"{DICTIONARY}.csv",
        html_bytes=html.stat().st_size,
    )


# --- layers of the professions beyond the primary one, and the pôle ---------------------------

#: French aliases of the ``pole`` layer's own fields.
POLE_ALIASES: dict[str, str] = {
    "professions_fr": "professions présentes (effectif)",
    "n_professions": "nombre de professions présentes",
    "name": "site du pôle",
}


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
        "value": value_label(result),
        "source": "source des effectifs",
        "profession": "profession",
    }


def _pole_points(d: Diagnostic) -> gpd.GeoDataFrame | None:
    import geopandas as gpd

    pole = d.professions.pole
    if pole is None or pole.sites.empty:
        return None
    labels = profession_nouns()
    names = d.inputs.territory.study_area.set_index("code")["nom"]
    sites = d.inputs.roster.sites
    lon = dict(zip(sites["site_id"].astype(str), sites["lon"].astype(float), strict=True))
    lat = dict(zip(sites["site_id"].astype(str), sites["lat"].astype(float), strict=True))
    rows = [
        {
            "site_id": site, "name": part["name"].iloc[0],
            "nom_commune": str(names.get(part["commune_code"].iloc[0], "")),
            "professions_fr": present_professions(part, labels), "n_professions": len(part),
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
    out = {
        PROFESSION_LAYER.format(r.profession): profession_layer(d, r) for r in d.professions.others
    }
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

    labels = profession_nouns()
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
