"""Siting models against brute-force enumeration on instances small enough to enumerate."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from accessmap import siting
from accessmap.errors import SolverError, ValidationError
from accessmap.indicators import AplParameters

SEEDS = [0, 1, 2, 3, 4, 5]


def make_instance(seed: int, n_demand: int = 9, n_sites: int = 7, drop: float = 0.1):
    """Random demand x site times (some pairs missing = unreachable) and populations."""
    rng = np.random.default_rng(seed)
    dem = rng.uniform(0, 30, (n_demand, 2))
    sites = rng.uniform(0, 30, (n_sites, 2))
    minutes = np.hypot(*(dem[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
    demand_ids = [f"d{i}" for i in range(n_demand)]
    site_ids = [f"s{j}" for j in range(n_sites)]
    rows = [
        (demand_ids[i], site_ids[j], float(minutes[i, j]), "crowfly")
        for i in range(n_demand)
        for j in range(n_sites)
        if rng.uniform() >= drop or j == i % n_sites  # every demand keeps one reachable site
    ]
    od = pd.DataFrame(rows, columns=["origin_id", "dest_id", "minutes", "method"])
    demand = pd.DataFrame(
        {"id": demand_ids, "population": rng.integers(50, 2000, n_demand).astype(float)}
    )
    return od, demand


def matrix(od: pd.DataFrame, demand: pd.DataFrame, sites: list[str]) -> np.ndarray:
    table = od.pivot_table(index="origin_id", columns="dest_id", values="minutes")
    return table.reindex(index=demand["id"], columns=sites).fillna(np.inf).to_numpy()


def site_ids(od: pd.DataFrame) -> list[str]:
    return sorted(od["dest_id"].unique())


def nearest(d: np.ndarray, combo: tuple[int, ...]) -> np.ndarray:
    if not combo:
        return np.full(d.shape[0], np.inf)
    return d[:, list(combo)].min(axis=1)


# --- MCLP -------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("p", [1, 2, 3])
def test_mclp_matches_enumeration(seed, p):
    od, demand = make_instance(seed)
    sites = site_ids(od)
    d = matrix(od, demand, sites)
    w = demand["population"].to_numpy()
    best = max(w[nearest(d, c) < 12.0].sum() for c in itertools.combinations(range(len(sites)), p))
    result = siting.mclp(od, demand, p=p, minutes=12.0)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(best, rel=1e-9)
    assert len(result.sites) == p
    chosen = tuple(sites.index(s) for s in result.sites)
    assert w[nearest(d, chosen) < 12.0].sum() == pytest.approx(best)
    assert result.assignment["served"].sum() == pytest.approx(best)
    assert result.heuristic_objective is not None
    assert result.heuristic_objective <= best + 1e-9
    assert result.heuristic_gap is not None
    assert result.heuristic_gap >= 0


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_mclp_with_fixed_sites_and_exclusions(seed):
    od, demand = make_instance(seed)
    sites = site_ids(od)
    d = matrix(od, demand, sites)
    w = demand["population"].to_numpy()
    fixed = ["s0"]
    excluded = ["s3"]
    pool = [j for j, s in enumerate(sites) if s not in fixed + excluded]
    best = max(w[nearest(d, (0, *c)) < 10.0].sum() for c in itertools.combinations(pool, 2))
    result = siting.mclp(od, demand, p=2, minutes=10.0, fixed=fixed, exclude=excluded)
    assert result.objective == pytest.approx(best)
    assert result.fixed == ("s0",)
    assert "s3" not in result.sites
    assert "s0" not in result.sites
    assert set(result.open_sites) == {"s0", *result.sites}


def test_coverage_threshold_is_half_open():
    od = pd.DataFrame(
        {
            "origin_id": ["a", "b"],
            "dest_id": ["x", "x"],
            "minutes": [20.0, 19.999],
            "method": "osm",
        }
    )
    demand = pd.DataFrame({"id": ["a", "b"], "population": [100.0, 10.0]})
    at_edge = siting.mclp(od, demand, p=1, minutes=20)
    assert at_edge.objective == 10.0  # exactly 20 minutes is not "within 20"
    covered = at_edge.assignment.set_index("id")["covered"]
    assert not covered["a"]
    assert covered["b"]
    assert siting.mclp(od, demand, p=1, minutes=20.001).objective == 110.0
    with pytest.raises(SolverError) as info:
        siting.lscp(od, demand, minutes=20)
    assert info.value.code == "siting.cover_impossible"
    assert info.value.params["ids"] == ["a"]
    assert siting.lscp(od, demand, minutes=20.001).objective == 1


def test_mclp_greedy_method_is_labelled_heuristic():
    od, demand = make_instance(3)
    result = siting.mclp(od, demand, p=2, minutes=12, method="greedy")
    assert result.status == "heuristic"
    assert math.isnan(result.bound)
    assert result.heuristic_gap is None
    assert len(result.sites) == 2


# --- LSCP -------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_lscp_matches_enumeration(seed):
    od, demand = make_instance(seed, drop=0.0)
    sites = site_ids(od)
    d = matrix(od, demand, sites)
    threshold = 14.0
    if not (d < threshold).any(axis=1).all():
        with pytest.raises(SolverError) as info:
            siting.lscp(od, demand, minutes=threshold)
        assert info.value.code == "siting.cover_impossible"
        return
    best = next(
        k
        for k in range(1, len(sites) + 1)
        if any(
            (nearest(d, c) < threshold).all() for c in itertools.combinations(range(len(sites)), k)
        )
    )
    result = siting.lscp(od, demand, minutes=threshold)
    assert result.objective == best
    assert len(result.sites) == best
    assert result.assignment["covered"].all()


def test_lscp_infeasible_lists_the_communes():
    od = pd.DataFrame(
        {
            "origin_id": ["a", "b", "c"],
            "dest_id": ["x", "x", "y"],
            "minutes": [5.0, 40.0, 3.0],
            "method": "osm",
        }
    )
    demand = pd.DataFrame({"id": ["a", "b", "c", "d"], "population": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(SolverError) as info:
        siting.lscp(od, demand, minutes=20)
    assert info.value.code == "siting.cover_impossible"
    assert info.value.params["ids"] == ["b", "d"]  # d: no travel time at all, unreachable
    message = str(info.value)
    assert "b, d" in message
    assert info.value.field == "minutes"
    assert info.value.fix


# --- p-median ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("p", [1, 2, 3])
def test_p_median_matches_enumeration(seed, p):
    od, demand = make_instance(seed, n_demand=10, n_sites=8)
    sites = site_ids(od)
    d = matrix(od, demand, sites)
    w = demand["population"].to_numpy()
    values = [(w * nearest(d, c)).sum() for c in itertools.combinations(range(len(sites)), p)]
    best = min(values)
    result = siting.p_median(od, demand, p=p)
    if not math.isfinite(best):
        pytest.skip("no p-subset reaches every demand in this draw")
    assert result.status == "optimal"
    assert result.objective == pytest.approx(best, rel=1e-9)
    assert (result.assignment["minutes"] * result.assignment["weight"]).sum() == pytest.approx(
        best, rel=1e-9
    )
    assert result.heuristic_gap is not None
    assert result.heuristic_gap >= -1e-12


def test_p_median_with_fixed_site():
    od, demand = make_instance(7, n_demand=10, n_sites=8, drop=0.0)
    sites = site_ids(od)
    d = matrix(od, demand, sites)
    w = demand["population"].to_numpy()
    pool = [j for j in range(len(sites)) if sites[j] != "s5"]
    best = min((w * nearest(d, (5, *c))).sum() for c in itertools.combinations(pool, 2))
    result = siting.p_median(od, demand, p=2, fixed=["s5"])
    assert result.objective == pytest.approx(best, rel=1e-9)


# --- p-center ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("p", [1, 2, 3])
def test_p_center_matches_enumeration(seed, p):
    od, demand = make_instance(seed, drop=0.0)
    sites = site_ids(od)
    d = matrix(od, demand, sites)
    best = min(nearest(d, c).max() for c in itertools.combinations(range(len(sites)), p))
    result = siting.p_center(od, demand, p=p)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(best, rel=1e-12)
    assert result.assignment["minutes"].max() == pytest.approx(best, rel=1e-12)
    assert result.heuristic_objective is not None
    assert result.heuristic_objective >= best - 1e-12


def test_p_center_ignores_uninhabited_demand():
    od = pd.DataFrame(
        {
            "origin_id": ["a", "a", "b", "b"],
            "dest_id": ["x", "y", "x", "y"],
            "minutes": [1.0, 9.0, 50.0, 60.0],
            "method": "osm",
        }
    )
    demand = pd.DataFrame({"id": ["a", "b"], "population": [10.0, 0.0]})
    assert siting.p_center(od, demand, p=1).objective == 1.0


# --- volunteer centres ------------------------------------------------------------------------


def served_by(d, w, combo, caps, threshold, *, must_serve=False):
    """Best transportation for a fixed set of open centres, with scipy's linprog."""
    pairs = [(i, j) for i in range(len(w)) for j in combo if d[i, j] < threshold]
    if not pairs:
        return (0.0, 0.0) if not must_serve or w.sum() == 0 else (None, None)
    n_var = len(pairs)
    a_ub, b_ub, a_eq, b_eq = [], [], [], []
    for i in range(len(w)):
        row = [1.0 if pi == i else 0.0 for pi, _ in pairs]
        (a_eq if must_serve else a_ub).append(row)
        (b_eq if must_serve else b_ub).append(w[i])
    for j in combo:
        a_ub.append([1.0 if pj == j else 0.0 for _, pj in pairs])
        b_ub.append(caps[j])
    cost = [d[i, j] for i, j in pairs] if must_serve else [-1.0] * n_var
    res = linprog(
        cost,
        A_ub=np.array(a_ub) if a_ub else None,
        b_ub=b_ub or None,
        A_eq=np.array(a_eq) if a_eq else None,
        b_eq=b_eq or None,
        bounds=(0, None),
    )
    if res.status != 0:
        return None, None
    return (-res.fun if not must_serve else sum(w)), res.fun


