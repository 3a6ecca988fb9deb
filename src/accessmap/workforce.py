"""GP workforce outlook: retirements, replacements and what they do to access, year by year.

The outlook starts from a :class:`~accessmap.supply.Roster` (today's GPs, their sites and time
shares), a retirement model (:class:`RetirementModel`), an optional replacement
:class:`Scenario`, the long-format travel-time table (``origin_id, dest_id, minutes, method``) and
the demand (communes with their population). It projects, for every year of the horizon (the start
year, i.e. today, then ``horizon`` more years):

* GP headcount and FTE in the territory and in its buffer;
* the APL (DREES two-step indicator) of every commune and the territory mean;
* the population beyond 20 and 30 minutes of an active GP;
* the communes that lose their last GP (with a probability);
* the share of today's GPs gone.

Two engines give the same means: ``"expected"`` (deterministic expected values, exact under the
independence of practitioners) and ``"monte_carlo"`` (seeded, vectorised over runs, with 10/50/90 %
quantiles). :func:`simulate_run` is the one-run function (one draw, or a what-if with given
retirement years).

Conventions (documented in ``docs/workforce.md``):

* A GP who stops in year ``y`` (their *stop year*) practises in every year before ``y`` and in no
  year from ``y`` on. Retiring at age ``A`` means stopping in ``birth_year + A``.
* Every GP on the roster practises in the start year (today). A GP whose stop year would fall at or
  before the start year (declared year in the past, or already past the model's last age) stops in
  the first projected year.
* A declared ``retirement_year`` wins over any age model.
* Bands are half-open: "within 20 minutes" is ``minutes < 20``; "beyond 20 minutes" is the rest.

Everything built on a roster with generated ages (:func:`illustrative_roster`) carries
``ages_basis == "illustrative ages"`` in every table and :attr:`Outlook.caveat`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import tomllib
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from accessmap.errors import ValidationError, format_rows
from accessmap.indicators import AplParameters, apl_weights, counted_activity
from accessmap.supply import Roster

__all__ = [
    "DEFAULT_GP_AGE_BANDS",
    "DEFAULT_RETIREMENT_AGES",
    "DEFAULT_WEEKS_PER_FTE",
    "ILLUSTRATIVE",
    "OPEN_BAND_WIDTH",
    "QUANTILES",
    "Installation",
    "NewSite",
    "Outlook",
    "Replacement",
    "RetirementModel",
    "Rotation",
    "Scenario",
    "VolunteerCentre",
    "illustrative_roster",
    "outlook",
    "parse_scenario",
    "retirement_probabilities",
    "scenario_from_mapping",
    "simulate_run",
]

#: Default distribution of the age at which a GP stops practising (age → weight; weights are
#: normalised). An assumption, shaped on CARMF statistics (general practitioners in private
#: practice stop at 65.2 years on average, the largest single peak at 66) and on DREES (about 8 %
#: of GPs keep practising after retirement in "cumul emploi-retraite", more in sparse rural
#: areas): 60 to 72 years, 46 % between 65 and 67, a tail to 72 for cumul emploi-retraite.
DEFAULT_RETIREMENT_AGES: Mapping[int, float] = {
    60: 0.03, 61: 0.03, 62: 0.05, 63: 0.06, 64: 0.07, 65: 0.16, 66: 0.15,
    67: 0.15, 68: 0.08, 69: 0.06, 70: 0.07, 71: 0.04, 72: 0.05,
}  # fmt: skip

#: Default age distribution of GPs in activity used by :func:`illustrative_roster`, as
#: ``(lowest age, highest age, weight)`` bands (ages uniform within a band). Illustrative: shaped
#: on the CNOM *Atlas de la démographie médicale* (about one GP in three aged 60 or more in rural
#: departments) and on the territory's "half of its GPs near retirement". Never a fact.
DEFAULT_GP_AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (30, 39, 0.18),
    (40, 49, 0.20),
    (50, 54, 0.10),
    (55, 59, 0.14),
    (60, 64, 0.20),
    (65, 69, 0.13),
    (70, 74, 0.05),
)

#: Working weeks of one full-time GP per year: N volunteer-weeks a year make N / 47 FTE. An
#: assumption (52 weeks minus 5 weeks of paid leave); Médecins Solidaires counts 45 to 52
#: volunteer-weeks a year to run one centre.
DEFAULT_WEEKS_PER_FTE = 47.0

#: An open age band "65+" covers this many ages (65 to 74).
OPEN_BAND_WIDTH = 10

#: Quantiles reported by the Monte Carlo engine (columns ``q10``, ``q50``, ``q90``).
QUANTILES: tuple[float, float, float] = (0.1, 0.5, 0.9)

#: Value of the ``ages_basis`` column when ages were generated.
ILLUSTRATIVE = "illustrative ages"
_ROSTER_AGES = "roster ages"

_EPS = 1e-9
_ZONES: tuple[str, ...] = ("territory", "buffer", "outside")
_THRESHOLDS: tuple[int, int] = (20, 30)
_CHUNK_ELEMENTS = 4_000_000

Engine = Literal["expected", "monte_carlo"]
UnknownAgeRule = Literal["territory", "exclude", "keep"]


# --- retirement model ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetirementModel:
    """When GPs stop practising.

    Attributes
    ----------
    age_distribution
        Age at which a GP stops (age → weight, normalised); default
        :data:`DEFAULT_RETIREMENT_AGES`. The distribution is conditioned on the GP still practising
        in the start year (ages already passed are ruled out).
    fixed_age
        When set, every GP with a birth year stops at exactly this age (overrides
        ``age_distribution``).
    unknown_age
        GPs with neither a birth year, an ``age_band`` (optional practitioners column, ages in the
        start year: ``"60-64"``, or ``"65+"`` for :data:`OPEN_BAND_WIDTH` ages; uniform within
        the band) nor a declared year: ``"territory"`` gives them the ages of the
        roster's GPs with a known birth year (a mixture over those ages); ``"exclude"`` leaves them
        out of the outlook, with a warning; ``"keep"`` assumes they practise through the horizon.

    References
    ----------
    CARMF, *Statistiques démographiques* (age at retirement of médecins libéraux); DREES, « Cumul
    emploi-retraite des médecins libéraux », Études et Résultats, 2018; CNOM, *Atlas de la
    démographie médicale en France*, 2023.
    """

    age_distribution: Mapping[int, float] = field(
        default_factory=lambda: dict(DEFAULT_RETIREMENT_AGES)
    )
    fixed_age: int | None = None
    unknown_age: UnknownAgeRule = "territory"

    def __post_init__(self) -> None:
        if self.fixed_age is not None and not 40 <= int(self.fixed_age) <= 100:
            raise ValidationError(
                f"fixed retirement age {self.fixed_age} is implausible.",
                field="fixed_age",
                fix="give an age between 40 and 100.",
            )
        weights = list(self.age_distribution.values())
        if self.fixed_age is None and (
            not weights or any(w < 0 or not math.isfinite(w) for w in weights) or sum(weights) <= 0
        ):
            raise ValidationError(
                "the retirement-age distribution needs non-negative weights with a positive sum.",
                field="age_distribution",
                fix="give a mapping such as {65: 0.5, 67: 0.5}.",
            )
        if self.unknown_age not in ("territory", "exclude", "keep"):
            raise ValidationError(
                f"unknown rule {self.unknown_age!r}.",
                field="unknown_age",
                fix="use 'territory', 'exclude' or 'keep'.",
            )


def _age_pmf(model: RetirementModel) -> tuple[np.ndarray, np.ndarray]:
    if model.fixed_age is not None:
        return np.array([int(model.fixed_age)]), np.array([1.0])
    ages = np.array(sorted(model.age_distribution), dtype=np.int64)
    weights = np.array([float(model.age_distribution[int(a)]) for a in ages])
    return ages, weights / weights.sum()


def _pmf_from_birth(
    birth: np.ndarray, *, model: RetirementModel, start_year: int, horizon: int
) -> np.ndarray:
    """Stop-index probabilities (columns: stop in ``start_year + 1 .. + horizon``, then beyond)."""
    ages, weights = _age_pmf(model)
    n = len(birth)
    out = np.zeros((n, horizon + 1))
    if n == 0:
        return out
    stop_year = birth[:, None] + ages[None, :]
    w = np.where(stop_year > start_year, weights[None, :], 0.0)
    total = w.sum(axis=1)
    # Already past every modelled age: stops in the first projected year.
    none_left = total <= 0
    w[none_left] = 0.0
    w = np.divide(w, total[:, None], out=np.zeros_like(w), where=total[:, None] > 0)
    idx = np.clip(stop_year - start_year, 1, horizon + 1) - 1
    rows = np.repeat(np.arange(n), len(ages))
    np.add.at(out, (rows, idx.ravel()), w.ravel())
    out[none_left, 0] = 1.0
    return out


def _validate_practitioners(prac: pd.DataFrame, *, start_year: int) -> None:
    pid = prac["practitioner_id"].astype(str)
    birth = pd.to_numeric(prac["birth_year"], errors="coerce")
    retire = pd.to_numeric(prac["retirement_year"], errors="coerce")
    problems: list[str] = []
    future = birth > start_year
    if bool(future.any()):
        problems.append(
            f"practitioners.birth_year after the start year {start_year} for "
            f"{format_rows(pid[future])}"
        )
    before = birth.notna() & retire.notna() & (retire <= birth)
    if bool(before.any()):
        problems.append(
            f"practitioners.retirement_year not after birth_year for {format_rows(pid[before])}"
        )
    if problems:
        raise ValidationError(
            "; ".join(problems) + ".",
            field="practitioners",
            fix="correct the birth or retirement years of these practitioners.",
        )


def _unknown_age_pmf(
    ids: np.ndarray,
    known_birth: np.ndarray,
    *,
    model: RetirementModel,
    start_year: int,
    horizon: int,
) -> np.ndarray:
    """Stop-index pmf of the practitioners without any age, by the model's rule."""
    out = np.zeros(horizon + 1)
    if model.unknown_age == "territory":
        if len(known_birth) == 0:
            raise ValidationError(
                f"no practitioner has a birth year, so the territory's ages cannot stand in "
                f"for the {len(ids)} without one ({format_rows(ids)}).",
                field="practitioners.birth_year",
                fix="supply birth years, build an illustrative_roster(), or use "
                "RetirementModel(unknown_age='exclude' or 'keep').",
            )
        return _pmf_from_birth(
            known_birth, model=model, start_year=start_year, horizon=horizon
        ).mean(axis=0)
    out[horizon] = 1.0
    if model.unknown_age == "exclude":
        warnings.warn(
            f"{len(ids)} practitioner(s) without a birth year left out of the outlook: "
            f"{format_rows(ids)}.",
            UserWarning,
            stacklevel=4,
        )
    return out


