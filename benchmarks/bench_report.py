"""Writing the report (``write_report``): CPU seconds of the working tree against a baseline.

Each case computes one diagnostic in a child process (not measured: the diagnostic is the same
computation on both sides), then writes its whole report (``diagnostic.html``, the GeoPackage,
the machine and French CSV tables, the data dictionary) with
:func:`accessmap.report.write_report` and measures it: **CPU seconds** of the process
(``time.process_time``: user + system, all threads, which a loaded machine does not inflate the
way it inflates wall-clock time). The first write of the process is measured (what a user's run
pays: nothing remembered yet), then the best of ``--repeat`` more writes. The time of
:func:`accessmap.report.exports.access_rings` (the GeoPackage's access zones) is printed beside
it, and the share of the report it takes.

With ``--baseline-rev REV`` (default ``main``), every case also runs on that git revision's
``src/`` (extracted with ``git archive``), in its own child, alternately with the working tree's:
the ratios baseline / current are measures of the same run, on the same machine load. Each
side's files are compared: the CSV tables must be byte-identical, the HTML report is compared
figure by figure (the ``Plotly.newPlot`` data and layout), and the GeoPackage's layers by their
fields; what differs is printed.

Cases: ``97`` (``montagne-limousine``, 97 park communes) and ``727`` (``dep:19,23,87``); the cache
folder of the working directory's ``data/`` serves both sides (run the ``diagnose`` command once
first so that it is warm).

Run: ``.venv/bin/python benchmarks/bench_report.py [--mirror ../shared/data] [--only 97 727]
[--baseline-rev main] [--repeat 2]`` (about a minute per case and side on 2 cores).
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
from pathlib import Path
from typing import Any

from _baseline import baseline_src  # this folder (the scripts run from it)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = REPO.parent / "shared" / "data"
TERRITORIES = {"97": "montagne-limousine", "727": "dep:19,23,87", "1436": "dep:15,19,23,63,87"}


def _child(territory: str, mirror: Path, out: Path, repeat: int) -> None:
    """Compute the diagnostic, write its report ``1 + repeat`` times; print one JSON line."""
    from accessmap import settings
    from accessmap.cli._common import input_options
    from accessmap.conventions import SITING_MINUTES
    from accessmap.diagnostic import DiagnosticOptions, run_diagnostic
    from accessmap.report import exports

    warnings.simplefilter("ignore")
    inputs = input_options(
        territory, required=False, buffer_km=30.0, roster=None, roster_scope="territory",
        osm=None, crowfly=False, online=False, winter=None, seed=0,
    )  # fmt: skip
    options = DiagnosticOptions(inputs=inputs, runs=1000, minutes=SITING_MINUTES, p_max=3)
    with settings.override(mirror=mirror, online=False):
        diagnostic = run_diagnostic(options)
        seconds = []
        for i in range(1 + repeat):
            target = out / f"report-{i}"
            start = time.process_time()
            exports.write_report(diagnostic, target)
            seconds.append(time.process_time() - start)
        start = time.process_time()
        exports.access_rings(diagnostic.isochrones)
        rings = time.process_time() - start
    row = {"first": seconds[0], "best": min(seconds[1:] or seconds), "rings": rings}
    print(json.dumps(row))


def _run(case: str, mirror: Path, work: Path, repeat: int, src: Path | None) -> dict[str, Any]:
    variant = "current" if src is None else "baseline"
    out = work / variant / case
    out.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["PYTHONPATH"] = os.pathsep.join([str(src or REPO / "src"), *filter(None, [
        os.environ.get("PYTHONPATH")])])  # fmt: skip
    command = [sys.executable, __file__, "--child", TERRITORIES[case], "--mirror", str(mirror),
               "--out", str(out), "--repeat", str(repeat)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"case": case, "variant": variant, "error": " | ".join(tail)}
    return {"case": case, "variant": variant, "out": str(out / "report-0"), **json.loads(lines[-1])}


def _figures(html: str) -> dict[str, str]:
    """The data and layout of every figure of a report, by its element id."""
    import re

    decoder = json.JSONDecoder()
    out = {}
    for match in re.finditer(r'Plotly\.newPlot\(\s*"([^"]+)",\s*', html):
        data, end = decoder.raw_decode(html[match.end() :])
        rest = html[match.end() + end :].lstrip(" ,\n")
        layout, _ = decoder.raw_decode(rest)
        out[match.group(1)] = json.dumps([data, layout], sort_keys=True)
    return out


def _compare(base: Path, current: Path) -> list[str]:
    """What differs between two reports (empty: the same tables, figures and layer fields)."""
    import pyogrio

    notes = []
    for path in sorted(p.relative_to(base) for p in base.rglob("*.csv")):
        other = current / path
        if not other.exists() or other.read_bytes() != (base / path).read_bytes():
            notes.append(f"table {path} differs")
    old = (base / "diagnostic.html").read_text(encoding="utf-8")
    new = (current / "diagnostic.html").read_text(encoding="utf-8")
    if old != new:
        a, b = _figures(old), _figures(new)
        changed = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        notes.append(f"HTML differs ({len(old):,} / {len(new):,} characters); "
                     f"figures differing: {changed or 'none'}")  # fmt: skip
    layers = {name for name, _ in pyogrio.list_layers(base / "diagnostic.gpkg")}
    for name in sorted(layers):
        fields = [pyogrio.read_info(g, layer=name)["fields"].tolist()
                  for g in (base / "diagnostic.gpkg", current / "diagnostic.gpkg")]  # fmt: skip
        if fields[0] != fields[1]:
            notes.append(f"GeoPackage layer {name}: fields differ")
    return notes


def _print(rows: list[dict[str, Any]]) -> None:
    print(f"{'case':<6} {'variant':<9} {'first s':>8} {'best s':>8} {'rings s':>8} {'rings %':>8}")
    base: dict[str, dict[str, Any]] = {}
    for row in rows:
        if "error" in row:
            print(f"{row['case']:<6} {row['variant']:<9} FAILED {row['error']}")
            continue
        share = 100.0 * row["rings"] / row["first"]
        print(f"{row['case']:<6} {row['variant']:<9} {row['first']:>8.2f} {row['best']:>8.2f} "
              f"{row['rings']:>8.2f} {share:>7.0f}%")  # fmt: skip
        if row["variant"] == "baseline":
            base[row["case"]] = row
        elif row["case"] in base:
            b = base[row["case"]]
            print(f"{'':<6} {'ratio':<9} {b['first'] / row['first']:>7.2f}x "
                  f"{b['best'] / row['best']:>7.2f}x {b['rings'] / row['rings']:>7.2f}x   "
                  "(baseline / current)")  # fmt: skip
            for note in _compare(Path(b["out"]), Path(row["out"])) or ["same outputs"]:
                print(f"{'':<6} {'':<9} {note}")


def main() -> None:
    """Run every case (or ``--only`` some) on the baseline and the working tree; print ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--only", nargs="*", choices=tuple(TERRITORIES), default=["97", "727"])
    parser.add_argument("--baseline-rev", default="main", help="git revision compared ('': none)")
    parser.add_argument("--repeat", type=int, default=2, help="writes after the first (best)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    mirror = args.mirror.resolve()
    if args.child:
        _child(args.child, mirror, args.out, args.repeat)
        return
    if not (mirror / "communes").is_dir():
        sys.exit(f"no data mirror at {mirror} (give --mirror DIR)")
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        work = Path(tmp)
        src = baseline_src(args.baseline_rev, work) if args.baseline_rev else None
        rows = []
        for case in args.only:
            for side in ([src] if src is not None else []) + [None]:
                row = _run(case, mirror, work, args.repeat, side)
                print(json.dumps({k: v for k, v in row.items() if k != "out"}), file=sys.stderr)
                rows.append(row)
        _print(rows)


if __name__ == "__main__":
    main()