@pytest.mark.parametrize("seed", SEEDS[:4])
@pytest.mark.parametrize("p", [1, 2])
def test_volunteer_centres_match_enumeration(seed, p):
    od, demand = make_instance(seed, n_demand=8, n_sites=6)
    sites = site_ids(od)
    d = matrix(od, demand, sites)
    w = demand["population"].to_numpy()
    params = siting.VolunteerCentreParameters(volunteer_weeks=48, patients_per_fte=1500)
    caps = np.full(len(sites), params.capacity)
    best = max(
        served_by(d, w, c, caps, 15.0)[0] for c in itertools.combinations(range(len(sites)), p)
    )
    result = siting.volunteer_centres(od, demand, p=p, minutes=15.0, params=params)
    assert result.objective == pytest.approx(best, rel=1e-7)
    table = result.site_table
    assert (table["served"] <= table["capacity"] + 1e-6).all()
    served = result.assignment.groupby("id")["served"].sum()
    assert (served <= demand.set_index("id")["population"].reindex(served.index) + 1e-6).all()
    assert (result.assignment.dropna(subset=["site_id"])["minutes"] < 15.0).all()


def test_volunteer_centre_must_serve_matches_enumeration():
    od, demand = make_instance(11, n_demand=6, n_sites=5, drop=0.0)
    demand["population"] = [300.0, 200.0, 250.0, 100.0, 400.0, 150.0]
    sites = site_ids(od)
    d = matrix(od, demand, sites)
    w = demand["population"].to_numpy()
    caps = np.full(len(sites), 1000.0)
    threshold = 40.0
    costs = []
    for c in itertools.combinations(range(len(sites)), 2):
        _, cost = served_by(d, w, c, caps, threshold, must_serve=True)
        if cost is not None:
            costs.append(cost)
    result = siting.volunteer_centres(
        od, demand, p=2, minutes=threshold, must_serve=True, capacities=dict.fromkeys(sites, 1e3)
    )
    assert result.sense == "min"
    assert result.objective == pytest.approx(min(costs), rel=1e-7)
    assert result.assignment["served"].sum() == pytest.approx(w.sum())


