"""The command line end to end, from one territory to all of France: CPU seconds and peak memory.

Each case runs the ``accessmap`` command in its own process, exactly as a user types it (store,
report, 1,000 Monte Carlo draws), and reads that process's resource usage when it ends
(``os.wait4``: the child's own ``rusage``, which is what ``resource.getrusage(RUSAGE_CHILDREN)``
adds up): **CPU seconds** (user + system, which a loaded machine does not inflate the way it
inflates wall-clock time) and **peak resident memory** (``ru_maxrss``, interpreter and libraries
included). Wall-clock seconds are printed beside them.

Cases (each with a new report folder and a new store; one cache folder for the whole benchmark):

- ``diagnose-97-first``: ``accessmap diagnose --territory montagne-limousine`` with an empty
  cache folder (the first run in a folder: the DREES workbook parsed, nothing cached);
- ``diagnose-97``, ``diagnose-727``, ``diagnose-1436``: ``diagnose`` on ``montagne-limousine``
  (97 park communes), ``dep:19,23,87`` (727) and ``dep:15,19,23,63,87`` (1,436), cache warm:
  unmeasured, the 97-commune command fills an empty cache folder first, then the case's command
  runs with ``--dry-run`` (its departments' communes), so that a case measured alone (``--only``)
  is as warm as after the cases before it;
- ``national``: ``accessmap indicators --territory france --crowfly --buffer-km 0``, cache warm
  like the others: the command runs once unmeasured first (the earlier cases read only a few
  departments);
- ``national-again``: the same command run again on the warm-up's store (a user's second run:
  the travel times read back from the store instead of computed);
- ``equivalence``: the same APL from the sparse table and from the dense table (every commune to
  every site) on a 10-department sample, in the library: the largest absolute difference is
  printed (it must be <= 1e-9).

Targets (issue 24) are printed beside the measures, met or not.

The children run with accessmap's bytecode compiled once beforehand (``compileall``, into the
package's own ``__pycache__``), as an installed package has it (``pip`` compiles every module of
the dependencies at install time): a session with ``PYTHONDONTWRITEBYTECODE`` set would otherwise
compile every module of accessmap from source in every case (a few tenths of a second each time
that no user pays). The bytecode stays where Python looks for it: a ``PYTHONPYCACHEPREFIX`` would
also hide the dependencies' compiled modules, and the first case would compile pandas, plotly...
from source (about 5 s that a user's first run does not pay).

With ``--solver-cap S``, every command case also runs on the working tree with
``ACCESSMAP_SOLVER_TIME_CAP=S`` (:attr:`accessmap.settings.Settings.solver_time_cap`: every siting
model searches at most ``S`` seconds), printed as the ``capped`` variant beside the current one:
what the decision searches cost, and what the command costs without them. The targets are judged
on the current variant only.

With ``--baseline-rev REV`` (a git revision, e.g. ``main``), every command case also runs on that
revision's ``src/`` (extracted with ``git archive``, its own cache folder), alternately with the
working tree's, and the ratios baseline / current are printed: measures from the same run, on the
same machine load.

Run: ``.venv/bin/python benchmarks/bench_scale.py [--mirror ../shared/data] [--only CASE ...]
[--baseline-rev REV] [--solver-cap S]`` (several minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from _baseline import baseline_src  # this folder (the scripts run from it)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = REPO.parent / "shared" / "data"
#: Case -> (command arguments, empty cache first).
COMMANDS: dict[str, tuple[list[str], bool]] = {
    "diagnose-97-first": (["diagnose", "--territory", "montagne-limousine"], True),
    "diagnose-97": (["diagnose", "--territory", "montagne-limousine"], False),
    "diagnose-727": (["diagnose", "--territory", "dep:19,23,87"], False),
    "diagnose-1436": (["diagnose", "--territory", "dep:15,19,23,63,87"], False),
    "national": (["indicators", "--territory", "france", "--crowfly", "--buffer-km", "0"], False),
    "national-again": (
        ["indicators", "--territory", "france", "--crowfly", "--buffer-km", "0"],
        False,
    ),
}
#: Cases run once unmeasured first, so that their cache is warm (see the module docstring).
WARM_UP = frozenset({"national", "national-again"})
#: Cases measured on the store their warm-up run wrote (see the module docstring).
SAME_STORE = frozenset({"national-again"})
#: Case -> (CPU seconds, peak MiB) at most (issue 24); ``None``: no target.
TARGETS: dict[str, tuple[float | None, float | None]] = {
    "diagnose-97-first": (9.0, 450.0),
    "diagnose-97": (7.0, 450.0),
    "diagnose-727": (15.0, None),
    "diagnose-1436": (22.0, 1024.0),
    "national": (8.0, 600.0),
    "national-again": (None, None),
}
#: Ten departments of the Massif Central and its west (the sparse = dense check).
EQUIVALENCE_DEPARTMENTS = "dep:03,12,15,19,23,24,43,46,63,87"
CASES = (*COMMANDS, "equivalence")


def _command() -> list[str]:
    script = Path(sys.executable).parent / "accessmap"
    if script.is_file():
        return [sys.executable, str(script)]
    return [sys.executable, "-c", "from accessmap.cli import run; run()"]


def _child_env(src: Path | None = None) -> dict[str, str]:
    """The environment of every child: bytecode read from (and written to) ``__pycache__``.

    ``src``: a source tree imported first (the baseline revision).
    """
    drop = {"PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src), *filter(None, [env.get("PYTHONPATH")])])
    return env


def _compile_bytecode(src: Path | None = None) -> None:
    """Compile accessmap's modules once, as ``pip install`` does (see the module docstring)."""
    env = _child_env(src)
    where = subprocess.run(
        [sys.executable, "-c", "import accessmap, os; print(os.path.dirname(accessmap.__file__))"],
        capture_output=True, text=True, check=True, env=env,
    ).stdout.strip()  # fmt: skip
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "compileall", "-q", where], check=True, env=env,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def _child(command: list[str], env: dict[str, str], out: Path) -> tuple[int, Any, float]:
    """Run ``command`` (stderr to ``out/stderr.txt``); its exit code, ``rusage`` and wall time."""
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with (out / "stderr.txt").open("wb") as err:
        proc = subprocess.Popen(  # noqa: S603 (our own command)
            command, stdout=subprocess.DEVNULL, stderr=err, env=env
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
    return os.waitstatus_to_exitcode(status), usage, time.perf_counter() - start


def _warm_up(case: str, mirror: Path, cache: Path, out: Path, env: dict[str, str]) -> None:
    """Fill the cache folder with what a warm ``diagnose`` case reads, unmeasured.

    The 97-commune command once per cache folder (the DREES workbook, the ZRR file, the road
    file, the calibration area's communes, the calibration itself), then the case's own command
    with ``--dry-run`` (its departments' communes): measured alone (``--only``), a warm case is
    then as warm as after the cases before it.
    """
    args, _cold = COMMANDS[case]
    store = ["--mirror", str(mirror), "--store", str(out / "s.duckdb"), "--out", str(out / "r")]
    if not any((cache / "parsed").glob("drees_apl-*.parquet")):
        _child([*_command(), *COMMANDS["diagnose-97"][0], *store], env, out)
    _child([*_command(), *args, *store, "--dry-run"], env, out)


def _cli(
    case: str, mirror: Path, work: Path, src: Path | None = None, *, cap: float | None = None
) -> dict[str, Any]:
    """Run one command in a child process; its CPU seconds and peak memory from ``wait4``.

    ``src``: run the baseline revision's sources (its own cache folder and outputs). ``cap``:
    the working tree with ``ACCESSMAP_SOLVER_TIME_CAP`` set (the current variant's cache folder).
    """
    args, cold = COMMANDS[case]
    variant = "baseline" if src is not None else "capped" if cap is not None else "current"
    cache = work / ("baseline" if src is not None else "current") / "cache"
    if cold and cache.exists():
        shutil.rmtree(cache)
    env = {**_child_env(src), "ACCESSMAP_CACHE_DIR": str(cache), "ACCESSMAP_ONLINE": "0"}
    if cap is not None:
        env["ACCESSMAP_SOLVER_TIME_CAP"] = str(cap)
    if not cold and args[0] == "diagnose":
        _warm_up(case, mirror, cache, work / variant / f"{case}-warm-up", env)
    # a warm-up run (its own store and outputs) warms the cache folder only; the last is measured
    for name in [f"{case}-warm-up"] * (case in WARM_UP) + [case]:
        out = work / variant / name
        extra = ["--out", str(out / ("table.csv" if args[0] == "indicators" else "report"))]
        store = work / variant / f"{case}-warm-up" if case in SAME_STORE else out
        command = [*_command(), *args, "--mirror", str(mirror), "--store", str(store / "s.duckdb")]
        code, usage, wall = _child([*command, *extra], env, out)
    if code != 0:
        tail = (out / "stderr.txt").read_text(errors="replace").strip().splitlines()[-3:]
        return {"case": case, "variant": variant, "error": f"exit {code}: {' | '.join(tail)}"}
    return {
        "case": case,
        "variant": variant,
        "territory": args[2],
        "cpu": usage.ru_utime + usage.ru_stime,
        "seconds": wall,
        "peak_mib": usage.ru_maxrss / 1024.0,
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
    return out


def _child_equivalence(mirror: Path) -> None:
    """Run the equivalence check in this process and print one JSON line."""
    from accessmap import settings

    warnings.simplefilter("ignore")
    with settings.override(mirror=mirror, online=False):
        row = _equivalence()
    row["case"] = "equivalence"
    print(json.dumps(row))


def _run_equivalence(mirror: Path, work: Path) -> dict[str, Any]:
    """Run the equivalence check in a child, its cache in the benchmark's folder (not the cwd)."""
    command = [sys.executable, __file__, "--child", "equivalence", "--mirror", str(mirror)]
    env = {**os.environ, "ACCESSMAP_CACHE_DIR": str(work / "equivalence-cache")}
    done = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, check=False, env=env
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:]
        return {"case": "equivalence", "error": f"exit {done.returncode}: {' | '.join(tail)}"}
    row: dict[str, Any] = json.loads(lines[-1])
    return row


def _verdict(value: float, target: float | None) -> str:
    if target is None:
        return "-"
    return f"<= {target:g} {'met' if value <= target else 'NOT met'}"


def _print(rows: list[dict[str, Any]]) -> None:
    print(f"{'case':<18} {'variant':<9} {'territory':<20} {'CPU s':>7} {'wall s':>7} "
          f"{'peak MiB':>9}  {'CPU target':<16} {'memory target':<18}")  # fmt: skip
    seen: dict[tuple[str, str], dict[str, Any]] = {}  # (variant, case): its row, for the ratios
    for row in rows:
        if "error" in row:
            print(f"{row['case']:<18} {row.get('variant', ''):<9} FAILED {row['error']}")
        elif row["case"] == "equivalence":
            print(
                f"equivalence ({EQUIVALENCE_DEPARTMENTS}): sparse {row['sparse_pairs']:,} pairs "
                f"in {row['sparse_seconds']:.1f} s, dense {row['dense_pairs']:,} pairs in "
                f"{row['dense_seconds']:.1f} s; max |sparse - dense| = {row['max_abs_diff']:.2e}"
            )
        elif row["variant"] == "capped":
            current = seen.get(("current", row["case"]))
            print(
                f"{row['case']:<18} {'capped':<9} {row['territory']:<20} {row['cpu']:>7.1f} "
                f"{row['seconds']:>7.1f} {row['peak_mib']:>9.0f}  "
                f"solver cap {row['cap']:g} s (each search cut short: not the targets' case)"
            )
            if current is not None:
                print(
                    f"{'':<18} {'ratio':<9} {'current / capped':<20} "
                    f"{current['cpu'] / row['cpu']:>6.2f}x"
                )
        elif row["variant"] == "baseline":
            seen["baseline", row["case"]] = row
            print(
                f"{row['case']:<18} {'baseline':<9} {row['territory']:<20} {row['cpu']:>7.1f} "
                f"{row['seconds']:>7.1f} {row['peak_mib']:>9.0f}"
            )
        else:
            cpu_target, mib_target = TARGETS[row["case"]]
            print(
                f"{row['case']:<18} {'current':<9} {row['territory']:<20} {row['cpu']:>7.1f} "
                f"{row['seconds']:>7.1f} {row['peak_mib']:>9.0f}  "
                f"{_verdict(row['cpu'], cpu_target):<16} {_verdict(row['peak_mib'], mib_target)}"
            )
            seen["current", row["case"]] = row
            base = seen.get(("baseline", row["case"]))
            if base is not None:
                print(
                    f"{'':<18} {'ratio':<9} {'baseline / current':<20} "
                    f"{base['cpu'] / row['cpu']:>6.2f}x {'':>7} "
                    f"{base['peak_mib'] / row['peak_mib']:>8.2f}x"
                )


def _run_cases(args: argparse.Namespace, mirror: Path, work: Path) -> list[dict[str, Any]]:
    """Every case in order; with a baseline revision, each command case on it first."""
    src = baseline_src(args.baseline_rev, work) if args.baseline_rev else None
    _compile_bytecode()
    if src is not None:
        _compile_bytecode(src)
    rows = []
    for case in args.only:
        if case == "equivalence":
            runs = [_run_equivalence(mirror, work)]
        else:
            runs = [_cli(case, mirror, work, src)] if src is not None else []
            runs.append(_cli(case, mirror, work))
            if args.solver_cap is not None:
                capped = _cli(case, mirror, work, cap=args.solver_cap)
                runs.append({**capped, "cap": args.solver_cap})
        for row in runs:
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    return rows


def main() -> None:
    """Run every case (or ``--only`` some), each in its own process, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--only", nargs="*", choices=CASES, default=list(CASES))
    parser.add_argument(
        "--baseline-rev", help="also run every command on this git revision's src/ (ratios)"
    )
    parser.add_argument(
        "--solver-cap", type=float, metavar="S",
        help="also run every command with ACCESSMAP_SOLVER_TIME_CAP=S (what search time costs)",
    )  # fmt: skip
    parser.add_argument("--child", choices=("equivalence",), help=argparse.SUPPRESS)
    args = parser.parse_args()
    mirror = args.mirror.resolve()
    if args.child:
        _child_equivalence(mirror)
        return
    if not (mirror / "communes").is_dir():
        sys.exit(f"no data mirror at {mirror} (give --mirror DIR)")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        rows = _run_cases(args, mirror, Path(tmp))
    _print(rows)


if __name__ == "__main__":
    main()
