"""Hand-written OpenStreetMap XML for the network, catchment and OSM-source tests.

A small road network near Bugeat (Corrèze), about 1 km across:

- ``1-2-3`` secondary road with ``maxspeed=70``;
- ``3-4`` tertiary road, no ``maxspeed`` (table speed);
- ``4-5`` residential one-way street (4 → 5);
- ``5-1`` unclassified road with ``maxspeed=FR:rural``;
- ``2-5`` residential street with ``oneway=-1`` (drivable 5 → 2 only);
- ``3-6`` a ``highway=road`` with no speed at all (table speed);
- ``6-4`` a footway (not drivable: removed);
- ``4-9`` one-way dead end (9 can be reached, not left: outside the largest strongly connected
  component);
- ``7-8`` a disconnected island (residential).

:data:`FAR_NODES` / :data:`FAR_WAYS` are a tiny network in Helsinki (an extract given by mistake).
"""

from __future__ import annotations

from pathlib import Path

NODES: dict[int, tuple[float, float]] = {
    1: (1.9300, 45.6000),
    2: (1.9350, 45.6000),
    3: (1.9400, 45.6000),
    4: (1.9400, 45.6040),
    5: (1.9300, 45.6040),
    6: (1.9450, 45.6020),
    7: (1.9600, 45.6100),
    8: (1.9650, 45.6100),
    9: (1.9400, 45.6080),
}

WAYS: list[tuple[int, list[int], dict[str, str]]] = [
    (100, [1, 2, 3], {"highway": "secondary", "maxspeed": "70"}),
    (101, [3, 4], {"highway": "tertiary"}),
    (102, [4, 5], {"highway": "residential", "oneway": "yes"}),
    (103, [5, 1], {"highway": "unclassified", "maxspeed": "FR:rural"}),
    (104, [2, 5], {"highway": "residential", "oneway": "-1"}),
    (105, [3, 6], {"highway": "road"}),
    (106, [6, 4], {"highway": "footway"}),
    (107, [4, 9], {"highway": "residential", "oneway": "yes"}),
    (108, [7, 8], {"highway": "residential"}),
]


#: A tiny road network in Helsinki, 2,000 km from the Bugeat points.
FAR_NODES: dict[int, tuple[float, float]] = {
    11: (24.9400, 60.1700),
    12: (24.9450, 60.1700),
    13: (24.9450, 60.1730),
    14: (24.9500, 60.1700),
}
FAR_WAYS: list[tuple[int, list[int], dict[str, str]]] = [
    (200, [11, 12, 13], {"highway": "residential"}),
    (201, [12, 14], {"highway": "tertiary"}),
]


def osm_xml(
    nodes: dict[int, tuple[float, float]] | None = None,
    ways: list[tuple[int, list[int], dict[str, str]]] | None = None,
    *,
    generator: str = "tests",
    bounds: tuple[float, float, float, float] | None = None,
) -> str:
    """OSM XML text for the given nodes and ways (default: the Bugeat network above).

    ``bounds`` (``min_lon, min_lat, max_lon, max_lat``) writes a ``<bounds>`` element.
    """
    nodes = NODES if nodes is None else nodes
    ways = WAYS if ways is None else ways
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<osm version="0.6" generator="{generator}">',
    ]
    if bounds is not None:
        lines.append(
            f'  <bounds minlat="{bounds[1]}" minlon="{bounds[0]}" '
            f'maxlat="{bounds[3]}" maxlon="{bounds[2]}"/>'
        )
    for node_id, (lon, lat) in nodes.items():
        lines.append(f'  <node id="{node_id}" version="1" lat="{lat}" lon="{lon}"/>')
    for way_id, refs, tags in ways:
        lines.append(f'  <way id="{way_id}" version="1">')
        lines.extend(f'    <nd ref="{ref}"/>' for ref in refs)
        lines.extend(f'    <tag k="{k}" v="{v}"/>' for k, v in tags.items())
        lines.append("  </way>")
    lines.append("</osm>")
    return "\n".join(lines) + "\n"


def write_osm(
    path: Path,
    nodes: dict[int, tuple[float, float]] | None = None,
    ways: list[tuple[int, list[int], dict[str, str]]] | None = None,
    *,
    generator: str = "tests",
    bounds: tuple[float, float, float, float] | None = None,
) -> Path:
    """Write :func:`osm_xml` to ``path`` and return it."""
    path.write_text(osm_xml(nodes, ways, generator=generator, bounds=bounds), encoding="utf-8")
    return path


def grid_osm(
    west: float, south: float, east: float, north: float, *, step: float = 0.02
) -> tuple[dict[int, tuple[float, float]], list[tuple[int, list[int], dict[str, str]]]]:
    """Nodes and ways of a two-way street grid covering a lon/lat box (``step`` degrees apart).

    Rows are ``secondary`` roads, columns ``tertiary``, so every node is a junction.
    """
    lons = [west + k * step for k in range(round((east - west) / step) + 1)]
    lats = [south + k * step for k in range(round((north - south) / step) + 1)]
    nodes: dict[int, tuple[float, float]] = {}
    for r, lat in enumerate(lats):
        for c, lon in enumerate(lons):
            nodes[1000 + r * len(lons) + c] = (round(lon, 6), round(lat, 6))
    ways: list[tuple[int, list[int], dict[str, str]]] = []
    for r in range(len(lats)):
        row = [1000 + r * len(lons) + c for c in range(len(lons))]
        ways.append((5000 + r, row, {"highway": "secondary"}))
    for c in range(len(lons)):
        col = [1000 + r * len(lons) + c for r in range(len(lats))]
        ways.append((6000 + c, col, {"highway": "tertiary"}))
    return nodes, ways
