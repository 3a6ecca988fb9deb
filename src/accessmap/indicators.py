"""Accessibility indicators on the travel-time table: nearest GP, 2SFCA family, APL (DREES).

All functions are pure: they take the long-format travel-time table (``origin_id, dest_id,
minutes, method``), demand and supply tables, and return DataFrames or frozen dataclasses. A pair
missing from the travel-time table is unreachable, exactly like ``minutes == inf``.

Band convention (project-wide): bands are half-open ``[lower, upper)``; see
``docs/architecture.md``. "Within *T* minutes" means ``t < T`` and "beyond *T* minutes" means
``t >= T``. The only exceptions are the weight functions built with ``include_cutoff=True`` /
``include_upper=True``, which exist to reproduce published references (IPEA ``accessibility``
includes its binary cutoff, PySAL ``access.weights.step_fn`` includes each step's upper bound).

Sections: band helpers; APL as DREES defines it; the floating-catchment family (2SFCA, E2SFCA,
BFCA) and its weight functions; nearest-GP times and population bands; verdicts (APL zoning,
decree 2003-1140); the side-by-side with the published DREES APL; the per-commune table.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from accessmap.errors import ValidationError, format_rows

if TYPE_CHECKING:
    from accessmap.supply import Roster

__all__ = [
    "AGE_BANDS",
    "APL_PRIORITY",
    "APL_SECONDARY",
    "DEFICIT_MIN_POPULATION",
    "LUO_QI_BANDS",
    "NEAREST_BAND_EDGES",
    "AplParameters",
    "Criterion",
    "DecayBand",
    "DreesComparison",
    "TerritoryIndicators",
    "WeightFunction",
    "ZoneDeficitaire",
    "activity_basis",
    "apl",
    "apl_weights",
    "band_labels",
    "band_of",
    "binary_weights",
    "classify_apl",
    "commune_indicators",
    "compare_with_drees",
    "counted_activity",
    "floating_catchment",
    "gaussian_weights",
    "gravity_weights",
    "kernel_gaussian_weights",
    "nearest_site",
    "od_to_sites",
    "population_beyond",
    "population_by_band",
    "site_activity",
    "standardised_population",
    "step_weights",
    "territory_apl",
    "zone_deficitaire",
]

#: The 19 DREES age bands, youngest first.
AGE_BANDS: tuple[str, ...] = (
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
    "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
)  # fmt: skip

_DREES_WEIGHTS_2022 = (
    0.93, 0.59, 0.55, 0.59, 0.73, 0.78, 0.84, 0.88, 0.9, 0.97,
    1.06, 1.14, 1.16, 1.19, 1.52, 1.53, 1.72, 1.99, 2.39,
)  # fmt: skip
_DREES_WEIGHTS_2023 = (
    1.12, 0.58, 0.51, 0.6, 0.75, 0.79, 0.82, 0.85, 0.89, 0.93,
    1.03, 1.15, 1.18, 1.23, 1.46, 1.57, 1.63, 1.89, 2.26,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DecayBand:
    """One step of a time-decay function: weight for ``lower <= minutes < upper``."""

    lower: float
    upper: float
    weight: float


@dataclass(frozen=True, slots=True)
class AplParameters:
    """Parameters of the DREES APL indicator (defaults: the DREES 2023 workbook).

    Attributes
    ----------
    zero_below
        Activity at or below this counts 0 ("moins de 250").
    floor_acts
        Activity above ``zero_below`` and up to this counts this ("entre 251 et 3 600": 3,600).
    cap_acts
        Activity above this counts this ("plus de 6 000": 6,000); in between it counts as is.
    new_gp_acts
        Activity imputed to a GP with no activity the previous year (5,400).
    decay
        Time-decay steps, half-open ``[lower, upper)``; beyond the last step the weight is 0.
    age_weights
        The 19 age-band weights by vintage year (see :data:`AGE_BANDS`).
    age_limit
        Age limit of the "GPs under 65" variant.
    source
        Where the values came from.

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes », workbook
    sheet *Paramètres* (2022, 2023 vintages); Barlet M. et al., « L'Accessibilité potentielle
    localisée (APL) : une nouvelle mesure de l'accessibilité aux soins appliquée aux médecins
    généralistes libéraux en France », DREES, Document de travail n° 124, 2012.
    """

    zero_below: float = 250.0
    floor_acts: float = 3600.0
    cap_acts: float = 6000.0
    new_gp_acts: float = 5400.0
    decay: tuple[DecayBand, ...] = (
        DecayBand(0.0, 10.0, 1.0),
        DecayBand(10.0, 15.0, 2.0 / 3.0),
        DecayBand(15.0, 20.0, 1.0 / 3.0),
    )
    age_weights: Mapping[int, tuple[float, ...]] = field(
        default_factory=lambda: {2022: _DREES_WEIGHTS_2022, 2023: _DREES_WEIGHTS_2023}
    )
    age_limit: int = 65
    source: str = "DREES APL workbook 2023 (built-in defaults)"


FloatArray: TypeAlias = npt.NDArray[np.float64]

#: A weight (decay) function: travel minutes (array, ``inf`` = unreachable) → weights (array).
WeightFunction: TypeAlias = Callable[[FloatArray], FloatArray]

#: Edges of the nearest-GP bands: [0, 10), [10, 20), [20, 30), [30, 40), [40, inf).
NEAREST_BAND_EDGES: tuple[float, ...] = (10.0, 20.0, 30.0, 40.0)

#: Luo & Qi (2009) E2SFCA step weights for a 30-minute catchment: 1, 0.68, 0.22.
LUO_QI_BANDS: tuple[DecayBand, ...] = (
    DecayBand(0.0, 10.0, 1.0),
    DecayBand(10.0, 20.0, 0.68),
    DecayBand(20.0, 30.0, 0.22),
)

#: APL below this (consultations per standardised inhabitant per year): priority zone.
APL_PRIORITY = 2.5
#: APL below this (and at or above :data:`APL_PRIORITY`): secondary ("complementary") zone.
APL_SECONDARY = 4.0
#: Decree 2003-1140: a "zone déficitaire" has at least this many inhabitants.
DEFICIT_MIN_POPULATION = 5000

_OD_COLUMNS = ("origin_id", "dest_id", "minutes")
UNREACHABLE = "unreachable"


# --- band helpers ------------------------------------------------------------------------------


def _minutes(values: object, *, name: str = "minutes") -> FloatArray:
    """Minutes as a float array; NaN and negative values are rejected (``inf`` = unreachable)."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValidationError(
            "travel times are not numbers.",
            field=name,
            fix="give minutes as numbers (inf = no path).",
        ) from None
    bad = np.isnan(arr) | (arr < 0)
    if bool(bad.any()):
        raise ValidationError(
            f"{int(bad.sum())} travel time(s) are NaN or negative: {format_rows(arr[bad])}.",
            field=name,
            fix="use minutes >= 0, and inf (or drop the pair) when there is no path.",
        )
    return arr


