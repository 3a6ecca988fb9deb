"""Inequality and poverty of accessibility: Gini, Palma, Theil T, concentration index, FGT.

Each function summarises an accessibility table (``id``, a value column, optional grouping
columns such as a scenario or a profession) over the people of a demand table (``id``,
``population``, and the income or socio-economic group some measures need). Every row of the
accessibility table is one place weighted by its population; the result has one row per group
(one row in all without ``group_by``), groups sorted.

Inputs are checked at the boundary with catalogued errors (``measures.*``): a missing column, a
NaN, infinite or negative accessibility, a NaN or negative population, a NaN income, an id of the
accessibility table absent from the demand table, a repeated id within a group.

The definitions and the test values are those of IPEA ``accessibility`` (``gini_index``,
``palma_ratio``, ``theil_t``, ``concentration_index``, ``fgt_poverty``), reproduced by
``tests/test_ipea_parity.py``. Two deliberate differences, where IPEA's result depends on
something it should not: places with zero accessibility count in the Theil T with
``0 ln 0 = 0`` (IPEA drops them from the weights without groups and returns NaN with groups), and
places of equal income share one fractional rank in the concentration index (IPEA's depends on
the row order of ties).

References
----------
Gini C. (1912), *Variabilità e mutabilità*, Bologna: Cuppini.
Palma J. G. (2011), "Homogeneous middles vs. heterogeneous tails, and the end of the 'inverted-U':
it's all about the share of the rich", *Development and Change* 42(1): 87-153; Cobham A., Sumner
A. (2013), "Is it all about the tails? The Palma measure of income inequality", CGD WP 343.
Theil H. (1967), *Economics and Information Theory*, Amsterdam: North-Holland.
Kakwani N., Wagstaff A., van Doorslaer E. (1997), "Socioeconomic inequalities in health:
measurement, computation, and statistical inference", *Journal of Econometrics* 77(1): 87-103;
van Doorslaer E., Koolman X. (2004), "Explaining the differences in income-related health
inequalities across European countries", *Health Economics* 13(7): 609-628 (fractional rank);
Erreygers G. (2009), "Correcting the concentration index", *Journal of Health Economics* 28(2):
504-515.
Foster J., Greer J., Thorbecke E. (1984), "A class of decomposable poverty measures",
*Econometrica* 52(3): 761-766.
Pereira R. H. M., Herszenhut D. (2023), *Introduction to urban accessibility: a practical guide
with R*, IPEA, ch. 5; IPEA ``accessibility`` R package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from accessmap.errors import ValidationError
from accessmap.indicators._common import FloatArray

__all__ = [
    "TheilDecomposition",
    "concentration_index",
    "fgt_poverty",
    "gini_index",
    "palma_ratio",
    "theil_t",
    "weighted_quantile",
]

#: Columns of the joined working table (prefixed so that they cannot clash with a group column).
_X, _POP, _INCOME, _SOCIO = "__x", "__pop", "__income", "__socio"


def _require(frame: object, columns: Sequence[str], *, table: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise ValidationError("measures.not_a_table", field=table, columns=list(columns))
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValidationError(
            "measures.missing_columns", field=f"{table}.{missing[0]}", columns=missing
        )
    return frame


def _finite(
    values: pd.Series,
    *,
    field: str,
    ids: pd.Series,
    negative: bool,
    empty: FloatArray | None = None,
) -> FloatArray:
    """Return ``values`` as floats; refuse NaN, infinite or (unless ``negative``) negative ones.

    ``empty`` marks the places without people, where a missing value (NaN) weighs nothing and is
    accepted (IPEA's data leave the income of empty places missing).
    """
    arr = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(arr) if negative else ~np.isfinite(arr) | (arr < 0)
    if empty is not None:
        bad &= ~(np.isnan(arr) & empty.astype(bool))
    if bool(bad.any()) and negative:
        raise ValidationError("measures.invalid_values", field=field, ids=ids[bad].tolist())
    if bool(bad.any()):
        raise ValidationError("measures.invalid_counts", field=field, ids=ids[bad].tolist())
    return arr


def _check_group_by(group_by: Sequence[str], *, column: str) -> list[str]:
    groups = [group_by] if isinstance(group_by, str) else list(group_by)
    if len(set(groups)) != len(groups) or {"id", column} & set(groups):
        raise ValidationError("measures.group_by", field="group_by", group_by=groups)
    return groups


def _joined(
    access: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    column: str,
    population: str,
    group_by: Sequence[str],
    extra: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Join the accessibility rows to their population (and ``extra`` demand columns), checked."""
    groups = _check_group_by(group_by, column=column)
    frame = _require(access, ["id", column, *groups], table="access")
    wanted = {_POP: population, **(extra or {})}
    people = _require(demand, ["id", *wanted.values()], table="demand")
    ids = people["id"].astype(str)
    if bool(ids.duplicated().any()):
        raise ValidationError(
            "measures.duplicate_ids", field="demand.id", ids=ids[ids.duplicated()].tolist()
        )
    table = pd.DataFrame({"id": ids.to_numpy(dtype=object)})
    table[_POP] = _finite(people[population], field=f"demand.{population}", ids=ids, negative=False)
    empty = table[_POP].to_numpy() == 0
    for key, name in (extra or {}).items():
        table[key] = (
            people[name].to_numpy()
            if key == _SOCIO
            else _finite(people[name], field=f"demand.{name}", ids=ids, negative=True, empty=empty)
        )
    if _SOCIO in table and bool((table[_SOCIO].isna() & ~empty).any()):
        raise ValidationError(
            "measures.invalid_values",
            field=f"demand.{wanted[_SOCIO]}",
            ids=ids[(table[_SOCIO].isna() & ~empty).to_numpy()].tolist(),
        )
    rows = frame[[*groups]].copy()
    rows["id"] = frame["id"].astype(str).to_numpy(dtype=object)
    rows[_X] = _finite(frame[column], field=f"access.{column}", ids=rows["id"], negative=False)
    repeated = rows.duplicated(["id", *groups])
    if bool(repeated.any()):
        raise ValidationError(
            "measures.duplicate_ids", field="access.id", ids=rows.loc[repeated, "id"].tolist()
        )
    unknown = ~rows["id"].isin(table["id"])
    if bool(unknown.any()):
        raise ValidationError(
            "measures.unknown_ids", field="access.id", ids=rows.loc[unknown, "id"].tolist()
        )
    return rows.merge(table, on="id", how="left", validate="many_to_one"), groups


def _by_group(
    frame: pd.DataFrame, groups: list[str]
) -> Iterator[tuple[tuple[object, ...], pd.DataFrame]]:
    if not groups:
        if len(frame):
            yield (), frame
        return
    for key, part in frame.groupby(groups, sort=True, dropna=False):
        yield (key if isinstance(key, tuple) else (key,)), part


def _summarise(
    frame: pd.DataFrame,
    groups: list[str],
    columns: Sequence[str],
    compute: Callable[[pd.DataFrame], Sequence[float]],
) -> pd.DataFrame:
    rows = [(*key, *compute(part)) for key, part in _by_group(frame, groups)]
    out = pd.DataFrame(rows, columns=[*groups, *columns])
    for name in columns:
        out[name] = out[name].astype(np.float64)
    for name in groups:
        if not rows:
            out[name] = out[name].astype(frame[name].dtype)
    return out


def _mean(x: FloatArray, w: FloatArray) -> float:
    total = float(w.sum())
    return float((x * w).sum() / total) if total > 0 else np.nan


def gini_index(
    access: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    column: str = "access",
    population: str = "population",
    group_by: Sequence[str] = (),
) -> pd.DataFrame:
    r"""Gini index of accessibility among people (1 minus twice the area under the Lorenz curve).

    Places are sorted by accessibility; with :math:`p_k` their population shares and
    :math:`L_k` the cumulative share of the total accessibility (population times value) held by
    the first :math:`k` places, :math:`G = 1 - \sum_k p_k (L_{k-1} + L_k)`. Ties do not matter.
    0 is perfect equality; NaN when the group has no people or no accessibility at all.

    Parameters
    ----------
    access
        ``id``, ``column`` and the ``group_by`` columns (one row per id and group).
    demand
        ``id`` and ``population`` for every id of ``access``.
    column
        Accessibility column (finite, >= 0).
    population
        Population column of ``demand`` (finite, >= 0).
    group_by
        Columns of ``access`` to summarise separately (scenario, profession...).

    Returns
    -------
    pandas.DataFrame
        The ``group_by`` columns and ``gini_index``.

    Raises
    ------
    ValidationError
        Missing column, NaN/negative values, unknown or repeated ids, invalid ``group_by``.

    References
    ----------
    Gini C. (1912), *Variabilità e mutabilità*; IPEA ``accessibility`` (``gini_index``).
    """
    frame, groups = _joined(access, demand, column=column, population=population, group_by=group_by)

    def gini(part: pd.DataFrame) -> tuple[float]:
        ordered = part.sort_values(_X, kind="mergesort")
        x, w = ordered[_X].to_numpy(), ordered[_POP].to_numpy()
        mass = w * x
        if w.sum() <= 0 or mass.sum() <= 0:
            return (np.nan,)
        share = np.cumsum(mass) / mass.sum()
        area = float(((np.r_[0.0, share[:-1]] + share) * w / w.sum()).sum()) / 2.0
        return (1.0 - 2.0 * area,)

    return _summarise(frame, groups, ["gini_index"], gini)


def weighted_quantile(
    values: Sequence[float] | FloatArray,
    weights: Sequence[float] | FloatArray,
    probs: Sequence[float],
) -> FloatArray:
    r"""Weighted quantiles as ``Hmisc::wtd.quantile`` (``type = "quantile"``, ``normwt = FALSE``).

    Weights act as frequencies: with :math:`n` the total weight, the quantile of probability
    :math:`p` interpolates between the order statistics :math:`\lfloor 1 + (n - 1) p \rfloor`
    and the next one, the order statistic :math:`k` being the smallest value whose cumulative
    weight reaches :math:`k`. Values of zero weight are ignored.

    Parameters
    ----------
    values
        Values (finite).
    weights
        Frequency weights (finite, >= 0).
    probs
        Probabilities in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray
        One quantile per probability (NaN when every weight is 0).

    References
    ----------
    Harrell F. E., ``Hmisc`` R package (``wtd.quantile``), used by IPEA ``palma_ratio``; Hyndman
    R. J., Fan Y. (1996), "Sample quantiles in statistical packages", *The American Statistician*
    50(4): 361-365 (type 7).
    """
    x = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    p = np.asarray(probs, dtype=np.float64)
    keep = w > 0
    if not keep.any():
        return np.full(len(p), np.nan)
    uniques, inverse = np.unique(x[keep], return_inverse=True)
    cum = np.cumsum(np.bincount(inverse, weights=w[keep]))
    n = cum[-1]
    order = 1.0 + (n - 1.0) * p
    low = np.maximum(np.floor(order), 1.0)
    high = np.minimum(low + 1.0, n)
    frac = order % 1.0

    def statistic(k: FloatArray) -> FloatArray:
        return uniques[np.minimum(np.searchsorted(cum, k, side="left"), len(cum) - 1)]

    return np.asarray((1.0 - frac) * statistic(low) + frac * statistic(high), dtype=np.float64)


def palma_ratio(
    access: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    column: str = "access",
    population: str = "population",
    income: str = "income",
    group_by: Sequence[str] = (),
) -> pd.DataFrame:
    """Palma ratio: mean accessibility of the richest 10 % over that of the poorest 40 %.

    The income deciles are weighted quantiles of ``income`` over **every** row of ``demand``
    (:func:`weighted_quantile`, as IPEA with ``Hmisc``); the poorest are the places with an income
    at or below the 40th percentile, the richest those strictly above the 90th. Means are weighted
    by population. NaN for a group where either side has nobody.

    Parameters
    ----------
    access
        ``id``, ``column`` and the ``group_by`` columns.
    demand
        ``id``, ``population``, ``income`` (finite) for every place.
    column, population, group_by
        As :func:`gini_index`.
    income
        Income column of ``demand`` (per inhabitant).

    Returns
    -------
    pandas.DataFrame
        The ``group_by`` columns and ``palma_ratio``.

    Raises
    ------
    ValidationError
        As :func:`gini_index`, and a NaN income.

    References
    ----------
    Palma J. G. (2011), *Development and Change* 42(1): 87-153; Cobham A., Sumner A. (2013), CGD
    WP 343; IPEA ``accessibility`` (``palma_ratio``).
    """
    frame, groups = _joined(
        access,
        demand,
        column=column,
        population=population,
        group_by=group_by,
        extra={_INCOME: income},
    )
    ids = demand["id"].astype(str)
    weights = _finite(demand[population], field=f"demand.{population}", ids=ids, negative=False)
    base = _finite(
        demand[income], field=f"demand.{income}", ids=ids, negative=True, empty=weights == 0
    )
    poorest, richest = weighted_quantile(base, weights, [0.4, 0.9])

    def palma(part: pd.DataFrame) -> tuple[float]:
        x, w, r = part[_X].to_numpy(), part[_POP].to_numpy(), part[_INCOME].to_numpy()
        top, bottom = _mean(x[r > richest], w[r > richest]), _mean(x[r <= poorest], w[r <= poorest])
        return (top / bottom if bottom > 0 else np.nan,)

    return _summarise(frame, groups, ["palma_ratio"], palma)


def _theil(x: FloatArray, w: FloatArray) -> float:
    """Population-weighted Theil T of ``x`` with ``0 ln 0 = 0`` (NaN without people or access)."""
    mean = _mean(x, w)
    if not mean > 0:
        return np.nan
    r = x / mean
    terms = np.where(r > 0, r * np.log(np.where(r > 0, r, 1.0)), 0.0)
    return _mean(terms, w)


@dataclass(frozen=True, slots=True)
class TheilDecomposition:
    r"""Theil T split into between-group and within-group inequality.

    Attributes
    ----------
    summary
        The ``group_by`` columns, ``component`` (``between_group``, ``within_group``, ``total``),
        ``value`` and ``share_of_total``.
    within_group
        The ``group_by`` columns, the socio-economic group, ``value`` (the group's Theil T times
        its share of the total accessibility) and ``share_of_component``.
    between_group
        The ``group_by`` columns, the socio-economic group and ``value``
        (:math:`s_g \ln(s_g / p_g)`, its accessibility share :math:`s_g` and population share
        :math:`p_g`).
    """

    summary: pd.DataFrame
    within_group: pd.DataFrame
    between_group: pd.DataFrame


def theil_t(
    access: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    column: str = "access",
    population: str = "population",
    socioeconomic_groups: str | None = None,
    group_by: Sequence[str] = (),
) -> pd.DataFrame | TheilDecomposition:
    r"""Theil T index of accessibility, optionally decomposed by socio-economic group.

    .. math:: T = \frac{1}{N} \sum_i P_i \frac{x_i}{\mu} \ln \frac{x_i}{\mu}

    over people (:math:`N = \sum_i P_i`, :math:`\mu` the mean accessibility per person), with
    :math:`0 \ln 0 = 0`. With ``socioeconomic_groups``, :math:`T = T_B + T_W`: the between-group
    part is the Theil T of the group means, the within-group part the groups' own Theil T weighted
    by their share of the total accessibility. NaN where the mean is 0.

    Parameters
    ----------
    access
        ``id``, ``column`` and the ``group_by`` columns.
    demand
        ``id``, ``population`` (and ``socioeconomic_groups``, no missing value).
    column, population, group_by
        As :func:`gini_index`.
    socioeconomic_groups
        Column of ``demand`` holding each place's group (income decile...), or ``None``.

    Returns
    -------
    pandas.DataFrame or TheilDecomposition
        Without groups, the ``group_by`` columns and ``theil_t``; with them, the decomposition.

    Raises
    ------
    ValidationError
        As :func:`gini_index`, and a missing socio-economic group.

    References
    ----------
    Theil H. (1967), *Economics and Information Theory*; Shorrocks A. F. (1980), "The class of
    additively decomposable inequality measures", *Econometrica* 48(3): 613-625; IPEA
    ``accessibility`` (``theil_t``).
    """
    extra = None if socioeconomic_groups is None else {_SOCIO: socioeconomic_groups}
    frame, groups = _joined(
        access, demand, column=column, population=population, group_by=group_by, extra=extra
    )
    if socioeconomic_groups is None:
        return _summarise(
            frame, groups, ["theil_t"], lambda p: (_theil(p[_X].to_numpy(), p[_POP].to_numpy()),)
        )
    return _theil_decomposition(frame, groups, socioeconomic_groups)


def _theil_components(frame: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """One row per outer group and socio-economic group: within value and between value."""
    rows = []
    for key, part in _by_group(frame, groups):
        mass = part[_X] * part[_POP]
        tot_access, tot_pop = float(mass.sum()), float(part[_POP].sum())
        for socio, sub in part.groupby(_SOCIO, sort=True, observed=True):
            g_access, g_pop = float((sub[_X] * sub[_POP]).sum()), float(sub[_POP].sum())
            s = g_access / tot_access if tot_access > 0 else np.nan
            p = g_pop / tot_pop if tot_pop > 0 else np.nan
            inner = _theil(sub[_X].to_numpy(), sub[_POP].to_numpy()) if g_access > 0 else 0.0
            between = s * np.log(s / p) if s > 0 else (0.0 if s == 0 else np.nan)
            rows.append((*key, socio, inner * s if s > 0 else 0.0 * s, between))
    return pd.DataFrame(rows, columns=[*groups, _SOCIO, "within", "between"])


def _theil_decomposition(frame: pd.DataFrame, groups: list[str], socio: str) -> TheilDecomposition:
    parts = _theil_components(frame, groups)
    for name in groups:
        parts[name] = parts[name].astype(frame[name].dtype)
    parts[_SOCIO] = parts[_SOCIO].astype(frame[_SOCIO].dtype)
    rows: list[tuple[object, ...]] = []
    shares = np.full(len(parts), np.nan)
    for key, part in _by_group(parts, groups):
        between, within = float(part["between"].sum()), float(part["within"].sum())
        total = between + within
        for name, value in (("between_group", between), ("within_group", within), ("total", total)):
            rows.append((*key, name, value, value / total if total != 0 else np.nan))
        if within != 0:
            shares[parts.index.get_indexer(part.index)] = part["within"].to_numpy() / within
    summary = pd.DataFrame(rows, columns=[*groups, "component", "value", "share_of_total"])
    order = summary["component"].map({"between_group": 0, "within_group": 1, "total": 2})
    summary = summary.iloc[np.lexsort((np.arange(len(summary)), order.to_numpy()))]
    summary[["value", "share_of_total"]] = summary[["value", "share_of_total"]].astype(np.float64)
    keys = parts[[*groups, _SOCIO]].rename(columns={_SOCIO: socio})
    return TheilDecomposition(
        summary=summary.reset_index(drop=True),
        within_group=keys.assign(value=parts["within"], share_of_component=shares),
        between_group=keys.assign(value=parts["between"]),
    )


def concentration_index(
    access: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    column: str = "access",
    population: str = "population",
    income: str = "income",
    kind: Literal["standard", "corrected"] = "standard",
    group_by: Sequence[str] = (),
) -> pd.DataFrame:
    r"""Income-related concentration index of accessibility (standard, or Erreygers-corrected).

    Places are ranked by income; :math:`R_i` is the fractional rank of place :math:`i` (the
    population share of the poorer places plus half its own; places of equal income share the
    mean rank of their block), :math:`p_i` its population share and :math:`\mu` the mean
    accessibility per person:

    .. math:: C = \frac{2}{\mu} \sum_i p_i (x_i - \mu) (R_i - \tfrac{1}{2})

    Negative when accessibility concentrates among the poor. The corrected index (Erreygers 2009)
    is :math:`E = \frac{4 \mu}{x_{max} - x_{min}} C`. NaN when :math:`\mu = 0` (standard) or when
    every value is equal (corrected).

    Parameters
    ----------
    access
        ``id``, ``column`` and the ``group_by`` columns.
    demand
        ``id``, ``population``, ``income`` (finite).
    column, population, group_by
        As :func:`gini_index`.
    income
        Income column of ``demand``.
    kind
        ``"standard"`` or ``"corrected"``.

    Returns
    -------
    pandas.DataFrame
        The ``group_by`` columns and ``concentration_index``.

    Raises
    ------
    ValidationError
        As :func:`palma_ratio`, and an unknown ``kind``.

    References
    ----------
    Kakwani N., Wagstaff A., van Doorslaer E. (1997), *Journal of Econometrics* 77(1): 87-103;
    van Doorslaer E., Koolman X. (2004), *Health Economics* 13(7): 609-628; Erreygers G. (2009),
    *Journal of Health Economics* 28(2): 504-515; IPEA ``accessibility``
    (``concentration_index``).
    """
    if kind not in ("standard", "corrected"):
        raise ValidationError("measures.concentration_kind", field="kind", kind=kind)
    frame, groups = _joined(
        access,
        demand,
        column=column,
        population=population,
        group_by=group_by,
        extra={_INCOME: income},
    )

    def index(part: pd.DataFrame) -> tuple[float]:
        x, w, r = part[_X].to_numpy(), part[_POP].to_numpy(), part[_INCOME].to_numpy()
        mean, total = _mean(x, w), float(w.sum())
        if not mean > 0:
            return (np.nan,)
        share = w / total
        block, inverse = np.unique(r, return_inverse=True)
        block_share = np.bincount(inverse, weights=share, minlength=len(block))
        rank = (np.cumsum(block_share) - block_share / 2.0)[inverse]
        ci = 2.0 * float((share * (x - mean) * (rank - 0.5)).sum()) / mean
        if kind == "standard":
            return (ci,)
        spread = float(x.max() - x.min())
        return (ci * 4.0 * mean / spread if spread > 0 else np.nan,)

    return _summarise(frame, groups, ["concentration_index"], index)


def fgt_poverty(
    access: pd.DataFrame,
    *,
    demand: pd.DataFrame,
    poverty_line: float,
    column: str = "access",
    population: str = "population",
    group_by: Sequence[str] = (),
) -> pd.DataFrame:
    r"""Foster-Greer-Thorbecke poverty measures of accessibility: FGT0, FGT1, FGT2.

    .. math:: FGT_\alpha = \frac{1}{N} \sum_{i:\,x_i < z} P_i \left(\frac{z - x_i}{z}\right)^\alpha

    FGT0 is the share of people below the poverty line :math:`z` (headcount), FGT1 the mean
    normalised shortfall (depth), FGT2 its square (severity). NaN where the group has no people.

    Parameters
    ----------
    access
        ``id``, ``column`` and the ``group_by`` columns.
    demand
        ``id`` and ``population``.
    poverty_line
        :math:`z`, in the unit of ``column`` (finite, >= 0; 0 means nobody is poor).
    column, population, group_by
        As :func:`gini_index`.

    Returns
    -------
    pandas.DataFrame
        The ``group_by`` columns, ``fgt0``, ``fgt1``, ``fgt2``.

    Raises
    ------
    ValidationError
        As :func:`gini_index`, and a negative or non-finite poverty line.

    References
    ----------
    Foster J., Greer J., Thorbecke E. (1984), *Econometrica* 52(3): 761-766; IPEA
    ``accessibility`` (``fgt_poverty``).
    """
    line = pd.to_numeric(pd.Series([poverty_line]), errors="coerce").to_numpy(dtype=np.float64)[0]
    if isinstance(poverty_line, bool) or not (np.isfinite(line) and line >= 0):
        raise ValidationError("measures.poverty_line", field="poverty_line", value=poverty_line)
    frame, groups = _joined(access, demand, column=column, population=population, group_by=group_by)

    def fgt(part: pd.DataFrame) -> tuple[float, float, float]:
        x, w = part[_X].to_numpy(), part[_POP].to_numpy()
        below = x < line
        gap = np.where(below, (line - x) / line if line > 0 else 0.0, 0.0)
        return (_mean(below.astype(np.float64), w), _mean(gap, w), _mean(gap**2, w))

    return _summarise(frame, groups, ["fgt0", "fgt1", "fgt2"], fgt)
