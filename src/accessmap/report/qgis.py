"""QGIS styles and French field aliases stored inside the GeoPackage, so that it opens styled.

QGIS reads the ``layer_styles`` table of a GeoPackage (one QML document per layer and style; the
row with ``useAsDefault = 1`` is applied when the layer is added) and shows GDAL field
"alternative names" (the ``gpkg_data_columns`` extension's ``title``) as aliases. The QML also
carries the aliases, for QGIS versions that do not read ``gpkg_data_columns``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from accessmap.plots import APL_COLORS, APL_LABELS, MINUTES_COLORS, MINUTES_LABELS
from accessmap.plots._style import APL_BINS, MINUTES_BINS

#: Upper bound written for the open last class of a graduated style.
_OPEN_UPPER = 1.0e6


@dataclass(frozen=True, slots=True)
class LayerStyle:
    """One QGIS style of a layer.

    Attributes
    ----------
    layer
        GeoPackage layer (table) name.
    name
        Style name shown in QGIS.
    qml
        The QML document.
    default
        Whether QGIS applies it when the layer is added (``useAsDefault``).
    description
        French description.
    """

    layer: str
    name: str
    qml: str
    default: bool
    description: str


def _rgb(color: str, alpha: int = 255) -> str:
    text = color.lstrip("#")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{alpha}"


def _fill_symbol(name: str, color: str, *, outline: bool = True) -> str:
    edge = "255,255,255,255" if outline else _rgb(color)
    return (
        f'<symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
        '<layer class="SimpleFill" enabled="1" locked="0" pass="0"><Option type="Map">'
        f'<Option name="color" type="QString" value="{_rgb(color)}"/>'
        f'<Option name="outline_color" type="QString" value="{edge}"/>'
        '<Option name="outline_width" type="QString" value="0.2"/>'
        '<Option name="style" type="QString" value="solid"/>'
        "</Option></layer></symbol>"
    )


def _marker_symbol(name: str, color: str, shape: str, size: float) -> str:
    return (
        f'<symbol type="marker" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
        '<layer class="SimpleMarker" enabled="1" locked="0" pass="0"><Option type="Map">'
        f'<Option name="color" type="QString" value="{_rgb(color)}"/>'
        f'<Option name="name" type="QString" value="{shape}"/>'
        f'<Option name="size" type="QString" value="{size}"/>'
        '<Option name="outline_color" type="QString" value="255,255,255,255"/>'
        '<Option name="outline_width" type="QString" value="0.3"/>'
        "</Option></layer></symbol>"
    )


def _outline_symbol(name: str, color: str, width: float) -> str:
    return (
        f'<symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
        '<layer class="SimpleFill" enabled="1" locked="0" pass="0"><Option type="Map">'
        '<Option name="color" type="QString" value="0,0,0,0"/>'
        f'<Option name="outline_color" type="QString" value="{_rgb(color)}"/>'
        f'<Option name="outline_width" type="QString" value="{width}"/>'
        '<Option name="style" type="QString" value="no"/>'
        "</Option></layer></symbol>"
    )


def _aliases(fields: Sequence[str], aliases: Mapping[str, str]) -> str:
    items = "".join(
        f'<alias field={quoteattr(f)} index="{i}" name={quoteattr(aliases[f])}/>'
        for i, f in enumerate(fields)
        if f in aliases
    )
    return f"<aliases>{items}</aliases>"


def _labeling(field: str) -> str:
    return (
        '<labeling type="simple"><settings calloutType="simple">'
        f'<text-style fieldName={quoteattr(field)} fontSize="8" textColor="27,38,49,255" '
        'fontFamily="Arial" isExpression="0">'
        '<text-buffer bufferDraw="1" bufferSize="0.8" bufferColor="255,255,255,255"/>'
        "</text-style>"
        '<placement placement="1"/><rendering obstacle="0" scaleVisibility="0"/>'
        "</settings></labeling>"
    )


def _qml(renderer: str, fields: Sequence[str], aliases: Mapping[str, str], label: str = "") -> str:
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        '<qgis version="3.28.0" styleCategories="Symbology|Labeling|Fields">'
        f"{renderer}{_labeling(label) if label else ''}{_aliases(fields, aliases)}"
        "</qgis>"
    )


def _single(symbol: str) -> str:
    """Return the renderer of a single-symbol style."""
    return (
        '<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">'
        f"<symbols>{symbol}</symbols></renderer-v2>"
    )


def _categorized(field: str, values: Sequence[tuple[str, str]], symbols: Sequence[str]) -> str:
    """Return the renderer of a categorized style (``(value, label)`` pairs, their symbols)."""
    cats = "".join(
        f'<category value={quoteattr(value)} symbol="{i}" label={quoteattr(name)} render="true"/>'
        for i, (value, name) in enumerate(values)
    )
    return (
        f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(field)} symbollevels="0" '
        'enableorderby="0" forceraster="0">'
        f"<categories>{cats}</categories><symbols>{''.join(symbols)}</symbols></renderer-v2>"
    )


def graduated_qml(
    field: str,
    *,
    bins: Sequence[float],
    labels: Sequence[str],
    colors: Sequence[str],
    fields: Sequence[str],
    aliases: Mapping[str, str],
    label_field: str = "",
) -> str:
    """QML of a graduated polygon style (half-open classes, French legend labels).

    Parameters
    ----------
    field
        Classified field.
    bins, labels, colors
        Class edges (``inf`` allowed last), labels and colours (``#rrggbb``).
    fields
        Every field of the layer (for the aliases' indices).
    aliases
        French alias of each field.
    label_field
        Field printed as a map label (e.g. the commune name), or empty.

    Returns
    -------
    str
        The QML document.
    """
    ranges, symbols = [], []
    for i, (name, color) in enumerate(zip(labels, colors, strict=True)):
        upper = bins[i + 1] if bins[i + 1] != float("inf") else _OPEN_UPPER
        ranges.append(
            f'<range lower="{bins[i]}" upper="{upper}" symbol="{i}" label={quoteattr(name)} '
            'render="true"/>'
        )
        symbols.append(_fill_symbol(str(i), color))
    renderer = (
        f'<renderer-v2 type="graduatedSymbol" attr={quoteattr(field)} '
        'graduatedMethod="GraduatedColor" symbollevels="0" enableorderby="0" forceraster="0">'
        f"<ranges>{''.join(ranges)}</ranges><symbols>{''.join(symbols)}</symbols></renderer-v2>"
    )
    return _qml(renderer, fields, aliases, label_field)


def categorized_qml(
    field: str,
    *,
    categories: Sequence[tuple[str, str, str]],
    fields: Sequence[str],
    aliases: Mapping[str, str],
    geometry: str = "fill",
    outline: bool = True,
) -> str:
    """QML of a categorized style.

    Parameters
    ----------
    field
        Field holding the categories.
    categories
        ``(value, French label, #rrggbb)``.
    fields, aliases
        Fields of the layer and their French aliases.
    geometry
        ``fill`` (polygons) or ``marker`` (points, drawn as stars).
    outline
        Draw white polygon outlines (off: areas without inner lines).

    Returns
    -------
    str
        The QML document.
    """
    symbols = [
        _fill_symbol(str(i), color, outline=outline)
        if geometry == "fill"
        else _marker_symbol(str(i), color, "star", 5.0)
        for i, (_, _, color) in enumerate(categories)
    ]
    renderer = _categorized(field, [(v, n) for v, n, _ in categories], symbols)
    return _qml(renderer, fields, aliases)


def marker_qml(
    *,
    color: str,
    shape: str,
    size: float,
    fields: Sequence[str],
    aliases: Mapping[str, str],
    label_field: str = "",
) -> str:
    """QML of a single-symbol point style.

    Parameters
    ----------
    color, shape, size
        Marker colour (``#rrggbb``), QGIS shape name (``cross2``, ``circle``, ``star``) and size
        in millimetres.
    fields, aliases
        Fields of the layer and their French aliases.
    label_field
        Field printed as a label, or empty.

    Returns
    -------
    str
        The QML document.
    """
    return _qml(_single(_marker_symbol("0", color, shape, size)), fields, aliases, label_field)


def outline_qml(
    *,
    fields: Sequence[str],
    aliases: Mapping[str, str],
    color: str = "#1b2631",
    width: float = 0.8,
    label_field: str = "",
) -> str:
    """QML of an outline (no fill): the territory's limit.

    Parameters
    ----------
    fields, aliases
        Fields of the layer and their French aliases.
    color, width
        Line colour (``#rrggbb``) and width in millimetres.
    label_field
        Field printed as a label, or empty.

    Returns
    -------
    str
        The QML document.
    """
    return _qml(_single(_outline_symbol("0", color, width)), fields, aliases, label_field)


def categorized_markers_qml(
    field: str,
    *,
    categories: Sequence[tuple[str, str, str, str]],
    fields: Sequence[str],
    aliases: Mapping[str, str],
    size: float = 5.0,
    label_field: str = "",
) -> str:
    """QML of points told apart by a field: one colour and shape per category, labelled.

    Parameters
    ----------
    field
        Field holding the categories.
    categories
        ``(value, French legend label, #rrggbb, QGIS shape name)``.
    fields, aliases
        Fields of the layer and their French aliases.
    size
        Marker size in millimetres.
    label_field
        Field printed beside each point, or empty.

    Returns
    -------
    str
        The QML document.
    """
    symbols = [
        _marker_symbol(str(i), color, shape, size)
        for i, (_, _, color, shape) in enumerate(categories)
    ]
    renderer = _categorized(field, [(v, n) for v, n, _, _ in categories], symbols)
    return _qml(renderer, fields, aliases, label_field)


def communes_styles(fields: Sequence[str], aliases: Mapping[str, str]) -> list[LayerStyle]:
    """Return the styles of the communes layer: published APL (default), modelled APL, time.

    The published APL (DREES) is the official figure, so QGIS shows it first; without it
    (a territory the DREES file does not cover), the modelled APL is the default.

    Parameters
    ----------
    fields, aliases
        Fields of the layer and their French aliases.

    Returns
    -------
    list of LayerStyle
        APL classes (thresholds 2,5 and 4) of the published and of the modelled APL, and the
        travel time (bands of :mod:`accessmap.conventions`).
    """
    published = "apl_drees" in fields

    def apl(column: str) -> str:
        return graduated_qml(column, bins=APL_BINS, labels=APL_LABELS, colors=APL_COLORS,
                             fields=fields, aliases=aliases, label_field="nom")  # fmt: skip

    minutes = graduated_qml(
        "nearest_minutes", bins=MINUTES_BINS, labels=MINUTES_LABELS, colors=MINUTES_COLORS,
        fields=fields, aliases=aliases, label_field="nom",
    )  # fmt: skip
    styles = [
        LayerStyle(layer="communes", name="APL modélisé (seuils 2,5 et 4)", qml=apl("apl"),
                   default=not published,
                   description="APL modélisé par accessmap, seuils nationaux"),
        LayerStyle(layer="communes", name="Temps d'accès au médecin le plus proche", qml=minutes,
                   default=False, description="Temps jusqu'au médecin généraliste le plus proche"),
    ]  # fmt: skip
    if published:
        styles.insert(0, LayerStyle(
            layer="communes", name="APL publié par la DREES (seuils 2,5 et 4)",
            qml=apl("apl_drees"), default=True,
            description="Accessibilité potentielle localisée publiée par la DREES (chiffre "
            "officiel), seuils nationaux",
        ))  # fmt: skip
    return styles


def write_styles(path: Path, styles: Sequence[LayerStyle]) -> None:
    """Store QGIS styles in a GeoPackage's ``layer_styles`` table (created as QGIS does).

    Parameters
    ----------
    path
        The GeoPackage (written by GDAL, closed).
    styles
        The styles; a layer's ``default`` style is the one QGIS applies.
    """
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256), "
            "f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, "
            "useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
            "update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
        )
        db.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description) "
            "VALUES ('layer_styles', 'attributes', 'layer_styles', 'Styles QGIS des couches')"
        )
        db.executemany(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, "
            "ui) VALUES ('', '', ?, 'geom', ?, ?, '', ?, ?, 'accessmap', '')",
            [(s.layer, s.name, s.qml, int(s.default), s.description) for s in styles],
        )


def write_aliases(path: Path, aliases: Mapping[str, Mapping[str, str]]) -> None:
    """Write French field aliases in the ``gpkg_data_columns`` extension (GDAL alternative names).

    Parameters
    ----------
    path
        The GeoPackage.
    aliases
        ``{layer: {field: French alias}}``.
    """
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, "
            "column_name TEXT NOT NULL, name TEXT, title TEXT, description TEXT, mime_type TEXT, "
            "constraint_name TEXT, CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), "
            "CONSTRAINT gdc_tn UNIQUE (table_name, name))"
        )
        db.execute(
            "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, "
            "extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, "
            "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))"
        )
        db.execute(
            "INSERT OR IGNORE INTO gpkg_extensions VALUES ('gpkg_data_columns', NULL, "
            "'gpkg_schema', 'http://www.geopackage.org/spec121/#extension_schema', 'read-write')"
        )
        for layer, fields in aliases.items():
            existing = {row[1] for row in db.execute(f'PRAGMA table_info("{layer}")')}
            db.executemany(
                "INSERT OR REPLACE INTO gpkg_data_columns (table_name, column_name, title) "
                "VALUES (?, ?, ?)",
                [(layer, f, alias) for f, alias in fields.items() if f in existing],
            )
