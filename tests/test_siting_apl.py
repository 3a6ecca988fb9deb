"""The APL siting models: teams, unliftable communes, time limits, professions, draws, baseline."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from accessmap import siting
from accessmap.conventions import APL_PRIORITY, MSP_MIN_GPS
from accessmap.errors import SolverError, ValidationError
from accessmap.indicators import apl_weights


def line(n: int = 6, *, gap: float = 4.0, far: int = 0):
    """Communes every ``gap`` minutes along a road, sites at each of them; ``far`` isolated ones."""
    rows = []
    ids = [f"c{i}" for i in range(n + far)]
    rows.extend((ids[i], f"s{j}", abs(i - j) * gap) for i in range(n) for j in range(n))
    rows.extend((ids[n + k], "s0", 45.0) for k in range(far))
    od = pd.DataFrame(rows, columns=["origin_id", "dest_id", "minutes"])
    demand = pd.DataFrame({"id": ids, "population": 500.0 + 100.0 * np.arange(n + far)})
    return od, demand


def test_a_new_msp_is_a_team_and_existing_sites_are_reinforced_by_one():
    od, demand = line()
    base = pd.DataFrame({"id": demand["id"], "apl": 2.3})
    result = siting.apl_recruits(od, demand, baseline=base, fixed=["s2"])
    assert result.status == "optimal"
    table = result.site_table.set_index("site_id")
    assert (table.loc[table["new"], "fte"] >= MSP_MIN_GPS).all()
    assert set(table["kind"]) <= {"new_msp", "reinforced"}
    assert result.objective == table["fte"].sum()
    assert (result.communes["apl"] >= APL_PRIORITY - 1e-4).all()
    # one team fewer is not enough: check against the data
    x = result.communes["gain"].to_numpy()
    assert (base["apl"].to_numpy() + x >= APL_PRIORITY - 1e-4).all()


def test_communes_no_site_can_lift_are_named_with_why():
    od, demand = line(4, far=2)
    base = pd.DataFrame({"id": demand["id"], "apl": [3.0, 3.0, 2.0, 3.0, 1.0, 0.5]})
    result = siting.apl_recruits(od, demand, baseline=base, candidates=["s1", "s2"])
    reasons = result.communes.set_index("id")["reason"]
    assert reasons["c4"] == "no_site"
    assert reasons["c5"] == "no_site"
    assert pd.isna(reasons["c2"])
    codes = [m.code for m in result.notes]
    assert "siting.apl_unliftable" in codes
    text = str(next(m for m in result.notes if m.code == "siting.apl_unliftable"))
    assert "c4" in text
    assert "c5" in text
    # a cap too small for a commune far below: "capacity"
    low = base.assign(apl=[3.0, 3.0, 0.0, 3.0, 3.0, 3.0])
    crowded = demand.assign(population=demand["population"] * 10)
    capped = siting.apl_recruits(
        od, crowded, baseline=low, candidates=["s1", "s2"], max_fte=2, team_min=1
    )
    assert capped.communes.set_index("id").loc["c2", "reason"] == "capacity"


def test_a_share_of_the_inhabitants_needs_fewer_recruits():
    od, demand = line(6, gap=9.0)
    base = pd.DataFrame({"id": demand["id"], "apl": [1.0, 2.6, 1.2, 2.7, 1.4, 2.0]})
    every = siting.apl_recruits(od, demand, baseline=base, team_min=1)
    part = siting.apl_recruits(od, demand, baseline=base, team_min=1, share=0.6)
    assert part.status == every.status == "optimal"
    assert part.objective <= every.objective
    reached = part.communes["p_reached"].to_numpy() >= 1
    assert demand["population"].to_numpy()[reached].sum() >= 0.6 * demand["population"].sum()
    with pytest.raises(ValidationError) as info:
        siting.apl_recruits(od, demand, baseline=base, share=1.5)
    assert info.value.code == "siting.apl_share_invalid"


def random_instance(seed: int, n: int = 40, m: int = 25):
    rng = np.random.default_rng(seed)
    d, s = rng.uniform(0, 40, (n, 2)), rng.uniform(0, 40, (m, 2))
    t = np.hypot(d[:, None, 0] - s[None, :, 0], d[:, None, 1] - s[None, :, 1])
    od = pd.DataFrame(
        [(f"d{i}", f"s{j}", t[i, j]) for i in range(n) for j in range(m)],
        columns=["origin_id", "dest_id", "minutes"],
    )
    demand = pd.DataFrame(
        {"id": [f"d{i}" for i in range(n)], "population": rng.integers(100, 3000, n).astype(float)}
    )
    base = rng.uniform(0.5, 3.0, n)
    return od, demand, base


@pytest.mark.parametrize("model", ["apl_recruits", "apl_best_use", "apl_robust"])
def test_a_time_limit_returns_the_greedy_incumbent_labelled_with_its_gap(model):
    od, demand, base = random_instance(3)
    args = (
        {"baseline": base} if model == "apl_recruits"
        else {"baseline": base, "recruits": 8} if model == "apl_best_use"
        else {"draws": np.vstack([base, base * 0.9, base * 1.1]), "recruits": 8}
    )  # fmt: skip
    greedy = siting.run(model, od=od, demand=demand, method="greedy", **args)
    result = siting.run(model, od=od, demand=demand, time_limit=1e-9, **args)
    assert result.status == "time_limit"
    assert result.objective == pytest.approx(greedy.objective)
    assert math.isfinite(result.bound)
    assert math.isfinite(result.gap)
    assert result.gap >= 0


def test_a_node_limit_is_reported_like_a_time_limit_never_as_optimal():
    od, demand, base = random_instance(5, n=60, m=40)
    result = siting.run(
        "apl_best_use", od=od, demand=demand, baseline=base, recruits=10, node_limit=0
    )
    assert result.status in ("optimal", "time_limit")
    if result.status == "time_limit":
        assert result.gap >= 0
    else:
        assert result.bound == result.objective


def test_the_exact_answer_is_never_worse_than_the_greedy_one_on_larger_instances():
    for seed in range(3):
        od, demand, base = random_instance(seed)
        exact = siting.apl_best_use(od, demand, baseline=base, p=3)
        assert exact.status == "optimal"
        assert exact.heuristic_objective is not None
        assert exact.objective >= exact.heuristic_objective - 1e-9
        assert exact.heuristic_gap is not None
        assert exact.heuristic_gap >= 0
        assert exact.site_table["new"].sum() <= 3
        assert exact.site_table["fte"].sum() <= 3 * MSP_MIN_GPS


def test_the_gain_is_the_drees_two_step_formula():
    od, demand, base = random_instance(1, n=12, m=6)
    result = siting.apl_best_use(od, demand, baseline=base, recruits=4, team_min=1)
    t = od.pivot(index="origin_id", columns="dest_id", values="minutes").loc[demand["id"]]
    f = apl_weights(t.to_numpy())
    p = f.T @ demand["population"].to_numpy()
    x = result.site_table.set_index("site_id")["fte"].reindex(t.columns).fillna(0).to_numpy()
    expected = base + (f * 5400.0 / p) @ x
    assert np.allclose(result.communes["apl"], expected)


def test_other_professions_use_their_unit_and_need_a_threshold():
    od, demand, base = random_instance(2, n=10, m=5)
    with pytest.raises(ValidationError) as info:
        siting.apl_recruits(od, demand, baseline=base * 50, profession="infirmier")
    assert info.value.code == "siting.apl_threshold_needed"
    result = siting.apl_recruits(
        od, demand, baseline=base * 50, profession="infirmier", threshold=120.0, team_min=1
    )
    assert result.status == "optimal"
    assert result.parameters["acts_per_fte"] == 1.0  # FTE per 100,000: one FTE
    t = od.pivot(index="origin_id", columns="dest_id", values="minutes").loc[demand["id"]]
    f = apl_weights(t.to_numpy())
    p = f.T @ demand["population"].to_numpy()
    x = result.site_table.set_index("site_id")["fte"].reindex(t.columns).fillna(0).to_numpy()
    assert np.allclose(result.communes["apl"], base * 50 + 100_000 * (f / p) @ x)
    with pytest.raises(ValidationError) as info:
        siting.apl_recruits(od, demand, baseline=base, profession="pharmacie", threshold=1.0)
    assert info.value.code == "siting.apl_profession_no_apl"


def test_bad_baselines_and_budgets_are_refused_by_code():
    od, demand, base = random_instance(4, n=8, m=4)
    cases = [
        ({"baseline": base[:5]}, "siting.apl_baseline_shape"),
        ({"baseline": pd.DataFrame({"id": ["d0"], "apl": [1.0]})}, "siting.apl_baseline_missing"),
        ({"baseline": np.where(np.arange(8) == 2, np.nan, base)}, "siting.apl_baseline_missing"),
    ]
    for kwargs, code in cases:
        with pytest.raises(ValidationError) as info:
            siting.apl_recruits(od, demand, **kwargs)
        assert info.value.code == code
    with pytest.raises(ValidationError) as info:
        siting.apl_best_use(od, demand, baseline=base)
    assert info.value.code == "siting.apl_budget_needed"
    with pytest.raises(ValidationError) as info:
        siting.apl_recruits(od, demand, baseline=np.vstack([base, base]))
    assert info.value.code == "siting.apl_one_baseline"
    with pytest.raises(ValidationError) as info:
        siting.apl_recruits(od, demand, baseline=base, team_min=0)
    assert info.value.code == "siting.apl_whole_number"


def test_too_few_new_sites_for_every_commune_is_an_error_not_a_wrong_answer():
    od, demand = line(6, gap=12.0)
    base = pd.DataFrame({"id": demand["id"], "apl": 1.0})
    with pytest.raises(SolverError) as info:
        siting.apl_recruits(od, demand, baseline=base, max_sites=1)
    assert info.value.code == "siting.model_infeasible"
    with pytest.raises(ValidationError) as info:
        siting.apl_recruits(od, demand, baseline=base, max_sites=1, method="greedy")
    assert info.value.code == "siting.apl_greedy_short"


def test_a_plan_is_evaluated_over_the_draws_with_its_band():
    od, demand, base = random_instance(6, n=20, m=10)
    rng = np.random.default_rng(0)
    draws = base[None, :] + rng.normal(0, 0.4, (200, len(base)))
    robust = siting.apl_robust(od, demand, draws=draws, recruits=6, sample=15, seed=1)
    assert robust.status == "optimal"
    assert robust.parameters["sample"] == 15
    band = siting.apl_plan_draws(od, demand, plan=robust, draws=draws)
    after = siting.apl_plan_draws(od, demand, plan={}, draws=draws)
    assert band.under.shape == (200,)
    assert band.q10 <= band.median <= band.q90
    assert (band.under <= after.under + 1e-9).all()  # adding doctors never hurts
    x = robust.site_table.set_index("site_id")["fte"]
    t = od.pivot(index="origin_id", columns="dest_id", values="minutes").loc[demand["id"]]
    f = apl_weights(t.to_numpy())
    g = f * 5400.0 / (f.T @ demand["population"].to_numpy())
    apl = draws + g @ x.reindex(t.columns).fillna(0).to_numpy()
    under = (apl < APL_PRIORITY - 1e-4) @ demand["population"].to_numpy()
    assert np.allclose(band.under, under)
    assert band.median == pytest.approx(np.median(under))
    # the same plan from a mapping
    same = siting.apl_plan_draws(od, demand, plan=x.to_dict(), draws=draws)
    assert np.allclose(same.under, band.under)


def test_the_robust_plan_does_at_least_as_well_on_its_sample_as_the_median_plan():
    od, demand, base = random_instance(7, n=18, m=10)
    rng = np.random.default_rng(3)
    draws = base[None, :] + rng.normal(0, 0.5, (6, len(base)))
    robust = siting.apl_robust(od, demand, draws=draws, recruits=6, sample=6)
    median = siting.apl_best_use(od, demand, baseline=np.median(draws, axis=0), recruits=6)
    on_sample = siting.apl_plan_draws(od, demand, plan=median, draws=draws)
    mean_reached = demand["population"].sum() - on_sample.under.mean()
    assert robust.objective >= mean_reached - 1e-6


def test_official_plus_change_adds_the_modelled_change_to_the_published_value():
    published = pd.DataFrame({"code": ["a", "b"], "apl": [3.29, 2.0]})
    today = pd.DataFrame({"id": ["a", "b", "c"], "apl": [2.97, 2.5, 1.0]})
    year = pd.DataFrame({"commune_code": ["a", "b", "c"], "apl": [1.67, 0.1, 0.8]})
    out = siting.official_plus_change(published, modelled_today=today, modelled_year=year)
    row = out.set_index("id")
    assert row.loc["a", "apl"] == pytest.approx(3.29 + 1.67 - 2.97)
    assert row.loc["b", "apl"] == 0.0  # floored
    assert row.loc["c", "apl"] == pytest.approx(0.8)
    assert list(row["source"]) == ["official", "official", "modelled"]
    with pytest.raises(ValidationError) as info:
        siting.official_plus_change(published, modelled_today=today.iloc[:1], modelled_year=year)
    assert info.value.code == "siting.apl_baseline_missing"


def test_official_plus_change_shifts_every_draw():
    published = pd.DataFrame({"code": ["a", "b"], "apl": [3.0, 2.0]})
    today = pd.DataFrame({"id": ["a", "b", "c"], "apl": [2.5, 2.5, 1.0]})
    draws = pd.DataFrame({"a": [2.0, 1.0], "b": [0.5, 2.5], "c": [0.9, 0.7]})
    out = siting.official_plus_change_draws(published, modelled_today=today, draws=draws)
    assert np.allclose(out.to_numpy(), [[2.5, 0.0, 0.9], [1.5, 2.0, 0.7]])
    one = siting.official_plus_change(
        published, modelled_today=today,
        modelled_year=pd.DataFrame({"id": list(draws.columns), "apl": draws.iloc[1].to_numpy()}),
    )  # fmt: skip
    assert np.allclose(one["apl"], out.iloc[1])


def test_the_models_are_in_the_registry_with_french_help():
    for name in ("apl_recruits", "apl_best_use", "apl_robust"):
        spec = siting.get_model(name)
        assert spec.option_kind == "msp"
        assert spec.keeps_existing
        assert spec.parameter("team_min").default == MSP_MIN_GPS
        assert spec.parameter("threshold") is not None
        assert "modèle" in str(siting.instance.model_name(name))
    od, demand = line()
    base = pd.DataFrame({"id": demand["id"], "apl": 2.0})
    result = siting.run("recruits", od=od, demand=demand, baseline=base, fixed=["s0"])
    assert result.model == "apl_recruits"
    with pytest.raises(ValidationError):
        siting.run("apl_best_use", od=od, demand=demand, baseline=base, objective="speed", p=1)
