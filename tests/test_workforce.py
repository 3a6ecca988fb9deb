"""Tests of accessmap.workforce: retirement model, engines, scenarios, outputs, bad inputs."""

from __future__ import annotations

import dataclasses
import re
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accessmap import workforce as wf
from accessmap.errors import ValidationError
from accessmap.indicators import AplParameters, apl, site_activity
from accessmap.messages import AccessmapWarning, Message
from accessmap.supply import Roster, make_roster
from accessmap.workforce import engine, prepare

START = 2025

# Four territory communes and one buffer commune; four sites.
#   s1 in 19001 (GPs a, b), s2 in 19002 (GP c, alone), s3 in 19003 (GP d),
#   s4 in 19005 (buffer, GP e). GP f rotates 1/2 s1, 1/2 s3.
DEMAND = pd.DataFrame(
    {
        "id": ["19001", "19002", "19003", "19004", "19005"],
        "population": [1000, 400, 600, 200, 300],
        "pop_std": [1100.0, 380.0, 650.0, 240.0, 310.0],
        "in_territory": [True, True, True, True, False],
    }
)
TIMES = {
    ("19001", "s1"): 4.0, ("19001", "s2"): 12.0, ("19001", "s3"): 18.0,
    ("19002", "s2"): 3.0, ("19002", "s1"): 12.0, ("19002", "s3"): 25.0,
    ("19003", "s3"): 5.0, ("19003", "s1"): 18.0, ("19003", "s4"): 28.0,
    ("19004", "s2"): 10.0, ("19004", "s3"): 22.0, ("19004", "s4"): 35.0,
    ("19005", "s4"): 2.0, ("19005", "s3"): 15.0,
    ("19002", "new"): 6.0, ("19004", "new"): 4.0, ("19003", "new"): 40.0,
}  # fmt: skip
OD = pd.DataFrame(
    [(o, d, m, "crowfly") for (o, d), m in TIMES.items()],
    columns=["origin_id", "dest_id", "minutes", "method"],
)
SITES = pd.DataFrame(
    {
        "site_id": ["s1", "s2", "s3", "s4"],
        "commune_code": ["19001", "19002", "19003", "19005"],
        "lon": [2.0, 2.1, 2.2, 2.4],
        "lat": [45.6, 45.6, 45.6, 45.6],
        "kind": ["msp", "cabinet", "cabinet", "cabinet"],
    }
)


def roster(
    births: dict[str, int | None] | None = None,
    *,
    retire: dict[str, int] | None = None,
) -> Roster:
    births = births or {"a": 1962, "b": 1975, "c": 1959, "d": 1961, "e": 1958, "f": 1985}
    retire = retire or {}
    prac = pd.DataFrame(
        {
            "practitioner_id": list(births),
            "birth_year": [births[p] for p in births],
            "retirement_year": [retire.get(p) for p in births],
            "activity": [5000.0, 4200.0, 6500.0, 3000.0, 4800.0, np.nan],
            "fte": [1.0, 0.8, 1.0, 1.0, 1.0, 1.0],
        }
    )
    asg = pd.DataFrame(
        {
            "practitioner_id": ["a", "b", "c", "d", "e", "f", "f"],
            "site_id": ["s1", "s1", "s2", "s3", "s4", "s1", "s3"],
            "share": [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5],
        }
    )
    return make_roster(prac, SITES, asg, current_year=START)


def fixed(age: int = 65) -> wf.RetirementModel:
    return wf.RetirementModel(fixed_age=age)


def run(r: Roster | None = None, **kw: object) -> wf.Outlook:
    kw.setdefault("start_year", START)
    kw.setdefault("horizon", 10)
    return wf.outlook(r or roster(), OD, DEMAND, **kw)  # type: ignore[arg-type]


def measure(out: wf.Outlook, name: str, *, zone: str = "territory", table: str = "workforce"):
    frame = getattr(out, table)
    rows = frame[(frame["measure"] == name) & (frame["zone"] == zone)]
    return rows.set_index("year")["value"]


# --- retirement model ----------------------------------------------------------------------------


def test_fixed_age_gives_exact_departures_per_year():
    # Fixed age 65: c (1959) is already past it -> stops in the first projected year (2026);
    # e (1958) too; d (1961) stops in 2026; a (1962) in 2027; b (1975) in 2040 (beyond 2035).
    out = run(model=fixed(65))
    territory = measure(out, "departures")
    expected = {2025: 0, 2026: 2, 2027: 1}  # c, d | a  (e is in the buffer)
    for year in out.years:
        assert territory[year] == expected.get(year, 0)
    assert measure(out, "departures", zone="buffer")[2026] == 1
    gone = measure(out, "share_gone")
    assert gone[2025] == 0.0
    assert gone[2026] == pytest.approx(2 / 5)
    assert gone[2035] == pytest.approx(3 / 5)
    stopped = out.retirement.set_index(["practitioner_id", "year"])["p_stopped"]
    assert stopped[("a", 2026)] == 0.0
    assert stopped[("a", 2027)] == 1.0
    assert stopped[("f", 2035)] == 0.0


