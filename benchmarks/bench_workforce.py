"""Benchmark: vectorised Monte Carlo GP outlook vs the one-run function called in a loop.

Workload (issue 5): 10,000 Monte Carlo runs over 100 GPs x 15 years x 100 communes, APL recomputed
for every year of every run (plus headcount/FTE, population beyond 20/30 minutes and communes
losing their last GP), with a 50 % replacement scenario.

* **vectorised**: ``workforce.outlook(engine="monte_carlo", runs=10_000)``: retirement years drawn
  for all runs x GPs at once, active-FTE tensor runs x years x sites, APL by matrix products,
  quantiles over runs, long tables.
* **baseline**: ``workforce.simulate_run`` (the public one-run function) called in a loop with one
  generator. The loop is timed on ``LOOP_RUNS`` runs and extrapolated linearly to 10,000 (each
  call is independent, so its cost is linear in the number of calls). The loop is not charged for
  aggregating its 10,000 results into quantiles, which favours the baseline.
* **core ratio** (for transparency): the same array engine on 1 run at a time vs all runs at once,
  without preparation or tables: what vectorising over runs buys by itself.

Run: ``.venv/bin/python benchmarks/bench_workforce.py`` (prints the figures and the ratios).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from accessmap import workforce as wf
from accessmap.indicators import AplParameters
from accessmap.supply import make_roster

RUNS = 10_000
LOOP_RUNS = 500
N_GP = 100
N_COMMUNES = 100
N_SITES = 60
HORIZON = 14  # 15 years: the start year and 14 projected years
START = 2025
TARGET = 20.0


def workload(seed: int = 0):
    rng = np.random.default_rng(seed)
    codes = [f"19{i:03d}" for i in range(1, N_COMMUNES + 1)]
    xy = rng.uniform(0, 40, size=(N_COMMUNES, 2))  # km
    demand = pd.DataFrame(
        {
            "id": codes,
            "population": rng.integers(50, 3000, N_COMMUNES),
            "in_territory": np.arange(N_COMMUNES) < 70,
        }
    )
    site_commune = rng.choice(N_COMMUNES, size=N_SITES, replace=False)
    sites = pd.DataFrame(
        {
            "site_id": [f"s{j}" for j in range(N_SITES)],
            "commune_code": [codes[c] for c in site_commune],
            "lon": 2.0 + xy[site_commune, 0] / 80,
            "lat": 45.5 + xy[site_commune, 1] / 111,
        }
    )
    km = np.hypot(*(xy[:, None, :] - xy[None, site_commune, :]).transpose(2, 0, 1))
    minutes = km * 1.3 / 60 * 60 + 2.0
    od = pd.DataFrame(
        {
            "origin_id": np.repeat(codes, N_SITES),
            "dest_id": np.tile(sites["site_id"].to_numpy(), N_COMMUNES),
            "minutes": minutes.ravel(),
            "method": "crowfly",
        }
    )
    gp_site = np.concatenate([np.arange(N_SITES), rng.integers(0, N_SITES, N_GP - N_SITES)])
    prac = pd.DataFrame(
        {
            "practitioner_id": [f"gp{i}" for i in range(N_GP)],
            "birth_year": rng.integers(1955, 1992, N_GP),
            "activity": rng.uniform(2000, 7000, N_GP),
            "site_id": [f"s{j}" for j in gp_site],
        }
    )
    roster = make_roster(prac, sites, current_year=START)
    scenario = wf.Scenario(name="half replaced", replacement=wf.Replacement(0.5, delay_years=1))
    return roster, od, demand, scenario


def main() -> None:
    roster, od, demand, scenario = workload()
    kw = {"scenario": scenario, "start_year": START, "horizon": HORIZON}

    wf.outlook(roster, od, demand, engine="monte_carlo", runs=100, seed=1, **kw)  # warm-up
    t0 = time.perf_counter()
    result = wf.outlook(roster, od, demand, engine="monte_carlo", runs=RUNS, seed=1, **kw)
    vectorised = time.perf_counter() - t0
    assert result.runs == RUNS
    assert len(result.years) == HORIZON + 1

    rng = np.random.default_rng(1)
    wf.simulate_run(roster, od, demand, seed=rng, **kw)  # warm-up
    t0 = time.perf_counter()
    for _ in range(LOOP_RUNS):
        wf.simulate_run(roster, od, demand, seed=rng, **kw)
    loop = (time.perf_counter() - t0) * RUNS / LOOP_RUNS

    prep = wf._prepare(
        roster,
        od,
        demand,
        scenario=scenario,
        model=wf.RetirementModel(),
        start_year=START,
        horizon=HORIZON,
        params=AplParameters(),
    )
    stop, replaced = wf._draw(prep, np.random.default_rng(2), RUNS)
    t0 = time.perf_counter()
    wf._run_chunks(prep, stop, replaced)
    core_vec = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(LOOP_RUNS):
        wf._simulate(prep, stop[i : i + 1], replaced[i : i + 1])
    core_loop = (time.perf_counter() - t0) * RUNS / LOOP_RUNS

    n_sites = prep.n_sites
    print(
        f"workload: {RUNS:,} runs x {N_GP} GPs x {HORIZON + 1} years x {N_COMMUNES} communes "
        f"({n_sites} sites), APL per year and run, 50 % replacement"
    )
    print(f"vectorised outlook(engine='monte_carlo', runs={RUNS:,}): {vectorised:8.2f} s")
    print(
        f"loop of simulate_run() x {RUNS:,} (timed on {LOOP_RUNS}, extrapolated linearly): "
        f"{loop:8.2f} s"
    )
    ratio = loop / vectorised
    print(f"ratio (loop / vectorised): {ratio:.1f}x  (target >= {TARGET:.0f}x)")
    print(
        f"core only (arrays, no preparation nor tables): all runs at once {core_vec:.2f} s, "
        f"one run at a time {core_loop:.2f} s (timed on {LOOP_RUNS}, extrapolated): "
        f"{core_loop / core_vec:.1f}x"
    )
    print("PASS" if ratio >= TARGET else "FAIL")


if __name__ == "__main__":
    main()
