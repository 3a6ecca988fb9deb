"""What every command shares: consoles, options (each declared once), progress, French lines.

Every line a command prints is a message of the catalogue (``cli.*`` codes,
:mod:`accessmap.messages.fr_cli`) rendered by :func:`say`, :func:`note` or :func:`warn`; library
notes and warnings (already French, from their own codes) pass through :func:`note` and
:func:`warn_text`.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from accessmap import settings
from accessmap.cli._app import text
from accessmap.errors import ValidationError
from accessmap.messages import AccessmapWarning, merged_notes

if TYPE_CHECKING:
    from rich.progress import Progress
    from rich.table import Table

    from accessmap.inputs import InputOptions

__all__ = [
    "ROSTER_SCOPE_CHOICES",
    "BufferOption",
    "CrowflyOption",
    "MinPopulationOption",
    "MinutesOption",
    "MirrorOption",
    "OnlineOption",
    "OsmOption",
    "PremisesOption",
    "ProfessionOption",
    "ReportOutOption",
    "RosterOption",
    "RosterScopeOption",
    "RunsOption",
    "ScenarioOption",
    "SeedOption",
    "StartYearOption",
    "StoreOption",
    "TerritoryOption",
    "TimeLimitOption",
    "WinterOption",
    "err_console",
    "escape",
    "id_list",
    "input_options",
    "new_table",
    "note",
    "out_console",
    "progress_bar",
    "progress_display",
    "quiet_warnings",
    "say",
    "use_settings",
    "warn",
    "warn_text",
]

err_console = Console(stderr=True, soft_wrap=True, highlight=False)
out_console = Console(soft_wrap=True, highlight=False)

# --- options shared by several commands (each declared once) ---------------------------------
TerritoryOption = Annotated[
    str | None,
    typer.Option("--territory", "-t", help=text("cli.opt_from_registry")),
]
BufferOption = Annotated[
    float, typer.Option("--buffer-km", min=0.0, max=200.0, help=text("cli.opt_buffer_km"))
]
MirrorOption = Annotated[
    Path | None,
    typer.Option(
        "--mirror",
        help=text("cli.opt_mirror"),
        envvar="ACCESSMAP_MIRROR",
    ),
]
StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help=text("cli.opt_store"),
        envvar="ACCESSMAP_STORE",
    ),
]
OnlineOption = Annotated[
    bool,
    typer.Option("--online/--offline", help=text("cli.opt_online")),
]
RosterOption = Annotated[
    Path | None,
    typer.Option(
        "--roster",
        help=text("cli.opt_roster"),
    ),
]
#: The values of ``InputOptions.roster_scope`` (``accessmap.inputs.ROSTER_SCOPES``, not imported:
#: the CLI stays light); another value is refused by ``InputOptions`` with the choices.
ROSTER_SCOPE_CHOICES = ("territory", "everywhere")
RosterScopeOption = Annotated[
    str,
    typer.Option(
        "--roster-scope",
        help=text("cli.opt_roster_scope"),
    ),
]
OsmOption = Annotated[
    Path | None,
    typer.Option(
        "--osm",
        help=text("cli.opt_osm"),
    ),
]
CrowflyOption = Annotated[
    bool,
    typer.Option("--crowfly", help=text("cli.opt_crowfly")),
]
WinterOption = Annotated[
    bool | None,
    typer.Option(
        "--winter/--no-winter",
        help=text("cli.opt_winter"),
    ),
]
SeedOption = Annotated[
    int,
    typer.Option(
        "--seed",
        min=0,
        max=2**32 - 1,
        help=text("cli.opt_seed"),
    ),
]
ProfessionOption = Annotated[str, typer.Option("--profession", help=text("cli.opt_from_registry"))]
ScenarioOption = Annotated[
    Path | None,
    typer.Option("--scenario", help=text("cli.opt_scenario")),
]
RunsOption = Annotated[
    int | None, typer.Option("--runs", min=1, max=100_000, help=text("cli.opt_runs"))
]
StartYearOption = Annotated[
    int | None,
    typer.Option(
        "--start-year",
        min=2000,
        max=2100,
        help=text("cli.opt_start_year"),
    ),
]
MinutesOption = Annotated[
    float | None,
    typer.Option("--minutes", min=1.0, max=120.0, help=text("cli.opt_minutes")),
]
TimeLimitOption = Annotated[
    float, typer.Option("--time-limit", min=0.1, help=text("cli.opt_time_limit"))
]
MinPopulationOption = Annotated[
    float | None,
    typer.Option("--min-population", min=0, help=text("cli.opt_min_population")),
]
PremisesOption = Annotated[
    str | None,
    typer.Option("--premises", help=text("cli.opt_premises")),
]
ReportOutOption = Annotated[Path | None, typer.Option("--out", help=text("cli.opt_out_report"))]


def input_options(
    territory: str | None,
    *,
    required: bool = True,
    **options: Any,
) -> InputOptions:
    """Options of the input layer from a command's options (an empty territory is refused).

    Parameters
    ----------
    territory
        ``--territory`` as given (``None`` when absent).
    required
        Refuse an absent territory; ``False``: the default of
        :class:`~accessmap.inputs.InputOptions` (``diagnose``: the preset).
    **options
        The other fields of :class:`accessmap.inputs.InputOptions` (``buffer_km``, ``roster``...).

    Returns
    -------
    InputOptions
    """
    from accessmap.inputs import InputOptions

    if territory is None:
        if required:
            raise ValidationError("cli.no_territory", field="--territory")
        return InputOptions(**options)
    if not territory.strip():
        raise ValidationError("cli.empty_territory", field="--territory")
    return InputOptions(territory=territory, **options)


@contextlib.contextmanager
def use_settings(*, mirror: Path | None, store: Path | None, online: bool) -> Iterator[None]:
    """Apply the command's settings for its duration (read at call time by the library)."""
    with settings.override(mirror=mirror, online=online or None, store_path=store):
        yield