def test_volunteer_capacity_follows_volunteer_weeks():
    params = siting.VolunteerCentreParameters(volunteer_weeks=24, weeks_per_fte=48)
    assert params.fte == 0.5
    assert params.capacity == 500.0
    with pytest.raises(ValidationError) as info:
        siting.VolunteerCentreParameters(volunteer_weeks=0)
    assert (info.value.code, info.value.field) == ("siting.not_positive", "volunteer_weeks")


def test_must_serve_capacity_below_demand_is_reported():
    od, demand = make_instance(2, drop=0.0)
    params = siting.VolunteerCentreParameters(patients_per_fte=100)
    with pytest.raises(SolverError) as info:
        siting.volunteer_centres(od, demand, p=1, minutes=60, must_serve=True, params=params)
    assert info.value.field == "capacities"
    assert info.value.code == "siting.must_serve_capacity"
    assert info.value.params["capacity"] < info.value.params["demand"]
    # without must_serve the same instance is a plain maximisation
    result = siting.volunteer_centres(od, demand, p=1, minutes=60, params=params)
    assert result.objective == pytest.approx(100.0 * params.fte)  # 48 weeks / 47 per FTE


def test_must_serve_out_of_reach_lists_communes():
    od = pd.DataFrame(
        {"origin_id": ["a", "b"], "dest_id": ["x", "x"], "minutes": [5.0, 35.0], "method": "osm"}
    )
    demand = pd.DataFrame({"id": ["a", "b"], "population": [10.0, 10.0]})
    with pytest.raises(SolverError) as info:
        siting.volunteer_centres(od, demand, p=1, minutes=30, must_serve=True)
    assert info.value.code == "siting.must_serve_out_of_reach"
    assert info.value.params["ids"] == ["b"]


