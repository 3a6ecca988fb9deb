"""Health supply: who practises where, and for what share of their time.

A :class:`Roster` is one row per practitioner, one row per site, and one row per practitioner x site
with the **share of their time** at that site. A MilleSoins-style GP working two days in Bugeat and
one in Peyrelevade has two assignment rows with shares 2/3 and 1/3, and counts as 2/3 and 1/3 of a
practitioner at each site.

Build one with :func:`make_roster` (validation: one error listing every bad row), from a user's CSV
(:func:`accessmap.sources.roster.load_roster_csv`), or from official data with
:func:`study_area_roster` (BPE counts, the Creuse annuaire and declared MSP / volunteer sites,
combined without counting a GP twice; see ``docs/indicators.md``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from accessmap.contracts import DECLARED_COLUMNS, isin_codes
from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.messages.formats import EMPTY
from accessmap.professions import DEFAULT_PROFESSION

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "DECLARED_COLUMNS",
    "PRACTITIONER_COLUMNS",
    "SHARE_TOLERANCE",
    "SITE_COLUMNS",
    "SITE_KINDS",
    "Roster",
    "make_roster",
]

#: Kinds of practice site.
SITE_KINDS: tuple[str, ...] = ("cabinet", "msp", "centre_sante", "volunteer_centre")

PRACTITIONER_COLUMNS: tuple[str, ...] = (
    "practitioner_id",
    "profession",
    "birth_year",
    "activity",
    "fte",
    "new_install",
    "health_centre",
    "retirement_year",
)
SITE_COLUMNS: tuple[str, ...] = ("site_id", "name", "kind", "commune_code", "lon", "lat")
ASSIGNMENT_COLUMNS: tuple[str, ...] = ("practitioner_id", "site_id", "share")

#: Shares of one practitioner must sum to 1 within this tolerance.
SHARE_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Roster:
    """Practitioners, their sites and their time shares.

    Build it with :func:`make_roster`, which fills defaults, normalises dtypes and validates.

    Attributes
    ----------
    practitioners
        One row per practitioner: ``practitioner_id`` (str), ``profession`` (str), ``birth_year``
        (Int64, nullable), ``activity`` (float acts/year, NaN when unknown), ``fte`` (float),
        ``new_install`` (bool), ``health_centre`` (bool), ``retirement_year`` (Int64, nullable:
        a declared retirement year, which wins over any age model).
    sites
        One row per site: ``site_id`` (str), ``name``, ``kind`` (one of :data:`SITE_KINDS`),
        ``commune_code`` (str), ``lon``, ``lat`` (EPSG:4326).
    assignments
        One row per practitioner x site: ``practitioner_id``, ``site_id``, ``share`` in (0, 1],
        summing to 1 per practitioner.
    illustrative_ages
        True when birth years were generated (see ``workforce``): outputs must say so.
    source
        Where the roster came from (file path, "BPE 2017"...), for provenance and reports.
    """

    practitioners: pd.DataFrame
    sites: pd.DataFrame
    assignments: pd.DataFrame
    illustrative_ages: bool = False
    source: str = field(default="")

    @property
    def site_fte(self) -> pd.Series:
        """FTE practising at each site (sum of FTE x share), indexed by ``site_id``."""
        merged = self.assignments.merge(
            self.practitioners[["practitioner_id", "fte"]], on="practitioner_id"
        )
        fte = (merged["fte"] * merged["share"]).groupby(merged["site_id"]).sum()
        return fte.reindex(self.sites["site_id"], fill_value=0.0).rename("fte")

    @property
    def site_communes(self) -> dict[str, str]:
        """INSEE code of the commune of each site, by ``site_id``."""
        sites = self.sites
        return dict(
            zip(sites["site_id"].astype(str), sites["commune_code"].astype(str), strict=True)
        )


def _require_columns(frame: pd.DataFrame, required: Iterable[str], *, table: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValidationError(
            "supply.missing_columns", field=table, columns=missing, required=list(required)
        )


def _as_id(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip().astype(object)


_PRACTITIONER_DEFAULTS: dict[str, Any] = {
    "profession": DEFAULT_PROFESSION,
    "birth_year": pd.NA,
    "activity": np.nan,
    "fte": 1.0,
    "new_install": False,
    "health_centre": False,
    "retirement_year": pd.NA,
}


def _practitioners(prac: pd.DataFrame, problems: list[Message]) -> pd.DataFrame:
    for col, value in _PRACTITIONER_DEFAULTS.items():
        if col not in prac.columns:
            prac[col] = value
    prac["practitioner_id"] = _as_id(prac["practitioner_id"])
    prac["profession"] = prac["profession"].fillna(DEFAULT_PROFESSION).astype(str)
    for col in ("birth_year", "retirement_year"):
        numeric = pd.to_numeric(prac[col], errors="coerce")
        bad = prac.loc[numeric.isna() & prac[col].notna(), "practitioner_id"]
        if len(bad):
            problems.append(Message("supply.not_a_year", column=col, ids=list(bad)))
        prac[col] = numeric.round().astype("Int64")
    for col in ("activity", "fte"):
        prac[col] = pd.to_numeric(prac[col], errors="coerce").astype(float)
    for col in ("new_install", "health_centre"):
        prac[col] = prac[col].fillna(value=False).astype(bool)
    return prac[
        [*PRACTITIONER_COLUMNS, *[c for c in prac.columns if c not in PRACTITIONER_COLUMNS]]
    ]


def _sites(sites: pd.DataFrame) -> pd.DataFrame:
    site = sites.copy()
    _require_columns(site, ["site_id", "commune_code", "lon", "lat"], table="sites")
    site["site_id"] = _as_id(site["site_id"])
    if "name" not in site.columns:
        site["name"] = site["site_id"]
    if "kind" not in site.columns:
        site["kind"] = "cabinet"
    site["kind"] = site["kind"].fillna("cabinet").astype(str).str.strip()
    site["commune_code"] = _as_id(site["commune_code"]).str.zfill(5)
    for col in ("lon", "lat"):
        site[col] = pd.to_numeric(site[col], errors="coerce").astype(float)
    return site[[*SITE_COLUMNS, *[c for c in site.columns if c not in SITE_COLUMNS]]]


def _assignments(assignments: pd.DataFrame) -> pd.DataFrame:
    asg = assignments.copy()
    _require_columns(asg, ["practitioner_id", "site_id"], table="assignments")
    if "share" not in asg.columns:
        asg["share"] = 1.0
    asg["practitioner_id"] = _as_id(asg["practitioner_id"])
    asg["site_id"] = _as_id(asg["site_id"])
    asg["share"] = pd.to_numeric(asg["share"], errors="coerce").astype(float)
    return asg[list(ASSIGNMENT_COLUMNS)]


def make_roster(
    practitioners: pd.DataFrame,
    sites: pd.DataFrame,
    assignments: pd.DataFrame | None = None,
    *,
    known_communes: Collection[str] | None = None,
    current_year: int | None = None,
    illustrative_ages: bool = False,
    source: str = "",
) -> Roster:
    """Normalise, default and validate a roster.

    Parameters
    ----------
    practitioners
        Needs ``practitioner_id``; other columns of :data:`PRACTITIONER_COLUMNS` are filled with
        defaults when absent (profession ``generaliste``, FTE 1, unknown age and activity,
        flags False).
    sites
        Needs ``site_id``, ``commune_code``, ``lon``, ``lat``; ``kind`` defaults to ``cabinet``,
        ``name`` to the site id.
    assignments
        Practitioner x site shares. When ``None``, ``practitioners`` must carry a ``site_id`` column
        and each practitioner works full time at that one site.
    known_communes
        When given, every site's ``commune_code`` must be in it.
    current_year
        Birth years after it are rejected (default: today's year).
    illustrative_ages
        Mark generated ages (carried to every output).
    source
        Provenance label.

    Returns
    -------
    Roster
        Validated, with normalised dtypes.

    Raises
    ------
    ValidationError
        One error listing every bad row: unknown commune, shares not summing to 1, negative FTE or
        activity, birth year in the future, retirement before birth, duplicate ids, unknown site or
        practitioner in the assignments, invalid kind or coordinates.
    """
    year_now = current_year if current_year is not None else dt.datetime.now(tz=dt.UTC).year
    prac = practitioners.copy()
    _require_columns(prac, ["practitioner_id"], table="practitioners")
    if assignments is None:
        _require_columns(prac, ["practitioner_id", "site_id"], table="practitioners")
        assignments = pd.DataFrame(
            {"practitioner_id": prac["practitioner_id"], "site_id": prac["site_id"], "share": 1.0}
        )
        prac = prac.drop(columns=["site_id"])
    problems: list[Message] = []
    prac = _practitioners(prac, problems)
    site = _sites(sites)
    asg = _assignments(assignments)
    problems.extend(_problems(prac, site, asg, known_communes=known_communes, year_now=year_now))
    if problems:
        raise ValidationError(
            "supply.invalid_roster",
            field="roster",
            problems=tuple(problems),
            details=" ; ".join(str(p) for p in problems),
        )
    return Roster(
        practitioners=prac.reset_index(drop=True),
        sites=site.reset_index(drop=True),
        assignments=asg.reset_index(drop=True),
        illustrative_ages=illustrative_ages,
        source=source,
    )


def _problems(
    prac: pd.DataFrame,
    site: pd.DataFrame,
    asg: pd.DataFrame,
    *,
    known_communes: Collection[str] | None,
    year_now: int,
) -> list[Message]:
    """Every problem of a normalised roster, one message per kind of problem."""
    out: list[Message] = []
    pid = prac["practitioner_id"]

    def flag(mask: pd.Series, ids: pd.Series, problem: Message) -> None:
        if bool(mask.any()):
            out.append(Message(problem.code, **problem.params, ids=list(ids[mask])))

    flag(pid.isna() | (pid == ""), pid.fillna(EMPTY), Message("supply.blank_practitioner_id"))
    flag(pid.duplicated(keep=False), pid, Message("supply.duplicate_practitioner_id"))
    flag(prac["fte"].isna() | (prac["fte"] < 0), pid, Message("supply.bad_fte"))
    flag(prac["activity"] < 0, pid, Message("supply.negative_activity"))
    after = Message("supply.birth_year_future", year=year_now)
    flag(prac["birth_year"].fillna(0) > year_now, pid, after)
    flag(prac["birth_year"].fillna(1900) < 1900, pid, Message("supply.birth_year_old", year=1900))
    both = prac["birth_year"].notna() & prac["retirement_year"].notna()
    flag(
        both & (prac["retirement_year"].fillna(0) <= prac["birth_year"].fillna(0)),
        pid,
        Message("supply.retirement_before_birth"),
    )

    sid = site["site_id"]
    flag(sid.duplicated(keep=False), sid, Message("supply.duplicate_site_id"))
    kinds = Message("supply.bad_kind", kinds=list(SITE_KINDS))
    flag(~site["kind"].isin(SITE_KINDS), sid, kinds)
    bad_xy = (
        site["lon"].isna()
        | site["lat"].isna()
        | ~site["lon"].between(-180, 180)
        | ~site["lat"].between(-90, 90)
    )
    flag(bad_xy, sid, Message("supply.bad_site_coordinates"))
    flag(
        ~site["commune_code"].str.fullmatch(r"[0-9][0-9AB][0-9]{3}"),
        sid,
        Message("supply.malformed_commune_code"),
    )
    if known_communes is not None:
        known = set(known_communes)
        unknown = Message("supply.unknown_commune_code")
        flag(~site["commune_code"].isin(known), site["commune_code"], unknown)

    label = asg["practitioner_id"].astype(str) + "@" + asg["site_id"].astype(str)
    flag(
        asg["share"].isna() | (asg["share"] <= 0) | (asg["share"] > 1),
        label,
        Message("supply.bad_share"),
    )
    flag(~asg["practitioner_id"].isin(set(pid)), label, Message("supply.unknown_practitioner"))
    flag(~asg["site_id"].isin(set(sid)), label, Message("supply.unknown_site"))
    duplicated = asg.duplicated(["practitioner_id", "site_id"], keep=False)
    flag(duplicated, label, Message("supply.duplicate_assignment"))
    totals = asg.groupby("practitioner_id")["share"].sum()
    off = totals[(totals - 1.0).abs() > SHARE_TOLERANCE]
    if len(off):
        shares = {str(k): round(float(v), 3) for k, v in off.items()}
        out.append(Message("supply.shares_not_one", shares=shares))
    unassigned = pid[~pid.isin(set(asg["practitioner_id"]))]
    if len(unassigned):
        out.append(Message("supply.no_site", ids=list(unassigned)))
    return out


# --- the study area's GP sites from official counts ---------------------------------------------


def mark_territory(roster: Roster, codes: Collection[str]) -> Roster:
    """Return the roster with a boolean ``in_territory`` column on its sites.

    Parameters
    ----------
    roster
        Any roster (from a user file or official sources).
    codes
        INSEE codes of the territory (without its buffer).

    Returns
    -------
    Roster
        The same roster; ``sites["in_territory"]`` is True for sites in one of ``codes``.
    """
    import dataclasses

    inside = {str(c) for c in codes}
    sites = roster.sites.assign(in_territory=isin_codes(roster.sites["commune_code"], inside))
    return dataclasses.replace(roster, sites=sites)
