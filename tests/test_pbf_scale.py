"""The scale benchmark's synthetic road grid is a valid PBF the library reads as expected.

The expectation is worked out here from the generated ways and their tags (which ways a car may
use, which are one-way and in which direction), independently of the reader, on a 20 x 20 grid.
No timing is asserted (the timings belong to ``benchmarks/bench_pbf_scale.py``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from accessmap.network import network_from_ways
from accessmap.sources.osmfile import read_road_ways

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_pbf_scale.py"
SIDE = 20
SEED = 11  # a seed whose 50 ways hold non-drivable ways and both oneway directions


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    pytest.importorskip("osmium")
    spec = importlib.util.spec_from_file_location("bench_pbf_scale", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_pbf_scale"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _drivable(tags: dict[str, str]) -> bool:
    """A car may use it: a road class, not private (the generator's non-drivable kinds)."""
    return tags["highway"] not in {"footway", "service", "track"} and "access" not in tags


def _expected_edges(ways: list) -> set[tuple[int, int]]:
    """Directed (from, to) node-id pairs of the drivable ways, by their ``oneway`` tags."""
    edges: set[tuple[int, int]] = set()
    for way in ways:
        if not _drivable(way.tags):
            continue
        oneway = way.tags.get("oneway")
        for a, b in zip(way.nodes[:-1], way.nodes[1:], strict=True):
            if oneway != "-1":
                edges.add((a, b))
            if oneway != "yes":
                edges.add((b, a))
    return edges


def test_grid_pbf_reads_with_the_expected_nodes_and_edges(
    bench: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "grid.osm.pbf"
    counts = bench.write_grid_pbf(path, SIDE, seed=SEED)
    ways = list(bench.grid_ways(SIDE, seed=SEED))
    assert counts == {"nodes": SIDE * SIDE, "ways": len(ways)}
    tags = [w.tags for w in ways]
    # the grid exercises the filter and the oneways
    assert any(not _drivable(t) for t in tags)
    assert {"yes", "-1"} <= {t.get("oneway") for t in tags}

    expected = _expected_edges(ways)
    expected_nodes = {n for edge in expected for n in edge}
    road = read_road_ways(path)
    assert road.n_ways == sum(_drivable(t) for t in tags)
    assert set(road.node_ids.tolist()) == {n for w in ways if _drivable(w.tags) for n in w.nodes}
    assert road.missing_nodes == 0

    network = network_from_ways(road, simplify=False, keep_largest=False)
    assert network.n_nodes == len(expected_nodes)
    assert network.n_edges == len(expected)
    coo = network.csr.tocoo()
    ids = network.node_ids
    got = set(zip(ids[coo.row].tolist(), ids[coo.col].tolist(), strict=True))
    assert got == expected


def test_grid_is_deterministic_and_over_central_france(bench: ModuleType, tmp_path: Path) -> None:
    one, two = tmp_path / "a.osm.pbf", tmp_path / "b.osm.pbf"
    bench.write_grid_pbf(one, SIDE, seed=5)
    bench.write_grid_pbf(two, SIDE, seed=5)
    assert one.read_bytes() == two.read_bytes()
    road = read_road_ways(one)
    assert road.lon.min() >= 0.99
    assert road.lon.max() < 3.5
    assert road.lat.min() >= 44.99
    assert road.lat.max() < 47.0
    # neighbours along a row are about 120 m apart (realistic metric lengths)
    network = network_from_ways(road, simplify=False, keep_largest=False)
    lengths = network.edges["length_m"].to_numpy()
    assert np.median(lengths) == pytest.approx(bench.SPACING_M, rel=0.1)
