"""What every command shares: consoles, options, progress, warnings and the store transaction."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from accessmap.inputs import InputOptions

__all__ = [
    "BufferOption",
    "CrowflyOption",
    "MirrorOption",
    "OnlineOption",
    "OsmOption",
    "RosterOption",
    "SeedOption",
    "StoreOption",
    "TerritoryOption",
    "WinterOption",
    "err_console",
    "escape",
    "id_list",
    "input_options",
    "note",
    "out_console",
    "progress_bar",
    "quiet_warnings",
    "use_settings",
    "warn",
]

err_console = Console(stderr=True, soft_wrap=True, highlight=False)
out_console = Console(soft_wrap=True, highlight=False)

TerritoryOption = Annotated[
    str | None,
    typer.Option(
        "--territory",
        "-t",
        help="Préréglage (montagne-limousine), codes INSEE séparés par des virgules, fichier de "
        "codes (.txt/.csv), polygone (.geojson/.gpkg), dep:19,23,87, france ou "
        "epci:CODE[,CODE][@DEP,DEP].",
    ),
]
BufferOption = Annotated[
    float, typer.Option("--buffer-km", min=0.0, max=200.0, help="Largeur de la zone tampon (km).")
]
MirrorOption = Annotated[
    Path | None,
    typer.Option(
        "--mirror",
        help="Dossier miroir des données officielles (comme ../shared/data). "
        "Variable : ACCESSMAP_MIRROR.",
        envvar="ACCESSMAP_MIRROR",
    ),
]
StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Fichier DuckDB (défaut data/accessmap.duckdb). Variable : ACCESSMAP_STORE.",
        envvar="ACCESSMAP_STORE",
    ),
]
OnlineOption = Annotated[
    bool,
    typer.Option("--online/--offline", help="Autoriser les téléchargements (services officiels)."),
]
RosterOption = Annotated[
    Path | None,
    typer.Option(
        "--roster",
        help="Fichier des praticiens (CSV , ou ; ; modèle docs/roster_template.md). Sans lui : "
        "effectifs officiels et âges ILLUSTRATIFS.",
    ),
]
OsmOption = Annotated[
    Path | None,
    typer.Option(
        "--osm",
        help="Réseau routier local (.osm, .osm.pbf, .graphml). Sans lui : le réseau du miroir "
        "s'il couvre la zone d'étude.",
    ),
]
CrowflyOption = Annotated[
    bool,
    typer.Option(
        "--crowfly", help="Sans réseau routier : distance à vol d'oiseau × détour ÷ vitesse."
    ),
]
WinterOption = Annotated[
    bool | None,
    typer.Option(
        "--winter/--no-winter",
        help="Vitesses d'hiver (neige sur le plateau). Défaut : ACCESSMAP_WINTER.",
    ),
]
SeedOption = Annotated[
    int,
    typer.Option(
        "--seed",
        min=0,
        max=2**32 - 1,
        help="Graine de tout tirage (âges illustratifs, Monte Carlo).",
    ),
]


def input_options(
    territory: str | None,
    *,
    default: str | None = None,
    buffer_km: float = 30.0,
    roster: Path | None = None,
    osm: Path | None = None,
    crowfly: bool = False,
    online: bool = False,
    winter: bool | None = None,
    seed: int = 0,
    apl_year: int = 2023,
    illustrative_ages: bool = False,
) -> InputOptions:
    """Options of the input layer from a command's options (an empty territory is refused).

    Parameters
    ----------
    territory
        ``--territory`` as given (``None`` when absent).
    default
        The territory used when the option is absent (``diagnose``: the preset).
    buffer_km, roster, osm, crowfly, online, winter, seed, apl_year
        As in :class:`accessmap.inputs.InputOptions`.

    Returns
    -------
    InputOptions
    """
    from accessmap.errors import ValidationError
    from accessmap.inputs import InputOptions

    spec = territory if territory is not None else default
    if spec is None or not spec.strip():
        raise ValidationError(
            "no territory given." if spec is None else "the territory is empty.",
            field="--territory",
            fix="give --territory montagne-limousine, INSEE codes (19031,19272) or a file.",
        )
    return InputOptions(
        territory=spec, buffer_km=buffer_km, roster=roster, osm=osm, crowfly=crowfly,
        online=online, winter=winter, seed=seed, apl_year=apl_year,
        illustrative_ages=illustrative_ages,
    )  # fmt: skip


@contextlib.contextmanager
def use_settings(*, mirror: Path | None, store: Path | None, online: bool) -> Iterator[None]:
    """Apply the command's settings for its duration (read at call time by the library)."""
    from accessmap import settings

    with settings.override(mirror=mirror, online=online or None, store_path=store):
        yield


@contextlib.contextmanager
def quiet_warnings() -> Iterator[None]:
    """Collect library warnings and print each distinct one once, on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            seen: set[str] = set()
            for item in caught:
                text = str(item.message)
                if text not in seen:
                    seen.add(text)
                    warn(text)


def warn(text: object) -> None:
    """Print a warning line in French (user text escaped: brackets are kept)."""
    err_console.print(f"[yellow]attention[/] {escape(str(text))}")


def note(text: object) -> None:
    """Print a note line in French (user text escaped)."""
    err_console.print(f"[cyan]note[/] {escape(str(text))}")


@contextlib.contextmanager
def progress_bar(total: int | None = None) -> Iterator[Callable[[str], None]]:
    """Show a rich progress display on stderr; yield a callback taking a step description."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = [SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn()]
    if total is not None:
        columns.insert(2, BarColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("démarrage", total=total)

        def step(text: str) -> None:
            bar.update(task, description=escape(text), advance=1 if total else None)

        yield step


def id_list(value: str | None) -> list[str]:
    """Ids from ``a,b,c`` or from a file (one per line, or a CSV with a code column)."""
    from accessmap.sources import read_codes_file

    if not value:
        return []
    path = Path(value)
    if path.suffix.lower() in (".txt", ".csv") or path.is_file():
        ids = read_codes_file(path)
        return [i for i in ids if i.lower() not in ("id", "code", "site_id")]
    return [part.strip() for part in value.split(",") if part.strip()]
