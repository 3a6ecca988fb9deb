"""Plotly figures that work offline: no tile server, no topojson download.

Maps draw commune polygons as filled scatter traces in Lambert-93 metres (equal axes, no basemap),
one trace per class, like a graduated map in QGIS: the legend lists the classes (French labels),
hovering a commune shows its values. Charts are plain plotly. Every function is pure: it takes
DataFrames and returns a :class:`plotly.graph_objects.Figure`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from accessmap.errors import ValidationError

if TYPE_CHECKING:
    import geopandas as gpd
    import plotly.graph_objects as go

__all__ = [
    "APL_BINS",
    "APL_COLORS",
    "APL_LABELS",
    "DENSITY_BINS",
    "DENSITY_COLORS",
    "DENSITY_LABELS",
    "MINUTES_BINS",
    "MINUTES_COLORS",
    "MINUTES_LABELS",
    "bar_chart",
    "classify",
    "commune_map",
    "fan_chart",
    "line_chart",
]

METRIC_CRS = "EPSG:2154"
FONT = "Marianne, Arial, sans-serif"

#: APL classes: DREES thresholds (priority zone below 2.5, secondary below 4).
APL_BINS: tuple[float, ...] = (0.0, 2.5, 4.0, np.inf)
APL_LABELS: tuple[str, ...] = ("< 2,5 (zone prioritaire)", "2,5 à 4 (vigilance)", "≥ 4")
APL_COLORS: tuple[str, ...] = ("#c0392b", "#f5b041", "#58a55c")

#: Travel-time classes, half-open [lower, upper) like every band in accessmap.
MINUTES_BINS: tuple[float, ...] = (0.0, 10.0, 20.0, 30.0, 40.0, np.inf)
MINUTES_LABELS: tuple[str, ...] = (
    "moins de 10 min", "10 à 20 min", "20 à 30 min", "30 à 40 min", "40 min et plus",
)  # fmt: skip
MINUTES_COLORS: tuple[str, ...] = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")
#: Population density classes (inhabitants per km²).
DENSITY_BINS: tuple[float, ...] = (0.0, 5.0, 10.0, 20.0, 50.0, np.inf)
DENSITY_LABELS: tuple[str, ...] = (
    "moins de 5", "5 à 10", "10 à 20", "20 à 50", "50 et plus",
)  # fmt: skip
DENSITY_COLORS: tuple[str, ...] = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
MISSING_COLOR = "#d5d8dc"
MISSING_LABEL = "non renseigné"


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
            f"{len(edges)} increasing edges needed for {len(labels)} labels.",
            field="bins",
            fix="give one more edge than labels, increasing.",
        )
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    index = np.searchsorted(edges, numbers, side="right") - 1
    out = np.full(len(numbers), MISSING_LABEL, dtype=object)
    ok = ~np.isnan(numbers) & (index >= 0) & (index < len(labels))
    out[ok] = np.asarray(labels, dtype=object)[index[ok]]
    # values at or beyond the last edge belong to the last class when it is open (inf)
    return pd.Series(out, index=values.index, dtype=object)


def _rings(geometry: Any) -> list[np.ndarray]:
    """Exterior rings of a (multi)polygon, as coordinate arrays."""
    geoms = getattr(geometry, "geoms", [geometry])
    return [np.asarray(g.exterior.coords) for g in geoms if hasattr(g, "exterior")]


def _polygon_xy(geometries: Sequence[Any]) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for geometry in geometries:
        for ring in _rings(geometry):
            xs.extend(ring[:, 0].tolist())
            ys.extend(ring[:, 1].tolist())
            xs.append(None)
            ys.append(None)
    return xs, ys


def _base_layout(fig: go.Figure, title: str, *, height: int = 620) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 17}},
        font={"family": FONT, "size": 12},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={
            "title": {"text": ""},
            "itemsizing": "constant",
            "bgcolor": "rgba(255,255,255,0.8)",
        },
        hoverlabel={"font": {"family": FONT}},
    )
    return fig


def commune_map(
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
    sites_label: str = "Sites",
    extra_layers: Sequence[tuple[gpd.GeoDataFrame, str, str]] = (),
    simplify_m: float = 80.0,
    missing_color: str = MISSING_COLOR,
) -> go.Figure:
    """Map communes coloured by classes of one column, with optional sites and outlines.

    Parameters
    ----------
    communes
        Polygons with a CRS, a ``nom`` column and ``column``.
    column
        The value to map.
    title
        Figure title (French).
    bins, labels, colors
        Half-open classes ``[bins[i], bins[i+1])``, their legend labels and colours.
    hover
        Extra columns shown on hover: ``{column: French label}``.
    outline
        Polygons drawn as a thick outline on top (the territory's edge).
    sites
        Points ``lon``, ``lat`` (EPSG:4326), optional ``name`` and ``kind``, drawn as markers.
    sites_label
        Legend label of the sites.
    extra_layers
        ``(polygons, legend label, rgba fill colour)`` drawn under the communes' outlines
        (isochrones, catchments).
    simplify_m
        Simplification tolerance in metres (keeps the file small).
    missing_color
        Fill of communes without a value (transparent to show ``extra_layers`` through).

    Returns
    -------
    plotly.graph_objects.Figure
        A self-contained figure (no basemap, no tiles).

    Raises
    ------
    ValidationError
        Missing column, no CRS, or classes that do not match.
    """
    import geopandas as gpd
    import plotly.graph_objects as go

    if communes.crs is None:
        raise ValidationError("the map layer has no CRS.", field="communes", fix="set its CRS.")
    if column not in communes.columns:
        raise ValidationError(
            f"no column {column!r} to map.", field=column, fix="compute it or pick another column."
        )
    if len(colors) != len(labels):
        raise ValidationError(
            "one colour per class needed.", field="colors", fix="give as many colours as labels."
        )
    frame = communes.to_crs(METRIC_CRS)
    frame = frame.assign(
        geometry=frame.geometry.simplify(simplify_m), _class=classify(frame[column], bins, labels)
    )
    fig = go.Figure()
    for layer, label, fill in extra_layers:
        geo = layer.to_crs(METRIC_CRS).geometry.simplify(simplify_m)
        xs, ys = _polygon_xy(list(geo))
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, fill="toself", fillcolor=fill, mode="lines",
                line={"width": 0.5, "color": fill}, name=label, hoverinfo="skip",
            )
        )  # fmt: skip
    palette = dict(zip(labels, colors, strict=True))
    palette[MISSING_LABEL] = missing_color
    for label in [*labels, MISSING_LABEL]:
        part = frame[frame["_class"] == label]
        if part.empty:
            continue
        xs, ys = _polygon_xy(list(part.geometry))
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, fill="toself", fillcolor=palette[label], mode="lines",
                line={"width": 0.4, "color": "white"}, name=f"{label} ({len(part)})",
                hoverinfo="skip", opacity=0.85 if extra_layers else 1.0,
            )
        )  # fmt: skip
    inner = frame.geometry.representative_point()
    hover_cols = {column: column, **(hover or {})}
    text = frame["nom"].astype(str) if "nom" in frame.columns else frame.index.astype(str)
    lines = ["<b>" + t + "</b>" for t in text]
    for col, label in hover_cols.items():
        if col not in frame.columns:
            continue
        values = frame[col]
        shown = values.map(
            lambda v: (
                "—"
                if pd.isna(v)
                else (f"{v:,.2f}".replace(",", " ") if isinstance(v, float) else str(v))
            )
        )
        lines = [f"{acc}<br>{label} : {s}" for acc, s in zip(lines, shown, strict=True)]
    fig.add_trace(
        go.Scatter(
            x=inner.x, y=inner.y, mode="markers", marker={"size": 6, "opacity": 0},
            hovertext=lines, hoverinfo="text", showlegend=False, name="communes",
        )
    )  # fmt: skip
    if outline is not None and not outline.empty:
        edge = gpd.GeoSeries([outline.to_crs(METRIC_CRS).union_all()], crs=METRIC_CRS)
        xs, ys = _polygon_xy(list(edge.simplify(simplify_m)))
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="lines", line={"width": 2.2, "color": "#1b2631"},
                name="territoire", hoverinfo="skip",
            )
        )  # fmt: skip
    if sites is not None and not sites.empty:
        pts = gpd.GeoSeries(gpd.points_from_xy(sites["lon"], sites["lat"]), crs="EPSG:4326")
        pts = pts.to_crs(METRIC_CRS)
        names = (
            sites["name"].astype(str) if "name" in sites.columns else pd.Series([""] * len(sites))
        )
        kinds = (
            sites["kind"].astype(str) if "kind" in sites.columns else pd.Series([""] * len(sites))
        )
        fig.add_trace(
            go.Scatter(
                x=pts.x, y=pts.y, mode="markers",
                marker={
                    "size": 9, "color": "#1f3a93", "symbol": "cross",
                    "line": {"width": 1, "color": "white"},
                },
                name=sites_label,
                hovertext=[f"{n}<br>{k}" for n, k in zip(names, kinds, strict=True)],
                hoverinfo="text",
            )
        )  # fmt: skip
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    return _base_layout(fig, title)


def bar_chart(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    x_label: str,
    y_label: str,
    color: str | None = None,
    colors: Sequence[str] | None = None,
) -> go.Figure:
    """Bar chart (population by band, options side by side...).

    Parameters
    ----------
    frame
        The data.
    x, y
        Column names.
    title, x_label, y_label
        French labels.
    color
        Optional column for grouped bars.
    colors
        Bar colours (one per bar, or per group).

    Returns
    -------
    plotly.graph_objects.Figure
        The chart.
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    if color is None:
        fig.add_trace(
            go.Bar(x=frame[x], y=frame[y], marker={"color": list(colors) if colors else "#2e86c1"},
                   text=frame[y], texttemplate="%{text:,.0f}", textposition="outside")
        )  # fmt: skip
    else:
        for i, (key, part) in enumerate(frame.groupby(color, sort=False)):
            fill = colors[i % len(colors)] if colors else None
            fig.add_trace(go.Bar(x=part[x], y=part[y], name=str(key), marker={"color": fill}))
        fig.update_layout(barmode="group")
    fig.update_xaxes(title=x_label)
    fig.update_yaxes(title=y_label, separatethousands=True)
    return _base_layout(fig, title, height=420)


def line_chart(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    x_label: str,
    y_label: str,
    color: str | None = None,
    dash_after: float | None = None,
) -> go.Figure:
    """Line chart, one line per ``color`` group (year-by-year outlooks).

    Parameters
    ----------
    frame
        Long table.
    x, y
        Column names.
    title, x_label, y_label
        French labels.
    color
        Optional grouping column.
    dash_after
        Draw a vertical dotted line at this x (e.g. today's year).

    Returns
    -------
    plotly.graph_objects.Figure
        The chart.
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    groups = [("", frame)] if color is None else list(frame.groupby(color, sort=False))
    for key, part in groups:
        fig.add_trace(go.Scatter(x=part[x], y=part[y], mode="lines+markers", name=str(key)))
    if dash_after is not None:
        fig.add_vline(x=dash_after, line_dash="dot", line_color="#7f8c8d")
    fig.update_xaxes(title=x_label)
    fig.update_yaxes(title=y_label)
    return _base_layout(fig, title, height=420)


def fan_chart(
    frame: pd.DataFrame,
    *,
    x: str,
    low: str,
    mid: str,
    high: str,
    title: str,
    x_label: str,
    y_label: str,
    expected: str | None = None,
    band_label: str = "intervalle 10 % – 90 %",
) -> go.Figure:
    """Fan chart of Monte Carlo quantiles (10/50/90) with the expected value.

    Parameters
    ----------
    frame
        One row per x with the quantile columns.
    x, low, mid, high
        Column names (x, 10th, 50th and 90th percentiles).
    title, x_label, y_label
        French labels.
    expected
        Optional column of expected values (deterministic engine).
    band_label
        Legend label of the band.

    Returns
    -------
    plotly.graph_objects.Figure
        The chart.
    """
    import plotly.graph_objects as go

    data = frame.sort_values(x)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=data[x],
            y=data[high],
            mode="lines",
            line={"width": 0},
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=data[x], y=data[low], mode="lines", line={"width": 0}, fill="tonexty",
            fillcolor="rgba(46,134,193,0.25)", name=band_label,
        )
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=data[x], y=data[mid], mode="lines+markers", name="médiane", line={"color": "#1f618d"}
        )
    )
    if expected is not None:
        fig.add_trace(
            go.Scatter(
                x=data[x],
                y=data[expected],
                mode="lines",
                name="espérance",
                line={"dash": "dash", "color": "#7d3c98"},
            )
        )
    fig.update_xaxes(title=x_label)
    fig.update_yaxes(title=y_label)
    return _base_layout(fig, title, height=420)
