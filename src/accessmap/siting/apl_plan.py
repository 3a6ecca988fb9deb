"""The inputs and the evaluation of the APL siting models: baselines, and a plan over draws.

- :func:`official_plus_change`: the baseline of the APL models, each commune's published APL plus
  the modelled change of the year (retirements, scenario), from three tables the pipeline has.
- :func:`apl_plan_draws`: a plan (FTE per site) evaluated over Monte Carlo baselines: the
  inhabitants under the threshold per draw, their median and 10-90 % band.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from accessmap.contracts import require_columns
from accessmap.conventions import MSP_MIN_GPS
from accessmap.errors import ValidationError
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.siting._apl import (
    APL_TOL,
    DEFAULT_MAX_FTE,
    apl_threshold,
    baseline_matrix,
    build_problem,
)
from accessmap.siting.instance import FloatArray
from accessmap.siting.result import SitingResult

__all__ = ["PlanBand", "apl_plan_draws", "official_plus_change", "official_plus_change_draws"]


def _apl_by_id(table: pd.DataFrame, *, name: str) -> pd.Series:
    key = "id" if "id" in table.columns else "code" if "code" in table.columns else "commune_code"
    frame = require_columns(table, (key, "apl"), table=name)
    series = pd.to_numeric(frame["apl"], errors="coerce")
    ids = frame[key]
    text = ids if isinstance(ids.dtype, pd.StringDtype) else ids.astype(str)
    # an object index: looked up with object ids (_at) without a per-call conversion
    series.index = pd.Index(text.to_numpy(dtype=object), dtype=object)
    if series.index.has_duplicates:
        raise ValidationError("siting.apl_baseline_duplicates", field=name)
    return series


def _at(series: pd.Series, wanted: pd.Index) -> FloatArray:
    """Return ``series.reindex(wanted)`` as float64 values (NaN where absent)."""
    where = series.index.get_indexer(wanted)
    values = series.to_numpy(dtype=np.float64)
    if not len(values):
        return np.full(len(where), np.nan)
    return np.where(where >= 0, values[where], np.nan)


def official_plus_change(
    published: pd.DataFrame,
    *,
    modelled_today: pd.DataFrame,
    modelled_year: pd.DataFrame,
    ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each commune's published APL plus the modelled change from today to the year.

    ``apl = published + (modelled_year - modelled_today)``, floored at 0. A commune without a
    published value takes the modelled value of the year (``source="modelled"``).

    Parameters
    ----------
    published
        The published APL of one vintage: ``code`` (or ``id``) and ``apl`` (filter the DREES
        table on its ``year`` first).
    modelled_today
        Today's modelled APL: ``id`` (or ``commune_code``) and ``apl``.
    modelled_year
        The year's modelled APL, same columns (e.g. the outlook's ``apl`` table filtered on the
        year: its ``apl`` is the expected value; use ``q50`` renamed ``apl`` for the median).
    ids
        The communes wanted (default: those of ``modelled_year``).

    Returns
    -------
    pandas.DataFrame
        ``id, apl, published, modelled_today, modelled_year, change, source`` (``official`` or
        ``modelled``): pass it as the ``baseline`` of the APL models.

    Raises
    ------
    ValidationError
        Missing columns, duplicate ids, a commune without a modelled value.

    References
    ----------
    DREES APL (published values); the change is the model's, the level the official one
    (:func:`accessmap.indicators.official.official_plus_effect` applies the same rule to options).
    """
    year = _apl_by_id(modelled_year, name="modelled_year")
    today = _apl_by_id(modelled_today, name="modelled_today")
    pub = _apl_by_id(published, name="published")
    wanted = [str(i) for i in ids] if ids is not None else list(year.index)
    # numpy values: the same arithmetic as the aligned Series, without their per-call overhead
    index = pd.Index(wanted, dtype=object)
    y, t = _at(year, index), _at(today, index)
    absent = np.isnan(y) | np.isnan(t)
    if absent.any():
        missing = [wanted[k] for k in np.flatnonzero(absent)]
        raise ValidationError(
            "siting.apl_baseline_missing", field="modelled_year", count=len(missing), ids=missing
        )
    p = _at(pub, index)
    change = y - t
    official = ~np.isnan(p)
    value = np.where(official, p + change, y).astype(np.float64)
    return pd.DataFrame(
        {
            "id": wanted,
            "apl": np.maximum(value, 0.0),
            "published": p,
            "modelled_today": t,
            "modelled_year": y,
            "change": change,
            "source": np.where(official, "official", "modelled"),
        }
    )