def test_unserved_demand_criteria():
    od = pd.DataFrame(
        {
            "origin_id": ["a", "b", "c"],
            "dest_id": ["gp", "gp", "gp"],
            "minutes": [5.0, 25.0, 8.0],
            "method": "osm",
        }
    )
    demand = pd.DataFrame({"id": ["a", "b", "c"], "population": [10.0, 20.0, 30.0]})
    out = siting.unserved_demand(demand, od=od, existing_sites=["gp"], minutes=20)
    assert out["population"].tolist() == [0.0, 20.0, 0.0]
    apl = pd.DataFrame({"id": ["a", "b", "c"], "apl": [3.0, 4.0, 1.0]})
    out = siting.unserved_demand(demand, apl=apl, losing_gp=["a"])
    assert out["population"].tolist() == [10.0, 0.0, 30.0]
    with pytest.raises(ValidationError) as info:
        siting.unserved_demand(demand)
    assert info.value.code == "siting.no_unserved_criterion"


# --- rotation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_rotation_coverage_matches_enumeration(seed):
    od, demand = make_instance(seed, n_demand=9, n_sites=6)
    sites = site_ids(od)
    d = matrix(od, demand, sites)
    w = demand["population"].to_numpy()
    params = siting.RotationParameters(min_days=1.0, max_days=2.0, day_step=0.5)
    team = {"gp1": 2.5, "gp2": 1.5}  # 4 days: 2 to 4 sites
    best = max(
        w[nearest(d, c) < 10.0].sum()
        for k in range(2, 5)
        for c in itertools.combinations(range(len(sites)), k)
    )
    result = siting.rotation(od, demand, team=team, minutes=10.0, params=params)
    assert result.objective == pytest.approx(best)
    days = result.site_table["days_per_week"]
    assert days.sum() == pytest.approx(4.0)
    assert ((days >= 1.0) & (days <= 2.0)).all()
    rota = result.rotation
    assert rota is not None
    assert rota.groupby("gp_id")["days_per_week"].sum().to_dict() == team
    per_site = rota.groupby("site_id")["days_per_week"].sum()
    assert per_site.to_dict() == result.site_table.set_index("site_id")["days_per_week"].to_dict()


