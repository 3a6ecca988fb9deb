"""Use cases ``territory`` (define a territory) and ``fetch`` (fill the project's cache)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from accessmap.errors import OfflineError
from accessmap.inputs import InputOptions, load_territory
from accessmap.messages import Message
from accessmap.network import TravelTimes
from accessmap.sources import SourceFile, department_of, resolve
from accessmap.territory import DEPARTMENT_NEIGHBOURS, PRESETS, Territory

__all__ = [
    "FETCHED_DATASETS",
    "FetchResult",
    "TerritoryResult",
    "fetch_departments",
    "run_fetch",
    "run_territory",
]

#: National datasets ``fetch`` copies besides the communes of each department.
FETCHED_DATASETS = ("drees_apl", "bpe_gp", "gp_sites_creuse")


@dataclass(frozen=True, slots=True)
class TerritoryResult:
    """A territory and the files read to build it.

    Attributes
    ----------
    territory
        Its communes, buffer and rule.
    provenance
        Every file read.
    """

    territory: Territory
    provenance: tuple[SourceFile, ...]

    def store_tables(self) -> Mapping[str, pd.DataFrame]:
        """Return the study area's communes (``communes``)."""
        return {"communes": self.territory.study_area}

    def store_times(self) -> Sequence[tuple[str, TravelTimes]]:
        """No travel times."""
        return []

    def csv_files(self, out: Path) -> Mapping[Path, pd.DataFrame]:
        """Return the study area's communes, without geometry, in ``out`` (a CSV path)."""
        return {out: pd.DataFrame(self.territory.study_area.drop(columns="geometry"))}


def run_territory(options: InputOptions) -> TerritoryResult:
    """Load a territory and its buffer (``options.territory``, ``options.buffer_km``).

    Parameters
    ----------
    options
        The input options (only the territory and the buffer are read).

    Returns
    -------
    TerritoryResult
    """
    provenance: list[SourceFile] = []
    area = load_territory(options.territory, buffer_km=options.buffer_km, provenance=provenance)
    return TerritoryResult(territory=area, provenance=tuple(provenance))


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What ``fetch`` copied into the cache, and what it could not find.

    Attributes
    ----------
    fetched
        The files now in the cache.
    missing
        Per dataset not found: its key, department (or ``None``) and the reason (an error).
    """

    fetched: tuple[SourceFile, ...]
    missing: tuple[tuple[str, str | None, OfflineError], ...]

    @property
    def provenance(self) -> Sequence[SourceFile]:
        """The files fetched."""
        return self.fetched

    def store_tables(self) -> Mapping[str, pd.DataFrame]:
        """No result table."""
        return {}

    def store_times(self) -> Sequence[tuple[str, TravelTimes]]:
        """No travel times."""
        return []

    def csv_files(self, out: Path) -> Mapping[Path, pd.DataFrame]:  # noqa: ARG002
        """No CSV file."""
        return {}


def fetch_departments(territory: str | None, departments: Sequence[str] = ()) -> list[str]:
    """Departments whose communes ``fetch`` copies.

    Parameters
    ----------
    territory
        A preset (its departments and their neighbours) or INSEE codes (their departments).
    departments
        Department codes given explicitly (win over ``territory``).

    Returns
    -------
    list of str
        Sorted department codes.
    """
    if departments:
        return sorted({d.strip() for d in departments if d.strip()})
    if territory in PRESETS:
        core = set(PRESETS[territory].departments)
        return sorted(
            core | set().union(*(DEPARTMENT_NEIGHBOURS.get(d, frozenset()) for d in core))
        )
    if territory:
        codes = [c.strip() for c in territory.split(",") if c.strip()]
        return sorted({department_of(c) for c in codes})
    return []


def run_fetch(
    departments: Sequence[str], *, progress: Callable[[str], None] | None = None
) -> FetchResult:
    """Copy the communes of ``departments`` and the national datasets into the project's cache.

    Parameters
    ----------
    departments
        Department codes (:func:`fetch_departments`).
    progress
        Receives a French description of each file fetched.

    Returns
    -------
    FetchResult
        A dataset that cannot be found is reported in ``missing``, not raised.
    """
    jobs: list[tuple[str, str | None]] = [("communes", d) for d in departments]
    jobs += [(key, None) for key in FETCHED_DATASETS]
    fetched: list[SourceFile] = []
    missing: list[tuple[str, str | None, OfflineError]] = []
    for key, dep in jobs:
        if progress is not None:
            progress(str(Message("app.step_fetch", dataset=key, dep=dep or "")))
        try:
            fetched.append(resolve(key, dep=dep, store_in_cache=True))
        except OfflineError as exc:
            missing.append((key, dep, exc))
    return FetchResult(fetched=tuple(fetched), missing=tuple(missing))
