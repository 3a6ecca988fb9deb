"""Command ``indicators``: nearest practitioner, bands, APL, zoning, DREES side by side."""

from __future__ import annotations

import math
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
    SeedOption,
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
)
from accessmap.errors import ValidationError
from accessmap.labels import band_label, fmt_float, fmt_int, fmt_percent, label
from accessmap.professions import DEFAULT_PROFESSION

if TYPE_CHECKING:
    import pandas as pd

    from accessmap.app import IndicatorsResult
    from accessmap.diagnostic.measures import MeasureAnswer, ProfessionAnswer
    from accessmap.indicators import NationalComparison, TerritoryIndicators, ZoneDeficitaire
    from accessmap.inputs import Inputs

__all__ = ["indicators_command", "print_bands"]


def print_bands(title: str, bands: pd.DataFrame) -> None:
    """Print communes and inhabitants by band of time to the nearest practitioner, in French."""
    table = new_table(title)
    for code in ("cli.col_time", "cli.col_communes", "cli.col_inhabitants", "cli.col_share"):
        table.add_column(text(code), justify="right")
    for row in bands.itertuples():
        table.add_row(
            band_label(str(row.band)), fmt_int(row.communes), fmt_int(row.population),
            fmt_percent(row.share, 1),
        )  # fmt: skip
    out_console.print(table)


def _print_zone(zone: ZoneDeficitaire) -> None:
    from accessmap.report import zone_frame

    say("cli.zone", verdict=label("zone", zone.verdict), met=zone.met, unknown=zone.unknown)
    for row in zone_frame(zone).itertuples(index=False):
        say("cli.zone_row", criterion=str(row[0]), state=str(row[1]), value=str(row[2]))


def _print_apl(result: IndicatorsResult, apl: TerritoryIndicators) -> None:
    inputs, drees = result.inputs, result.drees
    # no under-65 figure from illustrative ages (one draw): the note says why
    real = not math.isnan(apl.apl_u65_territory)
    say(
        "cli.apl_summary" if real else "cli.apl_summary_no_u65", territory=inputs.territory.name,
        apl=fmt_float(apl.apl_territory, 2), age=inputs.params.age_limit,
        apl_u65=fmt_float(apl.apl_u65_territory, 2), roads=inputs.roads.label,
    )  # fmt: skip
    if drees is not None:
        say(
            "cli.apl_official" if real else "cli.apl_official_no_u65", year=drees.year,
            apl=fmt_float(drees.apl_drees_mean, 2), communes=fmt_int(drees.n),
            spearman=fmt_float(drees.spearman, 2), spearman_u65=fmt_float(drees.spearman_u65, 2),
        )  # fmt: skip
    print_bands(text("cli.bands_gp"), apl.bands)
    if result.zone is not None:  # several departments: the decree's test is for one territory
        _print_zone(result.zone)
    for message in apl.notes:
        note(message)
    if result.national is not None:
        _print_national(result.national)
    if result.measure is not None:
        _print_measure(result.measure)
    for line in inputs.notes:
        note(line)


def _print_national(national: NationalComparison) -> None:
    say(
        "cli.national_summary", year=national.year, communes=fmt_int(national.n),
        spearman=fmt_float(national.spearman, 2), diff=fmt_float(national.mean_abs_diff, 2),
        apl=fmt_float(national.apl_mean, 2), apl_drees=fmt_float(national.apl_drees_mean, 2),
    )  # fmt: skip
    methods = national.methods if len(national.methods) > 1 else national.methods.iloc[:0]
    for row in methods.itertuples():  # road times where the mirror has roads, crow-fly elsewhere
        say(
            "cli.national_method", method=label("method", str(row.method)),
            communes=fmt_int(row.communes), spearman=fmt_float(row.spearman, 2),
            diff=fmt_float(row.mean_abs_diff, 2),
        )  # fmt: skip
    table = new_table(text("cli.national_title"))
    for code in ("cli.col_department", "cli.col_communes", "cli.col_spearman", "cli.col_abs_diff"):
        table.add_column(text(code), justify="right")
    for row in national.departments.sort_values("spearman").head(10).itertuples():
        table.add_row(
            str(row.dep), fmt_int(row.communes), fmt_float(row.spearman, 2),
            fmt_float(row.mean_abs_diff, 2),
        )  # fmt: skip
    out_console.print(table)