def test_rotation_deficit_matches_enumeration():
    od, demand = make_instance(5, n_demand=7, n_sites=4, drop=0.0)
    sites = site_ids(od)
    d = matrix(od, demand, sites)
    w = demand["population"].to_numpy()
    params = siting.RotationParameters(min_days=0.5, max_days=2.0, day_step=0.5)
    apl_params = AplParameters()
    decay = np.zeros_like(d)
    for band in apl_params.decay:
        decay[(d >= band.lower) & (d < band.upper)] = band.weight
    catchment = decay.T @ w
    per_step = 0.5 / params.days_per_fte * params.acts_per_fte
    base = np.linspace(0.5, 3.0, len(w))
    target = 2.5
    best = math.inf
    for steps in itertools.product(range(5), repeat=len(sites)):  # 0..2 days in half-days
        if sum(steps) != 6:  # 3 team days
            continue
        s = np.array(steps, dtype=float)
        apl = base + (decay * per_step / np.where(catchment > 0, catchment, 1)) @ s
        best = min(best, float((w * np.maximum(0, target - apl)).sum()))
    baseline = pd.DataFrame({"id": demand["id"], "apl": base})
    result = siting.rotation(
        od,
        demand,
        team=3.0,
        objective="deficit",
        params=params,
        baseline_apl=baseline,
        apl_target=target,
    )
    assert result.sense == "min"
    assert result.objective == pytest.approx(best, rel=1e-6, abs=1e-6)


def test_rotation_rejects_bad_team():
    od, demand = make_instance(0)
    with pytest.raises(ValidationError) as info:
        siting.rotation(od, demand, team=2.3)
    assert info.value.code == "siting.gp_days_invalid"
    with pytest.raises(ValidationError) as info:
        siting.rotation(od, demand, team=100.0)
    assert info.value.code == "siting.team_days_unplaceable"


# --- errors and solver options ----------------------------------------------------------------


def test_p_larger_than_candidates():
    od, demand = make_instance(0)
    with pytest.raises(ValidationError) as info:
        siting.mclp(od, demand, p=8, minutes=10)
    assert info.value.field == "p"
    assert info.value.code == "siting.p_too_large"
    with pytest.raises(ValidationError) as info:
        siting.p_median(od, demand, p=3, candidates=["s0", "s1"])
    assert info.value.code == "siting.p_too_large"
    assert info.value.params == {"p": 3, "available": 2}
    assert info.value.message.startswith("p = 3 dépasse")


def test_candidate_not_in_od_table():
    od, demand = make_instance(0)
    with pytest.raises(ValidationError) as info:
        siting.mclp(od, demand, p=1, minutes=10, candidates=["s0", "nowhere"])
    assert info.value.field == "candidates"
    assert (info.value.code, info.value.params["ids"]) == ("siting.unknown_sites", ["nowhere"])
    with pytest.raises(ValidationError) as info:
        siting.p_median(od, demand, p=1, fixed=["ghost"])
    assert (info.value.code, info.value.params["ids"]) == ("siting.unknown_sites", ["ghost"])


