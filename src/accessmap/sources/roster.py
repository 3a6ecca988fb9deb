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
from collections.abc import Collection
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from accessmap.errors import MissingDataError, ValidationError, format_rows
from accessmap.sources.mirror import SourceFile, sha256_of
from accessmap.supply import (
    DECLARED_COLUMNS,
    PRACTITIONER_COLUMNS,
    Roster,
    make_roster,
    study_area_roster,
)

if TYPE_CHECKING:
    from accessmap.territory import Territory

__all__ = [
    "ROSTER_COLUMNS",
    "declared_sites_path",
    "load_declared_sites",
    "load_roster_csv",
    "roster_template_path",
    "territory_roster",
]

#: Columns of the roster CSV, in template order (``practitioner_id``, ``site_id`` and
#: ``commune_code`` are required; the others have defaults).
ROSTER_COLUMNS: tuple[str, ...] = (
    *PRACTITIONER_COLUMNS,
    "site_id",
    "site_name",
    "site_kind",
    "commune_code",
    "lon",
    "lat",
    "share",
)
_PRACTITIONER_FIELDS = PRACTITIONER_COLUMNS[1:]
_SITE_FIELDS = ("site_name", "site_kind", "commune_code", "lon", "lat")
_TRUE = {"true", "1", "yes", "y", "oui", "vrai", "x"}
_FALSE = {"false", "0", "no", "n", "non", "faux", ""}


def _package_file(name: str) -> Path:
    path = Path(str(resources.files("accessmap") / "data" / name))
    if not path.is_file():
        raise MissingDataError(
            "is missing from the installed package.",
            field=str(path),
            fix="reinstall accessmap (make setup).",
        )
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
        vintage="user file",
        sha256=sha256_of(path),
        fetched_at=dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
    )


