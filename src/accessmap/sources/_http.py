"""The one module that downloads: HTTP GET with an on-disk cache.

Modelled on osmnx's ``_http.py``: every response is cached on disk under a key derived from
the request (URL and sorted parameters), so that a rerun never downloads twice; error
responses are never cached. Downloads happen only when ``settings.online`` is true; otherwise
a cache miss raises :class:`~accessmap.errors.OfflineError` naming what is missing and how
to supply it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from accessmap.errors import MissingDataError, OfflineError
from accessmap.settings import get_settings

__all__ = ["atomic_write_bytes", "cache_key", "cached_path", "http_get"]


def cache_key(url: str, params: Mapping[str, str] | None = None) -> str:
    """Return the cache key of a request: sha256 of the URL and its sorted parameters.

    Parameters
    ----------
    url
        The request URL without query string.
    params
        Query parameters.

    Returns
    -------
    str
        64 hexadecimal characters.
    """
    payload = json.dumps([url, sorted((params or {}).items())], ensure_ascii=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def cached_path(url: str, params: Mapping[str, str] | None = None, *, suffix: str = "") -> Path:
    """Where the response to a request is (or would be) cached.

    Parameters
    ----------
    url
        The request URL.
    params
        Query parameters.
    suffix
        File suffix (``.geojson``...), for humans browsing the cache.

    Returns
    -------
    pathlib.Path
        ``<cache_dir>/http/<key><suffix>``.
    """
    return get_settings().cache_dir / "http" / f"{cache_key(url, params)}{suffix}"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, then rename).

    Parameters
    ----------
    path
        Destination; parent folders are created.
    data
        Bytes to write.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def http_get(
    url: str,
    params: Mapping[str, str] | None = None,
    *,
    suffix: str = "",
    what: str | None = None,
) -> Path:
    """GET a URL through the on-disk cache and return the cached file.

    Parameters
    ----------
    url
        The request URL.
    params
        Query parameters.
    suffix
        Suffix of the cache file.
    what
        What is being fetched, named in error messages (``communes communes/communes-19.geojson``);
        default: the URL.

    Returns
    -------
    pathlib.Path
        The cached response body.

    Raises
    ------
    OfflineError
        When the response is not cached and ``settings.online`` is false.
    MissingDataError
        When the service answers with an error or cannot be reached (nothing is cached).
    """
    path = cached_path(url, params, suffix=suffix)
    if path.is_file():
        return path
    what = what or url
    settings = get_settings()
    if not settings.online:
        raise OfflineError("sources.offline", field=what, what=what)
    import requests

    try:
        response = requests.get(
            url,
            params=dict(params or {}),
            timeout=settings.http_timeout,
            headers={"User-Agent": settings.user_agent},
        )
    except requests.RequestException as exc:
        raise MissingDataError(
            "sources.download_failed", field=what, what=what, url=url, detail=str(exc)
        ) from exc
    if response.status_code != 200:  # errors are never cached
        raise MissingDataError(
            "sources.http_status", field=what, what=what, url=url, status=response.status_code
        )
    atomic_write_bytes(path, response.content)
    return path