def test_bad_tables():
    od, demand = make_instance(0)
    # the tables' own checks (accessmap.contracts) name the offending field
    with pytest.raises(ValidationError) as info:
        siting.mclp(od.drop(columns="minutes"), demand, p=1, minutes=10)
    assert info.value.field == "od.minutes"
    with pytest.raises(ValidationError) as info:
        siting.mclp(pd.concat([od, od.iloc[:1]]), demand, p=1, minutes=10)
    assert (info.value.code, info.value.field) == ("contracts.duplicate_pairs", "od")
    with pytest.raises(ValidationError) as info:
        siting.mclp(od, demand.rename(columns={"population": "pop"}), p=1, minutes=10)
    assert info.value.field == "demand.population"
    negative = demand.assign(population=-demand["population"])
    with pytest.raises(ValidationError) as info:
        siting.mclp(od, negative, p=1, minutes=10)
    assert info.value.code == "contracts.bad_values"
    assert info.value.field == "demand.population"
    with pytest.raises(ValidationError) as info:
        siting.mclp(od, demand, p=1, minutes=0)
    assert (info.value.code, info.value.field) == ("siting.minutes_invalid", "minutes")
    with pytest.raises(ValidationError) as info:
        siting.mclp(od, demand, p=1, minutes=10, method="magic")  # type: ignore[arg-type]
    assert (info.value.code, info.value.field) == ("siting.unknown_method", "method")


def test_solver_options_are_validated_and_used():
    with pytest.raises(ValidationError) as info:
        siting.SolverOptions(time_limit=0)
    assert (info.value.code, info.value.field) == ("siting.time_limit_invalid", "time_limit")
    with pytest.raises(ValidationError) as info:
        siting.SolverOptions(mip_rel_gap=2)
    assert (info.value.code, info.value.field) == ("siting.gap_invalid", "mip_rel_gap")
    od, demand = make_instance(1)
    options = siting.SolverOptions(threads=1, time_limit=30, mip_rel_gap=0.0, warm_start=False)
    result = siting.p_median(od, demand, p=2, solver=options)
    assert result.status == "optimal"


def test_run_model_dispatch():
    od, demand = make_instance(4)
    direct = siting.mclp(od, demand, p=2, minutes=12)
    assert siting.run_model("mclp", od, demand, p=2, minutes=12).objective == direct.objective
    assert siting.run_model("p-median", od, demand, p=1).model == "p_median"
    with pytest.raises(ValidationError) as info:
        siting.run_model("mclp", od, demand, minutes=12)
    assert info.value.code == "siting.missing_parameters"
    with pytest.raises(ValidationError) as info:
        siting.run_model("kmeans", od, demand, p=1)
    assert info.value.code == "siting.unknown_model"
    assert "kmeans" in info.value.message


def test_nearest_open():
    od, demand = make_instance(0, drop=0.0)
    sites = site_ids(od)
    d = matrix(od, demand, sites)
    out = siting.nearest_open(od, demand, sites=["s1", "s2"], minutes=10)
    np.testing.assert_allclose(out["minutes"], d[:, [1, 2]].min(axis=1))
    assert (out["covered"] == (out["minutes"] < 10)).all()


@pytest.mark.parametrize(("seed", "p"), [(0, 2), (2, 3), (4, 2), (9, 2)])
def test_p_median_with_fractional_lp_goes_through_the_mip(seed, p):
    """These draws have a fractional LP relaxation: the MIP phase must still find the optimum."""
    od, demand = make_instance(seed, n_demand=12, n_sites=9, drop=0.3)
    sites = site_ids(od)
    d = matrix(od, demand, sites)
    w = demand["population"].to_numpy()
    best = min((w * nearest(d, c)).sum() for c in itertools.combinations(range(len(sites)), p))
    result = siting.p_median(od, demand, p=p)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(best, rel=1e-9)


@pytest.mark.parametrize(("seed", "p"), [(19, 2), (46, 2), (52, 3)])
def test_mclp_with_fractional_lp_goes_through_the_mip(seed, p, monkeypatch):
    """These draws have a fractional LP relaxation: branch-and-bound must find the optimum."""
    calls = []
    relaxation = siting._highs._relaxation

    def spy(*args, **kwargs):
        calls.append(relaxation(*args, **kwargs))
        return calls[-1]

    monkeypatch.setattr(siting._highs, "_relaxation", spy)
    od, demand = make_instance(seed, n_demand=12, n_sites=9, drop=0.2)
    sites = site_ids(od)
    d = matrix(od, demand, sites)
    w = demand["population"].to_numpy()
    best = max(w[nearest(d, c) < 10.0].sum() for c in itertools.combinations(range(len(sites)), p))
    result = siting.mclp(od, demand, p=p, minutes=10.0)
    assert calls == [None]  # the relaxation was fractional
    assert result.status == "optimal"
    assert result.objective == pytest.approx(best)


