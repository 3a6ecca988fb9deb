"""Road travel times: OSM graph → edge minutes → CSR matrix → multi-source Dijkstra → OD table.

The pipeline, each step a pure function, one module per step:

1. :mod:`~accessmap.network.speeds`: :func:`edge_speeds` gives every edge a speed, its OSM
   ``maxspeed`` when tagged (:func:`parse_maxspeed`), else the French rural speed of its
   ``highway`` class (:data:`RURAL_SPEEDS_KMH`), times a winter factor (:data:`WINTER_FACTORS`).
2. :mod:`~accessmap.network.graph`: :func:`build_network` turns an osmnx-style graph into a
   :class:`RoadNetwork` (CSR of edge minutes built once, node KD-tree, largest strongly connected
   component, :class:`ComponentReport`); simplified-geometry graphs get the ``road_length_factor``.
3. :mod:`~accessmap.network.snapping`: :func:`snap_points` ties points to their nearest node and
   times the off-network leg; :func:`check_coverage` refuses a network far from the points.
4. :mod:`~accessmap.network.routing`: :func:`travel_times` (dense, sparse under a ``horizon``, or
   nearest with ``min_only``) and :func:`minutes_to_nearest`;
   :mod:`~accessmap.network.crowfly`: :func:`crowfly_times`, the offline estimate.
5. :mod:`~accessmap.network.keys`: :func:`traveltimes_key` hashes every input for the store.

Both methods return a :class:`TravelTimes` whose ``table`` is *the* travel-time table of the
project: columns exactly ``origin_id, dest_id, minutes, method``.
"""

from __future__ import annotations

from accessmap.contracts import OD_COLUMNS, validate_points
from accessmap.network.crowfly import crowfly_times
from accessmap.network.graph import (
    SIMPLIFIED_GEOMETRY,
    ComponentReport,
    RoadNetwork,
    add_travel_times,
    build_network,
    length_factor,
    network_from_frames,
)
from accessmap.network.keys import traveltimes_key
from accessmap.network.osmgraph import network_from_ways
from accessmap.network.routing import minutes_to_nearest, travel_times
from accessmap.network.snapping import check_coverage, snap_points
from accessmap.network.speeds import (
    DEFAULT_SPEED_KMH,
    DEFAULT_WINTER_FACTOR,
    IMPLICIT_MAXSPEEDS_KMH,
    RURAL_SPEEDS_KMH,
    WINTER_FACTORS,
    edge_speeds,
    parse_maxspeed,
)
from accessmap.network.tables import OdSummary, TravelTimes, summarize_od

__all__ = [
    "DEFAULT_SPEED_KMH",
    "DEFAULT_WINTER_FACTOR",
    "IMPLICIT_MAXSPEEDS_KMH",
    "OD_COLUMNS",
    "RURAL_SPEEDS_KMH",
    "SIMPLIFIED_GEOMETRY",
    "WINTER_FACTORS",
    "ComponentReport",
    "OdSummary",
    "RoadNetwork",
    "TravelTimes",
    "add_travel_times",
    "build_network",
    "check_coverage",
    "crowfly_times",
    "edge_speeds",
    "length_factor",
    "minutes_to_nearest",
    "network_from_frames",
    "network_from_ways",
    "parse_maxspeed",
    "snap_points",
    "summarize_od",
    "travel_times",
    "traveltimes_key",
    "validate_points",
]