def band_labels(edges: Sequence[float] = NEAREST_BAND_EDGES) -> tuple[str, ...]:
    """Labels of the half-open bands defined by ``edges``.

    Parameters
    ----------
    edges
        Increasing upper bounds, e.g. ``(10, 20, 30, 40)``.

    Returns
    -------
    tuple of str
        ``("0-10", "10-20", "20-30", "30-40", "40+")``: ``"10-20"`` means ``10 <= t < 20``.
    """
    bounds = [0.0, *[float(e) for e in edges]]
    labels = [f"{lo:g}-{hi:g}" for lo, hi in itertools.pairwise(bounds)]
    return (*labels, f"{bounds[-1]:g}+")


def band_of(
    minutes: object, *, edges: Sequence[float] = NEAREST_BAND_EDGES
) -> npt.NDArray[np.object_]:
    """Band label of each travel time, half-open ``[lower, upper)``.

    Parameters
    ----------
    minutes
        Travel times (array-like); ``inf`` is labelled ``"unreachable"``.
    edges
        Increasing band edges (default 10, 20, 30, 40 minutes).

    Returns
    -------
    numpy.ndarray
        One label per time (see :func:`band_labels`): exactly 10 minutes is in ``"10-20"``,
        exactly 40 in ``"40+"``.

    References
    ----------
    Project band convention, ``docs/architecture.md`` ("Band convention").
    """
    edge_arr = np.asarray(edges, dtype=np.float64)
    if edge_arr.size == 0 or bool((np.diff(edge_arr) <= 0).any()) or bool((edge_arr <= 0).any()):
        raise ValidationError(
            f"band edges {list(edges)} are not positive and strictly increasing.",
            field="edges",
            fix="give increasing edges such as (10, 20, 30, 40).",
        )
    m = _minutes(minutes)
    labels = np.array(band_labels(edges), dtype=object)
    out = labels[np.searchsorted(edge_arr, m, side="right")]
    out = np.where(np.isinf(m), UNREACHABLE, out)
    return np.asarray(out, dtype=object)


# --- APL (DREES) -------------------------------------------------------------------------------


def _step(m: FloatArray, bands: Sequence[DecayBand], *, include_upper: bool) -> FloatArray:
    """Weights of a step function; earlier bands win at shared edges."""
    w = np.zeros(m.shape, dtype=np.float64)
    for band in reversed(tuple(bands)):
        inside = (m >= band.lower) & ((m <= band.upper) if include_upper else (m < band.upper))
        w[inside] = band.weight
    w[~np.isfinite(m)] = 0.0
    return w


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
    return _step(_minutes(minutes), p.decay, include_upper=False)


