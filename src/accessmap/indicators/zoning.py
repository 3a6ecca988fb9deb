"""Verdicts: APL zoning classes and the decree 2003-1140 "zone déficitaire" test.

Thresholds come from :mod:`accessmap.conventions` (``APL_PRIORITY``, ``APL_SECONDARY``,
``DEFICIT_MIN_POPULATION``, ``DEFICIT_MAX_MINUTES``).

References
----------
Décret n° 2003-1140 du 1er décembre 2003 (article 1er), pris pour l'application de l'article
L. 162-47 du code de la sécurité sociale; arrêté du 1er octobre 2021 (zonage médecins).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd

from accessmap.contracts import require_columns
from accessmap.conventions import (
    APL_PRIORITY,
    APL_SECONDARY,
    DEFICIT_BUSY_ACTS,
    DEFICIT_BUSY_SHARE,
    DEFICIT_FTE_PER_5000,
    DEFICIT_MAX_MINUTES,
    DEFICIT_MIN_POPULATION,
    DEFICIT_OVER_75_SHARE,
)
from accessmap.errors import ValidationError
from accessmap.indicators._common import demand_values
from accessmap.indicators.nearest import population_beyond
from accessmap.messages import Message

__all__ = [
    "Criterion",
    "CriterionStatus",
    "ZoneDeficitaire",
    "classify_apl",
    "zone_deficitaire",
    "zrr_status",
]

#: A territory counts as ZRR when ZRR communes hold more than this share of its population.
ZRR_MAJORITY = 0.5


def classify_apl(values: object) -> pd.Series:
    """Zoning class of APL values: ``priority`` (< 2.5), ``secondary`` (< 4), ``adequate``.

    Parameters
    ----------
    values
        APL values (array-like or Series; NaN gives ``unknown``).

    Returns
    -------
    pandas.Series
        One label per value (index kept when ``values`` is a Series). Edges follow the project
        convention: exactly 2.5 is ``secondary``, exactly 4 is ``adequate``.

    References
    ----------
    Arrêté du 1er octobre 2021 / ARS zoning method for GPs: APL < 2.5 consultations per
    standardised inhabitant per year for the "zones d'intervention prioritaire", 2.5-4 for the
    "zones d'action complémentaire"; DREES APL documentation.
    """
    index = values.index if isinstance(values, pd.Series) else None
    v = np.asarray(values, dtype=np.float64)
    labels = np.where(
        np.isnan(v),
        "unknown",
        np.where(
            v < APL_PRIORITY, "priority", np.where(v < APL_SECONDARY, "secondary", "adequate")
        ),
    )
    return pd.Series(labels.astype(object), index=index, name="apl_class", dtype=object)


CriterionStatus: TypeAlias = Literal["met", "not_met", "unknown"]


@dataclass(frozen=True, slots=True)
class Criterion:
    """One criterion of the decree 2003-1140 test.

    Attributes
    ----------
    key
        ``no_gp_within_40``, ``fewer_than_3_fte_per_5000``, ``gps_over_7500_acts`` or
        ``age_social_or_zrr``.
    label
        What the decree asks, as a message of the catalogue (``str()``: in French).
    status
        ``met``, ``not_met`` or ``unknown`` (data missing: never guessed).
    value
        The measured quantity (share, ratio), ``None`` when unknown.
    detail
        How it was decided, or which data are missing, as a message of the catalogue
        (``str()``: the French sentence, figures included).
    """

    key: str
    label: Message
    status: CriterionStatus
    value: float | None
    detail: Message


@dataclass(frozen=True, slots=True)
class ZoneDeficitaire:
    """Result of the decree 2003-1140 "zone déficitaire" test on a territory.

    Attributes
    ----------
    population
        Inhabitants of the territory.
    large_enough
        At least :data:`DEFICIT_MIN_POPULATION` (5,000) inhabitants.
    criteria
        The four criteria, each ``met``, ``not_met`` or ``unknown``.
    verdict
        ``qualifies`` (large enough and at least 3 criteria met), ``does_not_qualify`` (too small,
        or fewer than 3 criteria could be met even if every unknown one were), or ``unknown``.
    """

    population: float
    large_enough: bool
    criteria: tuple[Criterion, ...]
    verdict: Literal["qualifies", "does_not_qualify", "unknown"]

    @property
    def met(self) -> int:
        """Number of criteria met."""
        return sum(c.status == "met" for c in self.criteria)

    @property
    def unknown(self) -> int:
        """Number of criteria whose data are missing."""
        return sum(c.status == "unknown" for c in self.criteria)

    def to_frame(self) -> pd.DataFrame:
        """Return the criteria as a table (``key, label, status, value, detail``).

        ``label`` and ``detail`` are rendered in French.
        """
        return pd.DataFrame(
            [(c.key, str(c.label), c.status, c.value, str(c.detail)) for c in self.criteria],
            columns=["key", "label", "status", "value", "detail"],
        )


def zrr_status(
    zrr: pd.DataFrame | Mapping[str, bool],
    *,
    communes: pd.DataFrame,
) -> tuple[bool | None, Message]:
    """Whether a territory is a rural revitalisation zone (ZRR), from a commune-level table.

    The decree speaks of "the zone"; a territory made of communes counts as ZRR when the ZRR
    communes hold **more than half of its population** (:data:`ZRR_MAJORITY`). Communes missing
    from the table are unknown: the answer is ``None`` unless the known communes already decide
    it either way.

    Parameters
    ----------
    zrr
        ``code`` (INSEE, str) and ``zrr`` (bool) columns, or a mapping code -> in ZRR. Map codes of
        merged communes to the current ones before (the caller's rule, e.g. ANCT "COG 2017"
        sheet: a new commune is ZRR when one of its former communes was).
    communes
        ``id``, ``population`` of the territory's communes.

    Returns
    -------
    tuple
        ``(True | False | None, detail)``; the detail is a message of the catalogue
        (``str()``: the populations in and out of ZRR, in French).

    References
    ----------
    Loi n° 95-115 du 4 février 1995 (ZRR), article 1465 A du code général des impôts; ANCT,
    « Zonage des zones de revitalisation rurale » (COG 2017 / 2021 files).
    """
    if isinstance(zrr, pd.DataFrame):
        fix = str(Message("zoning.fix_zrr_table"))
        table = require_columns(zrr, ("code", "zrr"), table="zrr", fix=fix)
        known = dict(zip(table["code"].astype(str), table["zrr"], strict=True))
    else:
        known = {str(k): v for k, v in zrr.items()}
    ids, pop = demand_values(communes, column="population", name="commune_population")
    flags = [known.get(str(i)) for i in ids]
    bad = [str(i) for i, f in zip(ids, flags, strict=True) if f is not None and pd.isna(f)]
    flags = [None if f is None or pd.isna(f) else bool(f) for f in flags]
    total = float(pop.sum())
    inside = float(sum(p for p, f in zip(pop, flags, strict=True) if f is True))
    outside = float(sum(p for p, f in zip(pop, flags, strict=True) if f is False))
    unknown = total - inside - outside
    figures = {"inside": round(inside), "total": round(total), "unknown": round(unknown)}
    detail = (
        Message("zoning.zrr_population_blank", **figures, blank=bad)
        if bad
        else Message("zoning.zrr_population", **figures)
    )
    if total <= 0:
        return None, detail
    if inside / total > ZRR_MAJORITY:
        return True, detail
    if (inside + unknown) / total <= ZRR_MAJORITY:
        return False, detail
    return None, detail


def _criterion_40(
    nearest: pd.DataFrame | None, commune_population: pd.DataFrame | None, beyond_share: float
) -> Criterion:
    label = Message("zoning.label_no_gp_within_40", minutes=DEFICIT_MAX_MINUTES)
    if nearest is None or commune_population is None:
        no_times = Message("zoning.no_travel_times")
        return Criterion("no_gp_within_40", label, "unknown", None, no_times)
    beyond = population_beyond(
        nearest, population=commune_population, thresholds=(DEFICIT_MAX_MINUTES,)
    )
    share = float(beyond["share"].iloc[0])
    status: CriterionStatus = (
        "unknown" if math.isnan(share) else ("met" if share > beyond_share else "not_met")
    )
    return Criterion(
        "no_gp_within_40",
        label,
        status,
        None if math.isnan(share) else share,
        Message(
            "zoning.beyond_40",
            population=round(float(beyond["population"].iloc[0])),
            percent=round(share * 100, 1),
            minutes=DEFICIT_MAX_MINUTES,
            threshold=round(beyond_share * 100, 1),
        ),
    )


def _criterion_fte(gp_fte: float | None, population: float) -> Criterion:
    label = Message("zoning.label_fewer_than_3_fte_per_5000", fte=DEFICIT_FTE_PER_5000)
    if gp_fte is None or population <= 0:
        no_fte = Message("zoning.fte_not_given")
        return Criterion("fewer_than_3_fte_per_5000", label, "unknown", None, no_fte)
    ratio = float(gp_fte) * 5000.0 / float(population)
    return Criterion(
        "fewer_than_3_fte_per_5000",
        label,
        "met" if ratio < DEFICIT_FTE_PER_5000 else "not_met",
        ratio,
        Message(
            "zoning.fte_ratio",
            fte=round(float(gp_fte), 2),
            population=round(float(population)),
            ratio=round(ratio, 2),
        ),
    )


def _criterion_busy(gp_activity: Sequence[float] | pd.Series | None) -> Criterion:
    label = Message(
        "zoning.label_gps_over_7500_acts",
        percent=round(DEFICIT_BUSY_SHARE * 100),
        acts=DEFICIT_BUSY_ACTS,
    )
    acts = None if gp_activity is None else np.asarray(gp_activity, dtype=np.float64)
    if acts is None or acts.size == 0:
        no_activity = Message("zoning.no_activity")
        return Criterion("gps_over_7500_acts", label, "unknown", None, no_activity)
    if bool(np.isnan(acts).any()):
        missing = Message(
            "zoning.activity_unknown", count=int(np.isnan(acts).sum()), total=int(acts.size)
        )
        return Criterion("gps_over_7500_acts", label, "unknown", None, missing)
    share = float((acts > DEFICIT_BUSY_ACTS).mean())
    return Criterion(
        "gps_over_7500_acts",
        label,
        "met" if share >= DEFICIT_BUSY_SHARE else "not_met",
        share,
        Message(
            "zoning.busy_share",
            percent=round(share * 100),
            total=int(acts.size),
            acts=DEFICIT_BUSY_ACTS,
        ),
    )


def _criterion_age_social_zrr(
    share_over_75: float | None,
    social_above_average: bool | None,
    zrr: bool | None,
    zrr_detail: Message | None,
) -> Criterion:
    percent = round(DEFICIT_OVER_75_SHARE * 100)
    label = Message("zoning.label_age_social_or_zrr", percent=percent)
    parts = {
        "over_75": (None if share_over_75 is None else bool(share_over_75 > DEFICIT_OVER_75_SHARE)),
        "social": social_above_average,
        "zrr": zrr,
    }
    known = {k: v for k, v in parts.items() if v is not None}
    answers: dict[str, bool | Message] = {
        k: Message("zoning.unknown") if v is None else v for k, v in parts.items()
    }
    if share_over_75 is not None:
        answers["over_75"] = Message(
            "zoning.answer_with_share",
            answer=parts["over_75"],
            percent=round(float(share_over_75) * 100, 1),
        )
    detail = (
        Message("zoning.age_social_zrr", percent=percent, **answers)
        if zrr_detail is None
        else Message(
            "zoning.age_social_zrr_with", percent=percent, zrr_detail=zrr_detail, **answers
        )
    )
    status: CriterionStatus = (
        "met" if any(known.values()) else ("not_met" if len(known) == len(parts) else "unknown")
    )
    return Criterion("age_social_or_zrr", label, status, share_over_75, detail)


def zone_deficitaire(
    *,
    population: float,
    nearest: pd.DataFrame | None = None,
    commune_population: pd.DataFrame | None = None,
    gp_fte: float | None = None,
    gp_activity: Sequence[float] | pd.Series | None = None,
    share_over_75: float | None = None,
    social_above_average: bool | None = None,
    zrr: bool | None = None,
    zrr_table: pd.DataFrame | Mapping[str, bool] | None = None,
    beyond_share: float = 0.0,
) -> ZoneDeficitaire:
    """Apply the decree 2003-1140 "zone déficitaire en offre de soins" test to a territory.

    A territory of at least 5,000 inhabitants qualifies when three of four criteria hold:

    1. its inhabitants cannot reach a GP within 40 minutes: met when the share of inhabitants
       whose nearest GP is 40 minutes or more away (unreachable included) exceeds
       ``beyond_share`` (default 0: at least one inhabitant; the decree does not quantify it);
    2. fewer than 3 full-time GPs per 5,000 inhabitants;
    3. 75 % of the GPs perform more than 7,500 acts a year (unknown as soon as one activity is
       unknown);
    4. over 10 % of the inhabitants are over 75, or social indicators are above average, or the
       area is a rural revitalisation zone (ZRR): met when any holds, not met when all three are
       known false, unknown otherwise. The ZRR branch comes from ``zrr`` when given, else from
       ``zrr_table`` over ``commune_population`` (:func:`zrr_status`: population majority).

    Missing data make a criterion ``unknown``; the verdict is ``unknown`` when the unknown
    criteria could tip it.

    Parameters
    ----------
    population
        Inhabitants of the territory.
    nearest
        ``id``, ``minutes`` to the nearest GP for each commune (:func:`nearest_site`).
    commune_population
        ``id``, ``population`` of the same communes (needed with ``nearest`` or ``zrr_table``).
    gp_fte
        Full-time-equivalent GPs practising in the territory.
    gp_activity
        Yearly acts of each GP of the territory (NaN = unknown).
    share_over_75
        Share (0-1) of inhabitants over 75.
    social_above_average
        Whether the territory's social indicators are above the national average.
    zrr
        Whether the territory is classified ZRR (wins over ``zrr_table``).
    zrr_table
        ZRR classification per commune: ``code``, ``zrr`` (bool), or a mapping code -> bool.
    beyond_share
        Share of inhabitants beyond 40 minutes above which criterion 1 holds.

    Returns
    -------
    ZoneDeficitaire
        Criteria and verdict.

    Raises
    ------
    ValidationError
        Negative or NaN population; ``zrr_table`` without ``commune_population``.

    References
    ----------
    Décret n° 2003-1140 du 1er décembre 2003 (article 1er), pris pour l'application de l'article
    L. 162-47 du code de la sécurité sociale (zones déficitaires en offre de soins).
    """
    if not math.isfinite(population) or population < 0:
        raise ValidationError("zoning.bad_population", field="population", value=population)
    zrr_detail: Message | None = None
    if zrr is None and zrr_table is not None:
        if commune_population is None:
            raise ValidationError("zoning.zrr_needs_communes", field="commune_population")
        zrr, zrr_detail = zrr_status(zrr_table, communes=commune_population)
    criteria = (
        _criterion_40(nearest, commune_population, beyond_share),
        _criterion_fte(gp_fte, population),
        _criterion_busy(gp_activity),
        _criterion_age_social_zrr(share_over_75, social_above_average, zrr, zrr_detail),
    )
    large = population >= DEFICIT_MIN_POPULATION
    met = sum(c.status == "met" for c in criteria)
    unknown = sum(c.status == "unknown" for c in criteria)
    verdict: Literal["qualifies", "does_not_qualify", "unknown"]
    if not large or met + unknown < 3:
        verdict = "does_not_qualify"
    elif met >= 3:
        verdict = "qualifies"
    else:
        verdict = "unknown"
    return ZoneDeficitaire(
        population=float(population), large_enough=large, criteria=criteria, verdict=verdict
    )
