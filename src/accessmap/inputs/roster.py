"""The practitioner roster of a study area: the user's file, or the official sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from accessmap.errors import ValidationError
from accessmap.messages import Message, muted
from accessmap.supply import (
    Roster,
    make_roster,
    mark_territory,
    roster_from_table,
    study_area_roster,
)

if TYPE_CHECKING:
    from collections.abc import Collection

    from accessmap.sources import SourceFile
    from accessmap.territory import Territory

__all__ = ["ROSTER_SCOPES", "RosterScope", "combine_rosters", "load_roster_csv", "territory_roster"]

RosterScope = Literal["territory", "everywhere"]

#: Where a user's roster is used: ``territory`` (default: the user's sites inside the territory,
#: the official counts in the buffer except the communes the user's roster lists), or
#: ``everywhere`` (the user's roster alone, buffer included).
ROSTER_SCOPES: tuple[RosterScope, ...] = ("territory", "everywhere")


def load_roster_csv(
    path: str | Path,
    *,
    town_halls: pd.DataFrame | None = None,
    known_communes: Collection[str] | None = None,
    current_year: int | None = None,
    illustrative_ages: bool = False,
    provenance: list[SourceFile] | None = None,
) -> Roster:
    """Read a roster file and build a validated :class:`~accessmap.supply.Roster`.

    Parameters
    ----------
    path
        The roster CSV (``,`` or French ``;`` with decimal commas; see
        ``docs/roster_template.md``).
    town_halls
        ``code``, ``lon``, ``lat``: sites without coordinates stand at their commune's town hall.
    known_communes
        When given, every ``commune_code`` must be in it.
    current_year
        Birth years after it are rejected (default: this year).
    illustrative_ages
        Mark the birth years as generated rather than facts.
    provenance
        When given, a record of the file is appended.

    Returns
    -------
    Roster

    Raises
    ------
    MissingDataError
        The file does not exist.
    ValidationError
        Unreadable or invalid rows (see :func:`accessmap.supply.roster_from_table`).
    """
    from accessmap.sources import read_roster_table

    raw = read_roster_table(path, provenance=provenance)
    return roster_from_table(
        raw,
        name=Path(path).name,
        town_halls=town_halls,
        known_communes=known_communes,
        current_year=current_year,
        illustrative_ages=illustrative_ages,
        decimal_comma=bool(raw.attrs.get("decimal_comma", False)),
    )


def combine_rosters(user: Roster, official: Roster, *, territory_codes: Collection[str]) -> Roster:
    """Combine the user's roster inside the territory with the official one outside.

    Parameters
    ----------
    user
        The user's roster (authoritative in every territory commune, listed or not, and in the
        buffer communes it lists).
    official
        The official roster of the study area.
    territory_codes
        INSEE codes of the territory (without its buffer).

    Returns
    -------
    Roster
        The user's practitioners and sites, plus the official sites (and their practitioners) of
        the buffer communes absent from the user's roster; official ids that clash with the user's
        are prefixed ``officiel-``. Ages stay illustrative only if the user's were.
    """
    covered = {str(c) for c in territory_codes} | set(user.sites["commune_code"].astype(str))
    kept = official.sites.loc[~official.sites["commune_code"].astype(str).isin(covered)]
    assignments = official.assignments.loc[official.assignments["site_id"].isin(kept["site_id"])]
    practitioners = official.practitioners.loc[
        official.practitioners["practitioner_id"].isin(assignments["practitioner_id"])
    ]
    clash_sites = set(user.sites["site_id"])
    clash_people = set(user.practitioners["practitioner_id"])

    def renamed(values: pd.Series, clash: set[object]) -> pd.Series:
        return values.where(~values.isin(clash), "officiel-" + values.astype(str))

    kept = kept.assign(site_id=renamed(kept["site_id"], clash_sites))
    assignments = assignments.assign(
        site_id=renamed(assignments["site_id"], clash_sites),
        practitioner_id=renamed(assignments["practitioner_id"], clash_people),
    )
    practitioners = practitioners.assign(
        practitioner_id=renamed(practitioners["practitioner_id"], clash_people)
    )
    return make_roster(
        pd.concat([user.practitioners, practitioners], ignore_index=True),
        pd.concat([user.sites, kept], ignore_index=True).drop(
            columns="in_territory", errors="ignore"
        ),
        pd.concat([user.assignments, assignments], ignore_index=True),
        illustrative_ages=user.illustrative_ages,
        source=user.source,
    )


def _creuse_sites(provenance: list[SourceFile] | None) -> pd.DataFrame:
    """Read the Creuse GP sites (their communes' polygons place them: no town hall is used)."""
    from accessmap.sources import load_gp_sites_creuse

    with muted("sources.town_halls_moved"):
        return load_gp_sites_creuse(provenance=provenance)


def territory_roster(
    territory: Territory,
    *,
    path: str | Path | None = None,
    scope: RosterScope = "territory",
    illustrative_ages: bool = False,
    provenance: list[SourceFile] | None = None,
    notes: list[str] | None = None,
) -> Roster:
    """Return the GP roster of a territory's study area: the user's CSV, or the official sources.

    Parameters
    ----------
    territory
        The territory (its study area bounds the roster and gives the town-hall points).
    path
        A roster CSV; sites without coordinates stand at their commune's town hall, and every
        commune must be in the study area. ``None``: INSEE BPE counts, the Creuse annuaire and the
        committed declared sites, combined by :func:`accessmap.supply.study_area_roster`.
    scope
        With ``path``: ``"territory"`` (default) uses the user's roster inside the territory and
        the official counts in the buffer (except the buffer communes the user's roster lists);
        ``"everywhere"`` uses the user's roster alone, buffer included (a buffer commune it does
        not list has no practitioner). See :func:`combine_rosters`.
    illustrative_ages
        With ``path``: mark the CSV's birth years as generated.
    provenance
        When given, the records of every file read are appended.
    notes
        With ``path``: receives the note (in French) saying which scope was used and its effect.

    Returns
    -------
    Roster
        Validated; its sites carry ``in_territory`` whatever the source.

    Raises
    ------
    MissingDataError
        A file cannot be found (roster CSV, or official data in neither mirror nor cache).
    ValidationError
        Invalid roster rows or official files.
    """
    from accessmap.sources import load_bpe_gp_counts, load_declared_sites

    if scope not in ROSTER_SCOPES:
        raise ValidationError(
            "inputs.bad_roster_scope",
            field="--roster-scope",
            scope=scope,
            choices=list(ROSTER_SCOPES),
        )
    study = territory.study_area
    official = None
    if path is None or scope == "territory":
        official = study_area_roster(
            territory,
            bpe=load_bpe_gp_counts(provenance=provenance),
            creuse_sites=_creuse_sites(provenance),
            declared=load_declared_sites(provenance=provenance),
        )
    if path is None and official is not None:
        return mark_territory(official, territory.codes)
    assert path is not None  # noqa: S101 (the official roster is read whenever path is None)
    halls = study[["code", "mairie_lon", "mairie_lat"]].rename(
        columns={"mairie_lon": "lon", "mairie_lat": "lat"}
    )
    roster = load_roster_csv(
        path,
        town_halls=halls,
        known_communes=set(study["code"].astype(str)),
        illustrative_ages=illustrative_ages,
        provenance=provenance,
    )
    user_sites = len(roster.sites)
    if official is not None:
        roster = combine_rosters(roster, official, territory_codes=territory.codes)
    if notes is not None:
        counts = {"user_sites": user_sites, "official_sites": len(roster.sites) - user_sites}
        note = (
            Message("inputs.roster_scope_territory", **counts)
            if scope == "territory"
            else Message("inputs.roster_scope_everywhere", **counts)
        )
        notes.append(str(note))
    return mark_territory(roster, territory.codes)
