"""Publish a run's outputs all at once: the report folder and the store, both or neither.

Order (see ``docs/architecture.md``, "Publication"):

1. compute everything in memory;
2. write the whole report into a staging folder beside the target
   (``reports/.<name>-staging-<token>``);
3. open a store transaction and write every result table, plus one row of the ``publications``
   table naming the token;
4. write a journal (``reports/.<name>-publishing-<token>.json``: the token, the store, whether a
   report existed), then swap the folders: the current report is renamed aside
   (``.<name>-previous-<token>``), the staging folder takes its name;
5. commit the store transaction; if anything fails (or Ctrl-C arrived) before the commit, the
   previous report is put back and the error is raised, so the store and the report never
   disagree;
6. delete the previous report and the journal.

Ctrl-C and SIGTERM are held during steps 4 to 6: one arriving before the commit undoes the swap
and is then delivered; one arriving after the commit is returned to the caller, which says the run
was published and then delivers it (exit 130 or 143).

Before the swap a file beside the store (``.<store>-publishing-<token>.json``) names the report
folder: every opening of the store (:func:`settle`, called by
:meth:`accessmap.store.Store.open`) settles such a publication before reading or writing.

A run killed at any point leaves either the previous state or the new one plus leftovers;
:func:`recover`, at the start of the next run, reads each journal and asks the store whether its
token was committed: if so, it finishes the publication (removes the previous report), otherwise it
puts the previous report back. Staging folders without a journal are removed.
"""

from __future__ import annotations

import contextlib
import glob
import json
import secrets
import shutil
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from accessmap.errors import MissingDataError, ValidationError
from accessmap.messages import Message

if TYPE_CHECKING:
    from types import FrameType


class Store(Protocol):
    """What publication needs of :class:`accessmap.store.Store`.

    Not imported: the store settles publications when it opens, so it imports this module.
    """

    path: Path | str

    def execute(self, query: str, parameters: Sequence[object] | None = None) -> None:
        """Run one SQL statement in the store's open transaction."""
        ...


__all__ = [
    "PUBLICATIONS_TABLE",
    "check_free_space",
    "check_output_folder",
    "deliver_signals",
    "lock_path",
    "publish",
    "recover",
    "report_lock",
    "settle",
    "signals_held",
    "staging_folder",
]

#: Store table with one row per published report (token, report folder, time).
PUBLICATIONS_TABLE = "publications"
_STAGING = "-staging-"
_PREVIOUS = "-previous-"
_DISCARD = "-discard-"
_JOURNAL = "-publishing-"
_HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _siblings(target: Path, marker: str) -> list[Path]:
    if not target.parent.is_dir():
        return []
    return sorted(target.parent.glob(f".{glob.escape(target.name)}{marker}*"))


def _sibling(target: Path, marker: str, token: str, suffix: str = "") -> Path:
    return target.parent / f".{target.name}{marker}{token}{suffix}"


def _remove(folder: Path, target: Path) -> None:
    """Delete a folder beside ``target``, renamed first so that a kill leaves no half folder."""
    if not folder.exists():
        return
    discard = _sibling(target, _DISCARD, secrets.token_hex(6))
    folder.rename(discard)
    shutil.rmtree(discard, ignore_errors=True)


