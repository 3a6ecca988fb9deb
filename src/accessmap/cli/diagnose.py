"""Commands ``diagnose`` (the whole diagnostic, published atomically) and ``check``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from accessmap.cli._app import STATE, FrenchCommand, app, text
from accessmap.cli._common import (
    BufferOption,
    CrowflyOption,
    MinPopulationOption,
    MinutesOption,
    MirrorOption,
    OnlineOption,
    OsmOption,
    PremisesOption,
    ReportOutOption,
    RosterOption,
    RosterScopeOption,
    RunsOption,
    ScenarioOption,
    SeedOption,
    StartYearOption,
    StoreOption,
    TerritoryOption,
    WinterOption,
    escape,
    id_list,
    input_options,
    note,
    out_console,
    progress_display,
    quiet_warnings,
    say,
    use_settings,
)
from accessmap.labels import fmt_float, fmt_int

if TYPE_CHECKING:
    from accessmap.app import DiagnoseOptions, DiagnoseResult

__all__ = ["check_command", "diagnose_command"]

#: Most new sites an option may propose (each p is one exact siting problem).
_P_MAX_LIMIT = 10


def _published() -> None:
    STATE["published"] = True  # a Ctrl-C from now on interrupts nothing


def _run(options: DiagnoseOptions) -> DiagnoseResult:
    from accessmap.app import run_diagnose
    from accessmap.diagnostic import STEPS

    # the pipeline's steps, then the report: counted; any other message describes the work
    # within the current step (the count stays)
    steps = [*(text(code) for code in STEPS), text("app.step_report")]
    with progress_display(len(steps), counter=True) as bar:
        task = bar.add_task(text("cli.step_diagnostic"), total=len(steps))

        def advance(step: str) -> None:
            done = steps.index(step) if step in steps else None
            bar.update(task, description=escape(step), completed=done)

        result = run_diagnose(options, progress=advance, on_published=_published)
        bar.update(task, completed=len(steps), description=text("cli.step_done"))
    return result


@app.command("diagnose", cls=FrenchCommand, help=text("cli.cmd_diagnose"))
def diagnose_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    roster: RosterOption = None,
    roster_scope: RosterScopeOption = "territory",
    osm: OsmOption = None,
    crowfly: CrowflyOption = False,
    scenario: ScenarioOption = None,
    runs: RunsOption = 1000,
    seed: SeedOption = 0,
    minutes: MinutesOption = None,
    start_year: StartYearOption = None,
    winter: WinterOption = None,
    out: ReportOutOption = None,
    pdf: Annotated[bool, typer.Option("--pdf", help=text("cli.opt_pdf"))] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=text("cli.opt_dry_run"))] = False,
    min_population: MinPopulationOption = None,
    premises: PremisesOption = None,
    p_max: Annotated[
        int, typer.Option("--p-max", min=1, max=_P_MAX_LIMIT, help=text("cli.opt_p_max"))
    ] = 3,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """The whole diagnostic: French HTML report, GeoPackage and tables (reports/...)."""
    from accessmap.app import DiagnoseOptions, check_diagnose_run, diagnose_session
    from accessmap.conventions import SITING_MINUTES
    from accessmap.diagnostic import DiagnosticOptions

    inputs = input_options(
        territory, required=False, buffer_km=buffer_km, roster=roster, roster_scope=roster_scope,
        osm=osm, crowfly=crowfly,
        online=online, winter=winter, seed=seed,
    )  # fmt: skip
    diagnostic = DiagnosticOptions(
        inputs=inputs, scenario=scenario, runs=runs or 1000, start_year=start_year,
        minutes=SITING_MINUTES if minutes is None else minutes, min_population=min_population,
        premises=tuple(id_list(premises)) if premises else None, p_max=p_max,
    )  # fmt: skip
    options = DiagnoseOptions(diagnostic=diagnostic, out=out, pdf=pdf)
    with (
        use_settings(mirror=mirror, store=store, online=online),
        quiet_warnings(),
        diagnose_session(options) as recovered,
    ):
        for line in recovered:
            note(line)
        checks = check_diagnose_run(options)
        if dry_run:
            _print_checks(checks)
            return
        result = _run(options)
    _summary(result)


def _print_checks(lines: list[str]) -> None:
    for line in lines:
        out_console.print(f"[green]{text('cli.tag_ok')}[/] {escape(line)}")


def _summary(result: DiagnoseResult) -> None:
    from accessmap.report import official_figures, verdict

    summary = verdict(result.diagnostic)
    common = {
        "territory": summary.territory, "population": fmt_int(summary.population),
        "apl": fmt_float(summary.apl, 2), "beyond_20": fmt_int(summary.pop_beyond_20),
    }  # fmt: skip
    official = official_figures(result.diagnostic)
    if "apl" in official and "year" in official:  # the published figure first
        say(
            "cli.diagnose_summary_official", **common, year=int(official["year"]),
            official=fmt_float(float(official["apl"]), 2),
        )  # fmt: skip
    else:
        say("cli.diagnose_summary", **common)
    decisions = result.diagnostic.decisions
    if decisions is not None and decisions.recruits is not None:
        count = len(decisions.unliftable)
        left = "" if count == 0 else text(
            "cli.diagnose_left_one" if count == 1 else "cli.diagnose_left", count=count
        )  # fmt: skip
        say(
            "cli.diagnose_recruits", threshold=decisions.inputs.threshold,
            year=decisions.inputs.year, fte=fmt_float(decisions.recruits.fte, 1).removesuffix(",0"),
            sites=len(decisions.recruits.sites), left=left,
        )  # fmt: skip
        if not decisions.recruits.proven:
            say("cli.diagnose_recruits_unproven")
    for line in result.diagnostic.warnings[:3]:
        note(line)
    target = result.options.target
    say("cli.diagnose_report", path=str(target / "diagnostic.html"))
    say("report.html_size", megabytes=round((target / "diagnostic.html").stat().st_size / 1e6, 1))
    say("cli.diagnose_layers", path=str(target / "diagnostic.gpkg"))
    if result.options.pdf:
        say("cli.diagnose_pdf", path=str(target / "diagnostic.pdf"))


@app.command("check", cls=FrenchCommand, help=text("cli.cmd_check"))
def check_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    roster: RosterOption = None,
    roster_scope: RosterScopeOption = "territory",
    osm: OsmOption = None,
    scenario: ScenarioOption = None,
    out: ReportOutOption = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Check in seconds the inputs and outputs of a diagnostic, without computing."""
    from accessmap.app import DiagnoseOptions, check_diagnose_run
    from accessmap.diagnostic import DiagnosticOptions

    inputs = input_options(
        territory,
        required=False,
        buffer_km=buffer_km,
        roster=roster,
        roster_scope=roster_scope,
        osm=osm,
    )
    options = DiagnoseOptions(
        diagnostic=DiagnosticOptions(inputs=inputs, scenario=scenario), out=out
    )
    with use_settings(mirror=mirror, store=store, online=online), quiet_warnings():
        _print_checks(check_diagnose_run(options))
