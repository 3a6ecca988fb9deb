"""An ordered registry of named entries: what the siting models, measures and territory kinds share.

Each registry (:mod:`accessmap.siting.registry`, :mod:`accessmap.indicators.registry`,
:mod:`accessmap.inputs.territory`) keeps its entries in one :class:`Registry`: a read-only live
view by name (:attr:`Registry.view`), registration in order (or before another entry), removal,
and a context manager for tests and notebooks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType
from typing import Generic, Protocol, TypeVar

__all__ = ["Named", "Registry"]


class Named(Protocol):
    """An entry of a registry: it has a name."""

    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


class Registry(Generic[T]):
    """Entries by name, in registration order.

    Parameters
    ----------
    what
        What an entry is, for error messages (``siting model``).
    entries
        The built-in entries, in order.
    check
        Called with a new entry and the current entries before it is added (raises to refuse it).
    """

    def __init__(
        self,
        what: str,
        entries: Iterable[T],
        *,
        check: Callable[[T, Mapping[str, T]], None] | None = None,
    ) -> None:
        self._what = what
        self._entries: dict[str, T] = {entry.name: entry for entry in entries}
        self._check = check
        self.view: Mapping[str, T] = MappingProxyType(self._entries)

    def values(self) -> tuple[T, ...]:
        """Every entry, in order."""
        return tuple(self._entries.values())

    def register(self, entry: T, *, before: str | None = None, replace: bool = False) -> T:
        """Add ``entry`` (at the end, or just before the entry named ``before``).

        Parameters
        ----------
        entry
            The new entry.
        before
            Name of the entry it goes before; ignored when it replaces an entry (place kept).
        replace
            Replace an entry of the same name.

        Returns
        -------
        T
            ``entry``.

        Raises
        ------
        ValueError
            The name is taken and ``replace`` is false, or ``check`` refuses the entry.
        KeyError
            ``before`` names no entry.
        """
        if entry.name in self._entries and not replace:
            msg = f"{self._what} {entry.name!r} is already registered"
            raise ValueError(msg)
        if self._check is not None:
            others = {k: v for k, v in self._entries.items() if k != entry.name}
            self._check(entry, others)
        if before is None or entry.name in self._entries:
            self._entries[entry.name] = entry
            return entry
        if before not in self._entries:
            raise KeyError(before)
        items = list(self._entries.items())
        items.insert(list(self._entries).index(before), (entry.name, entry))
        self._entries.clear()
        self._entries.update(items)
        return entry

    def unregister(self, name: str) -> T:
        """Remove and return the entry called ``name`` (``KeyError`` when there is none)."""
        return self._entries.pop(name)

    @contextmanager
    def registered(self, entry: T, *, before: str | None = None) -> Iterator[T]:
        """Register ``entry`` for the duration of a ``with`` block."""
        self.register(entry, before=before)
        try:
            yield entry
        finally:
            self._entries.pop(entry.name, None)
