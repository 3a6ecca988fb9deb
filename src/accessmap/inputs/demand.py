"""Demand per commune: the one definition of the standardised population used everywhere."""

from __future__ import annotations

import pandas as pd

__all__ = ["demand_table"]


def demand_table(study_area: pd.DataFrame, published: pd.DataFrame | None) -> pd.DataFrame:
    """Demand per commune: population, DREES standardised population, territory flag.

    This is the **only** place the standardised population of a commune is defined: every
    command and the diagnostic take demand from here, so ``indicators`` and ``diagnose`` give the
    same APL for the same commune.

    Parameters
    ----------
    study_area
        Communes (``code``, ``population``, optional ``in_territory``).
    published
        DREES published APL (``code``, ``year``, ``pop_std``, ``pop_total``) or ``None``.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``population``, ``pop_std`` (today's population légale times the commune's
        ratio of standardised to total population in the latest DREES vintage; the population
        itself where DREES has none), ``in_territory`` (True when the column is absent).

    References
    ----------
    DREES, APL methodology: demand is the population weighted by the consumption of care of its
    19 age bands (age-standardised population).
    """
    inside = study_area.get("in_territory", True)
    demand = pd.DataFrame(
        {
            "id": study_area["code"].astype(str).to_numpy(),
            "population": study_area["population"].astype(float).to_numpy(),
            "in_territory": pd.Series(inside, index=study_area.index).astype(bool).to_numpy(),
        }
    )
    pop_std = demand["population"].copy()
    if published is not None and not published.empty:
        latest = published[published["year"] == published["year"].max()]
        ratio = (latest["pop_std"] / latest["pop_total"]).where(latest["pop_total"] > 0)
        by_code = pd.Series(ratio.to_numpy(), index=latest["code"].astype(str).to_numpy())
        factor = demand["id"].map(by_code)
        pop_std = (demand["population"] * factor).fillna(demand["population"])
    demand["pop_std"] = pop_std.astype(float)
    return demand
