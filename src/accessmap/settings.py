"""Settings, in one typed place, read at call time.

Every option has a default, can be set by an environment variable ``ACCESSMAP_<NAME>`` and can be
overridden for a block of code with :func:`override` (tests, notebooks, CLI options). Modules never
read settings at import time: they call :func:`get_settings` when they need a value.

Examples
--------
>>> from accessmap import settings
>>> with settings.override(online=False, mirror="../shared/data"):
...     settings.get_settings().online
False
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accessmap.errors import ValidationError

__all__ = ["Settings", "configure", "get_settings", "override", "reset"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Every tunable of accessmap.

    Attributes
    ----------
    mirror
        A local directory laid out like ``../shared/data`` (``communes/communes-DD.geojson``,
        ``drees/apl_generalistes.xlsx``...). Read first when set. Env: ``ACCESSMAP_MIRROR``.
    cache_dir
        The project's raw-data cache (``data/raw``), filled by downloads and ``accessmap fetch``.
        Env: ``ACCESSMAP_CACHE_DIR``.
    store_path
        The embedded DuckDB file. Env: ``ACCESSMAP_STORE``.
    online
        Whether official online services may be queried when neither the mirror nor the cache has
        a file. Env: ``ACCESSMAP_ONLINE`` (``1``/``0``).
    http_timeout
        Seconds before an HTTP request is abandoned. Env: ``ACCESSMAP_HTTP_TIMEOUT``.
    user_agent
        Sent with every HTTP request.
    communes_api
        Base URL of the geo.api.gouv.fr service.
    crowfly_circuity
        Road distance over great-circle distance for the ``crowfly`` travel-time estimate.
    crowfly_speed_kmh
        Average speed for the ``crowfly`` estimate.
    connector_speed_kmh
        Speed of the off-network leg between a point and its nearest road node.
    snap_warn_m
        Snapping distances above this are flagged.
    winter
        Winter road speeds on the plateau (snow factors by road class). Env:
        ``ACCESSMAP_WINTER``.
    road_length_factor
        Multiplier on the edge lengths of road graphs whose geometry is simplified to straight
        segments between waypoints (the mirror's numbered-roads network): their lengths run short
        of the real roads. Graphs from full OSM extracts are not affected. The default is measured
        (``docs/network.md``, "Simplified geometry"). Env: ``ACCESSMAP_ROAD_LENGTH_FACTOR``.
    bpe_vintage
        Which INSEE BPE gives practitioner counts where no site list exists: ``latest`` (the
        BPE 2019, official layout, when present; else the older extract) or ``2017`` (the older
        D201 extract, to reproduce earlier figures). Env: ``ACCESSMAP_BPE_VINTAGE``.
    store_threads
        Threads of the DuckDB store. One by default: the store's work is inserting and reading
        whole tables, which a second thread makes dearer in CPU (inserting France's two million
        travel-time pairs: 1.6 s CPU with one thread, 3.0 s with two, no faster in wall-clock
        time on two cores: ``benchmarks/bench_scale.py``). Env: ``ACCESSMAP_STORE_THREADS``.
    solver_threads
        Threads of HiGHS when a model's :class:`~accessmap.siting.SolverOptions` leave them unset.
        One by default: HiGHS' branch and bound is serial, and a second thread mostly waits, in CPU
        time; with the same time limit, one thread reaches the same incumbents and bounds (the
        727-commune decisions: 58 s of solver CPU with two threads, about 43 s with one;
        ``benchmarks/bench_scale.py``). Env: ``ACCESSMAP_SOLVER_THREADS``.
    solver_time_cap
        Most wall-clock seconds any one siting model may search, whatever its own limit
        (``None``: each model's limit; :meth:`accessmap.siting.SolverOptions.seconds`). For a
        quick look at a large territory: a search cut short returns its best plan with
        ``status="time_limit"`` and its proven gap, as any limit does, and the report says so.
        Env: ``ACCESSMAP_SOLVER_TIME_CAP``.
    """

    mirror: Path | None = None
    cache_dir: Path = field(default_factory=lambda: Path("data") / "raw")
    store_path: Path = field(default_factory=lambda: Path("data") / "accessmap.duckdb")
    online: bool = False
    http_timeout: float = 60.0
    user_agent: str = (
        "accessmap/0.1 (rural primary-care access; https://pypi.org/project/accessmap)"
    )
    communes_api: str = "https://geo.api.gouv.fr"
    crowfly_circuity: float = 1.3
    crowfly_speed_kmh: float = 60.0
    connector_speed_kmh: float = 15.0
    snap_warn_m: float = 2000.0
    winter: bool = False
    road_length_factor: float = 1.55
    bpe_vintage: str = "latest"
    store_threads: int = 1
    solver_threads: int = 1
    solver_time_cap: float | None = None