def fake_run(status, *, x=None, objective=1.0, bound=2.0):
    from accessmap.siting._highs import _Run

    return _Run(status=status, label=status, x=x, objective=objective, bound=bound)


def test_interpret_reports_time_limit_incumbent_and_errors():
    from accessmap.messages import Message
    from accessmap.siting._highs import Mip, interpret, rel_gap

    name, advice = Message("siting.model_mclp"), Message("siting.advice_check_inputs")

    # max x0 + x1, x0 + x1 <= 1, binaries
    mip = Mip(
        cost=np.array([1.0, 1.0]), lower=np.zeros(2), upper=np.ones(2),
        integer=np.ones(2, dtype=bool), rows=np.array([0, 0]), cols=np.array([0, 1]),
        vals=np.ones(2), row_lower=np.array([-np.inf]), row_upper=np.array([1.0]), maximize=True,
    )  # fmt: skip
    one = np.array([1.0, 0.0])
    out = interpret(mip, fake_run("kTimeLimit", x=one, objective=1.0, bound=1.25), incumbent=None,
                    what=name, infeasible_fix=advice)  # fmt: skip
    assert (out.status, out.objective, out.bound) == ("time_limit", 1.0, 1.25)
    assert rel_gap(out.objective, out.bound) == pytest.approx(0.25)
    # no solution from HiGHS: the incumbent is returned, with a note
    out = interpret(mip, fake_run("kTimeLimit"), incumbent=one, what=name, infeasible_fix=advice)
    assert out.status == "time_limit"
    assert out.objective == 1.0
    assert out.notes[0].code == "siting.note_stopped"
    assert "la solution approchée est rendue" in str(out.notes[0])
    with pytest.raises(SolverError) as info:
        interpret(mip, fake_run("kTimeLimit"), incumbent=None, what=name, infeasible_fix=advice)
    assert info.value.field == "time_limit"
    assert info.value.code == "siting.no_solution_in_time"
    # an "optimum" whose vector is not worth the reported objective is never optimal
    out = interpret(mip, fake_run("kOptimal", x=np.zeros(2), objective=1.0), incumbent=None,
                    what=name, infeasible_fix=advice)  # fmt: skip
    assert out.status == "unverified"
    assert out.objective == 0.0
    # an infeasible vector is not a solution
    bad = np.array([1.0, 1.0])
    with pytest.raises(SolverError):
        interpret(mip, fake_run("kOptimal", x=bad, objective=2.0), incumbent=None, what=name,
                  infeasible_fix=advice)  # fmt: skip
    out = interpret(mip, fake_run("kOptimal", x=bad, objective=2.0), incumbent=one, what=name,
                    infeasible_fix=advice)  # fmt: skip
    assert (out.status, out.objective) == ("unverified", 1.0)
    assert out.notes[0].code == "siting.note_solution_broken"
    for status, code in (("kInfeasible", "siting.model_infeasible"),
                         ("kUnbounded", "siting.model_unbounded"),
                         ("kSolveError", "siting.solver_failed")):  # fmt: skip
        with pytest.raises(SolverError) as info:
            interpret(mip, fake_run(status), incumbent=one, what=name, infeasible_fix=advice)
        assert info.value.code == code
        assert "couverture maximale" in info.value.message
    optimal = interpret(mip, fake_run("kOptimal", x=one, objective=1.0), incumbent=None,
                        what=name, infeasible_fix=advice)  # fmt: skip
    assert optimal.status == "optimal"
    assert optimal.bound == optimal.objective