_BAND = re.compile(r"^\s*(\d{2})\s*(?:-|to|à|a)\s*(\d{2})\s*(?:ans)?\s*$")
_BAND_OPEN = re.compile(r"^\s*(\d{2})\s*(?:\+|ans et plus|and over)\s*$")


def _age_bands(prac: pd.DataFrame, *, start_year: int) -> list[tuple[int, int] | None]:
    """Parse the optional ``age_band`` column ("60-64", "65+"), ages in the start year."""
    if "age_band" not in prac.columns:
        return [None] * len(prac)
    out: list[tuple[int, int] | None] = []
    bad: list[str] = []
    for pid, raw in zip(prac["practitioner_id"].astype(str), prac["age_band"], strict=True):
        text = "" if raw is None or raw is pd.NA else str(raw).strip().lower()
        if text in ("", "nan", "<na>"):
            out.append(None)
            continue
        closed, open_ = _BAND.match(text), _BAND_OPEN.match(text)
        if closed:
            low, high = int(closed.group(1)), int(closed.group(2))
        elif open_:
            low = int(open_.group(1))
            high = low + OPEN_BAND_WIDTH - 1
        else:
            low, high = 1, 0
        if not 18 <= low <= high <= 99:
            bad.append(f"{pid} ({raw!r})")
            out.append(None)
            continue
        out.append((low, high))
    if bad:
        raise ValidationError(
            f"age_band not understood for {format_rows(bad)}.",
            field="practitioners.age_band",
            fix=f"write bands as '60-64' or '65+' (ages in {start_year}).",
        )
    return out


