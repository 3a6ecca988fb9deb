"""Siting options side by side on a hand-made 5-commune territory."""

from __future__ import annotations

import json
import tomllib
from typing import Any

import numpy as np
import pandas as pd
import pytest

from accessmap import options as opt
from accessmap import siting
from accessmap.conventions import WEEKS_PER_FTE
from accessmap.errors import ValidationError
from accessmap.messages import Message
from accessmap.supply import make_roster

COMMUNES = ["19001", "19002", "19003", "19004", "19005"]
POP = [1000.0, 500.0, 800.0, 300.0, 200.0]
# symmetric commune x commune times (town halls); intra-commune time 3 minutes
TIMES = np.array(
    [
        [3.0, 10.0, 14.0, 25.0, 40.0],
        [10.0, 3.0, 8.0, 18.0, 30.0],
        [14.0, 8.0, 3.0, 12.0, 22.0],
        [25.0, 18.0, 12.0, 3.0, 9.0],
        [40.0, 30.0, 22.0, 9.0, 3.0],
    ]
)


def territory():
    rows = [
        (o, d, TIMES[i, j], "osm") for i, o in enumerate(COMMUNES) for j, d in enumerate(COMMUNES)
    ]
    # an existing cabinet "cab1" in commune 19001, same times as its town hall
    rows += [(o, "cab1", TIMES[i, 0], "osm") for i, o in enumerate(COMMUNES)]
    od = pd.DataFrame(rows, columns=["origin_id", "dest_id", "minutes", "method"])
    demand = pd.DataFrame({"id": COMMUNES, "population": POP})
    supply = pd.DataFrame({"site_id": ["cab1", "19003"], "acts": [5000.0, 4000.0]})
    return od, demand, supply


def apl_by_hand(supply: dict[str, float], od: pd.DataFrame) -> dict[str, float]:
    """DREES 2SFCA with weights 1, 2/3, 1/3, 0 and pop_std = population."""

    def weight(t):
        return 1.0 if t < 10 else 2 / 3 if t < 15 else 1 / 3 if t < 20 else 0.0

    times = od.set_index(["origin_id", "dest_id"])["minutes"]
    pops = dict(zip(COMMUNES, POP, strict=True))
    ratio = {}
    for site, acts in supply.items():
        denominator = sum(pops[c] * weight(times[(c, site)]) for c in COMMUNES)
        ratio[site] = acts / denominator if denominator else 0.0
    return {c: sum(r * weight(times[(c, s)]) for s, r in ratio.items()) for c in COMMUNES}


def test_status_quo_figures_by_hand():
    od, demand, supply = territory()
    result = opt.compare(
        [opt.status_quo()], od=od, demand=demand, supply=supply, bands=(10, 20, 30)
    )
    row = result.summary.iloc[0]
    # nearest GP: 19001 -> 3 (cab1), 19002 -> 8 (19003), 19003 -> 3, 19004 -> 12, 19005 -> 22
    assert row["pop_within_10"] == 1000 + 500 + 800
    assert row["pop_within_20"] == 1000 + 500 + 800 + 300
    assert row["pop_within_30"] == sum(POP)
    assert row["max_minutes"] == 22.0
    expected_mean = (1000 * 3 + 500 * 8 + 800 * 3 + 300 * 12 + 200 * 22) / sum(POP)
    assert row["mean_minutes"] == pytest.approx(expected_mean)
    apl = apl_by_hand({"cab1": 5000.0, "19003": 4000.0}, od)
    communes = result.communes.set_index("id")
    for code in COMMUNES:
        assert communes.loc[code, "apl"] == pytest.approx(apl[code])
    below = [c for c in COMMUNES if apl[c] < 2.5]
    assert row["communes_apl_below"] == len(below)
    assert row["pop_apl_below"] == pytest.approx(sum(POP[COMMUNES.index(c)] for c in below))
    territory_apl = sum(apl[c] * p for c, p in zip(COMMUNES, POP, strict=True)) / sum(POP)
    assert row["apl_territory"] == pytest.approx(territory_apl)
    assert row["communes_with_gp"] == 2  # 19001 (cab1) and 19003
    assert row["communes_losing_last_gp"] == 0