def official_plus_change_draws(
    published: pd.DataFrame,
    *,
    modelled_today: pd.DataFrame,
    draws: pd.DataFrame,
) -> pd.DataFrame:
    """Apply :func:`official_plus_change` to every Monte Carlo draw of the year.

    Parameters
    ----------
    published, modelled_today
        As in :func:`official_plus_change`.
    draws
        The year's modelled APL, one row per draw and one column per commune id
        (:func:`accessmap.workforce.apl_draws`).

    Returns
    -------
    pandas.DataFrame
        Same shape as ``draws``: published + (draw - today), floored at 0; the draw itself where
        nothing is published. Pass it as the ``draws`` of :func:`accessmap.siting.apl_robust`
        and :func:`accessmap.siting.apl_plan_draws`.

    Raises
    ------
    ValidationError
        Missing columns, duplicate ids, a commune without today's modelled value.
    """
    ids = [str(c) for c in draws.columns]
    today = _apl_by_id(modelled_today, name="modelled_today").reindex(ids)
    if today.isna().any():
        missing = [i for i, bad in zip(ids, today.isna(), strict=True) if bad]
        raise ValidationError(
            "siting.apl_baseline_missing", field="modelled_today", count=len(missing), ids=missing
        )
    pub = _apl_by_id(published, name="published").reindex(ids).to_numpy(np.float64)
    values = draws.to_numpy(np.float64)
    shifted = np.where(np.isnan(pub)[None, :], values, pub[None, :] + values - today.to_numpy())
    return pd.DataFrame(np.maximum(shifted, 0.0), columns=pd.Index(ids), index=draws.index)


@dataclass(frozen=True, slots=True)
class PlanBand:
    """Inhabitants under the threshold after a plan, over Monte Carlo baselines.

    Attributes
    ----------
    under
        ``(S,)`` inhabitants under the threshold in each draw.
    median, q10, q90
        Their median and 10 % / 90 % quantiles.
    threshold
        The threshold.
    fte
        New FTE of the plan.
    """

    under: FloatArray
    median: float
    q10: float
    q90: float
    threshold: float
    fte: float


def apl_plan_draws(
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    plan: SitingResult | Mapping[str, float],
    draws: object,
    threshold: float | None = None,
    weight: str = "population",
    apl_weight: str | None = None,
    profession: str = DEFAULT_PROFESSION,
    acts_per_fte: float | None = None,
) -> PlanBand:
    """Evaluate a plan over Monte Carlo baselines: inhabitants under the threshold per draw.

    Parameters
    ----------
    od
        Travel-time table holding the plan's sites as ``dest_id``.
    demand
        ``id``, ``weight`` and ``apl_weight`` columns.
    plan
        A result of an APL model (its ``site_table.fte``), or ``{site_id: fte}``; empty: no plan.
    draws
        ``(S, n)`` baselines in the order of ``demand``, or a wide table (columns = ids).
    threshold, weight, apl_weight, profession, acts_per_fte
        As in :func:`accessmap.siting.apl_recruits`.

    Returns
    -------
    PlanBand

    Raises
    ------
    ValidationError
        Bad inputs, a site of the plan not in ``od``.
    """
    if isinstance(plan, SitingResult):
        table = plan.site_table
        values = table["fte"] if "fte" in table.columns else pd.Series(1.0, index=table.index)
        fte = dict(zip(table["site_id"].astype(str), values.astype(float), strict=True))
    else:
        fte = {str(k): float(v) for k, v in plan.items()}
    sites = [s for s, v in fte.items() if v > 0]
    if sites:
        problem = build_problem(
            od, demand, baseline=draws, weight=weight, apl_weight=apl_weight,
            profession_key=profession, threshold=threshold, team_min=1,
            max_fte=max(DEFAULT_MAX_FTE, MSP_MIN_GPS), acts_per_fte=acts_per_fte,
            candidates=[], exclude=(), fixed=sites,
        )  # fmt: skip
        x = np.array([fte[str(s)] for s in problem.inst.site_ids], dtype=np.float64)
        reached = problem.reached(x)
        people = problem.people
        level = problem.threshold
    else:
        ids = demand["id"].astype(str).tolist()
        base = baseline_matrix(draws, ids, field="draws")
        people = pd.to_numeric(demand[weight], errors="coerce").fillna(0.0).to_numpy(np.float64)
        level = apl_threshold(threshold, profession)
        reached = base >= level - APL_TOL * max(1.0, level)
    under = (~reached).astype(np.float64) @ people
    return PlanBand(
        under=under,
        median=float(np.median(under)),
        q10=float(np.quantile(under, 0.1)),
        q90=float(np.quantile(under, 0.9)),
        threshold=level,
        fte=float(sum(fte.values())),
    )