def test_declared_year_wins_over_age():
    out = run(roster(retire={"b": 2029}), model=fixed(65))
    probs = out.retirement.set_index(["practitioner_id", "year"])
    assert probs.loc[("b", 2028), "p_stopped"] == 0.0
    assert probs.loc[("b", 2029), "p_stopped"] == 1.0
    assert probs.loc[("b", 2029), "basis"] == "declared year"
    assert probs.loc[("a", 2029), "basis"] == "fixed age 65"


def test_age_curve_is_conditioned_on_still_practising():
    # Aged 70 in 2025: only ages 71 and 72 remain possible, in proportion of their weights.
    r = roster({"a": 1955, "b": 1975, "c": 1959, "d": 1961, "e": 1958, "f": 1985})
    table = wf.retirement_probabilities(r, start_year=START, horizon=10)
    a = table[table["practitioner_id"] == "a"].set_index("year")
    w71, w72 = wf.DEFAULT_RETIREMENT_AGES[71], wf.DEFAULT_RETIREMENT_AGES[72]
    assert a.loc[2025, "p_stopped"] == 0.0
    assert a.loc[2026, "p_stop_in_year"] == pytest.approx(w71 / (w71 + w72))
    assert a.loc[2027, "p_stop_in_year"] == pytest.approx(w72 / (w71 + w72))
    assert a.loc[2027, "p_stopped"] == pytest.approx(1.0)
    # Born 1975: nobody stops before 60 (2035).
    b = table[table["practitioner_id"] == "b"].set_index("year")
    assert b.loc[2034, "p_stopped"] == 0.0
    assert b.loc[2035, "p_stopped"] == pytest.approx(wf.DEFAULT_RETIREMENT_AGES[60])
    assert (table.groupby("practitioner_id")["p_stopped"].diff().dropna() >= -1e-12).all()


def test_unknown_age_rules():
    births = {"a": 1962, "b": 1975, "c": None, "d": 1961, "e": 1958, "f": 1985}
    mixture = wf.retirement_probabilities(roster(births), start_year=START, horizon=10)
    c = mixture[mixture["practitioner_id"] == "c"]
    assert (c["basis"] == "territory ages").all()
    assert 0 < c["p_stopped"].iloc[-1] < 1
    with pytest.warns(AccessmapWarning, match="sans année de naissance") as caught:
        out = run(roster(births), model=wf.RetirementModel(unknown_age="exclude"))
    notes = [w.message.note for w in caught if isinstance(w.message, AccessmapWarning)]
    assert notes == [Message("workforce.unknown_age_excluded", count=1, ids=["c"])]
    assert out.excluded == ("c",)
    assert measure(out, "headcount")[2025] == 4
    kept = run(roster(births), model=wf.RetirementModel(fixed_age=65, unknown_age="keep"))
    assert kept.losses.set_index(["year", "commune_code"]).loc[(2035, "19002"), "p_without_gp"] == 0
    nobody = roster(dict.fromkeys("abcdef"))
    with pytest.raises(ValidationError) as info:
        run(nobody)
    assert info.value.code == "workforce.no_birth_year"
    assert "illustrative_roster" in info.value.fix


# --- engines -------------------------------------------------------------------------------------


def _internals(scenario: wf.Scenario | None = None):
    return prepare.prepare(
        roster(),
        OD,
        DEMAND,
        scenario=scenario,
        model=wf.RetirementModel(),
        start_year=START,
        horizon=10,
        params=AplParameters(),
    )


@pytest.mark.parametrize(
    "scenario",
    [None, wf.Scenario(replacement=wf.Replacement(fraction=0.6, delay_years=2))],
    ids=["no replacement", "60% replaced after 2 years"],
)
def test_monte_carlo_mean_converges_to_expected(scenario):
    prep = _internals(scenario)
    expected = engine.expected(prep)
    runs = 4000
    stop, replaced = engine.draw(prep, np.random.default_rng(7), runs)
    sims = engine.run_chunks(prep, stop, replaced)
    for f in dataclasses.fields(engine.Arrays):
        draws = getattr(sims, f.name).astype(float)
        exact = getattr(expected, f.name)[0]
        if f.name in engine.MEAN_ONLY:  # 0/1 per run, returned as their mean: binomial error
            mean = draws[0]
            se = np.sqrt(mean * (1 - mean) / runs)
        else:
            mean = draws.mean(axis=0)
            se = draws.std(axis=0, ddof=1) / np.sqrt(runs)
        # 4 standard errors; where every run agrees the expectation must be exact.
        assert np.all(np.abs(mean - exact) <= 4 * se + 1e-9), f.name


