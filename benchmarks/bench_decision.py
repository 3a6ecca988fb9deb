"""Benchmark: the APL siting models (issue 20) against their greedy heuristic, on real territories.

For the 97-, 727- and 1,436-commune territories of the mirror (``montagne-limousine``,
``dep:19,23,87``, ``dep:15,19,23,63,87``), loaded by the library's input layer
(:func:`accessmap.inputs.load_inputs`, crow-fly times by default, ``--roads`` for the mirror's road
network), with a 30 km buffer:

1. the baseline of the APL models is built as the pipeline should: the expected outlook of the
   GPs (:func:`accessmap.workforce.outlook`), today's and the year's (+10) modelled APL, and the
   published DREES APL (:func:`accessmap.siting.official_plus_change`); the Monte Carlo draws of
   the year (:func:`accessmap.workforce.apl_draws`) give the robust model's baselines
   (:func:`accessmap.siting.official_plus_change_draws`);
2. every model runs twice in the same process, exact (HiGHS, with ``--time-limit``) and greedy:
   ``apl_recruits`` (every commune of the territory at 2.5 or more), ``apl_best_use`` with 10
   recruits (inhabitants at 2.5 or more; weighted deficit), ``apl_robust`` with 10 recruits over a
   sample of 10 of the draws.

Printed per territory and model: CPU seconds (``time.process_time``, all threads) of the exact and
of the greedy run, the exact status and its proven gap, both objectives and the gap the greedy
leaves (relative to the exact answer).

Demand: the inhabitants counted are the territory's (``population`` where ``in_territory``); the
catchments ``P_j`` use the standardised population of the whole study area (``pop_std``), as
DREES. Existing GP sites may be reinforced; a new MSP (a team of two) may open at any territory
town hall.

Run: ``.venv/bin/python benchmarks/bench_decision.py [--only 97 727] [--time-limit 60] [--roads]``.
"""

from __future__ import annotations

import argparse
import math
import time
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from accessmap import settings, siting, workforce
from accessmap.conventions import OUTLOOK_HORIZON_YEARS
from accessmap.inputs import InputOptions, compute_traveltimes, load_inputs

DEFAULT_MIRROR = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TERRITORIES = {
    "97": "montagne-limousine",
    "727": "dep:19,23,87",
    "1436": "dep:15,19,23,63,87",
}
RECRUITS = 10
RUNS = 50
SAMPLE = 10


def _inputs(spec: str, *, roads: bool) -> dict[str, Any]:
    """Territory tables, travel times and the baselines of the APL models."""
    inputs = load_inputs(InputOptions(territory=spec, crowfly=not roads))
    times, _ = compute_traveltimes(inputs.territory, inputs.roster, inputs.roads)
    demand = inputs.demand
    demand = demand.assign(counted=demand["population"].where(demand["in_territory"], 0.0))
    od = times.table[times.table["origin_id"].isin(set(demand["id"]))]
    site_ids = set(inputs.roster.sites["site_id"])
    existing = sorted(site_ids & set(od["dest_id"]))
    inside = set(demand.loc[demand["in_territory"], "id"])
    candidates = sorted((inside & set(od["dest_id"])) - site_ids)
    od_sites = od[od["dest_id"].isin(site_ids)]
    outlook = workforce.outlook(inputs.roster, od_sites, demand, horizon=OUTLOOK_HORIZON_YEARS)
    year = outlook.start_year + OUTLOOK_HORIZON_YEARS
    apl = outlook.apl.rename(columns={"commune_code": "id"})
    today = apl[apl["year"] == outlook.start_year]
    assert inputs.published is not None
    published = inputs.published[inputs.published["year"] == inputs.published["year"].max()]
    baseline = siting.official_plus_change(
        published, modelled_today=today, modelled_year=apl[apl["year"] == year],
        ids=demand["id"].tolist(),
    )  # fmt: skip
    draws = workforce.apl_draws(
        inputs.roster, od_sites, demand, year=year, runs=RUNS, horizon=OUTLOOK_HORIZON_YEARS,
        start_year=outlook.start_year,
    )  # fmt: skip
    draws = siting.official_plus_change_draws(published, modelled_today=today, draws=draws)
    return {
        "od": od, "demand": demand, "existing": existing, "candidates": candidates,
        "baseline": baseline, "draws": draws[demand["id"].tolist()], "year": year,
    }  # fmt: skip


