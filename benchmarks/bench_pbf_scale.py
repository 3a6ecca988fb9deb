"""Benchmark: a synthetic road PBF of up to millions of nodes to CSR and a sparse commune table.

Workload (issue 24, point 3): regional and national scale on one machine, shown by simulation.
For each size (``--sizes``, in nodes), a seeded, deterministic road grid is written as an
``.osm.pbf`` file with pyosmium's ``SimpleWriter`` (:func:`write_grid_pbf`):

* ``side x side`` nodes over central France (from 1.0 E, 45.0 N), 120 m apart along the rows and
  the columns (about 70 nodes per km2, the order of magnitude of :data:`NATIONAL_NODES` over
  France's 550,000 km2);
* every row is a road, cut into ways of three blocks; every fourth column is a cross road, so
  three nodes in four are shape points between junctions (merged by osmnx's simplification);
* every road line gets a class with fixed shares (motorway, trunk, primary, secondary, tertiary,
  unclassified, residential: :data:`CLASS_SHARES`); motorways and trunks are ``oneway=yes``
  (carriageway direction alternating by line), 5 % of the other ways ``oneway=yes`` or ``-1``;
  a third of the ways carry a ``maxspeed``;
* 6 % of the ways are not drivable (``highway=footway``, ``highway=service`` + ``access=private``,
  ``highway=residential`` + ``access=private``, ``highway=track``), to exercise the drive filter.

Then, each step in its own child process (peak resident memory per step, read from ``os.wait4``:
the child's own ``ru_maxrss``, interpreter and libraries included; CPU seconds are the child's
``process_time`` around the work only, imports excluded):

* **read -> CSR**: ``read_road_ways`` + ``network_from_ways``, what ``--osm FILE.osm.pbf`` runs
  (``accessmap.inputs.traveltimes``): drivable ways to arrays, osmnx's simplification, speeds,
  the largest strongly connected component, the CSR and KD-tree;
* **commune table**: on that network, one origin per 2,000 nodes (the communes) to one site per
  10,000 nodes, the sparse table cut at 60 minutes plus every origin's nearest site, as the input
  layer computes it (``network.travel_times`` with ``horizon``, then with ``min_only``); the
  network is built first in the same child and not counted in the CPU seconds;
* **pyrosm -> networkx** (the baseline, only up to ``--baseline-max`` nodes): pyrosm
  ``OSM(file).get_network(network_type="driving", nodes=True)`` then
  ``osm.to_graph(nodes, edges, graph_type="networkx")`` (osmnx-compatible, simplified).

The table gives nodes, edges, CPU seconds and peak memory per step and per million nodes, the
ratio to the baseline where measured, and a linear extrapolation from the two largest sizes to a
national drivable graph (:data:`NATIONAL_NODES`, an assumption stated with the output).

Run: ``.venv/bin/python benchmarks/bench_pbf_scale.py [--sizes 500000 1000000 2500000]
[--baseline-max 1000000]`` (6 to 8 minutes of wall-clock time on 2 shared cores with the default
sizes). Results: ``docs/scale.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: Shares of road lines by class (by length; rural France's network is mostly minor roads).
CLASS_SHARES: dict[str, float] = {
    "motorway": 0.01,
    "trunk": 0.02,
    "primary": 0.05,
    "secondary": 0.10,
    "tertiary": 0.14,
    "unclassified": 0.30,
    "residential": 0.38,
}
#: Non-drivable ways (osmnx's drive filter drops them) and the share of ways they replace.
NOT_DRIVABLE: tuple[dict[str, str], ...] = (
    {"highway": "footway"},
    {"highway": "service", "access": "private"},
    {"highway": "residential", "access": "private"},
    {"highway": "track"},
)
NOT_DRIVABLE_SHARE = 0.06
#: ``maxspeed`` values by class, given to a third of the ways.
MAXSPEEDS: dict[str, tuple[str, ...]] = {
    "motorway": ("130", "110"),
    "trunk": ("110", "90"),
    "primary": ("80", "90", "70"),
    "secondary": ("80", "70", "50"),
    "tertiary": ("80", "50"),
    "unclassified": ("50", "80"),
    "residential": ("30", "50"),
}
SPACING_M = 120.0  # between consecutive nodes of a row or a column
CROSS_EVERY = 4  # one column in four is a cross road
BLOCKS_PER_WAY = 3
ORIGIN_EVERY = 2_000  # one commune per 2,000 nodes
SITE_EVERY = 10_000  # one site per 10,000 nodes
HORIZON = 60.0  # minutes (the table's horizon, accessmap.conventions.TABLE_HORIZON)
LON0, LAT0 = 1.0, 45.0
#: Assumed size of France's drivable graph (nodes of the drivable ways, before simplification):
#: an order of magnitude, not a measured figure (see docs/scale.md).
NATIONAL_NODES = 30_000_000
DEFAULT_SIZES = (500_000, 1_000_000, 2_500_000)
STEPS = ("reader", "table", "baseline")


@dataclass(frozen=True)
class GridWay:
    """One way of the synthetic grid: its node ids and tags."""

    way_id: int
    nodes: list[int]
    tags: dict[str, str]


def _coordinates(side: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of every node (row-major), with a little seeded jitter."""
    rng = np.random.default_rng(seed)
    dlat = SPACING_M / 111_195.0
    dlon = dlat / np.cos(np.deg2rad(LAT0))
    rows, cols = np.divmod(np.arange(side * side), side)
    jitter = rng.uniform(-0.2, 0.2, size=(2, side * side))
    lon = LON0 + (cols + jitter[0]) * dlon
    lat = LAT0 + (rows + jitter[1]) * dlat
    return lon, lat


