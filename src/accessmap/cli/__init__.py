"""The ``accessmap`` command line (typer + rich), in French.

Commands only parse options, call a use case of the application layer (:mod:`accessmap.app`) and
print its result; one module per group of commands. Every printed line is a ``cli.*`` message of
the French catalogue (:mod:`accessmap.messages.fr_cli`), parser errors included: they are rendered
from the attributes of click's exception types, not from click's English. Errors the library
raises on purpose (:class:`~accessmap.errors.AccessmapError`) become one line on stderr and
exit code 2; Ctrl-C exits 130 and SIGTERM 143, with one line saying whether anything was
published (DuckDB's "Query interrupted" errors count as Ctrl-C); ``--debug`` shows the traceback
instead.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import typer

# typer vendors click (``typer._click``) and re-exports only ``BadParameter``: the parser's other
# exception types are imported from there.
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)

# Importing the command modules registers their commands on ``app``.
from accessmap.cli import (  # noqa: F401  (registration side effect, after app exists)
    diagnose,
    indicators,
    outlook,
    siting,
    territory,
    traveltimes,
)
from accessmap.cli._app import STATE, NoSuchCommand, app, text
from accessmap.cli._common import err_console, escape
from accessmap.errors import AccessmapError

__all__ = ["app", "main", "run"]

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


def _error(line: str) -> None:
    err_console.print(f"[bold red]{text('cli.tag_error')}[/] {escape(line)}", soft_wrap=True)


def _hint(param: Any) -> str:
    """The option a parser error is about (``--p``), from its parameter."""
    if param is None:
        return text("cli.usage_unknown_option")
    names = [o for o in getattr(param, "opts", []) if o.startswith("--")]
    return " / ".join(names or list(getattr(param, "opts", [])) or [str(param.name)])


def _why(exc: BadParameter) -> str:
    """Why a value was refused, from the validation error behind it (bounds, expected type)."""
    cause = exc.__cause__
    errors = cause.errors() if cause is not None and hasattr(cause, "errors") else []
    if not errors:
        return text("cli.usage_invalid")
    first = errors[0]
    kind, bounds = str(first.get("type", "")), first.get("ctx") or {}
    codes = {
        "greater_than_equal": ("cli.usage_min", "ge"), "greater_than": ("cli.usage_above", "gt"),
        "less_than_equal": ("cli.usage_max", "le"), "less_than": ("cli.usage_below", "lt"),
    }  # fmt: skip
    if kind in codes:
        code, key = codes[kind]
        return text(code, bound=bounds.get(key))
    if kind.startswith(("int_", "float_")):
        return text("cli.usage_not_number")
    return text("cli.usage_invalid")


def _with_close(code: str, name: str, close: Sequence[str] | None) -> str:
    """An unknown name, with the close ones when there are some."""
    if close:
        return text(code, name=name, close=sorted(close))
    return text(f"{code}_alone", name=name)


def _usage(exc: UsageError) -> str:
    """A usage error of the command-line parser in French, rendered from its attributes."""
    if isinstance(exc, NoSuchCommand):
        line = _with_close("cli.usage_no_command", exc.name, exc.possibilities)
    elif isinstance(exc, NoSuchOption):
        line = _with_close("cli.usage_no_option", exc.option_name, exc.possibilities)
    elif isinstance(exc, MissingParameter):
        line = text("cli.usage_missing", option=_hint(exc.param))
    elif isinstance(exc, BadParameter):
        line = text("cli.usage_bad_value", option=_hint(exc.param), why=_why(exc))
    elif isinstance(exc, BadOptionUsage):
        line = text("cli.usage_needs_value", option=exc.option_name)
    else:  # extra arguments and other parser errors
        line = text("cli.usage_extra")
    return f"{line} {text('cli.usage_fix')}"


def _one_line(exc: AccessmapError) -> str:
    """The field, what is wrong and the fix, on one line (French frame, library message)."""
    return " ".join(str(exc).split())


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
    what = text("cli.sigterm" if terminated else "cli.ctrl_c")
    _error(text("cli.interrupted_published" if STATE.get("published") else "cli.interrupted",
                what=what))  # fmt: skip
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


def _usage_exit(exc: UsageError) -> int:
    """Print a usage error (``accessmap`` alone: its help) and return the exit code."""
    if isinstance(exc, NoArgsIsHelpError):
        typer.echo(exc.ctx.get_help())
        return 0
    _error(_usage(exc))
    return EXIT_ERROR


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
    except UsageError as exc:  # the parser's: unknown option, value out of range...
        return _usage_exit(exc)
    except OSError as exc:
        if STATE["debug"] or _from_interrupt(exc):
            raise
        name = Path(str(exc.filename)).name if getattr(exc, "filename", None) else ""
        where = text("cli.os_where", path=name) if name else ""
        _error(text("cli.os_error", reason=_os_reason(exc), where=where))
        return EXIT_ERROR
    return result if isinstance(result, int) else 0


#: French wording of the operating system's common refusals (its own text is English).
_OS_REASONS = {
    errno.ENOENT: "cli.os_missing",
    errno.EACCES: "cli.os_denied",
    errno.EPERM: "cli.os_denied",
    errno.ENOSPC: "cli.os_full",
    errno.EISDIR: "cli.os_is_folder",
    errno.ENOTDIR: "cli.os_not_folder",
    errno.EROFS: "cli.os_read_only",
}


def _os_reason(exc: OSError) -> str:
    """The reason of a system error, in French (the number for a rare one)."""
    code = _OS_REASONS.get(exc.errno or -1)
    return text(code) if code is not None else text("cli.os_other", number=exc.errno or 0)


def run() -> None:
    """Console-script entry point: exit with :func:`main`'s code.

    Arrow's buffers (the tables' text columns) come from the system allocator unless the user
    chose another (``ARROW_DEFAULT_MEMORY_POOL``): Arrow's default pool keeps freed memory for
    reuse, 30 to 40 MiB more peak memory on a 97-commune ``diagnose``, no faster here
    (``benchmarks/bench_scale.py``).

    The objects of the modules imported by then (some 70,000: typer, rich, numpy, pandas and
    the package's own) are moved to the garbage collector's permanent generation
    (:func:`gc.freeze`): they live as long as the process, and the collections of a run no
    longer traverse them. On a 97-commune ``diagnose`` the collector's own time falls from
    about 0.3 s to 0.15 s and the run takes 0.3 to 0.45 CPU s less (6 alternated runs each),
    peak memory unchanged.
    """
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
    gc.freeze()
    raise SystemExit(main())
