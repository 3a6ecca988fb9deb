"""Indicators: published FCA references, invariants, DREES APL rules and edges, verdicts."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accessmap import indicators as ind
from accessmap.errors import ValidationError
from accessmap.indicators import AplParameters, DecayBand
from accessmap.messages import Message
from accessmap.supply import make_roster

# --- IPEA `accessibility` 5-hex reference case -------------------------------------------------

IDS = ["A", "B", "C", "D", "E"]
TIMES = np.array(
    [
        [5.8, 47, 48, 47, 64],
        [45, 5.8, 13, 41, 70],
        [44, 13, 5.8, 42, 67],
        [43, 43, 49, 5.8, 58],
        [60, 70, 68, 64, 5.8],
    ]
)
POPULATION = [852, 394, 1969, 2189, 0]
OPPORTUNITIES = [82, 308, 100, 109, 0]


def od_from_matrix(times: np.ndarray, origins: list[str], dests: list[str]) -> pd.DataFrame:
    rows = [
        (o, d, float(times[i, j]), "osm")
        for i, o in enumerate(origins)
        for j, d in enumerate(dests)
        if np.isfinite(times[i, j])
    ]
    return pd.DataFrame(rows, columns=["origin_id", "dest_id", "minutes", "method"])


@pytest.fixture
def hexes() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    od = od_from_matrix(TIMES, IDS, IDS)
    demand = pd.DataFrame({"id": IDS, "population": POPULATION})
    supply = pd.DataFrame({"site_id": IDS, "capacity": OPPORTUNITIES})
    return od, demand, supply


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("2sfca", [0.0152, 0.1491, 0.1491, 0.1068, 0.0]),
        ("bfca", [0.0094, 0.1993, 0.1993, 0.1147, 0.0]),
    ],
)
def test_ipea_five_hex_reference(hexes, method, expected):
    od, demand, supply = hexes
    weights = ind.binary_weights(45, include_cutoff=True)
    got = ind.floating_catchment(od, demand=demand, supply=supply, weights=weights, method=method)
    assert got["id"].tolist() == IDS
    np.testing.assert_allclose(got["access"].round(4), expected, atol=1e-4)


def test_ipea_case_depends_on_the_cutoff_bound(hexes):
    # B -> A takes exactly 45 minutes: the project convention (t < 45) drops it, IPEA keeps it.
    od, demand, supply = hexes
    strict = ind.floating_catchment(
        od, demand=demand, supply=supply, weights=ind.binary_weights(45)
    )
    assert strict["access"].round(4).tolist() == [0.0164, 0.1339, 0.1503, 0.108, 0.0]


# --- naive reference implementation and invariants ---------------------------------------------


def naive_fca(times, pop, sup, weight, method):
    n_i, n_j = times.shape
    w = np.zeros((n_i, n_j))
    for i in range(n_i):
        for j in range(n_j):
            t = times[i, j]
            w[i, j] = 0.0 if not np.isfinite(t) else float(weight(np.array([t]))[0])
    w_i, w_j = w.copy(), w.copy()
    if method == "bfca":
        for i in range(n_i):
            row = sum(w[i, j] for j in range(n_j))
            for j in range(n_j):
                w_i[i, j] = w[i, j] / row if row > 0 else 0.0
        for j in range(n_j):
            col = sum(w[i, j] for i in range(n_i))
            for i in range(n_i):
                w_j[i, j] = w[i, j] / col if col > 0 else 0.0
    ratio = []
    for j in range(n_j):
        served = sum(pop[i] * w_i[i, j] for i in range(n_i))
        ratio.append(sup[j] / served if served > 0 else 0.0)
    return [sum(ratio[j] * w_j[i, j] for j in range(n_j)) for i in range(n_i)]


WEIGHTS = {
    "binary": ind.binary_weights(30),
    "step": ind.step_weights(ind.LUO_QI_BANDS),
    "gaussian": ind.gaussian_weights(sigma=15, cutoff=40),
    "kernel": ind.kernel_gaussian_weights(cutoff=30),
    "gravity": ind.gravity_weights(beta=1.5, cutoff=45),
    "apl": ind.apl_weights,
}


def random_instance(seed: int, n_i: int, n_j: int):
    rng = np.random.default_rng(seed)
    times = rng.uniform(0, 50, size=(n_i, n_j)).round(1)
    times[rng.random((n_i, n_j)) < 0.2] = np.inf  # missing pairs
    pop = rng.integers(0, 2000, size=n_i).astype(float)
    sup = rng.integers(0, 50, size=n_j).astype(float)
    origins = [f"o{i}" for i in range(n_i)]
    dests = [f"s{j}" for j in range(n_j)]
    od = od_from_matrix(times, origins, dests)
    demand = pd.DataFrame({"id": origins, "population": pop})
    supply = pd.DataFrame({"site_id": dests, "capacity": sup})
    return times, pop, sup, od, demand, supply


@pytest.mark.parametrize("method", ["2sfca", "bfca"])
@pytest.mark.parametrize("kind", sorted(WEIGHTS))
@pytest.mark.parametrize("seed", range(6))
def test_vectorised_matches_naive_loops(method, kind, seed):
    times, pop, sup, od, demand, supply = random_instance(seed, 7 + seed, 4 + seed % 3)
    got = ind.floating_catchment(
        od, demand=demand, supply=supply, weights=WEIGHTS[kind], method=method
    )
    expected = naive_fca(times, pop, sup, WEIGHTS[kind], method)
    np.testing.assert_allclose(got["access"].to_numpy(), expected, rtol=1e-10, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n_i=st.integers(1, 9), n_j=st.integers(1, 6))
def test_total_access_equals_reachable_supply(seed, n_i, n_j):
    times, pop, sup, od, demand, supply = random_instance(seed, n_i, n_j)
    weight = ind.gaussian_weights(sigma=20, cutoff=35)
    got = ind.floating_catchment(od, demand=demand, supply=supply, weights=weight)
    w = np.where(np.isfinite(times), weight(np.where(np.isfinite(times), times, 0.0)), 0.0)
    reached = (pop[:, None] * w).sum(axis=0) > 0
    assert float(pop @ got["access"].to_numpy()) == pytest.approx(float(sup[reached].sum()))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n_i=st.integers(1, 8), n_j=st.integers(1, 5))
def test_catchment_covering_everything_gives_the_global_ratio(seed, n_i, n_j):
    rng = np.random.default_rng(seed)
    times = rng.uniform(0, 50, size=(n_i, n_j))
    pop = rng.integers(1, 2000, size=n_i).astype(float)
    sup = rng.integers(0, 50, size=n_j).astype(float)
    origins, dests = [f"o{i}" for i in range(n_i)], [f"s{j}" for j in range(n_j)]
    od = od_from_matrix(times, origins, dests)
    demand = pd.DataFrame({"id": origins, "population": pop})
    supply = pd.DataFrame({"site_id": dests, "capacity": sup})
    got = ind.floating_catchment(od, demand=demand, supply=supply, weights=ind.binary_weights(60))
    np.testing.assert_allclose(got["access"], sup.sum() / pop.sum(), rtol=1e-12)


def test_missing_pair_is_unreachable_like_inf(hexes):
    od, demand, supply = hexes
    weights = ind.binary_weights(45, include_cutoff=True)
    dropped = od[~((od["origin_id"] == "B") & (od["dest_id"] == "A"))]
    as_inf = od.copy()
    as_inf.loc[(od["origin_id"] == "B") & (od["dest_id"] == "A"), "minutes"] = np.inf
    a = ind.floating_catchment(dropped, demand=demand, supply=supply, weights=weights)
    b = ind.floating_catchment(as_inf, demand=demand, supply=supply, weights=weights)
    pd.testing.assert_frame_equal(a, b)


def test_weight_function_edges():
    m = np.array([0.0, 9.99, 10.0, 19.99, 20.0, 30.0, np.inf])
    np.testing.assert_array_equal(
        ind.step_weights(ind.LUO_QI_BANDS)(m), [1, 1, 0.68, 0.68, 0.22, 0, 0]
    )
    np.testing.assert_array_equal(
        ind.step_weights(ind.LUO_QI_BANDS, include_upper=True)(m), [1, 1, 1, 0.68, 0.68, 0.22, 0]
    )
    np.testing.assert_array_equal(ind.binary_weights(10)(m), [1, 1, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(
        ind.binary_weights(10, include_cutoff=True)(m), [1, 1, 1, 0, 0, 0, 0]
    )
    kernel = ind.kernel_gaussian_weights(cutoff=20)(m)
    assert kernel[0] == 1.0
    assert kernel[4] == 0.0
    assert 0 < kernel[3] < 1e-2
    assert ind.gaussian_weights(sigma=20)(np.array([20.0]))[0] == pytest.approx(math.exp(-0.5))
    assert ind.gravity_weights(beta=2)(np.array([0.0, 2.0])).tolist() == [1.0, 0.25]


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"weights": ind.binary_weights(30), "method": "3sfca"}, "method", "unknown_method"),
        ({"weights": lambda m: -np.ones_like(m)}, "weights", "bad_weights"),
    ],
)
def test_fca_rejects_bad_options(hexes, kwargs, field, code):
    od, demand, supply = hexes
    with pytest.raises(ValidationError) as info:
        ind.floating_catchment(od, demand=demand, supply=supply, **kwargs)
    assert info.value.field == field
    assert info.value.code == f"indicators.{code}"


def test_fca_rejects_duplicate_pairs_and_bad_tables(hexes):
    od, demand, supply = hexes
    weights = ind.binary_weights(30)
    with pytest.raises(ValidationError, match="B->C"):
        ind.floating_catchment(
            pd.concat([od, od.iloc[[7]]]), demand=demand, supply=supply, weights=weights
        )
    with pytest.raises(ValidationError) as info:
        ind.floating_catchment(
            od, demand=demand.assign(population=-1), supply=supply, weights=weights
        )
    assert info.value.field == "demand.population"
    with pytest.raises(ValidationError) as info:
        ind.floating_catchment(
            od.drop(columns="minutes"), demand=demand, supply=supply, weights=weights
        )
    assert info.value.field == "od.minutes"
    with pytest.raises(ValidationError) as info:
        ind.floating_catchment(
            od.assign(minutes=np.nan), demand=demand, supply=supply, weights=weights
        )
    assert (info.value.code, info.value.params["count"]) == ("contracts.bad_minutes", len(od))
    with pytest.raises(ValidationError) as info:
        ind.floating_catchment(
            od, demand=pd.concat([demand, demand]), supply=supply, weights=weights
        )
    assert info.value.field == "demand.id"


# --- APL: activity rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("activity", "counted"),
    [
        (0, 0.0),
        (250, 0.0),
        (251, 3600.0),
        (1200, 3600.0),
        (3600, 3600.0),
        (3601, 3601.0),
        (4800.5, 4800.5),
        (6000, 6000.0),
        (6001, 6000.0),
        (9000, 6000.0),
    ],
)
def test_activity_caps(activity, counted):
    prac = pd.DataFrame({"practitioner_id": ["p"], "activity": [activity], "fte": [1.0]})
    assert ind.counted_activity(prac).loc["p"] == counted
    assert ind.activity_basis(prac).loc["p"] == "measured"


def test_new_gp_health_centre_and_unknown_activity():
    prac = pd.DataFrame(
        {
            "practitioner_id": ["new", "new_half", "centre_low", "centre_high", "unknown", "c_unk"],
            "activity": [100.0, np.nan, 100.0, 8000.0, np.nan, np.nan],
            "fte": [1.0, 0.5, 1.0, 1.0, 0.5, 0.25],
            "new_install": [True, True, False, False, False, True],
            "health_centre": [False, False, True, True, False, True],
        }
    )
    acts = ind.counted_activity(prac)
    assert acts.tolist() == [5400.0, 2700.0, 100.0, 8000.0, 2700.0, 1350.0]
    assert ind.counted_activity(prac, acts_per_fte=4000).tolist() == [
        5400.0,
        2700.0,
        100.0,
        8000.0,
        2000.0,
        1000.0,
    ]
    assert ind.activity_basis(prac).tolist() == [
        "new_gp",
        "new_gp",
        "health_centre",
        "health_centre",
        "imputed",
        "health_centre_imputed",
    ]
    custom = AplParameters(new_gp_acts=5000.0, zero_below=100.0)
    assert ind.counted_activity(prac, params=custom).tolist()[:2] == [5000.0, 2500.0]
    with pytest.raises(ValidationError) as info:
        ind.counted_activity(prac, acts_per_fte=-1)
    assert (info.value.field, info.value.code) == ("acts_per_fte", "apl.bad_acts_per_fte")
    with pytest.raises(ValidationError) as info:
        ind.counted_activity(pd.DataFrame({"practitioner_id": ["p1"], "activity": [-5.0]}))
    assert info.value.code == "apl.bad_practitioner_rows"
    assert info.value.params["practitioners"] == ["p1"]


@pytest.mark.parametrize(
    ("minutes", "weight"),
    [
        (0.0, 1.0),
        (9.999, 1.0),
        (10.0, 2 / 3),
        (14.999, 2 / 3),
        (15.0, 1 / 3),
        (19.999, 1 / 3),
        (20.0, 0.0),
        (45.0, 0.0),
        (math.inf, 0.0),
    ],
)
def test_apl_decay_band_edges(minutes, weight):
    assert ind.apl_weights([minutes])[0] == pytest.approx(weight)


def test_apl_weights_reject_nan_and_negative():
    with pytest.raises(ValidationError):
        ind.apl_weights([np.nan])
    with pytest.raises(ValidationError):
        ind.apl_weights([-1.0])


# --- APL: the two steps ------------------------------------------------------------------------


def test_apl_by_hand():
    # Two communes, two sites. X reaches S1 in 5 min (w=1) and S2 in 12 (w=2/3);
    # Y reaches S1 in 17 min (w=1/3) and S2 in 20 (w=0: the 20-minute edge is excluded).
    od = pd.DataFrame(
        {
            "origin_id": ["X", "X", "Y", "Y"],
            "dest_id": ["S1", "S2", "S1", "S2"],
            "minutes": [5.0, 12.0, 17.0, 20.0],
            "method": "osm",
        }
    )
    demand = pd.DataFrame({"id": ["X", "Y"], "pop_std": [1000.0, 3000.0]})
    supply = pd.DataFrame({"site_id": ["S1", "S2"], "acts": [6000.0, 3600.0]})
    got = ind.apl(od, demand=demand, supply=supply).set_index("id")["apl"]
    r1 = 6000 / (1000 * 1 + 3000 / 3)
    r2 = 3600 / (1000 * 2 / 3)
    assert got["X"] == pytest.approx(r1 + 2 / 3 * r2)
    assert got["Y"] == pytest.approx(r1 / 3)
    # all the supply is reached, so the standardised-population total gives it back
    assert float((got * demand.set_index("id")["pop_std"]).sum()) == pytest.approx(9600.0)
    territory = ind.territory_apl(got.reset_index(), demand=demand)
    assert territory == pytest.approx(9600.0 / 4000.0)
    assert ind.territory_apl(got.reset_index(), demand=demand, ids=["Y"]) == pytest.approx(got["Y"])


def test_apl_equals_e2sfca_with_drees_steps():
    *_, od, demand, supply = random_instance(3, 8, 5)
    a = ind.apl(
        od,
        demand=demand.rename(columns={"population": "pop_std"}),
        supply=supply.rename(columns={"capacity": "acts"}),
    )
    b = ind.floating_catchment(
        od, demand=demand, supply=supply, weights=ind.step_weights(AplParameters().decay)
    )
    np.testing.assert_allclose(a["apl"], b["access"])


def multi_site_roster():
    practitioners = pd.DataFrame(
        {
            "practitioner_id": ["old", "young", "unknown_age"],
            "birth_year": [1955, 1985, pd.NA],
            "activity": [7000.0, 4000.0, np.nan],
            "fte": [1.0, 1.0, 0.5],
        }
    )
    sites = pd.DataFrame(
        {
            "site_id": ["bugeat", "peyrelevade", "empty"],
            "kind": ["msp", "msp", "cabinet"],
            "commune_code": ["19033", "19164", "19136"],
            "lon": [1.93, 2.05, 2.15],
            "lat": [45.6, 45.71, 45.54],
        }
    )
    assignments = pd.DataFrame(
        {
            "practitioner_id": ["old", "old", "young", "unknown_age"],
            "site_id": ["bugeat", "peyrelevade", "bugeat", "peyrelevade"],
            "share": [2 / 3, 1 / 3, 1.0, 1.0],
        }
    )
    return make_roster(practitioners, sites, assignments, current_year=2026)


def test_site_activity_shares_and_age_variant():
    roster = multi_site_roster()
    full = ind.site_activity(roster).set_index("site_id")
    assert full.loc["bugeat", "acts"] == pytest.approx(6000 * 2 / 3 + 4000)
    assert full.loc["peyrelevade", "acts"] == pytest.approx(6000 / 3 + 0.5 * 5400)
    assert full.loc["peyrelevade", "acts_imputed"] == pytest.approx(2700.0)
    assert full.loc["bugeat", "fte"] == pytest.approx(5 / 3)
    assert full.loc["empty"].tolist() == [0, 0, 0, 0, 0]
    u65 = ind.site_activity(roster, max_age=65, year=2023).set_index("site_id")
    # born 1955: 68 in 2023, excluded; unknown age kept by default and counted in n_unknown_age
    assert u65.loc["bugeat", "acts"] == pytest.approx(4000.0)
    assert u65.loc["peyrelevade", "acts"] == pytest.approx(2700.0)
    assert u65.loc["peyrelevade", "n_unknown_age"] == 1
    # the age limit is strict: 64 in 2019 counts, 65 in 2020 does not
    assert ind.site_activity(roster, max_age=65, year=2019).set_index("site_id").loc[
        "bugeat", "acts"
    ] == pytest.approx(8000.0)
    assert ind.site_activity(roster, max_age=65, year=2020).set_index("site_id").loc[
        "bugeat", "acts"
    ] == pytest.approx(4000.0)
    excluded = ind.site_activity(roster, max_age=65, year=2023, unknown_age="exclude")
    assert excluded.set_index("site_id").loc["peyrelevade", "acts"] == 0.0
    with pytest.raises(ValidationError) as info:
        ind.site_activity(roster, max_age=65)
    assert (info.value.field, info.value.code) == ("year", "apl.max_age_needs_year")


def test_standardised_population():
    bands = pd.DataFrame({"id": ["a", "b"], **{b: [10, 0] for b in ind.AGE_BANDS}})
    bands.loc[1, "90+"] = 100
    out = ind.standardised_population(bands, year=2023).set_index("id")
    assert out.loc["a", "population"] == 190
    assert out.loc["a", "pop_std"] == pytest.approx(10 * sum(AplParameters().age_weights[2023]))
    assert out.loc["b", "pop_std"] == pytest.approx(226.0)
    assert ind.standardised_population(bands, year=2022).loc[1, "pop_std"] == pytest.approx(239.0)
    with pytest.raises(ValidationError) as info:
        ind.standardised_population(bands, year=1999)
    assert (info.value.field, info.value.code) == ("year", "apl.no_age_weights")
    with pytest.raises(ValidationError, match="90\\+"):
        ind.standardised_population(bands.drop(columns="90+"))


# --- nearest GP and bands ----------------------------------------------------------------------


def test_band_of_edges():
    got = ind.band_of([0, 9.99, 10, 19.99, 20, 30, 39.99, 40, 75, math.inf])
    assert got.tolist() == [
        "0-10",
        "0-10",
        "10-20",
        "10-20",
        "20-30",
        "30-40",
        "30-40",
        "40+",
        "40+",
        "unreachable",
    ]
    assert ind.band_labels((15, 30)) == ("0-15", "15-30", "30+")
    with pytest.raises(ValidationError):
        ind.band_of([1.0], edges=(20, 10))


def test_nearest_bands_and_beyond():
    od = pd.DataFrame(
        {
            "origin_id": ["a", "a", "b", "c", "d"],
            "dest_id": ["s1", "s2", "s1", "s2", "s2"],
            "minutes": [12.0, 9.0, 30.0, 40.0, np.inf],
            "method": ["osm", "crowfly", "osm", "osm", "osm"],
        }
    )
    nearest = ind.nearest_site(od, origins=["a", "b", "c", "d", "e"])
    assert nearest["minutes"].tolist() == [9.0, 30.0, 40.0, math.inf, math.inf]
    assert nearest["site_id"].tolist() == ["s2", "s1", "s2", None, None]
    assert nearest["method"].tolist() == ["crowfly", "osm", "osm", None, None]
    only_s1 = ind.nearest_site(od, origins=["a"], sites=["s1"])
    assert only_s1["minutes"].tolist() == [12.0]
    pop = pd.DataFrame({"id": list("abcde"), "population": [100, 200, 300, 400, 0]})
    bands = ind.population_by_band(nearest, population=pop).set_index("band")
    assert bands["population"].tolist() == [100, 0, 0, 200, 300, 400]
    assert bands["communes"].tolist() == [1, 0, 0, 1, 1, 2]
    assert bands["share"].sum() == pytest.approx(1.0)
    beyond = ind.population_beyond(nearest, population=pop).set_index("threshold")
    assert beyond.index.tolist() == [20.0, 30.0, 40.0]  # conventions.BEYOND_MINUTES + decree 40
    assert beyond.loc[20.0, "population"] == 900
    assert beyond.loc[30.0, "population"] == 900  # exactly 30 is beyond 30
    assert beyond.loc[40.0, "population"] == 700
    assert beyond.loc[40.0, "communes"] == 3


# --- verdicts ----------------------------------------------------------------------------------


def test_classify_apl_edges():
    got = ind.classify_apl([2.49, 2.5, 3.99, 4.0, np.nan])
    assert got.tolist() == ["priority", "secondary", "secondary", "adequate", "unknown"]


def test_zone_deficitaire_reports_unknown_criteria():
    nearest = pd.DataFrame({"id": ["a", "b"], "minutes": [45.0, 5.0]})
    pops = pd.DataFrame({"id": ["a", "b"], "population": [1000, 5000]})
    result = ind.zone_deficitaire(
        population=6000, nearest=nearest, commune_population=pops, gp_fte=2.0
    )
    statuses = [c.status for c in result.criteria]
    assert statuses == ["met", "met", "unknown", "unknown"]
    assert result.verdict == "unknown"
    assert (result.met, result.unknown) == (2, 2)
    assert result.to_frame()["status"].tolist() == statuses
    assert result.criteria[1].value == pytest.approx(2.0 * 5000 / 6000)

    qualifies = ind.zone_deficitaire(
        population=6000, nearest=nearest, commune_population=pops, gp_fte=2.0, zrr=True
    )
    assert qualifies.verdict == "qualifies"

    busy = ind.zone_deficitaire(population=6000, gp_activity=[8000, 9000, 7600, 5000])
    assert busy.criteria[2].status == "met"
    assert busy.criteria[0].status == "unknown"
    partial = ind.zone_deficitaire(population=6000, gp_activity=[8000, np.nan])
    assert partial.criteria[2].status == "unknown"
    assert partial.criteria[2].detail == Message("zoning.activity_unknown", count=1, total=2)
    assert "1 médecin(s) généraliste(s) sur 2" in str(partial.criteria[2].detail)

    none_hold = ind.zone_deficitaire(
        population=6000,
        gp_fte=10,
        share_over_75=0.08,
        social_above_average=False,
        zrr=False,
    )
    assert [c.status for c in none_hold.criteria][1:] == ["not_met", "unknown", "not_met"]
    assert none_hold.verdict == "does_not_qualify"

    small = ind.zone_deficitaire(
        population=4999, nearest=nearest, commune_population=pops, gp_fte=0.0, zrr=True
    )
    assert not small.large_enough
    assert small.met == 3
    assert small.verdict == "does_not_qualify"


# --- DREES side by side ------------------------------------------------------------------------


def test_compare_with_drees():
    ours = pd.DataFrame(
        {"id": ["1", "2", "3", "4"], "apl": [1.0, 2.0, 3.0, 10.0], "apl_u65": [1, 2, 3, 4]}
    )
    published = pd.DataFrame(
        {
            "code": ["1", "2", "3", "4", "1"],
            "year": [2023, 2023, 2023, 2023, 2022],
            "apl": [1.5, 2.5, 3.5, 4.5, 9.0],
            "apl_u65": [4.0, 3.0, 2.0, 1.0, 9.0],
            "pop_std": [10.0, 20.0, 30.0, 40.0, 10.0],
        }
    )
    cmp = ind.compare_with_drees(ours, published, top=2)
    assert cmp.n == 4
    assert cmp.spearman == pytest.approx(1.0)
    assert cmp.spearman_u65 == pytest.approx(-1.0)
    assert cmp.largest["id"].tolist() == ["4", "1"]
    assert cmp.largest["diff"].tolist() == [5.5, -0.5]
    assert "pop_std_drees" in cmp.table.columns
    assert cmp.apl_drees_mean == pytest.approx((1.5 * 10 + 2.5 * 20 + 3.5 * 30 + 4.5 * 40) / 100)
    assert ind.compare_with_drees(ours, published, ids=["1", "2"]).n == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(ind.compare_with_drees(ours, published, ids=["1", "2"]).spearman)
    with pytest.raises(ValidationError) as info:
        ind.compare_with_drees(ours, published, year=2019)
    assert (info.value.field, info.value.code) == ("year", "drees.no_published_year")


# --- per-commune table -------------------------------------------------------------------------


def test_commune_indicators_small_territory():
    roster = multi_site_roster()
    od = pd.DataFrame(
        {
            "origin_id": ["19033", "19033", "19164", "19164", "19136", "99999"],
            "dest_id": ["bugeat", "peyrelevade", "bugeat", "peyrelevade", "bugeat", "bugeat"],
            "minutes": [3.0, 18.0, 18.0, 2.0, 45.0, 12.0],
            "method": "osm",
        }
    )
    communes = pd.DataFrame(
        {
            "id": ["19033", "19164", "19136", "99999"],
            "population": [700, 800, 2500, 300],
            "pop_std": [750.0, np.nan, 2400.0, 310.0],
            "in_territory": [True, True, True, False],
        }
    )
    result = ind.commune_indicators(od, communes=communes, roster=roster, year=2023)
    table = result.communes.set_index("id")
    assert table.loc["19164", "pop_std"] == 800.0  # fallback to population
    assert table.loc["19136", "band"] == "40+"
    assert table.loc["19136", "apl"] == 0.0
    assert table.loc["19136", "apl_class"] == "priority"
    assert table.loc["19033", "nearest_site"] == "bugeat"
    assert table.loc["19033", "apl_u65"] < table.loc["19033", "apl"]
    assert result.beyond.set_index("threshold").loc[40.0, "population"] == 2500
    assert result.bands["population"].sum() == 4000  # buffer commune 99999 not in the bands
    demand = table.reset_index()[["id", "pop_std"]]
    expected = ind.territory_apl(
        table.reset_index(), demand=demand, ids=["19033", "19164", "19136"]
    )
    assert result.apl_territory == pytest.approx(expected)
    codes = [note.code for note in result.notes]
    assert "apl.imputed_activity" in codes
    assert "apl.population_fallback" in codes
    assert any("imputés" in str(note) for note in result.notes)
    assert any("population légale" in str(note) for note in result.notes)


def test_the_imputed_activity_note_gives_the_level_the_apl_used():
    """The note of imputed acts names the level applied: calibrated, else the DREES rule."""
    import dataclasses

    from accessmap.indicators.apl import imputed_acts_per_fte

    roster = multi_site_roster()
    od = pd.DataFrame({
        "origin_id": ["19033", "19164"], "dest_id": ["bugeat", "peyrelevade"],
        "minutes": [3.0, 2.0], "method": "osm",
    })  # fmt: skip
    communes = pd.DataFrame({"id": ["19033", "19164"], "population": [700, 800]})
    rule = AplParameters()
    calibrated = dataclasses.replace(rule, unknown_acts=3740.0)
    assert imputed_acts_per_fte(rule) == rule.new_gp_acts
    assert imputed_acts_per_fte(calibrated) == 3740.0
    assert imputed_acts_per_fte(calibrated, 4000.0) == 4000.0
    for params, level in ((rule, rule.new_gp_acts), (calibrated, 3740.0)):
        result = ind.commune_indicators(
            od, communes=communes, roster=roster, year=2023, params=params
        )
        note = next(n for n in result.notes if n.code == "apl.imputed_activity")
        assert note.params["acts_per_fte"] == round(level)


def test_custom_decay_parameters_flow_through():
    params = AplParameters(decay=(DecayBand(0.0, 30.0, 1.0),))
    assert ind.apl_weights([25.0], params=params)[0] == 1.0
    assert ind.apl_weights([25.0])[0] == 0.0


# --- CLI ---------------------------------------------------------------------------------------


@pytest.mark.mirror
@pytest.mark.slow
def test_cli_indicators_on_the_mirror(mirror, tmp_path):
    from accessmap.cli import main
    from accessmap.store import Store

    store = tmp_path / "am.duckdb"
    out = tmp_path / "communes.csv"
    args = ["indicators", "--territory", "19033,19164,23077", "--buffer-km", "10"]
    args += ["--mirror", str(mirror), "--store", str(store), "--out", str(out)]
    assert main(args) == 0
    table = pd.read_csv(out, dtype={"id": str})
    assert set(table.loc[table["in_territory"], "id"]) == {"19033", "19164", "23077"}
    for col in ("nearest_minutes", "band", "apl", "apl_u65", "apl_class", "apl_drees"):
        assert col in table.columns
    # the mirror's road network covers these communes: road times, not the crow-fly estimate
    assert (table["od_method"] != "crowfly").all()
    with Store.open(store) as db:
        stored = db.read_table("results_indicators")
        assert len(stored) == len(table)
        sites = db.read_table("results_indicator_sites")
        assert {"msp-bugeat", "msp-peyrelevade", "msp-faux-la-montagne"} <= set(sites["site_id"])
        runs = len(db.read_table("traveltime_runs"))
    # a second run reuses the stored travel times instead of estimating them again
    assert main(args) == 0
    with Store.open(store) as db:
        assert len(db.read_table("traveltime_runs")) == runs


@pytest.mark.mirror
def test_cli_indicators_bad_roster_exits_2(mirror, tmp_path):
    from accessmap.cli import main

    roster = tmp_path / "roster.csv"
    roster.write_text(
        "practitioner_id,site_id,commune_code,share\ng1,s1,75056,1\n", encoding="utf-8"
    )
    args = ["indicators", "--territory", "19033", "--buffer-km", "5", "--roster", str(roster)]
    args += ["--mirror", str(mirror), "--store", str(tmp_path / "am.duckdb")]
    args += ["--out", str(tmp_path / "out.csv")]
    assert main(args) == 2
    assert not (tmp_path / "out.csv").exists()


def test_od_to_sites_accepts_site_or_commune_destinations():
    sites = pd.DataFrame({"site_id": ["s1", "s2", "s3"], "commune_code": ["c1", "c1", "c2"]})
    by_commune = pd.DataFrame(
        {
            "origin_id": ["c1", "c1", "c2"],
            "dest_id": ["c1", "c2", "s3"],
            "minutes": [2.0, 14.0, 1.0],
            "method": "osm",
        }
    )
    got = ind.od_to_sites(by_commune, sites=sites).sort_values(["origin_id", "dest_id"])
    assert got[["origin_id", "dest_id", "minutes"]].values.tolist() == [
        ["c1", "s1", 2.0],
        ["c1", "s2", 2.0],
        ["c2", "s3", 1.0],
    ]
    with pytest.raises(ValidationError) as info:
        ind.od_to_sites(by_commune, sites=pd.DataFrame({"site_id": ["s9"], "commune_code": ["c9"]}))
    assert info.value.code == "indicators.no_times_to_sites"
    assert info.value.params["sites"] == ["s9"]


@pytest.mark.parametrize("seed", range(20))
def test_nearest_rows_equal_a_full_lexicographic_sort(seed: int) -> None:
    from accessmap.indicators.nearest import _nearest_rows

    rng = np.random.default_rng(seed)
    n_pairs, n_origins = int(rng.integers(1, 400)), int(rng.integers(1, 40))
    oi = rng.integers(0, n_origins, n_pairs)
    dj = rng.integers(0, 15, n_pairs)
    minutes = rng.choice([1.0, 2.0, 2.5, 7.0, np.inf], n_pairs)  # ties and unreachable pairs
    _, unique = np.unique(np.c_[oi, dj], axis=0, return_index=True)  # one row per pair
    oi, dj, minutes = oi[unique], dj[unique], minutes[unique]
    order = np.lexsort((dj, minutes, oi))
    first = order[np.r_[True, oi[order][1:] != oi[order][:-1]]]
    expected = first[np.isfinite(minutes[first])]
    got = _nearest_rows(oi, dj, minutes, n_origins)
    assert sorted(got.tolist()) == sorted(expected.tolist())
