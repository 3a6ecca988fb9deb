"""The official figures first: the published DREES APL of a territory, and model effects on it.

A mayor can look the published APL up on CartoSanté; the report leads with it. The model
explains and projects *changes*: an option's effect on a commune is the modelled APL with the
option minus the modelled baseline, and "APL officiel + effet modélisé" adds that effect to the
published value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from accessmap.contracts import require_columns
from accessmap.conventions import APL_PRIORITY, APL_SECONDARY
from accessmap.errors import ValidationError
from accessmap.messages import Message

__all__ = ["OfficialApl", "official_apl", "official_plus_effect"]


@dataclass(frozen=True, slots=True)
class OfficialApl:
    """The published DREES APL of a territory, summarised as the DREES notes do.

    Attributes
    ----------
    year
        DREES vintage.
    apl
        Territory APL: mean of the communes' published APL weighted by their standardised
        population.
    communes_priority, pop_priority
        Communes with a published APL below :data:`~accessmap.conventions.APL_PRIORITY` (2.5) and
        their inhabitants (non-standardised population, as the DREES note counts them).
    communes_secondary, pop_secondary
        Same for 2.5 <= APL < 4.
    population
        Inhabitants of the communes with a published value.
    n
        Communes with a published value.
    missing
        Territory communes without a published value (merged since, or absent).
    """

    year: int
    apl: float
    communes_priority: int
    pop_priority: float
    communes_secondary: int
    pop_secondary: float
    population: float
    n: int
    missing: tuple[str, ...]


def _vintage(published: pd.DataFrame, year: int | None) -> tuple[int, pd.DataFrame]:
    require_columns(
        published,
        ("code", "year", "apl", "pop_std", "pop_total"),
        table="published",
        fix=str(Message("drees.fix_published")),
    )
    years = sorted(int(y) for y in published["year"].unique())
    if not years:
        raise ValidationError("drees.no_published_apl", field="published")
    chosen = years[-1] if year is None else int(year)
    if chosen not in years:
        raise ValidationError("drees.no_published_year", field="year", year=chosen, years=years)
    return chosen, published[published["year"].astype(int) == chosen]


def official_apl(
    published: pd.DataFrame, *, codes: Iterable[str], year: int | None = None
) -> OfficialApl:
    """Summarise the published APL over a territory's communes.

    Parameters
    ----------
    published
        ``code``, ``year``, ``apl``, ``pop_std``, ``pop_total`` (DREES workbook).
    codes
        The territory's INSEE codes.
    year
        Vintage (default: the latest published).

    Returns
    -------
    OfficialApl

    Raises
    ------
    ValidationError
        Missing columns, unknown vintage, or no territory commune in the published table.

    References
    ----------
    DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes »: communes
    under 2.5 consultations per standardised inhabitant are counted with their population.
    """
    chosen, pub = _vintage(published, year)
    wanted = [str(c) for c in codes]
    rows = pub[pub["code"].astype(str).isin(set(wanted))]
    rows = rows[rows["apl"].notna()]
    if rows.empty:
        raise ValidationError("drees.no_territory_commune", field="published")
    apl = rows["apl"].to_numpy(dtype=np.float64)
    weight = rows["pop_std"].to_numpy(dtype=np.float64)
    people = rows["pop_total"].to_numpy(dtype=np.float64)
    priority = apl < APL_PRIORITY
    secondary = (apl >= APL_PRIORITY) & (apl < APL_SECONDARY)
    return OfficialApl(
        year=chosen,
        apl=float(np.average(apl, weights=weight)) if weight.sum() > 0 else float(apl.mean()),
        communes_priority=int(priority.sum()),
        pop_priority=float(people[priority].sum()),
        communes_secondary=int(secondary.sum()),
        pop_secondary=float(people[secondary].sum()),
        population=float(people.sum()),
        n=len(rows),
        missing=tuple(sorted(set(wanted) - set(rows["code"].astype(str)))),
    )


def official_plus_effect(
    communes: pd.DataFrame,
    published: pd.DataFrame,
    *,
    baseline: str,
    year: int | None = None,
) -> pd.DataFrame:
    """Apply each option's modelled effect to the published APL, commune by commune.

    Parameters
    ----------
    communes
        One row per option and commune: ``option``, ``id``, ``apl`` (modelled), ``pop_std``,
        ``population``, ``in_territory`` (:class:`accessmap.options.Comparison.communes`).
    published
        DREES published APL.
    baseline
        The option that is the model's baseline (today, no change).
    year
        Vintage (default: the latest).

    Returns
    -------
    pandas.DataFrame
        One row per option: ``option``, ``apl_official_plus_effect`` (territory mean weighted by
        standardised population), ``communes_priority_official_plus_effect`` and
        ``pop_priority_official_plus_effect`` (published APL + effect below 2.5).

    Raises
    ------
    ValidationError
        Missing columns or an unknown baseline option.

    References
    ----------
    DREES APL (2012, 2023); the effect is the model's difference, the level the official one.
    """
    table = require_columns(
        communes, ("option", "id", "apl", "pop_std", "population"), table="communes"
    )
    if baseline not in set(table["option"]):
        raise ValidationError(
            "drees.unknown_baseline",
            field="baseline",
            value=baseline,
            options=sorted(str(o) for o in set(table["option"])),
        )
    _, pub = _vintage(published, year)
    official = pub.set_index(pub["code"].astype(str))["apl"]
    inside = table[table["in_territory"]] if "in_territory" in table.columns else table
    base = inside[inside["option"] == baseline].set_index("id")["apl"]
    rows = []
    for option, group in inside.groupby("option", sort=False):
        frame = group.set_index("id")
        effect = frame["apl"] - base.reindex(frame.index)
        value = official.reindex(frame.index) + effect
        ok = value.notna()
        weight = frame.loc[ok, "pop_std"].to_numpy(dtype=np.float64)
        below = (value[ok] < APL_PRIORITY).to_numpy()
        rows.append(
            {
                "option": option,
                "apl_official_plus_effect": float(np.average(value[ok], weights=weight))
                if weight.sum() > 0
                else float("nan"),
                "communes_priority_official_plus_effect": int(below.sum()),
                "pop_priority_official_plus_effect": float(
                    frame.loc[ok, "population"].to_numpy(dtype=np.float64)[below].sum()
                ),
            }
        )
    return pd.DataFrame(rows)
