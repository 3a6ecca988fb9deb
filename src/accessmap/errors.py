"""Errors raised by accessmap.

Every error the library raises on purpose is an :class:`AccessmapError`. Each one names the
offending *field* (a column, an option, a file, an identifier) and says how to *fix* it, so that the
CLI can print one useful line instead of a traceback (exit code 2).

The hierarchy follows r5py's ``util/exceptions.py`` and osmnx's ``_errors.py``: one base
class, a few subclasses callers can catch by meaning.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "AccessmapError",
    "GraphError",
    "MissingDataError",
    "OfflineError",
    "SolverError",
    "ValidationError",
    "format_rows",
]


class AccessmapError(Exception):
    """Base class of every error accessmap raises on purpose.

    Parameters
    ----------
    message
        What is wrong, in one sentence.
    field
        The offending field: a column, an option, a file path or an identifier.
    fix
        How to fix it, in one sentence.
    """

    def __init__(self, message: str, *, field: str | None = None, fix: str | None = None) -> None:
        self.message = message
        self.field = field
        self.fix = fix
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}" if self.field else self.message
        if self.fix:
            text = f"{text} Fix: {self.fix}"
        return text


class ValidationError(AccessmapError, ValueError):
    """Input data or options are invalid (unknown code, missing column, negative count...)."""


class MissingDataError(AccessmapError, FileNotFoundError):
    """A required input cannot be found (no mirror file, no cache entry, no table in the store)."""


class OfflineError(MissingDataError):
    """An input would have to be downloaded, but downloads are disabled or impossible."""


class GraphError(AccessmapError):
    """A road graph is unusable: corrupt or empty file, no edges, no path where one is required."""


class SolverError(AccessmapError):
    """The MIP solver proved no optimum (infeasible, unbounded, time limit without incumbent)."""


def format_rows(rows: Iterable[object], *, limit: int = 10) -> str:
    """Format offending values or row labels for an error message.

    Parameters
    ----------
    rows
        The offending values (identifiers, row numbers...).
    limit
        How many to list before summarising the rest as ``(+N more)``.

    Returns
    -------
    str
        ``"a, b, c (+4 more)"``.
    """
    items = [str(r) for r in rows]
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += f" (+{len(items) - limit} more)"
    return shown
