"""The one French message catalogue: every sentence a reader sees, rendered from a code.

Domain code never writes a sentence. It raises an error or records a note as a **code plus
parameters** (``ValidationError("territory.unknown_codes", field="codes", codes=[...])``,
``Message("roster.illustrative_ages", seed=0, year=2026)``); this package renders them in
French for the CLI, the report and the notebooks alike. Codes are dotted (``area.what``);
each has one :class:`Entry`: the French sentence and, for errors, the French fix.

The entries are kept in one module per area (``fr_*.py``) so that each part of the code base
declares its own wording; :data:`CATALOGUE` merges them and refuses a code declared twice.
``tests/test_messages.py`` checks that every code used in ``src/`` has its entry.

Parameters are formatted the French way when rendered (:func:`format_param`): numbers with a
decimal comma and narrow no-break spaces, sequences as ``a, b, c (+4 autres)``, booleans as
``oui``/``non``, a nested :class:`Message` as its own sentence.

References
----------
The pattern follows gettext's catalogues (a message id, its translation, parameters substituted at
rendering time) without the English source text: the code is the id.
"""

from __future__ import annotations

import math
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from types import MappingProxyType
from typing import Any

from accessmap.messages import (
    fr_cli,
    fr_core,
    fr_diagnostic,
    fr_indicators,
    fr_inputs,
    fr_network,
    fr_options,
    fr_report,
    fr_roads,
    fr_siting,
    fr_sources,
    fr_workforce,
)
from accessmap.messages.entry import Entry
from accessmap.messages.formats import fmt_float, fmt_int, is_missing

__all__ = [
    "CATALOGUE",
    "AccessmapWarning",
    "Entry",
    "Message",
    "format_param",
    "format_rows",
    "render",
    "render_fix",
    "warn",
]

_AREAS = (
    fr_core,
    fr_sources,
    fr_inputs,
    fr_network,
    fr_roads,
    fr_indicators,
    fr_siting,
    fr_workforce,
    fr_options,
    fr_diagnostic,
    fr_report,
    fr_cli,
)


def _merge(areas: Iterable[Any]) -> Mapping[str, Entry]:
    merged: dict[str, Entry] = {}
    for area in areas:
        for code, entry in area.ENTRIES.items():
            if code in merged:
                msg = f"message code {code!r} is declared twice (in {area.__name__})"
                raise RuntimeError(msg)
            merged[code] = entry
    return MappingProxyType(merged)


#: Every message code and its French wording (read-only).
CATALOGUE: Mapping[str, Entry] = _merge(_AREAS)


def format_rows(rows: Iterable[object], *, limit: int = 10) -> str:
    """Format offending values for a message: ``"a, b, c (+4 autres)"``.

    Parameters
    ----------
    rows
        The values (identifiers, row numbers...), each formatted by :func:`format_param`.
    limit
        How many to list before summarising the rest.

    Returns
    -------
    str
        The values separated by commas, ``(aucun)`` when there are none.
    """
    items = [format_param(r) for r in rows]
    if not items:
        return "(aucun)"
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += f" (+{len(items) - limit} autres)"
    return shown


def format_param(value: Any) -> str:
    """Format one message parameter the French way.

    Parameters
    ----------
    value
        A number (integers without decimals, floats with up to 2 significant decimals), a
        boolean, a path (kept as written), a sequence or set (:func:`format_rows`), a
        :class:`Message` (rendered) or anything else (``str``).

    Returns
    -------
    str
    """
    if isinstance(value, Message):
        return str(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return fmt_int(value) if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return _format_float(value)
    if isinstance(value, str | PurePath):
        return str(value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k} : {format_param(v)}" for k, v in value.items())
    if isinstance(value, set | frozenset):
        return format_rows(sorted(value, key=str))
    if isinstance(value, Sequence) or hasattr(value, "__iter__"):
        return format_rows(list(value))
    return str(value)


def _format_float(value: float) -> str:
    if is_missing(value):
        return "non défini"
    if math.isinf(value):
        return "l'infini" if value > 0 else "moins l'infini"
    if value == round(value) and abs(value) < 1e15:
        return fmt_int(value) if abs(value) >= 10_000 else str(round(value))
    digits = 2 if abs(value) < 100 else 1
    text = fmt_float(value, digits)
    return text.rstrip("0").rstrip(",") if "," in text else text


class _Params(dict[str, str]):
    """Formatted parameters; a missing one shows as ``{name}`` instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, params: Mapping[str, Any]) -> str:
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    values = _Params({k: format_param(params[k]) for k in names if k in params})
    return template.format_map(values)


def render(code: str, params: Mapping[str, Any] | None = None) -> str:
    """Render a message code in French.

    Parameters
    ----------
    code
        A key of :data:`CATALOGUE`.
    params
        Values for the placeholders of its sentence.

    Returns
    -------
    str
        The French sentence. An unknown code (a programming error, caught by the test of the
        catalogue) is returned as it is, with its parameters.
    """
    entry = CATALOGUE.get(code)
    params = params or {}
    if entry is None:
        shown = ", ".join(f"{k}={format_param(v)}" for k, v in params.items())
        return f"{code} ({shown})" if shown else code
    return _fill(entry.text, params)


def render_fix(code: str, params: Mapping[str, Any] | None = None) -> str | None:
    """Render the French fix of an error code (``None`` when the entry has none).

    Parameters
    ----------
    code
        A key of :data:`CATALOGUE`.
    params
        Values for the placeholders.

    Returns
    -------
    str or None
    """
    entry = CATALOGUE.get(code)
    if entry is None or entry.fix is None:
        return None
    return _fill(entry.fix, params or {})


@dataclass(frozen=True, slots=True)
class Message:
    """A note, caveat or warning as a code plus parameters; ``str()`` renders it in French.

    Parameters
    ----------
    code
        A key of :data:`CATALOGUE`.
    params
        The values its sentence needs (keyword arguments).

    Examples
    --------
    >>> str(Message("core.example", count=3))  # doctest: +SKIP
    '3 exemples'
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, code: str, /, **params: Any) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "params", MappingProxyType(dict(params)))

    def __str__(self) -> str:
        return render(self.code, self.params)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_message, (self.code, dict(self.params)))

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return self.code == other.code and dict(self.params) == dict(other.params)


def _message(code: str, params: dict[str, Any]) -> Message:
    return Message(code, **params)


class AccessmapWarning(UserWarning):
    """A warning of accessmap: its text is the French rendering of a :class:`Message`.

    Parameters
    ----------
    message
        The code and parameters.
    """

    def __init__(self, message: Message) -> None:
        self.note = message
        super().__init__(str(message))


def warn(code: str, /, *, stacklevel: int = 2, **params: Any) -> None:
    """Emit an :class:`AccessmapWarning` for a message code.

    Parameters
    ----------
    code
        A key of :data:`CATALOGUE`.
    stacklevel
        As for :func:`warnings.warn` (2: the caller's caller).
    **params
        The values its sentence needs.
    """
    import warnings

    warnings.warn(AccessmapWarning(Message(code, **params)), stacklevel=stacklevel + 1)