def _runs(data: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    common = {
        "weight": "counted", "apl_weight": "pop_std", "fixed": data["existing"],
        "candidates": data["candidates"],
    }  # fmt: skip
    base = {"baseline": data["baseline"], **common}
    return {
        "recrues nécessaires": ("apl_recruits", base),
        "10 recrues, habitants ≥ 2,5": ("apl_best_use", {**base, "recruits": RECRUITS}),
        "10 recrues, déficit": (
            "apl_best_use", {**base, "recruits": RECRUITS, "objective": "deficit"},
        ),
        "10 recrues, robuste": (
            "apl_robust",
            {"draws": data["draws"], "recruits": RECRUITS, "sample": SAMPLE, **common},
        ),
    }  # fmt: skip


def _timed(name: str, data: dict[str, Any], **kw: Any) -> tuple[siting.SitingResult, float]:
    start = time.process_time()
    result = siting.run(name, od=data["od"], demand=data["demand"], **kw)
    return result, time.process_time() - start


def _gap(greedy: float, exact: float) -> float:
    return abs(exact - greedy) / max(abs(exact), 1e-9)


def bench(label: str, spec: str, *, roads: bool, time_limit: float) -> list[dict[str, Any]]:
    t0 = time.process_time()
    data = _inputs(spec, roads=roads)
    prep = time.process_time() - t0
    counted = data["demand"]["counted"]
    print(
        f"\n{label} communes ({spec}): {int((counted > 0).sum())} inhabited, "
        f"{len(data['demand'])} in the study area, {len(data['existing'])} sites, "
        f"{len(data['candidates'])} candidates, year {data['year']}; inputs {prep:.1f} s CPU"
    )
    rows = []
    for what, (name, kw) in _runs(data).items():
        exact, t_exact = _timed(name, data, time_limit=time_limit, **kw)
        greedy, t_greedy = _timed(name, data, method="greedy", **kw)
        row = {
            "territory": label, "model": what, "status": exact.status,
            "exact_cpu_s": t_exact, "greedy_cpu_s": t_greedy, "exact": exact.objective,
            "greedy": greedy.objective, "proven_gap": exact.gap,
            "greedy_gap": _gap(greedy.objective, exact.objective),
            "fte": exact.parameters.get("total_fte"),
            "new_sites": exact.parameters.get("new_sites"),
        }  # fmt: skip
        rows.append(row)
        print(
            f"  {what:<28} exact {t_exact:7.1f} s ({exact.status}, gap {exact.gap:.2%}) "
            f"greedy {t_greedy:6.1f} s | objective {exact.objective:,.1f} vs "
            f"{greedy.objective:,.1f} -> greedy gap {row['greedy_gap']:.2%} | "
            f"{row['fte']} ETP, {row['new_sites']} MSP"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", choices=list(TERRITORIES), default=list(TERRITORIES))
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--roads", action="store_true", help="the mirror's roads, not crow-fly")
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rows: list[dict[str, Any]] = []
    with settings.override(mirror=args.mirror.resolve(), online=False):
        for label in args.only:
            rows += bench(label, TERRITORIES[label], roads=args.roads, time_limit=args.time_limit)
    table = pd.DataFrame(rows)
    worst = table["greedy_gap"].max() if len(table) else math.nan
    print(f"\nlargest gap left by the greedy: {worst:.2%}")


if __name__ == "__main__":
    main()
