"""osmnx's ``drive`` filter on OSM way tags: which ways a car may use.

The same filter as osmnx sends to Overpass for ``network_type="drive"``, applied to the ways of a
local file, so that a local extract and an Overpass download keep the same ways.

References
----------
osmnx ``_overpass._get_network_filter("drive")``; Boeing, G. (2025). Modeling and analyzing urban
networks and amenities with OSMnx. Geographical Analysis. https://doi.org/10.1111/gean.70009
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["DRIVE_EXCLUDED", "is_drivable"]

#: osmnx's ``drive`` filter: a way with a ``highway`` tag is drivable unless one of these tags
#: matches its regular expression (Overpass ``!~``: an unanchored, case-sensitive search).
DRIVE_EXCLUDED: Mapping[str, str] = {
    "area": "yes",
    "access": "private",
    "highway": (
        "abandoned|bridleway|bus_guideway|construction|corridor|cycleway|elevator|escalator|"
        "footway|no|path|pedestrian|planned|platform|proposed|raceway|razed|rest_area|service|"
        "services|steps|track"
    ),
    "motor_vehicle": "no",
    "motorcar": "no",
    "service": "alley|driveway|emergency_access|parking|parking_aisle|private",
}
_EXCLUDED = tuple((key, re.compile(pattern)) for key, pattern in DRIVE_EXCLUDED.items())


def is_drivable(tags: Mapping[str, str]) -> bool:
    """Whether a way passes osmnx's ``drive`` filter.

    Parameters
    ----------
    tags
        The way's OSM tags.

    Returns
    -------
    bool
        ``True`` for a way with a ``highway`` tag that no exclusion of :data:`DRIVE_EXCLUDED`
        matches.

    References
    ----------
    osmnx ``_overpass._get_network_filter("drive")``; Boeing, G. (2025). Modeling and analyzing
    urban networks and amenities with OSMnx. Geographical Analysis.
    https://doi.org/10.1111/gean.70009
    """
    if "highway" not in tags:
        return False
    for key, pattern in _EXCLUDED:
        value = tags.get(key)
        if value is not None and pattern.search(value):
            return False
    return True
