"""Offline commune maps: filled polygons in Lambert-93 metres, no basemap, no tiles.

One trace per class, like a graduated map in QGIS, with filled square legend patches; the names of
the main bourgs printed on the map; every commune's name and values on hover (French numbers); a
scale bar and a north arrow; the same extent for every map of a territory (:func:`map_extent`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from accessmap.errors import ValidationError
from accessmap.labels import column_label, fmt_int, format_value
from accessmap.plots._shapes import (
    _inner_points,
    _metric,
    _outline_xy,
    _polygon_xy,
    _remember,
    _shape_xy,
    remember_shapes,
)
from accessmap.plots._spec import FigureSpec, figure_of
from accessmap.plots._style import (
    GAIN_BINS,
    GAIN_COLORS,
    GAIN_LABELS,
    INK,
    METRIC_CRS,
    MISSING_COLOR,
    MISSING_LABEL,
    layout_spec,
)

if TYPE_CHECKING:
    import geopandas as gpd

Extent = tuple[float, float, float, float]

#: Margin around the territory, as a share of its larger side (every map uses it).
EXTENT_MARGIN = 0.06


def classify(values: pd.Series, bins: Sequence[float], labels: Sequence[str]) -> pd.Series:
    """Put values into half-open classes ``[bins[i], bins[i+1])``.

    Parameters
    ----------
    values
        Numbers (NaN allowed: class :data:`MISSING_LABEL`).
    bins
        Increasing class edges, ``len(labels) + 1`` of them.
    labels
        Class labels.

    Returns
    -------
    pandas.Series
        The label of each value's class (strings).

    Raises
    ------
    ValidationError
        When edges and labels do not match or edges do not increase.
    """
    edges = np.asarray(bins, dtype=float)
    if len(edges) != len(labels) + 1 or np.any(np.diff(edges) <= 0):
        raise ValidationError(
            "plots.bad_bins",
            field="bins",
            edges=len(edges),
            labels=len(labels),
        )
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    index = np.searchsorted(edges, numbers, side="right") - 1
    out = np.full(len(numbers), MISSING_LABEL, dtype=object)
    ok = ~np.isnan(numbers) & (index >= 0) & (index < len(labels))
    out[ok] = np.asarray(labels, dtype=object)[index[ok]]
    return pd.Series(out, index=values.index, dtype=object)


def map_extent(territory: gpd.GeoDataFrame, *, margin: float = EXTENT_MARGIN) -> Extent:
    """Return the extent of every map: the territory's bounding box plus a margin (Lambert-93).

    Parameters
    ----------
    territory
        The territory's communes (any CRS).
    margin
        Margin as a share of the box's larger side.

    Returns
    -------
    tuple
        ``(xmin, ymin, xmax, ymax)`` in metres (EPSG:2154).
    """
    if territory.crs is None:
        raise ValidationError("plots.no_crs", field="territory")
    xmin, ymin, xmax, ymax = (float(v) for v in territory.to_crs(METRIC_CRS).total_bounds)
    pad = margin * max(xmax - xmin, ymax - ymin, 1000.0)
    return (xmin - pad, ymin - pad, xmax + pad, ymax + pad)


def scale_length(width_m: float) -> float:
    """Return a round scale-bar length (1, 2 or 5 × 10^k metres) of about a fifth of the map width.

    Parameters
    ----------
    width_m
        Map width in metres.

    Returns
    -------
    float
        Length in metres (10 km for a 50 km wide territory).
    """
    target = max(width_m / 5.0, 1.0)
    power = 10.0 ** np.floor(np.log10(target))
    for step in (5.0, 2.0, 1.0):
        if step * power <= target:
            return float(step * power)
    return float(power)


@dataclass
class _Spec:
    """A map being built: plain trace, shape and annotation dicts, validated once at the end.

    plotly validates each ``add_trace``, ``add_shape`` and ``update_*`` call on its own; a map
    drawn as dicts and handed to ``go.Figure`` in one call is checked once, the same figure.
    """

    data: list[dict[str, Any]] = field(default_factory=list)
    shapes: list[dict[str, Any]] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)


def _patch(spec: _Spec, label: str, color: str, *, group: str) -> None:
    """Add a filled square legend patch (the polygons themselves stay out of the legend)."""
    spec.data.append(
        {
            "type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": label,
            "legendgroup": group, "hoverinfo": "skip",
            "marker": {"symbol": "square", "size": 15, "color": color,
                       "line": {"width": 0.8, "color": "#7f8c8d"}},
        }
    )  # fmt: skip


def _transparent(color: str) -> bool:
    return color.replace(" ", "").endswith(",0)")


def _polygons(
    spec: _Spec, xy: tuple[np.ndarray, np.ndarray], fill: str, *, group: str, opacity: float = 1.0
) -> None:
    xs, ys = xy
    spec.data.append(
        {
            "type": "scatter", "x": xs, "y": ys, "fill": "toself", "fillcolor": fill,
            "mode": "lines", "opacity": opacity, "line": {"width": 0.5, "color": "white"},
            "legendgroup": group, "showlegend": False, "hoverinfo": "skip", "name": group,
        }
    )  # fmt: skip


@lru_cache(maxsize=1 << 16)
def _remembered(column: str, typed: tuple[type, Any]) -> str:
    """:func:`accessmap.labels.format_value` of ``typed[1]``, remembered by column, type, value."""
    return format_value(column, typed[1])


def _formatted(column: str, value: Any) -> str:
    """Return ``format_value(column, value)``; a report's maps show the same numbers again.

    Numbers only (texts and codes read registries that may grow), told apart by type
    (``True`` and ``1`` are equal keys); zeros are not remembered (``0.0`` and ``-0.0`` are
    equal keys). :func:`forget_formatted` empties the memory (each report starts with it).
    """
    if not isinstance(value, int | float | np.number) or isinstance(value, bool) or value == 0:
        return format_value(column, value)
    return _remembered(column, (type(value), value))


def forget_formatted() -> None:
    """Forget the numbers the maps' hover texts remember (:func:`_formatted`)."""
    _remembered.cache_clear()


