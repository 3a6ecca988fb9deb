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

With ``--decisions`` (issue 24), the decisions step of ``accessmap diagnose`` instead, on the
territories of ``--only`` (default: the 97 communes of ``montagne-limousine``; ``--only 97 727``
adds ``dep:19,23,87``): :func:`accessmap.diagnostic.compute_decision_options` (the decision
problem, then :func:`accessmap.diagnostic.choices.compute_decisions`) and, with ``--professions``,
:func:`accessmap.diagnostic.steps.compute_profession_recruits` (the recruits needed of every
other profession with an APL, as ``diagnose`` runs it) are run in child processes, alternately on
``--baseline-rev``'s ``src/`` (``git archive``; default: the commit where this branch left
``main``) and on the working tree's, ``--rounds`` times each, on the inputs the command builds
(defaults of ``diagnose``: 1,000 draws, seed 0, the host rule). Printed per territory: CPU
seconds (``time.process_time``, all threads) of the step, of ``compute_decisions`` alone and of
the professions' recruits, baseline / current ratios measured in the same run, and for every
siting model the decisions solve (recruits needed, best use of 2 and 6, robust, each
profession's recruits) the status, objective, proven gap and plan of both revisions, with the
verdict: the same plan, the same objective within the solver's relative gap (``mip_rel_gap``,
1e-6), or different; then each option's inhabitants under the threshold in the decision year.

Run: ``.venv/bin/python benchmarks/bench_decision.py [--only 97 727] [--time-limit 60] [--roads]``
or ``.venv/bin/python benchmarks/bench_decision.py --decisions [--only 97 727] [--professions]
[--baseline-rev main] [--rounds 2]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from _baseline import baseline_src  # this folder (the scripts run from it)
from accessmap import settings, siting, workforce
from accessmap.conventions import OUTLOOK_HORIZON_YEARS
from accessmap.inputs import InputOptions, compute_traveltimes, load_inputs

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = REPO.parent / "shared" / "data"
#: The decisions' measure (issue 24): the step's target in CPU seconds per territory label.
DECISIONS_TARGET_S = {"97": 1.5, "727": 5.0, "1436": 10.0}
#: Relative gap the solver proves by default (``SolverOptions.mip_rel_gap``).
SOLVER_GAP = 1e-6
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


def _decisions_child(mirror: Path, territory: str, *, professions: bool) -> None:
    """Run the decisions step once (this process's ``accessmap``) and print its measures as JSON."""
    from accessmap import siting
    from accessmap.diagnostic import DiagnosticOptions, answers, choices, steps
    from accessmap.diagnostic.professions import compute_professions
    from accessmap.diagnostic.run import _primary

    solved: list[dict[str, Any]] = []

    def record(name: str, fn: Any) -> Any:
        def wrapped(*args: Any, **kw: Any) -> Any:
            result = fn(*args, **kw)
            table = result.site_table
            solved.append(
                {
                    "model": name, "recruits": kw.get("recruits"), "status": result.status,
                    "objective": result.objective, "gap": result.gap,
                    "plan": {str(k): float(v) for k, v in zip(table["site_id"], table["fte"],
                                                               strict=True)},
                }
            )  # fmt: skip
            return result

        return wrapped

    for name in ("apl_recruits", "apl_best_use", "apl_robust"):
        setattr(siting, name, record(name, getattr(siting, name)))
    inner = choices.compute_decisions
    spent: list[float] = []

    def timed_decisions(*args: Any, **kw: Any) -> Any:
        start = time.process_time()
        out = inner(*args, **kw)
        spent.append(time.process_time() - start)
        return out

    choices.compute_decisions = timed_decisions
    recruits = 0.0
    with settings.override(mirror=mirror.resolve(), online=False):
        options = DiagnosticOptions(inputs=InputOptions(territory=territory))
        inputs = steps.load_inputs(options)
        inputs = answers.calibrated(inputs)
        times, _ = steps.compute_traveltimes(inputs, options)
        outlook, outlook_mc = steps.compute_outlook(inputs, times, options)
        start = time.process_time()
        decisions = steps.compute_decision_options(inputs, times, options, outlook)
        step = time.process_time() - start
        assert decisions is not None
        if professions:
            indicators, _, _ = steps.compute_indicators(inputs, times, apl_year=options.apl_year)
            primary = _primary(inputs, options, times, indicators, (outlook, outlook_mc))
            every = compute_professions(inputs, options, primary=primary)
            hosts = list(decisions.inputs.candidates)
            start = time.process_time()
            steps.compute_profession_recruits(inputs, times, every, options, candidates=hosts)
            recruits = time.process_time() - start
    opts = [
        {"key": o.key, "status": o.status, "fte": o.fte, "under_year": o.evaluation.under_year}
        for o in decisions.options
    ]
    print(
        json.dumps(
            {"step": step + recruits, "decisions": spent[0], "professions": recruits,
             "models": solved, "options": opts}
        )
    )  # fmt: skip


def _merge_base() -> str:
    """The commit where this branch left ``main``."""
    git = shutil.which("git") or "git"
    return subprocess.run(  # noqa: S603 (our own repository)
        [git, "-C", str(REPO), "merge-base", "main", "HEAD"], capture_output=True, text=True,
        check=True,
    ).stdout.strip()[:12]  # fmt: skip


