"""The modelled APL of every commune of many departments next to the APL DREES publishes.

:func:`accessmap.indicators.compare_with_drees` answers "how close is the model on this
territory?"; :func:`national_comparison` answers it for every commune of France (or any list of
departments) and says *where* the model departs from the published figures: the rank
correlation nationally and department by department, the mean absolute difference, and the gap of
every commune (for a map of the gaps).

Reading the figures: the level of the modelled APL depends on the activity imputed to GPs whose
activity is not public, so a constant offset is expected; the rank correlation (Spearman) and the
**rank gap** (percentile of the modelled APL minus percentile of the published APL) are free of
that offset and show where the geography of access itself differs (crow-fly versus road times,
supply counted by commune of practice, vintages of the inputs).

References
----------
DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes » (open data,
2022 and 2023 vintages); Barlet M. et al. (2012), DREES Études et Résultats 795 and Document de
travail 124; Spearman C. (1904), "The proof and measurement of association between two things",
*American Journal of Psychology* 15(1): 72-101.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from accessmap.contracts import require_columns
from accessmap.errors import ValidationError
from accessmap.indicators.drees import compare_with_drees
from accessmap.messages import Message

__all__ = ["NationalComparison", "grouped_spearman", "national_comparison"]

#: Departments with fewer compared communes get no correlation (NaN), like scipy's minimum.
MIN_COMMUNES_FOR_SPEARMAN = 3


@dataclass(frozen=True, slots=True)
class NationalComparison:
    """Modelled versus published APL over many departments (a report, not a test).

    Attributes
    ----------
    communes
        One row per commune present on both sides: ``id``, ``nom``, ``dep``, ``apl``,
        ``apl_drees``, ``diff`` (modelled - published), ``rank_gap`` (national percentile of
        ``apl`` minus that of ``apl_drees``, in [-1, 1]: positive where the model ranks the
        commune better served than DREES does), ``apl_u65``, ``apl_u65_drees``, ``diff_u65``,
        ``pop_std_drees``.
    departments
        One row per department: ``dep``, ``communes``, ``spearman``, ``spearman_u65``,
        ``mean_abs_diff``, ``mean_diff``, ``mean_rank_gap``, ``apl_mean``, ``apl_drees_mean``
        (both weighted by the published standardised population), ``pop_std_drees``.
    largest
        The ``top`` communes with the largest absolute ``diff`` (names and departments kept).
    spearman
        National Spearman rank correlation of ``apl`` and ``apl_drees``.
    spearman_u65
        Same for the under-65 variant.
    mean_abs_diff
        National mean over the communes of ``|apl - apl_drees|``.
    mean_abs_diff_u65
        Same for the under-65 variant.
    mean_diff
        National mean of ``apl - apl_drees`` (the level offset).
    apl_mean
        Modelled APL averaged over the compared communes, weighted by the published
        standardised population.
    apl_drees_mean
        Published APL averaged with the same weights.
    year
        DREES vintage compared.
    n
        Communes compared.
    unmatched
        Modelled communes without a published value (created or merged since the vintage).
    methods
        The agreement per travel-time method, when ``ours`` has a ``method`` column (a national
        table with road times where the mirror has roads and crow-fly times elsewhere): one row
        per method, ``method``, ``communes``, ``spearman``, ``mean_abs_diff``, ``apl_mean``,
        ``apl_drees_mean``; empty otherwise.
    """

    communes: pd.DataFrame
    departments: pd.DataFrame
    largest: pd.DataFrame
    spearman: float
    spearman_u65: float
    mean_abs_diff: float
    mean_abs_diff_u65: float
    mean_diff: float
    apl_mean: float
    apl_drees_mean: float
    year: int
    n: int
    unmatched: tuple[str, ...] = ()
    methods: pd.DataFrame = field(default_factory=pd.DataFrame)


def grouped_spearman(frame: pd.DataFrame, a: str, b: str, *, by: str | None = None) -> pd.Series:
    """Spearman rank correlation of two columns, per group, in one vectorised pass.

    Pearson correlation of the average ranks (ties share their mean rank), exactly what
    :func:`scipy.stats.spearmanr` computes; rows where either value is missing are left out.

    Parameters
    ----------
    frame
        The data.
    a, b
        The two columns.
    by
        Group column (e.g. ``dep``); ``None``: one group, labelled ``"all"``.

    Returns
    -------
    pandas.Series
        One correlation per group (NaN below :data:`MIN_COMMUNES_FOR_SPEARMAN` rows or when a
        column is constant in the group).

    References
    ----------
    Spearman C. (1904), *American Journal of Psychology* 15(1): 72-101.
    """
    require_columns(
        frame, (a, b, *([by] if by else [])), table="frame", fix=str(Message("drees.fix_columns"))
    )
    keys = frame[by] if by else pd.Series("all", index=frame.index)
    ok = frame[a].notna() & frame[b].notna()
    part = pd.DataFrame({"g": keys[ok].to_numpy(), "x": frame.loc[ok, a], "y": frame.loc[ok, b]})
    groups = part.groupby("g", sort=True)
    part[["x", "y"]] = groups[["x", "y"]].rank(method="average")
    centred = part[["x", "y"]] - groups[["x", "y"]].transform("mean")
    sums = (
        pd.DataFrame(
            {
                "g": part["g"],
                "xy": centred["x"] * centred["y"],
                "xx": centred["x"] ** 2,
                "yy": centred["y"] ** 2,
                "n": 1,
            }
        )
        .groupby("g", sort=True)
        .sum()
    )
    denominator = (sums["xx"] * sums["yy"]) ** 0.5
    rho = sums["xy"] / denominator.where(denominator > 0)
    rho[sums["n"] < MIN_COMMUNES_FOR_SPEARMAN] = np.nan
    all_keys = pd.Index(pd.unique(keys), name=by or "group").sort_values()
    return rho.clip(-1.0, 1.0).reindex(all_keys).rename("spearman").astype(float)


def _weighted(table: pd.DataFrame, value: str, weight: str) -> pd.Series:
    ok = table[value].notna() & table[weight].notna()
    num = (table[value] * table[weight]).where(ok, 0.0).groupby(table["dep"]).sum()
    den = table[weight].where(ok, 0.0).groupby(table["dep"]).sum()
    return num / den.where(den > 0)


def _departments(table: pd.DataFrame) -> pd.DataFrame:
    by_dep = table.groupby("dep", sort=True)
    out = pd.DataFrame(
        {
            "communes": by_dep.size(),
            "spearman": grouped_spearman(table, "apl", "apl_drees", by="dep"),
            "spearman_u65": grouped_spearman(table, "apl_u65", "apl_u65_drees", by="dep"),
            "mean_abs_diff": table["diff"].abs().groupby(table["dep"]).mean(),
            "mean_diff": by_dep["diff"].mean(),
            "mean_rank_gap": by_dep["rank_gap"].mean(),
            "apl_mean": _weighted(table, "apl", "pop_std_drees"),
            "apl_drees_mean": _weighted(table, "apl_drees", "pop_std_drees"),
            "pop_std_drees": by_dep["pop_std_drees"].sum(min_count=1),
        }
    )
    out.index.name = "dep"
    return out.reset_index()


def _methods(table: pd.DataFrame) -> pd.DataFrame:
    """Return the agreement of each travel-time method (``method`` column), one row each."""
    if "method" not in table.columns or table["method"].isna().all():
        return pd.DataFrame()
    keyed = table.assign(dep=table["method"].astype(str))  # _weighted groups by ``dep``
    by = keyed.groupby("dep", sort=True)
    out = pd.DataFrame(
        {
            "communes": by.size(),
            "spearman": grouped_spearman(keyed, "apl", "apl_drees", by="dep"),
            "mean_abs_diff": keyed["diff"].abs().groupby(keyed["dep"]).mean(),
            "apl_mean": _weighted(keyed, "apl", "pop_std_drees"),
            "apl_drees_mean": _weighted(keyed, "apl_drees", "pop_std_drees"),
        }
    )
    out.index.name = "method"
    return out.reset_index()


def _department_of(codes: pd.Series) -> pd.Series:
    """Department of INSEE codes (``97x`` overseas, else the first two characters)."""
    text = codes.astype(str)
    return text.str[:3].where(text.str.startswith("97"), text.str[:2])


def national_comparison(
    ours: pd.DataFrame,
    published: pd.DataFrame,
    *,
    communes: pd.DataFrame | None = None,
    year: int = 2023,
    top: int = 20,
) -> NationalComparison:
    """Compare the modelled APL of many departments with the published DREES APL.

    Parameters
    ----------
    ours
        ``id`` and ``apl`` (and ``apl_u65``; and ``method``, the travel-time method of each
        commune, for the agreement per method), e.g. ``TerritoryIndicators.communes``.
    published
        ``code``, ``year``, ``apl``, ``apl_u65`` (and ``pop_std``), as
        ``accessmap.sources.load_apl_published`` returns it.
    communes
        ``code`` (or ``id``), ``nom`` and ``dep`` of the communes (e.g. the territory's
        communes); without it, the department is read from the INSEE code and names are empty.
    year
        DREES vintage to compare with.
    top
        How many largest absolute differences to list.

    Returns
    -------
    NationalComparison
        National figures, one row per department, one row per commune.

    Raises
    ------
    ValidationError
        A missing column, no published APL for ``year``, or no commune on both sides.

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes » (open data,
    2022 and 2023 vintages); Spearman C. (1904), *American Journal of Psychology* 15(1).
    """
    require_columns(ours, ("id", "apl"), table="ours", fix=str(Message("drees.fix_ours")))
    left = ours.drop(columns=[c for c in ("nom", "dep") if c in ours.columns])
    left = left.assign(id=left["id"].astype(str))
    names = _names(communes, left["id"])
    left = left.merge(names, on="id", how="left")
    overall = compare_with_drees(left, published, year=year, top=top)
    if overall.n == 0:
        raise ValidationError("drees.no_common_commune", field="ours", year=year)
    table = overall.table.merge(names[["id", "dep"]], on="id", how="left")
    if "method" in left.columns:
        table = table.merge(left[["id", "method"]], on="id", how="left")
    table["rank_gap"] = table["apl"].rank(pct=True) - table["apl_drees"].rank(pct=True)
    if "pop_std_drees" not in table.columns:
        table["pop_std_drees"] = np.nan
    order = ["id", "nom", "dep", "apl", "apl_drees", "diff", "rank_gap"]
    table = table[[*order, *[c for c in table.columns if c not in order]]]
    # the same communes, in the same order, as the territory comparison lists them
    largest = overall.largest[["id"]].merge(table, on="id", how="left")
    matched = set(table["id"])
    return NationalComparison(
        communes=table,
        departments=_departments(table),
        largest=largest,
        spearman=overall.spearman,
        spearman_u65=overall.spearman_u65,
        mean_abs_diff=overall.mean_abs_diff,
        mean_abs_diff_u65=overall.mean_abs_diff_u65,
        mean_diff=float(table["diff"].mean()) if len(table) else math.nan,
        apl_mean=overall.apl_mean,
        apl_drees_mean=overall.apl_drees_mean,
        year=overall.year,
        n=overall.n,
        unmatched=tuple(sorted(i for i in left["id"] if i not in matched)),
        methods=_methods(table),
    )


def _names(communes: pd.DataFrame | None, ids: pd.Series) -> pd.DataFrame:
    """``id``, ``nom``, ``dep`` for every modelled id (department from the code when unknown)."""
    frame = pd.DataFrame({"id": ids.to_numpy()})
    if communes is not None:
        key = "code" if "code" in communes.columns else "id"
        require_columns(communes, (key,), table="communes", fix=str(Message("drees.fix_names")))
        known = pd.DataFrame(communes.drop(columns="geometry", errors="ignore"))
        known = known.assign(id=known[key].astype(str))
        keep = ["id", *[c for c in ("nom", "dep") if c in known.columns]]
        frame = frame.merge(known[keep].drop_duplicates("id"), on="id", how="left")
    if "nom" not in frame.columns:
        frame["nom"] = ""
    code_dep = _department_of(frame["id"])
    frame["dep"] = frame["dep"].fillna(code_dep) if "dep" in frame.columns else code_dep
    frame["nom"] = frame["nom"].fillna("").astype(str)
    frame["dep"] = frame["dep"].astype(str)
    return frame[["id", "nom", "dep"]]
