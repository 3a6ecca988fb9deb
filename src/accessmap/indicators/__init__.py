"""Accessibility indicators on the travel-time table: nearest site, FCA family, APL, verdicts.

All functions are pure: they take the long-format travel-time table (``origin_id, dest_id,
minutes, method``), demand and supply tables, and return DataFrames or frozen dataclasses. A pair
missing from the travel-time table is unreachable, exactly like ``minutes == inf``. Bands are
half-open ``[lower, upper)`` (:mod:`accessmap.conventions`).

Where to look
-------------
- :mod:`~accessmap.indicators.apl`: APL exactly as DREES defines it (activity rules, site
  activity, decay, two steps, standardised population, territory mean);
- :mod:`~accessmap.indicators.fca`: the floating-catchment family (2SFCA, E2SFCA, BFCA, 3SFCA)
  and the weight functions;
- :mod:`~accessmap.indicators.raam`: the rational agent access model (Saxon & Snow 2020);
- :mod:`~accessmap.indicators.opportunity`: cumulative (cutoff, interval), gravity and
  cost-to-closest measures (IPEA ``accessibility``);
- :mod:`~accessmap.indicators.competition`: spatial availability and balancing cost;
- :mod:`~accessmap.indicators.decay`: the named decay functions (:data:`DECAYS`: binary, linear,
  exponential, power, logistic, stepped; IPEA ``accessibility``);
- :mod:`~accessmap.indicators.constrained`: total, singly and doubly constrained accessibility;
- :mod:`~accessmap.indicators.inequality`: Gini, Palma, Theil T, concentration index, FGT;
- :mod:`~accessmap.indicators.nearest`: nearest site, bands, population by band and beyond;
- :mod:`~accessmap.indicators.zoning`: APL classes and the decree 2003-1140 test;
- :mod:`~accessmap.indicators.drees`: comparison with, and calibration on, the published APL;
- :mod:`~accessmap.indicators.national`: the same comparison over many departments (Spearman
  nationally and by department, the gap of every commune);
- :mod:`~accessmap.indicators.commune`: the per-commune table of a territory;
- :mod:`~accessmap.indicators.registry`: :data:`MEASURES`, every measure by name;
- :mod:`~accessmap.indicators.professions`: :data:`PROFESSIONS`, one parameter table per
  health profession (GPs, nurses, physiotherapists, midwives, dentists, pharmacies);
- :mod:`~accessmap.indicators.pole`: the pôle view (professions at each MSP of a multi-site
  pôle, share of the territory each reaches within 15 / 30 minutes).
"""

from __future__ import annotations

from accessmap.contracts import AGE_BANDS, AplParameters, DecayBand
from accessmap.conventions import (
    APL_PRIORITY,
    APL_SECONDARY,
    DEFICIT_MIN_POPULATION,
    NEAREST_BAND_EDGES,
    band_labels,
)
from accessmap.indicators._common import UNREACHABLE, WeightFunction
from accessmap.indicators.apl import (
    activity_basis,
    apl,
    apl_mean_weights,
    apl_weights,
    counted_activity,
    site_activity,
    standardised_population,
    territory_apl,
)
from accessmap.indicators.commune import TerritoryIndicators, commune_indicators
from accessmap.indicators.competition import balancing_cost, spatial_availability
from accessmap.indicators.constrained import (
    DoublyConstrained,
    doubly_constrained,
    singly_constrained,
    total_constrained,
)
from accessmap.indicators.decay import (
    DECAYS,
    Decay,
    binary_decay,
    decay_function,
    exponential_decay,
    linear_decay,
    logistic_decay,
    power_decay,
    stepped_decay,
)
from accessmap.indicators.drees import (
    ActivityCalibration,
    DreesComparison,
    calibrate_activity,
    compare_with_drees,
    published_apl,
)
from accessmap.indicators.fca import (
    LUO_QI_BANDS,
    binary_weights,
    exponential_weights,
    floating_catchment,
    gaussian_weights,
    gravity_weights,
    kernel_gaussian_weights,
    step_weights,
    three_step_fca,
)
from accessmap.indicators.inequality import (
    TheilDecomposition,
    concentration_index,
    fgt_poverty,
    gini_index,
    palma_ratio,
    theil_t,
    weighted_quantile,
)
from accessmap.indicators.national import NationalComparison, national_comparison
from accessmap.indicators.nearest import (
    band_of,
    nearest_site,
    od_to_sites,
    population_beyond,
    population_by_band,
)
from accessmap.indicators.opportunity import (
    cost_to_closest,
    cumulative_cutoff,
    cumulative_interval,
    gravity_access,
)
from accessmap.indicators.pole import POLE_MINUTES, PoleView, pole_sites, pole_view
from accessmap.indicators.professions import (
    PROFESSIONS,
    Profession,
    fte_from_activity,
    profession_indicators,
    profession_parameters,
)
from accessmap.indicators.raam import RaamSchedule, raam
from accessmap.indicators.registry import (
    MEASURES,
    SUMMARIES,
    Measure,
    Summary,
    compute_measure,
    summarise,
)
from accessmap.indicators.zoning import (
    Criterion,
    CriterionStatus,
    ZoneDeficitaire,
    classify_apl,
    zone_deficitaire,
    zrr_status,
)

__all__ = [
    "AGE_BANDS",
    "APL_PRIORITY",
    "APL_SECONDARY",
    "DECAYS",
    "DEFICIT_MIN_POPULATION",
    "LUO_QI_BANDS",
    "MEASURES",
    "NEAREST_BAND_EDGES",
    "POLE_MINUTES",
    "PROFESSIONS",
    "SUMMARIES",
    "UNREACHABLE",
    "ActivityCalibration",
    "AplParameters",
    "Criterion",
    "CriterionStatus",
    "Decay",
    "DecayBand",
    "DoublyConstrained",
    "DreesComparison",
    "Measure",
    "NationalComparison",
    "PoleView",
    "Profession",
    "RaamSchedule",
    "Summary",
    "TerritoryIndicators",
    "TheilDecomposition",
    "WeightFunction",
    "ZoneDeficitaire",
    "activity_basis",
    "apl",
    "apl_mean_weights",
    "apl_weights",
    "balancing_cost",
    "band_labels",
    "band_of",
    "binary_decay",
    "binary_weights",
    "calibrate_activity",
    "classify_apl",
    "commune_indicators",
    "compare_with_drees",
    "compute_measure",
    "concentration_index",
    "cost_to_closest",
    "counted_activity",
    "cumulative_cutoff",
    "cumulative_interval",
    "decay_function",
    "doubly_constrained",
    "exponential_decay",
    "exponential_weights",
    "fgt_poverty",
    "floating_catchment",
    "fte_from_activity",
    "gaussian_weights",
    "gini_index",
    "gravity_access",
    "gravity_weights",
    "kernel_gaussian_weights",
    "linear_decay",
    "logistic_decay",
    "national_comparison",
    "nearest_site",
    "od_to_sites",
    "palma_ratio",
    "pole_sites",
    "pole_view",
    "population_beyond",
    "population_by_band",
    "power_decay",
    "profession_indicators",
    "profession_parameters",
    "published_apl",
    "raam",
    "singly_constrained",
    "site_activity",
    "spatial_availability",
    "standardised_population",
    "step_weights",
    "stepped_decay",
    "summarise",
    "territory_apl",
    "theil_t",
    "three_step_fca",
    "total_constrained",
    "weighted_quantile",
    "zone_deficitaire",
    "zrr_status",
]
