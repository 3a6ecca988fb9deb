"""Plotly figures that work offline: no tile server, no topojson download, French throughout.

Maps draw commune polygons as filled scatter traces in Lambert-93 metres (equal axes, no basemap),
one trace per class, like a graduated map in QGIS: filled legend patches, the names of the main
bourgs, a scale bar, colour-blind-safe palettes with the official thresholds, and the same extent
for every map of a territory. Charts use French number separators and never let one line hide
another. Every function is pure: it takes DataFrames and returns a
:class:`plotly.graph_objects.Figure`; :func:`show` embeds one in a notebook so that its HTML export
keeps it.
"""

from __future__ import annotations

from accessmap.plots._style import (
    APL_BINS,
    APL_COLORS,
    APL_LABELS,
    DENSITY_BINS,
    DENSITY_COLORS,
    DENSITY_LABELS,
    GAIN_BINS,
    GAIN_COLORS,
    GAIN_LABELS,
    MINUTES_BINS,
    MINUTES_COLORS,
    MINUTES_LABELS,
    MISSING_LABEL,
)
from accessmap.plots.charts import bar_chart, fan_chart, line_chart
from accessmap.plots.isochrones import isochrone_map
from accessmap.plots.maps import (
    classify,
    commune_map,
    gain_map,
    key_map,
    map_extent,
    scale_length,
)
from accessmap.plots.notebook import ShownFigure, figure_html, plain_warnings, show

__all__ = [
    "APL_BINS",
    "APL_COLORS",
    "APL_LABELS",
    "DENSITY_BINS",
    "DENSITY_COLORS",
    "DENSITY_LABELS",
    "GAIN_BINS",
    "GAIN_COLORS",
    "GAIN_LABELS",
    "MINUTES_BINS",
    "MINUTES_COLORS",
    "MINUTES_LABELS",
    "MISSING_LABEL",
    "ShownFigure",
    "bar_chart",
    "classify",
    "commune_map",
    "fan_chart",
    "figure_html",
    "gain_map",
    "isochrone_map",
    "key_map",
    "line_chart",
    "map_extent",
    "plain_warnings",
    "scale_length",
    "show",
]
