"""One way to save what a use case computed: :func:`save_results`.

Every result of :mod:`accessmap.app` says which store tables it fills
(:meth:`Saved.store_tables`), which travel-time tables it computed (:meth:`Saved.store_times`,
cached in the store under their content hash) and what was read (:attr:`Saved.provenance`);
:func:`save_results` writes all of it in one transaction, so that a notebook saves a run exactly
as the command line does. The ``results_*`` tables are named here and in the result classes only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar, Protocol, runtime_checkable

import pandas as pd

from accessmap import version_info
from accessmap.inputs import Inputs, store_traveltimes
from accessmap.network import TravelTimes
from accessmap.sources import SourceFile, write_csv
from accessmap.store import Store

__all__ = ["InputsResult", "Saved", "open_store", "save_results", "write_results"]


@runtime_checkable
class Saved(Protocol):
    """What :func:`save_results` needs from a result."""

    @property
    def provenance(self) -> Sequence[SourceFile]:
        """Every file read for the result."""
        ...  # pragma: no cover

    def store_tables(self) -> Mapping[str, pd.DataFrame]:
        """Store table name → table."""
        ...  # pragma: no cover

    def store_times(self) -> Sequence[tuple[str, TravelTimes]]:
        """Label → travel-time table to cache in the store."""
        ...  # pragma: no cover

    def csv_files(self, out: Path) -> Mapping[Path, pd.DataFrame]:
        """CSV path (under ``out``, or ``out`` itself) → table, for ``--out``."""
        ...  # pragma: no cover


class InputsResult:
    """Base of the results computed from loaded inputs and one travel-time table.

    Gives :attr:`provenance` (the inputs') and :meth:`store_times` (the table, labelled
    ``"<STORE_LABEL> <territory>"``); subclasses are frozen dataclasses with ``inputs`` and
    ``times`` fields.
    """

    __slots__ = ()
    inputs: Inputs
    times: TravelTimes
    #: First word of the travel-time table's label in the store (the command).
    STORE_LABEL: ClassVar[str] = ""

    @property
    def provenance(self) -> Sequence[SourceFile]:
        """Every file read for the inputs."""
        return self.inputs.provenance

    def store_times(self) -> Sequence[tuple[str, TravelTimes]]:
        """Return the travel-time table, labelled with the command and the territory."""
        return [(f"{self.STORE_LABEL} {self.inputs.territory.name}", self.times)]


@contextmanager
def open_store(store: Store | None) -> Iterator[Store]:
    """Yield ``store``, or open the settings' store for the duration (closed afterwards).

    Parameters
    ----------
    store
        An open store, or ``None``: :meth:`accessmap.store.Store.open` with the settings' path.

    Yields
    ------
    Store
    """
    if store is not None:
        yield store
        return
    with Store.open() as db:
        yield db


def write_results(db: Store, result: Saved, *, out: Path | None = None) -> None:
    """Write a result into an open store (inside the caller's transaction) and its CSV files.

    Parameters
    ----------
    db
        The store, in a transaction the caller commits (:meth:`Store.transaction` or
        :meth:`Store.staged`).
    result
        Any result of :mod:`accessmap.app`.
    out
        Where ``--out`` writes CSV files (``None``: none).
    """
    for label, times in result.store_times():
        store_traveltimes(db, times, label=label)
    for name, table in result.store_tables().items():
        db.write_table(name, table)
    db.record_provenance([*result.provenance, version_info().as_record()])
    if out is not None:
        for path, table in result.csv_files(Path(out)).items():
            write_csv(table, path)


def save_results(result: Saved, *, store: Store | None = None, out: Path | None = None) -> None:
    """Save a result to the store in one transaction: tables, travel times, provenance.

    Nothing is written if anything fails (CSV files included in the same transaction's scope:
    a failed CSV write rolls the store back).

    Parameters
    ----------
    result
        A result of a use case of :mod:`accessmap.app` (territory, travel times, indicators,
        outlook, site, compare, fetch).
    store
        An open store; ``None`` opens the settings' store (``ACCESSMAP_STORE`` or
        ``data/accessmap.duckdb``).
    out
        Also write the result's CSV files there (``--out`` of the commands).
    """
    with open_store(store) as db, db.transaction():
        write_results(db, result, out=out)
