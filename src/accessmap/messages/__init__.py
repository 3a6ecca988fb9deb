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

import contextlib
import math
import numbers
import re
import string
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from types import MappingProxyType
from typing import Any

from accessmap.messages import (
    fr_cli,
    fr_core,
    fr_decisions,
    fr_diagnostic,
    fr_indicators,
    fr_inputs,
    fr_measures,
    fr_network,
    fr_options,
    fr_parks,
    fr_report,
    fr_roads,
    fr_simulator,
    fr_siting,
    fr_sources,
    fr_territory,
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
    "merged_notes",
    "muted",
    "render",
    "render_fix",
    "warn",
]

_AREAS = (
    fr_core,
    fr_sources,
    fr_inputs,
    fr_territory,
    fr_parks,
    fr_network,
    fr_roads,
    fr_indicators,
    fr_measures,
    fr_siting,
    fr_workforce,
    fr_options,
    fr_diagnostic,
    fr_decisions,
    fr_report,
    fr_simulator,
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


def format_rows(rows: Iterable[object], *, limit: int = 10, name: str = "") -> str:
    """Format offending values for a message: ``"a, b, c (+4 autres)"``.

    Parameters
    ----------
    rows
        The values (identifiers, row numbers...), each formatted by :func:`format_param`.
    limit
        How many to list before summarising the rest.
    name
        The parameter's name, passed to each value (``years``: years without separators).

    Returns
    -------
    str
        The values separated by commas, ``(aucun)`` when there are none.
    """
    values = list(rows)
    items = [format_param(r, name=name) for r in values]
    if not items:
        return "(aucun)"
    sentences = any(isinstance(r, Message) for r in values)
    shown = (" ; " if sentences else ", ").join(items[:limit])
    if len(items) > limit:
        shown += f" (+{len(items) - limit} autres)"
    return shown


def format_param(value: Any, *, name: str = "") -> str:
    """Format one message parameter the French way.

    Parameters
    ----------
    value
        A number (integers with narrow no-break spaces between thousands, floats with up to 2
        significant decimals), a boolean, a path (kept as written), a sequence or set
        (:func:`format_rows`; sentences joined with « ; »), a :class:`Message` (rendered) or
        anything else (``str``).
    name
        The parameter's name: a year (a name such as ``year``, ``start_year``, ``start``,
        ``end``, ``first``, ``last``, ``vintage``) is written without a thousands separator.

    Returns
    -------
    str
    """
    if _YEAR_NAME.search(name) and isinstance(value, numbers.Real) and float(value).is_integer():
        return str(int(float(value)))
    for kinds, formatter in _FORMATTERS:
        if isinstance(value, kinds):
            return formatter(value)
    if hasattr(value, "__iter__"):
        return format_rows(list(value), name=name)
    return str(value)


def _format_bool(value: bool) -> str:
    return "oui" if value else "non"


def _format_mapping(value: Mapping[Any, Any]) -> str:
    return ", ".join(f"{k} : {format_param(v)}" for k, v in value.items())


def _format_set(value: set[Any] | frozenset[Any]) -> str:
    return format_rows(sorted(value, key=str))


def _format_float(value: float) -> str:
    if is_missing(value):
        return "non défini"
    if math.isinf(value):
        return "l'infini" if value > 0 else "moins l'infini"
    if value == round(value) and abs(value) < 1e15:
        return fmt_int(value)
    digits = 2 if abs(value) < 100 else 1
    text = fmt_float(value, digits)
    return text.rstrip("0").rstrip(",") if "," in text else text


#: Parameter names that hold a year (written ``2036``, never ``2 036``).
_YEAR_NAME = re.compile(r"year|start|end|first|last|early|late|vintage")


class _Params(dict[str, str]):
    """Formatted parameters; a missing one shows as ``{name}`` instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, params: Mapping[str, Any]) -> str:
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    values = _Params({k: format_param(params[k], name=k) for k in names if k in params})
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


#: How each kind of parameter is written (the first matching kind wins: bool before int).
_FORMATTERS: tuple[tuple[type | tuple[type, ...], Callable[[Any], str]], ...] = (
    (Message, str),
    (bool, _format_bool),
    (numbers.Integral, fmt_int),
    (numbers.Real, _format_float),
    ((str, PurePath), str),
    (Mapping, _format_mapping),
    ((set, frozenset), _format_set),
)


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
    warnings.warn(AccessmapWarning(Message(code, **params)), stacklevel=stacklevel + 1)


def merged_notes(notes: Iterable[Message]) -> list[Message]:
    """Return the notes once each, those about lists of things merged, in first-seen order.

    Several steps may note the same fact about overlapping sets (the points far from the roads
    of each travel-time table of a run): notes whose code has a ``merged`` parameter
    (:class:`~accessmap.messages.entry.Entry`) and whose other parameters are equal become one
    note over the union of their lists, ``count`` its length. Other notes are kept once each.

    Parameters
    ----------
    notes
        The notes, in the order they were given.

    Returns
    -------
    list of Message
    """
    out: dict[Any, Message] = {}
    for note in notes:
        entry = CATALOGUE.get(note.code)
        name = entry.merged if entry is not None else None
        if name is None or not isinstance(note.params.get(name), list | tuple):
            out.setdefault(note, note)
            continue
        same = {k: v for k, v in note.params.items() if k not in {name, "count"}}
        rest = Message(note.code, **same)  # what notes merged together share
        first = out.get(rest)
        items = list(note.params[name]) if first is None else list(
            dict.fromkeys([*first.params[name], *note.params[name]])
        )  # fmt: skip
        params = {**note.params, name: items}
        if "count" in params:
            params["count"] = len(items)
        out[rest] = Message(note.code, **params)
    return list(out.values())


@contextlib.contextmanager
def muted(*codes: str) -> Iterator[None]:
    """Drop the warnings of these catalogue codes raised inside; give the others as they came.

    For a caller that states the same fact once, for what it keeps: the input layer reads every
    department around a territory to find its buffer, then warns about the town halls moved among
    the communes it kept, not about each department read.

    Parameters
    ----------
    *codes
        Keys of :data:`CATALOGUE` whose :class:`AccessmapWarning` are dropped.

    Yields
    ------
    None
    """
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
    finally:  # the others given again outside, to the caller's filters and recorders
        for item in caught:
            note = item.message
            if isinstance(note, AccessmapWarning) and note.note.code in codes:
                continue
            warnings.warn_explicit(note, item.category, item.filename, item.lineno)
