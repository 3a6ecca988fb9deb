"""One definition per count: the communes losing their last practitioner, computed once.

**Definition.** A commune *loses its last practitioner by year y* when it has at least one
practitioner practising in it today (the outlook's start year) and **none in year y in the median
draw**, that is when the probability of having none that year (``p_without_gp`` of
:attr:`~accessmap.workforce.Outlook.losses`) is at least one half. The probability is given
alongside, with the first year it reaches one half and the probability that no practitioner at all
practises within 20 minutes of the commune that year (a commune can lose "its" GP while another
one practises a few minutes away).

The verdict, the option tables and the exported CSVs should all read :func:`communes_losing_last`
(see ``docs/workforce.md``, "One definition per count").
"""

from __future__ import annotations

import pandas as pd

from accessmap.conventions import BEYOND_MINUTES
from accessmap.errors import ValidationError
from accessmap.workforce.outlook import Outlook

__all__ = ["LOSS_PROBABILITY", "communes_losing_last"]

#: A commune counts as losing its last practitioner when the probability of having none that year
#: reaches this: the median draw has none.
LOSS_PROBABILITY = 0.5
_TOLERANCE = 1e-12


def communes_losing_last(outlook: Outlook, *, year: int | None = None) -> pd.DataFrame:
    """Return every commune with a practitioner today, and whether it has none in ``year``.

    Parameters
    ----------
    outlook
        A workforce outlook (expected or Monte Carlo; under the expected engine the probability is
        the exact one of the model, under Monte Carlo the share of the draws).
    year
        The year (default: the last of the outlook).

    Returns
    -------
    pandas.DataFrame
        One row per commune with a practitioner in the start year: ``commune_code``, ``zone``,
        ``year``, ``p_without`` (probability of having none in ``year``), ``lost`` (``p_without
        >= 0.5``: none in the median draw), ``first_year`` (first year the probability reaches
        one half; missing when it never does within the horizon), ``p_none_within_20``
        (probability that no practitioner practises within 20 minutes that year; missing when
        the outlook has no such threshold); sorted with the losses first, by first year and code.
        The count is ``table["lost"].sum()`` (restrict to ``zone == "territory"`` for the
        territory's).

    Raises
    ------
    ValidationError
        A year outside the outlook.

    References
    ----------
    Montagne limousine access-to-care study (2008-2011): "at least six bourgs would lose their
    doctor"; issue 20, point 5 (one definition per count).
    """
    chosen = max(outlook.years) if year is None else int(year)
    if chosen not in outlook.years:
        raise ValidationError(
            "workforce.year_outside", field="year", year=chosen, years=list(outlook.years)
        )
    losses = outlook.losses
    hit = losses[losses["p_without_gp"] >= LOSS_PROBABILITY - _TOLERANCE]
    first = hit[hit["year"] <= chosen].groupby("commune_code")["year"].min()
    now = losses[losses["year"] == chosen]
    table = pd.DataFrame(
        {
            "commune_code": now["commune_code"].astype(str).to_numpy(),
            "zone": now["zone"].to_numpy(),
            "year": chosen,
            "p_without": now["p_without_gp"].to_numpy(dtype=float),
        }
    )
    table["lost"] = table["p_without"] >= LOSS_PROBABILITY - _TOLERANCE
    table["first_year"] = table["commune_code"].map(first).astype("Int64")
    near = min(BEYOND_MINUTES)
    coverage = outlook.coverage
    if len(coverage) and (coverage["minutes"] == near).any():
        rows = coverage[(coverage["year"] == chosen) & (coverage["minutes"] == near)]
        p_near = rows.set_index(rows["commune_code"].astype(str))["p_beyond"]
        table["p_none_within_20"] = table["commune_code"].map(p_near).astype(float)
    else:
        table["p_none_within_20"] = float("nan")
    return table.sort_values(
        ["lost", "first_year", "commune_code"], ascending=[False, True, True], ignore_index=True
    )