def test_band_edge_is_half_open():
    od, demand, supply = territory()
    # 19002 is exactly 10 minutes from cab1/19001: with only cab1 open it is not "within 10"
    only_cab = supply[supply["site_id"] == "cab1"]
    row = opt.compare(
        [opt.status_quo()], od=od, demand=demand, supply=only_cab, bands=(10, 20)
    ).summary.iloc[0]
    assert row["pop_within_10"] == 1000.0
    assert row["pop_within_20"] == 1000 + 500 + 800
    communes = opt.compare(
        [opt.status_quo()], od=od, demand=demand, supply=only_cab, bands=(10, 20)
    ).communes.set_index("id")
    assert communes.loc["19002", "band"] == "10-20"


def test_new_site_future_year_and_losses_avoided():
    od, demand, supply = territory()
    future = pd.DataFrame({"site_id": ["cab1", "19003"], "acts": [5000.0, 0.0]})  # 19003 retires
    options = [
        opt.status_quo(),
        opt.SitingOption(name="MSP 19005", new_sites={"19005": 1.0}),
        opt.SitingOption(name="2032", supply=future, year=2032),
        opt.SitingOption(
            name="2032 + MSP 19003", new_sites={"19003": 2.0}, supply=future, year=2032
        ),
    ]
    result = opt.compare(options, od=od, demand=demand, supply=supply)
    summary = result.summary.set_index("option")
    assert summary.loc["MSP 19005", "pop_within_10"] == 2300 + 300 + 200  # 19004 is 9 min away
    assert summary.loc["MSP 19005", "apl_territory"] > summary.loc["Statu quo", "apl_territory"]
    assert summary.loc["MSP 19005", "new_fte"] == 1.0
    assert summary.loc["2032", "communes_losing_last_gp"] == 1
    assert summary.loc["2032", "losing_last_gp_avoided"] == 0
    assert summary.loc["2032 + MSP 19003", "communes_losing_last_gp"] == 0
    assert summary.loc["2032 + MSP 19003", "losing_last_gp_avoided"] == 1
    assert summary.loc["2032", "year"] == 2032
    apl = apl_by_hand({"cab1": 5000.0, "19003": 4000.0, "19005": 5400.0}, od)
    communes = result.communes[result.communes["option"] == "MSP 19005"].set_index("id")
    assert communes.loc["19005", "apl"] == pytest.approx(apl["19005"])
    assert set(result.communes["option"]) == set(summary.index)
    assert len(result.communes) == 4 * len(COMMUNES)


def test_site_communes_mapping_counts_gp_presence():
    od, demand, supply = territory()
    result = opt.compare(
        [opt.status_quo()],
        od=od,
        demand=demand,
        supply=supply,
        site_communes=pd.DataFrame({"site_id": ["cab1"], "commune_code": ["19002"]}),
    )
    communes = result.communes.set_index("id")
    assert communes.loc["19002", "has_gp"]
    assert not communes.loc["19001", "has_gp"]


def test_options_from_models_and_files():
    od, demand, supply = territory()
    candidates = COMMUNES
    best = siting.mclp(od, demand, p=1, minutes=10, candidates=candidates, fixed=["cab1"])
    option = opt.option_from_result(best)
    assert option.new_sites == dict.fromkeys(best.sites, 1.0)
    vc = siting.volunteer_centres(
        od, demand, p=1, minutes=15, candidates=candidates,
        params=siting.VolunteerCentreParameters(volunteer_weeks=24),
    )  # fmt: skip
    assert opt.option_from_result(vc).new_sites == dict.fromkeys(vc.sites, 24 / WEEKS_PER_FTE)
    rota = siting.rotation(od, demand, team=3.0, minutes=10, candidates=candidates)
    rota_option = opt.option_from_result(rota)
    assert sum(rota_option.new_sites.values()) == pytest.approx(3.0 / 5.0)

    spec = tomllib.loads(
        """
        [[option]]
        name = "Statu quo"

        [[option]]
        name = "MCLP p=1"
        model = "mclp"
        p = 1
        minutes = 10
        candidates = ["19001", "19002", "19003", "19004", "19005"]

        [[option]]
        name = "Médecins Solidaires à 19005"
        sites = { "19005" = 1.0 }

        [[option]]
        name = "2032"
        year = 2032
        """
    )
    future = pd.DataFrame({"site_id": ["cab1"], "acts": [5000.0]})
    options = opt.options_from_spec(
        spec, od=od, demand=demand, supply_for_year={2032: future}.__getitem__,
        existing_sites=["cab1", "19003"],
    )  # fmt: skip
    assert [o.name for o in options] == [
        "Statu quo",
        "MCLP p=1",
        "Médecins Solidaires à 19005",
        "2032",
    ]
    assert options[1].new_sites  # the model chose a site
    assert options[3].supply is future
    result = opt.compare(options, od=od, demand=demand, supply=supply)
    assert len(result.summary) == 4
    # the same spec as JSON
    again = opt.options_from_spec(
        json.loads(json.dumps(spec)), od=od, demand=demand, supply_for_year={2032: future}.get
    )
    assert [o.name for o in again] == [o.name for o in options]


