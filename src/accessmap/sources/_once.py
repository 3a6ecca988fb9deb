"""One read per input per run: a scope inside which every loader keeps what it has read.

A diagnostic reads the same files several times over (the main table, the activity calibration
over whole departments, every other profession): inside :func:`read_once`, a loader wrapped in
:func:`once` reads and parses its file the first time and hands the same object back afterwards.
Outside the scope nothing is kept (a long-lived notebook never holds stale tables). Objects handed
back are shared: callers treat them as read-only, as they already do.
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterator

__all__ = ["READS", "forget_reads", "once", "once_recorded", "read_once"]

T = TypeVar("T")

_SCOPE: ContextVar[dict[Hashable, Any] | None] = ContextVar("accessmap_read_once", default=None)

#: How many times each kind of input was read and parsed (successfully) in this process (the first
#: element of the key given to :func:`once`); tests and benchmarks read it.
READS: Counter[str] = Counter()


@contextmanager
def read_once() -> Iterator[None]:
    """Open a scope in which each input is read once (nested scopes share the outer one).

    Yields
    ------
    None
    """
    if _SCOPE.get() is not None:
        yield
        return
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def forget_reads() -> None:
    """Drop what the current scope holds (no scope: nothing to do); the scope stays open.

    A run calls it once its computation is done and only writing remains: the inputs it read
    (communes of every department, the road network...) then free their memory for the report
    and the store instead of adding to it. A later read in the same scope reads its file again.
    """
    scope = _SCOPE.get()
    if scope is not None:
        scope.clear()


def once(key: tuple[Hashable, ...], load: Callable[[], T]) -> T:
    """Return what ``load()`` gives, read once per :func:`read_once` scope.

    Parameters
    ----------
    key
        What is read: its kind first (``"roads"``, ``"communes"``...), then what tells two reads
        apart (path, modification time, options).
    load
        Reads and parses the input.

    Returns
    -------
    object
        The same object for the same key within a scope; a fresh read outside any scope.
    """
    scope = _SCOPE.get()
    if scope is not None and key in scope:
        cached: T = scope[key]
        return cached
    value = load()
    READS[str(key[0])] += 1
    if scope is not None:
        scope[key] = value
    return value


def once_recorded(
    key: tuple[Hashable, ...], load: Callable[[list[Any]], T], provenance: list[Any] | None
) -> T:
    """Like :func:`once`, for a loader that records the files it reads.

    Parameters
    ----------
    key
        As for :func:`once`.
    load
        Reads and parses the input, appending the records of the files read to its argument.
    provenance
        Receives those records on every call (read or not).

    Returns
    -------
    object
        As for :func:`once`.
    """

    def records() -> tuple[T, list[Any]]:
        read: list[Any] = []
        return load(read), read

    value, read = once(key, records)
    if provenance is not None:
        provenance.extend(read)
    return value
