"""Read the communes of some departments and of their neighbours (for the study buffer)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from accessmap.errors import OfflineError
from accessmap.messages import muted
from accessmap.territory import DEPARTMENT_NEIGHBOURS, GEO_CRS

if TYPE_CHECKING:
    import geopandas as gpd

    from accessmap.sources import SourceFile

__all__ = ["load_with_neighbours"]


def load_with_neighbours(
    departments: Iterable[str], buffer_km: float, provenance: list[SourceFile] | None
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Load departments and, when a buffer is wanted, whichever neighbours are available.

    Parameters
    ----------
    departments
        Department codes of the territory.
    buffer_km
        Width of the study buffer; with 0 no neighbour is read.
    provenance
        Receives every file read.

    Returns
    -------
    tuple
        The communes (EPSG:4326) and the neighbouring departments that could not be loaded.

    Raises
    ------
    OfflineError
        A department of the territory is not available.
    """
    import geopandas as gpd

    from accessmap.sources import load_communes

    core = sorted(set(departments))
    missing: list[str] = []
    # the town halls moved are said by build_territory, for the study area's communes only
    with muted("sources.town_halls_moved"):
        frames = [load_communes(core, provenance=provenance)]
        if buffer_km > 0:
            neighbours = sorted(
                set().union(*(DEPARTMENT_NEIGHBOURS.get(d, frozenset()) for d in core)) - set(core)
            )
            for dep in neighbours:
                try:
                    frames.append(load_communes([dep], provenance=provenance))
                except OfflineError:
                    missing.append(dep)
    table = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(table, geometry="geometry", crs=GEO_CRS), missing
