"""Territories drawn from a regional natural park's real perimeter (``--territory pnr:CODE``).

The park is found by code or name in the parks file (:func:`accessmap.sources.parks.load_parks`);
its communes are those with at least half their area inside its polygon
(:func:`accessmap.parks.park_communes`); only the departments whose communes files meet the
park's extent are read, or, for a preset, the departments it declares. The territory keeps the
park's polygon as :attr:`accessmap.territory.Territory.outline`, for maps.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from accessmap.errors import ValidationError
from accessmap.inputs.areas import load_with_neighbours
from accessmap.messages import muted
from accessmap.messages.formats import fmt_percent
from accessmap.parks import PARK_MIN_SHARE, find_park, park_communes
from accessmap.territory import build_territory

if TYPE_CHECKING:
    from accessmap.sources import SourceFile
    from accessmap.territory import Territory

__all__ = ["PARK_PREFIX", "load_park_territory"]

#: The prefix of a park specification: ``pnr:FR8000045`` or ``pnr:millevaches``.
PARK_PREFIX = "pnr:"


def load_park_territory(
    query: str,
    *,
    buffer_km: float = 30.0,
    provenance: list[SourceFile] | None = None,
    nearest: tuple[tuple[float, float], int] | None = None,
    name: str | None = None,
    rule: str | None = None,
    departments: Sequence[str] | None = None,
) -> Territory:
    """Build the territory of a park's communes (at least half their area inside) and its buffer.

    Parameters
    ----------
    query
        Park code (``FR8000045``) or name (accents and case ignored).
    buffer_km
        Width of the study buffer.
    provenance
        Receives every file read.
    nearest
        ``((lon, lat), n)``: keep only the ``n`` park communes whose town hall is nearest that
        point (Lambert-93), e.g. a study zone inside the park.
    departments
        The departments the park lies in, when known (a preset's): its communes are looked for
        there, instead of in every department whose communes' extent meets the park's (which
        takes reading every communes file once per cache folder, and loading the communes of
        the neighbouring departments the extent also meets: 03, 15 and 63 for Millevaches).
    name, rule
        Territory name and rule (default: the park's title and the half-area rule).

    Returns
    -------
    Territory
        With ``outline`` the park's polygon (EPSG:4326).

    Raises
    ------
    ValidationError
        Unknown or ambiguous park (near names listed), or no loaded commune in the park.
    OfflineError
        The parks file or a department's communes are not available.
    """
    from accessmap.sources import load_communes
    from accessmap.sources.parks import departments_meeting, load_parks

    park = find_park(load_parks(provenance=provenance), query)
    lo_x, lo_y, hi_x, hi_y = (float(v) for v in park.outline.total_bounds)
    candidates = (
        departments_meeting((lo_x, lo_y, hi_x, hi_y))
        if departments is None
        else sorted({str(d) for d in departments})
    )
    with muted("sources.town_halls_moved"):  # said for the study area (build_territory)
        pool = load_communes(candidates) if candidates else None
    codes = park_communes(pool, park.outline) if pool is not None else []
    if pool is None or not codes:
        raise ValidationError(
            "parks.no_communes", field="--territory", park=park.title, code=park.code
        )
    departments = sorted(set(pool.loc[pool["code"].isin(set(codes)), "dep"].astype(str)))
    communes, missing = load_with_neighbours(departments, buffer_km, provenance)
    default_rule = (
        f"Les {len(codes)} communes dont au moins {fmt_percent(PARK_MIN_SHARE)} de la surface "
        f"est dans le périmètre du {park.title} ({park.code}, couche MNHN/INPN des parcs naturels "
        "régionaux), surfaces en Lambert-93."
    )
    if nearest is not None:
        centre, count = nearest
        pool = communes[communes["code"].isin(set(codes))]
        with muted("territory.town_halls_moved"):  # said for the study area, just below
            core = build_territory(pool, nearest_to=centre, n_nearest=count, buffer_km=0)
        codes = core.codes
    territory = build_territory(
        communes, codes=codes, buffer_km=buffer_km, name=name or park.title,
        rule=rule or default_rule, missing_departments=missing,
    )  # fmt: skip
    return dataclasses.replace(territory, outline=park.outline)