def test_errors():
    od, demand, supply = territory()
    with pytest.raises(ValidationError) as info:
        opt.compare([opt.status_quo(), opt.status_quo()], od=od, demand=demand, supply=supply)
    assert (info.value.code, info.value.params["names"]) == (
        "options.duplicate_names",
        ["Statu quo"],
    )
    with pytest.raises(ValidationError) as info:
        opt.compare(
            [opt.SitingOption(name="x", new_sites={"99999": 1.0})],
            od=od,
            demand=demand,
            supply=supply,
        )
    assert (info.value.code, info.value.params["ids"]) == ("options.sites_without_times", ["99999"])
    with pytest.raises(ValidationError) as info:
        opt.SitingOption(name="x", new_sites={"19001": 0.0})
    assert (info.value.code, info.value.field) == ("options.fte_invalid", "x.new_sites")
    with pytest.raises(ValidationError) as info:  # the supply's own check (contracts)
        opt.compare([opt.status_quo()], od=od, demand=demand, supply=supply.drop(columns="acts"))
    assert info.value.field == "supply.acts"
    with pytest.raises(ValidationError) as info:
        opt.options_from_spec({"option": [{"name": "a", "year": 2030}]}, od=od, demand=demand)
    assert (info.value.code, info.value.field) == ("options.year_without_outlook", "year")
    with pytest.raises(ValidationError) as info:
        opt.options_from_spec({"option": [{"name": "a", "colour": 1}]}, od=od, demand=demand)
    assert (info.value.code, info.value.params["keys"]) == ("options.unknown_keys", ["colour"])
    with pytest.raises(ValidationError) as info:
        opt.options_from_spec(
            {"option": [{"name": "a", "model": "mclp", "minutes": 10}]}, od=od, demand=demand
        )
    assert (info.value.code, info.value.field) == ("options.model_error", "mclp.p")
    assert info.value.message.startswith("option « a » : ")
    with pytest.raises(ValidationError) as info:
        opt.options_from_spec({"option": [{"name": "a", "sites": ["19001"], "model": "mclp"}]},
                              od=od, demand=demand)  # fmt: skip
    assert info.value.code == "options.sites_and_model"
    with pytest.raises(ValidationError) as info:
        opt.options_from_spec({"option": []}, od=od, demand=demand)
    assert info.value.code == "options.file_empty"
    with pytest.raises(ValidationError) as info:
        opt.options_from_spec({"option": [{"sites": ["19001"]}]}, od=od, demand=demand)
    assert (info.value.code, info.value.params["number"]) == ("options.entry_no_name", 1)


def test_expected_supply_discounts_retirements():
    practitioners = pd.DataFrame(
        {
            "practitioner_id": ["old", "young"],
            "birth_year": [1955, 1990],
            "activity": [5000.0, 4000.0],
            "site_id": ["cab1", "19003"],
        }
    )
    sites = pd.DataFrame(
        {
            "site_id": ["cab1", "19003"],
            "commune_code": ["19001", "19003"],
            "lon": [2.0, 2.1],
            "lat": [45.5, 45.6],
        }
    )
    roster = make_roster(practitioners, sites, current_year=2025)
    today = opt.expected_supply(roster, year=2025, start_year=2025).set_index("site_id")
    assert today.loc["cab1", "acts"] == pytest.approx(5000.0)
    assert today.loc["19003", "acts"] == pytest.approx(4000.0)
    later = opt.expected_supply(roster, year=2035, start_year=2025).set_index("site_id")
    assert later.loc["cab1", "acts"] < 0.5 * 5000.0  # born 1955: 80 in 2035
    assert later.loc["19003", "acts"] == pytest.approx(4000.0, rel=0.05)
    with pytest.raises(ValidationError) as info:
        opt.expected_supply(roster, year=2020, start_year=2025)
    assert (info.value.code, info.value.field) == ("options.year_before_start", "year")
    assert info.value.message == "l'année 2020 précède l'année de départ 2025."


