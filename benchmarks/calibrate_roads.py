"""Calibrate the road length factor of the mirror's road file, leave-one-department-out.

The mirror's road network (``roads/*.osm``) is made of straight segments between waypoints, with
every départementale at one speed and no minor road: its times run short of the DREES distancier's.
One global time scale corrects it, the ``road_length_factor`` setting (a multiplier on the edge
lengths of simplified-geometry graphs). This script chooses it as a measured, cross-validated
value:

- **covered departments**: a department of the mirror is covered by a road file when at least
  :data:`COVERED_SHARE` of its town halls lie inside the file's extent (its ``<bounds>``);
- for each covered department, its inputs (``dep:DD``, 30 km study buffer, official counts,
  uncalibrated activity) and the road network are loaded **once**; the travel times are computed
  once with the factor 1 and split into the network part and the off-network connector legs
  (driven at ``connector_speed_kmh``, not scaled by the factor). With the factor ``f`` a time is
  ``connector(origin) + f x network + connector(destination)``: exact, because scaling every edge
  by ``f`` scales every shortest path by ``f`` and the snapped nodes do not move (checked below
  against a network built with the fitted factor);
- for each factor of :data:`GRID`, the modelled APL of every commune of the department is
  compared with the published DREES APL (Spearman rank correlation, as ``accessmap indicators``
  prints it);
- **leave one department out**: for each covered department, the factor is the one maximising
  the mean Spearman of the other covered departments (each department counts once); the printed
  held-out Spearman is the left-out department's at that factor. The value fitted on all covered
  departments is the recommended default (``settings.road_length_factor``).

The script then prints the Spearman of ``dep:19,23,87`` (loaded as one territory, as the
``indicators`` command does) at today's setting and at the fitted value.

With ``--osm FILE`` another road file is calibrated the same way (a full OpenStreetMap extract of
the region, ``.osm.pbf``, with the minor roads the mirror's file lacks): the departments it covers
are found from its extent, nothing else changes.

Run: ``.venv/bin/python benchmarks/calibrate_roads.py [--mirror ../shared/data] [--osm FILE]``
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from accessmap import network
from accessmap.conventions import INDICATOR_HORIZON
from accessmap.diagnostic.steps import compute_indicators
from accessmap.inputs import InputOptions, Inputs, load_inputs, site_points
from accessmap.network.speeds import RURAL_SPEEDS_KMH
from accessmap.settings import get_settings, override
from accessmap.sources import available_departments, load_communes
from accessmap.sources.osm import load_road_graph, road_file_extent
from accessmap.territory import points

#: A department is covered when at least this share of its town halls lies in the file's extent.
COVERED_SHARE = 0.95
#: Factors tried (the fit is a grid search: one parameter, a smooth curve).
GRID = tuple(round(1.0 + 0.05 * i, 2) for i in range(29))  # 1.00 ... 2.40
#: The pooled check the issue states (three departments loaded as one territory).
POOLED = ("19", "23", "87")
YEAR = 2023
#: Time multipliers tried with ``--by-class`` (motorway and trunk; every other class).
CLASS_FAST = (1.0, 1.2, 1.4, 1.55, 1.7, 1.9)
CLASS_SLOW = (1.3, 1.45, 1.55, 1.65, 1.8, 2.0)
#: Pairs tried with ``--connector`` (length factor; multiplier of the off-network legs' minutes).
CONNECTOR_FACTORS = (1.3, 1.4, 1.5, 1.55, 1.6, 1.7, 1.8, 2.0)
CONNECTOR_SCALES = (0.25, 0.4, 0.6, 0.8, 1.0, 1.5, 2.0)


@dataclasses.dataclass(frozen=True)
class Case:
    """One territory's inputs and its travel times split into network and connector parts."""

    name: str
    inputs: Inputs
    base: network.TravelTimes
    connectors: np.ndarray
    network_minutes: np.ndarray
    same: np.ndarray

    def times(self, factor: float, connector: float = 1.0) -> network.TravelTimes:
        """The table the ``indicators`` command would use with this factor.

        ``connector`` multiplies the off-network legs' minutes (1: the ``connector_speed_kmh``
        setting; 0.5: twice that speed), for ``--connector``.
        """
        minutes = np.where(
            self.same, 0.0, connector * self.connectors + factor * self.network_minutes
        )
        return self._kept(self.base.table.assign(minutes=minutes))

    def _kept(self, table: pd.DataFrame) -> network.TravelTimes:
        """Pairs under the indicators' horizon plus every commune's nearest site."""
        nearest = table.loc[table.groupby("origin_id")["minutes"].idxmin()]
        kept = pd.concat([table[table["minutes"] < INDICATOR_HORIZON], nearest])
        kept = kept.drop_duplicates(["origin_id", "dest_id"]).reset_index(drop=True)
        return dataclasses.replace(self.base, table=kept)

    def _score(self, times: network.TravelTimes) -> float:
        _, drees, _ = compute_indicators(self.inputs, times, apl_year=YEAR)
        return float("nan") if drees is None else float(drees.spearman)

    def spearman(self, factor: float, connector: float = 1.0) -> float:
        """Spearman of the modelled and published APL over the territory's communes."""
        return self._score(self.times(factor, connector))

    def spearman_on(self, road: network.RoadNetwork) -> float:
        """The same Spearman with the times of another network (same nodes: speeds changed)."""
        origins = points(self.inputs.territory.study_area)
        sites = site_points(self.inputs.roster)[["id", "lon", "lat"]]
        return self._score(self._kept(network.travel_times(road, origins, sites).table))