def _column(frame: pd.DataFrame, name: str, *, default: object, table: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    if default is None:
        raise ValidationError(
            f"missing column {name}.", field=f"{table}.{name}", fix=f"add the column {name}."
        )
    return pd.Series(default, index=frame.index)


def _activity_rule(
    practitioners: pd.DataFrame, *, params: AplParameters, acts_per_fte: float | None
) -> tuple[FloatArray, npt.NDArray[np.object_]]:
    """Return the counted acts and the rule applied, one per practitioner."""
    per_fte = params.new_gp_acts if acts_per_fte is None else float(acts_per_fte)
    if not math.isfinite(per_fte) or per_fte < 0:
        raise ValidationError(
            f"acts_per_fte={acts_per_fte} is not a non-negative number.",
            field="acts_per_fte",
            fix="give yearly acts per full-time GP, e.g. 5400.",
        )
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
            f"negative or missing fte, or negative activity, for {format_rows(ids[bad])}.",
            field="practitioners",
            fix="give fte >= 0 and activity >= 0 (leave activity empty when unknown).",
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
    profession: str = "generaliste",
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
        Only practitioners of this profession count (APL to GPs: ``generaliste``).

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
        raise ValidationError(
            "max_age needs a reference year.", field="year", fix="pass year=... with max_age."
        )
    if unknown_age not in ("count", "exclude"):
        raise ValidationError(
            f"unknown_age={unknown_age!r}.", field="unknown_age", fix="use 'count' or 'exclude'."
        )
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


def _table(
    frame: pd.DataFrame, *, id_col: str, value_col: str, table: str
) -> tuple[pd.Index, FloatArray]:
    """Return validated ids (unique strings) and non-negative values of a demand/supply table."""
    for col in (id_col, value_col):
        if col not in frame.columns:
            raise ValidationError(
                f"missing column {col}.",
                field=f"{table}.{col}",
                fix=f"give {table} as a table with columns {id_col}, {value_col}.",
            )
    ids = pd.Index(frame[id_col].astype(str).to_numpy(), name=id_col)
    dup = ids[ids.duplicated()]
    if len(dup):
        raise ValidationError(
            f"duplicated id(s) {format_rows(dup.unique())}.",
            field=f"{table}.{id_col}",
            fix="aggregate the rows so that each id appears once.",
        )
    values = pd.to_numeric(frame[value_col], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    bad = ~np.isfinite(values) | (values < 0)
    if bool(bad.any()):
        raise ValidationError(
            f"missing, infinite or negative value(s) for {format_rows(ids[bad])}.",
            field=f"{table}.{value_col}",
            fix="give finite values >= 0 (0 when there is nothing).",
        )
    return ids, values


def _positions(values: pd.Series, index: pd.Index) -> npt.NDArray[np.intp]:
    """Return the position of each value in ``index`` (-1 when absent), factorising first."""
    codes, uniques = pd.factorize(values)
    lookup = index.get_indexer(pd.Index(np.asarray(uniques).astype(str)))
    return np.where(codes >= 0, lookup[codes], -1).astype(np.intp)


def _pairs(
    od: pd.DataFrame, origins: pd.Index, dests: pd.Index
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], FloatArray]:
    """Index pairs (origin position, destination position, minutes) of the OD rows that matter."""
    missing = [c for c in _OD_COLUMNS if c not in od.columns]
    if missing:
        raise ValidationError(
            f"missing column(s) {', '.join(missing)}.",
            field="od",
            fix="give the long travel-time table origin_id, dest_id, minutes, method.",
        )
    oi = _positions(od["origin_id"], origins)
    dj = _positions(od["dest_id"], dests)
    keep = (oi >= 0) & (dj >= 0)
    oi, dj = oi[keep], dj[keep]
    minutes = _minutes(od["minutes"].to_numpy()[keep], name="od.minutes")
    code = oi.astype(np.int64) * max(len(dests), 1) + dj
    dup = pd.Index(code).duplicated()
    if bool(dup.any()):
        labels = [f"{origins[i]}->{dests[j]}" for i, j in zip(oi[dup], dj[dup], strict=True)]
        raise ValidationError(
            f"duplicated origin/destination pair(s) {format_rows(labels)}.",
            field="od",
            fix="keep one row per (origin_id, dest_id), e.g. the shortest time.",
        )
    return oi, dj, minutes


def _fca(
    oi: npt.NDArray[np.intp],
    dj: npt.NDArray[np.intp],
    weight: FloatArray,
    demand: FloatArray,
    supply: FloatArray,
    *,
    method: str,
) -> FloatArray:
    """Vectorised floating catchment on sparse pairs (2SFCA or BFCA)."""
    n_i, n_j = len(demand), len(supply)
    w = np.where(np.isfinite(weight), weight, 0.0)
    if method == "bfca":
        row = np.bincount(oi, weights=w, minlength=n_i)
        col = np.bincount(dj, weights=w, minlength=n_j)
        w_i = np.divide(w, row[oi], out=np.zeros_like(w), where=row[oi] > 0)
        w_j = np.divide(w, col[dj], out=np.zeros_like(w), where=col[dj] > 0)
    else:
        w_i = w_j = w
    served = np.bincount(dj, weights=demand[oi] * w_i, minlength=n_j)
    ratio = np.divide(supply, served, out=np.zeros(n_j), where=served > 0)
    return np.bincount(oi, weights=ratio[dj] * w_j, minlength=n_i).astype(np.float64)


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
    ids, pop = _table(demand, id_col="id", value_col="pop_std", table="demand")
    sites, acts = _table(supply, id_col="site_id", value_col="acts", table="supply")
    oi, dj, minutes = _pairs(od, ids, sites)
    access = _fca(oi, dj, apl_weights(minutes, params=p), pop, acts, method="2sfca")
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
            f"no age weights for {year}.",
            field="year",
            fix=f"use one of {', '.join(str(y) for y in sorted(p.age_weights))}.",
        )
    weights = np.asarray(p.age_weights[year], dtype=np.float64)
    missing = [b for b in ("id", *AGE_BANDS) if b not in age_bands.columns]
    if missing:
        raise ValidationError(
            f"missing column(s) {', '.join(missing)}.",
            field="age_bands",
            fix="give id and the 19 DREES bands 0-4, 5-9, ..., 85-89, 90+.",
        )
    counts = (
        age_bands[list(AGE_BANDS)]
        .apply(pd.to_numeric, errors="coerce")
        .to_numpy(dtype=np.float64, na_value=np.nan)
    )
    bad = np.isnan(counts).any(axis=1) | (counts < 0).any(axis=1)
    if bool(bad.any()):
        raise ValidationError(
            f"missing or negative counts for {format_rows(age_bands['id'][bad])}.",
            field="age_bands",
            fix="give inhabitants >= 0 in every band (0 when none).",
        )
    return pd.DataFrame(
        {
            "id": age_bands["id"].astype(str).to_numpy(dtype=object),
            "population": counts.sum(axis=1),
            "pop_std": counts @ weights,
        }
    )


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
    d_ids, pop = _table(demand, id_col="id", value_col="pop_std", table="demand")
    merged = pd.DataFrame({"id": d_ids.to_numpy(dtype=object), "pop_std": pop}).merge(
        values[["id", column]].astype({"id": str}), on="id", how="inner"
    )
    if ids is not None:
        merged = merged[merged["id"].isin({str(i) for i in ids})]
    total = float(merged["pop_std"].sum())
    if total <= 0:
        return math.nan
    return float((merged[column] * merged["pop_std"]).sum() / total)


# --- floating catchments: 2SFCA, E2SFCA, BFCA -------------------------------------------------


def binary_weights(cutoff: float, *, include_cutoff: bool = False) -> WeightFunction:
    """Binary catchment: weight 1 within ``cutoff`` minutes, 0 beyond (classic 2SFCA).

    Parameters
    ----------
    cutoff
        Catchment size in minutes.
    include_cutoff
        ``False`` (project convention): "within" means ``t < cutoff``. ``True`` means
        ``t <= cutoff``, as IPEA ``accessibility::decay_binary`` does (needed to reproduce its
        published examples, where one time equals the cutoff).

    Returns
    -------
    WeightFunction
        Minutes → weights.

    References
    ----------
    Luo W., Wang F. (2003), "Measures of spatial accessibility to health care in a GIS
    environment", *Environment and Planning B* 30(6): 865-884; IPEA ``accessibility`` R package,
    ``decay_binary`` (``as.integer(travel_cost <= cutoff)``).
    """
    _positive(cutoff, name="cutoff", allow_inf=True)

    def weight(minutes: FloatArray) -> FloatArray:
        m = np.asarray(minutes, dtype=np.float64)
        inside = (m <= cutoff) if include_cutoff else (m < cutoff)
        return np.where(inside & np.isfinite(m), 1.0, 0.0)

    return weight


