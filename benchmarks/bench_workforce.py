"""Benchmark of the workforce outlook: vectorised runs, and sparse vs dense access operators.

Two questions, each answered by a ratio measured in the same run on the same prepared arrays
(``workforce.prepare.prepare`` is called once per workload and never timed against itself):

1. **Vectorising over runs** (the issue 5 workload: 100 communes, 60 sites, 90 GPs, 15 years,
   50 % replacement, every commune-site pair in the table). The same prepared arrays and the same
   draws, simulated one run at a time (``engine.simulate`` called ``LOOP_RUNS`` times,
   extrapolated linearly to ``RUNS``; the loop keeps no result, which favours it) versus all runs
   at once (``engine.run_chunks``). This replaces the former headline ratio, which timed a
   loop of the public ``simulate_run`` that redid the whole preparation (table validation,
   operators) on every call, and so mostly measured that preparation.
2. **Sparse vs dense operators** (issue 15) at 97, 727 and 1,436 communes (and 4,000, to show
   the trend beyond the issue's sizes): synthetic rural territories (communes of ~28 km², a GP
   site in 30 % of them, about 1.5 GP per site, crow-fly times ``1.3 x km + 2`` minutes at
   60 km/h) with a sparse travel-time table (pairs under 45 minutes only, as a band table would
   hold). The expected engine and ``MC_RUNS`` Monte Carlo runs on the sparse operators versus the
   same code on the dense operators (``engine.densify``: communes x sites matrices, the engine
   as it was before issue 15). Both give the same results (checked here to 1e-9, and in
   ``tests/test_workforce_sparse.py``). The preparation (validation, sparse operators) and the
   whole public ``outlook()`` call (expected engine, tables included) are printed too, per
   commune, to show how they grow.

Run: ``.venv/bin/python benchmarks/bench_workforce.py`` (about a minute on 2 cores).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from accessmap import workforce as wf
from accessmap.contracts import AplParameters
from accessmap.supply import make_roster
from accessmap.workforce import engine, prepare

RUNS = 2_000
LOOP_RUNS = 200
HORIZON = 14  # 15 years: the start year and 14 projected years
START = 2025
SIZES = (97, 727, 1_436, 4_000)
MC_RUNS = 100
REPEAT = 3
TABLE_MINUTES = 45.0


def timed(fn: Callable[[], object], *, repeat: int = 1) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def territory(
    n_communes: int, *, seed: int = 0, site_share: float = 0.3, table_minutes: float = 45.0
) -> tuple[object, pd.DataFrame, pd.DataFrame]:
    """A synthetic rural territory: roster, sparse travel-time table, demand."""
    rng = np.random.default_rng(seed)
    side = np.sqrt(n_communes * 28.0)  # km: communes of ~28 km²
    codes = [f"{19 + i // 900:02d}{i % 900 + 1:03d}" for i in range(n_communes)]
    xy = rng.uniform(0, side, size=(n_communes, 2))
    demand = pd.DataFrame(
        {
            "id": codes,
            "population": rng.integers(50, 3000, n_communes),
            "in_territory": rng.random(n_communes) < 0.6,
        }
    )
    n_sites = max(2, int(site_share * n_communes))
    at = rng.choice(n_communes, size=n_sites, replace=False)
    sites = pd.DataFrame(
        {
            "site_id": [f"s{j}" for j in range(n_sites)],
            "commune_code": [codes[c] for c in at],
            "lon": 2.0 + xy[at, 0] / 80,
            "lat": 45.5 + xy[at, 1] / 111,
        }
    )
    frames = []
    for a in range(0, n_communes, 256):  # the table is built sparse: never communes x sites
        km = np.hypot(*(xy[a : a + 256, None, :] - xy[None, at, :]).transpose(2, 0, 1))
        minutes = km * 1.3 + 2.0
        o, d = np.nonzero(minutes < table_minutes)
        frames.append(
            pd.DataFrame(
                {
                    "origin_id": np.asarray(codes, dtype=object)[a + o],
                    "dest_id": sites["site_id"].to_numpy()[d],
                    "minutes": minutes[o, d],
                    "method": "crowfly",
                }
            )
        )
    od = pd.concat(frames, ignore_index=True)
    n_gp = int(1.5 * n_sites)
    gp_site = np.concatenate([np.arange(n_sites), rng.integers(0, n_sites, n_gp - n_sites)])
    prac = pd.DataFrame(
        {
            "practitioner_id": [f"gp{i}" for i in range(n_gp)],
            "birth_year": rng.integers(1955, 1992, n_gp),
            "activity": rng.uniform(2000, 7000, n_gp),
            "site_id": [f"s{j}" for j in gp_site],
        }
    )
    return make_roster(prac, sites, current_year=START), od, demand


def prepared(roster, od, demand, scenario) -> prepare.Prepared:
    return prepare.prepare(
        roster,
        od,
        demand,
        scenario=scenario,
        model=wf.RetirementModel(),
        start_year=START,
        horizon=HORIZON,
        params=AplParameters(),
    )


def same(a: engine.Arrays, b: engine.Arrays) -> float:
    return max(
        float(np.max(np.abs(np.asarray(getattr(a, f.name), float) - getattr(b, f.name)), initial=0))
        for f in dataclasses.fields(engine.Arrays)
    )


def vectorising() -> None:
    roster, od, demand = territory(100, seed=1, site_share=0.6, table_minutes=np.inf)
    scenario = wf.Scenario(name="half replaced", replacement=wf.Replacement(0.5, delay_years=1))
    prep = prepared(roster, od, demand, scenario)
    stop, replaced = engine.draw(prep, np.random.default_rng(2), RUNS)
    engine.run_chunks(prep, stop[:50], replaced[:50])  # warm-up
    all_at_once, _ = timed(lambda: engine.run_chunks(prep, stop, replaced), repeat=REPEAT)

    def one_by_one() -> None:
        for i in range(LOOP_RUNS):
            engine.simulate(prep, stop[i : i + 1], replaced[i : i + 1])

    loop, _ = timed(one_by_one, repeat=REPEAT)
    loop *= RUNS / LOOP_RUNS
    print(
        f"1. vectorising over runs: {len(prep.pids)} GPs x {HORIZON + 1} years x "
        f"{prep.n_communes} communes x {prep.n_sites} sites, {RUNS:,} runs, same prepared arrays "
        "and draws"
    )
    print(f"   all runs at once (run_chunks):                 {all_at_once:7.2f} s")
    print(
        f"   one run at a time (simulate x {LOOP_RUNS}, extrapolated): {loop:7.2f} s  "
        f"-> ratio {loop / all_at_once:.1f}x"
    )


def one_size(n: int, scenario: wf.Scenario) -> str:
    roster, od, demand = territory(n, table_minutes=TABLE_MINUTES)
    t_prep, prep = timed(lambda: prepared(roster, od, demand, scenario), repeat=REPEAT)
    assert isinstance(prep, prepare.Prepared)
    dense = engine.densify(prep)
    stop, replaced = engine.draw(prep, np.random.default_rng(5), MC_RUNS)
    t_exp_s, exp_s = timed(lambda: engine.expected(prep), repeat=REPEAT)
    t_exp_d, exp_d = timed(lambda: engine.expected(dense), repeat=REPEAT)
    t_mc_s, mc_s = timed(lambda: engine.run_chunks(prep, stop, replaced), repeat=REPEAT)
    t_mc_d, mc_d = timed(lambda: engine.run_chunks(dense, stop, replaced), repeat=REPEAT)
    assert same(exp_s, exp_d) < 1e-9  # type: ignore[arg-type]
    assert same(mc_s, mc_d) < 1e-9  # type: ignore[arg-type]
    t_out, _ = timed(
        lambda: wf.outlook(
            roster, od, demand, scenario=scenario, start_year=START, horizon=HORIZON
        ),
        repeat=REPEAT,
    )
    return (
        f"   {n:>8} {prep.n_sites:>6} {len(prep.pids):>5} {len(od):>10,} "
        f"{prep.apl_t.nnz:>8,} {prep.reach[-1].nnz:>11,} {n * prep.n_sites:>9,} | "
        f"{t_exp_s:7.3f} /{t_exp_d:7.3f} {t_exp_d / t_exp_s:6.1f}x | "
        f"{t_mc_s:6.2f} /{t_mc_d:6.2f} {t_mc_d / t_mc_s:5.1f}x | "
        f"{t_prep:6.2f}s {t_out:8.2f}s {1000 * t_out / n:10.3f}"
    )


def sparse_vs_dense() -> None:
    print(
        f"2. sparse vs dense operators: expected engine and {MC_RUNS} Monte Carlo runs, "
        f"{HORIZON + 1} years, 50 % replacement; table of pairs under {TABLE_MINUTES:g} min; "
        f"best of {REPEAT}"
    )
    print(
        f"   {'communes':>8} {'sites':>6} {'GPs':>5} {'table rows':>10} {'APL nnz':>8} "
        f"{'reach30 nnz':>11} {'C x S':>9} | {'expected s/d (s)':>17} {'ratio':>7} | "
        f"{'MC s/d (s)':>14} {'ratio':>6} | {'prepare':>7} {'outlook()':>9} {'ms/commune':>10}"
    )
    scenario = wf.Scenario(name="half replaced", replacement=wf.Replacement(0.5, delay_years=1))
    for n in SIZES:
        print(one_size(n, scenario), flush=True)


def main() -> None:
    vectorising()
    sparse_vs_dense()


if __name__ == "__main__":
    main()