def covered_departments(road_file: Path) -> list[tuple[str, float]]:
    """Departments with at least :data:`COVERED_SHARE` of their town halls in the file's extent."""
    lo_x, lo_y, hi_x, hi_y = road_file_extent(road_file)
    out = []
    for dep in available_departments():
        communes = load_communes([dep])
        lon, lat = communes["mairie_lon"].to_numpy(), communes["mairie_lat"].to_numpy()
        share = float(((lon >= lo_x) & (lon <= hi_x) & (lat >= lo_y) & (lat <= hi_y)).mean())
        if share >= COVERED_SHARE:
            out.append((dep, share))
    return out


def load_case(name: str, departments: list[str], road: network.RoadNetwork, path: Path) -> Case:
    """Load a territory once and split its dense travel times (factor 1)."""
    options = InputOptions(territory="dep:" + ",".join(departments), osm=path, apl_year=YEAR)
    inputs = load_inputs(options)
    origins = points(inputs.territory.study_area)
    sites = site_points(inputs.roster)[["id", "lon", "lat"]]
    base = network.travel_times(road, origins, sites)
    snap = base.snapping.drop_duplicates(["role", "id"]).set_index(["role", "id"])
    connector = snap["connector_minutes"]
    c_o = connector.xs("origin").reindex(base.table["origin_id"]).to_numpy()
    c_d = connector.xs("destination").reindex(base.table["dest_id"]).to_numpy()
    total = base.table["minutes"].to_numpy(dtype=float)
    same = total == 0.0
    return Case(
        name=name,
        inputs=inputs,
        base=base,
        connectors=c_o + c_d,
        network_minutes=np.where(same, 0.0, total - c_o - c_d),
        same=same,
    )


def check_linearity(case: Case, graph: object, factor: float) -> float:
    """Largest gap (minutes) between the split times and a network built with ``factor``."""
    road = network.build_network(graph, road_length_factor=factor)  # type: ignore[arg-type]
    origins = points(case.inputs.territory.study_area)
    sites = site_points(case.inputs.roster)[["id", "lon", "lat"]]
    direct = network.travel_times(road, origins, sites).table["minutes"].to_numpy(dtype=float)
    split = np.where(case.same, 0.0, case.connectors + factor * case.network_minutes)
    return float(np.max(np.abs(direct - split)))


def best(curves: pd.DataFrame, departments: list[str]) -> float:
    """The grid factor maximising the mean Spearman of ``departments`` (smallest on a tie)."""
    mean = curves[departments].mean(axis=1)
    return float(mean.idxmax())


def by_class(graph: object, cases: dict[str, Case]) -> None:
    """Two time scales instead of one: motorways and trunk roads, and every other class.

    Each pair of multipliers divides the speed table's speeds of its classes (edge lengths at
    factor 1, connectors unchanged); the network is rebuilt and every department's times
    recomputed for each pair. Prints the leave-one-department-out fit, as for the single factor.
    """
    rows = {}
    for fast in CLASS_FAST:
        for slow in CLASS_SLOW:
            speeds = {
                k: v / (fast if k.startswith(("motorway", "trunk")) else slow)
                for k, v in RURAL_SPEEDS_KMH.items()
            }
            road = network.build_network(  # type: ignore[arg-type]
                graph, speeds=speeds, road_length_factor=1.0
            )
            rows[(fast, slow)] = {dep: case.spearman_on(road) for dep, case in cases.items()}
    print("\nby road class (time multipliers: motorway/trunk, other classes):")
    fast, slow = _leave_one_out(rows, names=["fast", "other"], deps=list(cases))
    print(f"fitted on all: motorway/trunk x{fast:.2f}, other classes x{slow:.2f}")


