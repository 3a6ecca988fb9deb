"""Options and result of a territorial diagnostic."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pandas as pd

from accessmap.conventions import SITING_MINUTES
from accessmap.errors import ValidationError
from accessmap.inputs import InputOptions, Inputs
from accessmap.professions import profession

#: Rules for practitioners without a birth year (``--unknown-age``).
UNKNOWN_AGE_RULES: tuple[str, ...] = ("territory", "exclude", "keep")

if TYPE_CHECKING:
    import geopandas as gpd

    from accessmap.diagnostic.choices import Decisions
    from accessmap.diagnostic.decisions import DecisionInputs
    from accessmap.diagnostic.professions import ProfessionResult, ProfessionsResult
    from accessmap.indicators import (
        ActivityCalibration,
        DreesComparison,
        TerritoryIndicators,
        ZoneDeficitaire,
    )
    from accessmap.indicators.official import OfficialApl
    from accessmap.network import TravelTimes
    from accessmap.siting import SitingResult
    from accessmap.workforce import Outlook

__all__ = ["STEPS", "Diagnostic", "DiagnosticOptions", "Progress"]

Progress = Callable[[str], None]

#: Catalogue codes of the steps :func:`~accessmap.diagnostic.run_diagnostic` reports, in the order
#: it reports them (a progress display counts these). Its other messages describe the work within
#: the current step: the calibration, travel times read back from the store, each search of the
#: decisions.
STEPS: tuple[str, ...] = (
    "progress.territory", "progress.roads", "progress.times", "progress.indicators",
    "progress.outlook", "progress.professions", "progress.siting", "progress.options",
    "progress.decisions", "progress.isochrones",
)  # fmt: skip
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class DiagnosticOptions:
    """What to diagnose and how: the input options, plus what the diagnostic alone needs.

    Attributes
    ----------
    inputs
        What to load (territory, buffer, roster, roads, winter, seed, APL year, illustrative
        ages): :class:`accessmap.inputs.InputOptions`, shared with every command. Its fields are
        also readable here (``options.territory`` is ``options.inputs.territory``).
    scenario
        A replacement scenario file for the outlook (TOML).
    start_year
        First year of the outlook (default: this year).
    horizon
        Years of the outlook.
    runs
        Monte Carlo runs of the outlook.
    minutes
        Coverage threshold of the siting models (``t < minutes``); default
        :data:`accessmap.conventions.SITING_MINUTES`, the same in every command.
    p_max
        Options for 1..p_max new sites.
    volunteer_commune
        INSEE code of a named commune for a Médecins Solidaires-style centre option.
    calibrate
        Calibrate the activity imputed to GPs of unknown activity on the published APL over the
        territory's departments (see :mod:`accessmap.diagnostic.official`).
    min_population
        Host rule: smallest population of a commune proposed for a new site.
    premises
        Host rule: only these communes (INSEE codes) have premises for a new site.
    retirement_age
        A fixed retirement age instead of the age curve
        (:class:`~accessmap.workforce.RetirementModel`).
    unknown_age
        Rule for practitioners without a birth year: ``territory``, ``exclude`` or ``keep``.
    professions
        Which professions to diagnose beside the default one
        (:func:`accessmap.diagnostic.professions.compute_professions`): ``True`` every other
        registered profession (nurses, physiotherapists, midwives, dentists, pharmacies, and any
        profession registered with :func:`accessmap.professions.register_profession`), ``False``
        none, or a tuple of registered keys.
    """

    inputs: InputOptions = field(default_factory=InputOptions)
    scenario: Path | None = None
    start_year: int | None = None
    horizon: int = 15
    runs: int = 1000
    minutes: float = SITING_MINUTES
    p_max: int = 3
    volunteer_commune: str | None = None
    calibrate: bool = True
    min_population: float | None = None
    premises: tuple[str, ...] | None = None
    retirement_age: int | None = None
    unknown_age: str = "territory"
    professions: bool | tuple[str, ...] = True

    def __post_init__(self) -> None:
        """Check the options at the boundary (the input options checked themselves)."""
        for name in ("runs", "horizon", "minutes", "p_max"):
            value = getattr(self, name)
            if not value > 0:
                raise ValidationError("diagnostic.not_positive", field=name, value=value)
        if not isinstance(self.professions, bool):
            for key in self.professions:
                profession(key)  # refuses an unknown profession before any work
        if self.unknown_age not in UNKNOWN_AGE_RULES:
            raise ValidationError(
                "diagnostic.unknown_age_rule",
                field="--unknown-age",
                value=self.unknown_age,
                rules=UNKNOWN_AGE_RULES,
            )

    def input_options(self) -> InputOptions:
        """Return the options of the input layer (:attr:`inputs`)."""
        return self.inputs

    # Read-only views of the input options (the steps read them from the diagnostic options).
    @property
    def territory(self) -> str:
        """``inputs.territory``."""
        return self.inputs.territory

    @property
    def buffer_km(self) -> float:
        """``inputs.buffer_km``."""
        return self.inputs.buffer_km

    @property
    def roster(self) -> Path | None:
        """``inputs.roster``."""
        return self.inputs.roster

    @property
    def osm(self) -> Path | None:
        """``inputs.osm``."""
        return self.inputs.osm

    @property
    def crowfly(self) -> bool:
        """``inputs.crowfly``."""
        return self.inputs.crowfly

    @property
    def online(self) -> bool:
        """``inputs.online``."""
        return self.inputs.online

    @property
    def winter(self) -> bool | None:
        """``inputs.winter``."""
        return self.inputs.winter

    @property
    def seed(self) -> int:
        """``inputs.seed``."""
        return self.inputs.seed

    @property
    def apl_year(self) -> int:
        """``inputs.apl_year``."""
        return self.inputs.apl_year

    @property
    def illustrative_ages(self) -> bool:
        """``inputs.illustrative_ages``."""
        return self.inputs.illustrative_ages


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A territorial diagnostic: every table the report, the notebooks and the GeoPackage show.

    Attributes
    ----------
    options
        The options it was run with.
    inputs
        What was read (territory, roster, parameters, provenance).
    traveltimes
        Travel times from every study-area commune to every site of the primary profession and
        candidate town hall.
    professions
        Every profession diagnosed, keyed by profession
        (:class:`~accessmap.diagnostic.professions.ProfessionsResult`, a mapping
        ``profession -> ProfessionResult``): the primary one
        (:data:`~accessmap.professions.DEFAULT_PROFESSION`) with its full indicator tables and
        both outlooks, then, with ``options.professions``, every other registered profession;
        plus the summary, the pôle view and the communes losing several professions.
        :attr:`indicators`, :attr:`outlook` and :attr:`outlook_mc` are the primary profession's.
    drees
        Our APL next to the published one (``None`` without the DREES workbook).
    zone
        The decree 2003-1140 test.
    options_siting
        Siting answers (MCLP for p = 1..p_max, p-median, p-center, volunteer centre, rotation).
    comparison
        The options side by side (one row per option).
    option_communes
        Per option and commune: nearest time and APL (for maps).
    isochrones
        Catchment polygons (10/20/30 min) of today's sites.
    official
        The published DREES APL of the territory (what the report shows first), or ``None``.
    calibration
        The activity level imputed to GPs of unknown activity and its fit, or ``None``.
    calibration_times
        The calibration area's travel times (cached in the store with the run's results), or
        ``None``.
    official_effects
        Per option: the published APL plus the option's modelled effect (territory mean,
        communes and inhabitants under 2.5).
    decisions
        The options on the official indicator (recruits needed, best use of teams, MilleSoins,
        volunteer centre), ranked, or ``None`` without a published APL for the primary profession
        (:func:`accessmap.diagnostic.choices.compute_decisions`).
    profession_recruits
        Recruits needed by every other profession with an APL to keep each commune above its
        reference threshold in the decision year
        (:func:`accessmap.diagnostic.steps.compute_profession_recruits`).
    simulator
        The simulator's decision problems: per APL profession, one per year from today to the
        decision year (:func:`accessmap.diagnostic.steps.compute_simulator_inputs`).
    losing_last
        The one count of communes losing their last GP: every territory commune with a GP today,
        its probability of having none in the decision year (share of the Monte Carlo draws) and
        ``lost`` (none in the median draw: probability at least one half), with the first year it
        happens (:func:`accessmap.workforce.communes_losing_last`). The verdict, the options
        table and the CSVs read this table.
    warnings
        What every reader must know (crow-fly times, illustrative ages...).
    created_at
        When it was computed (UTC).
    """

    options: DiagnosticOptions
    inputs: Inputs
    traveltimes: TravelTimes
    professions: ProfessionsResult
    drees: DreesComparison | None
    zone: ZoneDeficitaire
    options_siting: tuple[SitingResult, ...]
    comparison: pd.DataFrame
    option_communes: pd.DataFrame
    isochrones: gpd.GeoDataFrame
    official: OfficialApl | None = None
    calibration: ActivityCalibration | None = None
    calibration_times: TravelTimes | None = None
    official_effects: pd.DataFrame | None = None
    decisions: Decisions | None = None
    profession_recruits: pd.DataFrame = field(default_factory=pd.DataFrame)
    simulator: Mapping[str, Mapping[int, DecisionInputs]] = field(default_factory=dict)
    losing_last: pd.DataFrame = field(default_factory=pd.DataFrame)
    warnings: tuple[str, ...] = field(default=())
    created_at: str = ""

    @property
    def primary(self) -> ProfessionResult:
        """The profession diagnosed in detail (the default profession)."""
        return self.professions[self.professions.primary]

    @property
    def indicators(self) -> TerritoryIndicators:
        """Nearest practitioner, bands, APL per commune of the primary profession."""
        return _required(self.primary.indicators)

    @property
    def outlook(self) -> Outlook:
        """Expected-value outlook of the primary profession (year by year)."""
        return _required(self.primary.outlook)

    @property
    def outlook_mc(self) -> Outlook:
        """Monte Carlo outlook of the primary profession (quantiles)."""
        return _required(self.primary.outlook_mc)


def _required(value: _T | None) -> _T:
    """Return a detail of the primary profession, always set by :func:`run_diagnostic`."""
    if value is None:
        raise ValidationError("diagnostic.no_detail", field="professions")
    return value
