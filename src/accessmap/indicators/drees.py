"""The modelled APL next to the APL DREES publishes, and the calibration of unknown activity.

Exact agreement is impossible with public inputs (GP activity is not public, times are not the
DREES distancier): :func:`compare_with_drees` measures the agreement (Spearman rank correlation,
mean absolute difference, largest gaps) and :func:`calibrate_activity` sets the one activity level
imputed to GPs of unknown activity so that the modelled APL matches the published one on average.

References
----------
DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes » (open data,
2022 and 2023 vintages); Spearman C. (1904), "The proof and measurement of association between two
things", *American Journal of Psychology* 15(1): 72-101.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from accessmap.contracts import AplParameters, isin_codes, require_columns, validate_demand
from accessmap.errors import ValidationError
from accessmap.indicators.apl import apl, site_activity
from accessmap.messages import Message

if TYPE_CHECKING:
    from accessmap.supply import Roster

__all__ = [
    "ActivityCalibration",
    "DreesComparison",
    "calibrate_activity",
    "compare_with_drees",
    "published_apl",
]


@dataclass(frozen=True, slots=True)
class DreesComparison:
    """Our APL next to the published DREES APL, commune by commune (a report, not a test).

    Attributes
    ----------
    table
        ``id``, ``apl``, ``apl_drees``, ``diff`` (ours - DREES), ``apl_u65``, ``apl_u65_drees``,
        ``diff_u65``, ``pop_std_drees``: one row per commune present on both sides.
    largest
        The ``top`` rows of ``table`` with the largest absolute ``diff`` (commune, modelled,
        published, difference first).
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
    mean_abs_diff
        Mean over the communes of ``|apl - apl_drees|`` (consultations per standardised
        inhabitant per year).
    mean_abs_diff_u65
        Same for the under-65 variant.
    apl_mean
        Our APL averaged with the same weights as ``apl_drees_mean``.
    """

    table: pd.DataFrame
    largest: pd.DataFrame
    spearman: float
    spearman_u65: float
    apl_drees_mean: float
    year: int
    n: int
    mean_abs_diff: float = math.nan
    mean_abs_diff_u65: float = math.nan
    apl_mean: float = math.nan


def _spearman(a: pd.Series, b: pd.Series) -> float:
    # scipy.stats.spearmanr's own arithmetic (average ranks, then numpy.corrcoef), without
    # importing scipy.stats
    ok = a.notna() & b.notna()
    if int(ok.sum()) < 3 or a[ok].nunique() < 2 or b[ok].nunique() < 2:
        return math.nan
    ranks = np.column_stack([a[ok].rank(method="average"), b[ok].rank(method="average")])
    return float(np.corrcoef(ranks, rowvar=False)[1, 0])


def _mad(a: pd.Series, b: pd.Series) -> float:
    diff = (a - b).abs().dropna()
    return float(diff.mean()) if len(diff) else math.nan


def _weighted_mean(values: pd.Series, weights: pd.Series | None) -> float:
    if weights is None:
        return math.nan
    ok = values.notna() & weights.notna()
    total = float(weights[ok].sum())
    return float((values[ok] * weights[ok]).sum() / total) if total > 0 else math.nan


def published_apl(published: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """Return the published APL of one vintage as ``id, apl_drees, apl_u65_drees[, pop_std_drees]``.

    Parameters
    ----------
    published
        ``code``, ``year``, ``apl``, ``apl_u65`` (and ``pop_std``), as
        ``accessmap.sources.load_apl_published`` returns it.
    year
        DREES vintage.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ValidationError
        A missing column or no row for ``year``.

    References
    ----------
    DREES APL open data (sheets *APL 2022*, *APL 2023*).
    """
    require_columns(
        published,
        ("code", "year", "apl", "apl_u65"),
        table="published",
        fix=str(Message("drees.fix_published")),
    )
    pub = published[published["year"].astype(int) == int(year)]
    if pub.empty:
        raise ValidationError(
            "drees.no_published_year",
            field="year",
            year=year,
            years=sorted(published["year"].astype(int).unique().tolist()),
        )
    cols = {"code": "id", "apl": "apl_drees", "apl_u65": "apl_u65_drees"}
    if "pop_std" in pub.columns:
        cols["pop_std"] = "pop_std_drees"
    return pub[list(cols)].rename(columns=cols).astype({"id": str}).reset_index(drop=True)


def compare_with_drees(
    ours: pd.DataFrame,
    published: pd.DataFrame,
    *,
    year: int = 2023,
    ids: Iterable[str] | None = None,
    top: int = 10,
) -> DreesComparison:
    """Put our APL next to the published DREES APL: rank correlation, mean gap, largest gaps.

    Exact agreement is impossible (GP activity is not public; our times are not DREES's
    distancier Metric): read the rank correlation, the mean absolute difference and the largest
    differences.

    Parameters
    ----------
    ours
        ``id``, ``apl`` and optionally ``apl_u65`` and ``nom`` (kept in ``largest``).
    published
        ``code``, ``year``, ``apl``, ``apl_u65`` (and ``pop_std``), as
        ``accessmap.sources.load_apl_published`` returns it.
    year
        DREES vintage to compare with.
    ids
        Restrict to these communes (e.g. the territory, or every commune of its departments).
    top
        How many largest differences to list.

    Returns
    -------
    DreesComparison
        The side-by-side table and its summary.

    Raises
    ------
    ValidationError
        A missing column, or no published APL for ``year``.

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes » (open data,
    2022 and 2023 vintages); Spearman C. (1904), *American Journal of Psychology* 15(1).
    """
    right = published_apl(published, year=year)
    require_columns(ours, ("id", "apl"), table="ours", fix=str(Message("drees.fix_ours")))
    left = ours.copy()
    left["id"] = left["id"].astype(str)
    if "apl_u65" not in left.columns:
        left["apl_u65"] = np.nan
    extra = ["nom"] if "nom" in left.columns else []
    table = left[["id", *extra, "apl", "apl_u65"]].merge(right, on="id", how="inner")
    if ids is not None:
        table = table[isin_codes(table["id"], ids)]
    table["diff"] = table["apl"] - table["apl_drees"]
    table["diff_u65"] = table["apl_u65"] - table["apl_u65_drees"]
    order = ["id", *extra, "apl", "apl_drees", "diff", "apl_u65", "apl_u65_drees", "diff_u65"]
    table = table[[*order, *[c for c in table.columns if c not in order]]].reset_index(drop=True)
    largest = (
        table.assign(_abs=table["diff"].abs())
        .sort_values(["_abs", "id"], ascending=[False, True])
        .head(top)
        .drop(columns="_abs")
        .reset_index(drop=True)
    )
    weight = table["pop_std_drees"] if "pop_std_drees" in table.columns else None
    return DreesComparison(
        table=table,
        largest=largest,
        spearman=_spearman(table["apl"], table["apl_drees"]),
        spearman_u65=_spearman(table["apl_u65"], table["apl_u65_drees"]),
        apl_drees_mean=_weighted_mean(table["apl_drees"], weight),
        year=int(year),
        n=len(table),
        mean_abs_diff=_mad(table["apl"], table["apl_drees"]),
        mean_abs_diff_u65=_mad(table["apl_u65"], table["apl_u65_drees"]),
        apl_mean=_weighted_mean(table["apl"], weight),
    )


@dataclass(frozen=True, slots=True)
class ActivityCalibration:
    """The activity level imputed to GPs of unknown activity, and how well the APL then fits.

    Attributes
    ----------
    acts_per_fte
        Calibrated yearly acts of a full-time GP whose activity is unknown.
    default_acts_per_fte
        The level before calibration (``AplParameters.new_gp_acts``, 5,400, unless given).
    target
        Published APL over the calibration communes, standardised-population-weighted.
    mean_before, mean_after
        Modelled APL over the same communes with the same weights, before and after.
    spearman_before, spearman_after
        Rank correlation with the published APL (it changes only when part of the supply has a
        known activity: a common scale factor keeps ranks).
    mad_before, mad_after
        Mean absolute difference with the published APL.
    n
        Communes used (present in the demand and published for ``year``).
    notes
        Caveats (level clipped at 0...), as messages of the catalogue (``str()``: in French).
    """

    acts_per_fte: float
    default_acts_per_fte: float
    target: float
    mean_before: float
    mean_after: float
    spearman_before: float
    spearman_after: float
    mad_before: float
    mad_after: float
    n: int
    notes: tuple[Message, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """Return the fit as a two-row table (``before``, ``after``) for reports.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``fit``: ``acts_per_fte``, ``apl_mean``, ``apl_drees_mean``, ``spearman``,
            ``mean_abs_diff``.

        References
        ----------
        DREES APL workbook 2023 (aggregation weighted by standardised population).
        """
        return pd.DataFrame(
            {
                "acts_per_fte": [self.default_acts_per_fte, self.acts_per_fte],
                "apl_mean": [self.mean_before, self.mean_after],
                "apl_drees_mean": [self.target, self.target],
                "spearman": [self.spearman_before, self.spearman_after],
                "mean_abs_diff": [self.mad_before, self.mad_after],
            },
            index=pd.Index(["before", "after"], name="fit"),
        )


def calibrate_activity(
    od: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    roster: Roster,
    published: pd.DataFrame,
    year: int = 2023,
    params: AplParameters | None = None,
    ids: Iterable[str] | None = None,
    default_acts_per_fte: float | None = None,
) -> ActivityCalibration:
    r"""Calibrate the yearly acts of GPs of unknown activity on the published APL (closed form).

    One level :math:`a` (acts per full-time GP per year) for every GP whose activity is unknown,
    never one per commune. The supply of site *j* is :math:`S_j(a) = K_j + a F_j`, where
    :math:`K_j` is the activity counted by the DREES rules for GPs of known activity (measured,
    new GP, health centre) and :math:`F_j` the FTE of unknown activity. The APL is linear in the
    supply, so

    .. math::

        \mathrm{APL}_i(a) = \mathrm{APL}_i(K) + a\,\mathrm{APL}_i(F), \qquad
        \bar{A}(a) = \frac{\sum_i p_i \mathrm{APL}_i(a)}{\sum_i p_i} = M_0 + a M_1

    with :math:`p_i` the standardised population of the calibration communes (the DREES rule for
    an average APL). Setting :math:`\bar{A}(a)` to the published mean :math:`T` gives
    :math:`a^* = (T - M_0) / M_1`, clipped at 0 (noted) when the known activity alone already
    exceeds the target. Two APL computations, no search.

    Parameters
    ----------
    od
        Travel times from the demand communes to the roster sites.
    demand
        ``id``, ``pop_std`` (or ``population``) of **all** communes that compete for the GPs
        (buffer included).
    roster
        The GPs and their sites (unknown activity = NaN).
    published
        DREES published APL (``code, year, apl, apl_u65[, pop_std]``).
    year
        DREES vintage to match.
    params
        APL parameters (default: DREES 2023).
    ids
        Calibration communes (default: every demand commune with a published APL). Pass all
        communes of the departments concerned, not only the territory.
    default_acts_per_fte
        The level to report as "before" (default ``params.new_gp_acts``).

    Returns
    -------
    ActivityCalibration

    Raises
    ------
    ValidationError
        No calibration commune, or no GP of unknown activity reached by them (:math:`M_1 = 0`).

    References
    ----------
    DREES APL workbook 2023 (aggregation weighted by standardised population); Barlet et al.
    (2012), DREES Document de travail n° 124.
    """
    p = params if params is not None else AplParameters()
    before_level = p.new_gp_acts if default_acts_per_fte is None else float(default_acts_per_fte)
    clean = validate_demand(demand, weight="pop_std")
    dem = clean[["id", "pop_std"]]
    known = site_activity(roster, params=p, acts_per_fte=0.0)
    unit = site_activity(roster, params=p, acts_per_fte=1.0)
    unit["acts"] = unit["acts"] - known["acts"]
    apl_k = apl(od, demand=dem, supply=known[["site_id", "acts"]], params=p)["apl"].to_numpy()
    apl_f = apl(od, demand=dem, supply=unit[["site_id", "acts"]], params=p)["apl"].to_numpy()
    frame = dem.assign(apl_k=apl_k, apl_f=apl_f).merge(
        published_apl(published, year=year)[["id", "apl_drees"]], on="id", how="inner"
    )
    if ids is not None:
        frame = frame[isin_codes(frame["id"], ids)]
    frame = frame[frame["apl_drees"].notna()]
    weight = frame["pop_std"].to_numpy(dtype=np.float64)
    if frame.empty or float(weight.sum()) <= 0:
        raise ValidationError("drees.nothing_to_calibrate_on", field="ids", year=year)
    target = float(np.average(frame["apl_drees"], weights=weight))
    m0 = float(np.average(frame["apl_k"], weights=weight))
    m1 = float(np.average(frame["apl_f"], weights=weight))
    if m1 <= 0:
        raise ValidationError("drees.no_unknown_activity_reached", field="roster")
    level = (target - m0) / m1
    notes = []
    if level < 0:
        notes.append(Message("drees.level_clipped", mean=m0, target=target))
        level = 0.0

    def fit(a: float) -> tuple[float, float, float]:
        model = frame["apl_k"] + a * frame["apl_f"]
        return (
            float(np.average(model, weights=weight)),
            _spearman(model, frame["apl_drees"]),
            _mad(model, frame["apl_drees"]),
        )

    mean_b, rho_b, mad_b = fit(before_level)
    mean_a, rho_a, mad_a = fit(level)
    return ActivityCalibration(
        acts_per_fte=level,
        default_acts_per_fte=before_level,
        target=target,
        mean_before=mean_b,
        mean_after=mean_a,
        spearman_before=rho_b,
        spearman_after=rho_a,
        mad_before=mad_b,
        mad_after=mad_a,
        n=len(frame),
        notes=tuple(notes),
    )
