"""The APL siting models against brute force over every integer allocation, on random instances.

For each model, 120 seeded random instances (3-7 communes, 2-4 sites of which one may be an
existing site, times Euclidean, integer or partly unreachable, baselines around the threshold,
team minimum 1-3 and caps 2-4 FTE): the answer must be labelled ``optimal`` and equal the best
objective over every allocation that respects the caps and the team minimum of new sites. The
gains are recomputed here from the DREES decay, independently of the models.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from accessmap import siting
from accessmap.conventions import APL_PRIORITY
from accessmap.errors import SolverError
from accessmap.indicators import apl_weights

N_INSTANCES = 120
ACTS = 5400.0


def draw(seed: int, *, draws: int = 1):
    """A small instance: times, inhabitants, baselines (draws x n), fixed mask, team, cap."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(3, 8)), int(rng.integers(2, 5))
    kind = seed % 3
    if kind == 0:
        d, s = rng.uniform(0, 25, (n, 2)), rng.uniform(0, 25, (m, 2))
        t = np.hypot(d[:, None, 0] - s[None, :, 0], d[:, None, 1] - s[None, :, 1])
    else:
        t = rng.integers(1, 26, (n, m)).astype(float)
        if kind == 2:
            t[rng.random((n, m)) < 0.3] = np.inf
    w = rng.integers(50, 3000, n).astype(float)
    w[rng.random(n) < 0.1] = 0.0
    base = rng.uniform(0.5, 3.5, (draws, n))
    fixed = np.zeros(m, dtype=bool)
    if rng.random() < 0.5:
        fixed[0] = True
    team = int(rng.integers(1, 4))
    cap = int(rng.integers(max(team, 2), 5))
    return t, w, base, fixed, team, cap


def tables(t, w):
    n, m = t.shape
    rows = [(f"d{i}", f"s{j}", t[i, j]) for i in range(n) for j in range(m) if np.isfinite(t[i, j])]
    od = pd.DataFrame(rows, columns=["origin_id", "dest_id", "minutes"])
    demand = pd.DataFrame({"id": [f"d{i}" for i in range(n)], "population": w})
    return od, demand


def gains(t, w):
    f = apl_weights(t)
    p = f.T @ w
    return np.where(p > 0, f * ACTS / np.where(p > 0, p, 1.0), 0.0)


def allocations(fixed, team, cap):
    """Every allocation: existing sites 0..cap, new ones 0 or team..cap."""
    choices = [range(cap + 1) if fx else [0, *range(team, cap + 1)] for fx in fixed]
    return np.array(list(itertools.product(*choices)), dtype=float)


def brute(t, w, base, fixed, team, cap, *, level=APL_PRIORITY):
    """APL of every allocation (A x S x n), the allocations, and the new-site counts."""
    xs = allocations(fixed, team, cap)
    apl = base[None, :, :] + (xs @ gains(t, w).T)[:, None, :]
    new_sites = ((xs > 0) & ~fixed[None, :]).sum(axis=1)
    return xs, apl, new_sites


def call_args(t, w, fixed, team, cap):
    od, demand = tables(t, w)
    ids = [f"s{j}" for j in range(t.shape[1])]
    return (
        od,
        demand,
        {
            "fixed": [ids[j] for j in range(len(ids)) if fixed[j]],
            "candidates": [ids[j] for j in range(len(ids)) if not fixed[j]],
            "team_min": team,
            "max_fte": cap,
        },
    )


@pytest.mark.parametrize("seed", range(N_INSTANCES))
def test_recruits_equal_brute_force(seed):
    t, w, base, fixed, team, cap = draw(seed)
    xs, apl, _ = brute(t, w, base, fixed, team, cap)
    reached = apl[:, 0, :] >= APL_PRIORITY - 1e-9
    required = (base[0] < APL_PRIORITY) & (w > 0) & reached[-1]  # the all-cap plan is last
    ok = reached[:, required].all(axis=1)
    best = xs[ok].sum(axis=1).min()
    od, demand, kw = call_args(t, w, fixed, team, cap)
    result = siting.apl_recruits(od, demand, baseline=base[0], **kw)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(best)
    stuck = (base[0] < APL_PRIORITY) & (w > 0) & ~reached[-1]
    c = result.communes
    named = set(c.loc[c["reason"].notna() & (c["weight"] > 0), "id"])
    assert named == {f"d{i}" for i in np.flatnonzero(stuck)}
    new = result.site_table[result.site_table["new"]]
    assert (new["fte"] >= team).all()
    assert (result.site_table["fte"] <= cap).all()


@pytest.mark.parametrize("seed", range(N_INSTANCES))
@pytest.mark.parametrize("objective", ["inhabitants", "deficit"])
def test_best_use_equals_brute_force(seed, objective):
    t, w, base, fixed, team, cap = draw(seed)
    rng = np.random.default_rng(seed + 10_000)
    recruits = int(rng.integers(1, 2 * cap + 1))
    p = int(rng.integers(0, 3)) if rng.random() < 0.5 else None
    level = 4.0 if seed % 4 == 0 else APL_PRIORITY
    xs, apl, new_sites = brute(t, w, base, fixed, team, cap, level=level)
    ok = xs.sum(axis=1) <= recruits
    if p is not None:
        ok &= new_sites <= p
    if objective == "inhabitants":
        values = ((apl[:, 0, :] >= level - 1e-9) @ w)[ok]
        best = values.max()
    else:
        values = (np.maximum(0.0, level - apl[:, 0, :]) @ w)[ok]
        best = values.min()
    od, demand, kw = call_args(t, w, fixed, team, cap)
    result = siting.apl_best_use(
        od, demand, baseline=base[0], recruits=recruits, p=p, objective=objective,
        threshold=level, **kw,
    )  # fmt: skip
    assert result.status == "optimal"
    assert result.objective == pytest.approx(best, rel=1e-6, abs=1e-6)
    assert result.site_table["fte"].sum() <= recruits
    if p is not None:
        assert result.site_table["new"].sum() <= p


@pytest.mark.parametrize("seed", range(N_INSTANCES))
def test_robust_equals_brute_force_on_the_sample(seed):
    t, w, base, fixed, team, cap = draw(seed, draws=3)
    recruits = int(np.random.default_rng(seed).integers(1, 2 * cap + 1))
    xs, apl, _ = brute(t, w, base, fixed, team, cap)
    values = ((apl >= APL_PRIORITY - 1e-9) @ w).mean(axis=1)[xs.sum(axis=1) <= recruits]
    od, demand, kw = call_args(t, w, fixed, team, cap)
    result = siting.apl_robust(od, demand, draws=base, recruits=recruits, sample=3, **kw)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(values.max())


@pytest.mark.parametrize("model", ["apl_recruits", "apl_best_use", "apl_robust"])
def test_the_greedy_never_beats_the_exact_answer(model):
    for seed in range(30):
        t, w, base, fixed, team, cap = draw(seed, draws=2)
        od, demand, kw = call_args(t, w, fixed, team, cap)
        args = (
            {"baseline": base[0]} if model == "apl_recruits"
            else {"baseline": base[0], "recruits": cap} if model == "apl_best_use"
            else {"draws": base, "recruits": cap}
        )  # fmt: skip
        try:
            exact = siting.run(model, od=od, demand=demand, **args, **kw)
        except SolverError:
            continue
        greedy = siting.run(model, od=od, demand=demand, method="greedy", **args, **kw)
        assert greedy.status == "heuristic"
        if exact.sense == "max":
            assert greedy.objective <= exact.objective + 1e-9
        else:
            assert greedy.objective >= exact.objective - 1e-9
