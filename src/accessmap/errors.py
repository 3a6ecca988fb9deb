"""Errors raised by accessmap.

Every error the library raises on purpose is an :class:`AccessmapError`. Each one carries a
message **code** of the French catalogue (:mod:`accessmap.messages`), the offending **field** (a
column, an option, a file, an identifier) and the **parameters** its sentence needs; the catalogue
renders what is wrong and how to fix it, so that the CLI, the report and a notebook print the same
French line (the CLI: exit code 2, no traceback).

The hierarchy follows r5py's ``util/exceptions.py`` and osmnx's ``_errors.py``: one base
class, a few subclasses callers can catch by meaning.

Examples
--------
>>> raise ValidationError("territory.unknown_codes", field="codes", codes=["99999"])
Traceback (most recent call last):
...
accessmap.errors.ValidationError: codes : ...
"""

from __future__ import annotations

from typing import Any

from accessmap.messages import CATALOGUE, format_rows, render, render_fix

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
    code
        A code of the message catalogue (:data:`accessmap.messages.CATALOGUE`).
    field
        The offending field: a column, an option, a file path or an identifier.
    **params
        The values the catalogue's sentence and fix need.

    Attributes
    ----------
    code, field, params
        As given.
    message
        What is wrong, rendered in French.
    fix
        How to fix it, rendered in French (``None`` when the entry has no fix).
    """

    def __init__(self, code: str, /, *, field: str | None = None, **params: Any) -> None:
        self.code = code
        self.field = field
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        """What is wrong, in French."""
        if self.code not in CATALOGUE:  # not yet in the catalogue: a programming error
            return self.code
        return render(self.code, self._fields())

    @property
    def fix(self) -> str | None:
        """How to fix it, in French (``None`` when the catalogue gives no fix)."""
        if self.code not in CATALOGUE:  # not yet in the catalogue: a programming error
            fix = self.params.get("fix")
            return None if fix is None else str(fix)
        return render_fix(self.code, self._fields())

    def _fields(self) -> dict[str, Any]:
        return {"field": self.field, **self.params}

    def __str__(self) -> str:
        text = f"{self.field} : {self.message}" if self.field else self.message
        fix = self.fix
        if fix:
            text = f"{text} Correctif : {fix}"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.code, self.field, self.params))


def _rebuild(
    cls: type[AccessmapError], code: str, field: str | None, params: dict[str, Any]
) -> AccessmapError:
    return cls(code, field=field, **params)


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
