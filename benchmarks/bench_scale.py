"""Time and peak memory per commune, from one territory to all of France.

Each case runs in its own Python subprocess, so that its peak resident memory
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is its own and no earlier case leaves memory
behind. Seconds are wall-clock from the first input read to the last result (imports excluded);
peak memory includes the interpreter and the libraries.

Cases:

- ``diagnose`` on 97 communes (``montagne-limousine``), 727 (``dep:19,23,87``) and 1,436
  (``dep:15,19,23,63,87``): :func:`accessmap.diagnostic.run_diagnostic` with 200 Monte Carlo
  runs, the mirror's road network and the 30 km buffer, no store (everything computed); and
  ``gp-only-1436``, the same 1,436 communes without the other health professions
  (``professions=False``), which isolates that step;
- ``national``: nearest GP, bands and APL for every commune of metropolitan France (crow-fly,
  no buffer, sparse travel times at the 40-minute indicator horizon plus every commune's nearest
  site), then the comparison with the published DREES APL
  (:func:`accessmap.indicators.national_comparison`): what ``accessmap indicators --territory
  france --crowfly --buffer-km 0`` computes, without the store;
- ``equivalence``: the same APL from the sparse table and from the dense table (every commune to
  every site, ``horizon=None``) on a 10-department sample: the largest absolute difference is
  printed (it must be <= 1e-9).

The acceptance of issue 15: time per commune of ``diagnose`` does not grow with the territory,
the 1,436-commune diagnose peaks under 1.5 GiB, national APL within 30 s and 1 GiB.

Run: ``.venv/bin/python benchmarks/bench_scale.py [--mirror ../shared/data] [--only CASE ...]``
(several minutes on 2 cores; run it on a quiet machine).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = REPO.parent / "shared" / "data"
DIAGNOSE = {
    "diagnose-97": "montagne-limousine",
    "diagnose-727": "dep:19,23,87",
    "diagnose-1436": "dep:15,19,23,63,87",
}
#: The same 1,436 communes for GPs only (``professions=False``): isolates the other professions.
GP_ONLY = {"gp-only-1436": "dep:15,19,23,63,87"}
#: Ten departments of the Massif Central and its west (the sparse = dense check).
EQUIVALENCE_DEPARTMENTS = "dep:03,12,15,19,23,24,43,46,63,87"
CASES = (*DIAGNOSE, *GP_ONLY, "national", "equivalence")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _diagnose(spec: str, *, professions: bool = True) -> dict[str, Any]:
    from accessmap.diagnostic import DiagnosticOptions, run_diagnostic
    from accessmap.inputs import InputOptions

    start = time.perf_counter()
    result = run_diagnostic(
        DiagnosticOptions(inputs=InputOptions(territory=spec), runs=200, professions=professions)
    )
    seconds = time.perf_counter() - start
    return {
        "communes": len(result.inputs.territory.communes),
        "study_area": len(result.inputs.territory.study_area),
        "pairs": len(result.traveltimes.table),
        "seconds": seconds,
        "statuses": sorted({str(getattr(r, "status", "")) for r in result.options_siting}),
    }


def _national() -> dict[str, Any]:
    from accessmap import indicators
    from accessmap.conventions import INDICATOR_HORIZON
    from accessmap.diagnostic import compute_indicators
    from accessmap.inputs import InputOptions, compute_traveltimes, load_inputs

    laps: dict[str, float] = {}
    start = last = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        laps[name] = now - last
        last = now

    inputs = load_inputs(InputOptions(territory="france", buffer_km=0.0, crowfly=True))
    lap("inputs")
    times, _ = compute_traveltimes(
        inputs.territory, inputs.roster, inputs.roads, horizon=INDICATOR_HORIZON, candidates=False
    )
    lap("traveltimes")
    result, _drees, _zone = compute_indicators(inputs, times)
    lap("indicators")
    assert inputs.published is not None
    national = indicators.national_comparison(
        result.communes, inputs.published, communes=inputs.territory.communes
    )
    lap("comparison")
    return {
        "communes": len(inputs.territory.communes),
        "study_area": len(inputs.territory.study_area),
        "pairs": len(times.table),
        "seconds": time.perf_counter() - start,
        "laps": laps,
        "spearman": national.spearman,
        "compared": national.n,
    }


def _equivalence() -> dict[str, Any]:
    import numpy as np

    from accessmap.conventions import INDICATOR_HORIZON
    from accessmap.diagnostic import compute_indicators
    from accessmap.inputs import InputOptions, compute_traveltimes, load_inputs

    inputs = load_inputs(
        InputOptions(territory=EQUIVALENCE_DEPARTMENTS, buffer_km=0.0, crowfly=True)
    )
    out: dict[str, Any] = {"communes": len(inputs.territory.communes)}
    tables = {}
    for name, horizon in (("sparse", INDICATOR_HORIZON), ("dense", None)):
        start = time.perf_counter()
        times, _ = compute_traveltimes(
            inputs.territory, inputs.roster, inputs.roads, horizon=horizon, candidates=False
        )
        result, _drees, _zone = compute_indicators(inputs, times)
        out[f"{name}_seconds"] = time.perf_counter() - start
        out[f"{name}_pairs"] = len(times.table)
        tables[name] = result.communes.set_index("id").sort_index()
    sparse, dense = tables["sparse"], tables["dense"]
    out["max_abs_diff"] = max(
        float(np.nanmax(np.abs(sparse[col].to_numpy() - dense[col].to_numpy())))
        for col in ("apl", "apl_u65", "nearest_minutes")
    )
    out["seconds"] = out["sparse_seconds"] + out["dense_seconds"]
    out["study_area"] = len(inputs.territory.study_area)
    out["pairs"] = out["sparse_pairs"]
    return out


def _child(case: str, mirror: Path) -> None:
    """Run one case in this process and print one JSON line."""
    from accessmap import settings

    warnings.simplefilter("ignore")
    with settings.override(mirror=mirror, online=False):
        if case in DIAGNOSE:
            row = _diagnose(DIAGNOSE[case])
        elif case in GP_ONLY:
            row = _diagnose(GP_ONLY[case], professions=False)
        elif case == "national":
            row = _national()
        else:
            row = _equivalence()
    row["case"] = case
    row["peak_mib"] = _peak_mib()
    print(json.dumps(row))


def _run(case: str, mirror: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", case, "--mirror", str(mirror)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        text = (done.stderr or done.stdout).strip().splitlines()
        where = [line.strip() for line in text if line.strip().startswith("File ")][-2:]
        error = " | ".join([*where, *text[-1:]])
        return {"case": case, "error": f"exit {done.returncode}: {error}"}
    row: dict[str, Any] = json.loads(lines[-1])
    return row


def _print(rows: list[dict[str, Any]]) -> None:
    head = f"{'case':<14} {'communes':>9} {'study area':>10} {'pairs':>10} {'seconds':>8} "
    print(head + f"{'s/commune':>10} {'ms/commune':>11} {'peak MiB':>9}")
    for row in rows:
        if "error" in row:
            print(f"{row['case']:<14} FAILED {row['error']}")
            continue
        per = row["seconds"] / row["communes"]
        print(
            f"{row['case']:<14} {row['communes']:>9,} {row.get('study_area', 0):>10,} "
            f"{row.get('pairs', 0):>10,} {row['seconds']:>8.1f} {per:>10.4f} {per * 1e3:>11.2f} "
            f"{row['peak_mib']:>9.0f}"
        )
    for row in rows:
        if row.get("case") == "national" and "laps" in row:
            laps = ", ".join(f"{k} {v:.1f} s" for k, v in row["laps"].items())
            print(f"national: {laps}; Spearman with DREES {row['spearman']:.3f} "
                  f"on {row['compared']:,} communes")  # fmt: skip
        if row.get("case") == "equivalence" and "max_abs_diff" in row:
            print(
                f"equivalence ({EQUIVALENCE_DEPARTMENTS}): sparse {row['sparse_pairs']:,} pairs "
                f"in {row['sparse_seconds']:.1f} s, dense {row['dense_pairs']:,} pairs in "
                f"{row['dense_seconds']:.1f} s; max |APL sparse - APL dense| = "
                f"{row['max_abs_diff']:.2e}"
            )
        if row.get("statuses"):
            print(f"{row['case']}: siting statuses {', '.join(row['statuses'])}")


def main() -> None:
    """Run every case (or ``--only`` some), each in its own subprocess, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--only", nargs="*", choices=CASES, default=list(CASES))
    parser.add_argument("--child", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    mirror = args.mirror.resolve()
    if args.child:
        _child(args.child, mirror)
        return
    if not (mirror / "communes").is_dir():
        sys.exit(f"no data mirror at {mirror} (give --mirror DIR)")
    rows = []
    for case in args.only:
        row = _run(case, mirror)
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    _print(rows)


if __name__ == "__main__":
    main()
