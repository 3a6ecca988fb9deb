"""Practitioner rosters from files: the user's roster CSV and the committed declared-sites CSV.

The roster CSV has **one row per practitioner x site** (columns documented in
``docs/roster_template.md``; an empty copy with examples ships as
``accessmap/data/roster_template.csv``, see :func:`roster_template_path`). A GP working in two
sites has two rows repeating the practitioner's columns, with the share of time at each site.

The declared-sites CSV (``accessmap/data/declared_sites.csv``) lists health centres known from
the territory facts (MilleSoins MSPs, the Médecins Solidaires centre at Ajain), with their source.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pandas as pd

from accessmap.contracts import DECLARED_COLUMNS, booleans_column, numbers_column
from accessmap.errors import MissingDataError, ValidationError
from accessmap.messages import Message
from accessmap.sources.files import read_csv_file
from accessmap.sources.mirror import SourceFile, sha256_of

__all__ = [
    "declared_sites_path",
    "load_declared_sites",
    "read_roster_table",
    "roster_template_path",
]


def _package_file(name: str) -> Path:
    path = Path(str(resources.files("accessmap") / "data" / name))
    if not path.is_file():
        raise MissingDataError("sources.package_file_missing", field=name, name=name)
    return path


def roster_template_path() -> Path:
    """Return the path of the roster CSV template shipped with the package.

    Returns
    -------
    pathlib.Path
        ``accessmap/data/roster_template.csv`` (copy it, replace the ``example-*`` rows).
    """
    return _package_file("roster_template.csv")


def declared_sites_path() -> Path:
    """Return the path of the committed declared-sites CSV.

    Returns
    -------
    pathlib.Path
        ``accessmap/data/declared_sites.csv``.
    """
    return _package_file("declared_sites.csv")


def _record(path: Path, dataset: str) -> SourceFile:
    return SourceFile(
        dataset=dataset,
        path=path,
        location=str(path),
        origin="local",
        vintage=str(Message("sources.vintage_user_file")),
        sha256=sha256_of(path),
        fetched_at=dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
    )


def read_roster_table(
    path: str | Path, *, provenance: list[SourceFile] | None = None
) -> pd.DataFrame:
    """Read a roster file as text rows (I/O only).

    :func:`accessmap.supply.roster_from_table` types and validates them.

    Parameters
    ----------
    path
        The roster CSV: ``,`` or ``;`` separated (French Excel: ``;`` with decimal commas), UTF-8
        with or without BOM, or Windows-1252 (with a note).
    provenance
        When given, a record of the file is appended.

    Returns
    -------
    pandas.DataFrame
        Text columns; ``attrs["separator"]`` holds the separator found and
        ``attrs["decimal_comma"]`` whether numbers use the decimal comma.

    Raises
    ------
    MissingDataError
        The file does not exist.
    ValidationError
        Unreadable file, ambiguous separator, ragged lines.
    """
    file = Path(path)
    frame = read_csv_file(file, what="--roster")
    frame.attrs["decimal_comma"] = frame.attrs.get("separator") == ";"
    if provenance is not None:
        provenance.append(_record(file, "roster"))
    return frame


def load_declared_sites(
    path: str | Path | None = None, *, provenance: list[SourceFile] | None = None
) -> pd.DataFrame:
    """Load the declared health-centre sites (MSPs, volunteer centres) with their source.

    Parameters
    ----------
    path
        A CSV with the columns :data:`accessmap.supply.DECLARED_COLUMNS`; default: the committed
        ``accessmap/data/declared_sites.csv`` (MilleSoins MSPs at Bugeat, Peyrelevade,
        Faux-la-Montagne and Royère-de-Vassivière; the Médecins Solidaires centre at Ajain).
    provenance
        When given, a record of the file is appended.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~accessmap.supply.DECLARED_COLUMNS`: ``lon``, ``lat``, ``n_gp``, ``fte``
        as floats (NaN when empty), ``health_centre`` as bool, the others as str.

    Raises
    ------
    MissingDataError
        The file does not exist.
    ValidationError
        Missing columns, duplicate ``site_id``, non-numeric values.
    """
    file = declared_sites_path() if path is None else Path(path)
    raw = read_csv_file(file, what=file.name)
    missing = [c for c in DECLARED_COLUMNS if c not in raw.columns]
    if missing:
        raise ValidationError(
            "sources.declared_missing_columns",
            field=file.name,
            columns=missing,
            required=list(DECLARED_COLUMNS),
        )
    lines = pd.Series(raw.index + 2, index=raw.index)
    frame = raw[list(DECLARED_COLUMNS)].copy()
    for col in ("lon", "lat", "n_gp", "fte"):
        frame[col] = numbers_column(raw[col], column=col, lines=lines)
    frame["health_centre"] = booleans_column(
        raw["health_centre"], column="health_centre", lines=lines
    )
    dup = frame.loc[frame["site_id"].duplicated(), "site_id"]
    if len(dup):
        raise ValidationError("sources.declared_duplicate_sites", field=file.name, sites=list(dup))
    if provenance is not None:
        provenance.append(_record(file, "declared_sites"))
    return frame.reset_index(drop=True)