def _hover_trace(
    spec: _Spec, frame: pd.DataFrame, at: tuple[np.ndarray, np.ndarray], columns: Mapping[str, str]
) -> None:
    """Invisible points inside each commune carrying its name and French-formatted values."""
    names = frame["nom"].astype(str) if "nom" in frame.columns else frame.index.astype(str)
    lines = ["<b>" + n + "</b>" for n in names]
    for col, title in columns.items():
        if col not in frame.columns:
            continue
        shown = [_formatted(col, v) for v in frame[col]]
        lines = [f"{acc}<br>{title} : {s}" for acc, s in zip(lines, shown, strict=True)]
    spec.data.append(
        {
            "type": "scatter", "x": at[0], "y": at[1], "mode": "markers",
            "marker": {"size": 8, "opacity": 0}, "hovertext": lines,
            "hovertemplate": "%{hovertext}<extra></extra>", "showlegend": False,
            "name": "communes",
        }
    )  # fmt: skip


#: Plot area of a map in the report (pixels): the figure's height less its margins, and the
#: width left beside the legend. The labels' boxes are sized on it (:func:`_unhidden`).
MAP_AREA_PX = (700.0, 560.0)
#: Size of a bourg's name (pixels): font size, mean width of a character, gap above its point.
_LABEL_FONT, _LABEL_CHAR, _LABEL_GAP = 11, 6.2, 4.0


