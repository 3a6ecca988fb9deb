"""Publish a run's outputs all at once: the report folder and the store, both or neither.

Order (see ``docs/architecture.md``, "Publication"):

1. compute everything in memory;
2. write the whole report into a staging folder beside the target
   (``reports/.<name>-staging-<random>``);
3. open a store transaction and write every result table;
4. swap the folders: the current report is renamed aside (``.<name>-previous-<random>``), the
   staging folder takes its name;
5. commit the store transaction; if the commit fails, the previous report is put back and the
   error is raised, so the store and the report never disagree;
6. delete the previous report.

A run killed at any point leaves either the previous state or the new one; what it left behind
(staging or previous folders) is cleaned, or restored, by :func:`recover` at the start of the next
run.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from accessmap.errors import ValidationError

__all__ = ["check_output_folder", "publish", "recover", "staging_folder"]

_STAGING = "-staging-"
_PREVIOUS = "-previous-"


def _siblings(target: Path, marker: str) -> list[Path]:
    if not target.parent.is_dir():
        return []
    return sorted(target.parent.glob(f".{target.name}{marker}*"))


def recover(target: Path) -> list[str]:
    """Clean what an interrupted run left beside ``target``; restore a report moved aside.

    Parameters
    ----------
    target
        The report folder (``reports/<name>``).

    Returns
    -------
    list of str
        What was done, in French (for notes).
    """
    done: list[str] = []
    previous = _siblings(target, _PREVIOUS)
    if previous and not target.exists():
        previous[-1].rename(target)
        done.append(f"rapport précédent restauré ({target.name})")
        previous = previous[:-1]
    for folder in [*previous, *_siblings(target, _STAGING)]:
        shutil.rmtree(folder, ignore_errors=True)
        done.append(f"dossier temporaire supprimé ({folder.name})")
    return done


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


@contextlib.contextmanager
def staging_folder(target: Path) -> Iterator[Path]:
    """Create a fresh staging folder beside ``target``, removed unless it was published.

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
    stage = target.parent / f".{target.name}{_STAGING}{secrets.token_hex(6)}"
    stage.mkdir()
    try:
        yield stage
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


def publish(stage: Path, target: Path, *, commit: Callable[[], None]) -> None:
    """Swap ``stage`` into ``target`` and ``commit`` the store: both or neither.

    Parameters
    ----------
    stage
        A complete report folder (from :func:`staging_folder`).
    target
        The report folder to replace (may not exist yet).
    commit
        Commits the store transaction holding the same run's results; called after the swap.
        If it raises, the previous report is put back before the error propagates.
    """
    previous = target.parent / f".{target.name}{_PREVIOUS}{secrets.token_hex(6)}"
    had_previous = target.exists()
    if had_previous:
        target.rename(previous)
    try:
        stage.rename(target)
    except BaseException:
        if had_previous:
            previous.rename(target)
        raise
    try:
        commit()
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        if had_previous:
            previous.rename(target)
        raise
    if had_previous:
        shutil.rmtree(previous, ignore_errors=True)
