"""The ``accessmap`` command line (typer + rich).

Every command is a thin layer over the library. Errors the library raises on purpose
(:class:`~accessmap.errors.AccessmapError`) become one line on stderr and exit code 2; ``--debug``
shows the traceback instead. Long work shows a rich progress display; notebooks never see it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from accessmap.errors import AccessmapError

__all__ = ["app", "main", "run"]

app = typer.Typer(
    name="accessmap",
    help="Access to primary care in rural territories: travel times, APL, GP outlook, siting.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

err_console = Console(stderr=True)
out_console = Console()

_STATE: dict[str, bool] = {"debug": False}

MirrorOption = Annotated[
    Path | None,
    typer.Option(
        "--mirror",
        help="Local mirror directory (like ../shared/data). Env: ACCESSMAP_MIRROR.",
        envvar="ACCESSMAP_MIRROR",
    ),
]
StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="DuckDB file (default data/accessmap.duckdb).", envvar="ACCESSMAP_STORE"),
]
OnlineOption = Annotated[
    bool,
    typer.Option("--online/--offline", help="Allow downloads from the official services."),
]


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Access to primary care in rural territories."""
    _STATE["debug"] = debug


# --- commands: foundation (territory, fetch) -------------------------------------------------

# --- commands: travel times (network, catchments) --------------------------------------------

# --- commands: indicators --------------------------------------------------------------------

# --- commands: workforce outlook -------------------------------------------------------------

# --- commands: siting and scenarios ----------------------------------------------------------

# --- commands: report and diagnose -----------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (2 on a clear :class:`AccessmapError`).

    Parameters
    ----------
    argv
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 2 on an accessmap error, typer's code otherwise.
    """
    args = sys.argv[1:] if argv is None else argv
    _STATE["debug"] = "--debug" in args
    try:
        app(args=args, standalone_mode=False)
    except AccessmapError as exc:
        if _STATE["debug"]:
            raise
        err_console.print(f"[bold red]error[/] {exc}", highlight=False, soft_wrap=True)
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        return 1
    except Exception as exc:  # click usage errors carry their own exit code
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            return int(exc.exit_code)
        raise
    return 0


def run() -> None:
    """Console-script entry point: exit with :func:`main`'s code."""
    raise SystemExit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