# --- CLI: accessmap site / compare on the tiny mirror -----------------------------------------

TINY = "19001,19002,19003,19004,19005"


@pytest.fixture
def tiny_mirror(tmp_path):
    from tests.factories import write_mirror

    return write_mirror(tmp_path / "mirror")


def test_cli_site_writes_results(tiny_mirror, tmp_path, capsys):
    from accessmap.cli import main
    from accessmap.store import Store

    store = tmp_path / "db.duckdb"
    args = ["site", "-t", TINY, "--mirror", str(tiny_mirror), "--store", str(store),
            "--buffer-km", "5", "--model", "mclp", "--p", "1", "--minutes", "10"]  # fmt: skip
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "optimal" in text
    assert "Statu quo" in text
    with Store.open(store, read_only=True) as db:
        sites = db.read_table("results_siting")
        comparison = db.read_table("results_siting_comparison")
    assert sites["new"].sum() == 1
    assert len(comparison) == 2


def test_cli_site_errors_exit_2(tiny_mirror, tmp_path, capsys):
    from accessmap.cli import main

    base = ["site", "-t", TINY, "--mirror", str(tiny_mirror), "--store",
            str(tmp_path / "db.duckdb"), "--buffer-km", "5"]  # fmt: skip
    assert main([*base, "--model", "mclp", "--p", "9"]) == 2
    assert "p = 9 dépasse le nombre de sites candidats" in capsys.readouterr().err
    assert main([*base, "--model", "kmeans", "--p", "1"]) == 2
    assert "le modèle « kmeans » n'existe pas" in capsys.readouterr().err
    assert main([*base, "--model", "mclp", "--p", "1", "--candidates", "19001,99999"]) == 2
    assert "99999" in capsys.readouterr().err


def test_cli_compare_from_toml(tiny_mirror, tmp_path, capsys):
    from accessmap.cli import main
    from accessmap.store import Store

    spec = tmp_path / "options.toml"
    spec.write_text(
        f"""
territory = "{TINY}"

[[option]]
name = "Statu quo"

[[option]]
name = "MCLP p=1"
model = "mclp"
p = 1
minutes = 10

[[option]]
name = "Centre à Delta"
sites = {{ "19004" = 1.0 }}
""",
        encoding="utf-8",
    )
    store = tmp_path / "db.duckdb"
    args = ["compare", "--scenarios", str(spec), "--mirror", str(tiny_mirror), "--store",
            str(store), "--buffer-km", "5", "--out", str(tmp_path / "out")]  # fmt: skip
    assert main(args) == 0
    assert "Centre à Delta" in capsys.readouterr().out
    with Store.open(store, read_only=True) as db:
        summary = db.read_table("results_options_compared")
    assert list(summary["option"]) == ["Statu quo", "MCLP p=1", "Centre à Delta"]
    assert (tmp_path / "out" / "compare_communes.csv").is_file()
    bad = tmp_path / "bad.toml"
    bad.write_text("[[option]]\nname = 1\nmodel = 'magic'\n", encoding="utf-8")
    assert main([*args[:1], "--scenarios", str(bad), "-t", TINY, *args[3:]]) == 2
    assert "magic" in capsys.readouterr().err
    assert main([*args[:1], "--scenarios", str(tmp_path / "missing.toml"), *args[3:]]) == 2


@pytest.mark.mirror
@pytest.mark.slow
def test_cli_site_on_the_montagne_limousine(mirror, tmp_path, capsys):
    """End to end on the real mirror: the answer never loses coverage, candidates are halls."""
    from accessmap.cli import main
    from accessmap.store import Store

    store = tmp_path / "db.duckdb"
    args = ["site", "--territory", "montagne-limousine", "--mirror", str(mirror), "--store",
            str(store), "--model", "mclp", "--p", "1", "--minutes", "10"]  # fmt: skip
    assert main(args) == 0
    assert "optimal" in capsys.readouterr().out
    with Store.open(store, read_only=True) as db:
        comparison = db.read_table("results_siting_comparison")
        sites = db.read_table("results_siting")
    new = sites.loc[sites["new"].astype(bool), "site_id"].astype(str)
    assert len(new) == 1
    assert new.str.fullmatch(r"\d{5}|2[AB]\d{3}").all()  # a commune town hall
    before, after = comparison["pop_within_10"].tolist()
    assert after >= before