def step_weights(bands: Sequence[DecayBand], *, include_upper: bool = False) -> WeightFunction:
    """Stepwise decay (E2SFCA): the weight of the band holding each time, 0 outside every band.

    Parameters
    ----------
    bands
        Steps ``DecayBand(lower, upper, weight)``, e.g. :data:`LUO_QI_BANDS` or the DREES bands
        ``AplParameters().decay``.
    include_upper
        ``False`` (project convention): bands are ``[lower, upper)``. ``True``: a time equal to a
        band's upper bound takes that band's weight, as PySAL ``access.weights.step_fn`` does
        (``x <= k``).

    Returns
    -------
    WeightFunction
        Minutes → weights.

    References
    ----------
    Luo W., Qi Y. (2009), "An enhanced two-step floating catchment area (E2SFCA) method for
    measuring spatial accessibility to primary care physicians", *Health & Place* 15(4):
    1100-1107; PySAL ``access`` (``weights.step_fn``).
    """
    steps = tuple(bands)
    bad = [b for b in steps if not (0 <= b.lower < b.upper) or b.weight < 0]
    if not steps or bad:
        raise ValidationError(
            f"invalid decay band(s) {bad or 'none given'}.",
            field="bands",
            fix="give DecayBand(lower, upper, weight) with 0 <= lower < upper and weight >= 0.",
        )

    def weight(minutes: FloatArray) -> FloatArray:
        return _step(np.asarray(minutes, dtype=np.float64), steps, include_upper=include_upper)

    return weight


def gaussian_weights(*, sigma: float, cutoff: float = math.inf) -> WeightFunction:
    """Gaussian decay ``exp(-t**2 / (2 sigma**2))`` (weight 1 at 0 minutes), 0 from ``cutoff`` on.

    Parameters
    ----------
    sigma
        Width in minutes.
    cutoff
        Catchment size: times ``>= cutoff`` weigh 0 (default: none, as PySAL
        ``access.weights.gaussian``).

    Returns
    -------
    WeightFunction
        Minutes → weights.

    References
    ----------
    PySAL ``access`` (``weights.gaussian``); Luo W., Qi Y. (2009), *Health & Place* 15(4).
    """
    _positive(sigma, name="sigma", allow_inf=False)
    _positive(cutoff, name="cutoff", allow_inf=True)

    def weight(minutes: FloatArray) -> FloatArray:
        m = np.asarray(minutes, dtype=np.float64)
        w = np.exp(-(m**2) / (2.0 * sigma**2))
        return np.where((m < cutoff) & np.isfinite(m), w, 0.0)

    return weight


def kernel_gaussian_weights(*, cutoff: float) -> WeightFunction:
    """Gaussian kernel that falls to 0 at the catchment edge (Dai 2010; Wang 2012).

    ``w(t) = (exp(-½ (t/t0)²) - exp(-½)) / (1 - exp(-½))`` for ``t < t0``, 0 beyond.

    Parameters
    ----------
    cutoff
        Catchment size ``t0`` in minutes.

    Returns
    -------
    WeightFunction
        Minutes → weights.

    References
    ----------
    Dai D. (2010), "Black residential segregation, disparities in spatial access to health care
    facilities, and late-stage breast cancer diagnosis in metropolitan Detroit", *Health & Place*
    16(5): 1038-1052; Wang F. (2012), "Measurement, optimization, and impact of health care
    accessibility: a methodological review", *Annals of the AAG* 102(5).
    """
    _positive(cutoff, name="cutoff", allow_inf=False)
    edge = math.exp(-0.5)

    def weight(minutes: FloatArray) -> FloatArray:
        m = np.asarray(minutes, dtype=np.float64)
        w = (np.exp(-0.5 * (m / cutoff) ** 2) - edge) / (1.0 - edge)
        return np.where((m < cutoff) & np.isfinite(m), w, 0.0)

    return weight


def gravity_weights(
    *, beta: float, min_minutes: float = 1.0, cutoff: float = math.inf
) -> WeightFunction:
    """Gravity (power) decay ``max(t, t_min)^-β``, 0 from ``cutoff`` on.

    Parameters
    ----------
    beta
        Friction exponent (> 0).
    min_minutes
        Times below this are raised to it, so that ``t = 0`` has a finite weight.
    cutoff
        Catchment size: times ``>= cutoff`` weigh 0 (default: none).

    Returns
    -------
    WeightFunction
        Minutes → weights.

    References
    ----------
    Hansen W. G. (1959), "How accessibility shapes land use", *JAIP* 25(2); PySAL ``access``
    (``weights.gravity`` with ``alpha = -beta``); Luo W., Wang F. (2003).
    """
    _positive(beta, name="beta", allow_inf=False)
    _positive(min_minutes, name="min_minutes", allow_inf=False)
    _positive(cutoff, name="cutoff", allow_inf=True)

    def weight(minutes: FloatArray) -> FloatArray:
        m = np.asarray(minutes, dtype=np.float64)
        w = np.power(np.maximum(m, min_minutes), -beta)
        return np.where((m < cutoff) & np.isfinite(m), w, 0.0)

    return weight


def _positive(value: float, *, name: str, allow_inf: bool) -> None:
    ok = isinstance(value, int | float) and value > 0 and (allow_inf or math.isfinite(value))
    if not ok:
        raise ValidationError(
            f"{value!r} is not a positive number.", field=name, fix=f"give {name} > 0 (minutes)."
        )


