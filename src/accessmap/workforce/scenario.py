"""Workforce outlook scenarios: replacements, installations, rotations and volunteer centres.

In accessmap a **scenario** is always a *workforce outlook scenario*: what happens to the roster
over the years besides retirements (departures replaced, a GP settling, a MilleSoins-style team
rotating over several sites, a Médecins Solidaires centre opening). Sites compared side by side
for a new health centre are *options* (:mod:`accessmap.options`), not scenarios.

Officials write scenarios in TOML (``data/scenario_example.toml``, read by :func:`parse_scenario`):

.. code-block:: toml

    name = "Remplacements et équipe MilleSoins"
    [replacement]            # optional: share of departures replaced, after a delay
    fraction = 0.5
    delay_years = 2
    [[installation]]         # any number: a GP settling at a site in a year
    site_id = "msp-peyrelevade"
    year = 2028
    [[rotation]]             # any number: a team with time shares over several sites
    name = "Équipe"
    year = 2027
    fte = 2.0
    shares = { "msp-bugeat" = 0.5, "msp-peyrelevade" = 0.5 }
    [[volunteer_centre]]     # any number: volunteer-weeks per year at a site
    site_id = "centre-ajain"
    year = 2026
    weeks_per_year = 48
    [[site]]                 # any number: new sites used above (lon/lat in EPSG:4326)
    site_id = "centre-gentioux"
    commune_code = "23090"
    lon = 1.9959
    lat = 45.7849
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accessmap.conventions import VOLUNTEER_WEEKS_PER_CENTRE, WEEKS_PER_FTE
from accessmap.errors import ValidationError
from accessmap.messages import Message

__all__ = [
    "DEFAULT_WEEKS_PER_FTE",
    "Installation",
    "NewSite",
    "Replacement",
    "Rotation",
    "Scenario",
    "VolunteerCentre",
    "check_scenario",
    "parse_scenario",
    "scenario_from_mapping",
]

#: Working weeks of one full-time GP per year (N volunteer-weeks a year make N / 47 FTE): the one
#: constant :data:`accessmap.conventions.WEEKS_PER_FTE`, kept under this name.
DEFAULT_WEEKS_PER_FTE = WEEKS_PER_FTE


@dataclass(frozen=True, slots=True)
class Replacement:
    """A fraction of departures replaced at the same site(s), after a delay.

    Each departing GP is replaced with probability ``fraction`` (an independent draw per departure
    under Monte Carlo; ``fraction`` of the expected departures in the expected engine), by a new GP
    with the same time shares, who arrives ``delay_years`` after the departure and stays through
    the horizon. The newcomer counts the DREES new-GP activity (``new_gp_acts`` per FTE).

    Attributes
    ----------
    fraction
        Share of departures replaced, in [0, 1].
    delay_years
        Years between the departure and the arrival (0: same year).
    fte
        FTE of a replacement (default: the departing GP's FTE).
    """

    fraction: float
    delay_years: int = 1
    fte: float | None = None


@dataclass(frozen=True, slots=True)
class Installation:
    """A named new installation: a GP (or several) starting at a site in a given year.

    Attributes
    ----------
    site_id
        Site of the roster or of the scenario's ``sites``.
    year
        First year of practice.
    fte
        FTE installed.
    headcount
        Number of GPs this counts for.
    acts_per_fte
        Activity counted for the APL per FTE (default: the DREES new-GP activity, 5,400).
    """

    site_id: str
    year: int
    fte: float = 1.0
    headcount: int = 1
    acts_per_fte: float | None = None


@dataclass(frozen=True, slots=True)
class Rotation:
    """A MilleSoins-style team rotating over several sites with time shares.

    Attributes
    ----------
    name
        Label of the team.
    year
        First year of practice.
    shares
        Site id → share of the team's time (shares sum to 1).
    fte
        Total FTE of the team.
    headcount
        Number of GPs in the team.
    acts_per_fte
        Activity per FTE (default: the DREES new-GP activity).
    """

    name: str
    year: int
    shares: Mapping[str, float]
    fte: float = 1.0
    headcount: int = 1
    acts_per_fte: float | None = None


@dataclass(frozen=True, slots=True)
class VolunteerCentre:
    """A Médecins Solidaires centre: volunteer GPs who each come for about one week a year.

    Its FTE is ``weeks_per_year / weeks_per_fte``. Volunteers are not resident GPs: the centre adds
    FTE and APL supply but no headcount.

    Attributes
    ----------
    site_id
        Site of the roster or of the scenario's ``sites``.
    year
        Opening year.
    weeks_per_year
        Volunteer-weeks staffed per year (Médecins Solidaires: 45-52 to run one centre).
    weeks_per_fte
        Working weeks of one full-time GP a year (default :data:`DEFAULT_WEEKS_PER_FTE`).
    acts_per_fte
        Activity per FTE (default: the DREES new-GP activity; centre GPs are not capped).
    """

    site_id: str
    year: int
    weeks_per_year: float = VOLUNTEER_WEEKS_PER_CENTRE
    weeks_per_fte: float = DEFAULT_WEEKS_PER_FTE
    acts_per_fte: float | None = None

    @property
    def fte(self) -> float:
        """Full-time equivalents: volunteer-weeks ÷ working weeks per full-time GP."""
        return self.weeks_per_year / self.weeks_per_fte


@dataclass(frozen=True, slots=True)
class NewSite:
    """A practice site that does not exist yet (a new MSP, a volunteer centre).

    Attributes
    ----------
    site_id, name, kind, commune_code, lon, lat
        As in :attr:`accessmap.supply.Roster.sites`; the travel-time table must hold times to it.
    """

    site_id: str
    commune_code: str
    lon: float
    lat: float
    name: str = ""
    kind: str = "msp"


@dataclass(frozen=True, slots=True)
class Scenario:
    """Replacement scenario: any combination of the parts below (all optional).

    Combine two scenarios with ``a + b`` (at most one of them may set ``replacement``).

    Attributes
    ----------
    name
        Label shown in outputs.
    replacement
        Share of departures replaced at the same site after a delay.
    installations
        Named new installations.
    rotations
        Teams rotating over several sites.
    volunteer_centres
        Médecins Solidaires-style centres.
    sites
        New sites used by the parts above.
    """

    name: str = "none"
    replacement: Replacement | None = None
    installations: tuple[Installation, ...] = ()
    rotations: tuple[Rotation, ...] = ()
    volunteer_centres: tuple[VolunteerCentre, ...] = ()
    sites: tuple[NewSite, ...] = ()

    def __add__(self, other: Scenario) -> Scenario:
        if self.replacement is not None and other.replacement is not None:
            raise ValidationError(
                "workforce.two_replacement_rules",
                field="scenario.replacement",
                first=self.name,
                second=other.name,
            )
        names = [n for n in (self.name, other.name) if n and n != "none"]
        return Scenario(
            name=" + ".join(names) or "none",
            replacement=self.replacement or other.replacement,
            installations=self.installations + other.installations,
            rotations=self.rotations + other.rotations,
            volunteer_centres=self.volunteer_centres + other.volunteer_centres,
            sites=self.sites + other.sites,
        )


def _build(kind: type[Any], raw: object, where: str) -> Any:
    if not isinstance(raw, Mapping):
        raise ValidationError("workforce.scenario_not_table", field=where)
    names = {f.name for f in dataclasses.fields(kind)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise ValidationError(
            "workforce.scenario_unknown_keys", field=where, keys=unknown, allowed=sorted(names)
        )
    try:
        return kind(**raw)
    except TypeError:
        raise ValidationError(
            "workforce.scenario_incomplete", field=where, missing=_missing_keys(kind, raw)
        ) from None


def scenario_from_mapping(data: Mapping[str, Any]) -> Scenario:
    """Build a :class:`Scenario` from a mapping (a parsed TOML or JSON scenario file).

    Parameters
    ----------
    data
        Keys ``name``, ``replacement`` (table), and arrays of tables ``installation``,
        ``rotation``, ``volunteer_centre``, ``site`` (see ``data/scenario_example.toml``).

    Returns
    -------
    Scenario
        Not yet checked against a roster: :func:`outlook` does that.

    Raises
    ------
    ValidationError
        Unknown keys, missing required keys, wrong types.

    References
    ----------
    MilleSoins pôle de santé (Montagne limousine); Médecins Solidaires, « une semaine pour soigner
    nos villages », 2022.
    """
    allowed = {"name", "replacement", "installation", "rotation", "volunteer_centre", "site"}
    unknown = sorted(set(data) - allowed)
    if "option" in unknown:
        raise ValidationError("workforce.scenario_is_options", field="scenario")
    if unknown:
        raise ValidationError(
            "workforce.scenario_unknown_keys",
            field="scenario",
            keys=unknown,
            allowed=sorted(allowed),
        )

    def many(key: str, kind: type[Any]) -> tuple[Any, ...]:
        raw = data.get(key, [])
        if isinstance(raw, Mapping):
            raw = [raw]
        return tuple(_build(kind, item, f"scenario.{key}[{i}]") for i, item in enumerate(raw))

    rep = data.get("replacement")
    return Scenario(
        name=str(data.get("name", "scenario")),
        replacement=None if rep is None else _build(Replacement, rep, "scenario.replacement"),
        installations=many("installation", Installation),
        rotations=many("rotation", Rotation),
        volunteer_centres=many("volunteer_centre", VolunteerCentre),
        sites=many("site", NewSite),
    )


def parse_scenario(text: str, *, source: str = "scenario") -> Scenario:
    """Parse a scenario written in TOML (the format officials edit; see the example file).

    Parameters
    ----------
    text
        TOML text.
    source
        Name of the file, for error messages.

    Returns
    -------
    Scenario
        The scenario.

    Raises
    ------
    ValidationError
        Invalid TOML, unknown keys, missing keys.

    References
    ----------
    TOML v1.0.0 specification, https://toml.io/en/v1.0.0.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        if where is None:
            raise ValidationError("workforce.scenario_toml", field=source) from None
        raise ValidationError(
            "workforce.scenario_toml_at",
            field=source,
            line=int(where.group(1)),
            column=int(where.group(2)),
        ) from None
    return scenario_from_mapping(data)


def _missing_keys(kind: type[Any], raw: Mapping[str, Any]) -> list[str]:
    """Return the required fields of a dataclass absent from ``raw``."""
    return [
        f.name
        for f in dataclasses.fields(kind)
        if f.name not in raw
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]


def _replacement_problems(rep: Replacement | None, *, horizon: int) -> list[Message]:
    if rep is None:
        return []
    out = []
    if not isinstance(rep.fraction, int | float) or not 0 <= rep.fraction <= 1:
        out.append(Message("workforce.problem_fraction", value=rep.fraction))
    if not isinstance(rep.delay_years, int) or not 0 <= rep.delay_years <= horizon:
        out.append(Message("workforce.problem_delay", value=rep.delay_years, horizon=horizon))
    if rep.fte is not None and (not isinstance(rep.fte, int | float) or not 0 < rep.fte <= 2):
        out.append(Message("workforce.problem_fte", value=rep.fte))
    return out


def check_scenario(
    scenario: Scenario, *, site_ids: set[str], start_year: int, horizon: int
) -> None:
    """Check a scenario against the roster's sites and the outlook's years.

    Parameters
    ----------
    scenario
        The scenario.
    site_ids
        Site ids of the roster (the scenario may add its own under ``sites``).
    start_year
        First year of the outlook.
    horizon
        Projected years after the start year.

    Raises
    ------
    ValidationError
        One message listing every problem: unknown site, year outside the horizon, negative
        numbers, rotation shares not summing to 1, fraction outside [0, 1], clashing site ids.

    References
    ----------
    MilleSoins pôle de santé (time shares over four MSPs); Médecins Solidaires (volunteer-weeks).
    """
    end = start_year + horizon
    problems = _replacement_problems(scenario.replacement, horizon=horizon)
    new_ids = [s.site_id for s in scenario.sites]
    clash = sorted({s for s in new_ids if s in site_ids or new_ids.count(s) > 1})
    if clash:
        problems.append(Message("workforce.problem_site_clash", ids=clash))
    known = site_ids | set(new_ids)

    def check(where: str, *, year: object, sites: Sequence[str], **numbers: object) -> None:
        if not isinstance(year, int | np.integer) or not start_year <= year <= end:
            problems.append(
                Message("workforce.problem_year", where=where, year=year, start=start_year, end=end)
            )
        problems.extend(
            Message("workforce.problem_unknown_site", where=where, site=site)
            for site in sites
            if str(site) not in known
        )
        for name, value in numbers.items():
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                problems.append(
                    Message("workforce.problem_negative", where=where, name=name, value=value)
                )

    for i, inst in enumerate(scenario.installations):
        check(
            f"scenario.installation[{i}]",
            year=inst.year,
            sites=[inst.site_id],
            fte=inst.fte,
            headcount=inst.headcount,
        )
    for i, rot in enumerate(scenario.rotations):
        where = f"scenario.rotation[{i}] ({rot.name})"
        check(where, year=rot.year, sites=list(rot.shares), fte=rot.fte, headcount=rot.headcount)
        shares = [float(v) if isinstance(v, int | float) else -1.0 for v in rot.shares.values()]
        if not shares or any(not 0 < v <= 1 for v in shares) or abs(sum(shares) - 1) > 1e-6:
            problems.append(Message("workforce.problem_shares", where=where))
    for i, vc in enumerate(scenario.volunteer_centres):
        where = f"scenario.volunteer_centre[{i}]"
        check(where, year=vc.year, sites=[vc.site_id], weeks_per_year=vc.weeks_per_year)
        if not isinstance(vc.weeks_per_fte, int | float) or not 0 < vc.weeks_per_fte <= 53:
            problems.append(
                Message("workforce.problem_weeks_per_fte", where=where, value=vc.weeks_per_fte)
            )
    problems.extend(
        Message("workforce.problem_lonlat", index=i)
        for i, site in enumerate(scenario.sites)
        if not (-180 <= float(site.lon) <= 180 and -90 <= float(site.lat) <= 90)
    )
    if problems:
        raise ValidationError("workforce.scenario_invalid", field="scenario", problems=problems)
