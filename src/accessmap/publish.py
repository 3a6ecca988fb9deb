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
and is then delivered; one arriving after the commit is dropped (the run is published).

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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from accessmap.errors import ValidationError

if TYPE_CHECKING:
    from types import FrameType

    from accessmap.store import Store

__all__ = [
    "PUBLICATIONS_TABLE",
    "check_output_folder",
    "publish",
    "recover",
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


def _remove(folder: Path) -> None:
    """Delete a folder: renamed to a ``-discard-`` name first, so a kill leaves no half folder."""
    if not folder.exists():
        return
    discard = _sibling(folder, _DISCARD, secrets.token_hex(6))
    if folder.name.startswith("."):  # a sibling of the target: keep the target's name visible
        discard = folder.with_name(f"{folder.name}{_DISCARD}{secrets.token_hex(3)}")
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

    saved = {sig: signal.signal(sig, hold) for sig in _HELD_SIGNALS}
    try:
        yield received
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)


def _deliver(received: list[int]) -> None:
    """Deliver held signals to their real handlers (Ctrl-C raises ``KeyboardInterrupt``)."""
    for sig in dict.fromkeys(received):
        signal.raise_signal(sig)


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
        raise ValidationError(
            f"{target} is the store itself.", field="--out", fix="give a folder for the report."
        )
    if target.exists() and not target.is_dir():
        raise ValidationError(
            f"{target} is a file, not a folder.", field="--out", fix="give a folder path."
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        probe = target.parent / f".{target.name}-probe-{secrets.token_hex(4)}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ValidationError(
            f"cannot write in {target.parent} ({exc.strerror}).",
            field="--out",
            fix="choose a folder you can write to, with free space.",
        ) from None
    return target


