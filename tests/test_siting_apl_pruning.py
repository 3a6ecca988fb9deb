"""The reductions of the APL plan MIP (issue 24) against brute force, on small random instances.

The MIP of :mod:`accessmap.siting._apl_mip` is reduced before HiGHS sees it: FTE bounds no larger
than the recruits budget, dominated sites closed (their FTE moved to a site at least as useful
everywhere), communes no plan of the budget can lift dropped, baselines where a commune lacks the
same APL sharing one binary, and the binaries of a commune ordered by need. Each rule is checked
on its own (a property every plan of the budget must satisfy), and the reduced MIP's optimum is
checked against the optimum of the unreduced problem, by brute force over every allocation, on
instances built to trigger the rules (sites sharing a place, repeated draws, caps above the
budget).
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from accessmap import siting
from accessmap.conventions import APL_PRIORITY
from accessmap.professions import DEFAULT_PROFESSION
from accessmap.siting._apl import AplProblem, Budget, build_problem
from accessmap.siting._apl_mip import (
    dominance,
    fte_bounds,
    levels,
    moved,
    reach_bound,
    relevant_caps,
    relevant_communes,
)

N_INSTANCES = 60


def instance(seed: int, *, draws: int = 3):
    """Times (some sites at the same place as another), inhabitants, baselines, site kinds."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(3, 7)), int(rng.integers(3, 6))
    d, s = rng.uniform(0, 25, (n, 2)), rng.uniform(0, 25, (m, 2))
    for j in range(1, m):
        if rng.random() < 0.4:  # a town hall next to a practice: the same gains
            s[j] = s[int(rng.integers(0, j))]
    t = np.hypot(d[:, None, 0] - s[None, :, 0], d[:, None, 1] - s[None, :, 1])
    w = rng.integers(50, 3000, n).astype(float)
    w[rng.random(n) < 0.1] = 0.0
    base = rng.uniform(0.5, 3.5, (draws, n))
    for k in range(1, draws):  # draws that leave some communes as another draw does
        same = rng.random(n) < 0.5
        base[k, same] = base[0, same]
    fixed = rng.random(m) < 0.5
    team = int(rng.integers(1, 3))
    cap = int(rng.integers(max(team, 2), 5))
    return t, w, base, fixed, team, cap


def tables(t, w):
    n, m = t.shape
    rows = [(f"d{i}", f"s{j}", t[i, j]) for i in range(n) for j in range(m)]
    od = pd.DataFrame(rows, columns=["origin_id", "dest_id", "minutes"])
    demand = pd.DataFrame({"id": [f"d{i}" for i in range(n)], "population": w})
    return od, demand


def site_kwargs(fixed, team, cap):
    ids = [f"s{j}" for j in range(len(fixed))]
    return {
        "fixed": [ids[j] for j in range(len(ids)) if fixed[j]],
        "candidates": [ids[j] for j in range(len(ids)) if not fixed[j]],
        "team_min": team,
        "max_fte": cap,
    }


def problem_of(seed: int, *, draws: int = 3) -> AplProblem:
    t, w, base, fixed, team, cap = instance(seed, draws=draws)
    od, demand = tables(t, w)
    return build_problem(
        od, demand, baseline=base, weight="population", apl_weight=None,
        profession_key=DEFAULT_PROFESSION, threshold=None, acts_per_fte=None, exclude=(),
        **site_kwargs(fixed, team, cap),
    )  # fmt: skip


def plans(problem: AplProblem, recruits: int) -> np.ndarray:
    """Every plan within the caps, the team minimum and ``recruits``."""
    choices = [
        range(int(c) + 1) if not new else [0, *range(problem.team_min, int(c) + 1)]
        for c, new in zip(problem.cap, problem.new, strict=True)
    ]
    xs = np.array(list(itertools.product(*choices)), dtype=np.int64)
    return xs[xs.sum(axis=1) <= recruits]


def _recruits(seed: int, problem: AplProblem) -> int:
    return int(np.random.default_rng(seed + 7).integers(1, int(problem.cap.max()) + 3))


