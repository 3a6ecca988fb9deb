"""Every band edge and threshold of accessmap, in one place.

A newcomer looking for "where is the 10-minute edge", "what counts as an under-served commune" or
"what does *within 20 minutes* mean" finds it here. Domain modules import these names; they never
repeat a literal edge.

Band convention
---------------
Every band is **half-open** ``[lower, upper)``: a time ``t`` is in the band "10 à 20 min" when
``10 <= t < 20``. So the DREES "moins de 10 minutes" is ``t < 10``, exactly 10 minutes falls in the
next band, exactly 20 minutes has APL weight 0, "within T minutes" (coverage, catchments, binary
2SFCA) is ``t < T`` and "beyond 30 minutes" is ``t >= 30``. Reproducing a published reference
that includes its cutoff (IPEA ``accessibility``, PySAL ``access``: ``cost <= max_cost``) is an
explicit option (``include_cutoff=True``) of the function concerned.

References
----------
DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes », methodological
note and workbook sheet *Paramètres* (2022, 2023).
Décret n° 2003-1140 du 28 novembre 2003 (zones déficitaires en offre de soins).
Luo W., Qi Y. (2009), « An enhanced two-step floating catchment area (E2SFCA) method for measuring
spatial accessibility to primary care physicians », *Health & Place* 15(4), 1100-1107.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = [
    "APL_PRIORITY",
    "APL_SECONDARY",
    "BEYOND_MINUTES",
    "CATCHMENT_MINUTES",
    "COVERAGE_MAX_KM",
    "COVERAGE_MAX_SHARE",
    "CUMULATIVE_INTERVAL",
    "DEFICIT_BUSY_ACTS",
    "DEFICIT_BUSY_SHARE",
    "DEFICIT_FTE_PER_5000",
    "DEFICIT_MAX_MINUTES",
    "DEFICIT_MIN_POPULATION",
    "DEFICIT_OVER_75_SHARE",
    "HOST_MIN_POPULATION",
    "INDICATOR_HORIZON",
    "ISOCHRONE_BANDS",
    "LUO_QI_EDGES",
    "LUO_QI_WEIGHTS",
    "MAIRIE_TOLERANCE_M",
    "MILLESOINS_SITES",
    "MILLESOINS_TEAM",
    "MSP_MIN_GPS",
    "NEAREST_BAND_EDGES",
    "OUTLOOK_HORIZON_YEARS",
    "REFERENCE_QUANTILE",
    "SITING_MINUTES",
    "TABLE_HORIZON",
    "VOLUNTEER_WEEKS_PER_CENTRE",
    "WEEKS_PER_FTE",
    "band_index",
    "band_labels",
    "within",
]

#: Edges of the nearest-practitioner bands: [0, 10), [10, 20), [20, 30), [30, 40), [40, inf).
NEAREST_BAND_EDGES: tuple[float, ...] = (10.0, 20.0, 30.0, 40.0)

#: Edges of the isochrones drawn around sites: [0, 10), [10, 20), [20, 30).
ISOCHRONE_BANDS: tuple[float, ...] = (10.0, 20.0, 30.0)

#: "Beyond T minutes" counts reported for every territory (``t >= T``).
BEYOND_MINUTES: tuple[float, ...] = (20.0, 30.0)

#: APL below this (consultations per standardised inhabitant per year): priority zone (DREES).
APL_PRIORITY = 2.5
#: APL below this (and at or above :data:`APL_PRIORITY`): secondary ("vigilance") zone (DREES).
APL_SECONDARY = 4.0

#: GPs of a new MSP (maison de santé pluriprofessionnelle): the smallest team a new site opens
#: with in the APL siting models. The national cahier des charges of MSPs (annex of the circulaire
#: DGOS/PF3/DATAR/DGS n° 2010-270 of 27 July 2010, taken up by the ARS and by the accord
#: conventionnel interprofessionnel of 2017) says an MSP gathers **at least two general
#: practitioners and one paramedical professional**. Existing practices and MSPs may be
#: reinforced by a single GP.
MSP_MIN_GPS = 2

#: GPs of the MilleSoins pôle de santé in 2017 (its SISA counted 6 GPs, 4 nurses and 5
#: pharmacists: ../shared/context/territory.md): the team size of the dispersed-pôle comparison.
MILLESOINS_TEAM = 6
#: The pôle's four MSPs in 2017 (town halls): Bugeat, Peyrelevade, Faux-la-Montagne,
#: Royère-de-Vassivière (same source).
MILLESOINS_SITES = ("19033", "19164", "23077", "23165")

#: Default host rule of the decisions in ``diagnose``: a new MSP opens in a commune of at least
#: this many inhabitants (a bourg with shops and services; communes with an MSP or health centre
#: stay eligible whatever their size). A convention, printed with the options; ``--min-population``
#: or ``--premises`` replace it.
HOST_MIN_POPULATION = 500

#: Professions without an official APL threshold: the threshold is the APL of the fifth least
#: served inhabited communes of the study area today (a convention following the quantile-based
#: zonings of nurses and physiotherapists, never an official level).
REFERENCE_QUANTILE = 0.2

#: Working weeks of one full-time practitioner a year: N volunteer-weeks make N / 47 FTE. Read as
#: 52 weeks minus the 5 weeks of paid leave of the Code du travail (art. L3141-3: 2.5 working days
#: a month, 30 a year); an assumption, the one figure used by the outlook's volunteer centres and
#: by the siting models alike.
WEEKS_PER_FTE = 47.0
#: Volunteer-weeks a Médecins Solidaires centre is staffed a year: the charity counts 45 to 52 to
#: run one centre (one GP a week, most weeks of the year); 48 is the middle of that range, about
#: one FTE with :data:`WEEKS_PER_FTE`.
VOLUNTEER_WEEKS_PER_CENTRE = 48.0

#: Decree 2003-1140: a "zone déficitaire" has at least this many inhabitants.
DEFICIT_MIN_POPULATION = 5000
#: Decree 2003-1140, criterion 1: inhabitants cannot reach a GP within this many minutes.
DEFICIT_MAX_MINUTES = 40.0
#: Decree 2003-1140, criterion 2: fewer than this many full-time GPs per 5,000 inhabitants.
DEFICIT_FTE_PER_5000 = 3.0
#: Decree 2003-1140, criterion 3: this share of the GPs perform more than DEFICIT_BUSY_ACTS a year.
DEFICIT_BUSY_SHARE = 0.75
DEFICIT_BUSY_ACTS = 7500.0
#: Decree 2003-1140, criterion 4: over this share of the inhabitants aged 75 or more.
DEFICIT_OVER_75_SHARE = 0.10

#: Default coverage threshold of every siting model, in ``diagnose``, ``site`` and ``compare``
#: alike ("within T minutes" = ``t < T``). 15 minutes is the middle of the DREES decay: beyond
#: it a GP counts only one third in the APL.
SITING_MINUTES = 15.0

#: Minutes kept in the shared travel-time table of a territory (sites and candidate town halls):
#: pairs at or beyond are dropped (a missing pair is unreachable), the nearest practitioner of
#: every commune is always kept. Covers every band (40 min), the APL (20), the outlook (30) and
#: siting thresholds up to an hour.
TABLE_HORIZON = 60.0
#: The same for the indicators alone (sites only): the longest band edge.
INDICATOR_HORIZON = 40.0

#: Default horizon of the workforce outlook (years after the start year).
OUTLOOK_HORIZON_YEARS = 10

#: Default catchment of the generic measures of ``indicators.MEASURES`` (2SFCA, BFCA,
#: cumulative cutoff): the 30-minute catchment of Luo & Qi (2009).
CATCHMENT_MINUTES = 30.0
#: Default interval of the cumulative-interval measure: from the end of the DREES decay (20 min)
#: to the decree 2003-1140 distance (40 min).
CUMULATIVE_INTERVAL: tuple[float, float] = (20.0, 40.0)

#: Luo & Qi (2009) E2SFCA step edges and weights for a 30-minute catchment.
LUO_QI_EDGES: tuple[float, ...] = (0.0, 10.0, 20.0, 30.0)
LUO_QI_WEIGHTS: tuple[float, ...] = (1.0, 0.68, 0.22)


def band_labels(edges: Sequence[float] = NEAREST_BAND_EDGES) -> tuple[str, ...]:
    """Machine labels of the half-open bands cut by ``edges``, the last one open-ended.

    Parameters
    ----------
    edges
        Increasing upper bounds, e.g. ``(10, 20, 30, 40)``.

    Returns
    -------
    tuple of str
        ``("0-10", "10-20", "20-30", "30-40", "40+")``: ``"10-20"`` means ``10 <= t < 20``.
        French reader labels are made from these by :mod:`accessmap.labels`.

    References
    ----------
    accessmap band convention (module docstring).
    """
    bounds = [0.0, *[float(e) for e in edges]]
    labels = [f"{lo:g}-{hi:g}" for lo, hi in itertools.pairwise(bounds)]
    return (*labels, f"{bounds[-1]:g}+")


def band_index(minutes: npt.ArrayLike, edges: Sequence[float]) -> npt.NDArray[np.intp]:
    """Index of the half-open band ``[edges[k-1], edges[k])`` holding each time.

    Parameters
    ----------
    minutes
        Travel times; ``inf`` (unreachable) falls in the last, open band.
    edges
        Increasing band edges.

    Returns
    -------
    numpy.ndarray
        ``0`` for ``t < edges[0]``, ``k`` for ``edges[k-1] <= t < edges[k]``, ``len(edges)`` for
        ``t >= edges[-1]``.

    References
    ----------
    accessmap band convention (module docstring).
    """
    values = np.asarray(minutes, dtype=np.float64)
    return np.searchsorted(np.asarray(edges, dtype=np.float64), values, side="right").astype(
        np.intp
    )


def within(
    minutes: npt.ArrayLike, threshold: float, *, include_cutoff: bool = False
) -> npt.NDArray[np.bool_]:
    """Whether each time is "within ``threshold`` minutes": ``t < T`` (or ``t <= T``).

    Parameters
    ----------
    minutes
        Travel times (``inf`` is never within).
    threshold
        The threshold ``T`` in minutes (``inf`` accepts every finite time).
    include_cutoff
        ``True`` to reproduce references that keep ``t <= T`` (IPEA, PySAL access).

    Returns
    -------
    numpy.ndarray of bool

    References
    ----------
    accessmap band convention (module docstring).
    """
    values = np.asarray(minutes, dtype=np.float64)
    if math.isinf(threshold):
        return np.isfinite(values)
    return values <= threshold if include_cutoff else values < threshold


#: Coverage check of a road network (:func:`accessmap.network.check_coverage`): a point farther
#: than this (km) from every road node is outside the network...
COVERAGE_MAX_KM = 5.0
#: ...and the network is refused when more than this share of the points is outside it.
COVERAGE_MAX_SHARE = 0.5

#: A town-hall point farther than this (metres) outside its commune's polygon is replaced by a
#: point inside the polygon (the mirror's simplified polygons explain offsets below it).
MAIRIE_TOLERANCE_M = 2000.0
