"""The input layer: what is loaded, and which travel times are used, for every command alike.

``accessmap territory``, ``traveltimes``, ``indicators``, ``outlook``, ``site``, ``compare`` and
``diagnose`` (and the notebooks) all call :func:`load_inputs` and
:func:`accessmap.inputs.traveltimes.compute_traveltimes`; none reads a source or picks a travel-time
table on its own. Domain modules never import this package or :mod:`accessmap.sources`: they
receive the tables built here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accessmap.contracts import isin_codes
from accessmap.errors import MissingDataError, ValidationError
from accessmap.inputs.demand import demand_table
from accessmap.inputs.professions import profession_roster
from accessmap.inputs.roster import ROSTER_SCOPES, RosterScope, load_roster_csv, territory_roster
from accessmap.inputs.territory import load_territory
from accessmap.inputs.traveltimes import (
    RoadChoice,
    candidate_points,
    choose_roads,
    compute_traveltimes,
    destination_points,
    site_points,
    store_traveltimes,
)
from accessmap.messages import Message
from accessmap.sources._once import forget_reads, read_once

if TYPE_CHECKING:
    import pandas as pd

    from accessmap.contracts import AplParameters
    from accessmap.sources import SourceFile
    from accessmap.supply import Roster
    from accessmap.territory import Territory
    from accessmap.workforce import Scenario

__all__ = [
    "ILLUSTRATIVE_NOTE",
    "ROSTER_SCOPES",
    "InputOptions",
    "Inputs",
    "RoadChoice",
    "RosterScope",
    "candidate_points",
    "choose_roads",
    "compute_traveltimes",
    "demand_table",
    "destination_points",
    "forget_reads",
    "load_inputs",
    "load_options_file",
    "load_roster_csv",
    "load_scenario",
    "load_territory",
    "profession_roster",
    "read_once",
    "site_points",
    "store_traveltimes",
    "territory_roster",
    "zrr_for",
]

#: Said wherever generated ages are used.
ILLUSTRATIVE_NOTE = str(Message("inputs.illustrative_ages"))
_FIRST_APL_YEAR, _LAST_APL_YEAR = 2015, 2030


@dataclass(frozen=True, slots=True)
class InputOptions:
    """What to load, for every command alike.

    Attributes
    ----------
    territory
        Territory specification (see :func:`load_territory`).
    buffer_km
        Width of the study buffer (km).
    roster
        The user's roster CSV; ``None``: official counts with **illustrative** ages.
    osm
        A road file (wins over the mirror's).
    crowfly
        Force the crow-fly estimate (no road network).
    online
        Allow downloads (communes, Overpass).
    winter
        Winter speeds; ``None`` reads the ``ACCESSMAP_WINTER`` setting.
    seed
        Seed of the illustrative ages.
    illustrative_ages
        With ``roster``: draw illustrative ages for the practitioners without a birth year
        (without a roster, every age is illustrative).
    roster_scope
        With ``roster``: ``"territory"`` (default: the user's roster inside the territory, the
        official counts in the buffer communes it does not list) or ``"everywhere"`` (the user's
        roster alone); the notes say which (:func:`~accessmap.inputs.roster.territory_roster`).
    apl_year
        Vintage of the DREES parameters and published APL.
    """

    territory: str = "montagne-limousine"
    buffer_km: float = 30.0
    roster: Path | None = None
    osm: Path | None = None
    crowfly: bool = False
    online: bool = False
    winter: bool | None = None
    seed: int = 0
    illustrative_ages: bool = False
    apl_year: int = 2023
    roster_scope: RosterScope = "territory"

    def __post_init__(self) -> None:
        """Check the options at the boundary."""
        if self.seed < 0 or self.seed >= 2**32:
            raise ValidationError("inputs.bad_seed", field="--seed", seed=self.seed, top=2**32 - 1)
        if not _FIRST_APL_YEAR <= self.apl_year <= _LAST_APL_YEAR:
            raise ValidationError(
                "inputs.bad_apl_year",
                field="--year",
                year=self.apl_year,
                first=_FIRST_APL_YEAR,
                last=_LAST_APL_YEAR,
            )
        if self.roster_scope not in ROSTER_SCOPES:
            raise ValidationError(
                "inputs.bad_roster_scope",
                field="--roster-scope",
                scope=self.roster_scope,
                choices=list(ROSTER_SCOPES),
            )
        if self.osm is not None and self.crowfly:
            raise ValidationError("inputs.osm_and_crowfly", field="--crowfly")


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything read for one territory, and the demand built from it.

    Attributes
    ----------
    options
        What was asked.
    territory
        The territory and its buffer.
    roster
        Practitioners and sites of the study area (sites carry ``in_territory``).
    params
        DREES APL parameters.
    published
        DREES published APL of the study area's communes (all vintages), or ``None``.
    demand
        ``id``, ``population``, ``pop_std``, ``in_territory`` (:func:`demand_table`).
    roads
        Which road network gives the travel times.
    zrr
        ``code``, ``zrr`` (bool) for the territory's communes found in the ANCT ZRR file, or
        ``None`` without the file (see :func:`zrr_for`).
    provenance
        Every file read.
    notes
        Caveats for readers (French).
    """

    options: InputOptions
    territory: Territory
    roster: Roster
    params: AplParameters
    published: pd.DataFrame | None
    demand: pd.DataFrame
    roads: RoadChoice
    zrr: pd.DataFrame | None = None
    provenance: tuple[SourceFile, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def ages_are_illustrative(self) -> bool:
        """True when practitioners' ages were generated (no user roster)."""
        return bool(self.roster.illustrative_ages)


def load_scenario(path: Path) -> Scenario:
    """Read an outlook scenario file (TOML; see ``accessmap/data/scenario_example.toml``).

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    accessmap.workforce.Scenario

    Raises
    ------
    MissingDataError
        The file does not exist.
    ValidationError
        Unreadable file or invalid scenario (named with its fix).
    """
    from accessmap.sources import read_text
    from accessmap.workforce import parse_scenario

    return parse_scenario(read_text(path, what="--scenario"), source=Path(path).name)


def load_options_file(path: Path) -> dict[str, Any]:
    """Read a siting-options file (TOML or JSON; see ``accessmap/data/options_example.toml``).

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    dict
        Its tables (``territory``, ``[[option]]``...); checked by :mod:`accessmap.options`.

    Raises
    ------
    MissingDataError
        The file does not exist.
    ValidationError
        Unreadable file or invalid TOML/JSON syntax.
    """
    import json
    import tomllib

    from accessmap.sources import parse_error_place, read_text

    text = read_text(path, what="--options")
    try:
        data = json.loads(text) if Path(path).suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(
            "inputs.options_syntax",
            field="--options",
            name=Path(path).name,
            where=parse_error_place(exc),
        ) from None
    if not isinstance(data, dict):
        raise ValidationError("inputs.options_not_table", field="--options", name=Path(path).name)
    return data


def zrr_for(codes: list[str], log: list[SourceFile], notes: list[str]) -> pd.DataFrame | None:
    """ZRR status of current communes from the ANCT file (2017 geography).

    Rule for communes merged since 2017: a current commune takes the status of the 2017 commune
    that bears its code (the COG keeps the code of the chef-lieu for a commune nouvelle); a
    current code absent from the 2017 file stays unknown (said in the notes).

    Parameters
    ----------
    codes
        Current INSEE codes.
    log
        Receives the file's provenance.
    notes
        Receives what could not be matched.

    Returns
    -------
    pandas.DataFrame or None
        ``code``, ``zrr``; ``None`` when the file is unavailable.
    """
    from accessmap.sources import load_zrr

    try:
        table = load_zrr(provenance=log)
    except MissingDataError:
        return None
    known = table[isin_codes(table["code"], codes)][["code", "zrr"]]
    unknown = sorted(set(codes) - set(known["code"]))
    if unknown:
        notes.append(str(Message("inputs.zrr_unknown", count=len(unknown), codes=unknown)))
    return known.reset_index(drop=True)


def _drees(log: list[SourceFile], notes: list[str]) -> tuple[AplParameters, pd.DataFrame | None]:
    from accessmap.contracts import AplParameters
    from accessmap.sources import load_apl_parameters, load_apl_published

    try:
        return load_apl_parameters(provenance=log), load_apl_published(provenance=log)
    except MissingDataError as exc:
        notes.append(str(Message("inputs.drees_unavailable", reason=exc.message, year=2023)))
        return AplParameters(), None


def load_inputs(options: InputOptions) -> Inputs:
    """Read the territory, the roster and the DREES parameters, and build the demand.

    Parameters
    ----------
    options
        What to load.

    Returns
    -------
    Inputs
        With the provenance of every file read and the caveats a reader must see.

    Raises
    ------
    AccessmapError
        Any invalid or missing input, named with its fix.

    References
    ----------
    INSEE BPE (D201); ANS Annuaire santé; DREES APL workbook.
    """
    from accessmap.workforce import illustrative_roster

    log: list[SourceFile] = []
    notes: list[str] = []
    territory = load_territory(options.territory, buffer_km=options.buffer_km, provenance=log)
    params, published = _drees(log, notes)
    roster = territory_roster(
        territory, path=options.roster, scope=options.roster_scope, provenance=log, notes=notes
    )
    if options.roster is None or options.illustrative_ages:
        roster = illustrative_roster(roster, seed=options.seed)
        notes.append(ILLUSTRATIVE_NOTE)
    if published is not None:
        codes = set(territory.study_area["code"].astype(str))
        published = published[isin_codes(published["code"], codes)].reset_index(drop=True)
    roads = choose_roads(
        territory.study_area, osm=options.osm, crowfly=options.crowfly, online=options.online
    )
    return Inputs(
        options=options,
        territory=territory,
        roster=roster,
        params=params,
        published=published,
        demand=demand_table(territory.study_area, published),
        roads=roads,
        zrr=zrr_for(territory.codes, log, notes),
        provenance=tuple(log),
        notes=tuple(notes),
    )