@pytest.mark.parametrize("seed", range(N_INSTANCES))
def test_moving_the_fte_of_dominated_sites_loses_nothing(seed):
    problem = problem_of(seed)
    budget = Budget(recruits=_recruits(seed, problem), sites=None)
    bound = fte_bounds(problem, budget)
    for x in plans(problem, budget.recruits):
        y = moved(problem, budget, x)
        assert problem.feasible_plan(y)
        assert (y <= bound).all()
        assert y.sum() <= x.sum()
        assert ((y > 0) & problem.new).sum() <= ((x > 0) & problem.new).sum()
        assert problem.inhabitants(y) >= problem.inhabitants(x) - 1e-9
        assert problem.deficit(y) <= problem.deficit(x) + 1e-9
        need, inhabited = problem.need(), problem.people > 0
        reached = (problem.gain @ x)[None, :] >= need
        assert ((problem.gain @ y)[None, :] >= need)[reached & inhabited[None, :]].all()


@pytest.mark.parametrize("seed", range(N_INSTANCES))
def test_every_site_is_sent_to_a_kept_site(seed):
    problem = problem_of(seed)
    budget = Budget(recruits=_recruits(seed, problem), sites=None)
    target = dominance(problem, budget)
    assert (target[target] == target).all()
    gain = problem.gain[problem.people > 0]
    assert (gain[:, target] >= gain).all()
    assert not (problem.new[target] & ~problem.new).any()  # an existing site never to a new one


@pytest.mark.parametrize("seed", range(N_INSTANCES))
def test_no_plan_of_the_budget_adds_more_than_the_reach_bound(seed):
    """Within the bounds (dominated sites closed): every plan has such a twin, checked above."""
    problem = problem_of(seed)
    budget = Budget(recruits=_recruits(seed, problem), sites=None)
    top = reach_bound(problem, budget)
    xs = plans(problem, budget.recruits)
    within = xs[(xs <= fte_bounds(problem, budget)).all(axis=1)]  # a plan's moved twin is
    added = within @ problem.gain.T
    assert (added <= top[None, :] + 1e-12).all()


@pytest.mark.parametrize("seed", range(N_INSTANCES))
def test_reach_bound_is_the_dense_fractional_knapsack(seed):
    """The positive gains alone give each commune the knapsack of its whole row."""
    problem = problem_of(seed)
    rng = np.random.default_rng(seed)
    gain = problem.gain * (rng.random(problem.gain.shape) < 0.6)  # zeros, as out of reach
    sparse = replace(problem, gain=gain)
    for recruits in (1, 2, 5):
        budget = Budget(recruits=recruits, sites=None)
        u = fte_bounds(sparse, budget).astype(float)
        order = np.argsort(-gain, axis=1, kind="stable")
        g, uu = np.take_along_axis(gain, order, axis=1), u[order]
        take = np.clip(recruits - (np.cumsum(uu, axis=1) - uu), 0.0, uu)
        np.testing.assert_allclose(reach_bound(sparse, budget), (g * take).sum(axis=1),
                                   rtol=1e-12, atol=1e-15)  # fmt: skip


@pytest.mark.parametrize("seed", range(N_INSTANCES))
def test_the_levels_count_what_the_pairs_counted(seed):
    """Distinct needs weighted by their baselines give each plan the same MIP objective."""
    problem = problem_of(seed)
    budget = Budget(recruits=_recruits(seed, problem), sites=None)
    found = levels(problem, budget)
    need = problem.need()
    s_count = problem.base.shape[0]
    for x in plans(problem, budget.recruits):
        got = problem.gain @ x
        by_levels = sum(problem.people[i] * c for i, v, c in found if got[i] >= v) / s_count
        by_pairs = ((need > 0) & (got[None, :] >= need)) @ problem.people / s_count
        assert by_levels == pytest.approx(by_pairs.sum(), rel=1e-12, abs=1e-9)


def test_the_rules_are_triggered_by_these_instances():
    """Otherwise the brute-force comparisons would not check them."""
    closed = merged = cut = dropped = 0
    for seed in range(N_INSTANCES):
        problem = problem_of(seed)
        budget = Budget(recruits=_recruits(seed, problem), sites=None)
        closed += int((dominance(problem, budget) != np.arange(len(problem.cap))).sum())
        cut += int((fte_bounds(problem, budget) < problem.cap).sum())
        need = problem.need()
        pairs = int(((need > 0) & (problem.people > 0)).sum())
        found = levels(problem, budget)
        dropped += pairs - sum(c for _, _, c in found)
        merged += sum(c for _, _, c in found) - len(found)
    assert closed > 0
    assert dropped > 0
    assert cut > 0
    assert merged > 0