def floating_catchment(
    od: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    weights: WeightFunction,
    method: Literal["2sfca", "bfca"] = "2sfca",
    demand_col: str = "population",
    supply_col: str = "capacity",
    name: str = "access",
) -> pd.DataFrame:
    r"""Floating-catchment accessibility: 2SFCA / E2SFCA, or BFCA.

    2SFCA (Luo & Wang 2003) with a binary weight, E2SFCA (Luo & Qi 2009) with a step, gaussian
    or gravity weight :math:`w_{ij} = f(t_{ij})`:

    .. math::

        R_j = \frac{S_j}{\sum_i P_i w_{ij}}, \qquad A_i = \sum_j R_j w_{ij}

    BFCA (Paez et al. 2019) balances the weights to remove demand and supply inflation: step 1
    uses :math:`w_{ij} / \sum_{j'} w_{ij'}` and step 2 :math:`w_{ij} / \sum_{i'} w_{i'j}`.

    With the same weights in both steps, :math:`\sum_i P_i A_i = \sum_j S_j` over the sites
    someone reaches; the computation is vectorised over the sparse pairs (``numpy.bincount``).

    Parameters
    ----------
    od
        Travel-time table ``origin_id`` (demand ids), ``dest_id`` (supply ids), ``minutes``;
        missing pairs are unreachable; pairs with other ids are ignored.
    demand
        ``id`` and ``demand_col``.
    supply
        ``site_id`` and ``supply_col``.
    weights
        Weight function: :func:`binary_weights`, :func:`step_weights`, :func:`gaussian_weights`,
        :func:`kernel_gaussian_weights`, :func:`gravity_weights` or any minutes → weights callable.
    method
        ``"2sfca"`` (also E2SFCA, depending on ``weights``) or ``"bfca"``.
    demand_col
        Demand column (population, standardised population...).
    supply_col
        Supply column (GPs, FTE, acts...).
    name
        Name of the output column.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``: supply per unit of demand, one row per demand id.

    Raises
    ------
    ValidationError
        Missing columns, duplicated ids or pairs, negative values, NaN times, unknown method,
        negative weights.

    References
    ----------
    Luo W., Wang F. (2003), *Environment and Planning B* 30(6): 865-884; Luo W., Qi Y. (2009),
    *Health & Place* 15(4): 1100-1107; Paez A., Higgins C. D., Vivona S. F. (2019), "Demand and
    level of service inflation in Floating Catchment Area (FCA) methods", *PLoS ONE* 14(6):
    e0218773; IPEA ``accessibility`` R package (``floating_catchment_area``); PySAL ``access``
    (``fca.py``).
    """
    if method not in ("2sfca", "bfca"):
        raise ValidationError(
            f"unknown method {method!r}.", field="method", fix="use '2sfca' or 'bfca'."
        )
    ids, pop = _table(demand, id_col="id", value_col=demand_col, table="demand")
    sites, cap = _table(supply, id_col="site_id", value_col=supply_col, table="supply")
    oi, dj, minutes = _pairs(od, ids, sites)
    w = np.asarray(weights(minutes), dtype=np.float64)
    if w.shape != minutes.shape or bool((w[np.isfinite(w)] < 0).any()):
        raise ValidationError(
            "the weight function returned negative weights or a wrong shape.",
            field="weights",
            fix="give a function mapping an array of minutes to as many weights >= 0.",
        )
    access = _fca(oi, dj, w, pop, cap, method=method)
    return pd.DataFrame({"id": ids.to_numpy(dtype=object), name: access})


# --- travel times to sites ---------------------------------------------------------------------


def od_to_sites(od: pd.DataFrame, *, sites: pd.DataFrame) -> pd.DataFrame:
    """Return a travel-time table whose destinations are the roster sites.

    Two layouts are accepted: destinations already are the sites (``dest_id`` = ``site_id``), or
    they are communes (``dest_id`` = INSEE code, the DREES commune-to-commune layout): each site
    then takes the times to its commune's point (usually the town hall).

    Parameters
    ----------
    od
        Travel-time table.
    sites
        ``site_id``, ``commune_code``.

    Returns
    -------
    pandas.DataFrame
        ``origin_id, dest_id, minutes, method`` with ``dest_id`` = site ids.

    Raises
    ------
    ValidationError
        When some sites are reached by neither layout (the table was computed for other points).

    References
    ----------
    DREES APL: times between communes (distancier Metric, town hall to town hall).
    """
    missing = [c for c in ("site_id", "commune_code") if c not in sites.columns]
    if missing:
        raise ValidationError(
            f"missing column(s) {', '.join(missing)}.", field="sites", fix="pass roster.sites."
        )
    ids = sites["site_id"].astype(str).to_numpy()
    codes = sites["commune_code"].astype(str).to_numpy()
    dest = od["dest_id"].astype(str)
    known = set(dest)
    direct = np.isin(ids, list(known))
    via_commune = ~direct & np.isin(codes, list(known))
    lost = ids[~direct & ~via_commune]
    if len(lost):
        raise ValidationError(
            f"no travel times to site(s) {format_rows(lost)}.",
            field="od",
            fix="compute travel times to the roster sites (or to their communes' town halls).",
        )
    link = pd.DataFrame({"site_id": ids, "key": np.where(direct, ids, codes)})
    merged = od.assign(key=dest).merge(link, on="key")
    merged["dest_id"] = merged["site_id"]
    return merged[["origin_id", "dest_id", "minutes", "method"]].reset_index(drop=True)


# --- nearest GP and population bands -----------------------------------------------------------


def nearest_site(
    od: pd.DataFrame, *, origins: Iterable[str], sites: Iterable[str] | None = None
) -> pd.DataFrame:
    """Travel time from each origin to its nearest site.

    Parameters
    ----------
    od
        Travel-time table; missing pairs are unreachable.
    origins
        Origin ids to report (communes): every one gets a row.
    sites
        Destination ids that count (e.g. sites with at least one GP); default: every destination.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``minutes`` (``inf`` when no site is reachable), ``site_id`` (None then),
        ``method`` (of the nearest pair, None when unreachable).

    References
    ----------
    IPEA ``accessibility`` R package (``cost_to_closest``); PySAL ``access``
    (``Access.score`` / nearest).
    """
    origin_ids = pd.Index([str(o) for o in origins], name="id")
    if origin_ids.has_duplicates:
        raise ValidationError(
            f"duplicated origin id(s) {format_rows(origin_ids[origin_ids.duplicated()])}.",
            field="origins",
            fix="give each origin once.",
        )
    if sites is None:
        site_ids = pd.Index(od["dest_id"].astype(str).unique()) if "dest_id" in od else pd.Index([])
    else:
        site_ids = pd.Index(pd.unique(pd.Series([str(s) for s in sites], dtype=object)))
    oi, dj, minutes = _pairs(od, origin_ids, site_ids)
    out = pd.DataFrame(
        {
            "id": origin_ids.to_numpy(dtype=object),
            "minutes": np.inf,
            "site_id": None,
            "method": None,
        }
    )
    if len(oi):
        order = np.lexsort((dj, minutes, oi))
        first = order[np.r_[True, oi[order][1:] != oi[order][:-1]]]
        reach = np.isfinite(minutes[first])
        rows = oi[first][reach]
        out.loc[rows, "minutes"] = minutes[first][reach]
        out.loc[rows, "site_id"] = site_ids.to_numpy(dtype=object)[dj[first][reach]]
        if "method" in od.columns:
            keep = (_positions(od["origin_id"], origin_ids) >= 0) & (
                _positions(od["dest_id"], site_ids) >= 0
            )
            methods = od["method"].astype(object).to_numpy()[keep]
            out.loc[rows, "method"] = methods[first][reach]
    out["minutes"] = out["minutes"].astype(np.float64)
    return out


