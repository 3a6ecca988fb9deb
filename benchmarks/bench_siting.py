"""Benchmark: accessmap.siting (highspy, direct) against PySAL spopt (PuLP + HiGHS).

Two seeded random instances, as in issue 6:

- p-median, 500 demand x 100 candidates, p = 5;
- MCLP, 2,000 demand x 300 candidates, p = 10, T chosen so coverage is partial (about half).

Both libraries solve each instance in the same run; the script checks that the objectives agree
(1e-6 relative) and prints both wall times (model building + solve + reading the answer) and the
ratio. Travel "times" are planar distances between uniform random points in a 100 x 100 square,
so ties at exactly T have probability zero (spopt covers ``t <= T``, accessmap ``t < T``).

A third part measures siting at the scale of five departments (issue 15): 1,436 communes on a
150 x 150 km square, travel times kept only within 40 minutes (sparse pairs, about 18 % of the
dense table), every commune a candidate. MCLP and p-center/p-median run with a 20-second time limit
and must answer (``optimal``, or ``time_limit`` with the incumbent and its gap), never fail. With
no site today, 10 sites cannot reach every commune within the 40-minute table: p-median and
p-center leave those out and name them (``SitingResult.unreached``; their count is printed).

Run: ``.venv/bin/python benchmarks/bench_siting.py`` (``--skip-spopt`` for the scale part only).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from accessmap import siting


def instance(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    demand = rng.uniform(0, 100, (n, 2))
    sites = rng.uniform(0, 100, (m, 2))
    cost = np.hypot(*(demand[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
    weights = rng.integers(10, 1000, n).astype(float)
    return cost, weights


def long_table(cost: np.ndarray, weights: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    n, m = cost.shape
    od = pd.DataFrame(
        {
            "origin_id": np.repeat([f"d{i}" for i in range(n)], m),
            "dest_id": np.tile([f"s{j}" for j in range(m)], n),
            "minutes": cost.ravel(),
            "method": "crowfly",
        }
    )
    demand = pd.DataFrame({"id": [f"d{i}" for i in range(n)], "population": weights})
    return od, demand


def spopt_solver():  # type: ignore[no-untyped-def]
    import pulp

    solver = pulp.HiGHS(msg=False)
    if not solver.available():
        raise SystemExit("pulp.HiGHS is not available (pip install highspy)")
    return solver


def run_pmedian(n: int = 500, m: int = 100, p: int = 5, seed: int = 0) -> dict[str, float]:
    from spopt.locate import PMedian

    cost, weights = instance(n, m, seed)
    od, demand = long_table(cost, weights)
    t0 = time.perf_counter()
    ours = siting.p_median(od, demand, p=p)
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    model = PMedian.from_cost_matrix(cost, weights, p_facilities=p)
    model = model.solve(spopt_solver(), results=False)
    t_spopt = time.perf_counter() - t0
    return report("p-median", f"{n} x {m}, p = {p}", ours, model.problem.objective.value(),
                  t_ours, t_spopt)  # fmt: skip


def run_mclp(n: int = 2000, m: int = 300, p: int = 10, seed: int = 1) -> dict[str, float]:
    from spopt.locate import MCLP

    cost, weights = instance(n, m, seed)
    od, demand = long_table(cost, weights)
    radius = 12.0  # 10 discs of radius 12 cover about half of the 100 x 100 square
    t0 = time.perf_counter()
    ours = siting.mclp(od, demand, p=p, minutes=radius)
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    model = MCLP.from_cost_matrix(cost, weights, service_radius=radius, p_facilities=p)
    model = model.solve(spopt_solver(), results=False)
    t_spopt = time.perf_counter() - t0
    share = ours.objective / weights.sum()
    print(f"  (coverage {share:.1%} of the population: partial, as required)")
    return report("MCLP", f"{n} x {m}, p = {p}, T = {radius:g}", ours,
                  model.problem.objective.value(), t_ours, t_spopt)  # fmt: skip


def report(
    name: str,
    size: str,
    ours: siting.SitingResult,
    theirs: float,
    t_ours: float,
    t_spopt: float,
) -> dict[str, float]:
    rel = abs(ours.objective - theirs) / max(abs(theirs), 1e-9)
    ratio = t_spopt / t_ours
    print(f"{name} ({size})")
    print(f"  accessmap objective {ours.objective:,.6f}  status {ours.status}")
    print(f"  spopt     objective {theirs:,.6f}  relative difference {rel:.2e}")
    print(f"  accessmap {t_ours:7.2f} s   spopt {t_spopt:7.2f} s   speed-up x{ratio:.1f}")
    assert rel <= 1e-6, f"{name}: objectives differ by {rel:.2e}"
    return {"ours": t_ours, "spopt": t_spopt, "ratio": ratio}


def sparse_instance(n: int = 1436, horizon: float = 40.0, seed: int = 11):
    """Communes on a 150 x 150 km square, times (1.2 min/km + 2) kept within ``horizon``."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 150, (n, 2))
    pairs = cKDTree(xy).query_pairs((horizon - 2.0) / 1.2, output_type="ndarray")
    i = np.concatenate([pairs[:, 0], pairs[:, 1], np.arange(n)])
    j = np.concatenate([pairs[:, 1], pairs[:, 0], np.arange(n)])
    ids = np.array([f"{k:05d}" for k in range(n)], dtype=object)
    od = pd.DataFrame(
        {"origin_id": ids[i], "dest_id": ids[j], "minutes": np.hypot(*(xy[i] - xy[j]).T) * 1.2 + 2}
    )
    demand = pd.DataFrame({"id": ids, "population": rng.integers(50, 3000, n).astype(float)})
    return od, demand