def _line_tags(rng: np.random.Generator, n_lines: int) -> list[str]:
    classes = list(CLASS_SHARES)
    shares = np.asarray(list(CLASS_SHARES.values()))
    picked = rng.choice(len(classes), size=n_lines, p=shares / shares.sum())
    return [classes[i] for i in picked]


def _way_tags(rng: np.random.Generator, highway: str, line: int) -> dict[str, str]:
    """Tags of one way of a line of class ``highway``."""
    if rng.random() < NOT_DRIVABLE_SHARE:
        return dict(NOT_DRIVABLE[int(rng.integers(len(NOT_DRIVABLE)))])
    tags = {"highway": highway}
    if highway in {"motorway", "trunk"}:
        tags["oneway"] = "yes" if line % 2 == 0 else "-1"
    elif rng.random() < 0.05:
        tags["oneway"] = "yes" if rng.random() < 0.8 else "-1"
    if rng.random() < 1 / 3:
        values = MAXSPEEDS[highway]
        tags["maxspeed"] = values[int(rng.integers(len(values)))]
    return tags


def grid_ways(side: int, *, seed: int = 0) -> Iterator[GridWay]:
    """The ways of the grid: rows cut every three blocks, then every fourth column, in pieces."""
    rng = np.random.default_rng(seed + 1)
    span = CROSS_EVERY * BLOCKS_PER_WAY
    cols = list(range(0, side, CROSS_EVERY))
    row_class = _line_tags(rng, side)
    col_class = _line_tags(rng, len(cols))
    way_id = 1
    for row in range(side):
        first = row * side + 1
        for start in range(0, side - 1, span):
            nodes = list(range(first + start, first + min(start + span, side - 1) + 1))
            yield GridWay(way_id, nodes, _way_tags(rng, row_class[row], row))
            way_id += 1
    for k, col in enumerate(cols):
        for start in range(0, side - 1, span):
            rows = range(start, min(start + span, side - 1) + 1)
            nodes = [r * side + col + 1 for r in rows]
            yield GridWay(way_id, nodes, _way_tags(rng, col_class[k], k))
            way_id += 1


def write_grid_pbf(path: Path, side: int, *, seed: int = 0) -> dict[str, int]:
    """Write the ``side x side`` grid as an ``.osm.pbf`` file; return its node and way counts."""
    import osmium
    from osmium.osm.mutable import Node, Way

    lon, lat = _coordinates(side, seed)
    ways = 0
    with osmium.SimpleWriter(str(path), overwrite=True) as writer:
        for i, (x, y) in enumerate(zip(lon.tolist(), lat.tolist(), strict=True)):
            writer.add_node(Node(id=i + 1, location=(x, y), version=1))
        for way in grid_ways(side, seed=seed):
            writer.add_way(Way(id=way.way_id, nodes=way.nodes, tags=way.tags, version=1))
            ways += 1
    return {"nodes": side * side, "ways": ways}