def _population(population: pd.DataFrame, column: str) -> pd.Series:
    ids, values = _table(population, id_col="id", value_col=column, table="population")
    return pd.Series(values, index=ids)


def population_by_band(
    nearest: pd.DataFrame,
    *,
    population: pd.DataFrame,
    edges: Sequence[float] = NEAREST_BAND_EDGES,
    column: str = "population",
) -> pd.DataFrame:
    """Communes and inhabitants by band of time to the nearest GP.

    Parameters
    ----------
    nearest
        ``id``, ``minutes`` (from :func:`nearest_site`).
    population
        ``id`` and ``column`` (inhabitants; communes missing here count 0).
    edges
        Band edges (default 10, 20, 30, 40): bands ``[0, 10)``, ``[10, 20)``, ..., ``[40, inf)``,
        plus ``unreachable``.
    column
        Population column.

    Returns
    -------
    pandas.DataFrame
        ``band``, ``lower``, ``upper``, ``communes``, ``population``, ``share`` (of the total
        population of ``nearest``), one row per band, every band present (zeros included).

    References
    ----------
    DREES, « Quelle distance pour accéder aux soins ? » (access-time bands); project band
    convention, ``docs/architecture.md``.
    """
    pop = _population(population, column)
    ids = nearest["id"].astype(str)
    people = pop.reindex(ids.to_numpy(), fill_value=0.0).to_numpy()
    bands = band_of(nearest["minutes"].to_numpy(), edges=edges)
    labels = [*band_labels(edges), UNREACHABLE]
    lowers = [0.0, *[float(e) for e in edges], math.inf]
    uppers = [*[float(e) for e in edges], math.inf, math.inf]
    frame = pd.DataFrame({"band": bands, "population": people})
    grouped = frame.groupby("band")["population"].agg(["size", "sum"]).reindex(labels, fill_value=0)
    total = float(people.sum())
    return pd.DataFrame(
        {
            "band": labels,
            "lower": lowers,
            "upper": uppers,
            "communes": grouped["size"].to_numpy(dtype=np.int64),
            "population": grouped["sum"].to_numpy(dtype=np.float64),
            "share": grouped["sum"].to_numpy(dtype=np.float64) / total if total > 0 else np.nan,
        }
    )


def population_beyond(
    nearest: pd.DataFrame,
    *,
    population: pd.DataFrame,
    thresholds: Sequence[float] = (30.0, 40.0),
    column: str = "population",
) -> pd.DataFrame:
    """Communes and inhabitants at or beyond each threshold from the nearest GP (``t >= T``).

    Parameters
    ----------
    nearest
        ``id``, ``minutes`` (from :func:`nearest_site`); unreachable communes count as beyond.
    population
        ``id`` and ``column``.
    thresholds
        Minutes (default 30 and 40; 40 is the decree 2003-1140 criterion).
    column
        Population column.

    Returns
    -------
    pandas.DataFrame
        ``threshold``, ``communes``, ``population``, ``share``.

    References
    ----------
    Décret n° 2003-1140 du 1er décembre 2003 (40-minute criterion); project band convention.
    """
    pop = _population(population, column)
    minutes = _minutes(nearest["minutes"].to_numpy())
    people = pop.reindex(nearest["id"].astype(str).to_numpy(), fill_value=0.0).to_numpy()
    total = float(people.sum())
    rows = []
    for t in thresholds:
        beyond = minutes >= float(t)
        rows.append(
            {
                "threshold": float(t),
                "communes": int(beyond.sum()),
                "population": float(people[beyond].sum()),
                "share": float(people[beyond].sum()) / total if total > 0 else math.nan,
            }
        )
    return pd.DataFrame(rows, columns=["threshold", "communes", "population", "share"])


