"""Shared look of every figure: palettes, classes, fonts and the French layout."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from accessmap.conventions import APL_PRIORITY, APL_SECONDARY, NEAREST_BAND_EDGES, band_labels
from accessmap.labels import APL_CLASSES, PLOTLY_SEPARATORS, band_label

if TYPE_CHECKING:
    import plotly.graph_objects as go

METRIC_CRS = "EPSG:2154"
FONT = "Marianne, Arial, sans-serif"
INK = "#1b2631"

#: APL classes: DREES thresholds (priority zone below 2.5, secondary below 4).
APL_BINS: tuple[float, ...] = (0.0, APL_PRIORITY, APL_SECONDARY, np.inf)
APL_LABELS: tuple[str, ...] = tuple(APL_CLASSES[k] for k in ("priority", "secondary", "adequate"))
#: Colour-blind-safe sequential palette (ColorBrewer YlGnBu): the darker, the worse.
APL_COLORS: tuple[str, ...] = ("#253494", "#41b6c4", "#ffffcc")

#: Travel-time classes, half-open [lower, upper) like every band in accessmap.
MINUTES_BINS: tuple[float, ...] = (0.0, *NEAREST_BAND_EDGES, np.inf)
MINUTES_LABELS: tuple[str, ...] = tuple(band_label(b) for b in band_labels(NEAREST_BAND_EDGES))
#: ColorBrewer YlGnBu, 5 classes: light = near, dark = far (colour-blind safe, prints in grey).
MINUTES_COLORS: tuple[str, ...] = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")

#: Population density classes (inhabitants per km²).
DENSITY_BINS: tuple[float, ...] = (0.0, 5.0, 10.0, 20.0, 50.0, np.inf)
DENSITY_LABELS: tuple[str, ...] = (
    "moins de 5", "5 à 10", "10 à 20", "20 à 50", "50 et plus",
)  # fmt: skip
DENSITY_COLORS: tuple[str, ...] = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")

#: Time gained by an option (minutes, before minus after): none, < 5, 5 to 10, 10 and more.
GAIN_BINS: tuple[float, ...] = (-np.inf, 0.05, 5.0, 10.0, np.inf)
GAIN_LABELS: tuple[str, ...] = (
    "aucun gain", "moins de 5 min gagnées", "5 à 10 min gagnées", "10 min gagnées ou plus",
)  # fmt: skip
GAIN_COLORS: tuple[str, ...] = ("#f2f2f2", "#c7e9b4", "#41b6c4", "#225ea8")

MISSING_COLOR = "#d5d8dc"
MISSING_LABEL = "non calculé"
#: Okabe-Ito colours for lines and bars (distinct for colour-blind readers).
SERIES_COLORS: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
)  # fmt: skip
SERIES_DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot", "longdash")
SERIES_SYMBOLS: tuple[str, ...] = ("circle", "square", "diamond", "triangle-up", "x")


def layout_spec(title: str, *, height: int = 620) -> dict[str, Any]:
    """Return the French house layout as a plain dict (:func:`base_layout` applies it).

    Parameters
    ----------
    title
        French title.
    height
        Height in pixels.

    Returns
    -------
    dict
        Title, font, French number separators, white background, legend and hover labels.
    """
    return {
        "title": {"text": title, "x": 0.01, "font": {"size": 17}},
        "font": {"family": FONT, "size": 12, "color": INK},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "separators": PLOTLY_SEPARATORS,
        "legend": {
            "title": {"text": ""},
            "itemsizing": "constant",
            "bgcolor": "rgba(255,255,255,0.85)",
        },
        "hoverlabel": {"font": {"family": FONT}},
    }


def base_layout(fig: go.Figure, title: str, *, height: int = 620) -> go.Figure:
    """Apply the French house layout: title, font, French number separators, white background.

    Parameters
    ----------
    fig
        The figure.
    title
        French title.
    height
        Height in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        The same figure.
    """
    fig.update_layout(**layout_spec(title, height=height))
    return fig
