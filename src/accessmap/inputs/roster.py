"""The practitioner roster of a study area: the user's file, or the official sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from accessmap.supply import Roster, mark_territory, roster_from_table, study_area_roster

if TYPE_CHECKING:
    from collections.abc import Collection

    import pandas as pd

    from accessmap.sources import SourceFile
    from accessmap.territory import Territory

__all__ = ["load_roster_csv", "territory_roster"]


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
        A roster CSV; sites without coordinates stand at their commune's town hall, and every
        commune must be in the study area. ``None``: INSEE BPE counts, the Creuse annuaire and the
        committed declared sites, combined by :func:`accessmap.supply.study_area_roster`.
    illustrative_ages
        With ``path``: mark the CSV's birth years as generated.
    provenance
        When given, the records of every file read are appended.

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
    from accessmap.sources import load_bpe_gp_counts, load_declared_sites, load_gp_sites_creuse

    study = territory.study_area
    if path is not None:
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
    else:
        roster = study_area_roster(
            territory,
            bpe=load_bpe_gp_counts(provenance=provenance),
            creuse_sites=load_gp_sites_creuse(provenance=provenance),
            declared=load_declared_sites(provenance=provenance),
        )
    return mark_territory(roster, territory.codes)
