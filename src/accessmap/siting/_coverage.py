"""The MCLP's model on the sparse pairs.

Shared by the MCLP and the search for the sites reaching the most inhabitants
(:mod:`accessmap.siting.reach`).

References
----------
Church R. L., ReVelle C., "The maximal covering location problem", Papers of the Regional Science
Association 32 (1974) 101-118.
"""

from __future__ import annotations

import numpy as np

from accessmap.siting._highs import Mip
from accessmap.siting.instance import BoolArray, FloatArray, Instance

__all__ = ["mclp_mip"]


def mclp_mip(
    inst: Instance, p: int, threshold: float, greedy_mask: BoolArray
) -> tuple[Mip, float, FloatArray]:
    """Build the MCLP on the sparse pairs within ``threshold``: (model, constant, start).

    Columns: ``x`` (free sites), ``z`` (demand not covered by a fixed site but coverable); rows:
    ``z_i - sum_j x_j <= 0`` over the pairs within reach, and ``sum x = p``.
    """
    pi, pj = inst.pairs_within(threshold)
    n = len(inst.demand_ids)
    by_fixed = np.zeros(n, dtype=bool)
    by_fixed[pi[inst.fixed[pj]]] = True
    free = inst.free
    col_of = np.full(len(inst.site_ids), -1)
    col_of[free] = np.arange(len(free))
    reach = np.zeros(n, dtype=bool)
    reach[pi[~inst.fixed[pj]]] = True
    need = ~by_fixed & reach & (inst.weights > 0)
    rows_d = np.flatnonzero(need)
    row_of = np.full(n, -1)
    row_of[rows_d] = np.arange(len(rows_d))
    keep = need[pi] & ~inst.fixed[pj]
    ci, cj = row_of[pi[keep]], col_of[pj[keep]]
    nf, nd = len(free), len(rows_d)
    mip = Mip(
        cost=np.concatenate([np.zeros(nf), inst.weights[rows_d]]),
        lower=np.zeros(nf + nd),
        upper=np.ones(nf + nd),
        integer=np.concatenate([np.ones(nf, dtype=bool), np.zeros(nd, dtype=bool)]),
        rows=np.concatenate([ci, np.arange(nd), np.full(nf, nd)]),
        cols=np.concatenate([cj, nf + np.arange(nd), np.arange(nf)]),
        vals=np.concatenate([-np.ones(len(ci)), np.ones(nd), np.ones(nf)]),
        row_lower=np.concatenate([np.full(nd, -np.inf), [p]]),
        row_upper=np.concatenate([np.zeros(nd), [p]]),
        maximize=True,
    )
    covered = np.zeros(n, dtype=bool)
    covered[pi[greedy_mask[pj]]] = True
    start = np.concatenate([greedy_mask[free], covered[rows_d]]).astype(np.float64)
    return mip, float(inst.weights[by_fixed].sum()), start