# --- verdicts ----------------------------------------------------------------------------------


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
        What the decree asks, in words.
    status
        ``met``, ``not_met`` or ``unknown`` (data missing: never guessed).
    value
        The measured quantity (share, ratio), ``None`` when unknown.
    detail
        How it was decided, or which data are missing.
    """

    key: str
    label: str
    status: CriterionStatus
    value: float | None
    detail: str


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
        """Return the criteria as a table (``key, label, status, value, detail``)."""
        return pd.DataFrame(
            [(c.key, c.label, c.status, c.value, c.detail) for c in self.criteria],
            columns=["key", "label", "status", "value", "detail"],
        )


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
       known false, unknown otherwise.

    Missing data make a criterion ``unknown``; the verdict is ``unknown`` when the unknown
    criteria could tip it.

    Parameters
    ----------
    population
        Inhabitants of the territory.
    nearest
        ``id``, ``minutes`` to the nearest GP for each commune (:func:`nearest_site`).
    commune_population
        ``id``, ``population`` of the same communes (needed with ``nearest``).
    gp_fte
        Full-time-equivalent GPs practising in the territory.
    gp_activity
        Yearly acts of each GP of the territory (NaN = unknown).
    share_over_75
        Share (0-1) of inhabitants over 75.
    social_above_average
        Whether the territory's social indicators are above the national average.
    zrr
        Whether the territory is classified ZRR.
    beyond_share
        Share of inhabitants beyond 40 minutes above which criterion 1 holds.

    Returns
    -------
    ZoneDeficitaire
        Criteria and verdict.

    References
    ----------
    Décret n° 2003-1140 du 1er décembre 2003 (article 1er), pris pour l'application de l'article
    L. 162-47 du code de la sécurité sociale (zones déficitaires en offre de soins).
    """
    if not math.isfinite(population) or population < 0:
        raise ValidationError(
            f"population={population!r}.", field="population", fix="give inhabitants >= 0."
        )
    criteria: list[Criterion] = []
    label1 = "inhabitants cannot reach a GP within 40 minutes"
    if nearest is None or commune_population is None:
        criteria.append(
            Criterion("no_gp_within_40", label1, "unknown", None, "no travel times given")
        )
    else:
        beyond = population_beyond(nearest, population=commune_population, thresholds=(40.0,))
        share = float(beyond["share"].iloc[0])
        status: CriterionStatus = (
            "unknown" if math.isnan(share) else ("met" if share > beyond_share else "not_met")
        )
        criteria.append(
            Criterion(
                "no_gp_within_40",
                label1,
                status,
                None if math.isnan(share) else share,
                f"{beyond['population'].iloc[0]:.0f} inhabitants ({share:.1%}) at 40 min or more"
                f" from a GP; threshold: share > {beyond_share:.1%}",
            )
        )
    label2 = "fewer than 3 full-time GPs per 5,000 inhabitants"
    if gp_fte is None or population <= 0:
        criteria.append(
            Criterion("fewer_than_3_fte_per_5000", label2, "unknown", None, "GP FTE not given")
        )
    else:
        ratio = float(gp_fte) * 5000.0 / float(population)
        criteria.append(
            Criterion(
                "fewer_than_3_fte_per_5000",
                label2,
                "met" if ratio < 3.0 else "not_met",
                ratio,
                f"{gp_fte:.2f} FTE for {population:.0f} inhabitants = {ratio:.2f} per 5,000",
            )
        )
    label3 = "75 % of GPs perform more than 7,500 acts a year"
    acts = None if gp_activity is None else np.asarray(gp_activity, dtype=np.float64)
    if acts is None or acts.size == 0 or bool(np.isnan(acts).any()):
        missing = (
            "no GP activity given"
            if acts is None or acts.size == 0
            else (f"activity unknown for {int(np.isnan(acts).sum())} of {acts.size} GPs")
        )
        criteria.append(Criterion("gps_over_7500_acts", label3, "unknown", None, missing))
    else:
        share3 = float((acts > 7500.0).mean())
        criteria.append(
            Criterion(
                "gps_over_7500_acts",
                label3,
                "met" if share3 >= 0.75 else "not_met",
                share3,
                f"{share3:.0%} of {acts.size} GPs above 7,500 acts",
            )
        )
    label4 = "over 10 % aged 75+, or social indicators above average, or ZRR"
    parts = {
        "share over 75 > 10 %": None if share_over_75 is None else bool(share_over_75 > 0.10),
        "social indicators above average": social_above_average,
        "ZRR": zrr,
    }
    known = {k: v for k, v in parts.items() if v is not None}
    detail4 = ", ".join(f"{k}: {'unknown' if v is None else v}" for k, v in parts.items())
    status4: CriterionStatus = (
        "met" if any(known.values()) else ("not_met" if len(known) == len(parts) else "unknown")
    )
    criteria.append(Criterion("age_social_or_zrr", label4, status4, share_over_75, detail4))

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
        population=float(population), large_enough=large, criteria=tuple(criteria), verdict=verdict
    )


# --- side by side with DREES -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DreesComparison:
    """Our APL next to the published DREES APL, commune by commune (a report, not a test).

    Attributes
    ----------
    table
        ``id``, ``apl``, ``apl_drees``, ``diff`` (ours - DREES), ``apl_u65``, ``apl_u65_drees``,
        ``diff_u65``, ``pop_std_drees``: one row per commune present on both sides.
    largest
        The ``top`` rows of ``table`` with the largest absolute ``diff``.
    spearman
        Spearman rank correlation of ``apl`` and ``apl_drees`` (NaN below 3 communes).
    spearman_u65
        Same for the under-65 variant.
    apl_drees_mean
        Published APL averaged over the compared communes, weighted by the published
        standardised population (NaN without it): the DREES figure for the territory.
    year
        DREES vintage compared.
    n
        Communes compared.
    """

    table: pd.DataFrame
    largest: pd.DataFrame
    spearman: float
    spearman_u65: float
    apl_drees_mean: float
    year: int
    n: int


def _spearman(a: pd.Series, b: pd.Series) -> float:
    from scipy import stats

    ok = a.notna() & b.notna()
    if int(ok.sum()) < 3 or a[ok].nunique() < 2 or b[ok].nunique() < 2:
        return math.nan
    return float(stats.spearmanr(a[ok], b[ok]).statistic)


def compare_with_drees(
    ours: pd.DataFrame,
    published: pd.DataFrame,
    *,
    year: int = 2023,
    ids: Iterable[str] | None = None,
    top: int = 10,
) -> DreesComparison:
    """Put our APL next to the published DREES APL, with rank correlations and largest gaps.

    Exact agreement is impossible (GP activity is not public; our times are not DREES's
    distancier Metric): read the rank correlation and the largest differences.

    Parameters
    ----------
    ours
        ``id``, ``apl`` and optionally ``apl_u65``.
    published
        ``code``, ``year``, ``apl``, ``apl_u65`` (and ``pop_std``), as
        ``accessmap.sources.load_apl_published`` returns it.
    year
        DREES vintage to compare with.
    ids
        Restrict to these communes (e.g. the territory).
    top
        How many largest differences to list.

    Returns
    -------
    DreesComparison
        The side-by-side table and its summary.

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes » (open data,
    2022 and 2023 vintages); Spearman C. (1904).
    """
    for col in ("code", "year", "apl", "apl_u65"):
        if col not in published.columns:
            raise ValidationError(
                f"missing column {col}.",
                field=f"published.{col}",
                fix="use accessmap.sources.load_apl_published().",
            )
    pub = published[published["year"].astype(int) == int(year)]
    if pub.empty:
        raise ValidationError(
            f"no published APL for {year}.",
            field="year",
            fix=f"use one of {sorted(published['year'].astype(int).unique().tolist())}.",
        )
    pub_cols = {"code": "id", "apl": "apl_drees", "apl_u65": "apl_u65_drees"}
    if "pop_std" in pub.columns:
        pub_cols["pop_std"] = "pop_std_drees"
    right = pub[list(pub_cols)].rename(columns=pub_cols).astype({"id": str})
    left = ours.copy()
    left["id"] = left["id"].astype(str)
    if "apl_u65" not in left.columns:
        left["apl_u65"] = np.nan
    table = left[["id", "apl", "apl_u65"]].merge(right, on="id", how="inner")
    if ids is not None:
        table = table[table["id"].isin({str(i) for i in ids})]
    table["diff"] = table["apl"] - table["apl_drees"]
    table["diff_u65"] = table["apl_u65"] - table["apl_u65_drees"]
    order = ["id", "apl", "apl_drees", "diff", "apl_u65", "apl_u65_drees", "diff_u65"]
    table = table[[*order, *[c for c in table.columns if c not in order]]].reset_index(drop=True)
    largest = (
        table.assign(_abs=table["diff"].abs())
        .sort_values(["_abs", "id"], ascending=[False, True])
        .head(top)
        .drop(columns="_abs")
        .reset_index(drop=True)
    )
    weight = table["pop_std_drees"] if "pop_std_drees" in table.columns else None
    mean = math.nan
    if weight is not None and float(weight.sum()) > 0:
        mean = float((table["apl_drees"] * weight).sum() / weight.sum())
    return DreesComparison(
        table=table,
        largest=largest,
        spearman=_spearman(table["apl"], table["apl_drees"]),
        spearman_u65=_spearman(table["apl_u65"], table["apl_u65_drees"]),
        apl_drees_mean=mean,
        year=int(year),
        n=len(table),
    )