@pytest.mark.parametrize("seed", range(N_INSTANCES))
@pytest.mark.parametrize("objective", ["inhabitants", "deficit"])
def test_the_reduced_mip_finds_the_optimum_of_the_whole_problem(seed, objective):
    t, w, base, fixed, team, cap = instance(seed)
    od, demand = tables(t, w)
    problem = problem_of(seed)
    recruits = _recruits(seed, problem)
    xs = plans(problem, recruits)
    apl = base[None, :, :] + (xs @ problem.gain.T)[:, None, :]
    if objective == "inhabitants":
        best = ((apl >= APL_PRIORITY - problem.tol) @ w).mean(axis=1).max()
    else:
        best = (np.maximum(0.0, APL_PRIORITY - apl) @ w).mean(axis=1).min()
    result = siting.apl_robust(
        od, demand, draws=base, recruits=recruits, sample=3, objective=objective,
        **site_kwargs(fixed, team, cap),
    )  # fmt: skip
    assert result.status == "optimal"
    assert result.objective == pytest.approx(best, rel=1e-6, abs=1e-6)
    single = siting.apl_best_use(
        od, demand, baseline=base[0], recruits=recruits, objective=objective,
        **site_kwargs(fixed, team, cap),
    )  # fmt: skip
    one = apl[:, 0, :]
    best_one = (
        ((one >= APL_PRIORITY - problem.tol) @ w).max()
        if objective == "inhabitants"
        else (np.maximum(0.0, APL_PRIORITY - one) @ w).min()
    )
    assert single.status == "optimal"
    assert single.objective == pytest.approx(best_one, rel=1e-6, abs=1e-6)


# --- the communes that can change the objective (issue 24: relevant_communes) -------------------


def _dominance_by_pairs(problem: AplProblem, budget: Budget, rows: np.ndarray) -> np.ndarray:
    """The dominance rule written on every pair of sites and every commune (the reference)."""
    bound = fte_bounds_of_budget(problem, budget)
    gain = problem.gain[rows]
    new = problem.new
    roomy = (problem.cap < int(problem.params["max_fte"])) | (
        bound >= (budget.recruits if budget.recruits is not None else np.iinfo(np.int64).max)
    )
    target = np.arange(len(bound))
    active = np.flatnonzero(bound > 0)
    for j in active:
        ok = (gain[:, active] >= gain[:, [j]]).all(axis=0) & roomy[active] & (active != j)
        ok &= new[j] | ~new[active]
        equal = (gain[:, active] == gain[:, [j]]).all(axis=0)
        first = (~new[active] & new[j]) | ((new[active] == new[j]) & (active < j))
        ok &= ~equal | first
        ok &= target[active] == active
        if ok.any():
            target[j] = active[int(np.argmax(ok))]
    while (target[target] != target).any():
        target = target[target]
    return target


def fte_bounds_of_budget(problem: AplProblem, budget: Budget) -> np.ndarray:
    """Caps no larger than the budget, a new site whose team does not fit closed."""
    cap = problem.cap.astype(np.int64)
    if budget.recruits is None:
        return cap
    bound = np.minimum(cap, budget.recruits)
    bound[problem.new & (bound < problem.team_min)] = 0
    return bound


def _required(problem: AplProblem) -> np.ndarray:
    need = problem.need()[0]
    return (need > 0) & problem.liftable()[0] & (problem.people > 0)


OBJECTIVES = ["inhabitants", "deficit", "recruits"]


@pytest.mark.parametrize("seed", range(N_INSTANCES))
@pytest.mark.parametrize("objective", OBJECTIVES)
def test_dominance_on_each_site_s_reach_is_the_rule_on_every_pair(seed, objective):
    problem = problem_of(seed, draws=1 if objective == "recruits" else 3)
    budget = Budget(recruits=_recruits(seed, problem), sites=None)
    rows = relevant_communes(
        problem, budget, objective=objective, required=_required(problem)
    )  # fmt: skip
    reduced = relevant_caps(problem, rows)
    for p, r in ((problem, problem.people > 0), (reduced, rows)):
        assert (dominance(p, budget, rows=r) == _dominance_by_pairs(p, budget, r)).all()


