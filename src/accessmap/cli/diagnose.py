"""Command ``diagnose``: the whole diagnostic, published atomically (report and store together)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from accessmap.cli._app import STATE, FrenchCommand, app
from accessmap.cli._common import (
    BufferOption,
    CrowflyOption,
    MirrorOption,
    OnlineOption,
    OsmOption,
    RosterOption,
    SeedOption,
    StoreOption,
    TerritoryOption,
    WinterOption,
    err_console,
    escape,
    id_list,
    input_options,
    note,
    out_console,
    quiet_warnings,
    use_settings,
)
from accessmap.cli.siting import MinPopulationOption, PremisesOption

if TYPE_CHECKING:
    from accessmap.diagnostic import Diagnostic, DiagnosticOptions
    from accessmap.store import Store

__all__ = ["check_command", "diagnose_command"]

STEPS = (
    "territoire et offre de soins", "réseau routier", "temps de trajet",
    "indicateurs (temps, APL)", "départs en retraite", "implantations (HiGHS)",
    "comparaison des options", "isochrones", "autres professions de santé",
)  # fmt: skip


def _slug(territory: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in territory)[:60]


def _write_results(db: Store, diagnostic: Diagnostic) -> None:
    from accessmap.inputs import store_traveltimes

    store_traveltimes(
        db, diagnostic.traveltimes, label=f"diagnose {diagnostic.inputs.territory.name}"
    )
    db.record_provenance(diagnostic.inputs.provenance)
    db.write_table("results_communes", diagnostic.indicators.communes)
    db.write_table("results_options", diagnostic.comparison)
    db.write_table("results_outlook", diagnostic.outlook.workforce)
    others = diagnostic.professions
    if others is not None:
        if others.traveltimes is not None:
            store_traveltimes(
                db, others.traveltimes, label=f"professions {diagnostic.inputs.territory.name}"
            )
        db.write_table("results_professions", others.summary)
    if diagnostic.official_effects is not None:
        db.write_table("results_official_effects", diagnostic.official_effects)


def _run(options: DiagnosticOptions, target: Path, *, pdf: bool) -> Diagnostic:
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from accessmap.diagnostic import run_diagnostic
    from accessmap.publish import publish, staging_folder
    from accessmap.report import write_pdf, write_report
    from accessmap.store import Store

    columns = (
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
        TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
    )  # fmt: skip
    with (
        Progress(*columns, console=err_console, transient=True) as bar,
        Store.open() as db,
    ):
        task = bar.add_task("diagnostic", total=len(STEPS) + 1)

        def advance(step: str) -> None:
            done = STEPS.index(step) if step in STEPS else None
            bar.update(task, description=escape(step), completed=done)

        diagnostic = run_diagnostic(options, store=db, progress=advance)
        bar.update(task, completed=len(STEPS), description="rapport")
        with staging_folder(target) as stage, db.staged() as commit:
            files = write_report(diagnostic, stage)
            if pdf:
                write_pdf(files.html, stage / "diagnostic.pdf")
            _write_results(db, diagnostic)
            publish(stage, target, store=db, commit=commit)
        STATE["published"] = True  # a Ctrl-C from now on interrupts nothing
        bar.update(task, completed=len(STEPS) + 1, description="terminé")
    return diagnostic


@app.command("diagnose", cls=FrenchCommand)
def diagnose_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    roster: RosterOption = None,
    osm: OsmOption = None,
    crowfly: CrowflyOption = False,
    scenario: Annotated[
        Path | None, typer.Option("--scenario", help="Scénario de remplacement (TOML).")
    ] = None,
    runs: Annotated[
        int, typer.Option("--runs", min=1, max=100_000, help="Tirages Monte-Carlo.")
    ] = 1000,
    seed: SeedOption = 0,
    minutes: Annotated[
        float | None,
        typer.Option("--minutes", min=1.0, max=120.0, help="Seuil de couverture (t < T), minutes."),
    ] = None,
    start_year: Annotated[
        int | None,
        typer.Option("--start-year", min=2000, max=2100, help="Première année de la projection."),
    ] = None,
    winter: WinterOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Dossier du rapport (défaut reports/<territoire>).")
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Écrire aussi le rapport en PDF (A4).")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Vérifier les entrées et sorties sans calculer.")
    ] = False,
    min_population: MinPopulationOption = None,
    premises: PremisesOption = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Diagnostic complet : rapport HTML en français, GeoPackage et tableaux (reports/...)."""
    from accessmap.check import check_diagnose
    from accessmap.conventions import SITING_MINUTES
    from accessmap.diagnostic import DiagnosticOptions
    from accessmap.publish import check_output_folder, recover, report_lock

    base = input_options(
        territory, default="montagne-limousine", buffer_km=buffer_km, roster=roster, osm=osm,
        crowfly=crowfly, online=online, winter=winter, seed=seed,
    )  # fmt: skip
    options = DiagnosticOptions(
        territory=base.territory, buffer_km=buffer_km, osm=osm, crowfly=crowfly, online=online,
        winter=winter, roster=roster, scenario=scenario, runs=runs, seed=seed,
        start_year=start_year, minutes=SITING_MINUTES if minutes is None else minutes,
        min_population=min_population,
        premises=tuple(id_list(premises)) if premises else None,
    )  # fmt: skip
    target = out or Path("reports") / _slug(options.territory)
    check_output_folder(target, store_path=store)
    with (
        use_settings(mirror=mirror, store=store, online=online),
        quiet_warnings(),
        report_lock(target),
    ):
        for line in recover(target):
            note(line)
        checks = check_diagnose(options, target)
        if dry_run:
            for line in checks:
                out_console.print(f"[green]ok[/] {escape(line)}")
            return
        diagnostic = _run(options, target, pdf=pdf)
    _summary(diagnostic, target, pdf=pdf)


def _summary(diagnostic: Diagnostic, target: Path, *, pdf: bool) -> None:
    from accessmap.labels import fmt_float, fmt_int
    from accessmap.report import verdict

    summary = verdict(diagnostic)
    out_console.print(
        f"[bold]{escape(summary.territory)}[/] : {fmt_int(summary.population)} habitants, APL "
        f"modélisé {fmt_float(summary.apl, 2)}, {fmt_int(summary.pop_beyond_20)} habitants à "
        "20 min ou plus d'un médecin."
    )
    for text in diagnostic.warnings[:3]:
        note(text)
    out_console.print(f"rapport  {escape(str(target / 'diagnostic.html'))}")
    out_console.print(f"couches  {escape(str(target / 'diagnostic.gpkg'))}")
    if pdf:
        out_console.print(f"PDF      {escape(str(target / 'diagnostic.pdf'))}")


@app.command("check", cls=FrenchCommand)
def check_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    roster: RosterOption = None,
    osm: OsmOption = None,
    scenario: Annotated[
        Path | None, typer.Option("--scenario", help="Scénario de remplacement (TOML).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Dossier du rapport (défaut reports/<territoire>).")
    ] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Vérifier en quelques secondes les entrées et sorties d'un diagnostic, sans calculer."""
    from accessmap.check import check_diagnose
    from accessmap.diagnostic import DiagnosticOptions

    base = input_options(territory, default="montagne-limousine", roster=roster, osm=osm)
    options = DiagnosticOptions(
        territory=base.territory, buffer_km=buffer_km, roster=roster, osm=osm, scenario=scenario
    )
    target = out or Path("reports") / _slug(options.territory)
    with use_settings(mirror=mirror, store=store, online=online), quiet_warnings():
        for line in check_diagnose(options, target):
            out_console.print(f"[green]ok[/] {escape(line)}")