# --- the shipped example, the alias module, plain-French descriptions ---------------------------


def example_territory():
    """Communes named in options_example.toml plus a few others, on a plane (1 km = 1 minute)."""
    rng = np.random.default_rng(7)
    codes = ["23090", "19033", "19164", "23077", "23165", "19001", "19002", "23001", "23002"]
    xy = rng.uniform(0, 40, (len(codes), 2))
    rows = [
        (a, b, 2.0 if a == b else float(np.hypot(*(xy[i] - xy[j]))), "crowfly")
        for i, a in enumerate(codes)
        for j, b in enumerate(codes)
    ]
    rows += [
        (a, "cab", float(np.hypot(*(xy[i] - xy[5]))) + 1.0, "crowfly") for i, a in enumerate(codes)
    ]
    od = pd.DataFrame(rows, columns=["origin_id", "dest_id", "minutes", "method"])
    demand = pd.DataFrame({"id": codes, "population": rng.integers(100, 2000, len(codes)) * 1.0})
    supply = pd.DataFrame({"site_id": ["cab", "19164"], "acts": [5000.0, 4000.0]})
    return od, demand, supply


def test_shipped_options_example_is_a_valid_options_file():
    from importlib.resources import files

    spec = tomllib.loads(
        files("accessmap").joinpath("data/options_example.toml").read_text("utf-8")
    )
    od, demand, supply = example_territory()
    later = pd.DataFrame({"site_id": ["cab", "19164"], "acts": [5000.0, 0.0]})
    built = opt.options_from_spec(
        spec, od=od, demand=demand, supply_for_year={2036: later}.__getitem__,
        existing_sites=["cab", "19164"], solver=siting.SolverOptions(time_limit=30),
    )  # fmt: skip
    assert [o.name for o in built] == [o["name"] for o in spec["option"]]
    by_name = {o.name: o for o in built}
    assert by_name["Une MSP à Gentioux-Pigerolles"].new_sites == {"23090": 1.0}
    for entry in spec["option"]:
        if "model" in entry:
            assert by_name[entry["name"]].new_sites, entry["name"]
    rota = by_name["Rotation : 10 jours par semaine sur les pôles MilleSoins"]
    assert set(rota.new_sites) <= {"19033", "19164", "23077", "23165"}
    assert sum(rota.new_sites.values()) == pytest.approx(2.0)  # 10 days = 2 FTE
    assert by_name["En 2036, sans remplacement"].supply is later
    result = opt.compare(built, od=od, demand=demand, supply=supply)
    assert list(result.summary["option"]) == [o.name for o in built]


def test_describe_option_in_plain_french():
    od, demand, supply = territory()
    msp = opt.SitingOption(name="MSP 19005", new_sites={"19005": 1.0})
    result = opt.compare([opt.status_quo(), msp], od=od, demand=demand, supply=supply)
    names = {"19005": "Bugeat"}
    said = opt.describe_option(msp, comparison=result, names=names, minutes=10)
    assert isinstance(said, Message)  # a code and parameters; str() is the French sentence
    assert said.code == "options.describe_gain"
    assert said.params["gain"] == 500
    # 19005 (200) and 19004 (300, 9 min from 19005) come within 10 minutes
    assert str(said) == (
        "Une MSP à Bugeat : un médecin à temps plein de plus, 500 habitants de plus à moins de "
        "10 min."
    )

    def describe(option: opt.SitingOption, **kwargs: Any) -> str:
        return str(opt.describe_option(option, **kwargs))

    assert describe(msp, names=names) == "Une MSP à Bugeat : un médecin à temps plein de plus."
    centre = opt.SitingOption(name="c", new_sites={"19004": 0.5}, kind="volunteer_centre")
    assert describe(centre) == (
        "Un centre de médecins bénévoles à 19004 : 24 semaines de bénévoles par an (0,5 "
        "équivalent temps plein de médecin)."
    )
    rota = opt.SitingOption(name="r", new_sites={"19001": 0.4, "19004": 0.8}, kind="rotation")
    assert describe(rota) == (
        "Une rotation sur 2 sites à 19001 et 19004 : 6 jours de consultation par semaine."
    )
    three = opt.SitingOption(name="t", new_sites={"19001": 1.0, "19003": 1.0, "19004": 1.0})
    assert describe(three, names=names) == (
        "3 MSP à 19001, 19003 et 19004 : 3 médecins à temps plein de plus."
    )
    big = opt.SitingOption(name="b", new_sites={"19001": 12345.0})
    assert "12\u202f345 médecins" in describe(big)
    assert describe(opt.status_quo()) == "Statu quo : aucun nouveau site."
    with pytest.raises(ValidationError) as info:
        opt.describe_option(msp, comparison=result, minutes=12)
    assert (info.value.code, info.value.field) == ("options.band_not_compared", "minutes")
    # the default bands hold the siting threshold, the default of the sentence
    assert describe(msp, comparison=result).endswith("à moins de 15 min.")