def _read(path: Path, *, what: str) -> pd.DataFrame:
    if not path.is_file():
        raise MissingDataError(
            "file not found.", field=str(path), fix=f"give the path of the {what} CSV."
        )
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValidationError(
            f"is not a readable CSV ({exc}).",
            field=str(path),
            fix=f"save the {what} as UTF-8 CSV with a header row.",
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.apply(lambda col: col.str.strip())


def _booleans(values: pd.Series, *, column: str, lines: pd.Series) -> pd.Series:
    lowered = values.str.lower()
    bad = ~lowered.isin(_TRUE | _FALSE)
    if bool(bad.any()):
        raise ValidationError(
            f"not a yes/no value on line(s) {format_rows(lines[bad])}.",
            field=column,
            fix="write true or false (or leave empty for false).",
        )
    return lowered.isin(_TRUE)


def _numbers(values: pd.Series, *, column: str, lines: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values.replace("", np.nan), errors="coerce")
    bad = numbers.isna() & values.ne("")
    if bool(bad.any()):
        raise ValidationError(
            f"not a number on line(s) {format_rows(lines[bad])}.",
            field=column,
            fix="write numbers with a dot as decimal separator (or leave empty when unknown).",
        )
    return numbers.astype(float)


def _consistent(frame: pd.DataFrame, key: str, fields: Collection[str]) -> list[str]:
    """List the keys whose repeated rows disagree on ``fields``."""
    problems = []
    for col in fields:
        counts = frame.groupby(key)[col].nunique(dropna=False)
        bad = counts[counts > 1].index
        if len(bad):
            problems.append(f"{col} differs between the rows of {key} {format_rows(bad)}")
    return problems


def load_roster_csv(
    path: str | Path,
    *,
    town_halls: pd.DataFrame | None = None,
    known_communes: Collection[str] | None = None,
    current_year: int | None = None,
    illustrative_ages: bool = False,
    provenance: list[SourceFile] | None = None,
) -> Roster:
    """Load a roster CSV (one row per practitioner x site) into a validated :class:`Roster`.

    Parameters
    ----------
    path
        The CSV (columns :data:`ROSTER_COLUMNS`, see ``docs/roster_template.md``).
    town_halls
        ``code``, ``lon``, ``lat`` (e.g. the territory's ``mairie_lon``/``mairie_lat`` renamed):
        sites with empty coordinates are placed at the town hall of their ``commune_code``.
    known_communes
        When given, every ``commune_code`` must be in it (e.g. the study area's codes).
    current_year
        Birth years after it are rejected (default: this year).
    illustrative_ages
        Mark the birth years as generated rather than facts.
    provenance
        When given, a record of the file is appended.

    Returns
    -------
    Roster
        Validated (see :func:`accessmap.supply.make_roster`).

    Raises
    ------
    MissingDataError
        The file does not exist.
    ValidationError
        Unreadable file, missing columns, no rows, values that are not numbers or yes/no,
        practitioner or site columns that differ between the rows of one practitioner or site,
        and every problem :func:`~accessmap.supply.make_roster` finds (one error listing them).
    """
    file = Path(path)
    raw = _read(file, what="roster")
    missing = [c for c in ("practitioner_id", "site_id", "commune_code") if c not in raw.columns]
    if missing:
        raise ValidationError(
            f"missing column(s) {', '.join(missing)}.",
            field=str(file),
            fix="start from the template (accessmap/data/roster_template.csv).",
        )
    if raw.empty:
        raise ValidationError(
            "has no rows.", field=str(file), fix="add one row per practitioner x site."
        )
    for col in ROSTER_COLUMNS:
        if col not in raw.columns:
            raw[col] = ""
    lines = pd.Series(raw.index + 2, index=raw.index)
    frame = raw.copy()
    for col in ("birth_year", "activity", "fte", "retirement_year", "lon", "lat", "share"):
        frame[col] = _numbers(raw[col], column=col, lines=lines)
    for col in ("new_install", "health_centre"):
        frame[col] = _booleans(raw[col], column=col, lines=lines)
    frame["fte"] = frame["fte"].fillna(1.0)
    frame["share"] = frame["share"].fillna(1.0)
    frame["profession"] = frame["profession"].replace("", "generaliste")
    frame["site_kind"] = frame["site_kind"].replace("", "cabinet")
    frame["site_name"] = frame["site_name"].where(frame["site_name"] != "", frame["site_id"])
    frame["commune_code"] = frame["commune_code"].str.zfill(5)
    problems = _consistent(frame, "practitioner_id", _PRACTITIONER_FIELDS)
    problems += _consistent(frame, "site_id", _SITE_FIELDS)
    if problems:
        raise ValidationError(
            "; ".join(problems) + ".",
            field=str(file),
            fix="repeat the same practitioner and site values on every row that names them.",
        )
    if town_halls is not None:
        halls = town_halls.assign(code=town_halls["code"].astype(str)).set_index("code")
        no_xy = frame["lon"].isna() | frame["lat"].isna()
        frame.loc[no_xy, "lon"] = frame.loc[no_xy, "commune_code"].map(halls["lon"])
        frame.loc[no_xy, "lat"] = frame.loc[no_xy, "commune_code"].map(halls["lat"])
    optional = [c for c in ("age_band",) if c in frame.columns]  # used by workforce
    practitioners = frame.drop_duplicates("practitioner_id")[
        ["practitioner_id", *_PRACTITIONER_FIELDS, *optional]
    ]
    sites = frame.drop_duplicates("site_id")[["site_id", *_SITE_FIELDS]].rename(
        columns={"site_name": "name", "site_kind": "kind"}
    )
    assignments = frame[["practitioner_id", "site_id", "share"]]
    roster = make_roster(
        practitioners,
        sites,
        assignments,
        known_communes=known_communes,
        current_year=current_year,
        illustrative_ages=illustrative_ages,
        source=f"roster file {file.name}",
    )
    if provenance is not None:
        provenance.append(_record(file, "roster"))
    return roster


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
    raw = _read(file, what="declared sites")
    missing = [c for c in DECLARED_COLUMNS if c not in raw.columns]
    if missing:
        raise ValidationError(
            f"missing column(s) {', '.join(missing)}.",
            field=str(file),
            fix=f"the declared-sites CSV needs {', '.join(DECLARED_COLUMNS)}.",
        )
    lines = pd.Series(raw.index + 2, index=raw.index)
    frame = raw[list(DECLARED_COLUMNS)].copy()
    for col in ("lon", "lat", "n_gp", "fte"):
        frame[col] = _numbers(raw[col], column=col, lines=lines)
    frame["health_centre"] = _booleans(raw["health_centre"], column="health_centre", lines=lines)
    dup = frame.loc[frame["site_id"].duplicated(), "site_id"]
    if len(dup):
        raise ValidationError(
            f"duplicated site_id {format_rows(dup)}.", field=str(file), fix="keep one row per site."
        )
    if provenance is not None:
        provenance.append(_record(file, "declared_sites"))
    return frame.reset_index(drop=True)


def territory_roster(
    territory: Territory,
    *,
    path: str | Path | None = None,
    illustrative_ages: bool = False,
    provenance: list[SourceFile] | None = None,
) -> Roster:
    """Return the GP roster of a territory's study area: the user's CSV, or the official sources.

    Parameters
    ----------
    territory
        The territory (its study area bounds the roster and gives the town-hall points).
    path
        A roster CSV (:func:`load_roster_csv`); sites without coordinates stand at their commune's
        town hall, and every commune must be in the study area. ``None``: BPE counts, the Creuse
        annuaire and the committed declared sites, combined by
        :func:`accessmap.supply.study_area_roster`.
    illustrative_ages
        With ``path``: mark the CSV's birth years as generated.
    provenance
        When given, the records of every file read are appended.

    Returns
    -------
    Roster
        Validated roster.

    Raises
    ------
    MissingDataError
        A file cannot be found (roster CSV, or official data in neither mirror nor cache).
    ValidationError
        Invalid roster rows or official files.
    """
    from accessmap.sources.bpe import load_bpe_gp_counts, load_gp_sites_creuse

    study = territory.study_area
    if path is not None:
        halls = study[["code", "mairie_lon", "mairie_lat"]].rename(
            columns={"mairie_lon": "lon", "mairie_lat": "lat"}
        )
        return load_roster_csv(
            path,
            town_halls=halls,
            known_communes=set(study["code"].astype(str)),
            illustrative_ages=illustrative_ages,
            provenance=provenance,
        )
    return study_area_roster(
        territory,
        bpe=load_bpe_gp_counts(provenance=provenance),
        creuse_sites=load_gp_sites_creuse(provenance=provenance),
        declared=load_declared_sites(provenance=provenance),
    )
