"""The report's simulator in Chromium: loading a department's recommended plan, against a baseline.

One diagnostic of a department is computed in this process (not measured: the page's data are the
same on both sides), its simulator data (:func:`accessmap.report.simulator.simulator_for`) written
twice as a standalone page (:func:`accessmap.report.simulator.standalone_html`): once with the
working tree's script and style, once with those of ``--baseline-rev`` (read with ``git show``).
Both pages open in headless Chromium (Debian's, ``--no-sandbox``); each interaction is a click
on « Charger le plan recommandé » then on « Tout effacer », timed in the page from the click to
the next painted frame (``performance.now``: the wait a user sees). The two pages alternate,
``--repeat`` times each; the best and the median of each side and the ratio baseline / current
are printed, measured in the same run.

The decision searches are capped (``--solver-cap``, seconds): the plan's row count, printed,
is what the page's cost follows, not its quality.

Run: ``.venv/bin/python benchmarks/bench_simulator.py [--mirror ../shared/data]
[--territory dep:19,23,87] [--baseline-rev 3ec100e] [--repeat 5]`` (about a minute on 2 cores,
most of it the diagnostic).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import warnings
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = REPO.parent / "shared" / "data"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ASSETS = ("simulator.js", "simulator.css")
#: A click, then the time to the next painted frame (milliseconds).
CLICK = """async (label) => {
  const button = [...document.querySelectorAll("button")].find(b => b.textContent.trim() === label);
  const start = performance.now();
  button.click();
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - start;
}"""
LOAD, CLEAR = "Charger le plan recommandé", "Tout effacer"


def simulator_data(mirror: Path, territory: str, solver_cap: float) -> dict[str, Any]:
    """Compute the diagnostic of ``territory`` on the mirror and return its simulator data."""
    from accessmap import settings
    from accessmap.diagnostic import DiagnosticOptions, run_diagnostic
    from accessmap.inputs import InputOptions
    from accessmap.report.simulator import simulator_for

    with (
        settings.override(mirror=mirror, online=False, solver_time_cap=solver_cap),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        options = DiagnosticOptions(inputs=InputOptions(territory=territory), runs=200)
        data = simulator_for(run_diagnostic(options))
    if data is None:
        raise SystemExit(f"{territory}: no decision problem, no simulator")
    return data


def pages(data: dict[str, Any], rev: str, folder: Path) -> dict[str, Path]:
    """Write the page with the working tree's assets and with ``rev``'s; return both paths."""
    from accessmap.report.simulator import _asset, standalone_html

    current = standalone_html(data)
    baseline = current
    for name in ASSETS:
        old = subprocess.run(  # noqa: S603 (our own repository)
            ["git", "-C", str(REPO), "show", f"{rev}:src/accessmap/templates/{name}"],  # noqa: S607
            capture_output=True, check=True, text=True,
        ).stdout  # fmt: skip
        baseline = baseline.replace(_asset(name), old, 1)
    out = {"baseline": folder / "baseline.html", "current": folder / "current.html"}
    out["baseline"].write_text(baseline, encoding="utf-8")
    out["current"].write_text(current, encoding="utf-8")
    return out


def measure(paths: dict[str, Path], repeat: int) -> dict[str, dict[str, list[float]]]:
    """Time both interactions on both pages, the pages alternated ``repeat`` times."""
    from playwright.sync_api import sync_playwright

    times: dict[str, dict[str, list[float]]] = {
        side: {LOAD: [], CLEAR: []} for side in paths
    }  # fmt: skip
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for _ in range(repeat):
                for side, path in paths.items():
                    page = browser.new_page(viewport={"width": 1280, "height": 1000})
                    page.goto(path.as_uri())
                    page.wait_for_selector('[data-sim="recruits"]')
                    for label in (LOAD, CLEAR):
                        times[side][label].append(float(page.evaluate(CLICK, label)))
                    page.close()
        finally:
            browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--territory", default="dep:19,23,87")
    parser.add_argument("--baseline-rev", default="3ec100e")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--solver-cap", type=float, default=1.0)
    args = parser.parse_args()
    if not args.mirror.is_dir():
        raise SystemExit(f"no mirror at {args.mirror}")
    data = simulator_data(args.mirror, args.territory, args.solver_cap)
    prof = data["professions"][0]
    rows = len(prof.get("recommended") or {})
    print(
        f"{args.territory}: {len(data['communes']['ids'])} communes, {len(prof['sites'])} sites, "
        f"a recommended plan of {rows} rows; baseline {args.baseline_rev}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        times = measure(pages(data, args.baseline_rev, Path(tmp)), args.repeat)
    print(f"{'interaction':30s} {'side':9s} {'best ms':>8s} {'median ms':>10s}")
    for label in (LOAD, CLEAR):
        for side in ("baseline", "current"):
            got = times[side][label]
            print(f"{label:30s} {side:9s} {min(got):8.0f} {statistics.median(got):10.0f}")
        ratio = min(times["baseline"][label]) / min(times["current"][label])
        print(f"{label:30s} {'ratio':9s} {ratio:7.1f}x (baseline / current, best of {args.repeat})")


if __name__ == "__main__":
    main()