def _unhidden(
    names: Sequence[str], xs: np.ndarray, ys: np.ndarray, *, extent: Extent | None, top: int
) -> list[int]:
    """Return the positions of up to ``top`` names, in order, whose boxes overlap no earlier one.

    A name is written centred above its point (``textposition="top center"``); its box is its
    length in characters times a mean character width, by the font's height, converted to
    metres at the map's scale (the extent fitted in :data:`MAP_AREA_PX`). In a department the
    suburbs of a town crowd its name: the most populous commune keeps its name, a smaller one
    whose name would overlap it is left unnamed (its name stays in the hover and the fiches).
    Without an extent, the ``top`` first are kept.
    """
    if extent is None:
        return list(range(min(top, len(names))))
    xmin, ymin, xmax, ymax = extent
    per_px = max((xmax - xmin) / MAP_AREA_PX[0], (ymax - ymin) / MAP_AREA_PX[1], 1e-9)
    kept: list[int] = []
    boxes: list[tuple[float, float, float, float]] = []
    for i, name in enumerate(names):
        half = len(name) * _LABEL_CHAR / 2 * per_px
        low = ys[i] + _LABEL_GAP * per_px
        box = (xs[i] - half, low, xs[i] + half, low + (_LABEL_FONT + 3) * per_px)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            continue
        kept.append(i)
        boxes.append(box)
        if len(kept) == top:
            break
    return kept


def _bourg_labels(
    spec: _Spec,
    frame: pd.DataFrame,
    at: tuple[np.ndarray, np.ndarray],
    *,
    top: int,
    extent: Extent | None = None,
) -> None:
    """Print the names of the ``top`` most populous communes (of the territory when flagged).

    Going down the communes by population, a name that would overlap one already written is
    skipped for the next (:func:`_unhidden`).
    """
    if top <= 0 or "nom" not in frame.columns or "population" not in frame.columns:
        return
    pool = np.arange(len(frame))
    if "in_territory" in frame.columns:
        pool = pool[frame["in_territory"].astype(bool).to_numpy()]
    population = pd.Series(frame["population"].to_numpy()[pool])
    ranked = pool[population.sort_values(ascending=False, kind="stable").index.to_numpy()]
    names = frame["nom"].astype(str).to_numpy()
    chosen = _unhidden(list(names[ranked]), at[0][ranked], at[1][ranked], extent=extent, top=top)
    main = ranked[chosen]
    if len(main) == 0:
        return
    spec.data.append(
        {
            "type": "scatter", "x": at[0][main], "y": at[1][main], "mode": "text",
            "text": frame["nom"].astype(str).to_numpy()[main], "name": "bourgs",
            "textposition": "top center", "showlegend": False, "hoverinfo": "skip",
            "meta": "bourg-labels",
            "textfont": {"size": 11, "color": INK,
                         "shadow": "1px 1px 2px white, -1px -1px 2px white"},
        }
    )  # fmt: skip


def _scale_bar(spec: _Spec, extent: Extent) -> None:
    """Draw a scale bar (shape + label) in the lower-left corner and a north arrow."""
    xmin, ymin, xmax, ymax = extent
    length = scale_length(xmax - xmin)
    x0 = xmin + 0.03 * (xmax - xmin)
    y0 = ymin + 0.04 * (ymax - ymin)
    tick = 0.01 * (ymax - ymin)
    style = {"color": INK, "width": 2}
    spec.shapes.append(
        {"type": "line", "x0": x0, "x1": x0 + length, "y0": y0, "y1": y0, "line": style,
         "name": "echelle"}
    )  # fmt: skip
    for x in (x0, x0 + length):
        spec.shapes.append(
            {"type": "line", "x0": x, "x1": x, "y0": y0, "y1": y0 + tick, "line": style}
        )
    km = length / 1000.0
    text = f"{fmt_int(km)} km" if km >= 1 else f"{fmt_int(length)} m"
    spec.annotations.append(
        {"x": x0 + length / 2, "y": y0 + tick, "text": text, "showarrow": False,
         "yanchor": "bottom", "font": {"size": 11, "color": INK}, "name": "echelle"}
    )  # fmt: skip
    spec.annotations.append(
        {"x": xmax - 0.03 * (xmax - xmin), "y": ymax - 0.12 * (ymax - ymin), "ax": 0, "ay": 30,
         "text": "N", "showarrow": True, "arrowhead": 2, "arrowwidth": 2, "arrowcolor": INK,
         "font": {"size": 12, "color": INK}, "name": "nord"}
    )  # fmt: skip