def test_monte_carlo_tables_match_expected_tables():
    scenario = wf.Scenario(replacement=wf.Replacement(fraction=0.5, delay_years=1))
    exp = run(scenario=scenario)
    mc = run(scenario=scenario, engine="monte_carlo", runs=3000, seed=3)
    assert mc.runs == 3000
    assert exp.workforce["q10"].isna().all()
    merged = exp.workforce.merge(mc.workforce, on=["year", "zone", "measure"])
    hc = merged[merged["measure"] == "headcount"]
    # Headcount: a sum of at most 12 Bernoulli units, variance <= 12/4.
    assert np.all(np.abs(hc["value_x"] - hc["value_y"]) <= 4 * np.sqrt(3 / 3000))
    assert np.all(merged["q10_y"] <= merged["q90_y"] + 1e-12)
    lx = exp.losses.merge(mc.losses, on=["year", "commune_code"])
    p = lx["p_lose_last_gp_x"]
    assert np.all(np.abs(p - lx["p_lose_last_gp_y"]) <= 4 * np.sqrt(p * (1 - p) / 3000) + 1e-12)


def test_same_seed_same_output_and_other_seed_differs():
    a = run(engine="monte_carlo", runs=300, seed=11)
    b = run(engine="monte_carlo", runs=300, seed=11)
    c = run(engine="monte_carlo", runs=300, seed=12)
    for name in ("workforce", "access", "apl", "losses"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert not a.apl["apl"].equals(c.apl["apl"])


def test_simulate_run_is_monte_carlo_with_one_run():
    one = wf.simulate_run(roster(), OD, DEMAND, seed=5, start_year=START, horizon=10)
    mc = run(engine="monte_carlo", runs=1, seed=5)
    pd.testing.assert_frame_equal(
        one.apl[["year", "commune_code", "apl"]], mc.apl[["year", "commune_code", "apl"]]
    )
    assert one.engine == "run"
    assert set(one.losses["p_without_gp"].unique()) <= {0.0, 1.0}


def test_per_year_apl_equals_indicators_apl():
    # What-if: a stops in 2027, c in 2028, f in 2030; the others practise through the horizon.
    stops = {"a": 2027, "c": 2028, "f": 2030, "b": 2099, "d": 2099, "e": 2099}
    out = wf.simulate_run(roster(), OD, DEMAND, stop_years=stops, start_year=START, horizon=10)
    r = roster()
    demand = DEMAND[["id", "pop_std"]]
    for year in (2025, 2027, 2028, 2030, 2035):
        active = [p for p, y in stops.items() if y > year]
        sub = dataclasses.replace(
            r,
            practitioners=r.practitioners[r.practitioners["practitioner_id"].isin(active)],
            assignments=r.assignments[r.assignments["practitioner_id"].isin(active)],
        )
        ref = apl(OD, demand=demand, supply=site_activity(sub), params=AplParameters())
        got = out.apl[out.apl["year"] == year].set_index("commune_code")["apl"]
        np.testing.assert_allclose(got[ref["id"]].to_numpy(), ref["apl"].to_numpy(), rtol=1e-12)


def test_apl_hand_computed():
    # One site (5,000 acts) 5 min from X (pop_std 1,000) and 12 min from Y (pop_std 600):
    # denominator 1,000 * 1 + 600 * 2/3 = 1,400; APL_X = 5000/1400, APL_Y = 2/3 * 5000/1400.
    prac = pd.DataFrame({"practitioner_id": ["p"], "birth_year": [1980], "activity": [5000.0]})
    sites = pd.DataFrame({"site_id": ["s"], "commune_code": ["19001"], "lon": [2.0], "lat": [45.6]})
    r = make_roster(prac, sites, pd.DataFrame({"practitioner_id": ["p"], "site_id": ["s"]}))
    od = pd.DataFrame(
        {"origin_id": ["19001", "19002"], "dest_id": ["s", "s"], "minutes": [5.0, 12.0]}
    )
    demand = pd.DataFrame(
        {"id": ["19001", "19002"], "population": [900, 500], "pop_std": [1000, 600]}
    )
    out = wf.outlook(r, od, demand, start_year=START, horizon=2)
    got = out.apl[out.apl["year"] == START].set_index("commune_code")["apl"]
    assert got["19001"] == pytest.approx(5000 / 1400)
    assert got["19002"] == pytest.approx(2 / 3 * 5000 / 1400)
    mean = measure(out, "apl_mean", table="access")[START]
    # the territory mean weighs by standardised population, as indicators.territory_apl
    assert mean == pytest.approx((1000 * 5000 / 1400 + 600 * 2 / 3 * 5000 / 1400) / 1600)


def test_population_beyond_20_and_30_minutes():
    # Fixed age 65: c, d, e stop in 2026, a in 2027. From 2027 only b (s1) and f (s1, s3) remain.
    out = run(model=fixed(65))
    beyond20 = measure(out, "pop_beyond_20", table="access")
    beyond30 = measure(out, "pop_beyond_30", table="access")
    assert beyond20[2025] == 0  # 19004 reaches s2 in 10 minutes
    # 2026: s2 closed; 19002 reaches s1 (12 min), 19004's nearest is s3 (22 min).
    assert beyond20[2026] == 200
    assert beyond30[2026] == 0
    assert beyond20[2027] == 200
    buffer20 = measure(out, "pop_beyond_20", zone="buffer", table="access")
    assert buffer20[2026] == 0  # 19005 reaches s3 in 15 minutes


# --- losses and scenarios ------------------------------------------------------------------------


def test_commune_whose_only_gp_retires_loses_its_last_gp_that_year():
    out = run(model=fixed(65))
    lost = out.communes_losing_last_gp()
    rows = lost[lost["commune_code"] == "19002"]
    assert rows["year"].tolist() == [2026]
    assert rows["p_lose_last_gp"].tolist() == [1.0]
    # 19001 keeps b and f; 19003 keeps f.
    assert not lost["commune_code"].isin(["19001", "19003"]).any()
    without = measure(out, "communes_without_gp", table="access")
    assert without[2025] == 0
    assert without[2026] == 1


@pytest.mark.parametrize(
    "scenario",
    [
        wf.Scenario(name="all replaced", replacement=wf.Replacement(fraction=1.0, delay_years=0)),
        wf.Scenario(name="new GP", installations=(wf.Installation(site_id="s2", year=2026),)),
        wf.Scenario(
            name="rotation",
            rotations=(wf.Rotation(name="team", year=2026, shares={"s2": 0.4, "s3": 0.6}),),
        ),
        wf.Scenario(
            name="volunteers",
            volunteer_centres=(wf.VolunteerCentre(site_id="s2", year=2026, weeks_per_year=47),),
        ),
    ],
    ids=lambda s: s.name,
)
def test_replacement_scenario_restores_the_commune(scenario):
    for name in ("expected", "monte_carlo"):
        out = run(model=fixed(65), scenario=scenario, engine=name, runs=50)
        lost = out.communes_losing_last_gp(min_probability=1e-9)
        assert "19002" not in set(lost["commune_code"]), name
        assert out.scenario == scenario.name


def test_delayed_partial_replacement_expected_values():
    scenario = wf.Scenario(replacement=wf.Replacement(fraction=0.5, delay_years=2))
    out = run(model=fixed(65), scenario=scenario)
    fte = measure(out, "fte")
    # Territory FTE: a 1, b 0.8, c 1, d 1, f 1 = 4.8; c, d leave 2026; a 2027.
    assert fte[2025] == pytest.approx(4.8)
    assert fte[2026] == pytest.approx(2.8)
    assert fte[2027] == pytest.approx(1.8)
    assert fte[2028] == pytest.approx(1.8 + 0.5 * 2)
    assert fte[2029] == pytest.approx(1.8 + 0.5 * 3)
    losses = out.losses.set_index(["year", "commune_code"])["p_lose_last_gp"]
    assert losses[(2026, "19002")] == pytest.approx(1.0)
    assert out.losses.set_index(["year", "commune_code"]).loc[
        (2028, "19002"), "p_without_gp"
    ] == pytest.approx(0.5)


def test_volunteer_centre_on_a_new_site():
    site = wf.NewSite(
        site_id="new", commune_code="19004", lon=2.3, lat=45.6, kind="volunteer_centre"
    )
    centre = wf.VolunteerCentre(site_id="new", year=2027, weeks_per_year=94)
    assert centre.fte == pytest.approx(2.0)
    scenario = wf.Scenario(name="MS", volunteer_centres=(centre,), sites=(site,))
    base = run(model=fixed(65))
    out = run(model=fixed(65), scenario=scenario)
    fte = measure(out, "fte")
    assert fte[2027] - measure(base, "fte")[2027] == pytest.approx(2.0)
    assert measure(out, "headcount")[2027] == measure(base, "headcount")[2027]
    apl_new = out.apl.set_index(["year", "commune_code"])["apl"]
    apl_old = base.apl.set_index(["year", "commune_code"])["apl"]
    assert apl_new[(2027, "19004")] > apl_old[(2027, "19004")]
    assert apl_new[(2026, "19004")] == apl_old[(2026, "19004")]
    assert measure(out, "pop_beyond_20", table="access")[2027] == 0


def test_rotation_splits_fte_by_shares():
    rot = wf.Rotation(
        name="MilleSoins", year=2025, shares={"s2": 0.5, "s4": 0.5}, fte=2.0, headcount=2
    )
    out = run(model=fixed(65), scenario=wf.Scenario(rotations=(rot,)))
    base = run(model=fixed(65))
    assert measure(out, "fte")[2025] - measure(base, "fte")[2025] == pytest.approx(1.0)
    assert measure(out, "fte", zone="buffer")[2025] - measure(base, "fte", zone="buffer")[
        2025
    ] == pytest.approx(1.0)


def test_scenarios_compose_and_parse():
    a = wf.Scenario(name="a", replacement=wf.Replacement(fraction=0.5))
    b = wf.Scenario(name="b", installations=(wf.Installation(site_id="s1", year=2027),))
    both = a + b
    assert both.name == "a + b"
    assert both.replacement == a.replacement
    assert both.installations == b.installations
    with pytest.raises(ValidationError) as info:
        _ = a + a
    assert (info.value.code, info.value.field) == (
        "workforce.two_replacement_rules",
        "scenario.replacement",
    )
    text = """
name = "test"
[replacement]
fraction = 0.25
delay_years = 3
[[installation]]
site_id = "s2"
year = 2028
fte = 0.5
[[rotation]]
name = "team"
year = 2027
fte = 2.0
headcount = 2
shares = { s1 = 0.5, s3 = 0.5 }
[[volunteer_centre]]
site_id = "s4"
year = 2026
weeks_per_year = 50
"""
    parsed = wf.parse_scenario(text)
    assert parsed.replacement == wf.Replacement(fraction=0.25, delay_years=3)
    assert parsed.rotations[0].shares == {"s1": 0.5, "s3": 0.5}
    assert parsed.volunteer_centres[0].fte == pytest.approx(50 / 47)
    run(scenario=parsed)
    with pytest.raises(ValidationError) as info:
        wf.parse_scenario('[[installation]]\nsite = "s1"\nyear = 2027\n')
    assert (info.value.code, info.value.params["keys"]) == (
        "workforce.scenario_unknown_keys",
        ["site"],
    )
    with pytest.raises(ValidationError) as info:
        wf.parse_scenario("[[installation]]\nyear = 2027\n")
    assert (info.value.code, info.value.params["missing"]) == (
        "workforce.scenario_incomplete",
        ["site_id"],
    )
    with pytest.raises(ValidationError) as info:
        wf.parse_scenario("name = ")
    assert info.value.code == "workforce.scenario_toml"
    assert "TOML" in info.value.message
    with pytest.raises(ValidationError) as info:
        wf.parse_scenario('name = "a"\nfte = @\n')
    assert info.value.code == "workforce.scenario_toml_at"
    assert (info.value.params["line"], info.value.params["column"]) == (2, 7)
    assert "ligne 2, colonne 7" in info.value.message


def test_an_options_file_is_not_an_outlook_scenario():
    # "Scenario" has one meaning: a siting options file gets a message naming the right command.
    text = '[[option]]\nname = "MSP Bugeat"\nsites = ["19031"]\n'
    with pytest.raises(ValidationError) as caught:
        wf.parse_scenario(text, source="options.toml")
    assert caught.value.code == "workforce.scenario_is_options"
    assert "options d'implantation" in caught.value.message
    assert "compare --options" in caught.value.fix


def test_example_scenario_file_parses():
    text = resources.files("accessmap").joinpath("data/scenario_example.toml").read_text("utf-8")
    scenario = wf.parse_scenario(text)
    assert scenario.replacement is not None
    assert scenario.rotations
    assert scenario.volunteer_centres
    assert scenario.sites


# --- illustrative ages ---------------------------------------------------------------------------


def test_illustrative_roster_is_seeded_flagged_and_carried():
    births = {"a": 1962, "b": None, "c": None, "d": None, "e": None, "f": None}
    r = roster(births)
    one = wf.illustrative_roster(r, seed=1, current_year=START)
    two = wf.illustrative_roster(r, seed=1, current_year=START)
    other = wf.illustrative_roster(r, seed=2, current_year=START)
    pd.testing.assert_frame_equal(one.practitioners, two.practitioners)
    assert one.illustrative_ages
    assert not r.illustrative_ages
    assert one.practitioners["birth_year"].iloc[0] == 1962  # known ages are kept
    ages = START - one.practitioners["birth_year"]
    assert ages.between(30, 74).all()
    assert not one.practitioners["birth_year"].equals(other.practitioners["birth_year"]) or (
        one.practitioners["birth_year"].iloc[1:].nunique() == 1
    )
    out = run(one, engine="monte_carlo", runs=20)
    assert out.illustrative_ages
    assert out.caveat == Message("workforce.illustrative_ages")
    assert str(out.caveat).startswith("âges illustratifs")
    for name in ("workforce", "access", "apl", "losses", "retirement"):
        assert (getattr(out, name)["ages_basis"] == wf.ILLUSTRATIVE).all(), name
    assert run().caveat is None
    assert wf.illustrative_roster(roster(), seed=1) is not None
    assert not wf.illustrative_roster(roster(), seed=1).illustrative_ages  # nothing generated
    assert wf.illustrative_roster(roster(), seed=1, overwrite=True).illustrative_ages
    assert (run().apl["ages_basis"] == "roster ages").all()
    with pytest.raises(ValidationError) as info:
        wf.illustrative_roster(r, age_bands=[(50, 40, 1.0)])
    assert (info.value.code, info.value.field) == ("workforce.age_bands_invalid", "age_bands")


def test_illustrative_age_distribution_follows_bands():
    births = dict.fromkeys([f"p{i}" for i in range(6)])
    r = roster(dict(zip("abcdef", births.values(), strict=True)))
    big = dataclasses.replace(
        r,
        practitioners=pd.concat([r.practitioners] * 500, ignore_index=True).assign(
            practitioner_id=lambda d: [f"p{i}" for i in range(len(d))]
        ),
    )
    out = wf.illustrative_roster(
        big, age_bands=[(40, 49, 1.0), (60, 64, 1.0)], seed=0, current_year=START
    )
    ages = START - out.practitioners["birth_year"].astype(int)
    assert set(ages.unique()) <= set(range(40, 50)) | set(range(60, 65))
    assert 0.45 < (ages >= 60).mean() < 0.55


# --- bad input -----------------------------------------------------------------------------------


def test_birth_year_in_the_future_is_rejected():
    with pytest.raises(ValidationError, match="année de naissance postérieure") as future:
        roster({"a": 2030, "b": 1975, "c": 1959, "d": 1961, "e": 1958, "f": 1985})
    assert future.value.field == "roster"
    r = roster()
    late = dataclasses.replace(
        r, practitioners=r.practitioners.assign(birth_year=pd.array([2031] * 6, dtype="Int64"))
    )
    with pytest.raises(ValidationError) as info:
        run(late)
    assert info.value.code == "workforce.practitioner_years"
    (problem,) = info.value.params["problems"]
    assert problem.code == "workforce.birth_after_start"
    assert problem.params["ids"] == list("abcdef")


def test_retirement_before_birth_is_rejected():
    with pytest.raises(ValidationError, match="retirement_year"):
        roster(retire={"a": 1950})
    r = roster()
    bad = r.practitioners.copy()
    bad.loc[0, "retirement_year"] = 1950
    with pytest.raises(ValidationError) as info:
        run(dataclasses.replace(r, practitioners=bad))
    assert info.value.code == "workforce.practitioner_years"
    (problem,) = info.value.params["problems"]
    assert problem.code == "workforce.retirement_before_birth"
    assert problem.params["ids"] == [r.practitioners["practitioner_id"].iloc[0]]


@pytest.mark.parametrize(
    ("scenario", "match"),
    [
        (wf.Scenario(installations=(wf.Installation(site_id="nowhere", year=2027),)),
         "workforce.problem_unknown_site"),
        (wf.Scenario(installations=(wf.Installation(site_id="s1", year=2040),)),
         "workforce.problem_year"),
        (wf.Scenario(installations=(wf.Installation(site_id="s1", year=2024),)),
         "workforce.problem_year"),
        (wf.Scenario(volunteer_centres=(wf.VolunteerCentre(site_id="zz", year=2027),)),
         "workforce.problem_unknown_site"),
        (wf.Scenario(rotations=(wf.Rotation("t", 2027, {"s1": 0.5, "s2": 0.2}),)),
         "workforce.problem_shares"),
        (wf.Scenario(replacement=wf.Replacement(fraction=1.5)), "workforce.problem_fraction"),
        (wf.Scenario(sites=(wf.NewSite("s1", "19001", 2.0, 45.0),)),
         "workforce.problem_site_clash"),
    ],
)  # fmt: skip
def test_bad_scenarios_are_rejected(scenario, match):
    with pytest.raises(ValidationError) as info:
        run(scenario=scenario)
    assert info.value.code == "workforce.scenario_invalid"
    assert [p.code for p in info.value.params["problems"]] == [match]
    assert info.value.message.startswith("scénario invalide : ")
    assert "scenario." in info.value.message  # the offending entry is named


@pytest.mark.parametrize("runs", [0, -3])
def test_runs_must_be_positive(runs):
    with pytest.raises(ValidationError) as info:
        run(engine="monte_carlo", runs=runs)
    assert (info.value.code, info.value.field) == ("workforce.runs_invalid", "runs")


def test_other_bad_options():
    with pytest.raises(ValidationError) as info:
        run(horizon=0)
    assert (info.value.code, info.value.field) == ("workforce.horizon_invalid", "horizon")
    with pytest.raises(ValidationError) as info:
        run(engine="magic")
    assert (info.value.code, info.value.field) == ("workforce.unknown_engine", "engine")
    with pytest.raises(ValidationError) as info:
        wf.RetirementModel(fixed_age=12)
    assert (info.value.code, info.value.field) == ("workforce.fixed_age_invalid", "fixed_age")
    with pytest.raises(ValidationError) as info:
        wf.RetirementModel(age_distribution={65: -1.0})
    assert info.value.code == "workforce.age_distribution_invalid"
    with pytest.raises(ValidationError) as info:
        wf.simulate_run(roster(), OD, DEMAND, stop_years={"zz": 2030}, start_year=START)
    assert (info.value.code, info.value.params["unknown"]) == (
        "workforce.stop_years_invalid",
        ["zz"],
    )
    # the tables' own checks (accessmap.contracts) name the offending field
    with pytest.raises(ValidationError) as info:
        wf.outlook(roster(), pd.concat([OD, OD.head(1)]), DEMAND, start_year=START)
    assert (info.value.code, info.value.field) == ("contracts.duplicate_pairs", "od")
    with pytest.raises(ValidationError) as info:
        wf.outlook(roster(), OD, DEMAND.drop(columns="population"), start_year=START)
    assert info.value.field == "demand.population"


def test_communes_at_risk_gives_the_year_the_threshold_is_reached():
    out = run(model=fixed(65))
    risk = out.communes_at_risk()
    assert risk["commune_code"].tolist() == ["19002", "19005"]  # 19005: the buffer's only GP
    assert risk["zone"].tolist() == ["territory", "buffer"]
    assert risk["year"].tolist() == [2026, 2026]
    assert risk["p_without_gp_end"].tolist() == [1.0, 1.0]
    half = run(model=fixed(65), scenario=wf.Scenario(replacement=wf.Replacement(0.5, 2)))
    at_once = run(model=fixed(65), scenario=wf.Scenario(replacement=wf.Replacement(0.5, 0)))
    assert at_once.communes_at_risk(min_probability=0.6).empty
    assert half.communes_at_risk(min_probability=0.6)["year"].tolist() == [2026, 2026]
    assert half.communes_at_risk(min_probability=0.5)["p_without_gp_end"].tolist() == [0.5, 0.5]


# --- CLI -----------------------------------------------------------------------------------------


@pytest.fixture
def tiny_mirror(tmp_path):
    from tests.factories import write_mirror

    return write_mirror(tmp_path / "mirror")


def test_cli_outlook_demo_roster_is_flagged_illustrative(tiny_mirror, tmp_path, capsys):
    from accessmap.cli import main
    from accessmap.store import Store

    out = tmp_path / "out"
    store = tmp_path / "s.duckdb"
    args = ["outlook", "-t", "19001,19002,19003", "--mirror", str(tiny_mirror)]
    args += ["--store", str(store), "--start-year", "2026", "--runs", "40", "--out", str(out)]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "ÂGES ILLUSTRATIFS" in captured.err
    assert re.search(r"Monte[- ]Carlo", captured.out)
    workforce = pd.read_csv(out / "outlook_workforce.csv")
    assert (workforce["ages_basis"] == wf.ILLUSTRATIVE).all()
    assert workforce["year"].min() == 2026
    assert workforce["year"].max() == 2041
    with Store.open(store) as db:
        stored = db.read_table("results_outlook_apl")
    assert (stored["ages_basis"] == wf.ILLUSTRATIVE).all()
    assert set(stored["engine"]) == {"monte_carlo"}


def test_cli_outlook_bad_inputs_exit_2(tiny_mirror, tmp_path, capsys):
    from accessmap.cli import main

    base = ["outlook", "-t", "19001,19002", "--mirror", str(tiny_mirror)]
    base += ["--store", str(tmp_path / "s.duckdb"), "--start-year", "2026"]
    assert main([*base, "--runs", "0"]) == 2
    assert "runs" in capsys.readouterr().err
    scenario = tmp_path / "bad.toml"
    scenario.write_text('[[installation]]\nsite_id = "nowhere"\nyear = 2027\n', encoding="utf-8")
    assert main([*base, "--scenario", str(scenario)]) == 2
    assert "nowhere" in capsys.readouterr().err
    assert main([*base, "--scenario", str(tmp_path / "missing.toml")]) == 2


def test_cli_outlook_with_a_roster_csv_and_fixed_age(tiny_mirror, tmp_path, capsys):
    from accessmap.cli import main

    roster_csv = tmp_path / "roster.csv"
    roster_csv.write_text(
        "practitioner_id,birth_year,site_id,commune_code\n"
        "gp-a,1962,cab-a,19001\n"
        "gp-b,1990,cab-a,19001\n"
        "gp-c,1961,cab-c,19003\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["outlook", "-t", "19001,19002,19003", "--mirror", str(tiny_mirror)]
    args += ["--store", str(tmp_path / "s.duckdb"), "--roster", str(roster_csv)]
    args += ["--start-year", "2026", "--retirement-age", "66", "--out", str(out)]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "ILLUSTRATIFS" not in captured.err
    assert "Gamma (19003) 2027" in " ".join(captured.out.split())
    losses = pd.read_csv(out / "outlook_losses.csv", dtype={"commune_code": str})
    lost = losses[losses["p_lose_last_gp"] == 1.0]
    assert lost[["commune_code", "year"]].to_numpy().tolist() == [["19003", 2027]]
    workforce = pd.read_csv(out / "outlook_workforce.csv")
    dep = workforce[(workforce["measure"] == "departures") & (workforce["zone"] == "territory")]
    assert dep.set_index("year")["value"].to_dict() == {
        y: (1.0 if y in (2027, 2028) else 0.0) for y in range(2026, 2042)
    }
    assert (workforce["ages_basis"] == "roster ages").all()


# --- invariants on random rosters ----------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    births=st.lists(st.one_of(st.none(), st.integers(1950, 1995)), min_size=6, max_size=6),
    fraction=st.floats(0, 1),
    delay=st.integers(0, 4),
    fixed_age=st.one_of(st.none(), st.integers(58, 72)),
)
def test_expected_outlook_invariants(births, fraction, delay, fixed_age):
    if all(b is None for b in births):
        births[0] = 1970
    r = roster(dict(zip("abcdef", births, strict=True)))
    out = run(
        r,
        model=wf.RetirementModel(fixed_age=fixed_age),
        scenario=wf.Scenario(replacement=wf.Replacement(fraction=fraction, delay_years=delay)),
    )
    today = measure(out, "headcount_today")
    assert (today.diff().dropna() <= 1e-12).all()
    gone = measure(out, "share_gone")
    assert gone.between(-1e-12, 1 + 1e-12).all()
    assert (gone.diff().dropna() >= -1e-12).all()
    assert (measure(out, "headcount") >= today - 1e-12).all()
    assert (out.apl["apl"] >= 0).all()
    probs = out.losses[["p_without_gp", "p_lose_last_gp"]]
    assert ((probs >= -1e-12) & (probs <= 1 + 1e-12)).all().all()
    assert (out.losses["p_lose_last_gp"] <= out.losses["p_without_gp"] + 1e-12).all()
    beyond = measure(out, "pop_beyond_30", table="access")
    assert (beyond <= measure(out, "pop_beyond_20", table="access") + 1e-9).all()


def test_age_band_instead_of_birth_year():
    r = roster({"a": None, "b": 1975, "c": None, "d": 1961, "e": 1958, "f": 1985})
    prac = r.practitioners.assign(age_band=["64-65", "", "70+", None, " ", np.nan])
    banded = dataclasses.replace(r, practitioners=prac)
    table = wf.retirement_probabilities(banded, model=fixed(65), start_year=START, horizon=10)
    a = table[table["practitioner_id"] == "a"].set_index("year")
    # Aged 64 or 65 in 2025 (born 1961 or 1960), half each: stops in 2026 either way.
    assert a.loc[2026, "p_stopped"] == pytest.approx(1.0)
    assert a.loc[2026, "basis"] == "age band, fixed age 65"
    curve = wf.retirement_probabilities(banded, start_year=START, horizon=10)
    c = curve[curve["practitioner_id"] == "c"].set_index("year")
    # 70 to 79 in 2025: only a 70-year-old can wait (to 71 or 72, by the curve's weights).
    w71, w72 = wf.DEFAULT_RETIREMENT_AGES[71], wf.DEFAULT_RETIREMENT_AGES[72]
    assert c.loc[2026, "p_stop_in_year"] == pytest.approx(0.1 * (w71 / (w71 + w72)) + 0.9 * 1.0)
    bad = dataclasses.replace(r, practitioners=r.practitioners.assign(age_band="old"))
    with pytest.raises(ValidationError) as info:
        run(bad)
    assert (info.value.code, info.value.field) == (
        "workforce.age_band_unreadable",
        "practitioners.age_band",
    )
    assert "« 60-64 »" in info.value.fix


def test_progress_reports_every_chunk(monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_ELEMENTS", 1)  # one run per chunk
    calls: list[tuple[int, int]] = []
    chunked = run(engine="monte_carlo", runs=5, seed=4, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(i, 5) for i in range(1, 6)]
    monkeypatch.undo()
    whole = run(engine="monte_carlo", runs=5, seed=4)
    for name in ("apl", "losses", "coverage", "access"):  # chunking does not change results
        pd.testing.assert_frame_equal(getattr(chunked, name), getattr(whole, name))


def test_cli_outlook_roster_without_ages(tiny_mirror, tmp_path, capsys):
    from accessmap.cli import main

    roster_csv = tmp_path / "roster.csv"
    roster_csv.write_text(
        "practitioner_id,site_id,commune_code\ngp-a,cab-a,19001\ngp-c,cab-c,19003\n",
        encoding="utf-8",
    )
    args = ["outlook", "-t", "19001,19003", "--mirror", str(tiny_mirror), "--roster"]
    args += [str(roster_csv), "--store", str(tmp_path / "s.duckdb"), "--start-year", "2026"]
    assert main(args) == 2
    assert "illustrative" in capsys.readouterr().err
    assert main([*args, "--illustrative-ages"]) == 0
    assert "ÂGES ILLUSTRATIFS" in capsys.readouterr().err
    assert main([*args, "--unknown-age", "keep"]) == 0
    captured = capsys.readouterr()
    assert "ILLUSTRATIFS" not in captured.err
    assert "Aucune commune" in " ".join(captured.out.split())
