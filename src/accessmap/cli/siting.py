"""Commands ``site`` (one siting model) and ``compare`` (an options file)."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accessmap.cli._app import FrenchCommand, app, text
from accessmap.cli._common import (
    BufferOption,
    CrowflyOption,
    MinPopulationOption,
    MinutesOption,
    MirrorOption,
    OnlineOption,
    OsmOption,
    PremisesOption,
    ProfessionOption,
    RosterOption,
    RosterScopeOption,
    SeedOption,
    StoreOption,
    TerritoryOption,
    TimeLimitOption,
    WinterOption,
    escape,
    id_list,
    input_options,
    new_table,
    note,
    out_console,
    progress_bar,
    quiet_warnings,
    say,
    use_settings,
)
from accessmap.labels import fmt_float, fmt_int, label
from accessmap.professions import DEFAULT_PROFESSION

if TYPE_CHECKING:
    import pandas as pd

    from accessmap.app import CompareResult, SiteResult

__all__ = ["compare_command", "print_comparison", "site_command"]

_COLUMNS = (
    ("cli.col_year", "year", "year"), ("cli.col_new_sites", "new_sites", "text"),
    ("cli.col_new_fte", "new_fte", "float1"), ("cli.col_within_10", "pop_within_10", "int"),
    ("cli.col_within_20", "pop_within_20", "int"), ("cli.col_within_30", "pop_within_30", "int"),
    ("cli.col_mean_minutes", "mean_minutes", "float1"),
    ("cli.col_max_minutes", "max_minutes", "float1"), ("cli.col_apl_short", "apl_territory", "apl"),
    ("cli.col_communes_below", "communes_apl_below", "int"),
    ("cli.col_pop_below", "pop_apl_below", "int"),
    ("cli.col_losing_last", "communes_losing_last_gp", "int"),
    ("cli.col_losses_avoided", "losing_last_gp_avoided", "int"),
)  # fmt: skip

_FORMATS: dict[str, Callable[[Any], str]] = {
    "int": fmt_int, "float1": lambda v: fmt_float(v, 1), "apl": lambda v: fmt_float(v, 2),
    "year": lambda v: str(int(v)), "text": str,
}  # fmt: skip


def _cell(kind: str, value: Any) -> str:
    import pandas as pd  # loaded by the use case already; not at start-up

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    return escape(_FORMATS[kind](value))


def print_comparison(summary: pd.DataFrame) -> None:
    """Print options side by side (French labels, French numbers)."""
    table = new_table(text("cli.comparison_title"))
    table.add_column(text("cli.col_indicator"))
    for name in summary["option"].astype(str):
        table.add_column(escape(name), justify="right")
    for code, col, kind in _COLUMNS:
        if col in summary.columns:
            table.add_row(text(code), *(_cell(kind, v) for v in summary[col]))
    out_console.print(table)


def _print_site(result: SiteResult) -> None:
    from accessmap.diagnostic.answers import site_names

    answer, solution = result.answer, result.answer.result
    gap = (
        text("cli.site_no_bound")
        if math.isnan(solution.gap)
        else text("cli.site_gap", gap=fmt_float(100 * solution.gap, 2))
    )
    when = text("cli.site_today") if answer.year is None else str(answer.year)
    say(
        "cli.site_summary", territory=result.inputs.territory.name, when=when,
        model=label("model", solution.model), status=label("status", solution.status),
        objective=fmt_float(solution.objective, 2), gap=gap,
    )  # fmt: skip
    names = site_names(result.inputs)
    new = [s for s in solution.sites if s not in set(solution.fixed)]
    chosen = ", ".join(f"{names.get(s, s)} ({s})" for s in new)
    say("cli.site_chosen", sites=chosen or text("cli.site_none"))
    print_comparison(answer.comparison.summary)
    for line in (*answer.notes, *getattr(solution, "notes", ())):
        note(line)


ModelOption = Annotated[str, typer.Option("--model", help=text("cli.opt_from_registry"))]
POption = Annotated[int | None, typer.Option("--p", min=1, max=50, help=text("cli.opt_p"))]
YearOption = Annotated[
    int | None,
    typer.Option("--year", min=2000, max=2100, help=text("cli.opt_site_year")),
]
CandidatesOption = Annotated[str | None, typer.Option(help=text("cli.opt_candidates"))]
ExcludeOption = Annotated[str | None, typer.Option(help=text("cli.opt_exclude"))]
MandatoryOption = Annotated[str | None, typer.Option(help=text("cli.opt_mandatory"))]
ExistingOption = Annotated[
    bool, typer.Option("--existing/--no-existing", help=text("cli.opt_existing"))
]
TeamDaysOption = Annotated[
    float | None,
    typer.Option("--team-days", min=0.5, help=text("cli.opt_team_days")),
]
GreedyOption = Annotated[bool, typer.Option("--greedy", help=text("cli.opt_greedy"))]


def _model_params(
    *, greedy: bool, time_limit: float, given: dict[str, Any], lists: dict[str, str | None]
) -> dict[str, Any]:
    params: dict[str, Any] = {"method": "greedy" if greedy else "exact", "time_limit": time_limit}
    params.update({k: v for k, v in given.items() if v is not None})
    params.update({k: id_list(v) for k, v in lists.items() if v})
    return params


@app.command("site", cls=FrenchCommand, help=text("cli.cmd_site"))
def site_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    model: ModelOption = "mclp",
    p: POption = None,
    minutes: MinutesOption = None,
    year: YearOption = None,
    roster: RosterOption = None,
    roster_scope: RosterScopeOption = "territory",
    profession: ProfessionOption = DEFAULT_PROFESSION,
    candidates: CandidatesOption = None,
    exclude: ExcludeOption = None,
    mandatory: MandatoryOption = None,
    min_population: MinPopulationOption = None,
    premises: PremisesOption = None,
    existing: ExistingOption = True,
    team_days: TeamDaysOption = None,
    greedy: GreedyOption = False,
    time_limit: TimeLimitOption = 60.0,
    seed: SeedOption = 0,
    osm: OsmOption = None,
    crowfly: CrowflyOption = False,
    winter: WinterOption = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Where new sites help most: exact siting models and their effect on access."""
    from accessmap.app import SiteOptions, run_site, save_results

    params = _model_params(
        greedy=greedy, time_limit=time_limit, given={"p": p, "minutes": minutes, "team": team_days},
        lists={"candidates": candidates, "exclude": exclude},
    )  # fmt: skip
    options = SiteOptions(
        inputs=input_options(
            territory, buffer_km=buffer_km, roster=roster, roster_scope=roster_scope,
            osm=osm, crowfly=crowfly,
            online=online, winter=winter, seed=seed,
        ),
        model=model, params=params, year=year, keep_existing=existing,
        mandatory=tuple(id_list(mandatory)), min_population=min_population,
        premises=tuple(id_list(premises)) if premises else None, profession=profession,
    )  # fmt: skip
    with use_settings(mirror=mirror, store=store, online=online):
        with quiet_warnings(), progress_bar() as step:
            result = run_site(options, progress=step)
        save_results(result)
    _print_site(result)