@contextlib.contextmanager
def quiet_warnings() -> Iterator[None]:
    """Collect library warnings and print each distinct one once, on stderr.

    accessmap's notes about lists of things are merged first (:func:`merged_notes`): the points
    far from the roads of every travel-time table of a run make one line.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            notes = [w.message.note for w in caught if isinstance(w.message, AccessmapWarning)]
            lines = dict.fromkeys(str(note) for note in merged_notes(notes))
            for item in caught:  # other libraries' warnings, after accessmap's own
                if not isinstance(item.message, AccessmapWarning):
                    lines.setdefault(str(item.message))
            for line in lines:
                warn_text(line)


def say(code: str, /, *, style: str | None = None, **params: Any) -> None:
    """Print a message of the catalogue on stdout (escaped; optionally in a rich style)."""
    line = escape(text(code, **params))
    out_console.print(f"[{style}]{line}[/]" if style else line)


def warn(code: str, /, **params: Any) -> None:
    """Print a warning of the catalogue on stderr."""
    warn_text(text(code, **params))


def warn_text(line: str) -> None:
    """Print a library warning (already French) on stderr, user text escaped."""
    err_console.print(f"[yellow]{text('cli.tag_warning')}[/] {escape(line)}")


def note(line: object) -> None:
    """Print a note (a library message or a catalogue rendering) on stderr, escaped."""
    err_console.print(f"[cyan]{text('cli.tag_note')}[/] {escape(str(line))}")


def new_table(title: str) -> Table:
    """A rich table with its title on the left (the title is escaped)."""
    from rich.table import Table  # rich's tables and progress: loaded when a command prints

    return Table(title=escape(title), title_justify="left")


@contextlib.contextmanager
def progress_display(total: int | None = None, *, counter: bool = False) -> Iterator[Progress]:
    """A rich progress display on stderr (a bar when ``total`` is known, ``n/total`` if asked)."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
    if total is not None:
        columns.append(BarColumn())
    if counter:
        columns.append(TextColumn("{task.completed}/{task.total}"))
    columns.append(TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        yield bar


@contextlib.contextmanager
def progress_bar(total: int | None = None) -> Iterator[Callable[[str], None]]:
    """Show a rich progress display on stderr; yield a callback taking a step description."""
    with progress_display(total) as bar:
        task = bar.add_task(text("cli.step_start"), total=total)

        def step(description: str) -> None:
            bar.update(task, description=escape(description), advance=1 if total else None)

        yield step


def id_list(value: str | None) -> list[str]:
    """Ids from ``a,b,c`` or from a file (one per line, or a CSV with a code column)."""
    if not value:
        return []
    path = Path(value)
    if path.suffix.lower() in (".txt", ".csv") or path.is_file():
        from accessmap.sources import read_codes_file

        ids = read_codes_file(path)
        return [i for i in ids if i.lower() not in ("id", "code", "site_id")]
    return [part.strip() for part in value.split(",") if part.strip()]
