"""The map of the zones reached within T minutes of the sites (isochrones), over the communes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from accessmap.labels import fmt_int
from accessmap.plots.maps import commune_map

if TYPE_CHECKING:
    import geopandas as gpd
    import plotly.graph_objects as go

__all__ = ["ISOCHRONE_SHADES", "isochrone_map"]

#: Fills of the zones, nearest first (darker within fewer minutes).
ISOCHRONE_SHADES = ("rgba(8,104,172,0.55)", "rgba(67,162,202,0.4)", "rgba(123,204,196,0.3)")


def isochrone_map(
    zones: gpd.GeoDataFrame,
    communes: gpd.GeoDataFrame,
    *,
    title: str = "Zones atteintes depuis les sites de médecins",
    outline: gpd.GeoDataFrame | None = None,
    sites: pd.DataFrame | None = None,
    hover: dict[str, str] | None = None,
) -> go.Figure:
    """Map nested isochrones (one shade per threshold) under the communes' outlines.

    Parameters
    ----------
    zones
        :func:`accessmap.catchments.isochrones`: ``minutes`` and ``geometry``, one row per
        threshold.
    communes
        Polygons with ``nom`` (their outlines and names are drawn, unfilled).
    title
        French title.
    outline
        The territory (outline and extent); default: ``communes``.
    sites
        The sites the zones are drawn from (``lon``, ``lat``).
    hover
        Extra columns shown on hover (``{column: French label}``).

    Returns
    -------
    plotly.graph_objects.Figure
        Offline, like every map of :mod:`accessmap.plots`.
    """
    minutes = sorted({float(m) for m in zones["minutes"]})
    fills = {m: ISOCHRONE_SHADES[min(i, len(ISOCHRONE_SHADES) - 1)] for i, m in enumerate(minutes)}
    layers = [
        (zones[zones["minutes"] == m], f"moins de {fmt_int(m)} min d'un site", fills[m])
        for m in reversed(minutes)
    ]
    return commune_map(
        communes.assign(_none=np.nan),
        "_none",
        title=title,
        bins=(0.0, 1.0),
        labels=("",),
        colors=("rgba(0,0,0,0)",),
        extra_layers=layers,
        missing_color="rgba(0,0,0,0)",
        missing_label="commune",
        hover=hover,
        outline=communes if outline is None else outline,
        sites=sites,
    )
