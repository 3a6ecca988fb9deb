"""Results derived from many input files, kept in the cache folder for the next runs.

A parsed copy (:mod:`~accessmap.sources.communes`, the DREES workbook...) keeps one file's parse,
keyed by that file's hash. A derived result depends on many files and on the code that computed
it: the activity calibration over whole departments reads their communes, supply, published
APL and road network. It is kept under ``<cache_dir>/derived/``, one file per question
(``slot``), with the key of everything it was computed from (:func:`derived_key`: the question,
the package's code, the settings, the listing of the source folders) and the hash of each file
it read. It is handed back only when the key is the one asked and each of those files still has
the same bytes; anything else (absent, damaged, stale) is computed again and replaces it.

This is content-hash caching, as in r5py (its transport networks are kept under the hash of the
files they were built from). The kept file is a pickle written by accessmap into the user's own
cache folder, read back only by the same code (the key holds its digest).
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accessmap.sources.mirror import DATASETS
from accessmap.sources.osm import ROADS_FOLDER

__all__ = ["Kept", "code_digest", "derived_key", "keep", "kept", "source_listing"]

#: Format of a kept file (changes when its layout does).
FORMAT = 1
#: Folders of the mirror and of the cache that hold source files: each dataset's folder
#: (:data:`~accessmap.sources.mirror.DATASETS`) and the road files'; the cache's own folders
#: (``parsed``, ``derived``, ``http``) are not sources.
SOURCE_FOLDERS = tuple(
    sorted({d.relpath.split("/", 1)[0] for d in DATASETS.values()} | {ROADS_FOLDER})
)


@dataclass(frozen=True, slots=True)
class Kept:
    """A kept result and the hash of each file it was computed from.

    Attributes
    ----------
    value
        The result, as it was kept.
    files
        ``{path: sha256}`` of the files read to compute it.
    warnings
        The warnings its computation gave (category and message), to be given again.
    """

    value: Any
    files: Mapping[str, str]
    warnings: tuple[tuple[type[Warning], Any], ...] = ()


@functools.cache
def code_digest() -> str:
    """Return the hash of the package's Python sources (one per installed version of the code).

    Returns
    -------
    str
        Hexadecimal sha256 of every ``.py`` file of the package, by relative path.
    """
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def source_listing(
    *, mirror: Path | None, cache_dir: Path | None, extra: Sequence[Path] = ()
) -> list[str]:
    """List the source files a load may read: path, size and modification time of each.

    A file added to the mirror (a road file, a department) changes what a load reads without
    changing any file it read before: the listing is part of the key.

    Parameters
    ----------
    mirror
        The mirror folder: its :data:`SOURCE_FOLDERS` are listed.
    cache_dir
        The cache folder: its copies of the datasets are listed (road files are read from the
        mirror only; the cache's ``roads`` folder holds accessmap's own index of extents).
    extra
        Other files read (a user's road file).

    Returns
    -------
    list of str
        One line per file.
    """
    lines: list[str] = []
    datasets = tuple(folder for folder in SOURCE_FOLDERS if folder != ROADS_FOLDER)
    roots = (("mirror", mirror, SOURCE_FOLDERS), ("cache", cache_dir, datasets))
    for label, root, folders in roots:
        if root is None:
            continue
        for folder in folders:
            base = Path(root) / folder
            if not base.is_dir():
                continue
            for path in sorted(p for p in base.rglob("*") if p.is_file()):
                if path.name.endswith(".part"):  # a write under way
                    continue
                stat = path.stat()
                name = path.relative_to(root).as_posix()
                lines.append(f"{label}:{name}:{stat.st_size}:{stat.st_mtime_ns}")
    for path in extra:
        file = Path(path)
        if not file.is_file():  # the load says what is missing, in its own words
            lines.append(f"file:{file}:missing")
            continue
        stat = file.stat()
        lines.append(f"file:{file.resolve()}:{stat.st_size}:{stat.st_mtime_ns}")
    return lines


def derived_key(parts: Mapping[str, object]) -> str:
    """Return the hash of a question and of what its answer depends on.

    Parameters
    ----------
    parts
        Named parts (their ``repr`` is hashed, in the order of the names).

    Returns
    -------
    str
        Hexadecimal sha256.
    """
    digest = hashlib.sha256(f"accessmap-derived-{FORMAT}".encode())
    for name in sorted(parts):
        digest.update(f"\n{name}={parts[name]!r}".encode())
    return digest.hexdigest()


def _path(cache_dir: Path, kind: str, slot: str) -> Path:
    return cache_dir / "derived" / f"{kind}-{slot[:16]}.pkl"


def kept(cache_dir: Path, kind: str, *, slot: str, key: str) -> Kept | None:
    """Return the result kept for this question with this key, or ``None``.

    Parameters
    ----------
    cache_dir
        The cache folder.
    kind
        What is kept (``"calibration"``).
    slot
        The question's hash (one file per question).
    key
        :func:`derived_key` of the question and everything its answer depends on.

    Returns
    -------
    Kept or None
        ``None`` when nothing is kept, the file is damaged or it was computed from another key
        (the caller still checks the files' hashes).
    """
    path = _path(cache_dir, kind, slot)
    try:
        with path.open("rb") as handle:
            entry = pickle.load(handle)  # noqa: S301 (written by accessmap, checked by its key)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError,
            TypeError, IndexError, KeyError):  # fmt: skip
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
        return None
    files, given = entry.get("files"), entry.get("warnings")
    if not isinstance(files, dict) or not isinstance(given, tuple):
        return None
    return Kept(value=entry.get("value"), files=files, warnings=given)


def keep(
    cache_dir: Path,
    kind: str,
    *,
    slot: str,
    key: str,
    value: Any,
    files: Mapping[str, str],
    warnings: Sequence[tuple[type[Warning], Any]] = (),
) -> None:
    """Keep a result for the next runs (atomically; a read-only cache keeps nothing).

    Parameters
    ----------
    cache_dir, kind, slot, key
        As for :func:`kept`.
    value
        The result (picklable).
    files
        ``{path: sha256}`` of the files read to compute it.
    warnings
        The warnings its computation gave (category and message).
    """
    from accessmap.sources._http import atomic_write_bytes

    entry = {
        "format": FORMAT, "key": key, "files": dict(files), "value": value,
        "warnings": tuple(warnings),
    }  # fmt: skip
    try:
        atomic_write_bytes(_path(cache_dir, kind, slot), pickle.dumps(entry, protocol=5))
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return  # computed again next time
