"""Results derived from many inputs, kept between runs while every input is unchanged.

One rule for every command: a derived result (the activity calibration over whole departments)
is kept in the cache folder (:mod:`accessmap.sources.derived`) under the key of its question,
the package's code, the settings that can change an input, the versions of the numerical
libraries and the listing of the source folders; it is handed back only when that key matches
and each file it read still has the same bytes (sha256). Downloads are never assumed unchanged:
with online access allowed, or without a mirror, the result is computed every time.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from accessmap.settings import get_settings

if TYPE_CHECKING:
    from accessmap.sources import SourceFile

__all__ = ["remembered"]

T = TypeVar("T")

#: Settings that change neither an input nor a result: where things are written, threads, the
#: solver's time cap (no derived result solves a model), HTTP (downloads are never kept).
NEUTRAL_SETTINGS = frozenset(
    {
        "cache_dir",
        "store_path",
        "store_threads",
        "solver_threads",
        "solver_time_cap",
        "http_timeout",
        "user_agent",
    }
)
#: Libraries whose version can change a computed number.
NUMERICAL_LIBRARIES = ("numpy", "pandas", "scipy", "shapely", "pyproj", "geopandas", "pyarrow")


def remembered(
    kind: str,
    *,
    question: Mapping[str, object],
    compute: Callable[[], tuple[T, Sequence[SourceFile | Path]] | None],
    known: Sequence[SourceFile] = (),
    extra: Sequence[Path] = (),
    online: bool = False,
) -> T | None:
    """Return what ``compute`` gives, kept for the next runs while its inputs are unchanged.

    Parameters
    ----------
    kind
        What is kept (the file name's prefix).
    question
        What is asked, by name (options, parameters); the ``repr`` of each part is hashed.
    compute
        Computes the result; returns it with every file it read (records or paths), or ``None``
        when there is nothing to keep (``None`` is then returned).
    known
        Records of files already hashed in this run (their hash is not computed again).
    extra
        Files outside the mirror that the question reads (a user's road file).
    online
        Whether downloads are allowed for this question (then nothing is kept).

    Returns
    -------
    object or None
        The kept result when still true, else the computed one.

    References
    ----------
    Fink, C., et al. (2022). r5py: Rapid Realistic Routing with R5 in Python (content-hash
    caching of transport networks). https://doi.org/10.5281/zenodo.7060437
    """
    from accessmap.sources import derived

    settings = get_settings()
    if online or settings.online or settings.mirror is None:
        fresh = compute()
        return None if fresh is None else fresh[0]
    hashes = {str(record.path): record.sha256 for record in known}
    slot = derived.derived_key({"kind": kind, "question": dict(question)})
    key = derived.derived_key(
        {
            "kind": kind,
            "question": dict(question),
            "code": derived.code_digest(),
            "settings": _settings_part(),
            "libraries": _versions(),
            "sources": derived.source_listing(
                mirror=settings.mirror, cache_dir=settings.cache_dir, extra=extra
            ),
        }
    )
    hit = derived.kept(settings.cache_dir, kind, slot=slot, key=key)
    if hit is not None and all(_sha(Path(path), hashes) == sha for path, sha in hit.files.items()):
        _give(hit.warnings)
        value: T = hit.value
        return value
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:  # kept with the result
            warnings.simplefilter("always")
            fresh = compute()
    finally:  # given as they came, the computation finished or not
        given = [_kept_warning(w.message, w.category) for w in caught]
        _give(given)
    if fresh is None:
        return None
    result, files = fresh
    read: dict[str, str | None] = {}
    for file in files:  # a record carries the hash of the bytes it read; a path is hashed now
        if isinstance(file, Path):
            read[str(file)] = _sha(file, hashes)
        else:
            read[str(file.path)] = file.sha256
    if any(sha is None for sha in read.values()):  # a file gone already: nothing to vouch for
        return result
    derived.keep(
        settings.cache_dir,
        kind,
        slot=slot,
        key=key,
        value=result,
        files={path: str(sha) for path, sha in read.items()},
        warnings=given,
    )
    return result


def _kept_warning(message: Warning | str, category: type[Warning]) -> tuple[type[Warning], Any]:
    """Return a warning as kept: its category and its catalogue message (or its text)."""
    from accessmap.messages import AccessmapWarning

    if isinstance(message, AccessmapWarning):
        return AccessmapWarning, message.note
    return category, str(message)


def _give(given: Sequence[tuple[type[Warning], Any]]) -> None:
    """Give again the warnings of a computation (kept, or caught while computing)."""
    from accessmap.messages import AccessmapWarning

    for category, payload in given:
        if category is AccessmapWarning:
            warnings.warn(AccessmapWarning(payload), stacklevel=3)
        else:
            warnings.warn(str(payload), category, stacklevel=3)


def _sha(path: Path, hashes: dict[str, str]) -> str | None:
    """Hash of a file, computed once per call of :func:`remembered` (``None``: gone)."""
    from accessmap.sources.mirror import sha256_of

    name = str(path)
    if name not in hashes:
        if not path.is_file():
            return None
        hashes[name] = sha256_of(path)
    return hashes[name]


def _settings_part() -> dict[str, object]:
    settings = get_settings()
    return {
        f.name: getattr(settings, f.name)
        for f in dataclasses.fields(settings)
        if f.name not in NEUTRAL_SETTINGS
    }


def _versions() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in NUMERICAL_LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    return found