def _stop_pmf(
    prac: pd.DataFrame, *, model: RetirementModel, start_year: int, horizon: int
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Stop-index pmf for every practitioner, the basis of each row, and a keep mask."""
    _validate_practitioners(prac, start_year=start_year)
    n = len(prac)
    birth = pd.to_numeric(prac["birth_year"], errors="coerce").to_numpy(dtype=float)
    declared = pd.to_numeric(prac["retirement_year"], errors="coerce").to_numpy(dtype=float)
    pmf = np.zeros((n, horizon + 1))
    keep = np.ones(n, dtype=bool)
    has_decl = ~np.isnan(declared)
    has_birth = ~np.isnan(birth) & ~has_decl
    bands = _age_bands(prac, start_year=start_year)
    has_band = np.array([b is not None for b in bands]) & np.isnan(birth) & ~has_decl
    unknown = np.isnan(birth) & ~has_decl & ~has_band
    if has_decl.any():
        idx = np.clip(declared[has_decl].astype(np.int64) - start_year, 1, horizon + 1) - 1
        pmf[np.flatnonzero(has_decl), idx] = 1.0
    if has_birth.any():
        pmf[has_birth] = _pmf_from_birth(
            birth[has_birth].astype(np.int64), model=model, start_year=start_year, horizon=horizon
        )
    for i in np.flatnonzero(has_band):
        low, high = bands[i] or (0, 0)
        births = start_year - np.arange(low, high + 1)
        pmf[i] = _pmf_from_birth(births, model=model, start_year=start_year, horizon=horizon).mean(
            axis=0
        )
    if unknown.any():
        ids = prac["practitioner_id"].astype(str).to_numpy()[unknown]
        known_birth = birth[~np.isnan(birth)].astype(np.int64)
        pmf[unknown] = _unknown_age_pmf(
            ids, known_birth, model=model, start_year=start_year, horizon=horizon
        )
        keep[unknown] = model.unknown_age != "exclude"
    age_label = f"fixed age {model.fixed_age}" if model.fixed_age is not None else "age model"
    unknown_label = {
        "territory": "territory ages",
        "keep": "kept (age unknown)",
        "exclude": "excluded (age unknown)",
    }[model.unknown_age]
    basis = np.where(
        has_decl,
        "declared year",
        np.where(has_birth, age_label, np.where(has_band, f"age band, {age_label}", unknown_label)),
    )
    return pmf, [str(b) for b in basis], keep


def retirement_probabilities(
    roster: Roster,
    *,
    model: RetirementModel | None = None,
    start_year: int | None = None,
    horizon: int = 15,
) -> pd.DataFrame:
    """Probability that each practitioner has stopped practising by each year of the horizon.

    Parameters
    ----------
    roster
        Today's practitioners (``birth_year``, ``retirement_year``).
    model
        Retirement model (default: :class:`RetirementModel` with its documented age curve).
    start_year
        Today (default: the current calendar year); everyone on the roster practises in it.
    horizon
        Number of projected years after the start year.

    Returns
    -------
    pandas.DataFrame
        Long format: ``practitioner_id``, ``year``, ``p_stopped`` (probability of having stopped
        by that year, i.e. of not practising in it), ``p_stop_in_year``, ``basis`` (``declared
        year``, ``age model``, ``fixed age A``, ``territory ages``...), ``ages_basis``.

    Raises
    ------
    ValidationError
        Birth year after the start year, retirement year not after birth year, horizon < 1, or no
        birth year at all under the ``"territory"`` rule.

    References
    ----------
    CARMF, *Statistiques démographiques*; CNOM, *Atlas de la démographie médicale en France*, 2023.
    """
    model = model or RetirementModel()
    year0 = _start_year(start_year)
    _check_horizon(horizon)
    horizon = int(horizon)
    prac = roster.practitioners
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pmf, basis, _ = _stop_pmf(prac, model=model, start_year=year0, horizon=horizon)
    return _retirement_frame(
        prac["practitioner_id"].astype(str).to_numpy(),
        pmf,
        basis,
        start_year=year0,
        ages_basis=_ages_basis(roster),
    )


def _retirement_frame(
    pids: np.ndarray, pmf: np.ndarray, basis: list[str], *, start_year: int, ages_basis: str
) -> pd.DataFrame:
    """Long table of the probability of having stopped by, and of stopping in, each year."""
    n_prac, horizon = len(pids), pmf.shape[1] - 1
    zero = np.zeros((n_prac, 1))
    stopped = np.concatenate([zero, np.cumsum(pmf, axis=1)[:, :horizon]], axis=1).clip(0.0, 1.0)
    in_year = np.concatenate([zero, pmf[:, :horizon]], axis=1)
    years = np.arange(start_year, start_year + horizon + 1, dtype=np.int64)
    return pd.DataFrame(
        {
            "practitioner_id": np.repeat(pids, horizon + 1),
            "year": np.tile(years, n_prac),
            "p_stopped": stopped.ravel(),
            "p_stop_in_year": in_year.ravel(),
            "basis": np.repeat(np.array(basis, dtype=object), horizon + 1),
            "ages_basis": ages_basis,
        }
    )


def _start_year(start_year: int | None) -> int:
    return int(start_year) if start_year is not None else dt.datetime.now(tz=dt.UTC).year


def _check_horizon(horizon: int) -> None:
    if int(horizon) < 1:
        raise ValidationError(
            f"horizon {horizon} is not a number of years.",
            field="horizon",
            fix="give at least 1 (default 15).",
        )


def _ages_basis(roster: Roster) -> str:
    return ILLUSTRATIVE if roster.illustrative_ages else _ROSTER_AGES


# --- illustrative ages ---------------------------------------------------------------------------


def illustrative_roster(
    roster: Roster,
    *,
    age_bands: Sequence[tuple[int, int, float]] = DEFAULT_GP_AGE_BANDS,
    seed: int = 0,
    current_year: int | None = None,
    overwrite: bool = False,
) -> Roster:
    """Give a roster *illustrative* birth years, drawn from a stated age distribution.

    GP ages are confidential; a demo built on the public GP sites and counts has none. This draws
    an age for every practitioner without a birth year (or for all of them with ``overwrite``) and
    marks the roster ``illustrative_ages=True``: every outlook built on it says "illustrative
    ages" and must never be presented as a fact.

    Parameters
    ----------
    roster
        The roster (sites, assignments and FTE are kept as they are).
    age_bands
        ``(lowest age, highest age, weight)`` bands, ages uniform within a band; default
        :data:`DEFAULT_GP_AGE_BANDS`.
    seed
        Seed of :func:`numpy.random.default_rng` (same seed, same ages).
    current_year
        Year the ages refer to (default: the current year).
    overwrite
        Replace birth years already on the roster too.

    Returns
    -------
    Roster
        A new roster with ``birth_year`` filled and ``illustrative_ages=True``; the roster itself
        when no birth year had to be generated.

    Raises
    ------
    ValidationError
        Empty or invalid bands (negative weight, lowest age above highest, ages outside 20-90).

    References
    ----------
    CNOM, *Atlas de la démographie médicale en France*, 2023 (age pyramid of GPs in activity).
    """
    bands = [(int(lo), int(hi), float(w)) for lo, hi, w in age_bands]
    if (
        not bands
        or any(lo > hi or w < 0 or lo < 20 or hi > 90 for lo, hi, w in bands)
        or sum(w for *_, w in bands) <= 0
    ):
        raise ValidationError(
            "invalid age bands.",
            field="age_bands",
            fix="give (lowest, highest, weight) bands with 20 <= lowest <= highest <= 90 and "
            "non-negative weights summing to more than 0.",
        )
    year = _start_year(current_year)
    ages = np.concatenate([np.arange(lo, hi + 1) for lo, hi, _ in bands])
    weights = np.concatenate([np.full(hi - lo + 1, w / (hi - lo + 1)) for lo, hi, w in bands])
    weights = weights / weights.sum()
    prac = roster.practitioners.copy()
    target = np.ones(len(prac), dtype=bool) if overwrite else prac["birth_year"].isna().to_numpy()
    rng = np.random.default_rng(seed)
    drawn = rng.choice(ages, size=int(target.sum()), p=weights)
    births = pd.to_numeric(prac["birth_year"], errors="coerce").astype("Float64")
    births[target] = (year - drawn).astype(float)
    prac["birth_year"] = births.astype("Int64")
    if not target.any():  # nothing generated: the roster's ages stand as they are
        return roster
    label = f"illustrative ages (seed {seed}, {year})"
    source = f"{roster.source}; {label}" if roster.source else label
    return dataclasses.replace(roster, practitioners=prac, illustrative_ages=True, source=source)


# --- scenarios -----------------------------------------------------------------------------------


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
    weeks_per_year: float = 48.0
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
                f"both {self.name!r} and {other.name!r} set a replacement rule.",
                field="scenario.replacement",
                fix="keep one replacement rule when combining scenarios.",
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
        raise ValidationError(
            "expected a table of keys.", field=where, fix="write it as a TOML table."
        )
    names = {f.name for f in dataclasses.fields(kind)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise ValidationError(
            f"unknown key(s) {', '.join(unknown)}.",
            field=where,
            fix=f"use only {', '.join(sorted(names))}.",
        )
    try:
        return kind(**raw)
    except TypeError as exc:
        raise ValidationError(
            f"incomplete entry ({exc}).", field=where, fix="add the required keys."
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
    if unknown:
        raise ValidationError(
            f"unknown key(s) {', '.join(unknown)}.",
            field="scenario",
            fix=f"use only {', '.join(sorted(allowed))}.",
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
        raise ValidationError(
            f"not valid TOML ({exc}).", field=source, fix="fix the syntax (see the example file)."
        ) from None
    return scenario_from_mapping(data)


def _replacement_problems(rep: Replacement | None, *, horizon: int) -> list[str]:
    if rep is None:
        return []
    out = []
    if not isinstance(rep.fraction, int | float) or not 0 <= rep.fraction <= 1:
        out.append(f"scenario.replacement.fraction {rep.fraction!r} not in [0, 1]")
    if not isinstance(rep.delay_years, int) or not 0 <= rep.delay_years <= horizon:
        out.append(f"scenario.replacement.delay_years {rep.delay_years!r} not in 0-{horizon}")
    if rep.fte is not None and (not isinstance(rep.fte, int | float) or not 0 < rep.fte <= 2):
        out.append(f"scenario.replacement.fte {rep.fte!r} not in (0, 2]")
    return out


def _check_scenario(
    scenario: Scenario, *, site_ids: set[str], start_year: int, horizon: int
) -> None:
    end = start_year + horizon
    problems = _replacement_problems(scenario.replacement, horizon=horizon)
    new_ids = [s.site_id for s in scenario.sites]
    clash = sorted({s for s in new_ids if s in site_ids or new_ids.count(s) > 1})
    if clash:
        problems.append(f"scenario.site ids already used: {format_rows(clash)}")
    known = site_ids | set(new_ids)

    def check(where: str, *, year: object, sites: Sequence[str], **numbers: object) -> None:
        if not isinstance(year, int | np.integer) or not start_year <= year <= end:
            problems.append(f"{where}.year {year} outside the horizon {start_year}-{end}")
        problems.extend(
            f"{where}.site_id {site!r} unknown" for site in sites if str(site) not in known
        )
        for name, value in numbers.items():
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                problems.append(f"{where}.{name} {value!r} not a non-negative number")

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
            problems.append(f"{where}.shares must be in (0, 1] and sum to 1")
    for i, vc in enumerate(scenario.volunteer_centres):
        where = f"scenario.volunteer_centre[{i}]"
        check(where, year=vc.year, sites=[vc.site_id], weeks_per_year=vc.weeks_per_year)
        if not isinstance(vc.weeks_per_fte, int | float) or not 0 < vc.weeks_per_fte <= 53:
            problems.append(f"{where}.weeks_per_fte {vc.weeks_per_fte!r} not in (0, 53]")
    problems.extend(
        f"scenario.site[{i}] lon/lat out of range"
        for i, site in enumerate(scenario.sites)
        if not (-180 <= float(site.lon) <= 180 and -90 <= float(site.lat) <= 90)
    )
    if problems:
        raise ValidationError(
            "invalid scenario: " + "; ".join(problems) + ".",
            field="scenario",
            fix="name sites of the roster (or declare them under [[site]]) and years within the "
            "horizon.",
        )


# --- preparation (DataFrames → arrays) -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Prepared:
    """Everything the engines need, as arrays (P practitioners, S sites, C communes, Y years)."""

    start_year: int
    horizon: int
    pids: np.ndarray
    basis: list[str]
    pmf: np.ndarray  # (P, H+1): stop in year index 1..H, then beyond the horizon
    unit_site: np.ndarray  # (2P, 2S): [original; replacement] x [fte | acts]
    unit_zone: np.ndarray  # (P, Z) primary zone, one-hot
    prac_present: np.ndarray  # (P, S) bool: practises at the site (fte > 0)
    rep_fraction: float
    rep_delay: int
    add_site: np.ndarray  # (Y, 2S): scenario FTE | acts per site
    add_head: np.ndarray  # (Y, Z)
    site_zone: np.ndarray  # (S, Z)
    apl_op: np.ndarray  # (S, C): APL = acts @ apl_op
    reach: np.ndarray  # (S, 2C): minutes < 20 | minutes < 30
    site_commune: np.ndarray  # (S, C)
    slots: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # unit, column, weight, rep weight
    presence_op: np.ndarray  # (S, 3C) float32: [reach < 20 | reach < 30 | site in commune]
    pop_zone: np.ndarray  # (C, Z): population in the zone
    communes: np.ndarray
    commune_zone: np.ndarray
    had_gp: np.ndarray  # (C,) bool: a GP practises in the commune in the start year
    excluded: tuple[str, ...]
    ages_basis: str
    scenario: str

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.start_year, self.start_year + self.horizon + 1)

    @property
    def n_sites(self) -> int:
        return self.site_zone.shape[0]


def _demand_table(demand: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("id", "population") if c not in demand.columns]
    if missing:
        raise ValidationError(
            f"missing column(s) {', '.join(missing)}.",
            field="demand",
            fix="give a table with id (INSEE code), population and optionally pop_std, "
            "in_territory.",
        )
    dem = pd.DataFrame({"id": demand["id"].astype(str)})
    dem["population"] = pd.to_numeric(demand["population"], errors="coerce").to_numpy(float)
    std = (
        pd.to_numeric(demand["pop_std"], errors="coerce").to_numpy(float)
        if "pop_std" in demand.columns
        else np.full(len(dem), np.nan)
    )
    dem["pop_std"] = np.where(np.isnan(std), dem["population"], std)
    dem["in_territory"] = (
        demand["in_territory"].fillna(value=False).astype(bool).to_numpy()
        if "in_territory" in demand.columns
        else True
    )
    bad = dem["population"].isna() | (dem["population"] < 0) | (dem["pop_std"] < 0)
    if bool(bad.any()):
        raise ValidationError(
            f"population missing or negative for {format_rows(dem.loc[bad, 'id'])}.",
            field="demand.population",
            fix="give non-negative populations.",
        )
    dup = dem["id"].duplicated(keep=False)
    if bool(dup.any()):
        raise ValidationError(
            f"duplicate commune ids {format_rows(dem.loc[dup, 'id'].unique())}.",
            field="demand.id",
            fix="give one row per commune.",
        )
    return dem.reset_index(drop=True)


def _time_matrix(od: pd.DataFrame, communes: pd.Index, sites: pd.Index) -> np.ndarray:
    missing = [c for c in ("origin_id", "dest_id", "minutes") if c not in od.columns]
    if missing:
        raise ValidationError(
            f"missing column(s) {', '.join(missing)}.",
            field="od",
            fix="give the long travel-time table origin_id, dest_id, minutes, method.",
        )
    o = communes.get_indexer(pd.Index(od["origin_id"].astype(str)))
    d = sites.get_indexer(pd.Index(od["dest_id"].astype(str)))
    keep = (o >= 0) & (d >= 0)
    o, d = o[keep], d[keep]
    minutes = pd.to_numeric(od["minutes"], errors="coerce").to_numpy(float)[keep]
    if np.isnan(minutes).any() or (minutes < 0).any():
        raise ValidationError(
            "minutes missing or negative.",
            field="od.minutes",
            fix="use inf for unreachable pairs; times are non-negative.",
        )
    flat = o * len(sites) + d
    if len(np.unique(flat)) < len(flat):
        raise ValidationError(
            "duplicate origin_id x dest_id pairs.",
            field="od",
            fix="keep one travel time per pair (one method).",
        )
    times = np.full((len(communes), len(sites)), np.inf)
    times[o, d] = minutes
    return times


def _site_layout(
    roster: Roster, scenario: Scenario, dem: pd.DataFrame
) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    """Site ids (roster, then scenario sites), site zones, site x commune, commune zones."""
    communes = pd.Index(dem["id"])
    territory = set(dem.loc[dem["in_territory"], "id"])
    site_frame = pd.concat(
        [
            roster.sites[["site_id", "commune_code"]].astype(str),
            pd.DataFrame(
                {
                    "site_id": [s.site_id for s in scenario.sites],
                    "commune_code": [str(s.commune_code).zfill(5) for s in scenario.sites],
                },
                dtype=object,
            ),
        ],
        ignore_index=True,
    )
    sites = pd.Index(site_frame["site_id"])
    site_zone_name = np.where(
        site_frame["commune_code"].isin(territory),
        "territory",
        np.where(site_frame["commune_code"].isin(set(communes)), "buffer", "outside"),
    )
    site_zone = (site_zone_name[:, None] == np.array(_ZONES)[None, :]).astype(float)
    commune_zone = np.where(dem["in_territory"], "territory", "buffer")
    site_commune = np.zeros((len(sites), len(communes)))
    ci = communes.get_indexer(pd.Index(site_frame["commune_code"]))
    site_commune[np.flatnonzero(ci >= 0), ci[ci >= 0]] = 1.0
    return sites, site_zone, site_commune, commune_zone


def _additions(
    scenario: Scenario,
    *,
    sites: pd.Index,
    site_zone: np.ndarray,
    start_year: int,
    horizon: int,
    params: AplParameters,
) -> tuple[np.ndarray, np.ndarray]:
    """Scenario FTE | acts per year and site (Y, 2S), and headcount per year and zone (Y, Z)."""
    n_sites = len(sites)
    add_site = np.zeros((horizon + 1, 2 * n_sites))
    add_head = np.zeros((horizon + 1, len(_ZONES)))

    def add(site: str, year: int, fte: float, acts_per_fte: float | None, head: float) -> None:
        j = int(sites.get_indexer(pd.Index([str(site)]))[0])
        k = int(year) - start_year
        per_fte = params.new_gp_acts if acts_per_fte is None else float(acts_per_fte)
        add_site[k:, j] += fte
        add_site[k:, n_sites + j] += fte * per_fte
        add_head[k:] += head * site_zone[j]

    for inst in scenario.installations:
        add(inst.site_id, inst.year, float(inst.fte), inst.acts_per_fte, float(inst.headcount))
    for rot in scenario.rotations:
        for site, sh in rot.shares.items():
            add(site, rot.year, float(rot.fte) * sh, rot.acts_per_fte, float(rot.headcount) * sh)
    for vc in scenario.volunteer_centres:
        add(vc.site_id, vc.year, vc.fte, vc.acts_per_fte, 0.0)
    return add_site, add_head


def _access_operators(
    od: pd.DataFrame,
    dem: pd.DataFrame,
    *,
    communes: pd.Index,
    sites: pd.Index,
    params: AplParameters,
) -> tuple[np.ndarray, np.ndarray]:
    """APL operator (S, C) such that APL = site acts @ operator, and reach (S, 2C) < 20 | < 30."""
    times = _time_matrix(od, communes, sites)
    weights = apl_weights(times, params=params)  # (C, S)
    denom = dem["pop_std"].to_numpy(float) @ weights  # (S,)
    apl_op = np.divide(
        weights.T,
        denom[:, None],
        out=np.zeros((len(sites), len(communes))),
        where=denom[:, None] > 0,
    )
    reach = np.concatenate([(times < t).T for t in _THRESHOLDS], axis=1).astype(float)
    return apl_op, reach


def _slots(
    unit_site: np.ndarray, n_prac: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Non-zero practitioner x (fte | acts) entries, with the replacement's weight for each."""
    original, replacement = unit_site[:n_prac], unit_site[n_prac:]
    unit, col = np.nonzero((original != 0) | (replacement != 0))
    return unit, col, original[unit, col], replacement[unit, col]


def _prepare(
    roster: Roster,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    scenario: Scenario | None,
    model: RetirementModel,
    start_year: int | None,
    horizon: int,
    params: AplParameters,
) -> _Prepared:
    year0 = _start_year(start_year)
    _check_horizon(horizon)
    horizon = int(horizon)
    scenario = scenario or Scenario()
    site_ids = roster.sites["site_id"].astype(str).tolist()
    _check_scenario(scenario, site_ids=set(site_ids), start_year=year0, horizon=horizon)

    every = roster.practitioners
    prac_all = every[every["profession"].astype(str) == "generaliste"].reset_index(drop=True)
    pmf, basis, keep = _stop_pmf(prac_all, model=model, start_year=year0, horizon=horizon)
    prac = prac_all[keep].reset_index(drop=True)
    pmf = pmf[keep]
    basis = [b for b, k in zip(basis, keep, strict=True) if k]
    excluded = tuple(prac_all.loc[~keep, "practitioner_id"].astype(str))

    dem = _demand_table(demand)
    communes = pd.Index(dem["id"])
    sites, site_zone, site_commune, commune_zone = _site_layout(roster, scenario, dem)
    n_sites, n_prac = len(sites), len(prac)

    # Practitioner x site matrices.
    asg = roster.assignments
    pi = pd.Index(prac["practitioner_id"].astype(str)).get_indexer(
        pd.Index(asg["practitioner_id"].astype(str))
    )
    si = sites.get_indexer(pd.Index(asg["site_id"].astype(str)))
    ok = (pi >= 0) & (si >= 0)
    share = np.zeros((n_prac, n_sites))
    np.add.at(share, (pi[ok], si[ok]), asg["share"].to_numpy(float)[ok])
    fte = prac["fte"].to_numpy(float)
    acts = counted_activity(prac, params=params).to_numpy(dtype=float)
    rep = scenario.replacement
    rep_fte = fte if rep is None or rep.fte is None else np.full(n_prac, float(rep.fte))
    unit_site = np.zeros((2 * n_prac, 2 * n_sites))
    unit_site[:n_prac, :n_sites] = share * fte[:, None]
    unit_site[:n_prac, n_sites:] = share * acts[:, None]
    unit_site[n_prac:, :n_sites] = share * rep_fte[:, None]
    unit_site[n_prac:, n_sites:] = share * (rep_fte * params.new_gp_acts)[:, None]
    primary = share.argmax(axis=1) if n_sites else np.zeros(n_prac, dtype=int)
    unit_zone = site_zone[primary] if n_sites else np.zeros((n_prac, len(_ZONES)))

    add_site, add_head = _additions(
        scenario,
        sites=sites,
        site_zone=site_zone,
        start_year=year0,
        horizon=horizon,
        params=params,
    )

    apl_op, reach = _access_operators(od, dem, communes=communes, sites=sites, params=params)
    pop = dem["population"].to_numpy(float)
    pop_zone = pop[:, None] * (commune_zone[:, None] == np.array(_ZONES)[None, :])

    start_fte = fte @ share + add_site[0, :n_sites]
    had_gp = (start_fte @ site_commune) > _EPS
    return _Prepared(
        start_year=year0,
        horizon=horizon,
        pids=prac["practitioner_id"].astype(str).to_numpy(),
        basis=basis,
        pmf=pmf,
        unit_site=unit_site,
        unit_zone=unit_zone,
        prac_present=(share * fte[:, None]) > _EPS,
        rep_fraction=0.0 if rep is None else float(rep.fraction),
        rep_delay=1 if rep is None else int(rep.delay_years),
        add_site=add_site,
        add_head=add_head,
        site_zone=site_zone,
        apl_op=apl_op,
        reach=reach,
        site_commune=site_commune,
        slots=_slots(unit_site, n_prac),
        presence_op=np.concatenate([reach, site_commune], axis=1).astype(np.float32),
        pop_zone=pop_zone,
        communes=communes.to_numpy(),
        commune_zone=commune_zone,
        had_gp=had_gp,
        excluded=excluded,
        ages_basis=_ages_basis(roster),
        scenario=scenario.name,
    )


# --- engines -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Arrays:
    """Per-run (or expected) results: leading axis = runs (1 for the expected engine)."""

    headcount: np.ndarray  # (R, Y, Z)
    headcount_today: np.ndarray  # (R, Y, Z)
    fte: np.ndarray  # (R, Y, Z)
    departures: np.ndarray  # (R, Y, Z)
    share_gone: np.ndarray  # (R, Y, Z)
    apl: np.ndarray  # (R, Y, C)
    apl_mean: np.ndarray  # (R, Y, Z)
    beyond: np.ndarray  # (R, Y, 2, Z): population beyond 20 | 30 minutes
    without_gp: np.ndarray  # (R, Y, C) probability or 0/1
    lose_last: np.ndarray  # (R, Y, C)


def _zone_mean_weights(prep: _Prepared) -> np.ndarray:
    total = prep.pop_zone.sum(axis=0)
    return np.divide(prep.pop_zone, total, out=np.zeros_like(prep.pop_zone), where=total > 0)


def _today_per_zone(prep: _Prepared) -> np.ndarray:
    return prep.unit_zone.sum(axis=0)


def _by_year(
    year: np.ndarray,
    cols: np.ndarray,
    weights: np.ndarray,
    mask: np.ndarray | None,
    *,
    n_bins: int,
    width: int,
) -> np.ndarray:
    """Scatter-add ``weights`` into (runs, year bin, column): one bincount for all runs."""
    n_runs = year.shape[0]
    flat = (np.arange(n_runs)[:, None] * n_bins + year) * width + cols[None, :]
    w = np.broadcast_to(weights, flat.shape)
    if mask is not None:
        flat, w = flat[mask], w[mask]
    counts = np.bincount(flat.ravel(), weights=w.ravel(), minlength=n_runs * n_bins * width)
    return counts.astype(np.float64, copy=False).reshape(n_runs, n_bins, width)


def _site_supply(
    prep: _Prepared, stop: np.ndarray, arrive: np.ndarray, on_time: np.ndarray
) -> np.ndarray:
    """FTE | acts per run, year and site (R, Y, 2S) from stop and arrival events.

    One ``bincount`` scatters every slot's weight at its stop year and, when replaced in time, at
    the replacement's arrival year, into (run, site column, event bin); one matrix product with
    the 0/1 operator ``[stop > year]`` / ``[arrival <= year]`` turns the events into what is
    practised each year (sums of the same terms as a direct count, so an empty site is exactly 0).
    """
    n_runs = stop.shape[0]
    n_years = prep.horizon + 1
    n_bins, width = n_years + 1, 2 * prep.n_sites
    slot_unit, slot_col, slot_w, slot_rep_w = prep.slots
    base = (np.arange(n_runs)[:, None] * width + slot_col[None, :]) * (2 * n_bins)
    on = on_time[:, slot_unit]
    index = np.concatenate(
        [(base + stop[:, slot_unit]).ravel(), (base + n_bins + arrive[:, slot_unit])[on]]
    )
    weights = np.concatenate(
        [np.broadcast_to(slot_w, base.shape).ravel(), np.broadcast_to(slot_rep_w, base.shape)[on]]
    )
    events = np.bincount(index, weights=weights, minlength=n_runs * width * 2 * n_bins)
    year = np.arange(n_years)
    event_bin = np.arange(n_bins)[:, None]
    operator = np.concatenate([event_bin > year, event_bin <= year]).astype(np.float64)
    practised = events.astype(np.float64, copy=False).reshape(-1, 2 * n_bins) @ operator
    out = np.empty((n_runs, n_years, width))
    np.add(practised.reshape(n_runs, width, n_years).transpose(0, 2, 1), prep.add_site, out=out)
    return out


def _simulate(prep: _Prepared, stop: np.ndarray, replaced: np.ndarray) -> _Arrays:
    """Vectorised engine: ``stop`` (R, P) stop-year indices (1..H+1), ``replaced`` (R, P) bool.

    Works on events rather than on a runs x years x practitioners tensor (see
    :func:`_site_supply`): FTE and acts per run, year and site; APL, coverage and zone totals are
    then matrix products over all runs and years at once.
    """
    n_years, n_sites = prep.horizon + 1, prep.n_sites
    n_bins, n_zones = n_years + 1, len(_ZONES)
    arrive = stop + prep.rep_delay
    on_time = replaced & (arrive <= prep.horizon)
    supply = _site_supply(prep, stop, arrive, on_time)
    site_fte, site_acts = supply[..., :n_sites], supply[..., n_sites:]
    apl = site_acts @ prep.apl_op  # (R, Y, C)
    present = (site_fte > _EPS).astype(np.float32)
    n_communes = prep.apl_op.shape[1]
    # Sites with a GP within 20 | within 30 minutes | in the commune, per run, year and commune.
    hits = present @ prep.presence_op  # (R, Y, 3C)
    uncovered = hits[..., : 2 * n_communes] == 0
    flat = uncovered.reshape(-1, n_communes).astype(np.float64)  # rows: (run, year, threshold)
    beyond = (flat @ prep.pop_zone).reshape(*uncovered.shape[:2], 2, n_zones)
    without = (hits[..., 2 * n_communes :] == 0) & prep.had_gp
    lose = np.zeros_like(without)
    lose[:, 1:] = without[:, 1:] & ~without[:, :-1]
    ones = np.ones(len(prep.pids))
    zone_idx = prep.unit_zone.argmax(axis=1)
    dz = _by_year(stop, zone_idx, ones, None, n_bins=n_bins, width=n_zones)
    az = _by_year(arrive, zone_idx, ones, on_time, n_bins=n_bins, width=n_zones)
    today = _today_per_zone(prep)
    gone = np.cumsum(dz, axis=1)[:, :n_years]
    practising = today - gone
    return _Arrays(
        headcount=practising + np.cumsum(az, axis=1)[:, :n_years] + prep.add_head,
        headcount_today=practising,
        fte=site_fte @ prep.site_zone,
        departures=dz[:, :n_years],
        share_gone=np.divide(gone, today, out=np.zeros_like(gone), where=today > 0),
        apl=apl,
        apl_mean=apl @ _zone_mean_weights(prep),
        beyond=beyond,
        without_gp=without,
        lose_last=lose,
    )


def _none_present(absent: np.ndarray, incidence: np.ndarray) -> np.ndarray:
    """Probability that no unit is present: product of ``absent`` (Y, P) over ``incidence``."""
    inc = incidence.astype(float)
    zero = absent <= 0
    log_sum = np.log(np.where(zero, 1.0, absent)) @ inc
    zeros = zero.astype(float) @ inc
    return np.where(zeros > 0, 0.0, np.exp(log_sum))


def _expected(prep: _Prepared) -> _Arrays:
    """Deterministic engine: expected values, exact under independence of practitioners."""
    horizon = prep.horizon
    n_years, n_sites = horizon + 1, prep.n_sites
    n_prac = len(prep.pids)
    f, d = prep.rep_fraction, prep.rep_delay
    # stopped[:, k] = P(stop index <= k), k = 0..H.
    stopped = np.concatenate(
        [np.zeros((n_prac, 1)), np.cumsum(prep.pmf, axis=1)[:, :horizon]], axis=1
    ).clip(0.0, 1.0)

    def shifted(lag: int) -> np.ndarray:
        """P(stop index <= k - lag) per year (0 when k - lag < 1)."""
        idx = np.arange(n_years) - lag
        return np.where(idx >= 0, stopped[:, np.clip(idx, 0, horizon)], 0.0)

    p_active = 1.0 - stopped  # (P, Y)
    p_rep = f * shifted(d)
    units = np.concatenate([p_active, p_rep], axis=0).T  # (Y, 2P)
    supply = units @ prep.unit_site + prep.add_site
    site_fte, site_acts = supply[:, :n_sites], supply[:, n_sites:]
    apl = site_acts @ prep.apl_op

    absent = (stopped - p_rep).T  # (Y, P): neither the GP nor a replacement practises
    k = np.arange(n_years)
    lag_both = max(1, d)  # min(k - 1, k - d) = k - max(1, d)
    absent_both = (shifted(1) - f * shifted(lag_both)).T
    absent_both[0] = 0.0
    n_communes = prep.apl_op.shape[1]
    add_present = (prep.add_site[:, :n_sites] > _EPS).astype(float)  # (Y, S)
    beyond = np.zeros((n_years, 2, len(_ZONES)))
    for i in (0, 1):
        reach = prep.reach[:, i * n_communes : (i + 1) * n_communes] > 0
        unit_reach = (prep.prac_present.astype(float) @ reach) > 0  # (P, C)
        none = _none_present(absent, unit_reach) * ((add_present @ reach) == 0)
        beyond[:, i] = none @ prep.pop_zone
    unit_commune = (prep.prac_present.astype(float) @ prep.site_commune) > 0
    no_add = (add_present @ prep.site_commune) == 0  # (Y, C)
    without = _none_present(absent, unit_commune) * no_add * prep.had_gp
    both = _none_present(absent_both, unit_commune) * no_add * prep.had_gp
    lose = np.clip(without - both, 0.0, 1.0)
    lose[0] = 0.0
    today = _today_per_zone(prep)
    gone = stopped.T @ prep.unit_zone
    in_year = np.where(k[None, :] >= 1, np.diff(stopped, axis=1, prepend=0.0), 0.0)
    return _Arrays(
        headcount=((p_active + p_rep).T @ prep.unit_zone + prep.add_head)[None],
        headcount_today=(p_active.T @ prep.unit_zone)[None],
        fte=(site_fte @ prep.site_zone)[None],
        departures=(in_year.T @ prep.unit_zone)[None],
        share_gone=np.divide(gone, today, out=np.zeros_like(gone), where=today > 0)[None],
        apl=apl[None],
        apl_mean=(apl @ _zone_mean_weights(prep))[None],
        beyond=beyond[None],
        without_gp=without[None],
        lose_last=lose[None],
    )


def _draw(prep: _Prepared, rng: np.random.Generator, runs: int) -> tuple[np.ndarray, np.ndarray]:
    """Stop-year indices and replacement draws for ``runs`` x practitioners, all at once."""
    n_prac = len(prep.pids)
    u = rng.random((runs, n_prac))
    r = rng.random((runs, n_prac))
    cdf = np.cumsum(prep.pmf, axis=1)
    cdf[:, -1] = 1.0
    stop = np.empty((runs, n_prac), dtype=np.int64)
    step = max(1, _CHUNK_ELEMENTS // max(1, n_prac * cdf.shape[1]))
    for a in range(0, runs, step):
        stop[a : a + step] = (u[a : a + step, :, None] >= cdf[None]).sum(axis=2) + 1
    return stop, r < prep.rep_fraction


def _run_chunks(
    prep: _Prepared,
    stop: np.ndarray,
    replaced: np.ndarray,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> _Arrays:
    """Run :func:`_simulate` over chunks of runs (bounded memory), filling preallocated arrays."""
    runs = stop.shape[0]
    width = max(2 * len(prep.pids), 2 * prep.n_sites, 2 * prep.apl_op.shape[1], 1)
    step = max(1, _CHUNK_ELEMENTS // ((prep.horizon + 1) * width))
    first = _simulate(prep, stop[:step], replaced[:step])
    if progress is not None:
        progress(min(step, runs), runs)
    if runs <= step:
        return first
    names = [f.name for f in dataclasses.fields(_Arrays)]
    out = {}
    for name in names:
        part = getattr(first, name)
        out[name] = np.empty((runs, *part.shape[1:]), dtype=part.dtype)
        out[name][:step] = part
    for a in range(step, runs, step):
        chunk = _simulate(prep, stop[a : a + step], replaced[a : a + step])
        for name in names:
            out[name][a : a + step] = getattr(chunk, name)
        if progress is not None:
            progress(min(a + step, runs), runs)
    return _Arrays(**out)


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outlook:
    """Year-by-year GP outlook (long-format tables).

    Every table has a ``year`` column and an ``ages_basis`` column (``"illustrative ages"`` when the
    roster's ages were generated). ``value`` is the expected value (mean over runs under Monte
    Carlo); ``q10``/``q50``/``q90`` are the Monte Carlo quantiles (NaN for the expected engine).

    Attributes
    ----------
    workforce
        ``year, zone, measure, value, q10, q50, q90, ages_basis``; zones ``territory``, ``buffer``
        (and ``outside`` for sites outside the demand communes); measures ``headcount`` (GPs
        practising, replacements and installations included, each GP in the zone of their main
        site), ``fte``, ``headcount_today`` (today's GPs still practising), ``departures`` (today's
        GPs stopping that year), ``share_gone`` (share of today's GPs gone by that year).
    access
        ``year, zone, measure, value, q10, q50, q90, ages_basis``; measures ``apl_mean``
        (population-weighted mean APL), ``pop_beyond_20``, ``pop_beyond_30`` (population with no
        practising GP within 20 / 30 minutes), ``communes_without_gp`` (communes with a GP today and
        none that year).
    apl
        ``year, commune_code, zone, apl, q10, q50, q90, ages_basis``.
    losses
        ``year, commune_code, zone, p_without_gp, p_lose_last_gp, ages_basis`` for communes with a
        GP today: probability of having no GP that year, and of losing the last one that year.
    retirement
        ``practitioner_id, year, p_stopped, p_stop_in_year, basis, ages_basis``.
    engine
        ``"expected"``, ``"monte_carlo"`` or ``"run"`` (:func:`simulate_run`).
    runs
        Number of Monte Carlo runs (1 for a single run, 0 for the expected engine).
    seed
        Seed of the random generator (``None`` for the expected engine).
    start_year
        Today: every roster GP practises in it.
    years
        The years of the tables.
    scenario
        Name of the replacement scenario.
    illustrative_ages
        True when the roster's ages were generated: never present the outputs as facts.
    excluded
        Practitioners left out (``unknown_age="exclude"``).
    """

    workforce: pd.DataFrame
    access: pd.DataFrame
    apl: pd.DataFrame
    losses: pd.DataFrame
    retirement: pd.DataFrame
    engine: str
    runs: int
    seed: int | None
    start_year: int
    years: tuple[int, ...]
    scenario: str
    illustrative_ages: bool
    excluded: tuple[str, ...] = ()

    @property
    def caveat(self) -> str:
        """A sentence to print with every output ("" when the ages come from the roster)."""
        if not self.illustrative_ages:
            return ""
        return (
            "Illustrative ages: GP birth years were generated from a stated distribution, not "
            "known; these projections are not facts."
        )

    def communes_losing_last_gp(self, *, min_probability: float = 0.5) -> pd.DataFrame:
        """Communes losing their last GP, with the year and the probability.

        Parameters
        ----------
        min_probability
            Keep (commune, year) rows whose probability of losing the last GP that year is at
            least this.

        Returns
        -------
        pandas.DataFrame
            Rows of :attr:`losses`, sorted by year and commune.

        References
        ----------
        Montagne limousine access-to-care study (2008-2011): "at least six bourgs would lose their
        doctor".
        """
        rows = self.losses[self.losses["p_lose_last_gp"] >= min_probability - 1e-12]
        return rows.sort_values(["year", "commune_code"]).reset_index(drop=True)

    def communes_at_risk(self, *, min_probability: float = 0.5) -> pd.DataFrame:
        """Communes with a GP today whose probability of having none reaches a threshold.

        Parameters
        ----------
        min_probability
            Threshold on ``p_without_gp``.

        Returns
        -------
        pandas.DataFrame
            ``commune_code, zone, year`` (first year the probability of having no GP reaches the
            threshold), ``p_without_gp`` (that year), ``p_without_gp_end`` (last year of the
            horizon), sorted by year.

        References
        ----------
        Montagne limousine access-to-care study (2008-2011): "at least six bourgs would lose their
        doctor".
        """
        losses = self.losses
        hit = losses[losses["p_without_gp"] >= min_probability - 1e-12]
        first = hit.sort_values("year").drop_duplicates("commune_code")
        end = losses[losses["year"] == max(self.years)].set_index("commune_code")["p_without_gp"]
        first = first.assign(p_without_gp_end=first["commune_code"].map(end).to_numpy())
        columns = ["commune_code", "zone", "year", "p_without_gp", "p_without_gp_end"]
        return first[columns].sort_values(["year", "commune_code"]).reset_index(drop=True)


def _summary(values: np.ndarray, *, monte_carlo: bool) -> tuple[np.ndarray, np.ndarray]:
    mean = values.mean(axis=0)
    if not monte_carlo:
        return mean, np.full((len(QUANTILES), *mean.shape), np.nan)
    return mean, np.quantile(values, QUANTILES, axis=0)


def _tables(prep: _Prepared, arr: _Arrays, *, engine: str) -> dict[str, pd.DataFrame]:
    mc = engine == "monte_carlo"
    years = prep.years
    n_years = len(years)
    zones = np.array(_ZONES)
    used = (prep.site_zone.sum(axis=0) > 0) | (prep.pop_zone.sum(axis=0) > 0)
    used[:2] = True  # territory and buffer always reported

    def zone_rows(measure: str, values: np.ndarray) -> pd.DataFrame:
        mean, q = _summary(values[..., used], monte_carlo=mc)
        n_z = int(used.sum())
        return pd.DataFrame(
            {
                "year": np.repeat(years, n_z),
                "zone": np.tile(zones[used], n_years),
                "measure": measure,
                "value": mean.ravel(),
                "q10": q[0].ravel(),
                "q50": q[1].ravel(),
                "q90": q[2].ravel(),
            }
        )

    workforce = pd.concat(
        [
            zone_rows("headcount", arr.headcount),
            zone_rows("fte", arr.fte),
            zone_rows("headcount_today", arr.headcount_today),
            zone_rows("departures", arr.departures),
            zone_rows("share_gone", arr.share_gone),
        ],
        ignore_index=True,
    )
    commune_zone = prep.commune_zone
    zone_onehot = (commune_zone[:, None] == zones[None, :]).astype(float)  # (C, Z)
    access = pd.concat(
        [
            zone_rows("apl_mean", arr.apl_mean),
            zone_rows("pop_beyond_20", arr.beyond[:, :, 0]),
            zone_rows("pop_beyond_30", arr.beyond[:, :, 1]),
            zone_rows("communes_without_gp", arr.without_gp @ zone_onehot),
        ],
        ignore_index=True,
    )
    n_c = len(prep.communes)
    mean, q = _summary(arr.apl, monte_carlo=mc)
    apl = pd.DataFrame(
        {
            "year": np.repeat(years, n_c),
            "commune_code": np.tile(prep.communes, n_years),
            "zone": np.tile(commune_zone, n_years),
            "apl": mean.ravel(),
            "q10": q[0].ravel(),
            "q50": q[1].ravel(),
            "q90": q[2].ravel(),
        }
    )
    had = np.flatnonzero(prep.had_gp)
    losses = pd.DataFrame(
        {
            "year": np.repeat(years, len(had)),
            "commune_code": np.tile(prep.communes[had], n_years),
            "zone": np.tile(commune_zone[had], n_years),
            "p_without_gp": arr.without_gp.mean(axis=0)[:, had].ravel(),
            "p_lose_last_gp": arr.lose_last.mean(axis=0)[:, had].ravel(),
        }
    )
    out = {"workforce": workforce, "access": access, "apl": apl, "losses": losses}
    for frame in out.values():
        frame["year"] = frame["year"].astype("int64")
        frame["ages_basis"] = prep.ages_basis
    return out


def _result(prep: _Prepared, arr: _Arrays, *, engine: str, runs: int, seed: int | None) -> Outlook:
    tables = _tables(prep, arr, engine=engine)
    return Outlook(
        workforce=tables["workforce"],
        access=tables["access"],
        apl=tables["apl"],
        losses=tables["losses"],
        retirement=_retirement_frame(
            prep.pids, prep.pmf, prep.basis, start_year=prep.start_year, ages_basis=prep.ages_basis
        ),
        engine=engine,
        runs=runs,
        seed=seed,
        start_year=prep.start_year,
        years=tuple(int(y) for y in prep.years),
        scenario=prep.scenario,
        illustrative_ages=prep.ages_basis == ILLUSTRATIVE,
        excluded=prep.excluded,
    )


def _check_runs(runs: int) -> None:
    if not isinstance(runs, int | np.integer) or int(runs) <= 0:
        raise ValidationError(
            f"runs = {runs!r} is not a positive number of Monte Carlo runs.",
            field="runs",
            fix="give runs >= 1 (e.g. 1000).",
        )


# --- public entry points -------------------------------------------------------------------------


def outlook(
    roster: Roster,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    scenario: Scenario | None = None,
    model: RetirementModel | None = None,
    engine: Engine = "expected",
    runs: int = 1000,
    seed: int = 0,
    start_year: int | None = None,
    horizon: int = 15,
    params: AplParameters | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Outlook:
    """Project the GP workforce and access to GPs year by year.

    Parameters
    ----------
    roster
        Today's GPs, sites and time shares (:class:`~accessmap.supply.Roster`).
    od
        Long travel-time table ``origin_id`` (commune code), ``dest_id`` (site id), ``minutes``;
        a missing pair is unreachable. Must hold times to the scenario's new sites.
    demand
        Communes: ``id``, ``population``, optionally ``pop_std`` (DREES standardised population,
        the APL demand; defaults to ``population``) and ``in_territory`` (bool; default True: the
        others form the buffer).
    scenario
        Replacement scenario (default: none).
    model
        Retirement model (default :class:`RetirementModel`).
    engine
        ``"expected"`` (deterministic expected values) or ``"monte_carlo"`` (``runs`` seeded draws,
        vectorised over runs, with 10/50/90 % quantiles).
    runs
        Monte Carlo runs.
    seed
        Seed of :func:`numpy.random.default_rng` (same seed, identical output).
    start_year
        Today (default: the current year).
    horizon
        Projected years after the start year (default 15).
    params
        APL parameters (default: DREES 2023).
    progress
        Called as ``progress(runs_done, runs)`` after each chunk of Monte Carlo runs (the CLI's
        progress bar); never called by the expected engine.

    Returns
    -------
    Outlook
        Long-format tables per year.

    Raises
    ------
    ValidationError
        Bad roster years, scenario naming an unknown site or a year outside the horizon, runs <= 0,
        unknown engine, bad demand or travel-time table.

    References
    ----------
    Barlet M. et al., « L'Accessibilité potentielle localisée (APL) », DREES, Document de travail
    n° 124, 2012 (APL two-step computation); CARMF, *Statistiques démographiques* (retirement ages);
    Metropolis N., Ulam S., « The Monte Carlo method », JASA 44 (1949).
    """
    if engine not in ("expected", "monte_carlo"):
        raise ValidationError(
            f"unknown engine {engine!r}.", field="engine", fix="use 'expected' or 'monte_carlo'."
        )
    if engine == "monte_carlo":
        _check_runs(runs)
    prep = _prepare(
        roster,
        od,
        demand,
        scenario=scenario,
        model=model or RetirementModel(),
        start_year=start_year,
        horizon=horizon,
        params=params or AplParameters(),
    )
    if engine == "expected":
        return _result(prep, _expected(prep), engine="expected", runs=0, seed=None)
    rng = np.random.default_rng(seed)
    stop, replaced = _draw(prep, rng, int(runs))
    arrays = _run_chunks(prep, stop, replaced, progress=progress)
    return _result(prep, arrays, engine="monte_carlo", runs=int(runs), seed=seed)


def simulate_run(
    roster: Roster,
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    scenario: Scenario | None = None,
    model: RetirementModel | None = None,
    seed: int | np.random.Generator = 0,
    stop_years: Mapping[str, int] | None = None,
    start_year: int | None = None,
    horizon: int = 15,
    params: AplParameters | None = None,
) -> Outlook:
    """One run: one draw of retirement years (or given ones), and its year-by-year outcome.

    With ``stop_years`` this is a what-if ("Dr X stops in 2028"): given practitioners stop in the
    given year, the others are drawn from the model. With the same seed and no ``stop_years`` it
    equals the Monte Carlo engine with ``runs=1``.

    Parameters
    ----------
    roster, od, demand, scenario, model, start_year, horizon, params
        As in :func:`outlook`.
    seed
        Seed, or a :class:`numpy.random.Generator` to continue.
    stop_years
        Practitioner id → year in which they stop (no longer practise); later than the horizon
        means they practise through it.

    Returns
    -------
    Outlook
        ``engine == "run"``, ``runs == 1``; quantile columns are NaN, probabilities are 0 or 1.

    Raises
    ------
    ValidationError
        As :func:`outlook`, and ``stop_years`` naming an unknown practitioner or a year not after
        the start year.

    References
    ----------
    Barlet M. et al., « L'Accessibilité potentielle localisée (APL) », DREES, Document de travail
    n° 124, 2012.
    """
    prep = _prepare(
        roster,
        od,
        demand,
        scenario=scenario,
        model=model or RetirementModel(),
        start_year=start_year,
        horizon=horizon,
        params=params or AplParameters(),
    )
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    stop, replaced = _draw(prep, rng, 1)
    if stop_years:
        index = pd.Index(prep.pids)
        unknown = [p for p in stop_years if index.get_indexer([str(p)])[0] < 0]
        early = [p for p, y in stop_years.items() if int(y) <= prep.start_year]
        if unknown or early:
            raise ValidationError(
                "stop_years names unknown practitioners "
                f"({format_rows(unknown) or 'none'}) or years not after {prep.start_year} "
                f"({format_rows(early) or 'none'}).",
                field="stop_years",
                fix="use practitioner ids of the roster and years after the start year.",
            )
        for pid, year in stop_years.items():
            j = index.get_loc(str(pid))
            stop[0, j] = min(int(year) - prep.start_year, prep.horizon + 1)
    seed_out = None if isinstance(seed, np.random.Generator) else int(seed)
    return _result(prep, _simulate(prep, stop, replaced), engine="run", runs=1, seed=seed_out)