def _child(
    src: Path, mirror: Path, work: Path, territory: str, *, professions: bool
) -> dict[str, Any]:
    """Run :func:`_decisions_child` on the sources of ``src`` (its own cache folder)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(src)
    env["ACCESSMAP_CACHE_DIR"] = str(work / "cache" / src.parent.name)
    flags = ["--professions"] if professions else []
    out = subprocess.run(  # noqa: S603 (this script)
        [sys.executable, __file__, "--child", "--mirror", str(mirror), "--territory", territory,
         *flags],
        env=env, cwd=work, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _verdict(old: dict[str, Any], new: dict[str, Any]) -> str:
    if old["plan"] == new["plan"]:
        return "same plan"
    diff = abs(new["objective"] - old["objective"])
    if diff <= SOLVER_GAP * max(1.0, abs(old["objective"])):
        return "same objective, other plan"
    return f"DIFFERENT by {diff:,.2f}"


def _print_answers(old: dict[str, Any], new: dict[str, Any]) -> None:
    print("\nanswers (baseline -> current):")
    for a, b in zip(old["models"], new["models"], strict=True):
        print(
            f"  {a['model']:<13} {a['recruits']!s:>4} recruits: {a['status']} "
            f"{a['objective']:,.1f} (gap {a['gap']:.1e}) -> {b['status']} {b['objective']:,.1f} "
            f"(gap {b['gap']:.1e}): {_verdict(a, b)}\n      {a['plan']}\n   -> {b['plan']}"
        )
    print("options, inhabitants under the threshold in the year (baseline -> current):")
    for a, b in zip(old["options"], new["options"], strict=True):
        same = "same" if (a["key"], a["under_year"]) == (b["key"], b["under_year"]) else "DIFFERENT"
        print(
            f"  {a['key']:<16} {a['under_year']:>9,.0f} ({a['fte']:.1f} FTE) -> {b['key']:<16} "
            f"{b['under_year']:>9,.0f} ({b['fte']:.1f} FTE): {same}"
        )


def decisions_bench(
    mirror: Path, *, rev: str, rounds: int, labels: list[str], professions: bool
) -> None:
    """Baseline and current decisions step, alternately, ``rounds`` times each; ratios, answers."""
    keys = ("step", "decisions", "professions") if professions else ("step", "decisions")
    for label in labels:
        territory = TERRITORIES[label]
        with tempfile.TemporaryDirectory(prefix="bench-decisions-") as tmp:
            work = Path(tmp)
            sources = {"baseline": baseline_src(rev, work), "current": REPO / "src"}
            runs: dict[str, list[dict[str, Any]]] = {"baseline": [], "current": []}
            for r in range(rounds):
                for variant, src in sources.items():
                    row = _child(src, mirror, work, territory, professions=professions)
                    runs[variant].append(row)
                    print(
                        f"{label} round {r + 1} {variant:<8} decisions step {row['step']:6.2f} s "
                        f"CPU, compute_decisions {row['decisions']:6.2f} s, professions' "
                        f"recruits {row['professions']:6.2f} s",
                        flush=True,
                    )
        best = {v: {k: min(row[k] for row in rows) for k in keys} for v, rows in runs.items()}
        print(f"\n{label} communes ({territory}), best of {rounds} (baseline = {rev}):")
        for key in keys:
            old, new = best["baseline"][key], best["current"][key]
            print(
                f"  {key:<12} baseline {old:6.2f} s  current {new:6.2f} s  "
                f"ratio baseline / current {old / max(new, 1e-9):5.1f}"
            )
        target = DECISIONS_TARGET_S.get(label)
        if target is not None:
            met = best["current"]["step"] <= target
            print(f"  target: step <= {target} s CPU: {'met' if met else 'NOT met'}")
        _print_answers(runs["baseline"][0], runs["current"][0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only", nargs="*", choices=list(TERRITORIES), default=None,
        help="territories (default: all; with --decisions: 97)",
    )  # fmt: skip
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--roads", action="store_true", help="the mirror's roads, not crow-fly")
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--decisions", action="store_true", help="the decisions step, vs a rev")
    parser.add_argument(
        "--baseline-rev", default=None, help="git revision of the baseline (default: where "
        "this branch left main, so that only its own changes are measured)",
    )  # fmt: skip
    parser.add_argument("--rounds", type=int, default=2, help="runs of each variant")
    parser.add_argument(
        "--professions", action="store_true", help="--decisions: the professions' recruits too"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--territory", default=TERRITORIES["97"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.child:
        _decisions_child(args.mirror, args.territory, professions=args.professions)
        return
    if args.decisions:
        rev = args.baseline_rev or _merge_base()
        only = ["97"] if args.only is None else args.only
        decisions_bench(
            args.mirror.resolve(), rev=rev, rounds=args.rounds, labels=only,
            professions=args.professions,
        )  # fmt: skip
        return
    rows: list[dict[str, Any]] = []
    with settings.override(mirror=args.mirror.resolve(), online=False):
        for label in args.only or list(TERRITORIES):
            rows += bench(label, TERRITORIES[label], roads=args.roads, time_limit=args.time_limit)
    table = pd.DataFrame(rows)
    worst = table["greedy_gap"].max() if len(table) else math.nan
    print(f"\nlargest gap left by the greedy: {worst:.2%}")


if __name__ == "__main__":
    main()