@pytest.mark.parametrize("seed", range(N_INSTANCES))
@pytest.mark.parametrize("objective", OBJECTIVES)
def test_the_reduced_bounds_lose_nothing_for_the_objective(seed, objective):
    """Every plan's twin within the reduced bounds is as good (only the relevant communes count)."""
    problem = problem_of(seed, draws=1 if objective == "recruits" else 3)
    budget = Budget(recruits=_recruits(seed, problem), sites=None)
    required = _required(problem)
    rows = relevant_communes(problem, budget, objective=objective, required=required)
    reduced = relevant_caps(problem, rows)
    target = dominance(reduced, budget, rows=rows)
    bound = fte_bounds(reduced, budget, target=target)
    assert (reduced.cap <= problem.cap).all()
    need = problem.need()
    for x in plans(problem, budget.recruits):
        y = moved(reduced, budget, x, target=target)
        assert problem.feasible_plan(y)
        assert (y <= bound).all()
        assert y.sum() <= x.sum()
        assert ((y > 0) & problem.new).sum() <= ((x > 0) & problem.new).sum()
        if objective == "inhabitants":
            assert problem.inhabitants(y) >= problem.inhabitants(x) - 1e-9
        elif objective == "deficit":
            assert problem.deficit(y) <= problem.deficit(x) + 1e-9
        else:
            before = (problem.gain @ x)[None, :] >= need
            after = (problem.gain @ y)[None, :] >= need
            assert after[before & required[None, :]].all()


@pytest.mark.parametrize("seed", range(N_INSTANCES))
def test_the_reduced_recruits_mip_finds_the_fewest_recruits(seed):
    """apl_recruits (reduced MIP) against every allocation within the caps."""
    t, w, base, fixed, team, cap = instance(seed, draws=1)
    od, demand = tables(t, w)
    problem = problem_of(seed, draws=1)
    required = _required(problem)
    xs = plans(problem, int(problem.cap.sum()))
    ok = ((xs @ problem.gain.T) >= problem.need()[0][None, :])[:, required].all(axis=1)
    result = siting.apl_recruits(
        od, demand, baseline=base[0], weight="population", **site_kwargs(fixed, team, cap)
    )  # fmt: skip
    assert result.status == "optimal"
    assert result.objective == pytest.approx(float(xs[ok].sum(axis=1).min()), abs=1e-9)


def test_the_relevant_communes_reduce_these_instances():
    """More sites closed or capped than on every inhabited commune: the tests above check it."""
    closed = capped = 0
    for seed in range(N_INSTANCES):
        for objective in OBJECTIVES:
            problem = problem_of(seed, draws=1 if objective == "recruits" else 3)
            budget = Budget(recruits=_recruits(seed, problem), sites=None)
            rows = relevant_communes(
                problem, budget, objective=objective, required=_required(problem)
            )  # fmt: skip
            reduced = relevant_caps(problem, rows)
            before = fte_bounds(problem, budget) > 0
            closed += int((before & ~(fte_bounds(reduced, budget) > 0)).sum())
            capped += int((reduced.cap < problem.cap).sum())
    assert closed > 0
    assert capped > 0


def test_a_new_site_whose_team_alone_lifts_a_commune_is_in_these_instances():
    """The rows where such a site enters by its opening binary are checked by brute force above."""
    found = 0
    for seed in range(N_INSTANCES):
        problem = problem_of(seed)
        need = problem.need().max(axis=0)
        whole = (problem.gain * problem.team_min >= need[:, None]) & (problem.gain > 0)
        found += int((whole & problem.new[None, :] & (need > 0)[:, None]).sum())
    assert found > 0


@pytest.mark.parametrize("seed", range(N_INSTANCES))
def test_the_reduced_recruits_mip_finds_the_fewest_recruits_for_a_share(seed):
    """With ``share < 1`` (covering binaries, new sites by their opening binary), by brute force."""
    t, w, base, fixed, team, cap = instance(seed, draws=1)
    od, demand = tables(t, w)
    problem = problem_of(seed, draws=1)
    required = _required(problem)
    already = float(problem.people[problem.need()[0] <= 0].sum())
    target = 0.7 * float(problem.people.sum()) - already
    if target <= 0 or target > float(problem.people[required].sum()):
        pytest.skip("the share is met by no plan or by every plan")
    xs = plans(problem, int(problem.cap.sum()))
    got = (xs @ problem.gain.T) >= problem.need()[0][None, :]
    ok = (got & required[None, :]) @ problem.people >= target * (1 - 1e-12)
    result = siting.apl_recruits(
        od, demand, baseline=base[0], share=0.7, weight="population",
        **site_kwargs(fixed, team, cap),
    )  # fmt: skip
    assert result.status == "optimal"
    assert result.objective == pytest.approx(float(xs[ok].sum(axis=1).min()), abs=1e-9)
