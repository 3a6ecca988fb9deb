"""Practitioners of any profession for a study area: the user's roster, or BPE 2019 counts."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import pandas as pd

from accessmap.messages import Message
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.professions import profession as profession_spec
from accessmap.supply import Roster, mark_territory, study_area_roster

if TYPE_CHECKING:
    from accessmap.sources import SourceFile
    from accessmap.territory import Territory

__all__ = ["profession_roster"]


def _from_bpe(
    territory: Territory, key: str, code: str, provenance: list[SourceFile] | None
) -> Roster:
    from accessmap.sources import load_bpe_counts

    counts = load_bpe_counts((code,), provenance=provenance)
    # the official-roster builder names its head-count column ``n_gp`` whatever the profession
    bpe = pd.DataFrame({"code": counts["code"], "n_gp": counts["count"]})
    roster = study_area_roster(territory, bpe=bpe)
    prefix = {"site_id": f"{key}-", "practitioner_id": f"{key}-"}
    sites = roster.sites.assign(
        site_id=prefix["site_id"] + roster.sites["site_id"].astype(str),
        name=roster.sites["name"].astype(str).str.replace("(BPE)", "(BPE 2019)", regex=False),
    )
    practitioners = roster.practitioners.assign(
        practitioner_id=prefix["practitioner_id"] + roster.practitioners["practitioner_id"],
        profession=key,
    )
    assignments = roster.assignments.assign(
        practitioner_id=prefix["practitioner_id"] + roster.assignments["practitioner_id"],
        site_id=prefix["site_id"] + roster.assignments["site_id"],
    )
    return dataclasses.replace(
        roster,
        sites=sites,
        practitioners=practitioners,
        assignments=assignments,
        source=str(Message("inputs.bpe_profession_source", year=2019, code=code, key=key)),
    )


def profession_roster(
    territory: Territory,
    roster: Roster,
    *,
    profession: str,
    user_roster: bool,
    provenance: list[SourceFile] | None = None,
) -> Roster:
    """Return the practitioners of one profession in the study area.

    Parameters
    ----------
    territory
        The territory (its study area bounds the roster).
    roster
        The loaded roster (GPs from official sources, or the user's file with any professions).
    profession
        A registered profession (:func:`accessmap.professions.profession`).
    user_roster
        The roster is the user's file: keep its rows of ``profession`` (a file without them has
        none). Otherwise GPs come from ``roster`` and other professions from the BPE 2019 counts
        (one full-time practitioner per BPE head, at the town hall).
    provenance
        Receives the BPE file's record.

    Returns
    -------
    Roster
        Sites carry ``in_territory``.

    Raises
    ------
    ValidationError
        Unknown profession.
    OfflineError
        No BPE 2019 file for a profession other than GPs.
    """
    spec = profession_spec(profession)
    if user_roster:
        keep = roster.practitioners["profession"].astype(str) == profession
        ids = set(roster.practitioners.loc[keep, "practitioner_id"])
        assignments = roster.assignments[roster.assignments["practitioner_id"].isin(ids)]
        sites = roster.sites[roster.sites["site_id"].isin(set(assignments["site_id"]))]
        return dataclasses.replace(
            roster,
            practitioners=roster.practitioners[keep].reset_index(drop=True),
            assignments=assignments.reset_index(drop=True),
            sites=sites.reset_index(drop=True),
        )
    if profession == DEFAULT_PROFESSION:
        return roster  # the input layer loaded the default profession's official supply
    return mark_territory(
        _from_bpe(territory, profession, spec.bpe_code, provenance), territory.codes
    )