def by_connector(cases: dict[str, Case]) -> None:
    """A second parameter: the off-network legs' time scale beside the length factor.

    The legs from a town hall to the nearest road node stand for the minor roads the file lacks;
    their speed (``connector_speed_kmh``, 15 km/h) is a guess. Each pair (factor, leg multiplier)
    reuses the split times (no rebuild); prints the leave-one-department-out fit.
    """
    rows = {
        (f, c): {dep: case.spearman(f, c) for dep, case in cases.items()}
        for f in CONNECTOR_FACTORS
        for c in CONNECTOR_SCALES
    }
    print("\nby length factor and connector-leg multiplier (1 = 15 km/h, 0.25 = 60 km/h):")
    factor, connector = _leave_one_out(rows, names=["factor", "connector"], deps=list(cases))
    print(f"fitted on all: length factor {factor:.2f}, connector legs x{connector:.2f}")


def _leave_one_out(
    rows: dict[tuple[float, float], dict[str, float]], *, names: list[str], deps: list[str]
) -> tuple[float, float]:
    """Print the Spearman grid and each department's held-out fit; return the fit on all."""
    curves = pd.DataFrame.from_dict(rows, orient="index")
    curves.index.names = names
    print(curves.round(3).to_string())
    widths = [10, 14, 16]
    print(_row(["held out", "fitted", "held-out Spearman"], widths))
    for dep in deps:
        a, b = curves[[d for d in deps if d != dep]].mean(axis=1).idxmax()
        print(_row([dep, f"{a:.2f} / {b:.2f}", f"{curves.loc[(a, b), dep]:.3f}"], widths))
    a, b = curves[deps].mean(axis=1).idxmax()
    return float(a), float(b)


def _row(values: list[str], widths: list[int]) -> str:
    return "  ".join(v.rjust(w) for v, w in zip(values, widths, strict=True))


def main(argv: list[str] | None = None) -> int:
    """Run the calibration and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=Path("../shared/data"))
    parser.add_argument(
        "--osm",
        type=Path,
        default=None,
        help="a road file to calibrate instead of the mirror's (.osm, .osm.pbf: a full extract)",
    )
    parser.add_argument(
        "--by-class", action="store_true", help="also fit two time scales (fast roads, others)"
    )
    parser.add_argument(
        "--connector",
        action="store_true",
        help="also fit the off-network legs' time scale beside the factor (a second parameter)",
    )
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    started = time.perf_counter()
    with override(mirror=args.mirror):
        files = [args.osm] if args.osm else sorted((args.mirror / "roads").glob("*.osm"))
        if not files or not files[0].is_file():
            print(f"no road file ({args.osm or args.mirror / 'roads'}): nothing to calibrate")
            return 1
        path = files[0]
        covered = covered_departments(path)
        print(
            f"road file {path.name}; today's road_length_factor {get_settings().road_length_factor}"
        )
        print(f"covered departments (>= {COVERED_SHARE:.0%} of town halls in the file's extent):")
        for dep, share in covered:
            print(f"  {dep}  {share:.1%}")
        graph = load_road_graph(path=path)
        road = network.build_network(graph, road_length_factor=1.0)
        deps = [dep for dep, _ in covered]
        cases = {dep: load_case(dep, [dep], road, path) for dep in deps}
        curves = pd.DataFrame(
            {dep: [case.spearman(f) for f in GRID] for dep, case in cases.items()},
            index=pd.Index(GRID, name="factor"),
        )
        print("\nSpearman (modelled APL vs DREES 2023) by factor and department:")
        print(curves.round(3).to_string())
        widths = [10, 8, 16, 20]
        print("\nleave-one-department-out:")
        print(_row(["held out", "fitted", "held-out Spearman", "Spearman at 1.1"], widths))
        held = {}
        for dep in deps:
            fitted = best(curves, [d for d in deps if d != dep])
            held[dep] = float(curves.loc[fitted, dep])
            print(_row([dep, f"{fitted:.2f}", f"{held[dep]:.3f}", f"{curves.loc[1.1, dep]:.3f}"],
                       widths))  # fmt: skip
        final = best(curves, deps)
        print(f"\nfitted on all covered departments: road_length_factor = {final:.2f}")
        print(f"lowest held-out Spearman {min(held.values()):.3f} ({min(held, key=held.get)})")
        gap = check_linearity(cases[deps[0]], graph, final)
        print(f"check: split times vs a network built at {final:.2f}, largest gap {gap:.2e} min")
        pooled = load_case("+".join(POOLED), list(POOLED), road, path)
        for factor in sorted({1.1, final}):
            print(f"dep:{','.join(POOLED)} at {factor:.2f}: Spearman {pooled.spearman(factor):.3f}")
        if args.connector:
            by_connector(cases)
        if args.by_class:
            by_class(graph, cases)
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
