"""The outlook on sparse operators (issue 15): same results as the dense engine, only near pairs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from accessmap import workforce as wf
from accessmap.contracts import AplParameters
from accessmap.supply import Roster, make_roster
from accessmap.workforce import engine, prepare

START = 2025
HORIZON = 12


def synthetic(
    n_communes: int = 40, n_sites: int = 14, n_gp: int = 30, seed: int = 0, cutoff: float = 45.0
) -> tuple[Roster, pd.DataFrame, pd.DataFrame, str]:
    """A random territory with a sparse travel-time table (pairs under ``cutoff`` minutes only).

    Times sit exactly on band edges for four pairs (10, 15, 20, 30 minutes); one site lies outside
    the demand communes, one pair is unreachable (inf) and one origin is not a demand commune.
    """
    rng = np.random.default_rng(seed)
    codes = [f"19{i:03d}" for i in range(1, n_communes + 1)]
    xy = rng.uniform(0, 50, size=(n_communes, 2))
    demand = pd.DataFrame(
        {
            "id": codes,
            "population": rng.integers(20, 3000, n_communes),
            "pop_std": rng.uniform(20, 3000, n_communes).round(1),
            "in_territory": np.arange(n_communes) < int(n_communes * 0.7),
        }
    )
    at = rng.choice(n_communes, size=n_sites, replace=False)
    sites = pd.DataFrame(
        {
            "site_id": [f"s{j}" for j in range(n_sites)],
            "commune_code": [codes[c] for c in at],
            "lon": 2.0 + xy[at, 0] / 80,
            "lat": 45.5 + xy[at, 1] / 111,
        }
    )
    sites.loc[len(sites)] = ["sx", "87001", 1.5, 45.9]
    km = np.hypot(*(xy[:, None, :] - xy[None, at, :]).transpose(2, 0, 1))
    minutes = np.round(km * 1.3 + 2.0, 1)
    minutes[0, 0], minutes[1, 1], minutes[2, 2], minutes[3, 3] = 20.0, 30.0, 10.0, 15.0
    o, d = np.nonzero(minutes < cutoff)
    od = pd.DataFrame(
        {
            "origin_id": np.array(codes)[o],
            "dest_id": sites["site_id"].to_numpy()[d],
            "minutes": minutes[o, d],
            "method": "crowfly",
        }
    )
    od.loc[len(od)] = [codes[5], "sx", 12.0, "crowfly"]
    od.loc[len(od)] = [codes[6], "sx", np.inf, "crowfly"]
    od.loc[len(od)] = ["99999", "s1", 3.0, "crowfly"]
    new_at = next(c for c in range(n_communes) if c not in set(at))
    for c in range(n_communes):
        t = float(np.round(np.hypot(*(xy[c] - xy[new_at])) * 1.3 + 2.0, 1))
        if t < cutoff:
            od.loc[len(od)] = [codes[c], "new", t, "crowfly"]
    gp_site = np.concatenate([np.arange(n_sites + 1), rng.integers(0, n_sites, n_gp - n_sites - 1)])
    births = rng.integers(1952, 1992, n_gp).astype(float)
    births[[3, 7]] = np.nan
    prac = pd.DataFrame(
        {
            "practitioner_id": [f"gp{i}" for i in range(n_gp)],
            "birth_year": pd.array(
                [None if np.isnan(b) else int(b) for b in births], dtype="Int64"
            ),
            "activity": np.where(rng.random(n_gp) < 0.1, np.nan, rng.uniform(100, 7500, n_gp)),
            "fte": rng.choice([0.5, 0.8, 1.0], n_gp),
        }
    )
    retire = pd.array([None] * n_gp, dtype="Int64")
    retire[4] = 2029
    prac["retirement_year"] = retire
    pids = prac["practitioner_id"].tolist()
    rows = [(p, sites["site_id"][j], 1.0) for p, j in zip(pids, gp_site, strict=True)]
    rows[0] = (pids[0], "s0", 0.6)
    rows.insert(1, (pids[0], "s2", 0.4))
    rows[2] = (pids[1], "s1", 0.5)
    rows.insert(3, (pids[1], "s3", 0.5))
    asg = pd.DataFrame(rows, columns=["practitioner_id", "site_id", "share"])
    return make_roster(prac, sites, asg, current_year=START), od, demand, codes[new_at]


def mixed_scenario(new_commune: str) -> wf.Scenario:
    return wf.Scenario(
        name="mix",
        replacement=wf.Replacement(0.6, delay_years=2),
        installations=(wf.Installation(site_id="s5", year=2027, fte=0.5),),
        rotations=(
            wf.Rotation(
                name="team", year=2028, shares={"s1": 0.5, "new": 0.5}, fte=2.0, headcount=2
            ),
        ),
        volunteer_centres=(wf.VolunteerCentre(site_id="new", year=2030),),
        sites=(wf.NewSite(site_id="new", commune_code=new_commune, lon=2.3, lat=45.7),),
    )


@pytest.fixture(scope="module")
def case() -> tuple[Roster, pd.DataFrame, pd.DataFrame, wf.Scenario]:
    roster, od, demand, new_commune = synthetic()
    return roster, od, demand, mixed_scenario(new_commune)


def _prepared(case, **kw: object) -> prepare.Prepared:
    roster, od, demand, scenario = case
    options = {
        "scenario": scenario,
        "model": wf.RetirementModel(),
        "start_year": START,
        "horizon": HORIZON,
        "params": AplParameters(),
    }
    options.update(kw)
    return prepare.prepare(roster, od, demand, **options)  # type: ignore[arg-type]


def _assert_same(a: engine.Arrays, b: engine.Arrays) -> None:
    for f in dataclasses.fields(engine.Arrays):
        x = np.asarray(getattr(a, f.name), dtype=float)
        y = np.asarray(getattr(b, f.name), dtype=float)
        assert x.shape == y.shape, f.name
        np.testing.assert_allclose(x, y, rtol=0, atol=1e-9, err_msg=f.name)


# --- sparse = dense ------------------------------------------------------------------------------


@pytest.mark.parametrize("fixed_age", [None, 66])
def test_sparse_expected_engine_equals_the_dense_reference(case, fixed_age):
    prep = _prepared(case, model=wf.RetirementModel(fixed_age=fixed_age))
    dense = engine.densify(prep)
    assert isinstance(dense.apl_t, np.ndarray)
    assert not isinstance(prep.apl_t, np.ndarray)
    _assert_same(engine.expected(prep), engine.expected(dense))


def test_sparse_monte_carlo_engine_equals_the_dense_reference(case):
    prep = _prepared(case)
    stop, replaced = engine.draw(prep, np.random.default_rng(3), 64)
    sparse_runs = engine.run_chunks(prep, stop, replaced)
    dense_runs = engine.run_chunks(engine.densify(prep), stop, replaced)
    _assert_same(sparse_runs, dense_runs)
    assert sparse_runs.apl.shape == (64, HORIZON + 1, prep.n_communes)


def _weighted_apl(out: wf.Outlook, demand: pd.DataFrame, weight: str) -> pd.Series:
    """Territory and buffer APL per year, weighted by ``weight`` (population or pop_std)."""
    w = demand.set_index("id")[weight]
    frame = out.apl.assign(w=out.apl["commune_code"].map(w))
    frame["wa"] = frame["apl"] * frame["w"]
    sums = frame.groupby(["year", "zone"])[["wa", "w"]].sum()
    return sums["wa"] / sums["w"]


#: The default retirement curve at 61344ad, when the values below were pinned.
PINNED_CURVE = {
    60: 0.03, 61: 0.03, 62: 0.05, 63: 0.06, 64: 0.07, 65: 0.16, 66: 0.15,
    67: 0.15, 68: 0.08, 69: 0.06, 70: 0.07, 71: 0.04, 72: 0.05,
}  # fmt: skip


def test_outlook_matches_values_pinned_from_the_dense_engine(case):
    # Pinned from the dense engine (accessmap 61344ad, before sparse operators) on this case.
    roster, od, demand, scenario = case
    # the retirement curve of that commit (the default has since followed its cited source)
    curve = wf.RetirementModel(age_distribution=PINNED_CURVE)
    kw = {"scenario": scenario, "start_year": START, "horizon": HORIZON, "model": curve}
    exp = wf.outlook(roster, od, demand, **kw)
    mc = wf.outlook(roster, od, demand, engine="monte_carlo", runs=64, seed=3, **kw)
    one = wf.simulate_run(roster, od, demand, seed=4, stop_years={"gp0": 2027, "gp5": 2030}, **kw)
    pinned = {
        "expected": (exp, 1211.6295139594467, 5136.058304879371, 11.924888563343004),
        "monte_carlo": (mc, 1205.4338937908888, 7245.831998034899, 12.1875),
        "run": (one, 1190.187159373506, 8631.248484194215, 13.0),
    }
    for name, (out, apl_sum, access_sum, without_sum) in pinned.items():
        assert out.apl["apl"].sum() == pytest.approx(apl_sum, abs=1e-9), name
        # the territory APL was then weighted by population; it is now weighted by the
        # standardised population, like every territory APL (issue 22): both checked
        means = out.access["measure"] == "apl_mean"
        then = _weighted_apl(out, demand, "population").sum()
        rest = out.access.loc[~means, "value"].sum()
        assert rest + then == pytest.approx(access_sum, abs=1e-9), name
        now = _weighted_apl(out, demand, "pop_std")
        got = out.access[means].set_index(["year", "zone"])["value"]
        assert np.allclose(got.loc[now.index], now, atol=1e-12), name
        assert out.losses["p_without_gp"].sum() == pytest.approx(without_sum, abs=1e-9), name
    assert mc.apl["q90"].sum() == pytest.approx(1416.0118893517624, abs=1e-9)
    assert exp.workforce["value"].sum() == pytest.approx(935.7118375090728, abs=1e-9)


# --- only near pairs -----------------------------------------------------------------------------


def test_operators_hold_only_the_pairs_within_reach(case):
    _, od, demand, _ = case
    prep = _prepared(case)
    known = od["origin_id"].isin(demand["id"])
    near = od[known & (od["minutes"] < 30)]
    assert prepare.access_cutoff(AplParameters()) == 30.0
    assert prep.reach[1].nnz == len(near)  # "within 30 minutes" is t < 30
    assert prep.reach[0].nnz == int((near["minutes"] < 20).sum())
    assert prep.apl_t.nnz == int((near["minutes"] < 20).sum())  # weight 0 from 20 minutes on
    n_pairs = prep.n_communes * prep.n_sites
    assert prep.apl_t.nnz < n_pairs / 2


def test_far_and_unreachable_pairs_change_nothing(case):
    roster, od, demand, scenario = case
    communes = demand["id"].to_numpy()
    have = set(zip(od["origin_id"], od["dest_id"], strict=True))
    far = [
        (c, s, 30.0 + 7 * k if k % 3 else np.inf, "crowfly")
        for k, (c, s) in enumerate((c, s) for c in communes for s in ("s0", "s4", "s9"))
        if (c, s) not in have
    ]
    dense_od = pd.concat([od, pd.DataFrame(far, columns=od.columns)], ignore_index=True)
    kw = {"scenario": scenario, "start_year": START, "horizon": HORIZON}
    base = wf.outlook(roster, od, demand, **kw)
    more = wf.outlook(roster, dense_od, demand, **kw)
    for name in ("workforce", "access", "apl", "losses", "coverage"):
        pd.testing.assert_frame_equal(getattr(base, name), getattr(more, name), rtol=0, atol=1e-12)
    assert (
        _prepared(case).apl_t.nnz
        == prepare.prepare(
            roster,
            dense_od,
            demand,
            scenario=scenario,
            model=wf.RetirementModel(),
            start_year=START,
            horizon=HORIZON,
            params=AplParameters(),
        ).apl_t.nnz
    )


def test_coverage_table_adds_up_to_the_population_beyond(case):
    roster, od, demand, scenario = case
    for kw in ({}, {"engine": "monte_carlo", "runs": 40, "seed": 2}):
        out = wf.outlook(
            roster, od, demand, scenario=scenario, start_year=START, horizon=HORIZON, **kw
        )
        population = out.coverage["commune_code"].map(demand.set_index("id")["population"])
        cov = out.coverage.assign(pop=population * out.coverage["p_beyond"])
        for minutes in (20, 30):
            got = cov[cov["minutes"] == minutes].groupby(["year", "zone"])["pop"].sum()
            rows = out.access[out.access["measure"] == f"pop_beyond_{minutes}"]
            want = rows.set_index(["year", "zone"])["value"]
            np.testing.assert_allclose(got.to_numpy(), want[got.index].to_numpy(), atol=1e-6)
        assert set(cov["minutes"]) == {20.0, 30.0}


def test_edge_times_follow_the_half_open_convention():
    # One GP at s, 20 minutes from A and 30 minutes from B (exact edges): A is beyond 20
    # minutes (t < 20 is false) and B beyond 30; C at 19.99 min is within 20.
    prac = pd.DataFrame({"practitioner_id": ["p"], "birth_year": [1990], "activity": [5000.0]})
    sites = pd.DataFrame({"site_id": ["s"], "commune_code": ["19001"], "lon": [2.0], "lat": [45.6]})
    r = make_roster(prac, sites, pd.DataFrame({"practitioner_id": ["p"], "site_id": ["s"]}))
    od = pd.DataFrame(
        {
            "origin_id": ["19001", "19002", "19003"],
            "dest_id": ["s", "s", "s"],
            "minutes": [20.0, 30.0, 19.99],
        }
    )
    demand = pd.DataFrame({"id": ["19001", "19002", "19003"], "population": [10, 20, 40]})
    out = wf.outlook(r, od, demand, start_year=START, horizon=2)
    cov = out.coverage[out.coverage["year"] == START].set_index(["commune_code", "minutes"])
    assert cov.loc[("19001", 20.0), "p_beyond"] == 1.0
    assert cov.loc[("19001", 30.0), "p_beyond"] == 0.0
    assert cov.loc[("19002", 30.0), "p_beyond"] == 1.0
    assert cov.loc[("19003", 20.0), "p_beyond"] == 0.0
    apl = out.apl[out.apl["year"] == START].set_index("commune_code")["apl"]
    assert apl["19001"] == 0.0
    assert apl["19003"] > 0.0


@pytest.mark.parametrize("dense", [False, True])
def test_one_year_apl_equals_every_field_run(case, dense, monkeypatch):
    prep = _prepared(case)
    prep = engine.densify(prep) if dense else prep
    stop, replaced = engine.draw(prep, np.random.default_rng(5), 37)
    whole = engine.run_chunks(prep, stop, replaced).apl
    for year_index in (0, 3, HORIZON):
        one = engine.run_apl_year(prep, stop, replaced, year_index=year_index)
        np.testing.assert_allclose(one, whole[:, year_index, :], rtol=1e-12, atol=0)
    reference = engine.run_apl_year(prep, stop, replaced, year_index=3)
    monkeypatch.setattr(engine, "CHUNK_ELEMENTS", 1)  # one run per chunk: the same values
    calls: list[tuple[int, int]] = []
    chunked = engine.run_apl_year(
        prep, stop, replaced, year_index=3, progress=lambda d, t: calls.append((d, t))
    )
    np.testing.assert_allclose(chunked, reference, rtol=1e-12, atol=0)
    assert calls[-1] == (37, 37)
    assert len(calls) == 37


@pytest.mark.parametrize("elements", [1, 50, engine.CHUNK_ELEMENTS])
def test_summarised_runs_equal_the_kept_runs_summary(case, elements, monkeypatch):
    """The outlook's APL mean and quantiles from the sites' acts: the kept runs' numbers exactly.

    Chunks of one run, of a few communes (``elements``) and the default; every other field as
    :func:`engine.run_chunks` returns it.
    """
    prep = _prepared(case)
    stop, replaced = engine.draw(prep, np.random.default_rng(11), 23)
    kept = engine.run_chunks(prep, stop, replaced)
    monkeypatch.setattr(engine, "CHUNK_ELEMENTS", elements)
    calls: list[tuple[int, int]] = []
    summary, quantiles = engine.run_summarised(
        prep, stop, replaced, quantiles=wf.QUANTILES, progress=lambda d, t: calls.append((d, t))
    )
    assert calls[-1] == (23, 23)
    np.testing.assert_array_equal(summary.apl, kept.apl.mean(axis=0)[None])
    np.testing.assert_array_equal(quantiles, np.quantile(kept.apl, wf.QUANTILES, axis=0))
    assert quantiles.shape == (3, HORIZON + 1, prep.n_communes)
    for f in dataclasses.fields(engine.Arrays):
        if f.name != "apl":
            np.testing.assert_array_equal(getattr(summary, f.name), getattr(kept, f.name))
