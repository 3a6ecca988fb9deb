"""Options and result of a territorial diagnostic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from accessmap.conventions import SITING_MINUTES
from accessmap.errors import ValidationError
from accessmap.inputs import InputOptions, Inputs

if TYPE_CHECKING:
    import geopandas as gpd

    from accessmap.diagnostic.professions import ProfessionsResult
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

__all__ = ["Diagnostic", "DiagnosticOptions", "Progress"]

Progress = Callable[[str], None]


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
        Also diagnose the other health professions (nurses, physiotherapists, midwives, dentists,
        pharmacies; :func:`accessmap.diagnostic.professions.compute_professions`).
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
    professions: bool = True

    def __post_init__(self) -> None:
        """Check the options at the boundary (the input options checked themselves)."""
        if self.runs <= 0:
            raise ValidationError(f"{self.runs} runs.", field="runs", fix="give a count > 0.")
        if self.horizon <= 0:
            raise ValidationError(f"{self.horizon}.", field="horizon", fix="give years > 0.")
        if self.minutes <= 0:
            raise ValidationError(f"{self.minutes}.", field="minutes", fix="give minutes > 0.")
        if self.p_max <= 0:
            raise ValidationError(f"{self.p_max}.", field="p_max", fix="give a count > 0.")
        if self.unknown_age not in {"territory", "exclude", "keep"}:
            raise ValidationError(
                f"{self.unknown_age!r} is not a rule.",
                field="--unknown-age",
                fix="use territory, exclude or keep.",
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
        Travel times from every study-area commune to every GP site and candidate town hall.
    indicators
        Nearest GP, bands, APL per commune.
    drees
        Our APL next to the published one (``None`` without the DREES workbook).
    zone
        The decree 2003-1140 test.
    outlook
        Expected-value outlook (year by year).
    outlook_mc
        Monte Carlo outlook (quantiles).
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
    official_effects
        Per option: the published APL plus the option's modelled effect (territory mean,
        communes and inhabitants under 2.5).
    professions
        The other health professions (access, outlook, pôle view), or ``None`` when
        ``options.professions`` is off.
    warnings
        What every reader must know (crow-fly times, illustrative ages...).
    created_at
        When it was computed (UTC).
    """

    options: DiagnosticOptions
    inputs: Inputs
    traveltimes: TravelTimes
    indicators: TerritoryIndicators
    drees: DreesComparison | None
    zone: ZoneDeficitaire
    outlook: Outlook
    outlook_mc: Outlook
    options_siting: tuple[SitingResult, ...]
    comparison: pd.DataFrame
    option_communes: pd.DataFrame
    isochrones: gpd.GeoDataFrame
    official: OfficialApl | None = None
    calibration: ActivityCalibration | None = None
    official_effects: pd.DataFrame | None = None
    professions: ProfessionsResult | None = None
    warnings: tuple[str, ...] = field(default=())
    created_at: str = ""