@contextlib.contextmanager
def signals_held() -> Iterator[list[int]]:
    """Hold Ctrl-C (SIGINT) and SIGTERM: record them instead of running their handlers.

    Outside the main thread signals cannot be handled, and nothing is changed.

    Yields
    ------
    list of int
        The signals received while held, in order (filled as they arrive).
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def hold(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
        received.append(signum)

    saved = {
        sig: signal.signal(sig, hold)
        for sig in _HELD_SIGNALS
        if signal.getsignal(sig) is not signal.SIG_IGN
    }
    try:
        yield received
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)


def deliver_signals(received: list[int]) -> None:
    """Deliver held signals to their real handlers (Ctrl-C raises ``KeyboardInterrupt``).

    Parameters
    ----------
    received
        The signals :func:`signals_held` recorded.
    """
    for sig in dict.fromkeys(received):
        signal.raise_signal(sig)


def lock_path(target: Path) -> Path:
    """Return the lock file of a report folder or a store file: ``.<name>.lock`` beside it.

    It lives with what it protects, not in the temporary folder: runs with different ``TMPDIR``
    (another user, a container) still see each other.

    Parameters
    ----------
    target
        The report folder or the store file.

    Returns
    -------
    pathlib.Path
    """
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def _flock(target: Path, *, store: bool = False, optional: bool = False) -> Iterator[bool]:
    """Hold an OS advisory lock (``fcntl.flock``) on ``target``'s lock file; yield whether held.

    A lock held elsewhere raises ``ValidationError`` (the folder's, or with ``store=True`` the
    store's), or, with ``optional=True`` (used by :func:`settle`), yields ``False`` at once.
    """
    import fcntl

    target.parent.mkdir(parents=True, exist_ok=True)
    with lock_path(target).open("a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if optional:
                yield False
                return
            if store:
                raise ValidationError(
                    "publish.store_locked", field="--store", name=target.name
                ) from None
            raise ValidationError(
                "publish.folder_locked", field="--out", name=target.name
            ) from None
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextlib.contextmanager
def report_lock(target: Path, *, store: Path | str | None = None) -> Iterator[None]:
    """Hold a lock on the report folder (and on the store) for a whole run.

    Without it, a second run on the same folder (with another store) could clean the first run's
    live staging folder in :func:`recover`, or publish over it. The locks are OS advisory locks
    (``fcntl.flock``) on ``.<name>.lock`` files beside the folder and beside the store, released
    when the process ends, even when it is killed.

    Parameters
    ----------
    target
        The report folder.
    store
        The store file (``None`` or ``":memory:"``: no store lock).

    Yields
    ------
    None

    Raises
    ------
    ValidationError
        Another run holds the folder or the store.
    """
    with contextlib.ExitStack() as stack:
        stack.enter_context(_flock(target))
        if store is not None and str(store) != ":memory:":
            stack.enter_context(_flock(Path(store), store=True))
        yield


def check_output_folder(target: Path, *, store_path: Path | None = None) -> Path:
    """Check, before any computation, that the report folder can be written.

    Parameters
    ----------
    target
        The report folder.
    store_path
        The store file: the report folder must not be it.

    Returns
    -------
    pathlib.Path
        ``target``.

    Raises
    ------
    ValidationError
        The target is a file, the store, or its parent cannot be created or written.
    """
    if store_path is not None and target.resolve() == Path(store_path).resolve():
        raise ValidationError("publish.out_is_store", field="--out", name=target.name)
    if target.exists() and not target.is_dir():
        raise ValidationError("publish.out_is_file", field="--out", name=target.name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        probe = target.parent / f".{target.name}-probe-{secrets.token_hex(4)}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ValidationError(
            "publish.cannot_write", field="--out", name=target.parent.name, detail=exc.strerror
        ) from None
    return target


#: Space a report needs: a fixed part (HTML, charts, dictionary) and a part per commune (maps,
#: GeoPackage layers, tables), counted twice (the staging folder beside the previous report).
_BASE_MB = 20.0
_PER_COMMUNE_MB = 0.1


def check_free_space(target: Path, *, communes: int) -> float:
    """Check that the report folder's disk can hold the report (estimated from its size).

    Parameters
    ----------
    target
        The report folder.
    communes
        How many communes the report covers (territory and buffer).

    Returns
    -------
    float
        The space needed, in MB.

    Raises
    ------
    ValidationError
        Less space is free than needed (the message names the folder and both amounts).
    """
    needed = 2 * (_BASE_MB + _PER_COMMUNE_MB * max(communes, 0))
    parent = target.parent if target.parent.is_dir() else Path.cwd()
    free = shutil.disk_usage(parent).free / 1e6
    if free < needed:
        raise ValidationError(
            "publish.no_space", field="--out", path=str(parent), free_mb=round(free),
            needed_mb=round(needed),
        )  # fmt: skip
    return needed


def _store_pointer(store_path: str, token: str) -> Path | None:
    """Return the file beside the store naming the report folder of a publication under way."""
    if store_path == ":memory:":
        return None
    store = Path(store_path)
    return store.parent / f".{store.name}{_JOURNAL}{token}.json"


def settle(store_path: Path | str) -> list[str]:
    """Settle every publication into the store that a killed run left unfinished.

    :func:`publish` writes, beside the store, a file naming the report folder before it swaps
    anything. Every opening of the store (:meth:`accessmap.store.Store.open`: each command,
    ``accessmap check``, the notebooks) calls this first, so that whatever reads the store next
    sees it agree with its report folder: :func:`recover` is run on each such folder whose lock is
    free (a folder locked by a live run is left to it).

    Parameters
    ----------
    store_path
        The store file.

    Returns
    -------
    list of str
        What was done, in French.
    """
    store = Path(store_path)
    if str(store_path) == ":memory:" or not store.parent.is_dir():
        return []
    done: list[str] = []
    for pointer in sorted(store.parent.glob(f".{glob.escape(store.name)}{_JOURNAL}*.json")):
        try:
            report = Path(json.loads(pointer.read_text(encoding="utf-8"))["report"])
        except (OSError, ValueError, KeyError, TypeError):  # killed while writing it
            pointer.unlink(missing_ok=True)
            continue
        with _flock(report, optional=True) as held:
            if held:
                done += recover(report)
                pointer.unlink(missing_ok=True)
    return done


def _committed(store_path: str, token: str) -> bool:
    """Whether the store at ``store_path`` committed the publication ``token``.

    Read with DuckDB alone (``publications`` holds no geometry), not through
    :class:`accessmap.store.Store`, whose opening calls :func:`settle`.
    """
    import duckdb

    if store_path == ":memory:" or not Path(store_path).is_file():
        return False
    try:
        con = duckdb.connect(store_path, read_only=True)
    except duckdb.Error as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        name = Path(store_path).name
        raise MissingDataError(
            "store.cannot_open", field="--store", name=name, detail=detail.replace(store_path, name)
        ) from None
    try:
        found = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
            [PUBLICATIONS_TABLE],
        ).fetchone()
        if not (found and found[0]):
            return False
        rows = con.execute(
            f"SELECT count(*) FROM {PUBLICATIONS_TABLE} WHERE token = ?", [token]
        ).fetchone()
    finally:
        con.close()
    return bool(rows and rows[0])


def _read_journal(journal: Path) -> tuple[str, str, bool] | None:
    try:
        info = json.loads(journal.read_text(encoding="utf-8"))
        return str(info["token"]), str(info["store"]), bool(info["had_previous"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _unlink_pointer(store_path: str, token: str) -> None:
    pointer = _store_pointer(store_path, token)
    if pointer is not None:
        pointer.unlink(missing_ok=True)


def _finish(target: Path, journal: Path) -> str:
    """Bring one interrupted publication (its journal) to the previous or the new state."""
    read = _read_journal(journal)
    if read is None:  # killed while writing the journal: nothing was moved yet
        journal.unlink(missing_ok=True)
        return str(Message("publish.recovered_before_swap", name=target.name))
    token, store_path, had_previous = read
    stage = _sibling(target, _STAGING, token)
    previous = _sibling(target, _PREVIOUS, token)
    if _committed(store_path, token):
        _remove(previous, target)
        journal.unlink()
        _unlink_pointer(store_path, token)
        return str(Message("publish.recovered_completed", name=target.name))
    if stage.exists():  # the staged report never took the target's name
        if previous.exists() and not target.exists():
            previous.rename(target)
    elif not had_previous or previous.exists():  # the new report is in place, not committed
        _remove(target, target)
        if previous.exists():
            previous.rename(target)
    journal.unlink()
    _unlink_pointer(store_path, token)
    return str(Message("publish.recovered_undone", name=target.name))


def recover(target: Path) -> list[str]:
    """Finish or undo what an interrupted run left beside ``target``; remove leftovers.

    Each journal (``.<name>-publishing-<token>.json``) is settled by asking its store whether the
    token was committed: if so the new report stays and the previous one is deleted, otherwise the
    previous report is put back. Then staging and discarded folders are deleted, and a previous
    report without a journal is restored if the target is missing. Every step can itself be
    interrupted and rerun.

    Parameters
    ----------
    target
        The report folder (``reports/<name>``).

    Returns
    -------
    list of str
        What was done, in French (for notes).

    Raises
    ------
    MissingDataError
        The store named by a journal cannot be opened (another run uses it).
    """
    done = [_finish(target, journal) for journal in _siblings(target, _JOURNAL)]
    previous = _siblings(target, _PREVIOUS)
    if previous and not target.exists():
        previous[-1].rename(target)
        done.append(str(Message("publish.previous_restored", name=target.name)))
        previous = previous[:-1]
    # The report writer's own staging folders sit beside ours: ``..<name>-staging-<token>-...``.
    nested = _siblings(target.with_name(f".{target.name}"), _STAGING)
    for folder in [*previous, *_siblings(target, _STAGING), *nested, *_siblings(target, _DISCARD)]:
        shutil.rmtree(folder, ignore_errors=True)
        done.append(str(Message("publish.temporary_removed", name=folder.name)))
    return done


@contextlib.contextmanager
def staging_folder(target: Path) -> Iterator[Path]:
    """Create a fresh staging folder beside ``target``, removed unless it was published.

    Its name carries the publication token (``.<name>-staging-<token>``).

    Parameters
    ----------
    target
        The report folder the staging folder will replace.

    Yields
    ------
    pathlib.Path
        The staging folder (empty).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = _sibling(target, _STAGING, secrets.token_hex(6))
    try:  # created inside: a Ctrl-C right after mkdir must not leave it behind
        stage.mkdir()
        yield stage
    finally:
        # The report writer's own temporary folders (``..<name>-staging-<token>-staging-*``) too:
        # a Ctrl-C landing while one is created can leave it.
        for folder in [stage, *_siblings(stage, _STAGING)]:
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)