def _sample_points(every: int, prefix: str, seed: int, n_nodes: int) -> Any:
    """``n_nodes / every`` points drawn uniformly over the grid's box."""
    import pandas as pd

    side = round(np.sqrt(n_nodes))
    lon, lat = _coordinates(side, seed)
    rng = np.random.default_rng(seed + every)
    count = max(1, n_nodes // every)
    return pd.DataFrame(
        {
            "id": [f"{prefix}{i}" for i in range(count)],
            "lon": rng.uniform(lon.min(), lon.max(), count),
            "lat": rng.uniform(lat.min(), lat.max(), count),
        }
    )


def _peak_mib_self() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _read_network(path: Path) -> tuple[Any, dict[str, float]]:
    """The network of the file; CPU seconds of the reading and of the build, peak after reading."""
    from accessmap.network import network_from_ways
    from accessmap.sources.osmfile import read_road_ways

    start = time.process_time()
    ways = read_road_ways(path)
    read_s = time.process_time() - start
    read_peak = _peak_mib_self()
    network = network_from_ways(ways)
    build_s = time.process_time() - start - read_s
    return network, {"read_cpu": read_s, "build_cpu": build_s, "read_peak_mib": read_peak}


def _imports() -> float:
    """Import what the reader and the routing use; the peak memory after it (the fixed part)."""
    import osmium  # noqa: F401
    import scipy.sparse.csgraph  # noqa: F401
    import shapely  # noqa: F401

    import accessmap.network
    import accessmap.sources.osmfile

    del accessmap
    return _peak_mib_self()


def _child_reader(path: Path, n_nodes: int, seed: int) -> dict[str, Any]:
    del n_nodes, seed
    base = _imports()
    network, parts = _read_network(path)
    return {
        "cpu": parts["read_cpu"] + parts["build_cpu"],
        **parts,
        "base_mib": base,
        "graph_nodes": network.n_nodes,
        "graph_edges": network.n_edges,
    }


def _child_table(path: Path, n_nodes: int, seed: int) -> dict[str, Any]:
    import pandas as pd

    from accessmap.network import travel_times

    base = _imports()
    network, _parts = _read_network(path)
    origins = _sample_points(ORIGIN_EVERY, "o", seed, n_nodes)
    sites = _sample_points(SITE_EVERY, "s", seed, n_nodes)
    start = time.process_time()
    table = travel_times(network, origins, sites, horizon=HORIZON).table
    nearest = travel_times(network, origins, sites, min_only=True).table
    table = pd.concat([table, nearest[nearest["minutes"] >= HORIZON]], ignore_index=True)
    table = table.drop_duplicates(["origin_id", "dest_id"])
    return {
        "cpu": time.process_time() - start,
        "base_mib": base,
        "origins": len(origins),
        "sites": len(sites),
        "pairs": len(table),
    }


def _child_baseline(path: Path, n_nodes: int, seed: int) -> dict[str, Any]:
    del n_nodes, seed
    import networkx  # noqa: F401  (imported before timing: the import is not the work)
    import pyrosm

    base = _peak_mib_self()
    start = time.process_time()
    osm = pyrosm.OSM(str(path))
    nodes, edges = osm.get_network(network_type="driving", nodes=True)
    graph = osm.to_graph(nodes, edges, graph_type="networkx")
    return {
        "cpu": time.process_time() - start,
        "base_mib": base,
        "graph_nodes": graph.number_of_nodes(),
        "graph_edges": graph.number_of_edges(),
    }


def _run_child(step: str, path: Path, n_nodes: int, seed: int) -> dict[str, Any]:
    """Run one step in a child process; its peak memory from ``wait4``."""
    command = [sys.executable, __file__, "--child", step, "--file", str(path), "--seed", str(seed)]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([*command, "--nodes", str(n_nodes)], stdout=out, stderr=err)  # noqa: S603
        _pid, status, usage = os.wait4(proc.pid, 0)
        out.seek(0)
        err.seek(0)
        lines = [x for x in out.read().decode().splitlines() if x.startswith("{")]
        tail = err.read().decode(errors="replace").strip().splitlines()[-2:]
    code = os.waitstatus_to_exitcode(status)
    if code != 0 or not lines:
        return {"step": step, "error": f"exit {code}: {' | '.join(tail)}"}
    row: dict[str, Any] = json.loads(lines[-1])
    row.update(step=step, peak_mib=usage.ru_maxrss / 1024.0, wall=time.perf_counter() - start)
    return row


def _child_generate(path: Path, n_nodes: int, seed: int) -> dict[str, Any]:
    """Write the grid (in a child, so that the parent's memory stays small for the next ones)."""
    start = time.process_time()
    counts = write_grid_pbf(path, round(np.sqrt(n_nodes)), seed=seed)
    return {**counts, "cpu": time.process_time() - start, "mib": path.stat().st_size / 2**20}


CHILDREN = {
    "generate": _child_generate,
    "reader": _child_reader,
    "table": _child_table,
    "baseline": _child_baseline,
}


def _measure(size: int, baseline_max: int, work: Path, seed: int) -> list[dict[str, Any]]:
    path = work / f"grid-{size}.osm.pbf"
    made = _run_child("generate", path, size, seed)
    if "error" in made:
        sys.exit(f"the grid of {size:,} nodes was not written: {made['error']}")
    print(json.dumps(made), file=sys.stderr, flush=True)
    rows: list[dict[str, Any]] = []
    for step in STEPS:
        if step == "baseline" and made["nodes"] > baseline_max:
            rows.append({"step": step, "skipped": f"> --baseline-max {baseline_max:,}"})
        else:
            rows.append(_run_child(step, path, made["nodes"], seed))
        rows[-1].update(nodes=made["nodes"], ways=made["ways"], file_mib=made["mib"])
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    path.unlink()
    return rows


def _ratio(row: dict[str, Any], base: dict[str, Any]) -> str:
    if row["step"] != "reader" or "cpu" not in base:
        return "-"
    return f"{base['cpu'] / row['cpu']:.1f}x CPU, {base['peak_mib'] / row['peak_mib']:.1f}x mem"


def _print_table(rows: list[dict[str, Any]]) -> None:
    """Nodes, edges, CPU seconds, peak memory, per million nodes, ratio to the baseline."""
    print(f"{'nodes':>10} {'step':<9} {'graph nodes':>11} {'graph edges':>11} {'CPU s':>7} "
          f"{'s/M nodes':>9} {'peak MiB':>8} {'(peak-base) MiB/M':>17}  vs pyrosm->nx")  # fmt: skip
    by_size: dict[int, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_size.setdefault(row["nodes"], {})[row["step"]] = row
    for nodes, steps in by_size.items():
        million = nodes / 1e6
        for step, row in steps.items():
            if "error" in row or "skipped" in row:
                print(f"{nodes:>10,} {step:<9} {row.get('error') or row.get('skipped')}")
                continue
            net = (row["peak_mib"] - row["base_mib"]) / million
            print(
                f"{nodes:>10,} {step:<9} {row.get('graph_nodes', '-'):>11} "
                f"{row.get('graph_edges', '-'):>11} {row['cpu']:>7.1f} "
                f"{row['cpu'] / million:>9.1f} "
                f"{row['peak_mib']:>8.0f} {net:>17.0f}  {_ratio(row, steps.get('baseline', {}))}"
            )  # fmt: skip
            if step == "reader":
                print(f"{'':>21}(read_road_ways {row['read_cpu']:.1f} s, peak "
                      f"{row['read_peak_mib']:.0f} MiB after it; "
                      f"network_from_ways {row['build_cpu']:.1f} s; "
                      f"PBF {row['file_mib']:.1f} MiB, {row['ways']:,} ways)")  # fmt: skip
            if step == "table":
                print(f"{'':>21}({row['origins']:,} origins x {row['sites']:,} sites, "
                      f"{row['pairs']:,} pairs under {HORIZON:g} min or nearest; "
                      "the network's build not counted)")  # fmt: skip


def _extrapolate(rows: list[dict[str, Any]]) -> None:
    """Linear scaling from the two largest sizes measured (slope) to the assumed national size."""
    print(f"\nextrapolation to a national drivable graph of {NATIONAL_NODES / 1e6:.0f} M nodes "
          "(an assumption: order of magnitude of France's drivable ways, not measured here), "
          "linear in nodes from the two largest sizes:")  # fmt: skip
    for step in ("reader", "table"):
        done = sorted(
            (r for r in rows if r["step"] == step and "cpu" in r), key=lambda r: r["nodes"]
        )
        if not done:
            continue
        last = done[-1]
        first = done[-2] if len(done) > 1 else {"nodes": 0, "cpu": 0.0, "peak_mib": 0.0}
        span = (last["nodes"] - first["nodes"]) or 1
        estimate = {}
        for key in ("cpu", "peak_mib"):
            slope = (last[key] - first[key]) / span
            estimate[key] = last[key] + slope * (NATIONAL_NODES - last["nodes"])
        cpu_slope = 1e6 * (last["cpu"] - first["cpu"]) / span
        mib_slope = 1e6 * (last["peak_mib"] - first["peak_mib"]) / span
        print(f"  {step:<8} ~{estimate['cpu'] / 60:.0f} min CPU, "
              f"~{estimate['peak_mib'] / 1024:.1f} GiB peak (slope {cpu_slope:.1f} s and "
              f"{mib_slope:.0f} MiB per M nodes)")  # fmt: skip


def main() -> None:
    """Generate each grid, measure each step in its own process, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--baseline-max", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", choices=list(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--nodes", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        warnings.simplefilter("ignore")
        print(json.dumps(CHILDREN[args.child](args.file, args.nodes, args.seed)))
        return
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-pbf-") as tmp:
        for size in args.sizes:
            rows.extend(_measure(size, args.baseline_max, Path(tmp), args.seed))
    print(
        f"pyrosm -> networkx baseline measured up to {args.baseline_max:,} nodes (--baseline-max)"
    )
    _print_table(rows)
    _extrapolate(rows)


if __name__ == "__main__":
    main()