def test_options_file_parameters_are_checked_by_the_registry():
    od, demand, _ = territory()

    def registry_error(model: str, **params: Any) -> ValidationError:
        with pytest.raises(ValidationError) as direct:
            siting.run(model, od=od, demand=demand, **params)
        return direct.value

    with pytest.raises(ValidationError) as info:
        opt.options_from_spec(
            {"option": [{"name": "a", "model": "mclp", "p": 1, "radius": 10}]}, od=od, demand=demand
        )
    # the registry's own error, named for the option
    assert info.value.code == "options.model_error"
    assert info.value.params["option"] == "a"
    assert "option « a »" in str(info.value)
    assert info.value.field == "mclp.radius"
    direct = registry_error("mclp", p=1, radius=10)
    assert info.value.params["cause"] == direct.code
    assert info.value.message == f"option « a » : {direct.message}"
    assert info.value.fix == direct.fix
    with pytest.raises(ValidationError) as info:
        opt.options_from_spec(
            {"option": [{"name": "a", "model": "p-median", "p": 1.5}]}, od=od, demand=demand
        )
    assert info.value.field == "p_median.p"
    assert info.value.params["cause"] == registry_error("p-median", p=1.5).code
    with pytest.raises(ValidationError) as info:
        opt.options_from_spec({"option": [{"name": "a", "model": "kmeans"}]}, od=od, demand=demand)
    assert info.value.code == registry_error("kmeans", p=1).code
    assert info.value.field == "model"


def test_host_rules_restrict_the_candidates_of_model_options():
    od, demand, _ = territory()
    free = opt.options_from_spec(
        {"option": [{"name": "m", "model": "mclp", "p": 1, "minutes": 10, "candidates": COMMUNES}]},
        od=od, demand=demand, existing_sites=["cab1"],
    )  # fmt: skip
    spec = {
        "hosts": {"min_population": 600},
        "option": [
            {"name": "m", "model": "mclp", "p": 1, "minutes": 10, "candidates": COMMUNES},
            {"name": "by hand", "sites": {"19005": 1.0}},
            {"name": "own rule", "model": "mclp", "p": 1, "minutes": 10, "candidates": COMMUNES,
             "hosts": {"premises": ["19004"]}},
        ],
    }  # fmt: skip
    built = opt.options_from_spec(spec, od=od, demand=demand, existing_sites=["cab1"])
    assert set(free[0].new_sites) - {"19001", "19003"}  # unrestricted, a small commune wins
    assert set(built[0].new_sites) <= {"19001", "19003"}  # 1,000 and 800 inhabitants
    assert built[1].new_sites == {"19005": 1.0}  # chosen by hand: not filtered
    assert set(built[2].new_sites) == {"19004"}
    with pytest.raises(ValidationError) as info:
        opt.options_from_spec(
            {"hosts": {"min_pop": 5}, "option": spec["option"][:1]}, od=od, demand=demand
        )
    assert info.value.field == "hosts.min_pop"
    assert (info.value.code, info.value.params["rules"]) == (
        "options.unknown_host_rules",
        ["min_pop"],
    )
    with pytest.raises(ValidationError) as info:
        opt.options_from_spec({"hosts": [5000], "option": spec["option"][:1]}, od=od, demand=demand)
    assert (info.value.code, info.value.field) == ("options.hosts_not_table", "hosts")
    with pytest.raises(ValidationError) as info:
        opt.options_from_spec(
            {"hosts": {"min_population": 5000}, "option": spec["option"][:1]}, od=od,
            demand=demand,
        )  # fmt: skip
    assert (info.value.code, info.value.params["option"]) == ("options.no_eligible_candidate", "m")