def _record(store: Store, token: str, target: Path) -> None:
    """Add the publication's row to the store's open transaction."""
    store.execute(
        f"CREATE TABLE IF NOT EXISTS {PUBLICATIONS_TABLE} "
        "(token VARCHAR, report VARCHAR, published_at TIMESTAMP)"
    )
    store.execute(
        f"INSERT INTO {PUBLICATIONS_TABLE} VALUES (?, ?, current_timestamp)",
        [token, str(target.resolve())],
    )


def _undo(target: Path, previous: Path, *, moved: bool) -> None:
    """Put the previous report back after a failed swap or commit."""
    if moved:
        _remove(target, target)
    if previous.exists():
        previous.rename(target)


def publish(stage: Path, target: Path, *, store: Store, commit: Callable[[], None]) -> list[int]:
    """Swap ``stage`` into ``target`` and ``commit`` the store: both or neither.

    Parameters
    ----------
    stage
        A complete report folder (from :func:`staging_folder`).
    target
        The report folder to replace (may not exist yet).
    store
        The store whose transaction (:meth:`accessmap.store.Store.staged`) holds the same run's
        results; the publication's row is added to it.
    commit
        Commits that transaction; called after the swap. If it raises, or Ctrl-C / SIGTERM
        arrived before it, the previous report is put back before the error propagates (the
        held signal is then delivered).

    Returns
    -------
    list of int
        The signals (Ctrl-C, SIGTERM) that arrived after the commit: the publication was finished
        regardless; the caller says so, then delivers them with :func:`deliver_signals`.

    Raises
    ------
    ValidationError
        ``stage`` is not a staging folder of ``target``.
    KeyboardInterrupt
        Ctrl-C (or SIGTERM through the CLI's handler) arrived before the commit; nothing was
        published.
    """
    prefix = f".{target.name}{_STAGING}"
    if stage.parent != target.parent or not stage.name.startswith(prefix):
        raise ValidationError(
            "publish.not_a_staging_folder", field="stage", stage=stage.name, target=target.name
        )
    token = stage.name.removeprefix(prefix)
    _record(store, token, target)
    previous = _sibling(target, _PREVIOUS, token)
    journal = _sibling(target, _JOURNAL, token, ".json")
    had_previous = target.exists()
    store_path = str(store.path)
    if store_path != ":memory:":  # the next run may start from another folder
        store_path = str(Path(store_path).resolve())
    pointer = _store_pointer(store_path, token)
    moved = committed = False
    with signals_held() as received:
        try:
            if pointer is not None:  # whoever opens the store next finds the report folder
                pointer.write_text(json.dumps({"report": str(target.resolve())}), encoding="utf-8")
            journal.write_text(
                json.dumps({"token": token, "store": store_path, "had_previous": had_previous}),
                encoding="utf-8",
            )
            if had_previous:
                target.rename(previous)
            stage.rename(target)
            moved = True
            if not received:
                commit()
                committed = True
        finally:  # signals arriving after the commit wait: the publication is finished first
            if committed:
                _remove(previous, target)
            else:
                _undo(target, previous, moved=moved)
            journal.unlink(missing_ok=True)
            if pointer is not None:
                pointer.unlink(missing_ok=True)
    if not committed:  # a held signal stopped the publication: deliver it
        deliver_signals(received)
        raise KeyboardInterrupt
    return list(received)