def _print_compare(result: CompareResult) -> None:
    say("cli.compare_summary", territory=result.inputs.territory.name, count=len(result.chosen))
    print_comparison(result.comparison.summary)
    for option in result.chosen:
        say("cli.compare_option", name=option.name, description=option.description)
    for line in result.notes:
        note(line)


@app.command("compare", cls=FrenchCommand, help=text("cli.cmd_compare"))
def compare_command(
    options_file: Annotated[
        Path,
        typer.Option(
            "--options",
            "--scenarios",
            help=text("cli.opt_options"),
        ),
    ],
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    roster: RosterOption = None,
    roster_scope: RosterScopeOption = "territory",
    time_limit: TimeLimitOption = 60.0,
    out: Annotated[Path | None, typer.Option("--out", help=text("cli.opt_out_compare"))] = None,
    seed: SeedOption = 0,
    osm: OsmOption = None,
    crowfly: CrowflyOption = False,
    winter: WinterOption = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Compare siting options side by side (status quo, models, centres, years)."""
    from accessmap.app import CompareOptions, run_compare, save_results
    from accessmap.inputs import load_options_file

    spec = load_options_file(options_file)
    if territory is None and isinstance(spec.get("territory"), str):
        territory = spec["territory"]
    options = CompareOptions(
        inputs=input_options(
            territory, buffer_km=buffer_km, roster=roster, roster_scope=roster_scope,
            osm=osm, crowfly=crowfly,
            online=online, winter=winter, seed=seed,
        ),
        spec=spec, time_limit=time_limit,
    )  # fmt: skip
    with use_settings(mirror=mirror, store=store, online=online):
        with quiet_warnings(), progress_bar() as step:
            result = run_compare(options, progress=step)
        save_results(result, out=out)
    _print_compare(result)