def _print_measure(answer: MeasureAnswer) -> None:
    from accessmap.indicators import MEASURES

    spec = MEASURES[answer.measure]
    settings = ", ".join(f"{k} = {fmt_float(v, 2)}" for k, v in answer.options.items())
    say(
        "cli.measure", label=spec.label, unit=spec.unit, value=fmt_float(answer.value, 2),
        description=spec.description,
    )  # fmt: skip
    if settings:
        say("cli.measure_settings", settings=settings)


def _print_profession(inputs: Inputs, answer: ProfessionAnswer) -> None:
    from accessmap.indicators import profession_parameters
    from accessmap.inputs import ILLUSTRATIVE_NOTE

    spec = profession_parameters(answer.profession)
    value = fmt_float(answer.value, 1)
    say(
        "cli.profession_summary" if spec.indicator == "apl" else "cli.profession_nearest",
        territory=inputs.territory.name, profession=spec.label,
        practitioners=fmt_float(answer.practitioners, 0), value=value, unit=spec.unit,
    )  # fmt: skip
    print_bands(text("cli.bands_profession", profession=spec.label), answer.bands)
    note(text("cli.profession_supply", source=answer.roster.source))
    # Ages play no part in today's indicators: the illustrative-ages caveat belongs to outlooks.
    for line in (*spec.choices, *(n for n in inputs.notes if n != ILLUSTRATIVE_NOTE)):
        note(line)


def _measure_options(values: list[str] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in values or []:
        key, sep, raw = item.partition("=")
        try:
            out[key.strip()] = float(raw.replace(",", "."))
        except ValueError:
            sep = ""
        if not sep or not key.strip():
            raise ValidationError("cli.measure_option", field="--option", value=item)
        if not math.isfinite(out[key.strip()]):
            raise ValidationError("cli.measure_option_infinite", field=key.strip(), value=item)
    return out


@app.command("indicators", cls=FrenchCommand, help=text("cli.cmd_indicators"))
def indicators_command(
    territory: TerritoryOption = None,
    buffer_km: BufferOption = 30.0,
    roster: RosterOption = None,
    roster_scope: RosterScopeOption = "territory",
    profession: ProfessionOption = DEFAULT_PROFESSION,
    measure: Annotated[
        str | None, typer.Option("--measure", help=text("cli.opt_from_registry"))
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option("--option", help=text("cli.opt_option")),
    ] = None,
    osm: OsmOption = None,
    crowfly: CrowflyOption = False,
    winter: WinterOption = None,
    year: Annotated[int, typer.Option(min=2015, max=2030, help=text("cli.opt_apl_year"))] = 2023,
    seed: SeedOption = 0,
    out: Annotated[Path | None, typer.Option("--out", help=text("cli.opt_out_csv"))] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Access times, population by band, APL per commune, next to the published APL."""
    from accessmap.app import IndicatorsOptions, run_indicators, save_results

    if option and measure is None:
        raise ValidationError("cli.option_without_measure", field="--option", value=option[0])
    options = IndicatorsOptions(
        inputs=input_options(
            territory, buffer_km=buffer_km, roster=roster, roster_scope=roster_scope,
            osm=osm, crowfly=crowfly,
            online=online, winter=winter, seed=seed, apl_year=year,
        ),
        profession=profession, measure=measure, measure_options=_measure_options(option),
    )  # fmt: skip
    with use_settings(mirror=mirror, store=store, online=online):
        with quiet_warnings(), progress_bar() as step:
            result = run_indicators(options, progress=step)
        save_results(result, out=out)
    if result.apl is not None:
        _print_apl(result, result.apl)
    if result.profession is not None:
        _print_profession(result.inputs, result.profession)
