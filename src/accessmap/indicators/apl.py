"""APL (accessibilité potentielle localisée) exactly as DREES defines it.

Activity rules per GP (:func:`counted_activity`), acts offered per site (:func:`site_activity`),
the DREES time decay (:func:`apl_weights`), the two steps (:func:`apl`), the age-standardised
population (:func:`standardised_population`: the one place where the DREES age weights are
applied) and the territory mean (:func:`territory_apl`).

References
----------
Barlet M., Coldefy M., Collinet C., Lucas-Gabrielli V. (2012), « L'Accessibilité potentielle
localisée (APL) : une nouvelle mesure de l'accessibilité aux soins appliquée aux médecins
généralistes libéraux en France », DREES, Document de travail n° 124.
DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes », workbook sheet
*Paramètres* (2022, 2023).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from accessmap.contracts import (
    AGE_BANDS,
    AplParameters,
    isin_codes,
    require_columns,
    validate_minutes,
)
from accessmap.errors import ValidationError
from accessmap.indicators._common import (
    FloatArray,
    demand_values,
    od_pairs,
    step,
    supply_values,
    two_step,
)
from accessmap.messages import Message
from accessmap.professions import DEFAULT_PROFESSION

if TYPE_CHECKING:
    from accessmap.supply import Roster

__all__ = [
    "activity_basis",
    "apl",
    "apl_mean_weights",
    "apl_weights",
    "counted_activity",
    "imputed_acts_per_fte",
    "site_activity",
    "standardised_population",
    "territory_apl",
]


def apl_weights(minutes: object, *, params: AplParameters | None = None) -> FloatArray:
    """DREES time-decay weights of the APL: 1, 2/3, 1/3, 0.

    Parameters
    ----------
    minutes
        Travel times by car in minutes (array-like; ``inf`` = unreachable).
    params
        APL parameters (default: DREES 2023). The bands are half-open: weight 1 for ``t < 10``,
        2/3 for ``10 <= t < 15``, 1/3 for ``15 <= t < 20`` and 0 from 20 minutes on.

    Returns
    -------
    numpy.ndarray
        One float weight per time.

    Raises
    ------
    ValidationError
        NaN or negative times.

    References
    ----------
    DREES, APL workbook, sheet *Paramètres* ("Moins de 10 minutes: 1; entre 10 et 15: 0,67;
    entre 15 et 20: 0,33; plus de 20: 0"); Barlet et al. (2012), DREES Document de travail 124.
    """
    p = params if params is not None else AplParameters()
    return step(validate_minutes(minutes), p.decay, include_upper=False)


def _column(frame: pd.DataFrame, name: str, *, default: object, table: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    if default is None:
        raise ValidationError("apl.missing_column", field=f"{table}.{name}", column=name)
    return pd.Series(default, index=frame.index)


def imputed_acts_per_fte(params: AplParameters, acts_per_fte: float | None = None) -> float:
    """Yearly acts imputed to one FTE of a practitioner whose activity is unknown.

    ``acts_per_fte`` when given, else the calibrated level (``params.unknown_acts``, set by
    :func:`~accessmap.indicators.calibrate_activity`), else the activity of a new GP
    (``params.new_gp_acts``, the DREES rule).

    Parameters
    ----------
    params
        APL parameters.
    acts_per_fte
        An explicit level (overrides both).

    Returns
    -------
    float
        Acts per FTE and per year (not checked: :func:`counted_activity` refuses a bad one).

    References
    ----------
    DREES, « L'APL aux médecins généralistes », Document de travail n° 124 (2012): activity of
    a GP without a known one.
    """
    if acts_per_fte is not None:
        return float(acts_per_fte)
    return float(params.new_gp_acts if params.unknown_acts is None else params.unknown_acts)


def _activity_rule(
    practitioners: pd.DataFrame, *, params: AplParameters, acts_per_fte: float | None
) -> tuple[FloatArray, npt.NDArray[np.object_]]:
    """Return the counted acts and the rule applied, one per practitioner."""
    per_fte = imputed_acts_per_fte(params, acts_per_fte)
    if not math.isfinite(per_fte) or per_fte < 0:
        raise ValidationError("apl.bad_acts_per_fte", field="acts_per_fte", value=per_fte)
    act = pd.to_numeric(
        _column(practitioners, "activity", default=np.nan, table="practitioners"), errors="coerce"
    ).to_numpy(dtype=np.float64, na_value=np.nan)
    fte = pd.to_numeric(
        _column(practitioners, "fte", default=1.0, table="practitioners"), errors="coerce"
    ).to_numpy(dtype=np.float64, na_value=np.nan)
    new = _column(practitioners, "new_install", default=False, table="practitioners")
    centre = _column(practitioners, "health_centre", default=False, table="practitioners")
    new_arr = new.fillna(value=False).astype(bool).to_numpy()
    centre_arr = centre.fillna(value=False).astype(bool).to_numpy()
    bad = np.isnan(fte) | (fte < 0) | (act < 0)
    if bool(bad.any()):
        ids = _column(practitioners, "practitioner_id", default="?", table="practitioners")
        raise ValidationError(
            "apl.bad_practitioner_rows", field="practitioners", practitioners=ids[bad].tolist()
        )
    known = ~np.isnan(act)
    capped = np.where(
        act <= params.zero_below,
        0.0,
        np.where(act <= params.floor_acts, params.floor_acts, np.minimum(act, params.cap_acts)),
    )
    imputed = fte * per_fte
    acts = np.where(
        centre_arr,
        np.where(known, act, imputed),
        np.where(new_arr, params.new_gp_acts * fte, np.where(known, capped, imputed)),
    )
    rule = np.where(
        centre_arr,
        np.where(known, "health_centre", "health_centre_imputed"),
        np.where(new_arr, "new_gp", np.where(known, "measured", "imputed")),
    ).astype(object)
    return acts.astype(np.float64), rule


def _practitioner_index(practitioners: pd.DataFrame) -> pd.Index:
    if "practitioner_id" in practitioners.columns:
        return pd.Index(practitioners["practitioner_id"].astype(str), name="practitioner_id")
    return practitioners.index


def counted_activity(
    practitioners: pd.DataFrame,
    *,
    params: AplParameters | None = None,
    acts_per_fte: float | None = None,
) -> pd.Series:
    """Yearly acts each GP contributes to the APL, with the DREES activity rules.

    Rules, in order of precedence:

    1. health-centre GPs (``health_centre``): no caps; measured activity as is, or
       ``fte x acts_per_fte`` when unknown;
    2. GPs new to the area (``new_install``): ``params.new_gp_acts x fte`` (5,400 for a full-time
       GP, the DREES imputation for GPs with no activity the year before);
    3. measured activity ``a`` (acts/year): 0 when ``a <= 250``, 3,600 when ``250 < a <= 3,600``,
       ``a`` when ``3,600 < a <= 6,000``, 6,000 above;
    4. unknown activity (NaN): ``fte x acts_per_fte``, counted as is (the caps describe a measured
       year of a whole practitioner, not an estimate). Outputs flag it: see
       :func:`activity_basis` and the ``acts_imputed`` column of :func:`site_activity`.

    Parameters
    ----------
    practitioners
        Columns ``activity`` (float, NaN = unknown), ``fte``, ``new_install``, ``health_centre``
        (missing columns take the :class:`~accessmap.supply.Roster` defaults) and, for the index,
        ``practitioner_id``.
    params
        APL parameters (default: DREES 2023).
    acts_per_fte
        Acts per year of a full-time GP whose activity is unknown. Default ``None`` uses
        ``params.new_gp_acts`` (5,400), the figure DREES itself imputes when activity is unknown.

    Returns
    -------
    pandas.Series
        Named ``acts``, indexed by ``practitioner_id`` (or the input index).

    Raises
    ------
    ValidationError
        Negative activity or FTE, missing FTE, invalid ``acts_per_fte``.

    References
    ----------
    DREES, APL workbook, sheet *Paramètres* ("Comptabilisation de l'activité" and its
    exceptions); Barlet et al. (2012), DREES Document de travail 124.
    """
    p = params if params is not None else AplParameters()
    acts, _ = _activity_rule(practitioners, params=p, acts_per_fte=acts_per_fte)
    return pd.Series(acts, index=_practitioner_index(practitioners), name="acts", dtype="float64")


def activity_basis(practitioners: pd.DataFrame) -> pd.Series:
    """Which DREES rule :func:`counted_activity` applies to each GP (for reports).

    Parameters
    ----------
    practitioners
        Same columns as :func:`counted_activity`.

    Returns
    -------
    pandas.Series
        Named ``basis``, indexed by ``practitioner_id``: ``measured``, ``new_gp``, ``imputed``
        (unknown activity: FTE x acts/FTE), ``health_centre`` or ``health_centre_imputed``.

    References
    ----------
    DREES, APL workbook, sheet *Paramètres*.
    """
    _, rule = _activity_rule(practitioners, params=AplParameters(), acts_per_fte=None)
    return pd.Series(rule, index=_practitioner_index(practitioners), name="basis", dtype=object)


def site_activity(
    roster: Roster,
    *,
    params: AplParameters | None = None,
    max_age: int | None = None,
    year: int | None = None,
    acts_per_fte: float | None = None,
    unknown_age: Literal["count", "exclude"] = "count",
    profession: str = DEFAULT_PROFESSION,
) -> pd.DataFrame:
    """Yearly acts offered at each site: counted activity x share of time, summed.

    Parameters
    ----------
    roster
        The practitioners, sites and time shares.
    params
        APL parameters (default: DREES 2023).
    max_age
        When given, only GPs strictly younger than ``max_age`` in ``year`` count
        (age = ``year - birth_year``): ``max_age=65`` is the DREES "moins de 65 ans" variant.
    year
        Reference year of the age rule; required with ``max_age``.
    acts_per_fte
        See :func:`counted_activity`.
    unknown_age
        With ``max_age``, whether GPs with no birth year ``count`` (default: they are kept, and
        the ``n_unknown_age`` column says how many) or are ``exclude``-d.
    profession
        Only practitioners of this profession count (APL to GPs:
        :data:`~accessmap.professions.DEFAULT_PROFESSION`).

    Declared retirements (``retirement_year``) are not applied here: project the roster with
    :mod:`accessmap.workforce` first for a future year.

    Returns
    -------
    pandas.DataFrame
        One row per roster site: ``site_id``, ``acts`` (counted acts/year), ``fte``,
        ``acts_imputed`` (the part of ``acts`` from unknown activities), ``n_practitioners``,
        ``n_unknown_age``.

    Raises
    ------
    ValidationError
        ``max_age`` without ``year``, or invalid practitioner rows.

    References
    ----------
    DREES, APL workbook, sheet *Paramètres*; Barlet et al. (2012), DREES Document de travail 124.
    """
    p = params if params is not None else AplParameters()
    if max_age is not None and year is None:
        raise ValidationError("apl.max_age_needs_year", field="year", max_age=max_age)
    if unknown_age not in ("count", "exclude"):
        raise ValidationError("apl.bad_unknown_age", field="unknown_age", value=unknown_age)
    prac = roster.practitioners
    acts, rule = _activity_rule(prac, params=p, acts_per_fte=acts_per_fte)
    keep = (prac["profession"].astype(str) == profession).to_numpy(dtype=bool, copy=True)
    birth = prac["birth_year"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    unknown = np.isnan(birth)
    if max_age is not None and year is not None:
        young = (year - birth) < max_age
        keep = keep & np.where(unknown, unknown_age == "count", young)
    per_prac = pd.DataFrame(
        {
            "practitioner_id": prac["practitioner_id"].astype(str).to_numpy(),
            "acts": np.where(keep, acts, 0.0),
            "fte": np.where(keep, prac["fte"].to_numpy(dtype=np.float64), 0.0),
            "acts_imputed": np.where(
                keep & np.isin(rule, ["imputed", "health_centre_imputed"]), acts, 0.0
            ),
            "n_practitioners": keep.astype(np.float64),
            "n_unknown_age": (keep & unknown).astype(np.float64),
        }
    )
    merged = roster.assignments.merge(per_prac, on="practitioner_id", how="inner")
    value_cols = ["acts", "fte", "acts_imputed"]
    for col in value_cols:
        merged[col] = merged[col] * merged["share"]
    present = merged["n_practitioners"] > 0
    merged["n_practitioners"] = present.astype(np.int64)
    merged["n_unknown_age"] = (merged["n_unknown_age"] > 0).astype(np.int64)
    sums = merged.groupby("site_id")[[*value_cols, "n_practitioners", "n_unknown_age"]].sum()
    out = sums.reindex(roster.sites["site_id"].astype(str), fill_value=0)
    out.index.name = "site_id"
    out = out.reset_index()
    for col in value_cols:
        out[col] = out[col].astype(np.float64)
    for col in ("n_practitioners", "n_unknown_age"):
        out[col] = out[col].astype(np.int64)
    return out


def apl(
    od: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    params: AplParameters | None = None,
) -> pd.DataFrame:
    r"""APL (accessibilité potentielle localisée) of each demand point, as DREES computes it.

    Two steps with the DREES time-decay weights :math:`w(t)` (:func:`apl_weights`):

    .. math::

        R_j = \frac{S_j}{\sum_i P_i\, w(t_{ij})}, \qquad
        \mathrm{APL}_i = \sum_j R_j\, w(t_{ij})

    where :math:`S_j` is the counted yearly activity at site *j* (:func:`site_activity`) and
    :math:`P_i` the age-standardised population of commune *i*. A site nobody reaches offers
    nothing (:math:`R_j = 0`).

    Parameters
    ----------
    od
        Travel-time table ``origin_id`` (demand ids), ``dest_id`` (site ids), ``minutes``; missing
        pairs are unreachable. Pairs whose ids are not in ``demand``/``supply`` are ignored.
    demand
        ``id``, ``pop_std`` (standardised population; see :func:`standardised_population`).
        Include the buffer communes: they compete for the same GPs.
    supply
        ``site_id``, ``acts`` (counted acts per year).
    params
        APL parameters (default: DREES 2023).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``apl``: consultations/visits accessible per standardised inhabitant per year, one
        row per demand id (0 when no site is within 20 minutes).

    Raises
    ------
    ValidationError
        Missing columns, duplicated ids or pairs, negative values, NaN times.

    References
    ----------
    Barlet M., Coldefy M., Collinet C., Lucas-Gabrielli V., « L'Accessibilité potentielle localisée
    (APL) : une nouvelle mesure de l'accessibilité aux soins appliquée aux médecins généralistes
    libéraux en France », DREES, Document de travail n° 124, 2012; DREES APL workbook 2023.
    """
    p = params if params is not None else AplParameters()
    ids, pop = demand_values(demand, column="pop_std")
    sites, acts = supply_values(supply, column="acts")
    pairs = od_pairs(od, ids, sites)
    w = apl_weights(pairs.minutes, params=p)
    access = two_step(pairs, w, w, pop, acts)
    return pd.DataFrame({"id": ids.to_numpy(dtype=object), "apl": access})


def standardised_population(
    age_bands: pd.DataFrame, *, params: AplParameters | None = None, year: int = 2023
) -> pd.DataFrame:
    """Age-standardised population from the 19 DREES age bands.

    Parameters
    ----------
    age_bands
        ``id`` and one column per band of :data:`AGE_BANDS` (``"0-4"`` ... ``"90+"``): inhabitants.
    params
        APL parameters holding the weights by vintage (default: DREES 2022 and 2023).
    year
        Vintage of the weights.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``population`` (sum of the bands), ``pop_std`` (Σ band x DREES weight).

    Raises
    ------
    ValidationError
        Missing band columns, negative counts, unknown vintage.

    References
    ----------
    DREES, APL workbook, sheet *Paramètres* ("Pondération de la population selon l'âge").
    """
    p = params if params is not None else AplParameters()
    if year not in p.age_weights:
        raise ValidationError(
            "apl.no_age_weights", field="year", year=year, years=sorted(p.age_weights)
        )
    weights = np.asarray(p.age_weights[year], dtype=np.float64)
    require_columns(
        age_bands,
        ("id", *AGE_BANDS),
        table="age_bands",
        fix=str(Message("apl.fix_age_bands")),
    )
    counts = (
        age_bands[list(AGE_BANDS)]
        .apply(pd.to_numeric, errors="coerce")
        .to_numpy(dtype=np.float64, na_value=np.nan)
    )
    bad = np.isnan(counts).any(axis=1) | (counts < 0).any(axis=1)
    if bool(bad.any()):
        raise ValidationError(
            "apl.bad_age_band_counts", field="age_bands", communes=age_bands["id"][bad].tolist()
        )
    return pd.DataFrame(
        {
            "id": age_bands["id"].astype(str).to_numpy(dtype=object),
            "population": counts.sum(axis=1),
            "pop_std": counts @ weights,
        }
    )


def apl_mean_weights(demand: pd.DataFrame) -> tuple[pd.Index, FloatArray]:
    """Return the weights of every average of communes' APL: their standardised population.

    The one definition of a territory's APL (:func:`territory_apl`, the workforce outlook's
    ``apl_mean``, the options' comparison): communes weigh by the DREES standardised
    population, the population légale standing in where it is missing.

    Parameters
    ----------
    demand
        ``id``, ``pop_std`` and/or ``population``.

    Returns
    -------
    tuple
        The commune ids (str, in the input order) and their weights (float >= 0).

    References
    ----------
    DREES APL workbook, note: « l'APL communal doit être pondéré par la population
    standardisée ».
    """
    return demand_values(demand, column="pop_std")


def territory_apl(
    values: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    column: str = "apl",
    ids: Iterable[str] | None = None,
) -> float:
    """Territory APL: the mean of the communes' APL weighted by standardised population.

    Parameters
    ----------
    values
        ``id`` and ``column`` (an APL per commune).
    demand
        ``id``, ``pop_std``.
    column
        Which APL column to average (``apl``, ``apl_u65``...).
    ids
        Restrict to these communes (e.g. the territory without its buffer).

    Returns
    -------
    float
        Σ APLᵢ·popstdᵢ / Σ popstdᵢ (NaN when the standardised population is 0).

    References
    ----------
    DREES APL workbook, note: « Pour calculer un APL moyen (agrégé au niveau du territoire de
    vie-santé ou du département par exemple), l'APL communal doit être pondéré par la population
    standardisée ».
    """
    d_ids, pop = apl_mean_weights(demand)
    merged = pd.DataFrame({"id": d_ids.to_numpy(dtype=object), "pop_std": pop}).merge(
        values[["id", column]].astype({"id": str}), on="id", how="inner"
    )
    if ids is not None:
        merged = merged[isin_codes(merged["id"], ids)]
    total = float(merged["pop_std"].sum())
    if total <= 0:
        return math.nan
    return float((merged[column] * merged["pop_std"]).sum() / total)