_OVERRIDES: list[dict[str, Any]] = []
_CONFIGURED: dict[str, Any] = {}


def _from_env() -> dict[str, Any]:
    env: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        raw = os.environ.get(f"ACCESSMAP_{f.name.upper()}")
        if raw is None:
            continue
        env[f.name] = raw
    if "store" not in env and (raw := os.environ.get("ACCESSMAP_STORE")):
        env["store_path"] = raw
    return env


def _boolean(name: str, value: Any) -> bool:
    if not isinstance(value, str):
        return bool(value)
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on", "0", "false", "no", "off", ""}:
        return lowered in {"1", "true", "yes", "on"}
    raise ValidationError("settings.not_boolean", field=f"ACCESSMAP_{name.upper()}", value=value)


def _positive(name: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError("settings.not_number", field=name, value=str(value)) from None
    if number <= 0:
        raise ValidationError("settings.not_positive", field=name, value=number)
    return number


def _positive_integer(name: str, value: Any) -> int:
    number = _positive(name, value)
    if not float(number).is_integer():
        raise ValidationError("settings.not_integer", field=name, value=str(value))
    return int(number)


@functools.cache
def _kinds() -> dict[str, type]:
    """Each field's declared type, ``X | None`` read as ``X`` (the annotations, read once)."""
    hints = typing.get_type_hints(Settings)
    return {
        name: next(t for t in (typing.get_args(hint) or (hint,)) if t is not type(None))
        for name, hint in hints.items()
    }


def _coerce(name: str, value: Any) -> Any:
    """Convert a raw value (often a string from the environment) to the field's declared type."""
    if value is None:
        return None
    kind = _kinds()[name]
    if kind is Path:
        return Path(value)
    if kind is bool:
        return _boolean(name, value)
    if kind is float:
        return _positive(name, value)
    if kind is int:
        return _positive_integer(name, value)
    if name == "bpe_vintage" and str(value) not in {"latest", "2017"}:
        raise ValidationError(
            "settings.bpe_vintage",
            field="ACCESSMAP_BPE_VINTAGE",
            value=str(value),
            choices=["latest", "2017"],
        )
    return str(value)


def get_settings() -> Settings:
    """Return the settings in force now: defaults, then environment, then :func:`override` blocks.

    Returns
    -------
    Settings
        A frozen snapshot; call again after changing the environment.
    """
    values: dict[str, Any] = {}
    for layer in (_from_env(), _CONFIGURED, *_OVERRIDES):
        values.update(layer)
    names = {f.name for f in dataclasses.fields(Settings)}
    unknown = sorted(set(values) - names)
    if unknown:
        raise ValidationError(
            "settings.unknown", field="settings", names=unknown, choices=sorted(names)
        )
    return Settings(**{k: _coerce(k, v) for k, v in values.items()})


@contextlib.contextmanager
def override(**changes: Any) -> Iterator[Settings]:
    """Override settings inside a ``with`` block (nested blocks stack).

    Parameters
    ----------
    **changes
        Field names of :class:`Settings` and their values; ``None`` values are ignored, so CLI
        options can be passed through unchanged.

    Yields
    ------
    Settings
        The settings in force inside the block.
    """
    layer = {k: v for k, v in changes.items() if v is not None}
    _OVERRIDES.append(layer)
    try:
        yield get_settings()
    finally:
        for i in range(len(_OVERRIDES) - 1, -1, -1):
            if _OVERRIDES[i] is layer:
                del _OVERRIDES[i]
                break


def configure(**changes: Any) -> Settings:
    """Set settings for the rest of the session (notebooks), like ``osmnx.settings``.

    :func:`override` blocks still take precedence inside them; :func:`reset` undoes this.

    Parameters
    ----------
    **changes
        Field names of :class:`Settings` and their values; ``None`` values are ignored.

    Returns
    -------
    Settings
        The settings now in force.
    """
    previous = dict(_CONFIGURED)
    _CONFIGURED.update({k: v for k, v in changes.items() if v is not None})
    try:
        return get_settings()
    except Exception:
        _CONFIGURED.clear()
        _CONFIGURED.update(previous)
        raise


def reset() -> None:
    """Forget what :func:`configure` set."""
    _CONFIGURED.clear()
