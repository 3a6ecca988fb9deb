"""The pôle view: which professions work at each site of a multi-site pôle, and whom they reach.

A *pôle de santé* such as MilleSoins is one team spread over several MSPs (Bugeat, Peyrelevade,
Faux-la-Montagne, Royère-de-Vassivière): GPs, nurses, pharmacists, physiotherapists and dentists,
some of them rotating between sites. This module answers, for a pôle, two questions of its
members and of the elected officials who fund it:

- at each site, which professions practise there (headcount and FTE);
- for each profession, what share of the territory's population lives within 15 and 30 minutes
  of a pôle site where that profession practises.

Rule for "practises at a pôle site": a practitioner assigned to the site itself, **or** to any
site of the same commune. The second clause lets official head counts, which know the commune of
practice only (INSEE BPE: one point at the town hall per commune), count at the commune's MSP;
with a roster naming the MSP itself, the first clause applies. Times are "within T": ``t < T``
(the half-open convention of :mod:`accessmap.conventions`).

References
----------
Ministère de la Santé, « Maisons de santé pluriprofessionnelles » (article L. 6323-3 du code de
la santé publique: a MSP may be multi-site); MilleSoins facts in ``../shared/context/territory.md``;
INSEE, Base permanente des équipements 2019 (commune of practice of every health professional).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
import pandas as pd

from accessmap.contracts import require_columns, validate_demand
from accessmap.conventions import CATCHMENT_MINUTES, SITING_MINUTES, within
from accessmap.errors import ValidationError
from accessmap.indicators.nearest import nearest_site
from accessmap.messages import Message

if TYPE_CHECKING:
    from accessmap.supply import Roster

__all__ = ["POLE_KINDS", "POLE_MINUTES", "PoleView", "pole_sites", "pole_view"]

#: Site kinds that make up a pôle (maisons de santé pluriprofessionnelles).
POLE_KINDS: tuple[str, ...] = ("msp",)
#: Default thresholds of the pôle view (minutes, ``t < T``): the siting and catchment ones.
POLE_MINUTES: tuple[float, ...] = (SITING_MINUTES, CATCHMENT_MINUTES)

_SITE_COLUMNS = ["site_id", "name", "commune_code", "profession", "headcount", "fte"]
_REACH_COLUMNS = ["profession", "minutes", "n_sites", "population", "share"]


@dataclass(frozen=True, slots=True)
class PoleView:
    """Who works at each site of a pôle, and whom each profession reaches from it.

    Attributes
    ----------
    sites
        One row per pôle site and profession present there: ``site_id``, ``name``,
        ``commune_code``, ``profession``, ``headcount`` (practitioners working there, each once),
        ``fte`` (their FTE times their share of time there; official head counts are 1 FTE each).
    reach
        Long format, one row per profession and threshold: ``profession``, ``minutes``,
        ``n_sites`` (pôle sites where the profession practises), ``population`` (territory
        inhabitants within ``minutes`` of one of them, ``t < minutes``), ``share`` (of the
        territory's population, in [0, 1]).
    population
        The territory's population (denominator of ``share``).
    """

    sites: pd.DataFrame
    reach: pd.DataFrame
    population: float

    def wide(self) -> pd.DataFrame:
        """Return ``reach`` with one row per profession and columns per threshold.

        Returns
        -------
        pandas.DataFrame
            ``profession``, ``n_sites``, then ``pop_within_<T>`` and ``share_within_<T>`` for every
            threshold ``T`` (whole minutes).
        """
        if self.reach.empty:
            return pd.DataFrame(columns=["profession", "n_sites"])
        out = self.reach.groupby("profession", sort=False)["n_sites"].first().reset_index()
        for minutes in sorted(float(m) for m in self.reach["minutes"].unique()):
            tag = f"{minutes:g}"
            values = self.reach[self.reach["minutes"] == minutes].set_index("profession")
            out[f"pop_within_{tag}"] = out["profession"].map(values["population"]).to_numpy()
            out[f"share_within_{tag}"] = out["profession"].map(values["share"]).to_numpy()
        return out


def pole_sites(roster: Roster, *, kinds: Sequence[str] = POLE_KINDS) -> pd.DataFrame:
    """Sites of a roster that belong to the pôle (by default the MSPs).

    Parameters
    ----------
    roster
        A roster (its ``sites`` table: ``site_id``, ``name``, ``kind``, ``commune_code``).
    kinds
        Site kinds of the pôle.

    Returns
    -------
    pandas.DataFrame
        ``site_id``, ``name``, ``commune_code`` (str), sorted by name.

    References
    ----------
    Code de la santé publique, article L. 6323-3 (maisons de santé).
    """
    sites = roster.sites
    chosen = sites[sites["kind"].astype(str).isin(set(kinds))]
    out = pd.DataFrame(
        {
            "site_id": chosen["site_id"].astype(str).to_numpy(),
            "name": chosen["name"].astype(str).to_numpy(),
            "commune_code": chosen["commune_code"].astype(str).to_numpy(),
        }
    )
    return out.sort_values("name").reset_index(drop=True)


#: What :func:`_working` reads of a roster for one profession (see :func:`_staff`).
_Staff: TypeAlias = tuple[pd.Series, pd.Series, pd.DataFrame, pd.Series]


def _staff(roster: Roster, profession: str) -> _Staff:
    """Return what :func:`_working` reads of a roster for one profession, once for all sites.

    The sites' ids and communes as str, the assignments of the profession's practitioners and
    their FTE by practitioner id.
    """
    sites = roster.sites
    prac = roster.practitioners
    prac = prac[prac["profession"].astype(str) == profession]
    links = roster.assignments[
        roster.assignments["practitioner_id"].isin(set(prac["practitioner_id"]))
    ]
    fte = pd.Series(prac["fte"].array, index=pd.Index(prac["practitioner_id"]), name="fte")
    return sites["site_id"].astype(str), sites["commune_code"].astype(str), links, fte


def _working(site: pd.Series, roster: Roster, staff: _Staff) -> tuple[int, float]:
    """Headcount and FTE of a profession practising at ``site`` (itself or its commune)."""
    site_ids, communes, links, fte_of = staff
    here = roster.sites.loc[
        (site_ids == site["site_id"]) | (communes == site["commune_code"]), "site_id"
    ]
    links = links[links["site_id"].isin(set(here))]
    if links.empty:
        return 0, 0.0
    fte = links["practitioner_id"].map(fte_of)
    return int(links["practitioner_id"].nunique()), float((fte * links["share"]).sum())


def pole_view(
    sites: pd.DataFrame,
    rosters: Mapping[str, Roster],
    od: pd.DataFrame,
    demand: pd.DataFrame,
    *,
    minutes: Sequence[float] = POLE_MINUTES,
) -> PoleView:
    """Professions at each pôle site and the share of the territory each reaches from them.

    Parameters
    ----------
    sites
        The pôle's sites: ``site_id``, ``name``, ``commune_code`` (:func:`pole_sites`).
    rosters
        Profession key → its practitioners (only the rows of that profession count), e.g. the
        user's roster or official head counts (BPE 2019, one site per commune at the town hall).
    od
        Travel times from the territory's communes to the pôle sites (``origin_id``, ``dest_id``,
        ``minutes``); a missing pair is unreachable.
    demand
        ``id``, ``population``, optionally ``in_territory`` (communes outside the territory are
        ignored: the shares are of the territory's population).
    minutes
        Thresholds ``T`` (``t < T``).

    Returns
    -------
    PoleView

    Raises
    ------
    ValidationError
        Missing columns, duplicate communes, a non-positive threshold.

    References
    ----------
    Code de la santé publique, article L. 6323-3 (multi-site MSP); INSEE BPE 2019 (commune of
    practice); accessmap band convention (``t < T``).
    """
    table = require_columns(
        sites, ("site_id", "name", "commune_code"), table="sites",
        fix=str(Message("indicators.fix_pole_sites")),
    )  # fmt: skip
    thresholds = [float(m) for m in minutes]
    if not thresholds or any(not m > 0 for m in thresholds):
        raise ValidationError("indicators.bad_thresholds", field="minutes", values=thresholds)
    table = table.assign(
        site_id=table["site_id"].astype(str), commune_code=table["commune_code"].astype(str)
    )
    rows = []
    staff = {profession: _staff(roster, profession) for profession, roster in rosters.items()}
    for _, site in table.iterrows():
        for profession, roster in rosters.items():
            headcount, fte = _working(site, roster, staff[profession])
            if headcount:
                rows.append([site["site_id"], site["name"], site["commune_code"], profession,
                             headcount, fte])  # fmt: skip
    present = pd.DataFrame(rows, columns=_SITE_COLUMNS)
    clean = validate_demand(demand, name="demand")
    inside = clean[clean["in_territory"]]
    total = float(inside["population"].sum())
    reach = []
    for profession in rosters:
        where = present.loc[present["profession"] == profession, "site_id"].unique().tolist()
        nearest = nearest_site(od, origins=inside["id"], sites=where)
        times = nearest["minutes"].to_numpy(dtype=np.float64)
        for threshold in thresholds:
            pop = float(inside["population"].to_numpy()[within(times, threshold)].sum())
            share = pop / total if total > 0 else float("nan")
            reach.append([profession, threshold, len(where), pop, share])
    return PoleView(
        sites=present, reach=pd.DataFrame(reach, columns=_REACH_COLUMNS), population=total
    )
