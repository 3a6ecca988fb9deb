"""The per-commune table of a territory: nearest GP, band, APL (all GPs and under 65), class.

References
----------
DREES APL workbook 2023 and Barlet et al. (2012), DREES Document de travail 124 (APL);
décret n° 2003-1140 (40-minute criterion).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from accessmap.contracts import AplParameters, require_columns, validate_demand
from accessmap.conventions import NEAREST_BAND_EDGES
from accessmap.indicators.apl import apl, imputed_acts_per_fte, site_activity, territory_apl
from accessmap.indicators.nearest import (
    band_of,
    nearest_site,
    population_beyond,
    population_by_band,
)
from accessmap.indicators.zoning import classify_apl
from accessmap.messages import Message
from accessmap.professions import DEFAULT_PROFESSION

if TYPE_CHECKING:
    from accessmap.supply import Roster

__all__ = ["TerritoryIndicators", "commune_indicators"]


@dataclass(frozen=True, slots=True)
class TerritoryIndicators:
    """Every indicator of a territory, per commune and in summary.

    Attributes
    ----------
    communes
        One row per commune of the study area: ``id``, ``in_territory``, ``population``,
        ``pop_std``, ``nearest_minutes``, ``nearest_site``, ``nearest_method``, ``band``, ``apl``,
        ``apl_u65``, ``apl_class``.
    sites
        :func:`site_activity` of the roster (``site_id``, ``acts``, ``fte``, ``acts_imputed``...),
        plus ``acts_u65``.
    bands
        :func:`population_by_band` over the territory communes.
    beyond
        :func:`population_beyond` (30 and 40 minutes) over the territory communes.
    apl_territory
        Territory APL (standardised-population-weighted mean, territory communes).
    apl_u65_territory
        Same for GPs under ``age_limit``; NaN (and ``apl_u65`` NaN) when the roster's ages are
        illustrative: one draw of ages is not a figure (the note ``apl.u65_needs_real_ages``).
    notes
        Caveats to print with the results (imputed activity, unknown ages, population fallback,
        illustrative ages, roster source), as messages of the catalogue (``str()``: in French).
    """

    communes: pd.DataFrame
    sites: pd.DataFrame
    bands: pd.DataFrame
    beyond: pd.DataFrame
    apl_territory: float
    apl_u65_territory: float
    notes: tuple[Message, ...] = field(default_factory=tuple)


def _notes(
    *,
    sites: pd.DataFrame,
    roster: Roster,
    params: AplParameters,
    acts_per_fte: float | None,
    fallback: int,
) -> tuple[Message, ...]:
    notes: list[Message] = []
    if fallback:
        notes.append(Message("apl.population_fallback", count=fallback))
    total = float(sites["acts"].sum())
    imputed = float(sites["acts_imputed"].sum())
    if imputed > 0:
        notes.append(
            Message(
                "apl.imputed_activity",
                percent=round(imputed / total * 100),
                acts_per_fte=round(imputed_acts_per_fte(params, acts_per_fte)),
            )
        )
    gps = roster.practitioners[roster.practitioners["profession"] == DEFAULT_PROFESSION]
    unknown_age = int(gps["birth_year"].isna().sum())
    if unknown_age:
        notes.append(
            Message(
                "apl.unknown_birth_years",
                count=unknown_age,
                total=len(gps),
                age_limit=params.age_limit,
            )
        )
    if roster.illustrative_ages:  # said once for the run by the input layer; here its effect
        notes.append(Message("apl.u65_needs_real_ages", age_limit=params.age_limit))
    if roster.source:
        notes.append(Message("apl.roster_source", source=roster.source))
    notes.append(Message("apl.parameters_source", source=params.source))
    return tuple(notes)


def commune_indicators(
    od: pd.DataFrame,
    *,
    communes: pd.DataFrame,
    roster: Roster,
    params: AplParameters | None = None,
    year: int = 2023,
    acts_per_fte: float | None = None,
    edges: Sequence[float] = NEAREST_BAND_EDGES,
) -> TerritoryIndicators:
    """Compute the nearest-GP times, population bands and APL (all GPs and under 65) per commune.

    Parameters
    ----------
    od
        Travel times from communes (``origin_id`` = INSEE code) to roster sites (``dest_id``).
    communes
        ``id``, ``population`` and optionally ``pop_std`` (DREES standardised population; the
        population légale is used where it is missing, and a note says so) and ``in_territory``
        (bool; default every commune). Give the buffer communes too: they compete for the GPs.
    roster
        GPs and their sites.
    params
        APL parameters (default: DREES 2023).
    year
        Reference year of the "under 65" variant (computed only from real ages: with the
        roster's ``illustrative_ages``, ``apl_u65`` is NaN).
    acts_per_fte
        Acts per year of a full-time GP with unknown activity (see
        :func:`~accessmap.indicators.counted_activity`; :func:`calibrate_activity` fits it).
    edges
        Nearest-GP band edges.

    Returns
    -------
    TerritoryIndicators
        Per-commune table, site activity, bands, summary and notes.

    Raises
    ------
    ValidationError
        Invalid communes, travel times or roster.

    References
    ----------
    DREES APL workbook 2023 and Barlet et al. (2012), DREES Document de travail 124 (APL);
    Décret n° 2003-1140 (40-minute criterion).
    """
    p = params if params is not None else AplParameters()
    require_columns(communes, ("id", "population"), table="communes")
    clean = validate_demand(communes, weight="pop_std", name="communes")
    frame = clean[["id", "in_territory", "population", "pop_std"]].copy()
    fallback = (
        int(pd.to_numeric(communes["pop_std"], errors="coerce").isna().sum())
        if "pop_std" in communes.columns
        else len(frame)
    )
    sites = site_activity(roster, params=p, acts_per_fte=acts_per_fte)
    sites_u65 = site_activity(
        roster, params=p, acts_per_fte=acts_per_fte, max_age=p.age_limit, year=year
    )
    sites["acts_u65"] = sites_u65["acts"].to_numpy()
    nearest = nearest_site(od, origins=frame["id"], sites=sites.loc[sites["fte"] > 0, "site_id"])
    frame["nearest_minutes"] = nearest["minutes"].to_numpy()
    frame["nearest_site"] = nearest["site_id"].to_numpy()
    frame["nearest_method"] = nearest["method"].to_numpy()
    frame["band"] = band_of(frame["nearest_minutes"].to_numpy(), edges=edges)
    demand = frame[["id", "pop_std"]]
    frame["apl"] = apl(od, demand=demand, supply=sites[["site_id", "acts"]], params=p)[
        "apl"
    ].to_numpy()
    supply_u65 = sites[["site_id", "acts_u65"]].rename(columns={"acts_u65": "acts"})
    # illustrative ages: the under-65 APL would be one random draw, so none is given
    frame["apl_u65"] = (
        math.nan
        if roster.illustrative_ages
        else apl(od, demand=demand, supply=supply_u65, params=p)["apl"].to_numpy()
    )
    frame["apl_class"] = classify_apl(frame["apl"].to_numpy()).to_numpy()

    inside = frame[frame["in_territory"]]
    inside_nearest = inside[["id", "nearest_minutes"]].rename(
        columns={"nearest_minutes": "minutes"}
    )
    territory_ids = inside["id"]
    return TerritoryIndicators(
        communes=frame,
        sites=sites,
        bands=population_by_band(inside_nearest, population=inside, edges=edges),
        beyond=population_beyond(inside_nearest, population=inside),
        apl_territory=territory_apl(frame, demand=demand, ids=territory_ids),
        apl_u65_territory=math.nan
        if roster.illustrative_ages
        else territory_apl(frame, demand=demand, column="apl_u65", ids=territory_ids),
        notes=_notes(
            sites=sites, roster=roster, params=p, acts_per_fte=acts_per_fte, fallback=fallback
        ),
    )
