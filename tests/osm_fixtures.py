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


def osm_xml(
    nodes: dict[int, tuple[float, float]] | None = None,
    ways: list[tuple[int, list[int], dict[str, str]]] | None = None,
) -> str:
    """OSM XML text for the given nodes and ways (default: the Bugeat network above)."""
    nodes = NODES if nodes is None else nodes
    ways = WAYS if ways is None else ways
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="tests">']
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
) -> Path:
    """Write :func:`osm_xml` to ``path`` and return it."""
    path.write_text(osm_xml(nodes, ways), encoding="utf-8")
    return path
