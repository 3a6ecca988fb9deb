"""Commands ``territory`` (define a territory) and ``fetch`` (fill the cache)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from accessmap.cli._app import FrenchCommand, app, text
from accessmap.cli._common import (
    BufferOption,
    MirrorOption,
    OnlineOption,
    StoreOption,
    TerritoryOption,
    escape,
    input_options,
    new_table,
    out_console,
    progress_bar,
    quiet_warnings,
    say,
    use_settings,
    warn,
    warn_text,
)
from accessmap.errors import OfflineError, ValidationError
from accessmap.labels import fmt_float, fmt_int

if TYPE_CHECKING:
    from accessmap.app import FetchResult
    from accessmap.territory import Territory

__all__ = ["fetch_command", "territory_command", "territory_spec"]

_FORMATS = ("table", "json")


def territory_spec(
    territory: str | None = None,
    *,
    preset: str | None = None,
    codes: str | None = None,
    codes_file: Path | None = None,
    polygon: Path | None = None,
    epci: str | None = None,
) -> str:
    """Turn the territory options of a command into one ``load_territory`` specification.

    Returns
    -------
    str
        The one specification given.

    Raises
    ------
    ValidationError
        None, or more than one, given; or an empty one.
    """
    given = [
        spec
        for spec in (
            territory, preset, codes, str(codes_file) if codes_file else None,
            str(polygon) if polygon else None, f"epci:{epci}" if epci is not None else None,
        )
        if spec is not None
    ]  # fmt: skip
    if len(given) == 1 and not given[0].strip():
        raise ValidationError("cli.empty_territory", field="--territory")
    if len(given) != 1:
        raise ValidationError("cli.territory_count", field="--territory", count=len(given))
    return given[0]


def _print_summary(area: Territory) -> None:
    from accessmap.territory import summary

    table = new_table(text("cli.territory_title", name=area.name, communes=len(area.communes)))
    for code in ("cli.col_department", "cli.col_communes", "cli.col_inhabitants", "cli.col_km2",
                 "cli.col_density"):  # fmt: skip
        table.add_column(text(code), justify="right")
    for _, row in summary(area).iterrows():
        table.add_row(
            str(row["dep"]), fmt_int(row["communes"]), fmt_int(row["population"]),
            fmt_int(row["area_km2"]), fmt_float(row["density"], 1),
        )  # fmt: skip
    out_console.print(table)
    out_console.print(f"[dim]{escape(area.rule)}[/]")
    say(
        "cli.territory_buffer", km=fmt_float(area.buffer_km, 0), communes=len(area.buffer),
        inhabitants=fmt_int(area.buffer["population"].sum()),
    )  # fmt: skip
    for line in area.warnings:
        warn_text(line)


@app.command("territory", cls=FrenchCommand, help=text("cli.cmd_territory"))
def territory_command(
    territory: TerritoryOption = None,
    preset: Annotated[str | None, typer.Option(help=text("cli.opt_preset"))] = None,
    codes: Annotated[str | None, typer.Option(help=text("cli.opt_codes"))] = None,
    codes_file: Annotated[Path | None, typer.Option(help=text("cli.opt_codes_file"))] = None,
    polygon: Annotated[Path | None, typer.Option(help=text("cli.opt_polygon"))] = None,
    epci: Annotated[str | None, typer.Option(help=text("cli.opt_epci"))] = None,
    buffer_km: BufferOption = 30.0,
    output_format: Annotated[str, typer.Option("--format", help=text("cli.opt_format"))] = "table",
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
    save: Annotated[bool, typer.Option("--save/--no-save", help=text("cli.opt_save"))] = True,
) -> None:
    """Define a territory and print its summary (communes, population, area, density)."""
    from accessmap.app import run_territory, save_results
    from accessmap.territory import summary_dict

    if output_format not in _FORMATS:
        raise ValidationError("cli.unknown_format", field="--format", value=output_format,
                              choices=list(_FORMATS))  # fmt: skip
    spec = territory_spec(
        territory, preset=preset, codes=codes, codes_file=codes_file, polygon=polygon, epci=epci
    )
    options = input_options(spec, buffer_km=buffer_km)
    with use_settings(mirror=mirror, store=store, online=online):
        with quiet_warnings():
            result = run_territory(options)
        if save:
            save_results(result)
    if output_format == "json":
        typer.echo(json.dumps(summary_dict(result.territory), ensure_ascii=False, indent=2))
    else:
        _print_summary(result.territory)


def _print_fetch(result: FetchResult) -> None:
    for source in result.fetched:
        out_console.print(
            f"[green]{text('cli.tag_ok')}[/] {source.dataset:<16} {source.origin:<7} "
            f"{escape(source.location)}"
        )
    for key, dep, exc in result.missing:
        warn("cli.fetch_missing", dataset=key, dep=dep or "", reason=exc.message)


@app.command("fetch", cls=FrenchCommand, help=text("cli.cmd_fetch"))
def fetch_command(
    territory: TerritoryOption = None,
    departments: Annotated[
        str | None,
        typer.Option(help=text("cli.opt_departments")),
    ] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Fill the project's cache (data/raw) from a mirror or the official services."""
    from accessmap.app import FETCHED_DATASETS, fetch_departments, run_fetch, save_results

    deps = fetch_departments(territory, departments.split(",") if departments else ())
    with use_settings(mirror=mirror, store=store, online=online):
        with progress_bar(total=len(deps) + len(FETCHED_DATASETS)) as step:
            result = run_fetch(deps, progress=step)
        save_results(result)
    _print_fetch(result)
    if result.missing and not result.fetched:
        raise OfflineError("cli.fetch_nothing", field="fetch")