def run_scale(time_limit: float = 20.0) -> None:
    od, demand = sparse_instance()
    n = len(demand)
    print(f"scale: {n} communes, {len(od):,} pairs within 40 min ({len(od) / n**2:.0%} of dense)")
    existing = list(demand["id"].iloc[::10])  # 144 GP sites today, fixed open
    runs = [
        (name, params, "no site today")
        for name, params in (("mclp", {"p": 10, "minutes": 15.0}), ("p_median", {"p": 10}),
                             ("p_center", {"p": 10}))
    ] + [
        (name, {"p": 3, "fixed": existing, **extra}, "144 sites today")
        for name, extra in (("mclp", {"minutes": 15.0}), ("p_median", {}), ("p_center", {}))
    ]  # fmt: skip
    for name, params, label in runs:
        t0 = time.perf_counter()
        result = siting.run(name, od=od, demand=demand, time_limit=time_limit, **params)
        wall = time.perf_counter() - t0
        left = result.unreached
        out = "" if left is None else (
            f"  left out {len(left)} communes ({left['weight'].sum():,.0f} inhabitants)"
        )  # fmt: skip
        print(f"  {name:9s} p={params['p']:<2} ({label}) {result.status:10s} objective "
              f"{result.objective:,.2f}  gap {result.gap:.3f}  {wall:5.1f} s (limit "
              f"{time_limit:g} s, x{wall / time_limit:.2f} of it){out}")  # fmt: skip
        assert result.status in ("optimal", "time_limit")
        assert np.isfinite(result.objective)
        assert np.isfinite(result.gap)


def main() -> None:
    import sys
    from importlib.metadata import version

    import spopt

    print(f"highspy {version('highspy')}, spopt {spopt.__version__}, pulp {version('pulp')}")
    if "--skip-spopt" not in sys.argv:
        results = {"p-median": run_pmedian(), "MCLP": run_mclp()}
        print()
        for name, r in results.items():
            target = "met" if r["ratio"] >= 5 else "NOT met"
            print(f"{name}: x{r['ratio']:.1f} faster than spopt (target x5 {target})")
    print()
    run_scale()


if __name__ == "__main__":
    main()