# --- the per-commune table ---------------------------------------------------------------------


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
        Same for GPs under ``age_limit``.
    notes
        Caveats to print with the results (imputed activity, unknown ages, population fallback,
        illustrative ages, roster source).
    """

    communes: pd.DataFrame
    sites: pd.DataFrame
    bands: pd.DataFrame
    beyond: pd.DataFrame
    apl_territory: float
    apl_u65_territory: float
    notes: tuple[str, ...] = field(default_factory=tuple)


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
        Reference year of the "under 65" variant.
    acts_per_fte
        Acts per year of a full-time GP with unknown activity (see :func:`counted_activity`).
    edges
        Nearest-GP band edges.

    Returns
    -------
    TerritoryIndicators
        Per-commune table, site activity, bands, summary and notes.

    References
    ----------
    DREES APL workbook 2023 and Barlet et al. (2012), DREES Document de travail 124 (APL);
    Décret n° 2003-1140 (40-minute criterion).
    """
    p = params if params is not None else AplParameters()
    notes: list[str] = []
    _table(communes, id_col="id", value_col="population", table="communes")
    frame = pd.DataFrame({"id": communes["id"].astype(str).to_numpy(dtype=object)})
    frame["in_territory"] = (
        communes["in_territory"].fillna(value=False).astype(bool).to_numpy()
        if "in_territory" in communes.columns
        else True
    )
    frame["population"] = pd.to_numeric(communes["population"]).to_numpy(dtype=np.float64)
    pop_std = (
        pd.to_numeric(communes["pop_std"], errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )
        if "pop_std" in communes.columns
        else np.full(len(frame), np.nan)
    )
    fallback = np.isnan(pop_std)
    if bool(fallback.any()):
        notes.append(
            f"standardised population unknown for {int(fallback.sum())} commune(s): their "
            "population légale is used instead"
        )
    frame["pop_std"] = np.where(fallback, frame["population"], pop_std)

    sites = site_activity(roster, params=p, acts_per_fte=acts_per_fte)
    sites_u65 = site_activity(
        roster, params=p, acts_per_fte=acts_per_fte, max_age=p.age_limit, year=year
    )
    sites["acts_u65"] = sites_u65["acts"].to_numpy()
    with_gp = sites.loc[sites["fte"] > 0, "site_id"]
    nearest = nearest_site(od, origins=frame["id"], sites=with_gp)
    frame["nearest_minutes"] = nearest["minutes"].to_numpy()
    frame["nearest_site"] = nearest["site_id"].to_numpy()
    frame["nearest_method"] = nearest["method"].to_numpy()
    frame["band"] = band_of(frame["nearest_minutes"].to_numpy(), edges=edges)
    demand = frame[["id", "pop_std"]]
    frame["apl"] = apl(od, demand=demand, supply=sites[["site_id", "acts"]], params=p)[
        "apl"
    ].to_numpy()
    supply_u65 = sites[["site_id", "acts_u65"]].rename(columns={"acts_u65": "acts"})
    frame["apl_u65"] = apl(od, demand=demand, supply=supply_u65, params=p)["apl"].to_numpy()
    frame["apl_class"] = classify_apl(frame["apl"].to_numpy()).to_numpy()

    inside = frame[frame["in_territory"]]
    inside_nearest = inside[["id", "nearest_minutes"]].rename(
        columns={"nearest_minutes": "minutes"}
    )
    bands = population_by_band(inside_nearest, population=inside, edges=edges)
    beyond = population_beyond(inside_nearest, population=inside)
    territory_ids = inside["id"]
    apl_t = territory_apl(frame, demand=demand, ids=territory_ids)
    apl_u65_t = territory_apl(frame, demand=demand, column="apl_u65", ids=territory_ids)

    total = float(sites["acts"].sum())
    imputed = float(sites["acts_imputed"].sum())
    if imputed > 0:
        per_fte = p.new_gp_acts if acts_per_fte is None else acts_per_fte
        notes.append(
            f"activity unknown for part of the GPs: {imputed / total:.0%} of the counted acts are "
            f"imputed as FTE x {per_fte:,.0f} acts/year"
        )
    gps = roster.practitioners[roster.practitioners["profession"] == "generaliste"]
    unknown_age = int(gps["birth_year"].isna().sum())
    if unknown_age:
        notes.append(
            f"birth year unknown for {unknown_age} of {len(gps)} GP(s): they are kept in the "
            f"under-{p.age_limit} APL"
        )
    if roster.illustrative_ages:
        notes.append("GP ages are illustrative (generated), not facts")
    if roster.source:
        notes.append(f"roster: {roster.source}")
    notes.append(f"APL parameters: {p.source}")
    return TerritoryIndicators(
        communes=frame,
        sites=sites,
        bands=bands,
        beyond=beyond,
        apl_territory=apl_t,
        apl_u65_territory=apl_u65_t,
        notes=tuple(notes),
    )
