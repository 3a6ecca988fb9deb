"""The ``accessmap`` command line (typer + rich), in French.

Commands only parse options and call the library (:mod:`accessmap.inputs`,
:mod:`accessmap.diagnostic`, the domain modules); one module per group of commands. Errors the
library raises on purpose (:class:`~accessmap.errors.AccessmapError`) become one line on stderr and
exit code 2; Ctrl-C exits 130 and SIGTERM 143, with one line saying whether anything was
published (DuckDB's "Query interrupted" errors count as Ctrl-C); ``--debug`` shows the traceback
instead.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

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
EXIT_TERMINATED = 143


def _error(text: str) -> None:
    err_console.print(f"[bold red]erreur[/] {escape(text)}", soft_wrap=True)


_USAGE_FR = (
    (r"Invalid value for '([^']+)': ", r"\1 : valeur invalide : "),
    (r"Input should be greater than or equal to (\S+)", r"elle doit être supérieure ou égale à \1"),
    (r"Input should be less than or equal to (\S+)", r"elle doit être inférieure ou égale à \1"),
    (r"Input should be a valid (integer|number)[^.]*", r"ce n'est pas un nombre"),
    (r"No such option: (\S+)", r"option inconnue : \1"),
    (r"Missing option '([^']+)'", r"option obligatoire manquante : \1"),
    (r"No such command '([^']+)'", r"commande inconnue : \1"),
    (r"Did you mean ", r"Vouliez-vous dire "),
    (r"Possible options: ", r"options proches : "),
    (r"Got unexpected extra argument", r"argument en trop"),
)


def _french_usage(message: str) -> str:
    """A usage error (from the command-line parser) in French, with the way to get help."""
    import re

    text = " ".join(message.split())
    for pattern, french in _USAGE_FR:
        text = re.sub(pattern, french, text)
    return f"{text} Correctif : voir « accessmap --help » ou « accessmap COMMANDE --help »."


def _one_line(exc: AccessmapError) -> str:
    """The field, what is wrong and the fix, on one line (French frame, library message)."""
    text = f"{exc.field} : {exc.message}" if exc.field else exc.message
    if exc.fix:
        text = f"{text} Correctif : {exc.fix}"
    return " ".join(text.split())


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[list[int]]:
    """Turn SIGTERM into ``KeyboardInterrupt`` (same clean-up as Ctrl-C), recording it.

    Only in the main thread; the previous handler is restored on exit.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def terminate(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
        received.append(signum)
        raise KeyboardInterrupt

    saved = signal.signal(signal.SIGTERM, terminate)
    try:
        yield received
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if saved is None else saved)


def _interrupted(terminated: list[int]) -> int:
    """One line saying what an interruption left, and the exit code (130, or 143 on SIGTERM)."""
    what = "arrêt demandé (SIGTERM)" if terminated else "interrompu (Ctrl-C)"
    if STATE.get("published"):
        _error(f"{what} après la publication : le rapport et la base sont à jour.")
    else:
        _error(f"{what} : rien n'a été publié, le rapport et la base sont inchangés.")
    return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code.

    Parameters
    ----------
    argv
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success; 2 on an accessmap error or a usage error (one line); 130 on Ctrl-C and 143
        on SIGTERM (one line saying whether anything was published).
    """
    args = sys.argv[1:] if argv is None else argv
    STATE["debug"] = "--debug" in args
    STATE["published"] = False
    with _sigterm_as_interrupt() as terminated:
        try:
            code = _invoke(args)
        except KeyboardInterrupt:
            code = EXIT_INTERRUPTED
        if code == EXIT_INTERRUPTED:
            return _interrupted(terminated)
    return code


def _from_interrupt(exc: BaseException) -> bool:
    """Whether ``exc`` comes from Ctrl-C: DuckDB turns it into "Query interrupted" errors."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt) or type(current).__name__ == "InterruptException":
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _invoke(args: list[str]) -> int:
    """Run typer; turn errors into one line and an exit code (typer returns 130 on Ctrl-C)."""
    try:
        return _invoke_app(args)
    except Exception as exc:
        if _from_interrupt(exc):
            return EXIT_INTERRUPTED
        raise


def _invoke_app(args: list[str]) -> int:
    """Run typer; an error raised by Ctrl-C (or with ``--debug``) goes up to :func:`_invoke`."""
    try:
        result = app(args=args, standalone_mode=False)
    except AccessmapError as exc:
        if STATE["debug"] or _from_interrupt(exc):
            raise
        _error(_one_line(exc))
        return EXIT_ERROR
    except typer.Abort:
        return EXIT_INTERRUPTED
    except typer.Exit as exc:
        return int(exc.exit_code)
    except TyperException as exc:  # usage errors (unknown option, value out of range...)
        _error(_french_usage(exc.format_message()))
        return EXIT_ERROR
    except OSError as exc:
        if STATE["debug"] or _from_interrupt(exc):
            raise
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        _error(
            f"{exc.strerror or exc}{where}. Correctif : vérifiez le chemin, les droits et "
            "l'espace disque."
        )
        return EXIT_ERROR
    return result if isinstance(result, int) else 0


def run() -> None:
    """Console-script entry point: exit with :func:`main`'s code."""
    raise SystemExit(main())
