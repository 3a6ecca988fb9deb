"""Which departments an EPCI's communes lie in: an index built once from the communes files.

``epci:CODE`` without ``@DEP`` used to read the communes of every department of the mirror (about
22 s for 96 departments) to find the EPCI. The index maps every EPCI SIREN code to its
departments; it is built by scanning the communes files' text for their ``codeEpci`` (no
geometry parsed, well under a second) and cached as JSON in the cache folder, keyed by the files'
names, sizes and modification times, so a changed mirror rebuilds it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from accessmap.settings import get_settings
from accessmap.sources.mirror import mirror_dir

__all__ = ["INDEX_NAME", "epci_departments", "epci_index"]

#: File name of the cached index, in ``<cache_dir>/communes/``.
INDEX_NAME = "epci_index.json"

_EPCI = re.compile(r'"codeEpci"\s*:\s*"([0-9]{9})"')


def _communes_files() -> list[Path]:
    """List the communes files of the mirror and the cache (mirror first; one per department)."""
    seen: dict[str, Path] = {}
    for folder in (mirror_dir(), get_settings().cache_dir):
        if folder is None or not (folder / "communes").is_dir():
            continue
        for path in sorted((folder / "communes").glob("communes-*.geojson")):
            seen.setdefault(path.stem.split("-", 1)[1], path)
    return [seen[dep] for dep in sorted(seen)]


def _signature(files: Iterable[Path]) -> list[list[object]]:
    return [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in files]


def _build(files: Sequence[Path]) -> dict[str, list[str]]:
    index: dict[str, set[str]] = {}
    for path in files:
        dep = path.stem.split("-", 1)[1]
        for code in set(_EPCI.findall(path.read_text(encoding="utf-8"))):
            index.setdefault(code, set()).add(dep)
    return {code: sorted(deps) for code, deps in sorted(index.items())}


def epci_index() -> dict[str, list[str]]:
    """Return the departments of every EPCI of the available communes files.

    Returns
    -------
    dict
        EPCI SIREN code -> sorted department codes. Read from the cache when the communes files
        are unchanged, else built and cached (a read-only cache folder only skips the write).
    """
    files = _communes_files()
    signature = _signature(files)
    cached = get_settings().cache_dir / "communes" / INDEX_NAME
    try:
        stored = json.loads(cached.read_text(encoding="utf-8"))
        if stored.get("files") == signature:
            return {str(k): [str(d) for d in v] for k, v in stored["index"].items()}
    except (OSError, ValueError, AttributeError, KeyError):
        pass
    index = _build(files)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps({"files": signature, "index": index}), encoding="utf-8")
    except OSError:
        pass
    return index


def epci_departments(epcis: Iterable[str]) -> list[str]:
    """Return the departments holding the communes of some EPCIs.

    Parameters
    ----------
    epcis
        EPCI SIREN codes.

    Returns
    -------
    list of str
        Sorted department codes; empty when none of the codes is in the index (the caller
        then reads every department and reports the unknown codes).
    """
    index = epci_index()
    return sorted({dep for code in epcis for dep in index.get(code.strip(), [])})
