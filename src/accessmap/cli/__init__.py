"""The ``accessmap`` command line (typer + rich), in French.

Commands only parse options and call the library (:mod:`accessmap.inputs`,
:mod:`accessmap.diagnostic`, the domain modules); one module per group of commands. Errors the
library raises on purpose (:class:`~accessmap.errors.AccessmapError`) become one line on stderr and
exit code 2; Ctrl-C exits 130 with one line; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys

import typer
from typer.exceptions import TyperException

# Importing the command modules registers their commands on ``app``.
from accessmap.cli import (  # noqa: F401  (registration side effect, after app exists)
    diagnose,
    indicators,
    outlook,
    siting,
    territory,
    traveltimes,
)
from accessmap.cli._app import STATE, app
from accessmap.cli._common import err_console, escape
from accessmap.errors import AccessmapError

__all__ = ["app", "main", "run"]

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


def _error(text: str) -> None:
    err_console.print(f"[bold red]erreur[/] {escape(text)}", soft_wrap=True)


def _one_line(exc: AccessmapError) -> str:
    """The field, what is wrong and the fix, on one line (French frame, library message)."""
    text = f"{exc.field} : {exc.message}" if exc.field else exc.message
    if exc.fix:
        text = f"{text} Correctif : {exc.fix}"
    return " ".join(text.split())


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code.

    Parameters
    ----------
    argv
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success; 2 on an accessmap error or a usage error (one line); 130 on Ctrl-C.
    """
    args = sys.argv[1:] if argv is None else argv
    STATE["debug"] = "--debug" in args
    try:
        app(args=args, standalone_mode=False)
    except AccessmapError as exc:
        if STATE["debug"]:
            raise
        _error(_one_line(exc))
        return EXIT_ERROR
    except (KeyboardInterrupt, typer.Abort):
        _error("interrompu (Ctrl-C) : rien n'a été publié, le rapport et la base sont inchangés.")
        return EXIT_INTERRUPTED
    except typer.Exit as exc:
        return int(exc.exit_code)
    except TyperException as exc:  # usage errors (unknown option...) carry their own exit code
        _error(exc.format_message())
        return EXIT_ERROR
    except OSError as exc:
        if STATE["debug"]:
            raise
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        _error(
            f"{exc.strerror or exc}{where}. Correctif : vérifiez le chemin, les droits et "
            "l'espace disque."
        )
        return EXIT_ERROR
    return 0


def run() -> None:
    """Console-script entry point: exit with :func:`main`'s code."""
    raise SystemExit(main())
