"""Demand the sites cannot reach: excluded from p-median and p-center, and named.

A p-median or p-center has an infinite objective as soon as one inhabited commune is out of reach
of every open site (no pair in the travel-time table). Rather than failing, these models answer
for the communes that can be reached, and the result names the others (the field
:attr:`accessmap.siting.SitingResult.unreached`, a warning and a note):

1. ``no_site``: no candidate and no fixed site reaches the commune at all. Nothing any choice of
   sites does changes its access; it is left out of the model.
2. ``beyond_p``: every such commune is reached by some candidate, but ``p`` new sites (with the
   fixed ones) cannot reach them all. The sites reaching the largest population are found first
   (a maximal covering problem whose coverage is "reachable": Church & ReVelle 1974, solved with
   HiGHS from the greedy start, or the greedy alone when ``method="greedy"``); the communes they
   leave out of reach are left out of the model. This is the lexicographic order of the
   placeholder-facility approach of sparse p-median solvers (a "not served" assignment dearer
   than any trip, as spopt's k-nearest p-median): reach the most inhabitants first, then
   shorten their trips. It is solved in two stages rather than with one large penalty, which
   would drown the travel times in the solver's tolerances.

The objective of the model is then over the communes it keeps. Only when no inhabited commune
can be reached at all is it an error. The LSCP (cover *every* commune within ``T``) keeps
refusing a commune no site covers: its question has no answer without it (see ``docs/siting.md``).

References
----------
Church R. L., ReVelle C., "The maximal covering location problem", Papers of the Regional Science
Association 32 (1974) 101-118. Rey S. J. et al., "spopt: a python package for solving spatial
optimization problems in PySAL", Journal of Open Source Software 7 (2022) 3330.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from accessmap.errors import SolverError, ValidationError
from accessmap.messages import Message, warn
from accessmap.siting._coverage import mclp_mip
from accessmap.siting._highs import SolverOptions, solve
from accessmap.siting.heuristics import greedy_coverage
from accessmap.siting.instance import BoolArray, Instance, model_name

__all__ = [
    "REACH_SHARE",
    "UNREACHED_COLUMNS",
    "announce_unreached",
    "drop_demand",
    "exclude_no_site",
    "max_reach",
    "reached_by",
    "reached_by_any",
    "unreached_table",
]

#: Columns of :attr:`accessmap.siting.SitingResult.unreached`.
UNREACHED_COLUMNS = ("id", "weight", "reason")
#: Share of the time limit the search for the sites reaching the most inhabitants may use (the
#: rest is the p-median's or p-center's own).
REACH_SHARE = 0.25
#: The warning of each reason a commune is left out.
_CODES = {"no_site": "siting.unreached_no_site", "beyond_p": "siting.unreached_beyond_p"}


def reached_by_any(inst: Instance) -> BoolArray:
    """Demands with at least one site (fixed or candidate) in the travel-time table."""
    reach = np.zeros(len(inst.demand_ids), dtype=bool)
    reach[inst.pair_i] = True
    return reach


def reached_by(inst: Instance, open_mask: BoolArray) -> BoolArray:
    """Demands with at least one of the ``open_mask`` sites in the travel-time table."""
    reach = np.zeros(len(inst.demand_ids), dtype=bool)
    reach[inst.pair_i[open_mask[inst.pair_j]]] = True
    return reach


def drop_demand(inst: Instance, drop: BoolArray) -> Instance:
    """Return the instance with the ``drop`` demands weighted 0 (the models ignore them)."""
    if not drop.any():
        return inst
    return dataclasses.replace(inst, weights=np.where(drop, 0.0, inst.weights))


def exclude_no_site(inst: Instance, model: str) -> tuple[Instance, BoolArray]:
    """Leave out the inhabited demands no site reaches: (reduced instance, their mask).

    Raises
    ------
    ValidationError
        No inhabited demand is reached by any site (nothing to optimise).
    """
    inhabited = inst.weights > 0
    no_site = inhabited & ~reached_by_any(inst)
    if inhabited.any() and no_site.all(where=inhabited):
        raise ValidationError(
            "siting.nothing_reachable", field="od", count=int(inhabited.sum()),
            model=model_name(model),
        )  # fmt: skip
    return drop_demand(inst, no_site), no_site


def max_reach(
    inst: Instance, p: int, *, exact: bool, options: SolverOptions, deadline: float
) -> tuple[list[int], bool]:
    """``p`` new sites reaching the largest inhabited weight: (sites, proven optimal).

    A maximal covering problem whose coverage is "reachable in the table", solved with HiGHS from
    the greedy start when ``exact`` (the greedy's answer when HiGHS stops without a better one).
    """
    everything = float(inst.pair_t.max()) + 1.0 if len(inst.pair_t) else 1.0
    greedy = greedy_coverage(inst, p, everything)
    if not exact:
        return greedy, False
    mask = inst.fixed.copy()
    mask[greedy] = True
    mip, _, start = mclp_mip(inst, p, everything, mask)
    try:
        out = solve(
            mip, options=options, deadline=deadline, start=start,
            what=Message("siting.model_mclp"), infeasible_fix=Message("siting.advice_check_inputs"),
        )  # fmt: skip
    except SolverError:
        return greedy, False
    free = inst.free
    chosen = [int(j) for j in free[out.x[: len(free)] > 0.5]]
    mask_exact = inst.fixed.copy()
    mask_exact[chosen] = True
    weight = inst.weights
    if weight[reached_by(inst, mask_exact)].sum() < weight[reached_by(inst, mask)].sum():
        return greedy, False
    return chosen, out.status == "optimal"


def unreached_table(inst: Instance, *, no_site: BoolArray, beyond_p: BoolArray) -> pd.DataFrame:
    """Tabulate the communes left out of the model: ``id, weight, reason``.

    ``reason`` is ``no_site`` or ``beyond_p``; ``inst`` is the full instance (the demands' own
    weights); the largest weight comes first.
    """
    out = no_site | beyond_p
    frame = pd.DataFrame(
        {
            "id": inst.demand_ids[out].astype(str),
            "weight": inst.weights[out],
            "reason": np.where(no_site[out], "no_site", "beyond_p"),
        }
    )
    return frame.sort_values(["weight", "id"], ascending=[False, True], ignore_index=True)


def announce_unreached(
    table: pd.DataFrame, *, model: str, p: int, proven: bool = True
) -> tuple[Message, ...]:
    """Warn about the communes left out of the model and return the same text as a note.

    ``proven=False``: the sites reaching the most inhabitants were not proven to (time limit or
    greedy), which one more note says when communes were left out beyond ``p``.
    """
    notes: list[Message] = []
    for reason, code in _CODES.items():
        part = table[table["reason"] == reason]
        if part.empty:
            continue
        params = {
            "count": len(part), "population": round(float(part["weight"].sum())),
            "ids": tuple(part["id"]), "model": model_name(model), "p": p,
        }  # fmt: skip
        warn(code, stacklevel=4, **params)  # the caller of p_median / p_center
        notes.append(Message(code, **params))
        if reason == "beyond_p" and not proven:
            notes.append(Message("siting.note_reach_not_proven", p=p))
    return tuple(notes)
