"""GP supply in an outlook year, and the sites that still count as staffed."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from accessmap.errors import ValidationError

if TYPE_CHECKING:
    from accessmap.contracts import AplParameters
    from accessmap.supply import Roster
    from accessmap.workforce import RetirementModel

__all__ = ["expected_supply", "staffed_sites"]


def expected_supply(
    roster: Roster,
    *,
    year: int,
    params: AplParameters | None = None,
    model: RetirementModel | None = None,
    start_year: int | None = None,
) -> pd.DataFrame:
    """Compute the expected GP supply per site in an outlook year, without replacements.

    Each GP's counted activity (DREES rules) times their probability of still practising in
    ``year`` (the retirement model of :mod:`accessmap.workforce`) times their share at the site.

    Parameters
    ----------
    roster
        Today's practitioners, sites and assignments.
    year
        Outlook year (``start_year`` gives today's supply).
    params
        APL parameters (default: DREES 2023).
    model
        Retirement model (default: :class:`accessmap.workforce.RetirementModel`).
    start_year
        Today (default: the current calendar year).

    Returns
    -------
    pandas.DataFrame
        ``site_id``, ``acts`` (expected counted acts per year), ``fte`` (expected FTE).

    Raises
    ------
    ValidationError
        A year before the start year.

    References
    ----------
    DREES, APL workbook 2023 (activity rules); CARMF, *Statistiques démographiques* (retirement
    ages), as used by :func:`accessmap.workforce.retirement_probabilities`.
    """
    from accessmap.indicators import counted_activity
    from accessmap.workforce import retirement_probabilities

    first = start_year if start_year is not None else datetime.datetime.now(tz=datetime.UTC).year
    if year < first:
        raise ValidationError("options.year_before_start", field="year", year=year, start=first)
    probs = retirement_probabilities(
        roster, model=model, start_year=first, horizon=max(1, year - first)
    )
    stopped = probs[probs["year"] == year].set_index("practitioner_id")["p_stopped"]
    prac = roster.practitioners
    acts = counted_activity(prac, params=params)
    ids = prac["practitioner_id"].astype(str).to_numpy()
    present = 1.0 - stopped.reindex(ids).fillna(0.0).to_numpy(dtype=np.float64)
    per_prac = pd.DataFrame(
        {
            "practitioner_id": ids,
            "acts": acts.to_numpy(dtype=np.float64) * present,
            "fte": prac["fte"].to_numpy(dtype=np.float64) * present,
        }
    )
    merged = roster.assignments.assign(
        practitioner_id=roster.assignments["practitioner_id"].astype(str)
    ).merge(per_prac, on="practitioner_id", how="inner")
    merged["acts"] *= merged["share"]
    merged["fte"] *= merged["share"]
    out = merged.groupby(merged["site_id"].astype(str))[["acts", "fte"]].sum()
    out = out.reindex(roster.sites["site_id"].astype(str), fill_value=0.0)
    out.index.name = "site_id"
    return out.reset_index()


def staffed_sites(supply: pd.DataFrame, *, min_fte: float = 0.5) -> list[str]:
    """Sites that count as open: expected FTE at least ``min_fte`` (or acts > 0 without FTE).

    In an outlook year a site's expected FTE is fractional (a sum of probabilities); a site
    counts as still staffed when it is more likely staffed than not (``min_fte = 0.5``).

    Parameters
    ----------
    supply
        ``site_id``, ``acts`` and optionally ``fte`` (e.g. :func:`expected_supply`).
    min_fte
        Threshold on the expected FTE.

    Returns
    -------
    list of str
        Sorted site ids.
    """
    if "fte" in supply.columns:
        keep = pd.to_numeric(supply["fte"], errors="coerce").fillna(0.0) >= min_fte
    else:
        keep = pd.to_numeric(supply["acts"], errors="coerce").fillna(0.0) > 0
    return sorted(str(s) for s in supply.loc[keep.to_numpy(), "site_id"])