#: Marker of a site where no practitioner of the profession practises (an MSP kept for others).
EMPTY_SITE_MARKER = {"size": 9, "color": "white", "symbol": "circle",
                     "line": {"width": 1.6, "color": INK}}  # fmt: skip
#: Legend of those sites.
EMPTY_SITE_LABEL = "Maisons de santé sans médecin de la profession"


def _existing_sites(spec: _Spec, sites: pd.DataFrame, label: str) -> None:
    """Draw the existing sites; those with a column ``fte`` at 0 as empty circles, apart."""
    if "fte" not in sites.columns:
        _site_trace(spec, sites, label, new=False)
        return
    empty = sites["fte"].fillna(0.0) <= 0
    if (~empty).any():
        _site_trace(spec, sites[~empty], label, new=False)
    if empty.any():
        _site_trace(spec, sites[empty], EMPTY_SITE_LABEL, new=False, marker=EMPTY_SITE_MARKER)


#: Kinds of site named at the map's edge when they lie beyond it (rare, worth knowing).
NAMED_KINDS = ("volunteer_centre",)


def _metric_points(sites: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Lambert-93 metres of sites given in ``lon``/``lat`` (EPSG:4326)."""
    import geopandas as gpd

    lon, lat = sites["lon"], sites["lat"]

    def compute() -> tuple[np.ndarray, np.ndarray]:
        pts = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326").to_crs(METRIC_CRS)
        return pts.x.to_numpy(), pts.y.to_numpy()

    key = ("points", np.asarray(lon, dtype=float).tobytes(), np.asarray(lat, dtype=float).tobytes())
    xy: tuple[np.ndarray, np.ndarray] = _remember(key, np.empty(0, dtype=object), compute)
    return xy


def _beyond_the_map(spec: _Spec, sites: pd.DataFrame, box: Extent) -> None:
    """Point from the map's edge at the sites of :data:`NAMED_KINDS` beyond it (distance)."""
    if "kind" not in sites.columns:
        return
    named = sites[sites["kind"].astype(str).isin(NAMED_KINDS)]
    if named.empty:
        return
    xs, ys = _metric_points(named)
    xmin, ymin, xmax, ymax = box
    names = named["name"].astype(str) if "name" in named.columns else named["kind"].astype(str)
    for x, y, name in zip(xs, ys, names, strict=True):
        if xmin <= x <= xmax and ymin <= y <= ymax:
            continue
        ex, ey = min(max(x, xmin), xmax), min(max(y, ymin), ymax)
        km = ((x - ex) ** 2 + (y - ey) ** 2) ** 0.5 / 1000.0
        # the arrow points out of the map, towards the site; its text stays inside
        ax = 0 if xmin < x < xmax else (40 if x < xmin else -40)
        ay = 0 if ymin < y < ymax else (-40 if y < ymin else 40)
        spec.annotations.append(
            {"x": ex, "y": ey, "ax": ax, "ay": ay, "showarrow": True, "arrowhead": 2,
             "arrowcolor": INK, "text": f"{name} (hors carte, à {fmt_int(km)} km)",
             "bgcolor": "rgba(255,255,255,0.85)", "font": {"size": 10, "color": INK},
             "name": "hors-carte"}
        )  # fmt: skip


def _site_trace(
    spec: _Spec,
    sites: pd.DataFrame,
    label: str,
    *,
    new: bool,
    marker: dict[str, object] | None = None,
) -> None:
    from accessmap.labels import SITE_KINDS

    xs, ys = _metric_points(sites)
    blank = pd.Series([""] * len(sites), index=sites.index)
    names = sites["name"].astype(str) if "name" in sites.columns else blank
    kinds = (
        sites["kind"].astype(str).map(lambda k: SITE_KINDS.get(k, k)) if "kind" in sites else blank
    )
    marker = marker or (
        {"size": 15, "color": "#D55E00", "symbol": "star", "line": {"width": 1, "color": "white"}}
        if new
        else {"size": 9, "color": INK, "symbol": "cross", "line": {"width": 1, "color": "white"}}
    )  # fmt: skip
    spec.data.append(
        {
            "type": "scatter", "x": xs, "y": ys, "mode": "markers+text" if new else "markers",
            "marker": marker, "name": label, "text": names if new else None,
            "textposition": "bottom center",
            "textfont": {"size": 12, "color": "#a04000", "shadow": "1px 1px 2px white"},
            "hovertext": [f"<b>{n}</b><br>{k}" for n, k in zip(names, kinds, strict=True)],
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
    )  # fmt: skip


def commune_map_spec(
    communes: gpd.GeoDataFrame,
    column: str,
    *,
    title: str,
    bins: Sequence[float],
    labels: Sequence[str],
    colors: Sequence[str],
    hover: Mapping[str, str] | None = None,
    outline: gpd.GeoDataFrame | None = None,
    sites: pd.DataFrame | None = None,
    sites_label: str = "Cabinets et maisons de santé",
    new_sites: pd.DataFrame | None = None,
    new_sites_label: str = "Nouveaux sites",
    extra_layers: Sequence[tuple[gpd.GeoDataFrame, str, str]] = (),
    extent: Extent | None = None,
    label_top: int = 10,
    scale_bar: bool = True,
    simplify_m: float = 80.0,
    missing_color: str = MISSING_COLOR,
    missing_label: str = MISSING_LABEL,
) -> FigureSpec:
    """Map communes coloured by classes of one column, with sites, outline, names and scale.

    Parameters
    ----------
    communes
        Polygons with a CRS, a ``nom`` column and ``column`` (``population`` and
        ``in_territory`` let the main bourgs be labelled).
    column
        The value to map.
    title
        Figure title (French).
    bins, labels, colors
        Half-open classes ``[bins[i], bins[i+1])``, their legend labels and colours.
    hover
        Extra columns shown on hover: ``{column: French label}`` (values formatted per column
        by :func:`accessmap.labels.format_value`).
    outline
        The territory: drawn as a thick outline; its bounding box sets the extent.
    sites
        Existing GP sites: ``lon``, ``lat`` (EPSG:4326), optional ``name`` and ``kind``.
    sites_label
        Legend label of the sites.
    new_sites
        Sites an option adds (drawn as stars).
    new_sites_label
        Legend label of the new sites.
    extra_layers
        ``(polygons, legend label, rgba fill colour)`` drawn under the communes (isochrones).
    extent
        ``(xmin, ymin, xmax, ymax)`` in Lambert-93 metres; default :func:`map_extent` of
        ``outline`` (or of ``communes``), the same rule for every map.
    label_top
        Number of most populous communes whose names are printed (0: none).
    scale_bar
        Draw a scale bar and a north arrow.
    simplify_m
        Simplification tolerance in metres (keeps the file small).
    missing_color, missing_label
        Fill and legend label of communes without a value.

    Returns
    -------
    dict
        The figure spec (:data:`accessmap.plots._spec.FigureSpec`), written without plotly's
        validation.

    Raises
    ------
    ValidationError
        Missing column, no CRS, or classes that do not match.
    """
    _check(communes, column, labels, colors)
    shapes = _metric(communes.geometry, simplify_m).to_numpy()
    classes = classify(communes[column], bins, labels).to_numpy().copy()
    classes[classes == MISSING_LABEL] = missing_label
    spec = _Spec()
    for layer, name, fill in extra_layers:
        _polygons(spec, _polygon_xy(list(_metric(layer.geometry, simplify_m))), fill, group=name)
        _patch(spec, name, fill, group=name)
    palette = {**dict(zip(labels, colors, strict=True)), missing_label: missing_color}
    xs, ys, lengths = _shape_xy(shapes)
    for name in [*labels, missing_label]:
        drawn = classes == name
        if drawn.any():
            keep = np.repeat(drawn, lengths)
            _polygons(spec, (xs[keep], ys[keep]), palette[name], group=name,
                      opacity=0.8 if extra_layers else 1.0)  # fmt: skip
        # every class keeps its patch (the same legend on every map); empty ones are not drawn
        if name and not _transparent(palette[name]) and (name != missing_label or drawn.any()):
            _patch(spec, name, palette[name], group=name)
    at = _inner_points(shapes)
    _hover_trace(spec, communes, at, {column: column_label(column), **(hover or {})})
    if sites is not None and not sites.empty:
        _existing_sites(spec, sites, sites_label)
    if new_sites is not None and not new_sites.empty:
        _site_trace(spec, new_sites, new_sites_label, new=True)
    box = extent or map_extent(outline if outline is not None and not outline.empty else communes)
    # drawn last: the names stay readable above the site markers (white halo)
    _decorate(
        spec, communes, at, outline=outline, simplify_m=simplify_m, label_top=label_top,
        extent=box,
    )  # fmt: skip
    if sites is not None and not sites.empty:
        _beyond_the_map(spec, sites, box)
    if scale_bar:
        _scale_bar(spec, box)
    layout = {
        **layout_spec(title),
        "shapes": spec.shapes,
        "annotations": spec.annotations,
        "xaxis": {"visible": False, "range": [box[0], box[2]], "constrain": "domain"},
        "yaxis": {"visible": False, "range": [box[1], box[3]], "scaleanchor": "x",
                  "scaleratio": 1, "constrain": "domain"},
    }  # fmt: skip
    return {"data": spec.data, "layout": layout}


commune_map = figure_of(commune_map_spec, returns="A self-contained figure (no basemap, no tiles).")


def _check(
    communes: gpd.GeoDataFrame, column: str, labels: Sequence[str], colors: Sequence[str]
) -> None:
    if communes.crs is None:
        raise ValidationError("plots.no_crs", field="communes")
    if column not in communes.columns:
        raise ValidationError("plots.no_column", field=column, column=column)
    if len(colors) != len(labels):
        raise ValidationError(
            "plots.colours_mismatch", field="colors", colours=len(colors), labels=len(labels)
        )


def _decorate(
    spec: _Spec,
    frame: pd.DataFrame,
    at: tuple[np.ndarray, np.ndarray],
    *,
    outline: gpd.GeoDataFrame | None,
    simplify_m: float,
    label_top: int,
    extent: Extent | None = None,
) -> None:
    """Territory outline and the names of the main bourgs (none hiding another)."""
    if outline is not None and not outline.empty:
        xs, ys = _outline_xy(outline, simplify_m)
        spec.data.append(
            {
                "type": "scatter", "x": xs, "y": ys, "mode": "lines",
                "line": {"width": 2.2, "color": INK}, "name": "limite du territoire",
                "hoverinfo": "skip",
            }
        )  # fmt: skip
    _bourg_labels(spec, frame, at, top=label_top, extent=extent)


def gain_map_spec(
    communes: gpd.GeoDataFrame,
    *,
    before: str,
    after: str,
    title: str,
    outline: gpd.GeoDataFrame | None = None,
    sites: pd.DataFrame | None = None,
    new_sites: pd.DataFrame | None = None,
    hover: Mapping[str, str] | None = None,
    extent: Extent | None = None,
    label_top: int = 10,
    apl: tuple[str, str] | None = None,
) -> FigureSpec:
    """Before/after map of an option: communes coloured by the minutes they gain.

    Parameters
    ----------
    communes
        Polygons with ``nom`` and the two time columns.
    before, after
        Columns of the time to the nearest GP today and with the option (minutes).
    title
        French title.
    outline
        The territory (outline and extent).
    sites, new_sites
        Existing sites and the sites the option adds.
    hover
        Extra hover columns ``{column: French label}`` (the two times are always shown).
    extent
        Map extent (default: :func:`map_extent` of ``outline``).
    label_top
        Number of bourgs labelled.
    apl
        Columns of the APL before and after: each commune whose APL changes by 0.01 or more
        carries its gain as a printed number (« +0,12 »), under its name.

    Returns
    -------
    dict
        The figure spec (:data:`accessmap.plots._spec.FigureSpec`), written without plotly's
        validation.
    """
    gain = communes[before].astype(float) - communes[after].astype(float)
    frame = communes.assign(gain_minutes=gain.where(np.isfinite(gain), 0.0))
    shown = {
        before: "temps aujourd'hui (min)",
        after: "temps avec l'option (min)",
        "gain_minutes": "gain (min)",
        **(hover or {}),
    }
    spec = commune_map_spec(
        frame, "gain_minutes", title=title, bins=GAIN_BINS, labels=GAIN_LABELS,
        colors=GAIN_COLORS, hover=shown, outline=outline, sites=sites, new_sites=new_sites,
        extent=extent, label_top=label_top,
    )  # fmt: skip
    if apl is not None:
        _apl_gain_labels(spec, frame, *apl)
    return spec


gain_map = figure_of(
    gain_map_spec,
    returns='Classes "aucun gain", "moins de 5 min gagnées", "5 à 10 min", "10 min ou plus".',
)


def _projected_points(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return the representative points of the shapes projected to Lambert-93 (not simplified)."""
    shapes = frame.geometry
    projected = remember_shapes(
        "projected", shapes, 0.0, lambda: shapes.to_crs(METRIC_CRS).to_numpy()
    )
    return _inner_points(projected)


def _apl_gain_labels(spec: FigureSpec, frame: gpd.GeoDataFrame, before: str, after: str) -> None:
    """Print each commune's APL gain (0.01 or more) under its representative point."""
    gain = (frame[after].astype(float) - frame[before].astype(float)).to_numpy()
    changed = np.abs(np.nan_to_num(gain, nan=0.0)) >= 0.01
    if not changed.any():
        return
    xs, ys = _projected_points(frame)
    text = [f"{v:+.2f}".replace(".", ",") for v in gain[changed]]
    spec["data"].append(
        {
            "type": "scatter", "x": xs[changed], "y": ys[changed], "mode": "text", "text": text,
            "name": "APL modélisé gagné", "textposition": "bottom center", "hoverinfo": "skip",
            "showlegend": True,
            "textfont": {"size": 10, "color": "#7b3294", "shadow": "1px 1px 2px white"},
        }
    )  # fmt: skip


def key_map_spec(
    communes: gpd.GeoDataFrame,
    *,
    title: str,
    outline: gpd.GeoDataFrame | None = None,
    extent: Extent | None = None,
) -> FigureSpec:
    """Location map for print: every commune carries its number, in the order of the rows.

    The numbers are the key of a numbered list of the communes (the report's index), so that
    every commune can be found on paper; no marker is drawn over them.

    Parameters
    ----------
    communes
        Polygons with ``nom``, in the order of the key (number 1 is the first row).
    title
        French title.
    outline
        The territory (outline and extent).
    extent
        Map extent (default: :func:`map_extent` of ``outline``).

    Returns
    -------
    dict
        The figure spec (:data:`accessmap.plots._spec.FigureSpec`), written without plotly's
        validation.
    """
    frame = communes.assign(repere=1.0)
    spec = commune_map_spec(
        frame, "repere", title=title, bins=(0.0, 2.0), labels=("commune du territoire",),
        colors=("#f2f3f4",), outline=outline, extent=extent,
        label_top=0,
    )  # fmt: skip
    xs, ys = _projected_points(frame)
    spec["data"].append(
        {
            "type": "scatter", "x": xs, "y": ys, "mode": "text",
            "text": [str(i) for i in range(1, len(frame) + 1)],
            "textfont": {"size": 9, "color": INK}, "name": "numéro de la commune (index)",
            "hovertext": list(frame["nom"].astype(str)),
            "hovertemplate": "%{hovertext}<extra></extra>", "meta": "commune-numbers",
        }
    )  # fmt: skip
    return spec


key_map = figure_of(key_map_spec, returns="The map.")
