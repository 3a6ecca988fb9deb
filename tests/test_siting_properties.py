"""Every siting model against brute force over every site set, on many small random instances.

For each model, 200 seeded random instances across sizes (3-9 demands, 2-6 sites, with and without
a fixed site) and cost types (Euclidean, random integer minutes with ties at the threshold, random
with unreachable pairs), each solved with the warm start on and off. The answer must be labelled
``optimal`` and equal the best objective over every site set (or the model must refuse an
instance that has no finite optimum; the p-median and the p-center instead reach the most
inhabitants first and optimise over them, naming the others). The regression case of issue 16
(seed 1023) is pinned too.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from accessmap import siting
from accessmap.errors import AccessmapError
from accessmap.indicators import apl_weights

N_INSTANCES = 200
COST_TYPES = ("euclidean", "integer", "unreachable")


def draw(seed: int):
    """A small random instance: times (n x m, inf = unreachable), weights, fixed mask."""
    rng = np.random.default_rng(seed)
    kind = COST_TYPES[seed % len(COST_TYPES)]
    n, m = int(rng.integers(3, 10)), int(rng.integers(2, 7))
    if kind == "euclidean":
        d, s = rng.uniform(0, 30, (n, 2)), rng.uniform(0, 30, (m, 2))
        t = np.hypot(d[:, None, 0] - s[None, :, 0], d[:, None, 1] - s[None, :, 1])
    else:
        t = rng.integers(1, 31, (n, m)).astype(float)  # integer minutes: ties at T happen
        if kind == "unreachable":
            t[rng.random((n, m)) < 0.3] = np.inf
            t[np.arange(n), rng.integers(0, m, n)] = rng.integers(1, 31, n)  # one site each
    w = rng.integers(0, 1000, n).astype(float)
    w[rng.random(n) < 0.15] = 0.0
    w[0] = max(w[0], 1.0)
    fixed = np.zeros(m, dtype=bool)
    if m > 2 and rng.random() < 0.3:
        fixed[int(rng.integers(0, m))] = True
    return rng, t, w, fixed


def tables(t, w, *, drop_inf: bool = True):
    n, m = t.shape
    rows = [(f"d{i}", f"s{j}", t[i, j]) for i in range(n) for j in range(m)]
    od = pd.DataFrame(rows, columns=["origin_id", "dest_id", "minutes"])
    if drop_inf:  # a missing pair is unreachable, like inf: exercise both
        od = od[np.isfinite(od["minutes"]) | (np.arange(len(od)) % 2 == 0)]
    demand = pd.DataFrame({"id": [f"d{i}" for i in range(n)], "population": w})
    return od, demand


def fixed_ids(fixed):
    return [f"s{j}" for j in np.flatnonzero(fixed)]


def site_sets(fixed, p):
    free = np.flatnonzero(~fixed)
    for combo in itertools.combinations(free, p):
        mask = fixed.copy()
        mask[list(combo)] = True
        yield mask


def nearest(t, mask):
    return t[:, mask].min(axis=1) if mask.any() else np.full(t.shape[0], np.inf)


def threshold(rng, t):
    finite = t[np.isfinite(t)]
    return float(np.quantile(finite, rng.uniform(0.2, 0.6)))


def pick_p(rng, fixed, most=3):
    """Mostly p >= 2 (HiGHS); p = 1 (solved by enumeration, no solver) one time in five."""
    top = min(most, int((~fixed).sum()))
    if top == 1 or rng.random() < 0.2:
        return 1
    return int(rng.integers(2, top + 1))


def solve_both(fn, **kwargs):
    """The model with the warm start on and off (both must agree)."""
    return [
        fn(**kwargs, solver=siting.SolverOptions(warm_start=ws, time_limit=30))
        for ws in (True, False)
    ]


def check(results, best, *, rel=2e-6):
    for result in results:
        assert result.status == "optimal", result.notes
        assert result.objective == pytest.approx(best, rel=rel, abs=1e-6)
        assert result.gap == 0.0


# --- coverage models ---------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["mclp", "lscp"])
def test_coverage_models_match_brute_force(model):
    for seed in range(N_INSTANCES):
        rng, t, w, fixed = draw(seed)
        od, demand = tables(t, w)
        big_t = threshold(rng, t)
        fixed_list = fixed_ids(fixed)
        if model == "mclp":
            p = pick_p(rng, fixed)
            best = max(w[nearest(t, mask) < big_t].sum() for mask in site_sets(fixed, p))
            results = solve_both(
                siting.mclp, od=od, demand=demand, p=p, minutes=big_t, fixed=fixed_list
            )
            check(results, best)
            continue
        need = w > 0
        sizes = [
            k
            for k in range((~fixed).sum() + 1)
            if any((nearest(t, mask)[need] < big_t).all() for mask in site_sets(fixed, k))
        ]
        if not sizes:
            with pytest.raises(AccessmapError):
                siting.lscp(od, demand, minutes=big_t, fixed=fixed_list)
            continue
        results = solve_both(siting.lscp, od=od, demand=demand, minutes=big_t, fixed=fixed_list)
        check(results, min(sizes))


# --- p-median, p-center ---------------------------------------------------------------------


def median_value(t, w, mask):
    near = nearest(t, mask)
    pos = w > 0
    return float((w[pos] * near[pos]).sum()) if np.isfinite(near[pos]).all() else math.inf


def center_value(t, w, mask):
    return float(nearest(t, mask)[w > 0].max())


@pytest.mark.parametrize(
    ("model", "value"), [("p_median", median_value), ("p_center", center_value)]
)
def test_median_and_center_match_brute_force(model, value):
    fn = getattr(siting, model)
    for seed in range(N_INSTANCES):
        rng, t, w, fixed = draw(seed)
        od, demand = tables(t, w)
        p = pick_p(rng, fixed)
        best = min(value(t, w, mask) for mask in site_sets(fixed, p))
        kwargs = {"od": od, "demand": demand, "p": p, "fixed": fixed_ids(fixed)}
        if not math.isfinite(best):
            # no p sites reach everyone: the most inhabitants reached, then the best objective
            # over them; the others are named (siting.reach)
            reached, best = max(
                _reached_then_value(t, w, mask, model) for mask in site_sets(fixed, p)
            )
            results = solve_both(fn, **kwargs)
            check(results, -best)
            for result in results:
                left = result.unreached
                assert left["weight"].sum() == pytest.approx(w.sum() - reached)
            continue
        check(solve_both(fn, **kwargs), best)


def _reached_then_value(t, w, mask, model):
    """(inhabitants reached, minus the objective over them): the lexicographic key."""
    near = nearest(t, mask)
    reached = np.isfinite(near) & (w > 0)
    if model == "p_median":
        value = float((w * np.where(reached, near, 0.0)).sum())
    else:
        value = float(near[reached].max()) if reached.any() else 0.0
    return float(w[reached].sum()), -value


# --- volunteer centres ------------------------------------------------------------------------


def served(t, w, mask, caps, big_t):
    """Most demand the open centres can serve within t < T (a transportation LP)."""
    pairs = [(i, j) for i in range(len(w)) for j in np.flatnonzero(mask) if t[i, j] < big_t]
    if not pairs:
        return 0.0
    a = np.zeros((len(w) + len(caps), len(pairs)))
    for k, (i, j) in enumerate(pairs):
        a[i, k] = 1.0
        a[len(w) + j, k] = 1.0
    out = linprog(-np.ones(len(pairs)), A_ub=a, b_ub=np.concatenate([w, caps]), method="highs")
    return -float(out.fun)


def test_volunteer_centres_match_brute_force():
    for seed in range(N_INSTANCES):
        rng, t, w, fixed = draw(seed)
        od, demand = tables(t, w)
        big_t = threshold(rng, t)
        p = pick_p(rng, fixed, most=2)
        params = siting.VolunteerCentreParameters(patients_per_fte=float(rng.integers(200, 1500)))
        caps = np.full(t.shape[1], params.capacity)
        best = max(served(t, w, mask, caps, big_t) for mask in site_sets(fixed, p))
        results = solve_both(
            siting.volunteer_centres, od=od, demand=demand, p=p, minutes=big_t, params=params,
            fixed=fixed_ids(fixed),
        )  # fmt: skip
        check(results, best)


# --- rotation -----------------------------------------------------------------------------------


def allocations(m, total, lo, hi, fixed):
    """Every rota: steps per site summing to ``total``, 0 or in [lo, hi], fixed sites staffed."""
    for steps in itertools.product(range(hi + 1), repeat=m):
        arr = np.array(steps)
        if arr.sum() != total or ((arr > 0) & (arr < lo)).any() or (arr[fixed] == 0).any():
            continue
        yield arr


def test_rotation_matches_brute_force():
    rp = siting.RotationParameters(min_days=1.0, max_days=2.0, day_step=0.5)
    for seed in range(N_INSTANCES):
        rng, t, w, fixed = draw(seed)
        t, fixed = t[:, :4], fixed[:4]  # keep the enumeration small
        od, demand = tables(t, w)
        team = float(rng.integers(2, 9)) / 2  # 1 to 4 days, in half-days
        total = round(team / rp.day_step)
        objective = "coverage" if seed % 2 == 0 else "deficit"
        big_t = threshold(rng, t)
        rotas = list(allocations(t.shape[1], total, 2, 4, fixed))
        kwargs = {"od": od, "demand": demand, "team": team, "minutes": big_t,
                  "objective": objective, "params": rp, "fixed": fixed_ids(fixed)}  # fmt: skip
        if not rotas:
            with pytest.raises(AccessmapError):
                siting.rotation(**kwargs)
            continue
        if objective == "coverage":
            best = max(w[nearest(t, a > 0) < big_t].sum() for a in rotas)
        else:
            decay = apl_weights(t)
            catchment = decay.T @ w
            gain = np.where(catchment > 0, decay / np.where(catchment > 0, catchment, 1), 0)
            gain *= rp.day_step / rp.days_per_fte * rp.acts_per_fte
            best = min(float((w * np.maximum(0.0, 2.5 - gain @ a)).sum()) for a in rotas)
        check(solve_both(siting.rotation, **kwargs), best, rel=1e-5)


# --- issue 16 -----------------------------------------------------------------------------------


def issue_16_instance():
    rng = np.random.default_rng(1023)
    n_i, n_j = rng.integers(40, 200), rng.integers(10, 40)
    d = rng.random((n_i, 2)) * 100
    s = rng.random((n_j, 2)) * 100
    c = np.hypot(d[:, None, 0] - s[None, :, 0], d[:, None, 1] - s[None, :, 1])
    w = rng.integers(10, 5000, n_i).astype(float)
    p = int(rng.integers(2, 8))
    return c, w, p


def test_issue_16_minimal_case_is_solved_to_the_true_optimum():
    """HiGHS 1.16 may hand back the warm start while reporting the optimum: never trust it."""
    c, w, p = issue_16_instance()
    assert (c.shape, p) == ((81, 20), 4)
    od, demand = tables(c, w, drop_inf=False)
    for warm in (True, False):
        result = siting.p_center(od, demand, p=p, solver=siting.SolverOptions(warm_start=warm))
        assert result.status == "optimal"
        assert result.objective == pytest.approx(39.013275, abs=1e-6)  # brute force (issue 16)
        mask = np.isin([f"s{j}" for j in range(c.shape[1])], result.sites)
        assert nearest(c, mask).max() == pytest.approx(result.objective)
