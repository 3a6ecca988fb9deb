"""Commands ``territory`` (define a territory) and ``fetch`` (fill the cache)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from accessmap.cli._app import FrenchCommand, app
from accessmap.cli._common import (
    BufferOption,
    MirrorOption,
    OnlineOption,
    StoreOption,
    TerritoryOption,
    err_console,
    escape,
    out_console,
    quiet_warnings,
    use_settings,
    warn,
)

if TYPE_CHECKING:
    from accessmap.territory import Territory

__all__ = ["fetch_command", "territory_command", "territory_spec"]


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
    from accessmap.errors import ValidationError

    given = [
        spec
        for spec in (
            territory, preset, codes, str(codes_file) if codes_file else None,
            str(polygon) if polygon else None, f"epci:{epci}" if epci is not None else None,
        )
        if spec is not None
    ]  # fmt: skip
    if len(given) != 1 or not given[0].strip():
        raise ValidationError(
            "the territory is empty." if len(given) == 1 else f"{len(given)} territories given.",
            field="--territory",
            fix="give one of --territory, --preset, --codes, --codes-file, --polygon, --epci.",
        )
    return given[0]


def _print_summary(area: Territory) -> None:
    from rich.table import Table

    from accessmap.labels import fmt_float, fmt_int
    from accessmap.territory import summary

    table = Table(
        title=f"{escape(area.name)} : {len(area.communes)} communes", title_justify="left"
    )
    for col in ("département", "communes", "habitants", "km²", "hab./km²"):
        table.add_column(col, justify="right")
    for _, row in summary(area).iterrows():
        table.add_row(
            str(row["dep"]), fmt_int(row["communes"]), fmt_int(row["population"]),
            fmt_int(row["area_km2"]), fmt_float(row["density"], 1),
        )  # fmt: skip
    out_console.print(table)
    out_console.print(f"[dim]{escape(area.rule)}[/]")
    out_console.print(
        f"Zone tampon {fmt_float(area.buffer_km, 0)} km : {len(area.buffer)} communes, "
        f"{fmt_int(area.buffer['population'].sum())} habitants."
    )
    for text in area.warnings:
        warn(text)


@app.command("territory", cls=FrenchCommand)
def territory_command(
    territory: TerritoryOption = None,
    preset: Annotated[str | None, typer.Option(help="Préréglage (montagne-limousine).")] = None,
    codes: Annotated[str | None, typer.Option(help="Codes INSEE séparés par des virgules.")] = None,
    codes_file: Annotated[Path | None, typer.Option(help="Fichier de codes INSEE.")] = None,
    polygon: Annotated[Path | None, typer.Option(help="Polygone (avec un SCR).")] = None,
    epci: Annotated[
        str | None, typer.Option(help="Codes SIREN d'EPCI, séparés par virgule.")
    ] = None,
    buffer_km: BufferOption = 30.0,
    output_format: Annotated[
        str, typer.Option("--format", help="table (lecture) ou json (machines).")
    ] = "table",
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
    save: Annotated[bool, typer.Option("--save/--no-save", help="Écrire dans la base.")] = True,
) -> None:
    """Définir un territoire et afficher son résumé (communes, population, km², densité)."""
    import json

    from accessmap.errors import ValidationError
    from accessmap.inputs import load_territory
    from accessmap.sources import SourceFile
    from accessmap.store import Store
    from accessmap.territory import summary_dict

    if output_format not in {"table", "json"}:
        raise ValidationError(
            f"{output_format!r} is not a format.", field="--format", fix="table or json."
        )
    spec = territory_spec(
        territory, preset=preset, codes=codes, codes_file=codes_file, polygon=polygon, epci=epci
    )
    with use_settings(mirror=mirror, store=store, online=online):
        provenance: list[SourceFile] = []
        with quiet_warnings():
            area = load_territory(spec, buffer_km=buffer_km, provenance=provenance)
        if save:
            with Store.open() as db, db.transaction():
                db.write_table("communes", area.study_area)
                db.record_provenance(provenance)
    if output_format == "json":
        typer.echo(json.dumps(summary_dict(area), ensure_ascii=False, indent=2))
    else:
        _print_summary(area)


def _fetch_departments(territory: str | None, departments: str | None) -> list[str]:
    from accessmap.sources import department_of
    from accessmap.territory import DEPARTMENT_NEIGHBOURS, PRESETS

    if departments:
        return sorted({d.strip() for d in departments.split(",") if d.strip()})
    if territory in PRESETS:
        core = set(PRESETS[territory].departments)
        return sorted(
            core | set().union(*(DEPARTMENT_NEIGHBOURS.get(d, frozenset()) for d in core))
        )
    if territory:
        codes = [c.strip() for c in territory.split(",") if c.strip()]
        return sorted({department_of(c) for c in codes})
    return []


@app.command("fetch", cls=FrenchCommand)
def fetch_command(
    territory: TerritoryOption = None,
    departments: Annotated[
        str | None,
        typer.Option(
            help="Codes de départements séparés par des virgules (défaut : le territoire)."
        ),
    ] = None,
    mirror: MirrorOption = None,
    store: StoreOption = None,
    online: OnlineOption = False,
) -> None:
    """Remplir le cache du projet (data/raw) depuis un miroir ou les services officiels."""
    from rich.progress import Progress

    from accessmap.errors import OfflineError
    from accessmap.sources import resolve
    from accessmap.store import Store

    deps = _fetch_departments(territory, departments)
    jobs: list[tuple[str, str | None]] = [("communes", d) for d in deps]
    jobs += [("drees_apl", None), ("bpe_gp", None), ("gp_sites_creuse", None)]
    fetched, missing = [], []
    with use_settings(mirror=mirror, store=store, online=online):
        with Progress(console=err_console, transient=True) as progress:
            task = progress.add_task("téléchargement", total=len(jobs))
            for key, dep in jobs:
                progress.update(task, description=f"{key} {dep or ''}")
                try:
                    fetched.append(resolve(key, dep=dep, store_in_cache=True))
                except OfflineError as exc:
                    missing.append(f"{key} {dep or ''} : {exc.message}")
                progress.advance(task)
        with Store.open() as db, db.transaction():
            db.record_provenance(fetched)
    for source in fetched:
        out_console.print(
            f"[green]ok[/] {source.dataset:<16} {source.origin:<7} {escape(source.location)}"
        )
    for line in missing:
        warn(f"manquant : {line}")
    if missing and not fetched:
        raise OfflineError(
            "nothing could be fetched.", field="fetch", fix="pass --mirror DIR or --online."
        )
