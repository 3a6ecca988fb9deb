"""Commands ``site`` (one siting model, or a plan evaluated) and ``compare`` (an options file).

The parameters of the models are options derived from the siting registry: ``--threshold``,
``--recruits``, ``--share``, ``--team-min``, ``--objective`` and the repeatable
``--param NOM=VALEUR``, whose help lists every model's parameters when it is shown
(:data:`accessmap.cli._app.DYNAMIC_HELP`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accessmap.cli._app import DYNAMIC_HELP, FrenchCommand, app, text
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
from accessmap.cli._registries import parameter_help, parameters_help
from accessmap.errors import ValidationError
from accessmap.labels import fmt_float, fmt_int, label
from accessmap.messages import format_rows
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.professions import profession as profession_entry

if TYPE_CHECKING:
    import pandas as pd

    from accessmap.app import CompareResult, SiteResult
    from accessmap.diagnostic.decisions import PlanEvaluation
    from accessmap.diagnostic.site_decisions import AplSiteAnswer

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
    from accessmap.diagnostic.answers import SiteAnswer, site_names

    if not isinstance(result.answer, SiteAnswer):
        _print_apl(result, result.answer)
        return
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
    _print_unreached(solution.unreached, names, p=solution.parameters.get("p"))
    print_comparison(answer.comparison.summary)
    for line in (*answer.notes, *getattr(solution, "notes", ())):
        if getattr(line, "code", None) not in _UNREACHED.values():  # named above
            note(line)


#: The line naming the communes a siting model left out, by reason (``SitingResult.unreached``).
_UNREACHED = {
    "no_site": "siting.unreached_no_site",
    "beyond_p": "siting.unreached_beyond_p",
}


_UNREACHED_LINES = {
    "no_site": "cli.site_unreached_no_site",
    "beyond_p": "cli.site_unreached_beyond_p",
}


def _print_unreached(table: pd.DataFrame | None, names: dict[str, str], *, p: Any) -> None:
    """Name the communes left out of the model (largest population first), one line a reason."""
    if table is None:
        return
    for reason in _UNREACHED:
        part = table[table["reason"] == reason]
        if part.empty:
            continue
        listed = format_rows(f"{names.get(str(c), str(c))} ({c})" for c in part["id"])
        say(
            _UNREACHED_LINES[reason], count=fmt_int(len(part)),
            population=fmt_int(part["weight"].sum()), names=listed, p=p,
        )  # fmt: skip


_KINDS = {"new_msp": "cli.apl_kind_new_msp", "reinforced": "cli.apl_kind_reinforced"}
_REASONS = {"no_site": "cli.apl_reason_no_site", "capacity": "cli.apl_reason_capacity"}


def _figures(ev: PlanEvaluation, *, today: bool) -> tuple[float, int, float, float]:
    """Inhabitants and communes under the threshold, inhabitants under 4, territory APL."""
    if today:
        return ev.under_today, ev.communes_under_today, ev.under_secondary_today, ev.apl_today
    return ev.under_year, ev.communes_under_year, ev.under_secondary_year, ev.apl_year


def _moment(code: str, when: int, before: PlanEvaluation, after: PlanEvaluation, t: str) -> None:
    today = code == "cli.apl_today"
    (u0, c0, s0, a0), (u1, c1, s1, a1) = (_figures(e, today=today) for e in (before, after))
    say(
        code, year=when, threshold=t, under_before=fmt_int(u0), under_after=fmt_int(u1),
        communes_before=fmt_int(c0), communes_after=fmt_int(c1),
        apl_before=fmt_float(a0, 2), apl_after=fmt_float(a1, 2),
    )  # fmt: skip
    if not math.isnan(s0):
        say("cli.apl_secondary", before=fmt_int(s0), after=fmt_int(s1))
    for name, ev in (("cli.apl_band_before", before), ("cli.apl_band_after", after)):
        if not today and ev.band is not None:
            band = ev.band
            say(name, threshold=t, median=fmt_int(band.median), q10=fmt_int(band.q10),
                q90=fmt_int(band.q90))  # fmt: skip


def _print_apl(result: SiteResult, answer: AplSiteAnswer) -> None:
    from accessmap.diagnostic.site_decisions import threshold_text

    dec, solution = answer.decision, answer.result
    who = profession_entry(dec.profession).label.lower()
    if solution is None:
        say("cli.apl_plan_summary", territory=result.inputs.territory.name, profession=who,
            year=dec.year)  # fmt: skip
    else:
        gap = (
            text("cli.site_no_bound")
            if math.isnan(solution.gap)
            else text("cli.site_gap", gap=fmt_float(100 * solution.gap, 2))
        )
        say(
            "cli.site_apl_summary", territory=result.inputs.territory.name, profession=who,
            model=label("model", solution.model), year=dec.year,
            status=label("status", solution.status), gap=gap,
        )  # fmt: skip
    plan = answer.plan
    new = int((plan["kind"] == "new_msp").sum())
    if plan.empty:
        say("cli.apl_plan_none", threshold=threshold_text(dec.threshold), year=dec.year)
    else:
        say("cli.apl_plan", fte=fmt_float(answer.after.fte, 1), sites=fmt_int(len(plan)),
            new=fmt_int(new), reinforced=fmt_int(len(plan) - new))  # fmt: skip
    for row in plan.itertuples(index=False):
        say("cli.apl_site", name=row.name, site=row.site_id, fte=fmt_float(row.fte, 1),
            kind=text(_KINDS[str(row.kind)]))  # fmt: skip
    for line in answer.reading:
        say("cli.apl_reading", line=line)
    t = threshold_text(dec.threshold)
    say("cli.apl_legend")
    _moment("cli.apl_today", dec.start_year, answer.before, answer.after, t)
    _moment("cli.apl_year", dec.year, answer.before, answer.after, t)
    for row in answer.stuck.itertuples(index=False):
        say("cli.apl_stuck", name=row.name, id=row.id, population=fmt_int(row.population),
            apl=fmt_float(row.apl_year, 2), threshold=t,
            reason=text(_REASONS[str(row.reason)]))  # fmt: skip
    for line in answer.notes:
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
_FROM_REGISTRY = text("cli.opt_from_registry")
ThresholdOption = Annotated[float | None, typer.Option("--threshold", help=_FROM_REGISTRY)]
RecruitsOption = Annotated[int | None, typer.Option("--recruits", min=1, help=_FROM_REGISTRY)]
ShareOption = Annotated[float | None, typer.Option("--share", help=_FROM_REGISTRY)]
TeamMinOption = Annotated[int | None, typer.Option("--team-min", min=1, help=_FROM_REGISTRY)]
ObjectiveOption = Annotated[str | None, typer.Option("--objective", help=_FROM_REGISTRY)]
ParamOption = Annotated[
    list[str] | None, typer.Option("--param", metavar="NOM=VALEUR", help=_FROM_REGISTRY)
]
PlanOption = Annotated[str | None, typer.Option("--plan", help=text("cli.opt_plan"))]
SiteRunsOption = Annotated[
    int, typer.Option("--runs", min=1, max=10_000, help=text("cli.opt_site_runs"))
]

# Each model parameter's option gets its help from the registry when the help is shown.
DYNAMIC_HELP.update(
    {f"--{n.replace('_', '-')}": partial(parameter_help, n) for n in
     ("threshold", "recruits", "share", "team_min", "objective")}
)  # fmt: skip
DYNAMIC_HELP["--param"] = parameters_help


def _param_value(text_value: str) -> Any:
    """A ``--param`` value: a whole number, a number (decimal point or comma), oui/non, or text."""
    raw = text_value.strip()
    lowered = raw.lower()
    if lowered in ("true", "oui", "vrai", "false", "non", "faux"):
        return lowered in ("true", "oui", "vrai")
    for cast in (int, float):
        try:
            value = cast(raw.replace(",", ".")) if cast is float else cast(raw)
        except ValueError:
            continue
        if isinstance(value, float) and not math.isfinite(value):
            break
        return value
    return raw


def _params(values: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in values or []:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip() or not raw.strip():
            raise ValidationError("cli.site_param_syntax", field="--param", value=item)
        out[key.strip()] = _param_value(raw)
    return out


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
    threshold: ThresholdOption = None,
    recruits: RecruitsOption = None,
    share: ShareOption = None,
    team_min: TeamMinOption = None,
    objective: ObjectiveOption = None,
    param: ParamOption = None,
    plan: PlanOption = None,
    runs: SiteRunsOption = 200,
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

    given = {
        "p": p, "minutes": minutes, "team": team_days, "threshold": threshold,
        "recruits": recruits, "share": share, "team_min": team_min, "objective": objective,
    }  # fmt: skip
    params = _model_params(
        greedy=greedy, time_limit=time_limit, given={**given, **_params(param)},
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
        plan=plan, runs=runs,
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
