"""The one count of communes losing their last GP, read by the verdict, the options and the CSVs.

Definition (issue 20, point 5): a territory commune **loses its last GP** by the decision year
when it has a GP today and none in the **median** Monte Carlo draw of that year, i.e. when the
share of the draws in which it has none is at least one half
(:data:`accessmap.workforce.LOSS_PROBABILITY`); its year is the first year that share reaches one
half. :func:`losing_last` computes that table once
(:attr:`accessmap.diagnostic.Diagnostic.losing_last`); :func:`with_losing_counts` writes the
same count into the options table: an option avoids a loss when it places a practitioner in that
commune.

References
----------
:func:`accessmap.workforce.communes_losing_last`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from accessmap.workforce import communes_losing_last

if TYPE_CHECKING:
    from accessmap.workforce import Outlook

__all__ = ["losing_last", "with_losing_counts"]


def losing_last(outlook: Outlook, *, year: int) -> pd.DataFrame:
    """Return every territory commune with a GP today and whether it has none in ``year``.

    Parameters
    ----------
    outlook
        The Monte Carlo outlook (probabilities are shares of its draws).
    year
        The decision year (within the outlook).

    Returns
    -------
    pandas.DataFrame
        ``commune_code, year, p_without, lost, first_year`` (territory only, losses first); the
        count is ``table["lost"].sum()``.

    References
    ----------
    :func:`accessmap.workforce.communes_losing_last`.
    """
    table = communes_losing_last(outlook, year=year)
    table = table[table["zone"] == "territory"].drop(columns=["zone"])
    return table.reset_index(drop=True)


def with_losing_counts(
    summary: pd.DataFrame, losing: pd.DataFrame, *, site_communes: Mapping[str, str]
) -> pd.DataFrame:
    """Write the one count of communes losing their last GP into the options table.

    Parameters
    ----------
    summary
        The options side by side (``option, year, new_sites``...).
    losing
        :func:`losing_last`.
    site_communes
        INSEE code of the commune of each site id (a town hall is its own commune).

    Returns
    -------
    pandas.DataFrame
        ``summary`` with ``communes_losing_last_gp`` (rows of the decision year: the communes
        lost minus those where the option places a practitioner; today's rows: 0) and
        ``losing_last_gp_avoided``.
    """
    lost = set(losing.loc[losing["lost"], "commune_code"].astype(str)) if len(losing) else set()
    year = int(losing["year"].iloc[0]) if len(losing) else None
    out = summary.copy()
    counts, avoided = [], []
    for row_year, sites in zip(out["year"], out["new_sites"].fillna(""), strict=True):
        if pd.isna(row_year) or year is None or int(row_year) != year:
            counts.append(0)
            avoided.append(0)
            continue
        here = {str(site_communes.get(s.strip(), s.strip())) for s in str(sites).split(",")}
        counts.append(len(lost - here))
        avoided.append(len(lost & here))
    out["communes_losing_last_gp"] = counts
    out["losing_last_gp_avoided"] = avoided
    return out
