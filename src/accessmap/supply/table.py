"""A roster from the rows of a user's roster file (one row per practitioner x site), pure."""

from __future__ import annotations

import difflib
from collections.abc import Collection

import numpy as np
import pandas as pd

from accessmap.contracts import booleans_column, numbers_column
from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.professions import DEFAULT_PROFESSION, profession_keys
from accessmap.supply.roster import PRACTITIONER_COLUMNS, Roster, make_roster

__all__ = ["ROSTER_COLUMNS", "roster_from_table"]

#: Columns of the roster file, in template order (``practitioner_id``, ``site_id`` and
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
_NUMBERS = ("birth_year", "activity", "fte", "retirement_year", "lon", "lat", "share")


def _consistent(frame: pd.DataFrame, key: str, fields: Collection[str]) -> list[Message]:
    """List the keys whose repeated rows disagree on ``fields``."""
    problems: list[Message] = []
    for col in fields:
        counts = frame.groupby(key)[col].nunique(dropna=False)
        bad = counts[counts > 1].index
        if len(bad):
            problems.append(Message("supply.inconsistent_rows", column=col, key=key, ids=list(bad)))
    return problems


def _check_numbers(frame: pd.DataFrame, lines: pd.Series) -> None:
    """Refuse infinite numbers, and years that are not whole numbers."""
    for col in _NUMBERS:
        values = frame[col]
        bad = values.notna() & ~np.isfinite(values.to_numpy(dtype=float, na_value=0.0))
        if bool(bad.any()):
            raise ValidationError("supply.roster_not_finite", field=col, lines=lines[bad].tolist())
    for col in ("birth_year", "retirement_year"):
        values = frame[col]
        bad = values.notna() & (values != values.round())
        if bool(bad.any()):
            raise ValidationError(
                "supply.roster_fractional_year", field=col, lines=lines[bad].tolist()
            )


def _check_professions(values: pd.Series, lines: pd.Series) -> None:
    """Refuse profession codes not in the registry, suggesting the nearest one."""
    allowed = profession_keys()
    bad = ~values.isin(allowed)
    if bool(bad.any()):
        given = str(values[bad].iloc[0])
        near = difflib.get_close_matches(given.lower(), allowed, n=1)
        where: dict[str, object] = {"value": given, "lines": lines[bad].tolist()}
        if near:
            raise ValidationError(
                "supply.roster_near_profession",
                field="profession",
                **where,
                allowed=list(allowed),
                suggestion=near[0],
            )
        raise ValidationError(
            "supply.roster_unknown_profession", field="profession", **where, allowed=list(allowed)
        )


def _typed(raw: pd.DataFrame, *, name: str, decimal_comma: bool) -> pd.DataFrame:
    missing = [c for c in ("practitioner_id", "site_id", "commune_code") if c not in raw.columns]
    if missing:
        raise ValidationError("supply.roster_missing_columns", field=name, columns=missing)
    if raw.empty:
        raise ValidationError("supply.roster_no_rows", field=name)
    frame = raw.copy()
    for col in ROSTER_COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    lines = pd.Series(frame.index + 2, index=frame.index)
    for col in _NUMBERS:
        frame[col] = numbers_column(
            frame[col].astype(str), column=col, lines=lines, decimal_comma=decimal_comma
        )
    _check_numbers(frame, lines)
    for col in ("new_install", "health_centre"):
        frame[col] = booleans_column(frame[col].astype(str), column=col, lines=lines)
    frame["fte"] = frame["fte"].fillna(1.0)
    frame["share"] = frame["share"].fillna(1.0)
    frame["profession"] = (
        frame["profession"].astype(str).str.strip().replace("", DEFAULT_PROFESSION)
    )
    _check_professions(frame["profession"], lines)
    frame["site_kind"] = frame["site_kind"].replace("", "cabinet")
    frame["site_name"] = frame["site_name"].where(frame["site_name"] != "", frame["site_id"])
    frame["commune_code"] = frame["commune_code"].astype(str).str.strip().str.zfill(5)
    return frame


def roster_from_table(
    raw: pd.DataFrame,
    *,
    name: str = "roster",
    town_halls: pd.DataFrame | None = None,
    known_communes: Collection[str] | None = None,
    current_year: int | None = None,
    illustrative_ages: bool = False,
    decimal_comma: bool = False,
) -> Roster:
    """Build a validated :class:`Roster` from the text rows of a roster file.

    Parameters
    ----------
    raw
        One row per practitioner x site, text cells (columns :data:`ROSTER_COLUMNS`; see
        ``docs/roster_template.md``).
    name
        The file's name, for messages.
    town_halls
        ``code``, ``lon``, ``lat``: sites with empty coordinates stand at their commune's town hall.
    known_communes
        When given, every ``commune_code`` must be in it (e.g. the study area's codes).
    current_year
        Birth years after it are rejected (default: this year).
    illustrative_ages
        Mark the birth years as generated rather than facts.
    decimal_comma
        Numbers use the decimal comma (a ``;``-separated French spreadsheet).

    Returns
    -------
    Roster
        Validated (see :func:`accessmap.supply.make_roster`).

    Raises
    ------
    ValidationError
        Missing columns, no rows, values that are not numbers or yes/no, practitioner or site
        columns that differ between the rows of one practitioner or site, and every problem
        :func:`~accessmap.supply.make_roster` finds.
    """
    frame = _typed(raw, name=name, decimal_comma=decimal_comma)
    problems = _consistent(frame, "practitioner_id", _PRACTITIONER_FIELDS)
    problems += _consistent(frame, "site_id", _SITE_FIELDS)
    if problems:
        raise ValidationError(
            "supply.inconsistent_roster",
            field=name,
            problems=tuple(problems),
            details=" ; ".join(str(p) for p in problems),
        )
    if town_halls is not None:
        halls = town_halls.assign(code=town_halls["code"].astype(str)).set_index("code")
        no_xy = frame["lon"].isna() | frame["lat"].isna()
        if bool(no_xy.any()):
            for col in ("lon", "lat"):
                values = frame.loc[no_xy, "commune_code"].map(halls[col].astype(float))
                frame.loc[no_xy, col] = values.astype(float)
    optional = [c for c in ("age_band",) if c in frame.columns]  # used by workforce
    practitioners = frame.drop_duplicates("practitioner_id")[
        ["practitioner_id", *_PRACTITIONER_FIELDS, *optional]
    ]
    sites = frame.drop_duplicates("site_id")[["site_id", *_SITE_FIELDS]].rename(
        columns={"site_name": "name", "site_kind": "kind"}
    )
    return make_roster(
        practitioners,
        sites,
        frame[["practitioner_id", "site_id", "share"]],
        known_communes=known_communes,
        current_year=current_year,
        illustrative_ages=illustrative_ages,
        source=str(Message("supply.source_roster_file", name=name)),
    )
