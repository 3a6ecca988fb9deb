"""Benchmark: the mirror's road file to the CSR network, osmnx path vs the direct reader.

Workload (issue 24, point 2): the data mirror's road file (``<mirror>/roads/*.osm``, the numbered
roads of the Massif Central's west, about 23,000 nodes), read into the query structure
(:class:`~accessmap.network.RoadNetwork`) two ways, in the same run:

* **osmnx path** (the baseline, what every command did before): ``read_osm_graph`` (osmnx
  ``graph_from_xml``, the drive filter, no simplification for waypoint roads) **plus**
  ``build_network`` (speeds, lengths, CSR, largest strongly connected component, KD-tree);
* **direct reader**: ``read_road_ways`` (expat streaming, drivable ways into numpy arrays) **plus**
  ``network_from_ways`` (segments, oneways, speeds, the same CSR and KD-tree), no networkx graph.

Times are CPU seconds of this process (user + sys), the best of a few runs: the machine is shared
and CPU time is what the work costs. Then both networks answer the commune x site table of the
Montagne limousine (its 97 communes and 30 km buffer to every GP site of the study area) and the
largest absolute difference of the minutes is printed (target: at most 1e-6), with the networks'
content digests (equal when the two networks are identical edge for edge).

Target (issue 24): the direct reader at least 10x faster, equal minutes.

Run: ``.venv/bin/python benchmarks/bench_roads.py [--mirror ../shared/data] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = REPO.parent / "shared" / "data"
TERRITORY = "montagne-limousine"


def _cpu() -> float:
    return time.process_time()


def _best(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Best CPU seconds of ``repeats`` runs, and the last result."""
    best = float("inf")
    result: Any = None
    for _ in range(repeats):
        start = _cpu()
        result = run()
        best = min(best, _cpu() - start)
    return best, result


def _table(network: Any, origins: Any, dests: Any) -> Any:
    from accessmap.network import travel_times

    return travel_times(network, origins, dests).table


def main() -> None:
    """Time both paths on the mirror's road file and compare their commune x site minutes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    mirror = args.mirror.resolve()
    files = sorted((mirror / "roads").glob("*.osm"))
    if not files:
        sys.exit(f"no road file in {mirror / 'roads'} (give --mirror DIR)")
    road_file = files[0]

    from accessmap import settings
    from accessmap.inputs import InputOptions, load_inputs
    from accessmap.inputs.traveltimes import destination_points
    from accessmap.network import build_network, network_from_ways
    from accessmap.sources.osm import read_osm_graph
    from accessmap.sources.osmfile import read_road_ways
    from accessmap.territory import points

    warnings.simplefilter("ignore")
    import osmnx  # noqa: F401  (imported before timing: the import is not the work)

    with settings.override(mirror=mirror, online=False):
        osmnx_s, ref = _best(lambda: build_network(read_osm_graph(road_file)), args.repeats)
        direct_s, new = _best(lambda: network_from_ways(read_road_ways(road_file)), args.repeats)
        inputs = load_inputs(InputOptions(territory=TERRITORY))
        origins = points(inputs.territory.study_area)
        dests = destination_points(inputs.roster, inputs.territory)
        ref_table = _table(ref, origins, dests)
        new_table = _table(new, origins, dests)
    merged = ref_table.merge(new_table, on=["origin_id", "dest_id"], suffixes=("_osmnx", "_new"))
    a = merged["minutes_osmnx"].to_numpy()
    b = merged["minutes_new"].to_numpy()
    same_inf = bool((np.isinf(a) == np.isinf(b)).all())
    finite = np.isfinite(a) & np.isfinite(b)
    diff = float(np.abs(a[finite] - b[finite]).max()) if finite.any() else 0.0

    print(f"road file: {road_file.name} ({ref.n_nodes:,} nodes, {ref.n_edges:,} edges kept)")
    print(f"osmnx graph_from_xml + build_network : {osmnx_s:8.3f} s CPU (best of {args.repeats})")
    print(f"read_road_ways + network_from_ways   : {direct_s:8.3f} s CPU (best of {args.repeats})")
    ratio = osmnx_s / direct_s
    print(f"ratio: {ratio:.1f}x faster (target >= 10x)")
    print(
        f"commune x site minutes: {len(merged):,} pairs ({len(ref_table):,} / {len(new_table):,}), "
        f"max abs difference {diff:.2e} min (target <= 1e-6), unreachable alike: {same_inf}"
    )
    print(f"network digests equal: {ref.digest == new.digest}")
    ok = len(merged) == len(ref_table) == len(new_table) and same_inf and diff <= 1e-6
    if not ok:
        sys.exit("the direct reader does not give the osmnx path's minutes")


if __name__ == "__main__":
    main()
