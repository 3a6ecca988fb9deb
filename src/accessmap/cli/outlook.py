"""Command ``outlook``: practitioners year by year (retirements, replacements, access)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from accessmap.cli._app import FrenchCommand, app, text
from accessmap.cli._common import (
    BufferOption,
    CrowflyOption,
    MirrorOption,
    OnlineOption,
    OsmOption,
    ProfessionOption,
    RosterOption,
    RosterScopeOption,
    RunsOption,
    ScenarioOption,
    SeedOption,
    StartYearOption,
    StoreOption,
    TerritoryOption,
    WinterOption,
    input_options,
    new_table,
    note,
    out_console,
    progress_bar,
    quiet_warnings,
    say,
    use_settings,
    warn,
)
from accessmap.labels import fmt_float, fmt_int, label
from accessmap.professions import DEFAULT_PROFESSION

if TYPE_CHECKING:
    import pandas as pd

    from accessmap.app import OutlookResult

__all__ = ["outlook_command"]

_COLUMNS = (
    "cli.col_year", "cli.col_practitioners", "cli.col_fte", "cli.col_gone", "cli.col_apl",
    "cli.col_beyond_20", "cli.col_beyond_30", "cli.col_without",
)  # fmt: skip


def _wide(frame: pd.DataFrame) -> pd.DataFrame:
    rows = frame[frame["zone"] == "territory"]
    return rows.pivot_table(index="year", columns="measure", values="value")


def _print(result: OutlookResult) -> None:
    from accessmap.indicators import profession_parameters

    inputs, outlook = result.inputs, result.outlook
    summary = _wide(outlook.workforce).join(_wide(outlook.access))
    engine = label("engine", outlook.engine)
    if outlook.engine == "monte_carlo":
        engine = text("cli.outlook_engine_mc", engine=engine, runs=fmt_int(outlook.runs),
                      seed=outlook.seed)  # fmt: skip
    if outlook.caveat:
        warn("cli.outlook_illustrative")
    spec = profession_parameters(outlook.profession)
    title = text(
        "cli.outlook_title", territory=inputs.territory.name, profession=spec.label.lower(),
        scenario=label("scenario", outlook.scenario), engine=engine,
    )  # fmt: skip
    table = new_table(title)
    for code in _COLUMNS:
        table.add_column(text(code, unit=spec.unit), justify="right")
    for year, row in summary.iterrows():
        table.add_row(
            str(year), fmt_float(row["headcount"], 1), fmt_float(row["fte"], 1),
            fmt_float(100 * row["share_gone"], 0), fmt_float(row["apl_mean"] * spec.scale, 2),
            fmt_int(row["pop_beyond_20"]), fmt_int(row["pop_beyond_30"]),
            fmt_float(row["communes_without_gp"], 1),
        )  # fmt: skip
    out_console.print(table)
    _print_risk(result)


def _print_risk(result: OutlookResult) -> None:
    outlook = result.outlook
    risk = outlook.communes_at_risk(min_probability=0.5)
    study = result.inputs.territory.study_area[["code", "nom"]]
    risk = risk[risk["zone"] == "territory"].merge(
        study.rename(columns={"code": "commune_code"}), how="left"
    )
    last = max(outlook.years)
    if len(risk):
        communes = [f"{r.nom} ({r.commune_code}) {r.year}" for r in risk.itertuples()]
        say("cli.outlook_risk", year=last, communes=", ".join(communes))
    else:
        say("cli.outlook_no_risk", year=last)


@app.command("outlook", cls=FrenchCommand, help=text("cli.cmd_outlook"))
def outlook_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    roster: RosterOption = None,
    roster_scope: RosterScopeOption = "territory",
    profession: ProfessionOption = DEFAULT_PROFESSION,
    scenario_file: ScenarioOption = None,
    runs: RunsOption = None,
    seed: SeedOption = 0,
    start_year: StartYearOption = None,
    horizon: Annotated[
        int, typer.Option("--horizon", min=1, max=40, help=text("cli.opt_horizon"))
    ] = 15,
    retirement_age: Annotated[
        int | None,
        typer.Option("--retirement-age", help=text("cli.opt_retirement_age")),
    ] = None,
    unknown_age: Annotated[
        str,
        typer.Option(
            "--unknown-age",
            help=text("cli.opt_unknown_age"),
        ),
    ] = "territory",
    illustrative: Annotated[
        bool,
        typer.Option(
            "--illustrative-ages",
            help=text("cli.opt_illustrative_ages"),
        ),
    ] = False,
    osm: OsmOption = None,
    crowfly: CrowflyOption = False,
    winter: WinterOption = None,
    out: Annotated[Path | None, typer.Option("--out", help=text("cli.opt_out_outlook"))] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Practitioners year by year: departures, replacements, APL, communes left without."""
    from accessmap.app import OutlookOptions, run_outlook, save_results
    from accessmap.diagnostic import DiagnosticOptions

    inputs = input_options(
        territory, buffer_km=buffer_km, roster=roster, roster_scope=roster_scope,
        osm=osm, crowfly=crowfly, online=online,
        winter=winter, seed=seed, illustrative_ages=illustrative,
    )  # fmt: skip
    options = OutlookOptions(
        diagnostic=DiagnosticOptions(
            inputs=inputs, scenario=scenario_file, start_year=start_year, horizon=horizon,
            runs=runs or 1, retirement_age=retirement_age, unknown_age=unknown_age,
        ),
        profession=profession, monte_carlo=runs is not None,
    )  # fmt: skip
    with use_settings(mirror=mirror, store=store, online=online):
        with quiet_warnings(), progress_bar() as step:
            result = run_outlook(options, progress=step)
        save_results(result, out=out)
    _print(result)
    for line in result.inputs.notes:
        note(line)
